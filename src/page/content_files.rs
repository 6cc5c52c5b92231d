//! Finding the files under `content/`: pages, assets, and what is left
//! out (editor leftovers, hidden files, symbolic links).

use crate::diagnostics::{Diagnostic, Position};
use crate::folders::CONTENT_DIR;
use std::path::{Path, PathBuf};

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
