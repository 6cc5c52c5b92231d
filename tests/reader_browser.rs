//! What a reader sees on the home page, a region page and a change, in a
//! real headless Chromium on a static host: no trail that leads the home
//! page to itself, every topic card described, a region's contents listing
//! the sections below its text, and counts in the form their number needs.

mod common;
use common::TestSite;
use common::browser::Browser;
use serde_json::Value;

#[test]
fn the_home_page_region_contents_and_change_counts_read_as_a_reader_expects() {
    let site = TestSite::example_with_history();
    let workplace = "content/werkplaats/rioolvervanging.md";
    site.write(
        workplace,
        &format!("{}Nog één zin over de planning.\n", site.read(workplace)),
    );
    site.commit_all(
        "Eén zin erbij",
        ("Redactie Twents Waternet", "redactie@example.org"),
        "2025-06-01T10:00:00+02:00",
    );
    let (_host, base) = site.serve_on_static_host();
    let mut browser = Browser::start();

    browser.open(&base);
    let home = browser.run(
        "return {
            trail: document.querySelectorAll('nav.breadcrumbs').length,
            cards: [...document.querySelectorAll('.cards > li')].map(li => ({
                title: li.querySelector('a').textContent,
                described: !!li.querySelector('p') && li.querySelector('p').textContent.trim().length > 0,
                count: li.querySelector('.count').textContent,
            })),
        };",
    );
    assert_eq!(home["trail"], 0, "the home page has no trail to itself");
    let cards = home["cards"].as_array().unwrap();
    assert!(cards.len() >= 5, "{home}");
    for card in cards {
        assert_eq!(
            card["described"], true,
            "a card without description: {card}"
        );
        let count = card["count"].as_str().unwrap();
        assert!(
            count == "1 pagina" || (count.ends_with(" pagina's") && !count.starts_with("1 ")),
            "{count}"
        );
    }

    browser.open(&format!("{base}werkplaats/"));
    let trail = browser
        .run("return [...document.querySelectorAll('nav.breadcrumbs a')].map(a => a.textContent);");
    assert_eq!(trail[0], "Startpagina", "{trail}");

    browser.open(&format!("{base}regio/twents-waternet/"));
    let contents = browser.run(
        "return [...document.querySelectorAll('nav.toc a')].map(a => ({
            text: a.textContent,
            target: !!document.getElementById(a.hash.slice(1)),
        }));",
    );
    let entries = contents.as_array().unwrap();
    for wanted in [
        "Organogram",
        "Lopende en geplande werkplaatsen",
        "Meer informatie",
    ] {
        assert!(
            entries
                .iter()
                .any(|e| e["text"].as_str().is_some_and(|t| t.starts_with(wanted))),
            "{wanted} in {contents}"
        );
    }
    assert!(
        entries.iter().all(|e| e["target"] == Value::Bool(true)),
        "every entry leads to a section: {contents}"
    );

    browser.open(&format!("{base}werkplaats/rioolvervanging/geschiedenis/"));
    let newest = browser.run("return document.querySelector('a[href*=\"verschil/\"]').href;");
    browser.open(newest.as_str().unwrap());
    let stats = browser.run("return document.querySelector('.stats').textContent;");
    assert_eq!(
        stats, "+1 regel toegevoegd, −0 regels verwijderd",
        "{stats}"
    );
    let no_fields = browser.run("return document.querySelectorAll('table.field-diff').length;");
    assert_eq!(
        no_fields, 0,
        "a change of the text alone has no table of fields"
    );
}

#[test]
fn a_changed_field_reads_as_a_field_and_a_description_links_to_its_page() {
    let site = TestSite::example_with_history();
    let workplace = "content/werkplaats/rioolvervanging.md";
    site.write(
        workplace,
        &site
            .read(workplace)
            .replace("status: afgerond", "status: actief")
            .replace(
                "phase: nazorg\n",
                "phase: nazorg\nparticipants: [wierden]\n",
            ),
    );
    let region = "content/regio/twents-waternet.md";
    let text = site.read(region);
    let at = text
        .find("    description: ")
        .expect("a body with a description")
        + "    description: ".len();
    site.write(
        region,
        &format!(
            "{}Samen met [[Waterschap Vechtstromen|het waterschap]]. {}",
            &text[..at],
            &text[at..]
        ),
    );
    site.commit_all(
        "Status en deelnemers bijgewerkt",
        ("Redactie Twents Waternet", "redactie@example.org"),
        "2025-06-02T10:00:00+02:00",
    );
    let (_host, base) = site.serve_on_static_host();
    let mut browser = Browser::start();

    browser.open(&format!("{base}werkplaats/rioolvervanging/geschiedenis/"));
    let newest = browser.run("return document.querySelector('a[href*=\"verschil/\"]').href;");
    browser.open(newest.as_str().unwrap());
    let rows = browser.run(
        "return [...document.querySelectorAll('table.field-diff tbody tr')].map(tr => ({
            field: tr.querySelector('th').textContent,
            removed: [...tr.querySelectorAll('del')].map(d => d.textContent.replace('verwijderd: ', '').replace('−', '')),
            added: [...tr.querySelectorAll('ins')].map(i => i.textContent.replace('toegevoegd: ', '').replace('+', '')),
        }));",
    );
    assert_eq!(
        rows,
        serde_json::json!([
            {"field": "Status", "removed": ["afgerond"], "added": ["actief"]},
            {"field": "Deelnemers", "removed": [], "added": ["Wierden"]},
        ]),
        "Dutch labels and the title of the page named"
    );
    let raw =
        browser.run("return document.querySelector('main').textContent.includes('participants');");
    assert_eq!(raw, false, "no raw YAML key on the diff page");

    browser.open(&format!("{base}regio/twents-waternet/organisatie/"));
    let link = browser.run(
        "const a = [...document.querySelectorAll('main a')].find(a => a.textContent === 'het waterschap');
         return a ? a.getAttribute('href') : null;",
    );
    let href = link
        .as_str()
        .expect("the description's wiki link is a link");
    browser.open(&format!(
        "{}{}",
        base.trim_end_matches('/').trim_end_matches("/wiki"),
        href
    ));
    let title = browser.run("return document.querySelector('h1').textContent;");
    assert_eq!(title, "Waterschap Vechtstromen");
}
