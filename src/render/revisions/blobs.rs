//! The texts of a page's revisions, read from git once each.

use crate::history::{History, Revision};
use crate::page::{FrontAndBodyStart, Page};
use gix::ObjectId;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// The blob a revision changed: the empty blob where it created the file.
pub(super) fn blob_before(revision: &Revision) -> ObjectId {
    revision
        .previous
        .unwrap_or_else(|| ObjectId::empty_blob(revision.blob.kind()))
}

/// A text's front matter as read, shared by the pages that show it.
pub(super) type ReadFront = Rc<Option<FrontAndBodyStart>>;

/// The texts of one page's revisions, each read from git once: the text a
/// revision made is also the text before the next one.
pub(super) struct Blobs<'r> {
    pub(super) repo: &'r gix::Repository,
    pub(super) config: &'r crate::config::SiteConfig,
    pub(super) page: &'r Page,
    pub(super) read: RefCell<HashMap<ObjectId, Rc<str>>>,
    /// Front matter by its own text, read once: a text is shown by its
    /// version and by the diffs on both sides of it, and most edits change
    /// only the body, so successive versions share their front matter.
    pub(super) fronts: RefCell<HashMap<Box<str>, ReadFront>>,
}

impl Blobs<'_> {
    pub(super) fn text(&self, blob: ObjectId) -> Rc<str> {
        self.read
            .borrow_mut()
            .entry(blob)
            .or_insert_with(|| {
                History::blob_text(self.repo, blob)
                    .unwrap_or_default()
                    .into()
            })
            .clone()
    }

    /// The front matter of a text of the page's file, as
    /// [`crate::page::old_front_matter`] reads it.
    pub(super) fn front(&self, blob: ObjectId) -> ReadFront {
        let text = self.text(blob);
        // What the front matter reads depends only on the text up to the
        // body; a text whose front matter is not closed is read whole.
        let front_text = crate::frontmatter::body_despite_front_matter(&text)
            .map_or(&text[..], |(_, body_start)| &text[..body_start]);
        if let Some(front) = self.fronts.borrow().get(front_text) {
            return front.clone();
        }
        // Most edits leave the front matter as it is now.
        let front = Rc::new(if self.page.has_front_matter_text(front_text) {
            Some((self.page.front.clone(), self.page.body_offset))
        } else {
            crate::page::old_front_matter(self.config, self.page, front_text)
        });
        self.fronts
            .borrow_mut()
            .insert(front_text.into(), front.clone());
        front
    }

    /// The page's text before and after a revision.
    pub(super) fn before_and_after(&self, revision: &Revision) -> (Rc<str>, Rc<str>) {
        let before = revision
            .previous
            .map_or_else(|| Rc::from(""), |blob| self.text(blob));
        (before, self.text(revision.blob))
    }
}
