//! Errors and warnings for editors: every one names file:line:column, shows
//! the source line with a marker and says how to fix it. A build collects
//! all of them before it stops, so one run reports every problem.

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use std::fmt::Write as _;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

/// A position in a source file, 1-based, columns counted in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl Position {
    pub fn new(line: usize, column: usize) -> Self {
        Self { line, column }
    }

    /// The position of byte `offset` in `text`.
    pub fn of_offset(text: &str, offset: usize) -> Self {
        let offset = offset.min(text.len());
        let before = &text[..floor_char_boundary(text, offset)];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Self {
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
        }
    }

    /// The byte of `text` at this position (its end if past it).
    pub fn offset_in(self, text: &str) -> usize {
        let line_start = match self.line {
            0 | 1 => 0,
            n => text
                .match_indices('\n')
                .nth(n - 2)
                .map_or(text.len(), |(at, _)| at + 1),
        };
        text[line_start..]
            .char_indices()
            .nth(self.column.saturating_sub(1))
            .map_or(text.len(), |(at, _)| line_start + at)
    }
}

/// Where `words` are written in `text`, from byte `from` on, a space
/// between them matching any run of white space: a folded or multi-line
/// YAML value joins its lines with single spaces.
pub fn find_written(text: &str, from: usize, words: &str) -> Option<usize> {
    let words: Vec<&str> = words.split_whitespace().collect();
    let (first, rest) = words.split_first()?;
    let mut start = from;
    while let Some(found) = text.get(start..)?.find(first) {
        let at = start + found;
        let mut after = &text[at + first.len()..];
        let whole = rest.iter().all(|word| {
            let spaced = after.trim_start();
            match spaced.strip_prefix(word) {
                Some(next) if spaced.len() < after.len() => {
                    after = next;
                    true
                }
                _ => false,
            }
        });
        if whole {
            return Some(at);
        }
        start = at + first.len();
    }
    None
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// What went wrong with a file or folder, in Dutch: the system's own
/// message is English ("No such file or directory (os error 2)").
pub fn io_reason(error: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let reason = match error.kind() {
        K::NotFound => "het bestand of de map bestaat niet",
        K::PermissionDenied => "twn heeft geen toestemming",
        K::AlreadyExists => "er staat al een bestand of map met die naam",
        K::IsADirectory => "dit is een map, geen bestand",
        K::NotADirectory => "een deel van het pad is een bestand, geen map",
        K::DirectoryNotEmpty => "de map is niet leeg",
        K::StorageFull | K::QuotaExceeded => "de schijf is vol",
        K::ReadOnlyFilesystem => "de schijf is alleen-lezen",
        K::InvalidInput | K::InvalidData => return error.to_string(),
        K::InvalidFilename => "de naam is te lang of ongeldig",
        K::AddrInUse => "die poort is al in gebruik",
        K::AddrNotAvailable => "dat adres hoort niet bij deze computer",
        _ if error.raw_os_error() == Some(36) => "de naam is te lang",
        _ => "het besturingssysteem gaf een fout",
    };
    reason.to_owned()
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the site root, with forward slashes.
    pub file: String,
    pub position: Option<Position>,
    /// The source line at `position`, shown under the message.
    pub source_line: Option<String>,
    /// How many characters the marker under the source line spans.
    pub marker_len: usize,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(file: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            file: file.into(),
            position: None,
            source_line: None,
            marker_len: 1,
            message: message.into(),
            help: None,
        }
    }

    pub fn warning(file: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(file, message)
        }
    }

    /// Points the diagnostic at `position` in `source` (the whole file).
    pub fn at(mut self, source: &str, position: Position) -> Self {
        self.source_line = source
            .lines()
            .nth(position.line.saturating_sub(1))
            .map(str::to_owned);
        self.position = Some(position);
        self
    }

    pub fn marker(mut self, len: usize) -> Self {
        self.marker_len = len.max(1);
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:column`, or just the file when there is no position.
    pub fn location(&self) -> String {
        match self.position {
            Some(p) => format!("{}:{}:{}", self.file, p.line, p.column),
            None => self.file.clone(),
        }
    }

    /// The diagnostic as shown on a terminal, with the source line and marker.
    pub fn render(&self, renderer: &Renderer) -> String {
        let level = match self.severity {
            Severity::Error => Level::ERROR.with_name("fout"),
            Severity::Warning => Level::WARNING.with_name("waarschuwing"),
        };
        let title = level.primary_title(self.message.as_str());
        let mut groups = Vec::new();
        match (&self.source_line, self.position) {
            (Some(line), Some(position)) => {
                let start = line
                    .char_indices()
                    .nth(position.column - 1)
                    .map_or(line.len(), |(i, _)| i);
                let end = line[start..]
                    .char_indices()
                    .nth(self.marker_len)
                    .map_or(line.len(), |(i, _)| start + i);
                groups.push(
                    title.element(
                        Snippet::source(line.as_str())
                            .line_start(position.line)
                            .path(self.file.as_str())
                            .annotation(AnnotationKind::Primary.span(start..end.max(start))),
                    ),
                );
            }
            _ => groups.push(title.element(annotate_snippets::Origin::path(self.location()))),
        }
        if let Some(help) = &self.help {
            groups.push(Group::with_title(
                Level::HELP
                    .with_name("oplossing")
                    .secondary_title(help.as_str()),
            ));
        }
        renderer.render(&groups)
    }
}

/// All diagnostics of one run, collected as the stages find them.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
    /// `--strict`: every warning is taken in as an error.
    strict: bool,
}

impl Diagnostics {
    /// A collector; with `strict`, warnings count as errors.
    pub fn new(strict: bool) -> Diagnostics {
        Diagnostics {
            items: Vec::new(),
            strict,
        }
    }

    pub fn push(&mut self, mut diagnostic: Diagnostic) {
        if self.strict {
            diagnostic.severity = Severity::Error;
        }
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        for diagnostic in other {
            self.push(diagnostic);
        }
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// Sorted by file and position, errors before warnings at the same place;
    /// the same problem met by many pages (a template error) is listed once.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let key = |d: &&Diagnostic| (d.file.clone(), d.position, d.severity, d.message.clone());
        let mut items: Vec<&Diagnostic> = self.items.iter().collect();
        items.sort_by_key(key);
        items.dedup_by_key(|d| key(&&**d));
        items
    }

    /// Every diagnostic, in the order taken in.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }

    /// Everything, as a terminal shows it, ending with a count.
    pub fn report(&self, styled: bool) -> String {
        let renderer = if styled {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let shown = self.sorted();
        let mut out = String::new();
        for diagnostic in &shown {
            let _ = writeln!(out, "{}\n", diagnostic.render(&renderer));
        }
        let errors = shown.iter().filter(|d| d.is_error()).count();
        let warnings = shown.len() - errors;
        if errors + warnings > 0 {
            let _ = writeln!(
                out,
                "{} {}, {} {}",
                errors,
                if errors == 1 { "fout" } else { "fouten" },
                warnings,
                if warnings == 1 {
                    "waarschuwing"
                } else {
                    "waarschuwingen"
                }
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_one_based_character_positions() {
        let text = "ab\ncö d\n";
        assert_eq!(Position::of_offset(text, 0), Position::new(1, 1));
        assert_eq!(Position::of_offset(text, 3), Position::new(2, 1));
        // "ö" is two bytes but one column.
        assert_eq!(Position::of_offset(text, 7), Position::new(2, 4));
    }

    #[test]
    fn the_same_problem_met_many_times_is_reported_once_in_order() {
        let mut all = Diagnostics::default();
        for file in ["b.md", "a.md", "a.md"] {
            all.push(Diagnostic::error(file, "kapot").at("x\n", Position::new(1, 1)));
        }
        let files: Vec<&str> = all.sorted().iter().map(|d| d.file.as_str()).collect();
        assert_eq!(files, ["a.md", "b.md"]);
        assert!(all.report(false).ends_with("2 fouten, 0 waarschuwingen\n"));
    }

    #[test]
    fn a_strict_collector_takes_warnings_in_as_errors() {
        let mut strict = Diagnostics::new(true);
        strict.push(Diagnostic::warning("a.md", "ondiepe kloon"));
        strict.extend([Diagnostic::warning("b.md", "symbolische link")]);
        assert_eq!((strict.error_count(), strict.warning_count()), (2, 0));
        let mut lenient = Diagnostics::default();
        lenient.push(Diagnostic::warning("a.md", "ondiepe kloon"));
        assert!(!lenient.has_errors());
    }

    #[test]
    fn rendering_names_file_line_and_column_and_marks_the_source() {
        let source = "---\ntitel: X\n---\n";
        let d = Diagnostic::error("content/a.md", "onbekend veld")
            .at(source, Position::new(2, 1))
            .marker(5)
            .help("bedoelt u `title`?");
        let text = d.render(&Renderer::plain());
        assert!(text.contains("content/a.md:2:1"), "{text}");
        assert!(text.contains("titel: X"), "{text}");
        assert!(text.contains("^^^^^"), "{text}");
        assert!(text.contains("bedoelt u `title`?"), "{text}");
    }
}
