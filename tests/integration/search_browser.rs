//! Search in real headless Chromium, on the sample training opened from `file://`: the `/`
//! shortcut, results in the expected order, opening one with the keyboard, landing on its
//! heading, and the standalone search page driven by its URL.

use std::fmt::Write as _;

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

/// The search page's status line, and whether "More results" is hidden.
const PAGE_STATE: &str = "return [document.getElementById('search-status').textContent, \
     document.querySelectorAll('#search-results .search-hit').length, document.getElementById('search-more').hidden]";

#[test]
fn a_query_without_results_offers_the_nearest_indexed_word_and_running_it_finds_results() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let t = SiteTest::sample();
    t.build_ok();
    let page = file_url(&t.out().join("search/index.html"));

    // The index holds the stem `listen`; the suggestion is the word as the pages write it.
    browser.goto(&format!("{page}?q=lisening"));
    let status = browser.wait_for(
        "const s = document.getElementById('search-status').textContent; return s.includes('Did you mean') && s",
        "a suggestion",
    );
    assert_eq!(status, json!("No results for “lisening”. Did you mean listening?"));
    let link = browser.find("#search-status a.search-suggestion");
    assert_eq!(
        browser.execute("return arguments[0].getAttribute('href')", &[Browser::arg(&link)]),
        json!("?q=listening")
    );
    browser.click(&link);
    browser.wait_for(
        "return document.getElementById('search-status').textContent === '11 results for “listening”'",
        "the suggested query's results",
    );
    assert_eq!(
        browser.execute("return [document.getElementById('search-page-q').value, location.search]", &[]),
        json!(["listening", "?q=listening"])
    );

    // Only the word that found nothing is replaced, in place; the others stay as typed.
    browser.goto(&format!("{page}?q=Brand%20voise"));
    let status = browser.wait_for(
        "const s = document.getElementById('search-status').textContent; return s.includes('Did you mean') && s",
        "a suggestion for two words",
    );
    assert_eq!(status, json!("No results for “Brand voise”. Did you mean Brand voice?"));

    // Nothing near: no suggestion once the search has settled; results: none either.
    for (q, settled) in [("zzzzqqq", "No results for “zzzzqqq”"), ("listening", "11 results for “listening”")] {
        browser.goto(&format!("{page}?q={q}"));
        browser.wait_for(&format!("return document.getElementById('search-status').textContent === '{settled}'"), q);
        // The suggestion is looked up after the status is shown: wait until that lookup is
        // done (it reads the shards the search loaded), then check that none was added.
        let none = browser.execute_async(
            "const done = arguments[arguments.length - 1]; \
             const e = new skillbookSearch.Engine('../'); \
             e.suggest(arguments[0], {}).then(s => requestAnimationFrame(() => done([s, document.getElementById('search-status').textContent])));",
            &[json!(q)],
        );
        assert_eq!(none, json!([null, settled]), "{q}");
    }

    // The header box offers it too, as a button that runs the suggested query.
    browser.goto(&file_url(&t.out().join("modules/index.html")));
    let input = browser.find("#site-search-q");
    browser.click(&input);
    browser.send_keys(&input, "complaitns");
    let button = browser.wait_for(
        "const b = document.querySelector('.search-panel .search-status button.search-suggestion'); return b && b.textContent",
        "a suggestion in the header",
    );
    assert_eq!(button, json!("complaint"));
    browser.click(&browser.find(".search-panel button.search-suggestion"));
    let titles = browser
        .wait_for(&format!("const t = {}; return t.length && t", TITLES.trim_start_matches("return ")), "results");
    assert!(!titles.as_array().expect("titles").is_empty());
    assert_eq!(
        browser.execute("return [document.activeElement.id, document.getElementById('site-search-q').value]", &[]),
        json!(["site-search-q", "complaint"])
    );
}

#[test]
fn more_results_is_offered_only_when_there_are_more() {
    let Some(browser) = Browser::start() else {
        return;
    };
    // 60 lessons of 20 sections that say "alpha text": more postings than a list's head holds
    // (1,000), so the browser loads the tails of these two lists only when it needs them.
    // Every lesson's title says "alpha" too: the head of `alpha` has every page of the word.
    // The head of `text` has the first 50 lessons (equal weights go to the earlier pages); the
    // last lesson says "text" once, in a long section, with "delta", which no other page has.
    let mut t = SiteTest::new("title = \"More\"\nid = \"more\"\n")
        .write("content/modules/01-m/_module.md", "# M\n\nThe module.\n");
    for i in 1..=60 {
        let mut lesson = format!("# Alpha {i}\n");
        for k in 1..=20 {
            write!(lesson, "\n## Part {k}\n\nAlpha text number {k}.\n").expect("a string");
        }
        t = t.write(&format!("content/modules/01-m/{i:02}-l{i}.md"), &lesson);
    }
    let long = "Here a text and delta meet in a long section with many more words than the others have in theirs.";
    t = t.write("content/modules/01-m/61-other.md", &format!("# Other\n\n{long}\n"));
    t.build_ok();
    let page = file_url(&t.out().join("search/index.html"));
    let state = PAGE_STATE.trim_start_matches("return ");

    // `alpha`: pages of 20; the tail holds no other page, so after the third page of results
    // no button offers more.
    browser.goto(&format!("{page}?q=alpha"));
    for shown in [20, 40] {
        let now =
            browser.wait_for(&format!("const s = {state}; return s[1] === {shown} && !s[2] && s"), "a page and More");
        assert_eq!(now[0], json!("60+ results for “alpha”"), "{now}");
        browser.click(&browser.find("#search-more"));
    }
    browser.wait_for(
        &format!("const s = {state}; return s[1] === 60 && s[2] && s[0] === '60 results for “alpha”' && s"),
        "every result, and no More button",
    );

    // `text`: the third page uses up the 50 pages of the head, so the tail is loaded, which
    // has 11 more: 10 fill that page, and More is offered for the last.
    browser.goto(&format!("{page}?q=text"));
    for shown in [20, 40] {
        browser.wait_for(&format!("const s = {state}; return s[1] === {shown} && !s[2] && s"), "a page and More");
        browser.click(&browser.find("#search-more"));
    }
    let now = browser.wait_for(&format!("const s = {state}; return s[1] === 60 && !s[2] && s"), "More, from the tail");
    assert_eq!(now[0], json!("61 results for “text”"), "{now}");
    browser.click(&browser.find("#search-more"));
    browser.wait_for(&format!("const s = {state}; return s[1] === 61 && s[2] && s"), "the tail's results, and no More");

    // Two words, the rarer one on a page only the common word's tail holds: the tail is
    // loaded at once, so the result is shown and More is not.
    browser.goto(&format!("{page}?q=text%20delta"));
    let now = browser
        .wait_for(&format!("const s = {state}; return s[0] === '1 result for “text delta”' && s"), "the one result");
    assert_eq!(now, json!(["1 result for “text delta”", 1, true]));
    assert_eq!(
        browser.execute("return document.querySelector('#search-results .search-hit-title').textContent", &[]),
        json!("Other")
    );
}
