//! Serve: the rebuild of one page after an edit that changed nothing but its Markdown body.
//! Here are the questions that decide whether an edit is local to that page; the page is
//! rendered by [`Incremental`]. It refuses (returns `None`, and the caller rebuilds
//! everything) whenever the edit could reach any other page: front matter, reading minutes,
//! embedded quizzes, heading ids other pages link to, or any diagnostic. What it returns is
//! byte for byte what a whole build would give that page; the search index, which does
//! depend on every page, is left to the caller.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use crate::error::Result;
use crate::model::validate::heading_title;
use crate::model::{Page, Site};
use crate::render::cache::Bytes;
use crate::render::markdown::Rendered;
use crate::render::Incremental;

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
/// Markdown of every page of the last build of `site`, made by `render`.
pub(crate) fn body_edit(
    site: &Site,
    markdown: &BTreeMap<String, Arc<Rendered>>,
    render: &mut Incremental,
    path: &Path,
    text: Arc<str>,
) -> Result<Option<Update>> {
    let Some((old, lesson_quizzes)) = find(site, path) else {
        return Ok(None);
    };
    let Some(page) = same_front_matter(old, text) else {
        return Ok(None);
    };
    let Some(old_rendered) = markdown.get(&old.out) else {
        return Ok(None);
    };
    if lesson_quizzes.is_some_and(|n| n > 0) || !crate::model::quiz::blocks(&page).is_empty() {
        return Ok(None);
    }
    if crate::model::validate::estimate_minutes(&page) != crate::model::validate::estimate_minutes(old) {
        return Ok(None);
    }
    let Some((rendered, found)) = render.markdown(site, &page) else {
        return Ok(None);
    };
    if !found.is_empty() || rendered.ids != old_rendered.ids {
        return Ok(None);
    }
    let anchors_ok = rendered.anchors.iter().all(|link| {
        let target = if link.target == page.out { Some(&*rendered) } else { markdown.get(&link.target).map(|r| &**r) };
        target.is_none_or(|t| t.ids.contains(&link.anchor))
    });
    if !anchors_ok {
        return Ok(None);
    }
    let Some(html) = render.page(site, &page.out, &rendered)? else {
        return Ok(None);
    };
    Ok(Some(Update { page, rendered, html }))
}

/// `old` with its new `text`, if the front matter is byte for byte the same (the same title,
/// summary, order, roles and minutes) and so is the first `#` heading, which gives the title
/// of a page whose front matter has none.
fn same_front_matter(old: &Page, text: Arc<str>) -> Option<Page> {
    let split = crate::load::front_matter::split(&text).ok()?;
    let old_split = crate::load::front_matter::split(&old.text).ok()?;
    if text.get(..split.body.start) != old.text.get(..old_split.body.start) {
        return None;
    }
    let old_heading = heading_title(&old.text, old_split.body.clone());
    let new_heading = heading_title(&text, split.body.clone());
    if old_heading.as_ref().map(|h| &h.title) != new_heading.as_ref().map(|h| &h.title) {
        return None;
    }
    // The title came from a heading that opened the body, and left it.
    let titled_by_heading = old.body.start != old_split.body.start;
    let start = if titled_by_heading { new_heading?.body_start } else { split.body.start };
    if titled_by_heading && start == split.body.start {
        return None;
    }
    Some(Page { path: old.path.clone(), text, body: start..split.body.end, out: old.out.clone() })
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
