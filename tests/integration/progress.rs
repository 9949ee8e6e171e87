//! Learner progress markup: the "My progress" and certificate pages, the progress map pages
//! embed, playbook checklists, the `[progress]` settings, and progress UI hidden without JS.

use serde_json::Value;

use crate::support::{snapshot, SiteTest};

/// `tests/fixtures/progress`: a module required for the role `agent` with a lesson, a quiz and
/// a title that would end a script element, a second module, and a playbook with a checklist.
fn site() -> SiteTest {
    SiteTest::fixture("progress")
}

/// The fixture with `extra` added to its `skillbook.toml`.
fn site_with(extra: &str) -> SiteTest {
    let t = site();
    let config = format!("{}{extra}", t.read("skillbook.toml"));
    t.write("skillbook.toml", &config)
}

/// The progress map of the page `path`: embedded in it, or in the site's map script it loads.
fn map_of(t: &SiteTest, path: &str) -> Value {
    let html = t.page(path);
    let start = html.find("id=\"skillbook-map\"").expect("page has the map");
    let tag_end = start + html[start..].find('>').expect("tag end");
    if let Some(src) = html[start..tag_end].split(" src=\"").nth(1).and_then(|s| s.split('"').next()) {
        let root = "../".repeat(path.matches('/').count());
        let src = src.strip_prefix(&root).expect("the map script is under the site root");
        let script = t.page(src);
        let json = script.strip_prefix("window.skillbookMap=").and_then(|s| s.strip_suffix(";\n")).expect("map script");
        return serde_json::from_str(json).expect("the map is JSON");
    }
    let json_end = tag_end + 1 + html[tag_end + 1..].find("</script>").expect("script end");
    serde_json::from_str(&html[tag_end + 1..json_end]).expect("the map is JSON")
}

/// The whole opening tag of the first element of `html` with the attribute `attr`.
fn tag_with<'a>(html: &'a str, attr: &str) -> &'a str {
    let at = html.find(attr).unwrap_or_else(|| panic!("no {attr}"));
    let start = html[..at].rfind('<').expect("tag start");
    let end = at + html[at..].find('>').expect("tag end") + 1;
    &html[start..end]
}

#[test]
fn progress_and_certificate_pages_are_linked_from_every_page() {
    let t = site();
    t.assert_build();
    for page in ["index.html", "modules/basics/one.html", "playbooks/steps.html", "404.html"] {
        assert!(t.page(page).contains(">My progress</a></li>"), "{page}");
    }
    let progress = t.page("progress.html");
    assert!(progress.contains("<title>My progress · T</title>"));
    assert!(progress.contains("href=\"progress.html\" aria-current=\"page\">My progress</a>"));
    // The dashboard: a row per role and per module, import and learner name, a text for
    // browsers without JavaScript.
    snapshot!("progress_page", t.main("progress.html"));
    snapshot!("certificate_page", t.main("certificate.html"));
    assert!(t.page("certificate.html").contains("aria-current=\"true\">My progress</a>"));
    let css_url = progress.split("rel=\"stylesheet\" href=\"").nth(1).and_then(|s| s.split('"').next()).expect("css");
    let css = t.page(css_url);
    assert!(css.contains("body[data-page-kind=\"certificate\"] .site-header{display:none;}"), "print stylesheet");
}

#[test]
fn the_progress_map_lists_modules_lessons_assessments_and_paths() {
    let t = site();
    t.assert_build();
    let home = t.page("index.html");
    assert!(!home.contains("Basics </script>"), "a title cannot end the script element");
    assert!(!home.contains("\"lessons\":"), "no page lists every lesson: the site's map is a script of its own");
    assert!(home.contains("id=\"skillbook-map\" data-root=\"\" src=\"assets/map."));
    let map = map_of(&t, "index.html");
    snapshot!("map", serde_json::to_string_pretty(&map).expect("json"));
    let rev = map["modules"][0]["quiz"]["rev"].as_str().expect("rev");
    assert!(t.page("modules/basics/quiz.html").contains(&format!("data-rev=\"{rev}\"")), "the map's rev is the quiz's");
    for page in ["roles/index.html", "roles/agent.html", "progress.html", "certificate.html"] {
        assert_eq!(map_of(&t, page), map, "{page}");
    }
    // A module page carries its own module only; lesson pages carry none.
    let module = map_of(&t, "modules/extra/index.html");
    assert_eq!(module["modules"].as_array().map(Vec::len), Some(1));
    assert_eq!(module["modules"][0]["id"], "extra");
    assert!(!t.page("modules/basics/one.html").contains("skillbook-map"));
}

#[test]
fn task_items_are_numbered_labelled_checkboxes() {
    let t = site();
    t.assert_build();
    // Numbered from 0 in document order, nested ones too; only the playbook has the tools
    // that enable and save its boxes.
    snapshot!("checklist_playbook", t.main("playbooks/steps.html"));
    snapshot!("checklist_lesson", t.main("modules/basics/one.html"));
}

#[test]
fn progress_ui_is_hidden_without_javascript() {
    let t = site();
    t.assert_build();
    let widgets = [
        ("index.html", "data-progress=\"path\""),
        ("roles/agent.html", "data-progress=\"role-choose\""),
        ("modules/basics/index.html", "data-progress=\"module\""),
        ("modules/basics/one.html", "data-progress=\"lesson\""),
        ("playbooks/steps.html", "data-progress=\"checklist\""),
        ("progress.html", "data-progress=\"dashboard\""),
        ("certificate.html", "data-progress=\"certificate\""),
        ("certificate.html", "data-progress=\"certificate-missing\""),
    ];
    for (page, attr) in widgets {
        let tag = tag_with(&t.page(page), attr).to_string();
        assert!(tag.ends_with(" hidden>"), "{page}: {tag}");
    }
    // Without JavaScript, role links still lead to the role pages.
    snapshot!("home", t.main("index.html"));
    snapshot!("role_page", t.main("roles/agent.html"));
    snapshot!("module_page", t.main("modules/basics/index.html"));
}

#[test]
fn auto_complete_is_a_progress_setting() {
    let t = site_with("[progress]\nauto_complete = true\n");
    t.assert_build();
    assert!(t.page("modules/basics/one.html").contains(" data-auto-complete aria-labelledby="));
    let t = site();
    t.assert_build();
    assert!(!t.page("modules/basics/one.html").contains("data-auto-complete"));

    site_with("[progress]\nautocomplete = true\n")
        .expected_exit(1)
        .expected_stderr(
            "skillbook.toml:7:1: error: unknown key `autocomplete` in [progress]\n  = help: did you mean `auto_complete`?\nbuild failed with 1 error\n",
        )
        .assert_build();
}
