//! The size of a site against what static hosts publish. GitHub Pages
//! takes sites up to 1 GB; in a long history, old versions and diffs are
//! most of the output, so the warning says how many of them per page fit.

use crate::artifact::RevisionDir;
use crate::diagnostics::Diagnostic;
use crate::folders::CONFIG_FILE;
use crate::urls::{DIFF_DIR, VERSION_DIR};

/// GitHub Pages' limit on a published site.
pub const HOST_LIMIT_BYTES: u64 = 1_000_000_000;

/// What the suggested setting aims at: below the limit with room for the
/// pages and revisions of the months to come.
const AIM_BYTES: u64 = HOST_LIMIT_BYTES / 10 * 9;

/// A warning when the output (`other_bytes` besides the revision pages in
/// `dirs`, each with the compressed copies the site makes if `precompress`)
/// is larger than GitHub Pages takes, with the `history: versions` setting
/// that brings it below.
pub fn host_limit_warning(
    other_bytes: u64,
    dirs: &[RevisionDir],
    precompress: bool,
) -> Option<Diagnostic> {
    let revision_bytes: u64 = dirs.iter().flat_map(|d| &d.entries).map(|e| e.bytes).sum();
    let total = other_bytes + revision_bytes;
    if total <= HOST_LIMIT_BYTES {
        return None;
    }
    // Each page's old versions and diffs, newest first: what keeping only
    // the newest `n` leaves is a prefix of each folder.
    let (limited, fixed): (Vec<&RevisionDir>, Vec<&RevisionDir>) = dirs
        .iter()
        .partition(|d| d.dir.ends_with(VERSION_DIR) || d.dir.ends_with(DIFF_DIR));
    let fixed_bytes: u64 = other_bytes
        + fixed
            .iter()
            .flat_map(|d| &d.entries)
            .map(|e| e.bytes)
            .sum::<u64>();
    let prefixes: Vec<Vec<u64>> = limited
        .iter()
        .map(|d| {
            d.entries
                .iter()
                .scan(0, |sum, e| {
                    *sum += e.bytes;
                    Some(*sum)
                })
                .collect()
        })
        .collect();
    let size_with = |n: usize| -> u64 {
        fixed_bytes
            + prefixes
                .iter()
                .filter_map(|p| p.get(n.min(p.len()).checked_sub(1)?))
                .sum::<u64>()
    };
    let longest = prefixes.iter().map(Vec::len).max().unwrap_or(0);
    let fitting = (1..longest).rev().find(|&n| size_with(n) <= AIM_BYTES);
    let warning = Diagnostic::warning(
        CONFIG_FILE,
        format!(
            "de site wordt {} groot; GitHub Pages publiceert sites tot {}",
            gigabytes(total),
            gigabytes(HOST_LIMIT_BYTES)
        ),
    );
    // GitHub Pages compresses what it sends and ignores the copies: they
    // only take room there, and the setting that fits is counted with them.
    let without_copies = if precompress {
        "de gecomprimeerde kopieën (`precompress: true`) tellen mee, en GitHub Pages gebruikt ze niet: zet daar `precompress: false`, dan wordt de site kleiner. "
    } else {
        ""
    };
    let warning = |help: String| warning.clone().help(format!("{without_copies}{help}"));
    Some(match fitting {
        Some(n) => warning(format!(
            "bijna alles zijn oude versies en verschillen. Geef alleen de nieuwste {n} wijzigingen van elke pagina een eigen pagina, dan wordt de site ongeveer {}: zet in twn.yaml `history: {{ versions: {n} }}`. Oudere wijzigingen blijven in de geschiedenis van elke pagina staan, zonder koppeling. Een eigen webserver heeft deze grens niet (zie docs/publish.md)",
            gigabytes(size_with(n))
        )),
        None if longest > 1 => warning(format!(
            "ook met alleen de nieuwste versie van elke pagina wordt de site {}; publiceer bij een host zonder deze grens, zoals een eigen webserver (zie docs/publish.md)",
            gigabytes(size_with(1))
        )),
        None => warning(
            "publiceer bij een host zonder deze grens, zoals een eigen webserver (zie docs/publish.md)".into(),
        ),
    })
}

/// Bytes as an editor reads them: "3,3 GB", "850 MB".
fn gigabytes(bytes: u64) -> String {
    if bytes >= HOST_LIMIT_BYTES {
        let tenths = format!("{:.1}", bytes as f64 / 1e9);
        format!("{} GB", tenths.trim_end_matches(".0").replace('.', ","))
    } else {
        format!("{:.0} MB", bytes as f64 / 1e6)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::artifact::RevisionEntry;

    fn dir(name: &str, sizes: &[u64]) -> RevisionDir {
        RevisionDir {
            dir: name.into(),
            entries: sizes
                .iter()
                .map(|&bytes| RevisionEntry {
                    name: String::new(),
                    source: Default::default(),
                    bytes,
                    identity: Default::default(),
                })
                .collect(),
        }
    }

    const MB: u64 = 1_000_000;

    #[test]
    fn a_site_below_the_limit_gets_no_warning() {
        let dirs = [
            dir("a/versie/", &[400 * MB]),
            dir("a/verschil/", &[400 * MB]),
        ];
        assert!(host_limit_warning(200 * MB, &dirs, false).is_none());
    }

    #[test]
    fn the_suggestion_keeps_as_many_versions_as_fit() {
        // Ten pages of 20 revisions of 5 MB each (a version and a diff):
        // 1 GB of history beside 100 MB of the rest.
        let mut dirs = Vec::new();
        for page in 0..10 {
            dirs.push(dir(&format!("p{page}/versie/"), &[3 * MB; 20]));
            dirs.push(dir(&format!("p{page}/verschil/"), &[2 * MB; 20]));
            dirs.push(dir(&format!("p{page}/geschiedenis/"), &[MB]));
        }
        let warning = host_limit_warning(90 * MB, &dirs, false).unwrap();
        let text = format!("{warning:?}");
        assert!(text.contains("1,1 GB"), "{text}");
        // 100 MB + 10 pages × n × 5 MB ≤ 900 MB: n = 16.
        assert!(text.contains("`history: { versions: 16 }`"), "{text}");
        assert!(text.contains("ongeveer 900 MB"), "{text}");
    }

    #[test]
    fn a_site_too_large_even_without_history_is_told_so() {
        let dirs = [dir("a/versie/", &[MB, MB]), dir("a/verschil/", &[MB, MB])];
        let text = format!("{:?}", host_limit_warning(1200 * MB, &dirs, false).unwrap());
        assert!(text.contains("ook met alleen de nieuwste versie"), "{text}");
        assert!(!text.contains("precompress"), "{text}");
    }

    #[test]
    fn with_compressed_copies_the_warning_says_the_host_needs_none() {
        let dirs = [dir("a/versie/", &[MB, MB]), dir("a/verschil/", &[MB, MB])];
        let text = format!("{:?}", host_limit_warning(1200 * MB, &dirs, true).unwrap());
        assert!(text.contains("zet daar `precompress: false`"), "{text}");
        assert!(text.contains("ook met alleen de nieuwste versie"), "{text}");
    }
}
