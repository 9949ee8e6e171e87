//! Search in real headless Chromium, on the sample training opened from `file://`: the `/`
//! shortcut, results in the expected order, opening one with the keyboard, landing on its
//! heading, and the standalone search page driven by its URL.

use serde_json::json;

use crate::support::browser::{file_url, keys, Browser};
use crate::support::SiteTest;

/// Titles shown in the header's result list.
const TITLES: &str =
    "return Array.from(document.querySelectorAll('#site-search-list .search-hit-title'), e => e.textContent)";

#[test]
fn search_from_the_header_finds_opens_and_lands_on_the_heading() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let t = SiteTest::sample();
    t.build_ok();
    browser.goto(&file_url(&t.out().join("modules/index.html")));

    // `/` focuses the search box from anywhere on the page.
    browser.keys("/");
    assert_eq!(browser.execute("return document.activeElement.id", &[]), json!("site-search-q"));

    browser.keys("never publish");
    let titles =
        browser.wait_for(&format!("{TITLES}.length >= 2 && {}", TITLES.trim_start_matches("return ")), "results");
    assert_eq!(
        titles.as_array().expect("titles")[..2],
        [
            json!("Consent and credit › The never-publish list"),
            json!("Sharing a company story › Step 4: Publish and share")
        ]
    );
    let heading =
        browser.execute("return document.querySelector('#site-search-list .search-hit-heading').innerHTML", &[]);
    assert_eq!(heading, json!(" › The <mark>never</mark>-<mark>publish</mark> list"));

    // Escape closes the results; arrow keys bring them back and move through them.
    browser.keys(keys::ESCAPE);
    assert!(browser.exists(".search-panel[hidden]"));
    browser.keys(keys::DOWN);
    browser.wait_for("return !document.querySelector('.search-panel').hidden", "results again");
    browser.keys(keys::DOWN);
    assert_eq!(
        browser.execute("return document.getElementById('site-search-q').getAttribute('aria-activedescendant')", &[]),
        json!("site-search-opt-0")
    );

    // Enter opens the selected result at the heading that matched.
    browser.keys(keys::ENTER);
    let url = browser.wait_for("return location.href.includes('consent-and-credit') && location.href", "navigation");
    assert!(
        url.as_str().expect("url").ends_with("modules/story-harvesting/consent-and-credit.html#the-never-publish-list"),
        "{url}"
    );
    browser.wait_for(
        "const h = document.getElementById('the-never-publish-list'); const top = h && h.getBoundingClientRect().top; \
         return document.readyState === 'complete' && document.querySelector(':target') === h && scrollY > 0 && top > -5 && top < innerHeight - 40",
        "the heading as the target, scrolled into view",
    );
    assert_eq!(browser.execute("return document.getElementById('the-never-publish-list').tagName", &[]), json!("H2"));
}

#[test]
fn search_page_works_from_a_url_with_filters_and_the_js_stemmer_agrees() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let t = SiteTest::sample();
    t.build_ok();
    let page = file_url(&t.out().join("search/index.html"));
    browser.goto(&format!("{page}?q=listening"));
    let first = browser.wait_for(
        "const a = document.querySelector('#search-results .search-hit-title'); return a && a.textContent",
        "results",
    );
    assert_eq!(first, json!("Listening for your team"));
    assert_eq!(browser.execute("return document.getElementById('search-page-q').value", &[]), json!("listening"));
    let href = browser.execute("return document.querySelector('#search-results a').getAttribute('href')", &[]);
    assert_eq!(href, json!("../modules/listening/listening-for-your-team.html"));

    browser.goto(&format!("{page}?q=listening&module=engagement"));
    let links = browser.wait_for(
        "const m = Array.from(document.querySelectorAll('#search-results a'), e => e.getAttribute('href')); return m.length && m",
        "filtered results",
    );
    let links = links.as_array().expect("list");
    assert!(links.iter().all(|m| m.as_str().is_some_and(|m| m.starts_with("../modules/engagement/"))), "{links:?}");
    browser.goto(&format!("{page}?q=zzzzqqq"));
    browser
        .wait_for("return document.getElementById('search-status').textContent.startsWith('No results')", "no results");

    // The browser's stemmer gives the same stems as the build's (src/render/search/text.rs).
    let vectors = std::fs::read_to_string(crate::support::repo().join("tests/data/porter.txt")).expect("vectors");
    let wrong = browser.execute(
        "return arguments[0].split('\\n').filter(Boolean).map(l => l.split(' ')).filter(([w, s]) => skillbookSearch.stem(w) !== s)",
        &[json!(vectors)],
    );
    assert_eq!(wrong, json!([]));
}

/// Time to first results in Chromium on a built portal, for `scripts/search-bench`:
/// `SKILLBOOK_SEARCH_BENCH=PORTAL cargo test --test integration search_bench -- --ignored --nocapture`.
/// Prints one JSON line per query: milliseconds from the `input` event to results on screen.
#[test]
#[ignore = "a measurement, run by scripts/search-bench"]
fn search_bench_time_to_first_result() {
    let Ok(portal) = std::env::var("SKILLBOOK_SEARCH_BENCH") else {
        return;
    };
    let Some(browser) = Browser::start() else {
        return;
    };
    browser.goto(&file_url(&std::path::Path::new(&portal).join("modules/index.html")));
    browser.execute("document.getElementById('site-search-q').focus()", &[]);
    browser.wait_for("return !!window.skillbookSearch", "search.js");
    // A learner takes a moment between focusing the box and finishing a word.
    std::thread::sleep(std::time::Duration::from_millis(300));
    for (i, q) in ["listening", "brand voice", "escalat", "customer complaint"].iter().enumerate() {
        let script = "const [q, done] = [arguments[0], arguments[arguments.length - 1]]; \
            const input = document.getElementById('site-search-q'), list = document.getElementById('site-search-list'); \
            list.textContent = ''; \
            const t0 = performance.now(); \
            new MutationObserver((_, o) => { if (list.children.length) { o.disconnect(); \
              requestAnimationFrame(() => done({ms: performance.now() - t0, hits: list.children.length})); } }) \
              .observe(list, {childList: true}); \
            input.value = q; input.dispatchEvent(new Event('input'));";
        let r = browser.execute_async(script, &[json!(q)]);
        println!("{}", json!({"query": q, "first_on_page": i == 0, "ms": r["ms"], "shown": r["hits"]}));
    }
}
