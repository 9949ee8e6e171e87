//! Load stage: every input of a build read from disk once, in sorted order. Nothing after
//! this stage touches the file system until `write`.

pub(crate) mod front_matter;
pub(crate) mod value;
pub(crate) mod walk;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::error::{Error, Result};

/// Largest text file read, so a stray multi-gigabyte file gives an error, not an exhausted machine.
const MAX_TEXT_BYTES: u64 = 16 * 1024 * 1024;

/// A text file of the site.
#[derive(Debug, Clone)]
pub(crate) struct TextFile {
    /// Path relative to the site folder, e.g. `content/modules/listening/01-why.md`.
    pub(crate) path: PathBuf,
    /// The file's text.
    pub(crate) text: std::sync::Arc<str>,
}

/// Any other file, copied as it is.
#[derive(Debug, Clone)]
pub(crate) struct Asset {
    /// Path relative to the folder it was found in (`content/`, `static/` or the theme).
    pub(crate) path: PathBuf,
    /// The bytes, shared with the output without copying.
    pub(crate) bytes: std::sync::Arc<[u8]>,
}

/// Everything a build reads.
#[derive(Debug, Clone)]
pub(crate) struct Sources {
    /// `skillbook.toml`.
    pub(crate) config: TextFile,
    /// Markdown files under `content/`.
    pub(crate) pages: Vec<TextFile>,
    /// Quiz files (`quiz.toml`, `*.quiz.toml`) under `content/`.
    pub(crate) quizzes: Vec<TextFile>,
    /// Other files under `content/`, paths relative to `content/`.
    pub(crate) assets: Vec<Asset>,
    /// Files under `static/`, paths relative to `static/`.
    pub(crate) statics: Vec<Asset>,
    /// Files under `themes/`, paths relative to `themes/` (`<name>/templates/base.html`).
    pub(crate) themes: Vec<Asset>,
}

/// Reads the site in `root`. Unreadable content becomes diagnostics; a missing config is an error.
pub(crate) fn load(root: &Path) -> Result<(Sources, Vec<Diagnostic>)> {
    let config_path = root.join("skillbook.toml");
    if !config_path.is_file() {
        return Err(Error::NotASite { dir: root.to_path_buf() });
    }
    let root_canon = root.canonicalize().map_err(Error::io("read", root))?;
    let mut diags = Vec::new();
    let config = read_text(root, Path::new("skillbook.toml"), &mut diags)
        .unwrap_or_else(|| TextFile { path: "skillbook.toml".into(), text: "".into() });
    let mut sources = Sources {
        config,
        pages: Vec::new(),
        quizzes: Vec::new(),
        assets: Vec::new(),
        statics: Vec::new(),
        themes: Vec::new(),
    };
    let follow = follows_symlinks(&sources.config.text);
    let mut found = Vec::new();
    for dir in ["content", "static", "themes"] {
        found.extend(walk::files(root, &root_canon, dir, follow, &mut diags).into_iter().filter_map(|f| {
            let slot = slot(&f.rel)?;
            Some((f, slot))
        }));
    }
    // Reading is most of loading a large site: every file at once, then each put in place.
    let read_one = |(f, slot): &(walk::Found, Slot)| {
        let mut found_diags = Vec::new();
        (Read::from(root, f, *slot, &mut found_diags), found_diags)
    };
    let read: Vec<(Option<Read>, Vec<Diagnostic>)> =
        match rayon::ThreadPoolBuilder::new().num_threads(READ_THREADS).build() {
            Ok(pool) => pool.install(|| found.par_iter().map(read_one).collect()),
            Err(_) => found.par_iter().map(read_one).collect(),
        };
    for (read, found_diags) in read {
        diags.extend(found_diags);
        if let Some(read) = read {
            sources.place(read);
        }
    }
    Ok((sources, diags))
}

/// Threads reading files. Reading from a cold cache waits on the disk far more than it
/// computes, and disks answer many requests at once: more threads than cores keep the queue
/// full (with the cache cold, 16 threads read a 10,000-lesson site in about a third of the time 2 take).
const READ_THREADS: usize = 16;

/// One file as read, with where it goes in `Sources`.
enum Read {
    Config(TextFile),
    Page(TextFile),
    Quiz(TextFile),
    /// A file copied as it is, found under the named folder.
    Asset(&'static str, Asset),
}

impl Read {
    fn from(root: &Path, found: &walk::Found, slot: Slot, diags: &mut Vec<Diagnostic>) -> Option<Self> {
        match slot {
            Slot::Config => read_text(root, &found.rel, diags).map(Read::Config),
            Slot::Page => read_text(root, &found.rel, diags).map(Read::Page),
            Slot::Quiz => read_text(root, &found.rel, diags).map(Read::Quiz),
            Slot::Asset(dir) => read_asset(root, found, dir, diags).map(|a| Read::Asset(dir, a)),
        }
    }
}

/// `follow_symlinks = true` in `skillbook.toml`: the one setting the walk needs before the
/// config is validated (mistakes in it are reported by `model::config`).
fn follows_symlinks(config: &str) -> bool {
    let Ok(doc) = value::parse_toml(config) else { return false };
    let value::Value::Table(top) = doc.value else { return false };
    top.iter().any(|e| e.key == "follow_symlinks" && matches!(e.node.value, value::Value::Bool(true)))
}

/// Where a site-relative path belongs in `Sources`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Config,
    Page,
    Quiz,
    /// A file copied as it is, found under the named folder.
    Asset(&'static str),
}

fn slot(rel: &Path) -> Option<Slot> {
    let first = rel.components().next()?.as_os_str().to_str()?;
    let name = rel.file_name()?.to_str()?;
    match first {
        "skillbook.toml" if rel.components().count() == 1 => Some(Slot::Config),
        "content" if name.ends_with(".md") || name.ends_with(".markdown") => Some(Slot::Page),
        "content" if name == "quiz.toml" || name.ends_with(".quiz.toml") => Some(Slot::Quiz),
        "content" => Some(Slot::Asset("content")),
        "static" => Some(Slot::Asset("static")),
        "themes" => Some(Slot::Asset("themes")),
        _ => None,
    }
}

impl Sources {
    /// Reads `found` into its place, replacing an older version; keeps every list sorted.
    fn upsert(&mut self, root: &Path, found: &walk::Found, slot: Slot, diags: &mut Vec<Diagnostic>) {
        if let Some(read) = Read::from(root, found, slot, diags) {
            self.place(read);
        }
    }

    /// Puts a file in its place, replacing an older version; keeps every list sorted (files
    /// found in order are appended).
    fn place(&mut self, read: Read) {
        match read {
            Read::Config(file) => self.config = file,
            Read::Page(file) => insert_sorted(&mut self.pages, file, |f| &f.path),
            Read::Quiz(file) => insert_sorted(&mut self.quizzes, file, |f| &f.path),
            Read::Asset(dir, asset) => {
                let list = match dir {
                    "content" => &mut self.assets,
                    "static" => &mut self.statics,
                    _ => &mut self.themes,
                };
                insert_sorted(list, asset, |a| &a.path);
            }
        }
    }

    /// Forgets every file at or under site-relative `rel`.
    fn remove(&mut self, rel: &Path) {
        self.pages.retain(|f| !f.path.starts_with(rel));
        self.quizzes.retain(|f| !f.path.starts_with(rel));
        for (dir, list) in [("content", &mut self.assets), ("static", &mut self.statics), ("themes", &mut self.themes)]
        {
            list.retain(|a| !Path::new(dir).join(&a.path).starts_with(rel));
        }
    }
}

/// Puts `item` into `list`, sorted by `path`, in place of an item with the same path.
fn insert_sorted<T>(list: &mut Vec<T>, item: T, path: fn(&T) -> &Path) {
    match list.binary_search_by(|x| path(x).cmp(path(&item))) {
        Ok(i) => list[i] = item,
        Err(i) => list.insert(i, item),
    }
}

/// Updates `sources` for the changed files at `changed` (absolute paths under `root`, which
/// is canonical). Returns `false` when a change cannot be applied file by file (a new
/// folder, a symbolic link, an unreadable or invalid file): the caller then loads everything
/// again, which is always correct.
pub(crate) fn refresh(root: &Path, sources: &mut Sources, changed: &[PathBuf]) -> bool {
    for abs in changed {
        let Ok(rel) = abs.strip_prefix(root) else { continue };
        let Some(slot) = slot(rel) else { continue };
        match std::fs::symlink_metadata(abs) {
            Ok(meta) if meta.is_file() => {
                let mut diags = Vec::new();
                sources.upsert(root, &walk::Found { abs: abs.clone(), rel: rel.to_path_buf() }, slot, &mut diags);
                if !diags.is_empty() {
                    return false;
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && slot != Slot::Config => sources.remove(rel),
            _ => return false,
        }
    }
    true
}

fn read_text(root: &Path, rel: &Path, diags: &mut Vec<Diagnostic>) -> Option<TextFile> {
    let bytes =
        match read_shared(&root.join(rel)) {
            Ok(Ok(bytes)) => bytes,
            Ok(Err(len)) => {
                diags.push(Diagnostic::error(rel, None, format!("file is too large ({} MiB)", len >> 20)).with_hint(
                    format!("text files are limited to {} MiB; split it into several", MAX_TEXT_BYTES >> 20),
                ));
                return None;
            }
            Err(err) => {
                diags.push(Diagnostic::error(rel, None, format!("cannot read: {err}")));
                return None;
            }
        };
    if let Err(err) = std::str::from_utf8(&bytes) {
        let at = err.valid_up_to();
        diags.push(
            Diagnostic::error(rel, Some(at..at + 1), "file is not valid UTF-8")
                .with_hint("save the file with UTF-8 encoding"),
        );
        return None;
    }
    // SAFETY: the bytes were just checked to be UTF-8, and `str` has the layout of `[u8]`.
    let text: std::sync::Arc<str> = unsafe { std::sync::Arc::from_raw(std::sync::Arc::into_raw(bytes) as *const str) };
    Some(TextFile { path: rel.to_path_buf(), text })
}

/// The whole file at `path`, opened once and read straight into shared memory of its size
/// (no second copy to share it); `Ok(Err(size))` when it is larger than `MAX_TEXT_BYTES`.
fn read_shared(path: &Path) -> std::io::Result<std::result::Result<std::sync::Arc<[u8]>, u64>> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let len = file.metadata()?.len();
    if len > MAX_TEXT_BYTES {
        return Ok(Err(len));
    }
    let mut bytes = std::sync::Arc::<[u8]>::new_uninit_slice(usize::try_from(len).unwrap_or(0));
    std::sync::Arc::get_mut(&mut bytes).expect("invariant: not shared yet").fill(std::mem::MaybeUninit::new(0));
    // SAFETY: every byte was set just above.
    let mut bytes = unsafe { bytes.assume_init() };
    let buf = std::sync::Arc::get_mut(&mut bytes).expect("invariant: not shared yet");
    let whole = match file.read_exact(buf) {
        Ok(()) => file.read(&mut [0u8; 1])? == 0,
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => false,
        Err(e) => return Err(e),
    };
    if !whole {
        // The file changed size while it was read: read it again, whole.
        let bytes = std::fs::read(path)?;
        if bytes.len() as u64 > MAX_TEXT_BYTES {
            return Ok(Err(bytes.len() as u64));
        }
        return Ok(Ok(bytes.into()));
    }
    Ok(Ok(bytes))
}

fn read_asset(root: &Path, found: &walk::Found, dir: &str, diags: &mut Vec<Diagnostic>) -> Option<Asset> {
    match std::fs::read(&found.abs) {
        Ok(bytes) => {
            let path = found.rel.strip_prefix(dir).unwrap_or(&found.rel).to_path_buf();
            Some(Asset { path, bytes: bytes.into() })
        }
        Err(err) => {
            let rel = found.abs.strip_prefix(root).unwrap_or(&found.abs);
            diags.push(Diagnostic::error(rel, None, format!("cannot read: {err}")));
            None
        }
    }
}
