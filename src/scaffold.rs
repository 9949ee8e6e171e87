//! `skillbook new`: writes the starter site embedded in the binary into a new folder.

use std::path::Path;

use crate::error::{Error, Result};

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
    for (rel, bytes) in crate::render::theme::starter_files() {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(Error::io("create", parent))?;
        }
        std::fs::write(&path, bytes).map_err(Error::io("write", &path))?;
    }
    eprintln!("created a new site in {}", dir.display());
    eprintln!("next: cd {} && skillbook serve", dir.display());
    Ok(())
}
