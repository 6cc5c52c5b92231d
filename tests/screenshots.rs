//! Pictures for people: the main pages of the example wiki as readers see
//! them on a phone (360 px) and a desktop (1280 px), saved whole to
//! `target/schermafbeeldingen/` for a reviewer. Along the way it checks
//! that no page scrolls sideways at either width (WCAG 1.4.10, reflow).

mod common;
use common::TestSite;
use common::browser::{Browser, save_png};
use common::main_pages::main_pages;
use std::path::PathBuf;
use std::time::Duration;

const WIDTHS: [u32; 2] = [360, 1280];
/// Longer pages are cut here; enough to judge the layout.
const MAX_HEIGHT: u64 = 6000;

#[test]
fn screenshots_of_the_main_pages_at_phone_and_desktop_width() {
    let site = TestSite::example_with_history();
    let (_host, base) = site.serve_on_static_host();
    let out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/schermafbeeldingen");
    std::fs::create_dir_all(&out).unwrap();
    let mut browser = Browser::start();
    let mut sideways = Vec::new();
    let mut saved = 0;
    for width in WIDTHS {
        for (name, url) in main_pages(&site, &base) {
            browser.viewport(width, 800);
            browser.open(&url);
            // Search results and fonts settle after load.
            std::thread::sleep(Duration::from_millis(if name == "zoeken" {
                800
            } else {
                150
            }));
            let overflow = browser
                .run("return document.documentElement.scrollWidth - window.innerWidth;")
                .as_i64()
                .unwrap();
            if overflow > 0 {
                sideways.push(format!("{name} at {width}px scrolls {overflow}px sideways"));
            }
            let height = browser
                .run("return document.documentElement.scrollHeight;")
                .as_u64()
                .unwrap()
                .min(MAX_HEIGHT);
            browser.viewport(width, height as u32);
            std::thread::sleep(Duration::from_millis(100));
            let shot = browser.screenshot();
            let colours: std::collections::HashSet<&[u8]> =
                shot.2.chunks(4).take(200_000).collect();
            assert!(colours.len() > 20, "{name} at {width}px looks blank");
            save_png(&out.join(format!("{name}-{width}.png")), shot);
            saved += 1;
        }
    }
    assert!(sideways.is_empty(), "{}", sideways.join("\n"));
    eprintln!("{saved} schermafbeeldingen in {}", out.display());
}
