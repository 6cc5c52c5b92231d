//! What rendering produces, before anything touches the disk: files by
//! their path below the output folder, folders of old versions kept in a
//! cache, and the cache's interface as renderers see it.

use gix::ObjectId;
use std::path::PathBuf;

/// One file of the output, by its path below the output folder.
#[derive(Debug)]
pub struct OutputFile {
    pub path: String,
    pub contents: Vec<u8>,
}

/// Where rendered files go as they are made: a build writes each at once,
/// `twn serve` keeps them.
pub type Emit<'a> = &'a (dyn Fn(OutputFile) + Sync);

/// A folder of revision pages below the output, e.g. `regio/x/versie/`.
#[derive(Debug)]
pub struct RevisionDir {
    pub dir: String,
    pub entries: Vec<RevisionEntry>,
}

/// `<dir><name>/index.html` (or `<dir>index.html` for an empty name), a
/// copy of the cache's file `source`.
#[derive(Debug)]
pub struct RevisionEntry {
    pub name: String,
    pub source: PathBuf,
    /// The page's size in the output, with its compressed copies.
    pub bytes: u64,
    pub identity: StoredIdentity,
}

impl RevisionEntry {
    /// The entry `name` for a page the cache holds.
    pub fn stored(name: &str, stored: StoredPage) -> RevisionEntry {
        RevisionEntry {
            name: name.to_owned(),
            source: stored.path,
            bytes: stored.bytes,
            identity: stored.identity,
        }
    }

    /// The entry's file below its folder.
    pub fn file_in_dir(name: &str) -> String {
        if name.is_empty() {
            "index.html".into()
        } else {
            format!("{name}/index.html")
        }
    }
}

/// A page in a [`RevisionStore`]: where it lies, and its size.
pub struct StoredPage {
    pub path: PathBuf,
    pub bytes: u64,
    pub identity: StoredIdentity,
}

/// Which files on disk a stored page and its compressed copies are: a file
/// in an earlier output with the same device and inode is a link to the
/// very file the cache vouched for, so it can stay.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StoredIdentity {
    pub device: u64,
    pub page: u64,
    /// Each copy's inode, in the order of `compress::SUFFIXES`; 0 where the
    /// output holds none.
    pub copies: [u64; 2],
}

/// Where rendered old versions and diffs are kept between builds: they
/// never change, so a renderer asks here before rendering one.
pub trait RevisionStore: Sync {
    /// The stored page for `key`, if there is one.
    fn get(&self, key: &str) -> Option<StoredPage>;
    /// Stores a rendered page; never half a file under a valid key.
    fn put(&self, key: &str, contents: &[u8]) -> std::io::Result<StoredPage>;
    /// Lines added and removed between two blobs, if counted before.
    fn line_stats(&self, before: ObjectId, after: ObjectId) -> Option<(usize, usize)>;
    fn remember_line_stats(&self, before: ObjectId, after: ObjectId, stats: (usize, usize));
    /// Keeps what was learnt for the next build.
    fn save(&self);
}
