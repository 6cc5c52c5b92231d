//! Contributions per author: `/auteurs/` lists everyone who changed a page,
//! and `/auteurs/<naam>/` each one's changes across the wiki. Only the
//! names git records are shown, never an address.

use super::recent::{Change, all_changes, days_context};
use super::{Renderer, context};
use crate::artifact::OutputFile;
use crate::diagnostics::Diagnostic;
use crate::resolve::Site;
use crate::urls::{AUTHORS_DIR, author_path};
use serde_json::{Value, json};

/// The index of authors and a page per author.
pub fn render_authors(renderer: &Renderer, site: &Site) -> Result<Vec<OutputFile>, Diagnostic> {
    let changes = all_changes(site);
    // Names that make the same address share a page, under the first seen.
    let mut authors: Vec<(String, String, Vec<&Change>)> = Vec::new();
    let mut by_path: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for change in &changes {
        let path = author_path(&change.commit.author);
        match by_path.get(&path) {
            Some(&a) => authors[a].2.push(change),
            None => {
                by_path.insert(path.clone(), authors.len());
                authors.push((path, change.commit.author.clone(), vec![change]));
            }
        }
    }
    authors.sort_by_key(|(_, name, _)| name.to_lowercase());
    let title = renderer.string("authors_title");
    let breadcrumbs = context::breadcrumbs(site, None);
    let mut files = Vec::with_capacity(authors.len() + 1);
    let listed: Vec<Value> = authors
        .iter()
        .map(|(path, name, list)| {
            json!({
                "name": name,
                "url": format!("{}{path}", site.base_path),
                "count": list.len(),
                "last": list[0].commit.date().to_string(),
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
    for (path, name, list) in &authors {
        let page = json!({
            "title": name,
            "url": format!("{}{path}", site.base_path),
            "breadcrumbs": trail,
            "count": list.len(),
        });
        let html = renderer.render_value(
            "author.html",
            tera::Value::from_serializable(&page),
            &[("days", days_context(site, list.iter().copied()))],
        )?;
        files.push(OutputFile {
            path: format!("{path}index.html"),
            contents: html.into_bytes(),
        });
    }
    Ok(files)
}
