//! The typed values validation gives a page: its front matter, and the
//! references and old URLs in it that later stages check.

use crate::diagnostics::Position;
use crate::yaml::{Node, Value};
use indexmap::IndexMap;
use jiff::civil::Date;

#[derive(Debug, Clone, PartialEq)]
pub enum FieldValue {
    Text(String),
    /// Markdown source; rendered together with the page.
    Markdown(String),
    Date(Date),
    Number(f64),
    Bool(bool),
    Url(String),
    Email(String),
    Choice(String),
    Reference(Reference),
    List(Vec<FieldValue>),
    Object(IndexMap<String, FieldValue>),
}

impl FieldValue {
    /// A value the schema does not describe, as YAML wrote it.
    pub fn as_written(node: &Node) -> FieldValue {
        match &node.value {
            Value::Bool(b) => FieldValue::Bool(*b),
            Value::Int(i) => FieldValue::Number(*i as f64),
            Value::Float(f) => FieldValue::Number(*f),
            Value::List(items) => {
                FieldValue::List(items.iter().map(FieldValue::as_written).collect())
            }
            Value::Map(entries) => FieldValue::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.plain_text(), FieldValue::as_written(v)))
                    .collect(),
            ),
            Value::Null => FieldValue::Text(String::new()),
            Value::Str(s) => FieldValue::Text(s.clone()),
        }
    }
}

/// A front-matter reference to another page, checked once all pages are known.
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    pub collection: String,
    /// What the editor wrote: a slug, or one of the field's `also` words.
    pub target: String,
    /// True for an `also` word such as `alle`, which names no page.
    pub is_keyword: bool,
    pub position: Position,
}

/// An old URL of a page, checked and normalised as the page is read.
#[derive(Debug, Clone, PartialEq)]
pub struct Alias {
    /// As the editor wrote it, for messages.
    pub written: String,
    /// Below the site's base, without slashes at either end, e.g. `oud/twn`.
    pub url_path: String,
    pub position: Position,
}

#[derive(Debug, Clone, Default)]
pub struct FrontMatter {
    pub title: String,
    pub description: Option<String>,
    pub updated: Option<Date>,
    pub aliases: Vec<Alias>,
    pub draft: bool,
    /// The collection's own fields, in the order the schema declares them.
    pub fields: IndexMap<String, FieldValue>,
    /// Fields the schema does not know or whose value it rejects, as plain
    /// text: an old version's diff still shows what changed in them.
    pub unread: IndexMap<String, FieldValue>,
}
