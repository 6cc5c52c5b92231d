//! Recording a save in git: one commit of the page's file, and of the new
//! files beside it that its text names (what the editor uploaded for it),
//! with the editor's summary as its message and the editor as its author.
//! Nothing is pushed; that stays the editor's or CI's. Git itself makes the commit,
//! so the repository's hooks and settings apply as on the command line.

use std::path::Path;
use std::process::Command;

/// Who commits, as the editor gave it.
#[derive(Debug, Clone, Default)]
pub struct Author {
    pub name: String,
    pub email: String,
}

/// The author git is set up with in `repository`, if any.
pub fn configured_author(repository: &Path) -> Author {
    let setting = |key: &str| {
        Command::new("git")
            .args(["config", "--get", key])
            .current_dir(repository)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
            .unwrap_or_default()
    };
    Author {
        name: setting("user.name"),
        email: setting("user.email"),
    }
}

impl Author {
    /// Whether git can record this author as given: a name without the
    /// angle brackets or line ends of git's `Name <e-mail>`, and an e-mail
    /// address that is one.
    pub fn is_valid(&self) -> bool {
        let clean = |text: &str| !text.chars().any(|c| c.is_control() || c == '<' || c == '>');
        let (user, domain) = self.email.split_once('@').unwrap_or_default();
        !self.name.trim().is_empty()
            && clean(&self.name)
            && clean(&self.email)
            && !user.is_empty()
            && domain.contains('.')
            && !self.email.starts_with('-')
            && !self.email.contains(char::is_whitespace)
    }
}

/// What a save commits: the page's file, the folder beside it where its
/// uploads go, and the files its text names (all relative to the folder
/// git runs in).
pub struct SavedPage<'a> {
    pub path: &'a str,
    pub folder: &'a str,
    pub named: &'a [String],
}

/// Commits the page's file, with the files in its folder that git does not
/// track yet and its text names (a commit without them would not build
/// elsewhere), whatever else is staged; gives the new commit's short id
/// (none when all is as committed already), or git's words on why it
/// could not.
pub fn commit_page(
    repository: &Path,
    page: &SavedPage,
    summary: &str,
    author: &Author,
) -> Result<Option<String>, String> {
    let git = |args: &[&str]| {
        // Paths as they are: `[`, `*` and `:` in a name match nothing else.
        let output = Command::new("git")
            .arg("--literal-pathspecs")
            .args(["-c", &format!("user.name={}", author.name)])
            .args(["-c", &format!("user.email={}", author.email)])
            .args(args)
            .current_dir(repository)
            .output()
            .map_err(|e| format!("git kan niet gestart worden: {e}"))?;
        if output.status.success() {
            Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
        } else {
            let said = String::from_utf8_lossy(&output.stderr);
            let said = String::from_utf8_lossy(&output.stdout).trim().to_owned() + said.trim();
            Err(if said.is_empty() {
                "git gaf een fout".to_owned()
            } else {
                said
            })
        }
    };
    git(&["rev-parse", "--show-toplevel"])
        .map_err(|_| "deze site staat niet in een git-repository".to_owned())?;
    if !author.is_valid() {
        return Err("naam of e-mailadres kan git niet vastleggen".to_owned());
    }
    // On no branch (a detached HEAD, a rebase stopped midway) the commit
    // would be left behind by the next checkout.
    if git(&["symbolic-ref", "-q", "HEAD"]).is_err() {
        return Err("git staat op geen branch (een losse HEAD, of een rebase die halverwege stopte), dus de commit zou zoekraken: zet git eerst op een branch, bijvoorbeeld met `git switch main`, of maak de rebase af; de pagina is wel opgeslagen".to_owned());
    }
    let untracked = git(&[
        "ls-files",
        "-z",
        "--others",
        "--exclude-standard",
        "--",
        page.folder,
    ])?;
    let beside = |file: &&str| {
        let folder = file.rsplit_once('/').map_or("", |(folder, _)| folder);
        folder == page.folder.trim_end_matches('/') && page.named.iter().any(|named| named == file)
    };
    let mut paths = vec![page.path];
    paths.extend(
        untracked
            .split('\0')
            .filter(|f| !f.is_empty())
            .filter(beside),
    );
    let on_paths = |args: &[&str]| {
        let mut all = args.to_vec();
        all.push("--");
        all.extend(&paths);
        git(&all)
    };
    // What the user had staged already stays so; what twn staged is taken
    // back if the commit fails (a hook said no), or the user's next
    // commit would take it along.
    let staged_before =
        on_paths(&["diff", "--cached", "--relative", "--name-only", "-z"]).unwrap_or_default();
    let staged_by_twn: Vec<&str> = paths
        .iter()
        .copied()
        .filter(|path| !staged_before.split('\0').any(|staged| staged == *path))
        .collect();
    // The user's staged text of a path twn stages too (`git add -p`),
    // as index entries: `<mode> <blob> <stage>\t<path>`.
    let users_entries = match paths.len() - staged_by_twn.len() {
        0 => String::new(),
        _ => on_paths(&["ls-files", "--stage", "-z"]).unwrap_or_default(),
    };
    let unstage = || {
        if !staged_by_twn.is_empty() {
            let mut args = vec!["reset", "-q", "--"];
            args.extend(&staged_by_twn);
            let _ = git(&args);
        }
        for entry in users_entries.split('\0').filter(|e| !e.is_empty()) {
            let Some((info, path)) = entry.split_once('\t') else {
                continue;
            };
            if staged_by_twn.contains(&path) {
                continue;
            }
            if let [mode, blob, "0"] = info.split(' ').collect::<Vec<_>>()[..] {
                let _ = git(&[
                    "update-index",
                    "--cacheinfo",
                    &format!("{mode},{blob},{path}"),
                ]);
            }
        }
    };
    on_paths(&["add"]).inspect_err(|_| unstage())?;
    if on_paths(&["status", "--porcelain"])?.is_empty() {
        return Ok(None);
    }
    let ident = format!("{} <{}>", author.name, author.email);
    on_paths(&[
        "commit", "--quiet", "--only", "--author", &ident, "-m", summary,
    ])
    .inspect_err(|_| unstage())?;
    git(&["rev-parse", "--short", "HEAD"]).map(Some)
}
