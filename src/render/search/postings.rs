//! Render stage: the inverted index of the search. For every term, the sections that hold it
//! with a small weight (title, heading and body, saturated and length-normalised like BM25),
//! split into a *head* of the best postings, which answers the first results, and a *tail*
//! the browser loads only when it needs more.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use rayon::prelude::*;

use super::text::{for_each_word, Language};
use super::Doc;

/// Postings kept in a term's head; a query needs only the heads for its first results.
pub(crate) const HEAD: usize = 1000;

/// The heaviest a posting weighs (the lightest weighs 1).
const MAX_WEIGHT: u32 = 31;

/// One section that holds a term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Posting {
    /// Index of the page in the index's page list.
    pub(crate) page: u32,
    /// Index of the section within the page.
    pub(crate) section: u32,
    /// 1 to 31; the browser multiplies it by the term's rarity.
    pub(crate) weight: u32,
}

/// How a term occurs in one section.
#[derive(Default, Clone, Copy)]
struct Occurrence {
    body: u32,
    heading: bool,
    title: bool,
    meta: bool,
}

impl Occurrence {
    const TITLE: u32 = 1 << 31;
    const HEADING: u32 = 1 << 30;
    const META: u32 = 1 << 29;
    const BODY: u32 = Self::META - 1;

    /// In one number, so a found posting is as small as a weighed one.
    fn pack(self) -> u32 {
        self.body.min(Self::BODY)
            | if self.title { Self::TITLE } else { 0 }
            | if self.heading { Self::HEADING } else { 0 }
            | if self.meta { Self::META } else { 0 }
    }

    fn unpack(n: u32) -> Self {
        Self {
            body: n & Self::BODY,
            heading: n & Self::HEADING != 0,
            title: n & Self::TITLE != 0,
            meta: n & Self::META != 0,
        }
    }
}

/// What [`index`] finds: every term's postings, and the word each term is shown as.
pub(crate) struct Terms {
    /// Term → postings sorted by page and section.
    pub(crate) postings: BTreeMap<String, Vec<Posting>>,
    /// Term → the word it is shown as, for the terms that are not words themselves (stems):
    /// the word of the site that gives the term most often (the shorter, then the first in
    /// alphabetical order, of two as frequent).
    pub(crate) shown: FxHashMap<String, String>,
}

/// Term → postings sorted by page and section. Pages are read in parallel, each worker
/// remembering the terms of the words it has seen (stemming is most of the work, and a site
/// uses the same words again and again) and numbering them, so a posting is three numbers
/// and a term's text is stored once per worker.
pub(crate) fn index(docs: &[Doc], lang: Language) -> Terms {
    let mut workers: Vec<Worker> = docs
        .par_iter()
        .enumerate()
        .fold(Worker::default, |mut w, (page, doc)| {
            w.read(doc, page, lang);
            w
        })
        .collect();
    let mut lengths: Vec<Vec<u32>> = vec![Vec::new(); docs.len()];
    for w in &mut workers {
        for (page, l) in std::mem::take(&mut w.lengths) {
            lengths[page as usize] = l;
        }
    }
    let total: u64 = lengths.iter().flat_map(|l| l.iter()).map(|n| u64::from(*n)).sum();
    let count = lengths.iter().map(Vec::len).sum::<usize>().max(1);
    let shown = if lang == Language::English { shown_words(&mut workers) } else { FxHashMap::default() };
    #[allow(clippy::cast_precision_loss, reason = "an average word count needs no precision")]
    let average = (total as f64 / count as f64).max(1.0);
    // Each worker's postings are weighed where they lie, in parallel; then each term's lists
    // are joined in worker order, which is page order, into one list of its exact length.
    let lists: Vec<Vec<(String, Vec<Posting>)>> = workers
        .into_par_iter()
        .map(|w| {
            let weigh = |found: Vec<Found>| -> Vec<Posting> {
                found
                    .into_iter()
                    .map(|f| {
                        let length = lengths[f.page as usize][f.section as usize] as usize;
                        let weight = weight(Occurrence::unpack(f.occ), length, average);
                        Posting { page: f.page, section: f.section, weight }
                    })
                    .collect()
            };
            w.terms.into_iter().zip(w.found.into_iter().map(weigh)).collect()
        })
        .collect();
    let mut parts: BTreeMap<String, Vec<Vec<Posting>>> = BTreeMap::new();
    for worker in lists {
        for (term, list) in worker {
            match parts.get_mut(term.as_str()) {
                Some(all) => all.push(list),
                None => {
                    parts.insert(term, vec![list]);
                }
            }
        }
    }
    // Joining copies every posting once: in parallel, each term a task of its own (a few
    // common terms hold most postings).
    let joined: Vec<(String, Vec<Posting>)> = parts
        .into_iter()
        .collect::<Vec<_>>()
        .into_par_iter()
        .with_max_len(1)
        .map(|(term, parts)| {
            let mut list = Vec::with_capacity(parts.iter().map(Vec::len).sum());
            for part in parts {
                list.extend(part);
            }
            if !list.is_sorted_by_key(|p| (p.page, p.section)) {
                list.sort_unstable_by_key(|p| (p.page, p.section));
            }
            (term, list)
        })
        .collect();
    // In term order already: the map is built without a search.
    Terms { postings: joined.into_iter().collect(), shown }
}

/// The word each stemmed term is shown as, from how often the workers read each word; the
/// workers' word memos are emptied.
fn shown_words(workers: &mut [Worker]) -> FxHashMap<String, String> {
    let memos: Vec<_> = workers.iter_mut().map(|w| std::mem::take(&mut w.memo)).collect();
    let mut counts: FxHashMap<&str, FxHashMap<String, u32>> = FxHashMap::default();
    for (w, memo) in workers.iter().zip(memos) {
        for (word, (id, count)) in memo {
            if let Some(id) = id {
                *counts.entry(w.terms[id as usize].as_str()).or_default().entry(word).or_default() += count;
            }
        }
    }
    let mut shown = FxHashMap::default();
    for (term, words) in counts {
        let best = words
            .into_iter()
            .max_by(|(a, x), (b, y)| x.cmp(y).then(b.len().cmp(&a.len())).then(b.cmp(a)))
            .map(|(word, _)| word);
        if let Some(word) = best.filter(|w| w != term) {
            shown.insert(term.to_string(), word);
        }
    }
    shown
}

/// What one worker of [`index`] found in its pages.
#[derive(Default)]
struct Worker {
    /// Word → its number in `terms` (`None` for a stop word) and how often it was read.
    memo: FxHashMap<String, (Option<u32>, u32)>,
    /// Term → its number.
    ids: FxHashMap<String, u32>,
    /// The terms, by number.
    terms: Vec<String>,
    /// The sections that hold each term, by term number, in page and section order.
    found: Vec<Vec<Found>>,
    /// Word count of each section's text, by page.
    lengths: Vec<(u32, Vec<u32>)>,
    /// Scratch: the terms of the section being read.
    seen: FxHashMap<u32, Occurrence>,
}

/// A section that holds a term, before it is weighed: the size of a [`Posting`], so
/// weighing turns a list of them into postings in place.
struct Found {
    page: u32,
    section: u32,
    /// [`Occurrence::pack`].
    occ: u32,
}

impl Worker {
    fn read(&mut self, doc: &Doc, page: usize, lang: Language) {
        let page = u32::try_from(page).expect("invariant: fewer than 4 billion pages");
        let mut lengths = Vec::with_capacity(doc.sections.len());
        for (section, s) in doc.sections.iter().enumerate() {
            let section = u32::try_from(section).expect("invariant: fewer than 4 billion sections");
            lengths.push(self.add(&s.text, lang, |o| o.body += 1));
            self.add(&s.heading, lang, |o| o.heading = true);
            if section == 0 {
                self.add(&doc.title, lang, |o| o.title = true);
                self.add(&doc.meta, lang, |o| o.meta = true);
            }
            for (term, occ) in self.seen.drain() {
                self.found[term as usize].push(Found { page, section, occ: occ.pack() });
            }
        }
        self.lengths.push((page, lengths));
    }

    /// Marks the terms of `text` in `seen`; returns its number of words.
    fn add(&mut self, text: &str, lang: Language, mark: fn(&mut Occurrence)) -> u32 {
        let mut words = 0;
        let Self { memo, ids, terms, found, seen, .. } = self;
        for_each_word(text, |word| {
            words += 1;
            let id = if let Some((id, count)) = memo.get_mut(word) {
                *count += 1;
                *id
            } else {
                // Several words may stem to one term: number each term once.
                let id = lang.term(word).map(|term| {
                    if let Some(id) = ids.get(&term) {
                        *id
                    } else {
                        let id = u32::try_from(terms.len()).expect("invariant: fewer than 4 billion terms");
                        terms.push(term.clone());
                        found.push(Vec::new());
                        ids.insert(term, id);
                        id
                    }
                });
                memo.insert(word.to_string(), (id, 1));
                id
            };
            if let Some(id) = id {
                mark(seen.entry(id).or_default());
            }
        });
        words
    }
}

#[allow(
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "counts are small and the result is clamped to 1..=31"
)]
fn weight(occ: Occurrence, length: usize, average: f64) -> u32 {
    let body = if occ.body == 0 {
        0.0
    } else {
        let tf = f64::from(occ.body);
        let norm = 1.2 * (0.25 + 0.75 * length as f64 / average);
        (10.0 * tf / (tf + norm)).round().max(1.0)
    };
    let fields = 12.0 * f64::from(u8::from(occ.title))
        + 8.0 * f64::from(u8::from(occ.heading))
        + 2.0 * f64::from(u8::from(occ.meta));
    (body + fields).clamp(1.0, f64::from(MAX_WEIGHT)) as u32
}

/// Splits postings (sorted by page and section) into the head (the `HEAD` heaviest, ties
/// going to the earlier section) and the tail (the rest), each still sorted by page and
/// section. Linear: weights are 1 to `MAX_WEIGHT`, so one pass counts each weight, which gives the
/// weight of the `HEAD`-th best posting; a second pass sends each posting to its side,
/// keeping the order.
pub(crate) fn split(postings: &[Posting]) -> (Vec<Posting>, Vec<Posting>) {
    if postings.len() <= HEAD {
        return (postings.to_vec(), Vec::new());
    }
    let weight_of = |p: &Posting| p.weight.min(MAX_WEIGHT) as usize;
    let mut counts = [0usize; MAX_WEIGHT as usize + 1];
    for p in postings {
        counts[weight_of(p)] += 1;
    }
    // `cut`: the weight of the HEAD-th best posting; `heavier`: how many weigh more.
    let (mut cut, mut heavier) = (MAX_WEIGHT as usize, 0);
    while heavier + counts[cut] < HEAD {
        heavier += counts[cut];
        cut -= 1;
    }
    // Of the postings that weigh `cut`, the earliest go to the head.
    let mut ties = HEAD - heavier;
    let mut head = Vec::with_capacity(HEAD);
    let mut tail = Vec::with_capacity(postings.len() - HEAD);
    for p in postings {
        let w = weight_of(p);
        if w > cut || (w == cut && ties > 0) {
            ties -= usize::from(w == cut);
            head.push(*p);
        } else {
            tail.push(*p);
        }
    }
    (head, tail)
}

/// Postings as text: for each, the page (as the gap from the previous one), the section and
/// the weight, each a base-32 number whose last digit is `]`..`|` and earlier digits `(`..`G`.
/// The alphabet holds no `"` or `\`, so the text needs no escaping in JSON.
pub(crate) fn encode(postings: &[Posting]) -> String {
    let mut out = String::with_capacity(postings.len() * 3);
    let mut previous = 0;
    for p in postings {
        number(p.page - previous, &mut out);
        number(p.section, &mut out);
        number(p.weight, &mut out);
        previous = p.page;
    }
    out
}

fn number(n: u32, out: &mut String) {
    let mut digits = [0u8; 7];
    let mut len = 0;
    let mut rest = n;
    loop {
        digits[len] = u8::try_from(rest % 32).expect("invariant: below 32");
        len += 1;
        rest /= 32;
        if rest == 0 {
            break;
        }
    }
    for (i, d) in digits[..len].iter().rev().enumerate() {
        let base = if i + 1 == len { b']' } else { b'(' };
        out.push(char::from(base + d));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(s: &str) -> Vec<u32> {
        let mut out = Vec::new();
        let mut n = 0;
        for b in s.bytes() {
            if b >= b']' {
                out.push(n * 32 + u32::from(b - b']'));
                n = 0;
            } else {
                n = n * 32 + u32::from(b - b'(');
            }
        }
        out
    }

    #[test]
    fn numbers_round_trip_without_json_escapes() {
        let postings = [
            Posting { page: 0, section: 0, weight: 1 },
            Posting { page: 31, section: 32, weight: 31 },
            Posting { page: 100_000, section: 1025, weight: 7 },
        ];
        let text = encode(&postings);
        assert!(!text.contains(['"', '\\']), "{text}");
        assert_eq!(decode(&text), [0, 0, 1, 31, 32, 31, 99_969, 1025, 7]);
    }

    #[test]
    fn head_holds_the_heaviest_postings() {
        let postings: Vec<Posting> = (0..u32::try_from(HEAD).expect("small") + 10)
            .map(|page| Posting { page, section: 0, weight: if page % 100 == 0 { 30 } else { 2 } })
            .collect();
        let (head, tail) = split(&postings);
        assert_eq!(head.len(), HEAD);
        assert_eq!(tail.len(), 10);
        assert!(head.iter().any(|p| p.page == 1000 && p.weight == 30));
        assert!(head.windows(2).all(|w| w[0].page < w[1].page));
    }

    #[test]
    fn split_matches_sorting_by_rank() {
        // Reference: rank everything, cut at HEAD, sort both sides back by page and section.
        let reference = |postings: &[Posting]| {
            let mut ranked = postings.to_vec();
            ranked.sort_by(|a, b| b.weight.cmp(&a.weight).then(a.page.cmp(&b.page)).then(a.section.cmp(&b.section)));
            let mut tail = ranked.split_off(HEAD.min(ranked.len()));
            ranked.sort_by_key(|p| (p.page, p.section));
            tail.sort_by_key(|p| (p.page, p.section));
            (ranked, tail)
        };
        let mut seed = 0x2545_f491_u32;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed
        };
        for len in [0, 1, HEAD - 1, HEAD, HEAD + 1, 3 * HEAD + 17] {
            let mut postings = Vec::new();
            let (mut page, mut section) = (0, 0);
            while postings.len() < len {
                if next() % 3 == 0 {
                    page += 1 + next() % 4;
                    section = 0;
                } else {
                    section += 1;
                }
                postings.push(Posting { page, section, weight: 1 + next() % 31 });
            }
            assert_eq!(split(&postings), reference(&postings), "{len} postings");
        }
    }

    #[test]
    fn occurrences_pack_and_unpack() {
        for occ in [
            Occurrence::default(),
            Occurrence { body: 7, heading: true, title: false, meta: true },
            Occurrence { body: Occurrence::BODY, heading: true, title: true, meta: true },
        ] {
            let back = Occurrence::unpack(occ.pack());
            assert_eq!((back.body, back.heading, back.title, back.meta), (occ.body, occ.heading, occ.title, occ.meta));
        }
        assert_eq!(
            Occurrence::unpack(Occurrence { body: u32::MAX, ..Occurrence::default() }.pack()).body,
            Occurrence::BODY
        );
        assert_eq!(std::mem::size_of::<Found>(), std::mem::size_of::<Posting>());
    }

    #[test]
    fn title_and_heading_outweigh_body() {
        let body = weight(Occurrence { body: 3, ..Occurrence::default() }, 50, 50.0);
        let heading = weight(Occurrence { body: 1, heading: true, ..Occurrence::default() }, 50, 50.0);
        let title = weight(Occurrence { title: true, ..Occurrence::default() }, 50, 50.0);
        assert!(heading > body && title > body, "{body} {heading} {title}");
        assert!(weight(Occurrence { body: 100, heading: true, title: true, meta: true }, 1, 50.0) <= 31);
    }
}
