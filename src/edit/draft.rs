//! A page's front matter as the editor holds it while it is edited: every
//! value as the text in its form field, lists and groups as they nest.
//! Made from the file's YAML or from a posted form, and compared with what
//! the file said, so that unchanged fields keep their text.

use crate::yaml::{Node, Value};
use indexmap::IndexMap;

#[derive(Debug, Clone, PartialEq)]
pub enum Draft {
    Text(String),
    List(Vec<Draft>),
    Object(IndexMap<String, Draft>),
}

/// One step from a form's top to a field: a key of a group or an item of
/// a list.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Step {
    Key(String),
    Item(usize),
}

pub type FieldPath = Vec<Step>;

/// The most items a list in a form may have.
pub const MAX_ITEMS: usize = 10_000;
/// The deepest a form's field may lie: far below what a schema nests,
/// far above what would run the preview's stack out.
pub const MAX_DEPTH: usize = 32;

impl Draft {
    /// A value as the file has it.
    pub fn from_node(node: &Node) -> Draft {
        match &node.value {
            Value::List(items) => Draft::List(items.iter().map(Draft::from_node).collect()),
            Value::Map(entries) => Draft::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.plain_text(), Draft::from_node(v)))
                    .collect(),
            ),
            _ => Draft::Text(node.text().unwrap_or_default()),
        }
    }

    pub fn text(&self) -> &str {
        match self {
            Draft::Text(t) => t,
            _ => "",
        }
    }

    /// Without what an editor left blank: empty texts, and lists and groups
    /// with nothing in them. `None` when nothing is left.
    pub fn pruned(&self) -> Option<Draft> {
        match self {
            Draft::Text(t) if t.trim().is_empty() => None,
            Draft::Text(t) => Some(Draft::Text(t.clone())),
            Draft::List(items) => {
                let kept: Vec<Draft> = items.iter().filter_map(Draft::pruned).collect();
                (!kept.is_empty()).then_some(Draft::List(kept))
            }
            Draft::Object(fields) => {
                let kept: IndexMap<String, Draft> = fields
                    .iter()
                    .filter_map(|(k, v)| Some((k.clone(), v.pruned()?)))
                    .collect();
                (!kept.is_empty()).then_some(Draft::Object(kept))
            }
        }
    }

    /// The value at `path`, if there is one.
    pub fn at(&self, path: &[Step]) -> Option<&Draft> {
        let Some((first, rest)) = path.split_first() else {
            return Some(self);
        };
        match (self, first) {
            (Draft::Object(fields), Step::Key(key)) => fields.get(key)?.at(rest),
            (Draft::List(items), Step::Item(i)) => items.get(*i)?.at(rest),
            _ => None,
        }
    }

    /// The value at `path`, made where it is missing.
    fn entry(&mut self, path: &[Step]) -> &mut Draft {
        let Some((first, rest)) = path.split_first() else {
            return self;
        };
        match first {
            Step::Key(key) => {
                if !matches!(self, Draft::Object(_)) {
                    *self = Draft::Object(IndexMap::new());
                }
                let Draft::Object(fields) = self else {
                    unreachable!("made a group above")
                };
                let next = match rest.first() {
                    Some(Step::Item(_)) => Draft::List(Vec::new()),
                    Some(Step::Key(_)) => Draft::Object(IndexMap::new()),
                    None => Draft::Text(String::new()),
                };
                fields.entry(key.clone()).or_insert(next).entry(rest)
            }
            Step::Item(i) => {
                if !matches!(self, Draft::List(_)) {
                    *self = Draft::List(Vec::new());
                }
                let Draft::List(items) = self else {
                    unreachable!("made a list above")
                };
                while items.len() <= *i {
                    items.push(Draft::Text(String::new()));
                }
                if let Some(Step::Key(_)) = rest.first()
                    && !matches!(items[*i], Draft::Object(_))
                {
                    items[*i] = Draft::Object(IndexMap::new());
                }
                items[*i].entry(rest)
            }
        }
    }

    /// Whether `path` starts at a field and each item it names is in its
    /// list or right after its end, as a form posts them: a posted name
    /// cannot make a list longer than the names posted.
    pub fn reaches(&self, path: &[Step]) -> bool {
        if !matches!(path.first(), Some(Step::Key(_))) {
            return false;
        }
        let mut here = Some(self);
        for step in path {
            here = match (here, step) {
                (Some(Draft::Object(fields)), Step::Key(key)) => fields.get(key),
                (Some(Draft::List(items)), Step::Item(i)) if *i <= items.len() => items.get(*i),
                (None | Some(Draft::Text(_)), Step::Item(0)) => None,
                (None | Some(Draft::Text(_)), Step::Key(_)) => None,
                _ => return false,
            };
        }
        true
    }

    /// Sets the text at `path`, making the groups and lists on the way.
    pub fn set(&mut self, path: &[Step], text: String) {
        *self.entry(path) = Draft::Text(text);
    }

    /// Makes `path` an empty list if nothing is there yet.
    pub fn ensure_list(&mut self, path: &[Step]) {
        let entry = self.entry(path);
        if let Draft::Text(t) = entry
            && t.is_empty()
        {
            *entry = Draft::List(Vec::new());
        }
    }

    /// The list at `path`, if it is one.
    pub fn list_mut(&mut self, path: &[Step]) -> Option<&mut Vec<Draft>> {
        match self.entry(path) {
            Draft::List(items) => Some(items),
            _ => None,
        }
    }
}

/// A field's name in a form: `f.bodies[1].relations[0].to`. Keys are
/// escaped so that any key the YAML allows survives the trip.
pub fn form_name(path: &[Step]) -> String {
    let mut name = String::from("f");
    for step in path {
        match step {
            Step::Key(key) => {
                name.push('.');
                // Only letters, digits, `-` and `_` as they are: the name
                // stands in HTML attributes, and `.`, `[` and `%` mean
                // something in it.
                for c in key.chars() {
                    if c.is_alphanumeric() || c == '-' || c == '_' {
                        name.push(c);
                    } else {
                        for byte in c.encode_utf8(&mut [0; 4]).bytes() {
                            name.push_str(&format!("%{byte:02X}"));
                        }
                    }
                }
            }
            Step::Item(i) => name.push_str(&format!("[{i}]")),
        }
    }
    name
}

/// The path a form name stands for; `None` for names that are not fields.
pub fn parse_form_name(name: &str) -> Option<FieldPath> {
    let mut rest = name.strip_prefix('f')?;
    let mut path = Vec::new();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('.') {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            let key = crate::urls::percent_decode(&after[..end])?;
            path.push(Step::Key(key));
            rest = &after[end..];
        } else if let Some(after) = rest.strip_prefix('[') {
            let end = after.find(']')?;
            // No form has this many items: a larger number is not a field.
            let index: usize = after[..end].parse().ok()?;
            path.push(Step::Item(Some(index).filter(|&i| i < MAX_ITEMS)?));
            rest = &after[end + 1..];
        } else {
            return None;
        }
        if path.len() > MAX_DEPTH {
            return None;
        }
    }
    Some(path)
}

/// A readable id for an element, from a form name: letters, digits and `-`.
pub fn element_id(path: &[Step]) -> String {
    let mut id = String::from("veld");
    for step in path {
        id.push('-');
        match step {
            Step::Key(key) => id.push_str(&crate::slug::slugify(key)),
            Step::Item(i) => id.push_str(&i.to_string()),
        }
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_names_go_both_ways_with_any_key() {
        let path = vec![
            Step::Key("bodies".into()),
            Step::Item(12),
            Step::Key("a.b[c]%".into()),
        ];
        let name = form_name(&path);
        assert_eq!(name, "f.bodies[12].a%2Eb%5Bc%5D%25");
        assert_eq!(parse_form_name(&name), Some(path));
        let in_html = vec![Step::Key("x\"><meta http-equiv=refresh> é\u{202e}".into())];
        let name = form_name(&in_html);
        assert_eq!(
            name,
            "f.x%22%3E%3Cmeta%20http-equiv%3Drefresh%3E%20é%E2%80%AE"
        );
        assert_eq!(parse_form_name(&name), Some(in_html));
        assert_eq!(parse_form_name("token"), None);
        let deep = format!("f.aliases{}", "[0]".repeat(MAX_DEPTH));
        assert_eq!(parse_form_name(&deep), None, "deeper than any form");
        assert_eq!(parse_form_name("f[x]"), None);
    }

    #[test]
    fn a_posted_name_reaches_no_further_than_the_end_of_its_list() {
        let mut draft = Draft::Object(IndexMap::new());
        let reaches = |draft: &Draft, name: &str| draft.reaches(&parse_form_name(name).unwrap());
        assert!(reaches(&draft, "f.bodies[0].name"));
        assert!(!reaches(&draft, "f.bodies[1].name"), "past the end");
        assert!(!reaches(&draft, "f[0]"), "not a field");
        draft.set(&parse_form_name("f.bodies[0].name").unwrap(), "a".into());
        assert!(reaches(&draft, "f.bodies[1].members[0]"));
        assert!(reaches(&draft, "f.bodies[0].name"));
        assert!(!reaches(&draft, "f.bodies[0].members[9999]"));
        assert!(!reaches(&draft, "f.bodies.x"), "a list is no group");
    }

    #[test]
    fn posted_values_build_the_nesting() {
        let mut draft = Draft::Object(IndexMap::new());
        draft.set(
            &parse_form_name("f.bodies[1].name").unwrap(),
            "Kernteam".into(),
        );
        draft.set(&parse_form_name("f.members[0]").unwrap(), "almelo".into());
        assert_eq!(
            draft.at(&parse_form_name("f.bodies[1].name").unwrap()),
            Some(&Draft::Text("Kernteam".into()))
        );
        let pruned = draft.pruned().unwrap();
        let Some(Draft::List(bodies)) = pruned.at(&[Step::Key("bodies".into())]) else {
            panic!("{pruned:?}")
        };
        assert_eq!(bodies.len(), 1, "the blank first body is left out");
    }
}
