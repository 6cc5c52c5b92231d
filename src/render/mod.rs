//! Rendering the resolved site into output files: one HTML page per page,
//! an index per collection, the home page, 404, redirects for old URLs and
//! the sitemap. Pages render in parallel.

pub mod context;
pub mod sitemap;
pub mod theme;

use crate::diagnostics::Diagnostic;
use crate::resolve::Site;
use context::{page_context, page_summaries, site_context};
use rayon::prelude::*;
use serde_json::{Value, json};
use theme::{Theme, template_diagnostic};

/// One file of the output, by its path below the output folder.
#[derive(Debug)]
pub struct OutputFile {
    pub path: String,
    pub contents: Vec<u8>,
}

struct Renderer<'a> {
    theme: &'a Theme,
    display_dir: String,
    /// `site` and `t`, the same for every page: built once, cloned cheaply
    /// (Tera's maps and arrays are shared).
    base: tera::Context,
}

impl Renderer<'_> {
    fn render(
        &self,
        template: &str,
        page: Value,
        extra: &[(&str, Value)],
    ) -> Result<String, Diagnostic> {
        let mut context = self.base.clone();
        context.insert("page", &page);
        for (key, value) in extra {
            context.insert(key.to_string(), value);
        }
        self.theme
            .tera
            .render(template, &context)
            .map_err(|e| template_diagnostic(&e, &self.display_dir))
    }
}

/// Renders everything; `progress` is told of every page rendered.
pub fn render_site(
    site: &Site,
    theme: &Theme,
    progress: &indicatif::ProgressBar,
) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let mut base = tera::Context::new();
    base.insert("site", &site_context(site));
    base.insert("t", &theme.strings);
    let renderer = Renderer {
        theme,
        display_dir: format!("themes/{}", site.config.theme),
        base,
    };
    // Built once: pages mention each other often.
    let summaries = &page_summaries(site);
    let pages: Vec<Result<OutputFile, Diagnostic>> = (0..site.pages.len())
        .into_par_iter()
        .map(|i| {
            let page = &site.pages[i];
            let template = if page.is_home() {
                "home.html".to_owned()
            } else {
                theme.page_template(page.collection.as_deref())
            };
            let extra = if page.is_home() {
                home_extra(site, summaries)
            } else {
                Vec::new()
            };
            let html = renderer.render(&template, page_context(site, summaries, i), &extra)?;
            progress.inc(1);
            Ok(OutputFile {
                path: format!("{}index.html", page.url_path),
                contents: html.into_bytes(),
            })
        })
        .collect();
    let mut files = Vec::with_capacity(pages.len() + 16);
    let mut problems = Vec::new();
    for result in pages {
        match result {
            Ok(file) => files.push(file),
            Err(d) => problems.push(d),
        }
    }
    let mut other = || -> Result<(), Diagnostic> {
        if site.index.page_at("").is_none() {
            let page = json!({"title": site.config.title, "url": site.base_path, "content": "", "breadcrumbs": [], "toc": [], "backlinks": [], "backrefs": [], "fields": [], "edit_url": "", "f": {}});
            let html = renderer.render("home.html", page, &home_extra(site, summaries))?;
            files.push(OutputFile {
                path: "index.html".into(),
                contents: html.into_bytes(),
            });
        }
        for (name, collection) in &site.config.collections {
            let mut members: Vec<usize> = site.collection_pages(name).collect();
            sort_members(site, &mut members, collection.sort_by.as_deref());
            let listed: Vec<Value> = members.iter().map(|&i| summaries[i].clone()).collect();
            let page = json!({
                "title": collection.title,
                "url": format!("{}{name}/", site.base_path),
                "description": collection.description.clone().unwrap_or_default(),
                "breadcrumbs": [{"title": "", "url": site.base_path, "home": true}],
                "name": name,
                "singular": collection.singular,
            });
            let html = renderer.render("list.html", page, &[("pages", Value::Array(listed))])?;
            files.push(OutputFile {
                path: format!("{name}/index.html"),
                contents: html.into_bytes(),
            });
        }
        let not_found = json!({"title": theme.strings.get("not_found_title").cloned().unwrap_or_default(), "url": format!("{}404.html", site.base_path)});
        let html = renderer.render("404.html", not_found, &[])?;
        files.push(OutputFile {
            path: "404.html".into(),
            contents: html.into_bytes(),
        });
        for (i, page) in site.pages.iter().enumerate() {
            for alias in &page.front.aliases {
                let path = crate::slug::slugify_path(alias);
                let target = json!({"title": page.front.title, "url": site.url(i), "absolute_url": format!("{}/{}", site.config.origin_and_base(), page.url_path)});
                let html = renderer.render("redirect.html", target, &[])?;
                files.push(OutputFile {
                    path: format!("{path}/index.html"),
                    contents: html.into_bytes(),
                });
            }
        }
        files.push(OutputFile {
            path: "sitemap.xml".into(),
            contents: sitemap::sitemap(site).into_bytes(),
        });
        Ok(())
    };
    if let Err(d) = other() {
        problems.push(d);
    }
    if problems.is_empty() {
        Ok(files)
    } else {
        Err(problems)
    }
}

/// The home page also lists the latest news (and, from `site`, the collections).
fn home_extra(site: &Site, summaries: &[Value]) -> Vec<(&'static str, Value)> {
    let mut news: Vec<usize> = site
        .config
        .collections
        .iter()
        .filter(|(_, c)| c.fields.contains_key("date"))
        .flat_map(|(name, _)| site.collection_pages(name))
        .collect();
    sort_members(site, &mut news, Some("date"));
    let latest: Vec<Value> = news
        .into_iter()
        .take(5)
        .map(|i| summaries[i].clone())
        .collect();
    vec![("latest", Value::Array(latest))]
}

/// Sorts pages by a field (dates newest first, else ascending) then title.
fn sort_members(site: &Site, members: &mut [usize], sort_by: Option<&str>) {
    use crate::schema::FieldValue;
    let key = |i: &usize| {
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
