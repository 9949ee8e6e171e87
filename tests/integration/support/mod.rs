//! Test support: a builder that copies a fixture or writes files into a temporary site,
//! runs the real `skillbook` binary on it, and hands back its exit code, output and files.

#![allow(dead_code, reason = "each test module uses a different part of the support code")]

pub(crate) mod browser;
pub(crate) mod http;
pub(crate) mod serve;

use std::path::{Path, PathBuf};
use std::process::Command;

/// Root of the repository (the sample site).
pub(crate) fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Path of the built binary.
pub(crate) fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_skillbook"))
}

/// A site in a temporary folder.
pub(crate) struct SiteTest {
    pub(crate) tmp: tempfile::TempDir,
    pub(crate) site: PathBuf,
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
        let t = Self { tmp, site };
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
        Self { tmp, site }
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
            .output()
            .expect("run skillbook");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Runs `skillbook build` and asserts it succeeded.
    pub(crate) fn build_ok(&self) -> Run {
        let run = self.run(&["build"]);
        assert_eq!(run.code, 0, "build failed:\n{}", run.stderr);
        run
    }

    /// A file of the default output as text.
    pub(crate) fn page(&self, rel: &str) -> String {
        std::fs::read_to_string(self.out().join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }
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

/// The part of an HTML page between `<main` and `</main>`.
pub(crate) fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("page has <main>");
    let end = html.find("</main>").expect("page has </main>");
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
