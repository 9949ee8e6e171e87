//! `serve` (plain form): builds into a private temp folder, serves it, refuses traversal,
//! takes the next port when one is busy, and cleans up on Ctrl-C.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};

use crate::support::{bin, SiteTest};

/// A running `skillbook serve`, stopped with SIGINT when dropped.
struct Server {
    child: Child,
    port: u16,
    stderr: BufReader<std::process::ChildStderr>,
}

impl Server {
    fn start(t: &SiteTest, port: u16) -> Self {
        let mut child = Command::new(bin())
            .args(["serve", "--port", &port.to_string()])
            .current_dir(&t.site)
            .env("TMPDIR", t.tmp.path())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn serve");
        let mut stderr = BufReader::new(child.stderr.take().expect("stderr"));
        let mut line = String::new();
        let port = loop {
            line.clear();
            assert!(stderr.read_line(&mut line).expect("read") > 0, "serve exited");
            if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
                break rest.split('/').next().and_then(|p| p.parse().ok()).expect("port in URL");
            }
        };
        Self { child, port, stderr }
    }

    fn get(&self, path: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        write!(stream, "GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n").expect("send");
        let mut response = String::new();
        let _ = stream.read_to_string(&mut response);
        let status = response.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        (status, response)
    }

    /// Sends SIGINT and waits; returns the rest of stderr.
    fn interrupt(mut self) -> String {
        let pid = self.child.id().to_string();
        Command::new("kill").args(["-INT", &pid]).status().expect("kill");
        let status = self.child.wait().expect("wait");
        let mut rest = String::new();
        let _ = self.stderr.read_to_string(&mut rest);
        assert!(status.success(), "serve exited with {status}: {rest}");
        rest
    }
}

#[test]
fn serves_the_portal_and_refuses_traversal() {
    let t = SiteTest::sample();
    let busy = TcpListener::bind("127.0.0.1:0").expect("bind");
    let busy_port = busy.local_addr().expect("addr").port();
    let server = Server::start(&t, busy_port);
    assert_ne!(server.port, busy_port, "took the next port");
    let (status, body) = server.get("/");
    assert_eq!(status, 200);
    assert!(body.contains("Content-Type: text/html; charset=utf-8"), "{body}");
    assert!(body.contains("Choose your role"));
    assert_eq!(server.get("/modules/listening/").0, 200);
    let (status, body) = server.get("/no/such/page.html");
    assert_eq!(status, 404);
    assert!(body.contains("<html"), "the portal's 404 page");
    for bad in [
        "/../skillbook.toml",
        "/%2e%2e/skillbook.toml",
        "/modules/%2E%2E/%2E%2E/x",
        "/..%2f..%2fetc/passwd",
        "/a%5c..%5c..%5cx",
        "/%00",
    ] {
        assert_eq!(server.get(bad).0, 400, "{bad}");
    }
    assert!(!t.out().exists(), "serve never writes into the site's public/");
    let rest = server.interrupt();
    assert!(rest.contains("stopped"), "{rest}");
    let left: Vec<_> = std::fs::read_dir(t.tmp.path())
        .expect("read tmp")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("skillbook-serve"))
        .collect();
    assert!(left.is_empty(), "temp folder removed on Ctrl-C");
    drop(busy);
}
