//! What a page's output shows of the rest of the site, kept from one
//! render to the next: comparing these facts tells which pages a change
//! reached without rendering them.

use crate::ids::{PageId, PageTable};
use crate::render::context::chart_preview;
use crate::render::context::{last_updated, seats_group};
use crate::resolve::Site;
use serde_json::Value;
use std::hash::{DefaultHasher, Hash, Hasher};

#[derive(Debug, Clone, PartialEq)]
pub struct PageFacts {
    pub url_path: String,
    pub template: String,
    /// What lists and links show of the page.
    pub summary: tera::Value,
    pub updated: Value,
    /// Whether the page has an organisation chart.
    pub chart: bool,
    /// A hash of the rest that other pages decide: its links' targets,
    /// who links to it and names it, its seats and chart.
    pub shown: u64,
    /// Pages whose summaries its output shows (backlinks, back-references).
    pub shows: Vec<String>,
    /// Pages whose output shows this page: those it links to or names.
    pub shown_on: Vec<String>,
}

impl PageFacts {
    pub fn of(
        site: &Site,
        summaries: &PageTable<tera::Value>,
        template: String,
        i: PageId,
    ) -> PageFacts {
        let path = |j: PageId| site.pages[j].content_path.clone();
        let mut hasher = DefaultHasher::new();
        for link in site.links[i].iter().chain(&site.field_links[i]) {
            link.as_ref().map(|l| (&l.href, &l.label)).hash(&mut hasher);
        }
        let mut shows: Vec<String> = site.backlinks[i].iter().map(|&j| path(j)).collect();
        shows.hash(&mut hasher);
        for backref in &site.backrefs[i] {
            (&backref.field, &backref.context, backref.from).hash(&mut hasher);
            shows.push(path(backref.from));
        }
        if !site.seats[i].is_empty() {
            format!("{:?}", seats_group(site, i)).hash(&mut hasher);
        }
        chart_preview(site, i).to_string().hash(&mut hasher);
        site.revisions(i).is_empty().hash(&mut hasher);
        let mut shown_on: Vec<String> = site.outgoing[i].iter().map(|&j| path(j)).collect();
        shown_on.sort();
        shows.sort();
        shows.dedup();
        PageFacts {
            url_path: site.pages[i].url_path.clone(),
            template,
            summary: summaries[i].clone(),
            updated: last_updated(site, i),
            chart: site.org_charts.iter().any(|c| c.page == i),
            shown: hasher.finish(),
            shows,
            shown_on,
        }
    }
}
