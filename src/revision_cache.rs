//! The cache of rendered old versions and diffs in `.twn-cache/` (git-
//! ignored). A revision never changes, so its page is rendered once per
//! theme and settings and afterwards hard-linked into each new output.
//! Entries are named by a hash of everything that went into them.

use crate::artifact::{RevisionStore, StoredPage};
use crate::files::{create_new_file, inside, replace_file, with_folder_made};
use crate::fingerprint::KeyBuilder;
use crate::folders::{cache_dir, write_cache_file};
use gix::ObjectId;
use std::collections::HashMap;
use std::fmt::Write as _;
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
    stored: OnceLock<Mutex<HashMap<String, StoredSizes>>>,
    /// Keys stored by this run and not yet added to the list.
    unlisted: Mutex<String>,
}

/// The list of pages stored whole, one per line: the key, then the sizes
/// of the page and of its `.gz` and `.br` copies (0: none). A new page is
/// written under its own name, with no temporary file and rename per page,
/// and listed only once it is whole: a page a crash cut short is not in the
/// list, so it is never used and is replaced when rendered again. A listed
/// page is used only at its listed size: another run may have been cut
/// short rewriting it after the cache was removed under this one.
const STORED_LIST: &str = "revisions/opgeslagen.txt";

/// A list larger than this is not read: something else lies there.
const LARGEST_LIST_BYTES: u64 = 256 * 1024 * 1024;

/// The sizes of a stored page and of its compressed copies (0: none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct StoredSizes {
    page: u64,
    copies: [u64; 2],
}

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

    fn listed(&self, key: &str) -> Option<StoredSizes> {
        self.stored_keys().get(key).copied()
    }

    fn stored_keys(&self) -> std::sync::MutexGuard<'_, HashMap<String, StoredSizes>> {
        self.stored
            .get_or_init(|| {
                let listed = self
                    .list_path()
                    .and_then(|path| read_list(&path))
                    .unwrap_or_default();
                Mutex::new(parse_list(&listed))
            })
            .lock()
            .unwrap_or_else(|e| e.into_inner())
    }

    /// The list's path, unless something other than a file lies there.
    fn list_path(&self) -> Option<PathBuf> {
        let path = inside(self.dir.as_ref()?, STORED_LIST).ok()?;
        match path.symlink_metadata() {
            Ok(metadata) if !metadata.is_file() => None,
            _ => Some(path),
        }
    }

    /// Notes a key whose page and copies are stored whole, and adds the
    /// keys noted so far to the list once there are enough of them.
    fn list(&self, key: &str, sizes: StoredSizes) {
        self.stored_keys().insert(key.to_owned(), sizes);
        let mut unlisted = self.unlisted.lock().unwrap_or_else(|e| e.into_inner());
        let [gz, br] = sizes.copies;
        let _ = writeln!(unlisted, "{key}\t{}\t{gz}\t{br}", sizes.page);
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
        let Some(path) = self.list_path() else {
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
    /// The cached file for `key`, if there is one: listed, and a plain file
    /// at its listed size, never a link, which could lead anywhere and
    /// would be published as what it leads to. With `precompress`, a page
    /// without both compressed copies at their sizes (stored by `twn
    /// serve`, or one removed by hand) counts as missing.
    fn get(&self, key: &str) -> Option<StoredPage> {
        let sizes = self.listed(key)?;
        let path = self.entry_path(key).ok()?;
        let whole = |path: &Path, size: u64| {
            size > 0
                && path
                    .symlink_metadata()
                    .is_ok_and(|m| m.is_file() && m.len() == size)
        };
        if !whole(&path, sizes.page) {
            return None;
        }
        let copies_missing = self.precompress
            && crate::compress::worth_compressing(".html", sizes.page as usize)
            && crate::compress::SUFFIXES
                .iter()
                .zip(sizes.copies)
                .any(|(suffix, size)| !whole(&crate::compress::copy_path(&path, suffix), size));
        (!copies_missing).then_some(StoredPage {
            path,
            bytes: sizes.page,
        })
    }

    /// Stores a rendered page with its compressed copies, listed with their
    /// sizes once whole. Files are written in place: `get` takes no file
    /// before it has its listed size. A file already there (one `get`
    /// refused, one a crash cut short, or one another run is writing) is
    /// replaced whole, under a temporary name first.
    fn put(&self, key: &str, contents: &[u8]) -> std::io::Result<StoredPage> {
        let path = self.entry_path(key)?;
        let write = |file: &Path, bytes: &[u8]| match create_new_file(file, bytes) {
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => replace_file(file, bytes),
            other => other,
        };
        let mut sizes = StoredSizes {
            page: contents.len() as u64,
            copies: [0; 2],
        };
        if self.precompress {
            let copies = crate::compress::copies_beside(&path, ".html", contents);
            for (n, (copy, bytes)) in copies.iter().enumerate() {
                write(copy, bytes)?;
                sizes.copies[n] = bytes.len() as u64;
            }
        }
        write(&path, contents)?;
        self.list(key, sizes);
        Ok(StoredPage {
            path,
            bytes: sizes.page,
        })
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

/// The list's text, if it is a file of a sensible size; bytes that are not
/// UTF-8 spoil only their own line.
fn read_list(path: &Path) -> Option<String> {
    use std::io::Read;
    let file = std::fs::File::open(path).ok()?;
    let metadata = file.metadata().ok()?;
    if !metadata.is_file() || metadata.len() > LARGEST_LIST_BYTES {
        return None;
    }
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    file.take(LARGEST_LIST_BYTES).read_to_end(&mut bytes).ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// The keys of the list with their sizes, the last line of a key counting.
/// A line cut short or garbled is left out, and its page rendered again.
fn parse_list(text: &str) -> HashMap<String, StoredSizes> {
    text.lines()
        .filter_map(|line| {
            let mut fields = line.split('\t');
            let key = fields.next().filter(|key| is_key(key))?;
            let mut size = || fields.next()?.parse::<u64>().ok();
            let sizes = StoredSizes {
                page: size()?,
                copies: [size()?, size()?],
            };
            fields.next().is_none().then(|| (key.to_owned(), sizes))
        })
        .collect()
}

/// Whether a field of the list is a key as `KeyBuilder` makes them (a
/// SHA-1 in hex).
fn is_key(field: &str) -> bool {
    field.len() == 40 && field.bytes().all(|b| b.is_ascii_hexdigit())
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

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "0123456789abcdef0123456789abcdef01234567";

    #[test]
    fn the_list_keeps_only_whole_lines_and_the_last_sizes_of_a_key() {
        let text = format!(
            "{KEY}\t100\t0\t0\n\
             garbage\t1\t2\t3\n\
             {short}\t5\t0\t0\n\
             {KEY}\t120\t40\t30\n\
             {other}\t7\t0\n\
             {other}\t7\t0\t0\t9\n\
             {other}\t7\tx\t0\n",
            short = &KEY[..39],
            other = KEY.replace('0', "f"),
        );
        let listed = parse_list(&text);
        assert_eq!(listed.len(), 1, "{listed:?}");
        assert_eq!(
            listed[KEY],
            StoredSizes {
                page: 120,
                copies: [40, 30]
            }
        );
    }

    #[test]
    fn a_list_that_is_a_link_is_neither_read_nor_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        std::fs::create_dir_all(site.join(".twn-cache/revisions")).unwrap();
        let outside = dir.path().join("buiten.txt");
        std::fs::write(&outside, format!("{KEY}\t5\t0\t0\n")).unwrap();
        std::os::unix::fs::symlink(&outside, site.join(".twn-cache").join(STORED_LIST)).unwrap();
        let cache = RevisionCache::open(&site, false);
        assert_eq!(
            cache.listed(KEY),
            None,
            "keys from elsewhere are not trusted"
        );
        cache.put(KEY, b"<p>oud</p>").unwrap();
        cache.save();
        assert_eq!(
            std::fs::read_to_string(&outside).unwrap(),
            format!("{KEY}\t5\t0\t0\n"),
            "nothing written through the link"
        );
    }

    #[test]
    fn a_byte_that_is_not_utf8_spoils_only_its_own_line() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path();
        let cache_dir = site.join(".twn-cache");
        std::fs::create_dir_all(cache_dir.join("revisions")).unwrap();
        let mut list = b"\xff\xfe\t1\t0\t0\n".to_vec();
        list.extend(format!("{KEY}\t9\t0\t0\n").as_bytes());
        std::fs::write(cache_dir.join(STORED_LIST), list).unwrap();
        let cache = RevisionCache::open(site, false);
        let page = cache.entry_path(KEY).unwrap();
        std::fs::create_dir_all(page.parent().unwrap()).unwrap();
        std::fs::write(&page, "<p>9 b</p").unwrap();
        let stored = cache.get(KEY).unwrap();
        assert_eq!((stored.path, stored.bytes), (page.clone(), 9));
        std::fs::write(&page, "<p>8 b</").unwrap();
        assert!(cache.get(KEY).is_none(), "not at its listed size");
    }
}
