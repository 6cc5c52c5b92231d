//! Live reload in a real headless Chromium: a tab on a page sees an edit
//! of that page's file without a manual reload, at the same scroll
//! position, and an overlay for a bad edit that the fix takes away.

mod common;
use common::TestSite;
use common::browser::Browser;
use common::server::{start, wait_for};
use std::time::Duration;

#[test]
fn an_open_tab_shows_an_edit_without_a_manual_reload() {
    let site = TestSite::new();
    let paragraphs: String = (1..=80)
        .map(|n| format!("Alinea {n} over samenwerking in de waterketen.\n\n"))
        .collect();
    let page =
        |last: &str| format!("---\ntitle: Almelo\ntype: gemeente\n---\n\n{paragraphs}{last}\n");
    site.write("content/organisatie/almelo.md", &page("Oude slotzin."));
    let server = start(&site);
    wait_for(&server, "/organisatie/almelo/", 200);
    let mut browser = Browser::start();
    browser.viewport(1000, 700);
    browser.open(&format!("http://{}/organisatie/almelo/", server.address));
    browser.run("window.scrollTo(0, 600); window.zelfdeTab = true; return true;");
    // The event stream is open once the tab has had a moment to connect.
    std::thread::sleep(Duration::from_millis(300));

    site.write("content/organisatie/almelo.md", &page("Nieuwe slotzin."));
    browser.wait_until(
        "return document.body.innerText.includes('Nieuwe slotzin.');",
        "the new text in the open tab",
    );
    assert_eq!(
        browser.run("return window.zelfdeTab === undefined;"),
        serde_json::Value::Bool(true),
        "the tab reloaded by itself"
    );
    browser.wait_until(
        "return Math.abs(window.scrollY - 600) < 5;",
        "the scroll position kept",
    );

    site.write(
        "content/organisatie/almelo.md",
        "---\ntitle: Almelo\ntype: dorp\n---\n",
    );
    browser.wait_until("const o = document.getElementById('twn-fout'); return !!o && o.innerText.includes('content/organisatie/almelo.md:3:7');",
        "the error overlay",
    );
    assert!(
        browser
            .run("return document.body.innerText.includes('Nieuwe slotzin.');")
            .as_bool()
            .unwrap(),
        "the last good page stays under the overlay"
    );
    site.write("content/organisatie/almelo.md", &page("Hersteld."));
    browser.wait_until("return !document.getElementById('twn-fout') && document.body.innerText.includes('Hersteld.');",
        "the fix, without the overlay",
    );
}
