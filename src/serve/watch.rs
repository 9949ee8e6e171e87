//! Serve: file watching with notify, debounced so an editor's atomic save (write a temporary
//! file, rename it over the original) or a `git checkout` of many files arrives as one batch.
//! Only the inputs of a build are watched: `skillbook.toml`, `content/`, `themes/`, `static/`.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify_debouncer_full::notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};

use crate::error::{Error, Result};
use crate::load::walk::is_ignored;

/// Quiet time after the last change of a file before it is reported.
pub(crate) const DEBOUNCE: Duration = Duration::from_millis(100);
/// Quiet time after the last reported change of any file before a rebuild starts.
pub(crate) const SETTLE: Duration = Duration::from_millis(100);

/// Folders of a site whose changes trigger a rebuild.
const WATCHED_DIRS: &[&str] = &["content", "themes", "static"];

/// What the rebuild loop is told.
#[derive(Debug)]
pub(crate) enum Signal {
    /// These input files changed (created, modified, removed or renamed).
    Changed(Vec<PathBuf>),
    /// Stop serving.
    Stop,
}

/// Keeps the watcher alive; dropping it stops watching.
pub(crate) struct Watch {
    _debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
}

/// True if a change to `path` (absolute) can change the build of the site in `root`.
pub(crate) fn is_input(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else { return false };
    let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy());
    let Some(first) = parts.next() else { return false };
    let name = rel.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    if is_ignored(&name) || rel.components().any(|c| is_ignored(&c.as_os_str().to_string_lossy())) {
        return false;
    }
    first == "skillbook.toml" || WATCHED_DIRS.contains(&first.as_ref())
}

/// Watches the site in `root` (canonical) and sends batches of changed inputs to `tx`.
pub(crate) fn watch(root: &Path, tx: Sender<Signal>) -> Result<Watch> {
    let filter_root = root.to_path_buf();
    let handler = move |result: DebounceEventResult| {
        let Ok(events) = result else { return };
        // Reads (our own rebuild opens every file) are not changes.
        let mut paths: Vec<PathBuf> = events
            .iter()
            .filter(|e| !matches!(e.kind, EventKind::Access(_)))
            .flat_map(|e| e.paths.iter())
            .filter(|p| is_input(&filter_root, p))
            .cloned()
            .collect();
        paths.sort();
        paths.dedup();
        if !paths.is_empty() {
            let _ = tx.send(Signal::Changed(paths));
        }
    };
    let watch_error = |e: notify_debouncer_full::notify::Error| Error::Serve {
        message: format!("cannot watch {}: {e}", root.display()),
    };
    let mut debouncer = new_debouncer(DEBOUNCE, None, handler).map_err(watch_error)?;
    // The root itself, not recursively: skillbook.toml, and folders created later.
    debouncer.watch(root, RecursiveMode::NonRecursive).map_err(watch_error)?;
    for dir in WATCHED_DIRS {
        let path = root.join(dir);
        if path.is_dir() {
            debouncer.watch(&path, RecursiveMode::Recursive).map_err(watch_error)?;
        }
    }
    Ok(Watch { _debouncer: debouncer })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_inputs_count() {
        let root = Path::new("/site");
        assert!(is_input(root, Path::new("/site/skillbook.toml")));
        assert!(is_input(root, Path::new("/site/content/modules/a/01-x.md")));
        assert!(is_input(root, Path::new("/site/themes/t/templates/base.html")));
        assert!(!is_input(root, Path::new("/site/public/index.html")));
        assert!(!is_input(root, Path::new("/site/target/debug/x")));
        assert!(!is_input(root, Path::new("/site/content/modules/a/.01-x.md.swp")));
        assert!(!is_input(root, Path::new("/site/content/modules/a/01-x.md~")));
        assert!(!is_input(root, Path::new("/site/content/.git/HEAD")));
        assert!(!is_input(root, Path::new("/elsewhere/content/x.md")));
    }
}
