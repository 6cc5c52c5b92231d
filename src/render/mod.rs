//! Rendering the resolved site into output files: every product
//! (`products`: pages, indexes, charts, ...) and the old versions and
//! diffs (`revisions`).

pub mod authors;
pub mod collection;
pub mod context;
pub mod diff;
pub mod field_diff;
pub mod orgchart;
pub mod products;
pub mod recent;
pub mod revisions;
pub mod sitemap;
pub mod theme;

use crate::artifact::{Emit, OutputFile, RevisionStore};
use crate::diagnostics::Diagnostic;
use crate::resolve::Site;
use context::{page_summaries, site_context};
use products::{Product, render_products};
use revisions::CacheInputs;
use serde_json::Value;
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

/// A page of `twn serve`'s own (the editor's form) in the theme's look:
/// `template` shows `page`.
pub fn render_tool_page(
    site: &Site,
    theme: &Theme,
    template: &str,
    page: Value,
) -> Result<String, Diagnostic> {
    Renderer::new(site, theme).render(template, page, &[])
}

/// Page `i` as its file would be rendered, and its org chart's drawing if
/// it has one: what the editor of `twn serve` previews while one types.
pub fn render_preview(
    site: &Site,
    theme: &Theme,
    i: crate::ids::PageId,
) -> Result<(String, Option<String>), Vec<Diagnostic>> {
    let renderer = Renderer::new(site, theme);
    let summaries = page_summaries(site);
    let page_path = products::page_output_path(site, i);
    let chart_path = format!(
        "{}{}organogram.svg",
        site.pages[i].url_path,
        crate::urls::CHART_DIR
    );
    let kept = std::sync::Mutex::new((None, None));
    let keep = |_: &Product, file: OutputFile| {
        let mut kept = kept.lock().unwrap_or_else(|e| e.into_inner());
        let text = || String::from_utf8_lossy(&file.contents).into_owned();
        if file.path == page_path {
            kept.0 = Some(text());
        } else if file.path == chart_path {
            kept.1 = Some(text());
        }
    };
    let has_chart = site.org_charts.iter().any(|c| c.page == i);
    let mut wanted = vec![Product::Page(site.pages[i].content_path.clone())];
    if has_chart {
        wanted.push(Product::Charts);
    }
    render_products(
        &renderer,
        site,
        &summaries,
        &wanted,
        &indicatif::ProgressBar::hidden(),
        &keep,
        None,
    )?;
    let (page, chart) = kept.into_inner().unwrap_or_else(|e| e.into_inner());
    Ok((page.unwrap_or_default(), chart))
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

/// Where old versions and diffs are kept between builds, and what goes
/// into each one's key.
pub struct OldVersions<'a> {
    pub cache: &'a dyn RevisionStore,
    pub inputs: &'a CacheInputs,
}

/// Renders everything, old versions too if asked. `progress` is told of
/// every page rendered, and `page_text` (if any) of every current page's
/// text. `once_pages_are_done` runs once the current pages are rendered,
/// beside the old versions.
pub fn render_site(
    site: &Site,
    theme: &Theme,
    progress: &indicatif::ProgressBar,
    old_versions: Option<OldVersions>,
    emit: Emit,
    page_text: products::PageText,
    once_pages_are_done: impl FnOnce() + Send,
) -> Result<RenderedSite, Vec<Diagnostic>> {
    let renderer = Renderer::new(site, theme);
    // Built once: pages mention each other often.
    let summaries = &page_summaries(site);
    let each = |_: &Product, file: OutputFile| emit(file);
    render_products(
        &renderer,
        site,
        summaries,
        &Product::all(site),
        progress,
        &each,
        page_text,
    )?;
    let render_history = || {
        let Some(OldVersions { cache, inputs }) = old_versions else {
            return revisions::RevisionOutput::default();
        };
        let mut history = revisions::render_revisions(&renderer, site, summaries, cache, inputs);
        let gone = revisions::render_gone_pages(&renderer, site, summaries, cache, inputs, None);
        history.merge(gone);
        history
    };
    let (history, ()) = rayon::join(render_history, once_pages_are_done);
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
        let mut site_values = site_context(site);
        site_values["assets"] = theme.assets_version.clone().into();
        base.insert("site", &site_values);
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
