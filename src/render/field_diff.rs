//! What a revision changed in a page's front matter, told as fields: the
//! schema's labels, referenced pages by their titles, lists as what came
//! and went ("Leden: + Gemeente Wierden"), objects (an org chart's bodies)
//! by their names with the fields that changed inside them.

use super::Renderer;
use super::diff::{FileDiff, diff_texts, line_stats};
use crate::fields::{FieldKind, FieldSpec};
use crate::page::{Page, old_version};
use crate::resolve::Site;
use crate::schema::{FieldValue, FrontMatter};
use indexmap::IndexMap;
use serde::Serialize;

/// One changed field, or a field of an object in a list.
#[derive(Debug, Serialize, PartialEq)]
pub struct FieldChange {
    /// The labels from the field down, e.g. ["Organen", "Kernteam", "Leden"].
    pub label: Vec<String>,
    /// The value before and after, for a single value; empty when absent.
    pub old: String,
    pub new: String,
    /// For a list: the items that came and went.
    pub added: Vec<String>,
    pub removed: Vec<String>,
}

/// Words a change is told in, from the theme's strings.
pub struct Words {
    pub title: String,
    pub description: String,
    pub yes: String,
    pub no: String,
}

/// What a revision of `page` changed: the fields of its front matter,
/// told as fields, and the text below them as a line diff (numbered as
/// lines of the file; its counts are over the whole file). A version whose
/// front matter cannot be read is one text diff.
pub fn revision_diff(
    site: &Site,
    renderer: &Renderer,
    page: &Page,
    path: &str,
    old: &str,
    new: &str,
) -> (Vec<FieldChange>, FileDiff) {
    let config = &site.config;
    let version = |text: &str| old_version(config, page, path, text.to_owned());
    let (before, after) = (version(old), version(new));
    let has_front = |version: &Page, text: &str| version.body_offset > 0 || text.is_empty();
    if !has_front(&before, old) || !has_front(&after, new) {
        return (Vec::new(), diff_texts(old, new));
    }
    let no_fields = IndexMap::new();
    let specs = config
        .collection_of(page.collection.as_deref())
        .map_or(&no_fields, |c| &c.fields);
    let words = Words {
        title: renderer.string("diff_field_title"),
        description: renderer.string("diff_field_description"),
        yes: renderer.string("value_yes"),
        no: renderer.string("value_no"),
    };
    let fields = field_changes(site, specs, &before.front, &after.front, &words);
    let lines_before = |text: &str, offset: usize| text[..offset].matches('\n').count();
    let (old_offset, new_offset) = (
        before.body_offset.min(old.len()),
        after.body_offset.min(new.len()),
    );
    let mut diff = diff_texts(&old[old_offset..], &new[new_offset..])
        .numbered_after(lines_before(old, old_offset), lines_before(new, new_offset));
    (diff.added, diff.removed) = line_stats(old, new);
    (fields, diff)
}

/// The fields that differ between two versions of a page's front matter,
/// in the schema's order.
pub fn field_changes(
    site: &Site,
    specs: &IndexMap<String, FieldSpec>,
    old: &FrontMatter,
    new: &FrontMatter,
    words: &Words,
) -> Vec<FieldChange> {
    let mut changes = Vec::new();
    let text = |s: &str| FieldValue::Text(s.to_owned());
    let pairs = [
        (&words.title, Some(text(&old.title)), Some(text(&new.title))),
        (
            &words.description,
            old.description.as_deref().map(text),
            new.description.as_deref().map(text),
        ),
    ];
    for (label, before, after) in pairs {
        compare(
            site,
            None,
            vec![label.clone()],
            before.as_ref(),
            after.as_ref(),
            words,
            &mut changes,
        );
    }
    for (name, spec) in specs {
        let label = spec.label.clone().unwrap_or_else(|| name.clone());
        compare(
            site,
            Some(spec),
            vec![label],
            old.fields.get(name),
            new.fields.get(name),
            words,
            &mut changes,
        );
    }
    changes
}

fn compare(
    site: &Site,
    spec: Option<&FieldSpec>,
    label: Vec<String>,
    old: Option<&FieldValue>,
    new: Option<&FieldValue>,
    words: &Words,
    changes: &mut Vec<FieldChange>,
) {
    if old == new {
        return;
    }
    let item_spec = spec.and_then(|s| s.of.as_deref());
    let lists = (as_list(old), as_list(new));
    if let (Some(old_items), Some(new_items)) = lists {
        let objects = item_spec.is_some_and(|s| matches!(s.kind.value, FieldKind::Object))
            || spec.is_some_and(|s| s.kind.value == FieldKind::Bodies);
        if objects {
            compare_objects(
                site, item_spec, &label, old_items, new_items, words, changes,
            );
        } else {
            let shown = |items: &[FieldValue]| -> Vec<String> {
                items.iter().map(|v| display(site, v, words)).collect()
            };
            let (before, after) = (shown(old_items), shown(new_items));
            let added: Vec<String> = after
                .iter()
                .filter(|v| !before.contains(v))
                .cloned()
                .collect();
            let removed: Vec<String> = before
                .iter()
                .filter(|v| !after.contains(v))
                .cloned()
                .collect();
            if !added.is_empty() || !removed.is_empty() {
                changes.push(FieldChange {
                    label,
                    old: String::new(),
                    new: String::new(),
                    added,
                    removed,
                });
            }
        }
        return;
    }
    if let (Some(FieldValue::Object(before)), Some(FieldValue::Object(after))) = (old, new) {
        compare_fields(site, spec, &label, before, after, words, changes);
        return;
    }
    let shown =
        |value: Option<&FieldValue>| value.map(|v| display(site, v, words)).unwrap_or_default();
    let (before, after) = (shown(old), shown(new));
    if before != after {
        changes.push(FieldChange {
            label,
            old: before,
            new: after,
            added: Vec::new(),
            removed: Vec::new(),
        });
    }
}

/// Objects in a list, matched by their name (or id): those that came and
/// went by name, and the fields that changed in those in both.
fn compare_objects(
    site: &Site,
    spec: Option<&FieldSpec>,
    label: &[String],
    old: &[FieldValue],
    new: &[FieldValue],
    words: &Words,
    changes: &mut Vec<FieldChange>,
) {
    let keyed = |items: &[FieldValue]| -> Vec<(String, String, FieldValue)> {
        items
            .iter()
            .map(|item| {
                (
                    object_key(item),
                    object_name(site, item, words),
                    item.clone(),
                )
            })
            .collect()
    };
    let (before, after) = (keyed(old), keyed(new));
    let added: Vec<String> = after
        .iter()
        .filter(|(key, ..)| !before.iter().any(|(k, ..)| k == key))
        .map(|(_, name, _)| name.clone())
        .collect();
    let removed: Vec<String> = before
        .iter()
        .filter(|(key, ..)| !after.iter().any(|(k, ..)| k == key))
        .map(|(_, name, _)| name.clone())
        .collect();
    if !added.is_empty() || !removed.is_empty() {
        changes.push(FieldChange {
            label: label.to_vec(),
            old: String::new(),
            new: String::new(),
            added,
            removed,
        });
    }
    for (key, name, item) in &after {
        let Some((_, _, was)) = before.iter().find(|(k, ..)| k == key) else {
            continue;
        };
        if let (FieldValue::Object(was), FieldValue::Object(now)) = (was, item) {
            let mut inner = label.to_vec();
            inner.push(name.clone());
            compare_fields(site, spec, &inner, was, now, words, changes);
        }
    }
}

fn compare_fields(
    site: &Site,
    spec: Option<&FieldSpec>,
    label: &[String],
    old: &IndexMap<String, FieldValue>,
    new: &IndexMap<String, FieldValue>,
    words: &Words,
    changes: &mut Vec<FieldChange>,
) {
    let mut names: Vec<&String> = old.keys().collect();
    names.extend(new.keys().filter(|k| !old.contains_key(*k)));
    for name in names {
        let field_spec = spec.and_then(|s| s.fields.get(name));
        let mut inner = label.to_vec();
        inner.push(
            field_spec
                .and_then(|s| s.label.clone())
                .unwrap_or_else(|| name.clone()),
        );
        compare(
            site,
            field_spec,
            inner,
            old.get(name),
            new.get(name),
            words,
            changes,
        );
    }
}

fn as_list(value: Option<&FieldValue>) -> Option<&[FieldValue]> {
    match value {
        Some(FieldValue::List(items)) => Some(items),
        None => Some(&[]),
        _ => None,
    }
}

/// What identifies an object of a list from one version to the next.
fn object_key(item: &FieldValue) -> String {
    let FieldValue::Object(fields) = item else {
        return format!("{item:?}");
    };
    ["id", "name", "title", "label", "url"]
        .iter()
        .find_map(|key| fields.get(*key).map(|v| format!("{key}={v:?}")))
        .unwrap_or_else(|| format!("{fields:?}"))
}

/// How a reader knows an object: its name, title or label.
fn object_name(site: &Site, item: &FieldValue, words: &Words) -> String {
    let FieldValue::Object(fields) = item else {
        return display(site, item, words);
    };
    ["name", "title", "label", "id", "url"]
        .iter()
        .find_map(|key| fields.get(*key))
        .map_or_else(
            // A relation is known by what it says: "stuurt-aan kernteam".
            || {
                let values: Vec<String> =
                    fields.values().map(|v| display(site, v, words)).collect();
                values.join(" ")
            },
            |v| display(site, v, words),
        )
}

/// A value as a reader reads it: a referenced page by its title.
fn display(site: &Site, value: &FieldValue, words: &Words) -> String {
    match value {
        FieldValue::Text(t)
        | FieldValue::Markdown(t)
        | FieldValue::Url(t)
        | FieldValue::Email(t)
        | FieldValue::Choice(t) => t.clone(),
        FieldValue::Date(d) => d.strftime("%d-%m-%Y").to_string(),
        FieldValue::Number(n) => n.to_string().replace('.', ","),
        FieldValue::Bool(b) => if *b { &words.yes } else { &words.no }.clone(),
        FieldValue::Reference(r) => site
            .referenced_page(r)
            .map_or_else(|| r.target.clone(), |i| site.pages[i].front.title.clone()),
        FieldValue::List(items) => items
            .iter()
            .map(|v| display(site, v, words))
            .collect::<Vec<_>>()
            .join(", "),
        FieldValue::Object(_) => object_name(site, value, words),
    }
}
