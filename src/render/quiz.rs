//! Render stage: a quiz as HTML. Readable with JavaScript off (questions and options, no
//! answers); the theme's `quiz.js` turns it into a graded quiz. Prompts, options, hints and
//! explanations are rendered with the page Markdown pipeline. The answer key is in
//! `quiz_key`'s hashed and veiled form only, and with `reveal = "never"` the page carries no
//! solution, explanation or feedback at all, veiled or not.

use std::fmt::Write as _;

use super::html::escape;
use super::markdown::{self, Env};
use super::quiz_key::{hash, normalize, salt, scramble, shown_at, veil};
use crate::diagnostic::Diagnostic;
use crate::model::quiz::{Choice, Kind, Md, Question, Reveal};
use crate::model::slug::relative;
use crate::model::{Page, Quiz};

/// Renders quizzes of one output page.
pub(crate) struct QuizRenderer<'a> {
    /// Markdown environment (routes, highlighter).
    pub(crate) env: &'a Env<'a>,
    /// `site.id`, part of every quiz's salt.
    pub(crate) site_id: &'a str,
    /// Output path of the page the quiz is on, for relative links.
    pub(crate) out: &'a str,
    /// For a module's assessment: where the result points the learner next.
    pub(crate) steps: Option<Steps<'a>>,
}

/// Where an assessment's result sends the learner: back to its module, or on to the next.
/// Output paths from the site root and titles.
#[derive(Clone, Copy)]
pub(crate) struct Steps<'a> {
    /// The assessment's module: its page and title.
    pub(crate) module: (&'a str, &'a str),
    /// The module after it in the site's order, if any.
    pub(crate) next: Option<(&'a str, &'a str)>,
}

/// One quiz being rendered.
struct Cx<'a> {
    quiz: &'a Quiz,
    salt: String,
    /// Prefix of element ids.
    hid: String,
}

impl QuizRenderer<'_> {
    /// The HTML of `quiz`; Markdown problems (broken links) are added to `diags`.
    pub(crate) fn render(&self, quiz: &Quiz, diags: &mut Vec<Diagnostic>) -> String {
        let cx = Cx { quiz, salt: salt(self.site_id, &quiz.id, &quiz.rev), hid: format!("quiz-{}", dom_id(&quiz.id)) };
        let mut html = self.open(&cx);
        // The result sits above the questions: score, attempts and what to do next first.
        html.push_str("<div class=\"quiz-result\">\n<div class=\"quiz-status\" role=\"status\" aria-live=\"polite\" aria-atomic=\"true\"></div>\n<div class=\"quiz-steps\"></div>\n</div>\n");
        html.push_str("<ol class=\"quiz-questions\">\n");
        for (n, q) in quiz.questions.iter().enumerate() {
            html.push_str(&self.question(&cx, n, q, diags));
        }
        html.push_str("</ol>\n<div class=\"quiz-actions\"></div>\n");
        html.push_str("<p class=\"quiz-check\" aria-live=\"polite\" aria-atomic=\"true\"></p>\n");
        html.push_str("</section>\n");
        html
    }

    /// Whether the page carries solutions, explanations and feedback (veiled) at all.
    fn ships_answers(cx: &Cx<'_>) -> bool {
        cx.quiz.reveal != Reveal::Never
    }

    /// `data-` attributes naming the assessment's module and the next one, as relative URLs.
    fn steps(&self) -> String {
        let Some(steps) = self.steps else { return String::new() };
        let mut attrs = format!(
            " data-module-url=\"{}\" data-module-title=\"{}\"",
            escape(&relative(self.out, steps.module.0)),
            escape(steps.module.1)
        );
        if let Some((url, title)) = steps.next {
            let _ = write!(
                attrs,
                " data-next-url=\"{}\" data-next-title=\"{}\"",
                escape(&relative(self.out, url)),
                escape(title)
            );
        }
        attrs
    }

    fn open(&self, cx: &Cx<'_>) -> String {
        let q = cx.quiz;
        let mut attrs = format!(
            " data-quiz-id=\"{}\" data-rev=\"{}\" data-salt=\"{}\" data-pass-mark=\"{}\" data-layout=\"{}\" data-reveal-mode=\"{}\"",
            escape(&q.id),
            q.rev,
            cx.salt,
            q.pass_mark,
            if q.one_at_a_time { "one" } else { "all" },
            q.reveal.name()
        );
        attrs.push_str(&self.steps());
        if let Some(d) = q.draw {
            let _ = write!(attrs, " data-draw=\"{d}\"");
        }
        if let Some(m) = q.max_attempts {
            let _ = write!(attrs, " data-max-attempts=\"{m}\"");
        }
        if q.shuffle_questions {
            attrs.push_str(" data-shuffle-questions");
        }
        let count = q.draw.unwrap_or(q.questions.len());
        let mut meta = format!("{count} {}", if count == 1 { "question" } else { "questions" });
        if q.draw.is_some() {
            let _ = write!(meta, " drawn from {} on each attempt", q.questions.len());
        }
        let _ = write!(meta, " · pass mark {}%", q.pass_mark);
        if let Some(m) = q.max_attempts {
            let _ = write!(meta, " · {m} {}", if m == 1 { "attempt" } else { "attempts" });
        }
        meta.push_str(match q.reveal {
            Reveal::Always => "",
            Reveal::AfterPass => " · answers shown once you pass",
            Reveal::AfterLastAttempt => " · answers shown after your last attempt",
            Reveal::Never => " · answers are not shown",
        });
        format!(
            "<section class=\"quiz\" id=\"{hid}\"{attrs} aria-labelledby=\"{hid}-title\">\n<h2 class=\"quiz-title\" id=\"{hid}-title\">{}</h2>\n<p class=\"quiz-meta\">{meta}</p>\n<p class=\"quiz-nojs\">Answering and scoring this quiz need JavaScript. You can still read the questions.</p>\n",
            escape(&q.title),
            hid = cx.hid,
        )
    }

    fn question(&self, cx: &Cx<'_>, n: usize, q: &Question, diags: &mut Vec<Diagnostic>) -> String {
        let qid = format!("{}-q{}", cx.hid, n + 1);
        let (kind, keyed, body) = self.body(cx, &qid, n, q, diags);
        let mut attrs = format!(" data-q=\"{n}\" data-kind=\"{kind}\" data-points=\"{}\"", q.points);
        if let Some(keyed) = &keyed {
            let _ = write!(attrs, " data-key=\"{}\"", hash(&cx.salt, &format!("{n}:{keyed}")));
        }
        if let Some(s) = q.shuffle.or(Some(cx.quiz.shuffle)).filter(|s| *s) {
            let _ = write!(attrs, " data-shuffle=\"{s}\"");
        }
        if Self::ships_answers(cx) {
            let reveal = self.reveal(cx, q, diags);
            if !reveal.is_empty() {
                let _ = write!(attrs, " data-reveal=\"{}\"", veil(&cx.salt, &reveal));
            }
            // The right values of the inputs, to mark them: the keyed string, and for a
            // tracing question only whether it compiles.
            if let Some(keyed) = &keyed {
                let solution = keyed.split('|').next().unwrap_or_default();
                let _ = write!(attrs, " data-solution=\"{}\"", veil(&cx.salt, solution));
            }
        }
        let prompt = self.md(cx, &q.prompt, false, diags);
        let mut html = format!(
            "<li class=\"quiz-question\" id=\"{qid}\"{attrs}>\n<fieldset class=\"quiz-fieldset\" aria-labelledby=\"{qid}-prompt\">\n<div class=\"quiz-prompt\" id=\"{qid}-prompt\">{prompt}</div>\n{body}</fieldset>\n"
        );
        if !q.hints.is_empty() {
            html.push_str("<div class=\"quiz-hints\">\n");
            for h in &q.hints {
                let _ = writeln!(html, "<div class=\"quiz-hint\" hidden>{}</div>", self.md(cx, h, false, diags));
            }
            html.push_str("</div>\n");
        }
        html.push_str("<div class=\"quiz-feedback\" hidden></div>\n</li>\n");
        html
    }

    /// `(kind, keyed string of the right answer, inputs)` of a question; typed answers have
    /// their keys on the input instead.
    fn body(
        &self,
        cx: &Cx<'_>,
        qid: &str,
        n: usize,
        q: &Question,
        diags: &mut Vec<Diagnostic>,
    ) -> (&'static str, Option<String>, String) {
        let h = |s: &str| hash(&cx.salt, &format!("{n}:{s}"));
        match &q.kind {
            Kind::Single { options, answer } => {
                ("single", Some(answer.to_string()), self.choices(cx, (qid, "radio", false), options, diags))
            }
            Kind::Multiple { options, answers } => {
                let key = answers.iter().map(ToString::to_string).collect::<Vec<_>>().join(",");
                ("multiple", Some(key), self.choices(cx, (qid, "checkbox", false), options, diags))
            }
            Kind::TrueFalse { answer, choices } => {
                ("true_false", Some(answer.to_string()), self.choices(cx, (qid, "radio", true), choices, diags))
            }
            Kind::Text { accept, regex, long } => {
                let (keys, pattern) = if *regex {
                    let list = serde_json::to_string(accept).unwrap_or_default();
                    (String::new(), format!(" data-pattern=\"{}\"", veil(&cx.salt, &list)))
                } else {
                    (accept.iter().map(|a| h(&normalize(a))).collect::<Vec<_>>().join(" "), String::new())
                };
                let field = if *long { "textarea" } else { "input" };
                let close = if *long { "></textarea>" } else { " type=\"text\">" };
                let input = format!(
                    "<label class=\"quiz-label\" for=\"{qid}-input\">Your answer</label>\n<{field} class=\"quiz-input\" id=\"{qid}-input\" autocomplete=\"off\" spellcheck=\"false\" disabled data-keys=\"{keys}\"{pattern}{close}\n"
                );
                ("text", None, input)
            }
            Kind::Order { items } => {
                let perm = scramble(&cx.salt, &format!("order:{n}"), items.len());
                let key: Vec<String> = (0..items.len()).map(|k| shown_at(&perm, k).to_string()).collect();
                ("order", Some(key.join(",")), self.order(cx, qid, items, &perm, diags))
            }
            Kind::Match { pairs } => {
                let perm = scramble(&cx.salt, &format!("match:{n}"), pairs.len());
                let key: Vec<String> = (0..pairs.len()).map(|k| shown_at(&perm, k).to_string()).collect();
                ("match", Some(key.join(",")), self.matching(cx, qid, pairs, &perm, diags))
            }
            Kind::Tracing { program, compiles, stdout, line } => {
                let key = if *compiles {
                    format!("yes|{}", normalize(stdout.as_deref().unwrap_or("")))
                } else {
                    format!("no|{}", line.map(|l| l.to_string()).unwrap_or_default())
                };
                ("tracing", Some(key), tracing(self.env, qid, program))
            }
        }
    }

    fn choices(
        &self,
        cx: &Cx<'_>,
        (qid, input, tf): (&str, &str, bool),
        options: &[Choice],
        diags: &mut Vec<Diagnostic>,
    ) -> String {
        let mut html = String::from("<ul class=\"quiz-options\">\n");
        for (i, c) in options.iter().enumerate() {
            let value = match (tf, i) {
                (true, 0) => "true".to_string(),
                (true, _) => "false".to_string(),
                _ => i.to_string(),
            };
            let fb = c
                .feedback
                .as_ref()
                .filter(|_| Self::ships_answers(cx))
                .map(|f| format!(" data-feedback=\"{}\"", veil(&cx.salt, &self.md(cx, f, false, diags))))
                .unwrap_or_default();
            let text = self.md(cx, &c.text, true, diags);
            let _ = writeln!(
                html,
                "<li class=\"quiz-option\"><label><input type=\"{input}\" name=\"{qid}\" value=\"{value}\" disabled{fb}> <span class=\"quiz-option-text\">{text}</span></label></li>"
            );
        }
        html.push_str("</ul>\n");
        html
    }

    fn order(&self, cx: &Cx<'_>, qid: &str, items: &[Md], perm: &[usize], diags: &mut Vec<Diagnostic>) -> String {
        let mut html = format!(
            "<p class=\"quiz-how\" id=\"{qid}-how\">Put these in the right order: select an item's Move up or Move down button, or drag it.</p>\n<ol class=\"quiz-order\" aria-describedby=\"{qid}-how\">\n"
        );
        for (p, i) in perm.iter().enumerate() {
            let text = self.md(cx, &items[*i], true, diags);
            let _ = writeln!(
                html,
                "<li class=\"quiz-order-item\" data-i=\"{p}\"><span class=\"quiz-item-text\">{text}</span></li>"
            );
        }
        html.push_str("</ol>\n");
        html
    }

    fn matching(
        &self,
        cx: &Cx<'_>,
        qid: &str,
        pairs: &[(Md, Md)],
        perm: &[usize],
        diags: &mut Vec<Diagnostic>,
    ) -> String {
        let mut choices = String::from("<option value=\"\">Choose…</option>");
        for i in perm {
            let text = plain(&self.md(cx, &pairs[*i].1, true, diags));
            let _ = write!(choices, "<option value=\"{}\">{text}</option>", shown_at(perm, *i));
        }
        let mut html = String::from("<ul class=\"quiz-match\">\n");
        for (j, (left, _)) in pairs.iter().enumerate() {
            let text = self.md(cx, left, true, diags);
            let _ = writeln!(
                html,
                "<li class=\"quiz-match-row\"><span class=\"quiz-match-left\" id=\"{qid}-l{j}\">{text}</span> <select class=\"quiz-select\" aria-labelledby=\"{qid}-l{j}\" disabled>{choices}</select></li>"
            );
        }
        html.push_str("</ul>\n");
        html
    }

    /// What is shown after answering: the solution, then the explanation.
    fn reveal(&self, cx: &Cx<'_>, q: &Question, diags: &mut Vec<Diagnostic>) -> String {
        let solution = match &q.kind {
            Kind::Single { options, answer } => self.md(cx, &options[*answer].text, true, diags),
            Kind::Multiple { options, answers } => {
                let items: Vec<String> = answers.iter().map(|a| self.md(cx, &options[*a].text, true, diags)).collect();
                list("ul", &items)
            }
            Kind::TrueFalse { answer, .. } => if *answer { "True" } else { "False" }.to_string(),
            Kind::Text { accept, regex: false, .. } => escape(&accept[0]),
            Kind::Text { .. } => String::new(),
            Kind::Order { items } => list("ol", &items.iter().map(|i| self.md(cx, i, true, diags)).collect::<Vec<_>>()),
            Kind::Match { pairs } => {
                let rows: Vec<String> = pairs
                    .iter()
                    .map(|(l, r)| format!("{} → {}", self.md(cx, l, true, diags), self.md(cx, r, true, diags)))
                    .collect();
                list("ul", &rows)
            }
            Kind::Tracing { compiles: true, stdout, .. } => match stdout {
                Some(s) => format!("It compiles and prints:<pre class=\"code\"><code>{}</code></pre>", escape(s)),
                None => "It compiles.".to_string(),
            },
            Kind::Tracing { line, .. } => match line {
                Some(l) => format!("It does not compile: the error is on line {l}."),
                None => "It does not compile.".to_string(),
            },
        };
        let mut html = String::new();
        if !solution.is_empty() {
            let _ = write!(
                html,
                "<div class=\"quiz-solution\"><p class=\"quiz-solution-title\">Answer</p>{solution}</div>"
            );
        }
        if let Some(e) = &q.explain {
            let _ = write!(html, "<div class=\"quiz-explain\">{}</div>", self.md(cx, e, false, diags));
        }
        html
    }

    /// Markdown to HTML; `inline` drops the paragraph around a one-paragraph text. Problems are
    /// reported at the quiz string that held the Markdown.
    fn md(&self, cx: &Cx<'_>, m: &Md, inline: bool, diags: &mut Vec<Diagnostic>) -> String {
        let page = Page {
            path: cx.quiz.path.clone(),
            text: m.text.as_str().into(),
            body: 0..m.text.len(),
            out: self.out.to_string(),
        };
        let mut local = Vec::new();
        let html = markdown::render(&page, self.env, &mut local).html;
        diags.extend(local.into_iter().map(|d| Diagnostic { span: Some(m.span.clone()), ..d }));
        let trimmed = html.trim_end();
        match trimmed.strip_prefix("<p>").and_then(|s| s.strip_suffix("</p>")) {
            Some(inner) if inline && !inner.contains("<p>") => inner.to_string(),
            _ => trimmed.to_string(),
        }
    }
}

fn tracing(env: &Env<'_>, qid: &str, program: &str) -> String {
    let code = env.highlighter.highlight("rust", program);
    format!(
        "{code}<ul class=\"quiz-options\">\n<li class=\"quiz-option\"><label><input type=\"radio\" name=\"{qid}\" value=\"yes\" disabled> <span class=\"quiz-option-text\">It compiles</span></label></li>\n<li class=\"quiz-option\"><label><input type=\"radio\" name=\"{qid}\" value=\"no\" disabled> <span class=\"quiz-option-text\">It does not compile</span></label></li>\n</ul>\n<label class=\"quiz-label\" for=\"{qid}-stdout\">If it compiles, what does it print?</label>\n<textarea class=\"quiz-input\" id=\"{qid}-stdout\" data-role=\"stdout\" disabled></textarea>\n<label class=\"quiz-label\" for=\"{qid}-line\">If it does not, on which line is the error?</label>\n<input class=\"quiz-input quiz-line\" id=\"{qid}-line\" type=\"number\" min=\"1\" inputmode=\"numeric\" data-role=\"line\" disabled>\n"
    )
}

fn list(tag: &str, items: &[String]) -> String {
    let mut html = format!("<{tag}>");
    for i in items {
        let _ = write!(html, "<li>{i}</li>");
    }
    let _ = write!(html, "</{tag}>");
    html
}

/// Tags removed from rendered inline Markdown, for `<option>` text (entities stay escaped).
fn plain(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// A quiz id made safe for an HTML id: `listening/quiz` → `listening-quiz`.
pub(crate) fn dom_id(id: &str) -> String {
    id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' }).collect()
}
