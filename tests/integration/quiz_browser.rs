//! Quizzes in a real browser (headless Chromium over WebDriver): grading, feedback, retry,
//! draws, keyboard-only completion of every kind, and the result saved in localStorage.

use serde_json::{json, Value};

use crate::quiz::EVERY_KIND;
use crate::support::browser::{keys, serve, Browser};
use crate::support::SiteTest;

const CONFIG: &str = "title = \"T\"\nid = \"t\"\n";

/// Builds a one-module site with `quiz` as its assessment, serves it, and opens the quiz page.
fn open(quiz: &str) -> Option<(SiteTest, Browser, String)> {
    let browser = Browser::start()?;
    let t = SiteTest::new(CONFIG)
        .write("content/modules/01-m/_module.md", "+++\ntitle = \"M\"\n+++\n")
        .write("content/modules/01-m/01-l.md", "+++\ntitle = \"L\"\n+++\nText.\n")
        .write("content/modules/01-m/quiz.toml", quiz);
    t.build_ok();
    let base = serve(&t.out());
    browser.goto(&format!("{base}modules/m/quiz.html"));
    browser.wait_until(10, "quiz.js", |b| {
        b.execute("return !!document.querySelector('.quiz.is-enhanced')", &[]) == json!(true)
    });
    Some((t, browser, base))
}

fn status(b: &Browser) -> String {
    b.text(&b.find(".quiz-status"))
}

fn saved(b: &Browser) -> Value {
    let raw = b.execute("return localStorage.getItem('skillbook:t')", &[]);
    serde_json::from_str(raw.as_str().unwrap_or("null")).unwrap_or(Value::Null)
}

#[test]
fn js_hash_matches_the_rust_hash() {
    let Some((_t, b, _)) = open(EVERY_KIND) else { return };
    // Same fixed values as the unit test of src/render/quiz_key.rs.
    assert_eq!(b.execute("return Skillbook.quiz.hash('0123456789abcdef', '0:1')", &[]), json!("18db4e17420f28db"));
    assert_eq!(
        b.execute("return Skillbook.quiz.sha256('abc')", &[]),
        json!("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    );
    assert_eq!(b.execute("return Skillbook.quiz.normalize('  Closing   the\\tLOOP ')", &[]), json!("closing the loop"));
}

const TWO: &str = r#"title = "Two"
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
"#;

#[test]
fn wrong_then_right_with_score_feedback_retry_and_saved_result() {
    let Some((_t, b, base)) = open(TWO) else { return };
    b.click(&b.find("input[value='0']"));
    b.send_keys(&b.find(".quiz-input"), "xylophone");
    b.click(&b.find(".quiz-submit"));
    let s = status(&b);
    assert!(s.contains("You scored 0%") && s.contains("not passed yet"), "{s}");
    let fb = b.text(&b.find("#quiz-m-quiz-q1 .quiz-feedback"));
    assert!(fb.contains("Not quite") && fb.contains("Feedbackalpha") && fb.contains("Explaindelta"), "{fb}");
    assert!(b.text(&b.find("#quiz-m-quiz-q2 .quiz-feedback")).contains("Xylophonic"), "the solution is revealed");

    b.click(&b.find(".quiz-retry"));
    assert_eq!(b.execute("return document.querySelector('.quiz-input').value", &[]), json!(""));
    b.click(&b.find("input[value='1']"));
    b.send_keys(&b.find(".quiz-input"), "  XYLOPHONIC ");
    b.click(&b.find(".quiz-submit"));
    let s = status(&b);
    assert!(s.contains("You scored 100%") && s.contains("passed."), "{s}");
    assert!(b.text(&b.find("#quiz-m-quiz-q1 .quiz-feedback")).contains("Feedbackbravo"));

    let rev = b.execute("return document.querySelector('.quiz').dataset.rev", &[]);
    let stored = &saved(&b)["quizzes"]["m/quiz"];
    assert_eq!((stored["best"].clone(), stored["attempts"].clone()), (json!(100), json!(2)), "{stored}");
    assert_eq!(stored["rev"], rev);
    assert!(stored["passed"].as_str().is_some_and(|d| d.ends_with('Z')), "{stored}");

    b.goto(&format!("{base}modules/m/index.html"));
    b.reload();
    b.wait_until(5, "best score", |b| b.text(&b.find(".quiz-best")).contains("Your best score: 100%"));
    assert_eq!(saved(&b)["quizzes"]["m/quiz"]["attempts"], json!(2));
}

#[test]
fn progress_store_keeps_other_fields_and_survives_bad_values() {
    let Some((_t, b, _)) = open(TWO) else { return };
    b.execute(
        "localStorage.setItem('skillbook:t', JSON.stringify({v: 1, role: 'hr', lessons: {'m/l': {done: '2026-01-02T03:04:05Z'}}}))",
        &[],
    );
    b.execute("Skillbook.progress.recordQuiz('m/quiz', {score: 50, passed: false, rev: 'r1'})", &[]);
    let doc = saved(&b);
    assert_eq!(doc["role"], json!("hr"));
    assert_eq!(doc["lessons"]["m/l"]["done"], json!("2026-01-02T03:04:05Z"));
    assert_eq!(doc["quizzes"]["m/quiz"]["best"], json!(50));
    // A new revision of the quiz keeps the earlier result aside.
    b.execute("Skillbook.progress.recordQuiz('m/quiz', {score: 90, passed: true, rev: 'r2'})", &[]);
    let q = &saved(&b)["quizzes"]["m/quiz"];
    assert_eq!(
        (q["best"].clone(), q["attempts"].clone(), q["earlier"]["best"].clone()),
        (json!(90), json!(1), json!(50))
    );
    // A corrupt value never breaks the page: it is kept under another key.
    b.execute("localStorage.setItem('skillbook:t', '{not json')", &[]);
    b.execute("Skillbook.progress.recordQuiz('m/quiz', {score: 10, passed: false, rev: 'r2'})", &[]);
    assert_eq!(saved(&b)["quizzes"]["m/quiz"]["attempts"], json!(1));
    let aside =
        b.execute("return Object.keys(localStorage).filter(k => k.startsWith('skillbook:t:aside:')).length", &[]);
    assert_eq!(aside, json!(1));
}

const BANK: &str = r#"title = "Bank"
draw = 2
max_attempts = 3
one_at_a_time = true
[[question]]
kind = "true_false"
prompt = "Q one."
answer = true
[[question]]
kind = "true_false"
prompt = "Q two."
answer = true
[[question]]
kind = "true_false"
prompt = "Q three."
answer = true
[[question]]
kind = "true_false"
prompt = "Q four."
answer = true
"#;

/// Ids of the questions of the last attempt (after submitting, all of them are shown).
fn asked(b: &Browser) -> Value {
    b.execute(
        "return Array.from(document.querySelectorAll('.quiz-question')).filter(q => !q.hidden).map(q => q.id).sort()",
        &[],
    )
}

/// Answers "True" to the question shown (one question at a time).
fn answer_shown(b: &Browser) {
    b.execute(
        "Array.from(document.querySelectorAll('.quiz-question')).find(q => !q.hidden).querySelector(\"input[value='true']\").click()",
        &[],
    );
}

/// One attempt of `BANK`, one question at a time: answer, Next, answer, Submit.
fn take_bank(b: &Browser) {
    answer_shown(b);
    b.click(&b.find(".quiz-next"));
    answer_shown(b);
    b.click(&b.find(".quiz-submit"));
}

#[test]
fn draw_asks_different_questions_each_attempt_and_attempts_are_limited() {
    let Some((_t, b, _)) = open(BANK) else { return };
    // One question at a time: the second is shown after Next.
    let visible = "return Array.from(document.querySelectorAll('.quiz-question')).filter(q => !q.hidden).length";
    assert_eq!(b.execute(visible, &[]), json!(1));
    answer_shown(&b);
    b.click(&b.find(".quiz-next"));
    assert_eq!(b.execute(visible, &[]), json!(1));
    answer_shown(&b);
    b.click(&b.find(".quiz-submit"));
    let first = asked(&b);
    assert_eq!(first.as_array().map(Vec::len), Some(2), "{first}");
    b.click(&b.find(".quiz-retry"));
    take_bank(&b);
    let second = asked(&b);
    assert_ne!(first, second, "a draw of 2 from 4 repeats the last draw");
    b.click(&b.find(".quiz-retry"));
    take_bank(&b);
    assert!(status(&b).contains("You have no attempts left"), "{}", status(&b));
    assert_eq!(b.execute("return document.querySelector('.quiz-retry').hidden", &[]), json!(true));
    b.reload();
    b.wait_until(5, "locked quiz", |b| status(b).contains("You have used all 3 attempts"));
}

/// Presses Tab until the focused element matches `css`.
fn tab_to(b: &Browser, css: &str) {
    for _ in 0..80 {
        if b.execute("return document.activeElement.matches(arguments[0])", &[json!(css)]) == json!(true) {
            return;
        }
        b.press(keys::TAB);
    }
    panic!("Tab never reached {css}");
}

#[test]
fn every_kind_can_be_completed_with_the_keyboard_only() {
    let Some((_t, b, _)) = open(&EVERY_KIND.replace("pass_mark = 60", "pass_mark = 100")) else { return };
    b.execute("document.activeElement.blur(); window.scrollTo(0, 0)", &[]);
    // single: arrow keys move the choice within the radio group.
    tab_to(&b, "input[name='quiz-m-quiz-q1']");
    b.press(keys::DOWN);
    // multiple: Space ticks a checkbox.
    tab_to(&b, "input[name='quiz-m-quiz-q2'][value='0']");
    b.press(keys::SPACE);
    tab_to(&b, "input[name='quiz-m-quiz-q2'][value='2']");
    b.press(keys::SPACE);
    // true_false
    tab_to(&b, "input[name='quiz-m-quiz-q3']");
    b.press(keys::DOWN);
    // text
    tab_to(&b, "#quiz-m-quiz-q4-input");
    b.press("xylophonic");
    // order: Move up buttons, step by step.
    for (k, step) in ["Step one", "Step two", "Step three", "Step four"].iter().enumerate() {
        let position = |b: &Browser| {
            b.execute("return Array.from(document.querySelectorAll('#quiz-m-quiz-q5 .quiz-item-text')).map(e => e.textContent).indexOf(arguments[0])", &[json!(step)]).as_u64().and_then(|i| usize::try_from(i).ok()).expect("index")
        };
        if position(&b) > k {
            tab_to(&b, &format!("#quiz-m-quiz-q5 button[aria-label='Move up: {step}']"));
            while position(&b) > k {
                b.press(keys::ENTER);
            }
        }
    }
    // match: type the answer into each focused select.
    for (j, right) in ["Right one", "Right two", "Right three"].iter().enumerate() {
        tab_to(&b, &format!("select[aria-labelledby='quiz-m-quiz-q6-l{j}']"));
        b.press(right);
    }
    tab_to(&b, ".quiz-submit");
    b.press(keys::ENTER);
    let s = status(&b);
    assert!(s.contains("You scored 100%"), "{s}\n{}", b.execute("return Array.from(document.querySelectorAll('.quiz-question')).map(q => q.id + ' ' + q.className).join('\\n')", &[]));
    assert_eq!(b.execute("return document.activeElement.classList.contains('quiz-status')", &[]), json!(true));
    let live = b.execute("return document.querySelector('.quiz-status').getAttribute('aria-live')", &[]);
    assert_eq!(live, json!("polite"));
}
