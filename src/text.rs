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
    let _ = escape_runs::<std::convert::Infallible>(text, xml_escape_of, |part| {
        out.push_str(part);
        Ok(())
    });
}

/// What templates print, escaped exactly as Tera's own escaping does it
/// (`&`, `<`, `>`, `"` and `'`), but written a run of plain text at a
/// time: Tera's writes each byte through `dyn Write`, a call per byte of
/// every page.
pub fn write_template_escaped(text: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    escape_runs(
        text,
        |byte| match byte {
            b'\'' => Some("&#39;"),
            other => xml_escape_of(other),
        },
        |part| out.write_all(part.as_bytes()),
    )
}

/// The escape of `byte` in XML and HTML text and attributes, if it needs one.
fn xml_escape_of(byte: u8) -> Option<&'static str> {
    match byte {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        b'"' => Some("&quot;"),
        _ => None,
    }
}

/// Hands `text` to `write` in order: the runs of plain text whole, and in
/// place of each byte that `escape` names, its escape. Only ASCII bytes
/// are escaped, so every run ends on a character boundary.
fn escape_runs<E>(
    text: &str,
    escape: impl Fn(u8) -> Option<&'static str>,
    mut write: impl FnMut(&str) -> Result<(), E>,
) -> Result<(), E> {
    let mut done = 0;
    for (at, byte) in text.bytes().enumerate() {
        let Some(escaped) = escape(byte) else {
            continue;
        };
        write(&text[done..at])?;
        write(escaped)?;
        done = at + 1;
    }
    write(&text[done..])
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
