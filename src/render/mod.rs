//! Rendering the resolved site into output files: one HTML page per page,
//! an index per collection, the home page, 404, redirects for old URLs and
//! the sitemap. Pages render in parallel.

pub mod authors;
pub mod context;
pub mod diff;
pub mod orgchart;
pub mod recent;
pub mod revisions;
pub mod sitemap;
pub mod theme;

use crate::artifact::{Emit, OutputFile, RevisionStore};
use crate::diagnostics::Diagnostic;
use crate::resolve::Site;
use context::{Summaries, page_context, page_summaries, site_context};
use rayon::prelude::*;
use revisions::CacheInputs;
use serde_json::{Value, json};
use theme::{Theme, template_diagnostic};

/// What a page may load and run: only the site's own scripts, styles and
/// fonts; images also from web addresses and `data:`. Every page carries
/// it in a `<meta>` (for any static host); `twn serve` sends it as a header
/// with `frame-ancestors`, which only a header can carry, and
/// docs/publish.md gives hosts that header.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'";

pub struct Renderer<'a> {
    theme: &'a Theme,
    display_dir: String,
    /// `site` and `t`, the same for every page: built once, cloned cheaply
    /// (Tera's maps and arrays are shared).
    base: tera::Context,
}

impl Renderer<'_> {
    /// An interface string of the theme (empty if the theme lacks it).
    fn string(&self, key: &str) -> String {
        self.theme.strings.get(key).cloned().unwrap_or_default()
    }

    fn render(
        &self,
        template: &str,
        page: Value,
        extra: &[(&str, Value)],
    ) -> Result<String, Diagnostic> {
        let extra = template_values(extra);
        self.render_value(template, tera::Value::from_serializable(&page), &extra)
    }

    fn render_value(
        &self,
        template: &str,
        page: tera::Value,
        extra: &[(&str, tera::Value)],
    ) -> Result<String, Diagnostic> {
        let mut context = self.base.clone();
        context.insert_value("page", page);
        for (key, value) in extra {
            context.insert_value(key.to_string(), value.clone());
        }
        self.theme
            .tera
            .render(template, &context)
            .map_err(|e| template_diagnostic(&e, &self.display_dir))
    }
}

/// Named values for a template, as Tera holds them.
fn template_values<'k>(values: &[(&'k str, Value)]) -> Vec<(&'k str, tera::Value)> {
    values
        .iter()
        .map(|(key, value)| (*key, tera::Value::from_serializable(value)))
        .collect()
}

/// What a build writes besides the files it emitted while rendering.
pub struct RenderedSite {
    /// Old versions that could not be cached, written into their folders
    /// after those are in place.
    pub files: Vec<OutputFile>,
    /// Folders of old versions and diffs, from the revision cache.
    pub revision_dirs: Vec<crate::artifact::RevisionDir>,
    pub versions_rendered: usize,
    pub versions_from_cache: usize,
    pub warnings: Vec<Diagnostic>,
}

/// Which outputs to render (revision pages aside): all of them for a
/// build, only those a change touched for `twn serve`.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Pages by site index; `None` renders every page.
    pub pages: Option<Vec<usize>>,
    /// Collection indexes by name; `None` renders every one.
    pub collections: Option<Vec<String>>,
    pub home: bool,
    pub not_found: bool,
    pub redirects: bool,
    pub recent: bool,
    /// The authors' pages, which list the same changes by author.
    pub authors: bool,
    pub charts: bool,
    pub sitemap: bool,
    /// The search page (its index is built apart, by `crate::search`).
    pub search: bool,
}

impl Selection {
    pub fn everything() -> Selection {
        Selection {
            pages: None,
            collections: None,
            home: true,
            not_found: true,
            redirects: true,
            recent: true,
            authors: true,
            charts: true,
            sitemap: true,
            search: true,
        }
    }
}

/// Renders everything; `progress` is told of every page rendered.
pub fn render_site(
    site: &Site,
    theme: &Theme,
    progress: &indicatif::ProgressBar,
    cache: &dyn RevisionStore,
    cache_inputs: &CacheInputs,
    with_revisions: bool,
    emit: Emit,
) -> Result<RenderedSite, Vec<Diagnostic>> {
    let renderer = Renderer::new(site, theme);
    // Built once: pages mention each other often.
    let summaries = &page_summaries(site);
    render_selected(
        &renderer,
        site,
        summaries,
        &Selection::everything(),
        progress,
        emit,
    )?;
    let history = if with_revisions {
        let mut history =
            revisions::render_revisions(&renderer, site, summaries, cache, cache_inputs);
        let gone =
            revisions::render_gone_pages(&renderer, site, summaries, cache, cache_inputs, None);
        history.merge(gone);
        history
    } else {
        revisions::RevisionOutput::default()
    };
    Ok(RenderedSite {
        files: history.files,
        revision_dirs: history.dirs,
        versions_rendered: history.versions_rendered,
        versions_from_cache: history.versions_from_cache,
        warnings: history.warnings,
    })
}

impl<'a> Renderer<'a> {
    pub fn new(site: &Site, theme: &'a Theme) -> Renderer<'a> {
        let mut base = tera::Context::new();
        base.insert("site", &site_context(site));
        base.insert("t", &theme.strings);
        // Only old versions set it; templates test it without `is defined`.
        base.insert("version", &false);
        Renderer {
            theme,
            display_dir: format!("themes/{}", site.config.theme),
            base,
        }
    }
}

/// Renders the outputs `selection` names; `summaries` are every page's.
pub fn render_selected(
    renderer: &Renderer,
    site: &Site,
    summaries: &Summaries,
    selection: &Selection,
    progress: &indicatif::ProgressBar,
    emit: Emit,
) -> Result<(), Vec<Diagnostic>> {
    let home_page = site.index.page_at("");
    let mut page_indexes: Vec<usize> = match &selection.pages {
        None => (0..site.pages.len()).collect(),
        Some(pages) => pages.clone(),
    };
    if selection.home
        && let Some(home) = home_page
        && !page_indexes.contains(&home)
    {
        page_indexes.push(home);
    }
    let mut problems: Vec<Diagnostic> = page_indexes
        .into_par_iter()
        .filter_map(|i| {
            let file = render_page(renderer, site, summaries, i);
            progress.inc(1);
            file.map(emit).err()
        })
        .collect();
    if let Err(d) = render_other(renderer, site, summaries, selection, emit) {
        problems.push(d);
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// The output file of page `i`.
pub fn page_output_path(site: &Site, i: usize) -> String {
    format!("{}index.html", site.pages[i].url_path)
}

fn render_page(
    renderer: &Renderer,
    site: &Site,
    summaries: &Summaries,
    i: usize,
) -> Result<OutputFile, Diagnostic> {
    let page = &site.pages[i];
    let (template, extra) = if page.is_home() {
        ("home.html".to_owned(), home_extra(site, summaries))
    } else {
        (
            renderer.theme.page_template(page.collection.as_deref()),
            Vec::new(),
        )
    };
    let extra = template_values(&extra);
    let html = renderer.render_value(&template, page_context(site, summaries, i), &extra)?;
    Ok(OutputFile {
        path: page_output_path(site, i),
        contents: html.into_bytes(),
    })
}

/// Everything that is not one page's own: indexes, the generated home
/// page, 404, redirects, recent changes, org charts and the sitemap.
fn render_other(
    renderer: &Renderer,
    site: &Site,
    summaries: &[Value],
    selection: &Selection,
    emit: Emit,
) -> Result<(), Diagnostic> {
    if selection.home && site.index.page_at("").is_none() {
        let page = json!({"title": site.config.title, "url": site.base_path, "content": "", "breadcrumbs": [], "toc": [], "backlinks": [], "backrefs": [], "fields": [], "edit_url": "", "f": {}});
        let html = renderer.render("home.html", page, &home_extra(site, summaries))?;
        emit(OutputFile {
            path: "index.html".into(),
            contents: html.into_bytes(),
        });
    }
    for (name, collection) in &site.config.collections {
        if selection
            .collections
            .as_ref()
            .is_some_and(|names| !names.contains(name))
        {
            continue;
        }
        let mut members: Vec<usize> = site.collection_pages(name).collect();
        sort_members(site, &mut members, collection.sort_by.as_deref());
        let listed: Vec<Value> = members.iter().map(|&i| summaries[i].clone()).collect();
        let page = json!({
            "title": collection.title,
            "url": format!("{}{name}/", site.base_path),
            "description": collection.description.clone().unwrap_or_default(),
            "breadcrumbs": context::breadcrumbs(site, None),
            "name": name,
            "singular": collection.singular,
        });
        let html = renderer.render("list.html", page, &[("pages", Value::Array(listed))])?;
        emit(OutputFile {
            path: format!("{name}/index.html"),
            contents: html.into_bytes(),
        });
    }
    if selection.not_found {
        let not_found = json!({"title": renderer.string("not_found_title"), "url": format!("{}404.html", site.base_path)});
        let html = renderer.render("404.html", not_found, &[])?;
        emit(OutputFile {
            path: "404.html".into(),
            contents: html.into_bytes(),
        });
    }
    if selection.redirects {
        for (from, title, url_path) in old_urls(site) {
            let target = json!({"title": title, "url": format!("{}{url_path}", site.base_path), "absolute_url": format!("{}/{url_path}", site.config.origin_and_base())});
            let html = renderer.render("redirect.html", target, &[])?;
            emit(OutputFile {
                path: format!("{from}index.html"),
                contents: html.into_bytes(),
            });
        }
    }
    if selection.recent {
        let changes = recent::recent_changes(site);
        let title = renderer.string("recent_title");
        let page = json!({
            "title": title,
            "url": format!("{}{}", site.base_path, crate::urls::RECENT_DIR),
            "breadcrumbs": context::breadcrumbs(site, None),
            "feed_url": format!("{}{}{}", site.base_path, crate::urls::RECENT_DIR, crate::urls::FEED_FILE),
            "authors_url": format!("{}{}", site.base_path, crate::urls::AUTHORS_DIR),
        });
        let html = renderer.render(
            "recent.html",
            page,
            &[("days", recent::days_context(site, &changes))],
        )?;
        emit(OutputFile {
            path: format!("{}index.html", crate::urls::RECENT_DIR),
            contents: html.into_bytes(),
        });
        emit(OutputFile {
            path: format!("{}{}", crate::urls::RECENT_DIR, crate::urls::FEED_FILE),
            contents: recent::atom_feed(
                site,
                &changes,
                &format!("{title} · {}", site.config.title),
            )
            .into_bytes(),
        });
    }
    if selection.authors {
        authors::render_authors(renderer, site)?
            .into_iter()
            .for_each(emit);
    }
    if selection.charts {
        orgchart::render_charts(renderer, site, summaries)?
            .into_iter()
            .for_each(emit);
    }
    if selection.search {
        let page = json!({
            "title": renderer.string("search_title"),
            "url": format!("{}{}", site.base_path, crate::urls::SEARCH_DIR),
            "index_url": format!("{}{}index/", site.base_path, crate::urls::SEARCH_DIR),
            "breadcrumbs": context::breadcrumbs(site, None),
        });
        let html = renderer.render("search.html", page, &[])?;
        emit(OutputFile {
            path: format!("{}index.html", crate::urls::SEARCH_DIR),
            contents: html.into_bytes(),
        });
    }
    if selection.sitemap {
        emit(OutputFile {
            path: "sitemap.xml".into(),
            contents: sitemap::sitemap(site).into_bytes(),
        });
    }
    Ok(())
}

/// URLs that lead to a page without being its own: its aliases and every
/// place its file had before a rename (also from a folder that is no
/// longer a collection), and the former places of deleted pages, which
/// lead to their notice. An old place now taken by another page belongs to
/// that page. Each comes with the target's title and address below the base.
pub fn old_urls(site: &Site) -> Vec<(String, &str, &str)> {
    let mut seen: std::collections::HashSet<String> =
        site.gone.iter().map(|g| g.page.url_path.clone()).collect();
    let mut urls = Vec::new();
    let current = site
        .pages
        .iter()
        .enumerate()
        .map(|(i, page)| (page, site.revisions(i)));
    let gone = site.gone.iter().map(|g| (&g.page, g.revisions.as_slice()));
    for (page, revisions) in current.chain(gone) {
        let aliases = page
            .front
            .aliases
            .iter()
            .map(|alias| format!("{}/", alias.url_path));
        let former = revisions
            .iter()
            .flat_map(crate::history::Revision::paths)
            .filter(|path| *path != page.content_path)
            .filter_map(|path| crate::page::former_url_path(path, &site.config))
            .filter(|url| {
                let bare = url.trim_end_matches('/');
                *url != page.url_path
                    && site.index.page_at(bare).is_none()
                    && !site.config.collections.contains_key(bare)
                    && crate::urls::alias_url_path(bare).is_ok()
            });
        for url in aliases.chain(former) {
            if seen.insert(url.clone()) {
                urls.push((url, page.front.title.as_str(), page.url_path.as_str()));
            }
        }
    }
    urls
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
    // Counts live here, not in `site`: they change with every new page,
    // and every page would then depend on every other.
    let mut collections = site_context(site)["collections"].take();
    for (listed, name) in collections
        .as_array_mut()
        .into_iter()
        .flatten()
        .zip(site.config.collections.keys())
    {
        listed["count"] = json!(site.collection_pages(name).count());
    }
    vec![
        ("latest", Value::Array(latest)),
        ("collections", collections),
    ]
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
