//! `twn serve`: a live preview. The site is built in memory (never into
//! `public/`), served on loopback, and kept up to date as files change:
//! each change renders only what it reached, then open tabs showing a
//! changed page reload. A bad edit shows its errors in every tab while
//! the last good site stays up.

mod edit_http;
mod editor;
mod http;
mod upload;
mod watch;

pub use http::{RELOAD_PATH, content_security_policy_header, safe_relative_path};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::live::{ChangeSet, LiveOptions, LiveSite, Outcome, Store};
use http::Preview;
use std::io::IsTerminal;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};
use tokio::sync::broadcast;

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub site_root: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    pub drafts: bool,
    /// Look at the files now and then instead of being told of changes:
    /// for network drives, WSL and containers.
    pub poll: bool,
    /// Open the preview in the browser.
    pub open: bool,
}

/// A page file that seems gone may be in the middle of an atomic save.
const DELETION_GRACE: Duration = Duration::from_millis(50);
/// How long an error waits for more of the save that caused it.
const SAVE_GRACE: Duration = Duration::from_millis(50);
/// The search index is made again once saves pause this long.
const SEARCH_PAUSE: Duration = Duration::from_millis(250);

/// Serves the preview until Ctrl+C; fails when it cannot start.
pub fn serve(options: ServeOptions) -> Result<(), Diagnostic> {
    if let Some(problem) = crate::config::missing_config(&options.site_root) {
        return Err(problem);
    }
    let cannot = |what: &str, e: std::io::Error| {
        Diagnostic::error(
            "twn serve",
            format!("{what}: {}", crate::diagnostics::io_reason(&e)),
        )
    };
    let site_root = std::path::absolute(&options.site_root)
        .map_err(|e| cannot("de map van de site kan niet gevonden worden", e))?;
    let runtime =
        tokio::runtime::Runtime::new().map_err(|e| cannot("de server kan niet starten", e))?;
    runtime.block_on(async move {
        let address = SocketAddr::new(options.bind, options.port);
        let listener = tokio::net::TcpListener::bind(address).await.map_err(|e| {
            cannot(&format!("kan niet luisteren op {address}"), e)
                .help("kies een andere poort met --port")
        })?;
        let address = listener
            .local_addr()
            .map_err(|e| cannot("de server kan niet starten", e))?;
        let shown_host = if address.ip().is_unspecified() {
            IpAddr::from([127, 0, 0, 1])
        } else {
            address.ip()
        };
        let url = format!("http://{}/", SocketAddr::new(shown_host, address.port()));
        if !address.ip().is_loopback() {
            eprintln!(
                "twn serve: let op: op {address} kan iedereen in het netwerk de voorvertoning zien, concepten en fouten incluis; laat --bind weg om alleen op deze computer te luisteren"
            );
            match std::env::var(editor::PASSWORD_VARIABLE) {
                Ok(password) if password.chars().count() >= editor::MIN_PASSWORD_CHARS => eprintln!(
                    "twn serve: bewerken in de browser kan na inloggen met het wachtwoord uit {}",
                    editor::PASSWORD_VARIABLE
                ),
                Ok(password) if !password.is_empty() => eprintln!(
                    "twn serve: het wachtwoord in {} is te kort (minstens {} tekens), dus bewerken in de browser staat uit; kies een langer wachtwoord",
                    editor::PASSWORD_VARIABLE,
                    editor::MIN_PASSWORD_CHARS
                ),
                _ => eprintln!(
                    "twn serve: bewerken in de browser staat uit; zet een wachtwoord in de omgevingsvariabele {} om het op dit adres toe te staan",
                    editor::PASSWORD_VARIABLE
                ),
            }
        }
        let preview = Arc::new(Preview {
            store: Arc::new(RwLock::new(Store::opening())),
            live: Arc::new(Mutex::new(None)),
            changed: broadcast::channel(64).0,
            editing: editor::Editing::new(
                site_root.clone(),
                address.ip().is_loopback(),
                std::env::var(editor::PASSWORD_VARIABLE).ok(),
            ),
        });
        let live_options = LiveOptions {
            site_root: site_root.clone(),
            base_url: url.clone(),
            drafts: options.drafts,
        };
        // Saves during the first build wait in the channel for it.
        let (sender, receiver) = std::sync::mpsc::channel();
        let git_dir = watch::git_dir(&site_root);
        let _watch = watch::watch(&site_root, git_dir.as_deref(), options.poll, sender)
            .map_err(|e| {
                Diagnostic::error("twn serve", format!("kan de bestanden niet volgen: {e}"))
                    .help("probeer `twn serve --poll`")
            })?;
        // The server answers from the start: a page not built yet is
        // waited for, and the home page is built first.
        let rebuilder = Arc::clone(&preview);
        std::thread::spawn(move || {
            open_site(&rebuilder, &live_options);
            rebuilder
                .store
                .write()
                .unwrap_or_else(|e| e.into_inner())
                .opened();
            rebuilder.announce();
            rebuild_on_change(&rebuilder, &live_options, git_dir.as_deref(), &receiver)
        });
        eprintln!("twn serve: {url} (Ctrl+C om te stoppen)");
        if options.open {
            open_in_browser(&url);
        }
        let hosts = http::AllowedHosts::for_address(address);
        axum::serve(listener, http::router(preview, hosts, edit_http::routes()))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(|e| cannot("de server is gestopt", e))
    })
}

/// Reads and renders the whole site; on errors, shows them and waits
/// for the next change.
fn open_site(preview: &Preview, options: &LiveOptions) {
    let started = Instant::now();
    match LiveSite::open(options.clone(), Arc::clone(&preview.store)) {
        Ok((mut live, warnings)) => {
            let styled = std::io::stderr().is_terminal();
            let mut shown = Diagnostics::default();
            shown.extend(warnings);
            eprint!("{}", shown.report(styled));
            live.render_home_first();
            preview.announce();
            let outcome = live.render();
            live.update_search();
            let pages = live.page_count();
            *preview.live.lock().unwrap_or_else(|e| e.into_inner()) = Some(live);
            report(&outcome, started, |_| {
                format!(
                    "twn serve: {pages} pagina's gebouwd in {} ms",
                    started.elapsed().as_millis()
                )
            });
        }
        Err(problems) => {
            let mut errors = Diagnostics::default();
            errors.extend(problems);
            preview
                .store
                .write()
                .unwrap_or_else(|e| e.into_inner())
                .publish_error(errors.report(false));
            report(
                &Outcome {
                    errors: Some(errors),
                    ..Outcome::default()
                },
                started,
                |_| String::new(),
            );
        }
    }
    preview.announce();
}

/// The warnings a change brought, once each, as a build shows them.
fn print_new_warnings(outcome: &Outcome) {
    print_problems(&outcome.new_warnings);
}

fn print_problems(problems: &[crate::diagnostics::Diagnostic]) {
    if !problems.is_empty() {
        let mut report = Diagnostics::default();
        report.extend(problems.iter().cloned());
        eprint!("{}", report.report(std::io::stderr().is_terminal()));
    }
}

fn report(outcome: &Outcome, started: Instant, success: impl Fn(usize) -> String) {
    match &outcome.errors {
        None => {
            print_new_warnings(outcome);
            eprintln!("{}", success(outcome.outputs_changed));
        }
        Some(errors) => {
            eprint!("{}", errors.report(std::io::stderr().is_terminal()));
            eprintln!(
                "twn serve: de fout staat ook in de browser ({} ms); na het opslaan van de oplossing ververst de pagina vanzelf",
                started.elapsed().as_millis()
            );
        }
    }
}

/// The watcher's bursts, joined while a render runs, each applied in turn.
fn rebuild_on_change(
    preview: &Preview,
    options: &LiveOptions,
    git_dir: Option<&Path>,
    bursts: &Receiver<Vec<PathBuf>>,
) {
    let root = &options.site_root;
    loop {
        let first = if search_is_stale(preview) {
            match bursts.recv_timeout(SEARCH_PAUSE) {
                Ok(first) => first,
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                    update_search(preview);
                    continue;
                }
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
            }
        } else {
            match bursts.recv() {
                Ok(first) => first,
                Err(_) => break,
            }
        };
        let started = Instant::now();
        let theme = current_theme(preview);
        let read = |paths: &[PathBuf]| {
            let mut changes =
                ChangeSet::from_paths(root, &theme, paths.iter().map(PathBuf::as_path));
            if let Some(git_dir) = git_dir {
                changes.add_git_events(git_dir, paths.iter().map(PathBuf::as_path));
            }
            changes
        };
        let mut changes = read(&first);
        let more = |changes: &mut ChangeSet, wait: Duration| {
            while let Ok(paths) = bursts.recv_timeout(wait) {
                changes.merge(read(&paths));
            }
        };
        more(&mut changes, Duration::ZERO);
        if seems_deleted(root, &changes) {
            more(&mut changes, DELETION_GRACE);
        }
        if changes.is_empty() {
            continue;
        }
        let mut live = preview.live.lock().unwrap_or_else(|e| e.into_inner());
        let Some(site) = live.as_mut() else {
            drop(live);
            open_site(preview, options);
            continue;
        };
        let mut outcome = site.apply(&changes);
        // A save written in two steps (a slow disk, a network folder) looks
        // broken in between: an error waits a moment for the rest of the
        // save before any tab is told.
        if outcome.errors.is_some() {
            let mut rest = ChangeSet::default();
            more(&mut rest, SAVE_GRACE);
            if !rest.is_empty() {
                outcome = site.apply(&rest);
                changes.merge(rest);
            }
        }
        drop(live);
        preview.announce();
        report(&outcome, started, |count| {
            format!(
                "twn serve: {} in {} ms",
                describe(&changes, count),
                started.elapsed().as_millis()
            )
        });
    }
}

fn search_is_stale(preview: &Preview) -> bool {
    let live = preview.live.lock().unwrap_or_else(|e| e.into_inner());
    live.as_ref().is_some_and(LiveSite::search_is_stale)
}

fn update_search(preview: &Preview) {
    let mut live = preview.live.lock().unwrap_or_else(|e| e.into_inner());
    let changed = live.as_mut().map_or(0, LiveSite::update_search);
    drop(live);
    if changed > 0 {
        preview.announce();
    }
}

fn current_theme(preview: &Preview) -> String {
    let live = preview.live.lock().unwrap_or_else(|e| e.into_inner());
    live.as_ref()
        .map_or_else(|| "default".into(), |l| l.theme_name().to_owned())
}

fn seems_deleted(root: &Path, changes: &ChangeSet) -> bool {
    let content = root.join(crate::folders::CONTENT_DIR);
    changes.pages.iter().any(|p| !content.join(p).exists())
}

fn describe(changes: &ChangeSet, outputs: usize) -> String {
    let what = match changes.pages.len() {
        0 if changes.config => "twn.yaml".to_owned(),
        0 if changes.theme || changes.theme_static => "thema".to_owned(),
        0 if changes.git => "git".to_owned(),
        0 => "bestanden".to_owned(),
        1 => changes.pages.first().cloned().unwrap_or_default(),
        n => format!("{n} pagina's"),
    };
    let outputs = match outputs {
        1 => "1 uitvoerbestand".to_owned(),
        n => format!("{n} uitvoerbestanden"),
    };
    format!("{what} gewijzigd, {outputs} bijgewerkt")
}

fn open_in_browser(url: &str) {
    let command = if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else if cfg!(windows) {
        ("cmd", vec!["/C", "start", "", url])
    } else {
        ("xdg-open", vec![url])
    };
    let opened = std::process::Command::new(command.0)
        .args(&command.1)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if opened.is_err() {
        eprintln!("twn serve: de browser kon niet geopend worden; open {url} zelf");
    }
}
