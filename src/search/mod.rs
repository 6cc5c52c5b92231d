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
use crate::ids::PageTable;
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

/// Every page's plain text, which only search reads, taken out of the site.
pub fn take_body_texts(site: &mut Site) -> PageTable<String> {
    site.pages
        .iter_mut()
        .map(|page| page.body.take_plain_text())
        .collect()
}

fn in_search_folder(path: &str) -> String {
    format!("{SEARCH_DIR}index/{path}")
}

/// Writes the whole index of a site through `emit`. `body_texts` holds each
/// page's plain text, taken from the site (see [`take_body_texts`]) so that
/// each is dropped as soon as it is indexed.
pub fn write_site_index(site: &Site, body_texts: PageTable<String>, theme: &Theme, emit: Emit) {
    use rayon::prelude::*;
    let kinds = kind_names(theme);
    let others: Vec<Document> = documents::index_documents(site, &kinds)
        .chain(documents::chart_documents(site, &kinds))
        .collect();
    let pages = body_texts
        .into_par_enumerate()
        .map(|(i, text)| Cow::Owned(documents::page_document(site, i, &text, &kinds)));
    index::write_index(
        pages.chain(others.par_iter().map(Cow::Borrowed)),
        &site.config.language,
        &|mut file| {
            file.path = in_search_folder(&file.path);
            emit(file);
        },
    );
}
