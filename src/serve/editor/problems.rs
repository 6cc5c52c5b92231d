//! Where the form shows each problem of a page being edited: at the
//! field it concerns, as deep as the form shows fields, at the body, or
//! for the page as a whole; and all of them in the list at the top.

use super::{Shown, spec_at, word};
use crate::edit::draft::{FieldPath, Step, element_id};
use crate::edit::locate::{Place, place_of};
use crate::fields::{FieldKind, FieldSpec};
use crate::live::LiveSite;
use indexmap::IndexMap;
use serde_json::json;
use std::collections::HashMap;

/// The path of the form's element a problem at `path` belongs to: as deep
/// as the form shows fields, and labelled as the form labels them.
fn shown_field(specs: &IndexMap<String, FieldSpec>, path: &[Step]) -> Option<(FieldPath, String)> {
    let mut kept = Vec::new();
    let mut labels = Vec::new();
    for (n, step) in path.iter().enumerate() {
        let Some(spec) = spec_at(specs, &path[..=n]) else {
            break;
        };
        kept.push(step.clone());
        match step {
            Step::Key(key)
                if !matches!(path.get(n + 1), Some(Step::Item(_))) || spec.of.is_some() =>
            {
                labels.push(spec.label.clone().unwrap_or_else(|| key.clone()));
            }
            Step::Key(_) => {}
            Step::Item(i) => {
                if let Some(last) = labels.last_mut() {
                    *last = format!("{last} {}", i + 1);
                }
            }
        }
        if !matches!(
            spec.kind.value,
            FieldKind::List | FieldKind::Bodies | FieldKind::Object
        ) && !matches!(step, Step::Key(_) if spec.of.is_some())
        {
            break;
        }
    }
    (!kept.is_empty()).then(|| (kept, labels.join(" › ")))
}

/// Each problem where the form shows it: at a field, at the body, or
/// for the page as a whole; and all of them for the list at the top.
pub(super) struct Placed {
    pub(super) by_field: HashMap<FieldPath, Vec<String>>,
    pub(super) body: Vec<String>,
    pub(super) listed: Vec<serde_json::Value>,
}

pub(super) fn place_problems(
    live: &LiveSite,
    specs: &IndexMap<String, FieldSpec>,
    shown: &Shown,
    text: &str,
) -> Placed {
    let mut placed = Placed {
        by_field: HashMap::new(),
        body: Vec::new(),
        listed: Vec::new(),
    };
    let fix = word(live, "edit_error_fix");
    let without_bom = text.trim_start_matches('\u{feff}');
    for problem in &shown.problems {
        let message = match &problem.help {
            Some(help) => format!("{} {fix} {help}", problem.message),
            None => problem.message.clone(),
        };
        let place = match (&shown.raw, problem.position) {
            (None, Some(position)) => place_of(without_bom, position),
            _ => Place::Page,
        };
        let place = match place {
            Place::Page => named_field(&problem.message, specs).map_or(Place::Page, Place::Field),
            other => other,
        };
        match place {
            Place::Field(path) => match shown_field(specs, &path) {
                Some((path, label)) => {
                    placed
                        .by_field
                        .entry(path.clone())
                        .or_default()
                        .push(message.clone());
                    placed.listed.push(
                        json!({"field": label, "target": element_id(&path), "message": message}),
                    );
                }
                None => placed.listed.push(json!({"message": message})),
            },
            Place::Body => {
                placed.body.push(message.clone());
                placed.listed.push(
                    json!({"field": word(live, "edit_body"), "target": "veld-tekst", "message": message}),
                );
            }
            Place::Page => placed.listed.push(json!({"message": message})),
        }
    }
    placed
}

/// A top-level field a problem without a place names in backticks, as a
/// missing required field's does.
fn named_field(message: &str, specs: &IndexMap<String, FieldSpec>) -> Option<FieldPath> {
    message
        .split('`')
        .skip(1)
        .step_by(2)
        .find(|name| specs.contains_key(*name))
        .map(|name| vec![Step::Key(name.to_owned())])
}
