//! What twn renders, one product at a time: a page, an index, the home
//! page, 404, the redirects for old URLs, recent changes, the authors, the
//! org charts, the search page and the sitemap. A product is the unit the
//! preview renders again and whose files it replaces; old versions and the
//! search index are made apart (`revisions`, `crate::search`).

use super::collection::{self, sort_members};
use super::context::{self, Summaries, page_context, site_context};
use super::{Renderer, authors, orgchart, recent, sitemap};
use crate::artifact::OutputFile;
use crate::diagnostics::Diagnostic;
use crate::ids::{PageId, PageTable};
use crate::resolve::Site;
use crate::urls::{RECENT_DIR, SEARCH_DIR};
use rayon::prelude::*;
use serde_json::json;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Product {
    /// A page, by its path below `content/`.
    Page(String),
    /// The home page twn makes when the site has none of its own.
    Home,
    /// A collection's index, by the collection's name.
    Collection(String),
    NotFound,
    /// A page at every old URL of a page.
    Redirects,
    /// Recent changes and their feed.
    Recent,
    /// The authors' pages, which list the same changes by author.
    Authors,
    /// Every org chart's page and drawing.
    Charts,
    /// The search page (its index is made apart, by `crate::search`).
    Search,
    Sitemap,
}

/// Where rendered files go, with the product that made each.
pub type EmitProduct<'a> = &'a (dyn Fn(&Product, OutputFile) + Sync);

/// Where each current page's plain text goes, read from the same parse of
/// its file as its HTML: the search index counts it there.
pub type PageText<'a> = Option<&'a (dyn Fn(PageId, &str) + Sync)>;

impl Product {
    /// Every product of `site`, pages first in site order.
    pub fn all(site: &Site) -> Vec<Product> {
        let mut all: Vec<Product> = site
            .pages
            .iter()
            .map(|page| Product::Page(page.content_path.clone()))
            .collect();
        all.extend(Product::besides_pages(site));
        all
    }

    /// Every product that is not a page.
    pub fn besides_pages(site: &Site) -> Vec<Product> {
        let mut others = Vec::with_capacity(site.config.collections.len() + 8);
        if site.index.page_at("").is_none() {
            others.push(Product::Home);
        }
        others.extend(
            site.config
                .collections
                .keys()
                .cloned()
                .map(Product::Collection),
        );
        others.extend([
            Product::NotFound,
            Product::Redirects,
            Product::Recent,
            Product::Authors,
            Product::Charts,
            Product::Search,
            Product::Sitemap,
        ]);
        others
    }

    /// The templates it is rendered with, as the theme names them.
    pub fn templates(&self, site: &Site, theme: &super::theme::Theme) -> Vec<String> {
        let names: &[&str] = match self {
            Product::Page(path) => {
                return site
                    .index
                    .page_of_source(path)
                    .map(|i| page_template(site, theme, i))
                    .into_iter()
                    .collect();
            }
            Product::Home => &["home.html"],
            Product::Collection(_) => &["list.html"],
            Product::NotFound => &["404.html"],
            Product::Redirects => &["redirect.html"],
            Product::Recent => &["recent.html"],
            Product::Authors => &["authors.html", "author.html"],
            Product::Charts => &["orgchart.html"],
            Product::Search => &["search.html"],
            Product::Sitemap => &[],
        };
        names.iter().map(|&n| n.to_owned()).collect()
    }
}

/// Renders `products`, pages in parallel; `progress` is told of every page.
/// Every product that fails is reported.
pub fn render_products(
    renderer: &Renderer,
    site: &Site,
    summaries: &Summaries,
    products: &[Product],
    progress: &indicatif::ProgressBar,
    emit: EmitProduct,
    page_text: PageText,
) -> Result<(), Vec<Diagnostic>> {
    // One parallel pass: the products besides pages (recent changes and
    // the authors are long on a long history) go first, so that they do
    // not run alone after the pages.
    let mut ordered: Vec<&Product> = products.iter().collect();
    ordered.sort_by_key(|p| matches!(p, Product::Page(_)));
    let problems: Vec<Diagnostic> = ordered
        .into_par_iter()
        .with_max_len(1)
        .filter_map(|product| match product {
            Product::Page(path) => {
                let i = site.index.page_of_source(path)?;
                let file = render_page(renderer, site, summaries, i, page_text);
                progress.inc(1);
                file.map(|file| emit(product, file)).err()
            }
            _ => {
                let each = |file: OutputFile| emit(product, file);
                render_other(renderer, site, summaries, product, &each).err()
            }
        })
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// Everything that is not one page's own.
fn render_other(
    renderer: &Renderer,
    site: &Site,
    summaries: &PageTable<tera::Value>,
    product: &Product,
    emit: &dyn Fn(OutputFile),
) -> Result<(), Diagnostic> {
    let html_at = |path: String, html: String| {
        emit(OutputFile {
            path,
            contents: html.into_bytes(),
        })
    };
    match product {
        Product::Page(_) => {}
        Product::Home => {
            let page = json!({"title": site.config.title, "url": site.base_path, "content": "", "breadcrumbs": [], "toc": [], "backlinks": [], "backrefs": [], "fields": [], "edit_url": "", "f": {}});
            let page = tera::Value::from_serializable(&page);
            let html = renderer.render_value("home.html", page, &home_extra(site, summaries))?;
            html_at("index.html".into(), html);
        }
        Product::Collection(name) => {
            collection::render_collection(renderer, site, summaries, name)?
                .into_iter()
                .for_each(emit)
        }
        Product::NotFound => {
            let not_found = json!({"title": renderer.string("not_found_title"), "url": format!("{}404.html", site.base_path)});
            html_at(
                "404.html".into(),
                renderer.render("404.html", not_found, &[])?,
            );
        }
        Product::Redirects => {
            for (from, title, url_path) in old_urls(site) {
                let target = json!({"title": title, "url": format!("{}{url_path}", site.base_path), "absolute_url": format!("{}/{url_path}", site.config.origin_and_base())});
                let html = renderer.render("redirect.html", target, &[])?;
                html_at(format!("{from}index.html"), html);
            }
        }
        Product::Recent => {
            let changes = recent::recent_changes(site);
            let title = renderer.string("recent_title");
            let page = json!({
                "title": title,
                "url": format!("{}{RECENT_DIR}", site.base_path),
                "breadcrumbs": context::breadcrumbs(site, None),
                "feed_url": format!("{}{RECENT_DIR}{}", site.base_path, crate::urls::FEED_FILE),
                "authors_url": format!("{}{}", site.base_path, crate::urls::AUTHORS_DIR),
            });
            let days = recent::days_context(site, &changes);
            let page = tera::Value::from_serializable(&page);
            let html = renderer.render_value("recent.html", page, &[("days", days)])?;
            html_at(format!("{RECENT_DIR}index.html"), html);
            let feed_title = format!("{title} · {}", site.config.title);
            html_at(
                format!("{RECENT_DIR}{}", crate::urls::FEED_FILE),
                recent::atom_feed(site, &changes, &feed_title),
            );
        }
        Product::Authors => authors::render_authors(renderer, site)?
            .into_iter()
            .for_each(emit),
        Product::Charts => orgchart::render_charts(renderer, site, summaries)?
            .into_iter()
            .for_each(emit),
        Product::Search => {
            let page = json!({
                "title": renderer.string("search_title"),
                "url": format!("{}{SEARCH_DIR}", site.base_path),
                "index_url": format!("{}{SEARCH_DIR}index/", site.base_path),
                "breadcrumbs": context::breadcrumbs(site, None),
            });
            html_at(
                format!("{SEARCH_DIR}index.html"),
                renderer.render("search.html", page, &[])?,
            );
        }
        Product::Sitemap => html_at("sitemap.xml".into(), sitemap::sitemap(site)),
    }
    Ok(())
}

/// The output file of page `i`.
pub fn page_output_path(site: &Site, i: PageId) -> String {
    format!("{}index.html", site.pages[i].url_path)
}

/// The template page `i` renders with: the home page's, its collection's
/// own if the theme has one, or `page.html`.
pub fn page_template(site: &Site, theme: &super::theme::Theme, i: PageId) -> String {
    let page = &site.pages[i];
    if page.is_home() {
        "home.html".to_owned()
    } else {
        theme.page_template(page.collection.as_deref())
    }
}

fn render_page(
    renderer: &Renderer,
    site: &Site,
    summaries: &Summaries,
    i: PageId,
    page_text: PageText,
) -> Result<OutputFile, Diagnostic> {
    let template = page_template(site, renderer.theme, i);
    let (page, links) = (&site.pages[i], &site.links[i]);
    let content = match page_text {
        Some(hand_over) => {
            let (html, text) = page.body_html_and_text(links, site.config.allow_html);
            hand_over(i, &text);
            html
        }
        None => page.body_html(links, site.config.allow_html),
    };
    let extra = if page.is_home() {
        home_extra(site, summaries)
    } else {
        Vec::new()
    };
    let html =
        renderer.render_value(&template, page_context(site, summaries, i, content), &extra)?;
    Ok(OutputFile {
        path: page_output_path(site, i),
        contents: html.into_bytes(),
    })
}

/// URLs that lead to a page without being its own: its aliases and every
/// place its file had before a rename (also from a folder that is no
/// longer a collection), and the former places of deleted pages, which
/// lead to their notice. An old place now taken by another page belongs to
/// that page. Each comes with the target's title and address below the base.
pub fn old_urls(site: &Site) -> Vec<(String, &str, String)> {
    let mut seen: std::collections::HashSet<String> = site
        .gone
        .iter()
        .filter(|g| g.notice)
        .map(|g| g.page.url_path.clone())
        .collect();
    let mut urls = Vec::new();
    let current = site
        .pages
        .enumerate()
        .map(|(i, page)| (page, site.revisions(i), page.url_path.clone()));
    // A deleted page's former places lead to its notice, or where it has
    // none (its address leads to a page of today), to its history.
    let gone = site
        .gone
        .iter()
        .map(|g| (&g.page, g.revisions.as_slice(), g.shown_path()));
    // Where each page's own life began: after the newest end of a file
    // that a later one followed (not a deleted page's own end).
    let subjects: Vec<_> = current
        .chain(gone)
        .map(|(page, revisions, shown)| {
            let newest_kept = revisions
                .iter()
                .filter(|r| !r.deleted)
                .map(|r| r.order)
                .min()
                .unwrap_or(usize::MAX);
            let began = revisions
                .iter()
                .filter(|r| r.deleted && r.order > newest_kept)
                .map(|r| r.order)
                .min()
                .unwrap_or(usize::MAX);
            (page, revisions, shown, began)
        })
        .collect();
    // A page's own places first: a file created where another page moved
    // from shares that page's earlier places, which lead to the page that
    // moved on; past the end of the file before it, they are the newer
    // page's only where no other page leads from them.
    for own_life in [true, false] {
        for (page, revisions, shown, began) in &subjects {
            let aliases = page
                .front
                .aliases
                .iter()
                .filter(|_| own_life)
                .map(|alias| format!("{}/", alias.url_path));
            let former = revisions
                .iter()
                .filter(|r| (r.order < *began) == own_life)
                .flat_map(crate::history::Revision::paths)
                .filter(|path| *path != page.content_path)
                .filter_map(|path| crate::page::former_url_path(path, &site.config))
                .filter(|url| {
                    let bare = url.trim_end_matches('/');
                    *url != page.url_path
                        && site.index.page_at(bare).is_none()
                        && !site.config.is_collection_listing(bare)
                        && !is_chart_folder(site, url)
                        && crate::urls::alias_url_path(bare).is_ok()
                });
            for url in aliases.chain(former) {
                if seen.insert(url.clone()) {
                    urls.push((url, page.front.title.as_str(), shown.clone()));
                }
            }
        }
    }
    urls
}

/// Whether `url` (below the base) is where an org chart's page goes: a
/// page once at `regio/twents-waternet/organisatie.md` left an old URL
/// there.
fn is_chart_folder(site: &Site, url: &str) -> bool {
    site.org_charts
        .iter()
        .any(|chart| chart.out_dir(site) == url)
}

/// The home page also lists the latest news (and, from `site`, the collections).
fn home_extra(site: &Site, summaries: &PageTable<tera::Value>) -> Vec<(&'static str, tera::Value)> {
    let mut news: Vec<PageId> = site
        .config
        .collections
        .iter()
        .filter(|(_, c)| c.fields.contains_key("date"))
        .flat_map(|(name, _)| site.collection_pages(name))
        .collect();
    sort_members(site, &mut news, Some("date"));
    let latest: Vec<tera::Value> = news
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
        ("latest", latest.into()),
        ("collections", tera::Value::from_serializable(&collections)),
    ]
}
