//! Serve: what each request gets, from the published build in memory. Maps request paths to
//! output files, refusing any path that could leave the site (`..`, encoded or not,
//! backslashes, NUL, drive letters); answers `ETag` revalidation; hands event-stream requests
//! to their own threads; injects the live-reload script into HTML.

use std::sync::Arc;

use super::reload::Streams;
use super::state::{Shared, Snapshot};
use super::wire::{Reply, Request, Response};
use crate::model::slug::{join, NOT_FOUND};
use crate::render::cache::hash_of;

const HTML: &str = "text/html; charset=utf-8";
/// Longest request target accepted.
const MAX_URL: usize = 4096;
/// Prefix of the server's own endpoints; no site file can live there.
pub(crate) const RESERVED: &str = "/_skillbook/";

/// Why a request path was refused.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Refused {
    /// Malformed or hostile: 400.
    BadRequest,
    /// Nothing there: 404.
    NotFound,
    /// A folder asked for without its trailing slash: redirect there.
    Redirect(String),
}

/// Maps a request URL to the output path it names, e.g. `/modules/a/` → `modules/a/index.html`.
pub(crate) fn resolve(output: &crate::render::Output, url: &str) -> Result<String, Refused> {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_decode(path).ok_or(Refused::BadRequest)?;
    if decoded.contains(['\0', '\\']) || !decoded.starts_with('/') {
        return Err(Refused::BadRequest);
    }
    // `..` is refused wherever it is, not only where it would climb out.
    if decoded.split('/').any(|seg| seg == ".." || seg.contains(':')) {
        return Err(Refused::BadRequest);
    }
    let key = join("", &decoded).ok_or(Refused::BadRequest)?;
    if decoded.ends_with('/') || key.is_empty() {
        let index = if key.is_empty() { "index.html".to_string() } else { format!("{key}/index.html") };
        return if output.files.contains_key(&index) { Ok(index) } else { Err(Refused::NotFound) };
    }
    if output.files.contains_key(&key) {
        return Ok(key);
    }
    if output.files.contains_key(&format!("{key}/index.html")) {
        return Err(Refused::Redirect(format!("/{key}/")));
    }
    Err(Refused::NotFound)
}

/// Decodes `%XX` escapes; `None` for a `%` not followed by two hex digits, or bytes that are
/// not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let well_formed = bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'%')
        .all(|(i, _)| bytes.get(i + 1..i + 3).is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit)));
    let decoded = percent_encoding::percent_decode(bytes).decode_utf8().ok()?;
    well_formed.then(|| decoded.into_owned())
}

/// Content type by file extension.
pub(crate) fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map_or("", |(_, ext)| ext) {
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

/// Answers one request from the current snapshot.
pub(crate) fn respond(shared: &Arc<Shared>, streams: &Arc<Streams>, request: &Request) -> Reply {
    if request.method != "GET" && request.method != "HEAD" {
        return Reply::Response(
            Response::plain(405, "only GET and HEAD are served\n").with_header("Allow", "GET, HEAD"),
        );
    }
    if request.target.len() > MAX_URL {
        return Reply::Response(Response::plain(414, "request target too long\n"));
    }
    if let Some(endpoint) = request.target.strip_prefix(RESERVED) {
        return super::reload::endpoint(shared, streams, endpoint);
    }
    let snap = shared.current();
    let (status, path) = match resolve(&snap.output, &request.target) {
        Ok(path) => (200, Some(path)),
        Err(Refused::BadRequest) => (400, None),
        Err(Refused::Redirect(to)) => {
            return Reply::Response(Response::plain(301, "moved\n").with_header("Location", to))
        }
        Err(Refused::NotFound) => (404, snap.output.files.contains_key(NOT_FOUND).then(|| NOT_FOUND.to_string())),
    };
    Reply::Response(match path {
        Some(path) => file_response(&snap, &path, status, request),
        None if snap.output.files.is_empty() => with_etag(super::reload::error_page(&snap), 503, HTML, request),
        None => Response::plain(status, &format!("{status}\n")),
    })
}

fn file_response(snap: &Snapshot, path: &str, status: u16, request: &Request) -> Response {
    let bytes = &snap.output.files[path];
    let kind = content_type(path);
    if kind.starts_with("text/html") {
        let source = snap.sources.get(path).map_or("", String::as_str);
        let html = super::reload::inject(bytes, &snap.tag(), source);
        return with_etag(html, status, HTML, request);
    }
    with_etag(bytes.to_vec(), status, kind, request)
}

/// A response with an `ETag`; `304 Not Modified` when the client already has these bytes.
fn with_etag(body: Vec<u8>, status: u16, kind: &str, request: &Request) -> Response {
    let etag = format!("\"{:016x}\"", hash_of(&body));
    let fresh = request.headers("If-None-Match").any(|h| h.split(',').any(|v| v.trim() == etag || v.trim() == "*"));
    let response = if fresh && status == 200 {
        Response { status: 304, headers: Vec::new(), body: Vec::new() }
    } else {
        Response::new(status, kind, body)
    };
    response.with_header("ETag", etag).with_header("Cache-Control", "no-cache")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::Output;

    fn output(paths: &[&str]) -> Output {
        Output { files: paths.iter().map(|p| ((*p).to_string(), Arc::from(&b"x"[..]))).collect() }
    }

    #[test]
    fn folders_and_files_resolve() {
        let out = output(&["index.html", "modules/a/index.html", "modules/a/x.html", "assets/a b.css"]);
        assert_eq!(resolve(&out, "/"), Ok("index.html".into()));
        assert_eq!(resolve(&out, "/index.html?x=1#y"), Ok("index.html".into()));
        assert_eq!(resolve(&out, "/modules/a/"), Ok("modules/a/index.html".into()));
        assert_eq!(resolve(&out, "/modules/a"), Err(Refused::Redirect("/modules/a/".into())));
        assert_eq!(resolve(&out, "/modules/./a/x.html"), Ok("modules/a/x.html".into()));
        assert_eq!(resolve(&out, "/assets/a%20b.css"), Ok("assets/a b.css".into()));
        assert_eq!(resolve(&out, "/nope.html"), Err(Refused::NotFound));
    }

    #[test]
    fn traversal_is_refused() {
        let out = output(&["index.html"]);
        for bad in [
            "/../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E%2Fsecret.txt",
            "/..%5csecret.txt",
            "/a\\..\\b",
            "/%00",
            "/%zz",
            "/C:/x",
            "//..//x",
            "/modules/%2e%2e/%2e%2e/x",
            "..",
            "/%c0%ae%c0%ae/x",
            "/a%",
            "/a%4",
            "/%ff.html",
        ] {
            assert_eq!(resolve(&out, bad), Err(Refused::BadRequest), "{bad}");
        }
    }
}
