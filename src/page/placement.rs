//! Where a page file belongs: its collection, slug and address, from its
//! path below `content/`, or why no page may live there.
//!
//! The rule: `content/index.md` is the home page, `content/<name>.md` a
//! free page, `content/<collection>/<slug>.md` or
//! `content/<collection>/<slug>/index.md` (a page with files beside it) a
//! page of a collection declared in `twn.yaml`. Anything else is an error.

use crate::config::SiteConfig;
use crate::slug::slugify;
use crate::suggest::closest;
use crate::urls::MAX_NAME_BYTES;

/// Where a Markdown file belongs, from its path below `content/`.
pub(super) enum Placement {
    Home,
    Free { slug: String },
    InCollection { collection: String, slug: String },
}

impl Placement {
    /// (collection, slug, URL path below the base).
    pub(super) fn into_parts(self) -> (Option<String>, String, String) {
        match self {
            Placement::Home => (None, String::new(), String::new()),
            Placement::Free { slug } => (None, slug.clone(), format!("{slug}/")),
            Placement::InCollection { collection, slug } => {
                let url = format!("{collection}/{slug}/");
                (Some(collection), slug, url)
            }
        }
    }
}

/// The URL path a page file at `content_path` has (or had, for a path from
/// the history), if that is a place for a page.
pub fn url_path_of(content_path: &str, config: &SiteConfig) -> Option<String> {
    place(content_path, config).ok().map(|p| p.into_parts().2)
}

/// The address a page file at `content_path` had, also where its folder
/// is no longer a collection: what its place gives today, else what its
/// path made of it. `None` for the home page.
pub fn former_url_path(content_path: &str, config: &SiteConfig) -> Option<String> {
    if let Some(url) = url_path_of(content_path, config).filter(|u| !u.is_empty()) {
        return Some(url);
    }
    let stem = content_path.strip_suffix(".md")?;
    let stem = stem.strip_suffix("/index").unwrap_or(stem);
    let url = crate::slug::slugify_path(stem);
    (!url.is_empty() && url != "index").then(|| format!("{url}/"))
}

/// Where a file may not be, as (what is wrong, how to fix it).
pub(super) type Misplaced = (String, String);

pub(super) fn place(content_path: &str, config: &SiteConfig) -> Result<Placement, Misplaced> {
    let placement = place_by_folder(content_path, config)?;
    let slug = match &placement {
        Placement::Home => return Ok(placement),
        Placement::Free { slug } | Placement::InCollection { slug, .. } => slug,
    };
    if slug.is_empty() {
        return Err((
            "deze bestandsnaam heeft geen letters of cijfers, dus de pagina krijgt geen adres"
                .into(),
            "geef het bestand een naam met letters of cijfers, bijvoorbeeld `rioolvervanging.md`"
                .into(),
        ));
    }
    if slug.len() > MAX_NAME_BYTES {
        return Err((
            format!(
                "deze bestandsnaam is te lang voor een adres ({} tekens; hoogstens {MAX_NAME_BYTES})",
                slug.len()
            ),
            "kies een kortere bestandsnaam; de titel van de pagina mag lang blijven".into(),
        ));
    }
    Ok(placement)
}

/// A page of a collection, unless its address holds the pages of one of
/// the index's filters.
fn in_collection(
    config: &SiteConfig,
    collection: &str,
    slug: String,
) -> Result<Placement, Misplaced> {
    let filtered = config
        .collections
        .get(collection)
        .is_some_and(|c| c.is_filter_folder(&slug));
    if filtered {
        return Err((
            format!(
                "deze pagina zou op /{collection}/{slug}/ komen, waar twn de pagina's van het filter `{slug}` van het overzicht zet"
            ),
            "geef het bestand een andere naam".into(),
        ));
    }
    Ok(Placement::InCollection {
        collection: collection.to_owned(),
        slug,
    })
}

fn place_by_folder(content_path: &str, config: &SiteConfig) -> Result<Placement, Misplaced> {
    let parts: Vec<&str> = content_path.split('/').collect();
    let stem = |name: &str| name.trim_end_matches(".md").to_owned();
    let collections: Vec<&str> = config.collections.keys().map(String::as_str).collect();
    match parts.as_slice() {
        ["index.md"] => Ok(Placement::Home),
        [file] => {
            let slug = slugify(&stem(file));
            let taken = crate::urls::reserved_top(&slug).or_else(|| {
                config
                    .collections
                    .contains_key(&slug)
                    .then_some("het overzicht van die collectie")
            });
            match taken {
                Some(what) => Err((
                    format!("deze pagina zou op /{slug}/ komen, maar daar staat al {what}"),
                    "geef het bestand een andere naam".into(),
                )),
                None => Ok(Placement::Free { slug }),
            }
        }
        [folder, ..] if !config.collections.contains_key(*folder) => {
            let hint = closest(folder, collections.iter().copied())
                .map_or(String::new(), |c| format!(" Bedoelt u de collectie `{c}`?"));
            Err((
                format!("de map `{folder}/` is geen collectie.{hint}"),
                format!(
                    "pagina's staan direct in `content/` of in de map van een collectie uit twn.yaml ({}); voeg `{folder}` toe onder `collections:` in twn.yaml of verplaats het bestand",
                    collections.join(", ")
                ),
            ))
        }
        [collection, file] => in_collection(config, collection, slugify(&stem(file))),
        [collection, folder, "index.md"] => in_collection(config, collection, slugify(folder)),
        [collection, ..] => Err((
            "dit bestand staat te diep in de map".into(),
            format!(
                "een pagina van `{collection}` is `content/{collection}/<naam>.md` of `content/{collection}/<naam>/index.md`; verplaats het bestand"
            ),
        )),
        [] => Err((
            "lege bestandsnaam".into(),
            "geef het bestand een naam".into(),
        )),
    }
}
