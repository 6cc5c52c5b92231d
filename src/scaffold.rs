//! `twn new` (a page with its collection's required fields) and `twn init`
//! (a new site with the default theme, built into the binary).

use crate::config::SiteConfig;
use crate::diagnostics::io_reason;
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

pub fn new_page(site_root: &Path, collection: &str, title: &str) -> Result<String, ScaffoldError> {
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
        let hint = closest(collection, names.iter().copied())
            .map_or(String::new(), |c| format!(" Bedoelt u `{c}`?"));
        return Err(usage(format!(
            "onbekende collectie `{collection}`.{hint} Collecties: {}",
            names.join(", ")
        )));
    };
    let slug = slugify(title);
    if slug.is_empty() {
        return Err(usage("de titel moet letters of cijfers bevatten".into()));
    }
    let relative = format!("{CONTENT_DIR}/{collection}/{slug}.md");
    let path = site_root.join(&relative);
    if path.exists()
        || site_root
            .join(format!("{CONTENT_DIR}/{collection}/{slug}/index.md"))
            .exists()
    {
        return Err(usage(format!(
            "{relative} bestaat al; kies een andere titel of bewerk die pagina"
        )));
    }
    let mut text = format!("---\ntitle: {}\n", yaml_text(title));
    let mut to_fill = Vec::new();
    for (name, field) in spec.fields.iter().filter(|(_, f)| f.required) {
        let example = example_value(field);
        if matches!(
            field.kind.value,
            crate::fields::FieldKind::Choice
                | crate::fields::FieldKind::Date
                | crate::fields::FieldKind::Boolean
                | crate::fields::FieldKind::Number
        ) {
            let _ = writeln!(text, "{name}: {example}");
        } else {
            let _ = writeln!(text, "{name}:   # verplicht, bijvoorbeeld: {example}");
            to_fill.push(name.as_str());
        }
    }
    let _ = write!(text, "---\n\nSchrijf hier de tekst over {title}.\n");
    std::fs::create_dir_all(path.parent().unwrap_or(site_root))
        .map_err(|e| failed(format!("{relative}: {}", io_reason(&e))))?;
    std::fs::write(&path, text).map_err(|e| failed(format!("{relative}: {}", io_reason(&e))))?;
    let mut message = format!("nieuwe pagina: {relative}");
    if !to_fill.is_empty() {
        let _ = write!(message, "\nvul nog in: {}", to_fill.join(", "));
    }
    Ok(message)
}

/// Quotes a title when YAML would otherwise read it differently.
fn yaml_text(text: &str) -> String {
    let plain = !text.is_empty()
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`".contains(c))
        && text.parse::<f64>().is_err()
        && !["true", "false", "null", "~"].contains(&text);
    if plain {
        text.to_owned()
    } else {
        format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
    }
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
        (".gitignore".into(), "/public\n/.twn-cache\n"),
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
        assert_eq!(yaml_text("Rioolvervanging"), "Rioolvervanging");
        assert_eq!(
            yaml_text("Omgevingswet: bouwsteen Water"),
            "\"Omgevingswet: bouwsteen Water\""
        );
        assert_eq!(yaml_text("2017"), "\"2017\"");
    }
}
