//! `twn serve`: from saving a file to the reload event, as a tab receives
//! it. The server runs on the generated site; a client listens to the
//! event stream the way the injected script does, and the clock runs from
//! writing the file to the event that names the page. Every edit is undone
//! afterwards (untimed), so the site stays as generated.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Server {
    process: Child,
    events: Events,
    /// From starting the process to the address on its log.
    pub started_in: Duration,
    /// From starting the process to the home page's last byte, as a
    /// reader who opens the address first waits.
    pub first_page_in: Duration,
}

impl Server {
    /// Starts `twn` (a command with its `--root`) as `twn serve` in `root`.
    pub fn start(mut twn: Command, root: &Path) -> Server {
        let started = Instant::now();
        let mut process = twn
            .args(["serve", "--port", "0"])
            .current_dir(root)
            .stderr(Stdio::piped())
            .spawn()
            .expect("twn serve starts");
        let mut log = BufReader::new(process.stderr.take().expect("piped")).lines();
        let address = loop {
            let line = log.next().expect("serve prints its address").expect("log");
            if let Some(rest) = line.split("http://").nth(1) {
                break rest.split('/').next().unwrap_or_default().to_owned();
            }
        };
        let started_in = started.elapsed();
        std::thread::spawn(move || for _ in log {});
        let first_page_in = loop {
            if home_page_served(&address) {
                break started.elapsed();
            }
            assert!(started.elapsed() < Duration::from_secs(120), "no home page");
            std::thread::sleep(Duration::from_millis(2));
        };
        Server {
            process,
            events: Events::connect(&address),
            started_in,
            first_page_in,
        }
    }

    /// Times `rounds` edits made by `edit` (given the round and the old
    /// text) to `page` (below `content/`, without `.md`).
    pub fn time_edits(
        &mut self,
        root: &Path,
        pages: impl Fn(usize) -> String,
        rounds: usize,
        edit: impl Fn(usize, &str) -> String,
    ) -> Vec<Duration> {
        (0..rounds)
            .map(|round| {
                let page = pages(round);
                let file = root.join(format!("content/{page}.md"));
                let original = std::fs::read_to_string(&file).expect("generated page");
                let url = format!("/{page}/");
                let time = self.events.time_until_reload(&url, || {
                    std::fs::write(&file, edit(round, &original)).expect("write")
                });
                self.events
                    .time_until_reload(&url, || std::fs::write(&file, &original).expect("write"));
                time
            })
            .collect()
    }

    /// Times template edits: every page that uses it is rendered again.
    pub fn time_template_edits(
        &mut self,
        template: &Path,
        page: &str,
        rounds: usize,
    ) -> Vec<Duration> {
        let original = std::fs::read_to_string(template).expect("theme template");
        let url = format!("/{page}/");
        let times = (0..rounds)
            .map(|round| {
                let edited = original.replacen(
                    "{% block main %}",
                    &format!("{{% block main %}}<!-- ronde {round} -->"),
                    1,
                );
                self.events
                    .time_until_reload(&url, || std::fs::write(template, &edited).expect("write"))
            })
            .collect();
        self.events
            .time_until_reload(&url, || std::fs::write(template, &original).expect("write"));
        times
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

/// Whether `GET /` answers 200 with a whole page.
fn home_page_served(address: &str) -> bool {
    let Ok(mut stream) = TcpStream::connect(address) else {
        return false;
    };
    if write!(stream, "GET / HTTP/1.0\r\nHost: {address}\r\n\r\n").is_err() {
        return false;
    }
    let mut answer = String::new();
    let _ = std::io::Read::read_to_string(&mut stream, &mut answer);
    (answer.starts_with("HTTP/1.1 200") || answer.starts_with("HTTP/1.0 200"))
        && answer.contains("</html>")
}

struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    fn connect(address: &str) -> Events {
        let mut stream = TcpStream::connect(address).expect("twn serve listens");
        stream
            .set_read_timeout(Some(Duration::from_secs(120)))
            .expect("timeout");
        write!(
            stream,
            "GET /__twn/reload HTTP/1.0\r\nHost: {address}\r\n\r\n"
        )
        .expect("request");
        let mut events = Events {
            reader: BufReader::new(stream),
        };
        events.next();
        events
    }

    fn next(&mut self) -> String {
        loop {
            let mut line = String::new();
            let read = self.reader.read_line(&mut line).expect("event stream");
            assert!(read > 0, "the event stream ended");
            if let Some(data) = line.trim_end().strip_prefix("data: ") {
                return data.to_owned();
            }
        }
    }

    /// Time from `save` to the first event that reloads `url`.
    fn time_until_reload(&mut self, url: &str, save: impl FnOnce()) -> Duration {
        let wanted = format!("\"{url}\"");
        let start = Instant::now();
        save();
        loop {
            let event = self.next();
            if event.contains(&wanted) || event.contains("\"all\":true") {
                let elapsed = start.elapsed();
                // Let the watcher settle before the next save.
                std::thread::sleep(Duration::from_millis(150));
                return elapsed;
            }
        }
    }
}
