//! The portal on a phone (a 390 by 844 viewport in Chromium, touch): the header in one row
//! with the search box and the menu behind buttons, progress tables without columns off
//! screen, checkboxes and radio buttons a finger can hit; and pictures in the dark scheme.

use serde_json::{json, Value};

use crate::support::browser::{keys, serve, Browser, Options, PHONE};
use crate::support::SiteTest;

const PHONE_OPTIONS: Options = Options { phone: true, javascript: true };

/// The header's visible parts, each `[top, bottom, left, right]`, and the header's height.
const HEADER: &str = "const boxes = Array.from(document.querySelector('.site-header-inner').children) \
      .filter(e => e.getClientRects().length).map(e => { const r = e.getBoundingClientRect(); return [r.top, r.bottom, r.left, r.right]; }); \
    return [boxes, document.querySelector('.site-header').getBoundingClientRect().height, document.documentElement.scrollWidth]";

/// Asserts that the header's visible parts share one row inside the viewport, the header is
/// at most `max` pixels high and the page is no wider than the screen.
fn one_row(b: &Browser, page: &str, max: f64) {
    let v = b.execute(HEADER, &[]);
    let boxes = v[0].as_array().expect("boxes");
    let num = |b: &Value, i: usize| b[i].as_f64().expect("number");
    let lowest_top = boxes.iter().map(|b| num(b, 0)).fold(f64::MIN, f64::max);
    let highest_bottom = boxes.iter().map(|b| num(b, 1)).fold(f64::MAX, f64::min);
    assert_eq!(boxes.len(), 3, "{page}: title, search button and menu button: {v}");
    assert!(lowest_top < highest_bottom, "{page}: the header's parts are on one row: {v}");
    assert!(boxes.iter().all(|b| num(b, 2) >= 0.0 && num(b, 3) <= f64::from(PHONE.0)), "{page}: in view: {v}");
    assert!(v[1].as_f64().expect("height") <= max, "{page}: header height {v}");
    assert!(v[2].as_u64().expect("width") <= u64::from(PHONE.0), "{page}: no wider than the phone: {v}");
}

#[test]
fn on_a_phone_the_header_is_one_row_and_the_search_and_menu_open_from_buttons() {
    let Some(b) = Browser::start_with(PHONE_OPTIONS) else {
        return;
    };
    let t = SiteTest::sample();
    t.build_ok();
    let portal = serve(&t.out());
    for page in ["index.html", "modules/listening/why-listen.html", "progress.html", "search/index.html", "404.html"] {
        b.goto(&format!("{portal}{page}"));
        b.wait_for("return document.documentElement.classList.contains('js')", "skillbook.js");
        assert_eq!(
            b.execute("return [innerWidth, matchMedia('(pointer: coarse)').matches]", &[]),
            json!([PHONE.0, true])
        );
        one_row(&b, page, 72.0);
    }

    b.goto(&format!("{portal}modules/index.html"));
    b.wait_for("return document.documentElement.classList.contains('js')", "skillbook.js");
    let search = b.find("button[data-header-toggle=search]");
    let menu = b.find("button[data-header-toggle=menu]");
    assert_eq!(b.accessible_name(&search), "Search");
    assert_eq!(b.accessible_name(&menu), "Menu");
    let state = "return [document.querySelector('[data-header-toggle=search]').getAttribute('aria-expanded'), \
        document.querySelector('[data-header-toggle=menu]').getAttribute('aria-expanded'), \
        !!document.getElementById('site-search').getClientRects().length, !!document.getElementById('site-nav').getClientRects().length, \
        document.activeElement.id || document.activeElement.getAttribute('data-header-toggle')]";
    assert_eq!(b.execute(state, &[]), json!(["false", "false", false, false, null]));

    // The search button opens the box, focused; a search works as on a wide screen.
    b.click(&search);
    assert_eq!(b.execute(state, &[]), json!(["true", "false", true, false, "site-search-q"]));
    b.keys("listening");
    b.wait_for("return document.querySelectorAll('#site-search-list .search-hit').length >= 3", "results");
    let panel = b.execute(
        "const r = document.querySelector('.search-panel').getBoundingClientRect(); return r.left >= 0 && r.right <= innerWidth",
        &[],
    );
    assert_eq!(panel, json!(true), "the results fit the screen");
    // Escape closes the results, clears the box, then closes the box and goes back to its button.
    for _ in 0..3 {
        b.keys(keys::ESCAPE);
    }
    assert_eq!(b.execute(state, &[]), json!(["false", "false", false, false, "search"]));

    // The menu button shows the main navigation, one link a line, all in view; the other
    // button's panel closes.
    b.click(&search);
    b.click(&menu);
    assert_eq!(b.execute(state, &[]), json!(["false", "true", false, true, "menu"]));
    let links = b.execute(
        "return Array.from(document.querySelectorAll('#site-nav a'), a => { const r = a.getBoundingClientRect(); \
           return [a.textContent, r.left >= 0 && r.right <= innerWidth && r.height >= 24]; })",
        &[],
    );
    assert_eq!(
        links,
        json!([["Home", true], ["Roles", true], ["Modules", true], ["Playbooks", true], ["My progress", true]])
    );
    b.click(&b.find("#site-nav a[href$='playbooks/index.html']"));
    b.wait_for("return document.body.getAttribute('data-page-kind') === 'playbooks'", "the playbooks page");

    // `/` on a keyboard opens the box too.
    b.wait_for("return document.documentElement.classList.contains('js')", "skillbook.js");
    b.keys("/");
    assert_eq!(b.execute(state, &[]), json!(["true", "false", true, false, "site-search-q"]));
}

#[test]
fn on_a_phone_without_javascript_the_header_shows_its_links_and_search_box() {
    let Some(b) = Browser::start_with(Options { phone: true, javascript: false }) else {
        return;
    };
    let t = SiteTest::sample();
    t.build_ok();
    b.goto(&format!("{}index.html", serve(&t.out())));
    let shown = b.execute(
        "return ['#site-nav', '#site-search-q', '[data-header-toggle=search]', '[data-header-toggle=menu]'] \
           .map(s => !!document.querySelector(s).getClientRects().length)",
        &[],
    );
    assert_eq!(shown, json!([true, true, false, false]), "buttons that do nothing without scripts are not shown");
}

#[test]
fn on_a_phone_progress_tables_show_every_column_and_checkboxes_are_big_enough() {
    let Some(b) = Browser::start_with(PHONE_OPTIONS) else {
        return;
    };
    let t = SiteTest::sample();
    t.build_ok();
    let portal = serve(&t.out());

    b.goto(&format!("{portal}progress.html"));
    b.wait_for("return !document.querySelector('.progress-app').hidden", "progress.js");
    // Every cell in view, none cut off, each with the name of its column.
    let cells = b.execute(
        "return Array.from(document.querySelectorAll('.progress-table'), t => { \
           const heads = Array.from(t.querySelectorAll('thead th'), h => h.textContent); \
           const rows = Array.from(t.querySelectorAll('tbody tr')); \
           return { fits: t.scrollWidth <= t.parentElement.clientWidth, \
             cells: rows.flatMap(r => Array.from(r.children, c => { const b = c.getBoundingClientRect(); \
               return b.left >= 0 && b.right <= innerWidth && c.scrollWidth <= c.clientWidth + 1; })).every(x => x), \
             labels: Array.from(rows[0].querySelectorAll('td'), c => getComputedStyle(c, '::before').content), heads }; })",
        &[],
    );
    assert_eq!(
        cells,
        json!([
            {"fits": true, "cells": true, "labels": ["\"Required modules done\"", "\"Complete\"", "\"Certificate\""],
             "heads": ["Role", "Required modules done", "Complete", "Certificate"]},
            {"fits": true, "cells": true, "labels": ["\"Status\"", "\"Lessons done\"", "\"Complete\"", "\"Assessment\""],
             "heads": ["Module", "Status", "Lessons done", "Complete", "Assessment"]}
        ])
    );

    // Checklist boxes of a playbook, and the checkboxes and radio buttons of an assessment.
    let sizes = "return Array.from(document.querySelectorAll('input[type=checkbox], input[type=radio]'), c => { \
        const r = c.getBoundingClientRect(); return r.width >= 24 && r.height >= 24 ? 'ok' : c.outerHTML + ' ' + r.width + 'x' + r.height; }) \
        .filter(x => x !== 'ok').concat([document.querySelectorAll('input[type=checkbox], input[type=radio]').length])";
    for (page, kind) in [
        ("playbooks/answering-a-complaint.html", "checkbox"),
        ("modules/success-metrics/quiz.html", "checkbox"),
        ("modules/listening/quiz.html", "radio"),
    ] {
        b.goto(&format!("{portal}{page}"));
        b.wait_for(&format!("return document.querySelector('input[type={kind}]')"), page);
        let small = b.execute(sizes, &[]);
        let list = small.as_array().expect("list");
        assert_eq!(list.len(), 1, "{page}: too small: {small}");
        assert!(list[0].as_u64().expect("count") > 0, "{page}");
    }
}

#[test]
fn pictures_in_the_dark_scheme_get_a_soft_backdrop_and_are_dimmed() {
    let Some(b) = Browser::start() else {
        return;
    };
    let t = SiteTest::sample();
    t.build_ok();
    let lesson = format!("{}modules/listening/from-signal-to-action.html", serve(&t.out()));
    let look = "const img = document.querySelector('.prose img'); const s = getComputedStyle(img); \
        return [img.complete && img.naturalWidth > 0, s.filter, s.backgroundColor, s.paddingTop]";
    b.goto(&lesson);
    b.wait_for("return document.querySelector('.prose img').complete", "the diagram");
    assert_eq!(b.execute(look, &[]), json!([true, "none", "rgba(0, 0, 0, 0)", "0px"]), "light: as drawn");
    b.color_scheme("dark");
    b.goto(&lesson);
    b.wait_for("return document.querySelector('.prose img').complete", "the diagram");
    assert_eq!(b.execute(look, &[]), json!([true, "brightness(0.85) contrast(1.05)", "rgb(223, 227, 230)", "8px"]));
}
