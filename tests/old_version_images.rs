//! An old version shows the images it had, also those deleted since: no
//! old version points at a file that is not there.

mod common;
use base64::Engine;
use common::{TestSite, git};

const BORNE: &str = "content/organisatie/borne.md";
const PLACEHOLDER: &str = "/static/afbeelding-weg.svg";

/// The `src` of every image in `html`, in order.
fn image_sources(html: &str) -> Vec<String> {
    html.split("<img ")
        .skip(1)
        .map(|img| {
            let src = img.split("src=\"").nth(1).expect("an image has a src");
            src[..src.find('"').unwrap()].to_owned()
        })
        .collect()
}

/// Borne's page with images, in its text and in a Markdown field,
/// committed; then the images it named deleted with the lines that showed
/// them, all but the logo. Returns the commit of the old version and the
/// bytes of the small picture.
fn borne_loses_its_images(site: &TestSite) -> (String, Vec<u8>) {
    let config = site.read("twn.yaml").replace(
        "      website: { type: url, label: Website }\n",
        "      website: { type: url, label: Website }\n      toelichting: { type: markdown, label: Toelichting }\n",
    );
    assert!(config.contains("toelichting"));
    site.write("twn.yaml", &config);
    let editor = ("Redactie", "redactie@example.org");
    let map = [b"\x89PNG\r\n\x1a\n".as_slice(), b"een kleine kaart"].concat();
    // Larger than is worth repeating in every old version.
    let mut photo = b"\xFF\xD8\xFF\xE0".to_vec();
    photo.resize(300 * 1024, b'x');
    site.write_bytes("content/organisatie/borne/kaart.png", &map);
    site.write_bytes("content/organisatie/borne/luchtfoto.jpg", &photo);
    site.write(
        "content/organisatie/borne/schets.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>",
    );
    site.write_bytes("content/organisatie/borne/logo.png", &map);
    site.write_bytes("content/organisatie/borne/wapen.gif", b"GIF89a wapen");
    // Never published, so not shown from git either.
    site.write_bytes("content/organisatie/borne/.verborgen/foto.png", &map);
    let text = site.read(BORNE);
    let images = "![Kaart van Borne](kaart.png)\n\n![Luchtfoto](luchtfoto.jpg)\n\n\
                  ![Schets](schets.svg)\n\n![Verborgen](.verborgen/foto.png)\n\n\
                  ![Logo](logo.png)\n";
    let with_field = text.replacen(
        "type: gemeente\n",
        "type: gemeente\ntoelichting: \"Het wapen: ![Wapen van Borne](wapen.gif)\"\n",
        1,
    );
    site.write(BORNE, &format!("{with_field}\n{images}"));
    site.commit_all("Afbeeldingen erbij", editor, "2025-05-01T10:00:00+02:00");
    let old = git(site.dir.path(), &["rev-parse", "--short=7", "HEAD"]);
    for gone in [
        "kaart.png",
        "luchtfoto.jpg",
        "schets.svg",
        "wapen.gif",
        ".verborgen/foto.png",
    ] {
        git(
            site.dir.path(),
            &["rm", "-q", &format!("content/organisatie/borne/{gone}")],
        );
    }
    site.write(BORNE, &format!("{text}\n![Logo](logo.png)\n"));
    site.commit_all("Oude afbeeldingen weg", editor, "2025-06-01T10:00:00+02:00");
    (old.trim().to_owned(), map)
}

#[test]
fn an_old_version_shows_a_deleted_image_as_it_was_or_the_themes_picture() {
    let site = TestSite::example_in_git();
    let (old, map) = borne_loses_its_images(&site);
    site.build_ok();
    let version = site.read(&format!("public/organisatie/borne/versie/{old}/index.html"));
    let inline = format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(&map)
    );
    let (body, field): (Vec<_>, Vec<_>) = image_sources(&version)
        .into_iter()
        .partition(|src| !src.starts_with("data:image/gif"));
    assert_eq!(
        body,
        [
            inline.as_str(),
            PLACEHOLDER,
            PLACEHOLDER,
            PLACEHOLDER,
            "/organisatie/borne/logo.png"
        ],
        "as it was; too large; an SVG, never inline; hidden; still there"
    );
    assert_eq!(
        field,
        ["data:image/gif;base64,R0lGODlhIHdhcGVu"],
        "in the field"
    );
    assert!(version.contains(r#"alt="Kaart van Borne""#));
    assert!(site.path("public/static/afbeelding-weg.svg").is_file());
    assert!(!version.contains("<script>alert"));
    // Every image of every page twn wrote is there to be shown.
    for entry in walkdir::WalkDir::new(site.path("public")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = std::fs::read_to_string(entry.path()).unwrap();
        for src in image_sources(&html) {
            let found = src.starts_with("data:image/")
                || src.starts_with('/') && site.path(&format!("public{src}")).is_file();
            assert!(found, "{}: <img src=\"{src}\">", entry.path().display());
        }
    }
    // The same from the cache, in a second build.
    let second = site.build_ok();
    assert!(second.stderr.contains("0 nieuw"), "{}", second.stderr);
    assert_eq!(
        site.read(&format!("public/organisatie/borne/versie/{old}/index.html")),
        version
    );
}

/// A theme made before it had the picture keeps a deleted image that git
/// cannot show inline as written, and still shows the others.
#[test]
fn a_theme_without_the_picture_keeps_such_an_image_as_written() {
    let site = TestSite::example_in_git();
    std::fs::remove_file(site.path("themes/default/static/afbeelding-weg.svg")).unwrap();
    let (old, _) = borne_loses_its_images(&site);
    site.build_ok();
    let version = site.read(&format!("public/organisatie/borne/versie/{old}/index.html"));
    let sources = image_sources(&version);
    assert!(
        sources[0].starts_with("data:image/gif;base64,"),
        "{sources:?}"
    );
    assert!(
        sources[1].starts_with("data:image/png;base64,"),
        "{sources:?}"
    );
    assert_eq!(
        sources[2..5],
        ["luchtfoto.jpg", "schets.svg", ".verborgen/foto.png"]
    );
}

/// An image named many times is inline only while the version's budget
/// lasts: a small page cannot make a version of hundreds of megabytes.
#[test]
fn one_version_holds_at_most_a_megabyte_inline() {
    let site = TestSite::example_in_git();
    let mut photo = b"\x89PNG\r\n\x1a\n".to_vec();
    photo.resize(200 * 1024, b'x');
    site.write_bytes("content/organisatie/borne/foto.png", &photo);
    let text = site.read(BORNE);
    site.write(
        BORNE,
        &format!("{text}\n{}", "![Foto](foto.png)\n\n".repeat(40)),
    );
    site.commit_all(
        "Veel foto's",
        ("Redactie", "r@example.org"),
        "2025-05-01T10:00:00+02:00",
    );
    let old = git(site.dir.path(), &["rev-parse", "--short=7", "HEAD"]);
    git(
        site.dir.path(),
        &["rm", "-q", "content/organisatie/borne/foto.png"],
    );
    site.write(BORNE, &text);
    site.commit_all(
        "Foto's weg",
        ("Redactie", "r@example.org"),
        "2025-06-01T10:00:00+02:00",
    );
    site.build_ok();
    let version = site.read(&format!(
        "public/organisatie/borne/versie/{}/index.html",
        old.trim()
    ));
    let sources = image_sources(&version);
    assert_eq!(sources.len(), 40);
    let inline = sources.iter().filter(|s| s.starts_with("data:")).count();
    assert!((1..=5).contains(&inline), "{inline} inline");
    assert!(sources[inline..].iter().all(|s| s == PLACEHOLDER));
    assert!(version.len() < 1_200_000, "{} bytes", version.len());
}
