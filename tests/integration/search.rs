//! The search index that `build` writes to `search/`: what is findable, and where it leads.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::support::{tree, SiteTest};

/// The data of an index script `skillbookSearch.add("name",{…});`.
fn data(script: &str) -> Value {
    let start = script.find(',').expect("name, then data") + 1;
    let end = script.rfind(");").expect("closing call");
    serde_json::from_str(&script[start..end]).expect("index data is JSON")
}

/// Postings text → (page, section, weight) triples; see src/render/search/postings.rs.
fn decode(text: &str) -> Vec<(u64, u64, u64)> {
    let (mut nums, mut n) = (Vec::new(), 0);
    for b in text.bytes() {
        if b >= b']' {
            nums.push(n * 32 + u64::from(b - b']'));
            n = 0;
        } else {
            n = n * 32 + u64::from(b - b'(');
        }
    }
    let mut page = 0;
    nums.chunks(3)
        .map(|c| {
            page += c[0];
            (page, c[1], c[2])
        })
        .collect()
}

/// A built site's search index, read back.
struct Index {
    entry: Value,
    files: BTreeMap<String, String>,
}

impl Index {
    fn read(t: &SiteTest) -> Self {
        let files: BTreeMap<String, String> = tree(&t.out().join("search"))
            .into_iter()
            .map(|(p, b)| (p.replace('\\', "/"), String::from_utf8(b).expect("utf-8")))
            .collect();
        let entry = data(&files["index.js"]);
        Self { entry, files }
    }

    fn file(&self, rel: &str) -> Value {
        let dir = self.entry["dir"].as_str().expect("dir").trim_start_matches("search/");
        data(self.files.get(&format!("{dir}{rel}")).unwrap_or_else(|| panic!("no {dir}{rel}")))
    }

    /// Every (url#anchor) that holds `term`, best first.
    fn lookup(&self, term: &str) -> Vec<String> {
        let key: String = term.chars().take(2).collect();
        let key = if key.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()) {
            key
        } else {
            key.bytes().fold(String::from("x"), |s, b| format!("{s}{b:02x}"))
        };
        let dir = self.entry["dir"].as_str().expect("dir").trim_start_matches("search/");
        let Some(shard) = self.files.get(&format!("{dir}t/{key}.js")) else {
            return Vec::new();
        };
        let Some(entry) = data(shard).get(term).cloned() else {
            return Vec::new();
        };
        let mut postings = decode(entry[1].as_str().expect("head"));
        postings.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
        postings
            .into_iter()
            .map(|(page, section, _)| {
                let bundle = self.entry["bundle"].as_u64().expect("bundle");
                let f = self.file(&format!("f/{}.js", page / bundle))[usize::try_from(page % bundle).expect("small")]
                    .clone();
                let anchor = f["s"][usize::try_from(section).expect("small")][0].as_str().expect("anchor").to_string();
                format!("{}#{anchor}", f["u"].as_str().expect("url"))
            })
            .collect()
    }
}

/// `tests/fixtures/search` (a module for `hr` with a lesson of headings, code and raw HTML,
/// and a playbook) in `language`.
fn fixture(language: &str) -> SiteTest {
    let t = SiteTest::fixture("search");
    let config = t.read("skillbook.toml").replace("language = \"en\"", &format!("language = \"{language}\""));
    t.write("skillbook.toml", &config)
}

#[test]
fn heading_words_lead_to_their_anchor_and_code_is_findable_but_tags_are_not() {
    let t = fixture("en");
    t.build_ok();
    let ix = Index::read(&t);
    assert_eq!(ix.lookup("quokka"), ["modules/a/first.html#quokka-habits"]);
    // Text of code blocks, entities decoded, is findable, in the section that holds it.
    assert_eq!(ix.lookup("kookaburra"), ["modules/a/first.html#quokka-habits"]);
    assert_eq!(ix.lookup("wallabi"), ["modules/a/first.html#quokka-habits"]);
    assert_eq!(ix.lookup("echidna"), ["modules/a/first.html#quokka-habits"]);
    // Tag names, attribute values and the headings' `#` links are not.
    for absent in ["platypu", "platypus", "numbat", "div", "class", "data", "anchor", "aria", "span", "hl"] {
        assert!(ix.lookup(absent).is_empty(), "{absent} is indexed: {:?}", ix.lookup(absent));
    }
    // English: stemmed, stop words left out, heading and title hits rank first.
    assert_eq!(ix.lookup("listen"), ["playbooks/do-it.html#steps", "modules/a/first.html#quokka-habits"]);
    assert!(ix.lookup("the").is_empty() && ix.lookup("are").is_empty());
    assert_eq!(ix.lookup("first")[0], "modules/a/first.html#");
    // Module and role names are findable on the module page and the role page.
    assert!(ix.lookup("resourc").contains(&"modules/a/index.html#".to_string()), "{:?}", ix.lookup("resourc"));
    assert!(ix.lookup("resourc").contains(&"roles/hr.html#".to_string()));
}

#[test]
fn entry_lists_filters_and_the_search_page_works_from_a_url() {
    let t = fixture("en");
    t.build_ok();
    let ix = Index::read(&t);
    assert_eq!(ix.entry["v"], 3);
    assert_eq!(ix.entry["bundle"], 4);
    assert_eq!(ix.entry["modules"], serde_json::json!([["a", "Module A"]]));
    assert_eq!(ix.entry["roles"], serde_json::json!([["hr", "Human resources"]]));
    // Pages: module intro, lesson, playbook, role page; groups map them to module and roles.
    assert_eq!(ix.entry["pages"], 4);
    assert_eq!(ix.entry["groups"], serde_json::json!([[0, 0, [0]], [2, null, [0]], [3, null, [0]]]));
    // Every index file name under the hashed folder is listed or derivable from the entry.
    let dir = ix.entry["dir"].as_str().expect("dir");
    assert!(dir.starts_with("search/") && dir.ends_with('/') && dir.len() == "search/".len() + 11, "{dir}");
    let page = t.page("search/index.html");
    assert!(page.contains("<form id=\"search-page\""), "{page}");
    assert!(page.contains("<option value=\"a\">Module A</option>"));
    assert!(page.contains("<option value=\"hr\">Human resources</option>"));
    assert!(page.contains("<noscript>"));
    // Every page's header box is a plain form to the search page, relative to the page.
    let lesson = t.page("modules/a/first.html");
    assert!(
        lesson.contains(
            "<form id=\"site-search\" class=\"site-search\" role=\"search\" action=\"../../search/index.html\""
        ),
        "{lesson}"
    );
}

#[test]
fn other_languages_index_words_without_stemming_and_never_crash() {
    let t = fixture("fr").write(
        "content/modules/01-a/02-unicode.md",
        "+++\ntitle = \"Écouter\"\n+++\n## Les réseaux\n\nÉcoutez les clients. 日本語のテキスト. नमस्ते दुनिया. Ελληνικά.\n",
    );
    t.build_ok();
    let ix = Index::read(&t);
    assert_eq!(ix.entry["stem"], false);
    assert_eq!(ix.lookup("listening"), ["modules/a/first.html#quokka-habits"]);
    assert_eq!(ix.lookup("are"), ["modules/a/first.html#quokka-habits"], "stop words stay in other languages");
    assert_eq!(ix.lookup("réseaux"), ["modules/a/unicode.html#les-réseaux"]);
    assert_eq!(ix.lookup("écoutez"), ["modules/a/unicode.html#les-réseaux"]);
    assert_eq!(ix.lookup("本"), ["modules/a/unicode.html#les-réseaux"]);
    assert_eq!(ix.lookup("नमस्ते"), ["modules/a/unicode.html#les-réseaux"]);
}

#[test]
fn index_is_deterministic_and_its_folder_name_follows_content() {
    let t = fixture("en");
    t.build_ok();
    let first = tree(&t.out().join("search"));
    t.build_ok();
    assert_eq!(first, tree(&t.out().join("search")));
    let t2 = fixture("en").write("content/playbooks/do-it.md", "+++\ntitle = \"Do it\"\n+++\nChanged.\n");
    t2.build_ok();
    assert_ne!(Index::read(&t).entry["dir"], Index::read(&t2).entry["dir"]);
}

/// The shard entry of `term`: [sections, head, tail, shown word code?].
fn entry(ix: &Index, term: &str) -> Value {
    let key: String = term.chars().take(2).collect();
    ix.file(&format!("t/{key}.js"))[term].clone()
}

#[test]
fn stemmed_terms_carry_the_word_they_are_most_often_written_as() {
    let t = SiteTest::new("title = \"T\"\nid = \"t\"\n")
        .write("content/modules/01-m/_module.md", "# M\n\nListening, listening, listens. Happy people. Listen.\n")
        .write("content/modules/01-m/01-l.md", "# L\n\nList the alerts. Alerting and alert.\n");
    t.build_ok();
    let ix = Index::read(&t);
    // `listen` is read as listening twice, listens and listen once: shown as listening.
    assert_eq!(entry(&ix, "listen")[3], "ing");
    assert_eq!(entry(&ix, "happi")[3], "1y", "happi, shown as happy");
    // `list` is written as it is indexed: no word to add. *alerts*, *alerting* and *alert* tie: the
    // shorter one is the term itself.
    assert_eq!(entry(&ix, "list").as_array().map(Vec::len), Some(3));
    assert_eq!(entry(&ix, "alert").as_array().map(Vec::len), Some(3));
    // Other languages index words as written: no term is shown differently.
    let fr = fixture("fr");
    fr.build_ok();
    let ix = Index::read(&fr);
    let shards: Vec<&str> = ix
        .files
        .iter()
        .filter(|(p, _)| p.contains("/t/") && !p.ends_with(".tail.js"))
        .map(|(_, s)| s.as_str())
        .collect();
    assert!(shards.iter().all(|s| data(s)
        .as_object()
        .expect("terms")
        .values()
        .all(|e| e.as_array().map(Vec::len) == Some(3))));
}
