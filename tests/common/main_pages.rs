//! The kinds of page readers use most, in a built example wiki with history.

use super::TestSite;

/// (short name, URL) of the home page, a region, its org chart, a
/// workplace, the workplace index, a history page, a diff and the search
/// page with results, for a site built with base URL `base`.
pub fn main_pages(site: &TestSite, base: &str) -> Vec<(&'static str, String)> {
    let history = site.read("public/werkplaats/rioolvervanging/geschiedenis/index.html");
    let diff = history
        .split("href=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap())
        .find(|href| href.contains("/verschil/"))
        .expect("the history page links to a diff");
    let origin = base.split("/wiki/").next().unwrap();
    vec![
        ("start", base.to_owned()),
        ("regio", format!("{base}regio/twents-waternet/")),
        (
            "organogram",
            format!("{base}regio/twents-waternet/organisatie/"),
        ),
        ("werkplaats", format!("{base}werkplaats/rioolvervanging/")),
        ("werkplaatsen", format!("{base}werkplaats/")),
        (
            "werkplaatsen-actief",
            format!("{base}werkplaats/status/actief/"),
        ),
        (
            "geschiedenis",
            format!("{base}werkplaats/rioolvervanging/geschiedenis/"),
        ),
        ("verschil", format!("{origin}{diff}")),
        ("zoeken", format!("{base}zoeken/?q=waterschappen")),
        ("verwijderd", format!("{base}nieuws/tijdelijk-bericht/")),
        ("auteurs", format!("{base}auteurs/")),
    ]
}
