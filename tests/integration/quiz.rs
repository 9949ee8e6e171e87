//! Quizzes at build time: every kind parsed and rendered, no answer in plain sight, every
//! author mistake reported at its line, mdbook-quiz files read unchanged, embedded quizzes.

use crate::support::{snapshot, tree, SiteTest};

/// A quiz with one question of every kind; its answers are words that appear nowhere else.
pub(crate) const EVERY_KIND: &str = include_str!("../fixtures/quiz-every-kind/content/modules/01-m/quiz.toml");

#[test]
fn every_kind_is_parsed_and_rendered() {
    let t = SiteTest::fixture("quiz-every-kind");
    t.assert_build();
    // The module page links to its assessment; the quiz page has one question of every kind,
    // prompts in Markdown, inputs disabled until quiz.js enhances them, hints hidden.
    snapshot!("every_kind_module", t.main("modules/m/index.html"));
    snapshot!("every_kind_quiz", t.main("modules/m/quiz.html"));
    // The page loads the quiz script; other pages do not.
    assert!(t.page("modules/m/quiz.html").contains("assets/quiz."), "no quiz.js on the quiz page");
    assert!(!t.page("modules/m/l.html").contains("assets/quiz."));
}

#[test]
fn order_items_are_never_listed_in_the_right_order() {
    let t = SiteTest::fixture("quiz-every-kind");
    t.assert_build();
    let html = t.page("modules/m/quiz.html");
    let pos: Vec<usize> = ["Step one", "Step two", "Step three", "Step four"]
        .iter()
        .map(|s| html.find(&format!("<span class=\"quiz-item-text\">{s}</span>")).expect("item"))
        .collect();
    assert!(pos.windows(2).any(|w| w[0] > w[1]), "items are in the correct order");
}

#[test]
fn no_answer_text_appears_in_the_built_html_or_js() {
    let t = SiteTest::fixture("quiz-every-kind");
    t.assert_build();
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
    let t = SiteTest::fixture("quiz-every-kind");
    t.assert_build();
    let first = tree(&t.out());
    t.assert_build();
    assert_eq!(tree(&t.out()), first);
}

/// One test per mistake an author makes in `quiz.toml`, `name: text;`: the quiz is put in a
/// good site, and the build fails with exit code 1 and the stderr of the snapshot
/// `integration__quiz__mistake_<name>` (the mistake's line and column, and a hint).
macro_rules! mistakes {
    ($($name:ident: $quiz:expr;)*) => {$(
        #[test]
        fn $name() {
            SiteTest::fixture("one-lesson")
                .write("content/modules/01-m/quiz.toml", $quiz)
                .expected_exit(1)
                .stderr_snapshot(concat!("mistake_", stringify!($name)))
                .assert_build();
        }
    )*};
}

mod mistake {
    use crate::support::SiteTest;

    mistakes! {
        unknown_kind: "[[question]]\nkind = \"singel\"\nprompt = \"p\"\n";
        missing_prompt: "title = \"T\"\n\n[[question]]\nkind = \"true_false\"\nanswer = true\n";
        no_correct_answer: "[[question]]\nkind = \"multiple\"\nprompt = \"p\"\noptions = [\"a\", \"b\"]\nanswers = []\n";
        missing_answer: "[[question]]\nkind = \"single\"\nprompt = \"p\"\noptions = [\"a\", \"b\"]\n";
        answer_out_of_range: "[[question]]\nkind = \"single\"\nprompt = \"p\"\noptions = [\"a\", \"b\", \"c\"]\nanswer = 3\n";
        duplicate_option: "[[question]]\nkind = \"single\"\nprompt = \"p\"\noptions = [\"Yes\", \"No\", \"yes \"]\nanswer = 0\n";
        pass_mark_out_of_range: "pass_mark = 120\n[[question]]\nkind = \"true_false\"\nprompt = \"p\"\nanswer = true\n";
        unknown_key: "[[question]]\nkind = \"single\"\nprompt = \"p\"\noptions = [\"a\", \"b\"]\nanswer = 0\nexplian = \"x\"\n";
        empty_quiz: "title = \"Nothing here\"\n";
        key_of_another_kind: "[[question]]\nkind = \"single\"\nprompt = \"p\"\noptions = [\"a\", \"b\"]\nanswer = 0\naccept = [\"a\"]\n";
        feedback_of_the_wrong_length: "[[question]]\nkind = \"single\"\nprompt = \"p\"\noptions = [\"a\", \"b\"]\nanswer = 0\nfeedback = [\"x\"]\n";
        invalid_pattern: "[[question]]\nkind = \"text\"\nprompt = \"p\"\nregex = true\naccept = [\"(open\"]\n";
        draw_larger_than_the_bank: "draw = 2\n[[question]]\nkind = \"true_false\"\nprompt = \"p\"\nanswer = true\n";
        malformed_toml: "[[question]]\nkind = \"single\nprompt = \"p\"\n";
        unknown_mdbook_quiz_type: "[[questions]]\ntype = \"MultipleChoise\"\nprompt.prompt = \"p\"\nanswer.answer = \"a\"\n";
    }
}

#[test]
fn unknown_key_gets_a_did_you_mean() {
    SiteTest::fixture("one-lesson")
        .write("content/modules/01-m/quiz.toml", "[[question]]\nkind = \"single\"\nprompt = \"p\"\noptions = [\"a\", \"b\"]\nanswer = 0\nexplian = \"x\"\n")
        .expected_exit(1)
        .expected_stderr("content/modules/01-m/quiz.toml:6:1: error: unknown key `explian` in a question\n  = help: did you mean `explain`?\nbuild failed with 1 error\n")
        .assert_build();
}

#[test]
fn a_folder_of_mdbook_quiz_files_builds() {
    // quiz.toml and rust.quiz.toml are the same mdbook-quiz file; more.quiz.toml has a key
    // skillbook does not support, which is a warning.
    let t = SiteTest::fixture("mdbook-quiz").stderr_snapshot("mdbook_warning");
    t.assert_build();
    // The lesson embeds two quiz files; the assessment has every mdbook-quiz type (a tracing
    // question shows its program); options are shuffled unless answerIndex fixes the answer.
    snapshot!("mdbook_lesson", t.main("modules/m/l.html"));
    snapshot!("mdbook_quiz", t.main("modules/m/quiz.html"));
    assert!(t.page("modules/m/l.html").contains("assets/quiz."));
    assert!(!t.page("modules/m/quiz.html").to_lowercase().contains("let mut"), "an accepted answer is in the page");
    assert_eq!(t.run(&["check", "--strict"]).code, 1, "warnings fail a strict check");
}

#[test]
fn inline_quiz_blocks_are_embedded_with_ids_by_position() {
    let t = SiteTest::fixture("quiz-embedded");
    t.assert_build();
    // The quiz sits between the texts around its block, and the block is not shown as code.
    snapshot!("embedded", t.main("modules/m/l.html"));
}

#[test]
fn broken_quiz_blocks_are_reported_in_the_lesson() {
    SiteTest::fixture("quiz-blocks-broken").expected_exit(1).stderr_snapshot("broken_blocks").assert_build();
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
