//! Search over the current pages, in the reader's browser, from a static
//! host: the build writes a Dutch-stemmed index in small pieces below
//! `zoeken/`, and the theme's `static/search.js` loads only the pieces a
//! query needs.
//!
//! - `words`: cutting, folding and stemming words (mirrored in the script);
//! - `documents`: what each page contributes;
//! - `index`: counting the words of every document, and the index's files;
//! - `postings`: where each stem occurs, as the index writes it;
//! - `pieces`: the files cut in pieces named by their contents.

pub mod documents;
pub mod index;
mod pieces;
mod postings;
pub mod words;

use crate::artifact::{Emit, OutputFile};
use crate::ids::{Id, PageId};
use crate::render::theme::Theme;
use crate::resolve::Site;
use crate::urls::SEARCH_DIR;
use documents::{Document, KindNames};
use index::COUNTED_TOGETHER;
use index::Counting;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

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

/// The index of a whole site. The build hands in each page's text as it
/// renders the page, from the same reading of its file; what was not
/// handed in is read when the index is written.
pub struct SearchIndex<'s> {
    site: &'s Site,
    kinds: KindNames,
    counting: Counting,
    /// Pages handed in and not yet counted, waiting in memory until there
    /// are [`COUNTED_TOGETHER`] of them.
    waiting: Mutex<Vec<(usize, Document)>>,
    /// By page: counted already.
    counted: Vec<AtomicBool>,
}

impl<'s> SearchIndex<'s> {
    pub fn new(site: &'s Site, theme: &Theme) -> SearchIndex<'s> {
        SearchIndex {
            site,
            kinds: kind_names(theme),
            counting: Counting::new(&site.config.language),
            waiting: Mutex::new(Vec::new()),
            counted: site.pages.iter().map(|_| AtomicBool::new(false)).collect(),
        }
    }

    /// Counts page `i`, whose body's words are `body_text`.
    pub fn add_page(&self, i: PageId, body_text: &str) {
        if self.counted[i.row()].swap(true, Ordering::Relaxed) {
            return;
        }
        let document = documents::page_document(self.site, i, body_text, &self.kinds);
        let batch = {
            let mut waiting = self.waiting.lock().unwrap_or_else(|e| e.into_inner());
            waiting.push((i.row(), document));
            if waiting.len() < COUNTED_TOGETHER {
                return;
            }
            std::mem::take(&mut *waiting)
        };
        self.count(&batch);
    }

    fn count(&self, batch: &[(usize, Document)]) {
        self.counting
            .add_all(batch.iter().map(|(id, document)| (*id, document)));
    }

    /// Counts the pages not handed in, the collection indexes and the org
    /// charts, and writes every file of the index through `emit`.
    pub fn write(&self, emit: Emit) {
        use rayon::prelude::*;
        let site = self.site;
        site.pages
            .par_enumerate()
            .filter(|(i, _)| !self.counted[i.row()].load(Ordering::Relaxed))
            .for_each(|(i, page)| self.add_page(i, &page.search_text(site.config.allow_html)));
        self.count(&std::mem::take(
            &mut *self.waiting.lock().unwrap_or_else(|e| e.into_inner()),
        ));
        let others = documents::index_documents(site, &self.kinds)
            .chain(documents::chart_documents(site, &self.kinds));
        let mut count = site.pages.len();
        for document in others {
            self.counting.add(count, &document);
            count += 1;
        }
        self.counting.write(count, &|mut file| {
            file.path = in_search_folder(&file.path);
            emit(file);
        });
    }
}
