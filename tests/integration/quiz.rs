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

/// A quiz of two questions, with `settings` at the top.
fn reveal_quiz(settings: &str) -> String {
    format!(
        "{settings}\n[[question]]\nkind = \"single\"\nprompt = \"p\"\noptions = [\"a\", \"b\"]\nanswer = 0\nfeedback = [\"Yes\", \"No\"]\nexplain = \"Why\"\n[[question]]\nkind = \"text\"\nprompt = \"q\"\naccept = [\"word\"]\n"
    )
}

#[test]
fn a_wrong_reveal_in_the_site_config_names_the_choices_at_its_place() {
    SiteTest::fixture("one-lesson")
        .write("skillbook.toml", "title = \"T\"\nid = \"t\"\n[quiz]\nreveal = \"sometimes\"\n")
        .expected_exit(1)
        .expected_stderr("skillbook.toml:4:10: error: `reveal = \"sometimes\"` is not one of the choices\n  = help: `reveal` says when learners see the correct answers and explanations: use \"always\" (after every attempt), \"after_pass\", \"after_last_attempt\" or \"never\"\nbuild failed with 1 error\n")
        .assert_build();
}

#[test]
fn a_mistyped_reveal_in_a_quiz_gets_a_did_you_mean() {
    SiteTest::fixture("one-lesson")
        .write("content/modules/01-m/quiz.toml", &reveal_quiz("reveal = \"afterpass\""))
        .expected_exit(1)
        .expected_stderr("content/modules/01-m/quiz.toml:1:10: error: `reveal = \"afterpass\"` is not one of the choices\n  = help: did you mean `after_pass`? `reveal` is one of \"always\" (after every attempt), \"after_pass\", \"after_last_attempt\" or \"never\"\nbuild failed with 1 error\n")
        .assert_build();
}

#[test]
fn reveal_after_the_last_attempt_needs_a_limit_on_attempts() {
    SiteTest::fixture("one-lesson")
        .write("content/modules/01-m/quiz.toml", &reveal_quiz("reveal = \"after_last_attempt\""))
        .expected_exit(1)
        .expected_stderr("content/modules/01-m/quiz.toml:1:10: error: `reveal = \"after_last_attempt\"` needs `max_attempts`: with unlimited attempts there is no last attempt\n  = help: add a line like max_attempts = 3, or use reveal = \"after_pass\" or \"never\"\nbuild failed with 1 error\n")
        .assert_build();
    // With a limit it builds, in either format.
    let t = SiteTest::fixture("one-lesson")
        .write("content/modules/01-m/quiz.toml", &reveal_quiz("reveal = \"after_last_attempt\"\nmax_attempts = 2"));
    t.assert_build();
    assert!(t.page("modules/m/quiz.html").contains(" data-reveal-mode=\"after_last_attempt\""));
    let mdbook = "reveal = \"after_pass\"\n[[questions]]\ntype = \"ShortAnswer\"\nprompt.prompt = \"p\"\nanswer.answer = \"a\"\n";
    let t = SiteTest::fixture("one-lesson").write("content/modules/01-m/quiz.toml", mdbook);
    t.assert_build();
    assert!(t.page("modules/m/quiz.html").contains(" data-reveal-mode=\"after_pass\""));
}

/// The `data-` attributes of the page that carry answers, feedback and explanations (veiled).
fn carried(html: &str) -> [usize; 3] {
    ["data-reveal=", "data-solution=", "data-feedback="].map(|a| html.matches(a).count())
}

#[test]
fn reveal_never_leaves_solutions_feedback_and_explanations_out_of_the_page() {
    let t = SiteTest::fixture("one-lesson").write("content/modules/01-m/quiz.toml", &reveal_quiz(""));
    t.assert_build();
    let always = t.page("modules/m/quiz.html");
    assert_eq!(carried(&always), [2, 1, 2], "the default, always, carries them veiled");
    assert!(always.contains(" data-reveal-mode=\"always\""));
    let t = t.write("content/modules/01-m/quiz.toml", &reveal_quiz("reveal = \"never\""));
    t.assert_build();
    let never = t.page("modules/m/quiz.html");
    assert_eq!(carried(&never), [0, 0, 0]);
    assert!(never.contains(" data-reveal-mode=\"never\"") && never.contains("answers are not shown"));
    // Grading still works from the hashes.
    assert!(never.contains(" data-key=\"") && never.contains(" data-keys=\""));
}

#[test]
fn the_site_default_reveal_applies_to_every_quiz_and_a_quiz_overrides_it() {
    // Embedded quizzes take the default; after_last_attempt on unlimited attempts shows nothing.
    let t = SiteTest::fixture("quiz-embedded")
        .write("skillbook.toml", "title = \"T\"\nid = \"t\"\n[quiz]\nreveal = \"after_last_attempt\"\n");
    t.assert_build();
    let lesson = t.page("modules/m/l.html");
    assert!(lesson.contains(" data-reveal-mode=\"never\""), "{lesson}");
    assert_eq!(carried(&lesson), [0, 0, 0]);
    let t = SiteTest::fixture("one-lesson")
        .write("skillbook.toml", "title = \"T\"\nid = \"t\"\n[quiz]\nreveal = \"never\"\n")
        .write("content/modules/01-m/quiz.toml", &reveal_quiz("reveal = \"after_pass\""));
    t.assert_build();
    let page = t.page("modules/m/quiz.html");
    assert!(page.contains(" data-reveal-mode=\"after_pass\"") && page.contains("answers shown once you pass"));
    assert_eq!(carried(&page), [2, 1, 2]);
}
