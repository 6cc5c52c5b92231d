//! `twn serve`: builds into a private folder, serves it on loopback,
//! rebuilds when content, theme or settings change, and reloads open tabs.
//! A failed rebuild shows its errors in the browser and keeps the server up.

use crate::build::{BuildOptions, build};
use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use notify_debouncer_full::notify::RecursiveMode;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::Duration;
use tokio::sync::broadcast;

pub const RELOAD_PATH: &str = "/__twn/reload";

const RELOAD_SCRIPT: &str =
    r#"<script>new EventSource("/__twn/reload").onmessage = () => location.reload();</script>"#;

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub site_root: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    pub drafts: bool,
}

struct Preview {
    options: BuildOptions,
    out_dir: PathBuf,
    /// The last build's errors, shown instead of pages until fixed.
    error: RwLock<Option<String>>,
    reload: broadcast::Sender<()>,
}

impl Preview {
    fn rebuild(&self) {
        let styled = std::io::IsTerminal::is_terminal(&std::io::stderr());
        match build(&self.options) {
            Ok(report) => {
                eprint!("{}", report.diagnostics.report(styled));
                eprintln!(
                    "twn serve: {} pagina's opnieuw gebouwd in {} ms",
                    report.pages,
                    report.elapsed.as_millis()
                );
                *self.error.write().unwrap_or_else(|e| e.into_inner()) = None;
            }
            Err(failure) => {
                eprint!("{}", failure.diagnostics.report(styled));
                eprintln!(
                    "twn serve: de fout staat ook in de browser; na het opslaan van de oplossing wordt de site opnieuw gebouwd"
                );
                *self.error.write().unwrap_or_else(|e| e.into_inner()) =
                    Some(failure.diagnostics.report(false));
            }
        }
        let _ = self.reload.send(());
    }
}

pub fn serve(options: ServeOptions) -> Result<(), String> {
    let address = SocketAddr::new(options.bind, options.port);
    let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(address).await.map_err(|e| {
            format!("kan niet luisteren op {address}: {e}; kies een andere poort met --port")
        })?;
        let address = listener.local_addr().map_err(|e| e.to_string())?;
        let out_dir = std::env::temp_dir().join(format!("twn-serve-{}", std::process::id()));
        let preview = Arc::new(Preview {
            options: BuildOptions {
                site_root: options.site_root.clone(),
                out_dir: Some(out_dir.clone()),
                base_url: Some(format!("http://{address}/")),
                drafts: options.drafts,
                progress: false,
                strict: false,
            },
            out_dir: out_dir.clone(),
            error: RwLock::new(None),
            reload: broadcast::channel(16).0,
        });
        preview.rebuild();
        let _watcher = watch(&options.site_root, Arc::clone(&preview))
            .map_err(|e| format!("kan de bestanden niet volgen: {e}"))?;
        let app = Router::new()
            .route(RELOAD_PATH, get(reload_events))
            .fallback(get(serve_file))
            .with_state(Arc::clone(&preview));
        eprintln!("twn serve: http://{address}/ (Ctrl+C om te stoppen)");
        let served = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await;
        let _ = std::fs::remove_dir_all(&out_dir);
        served.map_err(|e| e.to_string())
    })
}

/// Watches what a build reads; every burst of changes gives one rebuild.
fn watch(
    site_root: &Path,
    preview: Arc<Preview>,
) -> notify_debouncer_full::notify::Result<impl Drop> {
    let mut debouncer = notify_debouncer_full::new_debouncer(
        Duration::from_millis(150),
        None,
        move |result: notify_debouncer_full::DebounceEventResult| {
            let relevant = result.is_ok_and(|events| events.iter().any(|e| !e.kind.is_access()));
            if relevant {
                preview.rebuild();
            }
        },
    )?;
    for folder in ["content", "themes"] {
        let path = site_root.join(folder);
        if path.exists() {
            debouncer.watch(&path, RecursiveMode::Recursive)?;
        }
    }
    debouncer.watch(
        site_root.join(crate::config::CONFIG_FILE),
        RecursiveMode::NonRecursive,
    )?;
    Ok(debouncer)
}

async fn reload_events(
    State(preview): State<Arc<Preview>>,
) -> Sse<impl futures_util::Stream<Item = Result<Event, Infallible>>> {
    let receiver = preview.reload.subscribe();
    let stream = futures_util::stream::unfold(receiver, |mut receiver| async move {
        loop {
            match receiver.recv().await {
                Ok(()) => return Some((Ok(Event::default().data("reload")), receiver)),
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

async fn serve_file(State(preview): State<Arc<Preview>>, uri: Uri) -> Response {
    let Some(relative) = safe_relative_path(uri.path()) else {
        return (StatusCode::BAD_REQUEST, "Dit adres valt buiten de site.").into_response();
    };
    if let Some(error) = preview
        .error
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone()
    {
        return html_response(StatusCode::INTERNAL_SERVER_ERROR, error_page(&error));
    }
    let mut path = preview.out_dir.join(&relative);
    if path.is_dir() {
        if !uri.path().ends_with('/') {
            return (
                StatusCode::MOVED_PERMANENTLY,
                [(header::LOCATION, format!("{}/", uri.path()))],
            )
                .into_response();
        }
        path = path.join("index.html");
    }
    match tokio::fs::read(&path).await {
        Ok(bytes) => {
            let content_type = content_type(&path);
            if content_type.starts_with("text/html") {
                html_response(
                    StatusCode::OK,
                    inject_reload(String::from_utf8_lossy(&bytes).into_owned()),
                )
            } else {
                ([(header::CONTENT_TYPE, content_type)], Body::from(bytes)).into_response()
            }
        }
        Err(_) => {
            let not_found = tokio::fs::read_to_string(preview.out_dir.join("404.html"))
                .await
                .unwrap_or_else(|_| "Niet gevonden".into());
            html_response(StatusCode::NOT_FOUND, inject_reload(not_found))
        }
    }
}

/// The request path as a path below the output folder, or `None` when it
/// would leave it (`..`, encoded or not).
pub fn safe_relative_path(uri_path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(uri_path)?;
    let mut path = PathBuf::new();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => return None,
            s if s.contains('\\') || s.contains('\0') || s.contains(':') => return None,
            s => path.push(s),
        }
    }
    Some(path)
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
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

fn inject_reload(mut html: String) -> String {
    match html.rfind("</body>") {
        Some(at) => html.insert_str(at, RELOAD_SCRIPT),
        None => html.push_str(RELOAD_SCRIPT),
    }
    html
}

fn error_page(report: &str) -> String {
    let mut escaped = Vec::new();
    let _ = tera::escape_html(report, &mut escaped);
    let escaped = String::from_utf8_lossy(&escaped);
    format!(
        "<!DOCTYPE html>\n<html lang=\"nl\"><head><meta charset=\"utf-8\"><title>Fout in de wiki</title>\
         <style>body{{font-family:system-ui,sans-serif;margin:2rem;color:#1a1a1a}}pre{{background:#fff4f4;border-left:4px solid #b00020;padding:1rem;overflow-x:auto;white-space:pre-wrap}}</style></head>\
         <body><main><h1>De wiki kan niet gebouwd worden</h1><p>Los de fout hieronder op en sla het bestand op; deze pagina ververst dan vanzelf.</p><pre>{escaped}</pre></main>{RELOAD_SCRIPT}</body></html>"
    )
}

fn content_type(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
    {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "txt" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_outside_the_site_are_refused_encoded_or_not() {
        assert_eq!(
            safe_relative_path("/regio/twents-waternet/"),
            Some(PathBuf::from("regio/twents-waternet"))
        );
        assert_eq!(
            safe_relative_path("/organisatie/co%C3%B6peratie/"),
            Some(PathBuf::from("organisatie/coöperatie"))
        );
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/a/%2E%2E/%2e%2e/x",
            "/..%2fetc",
            "/a%5c..%5cb",
            "/%zz",
        ] {
            assert_eq!(safe_relative_path(bad), None, "{bad}");
        }
    }
}
