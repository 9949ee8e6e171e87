//! Entry points for fuzz targets (`fuzz/`) and property tests: each feeds untrusted text to
//! one stage the way a build or the server would, and checks the invariants that stage
//! promises. A panic here is a bug in skillbook (that is what the fuzzer looks for); every
//! other problem must come back as diagnostics.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, Severity};
use crate::load::front_matter::{self, Format};
use crate::load::value::{parse_toml, parse_yaml};
use crate::load::{Sources, TextFile};
use crate::model::Page;
use crate::render::highlight::Highlighter;
use crate::render::markdown::{self, Env, Rendered};

/// Splits a Markdown file's front matter and parses it as TOML or YAML; ranges and error
/// spans stay inside the text.
///
/// # Panics
/// When skillbook breaks the invariant it checks: that is a bug.
pub fn front_matter(text: &str) {
    let Ok(split) = front_matter::split(text) else { return };
    assert!(text.get(split.body.clone()).is_some(), "body range {:?} is not on char boundaries", split.body);
    if let Some((format, range)) = split.front {
        let front = text.get(range.clone()).expect("invariant: front matter range is on char boundaries");
        let parsed = match format {
            Format::Toml => parse_toml(front),
            Format::Yaml => parse_yaml(front),
        };
        if let Err(e) = parsed {
            assert!(e.span.start <= e.span.end && e.span.end <= front.len(), "error span {:?} outside", e.span);
        }
    }
}

/// Reads `skillbook.toml`.
pub fn config(text: &str) {
    let mut diags = Vec::new();
    let _ = crate::model::config::read(Path::new("skillbook.toml"), text, &mut diags);
    check_spans(&diags, text);
}

/// Reads a quiz file (skillbook's format or mdbook-quiz's, told apart by their keys).
pub fn quiz(text: &str) {
    let mut diags = Vec::new();
    let path = PathBuf::from("content/modules/01-m/quiz.toml");
    let src = crate::model::quiz::Source { path: &path, text, offset: 0, id: "m/quiz".into() };
    let _ = crate::model::quiz::read(
        &src,
        crate::model::quiz::Defaults { pass_mark: 80, reveal: crate::model::quiz::Reveal::Always },
        &mut diags,
    );
    check_spans(&diags, text);
}

/// Parses a request path and maps it to an output file of a small fixed portal; a path
/// that resolves is always a file of the portal and never climbs out of it.
///
/// # Panics
/// When skillbook breaks the invariant it checks: that is a bug.
pub fn serve_path(url: &str) {
    let files = ["index.html", "modules/a/index.html", "modules/a/x.html", "assets/a b.css", "404.html"];
    let output =
        crate::render::Output { files: files.iter().map(|p| ((*p).to_string(), Arc::from(&b"x"[..]))).collect() };
    if let Ok(path) = crate::serve::http::resolve(&output, url) {
        assert!(output.files.contains_key(&path), "{url} resolved to {path}, not a file of the portal");
    }
}

/// Parses an HTTP request head (without the final blank line).
///
/// # Panics
/// When skillbook breaks the invariant it checks: that is a bug.
pub fn http_head(bytes: &[u8]) {
    if let Ok(request) = crate::serve::wire::parse_head(bytes) {
        assert!(!request.method.is_empty() && !request.target.contains(' '));
    }
}

/// Keeps what is expensive to set up (syntax definitions, compiled templates) between runs.
#[derive(Default)]
pub struct Harness {
    highlighter: Option<Highlighter>,
    render: crate::render::Incremental,
}

/// Content paths → output paths that links in `markdown` and `link` may reach.
const ROUTES: &[(&str, &str)] = &[
    ("index.md", "index.html"),
    ("modules/01-a/_module.md", "modules/a/index.html"),
    ("modules/01-a/01-x.md", "modules/a/x.html"),
    ("modules/01-a/02-y.md", "modules/a/y.html"),
    ("modules/01-a/img/p.png", "modules/a/img/p.png"),
    ("modules/02-b/01-z.md", "modules/b/z.html"),
    ("playbooks/answer.md", "playbooks/answer.html"),
];

impl Harness {
    fn with_env<T>(&mut self, f: impl FnOnce(&Page, &Env<'_>) -> T, text: &str) -> T {
        let routes: BTreeMap<String, String> =
            ROUTES.iter().map(|(k, v)| ((*k).to_string(), (*v).to_string())).collect();
        let embeds = BTreeMap::new();
        let highlighter = self.highlighter.get_or_insert_with(Highlighter::new);
        let env = Env { routes: &routes, highlighter, embeds: &embeds, outside: &BTreeMap::new() };
        let page = Page {
            path: "content/modules/01-a/01-x.md".into(),
            text: text.into(),
            body: 0..text.len(),
            out: "modules/a/x.html".into(),
        };
        f(&page, &env)
    }

    /// Renders a lesson's Markdown body (links rewritten and checked); returns the HTML.
    pub fn markdown(&mut self, text: &str) -> String {
        let mut diags = Vec::new();
        let rendered = self.with_env(|page, env| markdown::render(page, env, &mut diags), text);
        check_spans(&diags, text);
        rendered.html
    }

    /// Rewrites one link target as written in a lesson; a rewritten link is always relative.
    ///
    /// # Panics
    /// When skillbook breaks the invariant it checks: that is a bug.
    pub fn link(&mut self, url: &str) -> Option<String> {
        let mut diags = Vec::new();
        let href = self.with_env(
            |page, env| {
                let mut out = Rendered::default();
                markdown::resolve(page, env, url, &(0..0), "link", &mut out, &mut diags).href()
            },
            "",
        );
        if let Some(href) = &href {
            let path = href.split('#').next().unwrap_or("");
            assert!(!path.starts_with('/') && !path.contains(':'), "`{url}` was rewritten to `{href}`");
        }
        href
    }

    /// Builds a site held in memory as `serve` does, reusing what earlier calls rendered:
    /// `files` are site-relative paths (`skillbook.toml`, `content/…`) and their text. Returns
    /// every output file, or the diagnostics' messages when the build has errors. Nothing
    /// touches the disk.
    ///
    /// # Errors
    /// The messages of the errors the build reported, `file:line:col: message`.
    pub fn site(&mut self, files: &[(&str, &str)]) -> Result<BTreeMap<String, Vec<u8>>, Vec<String>> {
        let render = &mut self.render;
        build_in_memory(files, |site, diags| render.build(site, diags).map(|built| built.output))
    }

    /// [`Harness::site`] as `build` renders it: in one streaming pass that keeps nothing.
    ///
    /// # Errors
    /// As `site`.
    pub fn site_once(files: &[(&str, &str)]) -> Result<BTreeMap<String, Vec<u8>>, Vec<String>> {
        build_in_memory(files, |site, diags| {
            let mut output = crate::render::Output::default();
            crate::render::once(site, &mut output, diags).map(|()| output)
        })
    }
}

/// Builds the site of `files` in memory with `render`: every output file, or the messages of
/// the errors the build reported.
fn build_in_memory(
    files: &[(&str, &str)],
    render: impl FnOnce(&crate::model::Site, &mut Vec<Diagnostic>) -> crate::error::Result<crate::render::Output>,
) -> Result<BTreeMap<String, Vec<u8>>, Vec<String>> {
    let text = |path: &str| TextFile { path: path.into(), text: Arc::from(files_text(files, path)) };
    let mut sources = Sources {
        config: text("skillbook.toml"),
        pages: Vec::new(),
        quizzes: Vec::new(),
        assets: Vec::new(),
        statics: Vec::new(),
        themes: Vec::new(),
    };
    for (path, body) in files {
        let file = TextFile { path: (*path).into(), text: Arc::from(*body) };
        if !path.starts_with("content/") {
            continue;
        }
        if path.ends_with(".md") {
            sources.pages.push(file);
        } else if path.ends_with("quiz.toml") {
            sources.quizzes.push(file);
        }
    }
    sources.pages.sort_by(|a, b| a.path.cmp(&b.path));
    sources.quizzes.sort_by(|a, b| a.path.cmp(&b.path));
    let mut diags = Vec::new();
    let site = crate::model::validate::validate(sources, &mut diags);
    let output = render(&site, &mut diags).map_err(|e| vec![e.to_string()])?;
    for d in &diags {
        let text = d.path.to_str().map(|p| files_text(files, p));
        let printer = crate::diagnostic::Printer { root: Path::new("."), snippets: true, color: false };
        let _ = printer.format_source(d, text);
    }
    let errors: Vec<String> = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("{}:{:?}: {}", d.path.display(), d.span, d.message))
        .collect();
    if errors.is_empty() {
        Ok(output.files.iter().map(|(k, v)| (k.clone(), v.to_vec())).collect())
    } else {
        Err(errors)
    }
}

/// `skillbook.toml` of `Harness::site_input` when the input gives none.
const FUZZ_CONFIG: &str = "title = \"T\"\n[[roles]]\nid = \"hr\"\n";

impl Harness {
    /// The `site` fuzz target: `text` split at NUL bytes into a lesson, a module quiz and
    /// `skillbook.toml` (each optional), built with a fixed module page and a second lesson
    /// that links can point at.
    ///
    /// # Errors
    /// As `site`.
    pub fn site_input(&mut self, text: &str) -> Result<BTreeMap<String, Vec<u8>>, Vec<String>> {
        let mut parts = text.split('\0');
        let lesson = parts.next().unwrap_or("");
        let quiz = parts.next();
        let config = parts.next().unwrap_or(FUZZ_CONFIG);
        let mut files = vec![
            ("skillbook.toml", config),
            ("content/modules/01-m/_module.md", "+++\ntitle = \"M\"\nrequired_for = [\"hr\"]\n+++\nIntro.\n"),
            ("content/modules/01-m/01-lesson.md", lesson),
            ("content/modules/01-m/02-other.md", "+++\ntitle = \"O\"\n+++\n## Part\n"),
        ];
        if let Some(quiz) = quiz {
            files.push(("content/modules/01-m/quiz.toml", quiz));
        }
        self.site(&files)
    }
}

fn files_text<'a>(files: &[(&str, &'a str)], path: &str) -> &'a str {
    files.iter().find(|(p, _)| *p == path).map_or("", |(_, t)| t)
}

/// Every diagnostic's span lies inside the text it points into, and prints, with and
/// without a source snippet.
fn check_spans(diags: &[Diagnostic], text: &str) {
    let len = text.len();
    for d in diags {
        if let Some(span) = &d.span {
            assert!(span.start <= span.end && span.end <= len, "span {span:?} outside a text of {len} bytes: {d:?}");
        }
        for snippets in [false, true] {
            let printer = crate::diagnostic::Printer { root: Path::new("."), snippets, color: false };
            let _ = printer.format_source(d, Some(text));
        }
    }
}
