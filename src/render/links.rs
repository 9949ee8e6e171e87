//! Render: the links Markdown itself does not see. Links and images it left as text because
//! their path has a space are reported; `href` and `src` in the author's raw HTML (`<a>`,
//! `<img>`, `<video>`, `<audio>`, `<source>`) are checked and rewritten like Markdown's own.

use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

use super::html::escape;
use crate::diagnostic::Diagnostic;
use crate::model::Page;

/// The elements whose URL attributes are checked, and those attributes.
const URL_ATTRIBUTES: &[(&str, &[&str])] =
    &[("a", &["href"]), ("img", &["src"]), ("video", &["src", "poster"]), ("audio", &["src"]), ("source", &["src"])];

/// `html` with the URL attributes of the elements above passed through `resolve`, which is
/// given the URL, its byte range in `html` and the element's name (lowercase),
/// and returns a rewritten URL or `None` to keep it. `None` when nothing changed.
pub(crate) fn rewrite_raw(
    html: &str,
    mut resolve: impl FnMut(&str, Range<usize>, &str) -> Option<String>,
) -> Option<String> {
    let bytes = html.as_bytes();
    let mut out = String::new();
    let mut copied = 0;
    let mut i = 0;
    while let Some(lt) = memchr::memchr(b'<', &bytes[i..]).map(|n| i + n) {
        i = lt + 1;
        let name_len = bytes[i..].iter().take_while(|b| b.is_ascii_alphanumeric()).count();
        let name = html[i..i + name_len].to_ascii_lowercase();
        let Some((_, attributes)) = URL_ATTRIBUTES.iter().find(|(n, _)| *n == name) else { continue };
        i += name_len;
        if !bytes.get(i).is_some_and(|b| b.is_ascii_whitespace() || *b == b'>' || *b == b'/') {
            continue;
        }
        // Attributes up to the end of the tag.
        loop {
            while bytes.get(i).is_some_and(|b| b.is_ascii_whitespace() || *b == b'/') {
                i += 1;
            }
            if bytes.get(i).is_none_or(|b| *b == b'>') {
                break;
            }
            let start = i;
            while bytes.get(i).is_some_and(|b| !b.is_ascii_whitespace() && !matches!(b, b'=' | b'>' | b'/')) {
                i += 1;
            }
            let attribute = html[start..i].to_ascii_lowercase();
            while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
                i += 1;
            }
            if bytes.get(i) != Some(&b'=') {
                continue;
            }
            i += 1;
            while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
                i += 1;
            }
            let value = if let Some(q @ (b'"' | b'\'')) = bytes.get(i) {
                let Some(len) = memchr::memchr(*q, &bytes[i + 1..]) else { return finish(out, html, copied) };
                let value = i + 1..i + 1 + len;
                i = value.end + 1;
                value
            } else {
                let start = i;
                while bytes.get(i).is_some_and(|b| !b.is_ascii_whitespace() && *b != b'>') {
                    i += 1;
                }
                start..i
            };
            if !attributes.contains(&attribute.as_str()) {
                continue;
            }
            let url = html[value.clone()].replace("&amp;", "&");
            if let Some(new) = resolve(&url, value.clone(), &name) {
                out.push_str(&html[copied..value.start]);
                out.push_str(&escape(&new));
                copied = value.end;
            }
        }
    }
    finish(out, html, copied)
}

fn finish(mut out: String, html: &str, copied: usize) -> Option<String> {
    if copied == 0 {
        return None;
    }
    out.push_str(&html[copied..]);
    Some(out)
}

/// Reports links and images that Markdown left as text because their path has a space
/// (`![logo](images/Acme Logo.png)`), which would otherwise show on the page as written.
pub(crate) fn unparsed(page: &Page, events: &[(Event<'_>, Range<usize>)], diags: &mut Vec<Diagnostic>) {
    let mut in_code = false;
    let mut i = 0;
    while i < events.len() {
        match &events[i].0 {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(_) if !in_code => {
                // A run of text events: Markdown splits text at `[`, `]` and `!`.
                let run_end =
                    events[i..].iter().position(|(e, _)| !matches!(e, Event::Text(_))).map_or(events.len(), |n| i + n);
                let run = &events[i..run_end];
                if run.iter().any(|(e, _)| matches!(e, Event::Text(t) if t.contains('('))) {
                    let text: String =
                        run.iter().map(|(e, _)| if let Event::Text(t) = e { t.as_ref() } else { "" }).collect();
                    let source = run[0].1.start..run[run.len() - 1].1.end;
                    for (written, is_image, dest) in spaced_paths(&text) {
                        let at = page
                            .text
                            .get(source.clone())
                            .and_then(|src| src.find(&written))
                            .map_or(source.start, |o| source.start + o);
                        let what = if is_image { "image" } else { "link" };
                        let fixed = written.replacen(&format!("({dest}"), &format!("(<{dest}>"), 1);
                        diags.push(
                            Diagnostic::error(
                                &page.path,
                                Some(at..at + written.len()),
                                format!("this {what} shows as plain text: its path `{dest}` has a space"),
                            )
                            .with_hint(format!(
                                "put the path in angle brackets, like {fixed}, or rename the file without spaces"
                            )),
                        );
                    }
                }
                i = run_end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
}

/// Each `[label](path with spaces)` or `![alt](…)` in text that Markdown did not take as a
/// link: the text as written, whether it is an image, and the path.
fn spaced_paths(text: &str) -> Vec<(String, bool, String)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find("](").map(|n| from + n) {
        from = at + 2;
        let Some(open) = text[..at].rfind('[') else { continue };
        if text[open + 1..at].contains(']') {
            continue;
        }
        let Some(close) = text[at + 2..].find(')').map(|n| at + 2 + n) else { continue };
        let inner = text[at + 2..close].trim();
        let Some((path, rest)) = inner.split_once(char::is_whitespace) else { continue };
        // `[a](b "title")` is a link with a title; `<…>` paths may hold spaces.
        let rest = rest.trim_start();
        if path.starts_with('<') || rest.starts_with(['"', '\'', '(']) {
            continue;
        }
        let is_image = open > 0 && text.as_bytes()[open - 1] == b'!';
        let start = if is_image { open - 1 } else { open };
        found.push((text[start..=close].to_string(), is_image, inner.to_string()));
        from = close + 1;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewrites(html: &str) -> (Option<String>, Vec<(String, bool)>) {
        let mut seen = Vec::new();
        let out = rewrite_raw(html, |url, range, element| {
            assert_eq!(&html[range], url.replace('&', "&amp;"));
            seen.push((url.to_string(), element == "a"));
            url.contains(".md").then(|| url.replace(".md", ".html"))
        });
        (out, seen)
    }

    #[test]
    fn raw_html_urls_are_found_in_every_quoting() {
        let (out, seen) = rewrites(
            "<p><a class=x href=\"a.md\">A</a> <IMG SRC='i.png' alt=\"<\"> <video\n  poster=p.png src=v.mp4></video>\
             <source src=\"s.md?x=1&amp;y=2\"> <abbr href=\"no.md\"> <a name=\"n\" href>",
        );
        let urls: Vec<&str> = seen.iter().map(|(u, _)| u.as_str()).collect();
        assert_eq!(urls, ["a.md", "i.png", "p.png", "v.mp4", "s.md?x=1&y=2"]);
        assert_eq!(seen.iter().filter(|(_, link)| *link).count(), 1);
        let out = out.expect("rewritten");
        assert!(out.contains("<a class=x href=\"a.html\">"), "{out}");
        assert!(out.contains("src=\"s.html?x=1&amp;y=2\""), "{out}");
        assert!(out.contains("<abbr href=\"no.md\">"), "{out}");
    }

    #[test]
    fn html_without_urls_to_change_is_left_alone() {
        assert_eq!(rewrites("<div><a href=\"https://x\">x</a></div>").0, None);
        assert_eq!(rewrites("<a href=\"unclosed.md").0, None);
        assert_eq!(rewrites("a < b and <").0, None);
    }

    #[test]
    fn spaced_paths_are_found_and_titles_are_not() {
        let found = spaced_paths("See ![logo](images/Acme Logo.png) and [guide](Our Guide.md).");
        assert_eq!(found.len(), 2);
        assert_eq!(found[0], ("![logo](images/Acme Logo.png)".to_string(), true, "images/Acme Logo.png".to_string()));
        assert!(!found[1].1);
        assert!(spaced_paths("[a](b.md \"title\") [c](<d e.md>) [f] (g h) (x) [y]").is_empty());
    }
}
