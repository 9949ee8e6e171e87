//! Theme overrides and `static/` files.

use crate::support::SiteTest;

#[test]
fn site_theme_overrides_one_file_and_keeps_the_rest() {
    // The theme `brand` overrides the 404 template and the stylesheet; static/ has robots.txt.
    let t = SiteTest::fixture("theme-override");
    t.assert_build();
    assert_eq!(t.page("404.html"), "<!doctype html><main>Custom T 404</main>\n");
    let lesson = t.page("modules/a/l.html");
    assert!(lesson.contains("<h1"), "default templates still used");
    let css = std::fs::read_dir(t.out().join("assets"))
        .expect("assets")
        .flatten()
        .find(|e| {
            e.file_name().to_string_lossy().starts_with("skillbook.")
                && e.file_name().to_string_lossy().ends_with(".css")
        })
        .expect("hashed css");
    // The site's stylesheet replaces the default one (minified like every theme stylesheet).
    assert_eq!(std::fs::read_to_string(css.path()).expect("css"), "body{color:rebeccapurple}");
    assert_eq!(t.page("robots.txt"), "User-agent: *\n");
}

#[test]
fn missing_theme_is_an_error() {
    SiteTest::new("title = \"T\"\nid = \"t\"\ntheme = \"nope\"\n")
        .expected_exit(1)
        .expected_stderr("skillbook.toml:1:1: error: theme `nope` not found: there is no themes/nope/ folder\n  = help: create themes/<name>/ with the files to override, or use theme = \"default\"\nbuild failed with 1 error\n")
        .assert_build();
}

#[test]
fn broken_template_is_reported_with_its_name() {
    SiteTest::new("title = \"T\"\nid = \"t\"\ntheme = \"b\"\n")
        .write("themes/b/templates/404.html", "{% if %}\n")
        .expected_exit(1)
        .stderr_snapshot("broken_template")
        .assert_build();
}
