//! The old versions of the output before the current one, kept in the
//! site's cache (`.twn-cache/reserve/public`) for the next build to move
//! into its staging folder. Making every old version's folder and link
//! anew took a rebuild on a real disk from 0.8 to 4–7 s (200 pages with
//! 40,000 old versions and diffs: 80,000 folders and links made, and as
//! many removed); moving takes one rename per page's folder of them. In
//! the cache, not beside the output: a folder beside it may be served with
//! it, and the cache is kept out of git and away from the host already.
//!
//! Nothing in the reserve is trusted: it was the published output, open to
//! any change by hand. A folder moved out of it keeps only files that are
//! links to the very files the cache vouched for (the same device and
//! inode), in folders as a build makes them; anything else is removed and
//! made anew, and a folder that cannot be cleared goes back whole. It is
//! never the live output: that stays whole until the swap, whatever stops
//! a build.

use super::mounts::mount_at_or_below;
use super::{clear_leftovers, hold, open_folder, remove_folder_on_all_cores, same_file};
use crate::artifact::{RevisionDir, RevisionEntry, StoredIdentity};
use crate::files::rename_unless_taken;
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

/// The reserve of the output folder `name` in the folder of reserves
/// `home`, free for the next build to claim.
pub fn free_name(home: &Path, name: &str) -> PathBuf {
    home.join(name)
}

/// The name of a reserve that the build numbered `number` holds.
fn claimed_name(name: &str, number: &str) -> String {
    format!(".{name}.in-use-{number}")
}

/// Gives back the reserves that builds which stopped held: those no build
/// holds locked. One whose free name is taken meanwhile is removed.
pub fn give_back_leftovers(home: &Path, name: &str) {
    // Never through a link to some other folder.
    if !is_plain_folder(home) {
        return;
    }
    let prefix = claimed_name(name, "");
    let is_leftover = |file_name: &std::ffi::OsStr| {
        file_name
            .to_str()
            .and_then(|n| n.strip_prefix(&prefix))
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    };
    clear_leftovers(home, is_leftover, |leftover| {
        if rename_unless_taken(leftover, &free_name(home, name)).is_err() {
            remove_folder_on_all_cores(leftover);
        }
    });
}

/// Removes the reserves of other output folders than that of the free
/// reserve `kept`, and what stopped builds left of them, that no build
/// holds: only the output built last keeps one. Otherwise a reserve would
/// outlive its output, with pages the cache has long forgotten (and
/// history since purged from git), and each name built would add one.
pub fn remove_others(kept: &Path) {
    let (Some(home), Some(name)) = (kept.parent(), kept.file_name()) else {
        return;
    };
    if is_plain_folder(home) {
        clear_leftovers(
            home,
            |file_name| file_name != name,
            remove_folder_on_all_cores,
        );
    }
}

/// Whether `home` is a plain folder of the cache's, made now if missing.
fn home_made(home: &Path) -> bool {
    match std::fs::create_dir(home) {
        Ok(()) => true,
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => is_plain_folder(home),
        Err(_) => false,
    }
}

impl Reserve {
    /// Claims the reserve of the output folder `name` in `home`, if there
    /// is one, no other build holds it, and no file system is mounted in
    /// it. `home` must be a folder, not a link, like everything on the way
    /// to a folder moved out of it.
    pub fn claim(home: &Path, name: &str, number: &str) -> Option<Reserve> {
        if !is_plain_folder(home) {
            return None;
        }
        let free_name = free_name(home, name);
        let claim = hold(&free_name)?;
        let real_home = home.canonicalize().ok()?;
        if mount_at_or_below(&real_home.join(name)).is_some() {
            return None;
        }
        let device = claim.metadata().ok()?.dev();
        let own_name = claimed_name(name, number);
        let folder = home.join(&own_name);
        rename_unless_taken(&free_name, &folder).ok()?;
        // From here on, whatever happens, it goes back.
        let reserve = Reserve {
            real: real_home.join(own_name),
            folder,
            free_name,
            device,
            removed: false,
            _claim: claim,
        };
        same_file(&reserve._claim, &reserve.folder).then_some(reserve)
    }

    /// Whether nothing has been mounted in the reserve since it was
    /// claimed: a folder moved out of it is cleared out.
    pub fn still_unmounted(&self) -> bool {
        mount_at_or_below(&self.real).is_none()
    }

    /// Moves the reserve's copy of `dir` into `staging` (which must not
    /// have it yet), and keeps in it only what is linked to the cache's
    /// files. Returns which of `dir`'s entries are in place; none if the
    /// reserve has no such folder. Nothing may be written into the staging
    /// folder by path after this: it now holds the cache's own files.
    pub fn take(
        &self,
        dir: &RevisionDir,
        staging: &Path,
        look: FolderLook,
    ) -> io::Result<Vec<bool>> {
        let none = vec![false; dir.entries.len()];
        // Without the trailing `/`, which has a path's last link followed.
        let relative = dir.dir.trim_end_matches('/');
        let same_device = dir.entries.iter().all(|e| e.identity.device == self.device);
        let (Ok(source), Ok(target)) = (
            crate::files::inside(&self.folder, relative),
            crate::files::inside(staging, relative),
        ) else {
            return Ok(none);
        };
        // No link, nor one on the way: the reserve was the published
        // output, and a link put into it could lead to a folder of the
        // user's, to be moved and cleared out.
        let movable = same_device
            && crate::files::lies_within_real(&self.real, &source)
            && source
                .symlink_metadata()
                .is_ok_and(|meta| meta.is_dir() && look.is_of(&source, &meta));
        if !movable
            || crate::files::with_folder_made(&target, |target| {
                rename_unless_taken(&source, target)
            })
            .is_err()
        {
            return Ok(none);
        }
        match keep_only_linked(&target, &dir.entries, look) {
            Ok(in_place) => Ok(in_place),
            Err(_) => {
                rename_unless_taken(&target, &source)?;
                Ok(none)
            }
        }
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

/// What a folder's mode and owners are. A folder of the reserve whose look
/// differs from one the build makes was changed by hand (`chmod -R`, a
/// `chown`, `setfacl`), and is made anew rather than published so.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct FolderLook {
    mode: u32,
    owner: u32,
    group: u32,
}

impl FolderLook {
    pub fn of(meta: &std::fs::Metadata) -> FolderLook {
        FolderLook {
            mode: meta.mode() & 0o7777,
            owner: meta.uid(),
            group: meta.gid(),
        }
    }

    /// Whether the folder `path` (with `meta`) looks like this, without
    /// an ACL: one that a build makes has none.
    fn is_of(self, path: &Path, meta: &std::fs::Metadata) -> bool {
        FolderLook::of(meta) == self && !has_acl(path)
    }
}

/// Whether `path` carries an access or default ACL, which a mode does not
/// show. A default ACL would also shape the folders linked in later.
fn has_acl(path: &Path) -> bool {
    #[cfg(target_os = "linux")]
    {
        ["system.posix_acl_access", "system.posix_acl_default"]
            .iter()
            .any(|name| match rustix::fs::lgetxattr_query(path, *name) {
                Err(rustix::io::Errno::NODATA | rustix::io::Errno::NOTSUP) => false,
                // Present, or unknown: not to be kept.
                Ok(_) | Err(_) => true,
            })
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = path;
        false
    }
}

/// Keeps in `folder` (a revision folder just moved into the staging
/// folder) what `entries` need and is linked to the cache's files; returns
/// which entries are in place. Everything else is removed; if anything
/// cannot be read or removed, the folder is not to be used.
fn keep_only_linked(
    folder: &Path,
    entries: &[RevisionEntry],
    look: FolderLook,
) -> io::Result<Vec<bool>> {
    let mut in_place = vec![false; entries.len()];
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
    for child in std::fs::read_dir(folder)? {
        let child = child?;
        let kind = child.file_type()?;
        let name = child.file_name();
        let entry = name.to_str().and_then(|name| by_name.get(name));
        if let Some(&k) = entry
            && kind.is_dir()
            && look.is_of(&child.path(), &child.metadata()?)
            && holds_exactly(&child.path(), &entries[k].identity)?
        {
            in_place[k] = true;
        } else if let Some(k) = top
            && is_stored(&child, &top_files, entries[k].identity.device)?
        {
            top_found.push(child.path());
        } else {
            remove_entry(&child.path(), kind)?;
        }
    }
    if let Some(k) = top {
        if top_found.len() == top_files.len() {
            in_place[k] = true;
        } else {
            for file in top_found {
                std::fs::remove_file(file)?;
            }
        }
    }
    Ok(in_place)
}

/// The files an old version's folder holds, by name and inode: the page,
/// and the compressed copies the cache keeps beside it.
fn expected_files(identity: &StoredIdentity) -> Vec<(String, u64)> {
    let page = RevisionEntry::file_in_dir("");
    let copies = crate::compress::SUFFIXES
        .iter()
        .zip(identity.copies)
        .filter(|(_, inode)| *inode != 0)
        .map(|(suffix, inode)| (format!("{page}{suffix}"), inode));
    std::iter::once((page.clone(), identity.page))
        .chain(copies)
        .collect()
}

/// Whether `folder` holds the files of `identity` and nothing else.
fn holds_exactly(folder: &Path, identity: &StoredIdentity) -> io::Result<bool> {
    let expected = expected_files(identity);
    let mut found = 0;
    for child in std::fs::read_dir(folder)? {
        if !is_stored(&child?, &expected, identity.device)? {
            return Ok(false);
        }
        found += 1;
    }
    Ok(found == expected.len())
}

/// Whether `child` is one of the `expected` files (by name and inode on
/// `device`): the cache's very file, not a link to it or a copy.
fn is_stored(
    child: &std::fs::DirEntry,
    expected: &[(String, u64)],
    device: u64,
) -> io::Result<bool> {
    if !child.file_type()?.is_file() {
        return Ok(false);
    }
    let meta = child.metadata()?;
    let name = child.file_name();
    Ok(meta.dev() == device
        && name.to_str().is_some_and(|name| {
            expected
                .iter()
                .any(|(n, inode)| n == name && *inode == meta.ino())
        }))
}

/// Makes the previous output, set aside by a swap, the next build's
/// reserve: everything but the revision folders `kept` (this build's) is
/// removed, and it moves to the reserve's free name. Where that is taken
/// (by another build's), it is removed whole.
pub fn keep_as_reserve(set_aside: &Path, free_name: &Path, kept: &[String]) {
    let real = set_aside
        .canonicalize()
        .unwrap_or_else(|_| set_aside.to_path_buf());
    if mount_at_or_below(&real).is_some() {
        return;
    }
    // A site without history, one whose old versions are copies (the cache
    // on another file system than the output), or one whose cache cannot
    // take the reserve keeps none.
    let home = free_name.parent().unwrap_or(Path::new("."));
    let device = |path: &Path| path.metadata().map(|m| m.dev()).ok();
    if kept.is_empty() || !home_made(home) || device(home) != device(set_aside) {
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
    unwanted.par_iter().for_each(|(path, kind)| {
        let _ = remove_entry(path, *kind);
    });
    // Should the cache's own .gitignore be gone: `git add -A` would commit
    // every old version.
    let kept_out_of_git = crate::files::create_new_file(&set_aside.join(".gitignore"), b"*\n");
    if kept_out_of_git.is_err() || rename_unless_taken(set_aside, free_name).is_err() {
        drop(claim);
        remove_folder_on_all_cores(set_aside);
    }
}

/// Removes a file, a link (never what it leads to) or a folder with all in
/// it; one already gone is no failure.
fn remove_entry(path: &Path, kind: std::fs::FileType) -> io::Result<()> {
    let removed = if kind.is_dir() {
        std::fs::remove_dir_all(path)
    } else {
        std::fs::remove_file(path)
    };
    match removed {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

/// Whether `path` is a folder, not a link to one.
fn is_plain_folder(path: &Path) -> bool {
    path.symlink_metadata().is_ok_and(|m| m.is_dir())
}

/// Which revision folders may be moved whole: those with no other below
/// them. Clearing a moved folder of what it should not hold would remove
/// the inner one's pages while another thread links them in.
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
