//! A form as a browser without JavaScript fills it in: the editor's page
//! read for its controls and their values, changed, and posted as
//! `application/x-www-form-urlencoded`, with the preview's own Origin.

use super::server::{Server, raw};

/// The controls of a page's first `<form>`, in document order, with the
/// values a browser would send (`None` for a button or an unticked box).
#[derive(Debug, Clone)]
pub struct Form {
    pub action: String,
    pub fields: Vec<(String, String)>,
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let needle = format!(" {name}=\"");
    let start = tag.find(&needle)? + needle.len();
    let end = start + tag[start..].find('"')?;
    Some(unescape(&tag[start..end]))
}

fn has_attribute(tag: &str, name: &str) -> bool {
    tag.split([' ', '>']).any(|part| part == name)
}

pub fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&#x2F;", "/")
        .replace("&amp;", "&")
}

impl Form {
    /// The form in `html` (a whole HTTP response or a page).
    pub fn read(html: &str) -> Form {
        let start = html
            .find("<form class=\"edit-form\"")
            .expect("the editor's form");
        let end = start + html[start..].find("</form>").expect("the form ends");
        let form = &html[start..end];
        let head = &form[..form.find('>').unwrap()];
        let mut fields = Vec::new();
        let mut rest = form;
        while let Some(at) = rest.find('<') {
            rest = &rest[at..];
            let tag_end = rest.find('>').unwrap();
            let tag = &rest[..tag_end];
            let name = attribute(tag, "name");
            if tag.starts_with("<input") {
                let kind = attribute(tag, "type").unwrap_or_else(|| "text".into());
                let value = attribute(tag, "value").unwrap_or_default();
                let sent = match kind.as_str() {
                    "checkbox" => has_attribute(tag, "checked"),
                    "submit" | "button" => false,
                    _ => true,
                };
                if let (Some(name), true) = (name, sent) {
                    fields.push((name, value));
                }
            } else if tag.starts_with("<select") {
                let close = rest.find("</select>").unwrap();
                let options = &rest[..close];
                let mut first = None;
                let mut chosen = None;
                for option in options.split("<option").skip(1) {
                    let tag = &option[..option.find('>').unwrap()];
                    let value = attribute(&format!(" {tag}"), "value").unwrap_or_default();
                    first.get_or_insert(value.clone());
                    if has_attribute(tag, "selected") {
                        chosen = Some(value);
                    }
                }
                if let Some(name) = name {
                    fields.push((name, chosen.or(first).unwrap_or_default()));
                }
                rest = &rest[close..];
            } else if tag.starts_with("<textarea") {
                let close = rest.find("</textarea>").unwrap();
                let content = &rest[tag_end + 1..close];
                // The parser drops one line break right after the tag.
                let content = content.strip_prefix('\n').unwrap_or(content);
                if let Some(name) = name {
                    fields.push((name, unescape(content)));
                }
                rest = &rest[close..];
            }
            rest = &rest[1..];
        }
        Form {
            action: attribute(head, "action").expect("the form's action"),
            fields,
        }
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Sets every control named `name` (the last one, for a checkbox's
    /// hidden "no"), or adds one.
    pub fn set(&mut self, name: &str, value: &str) -> &mut Self {
        match self.fields.iter_mut().rev().find(|(k, _)| k == name) {
            Some(field) => field.1 = value.to_owned(),
            None => self.fields.push((name.to_owned(), value.to_owned())),
        }
        self
    }

    /// Posts the form as a browser would when `button` (`actie=<value>`)
    /// is pressed; gives the status code and the whole response.
    /// The form of the page at `path`, which must answer 200.
    pub fn open(server: &Server, path: &str) -> Form {
        let (status, page) = super::server::get(server, path);
        assert_eq!(status, 200, "{page}");
        Form::read(&page)
    }

    pub fn submit(&self, server: &Server, button: &str) -> (u16, String) {
        let mut fields = self.fields.clone();
        fields.push(("actie".into(), button.into()));
        post(
            server,
            &self.action,
            &fields,
            Some(&format!("http://{}", server.address)),
        )
    }
}

/// A form post with `fields`, from `origin` (none when `None`).
pub fn post(
    server: &Server,
    path: &str,
    fields: &[(String, String)],
    origin: Option<&str>,
) -> (u16, String) {
    let body: String = fields
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let origin = origin.map_or(String::new(), |o| format!("Origin: {o}\r\n"));
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {}\r\n{origin}Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        server.address,
        body.len()
    );
    raw(server, &request)
}

fn encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => {
                out.push(byte as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// A file sent as a browser sends a form with a file field.
pub fn upload(server: &Server, page: &str, token: &str, name: &str, bytes: &[u8]) -> (u16, String) {
    let boundary = "----twn-test-grens";
    let mut body = Vec::new();
    body.extend(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"token\"\r\n\r\n{token}\r\n"
        )
        .bytes(),
    );
    body.extend(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"bijlage\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend(format!("\r\n--{boundary}--\r\n").bytes());
    let head = format!(
        "POST /bewerken/_bestand/{page} HTTP/1.1\r\nHost: {0}\r\nOrigin: http://{0}\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {1}\r\nConnection: close\r\n\r\n",
        server.address,
        body.len()
    );
    let mut request = head.into_bytes();
    request.extend(body);
    raw(server, &String::from_utf8_lossy(&request))
}
