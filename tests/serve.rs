//! `twn serve` as a reader and an editor meet it: the real binary on a free
//! loopback port, real HTTP requests, real edits on disk.

mod common;
use common::TestSite;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    address: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(site: &TestSite) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_twn"))
        .args(["serve", "--port", "0"])
        .current_dir(site.dir.path())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let address = loop {
        let line = lines.next().expect("serve printed its address").unwrap();
        if let Some(rest) = line.split("http://").nth(1) {
            break rest.split('/').next().unwrap().to_owned();
        }
    };
    // Keep draining stderr so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Server { child, address }
}

/// A plain HTTP/1.1 GET; returns the status code and the body.
fn get(server: &Server, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(&server.address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        server.address
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, response)
}

fn wait_for(server: &Server, path: &str, status: u16) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (got, body) = get(server, path);
        if got == status {
            return body;
        }
        assert!(
            Instant::now() < deadline,
            "{path} never answered {status}; last:\n{body}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn serves_pages_with_live_reload_and_refuses_paths_outside_the_site() {
    let site = TestSite::new();
    let server = start(&site);
    let body = wait_for(&server, "/organisatie/almelo/", 200);
    assert!(body.contains("<h1>Almelo</h1>"));
    assert!(
        body.contains("EventSource(\"/__twn/reload\")"),
        "live reload script injected"
    );
    assert!(body.contains(r#"href="/static/style.css""#), "{body}");
    let (status, css) = get(&server, "/static/style.css");
    assert_eq!(status, 200);
    assert!(css.contains("content-type: text/css"), "{css}");
    for outside in [
        "/../twn.yaml",
        "/%2e%2e/twn.yaml",
        "/static/%2E%2E/%2e%2e/twn.yaml",
    ] {
        assert_eq!(get(&server, outside).0, 400, "{outside}");
    }
    assert_eq!(get(&server, "/bestaat-niet/").0, 404);
    assert!(
        !site.path("public").exists(),
        "the preview does not touch public/"
    );
}

#[test]
fn a_bad_edit_shows_the_error_in_the_browser_and_a_fix_brings_the_site_back() {
    let site = TestSite::new();
    let server = start(&site);
    wait_for(&server, "/", 200);
    site.write(
        "content/organisatie/almelo.md",
        "---\ntitle: Almelo\ntype: dorp\n---\n",
    );
    let body = wait_for(&server, "/organisatie/almelo/", 500);
    assert!(body.contains("content/organisatie/almelo.md:3:7"), "{body}");
    assert!(body.contains("`dorp` is geen toegestane waarde"), "{body}");
    site.write(
        "content/organisatie/almelo.md",
        "---\ntitle: Almelo hersteld\ntype: gemeente\n---\n",
    );
    let body = wait_for(&server, "/organisatie/almelo/", 200);
    assert!(body.contains("<h1>Almelo hersteld</h1>"), "{body}");
}
