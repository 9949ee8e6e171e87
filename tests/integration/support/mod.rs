//! Test support: a builder that copies a fixture or writes files into a temporary site, runs
//! the real `skillbook` binary on it, and hands back its exit code, output and files, or
//! asserts them (`expected_exit`, `expected_stderr`, `stderr_snapshot`). How to add a fixture,
//! a snapshot or a browser test: tests/README.md.

#![allow(dead_code, reason = "each test module uses a different part of the support code")]

pub(crate) mod browser;
pub(crate) mod http;
pub(crate) mod serve;
pub(crate) mod snapshot;

use std::panic::Location;
use std::path::{Path, PathBuf};
use std::process::Command;

pub(crate) use snapshot::snapshot;

/// Root of the repository (the sample site).
pub(crate) fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Path of the built binary.
pub(crate) fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_skillbook"))
}

/// A site in a temporary folder, and what a run of the binary on it is expected to give.
pub(crate) struct SiteTest {
    pub(crate) tmp: tempfile::TempDir,
    pub(crate) site: PathBuf,
    env: Vec<(String, std::ffi::OsString)>,
    expected: Expected,
}

/// What `assert_run` checks: the exit code (0 unless set) and, if set, the whole stderr.
#[derive(Default)]
struct Expected {
    exit: Option<i32>,
    stderr: Option<Stderr>,
}

enum Stderr {
    /// The whole text, after `normalise`.
    Exact(String),
    /// A snapshot: its name, and the test file that asked for it (where its module is).
    Snapshot { name: String, file: &'static str },
}

/// What a run of the binary gave.
#[derive(Debug)]
pub(crate) struct Run {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

impl SiteTest {
    /// An empty site folder with the given `skillbook.toml`.
    pub(crate) fn new(config: &str) -> Self {
        let tmp = tempfile::tempdir().expect("tempdir");
        let site = tmp.path().join("site");
        std::fs::create_dir_all(&site).expect("mkdir");
        let t = Self { tmp, site, env: Vec::new(), expected: Expected::default() };
        t.write("skillbook.toml", config)
    }

    /// A copy of an existing site folder (without its `public/`).
    pub(crate) fn copy_of(dir: &Path) -> Self {
        let tmp = tempfile::tempdir().expect("tempdir");
        let site = tmp.path().join("site");
        for sub in ["skillbook.toml", "content", "themes", "static"] {
            let from = dir.join(sub);
            if from.exists() {
                copy_tree(&from, &site.join(sub));
            }
        }
        Self { tmp, site, env: Vec::new(), expected: Expected::default() }
    }

    /// A copy of the site `tests/fixtures/<name>/`.
    pub(crate) fn fixture(name: &str) -> Self {
        let dir = repo().join("tests/fixtures").join(name);
        assert!(dir.join("skillbook.toml").is_file(), "no fixture {}", dir.display());
        Self::copy_of(&dir)
    }

    /// The sample training at the repository root.
    pub(crate) fn sample() -> Self {
        Self::copy_of(&repo())
    }

    /// Writes `text` to `rel` inside the site, creating folders.
    #[must_use]
    pub(crate) fn write(self, rel: &str, text: &str) -> Self {
        self.write_bytes(rel, text.as_bytes())
    }

    /// Writes raw bytes to `rel` inside the site.
    #[must_use]
    pub(crate) fn write_bytes(self, rel: &str, bytes: &[u8]) -> Self {
        let path = self.site.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, bytes).expect("write");
        self
    }

    /// A file of the site as text.
    pub(crate) fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.site.join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    /// Every run of the binary gets the environment variable `key` set to `value`.
    #[must_use]
    pub(crate) fn env(mut self, key: &str, value: impl AsRef<std::ffi::OsStr>) -> Self {
        self.env.push((key.to_string(), value.as_ref().to_os_string()));
        self
    }

    /// `assert_run` expects this exit code (otherwise 0). Expectations stay with the site
    /// until they are set again.
    #[must_use]
    pub(crate) fn expected_exit(mut self, code: i32) -> Self {
        self.expected.exit = Some(code);
        self
    }

    /// `assert_run` expects exactly this stderr, once `normalise`d (`[TMP]`, `[TIME]`).
    #[must_use]
    pub(crate) fn expected_stderr(mut self, text: &str) -> Self {
        self.expected.stderr = Some(Stderr::Exact(text.to_string()));
        self
    }

    /// `assert_run` compares the `normalise`d stderr with the snapshot `name` of the calling
    /// test module (`tests/integration/snapshots/integration__<module>__<name>.snap`).
    #[must_use]
    #[track_caller]
    pub(crate) fn stderr_snapshot(mut self, name: &str) -> Self {
        let file = Location::caller().file();
        self.expected.stderr = Some(Stderr::Snapshot { name: name.to_string(), file });
        self
    }

    /// Default output folder of `build`.
    pub(crate) fn out(&self) -> PathBuf {
        self.site.join("public")
    }

    /// Runs `skillbook ARGS` in the site folder.
    pub(crate) fn run(&self, args: &[&str]) -> Run {
        let out = Command::new(bin())
            .args(args)
            .current_dir(&self.site)
            .env("NO_COLOR", "1")
            .env_remove("SKILLBOOK_TIMINGS")
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .output()
            .expect("run skillbook");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Runs `skillbook ARGS` and asserts the expected exit code (0 unless `expected_exit` said
    /// otherwise) and, if one was given, the whole stderr or its snapshot.
    #[track_caller]
    pub(crate) fn assert_run(&self, args: &[&str]) -> Run {
        let run = self.run(args);
        let command = format!("skillbook {}", args.join(" "));
        let exit = self.expected.exit.unwrap_or(0);
        assert_eq!(run.code, exit, "exit code of `{command}`; stderr:\n{}", run.stderr);
        let stderr = self.normalise(&run.stderr);
        match &self.expected.stderr {
            None => {}
            Some(Stderr::Exact(text)) => {
                assert!(stderr == *text, "stderr of `{command}`:\n{}", snapshot::diff(text, &stderr));
            }
            Some(Stderr::Snapshot { name, file }) => snapshot::assert_named(file, name, &command, &stderr),
        }
        run
    }

    /// `assert_run(&["build"])`.
    #[track_caller]
    pub(crate) fn assert_build(&self) -> Run {
        self.assert_run(&["build"])
    }

    /// Runs `skillbook build` and asserts it succeeded, whatever `assert_run` expects.
    pub(crate) fn build_ok(&self) -> Run {
        let run = self.run(&["build"]);
        assert_eq!(run.code, 0, "build failed:\n{}", run.stderr);
        run
    }

    /// A file of the default output as text.
    pub(crate) fn page(&self, rel: &str) -> String {
        std::fs::read_to_string(self.out().join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    /// The `<main>` element of a page of the default output, hashed asset names shown as
    /// `assets/NAME.[hash].EXT` (they change with every theme file; the tests of the assets
    /// themselves look at the real names).
    pub(crate) fn main(&self, rel: &str) -> String {
        hide_asset_hashes(main_of(&self.page(rel)))
    }

    /// `text` with what differs between runs made the same: the temporary folder becomes
    /// `[TMP]` (so the site is `[TMP]/site`) and a duration after "in " becomes `[TIME]`.
    pub(crate) fn normalise(&self, text: &str) -> String {
        let mut text = text.to_string();
        let tmp = self.tmp.path();
        let canonical = tmp.canonicalize().unwrap_or_else(|_| tmp.to_path_buf());
        for path in [canonical.as_path(), tmp] {
            text = text.replace(&*path.to_string_lossy(), "[TMP]");
        }
        normalise_durations(&text)
    }
}

/// Every duration after " in " ("41.67ms", "1.2s", "12.3 ms", as Rust prints a `Duration` or
/// serve its build times) becomes `[TIME]`.
pub(crate) fn normalise_durations(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(" in ") {
        let (before, after) = rest.split_at(at + " in ".len());
        out.push_str(before);
        rest = after;
        if let Some(len) = duration_len(after) {
            out.push_str("[TIME]");
            rest = &after[len..];
        }
    }
    out.push_str(rest);
    out
}

/// The length of the duration `text` starts with, if it does.
fn duration_len(text: &str) -> Option<usize> {
    let digits = text.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(text.len());
    if digits == 0 {
        return None;
    }
    let space = usize::from(text[digits..].starts_with(' '));
    let unit_at = &text[digits + space..];
    let unit = ["ns", "µs", "us", "ms", "s"].into_iter().find(|u| unit_at.starts_with(u))?;
    let end = digits + space + unit.len();
    (!text[end..].starts_with(char::is_alphanumeric)).then_some(end)
}

/// `assets/NAME.HASH.EXT` (a hash of hex digits) becomes `assets/NAME.[hash].EXT`.
pub(crate) fn hide_asset_hashes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("assets/") {
        let (before, after) = rest.split_at(at + "assets/".len());
        out.push_str(before);
        rest = after;
        let name = after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_')).unwrap_or(after.len());
        let Some(hashed) = after[name..].strip_prefix('.') else { continue };
        let digits = hashed.find(|c: char| !c.is_ascii_hexdigit()).unwrap_or(hashed.len());
        if (8..=64).contains(&digits) && hashed[digits..].starts_with('.') {
            out.push_str(&after[..name]);
            out.push_str(".[hash]");
            rest = &hashed[digits..];
        }
    }
    out.push_str(rest);
    out
}

/// Copies a folder recursively.
pub(crate) fn copy_tree(from: &Path, to: &Path) {
    if from.is_file() {
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::copy(from, to).expect("copy");
        return;
    }
    for entry in walkdir::WalkDir::new(from).sort_by_file_name() {
        let entry = entry.expect("walk");
        let rel = entry.path().strip_prefix(from).expect("prefix");
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Every file under `dir` with its bytes, sorted by path.
pub(crate) fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("prefix").to_string_lossy().into_owned();
            (rel, std::fs::read(e.path()).expect("read"))
        })
        .collect()
}

/// The part of an HTML page from `<main` to `</main>`, both included.
pub(crate) fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("page has <main>");
    let end = html.find("</main>").expect("page has </main>") + "</main>".len();
    &html[start..end]
}

/// Every `href` and `src` value of an HTML page, in order.
pub(crate) fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let end = rest.find('"').expect("closing quote");
            out.push(rest[..end].replace("&amp;", "&"));
            rest = &rest[end..];
        }
    }
    out
}

#[test]
fn durations_and_asset_hashes_are_normalised() {
    assert_eq!(
        normalise_durations(
            "built 26 files into ./public in 41.67ms\nbuilt in 12.3 ms: 1 of 2 pages; took in 2s, in 987µs."
        ),
        "built 26 files into ./public in [TIME]\nbuilt in [TIME]: 1 of 2 pages; took in [TIME], in [TIME]."
    );
    let kept = "unknown key in [progress]; 3 errors in 3 files, in 3 sections, in 1.5";
    assert_eq!(normalise_durations(kept), kept);
    assert_eq!(
        hide_asset_hashes(
            r#"src="../assets/map.92385ac02d.js" href="assets/skillbook.0123456789abcdef.css" assets/logo.svg"#
        ),
        r#"src="../assets/map.[hash].js" href="assets/skillbook.[hash].css" assets/logo.svg"#
    );
}
