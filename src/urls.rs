//! URLs and paths below the site, decided in one place: which relative
//! paths an output file may have, what an alias from front matter means,
//! and which link URLs from content may reach a page. Everything here is
//! checked on text, before any path touches the file system.

use crate::slug::slugify;

/// Why a path or URL is refused, and how to fix it, in an editor's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub message: String,
    pub help: String,
}

fn refused(message: impl Into<String>, help: impl Into<String>) -> Refused {
    Refused {
        message: message.into(),
        help: help.into(),
    }
}

// The URL scheme: the folders and files twn writes itself, in one place.
// Folders end in `/`, as they are joined to a page's URL.
pub const STATIC_DIR: &str = "static/";
pub const SEARCH_DIR: &str = "zoeken/";
pub const RECENT_DIR: &str = "recente-wijzigingen/";
/// The Atom feed of recent changes, in [`RECENT_DIR`].
pub const FEED_FILE: &str = "atom.xml";
pub const AUTHORS_DIR: &str = "auteurs/";
/// Below a page: its revisions, its old versions and their diffs.
pub const HISTORY_DIR: &str = "geschiedenis/";
pub const VERSION_DIR: &str = "versie/";
pub const DIFF_DIR: &str = "verschil/";
/// Below a page: its organisation chart, and the drawing as a file.
pub const CHART_DIR: &str = "organisatie/";
pub const CHART_FILE: &str = "organogram.svg";
/// File systems and hosts allow names of 255 bytes; twn's own suffixes
/// need some of that.
pub const MAX_NAME_BYTES: usize = 200;

/// Top-level folders twn writes itself, with what each holds; no page,
/// alias or file beside a page may take them.
pub const RESERVED_TOP: [(&str, &str); 4] = [
    (STATIC_DIR, "de bestanden van het thema"),
    (SEARCH_DIR, "de zoekpagina"),
    (RECENT_DIR, "de recente wijzigingen"),
    (AUTHORS_DIR, "de lijst van auteurs"),
];

/// What twn keeps in the top-level folder `name`, if it is one of its own.
pub fn reserved_top(name: &str) -> Option<&'static str> {
    RESERVED_TOP
        .iter()
        .find(|(reserved, _)| reserved.strip_suffix('/') == Some(name))
        .map(|(_, what)| *what)
}

/// Folders twn writes below every page (history, old versions, diffs).
pub const RESERVED_BELOW_PAGE: [&str; 3] = [HISTORY_DIR, VERSION_DIR, DIFF_DIR];

/// Whether `name` (a folder name, without `/`) is one twn writes below every page.
pub fn reserved_below_page(name: &str) -> bool {
    RESERVED_BELOW_PAGE
        .iter()
        .any(|reserved| reserved.strip_suffix('/') == Some(name))
}

/// Below a list that is split over pages: page 2 onwards.
pub const LIST_PAGE_DIR: &str = "pagina/";

/// The address of page `number` (from 1) of the list at `path`: the list's
/// own address for the first.
pub fn list_page_path(path: &str, number: usize) -> String {
    if number <= 1 {
        path.to_owned()
    } else {
        format!("{path}{LIST_PAGE_DIR}{number}/")
    }
}

/// The address of an author's page below the base.
pub fn author_path(name: &str) -> String {
    let mut slug = slugify(name);
    // Slugs are ASCII: any byte is a character boundary.
    slug.truncate(MAX_NAME_BYTES);
    let slug = slug.trim_end_matches('-');
    let slug = if slug.is_empty() { "onbekend" } else { slug };
    format!("{AUTHORS_DIR}{slug}/")
}

/// Checks a path below the output folder: `/` between plain names, an
/// optional `/` at the end for a folder. Nothing absolute, no `.` or `..`,
/// no backslash, drive letter, control character or empty name: joined to
/// the output folder, it can only name something inside it.
pub fn check_output_path(path: &str) -> Result<(), Refused> {
    let fix = "dit pad komt uit de inhoud of het thema; geef het bestand of de map een naam met alleen letters, cijfers, `-`, `_` en `.`";
    let inner = path.strip_suffix('/').unwrap_or(path);
    if inner.is_empty() {
        return Err(refused("een leeg pad in de uitvoer", fix));
    }
    for segment in inner.split('/') {
        let bad = segment.is_empty()
            || segment == "."
            || segment == ".."
            || segment.contains(['\\', ':'])
            || segment.chars().any(char::is_control);
        if bad {
            return Err(refused(
                format!(
                    "het pad `{}` zou buiten de uitvoermap kunnen komen",
                    path.escape_debug()
                ),
                fix,
            ));
        }
    }
    Ok(())
}

/// The URL path (below the site's base, without slashes at either end)
/// that an alias from front matter names, e.g. `/oud/Twents Waternet/` →
/// `oud/twents-waternet`. Refuses anything that is not a plain path on
/// this site or that would take a place twn writes itself.
pub fn alias_url_path(alias: &str) -> Result<String, Refused> {
    const EXAMPLE: &str = "schrijf het oude pad op deze site, bijvoorbeeld `/oud/twents-waternet/`";
    let alias = alias.trim();
    if alias.is_empty() {
        return Err(refused("een lege alias", EXAMPLE));
    }
    let bytes = alias.as_bytes();
    if is_drive(alias) && bytes.get(2).is_none_or(|b| matches!(b, b'/' | b'\\')) {
        return Err(refused(
            format!(
                "de alias `{alias}` is een pad op een schijf (`{}`), niet op deze site",
                &alias[..2]
            ),
            EXAMPLE,
        ));
    }
    if scheme_of(alias).is_some() || alias.starts_with("//") {
        return Err(refused(
            format!(
                "de alias `{alias}` is een volledig webadres; een alias is een oud pad op deze site"
            ),
            EXAMPLE,
        ));
    }
    if alias.contains('\\') {
        return Err(refused(
            format!("de alias `{alias}` bevat een backslash (`\\`)"),
            format!("gebruik `/` tussen de delen van het pad; {EXAMPLE}"),
        ));
    }
    let Some(decoded) = percent_decode(alias) else {
        return Err(refused(
            format!("de alias `{alias}` bevat een `%` die geen geldige codering is"),
            format!("schrijf de tekens zelf in plaats van `%..`; {EXAMPLE}"),
        ));
    };
    if decoded.contains('%') || decoded.contains('\\') {
        return Err(refused(
            format!("de alias `{alias}` is dubbel gecodeerd"),
            format!("schrijf de tekens zelf in plaats van `%..`; {EXAMPLE}"),
        ));
    }
    if decoded.chars().any(char::is_control) {
        return Err(refused(
            format!(
                "de alias `{}` bevat een onzichtbaar stuurteken",
                alias.escape_debug()
            ),
            format!("typ de alias opnieuw; {EXAMPLE}"),
        ));
    }
    if decoded.contains(['?', '#']) {
        return Err(refused(
            format!(
                "de alias `{alias}` bevat `?` of `#`; een statische host kan daarop niet doorverwijzen"
            ),
            EXAMPLE,
        ));
    }
    let mut segments = Vec::new();
    for segment in decoded.split('/').filter(|s| !s.is_empty()) {
        if segment == "." || segment == ".." {
            return Err(refused(
                format!(
                    "de alias `{alias}` bevat `{segment}`; een alias kan niet naar een bovenliggende map wijzen"
                ),
                format!("laat `{segment}` weg; {EXAMPLE}"),
            ));
        }
        let slug = slugify(segment);
        if slug.len() > MAX_NAME_BYTES {
            return Err(refused(
                format!("een deel van de alias `{alias}` is te lang voor een adres"),
                format!("hoogstens {} tekens per deel; {EXAMPLE}", MAX_NAME_BYTES),
            ));
        }
        if slug.is_empty() {
            return Err(refused(
                format!(
                    "het deel `{segment}` van de alias `{alias}` heeft geen letters of cijfers"
                ),
                EXAMPLE,
            ));
        }
        segments.push(slug);
    }
    let Some(first) = segments.first() else {
        return Err(refused(
            format!("de alias `{alias}` is de startpagina"),
            "de startpagina kan geen oud adres van een andere pagina zijn; verwijder de alias",
        ));
    };
    if reserved_top(first).is_some() {
        return Err(refused(
            format!("de alias `{alias}` valt in `/{first}/`, waar twn zelf pagina's schrijft"),
            "kies een ander oud pad of verwijder de alias",
        ));
    }
    if let Some(taken) = segments.iter().find(|s| reserved_below_page(s)) {
        return Err(refused(
            format!(
                "de alias `{alias}` bevat `{taken}`, de map van de geschiedenis van een pagina"
            ),
            "kies een ander oud pad of verwijder de alias",
        ));
    }
    Ok(segments.join("/"))
}

fn is_drive(segment: &str) -> bool {
    let bytes = segment.as_bytes();
    bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':'
}

/// Where a URL from content is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlUse {
    Link,
    Image,
}

/// Why a link or image URL from content may not reach a page, if it may
/// not: only http(s), mailto, tel, relative URLs and fragments leave
/// Markdown, and `data:image/…` only as an image.
pub fn refused_url(url: &str, usage: UrlUse) -> Option<Refused> {
    let scheme = scheme_of(url)?;
    let allowed = match scheme.as_str() {
        "http" | "https" => true,
        "mailto" | "tel" => usage == UrlUse::Link,
        "data" => usage == UrlUse::Image && is_data_image(url),
        _ => false,
    };
    if allowed {
        return None;
    }
    let what = match usage {
        UrlUse::Link => "link",
        UrlUse::Image => "afbeelding",
    };
    Some(refused(
        format!("deze {what} gebruikt `{scheme}:`, wat niet op een pagina mag"),
        match usage {
            UrlUse::Link => {
                "een link gaat naar een webadres (`https://…`), een e-mailadres (`mailto:…`), een telefoonnummer (`tel:…`), een pagina (`[[Titel]]`) of een kop (`#kop`); verwijder of vervang deze link"
            }
            UrlUse::Image => {
                "een afbeelding komt van een webadres (`https://…`) of is een bestand naast de pagina (`kaart.png`); verwijder of vervang deze afbeelding"
            }
        },
    ))
}

/// The scheme of a URL as a browser reads it (lower case), if it has one:
/// leading spaces and control characters are dropped and tabs and newlines
/// removed first, as the URL standard says, so `" Java\tScript:"` is one.
pub fn scheme_of(url: &str) -> Option<String> {
    let cleaned: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let colon = cleaned.find(':')?;
    let scheme = &cleaned[..colon];
    let mut chars = scheme.chars();
    let starts_with_letter = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let rest_valid = chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    (starts_with_letter && rest_valid).then(|| scheme.to_ascii_lowercase())
}

fn is_data_image(url: &str) -> bool {
    let cleaned: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .take(11)
        .collect();
    cleaned.eq_ignore_ascii_case("data:image/")
}

/// Whether a setting (`base_url`, `edit_url`) is an http(s) address.
pub fn is_web_address(url: &str) -> bool {
    matches!(scheme_of(url).as_deref(), Some("http" | "https"))
        && !url.trim().contains(char::is_whitespace)
}

/// `text` with `%XX` decoded, if every `%` starts a valid code and the
/// result is UTF-8.
pub fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// A path for use in a URL: every byte but unreserved ones and `/`
/// percent-encoded, so a file name with spaces, `?`, `#` or quotes stays
/// one path.
pub fn encode_path(path: &str) -> String {
    let mut encoded = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_paths_stay_inside() {
        for good in [
            "index.html",
            "regio/a/index.html",
            "regio/a/versie/",
            "static/style.css",
        ] {
            assert_eq!(check_output_path(good), Ok(()), "{good}");
        }
        for bad in [
            "",
            "/",
            "/etc/passwd",
            "../x",
            "a/../../x",
            "a//b",
            "./a",
            "a\\..\\b",
            "C:/x",
            "a/b:c",
            "a\0b",
            "a/\u{7}/b",
        ] {
            assert!(check_output_path(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn aliases_are_normalised_or_refused() {
        assert_eq!(
            alias_url_path("/oud/Twents Waternet/").as_deref(),
            Ok("oud/twents-waternet")
        );
        assert_eq!(
            alias_url_path("oud/co%C3%B6peratie").as_deref(),
            Ok("oud/cooperatie")
        );
        for bad in [
            "/../esc-a/",
            "/../../../tmp/x",
            "a/./b",
            "%2e%2e/x",
            "%2E%2E%2Fx",
            "%252e%252e/x",
            "a\\b",
            "C:/Windows",
            "https://evil.example/",
            "//evil.example/x",
            "javascript:alert(1)",
            "a%00b",
            "/",
            "",
            "/static/x",
            "/zoeken/",
            "regio/a/geschiedenis",
            "a?b",
            "a#b",
            "%zz",
            "/!!!/",
        ] {
            assert!(alias_url_path(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn only_web_mail_phone_relative_and_fragment_links_pass() {
        for good in [
            "https://x.nl",
            "HTTP://x.nl",
            "mailto:a@b.nl",
            "tel:+31",
            "../a.md",
            "#kop",
            "a/b",
            "//x.nl/a",
            "javascript%3Aalert(1)",
            "?q=1",
        ] {
            assert_eq!(refused_url(good, UrlUse::Link), None, "{good}");
        }
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " javascript:x",
            "java\tscript:x",
            "\u{1}javascript:x",
            "vbscript:x",
            "data:text/html,<script>",
            "data:image/png;base64,AA",
            "file:///etc/passwd",
        ] {
            assert!(refused_url(bad, UrlUse::Link).is_some(), "{bad:?}");
        }
        assert_eq!(refused_url("data:image/png;base64,AA", UrlUse::Image), None);
        assert!(refused_url("data:text/html,x", UrlUse::Image).is_some());
        assert!(refused_url("mailto:a@b.nl", UrlUse::Image).is_some());
    }

    #[test]
    fn paths_are_encoded_for_urls() {
        assert_eq!(
            encode_path("content/a b/c#d?.md"),
            "content/a%20b/c%23d%3F.md"
        );
        assert_eq!(encode_path("content/coöp.md"), "content/co%C3%B6p.md");
    }
}
