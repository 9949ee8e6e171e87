//! Lesson navigation in a real browser (headless Chromium over WebDriver): Next through a module
//! to its assessment and on along the learner's role path, the list of the module's lessons
//! beside the text (folded above it on a phone), the home page's "Continue where you left off"
//! and partial progress, the module cards home and role pages share, and the card that marks a
//! lesson complete. The site is `tests/fixtures/nav` (see `nav.rs`), whose folder order is not
//! the order of the paths.

use serde_json::{json, Value};

use crate::support::browser::{serve, Browser};
use crate::support::SiteTest;

/// Builds the fixture, serves it and opens a browser.
fn open() -> Option<(SiteTest, Browser, String)> {
    let browser = Browser::start()?;
    let t = SiteTest::fixture("nav");
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

fn js(b: &Browser, script: &str) -> Value {
    b.execute(script, &[])
}

fn text(b: &Browser, css: &str) -> String {
    b.text(&b.find(css))
}

fn wait_text(b: &Browser, css: &str, want: &str) {
    b.wait_until(5, &format!("{css} to say {want:?}"), |b| {
        js(b, &format!("var e = document.querySelector({css:?}); return e ? e.textContent : ''"))
            .as_str()
            .is_some_and(|t| t.contains(want))
    });
}

/// Where the element `css` (a link) leads, relative to `base`, and its label and title.
fn link(b: &Browser, base: &str, css: &str) -> (String, String, String) {
    let v = b.execute(
        "var a = document.querySelector(arguments[0]); var part = function (n) { var e = a.querySelector('[data-step=' + n + ']'); return e ? e.textContent : ''; }; \
         return [a.href, part('label'), part('title')]",
        &[json!(css)],
    );
    let at = |i: usize| v[i].as_str().unwrap_or_default().to_string();
    (at(0).strip_prefix(base).map_or_else(|| at(0), String::from), at(1), at(2))
}

fn to(href: &str, label: &str, title: &str) -> (String, String, String) {
    (href.to_string(), label.to_string(), title.to_string())
}

fn mark(b: &Browser, base: &str, page: &str) {
    visit(b, base, page);
    b.click(&b.find("[data-progress=mark-complete]"));
    wait_text(b, ".lesson-complete-status", "Lesson marked complete");
}

fn choose(b: &Browser, base: &str, role: &str) {
    visit(b, base, "index.html");
    b.click(&b.find(&format!(".role-option[data-role='{role}']")));
    wait_text(b, "#my-path", "Role: ");
}

#[test]
fn next_on_a_modules_last_lesson_goes_to_its_assessment() {
    let Some((_t, b, base)) = open() else { return };
    choose(&b, &base, "agent");
    visit(&b, &base, "modules/basics/two.html");
    assert_eq!(link(&b, &base, ".pager-next"), to("modules/basics/quiz.html", "Take the assessment", "Basics check"));
    b.click(&b.find(".pager-next"));
    b.wait_until(10, "the assessment page", |b| b.url().ends_with("modules/basics/quiz.html"));
}

#[test]
fn next_after_a_module_follows_the_chosen_roles_path_not_the_folders() {
    let Some((_t, b, base)) = open() else { return };
    // No role chosen: the next module of the site, Extra (folder 02).
    visit(&b, &base, "modules/basics/quiz.html");
    assert_eq!(link(&b, &base, ".pager-next"), to("modules/extra/index.html", "Next module", "Extra"));

    // Agent's path: Basics, Policy (required, folder 03), then Extra (optional), then the role.
    choose(&b, &base, "agent");
    visit(&b, &base, "modules/basics/quiz.html");
    assert_eq!(link(&b, &base, ".pager-next"), to("modules/policy/index.html", "Next module", "Policy"));
    b.click(&b.find(".pager-next"));
    b.wait_until(10, "the Policy module", |b| b.url().ends_with("modules/policy/index.html"));
    visit(&b, &base, "modules/policy/rules.html");
    assert_eq!(link(&b, &base, ".pager-next"), to("modules/extra/index.html", "Next module", "Extra"));
    assert_eq!(link(&b, &base, "[data-progress=next-step]"), to("modules/extra/index.html", "Next module", "Extra"));
    visit(&b, &base, "modules/extra/more.html");
    assert_eq!(link(&b, &base, ".pager-next"), to("roles/agent.html", "Your learning path", "Agent"));

    // Another role, chosen while the page is open, and then none.
    visit(&b, &base, "modules/basics/quiz.html");
    js(&b, "Skillbook.progress.setRole('boss')");
    assert_eq!(link(&b, &base, ".pager-next"), to("roles/boss.html", "Your learning path", "Boss"));
    js(&b, "Skillbook.progress.setRole('')");
    assert_eq!(link(&b, &base, ".pager-next"), to("modules/extra/index.html", "Next module", "Extra"));
}

/// Each item of the lesson list: its title, its status for screen readers, whether it is
/// the current page, and the mark shown for it.
const ITEMS: &str = "return Array.from(document.querySelectorAll('.lesson-nav-item')).map(function (li) { \
     var a = li.querySelector('a'); \
     return [li.querySelector('.lesson-nav-title').textContent, li.querySelector('.lesson-nav-state').textContent, \
       a.getAttribute('aria-current') === 'page', getComputedStyle(li.querySelector('.lesson-nav-mark'), '::before').content]; })";

/// The rectangles of the lesson list and of the lesson's text, and whether its links are shown.
const RECTS: &str = "var r = function (css) { var b = document.querySelector(css).getBoundingClientRect(); \
     return {left: b.left, right: b.right, top: b.top, bottom: b.bottom, height: b.height}; }; \
     return {nav: r('.lesson-nav'), text: r('.doc-body'), shown: document.querySelector('.lesson-nav-list a').checkVisibility()}";

#[test]
fn the_lesson_list_shows_each_lessons_status_and_marks_the_current_one() {
    let Some((_t, b, base)) = open() else { return };
    mark(&b, &base, "modules/basics/one.html");
    visit(&b, &base, "modules/basics/two.html");
    let items = json!([
        ["One", " (done)", false, "\"✓\""],
        ["Two", " (not started)", true, "\"\""],
        ["Assessment: Basics check", " (not taken)", false, "none"]
    ]);
    // A laptop: the list is open, beside the text.
    assert_eq!(js(&b, ITEMS), items);
    assert_eq!(js(&b, "return document.querySelector('.lesson-nav details').open"), json!(true));
    let rects = js(&b, RECTS);
    assert_eq!(rects["shown"], json!(true), "open: {rects}");
    assert!(rects["nav"]["right"].as_f64() < rects["text"]["left"].as_f64(), "{rects}");
    assert!(rects["nav"]["top"].as_f64() < rects["text"]["bottom"].as_f64(), "{rects}");
    assert!(text(&b, ".lesson-nav-summary").contains("Lesson 2 of 2 · 1 of 2 done"));

    // A phone: folded above the text, and opened with a tap.
    b.window_size(390, 844);
    visit(&b, &base, "modules/basics/two.html");
    assert_eq!(js(&b, "return document.querySelector('.lesson-nav details').open"), json!(false));
    let rects = js(&b, RECTS);
    assert!(rects["nav"]["bottom"].as_f64() <= rects["text"]["top"].as_f64(), "{rects}");
    assert_eq!(rects["shown"], json!(false), "folded: {rects}");
    b.click(&b.find(".lesson-nav-summary"));
    assert_eq!(js(&b, "return document.querySelector('.lesson-nav details').open"), json!(true));
    assert_eq!(js(&b, ITEMS), items);
    assert_eq!(js(&b, RECTS)["shown"], json!(true));
}

/// Stores progress for Agent: `lessons` done, and the Basics assessment passed if `passed`.
fn store(b: &Browser, lessons: &[&str], passed: bool) {
    b.execute(
        "var now = new Date().toISOString(), doc = {v: 1, role: 'agent', lessons: {}, quizzes: {}}; \
         arguments[0].forEach(function (id) { doc.lessons[id] = {done: now}; }); \
         if (arguments[1]) { var q = Skillbook.progressView.map.modules[0].quiz; \
           doc.quizzes[q.id] = {best: 100, attempts: 1, passed: now, rev: q.rev}; } \
         localStorage.setItem('skillbook:t', JSON.stringify(doc));",
        &[json!(lessons), json!(passed)],
    );
}

#[test]
fn home_shows_lessons_done_and_continue_leads_to_the_first_unfinished_step() {
    let Some((_t, b, base)) = open() else { return };
    choose(&b, &base, "agent");
    assert_eq!(text(&b, "[data-progress=continue-link]"), "Start");
    assert_eq!(link(&b, &base, "[data-progress=continue-link]").0, "modules/basics/one.html");
    assert_eq!(text(&b, ".path-continue-what"), "First: One · Basics");

    // The second lesson done, not the first: Continue leads to the first.
    mark(&b, &base, "modules/basics/two.html");
    visit(&b, &base, "index.html");
    assert_eq!(text(&b, "[data-progress=continue-link]"), "Continue where you left off");
    assert_eq!(link(&b, &base, "[data-progress=continue-link]").0, "modules/basics/one.html");
    assert!(text(&b, "#my-path .path-line").ends_with("1 of 3 lessons done"));
    // The path's bar counts lessons and assessments: 1 of Basics' 2 lessons and assessment
    // and Policy's lesson, though no module is done yet.
    assert_eq!(text(&b, "#my-path .path-line + .meter .meter-text"), "25% complete");
    let bar = "var p = document.querySelector(arguments[0] + ' .module-card[data-module-id=basics] progress'); \
               return [p.value, p.max, p.getAttribute('aria-label'), p.nextElementSibling.textContent]";
    for scope in ["#my-path .path-steps", "section[aria-labelledby=modules-title] .card-grid"] {
        assert_eq!(
            b.execute(bar, &[json!(scope)]),
            json!([1, 2, "Lessons done in Basics", "1 of 2 lessons done"]),
            "{scope}"
        );
    }

    // Both lessons done: the assessment is next; Continue goes there.
    mark(&b, &base, "modules/basics/one.html");
    visit(&b, &base, "index.html");
    assert_eq!(text(&b, ".path-continue-what"), "Next: Assessment: Basics check · Basics");
    b.click(&b.find("[data-progress=continue-link]"));
    b.wait_until(10, "the assessment page", |b| b.url().ends_with("modules/basics/quiz.html"));

    // Every required step done: the path is complete, with the certificate.
    visit(&b, &base, "index.html");
    store(&b, &["basics/one", "basics/two", "policy/rules"], true);
    b.reload();
    wait_text(&b, "#my-path .path-complete", "You have completed your learning path.");
    assert!(!b.exists("[data-progress=continue-link]"));
    assert_eq!(link(&b, &base, "#my-path .path-complete a").0, "certificate.html");
    // The role page says so too.
    visit(&b, &base, "roles/agent.html");
    wait_text(&b, ".role-choose .path-complete", "You have completed your learning path.");
}

/// The card of module `id` under `scope`, its links made absolute, once the script filled it in.
fn card(b: &Browser, scope: &str, id: &str) -> String {
    let css = format!("{scope} .module-card[data-module-id='{id}']");
    b.wait_until(5, &format!("{css} filled in"), |b| {
        b.execute("var c = document.querySelector(arguments[0]); return !!c && !c.querySelector('[data-progress=card]').hidden", &[json!(css)])
            == json!(true)
    });
    let html = b.execute(
        "var c = document.querySelector(arguments[0]).cloneNode(true); \
         c.querySelectorAll('a[href]').forEach(function (a) { a.setAttribute('href', a.href); }); return c.outerHTML",
        &[json!(css)],
    );
    html.as_str().expect("card").to_string()
}

#[test]
fn the_home_path_and_the_role_page_show_the_same_module_cards() {
    let Some((_t, b, base)) = open() else { return };
    visit(&b, &base, "index.html");
    store(&b, &["basics/one"], false);
    visit(&b, &base, "index.html");
    let home = [
        card(&b, "#my-path .path-steps", "basics"),
        card(&b, "#my-path .path-steps", "policy"),
        card(&b, "#my-path .path-optional", "extra"),
    ];
    assert!(home[0].contains("class=\"part-list\"") && home[0].contains("1 of 2 lessons done"), "{}", home[0]);
    visit(&b, &base, "roles/agent.html");
    let role = [
        card(&b, ".path-steps", "basics"),
        card(&b, ".path-steps", "policy"),
        card(&b, "#optional-title + .card-grid", "extra"),
    ];
    assert_eq!(home, role);
}

/// The rectangles of the mark-complete card and of the lesson's text column.
const CARD: &str = "var r = function (css) { var b = document.querySelector(css).getBoundingClientRect(); \
     return [b.left, b.right, b.top, b.bottom]; }; return [r('.lesson-complete'), r('.doc-body')]";

fn card_in_text_column(b: &Browser) {
    let v = js(b, CARD);
    let [card, body] = [&v[0], &v[1]].map(|r| (0..4).map(|i| r[i].as_f64().expect("number")).collect::<Vec<f64>>());
    assert!(card[0] >= body[0] - 0.5 && card[1] <= body[1] + 0.5, "card {card:?} not within the text column {body:?}");
    assert!(card[2] >= body[3], "card {card:?} below the text {body:?}");
}

#[test]
fn once_a_lesson_is_marked_complete_the_next_step_is_the_main_button_and_undo_a_quiet_one() {
    let Some((_t, b, base)) = open() else { return };
    visit(&b, &base, "modules/basics/one.html");
    let state = "var n = document.querySelector('[data-progress=next-step]'), m = document.querySelector('[data-progress=mark-complete]'); \
                 return {next: n.hidden ? null : [n.className, n.textContent], mark: [m.className, m.textContent], \
                   order: !!(n.compareDocumentPosition(m) & Node.DOCUMENT_POSITION_FOLLOWING), \
                   focus: document.activeElement === n}";
    assert_eq!(
        js(&b, state),
        json!({"next": null, "mark": ["button", "Mark lesson complete"], "order": true, "focus": false})
    );
    card_in_text_column(&b);
    b.click(&b.find("[data-progress=mark-complete]"));
    wait_text(&b, ".lesson-complete-status", "Lesson marked complete");
    assert_eq!(
        js(&b, state),
        json!({"next": ["button", "Next lesson: Two"], "mark": ["button button-quiet", "Mark as not complete"], "order": true, "focus": true})
    );
    assert_eq!(link(&b, &base, "[data-progress=next-step]").0, "modules/basics/two.html");
    card_in_text_column(&b);
    b.window_size(390, 844);
    card_in_text_column(&b);

    // Undo: the lesson is not done, and marking it is the main button again.
    b.click(&b.find("[data-progress=mark-complete]"));
    wait_text(&b, ".lesson-complete-status", "no longer marked complete");
    assert_eq!(js(&b, state)["mark"], json!(["button", "Mark lesson complete"]));
    assert_eq!(js(&b, state)["next"], Value::Null);

    // On the module's last lesson the next step is the assessment.
    mark(&b, &base, "modules/basics/two.html");
    assert_eq!(text(&b, "[data-progress=next-step]"), "Take the assessment: Basics check");
}
