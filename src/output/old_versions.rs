//! The old versions and diffs of a new output, linked from the cache. They
//! never change, and there are many of them: each is a hard link to the
//! cache's file (a copy where the file system cannot link), never a file
//! taken from the previous output, which stays as it is until the swap; the
//! folders of the output before that are moved in from the reserve, and
//! kept only where they hold those same links. A build stopped at any
//! moment, even by SIGKILL, leaves the output whole, and a file removed or
//! changed in it by hand is made right again.

use super::reserve::{FolderLook, Reserve};
use crate::artifact::{RevisionDir, RevisionEntry};
use std::io;
use std::path::Path;

/// Links every page of the revision folders `dirs` into `staging`; with
/// `precompress`, each page's compressed copies come with it. A folder the
/// `reserve` holds is moved from there, and only what it lacks is linked.
pub fn link_revision_dirs(
    staging: &Path,
    dirs: &[RevisionDir],
    precompress: bool,
    reserve: Option<&Reserve>,
) -> io::Result<()> {
    // The page itself, then the compressed copies the cache keeps beside it.
    let suffixes: &[&str] = if precompress {
        &[
            "",
            crate::compress::SUFFIXES[0],
            crate::compress::SUFFIXES[1],
        ]
    } else {
        &[""]
    };
    let reserve = reserve.filter(|reserve| reserve.still_unmounted());
    let movable = reserve.map(|_| super::reserve::movable(dirs));
    // As this build makes folders: one of the reserve's that looks
    // otherwise was changed by hand.
    let look = FolderLook::of(&staging.metadata()?);
    use rayon::prelude::*;
    dirs.par_iter().enumerate().try_for_each(|(k, dir)| {
        let target = crate::files::inside(staging, &dir.dir)?;
        let in_place = match (reserve, &movable) {
            (Some(reserve), Some(movable)) if movable[k] => reserve.take(dir, staging, look)?,
            _ => vec![false; dir.entries.len()],
        };
        // A folder the build wrote pages into already (ones the cache
        // could not keep) gets the rest beside them.
        make_folder(&target)?;
        for (entry, _) in dir.entries.iter().zip(in_place).filter(|(_, there)| !there) {
            let file = crate::files::inside(&target, &RevisionEntry::file_in_dir(&entry.name))?;
            if !entry.name.is_empty() {
                std::fs::create_dir_all(crate::files::inside(&target, &entry.name)?)?;
            }
            for &suffix in suffixes {
                let source = crate::compress::copy_path(&entry.source, suffix);
                let copy = crate::compress::copy_path(&file, suffix);
                match std::fs::hard_link(&source, &copy) {
                    Ok(()) => {}
                    // A small page has no compressed copies.
                    Err(e) if !suffix.is_empty() && e.kind() == io::ErrorKind::NotFound => {}
                    Err(_) => {
                        // Never written through a file already there: it
                        // may be a link to the cache's own.
                        match std::fs::remove_file(&copy) {
                            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                            _ => {}
                        }
                        std::fs::copy(&source, &copy)?;
                    }
                }
            }
        }
        Ok(())
    })
}

/// Makes the folder `path`, whose parent (the page's own folder) is
/// usually there already: one system call where `create_dir_all` takes
/// three, for each of a page's revision folders.
fn make_folder(path: &Path) -> io::Result<()> {
    match crate::files::with_folder_made(path, |path| std::fs::create_dir(path)) {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists && path.is_dir() => Ok(()),
        other => other,
    }
}
