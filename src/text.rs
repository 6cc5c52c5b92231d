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

/// What templates print, escaped exactly as Tera's own escaping does it
/// (`&`, `<`, `>`, `"` and `'`), but written a run of plain text at a
/// time: Tera's writes each byte through `dyn Write`, a call per byte of
/// every page.
pub fn write_template_escaped(text: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let bytes = text.as_bytes();
    let mut done = 0;
    for (at, byte) in bytes.iter().enumerate() {
        let escaped: &[u8] = match byte {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&#39;",
            _ => continue,
        };
        out.write_all(&bytes[done..at])?;
        out.write_all(escaped)?;
        done = at + 1;
    }
    out.write_all(&bytes[done..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_text_is_escaped_byte_for_byte_as_tera_escapes_it() {
        let samples = [
            "",
            "plain",
            "Regio's & \"waterschap\" <b>vet</b>",
            "'''&&&<<<>>>\"\"\"",
            "ë€ 漢字 🚰 & <x> 'y'",
            "&amp; al ontsnapt",
            "eind met <",
        ];
        for sample in samples {
            let (mut ours, mut teras) = (Vec::new(), Vec::new());
            write_template_escaped(sample, &mut ours).unwrap();
            tera::escape_html(sample, &mut teras).unwrap();
            assert_eq!(ours, teras, "{sample:?}");
        }
    }
}
