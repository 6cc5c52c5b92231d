//! A YAML tree in which every node knows its line and column, so that
//! validation against a collection's schema can point at the exact value.

use crate::diagnostics::Position;
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    /// Position within the YAML text (not yet shifted to the file).
    pub position: Position,
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

    /// A scalar as text; numbers and booleans count as text too.
    pub fn as_text(&self) -> Option<String> {
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
    /// Shifts the position from the YAML text into the file that holds it.
    fn shift(&mut self, lines: usize) {
        self.position.line += lines;
        match &mut self.value {
            Value::List(items) => items.iter_mut().for_each(|n| n.shift(lines)),
            Value::Map(entries) => entries.iter_mut().for_each(|(k, v)| {
                k.shift(lines);
                v.shift(lines);
            }),
            _ => {}
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
            scalar => scalar.as_text().unwrap_or_default(),
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
        });
    }
    match serde_saphyr::from_str_with_options::<Node>(yaml, options()) {
        Ok(mut node) => {
            node.shift(first_line - 1);
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
fn unclosed_quote(yaml: &str) -> Option<(Position, usize)> {
    let lines: Vec<&str> = yaml.lines().collect();
    let indent = |line: &str| line.len() - line.trim_start_matches(' ').len();
    let starts_entry = |line: &str| {
        let rest = line.trim_start_matches(' ');
        let key_end = rest.find(':').unwrap_or(0);
        rest.starts_with("- ")
            || key_end > 0
                && rest[..key_end]
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
                && rest[key_end + 1..].chars().next().is_none_or(|c| c == ' ')
    };
    let mut block_above: Option<usize> = None;
    for (number, line) in lines.iter().enumerate() {
        if let Some(block_indent) = block_above {
            if line.trim().is_empty() || indent(line) > block_indent {
                continue;
            }
            block_above = None;
        }
        if starts_block(line) {
            block_above = Some(indent(line));
            continue;
        }
        let Some(start) = quoted_value_start(line) else {
            continue;
        };
        let quote = line.as_bytes()[start];
        if closes_on_line(&line[start + 1..], quote) {
            continue;
        }
        let next = lines[number + 1..].iter().find(|l| !l.trim().is_empty());
        if next.is_none_or(|next| indent(next) <= indent(line) && starts_entry(next)) {
            let column = line[..start].chars().count() + 1;
            let closed_on = lines[number + 1..]
                .iter()
                .position(|l| closes_on_line(l, quote))
                .map_or(lines.len(), |k| number + 2 + k);
            return Some((Position::new(number + 1, column), closed_on));
        }
    }
    None
}

/// Whether a line's value is a block of text on the lines below it.
fn starts_block(line: &str) -> bool {
    let value = line
        .trim_end()
        .rsplit_once(": ")
        .map(|(_, v)| v)
        .or_else(|| line.trim_start().strip_prefix("- "))
        .unwrap_or_default()
        .trim();
    value.starts_with(['|', '>'])
        && value[1..]
            .chars()
            .all(|c| c == '-' || c == '+' || c.is_ascii_digit())
}

/// The byte offset of a value's opening quote: after `key: `, or `- `.
fn quoted_value_start(line: &str) -> Option<usize> {
    let mut at = line.len() - line.trim_start_matches(' ').len();
    loop {
        let rest = &line[at..];
        if rest.starts_with(['"', '\'']) {
            return Some(at);
        }
        if let Some(item) = rest.strip_prefix("- ") {
            at = line.len() - item.trim_start_matches(' ').len();
            continue;
        }
        let colon = rest.find(": ")?;
        if rest[..colon].contains(['"', '\'', '[', '{', '#']) {
            return None;
        }
        let value = &rest[colon + 2..];
        at = line.len() - value.trim_start_matches(' ').len();
        return line[at..].starts_with(['"', '\'']).then_some(at);
    }
}

/// Whether a quoted value that opened just before `rest` closes in it.
fn closes_on_line(rest: &str, quote: u8) -> bool {
    let bytes = rest.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 2,
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            c if c == quote => return true,
            _ => i += 1,
        }
    }
    false
}

/// What a YAML error means, in an editor's words, and how to fix it; no
/// text of the parser's own (English) reaches the editor. `place` says
/// where, such as "in de kopgegevens".
pub fn explain(error: &serde_saphyr::Error, place: &str) -> (String, String) {
    use serde_saphyr::Error as E;
    let quote = "zet tekst die met een bijzonder teken begint (`*`, `&`, `!`, `@`, `%`, `` ` ``, `[`, `{`) tussen aanhalingstekens";
    let invalid = |what: &str| format!("ongeldige YAML {place}: {what}");
    let error = match error.without_snippet() {
        E::AliasError { error, .. } => error.without_snippet(),
        other => other,
    };
    let explained = |message: String, help: &str| (message, help.to_owned());
    match error {
        E::DuplicateMappingKey { key, .. } => {
            let key = key.as_deref().unwrap_or("?");
            let field = match place {
                "in de kopgegevens" => {
                    format!("het veld `{key}` staat twee keer in de kopgegevens")
                }
                _ => format!("`{key}` staat twee keer {place}"),
            };
            explained(
                field,
                "elk veld mag maar één keer voorkomen: verwijder of voeg de twee regels samen",
            )
        }
        E::Budget { .. }
        | E::AliasReplayCounterOverflow { .. }
        | E::AliasReplayLimitExceeded { .. }
        | E::AliasExpansionLimitExceeded { .. }
        | E::AliasReplayStackDepthExceeded { .. }
        | E::RecursiveReferencesRequireWeakTypes { .. } => explained(
            invalid(
                "te groot of te diep genest (te veel verwijzingen met `*` naar `&ankers`, of te veel niveaus)",
            ),
            "schrijf de waarden gewoon uit in plaats van met `&anker` en `*verwijzing`",
        ),
        E::UnknownAnchor { .. } => explained(
            invalid("een verwijzing met `*` naar een anker dat niet bestaat"),
            quote,
        ),
        E::InvalidBinaryBase64 { .. }
        | E::BinaryNotUtf8 { .. }
        | E::TaggedScalarCannotDeserializeIntoString { .. }
        | E::UnsupportedTag { .. }
        | E::TaggedStructFieldName { .. }
        | E::TaggedEnumMismatch { .. } => explained(
            invalid("een label met `!` (zoals `!!binary`) wordt niet ondersteund"),
            &format!("laat het label weg; {quote}"),
        ),
        E::NonFiniteFloat { value, .. } => explained(
            invalid(&format!("`{value}` is geen bruikbaar getal")),
            "schrijf een gewoon getal, of zet de waarde tussen aanhalingstekens als het tekst is",
        ),
        E::MergeKeyNotAllowed { .. } | E::MergeValueNotMapOrSeqOfMaps { .. } => explained(
            invalid("samenvoegen met `<<` wordt niet ondersteund"),
            "schrijf de velden zelf uit",
        ),
        E::MultipleDocuments { .. } => explained(
            invalid("er staat een tweede `---` of `...` in"),
            "sluit de kopgegevens af met één regel `---` en zet daarna de tekst",
        ),
        E::Eof { .. } => explained(
            invalid("de tekst houdt midden in een waarde op"),
            "sluit elke `[`, `{` en elk aanhalingsteken dat u opent",
        ),
        E::SerdeUnknownField {
            field, expected, ..
        } => {
            let suggestion = crate::suggest::closest(field, expected.iter().copied())
                .map_or(String::new(), |s| format!("; bedoelt u `{s}`?"));
            (
                format!("`{field}` is geen bekende instelling {place}{suggestion}"),
                format!("mogelijk zijn hier: {}", expected.join(", ")),
            )
        }
        E::SerdeUnknownVariant {
            variant, expected, ..
        } => {
            let suggestion = crate::suggest::closest(variant, expected.iter().copied())
                .map_or(String::new(), |s| format!("; bedoelt u `{s}`?"));
            (
                format!("`{variant}` is hier geen toegestane waarde{suggestion}"),
                format!("kies één van: {}", expected.join(", ")),
            )
        }
        E::SerdeMissingField { field, .. } => explained(
            format!("de verplichte instelling `{field}` ontbreekt {place}"),
            &format!("voeg `{field}: …` toe"),
        ),
        // A list where a single value was written, the most common slip
        // in settings such as `filters: status`.
        _ if expects_a_list(error) => explained(
            format!("hier hoort een lijst {place}"),
            "schrijf de waarden tussen blokhaken, bijvoorbeeld `[status]` of `[status, themes]`, of elk op een eigen regel met `- ` ervoor",
        ),
        E::SerdeInvalidType { .. }
        | E::SerdeInvalidValue { .. }
        | E::SerdeInvalidLength { .. }
        | E::InvalidScalar { .. }
        | E::NullIntoString { .. }
        | E::InvalidBooleanStrict { .. } => explained(
            format!(
                "deze waarde {place} heeft niet de vorm die hier hoort (tekst, een getal, een lijst of een groep velden)"
            ),
            "vergelijk de regel met de voorbeelden in docs/redacteuren.md",
        ),
        other => explain_parser_message(&parser_text(other), place),
    }
}

fn expects_a_list(error: &serde_saphyr::Error) -> bool {
    let text = parser_text(error);
    text.contains("expected sequence start")
        || text.contains("invalid type") && text.contains("expected a sequence")
}

fn parser_text(error: &serde_saphyr::Error) -> String {
    use serde_saphyr::MessageFormatter;
    serde_saphyr::DefaultMessageFormatter
        .format_message(error)
        .to_lowercase()
}

/// The parser's own messages, by what they say.
fn explain_parser_message(lower: &str, place: &str) -> (String, String) {
    let invalid = |what: &str| format!("ongeldige YAML {place}: {what}");
    let quote = "zet tekst die met een bijzonder teken begint (`*`, `&`, `!`, `@`, `%`, `` ` ``, `[`, `{`) tussen aanhalingstekens";
    let has = |words: &[&str]| words.iter().any(|w| lower.contains(w));
    let (what, help): (&str, &str) = if has(&["tabs disallowed", "tab character"]) {
        (
            "een tab gebruikt om in te springen",
            "YAML staat geen tabs toe om in te springen: vervang de tab aan het begin van de regel door spaties",
        )
    } else if has(&["found a tab"]) {
        (
            "een tab in een waarde",
            "vervang de tab door een spatie, of zet de tekst tussen aanhalingstekens",
        )
    } else if has(&[
        "mapping values are not allowed",
        "placement of ':'",
        "mapping keys are not allowed",
    ]) {
        (
            "een `:` op een plek waar geen veld kan beginnen",
            "springt deze regel in zonder dat het veld erboven een groep is? Haal dan de spaties aan het begin weg. Staat er `: ` in een tekst? Zet de tekst dan tussen aanhalingstekens",
        )
    } else if has(&[
        "unclosed",
        "flow sequence",
        "flow mapping",
        "flow construct",
        "expected ',' or",
    ]) {
        (
            "een haakje of aanhalingsteken wordt niet gesloten",
            "sluit elke `[` met `]`, elke `{` met `}` en elk aanhalingsteken met hetzelfde teken; zet tekst met `:` of `#` tussen aanhalingstekens",
        )
    } else if has(&["escape", "hexadecimal", "surrogate"]) {
        (
            "een `\\` in tekst tussen dubbele aanhalingstekens is geen geldige code",
            "schrijf `\\\\` voor een backslash, of zet de tekst tussen enkele aanhalingstekens (`'…'`)",
        )
    } else if has(&["unexpected character"]) {
        (
            "een waarde begint met een teken dat in YAML iets bijzonders betekent",
            quote,
        )
    } else if has(&["anchor", "alias"]) {
        (
            "een `&` of `*` die geen geldig anker of verwijzing is",
            quote,
        )
    } else if has(&["tag"]) {
        ("een label met `!` dat niet klopt", quote)
    } else if has(&["block scalar", "indentation indicator", "folded"]) {
        (
            "een blok tekst na `|` of `>` is niet goed ingesprongen",
            "spring elke regel van het blok verder in dan de veldnaam, met spaties",
        )
    } else if has(&["directive"]) {
        ("een regel die met `%` begint", quote)
    } else if has(&["document"]) {
        (
            "een `---` of `...` op een verkeerde plek",
            "sluit de kopgegevens af met één regel `---` en zet daarna de tekst",
        )
    } else if has(&["utf-8", "encoding"]) {
        (
            "het bestand is geen UTF-8-tekst",
            "sla het bestand op als UTF-8",
        )
    } else if has(&[
        "indentation",
        "expected key",
        "block sequence",
        "block mapping",
        "'-' indicator",
        "node content",
    ]) {
        (
            "de inspringing klopt niet",
            "velden van hetzelfde niveau beginnen in dezelfde kolom; de items van een lijst beginnen met `- `, ingesprongen onder hun veld",
        )
    } else {
        (
            "de opbouw klopt niet",
            "controleer de schrijfwijze: `veld: waarde`, lijsten met `- ` op een nieuwe regel, en zet tekst met `: ` of `#` tussen aanhalingstekens",
        )
    };
    (invalid(what), help.to_owned())
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<Value>::deserialize(deserializer)?;
        Ok(Node {
            position: Position::new(
                spanned.referenced.line() as usize,
                spanned.referenced.column() as usize,
            ),
            value: spanned.value,
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
            .any(|c| c.is_control() || "{}[]&*!|>'\"%@`\\".contains(c))
        && !["true", "false", "null", "yes", "no", "on", "off", "y", "n"]
            .contains(&text.to_ascii_lowercase().as_str());
    if plain {
        text.to_owned()
    } else {
        serde_json::to_string(text).unwrap_or_default()
    }
}

/// A scalar inside `[a, b]`, where commas and brackets also end it.
pub fn flow_scalar(text: &str) -> String {
    if text.contains([',', '[', ']', '{', '}']) {
        serde_json::to_string(text).unwrap_or_default()
    } else {
        scalar(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_quote_that_swallows_the_next_field_counts_as_unclosed() {
        assert_eq!(
            unclosed_quote("title: \"Borne\ntype: gemeente\n"),
            Some((Position::new(1, 8), 2))
        );
        assert_eq!(
            unclosed_quote("a: 1\nlist:\n  - 'it''s\n  - b\n"),
            Some((Position::new(3, 5), 4))
        );
        // Text in a block after `|` is not a value.
        assert_eq!(
            unclosed_quote("list:\n  - |\n    \"Citaat\n  - Nieuw\nsite: x\n"),
            None
        );
        // A later error is the parser's to place, not the quote's.
        let error = parse("title: \"Borne\nen: Hertme\"\nsite: [x\nb: c\n", 2).unwrap_err();
        assert!(
            !error.message.contains("dit aanhalingsteken"),
            "{}",
            error.message
        );
        assert_ne!(error.position.line, 2, "{}", error.message);
        // Legal: a quoted value over two lines, escapes, quotes inside.
        assert_eq!(unclosed_quote("title: \"Borne\n  en Hertme\"\n"), None);
        assert_eq!(unclosed_quote("title: \"a \\\" b\"\nx: 'it''s'\n"), None);
        assert_eq!(unclosed_quote("title: Het 's avonds\n"), None);
        assert!(parse("title: \"Borne\n  en Hertme\"\n", 1).is_ok());
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
