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
        // A folder named through `..`, which no rename takes.
        (
            "../uit/sub/..",
            Box::new(|s: &Path| std::fs::create_dir_all(s.join("../uit/sub")).unwrap()),
        ),
        // A link to a web server's folder that holds a twn output: the
        // swap would put a folder in the link's place.
        (
            "../koppeling",
            Box::new(|s: &Path| {
                let target = s.join("../www/html");
                std::fs::create_dir_all(target.join("regio")).unwrap();
                std::fs::write(target.join(marker()), "twn").unwrap();
                std::fs::write(target.join("regio/index.html"), "<p>gepubliceerd</p>").unwrap();
                std::os::unix::fs::symlink(&target, s.join("../koppeling")).unwrap();
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
fn twn_replaces_its_own_output_silently() {
    let (_outer, site) = site_in_a_folder_of_its_own();
    // `uitvoer/.` is the same folder; a rename would not take the `.`.
    for out in ["../uitvoer", "../uitvoer/."] {
        let run = twn_in(&site, &["build", "--out", out]);
        assert_eq!(run.code, Some(0), "{out}: {}", run.stderr);
    }
    assert!(site.join("../uitvoer").join(marker()).is_file());
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
        run.stderr.contains("content/werkplaats/meetnet.md:5:15"),
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

#[test]
fn files_beside_pages_never_replace_twns_own_or_run_as_pages_or_scripts() {
    let cases: [(&str, &[u8]); 9] = [
        ("content/static/search.js", b"alert(1)"),
        ("content/zoeken/index.html", b"PWN"),
        ("content/index.html", b"<script>alert(1)</script>"),
        ("content/sitemap.xml", b"<urlset/>"),
        (
            "content/organisatie/borne/kaart.html",
            b"<script>alert(1)</script>",
        ),
        ("content/organisatie/borne/script.js", b"alert(1)"),
        (
            "content/organisatie/borne/kaart.svg",
            b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
        ),
        (
            "content/regio/twents-waternet/organisatie/organogram.svg",
            b"<svg xmlns='http://www.w3.org/2000/svg'/>",
        ),
        ("content/organisatie/almelo/geschiedenis/x.png", b"\x89PNG"),
    ];
    for (file, bytes) in cases {
        let site = TestSite::new();
        site.write_bodies("  - id: team\n    name: Kernteam\n");
        site.build_ok();
        let before = site.public_snapshot();
        site.write_bytes(file, bytes);
        for command in ["check", "build"] {
            let run = site.twn(&[command]);
            assert_eq!(run.code, Some(1), "{file} ({command}):\n{}", run.stderr);
            assert!(
                run.stderr.contains(&format!("--> {file}")),
                "{file}:\n{}",
                run.stderr
            );
            assert!(run.stderr.contains("oplossing:"), "{}", run.stderr);
        }
        assert_eq!(site.public_snapshot(), before, "{file}: public/ untouched");
    }
    // A drawing without scripts is published as it is.
    let site = TestSite::new();
    site.write_bytes(
        "content/organisatie/almelo/kaart.svg",
        b"<svg xmlns='http://www.w3.org/2000/svg'><rect width='1' height='1'/></svg>",
    );
    std::fs::rename(
        site.path("content/organisatie/almelo.md"),
        site.path("content/organisatie/almelo/index.md"),
    )
    .unwrap();
    site.build_ok();
    assert!(site.path("public/organisatie/almelo/kaart.svg").is_file());
}

#[test]
fn only_the_marker_in_the_folder_itself_lets_twn_replace_it() {
    let (outer, site) = site_in_a_folder_of_its_own();
    git(&site, &["init", "-q", "-b", "main"]);
    let out = outer.path("uitvoer");
    // Built once, removed, made again by hand with a file of one's own.
    assert_eq!(
        twn_in(&site, &["build", "--out", "../uitvoer"]).code,
        Some(0)
    );
    std::fs::remove_dir_all(&out).unwrap();
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("scriptie.docx"), "mijn scriptie").unwrap();
    let run = twn_in(&site, &["build", "--out", "../uitvoer"]);
    assert_eq!(
        run.code,
        Some(2),
        "the cache remembering the folder does not count:\n{}",
        run.stderr
    );
    assert!(out.join("scriptie.docx").is_file());
    // A forged manifest in the cache does not count either.
    std::fs::create_dir_all(site.join(".twn-cache")).unwrap();
    std::fs::write(
        site.join(".twn-cache/uitvoer-0.tsv"),
        format!("twn-uitvoer 1\n{}\n", out.display()),
    )
    .unwrap();
    assert_eq!(
        twn_in(&site, &["build", "--out", "../uitvoer"]).code,
        Some(2)
    );
    assert!(out.join("scriptie.docx").is_file());
    // A committed marker in a folder of the repository's own files.
    std::fs::create_dir_all(site.join("docs")).unwrap();
    std::fs::write(site.join("docs/handleiding.txt"), "lees mij").unwrap();
    std::fs::write(site.join("docs").join(marker()), "twn").unwrap();
    git(&site, &["add", "-A"]);
    git(&site, &["commit", "-q", "-m", "docs"]);
    let run = twn_in(&site, &["build", "--out", "docs"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(run.stderr.contains("in git staan"), "{}", run.stderr);
    assert!(site.join("docs/handleiding.txt").is_file());
}

#[test]
fn a_cache_that_is_a_link_or_committed_is_not_used() {
    let (outer, site) = site_in_a_folder_of_its_own();
    let elsewhere = outer.path("ergens");
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, site.join(".twn-cache")).unwrap();
    git(&site, &["init", "-q", "-b", "main"]);
    git(&site, &["add", "-A"]);
    git(&site, &["commit", "-q", "-m", "begin"]);
    let run = twn_in(&site, &["build"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stderr.contains("symbolische koppeling"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_dir(&elsewhere).unwrap().count(),
        0,
        "nothing written through the link"
    );
    // A history cache committed to the repository, with a forged author.
    std::fs::remove_file(site.join(".twn-cache")).unwrap();
    assert_eq!(twn_in(&site, &["build"]).code, Some(0));
    let cache = site.join(".twn-cache/geschiedenis.json");
    let forged = std::fs::read_to_string(&cache)
        .unwrap()
        .replace("\"Test\"", "\"VERVALST\"");
    std::fs::write(&cache, forged).unwrap();
    git(&site, &["add", "-f", ".twn-cache/geschiedenis.json"]);
    git(&site, &["commit", "-q", "-m", "cache erbij"]);
    let run = twn_in(&site, &["build"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stderr.contains("staat in git"), "{}", run.stderr);
    let recent =
        std::fs::read_to_string(site.join("public/recente-wijzigingen/index.html")).unwrap();
    assert!(!recent.contains("VERVALST"), "{recent}");
}

#[test]
fn a_theme_or_content_folder_that_is_a_link_is_an_error() {
    for folder in ["themes/default/static", "themes/default", "content"] {
        let (outer, site) = site_in_a_folder_of_its_own();
        let secret = outer.path("geheim");
        std::fs::create_dir_all(&secret).unwrap();
        std::fs::write(secret.join("id_rsa"), "GEHEIM").unwrap();
        let real = site.join(folder);
        common::copy_dir(&real, &secret);
        std::fs::remove_dir_all(&real).unwrap();
        std::os::unix::fs::symlink(&secret, &real).unwrap();
        let run = twn_in(&site, &["build"]);
        assert_eq!(run.code, Some(1), "{folder}:\n{}", run.stderr);
        assert!(
            run.stderr.contains("symbolische koppeling"),
            "{}",
            run.stderr
        );
        assert!(!site.join("public").exists(), "{folder}: nothing published");
    }
}

#[test]
fn a_build_killed_midway_leaves_nothing_behind_for_long() {
    let site = TestSite::new();
    let stale = site.path(".public.staging-999999999");
    std::fs::create_dir_all(stale.join("regio")).unwrap();
    site.build_ok();
    assert!(!stale.exists());
}

#[test]
fn the_command_line_speaks_dutch() {
    let site = TestSite::new();
    let help = site.twn(&["--help"]);
    assert_eq!(help.code, Some(0));
    for english in ["Usage", "Options", "Print help", "[default", "Commands"] {
        assert!(!help.stdout.contains(english), "{english}: {}", help.stdout);
    }
    assert!(
        help.stdout.contains("Gebruik: twn [opties] <commando>"),
        "{}",
        help.stdout
    );
    // What a command's help offers is what it takes.
    let init = site.twn(&["init", "--help"]);
    assert_eq!(init.code, Some(0), "{}", init.stderr);
    assert!(
        init.stdout.contains("twn init [opties] <MAP>"),
        "{}",
        init.stdout
    );
    assert!(!init.stdout.contains("--root"), "{}", init.stdout);
    let new = site.twn(&["new", "--help"]);
    assert_eq!(new.code, Some(0), "{}", new.stderr);
    assert!(new.stdout.contains("--root"), "{}", new.stdout);
    assert!(new.stdout.contains("--veld"), "{}", new.stdout);
    assert!(
        !new.stdout.contains("werkplaats"),
        "init's site has none: {}",
        new.stdout
    );
    for (args, expected) in [
        (&["bouw"][..], "onbekend commando `bouw`"),
        (&["build", "--onbekend"], "onbekende optie `--onbekend`"),
        (&["build", "--out", "a", "--out", "b"], "mag maar één keer"),
        (&["serve", "--port", "abc"], "`abc` is geen geldige waarde"),
        (&["new"], "dit ontbreekt nog"),
    ] {
        let run = site.twn(args);
        assert_eq!(run.code, Some(2), "{args:?}");
        assert!(run.stderr.contains(expected), "{args:?}: {}", run.stderr);
        assert!(!run.stderr.contains("error:"), "{args:?}: {}", run.stderr);
    }
}

#[test]
fn serve_does_not_redirect_to_another_host_or_trust_a_second_host_header() {
    let site = TestSite::new();
    let server = common::server::start(&site);
    common::server::wait_for(&server, "/", 200);
    let (status, response) = common::server::raw(
        &server,
        &format!(
            "GET //organisatie HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            server.address
        ),
    );
    assert_eq!(status, 301, "{response}");
    assert!(
        response.contains("location: /organisatie/\r\n"),
        "{response}"
    );
    let (status, _) = common::server::raw(
        &server,
        &format!(
            "GET / HTTP/1.1\r\nHost: {}\r\nHost: evil.example\r\nConnection: close\r\n\r\n",
            server.address
        ),
    );
    assert_eq!(status, 421);
}

/// The cached old versions below `.twn-cache/revisions/` (which the
/// summary counts, unlike history pages).
fn cached_revision_pages(site: &TestSite) -> Vec<PathBuf> {
    let mut pages: Vec<PathBuf> = walkdir::WalkDir::new(site.path(".twn-cache/revisions"))
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .filter(|p| {
            std::fs::read_to_string(p).is_ok_and(|page| page.contains("U bekijkt een oude versie"))
        })
        .collect();
    pages.sort();
    pages
}

fn rendered_anew(run: &common::Run) -> String {
    let all = format!("{}{}", run.stdout, run.stderr);
    let start = all.find(" nieuw").expect("the summary line");
    let digits = all[..start].rsplit(|c: char| !c.is_ascii_digit()).next();
    digits.unwrap_or_default().to_owned()
}

#[test]
fn a_cached_page_that_is_a_link_empty_or_gone_is_rendered_again() {
    let site = common::history::site_with_history();
    site.build_ok();
    let first = site.public_snapshot();
    let cached = cached_revision_pages(&site);
    assert!(cached.len() >= 3, "{cached:?}");
    // A link planted in the cache could lead to any file on the machine.
    let secret = site.path("geheim.txt");
    std::fs::write(&secret, "GEHEIM").unwrap();
    std::fs::remove_file(&cached[0]).unwrap();
    std::os::unix::fs::symlink(&secret, &cached[0]).unwrap();
    // A page cut short (a new file: the old one is linked into public/),
    // and one removed by hand.
    std::fs::remove_file(&cached[1]).unwrap();
    std::fs::write(&cached[1], "").unwrap();
    std::fs::remove_file(&cached[2]).unwrap();
    let run = site.build_ok();
    assert_eq!(rendered_anew(&run), "3", "{}", run.stdout);
    let now = site.public_snapshot();
    let differing = common::paths_that_differ(&first, &now);
    assert!(
        differing.is_empty(),
        "the same output as before: {differing:?}"
    );
    for entry in walkdir::WalkDir::new(site.path("public")) {
        let entry = entry.unwrap();
        assert!(!entry.path_is_symlink(), "{}", entry.path().display());
    }
    assert_eq!(
        cached_revision_pages(&site),
        cached,
        "the cache holds the pages rendered again, as files"
    );
    assert!(cached.iter().all(|p| !p.is_symlink()));
    // With compressed copies, a page whose .gz is gone is made again too.
    let config = site.read("twn.yaml");
    site.write("twn.yaml", &format!("{config}\nprecompress: true\n"));
    site.build_ok();
    let page = cached_revision_pages(&site)
        .into_iter()
        .find(|page| page.with_extension("html.gz").is_file())
        .expect("a cached page with compressed copies");
    std::fs::remove_file(page.with_extension("html.gz")).unwrap();
    let run = site.build_ok();
    assert_eq!(rendered_anew(&run), "1", "{}", run.stdout);
    assert!(page.with_extension("html.gz").is_file());
}

#[test]
fn a_page_cut_short_in_the_cache_listed_or_not_is_rendered_again() {
    let site = common::history::site_with_history();
    site.build_ok();
    let first = site.public_snapshot();
    let list = site.path(".twn-cache/revisions/opgeslagen.txt");
    let listed_line = |key: &str| {
        std::fs::read_to_string(&list)
            .unwrap()
            .lines()
            .any(|line| line.starts_with(&format!("{key}\t")))
    };
    let pages = cached_revision_pages(&site);
    for (page, unlist) in [(&pages[0], true), (&pages[1], false)] {
        let whole = std::fs::read(page).unwrap();
        let key = format!(
            "{}{}",
            page.parent()
                .unwrap()
                .file_name()
                .unwrap()
                .to_string_lossy(),
            page.file_stem().unwrap().to_string_lossy()
        );
        assert!(listed_line(&key), "{key} is listed");
        // Half the page under its own name: a build stopped while writing
        // it (and so before listing it), or one that rewrote it after the
        // cache was removed under a build that had read the list before.
        std::fs::remove_file(page).unwrap();
        std::fs::write(page, &whole[..whole.len() / 2]).unwrap();
        if unlist {
            let kept: String = std::fs::read_to_string(&list)
                .unwrap()
                .lines()
                .filter(|line| !line.starts_with(&key))
                .map(|line| format!("{line}\n"))
                .collect();
            std::fs::write(&list, kept).unwrap();
        }
        // Without the previous output, every old version comes from the cache.
        std::fs::remove_dir_all(site.path("public")).unwrap();
        let run = site.build_ok();
        assert_eq!(rendered_anew(&run), "1", "{}", run.stdout);
        assert_eq!(site.public_snapshot(), first, "the same output as before");
        assert_eq!(
            std::fs::read(page).unwrap(),
            whole,
            "the cache holds it whole"
        );
        assert!(listed_line(&key), "{key} listed again");
    }
}

/// A file system mounted at or inside the output folder (a share of media
/// files at `public/media`): a build would empty it when it removes the
/// previous output, so the folder is refused before anything is written.
/// Mounts are made in a namespace of the test's own (`unshare`); where the
/// system allows none, there is nothing to try.
#[test]
fn an_output_folder_with_a_file_system_mounted_in_it_is_refused() {
    if !std::process::Command::new("unshare")
        .args(["-Urm", "true"])
        .status()
        .is_ok_and(|s| s.success())
    {
        eprintln!("unshare -Urm is not allowed here: no mount to try");
        return;
    }
    let (outer, site) = site_in_a_folder_of_its_own();
    assert_eq!(twn_in(&site, &["build"]).code, Some(0));
    let share = outer.path("gedeeld");
    std::fs::create_dir_all(&share).unwrap();
    std::fs::write(share.join("foto.jpg"), "van de gebruiker").unwrap();
    std::fs::create_dir_all(site.join("public/media")).unwrap();
    let files_in_public = || {
        walkdir::WalkDir::new(site.join("public"))
            .into_iter()
            .filter_map(Result::ok)
            .map(|e| e.path().to_path_buf())
            .collect::<Vec<_>>()
    };
    let before = files_in_public();
    let twn = assert_cmd::cargo::cargo_bin("twn");
    for (mount, expected) in [
        (
            "mount --bind ../gedeeld public/media",
            "public/media aangekoppeld",
        ),
        ("mount -t tmpfs none public", "is een koppelpunt"),
    ] {
        let script = format!("{mount} && exec '{}' build", twn.display());
        let run = std::process::Command::new("unshare")
            .args(["-Urm", "sh", "-c", &script])
            .current_dir(&site)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{mount}: {stderr}");
        assert!(stderr.contains(expected), "{mount}: {stderr}");
        assert_eq!(
            std::fs::read_to_string(share.join("foto.jpg")).unwrap(),
            "van de gebruiker"
        );
        assert_eq!(files_in_public(), before, "{mount}");
    }
}
