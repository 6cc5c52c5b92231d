//! Organisation charts: the `bodies` of a page (a field of `type: bodies`),
//! their relations, members and the pages they collect. Checked with
//! positions while the front matter is read ([`check`]); the resolved
//! site fills them in (`resolve::charts`), and `drawing` lays them out and
//! draws them. Nothing here knows the site.

pub mod check;
pub mod synthetic;

use crate::fields::FieldSpec;
use crate::ids::{ChartId, PageId};

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
    pub members: Vec<PageId>,
    pub all_members: bool,
    /// Pages of the collection named in `collects` that belong to the page.
    pub collected: Vec<PageId>,
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
    pub page: PageId,
    pub bodies: Vec<Body>,
}

/// A body an organisation sits in.
#[derive(Debug, Clone, Copy)]
pub struct Seat {
    pub chart: ChartId,
    pub body: usize,
}

/// The front-matter shape of one body. `members` names pages of
/// `member_collection`; `collects` names one of `collections`.
pub fn body_spec(member_collection: &str, collections: &[&str]) -> FieldSpec {
    let yaml = format!(
        "type: object
fields:
  id: {{ type: text, required: true, label: Kenmerk }}
  name: {{ type: text, required: true, label: Naam }}
  in_text: {{ type: text, label: Naam in een zin }}
  description: {{ type: markdown, label: Beschrijving }}
  composition: {{ type: text, label: Samenstelling }}
  members:
    type: list
    label: Leden
    of: {{ type: reference, collection: {member_collection}, also: [{ALL_MEMBERS}] }}
  collects: {{ type: choice, values: [{collections}], label: Verzamelt }}
  relations:
    type: list
    label: Relaties
    of:
      type: object
      fields:
        type: {{ type: choice, required: true, values: [{kinds}], label: Soort }}
        to: {{ type: text, required: true, label: Naar }}
",
        collections = collections.join(", "),
        kinds = RelationKind::ALL.map(RelationKind::key).join(", "),
    );
    serde_saphyr::from_str(&yaml).expect("the built-in body schema is valid YAML")
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
}
