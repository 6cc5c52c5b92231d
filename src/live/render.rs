//! Rendering what pending changes reached, as the dependency record
//! plans it, into the store; and old versions when a tab asks for them.

use super::LiveSite;
use crate::artifact::OutputFile;
use crate::diagnostics::Diagnostic;
use crate::ids::{GoneId, PageId};
use crate::render::Renderer;
use crate::render::products::{Product, render_products};
use crate::render::revisions::{render_gone_pages, render_revisions_of};
use crate::resolve::Site;
use std::collections::HashMap;
use std::path::PathBuf;

impl LiveSite {
    pub(super) fn render_pending(&mut self) -> Result<usize, Vec<Diagnostic>> {
        let site = &self.opened.site;
        let changed = std::mem::take(&mut self.pending);
        let plan = self
            .record
            .plan(site, &self.theme, &self.summaries, &self.settings, &changed);
        let made = self
            .render_products(&plan.products)
            .inspect_err(|_| self.pending = changed.clone())?;
        let (everything, revisions_stale) = (plan.everything, plan.revisions_stale);
        let copies = plan.copies.then(|| self.copies());
        self.search.mark(&plan);
        let gone = self
            .record
            .settle(plan, made.iter().map(|(p, f)| (p, f.path.as_str())));
        let files = made.into_iter().map(|(_, file)| file).collect();
        let outputs_changed = self
            .store
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .publish(
                &site.base_path,
                files,
                gone,
                everything,
                copies,
                revisions_stale,
            );
        Ok(outputs_changed)
    }

    /// Puts the home page (and the theme's files) in the store ahead of the
    /// first full render, so that a tab opened at the start does not wait
    /// for every page. The full render follows and settles the record.
    pub fn render_home_first(&self) {
        let site = &self.opened.site;
        if self.problems().has_errors() {
            return;
        }
        let home = match site.index.page_at("") {
            Some(i) => Product::Page(site.pages[i].content_path.clone()),
            None => Product::Home,
        };
        if let Ok(made) = self.render_products(&[home]) {
            let files = made.into_iter().map(|(_, file)| file).collect();
            self.store
                .write()
                .unwrap_or_else(|e| e.into_inner())
                .publish(
                    &site.base_path,
                    files,
                    Default::default(),
                    false,
                    Some(self.copies()),
                    false,
                );
        }
    }

    /// Renders `products`, each file with the product it belongs to.
    fn render_products(
        &self,
        products: &[Product],
    ) -> Result<Vec<(Product, OutputFile)>, Vec<Diagnostic>> {
        let renderer = Renderer::new(&self.opened.site, &self.theme);
        let made = std::sync::Mutex::new(Vec::new());
        let keep = |product: &Product, file: OutputFile| {
            made.lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((product.clone(), file));
        };
        render_products(
            &renderer,
            &self.opened.site,
            &self.summaries,
            products,
            &indicatif::ProgressBar::hidden(),
            &keep,
            None,
        )?;
        Ok(made.into_inner().unwrap_or_else(|e| e.into_inner()))
    }

    /// Files served as they are: the theme's `static/` and the files beside pages.
    fn copies(&self) -> HashMap<String, PathBuf> {
        let mut copies: HashMap<String, PathBuf> =
            crate::pipeline::static_files(&self.theme.static_dir)
                .into_iter()
                .map(|c| (c.to, c.from))
                .collect();
        copies.extend(
            self.opened
                .content
                .assets
                .iter()
                .map(|(from, to)| (to.clone(), from.clone())),
        );
        copies
    }

    /// Renders the history pages, old versions and diffs of the page at
    /// `url_path` (below the base) into the store, if it has any and they
    /// are not there yet. Returns `None` if nothing was added, else the
    /// problems met (a template that fails on a history page).
    pub fn render_revisions_at(&self, url_path: &str) -> Option<Vec<Diagnostic>> {
        let found = revision_owner(self.site(), url_path)?;
        let owner = match found {
            Owner::Page(i) => self.site().pages[i].url_path.clone(),
            Owner::Gone(g) => self.site().gone[g].page.url_path.clone(),
        };
        if self
            .store
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .has_revisions_of(&owner)
        {
            return None;
        }
        let renderer = Renderer::new(self.site(), &self.theme);
        let inputs = self.record.cache_inputs(&self.theme, &self.settings);
        let output = match found {
            Owner::Gone(g) => render_gone_pages(
                &renderer,
                self.site(),
                &self.summaries,
                &self.cache,
                &inputs,
                Some(g),
            ),
            Owner::Page(i) => render_revisions_of(
                &renderer,
                self.site(),
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
        Some(output.warnings)
    }
}

/// Whose history pages are rendered on request.
enum Owner {
    Page(PageId),
    /// A deleted page: its notice too.
    Gone(GoneId),
}

/// The page whose history, old versions or diffs live at `url_path`, or
/// the deleted page whose notice or history does.
fn revision_owner(site: &Site, url_path: &str) -> Option<Owner> {
    if let Some(i) = page_owner(site, url_path) {
        return Some(Owner::Page(i));
    }
    site.gone
        .enumerate()
        .find(|(_, g)| url_path.starts_with(g.page.url_path.as_str()))
        .map(|(g, _)| Owner::Gone(g))
}

fn page_owner(site: &Site, url_path: &str) -> Option<PageId> {
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
