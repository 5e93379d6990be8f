//! Go's builtin template functions: `and or not len index slice print printf println eq ne lt
//! le gt ge html js urlquery call`, with Go's argument rules and error texts.
//!
//! `and` and `or` are registered for their signatures; the executor evaluates them itself so
//! that they short-circuit.

use std::sync::OnceLock;

use crate::exec::CallContext;
use crate::func::{Func, FuncError, FuncMap, FuncResult, Param, Signature};
use crate::gofmt;
use crate::value::{List, Value};

/// The builtin function map (built once).
pub fn builtins() -> &'static FuncMap {
    static MAP: OnceLock<FuncMap> = OnceLock::new();
    MAP.get_or_init(|| {
        use Param::Reflect as R;
        let mut m = FuncMap::new();
        let mut add =
            |name: &str, sig: Signature, f: fn(&mut CallContext<'_>, Vec<Value>) -> FuncResult| {
                m.insert(name, Func::new(sig, f));
            };
        add("and", Signature::variadic(&[R], R), |_, a| {
            Ok(a.into_iter().last().unwrap_or_default())
        });
        add("or", Signature::variadic(&[R], R), |_, a| {
            Ok(a.into_iter().last().unwrap_or_default())
        });
        add("not", Signature::fixed(&[R]), |_, a| {
            Ok(Value::Bool(!a[0].truthy()))
        });
        add("len", Signature::fixed(&[R]), |_, a| length(&a[0]));
        add("index", Signature::variadic(&[R], R), |_, a| {
            index(&a[0], &a[1..])
        });
        add("slice", Signature::variadic(&[R], R), |_, a| {
            slice(&a[0], &a[1..])
        });
        add("print", Signature::variadic(&[], Param::Any), |_, a| {
            Ok(gofmt::sprint(&a).into())
        });
        add("println", Signature::variadic(&[], Param::Any), |_, a| {
            Ok(gofmt::sprintln(&a).into())
        });
        add(
            "printf",
            Signature::variadic(&[Param::String], Param::Any),
            |_, a| {
                let f = a[0].as_str().unwrap_or_default().to_string();
                Ok(gofmt::sprintf(&f, &a[1..]).into())
            },
        );
        add("eq", Signature::variadic(&[R], R), |ctx, a| {
            eq(ctx, &a[0], &a[1..]).map(Value::Bool)
        });
        add("ne", Signature::fixed(&[R, R]), |ctx, a| {
            eq(ctx, &a[0], &a[1..]).map(|b| Value::Bool(!b))
        });
        add("lt", Signature::fixed(&[R, R]), |ctx, a| {
            lt(ctx, &a[0], &a[1]).map(Value::Bool)
        });
        add("le", Signature::fixed(&[R, R]), |ctx, a| {
            le(ctx, &a[0], &a[1]).map(Value::Bool)
        });
        add("gt", Signature::fixed(&[R, R]), |ctx, a| {
            le(ctx, &a[0], &a[1]).map(|b| Value::Bool(!b))
        });
        add("ge", Signature::fixed(&[R, R]), |ctx, a| {
            lt(ctx, &a[0], &a[1]).map(|b| Value::Bool(!b))
        });
        add("html", Signature::variadic(&[], Param::Any), |_, a| {
            Ok(html_escape(&eval_args(&a)).into())
        });
        add("js", Signature::variadic(&[], Param::Any), |_, a| {
            Ok(js_escape(&eval_args(&a)).into())
        });
        add("urlquery", Signature::variadic(&[], Param::Any), |_, a| {
            Ok(query_escape(&eval_args(&a)).into())
        });
        add("call", Signature::variadic(&[R], R), call);
        m
    })
}

/// Go's `indirectInterface`: a nil interface is no value.
fn indirect(v: &Value) -> &Value {
    match v {
        Value::Nil => &Value::Missing,
        v => v,
    }
}

fn length(v: &Value) -> FuncResult {
    let n = match v {
        Value::Nil => return Err("len of nil pointer".into()),
        Value::Missing => return Err("reflect: call of reflect.Value.Type on zero Value".into()),
        Value::String(s) => s.len(),
        Value::Bytes(b) => b.len(),
        Value::List(l) => l.len(),
        Value::Map(m) => m.len(),
        Value::Object(o) => match (o.as_list(), o.as_map()) {
            (Some(l), _) => l.len(),
            (_, Some(m)) => m.len(),
            _ => return Err(format!("len of type {}", o.type_name()).into()),
        },
        v => return Err(format!("len of type {}", v.type_name()).into()),
    };
    Ok(Value::Int(n as i64))
}

/// Go's `indexArg`: an integer index in `0..=cap`.
fn index_arg(index: &Value, cap: usize) -> Result<usize, FuncError> {
    let x: i64 = match indirect(index) {
        Value::Int(i) | Value::Int64(i) => *i,
        Value::Uint8(u) => *u as i64,
        Value::Missing => return Err("cannot index slice/array with nil".into()),
        v => return Err(format!("cannot index slice/array with type {}", v.type_name()).into()),
    };
    if x < 0 || x as u64 > cap as u64 {
        return Err(format!("index out of range: {x}").into());
    }
    Ok(x as usize)
}

fn index(item: &Value, indexes: &[Value]) -> FuncResult {
    let mut item = indirect(item).clone();
    if let Value::Missing = item {
        return Err("index of untyped nil".into());
    }
    for index in indexes {
        let index = indirect(index);
        item = match &item {
            Value::Nil | Value::Missing => return Err("index of nil pointer".into()),
            Value::List(l) => {
                let x = index_arg(index, l.len())?;
                match l.get(x) {
                    Some(v) => v.clone(),
                    None => return Err("reflect: slice index out of range".into()),
                }
            }
            Value::Bytes(b) => {
                let x = index_arg(index, b.len())?;
                match b.get(x) {
                    Some(v) => Value::Uint8(*v),
                    None => return Err("reflect: slice index out of range".into()),
                }
            }
            Value::String(s) => {
                let x = index_arg(index, s.len())?;
                match s.as_bytes().get(x) {
                    Some(v) => Value::Uint8(*v),
                    None => return Err("reflect: string index out of range".into()),
                }
            }
            Value::Map(m) => match index {
                Value::String(k) => m.get(k).unwrap_or(Value::Nil),
                Value::Missing => return Err("value is nil; should be of type string".into()),
                v => {
                    return Err(
                        format!("value has type {}; should be string", v.type_name()).into(),
                    );
                }
            },
            Value::Object(o) if o.as_map().is_some() => {
                let m = o.as_map().expect("checked");
                match index {
                    Value::String(k) => m.get(k).unwrap_or(Value::Nil),
                    Value::Missing => return Err("value is nil; should be of type string".into()),
                    v => {
                        return Err(
                            format!("value has type {}; should be string", v.type_name()).into(),
                        );
                    }
                }
            }
            v => return Err(format!("can't index item of type {}", v.type_name()).into()),
        };
    }
    Ok(item)
}

fn slice(item: &Value, indexes: &[Value]) -> FuncResult {
    let item = indirect(item);
    if let Value::Missing = item {
        return Err("slice of untyped nil".into());
    }
    if indexes.len() > 3 {
        return Err(format!("too many slice indexes: {}", indexes.len()).into());
    }
    let len = match item {
        Value::String(s) => {
            if indexes.len() == 3 {
                return Err("cannot 3-index slice a string".into());
            }
            s.len()
        }
        Value::List(l) => l.len(),
        Value::Bytes(b) => b.len(),
        v => return Err(format!("can't slice item of type {}", v.type_name()).into()),
    };
    let mut idx = [0, len, len];
    for (i, index) in indexes.iter().enumerate() {
        idx[i] = index_arg(index, len)?;
    }
    if idx[0] > idx[1] {
        return Err(format!("invalid slice index: {} > {}", idx[0], idx[1]).into());
    }
    if indexes.len() == 3 && idx[1] > idx[2] {
        return Err(format!("invalid slice index: {} > {}", idx[1], idx[2]).into());
    }
    Ok(match item {
        Value::String(s) => match s.get(idx[0]..idx[1]) {
            Some(sub) => Value::String(sub.into()),
            None => Value::Bytes(s.as_bytes()[idx[0]..idx[1]].into()),
        },
        Value::List(l) => Value::List(List::typed(l.elem(), l[idx[0]..idx[1]].to_vec())),
        Value::Bytes(b) => Value::Bytes(b[idx[0]..idx[1]].into()),
        _ => unreachable!(),
    })
}

#[derive(PartialEq, Eq, Clone, Copy)]
enum Kind {
    Invalid,
    Bool,
    Int,
    Uint,
    Float,
    Complex,
    String,
}

fn basic_kind(v: &Value) -> Kind {
    match v {
        Value::Bool(_) => Kind::Bool,
        Value::Int(_) | Value::Int64(_) => Kind::Int,
        Value::Uint8(_) => Kind::Uint,
        Value::Float(_) => Kind::Float,
        Value::Complex(..) => Kind::Complex,
        Value::String(_) => Kind::String,
        _ => Kind::Invalid,
    }
}

fn int_of(v: &Value) -> i64 {
    match v {
        Value::Int(i) | Value::Int64(i) => *i,
        Value::Uint8(u) => *u as i64,
        _ => 0,
    }
}

fn incompatible(ctx: &CallContext<'_>, a: &Value, b: &Value) -> FuncError {
    if ctx.template_set().options().go_version >= crate::exec::GoVersion::Go1_25 {
        format!(
            "incompatible types for comparison: {} and {}",
            a.type_name(),
            b.type_name()
        )
        .into()
    } else {
        "incompatible types for comparison".into()
    }
}

/// Go's `isNil` in `eq`: no value, a nil interface, a nil slice or a nil map.
fn is_nil(v: &Value) -> bool {
    match v {
        Value::Missing | Value::Nil => true,
        Value::List(l) => l.is_nil(),
        Value::Map(m) => m.is_nil(),
        _ => false,
    }
}

fn comparable(v: &Value) -> bool {
    !matches!(
        v,
        Value::List(_) | Value::Map(_) | Value::Bytes(_) | Value::Func(_)
    )
}

fn eq(ctx: &CallContext<'_>, arg1: &Value, rest: &[Value]) -> Result<bool, FuncError> {
    let arg1 = indirect(arg1);
    if rest.is_empty() {
        return Err("missing argument for comparison".into());
    }
    let k1 = basic_kind(arg1);
    for arg in rest {
        let arg = indirect(arg);
        let k2 = basic_kind(arg);
        let truth = if k1 != k2 {
            match (k1, k2) {
                (Kind::Int, Kind::Uint) | (Kind::Uint, Kind::Int) => int_of(arg1) == int_of(arg),
                _ => {
                    if !is_nil(arg1) && !is_nil(arg) {
                        return Err(incompatible(ctx, arg1, arg));
                    }
                    false
                }
            }
        } else {
            match (arg1, arg) {
                (Value::Bool(a), Value::Bool(b)) => a == b,
                (Value::Float(a), Value::Float(b)) => a == b,
                (Value::Complex(a, b), Value::Complex(c, d)) => a == c && b == d,
                (Value::String(a), Value::String(b)) => a == b,
                _ if k1 == Kind::Int || k1 == Kind::Uint => int_of(arg1) == int_of(arg),
                _ => {
                    if is_nil(arg1) || is_nil(arg) {
                        is_nil(arg1) == is_nil(arg)
                    } else if std::mem::discriminant(arg1) != std::mem::discriminant(arg)
                        && (!comparable(arg1) || !comparable(arg))
                    {
                        return Err(format!(
                            "non-comparable types {}: {}, {}: {}",
                            gofmt::sprintf("%s", std::slice::from_ref(arg1)),
                            arg1.type_name(),
                            arg.type_name(),
                            gofmt::format_value(arg)
                        )
                        .into());
                    } else if !comparable(arg) {
                        return Err(format!(
                            "non-comparable type {}: {}",
                            gofmt::sprintf("%s", std::slice::from_ref(arg)),
                            arg.type_name()
                        )
                        .into());
                    } else {
                        arg1 == arg
                    }
                }
            }
        };
        if truth {
            return Ok(true);
        }
    }
    Ok(false)
}

fn lt(ctx: &CallContext<'_>, a: &Value, b: &Value) -> Result<bool, FuncError> {
    let a = indirect(a);
    let b = indirect(b);
    let k1 = basic_kind(a);
    let k2 = basic_kind(b);
    if k1 == Kind::Invalid || k2 == Kind::Invalid {
        return Err("invalid type for comparison".into());
    }
    if k1 != k2 {
        return match (k1, k2) {
            (Kind::Int, Kind::Uint) | (Kind::Uint, Kind::Int) => Ok(int_of(a) < int_of(b)),
            _ => Err(incompatible(ctx, a, b)),
        };
    }
    Ok(match (a, b) {
        (Value::Bool(_) | Value::Complex(..), _) => {
            return Err("invalid type for comparison".into());
        }
        (Value::Float(x), Value::Float(y)) => x < y,
        (Value::String(x), Value::String(y)) => x < y,
        _ => int_of(a) < int_of(b),
    })
}

fn le(ctx: &CallContext<'_>, a: &Value, b: &Value) -> Result<bool, FuncError> {
    if lt(ctx, a, b)? {
        return Ok(true);
    }
    eq(ctx, a, std::slice::from_ref(b))
}

/// Go's `evalArgs` for the escapers: one string argument is used as is; otherwise the arguments
/// are printed with `fmt.Sprint`, a nil one as `<no value>`.
fn eval_args(args: &[Value]) -> String {
    if let [Value::String(s)] = args {
        return s.to_string();
    }
    let printable: Vec<Value> = args
        .iter()
        .map(|a| match a {
            Value::Nil | Value::Missing => Value::String("<no value>".into()),
            a => a.clone(),
        })
        .collect();
    gofmt::sprint(&printable)
}

/// Go's `HTMLEscapeString`.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\0' => out.push('\u{FFFD}'),
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// Go's `JSEscapeString`.
pub fn js_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\u003C"),
            '>' => out.push_str("\\u003E"),
            '&' => out.push_str("\\u0026"),
            '=' => out.push_str("\\u003D"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u00{:02X}", c as u32)),
            c if (c as u32) < 0x80 => out.push(c),
            c if gofmt::is_print(c) => out.push(c),
            c => out.push_str(&format!("\\u{:04X}", c as u32)),
        }
    }
    out
}

/// Go's `url.QueryEscape`.
pub fn query_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Go's `call`: the executor passes the callee's source text first.
fn call(ctx: &mut CallContext<'_>, args: Vec<Value>) -> FuncResult {
    let name = args[0].as_str().unwrap_or_default().to_string();
    let f = match indirect(&args[1]) {
        Value::Missing => return Err("call of nil".into()),
        Value::Func(f) => f.clone(),
        v => return Err(format!("non-function {name} of type {}", v.type_name()).into()),
    };
    let call_args: Vec<Value> = args[2..].to_vec();
    let sig = f.signature();
    if sig.variadic.is_some() {
        if call_args.len() < sig.params.len() {
            return Err(format!(
                "wrong number of args for {name}: got {} want at least {}",
                call_args.len(),
                sig.params.len()
            )
            .into());
        }
    } else if call_args.len() != sig.params.len() {
        return Err(format!(
            "wrong number of args for {name}: got {} want {}",
            call_args.len(),
            sig.params.len()
        )
        .into());
    }
    f.call(ctx, call_args)
}
