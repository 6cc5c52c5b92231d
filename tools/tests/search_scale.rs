//! The search index on a large wiki loads in pieces: on a generated site
//! of 10,000 pages (about 7 KB of Dutch prose each), a reader's first
//! query downloads under 150 KB (about 80 KB), measured at the web host, which
//! sends the compressed copies `precompress` writes (as nginx does with
//! docs/publish.md's settings). Excerpts come from the results' own pages.

// The browser and web host of the library's tests, which use more of them.
#[allow(dead_code)]
#[path = "../../tests/common/browser.rs"]
mod browser;
#[allow(dead_code)]
#[path = "../../tests/common/static_host.rs"]
mod static_host;

use browser::Browser;
use serde_json::Value;
use static_host::StaticHost;
use std::process::Command;
use std::time::{Duration, Instant};

const BUDGET: usize = 150 * 1024;

#[test]
fn a_first_query_on_ten_thousand_pages_downloads_under_150_kb() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("wiki");
    let generated = Command::new(env!("CARGO_BIN_EXE_twn-corpus"))
        .args([root.to_str().unwrap(), "10000", "--kb", "7"])
        .output()
        .unwrap();
    assert!(generated.status.success());
    let config = std::fs::read_to_string(root.join("twn.yaml")).unwrap();
    std::fs::write(
        root.join("twn.yaml"),
        format!("{config}precompress: true\n"),
    )
    .unwrap();
    let (listener, address) = StaticHost::bind();
    let base_url = format!("http://{address}/wiki/");
    twn::build::build(&twn::build::BuildOptions {
        site_root: root.clone(),
        out_dir: Some(root.join("public")),
        base_url: Some(base_url.clone()),
        drafts: false,
        progress: false,
        strict: false,
    })
    .unwrap_or_else(|f| panic!("{}", f.diagnostics.report(false)));
    let host = StaticHost::serve(listener, root.join("public"), "/wiki/");

    // Common words have the longest postings: the hardest first queries.
    for query in ["gemeenten", "riolering en onderhoud", "werkplaatsen"] {
        let mut browser = Browser::start();
        host.reset();
        browser.open(&format!("{base_url}zoeken/"));
        browser.type_into("#zoekterm", query);
        let deadline = Instant::now() + Duration::from_secs(30);
        let shown = loop {
            let count = browser.run(
                "return document.getElementById('zoekstatus').textContent.includes('resultaten') ? document.querySelectorAll('#zoekresultaten li').length : null;",
            );
            if let Value::Number(n) = count {
                break n.as_u64().unwrap();
            }
            assert!(Instant::now() < deadline, "{query}: no results");
            std::thread::sleep(Duration::from_millis(50));
        };
        assert_eq!(shown, 10, "{query}: the first ten results are shown");
        let served = host.served();
        let index: usize = served
            .iter()
            .filter(|(path, _)| path.starts_with("/wiki/zoeken/index/"))
            .map(|(_, bytes)| bytes)
            .sum();
        let everything: usize = served.iter().map(|(_, bytes)| bytes).sum();
        eprintln!(
            "{query:?}: index {} KB in {} requests; with the page, style and scripts {} KB",
            index / 1024,
            served
                .iter()
                .filter(|(p, _)| p.starts_with("/wiki/zoeken/index/"))
                .count(),
            everything / 1024
        );
        assert!(index > 0, "{query}: the index was fetched");
        assert!(
            everything < BUDGET,
            "{query}: {everything} bytes: {served:?}"
        );
    }
}
