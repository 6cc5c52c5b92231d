//! What a revision changed: a line diff of the page source with the changed
//! words inside changed lines picked out, in hunks with three lines of
//! context, written as one compact HTML table for the `diff.html`
//! template. A history holds a diff per revision, tens of thousands on a
//! large wiki: the table is made here rather than by the template engine,
//! and carries no markup that CSS can give instead.

use crate::text::push_xml_escaped;
use serde::Serialize;
use similar::{ChangeTag, TextDiff};
use std::fmt::Write;
use std::time::Duration;

#[derive(Debug, Serialize)]
pub struct FileDiff {
    pub added: usize,
    pub removed: usize,
    pub hunks: Vec<Hunk>,
    /// Unchanged lines after the last hunk, not shown.
    pub skipped_after: usize,
}

#[derive(Debug, Serialize)]
pub struct Hunk {
    /// First line numbers of the hunk, counted from 1, before and after.
    pub old_start: usize,
    pub new_start: usize,
    /// Unchanged lines between the previous hunk (or the start) and this one, not shown.
    pub skipped_before: usize,
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

/// Up to this many lines (or, for words and characters, bytes) a diff is
/// found in full, whatever the time: a time limit depends on how busy
/// the machine is, and the same commit must always give the same page.
/// The worst case at these sizes takes a fraction of the limit above.
const EXACT_LINES: usize = 5_000;
const EXACT_BYTES: usize = 4_000;

/// How to diff `old` and `new`, counted in lines or in bytes.
fn config(old: &str, new: &str, lines: bool) -> similar::TextDiffConfig {
    let mut config = TextDiff::configure();
    let exact = match lines {
        true => line_count(old) + line_count(new) <= EXACT_LINES,
        false => old.len() + new.len() <= EXACT_BYTES,
    };
    if !exact {
        config.timeout(DIFF_TIME_LIMIT);
    }
    config
}

fn line_count(text: &str) -> usize {
    text.bytes().filter(|&b| b == b'\n').count() + 1
}

/// Lines added and removed by a line diff.
fn count_lines<'a>(diff: &TextDiff<'a, 'a, 'a, str>) -> (usize, usize) {
    diff.iter_all_changes()
        .fold((0, 0), |(added, removed), change| match change.tag() {
            ChangeTag::Insert => (added + 1, removed),
            ChangeTag::Delete => (added, removed + 1),
            ChangeTag::Equal => (added, removed),
        })
}

pub fn diff_texts(old: &str, new: &str) -> FileDiff {
    if old.is_empty() {
        return all_added(new);
    }
    let diff = config(old, new, true).diff_lines(old, new);
    let (added, removed) = count_lines(&diff);
    let (old_lines, new_lines) = (diff.old_slices(), diff.new_slices());
    let mut shown_until = 0;
    let hunks: Vec<Hunk> = diff
        .grouped_ops(3)
        .iter()
        .filter_map(|group| {
            let first = group.first()?;
            let skipped_before = first.old_range().start.saturating_sub(shown_until);
            shown_until = group.last().map_or(shown_until, |op| op.old_range().end);
            let mut lines = Vec::new();
            for op in group {
                let (old_range, new_range) = (op.old_range(), op.new_range());
                if op.tag() == similar::DiffTag::Equal {
                    for (o, n) in old_range.zip(new_range) {
                        lines.push(changed_line("ctx", Some(o), Some(n), old_lines[o], None));
                    }
                    continue;
                }
                let old_side = &old_lines[old_range.clone()];
                let new_side = &new_lines[new_range.clone()];
                let pairs = pair_similar_lines(old_side, new_side);
                for (k, o) in old_range.enumerate() {
                    let partner = pairs
                        .iter()
                        .find(|(a, _)| *a == k)
                        .map(|(_, b)| new_side[*b]);
                    lines.push(changed_line("del", Some(o), None, old_lines[o], partner));
                }
                for (k, n) in new_range.enumerate() {
                    let partner = pairs
                        .iter()
                        .find(|(_, b)| *b == k)
                        .map(|(a, _)| old_side[*a]);
                    lines.push(changed_line("ins", None, Some(n), new_lines[n], partner));
                }
            }
            Some(Hunk {
                old_start: first.old_range().start + 1,
                new_start: first.new_range().start + 1,
                skipped_before,
                lines,
            })
        })
        .collect();
    let skipped_after = if hunks.is_empty() {
        0
    } else {
        old_lines.len().saturating_sub(shown_until)
    };
    FileDiff {
        added,
        removed,
        hunks,
        skipped_after,
    }
}

/// The diff of a new file: every line added, nothing to compare.
fn all_added(new: &str) -> FileDiff {
    let lines: Vec<DiffLine> = new
        .split_inclusive('\n')
        .enumerate()
        .map(|(n, line)| changed_line("ins", None, Some(n), line, None))
        .collect();
    let added = lines.len();
    let hunks = if lines.is_empty() {
        Vec::new()
    } else {
        vec![Hunk {
            old_start: 1,
            new_start: 1,
            skipped_before: 0,
            lines,
        }]
    };
    FileDiff {
        added,
        removed: 0,
        hunks,
        skipped_after: 0,
    }
}

/// What a diff table says besides the text, from the theme's strings.
pub struct DiffWords {
    pub added: String,
    pub removed: String,
    pub old_line: String,
    pub new_line: String,
    pub text: String,
    pub hunk: String,
    pub unchanged_line: String,
    pub unchanged_lines: String,
}

impl FileDiff {
    /// The hunks as one table: a row group per hunk, a row per line with
    /// its numbers before and after, and a row for each run of unchanged
    /// lines left out. End tags HTML leaves optional are left out, and the
    /// `+` and `−` signs come from the style sheet; what a screen reader
    /// says of a line ("toegevoegd: …") is in the row itself.
    pub fn table_html(&self, words: &DiffWords) -> String {
        if self.hunks.is_empty() {
            return String::new();
        }
        let text_bytes: usize = self
            .hunks
            .iter()
            .flat_map(|h| &h.lines)
            .flat_map(|l| &l.parts)
            .map(|p| p.text.len())
            .sum();
        let mut html = String::with_capacity(text_bytes + self.hunks.len() * 200 + 400);
        let hidden = |html: &mut String, text: &str| {
            html.push_str("<span class=\"visually-hidden\">");
            push_xml_escaped(html, text);
            html.push_str("</span>");
        };
        let skipped = |html: &mut String, count: usize| {
            let noun = if count == 1 {
                &words.unchanged_line
            } else {
                &words.unchanged_lines
            };
            let _ = write!(html, "<tr class=\"skipped\"><td colspan=\"3\">… {count} ");
            push_xml_escaped(html, noun);
            html.push_str(" …\n");
        };
        html.push_str("<table class=\"diff\">\n<colgroup><col class=\"line-number\"><col class=\"line-number\"><col></colgroup>\n<thead><tr>");
        for label in [&words.old_line, &words.new_line, &words.text] {
            html.push_str("<th scope=\"col\">");
            hidden(&mut html, label);
        }
        html.push_str("</thead>\n");
        // How an added or removed line opens, said once for every line.
        let opening = |tag: &str, said: &str| {
            let mut open = format!("<{tag}>");
            hidden(&mut open, &format!("{said}: "));
            open
        };
        let (open_ins, open_del) = (opening("ins", &words.added), opening("del", &words.removed));
        for hunk in &self.hunks {
            html.push_str("<tbody aria-label=\"");
            push_xml_escaped(&mut html, &words.hunk);
            let _ = writeln!(html, " {}\">", hunk.new_start);
            if hunk.skipped_before > 0 {
                skipped(&mut html, hunk.skipped_before);
            }
            for line in &hunk.lines {
                let (tag, open) = match line.kind {
                    "ins" => ("ins", Some(&open_ins)),
                    "del" => ("del", Some(&open_del)),
                    _ => ("", None),
                };
                if tag.is_empty() {
                    html.push_str("<tr><td>");
                } else {
                    let _ = write!(html, "<tr class=\"{tag}\"><td>");
                }
                if let Some(n) = line.old {
                    let _ = write!(html, "{n}");
                }
                html.push_str("<td>");
                if let Some(n) = line.new {
                    let _ = write!(html, "{n}");
                }
                html.push_str("<td>");
                if let Some(open) = open {
                    html.push_str(open);
                }
                for part in &line.parts {
                    if part.changed {
                        html.push_str("<mark>");
                        push_xml_escaped(&mut html, &part.text);
                        html.push_str("</mark>");
                    } else {
                        push_xml_escaped(&mut html, &part.text);
                    }
                }
                if open.is_some() {
                    let _ = write!(html, "</{tag}>");
                }
                html.push('\n');
            }
            html.push_str("</tbody>\n");
        }
        if self.skipped_after > 0 {
            html.push_str("<tbody>\n");
            skipped(&mut html, self.skipped_after);
            html.push_str("</tbody>\n");
        }
        html.push_str("</table>\n");
        html
    }

    /// The diff of a part of two files, numbered as lines of the whole:
    /// the part starts after `old_before` and `new_before` lines.
    pub fn numbered_after(mut self, old_before: usize, new_before: usize) -> FileDiff {
        for hunk in &mut self.hunks {
            hunk.old_start += old_before;
            hunk.new_start += new_before;
            for line in &mut hunk.lines {
                line.old = line.old.map(|n| n + old_before);
                line.new = line.new.map(|n| n + new_before);
            }
        }
        self
    }
}

/// One line of a hunk. A removed or added line paired with a `partner` on
/// the other side has the words that differ from it marked.
fn changed_line(
    kind: &'static str,
    old: Option<usize>,
    new: Option<usize>,
    text: &str,
    partner: Option<&str>,
) -> DiffLine {
    let text = text.trim_end_matches('\n');
    let parts = match partner {
        None if text.is_empty() => Vec::new(),
        None => vec![Part {
            text: text.to_owned(),
            changed: false,
        }],
        Some(other) => marked_parts(kind, text, other.trim_end_matches('\n')),
    };
    DiffLine {
        kind,
        old: old.map(|i| i + 1),
        new: new.map(|i| i + 1),
        parts,
    }
}

/// The words of a removed (`del`) or added line, those not in `other` marked.
fn marked_parts(kind: &str, text: &str, other: &str) -> Vec<Part> {
    let removed_side = kind == "del";
    let words = if removed_side {
        config(text, other, false).diff_unicode_words(text, other)
    } else {
        config(text, other, false).diff_unicode_words(other, text)
    };
    let mut parts: Vec<Part> = Vec::new();
    for change in words.iter_all_changes() {
        let changed = match (change.tag(), removed_side) {
            (ChangeTag::Equal, _) => false,
            (ChangeTag::Delete, true) | (ChangeTag::Insert, false) => true,
            _ => continue,
        };
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
    parts
}

/// Pairs the removed and added lines of one change that are alike (at least
/// half their characters shared), in order, so their words can be compared.
fn pair_similar_lines(old: &[&str], new: &[&str]) -> Vec<(usize, usize)> {
    // The ratio is twice the shared characters over both lengths: lines
    // of very different length cannot reach one half, and are not compared.
    let similarity = |a: &str, b: &str| {
        let (a_chars, b_chars) = (a.chars().count(), b.chars().count());
        let (short, long) = (a_chars.min(b_chars), a_chars.max(b_chars));
        if 2 * short * 4 < (short + long) * 2 {
            return 0.0;
        }
        config(a, b, false).diff_chars(a, b).ratio()
    };
    // Large rewrites: compare only lines at the same place, to stay linear.
    if old.len() * new.len() > 2_500 {
        return (0..old.len().min(new.len()))
            .filter(|&i| similarity(old[i], new[i]) >= 0.5)
            .map(|i| (i, i))
            .collect();
    }
    let mut pairs = Vec::new();
    let mut next_new = 0;
    for (i, old_line) in old.iter().enumerate() {
        let best = (next_new..new.len())
            .map(|j| (j, similarity(old_line, new[j])))
            .filter(|(_, ratio)| *ratio >= 0.5)
            .max_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((j, _)) = best {
            pairs.push((i, j));
            next_new = j + 1;
        }
    }
    pairs
}

/// Lines added and removed, without building the hunks: those of the
/// front matter and those of the text below it, counted apart as the diff
/// page shows them.
pub fn line_stats(old: &str, new: &str) -> (usize, usize) {
    let (old_front, old_body) = old.split_at(body_start(old));
    let (new_front, new_body) = new.split_at(body_start(new));
    let front = lines_changed(old_front, new_front);
    let body = lines_changed(old_body, new_body);
    (front.0 + body.0, front.1 + body.1)
}

/// Lines added and removed between two texts (or parts of them); a new
/// text is every line added, without comparing.
pub fn lines_changed(old: &str, new: &str) -> (usize, usize) {
    if old.is_empty() {
        return (new.split_inclusive('\n').count(), 0);
    }
    count_lines(&config(old, new, true).diff_lines(old, new))
}

/// Where the text below a file's front matter starts; 0 without one.
fn body_start(text: &str) -> usize {
    crate::frontmatter::body_despite_front_matter(text).map_or(0, |(_, at)| at)
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
