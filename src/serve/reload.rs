//! Serve: live reload. The script injected into served pages (never into `build` output), the
//! Server-Sent-Events stream that tells pages to reload or to show errors, and the server's
//! own endpoints under `/_skillbook/`.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use super::state::{Shared, Snapshot};
use super::wire::{Reply, Response};
use crate::render::cache::hash_of;
use crate::render::html::escape;

/// The injected script.
const LIVE_JS: &str = include_str!("live.js");
/// A comment sent on idle streams, so dead connections are noticed and closed.
const KEEPALIVE: Duration = Duration::from_secs(15);

/// `html` with the live-reload script added before `</body>`.
pub(crate) fn inject(html: &[u8], tag: &str, source: &str) -> Vec<u8> {
    let tag_line = format!(
        "<script src=\"/_skillbook/live.js\" data-tag=\"{}\" data-source=\"{}\"></script>\n",
        escape(tag),
        escape(source)
    );
    let at = find_last(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag_line.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag_line.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w.eq_ignore_ascii_case(needle))
}

/// The page served while no build has succeeded yet: the errors, and the script that reloads
/// it once they are fixed.
pub(crate) fn error_page(snap: &Snapshot) -> Vec<u8> {
    let mut html = String::from(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build failed</title></head>\
         <body data-site-id=\"\"><main><h1>The site does not build yet</h1>",
    );
    for error in snap.errors.iter() {
        let _ = write!(html, "<pre>{}</pre>", escape(error));
    }
    html.push_str("</main></body></html>");
    inject(html.as_bytes(), &snap.tag(), "")
}

/// Answers a request for `/_skillbook/<endpoint>`.
pub(crate) fn endpoint(shared: &Arc<Shared>, streams: &Arc<Streams>, endpoint: &str) -> Reply {
    let name = endpoint.split('?').next().unwrap_or("");
    Reply::Response(match name {
        "live.js" => Response::script(LIVE_JS),
        "info.json" => Response::json(shared.current().info.to_string()),
        "answers.json" => Response::json(shared.current().answers.to_string()),
        "manifest.json" => Response::json(manifest(&shared.current())),
        "events" => return stream(shared, streams),
        _ => Response::plain(404, "not found\n"),
    })
}

/// `{"files":{"path":"hash",…},"errors":n,"search_pending":false}` of the served build, for
/// tests and tools.
fn manifest(snap: &Snapshot) -> String {
    let files: serde_json::Map<String, serde_json::Value> = snap
        .output
        .files
        .iter()
        .map(|(path, bytes)| (path.clone(), format!("{:016x}", hash_of(&bytes[..])).into()))
        .collect();
    serde_json::json!({
        "tag": snap.tag(),
        "files": files,
        "errors": snap.errors.len(),
        "search_pending": snap.search_pending,
    })
    .to_string()
}

/// Counts open event streams, to bound their threads.
pub(crate) struct Streams {
    open: AtomicUsize,
    max: usize,
}

/// One open event stream; gives its place back when dropped.
struct Slot(Arc<Streams>);

impl Streams {
    /// At most `max` event streams at once.
    pub(crate) fn new(max: usize) -> Self {
        Self { open: AtomicUsize::new(0), max }
    }

    /// One more event stream, or `None` when `max` are open.
    fn take(streams: &Arc<Self>) -> Option<Slot> {
        let taken =
            streams.open.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| (n < streams.max).then_some(n + 1));
        taken.is_ok().then(|| Slot(Arc::clone(streams)))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.open.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Streams events to one page on a thread of its own, so a slow client holds only itself.
fn stream(shared: &Arc<Shared>, streams: &Arc<Streams>) -> Reply {
    let Some(slot) = Streams::take(streams) else {
        return Reply::Response(Response::plain(503, "too many open event streams\n"));
    };
    let shared = Arc::clone(shared);
    Reply::Stream(Box::new(move |mut connection| {
        // The slot is given back when the thread ends, or when it cannot start.
        let spawned = std::thread::Builder::new().name("sse".into()).spawn(move || {
            let _ = run_stream(&shared, &mut connection);
            drop(slot);
        });
        if spawned.is_err() {
            eprintln!("warning: cannot start a thread for an event stream");
        }
    }))
}

fn run_stream(shared: &Shared, writer: &mut dyn std::io::Write) -> std::io::Result<()> {
    writer.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: keep-alive\r\n\r\nretry: 1000\n\n",
    )?;
    let mut snap = shared.current();
    loop {
        if snap.stopping {
            return Ok(());
        }
        writer.write_all(event(&snap).as_bytes())?;
        writer.flush()?;
        let seen = snap.generation;
        loop {
            snap = shared.wait_change(seen, KEEPALIVE);
            if snap.generation != seen || snap.stopping {
                break;
            }
            writer.write_all(b": keepalive\n\n")?;
            writer.flush()?;
        }
    }
}

/// The events describing `snap`: `warnings` with a JSON list (often empty), then `errors`
/// with a JSON list, or `reload` with the build's tag.
pub(crate) fn event(snap: &Snapshot) -> String {
    let list = |items: &[String]| serde_json::to_string(items).unwrap_or_else(|_| "[]".into());
    let warnings = format!("event: warnings\ndata: {}\n\n", list(&snap.warnings));
    if snap.errors.is_empty() {
        format!("{warnings}event: reload\ndata: {}\n\n", snap.tag())
    } else {
        format!("{warnings}event: errors\ndata: {}\n\n", list(&snap.errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_before_the_last_body_end() {
        let out = inject(b"<html><body><p>&lt;/body&gt;</p></BODY></html>", "1-2", "content/a \"b\".md");
        let text = String::from_utf8(out).expect("utf-8");
        assert!(text.ends_with(
            "<script src=\"/_skillbook/live.js\" data-tag=\"1-2\" data-source=\"content/a &quot;b&quot;.md\"></script>\n</BODY></html>"
        ));
        assert!(String::from_utf8(inject(b"no body", "t", "")).expect("utf-8").starts_with("no body<script"));
    }
}
