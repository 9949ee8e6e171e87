//! `skillbook package`: the portal as LMS packages (SCORM 1.2, SCORM 2004 4th edition, cmi5),
//! one zip per module, per role path or for the whole site. Each package is the portal of
//! what it holds, rendered by the same stages as `build` from a site cut down to it, with a
//! launch page (`launch.html`) that holds the one LMS session while the learner moves
//! between the package's pages inside it, and `lms.js`, which reports to the LMS.

pub(crate) mod check;
pub(crate) mod manifest;
pub(crate) mod suspend;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::diagnostic::Diagnostic;
use crate::error::{Error, Result};
use crate::model::slug::{self, content_rel, join, parent};
use crate::model::{Module, Site};
use crate::render::html::escape;
use crate::render::Output;

/// The runtime that talks to the LMS, copied into every package.
const LMS_JS: &str = include_str!("lms.js");

/// An LMS package format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    /// SCORM 1.2
    Scorm12,
    /// SCORM 2004 4th edition
    Scorm2004,
    /// cmi5 (xAPI)
    Cmi5,
}

impl Format {
    /// The name used in file names and on the command line.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Scorm12 => "scorm12",
            Self::Scorm2004 => "scorm2004",
            Self::Cmi5 => "cmi5",
        }
    }

    fn shown(self) -> &'static str {
        match self {
            Self::Scorm12 => "SCORM 1.2",
            Self::Scorm2004 => "SCORM 2004 4th edition",
            Self::Cmi5 => "cmi5",
        }
    }

    /// The most characters the format keeps of a learner's progress.
    pub(crate) fn limit(self) -> Option<usize> {
        match self {
            Self::Scorm12 => Some(4096),
            Self::Scorm2004 => Some(64_000),
            Self::Cmi5 => None,
        }
    }
}

/// What one package holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Per {
    /// One package per module
    Module,
    /// One package per role path
    Role,
    /// One package of the whole site
    Site,
}

/// Options of `skillbook package`.
pub(crate) struct Options<'a> {
    /// Site folder.
    pub(crate) dir: &'a Path,
    /// Format of the packages.
    pub(crate) format: Format,
    /// What one package holds.
    pub(crate) per: Per,
    /// Folder the zips are written to.
    pub(crate) out: &'a Path,
}

/// One package: its ids, titles and the modules it holds.
#[derive(Debug, Clone, Default)]
pub(crate) struct Unit {
    /// The site's id.
    pub(crate) site_id: String,
    /// The module id, role id or `site`.
    pub(crate) id: String,
    /// Title shown in the LMS.
    pub(crate) title: String,
    /// Description shown in the LMS.
    pub(crate) description: String,
    /// Language code of the content.
    pub(crate) language: String,
    /// The cmi5 course IRI.
    pub(crate) iri: String,
    /// The pass mark of the package's assessment, when it has exactly one; with several,
    /// the lowest (each is held to its own by the package itself).
    pub(crate) pass_mark: Option<u8>,
    /// The modules in the package, by index in the site.
    pub(crate) modules: Vec<usize>,
    /// The role the package is the path of.
    pub(crate) role: Option<String>,
    /// The page the package opens at.
    pub(crate) start: String,
    /// cmi5 AUs, one per module.
    pub(crate) aus: Vec<Au>,
}

/// A cmi5 assignable unit: one module of a package.
#[derive(Debug, Clone, Default)]
pub(crate) struct Au {
    /// Module id.
    pub(crate) module: String,
    /// The AU's IRI.
    pub(crate) iri: String,
    /// Title.
    pub(crate) title: String,
    /// Description.
    pub(crate) description: String,
    /// Pass mark of the module's assessment.
    pub(crate) pass_mark: Option<u8>,
}

/// Writes the packages of the site in `options.dir`.
pub(crate) fn package(options: &Options<'_>) -> Result<()> {
    let started = Instant::now();
    let (sources, mut diags) = crate::pipeline::load(options.dir)?;
    let site = crate::model::validate::validate(sources, &mut diags);
    if diags.iter().any(|d| d.severity == crate::diagnostic::Severity::Error) {
        return crate::pipeline::report(options.dir, &mut diags, false);
    }
    let units = units(&site, options.per);
    if units.is_empty() {
        return Err(Error::Usage {
            message: match options.per {
                Per::Role => {
                    "the site has no roles, so there is no role path to package; use --per module or --per site".into()
                }
                _ => "the site has no modules to package".into(),
            },
        });
    }
    let mut made = Vec::new();
    for unit in &units {
        let files = render_unit(&site, unit, options.format, &mut diags)?;
        made.push((unit, files));
    }
    // A page in several packages (a playbook two modules link to) has its warnings once.
    crate::diagnostic::sort(&mut diags);
    diags.dedup_by(|a, b| a.path == b.path && a.span == b.span && a.message == b.message);
    crate::pipeline::report(options.dir, &mut diags, false)?;
    std::fs::create_dir_all(options.out).map_err(Error::io("create", options.out))?;
    let mut written = Vec::new();
    for (unit, files) in made {
        let name = format!("{}-{}-{}.zip", site.config.id, unit.id, options.format.name());
        let path = options.out.join(&name);
        let bytes = zip(&files)?;
        write_atomic(&path, &bytes)?;
        written.push(format!("{name} ({} KB)", bytes.len().div_ceil(1024)));
    }
    eprintln!(
        "packaged {} as {} into {} in {:.2?}:",
        match units.len() {
            1 => "1 package".to_string(),
            n => format!("{n} packages"),
        },
        options.format.shown(),
        options.out.display(),
        started.elapsed()
    );
    for line in written {
        eprintln!("  {line}");
    }
    Ok(())
}

/// The packages `per` asks for.
fn units(site: &Site, per: Per) -> Vec<Unit> {
    let config = &site.config;
    let base = |id: &str, title: &str, description: &str, modules: Vec<usize>| {
        let marks: Vec<u8> =
            modules.iter().filter_map(|&i| site.modules[i].quiz.as_ref().map(|q| q.pass_mark)).collect();
        let aus = modules
            .iter()
            .map(|&i| {
                let m = &site.modules[i];
                Au {
                    module: m.id.clone(),
                    iri: format!("urn:skillbook:{}:{id}:{}", config.id, m.id),
                    title: m.title.clone(),
                    description: if m.summary.is_empty() { m.title.clone() } else { m.summary.clone() },
                    pass_mark: m.quiz.as_ref().map(|q| q.pass_mark),
                }
            })
            .collect();
        Unit {
            site_id: config.id.clone(),
            id: id.to_string(),
            title: title.to_string(),
            description: if description.is_empty() { title.to_string() } else { description.to_string() },
            language: config.language.clone(),
            iri: format!("urn:skillbook:{}:{id}", config.id),
            pass_mark: marks.iter().min().copied(),
            modules,
            role: None,
            start: slug::HOME.to_string(),
            aus,
        }
    };
    match per {
        Per::Module => site
            .modules
            .iter()
            .enumerate()
            .map(|(i, m)| Unit { start: slug::module_url(&m.id), ..base(&m.id, &m.title, &m.summary, vec![i]) })
            .collect(),
        Per::Role => config
            .roles
            .iter()
            .map(|role| {
                let path = |list: fn(&Module) -> &Vec<String>| -> Vec<usize> {
                    site.modules
                        .iter()
                        .enumerate()
                        .filter(|(_, m)| list(m).contains(&role.id))
                        .map(|(i, _)| i)
                        .collect()
                };
                let mut modules = path(|m| &m.required_for);
                modules.extend(path(|m| &m.optional_for));
                let title = format!("{}: {}", config.title, role.name);
                Unit {
                    role: Some(role.id.clone()),
                    start: slug::role_url(&role.id),
                    ..base(&role.id, &title, &role.description, modules)
                }
            })
            .filter(|u| !u.modules.is_empty())
            .collect(),
        Per::Site => {
            vec![base("site", &config.title, &config.description, (0..site.modules.len()).collect())]
        }
    }
}

/// The site cut down to `unit`: its modules, the playbooks their pages link to (and those
/// these link to), its role; every other page is in `outside`.
fn cut(site: &Site, unit: &Unit) -> Site {
    let modules: Vec<Module> = unit.modules.iter().map(|&i| site.modules[i].clone()).collect();
    let whole = unit.start == slug::HOME && unit.role.is_none();
    let mut sub = site.clone();
    if !whole {
        let playbooks = linked_playbooks(site, &modules);
        sub.playbooks = site.playbooks.iter().filter(|p| playbooks.contains(&p.id)).cloned().collect();
        sub.home = None;
        sub.modules = modules;
        if let Some(role) = &unit.role {
            sub.config.roles.retain(|r| &r.id == role);
        } else {
            sub.config.roles.clear();
            for m in &mut sub.modules {
                m.required_for.clear();
                m.optional_for.clear();
            }
        }
        let inside: BTreeSet<&str> = sub.modules.iter().map(|m| m.id.as_str()).collect();
        sub.assets.retain(|out, _| {
            out.strip_prefix("modules/").and_then(|rest| rest.split('/').next()).is_none_or(|m| inside.contains(m))
        });
    }
    let kept: BTreeSet<String> = sub.pages().map(|p| p.out.clone()).collect();
    let kept_modules: BTreeSet<&str> = sub.modules.iter().map(|m| m.id.as_str()).collect();
    let mut outside = BTreeMap::new();
    for m in site.modules.iter().filter(|m| !kept_modules.contains(m.id.as_str())) {
        let pages = std::iter::once(m.intro.out.clone()).chain(m.lessons.iter().map(|l| l.page.out.clone()));
        for out in pages.chain(m.quiz.iter().map(|_| slug::quiz_url(&m.id))) {
            outside.insert(out, m.title.clone());
        }
    }
    for p in &site.playbooks {
        if !kept.contains(&p.page.out) {
            outside.insert(p.page.out.clone(), p.title.clone());
        }
    }
    if let Some(home) = &site.home {
        if !kept.contains(&home.out) {
            outside.insert(home.out.clone(), site.config.title.clone());
        }
    }
    sub.outside = outside;
    sub
}

/// Ids of the playbooks the pages of `modules` link to, and those these link to.
fn linked_playbooks(site: &Site, modules: &[Module]) -> BTreeSet<String> {
    let by_out: BTreeMap<&str, &crate::model::Playbook> =
        site.playbooks.iter().map(|p| (p.page.out.as_str(), p)).collect();
    let mut found = BTreeSet::new();
    let mut queue: Vec<&crate::model::Page> =
        modules.iter().flat_map(|m| std::iter::once(&m.intro).chain(m.lessons.iter().map(|l| &l.page))).collect();
    while let Some(page) = queue.pop() {
        for target in link_targets(site, page) {
            if let Some(p) = by_out.get(target.as_str()) {
                if found.insert(p.id.clone()) {
                    queue.push(&p.page);
                }
            }
        }
    }
    found
}

/// Output paths of the pages `page`'s Markdown links to.
fn link_targets(site: &Site, page: &crate::model::Page) -> Vec<String> {
    use pulldown_cmark::{Event, Parser, Tag};
    let from = content_rel(&page.path);
    Parser::new(&page.text[page.body.clone()])
        .filter_map(|e| match e {
            Event::Start(Tag::Link { dest_url, .. }) => Some(dest_url.to_string()),
            _ => None,
        })
        .filter_map(|url| {
            let path = url.split(['#', '?']).next().unwrap_or("").to_string();
            let key = join(parent(&from), &percent_encoding::percent_decode_str(&path).decode_utf8_lossy())?;
            site.routes.get(&key).cloned()
        })
        .collect()
}

/// Renders the package of `unit`: the cut-down portal, the launch page, the runtime and the
/// manifest, checked. Returns its files by path.
fn render_unit(
    site: &Site,
    unit: &Unit,
    format: Format,
    diags: &mut Vec<Diagnostic>,
) -> Result<BTreeMap<String, Vec<u8>>> {
    let sub = cut(site, unit);
    let mut output = Output::default();
    crate::render::once(&sub, &mut output, diags)?;
    let mut files: BTreeMap<String, Vec<u8>> = output.files.iter().map(|(k, v)| (k.clone(), v.to_vec())).collect();
    let broken = complete_references(site, &mut files);
    let shape = shape(&sub, unit, &files);
    let fullest = suspend::fullest(&shape);
    if let Some(limit) = format.limit() {
        if fullest.len() > limit {
            let what = match unit.modules.as_slice() {
                [one] => format!("module `{}`", site.modules[*one].id),
                _ => format!("package `{}`", unit.id),
            };
            diags.push(
                Diagnostic::error(
                    "skillbook.toml",
                    None,
                    format!(
                        "the progress of {what} can take {} characters, more than the {limit} that {} keeps",
                        fullest.len(),
                        format.shown()
                    ),
                )
                .with_hint("package it as scorm2004 or cmi5, or split the module"),
            );
        }
    }
    files.insert(manifest::LAUNCH.into(), launch_page(&sub, unit, format, &shape).into_bytes());
    files.insert("lms.js".into(), LMS_JS.as_bytes().to_vec());
    let list: Vec<String> = files.keys().cloned().collect();
    let (name, text) = manifest::write(format, unit, &list);
    files.insert(name.into(), text.clone().into_bytes());
    let present: BTreeSet<String> = files.keys().cloned().collect();
    let mut problems = check::problems(format, &text, &present);
    problems.extend(broken);
    if !problems.is_empty() {
        return Err(Error::Package { name: unit.id.clone(), problems });
    }
    Ok(files)
}

/// What the package's progress is made of, for the size of its suspend data.
fn shape(sub: &Site, unit: &Unit, files: &BTreeMap<String, Vec<u8>>) -> suspend::Shape {
    let mut shape = suspend::Shape::default();
    for m in &sub.modules {
        for l in &m.lessons {
            shape.lessons.push(format!("{}/{}", m.id, l.id));
            for q in &l.quizzes {
                shape.quizzes.push((q.id.clone(), q.rev.clone(), q.max_attempts));
            }
        }
        if let Some(q) = &m.quiz {
            shape.quizzes.push((q.id.clone(), q.rev.clone(), q.max_attempts));
        }
    }
    for p in &sub.playbooks {
        let boxes = files.get(&p.page.out).map_or(0, |html| memchr::memmem::find_iter(html, b"data-check=\"").count());
        if boxes > 0 {
            shape.checklists.push((format!("playbooks/{}", p.id), boxes));
        }
    }
    shape.role = unit.role.clone().or_else(|| sub.config.roles.iter().map(|r| r.id.clone()).max_by_key(String::len));
    shape
}

/// The launch page: the package's one SCO or AU. It holds the LMS session and shows the
/// package's pages in a frame, so moving between them never ends the session.
fn launch_page(sub: &Site, unit: &Unit, format: Format, shape: &suspend::Shape) -> String {
    let quizzes: Vec<serde_json::Value> = sub
        .modules
        .iter()
        .filter_map(|m| {
            m.quiz
                .as_ref()
                .map(|q| serde_json::json!({"id": q.id, "module": m.id, "rev": q.rev, "pass_mark": q.pass_mark}))
        })
        .collect();
    let modules: Vec<serde_json::Value> = sub
        .modules
        .iter()
        .map(|m| {
            serde_json::json!({
                "id": m.id,
                "url": slug::module_url(&m.id),
                "lessons": m.lessons.iter().map(|l| format!("{}/{}", m.id, l.id)).collect::<Vec<_>>(),
                "quiz": m.quiz.as_ref().map(|q| q.id.clone()),
            })
        })
        .collect();
    let aus: BTreeMap<&str, &str> = unit.aus.iter().map(|a| (a.module.as_str(), a.iri.as_str())).collect();
    let config = serde_json::json!({
        "format": format.name(),
        "site": sub.config.id,
        "unit": unit.id,
        "title": unit.title,
        "start": unit.start,
        "role": unit.role,
        "report_failed": sub.config.report_failed,
        "limit": format.limit(),
        "course": unit.iri,
        "aus": aus,
        "modules": modules,
        "quizzes": quizzes,
        "quiz_ids": shape.quizzes.iter().map(|(id, _, _)| id.clone()).collect::<Vec<_>>(),
        "checklists": shape.checklists.iter().map(|(id, n)| serde_json::json!([id, n])).collect::<Vec<_>>(),
    });
    let json = config.to_string().replace('<', "\\u003c");
    let lang = escape(&sub.config.language);
    let title = escape(&unit.title);
    let start = escape(&unit.start);
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title}</title>\n\
         <style>html,body{{margin:0;height:100%;overflow:hidden}}iframe{{border:0;width:100%;height:100%;display:block}}\
         .lms-notice{{font:16px/1.5 system-ui,sans-serif;padding:1rem 1.5rem;margin:0;background:#fff4d6;color:#3d2c00}}</style>\n\
         </head>\n<body>\n<p class=\"lms-notice\" id=\"skillbook-lms-notice\" role=\"status\" hidden></p>\n\
         <noscript><p class=\"lms-notice\">This course needs JavaScript. <a href=\"{start}\">Open it without the learning system</a>.</p></noscript>\n\
         <iframe id=\"skillbook-frame\" title=\"{title}\"></iframe>\n\
         <script type=\"application/json\" id=\"skillbook-package\">{json}</script>\n\
         <script src=\"lms.js\"></script>\n</body>\n</html>\n"
    )
}

/// Adds the site's files that the package's pages refer to but the cut left out (an image in
/// another module's folder); returns the references that lead to nothing in the package.
fn complete_references(site: &Site, files: &mut BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let mut wanted = BTreeSet::new();
    let mut broken = BTreeSet::new();
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        for url in references(bytes) {
            let Some(target) = local_target(path, &url) else { continue };
            let dir_index = format!("{}/index.html", target.trim_end_matches('/'));
            if files.contains_key(&target) || files.contains_key(&dir_index) {
                continue;
            }
            if site.assets.contains_key(&target) {
                wanted.insert(target);
            } else {
                broken.insert(format!("{path} refers to `{url}`, which is not in the package"));
            }
        }
    }
    for target in wanted {
        let bytes = site.assets[&target].bytes.to_vec();
        files.insert(target, bytes);
    }
    broken.into_iter().collect()
}

/// The `href` and `src` values of an HTML page.
fn references(html: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(html);
    let mut out = Vec::new();
    for attr in [" href=\"", " src=\""] {
        let mut rest = text.as_ref();
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let end = rest.find('"').unwrap_or(rest.len());
            out.push(rest[..end].replace("&amp;", "&"));
            rest = &rest[end..];
        }
    }
    out
}

/// The package path a relative URL on the page at `from` leads to; `None` for external
/// URLs, fragments and the like.
fn local_target(from: &str, url: &str) -> Option<String> {
    let path = url.split(['#', '?']).next().unwrap_or("");
    if path.is_empty() || url.contains(':') || url.starts_with("//") {
        return None;
    }
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy().into_owned();
    join(parent(from), &decoded)
}

/// The zip of `files`: deflated, in path order, with fixed times and permissions, so the same
/// input gives the same bytes. The manifest comes first, as some LMSs expect.
fn zip(files: &BTreeMap<String, Vec<u8>>) -> Result<Vec<u8>> {
    use zip::write::SimpleFileOptions;
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    let first = ["imsmanifest.xml", "cmi5.xml"];
    let order = first
        .iter()
        .filter_map(|f| files.get_key_value(*f))
        .chain(files.iter().filter(|(k, _)| !first.contains(&k.as_str())));
    let failed = |e: &dyn std::fmt::Display| Error::Package { name: "zip".into(), problems: vec![e.to_string()] };
    for (path, bytes) in order {
        writer.start_file(path.as_str(), options).map_err(|e| failed(&e))?;
        writer.write_all(bytes).map_err(|e| failed(&e))?;
    }
    Ok(writer.finish().map_err(|e| failed(&e))?.into_inner())
}

/// Writes `bytes` to `path` through a temporary file beside it, so an interrupted run never
/// leaves half a package under the real name.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp: PathBuf = path.with_extension("zip.partial");
    std::fs::write(&tmp, bytes).map_err(Error::io("write", &tmp))?;
    std::fs::rename(&tmp, path).map_err(Error::io("write", path))
}
