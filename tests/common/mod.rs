//! A real site in a temporary folder, built with the real `twn` binary.
#![allow(dead_code)]

pub mod browser;
pub mod form;
pub mod history;
pub mod main_pages;
pub mod rejected;
pub mod server;
pub mod static_host;
pub mod tools;

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub struct TestSite {
    pub dir: tempfile::TempDir,
}

pub const CONFIG: &str = r#"title: Testwiki
base_url: https://example.org/
language: nl
theme: default
edit_url: https://git.example.org/wiki/edit/main/{path}
collections:
  regio:
    title: Regio's
    singular: Regio
    fields:
      members: { type: list, of: { type: reference, collection: organisatie }, label: Leden, backlink_label: Lid van }
      bodies: { type: bodies, collection: organisatie, label: Organen, backlink_label: Zit in }
  organisatie:
    title: Organisaties
    singular: Organisatie
    fields:
      type: { type: choice, values: [gemeente, waterschap], required: true, label: Soort }
  werkplaats:
    title: Werkplaatsen
    singular: Werkplaats
    fields:
      regio: { type: reference, collection: regio, required: true, backlink_label: Werkplaatsen }
      period: { type: text, required: true }
      start: { type: date }
"#;

/// [`CONFIG`] with more fields for organisations (YAML lines, indented as
/// fields are), such as a Markdown field.
pub fn config_with_organisation_fields(fields: &str) -> String {
    CONFIG.replace(
        "required: true, label: Soort }\n",
        &format!("required: true, label: Soort }}\n{fields}"),
    )
}

/// A Markdown field `intro` for organisations.
pub const INTRO_FIELD: &str = "      intro: { type: markdown, label: Intro }\n";

impl TestSite {
    /// A small valid site using the repository's default theme.
    pub fn new() -> Self {
        let site = TestSite {
            dir: tempfile::tempdir().unwrap(),
        };
        site.write("twn.yaml", CONFIG);
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default"),
            &site.path("themes/default"),
        );
        site.write(
            "content/index.md",
            "---\ntitle: Start\n---\n\nWelkom bij [[Twents Waternet]].\n",
        );
        site.write(
            "content/regio/twents-waternet.md",
            "---\ntitle: Twents Waternet\nmembers: [almelo, vechtstromen]\n---\n\n## Visie\n\nSamen met [[Almelo]].\n",
        );
        site.write("content/organisatie/almelo.md", "---\ntitle: Almelo\ntype: gemeente\n---\n\nLid van [[regio/twents-waternet|het verband]].\n");
        site.write(
            "content/organisatie/vechtstromen.md",
            "---\ntitle: Waterschap Vechtstromen\ntype: waterschap\n---\n\nHet waterschap.\n",
        );
        site.write(
            "content/werkplaats/rioolvervanging.md",
            "---\ntitle: Rioolvervanging\nregio: twents-waternet\nperiod: \"2017\"\nstart: 2017-01-16\n---\n\nZie [[Twents Waternet#visie]].\n",
        );
        site
    }

    /// Gives Twents Waternet bodies: `bodies` is the YAML list, indented
    /// by two spaces.
    pub fn write_bodies(&self, bodies: &str) {
        self.write(
            "content/regio/twents-waternet.md",
            &format!("---\ntitle: Twents Waternet\nmembers: [almelo, vechtstromen]\nbodies:\n{bodies}---\n\n## Visie\n\nSamen met [[Almelo]].\n"),
        );
    }

    /// A copy of the repository's own wiki: content, themes and twn.yaml.
    pub fn example() -> Self {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let site = TestSite {
            dir: tempfile::tempdir().unwrap(),
        };
        for part in ["content", "themes"] {
            copy_dir(&repo.join(part), &site.path(part));
        }
        std::fs::copy(repo.join("twn.yaml"), site.path("twn.yaml")).unwrap();
        site
    }

    /// The example wiki in a git repository, committed once.
    pub fn example_in_git() -> Self {
        let site = Self::example();
        site.git_init();
        site.commit_all(
            "Eerste versie",
            ("Redactie", "redactie@example.org"),
            "2024-01-15T10:00:00+01:00",
        );
        site
    }

    /// The example wiki with a git history: every page committed (and a
    /// news item that is deleted later), then a workplace edited and a
    /// news item renamed, so that history pages, old versions, diffs, a
    /// redirect, a deleted page's notice and authors' pages exist.
    pub fn example_with_history() -> Self {
        let site = Self::example();
        site.git_init();
        let editor = ("Redactie Twents Waternet", "redactie@example.org");
        let tijdelijk = "content/nieuws/tijdelijk-bericht.md";
        site.write(
            tijdelijk,
            "---\ntitle: Tijdelijk bericht\ndate: 2025-01-10\nregio: [twents-waternet]\n---\n\nDit bericht staat er maar even.\n",
        );
        site.commit_all("Voorbeeldwiki", editor, "2025-01-10T10:00:00+01:00");
        git(site.dir.path(), &["rm", "-q", tijdelijk]);
        site.commit_all(
            "Tijdelijk bericht weggehaald",
            editor,
            "2025-02-01T10:00:00+01:00",
        );
        let workplace = "content/werkplaats/rioolvervanging.md";
        let text = site.read(workplace);
        site.write(
            workplace,
            &format!("{text}\nDe planning voor de komende jaren wordt dit voorjaar gedeeld.\n"),
        );
        site.commit_all("Planning genoemd", editor, "2025-03-05T09:30:00+01:00");
        git(
            site.dir.path(),
            &[
                "mv",
                "content/nieuws/samenwerken-doen-we-zelf.md",
                "content/nieuws/presentatie-samenwerken.md",
            ],
        );
        site.commit_all(
            "Nieuwsbericht hernoemd",
            editor,
            "2025-04-01T11:00:00+02:00",
        );
        site
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    pub fn write(&self, relative: &str, text: &str) {
        self.write_bytes(relative, text.as_bytes());
    }

    pub fn write_bytes(&self, relative: &str, bytes: &[u8]) {
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }

    pub fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.path(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
    }

    pub fn twn(&self, args: &[&str]) -> Run {
        twn_in(self.dir.path(), args)
    }

    pub fn build_ok(&self) -> Run {
        let run = self.twn(&["build"]);
        assert_eq!(run.code, Some(0), "build failed:\n{}", run.stderr);
        run
    }

    /// The path below `public/` of every file there.
    pub fn public_files(&self) -> Vec<String> {
        let root = self.path("public");
        walkdir::WalkDir::new(&root)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                e.path()
                    .strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect()
    }

    /// Every file of `public/` with its bytes.
    pub fn public_snapshot(&self) -> BTreeMap<String, Vec<u8>> {
        self.public_files()
            .into_iter()
            .map(|path| {
                let bytes = std::fs::read(self.path("public").join(&path)).unwrap();
                (path, bytes)
            })
            .collect()
    }
}

/// The paths whose bytes differ between two snapshots of `public/`, or
/// that only one of them has.
pub fn paths_that_differ<'a>(
    a: &'a BTreeMap<String, Vec<u8>>,
    b: &'a BTreeMap<String, Vec<u8>>,
) -> Vec<&'a String> {
    a.keys()
        .chain(b.keys())
        .filter(|path| a.get(*path) != b.get(*path))
        .collect()
}

pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the real `twn` binary in `dir`.
pub fn twn_in(dir: &Path, args: &[&str]) -> Run {
    let output = Command::cargo_bin("twn")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    twn::output::copy_tree(from, to).unwrap();
}

/// Runs the real `git` in `dir` with no user or system configuration, so
/// that tests see the same git everywhere; panics if git fails.
pub fn git(dir: &Path, args: &[&str]) -> String {
    git_as(
        dir,
        args,
        ("Test", "test@example.org"),
        "2020-01-01T12:00:00+01:00",
    )
}

/// `git` with a chosen author and date (for author and committer both).
pub fn git_as(dir: &Path, args: &[&str], author: (&str, &str), date: &str) -> String {
    let output = std::process::Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", author.0)
        .env("GIT_AUTHOR_EMAIL", author.1)
        .env("GIT_COMMITTER_NAME", author.0)
        .env("GIT_COMMITTER_EMAIL", author.1)
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .expect("git is installed");
    assert!(
        output.status.success(),
        "git {args:?} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

impl TestSite {
    /// Builds the site for `http://<address>/wiki/` and serves it there;
    /// returns the host and that base URL.
    pub fn serve_on_static_host(&self) -> (static_host::StaticHost, String) {
        let (listener, address) = static_host::StaticHost::bind();
        let base = format!("http://{address}/wiki/");
        let run = self.twn(&["build", "--base-url", &base]);
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        (
            static_host::StaticHost::serve(listener, self.path("public"), "/wiki/"),
            base,
        )
    }

    /// Runs `git` in the site folder, as [`git`] does.
    pub fn git(&self, args: &[&str]) -> String {
        git(self.dir.path(), args)
    }

    /// Makes the site folder a git repository (branch `main`).
    pub fn git_init(&self) {
        git(self.dir.path(), &["init", "-q", "-b", "main"]);
        self.write(".gitignore", "/public\n/.twn-cache\n");
    }

    /// Commits everything in the site folder as `author` at `date`.
    pub fn commit_all(&self, message: &str, author: (&str, &str), date: &str) {
        let dir = self.dir.path();
        git(dir, &["add", "-A"]);
        git_as(dir, &["commit", "-q", "-m", message], author, date);
    }
}
