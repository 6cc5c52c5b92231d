//! An image of an old version that the site no longer has. The version
//! shows it as its own commit had it, inline as a `data:` URL: a version's
//! page is kept in the cache and published whole, so it may need no file
//! besides it. An image git does not have as a picture a browser shows
//! inline (an SVG may hold a script), or one too large to repeat in every
//! version, is shown as the theme's picture of a missing image: no image
//! an old version's Markdown shows points at a file that is not there.

use crate::config::SiteConfig;
use crate::history::{FileAt, History, Revision};
use crate::page::{Page, is_editor_leftover};
use crate::resolve::old_image_paths;
use base64::Engine;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

/// Larger images are not inlined: each version that shows one repeats it.
const INLINE_AT_MOST: u64 = 256 * 1024;
/// What one version's page may hold inline in all, in bytes of `data:`
/// URLs: an image named a thousand times is not repeated a thousand times.
const INLINE_PER_VERSION: usize = 1024 * 1024;

/// The images one old version shows that the site no longer has, each
/// read from git once, inline while the version's budget lasts.
pub(super) struct InlineImages<'a> {
    config: &'a SiteConfig,
    history: &'a History,
    repo: &'a gix::Repository,
    revision: &'a Revision,
    old: &'a Page,
    left: Cell<usize>,
    read: RefCell<HashMap<String, Option<Rc<str>>>>,
}

impl<'a> InlineImages<'a> {
    pub(super) fn new(
        config: &'a SiteConfig,
        history: &'a History,
        repo: &'a gix::Repository,
        revision: &'a Revision,
        old: &'a Page,
    ) -> Self {
        InlineImages {
            config,
            history,
            repo,
            revision,
            old,
            left: Cell::new(INLINE_PER_VERSION),
            read: RefCell::default(),
        }
    }

    /// Image `src` inline, if git has it as a picture and the budget
    /// holds it.
    pub(super) fn inline(&self, src: &str) -> Option<String> {
        let data = self
            .read
            .borrow_mut()
            .entry(src.to_owned())
            .or_insert_with(|| {
                let paths = old_image_paths(self.config, self.old, &self.revision.path, src);
                gone_image(self.history, self.repo, self.revision.commit, &paths).map(Rc::from)
            })
            .clone()?;
        let left = self.left.get().checked_sub(data.len())?;
        self.left.set(left);
        Some(data.to_string())
    }
}

/// The theme's picture for an image that is gone, below its `static/`.
pub const MISSING_IMAGE: &str = "afbeelding-weg.svg";

/// The first of `paths` that commit `commit` had as a picture, inline:
/// `None` where git has no picture to show inline.
fn gone_image(
    history: &History,
    repo: &gix::Repository,
    commit: usize,
    paths: &[String],
) -> Option<String> {
    paths
        .iter()
        // What twn never publishes (hidden files, editors' leftovers) it
        // does not show from git either.
        .filter(|path| !path.split('/').any(is_editor_leftover))
        .find_map(
            |path| match history.file_at(repo, commit, path, INLINE_AT_MOST) {
                FileAt::Absent => None,
                FileAt::Larger => Some(None),
                FileAt::Bytes(bytes) => Some(data_url(&bytes)),
            },
        )
        .flatten()
}

/// `bytes` as a `data:` URL, if they are a picture of a kind that cannot
/// run a script.
fn data_url(bytes: &[u8]) -> Option<String> {
    let media_type = picture_type(bytes)?;
    let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
    Some(format!("data:{media_type};base64,{encoded}"))
}

/// The media type of a raster picture, read from its first bytes, never
/// from its name.
fn picture_type(bytes: &[u8]) -> Option<&'static str> {
    let at = |from: usize, wanted: &[u8]| bytes.get(from..from + wanted.len()) == Some(wanted);
    if at(0, b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if at(0, b"\xFF\xD8\xFF") {
        Some("image/jpeg")
    } else if at(0, b"GIF87a") || at(0, b"GIF89a") {
        Some("image/gif")
    } else if at(0, b"RIFF") && at(8, b"WEBP") {
        Some("image/webp")
    } else if at(4, b"ftypavif") {
        Some("image/avif")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_raster_pictures_are_inlined_by_their_bytes() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        assert_eq!(
            data_url(png).as_deref(),
            Some("data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==")
        );
        assert_eq!(picture_type(b"\xFF\xD8\xFF\xE0"), Some("image/jpeg"));
        assert_eq!(picture_type(b"GIF89a\x01\0"), Some("image/gif"));
        assert_eq!(picture_type(b"RIFF\0\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(picture_type(b"\0\0\0\x1cftypavif"), Some("image/avif"));
        for refused in [
            &b"<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>"[..],
            b"<html><script>alert(1)</script>",
            b"RIFF\0\0\0\0WAVE",
            b"\x89PN",
            b"",
        ] {
            assert_eq!(data_url(refused), None, "{refused:?}");
        }
    }
}
