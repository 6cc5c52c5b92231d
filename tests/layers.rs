//! The modules of the library import one way, along the data flow: every
//! `crate::` path in `src/` points to a lower layer, and the files of one
//! folder never import each other in a circle. The README's "Opbouw"
//! table describes the same layers.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// From the bottom up. A module may use modules of lower layers only.
const LAYERS: &[&[&str]] = &[
    // Leaf helpers: no other module of twn.
    &[
        "diagnostics",
        "suggest",
        "slug",
        "text",
        "fingerprint",
        "git_files",
        "artifact",
        "ids",
        "compress",
        "own_process",
        // Tests only.
        "test_turns",
    ],
    &["urls", "source", "yaml"],
    &["files", "frontmatter"],
    &["folders"],
    // The schema's vocabulary, then the models read from sources.
    &["fields"],
    &["orgchart", "history"],
    &["drawing", "markdown"],
    &["schema", "config"],
    &["page"],
    // The resolved site, and what is made of it.
    &["resolve"],
    &["render"],
    &["search"],
    // Disk, the pipeline, and the commands around it.
    &["output", "revision_cache", "edit"],
    &["pipeline"],
    &["build", "live"],
    &["serve", "scaffold"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

/// The library's source files: everything below `src/` but the binaries.
fn library_files() -> Vec<PathBuf> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    walkdir::WalkDir::new(&src)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .filter(|p| {
            let relative = p.strip_prefix(&src).unwrap();
            !relative.starts_with("bin")
                && relative != Path::new("main.rs")
                && relative != Path::new("lib.rs")
        })
        .collect()
}

/// The names after `prefix` (`crate::` or `super::`) in `text`, outside
/// comments, including each name of a `use crate::{a, b::c}` group.
fn names_after(text: &str, prefix: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let code: String = text
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let ident = |rest: &str| -> String {
        rest.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let mut rest = code.as_str();
    while let Some(at) = rest.find(prefix) {
        let after = &rest[at + prefix.len()..];
        if let Some(group) = after.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let name = ident(item.trim());
                if !name.is_empty() {
                    names.insert(name);
                }
            }
        } else {
            let name = ident(after);
            if !name.is_empty() {
                names.insert(name);
            }
        }
        rest = after;
    }
    names
}

fn top_module(file: &Path) -> String {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let relative = file.strip_prefix(&src).unwrap();
    let first = relative.components().next().unwrap().as_os_str();
    first.to_string_lossy().trim_end_matches(".rs").to_owned()
}

#[test]
fn every_import_points_down_the_layers() {
    let mut wrong = Vec::new();
    for file in library_files() {
        let module = top_module(&file);
        let Some(own) = layer_of(&module) else {
            wrong.push(format!(
                "module `{module}` is in no layer: add it to LAYERS here and to the README's table"
            ));
            continue;
        };
        let text = std::fs::read_to_string(&file).unwrap();
        for used in names_after(&text, "crate::") {
            if used == module {
                continue;
            }
            match layer_of(&used) {
                Some(layer) if layer < own => {}
                Some(_) => wrong.push(format!(
                    "{}: `{module}` uses `crate::{used}`, which is not below it",
                    file.display()
                )),
                None => wrong.push(format!(
                    "{}: `crate::{used}` is in no layer",
                    file.display()
                )),
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the layers:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_files_of_one_folder_do_not_import_each_other_in_a_circle() {
    // Per folder module: which of its files use which others (`super::x`
    // or `crate::folder::x`), leaving out its mod.rs, which gathers them.
    let mut folders: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for file in library_files() {
        let module = top_module(&file);
        let stem = file.file_stem().unwrap().to_string_lossy().into_owned();
        if file.parent().unwrap().file_name().unwrap() != module.as_str() || stem == "mod" {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let mut used = names_after(&text, "super::");
        used.extend(names_after(&text, &format!("crate::{module}::")));
        folders.entry(module).or_default().insert(stem, used);
    }
    for (folder, files) in &folders {
        let edges: BTreeMap<&str, Vec<&str>> = files
            .iter()
            .map(|(file, used)| {
                let siblings = used
                    .iter()
                    .map(String::as_str)
                    .filter(|u| *u != file && files.contains_key(*u))
                    .collect();
                (file.as_str(), siblings)
            })
            .collect();
        if let Some(circle) = find_circle(&edges) {
            panic!(
                "in src/{folder}/ these import each other: {}",
                circle.join(" → ")
            );
        }
    }
}

/// A circle in the graph, as the files along it, if there is one.
fn find_circle<'a>(edges: &BTreeMap<&'a str, Vec<&'a str>>) -> Option<Vec<&'a str>> {
    fn visit<'a>(
        node: &'a str,
        edges: &BTreeMap<&'a str, Vec<&'a str>>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Option<Vec<&'a str>> {
        if let Some(at) = path.iter().position(|n| *n == node) {
            let mut circle = path[at..].to_vec();
            circle.push(node);
            return Some(circle);
        }
        if !done.insert(node) {
            return None;
        }
        path.push(node);
        for next in edges.get(node).into_iter().flatten() {
            if let Some(circle) = visit(next, edges, path, done) {
                return Some(circle);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    edges
        .keys()
        .find_map(|node| visit(node, edges, &mut Vec::new(), &mut done))
}

#[test]
fn the_circle_finder_finds_a_circle_and_only_then() {
    let circle = BTreeMap::from([("a", vec!["b"]), ("b", vec!["c"]), ("c", vec!["a"])]);
    assert_eq!(find_circle(&circle), Some(vec!["a", "b", "c", "a"]));
    let line = BTreeMap::from([("a", vec!["b"]), ("b", vec!["c"]), ("c", vec![])]);
    assert_eq!(find_circle(&line), None);
    let names = names_after(
        "use crate::{a, b::c};\n// crate::d\nlet x = crate::e::f;",
        "crate::",
    );
    assert_eq!(names, BTreeSet::from(["a".into(), "b".into(), "e".into()]));
}
