//! Files beside pages that may not be published as they are.

use crate::diagnostics::{Diagnostic, Position};
use crate::folders::CONTENT_DIR;
use crate::urls::MAX_NAME_BYTES;
use std::path::{Path, PathBuf};

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
