//! The site's organisation charts: each page's bodies with their members
//! and collected pages found among the resolved pages, and per page the
//! bodies it sits in.

use super::Site;
use crate::fields::FieldKind;
use crate::ids::{ChartId, PageId, PageTable, Table};
use crate::orgchart::{ALL_MEMBERS, Body, MEMBERS_FIELD, OrgChart, Relation, RelationKind, Seat};
use crate::schema::FieldValue;
use crate::urls::{CHART_DIR, CHART_FILE};

/// Every chart of the site, and per page the bodies it sits in.
pub fn resolve_charts(site: &Site) -> (Table<ChartId, OrgChart>, PageTable<Vec<Seat>>) {
    // The few collections with body fields, looked up once: `twn serve`
    // runs this on every save.
    let body_fields: Vec<(&str, Vec<&str>)> = site
        .config
        .collections
        .iter()
        .filter_map(|(collection, spec)| {
            let fields: Vec<&str> = spec
                .fields
                .iter()
                .filter(|(_, field)| field.kind.value == FieldKind::Bodies)
                .map(|(name, _)| name.as_str())
                .collect();
            (!fields.is_empty()).then_some((collection.as_str(), fields))
        })
        .collect();
    let mut charts = Table::new();
    for (page_id, page) in site.pages.enumerate() {
        let Some((_, fields)) = page
            .collection
            .as_deref()
            .and_then(|c| body_fields.iter().find(|(collection, _)| *collection == c))
        else {
            continue;
        };
        for &name in fields {
            if let Some(FieldValue::List(items)) = page.front.fields.get(name) {
                let bodies = bodies_of(site, page_id, items);
                if !bodies.is_empty() {
                    charts.push(OrgChart {
                        page: page_id,
                        bodies,
                    });
                }
            }
        }
    }
    let mut seats: PageTable<Vec<Seat>> = Table::from_fn(site.pages.len(), |_| Vec::new());
    for (chart_id, chart) in charts.enumerate() {
        for (body_index, body) in chart.bodies.iter().enumerate() {
            for &member in &body.members {
                seats[member].push(Seat {
                    chart: chart_id,
                    body: body_index,
                });
            }
        }
    }
    (charts, seats)
}

fn bodies_of(site: &Site, page: PageId, items: &[FieldValue]) -> Vec<Body> {
    let text = |fields: &indexmap::IndexMap<String, FieldValue>, key: &str| match fields.get(key) {
        Some(FieldValue::Text(t) | FieldValue::Markdown(t) | FieldValue::Choice(t)) => {
            Some(t.clone())
        }
        _ => None,
    };
    let all_members: Vec<PageId> = match site.pages[page].front.fields.get(MEMBERS_FIELD) {
        Some(value) => referenced_pages(site, value),
        None => Vec::new(),
    };
    let objects: Vec<&indexmap::IndexMap<String, FieldValue>> = items
        .iter()
        .filter_map(|item| match item {
            FieldValue::Object(fields) => Some(fields),
            _ => None,
        })
        .collect();
    // Relations name bodies by id; ones the checks refused (unknown ids)
    // are left out.
    let ids: Vec<String> = objects
        .iter()
        .map(|fields| text(fields, "id").unwrap_or_default())
        .collect();
    objects
        .iter()
        .zip(&ids)
        .map(|(fields, id)| {
            let mut body = Body {
                id: id.clone(),
                name: text(fields, "name").unwrap_or_default(),
                in_text: text(fields, "in_text"),
                description: text(fields, "description"),
                composition: text(fields, "composition"),
                collects: text(fields, "collects"),
                ..Body::default()
            };
            if let Some(members) = fields.get("members") {
                body.all_members = contains_keyword(members, ALL_MEMBERS);
                body.members = if body.all_members {
                    all_members.clone()
                } else {
                    referenced_pages(site, members)
                };
            }
            if let Some(collection) = &body.collects {
                for backref in &site.backrefs[page] {
                    let from = backref.from;
                    let in_collection =
                        site.pages[from].collection.as_deref() == Some(collection.as_str());
                    if in_collection && !body.collected.contains(&from) {
                        body.collected.push(from);
                    }
                }
            }
            if let Some(FieldValue::List(relations)) = fields.get("relations") {
                for relation in relations {
                    let FieldValue::Object(relation) = relation else {
                        continue;
                    };
                    let kind = text(relation, "type").and_then(|k| RelationKind::from_key(&k));
                    let to =
                        text(relation, "to").and_then(|to| ids.iter().position(|id| *id == to));
                    if let (Some(kind), Some(to)) = (kind, to) {
                        body.relations.push(Relation { kind, to });
                    }
                }
            }
            body
        })
        .collect()
}

fn referenced_pages(site: &Site, value: &FieldValue) -> Vec<PageId> {
    match value {
        FieldValue::Reference(r) => site.referenced_page(r).into_iter().collect(),
        FieldValue::List(items) => items
            .iter()
            .flat_map(|v| referenced_pages(site, v))
            .collect(),
        _ => Vec::new(),
    }
}

fn contains_keyword(value: &FieldValue, keyword: &str) -> bool {
    match value {
        FieldValue::Reference(r) => r.is_keyword && r.target == keyword,
        FieldValue::List(items) => items.iter().any(|v| contains_keyword(v, keyword)),
        _ => false,
    }
}

impl OrgChart {
    /// The URL of the chart page, below the page's own.
    pub fn url(&self, site: &Site) -> String {
        format!("{}{CHART_DIR}", site.url(self.page))
    }

    /// The URL of the drawing as a file of its own.
    pub fn file_url(&self, site: &Site) -> String {
        format!("{}{CHART_FILE}", self.url(site))
    }

    /// The output path of the chart page's folder.
    pub fn out_dir(&self, site: &Site) -> String {
        format!("{}{CHART_DIR}", site.pages[self.page].url_path)
    }
}
