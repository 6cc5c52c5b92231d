//! Where a site keeps its parts: `twn.yaml`, `content/`, the themes, and
//! twn's own cache, which must stay a plain folder outside git.

use crate::diagnostics::Diagnostic;
use crate::files::replace_file;
use crate::git_files::tracked_file_below;
use std::path::{Path, PathBuf};

pub const CONFIG_FILE: &str = "twn.yaml";
pub const CONTENT_DIR: &str = "content";
pub const THEMES_DIR: &str = "themes";
pub const CACHE_DIR: &str = ".twn-cache";
/// The cache's folder of old versions kept from the previous output.
pub const RESERVE_DIR: &str = "reserve";

/// The cache folder of a site, or why twn may not use it: a symbolic link
/// would have twn write wherever it points, and a cache committed to git
/// could hold forged old versions and history. (A warning: the build goes
/// on without the cache.)
pub fn cache_dir(site_root: &Path) -> Result<PathBuf, Diagnostic> {
    let dir = site_root.join(CACHE_DIR);
    let warning = |message: String| {
        Diagnostic::warning(CACHE_DIR, message).help(
            "verwijder de map .twn-cache (twn maakt haar opnieuw) en zet `/.twn-cache` in .gitignore",
        )
    };
    if std::fs::symlink_metadata(&dir).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(warning(
            "de cache van twn is een symbolische koppeling; twn gebruikt haar niet".into(),
        ));
    }
    if dir.is_dir()
        && let Some(file) = tracked_file_below(&dir)
    {
        return Err(warning(format!(
            "de cache van twn staat in git ({file}); twn gebruikt haar niet, want wie iets vastlegt kan er alles in zetten"
        )));
    }
    Ok(dir)
}

/// A warning if old versions' folders in the cache are symbolic links
/// (`revisions/` or one of `revisions/xx/`): twn stores and takes nothing
/// there, and renders those versions on every build.
pub fn linked_cache_folders(site_root: &Path) -> Option<Diagnostic> {
    let revisions = site_root.join(CACHE_DIR).join("revisions");
    let is_link = |path: &Path| std::fs::symlink_metadata(path).is_ok_and(|m| m.is_symlink());
    let linked = if is_link(&revisions) {
        Some(revisions)
    } else {
        std::fs::read_dir(&revisions)
            .ok()?
            .filter_map(Result::ok)
            .find(|entry| entry.file_type().is_ok_and(|t| t.is_symlink()))
            .map(|entry| entry.path())
    }?;
    let shown = linked
        .strip_prefix(site_root)
        .unwrap_or(&linked)
        .display()
        .to_string();
    Some(
        Diagnostic::warning(
            shown.clone(),
            format!("{shown} is een symbolische koppeling; twn bewaart er geen oude versies in en maakt ze bij elke build opnieuw"),
        )
        .help("verwijder de koppeling; twn maakt de map zelf weer aan"),
    )
}

/// Writes a file of the cache folder (the parent of `path`), which keeps
/// itself out of git even where the site's .gitignore does not list it.
pub fn write_cache_file(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    replace_file(path, contents)?;
    match path.parent() {
        Some(dir) => keep_out_of_git(dir),
        None => Ok(()),
    }
}

/// Has git leave everything in the cache folder `dir` alone.
pub fn keep_out_of_git(dir: &Path) -> std::io::Result<()> {
    std::fs::write(dir.join(".gitignore"), "*\n")
}
