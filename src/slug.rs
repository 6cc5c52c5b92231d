//! Slugs and heading ids: lower-case ASCII with Dutch diacritics folded
//! (`Coöperatie` → `cooperatie`, `Ĳssel` → `ijssel`).

pub fn slugify(text: &str) -> String {
    let ascii = deunicode::deunicode(text).to_lowercase();
    let mut slug = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

/// Slugifies every segment of a `/`-separated path.
pub fn slugify_path(path: &str) -> String {
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(slugify)
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dutch_diacritics_are_folded() {
        assert_eq!(slugify("Coöperatie"), "cooperatie");
        assert_eq!(slugify("Ĳssel"), "ijssel");
        assert_eq!(slugify("ĳssel"), "ijssel");
        assert_eq!(
            slugify("Omgevingswet: bouwsteen Water"),
            "omgevingswet-bouwsteen-water"
        );
        assert_eq!(slugify("  Hof van Twente  "), "hof-van-twente");
        assert_eq!(slugify("Café één"), "cafe-een");
    }
}
