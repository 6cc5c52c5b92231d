//! The site as `twn serve` keeps it in memory: pages parsed once, the
//! resolved site, and every rendered output. A change re-reads only the
//! files it names, resolves again only what it can reach, and renders only
//! the outputs whose inputs changed. Nothing is written to `public/`.

mod changes;
mod facts;
mod render;
mod search;
pub mod store;
mod templates;

pub use changes::ChangeSet;
pub use store::{Reload, Served, Store};

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::folders::CONTENT_DIR;
use crate::history::PageHistory;
use crate::page::{Page, discover, load_page};
use crate::pipeline::sources::asset_paths;
use crate::pipeline::{Opened, SourceOptions, settings_fingerprint};
use crate::render::context::{Summaries, page_summaries, page_summary};
use crate::render::theme::{REQUIRED_TEMPLATES, Theme};
use crate::resolve::{Site, resolve_by_page};
use crate::revision_cache::RevisionCache;
use facts::PageFacts;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap, HashSet};
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

/// Changes read but not yet rendered: they pile up while the site has
/// errors and are rendered together once it has none.
#[derive(Debug, Default, Clone)]
struct Pending {
    everything: bool,
    /// Pages came, went or were resolved again: compare every page's facts.
    whole_site: bool,
    pages: BTreeSet<String>,
    templates: HashSet<String>,
    static_files: bool,
}

/// What one change did, for the terminal.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Outputs that changed, appeared or went.
    pub outputs_changed: usize,
    /// Errors that keep the change from the browser, as the terminal shows them.
    pub errors: Option<Diagnostics>,
}

pub struct LiveSite {
    options: LiveOptions,
    config: SiteConfig,
    theme: Theme,
    prints: TemplatePrints,
    settings: String,
    cache: RevisionCache,
    site: Site,
    summaries: Summaries,
    assets: Vec<(PathBuf, String)>,
    /// Every Markdown file read, with its problems (a draft left out or a
    /// file that cannot be read has problems but no page).
    load_problems: HashMap<String, Vec<Diagnostic>>,
    index_problems: Vec<Diagnostic>,
    /// By site index: problems of each page's links and references.
    page_problems: Vec<Vec<Diagnostic>>,
    /// What opening the site found besides pages: theme, history,
    /// symbolic links, the cache folder.
    source_problems: Vec<Diagnostic>,
    /// Why twn.yaml, read again, could not be used.
    setup_problems: Vec<Diagnostic>,
    theme_problems: Vec<Diagnostic>,
    render_problems: Vec<Diagnostic>,
    /// Each page's facts as last rendered, by its path below `content/`.
    rendered: HashMap<String, PageFacts>,
    /// Titles and places of all pages, as old versions were rendered with.
    page_set: String,
    redirect_outputs: HashSet<String>,
    chart_outputs: HashSet<String>,
    author_outputs: HashSet<String>,
    pending: Pending,
    search: search::LiveSearch,
    store: Arc<RwLock<Store>>,
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
        let Opened {
            config,
            content,
            site,
            load_problems,
            index_problems,
            page_problems,
            setup_problems,
            ..
        } = opened;
        // Errors are reported with the first render; warnings only here.
        let warnings = setup_problems
            .iter()
            .filter(|d| !d.is_error())
            .cloned()
            .collect();
        let load_problems: HashMap<String, Vec<Diagnostic>> = load_problems.into_iter().collect();
        let summaries = page_summaries(&site);
        let settings = settings_fingerprint(root, &config, options.drafts);
        let live = LiveSite {
            prints: TemplatePrints::of(&theme.templates),
            cache: RevisionCache::open(root),
            settings,
            config,
            theme,
            site,
            summaries,
            assets: content.assets,
            load_problems,
            index_problems,
            page_problems,
            source_problems: setup_problems,
            setup_problems: Vec::new(),
            theme_problems: Vec::new(),
            render_problems: Vec::new(),
            rendered: HashMap::new(),
            page_set: String::new(),
            redirect_outputs: HashSet::new(),
            chart_outputs: HashSet::new(),
            author_outputs: HashSet::new(),
            pending: Pending {
                everything: true,
                ..Pending::default()
            },
            search: search::LiveSearch::default(),
            store,
            options,
        };
        Ok((live, warnings))
    }

    pub fn theme_name(&self) -> &str {
        &self.config.theme
    }

    pub fn page_count(&self) -> usize {
        self.site.pages.len()
    }

    /// Takes in a burst of changes and renders what they reached.
    pub fn apply(&mut self, changes: &ChangeSet) -> Outcome {
        if changes.config {
            match LiveSite::open(self.options.clone(), Arc::clone(&self.store)) {
                Ok((fresh, _)) => *self = fresh,
                Err(problems) => {
                    self.setup_problems = problems;
                    return self.render();
                }
            }
        }
        if changes.theme {
            self.reload_theme();
        }
        if changes.git {
            self.read_history_again();
        }
        if changes.theme_static || changes.assets || changes.rescan {
            self.pending.static_files = true;
        }
        let mut assets_came_or_went = false;
        if changes.assets && !changes.rescan {
            self.assets = discover(&self.options.site_root).assets;
            // Pages show images beside them: a file that came or went can
            // make one right or wrong.
            assets_came_or_went = asset_paths(&self.assets) != self.site.assets;
        }
        self.read_pages(&changes.pages, changes.rescan || assets_came_or_went);
        self.render()
    }

    /// After a commit, checkout or `git add`: stamps, histories and the
    /// recent changes may differ. Git touches its index often (`git
    /// status` in an editor), so nothing is rendered unless HEAD or a
    /// page's committed state moved.
    fn read_history_again(&mut self) {
        let root = &self.options.site_root;
        let state = |site: &Site| {
            let head = site.history.as_ref().and_then(|h| h.head);
            let committed: Vec<bool> = site.page_history.iter().map(|h| h.committed).collect();
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
                return;
            };
            let Some(history) = read.history else { return };
            self.site.attach_history(history, root);
        }
        if state(&self.site) == before {
            return;
        }
        self.summaries = page_summaries(&self.site);
        self.pending.everything = true;
    }

    fn reload_theme(&mut self) {
        let root = &self.options.site_root;
        match Theme::load(root, &self.config.theme, &self.config.language) {
            Ok(theme) => {
                let prints = TemplatePrints::of(&theme.templates);
                let collections = &self.config.collections;
                let changes = self.prints.changes(&prints, |name| {
                    REQUIRED_TEMPLATES.contains(&name)
                        || name
                            .strip_suffix(".html")
                            .is_some_and(|c| collections.contains_key(c))
                });
                if changes.untraceable || theme.strings != self.theme.strings {
                    self.pending.everything = true;
                }
                self.pending.templates.extend(changes.changed);
                self.theme = theme;
                self.prints = prints;
                self.theme_problems.clear();
            }
            Err(problems) => self.theme_problems = problems,
        }
    }

    /// Reads the changed Markdown files again. An edit that leaves what
    /// other pages can link to alone is resolved for that page only;
    /// anything else resolves the whole site again.
    fn read_pages(&mut self, changed: &BTreeSet<String>, rescan: bool) {
        let root = self.options.site_root.join(CONTENT_DIR);
        let mut whole_site = rescan;
        let mut read_again = BTreeSet::new();
        for content_path in changed {
            let file = root.join(content_path);
            let existing = self.site.index.page_of_source(content_path);
            let (Some(i), true) = (existing, file.is_file()) else {
                whole_site = true;
                read_again.insert(content_path.clone());
                continue;
            };
            let (page, problems) =
                load_page(&self.config, &file, content_path, self.options.drafts);
            let Some(page) = page else {
                whole_site = true;
                read_again.insert(content_path.clone());
                continue;
            };
            if page.source.text == self.site.pages[i].source.text
                && page.modified == self.site.pages[i].modified
            {
                continue;
            }
            self.load_problems.insert(content_path.clone(), problems);
            match self.site.replace_page(i, page) {
                Ok(problems) => {
                    self.page_problems[i] = problems;
                    self.refresh_history(i);
                    self.summaries.set(i, page_summary(&self.site, i));
                }
                Err(_) => {
                    whole_site = true;
                    read_again.insert(content_path.clone());
                }
            }
            self.pending.pages.insert(content_path.clone());
        }
        if whole_site {
            self.resolve_again(&read_again);
        }
    }

    fn refresh_history(&mut self, i: usize) {
        let Some(history) = &self.site.history else {
            return;
        };
        let page = &self.site.pages[i];
        let file = self.options.site_root.join(&page.source.display_path);
        let fresh = history.for_pages(rayon::iter::once((
            page.content_path.as_str(),
            file.as_path(),
        )));
        if let Some(fresh) = fresh.into_iter().next() {
            self.site.page_history[i] = fresh;
        }
    }

    /// Looks at every file again, reads the new and changed ones, and
    /// resolves the whole site.
    fn resolve_again(&mut self, read_again: &BTreeSet<String>) {
        let root = &self.options.site_root;
        let content = discover(root);
        let present: HashSet<&str> = content.markdown.iter().map(|(_, p)| p.as_str()).collect();
        self.load_problems
            .retain(|path, _| present.contains(path.as_str()));
        let to_read: Vec<&(PathBuf, String)> = content
            .markdown
            .iter()
            .filter(|(_, p)| read_again.contains(p) || !self.load_problems.contains_key(p))
            .collect();
        let config = &self.config;
        let drafts = self.options.drafts;
        let mut fresh: HashMap<String, Option<Page>> = HashMap::with_capacity(to_read.len());
        let read: Vec<_> = to_read
            .par_iter()
            .map(|(file, content_path)| {
                (content_path, load_page(config, file, content_path, drafts))
            })
            .collect();
        for (content_path, (page, problems)) in read {
            self.load_problems.insert(content_path.clone(), problems);
            fresh.insert(content_path.clone(), page);
        }
        let history = self.site.history.take();
        let old_history: Vec<PageHistory> = std::mem::take(&mut self.site.page_history);
        let mut old: HashMap<String, (Page, Option<PageHistory>)> = HashMap::new();
        let mut old_history = old_history.into_iter();
        for page in std::mem::take(&mut self.site.pages) {
            old.insert(page.content_path.clone(), (page, old_history.next()));
        }
        let mut pages = Vec::with_capacity(content.markdown.len());
        let mut kept_history = Vec::with_capacity(content.markdown.len());
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
        self.index_problems.clear();
        let (mut site, page_problems) = resolve_by_page(
            self.config.clone(),
            pages,
            asset_paths(&content.assets),
            &mut self.index_problems,
        );
        if let Some(history) = history {
            let missing: Vec<usize> = (0..site.pages.len())
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
        self.summaries = page_summaries(&self.site);
        self.assets = content.assets;
        self.pending.whole_site = true;
        self.pending.pages.extend(read_again.iter().cloned());
    }

    fn problems(&self) -> Diagnostics {
        let mut all = Diagnostics::default();
        let load = self.load_problems.values().flatten();
        all.extend(self.setup_problems.iter().cloned());
        all.extend(self.source_problems.iter().cloned());
        all.extend(self.theme_problems.iter().cloned());
        all.extend(load.cloned());
        all.extend(crate::pipeline::sources::content_problems(
            &self.assets,
            &self.options.site_root,
        ));
        all.extend(self.index_problems.iter().cloned());
        all.extend(self.page_problems.iter().flatten().cloned());
        all.extend(self.render_problems.iter().cloned());
        all
    }

    /// Renders what the pending changes reached and publishes it, or
    /// publishes the errors that keep it back.
    pub fn render(&mut self) -> Outcome {
        self.render_problems.clear();
        let problems = self.problems();
        if problems.has_errors() {
            let report = problems.report(false);
            self.store
                .write()
                .unwrap_or_else(|e| e.into_inner())
                .publish_error(report);
            return Outcome {
                outputs_changed: 0,
                errors: Some(problems),
            };
        }
        match self.render_pending() {
            Ok(outputs_changed) => Outcome {
                outputs_changed,
                errors: None,
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
                }
            }
        }
    }
}
