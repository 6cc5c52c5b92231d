//! `twn serve` as a reader and an editor meet it: the real binary on a free
//! loopback port, real HTTP requests, real edits on disk.

mod common;
use common::TestSite;
use common::server::{get, start, wait_for};

#[test]
fn serves_pages_with_live_reload_and_refuses_paths_outside_the_site() {
    let site = TestSite::new();
    let server = start(&site);
    let body = wait_for(&server, "/organisatie/almelo/", 200);
    assert!(body.contains("<h1>Almelo</h1>"));
    assert!(
        body.contains("EventSource(\"/__twn/reload\")"),
        "live reload script injected"
    );
    assert!(body.contains(r#"href="/static/style.css""#), "{body}");
    let (status, css) = get(&server, "/static/style.css");
    assert_eq!(status, 200);
    assert!(css.contains("content-type: text/css"), "{css}");
    for outside in [
        "/../twn.yaml",
        "/%2e%2e/twn.yaml",
        "/static/%2E%2E/%2e%2e/twn.yaml",
    ] {
        assert_eq!(get(&server, outside).0, 400, "{outside}");
    }
    assert_eq!(get(&server, "/bestaat-niet/").0, 404);
    assert!(
        !site.path("public").exists(),
        "the preview does not touch public/"
    );
}

#[test]
fn a_bad_edit_shows_the_error_in_the_browser_and_a_fix_brings_the_site_back() {
    let site = TestSite::new();
    let server = start(&site);
    wait_for(&server, "/", 200);
    site.write(
        "content/organisatie/almelo.md",
        "---\ntitle: Almelo\ntype: dorp\n---\n",
    );
    let body = wait_for(&server, "/organisatie/almelo/", 500);
    assert!(body.contains("content/organisatie/almelo.md:3:7"), "{body}");
    assert!(body.contains("`dorp` is geen toegestane waarde"), "{body}");
    site.write(
        "content/organisatie/almelo.md",
        "---\ntitle: Almelo hersteld\ntype: gemeente\n---\n",
    );
    let body = wait_for(&server, "/organisatie/almelo/", 200);
    assert!(body.contains("<h1>Almelo hersteld</h1>"), "{body}");
}
