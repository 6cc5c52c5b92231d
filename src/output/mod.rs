//! Writing the output all at once: files go into a staging folder beside
//! the target as soon as they are rendered, and the folder is swapped in
//! only when complete, so a failed build leaves the previous output
//! untouched.

pub mod guard;
pub mod host_limit;
pub mod interrupt;
pub mod mounts;
pub mod old_versions;
pub mod reserve;

use crate::artifact::{OutputFile, RevisionDir};
use crate::files::inside;
use rayon::prelude::*;
use std::io;
use std::path::{Path, PathBuf};

/// A file to copy as it is (theme assets, files beside pages).
pub struct CopiedFile {
    pub from: PathBuf,
    pub to: String,
    /// Hard-link instead of copying: for files that never change, such as
    /// cached old versions (copied after all where linking fails).
    pub link: bool,
}

/// The folder a build writes into, beside the output folder. Files can be
/// written as soon as they are rendered, from any thread; `fill` adds the
/// rest, and `finish` swaps the folder in. Nothing touches the previous
/// output before that swap. Dropped unfinished (a failed build), it is
/// removed.
pub struct Staging {
    out_dir: PathBuf,
    staging: PathBuf,
    previous: PathBuf,
    finished: bool,
    /// Writes compressed copies beside text files (`precompress`).
    precompress: bool,
    /// The staging folder, open and locked while this build uses it: how
    /// another build tells it from one a stopped build left behind.
    _claim: std::fs::File,
    /// The revision folders of the output before the previous one, to move
    /// in.
    reserve: Option<reserve::Reserve>,
    /// Where this build's revision folders wait for the next build.
    reserve_name: Option<PathBuf>,
    /// This build's revision folders, which its reserve keeps.
    revision_folders: Vec<String>,
}

impl Staging {
    /// Begins a build of `out_dir`; `reserve_home` is the folder of the
    /// site's cache that keeps old versions between builds (see
    /// [`reserve`]), if the cache may be used.
    pub fn begin(
        out_dir: &Path,
        precompress: bool,
        reserve_home: Option<&Path>,
    ) -> io::Result<Staging> {
        // As named, without a trailing `.` (`public/.`), which no rename
        // takes.
        let out_dir: PathBuf = out_dir.components().collect();
        let out_dir = out_dir.as_path();
        let parent = match out_dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent)?;
        let name = out_dir
            .file_name()
            .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
        remove_stale_staging(&parent, &name);
        if let Some(home) = reserve_home {
            reserve::give_back_leftovers(home, &name);
        }
        // A folder of this number left is another build's, in another
        // process namespace (a container sharing the site).
        let pid = std::process::id();
        for number in std::iter::once(pid.to_string()).chain((1..).map(|n| format!("{pid}{n}"))) {
            let staging = parent.join(format!(".{name}.staging-{number}"));
            match std::fs::create_dir(&staging) {
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
                Ok(()) => {}
            }
            // Another build may take the new folder for a leftover before
            // it is locked: then it is gone, or locked by that build, and
            // the next name is tried.
            let claim = match std::fs::File::open(&staging) {
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                other => other?,
            };
            match claim.try_lock() {
                Err(std::fs::TryLockError::WouldBlock) => continue,
                // A file system that cannot lock: built unlocked, as before.
                Err(std::fs::TryLockError::Error(_)) | Ok(()) => {}
            }
            if !same_file(&claim, &staging) {
                continue;
            }
            return Ok(Staging {
                out_dir: out_dir.to_path_buf(),
                previous: parent.join(format!(".{name}.previous-{number}")),
                staging,
                finished: false,
                precompress,
                _claim: claim,
                reserve: reserve_home
                    .and_then(|home| reserve::Reserve::claim(home, &name, &number)),
                reserve_name: reserve_home.map(|home| reserve::free_name(home, &name)),
                revision_folders: Vec::new(),
            });
        }
        unreachable!("an endless range of names")
    }

    /// Writes one file into the new output, with its compressed copies
    /// if the site asks for them; returns the bytes of all it wrote.
    pub fn write(&self, file: &OutputFile) -> io::Result<u64> {
        let path = inside(&self.staging, &file.path)?;
        // A new file, never one there: that could be the cache's own.
        crate::files::create_new_file(&path, &file.contents)?;
        let copies = if self.precompress {
            write_compressed(&path, &file.path, &file.contents)?
        } else {
            0
        };
        Ok(file.contents.len() as u64 + copies)
    }

    /// Writes what is left: `files`, `copies` and the old versions of
    /// `revision_dirs`. Returns the bytes as written of the first two, with
    /// their compressed copies (the revision pages' own entries say
    /// theirs).
    pub fn fill(
        &mut self,
        files: &[OutputFile],
        copies: &[CopiedFile],
        revision_dirs: &[RevisionDir],
    ) -> io::Result<u64> {
        let written = std::sync::atomic::AtomicU64::new(0);
        files.par_iter().try_for_each(|file| {
            let bytes = self.write(file)?;
            written.fetch_add(bytes, std::sync::atomic::Ordering::Relaxed);
            io::Result::Ok(())
        })?;
        let copied = copy_all(&self.staging, copies, self.precompress)?;
        old_versions::link_revision_dirs(
            &self.staging,
            revision_dirs,
            self.precompress,
            self.reserve.as_ref(),
        )?;
        // Old versions copied, not linked (the cache on another file
        // system), would take their room twice in a reserve, never used.
        let staging_device = std::os::unix::fs::MetadataExt::dev(&self.staging.metadata()?);
        let linked = revision_dirs
            .iter()
            .flat_map(|d| &d.entries)
            .all(|e| e.identity.device == staging_device);
        if linked {
            self.revision_folders = revision_dirs.iter().map(|d| d.dir.clone()).collect();
        }
        Ok(written.into_inner() + copied)
    }

    /// Swaps the new output in; returns the previous output, set aside.
    pub fn finish(mut self) -> io::Result<SetAside> {
        std::fs::write(
            inside(&self.staging, guard::MARKER_FILE)?,
            guard::MARKER_TEXT,
        )?;
        let set_aside = swap_in(&self.staging, &self.out_dir, &self.previous)?;
        self.finished = true;
        Ok(SetAside {
            folder: set_aside,
            old_reserve: self.reserve.take(),
            reserve_name: std::mem::take(&mut self.reserve_name),
            revision_folders: std::mem::take(&mut self.revision_folders),
        })
    }
}

/// Puts `staging` where `out_dir` is; returns where the previous output
/// went. Where the file system can exchange two folders (Linux), that is
/// one step: there is no moment without an output, whatever stops the
/// build. Elsewhere it takes two renames, and the previous output is put
/// back if the second fails.
fn swap_in(staging: &Path, out_dir: &Path, previous: &Path) -> io::Result<Option<PathBuf>> {
    if out_dir.symlink_metadata().is_err() {
        std::fs::rename(staging, out_dir)?;
        return Ok(None);
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        if renameat_with(CWD, staging, CWD, out_dir, RenameFlags::EXCHANGE).is_ok() {
            return Ok(Some(staging.to_path_buf()));
        }
    }
    // Locked while set aside, or another build would take it for a
    // leftover, and there would be nothing to put back.
    let _claim = std::fs::File::open(out_dir).inspect(|folder| {
        let _ = folder.try_lock();
    });
    std::fs::rename(out_dir, previous)?;
    if let Err(e) = std::fs::rename(staging, out_dir) {
        let _ = std::fs::rename(previous, out_dir);
        return Err(e);
    }
    // Removed under the staging name, now free: a `.previous-` folder then
    // only ever means a swap stopped between its renames, which the next
    // build puts back (see `remove_stale_staging`), never one half removed.
    match std::fs::rename(previous, staging) {
        Ok(()) => Ok(Some(staging.to_path_buf())),
        Err(_) => Ok(Some(previous.to_path_buf())),
    }
}

/// The previous output after a swap, to keep as the next build's reserve.
/// Left behind (a build stopped), the next build removes it.
pub struct SetAside {
    folder: Option<PathBuf>,
    /// What this build did not take from its reserve.
    old_reserve: Option<reserve::Reserve>,
    reserve_name: Option<PathBuf>,
    revision_folders: Vec<String>,
}

impl SetAside {
    /// Removes all of the previous output but its revision folders, which
    /// become the reserve, and what is left of the old reserve.
    pub fn remove(self) {
        let SetAside {
            folder,
            old_reserve,
            reserve_name,
            revision_folders,
        } = self;
        rayon::join(
            || {
                if let Some(old_reserve) = old_reserve {
                    old_reserve.remove();
                }
                if let Some(reserve_name) = &reserve_name {
                    reserve::remove_others(reserve_name);
                }
            },
            || match (folder, &reserve_name) {
                (Some(folder), Some(reserve_name)) => {
                    reserve::keep_as_reserve(&folder, reserve_name, &revision_folders)
                }
                (Some(folder), None) => remove_folder_on_all_cores(&folder),
                (None, _) => {}
            },
        );
    }
}

/// Whether `path` still names the file or folder `open` is.
pub(super) fn same_file(open: &std::fs::File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (open.metadata(), path.symlink_metadata()) {
        (Ok(a), Ok(b)) => (a.dev(), a.ino()) == (b.dev(), b.ino()),
        _ => false,
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.finished {
            remove_folder_on_all_cores(&self.staging);
        }
    }
}

/// Removes staging folders that a build killed midway left beside the
/// output: those no build holds locked. Process numbers cannot tell: one
/// may belong to another program after a restart, or to a build in another
/// process namespace (a container sharing the site). Where the file system
/// cannot lock, they stay. A leftover that is a link is removed, never
/// followed.
fn remove_stale_staging(parent: &Path, name: &str) {
    let kind_of = |file_name: &std::ffi::OsStr| {
        let file_name = file_name.to_string_lossy();
        [".staging-", ".previous-"].into_iter().find(|kind| {
            file_name
                .strip_prefix(&format!(".{name}{kind}"))
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        })
    };
    clear_leftovers(
        parent,
        |file_name| kind_of(file_name).is_some(),
        |leftover| {
            // Stopped between the two renames of a swap where folders
            // cannot be exchanged: the previous output goes back.
            let output = parent.join(name);
            let set_aside = leftover.file_name().and_then(kind_of) == Some(".previous-");
            if set_aside
                && output.symlink_metadata().is_err()
                && std::fs::rename(leftover, &output).is_ok()
            {
                return;
            }
            remove_folder_on_all_cores(leftover);
        },
    );
}

/// Goes through the entries of `folder` that `is_leftover` names: a link
/// is removed, never followed; a folder that no build holds is handed to
/// `clear`, and held locked meanwhile, so that no build can take it.
pub(super) fn clear_leftovers(
    folder: &Path,
    is_leftover: impl Fn(&std::ffi::OsStr) -> bool,
    clear: impl Fn(&Path),
) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        if !is_leftover(&entry.file_name()) {
            continue;
        }
        match entry.file_type() {
            Ok(kind) if kind.is_dir() => {
                if let Some(_held) = hold(&entry.path()) {
                    clear(&entry.path());
                }
            }
            Ok(kind) if kind.is_symlink() => {
                let _ = std::fs::remove_file(entry.path());
            }
            _ => {}
        }
    }
}

/// The folder `path` (no link), open and locked, if no other build holds
/// it; the lock lasts as long as the handle.
pub(super) fn hold(path: &Path) -> Option<std::fs::File> {
    let folder = open_folder(path).ok()?;
    folder.try_lock().ok()?;
    Some(folder)
}

/// Opens a folder that is no link, to lock it.
pub(super) fn open_folder(path: &Path) -> io::Result<std::fs::File> {
    use rustix::fs::{Mode, OFlags};
    let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    Ok(std::fs::File::from(rustix::fs::open(
        path,
        flags,
        Mode::empty(),
    )?))
}

/// Removes a folder of twn's own (a previous output, a staging folder)
/// with everything in it. One thread took longer to unlink a site with its
/// history (180,000 files and folders: 1.6 s) than to write it, and the
/// build waits for it; the folders two levels down are removed in
/// parallel. Links are removed, never followed: a link is no folder to
/// `file_type`, and `remove_dir_all` removes a link it is given. A folder
/// with another file system mounted in it is left whole: removing it would
/// empty that file system (the guard refuses such an output folder; this
/// holds for one mounted during a build, or below a leftover).
pub(super) fn remove_folder_on_all_cores(folder: &Path) {
    let real = std::fs::canonicalize(folder).unwrap_or_else(|_| folder.to_path_buf());
    if mounts::mount_at_or_below(&real).is_some() {
        return;
    }
    fn folders_below(folder: &Path, depth: usize, found: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(folder) else {
            return;
        };
        for entry in entries.filter_map(Result::ok) {
            if !entry.file_type().is_ok_and(|t| t.is_dir()) {
                continue;
            }
            if depth > 1 {
                folders_below(&entry.path(), depth - 1, found);
            } else {
                found.push(entry.path());
            }
        }
    }
    let mut folders = Vec::new();
    folders_below(folder, 2, &mut folders);
    folders.par_iter().for_each(|below| {
        let _ = std::fs::remove_dir_all(below);
    });
    if std::fs::remove_dir_all(folder).is_err() && folder.symlink_metadata().is_ok() {
        // A folder made read-only by hand in the output (`chmod -w`, for a
        // user who is not root) keeps what is in it; it is twn's own.
        let writable = |entry: &walkdir::DirEntry| {
            use std::os::unix::fs::PermissionsExt;
            let mode = entry
                .metadata()
                .map(|m| m.permissions().mode())
                .unwrap_or(0);
            let _ = std::fs::set_permissions(
                entry.path(),
                std::fs::Permissions::from_mode(mode | 0o700),
            );
        };
        walkdir::WalkDir::new(folder)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|entry| entry.file_type().is_dir())
            .for_each(|entry| writable(&entry));
        let _ = std::fs::remove_dir_all(folder);
    }
}

/// Copies the folder `from` with everything in it to `to`.
pub fn copy_tree(from: &Path, to: &Path) -> io::Result<()> {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.map_err(io::Error::other)?;
        let target = to.join(entry.path().strip_prefix(from).map_err(io::Error::other)?);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

/// Writes the compressed copies of `contents` (the file at `path`, named
/// `name` in the output) beside it, where they are worth having.
/// Writes the compressed copies of a file; returns their bytes.
fn write_compressed(path: &Path, name: &str, contents: &[u8]) -> io::Result<u64> {
    let mut written = 0;
    for (copy, bytes) in crate::compress::copies_beside(path, name, contents) {
        std::fs::write(copy, &bytes)?;
        written += bytes.len() as u64;
    }
    Ok(written)
}

/// Copies (or links) `copies` below `root`; returns the bytes they take
/// there, with their compressed copies.
fn copy_all(root: &Path, copies: &[CopiedFile], precompress: bool) -> io::Result<u64> {
    // A file of the site's own named like a compressed copy (`x.txt.gz`
    // beside `x.txt`) is published as it is, and no copy is made in its place.
    let names: std::collections::HashSet<&str> = copies.iter().map(|c| c.to.as_str()).collect();
    let own_copy = |to: &str| {
        crate::compress::SUFFIXES
            .iter()
            .any(|suffix| names.contains(format!("{to}{suffix}").as_str()))
    };
    copies
        .par_iter()
        .map(|copy| {
            let path = inside(root, &copy.to)?;
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            // The theme's style sheet and scripts, and text files beside pages.
            if precompress && crate::compress::is_text(&copy.to) && !own_copy(&copy.to) {
                let contents = std::fs::read(&copy.from)?;
                std::fs::write(&path, &contents)?;
                let copies = write_compressed(&path, &copy.to, &contents)?;
                return Ok(contents.len() as u64 + copies);
            }
            if copy.link && std::fs::hard_link(&copy.from, &path).is_ok() {
                return Ok(path.metadata()?.len());
            }
            std::fs::copy(&copy.from, path)
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_new_output_replaces_the_old_one_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir_all(out.join("oud")).unwrap();
        std::fs::write(out.join("oud/index.html"), "oud").unwrap();
        let files = [OutputFile {
            path: "nieuw/index.html".into(),
            contents: b"nieuw".to_vec(),
        }];
        let mut staging = Staging::begin(&out, false, None).unwrap();
        staging.fill(&files, &[], &[]).unwrap();
        staging.finish().unwrap().remove();
        assert!(!out.join("oud").exists());
        assert_eq!(
            std::fs::read_to_string(out.join("nieuw/index.html")).unwrap(),
            "nieuw"
        );
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers, ["public"]);
        assert!(out.join(guard::MARKER_FILE).is_file());
    }

    #[test]
    fn removing_an_old_output_removes_links_and_never_what_they_lead_to() {
        let dir = tempfile::tempdir().unwrap();
        let own = dir.path().join("eigen");
        std::fs::create_dir_all(own.join("map")).unwrap();
        std::fs::write(own.join("map/bewaren.txt"), "van de gebruiker").unwrap();
        let old = dir.path().join("oud");
        for deep in ["a/b/c/d", "a/e", "f"] {
            std::fs::create_dir_all(old.join(deep)).unwrap();
            std::fs::write(old.join(deep).join("index.html"), "oud").unwrap();
        }
        // Links at each depth: to the folder, and to a file in it.
        std::os::unix::fs::symlink(&own, old.join("link")).unwrap();
        std::os::unix::fs::symlink(&own, old.join("a/link")).unwrap();
        std::os::unix::fs::symlink(own.join("map"), old.join("a/b/link")).unwrap();
        std::os::unix::fs::symlink(own.join("map/bewaren.txt"), old.join("a/b/c/link")).unwrap();
        remove_folder_on_all_cores(&old);
        assert!(!old.exists());
        assert_eq!(
            std::fs::read_to_string(own.join("map/bewaren.txt")).unwrap(),
            "van de gebruiker"
        );
    }

    #[test]
    fn filling_counts_what_it_wrote_with_the_compressed_copies() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let page = "<p>Een pagina met genoeg tekst om te comprimeren.</p>\n".repeat(80);
        let files = [OutputFile {
            path: "pagina/index.html".into(),
            contents: page.clone().into_bytes(),
        }];
        let style = dir.path().join("stijl.css");
        std::fs::write(&style, "p { color: #123456; }\n".repeat(100)).unwrap();
        let image = dir.path().join("kaart.png");
        std::fs::write(&image, b"\x89PNG\r\n").unwrap();
        let copies =
            [("static/stijl.css", &style), ("kaart.png", &image)].map(|(to, from)| CopiedFile {
                from: from.clone(),
                to: to.into(),
                link: false,
            });
        let mut staging = Staging::begin(&out, true, None).unwrap();
        let counted = staging.fill(&files, &copies, &[]).unwrap();
        let on_disk: u64 = walkdir::WalkDir::new(&staging.staging)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .filter(|e| e.file_name() != guard::MARKER_FILE)
            .map(|e| e.metadata().unwrap().len())
            .sum();
        assert!(
            std::path::Path::new(&format!(
                "{}/static/stijl.css.br",
                staging.staging.display()
            ))
            .exists()
        );
        assert_eq!(counted, on_disk);
    }

    #[test]
    fn an_output_set_aside_by_a_build_stopped_midway_goes_back() {
        let dir = tempfile::tempdir().unwrap();
        let set_aside = dir.path().join(".public.previous-7");
        std::fs::create_dir_all(&set_aside).unwrap();
        std::fs::write(set_aside.join("index.html"), "vorige uitvoer").unwrap();
        std::fs::create_dir_all(dir.path().join(".public.staging-7")).unwrap();
        remove_stale_staging(dir.path(), "public");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("public/index.html")).unwrap(),
            "vorige uitvoer"
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn only_leftovers_that_no_build_holds_are_removed() {
        let _turn = crate::test_turns::freeing_locks();
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = dir.path().join("www");
        std::fs::create_dir_all(&elsewhere).unwrap();
        std::fs::write(elsewhere.join("index.html"), "van de gebruiker").unwrap();
        let stale = dir.path().join(".public.staging-1");
        std::fs::create_dir_all(stale.join("regio")).unwrap();
        std::os::unix::fs::symlink(&elsewhere, dir.path().join(".public.previous-1")).unwrap();
        // A build in another process namespace with this process's number.
        let other = dir
            .path()
            .join(format!(".public.staging-{}", std::process::id()));
        std::fs::create_dir_all(other.join("regio")).unwrap();
        let other_claim = std::fs::File::open(&other).unwrap();
        other_claim.lock().unwrap();
        let staging = Staging::begin(&dir.path().join("public"), false, None).unwrap();
        assert!(!stale.exists());
        assert!(
            !dir.path().join(".public.previous-1").exists(),
            "the link itself"
        );
        assert!(elsewhere.join("index.html").exists(), "not what it led to");
        assert!(other.join("regio").exists(), "the other build's, in use");
        assert_ne!(staging.staging, other);
        remove_stale_staging(dir.path(), "public");
        assert!(staging.staging.exists(), "this build's, in use");
        drop(other_claim);
        remove_stale_staging(dir.path(), "public");
        assert!(!other.exists(), "left by a build that stopped");
        assert!(staging.staging.exists());
    }
}
