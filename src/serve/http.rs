//! Serve: HTTP with `tiny_http`. Maps request paths to files of the built site, refusing any
//! path that could leave it (`..`, encoded or not, backslashes, NUL, symlinks pointing out).

use std::path::{Path, PathBuf};

use tiny_http::{Header, Request, Response, Server, StatusCode};

use crate::error::{Error, Result};

/// How many ports above the asked one are tried when it is taken.
const PORT_TRIES: u16 = 50;

/// Binds `addr:port`, or the next free port. Returns the server and the port it got.
pub(crate) fn bind(addr: &str, port: u16) -> Result<(Server, u16)> {
    let mut last = String::new();
    for p in port..port.saturating_add(PORT_TRIES) {
        match Server::http((addr, p)) {
            Ok(server) => {
                if p != port {
                    eprintln!("port {port} is taken; using {p}");
                }
                return Ok((server, p));
            }
            Err(e) => last = e.to_string(),
        }
    }
    Err(Error::Serve { message: format!("cannot listen on {addr}:{port} or the {PORT_TRIES} ports after it: {last}") })
}

/// Why a request path was refused.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Refused {
    /// Malformed or hostile: 400.
    BadRequest,
    /// Nothing there: 404.
    NotFound,
}

/// Maps a request URL to a file under `root` (which must be canonical).
pub(crate) fn resolve(root: &Path, url: &str) -> Result<PathBuf, Refused> {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_decode(path).ok_or(Refused::BadRequest)?;
    if decoded.contains('\0') || decoded.contains('\\') {
        return Err(Refused::BadRequest);
    }
    let mut file = root.to_path_buf();
    for seg in decoded.split('/') {
        match seg {
            "" | "." => {}
            ".." => return Err(Refused::BadRequest),
            s if s.contains(':') => return Err(Refused::BadRequest),
            s => file.push(s),
        }
    }
    if file.is_dir() {
        file.push("index.html");
    }
    let real = file.canonicalize().map_err(|_| Refused::NotFound)?;
    if !real.starts_with(root) || !real.is_file() {
        return Err(Refused::NotFound);
    }
    Ok(real)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = |b: u8| char::from(b).to_digit(16);
            let hi = hex(*bytes.get(i + 1)?)?;
            let lo = hex(*bytes.get(i + 2)?)?;
            out.push(u8::try_from(hi * 16 + lo).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Content type by file extension.
pub(crate) fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "txt" | "md" => "text/plain; charset=utf-8",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "xml" => "application/xml",
        _ => "application/octet-stream",
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("invariant: header names and values are ASCII")
}

/// Answers one request from the files under `root`.
pub(crate) fn respond(root: &Path, request: Request) {
    let (status, file) = match resolve(root, request.url()) {
        Ok(file) => (200, Some(file)),
        Err(Refused::BadRequest) => (400, None),
        Err(Refused::NotFound) => (404, Some(root.join("404.html"))),
    };
    let body = file.as_ref().and_then(|f| std::fs::read(f).ok());
    let response = match (body, &file) {
        (Some(bytes), Some(f)) => Response::from_data(bytes)
            .with_status_code(StatusCode(status))
            .with_header(header("Content-Type", content_type(f)))
            .with_header(header("Cache-Control", "no-cache")),
        _ => Response::from_data(format!("{status}\n").into_bytes())
            .with_status_code(StatusCode(status))
            .with_header(header("Content-Type", "text/plain; charset=utf-8")),
    };
    // A client that hung up is not an error worth reporting.
    let _ = request.respond(response);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_is_refused() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let root = tmp.path().join("site");
        std::fs::create_dir_all(root.join("modules")).expect("mkdir");
        std::fs::write(root.join("index.html"), "x").expect("write");
        std::fs::write(tmp.path().join("secret.txt"), "s").expect("write");
        let root = root.canonicalize().expect("canon");
        assert_eq!(resolve(&root, "/").expect("index"), root.join("index.html"));
        assert_eq!(resolve(&root, "/index.html?x=1").expect("query"), root.join("index.html"));
        for bad in [
            "/../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E%2Fsecret.txt",
            "/..%5csecret.txt",
            "/a\\..\\b",
            "/%00",
            "/%zz",
            "/C:/x",
        ] {
            assert_eq!(resolve(&root, bad), Err(Refused::BadRequest), "{bad}");
        }
        assert_eq!(resolve(&root, "/nope.html"), Err(Refused::NotFound));
        assert_eq!(resolve(&root, "/modules"), Err(Refused::NotFound));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(tmp.path().join("secret.txt"), root.join("link.txt")).expect("symlink");
            assert_eq!(resolve(&root, "/link.txt"), Err(Refused::NotFound));
        }
    }
}
