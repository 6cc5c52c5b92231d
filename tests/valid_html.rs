//! Every page of the built example wiki (pages, indexes, history, old
//! versions, diffs, org charts, search, 404, redirects) passes the Nu HTML
//! Checker with zero errors; the Atom feed and the sitemap are well formed
//! and follow their formats. `.ci/tools` installs the checker.

mod common;
use common::TestSite;
use common::tools::vnu_errors;
use std::collections::BTreeSet;

const BASE_URL: &str = "https://wiki.example.org/twn/";

fn built() -> TestSite {
    let site = TestSite::example_with_history();
    let run = site.twn(&["build", "--strict", "--base-url", BASE_URL]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    site
}

fn files_ending(site: &TestSite, suffix: &str) -> Vec<String> {
    site.public_files()
        .into_iter()
        .filter(|p| p.ends_with(suffix))
        .collect()
}

#[test]
fn every_page_passes_the_nu_html_checker() {
    let site = built();
    let pages = files_ending(&site, ".html");
    for kind in [
        "/geschiedenis/",
        "/versie/",
        "/verschil/",
        "/organisatie/index.html",
        "zoeken/",
        "404.html",
    ] {
        assert!(
            pages.iter().any(|p| format!("/{p}").contains(kind)),
            "a {kind} page is checked"
        );
    }
    // A renamed page leaves a redirect at its old address.
    assert!(
        pages
            .iter()
            .any(|p| p == "nieuws/samenwerken-doen-we-zelf/index.html")
    );
    let report = vnu_errors(&site.path("public"));
    assert!(
        report.is_empty(),
        "the Nu HTML Checker found errors in {} pages:\n{report}",
        pages.len()
    );
    // vnu's CSS and SVG checks know neither current CSS properties nor
    // SVG 2's ARIA attributes, so only HTML is checked.
    eprintln!("Nu HTML Checker: {} HTML pages, no errors", pages.len());
}

fn element<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> Option<roxmltree::Node<'a, 'a>> {
    node.children().find(|c| c.tag_name().name() == name)
}

fn is_rfc3339(text: &str) -> bool {
    text.parse::<jiff::Timestamp>().is_ok()
}

#[test]
fn the_atom_feed_follows_rfc_4287() {
    let site = built();
    let text = site.read("public/recente-wijzigingen/atom.xml");
    let document = roxmltree::Document::parse(&text).expect("well-formed XML");
    let feed = document.root_element();
    const ATOM: &str = "http://www.w3.org/2005/Atom";
    assert_eq!(feed.tag_name().name(), "feed");
    assert_eq!(feed.tag_name().namespace(), Some(ATOM));
    for required in ["id", "title", "updated", "author"] {
        assert!(element(feed, required).is_some(), "feed has <{required}>");
    }
    assert!(is_rfc3339(
        element(feed, "updated").unwrap().text().unwrap()
    ));
    let self_link = feed
        .children()
        .find(|c| c.tag_name().name() == "link" && c.attribute("rel") == Some("self"))
        .expect("a self link");
    assert_eq!(
        self_link.attribute("href"),
        Some(format!("{BASE_URL}recente-wijzigingen/atom.xml").as_str())
    );
    let entries: Vec<_> = feed
        .children()
        .filter(|c| c.tag_name().name() == "entry")
        .collect();
    assert!(entries.len() >= 3, "the example history gives entries");
    let mut ids = BTreeSet::new();
    for entry in &entries {
        for required in ["id", "title", "updated", "link"] {
            assert!(
                element(*entry, required).is_some(),
                "entry has <{required}>"
            );
        }
        let id = element(*entry, "id").unwrap().text().unwrap();
        assert!(ids.insert(id.to_owned()), "ids are unique: {id}");
        assert!(id.starts_with(BASE_URL), "{id}");
        assert!(is_rfc3339(
            element(*entry, "updated").unwrap().text().unwrap()
        ));
        let href = element(*entry, "link").unwrap().attribute("href").unwrap();
        let path = href.strip_prefix(BASE_URL).expect("links stay on the site");
        assert!(
            site.path(&format!("public/{path}index.html")).exists(),
            "{href} exists"
        );
    }
    assert!(
        !text.contains("<email>") && !text.contains('@'),
        "no e-mail address in the feed"
    );
}

#[test]
fn the_sitemap_follows_the_sitemaps_protocol() {
    let site = built();
    let text = site.read("public/sitemap.xml");
    let document = roxmltree::Document::parse(&text).expect("well-formed XML");
    let root = document.root_element();
    assert_eq!(root.tag_name().name(), "urlset");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.sitemaps.org/schemas/sitemap/0.9")
    );
    let urls: Vec<_> = root.children().filter(|c| c.is_element()).collect();
    assert!(!urls.is_empty() && urls.len() <= 50_000);
    for url in urls {
        assert_eq!(url.tag_name().name(), "url");
        let loc = element(url, "loc").expect("<loc>").text().unwrap();
        let path = loc
            .strip_prefix(BASE_URL)
            .unwrap_or_else(|| panic!("{loc} is below the base URL"));
        assert!(
            site.path(&format!("public/{path}index.html")).exists(),
            "{loc} exists"
        );
        if let Some(lastmod) = element(url, "lastmod") {
            let date = lastmod.text().unwrap();
            assert!(
                date.parse::<jiff::civil::Date>().is_ok() || is_rfc3339(date),
                "{date}"
            );
        }
    }
}
