//! Model stage: `skillbook.toml` checked into a `Config`. Unknown keys here are errors,
//! because a mistyped setting silently ignored is worse than a failed build.

use std::collections::BTreeSet;
use std::path::Path;

use super::fields::Reader;
use super::slug::slugify;
use crate::diagnostic::{Diagnostic, Severity};
use crate::load::value::{parse_toml, Value};

/// Site settings.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    /// Portal title.
    pub(crate) title: String,
    /// One-line description.
    pub(crate) description: String,
    /// Namespace of the learner's saved progress.
    pub(crate) id: String,
    /// Language code of the content, e.g. `en`.
    pub(crate) language: String,
    /// Theme name; `default` is built in.
    pub(crate) theme: String,
    /// Roles in declared order.
    pub(crate) roles: Vec<Role>,
    /// Default pass mark of quizzes, percent.
    pub(crate) pass_mark: u8,
    /// Default of when quizzes show correct answers and explanations.
    pub(crate) reveal: super::quiz::Reveal,
    /// Lessons are marked complete when the learner scrolls to their end.
    pub(crate) auto_complete: bool,
    /// Logo, favicon and accent colours from `[theme]`.
    pub(crate) brand: super::brand::Brand,
    /// `[lms] report_failed`: a failed assessment is reported to an LMS as failed (else it
    /// stays incomplete, for LMSs that never complete a SCORM 1.2 course once it failed).
    pub(crate) report_failed: bool,
    /// Where the portal is published (`https://host/training/` or `/training/`), ending in
    /// `/`; only pages shown at any address (404) use it.
    pub(crate) base_url: Option<String>,
}

/// A job role with its own learning path.
#[derive(Debug, Clone)]
pub(crate) struct Role {
    /// Identifier used in front matter.
    pub(crate) id: String,
    /// Display name.
    pub(crate) name: String,
    /// What the role is about.
    pub(crate) description: String,
}

pub(crate) const TOP_KEYS: &[&str] = &[
    "title",
    "description",
    "id",
    "language",
    "theme",
    "base_url",
    "roles",
    "quiz",
    "progress",
    "lms",
    "follow_symlinks",
];
pub(crate) const ROLE_KEYS: &[&str] = &["id", "name", "description"];
pub(crate) const QUIZ_KEYS: &[&str] = &["pass_mark", "reveal"];
pub(crate) const PROGRESS_KEYS: &[&str] = &["auto_complete"];
pub(crate) const LMS_KEYS: &[&str] = &["report_failed"];

/// Checks `skillbook.toml`. Returns a usable config even when there were errors, so the rest
/// of the site can still be checked and every error reported in one run.
pub(crate) fn read(path: &Path, text: &str, diags: &mut Vec<Diagnostic>) -> Config {
    let mut config = Config {
        title: String::new(),
        description: String::new(),
        id: String::new(),
        language: "en".into(),
        theme: "default".into(),
        roles: Vec::new(),
        pass_mark: 80,
        reveal: super::quiz::Reveal::Always,
        auto_complete: false,
        brand: super::brand::Brand::default(),
        report_failed: true,
        base_url: None,
    };
    let doc = match parse_toml(text) {
        Ok(doc) => doc,
        Err(e) => {
            let (message, hint) = match e.hint {
                Some(hint) => (e.message, hint),
                None => (format!("invalid TOML: {}", e.message), "see the skillbook.toml example in the README".into()),
            };
            diags.push(Diagnostic::error(path, Some(e.span), message).with_hint(hint));
            return config;
        }
    };
    let Value::Table(top) = &doc.value else {
        return config;
    };
    let mut r = Reader::new(path, 0, diags);
    r.unknown_keys(top, TOP_KEYS, "skillbook.toml", Severity::Error);
    match r.string(top, "title") {
        Some(t) if !t.value.trim().is_empty() => config.title = t.value,
        Some(t) => r.error(&t.span, "`title` is empty", Some("give the portal a title".into())),
        None => r.diags.push(
            Diagnostic::error(path, Some(0..0), "skillbook.toml has no `title`")
                .with_hint("add a line like: title = \"My training\""),
        ),
    }
    config.description = r.string(top, "description").map(|s| s.value).unwrap_or_default();
    config.language = r.string(top, "language").map_or(config.language, |s| s.value);
    if super::brand::is_table(top) {
        let table = r.table(top, "theme").unwrap_or_default();
        let (name, brand) = super::brand::read(&mut r, table);
        config.theme = name.unwrap_or(config.theme);
        config.brand = brand;
    } else {
        config.theme = r.string(top, "theme").map_or(config.theme, |s| s.value);
    }
    config.id = match r.string(top, "id") {
        Some(id) if slugify(&id.value) == id.value && !id.value.is_empty() => id.value,
        Some(id) => {
            let hint = format!("use lowercase letters, digits and dashes, like \"{}\"", slugify(&id.value));
            r.error(&id.span, "`id` must be a slug", Some(hint));
            slugify(&id.value)
        }
        None => {
            let id = slugify(&config.title);
            let message = format!(
                "skillbook.toml has no `id`, so learners' progress is saved under \"{id}\", made from the title; \
                 changing the title would start every learner from zero"
            );
            let hint = format!("add a line id = \"{id}\" and never change it once learners use the portal");
            r.diags.push(Diagnostic::warning(path, Some(0..0), message).with_hint(hint));
            id
        }
    };
    if let Some(quiz) = r.table(top, "quiz") {
        r.unknown_keys(quiz, QUIZ_KEYS, "[quiz]", Severity::Error);
        if let Some(mark) = r.integer(quiz, "pass_mark", 0, 100) {
            config.pass_mark = u8::try_from(mark.value).unwrap_or(100);
        }
        if let Some(reveal) = super::quiz::reveal::read(&mut r, quiz) {
            config.reveal = reveal.value;
        }
    }
    if let Some(progress) = r.table(top, "progress") {
        r.unknown_keys(progress, PROGRESS_KEYS, "[progress]", Severity::Error);
        if let Some(auto) = r.boolean(progress, "auto_complete") {
            config.auto_complete = auto.value;
        }
    }
    if let Some(lms) = r.table(top, "lms") {
        r.unknown_keys(lms, LMS_KEYS, "[lms]", Severity::Error);
        if let Some(report) = r.boolean(lms, "report_failed") {
            config.report_failed = report.value;
        }
    }
    config.base_url = r.string(top, "base_url").and_then(|url| match base_url(&url.value) {
        Ok(url) => Some(url),
        Err((message, hint)) => {
            r.error(&url.span, message, Some(hint));
            None
        }
    });
    // Used by the load stage, which walks the folders before the config is checked: checked here.
    let _ = r.boolean(top, "follow_symlinks");
    config.roles = read_roles(&mut r, top);
    config
}

impl Config {
    /// What a quiz takes from `[quiz]` when it does not say.
    pub(crate) fn quiz_defaults(&self) -> super::quiz::Defaults {
        super::quiz::Defaults { pass_mark: self.pass_mark, reveal: self.reveal }
    }
}

/// A `base_url` checked and ending in `/`, or what is wrong with it and how to fix it.
fn base_url(url: &str) -> Result<String, (&'static str, String)> {
    const EXAMPLE: &str = "write the address the portal's home page has without index.html, like \
                           base_url = \"https://intranet.example.com/training/\", or only its path, \
                           like base_url = \"/training/\"";
    let url = url.trim();
    if url.is_empty() {
        return Err(("`base_url` is empty", format!("{EXAMPLE}, or remove the line")));
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '\\')) {
        return Err(("`base_url` has a space or a character that cannot be in a web address", EXAMPLE.into()));
    }
    if url.contains(['?', '#']) {
        return Err(("`base_url` has a `?` or `#`: it must be the portal's folder, nothing after it", EXAMPLE.into()));
    }
    let path = if let Some(rest) = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://")) {
        let (host, path) = rest.split_once('/').map_or((rest, ""), |(h, p)| (h, p));
        if host.is_empty() {
            return Err(("`base_url` has no server name after `//`", EXAMPLE.into()));
        }
        path
    } else if url.starts_with("//") {
        return Err(("`base_url` starts with `//`: write `https:` before it, or only the path", EXAMPLE.into()));
    } else if let Some(path) = url.strip_prefix('/') {
        path
    } else if url.contains("://") || url.starts_with("file:") {
        return Err(("`base_url` must start with `https://`, `http://` or `/`", EXAMPLE.into()));
    } else {
        let hint = format!(
            "start it with a slash, like base_url = \"/{}/\" (the portal's path on its server), or with https://",
            url.trim_matches('/')
        );
        return Err(("`base_url` must be a full web address or a path starting with `/`", hint));
    };
    if path.split('/').any(|s| s == ".." || s == ".") {
        return Err(("`base_url` has `.` or `..` in its path", EXAMPLE.into()));
    }
    let trimmed = url.strip_suffix("index.html").unwrap_or(url);
    Ok(if trimmed.ends_with('/') { trimmed.to_string() } else { format!("{trimmed}/") })
}

fn read_roles(r: &mut Reader<'_>, top: &[crate::load::value::Entry]) -> Vec<Role> {
    let mut roles: Vec<Role> = Vec::new();
    let mut seen = BTreeSet::new();
    for (table, span) in r.tables(top, "roles") {
        r.unknown_keys(table, ROLE_KEYS, "[[roles]]", Severity::Error);
        let Some(id) = r.string(table, "id") else {
            r.error(&span, "a role has no `id`", Some("add id = \"customer-service\" to this [[roles]] table".into()));
            continue;
        };
        let span = id.span.clone();
        if slugify(&id.value) != id.value || id.value.is_empty() {
            let hint = format!("use lowercase letters, digits and dashes, like \"{}\"", slugify(&id.value));
            r.diags.push(Diagnostic::error(r.path(), Some(span.clone()), "role `id` must be a slug").with_hint(hint));
        }
        if !seen.insert(id.value.clone()) {
            r.diags.push(
                Diagnostic::error(r.path(), Some(span), format!("role `{}` is declared twice", id.value))
                    .with_hint("give every role its own id"),
            );
            continue;
        }
        let name = r.string(table, "name").map_or_else(|| id.value.clone(), |n| n.value);
        let description = r.string(table, "description").map(|d| d.value).unwrap_or_default();
        roles.push(Role { id: id.value, name, description });
    }
    roles
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_roles() {
        let mut diags = Vec::new();
        let text = "title = \"Social media is everyone's job\"\n[[roles]]\nid = \"hr\"\nname = \"HR\"\n";
        let c = read(Path::new("skillbook.toml"), text, &mut diags);
        // Without an `id`, the title gives one, with a warning that says so.
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].severity, Severity::Warning);
        assert!(diags[0].message.contains("\"social-media-is-everyones-job\""), "{diags:?}");
        assert_eq!(c.id, "social-media-is-everyones-job");
        assert_eq!(c.pass_mark, 80);
        assert_eq!(c.roles[0].name, "HR");
    }

    #[test]
    fn unknown_key_is_an_error_with_hint() {
        let mut diags = Vec::new();
        read(Path::new("skillbook.toml"), "title = \"A\"\nid = \"a\"\ndescripton = \"x\"\n", &mut diags);
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].severity, Severity::Error);
        assert_eq!(diags[0].span, Some(21..31));
        assert_eq!(diags[0].hint.as_deref(), Some("did you mean `description`?"));
    }

    #[test]
    fn progress_table_is_checked() {
        let mut diags = Vec::new();
        let c = read(
            Path::new("skillbook.toml"),
            "id = \"a\"\ntitle = \"A\"\n[progress]\nauto_complete = true\n",
            &mut diags,
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert!(c.auto_complete);
        read(Path::new("skillbook.toml"), "id = \"a\"\ntitle = \"A\"\n[progress]\nauto_completed = true\n", &mut diags);
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].hint.as_deref(), Some("did you mean `auto_complete`?"));
    }

    #[test]
    fn duplicate_role() {
        let mut diags = Vec::new();
        let text = "title = \"A\"\nid = \"a\"\n[[roles]]\nid = \"hr\"\n[[roles]]\nid = \"hr\"\n";
        let c = read(Path::new("skillbook.toml"), text, &mut diags);
        assert_eq!(c.roles.len(), 1);
        assert!(diags[0].message.contains("declared twice"));
    }

    #[test]
    fn base_urls_are_full_addresses_or_paths_and_end_in_a_slash() {
        for (given, kept) in [
            ("https://intranet.example.com/training", "https://intranet.example.com/training/"),
            ("http://host:8080/", "http://host:8080/"),
            ("https://host", "https://host/"),
            ("/training/", "/training/"),
            ("/", "/"),
            ("/a/index.html", "/a/"),
        ] {
            assert_eq!(base_url(given).as_deref(), Ok(kept), "{given}");
        }
        for (given, says) in [
            ("training/", "must be a full web address"),
            ("", "is empty"),
            ("https:///x", "no server name"),
            ("//host/x", "starts with `//`"),
            ("ftp://host/", "must start with"),
            ("/a b/", "space"),
            ("/a/?x=1", "`?` or `#`"),
            ("/a/../b/", "`..`"),
        ] {
            let (message, _) = base_url(given).expect_err(given);
            assert!(message.contains(says), "{given}: {message}");
        }
        let mut diags = Vec::new();
        let c = read(Path::new("skillbook.toml"), "title = \"A\"\nid = \"a\"\nbase_url = \"training\"\n", &mut diags);
        assert_eq!(c.base_url, None);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].span, Some(32..42), "at the value");
        assert_eq!(diags[0].hint.as_deref(), Some("start it with a slash, like base_url = \"/training/\" (the portal's path on its server), or with https://"));
    }
}
