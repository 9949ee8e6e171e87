//! Load stage: walks a folder in sorted order, skipping hidden files and editor leftovers,
//! refusing symbolic links that leave the site and reporting loops as diagnostics.

use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;

/// A regular file found by the walk.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    /// Absolute path on disk.
    pub(crate) abs: PathBuf,
    /// Path relative to the site folder.
    pub(crate) rel: PathBuf,
}

/// True for names an author never means as content: hidden files, editor swap and backup files.
pub(crate) fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.starts_with('#')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
}

/// Every file under `root/dir`, sorted by path; problems become diagnostics. Symbolic links
/// that lead out of the site are followed only with `follow_outside` (`follow_symlinks = true`).
pub(crate) fn files(
    root: &Path,
    root_canon: &Path,
    dir: &str,
    follow_outside: bool,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Found> {
    let base = root.join(dir);
    if !base.is_dir() {
        return Vec::new();
    }
    let mut walker = walkdir::WalkDir::new(&base)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()));
    let mut found = Vec::new();
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                diags.push(walk_error(root, &err));
                continue;
            }
        };
        let rel = entry.path().strip_prefix(root).unwrap_or(entry.path()).to_path_buf();
        if entry.path_is_symlink() && !follow_outside && !inside(entry.path(), root_canon) {
            diags.push(
                Diagnostic::error(&rel, None, "symbolic link points outside the site folder; it is not followed")
                    .with_hint("copy the file into the site, or set follow_symlinks = true in skillbook.toml"),
            );
            if entry.file_type().is_dir() {
                // Not followed means not read either: skip what is behind a linked folder.
                walker.skip_current_dir();
            }
            continue;
        }
        if entry.file_type().is_file() {
            found.push(Found { abs: entry.path().to_path_buf(), rel });
        }
    }
    found
}

fn inside(path: &Path, root_canon: &Path) -> bool {
    path.canonicalize().is_ok_and(|p| p.starts_with(root_canon))
}

fn walk_error(root: &Path, err: &walkdir::Error) -> Diagnostic {
    let path = err.path().map_or_else(PathBuf::new, |p| p.strip_prefix(root).unwrap_or(p).to_path_buf());
    if let Some(ancestor) = err.loop_ancestor() {
        let ancestor = ancestor.strip_prefix(root).unwrap_or(ancestor);
        return Diagnostic::error(
            path,
            None,
            format!("symbolic link loop: this link points back to {}", ancestor.display()),
        )
        .with_hint("remove the link or point it somewhere that does not contain it");
    }
    let message = err.io_error().map_or_else(|| err.to_string(), ToString::to_string);
    Diagnostic::error(path, None, format!("cannot read: {message}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_leftovers_are_ignored() {
        for name in [".hidden.md", "lesson.md~", ".lesson.md.swp", "#lesson.md#", "x.tmp"] {
            assert!(is_ignored(name), "{name}");
        }
        assert!(!is_ignored("01-lesson.md"));
    }
}
