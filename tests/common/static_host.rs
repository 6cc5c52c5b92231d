//! A plain static web host on a free loopback port, as GitHub Pages or
//! nginx would serve `public/` below a sub-path: files as they are, a
//! folder's `index.html`, `404.html` for anything else; like nginx with
//! `gzip_static` and `brotli_static`, a file's `.br` or `.gz` copy where the
//! browser accepts it and `precompress` wrote one. It counts the bytes of
//! every response, so a test can say what a reader downloaded. It sends the
//! Content-Security-Policy header that docs/publish.md gives hosts.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

pub struct StaticHost {
    pub address: SocketAddr,
    /// (path asked for, bytes of the body sent), in order.
    served: Arc<Mutex<Vec<(String, usize)>>>,
}

impl StaticHost {
    /// Binds first, so a site can be built for the address before serving.
    pub fn bind() -> (TcpListener, SocketAddr) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        (listener, address)
    }

    /// Serves `root` at `prefix` (e.g. `/wiki/`) until the test ends.
    pub fn serve(listener: TcpListener, root: PathBuf, prefix: &str) -> StaticHost {
        let address = listener.local_addr().unwrap();
        let served = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&served);
        let prefix = prefix.to_owned();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (root, prefix, log) = (root.clone(), prefix.clone(), Arc::clone(&log));
                std::thread::spawn(move || answer(stream, &root, &prefix, &log));
            }
        });
        StaticHost { address, served }
    }

    /// Forgets what was served so far.
    pub fn reset(&self) {
        self.served.lock().unwrap().clear();
    }

    pub fn served(&self) -> Vec<(String, usize)> {
        self.served.lock().unwrap().clone()
    }
}

fn answer(
    stream: TcpStream,
    root: &std::path::Path,
    prefix: &str,
    log: &Mutex<Vec<(String, usize)>>,
) {
    let mut reader = BufReader::new(stream);
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    let mut accepted = String::new();
    loop {
        let mut header = String::new();
        match reader.read_line(&mut header) {
            Ok(0) | Err(_) => break,
            Ok(_) if header == "\r\n" => break,
            Ok(_) => {
                if let Some(value) = header.to_ascii_lowercase().strip_prefix("accept-encoding:") {
                    accepted = value.to_owned();
                }
            }
        }
    }
    let target = request.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let path = target.split(['?', '#']).next().unwrap_or_default();
    let file = path
        .strip_prefix(prefix)
        .filter(|rest| !rest.split('/').any(|part| part == ".."))
        .map(|rest| {
            let file = root.join(rest);
            if file.is_dir() {
                file.join("index.html")
            } else {
                file
            }
        })
        .filter(|file| file.is_file());
    let (status, file) = match file {
        Some(file) => ("200 OK", file),
        None => ("404 Not Found", root.join("404.html")),
    };
    // The copy the browser accepts, if the build wrote one.
    let encoded = [("br", ".br"), ("gzip", ".gz")]
        .into_iter()
        .find_map(|(name, suffix)| {
            let mut copy = file.clone().into_os_string();
            copy.push(suffix);
            let copy = PathBuf::from(copy);
            (accepted.contains(name) && copy.is_file()).then_some((name, copy))
        });
    let (body, encoding) = match &encoded {
        Some((name, copy)) => (
            std::fs::read(copy).unwrap_or_default(),
            format!("Content-Encoding: {name}\r\nVary: Accept-Encoding\r\n"),
        ),
        None => (std::fs::read(&file).unwrap_or_default(), String::new()),
    };
    let kind = match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css",
        Some("js") => "text/javascript",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("xml") => "application/xml",
        _ => "application/octet-stream",
    };
    log.lock().unwrap().push((target, body.len()));
    let mut stream = reader.into_inner();
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\n{encoding}Content-Length: {}\r\nContent-Security-Policy: {}\r\nConnection: close\r\n\r\n",
        body.len(),
        twn::serve::content_security_policy_header()
    );
    let _ = stream.write_all(&body);
}
