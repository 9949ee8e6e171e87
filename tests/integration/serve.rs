//! `serve`: the real server on a free loopback port — content types, 404, traversal, `ETag`s,
//! port fallback, live reload over Server-Sent Events, errors, equality with a cold build,
//! and a bounded load test.

use std::io::{ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::support::http::{self, Events};
use crate::support::serve::Server;
use crate::support::{tree, SiteTest};

/// The body of a 200 response to `GET path`, as text.
fn served(server: &Server, path: &str) -> String {
    let response = server.get(path);
    assert_eq!(response.status, 200, "{path}: {}", response.head);
    response.text()
}

fn lesson(t: &SiteTest) -> std::path::PathBuf {
    t.site.join("content/modules/03-listening/01-why-listen.md")
}

#[test]
fn serves_files_with_types_etags_and_refuses_traversal() {
    let t = SiteTest::sample();
    let busy = TcpListener::bind("127.0.0.1:0").expect("bind");
    let busy_port = busy.local_addr().expect("addr").port();
    let server = Server::start(&t, busy_port);
    assert_ne!(server.port, busy_port, "took the next port");
    assert!(server.log().iter().any(|l| l.contains(&format!("port {busy_port} is taken"))), "{:?}", server.log());
    let page = server.get("/");
    assert_eq!(page.status, 200);
    assert_eq!(page.header("Content-Type"), Some("text/html; charset=utf-8"), "{}", page.head);
    assert_eq!(page.header("Cache-Control"), Some("no-cache"));
    assert!(page.text().contains("Choose your role"));
    assert!(page.text().contains("<script src=\"/_skillbook/live.js\""), "live reload injected");
    let svg = server.get("/modules/listening/images/listening-loop.svg");
    assert_eq!(svg.status, 200);
    assert_eq!(svg.header("Content-Type"), Some("image/svg+xml"), "{}", svg.head);
    let assets: Vec<String> = tree(&{
        let run = t.run(&["build", "--out", t.tmp.path().join("cold").to_str().expect("utf-8")]);
        assert_eq!(run.code, 0);
        t.tmp.path().join("cold")
    })
    .into_iter()
    .map(|(p, _)| p)
    .filter(|p| p.starts_with("assets/"))
    .collect();
    for asset in &assets {
        let response = server.get(&format!("/{asset}"));
        let kind = if asset.ends_with(".css") { "text/css" } else { "text/javascript" };
        assert_eq!(response.status, 200);
        assert!(response.header("Content-Type").is_some_and(|v| v.contains(kind)), "{asset}: {}", response.head);
    }
    assert_eq!(server.get("/modules/listening/").status, 200);
    let moved = server.get("/modules/listening");
    assert_eq!(moved.status, 301);
    assert_eq!(moved.header("Location"), Some("/modules/listening/"));
    let missing = server.get("/no/such/page.html");
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("<html"), "the portal's 404 page");
    // ETag revalidation and HEAD.
    let etag = page.header("ETag").expect("etag");
    assert_eq!(server.request(&format!("GET / HTTP/1.1\r\nIf-None-Match: {etag}")).status, 304);
    assert_eq!(server.request("GET / HTTP/1.1\r\nIf-None-Match: \"other\"").status, 200);
    let head = server.request("HEAD / HTTP/1.1");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty(), "HEAD has no body: {}", head.text());
    assert_eq!(server.request("POST / HTTP/1.1\r\nContent-Length: 0").status, 405);
    for bad in [
        "/../skillbook.toml",
        "/%2e%2e/skillbook.toml",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/modules/%2e%2e/%2e%2e/%2e%2e/x",
        "/..%2f..%2fetc/passwd",
        "/a%5c..%5c..%5cx",
        "/%5c%5c..%5cx",
        "/%00",
        "/index.html%00.css",
        "/C:/Windows/win.ini",
        "/%c0%ae%c0%ae/x",
        "/%zz",
    ] {
        assert_eq!(server.get(bad).status, 400, "{bad}");
    }
    // Limits: a huge header, too many headers; idle and half-sent requests hold only themselves.
    let huge = "x".repeat(20_000);
    assert_eq!(server.request(&format!("GET / HTTP/1.1\r\nX-Big: {huge}")).status, 431);
    let many = (0..150).fold(String::new(), |acc, i| acc + "\r\nX-" + &i.to_string() + ": y");
    assert_eq!(server.request(&format!("GET / HTTP/1.1{many}")).status, 431);
    assert_eq!(server.get(&format!("/{}", "a".repeat(5000))).status, 414);
    let idle: Vec<TcpStream> = (0..40)
        .map(|_| {
            let mut s = http::connect(server.port);
            s.write_all(b"GET / HTTP/1.1\r\nHost: slow").expect("half a request");
            s
        })
        .collect();
    assert_eq!(server.get("/").status, 200, "served while 40 clients dawdle");
    // They were still waiting, unanswered and open, when that request was answered.
    for mut s in idle {
        s.set_nonblocking(true).expect("nonblocking");
        let read = s.read(&mut [0; 64]);
        assert!(
            read.as_ref().is_err_and(|e| e.kind() == ErrorKind::WouldBlock),
            "an idle client was answered: {read:?}"
        );
    }
    assert!(!t.out().exists(), "serve never writes into the site's public/");
    let key = server.get("/_skillbook/answers.json");
    assert_eq!(key.status, 200);
    let key = key.text();
    assert!(key.contains("\"listening/quiz\":[{\"answer\":\"Every team, each for its own purposes\""), "{key}");
    server.interrupt();
    drop(busy);
}

#[test]
fn edits_reload_pages_and_errors_keep_the_last_good_build() {
    let t = SiteTest::sample();
    let server = Server::start(&t, 0);
    let mut events = server.events();
    let (kind, first_tag) = events.next();
    assert_eq!(kind, "reload");
    let initial = server.builds();

    // An edit: one reload event with a new tag, and the new text served.
    let path = lesson(&t);
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, format!("{text}\nA sentence added while serving.\n")).expect("write");
    let (kind, tag) = events.next();
    assert_eq!(kind, "reload");
    assert_ne!(tag, first_tag);
    assert!(served(&server, "/modules/listening/why-listen.html").contains("A sentence added while serving."));

    // An editor's atomic save: write a temporary file, rename it over the lesson. One rebuild.
    // The server may log a build after it sends the reload event: wait for the edit's line.
    server.wait_builds(initial + 1);
    let builds = server.builds();
    let temp = path.with_file_name(".01-why-listen.md.tmp1234");
    std::fs::write(&temp, format!("{text}\nSaved atomically.\n")).expect("write temp");
    std::fs::rename(&temp, &path).expect("rename");
    let (kind, _) = events.next();
    assert_eq!(kind, "reload");
    // Then an edit of another page, which the server renders alone and names in its log once
    // every earlier change has been built: had the save given a second rebuild, it is counted
    // (or it joined this edit, which then is no one-page rebuild and is never logged as one).
    let playbook = t.site.join("content/playbooks/what-not-to-post.md");
    let playbook_text = std::fs::read_to_string(&playbook).expect("read");
    std::fs::write(&playbook, format!("{playbook_text}\nAn edit after the save.\n")).expect("write");
    assert_eq!(events.next().0, "reload");
    server.wait_log("1 page rendered (playbooks/what-not-to-post.html)");
    assert_eq!(server.builds(), builds + 2, "one rebuild for an atomic save: {:?}", server.log());

    // A broken front matter: an errors event; the last good page is still served.
    std::fs::write(&path, text.replacen("title = \"", "title = ", 1)).expect("break");
    let (kind, data) = events.next();
    assert_eq!(kind, "errors");
    assert!(data.contains("content/modules/03-listening/01-why-listen.md:2:9: error: invalid TOML"), "{data}");
    assert!(served(&server, "/modules/listening/why-listen.html").contains("Saved atomically."));
    // Fixed: reload.
    std::fs::write(&path, &text).expect("fix");
    assert_eq!(events.next().0, "reload");
    assert!(!served(&server, "/modules/listening/why-listen.html").contains("Saved atomically."));

    // A lesson without quizzes: a body-only edit is rebuilt as that page alone, but not one
    // that breaks a link or an anchor; the whole build reports it, and the last good page stays.
    let alerts = path.with_file_name("02-setting-up-alerts.md");
    let original = std::fs::read_to_string(&alerts).expect("read");
    std::fs::write(&alerts, format!("{original}\nOne more line.\n")).expect("write");
    assert_eq!(events.next().0, "reload");
    assert!(served(&server, "/modules/listening/setting-up-alerts.html").contains("One more line."));
    server.wait_log("1 page rendered (modules/listening/setting-up-alerts.html)");
    for broken in ["[gone](99-missing.md)", "[gone](01-why-listen.md#no-such-heading)"] {
        std::fs::write(&alerts, format!("{original}\nSee {broken}.\n")).expect("write");
        let (kind, data) = events.next();
        assert_eq!(kind, "errors", "{broken}");
        assert!(data.contains("content/modules/03-listening/02-setting-up-alerts.md:"), "{data}");
        assert!(!served(&server, "/modules/listening/setting-up-alerts.html").contains("See <a"), "{broken}");
        std::fs::write(&alerts, &original).expect("fix");
        assert_eq!(events.next().0, "reload");
    }
}

#[test]
fn a_burst_of_200_changed_files_gives_one_rebuild() {
    // Counting rebuilds depends on timing: no Chromium may run meanwhile.
    let _alone = crate::support::browser::exclusive();
    let t = SiteTest::sample();
    let server = Server::start(&t, 0);
    server.wait_builds(1);
    let mut events = server.events();
    assert_eq!(events.next().0, "reload");
    // Like a `git checkout`: 200 files written as fast as possible.
    let dir = t.site.join("content/modules/10-burst");
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(dir.join("_module.md"), "+++\ntitle = \"Burst\"\n+++\n").expect("write");
    for i in 0..199 {
        std::fs::write(dir.join(format!("{i:03}-lesson-{i}.md")), format!("+++\ntitle = \"L{i}\"\n+++\nText {i}.\n"))
            .expect("write");
    }
    assert_eq!(events.next().0, "reload");
    // A file written after the burst is seen after all of it: once its build is logged, every
    // build the burst caused has been (a broken file, so that its build says so in the log).
    let marker = dir.join("999-marker.md");
    std::fs::write(&marker, "+++\ntitle = \"Marker\"\n+++\n[x](gone.md)\n").expect("write");
    while events.next().0 != "errors" {}
    server.wait_log("build failed");
    let rebuilds = server.builds() - 2;
    eprintln!("200 files written: {rebuilds} rebuild(s)");
    assert!(
        rebuilds <= 2,
        "a burst gives one rebuild (two at most if it straddles the quiet time): {:?}",
        server.log()
    );
    std::fs::remove_file(&marker).expect("remove");
    assert_eq!(events.next().0, "reload");
    assert_eq!(server.get("/modules/burst/lesson-198.html").status, 200);
}

#[test]
fn after_edits_deletes_and_renames_the_served_site_equals_a_cold_build() {
    let t = SiteTest::sample();
    let server = Server::start(&t, 0);
    server.wait_builds(1);
    let mut events = server.events();
    let module = t.site.join("content/modules/03-listening");
    let steps: Vec<Box<dyn Fn()>> = vec![
        // Body-only edits: rebuilt as that page alone, the search index following.
        Box::new(|| {
            let p = module.join("02-setting-up-alerts.md");
            let text = std::fs::read_to_string(&p).expect("read");
            std::fs::write(&p, format!("{text}\nOne more sentence for the index: zanzibarish.\n")).expect("write");
        }),
        Box::new(|| {
            let p = t.site.join("content/playbooks/what-not-to-post.md");
            let text = std::fs::read_to_string(&p).expect("read");
            std::fs::write(&p, format!("{text}\nAlso: quixotical.\n")).expect("write");
        }),
        Box::new(|| {
            let p = module.join("02-setting-up-alerts.md");
            let text = std::fs::read_to_string(&p).expect("read");
            std::fs::write(&p, text.replace("## ", "## Changed ")).expect("write");
        }),
        Box::new(|| {
            std::fs::write(module.join("06-new.md"), "+++\ntitle = \"New\"\n+++\nNew lesson.\n").expect("write");
        }),
        Box::new(|| std::fs::rename(module.join("06-new.md"), module.join("07-renamed.md")).expect("rename")),
        Box::new(|| {
            let p = t.site.join("content/playbooks/what-not-to-post.md");
            let text = std::fs::read_to_string(&p).expect("read");
            std::fs::write(&p, text.replace("title = \"", "title = \"Really: ")).expect("write");
        }),
        Box::new(|| {
            let p = t.site.join("skillbook.toml");
            let text = std::fs::read_to_string(&p).expect("read");
            std::fs::write(&p, text.replace("name = \"Sales\"", "name = \"Sales team\"")).expect("write");
        }),
        Box::new(|| {
            std::fs::write(module.join("08-draft.md"), "+++\ntitle = \"Draft\"\n+++\n[x](07-renamed.md)\n")
                .expect("write");
        }),
        Box::new(|| std::fs::remove_file(module.join("08-draft.md")).expect("remove")),
        Box::new(|| std::fs::create_dir_all(t.site.join("content/modules/09-extra")).expect("mkdir")),
        Box::new(|| {
            let dir = t.site.join("content/modules/09-extra");
            std::fs::write(dir.join("01-one.md"), "+++\ntitle = \"One\"\n+++\nOne.\n").expect("write");
            std::fs::write(dir.join("_module.md"), "+++\ntitle = \"Extra\"\nrequired_for = [\"sales\"]\n+++\n")
                .expect("write");
        }),
    ];
    for (i, step) in steps.iter().enumerate() {
        let before = server.builds();
        step();
        server.wait_builds(before + 1);
        if i == 0 {
            // The one-page rebuild, then its search index; the new word is found in it.
            server.wait_log("1 page rendered");
            wait_search(&server);
            let index = served(&server, "/search/index.js");
            let dir =
                index.split("\"dir\":\"").nth(1).and_then(|r| r.split('"').next()).expect("index dir").to_string();
            let shard = served(&server, &format!("/{dir}t/za.js"));
            assert!(shard.contains("zanzibar"), "the edit is in the search index: {shard}");
        }
    }
    // A broken file written last is seen after every step: once its build has failed, no build
    // of a step is still to come. Then it goes, and the reload of that build is the last.
    let marker = module.join("99-marker.md");
    std::fs::write(&marker, "+++\ntitle = \"Marker\"\n+++\n[x](gone.md)\n").expect("write");
    while events.next().0 != "errors" {}
    std::fs::remove_file(&marker).expect("remove");
    assert_eq!(events.next().0, "reload");
    wait_search(&server);
    let cold = t.tmp.path().join("cold");
    let run = t.run(&["build", "--out", cold.to_str().expect("utf-8")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let manifest: serde_json::Value =
        serde_json::from_str(&served(&server, "/_skillbook/manifest.json")).expect("manifest json");
    assert_eq!(manifest["errors"], 0);
    let served_paths: Vec<&String> = manifest["files"].as_object().expect("files").keys().collect();
    let files: Vec<(String, Vec<u8>)> = tree(&cold).into_iter().filter(|(p, _)| p != ".skillbook-output").collect();
    assert_eq!(served_paths, files.iter().map(|(p, _)| p).collect::<Vec<_>>(), "same set of files");
    assert!(served_paths.iter().any(|p| p.as_str() == "modules/listening/renamed.html"));
    assert!(served_paths.iter().any(|p| p.as_str() == "modules/extra/one.html"));
    for (path, bytes) in &files {
        let got = server.body(&format!("/{path}"));
        if got != *bytes {
            let (a, b) = (String::from_utf8_lossy(&got), String::from_utf8_lossy(bytes));
            let at = a.bytes().zip(b.bytes()).position(|(x, y)| x != y).unwrap_or(0);
            let show = |s: &str| s.get(at.saturating_sub(200)..(at + 200).min(s.len())).unwrap_or("").to_string();
            panic!("{path} differs from a cold build at byte {at}:\nserved: {}\ncold:   {}", show(&a), show(&b));
        }
    }
}

/// Waits until the served search index is of the served pages.
fn wait_search(server: &Server) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if served(server, "/_skillbook/manifest.json").contains("\"search_pending\":false") {
            return;
        }
        assert!(Instant::now() < deadline, "the search index never caught up: {:?}", server.log());
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn load_on_loopback_fails_no_request() {
    let t = SiteTest::sample();
    let server = Arc::new(Server::start(&t, 0));
    let streams: Vec<Events> = (0..20).map(|_| server.events()).collect();
    let paths =
        ["/", "/modules/index.html", "/modules/listening/why-listen.html", "/roles/sales.html", "/missing.html"];
    let clients: Vec<_> = (0..50)
        .map(|c| {
            let server = Arc::clone(&server);
            std::thread::spawn(move || {
                let mut latencies = Vec::with_capacity(200);
                for i in 0..200 {
                    let path = paths[(c + i) % paths.len()];
                    let started = Instant::now();
                    let status = server.get(path).status;
                    latencies.push(started.elapsed());
                    let expected = if path == "/missing.html" { 404 } else { 200 };
                    assert_eq!(status, expected, "{path}");
                }
                latencies
            })
        })
        .collect();
    let mut latencies: Vec<Duration> = clients.into_iter().flat_map(|c| c.join().expect("client")).collect();
    latencies.sort();
    let p50 = latencies[latencies.len() / 2];
    let p99 = latencies[latencies.len() * 99 / 100];
    eprintln!(
        "load: {} requests, 0 failed, p50 {p50:?}, p99 {p99:?}, with {} event streams open",
        latencies.len(),
        streams.len()
    );
    assert_eq!(latencies.len(), 10_000);
}

#[test]
fn an_open_page_reloads_by_itself_and_shows_build_errors() {
    let Some(browser) = crate::support::browser::Browser::start() else { return };
    let t = SiteTest::sample();
    let server = Server::start(&t, 0);
    browser.goto(&format!("http://127.0.0.1:{}/modules/listening/why-listen.html", server.port));
    browser.wait_until(10, "the author bar", |b| {
        b.execute("return !!document.getElementById('skillbook-author-bar')", &[]) == true
    });
    let source = browser.execute("return document.getElementById('skillbook-source-path').textContent", &[]);
    assert_eq!(source, "content/modules/03-listening/01-why-listen.md");
    browser.execute("window.scrollTo({ top: 600, behavior: 'instant' }); window.__before = true;", &[]);

    // Edit the lesson: the page reloads by itself, shows the new text, keeps its place.
    let path = lesson(&t);
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, text.replacen("\n## ", "\nThis sentence arrived by live reload.\n\n## ", 1)).expect("write");
    browser.wait_until(15, "the page to reload with the new text", |b| {
        b.execute(
            "return !window.__before && document.body.innerText.includes('This sentence arrived by live reload.')",
            &[],
        ) == true
    });
    browser.wait_until(5, "the scroll position to be restored", |b| {
        b.execute("return Math.abs(window.scrollY - 600) < 5", &[]) == true
    });

    // Break the front matter: the overlay names the file and line; the page is not replaced.
    browser.execute("window.__before = true;", &[]);
    std::fs::write(&path, text.replacen("title = \"", "title = ", 1)).expect("break");
    browser.wait_until(15, "the error overlay", |b| {
        b.execute("var o = document.getElementById('skillbook-error-overlay'); return o ? o.innerText : ''", &[])
            .as_str()
            .is_some_and(|s| s.contains("content/modules/03-listening/01-why-listen.md:2:9: error: invalid TOML"))
    });
    assert_eq!(browser.execute("return window.__before === true", &[]), true, "no reload on a failed build");

    // Fix it: the overlay goes and the page reloads.
    std::fs::write(&path, &text).expect("fix");
    browser.wait_until(15, "the reload after the fix", |b| {
        b.execute("return !window.__before && !document.getElementById('skillbook-error-overlay')", &[]) == true
    });

    // The answer key, on a quiz page only, from the server (built pages never carry it).
    browser.goto(&format!("http://127.0.0.1:{}/modules/listening/quiz.html", server.port));
    browser.wait_until(10, "the answer key button", |b| {
        b.execute("return !!document.getElementById('skillbook-show-answers')", &[]) == true
    });
    browser.execute("document.getElementById('skillbook-show-answers').click()", &[]);
    browser.wait_until(10, "the answer key", |b| {
        b.execute("var k = document.querySelector('.skillbook-answer-key'); return k ? k.innerText : ''", &[])
            .as_str()
            .is_some_and(|s| {
                s.contains(
                    "Who should listen to what people say about us online? — Every team, each for its own purposes",
                )
            })
    });

    // View as a role: the author bar writes the role into the learner's saved progress.
    browser.execute(
        "var s = document.getElementById('skillbook-view-as'); s.value = 'sales'; s.dispatchEvent(new Event('change'));",
        &[],
    );
    browser.wait_until(10, "the role to be saved", |b| {
        b.execute("return (JSON.parse(localStorage.getItem('skillbook:social-everyone') || '{}').role || '')", &[])
            == "sales"
    });

    // The server restarts: the page reconnects by itself and reloads with the new build.
    browser.goto(&format!("http://127.0.0.1:{}/modules/listening/why-listen.html", server.port));
    browser.execute("window.__before = true;", &[]);
    let port = server.port;
    server.interrupt();
    std::fs::write(&path, format!("{text}\nWritten while the server was down.\n")).expect("write");
    let again = Server::start(&t, port);
    assert_eq!(again.port, port);
    browser.wait_until(20, "the page to reload from the restarted server", |b| {
        b.execute(
            "return !window.__before && document.body.innerText.includes('Written while the server was down.')",
            &[],
        ) == true
    });
}

/// WCAG contrast ratio of the element's text colour on its own background.
const CONTRAST: &str = "var el = arguments[0]; var s = getComputedStyle(el);\
  function rgb(c) { return c.match(/[\\d.]+/g).slice(0, 3).map(Number); }\
  function lum(c) { return rgb(c).map(function (v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); })\
    .reduce(function (sum, v, i) { return sum + v * [0.2126, 0.7152, 0.0722][i]; }, 0); }\
  var a = lum(s.color), b = lum(s.backgroundColor);\
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);";

#[test]
fn warnings_show_on_the_page_with_their_source_line_and_every_page_names_its_source() {
    let Some(browser) = crate::support::browser::Browser::start() else { return };
    let t = SiteTest::sample();
    let path = lesson(&t);
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, text.replacen("minutes = 5\n", "minutes = 5\nautor = \"Sam\"\n", 1)).expect("write");
    let server = Server::start(&t, 0);
    let base = format!("http://127.0.0.1:{}", server.port);
    browser.goto(&format!("{base}/modules/listening/why-listen.html"));
    browser.wait_until(120, "the warnings button", |b| {
        b.execute("var w = document.getElementById('skillbook-warnings'); return !!w && !w.hidden", &[]) == true
    });
    assert_eq!(browser.text(&browser.find("#skillbook-warnings")), "⚠ 1 warning");
    browser.click(&browser.find("#skillbook-warnings"));
    let listed = browser.text(&browser.find("#skillbook-warnings-list"));
    assert!(
        listed.contains(
            "content/modules/03-listening/01-why-listen.md:5:1: warning: unknown key `autor` in front matter of a lesson"
        ),
        "{listed}"
    );
    assert!(listed.contains("5 | autor = \"Sam\"\n  | ^^^^^"), "{listed}");
    assert!(listed.contains("= help: known keys are: title, summary, order, minutes"), "{listed}");

    // The source path is readable on the dark bar (WCAG AA, 4.5:1) whatever the theme does to `code`.
    let ratio =
        browser.execute(CONTRAST, &[crate::support::browser::Browser::arg(&browser.find("#skillbook-source-path"))]);
    assert!(ratio.as_f64().expect("ratio") >= 4.5, "source path contrast {ratio}");

    // Fixing the warning clears it, without a reload being needed to notice.
    std::fs::write(&path, &text).expect("fix");
    browser.wait_until(120, "the warning to go", |b| {
        b.execute("var w = document.getElementById('skillbook-warnings'); return !!w && w.hidden", &[]) == true
    });

    // A quiz page names its quiz file, a role page skillbook.toml, a list page says it is made.
    for (page, source) in [
        ("/modules/listening/quiz.html", "content/modules/03-listening/quiz.toml"),
        ("/roles/sales.html", "skillbook.toml"),
        ("/modules/index.html", "generated page (no source file of its own)"),
    ] {
        browser.goto(&format!("{base}{page}"));
        browser.wait_until(120, "the author bar", |b| {
            b.execute("return !!document.getElementById('skillbook-source-path')", &[]) == true
        });
        assert_eq!(browser.text(&browser.find("#skillbook-source-path")), source, "{page}");
    }
}

#[test]
fn a_failed_build_sends_its_warnings_and_errors_with_their_source_lines() {
    let t = SiteTest::sample();
    let path = lesson(&t);
    let text = std::fs::read_to_string(&path).expect("read");
    let other = t.site.join("content/modules/03-listening/02-setting-up-alerts.md");
    let other_text = std::fs::read_to_string(&other).expect("read");
    let server = Server::start(&t, 0);
    let mut events = server.events();
    assert_eq!(events.next_named("warnings"), "[]");
    events.next_named("reload");
    std::fs::write(&other, other_text.replacen("+++\n", "+++\nautor = \"Sam\"\n", 1)).expect("warn");
    std::fs::write(&path, text.replacen("title = \"", "title = ", 1)).expect("break");
    let list = |data: String| -> Vec<String> { serde_json::from_str(&data).expect("a JSON list") };
    let (warnings, errors) = loop {
        let warnings = list(events.next_named("warnings"));
        let (kind, data) = events.next();
        if kind == "errors" && !warnings.is_empty() {
            break (warnings, list(data));
        }
    };
    assert_eq!(
        warnings,
        ["content/modules/03-listening/02-setting-up-alerts.md:2:1: warning: unknown key `autor` in front matter of a lesson\n  |\n2 | autor = \"Sam\"\n  | ^^^^^\n  = help: known keys are: title, summary, order, minutes"]
    );
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0].starts_with("content/modules/03-listening/01-why-listen.md:2:9: error: invalid TOML"),
        "{errors:?}"
    );
    assert!(errors[0].contains("\n2 | title = Why listen?\"\n  |         ^\n"), "{errors:?}");
}
