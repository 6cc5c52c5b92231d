//! Comparing any two versions of a page, in a real headless Chromium on a
//! static host: the history page offers a choice of two versions and shows
//! what differs between them, computed in the browser.

mod common;
use common::TestSite;
use common::browser::Browser;

#[test]
fn any_two_versions_can_be_compared_on_the_history_page() {
    let site = TestSite::example_with_history();
    let workplace = "content/werkplaats/rioolvervanging.md";
    let text = site.read(workplace);
    site.write(
        workplace,
        &format!("{text}\nEen derde versie met een nieuwe zin.\n"),
    );
    site.commit_all(
        "Derde versie",
        ("Redactie Twents Waternet", "redactie@example.org"),
        "2025-06-01T10:00:00+02:00",
    );
    let (_host, base) = site.serve_on_static_host();
    // Without JavaScript the choice stays hidden: the diff links remain.
    let html = site.read("public/werkplaats/rioolvervanging/geschiedenis/index.html");
    assert!(html.contains(r#"class="compare-control" hidden"#), "{html}");
    let mut browser = Browser::start();
    browser.console();
    browser.open(&format!("{base}werkplaats/rioolvervanging/geschiedenis/"));
    browser.wait_until(
        "return [...document.querySelectorAll('.compare-control')].every(e => !e.hidden);",
        "the choice shown",
    );
    // The oldest against the newest: both later additions appear.
    browser.run(
        "const from = document.querySelectorAll('input[name=van]'); from[from.length - 1].checked = true; document.querySelector('#vergelijk button').click(); return true;",
    );
    browser.wait_until(
        "const rows = [...document.querySelectorAll('#vergelijking tr.ins')].map(r => r.textContent); return rows.some(t => t.includes('De planning voor de komende jaren')) && rows.some(t => t.includes('Een derde versie'));",
        "both additions in the comparison",
    );
    let focused = browser.run("return document.activeElement.id;");
    assert_eq!(focused, "vergelijking", "focus moves to the result");
    let messages = browser.console();
    assert!(
        !messages
            .iter()
            .any(|m| m.contains("Content Security Policy")),
        "{messages:#?}"
    );
}
