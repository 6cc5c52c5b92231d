//! The search index as static files, cut in pieces so that a query loads
//! only what it needs (the way Pagefind does it, not one file of megabytes
//! like elasticlunr):
//!
//! - `index.json`: the table of contents, small however large the site;
//! - `s/<hash>.json`: stems in sorted order with their postings, a piece of
//!   about 20 KB (a very common stem gets a piece to itself);
//! - `w/<hash>.json`: every word form with its stem, for matching the word
//!   still being typed;
//! - `p/<n>.json`: one document's title, kind, URL and text, fetched only
//!   for the results shown.
//!
//! A posting is one number per document: the gap to the previous document
//! times 32, plus 16 if the stem is in the title, plus the stem's weight
//! in the text (1–15, BM25 with the usual k1 = 1.2 and b = 0.75).

use super::documents::Document;
use super::words::{WordStemmer, stemmer_name, words};
use crate::render::OutputFile;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

const STEM_PIECE_BYTES: usize = 20_000;
const WORD_PIECE_BYTES: usize = 12_000;
/// Excerpts come from the text; beyond this a page's text is not shown.
const MAX_TEXT_BYTES: usize = 20_000;
/// A heading word counts as this many words of body text.
const HEADING_WEIGHT: u32 = 2;

#[derive(Debug, Clone, Copy)]
struct Occurrences {
    document: u32,
    in_title: bool,
    /// Body words plus heading words, weighted.
    count: u32,
}

/// What the documents add up to before weights can be given.
#[derive(Default)]
struct Tally {
    postings: HashMap<String, Vec<Occurrences>>,
    /// Word form → stem.
    forms: HashMap<String, String>,
}

impl Tally {
    fn add(&mut self, stemmer: &mut WordStemmer, id: u32, document: &Document) -> u32 {
        let mut counts: HashMap<String, Occurrences> = HashMap::new();
        let mut length = 0;
        let mut count_words = |text: &str, in_title: bool, weight: u32, length: &mut u32| {
            for (_, word) in words(text) {
                let Some((form, stem)) = stemmer.fold_and_stem(word) else {
                    continue;
                };
                if !self.forms.contains_key(form) {
                    self.forms.insert(form.to_owned(), stem.to_owned());
                }
                let entry = counts.entry(stem.to_owned()).or_insert(Occurrences {
                    document: id,
                    in_title: false,
                    count: 0,
                });
                entry.in_title |= in_title;
                entry.count += weight;
                *length += weight;
            }
        };
        count_words(&document.title, true, 0, &mut length);
        for heading in &document.headings {
            count_words(heading, false, HEADING_WEIGHT, &mut length);
        }
        count_words(&document.text, false, 1, &mut length);
        for (stem, occurrences) in counts {
            self.postings.entry(stem).or_default().push(occurrences);
        }
        length
    }

    fn merge(mut self, other: Tally) -> Tally {
        for (stem, mut list) in other.postings {
            self.postings.entry(stem).or_default().append(&mut list);
        }
        for (form, stem) in other.forms {
            self.forms.entry(form).or_insert(stem);
        }
        self
    }
}

/// Builds every file of the index, with paths below the search folder.
pub fn index_files(documents: &[&Document], language: &str) -> Vec<OutputFile> {
    let (tally, lengths) = documents
        .par_iter()
        .enumerate()
        .fold(
            || (WordStemmer::new(language), Tally::default(), Vec::new()),
            |(mut stemmer, mut tally, mut lengths), (id, document)| {
                let length = tally.add(&mut stemmer, id as u32, document);
                lengths.push((id, length));
                (stemmer, tally, lengths)
            },
        )
        .map(|(_, tally, lengths)| (tally, lengths))
        .reduce(
            || (Tally::default(), Vec::new()),
            |(a, mut la), (b, mut lb)| {
                la.append(&mut lb);
                (a.merge(b), la)
            },
        );
    let mut length_of = vec![0u32; documents.len()];
    for (id, length) in lengths {
        length_of[id] = length;
    }
    let average =
        (length_of.iter().map(|&l| l as f64).sum::<f64>() / documents.len().max(1) as f64).max(1.0);

    let mut stems: Vec<(String, Vec<Occurrences>)> = tally.postings.into_iter().collect();
    stems.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let encoded: Vec<(String, String)> = stems
        .into_par_iter()
        .map(|(stem, mut list)| {
            list.sort_unstable_by_key(|o| o.document);
            let posting = encode_posting(&list, &length_of, average);
            (json_string(&stem), posting)
        })
        .collect();
    let mut files = Vec::new();
    let stem_pieces = pieces(&encoded, STEM_PIECE_BYTES, "s", &mut files, |piece| {
        let (keys, postings): (Vec<&str>, Vec<&str>) =
            piece.iter().map(|(k, p)| (k.as_str(), p.as_str())).unzip();
        format!(
            "{{\"k\":[{}],\"p\":[{}]}}",
            keys.join(","),
            postings.join(",")
        )
    });

    let forms: BTreeMap<String, String> = tally.forms.into_iter().collect();
    let form_entries: Vec<(String, String)> = forms
        .into_iter()
        .map(|(form, stem)| {
            let entry = if form == stem {
                format!("[{}]", json_string(&form))
            } else {
                format!("[{},{}]", json_string(&form), json_string(&stem))
            };
            (json_string(&form), entry)
        })
        .collect();
    let word_pieces = pieces(&form_entries, WORD_PIECE_BYTES, "w", &mut files, |piece| {
        let entries: Vec<&str> = piece.iter().map(|(_, e)| e.as_str()).collect();
        format!("{{\"w\":[{}]}}", entries.join(","))
    });

    let fragments: Vec<OutputFile> = documents
        .par_iter()
        .enumerate()
        .map(|(id, document)| OutputFile {
            path: format!("p/{id}.json"),
            contents: fragment(document).into_bytes(),
        })
        .collect();
    files.extend(fragments);

    let mut version = Fnv::default();
    for file in &files {
        version.write(file.path.as_bytes());
        version.write(&file.contents);
    }
    let table = serde_json::json!({
        "format": 1,
        "version": format!("{:012x}", version.0 & 0xffff_ffff_ffff),
        "documents": documents.len(),
        "stemmer": stemmer_name(language),
        "stems": stem_pieces,
        "words": word_pieces,
    });
    files.push(OutputFile {
        path: "index.json".into(),
        contents: table.to_string().into_bytes(),
    });
    files
}

fn encode_posting(list: &[Occurrences], length_of: &[u32], average: f64) -> String {
    const K1: f64 = 1.2;
    const B: f64 = 0.75;
    let mut out = String::with_capacity(list.len() * 4 + 2);
    out.push('[');
    let mut previous = 0;
    for (n, o) in list.iter().enumerate() {
        let weight = if o.count == 0 {
            0
        } else {
            let tf = o.count as f64;
            let norm = K1 * (1.0 - B + B * length_of[o.document as usize] as f64 / average);
            let score = tf * (K1 + 1.0) / (tf + norm) / (K1 + 1.0);
            ((score * 15.0).ceil() as u32).clamp(1, 15)
        };
        let value = (o.document - previous) * 32 + if o.in_title { 16 } else { 0 } + weight;
        previous = o.document;
        if n > 0 {
            out.push(',');
        }
        let _ = write!(out, "{value}");
    }
    out.push(']');
    out
}

/// Cuts sorted entries (JSON key, JSON text) into pieces of about `target`
/// bytes, adds them to `files` under `folder`, and returns the table of
/// contents: each piece's first key and file name.
fn pieces(
    entries: &[(String, String)],
    target: usize,
    folder: &str,
    files: &mut Vec<OutputFile>,
    write_piece: impl Fn(&[(String, String)]) -> String,
) -> Vec<(String, String)> {
    let mut table = Vec::new();
    let mut start = 0;
    while start < entries.len() {
        let mut end = start;
        let mut size = 0;
        while end < entries.len() && (end == start || size + entries[end].1.len() <= target) {
            size += entries[end].0.len() + entries[end].1.len() + 2;
            end += 1;
        }
        let contents = write_piece(&entries[start..end]);
        let mut hash = Fnv::default();
        hash.write(contents.as_bytes());
        let name = format!("{folder}/{:012x}.json", hash.0 & 0xffff_ffff_ffff);
        let first: String = serde_json::from_str(&entries[start].0).unwrap_or_default();
        table.push((first, name.clone()));
        files.push(OutputFile {
            path: name,
            contents: contents.into_bytes(),
        });
        start = end;
    }
    table
}

fn fragment(document: &Document) -> String {
    let mut text = document.text.as_str();
    if text.len() > MAX_TEXT_BYTES {
        let mut cut = MAX_TEXT_BYTES;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text = &text[..cut];
    }
    serde_json::json!({
        "u": document.url_path,
        "t": document.title,
        "k": document.kind,
        "x": text,
    })
    .to_string()
}

fn json_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

/// FNV-1a: file names that change when, and only when, contents change,
/// the same on every machine and Rust version.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= b as u64;
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}
