//! Building good sites: the example wiki, links under a sub-path, redirects
//! for old URLs, drafts, and the outputs every site has.

mod common;
use common::TestSite;

#[test]
fn the_example_wiki_builds_with_every_page_and_its_facts() {
    let site = TestSite::example();
    let run = site.build_ok();
    assert!(
        run.stderr.contains("pagina's"),
        "summary line: {}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("waarschuwing:"),
        "the example has no warnings: {}",
        run.stderr
    );
    for path in [
        "index.html",
        "404.html",
        "sitemap.xml",
        "regio/index.html",
        "werkplaats/index.html",
        "thema/index.html",
        "organisatie/index.html",
        "nieuws/index.html",
    ] {
        assert!(site.path("public").join(path).is_file(), "{path}");
    }
    let home = site.read("public/index.html");
    assert!(
        home.contains(
            r#"<a href="/organisatie/">Organisaties</a> <span class="count">18 pagina&#39;s</span>"#
        ),
        "{home}"
    );
    assert!(
        home.contains(r#"href="/nieuws/provincie-en-vitens-sluiten-aan/""#),
        "latest news on the home page"
    );
    let region = site.read("public/regio/twents-waternet/index.html");
    for fact in [
        "Twents water verbindt, van waterwinst naar waterbewustzijn",
        r#"<a href="/organisatie/hof-van-twente/">Hof van Twente</a>"#,
        r#"<a href="/organisatie/provincie-overijssel/">Provincie Overijssel</a>"#,
        r#"<a href="/thema/bewustwording/">Bewustwording</a>"#,
        r#"<a href="/werkplaats/water-en-klimaat/">Water en Klimaat</a>"#,
        r#"<a href="/werkplaats/grondwatermeetnet/">Grondwatermeetnet</a>"#,
        "Waterwinst",
        "geen eigen rechtsvorm",
        r#"<a class="orgchart-preview" href="/regio/twents-waternet/organisatie/">"#,
        r#"<img src="/regio/twents-waternet/organisatie/organogram.svg""#,
    ] {
        assert!(region.contains(fact), "{fact} on the Twents Waternet page");
    }
    let municipalities = std::fs::read_dir(site.path("content/organisatie"))
        .unwrap()
        .count();
    assert_eq!(
        municipalities, 18,
        "14 gemeenten, the water board, province, Vitens and Stichting Pioneering"
    );
    assert_eq!(
        std::fs::read_dir(site.path("content/werkplaats"))
            .unwrap()
            .count(),
        9
    );
    let water_board = site.read("public/organisatie/waterschap-vechtstromen/index.html");
    assert!(water_board.contains("Regge en Dinkel"));
    assert!(
        water_board.contains("Lid van"),
        "back-reference from the region's members"
    );
    let theme = site.read("public/thema/bescherming/index.html");
    assert!(
        theme.contains(r#"href="/werkplaats/omgevingswet-bouwsteen-water/""#),
        "a theme lists its workplaces"
    );
}

#[test]
fn a_base_url_with_a_sub_path_gives_working_links_everywhere() {
    let site = TestSite::new();
    let run = site.twn(&["build", "--base-url", "https://example.org/wiki/"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    for (path, html) in site.public_snapshot() {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(html).unwrap();
        for href in html.split(['"', '\'']).filter(|s| s.starts_with('/')) {
            assert!(
                href.starts_with("/wiki/"),
                "{path} links to {href} outside /wiki/"
            );
        }
    }
    let page = site.read("public/organisatie/almelo/index.html");
    assert!(page.contains(r#"href="/wiki/static/style.css?v="#));
    assert!(
        page.contains(r#"<a href="/wiki/regio/twents-waternet/">het verband</a>"#),
        "{page}"
    );
    assert!(
        site.read("public/sitemap.xml")
            .contains("<loc>https://example.org/wiki/organisatie/almelo/</loc>")
    );
}

#[test]
fn pages_show_backlinks_back_references_headings_and_the_edit_link() {
    let site = TestSite::new();
    site.build_ok();
    let region = site.read("public/regio/twents-waternet/index.html");
    assert!(region.contains("Links naar deze pagina"));
    assert!(
        region.contains(r#"<a href="/organisatie/almelo/">Almelo</a>"#),
        "backlink from Almelo"
    );
    assert!(region.contains(r#"<h2 id="visie">Visie</h2>"#));
    assert!(region.contains(
        r#"href="https://git.example.org/wiki/edit/main/content/regio/twents-waternet.md""#
    ));
    let workplace = site.read("public/werkplaats/rioolvervanging/index.html");
    assert!(
        workplace
            .contains(r##"<a href="/regio/twents-waternet/#visie">Twents Waternet › Visie</a>"##),
        "{workplace}"
    );
    let almelo = site.read("public/organisatie/almelo/index.html");
    assert!(
        almelo.contains("Lid van"),
        "back-reference group label from twn.yaml"
    );
    assert!(almelo.contains(r#"<html lang="nl">"#));
    assert!(almelo.contains(r##"<a class="skip-link" href="#inhoud">"##));
}

#[test]
fn aliases_redirect_old_urls_to_the_page() {
    let site = TestSite::new();
    site.write(
        "content/organisatie/almelo.md",
        "---\ntitle: Almelo\ntype: gemeente\naliases: [/gemeenten/almelo/]\n---\n",
    );
    site.build_ok();
    let redirect = site.read("public/gemeenten/almelo/index.html");
    assert!(
        redirect
            .contains(r#"<link rel="canonical" href="https://example.org/organisatie/almelo/">"#),
        "{redirect}"
    );
    assert!(
        redirect.contains(r#"content="0; url=/organisatie/almelo/""#),
        "{redirect}"
    );
    // An alias is a valid wiki-link target too.
    site.write(
        "content/organisatie/borne.md",
        "---\ntitle: Borne\ntype: gemeente\n---\n\n[[gemeenten/almelo]]\n",
    );
    site.build_ok();
    assert!(
        site.read("public/organisatie/borne/index.html")
            .contains(r#"<a href="/organisatie/almelo/">Almelo</a>"#)
    );
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = TestSite::new();
    site.write(
        "content/organisatie/borne.md",
        "---\ntitle: Borne\ntype: gemeente\ndraft: true\n---\n",
    );
    site.build_ok();
    assert!(!site.path("public/organisatie/borne").exists());
    assert_eq!(site.twn(&["build", "--drafts"]).code, Some(0));
    assert!(site.path("public/organisatie/borne/index.html").exists());
}

#[test]
fn files_beside_a_page_are_published_with_it_and_raw_html_is_escaped() {
    let site = TestSite::new();
    site.write("content/organisatie/borne/index.md", "---\ntitle: Borne\ntype: gemeente\n---\n\n![Kaart](kaart.svg)\n\n<script>alert(1)</script>\n");
    site.write(
        "content/organisatie/borne/kaart.svg",
        "<svg xmlns='http://www.w3.org/2000/svg'/>",
    );
    site.build_ok();
    assert!(site.path("public/organisatie/borne/kaart.svg").is_file());
    let html = site.read("public/organisatie/borne/index.html");
    assert!(
        html.contains(r#"<img src="/organisatie/borne/kaart.svg" alt="Kaart" />"#),
        "{html}"
    );
    assert!(!html.contains("<script>alert"), "{html}");
}

#[test]
fn build_writes_to_another_folder_with_out() {
    let site = TestSite::new();
    assert_eq!(site.twn(&["build", "--out", "elders/site"]).code, Some(0));
    assert!(site.path("elders/site/index.html").is_file());
    assert!(!site.path("public").exists());
}

#[test]
fn every_page_shows_when_it_was_last_updated() {
    let site = TestSite::new();
    site.write(
        "content/organisatie/borne.md",
        "---\ntitle: Borne\ntype: gemeente\nupdated: 2019-09-23\n---\n",
    );
    // Noon UTC on 2017-01-16, so the date is the same in every time zone.
    let file = std::fs::File::options()
        .write(true)
        .open(site.path("content/organisatie/almelo.md"))
        .unwrap();
    file.set_modified(std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_484_568_000))
        .unwrap();
    site.build_ok();
    let borne = site.read("public/organisatie/borne/index.html");
    assert!(
        borne.contains(r#"Laatst bijgewerkt: <time datetime="2019-09-23">23-09-2019</time></p>"#),
        "{borne}"
    );
    let almelo = site.read("public/organisatie/almelo/index.html");
    assert!(
        almelo.contains(r#"Laatst bijgewerkt: <time datetime="2017-01-16">16-01-2017</time> (nog niet vastgelegd in git)"#),
        "{almelo}"
    );
}

#[test]
fn wiki_links_in_a_bodys_description_lead_to_the_page_and_give_it_a_backlink() {
    let site = TestSite::new();
    site.write_bodies(
        "  - id: platform\n    name: Platform\n    description: Met [[Waterschap Vechtstromen|het waterschap]] en [[Almelo]].\n    members: [almelo]\n",
    );
    site.build_ok();
    let chart = site.read("public/regio/twents-waternet/organisatie/index.html");
    assert!(
        chart.contains(r#"<a href="/organisatie/vechtstromen/">het waterschap</a>"#),
        "{chart}"
    );
    assert!(
        chart.contains(r#"<a href="/organisatie/almelo/">Almelo</a>"#),
        "the link without label shows the title"
    );
    assert!(!chart.contains("[[Almelo]]"));
    let vechtstromen = site.read("public/organisatie/vechtstromen/index.html");
    let backlinks = vechtstromen
        .split("Links naar deze pagina")
        .nth(1)
        .expect("a backlinks section");
    assert!(
        backlinks.contains(r#"<a href="/regio/twents-waternet/">Twents Waternet</a>"#),
        "the region links to it from a description: {backlinks}"
    );
}

#[test]
fn links_in_a_markdown_field_are_checked_and_lead_there_from_any_page() {
    // A description is read on the region's page and on its chart, one
    // folder deeper: a link written as on the page must work on both.
    let site = TestSite::new();
    site.write_bodies(
        "  - id: platform\n    name: Platform\n    description: Met [Almelo](../../organisatie/almelo/?x=1#top) en [zoeken](/zoeken/).\n    members: [almelo]\n",
    );
    let run = site.twn(&["build", "--base-url", "https://example.org/wiki/"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let chart = site.read("public/regio/twents-waternet/organisatie/index.html");
    for link in [
        r#"<a href="/wiki/organisatie/almelo/?x=1#top">Almelo</a>"#,
        r#"<a href="/wiki/zoeken/">zoeken</a>"#,
    ] {
        assert!(chart.contains(link), "{link}: {chart}");
    }
    let almelo = site.read("public/organisatie/almelo/index.html");
    assert!(
        almelo.contains(r#"<a href="/wiki/regio/twents-waternet/">Twents Waternet</a>"#),
        "the link gives a backlink: {almelo}"
    );
    site.write_bodies(
        "  - id: platform\n    name: Platform\n    description: Zie [het verslag](verslag.pdf).\n    members: [almelo]\n",
    );
    let run = site.twn(&["build"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("link naar een adres dat niet bestaat: `verslag.pdf`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/regio/twents-waternet.md:"),
        "{}",
        run.stderr
    );
}

/// The test wiki with a Markdown field and a list of them on organisations.
fn with_markdown_fields() -> TestSite {
    let site = TestSite::new();
    site.write(
        "twn.yaml",
        &common::config_with_organisation_fields(&format!(
            "{}      notes: {{ type: list, of: {{ type: markdown }}, label: Notities }}\n",
            common::INTRO_FIELD
        )),
    );
    site
}

#[test]
fn a_markdown_field_is_shown_as_html_with_its_links_to_the_page_itself() {
    let site = with_markdown_fields();
    site.write(
        "content/organisatie/borne.md",
        "---\ntitle: Borne\ntype: gemeente\nintro: Zie *de* [start](/) en [deze pagina](?tab=1).\nnotes: [\"**Een**\", \"[Zelf]()\", \"[[#water]]\"]\n---\n\n## Water\n",
    );
    let run = site.twn(&["build", "--base-url", "https://example.org/wiki/"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let html = site.read("public/organisatie/borne/index.html");
    for shown in [
        r#"<dd><p>Zie <em>de</em> <a href="/wiki/">start</a> en <a href="/wiki/organisatie/borne/?tab=1">deze pagina</a>.</p>"#,
        "<li><p><strong>Een</strong></p>",
        r#"<li><p><a href="/wiki/organisatie/borne/">Zelf</a></p>"#,
        r#"<li><p><a href="/wiki/organisatie/borne/#water">Water</a></p>"#,
    ] {
        assert!(html.contains(shown), "{shown}: {html}");
    }
    assert!(!html.contains("&lt;p&gt;"), "no HTML shown as text: {html}");
}

#[test]
fn a_percent_encoded_link_to_a_markdown_file_and_an_image_from_the_root_are_found() {
    let site = TestSite::new();
    site.write(
        "content/organisatie/verslag 2023.md",
        "---\ntitle: Verslag 2023\ntype: gemeente\n---\n",
    );
    site.write_bytes("content/organisatie/borne/logo.png", b"\x89PNG\r\n");
    site.write(
        "content/organisatie/borne/index.md",
        "---\ntitle: Borne\ntype: gemeente\n---\n\n[Verslag](../verslag%202023.md) ![Logo](/organisatie/borne/logo.png)\n",
    );
    let run = site.twn(&["build", "--base-url", "https://example.org/wiki/"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let html = site.read("public/organisatie/borne/index.html");
    assert!(
        html.contains(r#"href="/wiki/organisatie/verslag-2023/""#),
        "{html}"
    );
    assert!(
        html.contains(r#"src="/wiki/organisatie/borne/logo.png""#),
        "an image from the root follows the base: {html}"
    );
    site.write(
        "content/organisatie/borne/index.md",
        "---\ntitle: Borne\ntype: gemeente\n---\n\n![Logo](/organisatie/weg.png)\n",
    );
    let run = site.twn(&["build"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("afbeelding die niet bestaat: `/organisatie/weg.png`"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_index_offers_no_filter_that_no_listed_page_has_a_value_of() {
    let site = TestSite::new();
    site.write(
        "twn.yaml",
        &common::CONFIG.replace(
            "      start: { type: date }\n",
            "      start: { type: date }\n    filters: [regio]\n",
        ),
    );
    site.build_ok();
    let index = site.read("public/werkplaats/index.html");
    assert!(index.contains("class=\"filters\""), "{index}");
    std::fs::remove_file(site.path("content/werkplaats/rioolvervanging.md")).unwrap();
    site.build_ok();
    let index = site.read("public/werkplaats/index.html");
    assert!(
        !index.contains("class=\"filters\"") && !index.contains("filter.js"),
        "an empty collection has nothing to filter: {index}"
    );
}

#[test]
fn precompress_leaves_a_file_of_the_site_named_like_a_compressed_copy_as_it_is() {
    let site = TestSite::new();
    site.write(
        "twn.yaml",
        &format!("{}precompress: true\n", common::CONFIG),
    );
    site.write(
        "content/organisatie/bijlage/index.md",
        "---\ntitle: Bijlage\ntype: gemeente\n---\n\nDe bijlagen.\n",
    );
    let report = "regel\n".repeat(200);
    site.write("content/organisatie/bijlage/rapport.txt", &report);
    site.write("content/organisatie/bijlage/notulen.txt", &report);
    let own = b"\x1f\x8b not a copy of rapport.txt".to_vec();
    site.write_bytes("content/organisatie/bijlage/rapport.txt.gz", &own);
    site.build_ok();
    let out = |name: &str| site.path(&format!("public/organisatie/bijlage/{name}"));
    assert_eq!(std::fs::read(out("rapport.txt.gz")).unwrap(), own);
    assert!(
        !out("rapport.txt.br").exists(),
        "no copy beside the site's own"
    );
    assert!(out("notulen.txt.gz").exists() && out("notulen.txt.br").exists());
    assert!(out("index.html.gz").exists());
    // The copy of a page twn renders is twn's: a file in its place is refused.
    site.write_bytes("content/organisatie/bijlage/index.html.gz", &own);
    let run = site.twn(&["build"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("content/organisatie/bijlage/index.html.gz")
            && run.stderr.contains("op deze plek schrijft twn zelf"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_theme_files_version_in_page_addresses_is_the_same_wherever_the_site_is_built() {
    let version = |site: &TestSite| {
        site.build_ok();
        let page = site.read("public/index.html");
        let at = page
            .find("static/style.css?v=")
            .expect("a versioned style sheet");
        page[at..].split('"').next().unwrap().to_owned()
    };
    let (here, there) = (TestSite::new(), TestSite::new());
    assert_eq!(version(&here), version(&there));
    let style = there.read("themes/default/static/style.css");
    there.write(
        "themes/default/static/style.css",
        &format!("{style}\n.x {{}}\n"),
    );
    assert_ne!(
        version(&here),
        version(&there),
        "a changed style sheet, a new version"
    );
}
