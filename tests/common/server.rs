//! `twn serve` on a free loopback port, and plain HTTP requests to it.

use super::TestSite;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Server {
    child: Child,
    pub address: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn start(site: &TestSite) -> Server {
    start_with(site, &[]).0
}

/// `twn serve` with more arguments; also returns what it printed before
/// its address.
pub fn start_with(site: &TestSite, args: &[&str]) -> (Server, Vec<String>) {
    start_with_env(site, args, &[])
}

/// `twn serve` with more arguments and environment variables, from the
/// end of its first build.
pub fn start_with_env(
    site: &TestSite,
    args: &[&str],
    env: &[(&str, &str)],
) -> (Server, Vec<String>) {
    let (server, mut printed, mut lines) = start_answering(site, args, env);
    // The server answers at once; tests start from the whole first build,
    // which ends with its report (pages built, or the errors).
    for line in lines.by_ref() {
        let line = line.unwrap();
        let done = line.contains("gebouwd in") || line.contains("de fout staat ook in de browser");
        printed.push(line);
        if done {
            break;
        }
    }
    keep_draining(lines);
    (server, printed)
}

/// What `twn serve` prints, line by line.
pub type Log = std::io::Lines<BufReader<std::process::ChildStderr>>;

/// `twn serve` as soon as it prints its address, with what it printed
/// before and the rest of its log, which the caller must keep reading
/// (see [`keep_draining`]).
pub fn start_answering(
    site: &TestSite,
    args: &[&str],
    env: &[(&str, &str)],
) -> (Server, Vec<String>, Log) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_twn"))
        .args(["serve", "--port", "0"])
        .args(args)
        .envs(env.iter().copied())
        .current_dir(site.dir.path())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let mut printed = Vec::new();
    let address = loop {
        let line = lines.next().expect("serve printed its address").unwrap();
        if let Some(rest) = line.split("http://").nth(1) {
            break rest.split('/').next().unwrap().to_owned();
        }
        printed.push(line);
    };
    (Server { child, address }, printed, lines)
}

/// Keeps reading the log, so that the server never blocks on a full pipe.
/// The lines `twn serve` prints, on a channel as they come.
pub fn as_they_come(lines: Log) -> std::sync::mpsc::Receiver<String> {
    let (sender, log) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            if sender.send(line).is_err() {
                break;
            }
        }
    });
    log
}

pub fn keep_draining(lines: Log) {
    std::thread::spawn(move || for _ in lines {});
}

/// A plain HTTP/1.1 GET; returns the status code and the whole response.
pub fn get(server: &Server, path: &str) -> (u16, String) {
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        server.address
    );
    raw(server, &request)
}

pub fn wait_for(server: &Server, path: &str, status: u16) -> String {
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

/// A raw request line and headers, sent as they are: for requests an HTTP
/// library would clean up. Returns the status code and the whole response.
pub fn raw(server: &Server, request: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(&server.address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let response = String::from_utf8_lossy(&response).into_owned();
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, response)
}

/// The reload events a tab receives, read as they come.
pub struct Events {
    reader: BufReader<TcpStream>,
}

/// Listens for reload events, from the server's current state on.
pub fn events(server: &Server) -> Events {
    let mut stream = TcpStream::connect(&server.address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    // HTTP/1.0: the stream comes without chunked encoding.
    write!(
        stream,
        "GET /__twn/reload HTTP/1.0\r\nHost: {}\r\n\r\n",
        server.address
    )
    .unwrap();
    let mut events = Events {
        reader: BufReader::new(stream),
    };
    events.next();
    events
}

impl Events {
    /// The next event's data.
    pub fn next(&mut self) -> serde_json::Value {
        // Keep-alive comments arrive every few seconds; they do not count.
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            assert!(Instant::now() < deadline, "no event in time");
            let mut line = String::new();
            let read = self.reader.read_line(&mut line).expect("an event in time");
            assert!(read > 0, "the event stream ended");
            if let Some(data) = line.trim_end().strip_prefix("data: ") {
                return serde_json::from_str(data).unwrap();
            }
        }
    }

    /// The events that arrive within `wait`, without waiting for one.
    pub fn arriving(&mut self, wait: Duration) -> Vec<serde_json::Value> {
        let stream = self.reader.get_ref();
        stream.set_read_timeout(Some(wait)).unwrap();
        let mut events = Vec::new();
        loop {
            let mut line = String::new();
            match self.reader.read_line(&mut line) {
                Ok(0) | Err(_) => break,
                Ok(_) => {
                    if let Some(data) = line.trim_end().strip_prefix("data: ") {
                        events.push(serde_json::from_str(data).unwrap());
                    }
                }
            }
        }
        self.reader
            .get_ref()
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        events
    }

    /// Waits for an event that reloads the tab showing `path`.
    pub fn reload_of(&mut self, path: &str) -> serde_json::Value {
        self.until(|event| {
            event["all"] == true
                || event["paths"]
                    .as_array()
                    .is_some_and(|paths| paths.iter().any(|p| p == path))
        })
    }

    /// Waits for an event that `wanted` accepts.
    pub fn until(&mut self, wanted: impl Fn(&serde_json::Value) -> bool) -> serde_json::Value {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let event = self.next();
            if wanted(&event) {
                return event;
            }
            assert!(Instant::now() < deadline, "no such event; last: {event}");
        }
    }
}
