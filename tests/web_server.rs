//! The example wiki, built for a sub-path and served by a real nginx on
//! loopback: a crawler starting from the home page follows every link,
//! stylesheet, script, image and feed, and finds nothing broken, no page
//! left unreachable, and the 404 page for a missing address.

mod common;
use common::TestSite;
use common::tools::nginx;
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Nginx(Child);

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts nginx serving `public` at `/wiki/` on `port`, as one process
/// (no master), so that stopping it leaves no worker behind.
fn start_nginx(dir: &Path, public: &Path, port: u16) -> Nginx {
    let running_as_root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0"));
    let d = dir.display();
    let config = format!(
        "{user}daemon off;\nmaster_process off;\npid {d}/nginx.pid;\nerror_log {d}/error.log;\nevents {{}}\nhttp {{\n  include /etc/nginx/mime.types;\n  access_log off;\n  absolute_redirect off;\n  client_body_temp_path {d}/body;\n  proxy_temp_path {d}/proxy;\n  fastcgi_temp_path {d}/fastcgi;\n  uwsgi_temp_path {d}/uwsgi;\n  scgi_temp_path {d}/scgi;\n  server {{\n    listen 127.0.0.1:{port};\n    location /wiki/ {{\n      alias {}/;\n      error_page 404 /wiki/404.html;\n    }}\n  }}\n}}\n",
        public.display(),
        user = if running_as_root { "user root;\n" } else { "" },
    );
    std::fs::write(dir.join("nginx.conf"), config).unwrap();
    let child = Command::new(nginx())
        .arg("-c")
        .arg(dir.join("nginx.conf"))
        .arg("-p")
        .arg(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("nginx starts; .ci/tools installs it");
    let server = Nginx(child);
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "nginx never listened: {}",
            std::fs::read_to_string(dir.join("error.log")).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    server
}

struct Response {
    status: u16,
    content_type: String,
    body: String,
}

fn get(port: u16, path: &str) -> Response {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let content_type = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-type:")
                .map(|v| v.trim().to_owned())
        })
        .unwrap_or_default();
    Response {
        status,
        content_type,
        body: body.to_owned(),
    }
}

/// Every address `body` refers to: href and src attributes (also in SVG
/// and Atom), where forms lead (the search box), and url(…) in stylesheets.
fn references(body: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attribute in ["href=\"", "src=\"", "action=\""] {
        for part in body.split(attribute).skip(1) {
            if let Some(value) = part.split('"').next() {
                found.push(value.replace("&amp;", "&"));
            }
        }
    }
    for part in body.split("url(").skip(1) {
        if let Some(value) = part.split(')').next() {
            found.push(value.trim_matches(['"', '\'']).to_owned());
        }
    }
    found
}

#[test]
fn a_crawler_finds_no_broken_link_and_no_unreachable_page_on_nginx() {
    let site = TestSite::example_with_history();
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let origin = format!("http://127.0.0.1:{port}");
    let run = site.twn(&["build", "--base-url", &format!("{origin}/wiki/")]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let dir = tempfile::tempdir().unwrap();
    let _nginx = start_nginx(dir.path(), &site.path("public"), port);

    let mut queue = VecDeque::from([("/wiki/".to_owned(), "start".to_owned())]);
    let mut seen = BTreeSet::from(["/wiki/".to_owned()]);
    let mut ids: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut fragments = Vec::new();
    let mut broken = Vec::new();
    let mut links_followed = 0;
    while let Some((path, from)) = queue.pop_front() {
        let response = get(port, &path);
        if response.status != 200 {
            broken.push(format!("{path} ({}) linked from {from}", response.status));
            continue;
        }
        let is_text = ["html", "css", "svg", "xml"]
            .iter()
            .any(|t| response.content_type.contains(t));
        if !is_text {
            continue;
        }
        if response.content_type.contains("html") {
            let page_ids = response
                .body
                .split(" id=\"")
                .skip(1)
                .filter_map(|p| p.split('"').next())
                .map(str::to_owned)
                .collect();
            ids.insert(path.clone(), page_ids);
        }
        for reference in references(&response.body) {
            let local = if let Some(rest) = reference.strip_prefix(&origin) {
                rest.to_owned()
            } else if reference.starts_with('/') && !reference.starts_with("//") {
                reference.clone()
            } else if reference.starts_with('#') {
                format!("{path}{reference}")
            } else {
                continue; // another site, mailto:, or an XML namespace
            };
            links_followed += 1;
            let (target, fragment) = match local.split_once('#') {
                Some((t, f)) => (t.to_owned(), Some(f.to_owned())),
                None => (local, None),
            };
            if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
                fragments.push((target.clone(), fragment, path.clone()));
            }
            if seen.insert(target.clone()) {
                queue.push_back((target, path.clone()));
            }
        }
    }
    for (target, fragment, from) in &fragments {
        if let Some(page_ids) = ids.get(target)
            && !page_ids.contains(fragment)
        {
            broken.push(format!(
                "{target}#{fragment}: no such id, linked from {from}"
            ));
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));

    // Every page is reachable from the home page, but the 404 page and the
    // redirects left at old addresses, which no page links to on purpose.
    let mut unreachable = Vec::new();
    let mut pages = 0;
    for relative in site.public_files() {
        if !relative.ends_with(".html") || relative == "404.html" {
            continue;
        }
        if site
            .read(&format!("public/{relative}"))
            .contains("http-equiv=\"refresh\"")
        {
            continue;
        }
        pages += 1;
        let url = format!(
            "/wiki/{}",
            relative.strip_suffix("index.html").unwrap_or(&relative)
        );
        if !seen.contains(&url) {
            unreachable.push(url);
        }
    }
    assert!(
        unreachable.is_empty(),
        "pages no link leads to:\n{}",
        unreachable.join("\n")
    );

    let missing = get(port, "/wiki/bestaat-niet/");
    assert_eq!(missing.status, 404);
    assert!(
        missing.body.contains("Pagina niet gevonden"),
        "the 404 page is served"
    );
    eprintln!(
        "nginx: {} addresses fetched, {links_followed} links followed ({} with a fragment), {pages} pages all reachable, no broken links",
        seen.len(),
        fragments.len()
    );
}
