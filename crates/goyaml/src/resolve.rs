//! go-yaml v2's implicit typing of scalars (YAML 1.1 as go-yaml implements it): booleans
//! `y/yes/on/true...`, nulls, Go's integer syntaxes (`0777`, `0x1F`, `0o17`, `0b101`, `1_000`),
//! YAML-style floats, `.inf`/`.nan`, and the timestamp and base-60 checks the encoder quotes for.

/// A resolved scalar, as go-yaml v2 decodes it into `interface{}`.
#[derive(Clone, Debug, PartialEq)]
pub enum Scalar {
    /// `null`, `~`, empty.
    Null,
    /// A YAML 1.1 boolean.
    Bool(bool),
    /// An integer that fits `int`/`int64`.
    Int(i64),
    /// A positive integer beyond `int64` that fits `uint64`.
    Uint(u64),
    /// A float.
    Float(f64),
    /// Anything else (timestamps too: go-yaml v2 keeps them as strings in `interface{}`).
    Str(String),
}

pub(crate) const STR_TAG: &str = "tag:yaml.org,2002:str";
pub(crate) const BINARY_TAG: &str = "tag:yaml.org,2002:binary";
const BOOL_TAG: &str = "tag:yaml.org,2002:bool";
const NULL_TAG: &str = "tag:yaml.org,2002:null";
const INT_TAG: &str = "tag:yaml.org,2002:int";
const FLOAT_TAG: &str = "tag:yaml.org,2002:float";
const TIMESTAMP_TAG: &str = "tag:yaml.org,2002:timestamp";

fn short_tag(tag: &str) -> String {
    match tag.strip_prefix("tag:yaml.org,2002:") {
        Some(rest) => format!("!!{rest}"),
        None => tag.to_string(),
    }
}

fn map_lookup(s: &str) -> Option<Scalar> {
    Some(match s {
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            Scalar::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            Scalar::Bool(false)
        }
        "" | "~" | "null" | "Null" | "NULL" => Scalar::Null,
        ".nan" | ".NaN" | ".NAN" => Scalar::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => Scalar::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => Scalar::Float(f64::NEG_INFINITY),
        _ => return None,
    })
}

/// Go's `strconv.ParseUint(s, 0, 64)` on text without underscores (no sign allowed).
fn parse_uint_base0(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    let (base, digits) = if b.len() >= 3 && b[0] == b'0' {
        match b[1] | 0x20 {
            b'x' => (16, &s[2..]),
            b'o' => (8, &s[2..]),
            b'b' => (2, &s[2..]),
            _ => (8, &s[1..]),
        }
    } else if b.len() == 2 && b[0] == b'0' {
        (8, &s[1..])
    } else {
        (10, s)
    };
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    u64::from_str_radix(digits, base).ok()
}

/// Go's `strconv.ParseInt(s, 0, 64)` on text without underscores.
fn parse_int_base0(s: &str) -> Option<i64> {
    let (neg, rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let u = parse_uint_base0(rest)?;
    if neg {
        if u <= 1u64 << 63 {
            Some((u as i64).wrapping_neg())
        } else {
            None
        }
    } else {
        i64::try_from(u).ok()
    }
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
fn is_yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if i < b.len() && b[i] == b'.' {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if i < b.len() && b[i] == b'.' {
            i += 1;
            digits(&mut i);
        }
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Go's `strconv.ParseFloat` for text starting with `.` (`.5`, `.5e3`).
fn parse_dot_float(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    if b.len() < 2 || b[0] != b'.' || !b[1].is_ascii_digit() {
        return None;
    }
    if !is_yaml_style_float(s) {
        return None;
    }
    s.parse::<f64>().ok().filter(|f| f.is_finite())
}

fn take_num(b: &[u8], i: &mut usize, max_digits: usize) -> Option<u32> {
    let start = *i;
    while *i < b.len() && *i - start < max_digits && b[*i].is_ascii_digit() {
        *i += 1;
    }
    if *i == start {
        return None;
    }
    std::str::from_utf8(&b[start..*i]).ok()?.parse().ok()
}

fn days_in(month: u32, year: u32) -> u32 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Whether go-yaml v2 would read `s` as a timestamp (Go's `time.Parse` with the layouts
/// `2006-1-2T15:4:5.999999999Z07:00`, the same with `t`, `2006-1-2 15:4:5.999999999`,
/// `2006-1-2`).
pub fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 5 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return false;
    }
    let year: u32 = s[..4].parse().unwrap_or(0);
    let mut i = 5;
    let Some(month) = take_num(b, &mut i, 2) else {
        return false;
    };
    if !(1..=12).contains(&month) || i >= b.len() || b[i] != b'-' {
        return false;
    }
    i += 1;
    let Some(day) = take_num(b, &mut i, 2) else {
        return false;
    };
    if day < 1 || day > days_in(month, year) {
        return false;
    }
    if i == b.len() {
        return true;
    }
    let sep = b[i];
    if sep != b'T' && sep != b't' && sep != b' ' {
        return false;
    }
    i += 1;
    let ok_hms = (|| {
        let h = take_num(b, &mut i, 2)?;
        if h >= 24 || b.get(i) != Some(&b':') {
            return None;
        }
        i += 1;
        let m = take_num(b, &mut i, 2)?;
        if m >= 60 || b.get(i) != Some(&b':') {
            return None;
        }
        i += 1;
        let sec = take_num(b, &mut i, 2)?;
        if sec >= 60 {
            return None;
        }
        if i + 1 < b.len() && (b[i] == b'.' || b[i] == b',') && b[i + 1].is_ascii_digit() {
            i += 1;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
        }
        Some(())
    })();
    if ok_hms.is_none() {
        return false;
    }
    if sep == b' ' {
        return i == b.len();
    }
    let rest = &b[i..];
    if rest == b"Z" {
        return true;
    }
    rest.len() == 6
        && (rest[0] == b'+' || rest[0] == b'-')
        && rest[1].is_ascii_digit()
        && rest[2].is_ascii_digit()
        && rest[3] == b':'
        && rest[4].is_ascii_digit()
        && rest[5].is_ascii_digit()
        && (rest[1] - b'0') * 10 + (rest[2] - b'0') <= 24
        && (rest[4] - b'0') * 10 + (rest[5] - b'0') < 60
}

/// go-yaml's base-60 check (`^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`): such
/// strings are quoted on output although they decode as strings.
pub fn is_base60_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
        i += 1;
    }
    if i >= b.len() || !b[i].is_ascii_digit() {
        return false;
    }
    i += 1;
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while i < b.len() && b[i] == b':' {
        i += 1;
        // [0-5]?[0-9]
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() && i - start < 2 {
            i += 1;
        }
        match i - start {
            1 => {}
            2 if b[start] <= b'5' => {}
            2 => {
                // `[0-5]?` matched nothing: only one digit belongs to the group.
                i = start + 1;
            }
            _ => return false,
        }
        groups += 1;
    }
    if groups == 0 {
        return false;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

/// Resolves a plain (untagged) scalar; `timestamp` is set when go-yaml would see a timestamp
/// (which still decodes as the string).
pub(crate) fn resolve_plain(s: &str) -> (Scalar, bool) {
    let hint = match s.as_bytes().first() {
        None => b'M',
        Some(b'+' | b'-') => b'S',
        Some(b'0'..=b'9') => b'D',
        Some(b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~') => b'M',
        Some(b'.') => b'.',
        _ => 0,
    };
    if hint == 0 {
        return (Scalar::Str(s.to_string()), false);
    }
    if let Some(v) = map_lookup(s) {
        return (v, false);
    }
    match hint {
        b'.' => {
            if let Some(f) = parse_dot_float(s) {
                return (Scalar::Float(f), false);
            }
        }
        b'D' | b'S' => {
            if is_timestamp(s) {
                return (Scalar::Str(s.to_string()), true);
            }
            let plain: String = s.chars().filter(|&c| c != '_').collect();
            if let Some(i) = parse_int_base0(&plain) {
                return (Scalar::Int(i), false);
            }
            if let Some(u) = parse_uint_base0(&plain) {
                return (Scalar::Uint(u), false);
            }
            if is_yaml_style_float(&plain)
                && let Ok(f) = plain.parse::<f64>()
                && f.is_finite()
            {
                return (Scalar::Float(f), false);
            }
        }
        _ => {}
    }
    (Scalar::Str(s.to_string()), false)
}

/// Whether the encoder may write `s` plain: it must read back as a string and not look like a
/// base-60 number.
pub fn plain_is_string(s: &str) -> bool {
    let (v, ts) = resolve_plain(s);
    matches!(v, Scalar::Str(_)) && !ts && !is_base60_float(s)
}

/// Decodes a scalar as go-yaml v2 does into `interface{}`: `tag` is the full tag (if any),
/// `plain_implicit` whether it was an untagged plain scalar.
pub(crate) fn resolve(
    tag: Option<&str>,
    value: &str,
    plain_implicit: bool,
) -> Result<Scalar, String> {
    let tag = match tag {
        None | Some("!") if !plain_implicit => return Ok(Scalar::Str(value.to_string())),
        None => return Ok(resolve_plain(value).0),
        Some(t) => t,
    };
    match tag {
        STR_TAG => return Ok(Scalar::Str(value.to_string())),
        BINARY_TAG => {
            use base64_lite::decode;
            return match decode(value) {
                Some(bytes) => Ok(Scalar::Str(String::from_utf8_lossy(&bytes).into_owned())),
                None => Err("!!binary value contains invalid base64 data".into()),
            };
        }
        BOOL_TAG | NULL_TAG | INT_TAG | FLOAT_TAG | TIMESTAMP_TAG => {}
        _ => return Ok(Scalar::Str(value.to_string())),
    }
    let (v, ts) = resolve_plain(value);
    let rtag = match &v {
        _ if ts => TIMESTAMP_TAG,
        Scalar::Null => NULL_TAG,
        Scalar::Bool(_) => BOOL_TAG,
        Scalar::Int(_) | Scalar::Uint(_) => INT_TAG,
        Scalar::Float(_) => FLOAT_TAG,
        Scalar::Str(_) => STR_TAG,
    };
    if rtag == tag {
        return Ok(v);
    }
    if tag == FLOAT_TAG {
        match v {
            Scalar::Int(i) => return Ok(Scalar::Float(i as f64)),
            Scalar::Uint(_) => {}
            _ => {}
        }
    }
    Err(format!(
        "cannot decode {} `{}` as a {}",
        short_tag(rtag),
        value,
        short_tag(tag)
    ))
}

/// Standard base64 decoding (Go's `base64.StdEncoding`, padding required), enough for `!!binary`.
mod base64_lite {
    fn val(c: u8) -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    }

    pub(super) fn decode(s: &str) -> Option<Vec<u8>> {
        // Go's decoder skips \r and \n.
        let b: Vec<u8> = s.bytes().filter(|&c| c != b'\n' && c != b'\r').collect();
        if !b.len().is_multiple_of(4) {
            return None;
        }
        let mut out = Vec::with_capacity(b.len() / 4 * 3);
        for (ci, chunk) in b.chunks(4).enumerate() {
            let last = ci == b.len() / 4 - 1;
            let pad = chunk.iter().rev().take_while(|&&c| c == b'=').count();
            if pad > 2 || (pad > 0 && !last) {
                return None;
            }
            let mut n = 0u32;
            for &c in &chunk[..4 - pad] {
                n = (n << 6) | val(c)?;
            }
            n <<= 6 * pad as u32;
            let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
            out.extend_from_slice(&bytes[..3 - pad]);
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_resolution() {
        assert_eq!(resolve_plain("0777").0, Scalar::Int(511));
        assert_eq!(resolve_plain("0o17").0, Scalar::Int(15));
        assert_eq!(resolve_plain("0x1F").0, Scalar::Int(31));
        assert_eq!(resolve_plain("0b101").0, Scalar::Int(5));
        assert_eq!(resolve_plain("1_000").0, Scalar::Int(1000));
        assert_eq!(resolve_plain("+12").0, Scalar::Int(12));
        assert_eq!(resolve_plain("08").0, Scalar::Float(8.0));
        assert_eq!(resolve_plain(".5").0, Scalar::Float(0.5));
        assert_eq!(resolve_plain("1.").0, Scalar::Float(1.0));
        assert_eq!(resolve_plain("1e400").0, Scalar::Str("1e400".into()));
        assert_eq!(
            resolve_plain("12345678901234567890").0,
            Scalar::Uint(12345678901234567890)
        );
        assert_eq!(resolve_plain("yes").0, Scalar::Bool(true));
        assert_eq!(resolve_plain("tRue").0, Scalar::Str("tRue".into()));
        assert!(resolve_plain("2001-12-14").1);
        assert!(resolve_plain("2001-12-14t21:59:43.10-05:00").1);
        assert!(!resolve_plain("2001-12-14 21:59:43.10 -5").1);
        assert!(is_base60_float("1:30"));
        assert!(is_base60_float("190:20:30"));
        assert!(!is_base60_float("1:60"));
        assert!(plain_is_string("0x"));
        assert!(!plain_is_string("+0x1"));
    }
}
