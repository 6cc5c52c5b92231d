//! Plain text from a body's HTML: the words a reader reads, for search
//! and for the diffs of Markdown fields.

/// The words of a page's HTML as a reader reads them, with the spaces as
/// they come ([`collapse_whitespace`] puts one between words): tags left
/// out (a block's start and end part words), an image's `alt` text in,
/// footnote numbers, scripts and styles out, escapes undone.
pub(super) fn html_words(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        push_unescaped(&mut text, &rest[..open]);
        let tag_len = tag_length(&rest[open..]);
        let tag = &rest[open + 1..open + tag_len];
        rest = &rest[open + tag_len..];
        let closing = tag.starts_with('/');
        let name = tag
            .trim_start_matches('/')
            .split(|c: char| !c.is_ascii_alphanumeric())
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        // What lies inside these is no word a reader reads on the page.
        let skipped = !closing
            && (matches!(name.as_str(), "script" | "style")
                || name == "sup" && tag.contains("footnote-reference"));
        if skipped {
            let end = format!("</{name}");
            rest = &rest[find_ignoring_case(rest, &end).unwrap_or(rest.len())..];
            continue;
        }
        if name == "img"
            && let Some(alt) = attribute(tag, "alt")
        {
            text.push(' ');
            push_unescaped(&mut text, alt);
        }
        let block = matches!(
            name.as_str(),
            "p" | "li"
                | "ul"
                | "ol"
                | "dl"
                | "dt"
                | "dd"
                | "h1"
                | "h2"
                | "h3"
                | "h4"
                | "h5"
                | "h6"
                | "blockquote"
                | "pre"
                | "table"
                | "tr"
                | "td"
                | "th"
                | "br"
                | "hr"
                | "div"
                | "figure"
                | "figcaption"
                | "img"
        );
        if block {
            text.push(' ');
        }
    }
    push_unescaped(&mut text, rest);
    text
}

/// The words of `text` one space apart, as `split_whitespace` and `join`
/// would give them, reading bytes: a char is decoded only where it is not
/// ASCII.
pub(super) fn collapse_whitespace(text: &str) -> String {
    let mut words = String::with_capacity(text.len());
    let bytes = text.as_bytes();
    let mut word_start = 0;
    let mut at = 0;
    while at < bytes.len() {
        let (is_space, width) = match bytes[at] {
            // What `char::is_whitespace` takes in ASCII, vertical tab too.
            b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r' => (true, 1),
            byte if byte.is_ascii() => (false, 1),
            _ => {
                let c = text[at..].chars().next().unwrap_or_default();
                (c.is_whitespace(), c.len_utf8())
            }
        };
        if is_space {
            push_word(&mut words, &text[word_start..at]);
            word_start = at + width;
        }
        at += width;
    }
    push_word(&mut words, &text[word_start..]);
    words
}

fn push_word(words: &mut String, word: &str) {
    if word.is_empty() {
        return;
    }
    if !words.is_empty() {
        words.push(' ');
    }
    words.push_str(word);
}

/// Where ASCII `needle` first occurs in `text`, in any case, without
/// copying `text` (a page with many footnotes skips many times).
fn find_ignoring_case(text: &str, needle: &str) -> Option<usize> {
    let (text, needle) = (text.as_bytes(), needle.as_bytes());
    (0..=text.len().checked_sub(needle.len())?)
        .find(|&at| text[at..at + needle.len()].eq_ignore_ascii_case(needle))
}

/// The length of the tag `html` starts with, to its `>`: a `>` inside a
/// quoted attribute value does not end it.
fn tag_length(html: &str) -> usize {
    let mut quote = None;
    for (at, c) in html.char_indices().skip(1) {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, '>') => return at + 1,
            _ => {}
        }
    }
    html.len()
}

/// The value of attribute `name` in a tag's text, as written.
fn attribute<'t>(tag: &'t str, name: &str) -> Option<&'t str> {
    let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let value = &tag[at..];
    Some(&value[..value.find('"')?])
}

/// Undoes the escapes of HTML text: those pulldown-cmark writes, numbered
/// characters, and the named ones Dutch text uses.
fn push_unescaped(text: &mut String, html: &str) {
    const NAMED: [(&str, char); 24] = [
        ("amp", '&'),
        ("lt", '<'),
        ("gt", '>'),
        ("quot", '"'),
        ("apos", '\''),
        ("nbsp", ' '),
        ("eacute", 'é'),
        ("egrave", 'è'),
        ("euml", 'ë'),
        ("iuml", 'ï'),
        ("ouml", 'ö'),
        ("uuml", 'ü'),
        ("auml", 'ä'),
        ("aacute", 'á'),
        ("agrave", 'à'),
        ("ccedil", 'ç'),
        ("oacute", 'ó'),
        ("ocirc", 'ô'),
        ("hellip", '…'),
        ("ndash", '–'),
        ("mdash", '—'),
        ("lsquo", '‘'),
        ("rsquo", '’'),
        ("euro", '€'),
    ];
    let mut rest = html;
    while let Some(amp) = rest.find('&') {
        text.push_str(&rest[..amp]);
        let entity = &rest[amp + 1..];
        let name_end = entity.find(';').filter(|&end| end <= 10);
        let decoded = name_end.and_then(|end| {
            let name = &entity[..end];
            let number = match name.strip_prefix('#') {
                Some(hex) if hex.starts_with(['x', 'X']) => u32::from_str_radix(&hex[1..], 16).ok(),
                Some(decimal) => decimal.parse().ok(),
                None => None,
            };
            number
                .and_then(char::from_u32)
                .or_else(|| NAMED.iter().find(|(n, _)| *n == name).map(|(_, c)| *c))
                .map(|c| (c, end + 1))
        });
        match decoded {
            Some((c, length)) => {
                text.push(c);
                rest = &entity[length..];
            }
            None => {
                text.push('&');
                rest = entity;
            }
        }
    }
    text.push_str(rest);
}
