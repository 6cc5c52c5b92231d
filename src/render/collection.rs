//! A collection's index, and its pages per filter value: an index can be
//! filtered by fields (`filters` in twn.yaml). Without JavaScript each
//! value is a page of its own (`werkplaats/status/actief/`); with it the
//! index filters in place, from the values each listed page carries.

use super::Renderer;
use super::context::{breadcrumbs, with_key};
use crate::artifact::OutputFile;
use crate::diagnostics::Diagnostic;
use crate::fields::FilterValues;
use crate::ids::{PageId, PageTable};
use crate::resolve::Site;
use crate::schema::FieldValue;
use crate::slug::slugify;
use serde_json::{Value, json};
use std::collections::HashSet;

/// The index of collection `name` and the page of every filter value that
/// some page has.
pub fn render_collection(
    renderer: &Renderer,
    site: &Site,
    summaries: &PageTable<tera::Value>,
    name: &str,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let Some(collection) = site.config.collections.get(name) else {
        return Ok(Vec::new());
    };
    let mut members: Vec<PageId> = site.collection_pages(name).collect();
    sort_members(site, &mut members, collection.sort_by.as_deref());
    let filters = collection_filters(site, name);
    // Each page's entry once, with the values the index's script filters
    // by; the filter pages list some of the same entries.
    let entries: Vec<(PageId, tera::Value)> = members
        .iter()
        .map(|&i| {
            let keys = filter_attribute(site, &filters, i);
            (i, with_key(&summaries[i], "filter_keys", keys.into()))
        })
        .collect();
    let listed = |keep: &dyn Fn(PageId) -> bool| -> tera::Value {
        let listed: Vec<tera::Value> = entries
            .iter()
            .filter(|(i, _)| keep(*i))
            .map(|(_, entry)| entry.clone())
            .collect();
        listed.into()
    };
    let index_url = format!("{}{name}/", site.base_path);
    let mut files = Vec::new();
    let mut render =
        |path: String, page: Value, pages: tera::Value, current: Option<(&str, &str)>| {
            let nav = tera::Value::from_serializable(&filter_nav(site, name, &filters, current));
            let page = tera::Value::from_serializable(&page);
            let html =
                renderer.render_value("list.html", page, &[("pages", pages), ("filters", nav)])?;
            files.push(OutputFile {
                path,
                contents: html.into_bytes(),
            });
            Ok::<(), Diagnostic>(())
        };
    let index = json!({
        "title": collection.title,
        "url": index_url,
        "description": collection.description.clone().unwrap_or_default(),
        "breadcrumbs": breadcrumbs(site, None),
        "name": name,
        "singular": collection.singular,
    });
    render(format!("{name}/index.html"), index, listed(&|_| true), None)?;
    for filter in &filters {
        for value in &filter.values {
            let Some(url_path) = value.url_path(name, filter) else {
                continue;
            };
            let title = renderer
                .string("filter_title")
                .replace("{collection}", &collection.title)
                .replace("{field}", &filter.label)
                .replace("{value}", &value.title);
            let page = json!({
                "title": title,
                "url": format!("{}{url_path}", site.base_path),
                "description": "",
                "breadcrumbs": breadcrumbs(site, Some(name)),
                "name": name,
                "singular": collection.singular,
                "index_url": index_url,
            });
            let with_value: HashSet<PageId> = value.pages.iter().copied().collect();
            render(
                format!("{url_path}index.html"),
                page,
                listed(&|i| with_value.contains(&i)),
                Some((&filter.folder, &value.key)),
            )?;
        }
    }
    Ok(files)
}

/// What the template shows of the filters: per filter its values with
/// their counts and pages, the one shown marked.
fn filter_nav(site: &Site, name: &str, filters: &[Filter], current: Option<(&str, &str)>) -> Value {
    filters
        .iter()
        .map(|filter| {
            let values: Vec<Value> = filter
                .values
                .iter()
                .map(|value| {
                    json!({
                        "title": value.title,
                        "key": format!("{}:{}", filter.folder, value.key),
                        "count": value.pages.len(),
                        "url": value.url_path(name, filter).map(|p| format!("{}{p}", site.base_path)).unwrap_or_default(),
                        "current": current == Some((filter.folder.as_str(), value.key.as_str())),
                    })
                })
                .collect();
            json!({"label": filter.label, "folder": filter.folder, "values": values})
        })
        .collect()
}

/// The values page `i` has in every filter, as `folder:key` words, for
/// the index's script.
fn filter_attribute(site: &Site, filters: &[Filter], i: PageId) -> String {
    let mut words = Vec::new();
    for filter in filters {
        for key in filter_keys(site, site.pages[i].front.fields.get(&filter.field)) {
            words.push(format!("{}:{key}", filter.folder));
        }
    }
    words.join(" ")
}

/// One filter of an index: a field and its values.
#[derive(Debug)]
pub struct Filter {
    pub field: String,
    pub label: String,
    /// The folder below the index that holds its pages.
    pub folder: String,
    pub values: Vec<FilterValue>,
}

#[derive(Debug)]
pub struct FilterValue {
    /// The value's part of the address: a choice's slug, or a page's.
    pub key: String,
    pub title: String,
    /// The collection's pages with this value, in site order.
    pub pages: Vec<PageId>,
}

impl FilterValue {
    /// Where the value's page is, below the base: values no page has get none.
    pub fn url_path(&self, collection: &str, filter: &Filter) -> Option<String> {
        (!self.pages.is_empty()).then(|| format!("{collection}/{}/{}/", filter.folder, self.key))
    }
}

/// The filters of `collection`'s index, each value with its pages.
pub fn collection_filters(site: &Site, collection: &str) -> Vec<Filter> {
    let Some(spec) = site.config.collections.get(collection) else {
        return Vec::new();
    };
    if spec.filters().next().is_none() {
        return Vec::new();
    }
    let members: Vec<PageId> = site.collection_pages(collection).collect();
    spec.filters()
        .map(|(field, field_spec, values, folder)| {
            let mut values: Vec<FilterValue> = match values {
                FilterValues::Choices(choices) => choices
                    .iter()
                    .map(|choice| FilterValue {
                        key: slugify(&choice.value),
                        title: choice.value.clone(),
                        pages: Vec::new(),
                    })
                    .collect(),
                FilterValues::Pages(target) => {
                    let mut targets: Vec<PageId> = site.collection_pages(target).collect();
                    let sort_by = site
                        .config
                        .collections
                        .get(target)
                        .and_then(|c| c.sort_by.as_deref());
                    sort_members(site, &mut targets, sort_by);
                    targets
                        .into_iter()
                        .map(|t| FilterValue {
                            key: site.pages[t].slug.clone(),
                            title: site.pages[t].front.title.clone(),
                            pages: Vec::new(),
                        })
                        .collect()
                }
            };
            for &page in &members {
                let keys = filter_keys(site, site.pages[page].front.fields.get(field));
                for value in values.iter_mut().filter(|v| keys.contains(&v.key)) {
                    value.pages.push(page);
                }
            }
            Filter {
                field: field.to_owned(),
                label: field_spec.label.clone().unwrap_or_else(|| field.to_owned()),
                folder,
                values,
            }
        })
        // A filter that no listed page has a value of would only offer
        // choices that all lead nowhere (an empty collection, say).
        .filter(|filter| filter.values.iter().any(|v| !v.pages.is_empty()))
        .collect()
}

/// The keys of the values a page has in a filtered field.
pub fn filter_keys(site: &Site, value: Option<&FieldValue>) -> Vec<String> {
    match value {
        Some(FieldValue::Choice(choice)) => vec![slugify(choice)],
        Some(FieldValue::Reference(reference)) => site
            .referenced_page(reference)
            .map(|t| site.pages[t].slug.clone())
            .into_iter()
            .collect(),
        Some(FieldValue::List(items)) => items
            .iter()
            .flat_map(|item| filter_keys(site, Some(item)))
            .collect(),
        _ => Vec::new(),
    }
}

/// The collections whose pages a collection's filters name: their titles
/// are the values' names.
pub fn filter_sources<'a>(site: &'a Site, collection: &str) -> Vec<&'a str> {
    site.config
        .collections
        .get(collection)
        .into_iter()
        .flat_map(|c| c.filters())
        .filter_map(|(_, _, values, _)| match values {
            FilterValues::Pages(target) => Some(target),
            FilterValues::Choices(_) => None,
        })
        .collect()
}

/// Sorts pages by a field (dates newest first, else ascending) then title.
pub fn sort_members(site: &Site, members: &mut [PageId], sort_by: Option<&str>) {
    use crate::schema::FieldValue;
    let key = |i: &PageId| {
        let page = &site.pages[*i];
        let field = sort_by.and_then(|f| page.front.fields.get(f));
        let (date, number) = match field {
            Some(FieldValue::Date(d)) => (Some(std::cmp::Reverse(*d)), None),
            Some(FieldValue::Number(n)) => (None, Some((*n * 1000.0) as i64)),
            _ => (None, None),
        };
        (
            date.is_none(),
            date,
            number,
            page.front.title.to_lowercase(),
        )
    };
    members.sort_by_cached_key(key);
}
