//! The one pass over git history: every commit is read once and its
//! `content/` tree compared with its parent's, with renames detected as git
//! does by default (50 % similarity). Commits are diffed in parallel; each
//! thread has its own view of the repository.

use super::{CommitMeta, FileChange};
use gix::ObjectId;
use gix::bstr::{BStr, ByteSlice};
use rayon::prelude::*;

/// What one commit did to the pages.
pub struct CommitChanges {
    pub meta: CommitMeta,
    pub changes: Vec<FileChange>,
}

/// The commits reachable from HEAD but not from `known`, newest first, with
/// what each changed below `content_dir` (path components from the
/// repository root). Commits that change no page are left out.
pub fn read_commits(
    repo: &gix::ThreadSafeRepository,
    head: ObjectId,
    known: Option<ObjectId>,
    content_dir: &[String],
) -> Result<Vec<CommitChanges>, String> {
    let local = repo.to_thread_local();
    let walk = local
        .rev_walk([head])
        .with_hidden(known)
        .sorting(gix::revision::walk::Sorting::ByCommitTime(
            Default::default(),
        ))
        .all()
        .map_err(|e| e.to_string())?;
    let mut ids = Vec::new();
    for info in walk {
        ids.push(info.map_err(|e| e.to_string())?.id);
    }
    // Contiguous runs of commits, one per thread: a commit's parent is
    // usually the next commit, so its trees are already at hand.
    let run_length = ids
        .len()
        .div_ceil(rayon::current_num_threads().max(1))
        .max(1);
    let runs: Vec<Result<Vec<CommitChanges>, String>> = ids
        .par_chunks(run_length)
        .map(|run| {
            let mut differ = Differ::new(repo.to_thread_local());
            let mut changes = Vec::with_capacity(run.len());
            for id in run {
                changes.extend(differ.commit_changes(*id, content_dir)?);
            }
            Ok(changes)
        })
        .collect();
    let mut all = Vec::with_capacity(ids.len());
    for run in runs {
        all.extend(run?);
    }
    Ok(all)
}

struct Differ {
    repo: gix::Repository,
    resources: Option<gix::diff::blob::Platform>,
    state: gix::diff::tree::State,
    /// The `content/` tree of the last parent looked up, by commit.
    last_parent: Option<(ObjectId, Option<ObjectId>)>,
}

impl Differ {
    fn new(mut repo: gix::Repository) -> Self {
        repo.object_cache_size_if_unset(16 * 1024 * 1024);
        let resources = repo.diff_resource_cache_for_tree_diff().ok();
        Differ {
            repo,
            resources,
            state: Default::default(),
            last_parent: None,
        }
    }

    fn commit_changes(
        &mut self,
        id: ObjectId,
        content_dir: &[String],
    ) -> Result<Option<CommitChanges>, String> {
        let error = |e: gix::Error| format!("commit {}: {e}", id.to_hex_with_len(7));
        let (meta, root, parents) = {
            let commit = self.repo.find_commit(id).map_err(error)?;
            let decoded = commit.decode().map_err(error)?;
            let author = decoded.author().map_err(error)?;
            let time = author.time().unwrap_or_default();
            let meta = CommitMeta {
                id,
                author: author.name.to_str_lossy().trim().to_owned(),
                seconds: time.seconds,
                offset: time.offset,
                message: decoded.message.to_str_lossy().trim().to_owned(),
            };
            let parents: Vec<ObjectId> = decoded.parents().collect();
            (meta, decoded.tree(), parents)
        };
        let tree = match self.last_parent {
            Some((commit, tree)) if commit == id => tree,
            _ => self.subtree(root, content_dir).map_err(error)?,
        };
        let mut parent_trees = Vec::with_capacity(parents.len());
        for parent in &parents {
            let parent_tree = match self.repo.find_commit(*parent) {
                Ok(p) => {
                    let root = p.tree_id().map_err(error)?.detach();
                    self.subtree(root, content_dir).map_err(error)?
                }
                // Beyond a shallow clone's boundary: the parent is absent.
                Err(_) => None,
            };
            parent_trees.push(parent_tree);
            self.last_parent = Some((*parent, parent_tree));
        }
        if parent_trees.contains(&tree) {
            // A merge taking one side as it was, or a commit not touching pages.
            return Ok(None);
        }
        let first_parent = parent_trees.first().copied().flatten();
        let mut changes = self.diff(first_parent, tree).map_err(error)?;
        // A merge changed only what differs from every parent.
        for other in parent_trees.iter().skip(1) {
            let against_other = self.diff(*other, tree).map_err(error)?;
            changes.retain(|c| against_other.iter().any(|o| o.path() == c.path()));
        }
        if changes.is_empty() {
            return Ok(None);
        }
        Ok(Some(CommitChanges { meta, changes }))
    }

    /// The id of the tree at `path` below `root`, if there is one.
    fn subtree(&self, root: ObjectId, path: &[String]) -> Result<Option<ObjectId>, gix::Error> {
        let mut current = root;
        for name in path {
            let tree = self.repo.find_tree(current)?;
            let Some(entry) = tree.find_entry(name.as_str()) else {
                return Ok(None);
            };
            if !entry.mode().is_tree() {
                return Ok(None);
            }
            current = entry.object_id();
        }
        Ok(Some(current))
    }

    fn diff(
        &mut self,
        old: Option<ObjectId>,
        new: Option<ObjectId>,
    ) -> Result<Vec<FileChange>, gix::Error> {
        let empty = self.repo.empty_tree();
        let old = match old {
            Some(id) => self.repo.find_tree(id)?,
            None => empty.clone(),
        };
        let new = match new {
            Some(id) => self.repo.find_tree(id)?,
            None => empty,
        };
        let Some(resources) = self.resources.as_mut() else {
            return Err(gix::Error::from_error(std::io::Error::other(
                "kan de blobs van de repository niet vergelijken",
            )));
        };
        let options = gix::diff::tree_with_rewrites::Options {
            location: Some(gix::diff::tree::recorder::Location::Path),
            rewrites: Some(gix::diff::Rewrites {
                copies: None,
                percentage: Some(0.5),
                limit: 1000,
                track_empty: false,
            }),
        };
        let mut changes = Vec::new();
        let kind = old.id.kind();
        gix::diff::tree_with_rewrites(
            gix::objs::TreeRefIter::from_bytes(&old.data, kind),
            gix::objs::TreeRefIter::from_bytes(&new.data, kind),
            resources,
            &mut self.state,
            &self.repo.objects,
            |change| {
                use gix::diff::tree_with_rewrites::ChangeRef;
                let page = |location: &BStr| {
                    let path = location.to_str_lossy();
                    path.ends_with(".md").then(|| path.into_owned())
                };
                let change = match change {
                    ChangeRef::Addition {
                        location,
                        entry_mode,
                        id,
                        ..
                    } if entry_mode.is_blob() => {
                        page(location).map(|path| FileChange::Added { path, blob: id })
                    }
                    ChangeRef::Deletion {
                        location,
                        entry_mode,
                        ..
                    } if entry_mode.is_blob() => {
                        page(location).map(|path| FileChange::Deleted { path })
                    }
                    ChangeRef::Modification {
                        location,
                        entry_mode,
                        previous_id,
                        id,
                        ..
                    } if entry_mode.is_blob() => page(location).map(|path| FileChange::Modified {
                        path,
                        previous: previous_id,
                        blob: id,
                    }),
                    ChangeRef::Rewrite {
                        source_location,
                        source_id,
                        location,
                        entry_mode,
                        id,
                        copy: false,
                        ..
                    } if entry_mode.is_blob() => match (page(source_location), page(location)) {
                        (Some(from), Some(path)) => Some(FileChange::Renamed {
                            from,
                            previous: source_id,
                            path,
                            blob: id,
                        }),
                        (None, Some(path)) => Some(FileChange::Added { path, blob: id }),
                        (Some(from), None) => Some(FileChange::Deleted { path: from }),
                        (None, None) => None,
                    },
                    _ => None,
                };
                changes.extend(change);
                Ok(std::ops::ControlFlow::Continue(()))
            },
            options,
        )
        .map_err(gix::Error::from_error)?;
        Ok(changes)
    }
}
