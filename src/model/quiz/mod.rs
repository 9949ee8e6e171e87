//! Model stage: quizzes. Reads a quiz file, in skillbook's own format (`native.rs`) or in
//! mdbook-quiz's (`mdbook.rs`), told apart by their keys, into a checked `Quiz`; every author
//! mistake becomes a diagnostic at its line and column. Quizzes embedded in lessons are found
//! by `embed.rs`.

mod embed;
pub(crate) mod mdbook;
pub(crate) mod native;
pub(crate) mod reveal;

pub(crate) use embed::{blocks, embedded, fence_lang, is_block};
pub(crate) use reveal::Reveal;

use std::ops::Range;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::fields::{get, Reader};
use crate::diagnostic::{Diagnostic, Severity};
use crate::load::value::{parse_toml, Entry, Value};

/// Markdown text and the byte range of the string that held it in its file.
#[derive(Debug, Clone)]
pub(crate) struct Md {
    /// The Markdown source.
    pub(crate) text: String,
    /// Byte range in the file.
    pub(crate) span: Range<usize>,
}

/// One option of a choice question.
#[derive(Debug, Clone)]
pub(crate) struct Choice {
    /// The option, Markdown.
    pub(crate) text: Md,
    /// Shown after answering when the learner picked this option.
    pub(crate) feedback: Option<Md>,
}

/// What a question asks and its correct answer.
#[derive(Debug, Clone)]
pub(crate) enum Kind {
    /// One option is right.
    Single { options: Vec<Choice>, answer: usize },
    /// Several options are right, all of them must be picked.
    Multiple { options: Vec<Choice>, answers: Vec<usize> },
    /// True or false; `choices` are the two, with their feedback.
    TrueFalse { answer: bool, choices: Vec<Choice> },
    /// A typed answer compared with `accept` (normalised), or matched by `accept` patterns.
    Text { accept: Vec<String>, regex: bool, long: bool },
    /// Items to put in order; listed here in the correct order.
    Order { items: Vec<Md> },
    /// Left items to pair with right items; listed here as correct pairs.
    Match { pairs: Vec<(Md, Md)> },
    /// mdbook-quiz's program tracing: does it compile, and what does it print or where does it fail.
    Tracing { program: String, compiles: bool, stdout: Option<String>, line: Option<u32> },
}

/// One question of a quiz.
#[derive(Debug, Clone)]
pub(crate) struct Question {
    /// The question, Markdown.
    pub(crate) prompt: Md,
    /// Kind and answer.
    pub(crate) kind: Kind,
    /// Weight in the score.
    pub(crate) points: u32,
    /// Shown one at a time on request.
    pub(crate) hints: Vec<Md>,
    /// Shown after answering.
    pub(crate) explain: Option<Md>,
    /// Overrides the quiz's `shuffle` for this question (mdbook-quiz shuffles by default).
    pub(crate) shuffle: Option<bool>,
}

/// A checked quiz.
#[derive(Debug, Clone)]
pub(crate) struct Quiz {
    /// Progress id: `<module>/quiz`, or `<module>/<lesson>/<n or file stem>` when embedded.
    pub(crate) id: String,
    /// File the quiz was read from (a lesson, for inline quizzes); links resolve from here.
    pub(crate) path: PathBuf,
    /// Title.
    pub(crate) title: String,
    /// Percent needed to pass.
    pub(crate) pass_mark: u8,
    /// Shuffle options of each question on every attempt.
    pub(crate) shuffle: bool,
    /// Shuffle the order of questions on every attempt.
    pub(crate) shuffle_questions: bool,
    /// Ask this many questions drawn from the bank on each attempt.
    pub(crate) draw: Option<usize>,
    /// Attempts allowed; `None` is unlimited.
    pub(crate) max_attempts: Option<u32>,
    /// Show one question at a time instead of all on one page.
    pub(crate) one_at_a_time: bool,
    /// When correct answers, explanations and feedback are shown. `AfterLastAttempt` only
    /// with `max_attempts`: a site default of it on a quiz with unlimited attempts is `Never`.
    pub(crate) reveal: Reveal,
    /// The question bank.
    pub(crate) questions: Vec<Question>,
    /// Hash of the quiz's source text: a learner's result is for this revision.
    pub(crate) rev: String,
}

/// Where a quiz's text comes from.
pub(crate) struct Source<'a> {
    /// File, relative to the site folder.
    pub(crate) path: &'a Path,
    /// The TOML text.
    pub(crate) text: &'a str,
    /// Byte offset of `text` in the file.
    pub(crate) offset: usize,
    /// Progress id of the quiz.
    pub(crate) id: String,
}

/// What a quiz takes from `[quiz]` of `skillbook.toml` when it does not say.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Defaults {
    /// Percent needed to pass.
    pub(crate) pass_mark: u8,
    /// When answers are shown.
    pub(crate) reveal: Reveal,
}

/// The settings every quiz file may have, in either format.
pub(crate) const SETTINGS: &[&str] =
    &["title", "pass_mark", "shuffle", "shuffle_questions", "draw", "max_attempts", "one_at_a_time", "reveal"];

pub(crate) const NATIVE_KEYS: &[&str] = &[
    "title",
    "pass_mark",
    "shuffle",
    "shuffle_questions",
    "draw",
    "max_attempts",
    "one_at_a_time",
    "reveal",
    "question",
];

/// Reads and checks one quiz; `None` when it has errors (they are in `diags`).
pub(crate) fn read(src: &Source<'_>, defaults: Defaults, diags: &mut Vec<Diagnostic>) -> Option<Quiz> {
    let doc = match parse_toml(src.text) {
        Ok(doc) => doc,
        Err(e) => {
            let (message, hint) = match e.hint {
                Some(hint) => (e.message, hint),
                None => (
                    format!("invalid TOML in quiz: {}", e.message.lines().next().unwrap_or("").trim()),
                    "quiz files are TOML; see docs/quizzes.md for the format".into(),
                ),
            };
            diags.push(Diagnostic::error(src.path, Some(e.span), message).with_hint(hint).offset(src.offset));
            return None;
        }
    };
    let Value::Table(top) = &doc.value else {
        return None;
    };
    let errors = |d: &[Diagnostic]| d.iter().filter(|d| d.severity == Severity::Error).count();
    let before = errors(diags);
    let mut r = Reader::new(src.path, src.offset, diags);
    let mdbook = get(top, "questions").is_some() && get(top, "question").is_none();
    let questions = if mdbook {
        mdbook::questions(&mut r, top)
    } else {
        r.unknown_keys(top, NATIVE_KEYS, "a quiz", Severity::Error);
        native::questions(&mut r, top)
    };
    let mut quiz = settings(&mut r, top, defaults, questions.len());
    if questions.is_empty() && errors(r.diags) == before {
        let key = if mdbook { "[[questions]]" } else { "[[question]]" };
        r.diags.push(
            Diagnostic::error(src.path, Some(src.offset..src.offset), "this quiz has no questions")
                .with_hint(format!("add at least one question, starting with a line {key}")),
        );
    }
    if errors(r.diags) > before {
        return None;
    }
    quiz.id.clone_from(&src.id);
    quiz.path = src.path.to_path_buf();
    quiz.questions = questions;
    quiz.rev = rev(src.text);
    Some(quiz)
}

/// Quiz-wide settings; `count` is the size of the bank, to check `draw` against.
fn settings(r: &mut Reader<'_>, top: &[Entry], defaults: Defaults, count: usize) -> Quiz {
    let title = r.string(top, "title").map_or_else(|| "Check yourself".to_string(), |t| t.value);
    let pass_mark =
        r.integer(top, "pass_mark", 0, 100).map_or(defaults.pass_mark, |p| u8::try_from(p.value).unwrap_or(100));
    let draw = r.integer(top, "draw", 1, i64::from(u32::MAX)).map(|d| {
        let n = usize::try_from(d.value).unwrap_or(usize::MAX);
        if count > 0 && n > count {
            let message = format!("`draw` is {n}, but the quiz has only {count} questions");
            r.diags.push(
                Diagnostic::error(r.path(), Some(d.span), message)
                    .with_hint(format!("draw at most {count}, or add questions to the bank")),
            );
        }
        n
    });
    let max_attempts = r.integer(top, "max_attempts", 1, 1000).map(|m| u32::try_from(m.value).unwrap_or(1));
    let reveal = reveal_setting(r, top, defaults.reveal, get(top, "max_attempts").is_some());
    Quiz {
        id: String::new(),
        path: PathBuf::new(),
        title,
        pass_mark,
        shuffle: r.boolean(top, "shuffle").is_some_and(|b| b.value),
        shuffle_questions: r.boolean(top, "shuffle_questions").is_some_and(|b| b.value),
        draw,
        max_attempts,
        one_at_a_time: r.boolean(top, "one_at_a_time").is_some_and(|b| b.value),
        reveal,
        questions: Vec::new(),
        rev: String::new(),
    }
}

/// The quiz's `reveal`, or the site's. A quiz that asks for `after_last_attempt` must limit
/// its attempts (`limited`), or there is no last attempt; the site default of it leaves a
/// quiz with unlimited attempts showing nothing.
fn reveal_setting(r: &mut Reader<'_>, top: &[Entry], default: Reveal, limited: bool) -> Reveal {
    match reveal::read(r, top) {
        Some(own) if own.value == Reveal::AfterLastAttempt && !limited => {
            let message = "`reveal = \"after_last_attempt\"` needs `max_attempts`: with unlimited attempts there is no last attempt";
            let hint = "add a line like max_attempts = 3, or use reveal = \"after_pass\" or \"never\"";
            r.diags.push(Diagnostic::error(r.path(), Some(own.span), message).with_hint(hint));
            Reveal::Never
        }
        Some(own) => own.value,
        None if default == Reveal::AfterLastAttempt && !limited => Reveal::Never,
        None => default,
    }
}

/// Short hash of a quiz's source: its revision.
fn rev(text: &str) -> String {
    crate::hex::hex(&Sha256::digest(text.as_bytes())[..6])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quiz(text: &str) -> (Option<Quiz>, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let src = Source { path: Path::new("q.toml"), text, offset: 0, id: "m/quiz".into() };
        (read(&src, Defaults { pass_mark: 80, reveal: Reveal::Always }, &mut diags), diags)
    }

    #[test]
    fn settings_are_read() {
        let (q, d) = quiz("title = \"T\"\npass_mark = 50\ndraw = 1\nshuffle = true\n[[question]]\nkind = \"true_false\"\nprompt = \"p\"\nanswer = true\n");
        assert!(d.is_empty(), "{d:?}");
        let q = q.expect("valid");
        assert_eq!((q.pass_mark, q.draw, q.shuffle, q.questions.len()), (50, Some(1), true, 1));
        assert_eq!(q.rev.len(), 12);
    }

    #[test]
    fn empty_quiz_and_bad_draw_are_errors() {
        let (q, d) = quiz("title = \"T\"\n");
        assert!(q.is_none());
        assert_eq!(d[0].message, "this quiz has no questions");
        let (_, d) = quiz("draw = 3\n[[question]]\nkind = \"true_false\"\nprompt = \"p\"\nanswer = true\n");
        assert!(d[0].message.contains("only 1 questions"), "{d:?}");
    }
}
