//! "Did you mean …": the closest known name to a misspelled one.

/// The candidate closest to `wrong`, if it is close enough to be a likely typo.
pub fn closest<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wrong_lower = wrong.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (edit_distance(&wrong_lower, &c.to_lowercase()), c))
        .filter(|(distance, c)| {
            let longest = wrong.chars().count().max(c.chars().count());
            *distance <= (longest / 3).max(2) && *distance < longest
        })
        .min_by_key(|(distance, c)| (*distance, *c))
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_likely_typos_only() {
        assert_eq!(closest("titel", ["title", "date", "regio"]), Some("title"));
        assert_eq!(closest("almelo", ["almelo-stad", "almelo"]), Some("almelo"));
        assert_eq!(
            closest("enschde", ["enschede", "hengelo"]),
            Some("enschede")
        );
        assert_eq!(closest("xyz", ["title", "regio"]), None);
    }
}
