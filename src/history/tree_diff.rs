//! The pages that differ between two trees, found by comparing the trees'
//! bytes. A commit usually changes one page of thousands, and a git tree
//! is a sorted list of entries: the entries before and after the change are
//! byte for byte the same in both trees, so only those between the common
//! start and the common end are read. Renames are not looked for here;
//! `renames` pairs them where a commit both adds and deletes a page.

use super::FileChange;
use gix::ObjectId;
use gix::objs::tree::{EntryMode, name_order};
use std::cmp::Ordering;

/// One entry of a tree object: `<mode> <name>\0<id>`.
struct Entry<'a> {
    mode: EntryMode,
    name: &'a [u8],
    id: &'a [u8],
    /// Where the next entry starts.
    end: usize,
}

/// The tree object's bytes and how long its ids are.
#[derive(Clone, Copy)]
struct TreeBytes<'a> {
    data: &'a [u8],
    hash_len: usize,
}

impl<'a> TreeBytes<'a> {
    fn entry_at(&self, at: usize) -> Option<Entry<'a>> {
        let rest = self.data.get(at..)?;
        let space = rest.iter().position(|&b| b == b' ')?;
        let mode = EntryMode::from_bytes(rest)?;
        let name_start = space + 1;
        let nul = name_start + memchr::memchr(0, &rest[name_start..])?;
        let id_end = nul + 1 + self.hash_len;
        Some(Entry {
            mode,
            name: &rest[name_start..nul],
            id: rest.get(nul + 1..id_end)?,
            end: at + id_end,
        })
    }

    /// The start of the first entry that does not lie wholly within the
    /// first `prefix` bytes. Modes and names hold no NUL, so an entry ends
    /// `hash_len` bytes after its first NUL.
    fn entry_start_after(&self, prefix: usize) -> usize {
        let mut at = 0;
        while let Some(nul) = memchr::memchr(0, &self.data[at..]) {
            let end = at + nul + 1 + self.hash_len;
            if end > prefix {
                break;
            }
            at = end;
        }
        at
    }
}

/// Finds what differs between trees.
pub(super) struct TreeDiff<'r> {
    pub repo: &'r gix::Repository,
    pub changes: Vec<FileChange>,
}

impl TreeDiff<'_> {
    /// Adds the pages (`.md` blobs) that differ between `old` and `new`,
    /// with paths below `path` (empty, or ending in `/`).
    pub fn trees(
        &mut self,
        old: Option<ObjectId>,
        new: Option<ObjectId>,
        path: &mut String,
    ) -> Result<(), gix::Error> {
        if old == new {
            return Ok(());
        }
        let hash_len = self.repo.object_hash().len_in_bytes();
        let old_tree = old.map(|id| self.repo.find_tree(id)).transpose()?;
        let new_tree = new.map(|id| self.repo.find_tree(id)).transpose()?;
        let a = TreeBytes {
            data: old_tree.as_ref().map_or(&[][..], |t| t.data.as_slice()),
            hash_len,
        };
        let b = TreeBytes {
            data: new_tree.as_ref().map_or(&[][..], |t| t.data.as_slice()),
            hash_len,
        };
        let prefix = common_prefix(a.data, b.data);
        let suffix = common_suffix(a.data, b.data);
        // Entries wholly inside the common start are the same in both.
        let start = a.entry_start_after(prefix);
        let (mut i, mut j) = (start, start);
        loop {
            let (rest_a, rest_b) = (a.data.len() - i, b.data.len() - j);
            if rest_a == rest_b && rest_a <= suffix {
                // Both at an entry's start, with the same bytes to come.
                return Ok(());
            }
            let (x, y) = (a.entry_at(i), b.entry_at(j));
            let order = match (&x, &y) {
                (Some(x), Some(y)) => {
                    name_order(x.name, x.mode.is_tree(), y.name, y.mode.is_tree())
                }
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => return Ok(()),
            };
            match order {
                Ordering::Less => {
                    let x = x.expect("ordered before the other entry");
                    self.one_side(&x, path, Side::Old)?;
                    i = x.end;
                }
                Ordering::Greater => {
                    let y = y.expect("ordered after the other entry");
                    self.one_side(&y, path, Side::New)?;
                    j = y.end;
                }
                Ordering::Equal => {
                    let (x, y) = (x.expect("equal entry"), y.expect("equal entry"));
                    if x.id != y.id || x.mode != y.mode {
                        self.both_sides(&x, &y, path)?;
                    }
                    i = x.end;
                    j = y.end;
                }
            }
        }
    }

    /// An entry only one of the trees has: a page added or deleted, or a
    /// whole folder of them.
    fn one_side(&mut self, entry: &Entry, path: &mut String, side: Side) -> Result<(), gix::Error> {
        let id = ObjectId::from_bytes_or_panic(entry.id);
        if entry.mode.is_tree() {
            let before = path.len();
            push_component(path, entry.name, true);
            let result = match side {
                Side::Old => self.trees(Some(id), None, path),
                Side::New => self.trees(None, Some(id), path),
            };
            path.truncate(before);
            return result;
        }
        if let Some(page) = page_path(path, entry) {
            self.changes.push(match side {
                Side::Old => FileChange::Deleted {
                    path: page,
                    previous: id,
                },
                Side::New => FileChange::Added {
                    path: page,
                    blob: id,
                },
            });
        }
        Ok(())
    }

    /// Entries of the same name and kind that differ.
    fn both_sides(
        &mut self,
        old: &Entry,
        new: &Entry,
        path: &mut String,
    ) -> Result<(), gix::Error> {
        let (old_id, new_id) = (
            ObjectId::from_bytes_or_panic(old.id),
            ObjectId::from_bytes_or_panic(new.id),
        );
        if new.mode.is_tree() {
            let before = path.len();
            push_component(path, new.name, true);
            let result = self.trees(Some(old_id), Some(new_id), path);
            path.truncate(before);
            return result;
        }
        if let Some(page) = page_path(path, new) {
            self.changes.push(FileChange::Modified {
                path: page,
                previous: old_id,
                blob: new_id,
            });
        }
        Ok(())
    }
}

enum Side {
    Old,
    New,
}

fn push_component(path: &mut String, name: &[u8], folder: bool) {
    path.push_str(&String::from_utf8_lossy(name));
    if folder {
        path.push('/');
    }
}

/// The entry's path if it is a page: a file (not a link) named `*.md`.
fn page_path(folder: &str, entry: &Entry) -> Option<String> {
    let mut path = String::with_capacity(folder.len() + entry.name.len());
    path.push_str(folder);
    push_component(&mut path, entry.name, false);
    (entry.mode.is_blob() && path.ends_with(".md")).then_some(path)
}

fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    const CHUNK: usize = 64;
    let shorter = a.len().min(b.len());
    let mut at = 0;
    while at + CHUNK <= shorter && a[at..at + CHUNK] == b[at..at + CHUNK] {
        at += CHUNK;
    }
    while at < shorter && a[at] == b[at] {
        at += 1;
    }
    at
}

fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    const CHUNK: usize = 64;
    let shorter = a.len().min(b.len());
    let (a_end, b_end) = (a.len(), b.len());
    let mut len = 0;
    while len + CHUNK <= shorter
        && a[a_end - len - CHUNK..a_end - len] == b[b_end - len - CHUNK..b_end - len]
    {
        len += CHUNK;
    }
    while len < shorter && a[a_end - len - 1] == b[b_end - len - 1] {
        len += 1;
    }
    len
}
