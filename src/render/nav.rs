//! Render stage: where Previous and Next lead from a lesson or an assessment page. A module
//! reads in one order: its page, its lessons, its assessment. What follows the module's end
//! depends on who reads it: in the site's order, the next module's page (after the last
//! module, the home page); for a learner whose role's path holds the module, the next module
//! of that path, its required modules first and then its optional ones (at the path's end,
//! the role's page). Pages link the first, and list the second for each role, for
//! `progress.js` to follow the learner's role (docs/theme.md, "Lesson navigation").

use serde::Serialize;

use crate::model::slug::{quiz_url, role_url, HOME};
use crate::model::{Module, Site};

/// One place Previous or Next leads to, as templates see it.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
pub(crate) struct Step<'a> {
    /// `lesson`, `quiz` (the module's assessment), `module` (a module's page), `role` (a
    /// role's learning path) or `home`.
    pub(crate) kind: &'static str,
    pub(crate) title: &'a str,
    /// Root-relative.
    pub(crate) url: String,
}

/// Where one role's path leads after a module.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
pub(crate) struct PathNext<'a> {
    /// The role's id.
    pub(crate) role: &'a str,
    pub(crate) step: Step<'a>,
}

/// The steps of a page: Previous, Next, and, on the page that ends a module, where each
/// role's path goes next.
pub(crate) struct Steps<'n, 'a> {
    pub(crate) prev: Step<'a>,
    pub(crate) next: Step<'a>,
    /// Empty unless `next` leaves the module.
    pub(crate) path_next: &'n [PathNext<'a>],
}

/// The reading order of a site.
pub(crate) struct Nav<'a> {
    site: &'a Site,
    /// For each module (by index), where each role whose path holds it goes next, in the
    /// order of the roles in `skillbook.toml`.
    ends: Vec<Vec<PathNext<'a>>>,
}

impl<'a> Nav<'a> {
    /// The reading order of `site`.
    pub(crate) fn new(site: &'a Site) -> Self {
        let mut ends = vec![Vec::new(); site.modules.len()];
        for role in &site.config.roles {
            let on = |ids: fn(&Module) -> &Vec<String>| {
                site.modules.iter().enumerate().filter(move |(_, m)| ids(m).contains(&role.id)).map(|(i, _)| i)
            };
            // A module is never both required and optional for one role (validate.rs).
            let path: Vec<usize> = on(|m| &m.required_for).chain(on(|m| &m.optional_for)).collect();
            for (k, &i) in path.iter().enumerate() {
                let step = path.get(k + 1).map_or_else(
                    || Step { kind: "role", title: &role.name, url: role_url(&role.id) },
                    |&next| module_step(&site.modules[next]),
                );
                ends[i].push(PathNext { role: &role.id, step });
            }
        }
        Self { site, ends }
    }

    /// The steps of lesson `lesson` of module `module` (both indexes).
    pub(crate) fn lesson(&self, module: usize, lesson: usize) -> Steps<'_, 'a> {
        let m = &self.site.modules[module];
        let prev = lesson.checked_sub(1).map_or_else(|| module_step(m), |i| lesson_step(m, i));
        let (next, path_next) = if lesson + 1 < m.lessons.len() {
            (lesson_step(m, lesson + 1), &[][..])
        } else if let Some(quiz) = quiz_step(m) {
            (quiz, &[][..])
        } else {
            (self.after(module), self.ends[module].as_slice())
        };
        Steps { prev, next, path_next }
    }

    /// The steps of the assessment of module `module`.
    pub(crate) fn quiz(&self, module: usize) -> Steps<'_, 'a> {
        let m = &self.site.modules[module];
        let prev = m.lessons.len().checked_sub(1).map_or_else(|| module_step(m), |i| lesson_step(m, i));
        Steps { prev, next: self.after(module), path_next: &self.ends[module] }
    }

    /// What follows module `module` in the site's order.
    fn after(&self, module: usize) -> Step<'a> {
        self.site
            .modules
            .get(module + 1)
            .map_or_else(|| Step { kind: "home", title: &self.site.config.title, url: HOME.to_string() }, module_step)
    }
}

fn module_step(m: &Module) -> Step<'_> {
    Step { kind: "module", title: &m.title, url: m.intro.out.clone() }
}

fn lesson_step(m: &Module, i: usize) -> Step<'_> {
    let l = &m.lessons[i];
    Step { kind: "lesson", title: &l.title, url: l.page.out.clone() }
}

fn quiz_step(m: &Module) -> Option<Step<'_>> {
    m.quiz.as_ref().map(|q| Step { kind: "quiz", title: &q.title, url: quiz_url(&m.id) })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::load::{Sources, TextFile};

    fn file(path: &str, text: &str) -> TextFile {
        TextFile { path: path.into(), text: Arc::from(text) }
    }

    fn module(dir: &str, front: &str, lessons: &[&str]) -> Vec<TextFile> {
        let mut files = vec![file(&format!("content/modules/{dir}/_module.md"), &format!("+++\n{front}\n+++\n"))];
        for (i, l) in lessons.iter().enumerate() {
            let path = format!("content/modules/{dir}/{:02}-{l}.md", i + 1);
            files.push(file(&path, &format!("+++\ntitle = \"{l}\"\n+++\nText.\n")));
        }
        files
    }

    /// Modules a, b, c, d in folder order; role r requires c and a, and offers b; role s
    /// requires d only. Module a has an assessment, module d no lessons.
    fn site() -> Site {
        let config =
            "title = \"T\"\nid = \"t\"\n[[roles]]\nid = \"r\"\nname = \"R\"\n[[roles]]\nid = \"s\"\nname = \"S\"\n";
        let mut pages = Vec::new();
        pages.extend(module("01-a", "title = \"A\"\nrequired_for = [\"r\"]", &["a1", "a2"]));
        pages.extend(module("02-b", "title = \"B\"\noptional_for = [\"r\"]", &["b1"]));
        pages.extend(module("03-c", "title = \"C\"\nrequired_for = [\"r\"]", &["c1"]));
        pages.extend(module("04-d", "title = \"D\"\nrequired_for = [\"s\"]", &[]));
        pages.sort_by(|a, b| a.path.cmp(&b.path));
        let quiz = "title = \"Q\"\n[[question]]\nkind = \"true_false\"\nprompt = \"P\"\nanswer = true\n";
        let sources = Sources {
            config: file("skillbook.toml", config),
            pages,
            quizzes: vec![file("content/modules/01-a/quiz.toml", quiz)],
            assets: Vec::new(),
            statics: Vec::new(),
            themes: Vec::new(),
        };
        let mut diags = Vec::new();
        let site = crate::model::validate::validate(sources, &mut diags);
        assert!(diags.is_empty(), "{diags:?}");
        site
    }

    fn step(kind: &'static str, title: &'static str, url: &str) -> Step<'static> {
        Step { kind, title, url: url.to_string() }
    }

    fn path_next(role: &'static str, s: Step<'static>) -> PathNext<'static> {
        PathNext { role, step: s }
    }

    #[test]
    fn a_module_reads_from_its_page_through_its_lessons_to_its_assessment() {
        let site = site();
        let nav = Nav::new(&site);
        let first = nav.lesson(0, 0);
        assert_eq!(first.prev, step("module", "A", "modules/a/index.html"));
        assert_eq!(first.next, step("lesson", "a2", "modules/a/a2.html"));
        let last = nav.lesson(0, 1);
        assert_eq!(last.prev, step("lesson", "a1", "modules/a/a1.html"));
        assert_eq!(last.next, step("quiz", "Q", "modules/a/quiz.html"));
        assert!(first.path_next.is_empty() && last.path_next.is_empty(), "Next stays in the module");
        let quiz = nav.quiz(0);
        assert_eq!(quiz.prev, step("lesson", "a2", "modules/a/a2.html"));
        assert_eq!(quiz.next, step("module", "B", "modules/b/index.html"), "the next folder's module");
        // The last module's end leads home.
        let c = nav.lesson(2, 0);
        assert_eq!(c.next, step("module", "D", "modules/d/index.html"));
        assert_eq!(nav.after(3), step("home", "T", "index.html"));
    }

    #[test]
    fn after_a_module_each_role_goes_on_along_its_path_required_modules_first() {
        let site = site();
        let nav = Nav::new(&site);
        // r's path: a, c (required), then b (optional), then its role page; s's: d alone.
        assert_eq!(nav.quiz(0).path_next, [path_next("r", step("module", "C", "modules/c/index.html"))]);
        assert_eq!(nav.lesson(2, 0).path_next, [path_next("r", step("module", "B", "modules/b/index.html"))]);
        assert_eq!(nav.lesson(1, 0).path_next, [path_next("r", step("role", "R", "roles/r.html"))]);
        assert_eq!(nav.ends[3], [path_next("s", step("role", "S", "roles/s.html"))]);
    }
}
