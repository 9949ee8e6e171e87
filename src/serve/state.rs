//! Serve: the published state shared by the rebuild loop, the HTTP workers and the
//! Server-Sent-Events streams. Readers always see one whole build: a rebuild swaps in a new
//! snapshot, never edits the served one.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use crate::render::Output;

/// One published build.
#[derive(Clone)]
pub(crate) struct Snapshot {
    /// Incremented by every rebuild, good or failed; open pages compare it with their own.
    pub(crate) generation: u64,
    /// Distinguishes this server process from an earlier one on the same port.
    pub(crate) instance: u64,
    /// The last good build (empty if no build has succeeded yet).
    pub(crate) output: Arc<Output>,
    /// Output path → source path, for the author bar.
    pub(crate) sources: Arc<BTreeMap<String, String>>,
    /// `{"id":…,"roles":[…]}` of the site, for the author bar.
    pub(crate) info: Arc<String>,
    /// The answer key of every quiz (JSON), for the author bar.
    pub(crate) answers: Arc<String>,
    /// Errors of the latest build, formatted `file:line:col: message`; empty when it succeeded.
    pub(crate) errors: Arc<Vec<String>>,
    /// Warnings of the latest build, in the same form; shown on pages by the author bar.
    pub(crate) warnings: Arc<Vec<String>>,
    /// Set when the server is shutting down, to end event streams.
    pub(crate) stopping: bool,
    /// The output paths of the search index in `output`.
    pub(crate) search_files: Arc<BTreeSet<String>>,
    /// Incremented whenever `output` is replaced by a rebuild, so a search index built for
    /// an older output is never put into a newer one.
    pub(crate) content: u64,
    /// The search index in `output` is of an earlier version of the pages; a newer one is
    /// being built.
    pub(crate) search_pending: bool,
}

impl Snapshot {
    /// The tag open pages carry and compare: `<instance>-<generation>` of the last good build.
    pub(crate) fn tag(&self) -> String {
        format!("{:x}-{}", self.instance, self.generation)
    }
}

/// The snapshot behind a lock, with a condition variable that wakes event streams.
pub(crate) struct Shared {
    state: Mutex<Snapshot>,
    changed: Condvar,
}

impl Shared {
    /// Shared state starting from `first`.
    pub(crate) fn new(first: Snapshot) -> Self {
        Self { state: Mutex::new(first), changed: Condvar::new() }
    }

    fn lock(&self) -> MutexGuard<'_, Snapshot> {
        // A panicking holder cannot leave a half-written snapshot: it is replaced whole.
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The current snapshot (cheap: everything inside is reference-counted).
    pub(crate) fn current(&self) -> Snapshot {
        self.lock().clone()
    }

    /// Replaces the snapshot and wakes every event stream.
    pub(crate) fn publish(&self, update: impl FnOnce(&mut Snapshot)) {
        let mut state = self.lock();
        update(&mut state);
        drop(state);
        self.changed.notify_all();
    }

    /// Waits until the generation differs from `seen` or `timeout` passes; returns the snapshot.
    pub(crate) fn wait_change(&self, seen: u64, timeout: Duration) -> Snapshot {
        let state = self.lock();
        let (state, _) = self
            .changed
            .wait_timeout_while(state, timeout, |s| s.generation == seen && !s.stopping)
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        state.clone()
    }
}
