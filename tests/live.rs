//! The preview's incremental renders against full builds: after every kind
//! of edit, what `twn serve` holds in memory is byte for byte what
//! `twn build` writes for the same files.

mod common;
use common::TestSite;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, RwLock};
use twn::build::{BuildOptions, build};
use twn::live::{ChangeSet, LiveOptions, LiveSite, Served, Store};
use twn::output::guard::MARKER_FILE;

const BASE_URL: &str = "http://127.0.0.1:9/";

struct Preview {
    live: LiveSite,
    store: Arc<RwLock<Store>>,
    site_root: std::path::PathBuf,
}

impl Preview {
    fn open(site: &TestSite) -> Preview {
        let store = Arc::new(RwLock::new(Store::default()));
        let options = LiveOptions {
            site_root: site.dir.path().to_path_buf(),
            base_url: BASE_URL.into(),
            drafts: false,
        };
        let (mut live, _) = LiveSite::open(options, Arc::clone(&store)).expect("site opens");
        assert!(live.render().errors.is_none());
        live.update_search();
        Preview {
            live,
            store,
            site_root: site.dir.path().to_path_buf(),
        }
    }

    /// Tells the preview that `paths` (below the site) changed.
    fn changed(&mut self, paths: &[&str]) -> Option<String> {
        let absolute: Vec<_> = paths.iter().map(|p| self.site_root.join(p)).collect();
        let changes = ChangeSet::from_paths(
            &self.site_root,
            "default",
            absolute.iter().map(|p| p.as_path()),
        );
        let outcome = self.live.apply(&changes);
        self.live.update_search();
        outcome.errors.map(|e| e.report(false))
    }

    /// Tells the preview that the repository moved on (a commit).
    fn committed(&mut self) -> Option<String> {
        let changes = ChangeSet {
            git: true,
            ..ChangeSet::default()
        };
        let outcome = self.live.apply(&changes);
        self.live.update_search();
        outcome.errors.map(|e| e.report(false))
    }

    fn outputs(&self) -> BTreeMap<String, Vec<u8>> {
        let store = self.store.read().unwrap();
        store
            .outputs()
            .map(|(p, b)| (p.to_owned(), b.to_vec()))
            .collect()
    }

    /// Every file a fresh build writes, served by the preview byte for
    /// byte, and nothing more: pages, indexes, static files, files beside
    /// pages, and the history pages, old versions and diffs it renders
    /// when a tab first asks for them.
    fn assert_same_as_build(&self, step: &str) {
        let out = tempfile::tempdir().unwrap();
        build(&BuildOptions {
            site_root: self.site_root.clone(),
            out_dir: Some(out.path().join("public")),
            base_url: Some(BASE_URL.into()),
            drafts: false,
            progress: false,
            strict: false,
        })
        .unwrap_or_else(|f| panic!("{step}: build failed: {}", f.diagnostics.report(false)));
        let built = built_files(&out.path().join("public"));
        for path in built.keys() {
            self.live.render_revisions_at(path);
        }
        let store = self.store.read().unwrap();
        let mut served: Vec<&str> = store.paths().collect();
        served.sort_unstable();
        let built_paths: Vec<&str> = built.keys().map(String::as_str).collect();
        assert_eq!(served, built_paths, "{step}: the same outputs");
        for (path, bytes) in &built {
            let answer = match store.get(path) {
                Some(Served::Output(bytes)) => bytes.to_vec(),
                Some(Served::Copy(file)) => std::fs::read(file).unwrap(),
                None => unreachable!("listed above"),
            };
            assert!(
                answer == *bytes,
                "{step}: {path} differs from a full build:\n--- serve\n{}\n--- build\n{}",
                String::from_utf8_lossy(&answer),
                String::from_utf8_lossy(bytes)
            );
        }
    }
}

/// Every file a build wrote but its marker, by path below the output folder.
fn built_files(root: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.file_name() != MARKER_FILE)
        .map(|e| {
            let path = e.path().strip_prefix(root).unwrap().to_string_lossy();
            (path.into_owned(), std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// Gives Twents Waternet `bodies`, its members named as they are after
/// Almelo's rename.
fn write_bodies_of_renamed_almelo(site: &TestSite, bodies: &str) {
    site.write_bodies(bodies);
    let region = site
        .read("content/regio/twents-waternet.md")
        .replace("[almelo, vechtstromen]", "[almelo-stad, vechtstromen]");
    site.write("content/regio/twents-waternet.md", &region);
}

#[test]
fn every_kind_of_edit_leaves_the_preview_as_a_full_build_would() {
    let site = TestSite::new();
    site.git_init();
    site.commit_all(
        "Begin",
        ("Anna", "anna@example.org"),
        "2024-03-01T10:00:00+01:00",
    );
    site.write(
        "content/organisatie/almelo.md",
        "---\ntitle: Almelo\ntype: gemeente\n---\n\nLid van [[regio/twents-waternet|het verband]], eerder.\n",
    );
    site.commit_all(
        "Almelo bijgewerkt",
        ("Bram", "bram@example.org"),
        "2024-04-01T10:00:00+02:00",
    );
    let mut preview = Preview::open(&site);
    preview.assert_same_as_build("at the start");

    site.write(
        "content/organisatie/almelo.md",
        "---\ntitle: Almelo\ntype: gemeente\n---\n\nLid van [[regio/twents-waternet|het verband]]. Nu met [[Waterschap Vechtstromen]].\n",
    );
    assert_eq!(preview.changed(&["content/organisatie/almelo.md"]), None);
    preview.assert_same_as_build("a new link in the text");

    site.write(
        "content/organisatie/vechtstromen.md",
        "---\ntitle: Vechtstromen\ntype: waterschap\n---\n\nHet waterschap.\n",
    );
    let error = preview.changed(&["content/organisatie/vechtstromen.md"]);
    assert!(
        error.is_some_and(|e| e.contains("content/organisatie/almelo.md:6:55")),
        "a link to the old title breaks"
    );

    site.write(
        "content/organisatie/almelo.md",
        "---\ntitle: Almelo\ntype: gemeente\n---\n\nLid van [[regio/twents-waternet|het verband]]. Nu met [[Vechtstromen]].\n",
    );
    site.write(
        "content/werkplaats/afkoppelen.md",
        "---\ntitle: Afkoppelen\nregio: twents-waternet\nperiod: \"2025\"\n---\n\nMet [[Almelo]].\n",
    );
    let paths = [
        "content/organisatie/almelo.md",
        "content/werkplaats/afkoppelen.md",
    ];
    assert_eq!(preview.changed(&paths), None);
    preview.assert_same_as_build("a new title, a fixed link and a new page");

    std::fs::remove_file(site.path("content/werkplaats/rioolvervanging.md")).unwrap();
    assert_eq!(
        preview.changed(&["content/werkplaats/rioolvervanging.md"]),
        None
    );
    preview.assert_same_as_build("a deleted page");

    std::fs::rename(
        site.path("content/organisatie/almelo.md"),
        site.path("content/organisatie/almelo-stad.md"),
    )
    .unwrap();
    let error = preview.changed(&[
        "content/organisatie/almelo.md",
        "content/organisatie/almelo-stad.md",
    ]);
    assert!(
        error.as_deref().is_some_and(|e| e.contains("almelo")),
        "the region still names almelo: {error:?}"
    );
    site.write_bodies("  - id: bestuur\n    name: Bestuurlijk overleg\n    members: [almelo-stad]\n    relations: [{ type: stuurt-aan, to: team }]\n  - id: team\n    name: Kernteam\n    collects: werkplaats\n");
    let region = site.read("content/regio/twents-waternet.md").replace(
        "members: [almelo, vechtstromen]",
        "members: [almelo-stad, vechtstromen]",
    );
    site.write("content/regio/twents-waternet.md", &region);
    assert_eq!(preview.changed(&["content/regio/twents-waternet.md"]), None);
    preview.assert_same_as_build("a renamed page and an org chart");

    site.write(
        "content/organisatie/almelo-stad.md",
        "---\ntitle: Almelo\ntype: gemeente\ndescription: De stad\n---\n\nAnders.\n",
    );
    assert_eq!(
        preview.changed(&["content/organisatie/almelo-stad.md"]),
        None
    );
    preview.assert_same_as_build("a new description of a member");

    let before = preview.outputs();
    site.write(
        "content/organisatie/almelo-stad.md",
        "---\ntitle: Almelo\ntype: dorp\n---\n",
    );
    let error = preview.changed(&["content/organisatie/almelo-stad.md"]);
    assert!(error.is_some_and(|e| e.contains("content/organisatie/almelo-stad.md:3:7")));
    assert_eq!(preview.outputs(), before, "the last good site stays");
    site.write(
        "content/organisatie/almelo-stad.md",
        "---\ntitle: Almelo\ntype: gemeente\n---\n\nHersteld.\n",
    );
    assert_eq!(
        preview.changed(&["content/organisatie/almelo-stad.md"]),
        None
    );
    preview.assert_same_as_build("a bad edit, then the fix");

    let template = site.read("themes/default/templates/page.html").replacen(
        "{% block main %}",
        "{% block main %}<p>Sjabloon gewijzigd</p>",
        1,
    );
    site.write("themes/default/templates/page.html", &template);
    assert_eq!(
        preview.changed(&["themes/default/templates/page.html"]),
        None
    );
    preview.assert_same_as_build("a template edit");
    assert!(
        String::from_utf8_lossy(&preview.outputs()["organisatie/almelo-stad/index.html"])
            .contains("Sjabloon gewijzigd")
    );

    let strings = site
        .read("themes/default/strings/nl.yaml")
        .replace("Recente wijzigingen", "Laatste wijzigingen");
    site.write("themes/default/strings/nl.yaml", &strings);
    assert_eq!(preview.changed(&["themes/default/strings/nl.yaml"]), None);
    preview.assert_same_as_build("new interface strings");

    write_bodies_of_renamed_almelo(&site, "  - id: team\n    name: Kernteam\n");
    site.write(
        "content/werkplaats/afkoppelen.md",
        "---\ntitle: Afkoppelen\nregio: twents-waternet\nperiod: \"2025\"\ndraft: true\n---\n\nMet [[Almelo]].\n",
    );
    let paths = [
        "content/regio/twents-waternet.md",
        "content/werkplaats/afkoppelen.md",
    ];
    assert_eq!(preview.changed(&paths), None);
    preview.assert_same_as_build("a draft and a smaller chart");

    // A wiki link in a body's description shows the title it names.
    write_bodies_of_renamed_almelo(
        &site,
        "  - id: platform\n    name: Platform\n    description: Samen met [[vechtstromen]].\n",
    );
    assert_eq!(preview.changed(&["content/regio/twents-waternet.md"]), None);
    preview.assert_same_as_build("a wiki link in a description");
    let vechtstromen = "content/organisatie/vechtstromen.md";
    site.write(
        vechtstromen,
        &site
            .read(vechtstromen)
            .replace("title: Waterschap Vechtstromen", "title: Vechtstromen"),
    );
    assert_eq!(preview.changed(&[vechtstromen]), None);
    preview.assert_same_as_build("the title a description links to");
}

#[test]
fn an_edited_page_takes_its_place_by_title_among_backlinks_and_references() {
    let site = TestSite::new();
    site.write("content/regio/salland.md", "---\ntitle: Salland\n---\n");
    for (slug, region, body) in [
        ("borne", "twents-waternet", "Met [[Almelo]]."),
        ("hengelo", "salland", "Nog zonder koppeling."),
        ("oldenzaal", "twents-waternet", "Met [[Almelo]]."),
    ] {
        let title = slug[..1].to_uppercase() + &slug[1..];
        site.write(
            &format!("content/werkplaats/{slug}.md"),
            &format!("---\ntitle: {title}\nregio: {region}\nperiod: \"2025\"\n---\n\n{body}\n"),
        );
    }
    let mut preview = Preview::open(&site);
    preview.assert_same_as_build("at the start");

    site.write(
        "content/werkplaats/hengelo.md",
        "---\ntitle: Hengelo\nregio: twents-waternet\nperiod: \"2025\"\n---\n\nMet [[Almelo]].\n",
    );
    assert_eq!(preview.changed(&["content/werkplaats/hengelo.md"]), None);
    preview.assert_same_as_build("a page that now links and refers");
    let outputs = preview.outputs();
    for page in [
        "organisatie/almelo/index.html",
        "regio/twents-waternet/index.html",
    ] {
        let html = String::from_utf8_lossy(&outputs[page]);
        let at = |title: &str| {
            html.find(&format!(">{title}<"))
                .unwrap_or_else(|| panic!("{title} on {page}"))
        };
        assert!(
            at("Borne") < at("Hengelo") && at("Hengelo") < at("Oldenzaal"),
            "{page} lists the three in title order"
        );
    }
}

#[test]
fn commits_static_files_and_settings_reach_the_preview_as_a_build_would() {
    let site = TestSite::new();
    site.git_init();
    let anna = ("Anna", "anna@example.org");
    site.commit_all("Begin", anna, "2024-03-01T10:00:00+01:00");
    let mut preview = Preview::open(&site);
    preview.assert_same_as_build("a committed site");

    site.write(
        "content/werkplaats/rioolvervanging.md",
        "---\ntitle: Rioolvervanging\nregio: twents-waternet\nperiod: \"2017\"\n---\n\nZie [[Twents Waternet#visie]]. Nu met planning.\n",
    );
    assert_eq!(
        preview.changed(&["content/werkplaats/rioolvervanging.md"]),
        None
    );
    preview.assert_same_as_build("an edit not yet committed");
    site.commit_all(
        "Planning",
        ("Bram", "bram@example.org"),
        "2024-04-01T10:00:00+02:00",
    );
    assert_eq!(preview.committed(), None);
    preview.assert_same_as_build("the edit committed");

    common::git(
        site.dir.path(),
        &[
            "mv",
            "content/organisatie/almelo.md",
            "content/organisatie/gemeente-almelo.md",
        ],
    );
    let region = site
        .read("content/regio/twents-waternet.md")
        .replace("[almelo, vechtstromen]", "[gemeente-almelo, vechtstromen]");
    site.write("content/regio/twents-waternet.md", &region);
    site.commit_all("Almelo hernoemd", anna, "2024-05-01T10:00:00+02:00");
    let paths = [
        "content/organisatie/almelo.md",
        "content/organisatie/gemeente-almelo.md",
        "content/regio/twents-waternet.md",
    ];
    assert_eq!(preview.changed(&paths), None);
    assert_eq!(preview.committed(), None);
    preview.assert_same_as_build("a page renamed and committed");

    common::git(
        site.dir.path(),
        &["rm", "-q", "content/werkplaats/rioolvervanging.md"],
    );
    site.commit_all("Werkplaats weg", anna, "2024-06-01T10:00:00+02:00");
    assert_eq!(
        preview.changed(&["content/werkplaats/rioolvervanging.md"]),
        None
    );
    assert_eq!(preview.committed(), None);
    preview.assert_same_as_build("a page deleted and committed");

    site.write_bytes("content/regio/kaart.png", b"\x89PNG\r\n\x1a\nniet echt");
    assert_eq!(preview.changed(&["content/regio/kaart.png"]), None);
    preview.assert_same_as_build("a file beside a page");

    let style = site.read("themes/default/static/style.css") + "\n.proef { color: #000; }\n";
    site.write("themes/default/static/style.css", &style);
    assert_eq!(preview.changed(&["themes/default/static/style.css"]), None);
    preview.assert_same_as_build("a theme's static file");

    let config = site
        .read("twn.yaml")
        .replacen("title: ", "title: Proef van ", 1);
    assert_ne!(config, site.read("twn.yaml"), "the site has a title");
    site.write("twn.yaml", &config);
    assert_eq!(preview.changed(&["twn.yaml"]), None);
    preview.assert_same_as_build("new settings");
}

#[test]
fn serve_and_build_report_the_same_problems_when_theme_and_pages_are_wrong() {
    let site = TestSite::new();
    site.git_init();
    site.write(
        "themes/default/templates/page.html",
        "{% extends \"base.html\" %}{% block main %}{% if %}{% endblock %}",
    );
    site.write(
        "content/organisatie/almelo.md",
        "---\ntitle: Almelo\ntype: dorp\n---\n",
    );
    let options = LiveOptions {
        site_root: site.dir.path().to_path_buf(),
        base_url: BASE_URL.into(),
        drafts: false,
    };
    let Err(served) = LiveSite::open(options, Arc::new(RwLock::new(Store::default()))) else {
        panic!("a theme that cannot be read keeps the preview from opening");
    };
    let built = build(&BuildOptions {
        site_root: site.dir.path().to_path_buf(),
        out_dir: None,
        base_url: Some(BASE_URL.into()),
        drafts: false,
        progress: false,
        strict: false,
    })
    .expect_err("the build fails");
    let sorted = |mut locations: Vec<String>| {
        locations.sort();
        locations
    };
    let served = sorted(served.iter().map(|d| d.location()).collect());
    let built = sorted(
        built
            .diagnostics
            .sorted()
            .iter()
            .map(|d| d.location())
            .collect(),
    );
    assert_eq!(served, built, "the same problems in both");
    assert!(
        served
            .iter()
            .any(|l| l.starts_with("themes/default/templates/page.html")),
        "{served:?}"
    );
    assert!(
        served.contains(&"content/organisatie/almelo.md:3:7".to_owned()),
        "{served:?}"
    );
}

#[test]
fn a_change_renders_again_only_what_read_it() {
    let site = TestSite::example();
    let mut preview = Preview::open(&site);
    let paths_after = |preview: &mut Preview, files: &[&str]| {
        let before = preview.store.read().unwrap().generation();
        assert_eq!(preview.changed(files), None);
        let reload = preview.store.read().unwrap().since(before);
        assert!(!reload.all, "{files:?} reloads every tab");
        // The search index is made again apart, in pieces of its own.
        let mut paths: Vec<String> = reload
            .paths
            .into_iter()
            .filter(|p| !p.starts_with("/zoeken/index/"))
            .collect();
        paths.sort();
        paths
    };
    let page = "content/werkplaats/communicatie-afkoppelprojecten.md";
    let text = site.read(page);
    site.write(
        page,
        &text.replace("in hun straat.", "in hun straat en wijk."),
    );
    assert_eq!(
        paths_after(&mut preview, &[page]),
        ["/werkplaats/communicatie-afkoppelprojecten/"],
        "a sentence of the body shows on its page only"
    );

    let not_found = "themes/default/templates/404.html";
    let template = site.read(not_found);
    site.write(
        not_found,
        &template.replace("<h1>", "<h1 class=\"niet-gevonden\">"),
    );
    assert_eq!(paths_after(&mut preview, &[not_found]), ["/404.html"]);

    site.write(
        page,
        &site.read(page).replace(
            "title: Communicatie afkoppelprojecten",
            "title: Afkoppelen uitgelegd",
        ),
    );
    let retitled = paths_after(&mut preview, &[page]);
    for shown in [
        "/werkplaats/communicatie-afkoppelprojecten/",
        "/werkplaats/",
        "/regio/twents-waternet/",
        "/werkplaats/communicatiestrategie/",
    ] {
        assert!(
            retitled.iter().any(|p| p == shown),
            "{shown} in {retitled:?}"
        );
    }
    assert!(
        !retitled.iter().any(|p| p == "/organisatie/almelo/"),
        "a page that does not show the title stays: {retitled:?}"
    );
    preview.assert_same_as_build("after a new title");

    // A status no workplace had gets its filter page; the old one's count
    // and list change, and so does the sitemap.
    let planned = "content/werkplaats/water-en-klimaat.md";
    site.write(
        planned,
        &site
            .read(planned)
            .replace("status: actief", "status: gepland"),
    );
    let moved = paths_after(&mut preview, &[planned]);
    for shown in [
        "/werkplaats/status/gepland/",
        "/werkplaats/status/actief/",
        "/sitemap.xml",
    ] {
        assert!(moved.iter().any(|p| p == shown), "{shown} in {moved:?}");
    }
    preview.assert_same_as_build("a workplace with a new status");
}

/// Cases a review found where the preview drifted from a build: a
/// collection template that came or went, aliases, a page leaving a chart,
/// a chart that came, and settings retried once the theme is fixed.
#[test]
fn templates_aliases_charts_and_retried_settings_reach_the_preview_as_a_build_would() {
    let site = TestSite::example();
    let mut preview = Preview::open(&site);

    let page_template = site.read("themes/default/templates/page.html");
    site.write(
        "themes/default/templates/nieuws.html",
        &page_template.replace(
            "<article class=\"page\">",
            "<article class=\"page nieuws\">",
        ),
    );
    assert_eq!(
        preview.changed(&["themes/default/templates/nieuws.html"]),
        None
    );
    preview.assert_same_as_build("a collection template came");
    std::fs::remove_file(site.path("themes/default/templates/regio.html")).unwrap();
    assert_eq!(
        preview.changed(&["themes/default/templates/regio.html"]),
        None
    );
    preview.assert_same_as_build("a collection template went");

    let almelo = "content/organisatie/almelo.md";
    let text = site.read(almelo);
    site.write(
        almelo,
        &text.replacen("---\n", "---\naliases: [gemeente-almelo]\n", 1),
    );
    assert_eq!(preview.changed(&[almelo]), None);
    preview.assert_same_as_build("an alias came");
    site.write(
        almelo,
        &text.replacen("---\n", "---\naliases: [stad-almelo]\n", 1),
    );
    assert_eq!(preview.changed(&[almelo]), None);
    preview.assert_same_as_build("an alias changed");

    let workplace = "content/werkplaats/rioolvervanging.md";
    let text = site.read(workplace);
    site.write(
        workplace,
        &text.replace("regio: twents-waternet", "regio: regio-twente"),
    );
    assert_eq!(preview.changed(&[workplace]), None);
    preview.assert_same_as_build("a workplace moved to another region's chart");
    std::fs::remove_file(site.path(workplace)).unwrap();
    assert_eq!(preview.changed(&[workplace]), None);
    preview.assert_same_as_build("a charted workplace deleted");

    let region = "content/regio/salland.md";
    site.write(region, "---\ntitle: Salland\n---\n\nNog zonder organen.\n");
    assert_eq!(preview.changed(&[region]), None);
    site.write(
        region,
        "---\ntitle: Salland\nbodies:\n  - id: overleg\n    name: Bestuurlijk overleg\n---\n\nNu met een overleg.\n",
    );
    assert_eq!(preview.changed(&[region]), None);
    preview.assert_same_as_build("a region got its first chart");

    let page_html = "themes/default/templates/page.html";
    site.write(page_html, "{% block main %}");
    assert!(preview.changed(&[page_html]).is_some(), "a broken template");
    let settings = site.read("twn.yaml");
    site.write(
        "twn.yaml",
        &settings.replace(
            "title: Samenwerken in de waterketen",
            "title: Samenwerken aan water",
        ),
    );
    assert!(preview.changed(&["twn.yaml"]).is_some(), "still broken");
    site.write(page_html, &page_template);
    assert_eq!(preview.changed(&[page_html]), None);
    preview.assert_same_as_build("settings taken in once the theme was fixed");
}
