//! The one place twn names and writes a file: every path it writes below
//! the output folder or the cache is proven to stay inside it first, and
//! every file is written whole.

use std::io;
use std::path::{Path, PathBuf};

/// The path of `relative` below `root`: the one way twn names a file it
/// writes, so nothing from content or theme can lead outside the output
/// folder or the cache, whatever it holds.
pub fn inside(root: &Path, relative: &str) -> io::Result<PathBuf> {
    crate::urls::check_output_path(relative)
        .map(|()| root.join(relative))
        .map_err(|refused| io::Error::new(io::ErrorKind::InvalidInput, refused.message))
}

/// Writes one file whole: under a temporary name first, then renamed, so a
/// crash never leaves half a file under the real name.
pub fn replace_file(path: &Path, contents: &[u8]) -> io::Result<()> {
    let temporary = path.with_extension(format!("tmp-{}", std::process::id()));
    // The folder usually exists: make it only when writing says it is missing.
    match std::fs::write(&temporary, contents) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            std::fs::write(&temporary, contents)?;
        }
        other => other?,
    }
    std::fs::rename(&temporary, path)
}
