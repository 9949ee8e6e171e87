//! Model stage: slugs, ids and output URLs, defined once for the whole program.

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

/// Slug of a file or folder name: extension and an ordering prefix like `01-` removed.
pub(crate) fn from_file_name(stem: &str) -> String {
    let digits = stem.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &stem[digits..];
    let stripped = match rest.chars().next() {
        Some('-' | '_' | '.') if digits > 0 && rest.len() > 1 => &rest[1..],
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
}
