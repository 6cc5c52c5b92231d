//! Renames found as git finds them (`git log -M`, diffcore-rename): exact
//! renames first, then files that kept their name in another folder, then
//! the best pairs by git's own similarity estimate (diffcore-delta): the
//! share of the larger file made of byte spans that also occur in the
//! other, at least 50 %. Only a commit that both adds and deletes pages
//! can hold a rename.

use super::FileChange;
use gix::ObjectId;
use std::collections::HashMap;

/// git's scale for similarity scores, and its default threshold (`-M50%`).
const MAX_SCORE: u64 = 60_000;
const MINIMUM_SCORE: u64 = MAX_SCORE / 2;
/// A pair of files with the same name in different folders needs this
/// much (git: halfway between the threshold and identical).
const BASENAME_SCORE: u64 = MINIMUM_SCORE + (MAX_SCORE - MINIMUM_SCORE) / 2;
/// Like git's `diff.renameLimit`: beyond this many sources times
/// destinations, only exact renames are looked for.
const RENAME_LIMIT: usize = 1000;

/// Turns deletions and additions in `changes` into renames where git would.
pub fn find_renames(
    changes: Vec<FileChange>,
    read: &mut dyn FnMut(ObjectId) -> Option<Vec<u8>>,
) -> Vec<FileChange> {
    let (mut sources, mut targets, mut kept) = (Vec::new(), Vec::new(), Vec::new());
    for change in changes {
        match change {
            FileChange::Deleted { path, previous } => sources.push(Some((path, previous))),
            FileChange::Added { path, blob } => targets.push(Some((path, blob))),
            other => kept.push(other),
        }
    }
    if sources.is_empty() || targets.is_empty() {
        return restore(kept, sources, targets);
    }
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    exact_pairs(&sources, &targets, &mut pairs);
    take(&mut sources, &mut targets, &mut pairs, &mut kept);
    let remaining = |list: &[Option<(String, ObjectId)>]| list.iter().flatten().count();
    if remaining(&sources) * remaining(&targets) <= RENAME_LIMIT * RENAME_LIMIT {
        let mut spans = SpanCache::default();
        basename_pairs(&sources, &targets, &mut spans, read, &mut pairs);
        take(&mut sources, &mut targets, &mut pairs, &mut kept);
        best_pairs(&sources, &targets, &mut spans, read, &mut pairs);
        take(&mut sources, &mut targets, &mut pairs, &mut kept);
    }
    restore(kept, sources, targets)
}

type Side = Vec<Option<(String, ObjectId)>>;

fn restore(mut kept: Vec<FileChange>, sources: Side, targets: Side) -> Vec<FileChange> {
    kept.extend(
        sources
            .into_iter()
            .flatten()
            .map(|(path, previous)| FileChange::Deleted { path, previous }),
    );
    kept.extend(
        targets
            .into_iter()
            .flatten()
            .map(|(path, blob)| FileChange::Added { path, blob }),
    );
    kept
}

/// Moves the chosen pairs out of `sources` and `targets` into renames.
fn take(
    sources: &mut Side,
    targets: &mut Side,
    pairs: &mut Vec<(usize, usize)>,
    kept: &mut Vec<FileChange>,
) {
    for (s, t) in pairs.drain(..) {
        if let (Some((from, previous)), Some((path, blob))) = (sources[s].take(), targets[t].take())
        {
            kept.push(FileChange::Renamed {
                from,
                previous,
                path,
                blob,
            });
        }
    }
}

/// The same content under another name: git pairs these first, preferring
/// a source with the same file name.
fn exact_pairs(sources: &Side, targets: &Side, pairs: &mut Vec<(usize, usize)>) {
    let mut by_blob: HashMap<ObjectId, Vec<usize>> = HashMap::new();
    for (s, source) in sources.iter().enumerate() {
        if let Some((_, blob)) = source {
            by_blob.entry(*blob).or_default().push(s);
        }
    }
    for (t, target) in targets.iter().enumerate() {
        let Some((path, blob)) = target else { continue };
        let Some(candidates) = by_blob.get_mut(blob) else {
            continue;
        };
        let same_name = candidates.iter().position(|&s| {
            sources[s]
                .as_ref()
                .is_some_and(|(p, _)| basename(p) == basename(path))
        });
        if let Some(at) = same_name.or((!candidates.is_empty()).then_some(0)) {
            pairs.push((candidates.remove(at), t));
        }
    }
}

fn basename(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Files whose name occurs once among the sources and once among the
/// targets are paired if they are similar enough.
fn basename_pairs(
    sources: &Side,
    targets: &Side,
    spans: &mut SpanCache,
    read: &mut dyn FnMut(ObjectId) -> Option<Vec<u8>>,
    pairs: &mut Vec<(usize, usize)>,
) {
    fn unique(side: &Side) -> HashMap<&str, Option<usize>> {
        let mut seen: HashMap<&str, Option<usize>> = HashMap::new();
        for (i, entry) in side.iter().enumerate() {
            if let Some((path, _)) = entry {
                seen.entry(basename(path))
                    .and_modify(|at| *at = None)
                    .or_insert(Some(i));
            }
        }
        seen
    }
    let from = unique(sources);
    for (name, t) in unique(targets) {
        let (Some(t), Some(Some(s))) = (t, from.get(name)) else {
            continue;
        };
        let (Some((_, source)), Some((_, target))) = (&sources[*s], &targets[t]) else {
            continue;
        };
        if spans.score(*source, *target, read) >= BASENAME_SCORE {
            pairs.push((*s, t));
        }
    }
}

/// Every remaining source against every remaining target; the best scores
/// are paired first, each file once.
fn best_pairs(
    sources: &Side,
    targets: &Side,
    spans: &mut SpanCache,
    read: &mut dyn FnMut(ObjectId) -> Option<Vec<u8>>,
    pairs: &mut Vec<(usize, usize)>,
) {
    let mut scored: Vec<(u64, usize, usize)> = Vec::new();
    for (t, target) in targets.iter().enumerate() {
        let Some((target_path, target)) = target else {
            continue;
        };
        for (s, source) in sources.iter().enumerate() {
            let Some((source_path, source)) = source else {
                continue;
            };
            let score = spans.score(*source, *target, read);
            if score >= MINIMUM_SCORE {
                // git breaks ties by name: the same file name first.
                let same_name = basename(source_path) == basename(target_path);
                scored.push((score * 2 + u64::from(same_name), s, t));
            }
        }
    }
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.2.cmp(&b.2)).then(a.1.cmp(&b.1)));
    let (mut used_source, mut used_target) =
        (vec![false; sources.len()], vec![false; targets.len()]);
    for (_, s, t) in scored {
        if !used_source[s] && !used_target[t] {
            used_source[s] = true;
            used_target[t] = true;
            pairs.push((s, t));
        }
    }
}

/// Each blob's spans, computed once per commit.
#[derive(Default)]
struct SpanCache {
    spans: HashMap<ObjectId, Option<Spans>>,
}

impl SpanCache {
    fn spans(
        &mut self,
        blob: ObjectId,
        read: &mut dyn FnMut(ObjectId) -> Option<Vec<u8>>,
    ) -> Option<&Spans> {
        self.spans
            .entry(blob)
            .or_insert_with(|| read(blob).map(|bytes| Spans::of(&bytes)))
            .as_ref()
    }

    fn score(
        &mut self,
        source: ObjectId,
        target: ObjectId,
        read: &mut dyn FnMut(ObjectId) -> Option<Vec<u8>>,
    ) -> u64 {
        // Both read first, then both borrowed: no copy per pair.
        if self.spans(source, read).is_none() || self.spans(target, read).is_none() {
            return 0;
        }
        match (self.spans.get(&source), self.spans.get(&target)) {
            (Some(Some(source)), Some(Some(target))) => similarity(source, target),
            _ => 0,
        }
    }
}

/// A file as diffcore-delta sees it: its size and, per hash of a span (up
/// to 64 bytes, ending at a newline), how many bytes such spans hold.
struct Spans {
    size: u64,
    counts: HashMap<u32, u64>,
}

impl Spans {
    fn of(bytes: &[u8]) -> Spans {
        const HASH_BASE: u32 = 107_927;
        let text = !bytes[..bytes.len().min(8000)].contains(&0);
        let mut counts: HashMap<u32, u64> = HashMap::new();
        let (mut accum1, mut accum2, mut n) = (0u32, 0u32, 0u64);
        let mut add = |accum1: u32, accum2: u32, n: u64| {
            let hash = accum1.wrapping_add(accum2.wrapping_mul(0x61)) % HASH_BASE;
            *counts.entry(hash).or_default() += n;
        };
        for (i, &c) in bytes.iter().enumerate() {
            // A CR before LF does not count in text.
            if text && c == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                continue;
            }
            let old1 = accum1;
            accum1 = (accum1 << 7) ^ (accum2 >> 25);
            accum2 = (accum2 << 7) ^ (old1 >> 25);
            accum1 = accum1.wrapping_add(u32::from(c));
            n += 1;
            if n < 64 && c != b'\n' {
                continue;
            }
            add(accum1, accum2, n);
            (accum1, accum2, n) = (0, 0, 0);
        }
        if n > 0 {
            add(accum1, accum2, n);
        }
        Spans {
            size: bytes.len() as u64,
            counts,
        }
    }
}

/// git's `estimate_similarity`: the bytes of the source found again in the
/// target, against the larger of the two, on a scale of [`MAX_SCORE`].
fn similarity(source: &Spans, target: &Spans) -> u64 {
    let max_size = source.size.max(target.size);
    let base_size = source.size.min(target.size);
    if max_size == 0 || (max_size - base_size) * MAX_SCORE > max_size * (MAX_SCORE - MINIMUM_SCORE)
    {
        return 0;
    }
    let copied: u64 = source
        .counts
        .iter()
        .map(|(hash, &count)| count.min(target.counts.get(hash).copied().unwrap_or(0)))
        .sum();
    copied * MAX_SCORE / max_size
}

#[cfg(test)]
mod tests {
    use super::*;

    fn percent(a: &str, b: &str) -> u64 {
        similarity(&Spans::of(a.as_bytes()), &Spans::of(b.as_bytes())) * 100 / MAX_SCORE
    }

    #[test]
    fn similarity_is_the_share_of_spans_kept() {
        let lines: Vec<String> = (0..10)
            .map(|n| format!("regel {n} van de tekst\n"))
            .collect();
        let all = lines.concat();
        assert_eq!(percent(&all, &all), 100);
        let half = format!(
            "{}{}",
            lines[..5].concat(),
            (5..10)
                .map(|n| format!("nieuw {n} van de tekst.\n"))
                .collect::<String>()
        );
        let score = percent(&all, &half);
        assert!((45..=55).contains(&score), "{score}");
        assert_eq!(percent(&all, "iets heel anders\n"), 0);
    }
}
