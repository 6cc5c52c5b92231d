//! Splitting a Markdown file into its YAML front matter and its body.

use crate::diagnostics::{Diagnostic, Position};
use crate::source::SourceFile;
use crate::yaml::{self, Node};

#[derive(Debug)]
pub struct Split<'a> {
    pub front_matter: Node,
    pub body: &'a str,
    /// Byte offset of the body in the file, to map body offsets to positions.
    pub body_offset: usize,
}

pub fn split(file: &SourceFile) -> Result<Split<'_>, Diagnostic> {
    let text = file.text.as_str();
    let path = file.display_path.as_str();
    if text.trim().is_empty() {
        return Err(Diagnostic::error(path, "het bestand is leeg")
            .at(text, Position::new(1, 1))
            .help("begin de pagina met kopgegevens, bijvoorbeeld:\n---\ntitle: Titel van de pagina\n---"));
    }
    let first_line = text.lines().next().unwrap_or_default();
    if first_line.trim_end() != "---" {
        return Err(
            Diagnostic::error(path, "de pagina begint niet met kopgegevens (`---`)")
                .at(text, Position::new(1, 1))
                .marker(first_line.chars().count())
                .help("zet op de eerste regel `---`, daarna de velden (zoals `title: …`) en sluit af met een regel `---`"),
        );
    }
    let yaml_start = first_line.len() + 1;
    let mut offset = yaml_start;
    for line in text[yaml_start.min(text.len())..].split_inclusive('\n') {
        let bare = line.trim_end();
        if bare == "---" || bare == "..." {
            let yaml_text = &text[yaml_start..offset];
            let front_matter = yaml::parse(yaml_text, 2).map_err(|e| yaml_diagnostic(file, e))?;
            let body_offset = offset + line.len();
            return Ok(Split {
                front_matter,
                body: &text[body_offset..],
                body_offset,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error(path, "de kopgegevens worden niet afgesloten")
        .at(text, Position::new(1, 1))
        .marker(3)
        .help("de kopgegevens beginnen hier met `---`; zet na het laatste veld een regel met alleen `---`"))
}

fn yaml_diagnostic(file: &SourceFile, error: yaml::YamlError) -> Diagnostic {
    let (message, help) = explain_yaml_error(&error.message);
    let mut position = error.position;
    // Mark the tab itself rather than the character after it.
    let line = file
        .text
        .lines()
        .nth(position.line.saturating_sub(1))
        .unwrap_or_default();
    if message.contains("tab")
        && let Some(tab) = line.chars().position(|c| c == '\t')
    {
        position.column = tab + 1;
    }
    Diagnostic::error(&file.display_path, message)
        .at(&file.text, position)
        .help(help)
}

/// The parser's message in an editor's words, for the mistakes editors make.
fn explain_yaml_error(parser_message: &str) -> (String, String) {
    let lower = parser_message.to_lowercase();
    if let Some(rest) = lower.strip_prefix("duplicate mapping key: ") {
        let key = rest.split(',').next().unwrap_or(rest).trim();
        return (
            format!("het veld `{key}` staat twee keer in de kopgegevens"),
            "elk veld mag maar één keer voorkomen: verwijder of voeg de twee regels samen".into(),
        );
    }
    if lower.contains("tabs ") || lower.contains("tab character") {
        return (
            "ongeldige YAML in de kopgegevens: een tab gebruikt om in te springen".into(),
            "YAML staat geen tabs toe om in te springen: vervang de tab aan het begin van de regel door spaties".into(),
        );
    }
    if lower.contains("mapping values are not allowed") {
        return (
            "ongeldige YAML in de kopgegevens: een `:` op een plek waar geen veld kan beginnen".into(),
            "springt deze regel in zonder dat het veld erboven een groep is? Haal dan de spaties aan het begin weg. \
             Staat er `: ` in een tekst? Zet de tekst dan tussen aanhalingstekens"
                .into(),
        );
    }
    let message = if lower.contains("unclosed") {
        format!(
            "ongeldige YAML in de kopgegevens: een haakje of aanhalingsteken wordt niet gesloten ({parser_message})"
        )
    } else {
        format!("ongeldige YAML in de kopgegevens: {parser_message}")
    };
    (
        message,
        "controleer de schrijfwijze: `veld: waarde`, lijsten met `- ` op een nieuwe regel, \
         en zet tekst met `: ` of `#` tussen aanhalingstekens"
            .into(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile {
            display_path: "content/a.md".into(),
            text: text.into(),
        }
    }

    #[test]
    fn splits_front_matter_and_body() {
        let f = file("---\ntitle: A\n---\n# Kop\n");
        let split = split(&f).unwrap();
        assert_eq!(split.body, "# Kop\n");
        assert_eq!(split.body_offset, 17);
        assert_eq!(
            split.front_matter.get("title").unwrap().position,
            Position::new(2, 8)
        );
    }

    #[test]
    fn unclosed_front_matter_points_at_the_opening_line() {
        let error = split(&file("---\ntitle: A\n# Kop\n")).unwrap_err();
        assert_eq!(error.location(), "content/a.md:1:1");
        assert!(error.message.contains("niet afgesloten"));
    }

    #[test]
    fn yaml_errors_point_into_the_markdown_file() {
        let error = split(&file("---\ntitle: A\nb: [1\n---\n")).unwrap_err();
        assert!(error.position.unwrap().line >= 3, "{error:?}");
    }
}
