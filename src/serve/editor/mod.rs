//! One request to the editor: the form of a page, made from its file and
//! its collection's schema; a posted form applied (a list item added,
//! removed or moved), checked as `twn check` checks, saved, and committed
//! on request. Which file a request edits comes from the site's own pages,
//! never from a path the browser wrote.

use crate::diagnostics::Diagnostic;
use crate::edit::attachment::files_named;
use crate::edit::commit::{Author, SavedPage, commit_page, configured_author};
use crate::edit::draft::{Draft, FieldPath, Step, element_id, parse_form_name};
use crate::edit::form::{FormInput, common_specs, fields_html};
use crate::edit::page_file::PageFile;
use crate::fields::{FieldKind, FieldSpec};
use crate::folders::CONTENT_DIR;
use crate::live::LiveSite;
use crate::live::editing::EditablePage;
use indexmap::IndexMap;
use serde_json::json;
use std::path::{Path, PathBuf};

mod problems;

use problems::{Placed, place_problems};

pub const EDIT_PREFIX: &str = "/bewerken/";
/// Below [`EDIT_PREFIX`]: the form of a new page, `_nieuw/<collection>/`;
/// no page's address starts with `_`.
pub const NEW_PAGE: &str = "_nieuw/";
/// Below [`EDIT_PREFIX`]: where a page's form sends a file, `_bestand/<page>/`.
pub const UPLOAD: &str = "_bestand/";

/// The environment variable that holds the editing password when
/// `twn serve` listens beyond this computer: never an argument, which
/// other users of the machine can read.
pub const PASSWORD_VARIABLE: &str = "TWN_WACHTWOORD";
/// A shorter password is guessed too soon by anyone in the network.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// What every editor request shares.
pub struct Editing {
    /// Proves a post comes from a form this server made.
    pub token: String,
    /// Off when others on the network could reach the preview and no
    /// password is set.
    pub enabled: bool,
    pub site_root: PathBuf,
    /// Set when others on the network can reach the preview: an editor
    /// logs in with it first.
    pub password: Option<String>,
    /// The cookies logins gave, newest last, each proving its login on
    /// every request after, until it logs out or is the oldest of more
    /// than [`MAX_SESSIONS`].
    pub sessions: std::sync::Mutex<std::collections::VecDeque<String>>,
}

/// Logins kept at once: a browser that never logs out does not make the
/// list grow.
pub const MAX_SESSIONS: usize = 64;
/// Where the form's logout button posts to, in login mode.
pub const LOGOUT_PATH: &str = "/bewerken/_uitloggen";

fn random_hex() -> Option<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).ok()?;
    Some(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

impl Editing {
    /// Editing on loopback, or with `password` on another address.
    pub fn new(site_root: PathBuf, loopback: bool, password: Option<String>) -> Editing {
        let password = password.filter(|p| p.chars().count() >= MIN_PASSWORD_CHARS && !loopback);
        // Without the system's randomness no token can be trusted: editing
        // stays off.
        let token = random_hex();
        Editing {
            enabled: token.is_some() && (loopback || password.is_some()),
            token: token.unwrap_or_default(),
            site_root,
            password,
            sessions: Default::default(),
        }
    }

    /// A new login's cookie value, kept until it logs out.
    pub fn start_session(&self) -> Option<String> {
        let session = random_hex()?;
        let mut sessions = self.sessions.lock().unwrap_or_else(|e| e.into_inner());
        sessions.push_back(session.clone());
        if sessions.len() > MAX_SESSIONS {
            sessions.pop_front();
        }
        Some(session)
    }

    /// Whether a request must log in first.
    pub fn needs_login(&self) -> bool {
        self.password.is_some()
    }
}

/// What the editor answers.
pub enum Answer {
    Page(String),
    /// After a save: the page as it is now.
    SeeOther(String),
    NotFound(String),
    /// What the form's script asked while the editor types.
    Json(String),
}

/// The form's script, served by twn itself: it works with any theme.
pub const EDIT_SCRIPT_PATH: &str = "/__twn/edit.js";
pub const EDIT_SCRIPT: &str = include_str!("edit.js");

/// What the browser asked, from the posted form.
enum Action {
    Check,
    /// Checked and previewed for the script, nothing saved.
    Live,
    Save,
    SaveAndCommit,
    Add(FieldPath),
    Remove(FieldPath),
    MoveUp(FieldPath),
}

impl Action {
    fn read(value: &str) -> Action {
        let path = |name: &str| parse_form_name(name).unwrap_or_default();
        match value.split_once(':') {
            Some(("erbij", name)) => Action::Add(path(name)),
            Some(("weg", name)) => Action::Remove(path(name)),
            Some(("omhoog", name)) => Action::MoveUp(path(name)),
            _ => match value {
                "opslaan" => Action::Save,
                "live" => Action::Live,
                "vastleggen" => Action::SaveAndCommit,
                _ => Action::Check,
            },
        }
    }
}

/// The form as a page shows it, and what it shows besides.
#[derive(Default)]
struct Shown {
    values: IndexMap<String, Draft>,
    body: String,
    /// The whole file, when its front matter cannot be read as fields.
    raw: Option<(String, String)>,
    problems: Vec<Diagnostic>,
    checked: bool,
    notice: String,
    summary: String,
    author: Author,
    base: String,
    conflict: Option<(String, String)>,
}

fn fingerprint(text: &str) -> String {
    let mut key = crate::fingerprint::KeyBuilder::new("bewerken");
    key.add(text);
    key.finish()
}

pub(super) fn word(live: &LiveSite, key: &str) -> String {
    live.strings().get(key).cloned().unwrap_or_default()
}

/// The page at `url_path` (below the site's root, e.g. `regio/x/`).
pub(super) fn target(live: &LiveSite, url_path: &str) -> Result<EditablePage, Answer> {
    live.page_at(url_path.trim_matches('/'))
        .ok_or_else(|| Answer::NotFound(word(live, "not_found_text")))
}

/// The page's file as text, with the problem of a file that is not
/// UTF-8: the form shows its unreadable bytes as �, and a save writes
/// them so, which the editor must agree to first (*Toch opslaan*).
fn read_file(
    live: &LiveSite,
    site_root: &Path,
    page: &EditablePage,
) -> (String, Option<Diagnostic>) {
    let file = site_root.join(CONTENT_DIR).join(&page.content_path);
    match String::from_utf8(std::fs::read(file).unwrap_or_default()) {
        Ok(text) => (text, None),
        Err(not_utf8) => {
            let bytes = not_utf8.into_bytes();
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let shown = format!("{CONTENT_DIR}/{}", page.content_path);
            let problem = crate::source::decode_source(bytes, &shown)
                .err()
                .map(|problem| problem.help(word(live, "edit_not_utf8")));
            (text, problem)
        }
    }
}

/// The form of the page at `url_path` as its file is now.
pub fn show(live: &LiveSite, session: &Editing, url_path: &str, uploaded: Option<&str>) -> Answer {
    let site_root = session.site_root.as_path();
    let page = match target(live, url_path) {
        Ok(page) => page,
        Err(answer) => return answer,
    };
    let (text, not_utf8) = read_file(live, site_root, &page);
    let mut shown = Shown {
        author: configured_author(site_root),
        base: fingerprint(&text),
        ..Shown::default()
    };
    match PageFile::read(&text) {
        Ok(file) => {
            shown.values = file.values();
            shown.body = file.body();
        }
        Err(unreadable) => shown.raw = Some((text.clone(), unreadable.message)),
    }
    shown.problems = live.check_text(&page.content_path, &text);
    shown.problems.extend(not_utf8);
    if let Some(name) = uploaded {
        shown.notice = word(live, "edit_uploaded")
            .replace("{name}", name)
            .replace("{markdown}", &crate::edit::attachment::markdown_for(name));
    }
    render(live, &page, session, &shown, &text)
}

/// The form of a new page of `collection`: its fields, none filled in.
pub fn show_new(live: &LiveSite, session: &Editing, collection: &str) -> Answer {
    let Some(page) = live.new_page(collection) else {
        return Answer::NotFound(word(live, "not_found_text"));
    };
    let shown = Shown {
        author: configured_author(&session.site_root),
        ..Shown::default()
    };
    render(live, &page, session, &shown, "")
}

/// Takes a posted form for a new page of `collection`.
pub fn post_new(
    live: &mut LiveSite,
    session: &Editing,
    collection: &str,
    pairs: &[(String, String)],
) -> Answer {
    match live.new_page(collection) {
        Some(page) => take_form(live, session, page, pairs),
        None => Answer::NotFound(word(live, "not_found_text")),
    }
}

/// Takes a posted form for the page at `url_path`.
pub fn post(
    live: &mut LiveSite,
    session: &Editing,
    url_path: &str,
    pairs: &[(String, String)],
) -> Answer {
    match target(live, url_path) {
        Ok(page) => take_form(live, session, page, pairs),
        Err(answer) => answer,
    }
}

fn take_form(
    live: &mut LiveSite,
    session: &Editing,
    mut page: EditablePage,
    pairs: &[(String, String)],
) -> Answer {
    let site_root = session.site_root.as_path();
    let field = |name: &str| {
        pairs
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let action = Action::read(&field("actie"));
    let (on_disk, not_utf8) = if page.is_new {
        (String::new(), None)
    } else {
        read_file(live, site_root, &page)
    };
    let specs = all_specs(live, &page);
    let mut shown = Shown {
        summary: field("samenvatting").trim().to_owned(),
        author: Author {
            name: field("naam").trim().to_owned(),
            email: field("email").trim().to_owned(),
        },
        base: field("basis"),
        ..Shown::default()
    };
    let file = if page.is_new {
        Ok(PageFile::blank())
    } else {
        PageFile::read(&on_disk)
    };
    let new_text = match (pairs.iter().any(|(k, _)| k == "bestand"), file) {
        (false, Ok(file)) => {
            shown.values = posted_values(pairs, &file, &specs);
            apply_list_action(&mut shown.values, &action, &specs);
            shown.body = field("tekst").replace("\r\n", "\n");
            let order: Vec<&str> = specs.keys().map(String::as_str).collect();
            file.with(&shown.values, &order, &specs, &shown.body)
        }
        (_, read) => {
            let text = field("bestand");
            let text = if on_disk.contains("\r\n") {
                text
            } else {
                text.replace("\r\n", "\n")
            };
            let reason = read.err().map(|u| u.message).unwrap_or_default();
            shown.raw = Some((text.clone(), reason));
            text
        }
    };
    // A new page's file is named after its title, as `twn new` names it.
    let mut taken = false;
    if page.is_new {
        let title = shown
            .values
            .get("title")
            .map(Draft::text)
            .unwrap_or_default();
        let slug = crate::slug::slugify(title);
        let collection = page.collection.clone().unwrap_or_default();
        page.content_path = format!(
            "{collection}/{}.md",
            if slug.is_empty() { "nieuw" } else { &slug }
        );
        taken = live.is_taken(&page.content_path);
    }
    if matches!(action, Action::Live) {
        let (problems, preview) = live.preview(&page.content_path, &new_text);
        shown.problems = problems;
        let placed = place_problems(live, &specs, &shown, &new_text);
        let mut fields: serde_json::Map<String, serde_json::Value> = placed
            .by_field
            .iter()
            .map(|(path, messages)| (element_id(path), json!(messages)))
            .collect();
        if !placed.body.is_empty() {
            fields.insert("veld-tekst".into(), json!(placed.body));
        }
        let (page_html, chart) = preview.unwrap_or_default();
        return Answer::Json(
            json!({"fields": fields, "errors": placed.listed, "preview": page_html, "chart": chart})
                .to_string(),
        );
    }
    shown.problems = live.check_text(&page.content_path, &new_text);
    shown.problems.extend(not_utf8);
    let has_errors = shown.problems.iter().any(Diagnostic::is_error);
    let commit = matches!(action, Action::SaveAndCommit);
    if !matches!(action, Action::Save | Action::SaveAndCommit) {
        shown.checked = matches!(action, Action::Check);
        return render(live, &page, session, &shown, &new_text);
    }
    if taken {
        shown.notice = word(live, "edit_new_taken")
            .replace("{path}", &format!("{CONTENT_DIR}/{}", page.content_path));
        return render(live, &page, session, &shown, &new_text);
    }
    if !page.is_new && fingerprint(&on_disk) != shown.base {
        shown.conflict = Some((on_disk.clone(), new_text.clone()));
        shown.base = fingerprint(&on_disk);
        return render(live, &page, session, &shown, &new_text);
    }
    if has_errors && field("ondanks") != "ja" {
        shown.checked = true;
        return render(live, &page, session, &shown, &new_text);
    }
    if commit && shown.summary.is_empty() {
        shown.notice = word(live, "edit_summary_missing");
        return render(live, &page, session, &shown, &new_text);
    }
    if commit && !shown.author.is_valid() {
        shown.notice = word(live, "edit_author_missing");
        return render(live, &page, session, &shown, &new_text);
    }
    let file = site_root.join(CONTENT_DIR).join(&page.content_path);
    let written = if !crate::files::lies_within(&site_root.join(CONTENT_DIR), &file) {
        Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            word(live, "edit_outside"),
        ))
    } else if page.is_new {
        crate::files::create_new_file(&file, new_text.as_bytes())
    } else if new_text != on_disk {
        crate::files::replace_users_file(&file, new_text.as_bytes())
    } else {
        Ok(())
    };
    if let Err(error) = written {
        shown.notice = crate::diagnostics::io_reason(&error);
        return render(live, &page, session, &shown, &new_text);
    }
    super::print_new_warnings(&live.saved(&file));
    if commit {
        let path = format!("{CONTENT_DIR}/{}", page.content_path);
        let folder = format!("{CONTENT_DIR}/{}", page.url_path.trim_matches('/'));
        let named: Vec<String> = files_named(live.config(), &page.content_path, &new_text)
            .into_iter()
            .map(|file| format!("{CONTENT_DIR}/{file}"))
            .collect();
        let saved = SavedPage {
            path: &path,
            folder: &folder,
            named: &named,
        };
        if let Err(why) = commit_page(site_root, &saved, &shown.summary, &shown.author) {
            shown.notice = format!("{} {why}", word(live, "edit_commit_failed"));
            shown.base = fingerprint(&new_text);
            return render(live, &page, session, &shown, &new_text);
        }
        super::print_new_warnings(&live.committed());
    }
    let url = live
        .editable_page(&page.content_path)
        .map_or(page.url, |saved| saved.url);
    Answer::SeeOther(url)
}

/// The fields the form shows: every page's, then the collection's.
fn all_specs(live: &LiveSite, page: &EditablePage) -> IndexMap<String, FieldSpec> {
    let words = |key: &str| word(live, key);
    let mut specs = common_specs(&words);
    if let Some(collection) = live.config().collection_of(page.collection.as_deref()) {
        specs.extend(
            collection
                .fields
                .iter()
                .map(|(k, v)| (k.clone(), v.clone())),
        );
    }
    specs
}

/// The file's fields with the form's in their place: a field of the form
/// left blank is gone, one the form does not show keeps its value.
fn posted_values(
    pairs: &[(String, String)],
    file: &PageFile,
    specs: &IndexMap<String, FieldSpec>,
) -> IndexMap<String, Draft> {
    let mut posted = Draft::Object(IndexMap::new());
    // A name no form of twn's posts (`f[0]`, an item far past its list's
    // end) is left out.
    for (name, value) in pairs {
        if name == "lijst" {
            if let Some(path) = parse_form_name(value).filter(|p| posted.reaches(p)) {
                posted.ensure_list(&path);
            }
        } else if let Some(path) = parse_form_name(name).filter(|p| posted.reaches(p)) {
            posted.set(&path, value.replace("\r\n", "\n"));
        }
    }
    let Draft::Object(mut posted) = posted else {
        unreachable!("made a group above")
    };
    let mut values = file.values();
    for (key, spec) in specs {
        // An unticked box is "no", which a field the file lacks says too.
        let default_no = spec.kind.value == FieldKind::Boolean && !values.contains_key(key);
        match posted.swap_remove(key) {
            Some(Draft::Text(no)) if default_no && no == "false" => {}
            Some(value) => {
                values.insert(key.clone(), value);
            }
            None => {
                values.shift_remove(key);
            }
        }
    }
    values
}

/// The schema of the field at `path`.
fn spec_at<'a>(specs: &'a IndexMap<String, FieldSpec>, path: &[Step]) -> Option<&'a FieldSpec> {
    let (Step::Key(first), rest) = path.split_first()? else {
        return None;
    };
    let mut spec = specs.get(first)?;
    for step in rest {
        spec = match step {
            Step::Item(_) => spec.of.as_deref()?,
            Step::Key(key) => spec.fields.get(key)?,
        };
    }
    Some(spec)
}

fn apply_list_action(
    values: &mut IndexMap<String, Draft>,
    action: &Action,
    specs: &IndexMap<String, FieldSpec>,
) {
    let mut root = Draft::Object(std::mem::take(values));
    // Only lists the form has, as for posted names.
    let reached = match action {
        Action::Add(path) | Action::Remove(path) | Action::MoveUp(path) => root.reaches(path),
        _ => false,
    };
    match action {
        _ if !reached => {}
        Action::Add(path) if spec_at(specs, path).is_some() => {
            let objects = spec_at(specs, path)
                .and_then(|s| s.of.as_deref())
                .is_some_and(|item| item.kind.value == FieldKind::Object);
            root.ensure_list(path);
            if let Some(items) = root.list_mut(path) {
                items.push(if objects {
                    Draft::Object(IndexMap::new())
                } else {
                    Draft::Text(String::new())
                });
            }
        }
        Action::Remove(path) | Action::MoveUp(path) => {
            if let Some((Step::Item(i), list)) = path.split_last()
                && spec_at(specs, list).is_some()
                && let Some(items) = root.list_mut(list)
                && *i < items.len()
            {
                if matches!(action, Action::Remove(_)) {
                    items.remove(*i);
                } else if *i > 0 {
                    items.swap(*i - 1, *i);
                }
            }
        }
        _ => {}
    }
    if let Draft::Object(fields) = root {
        *values = fields;
    }
}

fn render(
    live: &LiveSite,
    page: &EditablePage,
    session: &Editing,
    shown: &Shown,
    text: &str,
) -> Answer {
    let specs = all_specs(live, page);
    let Placed {
        by_field,
        body: body_errors,
        listed,
    } = place_problems(live, &specs, shown, text);
    let choices = |collection: &str| live.choices(collection);
    let words = |key: &str| word(live, key);
    let fields = fields_html(&FormInput {
        specs: &specs,
        values: &shown.values,
        choices: &choices,
        errors: &by_field,
        words: &words,
    });
    let collection = page.collection.as_deref().unwrap_or_default();
    let edit_url = if page.is_new {
        format!("{EDIT_PREFIX}{NEW_PAGE}{collection}/")
    } else {
        format!("{EDIT_PREFIX}{}", page.url.trim_start_matches('/'))
    };
    let heading = if page.is_new {
        word(live, "edit_new_heading").replace("{singular}", &page.title.to_lowercase())
    } else {
        word(live, "edit_heading").replace("{title}", &page.title)
    };
    let value = json!({
        "title": page.title,
        "heading": heading,
        "url": page.url,
        "edit_url": edit_url,
        "token": session.token,
        "base": shown.base,
        "fields": fields,
        // A text area drops the first line break after its tag.
        "body": format!("\n{}", shown.body),
        "body_errors": body_errors,
        "raw": shown.raw.as_ref().map(|(text, _)| format!("\n{text}")),
        "raw_reason": shown.raw.as_ref().map(|(_, why)| word(live, "edit_as_text").replace("{reason}", why)),
        "errors": listed,
        "checked": shown.checked,
        "notice": shown.notice,
        "summary": shown.summary,
        "author_name": shown.author.name,
        "author_email": shown.author.email,
        "link_targets": live.link_targets().into_iter().map(|t| t.title).collect::<Vec<_>>(),
        "script": EDIT_SCRIPT_PATH,
        "logout_url": session.needs_login().then_some(LOGOUT_PATH),
        "upload_url": (!page.is_new).then(|| format!("{EDIT_PREFIX}{}{}", UPLOAD, page.url.trim_start_matches('/'))),
        "conflict": shown.conflict.as_ref().map(|(theirs, mine)| json!({"theirs": theirs, "mine": mine})),
    });
    match live.render_edit_page(value) {
        Ok(html) => Answer::Page(html),
        Err(problem) => Answer::Page(format!(
            "<!DOCTYPE html><html lang=\"nl\"><head><meta charset=\"utf-8\"><title>{0}</title></head><body><main><h1>{0}</h1><pre>{1}</pre></main></body></html>",
            crate::text::xml_escape(&word(live, "edit_title")),
            crate::text::xml_escape(&problem.message)
        )),
    }
}
