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
    /// `None` where the cache may not be used (see [`cache_dir`]).
    dir: Option<PathBuf>,
    /// Lines added and removed per (before, after) blob pair.
    stats: Mutex<HashMap<(ObjectId, ObjectId), (usize, usize)>>,
    stats_changed: AtomicBool,
}

/// The cache folder of a site, or why twn may not use it: a symbolic link
/// would have twn write wherever it points, and a cache committed to git
/// could hold forged old versions and history. (A warning: the build goes
/// on without the cache.)
pub fn cache_dir(site_root: &Path) -> Result<PathBuf, crate::diagnostics::Diagnostic> {
    let dir = site_root.join(CACHE_DIR);
    let warning = |message: String| {
        crate::diagnostics::Diagnostic::warning(CACHE_DIR, message).help(
            "verwijder de map .twn-cache (twn maakt haar opnieuw) en zet `/.twn-cache` in .gitignore",
        )
    };
    if std::fs::symlink_metadata(&dir).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(warning(
            "de cache van twn is een symbolische koppeling; twn gebruikt haar niet".into(),
        ));
    }
    if dir.is_dir()
        && let Some(file) = crate::git_files::tracked_file_below(&dir)
    {
        return Err(warning(format!(
            "de cache van twn staat in git ({file}); twn gebruikt haar niet, want wie iets vastlegt kan er alles in zetten"
        )));
    }
    Ok(dir)
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
        let dir = cache_dir(site_root).ok();
        let stats = dir
            .as_ref()
            .and_then(|dir| std::fs::read_to_string(dir.join(STATS_FILE)).ok())
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
        if let Some(dir) = &self.dir {
            let _ = write_cache_file(&dir.join(STATS_FILE), text.as_bytes());
        }
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
