//! Did-you-mean suggestions for unknown fields.

/// The Levenshtein distance between `a` and `b` (in characters).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let subst = prev[j] + usize::from(ca != cb);
            cur[j + 1] = subst.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The valid key nearest to `unknown`, if it is near enough to be a likely typo: compared
/// case-insensitively (`livenessprobe` → `livenessProbe`), at most 2 edits, or a third of the
/// key's length for long keys. Ties go to the smaller exact distance, then the first key in
/// alphabetical order.
pub fn did_you_mean<'a>(
    unknown: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = unknown.to_lowercase();
    let limit = 2.max(unknown.chars().count() / 3);
    candidates
        .into_iter()
        .filter(|c| *c != unknown)
        .map(|c| {
            let folded = edit_distance(&lower, &c.to_lowercase());
            (folded, edit_distance(unknown, c), c)
        })
        .filter(|(d, _, _)| *d <= limit)
        .min()
        .map(|(_, _, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("", ""), 0);
        assert_eq!(edit_distance("resource", "resources"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("abc", ""), 3);
        assert_eq!(edit_distance("imagePullPolicyy", "imagePullPolicy"), 1);
    }

    #[test]
    fn suggestions() {
        let keys = [
            "resources",
            "readinessProbe",
            "livenessProbe",
            "image",
            "imagePullPolicy",
            "ports",
        ];
        assert_eq!(did_you_mean("resource", keys), Some("resources"));
        assert_eq!(did_you_mean("livenessprobe", keys), Some("livenessProbe"));
        assert_eq!(
            did_you_mean("imagePullPolicyy", keys),
            Some("imagePullPolicy")
        );
        assert_eq!(did_you_mean("imag", keys), Some("image"));
        assert_eq!(did_you_mean("port", keys), Some("ports"));
        assert_eq!(did_you_mean("completelyDifferent", keys), None);
        assert_eq!(did_you_mean("xyz", keys), None);
    }
}
