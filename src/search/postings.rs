//! Postings: where a stem occurs, and how each is written in the index.
//! A posting is one number per document: the gap to the previous document
//! times 32, plus 16 if the stem is in the title, plus the stem's weight
//! in the text (1–15, BM25 with the usual k1 = 1.2 and b = 0.75).

/// A stem in one document, in 8 bytes: a large site holds one per stem and
/// document until the index is written.
#[derive(Debug, Clone, Copy)]
pub(super) struct Occurrences {
    pub(super) document: u32,
    /// Body words plus heading words, weighted; [`IN_TITLE`] marks a stem
    /// that is also in the title.
    pub(super) count_and_title: u32,
}

pub(super) const IN_TITLE: u32 = 1 << 31;

impl Occurrences {
    pub(super) const NONE: Occurrences = Occurrences {
        document: u32::MAX,
        count_and_title: 0,
    };

    fn count(self) -> u32 {
        self.count_and_title & !IN_TITLE
    }

    fn in_title(self) -> bool {
        self.count_and_title & IN_TITLE != 0
    }
}

/// BM25's usual constants.
const K1: f64 = 1.2;
const B: f64 = 0.75;

/// Each document's length term of BM25, by its length in words.
pub(super) fn length_norms(length_of: &[u32]) -> Vec<f64> {
    let count = length_of.len();
    let average = (length_of.iter().map(|&l| l as f64).sum::<f64>() / count.max(1) as f64).max(1.0);
    length_of
        .iter()
        .map(|&length| K1 * (1.0 - B + B * length as f64 / average))
        .collect()
}

/// The posting of a stem from its occurrences in document order;
/// `norm_of` holds each document's length term of BM25.
pub(super) fn encode_posting(list: &[Occurrences], norm_of: &[f64]) -> String {
    let mut out = String::with_capacity(list.len() * 4 + 2);
    out.push('[');
    let mut previous = 0;
    for (n, o) in list.iter().enumerate() {
        let weight = if o.count() == 0 {
            0
        } else {
            let tf = o.count() as f64;
            let norm = norm_of[o.document as usize];
            let score = tf * (K1 + 1.0) / (tf + norm) / (K1 + 1.0);
            ceiling(score * 15.0).clamp(1, 15)
        };
        let value = (o.document - previous) * 32 + if o.in_title() { 16 } else { 0 } + weight;
        previous = o.document;
        if n > 0 {
            out.push(',');
        }
        push_decimal(&mut out, value);
    }
    out.push(']');
    out
}

/// `x.ceil() as u32` for `x` from 0 to 15, without the library call
/// `ceil` is on processors older than SSE4.1, once per posting.
fn ceiling(x: f64) -> u32 {
    let whole = x as u32;
    if (whole as f64) < x { whole + 1 } else { whole }
}

/// Writes `value` in decimal: tens of millions of numbers on a large
/// site, each far cheaper than through `fmt`.
fn push_decimal(out: &mut String, mut value: u32) {
    let mut digits = [0u8; 10];
    let mut first = digits.len();
    loop {
        first -= 1;
        digits[first] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    digits[first..].iter().for_each(|&d| out.push(d as char));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_as_fmt_writes_them() {
        for value in [0, 1, 9, 10, 99, 100, 12345, 4_294_967_295] {
            let mut out = String::new();
            push_decimal(&mut out, value);
            assert_eq!(out, value.to_string());
        }
    }

    #[test]
    fn ceiling_is_ceil_for_weights() {
        for x in [0.0, 0.2, 1.0, 1.000_000_1, 7.5, 14.999, 15.0] {
            assert_eq!(ceiling(x), x.ceil() as u32, "{x}");
        }
    }
}
