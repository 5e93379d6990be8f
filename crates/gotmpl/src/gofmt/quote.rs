//! Go's `strconv` quoting: `Quote`, `QuoteToASCII`, `QuoteRune`, `QuoteRuneToASCII`,
//! `CanBackquote` and `IsPrint`.
//!
//! The byte-level functions accept invalid UTF-8 (a `[]byte` may hold any bytes): as in Go, every
//! byte that does not start a valid UTF-8 sequence is one rune of its own, quoted as `\xNN`.

use super::unicode::NON_PRINTABLE;

/// Whether Go's `strconv.IsPrint` holds for `c`: letters, marks, numbers, punctuation, symbols
/// and the ASCII space (U+0020); not controls, format characters (U+00AD, U+200B, U+FEFF, ...),
/// other spaces (U+00A0, U+3000, ...), line and paragraph separators, private use or unassigned
/// code points (Unicode 15.0.0, as in Go 1.21 to 1.25).
pub fn is_print(c: char) -> bool {
    let u = c as u32;
    if u <= 0xFF {
        return (0x20..=0x7E).contains(&u) || ((0xA1..=0xFF).contains(&u) && u != 0xAD);
    }
    // Find the last range starting at or before `u`.
    let pairs = NON_PRINTABLE.len() / 2;
    let idx = partition_point(pairs, |i| NON_PRINTABLE[2 * i] <= u);
    if idx == 0 {
        return true;
    }
    u > NON_PRINTABLE[2 * (idx - 1) + 1]
}

fn partition_point(len: usize, pred: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, len);
    while lo < hi {
        let mid = (lo + hi) / 2;
        if pred(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

/// Decodes the rune at the start of `b` as Go's `utf8.DecodeRune` does: `(None, 1)` for a byte
/// that does not start a valid, complete, shortest-form UTF-8 sequence.
pub(super) fn decode_rune(b: &[u8]) -> (Option<char>, usize) {
    let len = match b.first() {
        None => return (None, 0),
        Some(0..=0x7F) => 1,
        Some(0xC2..=0xDF) => 2,
        Some(0xE0..=0xEF) => 3,
        Some(0xF0..=0xF4) => 4,
        Some(_) => return (None, 1),
    };
    if b.len() < len {
        return (None, 1);
    }
    match std::str::from_utf8(&b[..len]) {
        Ok(s) => (s.chars().next(), len),
        Err(_) => (None, 1),
    }
}

/// The byte length of the first `n` runes of `b` (all of `b` if it has fewer).
pub(super) fn rune_prefix_len(b: &[u8], n: usize) -> usize {
    let mut pos = 0;
    for _ in 0..n {
        if pos >= b.len() {
            break;
        }
        pos += decode_rune(&b[pos..]).1;
    }
    pos
}

/// `b` as text, each invalid byte replaced by U+FFFD (one rune each, as Go counts them).
pub(super) fn lossy(b: &[u8]) -> String {
    match std::str::from_utf8(b) {
        Ok(s) => s.to_string(),
        Err(_) => {
            let mut out = String::with_capacity(b.len());
            let mut pos = 0;
            while pos < b.len() {
                let (r, n) = decode_rune(&b[pos..]);
                out.push(r.unwrap_or('\u{FFFD}'));
                pos += n;
            }
            out
        }
    }
}

/// Appends `r` as it appears between `quote` characters in a Go literal.
fn push_quoted_rune(out: &mut String, r: char, quote: char, ascii_only: bool) {
    if r == quote || r == '\\' {
        out.push('\\');
        out.push(r);
        return;
    }
    let keep = if ascii_only {
        r.is_ascii() && is_print(r)
    } else {
        is_print(r)
    };
    if keep {
        out.push(r);
        return;
    }
    let u = r as u32;
    match r {
        '\x07' => out.push_str("\\a"),
        '\x08' => out.push_str("\\b"),
        '\x0c' => out.push_str("\\f"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\x0b' => out.push_str("\\v"),
        _ if u < 0x20 || u == 0x7F => out.push_str(&format!("\\x{u:02x}")),
        _ if u < 0x10000 => out.push_str(&format!("\\u{u:04x}")),
        _ => out.push_str(&format!("\\U{u:08x}")),
    }
}

/// Go's `strconv.Quote`/`QuoteToASCII` over arbitrary bytes.
pub(super) fn quote_bytes(b: &[u8], ascii_only: bool) -> String {
    let mut out = String::with_capacity(b.len() + 2);
    out.push('"');
    let mut pos = 0;
    while pos < b.len() {
        let (r, n) = decode_rune(&b[pos..]);
        match r {
            Some(r) => push_quoted_rune(&mut out, r, '"', ascii_only),
            None => out.push_str(&format!("\\x{:02x}", b[pos])),
        }
        pos += n;
    }
    out.push('"');
    out
}

/// Go's `strconv.CanBackquote` over arbitrary bytes.
pub(super) fn can_backquote_bytes(b: &[u8]) -> bool {
    let mut pos = 0;
    while pos < b.len() {
        let (r, n) = decode_rune(&b[pos..]);
        pos += n;
        match r {
            None => return false,
            Some('\u{FEFF}') => return false,
            // Other multi-byte runes are valid UTF-8 and accepted, printable or not.
            Some(_) if n > 1 => {}
            Some(c) => {
                if (c < ' ' && c != '\t') || c == '`' || c == '\x7F' {
                    return false;
                }
            }
        }
    }
    true
}

/// Go's `strconv.Quote`: `s` in double quotes with `\a \b \f \n \r \t \v \\ \"` escaped, other
/// non-printable runes (see [`is_print`]) as `\xNN` (below U+0020 and U+007F), `\uNNNN` or
/// `\UNNNNNNNN`; printable Unicode is kept as is.
pub fn quote(s: &str) -> String {
    quote_bytes(s.as_bytes(), false)
}

/// Go's `strconv.QuoteToASCII` (`%+q`): like [`quote`], but every non-ASCII rune is escaped too.
pub fn quote_ascii(s: &str) -> String {
    quote_bytes(s.as_bytes(), true)
}

/// Go's `strconv.QuoteRune` (`%q` of an integer): `'a'`, `'\n'`, `'\''`, `'"'`, `'é'`.
pub fn quote_rune(c: char) -> String {
    let mut out = String::from("'");
    push_quoted_rune(&mut out, c, '\'', false);
    out.push('\'');
    out
}

/// Go's `strconv.QuoteRuneToASCII` (`%+q` of an integer): `'\u00e9'`.
pub fn quote_rune_ascii(c: char) -> String {
    let mut out = String::from("'");
    push_quoted_rune(&mut out, c, '\'', true);
    out.push('\'');
    out
}

/// Go's `strconv.CanBackquote` (`%#q` uses backquotes when it holds): no backquote, no control
/// character other than tab, no U+007F and no byte order mark U+FEFF. Other multi-byte runes,
/// printable or not, are accepted.
pub fn can_backquote(s: &str) -> bool {
    can_backquote_bytes(s.as_bytes())
}
