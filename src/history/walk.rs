//! The one pass over git history: every commit is read once and its
//! `content/` tree compared with each parent's, with renames found as git
//! finds them (`renames`). Commits are diffed in parallel; each thread has
//! its own view of the repository.

use super::tree_diff::{KeptTrees, TreeDiff};
use super::{CommitMeta, FileChange, unreadable};
use crate::diagnostics::Diagnostic;
use gix::ObjectId;
use gix::bstr::ByteSlice;
use rayon::prelude::*;

/// One commit and what it did to the pages, against each of its parents.
pub struct CommitChanges {
    pub meta: CommitMeta,
    /// The parents that are in the repository (a shallow clone lacks those
    /// beyond its boundary).
    pub parents: Vec<ObjectId>,
    /// Per parent, in order, the pages that differ from it; for a commit
    /// without parents, one list: everything it holds.
    pub against: Vec<Vec<FileChange>>,
    /// A parent is missing: the commit lies on a shallow clone's boundary,
    /// so what it seems to create may be older.
    pub boundary: bool,
}

/// Every commit reachable from HEAD but not from `known`, newest first,
/// with what each changed below `content_dir` (path components from the
/// repository root). Commits that change no page are kept too: the
/// history follows pages through them, along every parent.
pub fn read_commits(
    repo: &gix::ThreadSafeRepository,
    head: ObjectId,
    known: Option<ObjectId>,
    content_dir: &[String],
) -> Result<Vec<CommitChanges>, Diagnostic> {
    let local = repo.to_thread_local();
    let walk = local
        .rev_walk([head])
        .with_hidden(known)
        .sorting(gix::revision::walk::Sorting::ByCommitTime(
            Default::default(),
        ))
        .all()
        .map_err(unreadable)?;
    let mut ids = Vec::new();
    for info in walk {
        ids.push(info.map_err(unreadable)?.id);
    }
    let workers = rayon::current_num_threads().max(1);
    let unclaimed = Unclaimed::new(ids.len(), workers);
    let runs = (0..workers)
        .into_par_iter()
        .map(|worker| {
            let mut differ = Differ::new(repo.to_thread_local());
            let mut done = Vec::new();
            while let Some(at) = unclaimed.claim(worker) {
                match differ.commit_changes(ids[at], content_dir) {
                    Ok(changes) => done.push((at, changes)),
                    Err(problem) => return Err((at, problem)),
                }
            }
            Ok(done)
        })
        .collect::<Vec<_>>();
    let mut all: Vec<(usize, CommitChanges)> = Vec::with_capacity(ids.len());
    let mut first_problem: Option<(usize, Diagnostic)> = None;
    for run in runs {
        match run {
            Ok(done) => all.extend(done),
            Err((at, problem)) => {
                if first_problem.as_ref().is_none_or(|(first, _)| at < *first) {
                    first_problem = Some((at, problem));
                }
            }
        }
    }
    if let Some((_, problem)) = first_problem {
        return Err(problem);
    }
    all.sort_unstable_by_key(|(at, _)| *at);
    Ok(all.into_iter().map(|(_, changes)| changes).collect())
}

/// The commits not yet compared, as one range per worker. The walk starts
/// beside the reading of the pages: the first worker takes every commit,
/// and a worker with none left takes the older half of the largest range
/// another has left. Ranges are walked newest first, the order of git's
/// deltas: walked the other way, each tree was rebuilt from far more
/// deltas. Each taken half starts with no trees and deltas at hand, so
/// only large ranges are split: equal runs per thread, or many short ones,
/// were slower.
struct Unclaimed {
    ranges: std::sync::Mutex<Vec<std::ops::Range<usize>>>,
}

/// A range is split only when both halves have at least this many commits.
const SMALLEST_HALF: usize = 256;

impl Unclaimed {
    fn new(commits: usize, workers: usize) -> Unclaimed {
        let mut ranges = vec![0..0; workers];
        ranges[0] = 0..commits;
        Unclaimed {
            ranges: std::sync::Mutex::new(ranges),
        }
    }

    fn claim(&self, worker: usize) -> Option<usize> {
        let mut ranges = self.ranges.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(at) = ranges[worker].next() {
            return Some(at);
        }
        let largest = ranges.iter_mut().max_by_key(|range| range.len())?;
        if largest.len() < 2 * SMALLEST_HALF {
            return None;
        }
        let middle = largest.start + largest.len() / 2;
        let older = middle..largest.end;
        largest.end = middle;
        ranges[worker] = older;
        ranges[worker].next()
    }
}

struct Differ {
    repo: gix::Repository,
    kept: KeptTrees,
    /// The `content/` trees of the last commit's parents, by commit: one
    /// of them is usually the next commit compared.
    parent_trees: Vec<(ObjectId, Option<ObjectId>)>,
}

impl Differ {
    fn new(mut repo: gix::Repository) -> Self {
        repo.object_cache_size_if_unset(16 * 1024 * 1024);
        Differ {
            kept: KeptTrees::new(&repo),
            repo,
            parent_trees: Vec::new(),
        }
    }

    fn commit_changes(
        &mut self,
        id: ObjectId,
        content_dir: &[String],
    ) -> Result<CommitChanges, Diagnostic> {
        let error = |e: gix::Error| unreadable(format!("commit {}: {e}", id.to_hex_with_len(7)));
        self.kept.next_commit();
        let (meta, root, parents) = {
            let commit = self.repo.find_commit(id).map_err(error)?;
            let decoded = commit.decode().map_err(error)?;
            let author = decoded.author().map_err(error)?;
            let time = author.time().unwrap_or_default();
            let meta = CommitMeta {
                id,
                author: super::without_addresses(author.name.to_str_lossy().trim()),
                seconds: time.seconds,
                offset: time.offset,
                message: super::without_addresses(decoded.message.to_str_lossy().trim()),
            };
            let parents: Vec<ObjectId> = decoded.parents().collect();
            (meta, decoded.tree(), parents)
        };
        let known = std::mem::take(&mut self.parent_trees);
        let known_tree = |commit: ObjectId| {
            known
                .iter()
                .find(|(known, _)| *known == commit)
                .map(|&(_, tree)| tree)
        };
        let tree = match known_tree(id) {
            Some(tree) => tree,
            None => self.subtree(root, content_dir).map_err(error)?,
        };
        let mut parent_trees = Vec::with_capacity(parents.len());
        let mut present = Vec::with_capacity(parents.len());
        let mut against = Vec::with_capacity(parents.len().max(1));
        for parent in &parents {
            let parent_tree = match known_tree(*parent) {
                Some(tree) => tree,
                // Beyond a shallow clone's boundary the parent is absent.
                None => match self.repo.find_commit(*parent) {
                    Ok(commit) => {
                        let root = commit.tree_id().map_err(error)?.detach();
                        self.subtree(root, content_dir).map_err(error)?
                    }
                    Err(_) => continue,
                },
            };
            parent_trees.push((*parent, parent_tree));
            against.push(self.changes(parent_tree, tree).map_err(error)?);
            present.push(*parent);
        }
        self.parent_trees = parent_trees;
        let boundary = present.len() < parents.len();
        if present.is_empty() {
            against.push(self.changes(None, tree).map_err(error)?);
        }
        Ok(CommitChanges {
            meta,
            parents: present,
            against,
            boundary,
        })
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

    /// The pages that differ between two `content/` trees, with renames
    /// paired as git pairs them.
    fn changes(
        &mut self,
        old: Option<ObjectId>,
        new: Option<ObjectId>,
    ) -> Result<Vec<FileChange>, gix::Error> {
        let mut diff = TreeDiff {
            kept: &mut self.kept,
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
        if !(added && deleted) {
            return Ok(changes);
        }
        let repo = &self.repo;
        let mut read = |blob: ObjectId| repo.find_object(blob).ok().map(|o| o.data.clone());
        Ok(super::renames::find_renames(changes, &mut read))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;
    use std::process::Command;

    fn git(dir: &Path, args: &[&str]) -> String {
        let _turn = crate::test_turns::starting_processes();
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

    /// gix's own tree diff, without renames, as the reference.
    fn gix_diff(
        repo: &gix::Repository,
        old: Option<ObjectId>,
        new: Option<ObjectId>,
    ) -> Vec<FileChange> {
        use gix::bstr::BStr;
        let tree = |id: Option<ObjectId>| match id {
            Some(id) => repo.find_tree(id).unwrap(),
            None => repo.empty_tree(),
        };
        let (old, new) = (tree(old), tree(new));
        let mut resources = repo.diff_resource_cache_for_tree_diff().unwrap();
        let options = gix::diff::tree_with_rewrites::Options {
            location: Some(gix::diff::tree::recorder::Location::Path),
            rewrites: None,
        };
        let mut changes = Vec::new();
        let kind = old.id.kind();
        gix::diff::tree_with_rewrites(
            gix::objs::TreeRefIter::from_bytes(&old.data, kind),
            gix::objs::TreeRefIter::from_bytes(&new.data, kind),
            &mut resources,
            &mut Default::default(),
            &repo.objects,
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
                        id,
                        ..
                    } if entry_mode.is_blob() => {
                        page(location).map(|path| FileChange::Deleted { path, previous: id })
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
                    _ => None,
                };
                changes.extend(change);
                Ok(std::ops::ControlFlow::Continue(()))
            },
            options,
        )
        .unwrap();
        changes
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
            // Newest first, as the walk goes: each commit's parent trees
            // are kept for the next.
            differ.kept.next_commit();
            let mut fast = TreeDiff {
                kept: &mut differ.kept,
                changes: Vec::new(),
            };
            fast.trees(parent, tree, &mut String::new()).unwrap();
            let fast = sorted(fast.changes);
            let reference = sorted(gix_diff(&differ.repo, parent, tree));
            assert_eq!(fast, reference, "commit {:?}", commit.message_raw_sloppy());
            compared += 1;
        }
        assert_eq!(compared, steps.len() + 1);
    }

    /// Workers that join late or run at different speeds still compare
    /// every commit once, each walking its ranges newest first.
    #[test]
    fn every_commit_is_claimed_once_however_the_workers_take_turns() {
        let commits = 3000;
        let unclaimed = Unclaimed::new(commits, 3);
        let mut claimed = vec![Vec::new(); 3];
        // The first worker runs alone for a while; then the others join and
        // take turns at uneven speeds.
        for _ in 0..700 {
            claimed[0].extend(unclaimed.claim(0));
        }
        let mut turn = 0usize;
        while claimed.iter().map(Vec::len).sum::<usize>() < commits {
            let worker = [0, 1, 1, 2, 1, 2, 2][turn % 7];
            claimed[worker].extend(unclaimed.claim(worker));
            turn += 1;
            assert!(turn < 10 * commits, "the workers stopped claiming");
        }
        let mut all: Vec<usize> = claimed.concat();
        all.sort_unstable();
        assert_eq!(all, (0..commits).collect::<Vec<_>>());
        for worker in &claimed {
            assert!(!worker.is_empty(), "every worker took a share");
            let runs = worker.windows(2).filter(|w| w[1] != w[0] + 1).count();
            assert!(
                runs < 8,
                "a worker walks few long runs, not scattered commits"
            );
        }
        assert!((0..3).all(|worker| unclaimed.claim(worker).is_none()));
    }
}
