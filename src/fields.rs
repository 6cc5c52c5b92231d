//! The vocabulary of a collection's schema in `twn.yaml`: its fields and
//! their kinds. Settings read it, front matter is checked against it, and
//! organisation charts describe their bodies in it.

use crate::diagnostics::{Diagnostic, Position};
use crate::folders::CONFIG_FILE;
use crate::suggest::closest;
use indexmap::IndexMap;
use serde::Deserialize;
use serde_saphyr::Spanned;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Collection {
    /// Title of the collection's index page, e.g. "Werkplaatsen".
    pub title: String,
    /// Name of one page of the collection, e.g. "Werkplaats".
    pub singular: String,
    #[serde(default)]
    pub description: Option<String>,
    /// Field whose value sorts the index page (descending for dates).
    #[serde(default)]
    pub sort_by: Option<String>,
    /// Fields the index can be filtered by (a `choice` or a `reference`,
    /// or a list of them): each value gets a page of its own.
    #[serde(default)]
    pub filters: Vec<Spanned<String>>,
    #[serde(default)]
    pub fields: IndexMap<String, FieldSpec>,
}

/// What a filter's values are.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FilterValues<'a> {
    /// The values of a `choice`.
    Choices(&'a [Spanned<String>]),
    /// The pages of this collection.
    Pages(&'a str),
}

impl Collection {
    /// The filters of the index that are defined right, with the folder
    /// below the index that holds each one's pages.
    pub fn filters(&self) -> impl Iterator<Item = (&str, &FieldSpec, FilterValues<'_>, String)> {
        let mut taken: Vec<String> = Vec::new();
        let mut found = Vec::new();
        for name in &self.filters {
            let Some((field, spec)) = self.fields.get_key_value(&name.value) else {
                continue;
            };
            let Some(values) = spec.filter_values() else {
                continue;
            };
            let folder = filter_folder(field, values, &taken);
            taken.push(folder.clone());
            found.push((field.as_str(), spec, values, folder));
        }
        found.into_iter()
    }

    /// Whether a page named `slug` would take the place of a filter's folder.
    pub fn is_filter_folder(&self, slug: &str) -> bool {
        self.filters().any(|(_, _, _, folder)| folder == slug)
    }
}

/// The folder of a filter's pages below the index: a reference's
/// collection (`thema`) unless an earlier filter has it, else the field's
/// name as a slug (`status`).
pub fn filter_folder(field: &str, values: FilterValues, taken: &[String]) -> String {
    match values {
        FilterValues::Pages(collection) if !taken.iter().any(|t| t == collection) => {
            collection.to_owned()
        }
        _ => crate::slug::slugify(field),
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    #[serde(rename = "type")]
    pub kind: Spanned<FieldKind>,
    #[serde(default)]
    pub required: bool,
    /// Label shown to readers, e.g. "Deelnemers".
    #[serde(default)]
    pub label: Option<String>,
    /// For references: how the referenced page names this link back,
    /// e.g. "Neemt deel aan" on an organisatie page.
    #[serde(default)]
    pub backlink_label: Option<String>,
    /// For `choice`: the allowed values, with where each is written.
    #[serde(default)]
    pub values: Vec<Spanned<String>>,
    /// For `reference`: the collection referred to.
    #[serde(default)]
    pub collection: Option<Spanned<String>>,
    /// For `reference`: extra words allowed instead of a slug, e.g. `alle`.
    #[serde(default)]
    pub also: Vec<String>,
    /// For `list`: the type of each item.
    #[serde(default)]
    pub of: Option<Box<FieldSpec>>,
    /// For `object`: its own fields.
    #[serde(default)]
    pub fields: IndexMap<String, FieldSpec>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldKind {
    Text,
    Markdown,
    Date,
    Number,
    Boolean,
    Url,
    Email,
    Choice,
    Reference,
    List,
    Object,
    /// The bodies of an organisation, drawn as a chart; `collection` names
    /// where their members are.
    Bodies,
}

impl FieldSpec {
    /// The allowed values of a `choice`, as written.
    pub fn choices(&self) -> impl Iterator<Item = &str> + Clone {
        self.values.iter().map(|v| v.value.as_str())
    }

    /// What a filter by this field offers, if it can filter.
    pub fn filter_values(&self) -> Option<FilterValues<'_>> {
        match self.kind.value {
            FieldKind::Choice => Some(FilterValues::Choices(&self.values)),
            FieldKind::Reference => self
                .collection
                .as_ref()
                .map(|c| FilterValues::Pages(c.value.as_str())),
            FieldKind::List => self.of.as_ref()?.filter_values(),
            _ => None,
        }
    }

    /// The problems of field `name`'s definition in twn.yaml (`text`).
    pub(crate) fn check(&self, name: &str, collections: &[&str], text: &str) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        let at = |spanned_line: u64, spanned_col: u64| {
            Position::new(spanned_line.max(1) as usize, spanned_col.max(1) as usize)
        };
        let here = at(self.kind.referenced.line(), self.kind.referenced.column());
        let mut problem = |message: String, help: &str| {
            problems.push(
                Diagnostic::error(CONFIG_FILE, message)
                    .at(text, here)
                    .help(help),
            );
        };
        match self.kind.value {
            FieldKind::Choice if self.values.is_empty() => problem(
                format!("veld `{name}` is een keuze maar heeft geen `values`"),
                "geef de toegestane waarden, bijvoorbeeld `values: [gepland, actief, afgerond]`",
            ),
            FieldKind::Reference | FieldKind::Bodies => {
                match &self.collection {
                    None if self.kind.value == FieldKind::Bodies => problem(
                        format!(
                            "veld `{name}` bevat organen maar noemt niet de collectie van hun leden (`collection`)"
                        ),
                        "zeg in welke collectie de leden staan, bijvoorbeeld `collection: organisatie`",
                    ),
                    None => problem(
                        format!("veld `{name}` is een verwijzing maar noemt geen `collection`"),
                        "zeg naar welke collectie het verwijst, bijvoorbeeld `collection: organisatie`",
                    ),
                    Some(target) if !collections.contains(&target.value.as_str()) => {
                        let suggestion = closest(&target.value, collections.iter().copied())
                            .map_or(String::new(), |s| format!("; bedoelt u `{s}`?"));
                        problems.push(
                        Diagnostic::error(
                            CONFIG_FILE,
                            format!("veld `{name}` verwijst naar onbekende collectie `{}`{suggestion}", target.value),
                        )
                        .at(text, at(target.referenced.line(), target.referenced.column()))
                        .marker(target.value.chars().count())
                        .help(format!("`collection` noemt één van de collecties in twn.yaml: {}", collections.join(", "))),
                    );
                    }
                    Some(_) => {}
                }
            }
            FieldKind::List => match &self.of {
                None => problem(
                    format!("veld `{name}` is een lijst maar zegt niet waarvan (`of`)"),
                    "geef het type van de items, bijvoorbeeld `of: { type: text }`",
                ),
                Some(item) => problems.extend(item.check(name, collections, text)),
            },
            FieldKind::Object => {
                for (field, spec) in &self.fields {
                    problems.extend(spec.check(&format!("{name}.{field}"), collections, text));
                }
            }
            _ => {}
        }
        problems
    }

    /// The referenced collection, for reference fields and lists of them.
    pub fn referenced_collection(&self) -> Option<&str> {
        match self.kind.value {
            FieldKind::Reference => self.collection.as_ref().map(|c| c.value.as_str()),
            FieldKind::List => self.of.as_ref().and_then(|o| o.referenced_collection()),
            _ => None,
        }
    }
}
