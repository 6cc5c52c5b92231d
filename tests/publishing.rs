//! The publishing examples in docs/publish/ are valid YAML and build the
//! way the README and docs/publish.md say: full git history, the same
//! `twn build --strict` command, `public/` published.

use serde_json::Value;
use std::path::Path;

fn read(relative: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)).unwrap()
}

fn yaml(relative: &str) -> Value {
    serde_saphyr::from_str(&read(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

/// The build command as the README gives it, without the example address.
fn readme_build_command() -> String {
    let readme = read("README.md");
    let line = readme
        .lines()
        .find(|l| l.starts_with("twn build --strict"))
        .expect("the README gives the publishing build command");
    assert!(
        read("docs/publish.md").contains(line),
        "docs/publish.md gives the same command"
    );
    line.split(" https://").next().unwrap().to_owned()
}

fn runs(steps: &Value) -> Vec<String> {
    match steps {
        Value::Array(items) => items
            .iter()
            .filter_map(|s| s["run"].as_str().or(s.as_str()).map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

/// The step that uses the action starting with `action`.
fn step_using<'a>(steps: &'a Value, action: &str) -> Option<&'a Value> {
    steps
        .as_array()?
        .iter()
        .find(|s| s["uses"].as_str().is_some_and(|u| u.starts_with(action)))
}

/// Whether `commands` build as `command` says and install twn first.
fn assert_builds_like_the_readme(commands: &[String], command: &str) {
    assert!(
        commands.iter().any(|r| r.starts_with(command)),
        "{command:?} in {commands:?}"
    );
    assert!(
        commands
            .iter()
            .any(|r| r.contains("cargo install --locked")),
        "twn is installed"
    );
}

#[test]
fn the_github_actions_workflow_builds_with_full_history_and_publishes_public() {
    let command = readme_build_command();
    let workflow = yaml("docs/publish/github-pages.yml");
    assert!(
        workflow["on"]["push"]["branches"]
            .as_array()
            .unwrap()
            .contains(&Value::from("main"))
    );
    assert_eq!(workflow["permissions"]["pages"], "write");
    assert_eq!(workflow["permissions"]["id-token"], "write");
    let steps = &workflow["jobs"]["build"]["steps"];
    let checkout = step_using(steps, "actions/checkout@").expect("a checkout step");
    assert_eq!(checkout["with"]["fetch-depth"], 0, "the whole history");
    assert_builds_like_the_readme(&runs(steps), &command);
    let upload = step_using(steps, "actions/upload-pages-artifact@").expect("the site is uploaded");
    assert_eq!(upload["with"]["path"], "public");
    let deploy = &workflow["jobs"]["deploy"];
    assert_eq!(deploy["needs"], "build");
    assert!(
        deploy["steps"][0]["uses"]
            .as_str()
            .unwrap()
            .starts_with("actions/deploy-pages@")
    );
}

#[test]
fn the_gitlab_job_builds_with_full_history_and_publishes_public() {
    let command = readme_build_command();
    let ci = yaml("docs/publish/gitlab-ci.yml");
    let pages = &ci["pages"];
    assert!(pages.is_object(), "GitLab Pages needs a job named pages");
    assert!(
        pages["variables"]["GIT_DEPTH"] == 0 || pages["variables"]["GIT_DEPTH"] == "0",
        "the whole history"
    );
    assert_builds_like_the_readme(&runs(&pages["script"]), &command);
    assert_eq!(pages["artifacts"]["paths"], serde_json::json!(["public"]));
}
