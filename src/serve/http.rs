//! The preview's HTTP side: outputs from memory, files served as they are,
//! the reload events, and the overlay that shows errors. Only GET and HEAD;
//! a path that would leave the site gets 400.

use crate::live::{LiveSite, Reload, Store, store::Served};
use axum::Router;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::convert::Infallible;
use std::path::Path;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;
use tokio::sync::broadcast;

pub const RELOAD_PATH: &str = "/__twn/reload";

/// What every request handler shares.
pub struct Preview {
    pub store: Arc<RwLock<Store>>,
    /// `None` until the settings and theme can be read.
    pub live: Arc<Mutex<Option<LiveSite>>>,
    /// Told the new generation after every change.
    pub changed: broadcast::Sender<u64>,
    pub editing: super::editor::Editing,
}

impl Preview {
    /// Tells every open event stream that the store has a new generation.
    pub fn announce(&self) {
        let _ = self.changed.send(read(&self.store).generation());
    }
}

/// The names a browser may use for the preview: with a DNS name of its
/// own pointing at this machine, a web page elsewhere could otherwise read
/// the preview (DNS rebinding), so only this address's own names pass.
#[derive(Debug, Clone)]
pub struct AllowedHosts {
    port: u16,
    ip: std::net::IpAddr,
}

impl AllowedHosts {
    pub fn for_address(address: std::net::SocketAddr) -> AllowedHosts {
        AllowedHosts {
            port: address.port(),
            ip: address.ip(),
        }
    }

    /// Whether a request's `Host` header names this preview.
    pub fn allows(&self, host: &str) -> bool {
        let (name, port) = match host.rsplit_once(':') {
            Some((name, port)) if !port.contains(']') => (name, port.parse().ok()),
            _ => (host, Some(80)),
        };
        if port != Some(self.port) {
            return false;
        }
        let bare = name.trim_start_matches('[').trim_end_matches(']');
        let literal: Option<std::net::IpAddr> = bare.parse().ok();
        match literal {
            // Listening on every address: any address of this machine.
            Some(_) if self.ip.is_unspecified() => true,
            Some(ip) => ip == self.ip,
            None => {
                name.eq_ignore_ascii_case("localhost")
                    && (self.ip.is_loopback() || self.ip.is_unspecified())
            }
        }
    }
}

/// Headers every answer carries, as a careful static host would send them.
const SECURITY_HEADERS: [(&str, &str); 5] = [
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "same-origin"),
    ("x-frame-options", "DENY"),
    ("cross-origin-opener-policy", "same-origin"),
    ("cross-origin-resource-policy", "same-origin"),
];

/// The Content-Security-Policy header: the pages' own, and no framing.
pub fn content_security_policy_header() -> String {
    format!(
        "{}; frame-ancestors 'none'",
        crate::render::CONTENT_SECURITY_POLICY
    )
}

async fn guard(
    State(hosts): State<Arc<AllowedHosts>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    // Every Host header must name this preview, not just the first.
    let names = request.headers().get_all(header::HOST);
    let allowed = names.iter().next().is_some()
        && names
            .iter()
            .all(|h| h.to_str().is_ok_and(|host| hosts.allows(host)));
    let mut response = match allowed {
        true => next.run(request).await,
        false => (
            StatusCode::MISDIRECTED_REQUEST,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            format!(
                "Deze voorvertoning antwoordt alleen op het adres waarop twn serve luistert (poort {}). Open het adres dat twn serve in de terminal toont.\n",
                hosts.port
            ),
        )
            .into_response(),
    };
    let headers = response.headers_mut();
    for (name, value) in SECURITY_HEADERS {
        headers.insert(name, header::HeaderValue::from_static(value));
    }
    if let Ok(policy) = header::HeaderValue::from_str(&content_security_policy_header()) {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    response
}

/// The preview's routes with `more` (the editor's), all behind the guard.
pub fn router(preview: Arc<Preview>, hosts: AllowedHosts, more: Router<Arc<Preview>>) -> Router {
    more.route(RELOAD_PATH, get(reload_events))
        .route(SCRIPT_PATH, get(preview_asset))
        .route(STYLE_PATH, get(preview_asset))
        .fallback(get(serve_path))
        .with_state(preview)
        .layer(axum::middleware::from_fn_with_state(Arc::new(hosts), guard))
}

#[derive(serde::Deserialize)]
struct Since {
    since: Option<u64>,
}

/// Server-sent events: first what the tab missed since its page was
/// served, then every change.
async fn reload_events(
    State(preview): State<Arc<Preview>>,
    Query(Since { since }): Query<Since>,
) -> Sse<impl futures_util::Stream<Item = Result<Event, Infallible>>> {
    let receiver = preview.changed.subscribe();
    let since = since.unwrap_or_else(|| read(&preview.store).generation());
    let state = (receiver, preview, since, true);
    let stream =
        futures_util::stream::unfold(state, |(mut receiver, preview, since, first)| async move {
            loop {
                if !first {
                    match receiver.recv().await {
                        Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => {}
                        Err(broadcast::error::RecvError::Closed) => return None,
                    }
                }
                let reload: Reload = read(&preview.store).since(since);
                if first || reload.generation > since {
                    let data = serde_json::to_string(&reload).unwrap_or_default();
                    let next = reload.generation.max(since);
                    return Some((
                        Ok(Event::default().data(data)),
                        (receiver, preview, next, false),
                    ));
                }
            }
        });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

fn read(store: &RwLock<Store>) -> std::sync::RwLockReadGuard<'_, Store> {
    store.read().unwrap_or_else(|e| e.into_inner())
}

async fn serve_path(State(preview): State<Arc<Preview>>, uri: Uri) -> Response {
    let Some(relative) = safe_relative_path(uri.path()) else {
        return (StatusCode::BAD_REQUEST, "Dit adres valt buiten de site.").into_response();
    };
    let wants_folder = uri.path().ends_with('/') || relative.is_empty();
    let file = if wants_folder {
        format!("{relative}index.html")
    } else {
        relative.clone()
    };
    if let Some(response) = respond(&preview, &file, StatusCode::OK).await {
        return response;
    }
    if while_opening(&preview, |store| store.get(&file).is_some()).await
        && let Some(response) = respond(&preview, &file, StatusCode::OK).await
    {
        return response;
    }
    if !wants_folder
        && read(&preview.store)
            .get(&format!("{relative}/index.html"))
            .is_some()
    {
        // From the cleaned path: `//regio` must not lead to another host.
        return (
            StatusCode::MOVED_PERMANENTLY,
            [(header::LOCATION, format!("/{relative}/"))],
        )
            .into_response();
    }
    // History pages, old versions and diffs are rendered when first asked for.
    let live = Arc::clone(&preview.live);
    let folder = if wants_folder {
        relative
    } else {
        String::new()
    };
    let rendered = tokio::task::spawn_blocking(move || {
        let live = live.lock().unwrap_or_else(|e| e.into_inner());
        live.as_ref().and_then(|l| l.render_revisions_at(&folder))
    })
    .await
    .ok()
    .flatten();
    // A page that failed (a theme's history.html, say) is missing and
    // answered with a 404; the terminal says why, once, as it says a
    // failed build's problems. It is tried again after the next change.
    if let Some(problems) = &rendered {
        super::print_problems(problems);
    }
    let rendered = rendered.is_some();
    if rendered && let Some(response) = respond(&preview, &file, StatusCode::OK).await {
        return response;
    }
    match respond(&preview, "404.html", StatusCode::NOT_FOUND).await {
        Some(response) => response,
        None => html_response(
            StatusCode::NOT_FOUND,
            with_preview_script("<!DOCTYPE html><html lang=\"nl\"><head><meta charset=\"utf-8\"><title>Niet gevonden</title></head><body><main><h1>Niet gevonden</h1></main></body></html>".into(), &read(&preview.store), None),
        ),
    }
}

/// Waits while `twn serve`'s first build runs and `made` is not yet true
/// of the store; whether it waited.
pub(super) async fn while_opening(preview: &Preview, made: impl Fn(&Store) -> bool) -> bool {
    let mut changes = preview.changed.subscribe();
    let mut waited = false;
    loop {
        {
            let store = read(&preview.store);
            if !store.is_opening() || made(&store) {
                return waited;
            }
        }
        waited = true;
        // A lost announcement is made up for by looking again.
        let _ = tokio::time::timeout(Duration::from_millis(200), changes.recv()).await;
    }
}

async fn respond(preview: &Preview, file: &str, status: StatusCode) -> Option<Response> {
    let served = read(&preview.store).get(file)?;
    let content_type = content_type(Path::new(file));
    let bytes = match served {
        Served::Output(bytes) => bytes,
        Served::Copy(path) => tokio::fs::read(&path).await.ok()?.into(),
    };
    if content_type.starts_with("text/html") {
        let html = String::from_utf8_lossy(&bytes).into_owned();
        let store = read(&preview.store);
        // A page's own address, if it is one the editor can open.
        let page = file.strip_suffix("index.html").unwrap_or(file);
        let editable = preview.editing.enabled
            && status == StatusCode::OK
            && store.is_editable(page)
            && !file.ends_with("404.html");
        let edit_link = if editable {
            Some((
                format!("{}{page}", super::editor::EDIT_PREFIX),
                EDIT_LINK_TEXT,
            ))
        } else {
            store
                .collection_at(page)
                .filter(|_| preview.editing.enabled && status == StatusCode::OK)
                .map(|collection| {
                    let new = super::editor::NEW_PAGE;
                    (
                        format!("{}{new}{collection}/", super::editor::EDIT_PREFIX),
                        NEW_PAGE_TEXT,
                    )
                })
        };
        let html = with_preview_script(
            html,
            &store,
            edit_link.as_ref().map(|(u, t)| (u.as_str(), *t)),
        );
        return Some(html_response(status, html));
    }
    Some(
        (
            status,
            [
                (header::CONTENT_TYPE, content_type),
                (header::CACHE_CONTROL, "no-store"),
            ],
            Body::from(bytes),
        )
            .into_response(),
    )
}

/// The request path as a path below the site (`/` between parts, a
/// trailing `/` kept), or `None` when it would leave the site: `..`,
/// encoded or not, backslashes, drive letters and NUL bytes.
pub fn safe_relative_path(uri_path: &str) -> Option<String> {
    let decoded = crate::urls::percent_decode(uri_path)?;
    let mut parts = Vec::new();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => return None,
            s if s.contains(['\\', '\0', ':']) => return None,
            s => parts.push(s),
        }
    }
    let mut path = parts.join("/");
    if decoded.ends_with('/') && !path.is_empty() {
        path.push('/');
    }
    Some(path)
}

fn html_response(status: StatusCode, html: String) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        html,
    )
        .into_response()
}

/// The error overlay as the server writes it into a page; `preview.js`
/// builds the same with DOM calls. Styled by `preview.css`: the pages'
/// Content-Security-Policy allows no inline styles or scripts.
const OVERLAY_HEADING: &str = "De wiki kan niet gebouwd worden";
const EDIT_LINK_TEXT: &str = "Bewerken in de browser";
const NEW_PAGE_TEXT: &str = "Nieuwe pagina in de browser";
const OVERLAY_TEXT: &str = "Los de fout hieronder op en sla het bestand op; de pagina ververst dan vanzelf. Tot dan ziet u de laatste goede versie.";

/// Only `twn serve` adds this: it reloads the tab when its page changed
/// (keeping the scroll position) and shows or hides the error overlay.
const SCRIPT: &str = r#"(() => {
  const since = Number(document.currentScript.dataset.since);
  const here = decodeURIComponent(location.pathname).replace(/index\.html$/, "");
  const key = "twn-scroll:" + here;
  const saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    const [x, y] = saved.split(",").map(Number);
    const restore = () => window.scrollTo(x, y);
    restore();
    addEventListener("load", restore);
  }
  const revisionPage = /\/(geschiedenis|versie|verschil)\//.test(here);
  const showError = (report) => {
    let overlay = document.getElementById("twn-fout");
    if (!report) {
      if (overlay) overlay.remove();
      return;
    }
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "twn-fout";
      overlay.setAttribute("role", "alert");
      const heading = document.createElement("h2");
      heading.textContent = OVERLAY_HEADING;
      const text = document.createElement("p");
      text.textContent = OVERLAY_TEXT;
      overlay.append(heading, text, document.createElement("pre"));
      document.body.append(overlay);
    }
    overlay.querySelector("pre").textContent = report;
  };
  const events = new EventSource("RELOAD_PATH?since=" + since);
  events.onmessage = (message) => {
    const change = JSON.parse(message.data);
    showError(change.error);
    if (change.all || change.paths.includes(here) || (change.revisions && revisionPage)) {
      sessionStorage.setItem(key, scrollX + "," + scrollY);
      events.close();
      location.reload();
    }
  };
})();
"#;

const STYLE: &str = ".twn-bewerk{position:fixed;right:1rem;bottom:1rem;z-index:2147483646;margin:0}.twn-bewerk a{display:inline-block;padding:.5rem .9rem;background:#0b4f6c;color:#fff;border-radius:.3rem;font:600 16px/1.4 system-ui,sans-serif;text-decoration:none;box-shadow:0 2px 6px rgba(0,0,0,.3)}.twn-bewerk a:focus-visible{outline:3px solid #ffbf47;outline-offset:2px}#twn-fout{position:fixed;inset:auto 0 0 0;max-height:70vh;overflow:auto;z-index:2147483647;margin:0;padding:1rem 1.5rem;background:#fff;color:#1a1a1a;border-top:6px solid #b00020;box-shadow:0 -4px 16px rgba(0,0,0,.3);font:16px/1.5 system-ui,sans-serif}#twn-fout h2{margin:0 0 .5rem;font-size:1.25rem;color:#b00020}#twn-fout p{margin:0 0 .5rem}#twn-fout pre{margin:0;white-space:pre-wrap;font:14px/1.4 ui-monospace,monospace}\n";

pub const SCRIPT_PATH: &str = "/__twn/preview.js";
pub const STYLE_PATH: &str = "/__twn/preview.css";

fn preview_script() -> &'static str {
    static SCRIPT_TEXT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SCRIPT_TEXT.get_or_init(|| {
        let literal = |text: &str| serde_json::to_string(text).unwrap_or_default();
        SCRIPT
            .replace("RELOAD_PATH", RELOAD_PATH)
            .replace("OVERLAY_HEADING", &literal(OVERLAY_HEADING))
            .replace("OVERLAY_TEXT", &literal(OVERLAY_TEXT))
    })
}

async fn preview_asset(uri: Uri) -> Response {
    let (content_type, body) = if uri.path() == SCRIPT_PATH {
        ("text/javascript; charset=utf-8", preview_script())
    } else {
        ("text/css; charset=utf-8", STYLE)
    };
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

/// What the preview adds to a page: its script and style, the errors
/// that hold the site back, and the way into the editor.
fn with_preview_script(mut html: String, store: &Store, edit_link: Option<(&str, &str)>) -> String {
    let mut addition = format!(
        "<link rel=\"stylesheet\" href=\"{STYLE_PATH}\"><script src=\"{SCRIPT_PATH}\" data-since=\"{}\" defer></script>",
        store.generation()
    );
    if let Some((link, text)) = edit_link {
        addition.insert_str(
            0,
            &format!("<p class=\"twn-bewerk\"><a href=\"{link}\">{text}</a></p>"),
        );
    }
    if let Some(report) = store.error() {
        let mut escaped = Vec::new();
        let _ = tera::escape_html(report, &mut escaped);
        addition.insert_str(
            0,
            &format!(
                "<div id=\"twn-fout\" role=\"alert\"><h2>{OVERLAY_HEADING}</h2><p>{OVERLAY_TEXT}</p><pre>{}</pre></div>",
                String::from_utf8_lossy(&escaped)
            ),
        );
    }
    match html.rfind("</body>") {
        Some(at) => html.insert_str(at, &addition),
        None => html.push_str(&addition),
    }
    html
}

fn content_type(path: &Path) -> &'static str {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    if name == "atom.xml" {
        return "application/atom+xml; charset=utf-8";
    }
    match path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase()
        .as_str()
    {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "txt" | "md" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "zip" => "application/zip",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_outside_the_site_are_refused_encoded_or_not() {
        assert_eq!(
            safe_relative_path("/regio/twents-waternet/").as_deref(),
            Some("regio/twents-waternet/")
        );
        assert_eq!(
            safe_relative_path("/organisatie/co%C3%B6peratie/kaart.png").as_deref(),
            Some("organisatie/coöperatie/kaart.png")
        );
        assert_eq!(safe_relative_path("/").as_deref(), Some(""));
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/a/%2E%2E/%2e%2e/x",
            "/..%2fetc",
            "/a%5c..%5cb",
            "/%zz",
            "/a%00b",
            "/C:/Windows",
        ] {
            assert_eq!(safe_relative_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn only_the_names_of_the_bound_address_pass() {
        let loopback = AllowedHosts::for_address("127.0.0.1:1111".parse().unwrap());
        for good in ["127.0.0.1:1111", "localhost:1111", "LOCALHOST:1111"] {
            assert!(loopback.allows(good), "{good}");
        }
        for bad in [
            "evil.example:1111",
            "127.0.0.1:2222",
            "127.0.0.1",
            "10.0.0.5:1111",
            "localhost.evil.example:1111",
            "",
        ] {
            assert!(!loopback.allows(bad), "{bad}");
        }
        let everywhere = AllowedHosts::for_address("0.0.0.0:8080".parse().unwrap());
        assert!(everywhere.allows("192.168.1.20:8080"));
        assert!(everywhere.allows("[fe80::1]:8080"));
        assert!(!everywhere.allows("rebind.evil.example:8080"));
        let port_80 = AllowedHosts::for_address("[::1]:80".parse().unwrap());
        assert!(port_80.allows("[::1]"));
        assert!(port_80.allows("localhost"));
    }

    #[test]
    fn types_of_theme_and_page_files() {
        assert_eq!(
            content_type(Path::new("static/style.css")),
            "text/css; charset=utf-8"
        );
        assert_eq!(content_type(Path::new("a/kaart.PNG")), "image/png");
        assert_eq!(content_type(Path::new("x/organogram.svg")), "image/svg+xml");
        assert_eq!(
            content_type(Path::new("recente-wijzigingen/atom.xml")),
            "application/atom+xml; charset=utf-8"
        );
    }
}
