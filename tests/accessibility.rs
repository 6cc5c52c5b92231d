//! WCAG 2.1 A and AA, checked by axe-core in a real headless Chromium on
//! the kinds of page readers use, at phone and desktop width. `.ci/tools`
//! installs axe-core.

mod common;
use common::TestSite;
use common::browser::Browser;
use common::main_pages::main_pages;
use common::tools::{axe_script, axe_violations};
use serde_json::Value;
use std::time::{Duration, Instant};

const WIDTHS: [(u32, u32); 2] = [(360, 740), (1280, 900)];

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
            problems.extend(
                axe_violations(&mut browser, &source)
                    .into_iter()
                    .map(|v| format!("{page} at {width}px: {v}")),
            );
            rules = rules.max(
                browser
                    .run(
                        "return axe.getRules(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).length;",
                    )
                    .as_u64()
                    .unwrap(),
            );
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
