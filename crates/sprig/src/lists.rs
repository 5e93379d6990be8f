//! Sprig functions: lists (`list append prepend first rest last initial reverse uniq without has
//! compact slice concat chunk` and their `must*` twins, `until untilStep seq`).

use gotmpl::{ElemType, FuncError, FuncMap, FuncResult, List, Param, Value};

use crate::cast;
use crate::util::{add, add_variadic, arg_int};

use Param::{Any, Int};

/// What `reflect.TypeOf(nil).Kind()` does in Go: a nil-pointer panic.
pub(crate) const NIL_DEREF: &str =
    "runtime error: invalid memory address or nil pointer dereference";

/// The elements of a slice argument, or Sprig's error (`Cannot find first on type string`)
/// built by `msg` from the kind name; nil is Go's nil-pointer panic.
fn elems(v: &Value, msg: impl Fn(&str) -> String) -> Result<Vec<Value>, FuncError> {
    if v.is_nil() {
        return Err(NIL_DEREF.into());
    }
    cast::as_slice(v).ok_or_else(|| msg(cast::kind(v)).into())
}

fn list(items: Vec<Value>) -> Value {
    Value::List(List::new(items))
}

/// Registers `name` and `mustName` with the same body (the plain form's panic and the must
/// form's error read the same in a template).
fn both(m: &mut FuncMap, name: &str, params: &[Param], f: fn(Vec<Value>) -> FuncResult) {
    add(m, name, params, f);
    let must = format!("must{}{}", name[..1].to_uppercase(), &name[1..]);
    add(m, &must, params, f);
}

/// Adds this family's functions to `m`.
pub(crate) fn register(m: &mut FuncMap) {
    for name in ["list", "tuple"] {
        add_variadic(m, name, &[], Any, |a| Ok(list(a)));
    }
    for name in ["append", "push"] {
        both(m, name, &[Any, Any], |a| {
            let mut l = elems(&a[0], |k| format!("Cannot push on type {k}"))?;
            l.push(a[1].clone());
            Ok(list(l))
        });
    }
    both(m, "prepend", &[Any, Any], |a| {
        let mut l = elems(&a[0], |k| format!("Cannot prepend on type {k}"))?;
        l.insert(0, a[1].clone());
        Ok(list(l))
    });
    both(m, "first", &[Any], |a| {
        let l = elems(&a[0], |k| format!("Cannot find first on type {k}"))?;
        Ok(l.into_iter().next().unwrap_or(Value::Nil))
    });
    both(m, "last", &[Any], |a| {
        let l = elems(&a[0], |k| format!("Cannot find last on type {k}"))?;
        Ok(l.into_iter().last().unwrap_or(Value::Nil))
    });
    both(m, "rest", &[Any], |a| {
        let l = elems(&a[0], |k| format!("Cannot find rest on type {k}"))?;
        Ok(list(l.into_iter().skip(1).collect()))
    });
    both(m, "initial", &[Any], |a| {
        let mut l = elems(&a[0], |k| format!("Cannot find initial on type {k}"))?;
        l.pop();
        Ok(list(l))
    });
    both(m, "reverse", &[Any], |a| {
        let mut l = elems(&a[0], |k| format!("Cannot find reverse on type {k}"))?;
        l.reverse();
        Ok(list(l))
    });
    both(m, "compact", &[Any], |a| {
        let l = elems(&a[0], |k| format!("Cannot compact on type {k}"))?;
        Ok(list(l.into_iter().filter(|v| !cast::is_empty(v)).collect()))
    });
    both(m, "uniq", &[Any], |a| {
        let l = elems(&a[0], |k| format!("Cannot find uniq on type {k}"))?;
        let mut out: Vec<Value> = Vec::new();
        for v in l {
            if !out.iter().any(|x| cast::deep_equal(x, &v)) {
                out.push(v);
            }
        }
        Ok(list(out))
    });
    add_variadic(m, "without", &[Any], Any, without);
    add_variadic(m, "mustWithout", &[Any], Any, without);
    both(m, "has", &[Any, Any], |a| {
        if a[1].is_nil() {
            return Ok(false.into());
        }
        let l = elems(&a[1], |k| format!("Cannot find has on type {k}"))?;
        Ok(l.iter().any(|x| cast::deep_equal(x, &a[0])).into())
    });
    add_variadic(m, "slice", &[Any], Any, slice);
    add_variadic(m, "mustSlice", &[Any], Any, slice);
    add_variadic(m, "concat", &[], Any, |a| {
        let mut out = Vec::new();
        for l in &a {
            out.extend(elems(l, |k| format!("Cannot concat type {k} as list"))?);
        }
        Ok(list(out))
    });
    both(m, "chunk", &[Int, Any], |a| {
        let size = arg_int(&a, 0);
        let l = elems(&a[1], |k| format!("Cannot chunk type {k}"))?;
        chunk(size, l)
    });
    add(m, "until", &[Int], |a| {
        let n = arg_int(&a, 0);
        until_step(0, n, if n < 0 { -1 } else { 1 }).map(int_list)
    });
    add(m, "untilStep", &[Int, Int, Int], |a| {
        until_step(arg_int(&a, 0), arg_int(&a, 1), arg_int(&a, 2)).map(int_list)
    });
    add_variadic(m, "seq", &[], Int, |a| {
        let p: Vec<i64> = (0..a.len()).map(|i| arg_int(&a, i)).collect();
        let nums = match p.len() {
            1 => {
                let (start, end) = (1, p[0]);
                let inc = if end < start { -1 } else { 1 };
                until_step(start, end + inc, inc)?
            }
            2 => {
                let (start, end) = (p[0], p[1]);
                let step = if end < start { -1 } else { 1 };
                until_step(start, end + step, step)?
            }
            3 => {
                let (start, step, end) = (p[0], p[1], p[2]);
                let mut inc = 1;
                if end < start {
                    inc = -1;
                    if step > 0 {
                        return Ok("".into());
                    }
                }
                until_step(start, end + inc, step)?
            }
            _ => Vec::new(),
        };
        let s: Vec<String> = nums.iter().map(i64::to_string).collect();
        Ok(s.join(" ").into())
    });
}

fn without(a: Vec<Value>) -> FuncResult {
    let l = elems(&a[0], |k| format!("Cannot find without on type {k}"))?;
    Ok(list(
        l.into_iter()
            .filter(|v| !a[1..].iter().any(|o| cast::deep_equal(o, v)))
            .collect(),
    ))
}

/// Sprig's `slice LIST [START [END]]`: the same slice type, indices cast with `toInt`.
fn slice(a: Vec<Value>) -> FuncResult {
    let v = &a[0];
    if v.is_nil() {
        return Err(NIL_DEREF.into());
    }
    let n = match v {
        Value::List(l) => l.len(),
        Value::Bytes(b) => b.len(),
        _ => match cast::as_slice(v) {
            Some(l) => l.len(),
            None => {
                return Err(format!(
                    "list should be type of slice or array but {}",
                    cast::kind(v)
                )
                .into());
            }
        },
    } as i64;
    if n == 0 {
        return Ok(Value::Nil);
    }
    let start = a.get(1).map_or(0, cast::to_int);
    let end = if a.len() < 3 { n } else { cast::to_int(&a[2]) };
    if start < 0 || end < start || end > n {
        return Err("reflect.Value.Slice: slice index out of bounds".into());
    }
    let (s, e) = (start as usize, end as usize);
    Ok(match v {
        Value::List(l) => Value::List(List::typed(l.elem(), l[s..e].to_vec())),
        Value::Bytes(b) => Value::Bytes(b[s..e].to_vec().into()),
        _ => list(cast::as_slice(v).unwrap_or_default()[s..e].to_vec()),
    })
}

/// Sprig's `chunk`, sizes computed in floating point as in Go.
fn chunk(size: i64, l: Vec<Value>) -> FuncResult {
    let n = l.len() as i64;
    let cs = ((n - 1) as f64 / size as f64).floor() + 1.0;
    let cs = cast::float_to_i64(cs);
    if cs < 0 {
        return Err("runtime error: makeslice: len out of range".into());
    }
    let mut out = Vec::new();
    for i in 0..cs {
        let mut clen = size;
        if i == cs - 1 {
            clen = cast::float_to_i64((n as f64 % size as f64).floor());
            if clen == 0 {
                clen = size;
            }
        }
        if clen < 0 {
            return Err("runtime error: makeslice: len out of range".into());
        }
        let mut part = Vec::new();
        for j in 0..clen {
            let ix = i * size + j;
            match l.get(ix as usize) {
                Some(v) if ix >= 0 => part.push(v.clone()),
                _ => {
                    return Err("reflect: slice index out of range".into());
                }
            }
        }
        out.push(list(part));
    }
    Ok(Value::List(List::typed(ElemType::InterfaceList, out)))
}

const MAX_RANGE: i64 = 10_000_000;

/// Sprig's `untilStep`.
fn until_step(start: i64, stop: i64, step: i64) -> Result<Vec<i64>, FuncError> {
    let mut v = Vec::new();
    let mut push = |i: i64| -> Result<(), FuncError> {
        if v.len() as i64 >= MAX_RANGE {
            return Err(format!("untilStep: more than {MAX_RANGE} elements").into());
        }
        v.push(i);
        Ok(())
    };
    if stop < start {
        if step >= 0 {
            return Ok(v);
        }
        let mut i = start;
        while i > stop {
            push(i)?;
            i = match i.checked_add(step) {
                Some(x) => x,
                None => break,
            };
        }
        return Ok(v);
    }
    if step <= 0 {
        return Ok(v);
    }
    let mut i = start;
    while i < stop {
        push(i)?;
        i = match i.checked_add(step) {
            Some(x) => x,
            None => break,
        };
    }
    Ok(v)
}

fn int_list(v: Vec<i64>) -> Value {
    Value::List(List::typed(
        gotmpl::ElemType::Int,
        v.into_iter().map(Value::Int).collect(),
    ))
}
