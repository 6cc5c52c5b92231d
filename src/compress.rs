//! Precompressed copies of a text file, to lie beside it: `x.html.gz` and
//! `x.html.br`. A web server that knows them (nginx with `gzip_static` and
//! `brotli_static`, Caddy's `precompressed`) sends the smallest one the
//! browser accepts without compressing on every request; a host that does
//! not know them (GitHub Pages) would only store them, so a site asks for
//! them in `twn.yaml` (`precompress: true`).

use std::io::Write;
use std::path::{Path, PathBuf};

/// Below this a compressed copy saves less than a network packet.
const SMALLEST: usize = 512;

/// gzip level 6 and Brotli quality 5: close to the smallest files of their
/// formats at a tenth of the time of the highest levels, which matters for
/// a wiki whose history has tens of thousands of pages. A 1 MB window is
/// far more than a page needs, and a quarter faster to set up per file
/// than the 4 MB default (measured on 600 old versions and diffs: 280 µs
/// a file instead of 370, the same size).
const GZIP_LEVEL: u32 = 6;
const BROTLI_QUALITY: u32 = 5;
const BROTLI_WINDOW: u32 = 20;

/// Whether a file with this name is text, which compresses.
pub fn is_text(path: &str) -> bool {
    let extension = path.rsplit_once('.').map_or("", |(_, e)| e);
    matches!(
        extension,
        "html" | "css" | "js" | "json" | "xml" | "svg" | "txt" | "map"
    )
}

/// Whether a file of this name and size gets compressed copies.
pub fn worth_compressing(path: &str, size: usize) -> bool {
    size >= SMALLEST && is_text(path)
}

/// The path of a file's compressed copy with `suffix` (`.gz`, `.br`).
pub fn copy_path(path: &Path, suffix: &str) -> PathBuf {
    let mut copy = path.as_os_str().to_owned();
    copy.push(suffix);
    PathBuf::from(copy)
}

/// The suffixes of the compressed copies: gzip, then Brotli.
pub const SUFFIXES: [&str; 2] = [".gz", ".br"];

/// The compressed copies of `contents`: the suffix to add to its name, and
/// the bytes.
pub fn compressed(contents: &[u8]) -> [(&'static str, Vec<u8>); 2] {
    [
        (SUFFIXES[0], gzip(contents)),
        (SUFFIXES[1], brotli(contents)),
    ]
}

/// The compressed copies of the file at `path` (named `name`, which says
/// what kind of file it is) with the paths they go to beside it; none
/// where they are not worth having.
pub fn copies_beside(path: &Path, name: &str, contents: &[u8]) -> Vec<(PathBuf, Vec<u8>)> {
    if !worth_compressing(name, contents.len()) {
        return Vec::new();
    }
    compressed(contents)
        .into_iter()
        .map(|(suffix, bytes)| (copy_path(path, suffix), bytes))
        .collect()
}

fn gzip(contents: &[u8]) -> Vec<u8> {
    let out = Vec::with_capacity(contents.len() / 3);
    let mut encoder = flate2::write::GzEncoder::new(out, flate2::Compression::new(GZIP_LEVEL));
    // Writing to memory cannot fail.
    let _ = encoder.write_all(contents);
    encoder.finish().unwrap_or_default()
}

fn brotli(contents: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(contents.len() / 4);
    let params = brotli::enc::BrotliEncoderParams {
        quality: BROTLI_QUALITY as i32,
        lgwin: BROTLI_WINDOW as i32,
        size_hint: contents.len(),
        ..Default::default()
    };
    let _ = brotli::BrotliCompress(&mut &contents[..], &mut out, &params);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn both_copies_decompress_to_the_file() {
        let page = "<p>Gemeenten en het waterschap werken samen.</p>\n".repeat(40);
        let [(gz_suffix, gz), (br_suffix, br)] = compressed(page.as_bytes());
        assert_eq!((gz_suffix, br_suffix), (".gz", ".br"));
        let mut text = String::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, page);
        let mut text = Vec::new();
        brotli::BrotliDecompress(&mut &br[..], &mut text).unwrap();
        assert_eq!(text, page.as_bytes());
        assert!(br.len() < gz.len() && gz.len() < page.len() / 10);
        assert!(worth_compressing("a/index.html", page.len()));
        assert!(!worth_compressing("a/kaart.png", page.len()));
        assert!(!worth_compressing("a/index.html", 100));
    }
}
