//! Render stage: the rebuild of one page after an edit that changed nothing but its
//! Markdown body, for `serve`. It renders that page alone and refuses (returns `None`, and
//! the caller rebuilds everything) whenever the edit could reach any other page: front
//! matter, reading minutes, embedded quizzes, heading ids other pages link to, or any
//! diagnostic. What it returns is byte for byte what a whole build would give that page; the
//! search index, which does depend on every page, is left to the caller.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use super::cache::{Bytes, Cache};
use super::markdown::{self, Env, Rendered};
use super::{markdown_key, pages};
use crate::error::Result;
use crate::model::{Page, Site};

/// One page rendered again.
pub(crate) struct Update {
    /// The page with its new text.
    pub(crate) page: Page,
    /// Its rendered Markdown.
    pub(crate) rendered: Arc<Rendered>,
    /// The output file.
    pub(crate) html: Bytes,
}

/// Renders the lesson or playbook at `path` (relative to the site folder) from its new
/// `text`, if the edit changed nothing other pages depend on. `markdown` is the rendered
/// Markdown of every page of the last build of `site`, whose cache `cache` holds.
pub(crate) fn body_edit(
    site: &Site,
    markdown: &BTreeMap<String, Arc<Rendered>>,
    cache: &mut Cache,
    path: &Path,
    text: Arc<str>,
) -> Result<Option<Update>> {
    let Some((old, lesson_quizzes)) = find(site, path) else {
        return Ok(None);
    };
    let Ok(split) = crate::load::front_matter::split(&text) else {
        return Ok(None);
    };
    // Same front matter, byte for byte: same title, summary, order, roles and minutes.
    if text.get(..split.body.start) != old.text.get(..old.body.start) {
        return Ok(None);
    }
    let page = Page { path: old.path.clone(), text, body: split.body, out: old.out.clone() };
    let Some(old_rendered) = markdown.get(&old.out) else {
        return Ok(None);
    };
    if lesson_quizzes.is_some_and(|n| n > 0) || !crate::model::quiz::quiz_blocks(&page).is_empty() {
        return Ok(None);
    }
    if crate::model::validate::estimate_minutes(&page) != crate::model::validate::estimate_minutes(old) {
        return Ok(None);
    }
    let (Some((theme_hash, tera)), Some(highlighter), Some(assets)) =
        (cache.tera.take(), cache.highlighter.take(), cache.assets.clone())
    else {
        return Ok(None);
    };
    let result = (|| {
        // Lessons may embed quizzes (none here), other pages may not: the same embeds a
        // whole build passes, so the Markdown cache key matches too.
        let mut embeds = BTreeMap::new();
        if lesson_quizzes.is_some() {
            embeds.insert(page.out.clone(), Vec::new());
        }
        let env = Env { routes: &site.routes, highlighter: &highlighter, embeds: &embeds };
        let mut found = Vec::new();
        let rendered = markdown::render(&page, &env, &mut found);
        if !found.is_empty() || rendered.ids != old_rendered.ids {
            return Ok(None);
        }
        let anchors_ok = rendered.anchors.iter().all(|link| {
            let target =
                if link.target == page.out { Some(&rendered) } else { markdown.get(&link.target).map(|r| &**r) };
            target.is_none_or(|t| t.ids.contains(&link.anchor))
        });
        if !anchors_ok {
            return Ok(None);
        }
        let key = markdown_key(cache.routes_hash, &page, &env);
        let rendered = Arc::new(rendered);
        cache.store_markdown(key, Arc::clone(&rendered), Vec::new());
        let mut one = BTreeMap::new();
        one.insert(page.out.as_str(), Arc::clone(&rendered));
        let no_assessments = BTreeMap::new();
        // The template context holds the page's title, summary and minutes, never its text.
        let inputs = pages::Inputs {
            site,
            tera: &tera,
            theme_hash,
            rendered: &one,
            assessments: &no_assessments,
            assets: &assets,
            lessons_done: false,
        };
        let Some(html) = pages::render_one(&inputs, cache, &page.out)? else {
            return Ok(None);
        };
        Ok(Some(Update { page: page.clone(), rendered, html }))
    })();
    cache.tera = Some((theme_hash, tera));
    cache.highlighter = Some(highlighter);
    result
}

/// The page at `path` and, for a lesson, how many quizzes it embeds (`None` for a playbook).
fn find<'s>(site: &'s Site, path: &Path) -> Option<(&'s Page, Option<usize>)> {
    let lesson = site.modules.iter().flat_map(|m| &m.lessons).find(|l| l.page.path == path);
    if let Some(l) = lesson {
        return Some((&l.page, Some(l.quizzes.len())));
    }
    site.playbooks.iter().find(|p| p.page.path == path).map(|p| (&p.page, None))
}

/// Puts `page` in place of the page with the same path.
pub(crate) fn apply(site: &mut Site, page: Page) {
    for l in site.modules.iter_mut().flat_map(|m| &mut m.lessons) {
        if l.page.path == page.path {
            l.page = page;
            return;
        }
    }
    if let Some(p) = site.playbooks.iter_mut().find(|p| p.page.path == page.path) {
        p.page = page;
    }
}
