//! Bad settings of a collection's index and fields in twn.yaml, and bad
//! values in the fields they define: each an error at its place.

mod common;
use common::rejected::{BODIES, assert_rejected};

#[test]
fn a_filter_names_a_field_with_values_to_choose_from() {
    let config = |filters: &str| {
        common::CONFIG.replace(
            "  organisatie:\n    title: Organisaties\n    singular: Organisatie\n",
            &format!("  organisatie:\n    title: Organisaties\n    singular: Organisatie\n    filters: {filters}\n"),
        )
    };
    let line = config("")
        .lines()
        .position(|l| l.starts_with("    filters:"))
        .unwrap()
        + 1;
    let stderr = assert_rejected(
        |s| s.write("twn.yaml", &config("[tpye]")),
        &format!("twn.yaml:{line}:15"),
        "filter `tpye` noemt geen veld van deze collectie; bedoelt u `type`?",
    );
    assert!(
        stderr.contains("    filters: [tpye]"),
        "the line is shown:\n{stderr}"
    );
    let with_text_field = common::CONFIG.replace(
        "      start: { type: date }\n",
        "      start: { type: date }\n    filters: [regio, period]\n",
    );
    let stderr = assert_rejected(
        |s| s.write("twn.yaml", &with_text_field),
        "twn.yaml:",
        "op veld `period` kan het overzicht niet filteren",
    );
    assert!(!stderr.contains("`regio`"), "a reference filters: {stderr}");
}

#[test]
fn a_page_cannot_take_the_place_of_a_filters_pages() {
    let config = common::CONFIG.replace(
        "    singular: Organisatie\n",
        "    singular: Organisatie\n    filters: [type]\n",
    );
    let stderr = assert_rejected(
        |s| {
            s.write("twn.yaml", &config);
            s.write(
                "content/organisatie/type.md",
                "---\ntitle: Soorten\ntype: gemeente\n---\n",
            );
        },
        "content/organisatie/type.md:2:1",
        "waar twn de pagina's van het filter `type` van het overzicht zet",
    );
    assert!(
        stderr.contains("2 | title: Soorten"),
        "the excerpt: {stderr}"
    );
}

#[test]
fn a_broken_wiki_link_in_a_description_is_an_error_at_its_place() {
    let bodies = BODIES.replace(
        "    name: Ambtelijk platform\n",
        "    name: Ambtelijk platform\n    description: Werkt met [[Almeloo]] samen.\n",
    );
    let stderr = assert_rejected(
        |s| s.write_bodies(&bodies),
        "content/regio/twents-waternet.md:12:28",
        "wikilink naar een pagina die niet bestaat: [[Almeloo]]",
    );
    assert!(stderr.contains("bedoelt u [[Almelo]]?"), "{stderr}");
    assert!(
        stderr.contains("description: Werkt met [[Almeloo]] samen."),
        "the line is shown: {stderr}"
    );
}

/// twn.yaml with `filters` on the organisations and their `type` taking
/// `values`.
fn filtered_types(values: &str) -> String {
    common::CONFIG.replace(
        "    singular: Organisatie\n    fields:\n      type: { type: choice, values: [gemeente, waterschap],",
        &format!("    singular: Organisatie\n    filters: [type]\n    fields:\n      type: {{ type: choice, values: {values},"),
    )
}

fn line_of(text: &str, start: &str) -> usize {
    text.lines().position(|l| l.starts_with(start)).unwrap() + 1
}

#[test]
fn an_alias_cannot_take_the_address_of_a_filter_page() {
    let config = filtered_types("[gemeente, waterschap]");
    assert_rejected(
        |s| {
            s.write("twn.yaml", &config);
            s.write(
                "content/organisatie/borne.md",
                "---\ntitle: Borne\ntype: gemeente\naliases: [/organisatie/type/gemeente/]\n---\n",
            );
        },
        "content/organisatie/borne.md:4:11",
        "de oude URL `/organisatie/type/gemeente/` is het overzicht van de collectie `organisatie` of één van zijn filters",
    );
}

#[test]
fn filtered_values_that_would_share_an_address_or_have_none_are_errors_at_the_value() {
    let config = filtered_types("[gemeente, waterschap, Gemeente, \"!!!\"]");
    let line = line_of(&config, "      type:");
    let column = |value: &str| config.lines().nth(line - 1).unwrap().find(value).unwrap() + 1;
    let stderr = assert_rejected(
        |s| s.write("twn.yaml", &config),
        &format!("twn.yaml:{line}:{}", column("Gemeente")),
        "keuzes `gemeente` en `Gemeente` van `type` zouden dezelfde filterpagina `gemeente/` krijgen",
    );
    assert!(
        stderr.contains(&format!("twn.yaml:{line}:{}", column("\"!!!\""))),
        "the value without letters is reported too, in the same run:\n{stderr}"
    );
    assert!(
        stderr.contains("keuze `!!!` van `type` krijgt geen filterpagina"),
        "{stderr}"
    );
}

#[test]
fn a_filter_on_a_field_whose_name_has_no_letters_is_an_error_at_the_filter() {
    for name in ["..", ":"] {
        let config = filtered_types("[gemeente, waterschap]")
            .replace("filters: [type]", &format!("filters: [\"{name}\"]"))
            .replace(
                "      type: {",
                &format!("      \"{name}\": {{ type: choice, values: [a] }}\n      type: {{"),
            );
        let line = line_of(&config, "    filters:");
        let site = common::TestSite::new();
        site.write("twn.yaml", &config);
        let run = site.twn(&["check"]);
        assert_eq!(run.code, Some(1), "{name}:\n{}", run.stderr);
        assert!(
            run.stderr.contains(&format!("twn.yaml:{line}:15")),
            "{name}: at the filter:\n{}",
            run.stderr
        );
        assert!(
            run.stderr
                .contains(&format!("filter `{name}` krijgt geen adres")),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn a_filter_fields_name_becomes_an_address_of_letters_and_dashes() {
    let site = common::TestSite::new();
    let config = filtered_types("[gemeente, waterschap]")
        .replace("filters: [type]", "filters: [\"Ük soort\"]")
        .replace(
            "      type: {",
            "      \"Ük soort\": { type: choice, values: [Groot Dorp] }\n      type: {",
        );
    site.write("twn.yaml", &config);
    site.write(
        "content/organisatie/borne.md",
        "---\ntitle: Borne\ntype: gemeente\n\"Ük soort\": Groot Dorp\n---\n",
    );
    site.build_ok();
    let page = site.read("public/organisatie/uk-soort/groot-dorp/index.html");
    assert!(page.contains("Borne"), "{page}");
    let sitemap = site.read("public/sitemap.xml");
    assert!(
        sitemap.contains("/organisatie/uk-soort/groot-dorp/</loc>"),
        "{sitemap}"
    );
    let index = site.read("public/organisatie/index.html");
    assert!(
        index.contains("data-filters=\"uk-soort:groot-dorp\""),
        "{index}"
    );
    assert!(
        index.contains("data-filter=\"uk-soort:groot-dorp\""),
        "{index}"
    );
}

#[test]
fn a_broken_wiki_link_across_the_lines_of_a_folded_description_is_found_where_it_starts() {
    let bodies = BODIES.replace(
        "    name: Ambtelijk platform\n",
        "    name: Ambtelijk platform\n    description: >\n      Werkt met het [[Bestuurlijk\n      Platfrom]] samen.\n",
    );
    let stderr = assert_rejected(
        |s| s.write_bodies(&bodies),
        "content/regio/twents-waternet.md:13:21",
        "wikilink naar een pagina die niet bestaat: [[Bestuurlijk Platfrom]]",
    );
    assert!(
        stderr.contains("      Werkt met het [[Bestuurlijk"),
        "the line is shown: {stderr}"
    );
}

#[test]
fn two_filters_on_one_collection_get_folders_of_their_own() {
    let site = common::TestSite::new();
    let config = common::CONFIG.replace(
        "      start: { type: date }\n",
        "      start: { type: date }\n      hoofdregio: { type: reference, collection: regio }\n    filters: [regio, hoofdregio]\n",
    );
    site.write("twn.yaml", &config);
    site.write(
        "content/werkplaats/meten.md",
        "---\ntitle: Meten\nregio: twents-waternet\nhoofdregio: twents-waternet\nperiod: \"2020\"\n---\n",
    );
    site.build_ok();
    for folder in ["regio", "hoofdregio"] {
        let page = site.read(&format!(
            "public/werkplaats/{folder}/twents-waternet/index.html"
        ));
        assert!(page.contains("Meten"), "{folder}: {page}");
    }
}

#[test]
fn a_wiki_link_in_a_plain_text_field_is_a_warning_at_the_field() {
    let site = common::TestSite::new();
    site.write_bodies(&BODIES.replace(
        "    name: Ambtelijk platform\n",
        "    name: Ambtelijk platform\n    composition: Mensen van [[Almelo]].\n",
    ));
    let run = site.twn(&["check"]);
    assert_eq!(run.code, Some(0), "a warning, not an error: {}", run.stderr);
    assert!(
        run.stderr
            .contains("`[[Almelo]]` wordt geen link: dit veld is gewone tekst"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("content/regio/twents-waternet.md:12:18"),
        "{}",
        run.stderr
    );
}

#[test]
fn filters_written_as_one_value_ask_for_a_list() {
    let config = common::CONFIG.replace(
        "    singular: Organisatie\n",
        "    singular: Organisatie\n    filters: type\n",
    );
    let line = line_of(&config, "    filters:");
    let stderr = assert_rejected(
        |s| s.write("twn.yaml", &config),
        &format!("twn.yaml:{line}:"),
        "hier hoort een lijst in twn.yaml",
    );
    assert!(stderr.contains("`[status]`"), "{stderr}");
}
