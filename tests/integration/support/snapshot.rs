//! Snapshots (insta): `snapshot!(name, text)` in a test, and `SiteTest::stderr_snapshot` for a
//! run's stderr. Both land in `tests/integration/snapshots/integration__<module>__<name>.snap`.
//!
//! insta's own rules decide what a mismatch does: with `INSTA_UPDATE` unset (or `auto`) it
//! writes `<name>.snap.new` beside the snapshot and fails the test, except where `CI` is set
//! (and not `false` or `0`), where it writes nothing and fails; `INSTA_UPDATE=always` writes the
//! new snapshot in place and passes. `guard` makes sure a CI run never updates a snapshot or
//! passes a mismatch: with `CI` set, any setting that would panics before the comparison.

use std::path::Path;
use std::sync::OnceLock;

use super::repo;

/// Compares `text` with the snapshot `name` of the calling test module.
macro_rules! snapshot {
    ($name:expr, $text:expr $(,)?) => {{
        $crate::support::snapshot::guard();
        insta::assert_snapshot!($name, $text);
    }};
}
pub(crate) use snapshot;

/// Whether insta sees a CI run (its own test: `CI` set to anything but `false`, `0` or empty,
/// or `TF_BUILD` set).
fn is_ci() -> bool {
    match std::env::var("CI").ok().as_deref() {
        Some("false" | "0" | "") => false,
        None => std::env::var_os("TF_BUILD").is_some(),
        Some(_) => true,
    }
}

/// Panics if this is a CI run with a setting that lets insta write a snapshot or pass a
/// mismatch: `INSTA_UPDATE` other than `auto` or `no`, `INSTA_FORCE_PASS`, the old
/// `INSTA_FORCE_UPDATE`, or an insta config file that sets either.
pub(crate) fn guard() {
    static PROBLEM: OnceLock<Option<String>> = OnceLock::new();
    let problem = PROBLEM.get_or_init(|| {
        if !is_ci() {
            return None;
        }
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        if let Some(v) = var("INSTA_UPDATE").filter(|v| v != "auto" && v != "no") {
            return Some(format!("INSTA_UPDATE={v}"));
        }
        for name in ["INSTA_FORCE_PASS", "INSTA_FORCE_UPDATE", "INSTA_FORCE_UPDATE_SNAPSHOTS"] {
            if let Some(v) = var(name).filter(|v| v != "0") {
                return Some(format!("{name}={v}"));
            }
        }
        for file in ["insta.yaml", ".config/insta.yaml"] {
            let text = std::fs::read_to_string(repo().join(file)).unwrap_or_default();
            if text.contains("update") || text.contains("force_pass") {
                return Some(format!("{file} sets how snapshots are updated"));
            }
        }
        None
    });
    if let Some(problem) = problem {
        panic!("a CI run must compare snapshots, never write or force them: unset {problem}");
    }
}

/// Compares `text` with the snapshot `name` of the test module in `file` (the caller's file),
/// described as the stderr of `command`.
pub(crate) fn assert_named(file: &str, name: &str, command: &str, text: &str) {
    guard();
    let module = Path::new(file).file_stem().and_then(|s| s.to_str()).expect("test file name");
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(repo().join("tests/integration/snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_description(format!("stderr of `{command}`, {file}"));
    settings.bind(|| insta::assert_snapshot!(format!("integration__{module}__{name}"), text));
}

/// Both texts, line by line, the first difference marked.
pub(crate) fn diff(expected: &str, got: &str) -> String {
    let (e, g): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), got.lines().collect());
    let first = e.iter().zip(&g).position(|(a, b)| a != b).unwrap_or(e.len().min(g.len()));
    let show = |lines: &[&str]| {
        lines.iter().enumerate().fold(String::new(), |out, (i, l)| {
            let mark = if i == first { ">" } else { " " };
            format!("{out}{mark} {l}\n")
        })
    };
    let note = if e == g { "(the lines are the same: line endings or the last newline differ)\n" } else { "" };
    format!("{note}expected:\n{}got:\n{}", show(&e), show(&g))
}
