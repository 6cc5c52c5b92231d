//! Measures twn against Hugo on the same generated pages, side by side,
//! and prints a table with each figure, its ratio and the target:
//!
//! `twn-bench [--pages 10000] [--rounds 3] [--commits 20000] [--dir D]
//!            [--skip large,history,serve]`
//!
//! Runs alternate (twn, Hugo, floor, twn, Hugo, floor, ...) and the table
//! shows medians, since this machine's speed drifts between runs. Corpora
//! are generated once by `twn-corpus --hugo` (same folder, same Markdown,
//! same git history for both tools) and kept in `--dir`, by default on
//! tmpfs (`/dev/shm`) so that the disk is not what is measured.

mod floor;
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
}

fn main() {
    let settings = settings();
    let twn = sibling("twn");
    println!(
        "twn-bench: {} pagina's van ±7 KB, {} rondes, in {}",
        settings.pages,
        settings.rounds,
        settings.dir.display()
    );
    let mut table = Table::default();
    let plain = corpus(&settings, settings.pages, None);
    let hugo = which("hugo");

    // Full build without history, empty output, against Hugo and the floor.
    let (mut twn_runs, mut hugo_runs, mut floors) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..settings.rounds {
        twn_runs.push(twn_build(&twn, &plain));
        if let Some(hugo) = &hugo {
            hugo_runs.push(hugo_build(hugo, &plain, false));
        }
        floors.push(floor::measure(&plain.join("content")).0.as_secs_f64());
    }
    let twn_time = median(seconds(&twn_runs));
    let twn_memory = peak_megabytes(&twn_runs);
    if hugo.is_some() {
        let hugo_time = median(seconds(&hugo_runs));
        table.row(
            "volledige build, geen geschiedenis",
            format!("{twn_time:.2} s"),
            format!("Hugo {hugo_time:.2} s"),
            twn_time / hugo_time,
            "≤ 0,40×",
            twn_time / hugo_time <= 0.40,
        );
        let hugo_memory = peak_megabytes(&hugo_runs);
        table.row(
            "piekgeheugen van die build",
            format!("{twn_memory:.0} MB"),
            format!("Hugo {hugo_memory:.0} MB"),
            twn_memory / hugo_memory,
            "≤ 0,25×",
            twn_memory / hugo_memory <= 0.25,
        );
    } else {
        println!("(hugo niet gevonden: installeer het Debian-pakket hugo voor de vergelijking)");
    }
    let floor = median(floors);
    table.row(
        "build t.o.v. de vloer",
        format!("{twn_time:.2} s"),
        format!("vloer {floor:.3} s"),
        twn_time / floor,
        "≤ 2×",
        twn_time / floor <= 2.0,
    );

    if !settings.skip.iter().any(|s| s == "large") {
        let large = corpus(&settings, settings.pages * 10, None);
        let runs: Vec<Cost> = (0..settings.rounds.min(2))
            .map(|_| twn_build(&twn, &large))
            .collect();
        let time = median(seconds(&runs));
        let memory = peak_megabytes(&runs);
        table.row(
            &format!("{} pagina's: tijd", settings.pages * 10),
            format!("{time:.2} s"),
            format!("{} pagina's {twn_time:.2} s", settings.pages),
            time / twn_time,
            "≤ 11×",
            time / twn_time <= 11.0,
        );
        table.row(
            &format!("{} pagina's: piekgeheugen", settings.pages * 10),
            format!("{memory:.0} MB"),
            String::new(),
            memory / 4096.0,
            "< 4 GB",
            memory < 4096.0,
        );
        // The large corpus takes about a gigabyte of tmpfs; keep it only on request.
        if std::env::var_os("TWN_BENCH_KEEP").is_none() {
            let _ = std::fs::remove_dir_all(&large);
        }
    }

    if !settings.skip.iter().any(|s| s == "history") {
        let site = corpus(&settings, settings.pages, Some(settings.commits));
        let (mut cold, mut warm, mut hugo_git) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..settings.rounds {
            let _ = std::fs::remove_dir_all(site.join(".twn-cache"));
            cold.push(twn_build(&twn, &site));
            // The output and cache of the cold build stay: nothing changed.
            warm.push(measure(
                Command::new(&twn).arg("--root").arg(&site).arg("build"),
            ));
            if let Some(hugo) = &hugo {
                hugo_git.push(hugo_build(hugo, &site, true));
            }
        }
        let cold_time = median(seconds(&cold));
        let warm_time = median(seconds(&warm));
        if hugo.is_some() {
            let hugo_time = median(seconds(&hugo_git));
            table.row(
                &format!("met geschiedenis ({} commits), koud", settings.commits),
                format!("{cold_time:.2} s"),
                format!("Hugo --enableGitInfo {hugo_time:.2} s"),
                cold_time / hugo_time,
                "≤ 1×",
                cold_time <= hugo_time,
            );
        }
        table.row(
            "herbouw zonder wijziging, met geschiedenis",
            format!("{warm_time:.2} s"),
            format!("koud {cold_time:.2} s"),
            warm_time / cold_time,
            "≤ 0,5×",
            warm_time / cold_time <= 0.5,
        );
    }

    if !settings.skip.iter().any(|s| s == "serve") {
        let site = corpus(&settings, settings.pages, Some(1000));
        let mut server = serve::Server::start(&twn, &site);
        let ms =
            |times: &[Duration]| median(times.iter().map(|t| t.as_secs_f64() * 1000.0).collect());
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
            text_median / 50.0,
            "< 50 ms",
            text_median < 50.0,
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
            "  (serve: gestart in {:.2} s; titel gewijzigd: mediaan {:.0} ms; sjabloon page.html gewijzigd: mediaan {:.0} ms)",
            server.started_in.as_secs_f64(),
            ms(&titles),
            ms(&template)
        );
    }
    table.print();
}

fn settings() -> Settings {
    let args: Vec<String> = std::env::args().skip(1).collect();
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

fn which(program: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(program))
            .find(|path| path.is_file())
    })
}

/// The generated site of `pages` pages (7 KB of text each), with
/// `commits` commits of history if asked; made once and kept.
fn corpus(settings: &Settings, pages: usize, commits: Option<usize>) -> PathBuf {
    let name = match commits {
        Some(commits) => format!("pagina-{pages}-commits-{commits}"),
        None => format!("pagina-{pages}"),
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
        .args(["--kb", "7", "--hugo"]);
    if let Some(commits) = commits {
        command.args(["--commits", &commits.to_string()]);
    }
    let status = command.status().expect("twn-corpus runs");
    assert!(status.success(), "twn-corpus failed");
    root
}

/// `twn build` into an empty output folder.
fn twn_build(twn: &Path, site: &Path) -> Cost {
    let _ = std::fs::remove_dir_all(site.join("public"));
    measure(Command::new(twn).arg("--root").arg(site).arg("build"))
}

fn hugo_build(hugo: &Path, site: &Path, git_info: bool) -> Cost {
    let _ = std::fs::remove_dir_all(site.join("public-hugo"));
    let _ = std::fs::remove_dir_all(site.join("resources"));
    let mut command = Command::new(hugo);
    command.arg("--source").arg(site).arg("--quiet");
    if git_info {
        command.arg("--enableGitInfo");
    }
    measure(&mut command)
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
        let row = [
            measure.to_owned(),
            twn,
            against,
            format!("{ratio:.2}×"),
            target.to_owned(),
            if met { "gehaald" } else { "niet gehaald" }.to_owned(),
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
