//! HTML in Markdown when the site does not allow it (`allow_html: false`):
//! a comment is left out, as every browser hides it and editors use it
//! for notes not meant for readers; any other HTML is shown as the text
//! it is, and the first place is noted for a warning.

use super::ParsedBody;
use pulldown_cmark::{CowStr, Event, Tag};
use std::ops::Range;

/// Where a body has HTML that is shown as text.
#[derive(Debug, Clone)]
pub struct HtmlShownAsText {
    /// The first piece, in the body.
    pub first: Range<usize>,
    /// In how many places: a block of HTML is one, each tag in a line of
    /// text another.
    pub count: usize,
}

#[derive(Default)]
pub(super) struct RawHtml {
    /// Inside a comment that goes on past the event that opened it, opened
    /// in the event that starts at this byte of the body.
    open_comment: Option<usize>,
    /// A block of HTML began and none of its lines was shown yet.
    block_begun: bool,
}

impl RawHtml {
    /// The event as it is shown, or `None` for one wholly inside a comment.
    pub(super) fn filter<'e>(
        &mut self,
        event: Event<'e>,
        range: &Range<usize>,
        parsed: &mut ParsedBody,
    ) -> Option<Event<'e>> {
        let (new_place, html) = match event {
            Event::Start(Tag::HtmlBlock) => {
                self.block_begun = true;
                return Some(event);
            }
            Event::Html(html) => (std::mem::take(&mut self.block_begun), html),
            Event::InlineHtml(html) => (true, html),
            other => return Some(other),
        };
        let shown = self.without_comments(&html, range.start);
        let text = shown.as_deref().unwrap_or(&html);
        if text.trim().is_empty() {
            self.block_begun |= new_place;
            return None;
        }
        match &mut parsed.html_shown_as_text {
            Some(noted) => noted.count += usize::from(new_place),
            None => {
                parsed.html_shown_as_text = Some(HtmlShownAsText {
                    first: range.clone(),
                    count: 1,
                })
            }
        }
        Some(Event::Text(match shown {
            Some(shown) => CowStr::from(shown),
            None => html,
        }))
    }

    /// The HTML without its comments, or `None` when it has none.
    fn without_comments(&mut self, html: &str, at: usize) -> Option<String> {
        if self.open_comment.is_none() && !html.contains("<!--") {
            return None;
        }
        let mut shown = String::new();
        let mut rest = html;
        loop {
            if self.open_comment.is_some() {
                match rest.find("-->") {
                    Some(end) => {
                        rest = &rest[end + 3..];
                        self.open_comment = None;
                    }
                    None => return Some(shown),
                }
            }
            match rest.find("<!--") {
                Some(start) => {
                    shown.push_str(&rest[..start]);
                    rest = &rest[start + 4..];
                    self.open_comment = Some(at);
                }
                None => {
                    shown.push_str(rest);
                    return Some(shown);
                }
            }
        }
    }

    /// Where a comment opens that hides the rest of the body, if one does.
    pub(super) fn unclosed_comment(&self) -> Option<usize> {
        self.open_comment
    }
}

#[cfg(test)]
mod tests {
    use crate::markdown::parse;

    fn html(body: &str) -> String {
        parse(body, false).to_html(&[])
    }

    #[test]
    fn a_comment_is_left_out_and_other_html_is_shown_as_text() {
        assert_eq!(html("Voor <!-- notitie --> na.\n"), "<p>Voor  na.</p>\n");
        assert_eq!(
            html("<!-- een\nnotitie\nover regels -->\n\nTekst.\n"),
            "<p>Tekst.</p>\n"
        );
        let unclosed = parse("Tekst.\n\n<!-- vergeten\n\nRest.\n", false);
        assert_eq!(unclosed.unclosed_comment, Some(8));
        assert_eq!(unclosed.to_html(&[]), "<p>Tekst.</p>\n");
        let parsed = parse("Tekst.\n\n<div>\nblok\n</div>\n\nEn <b>vet</b>.\n", false);
        let noted = parsed.html_shown_as_text.as_ref().expect("noted");
        assert_eq!(noted.first, 8..14, "the first line of the block");
        assert_eq!(noted.count, 3, "the block, and each tag in the text");
        assert!(parsed.to_html(&[]).contains("&lt;b&gt;vet&lt;/b&gt;"));
    }

    #[test]
    fn html_is_not_noted_where_it_is_allowed() {
        let parsed = parse("<!-- notitie -->\n\n<b>vet</b>\n", true);
        assert!(parsed.html_shown_as_text.is_none());
        assert!(parsed.to_html(&[]).contains("<!-- notitie -->"));
    }
}
