//! Render stage: the answer key as a quiz page carries it. Answers are salted SHA-256 hashes,
//! never plain text; texts shown after answering (feedback, explanations, solutions, regex
//! patterns) are veiled: XOR with a salt-derived pad, then base64. This deters a curious
//! look at the page source; it is not exam security. The default theme's `quiz.js`
//! implements the same functions, and `docs/quizzes.md` spells out every keyed string:
//! keep the three in step.

use sha2::{Digest, Sha256};

use crate::hex::hex;

/// Bytes of SHA-256 an answer hash keeps (64 bits, 16 hex digits).
const HASH_BYTES: usize = 8;

/// The per-quiz salt: derived from the site id, quiz id and quiz revision, so building twice
/// gives the same page and a quiz's hashes change whenever its content does.
pub(crate) fn salt(site_id: &str, quiz_id: &str, rev: &str) -> String {
    hex(&Sha256::digest(format!("skillbook-salt\n{site_id}\n{quiz_id}\n{rev}").as_bytes())[..HASH_BYTES])
}

/// Hash of one keyed string: the first 16 hex digits of SHA-256 of `salt:text`.
pub(crate) fn hash(salt: &str, text: &str) -> String {
    hex(&Sha256::digest(format!("{salt}:{text}").as_bytes())[..HASH_BYTES])
}

/// A typed answer as it is compared: lower case, runs of white space as one space, trimmed.
pub(crate) fn normalize(text: &str) -> String {
    text.to_lowercase().split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Veils `text`: UTF-8 bytes XOR the 32-byte SHA-256 of `skillbook-veil:salt`, repeated, in base64.
pub(crate) fn veil(salt: &str, text: &str) -> String {
    let pad = Sha256::digest(format!("skillbook-veil:{salt}").as_bytes());
    let bytes: Vec<u8> = text.bytes().zip(pad.iter().cycle()).map(|(b, p)| b ^ p).collect();
    base64(&bytes)
}

/// A deterministic shuffle of `0..n` for showing items without giving their order away:
/// indices sorted by the hash of `tag:i`, and never the identity (so the page never lists an
/// order question's items in the right order).
pub(crate) fn scramble(salt: &str, tag: &str, n: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_cached_key(|i| hash(salt, &format!("{tag}:{i}")));
    if n > 1 && order.iter().enumerate().all(|(p, i)| p == *i) {
        order.rotate_left(1);
    }
    order
}

/// Position at which `perm` shows item `item`.
pub(crate) fn shown_at(perm: &[usize], item: usize) -> usize {
    perm.iter().position(|i| *i == item).unwrap_or(0)
}

/// Standard base64 with padding.
pub(crate) fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_of_a_known_input_is_fixed() {
        // quiz.js computes the same hashes: the browser test checks the first, the node tests
        // (tests/integration/js.rs) hundreds more.
        assert_eq!(hash("0123456789abcdef", "0:1"), "18db4e17420f28db");
        assert_eq!(salt("social-everyone", "listening/quiz", "abc"), "690f69abcb14aac5");
    }

    #[test]
    fn normalize_folds_case_and_space() {
        assert_eq!(normalize("  Closing   the\tLOOP "), "closing the loop");
    }

    #[test]
    fn base64_matches_the_standard() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn scramble_is_a_permutation_and_never_the_identity() {
        for n in 2..8 {
            let p = scramble("s", "q", n);
            let mut sorted = p.clone();
            sorted.sort_unstable();
            assert_eq!(sorted, (0..n).collect::<Vec<_>>());
            assert!(p.iter().enumerate().any(|(i, x)| i != *x));
        }
        assert_eq!(scramble("s", "q", 4), scramble("s", "q", 4));
    }
}
