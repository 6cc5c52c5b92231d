//! The site's index: which page an address, a slug, a title, an alias or a
//! file names, built once per resolve; and the drafts left out, so that a
//! link to one can say so.

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Position};
use crate::ids::{PageId, PageTable};
use crate::page::Page;
use crate::slug::{slugify, slugify_path};
use std::collections::{BTreeSet, HashMap};

#[derive(Debug, Default)]
pub struct SiteIndex {
    by_path: HashMap<String, PageId>,
    by_slug: HashMap<String, Vec<PageId>>,
    by_title: HashMap<String, Vec<PageId>>,
    pub(super) by_alias: HashMap<String, PageId>,
    pub(super) by_source: HashMap<String, PageId>,
    /// Drafts left out of the build, by address, slug and title: a link to
    /// one says so rather than that the page does not exist.
    drafts: HashMap<String, String>,
    draft_list: Vec<Draft>,
}

/// A page file left out as a draft (`draft: true`), by its path below
/// `content/`, with the title its front matter gives.
#[derive(Debug, Clone)]
pub struct Draft {
    pub file: String,
    pub title: Option<String>,
}

pub(super) enum Lookup {
    Found(PageId),
    Missing,
    Ambiguous(Vec<PageId>),
}

impl SiteIndex {
    /// The index and its problems (two pages at one address, an alias
    /// that is taken, ...).
    pub(super) fn build(config: &SiteConfig, pages: &PageTable<Page>) -> (Self, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        // Sized up front: growing four maps of 100,000 keys rehashes each
        // many times over.
        let mut index = SiteIndex {
            by_path: HashMap::with_capacity(pages.len()),
            by_slug: HashMap::with_capacity(pages.len()),
            by_title: HashMap::with_capacity(pages.len()),
            by_source: HashMap::with_capacity(pages.len()),
            ..SiteIndex::default()
        };
        for (i, page) in pages.enumerate() {
            let path = page.url_path.trim_end_matches('/').to_owned();
            if let Some(&other) = index.by_path.get(&path) {
                diagnostics.push(duplicate_url(page, &pages[other]));
                continue;
            }
            index.by_path.insert(path, i);
            index.by_source.insert(page.content_path.clone(), i);
            index.by_slug.entry(page.slug.clone()).or_default().push(i);
            index
                .by_title
                .entry(page.front.title.to_lowercase())
                .or_default()
                .push(i);
        }
        for (i, page) in pages.enumerate() {
            for alias in &page.front.aliases {
                let key = &alias.url_path;
                let problem = |message: String, help: &str| {
                    Diagnostic::error(&page.source.display_path, message)
                        .at(&page.source_text(), alias.position)
                        .marker(alias.written.chars().count())
                        .help(help)
                };
                let taken = index.by_path.get(key).or(index.by_alias.get(key));
                let below_page = pages_above(key).find_map(|above| index.by_path.get(above));
                if *key == page.url_path.trim_end_matches('/') {
                    diagnostics.push(problem(
                        format!(
                            "de oude URL `{}` is de URL van deze pagina zelf",
                            alias.written
                        ),
                        "een alias is een ander, oud adres van de pagina; verwijder hem",
                    ));
                } else if let Some(&other) = taken.filter(|&&other| other != i) {
                    diagnostics.push(problem(
                        format!("de oude URL `{}` is al in gebruik door {}", alias.written, pages[other].source.display_path),
                        "een alias moet een URL zijn die geen andere pagina heeft; verwijder of wijzig hem",
                    ));
                } else if config.is_collection_listing(key) {
                    let collection = key.split('/').next().unwrap_or_default();
                    diagnostics.push(problem(
                        format!(
                            "de oude URL `{}` is het overzicht van de collectie `{collection}` of één van zijn filters",
                            alias.written
                        ),
                        "kies een ander oud pad of verwijder de alias",
                    ));
                } else if let Some(&other) = below_page {
                    diagnostics.push(problem(
                        format!("de oude URL `{}` ligt in de map van {}, waar twn diens geschiedenis en organogram schrijft", alias.written, pages[other].source.display_path),
                        "kies een ander oud pad of verwijder de alias",
                    ));
                } else {
                    index.by_alias.insert(key.clone(), i);
                }
            }
        }
        (index, diagnostics)
    }

    pub(super) fn find(&self, target: &str) -> Lookup {
        let trimmed = target.trim().trim_matches('/');
        let trimmed = trimmed.strip_suffix(".md").unwrap_or(trimmed);
        if trimmed.is_empty() {
            return Lookup::Missing;
        }
        let key = slugify_path(trimmed);
        let mut found = BTreeSet::new();
        found.extend(self.by_path.get(&key));
        found.extend(self.by_alias.get(&key));
        if !trimmed.contains('/') {
            found.extend(self.by_slug.get(&key).into_iter().flatten());
            found.extend(
                self.by_title
                    .get(&trimmed.to_lowercase())
                    .into_iter()
                    .flatten(),
            );
        }
        match (found.first(), found.len()) {
            (None, _) => Lookup::Missing,
            (Some(&only), 1) => Lookup::Found(only),
            _ => Lookup::Ambiguous(found.into_iter().collect()),
        }
    }

    pub(super) fn add_drafts(&mut self, config: &SiteConfig, drafts: &[Draft]) {
        for draft in drafts {
            let Some(url_path) = crate::page::url_path_of(&draft.file, config) else {
                continue;
            };
            let bare = url_path.trim_end_matches('/').to_owned();
            let slug = bare.rsplit('/').next().unwrap_or_default().to_owned();
            self.drafts.insert(slug, draft.file.clone());
            self.drafts.insert(bare, draft.file.clone());
            // A wiki link names a page by its title as often as by its slug.
            if let Some(title) = &draft.title {
                self.drafts
                    .entry(slugify(title))
                    .or_insert_with(|| draft.file.clone());
            }
            self.draft_list.push(draft.clone());
        }
    }

    /// The drafts left out.
    pub fn drafts(&self) -> &[Draft] {
        &self.draft_list
    }

    /// The file of the draft left out that `target` (a path, slug or file
    /// name) names.
    pub fn draft_named(&self, target: &str) -> Option<&str> {
        let trimmed = target.trim().trim_matches('/');
        let trimmed = trimmed.strip_suffix(".md").unwrap_or(trimmed);
        self.drafts.get(&slugify_path(trimmed)).map(String::as_str)
    }

    /// The page of a file, by its path below `content/`.
    pub fn page_of_source(&self, content_path: &str) -> Option<PageId> {
        self.by_source.get(content_path).copied()
    }

    pub fn page_at(&self, url_path: &str) -> Option<PageId> {
        self.by_path.get(url_path.trim_matches('/')).copied()
    }
}

/// The URL paths that contain `path`, nearest first: `a/b` for `a/b/c`,
/// then `a`; the home page (empty) contains everything and is left out.
fn pages_above(path: &str) -> impl Iterator<Item = &str> {
    path.rmatch_indices('/').map(move |(at, _)| &path[..at])
}

fn duplicate_url(page: &Page, first: &Page) -> Diagnostic {
    Diagnostic::error(
        &page.source.display_path,
        format!("twee pagina's hebben dezelfde URL /{}: {} en {}", page.url_path, first.source.display_path, page.source.display_path),
    )
    .at(&page.source_text(), Position::new(1, 1))
    .help("de URL komt uit de bestandsnaam (kleine letters, zonder accenten); hernoem één van de twee bestanden")
}
