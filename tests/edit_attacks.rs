//! What a second hostile review of the editor found, kept fixed: a save
//! that committed the page without the image uploaded for it, a key of
//! the page file that wrote markup into the form, a few posted names that
//! grew gigabytes, a name that made the preview panic, an upload read
//! whole before it was refused, and the home page that took no upload.

mod common;

use common::TestSite;
use common::form::{Form, upload};
use common::server::{self, get};
use std::io::{Read, Write};

const PAGE: &str = "content/regio/twents-waternet.md";
const EDIT: &str = "/bewerken/regio/twents-waternet/";

#[test]
fn a_commit_takes_the_files_uploaded_for_the_page_and_a_clean_clone_builds() {
    let site = TestSite::example_in_git();
    // Files of the user's own in the same folder, which the page does not
    // link (one only named in its prose): not the editor's to commit.
    site.write("content/regio/twents-waternet/aantekening.txt", "eigen");
    site.write("content/regio/twents-waternet/plan.pdf", "%PDF-1.4 concept");
    let server = server::start(&site);
    let token = Form::open(&server, EDIT).get("token").unwrap().to_owned();
    let png = b"\x89PNG\r\n\x1a\n-kaart";
    let (status, answer) = upload(&server, "regio/twents-waternet/", &token, "Kaart.png", png);
    assert_eq!(status, 303, "{answer}");
    let mut edit = Form::open(&server, EDIT);
    let body = format!(
        "{}\n![Kaart](kaart.png)\n\nZie later het bestemmingsplan.pdf.\n",
        edit.get("tekst").unwrap()
    );
    edit.set("tekst", &body)
        .set("samenvatting", "Kaart erbij")
        .set("naam", "Els")
        .set("email", "els@example.org");
    let (status, answer) = edit.submit(&server, "vastleggen");
    assert_eq!(status, 303, "{answer}");
    drop(server);
    let committed = site.git(&["show", "--name-only", "--format=", "HEAD"]);
    assert_eq!(
        committed.lines().collect::<Vec<_>>(),
        [PAGE, "content/regio/twents-waternet/kaart.png"]
    );
    let status = site.git(&["status", "--porcelain"]);
    for own in ["aantekening.txt", "plan.pdf"] {
        assert!(
            status.contains(&format!("?? content/regio/twents-waternet/{own}")),
            "{status}"
        );
    }
    // What a host's CI builds: the commit alone.
    let clone = tempfile::tempdir().unwrap();
    let clone_path = clone.path().join("wiki");
    common::git(
        site.dir.path(),
        &["clone", "-q", ".", clone_path.to_str().unwrap()],
    );
    let built = assert_cmd::Command::cargo_bin("twn")
        .unwrap()
        .arg("build")
        .current_dir(&clone_path)
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    assert!(
        clone_path
            .join("public/regio/twents-waternet/kaart.png")
            .is_file()
    );
}

#[test]
fn keys_names_and_uploads_from_an_attacker_do_no_harm() {
    let site = TestSite::example_in_git();
    // A key of the page file (a contribution merged unread) that would end
    // the form's attribute and put markup in the editor's page.
    let key =
        r#"opmerking "intern"><meta http-equiv="refresh" content="0;url=http://3221226219/"><i "#;
    let text = site.read(PAGE).replace(
        "    name: Bestuurlijk platform\n",
        &format!("    name: Bestuurlijk platform\n    '{key}': geheim\n"),
    );
    site.write(PAGE, &text);
    let server = server::start(&site);
    let (status, page) = get(&server, EDIT);
    assert_eq!(status, 200);
    assert!(!page.contains("<meta http-equiv=\"refresh\""), "{page}");
    let edit = Form::read(&page);
    assert!(
        edit.fields.iter().any(|(_, v)| v == "geheim"),
        "the value is in the form"
    );
    // Saved untouched, the key comes back as it was.
    let (status, answer) = edit.submit(&server, "opslaan");
    assert_eq!(status, 303, "{answer}");
    assert_eq!(site.read(PAGE), text);

    // Names no form posts: an item far past its list's end, nested (which
    // grew every list on the way to its length), and a list at the top.
    let mut edit = Form::open(&server, EDIT);
    for body in 0..50 {
        edit.set(&format!("f.bodies[{body}].relations[9999].to"), "x");
    }
    edit.set("f[0]", "x");
    let (status, page) = edit.submit(&server, "controleren");
    assert_eq!(status, 200, "{page}");
    assert!(!page.contains("veld-bodies-49"), "no 50th body");
    assert!(!page.contains("relations-9999"));
    let (status, _) = get(&server, EDIT);
    assert_eq!(status, 200, "the preview is still up");

    // An upload or a form from elsewhere is refused before its body is
    // read: the answer comes while the body is still to be sent.
    for (path, kind) in [
        (
            "/bewerken/_bestand/regio/twents-waternet/",
            "multipart/form-data; boundary=x",
        ),
        (EDIT, "application/x-www-form-urlencoded"),
    ] {
        let mut stream = std::net::TcpStream::connect(&server.address).unwrap();
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(5)))
            .unwrap();
        write!(
            stream,
            "POST {path} HTTP/1.1\r\nHost: {}\r\nOrigin: http://elders.example\r\nContent-Type: {kind}\r\nContent-Length: 20000000\r\n\r\n",
            server.address
        )
        .unwrap();
        let mut answer = [0u8; 12];
        stream
            .read_exact(&mut answer)
            .expect("an answer before the body");
        assert_eq!(&answer, b"HTTP/1.1 403", "{path}");
    }
    // A form too large to save is told so in Dutch.
    let mut edit = Form::open(&server, EDIT);
    edit.set("tekst", &"Lange tekst. ".repeat(200_000));
    let (status, answer) = edit.submit(&server, "opslaan");
    assert_eq!(status, 413, "{answer}");
    assert!(
        answer.contains("te groot om vanuit de browser op te slaan"),
        "{answer}"
    );

    // The home page takes files too, in the top of content/.
    let token = Form::open(&server, "/bewerken/")
        .get("token")
        .unwrap()
        .to_owned();
    let (status, answer) = upload(&server, "", &token, "Logo.png", b"\x89PNG\r\n\x1a\n");
    assert_eq!(status, 303, "{answer}");
    assert!(site.path("content/logo.png").is_file());
}

#[test]
fn a_file_that_is_not_utf8_is_not_changed_unasked() {
    let site = TestSite::example_in_git();
    let mut bytes = std::fs::read(site.path(PAGE)).unwrap();
    bytes.extend_from_slice(b"\nCaf\xE9 aan het water.\n");
    std::fs::write(site.path(PAGE), &bytes).unwrap();
    let server = server::start(&site);
    let (_, page) = get(&server, EDIT);
    assert!(page.contains("het bestand is geen UTF-8-tekst"), "{page}");
    let mut edit = Form::read(&page);
    edit.set("f.motto", "Nieuw motto");
    let (status, page) = edit.submit(&server, "opslaan");
    assert_eq!(status, 200, "not saved without asking");
    assert!(page.contains("geen UTF-8"), "{page}");
    assert_eq!(std::fs::read(site.path(PAGE)).unwrap(), bytes);
    edit.set("ondanks", "ja");
    let (status, answer) = edit.submit(&server, "opslaan");
    assert_eq!(status, 303, "{answer}");
    let saved = site.read(PAGE);
    assert!(saved.contains("motto: Nieuw motto") && saved.contains("Caf\u{fffd} aan"));
}

#[test]
fn a_commit_a_hook_refuses_leaves_the_index_as_the_user_had_it() {
    let site = TestSite::example_in_git();
    let hook = site.path(".git/hooks/pre-commit");
    std::fs::write(
        &hook,
        "#!/bin/sh\necho 'eerst de spelling nakijken' >&2\nexit 1\n",
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    // The user's own work, staged for their next commit: another page,
    // and a part of this one (as `git add -p` stages it).
    let other = "content/organisatie/almelo.md";
    site.write(other, &format!("{}\nEigen werk.\n", site.read(other)));
    site.git(&["add", other]);
    site.write(
        PAGE,
        &format!("{}\nEigen gestagede regel.\n", site.read(PAGE)),
    );
    site.git(&["add", PAGE]);
    let users_blob = site.git(&["rev-parse", &format!(":{PAGE}")]);
    let server = server::start(&site);
    let mut edit = Form::open(&server, EDIT);
    edit.set("f.motto", "Nieuw motto")
        .set("samenvatting", "Motto")
        .set("naam", "Els")
        .set("email", "els@example.org");
    let (status, page) = edit.submit(&server, "vastleggen");
    assert_eq!(status, 200);
    assert!(page.contains("eerst de spelling nakijken"), "{page}");
    assert!(site.read(PAGE).contains("motto: Nieuw motto"), "saved");
    let staged = site.git(&["diff", "--cached", "--name-only"]);
    assert_eq!(
        staged.lines().collect::<Vec<_>>(),
        [other, PAGE],
        "only what the user staged"
    );
    assert_eq!(
        site.git(&["rev-parse", &format!(":{PAGE}")]),
        users_blob,
        "as the user staged it"
    );
}

#[test]
fn on_no_branch_the_editor_saves_but_does_not_commit() {
    let site = TestSite::example_in_git();
    site.git(&["checkout", "-q", "--detach"]);
    let head = site.git(&["rev-parse", "HEAD"]);
    let server = server::start(&site);
    let mut edit = Form::open(&server, EDIT);
    edit.set("f.motto", "Los van een branch")
        .set("samenvatting", "Motto")
        .set("naam", "Els")
        .set("email", "els@example.org");
    let (status, page) = edit.submit(&server, "vastleggen");
    assert_eq!(status, 200);
    assert!(page.contains("git staat op geen branch"), "{page}");
    assert!(site.read(PAGE).contains("motto: Los van een branch"));
    assert_eq!(site.git(&["rev-parse", "HEAD"]), head, "no commit");
}
