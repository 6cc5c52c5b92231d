//! Generates a large site for benchmarks:
//! `twn-corpus <dir> <pages> [--commits <n>] [--kb <n>]`.
//! Pages use the example wiki's collections, with wiki links, references
//! and headings in realistic proportions. With `--commits`, the site is a git
//! repository whose history adds the pages and then edits one page per
//! commit, renaming a workplace or news item every 25th commit. With
//! `--kb`, every page gets about that many kilobytes of varied Dutch prose
//! (see `prose.rs`). With `--hugo`, the folder is a Hugo site as well, with
//! templates that show what twn's do (see `hugo.rs`), so both tools can be
//! timed on the very same Markdown and git history. The output is
//! deterministic.

mod hugo;
mod prose;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let option = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|n| n.parse::<usize>().ok())
    };
    let commits = option("--commits");
    let kilobytes = option("--kb").unwrap_or(0);
    let hugo = args.iter().any(|a| a == "--hugo");
    let (Some(dir), Some(pages)) = (
        args.get(1),
        args.get(2).and_then(|n| n.parse::<usize>().ok()),
    ) else {
        eprintln!(
            "gebruik: twn-corpus <map> <aantal pagina's> [--commits <aantal>] [--kb <kilobytes tekst per pagina>] [--hugo]"
        );
        std::process::exit(2);
    };
    let root = Path::new(dir);
    if root.exists() {
        eprintln!("{dir} bestaat al");
        std::process::exit(2);
    }
    // The themes of the repository, one folder above this package.
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    twn::output::copy_tree(&repo.join("themes"), &root.join("themes")).expect("themes");
    std::fs::copy(repo.join("twn.yaml"), root.join("twn.yaml")).expect("twn.yaml");
    let files = generate(pages, kilobytes);
    if hugo {
        hugo::write_site(root).expect("Hugo site");
    }
    match commits {
        Some(commits) => {
            import_history(root, files, commits.max(1));
            eprintln!("{pages} pagina's met {commits} commits in {dir}");
        }
        None => {
            for (relative, text) in &files {
                write(root, relative, text);
            }
            eprintln!("{pages} pagina's in {dir}");
        }
    }
}

/// Every page, by its path below `content/`.
fn generate(pages: usize, kilobytes: usize) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    let mut add = |relative: String, mut text: String| {
        if kilobytes > 0 {
            let seed = relative
                .bytes()
                .fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(b.into()));
            text.push_str(&prose::prose(
                &mut prose::Random::new(seed),
                kilobytes * 1024,
            ));
        }
        files.insert(relative, text);
    };
    // Of every 20 pages: 1 region, 8 organisations, 7 workplaces, 4 news.
    let regions = (pages / 20).max(1);
    let organisations = pages * 8 / 20;
    let workplaces = pages * 7 / 20;
    let news = pages.saturating_sub(regions + organisations + workplaces + 4);
    let lorem = "Gemeenten en het waterschap werken samen aan riolering, regenwater en grondwater. \
                 Door kennis te delen en samen in te kopen dalen de kosten en stijgt de kwaliteit.";
    for r in 0..regions {
        let members: Vec<String> = (0..15)
            .map(|k| format!("organisatie-{}", (r * 15 + k) % organisations.max(1)))
            .collect();
        let mut text = format!(
            "---\ntitle: Regio {r}\nmembers: [{}]\nthemes: [bescherming, bundeling]\n---\n",
            members.join(", ")
        );
        for section in ["Ambitie", "Organisatie", "Werkplaatsen", "Financiering"] {
            let _ = write!(
                text,
                "\n## {section}\n\n{lorem} Zie [[Organisatie {}]].\n",
                r % organisations.max(1)
            );
        }
        add(format!("regio/regio-{r}.md"), text);
    }
    for o in 0..organisations {
        let text = format!(
            "---\ntitle: Organisatie {o}\ntype: gemeente\nwebsite: https://example.org/{o}\n---\n\n{lorem}\n\nLid van [[Regio {}]]. Buren: [[organisatie-{}]] en [[Organisatie {}|de buren]].\n",
            o % regions,
            (o + 1) % organisations,
            (o + 2) % organisations
        );
        add(format!("organisatie/organisatie-{o}.md"), text);
    }
    for w in 0..workplaces {
        let status = ["gepland", "actief", "afgerond"][w % 3];
        let text = format!(
            "---\ntitle: Werkplaats {w}\nregio: regio-{}\nperiod: \"{}\"\nstatus: {status}\ngoals: [kosten, kwaliteit]\nthemes: [bewustwording]\nparticipants: [organisatie-{}, organisatie-{}]\n---\n\n## Doel\n\n{lorem}\n\n## Aanpak\n\n{lorem} Zie [[Regio {}#organisatie]].\n",
            w % regions,
            2015 + w % 10,
            w % organisations.max(1),
            // Another organisation than the first: a list names each once.
            (w + 1 + (w * 7) % organisations.saturating_sub(1).max(1)) % organisations.max(1),
            w % regions
        );
        add(format!("werkplaats/werkplaats-{w}.md"), text);
    }
    for n in 0..news {
        let text = format!(
            "---\ntitle: Bericht {n}\ndate: {}-{:02}-{:02}\nregio: [regio-{}]\n---\n\n{lorem} Meer over [[Werkplaats {}]].\n",
            2010 + n % 15,
            1 + n % 12,
            1 + n % 28,
            n % regions,
            n % workplaces.max(1)
        );
        add(format!("nieuws/bericht-{n}.md"), text);
    }
    for (order, theme) in ["bescherming", "beleving", "bewustwording", "bundeling"]
        .iter()
        .enumerate()
    {
        add(
            format!("thema/{theme}.md"),
            format!(
                "---\ntitle: {theme}\norder: {}\n---\n\n{lorem}\n",
                order + 1
            ),
        );
    }
    add(
        "index.md".into(),
        "---\ntitle: Benchmark\n---\n\nEen gegenereerde wiki.\n".into(),
    );
    files
}

/// Builds the history with one `git fast-import`: far faster than a git
/// process per commit.
fn import_history(root: &Path, mut files: BTreeMap<String, String>, commits: usize) {
    std::fs::create_dir_all(root).unwrap();
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .current_dir(root)
            .args(args)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .status()
            .expect("git is installed")
    };
    assert!(git(&["init", "-q", "-b", "main"]).success());
    let mut child = std::process::Command::new("git")
        .current_dir(root)
        .args(["fast-import", "--quiet"])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .expect("git fast-import");
    let mut stream = std::io::BufWriter::new(child.stdin.take().unwrap());
    let authors = [
        ("Anna de Vries", "anna@example.org"),
        ("Bram Jansen", "bram@example.org"),
        ("Carla Smit", "carla@example.org"),
        ("Daan Bakker", "daan@example.org"),
    ];
    let start = 1_420_070_400_i64; // 2015-01-01
    let mut paths: Vec<String> = files.keys().cloned().collect();
    let mut renames = 0;
    for c in 0..commits {
        let (name, email) = authors[c % authors.len()];
        let time = start + c as i64 * 3_600;
        let mut operations = String::new();
        let message = if c == 0 {
            inline(
                &mut operations,
                ".gitignore",
                "/public\n/.twn-cache\n/public-hugo\n/resources\n/.hugo_build.lock\n",
            );
            for (path, text) in &files {
                inline(&mut operations, &format!("content/{path}"), text);
            }
            "Alle pagina's toegevoegd".to_owned()
        } else {
            let k = (c * 7919) % paths.len();
            let path = paths[k].clone();
            let renamable = path.starts_with("werkplaats/") || path.starts_with("nieuws/");
            let mut target = path.clone();
            if c % 25 == 0 && renamable {
                renames += 1;
                target = format!("{}-r{renames}.md", path.trim_end_matches(".md"));
                let _ = writeln!(operations, "R content/{path} content/{target}");
                let text = files.remove(&path).unwrap();
                files.insert(target.clone(), text);
                paths[k] = target.clone();
            }
            let text = files.get_mut(&target).unwrap();
            let _ = writeln!(
                text,
                "\nAanvulling {c}: afspraken over onderhoud en kosten."
            );
            inline(&mut operations, &format!("content/{target}"), text);
            format!("{target} aangevuld (wijziging {c})")
        };
        let _ = writeln!(stream, "commit refs/heads/main");
        let _ = writeln!(stream, "author {name} <{email}> {time} +0100");
        let _ = writeln!(stream, "committer {name} <{email}> {time} +0100");
        let _ = writeln!(stream, "data {}\n{message}", message.len());
        let _ = stream.write_all(operations.as_bytes());
        let _ = writeln!(stream);
    }
    drop(stream);
    assert!(child.wait().unwrap().success(), "git fast-import failed");
    assert!(git(&["reset", "-q", "--hard"]).success());
    // Packed as `git gc` and a server's clone pack them, not as fast-import
    // left them: the deltas then run from new to old, as readers expect.
    assert!(git(&["repack", "-adfq", "--depth=50", "--window=10"]).success());
}

fn inline(operations: &mut String, path: &str, text: &str) {
    let _ = writeln!(
        operations,
        "M 100644 inline {path}\ndata {}\n{text}",
        text.len()
    );
}

fn write(root: &Path, relative: &str, text: &str) {
    let path = root.join("content").join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}
