//! Editing in the browser without JavaScript: `twn serve`'s form posted as
//! a plain browser posts it, on a real server, into a real git repository.
//! A broken reference is reported at its field; saving writes the file and
//! committing records it with the editor's summary and name.

mod common;

use common::TestSite;
use common::form::{Form, post, upload};
use common::server::{self, Server, get};

const PAGE: &str = "content/regio/twents-waternet.md";
const EDIT: &str = "/bewerken/regio/twents-waternet/";

fn site() -> TestSite {
    TestSite::example_in_git()
}

/// The form after `button`, which posts it and comes back.
fn again(server: &Server, form: &Form, button: &str) -> (Form, String) {
    let (status, page) = form.submit(server, button);
    assert_eq!(status, 200, "{page}");
    (Form::read(&page), page)
}

#[test]
fn an_editor_changes_fields_the_body_and_the_chart_and_commits_without_javascript() {
    let site = site();
    let server = server::start(&site);
    let edit = Form::open(&server, EDIT);
    assert_eq!(edit.get("f.title"), Some("Twents Waternet"));
    assert_eq!(edit.get("f.partners[1]"), Some("vitens"));

    // A partner more: the list gets an empty item to fill in.
    let (mut edited, _) = again(&server, &edit, "erbij:f.partners");
    assert_eq!(edited.get("f.partners[2]"), Some(""));
    edited.set("f.partners[2]", "stichting-pioneerng");
    // A relation more for the adviesgroep (the fourth body).
    assert_eq!(edited.get("f.bodies[3].id"), Some("ambtelijke-adviesgroep"));
    let (mut edited, _) = again(&server, &edited, "erbij:f.bodies[3].relations");
    edited
        .set("f.bodies[3].relations[2].type", "adviseert")
        .set("f.bodies[3].relations[2].to", "bestuurlijk-platform")
        .set("f.motto", "Samen voor schoon water in Twente");
    let body = edited.get("tekst").unwrap().replace(
        "Daarbij werken de vier O's samen",
        "Daarbij werken de vier O's nauw samen",
    );
    edited.set("tekst", &body);

    // The misspelt partner is reported at its field, as `twn check` says it.
    let (mut edited, page) = again(&server, &edited, "controleren");
    assert!(
        page.contains("<div class=\"field-error\" id=\"veld-partners-2-fout\"><p>verwijzing naar een organisatie-pagina die niet bestaat: `stichting-pioneerng`"),
        "{page}"
    );
    assert!(page.contains("id=\"veld-partners-2\" name=\"f.partners[2]\" value=\"stichting-pioneerng\" list=\"keuzes-organisatie\" autocomplete=\"off\" aria-invalid=\"true\" aria-describedby=\"veld-partners-2-fout\""), "{page}");
    assert!(
        page.contains("<a href=\"#veld-partners-2\">Partners 3</a>"),
        "the summary links to the field: {page}"
    );
    // Saving with the error is refused unless asked for.
    let before = site.read(PAGE);
    let (_, page) = again(&server, &edited, "opslaan");
    assert!(page.contains("name=\"ondanks\""), "{page}");
    assert_eq!(site.read(PAGE), before, "nothing saved with an error");

    edited.set("f.partners[2]", "stichting-pioneering");
    edited
        .set("samenvatting", "Motto, partner en adviesgroep bijgewerkt")
        .set("naam", "Els de Boer")
        .set("email", "els@example.org");
    let (status, answer) = edited.submit(&server, "vastleggen");
    assert_eq!(status, 303, "{answer}");
    assert!(
        answer.contains("location: /regio/twents-waternet/"),
        "{answer}"
    );

    let saved = site.read(PAGE);
    assert!(
        saved.contains("motto: Samen voor schoon water in Twente\n"),
        "{saved}"
    );
    assert!(
        saved.contains("partners: [provincie-overijssel, vitens, stichting-pioneering]\n"),
        "{saved}"
    );
    assert!(saved.contains("      - { type: ondersteunt, to: bestuurlijk-kernteam }\n      - type: adviseert\n        to: bestuurlijk-platform\n"), "{saved}");
    assert!(
        saved.contains("Daarbij werken de vier O's nauw samen"),
        "{saved}"
    );
    let diff = site.git(&["diff", "HEAD~1", "--stat"]);
    assert!(
        diff.contains("1 file changed"),
        "only the page is committed: {diff}"
    );
    assert_eq!(
        site.git(&["log", "-1", "--format=%s|%an|%ae"]).trim(),
        "Motto, partner en adviesgroep bijgewerkt|Els de Boer|els@example.org"
    );
    assert!(
        site.git(&["status", "--porcelain"]).trim().is_empty(),
        "the work tree is clean"
    );

    // The preview shows it, and so does a build, with its history entry.
    let history = server::wait_for(&server, "/regio/twents-waternet/geschiedenis/", 200);
    assert!(
        history.contains("Motto, partner en adviesgroep bijgewerkt"),
        "{history}"
    );
    drop(server);
    site.build_ok();
    let built = site.read("public/regio/twents-waternet/index.html");
    assert!(built.contains("Samen voor schoon water in Twente"));
    assert!(
        built.contains("Stichting Pioneering"),
        "the new partner is named"
    );
    let history = site.read("public/regio/twents-waternet/geschiedenis/index.html");
    assert!(
        history.contains("Motto, partner en adviesgroep bijgewerkt")
            && history.contains("Els de Boer")
    );
    assert!(
        !history.contains("els@example.org"),
        "no e-mail address is published"
    );
}

#[test]
fn saving_an_unchanged_form_leaves_the_file_byte_for_byte_and_crlf_and_bom_stay() {
    let site = site();
    let text = site.read(PAGE);
    let crlf = format!("\u{feff}{}", text.replace('\n', "\r\n"));
    site.write(PAGE, &crlf);
    let server = server::start(&site);
    let edit = Form::open(&server, EDIT);
    let (status, answer) = edit.submit(&server, "opslaan");
    assert_eq!(status, 303, "{answer}");
    assert_eq!(site.read(PAGE), crlf, "nothing changed, nothing rewritten");

    let mut edit = Form::open(&server, EDIT);
    edit.set("f.motto", "Water verbindt");
    let (status, answer) = edit.submit(&server, "opslaan");
    assert_eq!(status, 303, "{answer}");
    let saved = site.read(PAGE);
    let motto = "motto: Twents water verbindt, van waterwinst naar waterbewustzijn";
    assert_eq!(
        saved,
        crlf.replace(motto, "motto: Water verbindt"),
        "only the changed line differs; CRLF and the byte-order mark are kept"
    );
}

#[test]
fn a_change_on_disk_since_the_form_was_opened_is_shown_and_the_editor_chooses() {
    let site = site();
    let server = server::start(&site);
    let mut edit = Form::open(&server, EDIT);
    edit.set("f.motto", "Mijn motto");
    let theirs = site
        .read(PAGE)
        .replace("title: Twents Waternet", "title: Twents Waternet (TWN)");
    site.write(PAGE, &theirs);
    let (status, page) = edit.submit(&server, "opslaan");
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Het bestand is intussen veranderd"), "{page}");
    assert!(
        page.contains("title: Twents Waternet (TWN)"),
        "their version is shown: {page}"
    );
    assert!(page.contains("motto: Mijn motto"), "and mine: {page}");
    assert_eq!(
        site.read(PAGE),
        theirs,
        "no lost update: nothing written yet"
    );
    // Choosing mine saves it over theirs, knowingly.
    let mine = Form::read(&page);
    let (status, answer) = mine.submit(&server, "opslaan");
    assert_eq!(status, 303, "{answer}");
    assert!(site.read(PAGE).contains("motto: Mijn motto"));
}

#[test]
fn posts_without_the_token_or_from_another_origin_are_refused_and_write_nothing() {
    let site = site();
    let server = server::start(&site);
    let before = site.read(PAGE);
    let mut edit = Form::open(&server, EDIT);
    edit.set("f.motto", "Gekaapt").set("actie", "opslaan");
    let own = format!("http://{}", server.address);
    let cases: [(&str, Option<&str>, &str); 4] = [
        ("token", Some(own.as_str()), "fout"),
        ("token", None, ""),
        ("token", Some("http://evil.example"), ""),
        ("token", Some("null"), ""),
    ];
    for (name, origin, token) in cases {
        let mut fields = edit.fields.clone();
        if token.is_empty() {
            // The right token, but not from the preview's own page.
        } else {
            fields.retain(|(k, _)| k != name);
            fields.push((name.into(), token.into()));
        }
        fields.push(("actie".into(), "opslaan".into()));
        let (status, answer) = post(&server, EDIT, &fields, origin);
        assert_eq!(status, 403, "{origin:?} {token}: {answer}");
        assert!(answer.contains("bewerkformulier"), "{answer}");
    }
    // A path that leaves the site edits nothing.
    for path in [
        "/bewerken/../../twn.yaml",
        "/bewerken/%2e%2e/twn.yaml",
        "/bewerken/regio/bestaat-niet/",
    ] {
        let (status, _) = post(&server, path, &edit.fields, Some(&own));
        assert!(
            status == 400 || status == 403 || status == 404,
            "{path}: {status}"
        );
    }
    assert_eq!(site.read(PAGE), before);
}

#[test]
fn bound_to_another_address_editing_is_off() {
    let site = site();
    let (server, _) = server::start_with(&site, &["--bind", "0.0.0.0"]);
    let (status, answer) = get(&server, EDIT);
    assert_eq!(status, 403, "{answer}");
    assert!(answer.contains("Bewerken staat uit"), "{answer}");
}

#[test]
fn preview_pages_lead_to_their_form_and_pages_without_a_file_do_not() {
    let site = site();
    let server = server::start(&site);
    let (_, page) = get(&server, "/regio/twents-waternet/");
    assert!(
        page.contains("<p class=\"twn-bewerk\"><a href=\"/bewerken/regio/twents-waternet/\">Bewerken in de browser</a></p>"),
        "{page}"
    );
    let (_, index) = get(&server, "/regio/");
    assert!(
        !index.contains("Bewerken in de browser"),
        "a collection index has no file to edit, only a new page to make"
    );
    let (status, _) = get(&server, "/bewerken/regio/");
    assert_eq!(status, 404);
}

#[test]
fn a_new_page_is_made_from_its_collections_form_and_its_file_named_after_its_title() {
    let site = site();
    let server = server::start(&site);
    let (_, index) = get(&server, "/werkplaats/");
    assert!(
        index.contains("<a href=\"/bewerken/_nieuw/werkplaats/\">Nieuwe pagina in de browser</a>"),
        "{index}"
    );
    let mut new = Form::open(&server, "/bewerken/_nieuw/werkplaats/");
    assert_eq!(new.action, "/bewerken/_nieuw/werkplaats/");
    assert_eq!(new.get("f.title"), Some(""));
    // Without its required fields the page is not made.
    new.set("f.title", "Slimme riolering");
    let (_, page) = again(&server, &new, "opslaan");
    assert!(page.contains("verplicht veld"), "{page}");
    assert!(!site.path("content/werkplaats/slimme-riolering.md").exists());
    let mut new = Form::read(&page);
    new.set("f.regio", "twents-waternet")
        .set("f.period", "2027")
        .set("f.status", "gepland")
        .set("tekst", "Een nieuwe werkplaats met [[Almelo]].\n");
    let (status, answer) = new.submit(&server, "opslaan");
    assert_eq!(status, 303, "{answer}");
    assert!(
        answer.contains("location: /werkplaats/slimme-riolering/"),
        "{answer}"
    );
    let text = site.read("content/werkplaats/slimme-riolering.md");
    assert!(text.starts_with("---\ntitle: Slimme riolering\n"), "{text}");
    assert!(
        text.ends_with("---\nEen nieuwe werkplaats met [[Almelo]].\n"),
        "{text}"
    );
    let shown = server::wait_for(&server, "/werkplaats/slimme-riolering/", 200);
    assert!(shown.contains("Slimme riolering"));
    // A second page with the same title would take its place: refused.
    let (_, page) = again(&server, &new, "opslaan");
    assert!(page.contains("Er is al een pagina op die plek"), "{page}");
    assert_eq!(site.read("content/werkplaats/slimme-riolering.md"), text);
    let (status, _) = get(&server, "/bewerken/_nieuw/bestaat-niet/");
    assert_eq!(status, 404);
}

#[test]
fn an_image_is_put_beside_the_page_under_a_safe_name_and_its_markdown_offered() {
    let site = site();
    let server = server::start(&site);
    let edit = Form::open(&server, EDIT);
    let token = edit.get("token").unwrap().to_owned();
    let png = b"\x89PNG\r\n\x1a\n-not-really-an-image";
    let (status, answer) = upload(
        &server,
        "regio/twents-waternet/",
        &token,
        "Kaart van Twente.PNG",
        png,
    );
    assert_eq!(status, 303, "{answer}");
    assert!(
        answer.contains("location: /bewerken/regio/twents-waternet/?bestand=kaart-van-twente.png"),
        "{answer}"
    );
    assert!(
        site.path("content/regio/twents-waternet/kaart-van-twente.png")
            .is_file()
    );
    // Never over a file that is there.
    let (status, _) = upload(
        &server,
        "regio/twents-waternet/",
        &token,
        "kaart van twente.png",
        png,
    );
    assert_eq!(status, 303);
    assert!(
        site.path("content/regio/twents-waternet/kaart-van-twente-2.png")
            .is_file()
    );
    let (_, page) = get(
        &server,
        "/bewerken/regio/twents-waternet/?bestand=kaart-van-twente.png",
    );
    assert!(
        page.contains("![Wat de afbeelding laat zien](kaart-van-twente.png)"),
        "{page}"
    );

    // A kind a browser would run, a name that climbs out, no token: refused.
    for (name, with_token) in [
        ("aanval.svg", true),
        ("../../twn.yaml", true),
        ("kaart.png", false),
    ] {
        let (status, _) = upload(
            &server,
            "regio/twents-waternet/",
            if with_token { &token } else { "fout" },
            name,
            png,
        );
        assert!(status == 403 || status == 404, "{name}: {status}");
    }
    assert!(
        !site
            .path("content/regio/twents-waternet/aanval.svg")
            .exists()
    );

    // The Markdown offered shows the image on the page.
    let mut edit = Form::open(&server, EDIT);
    let body = format!(
        "{}\n![Kaart van Twente](kaart-van-twente.png)\n",
        edit.get("tekst").unwrap()
    );
    edit.set("tekst", &body);
    let (status, answer) = edit.submit(&server, "opslaan");
    assert_eq!(status, 303, "{answer}");
    drop(server);
    site.build_ok();
    let built = site.read("public/regio/twents-waternet/index.html");
    assert!(
        built.contains(
            "<img src=\"/regio/twents-waternet/kaart-van-twente.png\" alt=\"Kaart van Twente\""
        ),
        "{built}"
    );
    assert!(
        site.path("public/regio/twents-waternet/kaart-van-twente.png")
            .is_file()
    );
}

#[test]
fn on_another_address_editing_needs_the_password_from_the_environment() {
    let site = site();
    let password = "Vechtstromen-2027!";
    let (server, printed) = server::start_with_env(
        &site,
        &["--bind", "0.0.0.0"],
        &[("TWN_WACHTWOORD", password)],
    );
    assert!(
        printed.iter().any(|l| l.contains("na inloggen")),
        "{printed:?}"
    );
    assert!(
        !printed.iter().any(|l| l.contains(password)),
        "the password is never printed"
    );
    let (status, login) = get(&server, EDIT);
    assert_eq!(status, 401, "{login}");
    assert!(
        login.contains("type=\"password\"") && login.contains("method=\"post\""),
        "{login}"
    );
    let own = format!("http://{}", server.address);
    let try_login = |password: &str, origin: &str| {
        post(
            &server,
            "/bewerken/_inloggen",
            &[
                ("terug".into(), EDIT.into()),
                ("wachtwoord".into(), password.into()),
            ],
            Some(origin),
        )
    };
    let started = std::time::Instant::now();
    let (status, _) = try_login("fout", &own);
    assert_eq!(status, 403);
    assert!(
        started.elapsed() >= std::time::Duration::from_millis(900),
        "a wrong password is answered slowly"
    );
    let (status, _) = try_login(password, "http://evil.example");
    assert_eq!(status, 403, "a login from another site is refused");
    let (status, answer) = try_login(password, &own);
    assert_eq!(status, 303, "{answer}");
    let cookie = answer
        .lines()
        .find_map(|l| l.strip_prefix("set-cookie: "))
        .and_then(|c| c.split(';').next())
        .expect("a session cookie")
        .to_owned();
    assert!(
        answer.contains("HttpOnly") && answer.contains("SameSite=Strict"),
        "{answer}"
    );
    let request = format!(
        "GET {EDIT} HTTP/1.1\r\nHost: {}\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n",
        server.address
    );
    let (status, page) = server::raw(&server, &request);
    assert_eq!(status, 200, "logged in, the form: {page}");
    // The form without the cookie is refused, however right its token.
    let mut edit = Form::read(&page);
    edit.set("f.motto", "Zonder inloggen");
    let (status, _) = edit.submit(&server, "opslaan");
    assert_eq!(status, 403);
    assert!(!site.read(PAGE).contains("Zonder inloggen"));

    // Each login its own cookie; logging out ends that one alone.
    let (_, again) = try_login(password, &own);
    let second = again
        .lines()
        .find_map(|l| l.strip_prefix("set-cookie: "))
        .and_then(|c| c.split(';').next())
        .expect("a session cookie")
        .to_owned();
    assert_ne!(second, cookie);
    let form_with = |cookie: &str| {
        server::raw(
            &server,
            &format!(
                "GET {EDIT} HTTP/1.1\r\nHost: {}\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n",
                server.address
            ),
        )
    };
    let (_, page) = form_with(&cookie);
    assert!(page.contains("action=\"/bewerken/_uitloggen\""), "{page}");
    let logout = format!(
        "POST /bewerken/_uitloggen HTTP/1.1\r\nHost: {0}\r\nOrigin: http://{0}\r\nCookie: {cookie}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        server.address
    );
    let (status, answer) = server::raw(&server, &logout);
    assert_eq!(status, 303, "{answer}");
    assert!(answer.contains("Max-Age=0"), "{answer}");
    assert_eq!(form_with(&cookie).0, 401, "logged out");
    assert_eq!(form_with(&second).0, 200, "the other login stays");
}

#[test]
fn a_short_password_leaves_editing_off() {
    let site = site();
    let (server, printed) = server::start_with_env(
        &site,
        &["--bind", "0.0.0.0"],
        &[("TWN_WACHTWOORD", "kort-123")],
    );
    assert!(
        printed
            .iter()
            .any(|l| l.contains("te kort (minstens 12 tekens)")),
        "{printed:?}"
    );
    let (status, page) = get(&server, EDIT);
    assert_eq!(status, 403, "{page}");
}

#[test]
fn what_a_hostile_review_found_stays_fixed() {
    let site = site();
    // A group's fields the schema does not know go with their group.
    let text = site.read(PAGE).replace(
        "    name: Bestuurlijk platform\n",
        "    name: Bestuurlijk platform\n    notitie: geheim\n",
    );
    site.write(PAGE, &text);
    // A folder below content/ that is a link to elsewhere.
    let outside = tempfile::tempdir().unwrap();
    std::fs::rename(site.path("content/nieuws"), outside.path().join("nieuws")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("nieuws"), site.path("content/nieuws")).unwrap();
    let server = server::start(&site);

    let mut edit = Form::open(&server, EDIT);
    assert_eq!(edit.get("f.bodies[0].notitie"), Some("geheim"));
    edit.set("f.bodies[0].name", "Bestuurlijk platform Twente");
    let (status, answer) = edit.submit(&server, "opslaan");
    assert_eq!(status, 303, "{answer}");
    let saved = site.read(PAGE);
    assert!(
        saved.contains("    name: Bestuurlijk platform Twente\n    notitie: geheim\n"),
        "{saved}"
    );

    // Nothing to commit is no failure.
    let mut edit = Form::open(&server, EDIT);
    site.git(&["add", "-A"]);
    site.git(&["commit", "-qm", "tussendoor"]);
    edit.set("samenvatting", "Niets")
        .set("naam", "Els")
        .set("email", "els@example.org");
    let (status, answer) = edit.submit(&server, "vastleggen");
    assert_eq!(status, 303, "{answer}");
    assert_eq!(site.git(&["log", "-1", "--format=%s"]).trim(), "tussendoor");

    // An author git would read otherwise is refused before git sees it.
    let mut edit = Form::open(&server, EDIT);
    edit.set("f.motto", "Nieuw")
        .set("samenvatting", "Motto")
        .set("naam", "Eve <evil@x>")
        .set("email", "real@example.org");
    let (status, page) = edit.submit(&server, "vastleggen");
    assert_eq!(status, 200);
    assert!(page.contains("een naam zonder &lt; en &gt;"), "{page}");
    assert_eq!(site.git(&["log", "-1", "--format=%s"]).trim(), "tussendoor");

    // A list index no form has is no field: no million-item form.
    let mut edit = Form::open(&server, EDIT);
    edit.set("f.members[1000000]", "x");
    let (status, page) = edit.submit(&server, "controleren");
    assert_eq!(status, 200);
    assert!(!page.contains("veld-members-1000000"));

    // A new page never lands outside content/ through a linked folder.
    let mut new = Form::open(&server, "/bewerken/_nieuw/nieuws/");
    new.set("f.title", "Uitbraak")
        .set("f.date", "2024-01-01")
        .set("ondanks", "ja");
    let (status, page) = new.submit(&server, "opslaan");
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("buiten content/"), "{page}");
    assert!(!outside.path().join("nieuws/uitbraak.md").exists());
}
