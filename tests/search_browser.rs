//! Search as a reader uses it: the example wiki built for a sub-path,
//! served by a plain static host, searched in a real headless Chromium by
//! typing. And the same search in `twn serve`, following an edit.

mod common;
use common::TestSite;
use common::browser::Browser;
use common::server::{start, wait_for};
use common::static_host::StaticHost;
use serde_json::Value;
use std::time::{Duration, Instant};

/// Waits until the results settle for `query` and returns their titles,
/// or `None` if the page says the index could not be loaded.
fn try_results(browser: &mut Browser, query: &str) -> Option<Vec<String>> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let answer = browser.run(&format!(
            "const shown = document.getElementById('zoekstatus');
             if (!shown) return null;
             const status = shown.textContent;
             if (status.includes('niet geladen')) return false;
             if (!status.includes({query:?}) || status.includes('…')) return null;
             return Array.from(document.querySelectorAll('#zoekresultaten h2 a')).map(a => a.textContent);",
            query = format!("“{}”", query.trim())
        ));
        match answer {
            Value::Array(titles) => {
                return Some(
                    titles
                        .into_iter()
                        .map(|t| t.as_str().unwrap_or_default().to_owned())
                        .collect(),
                );
            }
            Value::Bool(false) => return None,
            _ => {}
        }
        assert!(
            Instant::now() < deadline,
            "no results settled for {query:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn results(browser: &mut Browser, query: &str) -> Vec<String> {
    try_results(browser, query).unwrap_or_else(|| panic!("{query}: the index did not load"))
}

fn search(browser: &mut Browser, query: &str) -> Vec<String> {
    browser.type_into("#zoekterm", query);
    results(browser, query)
}

#[test]
fn dutch_queries_find_the_right_pages_from_a_static_host_below_a_sub_path() {
    let site = TestSite::example();
    let (host, base_url) = site.serve_on_static_host();
    let mut browser = Browser::start();
    browser.viewport(1100, 900);

    // The header's search box leads to the search page with the query.
    browser.open(&base_url);
    browser.type_into("#zoekvak", "Hof van Twente\n");
    let titles = results(&mut browser, "Hof van Twente");
    assert_eq!(
        titles.first().map(String::as_str),
        Some("Hof van Twente"),
        "{titles:?}"
    );
    assert!(
        browser
            .run("return location.pathname + location.search;")
            .as_str()
            .unwrap()
            .starts_with("/wiki/zoeken/?q=Hof"),
    );
    // The header's field keeps the query on the results page and invites
    // a search elsewhere.
    let header = browser
        .run("const f = document.getElementById('zoekvak'); return [f.value, f.placeholder];");
    assert_eq!(header[0], "Hof van Twente", "{header}");
    assert_eq!(header[1], "Zoek een pagina", "{header}");

    // An excerpt starts with the page's own words, not a bare field value.
    search(&mut browser, "gemeenten");
    let snippets = browser.run(
        "return [...document.querySelectorAll('#zoekresultaten li p')].map(p => p.textContent.trim());",
    );
    let snippets = snippets.as_array().unwrap();
    assert!(!snippets.is_empty());
    for snippet in snippets {
        let snippet = snippet.as_str().unwrap();
        assert!(!snippet.starts_with("gemeente."), "{snippet}");
    }

    // A hyphenated name, whole or in parts.
    for query in ["Rijssen-Holten", "rijssen holten"] {
        let titles = search(&mut browser, query);
        assert_eq!(
            titles.first().map(String::as_str),
            Some("Rijssen-Holten"),
            "{query}: {titles:?}"
        );
    }
    // A plural found nowhere in the wiki finds the singular by its stem.
    let titles = search(&mut browser, "grondwatermeetnetten");
    assert_eq!(
        titles.first().map(String::as_str),
        Some("Grondwatermeetnet"),
        "{titles:?}"
    );
    let titles = search(&mut browser, "waterschappen");
    assert_eq!(
        titles.first().map(String::as_str),
        Some("Waterschap Vechtstromen"),
        "{titles:?}"
    );
    // Without its diaeresis, a word still finds the page, and the excerpt
    // marks the word as written.
    let titles = search(&mut browser, "coordinerend");
    assert!(titles.iter().any(|t| t == "Regio Twente"), "{titles:?}");
    let marked = browser.run("return Array.from(document.querySelectorAll('#zoekresultaten mark')).map(m => m.textContent);");
    assert!(
        marked
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m.as_str().unwrap().to_lowercase() == "coördinerend"),
        "{marked}"
    );
    // As you type: the start of a word is enough.
    let titles = search(&mut browser, "beschermi");
    assert_eq!(
        titles.first().map(String::as_str),
        Some("Bescherming"),
        "{titles:?}"
    );

    // Every result is a link that works below the sub-path, with its kind.
    let links = browser.run("return Array.from(document.querySelectorAll('#zoekresultaten h2 a')).map(a => a.getAttribute('href'));");
    for link in links.as_array().unwrap() {
        assert!(link.as_str().unwrap().starts_with("/wiki/"), "{link}");
    }
    assert_eq!(
        browser.run("return document.querySelector('#zoekresultaten .search-kind').textContent;"),
        Value::String("Thema".into())
    );

    // Keyboard: arrow down from the field reaches the first result.
    search(&mut browser, "Vechtstromen");
    browser.run("document.getElementById('zoekterm').focus(); document.getElementById('zoekterm').dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowDown', bubbles: true})); return true;");
    assert_eq!(
        browser.run(
            "return document.activeElement === document.querySelector('#zoekresultaten h2 a');"
        ),
        Value::Bool(true)
    );
    // The count is announced in a live region.
    assert_eq!(
        browser.run("return document.getElementById('zoekstatus').getAttribute('role');"),
        Value::String("status".into())
    );

    // Nothing is fetched outside the site (but the favicon browsers ask
    // for by themselves), and no old version is indexed.
    for (path, _) in host.served() {
        assert!(
            path.starts_with("/wiki/") || path == "/favicon.ico",
            "{path}"
        );
    }
    let index = std::fs::read_to_string(site.path("public/zoeken/index/index.json")).unwrap();
    let documents: Value = serde_json::from_str(&index).unwrap();
    let count = documents["documents"].as_u64().unwrap() as usize;
    let per_piece = documents["per_piece"].as_u64().unwrap() as usize;
    let mut rows = 0;
    for piece in 0..count.div_ceil(per_piece) {
        let table = site.read(&format!("public/zoeken/index/d/{piece}.json"));
        let table: Vec<(String, String, String)> = serde_json::from_str(&table).unwrap();
        for (url, title, _) in &table {
            for marker in ["/geschiedenis/", "/versie/", "/verschil/", "@"] {
                assert!(!url.contains(marker) && !title.contains(marker), "{url}");
            }
        }
        rows += table.len();
    }
    assert_eq!(rows, count, "every document has its row");
}

/// Every word of the example wiki, and Dutch word forms made to reach
/// every rule of the stemmer.
fn vocabulary() -> String {
    let mut text = String::new();
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for entry in walkdir::WalkDir::new(repo.join("content"))
        .into_iter()
        .flatten()
    {
        if entry.path().extension().is_some_and(|e| e == "md") {
            text.push_str(&std::fs::read_to_string(entry.path()).unwrap());
            text.push('\n');
        }
    }
    let roots = [
        "werk",
        "plaats",
        "gemeent",
        "water",
        "schap",
        "zuiver",
        "bouw",
        "beheer",
        "maan",
        "boom",
        "lijn",
        "nood",
        "rijs",
        "hof",
        "twent",
        "regi",
        "kracht",
        "groot",
        "lang",
        "plan",
        "stad",
        "idee",
        "coöperat",
        "Ĳssel",
    ];
    let prefixes = ["", "ge", "be", "ver", "onder"];
    let suffixes = [
        "", "en", "s", "'s", "’s", "es", "ies", "aus", "e", "ene", "nde", "heid", "heden", "ing",
        "ingen", "lijk", "lijke", "lijker", "lijkst", "baar", "atie", "aties", "iteit", "achtig",
        "achtiger", "ig", "ige", "iger", "igst", "end", "ende", "je", "jes", "tje", "pje", "ster",
        "sel", "erij", "arij", "isme", "te", "de", "t", "d", "kt", "ft", "pt", "le", "re", "se",
        "ge", "ische", "ieve", "ioneel", "atief", "tant", "naar", "laar", "raar", "fie", "gie",
        "dst", "tst", "rder", "erig", "ën", "ië",
    ];
    for prefix in prefixes {
        for root in roots {
            for suffix in suffixes {
                text.push_str(&format!(
                    " {prefix}{root}{suffix} {prefix}{root}{}{suffix}",
                    root.chars().last().unwrap()
                ));
            }
        }
    }
    text
}

#[test]
fn the_browser_cuts_folds_and_stems_words_as_the_index_does() {
    let site = TestSite::example();
    site.build_ok();
    let (listener, _) = StaticHost::bind();
    let address = listener.local_addr().unwrap();
    let _host = StaticHost::serve(listener, site.path("public"), "/");
    let text = vocabulary();
    let stemmer = twn::search::words::WordStemmer::new("nl");
    let expected: Vec<Value> = twn::search::words::words(&text)
        .filter_map(|(_, word)| stemmer.fold_and_stem(word))
        .map(|(form, stem)| serde_json::json!({"form": form, "stem": stem}))
        .collect();
    let mut browser = Browser::start();
    browser.open(&format!("http://{address}/zoeken/"));
    browser.run(&format!(
        "window.gevonden = null; twnSearchTerms({}).then(t => window.gevonden = t); return true;",
        serde_json::to_string(&text).unwrap()
    ));
    let deadline = Instant::now() + Duration::from_secs(20);
    let found = loop {
        let found = browser.run("return window.gevonden;");
        if found.is_array() {
            break found;
        }
        assert!(Instant::now() < deadline, "no words from the browser");
        std::thread::sleep(Duration::from_millis(50));
    };
    let found = found.as_array().unwrap();
    assert!(expected.len() > 20_000, "{} words", expected.len());
    assert_eq!(found.len(), expected.len(), "as many words");
    for (browser_word, index_word) in found.iter().zip(&expected) {
        assert_eq!(browser_word, index_word);
    }
}

#[test]
fn without_javascript_the_search_page_says_so_and_offers_the_indexes() {
    let site = TestSite::example();
    site.build_ok();
    let html = site.read("public/zoeken/index.html");
    let noscript = html
        .split("<noscript>")
        .nth(1)
        .unwrap()
        .split("</noscript>")
        .next()
        .unwrap();
    assert!(noscript.contains("JavaScript"), "{noscript}");
    for index in [
        "/regio/",
        "/werkplaats/",
        "/organisatie/",
        "/thema/",
        "/nieuws/",
    ] {
        assert!(
            html.contains(&format!("href=\"{index}\"")),
            "{index} listed"
        );
    }
    // Every page has the search box, a form that works without script.
    let home = site.read("public/index.html");
    assert!(
        home.contains(r#"<form class="site-search" role="search" action="/zoeken/" method="get">"#)
    );
}

#[test]
fn the_preview_index_follows_an_edit() {
    let site = TestSite::example();
    let server = start(&site);
    wait_for(&server, "/zoeken/index/index.json", 200);
    let mut browser = Browser::start();
    browser.open(&format!("http://{}/zoeken/?q=kikkerdril", server.address));
    assert!(results(&mut browser, "kikkerdril").is_empty());

    let almelo = site.read("content/organisatie/almelo.md");
    site.write(
        "content/organisatie/almelo.md",
        &format!("{almelo}\nIn de vijver bij het gemeentehuis zit elk voorjaar kikkerdril.\n"),
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        browser.open(&format!("http://{}/zoeken/?q=kikkerdril", server.address));
        // While the index is being made again, a piece may be missing.
        if try_results(&mut browser, "kikkerdril").is_some_and(|titles| titles == ["Almelo"]) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the edit never reached the index"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}
