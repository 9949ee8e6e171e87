//! Render stage: one template run per output page, with the context docs/theme.md documents.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use super::cache::{hash_of, Bytes, Cache, HashWriter};
use super::markdown::Rendered;
use super::nav::{Nav, Steps};
use super::templates::{chain, module_ref, paths, playbook_ref, AssetsCx, LessonRef, ModuleRef, PlaybookRef, SiteCx};
use super::{Emit, Output};
use crate::error::{Error, Result};
use crate::model::slug::{asset_url, quiz_url, role_url, root_of, HOME, MODULES, NOT_FOUND, PLAYBOOKS, ROLES};
use crate::model::{Lesson, Module, Site};

/// What every page is rendered from.
pub(crate) struct Inputs<'a> {
    /// The site.
    pub(crate) site: &'a Site,
    /// Compiled templates.
    pub(crate) tera: &'a Tera,
    /// Hash of the theme files the templates came from.
    pub(crate) theme_hash: u64,
    /// Markdown of every page, by output path.
    pub(crate) rendered: &'a BTreeMap<&'a str, Arc<Rendered>>,
    /// HTML of each module's assessment, by module id.
    pub(crate) assessments: &'a BTreeMap<String, String>,
    /// URLs of the theme assets.
    pub(crate) assets: &'a AssetsCx,
}

/// A template context that also hashes everything put into it, so an unchanged page can be
/// reused from the cache without running its template.
struct PageCx {
    cx: Context,
    /// `None` when no cache is kept.
    hash: Option<HashWriter>,
}

impl PageCx {
    fn insert<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) {
        if let Some(hash) = &mut self.hash {
            hash.write_all(key.as_bytes()).expect("invariant: hashing never fails");
            serde_json::to_writer(&mut *hash, value).expect("invariant: contexts serialize");
        }
        self.cx.insert(key, value);
    }

    fn hash(&self) -> u64 {
        self.hash.as_ref().map_or(0, HashWriter::finish)
    }
}

/// Shared pieces of every page's context.
struct Common<'a, 'c> {
    inputs: &'a Inputs<'a>,
    base: PageCx,
    /// Where unchanged pages are reused from and new ones kept; `None` in a build no
    /// rebuild follows.
    cache: Option<&'c mut Cache>,
    queue: Vec<Job>,
    /// Where Previous and Next lead.
    nav: Nav<'a>,
}

impl Common<'_, '_> {
    /// Context for the page at `out`, of `kind`, with `title` and content id `page_id`.
    fn context(&self, out: &str, kind: &str, title: &str, page_id: &str) -> PageCx {
        let mut cx = PageCx { cx: self.base.cx.clone(), hash: self.base.hash.as_ref().map(|_| HashWriter::default()) };
        cx.insert("has_quiz", &false);
        cx.insert("root", &root_of(out));
        cx.insert("page_kind", kind);
        cx.insert("page_title", title);
        cx.insert("page_id", page_id);
        cx
    }

    fn html(&self, out: &str) -> (&str, &[super::markdown::TocEntry]) {
        self.inputs.rendered.get(out).map_or(("", &[][..]), |r| (r.html.as_str(), r.toc.as_slice()))
    }

    /// Queues the page at `out`; unchanged pages come from the cache, the others are rendered
    /// in parallel batches (bounded, so only a batch of contexts is in memory at once).
    fn run(&mut self, template: &'static str, out: &str, cx: PageCx, output: &mut dyn Emit) -> Result<()> {
        // Without a cache, nothing is kept and contexts are not hashed.
        let key = match &mut self.cache {
            None => 0,
            Some(cache) => {
                let key = hash_of(&(self.inputs.theme_hash, self.base.hash(), template, out, cx.hash()));
                if let Some(bytes) = cache.page(out, key) {
                    output.file(out.to_string(), bytes);
                    return Ok(());
                }
                key
            }
        };
        self.queue.push(Job { template, out: out.to_string(), key, cx: cx.cx });
        if self.queue.len() >= BATCH {
            self.flush(output)?;
        }
        Ok(())
    }

    /// Renders the queued pages in parallel.
    fn flush(&mut self, output: &mut dyn Emit) -> Result<()> {
        let tera = self.inputs.tera;
        let jobs = std::mem::take(&mut self.queue);
        // Each context is dropped where it was used, not on this thread afterwards.
        let results: Vec<Result<(String, u64, Bytes)>> = jobs
            .into_par_iter()
            .map(|Job { template, out, key, cx }| {
                let bytes = render_page(tera, template, &out, &cx)?;
                Ok((out, key, bytes))
            })
            .collect();
        for result in results {
            let (out, key, bytes) = result?;
            if let Some(cache) = &mut self.cache {
                cache.store_page(&out, key, Arc::clone(&bytes));
            }
            output.file(out, bytes);
        }
        Ok(())
    }
}

/// Pages rendered together in one parallel batch.
const BATCH: usize = 256;

/// A page waiting to be rendered.
struct Job {
    template: &'static str,
    out: String,
    key: u64,
    cx: Context,
}

/// The context every page shares, and the queue of pages to render.
fn common<'a, 'c>(inputs: &'a Inputs<'a>, cache: Option<&'c mut Cache>) -> Common<'a, 'c> {
    let site = inputs.site;
    let c = &site.config;
    let mut base = PageCx { cx: Context::new(), hash: cache.is_some().then(HashWriter::default) };
    base.insert(
        "site",
        &SiteCx {
            title: &c.title,
            description: &c.description,
            id: &c.id,
            language: &c.language,
            auto_complete: c.auto_complete,
        },
    );
    base.insert("assets", inputs.assets);
    base.insert("search", &super::templates::SEARCH);
    let roles: Vec<_> = c.roles.iter().filter_map(|r| super::templates::role_ref(site, &r.id)).collect();
    base.insert("roles", &roles);
    Common { inputs, base, cache, queue: Vec::new(), nav: Nav::new(site) }
}

/// Renders every page of the site into `output`, reusing from `cache` each page whose
/// template inputs are unchanged.
pub(crate) fn all(inputs: &Inputs<'_>, cache: &mut Cache, output: &mut dyn Emit) -> Result<()> {
    let site = inputs.site;
    let mut common = common(inputs, Some(cache));
    let modules: Vec<ModuleRef<'_>> = site.modules.iter().map(|m| module_ref(site, m)).collect();
    others(&mut common, &modules, output)?;
    for (mi, li) in lesson_sequence(site) {
        render_lesson(&mut common, (mi, li), &modules[mi], output)?;
    }
    common.flush(output)
}

/// Renders every page but the lessons' (which [`lessons_streaming`] made) into `output`.
pub(crate) fn all_but_lessons(inputs: &Inputs<'_>, output: &mut dyn Emit) -> Result<()> {
    let site = inputs.site;
    let mut common = common(inputs, None);
    let modules: Vec<ModuleRef<'_>> = site.modules.iter().map(|m| module_ref(site, m)).collect();
    others(&mut common, &modules, output)?;
    common.flush(output)
}

/// Queues every page but the lessons': indexes, modules and their assessments, playbooks,
/// search and 404.
fn others(common: &mut Common<'_, '_>, modules: &[ModuleRef<'_>], output: &mut dyn Emit) -> Result<()> {
    let inputs = common.inputs;
    let site = inputs.site;
    let playbooks: Vec<_> = site.playbooks.iter().map(|p| playbook_ref(site, p)).collect();
    render_indexes(common, modules, &playbooks, output)?;
    // Module and assessment pages: their contexts (each with the module's lessons and
    // progress map) are made in parallel, a batch of modules at a time, then queued.
    for (n, (batch, refs)) in site.modules.chunks(BATCH).zip(modules.chunks(BATCH)).enumerate() {
        let shared = &*common;
        let contexts: Vec<(PageCx, Option<(String, PageCx)>)> = batch
            .par_iter()
            .zip(refs)
            .enumerate()
            .map(|(i, (m, mref))| {
                let quiz =
                    inputs.assessments.get(&m.id).and_then(|html| quiz_page_cx(shared, n * BATCH + i, mref, html));
                (module_cx(shared, m, mref), quiz)
            })
            .collect();
        for (m, (cx, quiz)) in batch.iter().zip(contexts) {
            common.run("module.html", &m.intro.out, cx, output)?;
            if let Some((out, cx)) = quiz {
                common.run("quiz.html", &out, cx, output)?;
            }
        }
    }
    for (p, pref) in site.playbooks.iter().zip(&playbooks) {
        render_playbook(common, p, pref, output)?;
    }
    let mut cx = common.context(super::templates::SEARCH.page, "search", "Search", "");
    cx.insert("modules", modules);
    common.run("search.html", super::templates::SEARCH.page, cx, output)?;
    common.run("404.html", NOT_FOUND, not_found_cx(common), output)
}

/// The 404 page's context. Hosts show its bytes at any missing address, so it carries its
/// stylesheet inline, and its links start at `base_url` when that is set; else they are
/// relative to the portal's top folder, where the page's script finds them a root (404.html).
fn not_found_cx(common: &Common<'_, '_>) -> PageCx {
    let mut cx = common.context(NOT_FOUND, "404", "Page not found", "");
    if let Some(base) = &common.inputs.site.config.base_url {
        cx.insert("root", base);
    }
    cx.insert("base_url", &common.inputs.site.config.base_url);
    // Nothing in a stylesheet can end the element it is in.
    cx.insert("inline_css", &common.inputs.assets.inline_css.replace("</", "<\\/"));
    cx
}

/// Renders the one lesson or playbook page at `out`, exactly as [`all`] would, for a
/// rebuild after an edit that changed nothing but that page's body. `None` if `out` is
/// neither.
pub(crate) fn one(inputs: &Inputs<'_>, cache: &mut Cache, out: &str) -> Result<Option<Bytes>> {
    let site = inputs.site;
    let mut common = common(inputs, Some(cache));
    let mut output = Output::default();
    if let Some((mi, li)) = lesson_sequence(site).find(|&(mi, li)| site.modules[mi].lessons[li].page.out == out) {
        render_lesson(&mut common, (mi, li), &module_ref(site, &site.modules[mi]), &mut output)?;
    } else if let Some(p) = site.playbooks.iter().find(|p| p.page.out == out) {
        render_playbook(&mut common, p, &playbook_ref(site, p), &mut output)?;
    } else {
        return Ok(None);
    }
    common.flush(&mut output)?;
    Ok(output.files.remove(out))
}

fn render_playbook(
    common: &mut Common<'_, '_>,
    p: &crate::model::Playbook,
    pref: &PlaybookRef<'_>,
    output: &mut dyn Emit,
) -> Result<()> {
    let mut cx = common.context(&p.page.out, "playbook", &p.title, &format!("playbooks/{}", p.id));
    let (html, toc) = common.html(&p.page.out);
    cx.insert("playbook", pref);
    cx.insert("content", html);
    cx.insert("toc", toc);
    common.run("playbook.html", &p.page.out, cx, output)
}

/// Home, roles, role, modules index and playbooks index.
fn render_indexes(
    common: &mut Common<'_, '_>,
    modules: &[ModuleRef<'_>],
    playbooks: &[PlaybookRef<'_>],
    output: &mut dyn Emit,
) -> Result<()> {
    let site = common.inputs.site;
    let all_paths = paths(site, modules);
    // The whole site's map is one script that every page showing a path loads (and the
    // browser caches), so no page carries the list of every lesson itself.
    let map = super::progress::map(site, site.modules.iter());
    let script = format!("window.skillbookMap={map};\n");
    let map = asset_url(&super::hashed_name("map.js", script.as_bytes()));
    output.file(map.clone(), Bytes::from(script.into_bytes()));
    let mut cx = common.context(HOME, "home", &site.config.title, "");
    cx.insert("modules", modules);
    cx.insert("playbooks", playbooks);
    cx.insert("progress_map_src", &map);
    cx.insert("content", site.home.as_ref().map_or("", |h| common.html(&h.out).0));
    common.run("home.html", HOME, cx, output)?;

    let mut cx = common.context(ROLES, "roles", "Roles", "");
    cx.insert("modules", modules);
    cx.insert("paths", &all_paths);
    cx.insert("progress_map_src", &map);
    common.run("roles.html", ROLES, cx, output)?;
    for path in &all_paths {
        let out = role_url(path.role.id);
        let mut cx = common.context(&out, "role", path.role.name, &format!("roles/{}", path.role.id));
        cx.insert("modules", modules);
        cx.insert("path", path);
        cx.insert("progress_map_src", &map);
        common.run("role.html", &out, cx, output)?;
    }
    for (template, kind, title) in
        [("progress.html", "progress", "My progress"), ("certificate.html", "certificate", "Certificate")]
    {
        let mut cx = common.context(template, kind, title, "");
        cx.insert("modules", modules);
        cx.insert("paths", &all_paths);
        cx.insert("progress_map_src", &map);
        common.run(template, template, cx, output)?;
    }

    let mut cx = common.context(MODULES, "modules", "Modules", "");
    cx.insert("modules", modules);
    common.run("modules.html", MODULES, cx, output)?;
    let mut cx = common.context(PLAYBOOKS, "playbooks", "Playbooks", "");
    cx.insert("playbooks", playbooks);
    common.run("playbooks.html", PLAYBOOKS, cx, output)
}

/// Every lesson of the site in reading order: the index of its module and its index there.
fn lesson_sequence(site: &Site) -> impl Iterator<Item = (usize, usize)> + '_ {
    site.modules.iter().enumerate().flat_map(|(mi, m)| (0..m.lessons.len()).map(move |li| (mi, li)))
}

fn lesson_ref<'a>(m: &Module, l: &'a Lesson) -> LessonRef<'a> {
    LessonRef {
        id: format!("{}/{}", m.id, l.id),
        title: &l.title,
        summary: &l.summary,
        url: &l.page.out,
        minutes: l.minutes,
    }
}

#[derive(Serialize)]
struct QuizCx<'a> {
    id: String,
    rev: &'a str,
    title: &'a str,
    question_count: usize,
    pass_mark: u8,
    url: String,
}

fn quiz_cx(m: &Module) -> Option<QuizCx<'_>> {
    m.quiz.as_ref().map(|q| QuizCx {
        id: q.id.clone(),
        rev: &q.rev,
        title: &q.title,
        question_count: q.draw.unwrap_or(q.questions.len()),
        pass_mark: q.pass_mark,
        url: quiz_url(&m.id),
    })
}

fn module_cx(common: &Common<'_, '_>, m: &Module, mref: &ModuleRef<'_>) -> PageCx {
    let mut cx = common.context(&m.intro.out, "module", &m.title, &m.id);
    let lessons: Vec<_> = m.lessons.iter().map(|l| lesson_ref(m, l)).collect();
    cx.insert("module", mref);
    cx.insert("intro", common.html(&m.intro.out).0);
    cx.insert("lessons", &lessons);
    cx.insert("quiz", &quiz_cx(m));
    cx.insert("progress_map", &super::progress::map(common.inputs.site, std::iter::once(m)));
    cx
}

/// The output path and context of the page of the assessment of module `mi` (its index),
/// whose HTML is `html`.
fn quiz_page_cx(common: &Common<'_, '_>, mi: usize, mref: &ModuleRef<'_>, html: &str) -> Option<(String, PageCx)> {
    let m = &common.inputs.site.modules[mi];
    let quiz = quiz_cx(m)?;
    let out = quiz_url(&m.id);
    let mut cx = common.context(&out, "quiz", quiz.title, &quiz.id);
    cx.insert("has_quiz", &true);
    cx.insert("module", mref);
    cx.insert("quiz", &quiz);
    cx.insert("content", html);
    insert_steps(&mut cx, &common.nav.quiz(mi));
    Some((out, cx))
}

/// Runs `template` for the page at `out`.
fn render_page(tera: &Tera, template: &str, out: &str, cx: &Context) -> Result<Bytes> {
    let html = tera
        .render(template, cx)
        .map_err(|e| Error::Theme { message: format!("{template} (for {out}): {}", chain(&e)) })?;
    Ok(Bytes::from(html.into_bytes()))
}

/// Puts a page's Previous and Next, and where each role's path goes after its module, into
/// its context.
fn insert_steps(cx: &mut PageCx, steps: &Steps<'_, '_>) {
    cx.insert("prev", &steps.prev);
    cx.insert("next", &steps.next);
    cx.insert("path_next", steps.path_next);
}

fn render_lesson(
    common: &mut Common<'_, '_>,
    (mi, li): (usize, usize),
    mref: &ModuleRef<'_>,
    output: &mut dyn Emit,
) -> Result<()> {
    let out = &common.inputs.site.modules[mi].lessons[li].page.out;
    let (html, toc) = common.html(out);
    let cx = lesson_cx(common, (mi, li), mref, (html, toc));
    common.run("lesson.html", out, cx, output)
}

/// Every lesson's Markdown and page in one parallel pass, for a build no rebuild follows:
/// each page goes to `output` as soon as it is made and its HTML is dropped, so a large
/// site's lessons are never all in memory at once. Returns each lesson's rendered Markdown
/// (without the HTML) and its diagnostics, by output path. Pages are byte for byte those
/// [`all`] makes.
pub(crate) fn lessons_streaming<'s>(
    site: &'s Site,
    inputs: &Inputs<'_>,
    output: &mut dyn Emit,
    markdown: &(dyn Fn(&crate::model::Page) -> (Rendered, Vec<crate::diagnostic::Diagnostic>) + Sync),
) -> Result<Vec<(&'s str, Rendered, Vec<crate::diagnostic::Diagnostic>)>> {
    // `site` is `inputs.site`, passed again only so the paths returned borrow from the site
    // rather than from `inputs`.
    debug_assert!(std::ptr::eq(site, inputs.site));
    let common = common(inputs, None);
    let modules: Vec<ModuleRef<'_>> = site.modules.iter().map(|m| module_ref(site, m)).collect();
    let lessons: Vec<(usize, usize)> = lesson_sequence(site).collect();
    let mut kept = Vec::with_capacity(lessons.len());
    for chunk in lessons.chunks(BATCH) {
        let done: Vec<Result<Made<'s>>> = chunk
            .par_iter()
            .map(|&(mi, li)| {
                let l = &site.modules[mi].lessons[li];
                let (mut rendered, found) = markdown(&l.page);
                let cx = lesson_cx(&common, (mi, li), &modules[mi], (&rendered.html, &rendered.toc));
                let page = render_page(inputs.tera, "lesson.html", &l.page.out, &cx.cx)?;
                // Only the ids, links and sections are needed from here on.
                rendered.html = String::new();
                rendered.toc = Vec::new();
                Ok((l.page.out.as_str(), page, rendered, found))
            })
            .collect();
        for result in done {
            let (out, bytes, rendered, found) = result?;
            output.file(out.to_string(), bytes);
            kept.push((out, rendered, found));
        }
    }
    Ok(kept)
}

/// One lesson made by [`lessons_streaming`]: its output path, page, rendered Markdown
/// and the diagnostics rendering gave.
type Made<'s> = (&'s str, Bytes, Rendered, Vec<crate::diagnostic::Diagnostic>);

fn lesson_cx(
    common: &Common<'_, '_>,
    (mi, li): (usize, usize),
    mref: &ModuleRef<'_>,
    (html, toc): (&str, &[super::markdown::TocEntry]),
) -> PageCx {
    let m = &common.inputs.site.modules[mi];
    let l = &m.lessons[li];
    let lref = lesson_ref(m, l);
    let mut cx = common.context(&l.page.out, "lesson", &l.title, &lref.id);
    cx.insert("module", mref);
    cx.insert("lesson", &lref);
    cx.insert("has_quiz", &!l.quizzes.is_empty());
    cx.insert("content", html);
    cx.insert("toc", toc);
    insert_steps(&mut cx, &common.nav.lesson(mi, li));
    // The module's lessons and assessment, for the list beside the text.
    let lessons: Vec<_> = m.lessons.iter().map(|l| lesson_ref(m, l)).collect();
    cx.insert("lessons", &lessons);
    cx.insert("quiz", &quiz_cx(m));
    cx.insert("position", &(li + 1));
    cx.insert("lesson_count", &m.lessons.len());
    cx
}
