//! What templates see: plain data built from the resolved site. Front-matter
//! references become `{title, url}`, dates ISO strings (the `datum` filter
//! shows them the Dutch way), Markdown fields HTML.

use crate::config::FieldKind;
use crate::markdown::ResolvedLink;
use crate::markdown::render_fragment;
use crate::page::Page;
use crate::resolve::Site;
use crate::schema::FieldValue;
use serde_json::{Map, Value, json};

pub fn site_context(site: &Site) -> Value {
    let collections: Vec<Value> = site
        .config
        .collections
        .iter()
        .map(|(name, c)| {
            json!({
                "name": name,
                "title": c.title,
                "singular": c.singular,
                "description": c.description.clone().unwrap_or_default(),
                "url": format!("{}{name}/", site.base_path),
            })
        })
        .collect();
    json!({
        "title": site.config.title,
        "description": site.config.description.clone().unwrap_or_default(),
        "base": site.base_path,
        "base_url": site.config.base_url,
        "language": site.config.language,
        "collections": collections,
    })
}

/// Every page's summary, by page index.
pub fn page_summaries(site: &Site) -> Vec<Value> {
    use rayon::prelude::*;
    (0..site.pages.len())
        .into_par_iter()
        .map(|i| page_summary(site, i))
        .collect()
}

/// A short summary of a page, for lists and links.
pub fn page_summary(site: &Site, i: usize) -> Value {
    summary_of(site, &site.pages[i], site.url(i))
}

fn summary_of(site: &Site, page: &Page, url: String) -> Value {
    json!({
        "title": page.front.title,
        "url": url,
        "slug": page.slug,
        "collection": page.collection.clone().unwrap_or_default(),
        "description": page.front.description.clone().unwrap_or_default(),
        "f": fields_object(site, &page.front.fields),
    })
}

pub fn field_value(site: &Site, value: &FieldValue) -> Value {
    match value {
        FieldValue::Text(t) | FieldValue::Url(t) | FieldValue::Email(t) | FieldValue::Choice(t) => {
            json!(t)
        }
        FieldValue::Markdown(m) => json!(render_fragment(m, site.config.allow_html)),
        FieldValue::Date(d) => json!(d.to_string()),
        FieldValue::Number(n) => json!(n),
        FieldValue::Bool(b) => json!(b),
        FieldValue::Reference(r) => match site.referenced_page(r) {
            Some(target) => json!({
                "title": site.pages[target].front.title,
                "url": site.url(target),
                "slug": site.pages[target].slug,
            }),
            _ => json!({ "title": r.target, "keyword": true }),
        },
        FieldValue::List(items) => {
            Value::Array(items.iter().map(|v| field_value(site, v)).collect())
        }
        FieldValue::Object(fields) => fields_object(site, fields),
    }
}

fn fields_object(site: &Site, fields: &indexmap::IndexMap<String, FieldValue>) -> Value {
    Value::Object(
        fields
            .iter()
            .map(|(k, v)| (k.clone(), field_value(site, v)))
            .collect::<Map<_, _>>(),
    )
}

pub fn last_updated(site: &Site, i: usize) -> Value {
    match site.last_updated(i) {
        Some((date, committed)) => json!({"date": date.to_string(), "committed": committed}),
        None => Value::Null,
    }
}

/// The trail above a page: home, then its collection's index if it has one.
pub fn breadcrumbs(site: &Site, collection: Option<&str>) -> Vec<Value> {
    let mut trail = vec![json!({"title": "", "url": site.base_path, "home": true})];
    if let Some(name) = collection
        && let Some(spec) = site.config.collections.get(name)
    {
        trail.push(json!({"title": spec.title, "url": format!("{}{name}/", site.base_path)}));
    }
    trail
}

/// Which page a template renders: the current one, or an old version of it
/// (its own text and links, dated by its commit, without the relations
/// that only the current site has).
pub enum Showing<'a> {
    Current,
    OldVersion {
        page: &'a Page,
        links: &'a [Option<ResolvedLink>],
        date: jiff::civil::Date,
    },
}

/// The full context of one page's own template.
pub fn page_context(site: &Site, summaries: &[Value], i: usize) -> Value {
    page_context_showing(site, summaries, i, Showing::Current)
}

pub fn page_context_showing(site: &Site, summaries: &[Value], i: usize, showing: Showing) -> Value {
    let current = matches!(showing, Showing::Current);
    let (page, links) = match &showing {
        Showing::Current => (&site.pages[i], site.links[i].as_slice()),
        Showing::OldVersion { page, links, .. } => (*page, *links),
    };
    let collection = page
        .collection
        .as_deref()
        .and_then(|c| site.config.collections.get(c).map(|spec| (c, spec)));
    let breadcrumbs = breadcrumbs(site, page.collection.as_deref());
    // Fields in schema order with their labels, for generic display.
    let fields: Vec<Value> = match collection {
        Some((_, spec)) => page
            .front
            .fields
            .iter()
            .map(|(name, value)| {
                let field_spec = &spec.fields[name];
                json!({
                    "name": name,
                    "label": field_spec.label.clone().unwrap_or_else(|| name.clone()),
                    "value": field_value(site, value),
                })
            })
            .collect(),
        None => Vec::new(),
    };
    // Back-references grouped by the collection and field that name this page.
    let mut groups: Vec<(String, String, Vec<Value>)> = Vec::new();
    let mut referrers = Map::new();
    // A page that names this one in several fields is listed once.
    let mut listed_referrers = std::collections::HashSet::new();
    let no_backrefs = Vec::new();
    let backrefs = if current {
        &site.backrefs[i]
    } else {
        &no_backrefs
    };
    for backref in backrefs {
        let from = &site.pages[backref.from];
        let from_collection = from.collection.clone().unwrap_or_default();
        let field_spec = site
            .config
            .collections
            .get(&from_collection)
            .and_then(|c| c.fields.get(&backref.field));
        // Seats in bodies are listed per body below, `alle` included.
        if field_spec.is_some_and(|f| f.kind.value == FieldKind::Bodies) {
            continue;
        }
        let label = field_spec
            .and_then(|f| f.backlink_label.clone())
            .unwrap_or_else(|| format!("{} ({})", backref.field, from_collection));
        let mut summary = summaries[backref.from].clone();
        summary["context"] = json!(backref.context);
        let key = (from_collection.clone(), label);
        match groups
            .iter_mut()
            .find(|(c, l, _)| (c, l) == (&key.0, &key.1))
        {
            Some((_, _, pages)) => pages.push(summary.clone()),
            None => groups.push((key.0, key.1, vec![summary.clone()])),
        }
        if listed_referrers.insert(backref.from)
            && let Some(list) = referrers
                .entry(from_collection)
                .or_insert_with(|| json!([]))
                .as_array_mut()
        {
            list.push(summary);
        }
    }
    if current && !site.seats[i].is_empty() {
        groups.push(seats_group(site, i));
    }
    let backrefs: Vec<Value> = groups
        .into_iter()
        .map(|(collection, label, pages)| json!({"collection": collection, "label": label, "pages": pages}))
        .collect();
    let backlinks: Vec<Value> = site.backlinks[i]
        .iter()
        .filter(|_| current)
        .map(|&j| summaries[j].clone())
        .collect();
    let toc: Vec<Value> = page
        .body
        .table_of_contents()
        .iter()
        .map(|h| json!({"level": h.level, "text": h.text, "id": h.id}))
        .collect();
    let edit_url = site
        .config
        .edit_url
        .as_ref()
        .filter(|_| current)
        .map(|pattern| pattern.replace("{path}", &page.source.display_path));
    let (mut context, updated) = match showing {
        Showing::Current => (summaries[i].clone(), last_updated(site, i)),
        Showing::OldVersion { date, .. } => (
            summary_of(site, page, site.url(i)),
            json!({"date": date.to_string(), "committed": true}),
        ),
    };
    let history_url = if site.revisions(i).is_empty() {
        String::new()
    } else {
        format!("{}{}", site.url(i), crate::render::revisions::HISTORY_DIR)
    };
    let extra = json!({
        "content": page.body.to_html(links),
        "toc": toc,
        "fields": fields,
        "breadcrumbs": breadcrumbs,
        "backlinks": backlinks,
        "backrefs": backrefs,
        "referrers": referrers,
        "edit_url": edit_url.unwrap_or_default(),
        "collection_title": collection.map(|(_, c)| c.title.clone()).unwrap_or_default(),
        "singular": collection.map(|(_, c)| c.singular.clone()).unwrap_or_default(),
        "source_path": page.source.display_path,
        "updated": updated,
        "history_url": history_url,
        "orgchart": if current { super::orgchart::chart_preview(site, i) } else { Value::Null },
    });
    if let (Some(target), Value::Object(extra)) = (context.as_object_mut(), extra) {
        target.extend(extra);
    }
    context
}

/// The bodies page `i` sits in, as a group of the page's back-references:
/// each body links to its place on its chart page.
pub fn seats_group(site: &Site, i: usize) -> (String, String, Vec<Value>) {
    let mut label = String::new();
    let pages = site.seats[i]
        .iter()
        .map(|seat| {
            let chart = &site.org_charts[seat.chart];
            let owner = &site.pages[chart.page];
            if label.is_empty() {
                label = owner
                    .collection
                    .as_deref()
                    .and_then(|c| site.config.collections.get(c))
                    .and_then(|c| {
                        c.fields
                            .values()
                            .find(|f| f.kind.value == FieldKind::Bodies)
                    })
                    .and_then(|f| f.backlink_label.clone().or_else(|| f.label.clone()))
                    .unwrap_or_else(|| "bodies".into());
            }
            let body = &chart.bodies[seat.body];
            json!({
                "title": body.name,
                "url": format!("{}#{}", chart.url(site), body.anchor()),
                "context": owner.front.title,
            })
        })
        .collect();
    (String::new(), label, pages)
}
