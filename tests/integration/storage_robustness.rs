//! The learner's saved progress under hostile storage, in headless Chromium: values that are
//! not JSON, JSON of the wrong shape, 5 MB, from a future version, and a storage that throws on
//! every write. The page works (no script error, the quiz grades) and the old value survives,
//! set aside under `skillbook:<id>:aside:<time>` or left where it was.

use serde_json::{json, Value};

use crate::support::browser::{serve, Browser};
use crate::support::SiteTest;

const KEY: &str = "skillbook:t";

/// Installed before the page's scripts: records script errors, and with the `quota` flag in
/// sessionStorage makes every localStorage write throw like a full quota.
const HOOKS: &str = r"
window.__errors = [];
window.addEventListener('error', function (e) { window.__errors.push(String(e.message)); });
window.addEventListener('unhandledrejection', function (e) { window.__errors.push(String(e.reason)); });
if (sessionStorage.getItem('quota')) {
  var real = Storage.prototype.setItem;
  Storage.prototype.setItem = function (k, v) {
    if (this === window.localStorage) throw new DOMException('quota exceeded', 'QuotaExceededError');
    return real.call(this, k, v);
  };
}";

const QUIZ: &str =
    "[[question]]\nkind = \"single\"\nprompt = \"Pick the second.\"\noptions = [\"First\", \"Second\"]\nanswer = 1\n";

/// Stores `raw` (built by the script `value`, so 5 MB need not cross the wire), reloads the
/// quiz page, answers it and returns what the page said and what storage holds afterwards.
fn attempt(b: &Browser, value: &str, quota: bool) -> (String, Value) {
    b.execute(
        &format!("localStorage.clear(); sessionStorage.clear(); localStorage.setItem('{KEY}', {value}); if ({quota}) sessionStorage.setItem('quota', '1');"),
        &[],
    );
    b.reload();
    b.wait_until(10, "quiz.js", |b| {
        b.execute("return !!document.querySelector('.quiz.is-enhanced')", &[]) == json!(true)
    });
    b.click(&b.find("input[value='1']"));
    b.click(&b.find(".quiz-submit"));
    let status = b.text(&b.find(".quiz-status"));
    let errors = b.execute("return window.__errors", &[]);
    assert_eq!(errors, json!([]), "script errors with {value}");
    let stored = b.execute(
        "var out = {}; for (var i = 0; i < localStorage.length; i++) { var k = localStorage.key(i); out[k] = localStorage.getItem(k); } return out;",
        &[],
    );
    (status, stored)
}

/// The stored entries whose key starts with `prefix`.
fn entries<'a>(stored: &'a Value, prefix: &str) -> Vec<&'a str> {
    stored
        .as_object()
        .expect("object")
        .iter()
        .filter(|(k, _)| k.starts_with(prefix))
        .map(|(_, v)| v.as_str().expect("text"))
        .collect()
}

#[test]
fn hostile_stored_progress_never_breaks_a_page_or_loses_the_old_value() {
    let Some(b) = Browser::start() else { return };
    let t = SiteTest::new("title = \"T\"\nid = \"t\"\n")
        .write("content/modules/01-m/_module.md", "+++\ntitle = \"M\"\n+++\n")
        .write("content/modules/01-m/01-l.md", "+++\ntitle = \"L\"\n+++\nText.\n")
        .write("content/modules/01-m/quiz.toml", QUIZ);
    t.build_ok();
    b.before_page_scripts(HOOKS);
    b.goto(&format!("{}modules/m/quiz.html", serve(&t.out())));

    // Unusable values: the page starts fresh and the old value is set aside, byte for byte.
    for (value, raw) in [
        ("'not json {'", "not json {".to_string()),
        ("'[1,2,3]'", "[1,2,3]".to_string()),
        ("'\"a string\"'", "\"a string\"".to_string()),
        ("'null'", "null".to_string()),
        ("'{\"v\":1' + ','.repeat(3)", "{\"v\":1,,,".to_string()),
        (
            r#"'{"v":2,"quizzes":{"m/quiz":{"best":100}},"badges":["x"]}'"#,
            r#"{"v":2,"quizzes":{"m/quiz":{"best":100}},"badges":["x"]}"#.to_string(),
        ),
    ] {
        let (status, stored) = attempt(&b, value, false);
        assert!(status.starts_with("You scored 100%"), "{value}: {status}");
        let doc: Value = serde_json::from_str(stored[KEY].as_str().expect("saved")).expect("JSON");
        assert_eq!(doc["v"], 1, "{value}");
        assert_eq!(doc["quizzes"]["m/quiz"]["best"], 100, "{value}: the new result is saved");
        assert_eq!(entries(&stored, &format!("{KEY}:aside:")), [raw.as_str()], "{value}: the old value is set aside");
    }

    // 5 MB of garbage: there is no room to set it aside, so it stays where it was; the page
    // still works and grades (the result lives for this page only).
    let (status, stored) = attempt(&b, "'x'.repeat(5 * 1000 * 1000)", false);
    assert!(status.starts_with("You scored 100%"), "{status}");
    let kept = stored[KEY].as_str().expect("kept");
    assert_eq!((kept.len(), kept.bytes().all(|c| c == b'x')), (5_000_000, true), "the 5 MB value is untouched");

    // A storage that throws on every write: the page works and the saved value is untouched.
    let earlier = r#"{"v":1,"quizzes":{"m/quiz":{"rev":"old","attempts":2,"best":40}},"role":"hr"}"#;
    let (status, stored) = attempt(&b, &format!("'{earlier}'"), true);
    assert!(status.starts_with("You scored 100%"), "{status}");
    assert_eq!(stored[KEY], earlier);
    assert_eq!(entries(&stored, &format!("{KEY}:aside:")), Vec::<&str>::new());
}

#[test]
fn the_author_bar_sets_an_unusable_saved_value_aside_too() {
    let Some(b) = Browser::start() else { return };
    let t = SiteTest::new("title = \"T\"\nid = \"t\"\n[[roles]]\nid = \"hr\"\nname = \"HR\"\n")
        .write("content/modules/01-m/_module.md", "+++\ntitle = \"M\"\n+++\n")
        .write("content/modules/01-m/01-l.md", "+++\ntitle = \"L\"\n+++\nText.\n");
    let server = crate::serve::Server::start(&t, 0);
    b.goto(&format!("http://127.0.0.1:{}/modules/m/l.html", server.port));
    b.execute(&format!("localStorage.setItem('{KEY}', 'not json {{')"), &[]);
    b.reload();
    b.wait_until(10, "the author bar", |b| {
        b.execute("return !!document.getElementById('skillbook-view-as')", &[]) == json!(true)
    });
    b.execute(
        "var s = document.getElementById('skillbook-view-as'); s.value = 'hr'; s.dispatchEvent(new Event('change'));",
        &[],
    );
    b.wait_until(10, "the role to be saved", |b| {
        b.execute(&format!("return (JSON.parse(localStorage.getItem('{KEY}') || '{{}}').role || '')"), &[])
            == json!("hr")
    });
    let aside = b.execute(
        &format!("for (var i = 0; i < localStorage.length; i++) {{ var k = localStorage.key(i); if (k.indexOf('{KEY}:aside:') === 0) return localStorage.getItem(k); }} return null;"),
        &[],
    );
    assert_eq!(aside, json!("not json {"));
}
