//! What a new author trips over in the first hour: pages without front matter, e-mail
//! links, paths with spaces, links in raw HTML.

use crate::support::{main_of, SiteTest};

fn module(lesson: &str) -> SiteTest {
    SiteTest::new("title = \"First\"\nid = \"first\"\n")
        .write("content/modules/01-basics/_module.md", "# Basics\n\nThe first module.\n")
        .write("content/modules/01-basics/01-hello.md", lesson)
        .write("content/modules/01-basics/02-next.md", "+++\ntitle = \"Next\"\n+++\n\n## Part two\n\nText.\n")
        .write_bytes("content/modules/01-basics/images/Acme Logo.png", b"\x89PNG\r\n\x1a\n")
        .write_bytes("content/modules/01-basics/clip.mp4", b"not really a video")
}

#[test]
fn a_page_without_front_matter_takes_its_title_from_its_first_heading() {
    let site = module("# Hello there\n\nThe first lesson.\n\n# A second top heading\n");
    site.build_ok();
    let lesson = site.page("modules/basics/hello.html");
    assert!(lesson.contains("<title>Hello there"), "{lesson}");
    let main = main_of(&lesson);
    // The heading became the title: shown once, as the page's own heading.
    assert_eq!(
        main.matches("Hello there").count(),
        3,
        "breadcrumb, the module's list of lessons and title only:\n{main}"
    );
    assert!(main.contains("id=\"a-second-top-heading\""), "{main}");
    let intro = site.page("modules/basics/index.html");
    assert!(main_of(&intro).contains("<h1>Basics</h1>"), "{intro}");
}

#[test]
fn a_title_heading_later_in_the_page_stays_in_the_body() {
    let site = module("Some words first.\n\n# Hello there\n\nMore.\n");
    site.build_ok();
    let main = main_of(&site.page("modules/basics/hello.html")).to_string();
    assert!(main.contains("<h1>Hello there</h1>"), "{main}");
    assert!(main.contains("id=\"hello-there\""), "the body keeps its heading:\n{main}");
}

#[test]
fn a_page_with_neither_front_matter_nor_heading_is_an_error_that_says_both_ways() {
    let site = module("Just words.\n\n## Not a title\n");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("01-hello.md:1:1: error: lesson has no title"), "{}", run.stderr);
    assert!(run.stderr.contains("# My lesson") && run.stderr.contains("+++"), "{}", run.stderr);
}

#[test]
fn e_mail_autolinks_are_mail_links() {
    let site = module("# Hello\n\nWrite to <socialmedia@example.gov>.\n");
    site.build_ok();
    let main = main_of(&site.page("modules/basics/hello.html")).to_string();
    assert!(main.contains("<a href=\"mailto:socialmedia@example.gov\">socialmedia@example.gov</a>"), "{main}");
}

#[test]
fn a_path_with_a_space_is_an_error_with_the_fix_and_the_fix_works() {
    let site = module("# Hello\n\nOur logo:\n\n![logo](images/Acme Logo.png)\n");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("01-hello.md:5:1")
            && run.stderr.contains("this image shows as plain text: its path `images/Acme Logo.png` has a space")
            && run.stderr.contains("![logo](<images/Acme Logo.png>)"),
        "{}",
        run.stderr
    );
    let fixed = site.write("content/modules/01-basics/01-hello.md", "# Hello\n\n![logo](<images/Acme Logo.png>)\n");
    fixed.build_ok();
    let main = main_of(&fixed.page("modules/basics/hello.html")).to_string();
    assert!(main.contains("<img src=\"images/Acme Logo.png\" alt=\"logo\""), "{main}");
    assert!(fixed.out().join("modules/basics/images/Acme Logo.png").is_file());
}

#[test]
fn links_and_media_in_raw_html_are_checked_and_rewritten() {
    let site = module(concat!(
        "# Hello\n\n",
        "<video controls\n  src=\"clip.mp4\">\n  <source src=\"missing.webm\">\n</video>\n\n",
        "Inline <a href=\"02-next.md#part-two\">next</a> and <a href=\"02-next.md#nowhere\">bad</a>.\n\n",
        "<img src=\"../../nope.png\">\n",
    ));
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let errors: Vec<&str> = run.stderr.lines().filter(|l| l.contains(": error: ")).collect();
    assert!(run.stderr.contains("01-hello.md:5:16"), "the missing <source> at its line and column:\n{}", run.stderr);
    assert!(run.stderr.contains("file target `missing.webm` does not exist"), "{}", run.stderr);
    assert!(run.stderr.contains("#nowhere"), "{}", run.stderr);
    assert!(run.stderr.contains("nope.png"), "{}", run.stderr);
    assert_eq!(errors.len(), 3, "{}", run.stderr);

    let fixed = site.write(
        "content/modules/01-basics/01-hello.md",
        "# Hello\n\n<video controls\n  src=\"clip.mp4\"></video>\n\nInline <a href=\"02-next.md#part-two\">next</a>.\n",
    );
    fixed.build_ok();
    let main = main_of(&fixed.page("modules/basics/hello.html")).to_string();
    assert!(main.contains("src=\"clip.mp4\""), "{main}");
    assert!(main.contains("<a href=\"next.html#part-two\">next</a>"), "{main}");
}

#[test]
fn curly_quotes_in_toml_say_use_straight_quotes_at_the_quote() {
    let site = module("+++\ntitle = \u{201c}Hello\u{201d}\n+++\n\nText.\n");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("01-hello.md:2:9: error: `\u{201c}` is a curly quote; TOML needs straight quotes"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("title = \"Hello\""), "the hint shows the line fixed:\n{}", run.stderr);
    let config = SiteTest::new("title = \u{2018}First\u{2019}\n");
    let run = config.run(&["build"]);
    assert!(run.stderr.contains("skillbook.toml:1:9: error: `\u{2018}` is a curly quote"), "{}", run.stderr);
}

#[test]
fn a_colon_in_an_unquoted_yaml_value_says_put_it_in_quotes() {
    let site = module("---\ntitle: Step 2: Reply in public\n---\n\nText.\n");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("01-hello.md:2:8: error: the value of `title` has a colon in it"), "{}", run.stderr);
    assert!(run.stderr.contains("put the value in quotes: title: \"Step 2: Reply in public\""), "{}", run.stderr);
}

#[test]
fn a_link_to_the_built_page_names_the_markdown_file() {
    let site = module("# Hello\n\nSee [next](next.html) and [gone](../01-basics/nxet.md).\n");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("link to the Markdown file, not the built page: did you mean `02-next.md`?"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("did you mean `02-next.md`?\n"), "a close name, written as a link:\n{}", run.stderr);
}

#[test]
fn hints_name_the_site_s_own_pages_not_the_sample_s() {
    let site = module(concat!(
        "# Hello\n\n",
        "[rooted](/modules/01-basics/02-next.md) [anchor](02-next.md#part-too) [none](02-next.md#zzz-qqq)\n",
    ));
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("write the path relative to this file: 02-next.md"), "{}", run.stderr);
    assert!(run.stderr.contains("did you mean `part-two`?"), "{}", run.stderr);
    assert!(run.stderr.contains("its headings' anchors include #part-two"), "{}", run.stderr);
    assert!(run.stderr.contains("build failed with 3 errors"), "{}", run.stderr);
    for sample in ["listen", "alerts", "brand", "(s)"] {
        assert!(!run.stderr.contains(sample), "`{sample}` in:\n{}", run.stderr);
    }
}

#[test]
fn new_writes_an_id_from_the_folder_and_a_site_without_one_is_warned() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let run = std::process::Command::new(crate::support::bin())
        .args(["new", "Acme Social"])
        .current_dir(tmp.path())
        .output()
        .expect("run new");
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    assert!(String::from_utf8_lossy(&run.stderr).contains("next: cd \"Acme Social\" && skillbook serve"));
    let config = std::fs::read_to_string(tmp.path().join("Acme Social/skillbook.toml")).expect("config");
    assert!(config.contains("\nid = \"acme-social\"\n"), "{config}");
    assert!(config.contains("Never change it once learners"), "{config}");

    let site = SiteTest::new("title = \"Acme training\"\n")
        .write("content/modules/03 Social Tips/_module.md", "# Social tips\n")
        .write("content/modules/03 Social Tips/01 First steps.md", "# First steps\n");
    let run = site.build_ok();
    assert!(
        run.stderr.contains(
            "skillbook.toml:1:1: warning: skillbook.toml has no `id`, so learners' progress is saved under \"acme-training\""
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("add a line id = \"acme-training\""), "{}", run.stderr);
    // A number and a space before a folder or file name go, as `03-` does.
    assert!(site.out().join("modules/social-tips/first-steps.html").is_file());
}

#[test]
fn version_names_the_release_and_the_commit() {
    let out = std::process::Command::new(crate::support::bin()).arg("--version").output().expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    let expected = format!("skillbook {} (commit ", env!("CARGO_PKG_VERSION"));
    assert!(text.starts_with(&expected) && text.trim_end().ends_with(')'), "{text}");
    let commit = &text[expected.len()..text.trim_end().len() - 1];
    assert!(commit == "unknown" || (commit.len() == 12 && commit.bytes().all(|b| b.is_ascii_hexdigit())), "{text}");
}

#[test]
fn a_skipped_browser_test_says_so_on_the_terminal_with_how_to_run_it() {
    if std::env::var_os("SKILLBOOK_SKIP_NOTE_CHILD").is_some() {
        return;
    }
    // This test binary again, running only the accessibility test, without axe-core.
    let out = std::process::Command::new(std::env::current_exe().expect("test binary"))
        .args(["accessibility::", "--test-threads=1"])
        .env("SKILLBOOK_AXE", "/nonexistent/axe.min.js")
        .env("SKILLBOOK_SKIP_NOTE_CHILD", "1")
        .env_remove("SKILLBOOK_REQUIRE_BROWSER")
        .output()
        .expect("run the tests");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr
            .contains("note: skipped accessibility::pages_have_no_serious_accessibility_violations_in_light_and_dark"),
        "{stderr}"
    );
    assert!(stderr.contains("to run it, ") && stderr.contains("SKILLBOOK_REQUIRE_BROWSER=1"), "{stderr}");
}

#[test]
fn the_release_workflow_builds_every_system_on_a_tag_with_checksums() {
    let text = std::fs::read_to_string(crate::support::repo().join(".github/workflows/release.yml")).expect("workflow");
    let doc: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text).expect("the workflow is valid YAML");
    let tags = &doc["on"]["push"]["tags"];
    assert!(tags.as_sequence().is_some_and(|t| !t.is_empty()), "runs on version tags: {tags:?}");
    let targets: Vec<&str> = doc["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_sequence()
        .expect("a build matrix")
        .iter()
        .filter_map(|row| row["target"].as_str())
        .collect();
    for system in ["linux", "apple-darwin", "windows"] {
        assert!(targets.iter().any(|t| t.contains(system)), "{system} in {targets:?}");
    }
    assert!(text.contains("sha256"), "checksums");
    assert!(text.contains("--version"), "each binary is run once before it is published");
}

fn branded(theme: &str) -> SiteTest {
    module("# Hello\n\nText.\n")
        .write("skillbook.toml", &format!("title = \"First\"\nid = \"first\"\n\n[theme]\n{theme}"))
        .write("static/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 8 8\"/>")
        .write_bytes("static/favicon.png", b"\x89PNG\r\n\x1a\n")
}

#[test]
fn theme_keys_brand_the_portal_without_templates() {
    let site = branded(
        "logo = \"static/logo.svg\"\nfavicon = \"static/favicon.png\"\naccent = \"#7a1f5c\"\naccent_dark = \"#f0a6d6\"\n",
    );
    site.build_ok();
    let lesson = site.page("modules/basics/hello.html");
    assert!(lesson.contains("<img class=\"site-logo\" src=\"../../logo.svg\""), "{lesson}");
    assert!(lesson.contains("<link rel=\"icon\" href=\"../../favicon.png\">"), "{lesson}");
    let css =
        crate::support::links(&lesson).into_iter().find(|l| l.contains("assets/brand.")).expect("brand css linked");
    let css = std::fs::read_to_string(site.out().join("modules/basics").join(&css)).expect("brand css");
    assert!(css.contains("--accent:#7a1f5c") && css.contains("--accent:#f0a6d6"), "{css}");
}

#[test]
fn an_accent_without_contrast_is_an_error_that_names_the_ratio() {
    let run = branded("accent = \"#77aadd\"\n").run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("skillbook.toml:5:10: error: `accent` #77aadd has a contrast of 2.28:1")
            && run.stderr.contains(":1 with the page background #f7f7f5; it needs at least 4.5:1"),
        "{}",
        run.stderr
    );
    // A dark accent read on dark: the light one does not, so a lighter one is suggested.
    let run = branded("accent = \"#0d6163\"\n").run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("with the dark page background #121517"), "{}", run.stderr);
    assert!(run.stderr.contains("add accent_dark = \"#"), "{}", run.stderr);
    let run = branded("logo = \"static/nope.svg\"\nfavicon = \"logo.gif\"\n").run(&["build"]);
    assert!(run.stderr.contains("error: the logo file `static/nope.svg` does not exist"), "{}", run.stderr);
    assert!(run.stderr.contains("error: `favicon` must be a ico/png/svg file in static/"), "{}", run.stderr);
}

#[test]
fn the_old_theme_string_still_works() {
    let site = module("# Hello\n").write("skillbook.toml", "title = \"First\"\nid = \"first\"\ntheme = \"default\"\n");
    site.build_ok();
    assert!(!site.page("index.html").contains("assets/brand."));
}
