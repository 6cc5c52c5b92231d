//! A file put beside a page from the editor: an image or a PDF, saved in
//! the page's folder under a name made safe (never over a file that is
//! there), with the Markdown that shows or links it.

use super::editor::{Answer, EDIT_PREFIX, Editing, target, word, write_new};
use crate::folders::CONTENT_DIR;
use crate::live::LiveSite;
use serde_json::json;

/// Below [`EDIT_PREFIX`]: where a page's form sends a file, `_bestand/<page>/`.
pub const UPLOAD: &str = "_bestand/";

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

/// A safe name for `given`: its stem as a slug, its extension in lower
/// case; `None` for a kind that may not be put beside a page.
fn safe_name(given: &str) -> Option<(String, String)> {
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

/// Saves `bytes` (sent as `given`) beside the page at `url_path`.
/// `wants_json` answers the form's script; a plain form post goes back
/// to the form, which shows the Markdown to use.
pub fn upload(
    live: &mut LiveSite,
    session: &Editing,
    url_path: &str,
    given: &str,
    bytes: &[u8],
    wants_json: bool,
) -> Answer {
    let page = match target(live, url_path) {
        Ok(page) => page,
        Err(answer) => return answer,
    };
    let refuse = |live: &LiveSite, key: &str| {
        let message = word(live, key);
        if wants_json {
            Answer::Json(json!({"error": message}).to_string())
        } else {
            Answer::NotFound(message)
        }
    };
    let Some((stem, extension)) = safe_name(given).filter(|_| !bytes.is_empty()) else {
        return refuse(live, "edit_upload_refused");
    };
    // Beside the page: in the folder its address names, where its
    // Markdown finds `name` without a path.
    let stem_of_page = page.content_path.trim_end_matches(".md");
    let folder = stem_of_page
        .strip_suffix("index")
        .unwrap_or(stem_of_page)
        .trim_end_matches('/');
    let content = session.site_root.join(CONTENT_DIR);
    let mut name = format!("{stem}.{extension}");
    let mut number = 1;
    let file = loop {
        let file = content.join(folder).join(&name);
        match write_new(&file, bytes) {
            Ok(()) => break file,
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists && number < 1000 => {
                number += 1;
                name = format!("{stem}-{number}.{extension}");
            }
            Err(_) => return refuse(live, "edit_upload_failed"),
        }
    };
    live.saved(&file);
    if wants_json {
        Answer::Json(json!({"name": name, "markdown": markdown_for(&name)}).to_string())
    } else {
        Answer::SeeOther(format!(
            "{EDIT_PREFIX}{}?bestand={name}",
            page.url.trim_start_matches('/')
        ))
    }
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
