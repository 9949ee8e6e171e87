//! Lesson navigation in the static HTML: Previous and Next through a module (its page, its
//! lessons, its assessment) and on to the next module of the site, where each role's path
//! goes after a module, the list of the module's lessons beside the text, and the module cards
//! the home page and the role pages share.

use crate::support::{snapshot, SiteTest};

/// `tests/fixtures/nav`: four modules whose folder order is not the order of the paths.
/// Agent: Basics and Policy required, Extra optional (path Basics, Policy, Extra; folders
/// Basics, Extra, Policy, Other). Boss: Other required, Basics optional.
fn site() -> SiteTest {
    let t = SiteTest::fixture("nav");
    t.assert_build();
    t
}

/// The value of `attr` in the first tag of `html` that holds `marker`.
fn attr_of(html: &str, marker: &str, attr: &str) -> String {
    let at = html.find(marker).unwrap_or_else(|| panic!("no {marker}"));
    let start = html[..at].rfind('<').expect("tag start");
    let tag = &html[start..at + html[at..].find('>').expect("tag end")];
    let value = tag.split(&format!(" {attr}=\"")).nth(1).unwrap_or_else(|| panic!("no {attr} in {tag}"));
    value.split('"').next().expect("attribute end").to_string()
}

/// The text of the element of `html` that starts at the tag holding `marker`, without tags.
fn text_of(html: &str, marker: &str, end: &str) -> String {
    let at = html.find(marker).unwrap_or_else(|| panic!("no {marker}"));
    let rest = &html[at..];
    let inner = &rest[rest.find('>').expect("tag end") + 1..rest.find(end).expect("element end")];
    let mut text = String::new();
    let mut in_tag = false;
    for c in inner.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

/// Previous and Next of a page: (href, label and title) of each.
fn pager(t: &SiteTest, page: &str) -> [(String, String); 2] {
    let html = t.page(page);
    let link = |class: &str| (attr_of(&html, class, "href"), text_of(&html, class, "</a>"));
    [link("class=\"pager-link pager-prev\""), link("class=\"pager-link pager-next\"")]
}

fn pair(href: &str, text: &str) -> (String, String) {
    (href.to_string(), text.to_string())
}

#[test]
fn next_goes_through_the_module_to_its_assessment_then_to_the_next_module_of_the_site() {
    let t = site();
    assert_eq!(
        pager(&t, "modules/basics/one.html"),
        [
            pair("../../modules/basics/index.html", "Module overviewBasics"),
            pair("../../modules/basics/two.html", "Next lessonTwo")
        ]
    );
    // The module's last lesson leads to its assessment, not to the next module's first lesson.
    assert_eq!(
        pager(&t, "modules/basics/two.html"),
        [
            pair("../../modules/basics/one.html", "Previous lessonOne"),
            pair("../../modules/basics/quiz.html", "Take the assessmentBasics check")
        ]
    );
    // After the assessment (or the last lesson of a module without one): the next folder's module.
    assert_eq!(
        pager(&t, "modules/basics/quiz.html"),
        [
            pair("../../modules/basics/two.html", "Previous lessonTwo"),
            pair("../../modules/extra/index.html", "Next moduleExtra")
        ]
    );
    assert_eq!(
        pager(&t, "modules/policy/rules.html"),
        [
            pair("../../modules/policy/index.html", "Module overviewPolicy"),
            pair("../../modules/other/index.html", "Next moduleOther")
        ]
    );
    // After the site's last module, home.
    assert_eq!(pager(&t, "modules/other/else.html")[1], pair("../../index.html", "Home pageT"));
    // The mark-complete card offers the same next step (shown once the lesson is done).
    let two = t.page("modules/basics/two.html");
    assert_eq!(attr_of(&two, "data-progress=\"next-step\"", "href"), "../../modules/basics/quiz.html");
    assert_eq!(attr_of(&two, "data-progress=\"next-step\"", "class"), "button");
}

/// Where each role's path goes after the module of `page`: (role, href, label and title).
fn path_next(t: &SiteTest, page: &str) -> Vec<(String, String, String)> {
    let html = t.page(page);
    let Some(start) = html.find("<template data-progress=\"path-next\">") else { return Vec::new() };
    let list = &html[start..start + html[start..].find("</template>").expect("template end")];
    list.split("<a ")
        .skip(1)
        .map(|a| {
            let a = format!("<a {a}");
            (attr_of(&a, "data-role", "data-role"), attr_of(&a, "data-role", "href"), text_of(&a, "<a ", "</a>"))
        })
        .collect()
}

fn next_of(role: &str, href: &str, text: &str) -> (String, String, String) {
    (role.to_string(), href.to_string(), text.to_string())
}

#[test]
fn a_modules_end_lists_the_next_module_of_each_roles_path_not_of_the_folders() {
    let t = site();
    // Agent's path is Basics, Policy (required), then Extra (optional), though Extra's folder
    // comes before Policy's; Boss's is Other, then Basics.
    assert_eq!(
        path_next(&t, "modules/basics/quiz.html"),
        [
            next_of("agent", "../../modules/policy/index.html", "Next modulePolicy"),
            next_of("boss", "../../roles/boss.html", "Your learning pathBoss")
        ]
    );
    assert_eq!(
        path_next(&t, "modules/policy/rules.html"),
        [next_of("agent", "../../modules/extra/index.html", "Next moduleExtra")]
    );
    assert_eq!(
        path_next(&t, "modules/extra/more.html"),
        [next_of("agent", "../../roles/agent.html", "Your learning pathAgent")]
    );
    assert_eq!(
        path_next(&t, "modules/other/else.html"),
        [next_of("boss", "../../modules/basics/index.html", "Next moduleBasics")]
    );
    // Pages whose Next stays in the module list none.
    assert_eq!(path_next(&t, "modules/basics/one.html"), []);
    assert_eq!(path_next(&t, "modules/basics/two.html"), []);
}

#[test]
fn a_lesson_lists_its_modules_lessons_and_assessment_and_marks_itself() {
    let t = site();
    // The list (a folded <details> the script opens on wide screens), the text, the card
    // that marks the lesson complete and the pager.
    snapshot!("lesson_two", t.main("modules/basics/two.html"));
    let one = t.page("modules/basics/one.html");
    assert!(one.contains("<li class=\"lesson-nav-item is-current\" data-lesson-id=\"basics/one\"><a href=\"../../modules/basics/one.html\" aria-current=\"page\">"));
    assert_eq!(one.matches("aria-current=\"page\"").count(), 2, "the breadcrumb and the list");
    // A module without an assessment lists its lessons only.
    assert!(!t.page("modules/policy/rules.html").contains("lesson-nav-quiz"));
}

/// The `<article class="card module-card">` of module `id` in `html`, with `root` taken off
/// its links.
fn card(html: &str, id: &str, root: &str) -> String {
    let start = html
        .find(&format!("<article class=\"card module-card\" data-module-id=\"{id}\">"))
        .unwrap_or_else(|| panic!("no card of {id}"));
    let end = start + html[start..].find("</article>").expect("card end");
    html[start..end].replace(&format!("href=\"{root}"), "href=\"")
}

#[test]
fn home_and_role_pages_show_the_same_module_cards() {
    let t = site();
    let home = t.page("index.html");
    let agent = t.page("roles/agent.html");
    for id in ["basics", "policy", "extra"] {
        assert_eq!(card(&home, id, ""), card(&agent, id, "../"), "{id}");
    }
    snapshot!("card", card(&home, "basics", ""));
    assert!(!agent.contains("module-card\" data-module-id=\"other\""), "Other is not on Agent's path");
}
