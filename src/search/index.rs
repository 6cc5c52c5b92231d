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
//! The postings' format is in `postings`.

use super::documents::Document;
use super::pieces::{Fnv, hashed, piece_length, pieces, push_joined};
use super::postings::{IN_TITLE, Occurrences, encode_posting, length_norms};
use super::words::{WordStemmer, stemmer_name, words};
use crate::artifact::OutputFile;
use foldhash::HashMap;
use rayon::prelude::*;
use std::collections::BTreeMap;

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

    /// Takes in `other`'s words, and returns its postings by this tally's
    /// stem numbers (empty where it did not meet a stem): appending them
    /// here would copy and grow hundreds of megabytes on a large site,
    /// one stem after another.
    fn merge(&mut self, other: Tally) -> Vec<Vec<Occurrences>> {
        let renumber: Vec<u32> = other.stems.iter().map(|s| self.stem_id(s)).collect();
        let mut postings = vec![Vec::new(); self.stems.len()];
        for (old, list) in other.postings.into_iter().enumerate() {
            postings[renumber[old] as usize] = list;
        }
        for (form, old) in other.forms {
            self.forms.entry(form).or_insert(renumber[old as usize]);
        }
        self.lengths.extend(other.lengths);
        self.entries.extend(other.entries);
        postings
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
    // Emitted in parallel: in order again, the same every time.
    let mut files = files.into_inner().unwrap_or_else(|e| e.into_inner());
    files.sort_unstable_by(|a, b| a.path.cmp(&b.path));
    files
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
        let mut tallies =
            std::mem::take(&mut *self.tallies.lock().unwrap_or_else(|e| e.into_inner()));
        let mut tally = tallies.pop().unwrap_or_else(|| Tally::new(&self.language));
        let others: Vec<Vec<Vec<Occurrences>>> = tallies
            .into_iter()
            .map(|other| tally.merge(other))
            .collect();
        // Each stem's postings in runs, one per tally that met it.
        let mut runs: Vec<Vec<Vec<Occurrences>>> =
            tally.postings.into_iter().map(|list| vec![list]).collect();
        for postings in others {
            for (stem, list) in postings.into_iter().enumerate() {
                if !list.is_empty() {
                    runs[stem].push(list);
                }
            }
        }
        let mut entries = tally.entries;
        entries.sort_unstable_by_key(|(id, _)| *id);
        let mut length_of = vec![0u32; count];
        for &(id, length) in &tally.lengths {
            length_of[id as usize] = length;
        }
        let norm_of = length_norms(&length_of);

        let stem_names = tally.stems;
        let mut stems: Vec<(&str, Vec<Vec<Occurrences>>)> =
            stem_names.iter().map(String::as_str).zip(runs).collect();
        stems.par_sort_unstable_by(|a, b| a.0.cmp(b.0));
        let encoded: Vec<(String, String)> = stems
            .into_par_iter()
            .map(|(stem, mut runs)| {
                // Joined here, on every core, rather than tally by tally.
                let mut list = match runs.len() {
                    1 => runs.pop().unwrap_or_default(),
                    _ => runs.concat(),
                };
                list.sort_unstable_by_key(|o| o.document);
                (json_string(stem), encode_posting(&list, &norm_of))
            })
            .collect();
        // Each file with a hash of its contents, made on all cores: the
        // postings of a large site are a hundred megabytes.
        let mut files: Vec<(OutputFile, u64)> = Vec::new();
        let stem_pieces = pieces(&encoded, STEM_PIECE_BYTES, "s", &mut files, |piece| {
            let mut contents = String::with_capacity(piece_length(piece) + 16);
            contents.push_str("{\"k\":[");
            push_joined(&mut contents, piece.iter().map(|(key, _)| key.as_str()));
            contents.push_str("],\"p\":[");
            push_joined(
                &mut contents,
                piece.iter().map(|(_, posting)| posting.as_str()),
            );
            contents.push_str("]}");
            contents
        });
        drop(encoded);

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
            let mut contents = String::with_capacity(piece_length(piece) + 8);
            contents.push_str("{\"w\":[");
            push_joined(&mut contents, piece.iter().map(|(_, entry)| entry.as_str()));
            contents.push_str("]}");
            contents
        });

        files.par_extend(
            entries
                .par_chunks(DOCUMENTS_PER_PIECE)
                .enumerate()
                .map(|(n, piece)| {
                    let mut contents = String::from("[");
                    push_joined(&mut contents, piece.iter().map(|(_, row)| row.as_str()));
                    contents.push(']');
                    hashed(format!("d/{n}.json"), contents)
                }),
        );
        // The version changes with any file of the index.
        let mut version = Fnv::default();
        for (file, hash) in &files {
            version.write(file.path.as_bytes());
            version.write(&hash.to_le_bytes());
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
        files.push(hashed("index.json".into(), table.to_string()));
        files.into_par_iter().for_each(|(file, _)| emit(file));
    }
}

/// A document's row in the table: `[url, title, kind]`.
fn table_entry(document: &Document) -> String {
    serde_json::json!([document.url_path, document.title, document.kind]).to_string()
}

fn json_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_files_come_in_the_same_order_every_time() {
        let documents: Vec<Document> = (0..300)
            .map(|n| Document {
                url_path: format!("p/{n}/"),
                title: format!("Pagina {n}"),
                kind: "Pagina".into(),
                headings: vec![format!("Kop {}", n % 7)],
                text: format!("Gemeenten en waterschap {n} werken samen aan regenwater."),
            })
            .collect();
        let refs: Vec<&Document> = documents.iter().collect();
        let files = || {
            index_files(&refs, "nl")
                .into_iter()
                .map(|f| (f.path, f.contents))
                .collect::<Vec<_>>()
        };
        let first = files();
        assert!(first.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(first.iter().any(|(path, _)| path == "index.json"));
        for _ in 0..5 {
            assert_eq!(files(), first);
        }
    }
}
