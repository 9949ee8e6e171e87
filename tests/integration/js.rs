//! The theme's scripts under node: `node --test tests/js/`, against vectors this test writes
//! with the library's own functions (`skillbook::mirror`), so the build and the browser are
//! held to one set: the stem of every word of the sample site and of the benchmark corpus, the
//! words of every one of their files and of hard cases, the stop words and shard names, and
//! the quiz answer hashes, typed-answer normalisation and veils. The node tests run on the
//! theme's sources and again on the minified scripts a build ships. Without node this test
//! is skipped, unless `SKILLBOOK_REQUIRE_BROWSER=1`, which makes that a failure.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};
use skillbook::mirror;

use crate::support::{repo, SiteTest};

/// Texts the tokenizer must split as the build does, beyond the sample site's English.
const HARD_TEXTS: &[&str] = &[
    "Don't <b>panic</b>: café-au-lait, x2!",
    "Ελληνικά ΚΕΙΜΕΝΑ, ΟΔΟΣ ΣΑΣ Σ",
    "नमस्ते दुनिया",
    "日本語テキスト と かな, 한국어 텍스트",
    "e\u{301}cole naïve ÉCOLE Ⅻ ½ ١٢٣",
    "İstanbul STRASSE straße ẞ ǅungla",
    "emoji 🙂 between words, 𠀀 astral Han",
    "zero\u{200d}width\u{200c}joiners and\ttabs",
    "under_score hyphen-ated dot.ted a/b (paren) [bracket] ＡＢＣ fullwidth",
];

/// Typed answers as learners may type them: case, every kind of white space.
const TYPED: &[&str] = &[
    "  Closing   the\tLOOP ",
    "a\u{85}b",
    "a\u{a0}b",
    "a\u{feff}b",
    "ΣΑΣ ΟΔΟΣ",
    "İ",
    "\u{3000}全角\u{3000}スペース",
    "Line\nbreaks\r\nand\u{2028}separators\u{2029}",
    "\u{1680}ogham\u{2000}en\u{200a}hair\u{202f}\u{205f}x\u{b}\u{c}y",
    "\u{180e}mongolian \u{200b}zero width",
    "ẞ STRASSE",
    "",
    "   ",
];

/// Texts quiz pages veil: feedback, explanations, patterns.
const VEILED: &[&str] = &[
    "",
    "é",
    "<p>Correct: <em>every</em> team listens, each for its own purposes.</p>",
    "日本語の説明 🙂",
    "[\"^closing the loop$\",\"close(d)? the loop\"]",
];

/// `node`, or `None` when it is not installed (a failure with `SKILLBOOK_REQUIRE_BROWSER=1`).
fn node() -> Option<()> {
    let found = Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success());
    if !found {
        let required = std::env::var("SKILLBOOK_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
        assert!(!required, "node not found, and SKILLBOOK_REQUIRE_BROWSER=1");
        eprintln!("skipped: node not found");
        return None;
    }
    Some(())
}

/// Every text file under `dir`, sorted, as (path relative to `dir`, text).
fn texts(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.expect("walk");
        if !entry.file_type().is_file() {
            continue;
        }
        if let Ok(text) = std::fs::read_to_string(entry.path()) {
            let rel = entry.path().strip_prefix(dir).expect("prefix").to_string_lossy().into_owned();
            out.push((rel, text));
        }
    }
    out
}

/// The benchmark corpus (`scripts/gen_corpus.py`) at 100 lessons. Its words are the same at any
/// size but for module and lesson numbers, which have digits and so are never stemmed.
fn corpus(dir: &Path) -> Vec<(String, String)> {
    let status = Command::new("python3")
        .arg(repo().join("scripts/gen_corpus.py"))
        .arg(dir)
        .args(["--lessons", "100"])
        .status()
        .expect("python3");
    assert!(status.success());
    texts(&dir.join("content"))
}

fn vectors(tmp: &Path) -> Value {
    let mut sources: Vec<(String, String)> =
        texts(&repo().join("content")).into_iter().map(|(p, t)| (format!("content/{p}"), t)).collect();
    sources.extend(corpus(&tmp.join("corpus")).into_iter().map(|(p, t)| (format!("corpus/{p}"), t)));
    sources.extend(HARD_TEXTS.iter().enumerate().map(|(i, t)| (format!("hard text {i}"), (*t).to_string())));

    let mut words = BTreeSet::new();
    let tokens: Vec<Value> = sources
        .iter()
        .map(|(name, text)| {
            let found = mirror::words(text);
            words.extend(found.iter().cloned());
            json!([name, text, found])
        })
        .collect();
    let porter = std::fs::read_to_string(repo().join("tests/data/porter.txt")).expect("porter.txt");
    words.extend(porter.lines().filter_map(|l| l.split(' ').next()).filter(|w| !w.is_empty()).map(String::from));
    let stems: BTreeMap<&str, String> = words.iter().map(|w| (w.as_str(), mirror::stem(w))).collect();
    // Terms are stems (English) or the words themselves (other languages).
    let terms: BTreeSet<&str> = words.iter().map(String::as_str).chain(stems.values().map(String::as_str)).collect();
    let shards: BTreeMap<&str, String> = terms.iter().map(|t| (*t, mirror::shard_file(t))).collect();
    // Every stemmed word and how its shard shows it.
    let displays: Vec<Value> =
        stems.iter().filter_map(|(w, s)| mirror::display_code(s, w).map(|code| json!([s, code, w]))).collect();
    let distances = distances(&words);

    let salts = [
        mirror::quiz_salt("social-everyone", "listening/quiz", "abc"),
        mirror::quiz_salt("t", "m/quiz", "1"),
        "0123456789abcdef".to_string(),
    ];
    let normalized: Vec<(&str, String)> = TYPED.iter().map(|t| (*t, mirror::normalize(t))).collect();
    // Keyed strings of every kind, and lengths that put `salt:text` on both sides of each
    // SHA-256 block and padding boundary.
    let mut keyed: Vec<String> =
        ["0:1", "3:0,2", "2:2,0,1", "4:yes|hello world", "4:no|12", "1:café", "1:日本語", "1:🙂"]
            .map(String::from)
            .into();
    keyed.extend(normalized.iter().map(|(_, n)| format!("5:{n}")));
    keyed.extend((0..=140).map(|n| "x".repeat(n)));
    let hashes: Vec<Value> = salts
        .iter()
        .flat_map(|salt| keyed.iter().map(move |text| json!([salt, text, mirror::answer_hash(salt, text)])))
        .collect();
    let long = "A long explanation. ".repeat(8);
    let veils: Vec<Value> = salts
        .iter()
        .flat_map(|salt| {
            VEILED.iter().copied().chain([long.as_str()]).map(move |text| json!([salt, text, mirror::veil(salt, text)]))
        })
        .collect();

    // LMS progress at its fullest (src/package/suspend.rs), as lms.js must write it.
    let suspend: Vec<Value> = [
        (
            vec!["listening/why-listen", "listening/setting-up-alerts"],
            vec![("listening/quiz", "34990dad6bb3", Some(3))],
            vec![("playbooks/answering-a-complaint", 4)],
            Some("customer-service"),
        ),
        (vec!["m/a"], vec![("m/quiz", "0123456789ab", None), ("m/a/1", "ffffffffffff", Some(1))], vec![], None),
        (vec![], vec![], vec![], None),
    ]
    .iter()
    .map(|(lessons, quizzes, checklists, role)| {
        json!({
            "lessons": lessons,
            "quizzes": quizzes.iter().map(|(id, rev, n)| json!([id, rev, n])).collect::<Vec<_>>(),
            "checklists": checklists.iter().map(|(id, n)| json!([id, n])).collect::<Vec<_>>(),
            "role": role,
            "fullest": mirror::suspend_fullest(lessons, quizzes, checklists, *role),
        })
    })
    .collect();

    json!({
        "suspend": suspend,
        "stems": stems,
        "tokens": tokens,
        "stop_words": mirror::stop_words(),
        "shards": shards,
        "displays": displays,
        "distances": distances,
        "hashes": hashes,
        "normalize": normalized,
        "veils": veils,
    })
}

/// Pairs of words with their edit distance as `strsim` counts it (optimal string alignment:
/// `search.js` suggests words by it): each word with its next words in alphabetical order
/// (which share beginnings) and with copies of it that lost, swapped, changed or gained a
/// letter, so that most distances are small, as for a mistyped word.
fn distances(words: &BTreeSet<String>) -> Vec<Value> {
    let sorted: Vec<&String> = words.iter().collect();
    let mut pairs = Vec::new();
    for (i, word) in sorted.iter().enumerate() {
        let chars: Vec<char> = word.chars().collect();
        let mut others: Vec<String> = sorted[i + 1..].iter().take(3).map(|w| (*w).clone()).collect();
        let n = chars.len();
        if n >= 2 {
            let (a, b) = (i % n, (i * 7 + 1) % n);
            let mut dropped = chars.clone();
            dropped.remove(a);
            let mut swapped = chars.clone();
            swapped.swap(a.min(n - 2), a.min(n - 2) + 1);
            let mut changed = chars.clone();
            changed[b] = 'q';
            let mut gained = chars.clone();
            gained.insert(b, 'é');
            let mut twice = swapped.clone();
            twice.remove(b.min(twice.len() - 1));
            others.extend([dropped, swapped, changed, gained, twice].map(|c| c.into_iter().collect::<String>()));
        }
        for other in others {
            pairs.push(json!([word, other, strsim::osa_distance(word, &other)]));
        }
    }
    pairs
}

/// The minified theme scripts of a build of the sample site, under their plain names.
fn built_scripts(dir: &Path) {
    let t = SiteTest::sample();
    t.build_ok();
    std::fs::create_dir_all(dir).expect("mkdir");
    let mut copied = Vec::new();
    for entry in std::fs::read_dir(t.out().join("assets")).expect("assets").flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        for script in ["store", "search", "quiz"] {
            if name.starts_with(&format!("{script}.")) && name.ends_with(".js") {
                std::fs::copy(entry.path(), dir.join(format!("{script}.js"))).expect("copy");
                copied.push(script);
            }
        }
    }
    copied.sort_unstable();
    assert_eq!(copied, ["quiz", "search", "store"], "the theme scripts of the build");
}

/// Runs `node --test tests/js/` on the scripts in `scripts`; fails with node's output.
fn node_test(scripts: &Path, vectors: &Path) {
    let out = Command::new("node")
        .args(["--test", "--test-reporter=tap"])
        .arg(repo().join("tests/js"))
        .env("SKILLBOOK_JS_DIR", scripts)
        .env("SKILLBOOK_JS_VECTORS", vectors)
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let report = format!("node --test on {}:\n{stdout}{}", scripts.display(), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{report}");
    let count = |what: &str| {
        stdout
            .lines()
            .find_map(|l| l.strip_prefix(&format!("# {what} ")))
            .and_then(|n| n.trim().parse::<u32>().ok())
            .unwrap_or_else(|| panic!("no `# {what}` line in {report}"))
    };
    assert!(count("pass") > 0, "{report}");
    assert_eq!((count("fail"), count("cancelled"), count("skipped"), count("todo")), (0, 0, 0, 0), "{report}");
    eprintln!("node --test on {}: {} passed", scripts.display(), count("pass"));
}

#[test]
fn theme_scripts_agree_with_the_functions_they_mirror() {
    if node().is_none() {
        return;
    }
    // Kept in target/tmp, so the node tests can be run again by hand (HACKING.md).
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("js");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("mkdir");
    let vectors_file = dir.join("vectors.json");
    std::fs::write(&vectors_file, vectors(&dir).to_string()).expect("write vectors");
    node_test(&repo().join("themes/default/static"), &vectors_file);
    built_scripts(&dir.join("built"));
    node_test(&dir.join("built"), &vectors_file);
}
