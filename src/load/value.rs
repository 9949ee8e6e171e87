//! Load stage: TOML and YAML documents parsed into one spanned tree, so the model can check
//! keys and types and point at the exact byte range of a mistake in either format.

use std::ops::Range;

/// A parsed value and the byte range it came from.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    /// The value.
    pub(crate) value: Value,
    /// Byte range in the parsed text.
    pub(crate) span: Range<usize>,
}

/// A TOML or YAML value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    /// A string.
    String(String),
    /// A whole number.
    Integer(i64),
    /// A floating-point number.
    Float(f64),
    /// `true` or `false`.
    Bool(bool),
    /// A date or time, kept as written.
    Datetime(String),
    /// A list.
    Array(Vec<Node>),
    /// A table (mapping), entries in source order.
    Table(Vec<Entry>),
    /// YAML's `~` or an empty value.
    Null,
}

/// One key of a table.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Entry {
    /// The key.
    pub(crate) key: String,
    /// Byte range of the key.
    pub(crate) key_span: Range<usize>,
    /// The value.
    pub(crate) node: Node,
}

/// A syntax error, positioned in the parsed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParseError {
    /// Where the parser gave up.
    pub(crate) span: Range<usize>,
    /// The parser's message, or for a mistake recognised below, one in the writer's words.
    pub(crate) message: String,
    /// How to fix a recognised mistake; then `message` needs no prefix.
    pub(crate) hint: Option<String>,
}

/// The byte range of the line of `text` holding byte `at`, without its line break.
fn line_at(text: &str, at: usize) -> Range<usize> {
    let at = at.min(text.len());
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    start..end.max(start)
}

/// Curly quotes on the line of a TOML error: word processors and phones type them, and TOML
/// does not take them as quotes.
fn curly_quotes(text: &str, e: ParseError) -> ParseError {
    let line = line_at(text, e.span.start);
    let written = text[line.clone()].trim_end_matches('\r');
    let Some((at, quote)) =
        written.char_indices().find(|(_, c)| matches!(c, '\u{201c}' | '\u{201d}' | '\u{2018}' | '\u{2019}'))
    else {
        return e;
    };
    let fixed: String = written
        .chars()
        .map(|c| match c {
            '\u{201c}' | '\u{201d}' => '"',
            '\u{2018}' | '\u{2019}' => '\'',
            c => c,
        })
        .collect();
    let start = line.start + at;
    ParseError {
        span: start..start + quote.len_utf8(),
        message: format!("`{quote}` is a curly quote; TOML needs straight quotes"),
        hint: Some(format!("type straight quotes (your editor may have curled them): {}", fixed.trim())),
    }
}

/// A YAML value holding `: ` without quotes (`title: Step 2: reply`), which YAML reads as a
/// second key on the same line.
fn colon_in_value(text: &str, e: ParseError) -> ParseError {
    let line = line_at(text, e.span.start);
    let written = text[line.clone()].trim_end_matches('\r');
    let indent = written.len() - written.trim_start().len();
    let Some((key, value)) = written.trim_start().split_once(": ") else {
        return e;
    };
    let value = value.trim();
    let plain_key = !key.is_empty() && key.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    if !plain_key
        || value.starts_with(['"', '\'', '[', '{', '|', '>'])
        || !(value.contains(": ") || value.ends_with(':'))
    {
        return e;
    }
    let start = line.start + indent + key.len() + 2;
    let quoted = value.replace('\\', "\\\\").replace('"', "\\\"");
    ParseError {
        span: start..start + value.len(),
        message: format!("the value of `{key}` has a colon in it, which YAML reads as the start of another key"),
        hint: Some(format!("put the value in quotes: {key}: \"{quoted}\"")),
    }
}

impl Value {
    /// The name of this value's type, as an author would say it.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Self::String(_) => "a string",
            Self::Integer(_) => "a whole number",
            Self::Float(_) => "a decimal number",
            Self::Bool(_) => "true/false",
            Self::Datetime(_) => "a date",
            Self::Array(_) => "a list",
            Self::Table(_) => "a table",
            Self::Null => "nothing",
        }
    }
}

/// Parses a TOML document.
pub(crate) fn parse_toml(text: &str) -> Result<Node, ParseError> {
    use toml::de::DeTable;
    let table = DeTable::parse(text).map_err(|e| {
        let e = ParseError { span: e.span().unwrap_or(0..0), message: e.message().trim().to_string(), hint: None };
        curly_quotes(text, e)
    })?;
    let span = table.span();
    Ok(Node { value: toml_table(table.get_ref()), span })
}

fn toml_table(table: &toml::de::DeTable<'_>) -> Value {
    let mut entries: Vec<Entry> = table
        .iter()
        .map(|(k, v)| Entry { key: k.get_ref().to_string(), key_span: k.span(), node: toml_node(v) })
        .collect();
    entries.sort_by_key(|e| e.key_span.start);
    Value::Table(entries)
}

fn toml_node(v: &toml::Spanned<toml::de::DeValue<'_>>) -> Node {
    use toml::de::DeValue;
    let value = match v.get_ref() {
        DeValue::String(s) => Value::String(s.to_string()),
        DeValue::Integer(i) => match i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()) {
            Ok(n) => Value::Integer(n),
            Err(_) => Value::Float(f64::NAN),
        },
        DeValue::Float(f) => Value::Float(f.as_str().replace('_', "").parse().unwrap_or(f64::NAN)),
        DeValue::Boolean(b) => Value::Bool(*b),
        DeValue::Datetime(d) => Value::Datetime(d.to_string()),
        DeValue::Array(a) => Value::Array(a.iter().map(toml_node).collect()),
        DeValue::Table(t) => toml_table(t),
    };
    Node { value, span: v.span() }
}

/// Parses a YAML document. YAML parsers keep no spans of values, so each key is located by
/// searching the text for it at the start of a line; values share their key's span.
pub(crate) fn parse_yaml(text: &str) -> Result<Node, ParseError> {
    let value: serde_yaml_ng::Value = serde_yaml_ng::from_str(text).map_err(|e| {
        let at = e.location().map_or(0, |l| l.index());
        colon_in_value(text, ParseError { span: at..at, message: e.to_string(), hint: None })
    })?;
    let mut cursor = 0;
    Ok(Node { value: yaml_value(&value, text, &mut cursor), span: 0..text.len() })
}

fn yaml_value(v: &serde_yaml_ng::Value, text: &str, cursor: &mut usize) -> Value {
    use serde_yaml_ng::Value as Y;
    match v {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(*b),
        Y::Number(n) => n.as_i64().map_or_else(|| Value::Float(n.as_f64().unwrap_or(f64::NAN)), Value::Integer),
        Y::String(s) => Value::String(s.clone()),
        Y::Sequence(items) => {
            let at = *cursor;
            Value::Array(items.iter().map(|i| Node { value: yaml_value(i, text, cursor), span: at..at }).collect())
        }
        Y::Mapping(map) => Value::Table(
            map.iter()
                .map(|(k, v)| {
                    let key = match k {
                        Y::String(s) => s.clone(),
                        other => serde_yaml_ng::to_string(other).unwrap_or_default().trim().to_string(),
                    };
                    let key_span = find_yaml_key(text, &key, *cursor);
                    *cursor = key_span.end;
                    let node = Node { value: yaml_value(v, text, cursor), span: key_span.clone() };
                    Entry { key, key_span, node }
                })
                .collect(),
        ),
        Y::Tagged(t) => yaml_value(&t.value, text, cursor),
    }
}

/// Finds `key:` at the start of a line (after indentation or `- `) at or after `from`.
fn find_yaml_key(text: &str, key: &str, from: usize) -> Range<usize> {
    let mut line_start = text[..from.min(text.len())].rfind('\n').map_or(0, |i| i + 1);
    while line_start < text.len() {
        let line_end = text[line_start..].find('\n').map_or(text.len(), |i| line_start + i);
        let line = &text[line_start..line_end];
        let trimmed = line.trim_start_matches([' ', '-', '\t']);
        let indent = line.len() - trimmed.len();
        for quoted in [key.to_string(), format!("\"{key}\""), format!("'{key}'")] {
            if trimmed.starts_with(&quoted) && trimmed[quoted.len()..].trim_start().starts_with(':') {
                let start = line_start + indent;
                if start >= from {
                    return start..start + quoted.len();
                }
            }
        }
        line_start = line_end + 1;
    }
    from.min(text.len())..from.min(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(node: &Node) -> &[Entry] {
        match &node.value {
            Value::Table(t) => t,
            other => panic!("not a table: {other:?}"),
        }
    }

    #[test]
    fn toml_keeps_key_and_value_spans() {
        let text = "title = \"Hi\"\norder = 2\n";
        let doc = parse_toml(text).expect("valid");
        let entries = table(&doc);
        assert_eq!(entries[0].key, "title");
        assert_eq!(&text[entries[1].key_span.clone()], "order");
        assert_eq!(entries[1].node.value, Value::Integer(2));
        assert_eq!(&text[entries[0].node.span.clone()], "\"Hi\"");
    }

    #[test]
    fn toml_error_has_a_span() {
        let err = parse_toml("title = \n").expect_err("invalid");
        assert!(err.span.start <= 9, "{err:?}");
    }

    #[test]
    fn yaml_keys_are_located() {
        let text = "title: Hi\nroles:\n  - hr\norder: 3\n";
        let doc = parse_yaml(text).expect("valid");
        let entries = table(&doc);
        assert_eq!(&text[entries[2].key_span.clone()], "order");
        assert_eq!(entries[2].node.value, Value::Integer(3));
    }

    #[test]
    fn yaml_error_has_a_position() {
        let err = parse_yaml("title: [unclosed\n").expect_err("invalid");
        assert!(err.span.start > 0, "{err:?}");
    }
}
