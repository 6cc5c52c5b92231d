//! Keeping the cache to what recent builds used. Every change of theme or
//! settings gives every old version a new key, and each new revision gives
//! its neighbours one: kept forever, the cache a CI run restores grew by a
//! whole site's worth with each. A build that succeeded removes what
//! neither it nor the builds just before it used, but only while no other
//! run uses the cache: each run holds a shared lock on it from its first
//! use, and the build removes pages only when it can have the lock alone.

use super::is_hex;
use crate::files::with_folder_made;
use std::fs::{File, OpenOptions};
use std::path::Path;

/// A page no build used in this many builds, the last included, is
/// removed: the next build can go back to the settings of any of them
/// and render nothing again.
pub(super) const KEPT_FOR_BUILDS: u32 = 3;

/// Held shared by every run that uses the cache, below the cache folder.
const LOCK_FILE: &str = "in-gebruik.lock";

/// Opens the cache's lock file and takes a shared lock on it, which the
/// run holds until it ends. Waits while a build removes pages (it holds
/// the lock alone, briefly). `None` where something other than a file lies
/// there, or the lock cannot be had: that run then never removes pages.
pub(super) fn share(dir: &Path) -> Option<File> {
    let path = dir.join(LOCK_FILE);
    if path.symlink_metadata().is_ok_and(|m| !m.is_file()) {
        return None;
    }
    let file = with_folder_made(&path, |path| {
        OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
    })
    .ok()?;
    // The cache folder may be new.
    let _ = crate::folders::keep_out_of_git(dir);
    file.lock_shared().ok()?;
    Some(file)
}

/// Whether this run now holds `lock` alone: no other run uses the cache.
/// Gives up this run's shared lock either way.
pub(super) fn alone(lock: &File) -> bool {
    lock.unlock().is_ok() && lock.try_lock().is_ok()
}

/// Removes what builds before this one kept for each output folder
/// (`uitvoer-<12 hex>.tsv`): which old versions they had moved into it.
/// Builds now link every old version from the cache. Plain files only.
pub(super) fn remove_old_output_lists(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name();
        let is_list = name
            .to_str()
            .and_then(|n| n.strip_prefix("uitvoer-"))
            .and_then(|n| n.strip_suffix(".tsv"))
            .is_some_and(|hex| is_hex(hex, 12));
        if is_list && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Removes every page file below `revisions` (`xx/<rest of key>.html`, and
/// its `.gz` and `.br` copies) whose key `keep` refuses, and temporary files
/// a run cut short left: what the list no longer names, and what it never
/// named (lines another run added and a rewritten list lost, the last
/// batch of a build that was killed). Only plain files in folders of the
/// cache's own, never through a link; names twn does not make stay.
pub(super) fn remove_unkept(revisions: &Path, keep: impl Fn(&str) -> bool) {
    if !revisions.symlink_metadata().is_ok_and(|m| m.is_dir()) {
        return;
    }
    let Ok(folders) = std::fs::read_dir(revisions) else {
        return;
    };
    for folder in folders.filter_map(Result::ok) {
        let name = folder.file_name();
        let Some(prefix) = name.to_str().filter(|n| is_hex(n, 2)) else {
            continue;
        };
        if !folder.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let Ok(files) = std::fs::read_dir(folder.path()) else {
            continue;
        };
        for file in files.filter_map(Result::ok) {
            let removable = file.file_name().to_str().is_some_and(|name| match name {
                _ if name.starts_with('.') && name.ends_with(".twn~") => true,
                _ => key_of_page_file(prefix, name).is_some_and(|key| !keep(&key)),
            });
            if removable && file.file_type().is_ok_and(|t| t.is_file()) {
                let _ = std::fs::remove_file(file.path());
            }
        }
    }
}

/// The key of a page file named `name` in folder `prefix`, if twn names
/// page files so.
fn key_of_page_file(prefix: &str, name: &str) -> Option<String> {
    let (rest, suffix) = name.split_once('.')?;
    let page_suffix = matches!(suffix, "html" | "html.gz" | "html.br");
    (page_suffix && is_hex(rest, 38)).then(|| format!("{prefix}{rest}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const REST: &str = "23456789abcdef0123456789abcdef01234567";

    /// The names in `folder`, sorted.
    fn names_in(folder: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(folder)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn only_page_files_and_stale_temporaries_of_unkept_keys_go() {
        let dir = tempfile::tempdir().unwrap();
        let revisions = dir.path().join("revisions");
        let folder = revisions.join("01");
        std::fs::create_dir_all(&folder).unwrap();
        let other = REST.replace('2', "f");
        let names = [
            format!("{REST}.html"),
            format!("{REST}.html.gz"),
            format!("{REST}.html.br"),
            format!("{other}.html"),
            format!(".{other}.html.4242.twn~"),
            format!("{REST}.txt"),
            "opmerking.html".to_owned(),
        ];
        for name in &names {
            std::fs::write(folder.join(name), "x").unwrap();
        }
        remove_unkept(&revisions, |key| key == format!("01{other}"));
        assert_eq!(
            names_in(&folder),
            [
                format!("{REST}.txt"),
                format!("{other}.html"),
                "opmerking.html".to_owned()
            ]
        );
    }

    #[test]
    fn only_the_lists_of_older_builds_go_from_the_cache_folder() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = dir.path().join("elders.tsv");
        std::fs::write(&elsewhere, "van de gebruiker").unwrap();
        let cache = dir.path().join("cache");
        std::fs::create_dir_all(cache.join("uitvoer-00000000000b.tsv")).unwrap();
        for name in [
            "uitvoer-0123456789ab.tsv",
            "uitvoer-notities.tsv",
            "lijst.tsv",
        ] {
            std::fs::write(cache.join(name), "x").unwrap();
        }
        std::os::unix::fs::symlink(&elsewhere, cache.join("uitvoer-00000000000c.tsv")).unwrap();
        remove_old_output_lists(&cache);
        assert_eq!(
            names_in(&cache),
            [
                "lijst.tsv",
                "uitvoer-00000000000b.tsv",
                "uitvoer-00000000000c.tsv",
                "uitvoer-notities.tsv"
            ]
        );
        assert!(elsewhere.exists());
    }

    #[test]
    fn nothing_is_removed_through_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = dir.path().join("elders");
        std::fs::create_dir_all(&elsewhere).unwrap();
        let users_file = elsewhere.join(format!("{REST}.html"));
        std::fs::write(&users_file, "van de gebruiker").unwrap();
        let revisions = dir.path().join("revisions");
        std::fs::create_dir_all(revisions.join("02")).unwrap();
        std::os::unix::fs::symlink(&elsewhere, revisions.join("01")).unwrap();
        std::os::unix::fs::symlink(
            &users_file,
            revisions.join("02").join(format!("{REST}.html")),
        )
        .unwrap();
        remove_unkept(&revisions, |_| false);
        let linked_revisions = dir.path().join("gekoppeld");
        std::os::unix::fs::symlink(dir.path().join("revisions"), &linked_revisions).unwrap();
        std::fs::create_dir_all(revisions.join("03")).unwrap();
        let through_link = revisions.join("03").join(format!("{REST}.html"));
        std::fs::write(&through_link, "x").unwrap();
        remove_unkept(&linked_revisions, |_| false);
        assert!(users_file.exists());
        assert!(
            revisions.join("02").join(format!("{REST}.html")).exists(),
            "a link is not a page file"
        );
        assert!(through_link.exists(), "a linked revisions folder is left");
    }

    #[test]
    fn a_run_that_holds_the_lock_keeps_a_build_from_removing() {
        let _turn = crate::test_turns::freeing_locks();
        let dir = tempfile::tempdir().unwrap();
        let preview = share(dir.path()).unwrap();
        let build = share(dir.path()).unwrap();
        assert!(!alone(&build), "the preview still uses the cache");
        drop(preview);
        let build = share(dir.path()).unwrap();
        assert!(alone(&build));
        assert_eq!(
            std::fs::read_to_string(dir.path().join(".gitignore")).unwrap(),
            "*\n"
        );
    }
}
