//! Render stage: the readable text of a rendered page body, cut into sections at every
//! heading that has an `id`, so a search result can link to the section that matched.
//! Tags, comments, scripts, styles and the headings' `#` anchor links are left out; text
//! inside code blocks is kept. Cut from the HTML ([`from_html`]), or, for the Markdown this
//! program renders, from the events that write that HTML ([`from_events`]), with the same
//! result and without reading the HTML back.

use std::collections::HashMap;

use pulldown_cmark::{Event, Tag, TagEnd};

/// The text of one section of a page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Section {
    /// Heading id, empty for the text before the first heading.
    pub(crate) anchor: String,
    /// Heading text, empty for the text before the first heading.
    pub(crate) heading: String,
    /// Body text, whitespace collapsed.
    pub(crate) text: String,
}

/// True for the names of elements that do not separate words (`<em>b</em>old` is one word),
/// in any case.
fn is_inline(name: &str) -> bool {
    // Lowercased into a small buffer: no name in the list is longer than six bytes.
    let mut buf = [0u8; 6];
    let Some(lower) = buf.get_mut(..name.len()) else {
        return false;
    };
    for (b, c) in lower.iter_mut().zip(name.bytes()) {
        *b = c.to_ascii_lowercase();
    }
    let lower: &[u8] = lower;
    matches!(
        lower,
        b"a" | b"abbr"
            | b"b"
            | b"bdi"
            | b"bdo"
            | b"cite"
            | b"code"
            | b"data"
            | b"del"
            | b"dfn"
            | b"em"
            | b"i"
            | b"ins"
            | b"kbd"
            | b"mark"
            | b"q"
            | b"s"
            | b"samp"
            | b"small"
            | b"span"
            | b"strong"
            | b"sub"
            | b"sup"
            | b"time"
            | b"u"
            | b"var"
    )
}

/// Splits `html` into sections; the first one (text before any heading) is always there.
pub(crate) fn from_html(html: &str) -> Vec<Section> {
    let mut scanner = Scanner::default();
    scanner.html(html);
    scanner.finish()
}

/// The sections of the page whose HTML `events` write, cut as [`from_html`]
/// cuts that HTML, without writing and reading it back: text is taken as it is, each tag
/// pulldown-cmark writes between words is a gap, and HTML this module made is read as HTML.
/// `code` holds the highlighted code blocks' places in `events` and their code (their HTML
/// holds nothing else as text). `None` for events whose HTML this does not know.
pub(crate) fn from_events(events: &[Event<'_>], code: &[(usize, String)]) -> Option<Vec<Section>> {
    let mut scanner = Scanner::default();
    let mut numbers = HashMap::new();
    let mut code = code.iter().peekable();
    for (i, event) in events.iter().enumerate() {
        if let Some((_, text)) = code.next_if(|(at, _)| *at == i) {
            scanner.gap();
            scanner.text(text);
            scanner.gap();
            continue;
        }
        match event {
            Event::Start(tag) => match tag {
                Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Link { .. }
                | Tag::Subscript
                | Tag::Superscript
                | Tag::HtmlBlock => {}
                Tag::FootnoteDefinition(name) => {
                    scanner.gap();
                    scanner.text(&footnote_number(&mut numbers, name).to_string());
                }
                Tag::Heading { .. } | Tag::Image { .. } | Tag::MetadataBlock(_) => return None,
                _ => scanner.gap(),
            },
            Event::End(tag) => match tag {
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Subscript
                | TagEnd::Superscript
                | TagEnd::HtmlBlock => {}
                TagEnd::Heading(_) | TagEnd::Image | TagEnd::MetadataBlock(_) => return None,
                _ => scanner.gap(),
            },
            Event::Text(text) | Event::Code(text) => scanner.text(text),
            Event::Html(html) | Event::InlineHtml(html) => scanner.html(html),
            Event::SoftBreak => scanner.text("\n"),
            Event::HardBreak | Event::Rule | Event::TaskListMarker(_) => scanner.gap(),
            Event::FootnoteReference(name) => scanner.text(&footnote_number(&mut numbers, name).to_string()),
            Event::InlineMath(_) | Event::DisplayMath(_) => return None,
        }
    }
    Some(scanner.finish())
}

/// The number of footnote `name`, as pulldown-cmark's HTML gives it: footnotes are numbered
/// in the order a reference or definition first names them.
fn footnote_number<'e>(numbers: &mut HashMap<&'e str, usize>, name: &'e str) -> usize {
    let next = numbers.len() + 1;
    *numbers.entry(name).or_insert(next)
}

/// The `n`th quiz embedded in `page`; a quiz block outside a lesson is an error.
/// Cuts a page into sections from its HTML, given in pieces ([`Scanner::html`]) or, where
/// the caller knows the text without markup, as text ([`Scanner::text`], [`Scanner::gap`]).
#[derive(Default)]
struct Scanner {
    out: Cut,
    /// The element whose end closes the heading, in lowercase.
    heading: Option<String>,
    /// The element whose end ends the skipped part, in lowercase.
    skip: Option<String>,
}

impl Scanner {
    /// Reads a piece of HTML made of whole tags.
    pub(crate) fn html(&mut self, html: &str) {
        let Self { out, heading, skip } = self;
        let mut rest = html;
        while let Some(lt) = memchr::memchr2(b'<', b'&', rest.as_bytes()) {
            if skip.is_none() {
                out.push(heading.is_some(), &rest[..lt]);
            }
            rest = &rest[lt..];
            if rest.starts_with('&') {
                let (decoded, len) = entity(rest);
                if skip.is_none() {
                    let mut buf = [0; 4];
                    out.push(heading.is_some(), decoded.encode_utf8(&mut buf));
                }
                rest = &rest[len..];
                continue;
            }
            if let Some(comment) = rest.strip_prefix("<!--") {
                rest = comment.find("-->").map_or("", |e| &comment[e + 3..]);
                continue;
            }
            let Some(gt) = memchr::memchr(b'>', rest.as_bytes()) else {
                break;
            };
            let tag = &rest[1..gt];
            rest = &rest[gt + 1..];
            let closing = tag.starts_with('/');
            let bare = tag.trim_start_matches('/');
            let name = &bare[..bare.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(bare.len())];
            let is = |other: &str| name.eq_ignore_ascii_case(other);
            if let Some(until) = &skip {
                if closing && is(until) {
                    *skip = None;
                }
                continue;
            }
            if !is_inline(name) {
                out.push(heading.is_some(), " ");
            }
            let heading_level = name.len() == 2 && matches!(name.as_bytes(), [b'h' | b'H', b'1'..=b'6']);
            if !closing && heading_level {
                if let Some(id) = attribute(tag, "id") {
                    out.start(id);
                    *heading = Some(name.to_ascii_lowercase());
                }
            } else if closing && heading.as_deref().is_some_and(is) {
                *heading = None;
            } else if !closing
                && is("a")
                && attribute(tag, "class").is_some_and(|c| c.split(' ').any(|c| c == "anchor"))
            {
                *skip = Some("a".into());
            } else if !closing && (is("script") || is("style") || is("template")) {
                *skip = Some(name.to_ascii_lowercase());
            }
        }
        if skip.is_none() {
            out.push(heading.is_some(), rest);
        }
    }

    /// Reads text that the HTML holds escaped and outside any tag.
    pub(crate) fn text(&mut self, text: &str) {
        if self.skip.is_none() {
            self.out.push(self.heading.is_some(), text);
        }
    }

    /// Reads the place of a tag that separates words (`<p>`, `</li>`, `<br>`).
    pub(crate) fn gap(&mut self) {
        self.text(" ");
    }

    pub(crate) fn finish(self) -> Vec<Section> {
        self.out.finish()
    }
}

/// Sections being cut. The current section's heading and text grow in buffers reused from
/// section to section, and are copied out at their exact size when it ends: sections are
/// kept until the index is made, so they should hold no spare capacity.
#[derive(Default)]
struct Cut {
    /// The finished sections.
    done: Vec<Section>,
    /// Heading id of the current section (empty for the first).
    anchor: String,
    heading: String,
    text: String,
    /// Whether a space is owed before the next word, in the heading and in the text.
    gap: [bool; 2],
}

impl Cut {
    fn push(&mut self, in_heading: bool, text: &str) {
        let (target, owed) =
            if in_heading { (&mut self.heading, &mut self.gap[0]) } else { (&mut self.text, &mut self.gap[1]) };
        push_text(target, owed, text);
    }

    /// Ends the current section and starts one at the heading with id `anchor`.
    fn start(&mut self, anchor: String) {
        self.end_section();
        self.anchor = anchor;
    }

    fn end_section(&mut self) {
        self.done.push(Section {
            anchor: std::mem::take(&mut self.anchor),
            heading: self.heading.as_str().into(),
            text: self.text.as_str().into(),
        });
        self.heading.clear();
        self.text.clear();
    }

    fn finish(mut self) -> Vec<Section> {
        self.end_section();
        self.done
    }
}

/// Appends `text` to `target` with runs of whitespace as one space and none at the ends;
/// `owed` remembers whitespace not yet followed by a word (a word may go on in the next piece
/// of text: `<em>b</em>old`).
fn push_text(target: &mut String, owed: &mut bool, text: &str) {
    if !is_plain(text.as_bytes()) {
        push_spaced(target, owed, text);
        return;
    }
    // Its only whitespace is single spaces: one may lead and one may trail.
    let lead = text.starts_with(' ');
    let trail = text.len() > usize::from(lead) && text.ends_with(' ');
    let words = &text[usize::from(lead)..text.len() - usize::from(trail)];
    *owed |= lead;
    if words.is_empty() {
        return;
    }
    if *owed && !target.is_empty() {
        target.push(' ');
    }
    target.push_str(words);
    *owed = trail;
}

/// True for text of printable ASCII with no two spaces in a row, as most pieces of a page's
/// text are (a line break comes as a piece of its own). Every byte is tested without a branch,
/// so the compiler makes vector code of both loops.
fn is_plain(bytes: &[u8]) -> bool {
    let mut odd = 0u8;
    for &b in bytes {
        odd |= u8::from(b < b' ') | (b & 0x80);
    }
    let mut doubled = 0u8;
    for (&a, &b) in bytes.iter().zip(bytes.iter().skip(1)) {
        doubled |= u8::from(a == b' ') & u8::from(b == b' ');
    }
    odd | doubled == 0
}

/// [`push_text`] for any text: every character is looked at.
fn push_spaced(target: &mut String, owed: &mut bool, text: &str) {
    let bytes = text.as_bytes();
    // Bytes below 0x80 are classified directly (most text is ASCII); others are decoded.
    let decode = |i: usize| text[i..].chars().next().expect("invariant: i is on a char boundary below the end");
    // The length of the whitespace character (as `char::is_whitespace` has it) at `i`, or 0.
    let space_at = |i: usize| match bytes[i] {
        b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ' => 1,
        b if b.is_ascii() => 0,
        _ => Some(decode(i)).filter(|c| c.is_whitespace()).map_or(0, char::len_utf8),
    };
    let char_at = |i: usize| if bytes[i].is_ascii() { 1 } else { decode(i).len_utf8() };
    let mut i = 0;
    loop {
        let start = i;
        while i < bytes.len() && space_at(i) > 0 {
            i += space_at(i);
        }
        *owed |= i != start;
        if i == bytes.len() {
            return;
        }
        // A run of words with single spaces between them is copied whole.
        let run = i;
        loop {
            while i < bytes.len() && space_at(i) == 0 {
                i += char_at(i);
            }
            if i + 1 < bytes.len() && bytes[i] == b' ' && space_at(i + 1) == 0 {
                i += 1;
            } else {
                break;
            }
        }
        if *owed && !target.is_empty() {
            target.push(' ');
        }
        target.push_str(&text[run..i]);
        *owed = false;
    }
}

/// The value of attribute `name` in the inside of a start tag, entities decoded.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let needle = format!(" {name}=\"");
    let start = tag.find(&needle)? + needle.len();
    let len = tag[start..].find('"')?;
    let raw = &tag[start..start + len];
    let mut value = String::new();
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        value.push_str(&rest[..amp]);
        let (decoded, n) = entity(&rest[amp..]);
        value.push(decoded);
        rest = &rest[amp + n..];
    }
    value.push_str(rest);
    Some(value)
}

/// Decodes the character reference at the start of `s` (which starts with `&`): the
/// character and how many bytes it took. Unknown references stay as they are (`&`, 1).
fn entity(s: &str) -> (char, usize) {
    let end = s[1..].find(|c: char| !(c.is_ascii_alphanumeric() || c == '#')).map_or(s.len(), |e| e + 1);
    let name = &s[1..end];
    let has_semi = s[end..].starts_with(';');
    let decoded = match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        _ => name.strip_prefix('#').and_then(|num| {
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => num.parse().ok(),
            };
            code.and_then(char::from_u32)
        }),
    };
    match decoded {
        Some(c) if has_semi => (c, end + 1),
        _ => ('&', 1),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn plain_pieces_are_collapsed_as_any_text_is(
            before in "[ab ]{0,3}",
            owed in any::<bool>(),
            text in prop_oneof!["[ab .]{0,40}", "[ab .\t\n\x7f\u{a0}\u{3000}é]{0,40}"],
        ) {
            let (mut fast, mut fast_owed) = (before.clone(), owed);
            let (mut slow, mut slow_owed) = (before, owed);
            push_text(&mut fast, &mut fast_owed, &text);
            push_spaced(&mut slow, &mut slow_owed, &text);
            prop_assert_eq!((fast, fast_owed), (slow, slow_owed));
        }
    }

    #[test]
    fn headings_start_sections_and_anchor_links_are_dropped() {
        let html = "<p>Intro <em>t</em>ext.</p>\n<h2 id=\"why-listen\">Why <code>listen</code>? <a class=\"anchor\" href=\"#why-listen\" aria-label=\"Link\">#</a></h2>\n<p>Body&amp;more &#39;q&#39;</p><h3>No id</h3><p>still</p>";
        let s = from_html(html);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0], Section { anchor: String::new(), heading: String::new(), text: "Intro text.".into() });
        assert_eq!(s[1].anchor, "why-listen");
        assert_eq!(s[1].heading, "Why listen?");
        assert_eq!(s[1].text, "Body&more 'q' No id still");
    }

    #[test]
    fn tags_scripts_and_comments_are_not_text_but_code_is() {
        let html = "<div class=\"callout\"><!-- hidden --><script>var x = 1;</script><pre class=\"code\"><code><span class=\"hl-k\">fn</span> reply(&lt;msg&gt;)</code></pre></div>";
        assert_eq!(from_html(html)[0].text, "fn reply(<msg>)");
    }

    #[test]
    fn inline_names_in_any_case() {
        for name in ["a", "abbr", "STRONG", "Var", "time", "q"] {
            assert!(is_inline(name), "{name}");
        }
        for name in ["", "strongs", "h2", "li", "table", "pre"] {
            assert!(!is_inline(name), "{name}");
        }
        assert!(is_inline("em") && is_inline("EM") && is_inline("Span") && !is_inline("p") && !is_inline("div"));
    }

    #[test]
    fn whitespace_collapses_alike_in_ascii_and_other_text() {
        // Vertical tab and form feed are whitespace too. The second text ends in an em space,
        // whitespace that is decoded rather than read as a byte.
        let ascii = from_html("<p> a\t\x0b\x0cb \r\n c </p><p>d</p>");
        let other = from_html("<p> a\t\x0b\x0cb \r\n c\u{2003}</p><p>d</p>");
        assert_eq!(ascii[0].text, "a b c d");
        assert_eq!(other[0].text, "a b c d");
    }

    #[test]
    fn broken_markup_never_panics() {
        for html in ["<", "&", "&#xZZ;", "&#99999999;", "<h2 id=\"a", "<a class=\"anchor\">#", "é&é<é>é"] {
            let _ = from_html(html);
        }
        assert_eq!(from_html("a &unknown; b")[0].text, "a &unknown; b");
    }
}
