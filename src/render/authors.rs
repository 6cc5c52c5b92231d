//! Contributions per author: `/auteurs/` lists everyone who changed a page,
//! and `/auteurs/<naam>/` each one's changes across the wiki, the oldest on
//! further pages (`/auteurs/<naam>/pagina/2/`, ...). Only the
//! names git records are shown, never an address.

use super::recent::{Change, all_changes, days_context};
use super::{Renderer, context};
use crate::artifact::OutputFile;
use crate::diagnostics::Diagnostic;
use crate::render::theme::Theme;
use crate::resolve::Site;
use crate::urls::{AUTHORS_DIR, author_path, list_page_path};
use serde_json::{Value, json};
use std::collections::HashMap;

/// Changes on one page of an author's list, as many as recent changes
/// shows: a long-time author's whole list is megabytes of HTML (9 MB for
/// one author of Hugo's documentation), more than a browser opens well.
const CHANGES_PER_PAGE: usize = 100;

/// A warning for a theme that cannot show an author's changes split over
/// pages while someone has made more than fit on one: the list stays whole.
pub fn pager_missing(theme: &Theme, site: &Site) -> Option<Diagnostic> {
    if theme.shows_pager {
        return None;
    }
    let changes = all_changes(site);
    let split = by_author(&changes)
        .iter()
        .any(|author| author.changes.len() > CHANGES_PER_PAGE);
    split.then(|| {
        Diagnostic::warning(
            format!("{}/templates/author.html", theme.display_dir),
            format!("het thema toont geen links naar oudere wijzigingen (`pager`): wie meer dan {CHANGES_PER_PAGE} wijzigingen maakte, krijgt ze daarom allemaal op één auteurspagina, bij een lange geschiedenis megabytes HTML"),
        )
        .help("neem templates/author.html over uit het standaardthema van deze versie van twn (`twn init <nieuwe map>` maakt een site met dat thema)")
    })
}

/// One author's changes, newest first, and where their page is.
struct Author<'c, 'a> {
    path: String,
    name: &'a str,
    changes: Vec<&'c Change<'a>>,
}

/// The changes grouped by author, in the order first met. Names that
/// make the same address share a page, under the first seen.
fn by_author<'c, 'a>(changes: &'c [Change<'a>]) -> Vec<Author<'c, 'a>> {
    let mut authors: Vec<Author> = Vec::new();
    let mut by_path: HashMap<String, usize> = HashMap::new();
    for change in changes {
        let path = author_path(&change.commit.author);
        match by_path.get(&path) {
            Some(&a) => authors[a].changes.push(change),
            None => {
                by_path.insert(path.clone(), authors.len());
                authors.push(Author {
                    path,
                    name: &change.commit.author,
                    changes: vec![change],
                });
            }
        }
    }
    authors
}

/// The index of authors, and per author their changes, newest first, on
/// pages of [`CHANGES_PER_PAGE`].
pub fn render_authors(renderer: &Renderer, site: &Site) -> Result<Vec<OutputFile>, Diagnostic> {
    let changes = all_changes(site);
    let mut authors = by_author(&changes);
    authors.sort_by_key(|author| author.name.to_lowercase());
    let title = renderer.string("authors_title");
    let breadcrumbs = context::breadcrumbs(site, None);
    let mut files = Vec::with_capacity(authors.len() + 1);
    let listed: Vec<Value> = authors
        .iter()
        .map(|author| {
            json!({
                "name": author.name,
                "url": format!("{}{}", site.base_path, author.path),
                "count": author.changes.len(),
                "last": author.changes[0].commit.date().to_string(),
            })
        })
        .collect();
    let index = json!({
        "title": title,
        "url": format!("{}{AUTHORS_DIR}", site.base_path),
        "breadcrumbs": breadcrumbs,
    });
    let html = renderer.render("authors.html", index, &[("authors", Value::Array(listed))])?;
    files.push(OutputFile {
        path: format!("{AUTHORS_DIR}index.html"),
        contents: html.into_bytes(),
    });
    let mut trail = breadcrumbs.clone();
    trail.push(json!({"title": title, "url": format!("{}{AUTHORS_DIR}", site.base_path)}));
    for Author {
        path,
        name,
        changes: list,
    } in &authors
    {
        let url = |number: usize| format!("{}{}", site.base_path, list_page_path(path, number));
        let per_page = if renderer.theme.shows_pager {
            CHANGES_PER_PAGE
        } else {
            list.len().max(1)
        };
        let pages = list.len().div_ceil(per_page);
        for (at, changes) in list.chunks(per_page).enumerate() {
            let number = at + 1;
            let page = json!({
                "title": name,
                "url": url(number),
                "breadcrumbs": trail,
                "count": list.len(),
            });
            let pager = json!({
                "number": number,
                "pages": pages,
                "first": at * per_page + 1,
                "last": at * per_page + changes.len(),
                // The first and last pages, where they are not the next.
                "newest_url": (number > 2).then(|| url(1)),
                "newer_url": (number > 1).then(|| url(number - 1)),
                "older_url": (number < pages).then(|| url(number + 1)),
                "oldest_url": (number + 1 < pages).then(|| url(pages)),
            });
            let html = renderer.render_value(
                "author.html",
                tera::Value::from_serializable(&page),
                &[
                    ("days", days_context(site, changes.iter().copied())),
                    ("pager", tera::Value::from_serializable(&pager)),
                ],
            )?;
            files.push(OutputFile {
                path: format!("{}index.html", list_page_path(path, number)),
                contents: html.into_bytes(),
            });
        }
    }
    Ok(files)
}
