//! The search index as static files, cut in pieces so that a query loads
//! only what it needs (the way Pagefind does it, not one file of megabytes
//! like elasticlunr):
//!
//! - `index.json`: the table of contents, small however large the site;
//! - `s/<hash>.json`: stems in sorted order with their postings, a piece of
//!   about 20 KB (a very common stem gets a piece to itself);
//! - `w/<hash>.json`: every word form with its stem, for matching the word
//!   still being typed;
//! - `d/<n>.json`: the URL, title and kind of documents `64n` to
//!   `64n + 63`, fetched only for the results shown. The excerpt comes
//!   from the result's own page, which the host already has: the index
//!   does not hold a second copy of every text.
//!
//! A posting is one number per document: the gap to the previous document
//! times 32, plus 16 if the stem is in the title, plus the stem's weight
//! in the text (1–15, BM25 with the usual k1 = 1.2 and b = 0.75).

use super::documents::Document;
use super::words::{WordStemmer, stemmer_name, words};
use crate::artifact::OutputFile;
use foldhash::HashMap;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::fmt::Write;

const STEM_PIECE_BYTES: usize = 20_000;
const WORD_PIECE_BYTES: usize = 12_000;
/// Documents per file of the document table: a page of ten results
/// fetches a few small files.
const DOCUMENTS_PER_PIECE: usize = 64;
/// Documents counted together on one tally: counted one by one, each
/// found the tally's word tables out of the processor's cache, pushed out
/// by whatever ran in between (a page's render, another tally).
pub(super) const COUNTED_TOGETHER: usize = 64;
/// A heading word counts as this many words of body text.
const HEADING_WEIGHT: u32 = 2;

/// A stem in one document, in 8 bytes: a large site holds one per stem and
/// document until the index is written.
#[derive(Debug, Clone, Copy)]
struct Occurrences {
    document: u32,
    /// Body words plus heading words, weighted; [`IN_TITLE`] marks a stem
    /// that is also in the title.
    count_and_title: u32,
}

const IN_TITLE: u32 = 1 << 31;

impl Occurrences {
    const NONE: Occurrences = Occurrences {
        document: u32::MAX,
        count_and_title: 0,
    };

    fn count(self) -> u32 {
        self.count_and_title & !IN_TITLE
    }

    fn in_title(self) -> bool {
        self.count_and_title & IN_TITLE != 0
    }
}

/// Word counts of some of the documents, made on one thread at a time.
/// Stems are numbered as they are met; each word is folded and stemmed
/// only once.
struct Tally {
    stemmer: WordStemmer,
    stems: Vec<String>,
    stem_ids: HashMap<String, u32>,
    /// By stem number.
    postings: Vec<Vec<Occurrences>>,
    /// Each word as written → its stem number (`None`: too long to keep);
    /// words of up to 16 bytes, nearly all, are keyed by their bytes as one
    /// number, which hashes and compares far faster than a string.
    known_short: HashMap<u128, Option<u32>>,
    known: HashMap<String, Option<u32>>,
    /// Folded word form → stem number.
    forms: HashMap<String, u32>,
    lengths: Vec<(u32, u32)>,
    /// Each document's row of the document table.
    entries: Vec<(u32, String)>,
    /// Scratch for one document: counts by stem number, and which are set.
    counts: Vec<Occurrences>,
    touched: Vec<u32>,
}

impl Tally {
    fn new(language: &str) -> Tally {
        Tally {
            stemmer: WordStemmer::new(language),
            stems: Vec::new(),
            stem_ids: HashMap::default(),
            postings: Vec::new(),
            known_short: HashMap::default(),
            known: HashMap::default(),
            forms: HashMap::default(),
            lengths: Vec::new(),
            entries: Vec::new(),
            counts: Vec::new(),
            touched: Vec::new(),
        }
    }

    fn stem_id(&mut self, stem: &str) -> u32 {
        if let Some(&id) = self.stem_ids.get(stem) {
            return id;
        }
        let id = self.stems.len() as u32;
        self.stems.push(stem.to_owned());
        self.stem_ids.insert(stem.to_owned(), id);
        self.postings.push(Vec::new());
        id
    }

    fn word_id(&mut self, word: &str) -> Option<u32> {
        let short = packed(word);
        let known = match short {
            Some(key) => self.known_short.get(&key),
            None => self.known.get(word),
        };
        if let Some(&id) = known {
            return id;
        }
        let id = self.stemmer.fold_and_stem(word).map(|(form, stem)| {
            let id = self.stem_id(&stem);
            self.forms.entry(form).or_insert(id);
            id
        });
        match short {
            Some(key) => self.known_short.insert(key, id),
            None => self.known.insert(word.to_owned(), id),
        };
        id
    }

    fn count(&mut self, text: &str, in_title: bool, weight: u32) -> u32 {
        let mut length = 0;
        for (_, word) in words(text) {
            let Some(id) = self.word_id(word) else {
                continue;
            };
            let slot = id as usize;
            if slot >= self.counts.len() {
                self.counts.resize(slot + 1, Occurrences::NONE);
            }
            let entry = &mut self.counts[slot];
            if entry.document == u32::MAX {
                self.touched.push(id);
                entry.document = 0;
            }
            if in_title {
                entry.count_and_title |= IN_TITLE;
            }
            // A document's words are far fewer than 2^31.
            entry.count_and_title += weight;
            length += weight;
        }
        length
    }

    fn add(&mut self, id: u32, document: &Document) {
        let mut length = self.count(&document.title, true, 0);
        for heading in &document.headings {
            length += self.count(heading, false, HEADING_WEIGHT);
        }
        length += self.count(&document.text, false, 1);
        for stem in std::mem::take(&mut self.touched) {
            let entry = &mut self.counts[stem as usize];
            self.postings[stem as usize].push(Occurrences {
                document: id,
                ..*entry
            });
            *entry = Occurrences::NONE;
        }
        self.lengths.push((id, length));
        self.entries.push((id, table_entry(document)));
    }

    fn merge(mut self, other: Tally) -> Tally {
        let renumber: Vec<u32> = other.stems.iter().map(|s| self.stem_id(s)).collect();
        for (old, mut list) in other.postings.into_iter().enumerate() {
            self.postings[renumber[old] as usize].append(&mut list);
        }
        for (form, old) in other.forms {
            self.forms.entry(form).or_insert(renumber[old as usize]);
        }
        self.lengths.extend(other.lengths);
        self.entries.extend(other.entries);
        self
    }
}

/// A word of at most 16 bytes as one number. Words hold no NUL bytes, so
/// the zero padding cannot make two words equal.
fn packed(word: &str) -> Option<u128> {
    let bytes = word.as_bytes();
    let mut key = [0; 16];
    key.get_mut(..bytes.len())?.copy_from_slice(bytes);
    Some(u128::from_le_bytes(key))
}

/// Builds every file of the index, with paths below the search folder.
pub fn index_files(documents: &[&Document], language: &str) -> Vec<OutputFile> {
    let files = std::sync::Mutex::new(Vec::new());
    let counting = Counting::new(language);
    documents
        .par_chunks(COUNTED_TOGETHER)
        .enumerate()
        .for_each(|(n, batch)| {
            let first = n * COUNTED_TOGETHER;
            counting.add_all((first..).zip(batch.iter().copied()));
        });
    counting.write(documents.len(), &|file| {
        files.lock().unwrap_or_else(|e| e.into_inner()).push(file)
    });
    files.into_inner().unwrap_or_else(|e| e.into_inner())
}

/// The words of documents counted as they come, from any thread and in
/// any order, each numbered by its caller. Each document can be dropped
/// once counted: the texts of a large site are never all in memory at
/// once.
pub struct Counting {
    language: String,
    /// One per thread counting at once, taken and put back per batch.
    tallies: std::sync::Mutex<Vec<Tally>>,
}

impl Counting {
    pub fn new(language: &str) -> Counting {
        Counting {
            language: language.to_owned(),
            tallies: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// Counts document number `id`.
    pub fn add(&self, id: usize, document: &Document) {
        self.add_all([(id, document)]);
    }

    /// Counts documents, each with its number, on one tally.
    pub fn add_all<'d>(&self, documents: impl IntoIterator<Item = (usize, &'d Document)>) {
        let taken = self.tallies.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let mut tally = taken.unwrap_or_else(|| Tally::new(&self.language));
        for (id, document) in documents {
            tally.add(id as u32, document);
        }
        self.tallies
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(tally);
    }

    /// Hands every file of the index of documents `0..count`, each added
    /// once, to `emit`.
    pub fn write(&self, count: usize, emit: &(dyn Fn(OutputFile) + Sync)) {
        let tallies = std::mem::take(&mut *self.tallies.lock().unwrap_or_else(|e| e.into_inner()));
        let tally = tallies
            .into_iter()
            .reduce(Tally::merge)
            .unwrap_or_else(|| Tally::new(&self.language));
        let mut entries = tally.entries;
        entries.sort_unstable_by_key(|(id, _)| *id);
        let mut length_of = vec![0u32; count];
        for &(id, length) in &tally.lengths {
            length_of[id as usize] = length;
        }
        let average =
            (length_of.iter().map(|&l| l as f64).sum::<f64>() / count.max(1) as f64).max(1.0);

        let stem_names = tally.stems;
        let mut stems: Vec<(&str, Vec<Occurrences>)> = stem_names
            .iter()
            .map(String::as_str)
            .zip(tally.postings)
            .collect();
        stems.par_sort_unstable_by(|a, b| a.0.cmp(b.0));
        let encoded: Vec<(String, String)> = stems
            .into_par_iter()
            .map(|(stem, mut list)| {
                list.sort_unstable_by_key(|o| o.document);
                let posting = encode_posting(&list, &length_of, average);
                (json_string(stem), posting)
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

        let forms: BTreeMap<String, &str> = tally
            .forms
            .into_iter()
            .map(|(form, id)| (form, stem_names[id as usize].as_str()))
            .collect();
        let form_entries: Vec<(String, String)> = forms
            .into_iter()
            .map(|(form, stem)| {
                let entry = if form == *stem {
                    format!("[{}]", json_string(&form))
                } else {
                    format!("[{},{}]", json_string(&form), json_string(stem))
                };
                (json_string(&form), entry)
            })
            .collect();
        let word_pieces = pieces(&form_entries, WORD_PIECE_BYTES, "w", &mut files, |piece| {
            let entries: Vec<&str> = piece.iter().map(|(_, e)| e.as_str()).collect();
            format!("{{\"w\":[{}]}}", entries.join(","))
        });

        for (n, piece) in entries.chunks(DOCUMENTS_PER_PIECE).enumerate() {
            let rows: Vec<&str> = piece.iter().map(|(_, row)| row.as_str()).collect();
            files.push(OutputFile {
                path: format!("d/{n}.json"),
                contents: format!("[{}]", rows.join(",")).into_bytes(),
            });
        }
        // The version changes with any file of the index.
        let mut version = Fnv::default();
        for file in &files {
            version.write(file.path.as_bytes());
            version.write(&file.contents);
        }
        let table = serde_json::json!({
            "format": 2,
            "per_piece": DOCUMENTS_PER_PIECE,
            "version": format!("{:012x}", version.0 & 0xffff_ffff_ffff),
            "documents": count,
            "stemmer": stemmer_name(&self.language),
            "stems": stem_pieces,
            "words": word_pieces,
        });
        files.push(OutputFile {
            path: "index.json".into(),
            contents: table.to_string().into_bytes(),
        });
        files.into_iter().for_each(emit);
    }
}

fn encode_posting(list: &[Occurrences], length_of: &[u32], average: f64) -> String {
    const K1: f64 = 1.2;
    const B: f64 = 0.75;
    let mut out = String::with_capacity(list.len() * 4 + 2);
    out.push('[');
    let mut previous = 0;
    for (n, o) in list.iter().enumerate() {
        let weight = if o.count() == 0 {
            0
        } else {
            let tf = o.count() as f64;
            let norm = K1 * (1.0 - B + B * length_of[o.document as usize] as f64 / average);
            let score = tf * (K1 + 1.0) / (tf + norm) / (K1 + 1.0);
            ((score * 15.0).ceil() as u32).clamp(1, 15)
        };
        let value = (o.document - previous) * 32 + if o.in_title() { 16 } else { 0 } + weight;
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

/// A document's row in the table: `[url, title, kind]`.
fn table_entry(document: &Document) -> String {
    serde_json::json!([document.url_path, document.title, document.kind]).to_string()
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
