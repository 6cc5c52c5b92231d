//! What each current page gives the search index: its title, what kind of
//! page it is, and its text. Old versions and history pages are left out;
//! collection indexes and org charts are in, since readers look for them.

use crate::ids::PageId;
use crate::resolve::Site;
use crate::schema::FieldValue;

/// One searchable page.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// Below the site's base path, e.g. `regio/twents-waternet/`.
    pub url_path: String,
    pub title: String,
    /// What readers see beside the title: "Werkplaats", "Organogram", ...
    pub kind: String,
    /// Headings count for more than body text.
    pub headings: Vec<String>,
    /// Description, front-matter text and body, for matching.
    pub text: String,
}

/// Names of the kinds of page that are not in a collection, from the theme.
#[derive(Debug, Clone)]
pub struct KindNames {
    pub page: String,
    pub index: String,
    pub chart: String,
    /// The title of an org-chart page, with `{name}` for its owner's title.
    pub chart_title: String,
}

/// The document of page `i`, whose body's words are `body_text`.
pub fn page_document(site: &Site, i: PageId, body_text: &str, kinds: &KindNames) -> Document {
    let page = &site.pages[i];
    let kind = page
        .collection
        .as_ref()
        .and_then(|name| site.config.collections.get(name))
        .map_or_else(|| kinds.page.clone(), |c| c.singular.clone());
    let mut text = String::new();
    if let Some(description) = &page.front.description {
        push_sentence(&mut text, description);
    }
    // The page's own words first: an excerpt without a match shows them,
    // not a bare field value such as "gemeente.".
    push_sentence(&mut text, body_text);
    let specs = page
        .collection
        .as_ref()
        .and_then(|name| site.config.collections.get(name));
    for (name, value) in &page.front.fields {
        let mut field = String::new();
        push_field_text(&mut field, value);
        if field.is_empty() {
            continue;
        }
        let label = specs
            .and_then(|c| c.fields.get(name))
            .and_then(|f| f.label.as_deref());
        match label {
            Some(label) => push_sentence(&mut text, &format!("{label}: {field}")),
            None => push_sentence(&mut text, &field),
        }
    }
    Document {
        url_path: page.url_path.clone(),
        title: page.front.title.clone(),
        kind,
        headings: page.body.headings.iter().map(|h| h.text.clone()).collect(),
        text,
    }
}

/// The collections' index pages.
pub fn index_documents<'a>(
    site: &'a Site,
    kinds: &'a KindNames,
) -> impl Iterator<Item = Document> + 'a {
    site.config
        .collections
        .iter()
        .map(|(name, collection)| Document {
            url_path: format!("{name}/"),
            title: collection.title.clone(),
            kind: kinds.index.clone(),
            headings: Vec::new(),
            text: collection.description.clone().unwrap_or_default(),
        })
}

/// The org-chart pages: the bodies and who sits in them.
pub fn chart_documents<'a>(
    site: &'a Site,
    kinds: &'a KindNames,
) -> impl Iterator<Item = Document> + 'a {
    site.org_charts.iter().map(move |chart| {
        let owner = &site.pages[chart.page];
        let mut text = String::new();
        for body in &chart.bodies {
            push_sentence(&mut text, &body.name);
            if let Some(description) = &body.description {
                push_sentence(&mut text, &markdown_text(description));
            }
            if let Some(composition) = &body.composition {
                push_sentence(&mut text, composition);
            }
            let members: Vec<&str> = body
                .members
                .iter()
                .map(|&m| site.pages[m].front.title.as_str())
                .collect();
            push_sentence(&mut text, &members.join(", "));
        }
        Document {
            url_path: format!("{}{}", owner.url_path, crate::urls::CHART_DIR),
            title: kinds.chart_title.replace("{name}", &owner.front.title),
            kind: kinds.chart.clone(),
            headings: chart.bodies.iter().map(|b| b.name.clone()).collect(),
            text,
        }
    })
}

/// What a reader reads of a Markdown field: the words, with a wiki link's
/// label instead of its brackets.
fn markdown_text(markdown: &str) -> String {
    crate::markdown::parse_fragment(markdown, false).search_text()
}

fn push_sentence(text: &mut String, part: &str) {
    let part = part.trim();
    if part.is_empty() {
        return;
    }
    if !text.is_empty() {
        text.push_str(if text.ends_with(['.', '!', '?', ':']) {
            " "
        } else {
            ". "
        });
    }
    text.push_str(part);
}

/// Front-matter text a reader sees on the page. E-mail addresses and links
/// stay out: excerpts are published.
fn push_field_text(text: &mut String, value: &FieldValue) {
    match value {
        FieldValue::Text(s) | FieldValue::Choice(s) => push_sentence(text, s),
        FieldValue::Markdown(s) => push_sentence(text, &markdown_text(s)),
        FieldValue::List(items) => items.iter().for_each(|v| push_field_text(text, v)),
        FieldValue::Object(fields) => fields.values().for_each(|v| push_field_text(text, v)),
        _ => {}
    }
}
