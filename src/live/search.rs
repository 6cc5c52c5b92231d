//! Keeping the search index in step with the preview. Each page's search
//! document is kept and made again only when its file was read again; when
//! any document changed, the index files are made anew and the store
//! passes on only the pieces that differ.

use super::{LiveSite, Pending};
use crate::render::OutputFile;
use crate::search::documents::{Document, chart_documents, index_documents, page_document};
use crate::search::{kind_names, search_files};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};

#[derive(Default)]
pub(super) struct LiveSearch {
    /// Page documents by path below `content/`.
    pages: HashMap<String, Document>,
    /// What the index was last made from: pages in site order, then the
    /// collection indexes and org charts.
    indexed_pages: Vec<String>,
    indexed_others: Vec<Document>,
    outputs: HashSet<String>,
}

impl LiveSite {
    /// New index files and the old ones that went, if any document changed.
    pub(super) fn search_changes(
        &mut self,
        pending: &Pending,
    ) -> Option<(Vec<OutputFile>, HashSet<String>)> {
        let site = &self.site;
        let kinds = kind_names(&self.theme);
        let search = &mut self.search;
        let mut changed = pending.everything;
        if pending.everything {
            search.pages.clear();
        }
        for path in &pending.pages {
            search.pages.remove(path);
        }
        let made: Vec<(String, Document)> = site
            .pages
            .par_iter()
            .enumerate()
            .filter(|(_, page)| !search.pages.contains_key(&page.content_path))
            .map(|(i, page)| (page.content_path.clone(), page_document(site, i, &kinds)))
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
