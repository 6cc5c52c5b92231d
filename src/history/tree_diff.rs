//! The pages that differ between two trees, found by comparing the trees'
//! bytes. A commit usually changes one page of thousands, and a git tree
//! is a sorted list of entries: the entries before and after the change are
//! byte for byte the same in both trees, so only those between the common
//! start and the common end are read. Renames are not looked for here;
//! `renames` pairs them where a commit both adds and deletes a page.

use super::FileChange;
use gix::ObjectId;
use gix::objs::Find;
use gix::objs::tree::{EntryMode, name_order};
use std::cmp::Ordering;
use std::collections::HashMap;
use std::rc::Rc;

/// The bytes of the trees read for the commit being compared and for the
/// one before it. A commit's parent is nearly always the next commit the
/// walk compares, so the trees read as one commit's old side are the next
/// one's new side: kept here, each is read from the pack once. gix's
/// object cache did this, at the cost of copying every tree (a folder of
/// thousands of pages is hundreds of kilobytes) into the cache and out
/// again; trees are read here without it. Keeping trees for longer, for
/// histories of many branches, cost more than it saved: the buffers of
/// older trees are read into again instead, as a fresh buffer for each
/// tree cost more than the copies.
pub(super) struct KeptTrees {
    /// The repository, without an object cache.
    repo: gix::Repository,
    previous: HashMap<ObjectId, Rc<Vec<u8>>>,
    current: HashMap<ObjectId, Rc<Vec<u8>>>,
    /// Buffers of trees no longer kept, to read the next ones into.
    spare: Vec<Vec<u8>>,
}

impl KeptTrees {
    pub fn new(repo: &gix::Repository) -> KeptTrees {
        let mut repo = repo.clone();
        repo.object_cache_size(0);
        KeptTrees {
            repo,
            previous: HashMap::new(),
            current: HashMap::new(),
            spare: Vec::new(),
        }
    }

    fn tree(&mut self, id: ObjectId) -> Result<Rc<Vec<u8>>, gix::Error> {
        if let Some(tree) = self.current.get(&id) {
            return Ok(tree.clone());
        }
        let tree = match self.previous.get(&id) {
            Some(tree) => tree.clone(),
            None => Rc::new(self.read(id)?),
        };
        self.current.insert(id, tree.clone());
        Ok(tree)
    }

    fn read(&mut self, id: ObjectId) -> Result<Vec<u8>, gix::Error> {
        let repo = &self.repo;
        let mut buffer = self.spare.pop().unwrap_or_default();
        let found = repo
            .objects
            .try_find(&id, &mut buffer)?
            .map(|data| (data.kind, data.data.as_ptr() as usize, data.data.len()));
        let range = match found {
            // The object's bytes lie within the buffer, which may hold
            // more (a loose object's header).
            Some((gix::object::Kind::Tree, at, len)) => {
                let start = at - buffer.as_ptr() as usize;
                start..start + len
            }
            // Missing, or not a tree: gix's own lookup says what is wrong.
            _ => return Ok(repo.find_tree(id)?.detach().data),
        };
        buffer.truncate(range.end);
        buffer.drain(..range.start);
        Ok(buffer)
    }

    /// The next commit is compared: the trees of the one before the last
    /// are not needed again.
    pub fn next_commit(&mut self) {
        let done = std::mem::replace(&mut self.previous, std::mem::take(&mut self.current));
        for tree in done.into_values() {
            if let Ok(mut buffer) = Rc::try_unwrap(tree)
                && self.spare.len() < 16
            {
                buffer.clear();
                self.spare.push(buffer);
            }
        }
    }
}

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
    pub kept: &'r mut KeptTrees,
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
        let hash_len = self.kept.repo.object_hash().len_in_bytes();
        let old_tree = old.map(|id| self.kept.tree(id)).transpose()?;
        let new_tree = new.map(|id| self.kept.tree(id)).transpose()?;
        let a = TreeBytes {
            data: old_tree.as_deref().map_or(&[][..], |t| t.as_slice()),
            hash_len,
        };
        let b = TreeBytes {
            data: new_tree.as_deref().map_or(&[][..], |t| t.as_slice()),
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

/// Chunk sizes for finding where two trees part: large steps first, since
/// they are mostly equal, then smaller ones near the difference.
const STEPS: [usize; 3] = [4096, 256, 16];

fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let shorter = a.len().min(b.len());
    let mut at = 0;
    for step in STEPS {
        while at + step <= shorter && a[at..at + step] == b[at..at + step] {
            at += step;
        }
    }
    while at < shorter && a[at] == b[at] {
        at += 1;
    }
    at
}

fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    let shorter = a.len().min(b.len());
    let (a_end, b_end) = (a.len(), b.len());
    let mut len = 0;
    for step in STEPS {
        while len + step <= shorter
            && a[a_end - len - step..a_end - len] == b[b_end - len - step..b_end - len]
        {
            len += step;
        }
    }
    while len < shorter && a[a_end - len - 1] == b[b_end - len - 1] {
        len += 1;
    }
    len
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trees_part_where_their_bytes_first_and_last_differ() {
        let naive_prefix = |a: &[u8], b: &[u8]| a.iter().zip(b).take_while(|(x, y)| x == y).count();
        let naive_suffix = |a: &[u8], b: &[u8]| {
            a.iter()
                .rev()
                .zip(b.iter().rev())
                .take_while(|(x, y)| x == y)
                .count()
        };
        let base: Vec<u8> = (0..10_000u32).map(|i| (i * 7 % 251) as u8).collect();
        for at in [0, 1, 15, 16, 255, 256, 4095, 4096, 4097, 5000, 9999] {
            let mut changed = base.clone();
            changed[at] ^= 0xff;
            let mut longer = base.clone();
            longer.insert(at, 1);
            for (a, b) in [(&base, &changed), (&base, &longer), (&longer, &base)] {
                assert_eq!(
                    common_prefix(a, b),
                    naive_prefix(a, b),
                    "prefix, change at {at}"
                );
                assert_eq!(
                    common_suffix(a, b),
                    naive_suffix(a, b),
                    "suffix, change at {at}"
                );
            }
        }
        assert_eq!(common_prefix(&base, &base), base.len());
        assert_eq!(
            common_suffix(&base[..10], &base),
            naive_suffix(&base[..10], &base)
        );
    }
}
