//! Kubernetes' `resource.Quantity` (k8s.io/apimachinery/pkg/api/resource), reimplemented from
//! its documented behaviour: parsing exactly as `ParseQuantity` (including its corner cases:
//! `"."`, `"+"` and `"m"` are zero, `"1E"` is 10^18, `"1e"` has a bad suffix), rounding up to
//! the nano unit, the cap of binary-SI values at 2^63-1, exact comparison, the canonical form
//! (`CanonicalizeBytes`) and Go's `String()` (which keeps the text as written when it is
//! already canonical).
//!
//! The value is kept exactly as decimal digits and a power of ten, so any quantity compares
//! exactly with any other.

use std::cmp::Ordering;
use std::fmt;

/// The three ways `ParseQuantity` fails, with Kubernetes' messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuantityError {
    /// `ErrFormatWrong`.
    Format,
    /// `ErrSuffix`.
    Suffix,
    /// `ErrNumeric`.
    Numeric,
}

impl fmt::Display for QuantityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            QuantityError::Format => {
                "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
            }
            QuantityError::Suffix => "unable to parse quantity's suffix",
            QuantityError::Numeric => "unable to parse numeric part of quantity",
        })
    }
}

impl std::error::Error for QuantityError {}

/// How a quantity was written (and is printed).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// `12e6`.
    DecimalExponent,
    /// `12Mi`.
    BinarySI,
    /// `12M`.
    DecimalSI,
}

/// A parsed Kubernetes quantity.
#[derive(Clone, Debug)]
pub struct Quantity {
    negative: bool,
    /// Decimal digits without leading or trailing zeros; empty for zero.
    digits: Vec<u8>,
    /// The value is `digits × 10^exp`.
    exp: i64,
    format: Format,
    /// The text as written, when Go's `String()` would return it unchanged.
    cached: Option<String>,
}

impl PartialEq for Quantity {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Quantity {}

impl PartialOrd for Quantity {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Quantity {
    /// Exact numeric order (the format does not matter: `1Ki == 1024`).
    fn cmp(&self, other: &Self) -> Ordering {
        let sign = |q: &Quantity| match (q.digits.is_empty(), q.negative) {
            (true, _) => 0,
            (false, true) => -1,
            (false, false) => 1,
        };
        let (a, b) = (sign(self), sign(other));
        if a != b || a == 0 {
            return a.cmp(&b);
        }
        let mag = magnitude_cmp(self, other);
        if a < 0 { mag.reverse() } else { mag }
    }
}

fn magnitude_cmp(a: &Quantity, b: &Quantity) -> Ordering {
    // both non-zero: compare the position of the leading digit, then the digits
    let top = |q: &Quantity| q.digits.len() as i128 + q.exp as i128;
    top(a).cmp(&top(b)).then_with(|| {
        let n = a.digits.len().max(b.digits.len());
        for i in 0..n {
            let x = a.digits.get(i).copied().unwrap_or(0);
            let y = b.digits.get(i).copied().unwrap_or(0);
            if x != y {
                return x.cmp(&y);
            }
        }
        Ordering::Equal
    })
}

const DEC_SUFFIXES: &[(&str, i32)] = &[
    ("n", -9),
    ("u", -6),
    ("m", -3),
    ("", 0),
    ("k", 3),
    ("M", 6),
    ("G", 9),
    ("T", 12),
    ("P", 15),
    ("E", 18),
];

const BIN_SUFFIXES: &[(&str, i32)] = &[
    ("", 0),
    ("Ki", 10),
    ("Mi", 20),
    ("Gi", 30),
    ("Ti", 40),
    ("Pi", 50),
    ("Ei", 60),
];

/// What `parseQuantityString` splits a quantity into.
struct Parts<'a> {
    positive: bool,
    value: &'a str,
    num: &'a str,
    denom: &'a str,
    suffix: &'a str,
}

fn split(s: &str) -> Result<Parts<'_>, QuantityError> {
    let b = s.as_bytes();
    let end = b.len();
    let mut pos = 0;
    let mut positive = true;
    if pos < end {
        match b[0] {
            b'-' => {
                positive = false;
                pos += 1;
            }
            b'+' => pos += 1,
            _ => {}
        }
    }
    let zero = |positive| Parts {
        positive,
        value: "0",
        num: "0",
        denom: "",
        suffix: "",
    };
    // leading zeros
    loop {
        if pos >= end {
            return Ok(zero(positive));
        }
        if b[pos] == b'0' {
            pos += 1;
        } else {
            break;
        }
    }
    let num_start = pos;
    let mut i = pos;
    while i < end && b[i].is_ascii_digit() {
        i += 1;
    }
    if i >= end {
        let num = &s[num_start..end];
        return Ok(Parts {
            positive,
            value: s,
            num: if num.is_empty() { "0" } else { num },
            denom: "",
            suffix: "",
        });
    }
    let num = if i == num_start {
        "0"
    } else {
        &s[num_start..i]
    };
    pos = i;
    let mut denom = "";
    if b[pos] == b'.' {
        pos += 1;
        let mut j = pos;
        while j < end && b[j].is_ascii_digit() {
            j += 1;
        }
        denom = &s[pos..j];
        if j >= end {
            return Ok(Parts {
                positive,
                value: s,
                num,
                denom,
                suffix: "",
            });
        }
        pos = j;
    }
    let value = &s[..pos];
    let suffix_start = pos;
    let mut k = pos;
    while k < end && b"eEinumkKMGTP".contains(&b[k]) {
        k += 1;
    }
    if k >= end {
        return Ok(Parts {
            positive,
            value,
            num,
            denom,
            suffix: &s[suffix_start..],
        });
    }
    pos = k;
    if b[pos] == b'-' || b[pos] == b'+' {
        pos += 1;
    }
    while pos < end && b[pos].is_ascii_digit() {
        pos += 1;
    }
    if pos >= end {
        Ok(Parts {
            positive,
            value,
            num,
            denom,
            suffix: &s[suffix_start..],
        })
    } else {
        Err(QuantityError::Format)
    }
}

/// `(base, exponent, format)` of a suffix, as `suffixHandler.interpret`.
fn interpret(suffix: &str) -> Option<(u32, i32, Format)> {
    if let Some(&(_, e)) = DEC_SUFFIXES.iter().find(|(s, _)| *s == suffix) {
        return Some((10, e, Format::DecimalSI));
    }
    if let Some(&(_, e)) = BIN_SUFFIXES.iter().find(|(s, _)| *s == suffix) {
        return Some((2, e, Format::BinarySI));
    }
    let b = suffix.as_bytes();
    if b.len() > 1 && (b[0] == b'e' || b[0] == b'E') {
        // strconv.ParseInt(s, 10, 64), then int32(...)
        let e: i64 = parse_go_int(&suffix[1..])?;
        return Some((10, e as i32, Format::DecimalExponent));
    }
    None
}

/// Go's `strconv.ParseInt(s, 10, 64)`: optional sign, decimal digits, no overflow.
fn parse_go_int(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    s.parse::<i64>().ok()
}

impl Quantity {
    /// Parses `s` exactly as Kubernetes' `resource.ParseQuantity`.
    pub fn parse(s: &str) -> Result<Quantity, QuantityError> {
        if s.is_empty() {
            return Err(QuantityError::Format);
        }
        if s == "0" {
            return Ok(Quantity {
                negative: false,
                digits: Vec::new(),
                exp: 0,
                format: Format::DecimalSI,
                cached: Some("0".into()),
            });
        }
        let p = split(s)?;
        let (base, exponent, format) = interpret(p.suffix).ok_or(QuantityError::Suffix)?;

        // The fast path of ParseQuantity: decides whether the text is kept as written, and
        // whether the slow path (and its numeric parse) runs at all.
        let (num_len, den_len) = (p.num.len() as i32, p.denom.len() as i32);
        let mut scale: i32 = 0;
        let mut mantissa_bits: i32 = 0;
        let precision: i32 = match format {
            Format::DecimalExponent | Format::DecimalSI => {
                scale = exponent;
                18 - (num_len + den_len)
            }
            Format::BinarySI => {
                if exponent >= 0 && den_len == 0 {
                    mantissa_bits = exponent;
                    15 - num_len - ((exponent as f32) * 3.0 / 10.0) as i32 - 1
                } else {
                    -1
                }
            }
        };
        let mut fast = None;
        if precision >= 0 {
            scale = scale.wrapping_sub(den_len);
            if scale >= -9 {
                let shifted = format!("{}{}", p.num, p.denom);
                if let Ok(value) = shifted.parse::<i64>()
                    && let Some(result) = value.checked_mul(1i64 << mantissa_bits)
                {
                    let keep = match format {
                        Format::BinarySI => exponent % 10 == 0 && value & 0x07 != 0,
                        _ => {
                            scale % 3 == 0 && !shifted.ends_with("000") && !shifted.starts_with('0')
                        }
                    };
                    fast = Some((result, keep));
                }
            }
        }
        if let Some((result, keep)) = fast {
            let mut q = Quantity::from_int(result.unsigned_abs(), scale as i64, format);
            q.negative = !p.positive && result != 0;
            q.cached = keep.then(|| s.to_string());
            return Ok(q);
        }

        // The slow path: an exact decimal.
        if !p.value.bytes().any(|c| c.is_ascii_digit()) {
            return Err(QuantityError::Numeric);
        }
        let mut digits: Vec<u8> = p
            .num
            .bytes()
            .chain(p.denom.bytes())
            .map(|c| c - b'0')
            .collect();
        let mut exp: i64 = -(den_len as i64);
        if base == 10 {
            exp += exponent as i64;
        } else {
            for _ in 0..exponent.max(0) {
                double(&mut digits);
            }
        }
        let mut q = Quantity {
            negative: !p.positive,
            digits,
            exp,
            format,
            cached: None,
        };
        q.normalize();
        q.round_up_to_nano();
        if format == Format::BinarySI {
            let max = Quantity::from_int(i64::MAX as u64, 0, format);
            if magnitude_cmp_abs(&q, &max) == Ordering::Greater {
                q.digits = max.digits;
                q.exp = max.exp;
            }
            let one = Quantity::from_int(1, 0, format);
            if !q.digits.is_empty() && magnitude_cmp_abs(&q, &one) == Ordering::Less {
                q.format = Format::DecimalSI;
            }
        }
        if q.digits.is_empty() {
            q.negative = false;
        }
        Ok(q)
    }

    fn from_int(v: u64, exp: i64, format: Format) -> Quantity {
        let mut q = Quantity {
            negative: false,
            digits: v.to_string().bytes().map(|c| c - b'0').collect(),
            exp,
            format,
            cached: None,
        };
        q.normalize();
        q
    }

    /// Strips leading zeros, moves trailing zeros into the exponent.
    fn normalize(&mut self) {
        let lead = self.digits.iter().take_while(|&&d| d == 0).count();
        self.digits.drain(..lead);
        while self.digits.last() == Some(&0) {
            self.digits.pop();
            self.exp += 1;
        }
        if self.digits.is_empty() {
            self.exp = 0;
        }
    }

    /// Rounds the magnitude up to a multiple of 10^-9 (`inf.RoundUp` at scale 9).
    fn round_up_to_nano(&mut self) {
        if self.digits.is_empty() || self.exp >= -9 {
            return;
        }
        let drop = (-9 - self.exp) as u128;
        if drop >= self.digits.len() as u128 {
            self.digits = vec![1];
        } else {
            let keep = self.digits.len() - drop as usize;
            let dropped_nonzero = self.digits[keep..].iter().any(|&d| d != 0);
            self.digits.truncate(keep);
            if dropped_nonzero {
                increment(&mut self.digits);
            }
        }
        self.exp = -9;
        self.normalize();
    }

    /// The format the quantity was written in (after Kubernetes' adjustments).
    pub fn format(&self) -> Format {
        self.format
    }

    /// Whether the value is zero.
    pub fn is_zero(&self) -> bool {
        self.digits.is_empty()
    }

    /// Whether the value is below zero.
    pub fn is_negative(&self) -> bool {
        self.negative && !self.digits.is_empty()
    }

    /// The canonical form, as Kubernetes' `CanonicalizeBytes` (number and suffix): `1500m`,
    /// `1536Mi`, `1e3`, `0`. Binary-SI values that are not whole or lie strictly between -1024
    /// and 1024 print as decimal SI.
    pub fn canonical(&self) -> String {
        if self.digits.is_empty() {
            return "0".into();
        }
        let sign = if self.negative { "-" } else { "" };
        let mut format = self.format;
        if format == Format::BinarySI {
            let k = Quantity::from_int(1024, 0, Format::DecimalSI);
            if magnitude_cmp_abs(self, &k) == Ordering::Less || self.exp < 0 {
                format = Format::DecimalSI;
            }
        }
        match format {
            Format::BinarySI => {
                // a whole number of at most 2^63-1 (capped at parse time)
                let mut v: u128 = 0;
                for &d in &self.digits {
                    v = v * 10 + d as u128;
                }
                for _ in 0..self.exp {
                    v *= 10;
                }
                let mut times = 0;
                while v.is_multiple_of(1024) && times < 6 {
                    v /= 1024;
                    times += 1;
                }
                let suffix = BIN_SUFFIXES
                    .iter()
                    .find(|(_, e)| *e == times * 10)
                    .map_or("", |(s, _)| s);
                format!("{sign}{v}{suffix}")
            }
            Format::DecimalSI | Format::DecimalExponent => {
                let mut digits: String = self.digits.iter().map(|d| (b'0' + d) as char).collect();
                let mut exp = self.exp;
                while exp.rem_euclid(3) != 0 {
                    digits.push('0');
                    exp -= 1;
                }
                let suffix = if format == Format::DecimalSI {
                    // Kubernetes prints no suffix when none exists for the exponent
                    DEC_SUFFIXES
                        .iter()
                        .find(|(_, e)| *e as i64 == exp)
                        .map_or(String::new(), |(s, _)| s.to_string())
                } else if exp == 0 {
                    String::new()
                } else {
                    format!("e{exp}")
                };
                format!("{sign}{digits}{suffix}")
            }
        }
    }

    /// The value in milli-units, rounded up (`MilliValue`-like), saturating at the i128 range.
    pub fn milli_value(&self) -> i128 {
        self.scaled_value(-3)
    }

    /// The value in whole units, rounded up (`Value`-like), saturating at the i128 range.
    pub fn value(&self) -> i128 {
        self.scaled_value(0)
    }

    /// The value in units of 10^`scale`, rounded away from zero, saturating.
    fn scaled_value(&self, scale: i64) -> i128 {
        if self.digits.is_empty() {
            return 0;
        }
        let shift = self.exp - scale;
        let mut v: i128 = 0;
        let mut inexact = false;
        let keep = if shift >= 0 {
            self.digits.len()
        } else {
            let drop = (-shift) as usize;
            if drop >= self.digits.len() {
                inexact = true;
                0
            } else {
                inexact = self.digits[self.digits.len() - drop..]
                    .iter()
                    .any(|&d| d != 0);
                self.digits.len() - drop
            }
        };
        for &d in &self.digits[..keep] {
            v = v.saturating_mul(10).saturating_add(d as i128);
        }
        for _ in 0..shift.clamp(0, 60) {
            v = v.saturating_mul(10);
        }
        if shift > 60 {
            v = i128::MAX;
        }
        if inexact {
            v = v.saturating_add(1);
        }
        if self.negative { -v } else { v }
    }
}

fn magnitude_cmp_abs(a: &Quantity, b: &Quantity) -> Ordering {
    match (a.digits.is_empty(), b.digits.is_empty()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        (false, false) => magnitude_cmp(a, b),
    }
}

fn double(digits: &mut Vec<u8>) {
    let mut carry = 0;
    for d in digits.iter_mut().rev() {
        let v = *d * 2 + carry;
        *d = v % 10;
        carry = v / 10;
    }
    if carry > 0 {
        digits.insert(0, carry);
    }
}

fn increment(digits: &mut Vec<u8>) {
    for d in digits.iter_mut().rev() {
        if *d == 9 {
            *d = 0;
        } else {
            *d += 1;
            return;
        }
    }
    digits.insert(0, 1);
}

impl fmt::Display for Quantity {
    /// Go's `String()`: the text as written when Kubernetes keeps it, else [`Quantity::canonical`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.cached {
            Some(s) => f.write_str(s),
            None => f.write_str(&self.canonical()),
        }
    }
}

impl std::str::FromStr for Quantity {
    type Err = QuantityError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Quantity::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Quantity {
        Quantity::parse(s).unwrap_or_else(|e| panic!("{s:?}: {e}"))
    }

    #[test]
    fn compares_exactly() {
        assert_eq!(q("1Ki"), q("1024"));
        assert!(q("500m") < q("1"));
        assert!(q("1.5Gi") > q("1Gi"));
        assert!(q("-1") < q("0"));
        assert!(q("-2") < q("-1"));
        assert_eq!(q("1e3"), q("1k"));
        assert!(q("100Mi") < q("1Gi"));
        assert!(q("1e400") > q("8Ei"));
        assert_eq!(q("0.1n"), q("1n"));
    }

    #[test]
    fn values() {
        assert_eq!(q("1.5").milli_value(), 1500);
        assert_eq!(q("1Gi").value(), 1 << 30);
        assert_eq!(q("0.1m").milli_value(), 1);
        assert_eq!(q("-1.5").milli_value(), -1500);
    }
}
