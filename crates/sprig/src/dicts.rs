//! Sprig functions: dictionaries (`dict get set unset hasKey pluck keys values pick omit merge
//! mergeOverwrite deepCopy dig`).

use std::collections::BTreeMap;

use gotmpl::{FuncMap, FuncResult, List, Map, Param, Value};

use crate::cast;
use crate::util::{add, add_variadic, arg_str};

use Param::{Any, Map as M, String as S};

/// Adds this family's functions to `m`.
pub(crate) fn register(m: &mut FuncMap) {
    add_variadic(m, "dict", &[], Any, |a| {
        let d = Map::new();
        for pair in a.chunks(2) {
            let key = cast::to_string(&pair[0]);
            d.insert(key, pair.get(1).cloned().unwrap_or_else(|| "".into()));
        }
        Ok(Value::Map(d))
    });
    add(m, "get", &[M, S], |a| {
        Ok(map_of(&a[0])
            .get(arg_str(&a, 1))
            .unwrap_or_else(|| "".into()))
    });
    add(m, "set", &[M, S, Any], |a| {
        // Go panics assigning to a nil map; text/template reports the panic as the error.
        if a[0].is_nil() || matches!(&a[0], Value::Map(d) if d.is_nil()) {
            return Err("assignment to entry in nil map".into());
        }
        map_of(&a[0]).insert(arg_str(&a, 1), a[2].clone());
        Ok(plain(&a[0]))
    });
    add(m, "unset", &[M, S], |a| {
        map_of(&a[0]).write().remove(arg_str(&a, 1));
        Ok(plain(&a[0]))
    });
    add(m, "hasKey", &[M, S], |a| {
        Ok(map_of(&a[0]).read().contains_key(arg_str(&a, 1)).into())
    });
    add_variadic(m, "pluck", &[S], M, |a| {
        let key = arg_str(&a, 0);
        let out: Vec<Value> = a[1..].iter().filter_map(|d| map_of(d).get(key)).collect();
        Ok(Value::list(out))
    });
    add_variadic(m, "keys", &[], M, |a| {
        let mut out = Vec::new();
        for d in &a {
            out.extend(map_of(d).read().keys().cloned());
        }
        Ok(cast::string_list(out))
    });
    add(m, "values", &[M], |a| {
        Ok(Value::list(
            map_of(&a[0]).read().values().cloned().collect(),
        ))
    });
    add_variadic(m, "pick", &[M], S, |a| {
        let src = map_of(&a[0]);
        let out = Map::new();
        for k in a[1..].iter().filter_map(Value::as_str) {
            if let Some(v) = src.get(k) {
                out.insert(k, v);
            }
        }
        Ok(Value::Map(out))
    });
    add_variadic(m, "omit", &[M], S, |a| {
        let src = map_of(&a[0]);
        let omit: Vec<&str> = a[1..].iter().filter_map(Value::as_str).collect();
        let out = Map::new();
        for (k, v) in src.entries() {
            if !omit.contains(&k.as_str()) {
                out.insert(k, v);
            }
        }
        Ok(Value::Map(out))
    });
    for (name, overwrite) in [
        ("merge", false),
        ("mustMerge", false),
        ("mergeOverwrite", true),
        ("mustMergeOverwrite", true),
    ] {
        let f = if overwrite {
            merge_overwrite
        } else {
            merge_keep
        };
        add_variadic(m, name, &[M], M, f);
    }
    for name in ["deepCopy", "mustDeepCopy"] {
        add(m, name, &[Any], |a| {
            if a[0].is_nil() {
                return Err("reflect: call of reflect.Value.Type on zero Value".into());
            }
            Ok(deep_copy(&a[0]))
        });
    }
    add_variadic(m, "dig", &[], Any, dig);
}

fn merge_keep(a: Vec<Value>) -> FuncResult {
    merge_all(a, false)
}

fn merge_overwrite(a: Vec<Value>) -> FuncResult {
    merge_all(a, true)
}

fn merge_all(a: Vec<Value>, overwrite: bool) -> FuncResult {
    let mut dst = map_of(&a[0]);
    let mut result = plain(&a[0]);
    for src in &a[1..] {
        let src = map_of(src);
        if dst.is_nil() {
            // mergo makes a new map for a nil destination once a source is not nil.
            if src.is_nil() {
                continue;
            }
            dst = Map::new();
            result = Value::Map(dst.clone());
        }
        if !src.ptr_eq(&dst) {
            merge_map(&dst, &src, overwrite, 0);
        }
    }
    Ok(result)
}

/// The map behind a `map[string]interface{}` argument.
fn map_of(v: &Value) -> Map {
    cast::as_map(v).unwrap_or_default()
}

/// The argument as the function returns it: converted to the parameter's type
/// `map[string]interface {}`.
fn plain(v: &Value) -> Value {
    match v {
        Value::Map(m) if m.type_name() != "map[string]interface {}" => {
            let mut m = m.clone();
            // Same entries, seen as the plain map type.
            m = m.with_type_name("map[string]interface {}");
            Value::Map(m)
        }
        v => v.clone(),
    }
}

/// mergo's map merge as Sprig calls it (`Merge` / `Merge(WithOverride)`): nested maps merged in
/// place; a key is (over)written when `overwrite`, or when the destination lacks it or holds an
/// empty value; with `overwrite` a nil source value overwrites too.
fn merge_map(dst: &Map, src: &Map, overwrite: bool, depth: usize) {
    if depth > 64 {
        return;
    }
    for (key, sv) in src.entries() {
        let dv = dst.get(&key);
        if sv.is_nil() {
            if overwrite {
                dst.insert(key, Value::Nil);
            }
            continue;
        }
        let dst_empty = dv.as_ref().is_none_or(cast::is_empty);
        if let (Value::Map(sm), Some(Value::Map(dm))) = (&sv, &dv) {
            if !dm.ptr_eq(sm) {
                merge_map(dm, sm, overwrite, depth + 1);
            }
            if !dst_empty {
                continue;
            }
        }
        if matches!(sv, Value::List(_)) && !dst_empty {
            if overwrite {
                dst.insert(key, sv);
            }
            continue;
        }
        if overwrite || dst_empty {
            dst.insert(key, sv);
        }
    }
}

/// copystructure's deep copy: maps and slices copied recursively.
pub(crate) fn deep_copy(v: &Value) -> Value {
    match v {
        Value::Map(m) if m.is_nil() => v.clone(),
        Value::Map(m) => {
            let entries: BTreeMap<String, Value> = m
                .read()
                .iter()
                .map(|(k, v)| (k.clone(), deep_copy(v)))
                .collect();
            let copy = Map::from_entries(entries);
            Value::Map(if m.type_name() != "map[string]interface {}" {
                copy.with_type_name(m.type_name().to_string())
            } else {
                copy
            })
        }
        Value::List(l) => Value::List(List::typed(l.elem(), l.iter().map(deep_copy).collect())),
        v => v.clone(),
    }
}

fn conversion_error(v: &Value, want: &str) -> gotmpl::FuncError {
    let have = if v.is_nil() {
        "nil".to_string()
    } else {
        v.type_name()
    };
    format!("interface conversion: interface {{}} is {have}, not {want}").into()
}

const PLAIN_MAP: &str = "map[string]interface {}";

/// A value as a Go type assertion `.(map[string]interface{})` sees it.
fn assert_map(v: &Value) -> Result<Map, gotmpl::FuncError> {
    match v {
        Value::Map(m) if m.type_name() == PLAIN_MAP => Ok(m.clone()),
        v => Err(conversion_error(v, PLAIN_MAP)),
    }
}

/// Sprig's `dig KEY... DEFAULT MAP`.
fn dig(a: Vec<Value>) -> FuncResult {
    if a.len() < 3 {
        return Err("dig needs at least three arguments".into());
    }
    let mut dict = assert_map(&a[a.len() - 1])?;
    let def = a[a.len() - 2].clone();
    let mut keys = Vec::new();
    for k in &a[..a.len() - 2] {
        match k.as_str() {
            Some(s) => keys.push(s.to_string()),
            None => return Err(conversion_error(k, "string")),
        }
    }
    for (i, k) in keys.iter().enumerate() {
        let Some(step) = dict.get(k) else {
            return Ok(def);
        };
        if i == keys.len() - 1 {
            return Ok(step);
        }
        dict = assert_map(&step)?;
    }
    Ok(def)
}
