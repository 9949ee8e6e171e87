//! Serve: the HTTP/1.1 wire layer on `std::net`. One acceptor thread gives each connection a
//! thread of its own, up to a fixed number at once (beyond it a connection is answered `503`
//! at once, so nothing waits without bound and an idle client holds only its own thread); a
//! request head must arrive within a time limit and a size limit; every response closes its
//! connection. Event streams keep their thread for as long as the page is open.

use std::fmt::Write as _;
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::error::{Error, Result};

/// Largest request head (request line and headers) accepted.
const MAX_HEAD: usize = 16 * 1024;
/// Most header lines accepted.
const MAX_HEADERS: usize = 100;
/// Time a client has to send its whole request head.
const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// Time a client has to take a response.
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);
/// Connections being read or answered at once (event streams not counted).
const MAX_CONNECTIONS: usize = 256;
/// Most bytes read and dropped after an error response, and for how long (see `drain`).
const DRAIN_BYTES: usize = 1024 * 1024;
const DRAIN_TIME: Duration = Duration::from_secs(2);
/// Stack of a connection thread: they parse a head and copy bytes.
const STACK: usize = 256 * 1024;
/// How many ports above the asked one are tried when it is taken.
const PORT_TRIES: u16 = 50;

/// A parsed request head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Request {
    /// `GET`, `HEAD`, …
    pub(crate) method: String,
    /// The request target as sent, e.g. `/modules/a/?x=1`.
    pub(crate) target: String,
    headers: Vec<(String, String)>,
}

impl Request {
    /// Values of the header `name` (case-insensitive).
    pub(crate) fn headers<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers.iter().filter(move |(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// A complete response.
#[derive(Debug, Clone)]
pub(crate) struct Response {
    /// Status code.
    pub(crate) status: u16,
    /// Headers besides `Content-Length` and `Connection`.
    pub(crate) headers: Vec<(&'static str, String)>,
    /// The body (not sent for `HEAD`).
    pub(crate) body: Vec<u8>,
}

impl Response {
    /// A response with a body of `content_type`.
    pub(crate) fn new(status: u16, content_type: &str, body: Vec<u8>) -> Self {
        Self { status, headers: vec![("Content-Type", content_type.to_string())], body }
    }

    /// Adds a header.
    #[must_use]
    pub(crate) fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// A small plain-text response.
    pub(crate) fn plain(status: u16, text: &str) -> Self {
        Self::new(status, "text/plain; charset=utf-8", text.as_bytes().to_vec())
    }

    /// A JSON response that is never cached.
    pub(crate) fn json(body: String) -> Self {
        Self::new(200, "application/json", body.into_bytes()).with_header("Cache-Control", "no-cache")
    }

    /// A JavaScript response that is never cached.
    pub(crate) fn script(body: &str) -> Self {
        Self::new(200, "text/javascript; charset=utf-8", body.as_bytes().to_vec())
            .with_header("Cache-Control", "no-cache")
    }
}

/// What a handler does with a request.
pub(crate) enum Reply {
    /// Send this and close.
    Response(Response),
    /// Take over the connection (an event stream); the closure owns it from then on.
    Stream(Box<dyn FnOnce(TcpStream) + Send>),
}

/// A bound listening socket.
pub(crate) struct Listener {
    listener: TcpListener,
    /// The port it listens on.
    pub(crate) port: u16,
}

/// Binds `addr:port`, or the next free port (port 0: any free port).
pub(crate) fn bind(addr: &str, port: u16) -> Result<Listener> {
    let mut last = String::new();
    for p in port..port.saturating_add(PORT_TRIES) {
        match TcpListener::bind((addr, p)) {
            Ok(listener) => {
                let got = listener.local_addr().map_or(p, |a| a.port());
                if p != port {
                    eprintln!("port {port} is taken; using {got}");
                }
                return Ok(Listener { listener, port: got });
            }
            Err(e) => last = e.to_string(),
        }
    }
    Err(Error::Serve { message: format!("cannot listen on {addr}:{port} or the {PORT_TRIES} ports after it: {last}") })
}

/// A running server; `stop` ends it.
pub(crate) struct Running {
    stop: Arc<AtomicBool>,
    port: u16,
    acceptor: JoinHandle<()>,
}

type Handler = dyn Fn(&Request) -> Reply + Send + Sync;

impl Listener {
    /// Accepts connections and answers them with `handler`, a thread per connection.
    pub(crate) fn run(self, handler: Arc<Handler>) -> Running {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let listener = self.listener;
        let active = Arc::new(AtomicUsize::new(0));
        let acceptor = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if flag.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let taken =
                    active.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| (n < MAX_CONNECTIONS).then_some(n + 1));
                if taken.is_err() {
                    refuse_busy(stream);
                    continue;
                }
                let (handler, active) = (Arc::clone(&handler), Arc::clone(&active));
                let spawned = std::thread::Builder::new().stack_size(STACK).spawn(move || {
                    serve_one(stream, &*handler);
                    active.fetch_sub(1, Ordering::SeqCst);
                });
                if spawned.is_err() {
                    eprintln!("warning: cannot start a thread for a connection");
                }
            }
        });
        Running { stop, port: self.port, acceptor }
    }
}

impl Running {
    /// Stops accepting connections (those being answered finish on their own).
    pub(crate) fn stop(self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the acceptor, blocked in accept().
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        let _ = self.acceptor.join();
    }
}

fn refuse_busy(mut stream: TcpStream) {
    let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
    let response = Response::new(503, "text/plain; charset=utf-8", b"busy, try again\n".to_vec());
    let _ = write_response(&mut stream, &response, false);
}

fn serve_one(mut stream: TcpStream, handler: &Handler) {
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let request = match read_request(&mut stream) {
        Ok(request) => request,
        Err(Some(status)) => {
            let text = format!("{status} {}\n", reason(status));
            let response = Response::new(status, "text/plain; charset=utf-8", text.into());
            let _ = write_response(&mut stream, &response, false);
            drain(&mut stream);
            return;
        }
        Err(None) => return,
    };
    match handler(&request) {
        Reply::Response(response) => {
            let _ = write_response(&mut stream, &response, request.method == "HEAD");
            if request.method != "GET" && request.method != "HEAD" {
                drain(&mut stream);
            }
        }
        Reply::Stream(take) => {
            let _ = stream.set_read_timeout(None);
            take(stream);
        }
    }
}

/// Reads and drops what the client is still sending (the rest of an oversized head, a request
/// body), within a byte and time limit, before the connection closes. Closing a socket with
/// unread input makes the kernel reset the connection, and the client may then lose the error
/// response it was sent (seen with a 20 KB header under load).
fn drain(stream: &mut TcpStream) {
    let started = Instant::now();
    let mut buf = [0u8; 8192];
    let mut total = 0;
    while total < DRAIN_BYTES {
        let Some(left) = DRAIN_TIME.checked_sub(started.elapsed()).filter(|d| !d.is_zero()) else { return };
        if stream.set_read_timeout(Some(left)).is_err() {
            return;
        }
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => total += n,
        }
    }
}

/// Reads a request head within the time and size limits. `Err(Some(status))` asks for an
/// error response, `Err(None)` for closing silently (the client went away or was too slow).
fn read_request(stream: &mut TcpStream) -> std::result::Result<Request, Option<u16>> {
    let started = Instant::now();
    let mut head = Vec::with_capacity(1024);
    let mut buf = [0u8; 2048];
    let end = loop {
        if let Some(i) = head.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        if head.len() > MAX_HEAD {
            return Err(Some(431));
        }
        let left = HEAD_TIMEOUT.checked_sub(started.elapsed()).filter(|d| !d.is_zero()).ok_or(None)?;
        stream.set_read_timeout(Some(left)).map_err(|_| None)?;
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return Err(None),
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    };
    parse_head(&head[..end])
}

/// Parses `METHOD target HTTP/1.x` and the header lines.
pub(crate) fn parse_head(head: &[u8]) -> std::result::Result<Request, Option<u16>> {
    let text = std::str::from_utf8(head).map_err(|_| Some(400))?;
    let mut lines = text.split("\r\n");
    let mut first = lines.next().unwrap_or("").split(' ');
    let (Some(method), Some(target), Some(version), None) = (first.next(), first.next(), first.next(), first.next())
    else {
        return Err(Some(400));
    };
    if !version.starts_with("HTTP/1.") || method.is_empty() || !method.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(Some(400));
    }
    let mut headers = Vec::new();
    for line in lines {
        if headers.len() >= MAX_HEADERS {
            return Err(Some(431));
        }
        let (name, value) = line.split_once(':').ok_or(Some(400))?;
        headers.push((name.trim().to_string(), value.trim().to_string()));
    }
    Ok(Request { method: method.to_string(), target: target.to_string(), headers })
}

/// Writes `response` and closes the sending side.
pub(crate) fn write_response(stream: &mut TcpStream, response: &Response, head_only: bool) -> std::io::Result<()> {
    let mut out = format!("HTTP/1.1 {} {}\r\n", response.status, reason(response.status));
    for (name, value) in &response.headers {
        out.push_str(name);
        out.push_str(": ");
        out.push_str(value);
        out.push_str("\r\n");
    }
    let _ = write!(out, "Content-Length: {}\r\nConnection: close\r\n\r\n", response.body.len());
    stream.write_all(out.as_bytes())?;
    if !head_only {
        stream.write_all(&response.body)?;
    }
    stream.flush()?;
    stream.shutdown(Shutdown::Write)
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        304 => "Not Modified",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_parse_and_bad_ones_are_refused() {
        let r = parse_head(b"GET /a?b HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"1\"").expect("valid");
        assert_eq!((r.method.as_str(), r.target.as_str()), ("GET", "/a?b"));
        assert_eq!(r.headers("if-none-match").collect::<Vec<_>>(), ["\"1\""]);
        for bad in [
            &b"GET /a"[..],
            b"GET /a HTTP/1.1 x",
            b"get / HTTP/1.1",
            b"GET / FTP/1.0",
            b"GET / HTTP/1.1\r\nNoColon",
            b"\xff / HTTP/1.1",
        ] {
            assert_eq!(parse_head(bad), Err(Some(400)), "{}", String::from_utf8_lossy(bad));
        }
        let many = (0..=MAX_HEADERS).fold(String::new(), |acc, i| acc + "\r\nX-" + &i.to_string() + ": y");
        assert_eq!(parse_head(format!("GET / HTTP/1.1{many}").as_bytes()), Err(Some(431)));
    }
}
