//! The hot parts of a build, one at a time, on a generated wiki of 1,000
//! pages of about 7 KB with 2,000 commits: `cargo bench --bench hot_parts`.
//! Each benchmark does what a build does for all pages (or the whole
//! history), so the figures add up to roughly one build on one core.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use twn::config::SiteConfig;
use twn::page::{discover, load_pages};
use twn::render::products::{Product, render_products};
use twn::render::theme::Theme;
use twn::render::{Renderer, context::page_summaries};
use twn::resolve::{Site, resolve};
use twn::source::SourceFile;

fn main() {
    // Generated before timing starts, not inside the first benchmark.
    LazyLock::force(&SOURCES);
    divan::main();
}

const PAGES: usize = 1000;
const COMMITS: usize = 2000;

static CORPUS: LazyLock<(tempfile::TempDir, PathBuf)> = LazyLock::new(|| {
    let dir = tempfile::tempdir().expect("temporary folder");
    let root = dir.path().join("wiki");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_twn-corpus"))
        .arg(&root)
        .arg(PAGES.to_string())
        .args(["--kb", "7", "--commits", &COMMITS.to_string()])
        .status()
        .expect("twn-corpus runs");
    assert!(status.success());
    (dir, root)
});

fn root() -> &'static Path {
    &CORPUS.1
}

static CONFIG: LazyLock<SiteConfig> =
    LazyLock::new(|| SiteConfig::load(root()).expect("generated twn.yaml is valid"));

/// Every page's source text, read once.
static SOURCES: LazyLock<Vec<(SourceFile, String)>> = LazyLock::new(|| {
    discover(root())
        .markdown
        .iter()
        .map(|(path, content_path)| {
            let display_path = format!("content/{content_path}");
            let source = twn::source::read_source(path, &display_path).expect("readable");
            (source, content_path.clone())
        })
        .collect()
});

fn site() -> Site {
    let content = discover(root());
    let (pages, problems) = load_pages(&CONFIG, &content.markdown, false);
    assert!(problems.is_empty());
    let resolved = resolve(CONFIG.clone(), pages.into(), Default::default(), &[]);
    assert_eq!(resolved.problems().count(), 0);
    resolved.site
}

/// YAML front matter split off, parsed and checked against the schema.
#[divan::bench]
fn front_matter() -> usize {
    SOURCES
        .iter()
        .map(|(source, content_path)| {
            let split = twn::frontmatter::split(source).expect("front matter");
            let collection = content_path.split('/').next().unwrap_or_default();
            let no_fields = Default::default();
            let fields = CONFIG
                .collections
                .get(collection)
                .map_or(&no_fields, |c| &c.fields);
            let (front, _) = twn::schema::validate(source, &split.front_matter, fields);
            front.fields.len()
        })
        .sum()
}

/// Markdown bodies to HTML with gaps for links, headings and plain text.
#[divan::bench]
fn markdown() -> usize {
    SOURCES
        .iter()
        .map(|(source, _)| {
            let split = twn::frontmatter::split(source).expect("front matter");
            twn::markdown::parse(split.body, false).links.len()
        })
        .sum()
}

/// Links and references between all pages, back-links included.
#[divan::bench]
fn link_resolution(bencher: divan::Bencher) {
    let content = discover(root());
    let (pages, _) = load_pages(&CONFIG, &content.markdown, false);
    bencher.with_inputs(|| pages.clone()).bench_values(|pages| {
        resolve(CONFIG.clone(), pages.into(), Default::default(), &[])
            .site
            .pages
            .len()
    });
}

/// Every page through its Tera template (context included), in memory.
#[divan::bench]
fn templates(bencher: divan::Bencher) {
    let site = site();
    let theme = Theme::load(root(), &CONFIG.theme, &CONFIG.language).expect("theme");
    let renderer = Renderer::new(&site, &theme);
    let summaries = page_summaries(&site);
    let pages: Vec<Product> = site
        .pages
        .iter()
        .map(|page| Product::Page(page.content_path.clone()))
        .collect();
    let hidden = indicatif::ProgressBar::hidden();
    bencher.bench(|| {
        let bytes = std::sync::atomic::AtomicUsize::new(0);
        let count = |_: &Product, file: twn::artifact::OutputFile| {
            bytes.fetch_add(file.contents.len(), std::sync::atomic::Ordering::Relaxed);
        };
        render_products(&renderer, &site, &summaries, &pages, &hidden, &count, None)
            .expect("renders");
        bytes.into_inner()
    });
}

/// One pass over all commits: which page changed in which commit, renames
/// followed. The cache of a previous walk is removed first.
#[divan::bench(sample_count = 10)]
fn history_walk() -> usize {
    let _ = std::fs::remove_dir_all(root().join(".twn-cache"));
    let read = twn::history::read(root()).expect("history");
    read.history.map_or(0, |h| h.commits.len())
}

/// Laying out and drawing an org chart of 200 bodies and 400 relations.
#[divan::bench]
fn org_chart_layout(bencher: divan::Bencher) {
    use twn::drawing::svg::{ChartText, lay_out};
    let chart = twn::orgchart::synthetic::chart(200, 400, 7);
    let text = ChartText {
        title: "Organogram".into(),
        notes: vec![None; 200],
        sentences: chart.relations().map(|_| String::new()).collect(),
    };
    bencher.bench(|| lay_out(&chart, &text).svg(&chart, &text, true).len());
}

/// What the preview decides after one saved page, before rendering: the
/// dependency record's plan (compare `tools/salsa-trial`, the same
/// decision made by salsa).
#[divan::bench]
fn record_plan_after_one_save(bencher: divan::Bencher) {
    use twn::pipeline::depends::{Changed, Record};
    let site = site();
    let theme = Theme::load(root(), &CONFIG.theme, &CONFIG.language).expect("theme");
    let summaries = page_summaries(&site);
    let mut record = Record::default();
    let first = record.plan(&site, &theme, &summaries, "", &Changed::opened());
    let made: Vec<(Product, String)> = first
        .products
        .iter()
        .map(|p| (p.clone(), format!("{p:?}")))
        .collect();
    record.settle(first, made.iter().map(|(p, f)| (p, f.as_str())));
    let saved = Changed {
        sources: [site.pages.as_slice()[PAGES / 2].content_path.clone()].into(),
        ..Changed::default()
    };
    bencher.bench(|| {
        record
            .plan(&site, &theme, &summaries, "", &saved)
            .products
            .len()
    });
}
