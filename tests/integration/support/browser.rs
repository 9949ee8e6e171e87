//! Test support: a small blocking `WebDriver` client (W3C protocol, JSON over the shared HTTP
//! client of `support/http.rs`) driving headless Chromium through Debian's `chromedriver`;
//! `serve` is the shared static file server, to serve a built portal to it.
//!
//! One chromedriver runs per test binary (started on first use); each test opens its own
//! browser session with a fresh profile. Without chromium or chromedriver, `Browser::start`
//! prints "skipped: chromium not found" and returns `None`, unless
//! `SKILLBOOK_REQUIRE_BROWSER=1`, which makes that a failure.

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::http;
/// The static file server browser tests load a built portal from.
pub(crate) use super::http::serve;

const CHROMIUM: &[&str] = &["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];
const CHROMEDRIVER: &[&str] = &["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"];

/// `WebDriver` key codes for `Browser::press`.
pub(crate) mod keys {
    /// Tab.
    pub(crate) const TAB: &str = "\u{E004}";
    /// Enter.
    pub(crate) const ENTER: &str = "\u{E007}";
    /// Space.
    pub(crate) const SPACE: &str = "\u{E00D}";
    /// Arrow up.
    pub(crate) const UP: &str = "\u{E013}";
    /// Arrow down.
    pub(crate) const DOWN: &str = "\u{E015}";
    /// Escape.
    pub(crate) const ESCAPE: &str = "\u{E00C}";
    /// Shift (held until the end of the key sequence).
    pub(crate) const SHIFT: &str = "\u{E008}";
}

/// The shared chromedriver: its port, and the process (kept so it lives as long as the tests).
struct Driver {
    port: u16,
    _child: Mutex<Child>,
}

static DRIVER: OnceLock<Option<Driver>> = OnceLock::new();

/// One browser at a time: parallel Chromium starts on a small machine are slow and flaky.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Waits until no browser runs and keeps others from starting until the guard is dropped: for
/// tests that measure timing, which a busy Chromium on a small machine would upset.
pub(crate) fn exclusive() -> std::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Says on the terminal that the running test is skipped, why, and how to run it. Written to
/// the process's stderr directly, so `cargo test` shows it even for a test that passes (the
/// test harness captures only `eprintln!`).
pub(crate) fn skipped(why: &str, enable: &str) {
    use std::io::Write as _;
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("a browser test");
    let _ = writeln!(
        std::io::stderr(),
        "note: skipped {test}: {why}; to run it, {enable} (SKILLBOOK_REQUIRE_BROWSER=1 turns a skip into a failure)"
    );
}

fn first_existing(paths: &[&str]) -> Option<PathBuf> {
    paths.iter().map(PathBuf::from).find(|p| p.is_file())
}

fn start_driver() -> Option<Driver> {
    let path = first_existing(CHROMEDRIVER)?;
    let port = http::free_port();
    // chromedriver is started by a shell that kills it when the test binary exits and so
    // closes the shell's standard input: no chromedriver outlives the tests.
    let script = "\"$0\" --port=\"$1\" >/dev/null 2>&1 & pid=$!; cat >/dev/null; kill $pid";
    let child = Command::new("sh")
        .args(["-c", script, &path.to_string_lossy(), &port.to_string()])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .ok()?;
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if started.elapsed() > Duration::from_secs(20) {
            return None;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Some(Driver { port, _child: Mutex::new(child) })
}

/// One HTTP request to chromedriver; returns the `value` of the JSON answer.
fn call(port: u16, method: &str, path: &str, body: Option<&Value>) -> Value {
    let body = body.map(Value::to_string).unwrap_or_default();
    let response = http::call(port, method, path, &body);
    let answer: Value = serde_json::from_slice(&response.body).unwrap_or_else(|e| panic!("chromedriver answer: {e}"));
    let value = answer.get("value").cloned().unwrap_or(Value::Null);
    if let Some(error) = value.get("error") {
        panic!("WebDriver {method} {path}: {error}: {}", value.get("message").unwrap_or(&Value::Null));
    }
    value
}

/// A browser session: one headless Chromium with a fresh profile, closed on drop.
pub(crate) struct Browser {
    port: u16,
    session: String,
    profile: tempfile::TempDir,
    _turn: std::sync::MutexGuard<'static, ()>,
}

/// An element of the current page.
#[derive(Debug, Clone)]
pub(crate) struct Element(String);

/// The viewport of a phone (an iPhone 12 to 15 held upright), in CSS pixels.
pub(crate) const PHONE: (u32, u32) = (390, 844);

/// How a session's browser is set up: `Options::default()` is what `Browser::start` opens.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Options {
    /// A phone: a `PHONE` viewport, three device pixels to a CSS pixel, touch.
    pub(crate) phone: bool,
    /// Scripts of pages run (`false`: a browser with JavaScript turned off).
    pub(crate) javascript: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self { phone: false, javascript: true }
    }
}

impl Browser {
    /// Opens a session, or returns `None` (after printing why) when there is no chromium.
    pub(crate) fn start() -> Option<Self> {
        Self::start_with(Options::default())
    }

    /// Opens a session set up as `options` say; `None` as for `start`.
    pub(crate) fn start_with(options: Options) -> Option<Self> {
        let required = std::env::var("SKILLBOOK_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
        let chromium = first_existing(CHROMIUM);
        let driver = DRIVER.get_or_init(|| chromium.as_ref().and(start_driver()));
        let (Some(chromium), Some(driver)) = (chromium, driver) else {
            assert!(!required, "chromium or chromedriver not found, and SKILLBOOK_REQUIRE_BROWSER=1");
            skipped(
                "Chromium or chromedriver is not installed",
                "install them (Debian and Ubuntu: sudo apt-get install chromium chromium-driver)",
            );
            return None;
        };
        let turn = ONE_AT_A_TIME.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let profile = tempfile::tempdir().expect("profile dir");
        let mut args: Vec<String> = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-sync",
        ]
        .iter()
        .map(ToString::to_string)
        .collect();
        let (width, height) = if options.phone { PHONE } else { (1200, 900) };
        args.push(format!("--window-size={width},{height}"));
        if !options.javascript {
            args.push("--blink-settings=scriptEnabled=false".into());
        }
        args.push(format!("--user-data-dir={}", profile.path().display()));
        let downloads = profile.path().join("downloads");
        std::fs::create_dir_all(&downloads).expect("downloads dir");
        let prefs = json!({
            "download.default_directory": downloads.to_string_lossy(),
            "download.prompt_for_download": false,
        });
        let mut chrome = json!({"binary": chromium.to_string_lossy(), "args": args, "prefs": prefs});
        if options.phone {
            chrome["mobileEmulation"] =
                json!({"deviceMetrics": {"width": width, "height": height, "pixelRatio": 3.0, "touch": true}});
        }
        let caps = json!({"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": chrome}}});
        let value = call(driver.port, "POST", "/session", Some(&caps));
        let session = value["sessionId"].as_str().expect("session id").to_string();
        Some(Self { port: driver.port, session, profile, _turn: turn })
    }

    fn cmd(&self, method: &str, path: &str, body: Option<&Value>) -> Value {
        call(self.port, method, &format!("/session/{}{path}", self.session), body)
    }

    /// Loads `url` and waits for it.
    pub(crate) fn goto(&self, url: &str) {
        self.cmd("POST", "/url", Some(&json!({ "url": url })));
    }

    /// Reloads the page.
    pub(crate) fn reload(&self) {
        self.cmd("POST", "/refresh", Some(&json!({})));
    }

    /// The first element matching `css`; panics if there is none.
    pub(crate) fn find(&self, css: &str) -> Element {
        let v = self.cmd("POST", "/element", Some(&json!({"using": "css selector", "value": css})));
        element(&v)
    }

    /// Every element matching `css`.
    pub(crate) fn find_all(&self, css: &str) -> Vec<Element> {
        let v = self.cmd("POST", "/elements", Some(&json!({"using": "css selector", "value": css})));
        v.as_array().map(|a| a.iter().map(element).collect()).unwrap_or_default()
    }

    /// Scrolls `el` into the middle of the view at once (no smooth scrolling) and clicks it.
    pub(crate) fn click(&self, el: &Element) {
        self.execute("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", &[Self::arg(el)]);
        self.cmd("POST", &format!("/element/{}/click", el.0), Some(&json!({})));
    }

    /// Types `text` into `el` (may hold `keys::…` codes).
    pub(crate) fn send_keys(&self, el: &Element, text: &str) {
        self.cmd("POST", &format!("/element/{}/value", el.0), Some(&json!({ "text": text })));
    }

    /// Types `text` into the focused element, as a keyboard user would.
    pub(crate) fn press(&self, text: &str) {
        let active = element(&self.cmd("GET", "/element/active", None));
        self.send_keys(&active, text);
    }

    /// The rendered text of `el`.
    pub(crate) fn text(&self, el: &Element) -> String {
        self.cmd("GET", &format!("/element/{}/text", el.0), None).as_str().unwrap_or_default().to_string()
    }

    /// The accessible name of `el`, as the browser computes it for assistive technology.
    pub(crate) fn accessible_name(&self, el: &Element) -> String {
        self.cmd("GET", &format!("/element/{}/computedlabel", el.0), None).as_str().unwrap_or_default().to_string()
    }

    /// Runs `script` (a function body; `arguments` holds `args`) and returns its result.
    pub(crate) fn execute(&self, script: &str, args: &[Value]) -> Value {
        self.cmd("POST", "/execute/sync", Some(&json!({ "script": script, "args": args })))
    }

    /// Runs `script` in every page before the page's own scripts (through Chromium's developer tools).
    pub(crate) fn before_page_scripts(&self, script: &str) {
        let body = json!({"cmd": "Page.addScriptToEvaluateOnNewDocument", "params": {"source": script}});
        self.cmd("POST", "/goog/cdp/execute", Some(&body));
    }

    /// Runs `script`, which calls its last argument (`arguments[arguments.length - 1]`) with
    /// the result when done, and returns that result.
    pub(crate) fn execute_async(&self, script: &str, args: &[Value]) -> Value {
        self.cmd("POST", "/execute/async", Some(&json!({ "script": script, "args": args })))
    }

    /// The current URL.
    pub(crate) fn url(&self) -> String {
        self.cmd("GET", "/url", None).as_str().expect("url").to_string()
    }

    /// Presses `text` key by key wherever the focus is (also on the page itself, where
    /// `press` has no element to type into).
    pub(crate) fn keys(&self, text: &str) {
        let actions: Vec<Value> = text
            .chars()
            .flat_map(|c| {
                [json!({"type": "keyDown", "value": c.to_string()}), json!({"type": "keyUp", "value": c.to_string()})]
            })
            .collect();
        let body = json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]});
        self.cmd("POST", "/actions", Some(&body));
    }

    /// Waits (10 s at most) until `script` returns something truthy, and returns it.
    pub(crate) fn wait_for(&self, script: &str, what: &str) -> Value {
        let started = Instant::now();
        loop {
            let v = self.execute(script, &[]);
            if !(v.is_null() || v == json!(false) || v == json!("") || v == json!([]) || v == json!(0)) {
                return v;
            }
            assert!(started.elapsed() < Duration::from_secs(10), "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Whether an element matches `css`.
    pub(crate) fn exists(&self, css: &str) -> bool {
        !self.find_all(css).is_empty()
    }

    /// Resizes the browser window to `width` by `height` CSS pixels (a phone, a laptop).
    pub(crate) fn window_size(&self, width: u32, height: u32) {
        self.cmd("POST", "/window/rect", Some(&json!({ "width": width, "height": height })));
    }

    /// Makes pages see `prefers-color-scheme: <scheme>` (`light` or `dark`).
    pub(crate) fn color_scheme(&self, scheme: &str) {
        let params = json!({"features": [{"name": "prefers-color-scheme", "value": scheme}]});
        self.cmd("POST", "/goog/cdp/execute", Some(&json!({"cmd": "Emulation.setEmulatedMedia", "params": params})));
    }

    /// An element as a script argument.
    pub(crate) fn arg(el: &Element) -> Value {
        json!({ "element-6066-11e4-a52e-4f735466cecf": el.0 })
    }

    /// The folder downloads of this session are saved to.
    pub(crate) fn downloads(&self) -> PathBuf {
        self.profile.path().join("downloads")
    }

    /// Opens a new tab, switches to it, and returns the handle of the tab it left.
    pub(crate) fn new_tab(&self) -> String {
        let old = self.cmd("GET", "/window", None).as_str().expect("window handle").to_string();
        let new = self.cmd("POST", "/window/new", Some(&json!({"type": "tab"})));
        let handle = new["handle"].as_str().expect("new window handle").to_string();
        self.switch_to(&handle);
        old
    }

    /// Switches to the tab or window `handle`; returns the handle of the one it left.
    pub(crate) fn switch_to(&self, handle: &str) -> String {
        let old = self.cmd("GET", "/window", None).as_str().expect("window handle").to_string();
        self.cmd("POST", "/window", Some(&json!({ "handle": handle })));
        old
    }

    /// Saves a PNG screenshot of the viewport to `path` (for looking at a page while debugging).
    pub(crate) fn screenshot(&self, path: &Path) {
        let b64 = self.cmd("GET", "/screenshot", None);
        let bytes = decode_base64(b64.as_str().expect("screenshot"));
        std::fs::write(path, bytes).expect("write screenshot");
    }

    /// Waits until `check` holds, for at most `secs` seconds; panics with `what` if it never does.
    pub(crate) fn wait_until(&self, secs: u64, what: &str, mut check: impl FnMut(&Self) -> bool) {
        let started = Instant::now();
        while !check(self) {
            assert!(started.elapsed() < Duration::from_secs(secs), "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

fn decode_base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let clean: Vec<u8> = text.bytes().filter(|c| c.is_ascii_alphanumeric() || *c == b'+' || *c == b'/').collect();
    let mut out = Vec::with_capacity(clean.len() * 3 / 4);
    for chunk in clean.chunks(4) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, c)| n | u32::from(value(*c)) << (18 - 6 * i));
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    out
}

fn element(v: &Value) -> Element {
    let id = v.as_object().and_then(|o| o.values().next()).and_then(Value::as_str).expect("element reference");
    Element(id.to_string())
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = std::panic::catch_unwind(|| call(self.port, "DELETE", &format!("/session/{}", self.session), None));
    }
}

/// A `file://` URL for a path.
pub(crate) fn file_url(path: &Path) -> String {
    format!("file://{}", path.canonicalize().expect("canonical path").display())
}
