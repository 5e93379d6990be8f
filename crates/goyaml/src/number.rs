//! Go's float formatting (`strconv.FormatFloat` with `'g'`/`'e'`/`'f'` and precision -1, and
//! `encoding/json`'s float rule), reimplemented on Rust's shortest round-trip digits.

/// The shortest decimal digits of a finite, non-zero `|f|` and the position of the decimal
/// point: `f = 0.DIGITS × 10^dp`.
fn shortest_digits(f: f64) -> (String, i32) {
    let s = format!("{:e}", f.abs());
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    let exp: i32 = exp.parse().unwrap_or(0);
    (digits, exp + 1)
}

fn fmt_e(neg: bool, digits: &str, dp: i32) -> String {
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    out.push_str(&digits[..1]);
    if digits.len() > 1 {
        out.push('.');
        out.push_str(&digits[1..]);
    }
    let exp = dp - 1;
    out.push('e');
    out.push(if exp < 0 { '-' } else { '+' });
    let a = exp.unsigned_abs();
    if a < 10 {
        out.push('0');
    }
    out.push_str(&a.to_string());
    out
}

fn fmt_f(neg: bool, digits: &str, dp: i32) -> String {
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if dp <= 0 {
        out.push_str("0.");
        for _ in 0..(-dp) {
            out.push('0');
        }
        out.push_str(digits);
    } else {
        let dp = dp as usize;
        if digits.len() <= dp {
            out.push_str(digits);
            for _ in digits.len()..dp {
                out.push('0');
            }
        } else {
            out.push_str(&digits[..dp]);
            out.push('.');
            out.push_str(&digits[dp..]);
        }
    }
    out
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 64)` (also what `%v` prints): `1e+06`, `0.1`,
/// `1.2345678e+06`, `3e-05`, `+Inf`, `NaN`, `-0`.
pub fn format_g(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf" } else { "-Inf" }.into();
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0" } else { "0" }.into();
    }
    let (digits, dp) = shortest_digits(f);
    let exp = dp - 1;
    if !(-4..6).contains(&exp) {
        fmt_e(f < 0.0, &digits, dp)
    } else {
        fmt_f(f < 0.0, &digits, dp)
    }
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 32)` of `f` converted to float32 (how
/// sigs.k8s.io/yaml turns a float map key into a string).
pub fn format_g32(f: f64) -> String {
    let g = f as f32;
    if g.is_nan() {
        return "NaN".into();
    }
    if g.is_infinite() {
        return if g > 0.0 { "+Inf" } else { "-Inf" }.into();
    }
    if g == 0.0 {
        return if g.is_sign_negative() { "-0" } else { "0" }.into();
    }
    let s = format!("{:e}", g.abs());
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    let dp = exp.parse::<i32>().unwrap_or(0) + 1;
    if !(-4..6).contains(&(dp - 1)) {
        fmt_e(g < 0.0, &digits, dp)
    } else {
        fmt_f(g < 0.0, &digits, dp)
    }
}

/// How Go's `encoding/json` writes a float64: `'f'` format unless `|f| < 1e-6` or `|f| >= 1e21`,
/// then `'e'` with a negative exponent's leading zero removed (`2.5e-7`, `1e+21`). `None` for
/// NaN and infinities (`json: unsupported value`).
pub fn format_json(f: f64) -> Option<String> {
    if !f.is_finite() {
        return None;
    }
    if f == 0.0 {
        return Some(if f.is_sign_negative() { "-0" } else { "0" }.into());
    }
    let (digits, dp) = shortest_digits(f);
    let abs = f.abs();
    if !(1e-6..1e21).contains(&abs) {
        let mut s = fmt_e(f < 0.0, &digits, dp);
        let n = s.len();
        let b = s.as_bytes();
        if n >= 4 && b[n - 4] == b'e' && b[n - 3] == b'-' && b[n - 2] == b'0' {
            s.remove(n - 2);
        }
        Some(s)
    } else {
        Some(fmt_f(f < 0.0, &digits, dp))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn g_format() {
        assert_eq!(format_g(1e6), "1e+06");
        assert_eq!(format_g(123456.0), "123456");
        assert_eq!(format_g(0.1), "0.1");
        assert_eq!(format_g(0.00003), "3e-05");
        assert_eq!(format_g(0.0001), "0.0001");
        assert_eq!(format_g(1234567.8), "1.2345678e+06");
        assert_eq!(format_g(1e21), "1e+21");
        assert_eq!(format_g(-2.5), "-2.5");
        assert_eq!(format_g(1.2345678901234567e19), "1.2345678901234567e+19");
        assert_eq!(format_g32(0.1), "0.1");
        assert_eq!(format_g32(1.23456789), "1.2345679");
    }

    #[test]
    fn json_format() {
        assert_eq!(format_json(2.5e-7).unwrap(), "2.5e-7");
        assert_eq!(format_json(1e21).unwrap(), "1e+21");
        assert_eq!(format_json(1e20).unwrap(), "100000000000000000000");
        assert_eq!(format_json(0.0000123).unwrap(), "0.0000123");
        assert_eq!(format_json(1.0).unwrap(), "1");
        assert_eq!(format_json(1e-7).unwrap(), "1e-7");
        assert_eq!(format_json(1.5e-10).unwrap(), "1.5e-10");
        assert_eq!(
            format_json(12345678901234567890.0).unwrap(),
            "12345678901234567000"
        );
        assert!(format_json(f64::NAN).is_none());
    }
}
