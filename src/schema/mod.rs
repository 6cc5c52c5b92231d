//! Validating a page's front matter against its collection's schema: typed
//! values out, one diagnostic per problem, references kept for the resolver.

use crate::diagnostics::{Diagnostic, Position, find_written};
use crate::fields::{FieldKind, FieldSpec};
use crate::source::SourceFile;
use crate::suggest::closest;
use crate::yaml::{Node, Value};
use indexmap::IndexMap;
use jiff::civil::Date;

mod date;
mod values;

pub use date::{InvalidDate, parse_date};
pub use values::{Alias, FieldValue, FrontMatter, Reference};

/// Fields every page may have, whatever its collection.
pub const COMMON_FIELDS: [&str; 5] = ["title", "updated", "aliases", "draft", "description"];

struct Validator<'a> {
    file: &'a SourceFile,
    diagnostics: Vec<Diagnostic>,
}

/// Validates `node` (the whole front matter) against `fields`.
pub fn validate(
    file: &SourceFile,
    node: &Node,
    fields: &IndexMap<String, FieldSpec>,
) -> (FrontMatter, Vec<Diagnostic>) {
    let mut v = Validator {
        file,
        diagnostics: Vec::new(),
    };
    let mut front_matter = FrontMatter::default();
    let Value::Map(entries) = &node.value else {
        let message = match node.value {
            Value::Null => "de kopgegevens zijn leeg".to_owned(),
            _ => format!(
                "de kopgegevens moeten velden zijn (`naam: waarde`), maar dit is {}",
                node.value.kind_name()
            ),
        };
        v.error(
            node.position,
            1,
            message,
            "schrijf op elke regel een veld, bijvoorbeeld `title: Almelo`",
        );
        return (front_matter, v.diagnostics);
    };
    for (key, value) in entries {
        refuse_control_characters(&mut v, key);
        refuse_control_characters(&mut v, value);
    }
    let known: Vec<&str> = COMMON_FIELDS
        .iter()
        .copied()
        .chain(fields.keys().map(String::as_str))
        .collect();
    for (key, value) in entries {
        let Some(name) = v.key_name(key) else {
            continue;
        };
        match name {
            "title" => front_matter.title = v.text(value).unwrap_or_default(),
            "description" => front_matter.description = v.text(value),
            "updated" => front_matter.updated = v.date(value),
            "draft" => front_matter.draft = v.boolean(value).unwrap_or(false),
            "aliases" => {
                front_matter.aliases = v.list(value, |v, item| v.alias(item)).unwrap_or_default();
            }
            _ => match fields.get(name) {
                Some(spec) => {
                    match v.value(value, spec) {
                        Some(typed) => {
                            front_matter.fields.insert(name.to_owned(), typed);
                        }
                        None if value.value != Value::Null => {
                            front_matter
                                .unread
                                .insert(name.to_owned(), FieldValue::as_written(value));
                        }
                        None => {}
                    }
                    if spec.kind.value == FieldKind::Bodies {
                        v.diagnostics
                            .extend(crate::orgchart::check::check_bodies(file, value, node));
                    }
                }
                None => {
                    v.unknown_field(key, name, &known);
                    front_matter
                        .unread
                        .insert(name.to_owned(), FieldValue::as_written(value));
                }
            },
        }
    }
    let start = Position::new(1, 1);
    if !entries
        .iter()
        .any(|(k, _)| k.value == Value::Str("title".into()))
    {
        v.error(
            start,
            3,
            "verplicht veld `title` ontbreekt".into(),
            "voeg de titel van de pagina toe, bijvoorbeeld `title: Almelo`",
        );
    } else if front_matter.title.trim().is_empty() {
        let at = node.get("title").map_or(start, |n| n.position);
        v.error(
            at,
            1,
            "de titel is leeg".into(),
            "geef de pagina een titel, bijvoorbeeld `title: Almelo`",
        );
    }
    v.missing_required(start, fields, &present_keys(entries));
    // Keep the schema's order, so pages list their fields the same way.
    let mut ordered = IndexMap::new();
    for name in fields.keys() {
        if let Some(value) = front_matter.fields.swap_remove(name) {
            ordered.insert(name.clone(), value);
        }
    }
    front_matter.fields = ordered;
    (front_matter, v.diagnostics)
}

/// Control characters (in quotes written as `\u0001`, `\x1b` or `\e`)
/// mean nothing to a reader, and XML forbids them: the Atom feed and the
/// organisation chart's drawing would not open.
fn refuse_control_characters(v: &mut Validator, node: &Node) {
    match &node.value {
        Value::Str(text) => {
            let control = text
                .chars()
                .find(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'));
            if let Some(control) = control {
                v.error(
                    node.position,
                    1,
                    format!(
                        "deze tekst bevat een onzichtbaar stuurteken (U+{:04X}), dat lezers niet zien en waardoor de feed en het organogram niet meer openen",
                        u32::from(control)
                    ),
                    "haal het teken weg; tussen aanhalingstekens staat het er vaak als `\\u0001`, `\\x1b` of `\\e`",
                );
            }
        }
        Value::List(items) => items
            .iter()
            .for_each(|item| refuse_control_characters(v, item)),
        Value::Map(entries) => entries.iter().for_each(|(key, value)| {
            refuse_control_characters(v, key);
            refuse_control_characters(v, value);
        }),
        _ => {}
    }
}

impl Validator<'_> {
    fn error(&mut self, at: Position, marker: usize, message: String, help: &str) {
        let error = Diagnostic::error(&self.file.display_path, message);
        self.push_at(error, at, marker, help);
    }

    fn warning(&mut self, at: Position, marker: usize, message: String, help: &str) {
        let warning = Diagnostic::warning(&self.file.display_path, message);
        self.push_at(warning, at, marker, help);
    }

    /// Adds `diagnostic`, pointing at `marker` characters from `at`.
    fn push_at(&mut self, diagnostic: Diagnostic, at: Position, marker: usize, help: &str) {
        self.diagnostics
            .push(diagnostic.at(&self.file.text, at).marker(marker).help(help));
    }

    fn key_name<'n>(&mut self, key: &'n Node) -> Option<&'n str> {
        match &key.value {
            Value::Str(name) => Some(name),
            other => {
                self.error(
                    key.position,
                    1,
                    format!(
                        "een veldnaam moet tekst zijn, maar dit is {}",
                        other.kind_name()
                    ),
                    "gebruik een naam uit de lijst van velden van deze collectie",
                );
                None
            }
        }
    }

    fn unknown_field(&mut self, key: &Node, name: &str, known: &[&str]) {
        let suggestion = closest(name, known.iter().copied());
        let message = match suggestion {
            Some(s) => format!("`{name}`: onbekend veld; bedoelt u `{s}`?"),
            None => format!("`{name}`: onbekend veld"),
        };
        let help = format!("bekende velden zijn: {}", known.join(", "));
        self.warning(key.position, name.chars().count(), message, &help);
    }

    /// Reports required fields that are absent; a field that is present but
    /// invalid has had its own error already.
    fn missing_required(
        &mut self,
        at: Position,
        fields: &IndexMap<String, FieldSpec>,
        present: &[&str],
    ) {
        for (name, spec) in fields {
            if spec.required && !present.contains(&name.as_str()) {
                let example = example_value(spec);
                self.error(
                    at,
                    3,
                    format!("verplicht veld `{name}` ontbreekt"),
                    &format!("voeg het veld toe, bijvoorbeeld `{name}: {example}`"),
                );
            }
        }
    }

    fn value(&mut self, node: &Node, spec: &FieldSpec) -> Option<FieldValue> {
        if node.value == Value::Null {
            if spec.required {
                self.error(
                    node.position,
                    1,
                    "dit verplichte veld is leeg".into(),
                    &format!("vul een waarde in, bijvoorbeeld `{}`", example_value(spec)),
                );
            }
            return None;
        }
        Some(match spec.kind.value {
            FieldKind::Text => {
                let text = self.text(node)?;
                if let Some(at) = text.find("[[").filter(|&at| text[at..].contains("]]")) {
                    let written = &text[at..at + text[at..].find("]]").unwrap_or(0) + 2];
                    self.warning(
                        node.position,
                        text.chars().count(),
                        format!("`{written}` wordt geen link: dit veld is gewone tekst"),
                        "wikilinks werken in de tekst van de pagina en in velden van het type `markdown`; schrijf hier de naam zonder [[ ]], of maak het veld in twn.yaml `type: markdown`",
                    );
                }
                FieldValue::Text(text)
            }
            FieldKind::Markdown => {
                let text = self.text(node)?;
                let value_at = node.position.offset_in(&self.file.text);
                for refused in crate::markdown::refused_urls_in_fragment(&text) {
                    let written = text[refused.range.clone()]
                        .lines()
                        .next()
                        .unwrap_or_default();
                    // Where the link is in the file; a value written with
                    // escapes may not read as it does, so then the value.
                    let (at, marker) = match find_written(&self.file.text, value_at, written) {
                        Some(at) => (
                            Position::of_offset(&self.file.text, at),
                            written.chars().count(),
                        ),
                        None => (node.position, 1),
                    };
                    self.error(at, marker, refused.refused.message, &refused.refused.help);
                }
                FieldValue::Markdown(text)
            }
            FieldKind::Date => FieldValue::Date(self.date(node)?),
            FieldKind::Boolean => FieldValue::Bool(self.boolean(node)?),
            FieldKind::Number => match node.value {
                Value::Int(i) => FieldValue::Number(i as f64),
                Value::Float(f) => FieldValue::Number(f),
                _ => {
                    return self.wrong_kind(
                        node,
                        "een getal",
                        "schrijf alleen cijfers, bijvoorbeeld `3` of `2.5`",
                    );
                }
            },
            FieldKind::Url => {
                let text = self.text(node)?;
                if !(text.starts_with("https://") || text.starts_with("http://")) {
                    self.error(node.position, text.chars().count(), format!("`{text}` is geen webadres"), "een webadres begint met `https://`, bijvoorbeeld `https://www.vechtstromen.nl`");
                    return None;
                }
                FieldValue::Url(text)
            }
            FieldKind::Email => {
                let text = self.text(node)?;
                let valid = text.split_once('@').is_some_and(|(user, domain)| {
                    !user.is_empty()
                        && domain.contains('.')
                        && !domain.starts_with('.')
                        && !domain.ends_with('.')
                        && !text.contains(char::is_whitespace)
                });
                if !valid {
                    self.error(
                        node.position,
                        text.chars().count(),
                        format!("`{text}` is geen e-mailadres"),
                        "een e-mailadres ziet eruit als `info@twentswaternet.nl`",
                    );
                    return None;
                }
                FieldValue::Email(text)
            }
            FieldKind::Choice => {
                let text = self.text(node)?;
                if !spec.choices().any(|c| c == text) {
                    let suggestion = closest(&text, spec.choices())
                        .map_or(String::new(), |s| format!("; bedoelt u `{s}`?"));
                    self.error(
                        node.position,
                        text.chars().count(),
                        format!("`{text}` is geen toegestane waarde{suggestion}"),
                        &format!(
                            "kies één van: {}",
                            spec.choices().collect::<Vec<_>>().join(", ")
                        ),
                    );
                    return None;
                }
                FieldValue::Choice(text)
            }
            FieldKind::Reference => {
                let target = self.text(node)?;
                let collection = spec
                    .collection
                    .as_ref()
                    .map_or_else(String::new, |c| c.value.clone());
                FieldValue::Reference(Reference {
                    is_keyword: spec.also.contains(&target),
                    collection,
                    target,
                    position: node.position,
                })
            }
            FieldKind::List | FieldKind::Bodies => {
                let item_spec = spec.of.as_deref()?;
                let items = self.list(node, |v, item| v.value(item, item_spec))?;
                self.repeated_items(node, item_spec);
                FieldValue::List(items)
            }
            FieldKind::Object => {
                let Value::Map(entries) = &node.value else {
                    return self.wrong_kind(
                        node,
                        "een groep velden",
                        "zet de velden op nieuwe regels, ingesprongen met spaties",
                    );
                };
                let known: Vec<&str> = spec.fields.keys().map(String::as_str).collect();
                let mut object = IndexMap::new();
                for (key, value) in entries {
                    let Some(name) = self.key_name(key) else {
                        continue;
                    };
                    match spec.fields.get(name) {
                        Some(field_spec) => {
                            if let Some(typed) = self.value(value, field_spec) {
                                object.insert(name.to_owned(), typed);
                            }
                        }
                        None => self.unknown_field(key, name, &known),
                    }
                }
                self.missing_required(node.position, &spec.fields, &present_keys(entries));
                FieldValue::Object(object)
            }
        })
    }

    /// A choice or page named twice in one list says nothing more the
    /// second time: most often a slip of copy and paste.
    fn repeated_items(&mut self, node: &Node, item_spec: &FieldSpec) {
        let (Value::List(nodes), FieldKind::Choice | FieldKind::Reference) =
            (&node.value, &item_spec.kind.value)
        else {
            return;
        };
        let mut seen = std::collections::HashSet::new();
        for item in nodes {
            let Some(written) = item.text() else {
                continue;
            };
            // A choice is its exact text (`A+` is not `A`); a page is named
            // by its slug, whichever way it is written.
            let same = match item_spec.kind.value {
                FieldKind::Reference => crate::slug::slugify(&written),
                _ => written.clone(),
            };
            if !seen.insert(same) {
                self.warning(
                    item.position,
                    written.chars().count(),
                    format!("`{written}` staat twee keer in deze lijst"),
                    "haal de tweede weg: een waarde telt maar één keer",
                );
            }
        }
    }

    fn wrong_kind<T>(&mut self, node: &Node, expected: &str, help: &str) -> Option<T> {
        let found = node.value.kind_name();
        self.error(
            node.position,
            1,
            format!("hier wordt {expected} verwacht, maar dit is {found}"),
            help,
        );
        None
    }

    fn text(&mut self, node: &Node) -> Option<String> {
        match node.text() {
            Some(text) => Some(text),
            None => self.wrong_kind(node, "tekst", "schrijf de waarde op dezelfde regel als de veldnaam; is het echt een lijst, dan moet het veld in twn.yaml als lijst (`type: list`) staan"),
        }
    }

    fn alias(&mut self, node: &Node) -> Option<Alias> {
        let written = self.text(node)?;
        match crate::urls::alias_url_path(&written) {
            Ok(url_path) => Some(Alias {
                written,
                url_path,
                position: node.position,
            }),
            Err(refused) => {
                let marker = written.chars().count();
                self.error(node.position, marker, refused.message, &refused.help);
                None
            }
        }
    }

    fn boolean(&mut self, node: &Node) -> Option<bool> {
        match node.value {
            Value::Bool(b) => Some(b),
            _ => self.wrong_kind(
                node,
                "`true` of `false`",
                "schrijf `true` (ja) of `false` (nee)",
            ),
        }
    }

    fn list<T>(
        &mut self,
        node: &Node,
        mut item: impl FnMut(&mut Self, &Node) -> Option<T>,
    ) -> Option<Vec<T>> {
        match &node.value {
            Value::List(items) => Some(items.iter().filter_map(|n| item(self, n)).collect()),
            Value::Map(_) => self.wrong_kind(
                node,
                "een lijst",
                "zet elk item op een eigen regel die begint met `- `",
            ),
            // A single value where a list is expected is a list of one.
            _ => item(self, node).map(|one| vec![one]),
        }
    }

    fn date(&mut self, node: &Node) -> Option<Date> {
        let text = self.text(node)?;
        match parse_date(&text) {
            Ok(date) => Some(date),
            Err(invalid) => {
                self.error(
                    node.position,
                    text.chars().count(),
                    invalid.explain(&text),
                    "schrijf een datum als JJJJ-MM-DD, bijvoorbeeld `2019-09-23`",
                );
                None
            }
        }
    }
}

fn present_keys(entries: &[(Node, Node)]) -> Vec<&str> {
    entries
        .iter()
        .filter_map(|(k, _)| match &k.value {
            Value::Str(name) => Some(name.as_str()),
            _ => None,
        })
        .collect()
}

/// A value that passes validation, for hints and for `twn new`.
pub fn example_value(spec: &FieldSpec) -> String {
    match spec.kind.value {
        FieldKind::Text | FieldKind::Markdown => "…".into(),
        FieldKind::Date => jiff::ZonedDateTime::now().date().to_string(),
        FieldKind::Number => "1".into(),
        FieldKind::Boolean => "false".into(),
        FieldKind::Url => "https://".into(),
        FieldKind::Email => "naam@organisatie.nl".into(),
        FieldKind::Choice => spec.choices().next().unwrap_or_default().to_owned(),
        FieldKind::Reference => format!(
            "<slug van een {}-pagina>",
            spec.collection.as_ref().map_or("", |c| c.value.as_str())
        ),
        FieldKind::List => format!(
            "[{}]",
            spec.of.as_deref().map(example_value).unwrap_or_default()
        ),
        FieldKind::Object => "{ … }".into(),
        FieldKind::Bodies => "[{ id: …, name: … }]".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::Collection;

    fn collection() -> Collection {
        serde_saphyr::from_str(
            "title: W\nsingular: W\nfields:\n  status: { type: choice, values: [gepland, actief, afgerond], required: true }\n  regio: { type: reference, collection: regio }\n  period: { type: text }\n  start: { type: date }\n  themes: { type: list, of: { type: reference, collection: thema } }\n",
        )
        .unwrap()
    }

    fn check(yaml: &str) -> (FrontMatter, Vec<Diagnostic>) {
        let text = format!("---\n{yaml}---\n");
        let file = SourceFile {
            display_path: "content/werkplaats/a.md".into(),
            text,
        };
        let node = crate::yaml::parse(&file.text[4..file.text.len() - 4], 2).unwrap();
        validate(&file, &node, &collection().fields)
    }

    #[test]
    fn valid_front_matter_gives_typed_values_in_schema_order() {
        let (fm, problems) =
            check("title: Rioolvervanging\nthemes: [bescherming]\nstatus: actief\nperiod: 2017\n");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(fm.title, "Rioolvervanging");
        assert_eq!(
            fm.fields.keys().collect::<Vec<_>>(),
            ["status", "period", "themes"]
        );
        assert_eq!(fm.fields["period"], FieldValue::Text("2017".into()));
    }

    #[test]
    fn every_problem_is_reported_with_its_position() {
        let (_, problems) =
            check("title: A\nstatus: aktief\nperiod: [a, b]\nstart: 2019-02-31\ntitel: B\n");
        let found: Vec<String> = problems
            .iter()
            .map(|d| format!("{} {}", d.location(), d.message))
            .collect();
        assert!(found.iter().any(|p| p.starts_with("content/werkplaats/a.md:3:9 `aktief` is geen toegestane waarde; bedoelt u `actief`?")), "{found:?}");
        assert!(
            found.iter().any(|p| p.starts_with(
                "content/werkplaats/a.md:4:9 hier wordt tekst verwacht, maar dit is een lijst"
            )),
            "{found:?}"
        );
        assert!(
            found
                .iter()
                .any(|p| p
                    .contains(":5:8 ongeldige datum `2019-02-31`: februari 2019 heeft 28 dagen")),
            "{found:?}"
        );
        assert!(
            found
                .iter()
                .any(|p| p.contains(":6:1 `titel`: onbekend veld; bedoelt u `title`?")),
            "{found:?}"
        );
    }

    #[test]
    fn text_keeps_numbers_and_yes_no_as_written() {
        let (fm, problems) = check("title: no\nstatus: actief\nperiod: 0534\n");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(fm.title, "no");
        assert_eq!(fm.fields["period"], FieldValue::Text("0534".into()));
    }

    #[test]
    fn missing_required_fields_are_errors() {
        let (_, problems) = check("period: 2017\n");
        let messages: Vec<&str> = problems.iter().map(|d| d.message.as_str()).collect();
        assert!(
            messages.contains(&"verplicht veld `title` ontbreekt"),
            "{messages:?}"
        );
        assert!(
            messages.contains(&"verplicht veld `status` ontbreekt"),
            "{messages:?}"
        );
    }
}
