//! Carrying old versions over from the previous output. Old versions and
//! diffs never change, and there are many of them: instead of linking every
//! file again, each page's `versie/` and `verschil/` folder is moved from the
//! previous output into the new one, and only what differs is replaced. A
//! manifest in the cache says which cache entry each carried file came from.

use crate::artifact::{RevisionDir, RevisionEntry};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::io;
use std::path::Path;

/// Which cache entry each revision page of an output folder came from.
#[derive(Debug, Default)]
pub struct Manifest {
    dirs: HashMap<String, HashMap<String, String>>,
}

const MANIFEST_HEADER: &str = "twn-uitvoer 1";

impl Manifest {
    /// The manifest of `out_dir`, if the last build there left one.
    pub fn load(path: &Path, out_dir: &Path) -> Manifest {
        let Ok(text) = std::fs::read_to_string(path) else {
            return Manifest::default();
        };
        let mut lines = text.lines();
        if lines.next() != Some(MANIFEST_HEADER)
            || lines.next() != Some(out_dir.to_string_lossy().as_ref())
        {
            return Manifest::default();
        }
        let mut dirs: HashMap<String, HashMap<String, String>> = HashMap::new();
        for line in lines {
            let mut fields = line.split('\t');
            if let (Some(dir), Some(name), Some(key)) =
                (fields.next(), fields.next(), fields.next())
            {
                dirs.entry(dir.to_owned())
                    .or_default()
                    .insert(name.to_owned(), key.to_owned());
            }
        }
        Manifest { dirs }
    }

    pub fn save(path: &Path, out_dir: &Path, dirs: &[RevisionDir]) -> io::Result<()> {
        let mut text = format!("{MANIFEST_HEADER}\n{}\n", out_dir.to_string_lossy());
        for dir in dirs {
            for entry in &dir.entries {
                let _ = writeln!(text, "{}\t{}\t{}", dir.dir, entry.name, entry.key);
            }
        }
        crate::files::replace_file(path, text.as_bytes())
    }
}

/// Fills `staging` with the revision folders, moving them from `previous`
/// where the manifest vouches for them; with `precompress`, each page's
/// compressed copies come with it. Returns the folders moved, so that a
/// failed build can put them back.
pub fn place_revision_dirs(
    staging: &Path,
    previous: Option<&Path>,
    manifest: &Manifest,
    dirs: &[RevisionDir],
    precompress: bool,
) -> (Vec<String>, io::Result<()>) {
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
    use rayon::prelude::*;
    let results: Vec<(Option<String>, io::Result<()>)> = dirs
        .par_iter()
        .map(|dir| {
            let target = match crate::files::inside(staging, &dir.dir) {
                Ok(target) => target,
                Err(e) => return (None, Err(e)),
            };
            // A folder the build wrote pages into already (ones the cache
            // could not keep) is filled page by page.
            let carried = previous
                .zip(manifest.dirs.get(&dir.dir))
                .filter(|(previous, _)| previous.join(&dir.dir).is_dir() && !target.exists());
            let mut moved = None;
            let result = (|| {
                let known = match carried {
                    Some((previous, known)) => {
                        if let Some(parent) = target.parent() {
                            std::fs::create_dir_all(parent)?;
                        }
                        std::fs::rename(previous.join(&dir.dir), &target)?;
                        moved = Some(dir.dir.clone());
                        remove_unwanted(&target, dir, known)?;
                        Some(known)
                    }
                    None => {
                        make_folder(&target)?;
                        None
                    }
                };
                for entry in &dir.entries {
                    if known.and_then(|k| k.get(&entry.name)) == Some(&entry.key) {
                        continue;
                    }
                    let file =
                        crate::files::inside(&target, &RevisionEntry::file_in_dir(&entry.name))?;
                    if !entry.name.is_empty() {
                        std::fs::create_dir_all(crate::files::inside(&target, &entry.name)?)?;
                    }
                    for &suffix in suffixes {
                        let source = crate::compress::copy_path(&entry.source, suffix);
                        let copy = crate::compress::copy_path(&file, suffix);
                        if known.is_some() {
                            // Never write through an old link into the cache.
                            let _ = std::fs::remove_file(&copy);
                        }
                        // A small page has no compressed copies.
                        if !suffix.is_empty() && !source.is_file() {
                            continue;
                        }
                        if std::fs::hard_link(&source, &copy).is_err() {
                            std::fs::copy(&source, &copy)?;
                        }
                    }
                }
                Ok(())
            })();
            (moved, result)
        })
        .collect();
    let mut moved = Vec::new();
    let mut outcome = Ok(());
    for (dir, result) in results {
        moved.extend(dir);
        if outcome.is_ok() {
            outcome = result;
        }
    }
    (moved, outcome)
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

/// Removes carried pages that are no longer wanted or have changed.
fn remove_unwanted(
    target: &Path,
    dir: &RevisionDir,
    known: &HashMap<String, String>,
) -> io::Result<()> {
    let wanted: HashMap<&str, (&str, &str)> = dir
        .entries
        .iter()
        .map(|e| {
            (
                RevisionEntry::item(&e.name),
                (e.name.as_str(), e.key.as_str()),
            )
        })
        .collect();
    for item in std::fs::read_dir(target)? {
        let item = item?;
        let item_name = item.file_name().to_string_lossy().into_owned();
        // A page's compressed copies stay or go with it.
        let page_name = crate::compress::SUFFIXES
            .iter()
            .find_map(|suffix| item_name.strip_suffix(suffix))
            .unwrap_or(&item_name);
        let keep = wanted
            .get(page_name)
            .is_some_and(|(name, key)| known.get(*name).map(String::as_str) == Some(*key));
        if !keep {
            let path = item.path();
            if item.file_type()?.is_dir() {
                std::fs::remove_dir_all(path)?;
            } else {
                std::fs::remove_file(path)?;
            }
        }
    }
    Ok(())
}

/// Puts moved folders back into the previous output after a failure.
pub fn restore(staging: &Path, previous: &Path, moved: &[String]) {
    for dir in moved {
        let _ = std::fs::rename(staging.join(dir), previous.join(dir));
    }
}
