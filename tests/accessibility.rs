//! WCAG 2.1 A and AA, checked by axe-core in a real headless Chromium on
//! the kinds of page readers use, at phone and desktop width. `.ci/tools`
//! installs axe-core.

mod common;
use common::TestSite;
use common::browser::Browser;
use common::main_pages::main_pages;
use common::tools::axe_script;
use serde_json::Value;
use std::time::{Duration, Instant};

const WIDTHS: [(u32, u32); 2] = [(360, 740), (1280, 900)];

/// Runs axe on the open page and returns its results.
fn axe(browser: &mut Browser, source: &str) -> Value {
    browser.run(&format!(
        "{source}
         window.axeResults = null;
         axe.run(document, {{runOnly: {{type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}, resultTypes: ['violations']}})
            .then(r => window.axeResults = r, e => window.axeResults = {{error: String(e)}});
         return true;"
    ));
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let results = browser.run("return window.axeResults;");
        if !results.is_null() {
            assert!(results["error"].is_null(), "axe failed: {results}");
            return results;
        }
        assert!(Instant::now() < deadline, "axe never finished");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn the_main_pages_meet_wcag_2_1_aa_at_phone_and_desktop_width() {
    let site = TestSite::example_with_history();
    let (_host, base) = site.serve_on_static_host();
    let pages: Vec<String> = main_pages(&site, &base)
        .into_iter()
        .map(|(_, url)| url)
        .collect();
    let source = axe_script();
    let mut browser = Browser::start();
    let mut rules = 0;
    let mut problems = Vec::new();
    for (width, height) in WIDTHS {
        browser.viewport(width, height);
        for page in &pages {
            browser.open(page);
            if page.contains("zoeken") {
                // Check the page with its results shown.
                let deadline = Instant::now() + Duration::from_secs(20);
                while browser
                    .run("return document.querySelectorAll('#zoekresultaten li').length > 0;")
                    != Value::Bool(true)
                {
                    assert!(Instant::now() < deadline, "no search results");
                    std::thread::sleep(Duration::from_millis(50));
                }
            }
            let results = axe(&mut browser, &source);
            rules = rules.max(
                browser
                    .run(
                        "return axe.getRules(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).length;",
                    )
                    .as_u64()
                    .unwrap(),
            );
            for violation in results["violations"].as_array().unwrap() {
                let nodes: Vec<String> = violation["nodes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .take(3)
                    .map(|n| format!("{} ({})", n["html"], n["failureSummary"]))
                    .collect();
                problems.push(format!(
                    "{page} at {width}px: {} – {}\n    {}",
                    violation["id"],
                    violation["help"],
                    nodes.join("\n    ")
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "axe found WCAG 2.1 A/AA violations:\n{}",
        problems.join("\n")
    );
    eprintln!(
        "axe-core: {} pages at {} widths, {rules} WCAG 2.1 A/AA rules, no violations",
        pages.len(),
        WIDTHS.len()
    );
}
