//! Markdown bodies: parsed once into events, from which headings (with
//! Dutch-safe ids) and links are collected for the resolver; rendered to
//! HTML after the resolver has turned every wiki link into a URL.

use crate::slug::slugify;
use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use std::collections::{HashMap, HashSet};
use std::ops::Range;

#[derive(Debug, Clone)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    pub id: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkKind {
    /// `[[target]]` or `[[target|label]]`.
    Wiki { has_label: bool },
    /// `[text](../other.md#kop)`: relative to the page's source file.
    MarkdownFile,
    /// `[text](#kop)`: a heading on the same page.
    SamePage,
}

/// A link that the resolver must check and point somewhere.
#[derive(Debug, Clone)]
pub struct LinkRef {
    pub kind: LinkKind,
    /// The target without its fragment.
    pub target: String,
    pub fragment: Option<String>,
    /// Byte range in the body, for error positions.
    pub range: Range<usize>,
    event_index: usize,
}

/// Where a link goes once resolved, and what it shows when the editor gave
/// no label.
#[derive(Debug, Clone)]
pub struct ResolvedLink {
    pub href: String,
    pub label: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct ParsedBody {
    events: Vec<Event<'static>>,
    pub headings: Vec<Heading>,
    pub links: Vec<LinkRef>,
}

fn options(wiki_links: bool) -> Options {
    let mut options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    if wiki_links {
        options |= Options::ENABLE_WIKILINKS;
    }
    options
}

pub fn parse(body: &str, allow_html: bool) -> ParsedBody {
    let mut parsed = ParsedBody::default();
    let mut used_ids = HashSet::new();
    let mut open_heading: Option<(usize, String)> = None;
    for (event, range) in Parser::new_ext(body, options(true)).into_offset_iter() {
        let index = parsed.events.len();
        let event = match event {
            Event::Html(html) | Event::InlineHtml(html) if !allow_html => Event::Text(html),
            Event::Start(Tag::Heading { .. }) => {
                open_heading = Some((index, String::new()));
                event
            }
            Event::Text(ref text) | Event::Code(ref text) => {
                if let Some((_, heading_text)) = &mut open_heading {
                    heading_text.push_str(text);
                }
                event
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some((start, text)) = open_heading.take() {
                    parsed.name_heading(start, level, text, &mut used_ids);
                }
                event
            }
            Event::Start(Tag::Link {
                link_type,
                ref dest_url,
                ..
            }) => {
                parsed.collect_link(link_type, dest_url, range, index);
                event
            }
            other => other,
        };
        parsed.events.push(event.into_static());
    }
    parsed
}

impl ParsedBody {
    fn name_heading(
        &mut self,
        start: usize,
        level: HeadingLevel,
        text: String,
        used: &mut HashSet<String>,
    ) {
        let Event::Start(Tag::Heading { id, .. }) = &mut self.events[start] else {
            return;
        };
        let base = match id {
            Some(given) => given.to_string(),
            None => match slugify(&text) {
                s if s.is_empty() => "kop".to_owned(),
                s => s,
            },
        };
        let mut unique = base.clone();
        let mut n = 1;
        while !used.insert(unique.clone()) {
            unique = format!("{base}-{n}");
            n += 1;
        }
        *id = Some(CowStr::from(unique.clone()));
        self.headings.push(Heading {
            level: level as u8,
            text,
            id: unique,
        });
    }

    fn collect_link(&mut self, link_type: LinkType, dest: &str, range: Range<usize>, index: usize) {
        let kind = match link_type {
            LinkType::WikiLink { has_pothole } => LinkKind::Wiki {
                has_label: has_pothole,
            },
            LinkType::Autolink | LinkType::Email => return,
            _ if dest.starts_with('#') => LinkKind::SamePage,
            _ if is_relative_markdown_file(dest) => LinkKind::MarkdownFile,
            _ => return,
        };
        let (target, fragment) = match dest.split_once('#') {
            Some((t, f)) => (t.to_owned(), Some(f.to_owned())),
            None => (dest.to_owned(), None),
        };
        self.links.push(LinkRef {
            kind,
            target: target.trim().to_owned(),
            fragment,
            range,
            event_index: index,
        });
    }

    pub fn has_heading(&self, id: &str) -> bool {
        self.headings.iter().any(|h| h.id == id)
    }

    /// Renders the body; `resolved` holds the resolver's answer per link, in
    /// the order of `links`.
    pub fn to_html(&self, resolved: &[Option<ResolvedLink>]) -> String {
        let by_event: HashMap<usize, &ResolvedLink> = self
            .links
            .iter()
            .zip(resolved)
            .filter_map(|(link, r)| r.as_ref().map(|r| (link.event_index, r)))
            .collect();
        let mut events = Vec::with_capacity(self.events.len());
        let mut replacing_label = false;
        for (index, event) in self.events.iter().enumerate() {
            match (by_event.get(&index), event) {
                (
                    Some(link),
                    Event::Start(Tag::Link {
                        link_type,
                        title,
                        id,
                        ..
                    }),
                ) => {
                    events.push(Event::Start(Tag::Link {
                        link_type: *link_type,
                        dest_url: CowStr::from(link.href.as_str()),
                        title: title.clone(),
                        id: id.clone(),
                    }));
                    if let Some(label) = &link.label {
                        events.push(Event::Text(CowStr::from(label.as_str())));
                        replacing_label = true;
                    }
                }
                (_, Event::End(TagEnd::Link)) => {
                    replacing_label = false;
                    events.push(event.clone());
                }
                _ if replacing_label => {}
                _ => events.push(event.clone()),
            }
        }
        let mut html = String::with_capacity(self.events.len() * 16);
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        html
    }

    /// The table of contents: level 2 and 3 headings, on pages long enough
    /// to need one.
    pub fn table_of_contents(&self) -> Vec<&Heading> {
        let entries: Vec<&Heading> = self
            .headings
            .iter()
            .filter(|h| (2..=3).contains(&h.level))
            .collect();
        if entries.len() >= 3 {
            entries
        } else {
            Vec::new()
        }
    }

    /// Plain text of the body, for descriptions and search.
    pub fn plain_text(&self) -> String {
        let mut text = String::new();
        for event in &self.events {
            match event {
                Event::Text(t) | Event::Code(t) => text.push_str(t),
                Event::SoftBreak | Event::HardBreak if !text.ends_with(' ') => text.push(' '),
                // Inline ends (emphasis, links) sit inside words and sentences.
                Event::End(end) if !is_inline(end) && !text.ends_with(' ') => text.push(' '),
                _ => {}
            }
        }
        text.trim().to_owned()
    }
}

fn is_inline(end: &TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Link
            | TagEnd::Image
            | TagEnd::Superscript
            | TagEnd::Subscript
    )
}

fn is_relative_markdown_file(dest: &str) -> bool {
    let path = dest.split('#').next().unwrap_or_default();
    !dest.contains("://")
        && !dest.starts_with('/')
        && (path.ends_with(".md") || path.ends_with(".markdown"))
}

/// Renders a Markdown front-matter value (no wiki links there).
pub fn render_fragment(markdown: &str, allow_html: bool) -> String {
    let events = Parser::new_ext(markdown, options(false)).map(|event| match event {
        Event::Html(html) | Event::InlineHtml(html) if !allow_html => Event::Text(html),
        other => other,
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_get_dutch_safe_unique_ids() {
        let parsed = parse(
            "## Coöperatie\n\n## Coöperatie\n\n### Ĳssel en `Regge`\n",
            false,
        );
        let ids: Vec<&str> = parsed.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["cooperatie", "cooperatie-1", "ijssel-en-regge"]);
        assert!(parsed.to_html(&[]).contains(r#"<h2 id="cooperatie">"#));
    }

    #[test]
    fn wiki_links_and_markdown_file_links_are_collected_with_positions() {
        let body = "Zie [[Twents Waternet]] en [[regio/twents-waternet#visie|de visie]].\n\n[Almelo](../organisatie/almelo.md) en [boven](#top) en [extern](https://x.nl).\n";
        let parsed = parse(body, false);
        let found: Vec<(&LinkKind, &str, Option<&str>)> = parsed
            .links
            .iter()
            .map(|l| (&l.kind, l.target.as_str(), l.fragment.as_deref()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    &LinkKind::Wiki { has_label: false },
                    "Twents Waternet",
                    None
                ),
                (
                    &LinkKind::Wiki { has_label: true },
                    "regio/twents-waternet",
                    Some("visie")
                ),
                (&LinkKind::MarkdownFile, "../organisatie/almelo.md", None),
                (&LinkKind::SamePage, "", Some("top")),
            ]
        );
        assert_eq!(&body[parsed.links[0].range.clone()], "[[Twents Waternet]]");
    }

    #[test]
    fn resolved_links_get_their_href_and_unlabelled_wiki_links_the_title() {
        let parsed = parse("[[twents-waternet]] en [[almelo|de stad]]", false);
        let html = parsed.to_html(&[
            Some(ResolvedLink {
                href: "/regio/twents-waternet/".into(),
                label: Some("Twents Waternet".into()),
            }),
            Some(ResolvedLink {
                href: "/organisatie/almelo/".into(),
                label: None,
            }),
        ]);
        assert!(
            html.contains(r#"<a href="/regio/twents-waternet/">Twents Waternet</a>"#),
            "{html}"
        );
        assert!(
            html.contains(r#"<a href="/organisatie/almelo/">de stad</a>"#),
            "{html}"
        );
    }

    #[test]
    fn raw_html_is_escaped_unless_allowed() {
        let body = "<script>alert(1)</script>\n\nTekst <b>vet</b>\n";
        assert!(!parse(body, false).to_html(&[]).contains("<script>"));
        assert!(parse(body, false).to_html(&[]).contains("&lt;b&gt;"));
        assert!(parse(body, true).to_html(&[]).contains("<b>vet</b>"));
    }

    #[test]
    fn tables_footnotes_strikethrough_and_task_lists_render() {
        let html = parse("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~weg~~ en noot[^1]\n\n[^1]: Uitleg.\n\n- [x] klaar\n", false).to_html(&[]);
        for expected in [
            "<table>",
            "<del>weg</del>",
            "footnote-definition",
            "checkbox",
        ] {
            assert!(html.contains(expected), "{expected} in {html}");
        }
    }
}
