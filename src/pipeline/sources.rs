//! The first stages, the same for `twn build` and `twn serve`: settings,
//! theme, the files below `content/`, the pages read from them (while the
//! git history is read beside them), and the resolved site with its
//! history. Every problem on the way is kept; only settings that cannot
//! be read stop the stages.

use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;
use crate::ids::PageTable;
use crate::page::{ContentFiles, Page, discover, load_page, load_page_without_text};
use crate::render::theme::Theme;
use crate::resolve::{Draft, Resolved, Site, resolve};
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct SourceOptions {
    pub site_root: PathBuf,
    /// Replaces `base_url` from twn.yaml (`--base-url`, or the preview's address).
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Keep each page's source text: `twn serve` compares it on every save;
    /// a build does not keep 10,000 texts for the few errors.
    pub keep_sources: bool,
}

/// A site read and resolved, with everything found wrong on the way.
pub struct Opened {
    pub site_root: PathBuf,
    pub config: SiteConfig,
    /// `None` when the theme has errors; they are in `setup_problems`.
    pub theme: Option<Theme>,
    pub content: ContentFiles,
    pub site: Site,
    /// Per Markdown file (by path below `content/`), in the order found: a
    /// draft left out or a file that cannot be read has problems but no page.
    pub load_problems: Vec<(String, Vec<Diagnostic>)>,
    /// Problems of the page index (two pages at one address, ...).
    pub index_problems: Vec<Diagnostic>,
    /// By page: problems of its links and references.
    pub page_problems: PageTable<Vec<Diagnostic>>,
    /// The theme, the history, symbolic links and the cache folder.
    pub setup_problems: Vec<Diagnostic>,
    /// How long each stage took, for `--timings`.
    pub timings: Vec<(&'static str, Duration)>,
}

impl Opened {
    /// Takes every problem out, in the order the stages found them.
    pub fn take_problems(&mut self) -> Vec<Diagnostic> {
        let mut all = std::mem::take(&mut self.setup_problems);
        all.extend(content_problems(&self.content.assets, &self.site_root));
        all.extend(self.load_problems.drain(..).flat_map(|(_, p)| p));
        all.append(&mut self.index_problems);
        all.extend(
            std::mem::take(&mut self.page_problems)
                .into_iter()
                .flatten(),
        );
        all
    }
}

/// Problems of the content folder as a whole and of the files beside pages.
pub fn content_problems(assets: &[(PathBuf, String)], site_root: &Path) -> Vec<Diagnostic> {
    let mut problems = crate::page::asset_problems(assets);
    problems.extend(crate::page::content_folder_problem(site_root));
    problems
}

/// The places below `content/` of the files beside pages.
pub fn asset_paths(assets: &[(PathBuf, String)]) -> HashSet<String> {
    assets.iter().map(|(_, path)| path.clone()).collect()
}

/// Reads and resolves the site at `options.site_root`.
pub fn open(options: &SourceOptions) -> Result<Opened, Vec<Diagnostic>> {
    let started = Instant::now();
    let root = &options.site_root;
    let mut config = SiteConfig::load(root)?;
    if let Some(base_url) = &options.base_url {
        config.base_url = base_url.clone();
    }
    let mut setup_problems = Vec::new();
    let theme = match Theme::load(root, &config.theme, &config.language) {
        Ok(theme) => Some(theme),
        Err(problems) => {
            setup_problems.extend(problems);
            None
        }
    };
    let content = discover(root);
    setup_problems.extend(content.symlink_warnings());
    setup_problems.extend(crate::folders::cache_dir(root).err());
    setup_problems.extend(crate::folders::linked_cache_folders(root));
    let mut timings = vec![("instellingen en thema", started.elapsed())];
    let (((pages, load_problems), load_time), (history, history_time)) = rayon::join(
        || timed(|| load_all(&config, &content, options)),
        || timed(|| crate::history::read(root)),
    );
    timings.push(("pagina's lezen", load_time));
    timings.push(("git-geschiedenis lezen (tegelijk)", history_time));
    let step = Instant::now();
    let history = match history {
        Ok(read) => {
            setup_problems.extend(read.warnings);
            read.history
        }
        Err(problem) => {
            setup_problems.push(problem);
            None
        }
    };
    let drafts = drafts_left_out(&load_problems, &pages, &content);
    let Resolved {
        mut site,
        index_problems,
        page_problems,
    } = resolve(config.clone(), pages, asset_paths(&content.assets), &drafts);
    timings.push(("links en verwijzingen", step.elapsed()));
    let step = Instant::now();
    if let Some(history) = history {
        site.attach_history(history, root);
    }
    timings.push(("geschiedenis per pagina", step.elapsed()));
    if let Some(theme) = &theme {
        setup_problems.extend(crate::render::authors::pager_missing(theme, &site));
    }
    Ok(Opened {
        site_root: root.clone(),
        config,
        theme,
        content,
        site,
        load_problems,
        index_problems,
        page_problems,
        setup_problems,
        timings,
    })
}

/// Every Markdown file read, in parallel, in the order found.
fn load_all(
    config: &SiteConfig,
    content: &ContentFiles,
    options: &SourceOptions,
) -> (PageTable<Page>, Vec<(String, Vec<Diagnostic>)>) {
    let loaded: Vec<(String, Option<Page>, Vec<Diagnostic>)> = content
        .markdown
        .par_iter()
        .map(|(path, content_path)| {
            let (page, problems) = if options.keep_sources {
                load_page(config, path, content_path, options.drafts)
            } else {
                load_page_without_text(config, path, content_path, options.drafts)
            };
            (content_path.clone(), page, problems)
        })
        .collect();
    let mut pages = PageTable::with_capacity(loaded.len());
    let mut problems = Vec::with_capacity(loaded.len());
    for (content_path, page, page_problems) in loaded {
        pages.extend(page);
        problems.push((content_path, page_problems));
    }
    (pages, problems)
}

/// The files read that gave no page and no error: drafts left out, each
/// with its title, read from its file again (drafts are few).
pub fn drafts_left_out(
    load_problems: &[(String, Vec<Diagnostic>)],
    pages: &PageTable<Page>,
    content: &crate::page::ContentFiles,
) -> Vec<Draft> {
    let read: HashSet<&str> = pages.iter().map(|p| p.content_path.as_str()).collect();
    load_problems
        .iter()
        .filter(|(path, problems)| {
            !read.contains(path.as_str()) && !problems.iter().any(Diagnostic::is_error)
        })
        .map(|(file, _)| {
            let title = content
                .markdown
                .iter()
                .find(|(_, content_path)| content_path == file)
                .and_then(|(path, _)| std::fs::read_to_string(path).ok())
                .and_then(|text| crate::frontmatter::title_despite_front_matter(&text));
            Draft {
                file: file.clone(),
                title,
            }
        })
        .collect()
}

/// `work` and how long it took.
pub fn timed<T>(work: impl FnOnce() -> T) -> (T, Duration) {
    let started = Instant::now();
    (work(), started.elapsed())
}
