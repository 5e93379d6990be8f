//! The parts of Go's `strconv` the parser needs: unquoting string and character constants, and
//! number literals with every base prefix, underscores and hexadecimal floats.

use crate::ast::NumberNode;
use crate::lex::ItemKind;

const SYNTAX: &str = "invalid syntax";

/// Go's `strconv.Unquote` for `"..."` and `` `...` `` literals (the lexer never hands it
/// anything else). The error is Go's error text.
pub(crate) fn unquote(s: &str) -> Result<String, String> {
    let quote = s.chars().next().ok_or(SYNTAX)?;
    if s.len() < 2 || !s.ends_with(quote) {
        return Err(SYNTAX.into());
    }
    let body = &s[1..s.len() - 1];
    if quote == '`' {
        if body.contains('`') {
            return Err(SYNTAX.into());
        }
        return Ok(body.replace('\r', ""));
    }
    if quote != '"' {
        return Err(SYNTAX.into());
    }
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while !rest.is_empty() {
        let (c, tail) = unquote_char(rest, '"').map_err(|_| SYNTAX.to_string())?;
        match c {
            Unquoted::Char(c) => out.push(c),
            Unquoted::Byte(b) => {
                // A `\xNN` or octal escape above 0x7f: Go makes it a raw byte. Our strings are
                // UTF-8, so keep the byte as the rune of the same value (documented difference).
                out.push(b as char)
            }
        }
        rest = tail;
    }
    Ok(out)
}

/// A decoded character: a rune, or a raw byte from a `\x`/octal escape.
pub(crate) enum Unquoted {
    Char(char),
    Byte(u8),
}

/// Go's `strconv.UnquoteChar`: decodes the first character or escape of `s`.
pub(crate) fn unquote_char(s: &str, quote: char) -> Result<(Unquoted, &str), ()> {
    let mut chars = s.chars();
    let c = chars.next().ok_or(())?;
    if c == quote && (quote == '\'' || quote == '"') {
        return Err(());
    }
    if c != '\\' {
        return Ok((Unquoted::Char(c), chars.as_str()));
    }
    let e = chars.next().ok_or(())?;
    let rest = chars.as_str();
    let simple = |c: char| Ok((Unquoted::Char(c), rest));
    match e {
        'a' => simple('\x07'),
        'b' => simple('\x08'),
        'f' => simple('\x0c'),
        'n' => simple('\n'),
        'r' => simple('\r'),
        't' => simple('\t'),
        'v' => simple('\x0b'),
        '\\' => simple('\\'),
        '\'' | '"' => {
            if e != quote {
                return Err(());
            }
            simple(e)
        }
        'x' | 'u' | 'U' => {
            let n = match e {
                'x' => 2,
                'u' => 4,
                _ => 8,
            };
            if rest.len() < n || !rest.is_char_boundary(n) {
                return Err(());
            }
            let v = u32::from_str_radix(&rest[..n], 16).map_err(|_| ())?;
            if !rest[..n].bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(());
            }
            if e == 'x' {
                return Ok((byte_or_char(v as u8), &rest[n..]));
            }
            let c = char::from_u32(v).ok_or(())?;
            Ok((Unquoted::Char(c), &rest[n..]))
        }
        '0'..='7' => {
            if rest.len() < 2 || !rest.is_char_boundary(2) {
                return Err(());
            }
            let digits = format!("{e}{}", &rest[..2]);
            if !digits.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
                return Err(());
            }
            let v = u32::from_str_radix(&digits, 8).map_err(|_| ())?;
            if v > 255 {
                return Err(());
            }
            Ok((byte_or_char(v as u8), &rest[2..]))
        }
        _ => Err(()),
    }
}

fn byte_or_char(b: u8) -> Unquoted {
    if b < 0x80 {
        Unquoted::Char(b as char)
    } else {
        Unquoted::Byte(b)
    }
}

/// Go's `parse.newNumber`: every interpretation of a number or character literal.
pub(crate) fn new_number(pos: usize, text: &str, kind: ItemKind) -> Result<NumberNode, String> {
    let mut n = NumberNode {
        pos,
        text: text.to_string(),
        is_int: false,
        is_uint: false,
        is_float: false,
        is_complex: false,
        int64: 0,
        uint64: 0,
        float64: 0.0,
        complex: (0.0, 0.0),
    };
    match kind {
        ItemKind::CharConstant => {
            let (c, tail) = unquote_char(&text[1..], '\'').map_err(|_| SYNTAX.to_string())?;
            if tail != "'" {
                return Err(format!("malformed character constant: {text}"));
            }
            let v = match c {
                Unquoted::Char(c) => c as i64,
                Unquoted::Byte(b) => b as i64,
            };
            n.int64 = v;
            n.is_int = true;
            n.uint64 = v as u64;
            n.is_uint = true;
            n.float64 = v as f64;
            n.is_float = true;
            return Ok(n);
        }
        ItemKind::Complex => {
            // `re+imi` / `re-imi`: split at the sign that is not part of an exponent.
            let body = &text[..text.len() - 1];
            let split = body
                .char_indices()
                .skip(1)
                .filter(|&(i, c)| {
                    (c == '+' || c == '-')
                        && !matches!(body.as_bytes()[i - 1], b'e' | b'E' | b'p' | b'P')
                })
                .map(|(i, _)| i)
                .last()
                .ok_or_else(|| SYNTAX.to_string())?;
            let re = parse_float(&body[..split]).ok_or_else(|| SYNTAX.to_string())?;
            let im = parse_float(&body[split..]).ok_or_else(|| SYNTAX.to_string())?;
            n.is_complex = true;
            n.complex = (re, im);
            simplify_complex(&mut n);
            return Ok(n);
        }
        _ => {}
    }
    if text.ends_with('i')
        && let Some(im) = parse_float(&text[..text.len() - 1])
    {
        n.is_complex = true;
        n.complex = (0.0, im);
        simplify_complex(&mut n);
        return Ok(n);
    }
    let u = parse_uint(text);
    if let Some(u) = u {
        n.is_uint = true;
        n.uint64 = u;
    }
    if let Some(i) = parse_int(text) {
        n.is_int = true;
        n.int64 = i;
        if i == 0 {
            n.is_uint = true; // in case of -0
            n.uint64 = u.unwrap_or(0);
        }
    }
    if n.is_int {
        n.is_float = true;
        n.float64 = n.int64 as f64;
    } else if n.is_uint {
        n.is_float = true;
        n.float64 = n.uint64 as f64;
    } else if let Some(f) = parse_float(text) {
        // Parsed as a float but looks like an integer: a huge number too large to fit an int.
        if !text.contains(['.', 'e', 'E', 'p', 'P']) {
            return Err(format!("integer overflow: {}", crate::gofmt::quote(text)));
        }
        n.is_float = true;
        n.float64 = f;
        if !n.is_int
            && (f as i64) as f64 == f
            && f.fract() == 0.0
            && f.abs() < 9.223_372_036_854_776e18
        {
            n.is_int = true;
            n.int64 = f as i64;
        }
        if !n.is_uint
            && f >= 0.0
            && (f as u64) as f64 == f
            && f.fract() == 0.0
            && f < 1.8446744073709552e19
        {
            n.is_uint = true;
            n.uint64 = f as u64;
        }
    }
    if !n.is_int && !n.is_uint && !n.is_float {
        return Err(format!(
            "illegal number syntax: {}",
            crate::gofmt::quote(text)
        ));
    }
    Ok(n)
}

/// Go's `simplifyComplex`: a complex constant with zero imaginary part is also a float, and an
/// integer when exact.
fn simplify_complex(n: &mut NumberNode) {
    if n.complex.1 == 0.0 {
        n.is_float = true;
        n.float64 = n.complex.0;
        if n.float64.fract() == 0.0 && n.float64.abs() < 9.2e18 {
            n.is_int = true;
            n.int64 = n.float64 as i64;
        }
        if n.float64 >= 0.0 && n.float64.fract() == 0.0 && n.float64 < 1.8e19 {
            n.is_uint = true;
            n.uint64 = n.float64 as u64;
        }
    }
}

/// Go's `underscoreOK`: underscores only between digits, or between a base prefix and a digit.
fn underscore_ok(s: &str) -> bool {
    let mut s = s.as_bytes();
    if let Some(b'+' | b'-') = s.first() {
        s = &s[1..];
    }
    let mut saw = b'^';
    let mut i = 0;
    let mut hex = false;
    if s.len() >= 2 && s[0] == b'0' && matches!(s[1] | 0x20, b'b' | b'o' | b'x') {
        i = 2;
        saw = b'0';
        hex = s[1] | 0x20 == b'x';
    }
    while i < s.len() {
        let c = s[i];
        if c.is_ascii_digit() || hex && (c | 0x20).is_ascii_hexdigit() {
            saw = b'0';
        } else if c == b'_' {
            if saw != b'0' {
                return false;
            }
            saw = b'_';
        } else {
            if saw == b'_' {
                return false;
            }
            saw = b'!';
        }
        i += 1;
    }
    saw != b'_'
}

/// `strconv.ParseUint(s, 0, 64)`.
fn parse_uint(s: &str) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    let b = s.as_bytes();
    let (base, digits) = if b[0] == b'0' && s.len() >= 2 {
        match b[1] | 0x20 {
            b'x' => (16, &s[2..]),
            b'b' => (2, &s[2..]),
            b'o' => (8, &s[2..]),
            _ => (8, &s[1..]),
        }
    } else {
        (10, s)
    };
    if s.contains('_') && !underscore_ok(s) {
        return None;
    }
    let digits: String = digits.chars().filter(|&c| c != '_').collect();
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(base)) {
        return None;
    }
    u64::from_str_radix(&digits, base).ok()
}

/// `strconv.ParseInt(s, 0, 64)`.
fn parse_int(s: &str) -> Option<i64> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'+') => (false, &s[1..]),
        Some(b'-') => (true, &s[1..]),
        _ => (false, s),
    };
    let u = parse_uint(body)?;
    if neg {
        if u > i64::MAX as u64 + 1 {
            return None;
        }
        Some((u as i128).wrapping_neg() as i64)
    } else {
        i64::try_from(u).ok()
    }
}

/// `strconv.ParseFloat(s, 64)` for the forms the lexer produces: decimal and hexadecimal
/// floats with optional sign and underscores. Returns `None` on syntax or range errors.
pub(crate) fn parse_float(s: &str) -> Option<f64> {
    if s.contains('_') && !underscore_ok(s) {
        return None;
    }
    let clean: String = s.chars().filter(|&c| c != '_').collect();
    let (neg, body) = match clean.as_bytes().first() {
        Some(b'+') => (false, &clean[1..]),
        Some(b'-') => (true, &clean[1..]),
        _ => (false, &clean[..]),
    };
    let v = if body.len() > 2 && body.as_bytes()[0] == b'0' && body.as_bytes()[1] | 0x20 == b'x' {
        parse_hex_float(&body[2..])?
    } else {
        if body.is_empty()
            || !body
                .bytes()
                .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
            || !body.bytes().any(|b| b.is_ascii_digit())
        {
            return None;
        }
        let v: f64 = body.parse().ok()?;
        if v.is_infinite() {
            return None; // out of range
        }
        v
    };
    Some(if neg { -v } else { v })
}

/// The mantissa and binary exponent of a hexadecimal float (`1p4`, `1.8p1`, `ffp-2`); Go requires
/// the `p` exponent.
fn parse_hex_float(s: &str) -> Option<f64> {
    let (mant, exp) = s.split_once(['p', 'P'])?;
    let exp: i32 = exp.parse().ok()?;
    let (int_part, frac_part) = mant.split_once('.').unwrap_or((mant, ""));
    if int_part.is_empty() && frac_part.is_empty() {
        return None;
    }
    let mut m: u128 = 0;
    let mut shift: i32 = 0;
    for c in int_part.chars().chain(frac_part.chars()) {
        let d = c.to_digit(16)? as u128;
        if m >> 120 != 0 {
            shift += 4; // too many digits: drop precision beyond u128
            continue;
        }
        m = m * 16 + d;
    }
    let e = exp - 4 * frac_part.len() as i32 + shift;
    let v = (m as f64) * 2f64.powi(e);
    if v.is_infinite() { None } else { Some(v) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_in_every_base() {
        assert_eq!(parse_int("0x1F"), Some(31));
        assert_eq!(parse_int("0o17"), Some(15));
        assert_eq!(parse_int("017"), Some(15));
        assert_eq!(parse_int("0b101"), Some(5));
        assert_eq!(parse_int("1_000"), Some(1000));
        assert_eq!(parse_int("-5"), Some(-5));
        assert_eq!(parse_int("+5"), Some(5));
        assert_eq!(parse_int("08"), None);
        assert_eq!(parse_int("1__0"), None);
        assert_eq!(parse_int("_1"), None);
        assert_eq!(parse_int("9223372036854775808"), None);
        assert_eq!(parse_uint("9223372036854775808"), Some(9223372036854775808));
    }

    #[test]
    fn floats() {
        assert_eq!(parse_float("1e3"), Some(1000.0));
        assert_eq!(parse_float("3."), Some(3.0));
        assert_eq!(parse_float(".5"), Some(0.5));
        assert_eq!(parse_float("0x1p4"), Some(16.0));
        assert_eq!(parse_float("0x1.8p1"), Some(3.0));
        assert_eq!(parse_float("1e400"), None);
        assert_eq!(parse_float("08"), Some(8.0));
    }

    #[test]
    fn numbers_get_every_interpretation() {
        let n = new_number(0, "1.0", ItemKind::Number).unwrap();
        assert!(n.is_float && n.is_int && n.int64 == 1);
        let n = new_number(0, "1.5", ItemKind::Number).unwrap();
        assert!(n.is_float && !n.is_int);
        let n = new_number(0, "'a'", ItemKind::CharConstant).unwrap();
        assert!(n.is_int && n.int64 == 97);
        assert_eq!(
            new_number(0, "08", ItemKind::Number).unwrap_err(),
            "integer overflow: \"08\""
        );
        assert!(
            new_number(0, "'ab'", ItemKind::CharConstant)
                .unwrap_err()
                .contains("malformed")
        );
    }

    #[test]
    fn unquotes_strings() {
        assert_eq!(unquote(r#""a\tb\u00e9\x41""#).unwrap(), "a\tbéA");
        assert_eq!(unquote("`a\\n`").unwrap(), "a\\n");
        assert!(unquote(r#""\q""#).is_err());
    }
}
