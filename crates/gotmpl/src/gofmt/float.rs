//! Go's `strconv.FormatFloat` for `float64`: the decimal formats `e E f g G` with Go's exact
//! rounding, Go's binary (`b`) and hexadecimal (`x X`) forms.
//!
//! Decimal digits come from one of two sources:
//!
//! * the shortest digit string that parses back to the same `float64` (precision `-1`), taken from
//!   Rust's own shortest float formatting, which picks the same digits as Go (shortest, and of
//!   those the closest to the exact value);
//! * the exact decimal expansion of the binary value (every `float64` is a finite decimal
//!   fraction), computed with a small big-integer, then rounded to the requested number of digits
//!   with ties (exact halves only) going to the even digit, as Go does.

/// Decimal digits `0.d₁d₂d₃… × 10^dp` of a non-negative finite value. `digits` holds digit values
/// (0–9) without leading or trailing zeros; zero is the empty digit string with `dp == 0`.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Decimal {
    digits: Vec<u8>,
    dp: i32,
}

impl Decimal {
    fn nd(&self) -> i32 {
        self.digits.len() as i32
    }

    /// The digit at position `i` (0-based from the first significant digit), zero outside.
    fn digit(&self, i: i32) -> char {
        if i >= 0 && i < self.nd() {
            char::from(b'0' + self.digits[i as usize])
        } else {
            '0'
        }
    }

    fn trim(&mut self) {
        while self.digits.last() == Some(&0) {
            self.digits.pop();
        }
        if self.digits.is_empty() {
            self.dp = 0;
        }
    }

    /// Keeps `nd` significant digits, rounding the dropped tail half to even.
    fn round(&mut self, nd: i32) {
        if nd < 0 {
            self.digits.clear();
            self.dp = 0;
            return;
        }
        if nd >= self.nd() {
            return;
        }
        let n = nd as usize;
        let next = self.digits[n];
        let up = match next.cmp(&5) {
            std::cmp::Ordering::Greater => true,
            std::cmp::Ordering::Less => false,
            // Exactly 5 followed by nothing (digits carry no trailing zeros) is a tie.
            std::cmp::Ordering::Equal if n + 1 < self.digits.len() => true,
            std::cmp::Ordering::Equal => n > 0 && self.digits[n - 1] % 2 == 1,
        };
        self.digits.truncate(n);
        if up {
            let mut i = n;
            loop {
                if i == 0 {
                    // Every kept digit was 9 (or none was kept): the value becomes 10^dp.
                    self.digits.clear();
                    self.digits.push(1);
                    self.dp += 1;
                    break;
                }
                i -= 1;
                if self.digits[i] < 9 {
                    self.digits[i] += 1;
                    self.digits.truncate(i + 1);
                    break;
                }
            }
        }
        self.trim();
    }
}

/// A big unsigned integer in base 10⁹, least significant limb first.
struct BigDec(Vec<u32>);

const LIMB: u64 = 1_000_000_000;

impl BigDec {
    fn from_u64(mut v: u64) -> BigDec {
        let mut limbs = Vec::new();
        while v > 0 {
            limbs.push((v % LIMB) as u32);
            v /= LIMB;
        }
        BigDec(limbs)
    }

    fn mul_small(&mut self, m: u32) {
        let mut carry = 0u64;
        for limb in &mut self.0 {
            let t = u64::from(*limb) * u64::from(m) + carry;
            *limb = (t % LIMB) as u32;
            carry = t / LIMB;
        }
        while carry > 0 {
            self.0.push((carry % LIMB) as u32);
            carry /= LIMB;
        }
    }

    /// Multiplies by `base^exp`, `chunk` being the largest power of `base` that is applied at once.
    fn mul_pow(&mut self, base: u32, mut exp: u32, chunk_exp: u32) {
        let chunk = base.pow(chunk_exp);
        while exp >= chunk_exp {
            self.mul_small(chunk);
            exp -= chunk_exp;
        }
        if exp > 0 {
            self.mul_small(base.pow(exp));
        }
    }

    fn digits(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.0.len() * 9);
        for (i, limb) in self.0.iter().rev().enumerate() {
            let s = if i == 0 {
                limb.to_string()
            } else {
                format!("{limb:09}")
            };
            out.extend(s.bytes().map(|b| b - b'0'));
        }
        out
    }
}

/// The exact decimal value of `mant × 2^exp2`.
fn exact_decimal(mant: u64, exp2: i32) -> Decimal {
    if mant == 0 {
        return Decimal {
            digits: Vec::new(),
            dp: 0,
        };
    }
    let mut n = BigDec::from_u64(mant);
    let shift = if exp2 >= 0 {
        n.mul_pow(2, exp2 as u32, 29);
        0
    } else {
        // mant / 2^k == mant × 5^k / 10^k.
        let k = exp2.unsigned_abs();
        n.mul_pow(5, k, 13);
        k as i32
    };
    let digits = n.digits();
    let dp = digits.len() as i32 - shift;
    let mut d = Decimal { digits, dp };
    d.trim();
    d
}

/// The shortest decimal digits that read back as `v` (`v` finite and non-negative).
fn shortest_decimal(v: f64) -> Decimal {
    if v == 0.0 {
        return Decimal {
            digits: Vec::new(),
            dp: 0,
        };
    }
    // Rust's `{:e}` without a precision prints the shortest round-tripping digits: `1.2345e6`.
    let s = format!("{v:e}");
    let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: Vec<u8> = mantissa
        .bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| b - b'0')
        .collect();
    let mut d = Decimal {
        digits,
        dp: exp + 1,
    };
    d.trim();
    d
}

/// Go's `strconv.FormatFloat(f, fmt, prec, 64)`.
///
/// `fmt` is one of `e E f g G` (decimal), `b` (`-ddddp±ddd`, binary exponent) or `x X`
/// (`-0x1.hhhhp±dd`, hexadecimal mantissa); `prec` is the number of digits after the point for
/// `e E f x X`, the number of significant digits for `g G`, and `-1` for the fewest digits that
/// read back as `f`. Decimal results are rounded from the exact binary value with exact halves
/// going to the even digit (`format_float(0.125, 'f', 2)` is `0.12`, but
/// `format_float(0.15, 'f', 1)` is `0.1` because 0.15 is slightly below a half).
/// NaN prints as `NaN`, infinities as `+Inf` and `-Inf`; an unknown `fmt` gives `%` and `fmt`,
/// as in Go.
pub fn format_float(f: f64, fmt: char, prec: i32) -> String {
    let bits = f.to_bits();
    let neg = bits >> 63 != 0;
    let exp_field = ((bits >> 52) & 0x7ff) as i32;
    let frac = bits & ((1u64 << 52) - 1);
    if exp_field == 0x7ff {
        return if frac != 0 {
            "NaN".into()
        } else if neg {
            "-Inf".into()
        } else {
            "+Inf".into()
        };
    }
    // f == mant × 2^exp2 exactly.
    let (mant, exp2) = if exp_field == 0 {
        (frac, -1074)
    } else {
        (frac | (1u64 << 52), exp_field - 1075)
    };
    match fmt {
        'b' => {
            let sign = if neg { "-" } else { "" };
            let esign = if exp2 >= 0 { "+" } else { "" };
            format!("{sign}{mant}p{esign}{exp2}")
        }
        'x' | 'X' => format_hex(neg, mant, exp2, prec, fmt == 'X'),
        'e' | 'E' | 'f' | 'g' | 'G' => format_decimal(neg, f.abs(), mant, exp2, fmt, prec),
        _ => format!("%{fmt}"),
    }
}

fn format_decimal(neg: bool, abs: f64, mant: u64, exp2: i32, fmt: char, prec: i32) -> String {
    let shortest = prec < 0;
    let mut prec = prec;
    let d = if shortest {
        let d = shortest_decimal(abs);
        prec = match fmt {
            'e' | 'E' => d.nd() - 1,
            'f' => (d.nd() - d.dp).max(0),
            _ => d.nd(),
        };
        d
    } else {
        let mut d = exact_decimal(mant, exp2);
        match fmt {
            'e' | 'E' => d.round(prec + 1),
            'f' => d.round(d.dp + prec),
            _ => {
                if prec == 0 {
                    prec = 1;
                }
                d.round(prec);
            }
        }
        d
    };
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    match fmt {
        'e' | 'E' => write_exponent_form(&mut out, &d, prec, fmt),
        'f' => write_fixed_form(&mut out, &d, prec),
        _ => {
            // %g: exponent form when the exponent is below -4 or not below the precision (6 when
            // the precision is the shortest one).
            let mut eprec = prec;
            if eprec > d.nd() && d.nd() >= d.dp {
                eprec = d.nd();
            }
            if shortest {
                eprec = 6;
            }
            let exp = d.dp - 1;
            if exp < -4 || exp >= eprec {
                let p = prec.min(d.nd());
                let e = if fmt == 'G' { 'E' } else { 'e' };
                write_exponent_form(&mut out, &d, p - 1, e);
            } else {
                let p = if prec > d.dp { d.nd() } else { prec };
                write_fixed_form(&mut out, &d, (p - d.dp).max(0));
            }
        }
    }
    out
}

/// `d.ddddde±dd`, with `prec` digits after the point.
fn write_exponent_form(out: &mut String, d: &Decimal, prec: i32, e: char) {
    out.push(d.digit(0));
    if prec > 0 {
        out.push('.');
        for i in 1..=prec {
            out.push(d.digit(i));
        }
    }
    out.push(e);
    let exp = if d.digits.is_empty() { 0 } else { d.dp - 1 };
    out.push(if exp < 0 { '-' } else { '+' });
    let exp = exp.unsigned_abs();
    if exp < 10 {
        out.push('0');
    }
    out.push_str(&exp.to_string());
}

/// `ddd.ddd`, with `prec` digits after the point.
fn write_fixed_form(out: &mut String, d: &Decimal, prec: i32) {
    if d.dp > 0 {
        for i in 0..d.dp {
            out.push(d.digit(i));
        }
    } else {
        out.push('0');
    }
    if prec > 0 {
        out.push('.');
        for i in 0..prec {
            out.push(d.digit(d.dp + i));
        }
    }
}

/// `-0x1.hhhhp±dd`: the mantissa normalised to a leading 1 (0 for zero), `prec` hex digits after
/// the point (-1: as many as needed), rounded half to even; the binary exponent has at least two
/// digits.
fn format_hex(neg: bool, mant: u64, exp2: i32, prec: i32, upper: bool) -> String {
    // Place the leading 1 at bit 60: value == m / 2^60 × 2^exp.
    const TOP: u64 = 1 << 60;
    let mut m = mant << 8;
    let mut exp = exp2 + 52;
    if m == 0 {
        exp = 0;
    } else {
        while m & TOP == 0 {
            m <<= 1;
            exp -= 1;
        }
    }
    if (0..15).contains(&prec) {
        let drop = 60 - 4 * prec as u32;
        let rest = m & ((1u64 << drop) - 1);
        let half = 1u64 << (drop - 1);
        m >>= drop;
        if rest > half || (rest == half && m & 1 == 1) {
            m += 1;
        }
        m <<= drop;
        if m & (TOP << 1) != 0 {
            m >>= 1;
            exp += 1;
        }
    }
    let hex: &[u8; 16] = if upper {
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    out.push('0');
    out.push(if upper { 'X' } else { 'x' });
    out.push(if m & TOP != 0 { '1' } else { '0' });
    // Drop the leading digit; the fraction's hex digits then come from the top nibble.
    let mut frac = m << 4;
    if prec < 0 && frac != 0 {
        out.push('.');
        while frac != 0 {
            out.push(char::from(hex[(frac >> 60) as usize & 15]));
            frac <<= 4;
        }
    } else if prec > 0 {
        out.push('.');
        for _ in 0..prec {
            out.push(char::from(hex[(frac >> 60) as usize & 15]));
            frac <<= 4;
        }
    }
    out.push(if upper { 'P' } else { 'p' });
    out.push(if exp < 0 { '-' } else { '+' });
    let exp = exp.unsigned_abs();
    if exp < 10 {
        out.push('0');
    }
    out.push_str(&exp.to_string());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_expansion() {
        // 0.1 is 0.1000000000000000055511151231257827021181583404541015625 exactly.
        let d = exact_decimal(0x1999999999999a, -56);
        let s: String = d.digits.iter().map(|b| char::from(b'0' + b)).collect();
        assert_eq!(s, "1000000000000000055511151231257827021181583404541015625");
        assert_eq!(d.dp, 0);
        let d = exact_decimal(3, 4);
        assert_eq!((d.digits.clone(), d.dp), (vec![4, 8], 2));
    }

    #[test]
    fn rounding_half_even() {
        let mut d = Decimal {
            digits: vec![1, 2, 5],
            dp: 0,
        };
        d.round(2);
        assert_eq!(d.digits, vec![1, 2]);
        let mut d = Decimal {
            digits: vec![1, 3, 5],
            dp: 0,
        };
        d.round(2);
        assert_eq!(d.digits, vec![1, 4]);
        let mut d = Decimal {
            digits: vec![9, 9, 5],
            dp: 1,
        };
        d.round(2);
        assert_eq!((d.digits.clone(), d.dp), (vec![1], 2));
        let mut d = Decimal {
            digits: vec![5],
            dp: 0,
        };
        d.round(0);
        assert!(d.digits.is_empty());
        let mut d = Decimal {
            digits: vec![5, 1],
            dp: 0,
        };
        d.round(0);
        assert_eq!((d.digits.clone(), d.dp), (vec![1], 1));
    }
}
