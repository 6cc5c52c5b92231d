//! From saving a file to the reload event, as a tab receives it from
//! `twn serve`, in a generated site: `cargo bench --bench live_reload
//! [-- PAGES ROUNDS]` (10,000 pages with 1,000 commits, 30 rounds).
//! Measures an edit of one page's text, a changed title (every page that
//! shows the title is rendered again) and a template edit.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn main() {
    let numbers: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let pages = numbers.first().copied().unwrap_or(10_000);
    let rounds = numbers.get(1).copied().unwrap_or(30);
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let generated = Command::new(env!("CARGO_BIN_EXE_twn-corpus"))
        .arg(&root)
        .arg(pages.to_string())
        .args(["--commits", "1000"])
        .status()
        .unwrap();
    assert!(generated.success());
    let started = Instant::now();
    let mut server = Command::new(env!("CARGO_BIN_EXE_twn"))
        .args(["serve", "--port", "0"])
        .current_dir(&root)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut log = BufReader::new(server.stderr.take().unwrap()).lines();
    let address = loop {
        let line = log.next().expect("serve prints its address").unwrap();
        if let Some(rest) = line.split("http://").nth(1) {
            break rest.split('/').next().unwrap().to_owned();
        }
    };
    println!(
        "twn serve klaar na {:.2} s",
        started.elapsed().as_secs_f64()
    );
    std::thread::spawn(move || for _ in log {});
    let mut events = Events::connect(&address);

    let mut text_edits = Vec::new();
    for round in 0..rounds {
        let page = format!("werkplaats/werkplaats-{}", round * 7 + 3);
        let file = root.join(format!("content/{page}.md"));
        let text = std::fs::read_to_string(&file).unwrap();
        let edited = format!("{text}\nRonde {round}: een zin erbij.\n");
        text_edits.push(events.time_until_reload(&format!("/{page}/"), || {
            std::fs::write(&file, &edited).unwrap()
        }));
    }
    report("tekst van één pagina bewerkt", &mut text_edits);

    let mut title_edits = Vec::new();
    for round in 0..5 {
        let page = format!("organisatie/organisatie-{}", round * 11 + 1);
        let file = root.join(format!("content/{page}.md"));
        let text = std::fs::read_to_string(&file).unwrap();
        let edited = text.replacen("title: Organisatie", "title: Gemeente", 1);
        title_edits.push(events.time_until_reload(&format!("/{page}/"), || {
            std::fs::write(&file, &edited).unwrap()
        }));
        events.time_until_reload(&format!("/{page}/"), || {
            std::fs::write(&file, &text).unwrap()
        });
    }
    report("titel van een organisatie gewijzigd", &mut title_edits);

    let mut template_edits = Vec::new();
    let template = root.join("themes/default/templates/werkplaats.html");
    let template = if template.exists() {
        template
    } else {
        root.join("themes/default/templates/page.html")
    };
    let original = std::fs::read_to_string(&template).unwrap();
    for round in 0..3 {
        let edited = original.replacen(
            "{% block main %}",
            &format!("{{% block main %}}<!-- ronde {round} -->"),
            1,
        );
        template_edits.push(events.time_until_reload("/werkplaats/werkplaats-3/", || {
            std::fs::write(&template, &edited).unwrap()
        }));
    }
    report(
        &format!(
            "sjabloon {} gewijzigd",
            template.file_name().unwrap().to_string_lossy()
        ),
        &mut template_edits,
    );
    let _ = server.kill();
    let _ = server.wait();
    let _ = Path::new(&root);
}

struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    fn connect(address: &str) -> Events {
        let mut stream = TcpStream::connect(address).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(120)))
            .unwrap();
        write!(stream, "GET /__twn/reload HTTP/1.0\r\n\r\n").unwrap();
        let mut events = Events {
            reader: BufReader::new(stream),
        };
        events.next();
        events
    }

    fn next(&mut self) -> String {
        loop {
            let mut line = String::new();
            assert!(
                self.reader.read_line(&mut line).unwrap() > 0,
                "events ended"
            );
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

fn report(what: &str, times: &mut [Duration]) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{what}: mediaan {:.1} ms, snelste {:.1} ms, traagste {:.1} ms ({} keer)",
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1]),
        times.len()
    );
}
