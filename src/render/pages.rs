//! Render stage: one template run per output page, with the context docs/theme.md documents.

use std::collections::BTreeMap;

use serde::Serialize;
use tera::{Context, Tera};

use super::markdown::Rendered;
use super::templates::{chain, module_ref, paths, playbook_ref, role_url, AssetsCx, LessonRef, ModuleRef, SiteCx};
use super::Output;
use crate::error::{Error, Result};
use crate::model::slug::root_of;
use crate::model::{Lesson, Module, Site};

/// Shared pieces of every page's context.
struct Common<'a> {
    site: &'a Site,
    tera: &'a Tera,
    rendered: &'a BTreeMap<&'a str, Rendered>,
    base: Context,
}

impl Common<'_> {
    /// Context for the page at `out`, of `kind`, with `title` and content id `page_id`.
    fn context(&self, out: &str, kind: &str, title: &str, page_id: &str) -> Context {
        let mut cx = self.base.clone();
        cx.insert("root", &root_of(out));
        cx.insert("page_kind", kind);
        cx.insert("page_title", title);
        cx.insert("page_id", page_id);
        cx
    }

    fn html(&self, out: &str) -> (&str, &[super::markdown::TocEntry]) {
        self.rendered.get(out).map_or(("", &[][..]), |r| (r.html.as_str(), r.toc.as_slice()))
    }

    fn run(&self, template: &str, out: &str, cx: &Context, output: &mut Output) -> Result<()> {
        let html = self
            .tera
            .render(template, cx)
            .map_err(|e| Error::Theme { message: format!("{template} (for {out}): {}", chain(&e)) })?;
        output.files.insert(out.to_string(), html.into_bytes());
        Ok(())
    }
}

/// Renders every page of the site into `output`.
pub(crate) fn render_all(
    site: &Site,
    tera: &Tera,
    rendered: &BTreeMap<&str, Rendered>,
    assets: &AssetsCx,
    output: &mut Output,
) -> Result<()> {
    let mut base = Context::new();
    let c = &site.config;
    base.insert("site", &SiteCx { title: &c.title, description: &c.description, id: &c.id, language: &c.language });
    base.insert("assets", assets);
    base.insert("search", &super::templates::SEARCH);
    let roles: Vec<_> = c.roles.iter().filter_map(|r| super::templates::role_ref(site, &r.id)).collect();
    base.insert("roles", &roles);
    let common = Common { site, tera, rendered, base };
    let modules: Vec<ModuleRef<'_>> = site.modules.iter().map(|m| module_ref(site, m)).collect();
    let playbooks: Vec<_> = site.playbooks.iter().map(|p| playbook_ref(site, p)).collect();
    let all_paths = paths(site, &modules);

    let mut cx = common.context("index.html", "home", &c.title, "");
    cx.insert("modules", &modules);
    cx.insert("playbooks", &playbooks);
    cx.insert("content", common.site.home.as_ref().map_or("", |h| common.html(&h.out).0));
    common.run("home.html", "index.html", &cx, output)?;

    let mut cx = common.context("roles/index.html", "roles", "Roles", "");
    cx.insert("modules", &modules);
    cx.insert("paths", &all_paths);
    common.run("roles.html", "roles/index.html", &cx, output)?;
    for path in &all_paths {
        let out = role_url(path.role.id);
        let mut cx = common.context(&out, "role", path.role.name, &format!("roles/{}", path.role.id));
        cx.insert("modules", &modules);
        cx.insert("path", path);
        common.run("role.html", &out, &cx, output)?;
    }

    let mut cx = common.context("modules/index.html", "modules", "Modules", "");
    cx.insert("modules", &modules);
    common.run("modules.html", "modules/index.html", &cx, output)?;
    let lessons = lesson_sequence(site);
    for (m, mref) in site.modules.iter().zip(&modules) {
        render_module(&common, m, mref, output)?;
    }
    for (i, (m, l)) in lessons.iter().enumerate() {
        let mref = &modules[site.modules.iter().position(|x| std::ptr::eq(x, *m)).unwrap_or(0)];
        let prev = i.checked_sub(1).and_then(|p| lessons.get(p)).map(|(pm, pl)| lesson_ref(pm, pl));
        let next = lessons.get(i + 1).map(|(nm, nl)| lesson_ref(nm, nl));
        render_lesson(&common, (m, l), mref, (prev, next), output)?;
    }

    let mut cx = common.context("playbooks/index.html", "playbooks", "Playbooks", "");
    cx.insert("playbooks", &playbooks);
    common.run("playbooks.html", "playbooks/index.html", &cx, output)?;
    for (p, pref) in site.playbooks.iter().zip(&playbooks) {
        let mut cx = common.context(&p.page.out, "playbook", &p.title, &format!("playbooks/{}", p.id));
        let (html, toc) = common.html(&p.page.out);
        cx.insert("playbook", pref);
        cx.insert("content", html);
        cx.insert("toc", toc);
        common.run("playbook.html", &p.page.out, &cx, output)?;
    }

    let mut cx = common.context(super::templates::SEARCH.page, "search", "Search", "");
    cx.insert("modules", &modules);
    common.run("search.html", super::templates::SEARCH.page, &cx, output)?;

    let cx = common.context("404.html", "404", "Page not found", "");
    common.run("404.html", "404.html", &cx, output)
}

/// Every lesson of the site in reading order, with its module.
fn lesson_sequence(site: &Site) -> Vec<(&Module, &Lesson)> {
    site.modules.iter().flat_map(|m| m.lessons.iter().map(move |l| (m, l))).collect()
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
    title: &'a str,
    question_count: usize,
    pass_mark: u8,
}

fn render_module(common: &Common<'_>, m: &Module, mref: &ModuleRef<'_>, output: &mut Output) -> Result<()> {
    let mut cx = common.context(&m.intro.out, "module", &m.title, &m.id);
    let lessons: Vec<_> = m.lessons.iter().map(|l| lesson_ref(m, l)).collect();
    cx.insert("module", mref);
    cx.insert("intro", common.html(&m.intro.out).0);
    cx.insert("lessons", &lessons);
    let quiz =
        m.quiz.as_ref().map(|q| QuizCx { title: &q.title, question_count: q.question_count, pass_mark: q.pass_mark });
    cx.insert("quiz", &quiz);
    common.run("module.html", &m.intro.out, &cx, output)
}

fn render_lesson(
    common: &Common<'_>,
    (m, l): (&Module, &Lesson),
    mref: &ModuleRef<'_>,
    (prev, next): (Option<LessonRef<'_>>, Option<LessonRef<'_>>),
    output: &mut Output,
) -> Result<()> {
    let lref = lesson_ref(m, l);
    let mut cx = common.context(&l.page.out, "lesson", &l.title, &lref.id);
    let (html, toc) = common.html(&l.page.out);
    cx.insert("module", mref);
    cx.insert("lesson", &lref);
    cx.insert("content", html);
    cx.insert("toc", toc);
    cx.insert("prev", &prev);
    cx.insert("next", &next);
    cx.insert("position", &(m.lessons.iter().position(|x| std::ptr::eq(x, l)).unwrap_or(0) + 1));
    cx.insert("lesson_count", &m.lessons.len());
    common.run("lesson.html", &l.page.out, &cx, output)
}
