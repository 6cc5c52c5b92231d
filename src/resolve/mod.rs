//! Resolving the site: every wiki link, Markdown file link and front-matter
//! reference is looked up, and each page learns who links to it
//! (backlinks) and which reference fields name it (back-references).

pub mod charts;
pub mod field_links;
mod gone;
mod index;
mod links;

use index::Lookup;
pub use index::{Draft, SiteIndex};

pub use gone::GonePage;
pub(crate) use links::resolve_link;
pub use links::{GoneImages, resolve_old_link};
use links::{LinkProblem, link_error, normalise_relative, references_in};

use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;
use crate::history::{CommitMeta, History, PageHistory, Revision};
use crate::ids::{ChartId, GoneId, PageId, PageTable, Table};
use crate::markdown::ResolvedLink;
use crate::orgchart::{OrgChart, Seat};
use crate::page::Page;
use crate::schema::Reference;
use crate::slug::slugify;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};

/// A reference field on page `from` that names a page.
#[derive(Debug, Clone)]
pub struct BackRef {
    pub from: PageId,
    /// The top-level field, e.g. `members` or `bodies`.
    pub field: String,
    /// The name of the object the reference sits in, e.g. a body's name.
    pub context: Option<String>,
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
    /// Pages whose file was deleted, at addresses no current page holds
    /// as its own.
    pub gone: Table<GoneId, GonePage>,
    /// Deleted pages by slug and by title in lower case, for old links.
    pub gone_by_name: HashMap<String, GoneId>,
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
    // Each page's links are looked up on its own, in parallel; only
    // handing out backlinks needs the pages in turn.
    let resolved: Vec<(LinksOf, Vec<(PageId, BackRef)>)> = site
        .pages
        .par_enumerate()
        .map(|(i, _)| {
            let (links, field_links, outgoing, mut problems) = site.resolve_links_of(i);
            let (references, reference_problems) = site.references_of(i);
            problems.extend(reference_problems);
            ((links, field_links, outgoing, problems), references)
        })
        .collect();
    let mut problems = Table::with_capacity(site.pages.len());
    for (i, ((links, field_links, mut outgoing, page_problems), references)) in
        site.pages.ids().zip(resolved)
    {
        for &target in &outgoing {
            site.backlinks[target].push(i);
        }
        site.links.push(links);
        site.field_links.push(field_links);
        for (target, backref) in references {
            site.backrefs[target].push(backref);
            if target != i && !outgoing.contains(&target) {
                outgoing.push(target);
            }
        }
        site.outgoing.push(outgoing);
        problems.push(page_problems);
    }
    let titles: PageTable<String> = site
        .pages
        .par_iter()
        .map(listing_order)
        .collect::<Vec<_>>()
        .into();
    let (backlinks, backrefs) = (&mut site.backlinks, &mut site.backrefs);
    rayon::join(
        || {
            backlinks
                .par_iter_mut()
                .for_each(|list| list.sort_by(|a, b| (&titles[*a], a).cmp(&(&titles[*b], b))))
        },
        || {
            backrefs.par_iter_mut().for_each(|list| {
                list.sort_by(|a, b| (&titles[a.from], a.from).cmp(&(&titles[b.from], b.from)))
            })
        },
    );
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

/// What a relative URL on a page names.
pub(crate) enum RelativeTarget {
    /// A file beside a page or of the theme, by its address.
    File(String),
    Page(PageId),
}

/// The path below the site's root that a decoded URL path names: from
/// the root if it starts with `/`, else from `folder`; `None` above the
/// root.
fn below_root(folder: &str, decoded: &str) -> Option<String> {
    let from = if decoded.starts_with('/') { "" } else { folder };
    normalise_relative(from, decoded)
}

/// Which files a relative (or root) URL `src` may name on the page whose
/// file is `file_path`, by path below `content/`, as a browser reads it:
/// beside the page at its address, and beside its file; each once.
pub fn paths_named(config: &SiteConfig, file_path: &str, src: &str) -> Vec<String> {
    let address = crate::page::former_url_path(file_path, config).unwrap_or_default();
    let file_folder = file_path.rsplit_once('/').map_or("", |(folder, _)| folder);
    below_folders(&[address.trim_end_matches('/'), file_folder], src)
}

/// Where image `src` of an old version of `page` was, by path below
/// `content/`, when the page's file was `file_path`: as [`paths_named`],
/// then at the page's address today.
pub fn old_image_paths(
    config: &SiteConfig,
    page: &Page,
    file_path: &str,
    src: &str,
) -> Vec<String> {
    let mut paths = paths_named(config, file_path, src);
    for today in below_folders(&[page.url_path.trim_end_matches('/')], src) {
        if !paths.contains(&today) {
            paths.push(today);
        }
    }
    paths
}

/// `src` read from each of `folders` (from the root if it starts with
/// `/`), each path once.
fn below_folders(folders: &[&str], src: &str) -> Vec<String> {
    let path = src.split(['?', '#']).next().unwrap_or_default();
    let decoded = crate::urls::percent_decode(path).unwrap_or_else(|| path.to_owned());
    let mut paths = Vec::new();
    for folder in folders {
        if let Some(found) = below_root(folder, &decoded)
            && !paths.contains(&found)
        {
            paths.push(found);
        }
    }
    paths
}

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
        match self.relative_target(page, src) {
            Ok(RelativeTarget::File(href)) => Ok(href),
            Ok(RelativeTarget::Page(_)) | Err(_) => Err((
                format!(
                    "afbeelding die niet bestaat: `{src}` ({})",
                    self.looked_for(page, src)
                ),
                "een afbeelding naast een pagina staat in de map van die pagina: maak van de pagina `content/<collectie>/<naam>/index.md` en zet het bestand ernaast, of pas het pad aan".into(),
            )),
        }
    }

    /// What a URL of the site in page `page` names: relative ones read
    /// against the page's address as a browser reads it, and ones from the
    /// root (`/regio/`) against the site's base. A file of the site, a
    /// page, or an address twn makes itself, each with its address from
    /// the base, so that it works at any depth and below any base URL.
    fn relative_target(&self, page: &Page, url: &str) -> Result<RelativeTarget, ()> {
        let path = url.split(['?', '#']).next().unwrap_or_default();
        let decoded = crate::urls::percent_decode(path).unwrap_or_else(|| path.to_owned());
        let wanted = below_root(page.url_path.trim_end_matches('/'), &decoded).ok_or(())?;
        let suffix = &url[path.len()..];
        let href = |found: &str, folder: bool| {
            let slash = if folder && !found.is_empty() { "/" } else { "" };
            let encoded = crate::urls::encode_path(found);
            format!("{}{encoded}{slash}{suffix}", self.base_path)
        };
        let is_file =
            |found: &str| self.assets.contains(found) || found.starts_with(crate::urls::STATIC_DIR);
        if is_file(&wanted) {
            return Ok(RelativeTarget::File(href(&wanted, false)));
        }
        // Beside a page whose folder name is not its address
        // (`Groot/index.md` at `groot/`): the file where it is.
        let beside_source = below_root(page.source_folder(), &decoded).filter(|f| is_file(f));
        if let Some(found) = beside_source {
            return Ok(RelativeTarget::File(href(&found, false)));
        }
        let folder = match wanted.strip_suffix("index.html") {
            Some(folder) if folder.is_empty() || folder.ends_with('/') => folder,
            _ => &wanted,
        };
        if let Some(i) = self.index.page_at(folder) {
            return Ok(RelativeTarget::Page(i));
        }
        let first = folder.split('/').next().unwrap_or_default();
        let below_a_page = folder.match_indices('/').any(|(at, _)| {
            let below = folder[at + 1..].split('/').next().unwrap_or_default();
            self.index.page_at(&folder[..at]).is_some() && crate::urls::reserved_below_page(below)
        });
        let made_by_twn = folder.is_empty()
            || crate::urls::reserved_top(first).is_some()
            || self.config.is_collection_listing(folder)
            || below_a_page
            || ["sitemap.xml", "404.html"].contains(&folder);
        if made_by_twn {
            // A folder's address ends in a slash, a file's does not.
            let folder = folder.trim_end_matches('/');
            let file = folder.rsplit('/').next().unwrap_or_default().contains('.');
            return Ok(RelativeTarget::File(href(folder, !file)));
        }
        Err(())
    }

    /// Where a URL of the site was looked for, for a message.
    fn looked_for(&self, page: &Page, url: &str) -> String {
        let path = url.split(['?', '#']).next().unwrap_or_default();
        let decoded = crate::urls::percent_decode(path).unwrap_or_else(|| path.to_owned());
        below_root(page.url_path.trim_end_matches('/'), &decoded).map_or_else(
            || "buiten de site".to_owned(),
            |w| format!("gezocht als {}/{w}", crate::folders::CONTENT_DIR),
        )
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

    /// A page's revisions, newest first.
    pub fn revisions(&self, page: PageId) -> &[Revision] {
        self.page_history
            .get(page)
            .map_or(&[], |h| h.revisions.as_slice())
    }

    /// Which of a page's revisions its file has now (see
    /// [`PageHistory::head`]).
    pub fn head_revision(&self, page: PageId) -> Option<usize> {
        self.page_history.get(page)?.head
    }

    /// Which of a page's revisions (newest first) get an old-version and a
    /// diff page: all, or with `history: versions` only the newest that
    /// many, and `shown`, the version the page is shown as (the one its
    /// file has, or a deleted page's last), which its notice and the
    /// comparison on its history page need.
    pub fn revisions_with_pages(&self, revisions: &[Revision], shown: Option<usize>) -> Vec<bool> {
        let limit = self.config.history.versions();
        (0..revisions.len())
            .map(|k| limit.is_none_or(|limit| k < limit) || Some(k) == shown)
            .collect()
    }

    /// The commit that gave a page the text its file has, if the file is
    /// as committed.
    pub fn last_commit(&self, page: PageId) -> Option<&CommitMeta> {
        let history = self.history.as_ref()?;
        let page_history = self.page_history.get(page).filter(|h| h.committed)?;
        let head = page_history.revisions.get(page_history.head?)?;
        Some(&history.commits[head.commit])
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
