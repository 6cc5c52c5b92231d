//! Where in the form a problem of the file belongs: the field at its
//! line and column, found in the front matter as written, or the body.

use super::draft::{FieldPath, Step};
use crate::diagnostics::Position;
use crate::source::SourceFile;
use crate::yaml::{Node, Value};

/// The part of the page a position in its file falls in.
#[derive(Debug, Clone, PartialEq)]
pub enum Place {
    /// A field of the front matter, as deep as the position reaches.
    Field(FieldPath),
    Body,
    /// Before the first field, or a file that cannot be read.
    Page,
}

/// Where `position` is in the page file `text` (without a byte-order mark).
pub fn place_of(text: &str, position: Position) -> Place {
    let source = SourceFile {
        display_path: String::new(),
        text: text.replace("\r\n", "\n"),
    };
    let Ok(split) = crate::frontmatter::split(&source) else {
        return Place::Page;
    };
    let body_line = source.text[..split.body_offset].matches('\n').count() + 1;
    if position.line >= body_line {
        return Place::Body;
    }
    let mut path = Vec::new();
    walk(&split.front_matter, position, &mut path);
    if path.is_empty() {
        Place::Page
    } else {
        Place::Field(path)
    }
}

fn before_or_at(node: &Node, position: Position) -> bool {
    (node.position.line, node.position.column) <= (position.line, position.column)
}

fn walk(node: &Node, position: Position, path: &mut FieldPath) {
    match &node.value {
        Value::Map(entries) => {
            let Some((key, value)) = entries
                .iter()
                .rev()
                .find(|(k, _)| before_or_at(k, position))
            else {
                return;
            };
            path.push(Step::Key(key.plain_text()));
            walk(value, position, path);
        }
        Value::List(items) => {
            if let Some(at) = items.iter().rposition(|item| before_or_at(item, position)) {
                path.push(Step::Item(at));
                walk(&items[at], position, path);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_fall_in_the_deepest_field_they_reach() {
        let text = "---\ntitle: T\nmembers: [almelo, borne]\nbodies:\n  - id: a\n    relations:\n      - { type: stuurt-aan, to: b }\n---\n\nTekst\n";
        let key = |k: &str| Step::Key(k.into());
        assert_eq!(
            place_of(text, Position::new(2, 8)),
            Place::Field(vec![key("title")])
        );
        assert_eq!(
            place_of(text, Position::new(3, 19)),
            Place::Field(vec![key("members"), Step::Item(1)])
        );
        assert_eq!(
            place_of(text, Position::new(7, 36)),
            Place::Field(vec![
                key("bodies"),
                Step::Item(0),
                key("relations"),
                Step::Item(0),
                key("to")
            ])
        );
        assert_eq!(place_of(text, Position::new(10, 1)), Place::Body);
        assert_eq!(place_of(text, Position::new(1, 1)), Place::Page);
    }
}
