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
            let lines = group
                .iter()
                .flat_map(|op| diff.iter_inline_changes(op))
                .map(|change| {
                    // Words are marked only against the rest of their line.
                    let values = change.values();
                    let partly_changed = values.iter().any(|(emph, _)| *emph)
                        && values
                            .iter()
                            .any(|(emph, text)| !emph && !text.trim().is_empty());
                    let parts = change
                        .iter_strings_lossy()
                        .map(|(emphasised, text)| Part {
                            text: text.trim_end_matches('\n').to_owned(),
                            changed: emphasised && partly_changed,
                        })
                        .filter(|p| !p.text.is_empty())
                        .collect();
                    DiffLine {
                        kind: match change.tag() {
                            ChangeTag::Insert => "ins",
                            ChangeTag::Delete => "del",
                            ChangeTag::Equal => "ctx",
                        },
                        old: change.old_index().map(|i| i + 1),
                        new: change.new_index().map(|i| i + 1),
                        parts,
                    }
                })
                .collect();
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
}
