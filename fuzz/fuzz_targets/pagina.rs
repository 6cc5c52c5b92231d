//! One page file as an editor might save it, through everything twn does
//! with a page before it resolves links: decoding, front matter, the
//! schema of the example wiki, Markdown. Whatever the bytes: no panic,
//! every error positioned inside the file, every alias a safe output path,
//! and no refused URL left as a link in the HTML.

#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;
use twn::config::SiteConfig;

static CONFIG: LazyLock<SiteConfig> = LazyLock::new(|| {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    SiteConfig::load(&root).expect("the example wiki's twn.yaml")
});

fuzz_target!(|data: &[u8]| {
    let Ok(source) = twn::source::decode_source(data.to_vec(), "content/regio/x.md") else {
        return;
    };
    let lines = source.text.lines().count().max(1);
    let Ok(split) = twn::frontmatter::split(&source) else {
        return;
    };
    let fields = &CONFIG.collections["regio"].fields;
    let (front, problems) = twn::schema::validate(&source, &split.front_matter, fields);
    for problem in &problems {
        let position = problem.position.expect("every problem has a position");
        assert!(position.line >= 1 && position.line <= lines + 1, "{problem:?}");
    }
    for alias in &front.aliases {
        twn::urls::check_output_path(&format!("{}/index.html", alias.url_path))
            .expect("an accepted alias is a safe output path");
    }
    let body = twn::markdown::parse(split.body, false);
    // Text escapes `<`, so these only start real tags.
    let html = body.to_html(&[]).to_lowercase();
    for tag in ["<a href=\"", "<img src=\""] {
        for value in html.split(tag).skip(1) {
            for scheme in ["javascript:", "vbscript:", "data:text"] {
                assert!(!value.trim_start().starts_with(scheme), "{html}");
            }
        }
    }
});
