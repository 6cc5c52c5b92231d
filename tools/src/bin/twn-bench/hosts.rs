//! What static hosts count of an output folder. GitHub Pages allows a
//! published site of 1 GB; its deploy step warns when the artifact is
//! larger: the folder as actions/upload-pages-artifact packs it (one tar,
//! hard links resolved), compressed by actions/upload-artifact (zlib at
//! level 6). GitLab Pages counts the unpacked size and, by default, at
//! most 200,000 files and folders.

use std::path::Path;
use std::process::{Command, Stdio};

/// The size of the GitHub Pages artifact of `out_dir`, made with the same
/// `tar` command as actions/upload-pages-artifact and compressed by `gzip
/// -6`: classic zlib, as Node's zip is. (zlib-rs finds fewer of the long
/// matches between versions and would say half as much again.)
pub fn github_artifact_bytes(out_dir: &Path) -> u64 {
    let mut tar = Command::new("tar")
        .args(["--dereference", "--hard-dereference"])
        .args(["--exclude=.git", "--exclude=.github", "-cf", "-", "."])
        .current_dir(out_dir)
        .stdout(Stdio::piped())
        .spawn()
        .expect("tar runs");
    let archive = tar.stdout.take().expect("tar's output");
    let mut gzip = Command::new("gzip")
        .arg("-6")
        .stdin(archive)
        .stdout(Stdio::piped())
        .spawn()
        .expect("gzip runs");
    let mut compressed = gzip.stdout.take().expect("gzip's output");
    let bytes = std::io::copy(&mut compressed, &mut std::io::sink()).expect("gzip's output read");
    assert!(tar.wait().expect("tar ends").success(), "tar failed");
    assert!(gzip.wait().expect("gzip ends").success(), "gzip failed");
    bytes
}

/// The files and folders below `out_dir`, as GitLab Pages counts them.
pub fn entries(out_dir: &Path) -> usize {
    walkdir::WalkDir::new(out_dir)
        .min_depth(1)
        .into_iter()
        .filter_map(Result::ok)
        .count()
}
