//! The cache of rendered old versions and diffs in `.twn-cache/` (git-
//! ignored). A revision never changes, so its page is rendered once per
//! theme and settings and afterwards hard-linked into each new output.
//! Entries are named by a hash of everything that went into them.

use crate::artifact::RevisionStore;
use crate::files::{inside, replace_file};
use crate::fingerprint::KeyBuilder;
use crate::folders::{cache_dir, write_cache_file};
use gix::ObjectId;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};

const STATS_FILE: &str = "regelstatistiek.tsv";

pub struct RevisionCache {
    /// `None` where the cache may not be used (see [`cache_dir`]).
    dir: Option<PathBuf>,
    /// Keeps compressed copies beside each page (`precompress`), so that
    /// a revision is compressed once, like it is rendered once.
    precompress: bool,
    /// Lines added and removed per (before, after) blob pair.
    stats: Mutex<HashMap<(ObjectId, ObjectId), (usize, usize)>>,
    stats_changed: AtomicBool,
    /// The keys of the pages in the cache when it was first asked, and of
    /// those stored since: a key not here is missing without asking the
    /// file system, which a first build would otherwise do for every
    /// revision. A key left out (a folder that cannot be read) only costs
    /// rendering that page again. Listed on first use: `twn check` never
    /// asks. `None` where `revisions/` cannot be read.
    present: OnceLock<Option<Mutex<HashSet<String>>>>,
}

impl RevisionCache {
    pub fn open(site_root: &Path, precompress: bool) -> Self {
        let dir = cache_dir(site_root).ok();
        let stats = dir
            .as_ref()
            .and_then(|dir| std::fs::read_to_string(dir.join(STATS_FILE)).ok())
            .map(|text| parse_stats(&text))
            .unwrap_or_default();
        RevisionCache {
            dir,
            precompress,
            stats: Mutex::new(stats),
            stats_changed: AtomicBool::new(false),
            present: OnceLock::new(),
        }
    }

    fn known_missing(&self, key: &str) -> bool {
        self.present
            .get_or_init(|| {
                self.dir
                    .as_ref()
                    .and_then(|dir| list_keys(dir))
                    .map(Mutex::new)
            })
            .as_ref()
            .and_then(|keys| keys.lock().ok())
            .is_some_and(|keys| !keys.contains(key))
    }

    fn entry_path(&self, key: &str) -> std::io::Result<PathBuf> {
        let (folder, rest) = key.split_at(2.min(key.len()));
        let dir = self.dir.as_ref().ok_or_else(|| {
            std::io::Error::new(
                std::io::ErrorKind::Unsupported,
                "de cache wordt niet gebruikt",
            )
        })?;
        inside(dir, &format!("revisions/{folder}/{rest}.html"))
    }

    /// Where the manifest of an output folder's revision pages is kept.
    pub fn manifest_path(&self, out_dir: &Path) -> Option<PathBuf> {
        Some(manifest_path_in(self.dir.as_ref()?, out_dir))
    }
}

impl RevisionStore for RevisionCache {
    /// The cached file for `key`, if there is one: a plain file, never a
    /// link, which could lead anywhere and would be published as what it
    /// leads to; never empty, which is a page cut short. With
    /// `precompress`, a page without both compressed copies (stored by
    /// `twn serve`, or one removed by hand) counts as missing.
    fn get(&self, key: &str) -> Option<PathBuf> {
        if self.known_missing(key) {
            return None;
        }
        let path = self.entry_path(key).ok()?;
        let plain_file = |path: &Path| {
            path.symlink_metadata()
                .ok()
                .filter(|m| m.is_file() && m.len() > 0)
        };
        let size = plain_file(&path)?.len() as usize;
        let copies_missing = self.precompress
            && crate::compress::worth_compressing(".html", size)
            && crate::compress::SUFFIXES
                .iter()
                .any(|suffix| plain_file(&crate::compress::copy_path(&path, suffix)).is_none());
        (!copies_missing).then_some(path)
    }

    /// Stores a rendered page; never half a file under a valid key. Its
    /// compressed copies are written first: a page in the cache has them.
    fn put(&self, key: &str, contents: &[u8]) -> std::io::Result<PathBuf> {
        let path = self.entry_path(key)?;
        if self.precompress {
            for (copy, bytes) in crate::compress::copies_beside(&path, ".html", contents) {
                replace_file(&copy, &bytes)?;
            }
        }
        replace_file(&path, contents)?;
        // Not listed yet: the listing finds the file itself (or, made at
        // the same moment on another thread, misses it, and the page is
        // rendered once more when asked again).
        if let Some(mut keys) = self
            .present
            .get()
            .and_then(Option::as_ref)
            .and_then(|keys| keys.lock().ok())
        {
            keys.insert(key.to_owned());
        }
        Ok(path)
    }

    fn line_stats(&self, before: ObjectId, after: ObjectId) -> Option<(usize, usize)> {
        self.stats.lock().ok()?.get(&(before, after)).copied()
    }

    fn remember_line_stats(&self, before: ObjectId, after: ObjectId, stats: (usize, usize)) {
        if let Ok(mut map) = self.stats.lock()
            && map.insert((before, after), stats).is_none()
        {
            self.stats_changed.store(true, Ordering::Relaxed);
        }
    }

    /// Writes the line statistics back if this build learnt new ones. The
    /// cache is an optimisation: failing to save it costs time, not output.
    fn save(&self) {
        let Ok(stats) = self.stats.lock() else { return };
        if !self.stats_changed.load(Ordering::Relaxed) {
            return;
        }
        let mut text = String::with_capacity(stats.len() * 96);
        for ((before, after), (added, removed)) in stats.iter() {
            text.push_str(&format!("{before}\t{after}\t{added}\t{removed}\n"));
        }
        if let Some(dir) = &self.dir {
            let _ = write_cache_file(&dir.join(STATS_FILE), text.as_bytes());
        }
    }
}

/// The keys of the pages below `revisions/`, named as `entry_path` names
/// them; an empty set where there is no such folder yet.
fn list_keys(cache_dir: &Path) -> Option<HashSet<String>> {
    let revisions = cache_dir.join("revisions");
    let folders = match std::fs::read_dir(&revisions) {
        Ok(folders) => folders,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Some(HashSet::new()),
        Err(_) => return None,
    };
    // What cannot be read is left out: its pages are rendered again.
    let mut keys = HashSet::new();
    for folder in folders.flatten() {
        let Ok(prefix) = folder.file_name().into_string() else {
            continue;
        };
        let Ok(files) = std::fs::read_dir(folder.path()) else {
            continue;
        };
        for file in files.flatten() {
            let name = file.file_name();
            if let Some(rest) = name.to_str().and_then(|n| n.strip_suffix(".html")) {
                keys.insert(format!("{prefix}{rest}"));
            }
        }
    }
    Some(keys)
}

fn manifest_path_in(cache_dir: &Path, out_dir: &Path) -> PathBuf {
    let absolute = std::path::absolute(out_dir).unwrap_or_else(|_| out_dir.to_path_buf());
    let mut key = KeyBuilder::new("uitvoer");
    key.add(&absolute.to_string_lossy());
    let name = key.finish();
    cache_dir.join(format!("uitvoer-{}.tsv", &name[..12.min(name.len())]))
}

fn parse_stats(text: &str) -> HashMap<(ObjectId, ObjectId), (usize, usize)> {
    text.lines()
        .filter_map(|line| {
            let mut fields = line.split('\t');
            let before = ObjectId::from_hex(fields.next()?.as_bytes()).ok()?;
            let after = ObjectId::from_hex(fields.next()?.as_bytes()).ok()?;
            let added = fields.next()?.parse().ok()?;
            let removed = fields.next()?.parse().ok()?;
            Some(((before, after), (added, removed)))
        })
        .collect()
}
