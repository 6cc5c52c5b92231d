//! Following renames the way `git log --follow` does, for every file at
//! once: walking from the newest commit back, a rename makes the old path
//! part of the same page, and a creation ends the page's past.

use super::walk::CommitChanges;
use super::{CommitMeta, FileChange, History, Revision};
use std::collections::HashMap;

pub(super) fn follow_renames(
    commits: Vec<CommitChanges>,
    repo: gix::ThreadSafeRepository,
    content_prefix: String,
    shallow: bool,
) -> History {
    let mut metas: Vec<CommitMeta> = Vec::with_capacity(commits.len());
    let mut files: HashMap<String, Vec<Revision>> = HashMap::new();
    // A path as it was at the point reached → the page's current path, or
    // `None` for a file deleted later (its past belongs to no page).
    let mut lineage: HashMap<String, Option<String>> = HashMap::new();
    for CommitChanges { meta, changes } in commits {
        let commit = metas.len();
        metas.push(meta);
        for change in changes {
            let (path, blob, previous, renamed_from, created) = match change {
                FileChange::Deleted { path } => {
                    lineage.insert(path, None);
                    continue;
                }
                FileChange::Added { path, blob } => (path, blob, None, None, true),
                FileChange::Modified {
                    path,
                    previous,
                    blob,
                } => (path, blob, Some(previous), None, false),
                FileChange::Renamed {
                    from,
                    previous,
                    path,
                    blob,
                } => (path, blob, Some(previous), Some(from), false),
            };
            let current = lineage
                .entry(path.clone())
                .or_insert_with(|| Some(path.clone()))
                .clone();
            if let Some(current) = &current {
                files.entry(current.clone()).or_default().push(Revision {
                    commit,
                    path: path.clone(),
                    blob,
                    previous,
                    renamed_from: renamed_from.clone(),
                });
            }
            if created {
                lineage.remove(&path);
            } else if let Some(from) = renamed_from {
                lineage.remove(&path);
                lineage.insert(from, current);
            }
        }
    }
    let short_len = shortest_unique_prefix(&metas);
    History {
        commits: metas,
        files,
        short_len,
        shallow,
        repo,
        content_prefix,
    }
}

/// Seven hex digits as git shows them, more where two commits share those.
fn shortest_unique_prefix(commits: &[CommitMeta]) -> usize {
    let mut ids: Vec<String> = commits.iter().map(|c| c.id.to_hex().to_string()).collect();
    ids.sort_unstable();
    let shared = ids
        .windows(2)
        .map(|pair| {
            pair[0]
                .bytes()
                .zip(pair[1].bytes())
                .take_while(|(a, b)| a == b)
                .count()
        })
        .max()
        .unwrap_or(0);
    (shared + 1).max(7)
}
