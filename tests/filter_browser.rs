//! The workplace index filtered by status and theme: without JavaScript as
//! pages of their own, linked from the index with their counts and listed
//! in the sitemap; with it, in place on the index, in a real headless
//! Chromium. What each filter should show is read from the pages' own
//! front matter, not from twn.

mod common;
use common::TestSite;
use common::browser::Browser;
use serde_json::Value;
use std::collections::BTreeMap;

/// A workplace's status and the slugs of its themes.
type Facets = (String, Vec<String>);

/// Each workplace's title with its status and theme slugs, from its file.
fn workplaces(site: &TestSite) -> BTreeMap<String, Facets> {
    let folder = site.path("content/werkplaats");
    let mut found = BTreeMap::new();
    for entry in std::fs::read_dir(folder).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let front = text.split("---").nth(1).unwrap();
        let front: Value = serde_saphyr::from_str(front).unwrap();
        let themes = front["themes"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|t| t.as_str().unwrap().to_owned())
            .collect();
        found.insert(
            front["title"].as_str().unwrap().to_owned(),
            (front["status"].as_str().unwrap().to_owned(), themes),
        );
    }
    found
}

/// The titles a list page shows, in its order.
fn listed(html: &str) -> Vec<String> {
    let list = html
        .split("<ul class=\"page-list\">")
        .nth(1)
        .unwrap_or_default();
    let list = list.split("</ul>").next().unwrap();
    list.split("<li")
        .skip(1)
        .map(|item| {
            let link = item.split("<a href=\"").nth(1).unwrap();
            let text = link.split_once("\">").unwrap().1;
            text.split("</a>").next().unwrap().replace("&#39;", "'")
        })
        .collect()
}

#[test]
fn the_workplace_index_filters_by_status_and_theme_with_and_without_javascript() {
    let site = TestSite::example();
    site.build_ok();
    let all = workplaces(&site);
    let index = site.read("public/werkplaats/index.html");
    let sitemap = site.read("public/sitemap.xml");
    let expected = |wanted: &dyn Fn(&Facets) -> bool| -> Vec<String> {
        let mut titles: Vec<String> = all
            .iter()
            .filter(|(_, w)| wanted(w))
            .map(|(t, _)| t.clone())
            .collect();
        titles.sort_by_key(|t| t.to_lowercase());
        titles
    };

    // Without JavaScript: a link per value that some workplace has, with
    // its count, to a page listing exactly those workplaces.
    for status in ["gepland", "actief", "afgerond"] {
        let want = expected(&|(s, _)| s == status);
        let href = format!("href=\"/werkplaats/status/{status}/\"");
        if want.is_empty() {
            assert!(
                !index.contains(&href),
                "no page for {status}, which none has"
            );
            assert!(index.contains(&format!("{status} <span class=\"count\">(0)</span>")));
            continue;
        }
        let link = index
            .split(&href)
            .nth(1)
            .unwrap_or_else(|| panic!("the index links to {status}"));
        let count = format!("<span class=\"count\">({})</span>", want.len());
        assert!(
            link.split("</a>").next().unwrap().contains(&count),
            "{status}: {link}"
        );
        let page = site.read(&format!("public/werkplaats/status/{status}/index.html"));
        assert_eq!(listed(&page), want, "workplaces with status {status}");
        assert!(
            page.contains(" aria-current=\"page\">"),
            "the value shown is marked"
        );
        assert!(sitemap.contains(&format!("/werkplaats/status/{status}/</loc>")));
    }
    for theme in ["bescherming", "beleving", "bewustwording", "bundeling"] {
        let want = expected(&|(_, themes)| themes.iter().any(|t| t == theme));
        assert!(
            !want.is_empty(),
            "the example has a workplace about {theme}"
        );
        let page = site.read(&format!("public/werkplaats/thema/{theme}/index.html"));
        assert_eq!(listed(&page), want, "workplaces about {theme}");
        assert!(index.contains(&format!("href=\"/werkplaats/thema/{theme}/\"")));
        assert!(sitemap.contains(&format!("/werkplaats/thema/{theme}/</loc>")));
    }

    // With JavaScript: the same choices filter the index in place, and
    // combine.
    let (_host, base) = site.serve_on_static_host();
    let mut browser = Browser::start();
    browser.open(&format!("{base}werkplaats/"));
    let shown = |browser: &mut Browser| -> Value {
        browser.run(
            "return {
                url: location.pathname,
                titles: [...document.querySelectorAll('ul.page-list > li')]
                    .filter(li => !li.hidden && li.offsetParent !== null)
                    .map(li => li.querySelector('a').textContent),
                status: document.querySelector('.filter-status').textContent,
                current: [...document.querySelectorAll('nav.filters a[aria-current]')].map(a => a.dataset.filter),
            };",
        )
    };
    let click = |browser: &mut Browser, key: &str| {
        browser.run(&format!(
            "document.querySelector('nav.filters a[data-filter=\"{key}\"]').click(); return true;"
        ));
    };
    let titles = |value: &Value| -> Vec<String> {
        value["titles"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap().to_owned())
            .collect()
    };
    let everything = shown(&mut browser);
    assert_eq!(titles(&everything), expected(&|_| true));

    click(&mut browser, "status:actief");
    let active = shown(&mut browser);
    assert!(
        active["url"].as_str().unwrap().ends_with("/werkplaats/"),
        "no page load: {active}"
    );
    assert_eq!(titles(&active), expected(&|(s, _)| s == "actief"));
    let count = expected(&|(s, _)| s == "actief").len();
    assert_eq!(active["status"], format!("{count} pagina's"));
    assert_eq!(active["current"], serde_json::json!(["status:actief"]));

    click(&mut browser, "thema:bundeling");
    let both = shown(&mut browser);
    assert_eq!(
        titles(&both),
        expected(&|(s, themes)| s == "actief" && themes.iter().any(|t| t == "bundeling")),
        "filters combine"
    );

    click(&mut browser, "");
    assert_eq!(titles(&shown(&mut browser)), expected(&|_| true));
    let console = browser.console();
    assert!(
        console
            .iter()
            .all(|m| !m.contains("Error") && !m.contains("Content Security Policy")),
        "{console:?}"
    );
}
