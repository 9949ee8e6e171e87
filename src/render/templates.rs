//! Render stage: Tera setup and the serializable context structs every template receives.
//! docs/theme.md documents these fields for theme authors; keep the two in step.

use serde::Serialize;
use tera::Tera;

use super::theme::Theme;
use crate::error::{Error, Result};
use crate::model::slug::{role_url, SEARCH_INDEX, SEARCH_PAGE};
use crate::model::{Module, Playbook, Site};

/// Compiles every template of the theme once per build.
pub(crate) fn compile(theme: &Theme) -> Result<Tera> {
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".htm", ".xml"]);
    // Tera's default escaper also escapes `/`, which makes every URL unreadable in the source.
    tera.set_escape_fn(super::html::escape);
    let templates: Vec<(String, String)> = theme.templates().map(|(n, s)| (n.to_string(), s)).collect();
    tera.add_raw_templates(templates).map_err(|e| Error::Theme { message: chain(&e) })?;
    Ok(tera)
}

/// A Tera error with its causes, which hold the useful part (template name, line).
pub(crate) fn chain(err: &dyn std::error::Error) -> String {
    let mut message = err.to_string();
    let mut source = err.source();
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    message
}

/// `site.*` in templates.
#[derive(Serialize)]
pub(crate) struct SiteCx<'a> {
    pub(crate) title: &'a str,
    pub(crate) description: &'a str,
    pub(crate) id: &'a str,
    pub(crate) language: &'a str,
    /// Lessons are marked complete when scrolled to their end (`[progress] auto_complete`).
    pub(crate) auto_complete: bool,
}

/// `assets.*`: root-relative URLs of the hashed theme assets.
#[derive(Serialize, Default, Clone)]
pub(crate) struct AssetsCx {
    pub(crate) css: String,
    pub(crate) js: String,
    pub(crate) store_js: String,
    pub(crate) quiz_js: String,
    pub(crate) progress_js: String,
    pub(crate) highlight_css: String,
    pub(crate) search_js: String,
    /// The `[theme]` accent colours' stylesheet, empty without an accent.
    pub(crate) brand_css: String,
    /// The `[theme]` logo and favicon, empty when not set.
    pub(crate) logo: String,
    pub(crate) favicon: String,
    /// The theme's stylesheet and the accent's, as text, for the 404 page to carry inline (it
    /// is shown at any address, where no relative link to a stylesheet works). Not in every
    /// page's context: only the 404 page's.
    #[serde(skip)]
    pub(crate) inline_css: String,
}

/// `search.*`: where the search lives, root-relative.
#[derive(Serialize)]
pub(crate) struct SearchCx {
    /// The standalone search page.
    pub(crate) page: &'static str,
    /// The search index's entry file.
    pub(crate) index: &'static str,
}

/// The `search` context of every page.
pub(crate) const SEARCH: SearchCx = SearchCx { page: SEARCH_PAGE, index: SEARCH_INDEX };

/// A role as templates see it.
#[derive(Serialize, Clone)]
pub(crate) struct RoleRef<'a> {
    pub(crate) id: &'a str,
    pub(crate) name: &'a str,
    pub(crate) description: &'a str,
    pub(crate) url: String,
}

/// A module as templates see it.
#[derive(Serialize, Clone)]
pub(crate) struct ModuleRef<'a> {
    pub(crate) id: &'a str,
    pub(crate) title: &'a str,
    pub(crate) summary: &'a str,
    pub(crate) url: String,
    pub(crate) minutes: u32,
    pub(crate) lesson_count: usize,
    pub(crate) has_quiz: bool,
    pub(crate) required_for: Vec<RoleRef<'a>>,
    pub(crate) optional_for: Vec<RoleRef<'a>>,
    pub(crate) valid_for_days: Option<u32>,
}

/// A lesson as templates see it.
#[derive(Serialize, Clone)]
pub(crate) struct LessonRef<'a> {
    pub(crate) id: String,
    pub(crate) title: &'a str,
    pub(crate) summary: &'a str,
    pub(crate) url: &'a str,
    pub(crate) minutes: u32,
}

/// A playbook as templates see it.
#[derive(Serialize, Clone)]
pub(crate) struct PlaybookRef<'a> {
    pub(crate) id: &'a str,
    pub(crate) title: &'a str,
    pub(crate) summary: &'a str,
    pub(crate) url: &'a str,
    pub(crate) minutes: u32,
    pub(crate) roles: Vec<RoleRef<'a>>,
}

/// One role's learning path.
#[derive(Serialize, Clone)]
pub(crate) struct PathCx<'a> {
    pub(crate) role: RoleRef<'a>,
    pub(crate) required: Vec<ModuleRef<'a>>,
    pub(crate) optional: Vec<ModuleRef<'a>>,
    pub(crate) minutes: u32,
}

/// Template view of the role `id`.
pub(crate) fn role_ref<'a>(site: &'a Site, id: &str) -> Option<RoleRef<'a>> {
    site.role(id).map(|r| RoleRef { id: &r.id, name: &r.name, description: &r.description, url: role_url(&r.id) })
}

fn role_refs<'a>(site: &'a Site, ids: &[String]) -> Vec<RoleRef<'a>> {
    ids.iter().filter_map(|id| role_ref(site, id)).collect()
}

/// Template view of a module.
pub(crate) fn module_ref<'a>(site: &'a Site, m: &'a Module) -> ModuleRef<'a> {
    ModuleRef {
        id: &m.id,
        title: &m.title,
        summary: &m.summary,
        url: m.intro.out.clone(),
        minutes: m.minutes,
        lesson_count: m.lessons.len(),
        has_quiz: m.quiz.is_some(),
        required_for: role_refs(site, &m.required_for),
        optional_for: role_refs(site, &m.optional_for),
        valid_for_days: m.valid_for_days,
    }
}

/// Template view of a playbook.
pub(crate) fn playbook_ref<'a>(site: &'a Site, p: &'a Playbook) -> PlaybookRef<'a> {
    PlaybookRef {
        id: &p.id,
        title: &p.title,
        summary: &p.summary,
        url: &p.page.out,
        minutes: p.minutes,
        roles: role_refs(site, &p.roles),
    }
}

/// Every role's learning path, in role order.
pub(crate) fn paths<'a>(site: &'a Site, modules: &[ModuleRef<'a>]) -> Vec<PathCx<'a>> {
    site.config
        .roles
        .iter()
        .map(|role| {
            let pick = |f: fn(&Module) -> &Vec<String>| -> Vec<ModuleRef<'a>> {
                site.modules
                    .iter()
                    .zip(modules)
                    .filter(|(m, _)| f(m).contains(&role.id))
                    .map(|(_, r)| r.clone())
                    .collect()
            };
            let required = pick(|m| &m.required_for);
            let optional = pick(|m| &m.optional_for);
            let minutes = required.iter().map(|m| m.minutes).sum();
            let role =
                RoleRef { id: &role.id, name: &role.name, description: &role.description, url: role_url(&role.id) };
            PathCx { role, required, optional, minutes }
        })
        .collect()
}
