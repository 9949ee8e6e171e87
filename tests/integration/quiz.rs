//! Quizzes at build time: every kind parsed and rendered, no answer in plain sight, every
//! author mistake reported at its line, mdbook-quiz files read unchanged, embedded quizzes.

use crate::support::{main_of, tree, SiteTest};

const CONFIG: &str = "title = \"T\"\nid = \"t\"\n";
const MODULE: &str = "+++\ntitle = \"M\"\n+++\n";
const LESSON: &str = "+++\ntitle = \"L\"\n+++\n## Intro\nText.\n";

/// A quiz with one question of every kind; its answers are words that appear nowhere else.
pub(crate) const EVERY_KIND: &str = r#"title = "Every kind"
pass_mark = 60

[[question]]
kind = "single"
prompt = "Pick **the second**."
options = ["First", "Second", "Third"]
answer = 1
feedback = ["Feedbackalpha", "Feedbackbravo", "Feedbackcharlie"]
explain = "Explaindelta."

[[question]]
kind = "multiple"
prompt = "Pick first and third."
options = ["First", "Second", "Third"]
answers = [0, 2]
hints = ["Two of them."]

[[question]]
kind = "true_false"
prompt = "The sky is green."
answer = false

[[question]]
kind = "text"
prompt = "Type the magic word."
accept = ["Xylophonic", "xylo phonic"]

[[question]]
kind = "order"
prompt = "Order the steps."
items = ["Step one", "Step two", "Step three", "Step four"]
points = 2

[[question]]
kind = "match"
prompt = "Match them."
pairs = [["Left one", "Right one"], ["Left two", "Right two"], ["Left three", "Right three"]]
"#;

fn site(quiz: &str) -> SiteTest {
    SiteTest::new(CONFIG)
        .write("content/modules/01-m/_module.md", MODULE)
        .write("content/modules/01-m/01-l.md", LESSON)
        .write("content/modules/01-m/quiz.toml", quiz)
}

#[test]
fn every_kind_is_parsed_and_rendered() {
    let t = site(EVERY_KIND);
    t.build_ok();
    let module = t.page("modules/m/index.html");
    assert!(module.contains("href=\"../../modules/m/quiz.html\""), "{module}");
    let html = t.page("modules/m/quiz.html");
    let main = main_of(&html);
    for kind in ["single", "multiple", "true_false", "text", "order", "match"] {
        assert!(main.contains(&format!("data-kind=\"{kind}\"")), "no {kind} question in\n{main}");
    }
    assert!(main.contains("data-quiz-id=\"m/quiz\""));
    assert!(main.contains("data-pass-mark=\"60\""));
    assert!(main.contains("<p>Pick <strong>the second</strong>.</p>"), "prompts are Markdown");
    assert!(main.contains("<input type=\"radio\" name=\"quiz-m-quiz-q1\" value=\"1\" disabled"), "{main}");
    assert!(main.contains("<input type=\"checkbox\" name=\"quiz-m-quiz-q2\" value=\"0\" disabled"));
    assert!(main.contains("value=\"false\" disabled"));
    assert!(main.contains("<div class=\"quiz-hint\" hidden><p>Two of them.</p></div>"));
    assert!(main.contains("data-points=\"2\""));
    assert_eq!(main.matches("<li class=\"quiz-order-item\"").count(), 4);
    assert_eq!(main.matches("<select class=\"quiz-select\"").count(), 3);
    // The page loads the quiz script; other pages do not.
    assert!(html.contains("assets/quiz."), "no quiz.js on the quiz page");
    assert!(!t.page("modules/m/l.html").contains("assets/quiz."));
}

#[test]
fn order_items_are_never_listed_in_the_right_order() {
    let t = site(EVERY_KIND);
    t.build_ok();
    let html = t.page("modules/m/quiz.html");
    let pos: Vec<usize> = ["Step one", "Step two", "Step three", "Step four"]
        .iter()
        .map(|s| html.find(&format!("<span class=\"quiz-item-text\">{s}</span>")).expect("item"))
        .collect();
    assert!(pos.windows(2).any(|w| w[0] > w[1]), "items are in the correct order");
}

#[test]
fn no_answer_text_appears_in_the_built_html_or_js() {
    let t = site(EVERY_KIND);
    t.build_ok();
    for (path, bytes) in tree(&t.out()) {
        if !(path.ends_with(".html") || path.ends_with(".js")) {
            continue;
        }
        let text = String::from_utf8_lossy(&bytes).to_lowercase();
        for secret in ["xylophonic", "xylo phonic", "feedbackbravo", "feedbackalpha", "explaindelta", "answer = "] {
            assert!(!text.contains(secret), "{path} contains {secret:?}");
        }
    }
}

#[test]
fn builds_are_deterministic_with_quizzes() {
    let t = site(EVERY_KIND);
    t.build_ok();
    let first = tree(&t.out());
    t.build_ok();
    assert_eq!(tree(&t.out()), first);
}

/// (case, quiz.toml text, expected first line of the diagnostic)
const MISTAKES: &[(&str, &str, &str)] = &[
    (
        "unknown kind",
        "[[question]]\nkind = \"singel\"\nprompt = \"p\"\n",
        "content/modules/01-m/quiz.toml:2:8: error: unknown question kind `singel`",
    ),
    (
        "missing prompt",
        "title = \"T\"\n\n[[question]]\nkind = \"true_false\"\nanswer = true\n",
        "content/modules/01-m/quiz.toml:3:1: error: question has no `prompt`",
    ),
    (
        "no correct answer",
        "[[question]]\nkind = \"multiple\"\nprompt = \"p\"\noptions = [\"a\", \"b\"]\nanswers = []\n",
        "content/modules/01-m/quiz.toml:5:11: error: question has no correct answer: `answers` is empty",
    ),
    (
        "missing answer",
        "[[question]]\nkind = \"single\"\nprompt = \"p\"\noptions = [\"a\", \"b\"]\n",
        "content/modules/01-m/quiz.toml:1:1: error: question has no correct answer: `answer` is missing",
    ),
    (
        "answer out of range",
        "[[question]]\nkind = \"single\"\nprompt = \"p\"\noptions = [\"a\", \"b\", \"c\"]\nanswer = 3\n",
        "content/modules/01-m/quiz.toml:5:10: error: answer 3 is out of range: there are 3 options, numbered 0 to 2",
    ),
    (
        "duplicate option",
        "[[question]]\nkind = \"single\"\nprompt = \"p\"\noptions = [\"Yes\", \"No\", \"yes \"]\nanswer = 0\n",
        "content/modules/01-m/quiz.toml:4:25: error: duplicate option `yes`",
    ),
    (
        "pass mark out of range",
        "pass_mark = 120\n[[question]]\nkind = \"true_false\"\nprompt = \"p\"\nanswer = true\n",
        "content/modules/01-m/quiz.toml:1:13: error: `pass_mark` is 120, outside 0..=100",
    ),
    (
        "unknown key",
        "[[question]]\nkind = \"single\"\nprompt = \"p\"\noptions = [\"a\", \"b\"]\nanswer = 0\nexplian = \"x\"\n",
        "content/modules/01-m/quiz.toml:6:1: error: unknown key `explian` in a question",
    ),
    (
        "empty quiz",
        "title = \"Nothing here\"\n",
        "content/modules/01-m/quiz.toml:1:1: error: this quiz has no questions",
    ),
    (
        "key of another kind",
        "[[question]]\nkind = \"single\"\nprompt = \"p\"\noptions = [\"a\", \"b\"]\nanswer = 0\naccept = [\"a\"]\n",
        "content/modules/01-m/quiz.toml:6:1: error: `accept` does not apply to a `single` question",
    ),
    (
        "feedback of the wrong length",
        "[[question]]\nkind = \"single\"\nprompt = \"p\"\noptions = [\"a\", \"b\"]\nanswer = 0\nfeedback = [\"x\"]\n",
        "content/modules/01-m/quiz.toml:6:12: error: `feedback` has 1 entries but there are 2 options",
    ),
    (
        "invalid pattern",
        "[[question]]\nkind = \"text\"\nprompt = \"p\"\nregex = true\naccept = [\"(open\"]\n",
        "content/modules/01-m/quiz.toml:5:11: error: invalid pattern `(open`",
    ),
    (
        "draw larger than the bank",
        "draw = 2\n[[question]]\nkind = \"true_false\"\nprompt = \"p\"\nanswer = true\n",
        "content/modules/01-m/quiz.toml:1:8: error: `draw` is 2, but the quiz has only 1 questions",
    ),
    (
        "malformed TOML",
        "[[question]]\nkind = \"single\nprompt = \"p\"\n",
        "content/modules/01-m/quiz.toml:2:15: error: invalid TOML in quiz",
    ),
    (
        "unknown mdbook-quiz type",
        "[[questions]]\ntype = \"MultipleChoise\"\nprompt.prompt = \"p\"\nanswer.answer = \"a\"\n",
        "content/modules/01-m/quiz.toml:2:8: error: unknown question type `MultipleChoise`",
    ),
];

#[test]
fn each_author_mistake_names_its_line() {
    for (case, text, expected) in MISTAKES {
        let t = site(text);
        let run = t.run(&["build"]);
        assert_eq!(run.code, 1, "{case}: exit code\n{}", run.stderr);
        let first = run.stderr.lines().next().unwrap_or("");
        assert!(first.starts_with(expected), "{case}:\n expected: {expected}\n got:      {first}\n{}", run.stderr);
        assert!(run.stderr.contains("  = help: "), "{case}: no hint\n{}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{case}");
    }
}

#[test]
fn unknown_key_gets_a_did_you_mean() {
    let run = site(
        "[[question]]\nkind = \"single\"\nprompt = \"p\"\noptions = [\"a\", \"b\"]\nanswer = 0\nexplian = \"x\"\n",
    )
    .run(&["build"]);
    assert!(run.stderr.contains("= help: did you mean `explain`?"), "{}", run.stderr);
}

const MDBOOK_RUST: &str = r#"[[questions]]
type = "ShortAnswer"
prompt.prompt = "What is the keyword for declaring a variable in Rust?"
answer.answer = "let"
answer.alternatives = ["let mut"]
context = "For example, you can write: `let x = 1`"

[[questions]]
type = "MultipleChoice"
prompt.prompt = "What does it mean if a variable `x` is immutable?"
prompt.distractors = [
  "`x` is stored in the immutable region of memory.",
  "After being defined, `x` can be changed at most once.",
]
answer.answer = "`x` cannot be changed after being assigned to a value."
context = "Immutable means not changeable."

[[questions]]
type = "MultipleChoice"
prompt.prompt = "Which are integer types?"
prompt.distractors = ["f32", "bool"]
prompt.answerIndex = 1
answer.answer = ["i32", "u8"]
id = "b1a2"

[[questions]]
type = "Tracing"
prompt.program = """
fn main() {
  let x = 1;
  println!("{x}");
  x += 1;
}
"""
answer.doesCompile = false
answer.lineNumber = 4
context = "`x` is not `mut`."

[[questions]]
type = "Tracing"
prompt.program = """
fn main() { println!("hi"); }
"""
answer.doesCompile = true
answer.stdout = "hi"
"#;

const MDBOOK_WARN: &str = r#"[[questions]]
type = "ShortAnswer"
prompt.prompt = "Name a Rust keyword."
prompt.response = "short"
answer.answer = "fn"
answer.unsupportedThing = true
"#;

#[test]
fn a_folder_of_mdbook_quiz_files_builds() {
    let lesson = "+++\ntitle = \"L\"\n+++\n## Check\n\n```quiz\nfile = \"rust.quiz.toml\"\n```\n\nAnd:\n\n```quiz\nfile = \"more.quiz.toml\"\n```\n";
    let t = SiteTest::new(CONFIG)
        .write("content/modules/01-m/_module.md", MODULE)
        .write("content/modules/01-m/01-l.md", lesson)
        .write("content/modules/01-m/quiz.toml", MDBOOK_RUST)
        .write("content/modules/01-m/rust.quiz.toml", MDBOOK_RUST)
        .write("content/modules/01-m/more.quiz.toml", MDBOOK_WARN);
    let run = t.build_ok();
    assert!(
        run.stderr.contains(
            "content/modules/01-m/more.quiz.toml:6:8: warning: `unsupportedThing` in a ShortAnswer answer is not supported by skillbook and is ignored"
        ),
        "{}",
        run.stderr
    );
    let html = t.page("modules/m/l.html");
    assert!(html.contains("data-quiz-id=\"m/l/rust\""), "{html}");
    assert!(html.contains("data-quiz-id=\"m/l/more\""));
    assert!(html.contains("assets/quiz."));
    let quiz = t.page("modules/m/quiz.html");
    for kind in ["text", "single", "multiple", "tracing"] {
        assert!(quiz.contains(&format!("data-kind=\"{kind}\"")), "no {kind}");
    }
    assert!(quiz.contains("<pre class=\"code\" data-lang=\"rust\">"), "tracing shows the program");
    assert!(!quiz.to_lowercase().contains("let mut"), "an accepted answer is in the page");
    // mdbook-quiz shuffles options unless answerIndex fixes the answer's place.
    assert_eq!(quiz.matches("data-kind=\"single\" data-points=\"1\" data-key").count(), 1);
    assert!(quiz.contains("data-kind=\"multiple\" data-points=\"1\" data-key=\""));
    assert_eq!(t.run(&["check", "--strict"]).code, 1, "warnings fail a strict check");
}

#[test]
fn inline_quiz_blocks_are_embedded_with_ids_by_position() {
    let lesson = "+++\ntitle = \"L\"\n+++\nRead this.\n\n```quiz\ntitle = \"Quick check\"\n[[question]]\nkind = \"true_false\"\nprompt = \"Listening is for everyone.\"\nanswer = true\n```\n\nMore text.\n";
    let t = SiteTest::new(CONFIG)
        .write("content/modules/01-m/_module.md", MODULE)
        .write("content/modules/01-m/01-l.md", lesson);
    t.build_ok();
    let main = main_of(&t.page("modules/m/l.html")).to_string();
    let quiz = main.find("data-quiz-id=\"m/l/1\"").expect("embedded quiz");
    assert!(main.find("Read this.").expect("text") < quiz);
    assert!(quiz < main.find("More text.").expect("text"));
    assert!(!main.contains("<pre class=\"code\" data-lang=\"quiz\""), "the block is not shown as code");
}

#[test]
fn broken_quiz_blocks_are_reported_in_the_lesson() {
    let lesson = "+++\ntitle = \"L\"\n+++\nText.\n\n```quiz\n[[question]]\nkind = \"text\"\nprompt = \"p\"\n```\n\n```quiz\nfile = \"gone.quiz.toml\"\n```\n";
    let t = SiteTest::new(CONFIG)
        .write("content/modules/01-m/_module.md", MODULE)
        .write("content/modules/01-m/01-l.md", lesson)
        .write("content/playbooks/p.md", "+++\ntitle = \"P\"\n+++\n```quiz\nfile = \"x.quiz.toml\"\n```\n");
    let run = t.run(&["build"]);
    assert_eq!(run.code, 1);
    let errors: Vec<&str> = run.stderr.lines().filter(|l| l.contains(": error: ")).collect();
    assert_eq!(
        errors,
        [
            "content/modules/01-m/01-l.md:7:1: error: question has no correct answer: `accept` is missing",
            "content/modules/01-m/01-l.md:13:8: error: quiz file `gone.quiz.toml` does not exist",
            "content/playbooks/p.md:4:1: error: quiz blocks can only be embedded in lessons",
        ],
        "{}",
        run.stderr
    );
}

#[test]
fn sample_training_quizzes_all_build() {
    let t = SiteTest::sample();
    t.build_ok();
    for module in [
        "brand-representation",
        "success-metrics",
        "listening",
        "story-harvesting",
        "engagement",
        "policy-and-security",
    ] {
        let html = t.page(&format!("modules/{module}/quiz.html"));
        let count = html.matches("<li class=\"quiz-question\"").count();
        assert!((5..=10).contains(&count), "{module}: {count} questions");
    }
    assert!(t.page("modules/listening/why-listen.html").contains("data-quiz-id=\"listening/why-listen/1\""));
    let dashboard = t.page("modules/success-metrics/reading-the-monthly-dashboard.html");
    assert!(dashboard.contains("data-quiz-id=\"success-metrics/reading-the-monthly-dashboard/traps\""));
}
