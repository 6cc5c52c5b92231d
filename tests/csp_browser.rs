//! The theme's own scripts and styles pass the Content-Security-Policy, in
//! a real headless Chromium: the published wiki on a static host that
//! sends the header docs/publish.md gives, and `twn serve` with its reload
//! script and error overlay. Chromium reports every blocked script, style
//! or image on the console; none may appear.

mod common;
use common::TestSite;
use common::browser::Browser;
use std::time::Duration;

fn violations(messages: &[String]) -> Vec<&String> {
    messages
        .iter()
        .filter(|m| m.contains("Content Security Policy") || m.contains("Refused to"))
        .collect()
}

#[test]
fn the_published_wiki_runs_under_its_policy() {
    let site = TestSite::example_with_history();
    let (host, base) = site.serve_on_static_host();
    let _host = host;
    let mut browser = Browser::start();
    browser.console();
    let history = site
        .public_files()
        .into_iter()
        .find(|p| p.starts_with("werkplaats/rioolvervanging/verschil/"))
        .expect("a diff page");
    let pages = [
        String::new(),
        "regio/twents-waternet/".into(),
        "regio/twents-waternet/organisatie/".into(),
        "werkplaats/rioolvervanging/geschiedenis/".into(),
        history.trim_end_matches("index.html").to_owned(),
        "recente-wijzigingen/".into(),
        "bestaat-niet/".into(),
    ];
    for page in &pages {
        browser.open(&format!("{base}{page}"));
        let messages = browser.console();
        assert!(violations(&messages).is_empty(), "{page}: {messages:#?}");
    }
    // Search is the theme's script at work: it must run.
    browser.open(&format!("{base}zoeken/?q=waterschap"));
    browser.wait_until(
        "return document.querySelectorAll('.search-results li, #resultaten li').length > 0;",
        "search results",
    );
    let messages = browser.console();
    assert!(violations(&messages).is_empty(), "search: {messages:#?}");
}

#[test]
fn the_preview_reloads_and_shows_errors_under_its_policy() {
    let site = TestSite::new();
    let server = common::server::start(&site);
    common::server::wait_for(&server, "/organisatie/almelo/", 200);
    let mut browser = Browser::start();
    browser.console();
    browser.open(&format!("http://{}/organisatie/almelo/", server.address));
    std::thread::sleep(Duration::from_millis(300));
    site.write(
        "content/organisatie/almelo.md",
        "---\ntitle: Almelo\ntype: dorp\n---\n",
    );
    browser.wait_until("const o = document.getElementById('twn-fout'); return !!o && getComputedStyle(o).position === 'fixed';",
        "the styled error overlay",
    );
    site.write(
        "content/organisatie/almelo.md",
        "---\ntitle: Almelo\ntype: gemeente\n---\n\nWeer goed.\n",
    );
    browser.wait_until("return document.body.innerText.includes('Weer goed.') && !document.getElementById('twn-fout');",
        "the fixed page without overlay",
    );
    let messages = browser.console();
    assert!(violations(&messages).is_empty(), "{messages:#?}");
}
