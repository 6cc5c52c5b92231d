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

/// The Brotli module of Debian's nginx (libnginx-mod-http-brotli-static).
const BROTLI_STATIC: &str = "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so";

/// Starts nginx serving `public` at `/wiki/` on `port`, as one process
/// (no master), so that stopping it leaves no worker behind; `location`
/// holds more settings for the wiki, `main` more for nginx itself.
fn start_nginx(dir: &Path, public: &Path, port: u16) -> Nginx {
    start_nginx_with(dir, public, port, "", "")
}

fn start_nginx_with(dir: &Path, public: &Path, port: u16, main: &str, location: &str) -> Nginx {
    let running_as_root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0"));
    let d = dir.display();
    let config = format!(
        "{main}{user}daemon off;\nmaster_process off;\npid {d}/nginx.pid;\nerror_log {d}/error.log;\nevents {{}}\nhttp {{\n  include /etc/nginx/mime.types;\n  access_log off;\n  absolute_redirect off;\n  client_body_temp_path {d}/body;\n  proxy_temp_path {d}/proxy;\n  fastcgi_temp_path {d}/fastcgi;\n  uwsgi_temp_path {d}/uwsgi;\n  scgi_temp_path {d}/scgi;\n  server {{\n    listen 127.0.0.1:{port};\n    location /wiki/ {{\n      alias {}/;\n      error_page 404 /wiki/404.html;\n{location}    }}\n  }}\n}}\n",
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
    let (head, body) = get_raw(port, path, "");
    let head = String::from_utf8_lossy(&head).into_owned();
    let body = String::from_utf8_lossy(&body).into_owned();
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
        body,
    }
}

/// The head and the body bytes of `GET path`, with more request headers.
fn get_raw(port: u16, path: &str, headers: &str) -> (Vec<u8>, Vec<u8>) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n{headers}\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(raw.len());
    let body = raw.get(end + 4..).unwrap_or_default().to_vec();
    raw.truncate(end);
    (raw, body)
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

#[test]
fn with_precompress_nginx_sends_the_compressed_copies_twn_wrote() {
    let site = TestSite::example_with_history();
    let config = site.read("twn.yaml");
    site.write("twn.yaml", &format!("{config}precompress: true\n"));
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let run = site.twn(&[
        "build",
        "--base-url",
        &format!("http://127.0.0.1:{port}/wiki/"),
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    // Every text file big enough has both copies beside it, with its
    // bytes; old versions and diffs too, which come from the cache.
    let files = site.public_files();
    let mut checked = 0;
    for file in &files {
        let Some(plain) = ["html", "css", "js", "json", "xml", "svg"]
            .iter()
            .find(|e| file.ends_with(&format!(".{e}")))
            .map(|_| std::fs::read(site.path(&format!("public/{file}"))).unwrap())
        else {
            continue;
        };
        let gz = format!("public/{file}.gz");
        let br = format!("public/{file}.br");
        if plain.len() < 512 {
            assert!(!site.path(&gz).exists(), "{file}: too small to compress");
            continue;
        }
        let mut unzipped = Vec::new();
        flate2::read::GzDecoder::new(&std::fs::read(site.path(&gz)).unwrap()[..])
            .read_to_end(&mut unzipped)
            .unwrap_or_else(|e| panic!("{gz}: {e}"));
        assert_eq!(unzipped, plain, "{gz}");
        let mut unbrotlied = Vec::new();
        brotli::BrotliDecompress(
            &mut &std::fs::read(site.path(&br)).unwrap()[..],
            &mut unbrotlied,
        )
        .unwrap_or_else(|e| panic!("{br}: {e}"));
        assert_eq!(unbrotlied, plain, "{br}");
        checked += 1;
    }
    let history_copies = files
        .iter()
        .filter(|f| f.contains("/versie/") && f.ends_with(".html.br"))
        .count();
    assert!(
        history_copies > 10 && checked > 100,
        "{checked}, {history_copies}"
    );

    // nginx with the settings docs/publish.md gives.
    let brotli = Path::new(BROTLI_STATIC).exists();
    let main = if brotli {
        format!("load_module {BROTLI_STATIC};\n")
    } else {
        String::new()
    };
    let location = if brotli {
        "      gzip_static on;\n      brotli_static on;\n"
    } else {
        "      gzip_static on;\n"
    };
    let dir = tempfile::tempdir().unwrap();
    let _nginx = start_nginx_with(dir.path(), &site.path("public"), port, &main, location);
    let page = "regio/twents-waternet/";
    let plain = std::fs::read(site.path(&format!("public/{page}index.html"))).unwrap();
    let (head, body) = get_raw(port, &format!("/wiki/{page}"), "");
    assert!(
        !String::from_utf8_lossy(&head)
            .to_lowercase()
            .contains("content-encoding")
    );
    assert_eq!(body, plain, "a browser that accepts nothing gets the page");
    let (head, body) = get_raw(port, &format!("/wiki/{page}"), "Accept-Encoding: gzip\r\n");
    let head = String::from_utf8_lossy(&head).to_lowercase();
    assert!(head.contains("content-encoding: gzip"), "{head}");
    assert!(head.contains("content-type: text/html"), "{head}");
    assert_eq!(
        body,
        std::fs::read(site.path(&format!("public/{page}index.html.gz"))).unwrap()
    );
    if brotli {
        let (head, body) = get_raw(
            port,
            &format!("/wiki/{page}"),
            "Accept-Encoding: gzip, deflate, br\r\n",
        );
        let head = String::from_utf8_lossy(&head).to_lowercase();
        assert!(head.contains("content-encoding: br"), "{head}");
        assert_eq!(
            body,
            std::fs::read(site.path(&format!("public/{page}index.html.br"))).unwrap()
        );
        assert!(
            body.len() * 3 < plain.len(),
            "{} of {}",
            body.len(),
            plain.len()
        );
    }
}
