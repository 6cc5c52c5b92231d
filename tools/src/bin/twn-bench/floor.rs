//! The I/O floor: what any site generator must do at least to make the
//! same site. Every page is read and turned into HTML by pulldown-cmark
//! alone (with twn's Markdown options), on all cores; then as many files
//! as the build wrote, of the same sizes in the same folders, are written
//! in parallel. Nothing is rendered, linked or indexed.

use pulldown_cmark::{Options, Parser};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The files of an output folder, by path below it, with their sizes.
pub fn files_of(out_dir: &Path) -> Vec<(PathBuf, usize)> {
    walkdir::WalkDir::new(out_dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let size = e.metadata().ok()?.len() as usize;
            let relative = e.path().strip_prefix(out_dir).ok()?.to_path_buf();
            Some((relative, size))
        })
        .collect()
}

/// Reads and parses every page below `content`, then writes `files` below
/// `out_dir` (made anew). Returns the time of both.
pub fn measure(content: &Path, files: &[(PathBuf, usize)], out_dir: &Path) -> Duration {
    let _ = std::fs::remove_dir_all(out_dir);
    let largest = files.iter().map(|(_, size)| *size).max().unwrap_or(0);
    let filler = vec![b'x'; largest];
    let started = Instant::now();
    let pages: Vec<PathBuf> = walkdir::WalkDir::new(content)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(walkdir::DirEntry::into_path)
        .collect();
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_WIKILINKS;
    let html_bytes: usize = pages
        .par_iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).expect("readable page");
            let mut html = String::with_capacity(text.len() * 3 / 2);
            pulldown_cmark::html::push_html(&mut html, Parser::new_ext(&text, options));
            html.len()
        })
        .sum();
    std::hint::black_box(html_bytes);
    let read_and_parsed = started.elapsed();
    files.par_iter().for_each(|(relative, size)| {
        let path = out_dir.join(relative);
        if std::fs::write(&path, &filler[..*size]).is_err() {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).expect("floor folder");
            }
            std::fs::write(&path, &filler[..*size]).expect("floor file");
        }
    });
    let elapsed = started.elapsed();
    let _ = std::fs::remove_dir_all(out_dir);
    eprintln!(
        "  (vloer: {} pagina's gelezen en omgezet in {:.3} s, {} bestanden geschreven in {:.3} s)",
        pages.len(),
        read_and_parsed.as_secs_f64(),
        files.len(),
        (elapsed - read_and_parsed).as_secs_f64()
    );
    elapsed
}
