//! A site with a history in git, made of commits at fixed dates by two
//! editors.

use super::{TestSite, git};
use std::path::Path;

pub const ANNA: (&str, &str) = ("Anna de Vries", "anna.devries@example.org");
pub const BRAM: (&str, &str) = ("Bram Jansen", "bram@waterschap.example");

/// A site with two commits: everything in 2017, Twents Waternet again in 2019.
pub fn site_with_history() -> TestSite {
    let site = TestSite::new();
    site.git_init();
    site.commit_all(
        "Eerste versie van de wiki",
        ANNA,
        "2017-01-16T09:30:00+01:00",
    );
    site.write(
        "content/regio/twents-waternet.md",
        "---\ntitle: Twents Waternet\nmembers: [almelo, vechtstromen]\n---\n\n## Visie\n\nSamen werken aan schoon water met [[Almelo]].\n\nNieuw: de vier B's.\n",
    );
    site.commit_all("Visie aangevuld", BRAM, "2019-09-23T14:05:00+02:00");
    site
}

/// The short ids of the commits that changed `file` (following renames), newest first.
pub fn commits_of(repo: &Path, file: &str) -> Vec<String> {
    git(repo, &["log", "--format=%h", "--follow", "--", file])
        .lines()
        .map(str::to_owned)
        .collect()
}

/// The page files in the cache of rendered old versions.
pub fn cached_pages(site: &TestSite) -> usize {
    walkdir::WalkDir::new(site.path(".twn-cache/revisions"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .count()
}

/// Builds `site` with `title` in twn.yaml; returns what twn printed.
pub fn build_titled(site: &TestSite, title: &str) -> String {
    let config = site.read("twn.yaml");
    let (first, rest) = config.split_once('\n').unwrap();
    assert!(first.starts_with("title: "), "{config}");
    site.write("twn.yaml", &format!("title: {title}\n{rest}"));
    site.build_ok().stderr
}
