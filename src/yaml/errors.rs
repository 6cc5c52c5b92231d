//! YAML errors told to editors: the parser's message in their words, and
//! the place where an unclosed quote began rather than where the parser
//! gave up.

use crate::diagnostics::Position;

pub(super) fn unclosed_quote(yaml: &str) -> Option<(Position, usize)> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse;

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
}
