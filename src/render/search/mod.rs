//! Render stage: the search index, built from the rendered pages into files of `search/`.
//!
//! - `search/index.js` (the one fixed name, so pages need not change when content does):
//!   where the rest lives, the modules and roles to filter by, and which shards exist.
//! - `search/<hash>/t/<shard>.js`: the terms starting with the shard's two characters, each
//!   with the head of its postings; `<shard>.tail.js` holds the rest of long posting lists.
//! - `search/<hash>/f/<n>.js`: title, URL and section texts of pages `4n` to `4n + 3`, for
//!   results.
//!
//! Every file is a script calling `skillbookSearch.add(name, data)`: `<script>` loads work
//! from `file://`, where browsers block `fetch`. `<hash>` covers every file below it.
//! docs/search.md describes the format; `themes/default/static/search.js` reads it.

pub(crate) mod postings;
pub(crate) mod text;

use std::collections::BTreeMap;

use serde::Serialize;

use super::markdown::Rendered;
use super::sections::Section;
use super::Emit;
use crate::model::Site;
use rayon::prelude::*;
use text::Language;

/// Version of the index format, for `search.js` to check. 3: terms carry the word they are
/// shown as.
const FORMAT: u32 = 3;

/// Pages per fragment file: one file per page would make a large site's output mostly tiny
/// files, slow to write and to copy; four neighbours (mostly one module's lessons) share one.
/// More would cut files further but make every query download more (docs/search.md).
const BUNDLE: usize = 4;

/// Section text kept for excerpts; longer sections are still indexed in full.
const EXCERPT_CHARS: usize = 2000;

/// One page as the index sees it.
#[derive(Debug, Clone)]
pub(crate) struct Doc {
    /// Root-relative URL.
    pub(crate) url: String,
    /// Page title.
    pub(crate) title: String,
    /// `lesson`, `module`, `playbook`, `role` or `home`.
    pub(crate) kind: &'static str,
    /// Module and role names: findable, but weigh little.
    pub(crate) meta: String,
    /// Sections; the first holds the summary and the text before the first heading.
    pub(crate) sections: Vec<Section>,
}

/// Pages from `first` on, up to the next group, share a module and roles (for filters).
#[derive(Debug, Clone, Serialize)]
struct Group(usize, Option<usize>, Option<Vec<usize>>);

/// One shard: term → its entry, and term → tail.
type Shard<'a> = (BTreeMap<&'a str, Head>, BTreeMap<&'a str, String>);

/// A term in its shard: the posting count, the encoded head, 1 if there is a tail, and the
/// word it is shown as when that is not the term ([`text::display_code`]).
#[derive(Serialize)]
#[serde(untagged)]
enum Head {
    Term(usize, String, u8),
    Shown(usize, String, u8, String),
}

/// The sections of every page's text, by output path, from its rendered Markdown.
pub(crate) fn sections<K: AsRef<str>>(
    rendered: &BTreeMap<K, std::sync::Arc<Rendered>>,
) -> BTreeMap<&str, Vec<Section>> {
    rendered.iter().map(|(out, r)| (out.as_ref(), r.sections.clone())).collect()
}

/// Builds the index of every page into `out`, from the sections of each page's text.
pub(crate) fn build(site: &Site, sections: BTreeMap<&str, Vec<Section>>, out: &mut dyn Emit) {
    let (docs, groups) = documents(site, sections);
    let t = crate::timing::Mark::now();
    let lang = Language::from_tag(&site.config.language);
    let terms = postings::index(&docs, lang);
    crate::timing::phase("search: postings", t);
    let t = crate::timing::Mark::now();
    let (mut files, shard_keys) = shard_files(&terms);
    // The postings are written: their memory goes before the fragments are made.
    drop(terms);
    let sections = docs.iter().map(|d| d.sections.len()).sum::<usize>();
    let pages = docs.len();
    // Each bundle's pages are freed as soon as its file is made.
    let fragments: Vec<(String, Vec<u8>)> = docs
        .into_par_iter()
        .chunks(BUNDLE)
        .enumerate()
        .map(|(i, docs)| (format!("f/{i}.js"), fragment_script(&format!("f/{i}"), &docs)))
        .collect();
    files.extend(fragments);
    crate::timing::phase("search: files", t);
    // A name that changes with any byte below it; XXH3 hashes the whole index many times
    // faster than SHA-256, and nothing here needs a cryptographic hash.
    let mut all = xxhash_rust::xxh3::Xxh3::new();
    for (path, bytes) in &files {
        all.update(path.as_bytes());
        all.update(&[0]);
        all.update(bytes);
    }
    let dir = format!("search/{:010x}/", all.digest() >> 24);
    let entry = Entry {
        v: FORMAT,
        dir: &dir,
        lang: &site.config.language,
        stem: lang == Language::English,
        pages,
        sections,
        head: postings::HEAD,
        bundle: BUNDLE,
        shards: shard_keys.iter().map(String::as_str).collect(),
        modules: site.modules.iter().map(|m| (m.id.as_str(), m.title.as_str())).collect(),
        roles: site.config.roles.iter().map(|r| (r.id.as_str(), r.name.as_str())).collect(),
        groups,
    };
    out.file(crate::model::slug::SEARCH_INDEX.into(), script("index", &entry).into());
    for (path, bytes) in files {
        out.spread(format!("{dir}{path}"), bytes.into());
    }
}

/// The shard files (`t/<key>.js` and `t/<key>.tail.js`) of every term, and the shard keys.
fn shard_files(terms: &postings::Terms) -> (BTreeMap<String, Vec<u8>>, Vec<String>) {
    let mut shards: BTreeMap<String, Shard<'_>> = BTreeMap::new();
    // Splitting and encoding is most of the work, and each term's is its own. A few common
    // terms hold most postings: each term is a task of its own, or one thread may get them
    // all while the other idles.
    let encoded: Vec<(&str, usize, String, Option<String>)> = terms
        .postings
        .iter()
        .collect::<Vec<_>>()
        .into_par_iter()
        .with_max_len(1)
        .map(|(term, list)| {
            let (head, tail) = postings::split(list);
            let tail = (!tail.is_empty()).then(|| postings::encode(&tail));
            (term.as_str(), list.len(), postings::encode(&head), tail)
        })
        .collect();
    for (term, count, head, tail) in encoded {
        let shard = shards.entry(text::shard_key(term)).or_default();
        let has_tail = u8::from(tail.is_some());
        let entry = match terms.shown.get(term).and_then(|word| text::display_code(term, word)) {
            Some(code) => Head::Shown(count, head, has_tail, code),
            None => Head::Term(count, head, has_tail),
        };
        shard.0.insert(term, entry);
        if let Some(tail) = tail {
            shard.1.insert(term, tail);
        }
    }
    let files: BTreeMap<String, Vec<u8>> = shards
        .par_iter()
        .flat_map_iter(|(key, (heads, tails))| {
            let name = text::shard_file(key);
            let tail =
                (!tails.is_empty()).then(|| (format!("t/{name}.tail.js"), script(&format!("t/{name}.tail"), tails)));
            std::iter::once((format!("t/{name}.js"), script(&format!("t/{name}"), heads))).chain(tail)
        })
        .collect();
    (files, shards.into_keys().collect())
}

#[derive(Serialize)]
struct Entry<'a> {
    v: u32,
    dir: &'a str,
    lang: &'a str,
    stem: bool,
    pages: usize,
    sections: usize,
    head: usize,
    bundle: usize,
    shards: Vec<&'a str>,
    modules: Vec<(&'a str, &'a str)>,
    roles: Vec<(&'a str, &'a str)>,
    groups: Vec<Group>,
}

/// `skillbookSearch.add("name", data);`
fn script(name: &str, data: &impl Serialize) -> Vec<u8> {
    let json = serde_json::to_string(data).expect("invariant: index data serializes");
    format!("skillbookSearch.add({},{json});\n", serde_json::to_string(name).expect("invariant: a string")).into_bytes()
}

/// The script of one fragment file: `[{"u": url, "t": title, "k": kind, "s": [[anchor,
/// heading, text], …]}, …]` for each of `docs`. Written here rather than through serde: its
/// strings are most of the index's bytes, and most need no escaping, which one pass without
/// branches tells ([`json_string`]). The output is `serde_json`'s, byte for byte.
fn fragment_script(name: &str, docs: &[Doc]) -> Vec<u8> {
    // Room for every string whole (a long text is cut shorter) and the punctuation.
    let size: usize = docs
        .iter()
        .map(|d| {
            let sections: usize = d.sections.iter().map(|s| s.anchor.len() + s.heading.len() + s.text.len() + 12).sum();
            d.url.len() + d.title.len() + d.kind.len() + sections + 32
        })
        .sum();
    let mut out = Vec::with_capacity(size + name.len() + 32);
    out.extend_from_slice(b"skillbookSearch.add(");
    json_string(&mut out, name);
    out.push(b',');
    json_list(&mut out, docs, |out, doc| {
        out.extend_from_slice(b"{\"u\":");
        json_string(out, &doc.url);
        out.extend_from_slice(b",\"t\":");
        json_string(out, &doc.title);
        out.extend_from_slice(b",\"k\":");
        json_string(out, doc.kind);
        out.extend_from_slice(b",\"s\":");
        json_list(out, &doc.sections, |out, section| {
            json_list(out, &[&section.anchor, &section.heading, truncate(&section.text)], |out, text| {
                json_string(out, text);
            });
        });
        out.push(b'}');
    });
    out.extend_from_slice(b");\n");
    out
}

/// `items` as a JSON array, each written by `item`.
fn json_list<T>(out: &mut Vec<u8>, items: &[T], mut item: impl FnMut(&mut Vec<u8>, &T)) {
    out.push(b'[');
    for (i, one) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        item(out, one);
    }
    out.push(b']');
}

/// `text` as a JSON string, as `serde_json` writes it: copied whole between quotes when it
/// holds no control character, quote or backslash (tested for every byte without a branch),
/// else written by `serde_json`.
fn json_string(out: &mut Vec<u8>, text: &str) {
    let mut special = 0u8;
    for &b in text.as_bytes() {
        special |= u8::from(b < b' ') | u8::from(b == b'"') | u8::from(b == b'\\');
    }
    if special == 0 {
        out.push(b'"');
        out.extend_from_slice(text.as_bytes());
        out.push(b'"');
    } else {
        serde_json::to_writer(&mut *out, text).expect("invariant: a string writes to memory");
    }
}

fn truncate(text: &str) -> &str {
    if text.len() <= EXCERPT_CHARS {
        // No more characters than bytes.
        return text;
    }
    text.char_indices().nth(EXCERPT_CHARS).map_or(text, |(i, _)| &text[..i])
}

/// The pages of the site in index order, and the groups that map them to modules and roles.
fn documents(site: &Site, mut cut: BTreeMap<&str, Vec<Section>>) -> (Vec<Doc>, Vec<Group>) {
    let role_index = |ids: &[String]| -> Vec<usize> {
        let mut v: Vec<usize> =
            ids.iter().filter_map(|id| site.config.roles.iter().position(|r| &r.id == id)).collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let role_names = |ids: &[String]| -> String {
        ids.iter().filter_map(|id| site.role(id)).map(|r| r.name.as_str()).collect::<Vec<_>>().join(" · ")
    };
    let mut body = |out: &str, summary: &str| -> Vec<Section> {
        let mut sections = cut.remove(out).unwrap_or_else(|| vec![Section::default()]);
        if !summary.is_empty() {
            let first = &mut sections[0];
            first.text = if first.text.is_empty() { summary.to_string() } else { format!("{summary} {}", first.text) };
        }
        sections
    };
    let mut docs = Vec::new();
    let mut groups = Vec::new();
    if let Some(home) = &site.home {
        groups.push(Group(docs.len(), None, None));
        let sections = body(&home.out, &site.config.description);
        docs.push(Doc {
            url: home.out.clone(),
            title: site.config.title.clone(),
            kind: "home",
            meta: String::new(),
            sections,
        });
    }
    for (i, m) in site.modules.iter().enumerate() {
        let roles: Vec<String> = m.required_for.iter().chain(&m.optional_for).cloned().collect();
        groups.push(Group(docs.len(), Some(i), Some(role_index(&roles))));
        let mut sections = body(&m.intro.out, &m.summary);
        if let Some(quiz) = &m.quiz {
            sections[0].text = format!("{} {}", sections[0].text, quiz.title).trim().to_string();
        }
        docs.push(Doc {
            url: m.intro.out.clone(),
            title: m.title.clone(),
            kind: "module",
            meta: role_names(&roles),
            sections,
        });
        for l in &m.lessons {
            let sections = body(&l.page.out, &l.summary);
            docs.push(Doc {
                url: l.page.out.clone(),
                title: l.title.clone(),
                kind: "lesson",
                meta: m.title.clone(),
                sections,
            });
        }
    }
    for p in &site.playbooks {
        groups.push(Group(docs.len(), None, if p.roles.is_empty() { None } else { Some(role_index(&p.roles)) }));
        let sections = body(&p.page.out, &p.summary);
        docs.push(Doc {
            url: p.page.out.clone(),
            title: p.title.clone(),
            kind: "playbook",
            meta: role_names(&p.roles),
            sections,
        });
    }
    for (i, r) in site.config.roles.iter().enumerate() {
        groups.push(Group(docs.len(), None, Some(vec![i])));
        let sections = vec![Section { text: r.description.clone(), ..Section::default() }];
        let url = crate::model::slug::role_url(&r.id);
        docs.push(Doc { url, title: r.name.clone(), kind: "role", meta: String::new(), sections });
    }
    (docs, groups)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// A fragment file's pages as `serde_json` would write them.
    #[derive(Serialize)]
    struct Fragment<'a> {
        u: &'a str,
        t: &'a str,
        k: &'a str,
        s: Vec<(&'a str, &'a str, &'a str)>,
    }

    #[test]
    fn fragment_scripts_are_what_serde_json_writes() {
        let section = |anchor: &str, heading: &str, text: &str| Section {
            anchor: anchor.into(),
            heading: heading.into(),
            text: text.into(),
        };
        let doc = |url: &str, title: &str, sections: Vec<Section>| Doc {
            url: url.into(),
            title: title.into(),
            kind: "lesson",
            meta: String::new(),
            sections,
        };
        let docs = vec![
            doc("modules/a/x.html", "Plain title", vec![section("", "", "Plain text."), section("b", "B", "More.")]),
            doc(
                "modules/a/\"q\".html",
                "Tab\there, back\\slash, \u{1}, é ✓ \u{2028}",
                vec![section("", "", "Line\nbreak \"quoted\" \u{7f}"), section("c", "C \\ d", "")],
            ),
            doc("modules/b/y.html", "Long", vec![section("", "", &"é".repeat(EXCERPT_CHARS + 5))]),
            doc("index.html", "", Vec::new()),
        ];
        let serde: Vec<Fragment<'_>> = docs
            .iter()
            .map(|d| Fragment {
                u: &d.url,
                t: &d.title,
                k: d.kind,
                s: d.sections.iter().map(|s| (s.anchor.as_str(), s.heading.as_str(), truncate(&s.text))).collect(),
            })
            .collect();
        assert_eq!(
            String::from_utf8(fragment_script("f/0", &docs)).unwrap(),
            String::from_utf8(script("f/0", &serde)).unwrap()
        );
    }

    proptest! {
        #[test]
        fn json_strings_are_what_serde_json_writes(text in "[a \"\\\\\\x00-\\x1f\\x7féあ\u{2028}]{0,30}") {
            let mut out = Vec::new();
            json_string(&mut out, &text);
            prop_assert_eq!(String::from_utf8(out).unwrap(), serde_json::to_string(&text).unwrap());
        }
    }
}
