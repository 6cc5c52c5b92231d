//! Links in Markdown fields (a body's description, any `markdown` field):
//! checked as a body's links are, with the same errors, at their place in
//! the front matter; the pages they name get a backlink. A field is shown
//! on other pages too (lists, charts), so every link it has is written
//! from the site's base.

use super::{GoneImages, Site, resolve_link, resolve_old_link};
use crate::diagnostics::{Diagnostic, Position, find_written};
use crate::ids::PageId;
use crate::markdown::{ResolvedLink, parse_fragment};
use crate::page::Page;
use crate::schema::FieldValue;
use indexmap::IndexMap;

/// Every Markdown value of a front matter, in the order written, inside
/// lists and objects too.
pub fn markdown_fields(fields: &IndexMap<String, FieldValue>) -> Vec<&str> {
    fn walk<'a>(value: &'a FieldValue, found: &mut Vec<&'a str>) {
        match value {
            FieldValue::Markdown(text) => found.push(text),
            FieldValue::List(items) => items.iter().for_each(|v| walk(v, found)),
            FieldValue::Object(fields) => fields.values().for_each(|v| walk(v, found)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    fields.values().for_each(|v| walk(v, &mut found));
    found
}

/// Page `i`'s links in Markdown fields: each one's resolution
/// (`None` where it failed), the pages they lead to, and the problems.
pub(super) fn resolve_field_links(
    site: &Site,
    i: PageId,
) -> (Vec<Option<ResolvedLink>>, Vec<PageId>, Vec<Diagnostic>) {
    let page = &site.pages[i];
    let mut resolved = Vec::new();
    let mut targets = Vec::new();
    let mut problems = Vec::new();
    let mut search_from = 0;
    // Read once, on the first problem: a build has let go of the text.
    let mut text = None;
    for markdown in markdown_fields(&page.front.fields) {
        let parsed = parse_fragment(markdown, site.config.allow_html);
        for link in &parsed.links {
            match resolve_link(site, i, link) {
                Ok((target, found)) => {
                    targets.push(target);
                    resolved.push(Some(found));
                }
                Err((message, help)) => {
                    let written = &markdown[link.range.clone()];
                    let text: &str = text.get_or_insert_with(|| page.source_text().into_owned());
                    let front = &text[..page.body_offset.min(text.len())];
                    // Where the link is written: the next place after the
                    // last one found, as the fields are in the order written.
                    let at = find_written(front, search_from, written)
                        .or_else(|| find_written(front, 0, written));
                    if let Some(at) = at {
                        search_from = at + 1;
                    }
                    let position =
                        at.map_or(Position::new(1, 1), |at| Position::of_offset(text, at));
                    problems.push(
                        Diagnostic::error(&page.source.display_path, message)
                            .at(text, position)
                            .marker(written.lines().next().unwrap_or_default().chars().count())
                            .help(help),
                    );
                    resolved.push(None);
                }
            }
        }
    }
    (resolved, targets, problems)
}

/// A Markdown field of `page` (current or an old version) as HTML, its
/// links pointing where they lead now (for an old version, a deleted
/// page's notice or a search when the page is gone). A heading of the
/// page is named from `page_address`: a list shows the field too, while
/// an old version, shown only on itself, passes "".
pub fn field_html(site: &Site, page: &Page, page_address: &str, markdown: &str) -> String {
    old_field_html(site, page, page_address, markdown, None)
}

/// [`field_html`], where an image the site no longer has (of an old
/// version) leads where `gone_images` says.
pub fn old_field_html(
    site: &Site,
    page: &Page,
    page_address: &str,
    markdown: &str,
    gone_images: Option<GoneImages>,
) -> String {
    let parsed = parse_fragment(markdown, site.config.allow_html);
    let resolved: Vec<Option<ResolvedLink>> = parsed
        .links
        .iter()
        .map(|link| {
            let mut found = resolve_old_link(site, page, link, gone_images)?;
            // A heading of the page itself (`#kop`, `[[#kop]]`).
            if found.href.starts_with('#') {
                found.href = format!("{page_address}{}", found.href);
            }
            Some(found)
        })
        .collect();
    parsed.to_html(&resolved)
}
