//! Page history from git: stamps, history pages, old versions, diffs,
//! renames, recent changes, shallow clones and the revision cache, on real
//! repositories with commits at fixed dates.

mod common;

use common::history::{ANNA, BRAM, commits_of, site_with_history};
use common::{TestSite, git, git_as};
use std::path::Path;

fn stamp(html: &str) -> &str {
    let start = html.find("Laatst bijgewerkt").expect("a stamp");
    &html[start..start + html[start..].find("</p>").unwrap()]
}

#[test]
fn stamps_come_from_the_last_commit_unless_overridden_or_uncommitted() {
    let site = site_with_history();
    site.write(
        "content/organisatie/nieuw.md",
        "---\ntitle: Nieuw\ntype: gemeente\n---\n\nNog niet vastgelegd.\n",
    );
    site.write(
        "content/organisatie/vechtstromen.md",
        "---\ntitle: Waterschap Vechtstromen\ntype: waterschap\n---\n\nHet waterschap, gewijzigd.\n",
    );
    site.write(
        "content/werkplaats/rioolvervanging.md",
        "---\ntitle: Rioolvervanging\nregio: twents-waternet\nperiod: \"2017\"\nstart: 2017-01-16\nupdated: 2020-05-01\n---\n\nZie [[Twents Waternet#visie]].\n",
    );
    site.build_ok();
    let regio = site.read("public/regio/twents-waternet/index.html");
    assert!(
        stamp(&regio).contains(r#"<time datetime="2019-09-23">23-09-2019</time>"#),
        "{}",
        stamp(&regio)
    );
    assert!(!stamp(&regio).contains("niet vastgelegd"));
    let almelo = site.read("public/organisatie/almelo/index.html");
    assert!(
        stamp(&almelo).contains(r#"datetime="2017-01-16""#),
        "{}",
        stamp(&almelo)
    );
    // Untracked and changed-but-uncommitted files carry the file's date, marked.
    for page in ["organisatie/nieuw", "organisatie/vechtstromen"] {
        let html = site.read(&format!("public/{page}/index.html"));
        assert!(
            stamp(&html).contains("nog niet vastgelegd in git"),
            "{page}: {}",
            stamp(&html)
        );
    }
    let override_html = site.read("public/werkplaats/rioolvervanging/index.html");
    assert!(stamp(&override_html).contains(r#"datetime="2020-05-01""#));
}

#[test]
fn history_lists_revisions_newest_first_with_authors_and_line_counts() {
    let site = site_with_history();
    site.build_ok();
    let history = site.read("public/regio/twents-waternet/geschiedenis/index.html");
    let newer = history
        .find("Visie aangevuld")
        .expect("2019 revision listed");
    let older = history
        .find("Eerste versie van de wiki")
        .expect("2017 revision listed");
    assert!(newer < older, "newest first");
    assert!(history.contains("Bram Jansen") && history.contains("Anna de Vries"));
    assert!(
        history.contains(r#"datetime="2019-09-23T12:05:00Z""#),
        "author date with its offset"
    );
    assert!(
        history.contains("+3<") && history.contains("−1<"),
        "lines added and removed"
    );
    let log = commits_of(site.dir.path(), "content/regio/twents-waternet.md");
    for short in &log {
        assert!(
            history.contains(&format!("/regio/twents-waternet/versie/{short}/")),
            "version link {short}"
        );
        assert!(
            history.contains(&format!("/regio/twents-waternet/verschil/{short}/")),
            "diff link {short}"
        );
    }
    let regio = site.read("public/regio/twents-waternet/index.html");
    assert!(
        regio.contains(r#"href="/regio/twents-waternet/geschiedenis/""#),
        "the page links to its history"
    );
}

#[test]
fn an_old_version_is_the_page_as_it_was_with_a_banner_and_noindex() {
    let site = site_with_history();
    site.build_ok();
    let log = commits_of(site.dir.path(), "content/regio/twents-waternet.md");
    let (newest, oldest) = (&log[0], log.last().unwrap());
    let old = site.read(&format!(
        "public/regio/twents-waternet/versie/{oldest}/index.html"
    ));
    assert!(old.contains("U bekijkt een oude versie van <time datetime=\"2017-01-16T08:30:00Z\">16-01-2017</time>"), "banner");
    assert!(old.contains(r#"<a href="/regio/twents-waternet/">bekijk de huidige versie</a>"#));
    assert!(old.contains(r#"<meta name="robots" content="noindex">"#));
    assert!(
        old.contains("Samen met <a href=\"/organisatie/almelo/\">Almelo</a>"),
        "old text, links resolved"
    );
    assert!(!old.contains("de vier B's"), "not the new text");
    assert!(
        old.contains(&format!("/regio/twents-waternet/versie/{newest}/")),
        "link to the newer version"
    );
    assert!(
        !old.contains("Bewerk deze pagina"),
        "old versions are not edited"
    );
    let sitemap = site.read("public/sitemap.xml");
    assert!(!sitemap.contains("/versie/") && !sitemap.contains("/verschil/"));
}

/// Most edits leave the front matter as it is now, and such old versions
/// take the page's own; the others show the front matter they had, also
/// where the file on disk differs from the last commit.
#[test]
fn each_old_version_shows_the_front_matter_it_had() {
    let site = site_with_history();
    let file = "content/organisatie/almelo.md";
    let page =
        |title: &str, body: &str| format!("---\ntitle: {title}\ntype: gemeente\n---\n\n{body}\n");
    site.write(file, &page("Gemeente Almelo", "Eerste tekst."));
    site.commit_all("Titel voluit", ANNA, "2020-02-03T10:00:00+01:00");
    site.write(file, &page("Almelo", "Eerste tekst."));
    site.commit_all("Titel kort", BRAM, "2020-03-04T10:00:00+01:00");
    site.write(file, &page("Almelo", "Tweede tekst."));
    site.commit_all("Tekst bijgewerkt", ANNA, "2020-04-05T10:00:00+01:00");
    let title_of = |html: &str| {
        let start = html.find("<h1>").expect("a heading") + 4;
        html[start..start + html[start..].find("</h1>").unwrap()].to_owned()
    };
    let log = commits_of(site.dir.path(), file);
    for uncommitted in [false, true] {
        if uncommitted {
            site.write(file, &page("Almelo (nieuw)", "Tweede tekst."));
        }
        site.build_ok();
        let version = |n: usize| {
            site.read(&format!(
                "public/organisatie/almelo/versie/{}/index.html",
                log[n]
            ))
        };
        assert!(title_of(&version(0)).starts_with("Almelo"), "{uncommitted}");
        assert!(!title_of(&version(0)).contains("nieuw"), "{uncommitted}");
        assert!(version(0).contains("Tweede tekst."));
        assert!(title_of(&version(1)).starts_with("Almelo"), "{uncommitted}");
        assert!(version(1).contains("Eerste tekst."));
        assert!(
            title_of(&version(2)).starts_with("Gemeente Almelo"),
            "{uncommitted}"
        );
        let current = site.read("public/organisatie/almelo/index.html");
        assert_eq!(title_of(&current).contains("nieuw"), uncommitted);
    }
}

#[test]
fn an_old_versions_field_links_to_its_own_headings() {
    let site = TestSite::new();
    site.write(
        "twn.yaml",
        &common::config_with_organisation_fields(common::INTRO_FIELD),
    );
    site.git_init();
    let file = "content/organisatie/almelo.md";
    site.write(
        file,
        "---\ntitle: Almelo\ntype: gemeente\nintro: Lees [over water](#water) of [naar boven](#).\n---\n\n## Water\n",
    );
    site.commit_all("Almelo met water", ANNA, "2020-02-03T10:00:00+01:00");
    site.write(
        file,
        "---\ntitle: Almelo\ntype: gemeente\nintro: Lees [over bodem](#bodem).\n---\n\n## Bodem\n",
    );
    site.commit_all("Almelo over bodem", BRAM, "2020-03-04T10:00:00+01:00");
    site.build_ok();
    let log = commits_of(site.dir.path(), file);
    let old = site.read(&format!(
        "public/organisatie/almelo/versie/{}/index.html",
        log[1]
    ));
    assert!(
        old.contains(r##"<a href="#water">over water</a>"##),
        "{old}"
    );
    assert!(old.contains(r##"<a href="#">naar boven</a>"##), "{old}");
    let current = site.read("public/organisatie/almelo/index.html");
    assert!(
        current.contains(r##"<a href="/organisatie/almelo/#bodem">over bodem</a>"##),
        "{current}"
    );
}

#[test]
fn a_diff_marks_added_and_removed_lines_and_changed_words() {
    let site = site_with_history();
    site.build_ok();
    let log = commits_of(site.dir.path(), "content/regio/twents-waternet.md");
    let newest = &log[0];
    let diff = site.read(&format!(
        "public/regio/twents-waternet/verschil/{newest}/index.html"
    ));
    assert!(diff.contains("<tr class=\"del\"><td>8<td><td><del><span class=\"visually-hidden\">verwijderd: </span>Samen "), "{diff}");
    assert!(
        diff.contains("<mark>werken aan schoon water </mark>")
            || diff.contains("<mark>werken</mark>"),
        "changed words marked:\n{diff}"
    );
    assert!(
        diff.contains("<ins><span class=\"visually-hidden\">toegevoegd: </span>Nieuw: de vier B"),
        "{diff}"
    );
    assert!(
        diff.contains("Toegevoegde regels beginnen met +"),
        "readable without colour"
    );
}

#[test]
fn a_page_renamed_twice_keeps_its_history_and_its_old_urls_redirect() {
    let site = site_with_history();
    let dir = site.dir.path();
    git_as(
        dir,
        &[
            "mv",
            "content/organisatie/almelo.md",
            "content/organisatie/gemeente-almelo.md",
        ],
        ANNA,
        "2020-03-01T10:00:00+01:00",
    );
    site.commit_all("Almelo hernoemd", ANNA, "2020-03-01T10:00:00+01:00");
    std::fs::create_dir_all(site.path("content/organisatie/almelo-stad")).unwrap();
    git_as(
        dir,
        &[
            "mv",
            "content/organisatie/gemeente-almelo.md",
            "content/organisatie/almelo-stad/index.md",
        ],
        ANNA,
        "2021-04-02T10:00:00+02:00",
    );
    // References name pages by their file name, so the region follows.
    site.write(
        "content/regio/twents-waternet.md",
        "---\ntitle: Twents Waternet\nmembers: [almelo-stad, vechtstromen]\n---\n\n## Visie\n\nSamen werken aan schoon water met [[Almelo]].\n\nNieuw: de vier B's.\n",
    );
    site.write("content/organisatie/almelo-stad/index.md", "---\ntitle: Almelo\ntype: gemeente\n---\n\nLid van [[regio/twents-waternet|het verband]].\n\nEen extra regel.\n");
    site.commit_all(
        "Almelo verplaatst en aangevuld",
        BRAM,
        "2021-04-02T10:00:00+02:00",
    );
    site.build_ok();
    let history = site.read("public/organisatie/almelo-stad/geschiedenis/index.html");
    for message in [
        "Almelo verplaatst en aangevuld",
        "Almelo hernoemd",
        "Eerste versie van de wiki",
    ] {
        assert!(history.contains(message), "{message} in the history");
    }
    assert!(history.contains("verplaatst van <code>organisatie/gemeente-almelo.md</code>"));
    assert!(history.contains("verplaatst van <code>organisatie/almelo.md</code>"));
    let stamp_html = site.read("public/organisatie/almelo-stad/index.html");
    assert!(stamp(&stamp_html).contains(r#"datetime="2021-04-02""#));
    for old in ["organisatie/almelo", "organisatie/gemeente-almelo"] {
        let redirect = site.read(&format!("public/{old}/index.html"));
        assert!(
            redirect.contains(
                r#"<link rel="canonical" href="https://example.org/organisatie/almelo-stad/">"#
            ),
            "{old}: {redirect}"
        );
        assert!(redirect.contains("/organisatie/almelo-stad/"), "{old}");
    }
    // The oldest version still has its text, under the page's current URL.
    let log = commits_of(dir, "content/organisatie/almelo-stad/index.md");
    let oldest = log.last().unwrap();
    let old = site.read(&format!(
        "public/organisatie/almelo-stad/versie/{oldest}/index.html"
    ));
    assert!(old.contains("het verband") && !old.contains("Een extra regel"));
}

#[test]
fn recent_changes_are_grouped_by_day_and_the_feed_is_valid_atom() {
    let site = site_with_history();
    site.build_ok();
    let recent = site.read("public/recente-wijzigingen/index.html");
    let day_2019 = recent
        .find(r#"<time datetime="2019-09-23">23-09-2019</time></h2>"#)
        .expect("2019 day heading");
    let day_2017 = recent
        .find(r#"<time datetime="2017-01-16">16-01-2017</time></h2>"#)
        .expect("2017 day heading");
    assert!(day_2019 < day_2017);
    assert!(
        recent.contains("Visie aangevuld") && recent.contains("/regio/twents-waternet/verschil/")
    );
    let feed = site.read("public/recente-wijzigingen/atom.xml");
    let document = roxmltree::Document::parse(&feed).expect("well-formed XML");
    let root = document.root_element();
    let atom = "http://www.w3.org/2005/Atom";
    assert_eq!(root.tag_name().name(), "feed");
    assert_eq!(root.tag_name().namespace(), Some(atom));
    fn child<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
        node.children().find(|c| {
            c.tag_name().name() == name
                && c.tag_name().namespace() == Some("http://www.w3.org/2005/Atom")
        })
    }
    for required in ["id", "title", "updated", "author"] {
        assert!(child(root, required).is_some(), "feed has <{required}>");
    }
    let entries: Vec<_> = root
        .children()
        .filter(|c| c.tag_name().name() == "entry")
        .collect();
    assert_eq!(
        entries.len(),
        6,
        "five pages created in 2017 and one change in 2019"
    );
    for entry in &entries {
        for required in ["id", "title", "updated", "link", "author"] {
            assert!(child(*entry, required).is_some(), "entry has <{required}>");
        }
        let updated = child(*entry, "updated").unwrap().text().unwrap();
        assert!(
            updated.parse::<jiff::Timestamp>().is_ok(),
            "RFC 3339 date {updated}"
        );
        let id = child(*entry, "id").unwrap().text().unwrap();
        assert!(id.starts_with("https://example.org/"), "absolute id {id}");
    }
    assert!(
        child(entries[0], "title")
            .unwrap()
            .text()
            .unwrap()
            .contains("Visie aangevuld")
    );
}

#[test]
fn no_author_email_address_is_published() {
    let site = site_with_history();
    site.build_ok();
    let email = |text: &str| {
        text.split(|c: char| c.is_whitespace() || "<>\"'()".contains(c))
            .find(|word| {
                word.split_once('@').is_some_and(|(user, host)| {
                    !user.is_empty()
                        && host.contains('.')
                        && host
                            .chars()
                            .all(|c| c.is_alphanumeric() || c == '.' || c == '-')
                })
            })
            .map(str::to_owned)
    };
    let snapshot = site.public_snapshot();
    assert!(snapshot.len() > 20);
    for (path, bytes) in snapshot {
        let text = String::from_utf8_lossy(&bytes);
        assert_eq!(email(&text), None, "an e-mail address in {path}");
        assert!(
            !text.contains("example.org>") && !text.contains("waterschap.example"),
            "{path}"
        );
    }
}

#[test]
fn a_second_build_renders_no_old_version_again() {
    let site = site_with_history();
    let first = site.build_ok();
    assert!(
        first.stderr.contains("(12 nieuw, 0 uit de cache)"),
        "{}",
        first.stderr
    );
    let before = site.public_snapshot();
    let second = site.build_ok();
    assert!(
        second.stderr.contains("(0 nieuw, 12 uit de cache)"),
        "{}",
        second.stderr
    );
    assert_eq!(before, site.public_snapshot(), "the same output");
    // A new commit renders its own version and diff, and the one before it
    // again (its "newer" link changed); nothing else.
    site.write("content/organisatie/almelo.md", "---\ntitle: Almelo\ntype: gemeente\n---\n\nLid van [[regio/twents-waternet|het verband]]. Aangevuld.\n");
    site.commit_all("Almelo aangevuld", ANNA, "2022-02-02T10:00:00+01:00");
    let third = site.build_ok();
    assert!(
        third.stderr.contains("(4 nieuw, 10 uit de cache)"),
        "{}",
        third.stderr
    );
}

/// Every change of settings gives every old version a new key: the cache
/// keeps what the last three builds used, not every page ever rendered.
#[test]
fn the_cache_keeps_what_the_last_three_builds_used() {
    let site = site_with_history();
    let titled = |title: &str| common::history::build_titled(&site, title);
    let cached_pages = || common::history::cached_pages(&site);
    assert!(titled("Wiki A").contains("(12 nieuw, 0 uit de cache)"));
    let first = site.public_snapshot();
    let per_build = cached_pages();
    assert!(per_build >= 12, "{per_build}");
    for title in ["Wiki B", "Wiki C", "Wiki D"] {
        let stderr = titled(title);
        assert!(stderr.contains("(12 nieuw, 0 uit de cache)"), "{stderr}");
    }
    assert_eq!(cached_pages(), 3 * per_build, "the pages of A are gone");
    let back_to_b = titled("Wiki B");
    assert!(
        back_to_b.contains("(0 nieuw, 12 uit de cache)"),
        "{back_to_b}"
    );
    let back_to_a = titled("Wiki A");
    assert!(
        back_to_a.contains("(12 nieuw, 0 uit de cache)"),
        "{back_to_a}"
    );
    assert_eq!(site.public_snapshot(), first, "rendered again, the same");
}

/// A folder of the cache that is a link could lead anywhere: twn neither
/// stores pages through it nor publishes what it finds there, and renders
/// those pages instead.
#[test]
fn a_cache_folder_that_is_a_link_gets_no_pages_and_gives_none() {
    let site = site_with_history();
    site.build_ok();
    let built = site.public_snapshot();
    let revisions = site.path(".twn-cache/revisions");
    let elsewhere = tempfile::tempdir().unwrap();
    // Each folder moved away, whole, and linked back: its pages would be
    // used as they are if twn followed the link.
    for folder in std::fs::read_dir(&revisions).unwrap() {
        let folder = folder.unwrap().path();
        if !folder.is_dir() {
            continue;
        }
        let moved = elsewhere.path().join(folder.file_name().unwrap());
        std::fs::rename(&folder, &moved).unwrap();
        std::os::unix::fs::symlink(&moved, &folder).unwrap();
    }
    // Every file there with its inode and time: a page written through a
    // link under a temporary name and renamed would change both.
    let files_elsewhere = || {
        use std::os::unix::fs::MetadataExt;
        walkdir::WalkDir::new(elsewhere.path())
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let meta = e.metadata().unwrap();
                (e.into_path(), meta.ino(), meta.mtime_nsec(), meta.len())
            })
            .collect::<std::collections::BTreeSet<_>>()
    };
    let before = files_elsewhere();
    assert!(before.len() >= 4, "{before:?}");
    let stderr = site.build_ok().stderr;
    assert!(stderr.contains("nieuw, 0 uit de cache"), "{stderr}");
    assert!(
        stderr.contains("is een symbolische koppeling; twn bewaart er geen oude versies in"),
        "{stderr}"
    );
    assert_eq!(site.public_snapshot(), built, "rendered again, as built");
    assert_eq!(files_elsewhere(), before, "nothing stored through a link");
}

#[test]
fn a_shallow_clone_warns_and_strict_makes_it_an_error() {
    let site = site_with_history();
    let clone_parent = tempfile::tempdir().unwrap();
    let clone = clone_parent.path().join("kloon");
    let source = format!("file://{}", site.dir.path().display());
    git(
        clone_parent.path(),
        &["clone", "-q", "--depth", "1", &source, "kloon"],
    );
    let run = |args: &[&str]| {
        assert_cmd::Command::cargo_bin("twn")
            .unwrap()
            .current_dir(&clone)
            .args(args)
            .output()
            .unwrap()
    };
    let built = run(&["build"]);
    let stderr = String::from_utf8_lossy(&built.stderr);
    assert_eq!(built.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("waarschuwing") && stderr.contains("ondiep"),
        "{stderr}"
    );
    assert!(
        stderr.contains("fetch-depth: 0")
            && stderr.contains("GIT_DEPTH: 0")
            && stderr.contains("git fetch --unshallow"),
        "{stderr}"
    );
    let before = std::fs::read(clone.join("public/index.html")).unwrap();
    let strict = run(&["build", "--strict"]);
    assert_eq!(strict.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&strict.stderr).contains("ondiep"));
    assert_eq!(
        before,
        std::fs::read(clone.join("public/index.html")).unwrap(),
        "output untouched"
    );
}

#[test]
fn an_empty_repository_and_a_detached_head_both_build() {
    let site = TestSite::new();
    site.git_init();
    site.build_ok();
    let almelo = site.read("public/organisatie/almelo/index.html");
    assert!(
        stamp(&almelo).contains("nog niet vastgelegd in git"),
        "no commits yet"
    );
    assert!(
        !almelo.contains("/geschiedenis/\""),
        "no history to link to"
    );
    site.commit_all("Eerste versie", ANNA, "2018-05-05T12:00:00+02:00");
    git(site.dir.path(), &["checkout", "-q", "--detach", "HEAD"]);
    site.build_ok();
    let almelo = site.read("public/organisatie/almelo/index.html");
    assert!(
        stamp(&almelo).contains(r#"datetime="2018-05-05""#),
        "{}",
        stamp(&almelo)
    );
}

#[test]
fn a_site_in_a_subfolder_with_spaces_and_accents_in_file_names() {
    let repo = tempfile::tempdir().unwrap();
    let site = TestSite::new();
    let wiki = repo.path().join("docs/wiki");
    common::copy_dir(site.dir.path(), &wiki);
    let write = |path: &str, text: &str| {
        let file = wiki.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    };
    write(
        "content/organisatie/Hof van Twente.md",
        "---\ntitle: Hof van Twente\ntype: gemeente\n---\n\nEen gemeente.\n",
    );
    write(
        "content/organisatie/enschedé.md",
        "---\ntitle: Enschedé\ntype: gemeente\n---\n\nNog een gemeente.\n",
    );
    std::fs::write(repo.path().join("README"), "elders in de repository\n").unwrap();
    git(repo.path(), &["init", "-q", "-b", "main"]);
    git(repo.path(), &["add", "-A"]);
    git_as(
        repo.path(),
        &["commit", "-q", "-m", "Wiki toegevoegd"],
        BRAM,
        "2019-02-03T10:00:00+01:00",
    );
    write(
        "content/organisatie/Hof van Twente.md",
        "---\ntitle: Hof van Twente\ntype: gemeente\n---\n\nEen gemeente in Twente.\n",
    );
    git(repo.path(), &["add", "-A"]);
    git_as(
        repo.path(),
        &["commit", "-q", "-m", "Hof van Twente aangevuld"],
        ANNA,
        "2019-03-04T10:00:00+01:00",
    );
    let built = assert_cmd::Command::cargo_bin("twn")
        .unwrap()
        .current_dir(repo.path())
        .args(["--root", "docs/wiki", "build"])
        .output()
        .unwrap();
    assert_eq!(
        built.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let public = |page: &str| {
        std::fs::read_to_string(
            Path::new(&wiki)
                .join("public")
                .join(page)
                .join("index.html"),
        )
        .unwrap()
    };
    let hof = public("organisatie/hof-van-twente");
    assert!(
        stamp(&hof).contains(r#"datetime="2019-03-04""#),
        "{}",
        stamp(&hof)
    );
    let history = public("organisatie/hof-van-twente/geschiedenis");
    assert!(history.contains("Hof van Twente aangevuld") && history.contains("Wiki toegevoegd"));
    let enschede = public("organisatie/enschede");
    assert!(
        stamp(&enschede).contains(r#"datetime="2019-02-03""#),
        "{}",
        stamp(&enschede)
    );
}

/// The example wiki in this repository: Twents Waternet was imported as its
/// 2017 and 2019 texts, in two commits.
#[test]
fn the_example_wiki_shows_the_2017_and_2019_revisions_of_twents_waternet() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shallow = git(repo, &["rev-parse", "--is-shallow-repository"]);
    if shallow.trim() == "true" {
        eprintln!("skipped: this clone is shallow, so the example history is cut off");
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let out_dir = out.path().join("public");
    let built = assert_cmd::Command::cargo_bin("twn")
        .unwrap()
        .args([
            "--root",
            repo.to_str().unwrap(),
            "build",
            "--out",
            out_dir.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(
        built.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let history =
        std::fs::read_to_string(out_dir.join("regio/twents-waternet/geschiedenis/index.html"))
            .unwrap();
    let dates: Vec<&str> = ["23-09-2019", "16-01-2017"]
        .into_iter()
        .filter(|d| history.contains(d))
        .collect();
    assert_eq!(dates, ["23-09-2019", "16-01-2017"], "both revisions listed");
    assert!(
        history.find("23-09-2019") < history.find("16-01-2017"),
        "newest first"
    );
    let log = commits_of(repo, "content/regio/twents-waternet.md");
    let oldest = log.last().unwrap();
    let newest = &log[0];
    assert!(
        out_dir
            .join(format!("regio/twents-waternet/versie/{oldest}/index.html"))
            .is_file()
    );
    let diff = std::fs::read_to_string(out_dir.join(format!(
        "regio/twents-waternet/verschil/{newest}/index.html"
    )))
    .unwrap();
    assert!(
        diff.contains("<ins>") && diff.contains("<del>"),
        "the 2019 change against 2017"
    );
    let page = std::fs::read_to_string(out_dir.join("regio/twents-waternet/index.html")).unwrap();
    let last = git(
        repo,
        &[
            "log",
            "-1",
            "--format=%as",
            "--",
            "content/regio/twents-waternet.md",
        ],
    );
    assert!(
        page.contains(&format!(
            "Laatst bijgewerkt: <time datetime=\"{}\">",
            last.trim()
        )),
        "stamped with the last commit's author date {last}"
    );
}

#[test]
fn a_new_description_reaches_the_history_pages_a_cached_build_had() {
    let site = TestSite::example_with_history();
    site.build_ok();
    let workplace = "content/werkplaats/rioolvervanging.md";
    site.write(
        workplace,
        &site.read(workplace).replacen(
            "---\n",
            "---\ndescription: Oude riolen op tijd vervangen, samen gepland.\n",
            1,
        ),
    );
    site.build_ok();
    let history = site.read("public/werkplaats/rioolvervanging/geschiedenis/index.html");
    assert!(
        history.contains("Oude riolen op tijd vervangen, samen gepland."),
        "the history page describes the page as it is now"
    );
}
