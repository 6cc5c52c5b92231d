//! `twn check`, `twn new`, `twn init` and usage errors.

mod common;
use assert_cmd::Command;
use common::TestSite;

#[test]
fn check_reports_problems_and_writes_nothing() {
    let site = TestSite::new();
    let run = site.twn(&["check"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(!site.path("public").exists(), "check writes nothing");
    site.write(
        "content/organisatie/borne.md",
        "---\ntitle: Borne\ntype: dorp\n---\n",
    );
    let run = site.twn(&["check"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains("content/organisatie/borne.md:3:7"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("kies één van: gemeente, waterschap"),
        "{}",
        run.stderr
    );
    assert!(!site.path("public").exists());
}

#[test]
fn new_creates_a_page_with_the_required_fields() {
    let site = TestSite::new();
    let run = site.twn(&[
        "new",
        "organisatie",
        "Hof van Twente",
        "--veld",
        "type=gemeente",
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let page = site.read("content/organisatie/hof-van-twente.md");
    assert!(
        page.starts_with("---\ntitle: Hof van Twente\ntype: gemeente\n---\n"),
        "{page}"
    );
    site.build_ok();
    assert!(
        site.path("public/organisatie/hof-van-twente/index.html")
            .is_file()
    );
    // The same title again is refused, and so is an unknown collection.
    assert_eq!(
        site.twn(&["new", "organisatie", "Hof van Twente"]).code,
        Some(2)
    );
    let run = site.twn(&["new", "organisaties", "Borne"]);
    assert_eq!(run.code, Some(2));
    assert!(
        run.stderr.contains("Bedoelt u `organisatie`?"),
        "{}",
        run.stderr
    );
}

/// What a hostile review of `twn new` found: a page written through a
/// link to outside the site, a number field written as text, a title
/// with line breaks pasted into the page.
#[test]
fn new_writes_only_in_the_site_and_as_the_schema_reads_it() {
    let site = TestSite::example();
    let outside = tempfile::tempdir().unwrap();
    // A dangling link where the page would go, and a collection folder
    // that leads outside.
    std::os::unix::fs::symlink(
        outside.path().join("gestolen.md"),
        site.path("content/thema/nieuw-thema.md"),
    )
    .unwrap();
    let run = site.twn(&["new", "thema", "Nieuw thema", "--veld", "order=5"]);
    assert_ne!(run.code, Some(0));
    assert!(run.stderr.contains("bestaat al"), "{}", run.stderr);
    std::fs::rename(site.path("content/nieuws"), outside.path().join("nieuws")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("nieuws"), site.path("content/nieuws")).unwrap();
    let run = site.twn(&["new", "nieuws", "Buiten de site"]);
    assert_ne!(run.code, Some(0));
    assert!(run.stderr.contains("buiten content/"), "{}", run.stderr);
    assert_eq!(
        std::fs::read_dir(outside.path()).unwrap().count(),
        1,
        "nothing new outside"
    );
    assert!(!outside.path().join("nieuws/buiten-de-site.md").exists());
    std::fs::remove_file(site.path("content/nieuws")).unwrap();
    std::fs::rename(outside.path().join("nieuws"), site.path("content/nieuws")).unwrap();
    std::fs::remove_file(site.path("content/thema/nieuw-thema.md")).unwrap();

    let run = site.twn(&["new", "thema", "Vijfde thema", "--veld", "order=5"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        site.read("content/thema/vijfde-thema.md")
            .contains("\norder: 5\n")
    );
    site.build_ok();

    let run = site.twn(&["new", "thema", "x\n---\ntitle: kaping"]);
    assert_eq!(run.code, Some(2));
    assert!(run.stderr.contains("geen regeleinden"), "{}", run.stderr);
}

#[test]
fn new_never_guesses_a_required_choice() {
    let site = TestSite::new();
    let run = site.twn(&["new", "organisatie", "Waterschap Vechtstromen"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("vul nog in: type (gemeente, waterschap"),
        "{}",
        run.stderr
    );
    let page = site.read("content/organisatie/waterschap-vechtstromen.md");
    assert!(
        page.contains("type:   # verplicht, kies uit: gemeente, waterschap"),
        "{page}"
    );
    assert!(!page.contains("type: gemeente"), "{page}");
    let run = site.twn(&["check"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("content/organisatie/waterschap-vechtstromen.md:3:"),
        "{}",
        run.stderr
    );

    let run = site.twn(&["new", "organisatie", "Vitens", "--veld", "type=drinkwater"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("`drinkwater` is geen keuze voor `type`"),
        "{}",
        run.stderr
    );
    let run = site.twn(&["new", "organisatie", "Vitens", "--veld", "soort=x"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(run.stderr.contains("geen veld `soort`"), "{}", run.stderr);
    assert!(!site.path("content/organisatie/vitens.md").exists());
}

#[test]
fn new_names_the_required_fields_left_to_fill_in() {
    let site = TestSite::new();
    let run = site.twn(&["new", "werkplaats", "Omgevingswet: bouwsteen Water"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stderr.contains("vul nog in: regio, period"),
        "{}",
        run.stderr
    );
    let page = site.read("content/werkplaats/omgevingswet-bouwsteen-water.md");
    assert!(
        page.starts_with("---\ntitle: \"Omgevingswet: bouwsteen Water\"\n"),
        "{page}"
    );
    let run = site.twn(&["check"]);
    assert_eq!(run.code, Some(1), "until filled in, the page is incomplete");
    assert!(
        run.stderr.contains("dit verplichte veld is leeg"),
        "{}",
        run.stderr
    );
}

#[test]
fn init_makes_a_site_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("mijnwiki");
    let output = Command::cargo_bin("twn")
        .unwrap()
        .arg("init")
        .arg(&target)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let output = Command::cargo_bin("twn")
        .unwrap()
        .current_dir(&target)
        .arg("build")
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        target
            .join("public/organisatie/voorbeeldgemeente/index.html")
            .is_file()
    );
    // A folder that is not empty is refused.
    let output = Command::cargo_bin("twn")
        .unwrap()
        .arg("init")
        .arg(&target)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn usage_errors_exit_with_2() {
    let site = TestSite::new();
    assert_eq!(site.twn(&["bouw"]).code, Some(2));
    assert_eq!(site.twn(&["build", "--onbekend"]).code, Some(2));
}

#[test]
fn a_broken_twn_yaml_is_reported_with_its_position() {
    let site = TestSite::new();
    site.write(
        "twn.yaml",
        &common::CONFIG.replace("collection: regio", "collection: regios"),
    );
    let run = site.twn(&["build"]);
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("twn.yaml:22:"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("onbekende collectie `regios`; bedoelt u `regio`?"),
        "{}",
        run.stderr
    );
}
