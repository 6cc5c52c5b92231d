//! History through the whole commit graph, as git has it: renames on side
//! branches, merges, renames git finds by similarity, deleted pages, every
//! old URL, old versions that show what was, shallow clones and no e-mail
//! address anywhere. Each case is a real repository built with git.

mod common;

use common::{TestSite, git, git_as};
use std::path::Path;

const ANNA: (&str, &str) = ("Anna de Vries", "anna.devries@example.org");
const BRAM: (&str, &str) = ("Bram Jansen", "bram@waterschap.example");

fn at(day: u32) -> String {
    format!("2024-01-{day:02}T10:00:00+01:00")
}

/// Commits everything as `author` on day `day` of January 2024.
fn commit(site: &TestSite, message: &str, author: (&str, &str), day: u32) -> String {
    site.commit_all(message, author, &at(day));
    git(site.dir.path(), &["rev-parse", "--short=7", "HEAD"])
        .trim()
        .to_owned()
}

fn git_on(site: &TestSite, args: &[&str], day: u32) {
    git_as(site.dir.path(), args, ANNA, &at(day));
}

/// Merges the branch `zijtak` into the current one, always as a merge commit.
fn merge_side_branch(site: &TestSite, day: u32) {
    git_on(
        site,
        &[
            "merge",
            "-q",
            "--no-ff",
            "-m",
            "Zijtak samengevoegd",
            "zijtak",
        ],
        day,
    );
}

/// The short ids of the versions on a history page, in the order listed.
fn listed(site: &TestSite, page: &str) -> Vec<String> {
    linked_ids(site, page, "/versie/")
}

/// The short ids of the changes on a history page, each listed with its
/// diff, in the order listed (a deletion has a diff but no version).
fn changes_listed(site: &TestSite, page: &str) -> Vec<String> {
    linked_ids(site, page, "/verschil/")
}

/// The short ids a history page links to below `folder`, in order.
fn linked_ids(site: &TestSite, page: &str, folder: &str) -> Vec<String> {
    let html = site.read(&format!("public/{page}geschiedenis/index.html"));
    let mut ids: Vec<String> = Vec::new();
    for part in html.split(folder).skip(1) {
        let id: String = part.chars().take_while(|c| c.is_ascii_hexdigit()).collect();
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids
}

/// Twenty lines of text, the first `changed` of them replaced.
fn text(title: &str, changed: usize) -> String {
    let lines: String = (0..20)
        .map(|n| {
            if n < changed {
                format!("Deze regel {n} is helemaal herschreven door de redactie.\n")
            } else {
                format!("Regel {n} over samenwerking in de waterketen van Twente.\n")
            }
        })
        .collect();
    format!("---\ntitle: {title}\ntype: gemeente\n---\n\n{lines}")
}

const A: &str = "content/organisatie/a.md";

#[test]
fn a_rename_on_a_side_branch_keeps_the_whole_history_through_later_renames() {
    let site = TestSite::new();
    site.git_init();
    site.write(A, &text("Pagina", 0));
    let created = commit(&site, "Pagina aangemaakt", ANNA, 1);
    site.write(A, &text("Pagina", 0).replace("Regel 19", "Regel negentien"));
    let edited = commit(&site, "Slot aangepast", ANNA, 2);
    let dir = site.dir.path();
    git(dir, &["checkout", "-q", "-b", "zijtak"]);
    git(dir, &["mv", A, "content/organisatie/b.md"]);
    let renamed_on_side = commit(&site, "Hernoemd naar b", BRAM, 3);
    git(dir, &["checkout", "-q", "main"]);
    site.write(A, &site.read(A).replace("Regel 1 ", "Regel een "));
    let edited_on_main = commit(&site, "Begin aangepast", ANNA, 4);
    merge_side_branch(&site, 5);
    assert!(site.read("content/organisatie/b.md").contains("Regel een "));
    git(
        dir,
        &["mv", "content/organisatie/b.md", "content/organisatie/c.md"],
    );
    let renamed_again = commit(&site, "Hernoemd naar c", ANNA, 6);
    site.build_ok();
    assert_eq!(
        listed(&site, "organisatie/c/"),
        [
            renamed_again,
            edited_on_main,
            renamed_on_side,
            edited,
            created
        ],
        "every commit before the branch point is kept; the merge adds nothing of its own"
    );
    for old in ["organisatie/a/", "organisatie/b/"] {
        let html = site.read(&format!("public/{old}index.html"));
        assert!(html.contains("url=/organisatie/c/"), "{old}: {html}");
    }
}

/// Page `A` created on day 1 and edited on day 2 in a new repository:
/// the two commits, newest first.
fn created_and_edited(site: &TestSite) -> [String; 2] {
    site.git_init();
    site.write(A, &text("Pagina", 0));
    let created = commit(site, "Pagina aangemaakt", ANNA, 1);
    site.write(A, &text("Pagina", 3));
    let edited = commit(site, "Tekst herschreven", ANNA, 2);
    [edited, created]
}

/// Page `A` created, edited, moved to `b.md` (on the branch `zijtak`, if
/// asked) and a stub written in its place: the four commits, newest first.
fn moved_with_a_stub(site: &TestSite, on_a_branch: bool) -> [String; 4] {
    let [edited, created] = created_and_edited(site);
    let dir = site.dir.path();
    if on_a_branch {
        git(dir, &["checkout", "-q", "-b", "zijtak"]);
    }
    git(dir, &["mv", A, "content/organisatie/b.md"]);
    let moved = commit(site, "Verhuisd naar b", BRAM, 3);
    site.write(
        A,
        "---\ntitle: Verhuisd\ntype: gemeente\n---\n\nZie [[b]].\n",
    );
    let stub = commit(site, "Verwijzing op de oude plek", BRAM, 4);
    [stub, moved, edited, created]
}

#[test]
fn a_page_moved_on_a_branch_that_left_a_stub_behind_keeps_its_history() {
    let site = TestSite::new();
    let [stub, moved, edited, created] = moved_with_a_stub(&site, true);
    git(site.dir.path(), &["checkout", "-q", "main"]);
    merge_side_branch(&site, 5);
    site.build_ok();
    assert_eq!(
        git_follow(&site, "content/organisatie/b.md"),
        [&*moved, &edited, &created]
    );
    assert_eq!(
        listed(&site, "organisatie/b/"),
        [&*moved, &edited, &created],
        "the moved page keeps the past that the stub at its old place shares"
    );
    assert_eq!(listed(&site, "organisatie/a/"), [&*stub, &edited, &created]);
}

/// `git log --follow` of a file, short ids.
fn git_follow(site: &TestSite, file: &str) -> Vec<String> {
    git(
        site.dir.path(),
        &["log", "--follow", "--format=%h", "--abbrev=7", "--", file],
    )
    .lines()
    .map(str::to_owned)
    .collect()
}

#[test]
fn a_page_brought_back_and_moved_keeps_its_first_life_when_a_stub_takes_its_place() {
    // Deleted, brought back by `git revert`, moved to b.md, and a stub
    // written at a.md: `git log --follow` shows the first life for both.
    let site = TestSite::new();
    let [edited, created] = created_and_edited(&site);
    let dir = site.dir.path();
    git(dir, &["rm", "-q", A]);
    let deleted = commit(&site, "Weg", BRAM, 3);
    git_on(&site, &["revert", "--no-edit", "HEAD"], 4);
    let back = git(dir, &["rev-parse", "--short=7", "HEAD"])
        .trim()
        .to_owned();
    git(dir, &["mv", A, "content/organisatie/b.md"]);
    let moved = commit(&site, "Verhuisd naar b", BRAM, 5);
    site.write(
        A,
        "---\ntitle: Verhuisd\ntype: gemeente\n---\n\nZie [[b]].\n",
    );
    let stub = commit(&site, "Verwijzing op de oude plek", BRAM, 6);
    site.build_ok();
    let follows_b = [&*moved, &back, &deleted, &edited, &created];
    assert_eq!(git_follow(&site, "content/organisatie/b.md"), follows_b);
    assert_eq!(changes_listed(&site, "organisatie/b/"), follows_b);
    let follows_a = [&*stub, &moved, &back, &deleted, &edited, &created];
    assert_eq!(git_follow(&site, A), follows_a);
    assert_eq!(changes_listed(&site, "organisatie/a/"), follows_a);
    // Recent changes count a change of the shared past once, as the
    // moved page's.
    let recent = site.read("public/recente-wijzigingen/index.html");
    assert_eq!(recent.matches("Tekst herschreven").count(), 1, "{recent}");
    assert!(recent.contains(&format!("/organisatie/b/verschil/{edited}/")));
}

#[test]
fn a_stub_left_where_a_page_moved_from_shares_its_past_as_git_log_follow_shows() {
    let site = TestSite::new();
    let [stub, moved, edited, created] = moved_with_a_stub(&site, false);
    site.build_ok();
    assert_eq!(git_follow(&site, A), [&*stub, &moved, &edited, &created]);
    assert_eq!(
        changes_listed(&site, "organisatie/a/"),
        [&*stub, &moved, &edited, &created],
        "the stub lists the move as the end of the file it replaced"
    );
    assert_eq!(
        listed(&site, "organisatie/b/"),
        [&*moved, &edited, &created]
    );
    let moved_diff = site.read(&format!("public/organisatie/a/verschil/{moved}/index.html"));
    assert!(
        moved_diff.contains("Regel 19 over samenwerking"),
        "{moved_diff}"
    );
    // It reads as the move it was, not as a deletion.
    let history = site.read("public/organisatie/a/geschiedenis/index.html");
    for page in [&history, &moved_diff] {
        assert!(
            page.contains("verplaatst naar <code>organisatie/b.md</code>"),
            "{page}"
        );
    }
    assert!(!history.contains("pagina verwijderd"), "{history}");
}

#[test]
fn a_page_that_came_back_before_it_moved_on_keeps_its_old_places_and_the_stub_its_past() {
    let site = TestSite::new();
    site.git_init();
    let (x, y, z) = (A, "content/organisatie/y.md", "content/organisatie/z.md");
    site.write(x, &text("Pagina", 0));
    commit(&site, "Aangemaakt", ANNA, 1);
    let dir = site.dir.path();
    git(dir, &["mv", x, y]);
    commit(&site, "Naar y", ANNA, 2);
    git(dir, &["mv", y, x]);
    commit(&site, "Terug naar x", ANNA, 3);
    git(dir, &["mv", x, z]);
    commit(&site, "Naar z", BRAM, 4);
    site.write(
        x,
        "---\ntitle: Verhuisd\ntype: gemeente\n---\n\nZie [[z]].\n",
    );
    commit(&site, "Verwijzing", BRAM, 5);
    site.build_ok();
    let follow = git_follow(&site, x);
    assert_eq!(follow.len(), 5, "{follow:?}");
    assert_eq!(changes_listed(&site, "organisatie/a/"), follow);
    // Only the move to z ended the file at x: the move to y and back is
    // the page's own life, listed with its versions.
    assert_eq!(listed(&site, "organisatie/a/").len(), 4);
    let y_place = site.read("public/organisatie/y/index.html");
    assert!(
        y_place.contains("url=/organisatie/z/"),
        "the place the page left leads to where it went, not to the stub: {y_place}"
    );
}

#[test]
fn a_deleted_page_renamed_on_a_branch_keeps_the_past_it_shares_with_the_page_kept() {
    let site = TestSite::new();
    site.git_init();
    let x = "content/organisatie/x.md";
    let y = "content/organisatie/y.md";
    site.write(x, &text("Sjabloon", 0));
    let created = commit(&site, "Sjabloon", ANNA, 1);
    site.write(x, &text("Sjabloon", 2));
    let edited = commit(&site, "Sjabloon bijgewerkt", ANNA, 2);
    let dir = site.dir.path();
    git(dir, &["checkout", "-q", "-b", "zijtak"]);
    git(dir, &["mv", x, y]);
    let renamed = commit(&site, "Voorstel y", BRAM, 3);
    git(dir, &["checkout", "-q", "main"]);
    site.write("content/organisatie/o.md", &text("Ander", 0));
    commit(&site, "Andere pagina", ANNA, 4);
    // The merge keeps main's x beside the branch's y.
    git_on(
        &site,
        &["merge", "-q", "--no-ff", "--no-commit", "zijtak"],
        5,
    );
    site.write(x, &text("Sjabloon", 2));
    commit(&site, "Zijtak samengevoegd", ANNA, 5);
    git(dir, &["rm", "-q", y]);
    let removed = commit(&site, "Voorstel y weg", BRAM, 6);
    site.build_ok();
    assert_eq!(
        git_follow(&site, y),
        [&*removed, &renamed, &edited, &created]
    );
    assert_eq!(
        changes_listed(&site, "organisatie/y/"),
        [&*removed, &renamed, &edited, &created]
    );
    assert_eq!(listed(&site, "organisatie/x/"), [&*edited, &created]);
}

#[test]
fn a_page_renamed_on_a_branch_that_took_in_main_keeps_its_past_when_deleted() {
    let site = TestSite::new();
    site.git_init();
    let u = "content/organisatie/u.md";
    let x = "content/organisatie/x.md";
    let y = "content/organisatie/y.md";
    site.write(u, &text("Pagina", 0));
    let created = commit(&site, "Aangemaakt", ANNA, 1);
    let dir = site.dir.path();
    git(dir, &["mv", u, x]);
    let renamed = commit(&site, "Hernoemd naar x", ANNA, 2);
    git(dir, &["checkout", "-q", "-b", "zijtak"]);
    // Rewritten so far that git no longer pairs main's x with y.
    site.write(x, &text("Pagina", 16));
    let rewritten = commit(&site, "Herschreven", BRAM, 3);
    git(dir, &["mv", x, y]);
    let renamed_again = commit(&site, "Hernoemd naar y", BRAM, 4);
    git(dir, &["checkout", "-q", "main"]);
    site.write("content/organisatie/o.md", &text("Ander", 0));
    commit(&site, "Andere pagina", ANNA, 5);
    git(dir, &["checkout", "-q", "zijtak"]);
    git_on(
        &site,
        &["merge", "-q", "--no-ff", "-m", "Main erbij", "main"],
        6,
    );
    git(dir, &["rm", "-q", y]);
    commit(&site, "Weg", BRAM, 7);
    site.build_ok();
    assert_eq!(
        listed(&site, "organisatie/y/"),
        [&*renamed_again, &rewritten, &renamed, &created],
        "the merge left main's x out, it did not end the page there"
    );
    let first = site.read("public/organisatie/u/index.html");
    assert!(first.contains("url=/organisatie/y/"), "{first}");
}

#[test]
fn a_page_that_a_merge_left_out_keeps_its_history_and_says_so() {
    let site = TestSite::new();
    site.git_init();
    site.write(A, &text("Pagina", 0));
    commit(&site, "Begin", ANNA, 1);
    let dir = site.dir.path();
    git(dir, &["checkout", "-q", "-b", "zijtak"]);
    let z = "content/organisatie/z.md";
    site.write(z, &text("Zijpagina", 0));
    let created = commit(&site, "Zijpagina aangemaakt", BRAM, 2);
    site.write(z, &text("Zijpagina", 2));
    let edited = commit(&site, "Zijpagina aangepast", BRAM, 3);
    git(dir, &["checkout", "-q", "main"]);
    site.write(A, &text("Pagina", 1));
    commit(&site, "Begin aangepast", ANNA, 4);
    git(dir, &["checkout", "-q", "zijtak"]);
    git_on(&site, &["merge", "-q", "--no-ff", "--no-commit", "main"], 5);
    git(dir, &["rm", "-q", z]);
    commit(&site, "Main erbij, zonder de zijpagina", BRAM, 5);
    git(dir, &["checkout", "-q", "main"]);
    merge_side_branch(&site, 6);
    site.build_ok();
    let notice = site.read("public/organisatie/z/index.html");
    assert!(
        notice.contains("Main erbij, zonder de zijpagina"),
        "its address says it was removed, and where: {notice}"
    );
    assert_eq!(listed(&site, "organisatie/z/"), [&*edited, &created]);
}

/// Paragraphs as editors write them, one long line each; `edited` changes
/// a word at the end of every one.
fn paragraphs(title: &str, edited: bool) -> String {
    let body: String = (0..6)
        .map(|n| {
            let end = if edited { "samen gedaan." } else { "gezamenlijk opgepakt." };
            format!(
                "Alinea {n}: de gemeenten en het waterschap werken in de regio samen aan de riolering, het beheer van hemelwater en de zorg voor schoon grondwater, met gedeelde kennis en mensen, en wat de een niet alleen kan wordt {end}\n\n"
            )
        })
        .collect();
    format!("---\ntitle: {title}\ntype: gemeente\n---\n\n{body}")
}

#[test]
fn renames_are_found_as_git_finds_them() {
    let site = TestSite::new();
    site.git_init();
    site.write(A, &paragraphs("Pagina", false));
    site.write("content/organisatie/h.md", &text("Half", 0));
    site.write(
        "content/organisatie/d.md",
        &text("Ander", 0).replace("Regel", "Zin"),
    );
    let created = commit(&site, "Begin", ANNA, 1);
    let dir = site.dir.path();
    // Every paragraph touched, most of its bytes kept: a rename for git,
    // which compares spans of bytes, not whole lines.
    git(dir, &["mv", A, "content/organisatie/nieuw.md"]);
    site.write("content/organisatie/nieuw.md", &paragraphs("Pagina", true));
    // Almost half the lines rewritten: still a rename.
    git(
        dir,
        &[
            "mv",
            "content/organisatie/h.md",
            "content/organisatie/half.md",
        ],
    );
    site.write("content/organisatie/half.md", &text("Half", 9));
    // Nearly all of it rewritten: a deletion and a new page, for git too.
    git(
        dir,
        &["mv", "content/organisatie/d.md", "content/organisatie/e.md"],
    );
    site.write("content/organisatie/e.md", &text("Ander", 18));
    let moved = commit(&site, "Verplaatst en herschreven", ANNA, 2);
    let status = git(dir, &["show", "-M", "--name-status", "--format=", "HEAD"]);
    assert!(
        status.contains("\tcontent/organisatie/a.md\tcontent/organisatie/nieuw.md"),
        "git sees a rename: {status}"
    );
    assert!(
        status.contains("\tcontent/organisatie/h.md\tcontent/organisatie/half.md"),
        "{status}"
    );
    assert!(status.contains("D\tcontent/organisatie/d.md"), "{status}");
    site.build_ok();
    for (page, file) in [
        ("organisatie/nieuw/", "nieuw.md"),
        ("organisatie/half/", "half.md"),
        ("organisatie/e/", "e.md"),
    ] {
        let git_says: Vec<String> = git(
            dir,
            &[
                "log",
                "-M",
                "--format=%h",
                "--follow",
                "--",
                &format!("content/organisatie/{file}"),
            ],
        )
        .lines()
        .map(str::to_owned)
        .collect();
        assert_eq!(listed(&site, page), git_says, "{page}");
    }
    assert_eq!(
        listed(&site, "organisatie/nieuw/"),
        [moved.clone(), created]
    );
    assert_eq!(listed(&site, "organisatie/e/"), [moved]);
}

#[test]
fn merges_are_listed_as_git_shows_them_newest_first_with_diffs_and_links_that_agree() {
    let site = TestSite::new();
    site.git_init();
    site.write(A, &text("Pagina", 0));
    site.write("content/organisatie/q.md", &text("Q", 0));
    let created = commit(&site, "Begin", ANNA, 1);
    let dir = site.dir.path();
    git(dir, &["checkout", "-q", "-b", "zijtak"]);
    site.write("content/organisatie/q.md", &text("Q", 2));
    let q_on_side = commit(&site, "Q op de zijtak", BRAM, 2);
    site.write(A, &site.read(A).replace("Regel 19", "Regel negentien"));
    let bottom_on_side = commit(&site, "Slot op de zijtak", BRAM, 4);
    git(dir, &["checkout", "-q", "main"]);
    site.write(A, &site.read(A).replace("Regel 0 ", "Regel nul "));
    let top_on_main = commit(&site, "Begin op main", ANNA, 3);
    merge_side_branch(&site, 5);
    let merge = git(dir, &["rev-parse", "--short=7", "HEAD"])
        .trim()
        .to_owned();
    site.build_ok();
    // The merge combined both sides' changes to a: a revision of its own.
    assert_eq!(
        listed(&site, "organisatie/a/"),
        [
            merge.clone(),
            bottom_on_side.clone(),
            top_on_main.clone(),
            created.clone()
        ]
    );
    // q changed only on the branch: the merge only brought that in.
    assert_eq!(
        listed(&site, "organisatie/q/"),
        [q_on_side, created.clone()]
    );
    // The merge's diff is against its first parent, and says so.
    let diff = site.read(&format!("public/organisatie/a/verschil/{merge}/index.html"));
    assert!(
        diff.contains("negentien"),
        "the branch's change is what the merge added"
    );
    assert!(
        diff.contains(&format!("/organisatie/a/versie/{top_on_main}/")),
        "against the first parent"
    );
    // The branch commit's older version is where it started from.
    let version = site.read(&format!(
        "public/organisatie/a/versie/{bottom_on_side}/index.html"
    ));
    assert!(
        version.contains(&format!("/organisatie/a/versie/{created}/")),
        "older along its branch"
    );
    // Recent changes: newest first by the dates shown.
    let recent = site.read("public/recente-wijzigingen/index.html");
    let places: Vec<usize> = [&merge, &bottom_on_side, &top_on_main]
        .iter()
        .map(|id| recent.find(&format!("verschil/{id}/")).expect("listed"))
        .collect();
    assert!(places.windows(2).all(|w| w[0] < w[1]), "{places:?}");
}

#[test]
fn a_deleted_page_keeps_its_history_and_its_address_says_it_was_removed() {
    let site = TestSite::new();
    site.git_init();
    site.write("content/organisatie/oud.md", &text("Oude gemeente", 0));
    site.write(
        "content/organisatie/vechtstromen.md",
        "---\ntitle: Waterschap Vechtstromen\ntype: waterschap\n---\n\nZie [[Oude gemeente]].\n",
    );
    let created = commit(&site, "Begin", ANNA, 1);
    site.write("content/organisatie/oud.md", &text("Oude gemeente", 3));
    let edited = commit(&site, "Bijgewerkt", ANNA, 2);
    git(site.dir.path(), &["rm", "-q", "content/organisatie/oud.md"]);
    site.write(
        "content/organisatie/vechtstromen.md",
        "---\ntitle: Waterschap Vechtstromen\ntype: waterschap\n---\n\nHet waterschap.\n",
    );
    let deleted = commit(&site, "Gemeente bestaat niet meer", BRAM, 3);
    site.build_ok();
    let notice = site.read("public/organisatie/oud/index.html");
    assert!(notice.contains("Deze pagina is verwijderd op"), "{notice}");
    assert!(notice.contains("Bram Jansen"), "{notice}");
    assert!(notice.contains("Gemeente bestaat niet meer"), "{notice}");
    assert!(
        notice.contains(&format!("/organisatie/oud/versie/{edited}/")),
        "{notice}"
    );
    assert!(
        notice.contains("/organisatie/oud/geschiedenis/"),
        "{notice}"
    );
    assert!(notice.contains("noindex"));
    assert_eq!(
        listed(&site, "organisatie/oud/"),
        [edited.clone(), created.clone()]
    );
    assert!(
        site.path(&format!(
            "public/organisatie/oud/versie/{edited}/index.html"
        ))
        .is_file()
    );
    let recent = site.read("public/recente-wijzigingen/index.html");
    assert!(recent.contains("pagina verwijderd"), "{recent}");
    let feed = site.read("public/recente-wijzigingen/atom.xml");
    assert!(
        feed.contains("Oude gemeente: Gemeente bestaat niet meer"),
        "{feed}"
    );
    // An old version that linked to it now leads to the notice.
    let old = site.read(&format!(
        "public/organisatie/vechtstromen/versie/{created}/index.html"
    ));
    assert!(
        old.contains(r#"<a href="/organisatie/oud/">Oude gemeente</a>"#),
        "{old}"
    );
    // Its history lists the deletion with its diff, as git log --follow
    // does, and recent changes lead there.
    let diff_url = format!("/organisatie/oud/verschil/{deleted}/");
    let history = site.read("public/organisatie/oud/geschiedenis/index.html");
    assert!(history.contains(&diff_url), "{history}");
    assert!(recent.contains(&diff_url), "{recent}");
    let diff = site.read(&format!("public{diff_url}index.html"));
    assert!(diff.contains("pagina verwijderd"), "{diff}");
    assert!(
        !site
            .read("public/sitemap.xml")
            .contains("/organisatie/oud/")
    );
}

#[test]
fn every_old_url_redirects_even_from_a_folder_that_is_no_longer_a_collection() {
    let site = TestSite::new();
    site.git_init();
    site.write(
        "twn.yaml",
        &format!(
            "{}  oud:\n    title: Oud\n    singular: Oud\n",
            common::CONFIG
        ),
    );
    site.write(
        "content/oud/plan.md",
        "---\ntitle: Plan\n---\n\nHet plan.\n",
    );
    commit(&site, "Begin", ANNA, 1);
    site.write("twn.yaml", common::CONFIG);
    let dir = site.dir.path();
    std::fs::create_dir_all(site.path("content/organisatie")).unwrap();
    git(
        dir,
        &["mv", "content/oud/plan.md", "content/organisatie/plan.md"],
    );
    site.write(
        "content/organisatie/plan.md",
        "---\ntitle: Plan\ntype: gemeente\n---\n\nHet plan.\n",
    );
    commit(&site, "Verhuisd", ANNA, 2);
    site.build_ok();
    let html = site.read("public/oud/plan/index.html");
    assert!(html.contains("url=/organisatie/plan/"), "{html}");
}

#[test]
fn an_old_place_where_a_chart_now_is_leaves_the_chart_in_place() {
    const THEN: &str = "content/regio/twents-waternet/organisatie.md";
    let site = TestSite::new();
    site.git_init();
    site.write_bodies("  - id: platform\n    name: Platform\n    members: [alle]\n");
    site.write(
        THEN,
        "---\ntitle: Oud organogram\n---\n\nDe oude indeling.\n",
    );
    commit(&site, "Indeling als pagina", ANNA, 1);
    let now = "content/regio/oud-organogram.md";
    git(site.dir.path(), &["mv", THEN, now]);
    commit(&site, "Indeling verplaatst", ANNA, 2);
    // Its old URL is the chart's: the redirect and the chart page would be
    // one file, and whichever product came last would win.
    site.build_ok();
    let chart = site.read("public/regio/twents-waternet/organisatie/index.html");
    assert!(chart.contains("Organisatie van Twents Waternet"), "{chart}");
    assert!(!chart.contains("Oud organogram"), "{chart}");
    let moved = site.read("public/regio/oud-organogram/geschiedenis/index.html");
    assert!(moved.contains("Indeling als pagina"), "{moved}");
}

#[test]
fn old_versions_show_what_was_there() {
    let site = TestSite::new();
    site.git_init();
    site.write_bytes("content/organisatie/borne/kaart.png", b"\x89PNG\r\n");
    site.write_bytes(
        "content/organisatie/borne/index.md",
        b"---\ntitle: Borne\ntype: gemeente\n---\n\nCaf\xe9 de Kroon.\n\n![Kaart](kaart.png)\n\nZie [[Kennisuitwisseling]].\n",
    );
    let first = commit(&site, "Begin", ANNA, 1);
    site.write(
        "content/organisatie/borne/index.md",
        "---\ntitle: Borne\ntype: gemeente\n---\n\nCafé de Kroon.\n\n![Kaart](kaart.png)\n\nZie [[Almelo]].\n",
    );
    let fixed = commit(&site, "Gerepareerd", ANNA, 2);
    site.build_ok();
    let old = site.read(&format!(
        "public/organisatie/borne/versie/{first}/index.html"
    ));
    assert!(
        old.contains("Caf\u{fffd} de Kroon"),
        "the text that was not UTF-8 is shown"
    );
    assert!(
        old.contains(r#"src="/organisatie/borne/kaart.png""#),
        "{old}"
    );
    assert!(site.path("public/organisatie/borne/kaart.png").is_file());
    assert!(!old.contains(r#"href="Kennisuitwisseling""#), "{old}");
    assert!(
        old.contains(r#"href="/zoeken/?q=Kennisuitwisseling""#),
        "{old}"
    );
    let diff = site.read(&format!(
        "public/organisatie/borne/verschil/{fixed}/index.html"
    ));
    assert!(
        diff.contains("+2 regels toegevoegd"),
        "only the changed lines: {diff}"
    );
}

#[test]
fn no_address_from_any_commit_text_reaches_any_output() {
    let site = TestSite::new();
    site.git_init();
    commit(
        &site,
        "Begin",
        ("Redactie <redactie@example.org>", "r@example.org"),
        1,
    );
    site.write(A, &text("Pagina", 0));
    site.commit_all(
        "Pagina over a, na overleg met piet@almelo.example\n\nCo-authored-by: Anna <anna.devries@example.org>\nSigned-off-by: Bram <bram@waterschap.example>",
        BRAM,
        &at(2),
    );
    site.build_ok();
    for (path, bytes) in site.public_snapshot() {
        let text = String::from_utf8_lossy(&bytes);
        for address in ["example.org", "almelo.example", "waterschap.example"] {
            assert!(
                !text.contains(&format!("@{address}")),
                "{path} publishes an address"
            );
        }
    }
    let feed = site.read("public/recente-wijzigingen/atom.xml");
    assert!(feed.contains("na overleg met …"), "{feed}");
}

#[test]
fn a_shallow_clone_says_that_older_history_is_not_available() {
    let site = TestSite::new();
    site.git_init();
    site.write(A, &text("Pagina", 0));
    commit(&site, "Begin", ANNA, 1);
    site.write(A, &text("Pagina", 2));
    commit(&site, "Bijgewerkt", ANNA, 2);
    let parent = tempfile::tempdir().unwrap();
    let source = format!("file://{}", site.dir.path().display());
    git(
        parent.path(),
        &["clone", "-q", "--depth", "1", &source, "kloon"],
    );
    let clone = parent.path().join("kloon");
    let run = common::twn_in(&clone, &["build"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let history =
        std::fs::read_to_string(clone.join("public/organisatie/a/geschiedenis/index.html"))
            .unwrap();
    assert!(
        history.contains("oudere geschiedenis niet beschikbaar"),
        "{history}"
    );
    assert!(!history.contains("pagina aangemaakt"), "{history}");
    let _ = Path::new("");
}

#[test]
fn every_author_has_a_page_with_their_changes_across_the_wiki() {
    let site = TestSite::new();
    site.git_init();
    commit(&site, "Begin", ANNA, 1);
    site.write(A, &text("Pagina", 0));
    let by_bram = commit(&site, "Pagina van Bram", BRAM, 2);
    site.write(A, &text("Pagina", 1));
    commit(&site, "Anna past aan", ANNA, 3);
    site.build_ok();
    let index = site.read("public/auteurs/index.html");
    for (name, url) in [
        ("Anna de Vries", "/auteurs/anna-de-vries/"),
        ("Bram Jansen", "/auteurs/bram-jansen/"),
    ] {
        assert!(
            index.contains(&format!(r#"<a href="{url}">{name}</a>"#)),
            "{index}"
        );
    }
    let bram = site.read("public/auteurs/bram-jansen/index.html");
    assert!(bram.contains("Pagina van Bram"), "{bram}");
    assert!(
        bram.contains(&format!("/organisatie/a/verschil/{by_bram}/")),
        "{bram}"
    );
    assert!(!bram.contains("Anna past aan"), "{bram}");
    let history = site.read("public/organisatie/a/geschiedenis/index.html");
    assert!(
        history.contains(r#"href="/auteurs/bram-jansen/""#),
        "{history}"
    );
    for (path, bytes) in site.public_snapshot() {
        if path.starts_with("auteurs/") {
            assert!(
                !String::from_utf8_lossy(&bytes).contains("@example.org"),
                "{path}"
            );
        }
    }
}

#[test]
fn a_change_made_on_both_branches_is_listed_for_each_as_git_log_follow_lists_it() {
    let site = TestSite::new();
    site.git_init();
    site.write(A, &text("Pagina", 0));
    let created = commit(&site, "Begin", ANNA, 1);
    let dir = site.dir.path();
    git(dir, &["checkout", "-q", "-b", "zijtak"]);
    site.write(A, &text("Pagina", 2));
    let on_side = commit(&site, "Op de zijtak", BRAM, 2);
    git(dir, &["checkout", "-q", "main"]);
    site.write(A, &text("Pagina", 2));
    let on_main = commit(&site, "Hetzelfde op main", ANNA, 3);
    merge_side_branch(&site, 4);
    site.build_ok();
    let git_says: Vec<String> = git(dir, &["log", "--format=%h", "--follow", "--", A])
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(listed(&site, "organisatie/a/"), [on_main, on_side, created]);
    assert_eq!(listed(&site, "organisatie/a/"), git_says);
}

#[test]
fn after_a_rebase_the_version_in_head_is_the_current_one() {
    let site = TestSite::new();
    site.git_init();
    site.write(A, &text("Pagina", 0));
    let created = commit(&site, "Begin", ANNA, 1);
    let dir = site.dir.path();
    git(dir, &["checkout", "-q", "-b", "ann"]);
    site.write(A, &site.read(A).replace("Regel 1 ", "Regel een "));
    commit(&site, "Ann", ANNA, 2);
    git(dir, &["checkout", "-q", "main"]);
    site.write(A, &site.read(A).replace("Regel 3 ", "Regel drie "));
    let bob = commit(&site, "Bob", BRAM, 3);
    git(dir, &["checkout", "-q", "ann"]);
    git_on(&site, &["rebase", "-q", "main"], 4);
    git(dir, &["checkout", "-q", "main"]);
    git(dir, &["merge", "-q", "--ff-only", "ann"]);
    let ann = git(dir, &["rev-parse", "--short=7", "HEAD"])
        .trim()
        .to_owned();
    site.build_ok();
    // Listed by the dates shown: Bob's (day 3) above Ann's (day 2).
    assert_eq!(
        listed(&site, "organisatie/a/"),
        [bob.clone(), ann.clone(), created]
    );
    let page = site.read("public/organisatie/a/index.html");
    assert!(
        !page.contains("nog niet vastgelegd"),
        "the file is as HEAD has it"
    );
    let history = site.read("public/organisatie/a/geschiedenis/index.html");
    let entry = |id: &str| {
        history
            .split("<li")
            .find(|li| li.contains(&format!("versie/{id}/")))
            .unwrap()
            .to_owned()
    };
    assert!(
        entry(&ann).contains("huidige versie</span>"),
        "the badge is on Ann's version"
    );
    assert!(!entry(&bob).contains("huidige versie</span>"));
    // Ann's rebased commit started from Bob's text.
    let diff = site.read(&format!("public/organisatie/a/verschil/{ann}/index.html"));
    assert!(
        diff.contains(&format!("/organisatie/a/versie/{bob}/")),
        "{diff}"
    );
}

#[test]
fn a_deleted_draft_or_hidden_file_is_not_published() {
    let site = TestSite::new();
    site.git_init();
    site.write(
        "content/organisatie/plan.md",
        "---\ntitle: Plan\ntype: gemeente\ndraft: true\n---\n\nVertrouwelijk.\n",
    );
    site.write(
        "content/organisatie/.concept.md",
        "---\ntitle: Concept\ntype: gemeente\n---\n\nNog niet af.\n",
    );
    commit(&site, "Concepten", ANNA, 1);
    git(
        site.dir.path(),
        &[
            "rm",
            "-q",
            "content/organisatie/plan.md",
            "content/organisatie/.concept.md",
        ],
    );
    commit(&site, "Weg", ANNA, 2);
    site.build_ok();
    for (path, bytes) in site.public_snapshot() {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("Vertrouwelijk") && !text.contains("Nog niet af"),
            "{path}"
        );
    }
    assert!(!site.path("public/organisatie/plan").exists());
}

/// Page A made, edited and deleted on days 1 to 3: the three commits.
fn created_edited_removed(site: &TestSite) -> (String, String, String) {
    site.git_init();
    site.write(A, &text("Pagina", 0));
    let created = commit(site, "Begin", ANNA, 1);
    site.write(A, &text("Pagina", 1));
    let edited = commit(site, "Bijgewerkt", ANNA, 2);
    git(site.dir.path(), &["rm", "-q", A]);
    let removed = commit(site, "Weg", BRAM, 3);
    (created, edited, removed)
}

#[test]
fn a_page_brought_back_keeps_its_earlier_history() {
    let site = TestSite::new();
    let (created, edited, removed) = created_edited_removed(&site);
    let dir = site.dir.path();
    git_on(&site, &["revert", "--no-edit", "HEAD"], 4);
    let back = git(dir, &["rev-parse", "--short=7", "HEAD"])
        .trim()
        .to_owned();
    // And all of content/ gone in one commit, then brought back.
    git(dir, &["rm", "-rq", "content"]);
    commit(&site, "Oeps", ANNA, 5);
    git_on(&site, &["revert", "--no-edit", "HEAD"], 6);
    let again = git(dir, &["rev-parse", "--short=7", "HEAD"])
        .trim()
        .to_owned();
    site.build_ok();
    let ids = listed(&site, "organisatie/a/");
    for id in [&again, &back, &edited, &created] {
        assert!(ids.contains(id), "{id} in {ids:?}");
    }
    // Its deletions are part of its history, as `git log -- <path>` shows.
    let history = site.read("public/organisatie/a/geschiedenis/index.html");
    let row = history
        .split("<li")
        .find(|row| row.contains(&format!("/verschil/{removed}/")))
        .unwrap_or_else(|| panic!("the deletion {removed} is listed: {history}"));
    assert!(row.contains("Bram Jansen") && row.contains("Weg"), "{row}");
    assert!(row.contains("pagina verwijderd"), "{row}");
    assert!(
        !row.contains("/versie/"),
        "a deletion has no version: {row}"
    );
    assert_eq!(history.matches("pagina verwijderd").count(), 2, "{history}");
    // Comparing starts from a version, not from a deletion, which has none.
    let checked_from = history
        .split("<li")
        .skip(1)
        .filter(|li| {
            let attributes = li.split('>').next().unwrap_or_default();
            attributes.contains(" data-from") && attributes.contains("data-version=")
        })
        .count();
    assert_eq!(checked_from, 1, "{history}");
    let diff = site.read(&format!(
        "public/organisatie/a/verschil/{removed}/index.html"
    ));
    assert!(diff.contains("pagina verwijderd"), "{diff}");
    assert!(diff.contains("−25 regels"), "every line went: {diff}");
    assert!(
        diff.contains(&format!("/organisatie/a/versie/{edited}/")),
        "compared with the version it removed: {diff}"
    );
    assert!(
        !site
            .path(&format!("public/organisatie/a/versie/{removed}"))
            .exists()
    );
    let recent = site.read("public/recente-wijzigingen/index.html");
    assert!(
        recent.contains(&format!("/organisatie/a/verschil/{removed}/")),
        "recent changes link the deletion to its diff: {recent}"
    );
}

/// Brought back and renamed since: its earlier life is still its own, as
/// `git log --follow` shows it, and not a removed page at its old address.
#[test]
fn a_page_brought_back_and_renamed_keeps_its_earlier_history() {
    let site = TestSite::new();
    let (created, edited, removed) = created_edited_removed(&site);
    let dir = site.dir.path();
    site.write(A, &text("Pagina", 3));
    let back = commit(&site, "Terug", BRAM, 4);
    git(dir, &["mv", A, "content/organisatie/b.md"]);
    let renamed = commit(&site, "Hernoemd", ANNA, 5);
    site.build_ok();
    let git_says: Vec<String> = git(
        dir,
        &[
            "log",
            "--format=%h",
            "--follow",
            "--",
            "content/organisatie/b.md",
        ],
    )
    .lines()
    .map(str::to_owned)
    .collect();
    assert_eq!(git_says, [&*renamed, &back, &removed, &edited, &created]);
    // Every version but the deletion's, which has none.
    assert_eq!(
        listed(&site, "organisatie/b/"),
        [&*renamed, &back, &edited, &created]
    );
    let history = site.read("public/organisatie/b/geschiedenis/index.html");
    assert!(
        history.contains(&format!("/organisatie/b/verschil/{removed}/")),
        "the deletion is part of its history: {history}"
    );
    // Its old address leads to it, with no notice of a removed page.
    let old = site.read("public/organisatie/a/index.html");
    assert!(old.contains("url=/organisatie/b/"), "{old}");
    assert!(!old.contains("verwijderd"), "{old}");
}

/// The deletion before a page came back counts when another branch,
/// later by date, deleted the same file too.
#[test]
fn a_page_brought_back_keeps_its_past_whatever_another_branch_deleted_later() {
    let site = TestSite::new();
    site.git_init();
    site.write(A, &text("Pagina", 0));
    let created = commit(&site, "Begin", ANNA, 1);
    let dir = site.dir.path();
    git(dir, &["branch", "zijtak"]);
    git(dir, &["rm", "-q", A]);
    commit(&site, "Weg", BRAM, 2);
    // Another text altogether, so that the merge sees no rename of A.
    site.write(A, &text("Terug", 20));
    commit(&site, "Terug", BRAM, 3);
    git(dir, &["mv", A, "content/organisatie/b.md"]);
    commit(&site, "Hernoemd", ANNA, 4);
    git(dir, &["checkout", "-q", "zijtak"]);
    git(dir, &["rm", "-q", A]);
    commit(&site, "Ook weg", BRAM, 5);
    git(dir, &["checkout", "-q", "main"]);
    merge_side_branch(&site, 6);
    site.build_ok();
    assert!(
        listed(&site, "organisatie/b/").contains(&created),
        "{:?}",
        listed(&site, "organisatie/b/")
    );
}

/// Deleted and made again on one branch while another renamed it: the
/// merge's file has both pasts, and the deletion is listed, as `git log
/// --follow` lists it.
#[test]
fn a_deletion_on_one_branch_of_a_page_renamed_on_another_is_listed() {
    let site = TestSite::new();
    site.git_init();
    site.write(A, &text("Pagina", 0));
    commit(&site, "Begin", ANNA, 1);
    let dir = site.dir.path();
    git(dir, &["branch", "zijtak"]);
    git(dir, &["rm", "-q", A]);
    let removed = commit(&site, "Weg", BRAM, 2);
    site.write(A, &text("Pagina", 2));
    commit(&site, "Terug", BRAM, 3);
    git(dir, &["checkout", "-q", "zijtak"]);
    git(dir, &["mv", A, "content/organisatie/b.md"]);
    commit(&site, "Hernoemd", ANNA, 4);
    git(dir, &["checkout", "-q", "main"]);
    merge_side_branch(&site, 5);
    site.build_ok();
    let b = "content/organisatie/b.md";
    let git_says = git(dir, &["log", "--format=%h", "--follow", "--", b]);
    assert!(git_says.contains(&removed), "{git_says}");
    let history = site.read("public/organisatie/b/geschiedenis/index.html");
    assert!(
        history.contains(&format!("/organisatie/b/verschil/{removed}/")),
        "{history}"
    );
}

/// A page deleted at an address that leads to a page of today (which was
/// once there) keeps its history there, deletion included; the address
/// itself still leads to the page of today.
#[test]
fn a_page_deleted_where_another_once_lived_keeps_its_history() {
    let site = TestSite::new();
    site.git_init();
    site.write(A, &text("Eerste", 0));
    commit(&site, "Begin", ANNA, 1);
    let dir = site.dir.path();
    git(dir, &["mv", A, "content/organisatie/b.md"]);
    commit(&site, "Hernoemd", ANNA, 2);
    site.write("content/organisatie/z.md", &text("Tweede", 4));
    let first = commit(&site, "Een andere pagina", BRAM, 3);
    git(dir, &["mv", "content/organisatie/z.md", A]);
    site.write(A, &text("Tweede", 5));
    let second = commit(&site, "Naar de oude plek", BRAM, 4);
    git(dir, &["rm", "-q", A]);
    let removed = commit(&site, "Weg", BRAM, 5);
    site.build_ok();
    let old = site.read("public/organisatie/a/index.html");
    assert!(old.contains("url=/organisatie/b/"), "{old}");
    // Its own former address leads to its history, not on to b.
    let former = site.read("public/organisatie/z/index.html");
    assert!(
        former.contains("url=/organisatie/a/geschiedenis/"),
        "{former}"
    );
    assert_eq!(listed(&site, "organisatie/a/"), [&*second, &first]);
    let history = site.read("public/organisatie/a/geschiedenis/index.html");
    assert!(history.contains("Tweede"), "{history}");
    // Its own last version stands for it, not the address that leads on.
    assert!(!history.contains("href=\"/organisatie/a/\""), "{history}");
    assert!(
        history.contains(&format!("href=\"/organisatie/a/versie/{second}/\"")),
        "{history}"
    );
    assert!(
        history.contains(&format!("/organisatie/a/verschil/{removed}/")),
        "the deletion is listed with its diff: {history}"
    );
    let diff = site.read(&format!(
        "public/organisatie/a/verschil/{removed}/index.html"
    ));
    assert!(diff.contains("pagina verwijderd"), "{diff}");
    let recent = site.read("public/recente-wijzigingen/index.html");
    assert!(
        recent.contains(&format!("/organisatie/a/verschil/{removed}/")),
        "{recent}"
    );
    // The page of today keeps its own history, without the other one's.
    assert!(!listed(&site, "organisatie/b/").contains(&second));
}

#[test]
fn two_deleted_files_with_one_address_share_one_notice_and_one_history() {
    let site = TestSite::new();
    site.git_init();
    site.write(
        "content/organisatie/Verslag 2023.md",
        "---\ntitle: Verslag een\ntype: gemeente\n---\n\nEen.\n",
    );
    let first = commit(&site, "Eerste", ANNA, 1);
    git(
        site.dir.path(),
        &["rm", "-q", "content/organisatie/Verslag 2023.md"],
    );
    let first_gone = commit(&site, "Weg een", ANNA, 2);
    site.write(
        "content/organisatie/verslag-2023.md",
        "---\ntitle: Verslag twee\ntype: gemeente\n---\n\nTwee.\n",
    );
    let second = commit(&site, "Tweede", ANNA, 3);
    git(
        site.dir.path(),
        &["rm", "-q", "content/organisatie/verslag-2023.md"],
    );
    commit(&site, "Weg twee", BRAM, 4);
    site.build_ok();
    site.build_ok();
    let notice = site.read("public/organisatie/verslag-2023/index.html");
    assert!(
        notice.contains("Weg twee"),
        "the one deleted last: {notice}"
    );
    // The file deleted first keeps its life, below the shared address.
    assert_eq!(
        listed(&site, "organisatie/verslag-2023/"),
        [&*second, &first]
    );
    let history = site.read("public/organisatie/verslag-2023/geschiedenis/index.html");
    assert!(
        history.contains(&format!("/verschil/{first_gone}/")),
        "its deletion is listed: {history}"
    );
    let old = site.read(&format!(
        "public/organisatie/verslag-2023/versie/{first}/index.html"
    ));
    assert!(old.contains("Een."), "{old}");
    let diff = site.read(&format!(
        "public/organisatie/verslag-2023/verschil/{first_gone}/index.html"
    ));
    assert!(diff.contains("pagina verwijderd"), "{diff}");
}

#[test]
fn an_author_with_a_very_long_name_does_not_break_the_build() {
    let site = TestSite::new();
    site.git_init();
    let name = "Heel Lange Naam ".repeat(30);
    commit(&site, "Begin", (name.as_str(), "x@example.org"), 1);
    site.build_ok();
    assert!(site.path("public/auteurs/index.html").is_file());
}
