//! An author's changes are split over pages of a hundred, newest first,
//! with links between them: a long-time author's list on one page is
//! megabytes of HTML. The history is a real repository, its commits made
//! with `git fast-import` at chosen dates.

mod common;

use common::tools::vnu_errors;
use common::{TestSite, git};
use std::io::Write;

const ANNA: &str = "Anna de Vries <anna.devries@example.org>";
const CHANGES: usize = 205;

/// Commits `CHANGES` edits of one page by Anna on top of `main`, an hour
/// apart from 1 March 2024, each with the message `Wijziging <n>.`.
fn commit_many_changes(site: &TestSite) {
    let mut stream = String::new();
    for n in 1..=CHANGES {
        let seconds = 1_709_251_200 + 3_600 * n;
        let message = format!("Wijziging {n:03}.");
        let text = format!("---\ntitle: Dagboek\ntype: gemeente\n---\n\nStand {n}.\n");
        stream.push_str(&format!(
            "commit refs/heads/main\nauthor {ANNA} {seconds} +0100\ncommitter {ANNA} {seconds} +0100\ndata {}\n{message}\n",
            message.len() + 1
        ));
        if n == 1 {
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

/// The commit messages listed on an author's page, in order.
fn messages(html: &str) -> Vec<String> {
    html.split(r#"<span class="message">"#)
        .skip(1)
        .map(|part| part.split('<').next().unwrap_or_default().to_owned())
        .collect()
}

/// A site whose history has Bram make five pages, then Anna change one
/// `CHANGES` times.
fn site_with_a_busy_author() -> TestSite {
    let site = TestSite::new();
    site.git_init();
    site.commit_all(
        "Begin van de wiki",
        ("Bram Jansen", "bram@waterschap.example"),
        "2024-01-01T10:00:00+01:00",
    );
    commit_many_changes(&site);
    site
}

#[test]
fn a_long_list_of_changes_is_split_over_pages_that_link_to_each_other() {
    let site = site_with_a_busy_author();
    site.build_ok();
    let page = |path: &str| site.read(&format!("public/auteurs/anna-de-vries/{path}index.html"));

    let first = page("");
    let listed = messages(&first);
    assert_eq!(listed.len(), 100, "{first}");
    assert_eq!(listed[0], "Wijziging 205.");
    assert_eq!(listed[99], "Wijziging 106.");
    assert!(first.contains("Alle 205 wijzigingen"), "{first}");
    assert!(
        first.contains(r#"<a href="/auteurs/anna-de-vries/pagina/2/" rel="next">"#),
        "{first}"
    );
    assert!(first.contains(r#"<a href="/auteurs/anna-de-vries/pagina/3/">Oudste</a>"#));
    assert!(!first.contains(r#"rel="prev""#), "{first}");
    assert!(first.contains("Pagina 1 van 3"), "{first}");

    let second = page("pagina/2/");
    assert_eq!(messages(&second).first().unwrap(), "Wijziging 105.");
    assert_eq!(messages(&second).last().unwrap(), "Wijziging 006.");
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
    assert_eq!(
        messages(&last),
        [
            "Wijziging 005.",
            "Wijziging 004.",
            "Wijziging 003.",
            "Wijziging 002.",
            "Wijziging 001."
        ]
    );
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
    // The author template and strings as themes had them before.
    site.write(
        "themes/default/templates/author.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<h1>{{ page.title }}</h1>\n{% include \"partials/changes.html\" %}\n{% endblock main %}\n",
    );
    let strings = site.read("themes/default/strings/nl.yaml");
    let old_strings: String = strings
        .lines()
        .filter(|line| !line.starts_with("pager_"))
        .map(|line| format!("{line}\n"))
        .collect();
    site.write("themes/default/strings/nl.yaml", &old_strings);
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
