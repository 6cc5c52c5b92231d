//! The chart page as readers get it: drawing, legend and the same structure
//! as text, the preview on the region page, and the bodies each
//! organisation sits in.

mod common;
use common::TestSite;

const BODIES: &str = "  - id: bestuurlijk-platform
    name: Bestuurlijk platform
    in_text: het bestuurlijk platform
    composition: Bestuurders van alle leden.
    description: Stelt de *plannen* vast met [[Almelo]].
    members: [alle]
    relations:
      - { type: stuurt-aan, to: ambtelijk-platform }
  - id: ambtelijk-platform
    name: Ambtelijk platform
    in_text: het ambtelijk platform
    members: [almelo]
    relations:
      - { type: rapporteert-aan, to: bestuurlijk-platform }
  - id: werkplaatsen
    name: Werkplaatsen
    in_text: elke werkplaats
    collects: werkplaats
    relations:
      - { type: onderdeel-van, to: ambtelijk-platform }
";

fn built() -> TestSite {
    let site = TestSite::new();
    site.write_bodies(BODIES);
    site.build_ok();
    site
}

#[test]
fn the_chart_page_has_the_drawing_a_legend_and_the_structure_as_text() {
    let site = built();
    let page = site.read("public/regio/twents-waternet/organisatie/index.html");
    for expected in [
        "<h1>Organisatie van Twents Waternet</h1>",
        r#"<svg class="orgchart""#,
        r#"<title id="oc-title">Organogram van Twents Waternet</title>"#,
        r##"<a href="#orgaan-ambtelijk-platform" data-body="ambtelijk-platform">"##,
        r#"<li id="orgaan-ambtelijk-platform" class="org-body">"#,
        r##"Het bestuurlijk platform stuurt <a href="#orgaan-ambtelijk-platform">het ambtelijk platform</a> aan."##,
        r##"Elke werkplaats is onderdeel van <a href="#orgaan-ambtelijk-platform">het ambtelijk platform</a>."##,
        "<em>plannen</em>",
        "alle leden van Twents Waternet (2)",
        r#"<a href="/organisatie/almelo/">Almelo</a>"#,
        r#"<a href="/werkplaats/rioolvervanging/">Rioolvervanging</a> <span class="period">2017</span>"#,
        "stuurt aan</li>",
        "rapporteert aan</li>",
        r#"<a href="/regio/twents-waternet/organisatie/organogram.svg" download>"#,
    ] {
        assert!(page.contains(expected), "{expected} in:\n{page}");
    }
    assert!(
        !page.contains("adviseert</li>"),
        "only relation types in use are in the legend"
    );
    // The werkplaatsen are part of the ambtelijk platform, so nested in it.
    let platform = page.find(r#"<li id="orgaan-ambtelijk-platform""#).unwrap();
    let workplaces = page.find(r#"<li id="orgaan-werkplaatsen""#).unwrap();
    let nested = &page[platform..workplaces];
    assert!(
        nested.contains(r#"<ul class="org-tree">"#) && !nested.contains("</ul></li>"),
        "{nested}"
    );
}

#[test]
fn the_drawing_is_also_a_file_of_its_own() {
    let site = built();
    let svg = site.read("public/regio/twents-waternet/organisatie/organogram.svg");
    let document = roxmltree::Document::parse(&svg).expect("well-formed SVG");
    assert_eq!(document.root_element().tag_name().name(), "svg");
    assert!(
        !svg.contains("<a "),
        "no links that lead nowhere outside the page"
    );
    assert_eq!(svg.matches(r#"class="oc-box""#).count(), 3);
}

#[test]
fn the_region_page_links_to_its_chart_with_a_preview() {
    let site = built();
    let region = site.read("public/regio/twents-waternet/index.html");
    assert!(region.contains(r#"<a class="orgchart-preview" href="/regio/twents-waternet/organisatie/"><img src="/regio/twents-waternet/organisatie/organogram.svg" alt="""#), "{region}");
    assert!(region.contains("Bekijk het organogram en alle organen (3)"));
    let sitemap = site.read("public/sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/regio/twents-waternet/organisatie/</loc>"));
}

#[test]
fn organisations_list_the_bodies_they_sit_in() {
    let site = built();
    let almelo = site.read("public/organisatie/almelo/index.html");
    let seats = &almelo[almelo.find("<h2>Zit in</h2>").expect("a Zit in section")..];
    let seats = &seats[..seats.find("</section>").unwrap()];
    assert!(seats.contains(r##"<a href="/regio/twents-waternet/organisatie/#orgaan-bestuurlijk-platform">Bestuurlijk platform</a> <span class="context">(Twents Waternet)</span>"##), "{seats}");
    assert!(
        seats.contains("#orgaan-ambtelijk-platform"),
        "named in members: {seats}"
    );
    let water_board = site.read("public/organisatie/vechtstromen/index.html");
    assert!(
        water_board.contains("#orgaan-bestuurlijk-platform"),
        "a member through `alle`"
    );
    assert!(!water_board.contains("#orgaan-ambtelijk-platform"));
}

#[test]
fn a_region_without_bodies_has_no_chart_page() {
    let site = TestSite::new();
    site.build_ok();
    assert!(
        !site
            .path("public/regio/twents-waternet/organisatie")
            .exists()
    );
    assert!(
        !site
            .read("public/regio/twents-waternet/index.html")
            .contains("orgchart-preview")
    );
}

#[test]
fn search_finds_the_chart_by_its_words_without_markup() {
    let site = built();
    // One row of the document table for the chart...
    let tables = std::fs::read_dir(site.path("public/zoeken/index/d")).unwrap();
    let rows: Vec<String> = tables
        .map(|entry| std::fs::read_to_string(entry.unwrap().path()).unwrap())
        .flat_map(|table| serde_json::from_str::<Vec<(String, String, String)>>(&table).unwrap())
        .filter(|(url, _, _)| url == "regio/twents-waternet/organisatie/")
        .map(|(_, title, kind)| format!("{title} ({kind})"))
        .collect();
    assert_eq!(rows.len(), 1, "one document for the chart: {rows:?}");
    // ...whose excerpt comes from the chart's page: a description's words,
    // its link by its label, no raw wiki link.
    let page = site.read("public/regio/twents-waternet/organisatie/index.html");
    let main = page.split("<main").nth(1).unwrap();
    let text: String = main
        .split('<')
        .map(|part| part.split_once('>').map_or(part, |(_, text)| text))
        .collect();
    assert!(text.contains("Stelt de plannen vast met Almelo."), "{text}");
    assert!(!text.contains("[["), "no raw wiki link: {text}");
}
