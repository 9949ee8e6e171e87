//! Write stage: the only place that writes the portal. Files go into a fresh staging folder
//! beside the output; only when every file is written is it swapped in by rename. A folder is
//! only ever replaced or removed when it carries the marker file that says skillbook made it.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::Arc;
use std::thread::JoinHandle;

use crate::error::{Error, Result};
use crate::render::cache::Bytes;
#[cfg(test)]
use crate::render::Output;

/// Name of the marker file in every output folder skillbook creates.
pub(crate) const MARKER: &str = ".skillbook-output";
const MARKER_TEXT: &str = "This folder was built by skillbook; a rebuild replaces it whole.\nFiles of this build:\n";

/// Absolute, normalised form of `path` (no `.`/`..`), resolving symlinks of the part that exists.
fn absolute(path: &Path) -> Result<PathBuf> {
    let cwd = std::env::current_dir().map_err(Error::io("read the current folder", "."))?;
    let joined = if path.is_absolute() { path.to_path_buf() } else { cwd.join(path) };
    let mut normal = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::ParentDir => {
                normal.pop();
            }
            Component::CurDir => {}
            other => normal.push(other),
        }
    }
    // Resolve symlinks in the longest existing prefix, so two spellings of a folder compare equal.
    let mut existing = normal.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match existing.file_name() {
            Some(name) => rest.push(name.to_os_string()),
            None => break,
        }
        existing.pop();
    }
    let mut resolved = existing.canonicalize().unwrap_or(existing);
    resolved.extend(rest.iter().rev());
    Ok(resolved)
}

/// Refuses output paths that would put the author's files at risk: the site folder, its
/// `content/`, anything containing them, the file-system root, the home folder, and a
/// non-empty folder that skillbook did not create.
pub(crate) fn check_output_path(site: &Path, out: &Path) -> Result<()> {
    let site_abs = absolute(site)?;
    let out_abs = absolute(out)?;
    let refuse = |reason: &str| Err(Error::UnsafeOutput { path: out.to_path_buf(), reason: reason.to_string() });
    if out_abs.parent().is_none() {
        return refuse("it is the root of the file system");
    }
    if std::env::var_os("HOME").is_some_and(|h| absolute(Path::new(&h)).is_ok_and(|h| h == out_abs)) {
        return refuse("it is your home folder");
    }
    if site_abs.starts_with(&out_abs) {
        return refuse("it is the site folder or contains it; pick a folder such as public/");
    }
    for inner in ["content", "themes", "static"] {
        if out_abs.starts_with(site_abs.join(inner)) {
            return refuse(&format!("it is inside the site's {inner}/ folder"));
        }
    }
    if out_abs.is_file() {
        return refuse("it is a file");
    }
    if out_abs.is_dir() && !out_abs.join(MARKER).is_file() {
        let empty = std::fs::read_dir(&out_abs).map_err(Error::io("read", &out_abs))?.next().is_none();
        if !empty {
            return refuse("the folder is not empty and was not created by skillbook (it has no .skillbook-output marker); choose another folder or empty it yourself");
        }
    }
    Ok(())
}

/// Writes `output` to `out`: staging folder, then swap. The old output is removed only after
/// the new one is in place. Returns the number of files written. (Builds stream their files
/// to a [`Writer`] instead.)
#[cfg(test)]
pub(crate) fn write(out: &Path, output: &Output) -> Result<usize> {
    let writer = Writer::start(out)?;
    let sink = writer.sink();
    for (rel, bytes) in &output.files {
        if !sink.send(rel.clone(), Arc::clone(bytes)) {
            break;
        }
    }
    drop(sink);
    writer.finish()
}

/// Where a build sends its files (path and bytes) as they are made, for a [`Writer`].
#[derive(Debug, Clone)]
pub(crate) struct Sink(Vec<SyncSender<(String, Bytes)>>);

impl Sink {
    /// Queues a file. All files of a folder go to the same thread: threads creating files in
    /// one folder would wait on its lock, and a later file with the same path replaces an
    /// earlier one. `false` if the writer has stopped.
    pub(crate) fn send(&self, path: String, bytes: Bytes) -> bool {
        let folder = path.rsplit_once('/').map_or("", |(folder, _)| folder);
        let lane = crate::render::cache::hash_of(folder);
        self.send_to(lane, path, bytes)
    }

    /// Queues one of many files of a folder that are each sent once (the search index's):
    /// they are spread over the threads by path, since a single thread writing the whole
    /// folder would leave the others idle at the end of a build.
    pub(crate) fn send_spread(&self, path: String, bytes: Bytes) -> bool {
        let lane = crate::render::cache::hash_of(&path);
        self.send_to(lane, path, bytes)
    }

    fn send_to(&self, lane: u64, path: String, bytes: Bytes) -> bool {
        let lane = usize::try_from(lane % self.0.len() as u64).unwrap_or(0);
        self.0[lane].send((path, bytes)).is_ok()
    }
}

/// A failed writer reports its error when the build finishes.
impl crate::render::Emit for Sink {
    fn file(&mut self, path: String, bytes: Bytes) {
        self.send(path, bytes);
    }

    fn spread(&mut self, path: String, bytes: Bytes) {
        self.send_spread(path, bytes);
    }
}

/// Threads writing files: creating a file is mostly the kernel's work, which two threads
/// share between cores.
const LANES: usize = 2;

/// Files waiting for the writer thread: enough to keep it busy, few enough to bound memory.
const QUEUE: usize = 512;

/// A build being written: a thread fills a fresh staging folder beside the output with the
/// files sent to [`Writer::sink`] while the rest of the build goes on, and
/// [`Writer::finish`] swaps it in. Dropped without `finish` (an error elsewhere), it removes
/// the staging folder and leaves the output as it was.
pub(crate) struct Writer {
    out: PathBuf,
    parent: PathBuf,
    name: String,
    staging: PathBuf,
    sink: Option<Sink>,
    threads: Vec<JoinHandle<Result<BTreeMap<String, String>>>>,
}

impl Writer {
    /// Creates the staging folder for `out` (after removing leftovers of interrupted runs).
    pub(crate) fn start(out: &Path) -> Result<Self> {
        let out = absolute(out)?;
        let parent = out
            .parent()
            .ok_or_else(|| Error::UnsafeOutput { path: out.clone(), reason: "it has no parent folder".into() })?
            .to_path_buf();
        std::fs::create_dir_all(&parent).map_err(Error::io("create", &parent))?;
        let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        remove_leftovers(&parent, &name);
        let staging = parent.join(format!(".{name}.staging-{}", std::process::id()));
        std::fs::create_dir(&staging).map_err(Error::io("create", &staging))?;
        // The marker first: a run killed from here on leaves a folder the next run knows is ours.
        let marker = staging.join(MARKER);
        let mut writer = Self { out, parent, name, staging, sink: None, threads: Vec::new() };
        std::fs::write(&marker, MARKER_TEXT).map_err(Error::io("write", &marker))?;
        let before = Arc::new(read_manifest(&writer.out));
        let mut lanes = Vec::new();
        for _ in 0..LANES {
            let (tx, rx) = sync_channel(QUEUE / LANES);
            let (staging, previous, before) = (writer.staging.clone(), writer.out.clone(), Arc::clone(&before));
            let thread = std::thread::Builder::new()
                .name("write".into())
                .spawn(move || fill(&staging, &previous, &before, &rx))
                .map_err(Error::io("start a thread to write", &writer.staging))?;
            lanes.push(tx);
            writer.threads.push(thread);
        }
        writer.sink = Some(Sink(lanes));
        Ok(writer)
    }

    /// Where to send the files.
    pub(crate) fn sink(&self) -> Sink {
        self.sink.clone().expect("invariant: the sink lives until finish")
    }

    /// Waits for every file sent to be written, then swaps the new output in. Every sink
    /// must have been dropped. Returns the number of files.
    pub(crate) fn finish(mut self) -> Result<usize> {
        drop(self.sink.take());
        let manifest = self.join()?;
        let mut marker = String::from(MARKER_TEXT);
        for (rel, hash) in &manifest {
            let _ = writeln!(marker, "{hash} {rel}");
        }
        let path = self.staging.join(MARKER);
        let partial = self.staging.join(format!("{MARKER}.partial"));
        std::fs::write(&partial, marker).map_err(Error::io("write", &partial))?;
        std::fs::rename(&partial, &path).map_err(Error::io("write", &path))?;
        swap(&self.staging, &self.out, &self.parent, &self.name)?;
        self.staging = PathBuf::new();
        Ok(manifest.len())
    }

    fn join(&mut self) -> Result<BTreeMap<String, String>> {
        let mut manifest = BTreeMap::new();
        let mut first_error = None;
        for thread in self.threads.drain(..) {
            match thread.join() {
                Ok(Ok(part)) => manifest.extend(part),
                Ok(Err(e)) => first_error = first_error.or(Some(e)),
                Err(_) => {
                    let source = std::io::Error::other("a writing thread stopped");
                    first_error =
                        first_error.or(Some(Error::Io { path: self.staging.clone(), action: "write", source }));
                }
            }
        }
        first_error.map_or(Ok(manifest), Err)
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        drop(self.sink.take());
        let _ = self.join();
        if !self.staging.as_os_str().is_empty() && self.staging.join(MARKER).is_file() {
            let _ = remove_ours(&self.staging);
        }
    }
}

/// The writer thread: writes every file it is sent into `staging`. A file whose bytes equal
/// the previous build's (by the hashes the previous marker lists) is hard-linked from it
/// instead of written again: far cheaper on a large site, and the previous output stays
/// untouched until the swap. Returns path → hash of every file; after an error it drains the
/// queue and returns the error.
fn fill(
    staging: &Path,
    previous: &Path,
    before: &HashMap<String, String>,
    files: &Receiver<(String, Bytes)>,
) -> Result<BTreeMap<String, String>> {
    let mut manifest = BTreeMap::new();
    let mut dirs: HashSet<PathBuf> = HashSet::new();
    let mut failed = None;
    for (rel, bytes) in files {
        if failed.is_some() {
            continue;
        }
        let hash = file_hash(&bytes);
        if let Err(e) = put(staging, previous, (&rel, &bytes, &hash), before, &mut dirs, manifest.contains_key(&rel)) {
            failed = Some(e);
            continue;
        }
        manifest.insert(rel, hash);
    }
    failed.map_or(Ok(manifest), Err)
}

/// Writes or links one file; `again` if this build wrote the path already (then it is
/// removed first, so a hard link into the previous output is never written through).
fn put(
    staging: &Path,
    previous: &Path,
    (rel, bytes, hash): (&str, &[u8], &str),
    before: &HashMap<String, String>,
    dirs: &mut HashSet<PathBuf>,
    again: bool,
) -> Result<()> {
    let path = staging.join(rel);
    if let Some(dir) = path.parent() {
        if !dirs.contains(dir) {
            std::fs::create_dir_all(dir).map_err(Error::io("create", dir))?;
            dirs.insert(dir.to_path_buf());
        }
    }
    if again {
        std::fs::remove_file(&path).map_err(Error::io("replace", &path))?;
    }
    let old = previous.join(rel);
    // The size is checked too, in case someone edited the previous output by hand.
    let same = before.get(rel).is_some_and(|h| h == hash)
        && std::fs::symlink_metadata(&old).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64);
    if same && std::fs::hard_link(&old, &path).is_ok() {
        return Ok(());
    }
    std::fs::write(&path, bytes).map_err(Error::io("write", &path))
}

/// Path → hash of every file of the previous build, from its marker (empty if none).
fn read_manifest(previous: &Path) -> HashMap<String, String> {
    let text = std::fs::read_to_string(previous.join(MARKER)).unwrap_or_default();
    text.lines()
        .filter_map(|l| l.split_once(' '))
        .filter(|(h, _)| h.len() == 32)
        .map(|(h, p)| (p.to_string(), h.to_string()))
        .collect()
}

/// XXH3-128 in hex: identifies a file's bytes in the marker's manifest, so the next build can
/// tell unchanged files. The files are the build's own, so a fast hash that is not meant to
/// resist crafted collisions serves; it is about twenty times faster than SHA-256 here.
fn file_hash(bytes: &[u8]) -> String {
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(bytes))
}

fn swap(staging: &Path, out: &Path, parent: &Path, name: &str) -> Result<()> {
    if !out.exists() {
        return std::fs::rename(staging, out).map_err(Error::io("move the new output into", out));
    }
    if !out.join(MARKER).is_file() {
        // An empty folder the user made: replace it.
        std::fs::remove_dir(out).map_err(Error::io("replace the empty folder", out))?;
        return std::fs::rename(staging, out).map_err(Error::io("move the new output into", out));
    }
    let old = if exchange(staging, out) {
        // The previous output is now at the staging path.
        staging.to_path_buf()
    } else {
        let old = parent.join(format!(".{name}.old-{}", std::process::id()));
        std::fs::rename(out, &old).map_err(Error::io("move the previous output aside from", out))?;
        if let Err(e) = std::fs::rename(staging, out) {
            // Put the previous output back so the user still has a complete site.
            let _ = std::fs::rename(&old, out);
            return Err(Error::Io { path: out.to_path_buf(), action: "move the new output into", source: e });
        }
        old
    };
    // The new output is in place: a previous one that cannot be removed now is only a
    // leftover, removed by the next build.
    if let Err(e) = remove_ours(&old) {
        eprintln!("warning: cannot remove the previous output {}: {e}", old.display());
    }
    Ok(())
}

/// Swaps two folders in one step, so that a crash at any moment leaves a complete output in
/// place. False where the system or file system cannot (the caller then renames twice).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let (Ok(a), Ok(b)) =
        (std::ffi::CString::new(a.as_os_str().as_bytes()), std::ffi::CString::new(b.as_os_str().as_bytes()))
    else {
        return false;
    };
    // SAFETY: both paths are valid NUL-terminated strings that outlive the call.
    let done =
        unsafe { libc::renameat2(libc::AT_FDCWD, a.as_ptr(), libc::AT_FDCWD, b.as_ptr(), libc::RENAME_EXCHANGE) };
    done == 0
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> bool {
    false
}

/// Removes a folder that carries our marker, the marker last: a run killed halfway through
/// leaves a folder that still says it is ours, so the next run can finish the job. (Removed
/// in directory order, the marker could go first and the rest stay forever; the kill test in
/// tests/integration/faults.rs found that.)
fn remove_ours(dir: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_name() == MARKER {
            continue;
        }
        if entry.file_type()?.is_dir() {
            std::fs::remove_dir_all(entry.path())?;
        } else {
            std::fs::remove_file(entry.path())?;
        }
    }
    std::fs::remove_file(dir.join(MARKER))?;
    std::fs::remove_dir(dir)
}

/// Removes staging and old folders left by an interrupted run (only those with our marker,
/// and empty ones). A run stopped between the two renames of the fallback swap left no output
/// but the old one aside: that one is put back instead.
fn remove_leftovers(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let staging = format!(".{name}.staging-");
    let old = format!(".{name}.old-");
    let out = parent.join(name);
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(std::fs::DirEntry::file_name);
    for entry in entries {
        let file = entry.file_name().to_string_lossy().into_owned();
        if !(file.starts_with(&staging) || file.starts_with(&old)) {
            continue;
        }
        if !entry.path().join(MARKER).is_file() {
            // Killed between creating the staging folder and writing its marker: it is empty
            // (`remove_dir` removes nothing else). Found by the kill test in tests/integration/faults.rs.
            let _ = std::fs::remove_dir(entry.path());
            continue;
        }
        if file.starts_with(&old) && !out.exists() && std::fs::rename(entry.path(), &out).is_ok() {
            continue;
        }
        let _ = remove_ours(&entry.path());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn output(files: &[(&str, &str)]) -> Output {
        Output { files: files.iter().map(|(p, b)| ((*p).to_string(), b.as_bytes().into())).collect() }
    }

    #[test]
    fn writes_then_replaces_its_own_output() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let out = tmp.path().join("public");
        write(&out, &output(&[("index.html", "one"), ("a/b.html", "b")])).expect("first");
        write(&out, &output(&[("index.html", "two")])).expect("second");
        assert_eq!(std::fs::read_to_string(out.join("index.html")).expect("read"), "two");
        assert!(!out.join("a").exists());
        let left: Vec<_> = std::fs::read_dir(tmp.path()).expect("dir").flatten().collect();
        assert_eq!(left.len(), 1, "no staging leftovers");
    }

    #[cfg(unix)]
    #[test]
    fn unchanged_files_are_linked_changed_ones_written() {
        use std::os::unix::fs::MetadataExt;
        let tmp = tempfile::tempdir().expect("tempdir");
        let out = tmp.path().join("public");
        write(&out, &output(&[("same.html", "same"), ("changed.html", "one")])).expect("first");
        let inode = |p: &str| std::fs::metadata(out.join(p)).expect("meta").ino();
        let (same, changed) = (inode("same.html"), inode("changed.html"));
        write(&out, &output(&[("same.html", "same"), ("changed.html", "two"), ("new.html", "new")])).expect("second");
        assert_eq!(inode("same.html"), same, "unchanged file linked, not rewritten");
        assert_ne!(inode("changed.html"), changed);
        assert_eq!(std::fs::read_to_string(out.join("changed.html")).expect("read"), "two");
        assert_eq!(std::fs::read_to_string(out.join("new.html")).expect("read"), "new");
        // A file edited by hand in the output (different size) is not trusted.
        std::fs::write(out.join("same.html"), "edited by hand").expect("edit");
        write(&out, &output(&[("same.html", "same")])).expect("third");
        assert_eq!(std::fs::read_to_string(out.join("same.html")).expect("read"), "same");
    }

    fn ours(dir: &Path, text: &str) {
        std::fs::create_dir_all(dir).expect("mkdir");
        std::fs::write(dir.join(MARKER), MARKER_TEXT).expect("marker");
        std::fs::write(dir.join("index.html"), text).expect("write");
    }

    #[test]
    fn leftovers_of_a_killed_run_are_removed_and_foreign_folders_kept() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let out = tmp.path().join("public");
        ours(&out, "before");
        ours(&tmp.path().join(".public.staging-1"), "half");
        ours(&tmp.path().join(".public.old-2"), "older");
        std::fs::create_dir_all(tmp.path().join(".public.staging-3")).expect("mkdir");
        std::fs::write(tmp.path().join(".public.staging-3/mine.txt"), "not ours").expect("write");
        std::fs::create_dir_all(tmp.path().join(".public.staging-4")).expect("mkdir");
        write(&out, &output(&[("index.html", "after")])).expect("write");
        assert_eq!(std::fs::read_to_string(out.join("index.html")).expect("read"), "after");
        let mut left: Vec<_> = std::fs::read_dir(tmp.path())
            .expect("dir")
            .flatten()
            .map(|e| e.file_name().into_string().expect("utf-8"))
            .collect();
        left.sort();
        assert_eq!(left, [".public.staging-3", "public"], "only the non-empty folder without a marker is kept");
    }

    #[test]
    fn an_output_moved_aside_by_a_killed_run_is_put_back() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let out = tmp.path().join("public");
        ours(&tmp.path().join(".public.old-9"), "before");
        remove_leftovers(tmp.path(), "public");
        assert_eq!(std::fs::read_to_string(out.join("index.html")).expect("read"), "before");
        assert_eq!(std::fs::read_dir(tmp.path()).expect("dir").count(), 1);
    }

    #[test]
    fn a_failed_write_keeps_the_previous_output_and_leaves_no_staging() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let out = tmp.path().join("public");
        write(&out, &output(&[("index.html", "before")])).expect("first");
        // `a` is written as a file, then `a/b` needs it to be a folder: an I/O error mid-write.
        let err = write(&out, &output(&[("a", "file"), ("a/b", "x"), ("index.html", "after")])).expect_err("fails");
        assert!(err.to_string().starts_with("cannot create ") || err.to_string().starts_with("cannot write "), "{err}");
        assert_eq!(std::fs::read_to_string(out.join("index.html")).expect("read"), "before");
        assert_eq!(std::fs::read_dir(tmp.path()).expect("dir").count(), 1, "staging removed");
    }

    #[test]
    fn refuses_dangerous_outputs() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let site = tmp.path().join("site");
        std::fs::create_dir_all(site.join("content")).expect("mkdir");
        std::fs::create_dir_all(tmp.path().join("mine")).expect("mkdir");
        std::fs::write(tmp.path().join("mine/notes.txt"), "keep").expect("write");
        for bad in [
            site.clone(),
            site.join("content"),
            site.join("content/x"),
            tmp.path().to_path_buf(),
            PathBuf::from("/"),
            tmp.path().join("mine"),
        ] {
            assert!(check_output_path(&site, &bad).is_err(), "{}", bad.display());
        }
        assert!(check_output_path(&site, &site.join("public")).is_ok());
        assert!(check_output_path(&site, &site.join("x/../public")).is_ok());
        assert!(check_output_path(&site, &site.join("public/..")).is_err());
    }
}
