//! Model stage: the validated, immutable site handed to `render`. Built from `Sources` by
//! `validate`; every problem found on the way is a `Diagnostic`.

pub(crate) mod brand;
pub(crate) mod config;
pub(crate) mod fields;
pub(crate) mod quiz;
pub(crate) mod slug;
pub(crate) mod validate;

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::PathBuf;

use crate::load::Asset;

pub(crate) use config::{Config, Role};
pub(crate) use quiz::Quiz;

/// The whole training portal, validated.
#[derive(Debug, Clone)]
pub(crate) struct Site {
    /// `skillbook.toml`.
    pub(crate) config: Config,
    /// Modules in order.
    pub(crate) modules: Vec<Module>,
    /// Playbooks in order.
    pub(crate) playbooks: Vec<Playbook>,
    /// `content/index.md`, if present.
    pub(crate) home: Option<Page>,
    /// Files copied beside the pages, keyed by output path.
    pub(crate) assets: BTreeMap<String, Asset>,
    /// Files of `static/`, copied as they are.
    pub(crate) statics: Vec<Asset>,
    /// Files of `themes/`.
    pub(crate) themes: Vec<Asset>,
    /// Output path of every content file a link may point at, keyed by its path under `content/`.
    pub(crate) routes: BTreeMap<String, String>,
    /// For an LMS package: the pages of the whole site it leaves out, output path → the title
    /// of their module or playbook. Links to them become plain text naming it. Empty otherwise.
    pub(crate) outside: BTreeMap<String, String>,
}

/// A Markdown source and where its output goes.
#[derive(Debug, Clone)]
pub(crate) struct Page {
    /// Source path relative to the site folder.
    pub(crate) path: PathBuf,
    /// Whole file text.
    pub(crate) text: std::sync::Arc<str>,
    /// Byte range of the Markdown body in `text`.
    pub(crate) body: Range<usize>,
    /// Output path relative to the output root, e.g. `modules/listening/why-listen.html`.
    pub(crate) out: String,
}

/// A skill module: an ordered folder of lessons with an optional assessment.
#[derive(Debug, Clone)]
pub(crate) struct Module {
    /// Slug, from the folder name.
    pub(crate) id: String,
    /// Title from `_module.md`.
    pub(crate) title: String,
    /// One-line summary.
    pub(crate) summary: String,
    /// Role ids this module is required for (`*` already expanded).
    pub(crate) required_for: Vec<String>,
    /// Role ids this module is optional for.
    pub(crate) optional_for: Vec<String>,
    /// Estimated or stated minutes for the whole module.
    pub(crate) minutes: u32,
    /// Days a completion stays valid, for recertification.
    pub(crate) valid_for_days: Option<u32>,
    /// `_module.md`: the introduction.
    pub(crate) intro: Page,
    /// Lessons in order.
    pub(crate) lessons: Vec<Lesson>,
    /// The module's assessment (`quiz.toml`).
    pub(crate) quiz: Option<Quiz>,
}

/// One lesson page of a module.
#[derive(Debug, Clone)]
pub(crate) struct Lesson {
    /// Slug, from the file name.
    pub(crate) id: String,
    /// Title from front matter.
    pub(crate) title: String,
    /// One-line summary.
    pub(crate) summary: String,
    /// Stated or estimated reading minutes.
    pub(crate) minutes: u32,
    /// The Markdown source.
    pub(crate) page: Page,
    /// Quizzes embedded with ```` ```quiz ```` blocks, in page order.
    pub(crate) quizzes: Vec<Quiz>,
}

/// A step-by-step procedure page.
#[derive(Debug, Clone)]
pub(crate) struct Playbook {
    /// Slug, from the file name.
    pub(crate) id: String,
    /// Title from front matter.
    pub(crate) title: String,
    /// One-line summary.
    pub(crate) summary: String,
    /// Role ids it is meant for; empty means everyone.
    pub(crate) roles: Vec<String>,
    /// Stated or estimated reading minutes.
    pub(crate) minutes: u32,
    /// The Markdown source.
    pub(crate) page: Page,
}

impl Site {
    /// Role by id.
    pub(crate) fn role(&self, id: &str) -> Option<&Role> {
        self.config.roles.iter().find(|r| r.id == id)
    }

    /// Every page of the site with Markdown to render, in a stable order.
    pub(crate) fn pages(&self) -> impl Iterator<Item = &Page> {
        self.home
            .iter()
            .chain(self.modules.iter().flat_map(|m| std::iter::once(&m.intro).chain(m.lessons.iter().map(|l| &l.page))))
            .chain(self.playbooks.iter().map(|p| &p.page))
    }
}
