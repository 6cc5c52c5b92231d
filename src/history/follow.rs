//! Following every page through the commit graph, the way `git log
//! --follow` means it but along every parent: walking from HEAD towards
//! the first commit in topological order, each commit hands each parent a
//! map of which page each of the parent's paths belongs to. A rename, on
//! any branch, makes the old path part of the same page; a deletion starts
//! the past of a page that no longer exists; a creation ends a page's past.
//!
//! A commit is a revision of a page when the page differs from its version
//! in every parent (as git shows merges): a merge that only brings in a
//! change made on a branch is not listed again; one that combines two
//! branches' changes is, compared with its first parent.

use super::walk::CommitChanges;
use super::{CommitMeta, DeletedPage, FileChange, History, Revision};
use gix::ObjectId;
use std::collections::{BinaryHeap, HashMap, HashSet};
use std::rc::Rc;

/// Which page a path belongs to at some commit.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum PageKey {
    /// The page whose file is at this path in HEAD.
    Current(Rc<str>),
    /// A page whose file was deleted at this path, later.
    Deleted(Rc<str>),
    /// A file a merge left out because its first parent no longer had it
    /// (renamed or deleted on that line): its page is what that line makes
    /// of it, or, where nothing else claims it, a deleted page of its own.
    MergedAway(Rc<str>),
}

impl PageKey {
    /// Of two claims on a parent's path, one that lives on wins.
    fn lives_on(&self) -> bool {
        matches!(self, PageKey::Current(_))
    }

    /// The path the page is known by.
    fn path(&self) -> &str {
        match self {
            PageKey::Current(path) | PageKey::Deleted(path) | PageKey::MergedAway(path) => path,
        }
    }
}

/// The pages a path belongs to at some commit: usually one. Two, where
/// one branch renamed the file and another kept a file at the old path
/// (a stub pointing to the new place, say): the past before the branches
/// split is both pages' past, as `git log --follow` shows it for each.
type Claims = Rc<[PageKey]>;

/// Paths whose pages are not just the current page of the same path.
/// Shared between commits until one of them renames, adds or deletes a
/// page.
type Overrides = Rc<HashMap<Rc<str>, Claims>>;

fn lives_on(claims: &[PageKey]) -> bool {
    claims.iter().any(PageKey::lives_on)
}

/// Every page's revisions, found by following each path from the newest
/// commits to the oldest, through renames; and every deletion.
pub(super) struct Traced {
    pages: HashMap<PageKey, Vec<Revision>>,
    deletions: HashMap<Rc<str>, Vec<Revision>>,
    /// Deletions a merge made against some of its parents but not all:
    /// not a change git lists, but the end of a page that had no other.
    merge_deletions: HashMap<Rc<str>, Vec<Revision>>,
}

pub(super) fn trace(commits: &[CommitChanges]) -> Traced {
    let order = topological_order(commits);
    let mut pending: HashMap<ObjectId, Overrides> = HashMap::new();
    let mut pages: HashMap<PageKey, Vec<Revision>> = HashMap::new();
    // Every deletion of each path, newest first.
    let mut deletions: HashMap<Rc<str>, Vec<Revision>> = HashMap::new();
    let mut merge_deletions: HashMap<Rc<str>, Vec<Revision>> = HashMap::new();
    // Per path, the commits that put a file there, nearest to HEAD first,
    // and, where it was created there rather than renamed to it, whose
    // page it is: a rename away from the path in an ancestor leaves the
    // path's past to that page too, as `git log --follow` shows it for the
    // file at that path (a stub left behind).
    let mut created_at: HashMap<Rc<str>, Vec<(usize, Option<Claims>)>> = HashMap::new();
    let graph = std::cell::OnceCell::new();
    for (position, &index) in order.iter().enumerate() {
        let commit = &commits[index];
        let overrides = pending.remove(&commit.meta.id).unwrap_or_default();
        let page_of = |path: &str| -> Claims {
            overrides
                .get(path)
                .cloned()
                .unwrap_or_else(|| Rc::new([PageKey::Current(path.into())]))
        };
        let everywhere = changed_against_every_parent(commit);
        let is_deletion = |c: &&FileChange| matches!(c, FileChange::Deleted { .. });
        let mut gone_from_first: HashSet<&str> = HashSet::new();
        if let [first, _, ..] = commit.against.as_slice() {
            gone_from_first = first
                .iter()
                .filter(is_deletion)
                .map(FileChange::path)
                .collect();
            let mut seen: HashSet<&str> = everywhere
                .iter()
                .copied()
                .filter(is_deletion)
                .map(|c| c.path())
                .collect();
            for change in commit.against.iter().flatten().filter(is_deletion) {
                if seen.insert(change.path()) {
                    let (path, revision) = revision_of(index, position, commit, change);
                    merge_deletions
                        .entry(path.as_str().into())
                        .or_default()
                        .push(revision);
                }
            }
        }
        // For each path this commit renames away from (against any
        // parent), the page created next at it, unless a file renamed there
        // came first (the page coming back). Found once per commit: the
        // changes and every parent's hand-over ask for it.
        let mut created_later: HashMap<&str, Claims> = HashMap::new();
        for change in commit.against.iter().flatten() {
            if let FileChange::Renamed { from, .. } = change
                && !created_later.contains_key(from.as_str())
                && let Some(claims) = created_at.get(from.as_str()).and_then(|placed| {
                    let graph = graph.get_or_init(|| ParentIndexes::of(commits));
                    placed
                        .iter()
                        .rev()
                        .find(|(creator, _)| graph.descends_from(*creator, index))
                        .and_then(|(_, claims)| claims.clone())
                })
            {
                created_later.insert(from, claims);
            }
        }
        for change in everywhere {
            if let FileChange::Renamed {
                from,
                previous,
                path,
                ..
            } = change
                && let Some(later) = created_later.get(from.as_str())
            {
                // For the page at the old path, the rename is its end.
                let gone = FileChange::Deleted {
                    path: from.clone(),
                    previous: *previous,
                };
                let (_, mut revision) = revision_of(index, position, commit, &gone);
                revision.moved_to = Some(path.clone());
                credit(&mut pages, later, &revision);
            }
            let (path, revision) = revision_of(index, position, commit, change);
            if revision.deleted {
                deletions
                    .entry(path.as_str().into())
                    .or_default()
                    .push(revision);
            } else {
                credit(&mut pages, &page_of(&path), &revision);
            }
        }
        for (n, (parent, changes)) in commit.parents.iter().zip(&commit.against).enumerate() {
            // Against a later parent, a file the first parent no longer has
            // was not deleted by the merge: the first parent's line says
            // what became of it.
            let merged_away = |path: &str| n > 0 && !gone_from_first.contains(&path);
            let handed = hand_on(&overrides, changes, &page_of, &merged_away, &created_later);
            match pending.get_mut(parent) {
                None => {
                    pending.insert(*parent, handed);
                }
                Some(known) if Rc::ptr_eq(known, &handed) => {}
                Some(known) => merge_into(known, &handed),
            }
        }
        for change in commit.against.iter().flatten() {
            let (path, created) = match change {
                FileChange::Added { path, .. } => (path, true),
                FileChange::Renamed { path, .. } => (path, false),
                _ => continue,
            };
            let placed = created_at.entry(path.as_str().into()).or_default();
            if placed.last().is_none_or(|(at, _)| *at != index) {
                placed.push((index, created.then(|| page_of(path))));
            }
        }
    }
    Traced {
        pages,
        deletions,
        merge_deletions,
    }
}

/// Adds `revision` to the revisions of each page that claims it.
fn credit(pages: &mut HashMap<PageKey, Vec<Revision>>, claims: &[PageKey], revision: &Revision) {
    for page in claims {
        pages
            .entry(page.clone())
            .or_default()
            .push(revision.clone());
    }
}

/// `claims` with those of `more` it lacks, in order.
fn with_claims<'c>(
    claims: &[PageKey],
    more: impl IntoIterator<Item = &'c PageKey>,
) -> Vec<PageKey> {
    let mut all = claims.to_vec();
    for claim in more {
        if !all.contains(claim) {
            all.push(claim.clone());
        }
    }
    all
}

/// Joins what a second child says of a parent's paths to what an earlier
/// one said (a path absent from a map is the current page of that path).
/// Where one says a path's page was deleted later and the other that it
/// lives on, the page lives on: its past is that of the page that
/// survived, as when a branch deleted a page that the merge kept. Pages
/// that both survive share the path's past.
fn merge_into(known: &mut Overrides, handed: &Overrides) {
    let own = |path: &Rc<str>| -> Claims { Rc::new([PageKey::Current(path.clone())]) };
    let mut changes: Vec<(Rc<str>, Claims)> = Vec::new();
    for (path, claims) in handed.iter() {
        let before = known.get(path).cloned().unwrap_or_else(|| own(path));
        if let Some(joined) = joined_claims(path, &before, claims) {
            changes.push((path.clone(), joined));
        }
    }
    for (path, claims) in known.iter() {
        if !handed.contains_key(path)
            && let Some(joined) = joined_claims(path, claims, &own(path))
        {
            changes.push((path.clone(), joined));
        }
    }
    if changes.is_empty() {
        return;
    }
    let merged = Rc::make_mut(known);
    for (path, claims) in changes {
        if claims == own(&path) {
            merged.remove(&path);
        } else {
            merged.insert(path, claims);
        }
    }
}

/// What two children's claims on `path` make, or `None` where the earlier
/// child's stand: a deletion on one side yields to a page that lives on
/// the other; two living pages both keep the path. A deleted page that
/// came to the path through a rename is another page than the one that
/// lives on there, and keeps its claim on the path's past.
fn joined_claims(path: &str, known: &[PageKey], handed: &[PageKey]) -> Option<Claims> {
    let joined = joined_living(known, handed);
    let kept = joined.as_deref().unwrap_or(known);
    let renamed_here = |claim: &&PageKey| !claim.lives_on() && claim.path() != path;
    let with = with_claims(kept, known.iter().chain(handed).filter(renamed_here));
    match with.len() > kept.len() {
        true => Some(with.into()),
        false => joined,
    }
}

/// [`joined_claims`] for the claims of the path's own pages.
fn joined_living(known: &[PageKey], handed: &[PageKey]) -> Option<Claims> {
    if !lives_on(handed) {
        let only_merged_away =
            |claims: &[PageKey]| claims.iter().all(|c| matches!(c, PageKey::MergedAway(_)));
        return (only_merged_away(known) && !only_merged_away(handed)).then(|| handed.into());
    }
    if !lives_on(known) {
        return Some(handed.into());
    }
    let living: Vec<PageKey> = known.iter().filter(|c| c.lives_on()).cloned().collect();
    let joined = with_claims(&living, handed.iter().filter(|c| c.lives_on()));
    (joined.len() > living.len() || living.len() < known.len()).then(|| joined.into())
}

/// The commits children first, and among commits free to go, the newest
/// (by the walk's order) first, as `git log --topo-order` lists them.
fn topological_order(commits: &[CommitChanges]) -> Vec<usize> {
    let index: HashMap<ObjectId, usize> = commits
        .iter()
        .enumerate()
        .map(|(i, c)| (c.meta.id, i))
        .collect();
    let mut children = vec![0usize; commits.len()];
    for commit in commits {
        for parent in &commit.parents {
            if let Some(&p) = index.get(parent) {
                children[p] += 1;
            }
        }
    }
    let mut ready: BinaryHeap<std::cmp::Reverse<usize>> = (0..commits.len())
        .filter(|&i| children[i] == 0)
        .map(std::cmp::Reverse)
        .collect();
    let mut order = Vec::with_capacity(commits.len());
    while let Some(std::cmp::Reverse(i)) = ready.pop() {
        order.push(i);
        for parent in &commits[i].parents {
            if let Some(&p) = index.get(parent) {
                children[p] -= 1;
                if children[p] == 0 {
                    ready.push(std::cmp::Reverse(p));
                }
            }
        }
    }
    order
}

/// The changes of a commit that differ from every parent: for a commit
/// with one parent, all of them; for a merge, those not taken as they were
/// from one side. Changes keep what they are against the first parent in
/// which the page existed.
fn changed_against_every_parent(commit: &CommitChanges) -> Vec<&FileChange> {
    let Some((first, others)) = commit.against.split_first() else {
        return Vec::new();
    };
    if others.is_empty() {
        return first.iter().collect();
    }
    fn key(change: &FileChange) -> (bool, &str) {
        (matches!(change, FileChange::Deleted { .. }), change.path())
    }
    // A merge that renames a page without changing its text only brings in
    // a rename made on a branch.
    let text_changed = |change: &&FileChange| !matches!(change, FileChange::Renamed { previous, blob, .. } if previous == blob);
    let by_parent: Vec<HashMap<(bool, &str), &FileChange>> = commit
        .against
        .iter()
        .map(|changes| {
            changes
                .iter()
                .filter(text_changed)
                .map(|c| (key(c), c))
                .collect()
        })
        .collect();
    let mut everywhere = Vec::new();
    for change in first.iter().filter(text_changed) {
        let k = key(change);
        let found: Option<Vec<&FileChange>> =
            by_parent.iter().map(|p| p.get(&k).copied()).collect();
        if let Some(found) = found {
            // Against the first parent that had the page.
            let best = found
                .iter()
                .find(|o| !matches!(o, FileChange::Added { .. }))
                .unwrap_or(&found[0]);
            everywhere.push(*best);
        }
    }
    everywhere
}

/// The revision one change makes, and the path it is at (for a deletion,
/// the path that went).
fn revision_of(
    commit: usize,
    order: usize,
    changes: &CommitChanges,
    change: &FileChange,
) -> (String, Revision) {
    let revision = |path: &str, blob, previous, renamed_from: Option<&String>, deleted| Revision {
        commit,
        path: path.to_owned(),
        blob,
        previous,
        renamed_from: renamed_from.cloned(),
        moved_to: None,
        cut_off: changes.boundary && previous.is_none(),
        deleted,
        older: None,
        order,
    };
    let made = match change {
        FileChange::Added { path, blob } => revision(path, *blob, None, None, false),
        FileChange::Modified {
            path,
            previous,
            blob,
        } => revision(path, *blob, Some(*previous), None, false),
        FileChange::Renamed {
            from,
            previous,
            path,
            blob,
        } => revision(path, *blob, Some(*previous), Some(from), false),
        FileChange::Deleted { path, previous } => revision(
            path,
            ObjectId::empty_blob(previous.kind()),
            Some(*previous),
            None,
            true,
        ),
    };
    (change.path().to_owned(), made)
}

/// What a commit tells one parent: its paths' pages, after the changes
/// between the two.
fn hand_on(
    overrides: &Overrides,
    changes: &[FileChange],
    page_of: &dyn Fn(&str) -> Claims,
    merged_away: &dyn Fn(&str) -> bool,
    created_later: &HashMap<&str, Claims>,
) -> Overrides {
    let structural = changes
        .iter()
        .any(|c| !matches!(c, FileChange::Modified { .. }));
    if !structural {
        return Rc::clone(overrides);
    }
    let mut handed = (**overrides).clone();
    for change in changes {
        match change {
            FileChange::Modified { .. } => {}
            // Not in the parent: nothing of it to hand on.
            FileChange::Added { path, .. } => {
                handed.remove(path.as_str());
            }
            FileChange::Renamed { from, path, .. } => {
                let mut page = page_of(path);
                if let Some(later) = created_later.get(from.as_str()) {
                    page = with_claims(&page, later.iter()).into();
                }
                handed.remove(path.as_str());
                handed.insert(from.as_str().into(), page);
            }
            FileChange::Deleted { path, .. } => {
                let path: Rc<str> = path.as_str().into();
                let page = if merged_away(&path) {
                    PageKey::MergedAway(path.clone())
                } else {
                    PageKey::Deleted(path.clone())
                };
                handed.insert(path, Rc::new([page]));
            }
        }
    }
    Rc::new(handed)
}

/// Each page's revisions newest first, by the date readers see (the
/// author's), with each revision's older version found along its own
/// ancestry; commits reduced to those that made a revision.
pub(super) fn assemble(
    commits: Vec<CommitChanges>,
    Traced {
        pages,
        mut deletions,
        mut merge_deletions,
    }: Traced,
    repo: gix::ThreadSafeRepository,
    content_prefix: String,
    shallow: bool,
) -> History {
    // A page whose only end is a merge that left it out ends there,
    // unless another page lived at its path: its address is that one's.
    let unended: HashSet<&str> = pages
        .keys()
        .filter_map(|key| match key {
            PageKey::Deleted(path) | PageKey::MergedAway(path)
                if !deletions.contains_key(path) && merge_deletions.contains_key(path) =>
            {
                Some(path.as_ref())
            }
            _ => None,
        })
        .collect();
    // Which page lived at each of those paths: one, or several (`None`).
    let mut lived_at: HashMap<&str, Option<&PageKey>> = HashMap::new();
    for (key, list) in pages.iter().filter(|_| !unended.is_empty()) {
        for path in list.iter().map(|r| r.path.as_str()) {
            if unended.contains(path) {
                let owner = lived_at.entry(path).or_insert(Some(key));
                if *owner != Some(key) {
                    *owner = None;
                }
            }
        }
    }
    for path in unended {
        let own = match lived_at.get(path) {
            None => true,
            Some(Some(PageKey::Deleted(p) | PageKey::MergedAway(p))) => p.as_ref() == path,
            Some(_) => false,
        };
        if own && let Some(ends) = merge_deletions.remove(path) {
            deletions.insert(path.into(), ends.into_iter().take(1).collect());
        }
    }
    let graph = ParentIndexes::of(&commits);
    let mut used = vec![false; commits.len()];
    for revision in pages.values().flatten().chain(deletions.values().flatten()) {
        used[revision.commit] = true;
    }
    let mut renumber = vec![usize::MAX; commits.len()];
    let mut metas: Vec<CommitMeta> = Vec::new();
    for (i, commit) in commits.into_iter().enumerate() {
        if used[i] {
            renumber[i] = metas.len();
            metas.push(commit.meta);
        }
    }
    let sorted = |list: Vec<Revision>| -> Vec<Revision> {
        // One revision per commit, where two paths of a commit claimed a page.
        let mut seen = std::collections::HashSet::new();
        let mut revisions: Vec<Revision> = list
            .into_iter()
            .filter(|revision| seen.insert(revision.order))
            .map(|mut revision| {
                revision.commit = renumber[revision.commit];
                revision
            })
            .collect();
        order_newest_first(&mut revisions, &metas);
        revisions
    };
    let mut files: HashMap<String, Vec<Revision>> = HashMap::new();
    let mut deleted_pages: HashMap<Rc<str>, Vec<Revision>> = HashMap::new();
    for (key, list) in pages {
        match key {
            PageKey::Current(path) => files.entry(path.to_string()).or_default().extend(list),
            PageKey::Deleted(path) | PageKey::MergedAway(path) => {
                deleted_pages.entry(path).or_default().extend(list)
            }
        }
    }
    // A file deleted and later created again at the same path (a revert of
    // the deletion, say) keeps the history of its earlier life and its
    // deletion, as `git log -- <path>` shows them; and so, when it was
    // renamed since, as `git log --follow` shows them.
    let created = creations(&files);
    let mut deleted = Vec::new();
    // Also a path whose earlier life another page took over (through a
    // rename on a branch): its deletion is still a change of the path.
    let mut paths: Vec<Rc<str>> = deleted_pages.keys().cloned().collect();
    paths.extend(
        deletions
            .keys()
            .filter(|p| !deleted_pages.contains_key(*p))
            .cloned(),
    );
    // In a fixed order: where two claim one commit for a page, the first
    // claim stays.
    paths.sort();
    for path in paths {
        let mut list = deleted_pages.remove(&path).unwrap_or_default();
        let mut gone = deletions.remove(&path).unwrap_or_default();
        if files.contains_key(path.as_ref()) {
            // A file created here after the deletion and renamed away
            // since (a stub took the path) shares the life before its
            // creation with today's file at the path, as `git log
            // --follow` shows it for each.
            if let Some(heir) = created_after(&created, &path, &gone, &graph)
                && let Some(heirs) = files.get_mut(&heir.page)
            {
                let before = |r: &&Revision| r.order > heir.order;
                heirs.extend(list.iter().chain(&gone).filter(before).cloned());
            }
            if let Some(current) = files.get_mut(path.as_ref()) {
                current.extend(list);
                current.extend(gone);
            }
            continue;
        }
        // Renamed since it came back: only what came before its creation
        // is its past; a later life at the path stays a deleted page.
        if let Some(heir) = created_after(&created, &path, &gone, &graph)
            && let Some(current) = files.get_mut(&heir.page)
        {
            let before = |r: &Revision| r.order > heir.order;
            current.extend(list.extract_if(.., |r| before(r)));
            current.extend(gone.extract_if(.., |r| before(r)));
        }
        if gone.is_empty() {
            continue;
        }
        // The last deletion is the notice's; earlier ones are history.
        let mut deletion = gone.remove(0);
        deletion.commit = renumber[deletion.commit];
        list.extend(gone);
        let revisions = sorted(list);
        if !revisions.is_empty() {
            deleted.push(DeletedPage {
                path: path.to_string(),
                deletion,
                revisions,
            });
        }
    }
    deleted.sort_by(|a, b| a.path.cmp(&b.path));
    let files = files
        .into_iter()
        .map(|(path, list)| (path, sorted(list)))
        .collect();
    let short_len = shortest_unique_prefix(&metas);
    History {
        commits: metas,
        files,
        deleted,
        head: None,
        short_len,
        shallow,
        repo,
        content_prefix,
    }
}

/// A page of today created at a path other than its own.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Creation {
    /// The path it was created at.
    at: String,
    /// Its path today.
    page: String,
    /// The creating commit's place in the walk, and its index.
    order: usize,
    commit: usize,
}

/// Every page of today's creations at another path, in a fixed order, so
/// that of two equal candidates the same one wins.
fn creations(files: &HashMap<String, Vec<Revision>>) -> Vec<Creation> {
    let mut created: Vec<Creation> = files
        .iter()
        .flat_map(|(page, list)| {
            list.iter()
                .filter(|r| r.previous.is_none() && !r.deleted && r.path != *page)
                .map(|r| Creation {
                    at: r.path.clone(),
                    page: page.clone(),
                    order: r.order,
                    commit: r.commit,
                })
        })
        .collect();
    created.sort();
    created
}

/// The page of today whose file was created at `path` after a deletion in
/// `gone`, in that deletion's line of descent: the file that took the
/// deleted one's place, as `git log --follow` sees it. Another line's file
/// at the same path is another page. Of several, the one created first.
fn created_after<'c>(
    created: &'c [Creation],
    path: &str,
    gone: &[Revision],
    graph: &ParentIndexes,
) -> Option<&'c Creation> {
    created
        .iter()
        .filter(|creation| {
            creation.at == path
                && gone.iter().any(|deletion| {
                    creation.order < deletion.order
                        && graph.descends_from(creation.commit, deletion.commit)
                })
        })
        .max_by_key(|creation| creation.order)
}

/// Each commit's parents and place in the walk, by index into the walk's
/// commits.
struct ParentIndexes {
    parents: Vec<Vec<usize>>,
    /// In the walk's topological order: an ancestor comes after.
    place: Vec<usize>,
}

impl ParentIndexes {
    fn of(commits: &[CommitChanges]) -> ParentIndexes {
        let index: HashMap<ObjectId, usize> = commits
            .iter()
            .enumerate()
            .map(|(i, c)| (c.meta.id, i))
            .collect();
        let mut place = vec![usize::MAX; commits.len()];
        for (at, i) in topological_order(commits).into_iter().enumerate() {
            place[i] = at;
        }
        let parents = commits
            .iter()
            .map(|c| {
                c.parents
                    .iter()
                    .filter_map(|p| index.get(p).copied())
                    .collect()
            })
            .collect();
        ParentIndexes { parents, place }
    }

    /// Whether `ancestor` is reachable from `commit` through its parents.
    /// Commits after it in the walk cannot lead to it.
    fn descends_from(&self, commit: usize, ancestor: usize) -> bool {
        let limit = self.place[ancestor];
        let mut seen = vec![false; self.parents.len()];
        let mut next = self.parents[commit].clone();
        while let Some(at) = next.pop() {
            if at == ancestor {
                return true;
            }
            if self.place[at] < limit && !std::mem::replace(&mut seen[at], true) {
                next.extend(&self.parents[at]);
            }
        }
        false
    }
}

/// Puts revisions in the order of the dates shown, newest first, each
/// linked to the one its diff is against.
pub(crate) fn order_newest_first(revisions: &mut [Revision], commits: &[CommitMeta]) {
    revisions.sort_by(|a, b| {
        commits[b.commit]
            .seconds
            .cmp(&commits[a.commit].seconds)
            .then(a.order.cmp(&b.order))
    });
    link_older_versions(revisions);
}

/// Gives each revision the one its diff is against: the nearest revision
/// further from HEAD in the commit graph that left the text it started
/// from. The list is in the order of the dates shown, which on branches
/// (or after a rebase) is not the order of the graph.
pub(crate) fn link_older_versions(revisions: &mut [Revision]) {
    let mut by_blob: HashMap<ObjectId, Vec<(usize, usize)>> = HashMap::new();
    for (k, revision) in revisions.iter().enumerate() {
        by_blob
            .entry(revision.blob)
            .or_default()
            .push((revision.order, k));
    }
    for list in by_blob.values_mut() {
        list.sort_unstable();
    }
    let mut by_order: Vec<(usize, usize)> = revisions
        .iter()
        .enumerate()
        .map(|(k, r)| (r.order, k))
        .collect();
    by_order.sort_unstable();
    for revision in revisions.iter_mut() {
        let Some(previous) = revision.previous else {
            continue;
        };
        let order = revision.order;
        let after = |list: &[(usize, usize)]| {
            let at = list.partition_point(|(o, _)| *o <= order);
            list.get(at).map(|(_, j)| *j)
        };
        revision.older = by_blob
            .get(&previous)
            .and_then(|list| after(list))
            .or_else(|| after(&by_order));
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
