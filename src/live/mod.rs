//! The site as `twn serve` keeps it in memory: the pipeline's opened site,
//! kept up to date by the same stages after every change, and every
//! rendered output. What a change renders again is what the dependency
//! record says read it. Nothing is written to `public/`.

mod changes;
pub mod editing;
mod render;
mod search;
pub mod store;
mod templates;

pub use changes::ChangeSet;
pub use store::{Reload, Served, Store};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::pipeline::depends::{Changed, Record};
use crate::pipeline::update::Refreshed;
use crate::pipeline::{Opened, SourceOptions, settings_fingerprint};
use crate::render::context::{Summaries, page_summaries, page_summary};
use crate::render::theme::{REQUIRED_TEMPLATES, Theme};
use crate::resolve::Site;
use crate::revision_cache::RevisionCache;
use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use templates::TemplatePrints;

#[derive(Debug, Clone)]
pub struct LiveOptions {
    pub site_root: PathBuf,
    /// Where the preview is served, e.g. `http://127.0.0.1:1111/`.
    pub base_url: String,
    pub drafts: bool,
}

/// What one change did, for the terminal.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Outputs that changed, appeared or went.
    pub outputs_changed: usize,
    /// Errors that keep the change from the browser, as the terminal shows them.
    pub errors: Option<Diagnostics>,
    /// Warnings the terminal has not shown yet: each is shown once, when
    /// it appears, as a build would show it.
    pub new_warnings: Vec<Diagnostic>,
}

pub struct LiveSite {
    options: LiveOptions,
    /// The site as the pipeline opened it and keeps it up to date, with
    /// every problem its stages found.
    opened: Opened,
    theme: Theme,
    prints: TemplatePrints,
    settings: String,
    cache: RevisionCache,
    summaries: Summaries,
    /// Why twn.yaml, read again, could not be used.
    setup_problems: Vec<Diagnostic>,
    theme_problems: Vec<Diagnostic>,
    render_problems: Vec<Diagnostic>,
    /// What was rendered last, and from what.
    record: Record,
    /// Changes read but not yet rendered: they pile up while the site has
    /// errors and are rendered together once it has none.
    pending: Changed,
    search: search::LiveSearch,
    store: Arc<RwLock<Store>>,
    /// The warnings the terminal has shown, while they last.
    warnings_shown: HashSet<Diagnostic>,
}

impl LiveSite {
    /// Reads the whole site; fails only when settings or theme cannot be
    /// read, then with every problem found, as a build reports them.
    /// Otherwise content errors are kept and reported by [`LiveSite::render`].
    pub fn open(
        options: LiveOptions,
        store: Arc<RwLock<Store>>,
    ) -> Result<(LiveSite, Vec<Diagnostic>), Vec<Diagnostic>> {
        let root = &options.site_root;
        let mut opened = crate::pipeline::open(&SourceOptions {
            site_root: root.clone(),
            base_url: Some(options.base_url.clone()),
            drafts: options.drafts,
            keep_sources: true,
        })?;
        // Without a theme nothing can be shown: report every problem, as a build does.
        let Some(theme) = opened.theme.take() else {
            return Err(opened.take_problems());
        };
        // Errors and the content's warnings are reported with the first
        // render; the settings' warnings here, before it.
        let warnings: Vec<Diagnostic> = opened
            .setup_problems
            .iter()
            .filter(|d| !d.is_error())
            .cloned()
            .collect();
        let live = LiveSite {
            prints: TemplatePrints::of(&theme.templates),
            // The preview serves from memory: no compressed copies.
            cache: RevisionCache::for_preview(root),
            settings: settings_fingerprint(&opened.config, options.drafts),
            summaries: page_summaries(&opened.site),
            opened,
            theme,
            setup_problems: Vec::new(),
            theme_problems: Vec::new(),
            render_problems: Vec::new(),
            record: Record::default(),
            pending: Changed::opened(),
            search: search::LiveSearch::default(),
            store,
            options,
            // The caller shows these before the first render.
            warnings_shown: warnings.iter().cloned().collect(),
        };
        Ok((live, warnings))
    }

    fn site(&self) -> &Site {
        &self.opened.site
    }

    pub fn theme_name(&self) -> &str {
        &self.opened.config.theme
    }

    pub fn page_count(&self) -> usize {
        self.site().pages.len()
    }

    /// Takes in a burst of changes and renders what they reached.
    pub fn apply(&mut self, changes: &ChangeSet) -> Outcome {
        // Settings that could not be used are tried again with every change:
        // the theme or content that kept them back may be fixed now.
        if changes.config || !self.setup_problems.is_empty() {
            match LiveSite::open(self.options.clone(), Arc::clone(&self.store)) {
                Ok((fresh, _)) => {
                    let shown = std::mem::take(&mut self.warnings_shown);
                    *self = fresh;
                    self.warnings_shown = shown;
                }
                Err(problems) => {
                    self.setup_problems = problems;
                    return self.render();
                }
            }
        }
        if changes.theme || changes.theme_static {
            self.reload_theme();
        }
        if changes.git && self.opened.read_history_again(&mut self.pending) {
            self.summaries = page_summaries(self.site());
        }
        if changes.theme_static || changes.assets || changes.rescan {
            self.pending.copies = true;
        }
        let refreshed = self.opened.read_again(
            &changes.pages,
            changes.rescan,
            changes.assets,
            self.options.drafts,
            &mut self.pending,
        );
        match refreshed {
            Refreshed::Nothing => {}
            Refreshed::Pages(pages) => {
                for i in pages {
                    self.summaries.set(i, page_summary(self.site(), i));
                }
            }
            Refreshed::Every => self.summaries = page_summaries(self.site()),
        }
        self.render()
    }

    fn reload_theme(&mut self) {
        let config = &self.opened.config;
        match Theme::load(&self.options.site_root, &config.theme, &config.language) {
            Ok(theme) => {
                let prints = TemplatePrints::of(&theme.templates);
                let changes = self.prints.changes(&prints, |name| {
                    REQUIRED_TEMPLATES.contains(&name)
                        || name
                            .strip_suffix(".html")
                            .is_some_and(|c| config.collections.contains_key(c))
                });
                self.pending.untraced_template |= changes.untraceable;
                self.pending.strings |= theme.strings != self.theme.strings;
                self.pending.assets_version |= theme.assets_version != self.theme.assets_version;
                self.pending.templates.extend(changes.changed);
                let site = &self.opened.site;
                let before = crate::render::authors::pager_missing(&self.theme, site);
                let after = crate::render::authors::pager_missing(&theme, site);
                let warnings = &mut self.opened.setup_problems;
                warnings.retain(|warning| Some(warning) != before.as_ref());
                warnings.extend(after);
                self.theme = theme;
                self.prints = prints;
                self.theme_problems.clear();
            }
            Err(problems) => self.theme_problems = problems,
        }
    }

    fn problems(&self) -> Diagnostics {
        let opened = &self.opened;
        let mut all = Diagnostics::default();
        all.extend(self.setup_problems.iter().cloned());
        all.extend(opened.setup_problems.iter().cloned());
        all.extend(self.theme_problems.iter().cloned());
        all.extend(opened.load_problems.iter().flat_map(|(_, p)| p).cloned());
        all.extend(crate::pipeline::sources::content_problems(
            &opened.content.assets,
            &self.options.site_root,
        ));
        all.extend(opened.index_problems.iter().cloned());
        all.extend(opened.page_problems.iter().flatten().cloned());
        all.extend(self.render_problems.iter().cloned());
        all
    }

    /// Renders what the pending changes reached and publishes it, or
    /// publishes the errors that keep it back.
    pub fn render(&mut self) -> Outcome {
        self.render_problems.clear();
        let editable = self
            .site()
            .pages
            .iter()
            .map(|p| p.url_path.clone())
            .collect();
        let indexes = self
            .opened
            .config
            .collections
            .keys()
            .map(|name| (format!("{name}/"), name.clone()))
            .collect();
        self.store
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .set_editable(editable, indexes);
        let problems = self.problems();
        let new_warnings = self.take_new_warnings(&problems);
        if problems.has_errors() {
            let report = problems.report(false);
            self.store
                .write()
                .unwrap_or_else(|e| e.into_inner())
                .publish_error(report);
            return Outcome {
                outputs_changed: 0,
                errors: Some(problems),
                new_warnings: Vec::new(),
            };
        }
        match self.render_pending() {
            Ok(outputs_changed) => Outcome {
                outputs_changed,
                errors: None,
                new_warnings,
            },
            Err(problems) => {
                self.render_problems = problems;
                let problems = self.problems();
                self.store
                    .write()
                    .unwrap_or_else(|e| e.into_inner())
                    .publish_error(problems.report(false));
                Outcome {
                    outputs_changed: 0,
                    errors: Some(problems),
                    new_warnings: Vec::new(),
                }
            }
        }
    }

    /// The warnings among `problems` not shown before; from now on, those
    /// of `problems` count as shown (a report of errors shows them all).
    fn take_new_warnings(&mut self, problems: &Diagnostics) -> Vec<Diagnostic> {
        let warnings: HashSet<&Diagnostic> = problems.iter().filter(|d| !d.is_error()).collect();
        let mut new: Vec<Diagnostic> = warnings
            .iter()
            .filter(|w| !self.warnings_shown.contains(**w))
            .map(|w| (*w).clone())
            .collect();
        new.sort_by(|a, b| (&a.file, a.position).cmp(&(&b.file, b.position)));
        self.warnings_shown = warnings.into_iter().cloned().collect();
        new
    }
}
