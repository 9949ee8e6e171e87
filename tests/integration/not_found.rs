//! The 404 page at any depth: hosts (nginx `error_page`, GitHub Pages, Netlify) answer a
//! missing address such as `/training/modules/x/y/z` with the bytes of `404.html`, where links
//! relative to the portal's top folder lead nowhere. The page carries its styles inline, finds
//! the top folder with its script, or has absolute links when `base_url` is set.

use serde_json::json;

use crate::support::browser::{Browser, Options};
use crate::support::http::StaticServer;
use crate::support::SiteTest;

/// `t` built and served from the folder above its output, so that the portal lives under a
/// prefix (`/public/`), and every missing address gets `public/404.html`: the portal's URL
/// and the server's port.
fn served(t: &SiteTest) -> (String, u16) {
    t.build_ok();
    let out = t.out();
    let server = StaticServer::with_not_found(out.parent().expect("site folder"), &out.join("404.html"));
    (format!("{}public/", server.url()), server.port)
}

/// Computed styles that only the theme's stylesheet gives.
const STYLED: &str = "const css = (sel, p) => getComputedStyle(document.querySelector(sel)).getPropertyValue(p); \
    return [css('body', 'background-color'), css('.not-found .button', 'background-color'), \
            css('.site-header', 'border-bottom-style'), css('.not-found', 'text-align')]";

const LIGHT: [&str; 4] = ["rgb(247, 247, 245)", "rgb(13, 97, 99)", "solid", "center"];

#[test]
fn the_404_page_is_styled_and_its_links_and_search_work_at_any_depth() {
    let Some(b) = Browser::start() else {
        return;
    };
    let t = SiteTest::sample();
    let (portal, port) = served(&t);
    for missing in ["gone.html", "modules/listening/old/deeper/gone.html", "a/b/c/d/e/"] {
        b.goto(&format!("{portal}{missing}"));
        assert_eq!(b.execute(STYLED, &[]), json!(LIGHT), "{missing}");
        // The script found the top folder from where the theme's script loaded.
        b.wait_for("return document.documentElement.getAttribute('data-root')", "the portal's folder");
        assert_eq!(b.execute("return document.documentElement.getAttribute('data-root')", &[]), json!("/public/"));
        let links = b.execute(
            "return Array.from(document.querySelectorAll('.not-found a, .site-nav a, .site-footer a'), a => a.href)",
            &[],
        );
        for link in links.as_array().expect("links") {
            let link = link.as_str().expect("href");
            assert!(link.starts_with(&portal), "{missing}: {link}");
            let path = &link[portal.len() - "/public/".len()..];
            assert_eq!(crate::support::http::get(port, path).status, 200, "{missing}: {link} is a page");
        }
    }

    // The home button leads home.
    b.goto(&format!("{portal}modules/listening/old/deeper/gone.html"));
    b.wait_for("return document.documentElement.getAttribute('data-root')", "the portal's folder");
    b.click(&b.find(".not-found a.button"));
    b.wait_for("return document.body.getAttribute('data-page-kind') === 'home'", "the home page");
    assert_eq!(b.url(), format!("{portal}index.html"));

    // The header's search box finds pages and its results open them.
    b.goto(&format!("{portal}modules/listening/old/deeper/gone.html"));
    b.wait_for("return document.documentElement.getAttribute('data-root')", "the portal's folder");
    let input = b.find("#site-search-q");
    b.click(&input);
    b.send_keys(&input, "never publish");
    b.wait_for("return document.querySelectorAll('#site-search-list .search-hit').length >= 2", "results");
    b.click(&b.find("#site-search-list .search-hit a"));
    b.wait_for("return document.body.getAttribute('data-page-kind') === 'lesson'", "a lesson");
    assert!(b.url().starts_with(&format!("{portal}modules/story-harvesting/consent-and-credit.html")), "{}", b.url());

    // Enter in the box opens the search page with the query.
    b.goto(&format!("{portal}x/y/gone.html"));
    b.wait_for("return document.documentElement.getAttribute('data-root')", "the portal's folder");
    let input = b.find("#site-search-q");
    b.click(&input);
    b.send_keys(&input, "listening\u{E007}");
    b.wait_for(
        "return document.body.getAttribute('data-page-kind') === 'search' && document.querySelector('#search-results .search-hit')",
        "the search page's results",
    );
    assert_eq!(b.url(), format!("{portal}search/index.html?q=listening"));

    // Dark scheme: the inline styles have it too.
    b.color_scheme("dark");
    b.goto(&format!("{portal}x/y/gone.html"));
    assert_eq!(b.execute(STYLED, &[]).get(0), Some(&json!("rgb(18, 21, 23)")));
}

#[test]
fn with_base_url_the_404_page_links_work_at_any_depth_without_javascript() {
    let Some(b) = Browser::start_with(Options { javascript: false, ..Options::default() }) else {
        return;
    };
    let t = SiteTest::sample();
    let config = t.read("skillbook.toml").replacen('\n', "\nbase_url = \"/public\"\n", 1);
    let t = t.write("skillbook.toml", &config);
    let (portal, _) = served(&t);
    let page = t.page("404.html");
    assert!(page.contains("<a class=\"button\" href=\"/public/index.html\">"), "{page}");
    assert!(!page.contains("find-root"), "no script needed to find the links");
    assert!(!t.page("index.html").contains("/public/"), "other pages keep relative links");

    b.goto(&format!("{portal}modules/listening/old/deeper/gone.html"));
    assert_eq!(
        b.execute("return document.documentElement.classList.contains('js')", &[]),
        json!(false),
        "scripts are off"
    );
    assert_eq!(b.execute(STYLED, &[]), json!(LIGHT));
    b.click(&b.find(".not-found a.button"));
    b.wait_for("return document.body.getAttribute('data-page-kind') === 'home'", "the home page");
    assert_eq!(b.url(), format!("{portal}index.html"));
}

#[test]
fn a_full_base_url_makes_absolute_links_and_a_wrong_one_is_a_located_error() {
    let t = SiteTest::new("title = \"T\"\nid = \"t\"\nbase_url = \"https://intranet.example.com/training\"\n");
    t.build_ok();
    let page = t.page("404.html");
    assert!(!page.contains("find-root"), "no script needed to find the links");
    for link in
        ["https://intranet.example.com/training/index.html", "https://intranet.example.com/training/search/index.html"]
    {
        assert!(page.contains(&format!("href=\"{link}\"")), "{link}: {page}");
    }
    assert!(page.contains("action=\"https://intranet.example.com/training/search/index.html\""), "{page}");
    assert!(page.contains("<style>") && !page.contains("rel=\"stylesheet\""), "the styles are inline");

    SiteTest::new("title = \"T\"\nid = \"t\"\nbase_url = \"training/\"\n")
        .expected_exit(1)
        .expected_stderr(
            "skillbook.toml:3:12: error: `base_url` must be a full web address or a path starting with `/`\n  = help: start it with a slash, like base_url = \"/training/\" (the portal's path on its server), or with https://\nbuild failed with 1 error\n",
        )
        .assert_build();
}
