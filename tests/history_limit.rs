//! `history: { versions: N }`: only each page's newest revisions get an
//! old version and a diff, so that a long history fits a static host;
//! the older ones stay listed, and nothing links to a page that is not
//! there.

mod common;

use common::history::{ANNA, BRAM};
use common::{CONFIG, TestSite};

const PAGE: &str = "content/organisatie/almelo.md";

/// A site whose Almelo page has six revisions (2017-01 to 2017-06) and a
/// news item with three that is deleted in the last commit.
fn site_with_six_revisions(versions: Option<&str>) -> (TestSite, Vec<String>) {
    let site = TestSite::new();
    site.write("twn.yaml", &config_with(versions));
    site.git_init();
    for month in 1..=6 {
        site.write(
            PAGE,
            &format!("---\ntitle: Almelo\ntype: gemeente\n---\n\nVersie {month} van de tekst.\n"),
        );
        if month <= 3 {
            site.write(
                "content/kort-nieuws.md",
                &format!("---\ntitle: Kort nieuws\n---\n\nBericht {month}.\n"),
            );
        } else if month == 6 {
            std::fs::remove_file(site.path("content/kort-nieuws.md")).unwrap();
        }
        let author = if month % 2 == 0 { BRAM } else { ANNA };
        site.commit_all(
            &format!("Almelo, versie {month}"),
            author,
            &format!("2017-0{month}-10T10:00:00+01:00"),
        );
    }
    let shorts = common::git(site.dir.path(), &["log", "--format=%h", "--", PAGE])
        .lines()
        .map(str::to_owned)
        .collect();
    (site, shorts)
}

fn config_with(versions: Option<&str>) -> String {
    match versions {
        Some(setting) => format!("{CONFIG}history:\n{setting}\n"),
        None => CONFIG.to_owned(),
    }
}

/// Every address below the site that a page of the output links to and
/// that is not there.
fn broken_links(site: &TestSite) -> Vec<String> {
    let mut broken = Vec::new();
    for file in site.public_files() {
        if !file.ends_with(".html") && !file.ends_with(".xml") {
            continue;
        }
        let text = site.read(&format!("public/{file}"));
        for quote in text.split("href=\"").skip(1) {
            let link = &quote[..quote.find(['"', '#', '?']).unwrap_or(0)];
            let Some(path) = link
                .strip_prefix("https://example.org/")
                .or(link.strip_prefix('/'))
            else {
                continue;
            };
            let target = site.path("public").join(path);
            let target = if link.ends_with('/') || link.is_empty() {
                target.join("index.html")
            } else {
                target
            };
            if !target.exists() {
                broken.push(format!("{link} in {file}"));
            }
        }
    }
    broken
}

#[test]
fn only_the_newest_revisions_get_pages_and_the_older_stay_listed() {
    let (site, shorts) = site_with_six_revisions(Some("  versions: 2"));
    site.build_ok();
    let base = "public/organisatie/almelo";
    for (k, short) in shorts.iter().enumerate() {
        let published = k < 2;
        for kind in ["versie", "verschil"] {
            assert_eq!(
                site.path(&format!("{base}/{kind}/{short}/index.html"))
                    .exists(),
                published,
                "{kind} of revision {k} ({short})"
            );
        }
    }
    let history = site.read(&format!("{base}/geschiedenis/index.html"));
    assert_eq!(
        history.matches("class=\"revision-head\"").count(),
        6,
        "every revision is listed"
    );
    for month in 1..=6 {
        assert!(history.contains(&format!("Almelo, versie {month}")));
    }
    assert_eq!(history.matches("Bekijk deze versie").count(), 2);
    assert_eq!(history.matches("Bekijk de wijzigingen").count(), 2);
    assert!(history.contains("Van de oudste wijzigingen hieronder staat geen oude versie"));
    // Comparing offers the published versions only.
    assert_eq!(history.matches("data-version=").count(), 2);

    // The oldest published version and its diff lead to nothing older.
    let oldest = site.read(&format!("{base}/versie/{}/index.html", shorts[1]));
    assert!(!oldest.contains("Oudere versie"), "{oldest}");
    assert!(oldest.contains("Nieuwere versie"));
    let diff = site.read(&format!("{base}/verschil/{}/index.html", shorts[1]));
    assert!(diff.contains("Vergeleken met de versie van"));
    assert!(
        diff.contains("10-04-2017"),
        "the older version's date stays"
    );
    assert!(!diff.contains(&format!("versie/{}/", shorts[2])));
    assert!(!diff.contains("Vorige wijziging"));

    // A deleted page keeps the last version its notice links to.
    let notice = site.read("public/kort-nieuws/index.html");
    assert!(notice.contains("Bekijk de laatste versie"), "{notice}");

    // Recent changes, the feed and the authors' pages link to diffs that
    // are there, and to the history for the others.
    let recent = site.read("public/recente-wijzigingen/index.html");
    assert!(recent.contains("Almelo, versie 1"));
    let feed = site.read("public/recente-wijzigingen/atom.xml");
    assert!(feed.contains(
        r#"<link rel="alternate" type="text/html" href="https://example.org/organisatie/almelo/geschiedenis/"/>"#
    ));
    assert!(feed.contains(&format!(
        "<id>https://example.org/organisatie/almelo/verschil/{}/</id>",
        shorts[5]
    )));
    let broken = broken_links(&site);
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn changing_the_setting_adds_and_removes_revision_pages_in_place() {
    let (site, shorts) = site_with_six_revisions(None);
    let oldest = format!("public/organisatie/almelo/versie/{}/index.html", shorts[5]);
    site.build_ok();
    assert!(site.path(&oldest).exists());
    site.write("twn.yaml", &config_with(Some("  versions: 3")));
    let run = site.build_ok();
    // Only the oldest revision left of each page loses a link and is
    // rendered again; the newer ones come from the cache.
    let from_cache: usize = run
        .stderr
        .split(" nieuw, ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{}", run.stderr));
    assert!(from_cache >= 6, "{}", run.stderr);
    assert!(
        !site.path(&oldest).exists(),
        "an older version is taken out"
    );
    assert!(broken_links(&site).is_empty());
    site.write("twn.yaml", CONFIG);
    let run = site.build_ok();
    assert!(
        site.path(&oldest).exists(),
        "and comes back:\n{}",
        run.stderr
    );
    assert!(broken_links(&site).is_empty());
}

#[test]
fn a_limit_of_no_versions_and_a_misspelt_setting_are_errors_at_their_place() {
    let (site, _) = site_with_six_revisions(None);
    site.build_ok();
    let before = site.public_snapshot();
    let line = CONFIG.lines().count() + 2;
    site.write("twn.yaml", &config_with(Some("  versions: 0")));
    let run = site.twn(&["build"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!("twn.yaml:{line}:3")),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("`versions: 0` is geen aantal versies"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("versions: 20"), "{}", run.stderr);

    site.write(
        "twn.yaml",
        &config_with(Some("  # versions: 20 was te veel\n  versions: veel")),
    );
    let run = site.twn(&["build"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!("twn.yaml:{}:3", line + 1))
            && run
                .stderr
                .contains("`versions: veel` is geen aantal versies"),
        "{}",
        run.stderr
    );

    site.write("twn.yaml", &format!("{CONFIG}history: {{ version: 5 }}\n"));
    let run = site.twn(&["build"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("version"), "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!("twn.yaml:{}:", line - 1)),
        "{}",
        run.stderr
    );
    assert_eq!(site.public_snapshot(), before, "the output is untouched");
}

#[test]
fn after_a_merge_that_kept_one_sides_text_that_version_is_the_current_one() {
    // `git merge -s ours`: the side branch's later edits are in the
    // history, but the file is as main left it.
    let site = TestSite::new();
    site.write("twn.yaml", &config_with(Some("  versions: 1")));
    site.git_init();
    let write = |text: &str| {
        site.write(
            PAGE,
            &format!("---\ntitle: Almelo\ntype: gemeente\n---\n\n{text}\n"),
        )
    };
    write("Eerste tekst.");
    site.commit_all("Begin", ANNA, "2024-01-02T10:00:00+01:00");
    let dir = site.dir.path();
    common::git(dir, &["checkout", "-q", "-b", "zijtak"]);
    write("Tekst van de zijtak.");
    site.commit_all("Zijtak", BRAM, "2024-01-12T10:00:00+01:00");
    common::git(dir, &["checkout", "-q", "main"]);
    write("Tekst van main.");
    site.commit_all("Main", ANNA, "2024-01-05T10:00:00+01:00");
    let main = common::git(dir, &["rev-parse", "--short=7", "HEAD"]);
    common::git_as(
        dir,
        &[
            "merge",
            "-q",
            "-s",
            "ours",
            "zijtak",
            "-m",
            "Zijtak samengevoegd",
        ],
        ANNA,
        "2024-01-20T10:00:00+01:00",
    );
    site.build_ok();
    let base = "public/organisatie/almelo";
    let page = site.read(&format!("{base}/index.html"));
    assert!(page.contains("Tekst van main."));
    assert!(
        !page.contains("niet vastgelegd"),
        "the file is as committed"
    );
    assert!(
        page.contains(r#"<time datetime="2024-01-05">05-01-2024</time>"#),
        "the date of the version the page has"
    );
    let version = format!("{base}/versie/{}/index.html", main.trim());
    assert!(
        site.path(&version).exists(),
        "the version the page has keeps its page"
    );
    let history = site.read(&format!("{base}/geschiedenis/index.html"));
    let current = history
        .split("<li")
        .find(|row| row.contains("huidige versie</span>"))
        .unwrap();
    assert!(current.contains("Main"), "{current}");
    assert!(broken_links(&site).is_empty());
}

#[test]
fn a_history_with_one_version_to_compare_offers_no_comparison() {
    let (site, _) = site_with_six_revisions(Some("  versions: 1"));
    site.build_ok();
    let history = site.read("public/organisatie/almelo/geschiedenis/index.html");
    assert!(!history.contains("compare-control"), "{history}");
    assert!(!history.contains("data-version="));
}

#[test]
fn a_site_above_the_hosts_limit_is_warned_and_strict_keeps_the_old_output() {
    let (site, _) = site_with_six_revisions(None);
    site.build_ok();
    let before = site.public_snapshot();
    // A new revision: the build would change the old versions' folders
    // it carries over from the output, and must not touch them.
    site.write(
        PAGE,
        "---\ntitle: Almelo\ntype: gemeente\n---\n\nVersie 7 van de tekst.\n",
    );
    site.commit_all("Almelo, versie 7", ANNA, "2017-07-10T10:00:00+01:00");
    // A sparse file: 1.1 GB to twn, nothing on the disk.
    let large = std::fs::File::create(site.path("content/opname.bin")).unwrap();
    large.set_len(1_100_000_000).unwrap();
    let run = site.twn(&["build", "--strict"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("de site wordt 1,1 GB groot; GitHub Pages publiceert sites tot 1 GB"),
        "{}",
        run.stderr
    );
    // Old versions cannot make up for a file of this size.
    assert!(
        run.stderr
            .contains("ook met alleen de nieuwste versie van elke pagina"),
        "{}",
        run.stderr
    );
    assert_eq!(site.public_snapshot(), before, "the output is untouched");
    let run = site.twn(&["check", "--strict"]);
    assert_eq!(
        run.code,
        Some(0),
        "check measures no output: {}",
        run.stderr
    );
}
