//! Sprig functions: math (`add add1 sub mul div mod max biggest min maxf minf floor ceil round`,
//! and the decimal-arithmetic `addf add1f subf mulf divf`).

use std::str::FromStr;

use gotmpl::{FuncError, FuncMap, FuncResult, Param, Value};
use rust_decimal::{Decimal, RoundingStrategy};

use crate::cast::{to_float64, to_int64};
use crate::util::{add, add_variadic, arg_int};

use Param::{Any, Float64, Int};

const DIV_ZERO: &str = "runtime error: integer divide by zero";

fn i(v: i64) -> FuncResult {
    Ok(Value::Int64(v))
}

fn f(v: f64) -> FuncResult {
    Ok(Value::Float(v))
}

/// Adds this family's functions to `m`.
pub(crate) fn register(m: &mut FuncMap) {
    add(m, "add1", &[Any], |a| i(to_int64(&a[0]).wrapping_add(1)));
    add_variadic(m, "add", &[], Any, |a| {
        i(a.iter().fold(0i64, |s, x| s.wrapping_add(to_int64(x))))
    });
    add(m, "sub", &[Any, Any], |a| {
        i(to_int64(&a[0]).wrapping_sub(to_int64(&a[1])))
    });
    add(m, "div", &[Any, Any], |a| {
        let d = to_int64(&a[1]);
        if d == 0 {
            return Err(DIV_ZERO.into());
        }
        i(to_int64(&a[0]).wrapping_div(d))
    });
    add(m, "mod", &[Any, Any], |a| {
        let d = to_int64(&a[1]);
        if d == 0 {
            return Err(DIV_ZERO.into());
        }
        i(to_int64(&a[0]).wrapping_rem(d))
    });
    add_variadic(m, "mul", &[Any], Any, |a| {
        i(a[1..]
            .iter()
            .fold(to_int64(&a[0]), |s, x| s.wrapping_mul(to_int64(x))))
    });
    for name in ["max", "biggest"] {
        add_variadic(m, name, &[Any], Any, |a| {
            i(a[1..]
                .iter()
                .fold(to_int64(&a[0]), |s, x| s.max(to_int64(x))))
        });
    }
    add_variadic(m, "min", &[Any], Any, |a| {
        i(a[1..]
            .iter()
            .fold(to_int64(&a[0]), |s, x| s.min(to_int64(x))))
    });
    add_variadic(m, "maxf", &[Any], Any, |a| {
        f(a[1..]
            .iter()
            .fold(to_float64(&a[0]), |s, x| go_max(s, to_float64(x))))
    });
    add_variadic(m, "minf", &[Any], Any, |a| {
        f(a[1..]
            .iter()
            .fold(to_float64(&a[0]), |s, x| go_min(s, to_float64(x))))
    });
    add(m, "floor", &[Any], |a| f(to_float64(&a[0]).floor()));
    add(m, "ceil", &[Any], |a| f(to_float64(&a[0]).ceil()));
    add_variadic(m, "round", &[Any, Int], Float64, |a| {
        let round_on = match a.get(2) {
            Some(Value::Float(x)) => *x,
            _ => 0.5,
        };
        let val = to_float64(&a[0]);
        let pow = 10f64.powf(arg_int(&a, 1) as f64);
        let digit = pow * val;
        let frac = digit - digit.trunc();
        let r = if frac >= round_on {
            digit.ceil()
        } else {
            digit.floor()
        };
        f(r / pow)
    });
    add(m, "add1f", &[Any], |a| {
        decimal_op(&a[0], &[Value::Int(1)], Op::Add)
    });
    add_variadic(m, "addf", &[], Any, |a| {
        decimal_op(&Value::Float(0.0), &a, Op::Add)
    });
    add_variadic(m, "subf", &[Any], Any, |a| {
        decimal_op(&a[0], &a[1..], Op::Sub)
    });
    add_variadic(m, "mulf", &[Any], Any, |a| {
        decimal_op(&a[0], &a[1..], Op::Mul)
    });
    add_variadic(m, "divf", &[Any], Any, |a| {
        decimal_op(&a[0], &a[1..], Op::Div)
    });
}

/// Go's `math.Max`.
fn go_max(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else if a == 0.0 && b == 0.0 {
        if a.is_sign_negative() { b } else { a }
    } else if a > b {
        a
    } else {
        b
    }
}

/// Go's `math.Min`.
fn go_min(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else if a == 0.0 && b == 0.0 {
        if a.is_sign_negative() { a } else { b }
    } else if a < b {
        a
    } else {
        b
    }
}

#[derive(Clone, Copy)]
enum Op {
    Add,
    Sub,
    Mul,
    Div,
}

/// shopspring/decimal's `NewFromFloat`: the shortest decimal that round-trips.
fn to_decimal(x: f64) -> Option<Decimal> {
    if !x.is_finite() {
        return None;
    }
    Decimal::from_str(&format!("{x}"))
        .ok()
        .or_else(|| Decimal::from_scientific(&format!("{x:e}")).ok())
}

/// Sprig's `execDecimalOp`: each operand through `toFloat64` and `decimal.NewFromFloat`, the
/// operation in decimal (division rounded to 16 places), the result back to float64. Operands
/// beyond `rust_decimal`'s range fall back to float arithmetic.
fn decimal_op(first: &Value, rest: &[Value], op: Op) -> FuncResult {
    let x0 = to_float64(first);
    let xs: Vec<f64> = rest.iter().map(to_float64).collect();
    let check = |x: f64| -> Result<(), FuncError> {
        if x.is_finite() {
            Ok(())
        } else {
            Err(format!(
                "Cannot create a Decimal from {}",
                gotmpl::gofmt::format_value(&Value::Float(x))
            )
            .into())
        }
    };
    check(x0)?;
    // Beyond rust_decimal's range: float arithmetic (still failing where Go would).
    let mut fallback: Option<f64> = None;
    let mut acc = to_decimal(x0);
    if acc.is_none() {
        fallback = Some(x0);
    }
    for &x in &xs {
        check(x)?;
        if let Some(v) = fallback.as_mut() {
            if matches!(op, Op::Div) && x == 0.0 {
                return Err("decimal division by 0".into());
            }
            *v = float_op(op, *v, x);
            continue;
        }
        let a = acc.unwrap_or_default();
        let r = to_decimal(x).and_then(|d| match op {
            Op::Add => a.checked_add(d),
            Op::Sub => a.checked_sub(d),
            Op::Mul => a.checked_mul(d),
            Op::Div => {
                if d.is_zero() {
                    return None;
                }
                a.checked_div(d)
                    .map(|q| q.round_dp_with_strategy(16, RoundingStrategy::MidpointAwayFromZero))
            }
        });
        if matches!(op, Op::Div) && x == 0.0 {
            return Err("decimal division by 0".into());
        }
        match r {
            Some(r) => acc = Some(r),
            None => fallback = Some(float_op(op, decimal_to_f64(a), x)),
        }
    }
    if let Some(v) = fallback {
        return f(v);
    }
    f(decimal_to_f64(acc.unwrap_or_default()))
}

fn float_op(op: Op, a: f64, b: f64) -> f64 {
    match op {
        Op::Add => a + b,
        Op::Sub => a - b,
        Op::Mul => a * b,
        Op::Div => a / b,
    }
}

/// shopspring/decimal's `Float64`: the nearest float64.
fn decimal_to_f64(d: Decimal) -> f64 {
    d.normalize().to_string().parse::<f64>().unwrap_or(0.0)
}
