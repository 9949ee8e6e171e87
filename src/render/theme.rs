//! Render stage: the theme's files. The default theme is embedded at compile time; a site's
//! `themes/<name>/` folder overrides any file of it by path.

use std::collections::BTreeMap;
use std::path::Path;

use crate::diagnostic::Diagnostic;
use crate::load::Asset;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

/// Files of the starter site written by `skillbook new`.
pub(crate) fn starter_files() -> &'static [(&'static str, &'static [u8])] {
    embedded::STARTER
}

/// The merged files of a theme, keyed by path (`templates/base.html`, `static/skillbook.css`).
pub(crate) struct Theme {
    /// Path → bytes.
    pub(crate) files: BTreeMap<String, Vec<u8>>,
}

impl Theme {
    /// The default theme with the site's `themes/<name>/` files laid over it.
    pub(crate) fn load(name: &str, site_themes: &[Asset], diags: &mut Vec<Diagnostic>) -> Self {
        let mut files: BTreeMap<String, Vec<u8>> =
            embedded::DEFAULT_THEME.iter().map(|(p, b)| ((*p).to_string(), b.to_vec())).collect();
        let prefix = Path::new(name);
        let mut found = false;
        for asset in site_themes {
            if let Ok(rel) = asset.path.strip_prefix(prefix) {
                found = true;
                let key = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
                files.insert(key, asset.bytes.to_vec());
            }
        }
        if !found && name != "default" {
            diags.push(
                Diagnostic::error(
                    "skillbook.toml",
                    None,
                    format!("theme `{name}` not found: there is no themes/{name}/ folder"),
                )
                .with_hint("create themes/<name>/ with the files to override, or use theme = \"default\""),
            );
        }
        Self { files }
    }

    /// Templates: `(name, source)` for every file under `templates/`.
    pub(crate) fn templates(&self) -> impl Iterator<Item = (&str, String)> {
        self.files.iter().filter_map(|(path, bytes)| {
            let name = path.strip_prefix("templates/")?;
            Some((name, String::from_utf8_lossy(bytes).into_owned()))
        })
    }

    /// Static files: `(path under static/, bytes)`.
    pub(crate) fn statics(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files.iter().filter_map(|(path, bytes)| Some((path.strip_prefix("static/")?, bytes.as_slice())))
    }
}
