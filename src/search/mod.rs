//! Search over the current pages, in the reader's browser, from a static
//! host: the build writes a Dutch-stemmed index in small pieces below
//! `zoeken/`, and the theme's `static/search.js` loads only the pieces a
//! query needs.
//!
//! - `words`: cutting, folding and stemming words (mirrored in the script);
//! - `documents`: what each page contributes;
//! - `index`: the files of the index.

pub mod documents;
pub mod index;
pub mod words;

use crate::artifact::{Emit, OutputFile};
use crate::render::theme::Theme;
use crate::resolve::Site;
use crate::urls::SEARCH_DIR;
use documents::{Document, KindNames};
use std::borrow::Cow;

/// The names of page kinds outside collections, from the theme's strings.
pub fn kind_names(theme: &Theme) -> KindNames {
    let string = |key: &str| theme.strings.get(key).cloned().unwrap_or_default();
    KindNames {
        page: string("search_kind_page"),
        index: string("search_kind_index"),
        chart: string("search_kind_chart"),
        chart_title: string("orgchart_heading"),
    }
}

/// The index files of `documents`, with their paths in the output.
pub fn search_files(documents: &[&Document], language: &str) -> Vec<OutputFile> {
    let mut files = index::index_files(documents, language);
    for file in &mut files {
        file.path = in_search_folder(&file.path);
    }
    files
}

fn in_search_folder(path: &str) -> String {
    format!("{SEARCH_DIR}index/{path}")
}

/// Writes the whole index of a site through `emit`. Each page's text is
/// made from its HTML when its turn comes and dropped once counted.
pub fn write_site_index(site: &Site, theme: &Theme, emit: Emit) {
    use rayon::prelude::*;
    let kinds = kind_names(theme);
    let others: Vec<Document> = documents::index_documents(site, &kinds)
        .chain(documents::chart_documents(site, &kinds))
        .collect();
    let pages = site.pages.par_enumerate().map(|(i, page)| {
        Cow::Owned(documents::page_document(
            site,
            i,
            &page.plain_text(site.config.allow_html),
            &kinds,
        ))
    });
    index::write_index(
        pages.chain(others.par_iter().map(Cow::Borrowed)),
        &site.config.language,
        &|mut file| {
            file.path = in_search_folder(&file.path);
            emit(file);
        },
    );
}
