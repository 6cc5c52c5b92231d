//! Compares twn's history of every page with what git itself says, on any
//! repository whose site has its pages in `content/`:
//!
//! `twn-git-compare <site folder> [--show N]`
//!
//! For each page file in HEAD it lists the commits twn shows and those of
//! `git log --follow` and of `git log -M --follow -m --first-parent`, and
//! counts pages that agree, commits missing and extra, each split into
//! merges and other commits. It also times twn's history read (without its
//! cache) against `git log --no-merges -M --name-status`.

use rayon::prelude::*;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const USAGE: &str =
    "gebruik: twn-git-compare <map van de site> [--show N] [--rounds N] [--timing-only]";

fn main() {
    let mut args = std::env::args().skip(1);
    let mut root: Option<PathBuf> = None;
    let mut show = 10;
    let mut rounds = 3;
    let mut timing_only = false;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--show" => show = args.next().and_then(|n| n.parse().ok()).unwrap_or(show),
            "--rounds" => rounds = args.next().and_then(|n| n.parse().ok()).unwrap_or(rounds),
            "--timing-only" => timing_only = true,
            "--help" | "-h" => {
                println!("{USAGE}");
                return;
            }
            other => root = Some(PathBuf::from(other)),
        }
    }
    let Some(root) = root.filter(|root| root.join(".git").exists()) else {
        eprintln!("{USAGE}\n(de map van de site moet een git-repository zijn)");
        std::process::exit(2);
    };
    // Whole-repository first; a snapshot without its largest blobs only
    // allows the `content/` folder, which is also all that twn reads.
    let timed = |args: &[&str]| {
        let started = Instant::now();
        let status = Command::new("git")
            .current_dir(&root)
            .args(args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .expect("git runs");
        status.success().then(|| started.elapsed().as_secs_f64())
    };
    let whole = ["log", "--no-merges", "-M", "--name-status"];
    let in_content = [
        "log",
        "--no-merges",
        "-M",
        "--name-status",
        "--full-history",
        "--",
        "content",
    ];
    let git_command = if timed(&whole).is_some() {
        "git log --no-merges -M --name-status"
    } else {
        "git log --no-merges -M --name-status --full-history -- content"
    };
    // Alternating rounds, medians: the machine's speed drifts.
    let (mut twn_times, mut git_times) = (Vec::new(), Vec::new());
    let mut read = None;
    for _ in 0..rounds.max(1) {
        let _ = std::fs::remove_file(root.join(".twn-cache/geschiedenis.json"));
        let started = Instant::now();
        read = Some(twn::history::read(&root).expect("the history can be read"));
        twn_times.push(started.elapsed().as_secs_f64());
        let args: &[&str] = if git_command.ends_with("content") {
            &in_content
        } else {
            &whole
        };
        git_times.push(timed(args).expect("git log runs"));
    }
    let median = |mut times: Vec<f64>| {
        times.sort_by(f64::total_cmp);
        times[times.len() / 2]
    };
    let (twn_seconds, git_seconds) = (median(twn_times), median(git_times));
    let history = read
        .and_then(|r| r.history)
        .expect("the site is in a git repository");
    println!(
        "geschiedenis lezen (mediaan van {rounds}): twn {twn_seconds:.2} s, {git_command} {git_seconds:.2} s, verhouding {:.2}×",
        twn_seconds / git_seconds
    );
    if timing_only {
        return;
    }
    let merges: HashSet<String> = git(&root, &["log", "--merges", "--format=%H"])
        .into_iter()
        .collect();
    let through_content = reachable_through_content(&root);
    let prefix = git(&root, &["rev-parse", "--show-prefix"]).concat();
    let mut pages: Vec<(&String, Vec<(String, String)>)> = history
        .files
        .iter()
        .map(|(path, revisions)| {
            let ids = revisions
                .iter()
                .map(|r| (history.commits[r.commit].id.to_string(), r.path.clone()))
                .collect();
            (path, ids)
        })
        .collect();
    pages.sort();
    let compared: Vec<Comparison> = pages
        .par_iter()
        .map(|(path, twn)| {
            let file = format!("{prefix}content/{path}");
            let follow = paths_of(&git(
                &root,
                &[
                    "log",
                    "--follow",
                    "--name-only",
                    "--format=%x00%H",
                    "--",
                    &file,
                ],
            ));
            let first_parent = git(
                &root,
                &[
                    "log",
                    "-M",
                    "--follow",
                    "-m",
                    "--first-parent",
                    "--format=%H",
                    "--",
                    &file,
                ],
            );
            // What twn lists that git does not: does the commit change the
            // file at the path twn says, by git's own diff?
            let theirs: HashSet<&String> = follow.iter().map(|(id, _)| id).collect();
            let confirmed = twn
                .iter()
                .filter(|(id, _)| !theirs.contains(id))
                .filter(|(id, at)| {
                    let changed = git(
                        &root,
                        &[
                            "diff-tree",
                            "-r",
                            "-m",
                            "-M",
                            "--name-only",
                            "--no-commit-id",
                            id,
                        ],
                    );
                    changed
                        .iter()
                        .any(|p| *p == format!("{prefix}content/{at}"))
                })
                .map(|(id, _)| id.clone())
                .collect();
            let inside = format!("{prefix}content/");
            let lineage: HashSet<&str> = twn.iter().map(|(_, at)| at.as_str()).collect();
            let class_of = |at: &str| match at.strip_prefix(&inside) {
                None => Miss::Outside,
                Some(at) if lineage.contains(at) => Miss::Unexplained,
                Some(at) if history.files.contains_key(at) => Miss::OtherPage,
                Some(_) => Miss::OtherPath,
            };
            let misses = follow
                .iter()
                .map(|(id, at)| (id.clone(), class_of(at)))
                .collect();
            Comparison {
                path: (*path).clone(),
                twn: twn.iter().map(|(id, _)| id.clone()).collect(),
                follow: dedup(follow.into_iter().map(|(id, _)| id).collect()),
                first_parent: dedup(first_parent),
                confirmed,
                misses,
            }
        })
        .collect();
    println!(
        "{} pagina's, {} verwijderde pagina's, {} commits met paginawijzigingen, {} merges in de repository",
        compared.len(),
        history.deleted.len(),
        history.commits.len(),
        merges.len()
    );
    for (name, pick) in [
        (
            "git log --follow",
            (|c: &Comparison| &c.follow) as fn(&Comparison) -> &Vec<String>,
        ),
        ("git log -M --follow -m --first-parent", |c: &Comparison| {
            &c.first_parent
        }),
    ] {
        let mut same = 0;
        let mut same_set = 0;
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        let mut examples = Vec::new();
        for comparison in &compared {
            let theirs = pick(comparison);
            if *theirs == comparison.twn {
                same += 1;
                continue;
            }
            let ours: HashSet<&String> = comparison.twn.iter().collect();
            let their_set: HashSet<&String> = theirs.iter().collect();
            if ours == their_set {
                same_set += 1;
            }
            for id in theirs.iter().filter(|id| !ours.contains(id)) {
                let class = match comparison.misses.get(id) {
                    Some(Miss::Outside) => "ontbreekt: git volgt het bestand buiten content/",
                    _ if !through_content.contains(id) => {
                        "ontbreekt: alleen te bereiken via commits zonder content/ (de site stond toen elders)"
                    }
                    Some(Miss::OtherPage) => {
                        "ontbreekt: git volgt een kopie (C) naar een ander bestand dat nog bestaat"
                    }
                    Some(Miss::OtherPath) => {
                        "ontbreekt: git volgt het bestand naar een pad dat twn niet tot deze pagina rekent"
                    }
                    _ if merges.contains(id) => "ontbreekt: merge",
                    _ => "ontbreekt: gewone commit, onverklaard",
                };
                *counts.entry(class).or_default() += 1;
            }
            for id in comparison.twn.iter().filter(|id| !their_set.contains(id)) {
                let class = match (merges.contains(id), comparison.confirmed.contains(id)) {
                    (true, true) => {
                        "extra: merge, die het bestand volgens git diff-tree -m wijzigt"
                    }
                    (true, false) => "extra: merge, niet bevestigd",
                    (false, true) => {
                        "extra: gewone commit, die het bestand volgens git diff-tree wijzigt"
                    }
                    (false, false) => "extra: gewone commit, niet bevestigd",
                };
                *counts.entry(class).or_default() += 1;
            }
            if examples.len() < show
                && (examples.len() % 2 == 0) == theirs.iter().any(|id| !ours.contains(id))
            {
                examples.push(comparison);
            }
        }
        println!("\nnaast {name}:");
        println!("  gelijk, in dezelfde volgorde: {same} pagina's");
        println!("  dezelfde commits, andere volgorde: {same_set} pagina's");
        println!(
            "  verschillend: {} pagina's",
            compared.len() - same - same_set
        );
        for (what, count) in &counts {
            println!("  {what}: {count} commits");
        }
        for example in examples {
            let theirs = pick(example);
            let ours: HashSet<&String> = example.twn.iter().collect();
            let their_set: HashSet<&String> = theirs.iter().collect();
            let short = |ids: Vec<&&String>| {
                ids.iter()
                    .map(|id| id[..8].to_owned())
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            println!(
                "    {}: twn {}, git {}; alleen git: [{}], alleen twn: [{}]",
                example.path,
                example.twn.len(),
                theirs.len(),
                short(
                    theirs
                        .iter()
                        .filter(|id| !ours.contains(id))
                        .collect::<Vec<_>>()
                        .iter()
                        .collect()
                ),
                short(
                    example
                        .twn
                        .iter()
                        .filter(|id| !their_set.contains(id))
                        .collect::<Vec<_>>()
                        .iter()
                        .collect()
                ),
            );
        }
    }
}

struct Comparison {
    path: String,
    twn: Vec<String>,
    follow: Vec<String>,
    first_parent: Vec<String>,
    /// twn's commits, not git's, that git's own diff says change the file.
    confirmed: HashSet<String>,
    /// Where git's `--follow` had the file at each of its commits.
    misses: std::collections::HashMap<String, Miss>,
}

/// Why a commit git lists may be missing from twn's list: by where git
/// had the file at that commit.
#[derive(Clone, Copy, PartialEq)]
enum Miss {
    /// Outside `content/`, which is all twn reads.
    Outside,
    /// At the path of another page that still exists: git followed a copy.
    OtherPage,
    /// At a path twn gives to no page of this lineage.
    OtherPath,
    /// At a path of this page's own lineage.
    Unexplained,
}

/// `git log --name-only --format=%x00%H` as (commit, path) pairs.
fn paths_of(lines: &[String]) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    let mut commit: Option<String> = None;
    for line in lines {
        if let Some(id) = line.strip_prefix('\0') {
            // A merge shows no file: it keeps the path it was found at.
            if let Some(previous) = commit.replace(id.to_owned()) {
                let at = pairs
                    .last()
                    .map(|(_, p): &(String, String)| p.clone())
                    .unwrap_or_default();
                pairs.push((previous, at));
            }
        } else if !line.is_empty()
            && let Some(id) = commit.take()
        {
            pairs.push((id, line.clone()));
        }
    }
    if let Some(id) = commit {
        let at = pairs.last().map(|(_, p)| p.clone()).unwrap_or_default();
        pairs.push((id, at));
    }
    pairs
}

/// The commits reachable from HEAD without passing a commit that has no
/// `content/` folder: the history twn reads.
fn reachable_through_content(root: &Path) -> HashSet<String> {
    let repo = gix::discover(root).expect("a git repository");
    let prefix = git(root, &["rev-parse", "--show-prefix"]).concat();
    let content = format!("{prefix}content");
    let has_content = |id: gix::ObjectId| {
        repo.find_commit(id)
            .ok()
            .and_then(|c| c.tree().ok())
            .and_then(|t| t.lookup_entry_by_path(&content).ok().flatten())
            .is_some()
    };
    let mut seen = HashSet::new();
    let mut todo = vec![repo.head_id().expect("a HEAD").detach()];
    while let Some(id) = todo.pop() {
        if !seen.insert(id) || !has_content(id) {
            continue;
        }
        if let Ok(commit) = repo.find_commit(id) {
            todo.extend(commit.parent_ids().map(|p| p.detach()));
        }
    }
    seen.into_iter()
        .filter(|id| has_content(*id))
        .map(|id| id.to_string())
        .collect()
}

/// `-m` lists a merge once per parent.
fn dedup(ids: Vec<String>) -> Vec<String> {
    let mut seen = HashSet::new();
    ids.into_iter()
        .filter(|id| seen.insert(id.clone()))
        .collect()
}

fn git(dir: &Path, args: &[&str]) -> Vec<String> {
    let output = Command::new("git")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("git runs");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}
