//! Nothing outside the site is written, deleted or run: hostile aliases,
//! a wrong `--out`, script URLs in Markdown, and the headers and names the
//! preview server answers to.

mod common;
use common::{TestSite, git, twn_in};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Every file and folder below `dir`, with the bytes of each file.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| {
            let bytes = e
                .file_type()
                .is_file()
                .then(|| std::fs::read(e.path()).unwrap());
            (e.path().strip_prefix(dir).unwrap().to_path_buf(), bytes)
        })
        .collect()
}

/// A valid site in `<temp>/site`, so that what lies around it can be
/// listed too.
fn site_in_a_folder_of_its_own() -> (TestSite, PathBuf) {
    let outer = TestSite::new();
    let site = outer.path("site");
    std::fs::create_dir_all(&site).unwrap();
    for entry in std::fs::read_dir(outer.dir.path()).unwrap() {
        let entry = entry.unwrap();
        if entry.file_name() != "site" {
            std::fs::rename(entry.path(), site.join(entry.file_name())).unwrap();
        }
    }
    (outer, site)
}

#[test]
fn an_alias_that_climbs_out_is_an_error_and_writes_nothing_anywhere() {
    let (outer, site) = site_in_a_folder_of_its_own();
    let unique = format!("twn-ontsnapt-{}", std::process::id());
    let page = "content/organisatie/almelo.md";
    let text = std::fs::read_to_string(site.join(page)).unwrap();
    let aliases = format!(
        "aliases:\n  - /../{unique}-a/\n  - /../../../../../../../../{unique}-b\n  - \"%2e%2e/%2E%2E/{unique}-c\"\n  - ..\\\\..\\\\{unique}-d\n  - C:/{unique}-e\n  - /zoeken/\n  - regio/twents-waternet/geschiedenis\n"
    );
    std::fs::write(
        site.join(page),
        text.replacen("---\n", &format!("---\n{aliases}"), 1),
    )
    .unwrap();
    let before = tree(outer.dir.path());
    for command in ["check", "build"] {
        let run = twn_in(&site, &[command]);
        assert_eq!(run.code, Some(1), "{command}:\n{}", run.stderr);
        for line in 3..=9 {
            let location = format!("{page}:{line}:5");
            assert!(
                run.stderr.contains(&location),
                "{command}: {location} in\n{}",
                run.stderr
            );
        }
        assert!(run.stderr.contains("7 fouten"), "{}", run.stderr);
    }
    assert_eq!(
        tree(outer.dir.path()),
        before,
        "nothing written around the site"
    );
    for suffix in ["a", "b", "c", "d", "e"] {
        assert!(!Path::new("/").join(format!("{unique}-{suffix}")).exists());
        assert!(
            !std::env::temp_dir()
                .join(format!("{unique}-{suffix}"))
                .exists()
        );
    }
}

#[test]
fn aliases_that_are_plain_old_paths_still_redirect() {
    let site = TestSite::new();
    let page = "content/organisatie/almelo.md";
    let text = site.read(page);
    site.write(
        page,
        &text.replacen(
            "---\n",
            "---\naliases: [\"/oud/Gemeente Almelo/\", oud/co%C3%B6peratie]\n",
            1,
        ),
    );
    site.build_ok();
    for old in [
        "oud/gemeente-almelo/index.html",
        "oud/cooperatie/index.html",
    ] {
        let html = site.read(&format!("public/{old}"));
        assert!(html.contains("url=/organisatie/almelo/"), "{old}: {html}");
    }
}

type Prepare = Box<dyn Fn(&Path)>;

/// Output folders a careless user might name, each with what makes it
/// theirs; relative to the site.
fn wrong_outputs() -> Vec<(&'static str, Prepare)> {
    let nothing: fn() -> Prepare = || Box::new(|_: &Path| {});
    vec![
        ("content", nothing()),
        ("content/regio", nothing()),
        (".", nothing()),
        ("..", nothing()),
        ("twn.yaml", nothing()),
        ("themes", nothing()),
        ("themes/default/static", nothing()),
        (".git", nothing()),
        (
            ".twn-cache",
            Box::new(|s: &Path| std::fs::create_dir_all(s.join(".twn-cache")).unwrap()),
        ),
        (
            "../map",
            Box::new(|s: &Path| {
                std::fs::create_dir_all(s.join("../map")).unwrap();
                std::fs::write(s.join("../map/rapport.docx"), b"PK\x03\x04 rapport").unwrap();
            }),
        ),
        // A folder published as a git repository of its own, even one
        // twn wrote into before.
        (
            "../publicatie",
            Box::new(|s: &Path| {
                let dir = s.join("../publicatie");
                std::fs::create_dir_all(dir.join(".git")).unwrap();
                std::fs::write(dir.join(".git/HEAD"), "ref: refs/heads/gh-pages\n").unwrap();
                std::fs::write(dir.join(marker()), "twn").unwrap();
            }),
        ),
    ]
}

fn marker() -> &'static str {
    twn::output::guard::MARKER_FILE
}

#[test]
fn a_wrong_out_is_refused_with_exit_2_and_touches_nothing() {
    let (outer, site) = site_in_a_folder_of_its_own();
    git(&site, &["init", "-q", "-b", "main"]);
    for (out, prepare) in wrong_outputs() {
        prepare(&site);
        let before = tree(outer.dir.path());
        let run = twn_in(&site, &["build", "--out", out]);
        assert_eq!(run.code, Some(2), "--out {out}:\n{}", run.stderr);
        assert!(
            run.stderr.contains("fout: de uitvoermap"),
            "--out {out}:\n{}",
            run.stderr
        );
        assert!(run.stderr.contains("oplossing:"), "{}", run.stderr);
        assert_eq!(tree(outer.dir.path()), before, "--out {out} changed files");
    }
    // `--root` pointing at the site, `--out` at the same folder.
    let before = tree(outer.dir.path());
    let run = twn_in(
        outer.dir.path(),
        &["build", "--root", "site", "--out", "site"],
    );
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert_eq!(tree(outer.dir.path()), before);
}

#[test]
fn twn_replaces_its_own_output_and_its_output_from_before_the_marker() {
    let (_outer, site) = site_in_a_folder_of_its_own();
    for _ in 0..2 {
        let run = twn_in(&site, &["build", "--out", "../uitvoer"]);
        assert_eq!(run.code, Some(0), "{}", run.stderr);
    }
    assert!(site.join("../uitvoer").join(marker()).is_file());
    // An output of an older twn has no marker; the cache remembers it.
    std::fs::remove_file(site.join("public").join(marker())).ok();
    assert_eq!(twn_in(&site, &["build"]).code, Some(0));
    std::fs::remove_file(site.join("public").join(marker())).unwrap();
    let run = twn_in(&site, &["build"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    // Without the cache nothing says twn made it: refused.
    std::fs::remove_file(site.join("public").join(marker())).unwrap();
    std::fs::remove_dir_all(site.join(".twn-cache")).unwrap();
    let run = twn_in(&site, &["build"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("rapport.docx"), "mijn rapport").unwrap();
    let before = tree(dir.path());
    let run = twn_in(dir.path(), &["init", "."]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert_eq!(tree(dir.path()), before);
}

#[test]
fn a_missing_twn_yaml_is_a_usage_error_in_dutch() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["build"][..],
        &["check"],
        &["serve", "--port", "0"],
        &["new", "organisatie", "Borne"],
    ] {
        let run = twn_in(dir.path(), args);
        assert_eq!(run.code, Some(2), "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("geen twn.yaml"),
            "{args:?}: {}",
            run.stderr
        );
        assert!(!run.stderr.contains("os error"), "{args:?}: {}", run.stderr);
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

/// Every `href`, `src`, `action` and `xlink:href` value of an HTML or XML
/// text, entities decoded.
fn url_attributes(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attribute in ["href=", "src=", "action=", "formaction=", "data="] {
        let mut rest = text;
        while let Some(at) = rest.find(attribute) {
            rest = &rest[at + attribute.len()..];
            let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
                continue;
            };
            let value = rest[1..].split(quote).next().unwrap_or_default();
            found.push(decode_entities(value));
        }
    }
    found
}

fn decode_entities(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find(';').unwrap_or(rest.len() - 1);
        let entity = &rest[1..end];
        let decoded = match entity {
            "amp" => Some('&'),
            "quot" => Some('"'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            _ if entity.starts_with("#x") => u32::from_str_radix(&entity[2..], 16)
                .ok()
                .and_then(char::from_u32),
            _ if entity.starts_with('#') => entity[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn is_script_url(url: &str) -> bool {
    let cleaned: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .to_lowercase();
    ["javascript:", "vbscript:", "data:text", "data:application"]
        .iter()
        .any(|s| cleaned.starts_with(s))
}

const HOSTILE_LINKS: &str = "[a](javascript:alert(1))\n\n[b](JaVaScRiPt:alert(1))\n\n[c](vbscript:msgbox(1))\n\n[d](data:text/html,<script>alert(1)</script>)\n\n<javascript:alert(1)>\n\n[e][ref]\n\n![f](javascript:alert(1))\n\n[g](<java\tscript:alert(1)>)\n\n[h](&#106;avascript:alert(1))\n\n[ref]: javascript:alert(2)\n";

#[test]
fn script_urls_in_markdown_are_errors_with_their_positions() {
    let site = TestSite::new();
    site.build_ok();
    let before = site.public_snapshot();
    site.write(
        "content/organisatie/borne.md",
        &format!("---\ntitle: Borne\ntype: gemeente\n---\n\n{HOSTILE_LINKS}"),
    );
    let run = site.twn(&["build"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    for line in [6, 8, 10, 12, 14, 16, 18, 20, 22] {
        let location = format!("content/organisatie/borne.md:{line}:1");
        assert!(
            run.stderr.contains(&location),
            "{location} in\n{}",
            run.stderr
        );
    }
    assert!(
        run.stderr
            .contains("`javascript:`, wat niet op een pagina mag"),
        "{}",
        run.stderr
    );
    assert_eq!(site.public_snapshot(), before);
}

#[test]
fn no_script_url_reaches_any_output_file_even_from_an_old_version() {
    let site = TestSite::new();
    site.git_init();
    let page = "content/organisatie/borne.md";
    site.write(
        page,
        "---\ntitle: Borne\ntype: gemeente\n---\n\nEerste tekst.\n",
    );
    site.commit_all(
        "Borne",
        ("Redactie", "r@example.org"),
        "2024-01-01T10:00:00+01:00",
    );
    // A hostile version that CI would have refused, committed anyway.
    site.write(
        page,
        &format!("---\ntitle: Borne\ntype: gemeente\n---\n\n{HOSTILE_LINKS}"),
    );
    site.commit_all(
        "Links",
        ("Redactie", "r@example.org"),
        "2024-02-01T10:00:00+01:00",
    );
    site.write(
        page,
        "---\ntitle: Borne\ntype: gemeente\n---\n\nWeer veilig.\n",
    );
    site.commit_all(
        "Hersteld",
        ("Redactie", "r@example.org"),
        "2024-03-01T10:00:00+01:00",
    );
    site.build_ok();
    let snapshot = site.public_snapshot();
    assert!(
        snapshot
            .keys()
            .any(|p| p.starts_with("organisatie/borne/versie/"))
    );
    let mut checked = 0;
    for (path, bytes) in &snapshot {
        let text = String::from_utf8_lossy(bytes);
        for url in url_attributes(&text) {
            checked += 1;
            assert!(!is_script_url(&url), "{path}: {url}");
        }
    }
    assert!(checked > 100, "attributes were found ({checked})");
}

#[test]
fn a_script_url_in_a_markdown_field_is_an_error() {
    let site = TestSite::new();
    site.write(
        "twn.yaml",
        &common::CONFIG.replace(
            "      start: { type: date }\n",
            "      start: { type: date }\n      summary: { type: markdown }\n",
        ),
    );
    site.write(
        "content/werkplaats/meetnet.md",
        "---\ntitle: Meetnet\nregio: twents-waternet\nperiod: \"2017\"\nsummary: \"Zie [dit](javascript:alert(1))\"\n---\n",
    );
    let run = site.twn(&["check"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains("content/werkplaats/meetnet.md:5:10"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_edit_link_percent_encodes_the_path() {
    let site = TestSite::new();
    site.write(
        "content/organisatie/borne 2#?.md",
        "---\ntitle: Borne twee\ntype: gemeente\n---\n",
    );
    site.build_ok();
    let html = site.read("public/organisatie/borne-2/index.html");
    assert!(
        html.contains(
            "https://git.example.org/wiki/edit/main/content/organisatie/borne%202%23%3F.md"
        ),
        "{html}"
    );
}

#[test]
fn every_page_carries_a_content_security_policy() {
    let site = TestSite::example_with_history();
    site.build_ok();
    let mut pages = 0;
    for (path, bytes) in site.public_snapshot() {
        if !path.ends_with(".html") {
            continue;
        }
        pages += 1;
        let html = String::from_utf8_lossy(&bytes);
        let head = html.split("</head>").next().unwrap();
        let policy = head
            .split("<meta http-equiv=\"Content-Security-Policy\" content=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .map(decode_entities);
        assert_eq!(
            policy.as_deref(),
            Some(twn::render::CONTENT_SECURITY_POLICY),
            "{path}"
        );
        assert!(!html.contains(" style=\""), "{path}: inline style");
        assert!(!html.contains("<script>"), "{path}: inline script");
    }
    assert!(pages > 50);
    let publish =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/publish.md"))
            .unwrap();
    assert!(
        publish.contains(&twn::serve::content_security_policy_header()),
        "docs/publish.md gives hosts the header"
    );
}

#[test]
fn serve_answers_only_for_its_own_address_with_security_headers() {
    let site = TestSite::new();
    let server = common::server::start(&site);
    common::server::wait_for(&server, "/", 200);
    let port = server.address.rsplit(':').next().unwrap().to_owned();
    for host in [
        format!("evil.example:{port}"),
        format!("127.0.0.1.nip.io:{port}"),
        "127.0.0.1:1".to_owned(),
    ] {
        let request = format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
        let (status, response) = common::server::raw(&server, &request);
        assert_eq!(status, 421, "{host}: {response}");
        assert!(!response.contains("<h1>"), "{host}: no page");
    }
    let (status, response) = common::server::raw(&server, "GET / HTTP/1.0\r\n\r\n");
    assert_eq!(status, 421, "a request without Host: {response}");
    for host in [server.address.clone(), format!("localhost:{port}")] {
        let request = format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
        let (status, response) = common::server::raw(&server, &request);
        assert_eq!(status, 200, "{host}");
        for header in [
            "x-content-type-options: nosniff",
            "x-frame-options: DENY",
            "referrer-policy: same-origin",
            "frame-ancestors 'none'",
        ] {
            assert!(response.contains(header), "{header} in {response}");
        }
    }
}
