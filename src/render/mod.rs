//! Render stage: `render(&Site)` → `Output`, a map of output paths to bytes. Pure: no I/O.
//! Markdown is rendered first for every page, so links to anchors of other pages can be
//! checked before any template runs.

pub(crate) mod cache;
pub(crate) mod highlight;
pub(crate) mod markdown;
pub(crate) mod pages;
pub(crate) mod progress;
pub(crate) mod quick;
pub(crate) mod quiz;
pub(crate) mod quiz_key;
pub(crate) mod search;
pub(crate) mod templates;
pub(crate) mod theme;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use sha2::{Digest, Sha256};
use std::sync::Arc;

use crate::diagnostic::Diagnostic;
use crate::error::Result;
use crate::model::{Page, Site};
use cache::{hash_of, Bytes, Cache};
use highlight::Highlighter;
use markdown::{Env, Rendered};
use rayon::prelude::*;
use templates::AssetsCx;
use theme::Theme;

/// The built portal: output path → bytes, sorted. With a sink, files are sent to the writer
/// as they are made instead of being kept (a large site's pages need not all fit in memory).
#[derive(Debug, Default, Clone)]
pub(crate) struct Output {
    /// Every file of the portal (none are kept when there is a sink).
    pub(crate) files: BTreeMap<String, Bytes>,
    /// Where files go instead, with how many were sent.
    pub(crate) sink: Option<(crate::write::Sink, usize)>,
}

impl PartialEq for Output {
    fn eq(&self, other: &Self) -> bool {
        self.files == other.files
    }
}

impl Output {
    /// An output whose files go to `sink`.
    pub(crate) fn streaming(sink: crate::write::Sink) -> Self {
        Self { sink: Some((sink, 0)), ..Self::default() }
    }

    /// An output that only counts its files, for `check`.
    pub(crate) fn discarding() -> Self {
        Self::streaming(crate::write::Sink::none())
    }

    /// Adds a file; a later file with the same path replaces it.
    pub(crate) fn insert(&mut self, path: String, bytes: Bytes) {
        self.add(path, bytes, false);
    }

    /// Adds one of many files of a folder, each added once: with a sink, they may be
    /// written by any of the writer's threads at once ([`crate::write::Sink::send_spread`]).
    pub(crate) fn insert_spread(&mut self, path: String, bytes: Bytes) {
        self.add(path, bytes, true);
    }

    fn add(&mut self, path: String, bytes: Bytes, spread: bool) {
        match &mut self.sink {
            // A failed writer reports its error when the build finishes.
            Some((sink, sent)) => {
                if spread {
                    sink.send_spread(path, bytes);
                } else {
                    sink.send(path, bytes);
                }
                *sent += 1;
            }
            None => {
                self.files.insert(path, bytes);
            }
        }
    }

    /// How many files were added.
    pub(crate) fn len(&self) -> usize {
        self.files.len() + self.sink.as_ref().map_or(0, |(_, sent)| *sent)
    }
}

/// A whole build with what `serve` keeps to update it page by page.
pub(crate) struct Built {
    /// Every file of the portal.
    pub(crate) output: Output,
    /// The rendered Markdown of every page, by output path.
    pub(crate) markdown: BTreeMap<String, Arc<Rendered>>,
    /// The output paths the search index wrote.
    pub(crate) search_files: std::collections::BTreeSet<String>,
}

/// Renders the whole site, reusing what `cache` holds from earlier builds. Content problems
/// are added to `diags`; a broken theme is an error.
pub(crate) fn render(site: &Site, cache: &mut Cache, diags: &mut Vec<Diagnostic>) -> Result<Output> {
    render_full(site, cache, Output::default(), diags).map(|built| built.output)
}

/// [`render`], also returning the rendered Markdown and the search index's file names.
/// The files go to `out`, which may stream them to the writer.
pub(crate) fn render_full(
    site: &Site,
    cache: &mut Cache,
    mut out: Output,
    diags: &mut Vec<Diagnostic>,
) -> Result<Built> {
    cache.begin();
    let theme = Theme::load(&site.config.theme, &site.themes, diags);
    let theme_hash = hash_of(&theme.files);
    let tera = match cache.tera.take() {
        Some((hash, tera)) if hash == theme_hash => tera,
        _ => templates::compile(&theme)?,
    };
    let highlighter = cache.highlighter.take().unwrap_or_default();
    let no_embeds = BTreeMap::new();
    let env = Env { routes: &site.routes, highlighter: &highlighter, embeds: &no_embeds };
    let t = crate::pipeline::Mark::now();
    let (embeds, assessments) = render_quizzes(site, &env, diags);
    crate::pipeline::phase("quizzes", t);
    let env = Env { embeds: &embeds, ..env };
    let css = cache.highlight_css.get_or_insert_with(Highlighter::css);
    let assets = theme_assets(&theme, css, &mut out);
    cache.assets = Some(assets.clone());
    let t = crate::pipeline::Mark::now();
    let streaming = cache.single;
    let mut rendered = render_markdown(site, &env, cache, diags);
    crate::pipeline::phase("markdown", t);
    let t = crate::pipeline::Mark::now();
    let no_markdown = BTreeMap::new();
    let mut inputs = pages::Inputs {
        site,
        tera: &tera,
        theme_hash,
        rendered: &no_markdown,
        assessments: &assessments,
        assets: &assets,
        lessons_done: streaming,
    };
    let lessons = if streaming {
        let markdown = |page: &Page| {
            let mut found = Vec::new();
            (markdown::render(page, &env, &mut found), found)
        };
        pages::render_lessons_streaming(site, &inputs, cache, &mut out, &markdown)
    } else {
        Ok(Vec::new())
    };
    let result = match lessons {
        Ok(lessons) => {
            cache.stats.markdown_rendered += lessons.len();
            for (out, r, found) in lessons {
                diags.extend(found);
                rendered.insert(out, Arc::new(r));
            }
            check_anchors(site, &rendered, diags);
            inputs.rendered = &rendered;
            pages::render_all(&inputs, cache, &mut out)
        }
        Err(e) => Err(e),
    };
    cache.tera = Some((theme_hash, tera));
    cache.highlighter = Some(highlighter);
    cache.finish();
    crate::pipeline::phase("pages", t);
    if cache.single {
        release_freed_memory();
    }
    result?;
    let t = crate::pipeline::Mark::now();
    let mut search_files = std::collections::BTreeSet::new();
    let markdown = if cache.single {
        // Nothing is kept for a rebuild: the pages' HTML can go before the index is made.
        // In parallel: freeing the rest of each page's rendering is most of the work.
        let sections: Vec<_> = rendered
            .into_iter()
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|(out, r)| (out, Arc::try_unwrap(r).map_or_else(|r| r.sections.clone(), |r| r.sections)))
            .collect();
        let sections = sections.into_iter().collect();
        search::build(site, sections, &mut out);
        BTreeMap::new()
    } else {
        let mut index = Output::default();
        search::build(site, search::sections(&rendered), &mut index);
        search_files = index.files.keys().cloned().collect();
        for (path, bytes) in index.files {
            out.insert(path, bytes);
        }
        rendered.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
    };
    crate::pipeline::phase("search", t);
    for (path, asset) in &site.assets {
        search_files.remove(path);
        out.insert(path.clone(), Arc::clone(&asset.bytes));
    }
    for asset in &site.statics {
        let path = asset.path.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        search_files.remove(&path);
        out.insert(path, Arc::clone(&asset.bytes));
    }
    Ok(Built { output: out, markdown, search_files })
}

/// Markdown of every page, from the cache where the page and the routes are unchanged;
/// the others are rendered in parallel.
fn render_markdown<'s>(
    site: &'s Site,
    env: &Env<'_>,
    cache: &mut Cache,
    diags: &mut Vec<Diagnostic>,
) -> BTreeMap<&'s str, Arc<Rendered>> {
    if cache.single {
        // Lessons are rendered with their pages (`pages::render_lessons_streaming`).
        let pages: Vec<&Page> = site
            .home
            .iter()
            .chain(site.modules.iter().map(|m| &m.intro))
            .chain(site.playbooks.iter().map(|p| &p.page))
            .collect();
        let rendered: Vec<(Rendered, Vec<Diagnostic>)> = pages
            .par_iter()
            .map(|page| {
                let mut found = Vec::new();
                (markdown::render(page, env, &mut found), found)
            })
            .collect();
        cache.stats.markdown_rendered = pages.len();
        return pages
            .into_iter()
            .zip(rendered)
            .map(|(page, (rendered, found))| {
                diags.extend(found);
                (page.out.as_str(), Arc::new(rendered))
            })
            .collect();
    }
    let routes_hash = hash_of(&site.routes);
    cache.routes_hash = routes_hash;
    let keyed: Vec<(&Page, u64)> = site.pages().map(|p| (p, markdown_key(routes_hash, p, env))).collect();
    let fresh: Vec<(u64, Rendered, Vec<Diagnostic>)> = keyed
        .par_iter()
        .filter(|(_, key)| !cache.has_markdown(*key))
        .map(|(page, key)| {
            let mut found = Vec::new();
            let rendered = markdown::render(page, env, &mut found);
            (*key, rendered, found)
        })
        .collect();
    cache.stats.markdown_rendered = fresh.len();
    cache.stats.markdown_reused = keyed.len() - fresh.len();
    for (key, rendered, found) in fresh {
        cache.store_markdown(key, Arc::new(rendered), found);
    }
    let mut out = BTreeMap::new();
    for (page, key) in keyed {
        let rendered = cache.markdown(key, diags).expect("invariant: every page was just rendered or cached");
        out.insert(page.out.as_str(), rendered);
    }
    out
}

/// Cache key of a page's Markdown: its HTML depends on its source, the routes its links
/// resolve against, and the quizzes embedded in it.
pub(crate) fn markdown_key(routes_hash: u64, p: &Page, env: &Env<'_>) -> u64 {
    let embeds = env.embeds.get(&p.out);
    hash_of(&(routes_hash, &p.path, &p.out, &p.text, p.body.start, p.body.end, embeds))
}

/// HTML of every quiz: those embedded in lessons, keyed by the lesson's output path, and
/// module assessments, keyed by module id.
fn render_quizzes(
    site: &Site,
    env: &Env<'_>,
    diags: &mut Vec<Diagnostic>,
) -> (BTreeMap<String, Vec<String>>, BTreeMap<String, String>) {
    let site_id = site.config.id.as_str();
    // Module by module in parallel; diagnostics are merged in module order.
    let made: Vec<_> = site
        .modules
        .par_iter()
        .map(|m| {
            let mut found = Vec::new();
            let mut embeds = Vec::with_capacity(m.lessons.len());
            for l in &m.lessons {
                let r = quiz::QuizRenderer { env, site_id, out: &l.page.out };
                let html: Vec<String> = l.quizzes.iter().map(|q| r.render(q, &mut found)).collect();
                embeds.push((l.page.out.clone(), html));
            }
            let assessment = m.quiz.as_ref().map(|q| {
                let out = pages::quiz_url(&m.id);
                let r = quiz::QuizRenderer { env, site_id, out: &out };
                (m.id.clone(), r.render(q, &mut found))
            });
            (embeds, assessment, found)
        })
        .collect();
    let mut embeds = BTreeMap::new();
    let mut assessments = BTreeMap::new();
    for (lessons, assessment, found) in made {
        embeds.extend(lessons);
        assessments.extend(assessment);
        diags.extend(found);
    }
    (embeds, assessments)
}

fn check_anchors(site: &Site, rendered: &BTreeMap<&str, Arc<Rendered>>, diags: &mut Vec<Diagnostic>) {
    for page in site.pages() {
        let Some(r) = rendered.get(page.out.as_str()) else {
            continue;
        };
        for link in &r.anchors {
            let Some(target) = rendered.get(link.target.as_str()) else {
                continue;
            };
            if target.ids.contains(&link.anchor) {
                continue;
            }
            let hint = crate::diagnostic::did_you_mean(&link.anchor, target.ids.iter().map(String::as_str))
                .unwrap_or_else(|| {
                    "anchors are the heading text in lowercase with dashes, like #setting-up-alerts".into()
                });
            let message = format!("anchor `#{}` does not exist in {}", link.anchor, link.target);
            diags.push(Diagnostic::error(&page.path, Some(link.span.clone()), message).with_hint(hint));
        }
    }
}

/// Hands memory freed by the pages back to the system before the search index is made, so
/// the build's peak is what it holds, not what it once held (the allocator keeps freed
/// memory for seconds otherwise).
fn release_freed_memory() {
    #[cfg(not(target_env = "msvc"))]
    // SAFETY: a NUL-terminated jemalloc control name that reads and writes no value.
    unsafe {
        let all_arenas = c"arena.4096.purge";
        tikv_jemalloc_sys::mallctl(
            all_arenas.as_ptr(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            0,
        );
    }
}

/// Short content hash for cache-safe asset names: the first five bytes of SHA-256, in hex.
pub(crate) fn content_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().take(5).fold(String::with_capacity(10), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// `name.ext` → `name.<hash>.ext`.
pub(crate) fn hashed_name(path: &str, bytes: &[u8]) -> String {
    match path.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{}.{ext}", content_hash(bytes)),
        None => format!("{path}.{}", content_hash(bytes)),
    }
}

/// The theme's CSS and JS without comments and spaces; `None` for other files, or when the
/// minifier cannot read a file (it is then served as written).
fn minify(path: &str, bytes: &[u8]) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(bytes).ok()?;
    let small = if path.ends_with(".css") {
        minifier::css::minify(text).ok()?.to_string()
    } else if path.ends_with(".js") {
        minifier::js::minify(text).ok()?.to_string()
    } else {
        return None;
    };
    Some(small.into_bytes())
}

/// Copies the theme's static files to `assets/`, CSS and JS minified and under hashed names,
/// plus the generated highlighting stylesheet.
fn theme_assets(theme: &Theme, highlight_css: &str, out: &mut Output) -> AssetsCx {
    let mut cx = AssetsCx::default();
    for (path, original) in theme.statics() {
        let minified = minify(path, original);
        let bytes: &[u8] = minified.as_deref().unwrap_or(original);
        let name =
            if path.ends_with(".css") || path.ends_with(".js") { hashed_name(path, bytes) } else { path.to_string() };
        let url = format!("assets/{name}");
        match path {
            "skillbook.css" => cx.css.clone_from(&url),
            "skillbook.js" => cx.js.clone_from(&url),
            "quiz.js" => cx.quiz_js.clone_from(&url),
            "search.js" => cx.search_js.clone_from(&url),
            "progress.js" => cx.progress_js.clone_from(&url),
            _ => {}
        }
        out.insert(url, Bytes::from(bytes));
    }
    let css = highlight_css.as_bytes();
    cx.highlight_css = format!("assets/{}", hashed_name("highlight.css", css));
    out.insert(cx.highlight_css.clone(), Bytes::from(css));
    cx
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_change_with_content() {
        assert_ne!(hashed_name("a.css", b"x"), hashed_name("a.css", b"y"));
        assert!(hashed_name("a.css", b"x").starts_with("a."));
        assert!(hashed_name("a.css", b"x").ends_with(".css"));
    }
}
