//! Rendering what pending changes reached: the facts of every page they
//! may have touched are compared with the facts as last rendered, and
//! only pages and indexes whose inputs differ are rendered again.

use super::LiveSite;
use super::facts::PageFacts;
use crate::diagnostics::Diagnostic;
use crate::render::revisions::{
    CacheInputs, page_set_fingerprint, render_gone_pages, render_revisions_of,
};
use crate::render::{Renderer, Selection, render_selected};
use crate::resolve::Site;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::PathBuf;

impl LiveSite {
    fn template_of(&self, i: usize) -> String {
        let page = &self.site.pages[i];
        if page.is_home() {
            "home.html".into()
        } else {
            self.theme.page_template(page.collection.as_deref())
        }
    }

    fn facts_of(&self, i: usize) -> PageFacts {
        PageFacts::of(&self.site, &self.summaries, self.template_of(i), i)
    }

    pub(super) fn render_pending(&mut self) -> Result<usize, Vec<Diagnostic>> {
        let site = &self.site;
        let renderer = Renderer::new(site, &self.theme);
        let pending = std::mem::take(&mut self.pending);
        let everything = pending.everything;
        let templates = &pending.templates;
        // Facts of every page a change may have reached, before and after.
        let reached: Vec<usize> = if everything || pending.whole_site {
            (0..site.pages.len()).collect()
        } else {
            let mut reached = BTreeSet::new();
            for path in &pending.pages {
                let before = self.rendered.get(path).map(|f| f.shown_on.iter());
                let now = site.index.page_of_source(path);
                reached.extend(now);
                reached.extend(
                    now.into_iter()
                        .flat_map(|i| site.outgoing[i].iter().copied()),
                );
                reached.extend(
                    before
                        .into_iter()
                        .flatten()
                        .filter_map(|p| site.index.page_of_source(p)),
                );
            }
            reached.into_iter().collect()
        };
        let facts: Vec<(usize, PageFacts)> =
            reached.par_iter().map(|&i| (i, self.facts_of(i))).collect();
        let removed: Vec<String> = if pending.whole_site {
            self.rendered
                .keys()
                .filter(|p| site.index.page_of_source(p).is_none())
                .cloned()
                .collect()
        } else {
            Vec::new()
        };
        let mut summary_changed: HashSet<&str> = removed.iter().map(String::as_str).collect();
        let mut pages_changed: BTreeSet<usize> = BTreeSet::new();
        for (i, new) in &facts {
            let path = site.pages[*i].content_path.as_str();
            match self.rendered.get(path) {
                Some(old) if old.summary == new.summary => {}
                _ => {
                    summary_changed.insert(path);
                }
            }
            if self.rendered.get(path) != Some(new) || pending.pages.contains(path) {
                pages_changed.insert(*i);
            }
        }
        for (i, new) in &facts {
            if new
                .shows
                .iter()
                .any(|p| summary_changed.contains(p.as_str()))
            {
                pages_changed.insert(*i);
            }
        }
        if !templates.is_empty() {
            pages_changed.extend(
                (0..site.pages.len()).filter(|&i| templates.contains(&self.template_of(i))),
            );
        }
        let updated_changed = facts.iter().any(|(i, new)| {
            self.rendered
                .get(&site.pages[*i].content_path)
                .is_none_or(|old| old.updated != new.updated)
        });
        let touched = |names: &[&str]| names.iter().any(|n| templates.contains(*n));
        let chart_pages: HashSet<&str> = site
            .org_charts
            .iter()
            .flat_map(|chart| {
                let bodies = chart.bodies.iter();
                std::iter::once(chart.page)
                    .chain(bodies.flat_map(|b| b.members.iter().chain(&b.collected).copied()))
            })
            .map(|i| site.pages[i].content_path.as_str())
            .collect();
        let charts_reached = summary_changed
            .iter()
            .copied()
            .chain(pending.pages.iter().map(String::as_str))
            .any(|p| chart_pages.contains(p) || self.rendered.get(p).is_some_and(|f| f.chart));
        let collections: Vec<String> = site
            .config
            .collections
            .keys()
            .filter(|name| {
                touched(&["list.html"])
                    || summary_changed.iter().any(|p| {
                        p.split_once('/')
                            .is_some_and(|(collection, _)| collection == *name)
                    })
            })
            .cloned()
            .collect();
        let any_summary = !summary_changed.is_empty();
        let selection = if everything {
            Selection::everything()
        } else {
            Selection {
                pages: Some(pages_changed.iter().copied().collect()),
                collections: Some(collections),
                home: any_summary || touched(&["home.html"]),
                not_found: touched(&["404.html"]),
                redirects: any_summary || touched(&["redirect.html"]),
                recent: any_summary || touched(&["recent.html"]),
                authors: any_summary || touched(&["authors.html", "author.html"]),
                charts: charts_reached || touched(&["orgchart.html"]),
                sitemap: pending.whole_site || updated_changed,
                search: touched(&["search.html"]),
            }
        };
        let hidden = indicatif::ProgressBar::hidden();
        let files = std::sync::Mutex::new(Vec::new());
        let keep = |file| files.lock().unwrap_or_else(|e| e.into_inner()).push(file);
        render_selected(&renderer, site, &self.summaries, &selection, &hidden, &keep)
            .inspect_err(|_| self.pending = pending.clone())?;
        let files = files.into_inner().unwrap_or_else(|e| e.into_inner());
        // What went away: pages and the redirects and charts they made.
        let mut gone: HashSet<String> = removed
            .iter()
            .filter_map(|p| self.rendered.get(p))
            .map(|f| format!("{}index.html", f.url_path))
            .collect();
        if selection.redirects {
            let new_redirects: HashSet<String> = crate::render::old_urls(site)
                .into_iter()
                .map(|(from, _, _)| format!("{from}index.html"))
                .collect();
            gone.extend(self.redirect_outputs.difference(&new_redirects).cloned());
            self.redirect_outputs = new_redirects;
        }
        if selection.authors {
            // Every author's page was just rendered: those missing are gone.
            let new_authors: HashSet<String> = files
                .iter()
                .filter(|f| f.path.starts_with(crate::urls::AUTHORS_DIR))
                .map(|f| f.path.clone())
                .collect();
            gone.extend(self.author_outputs.difference(&new_authors).cloned());
            self.author_outputs = new_authors;
        }
        if selection.charts {
            let new_charts: HashSet<String> = site
                .org_charts
                .iter()
                .flat_map(|c| {
                    let dir = c.out_dir(site);
                    [
                        format!("{dir}index.html"),
                        format!("{dir}{}", crate::urls::CHART_FILE),
                    ]
                })
                .collect();
            gone.extend(self.chart_outputs.difference(&new_charts).cloned());
            self.chart_outputs = new_charts;
        }
        if everything || pending.whole_site {
            self.page_set = page_set_fingerprint(site);
        }
        let inputs = CacheInputs {
            theme: self.theme.fingerprint.clone(),
            settings: self.settings.clone(),
            pages: self.page_set.clone(),
        };
        let copies = (everything || pending.static_files).then(|| self.copies());
        let mut store = self.store.write().unwrap_or_else(|e| e.into_inner());
        let revisions_stale = everything
            || !templates.is_empty()
            || store.revision_inputs.as_ref() != Some(&inputs_key(&inputs));
        let changed = store.publish(
            &site.base_path,
            files,
            gone,
            everything,
            copies,
            revisions_stale.then(|| inputs_key(&inputs)),
        );
        drop(store);
        self.search.mark(&pending);
        if everything || pending.whole_site {
            self.rendered = facts
                .into_iter()
                .map(|(i, f)| (site.pages[i].content_path.clone(), f))
                .collect();
        } else {
            for (i, f) in facts {
                self.rendered.insert(site.pages[i].content_path.clone(), f);
            }
        }
        Ok(changed)
    }

    /// Files served as they are: the theme's `static/` and the files beside pages.
    fn copies(&self) -> HashMap<String, PathBuf> {
        let mut copies: HashMap<String, PathBuf> =
            crate::pipeline::static_files(&self.theme.static_dir)
                .into_iter()
                .map(|c| (c.to, c.from))
                .collect();
        copies.extend(
            self.assets
                .iter()
                .map(|(from, to)| (to.clone(), from.clone())),
        );
        copies
    }

    /// Renders the history pages, old versions and diffs of the page at
    /// `url_path` (below the base) into the store, if it has any and they
    /// are not there yet. Returns whether anything was added.
    pub fn render_revisions_at(&self, url_path: &str) -> bool {
        let Some(found) = revision_owner(&self.site, url_path) else {
            return false;
        };
        let owner = match found {
            Owner::Page(i) => self.site.pages[i].url_path.clone(),
            Owner::Gone(g) => self.site.gone[g].page.url_path.clone(),
        };
        if self
            .store
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .has_revisions_of(&owner)
        {
            return false;
        }
        let renderer = Renderer::new(&self.site, &self.theme);
        let inputs = CacheInputs {
            theme: self.theme.fingerprint.clone(),
            settings: self.settings.clone(),
            pages: self.page_set.clone(),
        };
        let output = match found {
            Owner::Gone(g) => render_gone_pages(
                &renderer,
                &self.site,
                &self.summaries,
                &self.cache,
                &inputs,
                Some(g),
            ),
            Owner::Page(i) => render_revisions_of(
                &renderer,
                &self.site,
                &self.summaries,
                &self.cache,
                &inputs,
                &[i],
            ),
        };
        let mut files: Vec<(String, bytes::Bytes)> = output
            .files
            .into_iter()
            .map(|f| (f.path, bytes::Bytes::from(f.contents)))
            .collect();
        for dir in output.dirs {
            for entry in dir.entries {
                if let Ok(contents) = std::fs::read(&entry.source) {
                    let path = format!(
                        "{}{}",
                        dir.dir,
                        crate::artifact::RevisionEntry::file_in_dir(&entry.name)
                    );
                    files.push((path, bytes::Bytes::from(contents)));
                }
            }
        }
        self.store
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .add_revisions(owner, files);
        true
    }
}

fn inputs_key(inputs: &CacheInputs) -> String {
    format!("{}\n{}\n{}", inputs.theme, inputs.settings, inputs.pages)
}

/// Whose history pages are rendered on request.
enum Owner {
    Page(usize),
    /// A deleted page: its notice too.
    Gone(usize),
}

/// The page whose history, old versions or diffs live at `url_path`, or
/// the deleted page whose notice or history does.
fn revision_owner(site: &Site, url_path: &str) -> Option<Owner> {
    if let Some(i) = page_owner(site, url_path) {
        return Some(Owner::Page(i));
    }
    site.gone
        .iter()
        .position(|g| url_path.starts_with(g.page.url_path.as_str()))
        .map(Owner::Gone)
}

fn page_owner(site: &Site, url_path: &str) -> Option<usize> {
    use crate::urls::{DIFF_DIR, HISTORY_DIR, VERSION_DIR};
    for marker in [HISTORY_DIR, VERSION_DIR, DIFF_DIR] {
        let mut from = 0;
        while let Some(at) = url_path[from..].find(marker) {
            let start = from + at;
            let owner = &url_path[..start];
            if (owner.is_empty() || owner.ends_with('/'))
                && let Some(i) = site.index.page_at(owner)
            {
                return Some(i);
            }
            from = start + 1;
        }
    }
    None
}
