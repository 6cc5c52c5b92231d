//! What the git repository around a folder tracks. twn trusts no file of
//! its own that someone committed: a cache entry or an output marker in
//! git may be forged by anyone who can push.

use std::path::Path;

/// A file below `folder` that git tracks, if any (its path in the repository).
pub fn tracked_file_below(folder: &Path) -> Option<String> {
    let repo = gix::discover(folder).ok()?;
    let workdir = std::fs::canonicalize(repo.workdir()?).ok()?;
    let folder = std::fs::canonicalize(folder).ok()?;
    let below = folder.strip_prefix(&workdir).ok()?;
    let prefix: String = below
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    let index = repo.index_or_empty().ok()?;
    index.entries().iter().find_map(|entry| {
        let path = entry.path(&index).to_string();
        (prefix.is_empty() || path.starts_with(&format!("{prefix}/"))).then_some(path)
    })
}
