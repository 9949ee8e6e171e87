//! What the default theme's scripts compute again in the browser, as the build computes it:
//! the words, stems, shard names and shown words of the search index (`search.js`) and the
//! quiz answer hashes (`quiz.js`). Public so that a test can write these as vectors for the node tests of
//! `tests/js/` (tests/integration/js.rs); the build calls the functions wrapped here.

use crate::render::quiz_key;
use crate::render::search::text;

/// Lowercase words of `text`, in order, as the search index splits it.
#[must_use]
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    text::for_each_word(text, |w| out.push(w.to_string()));
    out
}

/// The Porter stem of a lowercase word, as English search indexes it.
#[must_use]
pub fn stem(word: &str) -> String {
    text::stem(word)
}

/// The words English search leaves out.
#[must_use]
pub fn stop_words() -> &'static [&'static str] {
    text::STOP_WORDS
}

/// The name of the shard file that holds `term` (without folder and `.js`).
#[must_use]
pub fn shard_file(term: &str) -> String {
    text::shard_file(&text::shard_key(term))
}

/// How a shard stores the word a term is shown as, `None` when it is the term itself.
#[must_use]
pub fn display_code(term: &str, word: &str) -> Option<String> {
    text::display_code(term, word)
}

/// A quiz's salt, from the site id, the quiz id and its revision.
#[must_use]
pub fn quiz_salt(site_id: &str, quiz_id: &str, rev: &str) -> String {
    quiz_key::salt(site_id, quiz_id, rev)
}

/// The hash of one keyed answer string under `salt`, as quiz pages carry it.
#[must_use]
pub fn answer_hash(salt: &str, text: &str) -> String {
    quiz_key::hash(salt, text)
}

/// A typed answer as it is compared.
#[must_use]
pub fn normalize(text: &str) -> String {
    quiz_key::normalize(text)
}

/// `text` veiled under `salt`, as quiz pages carry feedback and explanations.
#[must_use]
pub fn veil(salt: &str, text: &str) -> String {
    quiz_key::veil(salt, text)
}

/// The largest progress an LMS package can keep (`lms.js`'s suspend data, at its fullest):
/// `lessons` done, `quizzes` (id, revision, attempts allowed) at their limit with an earlier
/// revision's result, `checklists` (id, boxes) all ticked, `role` chosen.
#[must_use]
pub fn suspend_fullest(
    lessons: &[&str],
    quizzes: &[(&str, &str, Option<u32>)],
    checklists: &[(&str, usize)],
    role: Option<&str>,
) -> String {
    crate::package::suspend::fullest(&crate::package::suspend::Shape {
        lessons: lessons.iter().map(ToString::to_string).collect(),
        quizzes: quizzes.iter().map(|(id, rev, n)| ((*id).to_string(), (*rev).to_string(), *n)).collect(),
        checklists: checklists.iter().map(|(id, n)| ((*id).to_string(), *n)).collect(),
        role: role.map(ToString::to_string),
    })
}
