//! Markdown bodies, parsed once: a single pulldown-cmark pass collects the
//! headings (with Dutch-safe ids) and links for the resolver, and the HTML
//! (search reads its words from it), in which every spot that depends on the
//! resolver (a link's target, the text of a wiki link without a label) is
//! left as a gap. Rendering a page is then filling the gaps, not parsing
//! again; and no event list is kept per page.

use crate::slug::slugify;
use crate::urls::{UrlUse, refused_url, scheme_of};
use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use pulldown_cmark_escape::{escape_href, escape_html_body_text};
use std::collections::HashSet;
use std::ops::Range;
use std::sync::LazyLock;

mod inert_urls;
mod plain_text;
mod raw_html;
use inert_urls::InertUrls;
pub use inert_urls::{RefusedUrl, refused_urls_in_fragment};
use plain_text::{collapse_whitespace, html_words};
pub use raw_html::HtmlShownAsText;
use raw_html::RawHtml;

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
    /// `[text](../other.md#kop)`: relative to the page's source file, or
    /// from `content/` when it starts with `/`.
    MarkdownFile,
    /// `[text](#kop)`: a heading on the same page.
    SamePage,
    /// `![text](kaart.png)`: a file beside the page, by a path relative to
    /// the page's address; resolved to an address from the site's root,
    /// so that an old version (one folder deeper) shows it too.
    Image,
    /// `[text](verslag.pdf)`, `[text](../twents-waternet/)` or
    /// `[text](/regio/)`: a file beside the page, a page or an address twn
    /// makes, relative to the page's address as a browser reads it or to
    /// the site's root; resolved from the site's base, like an image.
    SiteAddress,
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
}

/// Where a link goes once resolved, and what it shows when the editor gave
/// no label.
#[derive(Debug, Clone)]
pub struct ResolvedLink {
    pub href: String,
    pub label: Option<String>,
}

/// Heading ids given so far on a page, and per base id the next suffix.
#[derive(Default)]
struct HeadingIds {
    taken: HashSet<String>,
    next: std::collections::HashMap<String, usize>,
}

/// The ids of footnotes (`[^1]`), which pulldown-cmark takes from their
/// names as written: `fn:` before them keeps them apart from headings'
/// ids, which have no colon; a Markdown field's footnotes also carry a
/// mark of the field's text, as several fields may be shown on one page.
struct FootnoteIds {
    prefix: String,
}

impl FootnoteIds {
    fn new(markdown: &str, body: bool) -> Self {
        let prefix = match body {
            true => "fn:".to_owned(),
            false => {
                // FNV-1a: the same text always gets the same mark.
                let mark = markdown.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
                    (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
                });
                format!("fn:{:06x}:", mark & 0xff_ffff)
            }
        };
        Self { prefix }
    }

    fn id<'e>(&self, name: &str) -> CowStr<'e> {
        CowStr::from(format!("{}{name}", self.prefix))
    }
}

#[derive(Debug, Clone, Default)]
pub struct ParsedBody {
    /// The HTML with the gaps left out; `gaps` says where they go.
    html: String,
    gaps: Vec<Gap>,
    /// A build dropped the HTML once the page was read: the page parses
    /// its file again when rendered (see `Page::body_html`).
    html_dropped: bool,
    pub headings: Vec<Heading>,
    pub links: Vec<LinkRef>,
    pub refused_urls: Vec<RefusedUrl>,
    /// HTML that the site does not allow, shown as text.
    pub html_shown_as_text: Option<HtmlShownAsText>,
    /// Where a comment opens that has no end, hiding the rest of the body.
    pub unclosed_comment: Option<usize>,
}

/// A spot in the HTML that the resolver's answer for link `link` fills.
#[derive(Debug, Clone)]
struct Gap {
    at: usize,
    link: usize,
    /// A wiki link's text rather than its target.
    label: bool,
    /// What the spot shows when the link is not resolved (an old version
    /// may link to a page that is gone): what the editor wrote.
    unresolved: String,
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

/// Marks a gap while pulldown-cmark writes the HTML. Letters and digits
/// only, so that escaping leaves it as it is; the random part keeps it from
/// ever matching what an editor wrote.
static GAP_MARK: LazyLock<String> = LazyLock::new(|| {
    use std::hash::BuildHasher;
    let random = std::collections::hash_map::RandomState::new().hash_one(0x0074_776e_u32);
    format!("twngap{random:016x}x")
});

pub fn parse(body: &str, allow_html: bool) -> ParsedBody {
    parse_with(body, allow_html, true, true)
}

/// What a build keeps of a body until it renders the page (its headings
/// and links), without writing the HTML it would drop: the render parses
/// the file again (see `Page::body_html`).
pub fn parse_without_html(body: &str, allow_html: bool) -> ParsedBody {
    parse_with(body, allow_html, true, false)
}

/// A Markdown front-matter value, parsed as a body is, wiki links
/// included; its headings get no ids, which could clash with the page's.
pub fn parse_fragment(markdown: &str, allow_html: bool) -> ParsedBody {
    parse_with(markdown, allow_html, false, true)
}

fn parse_with(body: &str, allow_html: bool, name_headings: bool, write_html: bool) -> ParsedBody {
    let mark: &str = &GAP_MARK;
    let mut parsed = ParsedBody::default();
    let mut events: Vec<Event> = Vec::with_capacity(body.len() / 16);
    let mut used_ids = HeadingIds::default();
    let footnotes = FootnoteIds::new(body, name_headings);
    let mut open_heading: Option<(usize, String)> = None;
    // The events of a wiki link's text, while inside one without a label.
    let mut label: Option<Vec<Event>> = None;
    let mut gaps: Vec<(usize, bool, String)> = Vec::new();
    let mut inert = InertUrls::default();
    let mut raw_html = RawHtml::default();
    for (event, range) in Parser::new_ext(body, options(true)).into_offset_iter() {
        let event = match allow_html {
            true => event,
            false => match raw_html.filter(event, &range, &mut parsed) {
                Some(event) => event,
                None => continue,
            },
        };
        let Some(event) = inert.filter(event, &range, &mut parsed) else {
            continue;
        };
        if let (Event::Text(text) | Event::Code(text), Some((_, heading_text))) =
            (&event, &mut open_heading)
        {
            heading_text.push_str(text);
        }
        if let Some(inner) = &mut label {
            if !matches!(event, Event::End(TagEnd::Link)) {
                inner.push(event);
                continue;
            }
            let mut unresolved = String::new();
            pulldown_cmark::html::push_html(&mut unresolved, inner.drain(..));
            gaps.push((parsed.links.len() - 1, true, unresolved));
            events.push(Event::Text(CowStr::Borrowed(mark)));
            label = None;
        }
        let event = match event {
            Event::FootnoteReference(name) => Event::FootnoteReference(footnotes.id(&name)),
            Event::Start(Tag::FootnoteDefinition(name)) => {
                Event::Start(Tag::FootnoteDefinition(footnotes.id(&name)))
            }
            Event::Start(Tag::Heading { .. }) => {
                open_heading = Some((events.len(), String::new()));
                event
            }
            Event::End(TagEnd::Heading(level)) if name_headings => {
                if let Some((start, text)) = open_heading.take() {
                    parsed.name_heading(&mut events[start], level, text, &mut used_ids);
                }
                event
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) if parsed.collect_link(link_type, &dest_url, range.clone()) => {
                let mut unresolved = String::new();
                // A wiki link names a page, not a URL: shown unresolved, it
                // may not become a script URL either.
                match refused_url(&dest_url, UrlUse::Link) {
                    None => {
                        let _ = escape_href(&mut unresolved, &dest_url);
                    }
                    Some(_) => unresolved.push('#'),
                }
                gaps.push((parsed.links.len() - 1, false, unresolved));
                if link_type == (LinkType::WikiLink { has_pothole: false }) {
                    label = Some(Vec::new());
                }
                Event::Start(Tag::Link {
                    link_type,
                    dest_url: CowStr::Borrowed(mark),
                    title,
                    id,
                })
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) if is_site_file(&dest_url) || is_from_site_root(&dest_url) => {
                let mut unresolved = String::new();
                let _ = escape_href(&mut unresolved, &dest_url);
                parsed.links.push(LinkRef {
                    kind: LinkKind::Image,
                    target: dest_url.trim().to_owned(),
                    fragment: None,
                    range,
                });
                gaps.push((parsed.links.len() - 1, false, unresolved));
                Event::Start(Tag::Image {
                    link_type,
                    dest_url: CowStr::Borrowed(mark),
                    title,
                    id,
                })
            }
            other => other,
        };
        events.push(event);
    }
    parsed.unclosed_comment = raw_html.unclosed_comment();
    if write_html {
        let mut marked = String::with_capacity(body.len() + body.len() / 4);
        pulldown_cmark::html::push_html(&mut marked, events.into_iter());
        parsed.take_gaps(&marked, gaps);
    } else {
        parsed.drop_html();
    }
    parsed
}

/// Whether a URL is a path from the site's root (`/regio/`), not one
/// to another host (`//example.org/`).
fn is_from_site_root(url: &str) -> bool {
    let url = url.trim();
    url.starts_with('/') && !url.starts_with("//")
}

/// Whether a URL names a file of the site relative to its page
/// (`kaart.png`, `../x/foto.jpg`), rather than a web address or a path
/// from the site's root.
fn is_site_file(url: &str) -> bool {
    let url = url.trim();
    !url.is_empty() && scheme_of(url).is_none() && !url.starts_with(['/', '#', '?'])
}

impl ParsedBody {
    fn name_heading(
        &mut self,
        start: &mut Event,
        level: HeadingLevel,
        text: String,
        used: &mut HeadingIds,
    ) {
        let Event::Start(Tag::Heading { id, .. }) = start else {
            return;
        };
        let base = match id {
            Some(given) => given.to_string(),
            None => match slugify(&text) {
                s if s.is_empty() => "kop".to_owned(),
                s => s,
            },
        };
        // The next number to try per base keeps a page of thousands of
        // equal headings linear.
        let mut n = *used.next.get(&base).unwrap_or(&1);
        let mut unique = base.clone();
        while !used.taken.insert(unique.clone()) {
            unique = format!("{base}-{n}");
            n += 1;
        }
        used.next.insert(base, n);
        *id = Some(CowStr::from(unique.clone()));
        self.headings.push(Heading {
            level: level as u8,
            text,
            id: unique,
        });
    }

    /// Whether the link is one the resolver must answer; if so, it is
    /// added to `links`.
    fn collect_link(&mut self, link_type: LinkType, dest: &str, range: Range<usize>) -> bool {
        let kind = match link_type {
            LinkType::WikiLink { has_pothole } => LinkKind::Wiki {
                has_label: has_pothole,
            },
            LinkType::Autolink | LinkType::Email => return false,
            _ if dest.starts_with('#') => LinkKind::SamePage,
            _ if is_relative_markdown_file(dest) => LinkKind::MarkdownFile,
            _ if is_site_file(dest) || is_from_site_root(dest) => LinkKind::SiteAddress,
            // The page itself (`()`, `(?q=1)`): named by its address, as a
            // field is shown on other pages too.
            _ if dest.trim().is_empty() || dest.trim_start().starts_with('?') => {
                LinkKind::SiteAddress
            }
            _ => return false,
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
        });
        true
    }

    /// Keeps the HTML without the gap marks, and where each was.
    fn take_gaps(&mut self, marked: &str, gaps: Vec<(usize, bool, String)>) {
        let mark: &str = &GAP_MARK;
        self.html.reserve(marked.len());
        let mut rest = 0;
        for (link, label, unresolved) in gaps {
            let found = rest + marked[rest..].find(mark).expect("every gap is marked");
            self.html.push_str(&marked[rest..found]);
            self.gaps.push(Gap {
                at: self.html.len(),
                link,
                label,
                unresolved,
            });
            rest = found + mark.len();
        }
        self.html.push_str(&marked[rest..]);
        self.html.shrink_to_fit();
    }

    /// Drops the HTML, keeping what the resolver needs (links, headings).
    pub fn drop_html(&mut self) {
        self.html = String::new();
        self.gaps = Vec::new();
        self.html_dropped = true;
    }

    pub fn html_dropped(&self) -> bool {
        self.html_dropped
    }

    pub fn has_heading(&self, id: &str) -> bool {
        self.headings.iter().any(|h| h.id == id)
    }

    /// The body as HTML; `resolved` holds the resolver's answer per link,
    /// in the order of `links`.
    pub fn to_html(&self, resolved: &[Option<ResolvedLink>]) -> String {
        let mut html = String::with_capacity(self.html.len() + self.gaps.len() * 48);
        let mut rest = 0;
        for gap in &self.gaps {
            html.push_str(&self.html[rest..gap.at]);
            rest = gap.at;
            let answer = resolved.get(gap.link).and_then(Option::as_ref);
            match (answer, gap.label) {
                (Some(link), false) => {
                    let _ = escape_href(&mut html, &link.href);
                }
                (
                    Some(ResolvedLink {
                        label: Some(label), ..
                    }),
                    true,
                ) => {
                    let _ = escape_html_body_text(&mut html, label);
                }
                _ => html.push_str(&gap.unresolved),
            }
        }
        html.push_str(&self.html[rest..]);
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

    /// The body's words, for search: read from the HTML when search asks
    /// for it, so that no page holds its text twice for a whole build. A
    /// wiki link counts with the words its editor wrote. Spaces stay as the
    /// HTML has them: search cuts its words itself.
    pub fn search_text(&self) -> String {
        html_words(&self.to_html(&[]))
    }

    /// The body as plain text, one space between words, for readers.
    pub fn plain_text(&self) -> String {
        collapse_whitespace(&self.search_text())
    }
}

/// A Markdown file named relative to the page's own file, or from
/// `content/` (`/regio/twents-waternet.md`).
fn is_relative_markdown_file(dest: &str) -> bool {
    let path = dest.split('#').next().unwrap_or_default();
    !dest.contains("://")
        && !dest.starts_with("//")
        && (path.ends_with(".md") || path.ends_with(".markdown"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_collapses_as_split_whitespace_would() {
        for text in [
            "",
            "   ",
            "een",
            " een  twee\tdrie\n\r\x0bvier\x0c",
            "ideeën\u{a0}coöperatie\u{2003}\u{3000}regio’s\u{85}eind ",
            "\u{2028}\u{2029}\u{202f}x\u{205f}y\u{1680}",
            "a\u{200b}b",
        ] {
            let expected = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(collapse_whitespace(text), expected, "{text:?}");
        }
    }

    #[test]
    fn plain_text_is_the_words_of_the_html_with_what_editors_wrote_for_links() {
        let body = parse(
            "# Kop\n\nTekst met *nadruk* &amp; [[Almelo]] en [[borne|Borne]].\n\n- een\n- twee\n\n| a | b |\n|---|---|\n| c | d |\n\n`x < y`\n",
            false,
        );
        assert_eq!(
            body.plain_text(),
            "Kop Tekst met nadruk & Almelo en Borne. een twee a b c d x < y"
        );
        // A footnote's number joins no word; an image's description counts.
        let body = parse(
            "De Zuiderzeewerken[^1] waren groot.\n\n![Kaart van Tubbergen](kaart.png)\n\n[^1]: Zie het rapport.\n",
            false,
        );
        let text = body.plain_text();
        assert!(
            text.starts_with("De Zuiderzeewerken waren groot. Kaart van Tubbergen"),
            "{text}"
        );
        let raw = parse(
            "<span title=\"pijl > vuurtoren\">in</span> <style>.kleur {}</style>caf&eacute; &#233;&#xE9;<script>var geheim;</script>",
            true,
        );
        assert_eq!(raw.plain_text(), "in café éé");
    }

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
    fn script_urls_never_become_links_or_images() {
        let body = "[a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c](vbscript:x) [d](data:text/html,x)\n\n<javascript:alert(1)> [e][r] ![f](javascript:alert(1)) [![g](javascript:x)](https://ok.nl) [h](https://ok.nl)\n\n[r]: javascript:alert(2)\n";
        let parsed = parse(body, false);
        let html = parsed.to_html(&[]);
        let lower = html.to_lowercase();
        for attribute in ["href=\"", "src=\""] {
            for scheme in ["javascript:", "vbscript:", "data:"] {
                assert!(!lower.contains(&format!("{attribute}{scheme}")), "{html}");
            }
        }
        assert_eq!(parsed.refused_urls.len(), 8, "{:?}", parsed.refused_urls);
        assert!(html.contains(r#"<a href="https://ok.nl">g</a>"#), "{html}");
        assert!(html.contains(r#"<a href="https://ok.nl">h</a>"#), "{html}");
        assert_eq!(
            &body[parsed.refused_urls[0].range.clone()],
            "[a](javascript:alert(1))"
        );
        let fragment = parse_fragment(
            "[x](javascript:alert(1)) ![y](data:image/png;base64,AA)",
            false,
        )
        .to_html(&[]);
        assert!(!fragment.contains("javascript"), "{fragment}");
        assert!(fragment.contains("data:image/png"), "{fragment}");
        assert_eq!(
            refused_urls_in_fragment("[x](javascript:alert(1))").len(),
            1
        );
    }

    #[test]
    fn an_unresolved_wiki_link_to_a_script_url_stays_inert() {
        let html = parse("[[javascript:alert(1)]]", false).to_html(&[]);
        assert!(!html.contains("javascript:alert(1)\""), "{html}");
    }

    #[test]
    fn footnote_ids_never_meet_heading_ids_or_another_fields() {
        let body = parse("## 1\n\nNoot[^1].\n\n[^1]: Uitleg.\n", false).to_html(&[]);
        assert!(body.contains(r##"id="1""##), "{body}");
        assert!(body.contains(r##"href="#fn:1""##), "{body}");
        assert!(body.contains(r##"id="fn:1""##), "{body}");
        let field = |text: &str| parse_fragment(text, false).to_html(&[]);
        let (a, b) = (field("A[^1]\n\n[^1]: a\n"), field("B[^1]\n\n[^1]: b\n"));
        let id = |html: &str| html.split("id=\"").nth(1).unwrap_or_default().to_owned();
        assert!(
            id(&a).starts_with("fn:") && id(&b).starts_with("fn:"),
            "{a} {b}"
        );
        assert_ne!(id(&a), id(&b));
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
