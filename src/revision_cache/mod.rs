//! The cache of rendered old versions and diffs in `.twn-cache/` (git-
//! ignored). A revision never changes, so its page is rendered once per
//! theme and settings and afterwards hard-linked into each new output.
//! Entries are named by a hash of everything that went into them.
//! A build keeps the cache to what recent builds used (`pruning`).

mod pruning;

use crate::artifact::{RevisionStore, StoredIdentity, StoredPage};
use crate::files::{create_new_file, inside, replace_file, with_folder_made};
use crate::folders::{cache_dir, write_cache_file};
use gix::ObjectId;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::os::unix::fs::MetadataExt;
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
    stored: OnceLock<Mutex<Listed>>,
    /// A build counts one up from the list's highest number and may remove
    /// what recent builds did not use; the preview is not a build.
    counts_as_build: bool,
    /// The shared lock this run holds on the cache from its first use.
    in_use: OnceLock<Option<std::fs::File>>,
    /// Keys stored by this run and not yet added to the list.
    unlisted: Mutex<String>,
    /// Whether `revisions/` and each `revisions/xx/` (by its number) is the
    /// cache's own, looked at once per run (see [`own_folder`]).
    own_revisions: OnceLock<bool>,
    own_folders: [OnceLock<bool>; 256],
}

/// The list of pages stored whole, one per line: the key, the sizes of the
/// page and of its `.gz` and `.br` copies (0: none), the number of the
/// last build that used it (none in lists from before builds were
/// numbered: 0), and how the page was stored ([`StoredAs`], in hex; a
/// line without it names no page that is used). A new page is
/// written under its own name, with no temporary file and rename per page,
/// and listed only once it is whole: a page a crash cut short is not in the
/// list, so it is never used and is replaced when rendered again. A listed
/// page is used only at its listed size and as it was stored: another run
/// may have been cut short rewriting it after the cache was removed under
/// this one, and a step after a build may have changed it in the output.
const STORED_LIST: &str = "revisions/opgeslagen.txt";

/// A list larger than this is not read: something else lies there.
const LARGEST_LIST_BYTES: u64 = 256 * 1024 * 1024;

/// The sizes of a stored page and of its compressed copies (0: none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct StoredSizes {
    page: u64,
    copies: [u64; 2],
}

impl StoredSizes {
    /// What an output publishes of the page: with its copies if the site
    /// makes them (a page stored by a run without them has none).
    fn published(&self, precompress: bool) -> u64 {
        let copies: u64 = if precompress {
            self.copies.iter().sum()
        } else {
            0
        };
        self.page + copies
    }
}

/// A listed page: its sizes, and the number of the last build that used it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ListedPage {
    sizes: StoredSizes,
    last_used: u32,
    /// How the page file was stored; a line without it (from before
    /// stamps) names no page that can be checked, and none is used.
    stored_as: Option<StoredAs>,
}

/// A stored page file's [`stamp`] and a hash of its bytes: a file whose
/// stamp changed is used only with the same bytes (a cache restored from
/// an archive has new inodes and times, not new pages).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct StoredAs {
    stamp: u64,
    contents: u64,
}

/// The pages of the list, and this run's number: for a build, one past
/// the highest in the list (the last build that succeeded). Pages stored
/// meanwhile are listed with the last build's number, and only a build
/// that succeeds writes its own: one that fails does not use up one of
/// the builds whose pages are kept.
#[derive(Debug, Default)]
struct Listed {
    pages: HashMap<String, ListedPage>,
    last_build: u32,
    this_run: u32,
}

/// Build numbers stay below this; a list line with a higher one is
/// garbled (counting on from it would wrap around).
const BUILD_NUMBERS: u32 = 1 << 31;

/// Keys are added to the list in batches, so that a build stopped midway
/// keeps most of what it stored.
const LIST_BATCH_BYTES: usize = 64 * 1024;

impl RevisionCache {
    /// The cache as a build uses it.
    pub fn open(site_root: &Path, precompress: bool) -> Self {
        Self::opened(site_root, precompress, true)
    }

    /// The cache as the preview uses it: it removes nothing, and pages it
    /// stores carry the number of the last build.
    pub fn for_preview(site_root: &Path) -> Self {
        Self::opened(site_root, false, false)
    }

    fn opened(site_root: &Path, precompress: bool, counts_as_build: bool) -> Self {
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
            counts_as_build,
            in_use: OnceLock::new(),
            unlisted: Mutex::new(String::new()),
            own_revisions: OnceLock::new(),
            own_folders: std::array::from_fn(|_| OnceLock::new()),
        }
    }

    /// The page listed for `key`, which this run now uses.
    fn listed(&self, key: &str) -> Option<ListedPage> {
        let mut listed = self.stored_keys();
        let this_run = listed.this_run;
        let page = listed.pages.get_mut(key)?;
        page.last_used = this_run;
        Some(*page)
    }

    /// Notes the new stamp of a page found with its stored bytes.
    fn restamp(&self, key: &str, stamp: u64) {
        if let Some(stored_as) = self
            .stored_keys()
            .pages
            .get_mut(key)
            .and_then(|page| page.stored_as.as_mut())
        {
            stored_as.stamp = stamp;
        }
    }

    fn stored_keys(&self) -> std::sync::MutexGuard<'_, Listed> {
        self.stored
            .get_or_init(|| {
                self.in_use
                    .get_or_init(|| pruning::share(self.dir.as_ref()?));
                let text = self
                    .list_path()
                    .and_then(|path| read_list(&path))
                    .unwrap_or_default();
                let pages = parse_list(&text);
                let last_build = pages.values().map(|p| p.last_used).max().unwrap_or(0);
                let this_run = last_build + u32::from(self.counts_as_build);
                Mutex::new(Listed {
                    pages,
                    last_build,
                    this_run,
                })
            })
            .lock()
            .unwrap_or_else(|e| e.into_inner())
    }

    /// The list's path, unless something other than a file lies there.
    fn list_path(&self) -> Option<PathBuf> {
        self.own_revisions_dir()?;
        let path = inside(self.dir.as_ref()?, STORED_LIST).ok()?;
        match path.symlink_metadata() {
            Ok(metadata) if !metadata.is_file() => None,
            _ => Some(path),
        }
    }

    /// Notes a key whose page and copies are stored whole, and adds the
    /// keys noted so far to the list once there are enough of them.
    fn list(&self, key: &str, sizes: StoredSizes, stored_as: Option<StoredAs>) {
        let page = {
            let mut listed = self.stored_keys();
            let page = ListedPage {
                sizes,
                last_used: listed.this_run,
                stored_as,
            };
            listed.pages.insert(key.to_owned(), page);
            ListedPage {
                last_used: listed.last_build,
                ..page
            }
        };
        let mut unlisted = self.unlisted.lock().unwrap_or_else(|e| e.into_inner());
        push_line(&mut unlisted, key, page);
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

    /// `revisions/` below the cache, if it is the cache's own.
    fn own_revisions_dir(&self) -> Option<PathBuf> {
        let revisions = self.dir.as_ref()?.join("revisions");
        self.own_revisions
            .get_or_init(|| own_folder(&revisions))
            .then_some(revisions)
    }

    fn entry_path(&self, key: &str) -> std::io::Result<PathBuf> {
        let (folder, rest) = key.split_at(2.min(key.len()));
        let not_used = |why: &str| std::io::Error::new(std::io::ErrorKind::Unsupported, why);
        let dir = self
            .dir
            .as_ref()
            .ok_or_else(|| not_used("de cache wordt niet gebruikt"))?;
        let number = u8::from_str_radix(folder, 16)
            .ok()
            .filter(|_| folder.len() == 2);
        let own = self
            .own_revisions_dir()
            .zip(number)
            .is_some_and(|(revisions, n)| {
                *self.own_folders[n as usize].get_or_init(|| own_folder(&revisions.join(folder)))
            });
        if !own {
            return Err(not_used("deze map van de cache is een koppeling"));
        }
        inside(dir, &format!("revisions/{folder}/{rest}.html"))
    }

    /// Removes the pages that neither this build nor the builds just before
    /// it used (see `pruning`), and writes the list anew with what is left.
    /// For a build whose output is in place: an output holds its old
    /// versions as hard links of its own, which outlive the cache's. While
    /// another run uses the cache, nothing is removed; the list is told
    /// which pages this build used, for the build that removes next.
    pub fn forget_unused(&self) {
        let (Some(listed), Some(Some(lock)), Some(dir)) =
            (self.stored.get(), self.in_use.get(), self.dir.as_ref())
        else {
            return;
        };
        let Some(list) = self.list_path().filter(|_| self.counts_as_build) else {
            return;
        };
        let mut listed = listed.lock().unwrap_or_else(|e| e.into_inner());
        let this_run = listed.this_run;
        if !pruning::alone(lock) {
            let mut used = String::new();
            for (key, page) in listed.pages.iter().filter(|(_, p)| p.last_used == this_run) {
                push_line(&mut used, key, *page);
            }
            self.append_to_list(&used);
            return;
        }
        let oldest_kept = this_run.saturating_sub(pruning::KEPT_FOR_BUILDS - 1);
        listed.pages.retain(|_, page| page.last_used >= oldest_kept);
        let mut text = String::with_capacity(listed.pages.len() * 64);
        for (key, page) in &listed.pages {
            push_line(&mut text, key, *page);
        }
        // The list first: a page it names is always there whole.
        if replace_file(&list, text.as_bytes()).is_ok() {
            pruning::remove_unkept(&dir.join("revisions"), |key| listed.pages.contains_key(key));
            pruning::remove_old_output_lists(dir);
        }
    }
}

impl RevisionStore for RevisionCache {
    /// The cached file for `key`, if there is one: listed, and a plain file
    /// at its listed size, never a link, which could lead anywhere and
    /// would be published as what it leads to; with the mode it was stored
    /// with, and its stamp, or else its bytes. With `precompress`, a page
    /// without both compressed copies at their sizes (stored by `twn
    /// serve`, or one removed by hand), or with a copy written after it,
    /// counts as missing.
    fn get(&self, key: &str) -> Option<StoredPage> {
        let listed = self.listed(key)?;
        let sizes = listed.sizes;
        let path = self.entry_path(key).ok()?;
        let whole = |path: &Path, size: u64| {
            path.symlink_metadata()
                .ok()
                .filter(|m| size > 0 && m.is_file() && m.len() == size)
        };
        let page = whole(&path, sizes.page).filter(mode_as_stored)?;
        let stored_as = listed.stored_as?;
        let stamp = stamp(&page);
        if stamp != stored_as.stamp {
            let bytes = std::fs::read(&path).ok()?;
            if contents_hash(&bytes) != stored_as.contents {
                return None;
            }
            self.restamp(key, stamp);
        }
        let mut identity = identity_of(&page);
        if self.precompress && crate::compress::worth_compressing(".html", sizes.page as usize) {
            for (n, (suffix, size)) in crate::compress::SUFFIXES
                .iter()
                .zip(sizes.copies)
                .enumerate()
            {
                let copy = whole(&crate::compress::copy_path(&path, suffix), size)
                    .filter(|copy| copy_as_stored(copy, &page))?;
                identity.copies[n] = copy.ino();
            }
        }
        Some(StoredPage {
            path,
            bytes: sizes.published(self.precompress),
            identity,
        })
    }

    /// Stores a rendered page with its compressed copies, listed with their
    /// sizes once whole. Files are written in place: `get` takes no file
    /// before it has its listed size. A file already there (one `get`
    /// refused, one a crash cut short, or one another run is writing) is
    /// replaced whole, under a temporary name first.
    fn put(&self, key: &str, contents: &[u8]) -> std::io::Result<StoredPage> {
        let path = self.entry_path(key)?;
        let write = |file: &Path, bytes: &[u8]| {
            match create_new_file(file, bytes) {
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    replace_file(file, bytes)
                }
                other => other,
            }?;
            // Whatever the umask: a changed mode tells of a change.
            if created_as_stored() {
                return Ok(());
            }
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(file, std::fs::Permissions::from_mode(STORED_MODE))
        };
        let mut sizes = StoredSizes {
            page: contents.len() as u64,
            copies: [0; 2],
        };
        let mut copy_inodes = [0; crate::compress::SUFFIXES.len()];
        if self.precompress {
            let copies = crate::compress::copies_beside(&path, ".html", contents);
            for (n, (copy, bytes)) in copies.iter().enumerate() {
                write(copy, bytes)?;
                sizes.copies[n] = bytes.len() as u64;
                copy_inodes[n] = copy.symlink_metadata()?.ino();
            }
        }
        // The page last: its copies are never newer (see `copy_as_stored`).
        write(&path, contents)?;
        let page = path.symlink_metadata()?;
        let stored_as = StoredAs {
            stamp: stamp(&page),
            contents: contents_hash(contents),
        };
        self.list(key, sizes, Some(stored_as));
        let mut identity = identity_of(&page);
        identity.copies = copy_inodes;
        Ok(StoredPage {
            path,
            bytes: sizes.published(self.precompress),
            identity,
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

/// Adds a page's line to a text of the list.
fn push_line(text: &mut String, key: &str, page: ListedPage) {
    let [gz, br] = page.sizes.copies;
    let _ = write!(
        text,
        "{key}\t{}\t{gz}\t{br}\t{}",
        page.sizes.page, page.last_used
    );
    if let Some(StoredAs { stamp, contents }) = page.stored_as {
        let _ = write!(text, "\t{stamp:016x}\t{contents:016x}");
    }
    text.push('\n');
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

/// The keys of the list with their pages, the last line of a key counting.
/// A line cut short or garbled is left out, and its page rendered again.
fn parse_list(text: &str) -> HashMap<String, ListedPage> {
    text.lines()
        .filter_map(|line| {
            let mut fields = line.split('\t');
            let key = fields.next().filter(|key| is_key(key))?;
            let mut size = || fields.next()?.parse::<u64>().ok();
            let sizes = StoredSizes {
                page: size()?,
                copies: [size()?, size()?],
            };
            let last_used = match fields.next() {
                None => 0,
                Some(number) => number.parse().ok().filter(|n| *n < BUILD_NUMBERS)?,
            };
            let mut hex = || {
                fields.next().map(|hex| {
                    u64::from_str_radix(hex, 16)
                        .ok()
                        .filter(|_| hex.len() == 16)
                })
            };
            let stored_as = match (hex(), hex()) {
                (None, None) => None,
                (Some(stamp), Some(contents)) => Some(StoredAs {
                    stamp: stamp?,
                    contents: contents?,
                }),
                _ => return None,
            };
            fields.next().is_none().then(|| {
                let page = ListedPage {
                    sizes,
                    last_used,
                    stored_as,
                };
                (key.to_owned(), page)
            })
        })
        .collect()
}

/// Whether a field of the list is a key as `KeyBuilder` makes them (a
/// SHA-1 in hex).
fn is_key(field: &str) -> bool {
    is_hex(field, 40)
}

/// Whether `text` is `len` hexadecimal digits.
fn is_hex(text: &str, len: usize) -> bool {
    text.len() == len && text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The mode of every stored file. An output holds its old versions as
/// hard links to the cache's files, so a change to a page in `public/`
/// made in place (a post-processing step, an editor, `chmod -R`) changes
/// the cache's file too: its mode, and its [`stamp`], tell.
const STORED_MODE: u32 = 0o644;

/// Whether new files get [`STORED_MODE`] by themselves (the usual umask,
/// 022), so that setting it costs no call per file.
fn created_as_stored() -> bool {
    static AS_STORED: OnceLock<bool> = OnceLock::new();
    *AS_STORED.get_or_init(|| {
        crate::own_process::status_number("Umask", 8)
            .is_some_and(|umask| 0o666 & !umask == u64::from(STORED_MODE))
    })
}

/// Whether a file has the mode of stored files, and this user as its
/// owner: `chown -R` of `public/` reaches the cache's files too.
fn mode_as_stored(metadata: &std::fs::Metadata) -> bool {
    static USER: OnceLock<Option<u64>> = OnceLock::new();
    let user = *USER.get_or_init(crate::own_process::effective_user);
    metadata.mode() & 0o7777 == STORED_MODE
        && user.is_none_or(|user| u64::from(metadata.uid()) == user)
}

/// Which file a stored page is and when it was last written, in one number.
fn stamp(metadata: &std::fs::Metadata) -> u64 {
    fixed_hash((metadata.ino(), metadata.mtime(), metadata.mtime_nsec()))
}

/// A stored page file's device and inode, without its copies'.
fn identity_of(page: &std::fs::Metadata) -> StoredIdentity {
    StoredIdentity {
        device: page.dev(),
        page: page.ino(),
        copies: Default::default(),
    }
}

/// A hash of a page's bytes.
fn contents_hash(bytes: &[u8]) -> u64 {
    fixed_hash(bytes)
}

/// A hash kept in the list. Keys name the program that stored a page, so
/// it needs to stay the same only within one build of twn.
fn fixed_hash(value: impl std::hash::Hash) -> u64 {
    use std::hash::BuildHasher;
    foldhash::quality::FixedState::with_seed(0).hash_one(value)
}

/// Whether a compressed copy is as it was stored beside `page`: written
/// before it, and with the mode of stored files.
fn copy_as_stored(copy: &std::fs::Metadata, page: &std::fs::Metadata) -> bool {
    (copy.mtime(), copy.mtime_nsec()) <= (page.mtime(), page.mtime_nsec()) && mode_as_stored(copy)
}

/// Whether `folder` is a folder of the cache's own, or not there yet (a
/// write makes it one): never a link, which could carry a stored page
/// anywhere, or bring a file from anywhere into the output.
fn own_folder(folder: &Path) -> bool {
    match folder.symlink_metadata() {
        Ok(meta) => meta.is_dir(),
        Err(e) => e.kind() == std::io::ErrorKind::NotFound,
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

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "0123456789abcdef0123456789abcdef01234567";

    #[test]
    fn the_list_keeps_only_whole_lines_and_the_last_sizes_of_a_key() {
        let text = format!(
            "{KEY}\t100\t0\t0\t4\n\
             garbage\t1\t2\t3\n\
             {short}\t5\t0\t0\n\
             {KEY}\t120\t40\t30\n\
             {other}\t7\t0\n\
             {other}\t7\t0\t0\t9\t1\n\
             {other}\t7\t0\t0\tx\n\
             {other}\t7\tx\t0\n\
             {other}\t7\t0\t0\t2147483648\n\
             {numbered}\t8\t0\t0\t12\n",
            short = &KEY[..39],
            other = KEY.replace('0', "f"),
            numbered = KEY.replace('1', "e"),
        );
        let listed = parse_list(&text);
        assert_eq!(listed.len(), 2, "{listed:?}");
        let page = |page, copies, last_used| ListedPage {
            sizes: StoredSizes { page, copies },
            last_used,
            stored_as: None,
        };
        assert_eq!(listed[KEY], page(120, [40, 30], 0), "from before numbering");
        assert_eq!(listed[&KEY.replace('1', "e")], page(8, [0, 0], 12));
    }

    #[test]
    fn a_page_changed_where_it_is_stored_is_not_used() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let html = "<p>Een oude versie met genoeg tekst om te comprimeren.</p>\n".repeat(40);
        let stored = |key: &str| {
            let cache = RevisionCache::open(dir.path(), true);
            cache.put(key, html.as_bytes()).unwrap();
            cache.save();
            let again = RevisionCache::open(dir.path(), true);
            let path = again.get(key).expect("as stored").path;
            (again, path)
        };
        // Changed in place at its size, as a step after the build might.
        let (_, page) = stored(KEY);
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::OpenOptions::new()
            .write(true)
            .open(&page)
            .and_then(|mut f| std::io::Write::write_all(&mut f, b"<P>"))
            .unwrap();
        assert!(RevisionCache::open(dir.path(), true).get(KEY).is_none());
        // Its mode changed (`chmod -R` on the output).
        let key = KEY.replace('1', "e");
        let (_, page) = stored(&key);
        std::fs::set_permissions(&page, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert!(RevisionCache::open(dir.path(), true).get(&key).is_none());
        // A compressed copy written again later.
        let key = KEY.replace('2', "d");
        let (_, page) = stored(&key);
        std::thread::sleep(std::time::Duration::from_millis(20));
        let copy = crate::compress::copy_path(&page, crate::compress::SUFFIXES[0]);
        let bytes = std::fs::read(&copy).unwrap();
        std::fs::write(&copy, bytes).unwrap();
        assert!(RevisionCache::open(dir.path(), true).get(&key).is_none());
        // Rendered again, it is used again.
        let (_, _) = stored(KEY);
    }

    #[test]
    fn a_cache_restored_from_an_archive_is_used_with_its_pages() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let cache = RevisionCache::open(dir.path(), false);
        let page = cache.put(KEY, b"<p>Oude versie</p>").unwrap().path;
        cache.save();
        // New inode and time, the same bytes and mode: as `tar x` makes it.
        let bytes = std::fs::read(&page).unwrap();
        std::fs::remove_file(&page).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(&page, &bytes).unwrap();
        std::fs::set_permissions(&page, std::fs::Permissions::from_mode(STORED_MODE)).unwrap();
        let restored = RevisionCache::open(dir.path(), false);
        assert!(restored.get(KEY).is_some());
        // Other bytes at the same size are not.
        std::fs::write(&page, b"<p>Oude VERSIE</p>").unwrap();
        assert!(RevisionCache::open(dir.path(), false).get(KEY).is_none());
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
        list.extend(stored_by_hand(&cache_dir, KEY, "<p>9 b</p", 0).as_bytes());
        std::fs::write(cache_dir.join(STORED_LIST), list).unwrap();
        let cache = RevisionCache::open(site, false);
        let page = cache.entry_path(KEY).unwrap();
        let stored = cache.get(KEY).unwrap();
        assert_eq!((stored.path, stored.bytes), (page.clone(), 9));
        std::fs::write(&page, "<p>8 b</").unwrap();
        assert!(cache.get(KEY).is_none(), "not at its listed size");
    }

    /// The list's lines without how pages were stored, which depends on
    /// the file system.
    fn without_stamps(list: &str) -> String {
        list.lines()
            .map(|line| {
                let fields: Vec<&str> = line.split('\t').collect();
                format!("{}\n", fields[..fields.len().min(5)].join("\t"))
            })
            .collect()
    }

    /// Writes `contents` as the stored page of `key` below `cache_dir`, as
    /// a run would; returns its list line, used last by build `last_used`.
    fn stored_by_hand(cache_dir: &Path, key: &str, contents: &str, last_used: u32) -> String {
        use std::os::unix::fs::PermissionsExt;
        let page = cache_dir.join(format!("revisions/{}/{}.html", &key[..2], &key[2..]));
        std::fs::create_dir_all(page.parent().unwrap()).unwrap();
        std::fs::write(&page, contents).unwrap();
        std::fs::set_permissions(&page, std::fs::Permissions::from_mode(STORED_MODE)).unwrap();
        let mut line = String::new();
        let stored_as = StoredAs {
            stamp: stamp(&page.metadata().unwrap()),
            contents: contents_hash(contents.as_bytes()),
        };
        let sizes = StoredSizes {
            page: contents.len() as u64,
            copies: [0, 0],
        };
        push_line(
            &mut line,
            key,
            ListedPage {
                sizes,
                last_used,
                stored_as: Some(stored_as),
            },
        );
        line
    }

    #[test]
    fn a_build_removes_what_no_recent_build_used_unless_another_run_uses_the_cache() {
        let _turn = crate::test_turns::freeing_locks();
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path();
        let cache_dir = site.join(".twn-cache");
        let (recent, old) = (KEY.replace('0', "f"), KEY.replace('1', "e"));
        std::fs::create_dir_all(cache_dir.join("revisions")).unwrap();
        let lines: String = [(&*old, 0), (&recent, 5), (KEY, 3)]
            .into_iter()
            .map(|(key, last_used)| stored_by_hand(&cache_dir, key, "<p>", last_used))
            .collect();
        std::fs::write(cache_dir.join(STORED_LIST), lines).unwrap();
        let page_of =
            |key: &str| cache_dir.join(format!("revisions/{}/{}.html", &key[..2], &key[2..]));
        let list =
            || without_stamps(&std::fs::read_to_string(cache_dir.join(STORED_LIST)).unwrap());
        // Build 6, while the preview uses the cache: nothing goes.
        let preview = RevisionCache::for_preview(site);
        assert!(preview.get(KEY).is_some());
        let build = RevisionCache::open(site, false);
        assert!(build.get(&recent).is_some());
        build.forget_unused();
        assert!(page_of(&old).exists() && page_of(KEY).exists());
        assert!(
            list().ends_with(&format!("{recent}\t3\t0\t0\t6\n")),
            "{}",
            list()
        );
        drop(preview);
        // Build 7, alone: build 0 and 3 were too long ago.
        let build = RevisionCache::open(site, false);
        build.put(&old.replace('2', "d"), b"<p>nieuw</p>").unwrap();
        build.save();
        build.forget_unused();
        assert!(!page_of(&old).exists() && !page_of(KEY).exists());
        assert!(page_of(&recent).exists());
        let mut lines: Vec<&str> = Vec::new();
        let text = list();
        lines.extend(text.lines());
        lines.sort();
        assert_eq!(
            lines,
            [
                format!("{}\t12\t0\t0\t7", old.replace('2', "d")),
                format!("{recent}\t3\t0\t0\t6")
            ]
        );
    }

    #[test]
    fn a_build_that_fails_uses_up_no_number() {
        let _turn = crate::test_turns::freeing_locks();
        let dir = tempfile::tempdir().unwrap();
        let list = dir.path().join(".twn-cache").join(STORED_LIST);
        let failed = RevisionCache::open(dir.path(), false);
        failed.put(KEY, b"<p>").unwrap();
        failed.save();
        assert_eq!(
            without_stamps(&std::fs::read_to_string(&list).unwrap()),
            format!("{KEY}\t3\t0\t0\t0\n")
        );
        drop(failed);
        let next = RevisionCache::open(dir.path(), false);
        assert!(next.get(KEY).is_some());
        next.forget_unused();
        assert_eq!(
            without_stamps(&std::fs::read_to_string(&list).unwrap()),
            format!("{KEY}\t3\t0\t0\t1\n")
        );
    }

    #[test]
    fn a_stored_page_counts_its_compressed_copies_where_the_site_makes_them() {
        let dir = tempfile::tempdir().unwrap();
        let page = "<p>Een oude versie van de pagina.</p>\n".repeat(100);
        let cache = RevisionCache::open(dir.path(), true);
        let stored = cache.put(KEY, page.as_bytes()).unwrap();
        let on_disk: u64 = ["", ".gz", ".br"]
            .iter()
            .map(|suffix| {
                let copy = crate::compress::copy_path(&stored.path, suffix);
                std::fs::metadata(copy).unwrap().len()
            })
            .sum();
        assert!(on_disk > page.len() as u64);
        assert_eq!(stored.bytes, on_disk);
        assert_eq!(cache.get(KEY).unwrap().bytes, on_disk);
        cache.save();
        let without = RevisionCache::open(dir.path(), false);
        assert_eq!(without.get(KEY).unwrap().bytes, page.len() as u64);
    }
}
