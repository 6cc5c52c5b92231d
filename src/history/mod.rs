//! Where history comes from: the git repository around the site, read once
//! per build, in process. Each page learns its revisions (following renames),
//! whether its file matches its last commit, and which paths it had before.

mod cache;
mod follow;
pub(crate) use follow::{link_older_versions, order_newest_first};
mod renames;
mod tree_diff;
mod walk;

use crate::diagnostics::Diagnostic;
use gix::ObjectId;
use std::collections::HashMap;
use std::path::Path;

/// One commit that changed at least one page.
#[derive(Debug, Clone)]
pub struct CommitMeta {
    pub id: ObjectId,
    /// The author's name; the e-mail address is never kept.
    pub author: String,
    /// Author date: seconds since the epoch and the author's UTC offset.
    pub seconds: i64,
    pub offset: i32,
    pub message: String,
}

impl CommitMeta {
    pub fn time(&self) -> jiff::ZonedDateTime {
        let offset = jiff::tz::Offset::from_seconds(self.offset).unwrap_or(jiff::tz::Offset::UTC);
        jiff::Timestamp::from_second(self.seconds)
            .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
            .to_zoned_datetime(jiff::tz::TimeZone::fixed(offset))
    }

    /// The author date as the author saw it.
    pub fn date(&self) -> jiff::civil::Date {
        self.time().date()
    }

    /// The first line of the message.
    pub fn summary(&self) -> &str {
        self.message.lines().next().unwrap_or_default()
    }
}

/// Commit text as readers may see it: trailer lines that name people by
/// address (`Signed-off-by:`, `Co-authored-by:`, …) are left out, and any
/// other e-mail address is replaced, so no address from git is published.
pub fn without_addresses(text: &str) -> String {
    let is_trailer = |line: &str| {
        line.split_once(':').is_some_and(|(key, _)| {
            !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        }) && line.contains('@')
    };
    // The summary line is never a trailer.
    let kept: Vec<&str> = text
        .lines()
        .enumerate()
        .filter(|(n, line)| *n == 0 || !is_trailer(line))
        .map(|(_, line)| line)
        .collect();
    let mut out = String::with_capacity(text.len());
    for (n, line) in kept.iter().enumerate() {
        if n > 0 {
            out.push('\n');
        }
        out.push_str(&replace_addresses(line));
    }
    out.trim_end().to_owned()
}

/// `text` with every address (`name@host`, also `"a b"@host`,
/// `name@[10.0.0.1]` and `root@localhost`) replaced by `…`.
fn replace_addresses(text: &str) -> String {
    let local = |c: char| c.is_alphanumeric() || "._%+-'".contains(c);
    let domain = |c: char| c.is_alphanumeric() || ".-[]:".contains(c);
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '@' {
            let mut start = out.len();
            if out.ends_with('"') {
                // A quoted local part: back to its opening quote.
                start = out[..out.len() - 1].rfind('"').unwrap_or(start);
            } else {
                for (at, c) in out.char_indices().rev() {
                    if !local(c) {
                        break;
                    }
                    start = at;
                }
            }
            let end = (i + 1..chars.len())
                .find(|&j| !domain(chars[j]))
                .unwrap_or(chars.len());
            let host: String = chars[i + 1..end].iter().collect();
            let host = host.trim_end_matches(['.', ':']);
            if start < out.len() && host.chars().any(char::is_alphanumeric) {
                out.truncate(start);
                out.push('…');
                i = end;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// A change to one page file in one commit; paths are below `content/`.
#[derive(Debug, Clone)]
pub enum FileChange {
    Added {
        path: String,
        blob: ObjectId,
    },
    Deleted {
        path: String,
        previous: ObjectId,
    },
    Modified {
        path: String,
        previous: ObjectId,
        blob: ObjectId,
    },
    Renamed {
        from: String,
        previous: ObjectId,
        path: String,
        blob: ObjectId,
    },
}

impl FileChange {
    pub fn path(&self) -> &str {
        match self {
            FileChange::Added { path, .. }
            | FileChange::Deleted { path, .. }
            | FileChange::Modified { path, .. }
            | FileChange::Renamed { path, .. } => path,
        }
    }
}

/// One revision of a page: the file as a commit left it.
#[derive(Debug, Clone)]
pub struct Revision {
    /// Index into [`History::commits`].
    pub commit: usize,
    /// The file's path below `content/` in that commit.
    pub path: String,
    pub blob: ObjectId,
    /// The file before this commit; `None` where the commit created it.
    pub previous: Option<ObjectId>,
    /// Set where this commit renamed the file.
    pub renamed_from: Option<String>,
    /// For the end of a file whose page moved on while another file took
    /// its path later (a stub): where the page went.
    pub moved_to: Option<String>,
    /// Created in the oldest commit of a shallow clone: the page may be
    /// older, but its earlier history is not in the repository.
    pub cut_off: bool,
    /// This commit deleted the file (`blob` is then the empty blob).
    pub deleted: bool,
    /// Which revision, by its place in the same list, this one's changes
    /// are against: the one that left `previous` (on a branch, not always
    /// the next in the list).
    pub older: Option<usize>,
    /// Place in the commit graph, 0 nearest HEAD: the list is ordered by
    /// the dates shown, which a rebase or a branch can put out of order.
    pub order: usize,
}

impl Revision {
    /// The paths the file had in this commit and, if renamed, just before.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.path.as_str()).chain(self.renamed_from.as_deref())
    }
}

/// Which of `revisions` is the version with `blob` (with any text, for
/// `None`) nearest HEAD in the graph.
pub fn nearest_version(revisions: &[Revision], blob: Option<ObjectId>) -> Option<usize> {
    (0..revisions.len())
        .filter(|&k| !revisions[k].deleted)
        .filter(|&k| blob.is_none_or(|blob| revisions[k].blob == blob))
        .min_by_key(|&k| revisions[k].order)
}

/// A page whose file was deleted and is not in HEAD: its revisions and
/// the commit that deleted it, for the notice at its old address.
#[derive(Debug, Clone)]
pub struct DeletedPage {
    /// The file's last path below `content/`.
    pub path: String,
    pub deletion: Revision,
    /// Newest first, as for current pages.
    pub revisions: Vec<Revision>,
}

/// The history of every page file, from one pass over the commits.
pub struct History {
    /// Newest first; only commits that changed a page.
    pub commits: Vec<CommitMeta>,
    /// Per current path below `content/`, the revisions newest first.
    pub files: HashMap<String, Vec<Revision>>,
    /// Pages whose file was deleted, by their last path.
    pub deleted: Vec<DeletedPage>,
    /// The commit the history was read from; `None` in an empty repository.
    pub head: Option<ObjectId>,
    /// Digits of a commit id shown in URLs: at least 7, unique among `commits`.
    pub short_len: usize,
    pub shallow: bool,
    repo: gix::ThreadSafeRepository,
    /// `content/` relative to the repository's working tree.
    content_prefix: String,
}

/// A file as an old commit had it.
pub enum FileAt {
    Absent,
    Larger,
    Bytes(Vec<u8>),
}

/// What reading the history found.
pub struct HistoryRead {
    /// `None` outside a git repository.
    pub history: Option<History>,
    pub warnings: Vec<Diagnostic>,
}

/// Why the history cannot be read, for the editor.
fn unreadable(reason: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::error(".git", format!("de git-geschiedenis kan niet gelezen worden: {reason}"))
        .help("controleer de repository met `git fsck`; een kopie zonder .git-map wordt gebouwd met de bestandsdatums")
}

/// Reads the history of `site_root/content/` from the repository the site is in.
pub fn read(site_root: &Path) -> Result<HistoryRead, Diagnostic> {
    let Ok(repo) = gix::discover(site_root) else {
        return Ok(HistoryRead {
            history: None,
            warnings: Vec::new(),
        });
    };
    let Some(workdir) = repo.workdir() else {
        return Ok(HistoryRead {
            history: None,
            warnings: Vec::new(),
        });
    };
    let content_prefix = relative_components(workdir, &site_root.join(crate::folders::CONTENT_DIR))
        .ok_or_else(|| unreadable("de site ligt niet in de werkmap van de repository"))?;
    let shallow = repo.is_shallow().unwrap_or(false);
    let head = repo.head_id().ok().map(|id| id.detach());
    let repo = repo.into_sync();
    let cache = cache::HistoryCache::new(site_root);
    let content_path = content_prefix.join("/");
    // The commits, and whether the cache is to hold them (from `head`).
    let (commits, to_save) = match head {
        Some(head) => {
            // A shallow clone's boundary moves when it is deepened: read it all.
            let known = cache
                .load(&content_path)
                .filter(|k| !shallow && (k.head == head || is_ancestor(&repo, k.head, head)));
            match known {
                Some(known) if known.head == head => (known.commits, None),
                known => {
                    let since = known.as_ref().map(|k| k.head);
                    let mut commits = walk::read_commits(&repo, head, since, &content_prefix)?;
                    commits.extend(known.map(|k| k.commits).unwrap_or_default());
                    (commits, (!shallow).then_some(head))
                }
            }
        }
        // An empty repository: nothing is committed yet.
        None => (Vec::new(), None),
    };
    // The cache is written beside the tracing, which the rest of the build
    // waits for while the other cores are idle.
    let traced = std::thread::scope(|scope| {
        if let Some(head) = to_save {
            let (cache, content_path, commits) = (&cache, &content_path, &commits);
            scope.spawn(move || cache.save(content_path, head, commits));
        }
        follow::trace(&commits)
    });
    let mut history = follow::assemble(commits, traced, repo, content_path, shallow);
    history.head = head;
    let mut warnings = Vec::new();
    if shallow {
        warnings.push(
            Diagnostic::warning(
                ".git",
                "deze kopie van de repository is ondiep (shallow clone): de geschiedenis is afgekapt, dus datums en oude versies kloppen niet",
            )
            .help("haal de hele geschiedenis op met `git fetch --unshallow`; in GitHub Actions met `fetch-depth: 0` bij actions/checkout, in GitLab CI met de variabele `GIT_DEPTH: 0`"),
        );
    }
    Ok(HistoryRead {
        history: Some(history),
        warnings,
    })
}

/// Whether `ancestor` is reachable from `commit`.
fn is_ancestor(repo: &gix::ThreadSafeRepository, ancestor: ObjectId, commit: ObjectId) -> bool {
    let repo = repo.to_thread_local();
    repo.merge_base(ancestor, commit)
        .is_ok_and(|base| base.is_some_and(|b| b.detach() == ancestor))
}

/// The folder names leading from `base` to `path`, if `path` lies inside it.
fn relative_components(base: &Path, path: &Path) -> Option<Vec<String>> {
    let absolute =
        |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| crate::files::absolute(p));
    let base = absolute(base);
    // content/ may not exist yet; canonicalise its parent.
    let path = match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) => absolute(parent).join(name),
        _ => absolute(path),
    };
    let relative = path.strip_prefix(&base).ok()?;
    Some(
        relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect(),
    )
}

/// The revisions of one page and whether its file is as last committed.
#[derive(Debug, Clone, Default)]
pub struct PageHistory {
    pub revisions: Vec<Revision>,
    /// The revision whose text the file has, nearest HEAD in the graph:
    /// not always the newest by date (a rebase), nor the nearest (a merge
    /// that kept one side's text). Without one (edited since), the
    /// nearest.
    pub head: Option<usize>,
    /// The file is as `head` left it.
    pub committed: bool,
}

impl History {
    /// Each page's history, by its path below `content/` and its file.
    pub fn for_pages<'a>(
        &self,
        pages: impl rayon::iter::IndexedParallelIterator<Item = (&'a str, &'a Path)>,
    ) -> Vec<PageHistory> {
        use rayon::prelude::*;
        let index = self.repo.to_thread_local().index_or_empty().ok();
        pages
            .map(|(content_path, file)| {
                let revisions = self.files.get(content_path).cloned().unwrap_or_default();
                let nearest = |blob| nearest_version(&revisions, blob);
                let repo_path = format!("{}/{content_path}", self.content_prefix);
                let file_blob = revisions.first().and_then(|r| {
                    let index = index.as_ref().map(|i| &***i);
                    file_blob(index, &repo_path, file, r.blob.kind())
                });
                let with_text = file_blob.and_then(|blob| nearest(Some(blob)));
                PageHistory {
                    head: with_text.or_else(|| nearest(None)),
                    committed: with_text.is_some(),
                    revisions,
                }
            })
            .collect()
    }

    /// The text of a file as committed, `None` if it is absent. A text that
    /// was not UTF-8 (saved as Windows-1252, say) is shown as well as it
    /// can be, with replacement characters, rather than as nothing.
    pub fn blob_text(repo: &gix::Repository, blob: ObjectId) -> Option<String> {
        // Taken, not copied: most texts are UTF-8 with plain line ends.
        let mut bytes = std::mem::take(&mut repo.find_object(blob).ok()?.data);
        if bytes.starts_with(b"\xEF\xBB\xBF") {
            bytes.drain(..3);
        }
        let text = String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        Some(match text.contains('\r') {
            true => text.replace("\r\n", "\n"),
            false => text,
        })
    }

    /// A file as commit `commit` (an index into [`History::commits`]) had
    /// it, by its path below `content/`: its bytes, if it was a file of at
    /// most `at_most` bytes there.
    pub fn file_at(
        &self,
        repo: &gix::Repository,
        commit: usize,
        path: &str,
        at_most: u64,
    ) -> FileAt {
        let entry = repo
            .find_commit(self.commits[commit].id)
            .ok()
            .and_then(|commit| commit.tree().ok())
            .and_then(|tree| {
                let repo_path = format!("{}/{path}", self.content_prefix);
                tree.lookup_entry_by_path(repo_path).ok().flatten()
            });
        // A link's blob holds where it led, not a file.
        let Some(entry) = entry.filter(|entry| entry.mode().is_blob()) else {
            return FileAt::Absent;
        };
        match repo.find_header(entry.oid()) {
            Ok(header) if header.size() > at_most => FileAt::Larger,
            Ok(_) => match entry.object() {
                Ok(mut object) => FileAt::Bytes(std::mem::take(&mut object.data)),
                Err(_) => FileAt::Absent,
            },
            Err(_) => FileAt::Absent,
        }
    }

    /// A view of the repository for the current thread, to read blobs with.
    pub fn reader(&self) -> gix::Repository {
        let mut repo = self.repo.to_thread_local();
        repo.object_cache_size_if_unset(4 * 1024 * 1024);
        repo
    }

    pub fn short_id(&self, commit: usize) -> String {
        self.commits[commit]
            .id
            .to_hex_with_len(self.short_len)
            .to_string()
    }
}

/// The blob id of the file as it is now: the index's, for a file untouched
/// since `git add` (by its stat data); else the file hashed.
fn file_blob(
    index: Option<&gix::index::File>,
    repo_path: &str,
    file: &Path,
    kind: gix::hash::Kind,
) -> Option<ObjectId> {
    use gix::bstr::ByteSlice;
    if let (Some(index), Ok(metadata)) =
        (index, gix::index::fs::Metadata::from_path_no_follow(file))
        && let Some(entry) = index.entry_by_path(repo_path.as_bytes().as_bstr())
        && let Ok(stat) = gix::index::entry::Stat::from_fs(&metadata)
        && entry.stat.matches(&stat, Default::default())
        && !is_racy(index, &entry.stat)
    {
        return Some(entry.id);
    }
    let bytes = std::fs::read(file).ok()?;
    gix::objs::compute_hash(kind, gix::objs::Kind::Blob, &bytes).ok()
}

/// A file changed in the same second the index was written may have
/// changed again unseen: git's "racy clean" case, decided by hashing.
fn is_racy(index: &gix::index::File, stat: &gix::index::entry::Stat) -> bool {
    index
        .timestamp()
        .unix_seconds()
        .checked_sub(i64::from(stat.mtime.secs))
        .is_none_or(|age| age <= 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_address_survives_in_commit_text() {
        let message = "Tekst bijgewerkt, zie mail van jan.jansen@almelo.nl\n\nMet dank aan <piet@example.org>.\n\nCo-authored-by: Anna <anna@vechtstromen.nl>\nSigned-off-by: Bas <bas@example.org>";
        let shown = without_addresses(message);
        assert!(!shown.contains('@'), "{shown}");
        assert!(
            shown.starts_with("Tekst bijgewerkt, zie mail van …"),
            "{shown}"
        );
        assert!(!shown.contains("Anna"), "{shown}");
        assert_eq!(
            without_addresses("Gemeente @ Twente, 10:00"),
            "Gemeente @ Twente, 10:00"
        );
        for address in ["\"jan jansen\"@x.nl", "jan@[10.0.0.1]", "root@localhost"] {
            let shown = without_addresses(&format!("Zie {address} voor meer."));
            assert_eq!(shown, "Zie … voor meer.", "{address}");
        }
        assert!(without_addresses("Fix: zie jan@x.nl").starts_with("Fix: zie …"));
    }

    /// Old texts read as the current ones are: without a byte order mark,
    /// with plain line ends, and text that is not UTF-8 shown as well as
    /// it can be.
    #[test]
    fn committed_texts_are_read_as_editors_saved_them() {
        let dir = tempfile::tempdir().unwrap();
        let git = |args: &[&str], input: Option<&[u8]>| {
            use std::io::Write;
            let _turn = crate::test_turns::starting_processes();
            let mut child = std::process::Command::new("git")
                .current_dir(dir.path())
                .args(args)
                .env("GIT_CONFIG_GLOBAL", "/dev/null")
                .env("GIT_CONFIG_NOSYSTEM", "1")
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .spawn()
                .expect("git is installed");
            child
                .stdin
                .take()
                .unwrap()
                .write_all(input.unwrap_or_default())
                .unwrap();
            let output = child.wait_with_output().unwrap();
            assert!(output.status.success(), "git {args:?}");
            String::from_utf8(output.stdout).unwrap().trim().to_owned()
        };
        git(&["init", "-q"], None);
        let repo = gix::open(dir.path()).unwrap();
        let text_of = |bytes: &[u8]| {
            let id = git(&["hash-object", "-w", "--stdin"], Some(bytes));
            History::blob_text(&repo, ObjectId::from_hex(id.as_bytes()).unwrap()).unwrap()
        };
        assert_eq!(
            text_of(b"titel: Almelo\n\nTekst\n"),
            "titel: Almelo\n\nTekst\n"
        );
        assert_eq!(
            text_of(b"\xEF\xBB\xBFtitel: Almelo\r\n\r\nTekst\r\n"),
            "titel: Almelo\n\nTekst\n"
        );
        assert_eq!(text_of(b"Caf\xE9\r\n"), "Caf\u{FFFD}\n");
        assert_eq!(text_of(b"los\rteken\n"), "los\rteken\n");
        assert_eq!(text_of(b""), "");
    }
}
