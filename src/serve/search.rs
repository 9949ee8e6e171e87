//! Serve: the search index, rebuilt in the background after a one-page rebuild. It depends
//! on every page, so building it before the reload event would make every edit as slow as
//! the whole index; instead the page reloads at once and the index follows, replacing the
//! old one in the served output without a reload (search loads it when a query is typed).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::Arc;
use std::time::Instant;

use super::state::Shared;
use crate::model::Site;
use crate::render::markdown::Rendered;
use crate::render::Output;

/// The pages to index, and the output version they belong to.
pub(crate) struct Job {
    /// `Snapshot::content` of the output the index is for.
    pub(crate) content: u64,
    /// The site.
    pub(crate) site: Arc<Site>,
    /// Rendered Markdown of every page.
    pub(crate) markdown: Arc<BTreeMap<String, Arc<Rendered>>>,
}

/// Starts the indexing thread; jobs sent to it are indexed, the newest first (older ones
/// waiting behind it are skipped).
pub(crate) fn start(shared: Arc<Shared>) -> Sender<Job> {
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("search-index".into())
        .spawn(move || run(&shared, &rx))
        .expect("invariant: a thread can be started at startup");
    tx
}

fn run(shared: &Shared, jobs: &Receiver<Job>) {
    while let Ok(mut job) = jobs.recv() {
        while let Ok(newer) = jobs.try_recv() {
            job = newer;
        }
        if shared.current().content != job.content {
            continue;
        }
        let started = Instant::now();
        let mut index = Output::default();
        crate::render::search::build(&job.site, crate::render::search::sections(&job.markdown), &mut index);
        let mut placed = false;
        shared.publish(|s| {
            if s.content != job.content {
                return;
            }
            let mut output = (*s.output).clone();
            for old in s.search_files.iter() {
                output.files.remove(old);
            }
            let mut files = BTreeSet::new();
            for (path, bytes) in index.files {
                // A file of `static/` or `content/` with the same path wins, as in a build.
                if let std::collections::btree_map::Entry::Vacant(slot) = output.files.entry(path) {
                    files.insert(slot.key().clone());
                    slot.insert(bytes);
                }
            }
            s.output = Arc::new(output);
            s.search_files = Arc::new(files);
            s.search_pending = false;
            placed = true;
        });
        if placed {
            eprintln!("  search index updated in {:.1} ms", started.elapsed().as_secs_f64() * 1000.0);
        }
    }
}
