//! `twn new` (a page with its collection's required fields) and `twn init`
//! (a new site with the default theme, built into the binary).

use crate::config::SiteConfig;
use crate::diagnostics::io_reason;
use crate::fields::{FieldKind, FieldSpec};
use crate::folders::CONFIG_FILE;
use crate::folders::CONTENT_DIR;
use crate::schema::example_value;
use crate::slug::slugify;
use crate::suggest::closest;
use std::fmt::Write as _;
use std::path::Path;

#[derive(Debug)]
pub struct ScaffoldError {
    pub message: String,
    /// 1 for problems with the site's files, 2 for a wrong command.
    pub exit_code: u8,
}

fn usage(message: String) -> ScaffoldError {
    ScaffoldError {
        message,
        exit_code: 2,
    }
}

fn failed(message: String) -> ScaffoldError {
    ScaffoldError {
        message,
        exit_code: 1,
    }
}

/// Asks the editor a question on the terminal; `None` when left unanswered.
pub type Ask<'a> = &'a mut dyn FnMut(&str) -> Option<String>;

/// Writes a new page of `collection` titled `title`. Required fields take
/// their value from `given` (`name=value`), else from `ask` (on a terminal:
/// the question, the answer), else they are written empty, marked, and
/// named in the message: a required value is never guessed.
pub fn new_page(
    site_root: &Path,
    collection: &str,
    title: &str,
    given: &[String],
    mut ask: Option<Ask>,
) -> Result<String, ScaffoldError> {
    if let Some(problem) = crate::config::missing_config(site_root) {
        return Err(usage(format!(
            "{}\noplossing: {}",
            problem.message,
            problem.help.unwrap_or_default()
        )));
    }
    let config = SiteConfig::load(site_root).map_err(|problems| {
        failed(
            problems
                .iter()
                .map(|d| format!("{}: {}", d.location(), d.message))
                .collect::<Vec<_>>()
                .join("\n"),
        )
    })?;
    let Some(spec) = config.collections.get(collection) else {
        let names: Vec<&str> = config.collections.keys().map(String::as_str).collect();
        let hint = did_you_mean(collection, &names);
        return Err(usage(format!(
            "onbekende collectie `{collection}`.{hint} Collecties: {}",
            names.join(", ")
        )));
    };
    let slug = slugify(title);
    if slug.is_empty() {
        return Err(usage("de titel moet letters of cijfers bevatten".into()));
    }
    if title.chars().any(char::is_control) {
        return Err(usage(
            "de titel mag geen regeleinden, tabs of andere stuurtekens bevatten".into(),
        ));
    }
    let relative = format!("{CONTENT_DIR}/{collection}/{slug}.md");
    let path = site_root.join(&relative);
    // A link there (to anywhere, or to nothing yet) is taken too: the page
    // is written in the site or not at all.
    if path.symlink_metadata().is_ok()
        || site_root
            .join(format!("{CONTENT_DIR}/{collection}/{slug}/index.md"))
            .exists()
    {
        return Err(usage(format!(
            "{relative} bestaat al; kies een andere titel of bewerk die pagina"
        )));
    }
    let mut values = std::collections::HashMap::new();
    for pair in given {
        let Some((name, value)) = pair.split_once('=') else {
            return Err(usage(format!(
                "`--veld {pair}` noemt geen waarde: schrijf `--veld naam=waarde`"
            )));
        };
        let Some(field) = spec.fields.get(name.trim()) else {
            let names: Vec<&str> = spec.fields.keys().map(String::as_str).collect();
            let hint = did_you_mean(name, &names);
            return Err(usage(format!(
                "de collectie `{collection}` heeft geen veld `{name}`.{hint} Velden: {}",
                names.join(", ")
            )));
        };
        check_choice(name, field, value.trim())?;
        values.insert(name.trim().to_owned(), value.trim().to_owned());
    }
    let mut text = format!("---\ntitle: {}\n", crate::yaml::scalar(title));
    let mut to_fill = Vec::new();
    for (name, field) in &spec.fields {
        let choices = field.choices().collect::<Vec<_>>().join(", ");
        let asked = || {
            let label = field.label.as_deref().unwrap_or(name);
            if field.values.is_empty() {
                format!("{label} ({name}):")
            } else {
                format!("{label} ({name}), kies uit {choices}:")
            }
        };
        let value = match values.remove(name) {
            Some(value) => Some(value),
            None if field.required && field.kind.value != FieldKind::Date => {
                let mut answer = None;
                while let Some(ask) = ask.as_mut() {
                    match ask(&asked()) {
                        Some(a) if check_choice(name, field, &a).is_ok() => {
                            answer = Some(a);
                            break;
                        }
                        Some(_) => eprintln!("kies één van: {choices}"),
                        None => break,
                    }
                }
                answer
            }
            _ => None,
        };
        match value {
            Some(value) => {
                let written = crate::edit::page_file::typed_scalar(&value, Some(field));
                let _ = writeln!(text, "{name}: {written}");
            }
            // A date of today is what a new page is written on.
            None if field.required && field.kind.value == FieldKind::Date => {
                let _ = writeln!(text, "{name}: {}", example_value(field));
            }
            None if field.required => {
                let hint = if field.values.is_empty() {
                    format!("bijvoorbeeld: {}", example_value(field))
                } else {
                    format!("kies uit: {choices}")
                };
                let _ = writeln!(text, "{name}:   # verplicht, {hint}");
                to_fill.push(if field.values.is_empty() {
                    name.clone()
                } else {
                    format!("{name} ({choices})")
                });
            }
            None => {}
        }
    }
    let _ = write!(text, "---\n\nSchrijf hier de tekst over {title}.\n");
    std::fs::create_dir_all(path.parent().unwrap_or(site_root))
        .map_err(|e| failed(format!("{relative}: {}", io_reason(&e))))?;
    if !crate::files::lies_within(&site_root.join(CONTENT_DIR), &path) {
        return Err(failed(format!(
            "{relative}: deze map is een koppeling naar een plek buiten content/; twn schrijft alleen in de site"
        )));
    }
    crate::files::create_new_file(&path, text.as_bytes())
        .map_err(|e| failed(format!("{relative}: {}", io_reason(&e))))?;
    let mut message = format!("nieuwe pagina: {relative}");
    if !to_fill.is_empty() {
        let _ = write!(message, "\nvul nog in: {}", to_fill.join(", "));
    }
    Ok(message)
}

/// " Bedoelt u `…`?" with the option closest to `word`, if one is close.
fn did_you_mean(word: &str, options: &[&str]) -> String {
    closest(word, options.iter().copied()).map_or(String::new(), |c| format!(" Bedoelt u `{c}`?"))
}

/// A value for a choice field must be one of its values.
fn check_choice(name: &str, field: &FieldSpec, value: &str) -> Result<(), ScaffoldError> {
    if field.kind.value != FieldKind::Choice || field.choices().any(|v| v == value) {
        return Ok(());
    }
    let choices: Vec<&str> = field.choices().collect();
    let hint = did_you_mean(value, &choices);
    Err(usage(format!(
        "`{value}` is geen keuze voor `{name}`.{hint} Keuzes: {}",
        choices.join(", ")
    )))
}

/// The default theme, built into the binary so `twn init` works anywhere.
pub const DEFAULT_THEME: &[(&str, &str)] = &[
    (
        "templates/base.html",
        include_str!("../themes/default/templates/base.html"),
    ),
    (
        "templates/page.html",
        include_str!("../themes/default/templates/page.html"),
    ),
    (
        "templates/regio.html",
        include_str!("../themes/default/templates/regio.html"),
    ),
    (
        "templates/home.html",
        include_str!("../themes/default/templates/home.html"),
    ),
    (
        "templates/list.html",
        include_str!("../themes/default/templates/list.html"),
    ),
    (
        "templates/orgchart.html",
        include_str!("../themes/default/templates/orgchart.html"),
    ),
    (
        "static/compare.js",
        include_str!("../themes/default/static/compare.js"),
    ),
    (
        "templates/gone.html",
        include_str!("../themes/default/templates/gone.html"),
    ),
    (
        "templates/history.html",
        include_str!("../themes/default/templates/history.html"),
    ),
    (
        "templates/diff.html",
        include_str!("../themes/default/templates/diff.html"),
    ),
    (
        "templates/edit.html",
        include_str!("../themes/default/templates/edit.html"),
    ),
    (
        "templates/recent.html",
        include_str!("../themes/default/templates/recent.html"),
    ),
    (
        "templates/404.html",
        include_str!("../themes/default/templates/404.html"),
    ),
    (
        "templates/redirect.html",
        include_str!("../themes/default/templates/redirect.html"),
    ),
    (
        "templates/search.html",
        include_str!("../themes/default/templates/search.html"),
    ),
    (
        "templates/partials/value.html",
        include_str!("../themes/default/templates/partials/value.html"),
    ),
    (
        "templates/partials/changes.html",
        include_str!("../themes/default/templates/partials/changes.html"),
    ),
    (
        "templates/authors.html",
        include_str!("../themes/default/templates/authors.html"),
    ),
    (
        "templates/author.html",
        include_str!("../themes/default/templates/author.html"),
    ),
    (
        "templates/partials/updated.html",
        include_str!("../themes/default/templates/partials/updated.html"),
    ),
    (
        "templates/partials/toc_headings.html",
        include_str!("../themes/default/templates/partials/toc_headings.html"),
    ),
    (
        "static/style.css",
        include_str!("../themes/default/static/style.css"),
    ),
    (
        "static/search.js",
        include_str!("../themes/default/static/search.js"),
    ),
    (
        "static/stem-nl.js",
        include_str!("../themes/default/static/stem-nl.js"),
    ),
    (
        "static/filter.js",
        include_str!("../themes/default/static/filter.js"),
    ),
    (
        "static/afbeelding-weg.svg",
        include_str!("../themes/default/static/afbeelding-weg.svg"),
    ),
    (
        "strings/nl.yaml",
        include_str!("../themes/default/strings/nl.yaml"),
    ),
];

const STARTER_CONFIG: &str = r#"# Instellingen van de site. Zie docs/redacteuren.md in de broncode van twn.
title: Mijn waterwiki
base_url: https://example.org/
language: nl
theme: default
# edit_url: https://github.com/organisatie/wiki/edit/main/{path}
collections:
  organisatie:
    title: Organisaties
    singular: Organisatie
    fields:
      type:
        type: choice
        values: [gemeente, waterschap, provincie, drinkwaterbedrijf, kennisinstelling, stichting, overig]
        required: true
        label: Soort
      website: { type: url, label: Website }
  nieuws:
    title: Nieuws
    singular: Nieuwsbericht
    sort_by: date
    fields:
      date: { type: date, required: true, label: Datum }
"#;

const STARTER_HOME: &str = "---\ntitle: Welkom\n---\n\nDit is de startpagina van de wiki. Begin met een [[Voorbeeldgemeente]].\n";
const STARTER_PAGE: &str = "---\ntitle: Voorbeeldgemeente\ntype: gemeente\n---\n\nEen gemeente die meedoet aan de samenwerking.\n";
const STARTER_NEWS: &str = "---\ntitle: De wiki is gestart\ndate: 2026-01-05\n---\n\nVanaf vandaag delen we onze kennis in deze wiki.\n";

pub fn init_site(dir: &Path) -> Result<String, ScaffoldError> {
    if dir.exists() && !dir.is_dir() {
        return Err(usage(format!(
            "{} is een bestand; kies een nieuwe map",
            dir.display()
        )));
    }
    if dir.exists() && std::fs::read_dir(dir).map_or(true, |mut d| d.next().is_some()) {
        return Err(usage(format!(
            "{} bestaat al en is niet leeg; kies een nieuwe map",
            dir.display()
        )));
    }
    let mut files: Vec<(String, &str)> = vec![
        (CONFIG_FILE.into(), STARTER_CONFIG),
        (format!("{CONTENT_DIR}/index.md"), STARTER_HOME),
        (
            format!("{CONTENT_DIR}/organisatie/voorbeeldgemeente.md"),
            STARTER_PAGE,
        ),
        (
            format!("{CONTENT_DIR}/nieuws/de-wiki-is-gestart.md"),
            STARTER_NEWS,
        ),
        // With the folders a build that was stopped leaves beside the
        // output (`.public.staging-<n>`), until the next removes them.
        (".gitignore".into(), "/public\n/.public.*\n/.twn-cache\n"),
    ];
    files.extend(
        DEFAULT_THEME
            .iter()
            .map(|(path, text)| (format!("themes/default/{path}"), *text)),
    );
    for (path, text) in files {
        let target = dir.join(&path);
        let written = target
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&target, text));
        written.map_err(|e| failed(format!("{}: {}", target.display(), io_reason(&e))))?;
    }
    Ok(format!(
        "nieuwe site in {}\nbouw hem met: cd {} && twn build",
        dir.display(),
        dir.display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_theme_lists_every_file_of_the_default_theme() {
        let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let mut on_disk: Vec<String> = walkdir::WalkDir::new(&theme)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                e.path()
                    .strip_prefix(&theme)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        on_disk.sort();
        let mut embedded: Vec<String> =
            DEFAULT_THEME.iter().map(|(p, _)| (*p).to_owned()).collect();
        embedded.sort();
        assert_eq!(embedded, on_disk);
    }

    #[test]
    fn titles_that_yaml_would_misread_are_quoted() {
        assert_eq!(crate::yaml::scalar("Rioolvervanging"), "Rioolvervanging");
        assert_eq!(
            crate::yaml::scalar("Omgevingswet: bouwsteen Water"),
            "\"Omgevingswet: bouwsteen Water\""
        );
        assert_eq!(crate::yaml::scalar("2017"), "\"2017\"");
    }
}
