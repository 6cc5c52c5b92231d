//! Words as search sees them: cut from text, folded to lower case without
//! diacritics, and stemmed. `static/search.js` in the theme does exactly the
//! same to a query, so both sides must change together (a browser test
//! compares them word for word).

use snowball_stemmers_rs::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Longer "words" are codes, hashes or URLs: not worth an index entry.
pub const MAX_WORD_CHARS: usize = 40;

fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        c.is_alphanumeric() || is_combining_mark(c)
    }
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

/// The words of `text` with their byte ranges: runs of letters and digits,
/// joined by apostrophes inside them (`regio's`). Hyphens separate words,
/// so `Rijssen-Holten` is `Rijssen` and `Holten`. Every word of every page
/// passes here, so ASCII is read as bytes and only other chars decoded.
pub fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut at = 0;
    std::iter::from_fn(move || {
        let start = loop {
            let (c, width) = char_at(text, at)?;
            if is_word_char(c) {
                break at;
            }
            at += width;
        };
        while let Some((c, width)) = char_at(text, at) {
            let inner_apostrophe = is_apostrophe(c)
                && char_at(text, at + width).is_some_and(|(next, _)| is_word_char(next));
            if !is_word_char(c) && !inner_apostrophe {
                break;
            }
            at += width;
        }
        Some((start, &text[start..at]))
    })
}

/// The char at byte `at` of `text` and its length in bytes.
fn char_at(text: &str, at: usize) -> Option<(char, usize)> {
    let byte = *text.as_bytes().get(at)?;
    if byte.is_ascii() {
        return Some((byte as char, 1));
    }
    let c = text[at..].chars().next()?;
    Some((c, c.len_utf8()))
}

/// Lower case, compatibility-decomposed, without diacritics: `Ideeën` and
/// `ideeen` become the same, and so do `Ĳssel` and `IJssel`.
pub fn fold(word: &str) -> String {
    let bare: String = word.nfkd().filter(|c| !is_combining_mark(*c)).collect();
    // The whole word at once, as JavaScript's `toLowerCase` does it: a
    // capital sigma at a word's end becomes `ς`, not `σ` (`ΟΔΟΣ`, `οδος`).
    bare.to_lowercase().replace('\u{2019}', "'")
}

/// Folds and stems words in the site's language.
pub struct WordStemmer {
    stemmer: Option<Stemmer>,
}

impl WordStemmer {
    /// A stemmer for the site's language; languages without one only fold.
    pub fn new(language: &str) -> WordStemmer {
        WordStemmer {
            stemmer: stemmer_name(language).map(|_| Stemmer::create(Algorithm::Dutch)),
        }
    }

    /// The folded word and its stem, or `None` for a word too long to keep.
    pub fn fold_and_stem(&self, word: &str) -> Option<(String, String)> {
        let folded = fold(word);
        if folded.chars().count() > MAX_WORD_CHARS {
            return None;
        }
        let stem = match &self.stemmer {
            Some(stemmer) => stemmer.stem(&folded).into_owned(),
            None => folded.clone(),
        };
        Some((folded, stem))
    }
}

/// The name the browser side knows the stemmer by, if the language has one.
pub fn stemmer_name(language: &str) -> Option<&'static str> {
    match language.split(['-', '_']).next() {
        Some("nl") => Some("nl"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stems(text: &str) -> Vec<String> {
        let stemmer = WordStemmer::new("nl");
        words(text)
            .filter_map(|(_, w)| stemmer.fold_and_stem(w).map(|(_, s)| s))
            .collect()
    }

    #[test]
    fn words_split_on_hyphens_and_keep_inner_apostrophes() {
        let found: Vec<&str> = words("Rijssen-Holten, regio's en ’t Hof van Twente (2024)!")
            .map(|(_, w)| w)
            .collect();
        assert_eq!(
            found,
            [
                "Rijssen", "Holten", "regio's", "en", "t", "Hof", "van", "Twente", "2024"
            ]
        );
    }

    #[test]
    fn words_of_other_scripts_and_loose_apostrophes() {
        let text = "'t ideeën’ regio'' Ĳssel e\u{301}n 東京 x'y'z '";
        let found: Vec<(usize, &str)> = words(text).collect();
        assert_eq!(
            found,
            [
                (1, "t"),
                (3, "ideeën"),
                (14, "regio"),
                (22, "Ĳssel"),
                (29, "e\u{301}n"),
                (34, "東京"),
                (41, "x'y'z")
            ]
        );
    }

    #[test]
    fn a_final_capital_sigma_folds_as_the_browser_folds_it() {
        assert_eq!(fold("ΟΔΟΣ"), "οδος");
        assert_eq!(fold("ΣΟΦΙΑ"), "σοφια");
    }

    #[test]
    fn diacritics_and_ligatures_fold_away() {
        assert_eq!(fold("Ideeën"), "ideeen");
        assert_eq!(fold("Ĳssel"), "ijssel");
        assert_eq!(fold("coöperatie’s"), "cooperatie's");
    }

    #[test]
    fn dutch_word_forms_share_a_stem() {
        for (a, b) in [
            ("gemeenten", "gemeente"),
            ("werkplaatsen", "werkplaats"),
            ("ideeën", "ideeen"),
            ("waterschappen", "waterschap"),
            ("rioleringen", "riolering"),
        ] {
            assert_eq!(stems(a), stems(b), "{a} and {b}");
        }
    }
}
