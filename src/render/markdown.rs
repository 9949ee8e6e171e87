//! Render stage: one Markdown page to HTML with pulldown-cmark. Adds heading ids and anchors,
//! turns GFM alerts into callouts, highlights code, rewrites relative links to `.md` files
//! into links to the built pages, and reports links to files that do not exist.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use pulldown_cmark::{
    BlockQuoteKind, CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};
use serde::Serialize;

use super::highlight::Highlighter;
use super::html::escape;
use super::links;
use super::sections::{self, Section};
use crate::diagnostic::Diagnostic;
use crate::model::quiz::{self, fence_lang};
use crate::model::slug::{content_rel, from_file_name, heading_slug, join, parent, relative};
use crate::model::Page;

/// One entry of a page's table of contents.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub(crate) struct TocEntry {
    /// 2 or 3.
    pub(crate) level: u8,
    /// Heading id.
    pub(crate) id: String,
    /// Heading text.
    pub(crate) text: String,
}

/// A link to `anchor` on another page, checked once every page is rendered.
#[derive(Debug, Clone)]
pub(crate) struct AnchorLink {
    /// Output path of the target page.
    pub(crate) target: String,
    /// The fragment, without `#`.
    pub(crate) anchor: String,
    /// Byte range of the link in the source file.
    pub(crate) span: Range<usize>,
}

/// A rendered page.
#[derive(Debug, Clone, Default)]
pub(crate) struct Rendered {
    /// The HTML of the body.
    pub(crate) html: String,
    /// Its text cut into sections, for the search index.
    pub(crate) sections: Vec<Section>,
    /// `##` and `###` headings.
    pub(crate) toc: Vec<TocEntry>,
    /// Every id a link may point at.
    pub(crate) ids: BTreeSet<String>,
    /// Links with fragments, to check.
    pub(crate) anchors: Vec<AnchorLink>,
}

/// What rendering one page needs besides the page.
pub(crate) struct Env<'a> {
    /// Content path → output path of everything a link may point at.
    pub(crate) routes: &'a BTreeMap<String, String>,
    /// Code highlighter.
    pub(crate) highlighter: &'a Highlighter,
    /// HTML of the quizzes embedded in each lesson, in block order, keyed by output path.
    /// Pages without an entry may not embed quizzes.
    pub(crate) embeds: &'a BTreeMap<String, Vec<String>>,
    /// Pages left out of an LMS package (see `Site::outside`).
    pub(crate) outside: &'a BTreeMap<String, String>,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// Renders the body of `page`; broken links become diagnostics.
pub(crate) fn render(page: &Page, env: &Env<'_>, diags: &mut Vec<Diagnostic>) -> Rendered {
    render_cut(page, env, diags, false)
}

/// [`render`]; with `cut_from_html`, the sections are always cut from the page's HTML (tests
/// compare that with cutting them from its events).
fn render_cut(page: &Page, env: &Env<'_>, diags: &mut Vec<Diagnostic>, cut_from_html: bool) -> Rendered {
    let body = &page.text[page.body.clone()];
    let base = page.body.start;
    let events: Vec<(Event<'_>, Range<usize>)> =
        Parser::new_ext(body, options()).into_offset_iter().map(|(e, r)| (e, r.start + base..r.end + base)).collect();
    let mut out = Rendered::default();
    links::unparsed(page, &events, diags);
    let mut html_events: Vec<Event<'_>> = Vec::with_capacity(events.len());
    let mut quizzes = 0;
    let mut tasks = Tasks::default();
    // Highlighted code blocks: their place in `html_events`, and their code.
    let mut code_blocks: Vec<(usize, String)> = Vec::new();
    let mut outside_links: Vec<Option<String>> = Vec::new(); // see `open_link`
    let mut i = 0;
    while i < events.len() {
        let (event, span) = &events[i];
        if let Some(close) = tasks.close_before(event) {
            html_events.push(close);
        }
        match event {
            Event::Start(Tag::Heading { level, id, classes, .. }) => {
                let end = find_end(&events, i, |e| matches!(e, Event::End(TagEnd::Heading(_))));
                let inner = &events[i + 1..end];
                let explicit = id.as_ref().map(ToString::to_string);
                html_events.push(heading(*level, explicit, classes, inner, &mut out));
                i = end + 1;
                continue;
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let end = find_end(&events, i, |e| matches!(e, Event::End(TagEnd::CodeBlock)));
                let code: String = events[i + 1..end]
                    .iter()
                    .filter_map(|(e, _)| if let Event::Text(t) = e { Some(t.as_ref()) } else { None })
                    .collect();
                let (lang, is_quiz) = match kind {
                    CodeBlockKind::Fenced(info) => (fence_lang(info), quiz::is_block(info)),
                    CodeBlockKind::Indented => ("", false),
                };
                if is_quiz {
                    html_events.push(Event::Html(embed(page, env, quizzes, span, diags).into()));
                    quizzes += 1;
                } else {
                    html_events.push(Event::Html(env.highlighter.highlight(lang, &code).into()));
                    code_blocks.push((html_events.len() - 1, code));
                }
                i = end + 1;
                continue;
            }
            Event::Start(Tag::Image { .. }) => {
                let end = find_end(&events, i, |e| matches!(e, Event::End(TagEnd::Image)));
                html_events.push(image_event(page, env, &events[i..=end], &mut out, diags));
                i = end + 1;
                continue;
            }
            Event::Start(Tag::Link { .. }) => {
                html_events.push(open_link(link(page, env, event, span, &mut out, diags), &mut outside_links));
            }
            Event::End(TagEnd::Link) => html_events.push(close_link(event, &mut outside_links)),
            Event::Start(Tag::HtmlBlock) => {
                i = html_block(page, env, &events, i, &mut html_events, &mut out, diags);
                continue;
            }
            Event::InlineHtml(html) => match raw_links(page, env, html, span, &mut out, diags) {
                Some(html) => html_events.push(Event::InlineHtml(html.into())),
                None => html_events.push(event.clone()),
            },
            Event::Start(Tag::BlockQuote(Some(kind))) => html_events.push(Event::Html(callout_open(*kind).into())),
            Event::End(TagEnd::BlockQuote(Some(_))) => html_events.push(Event::Html("</div>\n".into())),
            Event::Start(Tag::Table(_)) => {
                html_events.push(Event::Html("<div class=\"table-wrap\">\n".into()));
                html_events.push(event.clone());
            }
            Event::End(TagEnd::Table) => {
                html_events.push(event.clone());
                html_events.push(Event::Html("</div>\n".into()));
            }
            Event::Start(Tag::List(None)) if is_task(&events, i + 1) => {
                html_events.push(Event::Html("<ul class=\"task-list\">\n".into()));
            }
            Event::Start(Tag::Item) if matches!(events.get(i + 1), Some((Event::TaskListMarker(_), _))) => {
                html_events.push(Event::Html("<li class=\"task-list-item\">".into()));
            }
            Event::TaskListMarker(done) => html_events.push(tasks.marker(*done)),
            Event::FootnoteReference(name) => {
                out.ids.insert(format!("fn-{name}"));
                html_events.push(event.clone());
            }
            Event::Start(Tag::FootnoteDefinition(name)) => {
                out.ids.insert(name.to_string());
                html_events.push(event.clone());
            }
            _ => html_events.push(event.clone()),
        }
        i += 1;
    }
    // Raw HTML from the author may open an element in one event and close it in another:
    // such a page is cut from its HTML instead of its events.
    let raw_html = events.iter().any(|(e, _)| matches!(e, Event::Html(_) | Event::InlineHtml(_)));
    let sections = if raw_html || cut_from_html { None } else { sections::from_events(&html_events, &code_blocks) };
    out.html.reserve(body.len() + body.len() / 2);
    pulldown_cmark::html::push_html(&mut out.html, html_events.into_iter());
    out.html.shrink_to_fit();
    out.sections = sections.unwrap_or_else(|| sections::from_html(&out.html));
    out
}

fn embed(page: &Page, env: &Env<'_>, n: usize, span: &Range<usize>, diags: &mut Vec<Diagnostic>) -> String {
    let Some(list) = env.embeds.get(&page.out) else {
        diags.push(
            Diagnostic::error(&page.path, Some(span.clone()), "quiz blocks can only be embedded in lessons")
                .with_hint("move the quiz into a lesson under content/modules/<module>/"),
        );
        return String::new();
    };
    // A quiz that failed to read has no entry; its errors were reported already.
    list.get(n).cloned().unwrap_or_default()
}

/// A link's start with its URL checked and rewritten, or `Err` with the title of the module
/// or playbook it leads to when that is left out of an LMS package. An e-mail autolink
/// (`<team@example.com>`) is left alone: pulldown-cmark writes its `mailto:`.
fn link<'e>(
    page: &Page,
    env: &Env<'_>,
    event: &Event<'e>,
    span: &Range<usize>,
    out: &mut Rendered,
    diags: &mut Vec<Diagnostic>,
) -> Result<Event<'e>, String> {
    match event {
        Event::Start(Tag::Link { link_type, dest_url, title, id }) if *link_type != LinkType::Email => {
            let dest_url = match resolve(page, env, dest_url, span, "link", out, diags) {
                Resolved::Outside(name) => return Err(name),
                Resolved::Href(href) => CowStr::from(href),
                Resolved::Keep => dest_url.clone(),
            };
            Ok(Event::Start(Tag::Link { link_type: *link_type, dest_url, title: title.clone(), id: id.clone() }))
        }
        _ => Ok(event.clone()),
    }
}

/// The event that opens a link: the link, or for a link out of an LMS package the start of
/// the text it becomes. `open` remembers which, for [`close_link`].
fn open_link<'e>(start: Result<Event<'e>, String>, open: &mut Vec<Option<String>>) -> Event<'e> {
    match start {
        Ok(start) => {
            open.push(None);
            start
        }
        Err(name) => {
            open.push(Some(name));
            Event::Html("<span class=\"outside-package\">".into())
        }
    }
}

/// The event that closes the link [`open_link`] opened last.
fn close_link<'e>(end: &Event<'e>, open: &mut Vec<Option<String>>) -> Event<'e> {
    match open.pop().flatten() {
        Some(name) => Event::Html(
            format!(
                "</span> <span class=\"outside-package-note\">(in “{}”, which is not part of this package)</span>",
                escape(&name)
            )
            .into(),
        ),
        None => end.clone(),
    }
}

/// Pushes the HTML block that starts at `events[start]` and returns the index after it. Its
/// lines are read together, so a tag written over several lines is read whole.
fn html_block<'e>(
    page: &Page,
    env: &Env<'_>,
    events: &[(Event<'e>, Range<usize>)],
    start: usize,
    html_events: &mut Vec<Event<'e>>,
    out: &mut Rendered,
    diags: &mut Vec<Diagnostic>,
) -> usize {
    let end = find_end(events, start, |e| matches!(e, Event::End(TagEnd::HtmlBlock)));
    let lines = &events[start + 1..end];
    let block: String =
        lines.iter().filter_map(|(e, _)| if let Event::Html(h) = e { Some(h.as_ref()) } else { None }).collect();
    html_events.push(events[start].0.clone());
    match raw_links(page, env, &block, &events[start].1, out, diags) {
        Some(html) => html_events.push(Event::Html(html.into())),
        None => html_events.extend(lines.iter().map(|(e, _)| e.clone())),
    }
    html_events.push(events[end].0.clone());
    end + 1
}

/// `html` with the URLs of its links, images and media checked and rewritten as Markdown's
/// are; `None` when none changed. `span` is where `html` is in the page's file.
fn raw_links(
    page: &Page,
    env: &Env<'_>,
    html: &str,
    span: &Range<usize>,
    out: &mut Rendered,
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    if !html.contains("href") && !html.contains("src") && !html.contains("poster") {
        return None;
    }
    let source = page.text.get(span.clone()).unwrap_or("");
    links::rewrite_raw(html, |url, at, element| {
        // Where the URL is in the file: the place it has in `html` when the block was written
        // without indentation, else its first occurrence in the block.
        let written = &html[at.clone()];
        let offset = if source.get(at.clone()) == Some(written) { Some(at.start) } else { source.find(written) };
        let url_span = offset.map_or(span.clone(), |o| span.start + o..span.start + o + written.len());
        let what = match element {
            "a" => "link",
            "img" => "image",
            _ => "file",
        };
        match resolve(page, env, url, &url_span, what, out, diags) {
            Resolved::Keep => None,
            Resolved::Href(href) => Some(href),
            // Raw HTML keeps its element: the link leads nowhere instead of to a missing page.
            Resolved::Outside(_) => Some("#".to_string()),
        }
    })
}

/// Index of the event that closes the element opened at `start`.
fn find_end(events: &[(Event<'_>, Range<usize>)], start: usize, is_end: impl Fn(&Event<'_>) -> bool) -> usize {
    events[start + 1..].iter().position(|(e, _)| is_end(e)).map_or(events.len() - 1, |p| start + 1 + p)
}

/// The task-list items of one page: their numbers and the label around each one's text.
#[derive(Default)]
struct Tasks {
    count: usize,
    label_open: bool,
}

impl Tasks {
    /// The checkbox of the next item. The label holds the item's own text (not nested lists),
    /// so the text is the checkbox's accessible name and toggles it; `data-check` numbers the
    /// boxes of the page from 0, the index of their saved state (docs/theme.md).
    fn marker(&mut self, done: bool) -> Event<'static> {
        let checked = if done { " checked" } else { "" };
        let n = self.count;
        self.count += 1;
        self.label_open = true;
        Event::Html(
            format!("<label class=\"task-label\"><input type=\"checkbox\" data-check=\"{n}\" disabled{checked}> ")
                .into(),
        )
    }

    /// `</label>` when `event` ends the text of the item whose label is open.
    fn close_before(&mut self, event: &Event<'_>) -> Option<Event<'static>> {
        if !self.label_open || !ends_task_text(event) {
            return None;
        }
        self.label_open = false;
        Some(Event::Html("</label>".into()))
    }
}

/// True for the events that end the inline text of a task-list item.
fn ends_task_text(event: &Event<'_>) -> bool {
    matches!(
        event,
        Event::End(TagEnd::Item | TagEnd::Paragraph)
            | Event::Start(
                Tag::List(_)
                    | Tag::Paragraph
                    | Tag::CodeBlock(_)
                    | Tag::BlockQuote(_)
                    | Tag::Heading { .. }
                    | Tag::Table(_)
                    | Tag::HtmlBlock
            )
    )
}

fn is_task(events: &[(Event<'_>, Range<usize>)], item: usize) -> bool {
    matches!(events.get(item), Some((Event::Start(Tag::Item), _)))
        && matches!(events.get(item + 1), Some((Event::TaskListMarker(_), _)))
}

fn plain_text(events: &[(Event<'_>, Range<usize>)]) -> String {
    events
        .iter()
        .filter_map(|(e, _)| match e {
            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
            Event::SoftBreak | Event::HardBreak => Some(" "),
            _ => None,
        })
        .collect()
}

fn heading(
    level: HeadingLevel,
    explicit: Option<String>,
    classes: &[CowStr<'_>],
    inner: &[(Event<'_>, Range<usize>)],
    out: &mut Rendered,
) -> Event<'static> {
    let text = plain_text(inner);
    let base = explicit.unwrap_or_else(|| heading_slug(&text));
    let mut id = base.clone();
    let mut n = 1;
    while out.ids.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    out.ids.insert(id.clone());
    let level_num = level as u8;
    if level_num == 2 || level_num == 3 {
        out.toc.push(TocEntry { level: level_num, id: id.clone(), text: text.clone() });
    }
    let mut inner_html = String::new();
    pulldown_cmark::html::push_html(&mut inner_html, inner.iter().map(|(e, _)| e.clone()));
    let class = if classes.is_empty() {
        String::new()
    } else {
        format!(" class=\"{}\"", escape(&classes.iter().map(AsRef::as_ref).collect::<Vec<&str>>().join(" ")))
    };
    let id = escape(&id);
    Event::Html(
        format!(
            "<h{level_num} id=\"{id}\"{class}>{inner_html} <a class=\"anchor\" href=\"#{id}\" aria-label=\"Link to this section\">#</a></h{level_num}>\n"
        )
        .into(),
    )
}

fn callout_open(kind: BlockQuoteKind) -> String {
    let (class, title) = match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    };
    format!("<div class=\"callout callout-{class}\" role=\"note\"><p class=\"callout-title\">{title}</p>\n")
}

/// An image, from its events (start to end), with its source checked and rewritten.
fn image_event<'e>(
    page: &Page,
    env: &Env<'_>,
    events: &[(Event<'e>, Range<usize>)],
    out: &mut Rendered,
    diags: &mut Vec<Diagnostic>,
) -> Event<'e> {
    let (Event::Start(Tag::Image { dest_url, title, .. }), span) = &events[0] else {
        return Event::Html("".into());
    };
    let alt = plain_text(&events[1..events.len() - 1]);
    let src = resolve(page, env, dest_url, span, "image", out, diags).href().unwrap_or_else(|| dest_url.to_string());
    Event::Html(image(&src, &alt, title).into())
}

fn image(src: &str, alt: &str, title: &str) -> String {
    let title = if title.is_empty() { String::new() } else { format!(" title=\"{}\"", escape(title)) };
    format!("<img src=\"{}\" alt=\"{}\"{title} loading=\"lazy\">", escape(src), escape(alt))
}

/// True for URLs that leave the site: a scheme (`https:`, `mailto:`) or a protocol-relative `//`.
fn is_external(url: &str) -> bool {
    if url.starts_with("//") {
        return true;
    }
    let scheme_len = url.find(':').unwrap_or(0);
    scheme_len > 0
        && url[..scheme_len].chars().all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.')
        && url.starts_with(|c: char| c.is_ascii_alphabetic())
}

/// What a link or image URL becomes.
pub(crate) enum Resolved {
    /// Kept as written (external, empty, or in error: the diagnostic is pushed).
    Keep,
    /// Rewritten to this URL, relative to the page.
    Href(String),
    /// A page left out of the LMS package being built, in the module or playbook named.
    Outside(String),
}

impl Resolved {
    /// The rewritten URL, if any.
    pub(crate) fn href(self) -> Option<String> {
        match self {
            Self::Href(href) => Some(href),
            Self::Keep | Self::Outside(_) => None,
        }
    }
}

/// Resolves a link or image URL, pushing a diagnostic when it is broken.
pub(crate) fn resolve(
    page: &Page,
    env: &Env<'_>,
    url: &str,
    span: &Range<usize>,
    what: &str,
    out: &mut Rendered,
    diags: &mut Vec<Diagnostic>,
) -> Resolved {
    if url.is_empty() || is_external(url) {
        return Resolved::Keep;
    }
    let (path_part, fragment) = match url.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (url, None),
    };
    let path_part = path_part.split('?').next().unwrap_or("");
    if path_part.is_empty() {
        if let Some(anchor) = fragment.filter(|f| !f.is_empty()) {
            out.anchors.push(AnchorLink { target: page.out.clone(), anchor: anchor.to_string(), span: span.clone() });
        }
        return Resolved::Keep;
    }
    if path_part.starts_with('/') {
        diags.push(
            Diagnostic::error(
                &page.path,
                Some(span.clone()),
                format!("link `{url}` starts with `/`, which breaks under a URL prefix"),
            )
            .with_hint(absolute_hint(page, env, path_part)),
        );
        return Resolved::Keep;
    }
    let Some(target_key) = join(parent(&content_rel(&page.path)), &percent_decode(path_part)) else {
        diags.push(
            Diagnostic::error(&page.path, Some(span.clone()), format!("{what} `{url}` points outside content/"))
                .with_hint("link only to files inside the content folder"),
        );
        return Resolved::Keep;
    };
    let target = env
        .routes
        .get(&target_key)
        .or_else(|| env.routes.get(&format!("{}/_module.md", target_key.trim_end_matches('/'))));
    let Some(target) = target else {
        diags.push(broken(page, span, url, what, &target_key, env.routes));
        return Resolved::Keep;
    };
    if let Some(name) = env.outside.get(target) {
        diags.push(
            Diagnostic::warning(
                &page.path,
                Some(span.clone()),
                format!("{what} `{url}` leads out of this package, to “{name}”; it is shown as plain text"),
            )
            .with_hint("package the modules together (--per role or --per site) to keep the link"),
        );
        return Resolved::Outside(name.clone());
    }
    let mut href = relative(&page.out, target);
    if let Some(anchor) = fragment.filter(|f| !f.is_empty()) {
        if target.ends_with(".html") {
            out.anchors.push(AnchorLink { target: target.clone(), anchor: anchor.to_string(), span: span.clone() });
        }
        href.push('#');
        href.push_str(anchor);
    }
    Resolved::Href(href)
}

/// How to write the `/`-rooted path `path` relative to `page`: the path itself when it names
/// a file under `content/`, else the rule.
fn absolute_hint(page: &Page, env: &Env<'_>, path: &str) -> String {
    let key = path.trim_start_matches('/');
    let key = key.strip_prefix("content/").unwrap_or(key);
    if env.routes.contains_key(key) {
        format!("write the path relative to this file: {}", relative(&content_rel(&page.path), key))
    } else {
        "write the path relative to this file's folder: ../ climbs one folder up".to_string()
    }
}

fn broken(
    page: &Page,
    span: &Range<usize>,
    url: &str,
    what: &str,
    key: &str,
    routes: &BTreeMap<String, String>,
) -> Diagnostic {
    let from = content_rel(&page.path);
    let name = key.rsplit('/').next().unwrap_or(key);
    // A link written to the built page (`why-listen.html`) instead of its Markdown file.
    let built = name.strip_suffix(".html").and_then(|stem| {
        let same_name = |k: &&String| {
            k.rsplit('/').next().and_then(|n| n.strip_suffix(".md")).is_some_and(|n| from_file_name(n) == stem)
        };
        let candidates: Vec<&String> = routes.keys().filter(same_name).collect();
        candidates.iter().find(|k| parent(k) == parent(key)).or_else(|| candidates.first()).copied()
    });
    let hint = if let Some(source) = built {
        format!("link to the Markdown file, not the built page: did you mean `{}`?", relative(&from, source))
    } else {
        let close = routes
            .keys()
            .filter(|k| strsim::jaro_winkler(k.rsplit('/').next().unwrap_or(k), name) > 0.85)
            .max_by(|a, b| {
                let score = |k: &str| strsim::jaro_winkler(k, key);
                score(a).total_cmp(&score(b))
            });
        match close {
            Some(k) => format!("did you mean `{}`?", relative(&from, k)),
            None => "check the path: it is relative to this file's folder".to_string(),
        }
    };
    Diagnostic::error(
        &page.path,
        Some(span.clone()),
        format!("{what} target `{url}` does not exist (looked for content/{key})"),
    )
    .with_hint(hint)
}

/// Decodes `%XX` escapes; a `%` not followed by two hex digits stays as written.
fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str, text: &str) -> Page {
        Page { path: path.into(), text: text.into(), body: 0..text.len(), out: "modules/a/x.html".into() }
    }

    fn render_text(text: &str) -> (Rendered, Vec<Diagnostic>) {
        render_text_cut(text, false)
    }

    fn render_text_cut(text: &str, cut_from_html: bool) -> (Rendered, Vec<Diagnostic>) {
        let mut routes = BTreeMap::new();
        routes.insert("modules/01-a/02-y.md".to_string(), "modules/a/y.html".to_string());
        routes.insert("modules/01-a/_module.md".to_string(), "modules/a/index.html".to_string());
        routes.insert("modules/01-a/img/p.png".to_string(), "modules/a/img/p.png".to_string());
        let hl = Highlighter::new();
        let mut diags = Vec::new();
        let embeds = BTreeMap::new();
        let env = Env { routes: &routes, highlighter: &hl, embeds: &embeds, outside: &BTreeMap::new() };
        let r = render_cut(&page("content/modules/01-a/01-x.md", text), &env, &mut diags, cut_from_html);
        (r, diags)
    }

    /// Sections cut from the events, and from the HTML, of the same page.
    fn both_cuts(text: &str) -> (Vec<Section>, Vec<Section>) {
        let (from_events, _) = render_text_cut(text, false);
        let (from_html, _) = render_text_cut(text, true);
        assert_eq!(from_events.html, from_html.html);
        (from_events.sections, from_html.sections)
    }

    #[test]
    fn sections_from_events_equal_sections_from_html() {
        let pieces = [
            "Intro *em*phasis and **strong** and ~~gone~~ and `code` and [a link](02-y.md).\n",
            "Glued: pre*mid*post pre**bold**post pre`code`post pre[link](02-y.md)post pre~~del~~post.\n",
            "## Heading with `code` and *em* {#custom-id}\n",
            "### Same Heading\n\n### Same Heading\n",
            "- one\n- two\n  - nested\n- three\n",
            "1. first\n2. second\n",
            "- [ ] open task\n- [x] done task\n  more text\n",
            "| A | B |\n| --- | ---: |\n| x *y* | 2 |\n| &amp; | <3 |\n",
            "> [!TIP]\n> A tip with **bold**.\n",
            "> A plain quote\n> on two lines\n",
            "```rust\nfn main() { println!(\"<hi> & 'bye'\"); }\n```\n",
            "```\nplain <code> & text\n```\n",
            "```toml\n[a]\nb = \"c\"\n```\n",
            "    indented code\n    block\n",
            "Line one  \nhard break\nsoft break\n",
            "---\n",
            "Text with a note[^n] and another[^m] and again[^n].\n\n[^n]: The note.\n[^m]: The other, *em*.\n",
            "Smart \"quotes\" -- dashes... and 'single'.\n",
            "Entities: &copy; &#x41; &unknown; AT&T <not a tag>\n",
            "![alt *text*](img/p.png \"title\")\n",
            "Autolink <https://example.com> and www.example.com\n",
            "Ünïcödé wörds — and\u{2003}em space, tab\tinside.\n",
            "## *Only emphasis*\n",
            "Text right before\n## Heading\nText right after\n",
        ];
        let mut docs: Vec<String> = pieces.iter().map(ToString::to_string).collect();
        docs.push(pieces.concat());
        // Pieces joined in many orders, with and without blank lines between them.
        let mut seed = 0x9e37_79b9_u32;
        for _ in 0..60 {
            let mut doc = String::new();
            for _ in 0..6 {
                seed ^= seed << 13;
                seed ^= seed >> 17;
                seed ^= seed << 5;
                doc.push_str(pieces[seed as usize % pieces.len()]);
                if seed % 3 != 0 {
                    doc.push('\n');
                }
            }
            docs.push(doc);
        }
        for doc in &docs {
            let (from_events, from_html) = both_cuts(doc);
            assert_eq!(from_events, from_html, "{doc:?}");
        }
    }

    #[test]
    fn raw_html_pages_are_cut_from_their_html() {
        let (from_events, from_html) =
            both_cuts("<div>\n<p>raw <script>skip()</script>kept</p>\n</div>\n\nText <span>in</span>line.\n");
        assert_eq!(from_events, from_html);
        assert_eq!(from_html[0].text, "raw kept Text inline.");
    }

    #[test]
    fn headings_get_unique_ids_and_anchors() {
        let (r, _) = render_text("## Why listen?\n\n## Why listen?\n\n### Deeper {#custom}\n");
        assert!(
            r.html.contains("<h2 id=\"why-listen\">Why listen? <a class=\"anchor\" href=\"#why-listen\""),
            "{}",
            r.html
        );
        assert!(r.html.contains("id=\"why-listen-1\""));
        assert!(r.html.contains("<h3 id=\"custom\">"));
        assert_eq!(r.toc.len(), 3);
    }

    #[test]
    fn md_links_are_rewritten_and_checked() {
        let (r, diags) =
            render_text("[y](02-y.md#top) [m](_module.md) [gone](03-z.md) [ext](https://example.com/a.md)\n");
        assert!(r.html.contains("href=\"y.html#top\""), "{}", r.html);
        assert!(r.html.contains("href=\"index.html\""));
        assert!(r.html.contains("href=\"https://example.com/a.md\""));
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].span, Some(33..48));
        assert_eq!(r.anchors[0].anchor, "top");
    }

    #[test]
    fn callouts_code_tables_tasks_images() {
        let text = "> [!TIP]\n> Listen first.\n\n```rust\nfn main() {}\n```\n\n| a |\n|---|\n| 1 |\n\n- [ ] one\n- [x] two\n\n![Alt *text*](img/p.png)\n";
        let (r, diags) = render_text(text);
        assert!(diags.is_empty(), "{diags:?}");
        assert!(
            r.html.contains("<div class=\"callout callout-tip\" role=\"note\"><p class=\"callout-title\">Tip</p>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<pre class=\"code\" data-lang=\"rust\">"));
        assert!(r.html.contains("<span class=\"hl-"));
        assert!(r.html.contains("<div class=\"table-wrap\">\n<table>"));
        assert!(r
            .html
            .contains("<ul class=\"task-list\">\n<li class=\"task-list-item\"><label class=\"task-label\"><input type=\"checkbox\" data-check=\"0\" disabled> one</label></li>"));
        assert!(r.html.contains("<img src=\"img/p.png\" alt=\"Alt text\" loading=\"lazy\">"));
    }

    #[test]
    fn loose_and_nested_task_items_close_their_labels() {
        let (r, _) = render_text("- [ ] one\n\n  more\n\n- [x] two\n  - [ ] three\n");
        assert_eq!(r.html.matches("<label").count(), 3);
        assert_eq!(r.html.matches("</label>").count(), 3);
        assert!(r.html.contains("data-check=\"2\" disabled> three</label>"));
    }

    #[test]
    fn absolute_and_escaping_links_are_errors() {
        let (_, diags) = render_text("[a](/x.md) [b](../../../x.md)\n");
        assert_eq!(diags.len(), 2);
    }

    #[test]
    fn percent_decoding_is_byte_safe() {
        assert_eq!(percent_decode("a%20b"), "a b");
        assert_eq!(percent_decode("%é%"), "%é%");
        assert_eq!(percent_decode("100%"), "100%");
    }

    #[test]
    fn external_detection() {
        assert!(is_external("https://x"));
        assert!(is_external("mailto:a@b"));
        assert!(!is_external("02-y.md"));
    }
}
