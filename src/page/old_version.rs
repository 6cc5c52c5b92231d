//! Old texts of a page's file, from its history, read as pages at the
//! page's address today.

use super::Page;
use crate::config::SiteConfig;
use crate::folders::CONTENT_DIR;
use crate::frontmatter;
use crate::markdown;
use crate::schema::{self, FrontMatter};
use crate::source::SourceFile;
use indexmap::IndexMap;

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
