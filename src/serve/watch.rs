//! Watching what a build reads: `content/`, `themes/` and `twn.yaml`.
//! Every burst of events (an editor's atomic save is several) arrives as
//! one list of paths after a short quiet time.

use notify_debouncer_full::notify::{self, PollWatcher, RecursiveMode};
use notify_debouncer_full::{
    DebounceEventResult, Debouncer, FileIdCache, NoCache, RecommendedCache,
};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Long enough to join the events of one save (an editor's write, or its
/// temporary file renamed over the page, come within a millisecond),
/// short enough that a reload follows a save in under 25 ms.
const QUIET_TIME: Duration = Duration::from_millis(8);
/// How often `--poll` looks at every file.
const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// Keeps watching until dropped.
pub struct Watch(#[allow(dead_code)] Arc<Mutex<dyn WatchFolder>>);

/// A watcher that can be told to watch a folder again.
trait WatchFolder: Send {
    fn watch_folder(&mut self, folder: &Path, mode: RecursiveMode) -> notify::Result<()>;
}

impl<W: notify::Watcher + Send, C: FileIdCache + Send> WatchFolder for Debouncer<W, C> {
    fn watch_folder(&mut self, folder: &Path, mode: RecursiveMode) -> notify::Result<()> {
        self.watch(folder, mode)
    }
}

/// The git folder of the repository the site is in, if it is in one.
pub fn git_dir(site_root: &Path) -> Option<PathBuf> {
    let repo = gix::discover(site_root).ok()?;
    std::path::absolute(repo.git_dir()).ok()
}

pub fn watch(
    site_root: &Path,
    git_dir: Option<&Path>,
    poll: bool,
    changes: Sender<Vec<PathBuf>>,
) -> notify::Result<Watch> {
    let folders = folders_to_watch(site_root, git_dir);
    // A watch on a folder ends with the folder: one removed and made again
    // (all pages deleted, then a new one) is watched again when it comes.
    let (rewatch, rewatch_requests) = std::sync::mpsc::channel();
    let recursive: Vec<PathBuf> = folders
        .iter()
        .filter(|(_, mode)| *mode == RecursiveMode::Recursive)
        .map(|(folder, _)| folder.clone())
        .collect();
    let changes_after_rewatch = changes.clone();
    let handler = move |result: DebounceEventResult| match result {
        Ok(events) => {
            let paths: Vec<PathBuf> = events
                .into_iter()
                .filter(|e| !e.kind.is_access())
                .flat_map(|e| e.event.paths)
                .collect();
            for folder in &recursive {
                if paths.contains(folder) && folder.is_dir() {
                    let _ = rewatch.send(folder.clone());
                }
            }
            if !paths.is_empty() {
                let _ = changes.send(paths);
            }
        }
        Err(errors) => {
            for error in errors {
                eprintln!("twn serve: bestanden volgen lukt niet helemaal: {error}");
            }
        }
    };
    let requests = Rewatch {
        requests: rewatch_requests,
        changes: changes_after_rewatch,
    };
    if poll {
        // Polling compares modification times in whole seconds; contents
        // too, or a second save within the same second would go unseen.
        let config = notify::Config::default()
            .with_poll_interval(POLL_INTERVAL)
            .with_compare_contents(true);
        let debouncer = notify_debouncer_full::new_debouncer_opt::<_, PollWatcher, NoCache>(
            QUIET_TIME, None, handler, NoCache, config,
        )?;
        watch_folders(debouncer, &folders, requests)
    } else {
        let debouncer = notify_debouncer_full::new_debouncer_opt::<
            _,
            notify::RecommendedWatcher,
            RecommendedCache,
        >(
            QUIET_TIME,
            None,
            handler,
            RecommendedCache::new(),
            notify::Config::default(),
        )?;
        watch_folders(debouncer, &folders, requests)
    }
}

/// The folders a build reads from, each with how deep to watch it.
fn folders_to_watch(site_root: &Path, git_dir: Option<&Path>) -> Vec<(PathBuf, RecursiveMode)> {
    // The site folder itself is watched, not twn.yaml: an editor that saves
    // by renaming a new file over the old one would end a watch on the file.
    let mut folders = vec![
        (site_root.to_path_buf(), RecursiveMode::NonRecursive),
        (
            site_root.join(crate::folders::CONTENT_DIR),
            RecursiveMode::Recursive,
        ),
        (
            site_root.join(crate::folders::THEMES_DIR),
            RecursiveMode::Recursive,
        ),
    ];
    // HEAD, the index and packed-refs sit in the git folder, branches below
    // refs/; objects are left alone, they only grow.
    if let Some(git_dir) = git_dir {
        folders.push((git_dir.to_path_buf(), RecursiveMode::NonRecursive));
        folders.push((git_dir.join("refs"), RecursiveMode::Recursive));
    }
    folders
}

/// Folders to watch again as they come back, and where to report what
/// they already hold by then.
struct Rewatch {
    requests: Receiver<PathBuf>,
    changes: Sender<Vec<PathBuf>>,
}

fn watch_folders<W, C>(
    mut debouncer: Debouncer<W, C>,
    folders: &[(PathBuf, RecursiveMode)],
    rewatch: Rewatch,
) -> notify::Result<Watch>
where
    W: notify::Watcher + Send + 'static,
    C: FileIdCache + Send + 'static,
{
    for (folder, mode) in folders.iter().filter(|(f, _)| f.is_dir()) {
        debouncer.watch(folder, *mode)?;
    }
    let watcher: Arc<Mutex<dyn WatchFolder>> = Arc::new(Mutex::new(debouncer));
    // Not from the watcher's own handler, which runs on its thread. The
    // thread ends with the watcher, whose handler holds the requests' sender.
    let weak = Arc::downgrade(&watcher);
    std::thread::spawn(move || {
        for folder in rewatch.requests {
            let Some(watcher) = weak.upgrade() else {
                break;
            };
            let watched = watcher
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .watch_folder(&folder, RecursiveMode::Recursive);
            if let Err(error) = watched {
                eprintln!("twn serve: bestanden volgen lukt niet helemaal: {error}");
                continue;
            }
            // What came into the folder before it was watched again.
            let present: Vec<PathBuf> = walkdir::WalkDir::new(&folder)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|entry| entry.file_type().is_file())
                .map(walkdir::DirEntry::into_path)
                .collect();
            if !present.is_empty() {
                let _ = rewatch.changes.send(present);
            }
        }
    });
    Ok(Watch(watcher))
}
