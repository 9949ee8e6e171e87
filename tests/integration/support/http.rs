//! HTTP for every test that talks to a server: one client (to `skillbook serve`, to a static
//! server, to chromedriver), one static file server for a built portal, and one reader of
//! Server-Sent Events. Tests of malformed or slow requests write to a `connect`ed stream
//! themselves and read the answer with `Response::read`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a client waits for an answer before the test fails.
const READ_TIMEOUT: Duration = Duration::from_secs(60);

/// A connection to `127.0.0.1:port`.
pub(crate) fn connect(port: u16) -> TcpStream {
    TcpStream::connect(("127.0.0.1", port)).unwrap_or_else(|e| panic!("connect to port {port}: {e}"))
}

/// A response.
#[derive(Debug)]
pub(crate) struct Response {
    /// The status code; 0 if the answer had no status line.
    pub(crate) status: u16,
    /// The status line and the headers, CRLF-separated, without the blank line.
    pub(crate) head: String,
    /// The body: as sent, or joined from its chunks if it was sent in chunks.
    pub(crate) body: Vec<u8>,
}

impl Response {
    /// Reads an answer until the server closes the connection, keeping the body as it came.
    pub(crate) fn read(stream: &mut TcpStream) -> Self {
        let mut raw = Vec::new();
        let _ = stream.read_to_end(&mut raw);
        Self::parse(&raw)
    }

    /// Splits raw bytes into status, head and body.
    pub(crate) fn parse(raw: &[u8]) -> Self {
        let split = raw.windows(4).position(|w| w == b"\r\n\r\n");
        let (head, body) = match split {
            Some(at) => (String::from_utf8_lossy(&raw[..at]).into_owned(), raw[at + 4..].to_vec()),
            None => (String::from_utf8_lossy(raw).into_owned(), Vec::new()),
        };
        let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        let mut response = Self { status, head, body };
        if response.header("Transfer-Encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
            response.body = dechunk(&response.body);
        }
        response
    }

    /// The value of the header `name` (any case), if there is one.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim().eq_ignore_ascii_case(name).then(|| value.trim())
        })
    }

    /// The declared `Content-Length`.
    pub(crate) fn content_length(&self) -> Option<usize> {
        self.header("Content-Length").and_then(|v| v.parse().ok())
    }

    /// The body as text.
    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

fn dechunk(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut rest = raw;
    while let Some(end) = rest.windows(2).position(|w| w == b"\r\n") {
        let size_text = String::from_utf8_lossy(&rest[..end]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16).unwrap_or(0);
        if size == 0 || rest.len() < end + 2 + size {
            break;
        }
        out.extend_from_slice(&rest[end + 2..end + 2 + size]);
        rest = rest.get(end + 2 + size + 2..).unwrap_or_default();
    }
    out
}

/// Sends `request` as it is and reads the answer until the server closes the connection.
pub(crate) fn exchange(port: u16, request: &[u8]) -> Response {
    let mut stream = connect(port);
    stream.set_read_timeout(Some(READ_TIMEOUT)).expect("timeout");
    stream.write_all(request).expect("send");
    Response::read(&mut stream)
}

/// `GET path` over HTTP/1.0: the body whole and as sent (never in chunks).
pub(crate) fn get(port: u16, path: &str) -> Response {
    exchange(port, format!("GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n").as_bytes())
}

/// `head` (a request line, then headers if any, CRLF-separated) as HTTP/1.1 with `Host` and
/// `Connection: close`.
pub(crate) fn request(port: u16, head: &str) -> Response {
    exchange(port, format!("{head}\r\nHost: localhost\r\nConnection: close\r\n\r\n").as_bytes())
}

/// A JSON request to a server that may keep the connection open (chromedriver): the body is
/// read as long as its `Content-Length` or its chunks say, not until the connection closes.
pub(crate) fn call(port: u16, method: &str, path: &str, json: &str) -> Response {
    let mut stream = connect(port);
    stream.set_read_timeout(Some(Duration::from_secs(180))).expect("timeout");
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{json}",
        json.len()
    )
    .expect("send");
    let mut reader = BufReader::new(stream);
    let mut head = String::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).expect("read header");
        if line.trim().is_empty() {
            break;
        }
        head.push_str(&line);
    }
    let mut response = Response::parse(format!("{}\r\n\r\n", head.trim_end()).as_bytes());
    let mut raw = Vec::new();
    if let Some(n) = response.content_length() {
        raw.resize(n, 0);
        reader.read_exact(&mut raw).expect("read body");
    } else {
        reader.read_to_end(&mut raw).expect("read body");
    }
    response.body = if response.header("Transfer-Encoding").is_some() { dechunk(&raw) } else { raw };
    response
}

/// A static file server for a built portal, on a free loopback port, serving from a
/// background thread for as long as the tests run.
pub(crate) struct StaticServer {
    pub(crate) port: u16,
}

impl StaticServer {
    /// Serves the files of `dir`: `/a/b.html` is `dir/a/b.html`, a path ending in `/` its
    /// `index.html`; percent-escapes are decoded, `..` is refused, anything else is a 404.
    pub(crate) fn start(dir: &Path) -> Self {
        Self::serve(dir, None)
    }

    /// Serves the files of `dir` as `start` does, but answers a missing file with the bytes of
    /// `page` (a 404 status, as HTML), as nginx's `error_page`, GitHub Pages and Netlify do
    /// with a portal's `404.html`, at any depth.
    pub(crate) fn with_not_found(dir: &Path, page: &Path) -> Self {
        Self::serve(dir, Some(page.to_path_buf()))
    }

    fn serve(dir: &Path, not_found: Option<PathBuf>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let dir = dir.to_path_buf();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let dir = dir.clone();
                let not_found = not_found.clone();
                std::thread::spawn(move || respond(stream, &dir, not_found.as_deref()));
            }
        });
        Self { port }
    }

    /// The URL of its root, ending in `/`.
    pub(crate) fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }
}

/// Serves the files of `dir` (see `StaticServer::start`); returns the base URL.
pub(crate) fn serve(dir: &Path) -> String {
    StaticServer::start(dir).url()
}

fn respond(mut stream: TcpStream, dir: &Path, not_found: Option<&Path>) {
    let mut reader = BufReader::new(&stream);
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
        line.clear();
    }
    let path = request.split_whitespace().nth(1).unwrap_or("/").split(['?', '#']).next().unwrap_or("/");
    let rel = percent_decode(path.trim_start_matches('/'));
    let file = rel.as_ref().filter(|r| !r.split('/').any(|s| s == "..")).map(|rel| {
        let rel = if rel.is_empty() || rel.ends_with('/') { format!("{rel}index.html") } else { rel.clone() };
        dir.join(rel)
    });
    let (status, body, file) = match (file.as_ref().map(std::fs::read), not_found) {
        (Some(Ok(bytes)), _) => ("200 OK", bytes, file),
        (_, Some(page)) => ("404 Not Found", std::fs::read(page).expect("the 404 page"), Some(page.to_path_buf())),
        _ => ("404 Not Found", b"not found".to_vec(), None),
    };
    let kind = match file.as_deref().and_then(Path::extension).and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css",
        Some("js") => "text/javascript",
        Some("svg") => "image/svg+xml",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(&body));
}

/// `%XX` escapes decoded; `None` if one is malformed or the result is not UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok().filter(|s| !s.contains('\0'))
}

/// An open Server-Sent-Events connection (`skillbook serve`'s `/_skillbook/events`).
pub(crate) struct Events(BufReader<TcpStream>);

impl Events {
    pub(crate) fn open(port: u16) -> Self {
        let mut stream = connect(port);
        stream.set_read_timeout(Some(Duration::from_secs(20))).expect("timeout");
        write!(stream, "GET /_skillbook/events HTTP/1.1\r\nHost: localhost\r\n\r\n").expect("send");
        Self(BufReader::new(stream))
    }

    /// The next `(event, data)` that is not `warnings` (sent before every `reload` and
    /// `errors`, see [`Events::next_named`]).
    pub(crate) fn next(&mut self) -> (String, String) {
        loop {
            let (event, data) = self.next_any();
            if event != "warnings" {
                return (event, data);
            }
        }
    }

    /// The data of the next event called `name`, skipping others.
    pub(crate) fn next_named(&mut self, name: &str) -> String {
        loop {
            let (event, data) = self.next_any();
            if event == name {
                return data;
            }
        }
    }

    fn next_any(&mut self) -> (String, String) {
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

/// A free loopback port (free when asked; a test that needs it taken keeps its listener).
pub(crate) fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}
