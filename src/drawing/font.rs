//! Measuring and wrapping text for boxes drawn at build time, without the
//! font at hand: advance widths of Helvetica (and its metric twins Arial and
//! Liberation Sans, which the chart asks for first), with a margin for
//! wider fallback fonts such as DejaVu Sans.

/// The font stack of the chart; the widths below are this stack's.
pub const FONT_FAMILY: &str = "'Liberation Sans', Arial, Helvetica, sans-serif";

/// Room for a fallback font that is wider than Helvetica.
const FALLBACK_MARGIN: f64 = 1.15;

/// Advance widths in 1/1000 em of the characters from ' ' to '~'.
const REGULAR: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278,
    278, // ' '..'/'
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584,
    556, // '0'..'?'
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722,
    778, // '@'..'O'
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469,
    556, // 'P'..'_'
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556,
    556, // '`'..'o'
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // 'p'..'~'
];

const BOLD: [u16; 95] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278,
    278, // ' '..'/'
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584,
    611, // '0'..'?'
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722,
    778, // '@'..'O'
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584,
    556, // 'P'..'_'
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611,
    611, // '`'..'o'
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, // 'p'..'~'
];

#[derive(Debug, Clone, Copy)]
pub struct Font {
    pub size: f64,
    pub bold: bool,
}

impl Font {
    /// The width `text` takes at most, in pixels.
    pub fn width(self, text: &str) -> f64 {
        let table = if self.bold { &BOLD } else { &REGULAR };
        let per_mille: u32 = text.chars().map(|c| advance(table, c)).sum();
        f64::from(per_mille) / 1000.0 * self.size * FALLBACK_MARGIN
    }

    /// Lines of at most `max_width`, broken between words; a word longer
    /// than a line is cut with a hyphen.
    pub fn wrap(self, text: &str, max_width: f64) -> Vec<String> {
        let mut lines = Vec::new();
        let mut line = String::new();
        for word in text.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_owned()
            } else {
                format!("{line} {word}")
            };
            if self.width(&candidate) <= max_width {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            let mut rest = word.to_owned();
            while self.width(&rest) > max_width {
                let cut = self.longest_prefix(&rest, max_width);
                let tail = rest.split_off(cut);
                lines.push(format!("{rest}-"));
                rest = tail;
            }
            line = rest;
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }

    /// Byte length of the longest prefix that fits with a hyphen (at least
    /// one character, so wrapping always ends).
    fn longest_prefix(self, word: &str, max_width: f64) -> usize {
        let mut fit = word.chars().next().map_or(0, char::len_utf8);
        for (i, c) in word.char_indices().skip(1) {
            if self.width(&format!("{}-", &word[..i + c.len_utf8()])) > max_width {
                break;
            }
            fit = i + c.len_utf8();
        }
        fit
    }
}

fn advance(table: &[u16; 95], c: char) -> u32 {
    let index = |c: char| (c as usize).checked_sub(32).filter(|&i| i < table.len());
    if let Some(i) = index(c) {
        return u32::from(table[i]);
    }
    // An accented letter is as wide as its bare letter; other signs a full em.
    let mut buffer = [0u8; 4];
    let bare = deunicode::deunicode(c.encode_utf8(&mut buffer));
    match bare.chars().next().and_then(index) {
        Some(i) if bare.chars().count() == 1 => u32::from(table[i]),
        _ => 1000,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_wrap_between_words_and_long_words_are_cut() {
        let font = Font {
            size: 14.0,
            bold: true,
        };
        let lines = font.wrap("Ambtelijke adviesgroep van de regio", 120.0);
        assert!(lines.len() >= 2, "{lines:?}");
        assert!(lines.iter().all(|l| font.width(l) <= 120.0), "{lines:?}");
        let cut = font.wrap("Afvalwaterketensamenwerkingsverband", 100.0);
        assert!(cut.len() >= 2 && cut[0].ends_with('-'), "{cut:?}");
        assert!(cut.iter().all(|l| font.width(l) <= 100.0), "{cut:?}");
        assert_eq!(font.wrap("", 100.0), Vec::<String>::new());
    }

    #[test]
    fn accented_letters_measure_as_their_bare_letter() {
        let font = Font {
            size: 10.0,
            bold: false,
        };
        assert_eq!(font.width("é"), font.width("e"));
    }
}
