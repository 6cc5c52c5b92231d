//! Links and references, one by one: a wiki link, a Markdown file link or
//! a front-matter reference looked up in the site's index, with the error
//! an editor gets when it names nothing (or a draft, or a missing heading).

use super::{BackRef, Lookup, RelativeTarget, Site};
use crate::diagnostics::{Diagnostic, Position};
use crate::ids::PageId;
use crate::markdown::{Heading, LinkKind, LinkRef, ResolvedLink};
use crate::page::Page;
use crate::schema::FieldValue;
use crate::slug::slugify;
use crate::suggest::closest;

pub(super) fn link_error(
    page: &Page,
    range: &std::ops::Range<usize>,
    message: String,
    help: String,
) -> Diagnostic {
    let text = &page.source_text();
    let start = page.body_offset + range.start;
    let shown = text[start..page.body_offset + range.end]
        .lines()
        .next()
        .unwrap_or_default();
    Diagnostic::error(&page.source.display_path, message)
        .at(text, Position::of_offset(text, start))
        .marker(shown.chars().count())
        .help(help)
}

/// What is wrong with a link and how to fix it.
pub(super) type LinkProblem = (String, String);

/// For an old version: where an image that the site no longer has leads,
/// by its `src`.
pub type GoneImages<'a> = &'a dyn Fn(&str) -> Option<String>;

/// A link as an old version `old` has it, against the current site: to
/// the page if it still exists (its heading if that does too), to the
/// notice of a deleted page, or else to a search for what the link named,
/// so that no old link leads nowhere. An image the site no longer has goes
/// where `gone_images` says. `None` for a heading of the old text that it
/// lacks, or an image with nowhere to go, shown as written.
pub fn resolve_old_link(
    site: &Site,
    old: &Page,
    link: &LinkRef,
    gone_images: Option<GoneImages>,
) -> Option<ResolvedLink> {
    let found = match link.kind {
        LinkKind::SamePage => return heading_of_old(old, link),
        LinkKind::Wiki { .. } if link.target.is_empty() => return heading_of_old(old, link),
        LinkKind::Image => {
            let href = site
                .find_image(old, &link.target)
                .ok()
                .or_else(|| gone_images?(&link.target))?;
            return Some(ResolvedLink { href, label: None });
        }
        LinkKind::SiteAddress => match site.relative_target(old, &link.target) {
            Ok(RelativeTarget::File(href)) => {
                let href = with_fragment(href, link);
                return Some(ResolvedLink { href, label: None });
            }
            Ok(RelativeTarget::Page(i)) => Some(i),
            Err(()) => None,
        },
        LinkKind::Wiki { .. } => match site.index.find(&link.target) {
            Lookup::Found(i) => Some(i),
            _ => None,
        },
        LinkKind::MarkdownFile => {
            markdown_file_sources(old, link).find_map(|source| site.index.page_of_source(&source))
        }
    };
    let mut resolved = link_to(site, found, link);
    if found.is_some() {
        resolved.href = with_query(resolved.href, link);
    }
    Some(resolved)
}

/// A link to a heading of an old version itself, `None` where it lacks it.
fn heading_of_old(old: &Page, link: &LinkRef) -> Option<ResolvedLink> {
    let labelled = matches!(link.kind, LinkKind::Wiki { has_label: false });
    Some(match fragment_on(old, link.fragment.as_deref()?)? {
        Fragment::Heading(heading) => ResolvedLink {
            href: format!("#{}", heading.id),
            label: labelled.then(|| heading.text.clone()),
        },
        Fragment::Top(id) => ResolvedLink {
            href: format!("#{id}"),
            label: None,
        },
    })
}

/// Where a fragment leads on a page.
enum Fragment<'a> {
    Heading(&'a Heading),
    /// `#` or `#top`, as written: the top of the page.
    Top(&'a str),
}

/// The heading of `page` that `fragment` names (by its id, or as a
/// heading's text would be made an id), else the top of the page for `#`
/// and `#top`, as HTML defines them; `None` where it leads nowhere.
fn fragment_on<'a>(page: &'a Page, fragment: &'a str) -> Option<Fragment<'a>> {
    let wanted = slugify(fragment);
    let heading = page
        .body
        .headings
        .iter()
        .find(|h| h.id == fragment || h.id == wanted);
    match heading {
        Some(heading) => Some(Fragment::Heading(heading)),
        None if names_top_of_page(fragment) => Some(Fragment::Top(fragment)),
        None => None,
    }
}

/// A link to page `found` (its heading if it has the one asked for), or,
/// when there is none, to the notice of a deleted page of that name or a
/// search for it.
fn link_to(site: &Site, found: Option<PageId>, link: &LinkRef) -> ResolvedLink {
    let labelled = matches!(link.kind, LinkKind::Wiki { has_label: false });
    if let Some(i) = found {
        let target = &site.pages[i];
        let fragment = link
            .fragment
            .as_deref()
            .and_then(|f| fragment_on(target, f));
        let href = match &fragment {
            Some(Fragment::Heading(h)) => format!("{}#{}", site.url(i), h.id),
            Some(Fragment::Top(top)) => format!("{}#{top}", site.url(i)),
            None => site.url(i),
        };
        let label = labelled.then(|| match &fragment {
            Some(Fragment::Heading(h)) => format!("{} › {}", target.front.title, h.text),
            _ => target.front.title.clone(),
        });
        return ResolvedLink { href, label };
    }
    let wanted = slugify(
        link.target
            .trim_end_matches(".md")
            .rsplit('/')
            .next()
            .unwrap_or_default(),
    );
    let gone = site
        .gone_by_name
        .get(&wanted)
        .or_else(|| site.gone_by_name.get(&link.target.trim().to_lowercase()))
        .map(|&g| &site.gone[g]);
    let label = labelled.then(|| link.target.clone());
    match gone {
        Some(gone) => ResolvedLink {
            href: format!("{}{}", site.base_path, gone.page.url_path),
            label: labelled.then(|| gone.page.front.title.clone()),
        },
        None => ResolvedLink {
            href: format!(
                "{}{}?q={}",
                site.base_path,
                crate::urls::SEARCH_DIR,
                crate::urls::encode_path(link.target.trim()).replace('/', "%2F")
            ),
            label,
        },
    }
}

pub(crate) fn resolve_link(
    site: &Site,
    from: PageId,
    link: &LinkRef,
) -> Result<(PageId, ResolvedLink), LinkProblem> {
    let page = &site.pages[from];
    let target = match link.kind {
        LinkKind::Image => {
            let href = site.find_image(page, &link.target)?;
            return Ok((from, ResolvedLink { href, label: None }));
        }
        LinkKind::SamePage => from,
        LinkKind::SiteAddress => match site.relative_target(page, &link.target) {
            Ok(RelativeTarget::File(href)) => {
                let href = with_fragment(href, link);
                return Ok((from, ResolvedLink { href, label: None }));
            }
            Ok(RelativeTarget::Page(i)) => i,
            Err(()) => {
                let message = format!(
                    "link naar een adres dat niet bestaat: `{}` ({})",
                    link.target,
                    site.looked_for(page, &link.target)
                );
                return Err((message, missing_address_help(site, page, &link.target)));
            }
        },
        // `[[#kop]]`: a heading of the page itself, as in MediaWiki.
        LinkKind::Wiki { .. } if link.target.is_empty() && link.fragment.is_some() => from,
        LinkKind::Wiki { .. } => match site.index.find(&link.target) {
            Lookup::Found(i) => i,
            Lookup::Missing if site.index.draft_named(&link.target).is_some() => {
                let file = site.index.draft_named(&link.target).unwrap_or_default();
                return Err(draft_problem(&format!("[[{}]]", link.target), file));
            }
            Lookup::Missing => {
                let candidates = site
                    .pages
                    .iter()
                    .flat_map(|p| [p.front.title.as_str(), p.url_path.trim_end_matches('/')]);
                let help = match closest(&link.target, candidates) {
                    Some(s) => format!("bedoelt u [[{s}]]? Een wikilink noemt de titel, de slug of het pad (zoals `regio/twents-waternet`) van een pagina"),
                    None => "een wikilink noemt de titel, de slug of het pad (zoals `regio/twents-waternet`) van een bestaande pagina; maak de pagina aan met `twn new` of pas de link aan".into(),
                };
                return Err((
                    format!(
                        "wikilink naar een pagina die niet bestaat: [[{}]]",
                        link.target
                    ),
                    help,
                ));
            }
            Lookup::Ambiguous(options) => {
                let paths: Vec<String> = options
                    .iter()
                    .map(|&i| format!("[[{}]]", site.pages[i].url_path.trim_end_matches('/')))
                    .collect();
                return Err((
                    format!(
                        "wikilink [[{}]] is niet eenduidig: {} pagina's passen",
                        link.target,
                        options.len()
                    ),
                    format!(
                        "schrijf het pad van de bedoelde pagina: {}",
                        paths.join(" of ")
                    ),
                ));
            }
        },
        LinkKind::MarkdownFile => {
            let found = markdown_file_sources(page, link)
                .find_map(|source| site.index.by_source.get(&source).copied());
            match found {
                Some(i) => i,
                None => {
                    return Err((
                        format!("link naar een bestand dat niet bestaat: {}", link.target),
                        match link.target.starts_with('/') {
                            true => "een pad dat met / begint, gaat uit van de map content/; controleer de mapnamen".into(),
                            false => format!(
                                "het pad is relatief aan {}; controleer de mapnamen en `../`",
                                page.source.display_path
                            ),
                        },
                    ));
                }
            }
        }
    };
    let target_page = &site.pages[target];
    let mut href = with_query(site.url(target), link);
    let mut heading_text = None;
    let unreadable = target_page.stand_in && target_page.body.headings.is_empty();
    if let Some(fragment) = link.fragment.as_ref().filter(|_| !unreadable) {
        let id = match fragment_on(target_page, fragment) {
            Some(Fragment::Heading(heading)) => {
                heading_text = Some(heading.text.clone());
                &heading.id
            }
            Some(Fragment::Top(top)) => top,
            None => return Err(missing_heading(target_page, fragment)),
        };
        href = match target == from {
            true => format!("#{id}"),
            false => format!("{href}#{id}"),
        };
    }
    let label = match link.kind {
        LinkKind::Wiki { has_label: false } => Some(match heading_text {
            Some(heading) if link.target.is_empty() => heading,
            Some(heading) => format!("{} › {heading}", target_page.front.title),
            None => target_page.front.title.clone(),
        }),
        _ => None,
    };
    Ok((target, ResolvedLink { href, label }))
}

/// What is wrong with a link to a heading the page lacks, and the closest.
fn missing_heading(target_page: &Page, fragment: &str) -> (String, String) {
    let ids = target_page.body.headings.iter().map(|h| h.id.as_str());
    let help = match closest(&slugify(fragment), ids) {
        _ if target_page.body.headings.is_empty() => {
            "die pagina heeft geen koppen: link naar de pagina zelf (zonder #…), of geef haar een kop met `## …`".into()
        }
        Some(s) => format!(
            "bedoelt u #{s}? De koppen van die pagina zijn: {}",
            heading_list(target_page)
        ),
        None => format!(
            "de koppen van die pagina zijn: {}",
            heading_list(target_page)
        ),
    };
    let message = format!(
        "link naar een kop die niet bestaat: #{fragment} op {}",
        target_page.source.display_path
    );
    (message, help)
}

/// `#` and `#top` lead to the top of any page, as HTML defines them.
fn names_top_of_page(fragment: &str) -> bool {
    fragment.is_empty() || fragment.eq_ignore_ascii_case("top")
}

/// The files below `content/` a Markdown file link may name: as written,
/// then percent-decoded (`Verslag%202023.md`), as a browser reads it.
fn markdown_file_sources(page: &Page, link: &LinkRef) -> impl Iterator<Item = String> {
    let base = markdown_base(page, link);
    let decoded = crate::urls::percent_decode(&link.target).filter(|d| *d != link.target);
    std::iter::once(normalise_relative(base, &link.target))
        .chain(std::iter::once(
            decoded.and_then(|d| normalise_relative(base, &d)),
        ))
        .flatten()
}

/// The folder below `content/` a Markdown file link starts from.
fn markdown_base<'p>(page: &'p Page, link: &LinkRef) -> &'p str {
    match link.target.starts_with('/') {
        true => "",
        false => page.source_folder(),
    }
}

/// A page named by its address keeps the query it was given, before any
/// fragment.
fn with_query(href: String, link: &LinkRef) -> String {
    match link.target.split_once('?') {
        Some((_, query)) if link.kind == LinkKind::SiteAddress => match href.split_once('#') {
            Some((address, fragment)) => format!("{address}?{query}#{fragment}"),
            None => format!("{href}?{query}"),
        },
        _ => href,
    }
}

/// A file's address with the link's fragment (`verslag.pdf#page=2`).
fn with_fragment(href: String, link: &LinkRef) -> String {
    match &link.fragment {
        Some(fragment) => format!("{href}#{fragment}"),
        None => href,
    }
}

/// How to mend a link to an address of the site that does not exist.
fn missing_address_help(site: &Site, page: &Page, target: &str) -> String {
    // `hoofdstuk-2.html` beside `hoofdstuk-2.md`, as other tools have
    // editors write links: the Markdown file is what is meant.
    let meant = target
        .strip_suffix(".html")
        .map(|stem| format!("{stem}.md"))
        .filter(|md| {
            normalise_relative(page.source_folder(), md)
                .is_some_and(|p| site.index.by_source.contains_key(&p))
        });
    if let Some(md) = meant {
        return format!(
            "bedoelt u het bestand `{md}`? Link naar het Markdown-bestand, niet naar de HTML die een ander programma ervan maakt"
        );
    }
    let from = match target.starts_with('/') {
        true => "een link die met / begint, gaat uit van de basis van de site".to_owned(),
        false => format!(
            "een relatieve link gaat uit van het adres van de pagina, /{}",
            page.url_path
        ),
    };
    format!(
        "{from}; link naar een pagina met [[naam]] of met haar .md-bestand, en naar een bestand naast de pagina met zijn naam"
    )
}

/// What is wrong with naming a draft that is left out, and what to do.
fn draft_problem(named: &str, file: &str) -> (String, String) {
    (
        format!(
            "{named} noemt een concept: {}/{file} heeft `draft: true` en wordt niet gepubliceerd",
            crate::folders::CONTENT_DIR
        ),
        "haal `draft: true` weg als de pagina klaar is, of laat de link nog weg; `twn serve --drafts` toont concepten in de voorvertoning".into(),
    )
}

fn heading_list(page: &Page) -> String {
    page.body
        .headings
        .iter()
        .map(|h| format!("#{}", h.id))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Joins a relative link to the folder of its page, below `content/`.
pub(super) fn normalise_relative(base: &str, relative: &str) -> Option<String> {
    let mut parts: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// Each reference in `value` (a field of page `from`, inside the object
/// named `context`): the page it names, or why it names none.
pub(super) fn references_in(
    site: &Site,
    from: PageId,
    field: &str,
    context: Option<&str>,
    value: &FieldValue,
) -> Vec<Result<(PageId, BackRef), Diagnostic>> {
    match value {
        FieldValue::Reference(reference) if !reference.is_keyword => {
            match site.referenced_page(reference) {
                Some(target) => {
                    let backref = BackRef {
                        from,
                        field: field.to_owned(),
                        context: context.map(str::to_owned),
                    };
                    vec![Ok((target, backref))]
                }
                None => {
                    let page = &site.pages[from];
                    let named = format!("{}/{}", reference.collection, reference.target);
                    if let Some(file) = site.index.draft_named(&named) {
                        let (message, help) =
                            draft_problem(&format!("`{}`", reference.target), file);
                        return vec![Err(Diagnostic::error(&page.source.display_path, message)
                            .at(&page.source_text(), reference.position)
                            .marker(reference.target.chars().count())
                            .help(help))];
                    }
                    let slugs: Vec<&str> = site
                        .collection_pages(&reference.collection)
                        .map(|i| site.pages[i].slug.as_str())
                        .collect();
                    let help = match closest(&reference.target, slugs.iter().copied()) {
                        Some(s) => format!(
                            "bedoelt u `{s}`? Een verwijzing noemt de slug (de bestandsnaam zonder .md) van een pagina in content/{}/",
                            reference.collection
                        ),
                        None => format!(
                            "een verwijzing noemt de slug (de bestandsnaam zonder .md) van een pagina in content/{}/; maak die pagina aan met `twn new {} \"…\"`",
                            reference.collection, reference.collection
                        ),
                    };
                    vec![Err(Diagnostic::error(
                        &page.source.display_path,
                        format!(
                            "verwijzing naar een {}-pagina die niet bestaat: `{}`",
                            reference.collection, reference.target
                        ),
                    )
                    .at(&page.source_text(), reference.position)
                    .marker(reference.target.chars().count())
                    .help(help))]
                }
            }
        }
        FieldValue::List(items) => items
            .iter()
            .flat_map(|item| references_in(site, from, field, context, item))
            .collect(),
        FieldValue::Object(fields) => {
            let name = fields
                .get("name")
                .or_else(|| fields.get("title"))
                .and_then(|v| match v {
                    FieldValue::Text(t) => Some(t.as_str()),
                    _ => None,
                });
            fields
                .values()
                .flat_map(|value| references_in(site, from, field, name.or(context), value))
                .collect()
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_are_normalised_below_content() {
        assert_eq!(
            normalise_relative("regio", "../organisatie/almelo.md").as_deref(),
            Some("organisatie/almelo.md")
        );
        assert_eq!(
            normalise_relative("regio/twents-waternet", "./kaart.md").as_deref(),
            Some("regio/twents-waternet/kaart.md")
        );
        assert_eq!(normalise_relative("", "../x.md"), None);
    }
}
