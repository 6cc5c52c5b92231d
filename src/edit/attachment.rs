//! A file an editor puts beside a page: which kinds may go there, the
//! name it gets, and the Markdown that shows or links it.

use crate::config::SiteConfig;
use crate::markdown::LinkKind;

/// What may be put beside a page: what readers' browsers show as an image
/// or a document, never a page or script of the site (SVG can carry one).
const ALLOWED: [&str; 7] = ["png", "jpg", "jpeg", "gif", "webp", "avif", "pdf"];

/// The Markdown that shows the image `name`, or links the document.
pub fn markdown_for(name: &str) -> String {
    if name.ends_with(".pdf") {
        format!("[Titel van het document]({name})")
    } else {
        format!("![Wat de afbeelding laat zien]({name})")
    }
}

/// The files below `content/` that the text of the page whose file is
/// `content_path` names by a relative or root URL (its images and links
/// to files), read as the site reads them: what a commit of the page
/// needs beside it. Not names that merely appear in its prose.
pub fn files_named(config: &SiteConfig, content_path: &str, text: &str) -> Vec<String> {
    let body = crate::frontmatter::body_despite_front_matter(text).map_or(text, |(body, _)| body);
    crate::markdown::parse(body, config.allow_html)
        .links
        .iter()
        .filter(|link| matches!(link.kind, LinkKind::Image | LinkKind::SiteAddress))
        .flat_map(|link| crate::resolve::paths_named(config, content_path, &link.target))
        .collect()
}

/// A safe name for `given`: its stem as a slug, its extension in lower
/// case; `None` for a kind that may not be put beside a page.
pub fn safe_name(given: &str) -> Option<(String, String)> {
    let base = given.rsplit(['/', '\\']).next().unwrap_or_default();
    let (stem, extension) = base.rsplit_once('.')?;
    let extension = extension.to_ascii_lowercase();
    if !ALLOWED.contains(&extension.as_str()) {
        return None;
    }
    let stem = crate::slug::slugify(stem);
    let stem = if stem.is_empty() {
        "bestand".to_owned()
    } else {
        stem
    };
    Some((stem.chars().take(80).collect(), extension))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_made_safe_and_only_images_and_pdfs_pass() {
        assert_eq!(
            safe_name("C:\\Users\\els\\Kaart van Twente.PNG"),
            Some(("kaart-van-twente".into(), "png".into()))
        );
        assert_eq!(safe_name("../../twn.yaml"), None);
        assert_eq!(safe_name("script.svg"), None);
        assert_eq!(safe_name("pagina.html"), None);
        assert_eq!(safe_name("geen-punt"), None);
        assert_eq!(safe_name("...pdf"), Some(("bestand".into(), "pdf".into())));
    }
}
