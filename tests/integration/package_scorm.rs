//! LMS packages running under a real SCORM runtime: npm `scorm-again` (the LMS side of the
//! SCORM 1.2 and 2004 APIs) in headless Chromium. A harness page plays the LMS: it sets
//! `window.API` / `window.API_1484_11` and opens the package's launch page in a frame, served
//! from the unzipped package by a local static server. The learner acts through the pages'
//! progress store, as the pages' own buttons do.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::package::{package, unzip};
use crate::support::browser::Browser;
use crate::support::http::StaticServer;
use crate::support::{repo, SiteTest};

const HARNESS: &str = r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>LMS</title>
<script src="scorm12.js"></script><script src="scorm2004.js"></script></head>
<body><iframe id="lms" title="course" style="width:100%;height:700px"></iframe>
<script>
  // Opens the package as an LMS does, with `saved` (the runtime's CMI data of the last
  // launch) loaded first.
  window.launch = function (version, saved) {
    var settings = { autocommit: false, logLevel: 5 };
    if (version === "1.2") {
      window.API = new Scorm12API(settings);
      window.API.loadFromJSON(saved || { core: { student_name: "Lovelace, Ada" } }, "cmi");
    } else {
      window.API_1484_11 = new Scorm2004API(settings);
      window.API_1484_11.loadFromJSON(saved || { learner_name: "Lovelace, Ada" }, "cmi");
    }
    document.getElementById("lms").src = "pkg/launch.html";
  };
  // The package's page inside the launch page.
  window.page = function () {
    var shell = document.getElementById("lms").contentWindow;
    var frame = shell && shell.document.getElementById("skillbook-frame");
    return frame && frame.contentWindow;
  };
  window.leave = function () { document.getElementById("lms").src = "about:blank"; };
</script></body></html>
"#;

fn runtime() -> Option<PathBuf> {
    let dir = repo().join("target/lms/node_modules/scorm-again/dist");
    let required = std::env::var_os("SKILLBOOK_REQUIRE_BROWSER").is_some_and(|v| v == "1");
    if dir.join("scorm12.js").is_file() {
        return Some(dir);
    }
    assert!(!required, "scorm-again is not at {}, and SKILLBOOK_REQUIRE_BROWSER=1", dir.display());
    crate::support::browser::skipped(
        "the SCORM runtime scorm-again is missing",
        "run npm install --prefix target/lms scorm-again@2.6",
    );
    None
}

/// The harness folder: the page, the runtime, and the package `zip` unzipped under `pkg/`.
fn harness(runtime: &Path, zip: &Path, dir: &Path) {
    std::fs::write(dir.join("harness.html"), HARNESS).expect("harness");
    for name in ["scorm12.js", "scorm2004.js"] {
        std::fs::copy(runtime.join(name), dir.join(name)).expect("runtime");
    }
    for (path, bytes) in unzip(zip) {
        let to = dir.join("pkg").join(&path);
        std::fs::create_dir_all(to.parent().expect("parent")).expect("folder");
        std::fs::write(to, bytes).expect("write");
    }
}

/// The launch page's configuration: modules, lessons, quizzes and their revisions.
fn config(dir: &Path) -> Value {
    let launch = std::fs::read_to_string(dir.join("pkg/launch.html")).expect("launch page");
    let json =
        launch.split("id=\"skillbook-package\">").nth(1).expect("config").split("</script>").next().expect("end");
    serde_json::from_str(json).expect("config JSON")
}

struct Lms<'a> {
    browser: &'a Browser,
    api: &'static str,
}

impl Lms<'_> {
    /// A CMI element as the runtime would commit it (its JSON form, which also shows the
    /// write-only elements).
    fn value(&self, element: &str) -> String {
        let script = format!(
            "var v = JSON.parse(JSON.stringify(window.{}.cmi));              arguments[0].split('.').forEach(function (k) {{ v = v == null ? v : v[k]; }}); return String(v)",
            self.api
        );
        let script = script.replace("arguments[0]", &format!("{element:?}"));
        self.browser.execute(&script, &[]).as_str().expect("a string").to_string()
    }

    fn wait_value(&self, element: &str, expected: &str) {
        self.browser.wait_until(60, &format!("{element} to be {expected}"), |_| self.value(element) == expected);
    }

    /// Runs `script` on the package's page once its progress store is there.
    fn on_page(&self, script: &str, args: &[Value]) -> Value {
        self.browser.wait_until(60, "the package's page and its store", |b| {
            b.execute("var p = window.page(); return !!(p && p.Skillbook && p.Skillbook.progress)", &[]) == true
        });
        self.browser.execute(&format!("var store = window.page().Skillbook.progress; {script}"), args)
    }

    fn launch(&self, base: &str, version: &str, saved: Option<&Value>) {
        self.browser.goto(&format!("{base}harness.html"));
        self.browser.execute(
            "window.launch(arguments[0], arguments[1])",
            &[json!(version), saved.cloned().unwrap_or(Value::Null)],
        );
    }

    /// Ends the launch (the learner closes the course) and returns what the LMS keeps.
    fn leave(&self) -> Value {
        self.browser.execute("window.leave()", &[]);
        let api = self.api;
        self.browser.wait_until(60, "the session to end", |b| {
            b.execute(&format!("return window.{api}.isTerminated()"), &[]) == true
        });
        self.browser.execute(&format!("return JSON.parse(JSON.stringify(window.{api}.cmi))"), &[])
    }
}

fn lessons(config: &Value, module: &str) -> Vec<String> {
    config["modules"].as_array().expect("modules").iter().find(|m| m["id"] == module).expect("module")["lessons"]
        .as_array()
        .expect("lessons")
        .iter()
        .map(|l| l.as_str().expect("id").to_string())
        .collect()
}

fn quiz(config: &Value, module: &str) -> (String, String) {
    let q = config["quizzes"].as_array().expect("quizzes").iter().find(|q| q["module"] == module).expect("a quiz");
    (q["id"].as_str().expect("id").to_string(), q["rev"].as_str().expect("rev").to_string())
}

#[test]
fn scorm_1_2_reports_lessons_a_failed_then_passed_assessment_and_resumes() {
    let Some(runtime) = runtime() else { return };
    let Some(browser) = Browser::start() else { return };
    let t = SiteTest::sample();
    let (zips, _) = package(&t, "scorm12", "module");
    let dir = tempfile::tempdir().expect("tempdir");
    harness(&runtime, &zips["social-everyone-listening-scorm12.zip"], dir.path());
    let cfg = config(dir.path());
    let server = StaticServer::start(dir.path());
    let lms = Lms { browser: &browser, api: "API" };

    lms.launch(&server.url(), "1.2", None);
    lms.on_page("return 1", &[]);
    lms.wait_value("core.lesson_status", "incomplete");
    assert_eq!(lms.on_page("return store.load().learner", &[]), "Ada Lovelace", "the LMS's learner name is used");
    let all = lessons(&cfg, "listening");
    for id in &all {
        lms.on_page("store.markLesson(arguments[0], true)", &[json!(id)]);
    }
    // Every lesson done, the assessment not passed: still incomplete.
    lms.browser.wait_until(60, "the suspend data to hold the lessons", |_| {
        lms.value("suspend_data").contains(&all[all.len() - 1])
    });
    assert_eq!(lms.value("core.lesson_status"), "incomplete");
    let (quiz_id, rev) = quiz(&cfg, "listening");
    lms.on_page(
        "store.recordQuiz(arguments[0], {score: 40, passed: false, rev: arguments[1]})",
        &[json!(quiz_id), json!(rev)],
    );
    lms.wait_value("core.lesson_status", "failed");
    assert_eq!(lms.value("core.score.raw"), "40");
    assert_eq!(lms.value("core.score.min"), "0");
    assert_eq!(lms.value("core.score.max"), "100");
    assert_eq!(lms.value("core.exit"), "suspend");
    lms.on_page(
        "store.recordQuiz(arguments[0], {score: 90, passed: true, rev: arguments[1]})",
        &[json!(quiz_id), json!(rev)],
    );
    lms.wait_value("core.lesson_status", "passed");
    assert_eq!(lms.value("core.score.raw"), "90");
    // The bookmark is the page the learner is on, relative to the package.
    assert_eq!(lms.value("core.lesson_location"), "modules/listening/index.html");
    let kept = lms.leave();
    let session = kept["core"]["session_time"].as_str().unwrap_or_default().to_string();
    assert!(
        session.len() >= 10 && session.as_bytes()[4] == b':' && session.chars().filter(|c| *c == ':').count() == 2,
        "session time in HHHH:MM:SS.SS: {session}"
    );
    let suspend = kept["suspend_data"].as_str().expect("suspend data").to_string();
    assert!(suspend.len() <= 4096, "{} characters", suspend.len());

    // Relaunch with what the LMS kept: the lessons and the result are back.
    let saved = json!({
        "core": {"student_name": "Lovelace, Ada", "lesson_status": "passed", "lesson_location": "modules/listening/why-listen.html"},
        "suspend_data": suspend,
    });
    lms.launch(&server.url(), "1.2", Some(&saved));
    let done =
        lms.on_page("return arguments[0].filter(function (id) { return !!store.lesson(id); }).length", &[json!(all)]);
    assert_eq!(done, json!(all.len()), "every lesson is done again");
    let best = lms.on_page("return store.quiz(arguments[0], arguments[1]).best", &[json!(quiz_id), json!(rev)]);
    assert_eq!(best, 90);
    let at = lms.on_page("return window.page().location.pathname", &[]);
    assert!(
        at.as_str().is_some_and(|p| p.ends_with("/pkg/modules/listening/why-listen.html")),
        "resumed at the bookmark: {at}"
    );
    lms.wait_value("core.lesson_status", "passed");
}

#[test]
fn scorm_1_2_can_keep_a_failed_attempt_incomplete() {
    let Some(runtime) = runtime() else { return };
    let Some(browser) = Browser::start() else { return };
    let t = SiteTest::sample();
    let config_text = t.read("skillbook.toml") + "\n[lms]\nreport_failed = false\n";
    let t = t.write("skillbook.toml", &config_text);
    let (zips, _) = package(&t, "scorm12", "module");
    let dir = tempfile::tempdir().expect("tempdir");
    harness(&runtime, &zips["social-everyone-engagement-scorm12.zip"], dir.path());
    let cfg = config(dir.path());
    let server = StaticServer::start(dir.path());
    let lms = Lms { browser: &browser, api: "API" };
    lms.launch(&server.url(), "1.2", None);
    let (quiz_id, rev) = quiz(&cfg, "engagement");
    lms.on_page(
        "store.recordQuiz(arguments[0], {score: 10, passed: false, rev: arguments[1]})",
        &[json!(quiz_id), json!(rev)],
    );
    lms.browser.wait_until(60, "the score", |_| lms.value("core.score.raw") == "10");
    assert_eq!(lms.value("core.lesson_status"), "incomplete");
}

#[test]
fn scorm_2004_reports_completion_and_success_apart_with_scaled_scores() {
    let Some(runtime) = runtime() else { return };
    let Some(browser) = Browser::start() else { return };
    let t = SiteTest::sample();
    let (zips, _) = package(&t, "scorm2004", "module");
    let dir = tempfile::tempdir().expect("tempdir");
    harness(&runtime, &zips["social-everyone-listening-scorm2004.zip"], dir.path());
    let cfg = config(dir.path());
    let server = StaticServer::start(dir.path());
    let lms = Lms { browser: &browser, api: "API_1484_11" };

    lms.launch(&server.url(), "2004", None);
    lms.wait_value("completion_status", "incomplete");
    assert_eq!(lms.value("success_status"), "unknown");
    let all = lessons(&cfg, "listening");
    for id in &all {
        lms.on_page("store.markLesson(arguments[0], true)", &[json!(id)]);
    }
    let (quiz_id, rev) = quiz(&cfg, "listening");
    lms.on_page(
        "store.recordQuiz(arguments[0], {score: 40, passed: false, rev: arguments[1]})",
        &[json!(quiz_id), json!(rev)],
    );
    lms.wait_value("success_status", "failed");
    assert_eq!(lms.value("completion_status"), "incomplete");
    assert_eq!(lms.value("score.scaled"), "0.4");
    assert_eq!(lms.value("score.raw"), "40");
    assert_eq!(lms.value("exit"), "suspend");
    lms.on_page(
        "store.recordQuiz(arguments[0], {score: 90, passed: true, rev: arguments[1]})",
        &[json!(quiz_id), json!(rev)],
    );
    lms.wait_value("success_status", "passed");
    assert_eq!(lms.value("completion_status"), "completed");
    assert_eq!(lms.value("score.scaled"), "0.9");
    assert_eq!(lms.value("exit"), "normal");
    assert_eq!(lms.value("location"), "modules/listening/index.html");
    let kept = lms.leave();
    let session = kept["session_time"].as_str().unwrap_or_default().to_string();
    assert!(session.starts_with("PT") && session.ends_with('S'), "ISO 8601 duration: {session}");

    let saved = json!({"learner_name": "Lovelace, Ada", "suspend_data": kept["suspend_data"], "location": "modules/listening/quiz.html"});
    lms.launch(&server.url(), "2004", Some(&saved));
    let done =
        lms.on_page("return arguments[0].filter(function (id) { return !!store.lesson(id); }).length", &[json!(all)]);
    assert_eq!(done, json!(all.len()));
    let at = lms.on_page("return window.page().location.pathname", &[]);
    assert!(at.as_str().is_some_and(|p| p.ends_with("/pkg/modules/listening/quiz.html")), "{at}");
}

#[test]
fn a_module_without_an_assessment_reports_completed() {
    let Some(runtime) = runtime() else { return };
    let Some(browser) = Browser::start() else { return };
    let t = SiteTest::new("id = \"plain\"\ntitle = \"Plain\"\n")
        .write("content/modules/01-basics/_module.md", "+++\ntitle = \"Basics\"\n+++\nIntro.\n")
        .write("content/modules/01-basics/01-one.md", "+++\ntitle = \"One\"\n+++\nText.\n")
        .write("content/modules/01-basics/02-two.md", "+++\ntitle = \"Two\"\n+++\nText.\n");
    for (format, api, status) in
        [("scorm12", "API", "core.lesson_status"), ("scorm2004", "API_1484_11", "completion_status")]
    {
        let (zips, _) = package(&t, format, "module");
        let dir = tempfile::tempdir().expect("tempdir");
        harness(&runtime, &zips[&format!("plain-basics-{format}.zip")], dir.path());
        let server = StaticServer::start(dir.path());
        let lms = Lms { browser: &browser, api };
        lms.launch(&server.url(), if format == "scorm12" { "1.2" } else { "2004" }, None);
        lms.on_page("store.markLesson('basics/one', true)", &[]);
        lms.browser.wait_until(60, "one lesson saved", |_| lms.value("suspend_data").contains("basics/one"));
        assert_eq!(lms.value(status), "incomplete", "{format}");
        lms.on_page("store.markLesson('basics/two', true)", &[]);
        lms.wait_value(status, "completed");
    }
}

#[test]
fn the_fullest_progress_of_the_largest_sample_module_fits_scorm_1_2() {
    let Some(runtime) = runtime() else { return };
    let Some(browser) = Browser::start() else { return };
    let t = SiteTest::sample();
    let (zips, _) = package(&t, "scorm12", "module");
    // The largest module: the most lessons.
    let largest = zips
        .iter()
        .max_by_key(|(_, p)| unzip(p).keys().filter(|k| k.starts_with("modules/") && k.ends_with(".html")).count())
        .map(|(n, p)| (n.clone(), p.clone()))
        .expect("a package");
    let dir = tempfile::tempdir().expect("tempdir");
    harness(&runtime, &largest.1, dir.path());
    let cfg = config(dir.path());
    let server = StaticServer::start(dir.path());
    let lms = Lms { browser: &browser, api: "API" };
    lms.launch(&server.url(), "1.2", None);
    let module = cfg["modules"][0]["id"].as_str().expect("module").to_string();
    for id in lessons(&cfg, &module) {
        lms.on_page("store.markLesson(arguments[0], true)", &[json!(id)]);
    }
    let (quiz_id, rev) = quiz(&cfg, &module);
    for _ in 0..3 {
        lms.on_page(
            "store.recordQuiz(arguments[0], {score: 100, passed: true, rev: arguments[1]})",
            &[json!(quiz_id), json!(rev)],
        );
    }
    lms.on_page(
        "var n = 0; (arguments[0] || []).forEach(function (c) { for (var i = 0; i < c[1]; i++) { store.setCheck(c[0], i, true, []); n++; } }); return n",
        &[cfg["checklists"].clone()],
    );
    lms.wait_value("core.lesson_status", "passed");
    let suspend = lms.value("suspend_data");
    eprintln!("{}: suspend data of the fullest progress: {} characters", largest.0, suspend.len());
    assert!(suspend.len() <= 4096, "{} characters", suspend.len());
}
