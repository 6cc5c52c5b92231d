//! Recent changes across the wiki: `/recente-wijzigingen/`, grouped by day,
//! and the same changes as an Atom feed.

use super::context::object;
use crate::history::Revision;
use crate::page::Page;
use crate::resolve::Site;
use crate::text::xml_escape as escape;
use crate::urls::{DIFF_DIR, FEED_FILE, HISTORY_DIR, RECENT_DIR};
use std::borrow::Cow;
use std::fmt::Write as _;

/// As many as a reader scans; older changes are in each page's history.
const RECENT_LIMIT: usize = 100;

/// One change to one page.
pub struct Change<'a> {
    pub title: &'a str,
    /// The page's address below the base.
    pub url_path: &'a str,
    pub commit: &'a crate::history::CommitMeta,
    pub short: String,
    pub created: bool,
    pub cut_off: bool,
    /// The commit deleted the page.
    pub deleted: bool,
    /// Where the page is shown, below the base: its address, or for a
    /// deleted page [`crate::resolve::GonePage::shown_path`].
    pub shown_path: Cow<'a, str>,
    /// The change has a diff page (see [`Site::revisions_with_pages`]).
    pub has_diff: bool,
}

impl Change<'_> {
    /// The address of the change's diff, which names it even where the
    /// site publishes no page for it.
    pub fn diff_path(&self) -> String {
        format!("{}{DIFF_DIR}{}/", self.url_path, self.short)
    }

    /// Where the change is shown: its diff, or the page's history.
    pub fn shown_at(&self) -> String {
        if self.has_diff {
            self.diff_path()
        } else {
            format!("{}{HISTORY_DIR}", self.url_path)
        }
    }
}

/// The latest changes, newest first by the date readers see, deleted
/// pages and their deletions included.
pub fn recent_changes(site: &Site) -> Vec<Change<'_>> {
    let mut changes = all_changes(site);
    changes.truncate(RECENT_LIMIT);
    changes
}

/// Every change to every page, newest first.
pub fn all_changes(site: &Site) -> Vec<Change<'_>> {
    let Some(history) = &site.history else {
        return Vec::new();
    };
    let current = site.pages.enumerate().map(|(i, page)| {
        let shown = site.head_revision(i);
        (page, site.revisions(i), Cow::from(&page.url_path), shown)
    });
    let gone = site.gone.iter().map(|g| {
        let shown = g.last_version();
        (
            &g.page,
            g.revisions.as_slice(),
            Cow::from(g.shown_path()),
            shown,
        )
    });
    let mut changes: Vec<(&Page, &Revision, Cow<str>, bool)> = Vec::new();
    // A file that took the place of a page that moved on (a stub) lists
    // the page's life before the move as its path's past, as `git log
    // --follow` does; here each of those changes is the moved page's,
    // and is counted once.
    let mut inherited: Vec<(&Page, &Revision, Cow<str>, bool)> = Vec::new();
    for (page, revisions, shown_path, shown) in current.chain(gone) {
        let with_pages = site.revisions_with_pages(revisions, shown);
        let moved_away = revisions
            .iter()
            .filter(|r| r.moved_to.is_some())
            .map(|r| r.order)
            .min();
        for (revision, pages) in revisions.iter().zip(with_pages) {
            let change = (page, revision, shown_path.clone(), pages);
            if moved_away.is_some_and(|moved| revision.order > moved) {
                inherited.push(change);
            } else {
                changes.push(change);
            }
        }
    }
    let own: std::collections::HashSet<(usize, &str)> = changes
        .iter()
        .map(|(_, r, _, _)| (r.commit, r.path.as_str()))
        .collect();
    changes.extend(
        inherited
            .into_iter()
            .filter(|(_, r, _, _)| !own.contains(&(r.commit, r.path.as_str()))),
    );
    changes.sort_by_cached_key(|(page, revision, _, _)| {
        let commit = &history.commits[revision.commit];
        (
            std::cmp::Reverse(commit.seconds),
            revision.commit,
            page.front.title.to_lowercase(),
        )
    });
    changes
        .into_iter()
        .map(|(page, revision, shown_path, has_diff)| Change {
            title: &page.front.title,
            url_path: &page.url_path,
            commit: &history.commits[revision.commit],
            short: history.short_id(revision.commit),
            created: revision.previous.is_none() && !revision.cut_off,
            cut_off: revision.cut_off,
            deleted: revision.deleted,
            shown_path,
            has_diff,
        })
        .collect()
}

/// The changes grouped by the day they were made, for `recent.html` and
/// `author.html`. Made as Tera values: an author's page can list tens of
/// thousands of changes.
pub fn days_context<'c, 'a: 'c>(
    site: &Site,
    changes: impl IntoIterator<Item = &'c Change<'a>>,
) -> tera::Value {
    let mut days: Vec<(String, Vec<tera::Value>)> = Vec::new();
    for change in changes {
        let time = change.commit.time();
        let date = time.date().to_string();
        let page_url = format!("{}{}", site.base_path, change.shown_path);
        let history_url = format!("{}{}{HISTORY_DIR}", site.base_path, change.url_path);
        let author_path = crate::urls::author_path(&change.commit.author);
        let item = object([
            ("title", change.title.into()),
            ("history_url", history_url.into()),
            ("url", page_url.into()),
            (
                "time",
                format!("{:02}:{:02}", time.hour(), time.minute()).into(),
            ),
            ("datetime", time.timestamp().to_string().into()),
            ("author", change.commit.author.as_str().into()),
            (
                "author_url",
                format!("{}{author_path}", site.base_path).into(),
            ),
            ("message", change.commit.summary().into()),
            ("created", change.created.into()),
            ("cut_off", change.cut_off.into()),
            ("deleted", change.deleted.into()),
            // Themes made when a deletion had no diff of its own ask.
            ("at_notice", false.into()),
            // A change without a page for its diff leads to the page's
            // history, in themes made before some had none.
            ("pages", change.has_diff.into()),
            (
                "diff_url",
                format!("{}{}", site.base_path, change.shown_at()).into(),
            ),
        ]);
        match days.last_mut() {
            Some((day, items)) if *day == date => items.push(item),
            _ => days.push((date, vec![item])),
        }
    }
    // Changes are in order of time, days in the local time of each commit:
    // with commits from different time zones a day can come back, and
    // needs another anchor.
    let mut anchors = std::collections::HashSet::new();
    days.into_iter()
        .map(|(date, changes)| {
            let anchor = (1..)
                .map(|n| match n {
                    1 => date.clone(),
                    n => format!("{date}-{n}"),
                })
                .find(|anchor| anchors.insert(anchor.clone()))
                .unwrap_or_default();
            object([
                ("date", date.into()),
                ("anchor", anchor.into()),
                ("changes", changes.into()),
            ])
        })
        .collect::<Vec<_>>()
        .into()
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
        let diff_path = change.diff_path();
        let time = change.commit.time();
        let stamp = time.timestamp().to_string();
        xml.push_str("  <entry>\n");
        let _ = writeln!(
            xml,
            "    <title>{}: {}</title>",
            escape(change.title),
            escape(change.commit.summary())
        );
        let _ = writeln!(xml, "    <id>{}</id>", escape(&id(&diff_path, time.year())));
        let _ = writeln!(xml, "    <updated>{stamp}</updated>");
        let _ = writeln!(
            xml,
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            escape(&href(&change.shown_at()))
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
