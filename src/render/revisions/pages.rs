//! The three kinds of page a revision makes: a deleted page's notice, an
//! old version in the current theme, and a diff.

use super::old_images::{InlineImages, MISSING_IMAGE};
use super::{Blobs, PageJob, Subject, blob_before};
use crate::history::Revision;
use crate::render::context::{Showing, breadcrumbs, page_context_showing};
use crate::render::field_diff::{OldText, revision_diff};
use crate::resolve::{GonePage, resolve_old_link};
use crate::urls::{HISTORY_DIR, STATIC_DIR};
use serde_json::json;

impl PageJob<'_> {
    /// The page at a deleted page's address: when and by whom it was
    /// deleted, with its last version and its history.
    pub(super) fn render_gone_notice(
        &self,
        subject: &Subject,
        gone: &GonePage,
        summaries: &[tera::Value],
    ) -> Result<String, crate::diagnostics::Diagnostic> {
        let commit = &self.history.commits[gone.deletion.commit];
        let time = commit.time();
        let url = subject.url(self.site);
        let mut page = subject.summary.clone().into_map().unwrap_or_default();
        let breadcrumbs = breadcrumbs(self.site, subject.page.collection.as_deref());
        page.insert(
            "breadcrumbs".into(),
            tera::Value::from_serializable(&breadcrumbs),
        );
        page.insert("url".into(), url.as_str().into());
        let notice = json!({
            "date": commit.date().to_string(),
            "datetime": time.timestamp().to_string(),
            "author": commit.author,
            "message": commit.summary(),
            "history_url": format!("{url}{HISTORY_DIR}"),
        });
        // The version the deletion removed, which the notice links to.
        let last = gone
            .last_version()
            .and_then(|k| summaries.get(k))
            .cloned()
            .unwrap_or_else(tera::Value::none);
        self.renderer.render_value(
            "gone.html",
            tera::Value::from(page),
            &[
                ("gone", tera::Value::from_serializable(&notice)),
                ("last", last),
            ],
        )
    }

    /// The address of the theme's picture of a missing image, if it has
    /// one: a theme made before it keeps such an image as written.
    fn missing_image(&self) -> Option<String> {
        let theme = self.renderer.theme;
        theme
            .static_dir
            .join(MISSING_IMAGE)
            .is_file()
            .then(|| format!("{}{STATIC_DIR}{MISSING_IMAGE}", self.site.base_path))
    }

    pub(super) fn render_version(
        &self,
        blobs: &Blobs,
        subject: &Subject,
        revision: &Revision,
        mut version: tera::value::Map,
    ) -> Result<String, crate::diagnostics::Diagnostic> {
        let site = self.site;
        let current = subject.page;
        let old = crate::page::old_version_with_front(
            &site.config,
            current,
            &revision.path,
            blobs.text(revision.blob).to_string(),
            Option::clone(&blobs.front(revision.blob)),
        );
        let inline = InlineImages::new(&site.config, self.history, blobs.repo, revision, &old);
        let gone_images = |src: &str| inline.inline(src).or_else(|| self.missing_image());
        let links: Vec<_> = old
            .body
            .links
            .iter()
            .map(|link| resolve_old_link(site, &old, link, Some(&gone_images)))
            .collect();
        let date = self.history.commits[revision.commit].date();
        let shown_url = self.shown_url(subject);
        let page = page_context_showing(
            site,
            self.summaries,
            Showing::OldVersion {
                page: &old,
                date,
                url: shown_url.clone(),
                gone_images: &gone_images,
            },
            old.body_html(&links, site.config.allow_html),
        );
        version.insert("unreadable".into(), old.stand_in.into());
        version.insert("current_url".into(), shown_url.into());
        let history_url = format!("{}{HISTORY_DIR}", subject.url(site));
        version.insert("history_url".into(), history_url.into());
        let extra = [("version", tera::Value::from(version))];
        let template = self
            .renderer
            .theme
            .page_template(current.collection.as_deref());
        if template == "page.html" {
            return self.renderer.render_value(&template, page, &extra);
        }
        self.renderer
            .render_value(&template, page.clone(), &extra)
            // A theme's page template may expect fields an old version lacks.
            .or_else(|_| self.renderer.render_value("page.html", page, &extra))
    }

    pub(super) fn render_diff(
        &self,
        blobs: &Blobs,
        subject: &Subject,
        revision: &Revision,
        shown: tera::value::Map,
    ) -> Result<String, crate::diagnostics::Diagnostic> {
        let (old, new) = blobs.before_and_after(revision);
        let front_before = revision.previous.map(|blob| blobs.front(blob));
        let front_after = blobs.front(revision.blob);
        let (fields, diff, unreadable) = revision_diff(
            self.site,
            &self.field_words,
            subject.page,
            OldText {
                text: &old,
                front: front_before.as_deref().and_then(Option::as_ref),
            },
            OldText {
                text: &new,
                front: Option::as_ref(&front_after),
            },
        );
        self.cache.remember_line_stats(
            blob_before(revision),
            revision.blob,
            (diff.added, diff.removed),
        );
        // The table as it is, not copied through JSON: it is most of the page.
        let mut diff_value = tera::value::Map::default();
        diff_value.insert("added".into(), diff.added.into());
        diff_value.insert("removed".into(), diff.removed.into());
        diff_value.insert("table".into(), diff.table_html(&self.diff_words).into());
        let diff_value = tera::Value::from(diff_value);
        let diff_url = shown
            .get(&"diff_url".into())
            .and_then(|url| url.as_str())
            .map(str::to_owned);
        let page = self.subpage_context(subject, self.renderer.string("diff_title"), diff_url);
        self.renderer.render_value(
            "diff.html",
            page,
            &[
                ("revision", tera::Value::from(shown)),
                ("diff", diff_value),
                ("fields", tera::Value::from_serializable(&fields)),
                ("unreadable", tera::Value::from(unreadable)),
            ],
        )
    }
}
