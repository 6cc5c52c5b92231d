//! The cache of rendered old versions and diffs in `.twn-cache/` (git-
//! ignored). A revision never changes, so its page is rendered once per
//! theme and settings and afterwards hard-linked into each new output.
//! Entries are named by a hash of everything that went into them.

use crate::output::{inside, replace_file};
use gix::ObjectId;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

pub const CACHE_DIR: &str = ".twn-cache";
const STATS_FILE: &str = "regelstatistiek.tsv";

pub struct RevisionCache {
    dir: PathBuf,
    /// Lines added and removed per (before, after) blob pair.
    stats: Mutex<HashMap<(ObjectId, ObjectId), (usize, usize)>>,
    stats_changed: AtomicBool,
}

/// Builds a cache key from the parts that decide an entry's contents.
pub struct KeyBuilder(gix::hash::Hasher);

impl KeyBuilder {
    pub fn new(kind: &str) -> Self {
        let mut hasher = gix::hash::hasher(gix::hash::Kind::Sha1);
        hasher.update(program_identity().as_bytes());
        let mut key = KeyBuilder(hasher);
        key.add(kind);
        key
    }

    /// Adds one part; parts are separated so that ("ab","c") ≠ ("a","bc").
    pub fn add(&mut self, part: &str) -> &mut Self {
        self.0.update(&(part.len() as u64).to_le_bytes());
        self.0.update(part.as_bytes());
        self
    }

    pub fn finish(self) -> String {
        self.0
            .try_finalize()
            .map(|id| id.to_hex().to_string())
            .unwrap_or_default()
    }
}

/// This build of twn: a new twn may render differently, even within one
/// version number, so the program file's size and date are part of every key.
fn program_identity() -> &'static str {
    static IDENTITY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    IDENTITY.get_or_init(|| {
        let program = std::env::current_exe()
            .and_then(std::fs::metadata)
            .map(|m| {
                let modified = m
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_nanos());
                format!("{}-{modified}", m.len())
            })
            .unwrap_or_default();
        format!("{} {program}", env!("CARGO_PKG_VERSION"))
    })
}

impl RevisionCache {
    pub fn open(site_root: &Path) -> Self {
        let dir = site_root.join(CACHE_DIR);
        let stats = std::fs::read_to_string(dir.join(STATS_FILE))
            .map(|text| parse_stats(&text))
            .unwrap_or_default();
        RevisionCache {
            dir,
            stats: Mutex::new(stats),
            stats_changed: AtomicBool::new(false),
        }
    }

    fn entry_path(&self, key: &str) -> std::io::Result<PathBuf> {
        let (folder, rest) = key.split_at(2.min(key.len()));
        inside(&self.dir, &format!("revisions/{folder}/{rest}.html"))
    }

    /// Where the manifest of an output folder's revision pages is kept.
    pub fn manifest_path(&self, out_dir: &Path) -> PathBuf {
        manifest_path_in(&self.dir, out_dir)
    }

    /// Whether a build of the site at `site_root` wrote into `out_dir`
    /// before: twn made that folder, even without today's marker file.
    pub fn remembers_output(site_root: &Path, out_dir: &Path) -> bool {
        let absolute = std::path::absolute(out_dir).unwrap_or_else(|_| out_dir.to_path_buf());
        let absolute = absolute.to_string_lossy();
        // Manifest names change with the program, so any twn's will do.
        let Ok(entries) = std::fs::read_dir(site_root.join(CACHE_DIR)) else {
            return false;
        };
        entries.filter_map(Result::ok).any(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            name.starts_with("uitvoer-")
                && std::fs::read_to_string(entry.path())
                    .is_ok_and(|text| text.lines().nth(1) == Some(absolute.as_ref()))
        })
    }

    /// The cached file for `key`, if there is one.
    pub fn get(&self, key: &str) -> Option<PathBuf> {
        let path = self.entry_path(key).ok()?;
        path.is_file().then_some(path)
    }

    /// Stores a rendered page; never half a file under a valid key.
    pub fn put(&self, key: &str, contents: &[u8]) -> std::io::Result<PathBuf> {
        let path = self.entry_path(key)?;
        replace_file(&path, contents)?;
        Ok(path)
    }

    pub fn line_stats(&self, before: ObjectId, after: ObjectId) -> Option<(usize, usize)> {
        self.stats.lock().ok()?.get(&(before, after)).copied()
    }

    pub fn remember_line_stats(&self, before: ObjectId, after: ObjectId, stats: (usize, usize)) {
        if let Ok(mut map) = self.stats.lock()
            && map.insert((before, after), stats).is_none()
        {
            self.stats_changed.store(true, Ordering::Relaxed);
        }
    }

    /// Writes the line statistics back if this build learnt new ones. The
    /// cache is an optimisation: failing to save it costs time, not output.
    pub fn save(&self) {
        let Ok(stats) = self.stats.lock() else { return };
        if !self.stats_changed.load(Ordering::Relaxed) {
            return;
        }
        let mut text = String::with_capacity(stats.len() * 96);
        for ((before, after), (added, removed)) in stats.iter() {
            text.push_str(&format!("{before}\t{after}\t{added}\t{removed}\n"));
        }
        let _ = write_cache_file(&self.dir.join(STATS_FILE), text.as_bytes());
    }
}

fn manifest_path_in(cache_dir: &Path, out_dir: &Path) -> PathBuf {
    let absolute = std::path::absolute(out_dir).unwrap_or_else(|_| out_dir.to_path_buf());
    let mut key = KeyBuilder::new("uitvoer");
    key.add(&absolute.to_string_lossy());
    let name = key.finish();
    cache_dir.join(format!("uitvoer-{}.tsv", &name[..12.min(name.len())]))
}

/// Writes a file of the cache folder (the parent of `path`), which keeps
/// itself out of git even where the site's .gitignore does not list it.
pub fn write_cache_file(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    replace_file(path, contents)?;
    match path.parent() {
        Some(dir) => std::fs::write(dir.join(".gitignore"), "*\n"),
        None => Ok(()),
    }
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
