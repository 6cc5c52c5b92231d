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
    let site = TestSite::example_in_git();
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

#[test]
fn with_javascript_the_form_checks_previews_and_redraws_the_chart_while_one_types() {
    let site = TestSite::example();
    let server = server::start(&site);
    let base = format!("http://{}", server.address);
    let mut browser = Browser::start();
    browser.viewport(1400, 900);
    browser.open(&format!("{base}/bewerken/regio/twents-waternet/"));
    browser.wait_until(
        "return !document.getElementById('voorbeeld').hidden && !!document.querySelector('#voorbeeld-organogram svg');",
        "the preview and the chart are drawn",
    );

    // A misspelt partner is reported at its field without a button.
    browser.type_into("#veld-partners-1", "vitenz");
    browser.wait_until(
        "const e = document.getElementById('veld-partners-1-fout'); return !!e && e.textContent.includes('`vitenz`');",
        "the problem appears at the field",
    );
    assert_eq!(
        browser
            .run("return document.getElementById('veld-partners-1').getAttribute('aria-invalid');"),
        "true"
    );
    assert!(
        browser
            .run("return document.getElementById('live-fouten').textContent;")
            .as_str()
            .unwrap()
            .contains("Partners 2"),
        "the summary names the field"
    );
    browser.type_into("#veld-partners-1", "vitens");
    browser.wait_until(
        "return !document.getElementById('veld-partners-1-fout');",
        "the problem goes when fixed",
    );

    // The body's preview is the page as the pipeline renders it.
    browser.run(
        "const text = document.getElementById('veld-tekst');
         text.value = text.value + '\\n\\n## Nieuwe kop\\n\\nZie [[Almelo]].\\n';
         text.dispatchEvent(new Event('input', {bubbles: true}));
         return true;",
    );
    browser.wait_until(
        "const h = document.querySelector('#voorbeeld-inhoud h2#nieuwe-kop'); return !!h;",
        "the new heading in the preview",
    );
    assert_eq!(
        browser.run("return document.querySelector('#voorbeeld-inhoud a[href=\"/organisatie/almelo/\"]') !== null;"),
        true,
        "the wiki link resolved as on the page"
    );

    // Renaming a body redraws the chart.
    browser.type_into("#veld-bodies-3-name", "Adviesgroep Water");
    browser.wait_until(
        "return document.querySelector('#voorbeeld-organogram svg').textContent.includes('Adviesgroep Water');",
        "the chart shows the new name",
    );

    // The link picker puts a wiki link in at the cursor.
    browser.run(
        "const text = document.getElementById('veld-tekst');
         text.focus(); text.selectionStart = text.selectionEnd = 0;
         document.getElementById('link-pagina').value = 'Borne';
         return true;",
    );
    browser.click("#link-invoegen");
    assert_eq!(
        browser.run("return document.getElementById('veld-tekst').value.startsWith('[[Borne]]');"),
        true
    );
    // An image sent from the form goes in at the cursor; what was typed stays.
    let image = site.path("Foto van de zuivering.jpg");
    std::fs::write(&image, b"\xff\xd8\xff\xe0 not really a photo").unwrap();
    browser.type_into("#veld-bestand-upload", &image.display().to_string());
    browser.click("form.edit-upload button");
    browser.wait_until(
        "return document.getElementById('veld-tekst').value.includes('![Wat de afbeelding laat zien](foto-van-de-zuivering.jpg)');",
        "the image's Markdown in the text",
    );
    assert!(
        site.path("content/regio/twents-waternet/foto-van-de-zuivering.jpg")
            .is_file()
    );
    assert_eq!(
        browser.run("return document.getElementById('veld-tekst').value.startsWith('[[Borne]]');"),
        true,
        "the unsaved text is kept"
    );
    let console = browser.console();
    assert!(
        !console
            .iter()
            .any(|m| m.contains("Content Security Policy") || m.contains("Uncaught")),
        "{console:?}"
    );
    assert_eq!(
        site.read("content/regio/twents-waternet.md"),
        TestSite::example().read("content/regio/twents-waternet.md"),
        "nothing saved while typing"
    );
}
