//! Pages: the Markdown files under `content/`, parsed and validated.

mod assets;
mod content_files;
mod old_version;
mod placement;

pub use assets::asset_problems;
pub use content_files::{
    ContentFiles, content_folder_problem, discover, is_editor_leftover, is_symlink,
    linked_folder_error,
};
pub use old_version::{FrontAndBodyStart, old_front_matter, old_version, old_version_with_front};
pub use placement::{former_url_path, url_path_of};

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Position};
use crate::folders::CONTENT_DIR;
use crate::frontmatter;
use crate::markdown::{self, ParsedBody};
use crate::schema::{self, FrontMatter};
use crate::source::{SourceFile, read_source};
use indexmap::IndexMap;
use placement::place;
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

    /// The folder below `content/` that holds the page's file: what its
    /// Markdown file links and the files beside it are relative to.
    pub fn source_folder(&self) -> &str {
        self.content_path
            .rsplit_once('/')
            .map_or("", |(dir, _)| dir)
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
    diagnostics.extend(html_warnings(
        &display_path,
        &source.text,
        body_offset,
        &body,
    ));
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

/// What an editor should know of HTML in a body the site does not allow:
/// it is shown as text, and a comment without an end hides the rest.
fn html_warnings(
    display_path: &str,
    text: &str,
    body_offset: usize,
    body: &markdown::ParsedBody,
) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    if let Some(shown) = &body.html_shown_as_text {
        let start = body_offset + shown.first.start;
        let written = text[start..(body_offset + shown.first.end).min(text.len())]
            .lines()
            .next()
            .unwrap_or_default();
        let elsewhere = match shown.count {
            1 => String::new(),
            n => format!(" (op {n} plaatsen op deze pagina)"),
        };
        warnings.push(
            Diagnostic::warning(
                display_path,
                format!("HTML wordt als tekst getoond{elsewhere}"),
            )
            .at(text, Position::of_offset(text, start))
            .marker(written.trim_end().chars().count().max(1))
            .help("schrijf het in Markdown (**vet**, *schuin*, een lijst of een tabel); alleen als u iedereen vertrouwt die de wiki bewerkt: zet `allow_html: true` in twn.yaml"),
        );
    }
    if let Some(opened) = body.unclosed_comment {
        let start = body_offset + opened;
        let line = &text[start..];
        let column = line.find("<!--").unwrap_or(0);
        warnings.push(
            Diagnostic::warning(
                display_path,
                "opmerking zonder einde: alles erna blijft onzichtbaar",
            )
            .at(text, Position::of_offset(text, start + column))
            .marker(4)
            .help("sluit de opmerking af met `-->`"),
        );
    }
    warnings
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
