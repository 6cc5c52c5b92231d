//! The one place twn names and writes a file: every path it writes below
//! the output folder or the cache is proven to stay inside it first, every
//! file the editor of `twn serve` writes below `content/` too, and every
//! file is written whole.

use std::io;
use std::path::{Path, PathBuf};

/// `path` from the root, as named (no links resolved); as given where the
/// working folder is unknown.
pub fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// The path of `relative` below `root`: the one way twn names a file it
/// writes, so nothing from content or theme can lead outside the output
/// folder or the cache, whatever it holds.
pub fn inside(root: &Path, relative: &str) -> io::Result<PathBuf> {
    crate::urls::check_output_path(relative)
        .map(|()| root.join(relative))
        .map_err(|refused| io::Error::new(io::ErrorKind::InvalidInput, refused.message))
}

/// Whether `file` would land inside `folder`, following every symbolic
/// link on the way: a linked folder must not carry a write elsewhere, and
/// `file` itself must not be a link.
pub fn lies_within(folder: &Path, file: &Path) -> bool {
    folder
        .canonicalize()
        .is_ok_and(|folder| lies_within_real(&folder, file))
}

/// [`lies_within`] for a folder given with its links resolved.
pub fn lies_within_real(folder: &Path, file: &Path) -> bool {
    let not_a_link = std::fs::symlink_metadata(file).map_or(true, |m| !m.file_type().is_symlink());
    let mut existing = file.parent();
    while let Some(above) = existing {
        if let Ok(real) = above.canonicalize() {
            return real.starts_with(folder) && not_a_link;
        }
        existing = above.parent();
    }
    false
}

/// Writes a new file, never over one that is there, making its folders. A
/// file that cannot be written whole is removed again.
pub fn create_new_file(path: &Path, contents: &[u8]) -> io::Result<()> {
    create_new_with_mode(path, contents, None)
}

/// [`create_new_file`], made with `mode` (under the umask) where given.
fn create_new_with_mode(path: &Path, contents: &[u8], mode: Option<u32>) -> io::Result<()> {
    use io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = with_folder_made(path, |path| {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        if let Some(mode) = mode {
            options.mode(mode);
        }
        options.open(path)
    })?;
    file.write_all(contents).inspect_err(|_| {
        let _ = std::fs::remove_file(path);
    })
}

/// Writes one file whole: under a temporary name first, then renamed, so a
/// crash never leaves half a file under the real name. The temporary name
/// is one twn ignores below `content/` (hidden, ending in `~`), so the
/// preview never takes it for a page or a file beside one.
pub fn replace_file(path: &Path, contents: &[u8]) -> io::Result<()> {
    replace(path, contents, false)
}

/// [`replace_file`] for a file of the user's (a page saved from the
/// editor): it keeps who may read it, so a page kept private stays so.
/// twn's own files get the usual mode, whatever a later step set.
pub fn replace_users_file(path: &Path, contents: &[u8]) -> io::Result<()> {
    replace(path, contents, true)
}

fn replace(path: &Path, contents: &[u8], keep_mode: bool) -> io::Result<()> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("bestand");
    let temporary = path.with_file_name(format!(".{name}.{}.twn~", std::process::id()));
    let kept = keep_mode
        .then(|| path.symlink_metadata().ok().filter(|m| m.is_file()))
        .flatten()
        .map(|before| before.permissions());
    // Made new, never written through: what is at that name (a stopped
    // save's file, or a link someone put there) is removed first. Made
    // with the kept mode, so a private page's text is never readable by
    // others on the way.
    let mode = kept.as_ref().map(|kept| {
        use std::os::unix::fs::PermissionsExt;
        kept.mode() & 0o777
    });
    if let Err(e) = create_new_with_mode(&temporary, contents, mode) {
        if e.kind() != io::ErrorKind::AlreadyExists {
            return Err(e);
        }
        std::fs::remove_file(&temporary)?;
        create_new_with_mode(&temporary, contents, mode)?;
    }
    // Exactly as it was, past the umask.
    if let Some(kept) = kept {
        let _ = std::fs::set_permissions(&temporary, kept);
    }
    std::fs::rename(&temporary, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&temporary);
    })
}

/// Does `make` at `path`, and where its folder is missing makes the folder
/// and does it again. The folder usually exists: one system call then,
/// where making the folder first would take two or three more.
pub fn with_folder_made<T>(path: &Path, make: impl Fn(&Path) -> io::Result<T>) -> io::Result<T> {
    match make(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            make(path)
        }
        other => other,
    }
}

/// Renames `from` to `to` unless something is there already (a plain
/// rename would replace an empty folder).
pub fn rename_unless_taken(from: &Path, to: &Path) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE) {
            // A file system that cannot refuse: checked first instead.
            Err(rustix::io::Errno::INVAL | rustix::io::Errno::NOSYS) => {}
            other => return other.map_err(io::Error::from),
        }
    }
    if to.symlink_metadata().is_ok() {
        return Err(io::ErrorKind::AlreadyExists.into());
    }
    std::fs::rename(from, to)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_users_replaced_file_keeps_its_mode_and_no_link_is_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let page = dir.path().join("almelo.md");
        std::fs::write(&page, "oud").unwrap();
        std::fs::set_permissions(&page, std::fs::Permissions::from_mode(0o600)).unwrap();
        let elsewhere = dir.path().join("elders.txt");
        std::fs::write(&elsewhere, "van iemand anders").unwrap();
        let temporary = dir
            .path()
            .join(format!(".almelo.md.{}.twn~", std::process::id()));
        std::os::unix::fs::symlink(&elsewhere, &temporary).unwrap();
        replace_users_file(&page, b"nieuw").unwrap();
        assert_eq!(std::fs::read_to_string(&page).unwrap(), "nieuw");
        assert!(!page.symlink_metadata().unwrap().is_symlink());
        let mode = page.metadata().unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(
            std::fs::read_to_string(&elsewhere).unwrap(),
            "van iemand anders"
        );
        assert!(!temporary.exists());
    }
}
