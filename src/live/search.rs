//! Keeping the search index in step with the preview. Each page's search
//! document is kept and made again only when its file was read again; when
//! any document changed, the index files are made anew and the store
//! passes on only the pieces that differ. This runs after the pages are
//! published, when the editor pauses: on a large wiki it takes a second,
//! and a page's reload must not wait for it.

use super::LiveSite;
use crate::artifact::OutputFile;
use crate::pipeline::depends::Plan;
use crate::search::documents::{Document, chart_documents, index_documents, page_document};
use crate::search::{kind_names, search_files};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap, HashSet};

#[derive(Default)]
pub(super) struct LiveSearch {
    /// Page documents by path below `content/`.
    pages: HashMap<String, Document>,
    /// What the index was last made from: pages in site order, then the
    /// collection indexes and org charts.
    indexed_pages: Vec<String>,
    indexed_others: Vec<Document>,
    outputs: HashSet<String>,
    /// Rendered since the index was last made: pages read again, or all.
    stale: bool,
    stale_all: bool,
    stale_pages: BTreeSet<String>,
}

impl LiveSearch {
    /// Notes which documents a render that succeeded made stale.
    pub(super) fn mark(&mut self, rendered: &Plan) {
        self.stale = true;
        self.stale_all |= rendered.search_all;
        self.stale_pages
            .extend(rendered.search_pages.iter().cloned());
    }
}

impl LiveSite {
    /// Whether pages were published that the search index does not know yet.
    pub fn search_is_stale(&self) -> bool {
        self.search.stale
    }

    /// Brings the search index up to date with the published pages;
    /// returns how many of its files changed.
    pub fn update_search(&mut self) -> usize {
        let Some((files, gone)) = self.search_changes() else {
            return 0;
        };
        self.store
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .publish(&self.opened.site.base_path, files, gone, false, None, false)
    }

    /// New index files and the old ones that went, if any document changed.
    fn search_changes(&mut self) -> Option<(Vec<OutputFile>, HashSet<String>)> {
        let site = &self.opened.site;
        let kinds = kind_names(&self.theme);
        let search = &mut self.search;
        if !std::mem::take(&mut search.stale) {
            return None;
        }
        let mut changed = std::mem::take(&mut search.stale_all);
        if changed {
            search.pages.clear();
        }
        for path in std::mem::take(&mut search.stale_pages) {
            search.pages.remove(&path);
        }
        let made: Vec<(String, Document)> = site
            .pages
            .par_enumerate()
            .filter(|(_, page)| !search.pages.contains_key(&page.content_path))
            .map(|(i, page)| {
                (
                    page.content_path.clone(),
                    page_document(site, i, &page.search_text(site.config.allow_html), &kinds),
                )
            })
            .collect();
        changed |= !made.is_empty();
        search.pages.extend(made);
        let order: Vec<String> = site.pages.iter().map(|p| p.content_path.clone()).collect();
        if order != search.indexed_pages {
            changed = true;
            search
                .pages
                .retain(|path, _| site.index.page_of_source(path).is_some());
        }
        let others: Vec<Document> = index_documents(site, &kinds)
            .chain(chart_documents(site, &kinds))
            .collect();
        changed |= others != search.indexed_others;
        if !changed {
            return None;
        }
        let documents: Vec<&Document> = order
            .iter()
            .filter_map(|path| search.pages.get(path))
            .chain(&others)
            .collect();
        let files = search_files(&documents, &site.config.language);
        let outputs: HashSet<String> = files.iter().map(|f| f.path.clone()).collect();
        let gone = search.outputs.difference(&outputs).cloned().collect();
        search.outputs = outputs;
        search.indexed_pages = order;
        search.indexed_others = others;
        Some((files, gone))
    }
}
