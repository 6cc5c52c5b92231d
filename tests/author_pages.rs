//! An author's changes are split over pages of a hundred, newest first,
//! with links between them: a long-time author's list on one page is
//! megabytes of HTML. A day's changes have one anchor, also when time
//! zones bring the day back. The history is a real repository, its commits
//! made with `git fast-import` at chosen dates and zones.

mod common;

use common::tools::vnu_errors;
use common::{TestSite, git};
use std::io::Write;

const ANNA: &str = "Anna de Vries <anna.devries@example.org>";
const CHANGES: usize = 201;

/// Commits `edits` of one page by Anna on top of `main`: for each, its
/// time in seconds, its time zone (`+0100`) and its message.
fn commit_edits(site: &TestSite, edits: &[(u64, &str, String)]) {
    let mut stream = String::new();
    for (n, (seconds, zone, message)) in edits.iter().enumerate() {
        let text = format!("---\ntitle: Dagboek\ntype: gemeente\n---\n\nStand {n}.\n");
        stream.push_str(&format!(
            "commit refs/heads/main\nauthor {ANNA} {seconds} {zone}\ncommitter {ANNA} {seconds} {zone}\ndata {}\n{message}\n",
            message.len() + 1
        ));
        if n == 0 {
            stream.push_str("from refs/heads/main^0\n");
        }
        stream.push_str(&format!(
            "M 100644 inline content/organisatie/dagboek.md\ndata {}\n{text}\n",
            text.len()
        ));
    }
    let mut import = std::process::Command::new("git")
        .current_dir(site.dir.path())
        .args(["fast-import", "--quiet"])
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .stdin(std::process::Stdio::piped())
        .spawn()
        .expect("git is installed");
    import
        .stdin
        .take()
        .unwrap()
        .write_all(stream.as_bytes())
        .unwrap();
    assert!(import.wait().unwrap().success(), "git fast-import failed");
    git(site.dir.path(), &["reset", "-q", "--hard", "main"]);
}

/// A site whose first commit, by Bram, makes five pages.
fn site_begun_by_bram() -> TestSite {
    let site = TestSite::new();
    site.git_init();
    site.commit_all(
        "Begin van de wiki",
        ("Bram Jansen", "bram@waterschap.example"),
        "2024-01-01T10:00:00+01:00",
    );
    site
}

/// Bram makes five pages, then Anna changes one `CHANGES` times, an hour
/// apart from 1 March 2024, each with the message `Wijziging <n>.`.
fn site_with_a_busy_author() -> TestSite {
    let site = site_begun_by_bram();
    let edits: Vec<(u64, &str, String)> = (1..=CHANGES as u64)
        .map(|n| {
            (
                1_709_251_200 + 3_600 * n,
                "+0100",
                format!("Wijziging {n:03}."),
            )
        })
        .collect();
    commit_edits(&site, &edits);
    site
}

/// The theme as it was before author pages were split: no `pager` in
/// `author.html` (a comment elsewhere does not count), no `pager_` strings.
fn use_theme_from_before_the_split(site: &TestSite) {
    site.write(
        "themes/default/templates/author.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<h1>{{ page.title }}</h1>\n{% include \"partials/changes.html\" %}\n{% endblock main %}\n",
    );
    let list = site.read("themes/default/templates/list.html");
    site.write(
        "themes/default/templates/list.html",
        &format!("{{# TODO: pager #}}\n{list}"),
    );
    let strings = site.read("themes/default/strings/nl.yaml");
    let old_strings: String = strings
        .lines()
        .filter(|line| !line.starts_with("pager_"))
        .map(|line| format!("{line}\n"))
        .collect();
    site.write("themes/default/strings/nl.yaml", &old_strings);
}

/// The commit messages listed on an author's page, in order.
fn messages(html: &str) -> Vec<String> {
    html.split(r#"<span class="message">"#)
        .skip(1)
        .map(|part| part.split('<').next().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn a_long_list_of_changes_is_split_over_pages_that_link_to_each_other() {
    let site = site_with_a_busy_author();
    site.build_ok();
    let page = |path: &str| site.read(&format!("public/auteurs/anna-de-vries/{path}index.html"));

    let first = page("");
    let listed = messages(&first);
    assert_eq!(listed.len(), 100, "{first}");
    assert_eq!(listed[0], "Wijziging 201.");
    assert_eq!(listed[99], "Wijziging 102.");
    assert!(first.contains("Alle 201 wijzigingen"), "{first}");
    assert!(
        first.contains(r#"<a href="/auteurs/anna-de-vries/pagina/2/" rel="next">"#),
        "{first}"
    );
    assert!(first.contains(r#"<a href="/auteurs/anna-de-vries/pagina/3/">Oudste</a>"#));
    assert!(!first.contains(r#"rel="prev""#), "{first}");
    assert!(first.contains("Pagina 1 van 3"), "{first}");

    let second = page("pagina/2/");
    assert_eq!(messages(&second).first().unwrap(), "Wijziging 101.");
    assert_eq!(messages(&second).last().unwrap(), "Wijziging 002.");
    assert!(
        second.contains("<title>Anna de Vries · Pagina 2 van 3 ·"),
        "{second}"
    );
    assert!(
        second.contains("Deze pagina toont wijziging 101–200."),
        "{second}"
    );
    assert!(second.contains(r#"<a href="/auteurs/anna-de-vries/" rel="prev">"#));
    assert!(second.contains(r#"<a href="/auteurs/anna-de-vries/pagina/3/" rel="next">"#));
    // Its neighbours are the first and the last: no links to them twice.
    assert!(
        !second.contains("Nieuwste") && !second.contains("Oudste"),
        "{second}"
    );

    let last = page("pagina/3/");
    assert_eq!(messages(&last), ["Wijziging 001."]);
    assert!(last.contains("Deze pagina toont wijziging 201."), "{last}");
    assert!(last.contains(r#"<a href="/auteurs/anna-de-vries/">Nieuwste</a>"#));
    assert!(!last.contains(r#"rel="next""#), "{last}");
    for missing in ["pagina/1/", "pagina/4/"] {
        assert!(
            !site
                .path(&format!("public/auteurs/anna-de-vries/{missing}"))
                .exists(),
            "{missing}"
        );
    }

    // Bram made five pages in one commit: one page, no links to others.
    let bram = site.read("public/auteurs/bram-jansen/index.html");
    assert_eq!(messages(&bram).len(), 5, "{bram}");
    assert!(!bram.contains(r#"class="pager""#), "{bram}");
    assert!(!site.path("public/auteurs/bram-jansen/pagina").exists());

    let report = vnu_errors(&site.path("public/auteurs"));
    assert!(report.is_empty(), "{report}");
}

#[test]
fn a_theme_from_before_the_split_shows_the_whole_list_and_says_how_to_get_the_links() {
    let site = site_with_a_busy_author();
    use_theme_from_before_the_split(&site);
    let run = site.build_ok();
    assert!(
        run.stderr
            .contains("het thema toont geen links naar oudere wijzigingen")
            && run.stderr.contains("themes/default/templates/author.html")
            && run.stderr.contains("twn init"),
        "{}",
        run.stderr
    );
    let anna = site.read("public/auteurs/anna-de-vries/index.html");
    assert_eq!(messages(&anna).len(), CHANGES, "{anna}");
    assert!(!site.path("public/auteurs/anna-de-vries/pagina").exists());
}

#[test]
fn a_theme_from_before_the_split_is_no_warning_where_every_list_fits_one_page() {
    let site = site_begun_by_bram();
    use_theme_from_before_the_split(&site);
    let run = site.twn(&["build", "--strict"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(!run.stderr.contains("pager"), "{}", run.stderr);
}

#[test]
fn a_day_that_comes_back_in_another_time_zone_gets_its_own_anchor() {
    let site = site_begun_by_bram();
    // Newest first: 1 March 23:30 in London, 2 March 00:30 in Amsterdam
    // (an hour earlier), 1 March 21:00 in London.
    let day = 1_709_251_200;
    commit_edits(
        &site,
        &[
            (day + 21 * 3_600, "+0000", "Avond in Londen.".into()),
            (
                day + 22 * 3_600 + 1_800,
                "+0200",
                "Nacht in Amsterdam.".into(),
            ),
            (day + 23 * 3_600 + 1_800, "+0000", "Laat in Londen.".into()),
        ],
    );
    site.build_ok();
    let anna = ["2024-03-01", "2024-03-02", "2024-03-01-2"];
    let everyone = [&anna[..], &["2024-01-01"]].concat();
    for (page, days) in [
        ("auteurs/anna-de-vries/", &anna[..]),
        ("recente-wijzigingen/", &everyone[..]),
    ] {
        let html = site.read(&format!("public/{page}index.html"));
        let ids: Vec<&str> = html
            .split(r#" id="dag-"#)
            .skip(1)
            .map(|rest| rest.split('"').next().unwrap_or_default())
            .collect();
        assert_eq!(ids, days, "{page}");
        let report = vnu_errors(&site.path(&format!("public/{page}index.html")));
        assert!(report.is_empty(), "{page}: {report}");
    }
}
