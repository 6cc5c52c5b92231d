//! What a diff page tells of a revision's changed fields: labels from
//! twn.yaml, pages and bodies by their names, relations in words, and
//! every field, known to the schema or not.

mod common;

use common::history::{ANNA, commits_of, site_with_history};

/// The rows of a diff page's table of changed fields, tags left out.
fn field_rows(diff: &str) -> Vec<String> {
    let Some(table) = diff.split("<table class=\"field-diff\">").nth(1) else {
        return Vec::new();
    };
    let table = table.split("</table>").next().unwrap();
    table
        .split("<tr><th scope=\"row\">")
        .skip(1)
        .map(|row| {
            let mut text = String::new();
            let mut in_tag = false;
            for c in row.split("</tr>").next().unwrap().chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => {
                        in_tag = false;
                        text.push(' ');
                    }
                    c if !in_tag => text.push(c),
                    _ => {}
                }
            }
            text.split_whitespace().collect::<Vec<_>>().join(" ")
        })
        .collect()
}

#[test]
fn a_diff_tells_changed_fields_by_their_labels_and_the_titles_they_name() {
    let site = site_with_history();
    site.write(
        "content/regio/twents-waternet.md",
        "---\ntitle: Twents Waternet\nmembers: [almelo]\nbodies:\n  - id: platform\n    name: Platform\n    members: [vechtstromen]\n---\n\n## Visie\n\nSamen werken aan schoon water met [[Almelo]].\n\nNieuw: de vier B's.\n",
    );
    site.commit_all("Leden en organen", ANNA, "2020-01-10T10:00:00+01:00");
    site.build_ok();
    let newest = &commits_of(site.dir.path(), "content/regio/twents-waternet.md")[0];
    let diff = site.read(&format!(
        "public/regio/twents-waternet/verschil/{newest}/index.html"
    ));
    let rows = field_rows(&diff);
    assert_eq!(
        rows,
        [
            "Leden − verwijderd: Waterschap Vechtstromen",
            "Organen + toegevoegd: Platform",
        ],
        "labels from twn.yaml, pages by their titles: {diff}"
    );
    assert!(!diff.contains("members:"), "no raw YAML: {diff}");
    assert!(
        diff.contains("De tekst onder de gegevens bleef gelijk."),
        "{diff}"
    );

    // A field of a body that stays: named by the body, labelled in Dutch.
    let text = site.read("content/regio/twents-waternet.md");
    site.write(
        "content/regio/twents-waternet.md",
        &text
            .replace("members: [vechtstromen]", "members: [vechtstromen, almelo]")
            .replace("Nieuw: de vier B's.", "Nieuw: de vier B's en drie K's."),
    );
    site.commit_all("Almelo in het platform", ANNA, "2020-02-10T10:00:00+01:00");
    site.build_ok();
    let newest = &commits_of(site.dir.path(), "content/regio/twents-waternet.md")[0];
    let diff = site.read(&format!(
        "public/regio/twents-waternet/verschil/{newest}/index.html"
    ));
    assert_eq!(
        field_rows(&diff),
        ["Organen › Platform › Leden + toegevoegd: Almelo"]
    );
    let changed_line = 1 + text.lines().position(|l| l.starts_with("Nieuw")).unwrap();
    assert!(
        diff.contains(&format!("<tr class=\"del\"><td>{changed_line}<td>"))
            && diff.contains(&format!("<tr class=\"ins\"><td><td>{changed_line}<td>")),
        "the text diff counts lines of the file: {diff}"
    );
}

/// The changed-field rows of the diff of the newest commit of `file`.
fn newest_field_rows(site: &common::TestSite, file: &str) -> Vec<String> {
    site.build_ok();
    let newest = &commits_of(site.dir.path(), &format!("content/{file}.md"))[0];
    field_rows(&site.read(&format!("public/{file}/verschil/{newest}/index.html")))
}

#[test]
fn the_first_version_of_a_page_shows_every_field_as_added() {
    let site = site_with_history();
    site.write(
        "content/organisatie/borne.md",
        "---\ntitle: Borne\ndescription: Gemeente in Twente.\ntype: gemeente\n---\n\nTekst.\n",
    );
    site.commit_all("Borne erbij", ANNA, "2020-01-10T10:00:00+01:00");
    assert_eq!(
        newest_field_rows(&site, "organisatie/borne"),
        [
            "Titel toegevoegd: Borne",
            "Beschrijving toegevoegd: Gemeente in Twente.",
            "Soort toegevoegd: gemeente",
        ]
    );
}

#[test]
fn dates_aliases_order_and_fields_the_schema_no_longer_knows_are_changes_too() {
    let site = site_with_history();
    let page = "content/regio/twents-waternet.md";
    let text = site.read(page);
    site.write(
        page,
        &text.replace(
            "members: [almelo, vechtstromen]\n",
            "members: [almelo, vechtstromen]\noud_veld: Enschede, Hengelo\n",
        ),
    );
    site.commit_all("Met een oud veld", ANNA, "2020-01-10T10:00:00+01:00");
    site.write(
        page,
        &text.replace(
            "members: [almelo, vechtstromen]\n",
            "members: [vechtstromen, almelo]\nupdated: 2020-02-01\naliases: [/oud/twn/]\n",
        ),
    );
    site.commit_all("Opgeruimd", ANNA, "2020-02-10T10:00:00+01:00");
    assert_eq!(
        newest_field_rows(&site, "regio/twents-waternet"),
        [
            "Laatst bijgewerkt toegevoegd: 01-02-2020",
            "Oude adressen + toegevoegd: /oud/twn/",
            "Leden › volgorde verwijderd: Almelo, Waterschap Vechtstromen → toegevoegd: Waterschap Vechtstromen, Almelo",
            "oud_veld verwijderd: Enschede, Hengelo",
        ]
    );
}

#[test]
fn a_relation_reads_as_what_it_says_with_the_bodys_name() {
    let site = site_with_history();
    let page = "content/regio/twents-waternet.md";
    let bodies =
        "bodies:\n  - id: platform\n    name: Platform\n  - id: kernteam\n    name: Kernteam\n";
    let text = site.read(page).replace(
        "members: [almelo, vechtstromen]\n",
        &format!("members: [almelo, vechtstromen]\n{bodies}"),
    );
    site.write(page, &text);
    site.commit_all("Organen", ANNA, "2020-01-10T10:00:00+01:00");
    site.write(
        page,
        &text.replace(
            "    name: Platform\n",
            "    name: Platform\n    relations:\n      - { type: stuurt-aan, to: kernteam }\n",
        ),
    );
    site.commit_all(
        "Platform stuurt kernteam aan",
        ANNA,
        "2020-02-10T10:00:00+01:00",
    );
    assert_eq!(
        newest_field_rows(&site, "regio/twents-waternet"),
        ["Organen › Platform › Relaties + toegevoegd: stuurt aan Kernteam"]
    );
}

#[test]
fn moved_bodies_nested_unknown_fields_and_descriptions_read_as_a_reader_reads_them() {
    let site = site_with_history();
    let page = "content/regio/twents-waternet.md";
    let bodies = "bodies:\n  - id: platform\n    name: Platform\n    description: Werkt met [[Almelo|de gemeente]].\n  - id: kernteam\n    name: Kernteam\n";
    let text = site.read(page).replace(
        "members: [almelo, vechtstromen]\n",
        &format!("members: [almelo, vechtstromen]\nextra: {{ budget: 12000, zeker: true, posten: [a, b] }}\n{bodies}"),
    );
    site.write(page, &text);
    site.commit_all("Organen", ANNA, "2020-01-10T10:00:00+01:00");
    let moved = text
        .replace(
            "  - id: platform\n    name: Platform\n    description: Werkt met [[Almelo|de gemeente]].\n  - id: kernteam\n    name: Kernteam\n",
            "  - id: kernteam\n    name: Kernteam\n  - id: platform\n    name: Platform\n    description: Werkt met [[Almelo|de stad]].\n",
        )
        .replace("budget: 12000, zeker: true", "budget: 15000, zeker: false");
    site.write(page, &moved);
    site.commit_all("Verschoven", ANNA, "2020-02-10T10:00:00+01:00");
    assert_eq!(
        newest_field_rows(&site, "regio/twents-waternet"),
        [
            "Organen › volgorde verwijderd: Platform, Kernteam → toegevoegd: Kernteam, Platform",
            "Organen › Platform › Beschrijving verwijderd: Werkt met de gemeente. → toegevoegd: Werkt met de stad.",
            "extra › budget verwijderd: 12000 → toegevoegd: 15000",
            "extra › zeker verwijderd: ja → toegevoegd: nee",
        ]
    );
}

#[test]
fn a_body_whose_id_changes_is_the_same_body_with_a_new_id() {
    let site = site_with_history();
    let page = "content/regio/twents-waternet.md";
    let text = site.read(page).replace(
        "members: [almelo, vechtstromen]\n",
        "members: [almelo, vechtstromen]\nbodies:\n  - id: bestuurlijk-kernteam\n    name: Kernteam\n",
    );
    site.write(page, &text);
    site.commit_all("Organen", ANNA, "2020-01-10T10:00:00+01:00");
    site.write(
        page,
        &text.replace("id: bestuurlijk-kernteam", "id: kernteam"),
    );
    site.commit_all("Korter kenmerk", ANNA, "2020-02-10T10:00:00+01:00");
    assert_eq!(
        newest_field_rows(&site, "regio/twents-waternet"),
        ["Organen › Kernteam › Kenmerk verwijderd: bestuurlijk-kernteam → toegevoegd: kernteam"]
    );
}

#[test]
fn a_version_whose_front_matter_cannot_be_read_is_shown_as_the_text_it_was_and_says_so() {
    let site = site_with_history();
    let page = "content/regio/twents-waternet.md";
    let text = site.read(page);
    site.write(
        page,
        &text.replace("title: Twents Waternet", "title: \"Twents Waternet"),
    );
    site.commit_all("Kapot", ANNA, "2020-01-10T10:00:00+01:00");
    site.write(page, &text);
    site.commit_all("Hersteld", ANNA, "2020-02-10T10:00:00+01:00");
    site.build_ok();
    let broken = &commits_of(site.dir.path(), page)[1];
    let version = site.read(&format!(
        "public/regio/twents-waternet/versie/{broken}/index.html"
    ));
    assert!(
        version.contains("De kopgegevens van deze versie konden niet gelezen worden"),
        "{version}"
    );
    assert!(
        version.contains("<code class=\"language-yaml\">---\ntitle: \"Twents Waternet\n"),
        "the file as text: {version}"
    );
    assert!(
        !version.contains("<h2 id=\"title"),
        "no YAML read as a heading: {version}"
    );
    let diff = site.read(&format!(
        "public/regio/twents-waternet/verschil/{broken}/index.html"
    ));
    assert!(
        diff.contains("konden de kopgegevens niet gelezen worden"),
        "{diff}"
    );
}

#[test]
fn a_page_deleted_since_is_named_in_old_diffs_by_its_last_title() {
    let site = site_with_history();
    site.write(
        "content/organisatie/dinkelland.md",
        "---\ntitle: Gemeente Dinkelland\ntype: gemeente\n---\n\nTijdelijk lid.\n",
    );
    let region = "content/regio/twents-waternet.md";
    let text = site.read(region);
    site.write(
        region,
        &text.replace(
            "[almelo, vechtstromen]",
            "[almelo, vechtstromen, dinkelland]",
        ),
    );
    site.commit_all("Dinkelland doet mee", ANNA, "2020-03-10T10:00:00+01:00");
    site.write(region, &text);
    std::fs::remove_file(site.path("content/organisatie/dinkelland.md")).unwrap();
    site.commit_all("Dinkelland weer weg", ANNA, "2020-04-10T10:00:00+01:00");
    site.build_ok();
    let [left, joined] = [0, 1].map(|n| commits_of(site.dir.path(), region)[n].clone());
    let diff = |id: &str| {
        site.read(&format!(
            "public/regio/twents-waternet/verschil/{id}/index.html"
        ))
    };
    assert_eq!(
        field_rows(&diff(&joined)),
        ["Leden + toegevoegd: Gemeente Dinkelland"]
    );
    assert_eq!(
        field_rows(&diff(&left)),
        ["Leden − verwijderd: Gemeente Dinkelland"],
        "not the slug of the deleted page"
    );
}
