//! Model stage: typed reading of a spanned TOML/YAML table, turning every wrong key or type
//! into a diagnostic that points at the offending bytes of the original file.

use std::ops::Range;
use std::path::Path;

use crate::diagnostic::{did_you_mean, Diagnostic, Severity};
use crate::load::value::{Entry, Node, Value};

/// A value together with the byte range it came from (already offset into the file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Spanned<T> {
    /// The value.
    pub(crate) value: T,
    /// Byte range in the file.
    pub(crate) span: Range<usize>,
}

/// Reads fields of one table of one file, collecting diagnostics.
pub(crate) struct Reader<'a> {
    path: &'a Path,
    offset: usize,
    /// Diagnostics found while reading.
    pub(crate) diags: &'a mut Vec<Diagnostic>,
}

impl<'a> Reader<'a> {
    /// A reader for text that starts `offset` bytes into the file at `path`.
    pub(crate) fn new(path: &'a Path, offset: usize, diags: &'a mut Vec<Diagnostic>) -> Self {
        Self { path, offset, diags }
    }

    /// Path of the file being read.
    pub(crate) fn path(&self) -> &Path {
        self.path
    }

    /// Byte range in the file of a span in the parsed text.
    pub(crate) fn span(&self, span: &Range<usize>) -> Range<usize> {
        span.start + self.offset..span.end + self.offset
    }

    /// Records an error at `span` (in parsed-text coordinates).
    pub(crate) fn error(&mut self, span: &Range<usize>, message: impl Into<String>, hint: Option<String>) {
        let mut d = Diagnostic::error(self.path, Some(self.span(span)), message);
        d.hint = hint;
        self.diags.push(d);
    }

    /// Reports keys of `entries` not in `known`, with a "did you mean" hint.
    pub(crate) fn unknown_keys(&mut self, entries: &[Entry], known: &[&str], what: &str, severity: Severity) {
        for e in entries.iter().filter(|e| !known.contains(&e.key.as_str())) {
            let hint = did_you_mean(&e.key, known.iter().copied())
                .unwrap_or_else(|| format!("known keys are: {}", known.join(", ")));
            let message = format!("unknown key `{}` in {what}", e.key);
            let mut d = match severity {
                Severity::Error => Diagnostic::error(self.path, Some(self.span(&e.key_span)), message),
                Severity::Warning => Diagnostic::warning(self.path, Some(self.span(&e.key_span)), message),
            };
            d.hint = Some(hint);
            self.diags.push(d);
        }
    }

    /// An optional string field.
    pub(crate) fn string(&mut self, entries: &[Entry], key: &str) -> Option<Spanned<String>> {
        let node = get(entries, key)?;
        match &node.value {
            Value::String(s) => Some(Spanned { value: s.clone(), span: self.span(&node.span) }),
            other => {
                self.type_error(node, key, "a string in quotes", other);
                None
            }
        }
    }

    /// An optional whole-number field within `min..=max`.
    pub(crate) fn integer(&mut self, entries: &[Entry], key: &str, min: i64, max: i64) -> Option<Spanned<i64>> {
        let node = get(entries, key)?;
        match &node.value {
            Value::Integer(n) if (min..=max).contains(n) => Some(Spanned { value: *n, span: self.span(&node.span) }),
            Value::Integer(n) => {
                let hint = format!("use a whole number from {min} to {max}");
                self.error(&node.span, format!("`{key}` is {n}, outside {min}..={max}"), Some(hint));
                None
            }
            other => {
                self.type_error(node, key, "a whole number", other);
                None
            }
        }
    }

    /// An optional `true`/`false` field.
    pub(crate) fn boolean(&mut self, entries: &[Entry], key: &str) -> Option<Spanned<bool>> {
        let node = get(entries, key)?;
        match &node.value {
            Value::Bool(b) => Some(Spanned { value: *b, span: self.span(&node.span) }),
            other => {
                self.type_error(node, key, "true or false", other);
                None
            }
        }
    }

    /// An optional list of strings.
    pub(crate) fn strings(&mut self, entries: &[Entry], key: &str) -> Option<Vec<Spanned<String>>> {
        let node = get(entries, key)?;
        let Value::Array(items) = &node.value else {
            self.type_error(node, key, "a list of strings, like [\"a\", \"b\"]", &node.value);
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            match &item.value {
                Value::String(s) => out.push(Spanned { value: s.clone(), span: self.span(&item.span) }),
                other => self.type_error(item, key, "a list of strings", other),
            }
        }
        Some(out)
    }

    /// The tables of an array of tables (`[[key]]`).
    pub(crate) fn tables<'n>(&mut self, entries: &'n [Entry], key: &str) -> Vec<(&'n [Entry], Range<usize>)> {
        let Some(node) = get(entries, key) else {
            return Vec::new();
        };
        let Value::Array(items) = &node.value else {
            self.type_error(node, key, &format!("a list of tables, written [[{key}]]"), &node.value);
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items {
            match &item.value {
                Value::Table(t) => out.push((t.as_slice(), item.span.clone())),
                other => self.type_error(item, key, &format!("a table, written [[{key}]]"), other),
            }
        }
        out
    }

    /// An optional table (`[key]`).
    pub(crate) fn table<'n>(&mut self, entries: &'n [Entry], key: &str) -> Option<&'n [Entry]> {
        let node = get(entries, key)?;
        match &node.value {
            Value::Table(t) => Some(t),
            other => {
                self.type_error(node, key, &format!("a table, written [{key}]"), other);
                None
            }
        }
    }

    /// Records that `key` holds `found` where `expected` was needed.
    pub(crate) fn type_error(&mut self, node: &Node, key: &str, expected: &str, found: &Value) {
        let message = format!("`{key}` must be {expected}, found {}", found.kind());
        let example = if expected.starts_with("a string") {
            format!("{key} = \"…\" in TOML, {key}: … in YAML")
        } else if expected.starts_with("a whole number") {
            format!("{key} = 2")
        } else if expected.starts_with("true or false") {
            format!("{key} = true")
        } else if expected.starts_with("a list of strings") {
            format!("{key} = [\"a\", \"b\"]")
        } else {
            expected.to_string()
        };
        self.error(&node.span, message, Some(format!("write it like {example}")));
    }
}

/// The value of `key` in `entries`.
pub(crate) fn get<'n>(entries: &'n [Entry], key: &str) -> Option<&'n Node> {
    entries.iter().find(|e| e.key == key).map(|e| &e.node)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::value::parse_toml;

    fn entries(text: &str) -> Vec<Entry> {
        match parse_toml(text).expect("valid").value {
            Value::Table(t) => t,
            _ => unreachable!(),
        }
    }

    #[test]
    fn type_errors_point_at_the_value() {
        let text = "order = \"two\"\n";
        let e = entries(text);
        let mut diags = Vec::new();
        let mut r = Reader::new(Path::new("x.md"), 4, &mut diags);
        assert_eq!(r.integer(&e, "order", 0, 10), None);
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].span, Some(12..17));
        assert!(diags[0].message.contains("whole number"));
    }

    #[test]
    fn unknown_keys_get_a_suggestion() {
        let e = entries("titel = \"A\"\n");
        let mut diags = Vec::new();
        Reader::new(Path::new("x.md"), 0, &mut diags).unknown_keys(&e, &["title"], "front matter", Severity::Warning);
        assert_eq!(diags[0].hint.as_deref(), Some("did you mean `title`?"));
        assert_eq!(diags[0].severity, Severity::Warning);
    }
}
