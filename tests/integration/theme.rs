//! Theme overrides and `static/` files.

use crate::support::SiteTest;

#[test]
fn site_theme_overrides_one_file_and_keeps_the_rest() {
    let t = SiteTest::new("title = \"T\"\ntheme = \"brand\"\n")
        .write("content/modules/a/_module.md", "+++\ntitle = \"A\"\n+++\n")
        .write("content/modules/a/01-l.md", "+++\ntitle = \"Lesson\"\n+++\nBody.\n")
        .write("themes/brand/templates/404.html", "<!doctype html><main>Custom {{ site.title }} 404</main>\n")
        .write("themes/brand/static/skillbook.css", "body { color: rebeccapurple }\n")
        .write("static/robots.txt", "User-agent: *\n");
    t.build_ok();
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
    let t = SiteTest::new("title = \"T\"\ntheme = \"nope\"\n");
    let run = t.run(&["build"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("skillbook.toml:1:1: error: theme `nope` not found"), "{}", run.stderr);
}

#[test]
fn broken_template_is_reported_with_its_name() {
    let t = SiteTest::new("title = \"T\"\ntheme = \"b\"\n").write("themes/b/templates/404.html", "{% if %}\n");
    let run = t.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("404.html"), "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"));
}
