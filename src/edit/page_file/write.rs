//! Front-matter fields written back: a field's value in the shape its
//! schema gives, and every field, list item or object that did not change
//! in the lines it was written in.

use super::{Inside, Written};
use crate::edit::draft::Draft;
use crate::fields::{FieldKind, FieldSpec};
use crate::yaml::{flow_scalar, scalar};
use indexmap::IndexMap;

/// Writes `key: value` at `indent` spaces, in the shape `spec` gives;
/// what is unchanged from `was` keeps the lines it was written in.
pub(super) fn write_field(
    out: &mut String,
    indent: usize,
    key: &str,
    value: &Draft,
    spec: Option<&FieldSpec>,
    was: Option<&Written>,
) {
    if let Some(was) = was.filter(|w| w.value.pruned().as_ref() == Some(value)) {
        out.push_str(&reindented(&was.text, indent));
        return;
    }
    write_value(out, indent, key, value, spec, was);
    // Comments above the next field end this one's old lines; they stay.
    let comments = was.map_or("", |was| comments_after(&was.text));
    if !comments.is_empty() {
        out.push_str(&reindented(comments, indent));
    }
}

/// The comment lines, and blank lines among them, that end a field's old
/// text: they stand above the next field at the same depth. Not the
/// field's own lines (a `#` inside a block of text is indented deeper than
/// its key), nor a comment of an outer group's, indented less: the group
/// keeps that one.
pub(super) fn comments_after(text: &str) -> &str {
    let indent_of = |line: &str| line.len() - line.trim_start_matches(' ').len();
    let key_indent = text
        .lines()
        .find(|line| !line.trim().is_empty())
        .map_or(0, indent_of);
    let mut start = text.len();
    let mut commented = false;
    for line in text
        .split_inclusive('\n')
        .skip(1)
        .collect::<Vec<_>>()
        .iter()
        .rev()
    {
        let blank = line.trim().is_empty();
        let comment = line.trim_start().starts_with('#') && indent_of(line) == key_indent;
        if !blank && !comment {
            break;
        }
        start -= line.len();
        commented |= comment;
    }
    if commented { &text[start..] } else { "" }
}

/// Writes `key: value` at `indent` spaces, in the shape `spec` gives.
fn write_value(
    out: &mut String,
    indent: usize,
    key: &str,
    value: &Draft,
    spec: Option<&FieldSpec>,
    was: Option<&Written>,
) {
    let pad = " ".repeat(indent);
    let key = scalar(key);
    match value {
        Draft::Text(text)
            if literal_block_keeps(text)
                && (text.contains('\n')
                    || is_kind(spec, FieldKind::Markdown) && text.len() > 60) =>
        {
            let chomp = if text.ends_with('\n') { "" } else { "-" };
            out.push_str(&format!("{pad}{key}: |{chomp}\n"));
            for line in text.trim_end_matches('\n').split('\n') {
                if line.is_empty() {
                    out.push('\n');
                } else {
                    out.push_str(&format!("{pad}  {line}\n"));
                }
            }
        }
        Draft::Text(text) => out.push_str(&format!("{pad}{key}: {}\n", typed_scalar(text, spec))),
        Draft::List(items) => {
            let item_spec = spec.and_then(|s| s.of.as_deref());
            let flat = items
                .iter()
                .all(|item| matches!(item, Draft::Text(t) if !t.contains('\n')))
                && !is_kind(item_spec, FieldKind::Object);
            if flat {
                let written: Vec<String> = items.iter().map(|i| flow_scalar(i.text())).collect();
                out.push_str(&format!("{pad}{key}: [{}]\n", written.join(", ")));
                return;
            }
            out.push_str(&format!("{pad}{key}:\n"));
            let old_items = match was.map(|w| &w.inside) {
                Some(Inside::Items(old)) => old.as_slice(),
                _ => &[],
            };
            let mut used = vec![false; old_items.len()];
            for (n, item) in items.iter().enumerate() {
                let same = old_items
                    .iter()
                    .enumerate()
                    .position(|(i, old)| !used[i] && old.value.pruned().as_ref() == Some(item))
                    .or_else(|| {
                        old_items
                            .iter()
                            .enumerate()
                            .position(|(i, old)| !used[i] && same_object(&old.value, item))
                    })
                    .or_else(|| (n < old_items.len() && !used[n]).then_some(n));
                if let Some(i) = same {
                    used[i] = true;
                }
                write_item(
                    out,
                    indent + 2,
                    item,
                    item_spec,
                    same.map(|i| &old_items[i]),
                );
            }
        }
        Draft::Object(fields) => {
            out.push_str(&format!("{pad}{key}:\n"));
            write_fields(out, indent + 2, fields, spec, was);
        }
    }
}

/// A group's fields at `indent`, in the order they were written, each
/// keeping its lines where it did not change.
fn write_fields(
    out: &mut String,
    indent: usize,
    fields: &IndexMap<String, Draft>,
    spec: Option<&FieldSpec>,
    was: Option<&Written>,
) {
    let old_fields = match was.map(|w| &w.inside) {
        Some(Inside::Fields(old)) => Some(old),
        _ => None,
    };
    for (name, value) in in_written_order(fields, old_fields) {
        let spec = spec.and_then(|s| s.fields.get(name));
        write_field(
            out,
            indent,
            name,
            value,
            spec,
            old_fields.and_then(|f| f.get(name)),
        );
    }
}

/// A group's fields in the order they were written, then the new ones:
/// a changed group keeps its layout.
fn in_written_order<'a>(
    fields: &'a IndexMap<String, Draft>,
    old: Option<&IndexMap<String, Written>>,
) -> Vec<(&'a String, &'a Draft)> {
    let mut ordered: Vec<(&String, &Draft)> = old
        .into_iter()
        .flat_map(|old| old.keys())
        .filter_map(|key| fields.get_key_value(key))
        .collect();
    ordered.extend(
        fields
            .iter()
            .filter(|(k, _)| !old.is_some_and(|o| o.contains_key(*k))),
    );
    ordered
}

/// Whether two groups are the same thing changed: one id or name.
fn same_object(old: &Draft, new: &Draft) -> bool {
    let (Draft::Object(old), Draft::Object(new)) = (old, new) else {
        return false;
    };
    ["id", "name", "title"]
        .iter()
        .find_map(|key| Some(old.get(*key)? == new.get(*key)?))
        .unwrap_or(false)
}

/// One item of a block list: `- value`, a group's first field on the
/// dash's line; what is unchanged from `was` keeps its lines.
fn write_item(
    out: &mut String,
    indent: usize,
    item: &Draft,
    spec: Option<&FieldSpec>,
    was: Option<&Written>,
) {
    let pad = " ".repeat(indent);
    if let Some(was) = was.filter(|w| w.value.pruned().as_ref() == Some(item)) {
        out.push_str(&dashed(&reindented(&was.text, indent + 2), indent));
        return;
    }
    match item {
        Draft::Object(fields) => {
            let mut inner = String::new();
            write_fields(&mut inner, indent + 2, fields, spec, was);
            out.push_str(&dashed(&inner, indent));
        }
        Draft::List(items) => {
            out.push_str(&format!("{pad}-\n"));
            for inner in items {
                write_item(
                    out,
                    indent + 2,
                    inner,
                    spec.and_then(|s| s.of.as_deref()),
                    None,
                );
            }
        }
        Draft::Text(text) => out.push_str(&format!("{pad}- {}\n", typed_scalar(text, spec))),
    }
}

/// Whether `key: |` (or `|-`) gives `text` back exactly: its first line
/// not indented (that would be read as the block's indentation), no
/// blank lines at its end, no tabs or other control characters.
fn literal_block_keeps(text: &str) -> bool {
    let body = text.strip_suffix('\n').unwrap_or(text);
    !body.trim().is_empty()
        && !body.starts_with([' ', '\n'])
        && !body.ends_with(['\n', ' '])
        && !body.chars().any(|c| c.is_control() && c != '\n')
        && body.split('\n').all(|line| line.trim_end() == line)
}

fn is_kind(spec: Option<&FieldSpec>, kind: FieldKind) -> bool {
    spec.is_some_and(|s| s.kind.value == kind)
}

/// `-12` or `3.5`: a number every YAML reader reads as one.
fn is_plain_number(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
    !whole.is_empty()
        && !fraction.is_empty()
        && whole
            .bytes()
            .chain(fraction.bytes())
            .all(|b| b.is_ascii_digit())
}

/// `text` as a YAML value of the field `spec` describes: a number, yes/no
/// or date as such, other text quoted where YAML would misread it.
pub fn typed_scalar(text: &str, spec: Option<&FieldSpec>) -> String {
    let typed = match spec.map(|s| s.kind.value) {
        Some(FieldKind::Number) => is_plain_number(text),
        Some(FieldKind::Boolean) => matches!(text, "true" | "false"),
        Some(FieldKind::Date) => text.parse::<jiff::civil::Date>().is_ok(),
        _ => false,
    };
    if typed { text.to_owned() } else { scalar(text) }
}

/// `text` with every line moved so that its first starts at `indent`.
fn reindented(text: &str, indent: usize) -> String {
    let first = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default();
    let was = first.len() - first.trim_start_matches(' ').len();
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let spaces = line.len() - line.trim_start_matches(' ').len();
        if line.trim().is_empty() {
            out.push_str(line.trim_start_matches(' '));
        } else {
            out.push_str(&" ".repeat(spaces + indent - was.min(spaces + indent)));
            out.push_str(&line[spaces..]);
        }
    }
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// The first line's indentation at `indent` turned into a dash.
fn dashed(text: &str, indent: usize) -> String {
    let pad = " ".repeat(indent);
    match text.strip_prefix(&format!("{pad}  ")) {
        Some(rest) => format!("{pad}- {rest}"),
        None => format!("{pad}-\n{text}"),
    }
}
