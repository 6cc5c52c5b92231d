//! The checkers `.ci/tools` puts in `target/check-tools/`: the Nu HTML
//! Checker and axe-core.

use std::path::PathBuf;

fn tool(relative: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target/check-tools")
        .join(relative);
    assert!(
        path.exists(),
        "{} is missing: run `bash .ci/tools` first (it installs the checkers)",
        path.display()
    );
    path
}

pub fn vnu_jar() -> PathBuf {
    tool("vnu.jar")
}

pub fn axe_script() -> String {
    std::fs::read_to_string(tool("node_modules/axe-core/axe.min.js")).unwrap()
}

/// Debian puts nginx in /usr/sbin, which is not on every PATH.
pub fn nginx() -> PathBuf {
    let sbin = PathBuf::from("/usr/sbin/nginx");
    if sbin.exists() {
        sbin
    } else {
        PathBuf::from("nginx")
    }
}
