//! Load stage: splits a Markdown file into its front matter (TOML between `+++` lines or
//! YAML between `---` lines) and its body, keeping byte offsets of both so every later
//! diagnostic points into the original file.

use std::ops::Range;

/// Which language the front matter is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// Between `+++` lines.
    Toml,
    /// Between `---` lines.
    Yaml,
}

/// A Markdown file cut in two.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Split {
    /// The front matter's language and byte range (between the fences), if there is one.
    pub(crate) front: Option<(Format, Range<usize>)>,
    /// Byte range of the Markdown body.
    pub(crate) body: Range<usize>,
}

/// A front-matter fence that is opened and never closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unclosed {
    /// Byte range of the opening fence.
    pub(crate) span: Range<usize>,
    /// The fence, `+++` or `---`.
    pub(crate) fence: &'static str,
}

/// Splits `text`. Blank lines and a byte-order mark before the front matter are allowed.
pub(crate) fn split(text: &str) -> Result<Split, Unclosed> {
    let mut pos = if text.starts_with('\u{feff}') { 3 } else { 0 };
    // Skip blank lines before the opening fence.
    loop {
        let line_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        if text[pos..line_end].trim().is_empty() && line_end < text.len() {
            pos = line_end + 1;
        } else {
            break;
        }
    }
    let first_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
    let first = text[pos..first_end].trim_end();
    let (format, fence) = match first {
        "+++" => (Format::Toml, "+++"),
        "---" => (Format::Yaml, "---"),
        _ => return Ok(Split { front: None, body: 0..text.len() }),
    };
    let open = pos..pos + 3;
    let start = (first_end + 1).min(text.len());
    let mut line_start = start;
    while line_start < text.len() {
        let line_end = text[line_start..].find('\n').map_or(text.len(), |i| line_start + i);
        if text[line_start..line_end].trim_end() == fence {
            let body_start = (line_end + 1).min(text.len());
            return Ok(Split { front: Some((format, start..line_start)), body: body_start..text.len() });
        }
        line_start = line_end + 1;
    }
    Err(Unclosed { span: open, fence })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_front_matter() {
        let text = "+++\ntitle = \"A\"\n+++\nBody\n";
        let s = split(text).expect("closed");
        let (format, range) = s.front.expect("front matter");
        assert_eq!(format, Format::Toml);
        assert_eq!(&text[range], "title = \"A\"\n");
        assert_eq!(&text[s.body], "Body\n");
    }

    #[test]
    fn yaml_after_blank_lines_and_no_body() {
        let text = "\n\n---\r\ntitle: A\r\n---";
        let s = split(text).expect("closed");
        let (format, range) = s.front.expect("front matter");
        assert_eq!(format, Format::Yaml);
        assert_eq!(&text[range], "title: A\r\n");
        assert!(s.body.is_empty());
    }

    #[test]
    fn no_front_matter_and_thematic_breaks_later() {
        let text = "# Title\n\n---\n";
        assert_eq!(split(text).expect("ok").front, None);
    }

    #[test]
    fn unclosed_fence() {
        let err = split("+++\ntitle = 1\n").expect_err("unclosed");
        assert_eq!(err.span, 0..3);
        assert_eq!(err.fence, "+++");
    }

    #[test]
    fn empty_file() {
        assert_eq!(split("").expect("ok"), Split { front: None, body: 0..0 });
    }
}
