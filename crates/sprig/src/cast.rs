//! Go-style conversions as Sprig uses them: Sprig's `strval`/`strslice` and spf13/cast's
//! `ToInt64`, `ToInt`, `ToFloat64`, `ToBool` (every failure is a zero value, never an error),
//! plus helpers that see a value as a Go slice the way `reflect` does.
//!
//! Behaviours follow the Go libraries (verified against Helm); the code is our own.

use gotmpl::{ElemType, List, Map, Value, gofmt};

/// Sprig's `strval` (the `toString` function): a string as is, `[]byte` as text, anything else
/// as `fmt`'s `%v` prints it (nil is `<nil>`).
pub fn to_string(v: &Value) -> String {
    match v {
        Value::String(s) => s.to_string(),
        Value::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
        v => gofmt::format_value(v),
    }
}

/// Sprig's `strslice` (the `toStrings` function): a `[]string` as is; the elements of any other
/// slice stringified with [`to_string`], nils dropped; nil is an empty list; anything else a
/// one-element list.
pub fn to_strings(v: &Value) -> Vec<String> {
    if let Value::List(l) = v
        && l.elem() == ElemType::String
    {
        return l.iter().map(to_string).collect();
    }
    match as_slice(v) {
        Some(items) => items
            .iter()
            .filter(|x| !x.is_nil())
            .map(to_string)
            .collect(),
        None if v.is_nil() => Vec::new(),
        None => vec![to_string(v)],
    }
}

/// A `[]string` value.
pub fn string_list(items: Vec<String>) -> Value {
    Value::List(List::typed(
        ElemType::String,
        items.into_iter().map(Value::from).collect(),
    ))
}

/// The elements of `v` if its reflect kind is slice or array (lists, `[]byte`, host slice
/// types), each as Go's `Index(i).Interface()` gives it.
pub fn as_slice(v: &Value) -> Option<Vec<Value>> {
    match v {
        Value::List(l) => Some(l.to_vec()),
        Value::Bytes(b) => Some(b.iter().map(|x| Value::Uint8(*x)).collect()),
        Value::Object(o) => o.as_list().map(|l| l.to_vec()),
        _ => None,
    }
}

/// The entries of `v` if its reflect kind is map.
pub fn as_map(v: &Value) -> Option<Map> {
    match v {
        Value::Map(m) => Some(m.clone()),
        Value::Object(o) => o.as_map(),
        _ => None,
    }
}

/// Go's `reflect.TypeOf(v).Kind().String()`, as Sprig's "Cannot ... on type %s" errors print it.
pub fn kind(v: &Value) -> &'static str {
    v.kind_name()
}

/// spf13/cast's `trimZeroDecimal`: `"12.000"` → `"12"`; anything else unchanged.
fn trim_zero_decimal(s: &str) -> &str {
    let b = s.as_bytes();
    let mut found_zero = false;
    for i in (0..b.len()).rev() {
        match b[i] {
            b'.' => {
                if found_zero {
                    return &s[..i];
                }
            }
            b'0' => found_zero = true,
            _ => return s,
        }
    }
    s
}

/// Go's `strconv.ParseInt(s, 0, 64)`: optional sign, base prefix `0x`/`0o`/`0b`/`0` (octal),
/// underscores between digits when a prefix is present; `None` on any syntax or range error.
pub fn parse_int_base0(s: &str) -> Option<i64> {
    let (neg, body) = match s.as_bytes().first()? {
        b'+' => (false, &s[1..]),
        b'-' => (true, &s[1..]),
        _ => (false, s),
    };
    let mag = parse_uint_base0(body)?;
    if neg {
        if mag > (i64::MAX as u64) + 1 {
            None
        } else {
            Some((mag as i64).wrapping_neg())
        }
    } else if mag > i64::MAX as u64 {
        None
    } else {
        Some(mag as i64)
    }
}

/// Go's `strconv.ParseUint(s, 0, 64)`.
fn parse_uint_base0(s: &str) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    let b = s.as_bytes();
    let (base, digits) = if b[0] == b'0' && b.len() > 1 {
        match b[1].to_ascii_lowercase() {
            b'x' => (16, &s[2..]),
            b'o' => (8, &s[2..]),
            b'b' => (2, &s[2..]),
            _ => (8, &s[1..]),
        }
    } else {
        (10, s)
    };
    if !underscore_ok(s) {
        return None;
    }
    let mut n: u64 = 0;
    let mut any = false;
    for c in digits.bytes() {
        if c == b'_' {
            continue;
        }
        let d = (c as char).to_digit(base)?;
        n = n.checked_mul(u64::from(base))?.checked_add(u64::from(d))?;
        any = true;
    }
    // "0x" alone is an error; "0" followed by nothing was handled above (len > 1).
    if !any && base != 8 {
        return None;
    }
    if !any && digits.is_empty() {
        return None;
    }
    Some(n)
}

/// Go's `underscoreOK`: underscores only between digits (a base prefix counts as a digit).
fn underscore_ok(s: &str) -> bool {
    let b = s.strip_prefix(['+', '-']).unwrap_or(s).as_bytes();
    let mut saw = b'^';
    let mut i = 0;
    let mut hex = false;
    if b.len() >= 2 && b[0] == b'0' && matches!(b[1].to_ascii_lowercase(), b'b' | b'o' | b'x') {
        i = 2;
        saw = b'0';
        hex = b[1].eq_ignore_ascii_case(&b'x');
    }
    while i < b.len() {
        let c = b[i];
        i += 1;
        if c.is_ascii_digit() || hex && c.is_ascii_hexdigit() {
            saw = b'0';
            continue;
        }
        if c == b'_' {
            if saw != b'0' {
                return false;
            }
            saw = b'_';
            continue;
        }
        if saw == b'_' {
            return false;
        }
        saw = b'!';
    }
    saw != b'_'
}

/// Go's `strconv.ParseFloat(s, 64)` for the forms people write (decimal with optional
/// exponent, `inf`/`infinity`/`nan`, hexadecimal mantissa with `p` exponent); `None` on a
/// syntax error or when the value is out of range.
pub fn parse_float(s: &str) -> Option<f64> {
    if s.is_empty() {
        return None;
    }
    let lower = s.to_ascii_lowercase();
    let unsigned = lower.trim_start_matches(['+', '-']);
    if lower.len() - unsigned.len() > 1 {
        return None;
    }
    let neg = lower.starts_with('-');
    match unsigned {
        "inf" | "infinity" => {
            return Some(if neg {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            });
        }
        "nan" => {
            return if unsigned.len() == lower.len() {
                Some(f64::NAN)
            } else {
                None
            };
        }
        _ => {}
    }
    if let Some(hex) = unsigned.strip_prefix("0x") {
        return parse_hex_float(hex).map(|f| if neg { -f } else { f });
    }
    let cleaned: String;
    let s = if s.contains('_') {
        if !underscore_ok(s) {
            return None;
        }
        cleaned = s.replace('_', "");
        cleaned.as_str()
    } else {
        s
    };
    let unsigned = unsigned.replace('_', "");
    if !unsigned
        .bytes()
        .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'+' | b'-'))
    {
        return None;
    }
    let f: f64 = s.parse().ok()?;
    if f.is_infinite() { None } else { Some(f) }
}

fn parse_hex_float(s: &str) -> Option<f64> {
    let s: String = s.chars().filter(|c| *c != '_').collect();
    // A hexadecimal mantissa needs a `p` exponent.
    let i = s.find('p')?;
    let (mant, exp) = (&s[..i], s[i + 1..].parse::<i32>().ok()?);
    let (int_part, frac_part) = mant.split_once('.').unwrap_or((mant, ""));
    if int_part.is_empty() && frac_part.is_empty() {
        return None;
    }
    let mut v = 0f64;
    for c in int_part.chars() {
        v = v * 16.0 + f64::from(c.to_digit(16)?);
    }
    let mut scale = 1.0 / 16.0;
    for c in frac_part.chars() {
        v += f64::from(c.to_digit(16)?) * scale;
        scale /= 16.0;
    }
    let f = v * 2f64.powi(exp);
    if f.is_infinite() { None } else { Some(f) }
}

/// Go's conversion `int64(f)` as amd64 performs it: truncation toward zero; NaN and values out
/// of range give `i64::MIN`.
pub fn float_to_i64(f: f64) -> i64 {
    if f.is_nan() || !(-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&f) {
        i64::MIN
    } else {
        f.trunc() as i64
    }
}

/// spf13/cast's `ToInt64`: integers as is, floats truncated, strings parsed as Go integer
/// literals (`"0x1A"`, `"010"`; a trailing `.000` is ignored), `true` is 1, nil and everything
/// else (unparsable strings included) 0.
pub fn to_int64(v: &Value) -> i64 {
    match v {
        Value::Int(i) | Value::Int64(i) => *i,
        Value::Uint8(u) => i64::from(*u),
        Value::Float(f) => float_to_i64(*f),
        Value::Bool(b) => i64::from(*b),
        Value::String(s) => parse_int_base0(trim_zero_decimal(s)).unwrap_or(0),
        _ => 0,
    }
}

/// spf13/cast's `ToInt` (the same as [`to_int64`] on 64-bit platforms).
pub fn to_int(v: &Value) -> i64 {
    to_int64(v)
}

/// spf13/cast's `ToFloat64`: numbers converted, strings parsed with Go's `ParseFloat`, `true`
/// is 1, nil and everything else (unparsable strings included) 0.
pub fn to_float64(v: &Value) -> f64 {
    match v {
        Value::Int(i) | Value::Int64(i) => *i as f64,
        Value::Uint8(u) => f64::from(*u),
        Value::Float(f) => *f,
        Value::Bool(true) => 1.0,
        Value::Bool(false) => 0.0,
        Value::String(s) => parse_float(s).unwrap_or(0.0),
        _ => 0.0,
    }
}

/// spf13/cast's `ToBool`: bools as is, numbers are true unless zero, strings parsed with Go's
/// `ParseBool` (`1 t T TRUE true True`, `0 f F FALSE false False`), everything else false.
pub fn to_bool(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::Int(i) | Value::Int64(i) => *i != 0,
        Value::Uint8(u) => *u != 0,
        Value::Float(f) => *f != 0.0,
        Value::String(s) => matches!(&**s, "1" | "t" | "T" | "TRUE" | "true" | "True"),
        _ => false,
    }
}

/// Go's `strconv.Atoi` as Sprig uses it (the error ignored): optional sign and decimal digits;
/// out-of-range values clamp to the nearest `int`; `None` on a syntax error.
pub fn atoi(s: &str) -> Option<i64> {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    if body.is_empty() || !body.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some(s.parse::<i64>().unwrap_or(if s.starts_with('-') {
        i64::MIN
    } else {
        i64::MAX
    }))
}

/// Sprig's notion of "empty" (`empty`, `default`, `coalesce`, `compact`, `all`, `any`): nil, a
/// zero number, `false`, and an empty string, slice or map; a struct never is.
pub fn is_empty(v: &Value) -> bool {
    match v {
        Value::Missing | Value::Nil => true,
        Value::Bool(b) => !*b,
        Value::Int(i) | Value::Int64(i) => *i == 0,
        Value::Uint8(u) => *u == 0,
        Value::Float(f) => *f == 0.0,
        Value::String(s) => s.is_empty(),
        Value::Bytes(b) => b.is_empty(),
        Value::List(l) => l.is_empty(),
        Value::Map(m) => m.is_empty(),
        Value::Object(o) => {
            if o.is_nil() {
                return true;
            }
            match (o.as_list(), o.as_map()) {
                (Some(l), _) => l.is_empty(),
                (_, Some(m)) => m.is_empty(),
                _ => false,
            }
        }
        Value::Complex(re, im) => *re == 0.0 && *im == 0.0,
        Value::Func(_) => false,
    }
}

/// Go's `reflect.DeepEqual` over template values: same Go types and deeply equal contents (a
/// nil interface equals only nil; `int` 1 and `float64` 1 differ; maps and lists by content).
pub fn deep_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Missing | Value::Nil, Value::Missing | Value::Nil) => true,
        (Value::Float(x), Value::Float(y)) => x == y,
        (Value::List(x), Value::List(y)) => {
            x.elem() == y.elem()
                && x.len() == y.len()
                && x.iter().zip(y.iter()).all(|(p, q)| deep_equal(p, q))
        }
        (Value::Map(x), Value::Map(y)) => {
            if x.type_name() != y.type_name() {
                return false;
            }
            if x.ptr_eq(y) {
                return true;
            }
            let (xr, yr) = (x.entries(), y.entries());
            xr.len() == yr.len()
                && xr
                    .iter()
                    .zip(yr.iter())
                    .all(|((k1, v1), (k2, v2))| k1 == k2 && deep_equal(v1, v2))
        }
        (Value::Object(x), Value::Object(y)) => {
            std::sync::Arc::ptr_eq(x, y)
                || (x.type_name() == y.type_name() && x.format(true) == y.format(true))
        }
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ints() {
        let s = |x: &str| to_int64(&Value::from(x));
        assert_eq!(s("42"), 42);
        assert_eq!(s("4.7"), 0);
        assert_eq!(s("4.0"), 4);
        assert_eq!(s("0x1A"), 26);
        assert_eq!(s("010"), 8);
        assert_eq!(s("0"), 0);
        assert_eq!(s("-0b11"), -3);
        assert_eq!(s("1_000"), 1000);
        assert_eq!(s("1__0"), 0);
        assert_eq!(s("_1"), 0);
        assert_eq!(s("0x_1f"), 31);
        assert_eq!(s(" 5"), 0);
        assert_eq!(s("1e3"), 0);
        assert_eq!(s("9223372036854775808"), 0);
        assert_eq!(s("-9223372036854775808"), i64::MIN);
        assert_eq!(to_int64(&Value::Float(-3.99)), -3);
        assert_eq!(to_int64(&Value::Float(1e300)), i64::MIN);
    }

    #[test]
    fn floats() {
        let s = |x: &str| to_float64(&Value::from(x));
        assert_eq!(s("1.5"), 1.5);
        assert_eq!(s("1e3"), 1000.0);
        assert_eq!(s("x"), 0.0);
        assert_eq!(s("1e400"), 0.0);
        assert_eq!(s("0x1p-2"), 0.25);
        assert_eq!(s("-Inf"), f64::NEG_INFINITY);
    }

    #[test]
    fn strings() {
        assert_eq!(to_string(&Value::Nil), "<nil>");
        assert_eq!(to_string(&Value::Float(1e6)), "1e+06");
        assert_eq!(
            to_strings(&Value::list(vec![1i64.into(), Value::Nil, "a".into()])),
            vec!["1", "a"]
        );
    }
}
