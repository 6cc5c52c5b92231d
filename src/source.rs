//! Reading source files as editors save them: a UTF-8 BOM and CRLF line
//! endings are accepted, anything that is not UTF-8 is reported with the
//! position of the first bad byte.

use crate::diagnostics::{Diagnostic, Position};
use std::path::Path;

/// A text file of the site, normalised to LF line endings.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the site root with forward slashes, as shown in errors.
    pub display_path: String,
    pub text: String,
}

pub fn read_source(path: &Path, display_path: &str) -> Result<SourceFile, Diagnostic> {
    let bytes = std::fs::read(path).map_err(|e| {
        Diagnostic::error(
            display_path,
            format!(
                "het bestand kan niet gelezen worden: {}",
                crate::diagnostics::io_reason(&e)
            ),
        )
        .at("", Position::new(1, 1))
        .help("controleer of het bestand bestaat en of u het mag lezen")
    })?;
    decode_source(bytes, display_path)
}

pub fn decode_source(bytes: Vec<u8>, display_path: &str) -> Result<SourceFile, Diagnostic> {
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let valid_text = String::from_utf8_lossy(&bytes[..valid]);
        let position = Position::of_offset(&valid_text, valid);
        let lossy = String::from_utf8_lossy(bytes);
        Diagnostic::error(display_path, "het bestand is geen UTF-8-tekst")
            .at(&lossy, position)
            .help(
                "sla het bestand op als UTF-8 (in de meeste editors: \"Opslaan als\" \
                 en codering \"UTF-8\"); dit teken is waarschijnlijk in een andere \
                 codering opgeslagen, zoals Windows-1252",
            )
    })?;
    let text = if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text
    };
    if let Some(at) = text.find('\r') {
        let cr_only = !text.contains('\n');
        let (message, help) = if cr_only {
            (
                "het bestand gebruikt alleen CR als regeleinde (zoals oude Mac-programma's)",
                "sla het bestand op met gewone regeleinden (LF, of CRLF zoals Windows); in de meeste editors staat dat onder \"Regeleinden\" of \"Line endings\"",
            )
        } else {
            (
                "op deze regel staat een losse CR (een regeleinde van oude Mac-programma's)",
                "verwijder het onzichtbare teken of sla het bestand op met gewone regeleinden (LF of CRLF)",
            )
        };
        let shown = text.replace('\r', "\n");
        return Err(Diagnostic::error(display_path, message)
            .at(
                &shown,
                Position::of_offset(&shown, if cr_only { 0 } else { at }),
            )
            .help(help));
    }
    if let Some(line) = conflict_marker_line(&text) {
        return Err(Diagnostic::error(
            display_path,
            "in dit bestand staan nog markeringen van een git-conflict (`<<<<<<<`)",
        )
        .at(&text, Position::new(line, 1))
        .marker(7)
        .help(
            "kies per conflict welke tekst blijft: verwijder de regels met `<<<<<<<`, `=======` en `>>>>>>>` \
             en de tekst die weg moet, en leg het bestand opnieuw vast",
        ));
    }
    Ok(SourceFile {
        display_path: display_path.to_owned(),
        text,
    })
}

/// The line (1-based) of the first merge-conflict marker git leaves in a
/// file: `<<<<<<<` or `>>>>>>>` at the start of a line, alone or with a
/// branch name. (`=======` alone is also a Markdown heading underline.)
fn conflict_marker_line(text: &str) -> Option<usize> {
    text.lines()
        .position(|line| {
            ["<<<<<<<", ">>>>>>>"].iter().any(|marker| {
                line.strip_prefix(marker)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
            })
        })
        .map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_and_crlf_are_normalised() {
        let file =
            decode_source(b"\xEF\xBB\xBF---\r\ntitle: A\r\n---\r\n".to_vec(), "a.md").unwrap();
        assert_eq!(file.text, "---\ntitle: A\n---\n");
    }

    #[test]
    fn invalid_utf8_names_the_position_of_the_bad_byte() {
        let error = decode_source(b"---\ntitle: Caf\xE9\n".to_vec(), "a.md").unwrap_err();
        assert_eq!(error.location(), "a.md:2:11");
    }
}
