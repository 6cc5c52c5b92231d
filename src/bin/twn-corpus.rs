//! Generates a large site for benchmarks: `twn-corpus <dir> <pages>`.
//! Pages use the example wiki's collections, with wiki links, references
//! and headings in realistic proportions; the output is deterministic.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(dir), Some(pages)) = (
        args.get(1),
        args.get(2).and_then(|n| n.parse::<usize>().ok()),
    ) else {
        eprintln!("gebruik: twn-corpus <map> <aantal pagina's>");
        std::process::exit(2);
    };
    let root = Path::new(dir);
    if root.exists() {
        eprintln!("{dir} bestaat al");
        std::process::exit(2);
    }
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    twn::output::copy_tree(&repo.join("themes"), &root.join("themes")).expect("themes");
    std::fs::copy(repo.join("twn.yaml"), root.join("twn.yaml")).expect("twn.yaml");
    generate(root, pages);
    eprintln!("{pages} pagina's in {dir}");
}

fn generate(root: &Path, pages: usize) {
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
        write(root, &format!("regio/regio-{r}.md"), &text);
    }
    for o in 0..organisations {
        let text = format!(
            "---\ntitle: Organisatie {o}\ntype: gemeente\nwebsite: https://example.org/{o}\n---\n\n{lorem}\n\nLid van [[Regio {}]]. Buren: [[organisatie-{}]] en [[Organisatie {}|de buren]].\n",
            o % regions,
            (o + 1) % organisations,
            (o + 2) % organisations
        );
        write(root, &format!("organisatie/organisatie-{o}.md"), &text);
    }
    for w in 0..workplaces {
        let status = ["gepland", "actief", "afgerond"][w % 3];
        let text = format!(
            "---\ntitle: Werkplaats {w}\nregio: regio-{}\nperiod: \"{}\"\nstatus: {status}\ngoals: [kosten, kwaliteit]\nthemes: [bewustwording]\nparticipants: [organisatie-{}, organisatie-{}]\n---\n\n## Doel\n\n{lorem}\n\n## Aanpak\n\n{lorem} Zie [[Regio {}#organisatie]].\n",
            w % regions,
            2015 + w % 10,
            w % organisations.max(1),
            (w * 7) % organisations.max(1),
            w % regions
        );
        write(root, &format!("werkplaats/werkplaats-{w}.md"), &text);
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
        write(root, &format!("nieuws/bericht-{n}.md"), &text);
    }
    for (order, theme) in ["bescherming", "beleving", "bewustwording", "bundeling"]
        .iter()
        .enumerate()
    {
        write(
            root,
            &format!("thema/{theme}.md"),
            &format!(
                "---\ntitle: {theme}\norder: {}\n---\n\n{lorem}\n",
                order + 1
            ),
        );
    }
    write(
        root,
        "index.md",
        "---\ntitle: Benchmark\n---\n\nEen gegenereerde wiki.\n",
    );
}

fn write(root: &Path, relative: &str, text: &str) {
    let path = root.join("content").join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}
