//! A quiz's result in a real browser (headless Chromium over WebDriver): a submission with
//! unanswered questions is refused and counts for nothing; `reveal` decides when the correct
//! answers, feedback and explanations appear; the result sits above the questions with the
//! attempts, the best score and what to do next; the learner's own wrong choice is marked in
//! words; reopening the quiz shows the last attempt.

use serde_json::{json, Value};

use crate::support::browser::{serve, Browser};
use crate::support::SiteTest;

/// Two modules, `M` (with `quiz` as its assessment) and `N`; `extra` goes into `[quiz]`.
fn site(quiz_defaults: &str, quiz: &str) -> SiteTest {
    SiteTest::new(&format!("title = \"T\"\nid = \"t\"\n[quiz]\n{quiz_defaults}"))
        .write("content/modules/01-m/_module.md", "+++\ntitle = \"M\"\n+++\n")
        .write("content/modules/01-m/01-l.md", "+++\ntitle = \"L\"\n+++\nText.\n")
        .write("content/modules/01-m/quiz.toml", quiz)
        .write("content/modules/02-n/_module.md", "+++\ntitle = \"N\"\n+++\n")
        .write("content/modules/02-n/01-k.md", "+++\ntitle = \"K\"\n+++\nText.\n")
}

/// Builds `t`, serves it and opens M's assessment in a browser.
fn open(t: SiteTest) -> Option<(SiteTest, Browser)> {
    let b = Browser::start()?;
    t.build_ok();
    b.goto(&format!("{}modules/m/quiz.html", serve(&t.out())));
    wait_enhanced(&b);
    Some((t, b))
}

fn wait_enhanced(b: &Browser) {
    b.wait_until(10, "quiz.js", |b| {
        b.execute("return !!document.querySelector('.quiz.is-enhanced')", &[]) == json!(true)
    });
}

fn js(b: &Browser, script: &str) -> Value {
    b.execute(script, &[])
}

fn text(b: &Browser, css: &str) -> String {
    js(b, &format!("var e = document.querySelector({css:?}); return e ? e.textContent : ''"))
        .as_str()
        .unwrap_or("")
        .to_string()
}

/// The quiz's saved entry, or null.
fn saved(b: &Browser) -> Value {
    let raw = js(b, "return localStorage.getItem('skillbook:t')");
    let doc: Value = serde_json::from_str(raw.as_str().unwrap_or("null")).unwrap_or(Value::Null);
    doc["quizzes"]["m/quiz"].clone()
}

/// What the page shows, as a learner reads it (hidden elements left out).
fn shown(b: &Browser) -> String {
    js(b, "return document.querySelector('.quiz').innerText").as_str().unwrap_or("").to_string()
}

fn submit(b: &Browser) {
    b.click(&b.find(".quiz-submit"));
}

const THREE: &str = r#"title = "Three"
pass_mark = 100
[[question]]
kind = "single"
prompt = "Pick the second."
options = ["First", "Second"]
answer = 1
feedback = ["Feedbackalpha", "Feedbackbravo"]
explain = "Explaindelta."
[[question]]
kind = "text"
prompt = "Type the magic word."
accept = ["Xylophonic"]
[[question]]
kind = "order"
prompt = "Put them in order."
items = ["One", "Two"]
"#;

#[test]
fn an_empty_submission_counts_for_nothing_and_names_every_question() {
    let Some((_t, b)) = open(site("", THREE)) else { return };
    submit(&b);
    assert_eq!(
        text(&b, ".quiz-check"),
        "Not submitted: answer every question first. Not answered yet: questions 1, 2 and 3."
    );
    assert_eq!(js(&b, "return document.querySelector('.quiz-check').getAttribute('aria-live')"), json!("polite"));
    assert_eq!(saved(&b), Value::Null, "an empty submission is not an attempt");
    // Nothing is graded or revealed: no verdict, no feedback, no score.
    assert_eq!(js(&b, "return document.querySelectorAll('.quiz-feedback:not([hidden]), .quiz-mark').length"), json!(0));
    assert_eq!(text(&b, ".quiz-status"), "");
    let page = shown(&b);
    for secret in ["Explaindelta", "Feedbackalpha", "Xylophonic", "Not quite"] {
        assert!(!page.contains(secret), "{secret} shown:\n{page}");
    }
    // Every question says so, and the first one has the focus.
    let notes = "return Array.from(document.querySelectorAll('.quiz-missing')).filter(n => !n.hidden).map(n => n.closest('.quiz-question').id)";
    assert_eq!(js(&b, notes), json!(["quiz-m-quiz-q1", "quiz-m-quiz-q2", "quiz-m-quiz-q3"]));
    assert_eq!(js(&b, "return document.activeElement.name"), json!("quiz-m-quiz-q1"));
    assert_eq!(
        js(&b, "return document.querySelector('#quiz-m-quiz-q1 .quiz-fieldset').getAttribute('aria-describedby')"),
        json!("quiz-m-quiz-q1-missing")
    );
    // Inputs stay open: the learner can answer now.
    assert_eq!(js(&b, "return document.querySelector('.quiz-input').disabled"), json!(false));
}

#[test]
fn a_partial_submission_is_refused_naming_the_unanswered_and_focusing_the_first() {
    let Some((_t, b)) = open(site("", THREE)) else { return };
    b.click(&b.find("input[value='1']"));
    submit(&b);
    assert_eq!(
        text(&b, ".quiz-check"),
        "Not submitted: answer every question first. Not answered yet: questions 2 and 3."
    );
    assert_eq!(js(&b, "return document.activeElement.id"), json!("quiz-m-quiz-q2-input"));
    assert_eq!(saved(&b), Value::Null);
    // Answering a question takes its note away; the others keep theirs.
    b.send_keys(&b.find(".quiz-input"), "xylophonic");
    let flagged = "return Array.from(document.querySelectorAll('.quiz-question.is-unanswered')).map(q => q.id)";
    assert_eq!(js(&b, flagged), json!(["quiz-m-quiz-q3"]));
    submit(&b);
    assert_eq!(text(&b, ".quiz-check"), "Not submitted: answer every question first. Not answered yet: question 3.");
    // The order question's first control, its first Move button, has the focus.
    assert_eq!(js(&b, "return document.activeElement.closest('.quiz-question').id"), json!("quiz-m-quiz-q3"));
    // An order question counts as answered once an item is moved.
    js(&b, "document.querySelector('#quiz-m-quiz-q3 .quiz-order-item:last-child .quiz-move').click()");
    assert_eq!(js(&b, flagged), json!([]));
    assert_eq!(text(&b, ".quiz-check"), "", "the message goes when every question is answered");
    submit(&b);
    assert!(text(&b, ".quiz-status").starts_with("You scored"), "{}", text(&b, ".quiz-status"));
    assert_eq!(saved(&b)["attempts"], json!(1));
}

#[test]
fn one_question_at_a_time_goes_back_to_the_unanswered_question() {
    let quiz = "one_at_a_time = true\n[[question]]\nkind = \"true_false\"\nprompt = \"Q one.\"\nanswer = true\n[[question]]\nkind = \"true_false\"\nprompt = \"Q two.\"\nanswer = true\n";
    let Some((_t, b)) = open(site("", quiz)) else { return };
    b.click(&b.find(".quiz-next"));
    b.click(&b.find("#quiz-m-quiz-q2 input[value='true']"));
    submit(&b);
    assert_eq!(text(&b, ".quiz-check"), "Not submitted: answer every question first. Not answered yet: question 1.");
    let visible =
        "return Array.from(document.querySelectorAll('.quiz-question')).filter(q => !q.hidden).map(q => q.id)";
    assert_eq!(js(&b, visible), json!(["quiz-m-quiz-q1"]));
    assert_eq!(js(&b, "return document.activeElement.name"), json!("quiz-m-quiz-q1"));
    assert_eq!(saved(&b), Value::Null);
}

/// The single-choice question of `THREE` with `reveal` and `max_attempts` set.
fn one_question(settings: &str) -> String {
    format!(
        "title = \"One\"\n{settings}\n[[question]]\nkind = \"single\"\nprompt = \"Pick the second.\"\noptions = [\"First\", \"Second\"]\nanswer = 1\nfeedback = [\"Feedbackalpha\", \"Feedbackbravo\"]\nexplain = \"Explaindelta.\"\n"
    )
}

/// Answers the one question with option `pick` and submits.
fn answer(b: &Browser, pick: u8) {
    b.click(&b.find(&format!("input[value='{pick}']")));
    submit(b);
}

fn retry(b: &Browser) {
    b.click(&b.find(".quiz-steps .quiz-retry"));
}

/// Whether the answer, its feedback and the explanation are on show.
fn revealed(b: &Browser) -> (bool, bool, bool) {
    let page = shown(b);
    (
        page.contains("Correct answer"),
        page.contains("Feedbackalpha") || page.contains("Feedbackbravo"),
        page.contains("Explaindelta"),
    )
}

const ALL: (bool, bool, bool) = (true, true, true);
const NONE: (bool, bool, bool) = (false, false, false);

#[test]
fn reveal_always_shows_answers_after_every_attempt() {
    let Some((_t, b)) = open(site("", &one_question(""))) else { return };
    assert_eq!(js(&b, "return document.querySelector('.quiz').dataset.revealMode"), json!("always"));
    answer(&b, 0);
    assert_eq!(revealed(&b), ALL, "{}", shown(&b));
    assert!(shown(&b).contains("Feedbackalpha"));
}

#[test]
fn reveal_after_pass_hides_answers_until_the_learner_passes() {
    let Some((_t, b)) = open(site("", &one_question("reveal = \"after_pass\""))) else { return };
    answer(&b, 0);
    assert_eq!(revealed(&b), NONE, "{}", shown(&b));
    assert!(
        text(&b, ".quiz-status").contains("The correct answers are shown once you pass."),
        "{}",
        text(&b, ".quiz-status")
    );
    // The learner is still told their answer was wrong.
    assert!(text(&b, ".quiz-option.is-wrong-pick").contains("Your answer — incorrect"));
    retry(&b);
    answer(&b, 1);
    assert_eq!(
        revealed(&b),
        (false, true, true),
        "feedback and explanation once passed (the pick is the answer):\n{}",
        shown(&b)
    );
    assert!(shown(&b).contains("Feedbackbravo"));
    // The solution is unveiled too.
    assert!(shown(&b).contains("Answer\n\nSecond"), "{}", shown(&b));
}

#[test]
fn reveal_after_pass_comes_from_the_site_default() {
    let Some((_t, b)) = open(site("reveal = \"after_pass\"\n", &one_question(""))) else { return };
    answer(&b, 0);
    assert_eq!(revealed(&b), NONE, "{}", shown(&b));
}

#[test]
fn reveal_after_last_attempt_waits_for_the_last_attempt_even_after_a_pass() {
    let Some((_t, b)) = open(site("", &one_question("reveal = \"after_last_attempt\"\nmax_attempts = 3"))) else {
        return;
    };
    answer(&b, 1);
    assert_eq!(revealed(&b), NONE, "a pass with attempts left:\n{}", shown(&b));
    assert!(text(&b, ".quiz-status").contains("The correct answers are shown after your last attempt."));
    retry(&b);
    answer(&b, 0);
    assert_eq!(revealed(&b), NONE, "attempt 2 of 3:\n{}", shown(&b));
    retry(&b);
    answer(&b, 0);
    assert_eq!(revealed(&b), ALL, "the last attempt:\n{}", shown(&b));
    // Reopened, the last attempt still shows them.
    b.reload();
    wait_enhanced(&b);
    assert_eq!(revealed(&b), ALL, "reopened:\n{}", shown(&b));
}

#[test]
fn reveal_never_shows_no_answer_and_the_page_carries_none() {
    let Some((_t, b)) = open(site("", &one_question("reveal = \"never\"\nmax_attempts = 1"))) else { return };
    let carried = "return document.querySelectorAll('[data-reveal], [data-solution], [data-feedback]').length";
    assert_eq!(js(&b, carried), json!(0));
    answer(&b, 1);
    assert_eq!(revealed(&b), NONE, "{}", shown(&b));
    let status = text(&b, ".quiz-status");
    assert!(status.contains("passed.") && status.contains("This quiz does not show the correct answers."), "{status}");
    assert!(text(&b, ".quiz-option.is-right-pick").contains("Your answer — correct"));
    b.reload();
    wait_enhanced(&b);
    assert_eq!(revealed(&b), NONE, "reopened after the last attempt:\n{}", shown(&b));
}

#[test]
fn the_wrong_choice_is_marked_in_words_next_to_the_correct_one() {
    let quiz = "[[question]]\nkind = \"single\"\nprompt = \"Pick the second.\"\noptions = [\"First\", \"Second\", \"Third\"]\nanswer = 1\n[[question]]\nkind = \"multiple\"\nprompt = \"Pick A and B.\"\noptions = [\"A\", \"B\", \"C\"]\nanswers = [0, 1]\n";
    let Some((_t, b)) = open(site("", quiz)) else { return };
    b.click(&b.find("input[name='quiz-m-quiz-q1'][value='0']"));
    b.click(&b.find("input[name='quiz-m-quiz-q2'][value='0']"));
    b.click(&b.find("input[name='quiz-m-quiz-q2'][value='2']"));
    submit(&b);
    let marks = "return Array.from(document.querySelectorAll('.quiz-option')).map(o => o.querySelector('.quiz-option-text').textContent + ': ' + Array.from(o.querySelectorAll('.quiz-mark')).map(m => m.textContent.trim()).join(''))";
    let mut got: Vec<String> =
        js(&b, marks).as_array().expect("list").iter().map(|v| v.as_str().unwrap_or("").to_string()).collect();
    got.sort();
    assert_eq!(
        got,
        [
            "A: ✓ Your answer — correct",
            "B: → Correct answer — not chosen",
            "C: ✗ Your answer — incorrect",
            "First: ✗ Your answer — incorrect",
            "Second: → Correct answer",
            "Third: ",
        ]
    );
    // The icon is decoration; the words are what a screen reader hears, in the option's name.
    assert_eq!(js(&b, "return document.querySelector('.quiz-mark-icon').getAttribute('aria-hidden')"), json!("true"));
    let label = "return document.querySelector(\"input[name='quiz-m-quiz-q1'][value='0']\").closest('label').innerText";
    assert!(js(&b, label).as_str().unwrap_or("").contains("Your answer — incorrect"));
    // Not colour alone, and not only greyed out: the wrong choice has its own border and mark.
    let style =
        "var o = document.querySelector('.quiz-option.is-wrong-pick label'); return getComputedStyle(o).borderTopWidth";
    assert_eq!(js(&b, style), json!("2px"));
}

#[test]
fn the_result_is_at_the_top_with_attempts_best_score_and_what_to_do_next() {
    let Some((_t, b)) = open(site("", &one_question("max_attempts = 2"))) else { return };
    answer(&b, 0);
    // Above the questions: the score, then the attempts and the best score.
    let order = "return !!(document.querySelector('.quiz-result').compareDocumentPosition(document.querySelector('.quiz-questions')) & Node.DOCUMENT_POSITION_FOLLOWING)";
    assert_eq!(js(&b, order), json!(true));
    assert_eq!(js(&b, "return document.activeElement.className"), json!("quiz-status"));
    assert_eq!(text(&b, ".quiz-score"), "You scored 0% (0 of 1 question right). The pass mark is 80%: not passed yet.");
    assert_eq!(text(&b, ".quiz-attempt"), "Attempt 1 of 2 · best 0%");
    // Failed with an attempt left: Try again comes first.
    let steps = "return Array.from(document.querySelectorAll('.quiz-steps > *')).filter(e => !e.hidden).map(e => e.textContent + (e.href ? ' ' + e.getAttribute('href') : ''))";
    assert_eq!(js(&b, steps), json!(["Try again", "Back to M index.html"]));
    retry(&b);
    answer(&b, 1);
    assert_eq!(text(&b, ".quiz-attempt"), "Attempt 2 of 2 · best 100%");
    // Passed: on to the next module, or back to this one.
    assert_eq!(js(&b, steps), json!(["Continue to N ../n/index.html", "Back to M index.html"]));
}

#[test]
fn out_of_attempts_the_result_says_what_to_do() {
    let Some((_t, b)) = open(site("", &one_question("max_attempts = 1"))) else { return };
    answer(&b, 0);
    assert_eq!(
        text(&b, ".quiz-advice"),
        "You have no attempts left. Review the lessons of M. If you need another attempt, ask the person who runs this training."
    );
    let steps = "return Array.from(document.querySelectorAll('.quiz-steps > *')).filter(e => !e.hidden).map(e => e.textContent)";
    assert_eq!(js(&b, steps), json!(["Back to M"]));
    assert_eq!(js(&b, "return document.querySelector('.quiz-retry-end').hidden"), json!(true));
}

#[test]
fn reopening_shows_the_last_attempt_and_the_best_score() {
    let quiz = THREE.replace("pass_mark = 100", "pass_mark = 100\nmax_attempts = 3");
    let Some((_t, b)) = open(site("", &quiz)) else { return };
    // The two items are shown in the wrong order (Two, One): Move down on the first one
    // puts them right.
    let order_right =
        "document.querySelector('#quiz-m-quiz-q3 .quiz-order-item:first-child .quiz-move:last-child').click()";
    // Attempt 1: the choice and the order right, the typed answer wrong: 67%.
    b.click(&b.find("input[value='1']"));
    b.send_keys(&b.find(".quiz-input"), "xylophone");
    js(&b, order_right);
    submit(&b);
    assert_eq!(saved(&b)["best"], json!(67), "{}", saved(&b));
    // Attempt 2: only the order right: 33%.
    b.click(&b.find(".quiz-steps .quiz-retry"));
    b.click(&b.find("input[value='0']"));
    b.send_keys(&b.find(".quiz-input"), "marimba");
    js(&b, order_right);
    submit(&b);
    assert_eq!(saved(&b)["last"]["score"], json!(33), "{}", saved(&b));

    b.reload();
    wait_enhanced(&b);
    assert_eq!(
        text(&b, ".quiz-score"),
        "Your last attempt scored 33% (1 of 3 questions right). The pass mark is 100%: not passed yet."
    );
    assert_eq!(text(&b, ".quiz-attempt"), "Attempt 2 of 3 · best 67%");
    // The answers of that attempt, back in place, locked and marked.
    assert_eq!(js(&b, "return document.querySelector(\"input[value='0']\").checked"), json!(true));
    assert_eq!(js(&b, "return document.querySelector('.quiz-input').value"), json!("marimba"));
    assert_eq!(js(&b, "return document.querySelector('.quiz-input').disabled"), json!(true));
    assert!(text(&b, ".quiz-option.is-wrong-pick").contains("Your answer — incorrect"));
    assert_eq!(saved(&b)["attempts"], json!(2), "reopening is not an attempt");
    // Try again starts attempt 3 afresh.
    b.click(&b.find(".quiz-steps .quiz-retry"));
    assert_eq!(js(&b, "return document.querySelector('.quiz-input').value"), json!(""));
    assert_eq!(text(&b, ".quiz-status"), "");
}

#[test]
fn a_saved_attempt_that_does_not_fit_the_quiz_starts_a_new_one() {
    let Some((_t, b)) = open(site("", THREE)) else { return };
    let rev = js(&b, "return document.querySelector('.quiz').dataset.rev");
    // Well-formed, but for questions this quiz does not have, or values its inputs cannot take.
    for answers in [json!([{"q": 7, "v": ["1"]}]), json!([{"q": 2, "v": ["9", "8"]}]), json!([])] {
        let doc = json!({"v": 1, "quizzes": {"m/quiz": {"best": 40, "attempts": 1, "rev": rev, "last": {"score": 40, "answers": answers}}}});
        js(&b, &format!("localStorage.setItem('skillbook:t', {:?})", doc.to_string()));
        b.reload();
        wait_enhanced(&b);
        assert_eq!(js(&b, "return document.querySelector('.quiz-submit').hidden"), json!(false), "{answers}");
        assert_eq!(js(&b, "return document.querySelector('.quiz-input').disabled"), json!(false), "{answers}");
        assert_eq!(text(&b, ".quiz-attempt"), "Attempt 1 · best 40%", "{answers}: the figures are still shown");
        assert_eq!(js(&b, "return document.querySelectorAll('.quiz-question:not([hidden])').length"), json!(3));
    }
}
