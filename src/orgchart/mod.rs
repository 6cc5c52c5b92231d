//! Organisation charts: the `bodies` of a page (a field of `type: bodies`),
//! their relations, members and the pages they collect. Checked with
//! positions while the front matter is read ([`check`]), resolved against
//! the site here, laid out ([`layout`], edges routed in `route`) and drawn
//! ([`svg`]) at render time.

pub mod check;
pub mod layout;
mod route;
pub mod svg;
pub mod synthetic;
pub mod text;

use crate::config::FieldSpec;
use crate::resolve::Site;
use crate::schema::FieldValue;

/// Folder of a page's chart page, below the page's own URL.
pub const CHART_DIR: &str = "organisatie/";
/// The chart on its own, for the preview on the page and for reuse elsewhere.
pub const CHART_FILE: &str = "organogram.svg";
/// The word in `members` that stands for every member of the page.
pub const ALL_MEMBERS: &str = "alle";
/// The page field whose references `alle` stands for.
pub const MEMBERS_FIELD: &str = "members";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RelationKind {
    StuurtAan,
    OnderdeelVan,
    RapporteertAan,
    Adviseert,
    Ondersteunt,
}

impl RelationKind {
    pub const ALL: [RelationKind; 5] = [
        RelationKind::StuurtAan,
        RelationKind::OnderdeelVan,
        RelationKind::RapporteertAan,
        RelationKind::Adviseert,
        RelationKind::Ondersteunt,
    ];

    /// The word editors write in `type:`.
    pub fn key(self) -> &'static str {
        match self {
            RelationKind::StuurtAan => "stuurt-aan",
            RelationKind::OnderdeelVan => "onderdeel-van",
            RelationKind::RapporteertAan => "rapporteert-aan",
            RelationKind::Adviseert => "adviseert",
            RelationKind::Ondersteunt => "ondersteunt",
        }
    }

    pub fn from_key(key: &str) -> Option<RelationKind> {
        Self::ALL.into_iter().find(|k| k.key() == key)
    }

    /// Hierarchy relations set the layers of the chart and may not form a
    /// cycle; the others are drawn between whatever layers they connect.
    pub fn is_hierarchy(self) -> bool {
        matches!(self, RelationKind::StuurtAan | RelationKind::OnderdeelVan)
    }

    /// For a hierarchy relation from `from` to `to`: (upper, lower).
    pub fn upper_lower(self, from: usize, to: usize) -> (usize, usize) {
        match self {
            RelationKind::OnderdeelVan => (to, from),
            _ => (from, to),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Relation {
    pub kind: RelationKind,
    /// Index of the body it points to.
    pub to: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Body {
    pub id: String,
    pub name: String,
    /// How a sentence names it, with its article ("het ambtelijk platform").
    pub in_text: Option<String>,
    /// Markdown source.
    pub description: Option<String>,
    pub composition: Option<String>,
    /// Member pages, `alle` already expanded.
    pub members: Vec<usize>,
    pub all_members: bool,
    /// Pages of the collection named in `collects` that belong to the page.
    pub collected: Vec<usize>,
    pub collects: Option<String>,
    pub relations: Vec<Relation>,
}

impl Body {
    /// The name as it reads inside a sentence.
    pub fn name_in_text(&self) -> &str {
        self.in_text.as_deref().unwrap_or(&self.name)
    }

    pub fn anchor(&self) -> String {
        format!("orgaan-{}", self.id)
    }
}

/// The chart of one page.
#[derive(Debug, Clone)]
pub struct OrgChart {
    /// The page the bodies are written on.
    pub page: usize,
    pub bodies: Vec<Body>,
}

/// A body an organisation sits in.
#[derive(Debug, Clone, Copy)]
pub struct Seat {
    pub chart: usize,
    pub body: usize,
}

/// The front-matter shape of one body. `members` names pages of
/// `member_collection`; `collects` names one of `collections`.
pub fn body_spec(member_collection: &str, collections: &[&str]) -> FieldSpec {
    let yaml = format!(
        "type: object
fields:
  id: {{ type: text, required: true }}
  name: {{ type: text, required: true }}
  in_text: {{ type: text }}
  description: {{ type: markdown }}
  composition: {{ type: text }}
  members:
    type: list
    of: {{ type: reference, collection: {member_collection}, also: [{ALL_MEMBERS}] }}
  collects: {{ type: choice, values: [{collections}] }}
  relations:
    type: list
    of:
      type: object
      fields:
        type: {{ type: choice, required: true, values: [{kinds}] }}
        to: {{ type: text, required: true }}
",
        collections = collections.join(", "),
        kinds = RelationKind::ALL.map(RelationKind::key).join(", "),
    );
    serde_saphyr::from_str(&yaml).expect("the built-in body schema is valid YAML")
}

/// Every chart of the site, and per page the bodies it sits in.
pub fn resolve_charts(site: &Site) -> (Vec<OrgChart>, Vec<Vec<Seat>>) {
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
                .filter(|(_, field)| field.kind.value == crate::config::FieldKind::Bodies)
                .map(|(name, _)| name.as_str())
                .collect();
            (!fields.is_empty()).then_some((collection.as_str(), fields))
        })
        .collect();
    let mut charts = Vec::new();
    for (page_index, page) in site.pages.iter().enumerate() {
        let Some((_, fields)) = page
            .collection
            .as_deref()
            .and_then(|c| body_fields.iter().find(|(collection, _)| *collection == c))
        else {
            continue;
        };
        for &name in fields {
            if let Some(FieldValue::List(items)) = page.front.fields.get(name) {
                let bodies = bodies_of(site, page_index, items);
                if !bodies.is_empty() {
                    charts.push(OrgChart {
                        page: page_index,
                        bodies,
                    });
                }
            }
        }
    }
    let mut seats = vec![Vec::new(); site.pages.len()];
    for (chart_index, chart) in charts.iter().enumerate() {
        for (body_index, body) in chart.bodies.iter().enumerate() {
            for &member in &body.members {
                seats[member].push(Seat {
                    chart: chart_index,
                    body: body_index,
                });
            }
        }
    }
    (charts, seats)
}

fn bodies_of(site: &Site, page: usize, items: &[FieldValue]) -> Vec<Body> {
    let text = |fields: &indexmap::IndexMap<String, FieldValue>, key: &str| match fields.get(key) {
        Some(FieldValue::Text(t) | FieldValue::Markdown(t) | FieldValue::Choice(t)) => {
            Some(t.clone())
        }
        _ => None,
    };
    let all_members: Vec<usize> = match site.pages[page].front.fields.get(MEMBERS_FIELD) {
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

fn referenced_pages(site: &Site, value: &FieldValue) -> Vec<usize> {
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
    /// Every relation as (from, kind, to), in the order written.
    pub fn relations(&self) -> impl Iterator<Item = (usize, RelationKind, usize)> + '_ {
        self.bodies.iter().enumerate().flat_map(|(from, body)| {
            body.relations
                .iter()
                .map(move |relation| (from, relation.kind, relation.to))
        })
    }

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
