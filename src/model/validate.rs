//! Model stage: turns `Sources` into a `Site`. Classifies every content file, reads front
//! matter, orders modules and lessons, resolves roles, and reports duplicates and dangling
//! references as diagnostics.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::fields::{Reader, Spanned};
use super::quiz::{self, Quiz};
use super::slug::{content_rel, from_file_name, lesson_url, module_url, playbook_url, HOME};
use super::{config, Config, Lesson, Module, Page, Playbook, Site};
use crate::diagnostic::{Diagnostic, Severity};
use crate::load::front_matter::{self, Format};
use crate::load::value::{parse_toml, parse_yaml, Entry, Node, Value};
use crate::load::{Sources, TextFile};

pub(crate) const MODULE_KEYS: &[&str] =
    &["title", "summary", "order", "required_for", "optional_for", "minutes", "valid_for_days"];
pub(crate) const LESSON_KEYS: &[&str] = &["title", "summary", "order", "minutes"];
pub(crate) const PLAYBOOK_KEYS: &[&str] = &["title", "summary", "roles", "minutes", "order"];
const HOME_KEYS: &[&str] = &["title"];

/// Reading speed used to estimate minutes from word count.
const WORDS_PER_MINUTE: usize = 200;

/// Front matter and body of one Markdown file.
struct Parsed {
    page: Page,
    fields: Vec<Entry>,
    offset: usize,
    /// The front matter could not be read; its error was reported already.
    broken: bool,
}

/// A module folder gathered before ordering.
#[derive(Default)]
struct ModuleDraft {
    intro: Option<TextFile>,
    lessons: Vec<TextFile>,
    quiz: Option<TextFile>,
}

/// Builds the site model. Diagnostics are appended to `diags`.
pub(crate) fn validate(sources: Sources, diags: &mut Vec<Diagnostic>) -> Site {
    let mut config = config::read(&sources.config.path, &sources.config.text, diags);
    brand_files(&mut config, &sources.config.path, &sources.statics, diags);
    let mut drafts: BTreeMap<String, ModuleDraft> = BTreeMap::new();
    let mut playbook_files = Vec::new();
    let mut home_file = None;
    for file in sources.pages {
        let rel = content_rel(&file.path);
        let parts: Vec<&str> = rel.split('/').collect();
        match parts.as_slice() {
            ["index.md"] => home_file = Some(file),
            ["modules", dir, "_module.md"] => drafts.entry((*dir).to_string()).or_default().intro = Some(file),
            ["modules", dir, _] => drafts.entry((*dir).to_string()).or_default().lessons.push(file),
            ["playbooks", _] => playbook_files.push(file),
            _ => diags.push(
                Diagnostic::warning(&file.path, None, "this Markdown file is not part of the portal and is skipped")
                    .with_hint("lessons go in content/modules/<module>/, playbooks in content/playbooks/"),
            ),
        }
    }
    let mut quiz_files = BTreeMap::new();
    for file in sources.quizzes {
        let rel = content_rel(&file.path);
        if let ["modules", dir, "quiz.toml"] = rel.split('/').collect::<Vec<_>>().as_slice() {
            drafts.entry((*dir).to_string()).or_default().quiz = Some(file);
        } else {
            quiz_files.insert(rel, file);
        }
    }
    let mut routes = BTreeMap::new();
    let home = home_file.map(|f| parse_page(f, HOME.into(), HOME_KEYS, "the home page", diags).page);
    if let Some(h) = &home {
        routes.insert("index.md".to_string(), h.out.clone());
    }
    let modules = build_modules(drafts, &config, &quiz_files, &mut routes, diags);
    unused_quiz_files(&quiz_files, &modules, diags);
    let playbooks = build_playbooks(playbook_files, &config, &mut routes, diags);
    let assets = map_assets(sources.assets, &modules, &mut routes);
    Site {
        config,
        modules,
        playbooks,
        home,
        assets,
        statics: sources.statics,
        themes: sources.themes,
        routes,
        outside: BTreeMap::new(),
    }
}

/// Drops a logo or favicon that is not among the site's static files, with an error.
fn brand_files(config: &mut Config, path: &Path, statics: &[crate::load::Asset], diags: &mut Vec<Diagnostic>) {
    let brand = &mut config.brand;
    for (key, file) in [("logo", &mut brand.logo), ("favicon", &mut brand.favicon)] {
        let Some(named) = file.as_ref() else { continue };
        let rel = named.value.strip_prefix("static/").unwrap_or(&named.value);
        // Static files' paths are relative to static/ already.
        if statics.iter().any(|a| a.path == Path::new(rel)) {
            continue;
        }
        let message = format!("the {key} file `{}` does not exist", named.value);
        let hint = format!("put the file in the static/ folder beside skillbook.toml, or correct the path of `{key}`");
        diags.push(Diagnostic::error(path, Some(named.span.clone()), message).with_hint(hint));
        *file = None;
    }
}

fn file_stem(path: &Path) -> String {
    path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

fn parse_page(file: TextFile, out: String, known: &[&str], what: &str, diags: &mut Vec<Diagnostic>) -> Parsed {
    let TextFile { path, text } = file;
    let errors_before = diags.len();
    let (fields, offset, body) = match front_matter::split(&text) {
        Err(open) => {
            diags.push(
                Diagnostic::error(
                    &path,
                    Some(open.span),
                    format!("front matter opened with `{}` is never closed", open.fence),
                )
                .with_hint(format!("add a line with only `{}` after the last front matter key", open.fence)),
            );
            (Vec::new(), 0, text.len()..text.len())
        }
        Ok(split) => {
            let fields = match &split.front {
                None => Vec::new(),
                Some((format, range)) => parse_front(&path, &text[range.clone()], *format, range.start, diags),
            };
            let offset = split.front.as_ref().map_or(0, |(_, r)| r.start);
            (fields, offset, split.body)
        }
    };
    let broken = diags.len() > errors_before;
    let mut r = Reader::new(&path, offset, diags);
    r.unknown_keys(&fields, known, &format!("front matter of {what}"), Severity::Warning);
    Parsed { page: Page { path, text, body, out }, fields, offset, broken }
}

fn parse_front(path: &Path, text: &str, format: Format, offset: usize, diags: &mut Vec<Diagnostic>) -> Vec<Entry> {
    let parsed = match format {
        Format::Toml => parse_toml(text),
        Format::Yaml if text.trim().is_empty() => return Vec::new(),
        Format::Yaml => parse_yaml(text),
    };
    match parsed {
        Ok(Node { value: Value::Table(entries), .. }) => entries,
        Ok(_) => {
            diags.push(
                Diagnostic::error(path, Some(offset..offset), "front matter must be a set of `key: value` lines")
                    .with_hint("write each setting on its own line, like title: My lesson"),
            );
            Vec::new()
        }
        Err(e) => {
            let lang = if format == Format::Toml { "TOML" } else { "YAML" };
            let (message, hint) = match e.hint {
                Some(hint) => (e.message, hint),
                None if format == Format::Toml => (
                    format!("invalid {lang} in front matter: {}", first_line(&e.message)),
                    "TOML front matter looks like: title = \"My lesson\" (text in straight quotes)".to_string(),
                ),
                None => (
                    format!("invalid {lang} in front matter: {}", first_line(&e.message)),
                    "YAML front matter looks like: title: My lesson".to_string(),
                ),
            };
            diags.push(Diagnostic::error(path, Some(e.span), message).with_hint(hint).offset(offset));
            Vec::new()
        }
    }
}

fn first_line(message: &str) -> &str {
    message.lines().next().unwrap_or(message).trim()
}

/// Common fields of every content page.
struct Meta {
    title: String,
    summary: String,
    order: Option<i64>,
    minutes: Option<u32>,
}

/// Reads the fields every page has. A page whose front matter gives no title takes the
/// text of its first `#` heading, as other Markdown book tools do; when that heading opens the body,
/// it leaves the body, so the page does not show its title twice.
fn read_meta(p: &mut Parsed, diags: &mut Vec<Diagnostic>, what: &str) -> Meta {
    let mut r = Reader::new(&p.page.path, p.offset, diags);
    let title = match r.string(&p.fields, "title") {
        Some(t) if !t.value.trim().is_empty() => t.value,
        _ if p.broken => String::new(),
        other => {
            if let Some(heading) = heading_title(&p.page.text, p.page.body.clone()) {
                p.page.body.start = heading.body_start;
                heading.title
            } else {
                let span = other.map_or(0..0, |t| t.span);
                let hint = "give it a title: start the file with a heading line like # My lesson, \
                            or with front matter: a line +++, then title = \"My lesson\", then a line +++";
                r.diags
                    .push(Diagnostic::error(&p.page.path, Some(span), format!("{what} has no title")).with_hint(hint));
                String::new()
            }
        }
    };
    let summary = r.string(&p.fields, "summary").map(|s| s.value).unwrap_or_default();
    let order = r.integer(&p.fields, "order", i64::MIN, i64::MAX).map(|o| o.value);
    let minutes = r.integer(&p.fields, "minutes", 0, 10_000).map(|m| u32::try_from(m.value).unwrap_or(0));
    Meta { title, summary, order, minutes }
}

/// A page's title taken from its first level-1 heading.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct HeadingTitle {
    /// The heading's text.
    pub(crate) title: String,
    /// Where the page's body starts: after the heading when it opens the body, else where it
    /// started.
    pub(crate) body_start: usize,
}

/// The first level-1 heading of the Markdown `text[body]`, if it has any text.
pub(crate) fn heading_title(text: &str, body: Range<usize>) -> Option<HeadingTitle> {
    use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
    let markdown = text.get(body.clone())?;
    // Cheap test first: most pages with front matter never get here, and a page without
    // `#` or a setext underline has no level-1 heading.
    if !markdown.contains('#') && !markdown.contains("\n=") {
        return None;
    }
    let mut parser = Parser::new_ext(markdown, Options::ENABLE_HEADING_ATTRIBUTES).into_offset_iter();
    // Nesting depth of the current event; a page title is a heading at the top level, not
    // one inside a list or a quote.
    let mut depth = 0_usize;
    let mut blocks_before = 0_usize;
    while let Some((event, _)) = parser.next() {
        match event {
            Event::Start(Tag::Heading { level: HeadingLevel::H1, .. }) if depth == 0 => {
                let mut title = String::new();
                let mut end = markdown.len();
                for (event, range) in parser.by_ref() {
                    match event {
                        Event::Text(t) | Event::Code(t) => title.push_str(&t),
                        Event::SoftBreak | Event::HardBreak => title.push(' '),
                        Event::End(TagEnd::Heading(_)) => {
                            end = range.end;
                            break;
                        }
                        _ => {}
                    }
                }
                let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
                if title.is_empty() {
                    return None;
                }
                let body_start = if blocks_before == 0 { body.start + end } else { body.start };
                return Some(HeadingTitle { title, body_start });
            }
            Event::Start(_) => {
                blocks_before += usize::from(depth == 0);
                depth += 1;
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => blocks_before += usize::from(depth == 0),
        }
    }
    None
}

pub(crate) fn estimate_minutes(page: &Page) -> u32 {
    let words = count_words(&page.text[page.body.clone()]);
    u32::try_from(words.div_ceil(WORDS_PER_MINUTE).max(1)).unwrap_or(u32::MAX)
}

/// `text.split_ascii_whitespace().count()`, several times faster: a word starts at every
/// byte that is not ASCII whitespace and follows one that is (or starts the text). Each pair
/// of neighbouring bytes is tested on its own and the results summed, which the compiler
/// turns into vector code; a block of 255 pairs is summed in a byte, which cannot overflow.
fn count_words(text: &str) -> usize {
    // The bytes `split_ascii_whitespace` splits at: space, \t, \n, form feed and \r.
    fn space(b: u8) -> bool {
        (b == b' ') | (b.wrapping_sub(b'\t') < 5 && b != 0x0B)
    }
    let bytes = text.as_bytes();
    let Some(&first) = bytes.first() else { return 0 };
    let mut words = usize::from(!space(first));
    for (before, after) in bytes.chunks(255).zip(bytes[1..].chunks(255)) {
        let starts: u8 = before.iter().zip(after).map(|(&b, &a)| u8::from(space(b) & !space(a))).sum();
        words += usize::from(starts);
    }
    words
}

/// Sort key: explicit `order` first, then file name.
fn order_key(order: Option<i64>, name: &str) -> (bool, i64, String) {
    (order.is_none(), order.unwrap_or(0), name.to_string())
}

fn build_modules(
    drafts: BTreeMap<String, ModuleDraft>,
    config: &Config,
    quiz_files: &BTreeMap<String, TextFile>,
    routes: &mut BTreeMap<String, String>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Module> {
    // Names first (they decide which folders are modules), then each module on its own, in
    // parallel; routes and diagnostics are merged in folder order, as if read one by one.
    let mut seen: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut todo = Vec::new();
    for (dir, ModuleDraft { intro, lessons, quiz }) in drafts {
        let id = from_file_name(&dir);
        let Some(intro) = intro else {
            let path = PathBuf::from("content/modules").join(&dir);
            diags.push(
                Diagnostic::error(path, None, "module folder has no _module.md")
                    .with_hint("add _module.md with front matter: +++ title = \"…\" +++"),
            );
            continue;
        };
        if let Some(first) = seen.insert(id.clone(), intro.path.clone()) {
            diags.push(
                Diagnostic::error(&intro.path, None, format!("module id `{id}` is used twice"))
                    .with_hint(format!("{} has the same id; rename one of the folders", first.display())),
            );
            continue;
        }
        todo.push((dir, id, (intro, lessons, quiz)));
    }
    let built: Vec<_> = todo
        .into_par_iter()
        .map(|(dir, id, files)| {
            let (mut routes, mut diags) = (BTreeMap::new(), Vec::new());
            let module = build_module(&dir, id, files, config, quiz_files, &mut routes, &mut diags);
            (routes, diags, module)
        })
        .collect();
    let mut modules = Vec::with_capacity(built.len());
    for (r, d, module) in built {
        routes.extend(r);
        diags.extend(d);
        modules.push(module);
    }
    modules.sort_by(|a, b| a.0.cmp(&b.0));
    modules.into_iter().map(|(_, m)| m).collect()
}

/// One module folder whose id is its own, from its `_module.md`, lesson files and
/// assessment file, with its sort key.
fn build_module(
    dir: &str,
    id: String,
    (intro, lessons, quiz): (TextFile, Vec<TextFile>, Option<TextFile>),
    config: &Config,
    quiz_files: &BTreeMap<String, TextFile>,
    routes: &mut BTreeMap<String, String>,
    diags: &mut Vec<Diagnostic>,
) -> ((bool, i64, String), Module) {
    let mut parsed = parse_page(intro, module_url(&id), MODULE_KEYS, "a module", diags);
    routes.insert(format!("modules/{dir}/_module.md"), parsed.page.out.clone());
    let meta = read_meta(&mut parsed, diags, "module");
    let (required_for, optional_for, valid_for_days) = read_module_roles(&parsed, config, diags);
    let lessons = build_lessons((dir, &id), lessons, (quiz_files, config.quiz_defaults()), routes, diags);
    let minutes = meta.minutes.unwrap_or_else(|| lessons.iter().map(|l| l.minutes).sum::<u32>().max(1));
    let quiz = quiz.and_then(|f| {
        let src = quiz::Source { path: &f.path, text: &f.text, offset: 0, id: format!("{id}/quiz") };
        quiz::read(&src, config.quiz_defaults(), diags)
    });
    let module = Module {
        id,
        title: meta.title,
        summary: meta.summary,
        required_for,
        optional_for,
        minutes,
        valid_for_days,
        intro: parsed.page,
        lessons,
        quiz,
    };
    (order_key(meta.order, dir), module)
}

fn read_module_roles(
    p: &Parsed,
    config: &Config,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<String>, Vec<String>, Option<u32>) {
    let mut r = Reader::new(&p.page.path, p.offset, diags);
    let required = r.strings(&p.fields, "required_for").unwrap_or_default();
    let optional = r.strings(&p.fields, "optional_for").unwrap_or_default();
    let valid = r.integer(&p.fields, "valid_for_days", 1, 100_000).map(|v| u32::try_from(v.value).unwrap_or(1));
    let required = resolve_roles(&mut r, &required, config, true);
    let optional: Vec<String> =
        resolve_roles(&mut r, &optional, config, true).into_iter().filter(|id| !required.contains(id)).collect();
    (required, optional, valid)
}

/// Checks role ids against `skillbook.toml`; `*` stands for every role when `star` is allowed.
fn resolve_roles(r: &mut Reader<'_>, ids: &[Spanned<String>], config: &Config, star: bool) -> Vec<String> {
    let mut out = BTreeSet::new();
    for id in ids {
        if star && id.value == "*" {
            out.extend(config.roles.iter().map(|role| role.id.clone()));
        } else if config.roles.iter().any(|role| role.id == id.value) {
            out.insert(id.value.clone());
        } else {
            let known: Vec<&str> = config.roles.iter().map(|role| role.id.as_str()).collect();
            let hint = crate::diagnostic::did_you_mean(&id.value, known.iter().copied()).unwrap_or_else(|| {
                if known.is_empty() {
                    "declare roles in skillbook.toml with [[roles]] id = \"…\"".to_string()
                } else {
                    format!("declared roles are: {}", known.join(", "))
                }
            });
            r.diags.push(
                Diagnostic::error(
                    r.path(),
                    Some(id.span.clone()),
                    format!("role `{}` is not declared in skillbook.toml", id.value),
                )
                .with_hint(hint),
            );
        }
    }
    // Keep the order of skillbook.toml.
    config.roles.iter().filter(|role| out.contains(&role.id)).map(|role| role.id.clone()).collect()
}

fn build_lessons(
    (dir, module_id): (&str, &str),
    files: Vec<TextFile>,
    (quiz_files, defaults): (&BTreeMap<String, TextFile>, quiz::Defaults),
    routes: &mut BTreeMap<String, String>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Lesson> {
    let mut lessons = Vec::new();
    let mut seen: BTreeMap<String, PathBuf> = BTreeMap::new();
    for file in files {
        let stem = file_stem(&file.path);
        let id = from_file_name(&stem);
        if id.is_empty() || id == "index" {
            let hint = "start lesson file names with letters or a number and a dash, like 01-welcome.md";
            diags.push(Diagnostic::error(&file.path, None, "this file name gives no usable page name").with_hint(hint));
            continue;
        }
        if let Some(first) = seen.insert(id.clone(), file.path.clone()) {
            diags.push(
                Diagnostic::error(&file.path, None, format!("lesson id `{id}` is used twice in this module"))
                    .with_hint(format!("{} has the same name after its number; rename one", first.display())),
            );
            continue;
        }
        let name = content_rel(&file.path).rsplit('/').next().unwrap_or_default().to_string();
        let mut parsed = parse_page(file, lesson_url(module_id, &id), LESSON_KEYS, "a lesson", diags);
        routes.insert(format!("modules/{dir}/{name}"), parsed.page.out.clone());
        let meta = read_meta(&mut parsed, diags, "lesson");
        let minutes = meta.minutes.unwrap_or_else(|| estimate_minutes(&parsed.page));
        let quizzes = quiz::embedded(&parsed.page, (module_id, &id), quiz_files, defaults, diags);
        let lesson = Lesson { id, title: meta.title, summary: meta.summary, minutes, page: parsed.page, quizzes };
        lessons.push((order_key(meta.order, &name), lesson));
    }
    lessons.sort_by(|a, b| a.0.cmp(&b.0));
    lessons.into_iter().map(|(_, l)| l).collect()
}

fn build_playbooks(
    files: Vec<TextFile>,
    config: &Config,
    routes: &mut BTreeMap<String, String>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Playbook> {
    let mut playbooks = Vec::new();
    let mut seen = BTreeSet::new();
    for file in files {
        let id = from_file_name(&file_stem(&file.path));
        if id.is_empty() || id == "index" || !seen.insert(id.clone()) {
            let message = format!("playbook id `{id}` is empty, reserved or used twice");
            diags.push(Diagnostic::error(&file.path, None, message).with_hint("rename the file"));
            continue;
        }
        let rel = content_rel(&file.path);
        let name = rel.rsplit('/').next().unwrap_or_default().to_string();
        let mut parsed = parse_page(file, playbook_url(&id), PLAYBOOK_KEYS, "a playbook", diags);
        routes.insert(rel, parsed.page.out.clone());
        let meta = read_meta(&mut parsed, diags, "playbook");
        let mut r = Reader::new(&parsed.page.path, parsed.offset, diags);
        let roles = r.strings(&parsed.fields, "roles").unwrap_or_default();
        let roles = resolve_roles(&mut r, &roles, config, true);
        let minutes = meta.minutes.unwrap_or_else(|| estimate_minutes(&parsed.page));
        let playbook = Playbook { id, title: meta.title, summary: meta.summary, roles, minutes, page: parsed.page };
        playbooks.push((order_key(meta.order, &name), playbook));
    }
    playbooks.sort_by(|a, b| a.0.cmp(&b.0));
    playbooks.into_iter().map(|(_, p)| p).collect()
}

/// Warns about `*.quiz.toml` files no lesson embeds: they would silently never be seen.
fn unused_quiz_files(files: &BTreeMap<String, TextFile>, modules: &[Module], diags: &mut Vec<Diagnostic>) {
    let used: BTreeSet<&PathBuf> =
        modules.iter().flat_map(|m| &m.lessons).flat_map(|l| &l.quizzes).map(|q: &Quiz| &q.path).collect();
    let broken: BTreeSet<PathBuf> = diags.iter().map(|d| d.path.clone()).collect();
    for file in files.values().filter(|f| !used.contains(&f.path) && !broken.contains(&f.path)) {
        diags.push(Diagnostic::warning(&file.path, None, "this quiz file is not embedded in any lesson").with_hint(
            "embed it in a lesson beside it with a block: ```quiz, then file = \"<name>.quiz.toml\", then ```",
        ));
    }
}

fn map_assets(
    assets: Vec<crate::load::Asset>,
    modules: &[Module],
    routes: &mut BTreeMap<String, String>,
) -> BTreeMap<String, crate::load::Asset> {
    // Module folders keep their files, under the module's slug.
    let dirs: BTreeMap<String, String> = modules
        .iter()
        .filter_map(|m| {
            let rel = content_rel(&m.intro.path);
            let dir = rel.strip_prefix("modules/")?.split('/').next()?.to_string();
            Some((dir, m.id.clone()))
        })
        .collect();
    let mut out = BTreeMap::new();
    for asset in assets {
        let rel = content_rel(&asset.path);
        let parts: Vec<&str> = rel.splitn(3, '/').collect();
        let target = match parts.as_slice() {
            ["modules", dir, rest] => match dirs.get(*dir) {
                Some(id) => format!("modules/{id}/{rest}"),
                None => rel.clone(),
            },
            _ => rel.clone(),
        };
        routes.insert(rel, target.clone());
        out.insert(target, asset);
    }
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::count_words;

    #[test]
    fn counts_words_as_split_ascii_whitespace_does() {
        for text in ["", " ", "a", " a ", "a b", "\t\na\x0Cb\rc d", "a\x0Bb", "a\u{a0}b", "é è", &"w ".repeat(300)] {
            assert_eq!(count_words(text), text.split_ascii_whitespace().count(), "{text:?}");
        }
    }

    proptest! {
        #[test]
        fn word_count_matches_split_ascii_whitespace(text in "[ a\t\n\x0B\x0C\r\u{a0}é]{0,700}") {
            prop_assert_eq!(count_words(&text), text.split_ascii_whitespace().count());
        }
    }
}
