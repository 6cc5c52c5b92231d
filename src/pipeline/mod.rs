//! The stages `twn build` and `twn serve` share: sources → pages →
//! resolved site ([`sources`]) → outputs (`render`) → disk (`output`) or
//! the preview's memory (`live`). Both commands open a site with the same
//! stages and get the same problems; what a change in the preview renders
//! again is decided by the dependency record ([`depends`]).

pub mod depends;
mod facts;
pub mod sources;
pub mod update;

pub use sources::{Opened, SourceOptions, open, timed};

use crate::config::SiteConfig;
use crate::fingerprint::KeyBuilder;
use crate::output::CopiedFile;
use crate::urls::STATIC_DIR;
use std::path::Path;

/// The settings that shape every page: twn.yaml as read and the options
/// that change what it says. Not `history`, which shapes only which
/// revisions have pages: their cache keys say so themselves, so that
/// trying another `versions` renders again only the pages whose links to
/// a neighbour change.
pub fn settings_fingerprint(config: &SiteConfig, drafts: bool) -> String {
    let mut shaping_every_page = config.clone();
    shaping_every_page.history = Default::default();
    let mut key = KeyBuilder::new("instellingen");
    key.add(&format!("{shaping_every_page:?}"))
        .add(if drafts { "concepten" } else { "" });
    key.finish()
}

/// The theme's static files (in `dir`), published as they are below
/// [`STATIC_DIR`].
pub fn static_files(dir: &Path) -> Vec<CopiedFile> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let relative = e
                .path()
                .strip_prefix(dir)
                .unwrap_or(e.path())
                .to_string_lossy()
                .replace('\\', "/");
            CopiedFile {
                from: e.into_path(),
                to: format!("{STATIC_DIR}{relative}"),
                link: false,
            }
        })
        .collect()
}
