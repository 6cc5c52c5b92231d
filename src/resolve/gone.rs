//! Deleted pages: which of them keep an address of their own, and the
//! history each one publishes there.

use super::Site;
use crate::history::{CommitMeta, History, Revision};
use crate::ids::{GoneId, Table};
use crate::page::Page;
use std::collections::{HashMap, HashSet};

/// A page whose file was deleted: its last version at its last address,
/// its revisions and the deletion.
#[derive(Debug, Clone)]
pub struct GonePage {
    pub page: Page,
    pub revisions: Vec<Revision>,
    pub deletion: Revision,
    /// Its address shows the notice. Not where a page of today once
    /// lived there: the address leads to that page, and the deleted one's
    /// history is published below it all the same.
    pub notice: bool,
}

impl GonePage {
    /// Which of its revisions the deletion removed, nearest the deletion
    /// in the graph; else the newest version.
    pub fn last_version(&self) -> Option<usize> {
        let removed = self.deletion.previous;
        removed
            .and_then(|blob| crate::history::nearest_version(&self.revisions, Some(blob)))
            .or_else(|| self.revisions.iter().position(|r| !r.deleted))
    }

    /// Where the deleted page is shown, below the base: its notice at its
    /// address, or, without one, its history.
    pub fn shown_path(&self) -> String {
        if self.notice {
            self.page.url_path.clone()
        } else {
            format!("{}{}", self.page.url_path, crate::urls::HISTORY_DIR)
        }
    }
}

impl Site {
    /// The deleted pages of the history, at the addresses the current
    /// pages leave free: again whenever pages come or go.
    pub fn find_gone_pages(&mut self) {
        self.gone = match &self.history {
            Some(history) => self.gone_pages(history),
            None => Table::new(),
        };
        self.gone_by_name.clear();
        for (g, gone) in self.gone.enumerate().filter(|(_, gone)| gone.notice) {
            let page = &gone.page;
            for name in [page.slug.clone(), page.front.title.to_lowercase()] {
                self.gone_by_name.entry(name).or_insert(g);
            }
        }
    }

    /// The deleted pages of `history` whose last address no current page
    /// holds as its own, each with its last version.
    fn gone_pages(&self, history: &History) -> Table<GoneId, GonePage> {
        let mut taken: HashSet<String> = HashSet::new();
        for i in self.pages.ids() {
            for path in self.revisions(i).iter().flat_map(Revision::paths) {
                taken.extend(crate::page::former_url_path(path, &self.config));
            }
        }
        let repo = history.reader();
        let mut deleted: Vec<&crate::history::DeletedPage> = history.deleted.iter().collect();
        deleted.sort_by_key(|d| std::cmp::Reverse(history.commits[d.deletion.commit].seconds));
        let candidates: Vec<GonePage> = deleted
            .into_iter()
            // Files twn never reads as pages are not published when gone.
            .filter(|deleted| {
                !deleted
                    .path
                    .split('/')
                    .any(|part| part.starts_with('.') || crate::page::is_editor_leftover(part))
            })
            .filter_map(|deleted| {
                let url_path = crate::page::former_url_path(&deleted.path, &self.config)?;
                let bare = url_path.trim_end_matches('/');
                let free = self.index.page_at(bare).is_none()
                    && !self.index.by_alias.contains_key(bare)
                    && crate::urls::alias_url_path(bare).is_ok()
                    && !self.config.collections.contains_key(bare);
                if !free {
                    return None;
                }
                let notice = !taken.contains(&url_path);
                let slug = bare.rsplit('/').next().unwrap_or(bare).to_owned();
                let place = Page {
                    source: crate::source::SourceFile {
                        display_path: format!("{}/{}", crate::folders::CONTENT_DIR, deleted.path),
                        text: String::new(),
                    },
                    content_path: deleted.path.clone(),
                    collection: deleted
                        .path
                        .split_once('/')
                        .map(|(c, _)| c.to_owned())
                        .filter(|c| self.config.collections.contains_key(c)),
                    front: crate::schema::FrontMatter {
                        title: slug.clone(),
                        ..Default::default()
                    },
                    slug,
                    url_path,
                    body: Default::default(),
                    body_offset: 0,
                    modified: None,
                    dropped_source: None,
                    kept_front_matter: None,
                    stand_in: false,
                };
                let last = deleted.deletion.previous?;
                let text = History::blob_text(&repo, last).unwrap_or_default();
                let page = crate::page::old_version(&self.config, &place, &deleted.path, text);
                // A draft was never published: nor is its deletion.
                if page.front.draft {
                    return None;
                }
                // Its history lists the deletion, with its diff, as `git log
                // --follow` does; the notice says it too.
                let mut revisions = deleted.revisions.clone();
                revisions.insert(0, deleted.deletion.clone());
                crate::history::link_older_versions(&mut revisions);
                Some(GonePage {
                    page,
                    revisions,
                    deletion: deleted.deletion.clone(),
                    notice,
                })
            })
            .collect();
        one_per_address(candidates, &history.commits)
    }
}

/// Two deleted files with one address (`Verslag 2023.md`, later
/// `verslag-2023.md`): the one deleted last is shown there, and the
/// other's life and deletion join its history rather than vanish.
/// `candidates` come newest deletion first.
fn one_per_address(candidates: Vec<GonePage>, commits: &[CommitMeta]) -> Table<GoneId, GonePage> {
    let mut shown: Vec<GonePage> = Vec::new();
    let mut at_address: HashMap<String, usize> = HashMap::new();
    let mut joined = HashSet::new();
    for gone in candidates {
        if let Some(&kept) = at_address.get(&gone.page.url_path) {
            shown[kept].revisions.extend(gone.revisions);
            joined.insert(kept);
        } else {
            at_address.insert(gone.page.url_path.clone(), shown.len());
            shown.push(gone);
        }
    }
    for kept in joined {
        let revisions = &mut shown[kept].revisions;
        // One revision per commit.
        let mut seen = HashSet::new();
        revisions.retain(|revision| seen.insert(revision.order));
        crate::history::order_newest_first(revisions, commits);
    }
    shown.into()
}
