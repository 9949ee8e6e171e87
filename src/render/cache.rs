//! Render stage: what a rebuild may reuse from the previous one. Every entry is keyed by a
//! hash of everything its result was computed from (the page source, the routes its links
//! resolve against, the theme, the template context), never by a guess about what an edit
//! touched; so a rebuild from a warm cache gives exactly the bytes of a cold build.

use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;

use super::highlight::Highlighter;
use super::markdown::Rendered;
use crate::diagnostic::Diagnostic;

/// Bytes of one output file, shared between builds and the server without copying.
pub(crate) type Bytes = Arc<[u8]>;

/// Reusable results of earlier builds, held by [`super::Incremental`]. `Cache::default()`
/// is a cold build that keeps what it renders for the next.
#[derive(Default)]
pub(crate) struct Cache {
    /// Syntax definitions, loaded on first use.
    pub(crate) highlighter: Option<Highlighter>,
    /// The generated highlighting stylesheet.
    pub(crate) highlight_css: Option<String>,
    /// Compiled templates and the hash of the theme files they came from.
    pub(crate) tera: Option<(u64, tera::Tera)>,
    /// URLs of the theme assets of the last build.
    pub(crate) assets: Option<super::templates::AssetsCx>,
    /// Hash of the routes of the last build.
    pub(crate) routes_hash: u64,
    /// Markdown results by input hash, with the diagnostics rendering produced.
    markdown: HashMap<u64, (Arc<Rendered>, Vec<Diagnostic>)>,
    /// Page HTML by output path: the hash of its template inputs and the bytes.
    pages: HashMap<String, (u64, Bytes)>,
    used_markdown: HashSet<u64>,
    used_pages: HashSet<String>,
    /// Counters of the last build, for reports and tests.
    pub(crate) stats: Stats,
}

/// How much of the last build came from the cache.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stats {
    /// Markdown pages rendered.
    pub(crate) markdown_rendered: usize,
    /// Markdown pages reused.
    pub(crate) markdown_reused: usize,
    /// Templates run.
    pub(crate) pages_rendered: usize,
    /// Pages reused.
    pub(crate) pages_reused: usize,
}

impl Cache {
    /// Starts a build: counters reset, entries not used by this build are dropped at `finish`.
    pub(crate) fn begin(&mut self) {
        self.stats = Stats::default();
        self.used_markdown.clear();
        self.used_pages.clear();
    }

    /// Drops entries the build did not use, so memory follows the site, not its history.
    pub(crate) fn finish(&mut self) {
        let used = std::mem::take(&mut self.used_markdown);
        self.markdown.retain(|k, _| used.contains(k));
        let used = std::mem::take(&mut self.used_pages);
        self.pages.retain(|k, _| used.contains(k));
    }

    /// The rendered Markdown for input hash `key`, if cached; its diagnostics go to `diags`.
    pub(crate) fn markdown(&mut self, key: u64, diags: &mut Vec<Diagnostic>) -> Option<Arc<Rendered>> {
        self.used_markdown.insert(key);
        let (rendered, found) = self.markdown.get(&key)?;
        diags.extend(found.iter().cloned());
        Some(Arc::clone(rendered))
    }

    /// Remembers Markdown rendered from inputs hashing to `key`, with its diagnostics.
    pub(crate) fn store_markdown(&mut self, key: u64, rendered: Arc<Rendered>, found: Vec<Diagnostic>) {
        self.used_markdown.insert(key);
        self.markdown.insert(key, (rendered, found));
    }

    /// True if Markdown with input hash `key` is cached.
    pub(crate) fn has_markdown(&self, key: u64) -> bool {
        self.markdown.contains_key(&key)
    }

    /// The page at `out` if its inputs hash to `key`, else `None`.
    pub(crate) fn page(&mut self, out: &str, key: u64) -> Option<Bytes> {
        self.used_pages.insert(out.to_string());
        match self.pages.get(out) {
            Some((k, bytes)) if *k == key => {
                self.stats.pages_reused += 1;
                Some(Arc::clone(bytes))
            }
            _ => None,
        }
    }

    /// Remembers the page at `out` rendered from inputs hashing to `key`.
    pub(crate) fn store_page(&mut self, out: &str, key: u64, bytes: Bytes) {
        self.stats.pages_rendered += 1;
        self.pages.insert(out.to_string(), (key, bytes));
    }
}

/// Hashes anything hashable; used for cache keys only (never written to output).
pub(crate) fn hash_of<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut h = DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// An `io::Write` that hashes what is written, so a template context can be hashed by
/// serializing it without building a string.
#[derive(Default)]
pub(crate) struct HashWriter(DefaultHasher);

impl HashWriter {
    /// The hash of everything written.
    pub(crate) fn finish(&self) -> u64 {
        self.0.finish()
    }
}

impl std::io::Write for HashWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
