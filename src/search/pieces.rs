//! The index's files cut in pieces of about a size, each named by a hash
//! of its contents and made on all cores: the postings of a large site
//! are a hundred megabytes.

use crate::artifact::OutputFile;
use rayon::prelude::*;

/// Cuts sorted entries (JSON key, JSON text) into pieces of about `target`
/// bytes, adds them to `files` under `folder`, and returns the table of
/// contents: each piece's first key and file name.
pub(super) fn pieces(
    entries: &[(String, String)],
    target: usize,
    folder: &str,
    files: &mut Vec<(OutputFile, u64)>,
    write_piece: impl Fn(&[(String, String)]) -> String + Sync,
) -> Vec<(String, String)> {
    let mut bounds = Vec::new();
    let mut start = 0;
    while start < entries.len() {
        let mut end = start;
        let mut size = 0;
        while end < entries.len() && (end == start || size + entries[end].1.len() <= target) {
            size += entries[end].0.len() + entries[end].1.len() + 2;
            end += 1;
        }
        bounds.push(start..end);
        start = end;
    }
    let (table, made): (Vec<_>, Vec<_>) = bounds
        .into_par_iter()
        .map(|range| {
            let first: String = serde_json::from_str(&entries[range.start].0).unwrap_or_default();
            let contents = write_piece(&entries[range]);
            let hash = Fnv::of(contents.as_bytes());
            let name = format!("{folder}/{:012x}.json", hash & 0xffff_ffff_ffff);
            let file = OutputFile {
                path: name.clone(),
                contents: contents.into_bytes(),
            };
            ((first, name), (file, hash))
        })
        .unzip();
    files.extend(made);
    table
}

/// A file of the index with the hash of its contents.
pub(super) fn hashed(path: String, contents: String) -> (OutputFile, u64) {
    let hash = Fnv::of(contents.as_bytes());
    let file = OutputFile {
        path,
        contents: contents.into_bytes(),
    };
    (file, hash)
}

pub(super) fn push_joined<'a>(out: &mut String, parts: impl Iterator<Item = &'a str>) {
    for (n, part) in parts.enumerate() {
        if n > 0 {
            out.push(',');
        }
        out.push_str(part);
    }
}

pub(super) fn piece_length(piece: &[(String, String)]) -> usize {
    piece
        .iter()
        .map(|(key, text)| key.len() + text.len() + 2)
        .sum()
}

/// FNV-1a: file names that change when, and only when, contents change,
/// the same on every machine and Rust version.
pub(super) struct Fnv(pub(super) u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn of(bytes: &[u8]) -> u64 {
        let mut hash = Fnv::default();
        hash.write(bytes);
        hash.0
    }

    pub(super) fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= b as u64;
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}
