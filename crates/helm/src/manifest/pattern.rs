//! Go's `path/filepath.Match` on Unix: `*` (any run of non-`/` bytes), `?` (one non-`/`
//! character), `[...]` / `[^...]` classes with `a-z` ranges, `\` escapes. `[!...]` is **not** a
//! negation in Go (the `!` is an ordinary class member). A malformed pattern is an error
//! (Go's `ErrBadPattern`, "syntax error in pattern").

/// Go's `filepath.ErrBadPattern`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BadPattern;

impl std::fmt::Display for BadPattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("syntax error in pattern")
    }
}

impl std::error::Error for BadPattern {}

/// Reports whether `name` matches the shell pattern `pattern`, with Go's `filepath.Match`
/// semantics on Unix (separator `/`). The whole of `name` must match. Like Go, the pattern is
/// checked for syntax errors even when the match has already failed, and a malformed pattern
/// yields `Err(BadPattern)`.
pub fn filepath_match(pattern: &str, name: &str) -> Result<bool, BadPattern> {
    let mut pattern = pattern.as_bytes();
    let mut name = name.as_bytes();
    'pattern: while !pattern.is_empty() {
        let (star, chunk, rest) = scan_chunk(pattern);
        pattern = rest;
        if star && chunk.is_empty() {
            // A trailing `*` matches the rest of the name unless it holds a `/`.
            return Ok(!name.contains(&b'/'));
        }
        let (t, ok) = match_chunk(chunk, name)?;
        if ok && (t.is_empty() || !pattern.is_empty()) {
            name = t;
            continue;
        }
        if star {
            // Try to match after skipping i+1 bytes; a `*` cannot skip a `/`.
            let mut i = 0;
            while i < name.len() && name[i] != b'/' {
                let (t, ok) = match_chunk(chunk, &name[i + 1..])?;
                if ok {
                    if pattern.is_empty() && !t.is_empty() {
                        i += 1;
                        continue;
                    }
                    name = t;
                    continue 'pattern;
                }
                i += 1;
            }
        }
        // Before failing, check that the rest of the pattern is well formed.
        while !pattern.is_empty() {
            let (_, chunk, rest) = scan_chunk(pattern);
            pattern = rest;
            match_chunk(chunk, b"")?;
        }
        return Ok(false);
    }
    Ok(name.is_empty())
}

/// Splits off the leading stars and the following chunk (up to the next `*` outside a class).
fn scan_chunk(mut pattern: &[u8]) -> (bool, &[u8], &[u8]) {
    let mut star = false;
    while let [b'*', rest @ ..] = pattern {
        pattern = rest;
        star = true;
    }
    let mut in_range = false;
    let mut i = 0;
    while i < pattern.len() {
        match pattern[i] {
            b'\\' if i + 1 < pattern.len() => i += 1,
            b'[' => in_range = true,
            b']' => in_range = false,
            b'*' if !in_range => break,
            _ => {}
        }
        i += 1;
    }
    (star, &pattern[..i], &pattern[i..])
}

/// Decodes one UTF-8 character at the start of `s`; invalid bytes decode as U+FFFD of length 1
/// (Go's `utf8.DecodeRune`), and an empty input as U+FFFD of length 0.
fn decode_rune(s: &[u8]) -> (char, usize, bool) {
    if s.is_empty() {
        return (char::REPLACEMENT_CHARACTER, 0, false);
    }
    let len = match s[0] {
        0x00..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf7 => 4,
        _ => 0,
    };
    if len > 0
        && len <= s.len()
        && let Ok(text) = std::str::from_utf8(&s[..len])
        && let Some(c) = text.chars().next()
    {
        return (c, len, true);
    }
    (char::REPLACEMENT_CHARACTER, 1, false)
}

/// Matches `chunk` (no unescaped `*` outside classes) against the start of `s`, returning the
/// rest of `s` and whether it matched. Processing continues after a failure to validate the
/// chunk's syntax.
fn match_chunk<'a>(mut chunk: &[u8], mut s: &'a [u8]) -> Result<(&'a [u8], bool), BadPattern> {
    let mut failed = false;
    while !chunk.is_empty() {
        if !failed && s.is_empty() {
            failed = true;
        }
        match chunk[0] {
            b'[' => {
                let mut r = '\0';
                if !failed {
                    let (c, n, _) = decode_rune(s);
                    r = c;
                    s = &s[n..];
                }
                chunk = &chunk[1..];
                let mut negated = false;
                if chunk.first() == Some(&b'^') {
                    negated = true;
                    chunk = &chunk[1..];
                }
                let mut matched = false;
                let mut nrange = 0;
                loop {
                    if chunk.first() == Some(&b']') && nrange > 0 {
                        chunk = &chunk[1..];
                        break;
                    }
                    let (lo, rest) = get_esc(chunk)?;
                    chunk = rest;
                    let mut hi = lo;
                    if chunk[0] == b'-' {
                        let (h, rest) = get_esc(&chunk[1..])?;
                        hi = h;
                        chunk = rest;
                    }
                    if lo <= r && r <= hi {
                        matched = true;
                    }
                    nrange += 1;
                }
                if matched == negated {
                    failed = true;
                }
            }
            b'?' => {
                if !failed {
                    if s[0] == b'/' {
                        failed = true;
                    }
                    let (_, n, _) = decode_rune(s);
                    s = &s[n..];
                }
                chunk = &chunk[1..];
            }
            c => {
                if c == b'\\' {
                    chunk = &chunk[1..];
                    if chunk.is_empty() {
                        return Err(BadPattern);
                    }
                }
                if !failed {
                    if chunk[0] != s[0] {
                        failed = true;
                    }
                    s = &s[1..];
                }
                chunk = &chunk[1..];
            }
        }
    }
    if failed {
        Ok((&[], false))
    } else {
        Ok((s, true))
    }
}

/// One (possibly escaped) character of a class; the chunk must go on after it.
fn get_esc(mut chunk: &[u8]) -> Result<(char, &[u8]), BadPattern> {
    if chunk.is_empty() || chunk[0] == b'-' || chunk[0] == b']' {
        return Err(BadPattern);
    }
    if chunk[0] == b'\\' {
        chunk = &chunk[1..];
        if chunk.is_empty() {
            return Err(BadPattern);
        }
    }
    let (r, n, valid) = decode_rune(chunk);
    let rest = &chunk[n..];
    if !valid || rest.is_empty() {
        return Err(BadPattern);
    }
    Ok((r, rest))
}

#[cfg(test)]
mod tests {
    use super::{BadPattern, filepath_match as m};

    #[test]
    fn literal_and_wildcards() {
        assert_eq!(m("abc", "abc"), Ok(true));
        assert_eq!(m("*", "abc"), Ok(true));
        assert_eq!(m("*c", "abc"), Ok(true));
        assert_eq!(m("a*", "a"), Ok(true));
        assert_eq!(m("a*", "ab/c"), Ok(false));
        assert_eq!(m("a*/b", "abc/b"), Ok(true));
        assert_eq!(m("a*/b", "a/c/b"), Ok(false));
        assert_eq!(m("a*b*c*d*e*/f", "axbxcxdxe/f"), Ok(true));
        assert_eq!(m("a*b*c*d*e*/f", "axbxcxdxexxx/f"), Ok(true));
        assert_eq!(m("a*b*c*d*e*/f", "axbxcxdxe/xxx/f"), Ok(false));
        assert_eq!(m("a*b?c*x", "abxbbxdbxebxczzx"), Ok(true));
        assert_eq!(m("a*b?c*x", "abxbbxdbxebxczzy"), Ok(false));
        assert_eq!(m("a?b", "a/b"), Ok(false));
        assert_eq!(m("a?b", "a☺b"), Ok(true));
        assert_eq!(m("templates/*.yaml", "templates/tests/t.yaml"), Ok(false));
        assert_eq!(m("*/*/*", "a/b/c"), Ok(true));
    }

    #[test]
    fn classes_and_escapes() {
        assert_eq!(m("ab[c]", "abc"), Ok(true));
        assert_eq!(m("ab[b-d]", "abc"), Ok(true));
        assert_eq!(m("ab[e-g]", "abc"), Ok(false));
        assert_eq!(m("ab[^c]", "abc"), Ok(false));
        assert_eq!(m("ab[^b-d]", "abe"), Ok(true));
        assert_eq!(m("ab[!c]", "ab!"), Ok(true));
        assert_eq!(m("ab[!c]", "abd"), Ok(false));
        assert_eq!(m("a\\*b", "a*b"), Ok(true));
        assert_eq!(m("a\\*b", "ab"), Ok(false));
        assert_eq!(m("[a-ζ]*", "α"), Ok(true));
        assert_eq!(m("*[a-ζ]", "A"), Ok(false));
        assert_eq!(m("[\\-]", "-"), Ok(true));
        assert_eq!(m("[x\\-]", "z"), Ok(false));
        assert_eq!(m("[\\]a]", "]"), Ok(true));
    }

    #[test]
    fn bad_patterns() {
        for p in [
            "[", "[^", "[^bc", "a[", "\\", "a\\", "[]a]", "[-]", "[x-]", "[-x]", "[a-b-c]",
        ] {
            assert_eq!(m(p, "a"), Err(BadPattern), "{p}");
        }
        assert_eq!(m("a[", "x"), Err(BadPattern));
        assert_eq!(m("*x[", "ab"), Err(BadPattern));
        assert_eq!(m("a*", "a["), Ok(true));
    }
}
