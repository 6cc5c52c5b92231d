//! The editor's HTTP side: `/bewerken/<page>/` answers GET with the form
//! and POST with what the form asked. A request that changes anything
//! must carry this session's token and come from this preview's own pages
//! (its `Origin`), so another site open in the browser cannot post for
//! the editor. Bound to another address than loopback, editing is off.

use super::editor::{self, Answer, EDIT_PREFIX};
use super::http::{Preview, safe_relative_path};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

// The preview's own words, like its error overlay: they hold when the
// theme cannot be read.
const FORBIDDEN: &str = "Bewerken staat uit: twn serve luistert op een ander adres dan 127.0.0.1 of ::1, en er is geen wachtwoord gezet. Start twn serve zonder --bind om op deze computer te bewerken, of zet een wachtwoord in de omgevingsvariabele TWN_WACHTWOORD.";
const LOGIN_PATH: &str = "/bewerken/_inloggen";
const SESSION_COOKIE: &str = "twn_bewerken";
const REFUSED: &str = "Dit verzoek komt niet van het bewerkformulier van deze voorvertoning. Open de pagina opnieuw vanuit de voorvertoning en probeer het nog eens.";
/// The largest file the editor takes: a photo or a report, not a video.
const UPLOAD_LIMIT: usize = 25 * 1024 * 1024;
/// A form of a page: its text and fields, form-encoded (axum's default).
const FORM_LIMIT: usize = 2 * 1024 * 1024;
const FORM_TOO_LARGE: &str = "Deze pagina is te groot om vanuit de browser op te slaan (hoogstens 2 MB aan tekst en velden). Splits haar in meer pagina's, of bewerk het bestand in een editor.";
const TOO_LARGE: &str = "Dit bestand is te groot (hoogstens 25 MB). Verklein de afbeelding of het document en probeer het opnieuw.";
const UNAVAILABLE: &str = "De wiki kan nu niet gelezen worden; de fout staat in de terminal van twn serve. Los die op en probeer het opnieuw.";

fn plain(status: StatusCode, text: String) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        text + "\n",
    )
        .into_response()
}

fn answer(answer: Answer) -> Response {
    match answer {
        Answer::Page(html) => (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            html,
        )
            .into_response(),
        Answer::SeeOther(url) => (StatusCode::SEE_OTHER, [(header::LOCATION, url)]).into_response(),
        Answer::NotFound(text) => plain(StatusCode::NOT_FOUND, text),
        Answer::Json(json) => (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, "application/json"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            json,
        )
            .into_response(),
    }
}

/// The page's URL path below the site from the editor's address.
fn page_path(uri: &Uri) -> Option<String> {
    let rest = uri.path().strip_prefix(EDIT_PREFIX.trim_end_matches('/'))?;
    safe_relative_path(rest)
}

/// Runs `work` on the live site, away from the server's threads.
async fn with_site(
    preview: Arc<Preview>,
    work: impl FnOnce(&mut crate::live::LiveSite, &editor::Editing) -> Answer + Send + 'static,
) -> Response {
    // The editor works on the whole site: not before the first build.
    super::http::while_opening(&preview, |_| false).await;
    let done = tokio::task::spawn_blocking(move || {
        let mut live = preview.live.lock().unwrap_or_else(|e| e.into_inner());
        let answer = live.as_mut().map(|site| work(site, &preview.editing));
        drop(live);
        preview.announce();
        answer
    })
    .await;
    match done {
        Ok(Some(done)) => answer(done),
        _ => plain(StatusCode::SERVICE_UNAVAILABLE, UNAVAILABLE.into()),
    }
}

/// The editor's routes: `/bewerken/` and every page below it.
pub fn routes() -> axum::Router<Arc<Preview>> {
    use axum::routing::get;
    axum::Router::new()
        .route(LOGIN_PATH, axum::routing::post(login_post))
        .route(editor::LOGOUT_PATH, axum::routing::post(logout_post))
        .route("/bewerken", get(edit_form).post(edit_post))
        .route("/bewerken/", get(edit_form).post(edit_post))
        .route("/bewerken/{*page}", get(edit_form).post(edit_post))
        .route(editor::EDIT_SCRIPT_PATH, get(edit_script))
        // The home page's files go to `_bestand/` itself.
        .route(
            "/bewerken/_bestand/",
            axum::routing::post(upload_post)
                .layer(axum::extract::DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route(
            "/bewerken/_bestand/{*page}",
            axum::routing::post(upload_post)
                .layer(axum::extract::DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
}

async fn edit_script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        editor::EDIT_SCRIPT,
    )
        .into_response()
}

async fn edit_form(State(preview): State<Arc<Preview>>, headers: HeaderMap, uri: Uri) -> Response {
    if !preview.editing.enabled {
        return plain(StatusCode::FORBIDDEN, FORBIDDEN.into());
    }
    if !logged_in(&preview.editing, &headers) {
        return login_page(uri.path(), false);
    }
    let Some(path) = page_path(&uri) else {
        return plain(StatusCode::BAD_REQUEST, REFUSED.into());
    };
    let uploaded = uri
        .query()
        .and_then(|q| form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "bestand"))
        .map(|(_, v)| v.into_owned());
    with_site(preview, move |site, session| match new_in(&path) {
        Some(collection) => editor::show_new(site, session, collection),
        None => editor::show(site, session, &path, uploaded.as_deref()),
    })
    .await
}

async fn edit_post(
    State(preview): State<Arc<Preview>>,
    headers: HeaderMap,
    uri: Uri,
    body: axum::body::Body,
) -> Response {
    if !preview.editing.enabled {
        return plain(StatusCode::FORBIDDEN, FORBIDDEN.into());
    }
    // Before a byte of the body is read, as for uploads.
    if !logged_in(&preview.editing, &headers) || !same_origin(&headers) {
        return plain(StatusCode::FORBIDDEN, REFUSED.into());
    }
    let Ok(body) = axum::body::to_bytes(body, FORM_LIMIT).await else {
        return plain(StatusCode::PAYLOAD_TOO_LARGE, FORM_TOO_LARGE.into());
    };
    let pairs: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    let token = pairs
        .iter()
        .find(|(k, _)| k == "token")
        .map(|(_, v)| v.as_str());
    let Some(path) = page_path(&uri).filter(|_| token_matches(token, &preview.editing.token))
    else {
        return plain(StatusCode::FORBIDDEN, REFUSED.into());
    };
    with_site(preview, move |site, session| match new_in(&path) {
        Some(collection) => editor::post_new(site, session, collection, &pairs),
        None => editor::post(site, session, &path, &pairs),
    })
    .await
}

/// Whether the request carries this server's login cookie.
fn logged_in(editing: &editor::Editing, headers: &HeaderMap) -> bool {
    if !editing.needs_login() {
        return true;
    }
    let sessions = editing.sessions.lock().unwrap_or_else(|e| e.into_inner());
    session_cookies(headers).any(|value| {
        sessions
            .iter()
            .any(|session| token_matches(Some(value), session))
    })
}

/// The values of the login cookies a request carries.
fn session_cookies(headers: &HeaderMap) -> impl Iterator<Item = &str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .filter(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value)
}

/// The login page, with a message when a try failed.
fn login_page(back: &str, failed: bool) -> Response {
    let back = crate::text::xml_escape(back);
    let failed = if failed {
        "<p class=\"field-error\" id=\"wachtwoord-fout\">Dat wachtwoord klopt niet.</p>"
    } else {
        ""
    };
    let described = if failed.is_empty() {
        ""
    } else {
        " aria-invalid=\"true\" aria-describedby=\"wachtwoord-fout\""
    };
    let html = format!(
        "<!DOCTYPE html><html lang=\"nl\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Inloggen om te bewerken</title><link rel=\"stylesheet\" href=\"/static/style.css\"></head><body><main id=\"inhoud\" class=\"wrap\"><h1>Inloggen om te bewerken</h1><p>Deze voorvertoning is ook vanaf andere computers te zien; bewerken kan met het wachtwoord dat bij het starten van twn serve is gezet.</p><form class=\"edit-form\" method=\"post\" action=\"{LOGIN_PATH}\"><input type=\"hidden\" name=\"terug\" value=\"{back}\"><div class=\"edit-field\"><label for=\"wachtwoord\">Wachtwoord</label>{failed}<input type=\"password\" id=\"wachtwoord\" name=\"wachtwoord\" autocomplete=\"current-password\" required{described}></div><div class=\"edit-buttons\"><button type=\"submit\">Inloggen</button></div></form></main></body></html>"
    );
    let status = if failed.is_empty() {
        StatusCode::UNAUTHORIZED
    } else {
        StatusCode::FORBIDDEN
    };
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

/// A login: the password in the posted form (never in an address), from
/// the preview's own page; on success a cookie for this server's session.
async fn login_post(
    State(preview): State<Arc<Preview>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let editing = &preview.editing;
    let pairs: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    let value = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let back = value("terug")
        .filter(|b| b.starts_with(EDIT_PREFIX) && !b.starts_with("//"))
        .unwrap_or(EDIT_PREFIX)
        .to_owned();
    let Some(password) = editing.password.as_deref() else {
        return plain(StatusCode::NOT_FOUND, FORBIDDEN.into());
    };
    if !same_origin(&headers) || !token_matches(value("wachtwoord"), password) {
        // A second per wrong try, so that guessing takes long.
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        return login_page(&back, true);
    }
    let Some(session) = editing.start_session() else {
        return plain(StatusCode::FORBIDDEN, FORBIDDEN.into());
    };
    let cookie = format!("{SESSION_COOKIE}={session}; Path=/; HttpOnly; SameSite=Strict");
    (
        StatusCode::SEE_OTHER,
        [(header::LOCATION, back), (header::SET_COOKIE, cookie)],
    )
        .into_response()
}

/// Ends the login whose cookie the request carries: that cookie proves
/// nothing after, whoever kept a copy.
async fn logout_post(State(preview): State<Arc<Preview>>, headers: HeaderMap) -> Response {
    if !same_origin(&headers) {
        return plain(StatusCode::FORBIDDEN, REFUSED.into());
    }
    let ended: Vec<&str> = session_cookies(&headers).collect();
    preview
        .editing
        .sessions
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .retain(|session| {
            !ended
                .iter()
                .any(|value| token_matches(Some(value), session))
        });
    let cleared = format!("{SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
    (
        StatusCode::SEE_OTHER,
        [
            (header::LOCATION, "/".to_owned()),
            (header::SET_COOKIE, cleared),
        ],
    )
        .into_response()
}

/// A file sent from a page's form, to put beside the page.
async fn upload_post(
    State(preview): State<Arc<Preview>>,
    headers: HeaderMap,
    uri: Uri,
    mut multipart: axum::extract::Multipart,
) -> Response {
    if !preview.editing.enabled {
        return plain(StatusCode::FORBIDDEN, FORBIDDEN.into());
    }
    let page = uri
        .path()
        .strip_prefix("/bewerken/_bestand")
        .and_then(safe_relative_path);
    // Before a byte of the body is read: a request from elsewhere may not
    // make the preview hold megabytes.
    if page.is_none() || !same_origin(&headers) || !logged_in(&preview.editing, &headers) {
        return plain(StatusCode::FORBIDDEN, REFUSED.into());
    }
    let (mut token, mut file, mut wants_json) = (None, None, false);
    while let Ok(Some(field)) = multipart.next_field().await {
        match field.name() {
            Some("token") => token = field.text().await.ok(),
            Some("js") => wants_json = true,
            Some("bijlage") => {
                let name = field.file_name().unwrap_or_default().to_owned();
                match field.bytes().await {
                    Ok(bytes) => file = Some((name, bytes)),
                    Err(_) => return plain(StatusCode::PAYLOAD_TOO_LARGE, TOO_LARGE.into()),
                }
            }
            _ => {}
        }
    }
    let allowed = token_matches(token.as_deref(), &preview.editing.token);
    let (Some(page), Some((name, bytes)), true) = (page, file, allowed) else {
        return plain(StatusCode::FORBIDDEN, REFUSED.into());
    };
    with_site(preview, move |site, session| {
        super::upload::upload(site, session, &page, &name, &bytes, wants_json)
    })
    .await
}

/// The collection a new page's form is for, from its address.
fn new_in(path: &str) -> Option<&str> {
    let collection = path.strip_prefix(editor::NEW_PAGE)?.trim_end_matches('/');
    (!collection.is_empty() && !collection.contains('/')).then_some(collection)
}

/// Whether the request's `Origin` is the preview itself, as named by its
/// `Host` (which the server's guard has checked).
fn same_origin(headers: &HeaderMap) -> bool {
    let value = |name| headers.get(name).and_then(|v| v.to_str().ok());
    match (value(header::ORIGIN), value(header::HOST)) {
        (Some(origin), Some(host)) => origin == format!("http://{host}"),
        _ => false,
    }
}

/// Compares in time that does not depend on where they differ.
fn token_matches(given: Option<&str>, token: &str) -> bool {
    let Some(given) = given else {
        return false;
    };
    given.len() == token.len()
        && given
            .bytes()
            .zip(token.bytes())
            .fold(0u8, |differ, (a, b)| differ | (a ^ b))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_previews_own_origin_and_token_pass() {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, "127.0.0.1:4000".parse().unwrap());
        assert!(!same_origin(&headers), "no Origin, no post");
        headers.insert(header::ORIGIN, "http://evil.example".parse().unwrap());
        assert!(!same_origin(&headers));
        headers.insert(header::ORIGIN, "http://127.0.0.1:4000".parse().unwrap());
        assert!(same_origin(&headers));
        assert!(token_matches(Some("abc"), "abc"));
        assert!(!token_matches(Some("abd"), "abc"));
        assert!(!token_matches(Some("ab"), "abc"));
        assert!(!token_matches(None, "abc"));
    }
}
