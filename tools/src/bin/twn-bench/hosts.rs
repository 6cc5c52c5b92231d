//! What static hosts count of an output folder against their size limits.
//! GitHub Pages' deploy step weighs its artifact: the folder as
//! actions/upload-pages-artifact packs it (one tar, hard links resolved)
//! and actions/upload-artifact compresses it (zlib at level 6). GitLab
//! Pages takes a zip of `public/`, in which each file is deflated alone.

use flate2::Compression;
use flate2::write::DeflateEncoder;
use rayon::prelude::*;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// Counts what is written to it.
struct Counter(u64);

impl Write for Counter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0 += bytes.len() as u64;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

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

/// The size of a zip of `out_dir` with every file deflated alone, as GitLab
/// Pages receives it: each file's data and its two headers.
pub fn zip_bytes(out_dir: &Path) -> u64 {
    const HEADERS: u64 = 30 + 46;
    crate::floor::files_of(out_dir)
        .par_iter()
        .map(|(path, _)| {
            let contents = std::fs::read(out_dir.join(path)).expect("output file read");
            let mut deflated = DeflateEncoder::new(Counter(0), Compression::new(6));
            deflated.write_all(&contents).expect("deflate");
            let data = deflated.finish().expect("deflate").0;
            HEADERS + 2 * path.as_os_str().len() as u64 + data.min(contents.len() as u64)
        })
        .sum()
}
