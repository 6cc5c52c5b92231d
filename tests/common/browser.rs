//! A real headless Chromium, driven over WebDriver by chromedriver on a free
//! loopback port. `.ci/run` installs both (Debian's `chromium` and
//! `chromium-driver`).

use serde_json::{Value, json};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Browser {
    driver: Child,
    address: String,
    session: String,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.request("DELETE", &format!("/session/{}", self.session), None);
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

const CHROMEDRIVER: &str = "chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

impl Browser {
    pub fn start() -> Browser {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("chromedriver could not start ({e}); install chromium and chromium-driver, as .ci/run does")
            });
        let profile = tempfile::tempdir().unwrap();
        let mut browser = Browser {
            driver,
            address: format!("127.0.0.1:{port}"),
            session: String::new(),
            _profile: profile,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while browser.request("GET", "/status", None).is_err() {
            assert!(Instant::now() < deadline, "chromedriver never answered");
            std::thread::sleep(Duration::from_millis(100));
        }
        // Without the background-networking flags Chromium keeps calling
        // out, which a closed network refuses.
        let args = [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            &format!("--user-data-dir={}", browser._profile.path().display()),
        ];
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": CHROMIUM, "args": args},
            "goog:loggingPrefs": {"browser": "ALL"},
        }}});
        let answer = browser
            .request("POST", "/session", Some(capabilities))
            .expect("a browser session");
        browser.session = answer["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {answer}"))
            .to_owned();
        browser
    }

    /// Makes the page `width` CSS pixels wide and `height` high, as a
    /// phone or desktop screen of that size would.
    pub fn viewport(&mut self, width: u32, height: u32) {
        self.command(
            "goog/cdp/execute",
            json!({"cmd": "Emulation.setDeviceMetricsOverride", "params": {
                "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600,
            }}),
        );
    }

    pub fn open(&mut self, url: &str) {
        self.command("url", json!({ "url": url }));
    }

    /// Types `text` into the element `selector` names, key by key, as a
    /// reader would (after emptying it).
    pub fn type_into(&mut self, selector: &str, text: &str) {
        let id = self.element(selector);
        self.command(&format!("element/{id}/clear"), json!({}));
        self.command(&format!("element/{id}/value"), json!({ "text": text }));
    }

    /// Clicks the element `selector` names, as a reader's mouse would.
    pub fn click(&mut self, selector: &str) {
        let id = self.element(selector);
        self.command(&format!("element/{id}/click"), json!({}));
    }

    /// WebDriver's id of the element `selector` names.
    fn element(&mut self, selector: &str) -> String {
        let found = self.command(
            "element",
            json!({"using": "css selector", "value": selector}),
        );
        found["element-6066-11e4-a52e-4f735466cecf"]
            .as_str()
            .unwrap_or_else(|| panic!("no element {selector}: {found}"))
            .to_owned()
    }

    /// Runs `script` (a function body) in the page and returns its value.
    pub fn run(&mut self, script: &str) -> Value {
        self.command("execute/sync", json!({"script": script, "args": []}))
    }

    /// Polls `script` (a function body) in the tab until it returns true.
    pub fn wait_until(&mut self, script: &str, what: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while self.run(script) != Value::Bool(true) {
            assert!(Instant::now() < deadline, "never: {what}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// What the pages wrote to the console since the last call, such as
    /// a Content-Security-Policy violation.
    pub fn console(&mut self) -> Vec<String> {
        let answer = self.command("se/log", json!({"type": "browser"}));
        answer
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|entry| entry["message"].as_str().map(str::to_owned))
            .collect()
    }

    /// A screenshot of the viewport, decoded: (width, height, RGBA bytes).
    pub fn screenshot(&mut self) -> (u32, u32, Vec<u8>) {
        let answer = self
            .request(
                "GET",
                &format!("/session/{}/screenshot", self.session),
                None,
            )
            .expect("a screenshot");
        let bytes = base64_decode(answer["value"].as_str().expect("base64 PNG"));
        let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::ALPHA);
        let mut reader = decoder.read_info().unwrap();
        let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut pixels).unwrap();
        pixels.truncate(info.buffer_size());
        (info.width, info.height, pixels)
    }

    fn command(&mut self, path: &str, body: Value) -> Value {
        let answer = self
            .request(
                "POST",
                &format!("/session/{}/{path}", self.session),
                Some(body),
            )
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        if answer["value"]["error"].is_string() {
            panic!("{path}: {}", answer["value"]);
        }
        answer["value"].clone()
    }

    fn request(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        let mut stream = TcpStream::connect(&self.address).map_err(|e| e.to_string())?;
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            self.address,
            body.len()
        )
        .map_err(|e| e.to_string())?;
        // chromedriver keeps the connection open: read by Content-Length.
        let mut response = Vec::new();
        let mut buffer = [0u8; 65536];
        let body_start = loop {
            let n = stream.read(&mut buffer).map_err(|e| e.to_string())?;
            if n == 0 {
                return Err("connection closed".into());
            }
            response.extend_from_slice(&buffer[..n]);
            if let Some(end) = response.windows(4).position(|w| w == b"\r\n\r\n") {
                break end + 4;
            }
        };
        let head = String::from_utf8_lossy(&response[..body_start]).to_lowercase();
        let length: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse().ok())
            .ok_or("no Content-Length")?;
        while response.len() < body_start + length {
            let n = stream.read(&mut buffer).map_err(|e| e.to_string())?;
            if n == 0 {
                break;
            }
            response.extend_from_slice(&buffer[..n]);
        }
        let json = String::from_utf8_lossy(&response[body_start..]);
        serde_json::from_str(&json).map_err(|e| format!("{e}: {json}"))
    }
}

/// Writes a screenshot as a PNG file.
pub fn save_png(path: &std::path::Path, (width, height, pixels): (u32, u32, Vec<u8>)) {
    let file = std::fs::File::create(path).unwrap();
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), width, height);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder
        .write_header()
        .unwrap()
        .write_image_data(&pixels)
        .unwrap();
}

fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let clean: Vec<u8> = text
        .bytes()
        .filter(|c| c.is_ascii_alphanumeric() || *c == b'+' || *c == b'/')
        .collect();
    let mut out = Vec::with_capacity(clean.len() * 3 / 4);
    for chunk in clean.chunks(4) {
        let bits = chunk.iter().enumerate().fold(0u32, |acc, (i, &c)| {
            acc | (u32::from(value(c)) << (18 - 6 * i))
        });
        let bytes = bits.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    out
}
