//! A minimal blocking `WebDriver` client for the search browser test: starts Debian's
//! `/usr/bin/chromedriver`, opens one headless Chromium session and speaks the W3C protocol
//! over plain HTTP/1.1. Without Chromium, `Browser::start` returns `None` (the test skips),
//! unless `SKILLBOOK_REQUIRE_BROWSER=1`, when it panics.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const DRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";
/// The W3C key of an element reference.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// `WebDriver` key codes.
pub(crate) mod keys {
    pub(crate) const ENTER: &str = "\u{E007}";
    pub(crate) const ESCAPE: &str = "\u{E00C}";
    pub(crate) const ARROW_DOWN: &str = "\u{E015}";
}

/// One headless Chromium session; the driver is stopped on drop.
pub(crate) struct Browser {
    driver: Child,
    port: u16,
    session: String,
}

impl Browser {
    /// Starts chromedriver and a session, or `None` when Chromium is not installed.
    pub(crate) fn start() -> Option<Self> {
        if !Path::new(DRIVER).exists() || !Path::new(CHROMIUM).exists() {
            assert!(
                std::env::var("SKILLBOOK_REQUIRE_BROWSER").as_deref() != Ok("1"),
                "SKILLBOOK_REQUIRE_BROWSER=1 but {DRIVER} or {CHROMIUM} is missing"
            );
            eprintln!("skipping browser test: {DRIVER} or {CHROMIUM} not installed");
            return None;
        }
        let port = TcpListener::bind("127.0.0.1:0").expect("free port").local_addr().expect("addr").port();
        let driver = Command::new(DRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let mut browser = Self { driver, port, session: String::new() };
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        let caps = json!({"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": CHROMIUM,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900"]
        }}}});
        let reply = browser.call("POST", "/session", &caps);
        browser.session = reply["sessionId"].as_str().expect("session id").to_string();
        Some(browser)
    }

    /// Sends one command; returns its `value`, panicking on a `WebDriver` error.
    fn call(&self, method: &str, path: &str, body: &Value) -> Value {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect to chromedriver");
        stream.set_read_timeout(Some(Duration::from_secs(30))).expect("timeout");
        let body = body.to_string();
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(body.as_bytes())).expect("send");
        let (head, body) = read_reply(&mut stream);
        let body = if head.to_ascii_lowercase().contains("transfer-encoding: chunked") { unchunk(&body) } else { body };
        let reply: Value = serde_json::from_str(&body).unwrap_or_else(|e| panic!("bad reply {body:?}: {e}"));
        assert!(reply["value"].get("error").is_none(), "{method} {path}: {}", reply["value"]);
        reply["value"].clone()
    }

    fn session_path(&self, rest: &str) -> String {
        format!("/session/{}{rest}", self.session)
    }

    /// Opens `url`.
    pub(crate) fn goto(&self, url: &str) {
        self.call("POST", &self.session_path("/url"), &json!({ "url": url }));
    }

    /// The current URL.
    pub(crate) fn url(&self) -> String {
        self.call("GET", &self.session_path("/url"), &json!({})).as_str().expect("url").to_string()
    }

    /// Runs `script` (a function body; `arguments` holds `args`) and returns its result.
    pub(crate) fn eval(&self, script: &str, args: &[Value]) -> Value {
        self.call("POST", &self.session_path("/execute/sync"), &json!({ "script": script, "args": args }))
    }

    /// Runs async `script`; it calls its last argument with the result.
    pub(crate) fn eval_async(&self, script: &str, args: &[Value]) -> Value {
        self.call("POST", &self.session_path("/execute/async"), &json!({ "script": script, "args": args }))
    }

    /// Types `text` into the element that has the focus, key by key.
    pub(crate) fn keys(&self, text: &str) {
        let mut actions = Vec::new();
        for c in text.chars() {
            actions.push(json!({"type": "keyDown", "value": c.to_string()}));
            actions.push(json!({"type": "keyUp", "value": c.to_string()}));
        }
        let body = json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]});
        self.call("POST", &self.session_path("/actions"), &body);
    }

    /// Waits until `script` returns something truthy, and returns it.
    pub(crate) fn wait_for(&self, script: &str, what: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let v = self.eval(script, &[]);
            let truthy = !(v.is_null() || v == json!(false) || v == json!("") || v == json!([]) || v == json!(0));
            if truthy {
                return v;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Whether an element matches `css`.
    pub(crate) fn exists(&self, css: &str) -> bool {
        let found = self.call("POST", &self.session_path("/elements"), &json!({"using": "css selector", "value": css}));
        found.as_array().is_some_and(|a| a.iter().any(|e| e.get(ELEMENT).is_some()))
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                self.call("DELETE", &self.session_path(""), &json!({}));
            }));
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Reads one reply: the head, then `Content-Length` bytes of body (chromedriver may keep the
/// connection open, so reading to the end would wait), or to the end without that header.
fn read_reply(stream: &mut TcpStream) -> (String, String) {
    let mut raw = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        let n = stream.read(&mut buf).expect("read reply");
        raw.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&raw).into_owned();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length = head.lines().find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.eq_ignore_ascii_case("content-length").then(|| v.trim().parse::<usize>().ok())?
            });
            if n == 0 || length.is_some_and(|len| body.len() >= len) {
                return (head.to_string(), body.to_string());
            }
        }
        assert!(n > 0, "chromedriver closed the connection mid-reply");
    }
}

fn unchunk(body: &str) -> String {
    let mut out = String::new();
    let mut rest = body;
    while let Some((size, after)) = rest.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || after.len() < n {
            break;
        }
        out.push_str(&after[..n]);
        rest = after[n..].trim_start_matches("\r\n");
    }
    out
}

/// A `file://` URL for a path.
pub(crate) fn file_url(path: &Path) -> String {
    format!("file://{}", path.canonicalize().expect("canonical path").display())
}
