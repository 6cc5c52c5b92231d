//! Every kind of bad input: a clear error naming file:line:column, exit code
//! 1, and the previous `public/` left byte-for-byte as it was.

mod common;
use common::TestSite;
use common::rejected::{BODIES, assert_rejected};

#[test]
fn front_matter_without_closing_dashes() {
    assert_rejected(
        |s| {
            s.write(
                "content/organisatie/borne.md",
                "---\ntitle: Borne\ntype: gemeente\n\nTekst.\n",
            )
        },
        "content/organisatie/borne.md:1:1",
        "de kopgegevens worden niet afgesloten",
    );
}

#[test]
fn yaml_syntax_error() {
    assert_rejected(
        |s| {
            s.write(
                "content/organisatie/borne.md",
                "---\ntitle: Borne\ntype: gemeente\n  website: https://www.borne.nl\n---\n",
            )
        },
        "content/organisatie/borne.md:4:10",
        "ongeldige YAML in de kopgegevens: een `:` op een plek waar geen veld kan beginnen",
    );
}

#[test]
fn tab_indentation() {
    assert_rejected(
        |s| {
            s.write(
                "content/regio/twente.md",
                "---\ntitle: Twente\nmembers:\n\t- almelo\n---\n",
            )
        },
        "content/regio/twente.md:4:1",
        "een tab gebruikt om in te springen",
    );
}

#[test]
fn duplicate_key() {
    assert_rejected(
        |s| {
            s.write(
                "content/organisatie/borne.md",
                "---\ntitle: Borne\ntype: gemeente\ntitle: Borne 2\n---\n",
            )
        },
        "content/organisatie/borne.md:4:1",
        "het veld `title` staat twee keer in de kopgegevens",
    );
}

#[test]
fn list_where_text_is_expected() {
    assert_rejected(
        |s| {
            s.write(
                "content/werkplaats/meetnet.md",
                "---\ntitle: Meetnet\nregio: twents-waternet\nperiod:\n  - 2017\n  - 2018\n---\n",
            )
        },
        "content/werkplaats/meetnet.md:5:3",
        "hier wordt tekst verwacht, maar dit is een lijst",
    );
}

#[test]
fn missing_required_field() {
    let stderr = assert_rejected(
        |s| s.write("content/organisatie/borne.md", "---\ntitle: Borne\n---\n"),
        "content/organisatie/borne.md:1:1",
        "verplicht veld `type` ontbreekt",
    );
    assert!(
        stderr.contains("type: gemeente"),
        "the fix shows an allowed value:\n{stderr}"
    );
}

#[test]
fn unknown_reference() {
    let stderr = assert_rejected(
        |s| {
            s.write(
                "content/werkplaats/meetnet.md",
                "---\ntitle: Meetnet\nregio: twents-watrnet\nperiod: \"2017\"\n---\n",
            )
        },
        "content/werkplaats/meetnet.md:3:8",
        "verwijzing naar een regio-pagina die niet bestaat: `twents-watrnet`",
    );
    assert!(stderr.contains("bedoelt u `twents-waternet`?"), "{stderr}");
}

#[test]
fn impossible_date() {
    assert_rejected(
        |s| {
            s.write("content/werkplaats/meetnet.md", "---\ntitle: Meetnet\nregio: twents-waternet\nperiod: \"2019\"\nstart: 2019-02-31\n---\n")
        },
        "content/werkplaats/meetnet.md:5:8",
        "ongeldige datum `2019-02-31`: februari 2019 heeft 28 dagen",
    );
}

#[test]
fn control_character_written_as_an_escape() {
    assert_rejected(
        |s| {
            s.write(
                "content/organisatie/borne.md",
                "---\ntitle: \"Borne\\u0001\\e[31m\"\ntype: gemeente\n---\n",
            )
        },
        "content/organisatie/borne.md:2:8",
        "deze tekst bevat een onzichtbaar stuurteken (U+0001)",
    );
}

#[test]
fn empty_file() {
    assert_rejected(
        |s| s.write("content/organisatie/borne.md", ""),
        "content/organisatie/borne.md:1:1",
        "het bestand is leeg",
    );
}

#[test]
fn file_that_is_not_utf8() {
    assert_rejected(
        |s| {
            s.write_bytes(
                "content/organisatie/borne.md",
                b"---\ntitle: Caf\xe9 Borne\ntype: gemeente\n---\n",
            )
        },
        "content/organisatie/borne.md:2:11",
        "het bestand is geen UTF-8-tekst",
    );
}

#[test]
fn two_pages_with_the_same_url() {
    assert_rejected(
        |s| {
            s.write(
                "content/organisatie/almelo/index.md",
                "---\ntitle: Almelo (map)\ntype: gemeente\n---\n",
            )
        },
        "content/organisatie/almelo.md:1:1",
        "twee pagina's hebben dezelfde URL /organisatie/almelo/: content/organisatie/almelo/index.md en content/organisatie/almelo.md",
    );
}

#[test]
fn wiki_link_to_a_missing_page() {
    let stderr = assert_rejected(
        |s| {
            s.write(
                "content/organisatie/borne.md",
                "---\ntitle: Borne\ntype: gemeente\n---\n\nBorne werkt met\n[[Almeloo]] samen.\n",
            )
        },
        "content/organisatie/borne.md:7:1",
        "wikilink naar een pagina die niet bestaat: [[Almeloo]]",
    );
    assert!(stderr.contains("bedoelt u [[Almelo]]?"), "{stderr}");
}

#[test]
fn link_to_a_missing_heading() {
    assert_rejected(
        |s| {
            s.write(
                "content/organisatie/borne.md",
                "---\ntitle: Borne\ntype: gemeente\n---\n\nZie [[Twents Waternet#visei]].\n",
            )
        },
        "content/organisatie/borne.md:6:5",
        "link naar een kop die niet bestaat: #visei",
    );
    // A heading of the page itself, as MediaWiki writes it.
    let stderr = assert_rejected(
        |s| {
            s.write(
                "content/organisatie/borne.md",
                "---\ntitle: Borne\ntype: gemeente\n---\n\n## Water\n\nZie [[#water]] en [[#bodem]].\n",
            )
        },
        "content/organisatie/borne.md:8:19",
        "link naar een kop die niet bestaat: #bodem op content/organisatie/borne.md",
    );
    assert!(
        stderr.contains("de koppen van die pagina zijn: #water"),
        "{stderr}"
    );
    assert!(!stderr.contains("[[]]"), "{stderr}");
    let site = TestSite::new();
    site.write(
        "content/organisatie/borne.md",
        "---\ntitle: Borne\ntype: gemeente\n---\n\n## Water\n\nZie [[#water]] en [[#Water|het water]].\n",
    );
    site.build_ok();
    let html = site.read("public/organisatie/borne/index.html");
    assert!(html.contains(r##"<a href="#water">Water</a>"##), "{html}");
    assert!(
        html.contains(r##"<a href="#water">het water</a>"##),
        "{html}"
    );
}

#[test]
fn ambiguous_wiki_link() {
    let stderr = assert_rejected(
        |s| {
            s.write(
                "content/werkplaats/almelo.md",
                "---\ntitle: Almelo\nregio: twents-waternet\nperiod: \"2017\"\n---\n",
            );
            s.write(
                "content/organisatie/borne.md",
                "---\ntitle: Borne\ntype: gemeente\n---\n\nBuurgemeente van [[almelo]].\n",
            );
        },
        "content/organisatie/borne.md:6:18",
        "wikilink [[almelo]] is niet eenduidig",
    );
    assert!(
        stderr.contains("[[organisatie/almelo]] of [[werkplaats/almelo]]"),
        "{stderr}"
    );
}

#[test]
fn markdown_file_in_an_undeclared_folder() {
    assert_rejected(
        |s| s.write("content/organisaties/borne.md", "---\ntitle: Borne\n---\n"),
        "content/organisaties/borne.md:2:1",
        "de map `organisaties/` is geen collectie. Bedoelt u de collectie `organisatie`?",
    );
}

#[test]
fn page_where_the_search_page_or_a_collection_index_is() {
    assert_rejected(
        |s| s.write("content/zoeken.md", "---\ntitle: Zoeken\n---\n"),
        "content/zoeken.md:2:1",
        "deze pagina zou op /zoeken/ komen, maar daar staat al de zoekpagina",
    );
    assert_rejected(
        |s| s.write("content/regio.md", "---\ntitle: Regio\n---\n"),
        "content/regio.md:2:1",
        "daar staat al het overzicht van die collectie",
    );
}

#[test]
fn template_syntax_error() {
    assert_rejected(
        |s| {
            let page = s.read("themes/default/templates/list.html");
            s.write(
                "themes/default/templates/list.html",
                &page.replace("{% if pages %}", "{% if pages %"),
            );
        },
        "themes/default/templates/list.html:",
        "fout in sjabloon",
    );
}

#[test]
fn missing_template() {
    assert_rejected(
        |s| std::fs::remove_file(s.path("themes/default/templates/list.html")).unwrap(),
        "themes/default/templates/list.html",
        "het sjabloon `list.html` ontbreekt in het thema `default`",
    );
}

#[test]
fn unknown_fields_warn_with_a_suggestion_but_build() {
    let site = TestSite::new();
    site.write(
        "content/organisatie/borne.md",
        "---\ntitle: Borne\ntype: gemeente\ntitel: Borne\n---\n",
    );
    let run = site.twn(&["build"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stderr.contains("content/organisatie/borne.md:4:1"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("`titel`: onbekend veld; bedoelt u `title`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn one_run_reports_every_error_of_every_file_sorted() {
    let site = TestSite::new();
    site.write(
        "content/organisatie/zz.md",
        "---\ntitle: Z\ntype: provincie\n---\n\n[[Nergens]]\n",
    );
    site.write("content/organisatie/aa.md", "---\ntitle: A\n---\n");
    site.write(
        "content/werkplaats/mm.md",
        "---\ntitle: M\nregio: nergens\nperiod: \"2017\"\nstart: 2019-13-01\n---\n",
    );
    let run = site.twn(&["check"]);
    assert_eq!(run.code, Some(1));
    let locations: Vec<&str> = run
        .stderr
        .lines()
        .filter_map(|l| l.trim().strip_prefix("--> "))
        .collect();
    assert_eq!(
        locations,
        [
            "content/organisatie/aa.md:1:1",
            "content/organisatie/zz.md:3:7",
            "content/organisatie/zz.md:6:1",
            "content/werkplaats/mm.md:3:8",
            "content/werkplaats/mm.md:5:8",
        ],
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("5 fouten"), "{}", run.stderr);
}

#[test]
fn a_bom_and_crlf_line_endings_simply_work() {
    let site = TestSite::new();
    site.write_bytes("content/organisatie/borne.md", b"\xEF\xBB\xBF---\r\ntitle: Borne\r\ntype: gemeente\r\n---\r\n\r\n## Kop\r\n\r\nZie [[Almelo]].\r\n");
    site.build_ok();
    let html = site.read("public/organisatie/borne/index.html");
    assert!(html.contains("<h1>Borne</h1>"), "{html}");
    assert!(html.contains(r#"<h2 id="kop">Kop</h2>"#), "{html}");
    assert!(
        html.contains(r#"<a href="/organisatie/almelo/">Almelo</a>"#),
        "{html}"
    );
    // Errors in a CRLF file still point at the right line and column.
    site.write_bytes(
        "content/organisatie/borne.md",
        b"---\r\ntitle: Borne\r\ntype: gemeent\r\n---\r\n",
    );
    let run = site.twn(&["build"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains("content/organisatie/borne.md:3:7"),
        "{}",
        run.stderr
    );
}

#[test]
fn relation_to_an_unknown_body() {
    let stderr = assert_rejected(
        |s| s.write_bodies(&BODIES.replace("to: ambtelijk-platform", "to: ambtelijk-platfrom")),
        "content/regio/twents-waternet.md:9:33",
        "relatie `stuurt-aan` naar een orgaan dat niet bestaat: `ambtelijk-platfrom`",
    );
    assert!(
        stderr.contains("bedoelt u `ambtelijk-platform`?"),
        "{stderr}"
    );
}

#[test]
fn unknown_relation_type() {
    let stderr = assert_rejected(
        |s| s.write_bodies(&BODIES.replace("type: rapporteert-aan", "type: rapporteert")),
        "content/regio/twents-waternet.md:14:17",
        "`rapporteert` is geen toegestane waarde; bedoelt u `rapporteert-aan`?",
    );
    assert!(
        stderr.contains("stuurt-aan, onderdeel-van, rapporteert-aan, adviseert, ondersteunt"),
        "{stderr}"
    );
}

#[test]
fn duplicate_body_id() {
    assert_rejected(
        |s| s.write_bodies(&BODIES.replace("id: ambtelijk-platform", "id: bestuurlijk-platform")),
        "content/regio/twents-waternet.md:10:9",
        "id `bestuurlijk-platform` is al gebruikt voor een ander orgaan (regel 5)",
    );
}

#[test]
fn body_member_that_is_not_an_organisation() {
    let stderr = assert_rejected(
        |s| s.write_bodies(&BODIES.replace("members: [almelo]", "members: [almelo, enschede]")),
        "content/regio/twents-waternet.md:12:23",
        "verwijzing naar een organisatie-pagina die niet bestaat: `enschede`",
    );
    assert!(stderr.contains("twn new organisatie"), "{stderr}");
}

#[test]
fn a_body_without_an_id_or_a_visible_name() {
    let stderr = assert_rejected(
        |s| {
            s.write_bodies(
                "  - id: \"\"\n    name: Zonder id\n  - id: zonder-naam\n    name: \"\\u200b\\u202e \"\n",
            )
        },
        "content/regio/twents-waternet.md:5:9",
        "dit orgaan heeft een lege id",
    );
    assert!(
        stderr.contains("twents-waternet.md:8:11")
            && stderr.contains("de naam van dit orgaan is leeg"),
        "{stderr}"
    );
}

#[test]
fn a_chart_too_large_to_draw() {
    let bodies: String = (0..201)
        .map(|n| format!("  - id: orgaan-{n}\n    name: Orgaan {n}\n"))
        .collect();
    assert_rejected(
        |s| s.write_bodies(&bodies),
        "content/regio/twents-waternet.md:5:3",
        "dit organogram heeft 201 organen; meer dan 200",
    );
}

#[test]
fn cycle_in_the_hierarchy_is_spelled_out() {
    let stderr = assert_rejected(
        |s| {
            s.write_bodies(&format!(
                "{BODIES}  - id: werkplaatsen\n    name: Werkplaatsen\n    relations:\n      - {{ type: onderdeel-van, to: ambtelijk-platform }}\n      - {{ type: stuurt-aan, to: bestuurlijk-platform }}\n"
            ))
        },
        "content/regio/twents-waternet.md:19:33",
        "kring in de hiërarchie: Bestuurlijk platform stuurt Ambtelijk platform aan, Werkplaatsen is onderdeel van Ambtelijk platform en Werkplaatsen stuurt Bestuurlijk platform aan",
    );
    assert!(stderr.contains("`rapporteert-aan`"), "{stderr}");
}

#[test]
fn every_bodies_error_is_reported_in_one_run() {
    let stderr = assert_rejected(
        |s| {
            s.write_bodies(
                &BODIES
                    .replace("to: ambtelijk-platform", "to: niemand")
                    .replace("id: ambtelijk-platform", "id: Ambtelijk Platform"),
            )
        },
        "content/regio/twents-waternet.md:10:9",
        "`Ambtelijk Platform` kan geen id van een orgaan zijn",
    );
    assert!(stderr.contains("`niemand`"), "{stderr}");
}

#[test]
fn relation_of_a_body_to_itself_and_a_relation_written_twice() {
    let stderr = assert_rejected(
        |s| {
            s.write_bodies(&BODIES.replace(
                "      - { type: rapporteert-aan, to: bestuurlijk-platform }\n",
                "      - { type: rapporteert-aan, to: bestuurlijk-platform }\n      - { type: rapporteert-aan, to: bestuurlijk-platform }\n      - { type: adviseert, to: ambtelijk-platform }\n",
            ))
        },
        "content/regio/twents-waternet.md:15:38",
        "de relatie `rapporteert-aan` naar `bestuurlijk-platform` staat twee keer bij Ambtelijk platform",
    );
    assert!(
        stderr.contains("Ambtelijk platform heeft een relatie `adviseert` met zichzelf"),
        "{stderr}"
    );
}

#[test]
fn all_members_on_a_page_without_members() {
    assert_rejected(
        |s| {
            s.write(
                "content/regio/twents-waternet.md",
                &format!("---\ntitle: Twents Waternet\nbodies:\n{BODIES}---\n\nTekst.\n"),
            )
        },
        "content/regio/twents-waternet.md:6:15",
        "`alle` staat voor alle leden van deze pagina, maar de pagina heeft geen `members`",
    );
}

#[test]
fn one_broken_value_in_the_example_wiki_is_one_error_at_its_place() {
    let site = TestSite::example();
    let page = "content/regio/twents-waternet.md";
    let text = site.read(page);
    let motto_line = text.lines().position(|l| l.starts_with("motto:")).unwrap() + 1;
    let broken: String = text
        .lines()
        .map(|l| {
            if l.starts_with("motto:") {
                "motto: [kapot"
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    site.write(page, &broken);
    let run = site.twn(&["check"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("1 fout,"), "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!("{page}:{motto_line}:8")),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("deze `[` wordt niet gesloten"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("bestaat niet"), "{}", run.stderr);
}

#[test]
fn a_page_that_cannot_be_read_is_still_known_by_its_file_name() {
    for broken in [
        "---\ntitle: Almelo\ntype: gemeente\nwebsite: [kapot\n---\n\n## Kop\n",
        "---\ntitle: Almelo\ntype: gemeente\n\nGeen einde aan de kopgegevens.\n",
        "title: Almelo\n",
    ] {
        let site = TestSite::new();
        site.write("content/organisatie/almelo.md", broken);
        site.write(
            "content/organisatie/borne.md",
            "---\ntitle: Borne\ntype: gemeente\n---\n\nZie [[Almelo]] en [[organisatie/almelo#kop]].\n",
        );
        let run = site.twn(&["check"]);
        assert_eq!(run.code, Some(1), "{}", run.stderr);
        assert!(
            run.stderr.contains("1 fout,"),
            "{broken:?}:\n{}",
            run.stderr
        );
        assert!(
            run.stderr.contains("content/organisatie/almelo.md:"),
            "{}",
            run.stderr
        );
    }
}

/// Library words that must never reach an editor.
const ENGLISH: [&str; 14] = [
    "found",
    "expected",
    "while ",
    "budget",
    "breach",
    "Policy",
    "mapping",
    "scalar",
    "os error",
    "unclosed",
    "invalid",
    "unknown",
    "character",
    "anchor",
];

#[test]
fn every_yaml_mistake_is_explained_in_dutch() {
    let site = TestSite::new();
    let cases = [
        "title: [kapot",
        "title: \"open",
        "title: a\n\tx: b",
        "title: &a [*a]",
        "title: !!binary zz",
        "title: x\n- y",
        "title: \"\\q\"",
        "title: 1e999",
        "title: |0\n  x",
        "title: *nope",
        "title: @x",
        "title: `x",
        "title: x\n  y: z",
        "? [a]\n: b\ntitle: x",
        "title: x\n%YAML 1.2",
        "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: [*f, *f, *f, *f, *f, *f, *f, *f, *f]\ntitle: x",
    ];
    for (i, front) in cases.iter().enumerate() {
        site.write(
            &format!("content/fout-{i}.md"),
            &format!("---\n{front}\n---\nTekst\n"),
        );
    }
    let run = site.twn(&["check"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    for (i, _) in cases.iter().enumerate() {
        assert!(
            run.stderr.contains(&format!("content/fout-{i}.md:")),
            "case {i}:\n{}",
            run.stderr
        );
    }
    for line in run
        .stderr
        .lines()
        .filter(|l| l.starts_with("fout") || l.starts_with("oplossing"))
    {
        for word in ENGLISH {
            assert!(!line.contains(word), "{word:?} in {line:?}");
        }
    }
    site.write(
        "twn.yaml",
        &common::CONFIG.replace("title: Testwiki", "titel: Testwiki"),
    );
    let run = site.twn(&["check"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr
            .contains("`titel` is geen bekende instelling in twn.yaml; bedoelt u `title`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_file_with_only_cr_line_endings_is_named_as_such() {
    assert_rejected(
        |s| {
            s.write(
                "content/organisatie/borne.md",
                "---\rtitle: Borne\rtype: gemeente\r---\r\rTekst.\r",
            )
        },
        "content/organisatie/borne.md:1:1",
        "het bestand gebruikt alleen CR als regeleinde",
    );
}

#[test]
fn committed_merge_conflict_markers_are_an_error() {
    assert_rejected(
        |s| {
            s.write(
                "content/organisatie/almelo.md",
                "---\ntitle: Almelo\ntype: gemeente\n---\n\n<<<<<<< HEAD\nNieuwe tekst.\n=======\nOude tekst.\n>>>>>>> zijtak\n",
            )
        },
        "content/organisatie/almelo.md:6:1",
        "markeringen van een git-conflict",
    );
}

#[test]
fn a_missing_image_beside_a_page_is_an_error_like_a_missing_page() {
    let stderr = assert_rejected(
        |s| {
            s.write_bytes("content/organisatie/borne/foto.png", b"\x89PNG\r\n");
            s.write(
                "content/organisatie/borne/index.md",
                "---\ntitle: Borne\ntype: gemeente\n---\n\n![Foto](foto.png)\n\n![Kaart](kaart.png)\n",
            )
        },
        "content/organisatie/borne/index.md:8:1",
        "afbeelding die niet bestaat: `kaart.png` (gezocht als content/organisatie/borne/kaart.png)",
    );
    assert!(!stderr.contains("foto.png"), "{stderr}");
}

#[test]
fn a_link_to_no_file_or_page_of_the_site_is_an_error() {
    let stderr = assert_rejected(
        |s| {
            s.write_bytes("content/organisatie/borne/verslag.pdf", b"%PDF-1.4\n");
            s.write(
                "content/organisatie/borne/index.md",
                "---\ntitle: Borne\ntype: gemeente\n---\n\n[Verslag](verslag.pdf), [Almelo](../almelo/).\n\nZie [de notulen](notulen.html), [het archief](/archief/) en [Almelo](../almelo.html).\n",
            )
        },
        "content/organisatie/borne/index.md:8:5",
        "link naar een adres dat niet bestaat: `notulen.html` (gezocht als content/organisatie/borne/notulen.html)",
    );
    assert!(
        stderr.contains("link naar een adres dat niet bestaat: `/archief/`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("bedoelt u het bestand `../almelo.md`?"),
        "{stderr}"
    );
    assert!(!stderr.contains("verslag.pdf"), "{stderr}");
    assert!(!stderr.contains("../almelo/"), "{stderr}");
}

#[test]
fn a_link_to_a_file_or_page_of_the_site_leads_there_from_the_base() {
    let site = TestSite::new();
    site.write_bytes("content/organisatie/borne/verslag.pdf", b"%PDF-1.4\n");
    site.write(
        "content/organisatie/borne/index.md",
        "---\ntitle: Borne\ntype: gemeente\n---\n\n[Verslag](verslag.pdf), [Almelo](../almelo/).\n",
    );
    site.build_ok();
    let html = site.read("public/organisatie/borne/index.html");
    assert!(
        html.contains("href=\"/organisatie/borne/verslag.pdf\""),
        "{html}"
    );
    assert!(html.contains("href=\"/organisatie/almelo/\""), "{html}");
    // The ways a browser or another tool would write the same places.
    site.write_bytes("content/organisatie/Groot/notulen.pdf", b"%PDF-1.4\n");
    site.write(
        "content/organisatie/Groot/index.md",
        "---\ntitle: Groot\ntype: gemeente\n---\n\n[Notulen](notulen.pdf#page=2), [Almelo](../almelo/index.html), [ook Almelo](/organisatie/almelo.md), [alle](..), [gefilterd](../almelo/?x=1).\n",
    );
    site.build_ok();
    let groot = site.read("public/organisatie/groot/index.html");
    for href in [
        "/organisatie/Groot/notulen.pdf#page=2",
        "/organisatie/almelo/",
        "/organisatie/",
        "/organisatie/almelo/?x=1",
    ] {
        assert!(
            groot.contains(&format!("href=\"{href}\"")),
            "{href}: {groot}"
        );
    }
    assert!(site.path("public/organisatie/Groot/notulen.pdf").is_file());
    // From the site's root, a link follows the base URL as twn's own do.
    site.write(
        "content/organisatie/borne/index.md",
        "---\ntitle: Borne\ntype: gemeente\n---\n\n[Almelo](/organisatie/almelo/), [zoeken](/zoeken/?q=water), [elders](//example.org/a).\n",
    );
    let run = site.twn(&["build", "--base-url", "https://example.org/wiki/"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let html = site.read("public/organisatie/borne/index.html");
    for href in [
        "/wiki/organisatie/almelo/",
        "/wiki/zoeken/?q=water",
        "//example.org/a",
    ] {
        assert!(html.contains(&format!("href=\"{href}\"")), "{href}: {html}");
    }
    let almelo = site.read("public/organisatie/almelo/index.html");
    assert!(
        almelo.contains("/organisatie/borne/"),
        "a backlink: {almelo}"
    );
}

#[test]
fn a_symbolic_link_in_content_is_a_warning_naming_it() {
    let site = TestSite::new();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("geheim.md"),
        "---\ntitle: Geheim\n---\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("geheim.md"),
        site.path("content/organisatie/geheim.md"),
    )
    .unwrap();
    let run = site.twn(&["build"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stderr.contains("content/organisatie/geheim.md"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("symbolische koppeling"),
        "{}",
        run.stderr
    );
    assert!(!site.path("public/organisatie/geheim").exists());
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let stderr = assert_rejected(
        |s| {
            s.write(
                "content/organisatie/borne.md",
                &format!(
                    "---\ntitle: Borne\ntype: gemeente\nx: {}{}\n---\n",
                    "[".repeat(60),
                    "]".repeat(60)
                ),
            )
        },
        "content/organisatie/borne.md:4:",
        "te diep genest",
    );
    assert!(!stderr.contains("overflow"), "{stderr}");
}

#[test]
fn names_without_letters_or_too_long_for_an_address_are_errors_in_check_too() {
    for name in ["!!!", "—", &"lang".repeat(60)] {
        let file = format!("content/organisatie/{name}.md");
        let stderr = assert_rejected(
            |s| s.write(&file, "---\ntitle: X\ntype: gemeente\n---\n"),
            &format!("{file}:2:1"),
            "bestandsnaam",
        );
        assert!(stderr.contains("2 | title: X"), "the excerpt: {stderr}");
    }
}

#[test]
fn collection_names_twn_uses_itself_or_empty_ones_are_errors() {
    for name in ["zoeken", "geschiedenis", "static", "auteurs", "\"\""] {
        let site = TestSite::new();
        site.write(
            "twn.yaml",
            &format!(
                "{}  {name}:\n    title: K\n    singular: K\n",
                common::CONFIG
            ),
        );
        let run = site.twn(&["check"]);
        assert_eq!(run.code, Some(1), "{name}:\n{}", run.stderr);
        assert!(run.stderr.contains("twn.yaml:"), "{}", run.stderr);
        assert!(
            !run.stderr.contains("twn.yaml:1:1"),
            "at the collection, not the top: {}",
            run.stderr
        );
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    }
}

#[test]
fn a_reference_or_link_to_a_draft_says_it_is_a_draft() {
    let stderr = assert_rejected(
        |s| {
            s.write(
                "content/regio/dinkelland.md",
                "---\ntitle: Regio Dinkelland in opbouw\ndraft: true\n---\n\nNog niet klaar.\n",
            );
            s.write(
                "content/werkplaats/meetnet.md",
                "---\ntitle: Meetnet\nregio: dinkelland\nperiod: \"2017\"\n---\n\nZie [[regio/dinkelland]] en [[Regio Dinkelland in opbouw]].\n",
            )
        },
        "content/werkplaats/meetnet.md:3:8",
        "`dinkelland` noemt een concept: content/regio/dinkelland.md heeft `draft: true`",
    );
    assert!(
        stderr.contains("[[regio/dinkelland]] noemt een concept"),
        "{stderr}"
    );
    assert!(
        stderr.contains("[[Regio Dinkelland in opbouw]] noemt een concept"),
        "by its title too: {stderr}"
    );
    assert!(stderr.contains("--drafts"), "{stderr}");
    assert!(!stderr.contains("bestaat niet"), "{stderr}");
}

#[test]
fn a_link_to_a_heading_of_a_page_without_headings_says_so() {
    let stderr = assert_rejected(
        |s| {
            s.write(
                "content/organisatie/borne.md",
                "---\ntitle: Borne\ntype: gemeente\n---\n\nZie [[Dinkel#water]].\n",
            );
            s.write(
                "content/organisatie/dinkel.md",
                "---\ntitle: Dinkel\ntype: gemeente\n---\n\nGeen koppen.\n",
            )
        },
        "content/organisatie/borne.md:6:5",
        "link naar een kop die niet bestaat: #water",
    );
    assert!(stderr.contains("die pagina heeft geen koppen"), "{stderr}");
    assert!(!stderr.contains("(geen koppen)"), "{stderr}");
}

#[test]
fn a_link_to_the_top_of_a_page_is_no_missing_heading() {
    // HTML makes `#` and `#top` the top of any page; editors write them
    // as "naar boven" links.
    let site = TestSite::new();
    site.write(
        "content/organisatie/borne.md",
        "---\ntitle: Borne\ntype: gemeente\n---\n\n[Naar boven](#), [begin](#TOP), [[Dinkel#top]], [ook](dinkel.md#).\n",
    );
    site.write(
        "content/organisatie/dinkel.md",
        "---\ntitle: Dinkel\ntype: gemeente\n---\n\nGeen koppen.\n",
    );
    site.build_ok();
    let html = site.read("public/organisatie/borne/index.html");
    for link in [
        "href=\"#\">Naar boven",
        "href=\"#TOP\">begin",
        "href=\"/organisatie/dinkel/#top\">Dinkel<",
        "href=\"/organisatie/dinkel/#\">ook",
    ] {
        assert!(html.contains(link), "{link}: {html}");
    }
}

#[test]
fn html_the_site_does_not_allow_is_a_warning_and_a_comment_stays_hidden() {
    let site = TestSite::new();
    site.write(
        "content/organisatie/borne.md",
        "---\ntitle: Borne\ntype: gemeente\n---\n\nOpen <!-- bel Jan: 06-12345678 --> dag.\n\n<div class=\"kader\">\nLet op\n</div>\n\nEn <b>vet</b>.\n",
    );
    let run = site.build_ok();
    assert!(
        run.stderr
            .contains("waarschuwing: HTML wordt als tekst getoond (op 3 plaatsen op deze pagina)"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/organisatie/borne.md:8:1"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("allow_html: true"), "{}", run.stderr);
    let html = site.read("public/organisatie/borne/index.html");
    assert!(
        !html.contains("06-12345678"),
        "a comment is never published: {html}"
    );
    assert!(html.contains("&lt;div class=\"kader\"&gt;"), "{html}");
    // A comment left open hides the rest of the page: it says so.
    site.write(
        "content/organisatie/borne.md",
        "---\ntitle: Borne\ntype: gemeente\n---\n\nOpen dag.\n\n  <!-- tot hier\n\nDe rest.\n",
    );
    let run = site.build_ok();
    assert!(
        run.stderr.contains("opmerking zonder einde")
            && run.stderr.contains("content/organisatie/borne.md:8:3"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_script_link_in_a_markdown_field_is_an_error_where_it_is_written() {
    let config = common::config_with_organisation_fields(common::INTRO_FIELD);
    assert_rejected(
        |s| {
            s.write("twn.yaml", &config);
            s.write(
                "content/organisatie/borne.md",
                "---\ntitle: Borne\ntype: gemeente\nintro: |\n  Borne werkt samen.\n  Zie [dit](javascript:alert(1)).\n---\n",
            )
        },
        "content/organisatie/borne.md:6:7",
        "javascript:",
    );
}

#[test]
fn an_unclosed_quote_is_reported_where_it_opens() {
    // The parser reads on to the next quote, lines later; the slip is here.
    for (text, location) in [
        (
            "---\ntitle: \"Borne\ntype: gemeente\ndescription: \"Een gemeente\"\n---\n",
            "content/organisatie/borne.md:2:8",
        ),
        (
            "---\ntitle: Borne\ntype: gemeente\nwebsite: 'https://borne.nl\ndescription: Het 's avonds\n---\n",
            "content/organisatie/borne.md:4:10",
        ),
        (
            "---\ntitle: Borne\ntype: gemeente\nformerly:\n  - \"Borne\n  - \"Hertme\"\n---\n",
            "content/organisatie/borne.md:5:5",
        ),
    ] {
        assert_rejected(
            |s| s.write("content/organisatie/borne.md", text),
            location,
            "dit aanhalingsteken wordt niet gesloten",
        );
    }
}

#[test]
fn a_value_twice_in_a_list_is_a_warning_at_the_second() {
    let site = TestSite::new();
    site.write(
        "content/regio/twents-waternet.md",
        "---\ntitle: Twents Waternet\nmembers:\n  - almelo\n  - vechtstromen\n  - Almelo\n---\n\n## Visie\n\nTekst.\n",
    );
    let run = site.twn(&["build"]);
    assert_eq!(run.code, Some(0), "a warning, not an error: {}", run.stderr);
    assert!(
        run.stderr.contains("content/regio/twents-waternet.md:6:5"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("`Almelo` staat twee keer in deze lijst"),
        "{}",
        run.stderr
    );
    let strict = site.twn(&["check", "--strict"]);
    assert_eq!(strict.code, Some(1), "{}", strict.stderr);
    // Choices that share a slug are still different choices.
    site.write(
        "twn.yaml",
        &common::CONFIG.replace(
            "      start: { type: date }\n",
            "      start: { type: date }\n      labels: { type: list, of: { type: choice, values: [A, A+, A++] } }\n",
        ),
    );
    site.write(
        "content/regio/twents-waternet.md",
        "---\ntitle: Twents Waternet\nmembers: [almelo, vechtstromen]\n---\n\n## Visie\n\nTekst.\n",
    );
    site.write(
        "content/werkplaats/rioolvervanging.md",
        "---\ntitle: Rioolvervanging\nregio: twents-waternet\nperiod: \"2017\"\nlabels: [A+, A++, A]\n---\n\nZie [[Twents Waternet#visie]].\n",
    );
    let choices = site.twn(&["check", "--strict"]);
    assert_eq!(choices.code, Some(0), "{}", choices.stderr);
}
