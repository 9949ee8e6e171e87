//! Render stage: words for the search index. Splits text into terms the way the browser's
//! `search.js` does (the two must agree byte for byte: tests/integration/js.rs holds
//! `search.js` to these functions on every word of the sample site and the benchmark corpus):
//! lowercase runs of letters, digits and combining marks; Chinese and Japanese characters one
//! by one; for English, stop words dropped and the Porter stemmer applied.

/// How text of the site's language becomes terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Language {
    /// Stop words and Porter stemming.
    English,
    /// Unicode word runs only, no stemming.
    Other,
}

impl Language {
    /// The language of a `language` tag from `skillbook.toml` (`en`, `en-GB`, `fr` …).
    pub(crate) fn from_tag(tag: &str) -> Self {
        let primary = tag.split(['-', '_']).next().unwrap_or("");
        if primary.eq_ignore_ascii_case("en") {
            Self::English
        } else {
            Self::Other
        }
    }

    /// The search term for one lowercase word, or `None` for a stop word.
    pub(crate) fn term(self, word: &str) -> Option<String> {
        match self {
            Self::Other => Some(word.to_string()),
            Self::English if STOP_WORDS.contains(&word) => None,
            Self::English => Some(stem(word)),
        }
    }
}

/// English words too common to be worth indexing (Lucene's list, plus what apostrophes leave).
pub(crate) const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "no", "not", "of",
    "on", "or", "s", "such", "t", "that", "the", "their", "then", "there", "these", "they", "this", "to", "was",
    "will", "with",
];

/// Characters written without spaces between words (Han, Hiragana, Katakana): each is a word.
fn is_single(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// Combining marks and joiners that belong inside a word although they are not letters.
fn is_mark(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05C7 | 0x0610..=0x061A | 0x064B..=0x065F
        | 0x0670 | 0x06D6..=0x06ED | 0x0900..=0x0963 | 0x0966..=0x0DFF | 0x0E31..=0x0E4E
        | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x200C | 0x200D | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// True for characters that are part of a word.
pub(crate) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_mark(c)
}

/// Lowercase words of `text`, in order.
#[cfg(test)]
pub(crate) fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_word(text, |w| out.push(w.to_string()));
    out
}

/// Calls `f` with each lowercase word of `text`, in order, without allocating for words that
/// are already lowercase ASCII (most of them).
pub(crate) fn for_each_word(text: &str, mut f: impl FnMut(&str)) {
    let mut lower = String::new();
    let mut emit = |word: &str, simple: bool| {
        if simple {
            f(word);
        } else {
            lower.clear();
            lower.extend(word.chars().flat_map(char::to_lowercase));
            f(&lower);
        }
    };
    // The text is read in blocks of 64 bytes. A block of ASCII (most are) is classified all at
    // once into bit masks, and its words are found from those without a branch per byte;
    // another block is read byte by byte, decoding what is not ASCII.
    // `simple`: the word so far is ASCII lowercase letters and digits only.
    let bytes = text.as_bytes();
    let mut start: Option<usize> = None;
    let mut simple = true;
    let mut i = 0;
    while i < bytes.len() {
        let end = (i + 64).min(bytes.len());
        if let Some((mut word, upper)) = bytes.get(i..i + 64).and_then(ascii_masks) {
            if let Some(s) = start {
                // The word open before the block goes on through its first word bytes.
                let run = word.trailing_ones();
                if run == 64 {
                    simple &= upper == 0;
                    i = end;
                    continue;
                }
                let inside = (1_u64 << run) - 1;
                simple &= upper & inside == 0;
                emit(&text[s..i + run as usize], simple);
                start = None;
                word &= !inside;
            }
            while word != 0 {
                let from = word.trailing_zeros();
                let after = !word & (u64::MAX << from);
                if after == 0 {
                    // The word goes on to the end of the block.
                    start = Some(i + from as usize);
                    simple = upper >> from == 0;
                    break;
                }
                let to = after.trailing_zeros();
                let inside = (u64::MAX << from) & !(u64::MAX << to);
                emit(&text[i + from as usize..i + to as usize], upper & inside == 0);
                word &= u64::MAX << to;
            }
            i = end;
            continue;
        }
        while i < end {
            let b = bytes[i];
            if b.is_ascii() {
                if b.is_ascii_alphanumeric() {
                    if start.is_none() {
                        start = Some(i);
                        simple = true;
                    }
                    simple &= !b.is_ascii_uppercase();
                } else if let Some(s) = start.take() {
                    emit(&text[s..i], simple);
                }
                i += 1;
                continue;
            }
            let c = text[i..].chars().next().expect("invariant: i is on a char boundary below the end");
            let next = i + c.len_utf8();
            if is_single(c) {
                if let Some(s) = start.take() {
                    emit(&text[s..i], simple);
                }
                emit(&text[i..next], false);
            } else if is_word_char(c) {
                start.get_or_insert(i);
                simple = false;
            } else if let Some(s) = start.take() {
                emit(&text[s..i], simple);
            }
            i = next;
        }
    }
    if let Some(s) = start {
        emit(&text[s..], simple);
    }
}

/// For 64 bytes of ASCII, the masks of the bytes that are letters or digits and of those that
/// are capitals (bit `n` for byte `n`); `None` if a byte is not ASCII. Each eight bytes are
/// tested at once as one number: adding to a byte below 0x80 never carries into the next.
fn ascii_masks(block: &[u8]) -> Option<(u64, u64)> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = ONES * 0x80;
    // The high bit of each byte that lies in `lo..=hi`.
    let within = |x: u64, lo: u8, hi: u8| (x + ONES * u64::from(0x80 - lo)) & !(x + ONES * u64::from(0x7f - hi)) & HIGH;
    // The high bits of eight bytes, as eight bits.
    let gather = |m: u64| (m >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56;
    let (mut word, mut upper, mut high) = (0, 0, 0);
    for (n, eight) in block.chunks_exact(8).enumerate() {
        let x = u64::from_le_bytes(eight.try_into().expect("invariant: eight bytes"));
        high |= x & HIGH;
        let capitals = within(x & !HIGH, b'A', b'Z');
        let letters = capitals | within(x & !HIGH, b'a', b'z') | within(x & !HIGH, b'0', b'9');
        word |= gather(letters) << (8 * n);
        upper |= gather(capitals) << (8 * n);
    }
    (high == 0).then_some((word, upper))
}

/// The shard a term is stored in: its first two characters (one for a one-character term).
pub(crate) fn shard_key(term: &str) -> String {
    term.chars().take(2).collect()
}

/// A file-name-safe name for a shard key: itself when `[a-z0-9]`, else `x` + UTF-8 hex.
pub(crate) fn shard_file(key: &str) -> String {
    if key.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()) {
        key.to_string()
    } else {
        format!("x{}", crate::hex::hex(key.as_bytes()))
    }
}

/// How a shard stores the word a term is shown as (a "did you mean" suggestion shows words,
/// and terms are stems: `listen` is shown as *listening*), or `None` when the word is the term.
/// The code is what turns the term into the word: how many characters to drop from its end (a
/// number, left out when none), then the characters to add. Only stems differ from their words,
/// and stems and their words are ASCII lowercase letters, so no digit of the number is mistaken
/// for the rest: `listen`/`listening` is `ing`, `happi`/`happy` is `1y`.
pub(crate) fn display_code(term: &str, word: &str) -> Option<String> {
    let plain = |s: &str| s.bytes().all(|b| b.is_ascii_lowercase());
    if term == word || !plain(term) || !plain(word) {
        return None;
    }
    let common = term.bytes().zip(word.bytes()).take_while(|(a, b)| a == b).count();
    let drop = term.len() - common;
    let rest = &word[common..];
    Some(if drop == 0 { rest.to_string() } else { format!("{drop}{rest}") })
}

/// The Porter stemmer (M.F. Porter, 1980, as in his reference C code, with `bli`→`ble` and
/// `logi`→`log`). Words that are not all ASCII lowercase letters are returned unchanged.
pub(crate) fn stem(word: &str) -> String {
    if word.len() <= 2 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return word.to_string();
    }
    let mut s = Stemmer { b: word.as_bytes().to_vec(), k: word.len() - 1, j: 0 };
    s.step1ab();
    if s.k > 0 {
        s.step1c();
        s.step2();
        s.step3();
        s.step4();
        s.step5();
    }
    s.b.truncate(s.k + 1);
    String::from_utf8(s.b).expect("invariant: ASCII in, ASCII out")
}

/// `b[0..=k]` is the word; `j` marks the end of the stem a suffix test found.
struct Stemmer {
    b: Vec<u8>,
    k: usize,
    j: usize,
}

impl Stemmer {
    fn cons(&self, i: usize) -> bool {
        match self.b[i] {
            b'a' | b'e' | b'i' | b'o' | b'u' => false,
            b'y' => i == 0 || !self.cons(i - 1),
            _ => true,
        }
    }

    /// Number of vowel-consonant sequences in `b[0..=j]`.
    fn m(&self) -> usize {
        if self.j == usize::MAX {
            return 0;
        }
        let (mut n, mut i) = (0, 0);
        loop {
            if i > self.j {
                return n;
            }
            if !self.cons(i) {
                break;
            }
            i += 1;
        }
        i += 1;
        loop {
            loop {
                if i > self.j {
                    return n;
                }
                if self.cons(i) {
                    break;
                }
                i += 1;
            }
            i += 1;
            n += 1;
            loop {
                if i > self.j {
                    return n;
                }
                if !self.cons(i) {
                    break;
                }
                i += 1;
            }
            i += 1;
        }
    }

    fn vowel_in_stem(&self) -> bool {
        self.j != usize::MAX && (0..=self.j).any(|i| !self.cons(i))
    }

    fn double_c(&self, j: usize) -> bool {
        j >= 1 && self.b[j] == self.b[j - 1] && self.cons(j)
    }

    fn cvc(&self, i: usize) -> bool {
        i >= 2 && self.cons(i) && !self.cons(i - 1) && self.cons(i - 2) && !matches!(self.b[i], b'w' | b'x' | b'y')
    }

    fn ends(&mut self, s: &str) -> bool {
        let s = s.as_bytes();
        if s.len() > self.k + 1 || &self.b[self.k + 1 - s.len()..=self.k] != s {
            return false;
        }
        // A suffix as long as the word leaves an empty stem; `j` wraps like the C code's -1.
        self.j = (self.k + 1 - s.len()).wrapping_sub(1);
        true
    }

    fn set_to(&mut self, s: &str) {
        let start = self.j.wrapping_add(1);
        self.b.truncate(start);
        self.b.extend_from_slice(s.as_bytes());
        self.k = self.b.len() - 1;
    }

    fn r(&mut self, s: &str) {
        if self.j != usize::MAX && self.m() > 0 {
            self.set_to(s);
        }
    }

    fn step1ab(&mut self) {
        if self.b[self.k] == b's' {
            if self.ends("sses") {
                self.k -= 2;
            } else if self.ends("ies") {
                self.set_to("i");
            } else if self.b[self.k - 1] != b's' {
                self.k -= 1;
            }
        }
        if self.ends("eed") {
            if self.m() > 0 {
                self.k -= 1;
            }
        } else if (self.ends("ed") || self.ends("ing")) && self.j != usize::MAX && self.vowel_in_stem() {
            self.k = self.j;
            if self.ends("at") {
                self.set_to("ate");
            } else if self.ends("bl") {
                self.set_to("ble");
            } else if self.ends("iz") {
                self.set_to("ize");
            } else if self.double_c(self.k) {
                if !matches!(self.b[self.k], b'l' | b's' | b'z') {
                    self.k -= 1;
                }
            } else if self.j == self.k && self.m() == 1 && self.cvc(self.k) {
                self.k += 1;
                self.b.truncate(self.k);
                self.b.push(b'e');
            }
        }
    }

    fn step1c(&mut self) {
        if self.ends("y") && self.j != usize::MAX && self.vowel_in_stem() {
            self.b[self.k] = b'i';
        }
    }

    fn try_rules(&mut self, rules: &[(&str, &str)]) {
        for (suffix, to) in rules {
            if self.ends(suffix) {
                self.r(to);
                return;
            }
        }
    }

    fn step2(&mut self) {
        if self.k < 1 {
            return;
        }
        let rules: &[(&str, &str)] = match self.b[self.k - 1] {
            b'a' => &[("ational", "ate"), ("tional", "tion")],
            b'c' => &[("enci", "ence"), ("anci", "ance")],
            b'e' => &[("izer", "ize")],
            b'l' => &[("bli", "ble"), ("alli", "al"), ("entli", "ent"), ("eli", "e"), ("ousli", "ous")],
            b'o' => &[("ization", "ize"), ("ation", "ate"), ("ator", "ate")],
            b's' => &[("alism", "al"), ("iveness", "ive"), ("fulness", "ful"), ("ousness", "ous")],
            b't' => &[("aliti", "al"), ("iviti", "ive"), ("biliti", "ble")],
            b'g' => &[("logi", "log")],
            _ => &[],
        };
        self.try_rules(rules);
    }

    fn step3(&mut self) {
        let rules: &[(&str, &str)] = match self.b[self.k] {
            b'e' => &[("icate", "ic"), ("ative", ""), ("alize", "al")],
            b'i' => &[("iciti", "ic")],
            b'l' => &[("ical", "ic"), ("ful", "")],
            b's' => &[("ness", "")],
            _ => &[],
        };
        self.try_rules(rules);
    }

    fn step4(&mut self) {
        if self.k < 1 {
            return;
        }
        let suffixes: &[&str] = match self.b[self.k - 1] {
            b'a' => &["al"],
            b'c' => &["ance", "ence"],
            b'e' => &["er"],
            b'i' => &["ic"],
            b'l' => &["able", "ible"],
            b'n' => &["ant", "ement", "ment", "ent"],
            b'o' => {
                let sion = self.ends("ion") && self.j != usize::MAX && matches!(self.b[self.j], b's' | b't');
                if sion || self.ends("ou") {
                    self.cut_if_long();
                }
                return;
            }
            b's' => &["ism"],
            b't' => &["ate", "iti"],
            b'u' => &["ous"],
            b'v' => &["ive"],
            b'z' => &["ize"],
            _ => &[],
        };
        if suffixes.iter().any(|s| self.ends(s)) {
            self.cut_if_long();
        }
    }

    fn cut_if_long(&mut self) {
        if self.j != usize::MAX && self.m() > 1 {
            self.k = self.j;
        }
    }

    fn step5(&mut self) {
        self.j = self.k;
        if self.b[self.k] == b'e' {
            let a = self.m();
            if a > 1 || (a == 1 && !(self.k >= 1 && self.cvc(self.k - 1))) {
                self.k -= 1;
            }
        }
        if self.b[self.k] == b'l' && self.double_c(self.k) && self.m() > 1 {
            self.k -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `word stem` pairs shared with the browser test of `search.js`.
    const VECTORS: &str = include_str!("../../../tests/data/porter.txt");

    #[test]
    fn porter_matches_reference_vectors() {
        for line in VECTORS.lines().filter(|l| !l.is_empty()) {
            let (word, expected) = line.split_once(' ').expect("word stem");
            assert_eq!(stem(word), expected, "stem of {word}");
        }
    }

    #[test]
    fn words_split_on_unicode_boundaries() {
        assert_eq!(
            words("Don't <b>panic</b>: café-au-lait, x2!"),
            ["don", "t", "b", "panic", "b", "café", "au", "lait", "x2"]
        );
        assert_eq!(words("Ελληνικά ΚΕΙΜΕΝΑ"), ["ελληνικά", "κειμενα"]);
        assert_eq!(words("नमस्ते दुनिया"), ["नमस्ते", "दुनिया"]);
        assert_eq!(words("日本語テキスト"), ["日", "本", "語", "テ", "キ", "ス", "ト"]);
        assert!(words("  --  ").is_empty());
    }

    #[test]
    fn ascii_fast_path_splits_as_characters_do() {
        // The definition, character by character: runs of word characters, lowercased;
        // Han and kana one by one.
        fn reference(text: &str) -> Vec<String> {
            let mut out = Vec::new();
            let mut word = String::new();
            for c in text.chars() {
                if is_single(c) || !is_word_char(c) {
                    if !word.is_empty() {
                        out.push(std::mem::take(&mut word).chars().flat_map(char::to_lowercase).collect());
                    }
                    if is_single(c) {
                        out.push(c.to_string());
                    }
                } else {
                    word.push(c);
                }
            }
            if !word.is_empty() {
                out.push(word.chars().flat_map(char::to_lowercase).collect());
            }
            out
        }
        let pieces =
            ["Brand", "voice", " ", "-", "Café", "e\u{301}", "x2", "日本", "テ", "ÉCOLE", "\u{200d}", "9", "_", "ß"];
        // Mostly ASCII, so texts hold blocks of 64 ASCII bytes and words cross their ends.
        let ascii = ["Brand", "voice", " ", "-", "x2", "9", "_", "a", "Z", ". ", "Café"];
        let mut seed = 7_u32;
        for (pieces, count) in [(&pieces[..], 8), (&pieces[..], 60), (&ascii[..], 60), (&ascii[..], 200)] {
            for _ in 0..2000 {
                let mut text = String::new();
                for _ in 0..count {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    text.push_str(pieces[(seed >> 16) as usize % pieces.len()]);
                }
                assert_eq!(words(&text), reference(&text), "{text:?}");
            }
        }
    }

    #[test]
    fn english_drops_stop_words_and_stems() {
        let en = Language::from_tag("en-GB");
        assert_eq!(en, Language::English);
        assert_eq!(en.term("the"), None);
        assert_eq!(en.term("listening").as_deref(), Some("listen"));
        assert_eq!(Language::from_tag("fr").term("the").as_deref(), Some("the"));
        assert_eq!(Language::from_tag("de").term("häuser").as_deref(), Some("häuser"));
    }

    #[test]
    fn shard_names_are_file_safe() {
        assert_eq!(shard_key("listen"), "li");
        assert_eq!(shard_key("x"), "x");
        assert_eq!(shard_file("li"), "li");
        assert_eq!(shard_file("é"), "xc3a9");
        assert_eq!(shard_file("日"), "xe697a5");
    }

    #[test]
    fn display_codes_turn_terms_into_words() {
        let undo = |term: &str, code: &str| {
            let digits = code.bytes().take_while(u8::is_ascii_digit).count();
            let drop: usize = code[..digits].parse().unwrap_or(0);
            format!("{}{}", &term[..term.len() - drop], &code[digits..])
        };
        assert_eq!(display_code("listen", "listen"), None);
        assert_eq!(display_code("listen", "listening").as_deref(), Some("ing"));
        assert_eq!(display_code("happi", "happy").as_deref(), Some("1y"));
        assert_eq!(display_code("hope", "hoping").as_deref(), Some("1ing"));
        assert_eq!(display_code("café", "cafés"), None, "only stems of a-z words are shown differently");
        for word in ["listening", "happiness", "escalating", "agreed", "conditional", "generalizations", "hoping"] {
            let term = stem(word);
            let code = display_code(&term, word).expect("a stem that differs");
            assert_eq!(undo(&term, &code), word, "{term} {code}");
        }
    }

    #[test]
    fn short_and_odd_words_never_panic() {
        for w in ["e", "ed", "ied", "ies", "sses", "ing", "eed", "y", "yy", "ation", "ousness", "s", "ss", "sss"] {
            let _ = stem(w);
        }
    }
}
