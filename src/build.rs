//! One build, start to end: settings → theme → pages → resolved site →
//! rendered files → output folder. Every content and theme problem is
//! collected before the build stops, so one run reports them all.

use crate::artifact::OutputFile;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::{CopiedFile, Staging};
use crate::pipeline::{Opened, SourceOptions, settings_fingerprint};
use crate::render::render_site;
use crate::render::revisions::{CacheInputs, page_set_fingerprint};
use crate::revision_cache::RevisionCache;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub site_root: PathBuf,
    /// Where to write; `None` checks without writing (`twn check`).
    pub out_dir: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Show a progress bar for long builds (on a terminal).
    pub progress: bool,
    /// Treat warnings (such as a shallow clone) as errors.
    pub strict: bool,
}

/// Builds with fewer pages finish before a bar would be worth reading.
const PROGRESS_FROM_PAGES: usize = 2000;

#[derive(Debug)]
pub struct BuildReport {
    pub pages: usize,
    pub files: usize,
    /// Old versions and diffs rendered in this build, and taken from the cache.
    pub versions_rendered: usize,
    pub versions_from_cache: usize,
    pub elapsed: Duration,
    /// How long each step took, for `--timings`.
    pub timings: Vec<(&'static str, Duration)>,
    /// Warnings only: a report exists only for a build without errors.
    pub diagnostics: Diagnostics,
}

#[derive(Debug)]
pub struct BuildFailure {
    pub diagnostics: Diagnostics,
    /// The command was wrong (no site, an output folder twn may not
    /// replace), not the content: exit code 2.
    pub usage: bool,
}

impl BuildFailure {
    fn content(diagnostics: Diagnostics) -> BuildFailure {
        BuildFailure {
            diagnostics,
            usage: false,
        }
    }

    fn usage(problem: Diagnostic) -> BuildFailure {
        let mut diagnostics = Diagnostics::default();
        diagnostics.push(problem);
        BuildFailure {
            diagnostics,
            usage: true,
        }
    }
}

/// What must hold before a build reads or writes anything: a site to
/// build, a base URL that is a web address, and an output folder that is
/// twn's to replace.
fn check_command(options: &BuildOptions) -> Result<(), BuildFailure> {
    let root = &options.site_root;
    if let Some(problem) = crate::config::missing_config(root) {
        return Err(BuildFailure::usage(problem));
    }
    if let Some(base_url) = options
        .base_url
        .as_ref()
        .filter(|u| !crate::urls::is_web_address(u))
    {
        return Err(BuildFailure::usage(
            Diagnostic::error("--base-url", format!("`{base_url}` is geen webadres"))
                .help("geef het adres van de gepubliceerde wiki, bijvoorbeeld `--base-url https://wiki.twentswaternet.nl/`"),
        ));
    }
    if let Some(out_dir) = &options.out_dir {
        crate::output::guard::check_replaceable(root, out_dir).map_err(|refusal| {
            BuildFailure::usage(
                Diagnostic::error(out_dir.display().to_string(), refusal.message)
                    .help(refusal.help),
            )
        })?;
    }
    Ok(())
}

pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildFailure> {
    let started = Instant::now();
    check_command(options)?;
    let root = &options.site_root;
    // Every problem of the run, warnings as errors under `--strict`.
    let mut diagnostics = Diagnostics::new(options.strict);
    let fail = |mut diagnostics: Diagnostics, more: Vec<Diagnostic>| {
        diagnostics.extend(more);
        BuildFailure::content(diagnostics)
    };
    let source_options = SourceOptions {
        site_root: root.clone(),
        base_url: options.base_url.clone(),
        drafts: options.drafts,
        keep_sources: false,
    };
    let mut opened = match crate::pipeline::open(&source_options) {
        Ok(opened) => opened,
        Err(problems) => return Err(fail(diagnostics, problems)),
    };
    diagnostics.extend(opened.take_problems());
    let mut timings = std::mem::take(&mut opened.timings);
    let Opened {
        config,
        theme,
        content,
        site,
        ..
    } = opened;
    let mut step = Instant::now();
    let mut lap = |name: &'static str| {
        let now = Instant::now();
        timings.push((name, now - step));
        step = now;
    };
    let settings = settings_fingerprint(&config, options.drafts);
    let Some(theme) = theme.filter(|_| !diagnostics.has_errors()) else {
        return Err(BuildFailure::content(diagnostics));
    };
    let progress = if options.progress && site.pages.len() >= PROGRESS_FROM_PAGES {
        let bar = indicatif::ProgressBar::new(site.pages.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} pagina's ({eta} te gaan)",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let cache = RevisionCache::open(root, config.precompress);
    let cache_inputs = CacheInputs {
        theme: theme.fingerprint.clone(),
        settings,
        pages: page_set_fingerprint(&site),
    };
    // `check` writes nothing, not even the cache; old versions and the
    // search index cannot fail, so it makes neither.
    let writing = options.out_dir.is_some();
    let write_failure = |out_dir: &Path, e: std::io::Error| {
        Diagnostic::error(
            out_dir.display().to_string(),
            format!(
                "de uitvoer kan niet geschreven worden: {}",
                crate::diagnostics::io_reason(&e)
            ),
        )
        .help("controleer of de map schrijfbaar is en of er genoeg schijfruimte is")
    };
    // Files are written as soon as they are rendered, so the whole output
    // is never held in memory; the staging folder is swapped in at the end.
    // Old versions wait between builds in the cache, when it may be used.
    let reserve_home = crate::folders::cache_dir(root)
        .ok()
        .map(|cache| cache.join(crate::folders::RESERVE_DIR));
    let staging = match &options.out_dir {
        Some(out_dir) => Some(
            Staging::begin(out_dir, config.precompress, reserve_home.as_deref()).map_err(|e| {
                fail(
                    std::mem::take(&mut diagnostics),
                    vec![write_failure(out_dir, e)],
                )
            })?,
        ),
        None => None,
    };
    let first_write_error = std::sync::Mutex::new(None);
    let emitted = std::sync::atomic::AtomicUsize::new(0);
    let emitted_bytes = std::sync::atomic::AtomicU64::new(0);
    // What twn wrote itself, so that no file beside a page replaces it.
    let own_paths = std::sync::Mutex::new(std::collections::HashSet::new());
    let emit = |file: OutputFile| {
        emitted.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut own = own_paths.lock().unwrap_or_else(|e| e.into_inner());
        // With precompress, the copies beside a page are twn's too.
        if config.precompress && crate::compress::worth_compressing(&file.path, file.contents.len())
        {
            own.extend(
                crate::compress::SUFFIXES
                    .iter()
                    .map(|suffix| format!("{}{suffix}", file.path)),
            );
        }
        let first_time = own.insert(file.path.clone());
        drop(own);
        // Products render in parallel: two that wrote one file would leave
        // whichever came last. Each file has one maker; a second is a
        // fault of twn's, not left to chance.
        let written = if first_time {
            // With its compressed copies: the host publishes them too.
            staging.as_ref().map_or(Ok(()), |staging| {
                let bytes = staging.write(&file)?;
                emitted_bytes.fetch_add(bytes, std::sync::atomic::Ordering::Relaxed);
                Ok(())
            })
        } else {
            Err(std::io::Error::other(format!(
                "twn maakte /{} twee keer; meld dit als fout in twn",
                file.path
            )))
        };
        if let Err(e) = written {
            first_write_error
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .get_or_insert(e);
        }
    };
    // The render hands each page's text to the search index, from the same
    // reading of its file; the index is written once the pages are done.
    let search = writing.then(|| crate::search::SearchIndex::new(&site, &theme));
    let search_time = std::sync::Mutex::new(None);
    let hand_over = |i: crate::ids::PageId, text: &str| {
        if let Some(search) = &search {
            search.add_page(i, text);
        }
    };
    let rendered = render_site(
        &site,
        &theme,
        &progress,
        writing.then_some(crate::render::OldVersions {
            cache: &cache,
            inputs: &cache_inputs,
        }),
        &emit,
        search.is_some().then_some(&hand_over),
        || {
            if let Some(search) = &search {
                *search_time.lock().unwrap_or_else(|e| e.into_inner()) =
                    Some(crate::pipeline::timed(|| search.write(&emit)).1);
            }
        },
    );
    progress.finish_and_clear();
    lap("renderen");
    let rendered = rendered.map_err(|d| fail(std::mem::take(&mut diagnostics), d))?;
    diagnostics.extend(rendered.warnings);
    if diagnostics.has_errors() {
        return Err(BuildFailure::content(diagnostics));
    }
    let mut copies = crate::pipeline::static_files(&theme.static_dir);
    copies.extend(
        content
            .assets
            .iter()
            .map(|(from, content_path)| CopiedFile {
                from: from.clone(),
                to: content_path.clone(),
                link: false,
            }),
    );
    let own_paths = own_paths.into_inner().unwrap_or_else(|e| e.into_inner());
    let taken: Vec<Diagnostic> = content
        .assets
        .iter()
        .filter(|(_, path)| own_paths.contains(path))
        .map(|(_, path)| {
            Diagnostic::error(
                format!("{}/{path}", crate::folders::CONTENT_DIR),
                "op deze plek schrijft twn zelf een pagina of bestand; dit bestand zou die vervangen",
            )
            .at("", crate::diagnostics::Position::new(1, 1))
            .help("zet het bestand naast de pagina die het gebruikt, onder een andere naam")
        })
        .collect();
    if !taken.is_empty() {
        return Err(fail(std::mem::take(&mut diagnostics), taken));
    }
    let file_count = emitted.into_inner()
        + rendered.files.len()
        + copies.len()
        + rendered
            .revision_dirs
            .iter()
            .map(|d| d.entries.len())
            .sum::<usize>();
    if let (Some(out_dir), Some(mut staging)) = (&options.out_dir, staging) {
        let write_failed = |diagnostics: &mut Diagnostics, e| {
            fail(std::mem::take(diagnostics), vec![write_failure(out_dir, e)])
        };
        let first_error = first_write_error
            .into_inner()
            .unwrap_or_else(|e| e.into_inner());
        let filled = first_error
            .map_or(Ok(()), Err)
            .and_then(|()| staging.fill(&rendered.files, &copies, &rendered.revision_dirs))
            .map_err(|e| write_failed(&mut diagnostics, e))?;
        // What the host would publish, compressed copies included.
        diagnostics.extend(crate::output::host_limit::host_limit_warning(
            emitted_bytes.into_inner() + filled,
            &rendered.revision_dirs,
            config.precompress,
        ));
        // Under `--strict` the warning stops the build here, before the
        // swap.
        if diagnostics.has_errors() {
            return Err(BuildFailure::content(diagnostics));
        }
        // A stop request waits until the swap is done or has failed.
        let held = crate::output::interrupt::hold_stops();
        let finished = staging.finish();
        held.release();
        let previous_output = finished.map_err(|e| write_failed(&mut diagnostics, e))?;
        // Both walk tens of thousands of files on a site with history.
        // Pruning only after a build that succeeded: one that stopped
        // early asked the cache for less than the site needs.
        rayon::join(|| previous_output.remove(), || cache.forget_unused());
        lap("schrijven");
    }
    if let Some(search_time) = search_time.into_inner().unwrap_or_else(|e| e.into_inner()) {
        timings.push(("zoekindex schrijven (tegelijk)", search_time));
    }
    Ok(BuildReport {
        pages: site.pages.len(),
        files: file_count,
        versions_rendered: rendered.versions_rendered,
        versions_from_cache: rendered.versions_from_cache,
        elapsed: started.elapsed(),
        timings,
        diagnostics,
    })
}

/// The default output folder of a site.
pub fn default_out_dir(site_root: &Path) -> PathBuf {
    site_root.join("public")
}
