//! `serve` under hostile clients and edits: pages are whole while their source is being
//! rewritten (the server answers from a build in memory, never from files being written),
//! and dropped connections, slow headers, large request bodies and hundreds of event streams
//! leave it up, its memory bounded and its rebuilds arriving. Bounded versions of what
//! `scripts/serve-abuse` runs at full size.

use std::io::Write;
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::support::http::{self, Events, Response};
use crate::support::serve::Server;
use crate::support::{tree, SiteTest};

const LESSON: &str = "content/modules/01-m/01-l.md";

/// `tests/fixtures/one-lesson` with its lesson made large.
fn site() -> SiteTest {
    SiteTest::fixture("one-lesson").write(LESSON, &lesson(0))
}

/// A lesson of about 200 KB: large enough that writing it is not one step.
fn lesson(n: usize) -> String {
    let para = format!("Version {n} of a long paragraph that makes the page large enough. ");
    format!("+++\ntitle = \"L\"\n+++\nStart {n}.\n\n{}\n\nEnd {n}.\n", para.repeat(3000))
}

/// GET `path` over HTTP/1.0: the status, the declared length and the body as it came.
fn fetch(port: u16, path: &str) -> (u16, Option<usize>, Vec<u8>) {
    let response = http::get(port, path);
    (response.status, response.content_length(), response.body)
}

#[test]
fn pages_are_whole_while_their_source_is_rewritten() {
    let t = site();
    let before: Vec<_> = tree(&t.site).into_iter().filter(|(p, _)| p != LESSON).collect();
    let server = Server::start(&t, 0);
    server.wait_builds(1);
    let port = server.port;
    let path = t.site.join(LESSON);
    let writer = std::thread::spawn(move || {
        for n in 1..=20 {
            let text = lesson(n);
            let (a, b) = text.split_at(text.len() / 2);
            let mut file = std::fs::File::create(&path).expect("create");
            file.write_all(a.as_bytes()).expect("first half");
            file.flush().expect("flush");
            std::thread::sleep(Duration::from_millis(15));
            file.write_all(b.as_bytes()).expect("second half");
            drop(file);
            std::thread::sleep(Duration::from_millis(40));
        }
    });
    let mut pages = 0;
    while !writer.is_finished() || pages == 0 {
        let (status, length, body) = fetch(port, "/modules/m/l.html");
        assert_eq!(status, 200);
        assert_eq!(length, Some(body.len()), "the body is as long as announced");
        assert!(body.ends_with(b"</html>\n"), "a whole page: {}", String::from_utf8_lossy(&body[body.len() - 200..]));
        pages += 1;
    }
    writer.join().expect("writer");
    // The last version arrives whole.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (_, _, body) = fetch(port, "/modules/m/l.html");
        let body = String::from_utf8_lossy(&body).into_owned();
        if body.contains("End 20.") && body.contains("Start 20.") {
            break;
        }
        assert!(Instant::now() < deadline, "the last version was never served");
        std::thread::sleep(Duration::from_millis(50));
    }
    let after: Vec<_> = tree(&t.site).into_iter().filter(|(p, _)| p != LESSON).collect();
    assert_eq!(before, after, "serve wrote nothing into the site folder");
    eprintln!("{pages} pages served whole while the source was rewritten 20 times");
}

/// Sends `bytes` a few at a time, `pause` apart, for at most `total`; true if the server
/// closed the connection on it.
fn dawdle(port: u16, pause: Duration, total: Duration) -> bool {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else { return true };
    let started = Instant::now();
    let head = b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ";
    for chunk in head.chunks(4).chain(std::iter::repeat(&b"aaaa"[..])) {
        if started.elapsed() > total {
            return false;
        }
        if stream.write_all(chunk).is_err() {
            return true;
        }
        std::thread::sleep(pause);
    }
    false
}

/// POSTs a body of `size` bytes while reading the answer; the status, 0 if none came.
fn post(port: u16, size: usize) -> u16 {
    let mut stream = http::connect(port);
    stream.set_read_timeout(Some(Duration::from_secs(20))).expect("timeout");
    let mut sender = stream.try_clone().expect("clone");
    let send = std::thread::spawn(move || {
        let _ = write!(sender, "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: {size}\r\n\r\n");
        let chunk = vec![b'x'; 64 * 1024];
        let mut sent = 0;
        while sent < size && sender.write_all(&chunk).is_ok() {
            sent += chunk.len();
        }
    });
    let response = Response::read(&mut stream);
    let _ = send.join();
    response.status
}

#[test]
fn abuse_leaves_the_server_up_with_bounded_memory_and_rebuilds_arriving() {
    const STREAMS: usize = 200;
    let t = site();
    let server = Server::start(&t, 0);
    server.wait_builds(1);
    let port = server.port;
    let mut streams: Vec<Events> = (0..STREAMS).map(|_| server.events()).collect();
    for s in &mut streams {
        assert_eq!(s.next().0, "reload", "the first event of a stream");
    }
    // Connections opened and dropped, some after half a request.
    for i in 0..1000 {
        let mut s = http::connect(port);
        if i % 2 == 0 {
            let _ = s.write_all(b"GET /modules/m/l.html HTT");
        }
    }
    // Slow clients, large bodies and an edit, all at once, while pages are being fetched.
    let slow: Vec<_> = (0..30)
        .map(|_| std::thread::spawn(move || dawdle(port, Duration::from_millis(100), Duration::from_secs(3))))
        .collect();
    let bodies: Vec<_> = (0..3).map(|_| std::thread::spawn(move || post(port, 10 * 1024 * 1024))).collect();
    std::fs::write(t.site.join(LESSON), lesson(1)).expect("edit");
    let started = Instant::now();
    let mut pages = 0;
    while started.elapsed() < Duration::from_secs(3) {
        let (status, length, body) = fetch(port, "/");
        assert_eq!((status, length), (200, Some(body.len())));
        pages += 1;
    }
    for s in &mut streams {
        let (kind, _) = s.next();
        assert_eq!(kind, "reload", "every open page hears of the rebuild");
    }
    for b in bodies {
        assert_eq!(b.join().expect("post"), 405, "a 10 MB body gets its answer");
    }
    let cut = slow.into_iter().map(|h| h.join().unwrap_or(false)).filter(|c| *c).count();
    let (_, _, page) = fetch(port, "/modules/m/l.html");
    assert!(String::from_utf8_lossy(&page).contains("Start 1."));
    let rss = server.peak_rss_kib();
    eprintln!(
        "abuse: 1000 dropped connections, 30 slow clients ({cut} cut off), 3 × 10 MB bodies, {STREAMS} event streams; {pages} pages served, peak RSS {} MiB",
        rss / 1024
    );
    assert!(rss < 400 * 1024, "peak RSS {rss} KiB");
}
