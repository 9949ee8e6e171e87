//! Render: HTML text escaping, for content and attribute values.

/// Escapes text for HTML content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    // The characters to escape are ASCII: copy the runs between them whole.
    while let Some(i) = rest.bytes().position(|b| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'')) {
        out.push_str(&rest[..i]);
        out.push_str(match rest.as_bytes()[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        });
        rest = &rest[i + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_replaces_the_five_characters_only() {
        assert_eq!(escape(""), "");
        assert_eq!(escape("plain café 日本"), "plain café 日本");
        assert_eq!(
            escape("<a href=\"x\">Tom & 'Jé'</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jé&#39;&lt;/a&gt;"
        );
        assert_eq!(escape("&&"), "&amp;&amp;");
    }
}
