//! `twn.yaml`: site settings and the collections with their front-matter
//! schemas.

use crate::diagnostics::{Diagnostic, Position};
use crate::fields::{Collection, FieldKind, FilterValues};
use crate::folders::CONFIG_FILE;
use crate::slug::slugify;
use crate::source::read_source;
use indexmap::IndexMap;
use serde::Deserialize;
use std::path::Path;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    pub title: String,
    pub base_url: String,
    #[serde(default = "default_language")]
    pub language: String,
    #[serde(default = "default_theme")]
    pub theme: String,
    /// Link pattern to edit a page; `{path}` becomes the path below `content/`.
    #[serde(default)]
    pub edit_url: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// Raw HTML in Markdown is escaped unless this is true.
    #[serde(default)]
    pub allow_html: bool,
    /// Writes `.gz` and `.br` copies beside the text files of the output,
    /// for web servers that send them as they are (see `compress.rs`).
    #[serde(default)]
    pub precompress: bool,
    #[serde(default)]
    pub history: HistorySettings,
    #[serde(default)]
    pub collections: IndexMap<String, Collection>,
}

/// How much of each page's history is published as pages of its own.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistorySettings {
    /// Only a page's newest this many revisions get an old version and a
    /// diff page; older ones stay listed in its history. Every old version
    /// is a whole page, so a long history outgrows hosts with a size limit
    /// (GitHub Pages: 1 GB); `None` publishes all.
    #[serde(default)]
    versions: Option<VersionCount>,
}

impl HistorySettings {
    /// How many revisions per page get pages; `None`: all. Checked when
    /// the settings are loaded.
    pub fn versions(&self) -> Option<usize> {
        match self.versions {
            Some(VersionCount::Whole(n)) => usize::try_from(n).ok(),
            _ => None,
        }
    }
}

/// `versions` as written: a count, or anything else, which the check of
/// the settings reports in an editor's words rather than serde's.
#[derive(Debug, Clone)]
enum VersionCount {
    Whole(i64),
    Other(String),
}

impl<'de> Deserialize<'de> for VersionCount {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Count;
        impl serde::de::Visitor<'_> for Count {
            type Value = VersionCount;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("een aantal")
            }
            fn visit_i64<E>(self, n: i64) -> Result<VersionCount, E> {
                Ok(VersionCount::Whole(n))
            }
            fn visit_u64<E>(self, n: u64) -> Result<VersionCount, E> {
                Ok(i64::try_from(n)
                    .map_or_else(|_| VersionCount::Other(n.to_string()), VersionCount::Whole))
            }
            fn visit_f64<E>(self, n: f64) -> Result<VersionCount, E> {
                Ok(VersionCount::Other(n.to_string()))
            }
            fn visit_bool<E>(self, b: bool) -> Result<VersionCount, E> {
                Ok(VersionCount::Other(b.to_string()))
            }
            fn visit_str<E>(self, text: &str) -> Result<VersionCount, E> {
                // `versions: "20"` means what it says.
                Ok(text.trim().parse().map_or_else(
                    |_| VersionCount::Other(text.to_owned()),
                    VersionCount::Whole,
                ))
            }
        }
        deserializer.deserialize_any(Count)
    }
}

fn default_language() -> String {
    "nl".into()
}

fn default_theme() -> String {
    "default".into()
}

/// The problem when `site_root` holds no `twn.yaml`: the command was run
/// in the wrong folder, which is a usage error, not a content error.
pub fn missing_config(site_root: &Path) -> Option<Diagnostic> {
    if site_root.join(CONFIG_FILE).is_file() {
        return None;
    }
    let shown = if site_root == Path::new(".") {
        "deze map".to_owned()
    } else {
        format!("de map {}", site_root.display())
    };
    Some(
        Diagnostic::error(CONFIG_FILE, format!("{shown} is geen twn-site: er staat geen {CONFIG_FILE} in"))
            .help("ga naar de map van de site (waar twn.yaml staat), geef die met `--root <map>`, of begin een nieuwe site met `twn init <map>`"),
    )
}

impl SiteConfig {
    pub fn load(site_root: &Path) -> Result<SiteConfig, Vec<Diagnostic>> {
        let file = read_source(&site_root.join(CONFIG_FILE), CONFIG_FILE).map_err(|d| {
            vec![d.help("maak een twn.yaml in de map van de site, of begin met `twn init <map>`")]
        })?;
        let config: SiteConfig = serde_saphyr::from_str(&file.text).map_err(|error| {
            let (message, help) = crate::yaml::explain(&error, "in twn.yaml");
            let position = error
                .location()
                .filter(|l| l.line() > 0)
                .map_or(Position::new(1, 1), |l| {
                    Position::new(l.line() as usize, l.column().max(1) as usize)
                });
            vec![
                Diagnostic::error(CONFIG_FILE, message)
                    .at(&file.text, position)
                    .help(format!(
                        "{help}; docs/redacteuren.md beschrijft de opbouw van twn.yaml"
                    )),
            ]
        })?;
        let problems = config.check(&file.text);
        if problems.is_empty() {
            let mut config = config;
            config.fill_in_body_specs();
            Ok(config)
        } else {
            Err(problems)
        }
    }

    /// Checks what serde cannot: that every field spec is complete and every
    /// reference names a declared collection.
    fn check(&self, text: &str) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        let addresses = [
            ("base_url", Some(&self.base_url)),
            ("edit_url", self.edit_url.as_ref()),
        ];
        for (key, value) in addresses {
            if let Some(value) = value.filter(|v| !crate::urls::is_web_address(v)) {
                problems.push(
                    Diagnostic::error(CONFIG_FILE, format!("`{key}` is geen webadres: `{value}`"))
                        .at(text, position_of_key(text, key))
                        .help(format!("`{key}` begint met `https://` of `http://`, bijvoorbeeld `{key}: https://wiki.twentswaternet.nl/`")),
                );
            }
        }
        let not_a_count = match &self.history.versions {
            Some(VersionCount::Whole(n)) if *n < 1 => Some(n.to_string()),
            Some(VersionCount::Other(written)) => Some(written.clone()),
            _ => None,
        };
        if let Some(read) = not_a_count {
            // Where it is written and how, from the tree with positions that
            // front matter is read into (comments, quotes and `{ }` known).
            let tree = crate::yaml::parse(text, 1).ok();
            let history = tree.as_ref().and_then(|tree| entry_of(tree, "history"));
            let versions = history.and_then(|(_, value)| entry_of(value, "versions"));
            let position = versions
                .or(history)
                .map_or(position_of_key(text, "history"), |(key, _)| key.position);
            let written = versions
                .and_then(|(_, value)| value.text())
                .filter(|w| !w.is_empty())
                .unwrap_or(read);
            problems.push(
                Diagnostic::error(CONFIG_FILE, format!("`versions: {written}` is geen aantal versies: hier hoort een geheel getal vanaf 1"))
                    .at(text, position)
                    .help("geef het aantal nieuwste wijzigingen per pagina dat een eigen pagina krijgt, bijvoorbeeld `versions: 20`, of laat `history` weg om alle wijzigingen te publiceren"),
            );
        }
        let plain_name = |name: &str| {
            !name.is_empty()
                && !matches!(name, "." | "..")
                && !name.contains(['/', '\\', ':', '\0'])
        };
        for (key, value) in [("theme", &self.theme), ("language", &self.language)] {
            if !plain_name(value) {
                problems.push(
                    Diagnostic::error(CONFIG_FILE, format!("`{key}: {value}` is geen naam van een map"))
                        .at(text, position_of_key(text, key))
                        .help(format!("`{key}` noemt een map of bestand in themes/ zonder `/` of `..`, bijvoorbeeld `{key}: {}`", if key == "theme" { "default" } else { "nl" })),
                );
            }
        }
        let names: Vec<&str> = self.collections.keys().map(String::as_str).collect();
        for (name, collection) in &self.collections {
            let slug = crate::slug::slugify(name);
            let reserved =
                crate::urls::reserved_top(name).is_some() || crate::urls::reserved_below_page(name);
            if reserved {
                problems.push(
                    Diagnostic::error(CONFIG_FILE, format!("de collectie `{name}` zou de map /{name}/ krijgen, maar die gebruikt twn zelf"))
                        .at(text, collection_position(text, name))
                        .marker(name.chars().count())
                        .help("geef de collectie een andere naam, en haar map in content/ dezelfde"),
                );
            }
            if name.is_empty() || name != &slug {
                let example = if slug.is_empty() {
                    "regio".to_owned()
                } else {
                    slug
                };
                problems.push(
                    Diagnostic::error(
                        CONFIG_FILE,
                        format!("collectienaam `{name}` is ook de mapnaam en moet uit kleine letters, cijfers en `-` bestaan"),
                    )
                    .at(text, collection_position(text, name))
                    .marker(name.chars().count())
                    .help(format!("noem de collectie bijvoorbeeld `{example}` en geef haar map in content/ dezelfde naam")),
                );
            }
            for (field, spec) in &collection.fields {
                problems.extend(spec.check(field, &names, text));
            }
            problems.extend(check_filters(collection, text));
        }
        problems
    }

    /// Gives every `bodies` field the shape of one body, which twn defines.
    fn fill_in_body_specs(&mut self) {
        let names: Vec<String> = self.collections.keys().cloned().collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        for collection in self.collections.values_mut() {
            for spec in collection.fields.values_mut() {
                if spec.kind.value == FieldKind::Bodies {
                    let members = spec.collection.as_ref().map_or("", |c| c.value.as_str());
                    spec.of = Some(Box::new(crate::orgchart::body_spec(members, &names)));
                }
            }
        }
    }

    /// The settings of a page's collection, if it is in one.
    pub fn collection_of(&self, collection: Option<&str>) -> Option<&Collection> {
        self.collections.get(collection?)
    }

    /// Whether twn writes a collection's index or one of its filter pages
    /// at `url_path` (or below it), so no page or alias may take it.
    pub fn is_collection_listing(&self, url_path: &str) -> bool {
        let mut parts = url_path.trim_matches('/').split('/');
        let Some(collection) = parts.next().and_then(|name| self.collections.get(name)) else {
            return false;
        };
        parts
            .next()
            .is_none_or(|folder| collection.is_filter_folder(folder))
    }

    /// The path part of `base_url`, always starting and ending with `/`.
    pub fn base_path(&self) -> String {
        let after_scheme = self
            .base_url
            .split_once("://")
            .map_or(self.base_url.as_str(), |(_, r)| r);
        let path = after_scheme.find('/').map_or("", |i| &after_scheme[i..]);
        let trimmed = path.trim_matches('/');
        if trimmed.is_empty() {
            "/".into()
        } else {
            format!("/{trimmed}/")
        }
    }

    /// `base_url` without a trailing slash, to prefix absolute paths.
    pub fn origin_and_base(&self) -> String {
        self.base_url.trim_end_matches('/').to_owned()
    }
}

/// A collection's `filters` name fields it has, of a kind with values to
/// choose from, each once; every value must have an address of its own.
fn check_filters(collection: &crate::fields::Collection, text: &str) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut folders: Vec<String> = Vec::new();
    let at = |spanned: &serde_saphyr::Spanned<String>| {
        Position::new(
            (spanned.referenced.line() as usize).max(1),
            (spanned.referenced.column() as usize).max(1),
        )
    };
    let problem = |spanned: &serde_saphyr::Spanned<String>, message: String, help: String| {
        Diagnostic::error(CONFIG_FILE, message)
            .at(text, at(spanned))
            .marker(spanned.value.chars().count().max(1))
            .help(help)
    };
    let filterable: Vec<&str> = collection
        .fields
        .iter()
        .filter(|(_, spec)| spec.filter_values().is_some())
        .map(|(name, _)| name.as_str())
        .collect();
    for name in &collection.filters {
        let field = name.value.as_str();
        let Some(spec) = collection.fields.get(field) else {
            let hint = crate::suggest::closest(field, filterable.iter().copied())
                .map_or(String::new(), |s| format!("; bedoelt u `{s}`?"));
            problems.push(problem(
                name,
                format!("filter `{field}` noemt geen veld van deze collectie{hint}"),
                format!(
                    "een filter noemt een keuze- of verwijzingsveld van de collectie: {}",
                    filterable.join(", ")
                ),
            ));
            continue;
        };
        let Some(values) = spec.filter_values() else {
            problems.push(problem(
                name,
                format!("op veld `{field}` kan het overzicht niet filteren: het heeft geen vaste waarden"),
                format!("filter op een veld van het type `choice` of `reference` (of een lijst daarvan): {}", filterable.join(", ")),
            ));
            continue;
        };
        let folder = crate::fields::filter_folder(field, values, &folders);
        if folder.is_empty() {
            problems.push(problem(
                name,
                format!("filter `{field}` krijgt geen adres: de veldnaam heeft geen letters of cijfers"),
                "de pagina's van een filter staan in een map met de naam van het veld; geef het veld een naam met letters en cijfers".into(),
            ));
            continue;
        }
        if folders.contains(&folder) {
            problems.push(problem(
                name,
                format!("filter `{field}` zou dezelfde map `{folder}/` krijgen als een eerder filter"),
                if collection.filters.iter().filter(|f| f.value == field).count() > 1 {
                    "noem elk veld één keer onder `filters`".to_owned()
                } else {
                    format!("de map komt uit de naam van het veld of de collectie waarnaar het verwijst; geef veld `{field}` een andere naam")
                },
            ));
        }
        folders.push(folder);
        if let FilterValues::Choices(choices) = values {
            problems.extend(check_filter_choices(field, choices, &problem));
        }
    }
    problems
}

/// Each value of a filtered choice gets a page at its slug: two values
/// with one slug would share it, a value without letters would have none.
fn check_filter_choices(
    field: &str,
    choices: &[serde_saphyr::Spanned<String>],
    problem: &impl Fn(&serde_saphyr::Spanned<String>, String, String) -> Diagnostic,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut seen: Vec<(String, &str)> = Vec::new();
    for choice in choices {
        let key = slugify(&choice.value);
        if key.is_empty() {
            problems.push(problem(
                choice,
                format!("keuze `{}` van `{field}` krijgt geen filterpagina: de waarde heeft geen letters of cijfers", choice.value),
                "het adres van een filterpagina komt uit de waarde; geef de waarde letters of cijfers".into(),
            ));
        } else if let Some((_, first)) = seen.iter().find(|(k, _)| *k == key) {
            problems.push(problem(
                choice,
                format!("keuzes `{first}` en `{}` van `{field}` zouden dezelfde filterpagina `{key}/` krijgen", choice.value),
                "het adres komt uit de waarde in kleine letters, zonder accenten en leestekens; maak de waarden meer verschillend of voeg ze samen".into(),
            ));
        } else {
            seen.push((key, &choice.value));
        }
    }
    problems
}

/// Where a collection is named in twn.yaml (an indented `name:`), quoted
/// or not.
fn collection_position(text: &str, name: &str) -> Position {
    let names = [name.to_owned(), format!("\"{name}\""), format!("'{name}'")];
    text.lines()
        .enumerate()
        .find_map(|(i, line)| {
            let trimmed = line.trim_start();
            let named = names.iter().any(|n| {
                trimmed
                    .strip_prefix(n.as_str())
                    .is_some_and(|rest| rest.trim_start().starts_with(':'))
            });
            (line.starts_with(' ') && named)
                .then(|| Position::new(i + 1, line.len() - trimmed.len() + 1))
        })
        .unwrap_or(Position::new(1, 1))
}

/// Where a top-level setting is written, for settings read without spans.
pub fn position_of_key(text: &str, key: &str) -> Position {
    let line = text
        .lines()
        .position(|l| {
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map_or(1, |i| i + 1);
    Position::new(line, 1)
}

/// The key and value of `key` in a group of settings.
fn entry_of<'n>(
    node: &'n crate::yaml::Node,
    key: &str,
) -> Option<(&'n crate::yaml::Node, &'n crate::yaml::Node)> {
    match &node.value {
        crate::yaml::Value::Map(entries) => entries
            .iter()
            .find(|(k, _)| k.text().as_deref() == Some(key))
            .map(|(k, v)| (k, v)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_path_keeps_a_sub_path() {
        let mut config: SiteConfig =
            serde_saphyr::from_str("title: W\nbase_url: https://example.org/wiki\n").unwrap();
        assert_eq!(config.base_path(), "/wiki/");
        config.base_url = "https://example.org".into();
        assert_eq!(config.base_path(), "/");
    }

    #[test]
    fn a_reference_to_an_unknown_collection_is_reported_with_a_suggestion() {
        let text = "title: W\nbase_url: https://x.nl/\ncollections:\n  regio:\n    title: Regio's\n    singular: Regio\n    fields:\n      members:\n        type: reference\n        collection: organsatie\n  organisatie:\n    title: O\n    singular: O\n";
        let config: SiteConfig = serde_saphyr::from_str(text).unwrap();
        let problems = config.check(text);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].location(), "twn.yaml:10:21");
        assert!(problems[0].message.contains("bedoelt u `organisatie`"));
    }
}
