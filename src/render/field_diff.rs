//! What a revision changed in a page's front matter, told as fields: the
//! schema's labels, referenced pages by their titles, lists as what came
//! and went ("Leden: + Gemeente Wierden"), objects (an org chart's bodies)
//! by their names with the fields that changed inside them.

use super::Renderer;
use super::diff::{FileDiff, diff_texts, line_stats, lines_changed};
use crate::fields::{FieldKind, FieldSpec};
use crate::orgchart::RelationKind;
use crate::page::Page;
use crate::resolve::Site;
use crate::schema::{FieldValue, FrontMatter};
use indexmap::IndexMap;
use serde::Serialize;
use std::collections::HashMap;

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
    pub updated: String,
    pub aliases: String,
    pub draft: String,
    /// Appended to a list's label when only its order changed.
    pub order: String,
    pub yes: String,
    pub no: String,
    /// A relation's kind as a reader says it, by its key: "stuurt aan".
    pub relations: HashMap<String, String>,
}

impl Words {
    pub(super) fn from_theme(renderer: &Renderer) -> Words {
        Words {
            title: renderer.string("diff_field_title"),
            description: renderer.string("diff_field_description"),
            updated: renderer.string("diff_field_updated"),
            aliases: renderer.string("diff_field_aliases"),
            draft: renderer.string("diff_field_draft"),
            order: renderer.string("diff_order"),
            yes: renderer.string("value_yes"),
            no: renderer.string("value_no"),
            relations: RelationKind::ALL
                .iter()
                .map(|kind| {
                    let key = kind.key();
                    (key.to_owned(), renderer.string(&format!("relation_{key}")))
                })
                .collect(),
        }
    }
}

/// What a change is read with: the site for referenced pages' titles, the
/// words, and the names of the bodies in both versions, by id, so a
/// relation reads "stuurt aan Ambtelijk platform".
struct Reading<'a> {
    site: &'a Site,
    words: &'a Words,
    body_names: HashMap<String, String>,
}

/// One side of a revision: a text of the page's file and its front matter
/// as [`old_front_matter`](crate::page::old_front_matter) read it (`None`:
/// unreadable). An empty text (no page yet, or none left) has no fields,
/// whatever `front` says. The body is compared as text.
#[derive(Clone, Copy)]
pub struct OldText<'a> {
    pub text: &'a str,
    pub front: Option<&'a crate::page::FrontAndBodyStart>,
}

/// What a revision of `page` changed: the fields of its front matter,
/// told as fields, and the text below them as a line diff (numbered as
/// lines of the file; its counts are over the whole file). A version whose
/// front matter cannot be read is one text diff (and the flag says so); a missing version (before
/// the page was made, after it was deleted) has no fields.
pub fn revision_diff<'a>(
    site: &Site,
    words: &Words,
    page: &Page,
    before: OldText<'a>,
    after: OldText<'a>,
) -> (Vec<FieldChange>, FileDiff, bool) {
    let config = &site.config;
    let (old, new) = (before.text, after.text);
    let none_yet = (FrontMatter::default(), 0);
    let read = |side: OldText<'a>| match side.text {
        "" => Some(&none_yet),
        _ => side.front,
    };
    let (Some((front_before, old_offset)), Some((front_after, new_offset))) =
        (read(before), read(after))
    else {
        let mut diff = diff_texts(old, new);
        (diff.added, diff.removed) = line_stats(old, new);
        return (Vec::new(), diff, true);
    };
    let (old_offset, new_offset) = (*old_offset, *new_offset);
    let no_fields = IndexMap::new();
    let specs = config
        .collection_of(page.collection.as_deref())
        .map_or(&no_fields, |c| &c.fields);
    let fields = field_changes(site, specs, front_before, front_after, words);
    let lines_before = |text: &str, offset: usize| text[..offset].matches('\n').count();
    let (old_offset, new_offset) = (old_offset.min(old.len()), new_offset.min(new.len()));
    let mut diff = diff_texts(&old[old_offset..], &new[new_offset..])
        .numbered_after(lines_before(old, old_offset), lines_before(new, new_offset));
    // Counted as `line_stats` counts them: front matter and text apart.
    let front = lines_changed(&old[..old_offset], &new[..new_offset]);
    diff.added += front.0;
    diff.removed += front.1;
    (fields, diff, false)
}

/// The fields that differ between two versions of a page's front matter:
/// the common ones, then the schema's in its order, then those the schema
/// does not know.
pub fn field_changes(
    site: &Site,
    specs: &IndexMap<String, FieldSpec>,
    old: &FrontMatter,
    new: &FrontMatter,
    words: &Words,
) -> Vec<FieldChange> {
    let mut body_names = HashMap::new();
    for (name, spec) in specs {
        if spec.kind.value == FieldKind::Bodies {
            for version in [old, new] {
                if let Some(FieldValue::List(bodies)) = version.fields.get(name) {
                    body_names.extend(bodies.iter().filter_map(body_id_and_name));
                }
            }
        }
    }
    let reading = Reading {
        site,
        words,
        body_names,
    };
    let mut changes = Vec::new();
    let text = |s: &str| FieldValue::Text(s.to_owned());
    let aliases = |front: &FrontMatter| {
        (!front.aliases.is_empty())
            .then(|| FieldValue::List(front.aliases.iter().map(|a| text(&a.written)).collect()))
    };
    let draft = |front: &FrontMatter| front.draft.then_some(FieldValue::Bool(true));
    let common = [
        (
            &words.title,
            (!old.title.is_empty()).then(|| text(&old.title)),
            (!new.title.is_empty()).then(|| text(&new.title)),
        ),
        (
            &words.description,
            old.description.as_deref().map(text),
            new.description.as_deref().map(text),
        ),
        (
            &words.updated,
            old.updated.map(FieldValue::Date),
            new.updated.map(FieldValue::Date),
        ),
        (&words.aliases, aliases(old), aliases(new)),
        (&words.draft, draft(old), draft(new)),
    ];
    for (label, before, after) in common {
        reading.compare(
            None,
            vec![label.clone()],
            before.as_ref(),
            after.as_ref(),
            &mut changes,
        );
    }
    let value = |front: &FrontMatter, name: &str| {
        front
            .fields
            .get(name)
            .cloned()
            .or_else(|| front.unread.get(name).cloned())
    };
    for (name, spec) in specs {
        let label = spec.label.clone().unwrap_or_else(|| name.clone());
        let (before, after) = (value(old, name), value(new, name));
        reading.compare(
            Some(spec),
            vec![label],
            before.as_ref(),
            after.as_ref(),
            &mut changes,
        );
    }
    let mut unknown: Vec<&String> = old.unread.keys().collect();
    unknown.extend(new.unread.keys().filter(|k| !old.unread.contains_key(*k)));
    for name in unknown
        .into_iter()
        .filter(|name| !specs.contains_key(*name))
    {
        let (before, after) = (value(old, name), value(new, name));
        reading.compare(
            None,
            vec![name.clone()],
            before.as_ref(),
            after.as_ref(),
            &mut changes,
        );
    }
    changes
}

/// A body's id and name, from its fields.
fn body_id_and_name(body: &FieldValue) -> Option<(String, String)> {
    let FieldValue::Object(fields) = body else {
        return None;
    };
    match (fields.get("id"), fields.get("name")) {
        (Some(FieldValue::Text(id)), Some(FieldValue::Text(name))) => {
            Some((id.clone(), name.clone()))
        }
        _ => None,
    }
}

impl Reading<'_> {
    fn compare(
        &self,
        spec: Option<&FieldSpec>,
        label: Vec<String>,
        old: Option<&FieldValue>,
        new: Option<&FieldValue>,
        changes: &mut Vec<FieldChange>,
    ) {
        if old == new {
            return;
        }
        let item_spec = spec.and_then(|s| s.of.as_deref());
        if let (Some(old_items), Some(new_items)) = (as_list(old), as_list(new)) {
            let objects = item_spec.is_some_and(|s| s.kind.value == FieldKind::Object)
                || spec.is_some_and(|s| s.kind.value == FieldKind::Bodies);
            if objects {
                self.compare_objects(item_spec, &label, old_items, new_items, changes);
            } else {
                let keyed = |items: &[FieldValue]| -> Vec<(String, String)> {
                    items
                        .iter()
                        .map(|v| {
                            let shown = self.display(v);
                            (shown.clone(), shown)
                        })
                        .collect()
                };
                self.compare_items(&label, &keyed(old_items), &keyed(new_items), changes);
            }
            return;
        }
        if let (Some(FieldValue::Object(before)), Some(FieldValue::Object(after))) = (old, new) {
            self.compare_fields(spec, &label, before, after, changes);
            return;
        }
        let shown = |value: Option<&FieldValue>| value.map(|v| self.display(v)).unwrap_or_default();
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

    /// Items of a list, each as (what identifies it, how a reader knows
    /// it): those that came and went, or else the new order if only that
    /// changed.
    fn compare_items(
        &self,
        label: &[String],
        before: &[(String, String)],
        after: &[(String, String)],
        changes: &mut Vec<FieldChange>,
    ) {
        let missing_from =
            |items: &[(String, String)], others: &[(String, String)]| -> Vec<String> {
                items
                    .iter()
                    .filter(|(key, _)| !others.iter().any(|(k, _)| k == key))
                    .map(|(_, name)| name.clone())
                    .collect()
            };
        let (added, removed) = (missing_from(after, before), missing_from(before, after));
        let keys =
            |items: &[(String, String)]| items.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>();
        if !added.is_empty() || !removed.is_empty() {
            changes.push(FieldChange {
                label: label.to_vec(),
                old: String::new(),
                new: String::new(),
                added,
                removed,
            });
        } else if keys(before) != keys(after) {
            let names = |items: &[(String, String)]| {
                items
                    .iter()
                    .map(|(_, n)| n.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let mut label = label.to_vec();
            label.push(self.words.order.clone());
            changes.push(FieldChange {
                label,
                old: names(before),
                new: names(after),
                added: Vec::new(),
                removed: Vec::new(),
            });
        }
    }

    /// Objects in a list, matched by their name (or id): those that came
    /// and went by name, and the fields that changed in those in both.
    fn compare_objects(
        &self,
        spec: Option<&FieldSpec>,
        label: &[String],
        old: &[FieldValue],
        new: &[FieldValue],
        changes: &mut Vec<FieldChange>,
    ) {
        let keyed = |items: &[FieldValue]| -> Vec<(String, String)> {
            items
                .iter()
                .map(|item| (object_key(item), self.object_name(item)))
                .collect()
        };
        let (before, mut after) = (keyed(old), keyed(new));
        // An item whose id changed but whose name stayed is the same item
        // renamed, not one gone and another come.
        for n in 0..after.len() {
            let name = after[n].1.clone();
            let is_new = !before.iter().any(|(k, _)| *k == after[n].0);
            let renamed = before
                .iter()
                .find(|(k, was)| *was == name && !after.iter().any(|(key, _)| key == k));
            if let (true, Some((key, _))) = (is_new, renamed) {
                after[n].0 = key.clone();
            }
        }
        self.compare_items(label, &before, &after, changes);
        for ((key, name), item) in after.iter().zip(new) {
            let Some(was) = before.iter().position(|(k, _)| k == key).map(|at| &old[at]) else {
                continue;
            };
            if let (FieldValue::Object(was), FieldValue::Object(now)) = (was, item) {
                let mut inner = label.to_vec();
                inner.push(name.clone());
                self.compare_fields(spec, &inner, was, now, changes);
            }
        }
    }

    fn compare_fields(
        &self,
        spec: Option<&FieldSpec>,
        label: &[String],
        old: &IndexMap<String, FieldValue>,
        new: &IndexMap<String, FieldValue>,
        changes: &mut Vec<FieldChange>,
    ) {
        let mut names: Vec<&String> = old.keys().collect();
        names.extend(new.keys().filter(|k| !old.contains_key(*k)));
        for name in names {
            let field_spec = spec.and_then(|s| s.fields.get(name));
            let mut inner = label.to_vec();
            inner.push(field_spec.and_then(|s| s.label.clone()).unwrap_or_else(|| {
                // Fields the schema gives no label read as the common ones.
                match name.as_str() {
                    "title" => self.words.title.clone(),
                    "description" => self.words.description.clone(),
                    _ => name.clone(),
                }
            }));
            self.compare(field_spec, inner, old.get(name), new.get(name), changes);
        }
    }

    /// How a reader knows an object: its name, title or label; a relation
    /// by what it says ("stuurt aan Ambtelijk platform").
    fn object_name(&self, item: &FieldValue) -> String {
        let FieldValue::Object(fields) = item else {
            return self.display(item);
        };
        if let Some(relation) = self.relation(fields) {
            return relation;
        }
        ["name", "title", "label", "id", "url"]
            .iter()
            .find_map(|key| fields.get(*key))
            .map_or_else(
                || {
                    let values: Vec<String> = fields.values().map(|v| self.display(v)).collect();
                    values.join(" ")
                },
                |v| self.display(v),
            )
    }

    /// A relation between bodies, in words, if `fields` is one.
    fn relation(&self, fields: &IndexMap<String, FieldValue>) -> Option<String> {
        let (Some(FieldValue::Choice(kind)), Some(FieldValue::Text(to))) =
            (fields.get("type"), fields.get("to"))
        else {
            return None;
        };
        let said = self.words.relations.get(kind)?;
        let to = self.body_names.get(to).unwrap_or(to);
        Some(format!("{said} {to}"))
    }

    /// A value as a reader reads it: a referenced page by its title.
    fn display(&self, value: &FieldValue) -> String {
        match value {
            // What a reader reads of Markdown: a wiki link by its label.
            FieldValue::Markdown(t) => crate::markdown::parse_fragment(t, false).plain_text(),
            FieldValue::Text(t)
            | FieldValue::Url(t)
            | FieldValue::Email(t)
            | FieldValue::Choice(t) => t.clone(),
            FieldValue::Date(d) => d.strftime("%d-%m-%Y").to_string(),
            FieldValue::Number(n) => n.to_string().replace('.', ","),
            FieldValue::Bool(b) => if *b { &self.words.yes } else { &self.words.no }.clone(),
            FieldValue::Reference(r) => self
                .site
                .referenced_title(r)
                .unwrap_or(&r.target)
                .to_owned(),
            FieldValue::List(items) => items
                .iter()
                .map(|v| self.display(v))
                .collect::<Vec<_>>()
                .join(", "),
            FieldValue::Object(_) => self.object_name(value),
        }
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
