//! Property tests on sites built in memory (`skillbook::fuzz::Harness`): any generated valid
//! site builds; building is deterministic, cold or from a warm cache; rewritten links are
//! never absolute; hostile text in front matter, `skillbook.toml` and quizzes comes out inert.
//! Case counts are small so the suite stays fast; `scripts/fuzz` does the long runs.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use proptest::prelude::*;
use proptest::sample::select;
use skillbook::fuzz::Harness;

/// Pieces that would break out of HTML text or attributes, or into script, if unescaped.
/// Each carries a token that only an injection can put into a page (see `assert_inert`).
const HOSTILE: &[&str] = &[
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(2)>",
    "' onfocus='alert(3)' x='",
    "</script><svg onload=alert(4)>",
    "javascript:alert(5)",
    "</title></head><body><iframe src=x>",
    "{{ site.title }}{% raw %}",
    "<!--",
    "&amp;&lt;",
    "\\u003c/script\\u003e",
];

/// What an injection of `HOSTILE` would leave in a page.
const INJECTED: &[&str] = &[
    "<script>alert",
    "<img src=x",
    "onfocus='alert",
    "onfocus=\"alert",
    "<svg onload",
    "href=\"javascript:",
    "src=\"javascript:",
    "<iframe",
];

/// Plain words, so generated strings are mostly ordinary text.
const WORDS: &[&str] = &["Listen", "reply", "fast", "Écoute", "傾聴", "a&b", "x < y", "\"quoted\"", "it's", " "];

/// A non-empty one-line string mixing words and hostile pieces.
fn text(hostile: bool) -> impl Strategy<Value = String> {
    let pieces: Vec<&'static str> =
        if hostile { WORDS.iter().chain(HOSTILE).copied().collect() } else { WORDS.to_vec() };
    prop::collection::vec(select(pieces), 0..5).prop_map(|parts| format!("T {}", parts.concat()))
}

/// The text as a TOML basic string.
fn toml(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}

/// One lesson: its title, summary and the lessons it links to (by index).
#[derive(Debug, Clone)]
struct LessonSpec {
    title: String,
    summary: String,
    links: Vec<usize>,
}

/// A whole site: modules of lessons, a quiz per module, a playbook.
#[derive(Debug, Clone)]
struct SiteSpec {
    title: String,
    role_name: String,
    modules: Vec<(String, Vec<LessonSpec>)>,
    quiz_title: String,
    option: String,
}

fn site(hostile: bool) -> impl Strategy<Value = SiteSpec> {
    let lesson = (text(hostile), text(hostile), prop::collection::vec(0usize..12, 0..4))
        .prop_map(|(title, summary, links)| LessonSpec { title, summary, links });
    let module = (text(hostile), prop::collection::vec(lesson, 1..4));
    (text(hostile), text(hostile), prop::collection::vec(module, 1..4), text(hostile), text(false)).prop_map(
        |(title, role_name, modules, quiz_title, option)| SiteSpec { title, role_name, modules, quiz_title, option },
    )
}

/// The files of `spec`. Links go between lessons of any module, written relative to the
/// linking file the way an author would (`02-b.md`, `../02-m/01-a.md#intro`).
fn files(spec: &SiteSpec) -> Vec<(String, String)> {
    let mut out = vec![(
        "skillbook.toml".to_string(),
        format!(
            "title = {}\ndescription = {}\n[[roles]]\nid = \"hr\"\nname = {}\ndescription = {}\n",
            toml(&spec.title),
            toml(&spec.role_name),
            toml(&spec.role_name),
            toml(&spec.title)
        ),
    )];
    let all: Vec<(usize, usize)> =
        spec.modules.iter().enumerate().flat_map(|(m, (_, ls))| (0..ls.len()).map(move |l| (m, l))).collect();
    for (m, (title, lessons)) in spec.modules.iter().enumerate() {
        let dir = format!("content/modules/{:02}-m{m}", m + 1);
        out.push((
            format!("{dir}/_module.md"),
            format!("+++\ntitle = {}\nsummary = {}\nrequired_for = [\"hr\"]\n+++\nIntro.\n", toml(title), toml(title)),
        ));
        for (l, lesson) in lessons.iter().enumerate() {
            let mut body = format!(
                "+++\ntitle = {}\nsummary = {}\n+++\n## Intro\n\nText.\n\n",
                toml(&lesson.title),
                toml(&lesson.summary)
            );
            for &pick in &lesson.links {
                let (tm, tl) = all[pick % all.len()];
                let file = format!("{:02}-l{tl}.md", tl + 1);
                let target = if tm == m { file } else { format!("../{:02}-m{tm}/{file}", tm + 1) };
                let anchor = if pick % 2 == 0 { "#intro" } else { "" };
                let _ = writeln!(body, "- [to {tm}/{tl}]({target}{anchor})");
            }
            out.push((format!("{dir}/{:02}-l{l}.md", l + 1), body));
        }
        out.push((
            format!("{dir}/quiz.toml"),
            format!(
                "title = {}\n[[question]]\nkind = \"single\"\nprompt = \"Pick\"\noptions = [{}, \"other\"]\nanswer = 0\n\n[[question]]\nkind = \"text\"\nprompt = \"Type\"\naccept = [{}]\n",
                toml(&spec.quiz_title),
                toml(&spec.option),
                toml(&spec.quiz_title)
            ),
        ));
    }
    out.push((
        "content/playbooks/answer.md".to_string(),
        format!("+++\ntitle = {}\nroles = [\"hr\"]\n+++\n1. Step\n", toml(&spec.title)),
    ));
    out
}

fn build(harness: &mut Harness, files: &[(String, String)]) -> BTreeMap<String, Vec<u8>> {
    let refs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    match harness.site(&refs) {
        Ok(out) => out,
        Err(errors) => panic!("a valid site failed to build: {errors:#?}\n{files:#?}"),
    }
}

/// Every `href` and `src` of every page is relative (or an external URL of the page itself).
fn assert_relative_links(out: &BTreeMap<String, Vec<u8>>) {
    for (path, bytes) in out.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        for link in crate::support::links(&html) {
            assert!(!link.starts_with('/'), "{path}: absolute link {link}");
        }
    }
}

fn assert_inert(out: &BTreeMap<String, Vec<u8>>) {
    for (path, bytes) in out.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        // Data blocks (`<script type="application/json">`, the progress map) are never run:
        // they may hold any text as long as they cannot be closed early.
        let mut markup = String::new();
        let mut rest: &str = &html;
        while let Some(i) = rest.find("<script type=\"application/json\"") {
            markup.push_str(&rest[..i]);
            let block = &rest[i..];
            let open_end = block.find('>').expect("tag end") + 1;
            let close = block.find("</script>").expect("data block closed");
            let data = &block[open_end..close];
            assert!(!data.contains('<'), "{path}: a data block holds `<`: {data}");
            rest = &block[close + "</script>".len()..];
        }
        markup.push_str(rest);
        for bad in INJECTED {
            assert!(!markup.contains(bad), "{path} contains `{bad}`:\n{markup}");
        }
        // The theme's own scripts only: every other <script has a src into assets/, but for
        // the 404 page's, which finds the portal's folder and must be in the page itself
        // (404.html); it holds nothing of the site but the theme script's hashed name.
        for (i, _) in markup.match_indices("<script") {
            let tag = &markup[i..markup[i..].find('>').map_or(markup.len(), |e| i + e)];
            if path == "404.html" && tag == "<script data-skillbook=\"find-root\"" {
                continue;
            }
            assert!(tag.contains(" src=\"") && tag.contains("assets/"), "{path}: script tag {tag}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn valid_sites_build_deterministically_with_relative_links(spec in site(false)) {
        let files = files(&spec);
        let mut warm = Harness::default();
        let first = build(&mut warm, &files);
        let again = build(&mut warm, &files);
        let cold = build(&mut Harness::default(), &files);
        let refs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
        let once = Harness::site_once(&refs).expect("the streaming build of a valid site succeeds");
        prop_assert!(first == again, "a warm rebuild differs");
        prop_assert!(first == cold, "a second cold build differs");
        prop_assert!(first == once, "the streaming build (build, check) differs from serve's");
        assert_relative_links(&first);
    }

    #[test]
    fn hostile_strings_come_out_inert(spec in site(true)) {
        let out = build(&mut Harness::default(), &files(&spec));
        assert_inert(&out);
        assert_relative_links(&out);
    }
}

/// The link rewriter on arbitrary targets: whatever it rewrites is relative (checked inside
/// `Harness::link`, which panics otherwise).
#[test]
fn rewritten_links_are_never_absolute() {
    let segment = select(vec![
        "..",
        ".",
        "",
        "modules",
        "01-a",
        "02-b",
        "01-x.md",
        "02-y.md",
        "01-z.md",
        "_module.md",
        "img",
        "p.png",
        "%2e%2e",
        "%2F",
        "playbooks",
        "answer.md",
        "#top",
        "?q=1",
        "C:",
        "\\",
        "//",
        "https:",
    ]);
    let harness = std::cell::RefCell::new(Harness::default());
    let rewritten = std::cell::Cell::new(0);
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig { cases: 512, ..ProptestConfig::default() });
    runner
        .run(&prop::collection::vec(segment, 0..8), |parts| {
            rewritten.set(rewritten.get() + usize::from(harness.borrow_mut().link(&parts.join("/")).is_some()));
            Ok(())
        })
        .expect("property holds");
    assert!(rewritten.get() > 0, "no generated link was rewritten at all");
}
