//! Which folder a build may replace. A build swaps its output folder for a
//! new one, so a wrong `--out` would delete whatever is there: the site, a
//! git repository, an editor's own files. Before anything is written, the
//! folder must be new, empty, or an earlier output of twn (which carries a
//! marker file), and lie apart from the site's own sources.

use std::path::{Component, Path, PathBuf};

/// Kept in every output folder: the folder is twn's to replace.
pub const MARKER_FILE: &str = ".twn-uitvoer";
pub const MARKER_TEXT: &str =
    "Deze map is gemaakt door twn build en wordt bij elke build vervangen.\n";

/// Why a folder may not be the output, and what to do instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub message: String,
    pub help: String,
}

/// Checks that `out_dir` may be replaced by a build of the site at
/// `site_root`. Only what the folder itself holds counts: the site's own
/// files (its cache included) may come from anyone who can commit.
pub fn check_replaceable(site_root: &Path, out_dir: &Path) -> Result<(), Refusal> {
    let out = resolved(out_dir);
    let root = resolved(site_root);
    let shown = out_dir.display();
    let choose = "kies met --out een nieuwe of lege map, bijvoorbeeld `--out public`";
    let refuse = |message: String, help: &str| {
        Err(Refusal {
            message,
            help: help.to_owned(),
        })
    };
    // The build swaps its output in by renaming: a link named as the
    // output would be replaced by a folder, and the old output it leads
    // to removed through it.
    let as_named: std::path::PathBuf = out_dir.components().collect();
    if std::fs::symlink_metadata(&as_named).is_ok_and(|m| m.file_type().is_symlink()) {
        return refuse(
            format!("de uitvoermap {shown} is een symbolische koppeling"),
            &format!(
                "geef met --out de map zelf waar de koppeling naartoe wijst: `--out {}`",
                out.display()
            ),
        );
    }
    if root.starts_with(&out) {
        let what = if root == out { "is" } else { "bevat" };
        return refuse(
            format!(
                "de uitvoermap {shown} {what} de map van de site; een build zou de site vervangen"
            ),
            choose,
        );
    }
    // A rename takes no path that ends in `..`.
    if as_named.ends_with("..") || as_named.as_os_str().is_empty() {
        return refuse(
            format!("de uitvoermap {shown} eindigt op `..`"),
            "geef de map zelf bij haar naam, bijvoorbeeld `--out ../public`",
        );
    }
    for (own, what) in [
        (crate::folders::CONTENT_DIR, "de pagina's"),
        (crate::folders::THEMES_DIR, "de thema's"),
        (crate::folders::CONFIG_FILE, "de instellingen"),
        (crate::folders::CACHE_DIR, "de cache van twn"),
    ] {
        let own_path = root.join(own);
        if out.starts_with(&own_path) {
            let place = if out == own_path { "is" } else { "ligt in" };
            return refuse(
                format!("de uitvoermap {shown} {place} `{own}`, waar {what} van de site staan"),
                choose,
            );
        }
    }
    if out.components().any(|c| c.as_os_str() == ".git") {
        return refuse(
            format!("de uitvoermap {shown} ligt in een git-repository (`.git`)"),
            choose,
        );
    }
    match std::fs::symlink_metadata(&out) {
        Err(_) => return Ok(()),
        Ok(meta) if !meta.is_dir() => {
            return refuse(
                format!("de uitvoermap {shown} is een bestand, geen map"),
                choose,
            );
        }
        Ok(_) => {}
    }
    if let Some(mount) = super::mounts::mount_at_or_below(&out) {
        return if mount == out {
            refuse(
                format!(
                    "de uitvoermap {shown} is een koppelpunt van een ander bestandssysteem; een build kan haar niet vervangen"
                ),
                &format!(
                    "laat twn bouwen in een map daarbinnen, bijvoorbeeld `--out {}`, en laat de webserver die map gebruiken",
                    as_named.join("site").display()
                ),
            )
        } else {
            refuse(
                format!(
                    "in de uitvoermap {shown} is {} aangekoppeld, een ander bestandssysteem; een build zou de bestanden daarin verwijderen",
                    mount.display()
                ),
                "koppel die map buiten de uitvoermap aan en laat de webserver haar daar gebruiken",
            )
        };
    }
    if out.join(".git").exists() {
        return refuse(
            format!(
                "de uitvoermap {shown} is een git-repository (er staat een map `.git` in); een build zou die vervangen"
            ),
            "laat twn in een eigen map bouwen en kopieer de uitvoer daarna naar de repository, of kies met --out een nieuwe map",
        );
    }
    if let Some(tracked) = crate::git_files::tracked_file_below(&out) {
        return refuse(
            format!(
                "de uitvoermap {shown} bevat bestanden die in git staan, zoals {tracked}; een build zou ze verwijderen"
            ),
            choose,
        );
    }
    let empty = std::fs::read_dir(&out).map_or(true, |mut entries| entries.next().is_none());
    if empty || out.join(MARKER_FILE).is_file() {
        return Ok(());
    }
    refuse(
        format!(
            "de uitvoermap {shown} bevat bestanden die twn niet gemaakt heeft; een build zou ze verwijderen"
        ),
        &format!("{choose}; of verwijder de map {shown} zelf als alles erin weg mag"),
    )
}

/// `path` made absolute, with symbolic links and `..` resolved as far as
/// the folders exist, so that two names for one folder compare equal.
fn resolved(path: &Path) -> PathBuf {
    let absolute = crate::files::absolute(path);
    let mut out = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => {
                out.push(other);
                if let Ok(real) = std::fs::canonicalize(&out) {
                    out = real;
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_one_folder_compare_equal() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        std::fs::create_dir_all(site.join("content")).unwrap();
        assert_eq!(resolved(&site.join("content/..")), resolved(&site));
        assert_eq!(
            resolved(&site.join("nieuw/../public")),
            resolved(&site).join("public")
        );
    }
}
