//! A file put beside a page from the editor: an image or a PDF, saved in
//! the page's folder under a name made safe (never over a file that is
//! there), with the Markdown that shows or links it.

use super::editor::{Answer, EDIT_PREFIX, Editing, target, word};
use crate::edit::attachment::{markdown_for, safe_name};
use crate::files::{create_new_file, lies_within};
use crate::folders::CONTENT_DIR;
use crate::live::LiveSite;
use serde_json::json;

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
    // Beside the page, in the folder its address names, where its
    // Markdown finds `name` alone (`Oud Huis.md` is at `oud-huis/`).
    let folder = page.url_path.trim_matches('/');
    let content = session.site_root.join(CONTENT_DIR);
    let mut name = format!("{stem}.{extension}");
    let mut number = 1;
    let file = loop {
        let file = content.join(folder).join(&name);
        if !lies_within(&content, &file) {
            return refuse(live, "edit_outside");
        }
        match create_new_file(&file, bytes) {
            Ok(()) => break file,
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists && number < 1000 => {
                number += 1;
                name = format!("{stem}-{number}.{extension}");
            }
            Err(_) => return refuse(live, "edit_upload_failed"),
        }
    };
    super::print_new_warnings(&live.saved(&file));
    if wants_json {
        Answer::Json(json!({"name": name, "markdown": markdown_for(&name)}).to_string())
    } else {
        Answer::SeeOther(format!(
            "{EDIT_PREFIX}{}?bestand={name}",
            page.url.trim_start_matches('/')
        ))
    }
}
