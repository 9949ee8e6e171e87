//! Render stage: `render(&Site)` → `Output`, a map of output paths to bytes. Pure: no I/O.
//! Markdown is rendered first for every page, so links to anchors of other pages can be
//! checked before any template runs.

pub(crate) mod highlight;
pub(crate) mod markdown;
pub(crate) mod pages;
pub(crate) mod search;
pub(crate) mod templates;
pub(crate) mod theme;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use sha2::{Digest, Sha256};

use crate::diagnostic::Diagnostic;
use crate::error::Result;
use crate::model::Site;
use highlight::Highlighter;
use markdown::{Env, Rendered};
use templates::AssetsCx;
use theme::Theme;

/// The built portal: output path → bytes, sorted.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Output {
    /// Every file of the portal.
    pub(crate) files: BTreeMap<String, Vec<u8>>,
}

/// Renders the whole site. Content problems are added to `diags`; a broken theme is an error.
pub(crate) fn render(site: &Site, diags: &mut Vec<Diagnostic>) -> Result<Output> {
    let theme = Theme::load(&site.config.theme, &site.themes, diags);
    let tera = templates::compile(&theme)?;
    let highlighter = Highlighter::new();
    let env = Env { routes: &site.routes, highlighter: &highlighter };
    let rendered: BTreeMap<&str, Rendered> =
        site.pages().map(|p| (p.out.as_str(), markdown::render(p, &env, diags))).collect();
    check_anchors(site, &rendered, diags);
    let mut out = Output::default();
    let assets = theme_assets(&theme, &mut out);
    pages::render_all(site, &tera, &rendered, &assets, &mut out)?;
    search::build(site, &rendered, &mut out);
    for (path, asset) in &site.assets {
        out.files.insert(path.clone(), asset.bytes.clone());
    }
    for asset in &site.statics {
        let path = asset.path.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        out.files.insert(path, asset.bytes.clone());
    }
    Ok(out)
}

fn check_anchors(site: &Site, rendered: &BTreeMap<&str, Rendered>, diags: &mut Vec<Diagnostic>) {
    for page in site.pages() {
        let Some(r) = rendered.get(page.out.as_str()) else {
            continue;
        };
        for link in &r.anchors {
            let Some(target) = rendered.get(link.target.as_str()) else {
                continue;
            };
            if target.ids.contains(&link.anchor) {
                continue;
            }
            let hint = crate::diagnostic::did_you_mean(&link.anchor, target.ids.iter().map(String::as_str))
                .unwrap_or_else(|| {
                    "anchors are the heading text in lowercase with dashes, like #setting-up-alerts".into()
                });
            let message = format!("anchor `#{}` does not exist in {}", link.anchor, link.target);
            diags.push(Diagnostic::error(&page.path, Some(link.span.clone()), message).with_hint(hint));
        }
    }
}

/// Short content hash for cache-safe asset names.
pub(crate) fn content_hash(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().take(5).fold(String::with_capacity(10), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// `name.ext` → `name.<hash>.ext`.
fn hashed_name(path: &str, bytes: &[u8]) -> String {
    match path.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{}.{ext}", content_hash(bytes)),
        None => format!("{path}.{}", content_hash(bytes)),
    }
}

/// Copies the theme's static files to `assets/`, CSS and JS under hashed names, plus the
/// generated highlighting stylesheet.
fn theme_assets(theme: &Theme, out: &mut Output) -> AssetsCx {
    let mut cx = AssetsCx::default();
    for (path, bytes) in theme.statics() {
        let name =
            if path.ends_with(".css") || path.ends_with(".js") { hashed_name(path, bytes) } else { path.to_string() };
        let url = format!("assets/{name}");
        match path {
            "skillbook.css" => cx.css.clone_from(&url),
            "skillbook.js" => cx.js.clone_from(&url),
            "search.js" => cx.search_js.clone_from(&url),
            _ => {}
        }
        out.files.insert(url, bytes.to_vec());
    }
    let css = Highlighter::css().into_bytes();
    cx.highlight_css = format!("assets/{}", hashed_name("highlight.css", &css));
    out.files.insert(cx.highlight_css.clone(), css);
    cx
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_change_with_content() {
        assert_ne!(hashed_name("a.css", b"x"), hashed_name("a.css", b"y"));
        assert!(hashed_name("a.css", b"x").starts_with("a."));
        assert!(hashed_name("a.css", b"x").ends_with(".css"));
    }
}
