//! Editing in a real headless Chromium: from a page of the preview to its
//! form, a field, a partner, a body paragraph and a relation in the chart
//! changed by keyboard and mouse, a misspelt partner reported at its
//! field, fixed, saved and committed. The form passes the Nu HTML Checker
//! and axe at desktop and phone width; its screenshots are saved.

mod common;

use common::TestSite;
use common::browser::{Browser, save_png};
use common::server::{self, get};
use common::tools::{axe_script, axe_violations, vnu_errors};
use std::path::PathBuf;

#[test]
fn an_editor_edits_twents_waternet_in_the_browser_and_commits() {
    let site = TestSite::example();
    site.git_init();
    site.commit_all(
        "Eerste versie",
        ("Redactie", "redactie@example.org"),
        "2024-01-15T10:00:00+01:00",
    );
    let server = server::start(&site);
    let base = format!("http://{}", server.address);
    let mut browser = Browser::start();
    browser.viewport(1280, 900);
    browser.open(&format!("{base}/regio/twents-waternet/"));
    browser.click(".twn-bewerk a");
    browser.wait_until(
        "return location.pathname === '/bewerken/regio/twents-waternet/';",
        "the form opens",
    );

    browser.type_into("#veld-motto", "Samen voor schoon water in Twente");
    browser.click("button[value='erbij:f.partners']");
    browser.wait_until(
        "return !!document.getElementById('veld-partners-2');",
        "a new partner field",
    );
    assert_eq!(
        browser.run("return document.getElementById('veld-motto').value;"),
        "Samen voor schoon water in Twente",
        "what was typed comes back with the form"
    );
    browser.type_into("#veld-partners-2", "stichting-pioneerng");
    browser.click("button[value='erbij:f.bodies[3].relations']");
    browser.wait_until(
        "return !!document.getElementById('veld-bodies-3-relations-2-type');",
        "a new relation",
    );
    browser.run(
        "document.getElementById('veld-bodies-3-relations-2-type').value = 'adviseert';
         document.getElementById('veld-bodies-3-relations-2-to').value = 'bestuurlijk-platform';
         const body = document.getElementById('veld-tekst');
         body.value = body.value.replace(\"Daarbij werken de vier O's samen\", \"Daarbij werken de vier O's nauw samen\");
         return true;",
    );
    browser.click("button[value='controleren']");
    browser.wait_until(
        "return !!document.getElementById('veld-partners-2-fout');",
        "the error at the partner",
    );
    let error = browser.run("return document.getElementById('veld-partners-2-fout').textContent;");
    assert!(
        error.as_str().unwrap().contains(
            "verwijzing naar een organisatie-pagina die niet bestaat: `stichting-pioneerng`"
        ),
        "{error}"
    );
    assert_eq!(
        browser.run(
            "return document.getElementById('veld-partners-2').getAttribute('aria-describedby');"
        ),
        "veld-partners-2-fout"
    );

    // The form with its error, as readers of both widths get it.
    let source = axe_script();
    let shots = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/schermafbeeldingen");
    std::fs::create_dir_all(&shots).unwrap();
    let mut problems = Vec::new();
    for (width, height) in [(1280, 900), (390, 844)] {
        browser.viewport(width, height);
        browser.run("window.scrollTo(0, 0); return true;");
        save_png(
            &shots.join(format!("bewerken-{width}.png")),
            browser.screenshot(),
        );
        browser.run("document.getElementById('veld-partners').scrollIntoView(); return true;");
        save_png(
            &shots.join(format!("bewerken-veld-{width}.png")),
            browser.screenshot(),
        );
        problems.extend(
            axe_violations(&mut browser, &source)
                .into_iter()
                .map(|v| format!("{width}px: {v}")),
        );
        let sideways = browser.run("return document.documentElement.scrollWidth > innerWidth;");
        assert_eq!(
            sideways, false,
            "the form does not scroll sideways at {width}px"
        );
    }
    assert!(problems.is_empty(), "axe: {}", problems.join("\n"));
    let (_, served) = get(&server, "/bewerken/regio/twents-waternet/");
    let form_file = site.path("formulier.html");
    std::fs::write(&form_file, &served[served.find("<!DOCTYPE").unwrap()..]).unwrap();
    assert_eq!(
        vnu_errors(&form_file),
        "",
        "the Nu HTML Checker on the form"
    );
    browser.viewport(1280, 900);

    browser.type_into("#veld-partners-2", "stichting-pioneering");
    browser.type_into(
        "#veld-samenvatting",
        "Motto, partner en adviesgroep bijgewerkt",
    );
    browser.type_into("#veld-naam", "Els de Boer");
    browser.type_into("#veld-email", "els@example.org");
    browser.click("button[value='vastleggen']");
    browser.wait_until(
        "return location.pathname === '/regio/twents-waternet/';",
        "back on the page",
    );
    browser.wait_until(
        "return document.body.textContent.includes('Samen voor schoon water in Twente');",
        "the page shows the new motto",
    );

    let log = common::git(site.dir.path(), &["log", "-1", "--format=%s|%an"]);
    assert_eq!(
        log.trim(),
        "Motto, partner en adviesgroep bijgewerkt|Els de Boer"
    );
    let saved = site.read("content/regio/twents-waternet.md");
    assert!(
        saved.contains("      - type: adviseert\n        to: bestuurlijk-platform\n"),
        "{saved}"
    );
    assert!(saved.contains("Daarbij werken de vier O's nauw samen"));
    browser.open(&format!("{base}/regio/twents-waternet/geschiedenis/"));
    browser.wait_until(
        "return document.body.textContent.includes('Motto, partner en adviesgroep bijgewerkt');",
        "the history shows the commit",
    );
    drop(server);
    site.build_ok();
    let built = site.read("public/regio/twents-waternet/index.html");
    assert!(
        built.contains("Samen voor schoon water in Twente")
            && built.contains("Stichting Pioneering")
    );
}
