//! Deterministic mutation fuzzing of what editors write: front matter,
//! wiki links, Markdown and `twn.yaml`. Each case breaks a small valid
//! site a little (a byte, a YAML token, a path, a script URL, a line moved)
//! and runs a check, and every tenth case a full build, in-process. For
//! every case: no panic, nothing written outside the output folder, and
//! either success or errors that each name file:line:column.
//!
//! `TWN_FUZZ_CASES` sets the number of cases (default 2000) and
//! `TWN_FUZZ_SEED` the seed, to run longer or to replay one failure. For
//! coverage-guided runs, see `fuzz/` (`cargo fuzz`).

mod common;
use common::TestSite;
use std::collections::BTreeSet;
use std::path::Path;
use twn::build::{BuildOptions, build};

/// xorshift64*: small, deterministic, good enough to choose mutations.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Pieces that mean something to YAML, Markdown, wiki links, paths or URLs.
const TOKENS: &[&str] = &[
    ":",
    ": ",
    "[",
    "]",
    "{",
    "}",
    "\"",
    "'",
    "\t",
    "\r",
    "\r\n",
    "\n",
    "- ",
    "#",
    "|",
    ">",
    "*a",
    "&a ",
    "!!binary ",
    "%",
    "..",
    "../",
    "/",
    "\\",
    "\0",
    "\u{feff}",
    "<<<<<<< HEAD\n",
    ">>>>>>> x\n",
    "[[",
    "]]",
    "[[Almelo]]",
    "[[Nergens]]",
    "[[regio/twents-waternet#visie]]",
    "[[#]]",
    "[[|]]",
    "[x](javascript:alert(1))",
    "![k](kaart.png)",
    "![k](../../../../etc/passwd)",
    "<javascript:x>",
    "[x](../organisatie/almelo.md)",
    "aliases: [\"/../twn-fuzz-escape/\"]\n",
    "aliases: [/oud/a/]\n",
    "title: ",
    "type: ",
    "regio: ",
    "members: [",
    "bodies:\n  - id: x\n    name: X\n",
    "draft: true\n",
    "---\n",
    "...\n",
    "Coöperatie",
    "Ĳssel",
    "😀",
    "e\u{301}",
    "\u{202e}",
    "2019-02-31",
    "1e999",
    "```\n",
    "<script>alert(1)</script>",
    "| a |\n|---|\n",
    "[^1]",
    "\\q",
    "~",
    "null",
    "true",
];

fn token(random: &mut Random) -> &'static str {
    TOKENS[random.below(TOKENS.len())]
}

fn mutate(text: &str, random: &mut Random) -> String {
    let mut text = text.to_owned();
    for _ in 0..1 + random.below(3) {
        let at = floor_boundary(&text, random.below(text.len() + 1));
        match random.below(6) {
            0 | 1 => text.insert_str(at, token(random)),
            2 => {
                let end = floor_boundary(&text, at + random.below(12));
                text.replace_range(at..end, "");
            }
            3 => {
                let end = floor_boundary(&text, at + random.below(12));
                let copy = text[at..end].to_owned();
                text.insert_str(end, &copy);
            }
            4 => {
                let mut lines: Vec<&str> = text.lines().collect();
                if lines.len() > 1 {
                    let (a, b) = (random.below(lines.len()), random.below(lines.len()));
                    lines.swap(a, b);
                }
                text = lines.join("\n");
            }
            _ => {
                let end = floor_boundary(&text, at + random.below(6));
                text.replace_range(at..end, token(random));
            }
        }
    }
    text
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Every path below `dir` but the output and the cache.
fn around(dir: &Path) -> BTreeSet<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            name != "public" && name != ".twn-cache"
        })
        .filter_map(Result::ok)
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect()
}

#[test]
fn mutated_sources_never_panic_escape_or_fail_without_a_position() {
    let cases: usize = std::env::var("TWN_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    let seed: u64 = std::env::var("TWN_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x7477_6e5f_6675_7a7a);
    let site = TestSite::new();
    site.write_bodies(
        "  - id: platform\n    name: Platform\n    members: [alle]\n    relations:\n      - { type: stuurt-aan, to: team }\n  - id: team\n    name: Team\n",
    );
    site.write(
        "content/organisatie/borne/index.md",
        "---\ntitle: Borne\ntype: gemeente\naliases: [/oud/borne/]\n---\n\n## Kaart\n\n![Kaart](kaart.png) en [[Almelo]], [tekst](../almelo.md) en [web](https://borne.nl).\n",
    );
    site.write_bytes("content/organisatie/borne/kaart.png", b"\x89PNG\r\n");
    let sources: Vec<(String, String)> = [
        "twn.yaml",
        "content/index.md",
        "content/regio/twents-waternet.md",
        "content/organisatie/almelo.md",
        "content/organisatie/borne/index.md",
        "content/werkplaats/rioolvervanging.md",
    ]
    .iter()
    .map(|p| (p.to_string(), site.read(p)))
    .collect();
    let root = site.dir.path().to_path_buf();
    let options = |out: bool| BuildOptions {
        site_root: root.clone(),
        out_dir: out.then(|| root.join("public")),
        base_url: None,
        drafts: false,
        progress: false,
        strict: false,
    };
    assert!(build(&options(true)).is_ok(), "the unbroken site builds");
    let before = around(&root);
    let escape = Path::new("/twn-fuzz-escape");
    let mut random = Random(seed | 1);
    let (mut passed, mut failed) = (0, 0);
    for case in 0..cases {
        let (path, original) = random.pick(&sources).clone();
        let mutated = mutate(&original, &mut random);
        site.write(&path, &mutated);
        let writing = case % 10 == 0;
        let result = std::panic::catch_unwind(|| build(&options(writing)));
        let replay = format!("case {case} (TWN_FUZZ_SEED={seed}), {path}:\n{mutated}");
        let result = result.unwrap_or_else(|_| panic!("panic in {replay}"));
        match result {
            Ok(_) => passed += 1,
            Err(failure) => {
                failed += 1;
                for problem in failure.diagnostics.sorted() {
                    if problem.is_error() {
                        assert!(
                            problem.position.is_some(),
                            "no position: {problem:?}\nin {replay}"
                        );
                        assert!(problem.help.is_some(), "no fix: {problem:?}\nin {replay}");
                    }
                }
            }
        }
        assert_eq!(
            around(&root),
            before,
            "written outside the output: {replay}"
        );
        assert!(!escape.exists(), "an alias escaped: {replay}");
        site.write(&path, &original);
    }
    // The mutations must reach both outcomes to mean anything.
    assert!(
        passed > cases / 20 && failed > cases / 5,
        "{passed} passed, {failed} failed"
    );
}
