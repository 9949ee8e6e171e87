//! Render stage: a validated [`Site`] → the portal's files, handed to an [`Emit`]ter. Pure:
//! no I/O. Markdown is rendered first for every page, so links to anchors of other pages can
//! be checked before any template runs.
//!
//! There is one entry point per way of building, and both run the same stages in the same
//! order (quizzes, theme assets, Markdown, anchors, pages, search, copied files):
//! - [`once`], for `build` and `check`: nothing is kept, and each lesson's Markdown and page
//!   are made in one streaming pass, so a large site's pages are never all in memory.
//! - [`Incremental`], for `serve`: keeps what each build made, keyed by a hash of its inputs
//!   ([`cache`]), so a rebuild renders only what changed and gives a cold build's bytes; it
//!   also renders one page again after an edit that reaches no other page.

pub(crate) mod cache;
pub(crate) mod highlight;
pub(crate) mod html;
pub(crate) mod links;
pub(crate) mod markdown;
pub(crate) mod nav;
pub(crate) mod pages;
pub(crate) mod progress;
pub(crate) mod quiz;
pub(crate) mod quiz_key;
pub(crate) mod search;
pub(crate) mod sections;
pub(crate) mod templates;
pub(crate) mod theme;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::diagnostic::Diagnostic;
use crate::error::Result;
use crate::model::slug::asset_url;
use crate::model::{Page, Site};
use crate::timing::{phase, Mark};
use cache::{hash_of, Bytes, Cache, Stats};
use highlight::Highlighter;
use markdown::{Env, Rendered};
use templates::AssetsCx;
use theme::Theme;

/// Where rendered files go: the writer of a build, a counter for `check`, or an [`Output`]
/// kept in memory.
pub(crate) trait Emit {
    /// Takes a file; a later file with the same path replaces it.
    fn file(&mut self, path: String, bytes: Bytes);

    /// Takes one of many files of a folder that are each given once (the search index's),
    /// which a writer may write on any of its threads.
    fn spread(&mut self, path: String, bytes: Bytes) {
        self.file(path, bytes);
    }
}

/// Files kept in memory: output path → bytes, sorted.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Output {
    /// Every file of the portal.
    pub(crate) files: BTreeMap<String, Bytes>,
}

impl Emit for Output {
    fn file(&mut self, path: String, bytes: Bytes) {
        self.files.insert(path, bytes);
    }
}

/// Renders the whole site for a build no rebuild follows, handing every file to `emit` as
/// soon as it is made. Content problems are added to `diags`; a broken theme is an error.
pub(crate) fn once(site: &Site, emit: &mut dyn Emit, diags: &mut Vec<Diagnostic>) -> Result<()> {
    let theme = Theme::load(&site.config.theme, &site.themes, diags);
    let theme_hash = hash_of(&theme.files);
    let tera = templates::compile(&theme)?;
    let highlighter = Highlighter::default();
    let (embeds, assessments) = quizzes(site, &highlighter, diags);
    let env = Env { routes: &site.routes, highlighter: &highlighter, embeds: &embeds, outside: &site.outside };
    let assets = theme_assets(&theme, &Highlighter::css(), &site.config.brand, emit);
    let t = Mark::now();
    // Lessons are rendered with their pages, below.
    let others: Vec<&Page> = site
        .home
        .iter()
        .chain(site.modules.iter().map(|m| &m.intro))
        .chain(site.playbooks.iter().map(|p| &p.page))
        .collect();
    let mut rendered = markdown_of(&others, &env, diags);
    phase("markdown", t);
    let t = Mark::now();
    let no_markdown = BTreeMap::new();
    let mut inputs = pages::Inputs {
        site,
        tera: &tera,
        theme_hash,
        rendered: &no_markdown,
        assessments: &assessments,
        assets: &assets,
    };
    let markdown = |page: &Page| {
        let mut found = Vec::new();
        (markdown::render(page, &env, &mut found), found)
    };
    let result = match pages::lessons_streaming(site, &inputs, emit, &markdown) {
        Ok(lessons) => {
            for (out, r, found) in lessons {
                diags.extend(found);
                rendered.insert(out, Arc::new(r));
            }
            check_anchors(site, &rendered, diags);
            inputs.rendered = &rendered;
            pages::all_but_lessons(&inputs, emit)
        }
        Err(e) => Err(e),
    };
    phase("pages", t);
    release_freed_memory();
    result?;
    let t = Mark::now();
    // The pages' HTML can go before the index is made. In parallel: freeing the rest of
    // each page's rendering is most of the work.
    let sections: Vec<_> = rendered
        .into_iter()
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|(out, r)| (out, Arc::try_unwrap(r).map_or_else(|r| r.sections.clone(), |r| r.sections)))
        .collect();
    search::build(site, sections.into_iter().collect(), emit);
    phase("search", t);
    for (path, bytes) in copied_files(site) {
        emit.file(path, bytes);
    }
    Ok(())
}

/// What [`Incremental::build`] made.
pub(crate) struct Built {
    /// Every file of the portal.
    pub(crate) output: Output,
    /// The rendered Markdown of every page, by output path.
    pub(crate) markdown: BTreeMap<String, Arc<Rendered>>,
    /// The output paths the search index wrote.
    pub(crate) search_files: BTreeSet<String>,
}

/// Builds that reuse what the builds before them made, for `serve`. The first build is a
/// cold one; each result is keyed by a hash of everything it was made from, so a rebuild
/// gives exactly the bytes of a cold build.
#[derive(Default)]
pub(crate) struct Incremental {
    cache: Cache,
    /// HTML of the quizzes embedded in each lesson, by the lesson's output path, as the last
    /// build rendered them.
    embeds: BTreeMap<String, Vec<String>>,
}

impl Incremental {
    /// Renders the whole site, reusing every page and Markdown file whose inputs are
    /// unchanged. Content problems are added to `diags`; a broken theme is an error.
    pub(crate) fn build(&mut self, site: &Site, diags: &mut Vec<Diagnostic>) -> Result<Built> {
        let cache = &mut self.cache;
        cache.begin();
        let theme = Theme::load(&site.config.theme, &site.themes, diags);
        let theme_hash = hash_of(&theme.files);
        let tera = match cache.tera.take() {
            Some((hash, tera)) if hash == theme_hash => tera,
            _ => templates::compile(&theme)?,
        };
        let highlighter = cache.highlighter.take().unwrap_or_default();
        let (embeds, assessments) = quizzes(site, &highlighter, diags);
        let env = Env { routes: &site.routes, highlighter: &highlighter, embeds: &embeds, outside: &site.outside };
        let mut out = Output::default();
        let css = cache.highlight_css.get_or_insert_with(Highlighter::css);
        let assets = theme_assets(&theme, css, &site.config.brand, &mut out);
        cache.assets = Some(assets.clone());
        let t = Mark::now();
        let rendered = cached_markdown(site, &env, cache, diags);
        phase("markdown", t);
        let t = Mark::now();
        check_anchors(site, &rendered, diags);
        let inputs = pages::Inputs {
            site,
            tera: &tera,
            theme_hash,
            rendered: &rendered,
            assessments: &assessments,
            assets: &assets,
        };
        let result = pages::all(&inputs, cache, &mut out);
        cache.tera = Some((theme_hash, tera));
        cache.highlighter = Some(highlighter);
        cache.finish();
        phase("pages", t);
        result?;
        self.embeds = embeds;
        let t = Mark::now();
        let mut index = Output::default();
        search::build(site, search::sections(&rendered), &mut index);
        let mut search_files: BTreeSet<String> = index.files.keys().cloned().collect();
        out.files.extend(index.files);
        phase("search", t);
        for (path, bytes) in copied_files(site) {
            search_files.remove(&path);
            out.file(path, bytes);
        }
        let markdown = rendered.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        Ok(Built { output: out, markdown, search_files })
    }

    /// How much of the last build came from the cache.
    pub(crate) fn stats(&self) -> Stats {
        self.cache.stats
    }

    /// The Markdown of `page` (a lesson or playbook with new text), rendered as the last
    /// build rendered its pages: the same routes, highlighter and embedded quizzes. It is
    /// kept for the next build, with its diagnostics. `None` before the first build.
    pub(crate) fn markdown(&mut self, site: &Site, page: &Page) -> Option<(Arc<Rendered>, Vec<Diagnostic>)> {
        let highlighter = self.cache.highlighter.as_ref()?;
        let env = Env { routes: &site.routes, highlighter, embeds: &self.embeds, outside: &site.outside };
        let mut found = Vec::new();
        let rendered = Arc::new(markdown::render(page, &env, &mut found));
        let key = markdown_key(self.cache.routes_hash, page, &env);
        self.cache.store_markdown(key, Arc::clone(&rendered), found.clone());
        Some((rendered, found))
    }

    /// The page of the lesson or playbook at `out` with the Markdown `rendered`, byte for
    /// byte what a whole build of `site` would give it when nothing but that page's body
    /// changed (its template context holds the page's title, summary and minutes, never its
    /// text). `None` if `out` is neither, or before the first build.
    pub(crate) fn page(&mut self, site: &Site, out: &str, rendered: &Arc<Rendered>) -> Result<Option<Bytes>> {
        let cache = &mut self.cache;
        // Both are set by every build that got as far as its pages.
        let Some(assets) = cache.assets.clone() else { return Ok(None) };
        let Some((theme_hash, tera)) = cache.tera.take() else { return Ok(None) };
        let mut one = BTreeMap::new();
        one.insert(out, Arc::clone(rendered));
        let no_assessments = BTreeMap::new();
        let inputs = pages::Inputs {
            site,
            tera: &tera,
            theme_hash,
            rendered: &one,
            assessments: &no_assessments,
            assets: &assets,
        };
        let result = pages::one(&inputs, cache, out);
        cache.tera = Some((theme_hash, tera));
        result
    }
}

/// Renders the Markdown of `pages` in parallel.
fn markdown_of<'s>(pages: &[&'s Page], env: &Env<'_>, diags: &mut Vec<Diagnostic>) -> BTreeMap<&'s str, Arc<Rendered>> {
    let rendered: Vec<(Rendered, Vec<Diagnostic>)> = pages
        .par_iter()
        .map(|page| {
            let mut found = Vec::new();
            (markdown::render(page, env, &mut found), found)
        })
        .collect();
    pages
        .iter()
        .zip(rendered)
        .map(|(page, (rendered, found))| {
            diags.extend(found);
            (page.out.as_str(), Arc::new(rendered))
        })
        .collect()
}

/// The files copied as they are: those beside the Markdown in `content/`, then `static/`
/// (which wins where both have a path).
fn copied_files(site: &Site) -> impl Iterator<Item = (String, Bytes)> + '_ {
    let content = site.assets.iter().map(|(path, asset)| (path.clone(), Arc::clone(&asset.bytes)));
    let statics = site.statics.iter().map(|asset| {
        let path = asset.path.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        (path, Arc::clone(&asset.bytes))
    });
    content.chain(statics)
}

/// Markdown of every page, from the cache where the page and the routes are unchanged;
/// the others are rendered in parallel.
fn cached_markdown<'s>(
    site: &'s Site,
    env: &Env<'_>,
    cache: &mut Cache,
    diags: &mut Vec<Diagnostic>,
) -> BTreeMap<&'s str, Arc<Rendered>> {
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
fn quizzes(
    site: &Site,
    highlighter: &Highlighter,
    diags: &mut Vec<Diagnostic>,
) -> (BTreeMap<String, Vec<String>>, BTreeMap<String, String>) {
    let t = Mark::now();
    let no_embeds = BTreeMap::new();
    let env = &Env { routes: &site.routes, highlighter, embeds: &no_embeds, outside: &site.outside };
    let site_id = site.config.id.as_str();
    // Module by module in parallel; diagnostics are merged in module order.
    let made: Vec<_> = site
        .modules
        .par_iter()
        .enumerate()
        .map(|(i, m)| {
            let mut found = Vec::new();
            let mut embeds = Vec::with_capacity(m.lessons.len());
            for l in &m.lessons {
                let r = quiz::QuizRenderer { env, site_id, out: &l.page.out, steps: None };
                let html: Vec<String> = l.quizzes.iter().map(|q| r.render(q, &mut found)).collect();
                embeds.push((l.page.out.clone(), html));
            }
            let assessment = m.quiz.as_ref().map(|q| {
                let out = crate::model::slug::quiz_url(&m.id);
                let next = site.modules.get(i + 1).map(|n| (n.intro.out.as_str(), n.title.as_str()));
                let steps = Some(quiz::Steps { module: (&m.intro.out, &m.title), next });
                let r = quiz::QuizRenderer { env, site_id, out: &out, steps };
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
    phase("quizzes", t);
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
                .unwrap_or_else(|| anchor_hint(target));
            let message = format!("anchor `#{}` does not exist in {}", link.anchor, link.target);
            diags.push(Diagnostic::error(&page.path, Some(link.span.clone()), message).with_hint(hint));
        }
    }
}

/// The anchors a page has, for a link to one it does not have.
fn anchor_hint(target: &Rendered) -> String {
    const SHOWN: usize = 5;
    let anchors: Vec<&String> = target.ids.iter().filter(|id| !id.starts_with("fn-")).collect();
    if anchors.is_empty() {
        return "that page has no headings to link to; link to the page without #…".to_string();
    }
    let names: Vec<String> = anchors.iter().take(SHOWN).map(|id| format!("#{id}")).collect();
    let more = if anchors.len() > SHOWN { ", …" } else { "" };
    format!("its headings' anchors include {}{more}", names.join(", "))
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
    crate::hex::hex(&Sha256::digest(bytes)[..5])
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
fn theme_assets(
    theme: &Theme,
    highlight_css: &str,
    brand: &crate::model::brand::Brand,
    out: &mut dyn Emit,
) -> AssetsCx {
    let mut cx = AssetsCx::default();
    for (path, original) in theme.statics() {
        let minified = minify(path, original);
        let bytes: &[u8] = minified.as_deref().unwrap_or(original);
        let name =
            if path.ends_with(".css") || path.ends_with(".js") { hashed_name(path, bytes) } else { path.to_string() };
        let url = asset_url(&name);
        match path {
            "skillbook.css" => {
                cx.css.clone_from(&url);
                cx.inline_css = String::from_utf8_lossy(bytes).into_owned();
            }
            "skillbook.js" => cx.js.clone_from(&url),
            "store.js" => cx.store_js.clone_from(&url),
            "quiz.js" => cx.quiz_js.clone_from(&url),
            "search.js" => cx.search_js.clone_from(&url),
            "progress.js" => cx.progress_js.clone_from(&url),
            _ => {}
        }
        out.file(url, Bytes::from(bytes));
    }
    let css = highlight_css.as_bytes();
    cx.highlight_css = asset_url(&hashed_name("highlight.css", css));
    out.file(cx.highlight_css.clone(), Bytes::from(css));
    if let Some(css) = crate::model::brand::css(brand) {
        cx.inline_css.push('\n');
        cx.inline_css.push_str(&css);
        cx.brand_css = asset_url(&hashed_name("brand.css", css.as_bytes()));
        out.file(cx.brand_css.clone(), Bytes::from(css.as_bytes()));
    }
    // Files of static/ are copied to the output root under their own paths.
    let copied = |file: &Option<crate::model::fields::Spanned<String>>| {
        file.as_ref().map(|f| f.value.strip_prefix("static/").unwrap_or(&f.value).to_string()).unwrap_or_default()
    };
    cx.logo = copied(&brand.logo);
    cx.favicon = copied(&brand.favicon);
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
