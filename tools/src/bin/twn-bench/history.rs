//! The rows about history: the cold build with history beside the
//! baseline and Hugo, what each old version and diff costs on the host,
//! and the 2,000-page wiki with a long history as a pages service takes it.

use super::run::{measure, measure_with_messages, median};
use super::{Settings, Table, Twn, cold_build, corpus, floor, hosts, hugo, output_bytes, seconds};
use std::path::Path;

/// The build with history, cold (no cache) and again without a change,
/// beside Hugo with git info and beside the baseline twn; and what the
/// history costs on the host.
pub fn history_builds(settings: &Settings, twn: &Twn, table: &mut Table) {
    let site = corpus(settings, settings.pages, Some(settings.commits), 7);
    let mut cold = Vec::new();
    let mut warm = Vec::new();
    let mut hugo_git = Vec::new();
    let mut baseline_cold = Vec::new();
    let mut sizes = None;
    let mut baseline_sizes = None;
    for _ in 0..settings.rounds {
        cold.push(cold_build(twn, &site));
        sizes.get_or_insert_with(|| history_bytes(&site.join("public")));
        // The output and cache of the cold build stay: nothing changed.
        warm.push(measure(twn.command(&site).arg("build")));
        if let Some(hugo) = &settings.hugo {
            hugo_git.push(hugo::build(hugo, &site, true));
        }
        if let Some(baseline) = &settings.baseline {
            baseline_cold.push(cold_build(baseline, &site));
            baseline_sizes.get_or_insert_with(|| history_bytes(&site.join("public")));
        }
    }
    let cold_time = median(seconds(&cold));
    let commits = settings.commits;
    if let Some(baseline) = &settings.baseline {
        let before = median(seconds(&baseline_cold));
        table.row(
            &format!("koude build met geschiedenis ({commits} commits)"),
            format!("{cold_time:.2} s"),
            format!("{} {before:.2} s", baseline.name),
            cold_time / before,
            "≤ 0,5×",
            cold_time / before <= 0.5,
        );
    }
    if settings.hugo.is_some() {
        let hugo_time = median(seconds(&hugo_git));
        table.row(
            "  dezelfde build naast Hugo --enableGitInfo",
            format!("{cold_time:.2} s"),
            format!("Hugo {hugo_time:.2} s"),
            cold_time / hugo_time,
            "≤ 1×",
            cold_time <= hugo_time,
        );
    }
    let warm_time = median(seconds(&warm));
    table.row(
        "herbouw zonder wijziging, met geschiedenis",
        format!("{warm_time:.2} s"),
        format!("koud {cold_time:.2} s"),
        warm_time / cold_time,
        "≤ 0,5×",
        warm_time / cold_time <= 0.5,
    );
    let Some(sizes) = sizes else { return };
    let reference = baseline_sizes.as_ref().map(HistoryBytes::per_revision);
    table.row(
        "geschiedenis: bytes per oude versie + verschil",
        format!("{:.1} kB", sizes.per_revision() / 1e3),
        reference.map_or_else(String::new, |b| format!("vóór {:.1} kB", b / 1e3)),
        reference.map_or(0.0, |b| sizes.per_revision() / b),
        "",
        true,
    );
    // The same build with `precompress: true`, as docs/publish.md sets it
    // up for nginx: what the host sends of a revision is its Brotli copy.
    let config = site.join("twn.yaml");
    let settings_text = std::fs::read_to_string(&config).expect("twn.yaml");
    std::fs::write(&config, format!("{settings_text}precompress: true\n")).expect("twn.yaml");
    let compressed = cold_build(twn, &site);
    let compressed_sizes = history_bytes(&site.join("public"));
    std::fs::write(&config, settings_text).expect("twn.yaml");
    if let Some(served) = compressed_sizes.served_per_revision() {
        let before = reference.unwrap_or(f64::NAN);
        table.row(
            "  zoals nginx ze verstuurt (precompress, Brotli)",
            format!("{:.1} kB", served / 1e3),
            format!("vóór {:.1} kB", before / 1e3),
            served / before,
            "≤ 0,33×",
            served / before <= 1.0 / 3.0,
        );
        table.row(
            "  die koude build, met comprimeren",
            format!("{:.2} s", compressed.wall.as_secs_f64()),
            format!("zonder {cold_time:.2} s"),
            compressed.wall.as_secs_f64() / cold_time,
            "",
            true,
        );
    }
}

/// A wiki of 2,000 pages of about 2 KB with about 100 revisions each, as
/// a pages service publishes it.
pub fn long_history(settings: &Settings, twn: &Twn, table: &mut Table) {
    let pages = 2000;
    let site = corpus(settings, pages, Some(pages * 100), 2);
    let _ = std::fs::remove_dir_all(site.join(".twn-cache"));
    let _ = std::fs::remove_dir_all(site.join("public"));
    let (cost, messages) = measure_with_messages(twn.command(&site).arg("build"));
    let public = site.join("public");
    let bytes = output_bytes(&public);
    let mb = |bytes: u64| format!("{:.0} MB", bytes as f64 / 1e6);
    // Every old version is a whole page: their text alone is more than
    // 1 GB here.
    table.row(
        "2000 pagina's × 100 versies: elke versie een pagina",
        mb(bytes),
        format!("gebouwd in {:.0} s", cost.wall.as_secs_f64()),
        bytes as f64 / 1e9,
        "",
        true,
    );
    // The build warns above GitHub Pages' limit and names the setting
    // that fits; the row is the site built with it.
    let suggested = messages
        .split("history: { versions: ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse::<usize>().ok());
    if let Some(versions) = suggested {
        let config_path = site.join("twn.yaml");
        let config = std::fs::read_to_string(&config_path).expect("twn.yaml");
        let limited = format!("{config}history:\n  versions: {versions}\n");
        std::fs::write(&config_path, limited).expect("twn.yaml written");
        let cost = cold_build(twn, &site);
        std::fs::write(&config_path, config).expect("twn.yaml restored");
        let bytes = output_bytes(&public);
        table.row(
            &format!("  met `history: {{ versions: {versions} }}`, zoals twn build voorstelt"),
            mb(bytes),
            format!("gebouwd in {:.0} s", cost.wall.as_secs_f64()),
            bytes as f64 / 1e9,
            "< 1 GB",
            bytes < 1_000_000_000,
        );
    } else {
        table.row(
            "  twn build stelt geen `history: versions` voor",
            mb(bytes),
            String::new(),
            bytes as f64 / 1e9,
            "< 1 GB",
            bytes < 1_000_000_000,
        );
    }
    // GitHub's deploy step warns above 1 GiB of artifact; GitLab counts
    // files and folders (200,000 by default).
    let artifact = hosts::github_artifact_bytes(&public);
    table.row(
        "  als artefact voor GitHub Pages (tar, gzip -6)",
        mb(artifact),
        format!("{} bestanden en mappen", hosts::entries(&public)),
        artifact as f64 / 1e9,
        "",
        true,
    );
}

/// What the old versions and diffs of an output take.
struct HistoryBytes {
    revisions: usize,
    /// The pages as files (`index.html`).
    plain: u64,
    /// The same pages compressed with Brotli beside them, if written.
    brotli: u64,
}

impl HistoryBytes {
    fn per_revision(&self) -> f64 {
        self.plain as f64 / self.revisions.max(1) as f64
    }

    fn served_per_revision(&self) -> Option<f64> {
        (self.brotli > 0).then(|| self.brotli as f64 / self.revisions.max(1) as f64)
    }
}

fn history_bytes(out_dir: &Path) -> HistoryBytes {
    let mut bytes = HistoryBytes {
        revisions: 0,
        plain: 0,
        brotli: 0,
    };
    for (path, size) in floor::files_of(out_dir) {
        let path = path.to_string_lossy();
        if !(path.contains("/versie/") || path.contains("/verschil/")) {
            continue;
        }
        if path.ends_with("index.html") {
            bytes.plain += size as u64;
            if path.contains("/verschil/") {
                bytes.revisions += 1;
            }
        } else if path.ends_with("index.html.br") {
            bytes.brotli += size as u64;
        }
    }
    bytes
}
