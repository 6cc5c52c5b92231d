//! The pages made from a page's history: `geschiedenis/` (all revisions),
//! `versie/<sha>/` (the page as it was, in the current theme) and
//! `verschil/<sha>/` (what a revision changed). Old versions and diffs never
//! change once rendered, so they come from the revision cache when they can.

mod blobs;
pub mod old_images;
mod pages;

use super::Renderer;
use super::context::{Summaries, breadcrumbs};
use super::diff::{DiffWords, line_stats};
use super::field_diff::Words;
use crate::artifact::{OutputFile, RevisionDir, RevisionEntry, RevisionStore};
use crate::fingerprint::KeyBuilder;
use crate::history::{History, Revision};
use crate::ids::{GoneId, PageId};
use crate::page::Page;
use crate::resolve::{GonePage, Site};
use crate::urls::{DIFF_DIR, HISTORY_DIR, VERSION_DIR};
use blobs::{Blobs, blob_before};
use rayon::prelude::*;
use serde_json::json;

/// What rendering the history pages produced.
#[derive(Default)]
pub struct RevisionOutput {
    /// History pages and any old version that could not be cached.
    pub files: Vec<OutputFile>,
    /// Each page's folders of old versions and diffs, all in the cache.
    pub dirs: Vec<RevisionDir>,
    pub versions_rendered: usize,
    pub versions_from_cache: usize,
    pub warnings: Vec<crate::diagnostics::Diagnostic>,
}

impl RevisionOutput {
    pub fn merge(&mut self, other: RevisionOutput) {
        self.files.extend(other.files);
        self.dirs.extend(other.dirs);
        self.versions_rendered += other.versions_rendered;
        self.versions_from_cache += other.versions_from_cache;
        self.warnings.extend(other.warnings);
    }

    /// Counts an old version or diff in the summary line.
    fn count(&mut self, origin: Origin) {
        match origin {
            Origin::Cache => self.versions_from_cache += 1,
            Origin::Rendered => self.versions_rendered += 1,
            Origin::Failed => {}
        }
    }
}

/// Everything besides the revision itself that shapes its pages; part of
/// every cache key.
pub struct CacheInputs {
    pub theme: String,
    pub settings: String,
    /// Titles and places of all pages: an old version links to them.
    pub pages: String,
}

pub fn page_set_fingerprint(site: &Site) -> String {
    let mut key = KeyBuilder::new("pagina's");
    // Old versions link to images beside pages and to deleted pages too.
    let mut assets: Vec<&String> = site.assets.iter().collect();
    assets.sort();
    for asset in assets {
        key.add(asset);
    }
    for gone in &site.gone {
        key.add(&gone.page.url_path).add(&gone.page.front.title);
    }
    for page in &site.pages {
        key.add(&page.content_path)
            .add(&page.url_path)
            .add(&page.front.title);
        for alias in &page.front.aliases {
            key.add(&alias.url_path);
        }
    }
    key.finish()
}

struct PageJob<'a> {
    renderer: &'a Renderer<'a>,
    site: &'a Site,
    history: &'a History,
    summaries: &'a Summaries,
    cache: &'a dyn RevisionStore,
    inputs: &'a CacheInputs,
    diff_words: DiffWords,
    field_words: Words,
}

pub(super) fn render_revisions(
    renderer: &Renderer,
    site: &Site,
    summaries: &Summaries,
    cache: &dyn RevisionStore,
    inputs: &CacheInputs,
) -> RevisionOutput {
    let pages: Vec<PageId> = site.pages.ids().collect();
    render_revisions_of(renderer, site, summaries, cache, inputs, &pages)
}

/// The history pages, old versions and diffs of `pages` alone: `twn
/// serve` renders a page's when a reader first asks for one of them.
pub fn render_revisions_of(
    renderer: &Renderer,
    site: &Site,
    summaries: &Summaries,
    cache: &dyn RevisionStore,
    inputs: &CacheInputs,
    pages: &[PageId],
) -> RevisionOutput {
    let subjects = pages
        .iter()
        .filter(|&&i| !site.revisions(i).is_empty())
        .map(|&i| Subject {
            page: &site.pages[i],
            revisions: site.revisions(i),
            shown: site.head_revision(i),
            summary: summaries.template_value(i).clone(),
            gone: None,
        })
        .collect();
    render_subjects(renderer, site, summaries, cache, inputs, subjects)
}

/// The pages of deleted pages (`only` one of them, for `twn serve`): the
/// notice at each one's address, its history, old versions and diffs.
pub fn render_gone_pages(
    renderer: &Renderer,
    site: &Site,
    summaries: &Summaries,
    cache: &dyn RevisionStore,
    inputs: &CacheInputs,
    only: Option<GoneId>,
) -> RevisionOutput {
    let subjects = site
        .gone
        .enumerate()
        .filter(|(g, _)| only.is_none_or(|only| only == *g))
        .map(|(_, gone)| Subject {
            page: &gone.page,
            revisions: &gone.revisions,
            shown: gone.last_version(),
            summary: tera::Value::from_serializable(&super::context::summary_of(
                site,
                &gone.page,
                format!("{}{}", site.base_path, gone.page.url_path),
                None,
            )),
            gone: Some(gone),
        })
        .collect();
    render_subjects(renderer, site, summaries, cache, inputs, subjects)
}

fn render_subjects(
    renderer: &Renderer,
    site: &Site,
    summaries: &Summaries,
    cache: &dyn RevisionStore,
    inputs: &CacheInputs,
    subjects: Vec<Subject>,
) -> RevisionOutput {
    let Some(history) = &site.history else {
        return RevisionOutput::default();
    };
    let string = |key: &str| renderer.string(key);
    let job = PageJob {
        renderer,
        site,
        history,
        summaries,
        cache,
        inputs,
        diff_words: DiffWords {
            added: string("diff_added"),
            removed: string("diff_removed"),
            old_line: string("diff_old_line"),
            new_line: string("diff_new_line"),
            text: string("diff_text"),
            hunk: string("diff_hunk"),
            unchanged_line: string("unchanged_line"),
            unchanged_lines: string("unchanged_lines"),
        },
        field_words: Words::from_theme(renderer),
    };
    // In runs of a few pages: left to itself, rayon gave the last run of
    // about a hundred pages to one thread while the other had nothing left.
    let parts: Vec<RevisionOutput> = subjects
        .par_iter()
        .with_max_len(32)
        .map_init(|| history.reader(), |repo, subject| job.page(repo, subject))
        .collect();
    let mut all = RevisionOutput::default();
    for part in parts {
        all.merge(part);
    }
    job.cache.save();
    all
}

/// Whose history is rendered: a current page, or a deleted one.
struct Subject<'a> {
    /// The current page, or a deleted page's last version.
    page: &'a Page,
    revisions: &'a [Revision],
    /// The version the page is shown as: the one its file has, or a
    /// deleted page's last.
    shown: Option<usize>,
    /// The page's summary as templates see it.
    summary: tera::Value,
    gone: Option<&'a GonePage>,
}

impl Subject<'_> {
    fn url(&self, site: &Site) -> String {
        format!("{}{}", site.base_path, self.page.url_path)
    }
}

/// Where a revision page came from.
enum Origin {
    Cache,
    Rendered,
    /// Rendering failed; a warning says why.
    Failed,
}

impl PageJob<'_> {
    fn page(&self, repo: &gix::Repository, subject: &Subject) -> RevisionOutput {
        let blobs = &Blobs {
            repo,
            config: &self.site.config,
            page: subject.page,
            read: Default::default(),
            fronts: Default::default(),
        };
        let site = self.site;
        let revisions = subject.revisions;
        let page_url = subject.url(site);
        let mut out = RevisionOutput::default();
        let url_path = &subject.page.url_path;
        let mut versions = RevisionDir {
            dir: format!("{url_path}{VERSION_DIR}"),
            entries: Vec::with_capacity(revisions.len()),
        };
        let mut diffs = RevisionDir {
            dir: format!("{url_path}{DIFF_DIR}"),
            entries: Vec::with_capacity(revisions.len()),
        };
        let with_pages = site.revisions_with_pages(revisions, subject.shown);
        let summaries: Vec<tera::Value> = revisions
            .iter()
            .zip(&with_pages)
            .enumerate()
            .map(|(k, (r, &with_pages))| {
                let mut summary = self
                    .revision_summary(r, &page_url, with_pages)
                    .into_map()
                    .unwrap_or_default();
                let shown = Some(k) == subject.shown;
                summary.insert("current".into(), (shown && subject.gone.is_none()).into());
                // Comparing ends at the version the page is shown as.
                summary.insert("compare_to".into(), shown.into());
                tera::Value::from(summary)
            })
            .collect();
        for (k, revision) in revisions.iter().enumerate() {
            if !with_pages[k] {
                continue;
            }
            // Older: the version this one changed; newer: the next in time;
            // each with whether it has pages to link to.
            let neighbour = |n: usize| (&revisions[n], with_pages[n]);
            let (older, newer) = (
                revision.older.map(neighbour),
                k.checked_sub(1).map(neighbour),
            );
            // The revision with links to its neighbours, as its pages show it.
            let context = || {
                let neighbour = |n: Option<usize>| {
                    n.and_then(|n| summaries.get(n))
                        .cloned()
                        .unwrap_or_else(tera::Value::none)
                };
                let mut context = summaries[k].clone().into_map().unwrap_or_default();
                context.insert("older".into(), neighbour(revision.older));
                context.insert("newer".into(), neighbour(k.checked_sub(1)));
                context
            };
            let short = self.history.short_id(revision.commit);
            if !revision.deleted {
                let key = self
                    .page_key("versie", subject)
                    .revision(self, revision)
                    .neighbours(self, older, newer);
                let origin =
                    self.cached_or_render(&mut out, &mut versions, key.finish(), &short, || {
                        self.render_version(blobs, subject, revision, context())
                    });
                out.count(origin);
            }
            let key = self
                .page_key("verschil", subject)
                .revision(self, revision)
                .neighbours(self, older, newer);
            let origin = self.cached_or_render(&mut out, &mut diffs, key.finish(), &short, || {
                self.render_diff(blobs, subject, revision, context())
            });
            out.count(origin);
        }
        out.dirs.push(versions);
        out.dirs.push(diffs);
        // The history page changes only with a new revision, like the others.
        let mut history_dir = RevisionDir {
            dir: format!("{url_path}{HISTORY_DIR}"),
            entries: Vec::with_capacity(1),
        };
        let mut key = self.page_key("geschiedenis", subject);
        for (revision, &pages) in revisions.iter().zip(&with_pages) {
            key = key.revision(self, revision);
            key.0.add(if pages { "met pagina's" } else { "" });
        }
        self.cached_or_render(&mut out, &mut history_dir, key.finish(), "", || {
            // Versions to compare have pages (a deletion has none);
            // comparing starts from the newest besides the shown one.
            let is_comparable = |k: &usize| !revisions[*k].deleted && with_pages[*k];
            let compare_from = (0..revisions.len())
                .filter(is_comparable)
                .find(|&k| Some(k) != subject.shown);
            let comparable = (0..revisions.len()).filter(is_comparable).count();
            let without_pages = with_pages.iter().filter(|&&w| !w).count();
            let listed: Vec<tera::Value> = revisions
                .iter()
                .zip(&summaries)
                .enumerate()
                .map(|(k, (revision, summary))| {
                    let (added, removed) = self.line_stats(blobs, revision);
                    let mut listed = summary.clone().into_map().unwrap_or_default();
                    listed.insert("added".into(), added.into());
                    listed.insert("removed".into(), removed.into());
                    listed.insert("compare_from".into(), (Some(k) == compare_from).into());
                    tera::Value::from(listed)
                })
                .collect();
            let page = self.subpage_context(subject, self.renderer.string("history_title"), None);
            self.renderer.render_value(
                "history.html",
                page,
                &[
                    ("revisions", listed.into()),
                    ("without_pages", without_pages.into()),
                    ("comparable", comparable.into()),
                ],
            )
        });
        out.dirs.push(history_dir);
        if let Some(gone) = subject.gone.filter(|gone| gone.notice) {
            match self.render_gone_notice(subject, gone, &summaries) {
                Ok(html) => out.files.push(OutputFile {
                    path: format!("{url_path}index.html"),
                    contents: html.into_bytes(),
                }),
                Err(problem) => out.warnings.push(problem),
            }
        }
        out
    }

    /// The start of every cache key for page `i`'s revision pages: what
    /// they all show of the site and the page.
    fn page_key(&self, kind: &str, subject: &Subject) -> RevisionKey {
        let page = subject.page;
        let mut key = KeyBuilder::new(kind);
        key.add(&self.inputs.theme)
            .add(&self.inputs.settings)
            .add(&page.url_path)
            .add(&page.front.title)
            // Every revision page describes itself with the page's description.
            .add(page.front.description.as_deref().unwrap_or_default())
            .add(&self.history.short_len.to_string());
        // Which version is the current one, on every page that lists it.
        let shown = subject.shown.map(|k| &subject.revisions[k]);
        key.add(&shown.map_or(String::new(), |r| {
            format!("{} {}", self.history.commits[r.commit].id, r.blob)
        }));
        // An old version links to today's pages.
        if kind == "versie" {
            key.add(&self.inputs.pages);
        }
        RevisionKey(key)
    }

    /// The facts about one revision that every history page shows.
    /// Without `pages` (older than the site publishes pages for), its
    /// addresses lead to the page's history, in themes made before some
    /// revisions had none.
    fn revision_summary(&self, revision: &Revision, page_url: &str, pages: bool) -> tera::Value {
        let commit = &self.history.commits[revision.commit];
        let short = self.history.short_id(revision.commit);
        let time = commit.time();
        let mut summary = tera::value::Map::default();
        let mut add = |key: &'static str, value: tera::Value| {
            summary.insert(key.into(), value);
        };
        let diff_url = if pages {
            format!("{page_url}{DIFF_DIR}{short}/")
        } else {
            format!("{page_url}{HISTORY_DIR}")
        };
        // A deletion left no version to show: its diff is what it did.
        let version_url = if revision.deleted || !pages {
            diff_url.clone()
        } else {
            format!("{page_url}{VERSION_DIR}{short}/")
        };
        add("version_url", version_url.into());
        add("diff_url", diff_url.into());
        add("pages", pages.into());
        add("deleted", revision.deleted.into());
        add("date", commit.date().to_string().into());
        add("datetime", time.timestamp().to_string().into());
        add(
            "time",
            format!("{:02}:{:02}", time.hour(), time.minute()).into(),
        );
        add("author", commit.author.as_str().into());
        add(
            "author_url",
            format!(
                "{}{}",
                self.site.base_path,
                crate::urls::author_path(&commit.author)
            )
            .into(),
        );
        add("message", commit.summary().into());
        add(
            "created",
            (revision.previous.is_none() && !revision.cut_off).into(),
        );
        add("cut_off", revision.cut_off.into());
        let renamed_from = revision.renamed_from.as_deref().unwrap_or_default();
        add("renamed_from", renamed_from.into());
        let moved_to = revision.moved_to.as_deref().unwrap_or_default();
        add("moved_to", moved_to.into());
        add("short", short.into());
        tera::Value::from(summary)
    }

    /// Takes the page for `key` from the cache, or renders and caches it.
    fn cached_or_render(
        &self,
        out: &mut RevisionOutput,
        dir: &mut RevisionDir,
        key: String,
        name: &str,
        render: impl FnOnce() -> Result<String, crate::diagnostics::Diagnostic>,
    ) -> Origin {
        if let Some(stored) = self.cache.get(&key) {
            dir.entries.push(RevisionEntry::stored(name, stored));
            return Origin::Cache;
        }
        let html = match render() {
            Ok(html) => html,
            Err(d) => {
                out.warnings.push(d);
                return Origin::Failed;
            }
        };
        match self.cache.put(&key, html.as_bytes()) {
            Ok(stored) => dir.entries.push(RevisionEntry::stored(name, stored)),
            Err(_) => out.files.push(OutputFile {
                path: format!("{}{}", dir.dir, RevisionEntry::file_in_dir(name)),
                contents: html.into_bytes(),
            }),
        }
        Origin::Rendered
    }

    fn line_stats(&self, blobs: &Blobs, revision: &Revision) -> (usize, usize) {
        let before = blob_before(revision);
        if let Some(stats) = self.cache.line_stats(before, revision.blob) {
            return stats;
        }
        let (old, new) = blobs.before_and_after(revision);
        let stats = line_stats(&old, &new);
        self.cache.remember_line_stats(before, revision.blob, stats);
        stats
    }

    /// Where the page itself is shown: its address; for a deleted page
    /// whose address leads to a page of today, its last version.
    fn shown_url(&self, subject: &Subject) -> String {
        let url = subject.url(self.site);
        let last_version = subject.shown.map(|k| &subject.revisions[k]);
        match (subject.gone, last_version) {
            (Some(gone), Some(last)) if !gone.notice => {
                let short = self.history.short_id(last.commit);
                format!("{url}{VERSION_DIR}{short}/")
            }
            _ => url,
        }
    }

    /// Context for a page about page `i` (its history, or a diff shown at
    /// `diff_url`): the page's summary with breadcrumbs that lead back to it.
    fn subpage_context(
        &self,
        subject: &Subject,
        title: String,
        diff_url: Option<String>,
    ) -> tera::Value {
        let site = self.site;
        let page = subject.page;
        let history_url = format!("{}{HISTORY_DIR}", subject.url(site));
        let page_url = self.shown_url(subject);
        let mut breadcrumbs = breadcrumbs(site, page.collection.as_deref());
        breadcrumbs.push(json!({"title": page.front.title, "url": page_url}));
        if diff_url.is_some() {
            let history_title = self.renderer.string("history_title");
            breadcrumbs.push(json!({"title": history_title, "url": history_url}));
        }
        let mut context = subject.summary.clone().into_map().unwrap_or_default();
        let mut add = |key: &'static str, value: tera::Value| {
            context.insert(key.into(), value);
        };
        add("page_title", page.front.title.as_str().into());
        add("page_url", page_url.into());
        add("title", title.into());
        add(
            "url",
            diff_url.unwrap_or_else(|| history_url.clone()).into(),
        );
        add("history_url", history_url.into());
        add("breadcrumbs", tera::Value::from_serializable(&breadcrumbs));
        tera::Value::from(context)
    }
}

/// A cache key under construction for a revision page.
struct RevisionKey(KeyBuilder);

impl RevisionKey {
    /// Adds what a revision is: its commit, its text before and after, its rename.
    fn revision(mut self, job: &PageJob, revision: &Revision) -> Self {
        self.0
            .add(&job.history.commits[revision.commit].id.to_string())
            .add(&revision.blob.to_string())
            .add(&revision.previous.map(|p| p.to_string()).unwrap_or_default())
            .add(revision.renamed_from.as_deref().unwrap_or_default())
            .add(revision.moved_to.as_deref().unwrap_or_default())
            .add(if revision.cut_off { "afgekapt" } else { "" })
            .add(if revision.deleted { "verwijderd" } else { "" });
        self
    }

    /// Adds the revisions a page links to as older and newer, and whether
    /// they have pages to link to.
    fn neighbours(
        mut self,
        job: &PageJob,
        older: Option<(&Revision, bool)>,
        newer: Option<(&Revision, bool)>,
    ) -> Self {
        for neighbour in [older, newer] {
            let id = neighbour.map(|(r, pages)| {
                let id = job.history.commits[r.commit].id;
                if pages {
                    id.to_string()
                } else {
                    format!("{id} zonder pagina's")
                }
            });
            self.0.add(&id.unwrap_or_default());
        }
        self
    }

    fn finish(self) -> String {
        self.0.finish()
    }
}
