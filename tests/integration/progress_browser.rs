//! Learner progress in a real browser (headless Chromium over WebDriver): choosing a role,
//! completing lessons and an assessment, the path on home, module and progress pages, two tabs,
//! export and import into a fresh profile, damaged stored values, a quiz changed between builds,
//! playbook checklists, recertification and the certificate.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::support::browser::{keys, serve, Browser};
use crate::support::SiteTest;

const CONFIG: &str = "title = \"T\"\nid = \"t\"\n[[roles]]\nid = \"agent\"\nname = \"Agent\"\n[[roles]]\nid = \"boss\"\nname = \"Boss\"\n";

const QUIZ: &str = "title = \"Basics check\"\n[[question]]\nkind = \"true_false\"\nprompt = \"Is listening everyone's job?\"\nanswer = true\n";

/// Two modules required for `agent` (one with two lessons and an assessment, one valid for 90
/// days) and a playbook with a checklist.
fn site(config: &str) -> SiteTest {
    SiteTest::new(config)
        .write("content/modules/01-basics/_module.md", "+++\ntitle = \"Basics\"\nrequired_for = [\"agent\"]\n+++\nIntro.\n")
        .write("content/modules/01-basics/01-one.md", "+++\ntitle = \"One\"\n+++\nText one.\n")
        .write("content/modules/01-basics/02-two.md", "+++\ntitle = \"Two\"\n+++\nText two.\n")
        .write("content/modules/01-basics/quiz.toml", QUIZ)
        .write(
            "content/modules/02-policy/_module.md",
            "+++\ntitle = \"Policy\"\nrequired_for = [\"agent\"]\noptional_for = [\"boss\"]\nvalid_for_days = 90\n+++\n",
        )
        .write("content/modules/02-policy/01-rules.md", "+++\ntitle = \"Rules\"\n+++\nThe rules.\n")
        .write("content/playbooks/steps.md", "+++\ntitle = \"Steps\"\n+++\n- [ ] First\n- [ ] Second\n- [x] Third\n")
}

/// Builds the site, serves it and opens a browser.
fn open(t: SiteTest) -> Option<(SiteTest, Browser, String)> {
    let browser = Browser::start()?;
    t.build_ok();
    let base = serve(&t.out());
    Some((t, browser, base))
}

/// Loads `page` and waits for the progress scripts.
fn visit(b: &Browser, base: &str, page: &str) {
    b.goto(&format!("{base}{page}"));
    b.wait_until(10, "progress.js", |b| {
        b.execute("return !!(window.Skillbook && Skillbook.progressView)", &[]) == json!(true)
    });
}

fn saved(b: &Browser) -> Value {
    let raw = b.execute("return localStorage.getItem('skillbook:t')", &[]);
    serde_json::from_str(raw.as_str().unwrap_or("null")).unwrap_or(Value::Null)
}

fn text(b: &Browser, css: &str) -> String {
    b.text(&b.find(css))
}

fn hidden(b: &Browser, css: &str) -> bool {
    b.execute("return document.querySelector(arguments[0]).hidden", &[json!(css)]) == json!(true)
}

fn wait_text(b: &Browser, css: &str, want: &str) {
    b.wait_until(5, &format!("{css} to say {want:?}"), |b| text(b, css).contains(want));
}

fn mark_lesson(b: &Browser, base: &str, page: &str) {
    visit(b, base, page);
    b.click(&b.find("[data-progress=mark-complete]"));
    wait_text(b, ".lesson-complete-status", "Lesson marked complete");
}

fn pass_quiz(b: &Browser, base: &str) {
    visit(b, base, "modules/basics/quiz.html");
    b.wait_until(10, "quiz.js", |b| {
        b.execute("return !!document.querySelector('.quiz.is-enhanced')", &[]) == json!(true)
    });
    b.click(&b.find("input[value='true']"));
    b.click(&b.find(".quiz-submit"));
    wait_text(b, ".quiz-status", "passed.");
}

#[test]
fn a_learner_follows_the_path_to_a_certificate() {
    let Some((_t, b, base)) = open(site(CONFIG)) else { return };
    visit(&b, &base, "index.html");
    assert!(hidden(&b, "#my-path"), "no path before a role is chosen");
    b.click(&b.find(".role-option[data-role='agent']"));
    wait_text(&b, "#my-path", "0 of 2 required modules done");
    assert!(text(&b, ".role-chooser-status").contains("Your role is now Agent"));
    let pressed = b.execute(
        "return document.querySelector(\".role-option[data-role='agent']\").getAttribute('aria-pressed')",
        &[],
    );
    assert_eq!(pressed, json!("true"));

    mark_lesson(&b, &base, "modules/basics/one.html");
    mark_lesson(&b, &base, "modules/basics/two.html");
    pass_quiz(&b, &base);
    visit(&b, &base, "certificate.html");
    assert!(hidden(&b, "[data-progress=certificate]"), "no certificate before the path is complete");
    assert!(text(&b, "[data-progress=certificate-missing]").contains("1 of 2 required modules done"));

    visit(&b, &base, "index.html");
    wait_text(&b, "#my-path", "1 of 2 required modules done");
    assert_eq!(text(&b, "#my-path .path-step:first-child .status"), "Done");
    assert_eq!(text(&b, "#my-path .path-step:nth-child(2) .status"), "Not started");
    assert_eq!(text(&b, ".card[data-module-id='basics'] .status"), "Done");

    visit(&b, &base, "modules/basics/index.html");
    assert!(text(&b, ".module-progress-status").starts_with("Done"));
    let lessons =
        b.execute("return Array.from(document.querySelectorAll('.lesson-item .status')).map(s => s.textContent)", &[]);
    assert_eq!(lessons, json!(["Done", "Done"]));
    assert_eq!(text(&b, ".quiz-best"), "Your best score: 100% · passed");

    visit(&b, &base, "progress.html");
    wait_text(&b, "tr[data-module-id='basics'] [data-cell=percent]", "100%");
    assert!(text(&b, "tr[data-module-id='basics'] [data-cell=quiz]").starts_with("Best 100%, passed on"));
    assert_eq!(text(&b, "tr[data-module-id='policy'] [data-cell=status]"), "Not started");
    assert_eq!(text(&b, "tr[data-role='agent'] [data-cell=modules]"), "1 of 2");
    assert_eq!(text(&b, "tr[data-role='agent'] [data-cell=certificate]"), "Not yet");

    mark_lesson(&b, &base, "modules/policy/rules.html");
    visit(&b, &base, "progress.html");
    assert_eq!(text(&b, "tr[data-role='agent'] [data-cell=certificate]"), "View certificate");
    b.send_keys(&b.find("#progress-learner"), "Ada Lovelace");
    b.wait_until(5, "name saved", |b| saved(b)["learner"] == json!("Ada Lovelace"));

    b.click(&b.find("tr[data-role='agent'] [data-cell=certificate] a"));
    b.wait_until(10, "certificate", |b| {
        b.execute("var c = document.querySelector('[data-progress=certificate]'); return !!c && !c.hidden", &[])
            == json!(true)
    });
    assert_eq!(text(&b, "[data-cert=name]"), "Ada Lovelace");
    assert_eq!(text(&b, "[data-cert=role]"), "Agent");
    let rows = b.execute("return Array.from(document.querySelectorAll('[data-cert=modules] tr')).map(r => r.cells[0].textContent + ' ' + r.cells[2].textContent)", &[]);
    assert_eq!(rows, json!(["Basics 100%", "Policy No assessment"]));
    assert!(hidden(&b, "[data-progress=certificate-missing]"));
}

#[test]
fn two_tabs_keep_each_others_progress() {
    let Some((_t, b, base)) = open(site(CONFIG)) else { return };
    visit(&b, &base, "index.html");
    b.click(&b.find(".role-option[data-role='agent']"));
    wait_text(&b, "#my-path", "0 of 2 required modules done");
    // A second tab loads a lesson, and the first another one, before either writes.
    let tab_a = b.new_tab();
    visit(&b, &base, "modules/basics/one.html");
    let tab_b = b.switch_to(&tab_a);
    visit(&b, &base, "modules/basics/two.html");
    b.switch_to(&tab_b);
    b.click(&b.find("[data-progress=mark-complete]"));
    wait_text(&b, ".lesson-complete-status", "Lesson marked complete");
    // Tab A's page was loaded before tab B wrote: its own write must keep tab B's.
    b.switch_to(&tab_a);
    b.click(&b.find("[data-progress=mark-complete]"));
    wait_text(&b, ".lesson-complete-status", "Lesson marked complete");
    let lessons = saved(&b)["lessons"].as_object().map(|l| l.keys().cloned().collect::<Vec<_>>());
    assert_eq!(lessons, Some(vec!["basics/one".to_string(), "basics/two".to_string()]));
    assert_eq!(saved(&b)["role"], json!("agent"));

    // A page open in one tab follows changes made in another, without a reload.
    visit(&b, &base, "index.html");
    b.switch_to(&tab_b);
    visit(&b, &base, "modules/policy/rules.html");
    b.click(&b.find("[data-progress=mark-complete]"));
    b.switch_to(&tab_a);
    b.wait_until(5, "the home tab to update", |b| {
        b.execute("return document.querySelectorAll('#my-path .part-done').length", &[]) == json!(3)
    });
}

/// Waits for a finished download in `dir` and returns its path.
fn downloaded(dir: &std::path::Path) -> PathBuf {
    let started = Instant::now();
    loop {
        let done = std::fs::read_dir(dir)
            .expect("downloads")
            .flatten()
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|e| e == "json"));
        if let Some(path) = done {
            return path;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "no download in {}", dir.display());
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn export_then_import_into_a_fresh_profile() {
    let Some((t, b, base)) = open(site(CONFIG)) else { return };
    visit(&b, &base, "index.html");
    b.click(&b.find(".role-option[data-role='agent']"));
    mark_lesson(&b, &base, "modules/basics/one.html");
    visit(&b, &base, "playbooks/steps.html");
    b.click(&b.find("input[data-check='1']"));
    visit(&b, &base, "progress.html");
    b.send_keys(&b.find("#progress-learner"), "Ada");
    b.click(&b.find("[data-progress=export]"));
    wait_text(&b, "[data-progress=data-status]", "Your progress was exported to the file t-progress-");
    let file = downloaded(&b.downloads());
    let kept = t.tmp.path().join("progress.json");
    std::fs::copy(&file, &kept).expect("keep the export");
    let exported: Value = serde_json::from_str(&std::fs::read_to_string(&kept).expect("read")).expect("JSON");
    assert_eq!((exported["v"].clone(), exported["site"].clone()), (json!(1), json!("t")));
    assert_eq!((exported["role"].clone(), exported["learner"].clone()), (json!("agent"), json!("Ada")));
    assert!(exported["lessons"]["basics/one"]["done"].is_string(), "{exported}");
    assert_eq!(exported["checklists"]["playbooks/steps"], json!([false, true, true]));
    drop(b);

    let Some(b) = Browser::start() else { return };
    visit(&b, &base, "progress.html");
    assert_eq!(saved(&b), Value::Null, "a fresh profile");
    let bad = t.tmp.path().join("newer.json");
    std::fs::write(&bad, r#"{"v": 2, "lessons": {}}"#).expect("write");
    b.send_keys(&b.find("#progress-import"), &bad.to_string_lossy());
    wait_text(&b, "[data-progress=data-status]", "was not imported: it was written by a newer version");
    assert_eq!(saved(&b), Value::Null, "nothing imported from a bad file");

    b.send_keys(&b.find("#progress-import"), &kept.to_string_lossy());
    wait_text(&b, "[data-progress=data-status]", "Imported progress.json");
    let status = text(&b, "[data-progress=data-status]");
    assert!(
        status.contains("1 lesson completed or renewed")
            && status.contains("1 checklist updated")
            && status.contains("your role set")
            && status.contains("your name set"),
        "{status}"
    );
    assert_eq!(text(&b, "tr[data-module-id='basics'] [data-cell=lessons]"), "1 of 2");
    assert_eq!(b.execute("return document.querySelector('#progress-learner').value", &[]), json!("Ada"));
    b.send_keys(&b.find("#progress-import"), &kept.to_string_lossy());
    wait_text(&b, "[data-progress=data-status]", "nothing new");

    visit(&b, &base, "index.html");
    wait_text(&b, "#my-path", "Role: Agent");
    visit(&b, &base, "playbooks/steps.html");
    assert_eq!(b.execute("return document.querySelector(\"input[data-check='1']\").checked", &[]), json!(true));

    // Reset asks first, then deletes everything.
    visit(&b, &base, "progress.html");
    b.click(&b.find("[data-progress=reset]"));
    assert!(!hidden(&b, "[data-progress=reset-confirm]"));
    assert_eq!(b.execute("return document.activeElement.id", &[]), json!("progress-reset-question"));
    b.click(&b.find("[data-progress=reset-no]"));
    assert!(saved(&b).is_object(), "cancel keeps the progress");
    b.click(&b.find("[data-progress=reset]"));
    b.click(&b.find("[data-progress=reset-yes]"));
    wait_text(&b, "[data-progress=data-status]", "All your progress in this browser was deleted");
    assert_eq!(saved(&b), Value::Null);
    assert_eq!(text(&b, "tr[data-module-id='basics'] [data-cell=lessons]"), "0 of 2");
}

#[test]
fn a_damaged_stored_value_is_kept_aside_with_a_notice() {
    let Some((_t, b, base)) = open(site(CONFIG)) else { return };
    for bad in ["{not json", r#"{"v": 2, "lessons": {}}"#, r#""just a string""#] {
        visit(&b, &base, "index.html");
        b.execute("localStorage.clear(); localStorage.setItem('skillbook:t', arguments[0])", &[json!(bad)]);
        b.reload();
        b.wait_until(10, "the notice", |b| {
            b.execute("var n = document.querySelector('.progress-notice'); return !!n && !n.hidden", &[]) == json!(true)
        });
        assert!(text(&b, ".progress-notice").contains("could not be read"), "{bad}");
        let aside = b.execute(
            "return Object.keys(localStorage).filter(k => k.startsWith('skillbook:t:aside:')).map(k => localStorage.getItem(k))",
            &[],
        );
        assert_eq!(aside, json!([bad]));
        // The page works, and progress starts clean.
        b.click(&b.find(".role-option[data-role='agent']"));
        wait_text(&b, "#my-path", "0 of 2 required modules done");
        assert_eq!(saved(&b)["role"], json!("agent"));
    }
    // A full quota and blocked storage: progress goes on in memory, with a notice.
    visit(&b, &base, "modules/basics/one.html");
    b.execute(
        "var set = Storage.prototype.setItem; Storage.prototype.setItem = function (k, v) { \
         if (k === 'skillbook:t') { throw new DOMException('full', 'QuotaExceededError'); } return set.call(this, k, v); }",
        &[],
    );
    b.click(&b.find("[data-progress=mark-complete]"));
    wait_text(&b, ".progress-notice", "storage is full");
    assert_eq!(b.execute("return !!Skillbook.progress.lesson('basics/one')", &[]), json!(true));
    visit(&b, &base, "modules/basics/one.html");
    b.execute("Object.defineProperty(window, 'localStorage', {get() { throw new Error('denied'); }})", &[]);
    b.click(&b.find("[data-progress=mark-complete]"));
    wait_text(&b, ".progress-notice", "does not let this page save");
    assert_eq!(b.execute("return Skillbook.progress.problem()", &[]), json!("unavailable"));
}

#[test]
fn a_quiz_changed_between_builds_shows_the_earlier_version() {
    let Some((t, b, base)) = open(site(CONFIG)) else { return };
    pass_quiz(&b, &base);
    let t = t.write("content/modules/01-basics/quiz.toml", &QUIZ.replace("everyone's job", "a job for everyone"));
    t.build_ok();
    visit(&b, &base, "modules/basics/index.html");
    wait_text(&b, ".quiz-best", "Your best score of 100% is for an earlier version of this assessment");
    assert!(text(&b, ".module-progress-status").starts_with("In progress"));
    visit(&b, &base, "modules/basics/quiz.html");
    wait_text(&b, ".quiz-earlier", "is for an earlier version of this quiz");
    visit(&b, &base, "progress.html");
    wait_text(&b, "tr[data-module-id='basics'] [data-cell=quiz]", "Best 100% for an earlier version: take it again");
    // Taking it again counts, and keeps the earlier figures.
    pass_quiz(&b, &base);
    assert!(hidden(&b, ".quiz-earlier"));
    let q = &saved(&b)["quizzes"]["basics/quiz"];
    assert_eq!((q["attempts"].clone(), q["earlier"]["best"].clone()), (json!(1), json!(100)), "{q}");
}

#[test]
fn a_checklist_survives_reload_and_can_be_reset() {
    let Some((_t, b, base)) = open(site(CONFIG)) else { return };
    visit(&b, &base, "playbooks/steps.html");
    let states = "return Array.from(document.querySelectorAll('input[data-check]')).map(i => i.checked)";
    assert_eq!(b.execute(states, &[]), json!([false, false, true]));
    assert_eq!(b.execute("return document.querySelector('input[data-check]').disabled", &[]), json!(false));
    // A click on the text ticks the box, and so does Space on the focused box.
    b.click(&b.find("label.task-label"));
    b.execute("document.querySelector(\"input[data-check='1']\").focus()", &[]);
    b.press(keys::SPACE);
    wait_text(&b, ".checklist-status", "3 of 3 steps checked");
    b.reload();
    visit(&b, &base, "playbooks/steps.html");
    assert_eq!(b.execute(states, &[]), json!([true, true, true]));
    assert_eq!(saved(&b)["checklists"]["playbooks/steps"], json!([true, true, true]));
    b.click(&b.find("[data-progress=reset-checklist]"));
    wait_text(&b, ".checklist-status", "Checklist reset. 1 of 3 steps checked");
    b.reload();
    visit(&b, &base, "playbooks/steps.html");
    assert_eq!(b.execute(states, &[]), json!([false, false, true]));
}

/// Stores a document whose only completion is the Policy lesson, `days` days ago.
fn policy_done_days_ago(b: &Browser, days: u32) {
    b.execute(
        "localStorage.setItem('skillbook:t', JSON.stringify({v: 1, role: 'agent', lessons: {'policy/rules': \
         {done: new Date(Date.now() - arguments[0] * 864e5).toISOString()}}}))",
        &[json!(days)],
    );
}

#[test]
fn an_old_completion_is_due_again_and_a_close_one_due_soon() {
    let Some((_t, b, base)) = open(site(CONFIG)) else { return };
    visit(&b, &base, "index.html");
    policy_done_days_ago(&b, 100);
    visit(&b, &base, "index.html");
    wait_text(&b, "[data-progress=due]", "Policy: due again: lapsed on");
    assert!(text(&b, "#my-path .path-step:nth-child(2) .status").starts_with("Due again: lapsed on"));
    visit(&b, &base, "modules/policy/rules.html");
    assert_eq!(text(&b, "[data-progress=mark-complete]"), "Mark lesson complete again");
    assert!(text(&b, ".lesson-complete-date").contains("due again since"));
    visit(&b, &base, "modules/policy/index.html");
    assert!(text(&b, ".module-progress-status").contains("again to renew it"));

    policy_done_days_ago(&b, 70);
    visit(&b, &base, "index.html");
    wait_text(&b, "[data-progress=due]", "Policy: due again on");
    assert_eq!(text(&b, "#my-path .path-step:nth-child(2) .status"), "Done");
    policy_done_days_ago(&b, 1);
    visit(&b, &base, "index.html");
    assert!(hidden(&b, "[data-progress=due]"), "nothing due within 30 days");
}

#[test]
fn auto_complete_marks_a_lesson_read_to_its_end() {
    let config = format!("{CONFIG}[progress]\nauto_complete = true\n");
    let long = format!("+++\ntitle = \"Long\"\n+++\n{}", "A paragraph of text.\n\n".repeat(150));
    let Some((_t, b, base)) = open(site(&config).write("content/modules/01-basics/03-long.md", &long)) else { return };
    visit(&b, &base, "modules/basics/long.html");
    // Scrolled a little way at once (not smoothly), not to the end: once the page has had the
    // scroll event and drawn a frame after it, nothing is saved.
    b.execute_async(
        "var done = arguments[arguments.length - 1]; \
         window.addEventListener('scroll', function () { requestAnimationFrame(function () { done(); }); }, { once: true }); \
         window.scrollTo({ top: 300, behavior: 'instant' });",
        &[],
    );
    assert_eq!(saved(&b)["lessons"]["basics/long"], Value::Null, "not before the end is reached");
    b.execute("window.scrollTo(0, document.body.scrollHeight)", &[]);
    wait_text(&b, ".lesson-complete-status", "you reached its end");
    assert!(saved(&b)["lessons"]["basics/long"]["done"].is_string());
}
