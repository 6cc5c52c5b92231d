//! The checkers `.ci/tools` puts in `target/check-tools/`: the Nu HTML
//! Checker and axe-core.

use super::browser::Browser;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn tool(relative: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target/check-tools")
        .join(relative);
    assert!(
        path.exists(),
        "{} is missing: run `bash .ci/tools` first (it installs the checkers)",
        path.display()
    );
    path
}

pub fn vnu_jar() -> PathBuf {
    tool("vnu.jar")
}

pub fn axe_script() -> String {
    std::fs::read_to_string(tool("node_modules/axe-core/axe.min.js")).unwrap()
}

/// Debian puts nginx in /usr/sbin, which is not on every PATH.
pub fn nginx() -> PathBuf {
    let sbin = PathBuf::from("/usr/sbin/nginx");
    if sbin.exists() {
        sbin
    } else {
        PathBuf::from("nginx")
    }
}

/// Runs axe-core (`source`) on the page open in `browser`: every WCAG 2.1
/// A and AA violation, one line each with up to three of its elements.
pub fn axe_violations(browser: &mut Browser, source: &str) -> Vec<String> {
    browser.run(&format!(
        "{source}
         window.axeResults = null;
         axe.run(document, {{runOnly: {{type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}, resultTypes: ['violations']}})
            .then(r => window.axeResults = r, e => window.axeResults = {{error: String(e)}});
         return true;"
    ));
    let deadline = Instant::now() + Duration::from_secs(60);
    let results: Value = loop {
        let results = browser.run("return window.axeResults;");
        if !results.is_null() {
            assert!(results["error"].is_null(), "axe failed: {results}");
            break results;
        }
        assert!(Instant::now() < deadline, "axe never finished");
        std::thread::sleep(Duration::from_millis(100));
    };
    results["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|violation| {
            let nodes: Vec<String> = violation["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .take(3)
                .map(|n| format!("{} ({})", n["html"], n["failureSummary"]))
                .collect();
            format!(
                "{} – {}\n    {}",
                violation["id"],
                violation["help"],
                nodes.join("\n    ")
            )
        })
        .collect()
}

/// What the Nu HTML Checker finds wrong in the HTML files below `path`
/// (a file or a folder); empty when nothing.
pub fn vnu_errors(path: &Path) -> String {
    let output = std::process::Command::new("java")
        .arg("-jar")
        .arg(vnu_jar())
        .args(["--errors-only", "--skip-non-html", "--format", "gnu"])
        .arg(path)
        .output()
        .expect("java runs the Nu HTML Checker");
    let report = String::from_utf8_lossy(&output.stderr).trim().to_owned();
    if output.status.success() || !report.is_empty() {
        report
    } else {
        "the Nu HTML Checker failed".to_owned()
    }
}
