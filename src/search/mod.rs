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

use crate::render::OutputFile;
use crate::render::theme::Theme;
use crate::resolve::Site;
use documents::{Document, KindNames};

/// Where the search page and its index live, below the base path.
pub const SEARCH_DIR: &str = "zoeken/";

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
        file.path = format!("{SEARCH_DIR}index/{}", file.path);
    }
    files
}

/// The whole index of a site.
pub fn site_search_files(site: &Site, theme: &Theme) -> Vec<OutputFile> {
    let documents = documents::site_documents(site, &kind_names(theme));
    let documents: Vec<&Document> = documents.iter().collect();
    search_files(&documents, &site.config.language)
}
