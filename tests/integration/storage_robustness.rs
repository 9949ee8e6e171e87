//! The learner's saved progress under hostile storage, in headless Chromium: values that are
//! not JSON, JSON of the wrong shape (down to one entry, or a number stored as text), 5 MB,
//! from a future version, and a storage that throws on every write. The page works (no script
//! error, the quiz grades, no `NaN`) and the old value survives byte for byte, set aside under
//! `skillbook:<id>:aside:<time>` or left where it was.

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
    take_quiz(b, value)
}

/// Reloads the quiz page, answers it and returns what the page said and what storage holds.
fn take_quiz(b: &Browser, what: &str) -> (String, Value) {
    b.reload();
    b.wait_until(120, "quiz.js", |b| {
        b.execute("return !!document.querySelector('.quiz.is-enhanced')", &[]) == json!(true)
    });
    // A saved last attempt is shown on opening: a new one starts with Try again.
    if b.execute("var r = document.querySelector('.quiz-steps .quiz-retry'); return !!r && !r.hidden", &[])
        == json!(true)
    {
        b.click(&b.find(".quiz-steps .quiz-retry"));
    }
    b.click(&b.find("input[value='1']"));
    b.click(&b.find(".quiz-submit"));
    let status = b.text(&b.find(".quiz-status"));
    let errors = b.execute("return window.__errors", &[]);
    assert_eq!(errors, json!([]), "script errors with {what}");
    (status, stored(b))
}

/// Every key of localStorage with its value.
fn stored(b: &Browser) -> Value {
    b.execute(
        "var out = {}; for (var i = 0; i < localStorage.length; i++) { var k = localStorage.key(i); out[k] = localStorage.getItem(k); } return out;",
        &[],
    )
}

/// A JavaScript string literal of `raw`.
fn literal(raw: &str) -> String {
    Value::from(raw).to_string()
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

/// A browser on a built site whose module `m` has lesson `l` and an assessment, with `HOOKS`
/// installed; the site is kept until the test ends, and the URL it is served at returned.
fn open() -> Option<(SiteTest, Browser, String)> {
    let b = Browser::start()?;
    let t = SiteTest::new("title = \"T\"\nid = \"t\"\n")
        .write("content/modules/01-m/_module.md", "+++\ntitle = \"M\"\n+++\n")
        .write("content/modules/01-m/01-l.md", "+++\ntitle = \"L\"\n+++\nText.\n")
        .write("content/modules/01-m/quiz.toml", QUIZ);
    t.build_ok();
    b.before_page_scripts(HOOKS);
    let base = serve(&t.out());
    Some((t, b, base))
}

/// Waits for the notice about saved progress and returns its text.
fn notice(b: &Browser) -> String {
    b.wait_until(120, "the notice", |b| {
        b.execute("var n = document.querySelector('.progress-notice'); return !!n && !n.hidden", &[]) == json!(true)
    });
    b.text(&b.find(".progress-notice p"))
}

#[test]
fn hostile_stored_progress_never_breaks_a_page_or_loses_the_old_value() {
    let Some((_t, b, base)) = open() else { return };
    b.goto(&format!("{base}modules/m/quiz.html"));

    // Unusable values: the page starts fresh and the old value is set aside, byte for byte.
    // A version-1 document is unusable when any part or entry has the wrong shape.
    let mut cases = vec![
        ("'not json {'".to_string(), "not json {".to_string()),
        ("'{\"v\":1' + ','.repeat(3)".to_string(), "{\"v\":1,,,".to_string()),
    ];
    cases.extend(
        [
            "[1,2,3]",
            "\"a string\"",
            "null",
            r#"{"v":2,"quizzes":{"m/quiz":{"best":100}},"badges":["x"]}"#,
            r#"{"v":1,"quizzes":"oops"}"#,
            r#"{"v":1,"lessons":[1,2]}"#,
            r#"{"v":1,"lessons":{"m/l":"2026-01-01T00:00:00Z"}}"#,
            r#"{"v":1,"lessons":{"m/l":{"done":"yesterday"}}}"#,
            r#"{"v":1,"quizzes":{"m/quiz":"90"}}"#,
            r#"{"v":1,"quizzes":{"m/quiz":{"best":"80","attempts":"2"}}}"#,
            r#"{"v":1,"quizzes":{"m/quiz":{"best":90,"attempts":1.5}}}"#,
            r#"{"v":1,"quizzes":{"m/quiz":{"best":90,"attempts":1,"earlier":{"best":"50","attempts":1}}}}"#,
            r#"{"v":1,"quizzes":{"m/quiz":{"best":90,"attempts":1,"last":{"score":"90","answers":[]}}}}"#,
            r#"{"v":1,"quizzes":{"m/quiz":{"best":90,"attempts":1,"last":{"score":90,"answers":[{"q":0,"v":1}]}}}}"#,
            r#"{"v":1,"checklists":{"playbooks/p":[true,1]}}"#,
            r#"{"v":1,"checklists":"none"}"#,
            r#"{"v":1,"role":["hr"]}"#,
        ]
        .map(|raw| (literal(raw), raw.to_string())),
    );
    for (value, raw) in &cases {
        let (status, stored) = attempt(&b, value, false);
        assert!(status.starts_with("You scored 100%"), "{value}: {status}");
        let doc: Value = serde_json::from_str(stored[KEY].as_str().expect("saved")).expect("JSON");
        assert_eq!(doc["v"], 1, "{value}");
        assert_eq!(doc["quizzes"]["m/quiz"]["best"], 100, "{value}: the new result is saved");
        assert_eq!(doc["quizzes"]["m/quiz"]["attempts"], 1, "{value}: a count, never text");
        assert_eq!(entries(&stored, &format!("{KEY}:aside:")), [raw.as_str()], "{value}: the old value is set aside");
    }

    // 5 MB of garbage fills the quota, so there is no room to set it aside: it stays where it
    // was, untouched, and progress is saved under `<key>:next`, which later pages read.
    let (status, stored) = attempt(&b, "'x'.repeat(5 * 1000 * 1000)", false);
    assert!(status.starts_with("You scored 100%"), "{status}");
    let untouched = |stored: &Value| {
        let kept = stored[KEY].as_str().expect("kept");
        assert_eq!((kept.len(), kept.bytes().all(|c| c == b'x')), (5_000_000, true), "the 5 MB value is untouched");
    };
    untouched(&stored);
    assert_eq!(entries(&stored, &format!("{KEY}:aside:")), Vec::<&str>::new());
    let next = |stored: &Value| -> Value {
        serde_json::from_str(stored[format!("{KEY}:next")].as_str().expect("saved beside")).expect("JSON")
    };
    assert_eq!(next(&stored)["quizzes"]["m/quiz"]["attempts"], json!(1), "the attempt is saved beside it");
    assert_eq!(b.execute("return Skillbook.progress.problem()", &[]), json!("moved"));
    let text = notice(&b);
    assert!(text.contains(&format!("\u{201c}{KEY}\u{201d}")) && text.contains(&format!("{KEY}:next")), "{text}");
    let (status, stored) = take_quiz(&b, "the 5 MB value, a second time");
    assert!(status.starts_with("You scored 100%"), "{status}");
    untouched(&stored);
    assert_eq!(next(&stored)["quizzes"]["m/quiz"]["attempts"], json!(2), "the first attempt was kept");
    // Resetting progress removes what was saved, never the value it could not set aside.
    b.execute("Skillbook.progress.reset()", &[]);
    let stored = self::stored(&b);
    untouched(&stored);
    assert_eq!(stored.get(format!("{KEY}:next")), None);

    // A storage that throws on every write: the page works and the saved value is untouched.
    let earlier = r#"{"v":1,"quizzes":{"m/quiz":{"rev":"old","attempts":2,"best":40}},"role":"hr"}"#;
    let (status, stored) = attempt(&b, &format!("'{earlier}'"), true);
    assert!(status.starts_with("You scored 100%"), "{status}");
    assert_eq!(stored[KEY], earlier);
    assert_eq!(stored.as_object().expect("object").len(), 1, "nothing else is written: {stored}");
}

#[test]
fn numbers_stored_as_text_are_set_aside_never_shown_or_added_to() {
    let Some((_t, b, base)) = open() else { return };
    for raw in [
        r#"{"v":1,"quizzes":{"m/quiz":{"best":"80","attempts":"2"}}}"#,
        r#"{"v":1,"quizzes":{"m/quiz":{"best":"high","attempts":2,"passed":"2026-01-02T03:04:05Z"}}}"#,
    ] {
        // Each page that shows the result reads the value first: none shows it.
        for page in ["modules/m/index.html", "progress.html", "modules/m/quiz.html"] {
            b.goto(&format!("{base}{page}"));
            b.execute(&format!("localStorage.clear(); localStorage.setItem('{KEY}', arguments[0])"), &[json!(raw)]);
            b.reload();
            assert!(notice(&b).contains("could not be read"), "{page}");
            let text = b.execute("return document.body.innerText", &[]);
            let text = text.as_str().expect("text");
            assert!(!text.contains("NaN"), "{page} with {raw}: {text}");
            assert_eq!(b.execute("return Skillbook.progress.quiz('m/quiz')", &[]), Value::Null, "{page}");
            assert_eq!(b.execute("return window.__errors", &[]), json!([]), "{page}");
            assert_eq!(entries(&stored(&b), &format!("{KEY}:aside:")), [raw], "{page}");
        }
        // Taking the quiz counts one attempt, a number: never "2" + 1.
        let (status, stored) = attempt(&b, &literal(raw), false);
        assert!(status.contains("Attempt 1 · best 100%"), "{status}");
        let doc: Value = serde_json::from_str(stored[KEY].as_str().expect("saved")).expect("JSON");
        assert_eq!(doc["quizzes"]["m/quiz"]["attempts"], json!(1), "{raw}");
        assert_eq!(entries(&stored, &format!("{KEY}:aside:")), [raw]);
    }
}

#[test]
fn a_document_with_a_bad_entry_keeps_its_good_parts_and_the_original_aside() {
    let Some((_t, b, base)) = open() else { return };
    b.goto(&format!("{base}modules/m/quiz.html"));
    let raw = r#"{"v":1,"role":"hr","learner":"Ada","lessons":{"m/l":{"done":"2026-01-02T03:04:05Z"},"m/x":"done"},"quizzes":{"m/quiz":{"best":"80","attempts":"2"}},"theme":{"font":"large"}}"#;
    let (_, stored) = attempt(&b, &literal(raw), false);
    assert!(notice(&b).contains("could not be read"));
    let doc: Value = serde_json::from_str(stored[KEY].as_str().expect("saved")).expect("JSON");
    let quiz = &doc["quizzes"]["m/quiz"];
    assert_eq!((quiz["best"].clone(), quiz["attempts"].clone()), (json!(100), json!(1)));
    assert_eq!(
        (&doc["role"], &doc["learner"], &doc["lessons"], &doc["theme"]),
        (&json!("hr"), &json!("Ada"), &json!({"m/l": {"done": "2026-01-02T03:04:05Z"}}), &json!({"font": "large"})),
        "the well-formed parts, and fields the store does not know, are kept"
    );
    assert_eq!(entries(&stored, &format!("{KEY}:aside:")), [raw], "the original is set aside whole");
}

#[test]
fn the_author_bar_goes_through_the_store_and_never_destroys_a_saved_value() {
    let Some(b) = Browser::start() else { return };
    let t = SiteTest::new("title = \"T\"\nid = \"t\"\n[[roles]]\nid = \"hr\"\nname = \"HR\"\n")
        .write("content/modules/01-m/_module.md", "+++\ntitle = \"M\"\n+++\n")
        .write("content/modules/01-m/01-l.md", "+++\ntitle = \"L\"\n+++\nText.\n");
    let server = crate::support::serve::Server::start(&t, 0);
    b.goto(&format!("http://127.0.0.1:{}/modules/m/l.html", server.port));
    b.execute(&format!("localStorage.setItem('{KEY}', 'not json {{')"), &[]);
    b.reload();
    b.wait_until(120, "the author bar", |b| {
        b.execute("return !!document.getElementById('skillbook-view-as')", &[]) == json!(true)
    });
    b.execute(
        "var s = document.getElementById('skillbook-view-as'); s.value = 'hr'; s.dispatchEvent(new Event('change'));",
        &[],
    );
    b.wait_until(120, "the role to be saved", |b| {
        b.execute(&format!("return (JSON.parse(localStorage.getItem('{KEY}') || '{{}}').role || '')"), &[])
            == json!("hr")
    });
    let aside = b.execute(
        &format!("for (var i = 0; i < localStorage.length; i++) {{ var k = localStorage.key(i); if (k.indexOf('{KEY}:aside:') === 0) return localStorage.getItem(k); }} return null;"),
        &[],
    );
    assert_eq!(aside, json!("not json {"));

    // Its reset goes through the store too: a value left in place for want of room to set it
    // aside is kept, and only the progress saved beside it is removed.
    b.execute(&format!("localStorage.clear(); localStorage.setItem('{KEY}', 'x'.repeat(5 * 1000 * 1000))"), &[]);
    b.reload();
    b.wait_until(120, "the author bar", |b| {
        b.execute("return !!document.getElementById('skillbook-reset-progress')", &[]) == json!(true)
    });
    let role = format!("return (JSON.parse(localStorage.getItem('{KEY}:next') || '{{}}').role || '')");
    b.execute("Skillbook.progress.setRole('hr')", &[]);
    assert_eq!(b.execute(&role, &[]), json!("hr"));
    b.execute(
        "window.confirm = function () { return true; }; document.getElementById('skillbook-reset-progress').click();",
        &[],
    );
    b.wait_until(120, "the reset", |b| b.execute(&role, &[]) == json!(""));
    let kept = b.execute(&format!("var v = localStorage.getItem('{KEY}'); return v && v.length"), &[]);
    assert_eq!(kept, json!(5_000_000), "the 5 MB value is kept");
}

#[test]
fn without_the_store_the_author_bar_leaves_saved_progress_alone() {
    let Some(b) = Browser::start() else { return };
    // A theme whose page shell loads none of the default theme's scripts.
    let base = "<!DOCTYPE html><html><head><title>{{ page_title }}</title></head>\
        <body data-site-id=\"{{ site.id }}\"><main id=\"main\">{% block content %}{% endblock content %}</main></body></html>\n";
    let t = SiteTest::new("title = \"T\"\nid = \"t\"\ntheme = \"bare\"\n[[roles]]\nid = \"hr\"\nname = \"HR\"\n")
        .write("themes/bare/templates/base.html", base)
        .write("content/modules/01-m/_module.md", "+++\ntitle = \"M\"\n+++\n")
        .write("content/modules/01-m/01-l.md", "+++\ntitle = \"L\"\n+++\nText.\n")
        .write("content/modules/01-m/quiz.toml", QUIZ);
    let server = crate::support::serve::Server::start(&t, 0);
    b.goto(&format!("http://127.0.0.1:{}/modules/m/quiz.html", server.port));
    b.execute(&format!("localStorage.clear(); localStorage.setItem('{KEY}', 'not json {{')"), &[]);
    b.reload();
    b.wait_until(120, "the author bar", |b| {
        b.execute("return !!document.getElementById('skillbook-author-bar')", &[]) == json!(true)
    });
    assert_eq!(b.execute("return !!window.Skillbook", &[]), json!(false), "the theme loads no store");
    // What needs the store is left out; the rest of the bar is there.
    assert_eq!(b.execute("return !!document.getElementById('skillbook-view-as')", &[]), json!(false));
    assert_eq!(b.execute("return !!document.getElementById('skillbook-reset-progress')", &[]), json!(false));
    assert_eq!(b.execute("return !!document.getElementById('skillbook-show-answers')", &[]), json!(true));
    assert_eq!(stored(&b), json!({ KEY: "not json {" }), "saved progress is untouched");
}
