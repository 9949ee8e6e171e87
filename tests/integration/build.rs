//! `build`, `check` and `new` on the sample training, the examples and generated corpora.

use std::path::Path;

use crate::support::http::{self, StaticServer};
use crate::support::{links, repo, snapshot, tree, SiteTest};

#[test]
fn sample_training_builds_with_titles_links_and_role_paths() {
    let t = SiteTest::sample();
    t.build_ok();
    let home = t.page("index.html");
    assert!(home.contains("<title>Social media is everyone&#39;s job</title>"), "{home}");
    // Modules appear in folder-prefix order on the modules index.
    let index = t.page("modules/index.html");
    let order: Vec<usize> = [
        "Representing the brand",
        "Success metrics",
        "Listening",
        "Story harvesting",
        "Engagement",
        "Policy and account security",
    ]
    .iter()
    .map(|title| index.find(title).unwrap_or_else(|| panic!("{title} missing from modules index")))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "modules out of order: {order:?}");
    // Relative .md links are rewritten to built pages; no internal link still ends in .md.
    for (path, bytes) in tree(&t.out()) {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).expect("utf-8");
        for link in links(&html) {
            let internal = !link.contains("://") && !link.starts_with("mailto:");
            assert!(
                !(internal && link.split('#').next().unwrap_or("").ends_with(".md")),
                "{path}: unrewritten link {link}"
            );
            assert!(!(internal && link.starts_with('/')), "{path}: absolute link {link}");
        }
    }
}

#[test]
fn markdown_features_render() {
    let t = SiteTest::fixture("markdown");
    t.assert_build();
    // Heading anchors, a callout, highlighted code, links rewritten to pages, a footnote, a
    // table, a task list, strikethrough and smart quotes; prev/next cross to the next lesson.
    snapshot!("markdown_first", t.main("modules/a/first.html"));
    snapshot!("markdown_second", t.main("modules/a/second.html"));
    // Hashed assets exist and are referenced relatively.
    let html = t.page("modules/a/first.html");
    let css =
        links(&html).into_iter().find(|l| l.contains("assets/skillbook.") && l.ends_with(".css")).expect("css link");
    assert!(css.starts_with("../../assets/skillbook."), "{css}");
    assert!(t.out().join("modules/a").join(&css).is_file());
}

#[test]
fn role_paths_list_required_and_optional_modules() {
    let t = SiteTest::fixture("role-paths");
    t.assert_build();
    snapshot!("role_paths_index", t.main("roles/index.html"));
    snapshot!("role_paths_hr", t.main("roles/hr.html"));
    snapshot!("role_paths_sales", t.main("roles/sales.html"));
}

#[test]
fn examples_and_new_site_build() {
    for example in ["minimal", "onboarding"] {
        let t = SiteTest::copy_of(&repo().join("examples").join(example));
        t.build_ok();
        assert!(t.out().join("index.html").is_file(), "{example}");
        assert!(t.out().join("404.html").is_file(), "{example}");
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("fresh");
    let status = std::process::Command::new(crate::support::bin()).arg("new").arg(&dir).status().expect("run");
    assert!(status.success());
    let t = SiteTest::copy_of(&dir);
    t.build_ok();
    assert!(t.page("modules/getting-started/welcome.html").contains("href=\"writing-lessons.html#tables\""));
    // `new` refuses a folder with files in it.
    let again = std::process::Command::new(crate::support::bin()).arg("new").arg(&dir).output().expect("run");
    assert_eq!(again.status.code(), Some(2));
}

#[test]
fn builds_are_byte_identical() {
    let t = SiteTest::sample();
    let a = t.tmp.path().join("a");
    let b = t.tmp.path().join("b");
    for out in [&a, &b] {
        let run = t.run(&["build", "--out", out.to_str().expect("utf-8")]);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    assert_eq!(tree(&a), tree(&b));
}

#[test]
fn check_writes_nothing() {
    let t = SiteTest::sample();
    let run = t.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!t.out().exists());
}

#[test]
fn generated_corpus_of_1000_lessons_builds() {
    let generator = repo().join("scripts/gen_corpus.py");
    let tmp = tempfile::tempdir().expect("tempdir");
    let corpus = tmp.path().join("corpus");
    let status = std::process::Command::new("python3")
        .arg(&generator)
        .arg(&corpus)
        .args(["--lessons", "1000"])
        .status()
        .expect("python3");
    assert!(status.success());
    let t = SiteTest::copy_of(&corpus);
    t.build_ok();
    let lessons = tree(&t.out())
        .iter()
        .filter(|(p, _)| p.starts_with("modules/m") && !p.ends_with("index.html") && !p.ends_with("quiz.html"))
        .count();
    assert_eq!(lessons, 1000);
}

/// Resolves `link` relative to the URL path `from` (which ends in a file name).
fn join_url(from: &str, link: &str) -> String {
    let link = link.split(['#', '?']).next().unwrap_or("");
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in link.split('/') {
        match seg {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

#[test]
fn portal_works_under_a_url_prefix_on_a_plain_static_server() {
    let t = SiteTest::sample();
    let www = t.tmp.path().join("www");
    let out = www.join("intranet/training");
    let run = t.run(&["build", "--out", out.to_str().expect("utf-8")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let server = StaticServer::start(&www);
    let checked = crawl(&out, server.port);
    assert!(checked >= 50, "only {checked} URLs checked");
}

/// Follows every relative href/src from the home page; asserts each resolves with 200.
fn crawl(out: &Path, port: u16) -> usize {
    let prefix = "/intranet/training/";
    let mut seen = std::collections::BTreeSet::new();
    let mut queue = vec![format!("{prefix}index.html")];
    while let Some(url) = queue.pop() {
        if !seen.insert(url.clone()) {
            continue;
        }
        assert_eq!(http::get(port, &url).status, 200, "{url}");
        if !url.ends_with(".html") {
            continue;
        }
        let html =
            std::fs::read_to_string(out.join(url.strip_prefix(prefix).expect("under prefix"))).expect("read page");
        for link in links(&html) {
            if link.contains("://") || link.starts_with('#') || link.starts_with("mailto:") || link.starts_with("tel:")
            {
                continue;
            }
            let target = join_url(&url, &link);
            assert!(target.starts_with(prefix), "{url} links outside the prefix: {link}");
            queue.push(target);
        }
    }
    seen.len()
}
