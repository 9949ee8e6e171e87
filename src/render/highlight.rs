//! Render stage: build-time syntax highlighting with syntect. Code gets CSS classes (prefix
//! `hl-`), never inline colours, so one generated stylesheet serves light and dark modes.

use syntect::highlighting::ThemeSet;
use syntect::html::{css_for_theme_with_class_style, ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

use super::html::escape;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Syntax definitions, loaded once per build and shared by every page.
pub(crate) struct Highlighter {
    syntaxes: SyntaxSet,
}

impl Default for Highlighter {
    fn default() -> Self {
        Self::new()
    }
}

impl Highlighter {
    /// Loads the bundled syntax definitions.
    pub(crate) fn new() -> Self {
        Self { syntaxes: SyntaxSet::load_defaults_newlines() }
    }

    /// `<pre class="code">` HTML for `code` in language `lang` (a fence info word such as
    /// `rust`, `py` or `yaml`). Unknown languages are shown as escaped plain text.
    pub(crate) fn highlight(&self, lang: &str, code: &str) -> String {
        let lang_attr = if lang.is_empty() { String::new() } else { format!(" data-lang=\"{}\"", escape(lang)) };
        let syntax = if lang.is_empty() { None } else { self.syntaxes.find_syntax_by_token(lang) };
        let body = syntax.and_then(|syntax| {
            let mut gen = ClassedHTMLGenerator::new_with_class_style(syntax, &self.syntaxes, CLASS_STYLE);
            for line in LinesWithEndings::from(code) {
                gen.parse_html_for_line_which_includes_newline(line).ok()?;
            }
            Some(gen.finalize())
        });
        let body = body.unwrap_or_else(|| escape(code));
        format!("<pre class=\"code\"{lang_attr}><code>{body}</code></pre>\n")
    }

    /// The stylesheet for highlighted code: a light theme, and a dark one for dark mode.
    pub(crate) fn css() -> String {
        let themes = ThemeSet::load_defaults();
        let light =
            themes.themes.get("InspiredGitHub").and_then(|t| css_for_theme_with_class_style(t, CLASS_STYLE).ok());
        let dark =
            themes.themes.get("base16-ocean.dark").and_then(|t| css_for_theme_with_class_style(t, CLASS_STYLE).ok());
        let mut css = String::from("/* Code highlighting: light, then dark under prefers-color-scheme. */\n");
        css.push_str(&strip_backgrounds(&light.unwrap_or_default()));
        css.push_str("@media (prefers-color-scheme: dark) {\n");
        css.push_str(&strip_backgrounds(&dark.unwrap_or_default()));
        css.push_str("}\n");
        css
    }
}

/// Drops the themes' page background so the theme's own `pre.code` background shows through
/// (the themes' colours were chosen for their own backgrounds, which the site replaces with
/// close equivalents in skillbook.css).
fn strip_backgrounds(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    for line in css.lines().filter(|l| !l.trim_start().starts_with("background-color")) {
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_language_gets_classes() {
        let html = Highlighter::new().highlight("python", "def f():\n    return 1\n");
        assert!(html.starts_with("<pre class=\"code\" data-lang=\"python\"><code>"));
        assert!(html.contains("class=\"hl-"), "{html}");
    }

    #[test]
    fn unknown_language_is_escaped_text() {
        let html = Highlighter::new().highlight("nonsense", "<b>&</b>");
        assert_eq!(html, "<pre class=\"code\" data-lang=\"nonsense\"><code>&lt;b&gt;&amp;&lt;/b&gt;</code></pre>\n");
    }

    #[test]
    fn css_has_both_schemes() {
        let css = Highlighter::css();
        assert!(css.contains(".hl-"));
        assert!(css.contains("prefers-color-scheme: dark"));
    }
}
