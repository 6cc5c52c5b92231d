//! Pages: the Markdown files under `content/`, parsed and validated.
//!
//! The rule for where a page may live: `content/index.md` is the home page,
//! `content/<name>.md` a free page, `content/<collection>/<slug>.md` or
//! `content/<collection>/<slug>/index.md` (a page with files beside it) a page
//! of a collection declared in `twn.yaml`. Anything else is an error.

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Position};
use crate::folders::CONTENT_DIR;
use crate::frontmatter;
use crate::markdown::{self, ParsedBody};
use crate::schema::{self, FrontMatter};
use crate::slug::slugify;
use crate::source::{SourceFile, read_source};
use crate::suggest::closest;
use crate::urls::MAX_NAME_BYTES;
use indexmap::IndexMap;
use rayon::prelude::*;
use std::borrow::Cow;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct Page {
    pub source: SourceFile,
    /// Path below `content/`, e.g. `regio/twents-waternet.md`.
    pub content_path: String,
    pub collection: Option<String>,
    pub slug: String,
    /// URL path below the base, e.g. `regio/twents-waternet/`; empty for home.
    pub url_path: String,
    pub front: FrontMatter,
    pub body: ParsedBody,
    /// Byte offset of the body in `source.text`.
    pub body_offset: usize,
    /// The file's modification date, for pages without a committed date.
    pub modified: Option<jiff::civil::Date>,
    /// Set when a build dropped `source.text` after loading: the file to
    /// read it from again should an error quote it.
    pub dropped_source: Option<PathBuf>,
    /// The front matter's text, up to the body, kept when a build drops
    /// `source.text`: old versions with the same front matter take `front`
    /// rather than reading it again.
    pub kept_front_matter: Option<Box<str>>,
    /// The file could not be read as a page (its front matter does not
    /// parse, say): it stands in, known by its file name and what could
    /// be read, so that links to it are not reported as well. Such a page
    /// always comes with an error, so it is never published.
    pub stand_in: bool,
}

impl Page {
    pub fn is_home(&self) -> bool {
        self.url_path.is_empty()
    }

    /// Drops the source text and the body's HTML, which a build needs only
    /// once more, to render the page: [`Page::source_text`] and
    /// [`Page::body_html`] read the file again from `read_from`. Reading
    /// and parsing a page twice costs less than holding every page's HTML
    /// for the whole build (a tenth of a second against 80 MB at 10,000
    /// pages of 7 KB).
    pub fn drop_source_text(&mut self, read_from: &Path) {
        self.kept_front_matter = self.source.text.get(..self.body_offset).map(Box::from);
        self.source.text = String::new();
        self.dropped_source = Some(read_from.to_owned());
        self.body.drop_html();
    }

    /// The body as HTML with the resolver's `links` filled in.
    pub fn body_html(
        &self,
        links: &[Option<crate::markdown::ResolvedLink>],
        allow_html: bool,
    ) -> String {
        match self.body_again(allow_html) {
            None => self.body.to_html(links),
            Some(body) => self.html_of_body_again(&body, links),
        }
    }

    /// A body parsed again with the resolver's `links` filled in. A file
    /// changed since it was read has other links: they are shown as
    /// written rather than filled in wrongly.
    fn html_of_body_again(
        &self,
        body: &ParsedBody,
        links: &[Option<crate::markdown::ResolvedLink>],
    ) -> String {
        if body.links.len() == self.body.links.len() {
            body.to_html(links)
        } else {
            body.to_html(&[])
        }
    }

    /// Whether `front_text`, an old text of the file up to its body, is the
    /// front matter the page has now: then it reads as `front`, with the
    /// body at `body_offset`.
    pub fn has_front_matter_text(&self, front_text: &str) -> bool {
        let own = match &self.kept_front_matter {
            Some(kept) => Some(&kept[..]),
            None => self.source.text.get(..self.body_offset),
        };
        !self.stand_in && self.body_offset > 0 && own == Some(front_text)
    }

    /// The body as HTML, as [`Page::body_html`] makes it, and its plain
    /// text for search, from one reading of the file.
    pub fn body_html_and_text(
        &self,
        links: &[Option<crate::markdown::ResolvedLink>],
        allow_html: bool,
    ) -> (String, String) {
        match self.body_again(allow_html) {
            None => (self.body.to_html(links), self.body.search_text()),
            Some(body) => (self.html_of_body_again(&body, links), body.search_text()),
        }
    }

    /// The body's words, for search (see [`ParsedBody::search_text`]).
    pub fn search_text(&self, allow_html: bool) -> String {
        match self.body_again(allow_html) {
            None => self.body.search_text(),
            Some(body) => body.search_text(),
        }
    }

    /// The body parsed again from the file, where its HTML was dropped.
    fn body_again(&self, allow_html: bool) -> Option<ParsedBody> {
        if !self.body.html_dropped() {
            return None;
        }
        let text = self.source_text();
        Some(markdown::parse(
            text.get(self.body_offset..).unwrap_or_default(),
            allow_html,
        ))
    }

    /// The source text, to quote in an error: in memory, or read again
    /// if a build dropped it.
    pub fn source_text(&self) -> Cow<'_, str> {
        match &self.dropped_source {
            None => Cow::Borrowed(&self.source.text),
            Some(path) => Cow::Owned(
                read_source(path, &self.source.display_path)
                    .map(|file| file.text)
                    .unwrap_or_default(),
            ),
        }
    }
}

/// Where a Markdown file belongs, from its path below `content/`.
enum Placement {
    Home,
    Free { slug: String },
    InCollection { collection: String, slug: String },
}

impl Placement {
    /// (collection, slug, URL path below the base).
    fn into_parts(self) -> (Option<String>, String, String) {
        match self {
            Placement::Home => (None, String::new(), String::new()),
            Placement::Free { slug } => (None, slug.clone(), format!("{slug}/")),
            Placement::InCollection { collection, slug } => {
                let url = format!("{collection}/{slug}/");
                (Some(collection), slug, url)
            }
        }
    }
}

/// The URL path a page file at `content_path` has (or had, for a path from
/// the history), if that is a place for a page.
pub fn url_path_of(content_path: &str, config: &SiteConfig) -> Option<String> {
    place(content_path, config).ok().map(|p| p.into_parts().2)
}

pub fn is_symlink(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// A folder of the site that is a symbolic link: what twn publishes from
/// it could come from anywhere on the machine.
pub fn linked_folder_error(shown: &str) -> Diagnostic {
    Diagnostic::error(shown, format!("de map {shown} is een symbolische koppeling; twn leest en publiceert alleen wat echt in de site staat"))
        .at("", Position::new(1, 1))
        .help("zet de bestanden zelf in deze map in plaats van een koppeling ernaar")
}

/// The problem with `content/` itself, if it is a symbolic link.
pub fn content_folder_problem(site_root: &Path) -> Option<Diagnostic> {
    is_symlink(&site_root.join(CONTENT_DIR)).then(|| linked_folder_error(CONTENT_DIR))
}

/// Files beside pages that may not be published as they are, by (file,
/// path below `content/`): names no address can have, places where twn
/// writes its own pages, and kinds a browser would run as a page or
/// script of the site.
pub fn asset_problems(assets: &[(PathBuf, String)]) -> Vec<Diagnostic> {
    assets
        .iter()
        .filter_map(|(file, path)| {
            let (message, help) = asset_problem(file, path)?;
            Some(
                Diagnostic::error(format!("{CONTENT_DIR}/{path}"), message)
                    .at("", Position::new(1, 1))
                    .help(help),
            )
        })
        .collect()
}

/// What is wrong with publishing the file at `path` (below `content/`).
fn asset_problem(file: &Path, path: &str) -> Option<(String, String)> {
    let rename = "geef het bestand een naam met letters, cijfers, `-`, `_` en `.`";
    if let Err(refused) = crate::urls::check_output_path(path) {
        return Some((refused.message, rename.into()));
    }
    let segments: Vec<&str> = path.split('/').collect();
    if segments.iter().any(|s| s.len() > MAX_NAME_BYTES) {
        return Some((
            format!("deze naam is te lang om te publiceren (hoogstens {MAX_NAME_BYTES} tekens)"),
            "kies een kortere naam".into(),
        ));
    }
    let name = segments.last().copied().unwrap_or_default().to_lowercase();
    let first = segments.first().copied().unwrap_or_default();
    let takes_twns_place = crate::urls::reserved_top(first).is_some()
        || segments.iter().any(|s| crate::urls::reserved_below_page(s))
        || (segments.len() == 1 && ["404.html", "sitemap.xml"].contains(&name.as_str()))
        || name == "index.html";
    if takes_twns_place {
        return Some((
            "op deze plek schrijft twn zelf een pagina of bestand; dit bestand zou die vervangen"
                .into(),
            "zet het bestand naast de pagina die het gebruikt, onder een andere naam".into(),
        ));
    }
    let extension = name.rsplit_once('.').map_or("", |(_, e)| e);
    if ["html", "htm", "xhtml", "shtml", "js", "mjs", "wasm"].contains(&extension) {
        return Some((
            format!(
                "een `.{extension}`-bestand zou als pagina of script van de wiki werken, buiten de controles van twn"
            ),
            "maak er een pagina (`.md`) van, of publiceer het als pdf".into(),
        ));
    }
    if extension == "svg" && svg_runs_script(file) {
        return Some((
            "deze SVG-tekening bevat een script, een `on…=`-attribuut of een `javascript:`-link, die in de browser van lezers zou draaien".into(),
            "sla de tekening op zonder scripts (bijvoorbeeld als \"gewone SVG\" of als png)".into(),
        ));
    }
    None
}

/// Whether an SVG file holds anything a browser would run when the file
/// is opened by itself.
fn svg_runs_script(file: &Path) -> bool {
    let Ok(bytes) = std::fs::read(file) else {
        return false;
    };
    let text = String::from_utf8_lossy(&bytes).to_ascii_lowercase();
    let handler = text.match_indices(" on").any(|(at, _)| {
        let rest = &text[at + 3..];
        let name_len = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
        name_len > 0 && rest[name_len..].trim_start().starts_with('=')
    });
    handler
        || [
            "<script",
            "javascript:",
            "<foreignobject",
            "<iframe",
            "<embed",
            "<object",
        ]
        .iter()
        .any(|s| text.contains(s))
}

/// The address a page file at `content_path` had, also where its folder
/// is no longer a collection: what its place gives today, else what its
/// path made of it. `None` for the home page.
pub fn former_url_path(content_path: &str, config: &SiteConfig) -> Option<String> {
    if let Some(url) = url_path_of(content_path, config).filter(|u| !u.is_empty()) {
        return Some(url);
    }
    let stem = content_path.strip_suffix(".md")?;
    let stem = stem.strip_suffix("/index").unwrap_or(stem);
    let url = crate::slug::slugify_path(stem);
    (!url.is_empty() && url != "index").then(|| format!("{url}/"))
}

/// Where a file may not be, as (what is wrong, how to fix it).
type Misplaced = (String, String);

fn place(content_path: &str, config: &SiteConfig) -> Result<Placement, Misplaced> {
    let placement = place_by_folder(content_path, config)?;
    let slug = match &placement {
        Placement::Home => return Ok(placement),
        Placement::Free { slug } | Placement::InCollection { slug, .. } => slug,
    };
    if slug.is_empty() {
        return Err((
            "deze bestandsnaam heeft geen letters of cijfers, dus de pagina krijgt geen adres"
                .into(),
            "geef het bestand een naam met letters of cijfers, bijvoorbeeld `rioolvervanging.md`"
                .into(),
        ));
    }
    if slug.len() > MAX_NAME_BYTES {
        return Err((
            format!(
                "deze bestandsnaam is te lang voor een adres ({} tekens; hoogstens {MAX_NAME_BYTES})",
                slug.len()
            ),
            "kies een kortere bestandsnaam; de titel van de pagina mag lang blijven".into(),
        ));
    }
    Ok(placement)
}

/// A page of a collection, unless its address holds the pages of one of
/// the index's filters.
fn in_collection(
    config: &SiteConfig,
    collection: &str,
    slug: String,
) -> Result<Placement, Misplaced> {
    let filtered = config
        .collections
        .get(collection)
        .is_some_and(|c| c.is_filter_folder(&slug));
    if filtered {
        return Err((
            format!(
                "deze pagina zou op /{collection}/{slug}/ komen, waar twn de pagina's van het filter `{slug}` van het overzicht zet"
            ),
            "geef het bestand een andere naam".into(),
        ));
    }
    Ok(Placement::InCollection {
        collection: collection.to_owned(),
        slug,
    })
}

fn place_by_folder(content_path: &str, config: &SiteConfig) -> Result<Placement, Misplaced> {
    let parts: Vec<&str> = content_path.split('/').collect();
    let stem = |name: &str| name.trim_end_matches(".md").to_owned();
    let collections: Vec<&str> = config.collections.keys().map(String::as_str).collect();
    match parts.as_slice() {
        ["index.md"] => Ok(Placement::Home),
        [file] => {
            let slug = slugify(&stem(file));
            let taken = crate::urls::reserved_top(&slug).or_else(|| {
                config
                    .collections
                    .contains_key(&slug)
                    .then_some("het overzicht van die collectie")
            });
            match taken {
                Some(what) => Err((
                    format!("deze pagina zou op /{slug}/ komen, maar daar staat al {what}"),
                    "geef het bestand een andere naam".into(),
                )),
                None => Ok(Placement::Free { slug }),
            }
        }
        [folder, ..] if !config.collections.contains_key(*folder) => {
            let hint = closest(folder, collections.iter().copied())
                .map_or(String::new(), |c| format!(" Bedoelt u de collectie `{c}`?"));
            Err((
                format!("de map `{folder}/` is geen collectie.{hint}"),
                format!(
                    "pagina's staan direct in `content/` of in de map van een collectie uit twn.yaml ({}); voeg `{folder}` toe onder `collections:` in twn.yaml of verplaats het bestand",
                    collections.join(", ")
                ),
            ))
        }
        [collection, file] => in_collection(config, collection, slugify(&stem(file))),
        [collection, folder, "index.md"] => in_collection(config, collection, slugify(folder)),
        [collection, ..] => Err((
            "dit bestand staat te diep in de map".into(),
            format!(
                "een pagina van `{collection}` is `content/{collection}/<naam>.md` of `content/{collection}/<naam>/index.md`; verplaats het bestand"
            ),
        )),
        [] => Err((
            "lege bestandsnaam".into(),
            "geef het bestand een naam".into(),
        )),
    }
}

/// The page as an old text of its file had it, at `place`'s address: front
/// matter that no longer fits the schema keeps what does fit, and a text
/// whose front matter does not parse at all is shown as it was.
pub fn old_version(config: &SiteConfig, place: &Page, path: &str, text: String) -> Page {
    let front = old_front_matter(config, place, &text);
    old_version_with_front(config, place, path, text, front)
}

/// [`old_version`] with its front matter already read by
/// [`old_front_matter`]: a page's history shows each text in up to three
/// pages (its version and the diffs on both sides), and reads it once.
pub fn old_version_with_front(
    config: &SiteConfig,
    place: &Page,
    path: &str,
    text: String,
    front: Option<FrontAndBodyStart>,
) -> Page {
    let source = SourceFile {
        display_path: format!("{CONTENT_DIR}/{path}"),
        text,
    };
    let (front, body, body_offset) = match front {
        Some((front, body_offset)) => {
            let body = markdown::parse(&source.text[body_offset..], config.allow_html);
            (front, body, body_offset)
        }
        // Shown as the text it is, not read as Markdown: its YAML would
        // make headings and rules.
        None => {
            let mut front = place.front.clone();
            front.fields.clear();
            let longest_run = source
                .text
                .split(|c| c != '`')
                .map(str::len)
                .max()
                .unwrap_or(0);
            let fence = "`".repeat(longest_run.max(2) + 1);
            let shown = format!("{fence}yaml\n{}\n{fence}\n", source.text.trim_end());
            (front, markdown::parse(&shown, false), 0)
        }
    };
    let stand_in = body_offset == 0 && !source.text.is_empty();
    Page {
        source,
        content_path: place.content_path.clone(),
        collection: place.collection.clone(),
        slug: place.slug.clone(),
        url_path: place.url_path.clone(),
        front,
        body,
        body_offset,
        modified: place.modified,
        dropped_source: None,
        kept_front_matter: None,
        stand_in,
    }
}

/// Front matter read from a text of a page's file, and the byte where the
/// text's body starts.
pub type FrontAndBodyStart = (FrontMatter, usize);

/// The front matter of an old text of `place`'s file, and where its body
/// starts; `None` where it cannot be read. What a diff compares, without
/// reading the body as Markdown. It is read with the schema of the page's
/// collection today, wherever the file was then: one reading per text.
pub fn old_front_matter(
    config: &SiteConfig,
    place: &Page,
    text: &str,
) -> Option<FrontAndBodyStart> {
    let source = SourceFile {
        display_path: place.source.display_path.clone(),
        text: text.to_owned(),
    };
    read_old_front(config, place, &source)
}

/// Old front matter as far as it fits today's schema (a version without a
/// title goes by the page's), and where the body starts.
fn read_old_front(
    config: &SiteConfig,
    place: &Page,
    source: &SourceFile,
) -> Option<FrontAndBodyStart> {
    let split = frontmatter::split(source).ok()?;
    let no_fields = IndexMap::new();
    let fields = config
        .collection_of(place.collection.as_deref())
        .map_or(&no_fields, |c| &c.fields);
    let (mut front, _) = schema::validate(source, &split.front_matter, fields);
    if front.title.is_empty() {
        front.title = place.front.title.clone();
    }
    Some((front, split.body_offset))
}

/// Files editors leave beside the ones they save: swap, backup, lock and
/// safe-write temporaries. They are never pages or assets.
pub fn is_editor_leftover(file_name: &str) -> bool {
    const SUFFIXES: [&str; 9] = [
        "~",
        ".swp",
        ".swo",
        ".swx",
        ".tmp",
        ".kate-swp",
        ".crswap",
        "___jb_tmp___",
        "___jb_old___",
    ];
    file_name.starts_with('.')
        || (file_name.starts_with('#') && file_name.ends_with('#'))
        || file_name == "4913"
        || file_name == "Thumbs.db"
        || SUFFIXES.iter().any(|s| file_name.ends_with(s))
}

/// The Markdown files and other files (assets) under `content/`.
pub struct ContentFiles {
    pub markdown: Vec<(PathBuf, String)>,
    pub assets: Vec<(PathBuf, String)>,
    /// Symbolic links, left out: one could lead to any file on the
    /// machine, and a host would not publish it the same way.
    pub symlinks: Vec<String>,
}

impl ContentFiles {
    /// A warning per symbolic link left out.
    pub fn symlink_warnings(&self) -> impl Iterator<Item = Diagnostic> + '_ {
        self.symlinks.iter().map(|path| {
            Diagnostic::warning(
                format!("{CONTENT_DIR}/{path}"),
                "dit is een symbolische koppeling; twn slaat die over",
            )
            .help("zet het bestand of de map zelf in content/ in plaats van een koppeling ernaar")
        })
    }
}

pub fn discover(site_root: &Path) -> ContentFiles {
    let content = site_root.join(CONTENT_DIR);
    let mut files = ContentFiles {
        markdown: Vec::new(),
        assets: Vec::new(),
        symlinks: Vec::new(),
    };
    let walker = walkdir::WalkDir::new(&content)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() || e.path_is_symlink())
        .filter(|e| !is_editor_leftover(&e.file_name().to_string_lossy()))
    {
        let relative = entry.path().strip_prefix(&content).unwrap_or(entry.path());
        let content_path = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        if entry.path_is_symlink() {
            if entry.depth() > 0 {
                files.symlinks.push(content_path);
            }
            continue;
        }
        let is_markdown = relative
            .extension()
            .is_some_and(|e| e == "md" || e == "markdown");
        let list = if is_markdown {
            &mut files.markdown
        } else {
            &mut files.assets
        };
        list.push((entry.into_path(), content_path));
    }
    files
}

fn modification_date(path: &Path) -> Option<jiff::civil::Date> {
    let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok()?;
    let timestamp = jiff::Timestamp::try_from(modified).ok()?;
    let zoned = timestamp
        .in_tz("Europe/Amsterdam")
        .unwrap_or_else(|_| timestamp.to_zoned_datetime(jiff::tz::TimeZone::UTC));
    Some(zoned.date())
}

/// Reads, validates and parses every Markdown file, in parallel.
pub fn load_pages(
    config: &SiteConfig,
    files: &[(PathBuf, String)],
    include_drafts: bool,
) -> (Vec<Page>, Vec<Diagnostic>) {
    let results: Vec<(Option<Page>, Vec<Diagnostic>)> = files
        .par_iter()
        .map(|(path, content_path)| {
            // A large site does not keep every text for the few errors.
            load_page_without_text(config, path, content_path, include_drafts)
        })
        .collect();
    let mut pages = Vec::with_capacity(results.len());
    let mut diagnostics = Vec::new();
    for (page, problems) in results {
        pages.extend(page);
        diagnostics.extend(problems);
    }
    (pages, diagnostics)
}

/// Reads, validates and parses one Markdown file: the page, unless it
/// cannot be read or is a draft left out, and what is wrong with it.
pub fn load_page(
    config: &SiteConfig,
    path: &Path,
    content_path: &str,
    include_drafts: bool,
) -> (Option<Page>, Vec<Diagnostic>) {
    read_page(config, path, content_path, include_drafts, true)
}

/// [`load_page`] for a build, which keeps neither the text nor the body's
/// HTML until it renders the page (see [`Page::drop_source_text`]); the
/// HTML is not even written.
pub fn load_page_without_text(
    config: &SiteConfig,
    path: &Path,
    content_path: &str,
    include_drafts: bool,
) -> (Option<Page>, Vec<Diagnostic>) {
    let (mut page, problems) = read_page(config, path, content_path, include_drafts, false);
    if let Some(page) = &mut page {
        page.drop_source_text(path);
    }
    (page, problems)
}

fn read_page(
    config: &SiteConfig,
    path: &Path,
    content_path: &str,
    include_drafts: bool,
    write_html: bool,
) -> (Option<Page>, Vec<Diagnostic>) {
    let display_path = format!("{CONTENT_DIR}/{content_path}");
    let source = read_source(path, &display_path);
    page_from_source(
        config,
        path,
        content_path,
        include_drafts,
        source,
        write_html,
    )
}

/// The page file `path` would make if it read `text`: what the editor in
/// `twn serve` checks before it saves.
pub fn page_from_text(
    config: &SiteConfig,
    path: &Path,
    content_path: &str,
    text: String,
) -> (Option<Page>, Vec<Diagnostic>) {
    let source =
        crate::source::decode_source(text.into_bytes(), &format!("{CONTENT_DIR}/{content_path}"));
    page_from_source(config, path, content_path, true, source, true)
}

fn page_from_source(
    config: &SiteConfig,
    path: &Path,
    content_path: &str,
    include_drafts: bool,
    source: Result<SourceFile, Diagnostic>,
    write_html: bool,
) -> (Option<Page>, Vec<Diagnostic>) {
    let display_path = format!("{CONTENT_DIR}/{content_path}");
    let placement = match place(content_path, config) {
        Ok(p) => p,
        Err((message, help)) => {
            // The file's name is what is wrong; its title line shows which
            // page that is (the first line when it has none).
            let text = source.as_ref().map_or("", |s| s.text.as_str());
            let line = frontmatter::title_line(text).unwrap_or(1);
            let width = text.lines().nth(line - 1).map_or(1, |l| l.chars().count());
            let problem = Diagnostic::error(&display_path, message)
                .at(text, Position::new(line, 1))
                .marker(width)
                .help(help);
            return (None, vec![problem]);
        }
    };
    let (collection, slug, url_path) = placement.into_parts();
    let stand_in = |source: SourceFile, problem: Diagnostic| {
        let text = &source.text;
        let title = frontmatter::title_despite_front_matter(text).unwrap_or_else(|| slug.clone());
        let (body, body_offset) = frontmatter::body_despite_front_matter(text)
            .map_or_else(Default::default, |(body, offset)| {
                (markdown::parse(body, config.allow_html), offset)
            });
        let page = Page {
            modified: modification_date(path),
            content_path: content_path.to_owned(),
            collection: collection.clone(),
            slug: slug.clone(),
            url_path: url_path.clone(),
            front: FrontMatter {
                title,
                ..FrontMatter::default()
            },
            body,
            body_offset,
            source,
            dropped_source: None,
            kept_front_matter: None,
            stand_in: true,
        };
        (Some(page), vec![problem])
    };
    let source = match source {
        Ok(s) => s,
        Err(d) => {
            let empty = SourceFile {
                display_path: display_path.clone(),
                text: String::new(),
            };
            return stand_in(empty, d);
        }
    };
    let split = match frontmatter::split(&source) {
        Ok(s) => s,
        Err(d) => return stand_in(source.clone(), d),
    };
    let no_fields = IndexMap::new();
    let fields = collection
        .as_ref()
        .map_or(&no_fields, |c| &config.collections[c].fields);
    let (front, mut diagnostics) = schema::validate(&source, &split.front_matter, fields);
    let body = if write_html {
        markdown::parse(split.body, config.allow_html)
    } else {
        markdown::parse_without_html(split.body, config.allow_html)
    };
    let body_offset = split.body_offset;
    for refused in &body.refused_urls {
        let start = body_offset + refused.range.start;
        let written = source.text[start..body_offset + refused.range.end]
            .lines()
            .next()
            .unwrap_or_default();
        diagnostics.push(
            Diagnostic::error(&display_path, refused.refused.message.clone())
                .at(&source.text, Position::of_offset(&source.text, start))
                .marker(written.chars().count())
                .help(refused.refused.help.clone()),
        );
    }
    if front.draft && !include_drafts {
        return (None, diagnostics);
    }
    let page = Page {
        modified: modification_date(path),
        content_path: content_path.to_owned(),
        collection,
        slug,
        url_path,
        front,
        body,
        body_offset,
        source,
        dropped_source: None,
        kept_front_matter: None,
        stand_in: false,
    };
    (Some(page), diagnostics)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_whose_html_was_dropped_renders_the_same_from_its_file() {
        let dir = std::env::temp_dir().join(format!("twn-page-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("content")).unwrap();
        std::fs::write(
            dir.join("twn.yaml"),
            "title: T\nbase_url: https://example.org/\n",
        )
        .unwrap();
        let file = dir.join("content/water.md");
        std::fs::write(
            &file,
            "---\ntitle: Water\n---\n\n# Kop\n\nZie [[Almelo]] en *nadruk* & meer.\n",
        )
        .unwrap();
        let config = SiteConfig::load(&dir).unwrap();
        let (kept, _) = load_page(&config, &file, "water.md", false);
        let kept = kept.unwrap();
        let (dropped, _) = load_page_without_text(&config, &file, "water.md", false);
        let dropped = dropped.unwrap();
        assert!(dropped.body.html_dropped());
        assert!(dropped.source.text.is_empty());
        let (ids, kept_ids) = (&dropped.body.headings, &kept.body.headings);
        assert_eq!(
            ids.iter().map(|h| &h.id).collect::<Vec<_>>(),
            kept_ids.iter().map(|h| &h.id).collect::<Vec<_>>()
        );
        assert_eq!(dropped.body.links.len(), kept.body.links.len());
        assert_eq!(dropped.body_html(&[], false), kept.body_html(&[], false));
        assert_eq!(dropped.search_text(false), kept.search_text(false));
        assert!(kept.search_text(false).contains("Almelo en nadruk & meer"));
        // Edited since it was read, with another link: shown as written.
        std::fs::write(&file, "---\ntitle: Water\n---\n\n[[A]] [[B]]\n").unwrap();
        assert!(dropped.body_html(&[], false).contains("A"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// An old text with the page's own front matter takes the page's; any
    /// other is read from itself, and gives what reading it gives.
    #[test]
    fn only_the_pages_own_front_matter_is_taken_for_an_old_text() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        std::fs::write(
            dir.path().join("twn.yaml"),
            "title: T\nbase_url: https://example.org/\n",
        )
        .unwrap();
        let file = dir.path().join("content/water.md");
        let now = "---\ntitle: Water\ndescription: Nu\n---\n\nTekst van nu.\n";
        std::fs::write(&file, now).unwrap();
        let config = SiteConfig::load(dir.path()).unwrap();
        let mut page = load_page(&config, &file, "water.md", false).0.unwrap();
        for dropped in [false, true] {
            if dropped {
                page.drop_source_text(&file);
            }
            let own = &now[..page.body_offset];
            assert!(page.has_front_matter_text(own), "dropped: {dropped}");
            let (front, body_start) = old_front_matter(&config, &page, own).unwrap();
            assert_eq!(
                (front.title.as_str(), body_start),
                ("Water", page.body_offset)
            );
            assert_eq!(front.description, page.front.description);
            let other = "---\ntitle: Water\ndescription: Toen\n---\n";
            assert!(!page.has_front_matter_text(other));
            assert!(!page.has_front_matter_text(""));
            assert!(!page.has_front_matter_text(&own[..own.len() - 1]));
        }
    }
}
