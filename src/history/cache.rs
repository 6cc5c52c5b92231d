//! Commits never change: what each one did to the pages is kept in
//! `.twn-cache/geschiedenis.json`, so a rebuild reads only the commits made
//! since, or none at all.

use super::walk::CommitChanges;
use super::{CommitMeta, FileChange};
use gix::ObjectId;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

const FILE: &str = "geschiedenis.json";
const FORMAT: u32 = 1;

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
    changes: Vec<StoredChange>,
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
    path: PathBuf,
}

/// The commits read before: those reachable from `head`.
pub struct Known {
    pub head: ObjectId,
    pub commits: Vec<CommitChanges>,
}

impl HistoryCache {
    pub fn new(site_root: &Path) -> Self {
        HistoryCache {
            path: site_root.join(crate::revision_cache::CACHE_DIR).join(FILE),
        }
    }

    /// What an earlier build read for the same `content/` folder.
    pub fn load(&self, content_dir: &str) -> Option<Known> {
        let text = std::fs::read_to_string(&self.path).ok()?;
        let stored: Stored = serde_json::from_str(&text).ok()?;
        if stored.format != FORMAT || stored.content_dir != content_dir {
            return None;
        }
        let id = |hex: &str| ObjectId::from_hex(hex.as_bytes()).ok();
        let commits = stored
            .commits
            .into_iter()
            .map(|c| {
                let changes = c
                    .changes
                    .into_iter()
                    .map(|ch| {
                        Some(match ch.kind {
                            'A' => FileChange::Added {
                                path: ch.path,
                                blob: id(ch.blob.as_deref()?)?,
                            },
                            'D' => FileChange::Deleted { path: ch.path },
                            'M' => FileChange::Modified {
                                path: ch.path,
                                previous: id(ch.previous.as_deref()?)?,
                                blob: id(ch.blob.as_deref()?)?,
                            },
                            'R' => FileChange::Renamed {
                                from: ch.from?,
                                previous: id(ch.previous.as_deref()?)?,
                                path: ch.path,
                                blob: id(ch.blob.as_deref()?)?,
                            },
                            _ => return None,
                        })
                    })
                    .collect::<Option<Vec<_>>>()?;
                Some(CommitChanges {
                    meta: CommitMeta {
                        id: id(&c.id)?,
                        author: c.author,
                        seconds: c.seconds,
                        offset: c.offset,
                        message: c.message,
                    },
                    changes,
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
        let hex = |id: &ObjectId| id.to_hex().to_string();
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
                    changes: c
                        .changes
                        .iter()
                        .map(|change| match change {
                            FileChange::Added { path, blob } => StoredChange {
                                kind: 'A',
                                path: path.clone(),
                                from: None,
                                previous: None,
                                blob: Some(hex(blob)),
                            },
                            FileChange::Deleted { path } => StoredChange {
                                kind: 'D',
                                path: path.clone(),
                                from: None,
                                previous: None,
                                blob: None,
                            },
                            FileChange::Modified {
                                path,
                                previous,
                                blob,
                            } => StoredChange {
                                kind: 'M',
                                path: path.clone(),
                                from: None,
                                previous: Some(hex(previous)),
                                blob: Some(hex(blob)),
                            },
                            FileChange::Renamed {
                                from,
                                previous,
                                path,
                                blob,
                            } => StoredChange {
                                kind: 'R',
                                path: path.clone(),
                                from: Some(from.clone()),
                                previous: Some(hex(previous)),
                                blob: Some(hex(blob)),
                            },
                        })
                        .collect(),
                })
                .collect(),
        };
        let Ok(text) = serde_json::to_string(&stored) else {
            return;
        };
        let _ = crate::revision_cache::write_cache_file(&self.path, text.as_bytes());
    }
}
