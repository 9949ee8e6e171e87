//! Learner progress markup: the "My progress" and certificate pages, the progress map pages
//! embed, playbook checklists, the `[progress]` settings, and progress UI hidden without JS.

use serde_json::Value;

use crate::support::{main_of, SiteTest};

const CONFIG: &str = "title = \"T\"\nid = \"t\"\n[[roles]]\nid = \"agent\"\nname = \"Agent\"\n";

fn site(config: &str) -> SiteTest {
    SiteTest::new(config)
        .write(
            "content/modules/01-basics/_module.md",
            "+++\ntitle = \"Basics </script>\"\nrequired_for = [\"agent\"]\nvalid_for_days = 365\n+++\nIntro.\n",
        )
        .write("content/modules/01-basics/01-one.md", "+++\ntitle = \"One\"\n+++\nText one.\n\n- [ ] not saved here\n")
        .write(
            "content/modules/01-basics/quiz.toml",
            "title = \"Check\"\n[[question]]\nkind = \"true_false\"\nprompt = \"Yes?\"\nanswer = true\n",
        )
        .write("content/modules/02-extra/_module.md", "+++\ntitle = \"Extra\"\n+++\n")
        .write("content/modules/02-extra/01-more.md", "+++\ntitle = \"More\"\n+++\nMore.\n")
        .write(
            "content/playbooks/steps.md",
            "+++\ntitle = \"Steps\"\n+++\n- [ ] First, see [the lesson](../modules/01-basics/01-one.md)\n  - [x] Nested\n- [ ] Last\n",
        )
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

#[test]
fn progress_and_certificate_pages_are_linked_from_every_page() {
    let t = site(CONFIG);
    t.build_ok();
    for page in ["index.html", "modules/basics/one.html", "playbooks/steps.html", "404.html"] {
        assert!(t.page(page).contains(">My progress</a></li>"), "{page}");
    }
    let progress = t.page("progress.html");
    assert!(progress.contains("<title>My progress · T</title>"));
    assert!(progress.contains("href=\"progress.html\" aria-current=\"page\">My progress</a>"));
    let main = main_of(&progress);
    assert!(main.contains("<div class=\"progress-app\" data-progress=\"dashboard\" hidden>"));
    assert!(main.contains("<tr data-role=\"agent\"><th scope=\"row\"><a href=\"roles/agent.html\">Agent</a></th><td data-cell=\"modules\">0 of 1</td>"));
    assert!(main.contains("<tr data-module-id=\"extra\"><th scope=\"row\"><a href=\"modules/extra/index.html\">Extra</a></th><td data-cell=\"status\">Not started</td><td data-cell=\"lessons\">0 of 1</td><td data-cell=\"percent\">0%</td><td data-cell=\"quiz\">None</td></tr>"));
    assert!(main.contains("<label for=\"progress-import\">Import progress from a file</label>"));
    assert!(main.contains("<label for=\"progress-learner\">"));
    let cert = t.page("certificate.html");
    assert!(main_of(&cert).contains(
        "<article class=\"certificate\" data-progress=\"certificate\" aria-labelledby=\"certificate-title\" hidden>"
    ));
    assert!(cert.contains("aria-current=\"true\">My progress</a>"));
    let css_url = progress.split("rel=\"stylesheet\" href=\"").nth(1).and_then(|s| s.split('"').next()).expect("css");
    let css = t.page(css_url);
    assert!(css.contains("body[data-page-kind=\"certificate\"] .site-header{display:none;}"), "print stylesheet");
}

#[test]
fn the_progress_map_lists_modules_lessons_assessments_and_paths() {
    let t = site(CONFIG);
    t.build_ok();
    let home = t.page("index.html");
    assert!(!home.contains("Basics </script>"), "a title cannot end the script element");
    assert!(!home.contains("\"lessons\":"), "no page lists every lesson: the site's map is a script of its own");
    let map = map_of(&t, "index.html");
    let basics = &map["modules"][0];
    assert_eq!(basics["id"], "basics");
    assert_eq!(basics["title"], "Basics </script>");
    assert_eq!(basics["days"], 365);
    assert_eq!(basics["lessons"][0]["id"], "basics/one");
    assert_eq!(basics["lessons"][0]["url"], "modules/basics/one.html");
    assert_eq!(basics["quiz"]["id"], "basics/quiz");
    assert_eq!(basics["quiz"]["url"], "modules/basics/quiz.html");
    let quiz_page = t.page("modules/basics/quiz.html");
    let rev = basics["quiz"]["rev"].as_str().expect("rev");
    assert!(quiz_page.contains(&format!("data-rev=\"{rev}\"")), "the map's rev is the quiz's");
    assert_eq!(map["modules"][1]["quiz"], Value::Null);
    assert_eq!(map["roles"][0]["required"], serde_json::json!(["basics"]));
    assert!(home.contains("id=\"skillbook-map\" data-root=\"\" src=\"assets/map."));
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
    let t = site(CONFIG);
    t.build_ok();
    let playbook = t.page("playbooks/steps.html");
    assert!(playbook.contains(
        "<li class=\"task-list-item\"><label class=\"task-label\"><input type=\"checkbox\" data-check=\"0\" disabled> First, see <a href=\"../modules/basics/one.html\">the lesson</a></label><ul class=\"task-list\">\n<li class=\"task-list-item\"><label class=\"task-label\"><input type=\"checkbox\" data-check=\"1\" disabled checked> Nested</label></li>"
    ), "{}", main_of(&playbook));
    assert!(playbook.contains("<input type=\"checkbox\" data-check=\"2\" disabled> Last</label></li>"));
    assert!(playbook.contains(
        "<section class=\"checklist-tools\" data-progress=\"checklist\" data-checklist-id=\"playbooks/steps\""
    ));
    // Lessons get the same markup; only playbooks enable and save their boxes.
    let lesson = t.page("modules/basics/one.html");
    assert!(lesson.contains("<input type=\"checkbox\" data-check=\"0\" disabled> not saved here</label>"));
    assert!(!lesson.contains("data-progress=\"checklist\""));
}

#[test]
fn progress_ui_is_hidden_without_javascript() {
    let t = site(CONFIG);
    t.build_ok();
    let hidden = [
        ("index.html", "<section id=\"my-path\" class=\"section my-path\" aria-labelledby=\"my-path-title\" data-progress=\"path\" hidden>"),
        ("roles/agent.html", "<div class=\"role-choose\" data-progress=\"role-choose\" data-role=\"agent\" hidden>"),
        ("modules/basics/index.html", "<div class=\"module-progress\" data-progress=\"module\" data-module-id=\"basics\" hidden>"),
        ("modules/basics/one.html", "<section class=\"lesson-complete\" data-progress=\"lesson\" data-lesson-id=\"basics/one\" data-module-id=\"basics\" data-valid-for-days=\"365\" aria-labelledby=\"lesson-complete-title\" hidden>"),
        ("playbooks/steps.html", "aria-labelledby=\"checklist-title\" hidden>"),
        ("certificate.html", "<div class=\"certificate-missing\" data-progress=\"certificate-missing\" hidden>"),
    ];
    for (page, markup) in hidden {
        assert!(t.page(page).contains(markup), "{page}: {}", main_of(&t.page(page)));
    }
    // Role links still lead to the role pages.
    assert!(t.page("index.html").contains("<a class=\"role-option\" href=\"roles/agent.html\" data-role=\"agent\">"));
    assert!(t
        .page("progress.html")
        .contains("<p class=\"progress-nojs\">Keeping track of your progress needs JavaScript."));
}

#[test]
fn auto_complete_is_a_progress_setting() {
    let t = site(&format!("{CONFIG}[progress]\nauto_complete = true\n"));
    t.build_ok();
    assert!(t.page("modules/basics/one.html").contains(" data-auto-complete aria-labelledby="));
    let t = site(CONFIG);
    t.build_ok();
    assert!(!t.page("modules/basics/one.html").contains("data-auto-complete"));

    let t = site(&format!("{CONFIG}[progress]\nautocomplete = true\n"));
    let run = t.run(&["build"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "skillbook.toml:7:1: error: unknown key `autocomplete` in [progress]\n  = help: did you mean `auto_complete`?\nbuild failed with 1 error\n"
    );
}
