//! The theme: Tera templates, static assets and the interface strings of
//! one language, all from `themes/<name>/`.

use crate::diagnostics::{Diagnostic, Position};
use crate::folders::THEMES_DIR;
use crate::source::{SourceFile, read_source};
use indexmap::IndexMap;
use std::path::{Path, PathBuf};
use tera::{ErrorKind, Kwargs, State, Tera};

/// Templates every theme must have; collections may add `<collection>.html`.
/// The editor's form page; not required of a theme.
pub const EDIT_TEMPLATE: &str = "edit.html";

/// The editor's and the page links' words from the default theme, for
/// themes made before twn had them.
fn default_edit_strings() -> Vec<(String, String)> {
    let defaults: IndexMap<String, String> =
        serde_saphyr::from_str(include_str!("../../themes/default/strings/nl.yaml"))
            .unwrap_or_default();
    defaults
        .into_iter()
        .filter(|(key, _)| {
            ["edit_", "diff_field_", "pager_"]
                .iter()
                .any(|prefix| key.starts_with(prefix))
        })
        .collect()
}

/// Whether `author.html`, or a template it includes, uses `pager`, comments
/// left out.
fn shows_pager(sources: &[(String, SourceFile)]) -> bool {
    let text_of = |name: &str| {
        sources
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, file)| without_comments(&file.text))
            .unwrap_or_default()
    };
    let author = text_of("author.html");
    let mut included = author
        .split("include")
        .skip(1)
        .filter_map(|rest| rest.trim_start().strip_prefix('"')?.split('"').next());
    author.contains("pager") || included.any(|name| text_of(name).contains("pager"))
}

/// A template's text without its `{# ... #}` comments.
fn without_comments(text: &str) -> String {
    let mut kept = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{#") {
        kept.push_str(&rest[..start]);
        rest = rest[start..]
            .find("#}")
            .map_or("", |end| &rest[start + end + 2..]);
    }
    kept.push_str(rest);
    kept
}

pub const REQUIRED_TEMPLATES: [&str; 14] = [
    "base.html",
    "authors.html",
    "author.html",
    "gone.html",
    "page.html",
    "home.html",
    "list.html",
    "orgchart.html",
    "404.html",
    "redirect.html",
    "history.html",
    "diff.html",
    "recent.html",
    "search.html",
];

pub struct Theme {
    pub tera: Tera,
    /// A hash of every template and string: what rendered pages depend on.
    pub fingerprint: String,
    pub strings: IndexMap<String, String>,
    pub static_dir: PathBuf,
    /// A hash of the theme's style sheets and scripts, which pages add to
    /// their addresses (`style.css?v=…`): a browser that kept an older
    /// script asks for the new one, instead of reading a newer index with it.
    pub assets_version: String,
    /// Every template's name and text, for telling which ones a change reached.
    pub templates: Vec<(String, String)>,
    /// Whether `author.html` shows the links between the pages of an
    /// author's changes (`pager`): only then is the list split over pages.
    /// A theme copied before twn split them shows the whole list.
    pub shows_pager: bool,
    /// The theme's folder as editors see it: `themes/<name>`.
    pub display_dir: String,
}

impl Theme {
    pub fn load(site_root: &Path, name: &str, language: &str) -> Result<Theme, Vec<Diagnostic>> {
        let theme_dir = site_root.join(THEMES_DIR).join(name);
        let display_dir = format!("themes/{name}");
        let templates_dir = theme_dir.join("templates");
        let linked: Vec<Diagnostic> = [
            (THEMES_DIR.to_owned(), site_root.join(THEMES_DIR)),
            (display_dir.clone(), theme_dir.clone()),
            (format!("{display_dir}/templates"), templates_dir.clone()),
            (format!("{display_dir}/static"), theme_dir.join("static")),
            (format!("{display_dir}/strings"), theme_dir.join("strings")),
        ]
        .into_iter()
        .filter(|(_, path)| crate::page::is_symlink(path))
        .map(|(shown, _)| crate::page::linked_folder_error(&shown))
        .collect();
        if !linked.is_empty() {
            return Err(linked);
        }
        if !templates_dir.is_dir() {
            let config = std::fs::read_to_string(site_root.join(crate::folders::CONFIG_FILE))
                .unwrap_or_default();
            return Err(vec![
                Diagnostic::error(
                    crate::folders::CONFIG_FILE,
                    format!(
                        "het thema `{name}` bestaat niet: de map {display_dir}/templates ontbreekt"
                    ),
                )
                .at(&config, crate::config::position_of_key(&config, "theme"))
                .help(
                    "zet `theme:` in twn.yaml op een map in themes/, bijvoorbeeld `theme: default`",
                ),
            ]);
        }
        let mut problems = Vec::new();
        let mut sources = Vec::new();
        for entry in walkdir::WalkDir::new(&templates_dir)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
        {
            if !entry.file_type().is_file() {
                continue;
            }
            let relative = entry
                .path()
                .strip_prefix(&templates_dir)
                .unwrap_or(entry.path());
            let template_name = relative.to_string_lossy().replace('\\', "/");
            let display = format!("{display_dir}/templates/{template_name}");
            match read_source(entry.path(), &display) {
                Ok(file) => sources.push((template_name, file)),
                Err(d) => problems.push(d),
            }
        }
        for required in REQUIRED_TEMPLATES {
            if !sources.iter().any(|(n, _)| n == required) {
                problems.push(
                    Diagnostic::error(format!("{display_dir}/templates/{required}"), format!("het sjabloon `{required}` ontbreekt in het thema `{name}`"))
                        .help(format!("elk thema heeft deze sjablonen nodig: {}; kopieer de ontbrekende uit themes/default/templates", REQUIRED_TEMPLATES.join(", "))),
                );
            }
        }
        // The editor of `twn serve` works with any theme: one without its
        // own form gets the default theme's.
        if !sources.iter().any(|(n, _)| n == EDIT_TEMPLATE) {
            sources.push((
                EDIT_TEMPLATE.to_owned(),
                SourceFile {
                    display_path: format!("{display_dir}/templates/{EDIT_TEMPLATE}"),
                    text: include_str!("../../themes/default/templates/edit.html").to_owned(),
                },
            ));
        }
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(crate::text::write_template_escaped);
        register_filters(&mut tera);
        let compiled =
            tera.add_raw_templates(sources.iter().map(|(n, f)| (n.as_str(), f.text.as_str())));
        if let Err(error) = compiled {
            // Compiling stops at the first syntax error; compiling each
            // template alone finds them all.
            let syntax_errors: Vec<Diagnostic> = sources
                .iter()
                .filter_map(|(template_name, file)| {
                    let mut probe = Tera::new();
                    register_filters(&mut probe);
                    let error = probe.add_raw_template(template_name, &file.text).err()?;
                    syntax_diagnostic(&error, file)
                })
                .collect();
            if !syntax_errors.is_empty() {
                problems.extend(syntax_errors);
            } else if problems.is_empty() {
                problems.push(template_diagnostic(&error, &display_dir));
            }
        }
        let strings_path = theme_dir.join("strings").join(format!("{language}.yaml"));
        let strings_display = format!("{display_dir}/strings/{language}.yaml");
        let strings = match read_source(&strings_path, &strings_display) {
            Ok(file) => match serde_saphyr::from_str::<IndexMap<String, String>>(&file.text) {
                Ok(strings) => strings,
                Err(error) => {
                    let position = error.location().map_or(Position::new(1, 1), |l| {
                        Position::new(l.line().max(1) as usize, l.column().max(1) as usize)
                    });
                    problems.push(
                        Diagnostic::error(
                            &strings_display,
                            "ongeldige teksten: elke regel is `sleutel: tekst`",
                        )
                        .at(&file.text, position),
                    );
                    IndexMap::new()
                }
            },
            Err(d) => {
                problems.push(d.help(format!("het thema heeft voor de taal `{language}` een bestand strings/{language}.yaml nodig")));
                IndexMap::new()
            }
        };
        let mut strings = strings;
        for (key, text) in default_edit_strings() {
            strings.entry(key).or_insert(text);
        }
        let mut fingerprint = crate::fingerprint::KeyBuilder::new("thema");
        for (template_name, file) in &sources {
            fingerprint.add(template_name).add(&file.text);
        }
        for (key, text) in &strings {
            fingerprint.add(key).add(text);
        }
        let assets_version = assets_version(&theme_dir.join("static"));
        // Pages name the version: cached old versions are made again with it.
        fingerprint.add(&assets_version);
        let shows_pager = shows_pager(&sources);
        if problems.is_empty() {
            Ok(Theme {
                shows_pager,
                display_dir,
                assets_version,
                fingerprint: fingerprint.finish(),
                tera,
                strings,
                static_dir: theme_dir.join("static"),
                templates: sources.into_iter().map(|(n, f)| (n, f.text)).collect(),
            })
        } else {
            Err(problems)
        }
    }

    /// The template for a page of `collection`: `<collection>.html` if the
    /// theme has one, else `page.html`.
    pub fn page_template(&self, collection: Option<&str>) -> String {
        collection
            .map(|c| format!("{c}.html"))
            .filter(|t| self.tera.contains_template(t))
            .unwrap_or_else(|| "page.html".into())
    }
}

/// A short hash of every file in the theme's `static/`, by its name there
/// and its bytes: the same wherever and by whichever twn the site is built.
fn assets_version(static_dir: &Path) -> String {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(static_dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .collect();
    files.sort();
    let mut key = crate::fingerprint::KeyBuilder::of_parts_only("thema-bestanden");
    for file in &files {
        let bytes = std::fs::read(file).unwrap_or_default();
        let name = file.strip_prefix(static_dir).unwrap_or(file);
        // Bytes as they are: as text, two images could read the same.
        key.add(&name.to_string_lossy()).add_bytes(&bytes);
    }
    key.finish().chars().take(10).collect()
}

fn register_filters(tera: &mut Tera) {
    // A count with its noun in the form the number needs, both forms from
    // the strings file: `{{ n | aantal(een=t.line_added, meer=t.lines_added) }}`
    // gives "1 regel toegevoegd" and "3 regels toegevoegd".
    tera.register_filter(
        "aantal",
        |count: i64, kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let one = kwargs.must_get::<&str>("een")?;
            let many = kwargs.must_get::<&str>("meer")?;
            Ok(format!("{count} {}", if count == 1 { one } else { many }))
        },
    );
    // ISO dates (2019-09-23) as Dutch readers write them (23-09-2019).
    tera.register_filter("datum", |iso: &str, _: Kwargs, _: &State| {
        let parts: Vec<&str> = iso.split('-').collect();
        match parts.as_slice() {
            [y, m, d] => format!("{d}-{m}-{y}"),
            _ => iso.to_owned(),
        }
    });
}

fn syntax_diagnostic(error: &tera::Error, file: &crate::source::SourceFile) -> Option<Diagnostic> {
    let ErrorKind::SyntaxError(report) = error.kind() else {
        return None;
    };
    let span = report.span();
    Some(
        Diagnostic::error(&file.display_path, format!("fout in sjabloon: {}", report.message()))
            .at(&file.text, Position::new(span.start_line.max(1), span.start_col + 1))
            .marker(if span.start_line == span.end_line { span.end_col.saturating_sub(span.start_col) } else { 1 })
            .help("controleer of elke `{{`, `{%` en `{#` goed wordt afgesloten en of elk blok (`if`, `for`, `block`) een `end` heeft"),
    )
}

/// Errors that concern the theme as a whole (a missing parent template).
pub fn template_diagnostic(error: &tera::Error, display_dir: &str) -> Diagnostic {
    match error.kind() {
        ErrorKind::MissingParent { current, parent } => Diagnostic::error(
            format!("{display_dir}/templates/{current}"),
            format!(
                "het sjabloon `{current}` bouwt voort op `{parent}`, maar dat sjabloon ontbreekt"
            ),
        )
        .help(format!(
            "maak {display_dir}/templates/{parent} aan of verbeter de naam in `{{% extends %}}`"
        )),
        ErrorKind::TemplateNotFound(name) => Diagnostic::error(
            format!("{display_dir}/templates/{name}"),
            format!("het sjabloon `{name}` ontbreekt"),
        )
        .help(format!(
            "maak {display_dir}/templates/{name} aan of verbeter de naam in `{{% include %}}`"
        )),
        ErrorKind::RenderingError(report) | ErrorKind::SyntaxError(report) => Diagnostic::error(
            format!(
                "{display_dir}/templates/{}:{}:{}",
                report.filename(),
                report.span().start_line,
                report.span().start_col + 1
            ),
            format!("fout in sjabloon: {}", report.message()),
        ),
        other => Diagnostic::error(display_dir, format!("fout in het thema: {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::assets_version;

    #[test]
    fn the_assets_version_changes_with_any_byte_of_a_file_that_is_not_text() {
        let version_with = |bytes: &[u8]| {
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(dir.path().join("logo.png"), bytes).unwrap();
            assets_version(dir.path())
        };
        // Both read as the same text, each invalid byte as U+FFFD.
        assert_ne!(version_with(&[0xff, 0x01]), version_with(&[0xfe, 0x01]));
        assert_eq!(version_with(&[0xff, 0x01]), version_with(&[0xff, 0x01]));
    }
}
