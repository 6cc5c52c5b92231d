//! A YAML tree in which every node knows its line and column, so that
//! validation against a collection's schema can point at the exact value.

use crate::diagnostics::Position;
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::fmt;

mod errors;

pub use errors::explain;
use errors::unclosed_quote;

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    /// Position within the YAML text (not yet shifted to the file).
    pub position: Position,
    /// A number or yes/no as the editor wrote it (`0534 123456`, `1.10`,
    /// `no`), which text keeps: YAML reads `no` as false and `010` as 10.
    written: Option<String>,
    /// Where that was written: bytes of the YAML text, until read.
    written_at: Option<(usize, usize)>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    List(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

impl Value {
    /// How an editor would call this kind of value, in Dutch.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Value::Null => "een lege waarde",
            Value::Bool(_) => "ja/nee (true/false)",
            Value::Int(_) | Value::Float(_) => "een getal",
            Value::Str(_) => "tekst",
            Value::List(_) => "een lijst",
            Value::Map(_) => "een groep velden",
        }
    }

    /// A scalar as text, numbers and booleans as YAML read them; a node's
    /// [`Node::text`] has them as written.
    fn as_text(&self) -> Option<String> {
        match self {
            Value::Str(s) => Some(s.clone()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(f.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }
}

impl Node {
    /// Shifts the position from the YAML text into the file that holds it,
    /// and reads from that text what each number and yes/no was written as.
    fn settle(&mut self, lines: usize, yaml: &str) {
        self.position.line += lines;
        if let Some((start, end)) = self.written_at.take() {
            self.written = yaml.get(start..end).map(|t| t.trim().to_owned());
        }
        match &mut self.value {
            Value::List(items) => items.iter_mut().for_each(|n| n.settle(lines, yaml)),
            Value::Map(entries) => entries.iter_mut().for_each(|(k, v)| {
                k.settle(lines, yaml);
                v.settle(lines, yaml);
            }),
            _ => {}
        }
    }

    /// A scalar as text, as written: numbers and yes/no count as text too.
    pub fn text(&self) -> Option<String> {
        match (&self.value, &self.written) {
            (Value::Bool(_) | Value::Int(_) | Value::Float(_), Some(written))
                if !written.is_empty() =>
            {
                Some(written.clone())
            }
            (value, _) => value.as_text(),
        }
    }

    /// The value as one line a reader can follow: lists joined by commas,
    /// groups as `name: value`.
    pub fn plain_text(&self) -> String {
        match &self.value {
            Value::Null => String::new(),
            Value::List(items) => items
                .iter()
                .map(Node::plain_text)
                .collect::<Vec<_>>()
                .join(", "),
            Value::Map(entries) => entries
                .iter()
                .map(|(k, v)| format!("{}: {}", k.plain_text(), v.plain_text()))
                .collect::<Vec<_>>()
                .join("; "),
            _ => self.text().unwrap_or_default(),
        }
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries
                .iter()
                .find(|(k, _)| matches!(&k.value, Value::Str(s) if s == key))
                .map(|(_, v)| v),
            _ => None,
        }
    }
}

/// A YAML error with its position in the file, explained in Dutch.
#[derive(Debug, Clone)]
pub struct YamlError {
    pub message: String,
    pub help: String,
    pub position: Position,
}

/// Front matter nests a few levels (a body's relations are five deep);
/// a limit far below the parser's own keeps deep nesting from exhausting
/// a thread's stack.
const MAX_DEPTH: usize = 24;

fn options() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = MAX_DEPTH;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    options
}

/// Parses `yaml`, which starts on line `first_line` of its file.
pub fn parse(yaml: &str, first_line: usize) -> Result<Node, YamlError> {
    if yaml.trim().is_empty() {
        return Ok(Node {
            value: Value::Null,
            position: Position::new(first_line, 1),
            written: None,
            written_at: None,
        });
    }
    match serde_saphyr::from_str_with_options::<Node>(yaml, options()) {
        Ok(mut node) => {
            node.settle(first_line - 1, yaml);
            Ok(node)
        }
        Err(error) => {
            let (mut message, mut help) = explain(&error, "in de kopgegevens");
            let mut position = error.location().filter(|l| l.line() > 0).map_or(
                Position::new(first_line, 1),
                |l| {
                    Position::new(
                        l.line() as usize + first_line - 1,
                        l.column().max(1) as usize,
                    )
                },
            );
            // The parser reads an unclosed quote on into the next fields and
            // stumbles lines later; the slip is where the quote opened.
            if let Some((opened, swallowed_until)) = unclosed_quote(yaml)
                && opened.line + first_line - 1 <= position.line
                && position.line < swallowed_until + first_line
            {
                position = Position::new(opened.line + first_line - 1, opened.column);
                message =
                    "ongeldige YAML in de kopgegevens: dit aanhalingsteken wordt niet gesloten"
                        .into();
                help = "zet hetzelfde aanhalingsteken aan het eind van de waarde, op deze regel, of laat de aanhalingstekens weg".into();
            }
            Err(YamlError {
                message,
                help,
                position,
            })
        }
    }
}

/// A quoted value that does not close on its line while the next line
/// starts a new field or item no deeper than it: YAML allows a quoted value
/// over several lines, but not one that swallows the next field. Returns
/// where it opens and the last line (from 1) it swallows: the parser's
/// error, if it is the quote's doing, falls on one of those lines. Lines of
/// a block of text after `|` or `>` are text, not values.
impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<Value>::deserialize(deserializer)?;
        let span = spanned.defined.span();
        let written_at = match spanned.value {
            Value::Bool(_) | Value::Int(_) | Value::Float(_) => span
                .byte_offset()
                .zip(span.byte_len())
                .map(|(start, len)| (start as usize, (start + len) as usize)),
            _ => None,
        };
        Ok(Node {
            position: Position::new(
                spanned.referenced.line() as usize,
                spanned.referenced.column() as usize,
            ),
            value: spanned.value,
            written: None,
            written_at,
        })
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Node>()? {
            items.push(item);
        }
        Ok(Value::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Node>()? {
            let value = map.next_value::<Node>()?;
            entries.push((key, value));
        }
        Ok(Value::Map(entries))
    }
}

/// Text as a YAML scalar: plain where YAML reads it back as the same text,
/// quoted where it would read something else (a number, a list, a comment).
pub fn scalar(text: &str) -> String {
    // Plain only what no YAML reader takes for anything else: it starts
    // with a letter, holds no indicator or control character, and is no
    // word YAML 1.1 readers turn into a boolean or null.
    let plain = text.chars().next().is_some_and(char::is_alphabetic)
        && text.trim() == text
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.ends_with(':')
        && !text
            .chars()
            .any(|c| c.is_control() || "{}[]&*!|>'\"%@`\\\u{2028}\u{2029}".contains(c))
        && !["true", "false", "null", "yes", "no", "on", "off", "y", "n"]
            .contains(&text.to_ascii_lowercase().as_str());
    if plain {
        text.to_owned()
    } else {
        double_quoted(text)
    }
}

/// `text` as a double-quoted YAML scalar. JSON's quoting is nearly that,
/// but leaves DEL and the C1 controls (`\u{96}` from a Windows-1252
/// paste) as they are, which no YAML reader accepts. NEL and the Unicode
/// line and paragraph separators are escaped too: YAML 1.1 readers take
/// them for line ends.
fn double_quoted(text: &str) -> String {
    use std::fmt::Write;
    let printable = |c: char| {
        matches!(c, '\u{20}'..='\u{7E}' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
            && !matches!(c, '\u{FEFF}' | '\u{2028}' | '\u{2029}')
    };
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            '\t' => quoted.push_str("\\t"),
            '\r' => quoted.push_str("\\r"),
            c if printable(c) => quoted.push(c),
            c if u32::from(c) <= 0xFFFF => {
                let _ = write!(quoted, "\\u{:04X}", u32::from(c));
            }
            c => {
                let _ = write!(quoted, "\\U{:08X}", u32::from(c));
            }
        }
    }
    quoted.push('"');
    quoted
}

/// A scalar inside `[a, b]`, where commas and brackets also end it.
pub fn flow_scalar(text: &str) -> String {
    if text.contains([',', '[', ']', '{', '}']) {
        double_quoted(text)
    } else {
        scalar(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_yes_no_read_as_text_stay_as_written() {
        let yaml = "title: no\nphone: 0534123456\nversion: 1.10 # x\nflag: y\nlist: [0x10, Y, 1e3]\nreal: 2\n";
        let node = parse(yaml, 2).unwrap();
        let text = |key: &str| node.get(key).and_then(Node::text);
        assert_eq!(text("title").as_deref(), Some("no"));
        assert_eq!(text("phone").as_deref(), Some("0534123456"));
        assert_eq!(text("version").as_deref(), Some("1.10"));
        assert_eq!(text("flag").as_deref(), Some("y"));
        assert_eq!(node.get("list").unwrap().plain_text(), "0x10, Y, 1e3");
        // What YAML read is still there for fields that want a number.
        assert_eq!(node.get("real").unwrap().value, Value::Int(2));
        assert_eq!(node.get("title").unwrap().value, Value::Bool(false));
    }

    #[test]
    fn nodes_carry_file_positions() {
        let node = parse("title: Almelo\nmembers:\n  - borne\n", 2).unwrap();
        let title = node.get("title").unwrap();
        assert_eq!(title.value, Value::Str("Almelo".into()));
        assert_eq!(title.position, Position::new(2, 8));
        let Value::List(members) = &node.get("members").unwrap().value else {
            panic!("members is a list")
        };
        assert_eq!(members[0].position, Position::new(4, 5));
    }

    #[test]
    fn syntax_errors_are_shifted_into_the_file() {
        let error = parse("title: A\nb: [1, 2\n", 2).unwrap_err();
        assert!(error.position.line >= 3, "{error:?}");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = format!("x: {}{}\n", "[".repeat(200), "]".repeat(200));
        let error = std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn(move || parse(&deep, 2).unwrap_err())
            .unwrap()
            .join()
            .unwrap();
        assert!(error.message.contains("te diep genest"), "{error:?}");
        let maps: String = (0..60).map(|n| format!("{}k:\n", "  ".repeat(n))).collect();
        assert!(parse(&maps, 2).is_err());
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let error = parse("title: A\ntitle: B\n", 2).unwrap_err();
        assert_eq!(error.position.line, 3, "{error:?}");
    }
}
