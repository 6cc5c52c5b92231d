//! What templates see: plain data built from the resolved site. Front-matter
//! references become `{title, url}`, dates ISO strings (the `datum` filter
//! shows them the Dutch way), Markdown fields HTML.

use crate::markdown::render_fragment;
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
                "count": site.collection_pages(name).count(),
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
fn page_summary(site: &Site, i: usize) -> Value {
    let page = &site.pages[i];
    json!({
        "title": page.front.title,
        "url": site.url(i),
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

/// "Laatst bijgewerkt": the front matter's `updated`, else the file's date,
/// which is marked as not committed.
fn last_updated(page: &crate::page::Page) -> Value {
    match (page.front.updated, page.modified) {
        (Some(date), _) => json!({"date": date.to_string(), "committed": true}),
        (None, Some(date)) => json!({"date": date.to_string(), "committed": false}),
        (None, None) => Value::Null,
    }
}

/// The full context of one page's own template.
pub fn page_context(site: &Site, summaries: &[Value], i: usize) -> Value {
    let page = &site.pages[i];
    let collection = page
        .collection
        .as_deref()
        .and_then(|c| site.config.collections.get(c).map(|spec| (c, spec)));
    let mut breadcrumbs = vec![json!({"title": "", "url": site.base_path, "home": true})];
    if let Some((name, spec)) = collection {
        breadcrumbs.push(json!({"title": spec.title, "url": format!("{}{name}/", site.base_path)}));
    }
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
    for backref in &site.backrefs[i] {
        let from = &site.pages[backref.from];
        let from_collection = from.collection.clone().unwrap_or_default();
        let label = site
            .config
            .collections
            .get(&from_collection)
            .and_then(|c| c.fields.get(&backref.field))
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
        let list = referrers
            .entry(from_collection)
            .or_insert_with(|| json!([]));
        if let Some(list) = list.as_array_mut()
            && !list.iter().any(|p| p["url"] == summary["url"])
        {
            list.push(summary);
        }
    }
    let backrefs: Vec<Value> = groups
        .into_iter()
        .map(|(collection, label, pages)| json!({"collection": collection, "label": label, "pages": pages}))
        .collect();
    let backlinks: Vec<Value> = site.backlinks[i]
        .iter()
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
        .map(|pattern| pattern.replace("{path}", &page.source.display_path));
    let mut context = summaries[i].clone();
    let extra = json!({
        "content": page.body.to_html(&site.links[i]),
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
        "updated": last_updated(page),
    });
    if let (Some(target), Value::Object(extra)) = (context.as_object_mut(), extra) {
        target.extend(extra);
    }
    context
}
