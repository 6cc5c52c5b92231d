//! `twn serve` as a reader and an editor meet it: the real binary on a free
//! loopback port, real HTTP requests, real edits on disk, and a client
//! that waits for the reload event and then fetches the page, as a tab does.

mod common;
use common::TestSite;
use common::server::{events, get, raw, start, start_with, wait_for};

const ALMELO: &str = "content/organisatie/almelo.md";

fn almelo(text: &str) -> String {
    format!("---\ntitle: Almelo\ntype: gemeente\n---\n\n{text}\n")
}

#[test]
fn serves_from_memory_with_the_right_types_and_refuses_paths_outside_the_site() {
    let site = TestSite::new();
    site.write_bytes("content/organisatie/almelo/kaart.png", b"\x89PNG\r\n");
    std::fs::rename(
        site.path(ALMELO),
        site.path("content/organisatie/almelo/index.md"),
    )
    .unwrap();
    site.write_bodies("  - id: team\n    name: Kernteam\n");
    let server = start(&site);
    let host = &server.address;
    let body = wait_for(&server, "/organisatie/almelo/", 200);
    assert!(body.contains("<h1>Almelo</h1>"));
    assert!(
        body.contains("/__twn/preview.js\" data-since="),
        "live reload script"
    );
    for (path, content_type) in [
        ("/static/style.css", "text/css; charset=utf-8"),
        ("/organisatie/almelo/kaart.png", "image/png"),
        (
            "/regio/twents-waternet/organisatie/organogram.svg",
            "image/svg+xml",
        ),
        ("/sitemap.xml", "application/xml; charset=utf-8"),
        (
            "/recente-wijzigingen/atom.xml",
            "application/atom+xml; charset=utf-8",
        ),
        ("/organisatie/", "text/html; charset=utf-8"),
    ] {
        let request = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
        let (status, response) = raw(&server, &request);
        assert_eq!(status, 200, "{path}");
        assert!(
            response.contains(&format!("content-type: {content_type}\r\n")),
            "{path}: {response}"
        );
    }
    let (status, response) = get(&server, "/organisatie/almelo");
    assert_eq!(status, 301);
    assert!(response.contains("location: /organisatie/almelo/\r\n"));
    let (status, head) = raw(
        &server,
        &format!("HEAD /organisatie/almelo/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
    );
    assert_eq!(status, 200);
    assert!(!head.contains("<h1>"), "HEAD has no body");
    let (status, _) = raw(
        &server,
        &format!(
            "POST /organisatie/almelo/ HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        ),
    );
    assert_eq!(status, 405, "only GET and HEAD");
    for outside in [
        "/../twn.yaml",
        "/../../../../etc/passwd",
        "/%2e%2e/twn.yaml",
        "/static/%2E%2E/%2e%2e/twn.yaml",
        "/static/..%2f..%2ftwn.yaml",
        "/static/%2f..%2ftwn.yaml",
        "/static/..\\..\\twn.yaml",
        "/static/%5c..%5ctwn.yaml",
        "//etc/passwd",
        "/C:/Windows/win.ini",
        "/twn.yaml%00.html",
        "/content/organisatie/almelo/index.md",
        "/twn.yaml",
    ] {
        let request =
            format!("GET {outside} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
        let (status, response) = raw(&server, &request);
        assert!(
            status == 400 || status == 404,
            "{outside}: {status}\n{response}"
        );
        assert!(
            !response.contains("collections:") && !response.contains("root:"),
            "{outside} leaked a file:\n{response}"
        );
    }
    assert_eq!(get(&server, "/bestaat-niet/").0, 404);
    assert!(
        !site.path("public").exists(),
        "serve does not touch public/"
    );
    site.build_ok();
    let built = site.read("public/organisatie/almelo/index.html");
    assert!(!built.contains("__twn"), "twn build has no reload script");
}

#[test]
fn edits_creations_renames_deletions_and_atomic_saves_reach_open_tabs() {
    let site = TestSite::new();
    let server = start(&site);
    wait_for(&server, "/", 200);
    let mut tab = events(&server);

    site.write(ALMELO, &almelo("Een nieuwe zin over Almelo."));
    tab.reload_of("/organisatie/almelo/");
    let (_, page) = get(&server, "/organisatie/almelo/");
    assert!(page.contains("Een nieuwe zin over Almelo."), "{page}");

    site.write(
        "content/werkplaats/afkoppelen.md",
        "---\ntitle: Afkoppelen\nregio: twents-waternet\nperiod: \"2025\"\n---\n\nMet [[Almelo]].\n",
    );
    let event = tab.reload_of("/werkplaats/afkoppelen/");
    assert!(
        event["paths"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p == "/organisatie/almelo/"),
        "the page it links to gets a backlink: {event}"
    );
    assert!(
        get(&server, "/werkplaats/afkoppelen/")
            .1
            .contains("<h1>Afkoppelen</h1>")
    );
    assert!(
        get(&server, "/organisatie/almelo/")
            .1
            .contains("/werkplaats/afkoppelen/")
    );

    // An atomic save: a temporary file renamed over the page.
    let temporary = site.path("content/organisatie/.almelo.md.tmp");
    std::fs::write(&temporary, almelo("Atomisch opgeslagen.")).unwrap();
    std::fs::rename(&temporary, site.path(ALMELO)).unwrap();
    tab.reload_of("/organisatie/almelo/");
    assert!(
        get(&server, "/organisatie/almelo/")
            .1
            .contains("Atomisch opgeslagen.")
    );

    // Vim's way: the old file moved aside, a new one written, the old removed.
    let backup = site.path("content/organisatie/almelo.md~");
    std::fs::rename(site.path(ALMELO), &backup).unwrap();
    std::fs::write(site.path(ALMELO), almelo("Zoals vim opslaat.")).unwrap();
    std::fs::remove_file(&backup).unwrap();
    tab.reload_of("/organisatie/almelo/");
    assert!(
        get(&server, "/organisatie/almelo/")
            .1
            .contains("Zoals vim opslaat.")
    );

    std::fs::rename(
        site.path("content/werkplaats/afkoppelen.md"),
        site.path("content/werkplaats/regenwater-afkoppelen.md"),
    )
    .unwrap();
    tab.reload_of("/werkplaats/regenwater-afkoppelen/");
    assert_eq!(get(&server, "/werkplaats/regenwater-afkoppelen/").0, 200);
    assert_eq!(
        get(&server, "/werkplaats/afkoppelen/").0,
        404,
        "the old URL is gone"
    );

    std::fs::create_dir_all(site.path("content/werkplaats/nieuw")).unwrap();
    site.write(
        "content/werkplaats/nieuw/index.md",
        "---\ntitle: In een map\nregio: twents-waternet\nperiod: \"2026\"\n---\n\nNieuw.\n",
    );
    tab.reload_of("/werkplaats/nieuw/");
    assert!(
        get(&server, "/werkplaats/nieuw/")
            .1
            .contains("<h1>In een map</h1>")
    );

    std::fs::remove_file(site.path("content/werkplaats/regenwater-afkoppelen.md")).unwrap();
    tab.reload_of("/werkplaats/regenwater-afkoppelen/");
    assert_eq!(get(&server, "/werkplaats/regenwater-afkoppelen/").0, 404);
    assert!(
        !get(&server, "/organisatie/almelo/")
            .1
            .contains("regenwater-afkoppelen")
    );

    // A deleted page that others link to: the links become errors.
    std::fs::remove_file(site.path(ALMELO)).unwrap();
    let event = tab.until(|e| e["error"].is_string());
    let error = event["error"].as_str().unwrap();
    assert!(
        error.contains("content/regio/twents-waternet.md"),
        "{error}"
    );
    assert!(error.contains("[[Almelo]]"), "{error}");
    site.write(ALMELO, &almelo("Terug."));
    let event = tab.reload_of("/organisatie/almelo/");
    assert!(event["error"].is_null(), "{event}");
    assert!(get(&server, "/organisatie/almelo/").1.contains("Terug."));
}

#[test]
fn a_bad_edit_shows_an_overlay_over_the_last_good_page_until_it_is_fixed() {
    let site = TestSite::new();
    let server = start(&site);
    wait_for(&server, "/", 200);
    let mut tab = events(&server);
    site.write(ALMELO, "---\ntitle: Almelo\ntype: dorp\n---\n");
    let event = tab.until(|e| e["error"].is_string());
    let error = event["error"].as_str().unwrap();
    assert!(
        error.contains("content/organisatie/almelo.md:3:7"),
        "{error}"
    );
    assert!(error.contains("type: dorp"), "the source line: {error}");
    assert!(
        error.contains("`dorp` is geen toegestane waarde"),
        "{error}"
    );
    let (status, page) = get(&server, "/organisatie/almelo/");
    assert_eq!(status, 200, "the last good site is still served");
    assert!(page.contains("<h1>Almelo</h1>"));
    assert!(
        page.contains("<div id=\"twn-fout\" role=\"alert\""),
        "{page}"
    );
    assert!(page.contains("content/organisatie/almelo.md:3:7"));

    site.write(ALMELO, &almelo("Hersteld."));
    let event = tab.reload_of("/organisatie/almelo/");
    assert!(event["error"].is_null(), "the overlay goes: {event}");
    let (_, page) = get(&server, "/organisatie/almelo/");
    assert!(page.contains("Hersteld."));
    assert!(!page.contains("<div id=\"twn-fout\""));
}

#[test]
fn a_template_edit_rerenders_the_pages_that_use_it() {
    let site = TestSite::new();
    let server = start(&site);
    wait_for(&server, "/", 200);
    let mut tab = events(&server);
    let template = site.read("themes/default/templates/page.html").replacen(
        "{% block main %}",
        "{% block main %}<p>Sjabloon bijgewerkt</p>",
        1,
    );
    site.write("themes/default/templates/page.html", &template);
    let event = tab.reload_of("/organisatie/almelo/");
    let paths: Vec<&str> = event["paths"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p.as_str())
        .collect();
    assert!(!paths.contains(&"/sitemap.xml"), "{paths:?}");
    assert!(
        !paths.contains(&"/organisatie/"),
        "lists use list.html: {paths:?}"
    );
    assert!(
        get(&server, "/organisatie/almelo/")
            .1
            .contains("Sjabloon bijgewerkt")
    );
    assert!(
        !get(&server, "/organisatie/")
            .1
            .contains("Sjabloon bijgewerkt")
    );
}

#[test]
fn history_pages_are_served_and_a_changed_setting_reloads_everything() {
    let site = TestSite::new();
    site.git_init();
    site.commit_all(
        "Almelo toegevoegd",
        ("Anna", "anna@example.org"),
        "2024-03-01T10:00:00+01:00",
    );
    let server = start(&site);
    let history = wait_for(&server, "/organisatie/almelo/geschiedenis/", 200);
    assert!(history.contains("Almelo toegevoegd"), "{history}");
    assert!(!history.contains("anna@example.org"));
    let mut tab = events(&server);
    let config = site
        .read("twn.yaml")
        .replace("title: Testwiki", "title: Proefwiki");
    site.write("twn.yaml", &config);
    let event = tab.until(|e| e["all"] == true);
    assert!(event["error"].is_null());
    assert!(get(&server, "/").1.contains("Proefwiki"));
    assert!(wait_for(&server, "/organisatie/almelo/geschiedenis/", 200).contains("Proefwiki"));
}

#[test]
fn polling_sees_edits_and_binding_beyond_this_computer_warns() {
    let site = TestSite::new();
    let (server, printed) = start_with(&site, &["--poll", "--bind", "0.0.0.0"]);
    assert!(
        printed
            .iter()
            .any(|l| l.contains("kan iedereen in het netwerk")),
        "{printed:?}"
    );
    let address = server.address.replace("0.0.0.0", "127.0.0.1");
    assert!(address.starts_with("127.0.0.1:"), "{address}");
    wait_for(&server, "/", 200);
    let mut tab = events(&server);
    site.write(ALMELO, &almelo("Gezien door te kijken."));
    tab.reload_of("/organisatie/almelo/");
    assert!(
        get(&server, "/organisatie/almelo/")
            .1
            .contains("Gezien door te kijken.")
    );
}

#[test]
fn a_commit_reaches_the_preview_without_a_restart() {
    let site = TestSite::new();
    site.git_init();
    let editor = ("Redactie", "redactie@example.org");
    site.commit_all("Begin", editor, "2024-01-01T10:00:00+01:00");
    site.write(
        "content/organisatie/borne.md",
        "---\ntitle: Borne\ntype: gemeente\n---\n\nNieuw.\n",
    );
    let server = start(&site);
    let body = wait_for(&server, "/organisatie/borne/", 200);
    assert!(body.contains("nog niet vastgelegd"), "{body}");
    site.commit_all("Borne toegevoegd", editor, "2024-02-03T10:00:00+01:00");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let (_, body) = get(&server, "/organisatie/borne/");
        if !body.contains("nog niet vastgelegd") && body.contains("03-02-2024") {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the commit never reached the page:\n{body}"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let history = wait_for(&server, "/organisatie/borne/geschiedenis/", 200);
    assert!(history.contains("Borne toegevoegd"), "{history}");
    let recent = wait_for(&server, "/recente-wijzigingen/", 200);
    assert!(recent.contains("Borne toegevoegd"), "{recent}");
}

#[test]
fn a_deleted_page_shows_its_notice_and_history_in_the_preview() {
    let site = TestSite::new();
    site.git_init();
    let editor = ("Redactie", "redactie@example.org");
    site.write(
        "content/organisatie/borne.md",
        "---\ntitle: Borne\ntype: gemeente\n---\n\nBorne.\n",
    );
    site.commit_all("Borne erbij", editor, "2024-01-01T10:00:00+01:00");
    let server = start(&site);
    wait_for(&server, "/organisatie/borne/", 200);
    common::git(
        site.dir.path(),
        &["rm", "-q", "content/organisatie/borne.md"],
    );
    site.commit_all("Borne weg", editor, "2024-02-01T10:00:00+01:00");
    let notice = wait_for(&server, "/organisatie/borne/", 200);
    let notice = if notice.contains("Deze pagina is verwijderd") {
        notice
    } else {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            let (status, body) = get(&server, "/organisatie/borne/");
            if status == 200 && body.contains("Deze pagina is verwijderd") {
                break body;
            }
            assert!(std::time::Instant::now() < deadline, "no notice:\n{body}");
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    };
    assert!(notice.contains("Borne weg"), "{notice}");
    let history = wait_for(&server, "/organisatie/borne/geschiedenis/", 200);
    assert!(history.contains("Borne erbij"), "{history}");
}

#[test]
fn serve_that_cannot_start_says_why_and_how_to_fix_it() {
    let site = TestSite::example();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = taken.local_addr().unwrap().port().to_string();
    let run = site.twn(&["serve", "--port", &port]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr
            .contains(&format!("kan niet luisteren op 127.0.0.1:{port}")),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("kies een andere poort met --port"),
        "{}",
        run.stderr
    );

    let empty = tempfile::tempdir().unwrap();
    let run = common::twn_in(empty.path(), &["serve", "--port", "0"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(run.stderr.contains("is geen twn-site"), "{}", run.stderr);
    assert!(run.stderr.contains("twn init"), "{}", run.stderr);
}

#[test]
fn a_page_asked_for_while_the_first_build_runs_is_answered_when_it_is_made() {
    // 2,000 pages take a moment to build; the address is printed at once.
    let site = TestSite::new();
    for n in 0..2000 {
        site.write(
            &format!("content/organisatie/gemeente-{n}.md"),
            &format!(
                "---\ntitle: Gemeente {n}\ntype: gemeente\n---\n\nLid van [[Twents Waternet]].\n"
            ),
        );
    }
    let (server, printed, log) = common::server::start_answering(&site, &[], &[]);
    assert!(
        !printed.iter().any(|line| line.contains("gebouwd in")),
        "the address comes first: {printed:?}"
    );
    common::server::keep_draining(log);
    // A tab open during the first build...
    let (status, _) = get(&server, "/");
    assert_eq!(status, 200);
    let mut tab = events(&server);
    for path in ["/", "/organisatie/gemeente-1999/", "/static/style.css"] {
        let (status, body) = get(&server, path);
        assert_eq!(status, 200, "{path}: {body}");
    }
    let (_, page) = get(&server, "/organisatie/gemeente-1999/");
    assert!(page.contains("Gemeente 1999"), "{page}");
    let (status, _) = get(&server, "/organisatie/bestaat-niet/");
    assert_eq!(status, 404);
    // ...is not reloaded when the build ends: its page did not change.
    for event in tab.arriving(std::time::Duration::from_millis(500)) {
        assert_eq!(event["all"], false, "{event}");
        assert!(
            !event["paths"].as_array().unwrap().iter().any(|p| p == "/"),
            "{event}"
        );
    }
}

#[test]
fn a_save_written_in_two_steps_shows_no_error_in_between() {
    let site = TestSite::new();
    let server = start(&site);
    wait_for(&server, "/", 200);
    let mut tab = events(&server);
    let path = site.path(ALMELO);
    // The preview waits 50 ms after an error for the rest of a save. On a
    // machine so busy that this test's own second step came later than
    // that, an error is right; such a try does not count.
    for attempt in 0..5 {
        let text = format!("In twee stappen opgeslagen, keer {attempt}.");
        let whole = almelo(&text);
        let (first, rest) = whole.split_at(20);
        let gap = {
            use std::io::Write;
            let mut file = std::fs::File::create(&path).unwrap();
            file.write_all(first.as_bytes()).unwrap();
            file.sync_all().unwrap();
            let first_written = std::time::Instant::now();
            // Longer than the watcher's quiet time, as a slow disk takes.
            std::thread::sleep(std::time::Duration::from_millis(15));
            file.write_all(rest.as_bytes()).unwrap();
            first_written.elapsed()
        };
        let error = std::cell::Cell::new(None);
        tab.until(|event| {
            if !event["error"].is_null() {
                error.set(Some(event.to_string()));
            }
            event["paths"]
                .as_array()
                .is_some_and(|paths| paths.iter().any(|p| p == "/organisatie/almelo/"))
        });
        let (_, page) = get(&server, "/organisatie/almelo/");
        assert!(page.contains(&text), "{page}");
        if gap > std::time::Duration::from_millis(30) {
            continue;
        }
        if let Some(error) = error.take() {
            panic!("an error reached the tab, {gap:?} between the steps: {error}");
        }
        return;
    }
    panic!("the machine was too busy to write two steps 30 ms apart");
}

#[test]
fn a_warning_a_save_brings_is_shown_once_in_the_terminal() {
    let site = TestSite::new();
    let (_server, _printed, lines) = common::server::start_answering(&site, &[], &[]);
    let log = common::server::as_they_come(lines);
    // What the terminal shows up to and with the first line holding `end`.
    let until = |end: &str| -> Vec<String> {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        let mut shown = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            let line = log
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("no line with `{end}` after:\n{}", shown.join("\n")));
            let done = line.contains(end);
            shown.push(line);
            if done {
                return shown;
            }
        }
    };
    until("gebouwd in");
    site.write(
        ALMELO,
        "---\ntitle: Almelo\ntitel: Almelo\ntype: gemeente\n---\n\nTekst.\n",
    );
    let shown = until("gewijzigd").join("\n");
    assert!(shown.contains("`titel`: onbekend veld"), "{shown}");
    assert!(
        shown.contains("content/organisatie/almelo.md:3:1"),
        "{shown}"
    );
    site.write(
        ALMELO,
        "---\ntitle: Almelo\ntitel: Almelo\ntype: gemeente\n---\n\nMeer tekst.\n",
    );
    let again = until("gewijzigd").join("\n");
    assert!(!again.contains("onbekend veld"), "shown twice:\n{again}");
}

/// A watch ends with its folder: `content/` removed (every page deleted)
/// and made again is watched again, with what it holds by then.
#[test]
fn a_content_folder_removed_and_made_again_is_still_watched() {
    let site = TestSite::new();
    let server = start(&site);
    wait_for(&server, "/", 200);
    std::fs::remove_dir_all(site.path("content")).unwrap();
    wait_for(&server, "/organisatie/almelo/", 404);
    site.write(
        "content/regen.md",
        "---\ntitle: Regen\n---\n\nEerste pagina in de nieuwe map.\n",
    );
    wait_for(&server, "/regen/", 200);
    site.write(
        "content/bodem.md",
        "---\ntitle: Bodem\n---\n\nEen latere pagina.\n",
    );
    let page = wait_for(&server, "/bodem/", 200);
    assert!(page.contains("Een latere pagina."), "{page}");
}

#[test]
fn a_history_page_that_fails_to_render_says_why_in_the_terminal() {
    let site = common::history::site_with_history();
    let template = "themes/default/templates/history.html";
    let broken = site
        .read(template)
        .replace("{{ t.history_intro }}", "{{ nergens.gedefinieerd }}");
    site.write(template, &broken);
    let (server, _printed, lines) = common::server::start_answering(&site, &[], &[]);
    let log = common::server::as_they_come(lines);
    wait_for(&server, "/", 200);
    let (status, _) = get(&server, "/regio/twents-waternet/geschiedenis/");
    assert_eq!(status, 404, "the page could not be made");
    let mut shown = Vec::new();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !shown
        .iter()
        .any(|line: &String| line.contains("history.html"))
    {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match log.recv_timeout(left) {
            Ok(line) => shown.push(line),
            Err(_) => panic!("the template is not named:\n{}", shown.join("\n")),
        }
    }
    assert!(
        shown.iter().any(|line| line.contains("fout in sjabloon")),
        "{}",
        shown.join("\n")
    );
    // The server is still there.
    assert_eq!(get(&server, "/regio/twents-waternet/").0, 200);
}

/// The preview uses the cache too: a build run meanwhile removes nothing
/// from it, and the first build after the preview stopped does. (Each
/// build has another address, which gives every old version a new key
/// without an edit the preview would see and reload for.)
#[test]
fn builds_remove_nothing_from_the_cache_while_the_preview_uses_it() {
    use common::history::cached_pages;
    let site = common::history::site_with_history();
    let build_at = |host: &str| {
        let run = site.twn(&["build", "--base-url", &format!("https://{host}/")]);
        assert_eq!(run.code, Some(0), "{}", run.stderr);
    };
    build_at("a.example");
    let per_build = cached_pages(&site);
    let server = start(&site);
    let history = wait_for(&server, "/regio/twents-waternet/geschiedenis/", 200);
    assert!(history.contains("Visie aangevuld"), "{history}");
    let with_preview = cached_pages(&site);
    for host in ["b.example", "c.example", "d.example"] {
        build_at(host);
    }
    assert_eq!(cached_pages(&site), with_preview + 3 * per_build);
    drop(server);
    build_at("e.example");
    assert_eq!(cached_pages(&site), 3 * per_build, "those of c, d and e");
}
