//! Diagnostics: problems found in the author's content, collected across a whole run and
//! printed together. Spans are byte ranges into the file; they become 1-based line:column
//! only when printed.

use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Severity {
    /// Stops the build (exit code 1).
    Error,
    /// Reported; stops the build only with `--strict`.
    Warning,
}

/// One problem in one file, at one place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Diagnostic {
    /// Error or warning.
    pub(crate) severity: Severity,
    /// Path of the file, relative to the site folder.
    pub(crate) path: PathBuf,
    /// Byte range in the file; `None` when the problem is the file as a whole.
    pub(crate) span: Option<Range<usize>>,
    /// What is wrong, without a trailing period.
    pub(crate) message: String,
    /// How to fix it.
    pub(crate) hint: Option<String>,
}

impl Diagnostic {
    /// An error at `span` of `path`.
    pub(crate) fn error(path: impl Into<PathBuf>, span: Option<Range<usize>>, message: impl Into<String>) -> Self {
        Self { severity: Severity::Error, path: path.into(), span, message: message.into(), hint: None }
    }

    /// A warning at `span` of `path`.
    pub(crate) fn warning(path: impl Into<PathBuf>, span: Option<Range<usize>>, message: impl Into<String>) -> Self {
        Self { severity: Severity::Warning, ..Self::error(path, span, message) }
    }

    /// Adds a hint on how to fix the problem.
    #[must_use]
    pub(crate) fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Moves the span by `offset` bytes (for text parsed out of a larger file).
    #[must_use]
    pub(crate) fn offset(mut self, offset: usize) -> Self {
        self.span = self.span.map(|s| s.start + offset..s.end + offset);
        self
    }
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].trim_end_matches('\r').chars().count() + 1;
    (line, col)
}

/// Returns a "did you mean" hint when `word` is close to one of `known`.
pub(crate) fn did_you_mean<'a>(word: &str, known: impl IntoIterator<Item = &'a str>) -> Option<String> {
    known
        .into_iter()
        .map(|k| (strsim::jaro_winkler(word, k), k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| format!("did you mean `{k}`?"))
}

/// Sorts diagnostics by file and position so output is stable.
pub(crate) fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (&a.path, a.span.as_ref().map(|s| s.start), a.severity, &a.message).cmp(&(
            &b.path,
            b.span.as_ref().map(|s| s.start),
            b.severity,
            &b.message,
        ))
    });
}

/// Renders diagnostics for people.
pub(crate) struct Printer<'a> {
    /// Site folder, to read the source of files for positions and snippets.
    pub(crate) root: &'a Path,
    /// Show a source snippet under each message (on a terminal).
    pub(crate) snippets: bool,
    /// Use colour.
    pub(crate) color: bool,
}

impl Printer<'_> {
    /// Formats one diagnostic: `path:line:col: error: message`, then the help line.
    /// With `snippets`, the rustc-style form with the source line and a caret.
    pub(crate) fn format(&self, d: &Diagnostic) -> String {
        let source = std::fs::read(self.root.join(&d.path)).ok().map(|b| String::from_utf8_lossy(&b).into_owned());
        self.format_source(d, source.as_deref())
    }

    /// `format` with the text of the diagnostic's file already at hand.
    pub(crate) fn format_source(&self, d: &Diagnostic, source: Option<&str>) -> String {
        let shown = d.path.display().to_string();
        let (line, col) = match (source, &d.span) {
            (Some(text), Some(span)) => line_col(text, span.start),
            _ => (1, 1),
        };
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        if self.snippets {
            if let (Some(text), Some(span)) = (source, &d.span) {
                return self.snippet(d, text, span.clone(), &shown);
            }
        }
        let mut out = format!("{shown}:{line}:{col}: {level}: {}\n", d.message);
        if let Some(hint) = &d.hint {
            let _ = writeln!(out, "  = help: {hint}");
        }
        out
    }

    /// The plain form with the source lines under it, numbered and marked with carets, for a
    /// page (the preview server's overlay and author bar): the first line stays
    /// `path:line:col: level: message`, which people search and tests match.
    pub(crate) fn format_with_excerpt(&self, d: &Diagnostic) -> String {
        let source = std::fs::read(self.root.join(&d.path)).ok().map(|b| String::from_utf8_lossy(&b).into_owned());
        let plain = Printer { snippets: false, ..*self }.format_source(d, source.as_deref());
        let (Some(text), Some(span)) = (source.as_deref(), &d.span) else {
            return plain;
        };
        let (head, help) = plain.split_once('\n').unwrap_or((&plain, ""));
        format!("{head}\n{}{help}", excerpt(text, span.clone()))
    }

    fn snippet(&self, d: &Diagnostic, text: &str, span: Range<usize>, origin: &str) -> String {
        use annotate_snippets::{Level, Renderer, Snippet};
        let level = match d.severity {
            Severity::Error => Level::Error,
            Severity::Warning => Level::Warning,
        };
        // Spans may fall inside a character (an invalid byte shown as U+FFFD): widen them to
        // whole characters, which the renderer requires.
        let floor = |mut i: usize| {
            i = i.min(text.len());
            while !text.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        let ceil = |mut i: usize| {
            i = i.min(text.len());
            while !text.is_char_boundary(i) {
                i += 1;
            }
            i
        };
        let from = floor(span.start);
        let to = ceil(span.end.max(from + 1));
        let (line, _) = line_col(text, from);
        // Show only the lines the span touches: the renderer works on that slice.
        let start = text[..from].rfind('\n').map_or(0, |i| i + 1);
        let end = text[to..].find('\n').map_or(text.len(), |i| to + i);
        let slice = &text[start..end];
        let local = from - start..to - start;
        let message = level
            .title(&d.message)
            .snippet(Snippet::source(slice).line_start(line).origin(origin).fold(false).annotation(level.span(local)));
        let message = match &d.hint {
            Some(hint) => message.footer(Level::Help.title(hint)),
            None => message,
        };
        let renderer = if self.color { Renderer::styled() } else { Renderer::plain() };
        format!("{}\n", renderer.render(message))
    }
}

/// The lines `span` touches (at most three), each as `N | text`, the first with carets
/// under the span.
fn excerpt(text: &str, span: Range<usize>) -> String {
    let floor = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let from = floor(span.start);
    let to = floor(span.end).max(from);
    let (first, _) = line_col(text, from);
    let start = text[..from].rfind('\n').map_or(0, |i| i + 1);
    let end = text[to..].find('\n').map_or(text.len(), |i| to + i);
    let lines: Vec<&str> = text[start..end].split('\n').map(|l| l.trim_end_matches('\r')).take(3).collect();
    let width = (first + lines.len() - 1).to_string().len();
    let mut out = format!("{:width$} |\n", "");
    for (i, line) in lines.iter().enumerate() {
        let _ = writeln!(out, "{:>width$} | {line}", first + i);
        if i == 0 {
            let lead = text[start..from].chars().count();
            let line_end = start + line.len();
            let marked = text[from..to.min(line_end).max(from)].chars().count().max(1);
            let _ = writeln!(out, "{:width$} | {}{}", "", " ".repeat(lead), "^".repeat(marked));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_form_keeps_the_located_line_and_shows_the_source_under_it() {
        let tmp = tempfile::tempdir().expect("tempdir");
        std::fs::write(tmp.path().join("a.md"), "line one\nsee [x](gone.md)\nlast\n").expect("write");
        let d = Diagnostic::warning("a.md", Some(13..25), "link target `gone.md` does not exist").with_hint("check it");
        let out = Printer { root: tmp.path(), snippets: false, color: false }.format_with_excerpt(&d);
        assert_eq!(
            out,
            "a.md:2:5: warning: link target `gone.md` does not exist\n  |\n2 | see [x](gone.md)\n  |     ^^^^^^^^^^^^\n  = help: check it\n"
        );
        let whole = Diagnostic::error("a.md", None, "no span");
        assert_eq!(
            Printer { root: tmp.path(), snippets: false, color: false }.format_with_excerpt(&whole),
            "a.md:1:1: error: no span\n"
        );
    }

    #[test]
    fn line_col_counts_from_one() {
        assert_eq!(line_col("abc", 0), (1, 1));
        assert_eq!(line_col("ab\ncd", 3), (2, 1));
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
    }

    #[test]
    fn line_col_handles_crlf_and_multibyte() {
        assert_eq!(line_col("a\r\nbé x", 7), (2, 4));
        // An offset inside a multibyte character snaps back to its start.
        assert_eq!(line_col("é", 1), (1, 1));
        assert_eq!(line_col("abc", 99), (1, 4));
    }

    #[test]
    fn plain_and_snippet_forms() {
        let tmp = tempfile::tempdir().expect("tempdir");
        std::fs::write(tmp.path().join("a.md"), "line one\nsee [x](gone.md)\n").expect("write");
        let d = Diagnostic::error("a.md", Some(13..25), "link target `gone.md` does not exist").with_hint("check it");
        let plain = Printer { root: tmp.path(), snippets: false, color: false }.format(&d);
        assert_eq!(plain, "a.md:2:5: error: link target `gone.md` does not exist\n  = help: check it\n");
        let snippet = Printer { root: tmp.path(), snippets: true, color: false }.format(&d);
        assert!(snippet.contains(" --> a.md:2:5\n"), "{snippet}");
        assert!(snippet.contains("2 | see [x](gone.md)\n"), "{snippet}");
        assert!(snippet.contains("  |     ^^^^^^^^^^^^\n"), "{snippet}");
        assert!(snippet.contains("= help: check it"), "{snippet}");
    }

    #[test]
    fn snippet_survives_spans_inside_replaced_bytes() {
        let tmp = tempfile::tempdir().expect("tempdir");
        std::fs::write(tmp.path().join("a.md"), b"ok \xff\xfe end").expect("write");
        for span in [3..4, 4..5, 3..99, 99..100] {
            let d = Diagnostic::error("a.md", Some(span), "file is not valid UTF-8");
            let out = Printer { root: tmp.path(), snippets: true, color: false }.format(&d);
            assert!(out.contains("a.md:1:"), "{out}");
        }
    }

    #[test]
    fn snippet_never_panics_on_any_span() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let text = "é\r\n傾聴 x\n\n\u{1F600}";
        std::fs::write(tmp.path().join("a.md"), text).expect("write");
        let printer = Printer { root: tmp.path(), snippets: true, color: true };
        for a in 0..=text.len() + 1 {
            for b in a..=text.len() + 1 {
                let _ = printer.format(&Diagnostic::error("a.md", Some(a..b), "m").with_hint("h"));
            }
        }
    }

    #[test]
    fn suggests_close_keys_only() {
        assert_eq!(did_you_mean("titel", ["title", "summary"]).as_deref(), Some("did you mean `title`?"));
        assert_eq!(did_you_mean("zzz", ["title", "summary"]), None);
    }
}
