//! Commits never change: what each one did to the pages is kept in
//! `.twn-cache/geschiedenis.json`, so a rebuild reads only the commits made
//! since, or none at all.

use super::walk::CommitChanges;
use super::{CommitMeta, FileChange};
use gix::ObjectId;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

const FILE: &str = "geschiedenis.json";
const FORMAT: u32 = 4;

#[derive(Serialize, Deserialize)]
struct Stored {
    format: u32,
    content_dir: String,
    head: String,
    /// Newest first.
    commits: Vec<StoredCommit>,
}

#[derive(Serialize, Deserialize)]
struct StoredCommit {
    id: String,
    author: String,
    seconds: i64,
    offset: i32,
    message: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    parents: Vec<String>,
    /// Per parent, what differs; empty lists are common and short.
    against: Vec<Vec<StoredChange>>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    boundary: bool,
}

/// `kind`: A(dded), D(eleted), M(odified) or R(enamed).
#[derive(Serialize, Deserialize)]
struct StoredChange {
    kind: char,
    path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    previous: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    blob: Option<String>,
}

pub struct HistoryCache {
    /// `None` where the cache may not be used.
    path: Option<PathBuf>,
}

/// The commits read before: those reachable from `head`.
pub struct Known {
    pub head: ObjectId,
    pub commits: Vec<CommitChanges>,
}

impl HistoryCache {
    pub fn new(site_root: &Path) -> Self {
        HistoryCache {
            path: crate::folders::cache_dir(site_root)
                .ok()
                .map(|dir| dir.join(FILE)),
        }
    }

    /// What an earlier build read for the same `content/` folder.
    pub fn load(&self, content_dir: &str) -> Option<Known> {
        let text = std::fs::read_to_string(self.path.as_ref()?).ok()?;
        let stored: Stored = serde_json::from_str(&text).ok()?;
        if stored.format != FORMAT || stored.content_dir != content_dir {
            return None;
        }
        let id = |hex: &str| ObjectId::from_hex(hex.as_bytes()).ok();
        let commits = stored
            .commits
            .into_iter()
            .map(|c| {
                let against = c
                    .against
                    .into_iter()
                    .map(|changes| changes.into_iter().map(StoredChange::load).collect())
                    .collect::<Option<Vec<Vec<_>>>>()?;
                Some(CommitChanges {
                    meta: CommitMeta {
                        id: id(&c.id)?,
                        author: c.author,
                        seconds: c.seconds,
                        offset: c.offset,
                        message: c.message,
                    },
                    parents: c.parents.iter().map(|p| id(p)).collect::<Option<_>>()?,
                    against,
                    boundary: c.boundary,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Known {
            head: id(&stored.head)?,
            commits,
        })
    }

    /// Keeps what was read; a cache that cannot be written costs time only.
    pub fn save(&self, content_dir: &str, head: ObjectId, commits: &[CommitChanges]) {
        let stored = Stored {
            format: FORMAT,
            content_dir: content_dir.to_owned(),
            head: hex(&head),
            commits: commits
                .iter()
                .map(|c| StoredCommit {
                    id: hex(&c.meta.id),
                    author: c.meta.author.clone(),
                    seconds: c.meta.seconds,
                    offset: c.meta.offset,
                    message: c.meta.message.clone(),
                    parents: c.parents.iter().map(hex).collect(),
                    against: c
                        .against
                        .iter()
                        .map(|changes| changes.iter().map(StoredChange::save).collect())
                        .collect(),
                    boundary: c.boundary,
                })
                .collect(),
        };
        let Ok(text) = serde_json::to_string(&stored) else {
            return;
        };
        if let Some(path) = &self.path {
            let _ = crate::folders::write_cache_file(path, text.as_bytes());
        }
    }
}

fn hex(id: &ObjectId) -> String {
    id.to_hex().to_string()
}

impl StoredChange {
    fn load(self) -> Option<FileChange> {
        let id = |hex: Option<&str>| ObjectId::from_hex(hex?.as_bytes()).ok();
        Some(match self.kind {
            'A' => FileChange::Added {
                path: self.path,
                blob: id(self.blob.as_deref())?,
            },
            'D' => FileChange::Deleted {
                path: self.path,
                previous: id(self.previous.as_deref())?,
            },
            'M' => FileChange::Modified {
                path: self.path,
                previous: id(self.previous.as_deref())?,
                blob: id(self.blob.as_deref())?,
            },
            'R' => FileChange::Renamed {
                from: self.from?,
                previous: id(self.previous.as_deref())?,
                path: self.path,
                blob: id(self.blob.as_deref())?,
            },
            _ => return None,
        })
    }

    fn save(change: &FileChange) -> StoredChange {
        let (kind, path, from, previous, blob) = match change {
            FileChange::Added { path, blob } => ('A', path, None, None, Some(blob)),
            FileChange::Deleted { path, previous } => ('D', path, None, Some(previous), None),
            FileChange::Modified {
                path,
                previous,
                blob,
            } => ('M', path, None, Some(previous), Some(blob)),
            FileChange::Renamed {
                from,
                previous,
                path,
                blob,
            } => ('R', path, Some(from.clone()), Some(previous), Some(blob)),
        };
        StoredChange {
            kind,
            path: path.clone(),
            from,
            previous: previous.map(hex),
            blob: blob.map(hex),
        }
    }
}
