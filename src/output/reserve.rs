//! The old versions of the output before the current one, kept beside it
//! (`.public.reserve`) for the next build to move into its staging folder.
//! Making every old version's folder and link anew took a rebuild on a
//! real disk from 0.8 to 4–7 s (200 pages with 40,000 old versions and
//! diffs: 80,000 folders and links made, and as many removed); moving takes
//! one rename per page's folder of them.
//!
//! Nothing in the reserve is trusted: it was the published output, open to
//! any change by hand. A folder moved out of it keeps only files that are
//! links to the very files the cache vouched for (the same device and
//! inode); anything else in it is removed and made anew. It is never the
//! live output: that stays whole until the swap, whatever stops a build.

use super::mounts::mount_at_or_below;
use super::{remove_folder_on_all_cores, same_file};
use crate::artifact::{RevisionDir, RevisionEntry, StoredIdentity};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// The reserve as one build holds it: locked, and renamed to a name of the
/// build's own, so that no other build takes from it meanwhile.
pub struct Reserve {
    folder: PathBuf,
    /// `folder` with every link on the way resolved.
    real: PathBuf,
    /// Where it goes back to if the build fails.
    free_name: PathBuf,
    device: u64,
    removed: bool,
    _claim: File,
}

/// The name of the reserve beside the output folder `name`, free for the
/// next build to claim.
pub fn free_name(parent: &Path, name: &str) -> PathBuf {
    parent.join(format!(".{name}.reserve"))
}

impl Reserve {
    /// Claims the reserve beside the output folder `name`, if there is
    /// one, no other build holds it, and no file system is mounted in it.
    pub fn claim(parent: &Path, name: &str, number: &str) -> Option<Reserve> {
        let free_name = free_name(parent, name);
        let claim = open_folder(&free_name).ok()?;
        claim.try_lock().ok()?;
        let real = parent.canonicalize().ok()?.join(free_name.file_name()?);
        if mount_at_or_below(&real).is_some() {
            return None;
        }
        let folder = parent.join(format!(".{name}.reserve-{number}"));
        rename_unless_taken(&free_name, &folder).ok()?;
        if !same_file(&claim, &folder) {
            return None;
        }
        Some(Reserve {
            device: claim.metadata().ok()?.dev(),
            real: folder.canonicalize().ok()?,
            folder,
            free_name,
            removed: false,
            _claim: claim,
        })
    }

    /// Moves the reserve's copy of `dir` to `target` in the staging folder
    /// (which must not have it yet), and keeps in it only what is linked to
    /// the cache's files. Returns which of `dir`'s entries are there whole;
    /// none if the reserve has no such folder.
    pub fn take(&self, dir: &RevisionDir, target: &Path) -> Vec<bool> {
        let mut whole = vec![false; dir.entries.len()];
        let same_device = dir.entries.iter().all(|e| e.identity.device == self.device);
        let Ok(source) = crate::files::inside(&self.folder, &dir.dir) else {
            return whole;
        };
        // A folder, no link, and no link on the way there either: the
        // reserve was the published output, and a link put into it could
        // lead to a folder of the user's, to be moved and cleared out.
        let is_folder = source.symlink_metadata().is_ok_and(|m| m.is_dir());
        let inside_reserve = || {
            source
                .parent()
                .and_then(|parent| parent.canonicalize().ok())
                .is_some_and(|parent| parent.starts_with(&self.real))
        };
        if !same_device || !is_folder || !inside_reserve() {
            return whole;
        }
        if crate::files::with_folder_made(target, |target| rename_unless_taken(&source, target))
            .is_err()
        {
            return whole;
        }
        keep_only_linked(target, &dir.entries, &mut whole);
        whole
    }

    /// Removes what no build took from the reserve.
    pub fn remove(mut self) {
        self.removed = true;
        remove_folder_on_all_cores(&self.folder);
    }
}

impl Drop for Reserve {
    /// A build that failed gives the reserve back for the next one.
    fn drop(&mut self) {
        if !self.removed && rename_unless_taken(&self.folder, &self.free_name).is_err() {
            remove_folder_on_all_cores(&self.folder);
        }
    }
}

/// Keeps in `folder` (a revision folder just moved into the staging
/// folder) what `entries` need and is linked to the cache's files, and
/// marks those entries `whole`; removes everything else.
fn keep_only_linked(folder: &Path, entries: &[RevisionEntry], whole: &mut [bool]) {
    let Ok(children) = std::fs::read_dir(folder) else {
        return;
    };
    let by_name: HashMap<&str, usize> = entries
        .iter()
        .enumerate()
        .filter(|(_, e)| !e.name.is_empty())
        .map(|(k, e)| (e.name.as_str(), k))
        .collect();
    // An entry without a name has its files right in the folder.
    let top = entries.iter().position(|e| e.name.is_empty());
    let top_files = top.map_or_else(Vec::new, |k| expected_files(&entries[k].identity));
    let mut top_found = Vec::new();
    for child in children.filter_map(Result::ok) {
        let name = child.file_name();
        let name = name.to_str().unwrap_or_default();
        let Ok(kind) = child.file_type() else {
            continue;
        };
        if let Some(&k) = by_name.get(name) {
            if kind.is_dir() && holds_exactly(&child.path(), &entries[k].identity) {
                whole[k] = true;
                continue;
            }
        } else if kind.is_file()
            && let Ok(meta) = child.metadata()
            && top_files.contains(&(name.to_owned(), meta.ino()))
            && top.is_some_and(|k| meta.dev() == entries[k].identity.device)
        {
            top_found.push(child.path());
            continue;
        }
        remove_entry(&child.path(), kind);
    }
    if let Some(k) = top {
        if top_found.len() == top_files.len() {
            whole[k] = true;
        } else {
            for file in top_found {
                let _ = std::fs::remove_file(file);
            }
        }
    }
}

/// The files an old version's folder holds, by name and inode: the page,
/// and the compressed copies the cache keeps beside it.
fn expected_files(identity: &StoredIdentity) -> Vec<(String, u64)> {
    let page = RevisionEntry::file_in_dir("");
    let copies = crate::compress::SUFFIXES
        .iter()
        .zip(&identity.inodes[1..])
        .filter(|(_, inode)| **inode != 0)
        .map(|(suffix, &inode)| (format!("{page}{suffix}"), inode));
    std::iter::once((page.clone(), identity.inodes[0]))
        .chain(copies)
        .collect()
}

/// Whether `folder` holds the files of `identity` and nothing else.
fn holds_exactly(folder: &Path, identity: &StoredIdentity) -> bool {
    let expected = expected_files(identity);
    let Ok(children) = std::fs::read_dir(folder) else {
        return false;
    };
    let mut found = 0;
    for child in children {
        let Ok(child) = child else {
            return false;
        };
        let name = child.file_name();
        let linked = child.file_type().is_ok_and(|kind| kind.is_file())
            && child.metadata().is_ok_and(|meta| {
                meta.dev() == identity.device
                    && expected.contains(&(name.to_string_lossy().into_owned(), meta.ino()))
            });
        if !linked {
            return false;
        }
        found += 1;
    }
    found == expected.len()
}

/// Makes the previous output, set aside by a swap, the next build's
/// reserve: everything but the revision folders `kept` (this build's) is
/// removed, and it takes the reserve's free name. Where that is taken (by
/// another build's), it is removed whole.
pub fn keep_as_reserve(set_aside: &Path, free_name: &Path, kept: &[String]) {
    let real = set_aside
        .canonicalize()
        .unwrap_or_else(|_| set_aside.to_path_buf());
    if mount_at_or_below(&real).is_some() {
        return;
    }
    // A site without history leaves none.
    if kept.is_empty() {
        return remove_folder_on_all_cores(set_aside);
    }
    let Ok(claim) = open_folder(set_aside) else {
        return;
    };
    match claim.try_lock() {
        // Another build is removing it as a leftover.
        Err(std::fs::TryLockError::WouldBlock) => return,
        // No locks here: a reserve could be taken from while in use.
        Err(std::fs::TryLockError::Error(_)) => {
            drop(claim);
            return remove_folder_on_all_cores(set_aside);
        }
        Ok(()) => {}
    }
    let kept: HashSet<&str> = kept.iter().map(String::as_str).collect();
    let on_the_way: HashSet<&str> = kept
        .iter()
        .flat_map(|dir| dir.match_indices('/').map(|(at, _)| &dir[..=at]))
        .filter(|folder| !kept.contains(folder))
        .collect();
    let mut unwanted = Vec::new();
    let mut folders = vec![(set_aside.to_path_buf(), String::new())];
    while let Some((folder, relative)) = folders.pop() {
        let Ok(children) = std::fs::read_dir(&folder) else {
            continue;
        };
        for child in children.filter_map(Result::ok) {
            let Ok(kind) = child.file_type() else {
                continue;
            };
            let name = child.file_name();
            let below = format!("{relative}{}/", name.to_string_lossy());
            if kind.is_dir() && kept.contains(below.as_str()) {
                continue;
            }
            if kind.is_dir() && on_the_way.contains(below.as_str()) {
                folders.push((child.path(), below));
            } else {
                unwanted.push((child.path(), kind));
            }
        }
    }
    unwanted
        .par_iter()
        .for_each(|(path, kind)| remove_entry(path, *kind));
    // Hidden beside the output, where a site's .gitignore may not reach:
    // `git add -A` would commit every old version.
    let kept_out_of_git = crate::files::create_new_file(&set_aside.join(".gitignore"), b"*\n");
    if kept_out_of_git.is_err() || rename_unless_taken(set_aside, free_name).is_err() {
        drop(claim);
        remove_folder_on_all_cores(set_aside);
    }
}

/// Removes a file, a link (never what it leads to) or a folder with all in it.
fn remove_entry(path: &Path, kind: std::fs::FileType) {
    let _ = if kind.is_dir() {
        std::fs::remove_dir_all(path)
    } else {
        std::fs::remove_file(path)
    };
}

/// Opens a folder that is no link, to lock it.
fn open_folder(path: &Path) -> io::Result<File> {
    use rustix::fs::{Mode, OFlags};
    let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    Ok(File::from(rustix::fs::open(path, flags, Mode::empty())?))
}

/// Renames `from` to `to` unless something is there already (a plain
/// rename would replace an empty folder).
pub(super) fn rename_unless_taken(from: &Path, to: &Path) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE) {
            Err(rustix::io::Errno::INVAL | rustix::io::Errno::NOSYS) => {}
            other => return other.map_err(io::Error::from),
        }
    }
    if to.symlink_metadata().is_ok() {
        return Err(io::ErrorKind::AlreadyExists.into());
    }
    std::fs::rename(from, to)
}

/// Which revision folders may be moved whole: those with no other below
/// them, whose entries moving would remove.
pub fn movable(dirs: &[RevisionDir]) -> Vec<bool> {
    let sorted: std::collections::BTreeSet<&str> = dirs.iter().map(|d| d.dir.as_str()).collect();
    dirs.iter()
        .map(|d| {
            sorted
                .range::<str, _>((
                    std::ops::Bound::Excluded(d.dir.as_str()),
                    std::ops::Bound::Unbounded,
                ))
                .next()
                .is_none_or(|next| !next.starts_with(d.dir.as_str()))
        })
        .collect()
}
