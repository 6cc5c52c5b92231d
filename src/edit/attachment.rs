//! A file an editor puts beside a page: which kinds may go there, the
//! name it gets, and the Markdown that shows or links it.

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

/// The folder below `content/` where files beside the page whose file is
/// `content_path` go: the folder its address names, where its Markdown
/// finds a file by name alone (`werkplaats/riool.md` → `werkplaats/riool`,
/// `regio/twente/index.md` → `regio/twente`, `index.md` → the top).
pub fn folder_beside(content_path: &str) -> &str {
    let stem = content_path.strip_suffix(".md").unwrap_or(content_path);
    match stem.rsplit_once('/') {
        Some((folder, "index")) => folder,
        None if stem == "index" => "",
        _ => stem,
    }
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
    fn files_go_to_the_folder_the_pages_address_names() {
        assert_eq!(folder_beside("werkplaats/riool.md"), "werkplaats/riool");
        assert_eq!(folder_beside("werkplaats/reindex.md"), "werkplaats/reindex");
        assert_eq!(folder_beside("regio/twente/index.md"), "regio/twente");
        assert_eq!(
            folder_beside("regio/twente/reindex.md"),
            "regio/twente/reindex"
        );
        assert_eq!(folder_beside("index.md"), "");
        assert_eq!(folder_beside("over.md"), "over");
    }

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
