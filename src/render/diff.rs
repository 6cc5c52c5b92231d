//! What a revision changed: a line diff of the page source with the changed
//! words inside changed lines picked out, in hunks with three lines of
//! context, as plain data for the `diff.html` template.

use serde::Serialize;
use similar::{ChangeTag, TextDiff};
use std::time::Duration;

#[derive(Debug, Serialize)]
pub struct FileDiff {
    pub added: usize,
    pub removed: usize,
    pub hunks: Vec<Hunk>,
}

#[derive(Debug, Serialize)]
pub struct Hunk {
    /// First line numbers of the hunk, counted from 1, before and after.
    pub old_start: usize,
    pub new_start: usize,
    pub lines: Vec<DiffLine>,
}

#[derive(Debug, Serialize)]
pub struct DiffLine {
    /// `ins`, `del` or `ctx`.
    pub kind: &'static str,
    pub old: Option<usize>,
    pub new: Option<usize>,
    pub parts: Vec<Part>,
}

/// A run of text within a line; `changed` marks the words that differ.
#[derive(Debug, Serialize)]
pub struct Part {
    pub text: String,
    pub changed: bool,
}

/// Huge rewrites fall back to a plain line diff rather than stall the build.
const DIFF_TIME_LIMIT: Duration = Duration::from_millis(200);

pub fn diff_texts(old: &str, new: &str) -> FileDiff {
    let diff = TextDiff::configure()
        .timeout(DIFF_TIME_LIMIT)
        .diff_lines(old, new);
    let (mut added, mut removed) = (0, 0);
    for change in diff.iter_all_changes() {
        match change.tag() {
            ChangeTag::Insert => added += 1,
            ChangeTag::Delete => removed += 1,
            ChangeTag::Equal => {}
        }
    }
    let hunks = diff
        .grouped_ops(3)
        .iter()
        .filter_map(|group| {
            let first = group.first()?;
            let mut lines = Vec::new();
            for op in group {
                let (old_lines, new_lines) = (diff.old_slices(), diff.new_slices());
                let (old_range, new_range) = (op.old_range(), op.new_range());
                match op.tag() {
                    similar::DiffTag::Equal => {
                        for (o, n) in old_range.zip(new_range) {
                            lines.push(plain_line("ctx", Some(o), Some(n), old_lines[o]));
                        }
                    }
                    _ => {
                        let pairs = pair_similar_lines(
                            &old_lines[old_range.clone()],
                            &new_lines[new_range.clone()],
                        );
                        for (k, o) in old_range.clone().enumerate() {
                            let partner = pairs
                                .iter()
                                .find(|(a, _)| *a == k)
                                .map(|(_, b)| new_lines[new_range.start + b]);
                            lines.push(match partner {
                                Some(new_line) => {
                                    marked_line("del", Some(o), None, old_lines[o], new_line, true)
                                }
                                None => plain_line("del", Some(o), None, old_lines[o]),
                            });
                        }
                        for (k, n) in new_range.clone().enumerate() {
                            let partner = pairs
                                .iter()
                                .find(|(_, b)| *b == k)
                                .map(|(a, _)| old_lines[old_range.start + a]);
                            lines.push(match partner {
                                Some(old_line) => {
                                    marked_line("ins", None, Some(n), old_line, new_lines[n], false)
                                }
                                None => plain_line("ins", None, Some(n), new_lines[n]),
                            });
                        }
                    }
                }
            }
            Some(Hunk {
                old_start: first.old_range().start + 1,
                new_start: first.new_range().start + 1,
                lines,
            })
        })
        .collect();
    FileDiff {
        added,
        removed,
        hunks,
    }
}

fn plain_line(kind: &'static str, old: Option<usize>, new: Option<usize>, text: &str) -> DiffLine {
    let text = text.trim_end_matches('\n');
    DiffLine {
        kind,
        old: old.map(|i| i + 1),
        new: new.map(|i| i + 1),
        parts: if text.is_empty() {
            Vec::new()
        } else {
            vec![Part {
                text: text.to_owned(),
                changed: false,
            }]
        },
    }
}

/// One side of a changed line, with the words that differ from its
/// counterpart on the other side marked.
fn marked_line(
    kind: &'static str,
    old: Option<usize>,
    new: Option<usize>,
    old_text: &str,
    new_text: &str,
    show_old: bool,
) -> DiffLine {
    let words = TextDiff::configure()
        .timeout(DIFF_TIME_LIMIT)
        .diff_unicode_words(
            old_text.trim_end_matches('\n'),
            new_text.trim_end_matches('\n'),
        );
    let mut parts: Vec<Part> = Vec::new();
    for change in words.iter_all_changes() {
        let (shown, changed) = match (change.tag(), show_old) {
            (ChangeTag::Equal, _) => (true, false),
            (ChangeTag::Delete, true) | (ChangeTag::Insert, false) => (true, true),
            _ => (false, false),
        };
        if !shown {
            continue;
        }
        let text = change.value();
        // Runs of the same kind become one part; blanks join the run they
        // sit in, so a changed phrase is marked as one.
        match parts.last_mut() {
            Some(last) if last.changed == changed || (changed && text.trim().is_empty()) => {
                last.text.push_str(text)
            }
            _ => parts.push(Part {
                text: text.to_owned(),
                changed,
            }),
        }
    }
    DiffLine {
        kind,
        old: old.map(|i| i + 1),
        new: new.map(|i| i + 1),
        parts,
    }
}

/// Pairs the removed and added lines of one change that are alike (at least
/// half their characters shared), in order, so their words can be compared.
fn pair_similar_lines(old: &[&str], new: &[&str]) -> Vec<(usize, usize)> {
    let alike = |a: &str, b: &str| {
        TextDiff::configure()
            .timeout(DIFF_TIME_LIMIT)
            .diff_chars(a, b)
            .ratio()
            >= 0.5
    };
    // Large rewrites: compare only lines at the same place, to stay linear.
    if old.len() * new.len() > 2_500 {
        return (0..old.len().min(new.len()))
            .filter(|&i| alike(old[i], new[i]))
            .map(|i| (i, i))
            .collect();
    }
    let mut pairs = Vec::new();
    let mut next_new = 0;
    for (i, old_line) in old.iter().enumerate() {
        let best = (next_new..new.len())
            .map(|j| {
                let ratio = TextDiff::configure()
                    .timeout(DIFF_TIME_LIMIT)
                    .diff_chars(*old_line, new[j])
                    .ratio();
                (j, ratio)
            })
            .filter(|(_, ratio)| *ratio >= 0.5)
            .max_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((j, _)) = best {
            pairs.push((i, j));
            next_new = j + 1;
        }
    }
    pairs
}

/// Lines added and removed, without building the hunks.
pub fn line_stats(old: &str, new: &str) -> (usize, usize) {
    let diff = TextDiff::configure()
        .timeout(DIFF_TIME_LIMIT)
        .diff_lines(old, new);
    diff.iter_all_changes()
        .fold((0, 0), |(added, removed), change| match change.tag() {
            ChangeTag::Insert => (added + 1, removed),
            ChangeTag::Delete => (added, removed + 1),
            ChangeTag::Equal => (added, removed),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_changed_words_and_counts_lines() {
        let diff = diff_texts(
            "titel\nHet water stroomt snel.\nslot\n",
            "titel\nHet water stroomt langzaam.\nslot\nnieuw\n",
        );
        assert_eq!((diff.added, diff.removed), (2, 1));
        let changed: Vec<&str> = diff.hunks[0]
            .lines
            .iter()
            .flat_map(|l| {
                l.parts
                    .iter()
                    .filter(|p| p.changed)
                    .map(|p| p.text.as_str())
            })
            .collect();
        assert_eq!(changed, ["snel", "langzaam"]);
        assert_eq!(line_stats("a\nb\n", "a\nc\nd\n"), (2, 1));
    }

    #[test]
    fn pairs_a_changed_line_among_added_ones() {
        let diff = diff_texts(
            "kop\nBestuurders van de veertien gemeenten.\n",
            "kop\nBestuurders van alle veertien gemeenten.\nEen heel nieuwe regel over iets anders.\n",
        );
        let marked = |kind: &str| -> Vec<String> {
            diff.hunks[0]
                .lines
                .iter()
                .filter(|l| l.kind == kind)
                .flat_map(|l| l.parts.iter().filter(|p| p.changed).map(|p| p.text.clone()))
                .collect()
        };
        assert_eq!(marked("del"), ["de"]);
        assert_eq!(
            marked("ins"),
            ["alle"],
            "the unrelated new line is not marked word by word"
        );
    }
}
