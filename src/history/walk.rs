//! The one pass over git history: every commit is read once and its
//! `content/` tree compared with its parent's, with renames detected as git
//! does by default (50 % similarity). Commits are diffed in parallel; each
//! thread has its own view of the repository.

use super::tree_diff::TreeDiff;
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
        let mut changes = self.changes(first_parent, tree).map_err(error)?;
        // A merge changed only what differs from every parent.
        for other in parent_trees.iter().skip(1) {
            let against_other = self.changes(*other, tree).map_err(error)?;
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

    /// The pages that differ between two `content/` trees. Only a commit
    /// that both adds and deletes a page can hold a rename; gix looks for
    /// renames in those, the way git does.
    fn changes(
        &mut self,
        old: Option<ObjectId>,
        new: Option<ObjectId>,
    ) -> Result<Vec<FileChange>, gix::Error> {
        let mut diff = TreeDiff {
            repo: &self.repo,
            changes: Vec::new(),
        };
        diff.trees(old, new, &mut String::new())?;
        let changes = diff.changes;
        let added = changes
            .iter()
            .any(|c| matches!(c, FileChange::Added { .. }));
        let deleted = changes
            .iter()
            .any(|c| matches!(c, FileChange::Deleted { .. }));
        if added && deleted {
            self.diff_with_renames(old, new)
        } else {
            Ok(changes)
        }
    }

    fn diff_with_renames(
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;
    use std::process::Command;

    fn git(dir: &Path, args: &[&str]) -> String {
        let output = Command::new("git")
            .current_dir(dir)
            .args(args)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "Test")
            .env("GIT_AUTHOR_EMAIL", "test@example.org")
            .env("GIT_COMMITTER_NAME", "Test")
            .env("GIT_COMMITTER_EMAIL", "test@example.org")
            .output()
            .expect("git is installed");
        assert!(output.status.success(), "git {args:?}");
        String::from_utf8_lossy(&output.stdout).trim().to_owned()
    }

    fn sorted(changes: Vec<FileChange>) -> Vec<String> {
        let mut shown: Vec<String> = changes.iter().map(|c| format!("{c:?}")).collect();
        shown.sort();
        shown
    }

    /// The byte-comparing diff finds exactly what gix's tree diff finds,
    /// also where names sort around folders of the same name, folders come
    /// and go, and files turn into folders.
    #[test]
    fn the_fast_tree_diff_agrees_with_gix_on_every_commit() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        git(root, &["init", "-q", "-b", "main"]);
        let write = |path: &str, text: &str| {
            let file = root.join(path);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, text).unwrap();
        };
        let commit = |message: &str| {
            git(root, &["add", "-A"]);
            git(root, &["commit", "-q", "--allow-empty", "-m", message]);
        };
        for name in [
            "a.md",
            "a-b.md",
            "a/x.md",
            "a.md.bak",
            "b.md",
            "z",
            "deep/er/y.md",
        ] {
            write(name, &format!("eerste tekst van {name}\n"));
        }
        for n in 0..300 {
            write(&format!("veel/pagina-{n:03}.md"), &format!("pagina {n}\n"));
        }
        commit("begin");
        let steps: Vec<Box<dyn Fn()>> = vec![
            Box::new(|| write("a/x.md", "gewijzigd\n")),
            Box::new(|| write("veel/pagina-150.md", "midden gewijzigd\n")),
            Box::new(|| {
                write("veel/pagina-000.md", "eerste gewijzigd\n");
                write("veel/pagina-299.md", "laatste gewijzigd\n");
            }),
            Box::new(|| write("veel/pagina-150a.md", "ertussen gezet\n")),
            Box::new(|| std::fs::remove_file(root.join("veel/pagina-200.md")).unwrap()),
            Box::new(|| write("a/nieuw/diep.md", "nieuwe map\n")),
            Box::new(|| std::fs::remove_dir_all(root.join("deep")).unwrap()),
            Box::new(|| {
                std::fs::remove_file(root.join("z")).unwrap();
                write("z/binnen.md", "een bestand werd een map\n");
            }),
            Box::new(|| {
                std::fs::remove_dir_all(root.join("a")).unwrap();
                write("a", "een map werd een bestand\n");
            }),
            Box::new(|| {
                use std::os::unix::fs::PermissionsExt;
                let file = root.join("b.md");
                std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o755)).unwrap();
            }),
            Box::new(|| std::os::unix::fs::symlink("b.md", root.join("link.md")).unwrap()),
            Box::new(|| {}),
        ];
        for (n, step) in steps.iter().enumerate() {
            step();
            commit(&format!("stap {n}"));
        }
        let repo = gix::open(root).unwrap();
        let mut differ = Differ::new(repo.clone());
        let mut compared = 0;
        for info in repo.rev_walk([repo.head_id().unwrap()]).all().unwrap() {
            let commit = repo.find_commit(info.unwrap().id).unwrap();
            let tree = Some(commit.tree_id().unwrap().detach());
            let parent = commit
                .parent_ids()
                .next()
                .map(|p| repo.find_commit(p).unwrap().tree_id().unwrap().detach());
            let mut fast = TreeDiff {
                repo: &differ.repo,
                changes: Vec::new(),
            };
            fast.trees(parent, tree, &mut String::new()).unwrap();
            let fast = sorted(fast.changes);
            let reference = sorted(differ.diff_with_renames(parent, tree).unwrap());
            assert_eq!(fast, reference, "commit {:?}", commit.message_raw_sloppy());
            compared += 1;
        }
        assert_eq!(compared, steps.len() + 1);
    }
}
