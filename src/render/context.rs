//! What templates see: plain data built from the resolved site. Front-matter
//! references become `{title, url}`, dates ISO strings (the `datum` filter
//! shows them the Dutch way), Markdown fields HTML.

use crate::fields::FieldKind;
use crate::ids::{PageId, PageTable};
use crate::page::Page;
use crate::resolve::field_links::old_field_html;
use crate::resolve::{GoneImages, Site};
use crate::schema::FieldValue;
use serde_json::{Value, json};

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
        "content_security_policy": super::CONTENT_SECURITY_POLICY,
    })
}

/// Every page's summary, by page index, as template values. Lists and
/// back-links repeat summaries thousands of times; converted once, each
/// repeat is a shared reference instead of a deep copy, and only this one
/// copy is kept.
#[derive(Debug, Clone, Default)]
pub struct Summaries {
    template_values: PageTable<tera::Value>,
}

impl Summaries {
    /// The summary of page `i` as a template sees it.
    pub fn template_value(&self, i: PageId) -> &tera::Value {
        &self.template_values[i]
    }

    pub fn set(&mut self, i: PageId, summary: tera::Value) {
        self.template_values[i] = summary;
    }
}

impl std::ops::Deref for Summaries {
    type Target = PageTable<tera::Value>;
    fn deref(&self) -> &PageTable<tera::Value> {
        &self.template_values
    }
}

pub fn page_summaries(site: &Site) -> Summaries {
    use rayon::prelude::*;
    let template_values: Vec<tera::Value> = site
        .pages
        .par_enumerate()
        .map(|(i, _)| page_summary(site, i))
        .collect();
    Summaries {
        template_values: template_values.into(),
    }
}

/// A summary with one more key, such as the context of a back-reference.
pub fn with_key(summary: &tera::Value, key: &'static str, value: tera::Value) -> tera::Value {
    let mut map = summary.clone().into_map().unwrap_or_default();
    map.insert(key.into(), value);
    tera::Value::from(map)
}

/// A template value of named values. Contexts are built as template values
/// directly: going through `serde_json` first cost a tenth of rendering an
/// old version.
pub(super) fn object<const N: usize>(entries: [(&'static str, tera::Value); N]) -> tera::Value {
    let mut map = tera::value::Map::with_capacity(N);
    for (key, value) in entries {
        map.insert(key.into(), value);
    }
    map.into()
}

/// A short summary of a page, for lists and links.
pub fn page_summary(site: &Site, i: PageId) -> tera::Value {
    summary_of(site, &site.pages[i], site.url(i), None)
}

/// A page's summary; for an old version, its fields' images that the site
/// no longer has lead where `gone_images` says.
pub fn summary_of(
    site: &Site,
    page: &Page,
    url: String,
    gone_images: Option<GoneImages>,
) -> tera::Value {
    let fields = fields_object(site, page, &url, &page.front.fields, gone_images);
    object([
        ("title", page.front.title.as_str().into()),
        ("url", url.into()),
        ("slug", page.slug.as_str().into()),
        (
            "collection",
            page.collection.as_deref().unwrap_or_default().into(),
        ),
        (
            "description",
            page.front.description.as_deref().unwrap_or_default().into(),
        ),
        ("f", fields),
    ])
}

/// A front-matter value of `page` as templates see it; a Markdown value's
/// links to the page's headings start from `page_address`.
pub fn field_value(
    site: &Site,
    page: &Page,
    page_address: &str,
    value: &FieldValue,
    gone_images: Option<GoneImages>,
) -> tera::Value {
    match value {
        FieldValue::Text(t) | FieldValue::Url(t) | FieldValue::Email(t) | FieldValue::Choice(t) => {
            t.as_str().into()
        }
        FieldValue::Markdown(m) => old_field_html(site, page, page_address, m, gone_images).into(),
        FieldValue::Date(d) => d.to_string().into(),
        // As JSON has it: a number that is not finite is no number.
        FieldValue::Number(n) if n.is_finite() => (*n).into(),
        FieldValue::Number(_) => tera::Value::none(),
        FieldValue::Bool(b) => (*b).into(),
        FieldValue::Reference(r) => match site.referenced_page(r) {
            Some(target) => object([
                ("title", site.pages[target].front.title.as_str().into()),
                ("url", site.url(target).into()),
                ("slug", site.pages[target].slug.as_str().into()),
            ]),
            _ => object([
                ("title", r.target.as_str().into()),
                ("keyword", true.into()),
            ]),
        },
        FieldValue::List(items) => items
            .iter()
            .map(|v| field_value(site, page, page_address, v, gone_images))
            .collect::<Vec<_>>()
            .into(),
        FieldValue::Object(fields) => fields_object(site, page, page_address, fields, gone_images),
    }
}

fn fields_object(
    site: &Site,
    page: &Page,
    page_address: &str,
    fields: &indexmap::IndexMap<String, FieldValue>,
    gone_images: Option<GoneImages>,
) -> tera::Value {
    fields
        .iter()
        .map(|(k, v)| {
            (
                tera::value::Key::from(k.clone()),
                field_value(site, page, page_address, v, gone_images),
            )
        })
        .collect::<tera::value::Map>()
        .into()
}

/// Whether a value is Markdown, or a list of it.
fn is_markdown(value: &FieldValue) -> bool {
    match value {
        FieldValue::Markdown(_) => true,
        FieldValue::List(items) => !items.is_empty() && items.iter().all(is_markdown),
        _ => false,
    }
}

pub fn last_updated(site: &Site, i: PageId) -> Value {
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
    /// Page `i` as it is.
    Current(PageId),
    /// An old version of a page, current or deleted, whose page is shown
    /// at `url` (for a deleted page without a notice, its last version).
    OldVersion {
        page: &'a Page,
        date: jiff::civil::Date,
        url: String,
        /// Where its images that the site no longer has lead.
        gone_images: GoneImages<'a>,
    },
}

/// The full context of one page's own template, with its body's HTML.
pub fn page_context(site: &Site, summaries: &Summaries, i: PageId, content: String) -> tera::Value {
    page_context_showing(site, summaries, Showing::Current(i), content)
}

pub fn page_context_showing(
    site: &Site,
    summaries: &Summaries,
    showing: Showing,
    content: String,
) -> tera::Value {
    // Relations (back-references, backlinks, seats) belong to the current
    // site: an old version shows its own text without them.
    let current = match showing {
        Showing::Current(i) => Some(i),
        Showing::OldVersion { .. } => None,
    };
    let (page, gone_images) = match &showing {
        Showing::Current(i) => (&site.pages[*i], None),
        Showing::OldVersion {
            page, gone_images, ..
        } => (*page, Some(*gone_images)),
    };
    // An old version is shown only on itself: its fields' `#kop` links
    // stay on it.
    let page_address = match current {
        Some(i) => site.url(i),
        None => String::new(),
    };
    let collection = page
        .collection
        .as_deref()
        .and_then(|c| site.config.collections.get(c).map(|spec| (c, spec)));
    // The home page is where every trail starts: it has none of its own.
    let breadcrumbs = if page.is_home() {
        Vec::new()
    } else {
        breadcrumbs(site, page.collection.as_deref())
    };
    // Fields in schema order with their labels, for generic display.
    let fields: Vec<tera::Value> = match collection {
        Some((_, spec)) => page
            .front
            .fields
            .iter()
            .map(|(name, value)| {
                let label = spec.fields[name].label.as_deref().unwrap_or(name);
                object([
                    ("name", name.as_str().into()),
                    ("label", label.into()),
                    (
                        "value",
                        field_value(site, page, &page_address, value, gone_images),
                    ),
                    // The value is HTML made from Markdown, to be shown as such.
                    ("markdown", is_markdown(value).into()),
                ])
            })
            .collect(),
        None => Vec::new(),
    };
    // Back-references grouped by the collection and field that name this page.
    let mut groups: Vec<(String, String, Vec<tera::Value>)> = Vec::new();
    let mut referrers: indexmap::IndexMap<String, Vec<tera::Value>> = indexmap::IndexMap::new();
    // A page that names this one in several fields is listed once.
    let mut listed_referrers = std::collections::HashSet::new();
    let no_backrefs = Vec::new();
    let backrefs = current.map_or(&no_backrefs, |i| &site.backrefs[i]);
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
        let summary = with_key(
            summaries.template_value(backref.from),
            "context",
            tera::Value::from_serializable(&backref.context),
        );
        let key = (from_collection.clone(), label);
        match groups
            .iter_mut()
            .find(|(c, l, _)| (c, l) == (&key.0, &key.1))
        {
            Some((_, _, pages)) => pages.push(summary.clone()),
            None => groups.push((key.0, key.1, vec![summary.clone()])),
        }
        if listed_referrers.insert(backref.from) {
            referrers.entry(from_collection).or_default().push(summary);
        }
    }
    if let Some(i) = current.filter(|&i| !site.seats[i].is_empty()) {
        let (collection, label, pages) = seats_group(site, i);
        let pages = pages.iter().map(tera::Value::from_serializable).collect();
        groups.push((collection, label, pages));
    }
    let backrefs: Vec<tera::Value> = groups
        .into_iter()
        .map(|(collection, label, pages)| {
            let mut group = tera::value::Map::default();
            group.insert("collection".into(), collection.into());
            group.insert("label".into(), label.into());
            group.insert("pages".into(), pages.into());
            tera::Value::from(group)
        })
        .collect();
    let backlinks: Vec<tera::Value> = current
        .map(|i| site.backlinks[i].as_slice())
        .unwrap_or_default()
        .iter()
        .map(|&j| summaries.template_value(j).clone())
        .collect();
    let toc: Vec<tera::Value> = page
        .body
        .table_of_contents()
        .iter()
        .map(|h| {
            object([
                ("level", h.level.into()),
                ("text", h.text.as_str().into()),
                ("id", h.id.as_str().into()),
            ])
        })
        .collect();
    let edit_url = site
        .config
        .edit_url
        .as_ref()
        .filter(|_| current.is_some())
        .map(|pattern| {
            pattern.replace(
                "{path}",
                &crate::urls::encode_path(&page.source.display_path),
            )
        });
    let (context, updated, history_url) = match showing {
        Showing::Current(i) => {
            let history_url = if site.revisions(i).is_empty() {
                String::new()
            } else {
                format!("{}{}", site.url(i), crate::urls::HISTORY_DIR)
            };
            (
                summaries.template_value(i).clone(),
                last_updated(site, i),
                history_url,
            )
        }
        Showing::OldVersion { date, url, .. } => (
            summary_of(site, page, url.clone(), gone_images),
            json!({"date": date.to_string(), "committed": true}),
            format!(
                "{}{}{}",
                site.base_path,
                page.url_path,
                crate::urls::HISTORY_DIR
            ),
        ),
    };
    let mut context = context.into_map().unwrap_or_default();
    let collection_title = collection.map_or("", |(_, c)| c.title.as_str());
    let singular = collection.map_or("", |(_, c)| c.singular.as_str());
    let orgchart = current.map_or(Value::Null, |i| chart_preview(site, i));
    context.extend([
        ("toc".into(), toc.into()),
        ("fields".into(), fields.into()),
        (
            "breadcrumbs".into(),
            tera::Value::from_serializable(&breadcrumbs),
        ),
        ("edit_url".into(), edit_url.unwrap_or_default().into()),
        ("collection_title".into(), collection_title.into()),
        ("singular".into(), singular.into()),
        (
            "source_path".into(),
            page.source.display_path.as_str().into(),
        ),
        ("updated".into(), tera::Value::from_serializable(&updated)),
        ("history_url".into(), history_url.into()),
        ("orgchart".into(), tera::Value::from_serializable(&orgchart)),
    ]);
    context.insert("content".into(), content.into());
    context.insert("backlinks".into(), backlinks.into());
    context.insert("backrefs".into(), backrefs.into());
    let referrers: tera::value::Map = referrers
        .into_iter()
        .map(|(collection, pages)| (collection.into(), pages.into()))
        .collect();
    context.insert("referrers".into(), referrers.into());
    tera::Value::from(context)
}

/// The bodies page `i` sits in, as a group of the page's back-references:
/// each body links to its place on its chart page.
pub fn seats_group(site: &Site, i: PageId) -> (String, String, Vec<Value>) {
    let mut label = String::new();
    let pages = site.seats[i]
        .iter()
        .map(|seat| {
            let chart = &site.org_charts[seat.chart];
            let owner = &site.pages[chart.page];
            if label.is_empty() {
                label = site
                    .config
                    .collection_of(owner.collection.as_deref())
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

/// What a page with a chart shows of it: a link and a preview.
pub fn chart_preview(site: &Site, page: PageId) -> Value {
    let Some(chart) = site.org_charts.iter().find(|c| c.page == page) else {
        return Value::Null;
    };
    json!({
        "url": chart.url(site),
        "file": chart.file_url(site),
        "bodies": chart.bodies.len(),
    })
}
