//! Model stage: slugs, ids and output URLs, defined once for the whole program.

use std::path::Path;

/// Turns text into a URL-safe slug: lowercase letters and digits, words joined by `-`.
pub(crate) fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        } else if c == ' ' || c == '-' || c == '_' || c == '\t' {
            dash = true;
        }
    }
    out
}

/// Slug of a file or folder name: extension and an ordering prefix like `01-`, `01_`, `01.`
/// or `01 ` removed.
pub(crate) fn from_file_name(stem: &str) -> String {
    let digits = stem.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &stem[digits..];
    let stripped = match rest.chars().next() {
        Some('-' | '_' | '.' | ' ') if digits > 0 && rest.len() > 1 => &rest[1..],
        _ => stem,
    };
    slugify(stripped)
}

/// The relative URL from the page at root-relative `from` to root-relative `to`.
pub(crate) fn relative(from: &str, to: &str) -> String {
    let from_dirs: Vec<&str> = from.split('/').collect();
    let from_dirs = &from_dirs[..from_dirs.len() - 1];
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dirs.iter().zip(&to_parts).take_while(|(a, b)| a == b).count();
    let common = common.min(to_parts.len() - 1);
    let mut out = "../".repeat(from_dirs.len() - common);
    out.push_str(&to_parts[common..].join("/"));
    out
}

/// The relative path from the page at root-relative `page` back to the root (`""` or `"../"`…).
pub(crate) fn root_of(page: &str) -> String {
    "../".repeat(page.matches('/').count())
}

/// A heading's slug: `section` when the text has no letters or digits.
pub(crate) fn heading_slug(text: &str) -> String {
    let slug = slugify(text);
    if slug.is_empty() {
        "section".to_string()
    } else {
        slug
    }
}

/// A source file's path under `content/`, with `/` separators: `content/a/b.md` → `a/b.md`.
pub(crate) fn content_rel(path: &Path) -> String {
    let rel = path.strip_prefix("content").unwrap_or(path);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// Joins the relative path `rel` to the folder `dir` (both `/`-separated, no leading `/`),
/// resolving `.` and `..`; `None` when it climbs above `dir`'s root.
pub(crate) fn join(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// The folder part of a `/`-separated path: `a/b.md` → `a`, `b.md` → the empty string.
pub(crate) fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

// Output paths, relative to the output root. Every page's place is decided here.

/// The home page.
pub(crate) const HOME: &str = "index.html";
/// The page a missing URL gets.
pub(crate) const NOT_FOUND: &str = "404.html";
/// The list of roles.
pub(crate) const ROLES: &str = "roles/index.html";
/// The list of modules.
pub(crate) const MODULES: &str = "modules/index.html";
/// The list of playbooks.
pub(crate) const PLAYBOOKS: &str = "playbooks/index.html";
/// The search page.
pub(crate) const SEARCH_PAGE: &str = "search/index.html";
/// The search index's entry script, the one search file with a fixed name.
pub(crate) const SEARCH_INDEX: &str = "search/index.js";

/// A theme asset or generated script, by its (hashed) file name.
pub(crate) fn asset_url(name: &str) -> String {
    format!("assets/{name}")
}

/// A module's intro page.
pub(crate) fn module_url(module_id: &str) -> String {
    format!("modules/{module_id}/index.html")
}

/// A lesson's page.
pub(crate) fn lesson_url(module_id: &str, lesson_id: &str) -> String {
    format!("modules/{module_id}/{lesson_id}.html")
}

/// A module's assessment page.
pub(crate) fn quiz_url(module_id: &str) -> String {
    format!("modules/{module_id}/quiz.html")
}

/// A playbook's page.
pub(crate) fn playbook_url(playbook_id: &str) -> String {
    format!("playbooks/{playbook_id}.html")
}

/// A role's path page.
pub(crate) fn role_url(role_id: &str) -> String {
    format!("roles/{role_id}.html")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slugify("Step 2: Reply in public (quickly!)"), "step-2-reply-in-public-quickly");
        assert_eq!(slugify("  --Hello--World--  "), "hello-world");
        assert_eq!(slugify("Écoute sociale"), "écoute-sociale");
        assert_eq!(slugify("!!!"), "");
    }

    #[test]
    fn file_name_prefixes_are_dropped() {
        assert_eq!(from_file_name("01-why-listen"), "why-listen");
        assert_eq!(from_file_name("2_Setting Up"), "setting-up");
        assert_eq!(from_file_name("l05"), "l05");
        assert_eq!(from_file_name("2024"), "2024");
        assert_eq!(from_file_name("10x-growth"), "10x-growth");
        assert_eq!(from_file_name("03 Social Tips"), "social-tips");
        assert_eq!(from_file_name("03 "), "03");
    }

    #[test]
    fn relative_urls() {
        assert_eq!(relative("modules/a/x.html", "modules/a/y.html"), "y.html");
        assert_eq!(relative("modules/a/x.html", "modules/b/index.html"), "../b/index.html");
        assert_eq!(relative("index.html", "modules/a/x.html"), "modules/a/x.html");
        assert_eq!(relative("playbooks/p.html", "modules/a/x.html"), "../modules/a/x.html");
        assert_eq!(relative("modules/a/x.html", "modules/a/images/i.png"), "images/i.png");
        assert_eq!(relative("a/b.html", "a"), "../a");
    }

    #[test]
    fn roots() {
        assert_eq!(root_of("index.html"), "");
        assert_eq!(root_of("modules/a/x.html"), "../../");
    }

    #[test]
    fn joins() {
        assert_eq!(join("modules/01-a", "../02-b/x.md").as_deref(), Some("modules/02-b/x.md"));
        assert_eq!(join("modules/01-a", "./x.md").as_deref(), Some("modules/01-a/x.md"));
        assert_eq!(join("", "a//b/./c").as_deref(), Some("a/b/c"));
        assert_eq!(join("a", "../..").as_deref(), None);
        assert_eq!(join("", "..").as_deref(), None);
        assert_eq!(parent("a/b/c.md"), "a/b");
        assert_eq!(parent("c.md"), "");
    }

    #[test]
    fn content_paths_and_heading_slugs() {
        assert_eq!(content_rel(Path::new("content/modules/a/x.md")), "modules/a/x.md");
        assert_eq!(content_rel(Path::new("elsewhere/x.md")), "elsewhere/x.md");
        assert_eq!(heading_slug("Why listen?"), "why-listen");
        assert_eq!(heading_slug("???"), "section");
    }
}
