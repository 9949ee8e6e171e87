//! `skillbook new`: writes the starter site embedded in the binary into a new folder.

use std::path::Path;

use crate::error::{Error, Result};
use crate::model::slug::slugify;

/// The `id` line of the starter's `skillbook.toml`.
const STARTER_ID: &str = "id = \"my-training\"";

/// Creates a working site in `dir`, which must not exist or be empty.
pub(crate) fn new_site(dir: &Path) -> Result<()> {
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(Error::io("read", dir))?;
        if entries.next().is_some() {
            return Err(Error::Usage {
                message: format!("{} already exists and is not empty; choose a new folder name", dir.display()),
            });
        }
    }
    // The site's id, which keys learners' progress, comes from the folder's name, so two
    // sites made with `new` do not share one.
    let id = dir.file_name().map(|n| slugify(&n.to_string_lossy())).filter(|id| !id.is_empty());
    for (rel, bytes) in crate::render::theme::starter_files() {
        let path = dir.join(rel);
        let config;
        let bytes = match (&id, *rel) {
            (Some(id), "skillbook.toml") => {
                config = String::from_utf8_lossy(bytes).replacen(STARTER_ID, &format!("id = \"{id}\""), 1);
                config.as_bytes()
            }
            _ => bytes,
        };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(Error::io("create", parent))?;
        }
        std::fs::write(&path, bytes).map_err(Error::io("write", &path))?;
    }
    eprintln!("created a new site in {}", dir.display());
    let shown = dir.display().to_string();
    let shown = if shown.contains(char::is_whitespace) { format!("\"{shown}\"") } else { shown };
    eprintln!("next: cd {shown} && skillbook serve");
    Ok(())
}
