//! Recent changes across the wiki: `/recente-wijzigingen/`, grouped by day,
//! and the same changes as an Atom feed.

use super::revisions::{DIFF_DIR, HISTORY_DIR};
use super::xml_escape as escape;
use crate::resolve::Site;
use serde_json::{Value, json};
use std::fmt::Write as _;

pub const RECENT_DIR: &str = "recente-wijzigingen/";
pub const FEED_FILE: &str = "atom.xml";
/// As many as a reader scans; older changes are in each page's history.
const RECENT_LIMIT: usize = 100;

/// One change to one page.
pub struct Change<'a> {
    pub page: usize,
    pub commit: &'a crate::history::CommitMeta,
    pub short: String,
    pub created: bool,
}

/// The latest changes, newest first.
pub fn recent_changes(site: &Site) -> Vec<Change<'_>> {
    let Some(history) = &site.history else {
        return Vec::new();
    };
    let mut changes: Vec<(usize, usize, bool)> = (0..site.pages.len())
        .flat_map(|page| {
            site.revisions(page)
                .iter()
                .map(move |r| (r.commit, page, r.previous.is_none()))
        })
        .collect();
    changes.sort_by_key(|&(commit, page, _)| (commit, site.pages[page].front.title.to_lowercase()));
    changes
        .into_iter()
        .take(RECENT_LIMIT)
        .map(|(commit, page, created)| Change {
            page,
            commit: &history.commits[commit],
            short: history.short_id(commit),
            created,
        })
        .collect()
}

/// The changes grouped by the day they were made, for `recent.html`.
pub fn days_context(site: &Site, changes: &[Change]) -> Value {
    let mut days: Vec<(String, Vec<Value>)> = Vec::new();
    for change in changes {
        let time = change.commit.time();
        let date = time.date().to_string();
        let page_url = site.url(change.page);
        let item = json!({
            "title": site.pages[change.page].front.title,
            "url": page_url,
            "time": format!("{:02}:{:02}", time.hour(), time.minute()),
            "datetime": time.timestamp().to_string(),
            "author": change.commit.author,
            "message": change.commit.summary(),
            "created": change.created,
            "diff_url": format!("{page_url}{DIFF_DIR}{}/", change.short),
            "history_url": format!("{page_url}{HISTORY_DIR}"),
        });
        match days.last_mut() {
            Some((day, items)) if *day == date => items.push(item),
            _ => days.push((date, vec![item])),
        }
    }
    Value::Array(
        days.into_iter()
            .map(|(date, changes)| json!({"date": date, "changes": changes}))
            .collect(),
    )
}

/// The Atom feed (RFC 4287). Ids must be absolute: the page URLs where the
/// site has an absolute `base_url`, else `tag:` URIs.
pub fn atom_feed(site: &Site, changes: &[Change], title: &str) -> String {
    let origin = site.config.origin_and_base();
    let absolute = origin.starts_with("http://") || origin.starts_with("https://");
    let href = |path: &str| {
        if absolute {
            format!("{origin}/{path}")
        } else {
            format!("{}{path}", site.base_path)
        }
    };
    let id = |path: &str, year: i16| {
        if absolute {
            format!("{origin}/{path}")
        } else {
            format!("tag:twn.invalid,{year}:/{path}")
        }
    };
    let updated = changes
        .first()
        .map(|c| c.commit.time().timestamp().to_string())
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    let feed_path = format!("{RECENT_DIR}{FEED_FILE}");
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"",
    );
    let _ = writeln!(xml, " xml:lang=\"{}\">", escape(&site.config.language));
    let _ = writeln!(xml, "  <title>{}</title>", escape(title));
    let _ = writeln!(xml, "  <id>{}</id>", escape(&id(&feed_path, 2017)));
    let _ = writeln!(xml, "  <updated>{updated}</updated>");
    let _ = writeln!(
        xml,
        "  <link rel=\"self\" href=\"{}\"/>",
        escape(&href(&feed_path))
    );
    let _ = writeln!(
        xml,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        escape(&href(RECENT_DIR))
    );
    let _ = writeln!(
        xml,
        "  <author><name>{}</name></author>",
        escape(&site.config.title)
    );
    let _ = writeln!(xml, "  <generator>twn</generator>");
    for change in changes {
        let page = &site.pages[change.page];
        let diff_path = format!("{}{DIFF_DIR}{}/", page.url_path, change.short);
        let time = change.commit.time();
        let stamp = time.timestamp().to_string();
        xml.push_str("  <entry>\n");
        let _ = writeln!(
            xml,
            "    <title>{}: {}</title>",
            escape(&page.front.title),
            escape(change.commit.summary())
        );
        let _ = writeln!(xml, "    <id>{}</id>", escape(&id(&diff_path, time.year())));
        let _ = writeln!(xml, "    <updated>{stamp}</updated>");
        let _ = writeln!(
            xml,
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            escape(&href(&diff_path))
        );
        let _ = writeln!(
            xml,
            "    <author><name>{}</name></author>",
            escape(&change.commit.author)
        );
        let _ = writeln!(
            xml,
            "    <summary>{}</summary>",
            escape(&change.commit.message)
        );
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}
