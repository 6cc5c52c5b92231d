//! How a test checks that bad input is turned away: exit code 1, the
//! place and message, a fix, and the previous `public/` untouched.

use super::TestSite;

/// Builds a good site, breaks it with `change`, and checks the failed build.
pub fn assert_rejected(change: impl FnOnce(&TestSite), location: &str, message: &str) -> String {
    let site = TestSite::new();
    site.build_ok();
    let before = site.public_snapshot();
    assert!(before.contains_key("index.html"));
    change(&site);
    let run = site.twn(&["build"]);
    assert_eq!(run.code, Some(1), "exit code; stderr:\n{}", run.stderr);
    assert!(
        run.stderr.contains(location),
        "expected location {location} in:\n{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(message),
        "expected message {message:?} in:\n{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("oplossing:"),
        "every error says how to fix it:\n{}",
        run.stderr
    );
    assert_eq!(
        site.public_snapshot(),
        before,
        "public/ must be untouched after a failed build"
    );
    let leftovers: Vec<String> = std::fs::read_dir(site.dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("staging") || n.contains("previous"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "no staging folders left behind: {leftovers:?}"
    );
    run.stderr
}

/// Two bodies that are fine; tests break one line of it.
pub const BODIES: &str = "  - id: bestuurlijk-platform
    name: Bestuurlijk platform
    members: [alle]
    relations:
      - { type: stuurt-aan, to: ambtelijk-platform }
  - id: ambtelijk-platform
    name: Ambtelijk platform
    members: [almelo]
    relations:
      - { type: rapporteert-aan, to: bestuurlijk-platform }
";
