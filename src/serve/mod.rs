//! Serve: builds the site into a private temporary folder (never the author's `public/`) and
//! serves it over HTTP on the loopback address until Ctrl-C, then removes the folder.

pub(crate) mod http;

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::error::{Error, Result};

/// Worker threads answering requests; a slow client holds one, never the whole server.
const WORKERS: usize = 4;

/// Builds `dir`, serves it on `bind:port` (or the next free port) until interrupted.
pub(crate) fn serve(dir: &Path, bind: &str, port: u16) -> Result<()> {
    let temp = tempfile::Builder::new()
        .prefix("skillbook-serve-")
        .tempdir()
        .map_err(Error::io("create a temporary folder in", std::env::temp_dir()))?;
    let out = temp.path().join("site");
    let output = crate::pipeline::compile(dir, false)?;
    crate::write::write(&out, &output)?;
    let (server, port) = http::bind(bind, port)?;
    let shown = if bind == "0.0.0.0" { "localhost" } else { bind };
    eprintln!("serving {} at http://{shown}:{port}/  (Ctrl-C to stop)", dir.display());
    let server = Arc::new(server);
    let stop = Arc::new(AtomicBool::new(false));
    {
        let (server, stop) = (Arc::clone(&server), Arc::clone(&stop));
        ctrlc::set_handler(move || {
            stop.store(true, Ordering::SeqCst);
            for _ in 0..WORKERS {
                server.unblock();
            }
        })
        .map_err(|e| Error::Serve { message: format!("cannot install the Ctrl-C handler: {e}") })?;
    }
    let root = out.canonicalize().map_err(Error::io("read", &out))?;
    let workers: Vec<_> = (0..WORKERS)
        .map(|_| {
            let (server, stop, root) = (Arc::clone(&server), Arc::clone(&stop), root.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    match server.recv() {
                        Ok(request) => http::respond(&root, request),
                        Err(_) => break,
                    }
                }
            })
        })
        .collect();
    for w in workers {
        let _ = w.join();
    }
    eprintln!("stopped; removed {}", temp.path().display());
    drop(temp);
    Ok(())
}
