//! Resolving the site: every wiki link, Markdown file link and front-matter
//! reference is looked up, and each page learns who links to it
//! (backlinks) and which reference fields name it (back-references).

pub mod charts;
pub mod field_links;

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Position};
use crate::history::{CommitMeta, History, PageHistory, Revision};
use crate::ids::{ChartId, GoneId, PageId, PageTable, Table};
use crate::markdown::{LinkKind, LinkRef, ResolvedLink};
use crate::orgchart::{OrgChart, Seat};
use crate::page::Page;
use crate::schema::{FieldValue, Reference};
use crate::slug::{slugify, slugify_path};
use crate::suggest::closest;
use std::collections::{BTreeSet, HashMap, HashSet};

/// A reference field on page `from` that names a page.
#[derive(Debug, Clone)]
pub struct BackRef {
    pub from: PageId,
    /// The top-level field, e.g. `members` or `bodies`.
    pub field: String,
    /// The name of the object the reference sits in, e.g. a body's name.
    pub context: Option<String>,
}

#[derive(Debug, Default)]
pub struct SiteIndex {
    by_path: HashMap<String, PageId>,
    by_slug: HashMap<String, Vec<PageId>>,
    by_title: HashMap<String, Vec<PageId>>,
    by_alias: HashMap<String, PageId>,
    by_source: HashMap<String, PageId>,
    /// Drafts left out of the build, by address, slug and title: a link to
    /// one says so rather than that the page does not exist.
    drafts: HashMap<String, String>,
    draft_list: Vec<Draft>,
}

/// A page file left out as a draft (`draft: true`), by its path below
/// `content/`, with the title its front matter gives.
#[derive(Debug, Clone)]
pub struct Draft {
    pub file: String,
    pub title: Option<String>,
}

pub struct Site {
    pub config: SiteConfig,
    pub base_path: String,
    pub pages: PageTable<Page>,
    /// Per page, the resolution of each of its links (None where it failed).
    pub links: PageTable<Vec<Option<ResolvedLink>>>,
    /// Per page, the resolution of each wiki link in its Markdown fields,
    /// in the order [`field_links::markdown_fields`] gives them.
    pub field_links: PageTable<Vec<Option<ResolvedLink>>>,
    /// Per page, the other pages it links to or names in its front matter.
    pub outgoing: PageTable<Vec<PageId>>,
    pub backlinks: PageTable<Vec<PageId>>,
    pub backrefs: PageTable<Vec<BackRef>>,
    pub index: SiteIndex,
    /// The git history, if the site is in a repository.
    pub history: Option<History>,
    /// Per page, its revisions; empty until [`Site::attach_history`].
    pub page_history: PageTable<PageHistory>,
    /// Organisation charts, from fields of `type: bodies`.
    pub org_charts: Table<ChartId, OrgChart>,
    /// Per page, the bodies of charts it is a member of.
    pub seats: PageTable<Vec<Seat>>,
    /// The files beside pages (images, PDFs), by their path below
    /// `content/`, which is also their path below the output.
    pub assets: HashSet<String>,
    /// Pages whose file was deleted, at addresses no current page holds.
    pub gone: Table<GoneId, GonePage>,
    /// Deleted pages by slug and by title in lower case, for old links.
    pub gone_by_name: HashMap<String, GoneId>,
}

/// A page whose file was deleted: its last version at its last address,
/// its revisions and the deletion.
#[derive(Debug, Clone)]
pub struct GonePage {
    pub page: Page,
    pub revisions: Vec<Revision>,
    pub deletion: Revision,
}

enum Lookup {
    Found(PageId),
    Missing,
    Ambiguous(Vec<PageId>),
}

impl SiteIndex {
    /// The index and its problems (two pages at one address, an alias
    /// that is taken, ...).
    fn build(config: &SiteConfig, pages: &PageTable<Page>) -> (Self, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        let mut index = SiteIndex::default();
        for (i, page) in pages.enumerate() {
            let path = page.url_path.trim_end_matches('/').to_owned();
            if let Some(&other) = index.by_path.get(&path) {
                diagnostics.push(duplicate_url(page, &pages[other]));
                continue;
            }
            index.by_path.insert(path, i);
            index.by_source.insert(page.content_path.clone(), i);
            index.by_slug.entry(page.slug.clone()).or_default().push(i);
            index
                .by_title
                .entry(page.front.title.to_lowercase())
                .or_default()
                .push(i);
        }
        for (i, page) in pages.enumerate() {
            for alias in &page.front.aliases {
                let key = &alias.url_path;
                let problem = |message: String, help: &str| {
                    Diagnostic::error(&page.source.display_path, message)
                        .at(&page.source_text(), alias.position)
                        .marker(alias.written.chars().count())
                        .help(help)
                };
                let taken = index.by_path.get(key).or(index.by_alias.get(key));
                let below_page = pages_above(key).find_map(|above| index.by_path.get(above));
                if *key == page.url_path.trim_end_matches('/') {
                    diagnostics.push(problem(
                        format!(
                            "de oude URL `{}` is de URL van deze pagina zelf",
                            alias.written
                        ),
                        "een alias is een ander, oud adres van de pagina; verwijder hem",
                    ));
                } else if let Some(&other) = taken.filter(|&&other| other != i) {
                    diagnostics.push(problem(
                        format!("de oude URL `{}` is al in gebruik door {}", alias.written, pages[other].source.display_path),
                        "een alias moet een URL zijn die geen andere pagina heeft; verwijder of wijzig hem",
                    ));
                } else if config.is_collection_listing(key) {
                    let collection = key.split('/').next().unwrap_or_default();
                    diagnostics.push(problem(
                        format!(
                            "de oude URL `{}` is het overzicht van de collectie `{collection}` of één van zijn filters",
                            alias.written
                        ),
                        "kies een ander oud pad of verwijder de alias",
                    ));
                } else if let Some(&other) = below_page {
                    diagnostics.push(problem(
                        format!("de oude URL `{}` ligt in de map van {}, waar twn diens geschiedenis en organogram schrijft", alias.written, pages[other].source.display_path),
                        "kies een ander oud pad of verwijder de alias",
                    ));
                } else {
                    index.by_alias.insert(key.clone(), i);
                }
            }
        }
        (index, diagnostics)
    }

    fn find(&self, target: &str) -> Lookup {
        let trimmed = target.trim().trim_matches('/');
        let trimmed = trimmed.strip_suffix(".md").unwrap_or(trimmed);
        if trimmed.is_empty() {
            return Lookup::Missing;
        }
        let key = slugify_path(trimmed);
        let mut found = BTreeSet::new();
        found.extend(self.by_path.get(&key));
        found.extend(self.by_alias.get(&key));
        if !trimmed.contains('/') {
            found.extend(self.by_slug.get(&key).into_iter().flatten());
            found.extend(
                self.by_title
                    .get(&trimmed.to_lowercase())
                    .into_iter()
                    .flatten(),
            );
        }
        match (found.first(), found.len()) {
            (None, _) => Lookup::Missing,
            (Some(&only), 1) => Lookup::Found(only),
            _ => Lookup::Ambiguous(found.into_iter().collect()),
        }
    }

    fn add_drafts(&mut self, config: &SiteConfig, drafts: &[Draft]) {
        for draft in drafts {
            let Some(url_path) = crate::page::url_path_of(&draft.file, config) else {
                continue;
            };
            let bare = url_path.trim_end_matches('/').to_owned();
            let slug = bare.rsplit('/').next().unwrap_or_default().to_owned();
            self.drafts.insert(slug, draft.file.clone());
            self.drafts.insert(bare, draft.file.clone());
            // A wiki link names a page by its title as often as by its slug.
            if let Some(title) = &draft.title {
                self.drafts
                    .entry(slugify(title))
                    .or_insert_with(|| draft.file.clone());
            }
            self.draft_list.push(draft.clone());
        }
    }

    /// The drafts left out.
    pub fn drafts(&self) -> &[Draft] {
        &self.draft_list
    }

    /// The file of the draft left out that `target` (a path, slug or file
    /// name) names.
    pub fn draft_named(&self, target: &str) -> Option<&str> {
        let trimmed = target.trim().trim_matches('/');
        let trimmed = trimmed.strip_suffix(".md").unwrap_or(trimmed);
        self.drafts.get(&slugify_path(trimmed)).map(String::as_str)
    }

    /// The page of a file, by its path below `content/`.
    pub fn page_of_source(&self, content_path: &str) -> Option<PageId> {
        self.by_source.get(content_path).copied()
    }

    pub fn page_at(&self, url_path: &str) -> Option<PageId> {
        self.by_path.get(url_path.trim_matches('/')).copied()
    }
}

/// The URL paths that contain `path`, nearest first: `a/b` for `a/b/c`,
/// then `a`; the home page (empty) contains everything and is left out.
fn pages_above(path: &str) -> impl Iterator<Item = &str> {
    path.rmatch_indices('/').map(move |(at, _)| &path[..at])
}

fn duplicate_url(page: &Page, first: &Page) -> Diagnostic {
    Diagnostic::error(
        &page.source.display_path,
        format!("twee pagina's hebben dezelfde URL /{}: {} en {}", page.url_path, first.source.display_path, page.source.display_path),
    )
    .at(&page.source_text(), Position::new(1, 1))
    .help("de URL komt uit de bestandsnaam (kleine letters, zonder accenten); hernoem één van de twee bestanden")
}

/// A resolved site with the problems found on the way.
pub struct Resolved {
    pub site: Site,
    /// Problems of the page index: two pages at one address, an alias that
    /// is taken, ...
    pub index_problems: Vec<Diagnostic>,
    /// By page: the problems of its links and references, so that `twn
    /// serve` can replace one page's alone.
    pub page_problems: PageTable<Vec<Diagnostic>>,
}

impl Resolved {
    /// Every problem, index first.
    pub fn problems(&self) -> impl Iterator<Item = &Diagnostic> {
        self.index_problems
            .iter()
            .chain(self.page_problems.iter().flatten())
    }
}

/// Resolves the links and references of `pages`.
/// Resolves `pages`; `drafts` are the files (below `content/`) of drafts
/// left out.
pub fn resolve(
    config: SiteConfig,
    pages: PageTable<Page>,
    assets: HashSet<String>,
    drafts: &[Draft],
) -> Resolved {
    let (mut index, index_problems) = SiteIndex::build(&config, &pages);
    index.add_drafts(&config, drafts);
    let base_path = config.base_path();
    let mut site = Site {
        links: Table::with_capacity(pages.len()),
        field_links: Table::with_capacity(pages.len()),
        outgoing: Table::with_capacity(pages.len()),
        backlinks: Table::from_fn(pages.len(), |_| Vec::new()),
        backrefs: Table::from_fn(pages.len(), |_| Vec::new()),
        config,
        base_path,
        pages,
        index,
        history: None,
        page_history: Table::new(),
        org_charts: Table::new(),
        seats: Table::new(),
        assets,
        gone: Table::new(),
        gone_by_name: HashMap::new(),
    };
    let mut problems = Table::with_capacity(site.pages.len());
    for i in site.pages.ids() {
        let (links, field_links, mut outgoing, mut page_problems) = site.resolve_links_of(i);
        for &target in &outgoing {
            site.backlinks[target].push(i);
        }
        site.links.push(links);
        site.field_links.push(field_links);
        let (references, reference_problems) = site.references_of(i);
        page_problems.extend(reference_problems);
        for (target, backref) in references {
            site.backrefs[target].push(backref);
            if target != i && !outgoing.contains(&target) {
                outgoing.push(target);
            }
        }
        site.outgoing.push(outgoing);
        problems.push(page_problems);
    }
    let titles: PageTable<String> = site.pages.iter().map(listing_order).collect();
    for list in &mut site.backlinks {
        list.sort_by(|a, b| (&titles[*a], a).cmp(&(&titles[*b], b)));
    }
    for list in &mut site.backrefs {
        list.sort_by(|a, b| (&titles[a.from], a.from).cmp(&(&titles[b.from], b.from)));
    }
    (site.org_charts, site.seats) = charts::resolve_charts(&site);
    Resolved {
        site,
        index_problems,
        page_problems: problems,
    }
}

/// What other pages can see of a page without reading its text: if these
/// stay the same, no other page's links resolve differently.
/// Backlinks and back-references are listed by title, case aside (then by
/// page number); `replace_page` keeps the lists in this order.
fn listing_order(page: &Page) -> String {
    page.front.title.to_lowercase()
}

fn index_keys(page: &Page) -> impl PartialEq + '_ {
    (
        (&page.content_path, &page.url_path, &page.slug),
        (&page.collection, &page.front.title, &page.front.aliases),
        page.body
            .headings
            .iter()
            .map(|h| (&h.id, &h.text))
            .collect::<Vec<_>>(),
    )
}

/// A page's links resolved: in its body and in its Markdown fields, the
/// pages they lead to, and the problems of those that failed.
type LinksOf = (
    Vec<Option<ResolvedLink>>,
    Vec<Option<ResolvedLink>>,
    Vec<PageId>,
    Vec<Diagnostic>,
);

impl Site {
    /// Resolves page `i`'s links, in its body and in its Markdown fields:
    /// each link's target (`None` where it failed), the pages they lead
    /// to, and the problems of those that failed.
    fn resolve_links_of(&self, i: PageId) -> LinksOf {
        let mut problems = Vec::new();
        let page = &self.pages[i];
        let mut resolved = Vec::with_capacity(page.body.links.len());
        let mut targets = Vec::new();
        for link in &page.body.links {
            match resolve_link(self, i, link) {
                Ok((target, resolved_link)) => {
                    if target != i && !targets.contains(&target) {
                        targets.push(target);
                    }
                    resolved.push(Some(resolved_link));
                }
                Err((message, help)) => {
                    problems.push(link_error(page, &link.range, message, help));
                    resolved.push(None);
                }
            }
        }
        let (in_fields, field_targets, field_problems) = field_links::resolve_field_links(self, i);
        for target in field_targets {
            if target != i && !targets.contains(&target) {
                targets.push(target);
            }
        }
        problems.extend(field_problems);
        (resolved, in_fields, targets, problems)
    }

    /// Checks that an image beside a page is there: a browser looks for it
    /// relative to the page's URL, and files beside pages keep their path.
    fn find_image(&self, page: &Page, src: &str) -> Result<String, LinkProblem> {
        let path = src.split(['?', '#']).next().unwrap_or_default();
        let decoded = crate::urls::percent_decode(path).unwrap_or_else(|| path.to_owned());
        let folder = page.url_path.trim_end_matches('/');
        let wanted = normalise_relative(folder, &decoded);
        if let Some(found) = wanted
            .as_deref()
            .filter(|w| self.assets.contains(*w) || w.starts_with(crate::urls::STATIC_DIR))
        {
            let suffix = &src[path.len()..];
            return Ok(format!(
                "{}{}{suffix}",
                self.base_path,
                crate::urls::encode_path(found)
            ));
        }
        let looked = wanted.map_or_else(
            || "buiten de site".to_owned(),
            |w| format!("gezocht als {}/{w}", crate::folders::CONTENT_DIR),
        );
        Err((
            format!("afbeelding die niet bestaat: `{src}` ({looked})"),
            "een afbeelding naast een pagina staat in de map van die pagina: maak van de pagina `content/<collectie>/<naam>/index.md` en zet het bestand ernaast, of pas het pad aan".into(),
        ))
    }

    /// The pages that page `i`'s front matter names, with the fields
    /// naming them, and the problems of references to no page.
    fn references_of(&self, i: PageId) -> (Vec<(PageId, BackRef)>, Vec<Diagnostic>) {
        let mut found = Vec::new();
        let mut problems = Vec::new();
        for (field, value) in &self.pages[i].front.fields {
            for outcome in references_in(self, i, field, None, value) {
                match outcome {
                    Ok(reference) => found.push(reference),
                    Err(problem) => problems.push(problem),
                }
            }
        }
        (found, problems)
    }

    /// Puts a new version of page `i` in place and resolves it, without
    /// resolving the other pages again: possible when nothing another page
    /// can link to changed (title, place, aliases, headings). Gives the
    /// page back otherwise. On success, returns the page's own problems.
    pub fn replace_page(&mut self, i: PageId, page: Page) -> Result<Vec<Diagnostic>, Page> {
        if index_keys(&self.pages[i]) != index_keys(&page) {
            return Err(page);
        }
        self.pages[i] = page;
        for list in &mut self.backlinks {
            list.retain(|&from| from != i);
        }
        for list in &mut self.backrefs {
            list.retain(|b| b.from != i);
        }
        let (links, field_links, mut outgoing, mut problems) = self.resolve_links_of(i);
        self.links[i] = links;
        self.field_links[i] = field_links;
        let (references, reference_problems) = self.references_of(i);
        problems.extend(reference_problems);
        // The lists are in `listing_order` and the title is an index key,
        // the same before and after: page `i` goes in after its equals,
        // which keeps its references in their order.
        let pages = &self.pages;
        let key = |from: PageId| (listing_order(&pages[from]), from);
        let own_key = key(i);
        for &target in &outgoing {
            let list = &mut self.backlinks[target];
            list.insert(list.partition_point(|&from| key(from) <= own_key), i);
        }
        for (target, backref) in references {
            let list = &mut self.backrefs[target];
            list.insert(list.partition_point(|b| key(b.from) <= own_key), backref);
            if target != i && !outgoing.contains(&target) {
                outgoing.push(target);
            }
        }
        self.outgoing[i] = outgoing;
        (self.org_charts, self.seats) = charts::resolve_charts(self);
        Ok(problems)
    }

    pub fn url(&self, page: PageId) -> String {
        format!("{}{}", self.base_path, self.pages[page].url_path)
    }

    /// The page a front-matter reference names, if it exists.
    pub fn referenced_page(&self, reference: &Reference) -> Option<PageId> {
        if reference.is_keyword {
            return None;
        }
        self.index.page_at(&format!(
            "{}/{}",
            reference.collection,
            slugify(&reference.target)
        ))
    }

    /// The title a reference names a page by: the page's, or for a page
    /// since deleted, its last title.
    pub fn referenced_title(&self, reference: &Reference) -> Option<&str> {
        if let Some(i) = self.referenced_page(reference) {
            return Some(&self.pages[i].front.title);
        }
        if reference.is_keyword {
            return None;
        }
        let path = format!("{}/{}/", reference.collection, slugify(&reference.target));
        self.gone
            .iter()
            .find(|gone| gone.page.url_path == path)
            .map(|gone| gone.page.front.title.as_str())
    }

    /// Reads again which pages' files are as committed, with the history
    /// as it is: after `git add`, or an editor's `git status`. The pages
    /// and the history are the same, so the deleted pages are too.
    pub fn refresh_committed(&mut self, site_root: &std::path::Path) {
        if let Some(history) = &self.history {
            self.page_history = self.histories_of_pages(history, site_root);
        }
    }

    /// Gives every page its revisions from `history`.
    pub fn attach_history(&mut self, history: History, site_root: &std::path::Path) {
        self.page_history = self.histories_of_pages(&history, site_root);
        self.history = Some(history);
        self.find_gone_pages();
    }

    fn histories_of_pages(
        &self,
        history: &History,
        site_root: &std::path::Path,
    ) -> PageTable<PageHistory> {
        use rayon::prelude::*;
        let files: Vec<(&str, std::path::PathBuf)> = self
            .pages
            .iter()
            .map(|p| {
                (
                    p.content_path.as_str(),
                    site_root.join(&p.source.display_path),
                )
            })
            .collect();
        history
            .for_pages(files.par_iter().map(|(path, file)| (*path, file.as_path())))
            .into()
    }

    /// The deleted pages of the history, at the addresses the current
    /// pages leave free: again whenever pages come or go.
    pub fn find_gone_pages(&mut self) {
        self.gone = match &self.history {
            Some(history) => self.gone_pages(history),
            None => Table::new(),
        };
        self.gone_by_name.clear();
        for (g, gone) in self.gone.enumerate() {
            let page = &gone.page;
            for name in [page.slug.clone(), page.front.title.to_lowercase()] {
                self.gone_by_name.entry(name).or_insert(g);
            }
        }
    }

    /// The deleted pages of `history` whose last address no current page
    /// holds, as its own or a former one, each with its last version.
    fn gone_pages(&self, history: &History) -> Table<GoneId, GonePage> {
        let mut taken: HashSet<String> = HashSet::new();
        for i in self.pages.ids() {
            for path in self.revisions(i).iter().flat_map(Revision::paths) {
                taken.extend(crate::page::former_url_path(path, &self.config));
            }
        }
        let repo = history.reader();
        let mut urls = HashSet::new();
        let mut deleted: Vec<&crate::history::DeletedPage> = history.deleted.iter().collect();
        deleted.sort_by_key(|d| std::cmp::Reverse(history.commits[d.deletion.commit].seconds));
        deleted
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
                    && !taken.contains(&url_path)
                    && crate::urls::alias_url_path(bare).is_ok()
                    && !self.config.collections.contains_key(bare);
                if !free {
                    return None;
                }
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
                    stand_in: false,
                };
                let last = deleted.deletion.previous?;
                let text = History::blob_text(&repo, last).unwrap_or_default();
                let page = crate::page::old_version(&self.config, &place, &deleted.path, text);
                // A draft was never published: nor is its deletion. Two
                // deleted files with one address: the one deleted last.
                if page.front.draft || !urls.insert(page.url_path.clone()) {
                    return None;
                }
                Some(GonePage {
                    page,
                    revisions: deleted.revisions.clone(),
                    deletion: deleted.deletion.clone(),
                })
            })
            .collect()
    }

    /// A page's revisions, newest first.
    pub fn revisions(&self, page: PageId) -> &[Revision] {
        self.page_history
            .get(page)
            .map_or(&[], |h| h.revisions.as_slice())
    }

    /// The last commit that changed a page, if its file is as committed.
    pub fn last_commit(&self, page: PageId) -> Option<&CommitMeta> {
        let history = self.history.as_ref()?;
        let page_history = self.page_history.get(page).filter(|h| h.committed)?;
        Some(&history.commits[page_history.revisions.first()?.commit])
    }

    /// "Laatst bijgewerkt" and whether it is a committed date: the front
    /// matter's `updated`, else the author date of the last commit that
    /// changed the page, else (outside git, or changed since) the file's date.
    pub fn last_updated(&self, page: PageId) -> Option<(jiff::civil::Date, bool)> {
        let front = self.pages[page].front.updated;
        let committed = front.or_else(|| self.last_commit(page).map(CommitMeta::date));
        match committed {
            Some(date) => Some((date, true)),
            None => self.pages[page].modified.map(|date| (date, false)),
        }
    }

    /// All pages of one collection.
    pub fn collection_pages<'a>(
        &'a self,
        collection: &'a str,
    ) -> impl Iterator<Item = PageId> + 'a {
        self.pages
            .ids()
            .filter(move |&i| self.pages[i].collection.as_deref() == Some(collection))
    }
}

fn link_error(
    page: &Page,
    range: &std::ops::Range<usize>,
    message: String,
    help: String,
) -> Diagnostic {
    let text = &page.source_text();
    let start = page.body_offset + range.start;
    let shown = text[start..page.body_offset + range.end]
        .lines()
        .next()
        .unwrap_or_default();
    Diagnostic::error(&page.source.display_path, message)
        .at(text, Position::of_offset(text, start))
        .marker(shown.chars().count())
        .help(help)
}

/// What is wrong with a link and how to fix it.
type LinkProblem = (String, String);

/// A link as an old version `old` has it, against the current site: to
/// the page if it still exists (its heading if that does too), to the
/// notice of a deleted page, or else to a search for what the link named,
/// so that no old link leads nowhere. `None` for a heading of the old
/// text that it lacks, shown as written.
pub fn resolve_old_link(site: &Site, old: &Page, link: &LinkRef) -> Option<ResolvedLink> {
    let found = match link.kind {
        LinkKind::SamePage => {
            let id = link.fragment.as_deref()?;
            let heading = old
                .body
                .headings
                .iter()
                .find(|h| h.id == id || h.id == slugify(id))?;
            return Some(ResolvedLink {
                href: format!("#{}", heading.id),
                label: None,
            });
        }
        LinkKind::Image => {
            return site
                .find_image(old, &link.target)
                .ok()
                .map(|href| ResolvedLink { href, label: None });
        }
        LinkKind::Wiki { .. } => match site.index.find(&link.target) {
            Lookup::Found(i) => Some(i),
            _ => None,
        },
        LinkKind::MarkdownFile => {
            let base = old.content_path.rsplit_once('/').map_or("", |(dir, _)| dir);
            normalise_relative(base, &link.target).and_then(|p| site.index.page_of_source(&p))
        }
    };
    Some(link_to(site, found, link))
}

/// A link to page `found` (its heading if it has the one asked for), or,
/// when there is none, to the notice of a deleted page of that name or a
/// search for it.
fn link_to(site: &Site, found: Option<PageId>, link: &LinkRef) -> ResolvedLink {
    let labelled = matches!(link.kind, LinkKind::Wiki { has_label: false });
    if let Some(i) = found {
        let target = &site.pages[i];
        let heading = link.fragment.as_ref().and_then(|f| {
            target
                .body
                .headings
                .iter()
                .find(|h| h.id == *f || h.id == slugify(f))
        });
        let href = match heading {
            Some(h) => format!("{}#{}", site.url(i), h.id),
            None => site.url(i),
        };
        let label = labelled.then(|| match heading {
            Some(h) => format!("{} › {}", target.front.title, h.text),
            None => target.front.title.clone(),
        });
        return ResolvedLink { href, label };
    }
    let wanted = slugify(
        link.target
            .trim_end_matches(".md")
            .rsplit('/')
            .next()
            .unwrap_or_default(),
    );
    let gone = site
        .gone_by_name
        .get(&wanted)
        .or_else(|| site.gone_by_name.get(&link.target.trim().to_lowercase()))
        .map(|&g| &site.gone[g]);
    let label = labelled.then(|| link.target.clone());
    match gone {
        Some(gone) => ResolvedLink {
            href: format!("{}{}", site.base_path, gone.page.url_path),
            label: labelled.then(|| gone.page.front.title.clone()),
        },
        None => ResolvedLink {
            href: format!(
                "{}{}?q={}",
                site.base_path,
                crate::urls::SEARCH_DIR,
                crate::urls::encode_path(link.target.trim()).replace('/', "%2F")
            ),
            label,
        },
    }
}

pub(crate) fn resolve_link(
    site: &Site,
    from: PageId,
    link: &LinkRef,
) -> Result<(PageId, ResolvedLink), LinkProblem> {
    let page = &site.pages[from];
    let target = match link.kind {
        LinkKind::Image => {
            let href = site.find_image(page, &link.target)?;
            return Ok((from, ResolvedLink { href, label: None }));
        }
        LinkKind::SamePage => from,
        LinkKind::Wiki { .. } => match site.index.find(&link.target) {
            Lookup::Found(i) => i,
            Lookup::Missing if site.index.draft_named(&link.target).is_some() => {
                let file = site.index.draft_named(&link.target).unwrap_or_default();
                return Err(draft_problem(&format!("[[{}]]", link.target), file));
            }
            Lookup::Missing => {
                let candidates = site
                    .pages
                    .iter()
                    .flat_map(|p| [p.front.title.as_str(), p.url_path.trim_end_matches('/')]);
                let help = match closest(&link.target, candidates) {
                    Some(s) => format!("bedoelt u [[{s}]]? Een wikilink noemt de titel, de slug of het pad (zoals `regio/twents-waternet`) van een pagina"),
                    None => "een wikilink noemt de titel, de slug of het pad (zoals `regio/twents-waternet`) van een bestaande pagina; maak de pagina aan met `twn new` of pas de link aan".into(),
                };
                return Err((
                    format!(
                        "wikilink naar een pagina die niet bestaat: [[{}]]",
                        link.target
                    ),
                    help,
                ));
            }
            Lookup::Ambiguous(options) => {
                let paths: Vec<String> = options
                    .iter()
                    .map(|&i| format!("[[{}]]", site.pages[i].url_path.trim_end_matches('/')))
                    .collect();
                return Err((
                    format!(
                        "wikilink [[{}]] is niet eenduidig: {} pagina's passen",
                        link.target,
                        options.len()
                    ),
                    format!(
                        "schrijf het pad van de bedoelde pagina: {}",
                        paths.join(" of ")
                    ),
                ));
            }
        },
        LinkKind::MarkdownFile => {
            let base = page
                .content_path
                .rsplit_once('/')
                .map_or("", |(dir, _)| dir);
            let joined = normalise_relative(base, &link.target);
            match joined.and_then(|p| site.index.by_source.get(&p).copied()) {
                Some(i) => i,
                None => {
                    return Err((
                        format!("link naar een bestand dat niet bestaat: {}", link.target),
                        format!(
                            "het pad is relatief aan {}; controleer de mapnamen en `../`",
                            page.source.display_path
                        ),
                    ));
                }
            }
        }
    };
    let target_page = &site.pages[target];
    let mut href = site.url(target);
    let mut heading_text = None;
    let unreadable = target_page.stand_in && target_page.body.headings.is_empty();
    if let Some(fragment) = link.fragment.as_ref().filter(|_| !unreadable) {
        let wanted = slugify(fragment);
        let Some(heading) = target_page
            .body
            .headings
            .iter()
            .find(|h| h.id == *fragment || h.id == wanted)
        else {
            let ids = target_page.body.headings.iter().map(|h| h.id.as_str());
            let help = match closest(&wanted, ids) {
                _ if target_page.body.headings.is_empty() => {
                    "die pagina heeft geen koppen: link naar de pagina zelf (zonder #…), of geef haar een kop met `## …`".into()
                }
                Some(s) => format!(
                    "bedoelt u #{s}? De koppen van die pagina zijn: {}",
                    heading_list(target_page)
                ),
                None => format!(
                    "de koppen van die pagina zijn: {}",
                    heading_list(target_page)
                ),
            };
            return Err((
                format!(
                    "link naar een kop die niet bestaat: #{fragment} op {}",
                    target_page.source.display_path
                ),
                help,
            ));
        };
        href = if target == from {
            format!("#{}", heading.id)
        } else {
            format!("{href}#{}", heading.id)
        };
        heading_text = Some(heading.text.clone());
    }
    let label = match link.kind {
        LinkKind::Wiki { has_label: false } => Some(match heading_text {
            Some(heading) => format!("{} › {heading}", target_page.front.title),
            None => target_page.front.title.clone(),
        }),
        _ => None,
    };
    Ok((target, ResolvedLink { href, label }))
}

/// What is wrong with naming a draft that is left out, and what to do.
fn draft_problem(named: &str, file: &str) -> (String, String) {
    (
        format!(
            "{named} noemt een concept: {}/{file} heeft `draft: true` en wordt niet gepubliceerd",
            crate::folders::CONTENT_DIR
        ),
        "haal `draft: true` weg als de pagina klaar is, of laat de link nog weg; `twn serve --drafts` toont concepten in de voorvertoning".into(),
    )
}

fn heading_list(page: &Page) -> String {
    page.body
        .headings
        .iter()
        .map(|h| format!("#{}", h.id))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Joins a relative link to the folder of its page, below `content/`.
fn normalise_relative(base: &str, relative: &str) -> Option<String> {
    let mut parts: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// Each reference in `value` (a field of page `from`, inside the object
/// named `context`): the page it names, or why it names none.
fn references_in(
    site: &Site,
    from: PageId,
    field: &str,
    context: Option<&str>,
    value: &FieldValue,
) -> Vec<Result<(PageId, BackRef), Diagnostic>> {
    match value {
        FieldValue::Reference(reference) if !reference.is_keyword => {
            match site.referenced_page(reference) {
                Some(target) => {
                    let backref = BackRef {
                        from,
                        field: field.to_owned(),
                        context: context.map(str::to_owned),
                    };
                    vec![Ok((target, backref))]
                }
                None => {
                    let page = &site.pages[from];
                    let named = format!("{}/{}", reference.collection, reference.target);
                    if let Some(file) = site.index.draft_named(&named) {
                        let (message, help) =
                            draft_problem(&format!("`{}`", reference.target), file);
                        return vec![Err(Diagnostic::error(&page.source.display_path, message)
                            .at(&page.source_text(), reference.position)
                            .marker(reference.target.chars().count())
                            .help(help))];
                    }
                    let slugs: Vec<&str> = site
                        .collection_pages(&reference.collection)
                        .map(|i| site.pages[i].slug.as_str())
                        .collect();
                    let help = match closest(&reference.target, slugs.iter().copied()) {
                        Some(s) => format!(
                            "bedoelt u `{s}`? Een verwijzing noemt de slug (de bestandsnaam zonder .md) van een pagina in content/{}/",
                            reference.collection
                        ),
                        None => format!(
                            "een verwijzing noemt de slug (de bestandsnaam zonder .md) van een pagina in content/{}/; maak die pagina aan met `twn new {} \"…\"`",
                            reference.collection, reference.collection
                        ),
                    };
                    vec![Err(Diagnostic::error(
                        &page.source.display_path,
                        format!(
                            "verwijzing naar een {}-pagina die niet bestaat: `{}`",
                            reference.collection, reference.target
                        ),
                    )
                    .at(&page.source_text(), reference.position)
                    .marker(reference.target.chars().count())
                    .help(help))]
                }
            }
        }
        FieldValue::List(items) => items
            .iter()
            .flat_map(|item| references_in(site, from, field, context, item))
            .collect(),
        FieldValue::Object(fields) => {
            let name = fields
                .get("name")
                .or_else(|| fields.get("title"))
                .and_then(|v| match v {
                    FieldValue::Text(t) => Some(t.as_str()),
                    _ => None,
                });
            fields
                .values()
                .flat_map(|value| references_in(site, from, field, name.or(context), value))
                .collect()
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_are_normalised_below_content() {
        assert_eq!(
            normalise_relative("regio", "../organisatie/almelo.md").as_deref(),
            Some("organisatie/almelo.md")
        );
        assert_eq!(
            normalise_relative("regio/twents-waternet", "./kaart.md").as_deref(),
            Some("regio/twents-waternet/kaart.md")
        );
        assert_eq!(normalise_relative("", "../x.md"), None);
    }
}
