//! The cache of rendered old versions and diffs in `.twn-cache/` (git-
//! ignored). A revision never changes, so its page is rendered once per
//! theme and settings and afterwards hard-linked into each new output.
//! Entries are named by a hash of everything that went into them.

use crate::artifact::RevisionStore;
use crate::files::{create_new_file, inside, replace_file, with_folder_made};
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
    /// The keys of the pages stored whole: those in the cache's list
    /// (`STORED_LIST`) when it was first asked, and those stored since. A
    /// key not here is missing without asking the file system, which a
    /// first build would otherwise do for every revision. Read on first
    /// use: `twn check` never asks.
    stored: OnceLock<Mutex<HashSet<String>>>,
    /// Keys stored by this run and not yet added to the list.
    unlisted: Mutex<String>,
}

/// The list of pages stored whole, one key per line. A new page is written
/// under its own name, with no temporary file and rename per page, and
/// listed only once it is whole: a page a crash cut short is not in the
/// list, so it is never used and is replaced when rendered again.
const STORED_LIST: &str = "revisions/opgeslagen.txt";

/// Keys are added to the list in batches, so that a build stopped midway
/// keeps most of what it stored.
const LIST_BATCH_BYTES: usize = 64 * 1024;

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
            stored: OnceLock::new(),
            unlisted: Mutex::new(String::new()),
        }
    }

    fn is_listed(&self, key: &str) -> bool {
        let keys = self.stored.get_or_init(|| {
            let listed = self
                .dir
                .as_ref()
                .and_then(|dir| std::fs::read_to_string(dir.join(STORED_LIST)).ok())
                .unwrap_or_default();
            Mutex::new(
                listed
                    .lines()
                    .filter(|key| is_key(key))
                    .map(str::to_owned)
                    .collect(),
            )
        });
        keys.lock().unwrap_or_else(|e| e.into_inner()).contains(key)
    }

    /// Notes a key whose page and copies are stored whole, and adds the
    /// keys noted so far to the list once there are enough of them.
    fn list(&self, key: &str) {
        if let Some(keys) = self.stored.get() {
            keys.lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(key.to_owned());
        }
        let mut unlisted = self.unlisted.lock().unwrap_or_else(|e| e.into_inner());
        unlisted.push_str(key);
        unlisted.push('\n');
        if unlisted.len() >= LIST_BATCH_BYTES {
            let batch = std::mem::take(&mut *unlisted);
            drop(unlisted);
            self.append_to_list(&batch);
        }
    }

    /// Appends whole lines to the list in one write, so that lines of two
    /// runs at once (`twn serve` and `twn build`) never mix. The cache is an
    /// optimisation: a key not listed costs rendering its page again.
    fn append_to_list(&self, lines: &str) {
        use std::io::Write;
        let Some(dir) = &self.dir else { return };
        let Ok(path) = inside(dir, STORED_LIST) else {
            return;
        };
        let _ = with_folder_made(&path, |path| {
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
        })
        .and_then(|mut list| list.write_all(lines.as_bytes()));
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
        if !self.is_listed(key) {
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

    /// Stores a rendered page with its compressed copies; never half a
    /// file under a listed key. A new key's files are written in place and
    /// listed when whole. A listed key's page (one `get` refused) and a
    /// file already there (cut short by a crash, or being written by
    /// another run) are replaced whole, under a temporary name first.
    fn put(&self, key: &str, contents: &[u8]) -> std::io::Result<PathBuf> {
        let path = self.entry_path(key)?;
        let listed = self.is_listed(key);
        let write = |file: &Path, bytes: &[u8]| match listed {
            true => replace_file(file, bytes),
            false => match create_new_file(file, bytes) {
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    replace_file(file, bytes)
                }
                other => other,
            },
        };
        if self.precompress {
            for (copy, bytes) in crate::compress::copies_beside(&path, ".html", contents) {
                write(&copy, &bytes)?;
            }
        }
        write(&path, contents)?;
        self.list(key);
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
        let unlisted =
            std::mem::take(&mut *self.unlisted.lock().unwrap_or_else(|e| e.into_inner()));
        if !unlisted.is_empty() {
            self.append_to_list(&unlisted);
        }
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

/// Whether a line of the list is a key as `KeyBuilder` makes them (a
/// SHA-1 in hex): a line cut short or garbled is left out, and its page
/// rendered again.
fn is_key(line: &str) -> bool {
    line.len() == 40 && line.bytes().all(|b| b.is_ascii_hexdigit())
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
