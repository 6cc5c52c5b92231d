//! What the editor in `twn serve` asks of the live site: which page an
//! address edits, what its fields may name, and what `twn check` would
//! say of a text before it is saved.

use super::LiveSite;
use super::{ChangeSet, Outcome};
use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;
use crate::edit::form::Choice;
use crate::folders::CONTENT_DIR;
use crate::ids::{PageId, PageTable};
use crate::page::page_from_text;
use crate::resolve::{Site, resolve};

/// A page that can be edited, as the editor names it.
#[derive(Debug, Clone)]
pub struct EditablePage {
    /// Below `content/`, e.g. `regio/twents-waternet.md`.
    pub content_path: String,
    pub collection: Option<String>,
    pub title: String,
    /// Where the page is in the preview, from the site's root; for a new
    /// page, its collection's index.
    pub url: String,
    /// Its address below the site's base, as written (`thema/oud-huis/`):
    /// the folder where the files beside it go.
    pub url_path: String,
    /// Not yet saved: a new page of `collection`.
    pub is_new: bool,
}

impl LiveSite {
    pub fn config(&self) -> &SiteConfig {
        &self.opened.config
    }

    /// The page whose file is `content_path` below `content/`; only the
    /// site's own pages, never a path the browser made up.
    pub fn editable_page(&self, content_path: &str) -> Option<EditablePage> {
        let site = self.site();
        let i = site.index.page_of_source(content_path)?;
        let page = &site.pages[i];
        Some(EditablePage {
            content_path: page.content_path.clone(),
            collection: page.collection.clone(),
            title: page.front.title.clone(),
            url: site.url(i),
            url_path: page.url_path.clone(),
            is_new: false,
        })
    }

    /// A new page of `collection`, if the site has that collection.
    pub fn new_page(&self, collection: &str) -> Option<EditablePage> {
        let settings = self.config().collections.get(collection)?;
        Some(EditablePage {
            content_path: String::new(),
            collection: Some(collection.to_owned()),
            title: settings.singular.clone(),
            url: format!("{}{collection}/", self.site().base_path),
            url_path: format!("{collection}/"),
            is_new: true,
        })
    }

    /// The page shown at `url_path` (below the site's root), to edit.
    pub fn page_at(&self, url_path: &str) -> Option<EditablePage> {
        let site = self.site();
        let i = site.index.page_at(url_path)?;
        self.editable_page(&site.pages[i].content_path)
    }

    /// The pages of `collection`, by title, for a reference's picker.
    pub fn choices(&self, collection: &str) -> Vec<Choice> {
        let site = self.site();
        let mut choices: Vec<Choice> = site
            .collection_pages(collection)
            .map(|i| Choice {
                slug: site.pages[i].slug.clone(),
                title: site.pages[i].front.title.clone(),
            })
            .collect();
        choices.sort_by_key(|c| c.title.to_lowercase());
        choices
    }

    /// Every current page, by title, for the picker that inserts a wiki link.
    pub fn link_targets(&self) -> Vec<Choice> {
        let site = self.site();
        let mut targets: Vec<Choice> = site
            .pages
            .iter()
            .map(|page| Choice {
                slug: page.url_path.trim_end_matches('/').to_owned(),
                title: page.front.title.clone(),
            })
            .collect();
        targets.sort_by_key(|c| c.title.to_lowercase());
        targets
    }

    /// Whether a file at `content_path` would be a page already there, or
    /// in its place (the same address).
    pub fn is_taken(&self, content_path: &str) -> bool {
        let site = self.site();
        let stem = content_path.trim_end_matches(".md");
        site.index.page_of_source(content_path).is_some()
            || site
                .index
                .page_of_source(&format!("{stem}/index.md"))
                .is_some()
            || site.index.page_at(stem).is_some()
    }

    /// The theme's interface strings.
    pub fn strings(&self) -> &indexmap::IndexMap<String, String> {
        &self.theme.strings
    }

    /// The editor's form page, in the theme (`edit.html`).
    pub fn render_edit_page(&self, page: serde_json::Value) -> Result<String, Diagnostic> {
        crate::render::render_tool_page(
            self.site(),
            &self.theme,
            crate::render::theme::EDIT_TEMPLATE,
            page,
        )
    }

    /// After the editor saved `file`: the site as it is now, before the
    /// browser is sent to the page (the watcher's event then finds it done).
    pub fn saved(&mut self, file: &std::path::Path) -> Outcome {
        let changes = ChangeSet::from_paths(
            &self.options.site_root.clone(),
            &self.opened.config.theme.clone(),
            [file],
        );
        self.apply(&changes)
    }

    /// After the editor committed: the history as git has it now.
    pub fn committed(&mut self) -> Outcome {
        self.apply(&ChangeSet {
            git: true,
            ..ChangeSet::default()
        })
    }

    /// What `twn check` would say of the file `content_path` if it read
    /// `text`: the problems of that file, with the rest of the site as it
    /// is. The site itself is left as it was.
    pub fn check_text(&self, content_path: &str, text: &str) -> Vec<Diagnostic> {
        self.site_with(content_path, text).0
    }

    /// The problems of `text` as the file `content_path`, and the page and
    /// its org chart's drawing as they would be (without their history).
    pub fn preview(
        &self,
        content_path: &str,
        text: &str,
    ) -> (Vec<Diagnostic>, Option<(String, Option<String>)>) {
        let (problems, site) = self.site_with(content_path, text);
        let shown =
            site.and_then(|(site, i)| crate::render::render_preview(&site, &self.theme, i).ok());
        (problems, shown)
    }

    fn site_with(
        &self,
        content_path: &str,
        text: &str,
    ) -> (Vec<Diagnostic>, Option<(Site, PageId)>) {
        let opened = &self.opened;
        let file = opened.site_root.join(CONTENT_DIR).join(content_path);
        let (page, mut problems) =
            page_from_text(&opened.config, &file, content_path, text.to_owned());
        let Some(page) = page else {
            return (problems, None);
        };
        let mut pages: PageTable<_> = opened.site.pages.iter().cloned().collect();
        // A page not yet saved joins the site as a new one.
        match opened.site.index.page_of_source(content_path) {
            Some(i) => pages[i] = page,
            None => {
                pages.push(page);
            }
        }
        let mut resolved = resolve(
            opened.config.clone(),
            pages,
            opened.site.assets.clone(),
            opened.site.index.drafts(),
        );
        let display_path = format!("{CONTENT_DIR}/{content_path}");
        problems.extend(
            resolved
                .index_problems
                .into_iter()
                .filter(|d| d.file == display_path),
        );
        let i = resolved.site.index.page_of_source(content_path);
        if let Some(i) = i {
            problems.append(&mut resolved.page_problems[i]);
        }
        (problems, i.map(|i| (resolved.site, i)))
    }
}
