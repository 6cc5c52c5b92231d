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

/// The body of a file whose front matter could not be read, and its byte
/// offset, if the front matter is closed: its headings still count.
pub fn body_despite_front_matter(text: &str) -> Option<(&str, usize)> {
    let first_line = text.lines().next()?;
    if first_line.trim_end() != "---" {
        return None;
    }
    let mut offset = first_line.len() + 1;
    for line in text.get(offset..)?.split_inclusive('\n') {
        offset += line.len();
        if matches!(line.trim_end(), "---" | "...") {
            return Some((&text[offset..], offset));
        }
    }
    None
}

/// The title a file's front matter seems to give, read line by line: for a
/// page whose front matter does not parse, so that links to it by title
/// still find it.
pub fn title_despite_front_matter(text: &str) -> Option<String> {
    let value = text
        .lines()
        .skip(1)
        .take_while(|line| !matches!(line.trim_end(), "---" | "..."))
        .find_map(|line| line.strip_prefix("title:"))?
        .trim();
    let unquoted = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
        .unwrap_or(value);
    let plain = !unquoted.is_empty() && !unquoted.starts_with(['[', '{', '&', '*', '!', '|', '>']);
    plain.then(|| unquoted.to_owned())
}

/// The line number (from 1) of the `title:` line of the front matter.
pub fn title_line(text: &str) -> Option<usize> {
    if !text.lines().next()?.trim_end().eq("---") {
        return None;
    }
    text.lines()
        .enumerate()
        .skip(1)
        .take_while(|(_, line)| !matches!(line.trim_end(), "---" | "..."))
        .find(|(_, line)| line.starts_with("title:"))
        .map(|(index, _)| index + 1)
}

fn yaml_diagnostic(file: &SourceFile, error: yaml::YamlError) -> Diagnostic {
    let mut position = error.position;
    let lines: Vec<&str> = file.text.lines().collect();
    let line = lines
        .get(position.line.saturating_sub(1))
        .copied()
        .unwrap_or_default();
    // Mark the tab itself rather than the character after it.
    if error.message.contains("tab")
        && let Some(tab) = line.chars().position(|c| c == '\t')
    {
        position.column = tab + 1;
    }
    // A bracket left open shows only where the parser gives up, often on a
    // later line: point at the bracket instead.
    let (mut message, mut help) = (error.message, error.help);
    if let Some(opened) = unclosed_bracket_before(&lines, position.line) {
        position = opened;
        let bracket = lines[opened.line - 1]
            .chars()
            .nth(opened.column - 1)
            .unwrap_or('[');
        let closing = if bracket == '{' { '}' } else { ']' };
        message = format!("ongeldige YAML in de kopgegevens: deze `{bracket}` wordt niet gesloten");
        help = format!(
            "sluit de lijst met `{closing}` aan het eind van de waarde, of zet de tekst tussen aanhalingstekens als de `{bracket}` erbij hoort"
        );
    }
    Diagnostic::error(&file.display_path, message)
        .at(&file.text, position)
        .help(help)
}

/// Where a `[` or `{` that starts a value on an earlier line than `line`
/// is still open at that line, if one is: the front matter's own lines,
/// from the line after the opening `---`.
fn unclosed_bracket_before(lines: &[&str], line: usize) -> Option<Position> {
    let mut open: Option<Position> = None;
    let mut depth = 0usize;
    for (number, text) in lines.iter().enumerate().map(|(i, t)| (i + 1, t)).skip(1) {
        if number >= line {
            break;
        }
        let mut quote: Option<char> = None;
        let start = if depth > 0 {
            Some(0)
        } else {
            value_start(text)
        };
        let Some(start) = start else { continue };
        for (column, c) in text.char_indices().skip_while(|(at, _)| *at < start) {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '#') if depth > 0 => break,
                (None, '[' | '{') => {
                    if depth == 0 {
                        open = Some(Position::new(number, text[..column].chars().count() + 1));
                    }
                    depth += 1;
                }
                (None, ']' | '}') => depth = depth.saturating_sub(1),
                _ if depth == 0 => break,
                _ => {}
            }
        }
    }
    open.filter(|_| depth > 0)
}

/// Where the value of a `key: value` or `- value` line starts, if it
/// starts with a bracket (only then can it span lines).
fn value_start(line: &str) -> Option<usize> {
    let trimmed = line.trim_start();
    let indent = line.len() - trimmed.len();
    let after = if let Some(rest) = trimmed.strip_prefix("- ") {
        indent + 2 + (rest.len() - rest.trim_start().len())
    } else {
        let colon = trimmed.find(": ")?;
        let rest = &trimmed[colon + 2..];
        indent + colon + 2 + (rest.len() - rest.trim_start().len())
    };
    line[after..].starts_with(['[', '{']).then_some(after)
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
    fn a_bracket_left_open_is_reported_where_it_opens() {
        let error = split(&file(
            "---\ntitle: A\nmotto: [kapot\nmembers: [a, b]\n---\n",
        ))
        .unwrap_err();
        assert_eq!(error.location(), "content/a.md:3:8", "{error:?}");
        assert!(error.message.contains("niet gesloten"), "{error:?}");
    }

    #[test]
    fn yaml_errors_point_into_the_markdown_file() {
        let error = split(&file("---\ntitle: A\nb: [1\n---\n")).unwrap_err();
        assert!(error.position.unwrap().line >= 3, "{error:?}");
    }
}
