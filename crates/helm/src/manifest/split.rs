//! Helm's document splitter: the regular expression `(?:^|\s*\n)---\s*` with Go's `Split`,
//! written out by hand.

/// Go's regexp `\s`: ASCII `[\t\n\f\r ]` (no vertical tab).
pub(crate) fn is_go_re_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0c | b'\r' | b' ')
}

/// Go's `strings.TrimSpace`: trims Unicode `White_Space` on both ends, which is exactly what
/// Rust's [`str::trim`] trims (`\t \n \v \f \r` space, U+0085, U+00A0, U+1680, U+2000–U+200A,
/// U+2028, U+2029, U+202F, U+205F, U+3000).
pub(crate) fn go_trim_space(s: &str) -> &str {
    s.trim()
}

/// The byte ranges of the separators that `(?:^|\s*\n)---\s*` finds in `s`, leftmost-first,
/// non-overlapping, searching on from the end of the previous match (so `^` matches only at 0).
fn separator_matches(s: &str) -> Vec<(usize, usize)> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let skip_ws = |mut i: usize| {
        while i < b.len() && is_go_re_space(b[i]) {
            i += 1;
        }
        i
    };
    let mut pos = 0;
    if b.starts_with(b"---") {
        // The `^` alternative, tried first at position 0.
        let end = skip_ws(3);
        out.push((0, end));
        pos = end;
    }
    // Every further match is `\s*\n---\s*`: the `\n` must sit right before `---`; the match
    // starts at the beginning of the ASCII-whitespace run holding that `\n` (but not before the
    // search position, which follows the previous match).
    let mut k = pos;
    while k + 4 <= b.len() {
        if b[k] == b'\n' && &b[k + 1..k + 4] == b"---" {
            let mut start = k;
            while start > pos && is_go_re_space(b[start - 1]) {
                start -= 1;
            }
            let end = skip_ws(k + 4);
            out.push((start, end));
            pos = end;
            k = end;
        } else {
            k += 1;
        }
    }
    out
}

/// Go's `regexp.Split(s, -1)` for Helm's separator.
fn go_split(s: &str) -> Vec<&str> {
    let matches = separator_matches(s);
    let mut pieces = Vec::with_capacity(matches.len() + 1);
    let mut beg = 0;
    let mut end = 0;
    for (m0, m1) in matches {
        end = m0;
        if m1 != 0 {
            pieces.push(&s[beg..end]);
        }
        beg = m1;
    }
    if end != s.len() {
        pieces.push(&s[beg..]);
    }
    pieces
}

/// Splits rendered text into documents exactly like Helm's `releaseutil.SplitManifests`: the
/// separator regex `(?:^|\s*\n)---\s*` is applied to the whitespace-trimmed content, empty pieces
/// are dropped, and every remaining piece is trimmed (Go `TrimSpace`).
///
/// Quirks kept on purpose (they are Helm's): a separator needs a newline right before `---`
/// (an indented `  ---` is text); `--- b: 2` and `---x: 1` are separators and the text after
/// `---` starts the next document; the whitespace after `---` (newlines included) belongs to
/// the separator, so in `---\n---\n` the second `---` stays in the next document; a piece made
/// only of non-ASCII or vertical-tab whitespace is kept and trims to `""`.
pub fn split_documents(content: &str) -> Vec<String> {
    split_document_ranges(content)
        .into_iter()
        .map(|r| content[r].to_string())
        .collect()
}

/// [`split_documents`] as byte ranges of `content`: document `i` is `&content[ranges[i]]`.
/// Lint uses the ranges to map a document's bytes back to the rendered template.
pub fn split_document_ranges(content: &str) -> Vec<std::ops::Range<usize>> {
    let base = content.as_ptr() as usize;
    let trimmed = go_trim_space(content);
    go_split(trimmed)
        .into_iter()
        .filter(|piece| !piece.is_empty())
        .map(|piece| {
            let doc = go_trim_space(piece);
            // Every piece is a subslice of `content`, so the address difference is its offset.
            let start = doc.as_ptr() as usize - base;
            start..start + doc.len()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{go_split, is_go_re_space, split_documents};

    /// A direct backtracking reading of `(?:^|\s*\n)---\s*` with leftmost-first semantics:
    /// the first start position with any match; at a position, alternatives in order, greedy
    /// `\s*` trying the longest run first.
    fn reference_match_at(b: &[u8], i: usize) -> Option<usize> {
        let tail_ws = |mut j: usize| {
            while j < b.len() && is_go_re_space(b[j]) {
                j += 1;
            }
            j
        };
        if i == 0 && b.starts_with(b"---") {
            return Some(tail_ws(3));
        }
        let mut run = i;
        while run < b.len() && is_go_re_space(b[run]) {
            run += 1;
        }
        // `\s*` takes b[i..j], then `\n` at j, then `---`.
        (i..run)
            .rev()
            .find(|&j| b[j] == b'\n' && b[j + 1..].starts_with(b"---"))
            .map(|j| tail_ws(j + 4))
    }

    fn reference_split(s: &str) -> Vec<String> {
        let s = s.trim();
        let b = s.as_bytes();
        let mut matches = Vec::new();
        let mut pos = 0;
        while pos <= b.len() {
            match (pos..=b.len()).find_map(|i| reference_match_at(b, i).map(|e| (i, e))) {
                Some((start, end)) => {
                    matches.push((start, end));
                    pos = end;
                }
                None => break,
            }
        }
        let mut pieces = Vec::new();
        let mut beg = 0;
        let mut end = 0;
        for (m0, m1) in matches {
            end = m0;
            if m1 != 0 {
                pieces.push(&s[beg..end]);
            }
            beg = m1;
        }
        if end != s.len() {
            pieces.push(&s[beg..]);
        }
        pieces
            .into_iter()
            .filter(|p| !p.is_empty())
            .map(|p| p.trim().to_string())
            .collect()
    }

    #[test]
    fn agrees_with_reference_on_random_inputs() {
        const ALPHABET: &[&str] = &[
            "-", "-", "-", "---", "\n", "\n", " ", "\t", "\r", "\u{c}", "\u{b}", "\u{a0}", "a",
            "#", "x: 1",
        ];
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..20_000 {
            let len = (next() % 24) as usize;
            let text: String = (0..len)
                .map(|_| ALPHABET[(next() % ALPHABET.len() as u64) as usize])
                .collect();
            assert_eq!(split_documents(&text), reference_split(&text), "{text:?}");
        }
        assert_eq!(go_split("a"), ["a"]);
    }

    fn split(s: &str) -> Vec<String> {
        split_documents(s)
    }

    #[test]
    fn basic() {
        assert_eq!(split("a: 1\n---\nb: 2\n"), ["a: 1", "b: 2"]);
        assert_eq!(split("---\na: 1"), ["a: 1"]);
        assert_eq!(split("a: 1\n---"), ["a: 1"]);
        assert_eq!(split("   \na: 1"), ["a: 1"]);
        assert_eq!(split(""), Vec::<String>::new());
        assert_eq!(split("  \n "), Vec::<String>::new());
    }

    #[test]
    fn quirks() {
        assert_eq!(split("---\n---\n"), ["---"]);
        assert_eq!(split("a: 1\n---x: 1"), ["a: 1", "x: 1"]);
        assert_eq!(split("a: 1\n--- b: 2"), ["a: 1", "b: 2"]);
        assert_eq!(split("a: |\n  ---\n  x"), ["a: |\n  ---\n  x"]);
        assert_eq!(split("a: 1 ---\nb"), ["a: 1 ---\nb"]);
        assert_eq!(
            split("\n---\n# c\nx: 1\n---   \n---\napiVersion: v1"),
            ["# c\nx: 1", "---\napiVersion: v1"]
        );
        assert_eq!(split("a\n \t\n---\n\n\nb  \n\n"), ["a", "b"]);
        assert_eq!(split("a\n---\n\u{a0}\n---\nb"), ["a", "", "b"]);
        assert_eq!(split("a\n---\n\u{b}\n---\nb"), ["a", "", "b"]);
        assert_eq!(split("a\r\n---\r\nb\r\n"), ["a", "b"]);
        assert_eq!(split("a\n----\nb"), ["a", "-\nb"]);
    }
}
