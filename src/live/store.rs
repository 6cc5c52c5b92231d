//! What the preview server serves: every rendered output in memory, where
//! the files served as they are live, the current errors, and a short log
//! of the URLs each change touched, so that a tab reloads only when its
//! own page changed, and only once the new output is in place.

use crate::artifact::OutputFile;
use bytes::Bytes;
use serde::Serialize;
use std::collections::{HashMap, HashSet, VecDeque};
use std::path::PathBuf;

/// Changes remembered for tabs that reconnect after missing some.
const LOG_LENGTH: usize = 200;

#[derive(Debug, Default)]
pub struct Store {
    files: HashMap<String, Bytes>,
    copies: HashMap<String, PathBuf>,
    /// History pages, old versions and diffs, rendered when first asked for.
    revisions: HashMap<String, Bytes>,
    /// URL paths (below the base) of the pages whose revisions are in.
    revision_owners: HashSet<String>,
    error: Option<String>,
    /// URL paths (below the base) of the pages the editor can open.
    editable: HashSet<String>,
    /// URL paths of the collections' indexes, by collection: each offers a new page.
    indexes: HashMap<String, String>,
    generation: u64,
    log: VecDeque<Reload>,
    /// The first build of `twn serve` is under way: a page not in yet may
    /// still come.
    opening: bool,
}

/// What changed since a generation, as a tab learns it.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Reload {
    pub generation: u64,
    /// Every page changed (settings, theme strings or assets).
    pub all: bool,
    /// URL paths whose output changed, appeared or went.
    pub paths: Vec<String>,
    /// Every history page, old version and diff changed.
    pub revisions: bool,
    /// The errors that hold the site back, as the terminal shows them.
    pub error: Option<String>,
}

/// One response's worth of the store.
pub enum Served {
    Output(Bytes),
    /// A file served from where it is.
    Copy(PathBuf),
}

impl Store {
    /// A store for `twn serve`'s first build, which fills it.
    pub fn opening() -> Store {
        Store {
            opening: true,
            ..Store::default()
        }
    }

    pub fn is_opening(&self) -> bool {
        self.opening
    }

    /// The first build is done, well or with errors.
    pub fn opened(&mut self) {
        self.opening = false;
    }

    pub fn generation(&self) -> u64 {
        self.generation
    }

    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// Whether the page at `url_path` (below the base) can be edited.
    pub fn is_editable(&self, url_path: &str) -> bool {
        self.editable.contains(url_path)
    }

    /// The collection whose index is at `url_path`, if any.
    pub fn collection_at(&self, url_path: &str) -> Option<&str> {
        self.indexes.get(url_path).map(String::as_str)
    }

    pub fn set_editable(&mut self, url_paths: HashSet<String>, indexes: HashMap<String, String>) {
        self.editable = url_paths;
        self.indexes = indexes;
    }

    /// The output at `path` below the site, e.g. `regio/x/index.html`.
    pub fn get(&self, path: &str) -> Option<Served> {
        if let Some(bytes) = self.files.get(path).or_else(|| self.revisions.get(path)) {
            return Some(Served::Output(bytes.clone()));
        }
        self.copies.get(path).cloned().map(Served::Copy)
    }

    /// Every rendered output but revision pages, by path below the site.
    pub fn outputs(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files
            .iter()
            .map(|(path, bytes)| (path.as_str(), &bytes[..]))
    }

    /// Every path the store answers for: rendered outputs, revision pages
    /// rendered so far and the files served as they are.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files
            .keys()
            .chain(self.revisions.keys())
            .chain(self.copies.keys())
            .map(String::as_str)
    }

    pub(super) fn has_revisions_of(&self, owner: &str) -> bool {
        self.revision_owners.contains(owner)
    }

    pub(super) fn add_revisions(&mut self, owner: String, files: Vec<(String, Bytes)>) {
        self.revisions.extend(files);
        self.revision_owners.insert(owner);
    }

    /// Puts new outputs in place and logs what changed; returns how many
    /// outputs did. `everything` replaces all outputs; `drop_revisions`
    /// drops every revision page rendered so far.
    pub(super) fn publish(
        &mut self,
        base_path: &str,
        files: Vec<OutputFile>,
        gone: HashSet<String>,
        everything: bool,
        copies: Option<HashMap<String, PathBuf>>,
        drop_revisions: bool,
    ) -> usize {
        // During the first build a tab can only show what was published
        // ahead of it (the home page): only a change to that reloads it.
        let first_build = self.opening;
        let mut reload = Reload {
            all: !first_build && (everything || copies.is_some()),
            ..Reload::default()
        };
        let mut changed = 0;
        if everything {
            if first_build {
                for file in &files {
                    if self
                        .files
                        .get(&file.path)
                        .is_some_and(|b| b[..] != file.contents[..])
                    {
                        reload.paths.push(url_of(base_path, &file.path));
                    }
                }
            }
            changed = files.len();
            self.files = files
                .into_iter()
                .map(|f| (f.path, Bytes::from(f.contents)))
                .collect();
        } else {
            for path in gone {
                if self.files.remove(&path).is_some() {
                    changed += 1;
                    reload.paths.push(url_of(base_path, &path));
                }
            }
            for file in files {
                if self.files.get(&file.path).map(|b| &b[..]) != Some(&file.contents[..]) {
                    changed += 1;
                    reload.paths.push(url_of(base_path, &file.path));
                    self.files.insert(file.path, Bytes::from(file.contents));
                }
            }
        }
        if let Some(copies) = copies {
            self.copies = copies;
        }
        if drop_revisions {
            reload.revisions = !self.revision_owners.is_empty();
            self.revisions.clear();
            self.revision_owners.clear();
        }
        let had_error = self.error.take().is_some();
        if changed > 0 || reload.all || reload.revisions || had_error {
            self.log(reload);
        }
        changed
    }

    /// Shows `report` in every tab; the outputs stay as they were.
    pub fn publish_error(&mut self, report: String) {
        if self.error.as_deref() != Some(report.as_str()) {
            self.error = Some(report);
            self.log(Reload::default());
        }
    }

    fn log(&mut self, mut reload: Reload) {
        self.generation += 1;
        reload.generation = self.generation;
        self.log.push_back(reload);
        if self.log.len() > LOG_LENGTH {
            self.log.pop_front();
        }
    }

    /// Everything that changed after `generation`, merged.
    pub fn since(&self, generation: u64) -> Reload {
        let mut merged = Reload {
            generation: self.generation,
            error: self.error.clone(),
            ..Reload::default()
        };
        if generation >= self.generation {
            return merged;
        }
        let remembered = self.log.front().map_or(u64::MAX, |r| r.generation);
        merged.all = remembered > generation + 1;
        for reload in self.log.iter().filter(|r| r.generation > generation) {
            merged.all |= reload.all;
            merged.revisions |= reload.revisions;
            for path in &reload.paths {
                if !merged.paths.contains(path) {
                    merged.paths.push(path.clone());
                }
            }
        }
        merged
    }
}

/// The URL path of an output file: `regio/x/index.html` is `/regio/x/`.
fn url_of(base_path: &str, output: &str) -> String {
    let path = output.strip_suffix("index.html").unwrap_or(output);
    format!("{base_path}{path}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            contents: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn only_outputs_that_differ_are_reported_and_tabs_catch_up() {
        let mut store = Store::default();
        let files = vec![file("index.html", "a"), file("regio/x/index.html", "b")];
        store.publish("/", files, HashSet::new(), true, None, false);
        assert_eq!(store.generation(), 1);
        let same_and_new = vec![file("index.html", "a"), file("regio/x/index.html", "c")];
        assert_eq!(
            store.publish("/", same_and_new, HashSet::new(), false, None, false),
            1
        );
        store.publish_error("fout".into());
        let gone = HashSet::from(["regio/x/index.html".to_owned()]);
        store.publish("/", Vec::new(), gone, false, None, false);
        let caught_up = store.since(1);
        assert_eq!(caught_up.paths, ["/regio/x/"]);
        assert!(!caught_up.all && caught_up.error.is_none());
        assert_eq!(store.since(2).paths, ["/regio/x/"]);
        assert!(store.since(4).paths.is_empty());
        assert!(store.get("regio/x/index.html").is_none());
    }
}
