//! A running `skillbook serve` on a loopback port: its log as it arrives, waits on that log
//! (no sleeps: each new line wakes the waiters), and requests through the shared client.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use super::http::{self, Events, Response};
use super::{bin, SiteTest};

/// How long a wait on the log may take before the test fails.
const WAIT: Duration = Duration::from_secs(30);

/// The server's stderr, line by line, and whether it has ended.
#[derive(Default)]
struct Log {
    lines: Vec<String>,
    closed: bool,
}

/// A running `skillbook serve`, stopped with SIGINT by `interrupt` or killed when dropped.
pub(crate) struct Server {
    child: Child,
    pub(crate) port: u16,
    log: Arc<(Mutex<Log>, Condvar)>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Starts `skillbook serve --port PORT` (0: the default port, or the next free one) in the
    /// site and waits until it says where it serves.
    pub(crate) fn start(t: &SiteTest, port: u16) -> Self {
        let mut child = Command::new(bin())
            .args(["serve", "--port", &port.to_string()])
            .current_dir(&t.site)
            .env_remove("SKILLBOOK_TIMINGS")
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn serve");
        let stderr = BufReader::new(child.stderr.take().expect("stderr"));
        let log = Arc::new((Mutex::new(Log::default()), Condvar::new()));
        let sink = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in stderr.lines().map_while(Result::ok) {
                sink.0.lock().expect("log").lines.push(line);
                sink.1.notify_all();
            }
            sink.0.lock().expect("log").closed = true;
            sink.1.notify_all();
        });
        let mut server = Self { child, port: 0, log };
        server.port = server.wait_for("serve to say where it serves", |lines| {
            lines.iter().find_map(|l| {
                l.split("http://127.0.0.1:").nth(1).and_then(|r| r.split('/').next()).and_then(|p| p.parse().ok())
            })
        });
        server
    }

    /// Waits until `found` finds something in the log, and returns it; fails after `WAIT`, or
    /// at once if the server has ended.
    fn wait_for<T>(&self, what: &str, mut found: impl FnMut(&[String]) -> Option<T>) -> T {
        let (lock, changed) = &*self.log;
        let deadline = Instant::now() + WAIT;
        let mut log = lock.lock().expect("log");
        loop {
            if let Some(v) = found(&log.lines) {
                return v;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if log.closed || left.is_zero() {
                let (lines, closed) = (log.lines.clone(), log.closed);
                drop(log);
                let why = if closed { "serve ended" } else { "timed out" };
                panic!("{why} while waiting for {what}: {lines:?}");
            }
            log = changed.wait_timeout(log, left).expect("log").0;
        }
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

    /// The log so far.
    pub(crate) fn log(&self) -> Vec<String> {
        self.log.0.lock().expect("log").lines.clone()
    }

    /// Lines of the log that report a finished build (good or failed).
    pub(crate) fn builds(&self) -> usize {
        count_builds(&self.log())
    }

    /// Waits for a log line containing `text` (the server logs a build after publishing it).
    pub(crate) fn wait_log(&self, text: &str) {
        self.wait_for(&format!("a log line with {text:?}"), |lines| {
            lines.iter().any(|l| l.contains(text)).then_some(())
        });
    }

    /// Waits until `n` builds have been logged.
    pub(crate) fn wait_builds(&self, n: usize) {
        self.wait_for(&format!("{n} builds"), |lines| (count_builds(lines) >= n).then_some(()));
    }

    /// `head` (a request line and headers) as HTTP/1.1, read to the end.
    pub(crate) fn request(&self, head: &str) -> Response {
        http::request(self.port, head)
    }

    /// `GET path` as HTTP/1.1.
    pub(crate) fn get(&self, path: &str) -> Response {
        self.request(&format!("GET {path} HTTP/1.1"))
    }

    /// An event stream from the server.
    pub(crate) fn events(&self) -> Events {
        Events::open(self.port)
    }

    /// The body of a 200 response, without the live-reload script line.
    pub(crate) fn body(&self, path: &str) -> Vec<u8> {
        // HTTP/1.0, so large bodies are not sent in chunks.
        let response = http::get(self.port, path);
        assert_eq!(response.status, 200, "{path}: {}", response.head);
        let body = response.body;
        let needle = b"<script src=\"/_skillbook/live.js";
        let Some(at) = body.windows(needle.len()).position(|w| w == needle) else { return body };
        let end = at + body[at..].iter().position(|b| *b == b'\n').expect("script line end") + 1;
        [&body[..at], &body[end..]].concat()
    }

    /// Sends SIGINT and waits for a clean exit.
    pub(crate) fn interrupt(mut self) {
        Command::new("kill").args(["-INT", &self.child.id().to_string()]).status().expect("kill");
        let status = self.child.wait().expect("wait");
        assert!(status.success(), "serve exited with {status}: {:?}", self.log());
    }
}

fn count_builds(lines: &[String]) -> usize {
    lines.iter().filter(|l| l.starts_with("built in") || l.starts_with("build failed")).count()
}
