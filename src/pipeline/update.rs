//! The stages again after a change, for `twn serve`: what [`super::open`]
//! did, done again for what the change named. An edit that leaves what
//! other pages can link to alone is read and resolved for that page only;
//! anything else reads the files that are new or changed and resolves the
//! whole site again, keeping the pages and histories it already has.
//! Each step notes in [`Changed`] what the dependency record must know.

use super::depends::Changed;
use super::sources::{Opened, asset_paths};
use crate::diagnostics::Diagnostic;
use crate::history::PageHistory;
use crate::ids::{PageId, PageTable};
use crate::page::{Page, discover, load_page};
use crate::resolve::{Resolved, Site, resolve};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

/// Whose summaries (what lists show of a page) must be made again.
#[derive(Debug, PartialEq)]
pub enum Refreshed {
    Nothing,
    /// These pages, by site index.
    Pages(Vec<PageId>),
    Every,
}

impl Opened {
    /// After files below `content/` changed: reads the Markdown files
    /// `pages` (paths below `content/`) again, and looks at every file when
    /// `rescan` or when files beside pages came or went.
    pub fn read_again(
        &mut self,
        pages: &BTreeSet<String>,
        rescan: bool,
        assets_changed: bool,
        drafts: bool,
        changed: &mut Changed,
    ) -> Refreshed {
        let mut whole_site = rescan;
        if assets_changed && !rescan {
            self.content.assets = discover(&self.site_root).assets;
            // Pages show images beside them: a file that came or went can
            // make one right or wrong.
            whole_site |= asset_paths(&self.content.assets) != self.site.assets;
        }
        let content_dir = self.site_root.join(crate::folders::CONTENT_DIR);
        let mut read_again = BTreeSet::new();
        let mut replaced = Vec::new();
        for content_path in pages {
            let file = content_dir.join(content_path);
            let existing = self.site.index.page_of_source(content_path);
            let (Some(i), true) = (existing, file.is_file()) else {
                whole_site = true;
                read_again.insert(content_path.clone());
                continue;
            };
            let (page, problems) = load_page(&self.config, &file, content_path, drafts);
            let Some(page) = page else {
                whole_site = true;
                read_again.insert(content_path.clone());
                continue;
            };
            let current = &self.site.pages[i];
            if page.source.text == current.source.text && page.modified == current.modified {
                continue;
            }
            self.set_load_problems(content_path, problems);
            match self.site.replace_page(i, page) {
                Ok(problems) => {
                    self.page_problems[i] = problems;
                    self.read_history_of(i, changed);
                    replaced.push(i);
                }
                Err(_) => {
                    whole_site = true;
                    read_again.insert(content_path.clone());
                }
            }
            changed.sources.insert(content_path.clone());
        }
        if whole_site {
            self.resolve_again(&read_again, drafts);
            changed.page_set = true;
            changed.sources.extend(read_again);
            return Refreshed::Every;
        }
        if replaced.is_empty() {
            Refreshed::Nothing
        } else {
            Refreshed::Pages(replaced)
        }
    }

    /// After a commit, checkout or `git add`: whether HEAD or a page's
    /// committed state moved. Git touches its index often (`git status` in
    /// an editor), so the history is read again only when HEAD moved.
    pub fn read_history_again(&mut self, changed: &mut Changed) -> bool {
        let root = &self.site_root;
        let state = |site: &Site| {
            let head = site.history.as_ref().and_then(|h| h.head);
            let committed: Vec<(bool, Option<usize>)> = site
                .page_history
                .iter()
                .map(|h| (h.committed, h.head))
                .collect();
            (head, committed)
        };
        let before = state(&self.site);
        let head = gix::discover(root)
            .ok()
            .and_then(|repo| repo.head_id().ok().map(|id| id.detach()));
        if head.is_some() && head == before.0 {
            self.site.refresh_committed(root);
        } else {
            // A history that cannot be read now keeps the last one, as at start.
            let Ok(read) = crate::history::read(root) else {
                return false;
            };
            let Some(history) = read.history else {
                return false;
            };
            self.site.attach_history(history, root);
        }
        let moved = state(&self.site) != before;
        changed.history |= moved;
        moved
    }

    fn set_load_problems(&mut self, content_path: &str, problems: Vec<Diagnostic>) {
        match self
            .load_problems
            .iter_mut()
            .find(|(p, _)| p == content_path)
        {
            Some((_, old)) => *old = problems,
            None => self.load_problems.push((content_path.to_owned(), problems)),
        }
    }

    /// The page's history after its file changed: the version it has can
    /// change with it, which its history pages show.
    fn read_history_of(&mut self, i: PageId, changed: &mut Changed) {
        let Some(history) = &self.site.history else {
            return;
        };
        let page = &self.site.pages[i];
        let file = self.site_root.join(&page.source.display_path);
        let fresh = history.for_pages(rayon::iter::once((
            page.content_path.as_str(),
            file.as_path(),
        )));
        if let Some(fresh) = fresh.into_iter().next() {
            changed.history |= fresh.head != self.site.page_history[i].head;
            self.site.page_history[i] = fresh;
        }
    }

    /// Looks at every file again, reads the new ones and `read_again`, and
    /// resolves the whole site.
    fn resolve_again(&mut self, read_again: &BTreeSet<String>, drafts: bool) {
        let root = &self.site_root;
        let content = discover(root);
        let mut known: HashMap<String, Vec<Diagnostic>> = std::mem::take(&mut self.load_problems)
            .into_iter()
            .collect();
        let config = &self.config;
        let to_read: Vec<&(PathBuf, String)> = content
            .markdown
            .iter()
            .filter(|(_, p)| read_again.contains(p) || !known.contains_key(p))
            .collect();
        let read: Vec<_> = to_read
            .par_iter()
            .map(|(file, content_path)| {
                (content_path, load_page(config, file, content_path, drafts))
            })
            .collect();
        let mut fresh: HashMap<String, Option<Page>> = HashMap::with_capacity(read.len());
        for (content_path, (page, problems)) in read {
            known.insert(content_path.clone(), problems);
            fresh.insert(content_path.clone(), page);
        }
        // In the order found, as a fresh open has them.
        self.load_problems = content
            .markdown
            .iter()
            .map(|(_, p)| (p.clone(), known.remove(p).unwrap_or_default()))
            .collect();
        let history = self.site.history.take();
        let old_history = std::mem::take(&mut self.site.page_history);
        let mut old: HashMap<String, (Page, Option<PageHistory>)> = HashMap::new();
        let mut old_history = old_history.into_iter();
        for page in std::mem::take(&mut self.site.pages) {
            old.insert(page.content_path.clone(), (page, old_history.next()));
        }
        let mut pages = PageTable::with_capacity(content.markdown.len());
        let mut kept_history: PageTable<Option<PageHistory>> =
            PageTable::with_capacity(content.markdown.len());
        for (_, content_path) in &content.markdown {
            let page = match fresh.remove(content_path) {
                Some(page) => page.map(|p| (p, None)),
                None => old.remove(content_path),
            };
            if let Some((page, page_history)) = page {
                pages.push(page);
                kept_history.push(page_history);
            }
        }
        let drafts = super::sources::drafts_left_out(&self.load_problems, &pages, &content);
        let Resolved {
            mut site,
            index_problems,
            page_problems,
        } = resolve(
            self.config.clone(),
            pages,
            asset_paths(&content.assets),
            &drafts,
        );
        self.index_problems = index_problems;
        if let Some(history) = history {
            let missing: Vec<PageId> = site
                .pages
                .ids()
                .filter(|&i| kept_history[i].is_none())
                .collect();
            let files: Vec<(&str, PathBuf)> = missing
                .iter()
                .map(|&i| {
                    let page = &site.pages[i];
                    (
                        page.content_path.as_str(),
                        root.join(&page.source.display_path),
                    )
                })
                .collect();
            let read = history.for_pages(files.par_iter().map(|(p, f)| (*p, f.as_path())));
            for (i, page_history) in missing.into_iter().zip(read) {
                kept_history[i] = Some(page_history);
            }
            site.page_history = kept_history
                .into_iter()
                .map(Option::unwrap_or_default)
                .collect();
            site.history = Some(history);
            site.find_gone_pages();
        }
        self.site = site;
        self.page_problems = page_problems;
        self.content = content;
    }
}
