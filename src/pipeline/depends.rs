//! The dependency record: what each product read when it was last
//! rendered, and the one place that decides what a change renders again.
//! `twn build` renders every product once and needs no record; `twn serve`
//! keeps one between renders and asks it after every change which products
//! to render, which files went, and whether the old versions it rendered on
//! request are stale.
//!
//! What a product reads:
//! - a page: its own file, its template, and its facts (what other pages
//!   decide of it: links, backlinks, back-references, seats, chart), and
//!   the summaries of the pages it lists;
//! - the home page (generated or not), redirects, recent changes and the
//!   authors: every page's summary;
//! - a collection's index and its filter pages: the summaries of its
//!   pages, and of the pages its filters name (their titles);
//! - redirects: also every page's aliases and former places;
//! - the org charts: the files and summaries of the pages in a chart, now
//!   and when last rendered;
//! - the sitemap: which pages exist, their stamps, which have a chart,
//!   and the summaries of pages in a filtered collection;
//! - 404 and the search page: their template only;
//! - old versions: the theme, the settings and which pages exist;
//! - a page's search document: its own file.
//!
//! Settings, theme strings, the git history and a template used in a way
//! that cannot be traced are read by every product.

use super::facts::PageFacts;
use crate::ids::PageId;
use crate::render::collection::filter_sources;
use crate::render::context::Summaries;
use crate::render::products::{Product, page_template};
use crate::render::revisions::{CacheInputs, page_set_fingerprint};
use crate::render::theme::Theme;
use crate::resolve::Site;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap, HashSet};

/// The inputs that changed since the last render, as the stages read them.
/// Changes pile up here while the site has errors.
#[derive(Debug, Default, Clone)]
pub struct Changed {
    /// Nothing was rendered from these settings yet.
    pub settings: bool,
    /// The theme's interface strings.
    pub strings: bool,
    /// The theme's style sheets and scripts, whose version every page
    /// names in their addresses.
    pub assets_version: bool,
    /// HEAD, or a page's committed state.
    pub history: bool,
    /// A template no other template names and twn does not render by
    /// name: where it is used cannot be traced.
    pub untraced_template: bool,
    /// Templates whose text, or the text of one they use, changed.
    pub templates: HashSet<String>,
    /// Pages came, went or were resolved again: every page's facts are
    /// compared.
    pub page_set: bool,
    /// Page files read again, by path below `content/`.
    pub sources: BTreeSet<String>,
    /// The theme's static files or the files beside pages.
    pub copies: bool,
}

impl Changed {
    /// The first render of a site opened with its settings.
    pub fn opened() -> Changed {
        Changed {
            settings: true,
            ..Changed::default()
        }
    }

    /// Whether an input every product reads changed.
    pub fn reaches_everything(&self) -> bool {
        self.settings
            || self.strings
            || self.assets_version
            || self.history
            || self.untraced_template
    }
}

/// What the preview rendered last, and from what.
#[derive(Debug, Default)]
pub struct Record {
    /// Each page's facts as last rendered, by its path below `content/`.
    pages: HashMap<String, PageFacts>,
    /// The files each product made when last rendered.
    files: HashMap<Product, Vec<String>>,
    /// Titles and places of all pages, as old versions are rendered with.
    page_set: String,
    /// What the old versions in the preview were rendered with.
    revision_inputs: Option<String>,
    /// The pages the org charts showed or belonged to when last rendered.
    charted: HashSet<String>,
}

/// What one render does.
#[derive(Debug)]
pub struct Plan {
    /// Every product, replacing all outputs.
    pub everything: bool,
    pub products: Vec<Product>,
    /// Old versions rendered so far must go: what they read changed.
    pub revisions_stale: bool,
    /// The files served as they are must be listed again.
    pub copies: bool,
    /// Search documents to make again: every page's, or those of these
    /// pages (the index itself is made again when any document differs).
    pub search_all: bool,
    pub search_pages: BTreeSet<String>,
    /// Products that no longer exist: their files go.
    removed: Vec<Product>,
    /// Facts of the pages the change reached, kept once rendered.
    facts: Vec<(String, PageFacts)>,
    page_set: String,
    revision_inputs: String,
    /// The pages the charts show now, kept once they are rendered.
    charted: HashSet<String>,
}

impl Record {
    /// Decides what `changed` renders again.
    pub fn plan(
        &self,
        site: &Site,
        theme: &Theme,
        summaries: &Summaries,
        settings: &str,
        changed: &Changed,
    ) -> Plan {
        // A theme edit can change which template a page uses (a collection's
        // own template came or went): every page's facts are compared.
        let all_pages =
            changed.reaches_everything() || changed.page_set || !changed.templates.is_empty();
        let reached = if all_pages {
            site.pages.ids().collect()
        } else {
            self.reached_pages(site, &changed.sources)
        };
        let facts: Vec<(String, PageFacts)> = reached
            .par_iter()
            .map(|&i| {
                let path = &site.pages[i].content_path;
                let template = page_template(site, theme, i);
                (path.clone(), PageFacts::of(site, summaries, template, i))
            })
            .collect();
        let page_set = if all_pages {
            page_set_fingerprint(site)
        } else {
            self.page_set.clone()
        };
        let revision_inputs = revision_inputs(&CacheInputs {
            theme: theme.fingerprint.clone(),
            settings: settings.to_owned(),
            pages: page_set.clone(),
        });
        let revisions_stale = changed.reaches_everything()
            || !changed.templates.is_empty()
            || self.revision_inputs.as_ref() != Some(&revision_inputs);
        let mut plan = Plan {
            everything: changed.reaches_everything(),
            products: Vec::new(),
            revisions_stale,
            copies: changed.reaches_everything() || changed.copies,
            search_all: changed.reaches_everything(),
            search_pages: changed.sources.clone(),
            removed: Vec::new(),
            facts: Vec::new(),
            page_set,
            revision_inputs,
            charted: HashSet::new(),
        };
        if changed.reaches_everything() {
            plan.products = Product::all(site);
            plan.facts = facts;
            plan.charted = owned(chart_pages(site));
            return plan;
        }
        let all = changed.page_set.then(|| Product::all(site));
        if let Some(all) = &all {
            let present: HashSet<&Product> = all.iter().collect();
            plan.removed = self
                .files
                .keys()
                .filter(|p| !present.contains(p))
                .cloned()
                .collect();
        }
        let reads = self.reads_changed(site, theme, changed, &facts, &plan.removed);
        plan.products = match all {
            // New products have no record yet: they are rendered.
            Some(all) => all
                .into_iter()
                .filter(|p| !self.files.contains_key(p) || reads.reached(p, self))
                .collect(),
            // Only pages whose facts were compared and the home page can have
            // read what changed.
            None => {
                let home = site.index.page_at("").map(|i| &site.pages[i].content_path);
                let pages: BTreeSet<&String> =
                    facts.iter().map(|(path, _)| path).chain(home).collect();
                pages
                    .into_iter()
                    .map(|path| Product::Page(path.clone()))
                    .chain(Product::besides_pages(site))
                    .filter(|p| reads.reached(p, self))
                    .collect()
            }
        };
        if plan.products.contains(&Product::Charts) {
            plan.charted = owned(chart_pages(site));
        }
        plan.facts = facts;
        plan
    }

    /// The pages whose facts a change to `sources` may have changed: the
    /// pages themselves, those they link to or name now, and those they
    /// did when last rendered.
    fn reached_pages(&self, site: &Site, sources: &BTreeSet<String>) -> Vec<PageId> {
        let mut reached = BTreeSet::new();
        for path in sources {
            let now = site.index.page_of_source(path);
            reached.extend(now);
            reached.extend(
                now.into_iter()
                    .flat_map(|i| site.outgoing[i].iter().copied()),
            );
            let before = self.pages.get(path).map(|f| f.shown_on.iter());
            reached.extend(
                before
                    .into_iter()
                    .flatten()
                    .filter_map(|p| site.index.page_of_source(p)),
            );
        }
        reached.into_iter().collect()
    }

    /// Which of the inputs products read differ from the last render.
    fn reads_changed<'a>(
        &'a self,
        site: &'a Site,
        theme: &'a Theme,
        changed: &'a Changed,
        facts: &'a [(String, PageFacts)],
        removed: &'a [Product],
    ) -> ChangedReads<'a> {
        let mut summaries: HashSet<&str> = removed
            .iter()
            .filter_map(|p| match p {
                Product::Page(path) => Some(path.as_str()),
                _ => None,
            })
            .collect();
        let mut pages: HashSet<&str> = changed.sources.iter().map(String::as_str).collect();
        let mut updated = false;
        let mut charts_came_or_went = false;
        let mut new_facts = HashMap::with_capacity(facts.len());
        for (path, new) in facts {
            let old = self.pages.get(path);
            if old.is_none_or(|old| old.summary != new.summary) {
                summaries.insert(path);
            }
            if old != Some(new) {
                pages.insert(path);
            }
            updated |= old.is_none_or(|old| old.updated != new.updated);
            charts_came_or_went |= old.is_some_and(|old| old.chart != new.chart);
            new_facts.insert(path.as_str(), new);
        }
        // Pages a chart shows now, or showed when last rendered.
        let charted = if summaries.is_empty() && changed.sources.is_empty() {
            HashSet::new()
        } else {
            let mut charted = chart_pages(site);
            charted.extend(self.charted.iter().map(String::as_str));
            charted
        };
        ChangedReads {
            site,
            theme,
            changed,
            summaries,
            pages,
            updated,
            charts_came_or_went,
            charted,
            new_facts,
            filtered: filtered_collections(site),
        }
    }

    /// Takes in what `plan` rendered, each file with its product; returns
    /// the files that went.
    pub fn settle<'f>(
        &mut self,
        plan: Plan,
        rendered: impl IntoIterator<Item = (&'f Product, &'f str)>,
    ) -> HashSet<String> {
        let made_charts = plan.products.contains(&Product::Charts);
        let mut made: HashMap<Product, Vec<String>> =
            plan.products.into_iter().map(|p| (p, Vec::new())).collect();
        for (product, path) in rendered {
            if let Some(files) = made.get_mut(product) {
                files.push(path.to_owned());
            }
        }
        let mut gone = HashSet::new();
        if plan.everything {
            self.files = made;
            self.pages = plan.facts.into_iter().collect();
        } else {
            for product in &plan.removed {
                gone.extend(self.files.remove(product).into_iter().flatten());
                if let Product::Page(path) = product {
                    self.pages.remove(path);
                }
            }
            for (product, files) in &made {
                if let Some(before) = self.files.get(product) {
                    let kept: HashSet<&String> = files.iter().collect();
                    gone.extend(before.iter().filter(|f| !kept.contains(f)).cloned());
                }
            }
            // A file another product makes now stays.
            if !gone.is_empty() {
                let now: HashSet<&String> = made.values().flatten().collect();
                gone.retain(|path| !now.contains(path));
            }
            self.files.extend(made);
            self.pages.extend(plan.facts);
        }
        if made_charts {
            self.charted = plan.charted;
        }
        self.page_set = plan.page_set;
        if plan.revisions_stale {
            self.revision_inputs = Some(plan.revision_inputs);
        }
        gone
    }

    /// What old versions are rendered with now.
    pub fn cache_inputs(&self, theme: &Theme, settings: &str) -> CacheInputs {
        CacheInputs {
            theme: theme.fingerprint.clone(),
            settings: settings.to_owned(),
            pages: self.page_set.clone(),
        }
    }
}

/// The inputs that differ from the last render, as products read them.
struct ChangedReads<'a> {
    site: &'a Site,
    theme: &'a Theme,
    changed: &'a Changed,
    /// Pages whose summary changed, came or went.
    summaries: HashSet<&'a str>,
    /// Pages whose file was read again or whose facts changed.
    pages: HashSet<&'a str>,
    /// Some page's stamp changed.
    updated: bool,
    /// A page got its first chart or lost its last.
    charts_came_or_went: bool,
    /// Pages drawn in an org chart or owning one.
    charted: HashSet<&'a str>,
    new_facts: HashMap<&'a str, &'a PageFacts>,
    /// Collections whose index has filters.
    filtered: Vec<&'a str>,
}

impl ChangedReads<'_> {
    /// Whether `product` read an input that changed.
    fn reached(&self, product: &Product, record: &Record) -> bool {
        let any_summary = !self.summaries.is_empty();
        let templates = || {
            !self.changed.templates.is_empty()
                && product
                    .templates(self.site, self.theme)
                    .iter()
                    .any(|name| self.changed.templates.contains(name))
        };
        match product {
            Product::Page(path) => {
                let facts = self
                    .new_facts
                    .get(path.as_str())
                    .copied()
                    .or_else(|| record.pages.get(path));
                let Some(facts) = facts else { return true };
                self.pages.contains(path.as_str())
                    || self.changed.templates.contains(&facts.template)
                    || facts
                        .shows
                        .iter()
                        .any(|p| self.summaries.contains(p.as_str()))
                    || (any_summary && facts.url_path.is_empty())
            }
            // Its filters also show the titles of the pages they name.
            Product::Collection(name) => {
                let mut read = filter_sources(self.site, name);
                read.push(name);
                templates() || self.summaries.iter().any(|p| in_collections(p, &read))
            }
            // Redirects also read every page's aliases and former places,
            // which change only with the page set, and leave out the
            // folders of the charts.
            Product::Redirects => {
                any_summary || self.changed.page_set || self.charts_came_or_went || templates()
            }
            Product::Home | Product::Recent | Product::Authors => any_summary || templates(),
            Product::Charts => {
                templates()
                    || self
                        .summaries
                        .iter()
                        .copied()
                        .chain(self.changed.sources.iter().map(String::as_str))
                        .any(|p| self.charted.contains(p))
            }
            // The sitemap lists pages with their stamps, the charts, and
            // the filter values some page has.
            Product::Sitemap => {
                self.changed.page_set
                    || self.updated
                    || self.charts_came_or_went
                    || self
                        .summaries
                        .iter()
                        .any(|p| in_collections(p, &self.filtered))
            }
            Product::NotFound | Product::Search => templates(),
        }
    }
}

/// Whether the page at `content_path` is in one of `collections`.
fn in_collections(content_path: &str, collections: &[&str]) -> bool {
    content_path
        .split_once('/')
        .is_some_and(|(collection, _)| collections.contains(&collection))
}

/// The pages an org chart shows or belongs to.
fn chart_pages(site: &Site) -> HashSet<&str> {
    site.org_charts
        .iter()
        .flat_map(|chart| {
            let bodies = chart.bodies.iter();
            std::iter::once(chart.page)
                .chain(bodies.flat_map(|b| b.members.iter().chain(&b.collected).copied()))
        })
        .map(|i| site.pages[i].content_path.as_str())
        .collect()
}

fn filtered_collections(site: &Site) -> Vec<&str> {
    site.config
        .collections
        .iter()
        .filter(|(_, c)| c.filters().next().is_some())
        .map(|(name, _)| name.as_str())
        .collect()
}

fn owned(paths: HashSet<&str>) -> HashSet<String> {
    paths.into_iter().map(str::to_owned).collect()
}

fn revision_inputs(inputs: &CacheInputs) -> String {
    format!("{}\n{}\n{}", inputs.theme, inputs.settings, inputs.pages)
}
