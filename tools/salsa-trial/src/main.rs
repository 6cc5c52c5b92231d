//! The shape of `twn serve`'s work after one save, written with salsa: 10,000
//! pages, each linking to a few others; a page's output reads its own text,
//! the summaries of the pages that link to it (backlinks), and the site's
//! link graph; indexes read every summary. After one page's body changes,
//! every output is asked for again, as the preview must learn which
//! changed. Rendering itself is left out (a hash stands in for Tera): what
//! is measured is what salsa costs to decide, next to `Record::plan` in
//! `src/pipeline/depends.rs`, which decides the same from the pages a
//! change reached.
//!
//! `cargo run --release --manifest-path tools/salsa-trial/Cargo.toml [pages]`

use salsa::Setter;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::time::{Duration, Instant};

#[salsa::input]
struct Page {
    #[returns(ref)]
    title: String,
    #[returns(ref)]
    body: String,
    #[returns(ref)]
    links: Vec<u32>,
}

#[salsa::input]
struct Site {
    #[returns(ref)]
    pages: Vec<Page>,
}

#[salsa::tracked(returns(ref))]
fn summary(db: &dyn salsa::Database, page: Page) -> String {
    let body = page.body(db);
    let first = body.split('.').next().unwrap_or_default();
    format!("{} · {}", page.title(db), first)
}

/// Who links to whom: read from every page's links.
#[salsa::tracked(returns(ref))]
fn backlinks(db: &dyn salsa::Database, site: Site) -> Vec<Vec<u32>> {
    let pages = site.pages(db);
    let mut back = vec![Vec::new(); pages.len()];
    for (from, page) in pages.iter().enumerate() {
        for &to in page.links(db) {
            back[to as usize].push(from as u32);
        }
    }
    back
}

#[salsa::tracked]
fn page_backlinks(db: &dyn salsa::Database, site: Site, i: u32) -> Vec<u32> {
    backlinks(db, site)[i as usize].clone()
}

#[salsa::tracked]
fn page_output(db: &dyn salsa::Database, site: Site, i: u32) -> u64 {
    let pages = site.pages(db);
    let page = pages[i as usize];
    let mut hasher = DefaultHasher::new();
    page.body(db).hash(&mut hasher);
    summary(db, page).hash(&mut hasher);
    for from in page_backlinks(db, site, i) {
        summary(db, pages[from as usize]).hash(&mut hasher);
    }
    hasher.finish()
}

#[salsa::tracked]
fn index_output(db: &dyn salsa::Database, site: Site) -> u64 {
    let mut hasher = DefaultHasher::new();
    for page in site.pages(db) {
        summary(db, *page).hash(&mut hasher);
    }
    hasher.finish()
}

fn all_outputs(db: &dyn salsa::Database, site: Site, count: u32) -> u64 {
    let mut total = index_output(db, site);
    for i in 0..count {
        total = total.wrapping_add(page_output(db, site, i));
    }
    total
}

fn main() {
    let count: u32 = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    let mut db = salsa::DatabaseImpl::new();
    let body = "Een alinea over water in Twente. ".repeat(200);
    let pages: Vec<Page> = (0..count)
        .map(|i| {
            let links = (1..=4).map(|k| (i * 7 + k * 13) % count).collect();
            Page::new(&db, format!("Pagina {i}"), body.clone(), links)
        })
        .collect();
    let first = pages[0];
    let site = Site::new(&db, pages);
    let started = Instant::now();
    all_outputs(&db, site, count);
    println!("eerste keer alles: {:?}", started.elapsed());
    let mut times: Vec<Duration> = Vec::new();
    for round in 0..30 {
        // A sentence later in the body: summary and links stay the same.
        first.set_body(&mut db).to(format!("{body}Ronde {round}."));
        let started = Instant::now();
        all_outputs(&db, site, count);
        times.push(started.elapsed());
    }
    times.sort();
    println!(
        "{count} pagina's, na één opgeslagen pagina alles opnieuw vragen: mediaan {:?} (min {:?}, max {:?})",
        times[times.len() / 2],
        times[0],
        times[times.len() - 1]
    );
}
