//! Accessibility of the default theme, checked by axe-core (from npm) inside headless Chromium:
//! no serious or critical violation on the home, lesson, quiz, module, playbook and progress
//! pages, in light and dark mode, with the progress parts shown; and on a phone, with the
//! header's menu and search box opened, a search suggestion, the 404 page.
//!
//! axe-core is looked for at `$SKILLBOOK_AXE`, else `target/axe/node_modules/axe-core/axe.min.js`
//! (`.ci/run` installs it there with npm). Without it the test is skipped, unless
//! `SKILLBOOK_REQUIRE_BROWSER=1`.

use std::path::PathBuf;

use serde_json::{json, Value};

use crate::support::browser::{serve, Browser, Options};
use crate::support::{repo, SiteTest};

fn axe_source() -> Option<String> {
    let path = std::env::var_os("SKILLBOOK_AXE")
        .map_or_else(|| repo().join("target/axe/node_modules/axe-core/axe.min.js"), PathBuf::from);
    let source = std::fs::read_to_string(&path).ok();
    let required = std::env::var("SKILLBOOK_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
    assert!(source.is_some() || !required, "axe-core not found at {}, and SKILLBOOK_REQUIRE_BROWSER=1", path.display());
    if source.is_none() {
        crate::support::browser::skipped(
            &format!("axe-core is not at {}", path.display()),
            "run npm install --prefix target/axe axe-core@4 (or set SKILLBOOK_AXE to axe.min.js)",
        );
    }
    source
}

/// Serious and critical violations of the page, as "rule: target" lines.
fn violations(b: &Browser, axe: &str) -> Vec<String> {
    b.execute(axe, &[]);
    let result = b.execute_async(
        "var done = arguments[arguments.length - 1];\
         axe.run(document).then(function (r) {\
           if (!r.passes.length) { done(['axe checked nothing']); return; }\
           done(r.violations.filter(function (v) { return v.impact === 'serious' || v.impact === 'critical'; })\
             .map(function (v) { return v.id + ': ' + v.nodes.map(function (n) { return n.target.join(' '); }).join(', '); }));\
         }, function (e) { done(['axe failed: ' + e]); });",
        &[],
    );
    result.as_array().map(|a| a.iter().filter_map(Value::as_str).map(String::from).collect()).unwrap_or_default()
}

#[test]
fn pages_have_no_serious_accessibility_violations_in_light_and_dark() {
    let Some(axe) = axe_source() else { return };
    let Some(b) = Browser::start() else { return };
    let t = SiteTest::sample();
    t.build_ok();
    let base = serve(&t.out());
    b.goto(&format!("{base}index.html"));
    // Some progress, so that the path, badges and notes are on the pages checked.
    b.execute(
        "localStorage.setItem('skillbook:social-everyone', JSON.stringify({v: 1, role: 'customer-service', \
         lessons: {'brand-representation/everyone-is-the-brand': {done: new Date().toISOString()}}, \
         quizzes: {'brand-representation/quiz': {best: 50, attempts: 1, rev: 'older'}}}))",
        &[],
    );
    let pages = [
        "index.html",
        "modules/brand-representation/everyone-is-the-brand.html",
        "modules/brand-representation/quiz.html",
        "modules/brand-representation/index.html",
        "playbooks/answering-a-complaint.html",
        "progress.html",
        "roles/customer-service.html",
    ];
    let mut found = Vec::new();
    for scheme in ["light", "dark"] {
        b.color_scheme(scheme);
        for page in pages {
            b.goto(&format!("{base}{page}"));
            b.wait_until(10, "progress.js", |b| {
                b.execute("return !!(window.Skillbook && Skillbook.progressView)", &[]) == json!(true)
            });
            found.extend(violations(&b, &axe).into_iter().map(|v| format!("{scheme} {page}: {v}")));
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn quiz_results_have_no_serious_accessibility_violations_in_light_and_dark() {
    let Some(axe) = axe_source() else { return };
    let Some(b) = Browser::start() else { return };
    let t = SiteTest::sample();
    t.build_ok();
    let base = serve(&t.out());
    // Every kind of question, with reveal = "always" (engagement) and "after_pass" (policy).
    let fill = "document.querySelectorAll('.quiz-question:not([hidden])').forEach(function (q) {\
        var k = q.dataset.kind, c = q.querySelector('.quiz-options input');\
        if (c) { c.click(); }\
        if (k === 'text') { var i = q.querySelector('.quiz-input'); i.value = 'no idea'; i.dispatchEvent(new Event('input', {bubbles: true})); }\
        if (k === 'order') { q.querySelector('.quiz-move:last-child').click(); }\
        q.querySelectorAll('select').forEach(function (s) { s.selectedIndex = 1; s.dispatchEvent(new Event('change', {bubbles: true})); });\
      });";
    let mut found = Vec::new();
    for scheme in ["light", "dark"] {
        b.color_scheme(scheme);
        for page in ["modules/engagement/quiz.html", "modules/policy-and-security/quiz.html"] {
            b.goto(&format!("{base}{page}"));
            b.execute("localStorage.clear()", &[]);
            b.reload();
            b.wait_until(10, "quiz.js", |b| {
                b.execute("return !!document.querySelector('.quiz.is-enhanced')", &[]) == json!(true)
            });
            // Refused: every question marked unanswered.
            b.click(&b.find(".quiz-submit"));
            assert!(b.exists(".quiz-question.is-unanswered"), "{page}");
            found.extend(violations(&b, &axe).into_iter().map(|v| format!("{scheme} {page} refused: {v}")));
            // Graded: marks on the answers, the result and its next steps at the top.
            b.execute(fill, &[]);
            b.click(&b.find(".quiz-submit"));
            assert!(b.exists(".quiz-mark"), "{page}");
            found.extend(violations(&b, &axe).into_iter().map(|v| format!("{scheme} {page} graded: {v}")));
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn on_a_phone_the_opened_header_suggestions_and_404_have_no_serious_accessibility_violations() {
    let Some(axe) = axe_source() else { return };
    let Some(b) = Browser::start_with(Options { phone: true, ..Options::default() }) else { return };
    let t = SiteTest::sample();
    t.build_ok();
    let base = serve(&t.out());
    // Each page, and what to do on it before checking: open a header button, wait for a
    // suggestion.
    let pages = [
        ("index.html", "document.querySelector('[data-header-toggle=menu]').click(); return true"),
        (
            "modules/listening/from-signal-to-action.html",
            "const b = document.querySelector('[data-header-toggle=search]'); if (b.getAttribute('aria-expanded') !== 'true') { b.click(); \
             const i = document.getElementById('site-search-q'); i.value = 'complaitns'; i.dispatchEvent(new Event('input')); } \
             return !!document.querySelector('.search-panel button.search-suggestion')",
        ),
        ("search/index.html?q=lisening", "return !!document.querySelector('#search-status a.search-suggestion')"),
        ("progress.html", "return !document.querySelector('.progress-app').hidden"),
        ("404.html", "return document.documentElement.hasAttribute('data-root')"),
    ];
    let mut found = Vec::new();
    for scheme in ["light", "dark"] {
        b.color_scheme(scheme);
        for (page, ready) in pages {
            b.goto(&format!("{base}{page}"));
            b.wait_for("return document.documentElement.classList.contains('js')", "skillbook.js");
            b.wait_for(ready, page);
            found.extend(violations(&b, &axe).into_iter().map(|v| format!("phone {scheme} {page}: {v}")));
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}
