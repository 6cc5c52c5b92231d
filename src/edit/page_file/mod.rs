//! A page's file as the editor reads and writes it: the front matter by
//! its top-level fields, each with the lines it was written in, and the
//! body as it is. Saving writes the fields in the given order (the
//! schema's), keeps the lines of every field that did not change, and the
//! body byte for byte when only fields changed; CRLF line endings and a
//! byte-order mark stay as found.

use super::draft::Draft;
use crate::fields::FieldSpec;
use crate::source::SourceFile;
use crate::yaml::{Node, Value};
use indexmap::IndexMap;

mod write;

pub use write::typed_scalar;
use write::{comments_after, write_field};

#[derive(Debug, Clone)]
pub struct PageFile {
    /// The file exactly as read.
    pub original: String,
    bom: bool,
    crlf: bool,
    /// Lines of the front matter before its first field (comments).
    leading: String,
    /// Each field as written.
    fields: IndexMap<String, Written>,
    /// The body, as in the file.
    body: String,
}

/// A field, or an item of a list, with the lines it was written in
/// (`\n` endings; an item's dash made a space, so that every text reads
/// as if at its own indentation) and what is inside it, when written as
/// a block of its own lines.
#[derive(Debug, Clone)]
struct Written {
    text: String,
    value: Draft,
    inside: Inside,
}

#[derive(Debug, Clone)]
enum Inside {
    /// A scalar, or a list or group written on one line: kept or replaced whole.
    Whole,
    Fields(IndexMap<String, Written>),
    Items(Vec<Written>),
}

/// Reads the node `node` (lines `from..to` of `lines`, 1-based) as written.
fn written(node: &Node, lines: &[&str], from: usize, to: usize) -> Written {
    let text = lines[from - 1..to.max(from) - 1].concat();
    let inside = match &node.value {
        Value::Map(entries) if !is_flow(node, lines) && !entries.is_empty() => {
            let starts: Vec<usize> = entries.iter().map(|(k, _)| k.position.line).collect();
            Inside::Fields(
                entries
                    .iter()
                    .enumerate()
                    .map(|(n, (key, value))| {
                        let end = starts.get(n + 1).copied().unwrap_or(to);
                        let mut entry = written(value, lines, starts[n], end);
                        entry.text = lines[starts[n] - 1..end.max(starts[n]) - 1].concat();
                        (key.plain_text(), entry)
                    })
                    .collect(),
            )
        }
        Value::List(items) if !is_flow(node, lines) && !items.is_empty() => {
            let starts: Vec<usize> = items.iter().map(|i| i.position.line).collect();
            Inside::Items(
                items
                    .iter()
                    .enumerate()
                    .map(|(n, item)| {
                        let end = starts.get(n + 1).copied().unwrap_or(to);
                        let mut item = written(item, lines, starts[n], end);
                        item.text = undashed(&item.text);
                        // A group's first field shares the dash's line.
                        if let Inside::Fields(fields) = &mut item.inside
                            && let Some((_, first)) = fields.first_mut()
                        {
                            first.text = undashed(&first.text);
                        }
                        item
                    })
                    .collect(),
            )
        }
        _ => Inside::Whole,
    };
    Written {
        text,
        value: Draft::from_node(node),
        inside,
    }
}

/// Whether a list or group is written on one line, `[a, b]` or `{ a: b }`.
fn is_flow(node: &Node, lines: &[&str]) -> bool {
    let line = lines
        .get(node.position.line.saturating_sub(1))
        .copied()
        .unwrap_or_default();
    let at = line.chars().nth(node.position.column.saturating_sub(1));
    matches!(at, Some('[' | '{'))
}

/// An item's lines with its dash made a space: `  - id: a` → `    id: a`.
fn undashed(text: &str) -> String {
    let start = text.len() - text.trim_start_matches(' ').len();
    match text[start..].strip_prefix("- ") {
        Some(rest) => format!("{}  {rest}", &text[..start]),
        None => text.to_owned(),
    }
}

/// Why a file cannot be edited field by field: it is edited as text.
#[derive(Debug, Clone)]
pub struct Unreadable {
    pub message: String,
}

impl PageFile {
    pub fn read(original: &str) -> Result<PageFile, Unreadable> {
        let bom = original.starts_with('\u{feff}');
        let text = original.trim_start_matches('\u{feff}');
        let crlf = text.contains("\r\n");
        let normal = text.replace("\r\n", "\n");
        let source = SourceFile {
            display_path: String::new(),
            text: normal.clone(),
        };
        let split = crate::frontmatter::split(&source).map_err(|d| Unreadable {
            message: d.message.clone(),
        })?;
        let crate::yaml::Value::Map(entries) = &split.front_matter.value else {
            return Err(Unreadable {
                message: "de kopgegevens zijn geen velden".into(),
            });
        };
        let lines: Vec<&str> = normal.split_inclusive('\n').collect();
        // Line 1 is `---`; the closing line ends the last field.
        // The closing line's number, whether or not a line end follows it.
        let head = &normal[..split.body_offset];
        let closing = head
            .strip_suffix('\n')
            .unwrap_or(head)
            .matches('\n')
            .count()
            + 1;
        let line_of = |node: &crate::yaml::Node| node.position.line.clamp(2, closing);
        let starts: Vec<usize> = entries.iter().map(|(k, _)| line_of(k)).collect();
        let take = |from: usize, to: usize| lines[from - 1..to - 1].concat();
        let mut fields = IndexMap::new();
        for (n, (key, value)) in entries.iter().enumerate() {
            let end = starts.get(n + 1).copied().unwrap_or(closing).max(starts[n]);
            let mut field = written(value, &lines, starts[n], end);
            field.text = take(starts[n], end);
            fields.insert(key.plain_text(), field);
        }
        let leading = take(2, starts.first().copied().unwrap_or(closing));
        // The body as written, CRLF and all: after as many line ends.
        let body_start = text
            .match_indices('\n')
            .nth(closing - 1)
            .map_or(text.len(), |(at, _)| at + 1);
        Ok(PageFile {
            original: original.to_owned(),
            bom,
            crlf,
            leading,
            fields,
            body: text[body_start..].to_owned(),
        })
    }

    /// The file of a page not yet written: no fields, no body.
    pub fn blank() -> PageFile {
        PageFile {
            original: String::new(),
            bom: false,
            crlf: false,
            leading: String::new(),
            fields: IndexMap::new(),
            body: String::new(),
        }
    }

    /// Each field's value as the file has it, in the order written.
    pub fn values(&self) -> IndexMap<String, Draft> {
        self.fields
            .iter()
            .map(|(k, field)| (k.clone(), field.value.clone()))
            .collect()
    }

    /// The body with `\n` line ends, as a text area shows it.
    pub fn body(&self) -> String {
        self.body.replace("\r\n", "\n")
    }

    /// The file with `values` as its fields, in `order` and then the
    /// file's other fields, and `body` below them. Unchanged fields keep
    /// their lines; an unchanged file comes back byte for byte.
    pub fn with(
        &self,
        values: &IndexMap<String, Draft>,
        order: &[&str],
        specs: &IndexMap<String, FieldSpec>,
        body: &str,
    ) -> String {
        let pruned = |value: Option<&Draft>| value.and_then(Draft::pruned);
        let was = |key: &str| pruned(self.fields.get(key).map(|field| &field.value));
        let keys: indexmap::IndexSet<&str> = order
            .iter()
            .copied()
            .chain(self.fields.keys().map(String::as_str))
            .chain(values.keys().map(String::as_str))
            .collect();
        let fields_changed = keys.iter().any(|k| was(k) != pruned(values.get(*k)));
        let body_changed = body.replace("\r\n", "\n") != self.body();
        if !fields_changed && !body_changed {
            return self.original.clone();
        }
        let mut front = self.leading.clone();
        if fields_changed {
            for key in keys {
                if let Some(value) = pruned(values.get(key)) {
                    write_field(
                        &mut front,
                        0,
                        key,
                        &value,
                        specs.get(key),
                        self.fields.get(key),
                    );
                } else if let Some(cleared) = self.fields.get(key) {
                    // The comments above the next field outlive this one.
                    front.push_str(comments_after(&cleared.text));
                }
            }
        } else {
            for field in self.fields.values() {
                front.push_str(&field.text);
            }
        }
        let mut head = format!("---\n{front}---\n");
        let mut new_body = if body_changed {
            body.replace("\r\n", "\n")
        } else {
            self.body.clone()
        };
        if self.crlf {
            head = head.replace('\n', "\r\n");
            if body_changed {
                new_body = new_body.replace('\n', "\r\n");
            }
        }
        let bom = if self.bom { "\u{feff}" } else { "" };
        format!("{bom}{head}{new_body}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn specs() -> IndexMap<String, FieldSpec> {
        serde_saphyr::from_str(
            "members: { type: list, of: { type: reference, collection: organisatie } }\nstart: { type: date }\nbodies:\n  type: list\n  of:\n    type: object\n    fields:\n      id: { type: text }\n      name: { type: text }\n      relations: { type: list, of: { type: object, fields: { type: { type: text }, to: { type: text } } } }\n",
        )
        .unwrap()
    }

    const FILE: &str = "\u{feff}---\r\n# opmerking\r\ntitle: Twents   Waternet\r\nmembers: [almelo,   borne]\r\nstart: 2019-01-01\r\n---\r\n\r\nTekst  met spaties.\r\n";

    #[test]
    fn a_file_ending_in_its_closing_line_keeps_every_field() {
        let file = PageFile::read("---\ntitle: T\ntype: gemeente\n---").unwrap();
        let mut values = file.values();
        values.insert("website".into(), Draft::Text("https://x.nl".into()));
        let text = file.with(&values, &["title", "type", "website"], &IndexMap::new(), "");
        assert_eq!(
            text,
            "---\ntitle: T\ntype: gemeente\nwebsite: https://x.nl\n---\n"
        );
    }

    #[test]
    fn values_yaml_would_read_otherwise_come_back_as_written() {
        let file = PageFile::read("---\ntitle: T\n---\n").unwrap();
        for value in [
            "0x1F",
            "0o17",
            "1_000",
            ".inf",
            "a\u{7}b",
            "  ind\nnext",
            "a\n\n",
            "ja",
            "Null",
            "2019",
            "- lijst",
            "x: y",
            "regel\nnog een",
            // Pasted from Windows-1252: DEL and C1 controls, which YAML
            // allows only escaped.
            "a\u{96}b\u{7f}c\u{85}d",
            "regel\u{2028}scheiding\u{2029}alinea",
            "\u{feff}bom \u{fffe} \"quotes\" \\ \t tab",
        ] {
            let mut values = file.values();
            values.insert("title".into(), Draft::Text(value.into()));
            let text = file.with(&values, &["title"], &IndexMap::new(), "");
            // As YAML 1.1 readers read it too: no raw line ends of theirs.
            assert!(
                !text.contains(['\u{85}', '\u{2028}', '\u{2029}']),
                "{text:?}"
            );
            let again = PageFile::read(&text).unwrap();
            assert_eq!(
                again.values()["title"],
                Draft::Text(value.into()),
                "{value:?} written as {text:?}"
            );
        }
    }

    #[test]
    fn an_unchanged_file_comes_back_byte_for_byte() {
        let file = PageFile::read(FILE).unwrap();
        let values = file.values();
        let again = file.with(
            &values,
            &["title", "members", "start"],
            &specs(),
            &file.body(),
        );
        assert_eq!(again, FILE);
    }

    #[test]
    fn a_changed_field_is_written_anew_and_the_rest_keeps_its_text() {
        let file = PageFile::read(FILE).unwrap();
        let mut values = file.values();
        values.insert(
            "members".into(),
            Draft::List(vec![
                Draft::Text("almelo".into()),
                Draft::Text("Hof van Twente".into()),
            ]),
        );
        let again = file.with(
            &values,
            &["title", "members", "start"],
            &specs(),
            &file.body(),
        );
        assert_eq!(
            again,
            "\u{feff}---\r\n# opmerking\r\ntitle: Twents   Waternet\r\nmembers: [almelo, Hof van Twente]\r\nstart: 2019-01-01\r\n---\r\n\r\nTekst  met spaties.\r\n"
        );
    }

    #[test]
    fn a_comment_above_a_field_stays_when_the_field_before_it_changes() {
        let text = "---\ntitle: T\nperiod: 2017\n\n# LET OP: pas na een besluit\nstatus: gepland\ndescription: |\n  # geen opmerking\n  tekst\n# BRON: jaarverslag\nregio: twente\n---\nTekst\n";
        let file = PageFile::read(text).unwrap();
        let mut values = file.values();
        values.insert("period".into(), Draft::Text("2018".into()));
        values.insert("description".into(), Draft::Text("# kop\nanders".into()));
        let again = file.with(
            &values,
            &["title", "period", "status", "description", "regio"],
            &IndexMap::new(),
            &file.body(),
        );
        assert_eq!(
            again,
            "---\ntitle: T\nperiod: \"2018\"\n\n# LET OP: pas na een besluit\nstatus: gepland\ndescription: |-\n  # kop\n  anders\n# BRON: jaarverslag\nregio: twente\n---\nTekst\n"
        );
        // Cleared: the field goes, the comment above the next one stays.
        values.shift_remove("period");
        let cleared = file.with(
            &values,
            &["title", "period", "status", "description", "regio"],
            &IndexMap::new(),
            &file.body(),
        );
        assert!(
            cleared.starts_with("---\ntitle: T\n\n# LET OP: pas na een besluit\nstatus: gepland\n"),
            "{cleared}"
        );
    }

    #[test]
    fn a_comment_after_a_group_stays_once_when_the_group_changes() {
        let text = "---\ntitle: T\nlinks:\n  - title: Site\n    url: https://a.example\n# LET OP\nmotto: M\n---\n";
        let mut file = PageFile::read(text).unwrap();
        for round in 0..3 {
            let mut values = file.values();
            let Some(Draft::List(links)) = values.get_mut("links") else {
                panic!("links is a list")
            };
            let Draft::Object(link) = &mut links[0] else {
                panic!("a link is a group")
            };
            link.insert(
                "url".into(),
                Draft::Text(format!("https://{round}.example")),
            );
            let again = file.with(&values, &["title", "links", "motto"], &IndexMap::new(), "");
            assert_eq!(again.matches("# LET OP").count(), 1, "{again}");
            assert!(again.contains("# LET OP\nmotto: M\n"), "{again}");
            file = PageFile::read(&again).unwrap();
        }
    }

    #[test]
    fn groups_in_lists_are_written_as_blocks_and_read_back_the_same() {
        let file = PageFile::read("---\ntitle: T\n---\nTekst\n").unwrap();
        let mut values = file.values();
        let relation = Draft::Object(IndexMap::from([
            ("type".into(), Draft::Text("stuurt-aan".into())),
            ("to".into(), Draft::Text("kernteam".into())),
        ]));
        let body = Draft::Object(IndexMap::from([
            ("id".into(), Draft::Text("platform".into())),
            ("name".into(), Draft::Text("Platform: bestuur".into())),
            ("relations".into(), Draft::List(vec![relation])),
        ]));
        values.insert("bodies".into(), Draft::List(vec![body]));
        let text = file.with(&values, &["title", "bodies"], &specs(), "Nieuwe tekst\n");
        assert_eq!(
            text,
            "---\ntitle: T\nbodies:\n  - id: platform\n    name: \"Platform: bestuur\"\n    relations:\n      - type: stuurt-aan\n        to: kernteam\n---\nNieuwe tekst\n"
        );
        let read = PageFile::read(&text).unwrap();
        assert_eq!(read.values()["bodies"], values["bodies"]);
    }
}

#[cfg(test)]
mod example_tests {
    use super::*;

    #[test]
    fn a_relation_added_to_the_example_chart_changes_only_its_lines() {
        let text = include_str!("../../../content/regio/twents-waternet.md");
        let file = PageFile::read(text).unwrap();
        let mut values = file.values();
        let Some(Draft::List(bodies)) = values.get_mut("bodies") else {
            panic!()
        };
        let Draft::Object(adviesgroep) = &mut bodies[3] else {
            panic!()
        };
        let Some(Draft::List(relations)) = adviesgroep.get_mut("relations") else {
            panic!()
        };
        relations.push(Draft::Object(IndexMap::from([
            ("type".into(), Draft::Text("adviseert".into())),
            ("to".into(), Draft::Text("bestuurlijk-platform".into())),
        ])));
        let order: Vec<String> = values.keys().cloned().collect();
        let order: Vec<&str> = order.iter().map(String::as_str).collect();
        let written = file.with(&values, &order, &IndexMap::new(), &file.body());
        let expected = text.replace(
            "      - { type: ondersteunt, to: bestuurlijk-kernteam }\n",
            "      - { type: ondersteunt, to: bestuurlijk-kernteam }\n      - type: adviseert\n        to: bestuurlijk-platform\n",
        );
        assert_eq!(written, expected);
    }
}
