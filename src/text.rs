//! Escaping text for the HTML and XML twn writes by hand.

/// Text for XML made by hand (sitemap, feed), safe in elements and attributes.
pub fn xml_escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    push_xml_escaped(&mut escaped, text);
    escaped
}

/// `text` escaped for XML or HTML (`&`, `<`, `>` and `"`), added to `out`
/// in one pass.
pub fn push_xml_escaped(out: &mut String, text: &str) {
    let mut done = 0;
    for (at, byte) in text.bytes().enumerate() {
        let escaped = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => continue,
        };
        // The escaped bytes are ASCII, so `at` is a character boundary.
        out.push_str(&text[done..at]);
        out.push_str(escaped);
        done = at + 1;
    }
    out.push_str(&text[done..]);
}
