//! `sitemap.xml`: every current page, for search engines.

use crate::resolve::Site;
use crate::text::{push_xml_escaped, xml_escape};
use std::fmt::Write as _;

pub fn sitemap(site: &Site) -> String {
    let origin = xml_escape(&site.config.origin_and_base());
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut entry = |path: &str, lastmod: Option<String>| {
        xml.push_str("  <url><loc>");
        xml.push_str(&origin);
        xml.push('/');
        push_xml_escaped(&mut xml, path);
        xml.push_str("</loc>");
        if let Some(date) = lastmod {
            let _ = write!(xml, "<lastmod>{date}</lastmod>");
        }
        xml.push_str("</url>\n");
    };
    if site.index.page_at("").is_none() {
        entry("", None);
    }
    for (i, page) in site.pages.enumerate() {
        let committed = site.last_updated(i).filter(|(_, committed)| *committed);
        entry(&page.url_path, committed.map(|(date, _)| date.to_string()));
    }
    for name in site.config.collections.keys() {
        entry(&format!("{name}/"), None);
        for filter in super::collection::collection_filters(site, name) {
            for value in &filter.values {
                if let Some(url_path) = value.url_path(name, &filter) {
                    entry(&url_path, None);
                }
            }
        }
    }
    for chart in &site.org_charts {
        let committed = site
            .last_updated(chart.page)
            .filter(|(_, committed)| *committed);
        entry(
            &chart.out_dir(site),
            committed.map(|(date, _)| date.to_string()),
        );
    }
    xml.push_str("</urlset>\n");
    xml
}
