//! Links and images whose URL may not reach a page (a `javascript:` link,
//! say) are taken out of the event stream as the body is parsed, keeping
//! their text: the HTML never holds them, whatever a later stage does.

use super::{ParsedBody, options};
use crate::urls::{Refused, UrlUse, refused_url};
use pulldown_cmark::{Event, LinkType, Parser, Tag, TagEnd};
use std::ops::Range;

/// A link or image URL that may not reach a page; the HTML has its text
/// without the link (or the image's description without the image).
#[derive(Debug, Clone)]
pub struct RefusedUrl {
    pub refused: Refused,
    /// Byte range in the body, for error positions.
    pub range: Range<usize>,
}

/// Takes links and images whose URL may not reach a page out of the event
/// stream, keeping their text, and notes where they were. Links do not
/// nest, but images do (in a link, or in another image's description),
/// so each kind keeps a stack of which open ones were taken out.
#[derive(Default)]
pub(super) struct InertUrls {
    links: Vec<bool>,
    images: Vec<bool>,
}

impl InertUrls {
    pub(super) fn filter<'e>(
        &mut self,
        event: Event<'e>,
        range: &Range<usize>,
        parsed: &mut ParsedBody,
    ) -> Option<Event<'e>> {
        let (refused, open) = match &event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => {
                let refused = match link_type {
                    LinkType::WikiLink { .. } | LinkType::Email => None,
                    _ => refused_url(dest_url, UrlUse::Link),
                };
                (refused, &mut self.links)
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                (refused_url(dest_url, UrlUse::Image), &mut self.images)
            }
            // The end of a refused link or image goes with its start.
            Event::End(TagEnd::Link) => return (self.links.pop() != Some(true)).then_some(event),
            Event::End(TagEnd::Image) => {
                return (self.images.pop() != Some(true)).then_some(event);
            }
            _ => return Some(event),
        };
        open.push(refused.is_some());
        match refused {
            Some(refused) => {
                parsed.refused_urls.push(RefusedUrl {
                    refused,
                    range: range.clone(),
                });
                None
            }
            None => Some(event),
        }
    }
}

/// The link and image URLs of a Markdown front-matter value that may not
/// reach a page, each with its byte range in `markdown`.
pub fn refused_urls_in_fragment(markdown: &str) -> Vec<RefusedUrl> {
    let mut inert = InertUrls::default();
    let mut parsed = ParsedBody::default();
    for (event, range) in Parser::new_ext(markdown, options(false)).into_offset_iter() {
        inert.filter(event, &range, &mut parsed);
    }
    parsed.refused_urls
}
