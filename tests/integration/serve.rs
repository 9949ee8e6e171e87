//! `serve`: the real server on a free loopback port — content types, 404, traversal, `ETag`s,
//! port fallback, live reload over Server-Sent Events, errors, equality with a cold build,
//! and a bounded load test.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::support::{bin, tree, SiteTest};

/// A running `skillbook serve`, stopped with SIGINT by `interrupt` or killed when dropped.
pub(crate) struct Server {
    child: Child,
    pub(crate) port: u16,
    log: Arc<Mutex<Vec<String>>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    pub(crate) fn start(t: &SiteTest, port: u16) -> Self {
        let mut child = Command::new(bin())
            .args(["serve", "--port", &port.to_string()])
            .current_dir(&t.site)
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn serve");
        let stderr = BufReader::new(child.stderr.take().expect("stderr"));
        let log = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in stderr.lines().map_while(Result::ok) {
                sink.lock().expect("log").push(line);
            }
        });
        let mut server = Self { child, port: 0, log };
        let deadline = Instant::now() + Duration::from_secs(30);
        while server.port == 0 {
            assert!(Instant::now() < deadline, "serve did not start: {:?}", server.log());
            server.port = server
                .log()
                .iter()
                .find_map(|l| {
                    l.split("http://127.0.0.1:").nth(1).and_then(|r| r.split('/').next()).and_then(|p| p.parse().ok())
                })
                .unwrap_or(0);
            std::thread::sleep(Duration::from_millis(20));
        }
        server
    }

    /// Peak resident memory of the server so far, in KiB (`VmHWM`; Linux only, else 0).
    pub(crate) fn peak_rss_kib(&self) -> u64 {
        std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .ok()
            .and_then(|s| {
                s.lines().find_map(|l| l.strip_prefix("VmHWM:").map(|v| v.trim().trim_end_matches(" kB").parse().ok()))
            })
            .flatten()
            .unwrap_or(0)
    }

    pub(crate) fn log(&self) -> Vec<String> {
        self.log.lock().expect("log").clone()
    }

    /// Lines of the log that report a finished build (good or failed).
    pub(crate) fn builds(&self) -> usize {
        self.log().iter().filter(|l| l.starts_with("built in") || l.starts_with("build failed")).count()
    }

    /// Waits for a log line containing `text` (the server logs a build after publishing it).
    pub(crate) fn wait_log(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !self.log().iter().any(|l| l.contains(text)) {
            assert!(Instant::now() < deadline, "no log line with {text:?}: {:?}", self.log());
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub(crate) fn wait_builds(&self, n: usize) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while self.builds() < n {
            assert!(Instant::now() < deadline, "expected {n} builds: {:?}", self.log());
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub(crate) fn request(&self, head: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        write!(stream, "{head}\r\nHost: localhost\r\nConnection: close\r\n\r\n").expect("send");
        let mut response = String::new();
        let _ = stream.read_to_string(&mut response);
        let status = response.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        (status, response)
    }

    pub(crate) fn get(&self, path: &str) -> (u16, String) {
        self.request(&format!("GET {path} HTTP/1.1"))
    }

    /// The body of a 200 response, without the live-reload script line.
    fn body(&self, path: &str) -> Vec<u8> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        // HTTP/1.0, so large bodies are not sent in chunks.
        write!(stream, "GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n").expect("send");
        let mut raw = Vec::new();
        let _ = stream.read_to_end(&mut raw);
        let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("header end") + 4;
        assert!(
            raw.starts_with(b"HTTP/1.0 200") || raw.starts_with(b"HTTP/1.1 200"),
            "{path}: {}",
            String::from_utf8_lossy(&raw[..split])
        );
        let body = raw[split..].to_vec();
        let needle = b"<script src=\"/_skillbook/live.js";
        let Some(at) = body.windows(needle.len()).position(|w| w == needle) else { return body };
        let end = at + body[at..].iter().position(|b| *b == b'\n').expect("script line end") + 1;
        [&body[..at], &body[end..]].concat()
    }

    /// Sends SIGINT and waits for a clean exit.
    fn interrupt(mut self) {
        Command::new("kill").args(["-INT", &self.child.id().to_string()]).status().expect("kill");
        let status = self.child.wait().expect("wait");
        assert!(status.success(), "serve exited with {status}: {:?}", self.log());
    }
}

/// An open Server-Sent-Events connection.
pub(crate) struct Events(BufReader<TcpStream>);

impl Events {
    pub(crate) fn open(port: u16) -> Self {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        stream.set_read_timeout(Some(Duration::from_secs(20))).expect("timeout");
        write!(stream, "GET /_skillbook/events HTTP/1.1\r\nHost: localhost\r\n\r\n").expect("send");
        Self(BufReader::new(stream))
    }

    /// The next `(event, data)`.
    pub(crate) fn next(&mut self) -> (String, String) {
        let (mut event, mut data) = (String::new(), String::new());
        loop {
            let mut line = String::new();
            assert!(self.0.read_line(&mut line).expect("read event") > 0, "stream closed");
            let line = line.trim_end();
            if let Some(e) = line.strip_prefix("event: ") {
                event = e.to_string();
            } else if let Some(d) = line.strip_prefix("data: ") {
                data = d.to_string();
            } else if line.is_empty() && !event.is_empty() {
                return (event, data);
            }
        }
    }
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
    let (status, page) = server.get("/");
    assert_eq!(status, 200);
    assert!(page.contains("Content-Type: text/html; charset=utf-8"), "{page}");
    assert!(page.contains("Cache-Control: no-cache"));
    assert!(page.contains("Choose your role"));
    assert!(page.contains("<script src=\"/_skillbook/live.js\""), "live reload injected");
    let (status, svg) = server.get("/modules/listening/images/listening-loop.svg");
    assert_eq!(status, 200);
    assert!(svg.contains("Content-Type: image/svg+xml"), "{svg}");
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
        let (status, response) = server.get(&format!("/{asset}"));
        let kind = if asset.ends_with(".css") { "text/css" } else { "text/javascript" };
        assert_eq!(status, 200);
        assert!(response.contains(kind), "{asset}: {response}");
    }
    assert_eq!(server.get("/modules/listening/").0, 200);
    let (status, moved) = server.get("/modules/listening");
    assert_eq!(status, 301);
    assert!(moved.contains("Location: /modules/listening/"));
    let (status, missing) = server.get("/no/such/page.html");
    assert_eq!(status, 404);
    assert!(missing.contains("<html"), "the portal's 404 page");
    // ETag revalidation and HEAD.
    let etag = page.lines().find_map(|l| l.strip_prefix("ETag: ")).expect("etag").to_string();
    assert_eq!(server.request(&format!("GET / HTTP/1.1\r\nIf-None-Match: {etag}")).0, 304);
    assert_eq!(server.request("GET / HTTP/1.1\r\nIf-None-Match: \"other\"").0, 200);
    let (status, head) = server.request("HEAD / HTTP/1.1");
    assert_eq!(status, 200);
    assert!(!head.contains("Choose your role"), "HEAD has no body");
    assert_eq!(server.request("POST / HTTP/1.1\r\nContent-Length: 0").0, 405);
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
        assert_eq!(server.get(bad).0, 400, "{bad}");
    }
    // Limits: a huge header, too many headers; idle and half-sent requests hold only themselves.
    let huge = "x".repeat(20_000);
    assert_eq!(server.request(&format!("GET / HTTP/1.1\r\nX-Big: {huge}")).0, 431);
    let many = (0..150).fold(String::new(), |acc, i| acc + "\r\nX-" + &i.to_string() + ": y");
    assert_eq!(server.request(&format!("GET / HTTP/1.1{many}")).0, 431);
    assert_eq!(server.get(&format!("/{}", "a".repeat(5000))).0, 414);
    let idle: Vec<TcpStream> = (0..40)
        .map(|_| {
            let mut s = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
            s.write_all(b"GET / HTTP/1.1\r\nHost: slow").expect("half a request");
            s
        })
        .collect();
    let started = Instant::now();
    assert_eq!(server.get("/").0, 200, "served while 40 clients dawdle");
    assert!(started.elapsed() < Duration::from_secs(5));
    drop(idle);
    assert!(!t.out().exists(), "serve never writes into the site's public/");
    let (status, key) = server.get("/_skillbook/answers.json");
    assert_eq!(status, 200);
    assert!(key.contains("\"listening/quiz\":[{\"answer\":\"Every team, each for its own purposes\""), "{key}");
    server.interrupt();
    drop(busy);
}

#[test]
fn edits_reload_pages_and_errors_keep_the_last_good_build() {
    let t = SiteTest::sample();
    let server = Server::start(&t, 0);
    let mut events = Events::open(server.port);
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
    assert!(server.get("/modules/listening/why-listen.html").1.contains("A sentence added while serving."));

    // An editor's atomic save: write a temporary file, rename it over the lesson. One rebuild.
    // The server logs a build after it sends the reload event: wait for the edit's line.
    server.wait_builds(initial + 1);
    let builds = server.builds();
    let temp = path.with_file_name(".01-why-listen.md.tmp1234");
    std::fs::write(&temp, format!("{text}\nSaved atomically.\n")).expect("write temp");
    std::fs::rename(&temp, &path).expect("rename");
    let (kind, _) = events.next();
    assert_eq!(kind, "reload");
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(server.builds(), builds + 1, "one rebuild for an atomic save: {:?}", server.log());

    // A broken front matter: an errors event; the last good page is still served.
    std::fs::write(&path, text.replacen("title = \"", "title = ", 1)).expect("break");
    let (kind, data) = events.next();
    assert_eq!(kind, "errors");
    assert!(data.contains("content/modules/03-listening/01-why-listen.md:2:9: error: invalid TOML"), "{data}");
    assert!(server.get("/modules/listening/why-listen.html").1.contains("Saved atomically."));
    // Fixed: reload.
    std::fs::write(&path, &text).expect("fix");
    assert_eq!(events.next().0, "reload");
    assert!(!server.get("/modules/listening/why-listen.html").1.contains("Saved atomically."));

    // A lesson without quizzes: a body-only edit is rebuilt as that page alone, but not one
    // that breaks a link or an anchor; the whole build reports it, and the last good page stays.
    let alerts = path.with_file_name("02-setting-up-alerts.md");
    let original = std::fs::read_to_string(&alerts).expect("read");
    std::fs::write(&alerts, format!("{original}\nOne more line.\n")).expect("write");
    assert_eq!(events.next().0, "reload");
    assert!(server.get("/modules/listening/setting-up-alerts.html").1.contains("One more line."));
    server.wait_log("1 page rendered");
    for broken in ["[gone](99-missing.md)", "[gone](01-why-listen.md#no-such-heading)"] {
        std::fs::write(&alerts, format!("{original}\nSee {broken}.\n")).expect("write");
        let (kind, data) = events.next();
        assert_eq!(kind, "errors", "{broken}");
        assert!(data.contains("content/modules/03-listening/02-setting-up-alerts.md:"), "{data}");
        assert!(!server.get("/modules/listening/setting-up-alerts.html").1.contains("See <a"), "{broken}");
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
    let mut events = Events::open(server.port);
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
    std::thread::sleep(Duration::from_millis(600));
    let rebuilds = server.builds() - 1;
    eprintln!("200 files written: {rebuilds} rebuild(s)");
    assert!(
        rebuilds <= 2,
        "a burst gives one rebuild (two at most if it straddles the quiet time): {:?}",
        server.log()
    );
    assert_eq!(server.get("/modules/burst/lesson-198.html").0, 200);
}

#[test]
fn after_edits_deletes_and_renames_the_served_site_equals_a_cold_build() {
    let t = SiteTest::sample();
    let server = Server::start(&t, 0);
    server.wait_builds(1);
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
            let (_, index) = server.get("/search/index.js");
            let dir =
                index.split("\"dir\":\"").nth(1).and_then(|r| r.split('"').next()).expect("index dir").to_string();
            let shard = server.get(&format!("/{dir}t/za.js")).1;
            assert!(shard.contains("zanzibar"), "the edit is in the search index: {shard}");
        }
    }
    std::thread::sleep(Duration::from_millis(400));
    wait_search(&server);
    let cold = t.tmp.path().join("cold");
    let run = t.run(&["build", "--out", cold.to_str().expect("utf-8")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let (_, response) = server.get("/_skillbook/manifest.json");
    let manifest: serde_json::Value =
        serde_json::from_str(response.split("\r\n\r\n").nth(1).expect("body")).expect("manifest json");
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
        let (_, response) = server.get("/_skillbook/manifest.json");
        if response.contains("\"search_pending\":false") {
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
    let streams: Vec<Events> = (0..20).map(|_| Events::open(server.port)).collect();
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
                    let (status, _) = server.get(path);
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
