//! Replays every committed fuzz input (`fuzz/corpus/<target>/`) through the same entry points
//! the fuzz targets call, so an input that once crashed skillbook stays a regression test:
//! a crash found by `scripts/fuzz` is fixed, then its input is committed there.

use std::path::Path;

use skillbook::fuzz::{self, Harness};

/// Runs one input of `target` as its fuzz target does.
fn replay(target: &str, bytes: &[u8], harness: &mut Harness) {
    if target == "http_head" {
        fuzz::http_head(bytes);
        return;
    }
    // The text targets take only UTF-8 input, as libFuzzer's `&str` targets do.
    let Ok(text) = std::str::from_utf8(bytes) else { return };
    match target {
        "front_matter" => fuzz::front_matter(text),
        "config" => fuzz::config(text),
        "quiz" => fuzz::quiz(text),
        "serve_path" => fuzz::serve_path(text),
        "markdown" => drop(harness.markdown(text)),
        "link" => drop(harness.link(text)),
        "site" => drop(harness.site_input(text)),
        other => panic!("fuzz/corpus/{other}: no such fuzz target"),
    }
}

#[test]
fn every_committed_fuzz_input_runs_without_a_panic() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
    let mut harness = Harness::default();
    let mut inputs = 0;
    for target in std::fs::read_dir(&corpus).expect("fuzz/corpus").flatten() {
        let name = target.file_name().to_string_lossy().into_owned();
        for input in std::fs::read_dir(target.path()).expect("target folder").flatten() {
            let bytes = std::fs::read(input.path()).expect("read");
            replay(&name, &bytes, &mut harness);
            inputs += 1;
        }
    }
    assert!(inputs >= 20, "only {inputs} inputs found in {}", corpus.display());
}
