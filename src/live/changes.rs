//! What a burst of file events means for the site: which pages, theme
//! parts or settings changed. Editors' temporary files are left out.

use crate::folders::{CONTENT_DIR, THEMES_DIR};
use crate::page::is_editor_leftover;
use std::collections::BTreeSet;
use std::path::{Component, Path};

#[derive(Debug, Default, Clone, PartialEq)]
pub struct ChangeSet {
    /// `twn.yaml` changed: everything is read again.
    pub config: bool,
    /// A template or the strings of the theme in use changed.
    pub theme: bool,
    /// A file in the theme's `static/` changed.
    pub theme_static: bool,
    /// Markdown files below `content/` that changed, appeared or went, by
    /// their path below `content/`.
    pub pages: BTreeSet<String>,
    /// Another file below `content/` changed.
    pub assets: bool,
    /// A folder below `content/` came or went: look at every file again.
    pub rescan: bool,
    /// The repository moved on (a commit, a checkout, `git add`): history,
    /// stamps and recent changes are read again.
    pub git: bool,
}

impl ChangeSet {
    pub fn from_paths<'a>(
        site_root: &Path,
        theme: &str,
        paths: impl IntoIterator<Item = &'a Path>,
    ) -> ChangeSet {
        let mut changes = ChangeSet::default();
        for path in paths {
            changes.add(site_root, theme, path);
        }
        changes
    }

    pub fn is_empty(&self) -> bool {
        *self == ChangeSet::default()
    }

    pub fn merge(&mut self, other: ChangeSet) {
        self.config |= other.config;
        self.theme |= other.theme;
        self.theme_static |= other.theme_static;
        self.pages.extend(other.pages);
        self.assets |= other.assets;
        self.rescan |= other.rescan;
        self.git |= other.git;
    }

    /// Notes the events below the repository's git folder that change what
    /// the history says: HEAD, branches and tags, and the index.
    pub fn add_git_events<'a>(
        &mut self,
        git_dir: &Path,
        paths: impl IntoIterator<Item = &'a Path>,
    ) {
        for path in paths {
            let Ok(relative) = path.strip_prefix(git_dir) else {
                continue;
            };
            let first = relative
                .components()
                .next()
                .map(|c| c.as_os_str().to_string_lossy());
            if matches!(
                first.as_deref(),
                Some("HEAD" | "index" | "packed-refs" | "refs")
            ) {
                self.git = true;
            }
        }
    }

    fn add(&mut self, site_root: &Path, theme: &str, path: &Path) {
        let Ok(relative) = path.strip_prefix(site_root) else {
            return;
        };
        let parts: Vec<String> = relative
            .components()
            .filter_map(|c| match c {
                Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect();
        let Some(name) = parts.last() else { return };
        if is_editor_leftover(name) {
            return;
        }
        match parts.first().map(String::as_str) {
            Some(crate::folders::CONFIG_FILE) if parts.len() == 1 => self.config = true,
            Some(CONTENT_DIR) if parts.len() == 1 => self.rescan = true,
            Some(CONTENT_DIR) => {
                let below = parts[1..].join("/");
                if below.ends_with(".md") || below.ends_with(".markdown") {
                    self.pages.insert(below);
                } else if path.is_dir() || (!path.exists() && !name.contains('.')) {
                    // A folder, or what was one: its files moved with it.
                    self.rescan = true;
                } else {
                    self.assets = true;
                }
            }
            Some(THEMES_DIR) if parts.get(1).is_some_and(|t| t == theme) => {
                if parts.get(2).is_some_and(|p| p == "static") {
                    self.theme_static = true;
                } else {
                    self.theme = true;
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_files_and_other_themes_are_left_out() {
        let root = Path::new("/site");
        let paths = [
            "/site/content/regio/.twente.md.swp",
            "/site/content/regio/twente.md~",
            "/site/content/regio/4913",
            "/site/content/regio/twente.md___jb_tmp___",
            "/site/themes/ander/templates/page.html",
            "/site/public/index.html",
        ];
        let changes = ChangeSet::from_paths(root, "default", paths.iter().map(Path::new));
        assert!(changes.is_empty(), "{changes:?}");
    }

    #[test]
    fn paths_are_sorted_by_what_they_change() {
        let root = Path::new("/site");
        let paths = [
            "/site/content/regio/twente.md",
            "/site/content/regio/kaart.png",
            "/site/themes/default/templates/page.html",
            "/site/themes/default/static/style.css",
            "/site/twn.yaml",
        ];
        let changes = ChangeSet::from_paths(root, "default", paths.iter().map(Path::new));
        assert_eq!(
            changes,
            ChangeSet {
                config: true,
                theme: true,
                theme_static: true,
                pages: BTreeSet::from(["regio/twente.md".to_owned()]),
                assets: true,
                rescan: false,
                git: false,
            }
        );
    }
}
