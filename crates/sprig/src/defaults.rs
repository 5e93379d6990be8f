//! Sprig functions: defaults and flow (`default empty coalesce all any ternary`).

use gotmpl::{FuncMap, Param, Value};

use crate::cast::is_empty;
use crate::util::{add, add_variadic};

use Param::{Any, Bool};

/// Adds this family's functions to `m`.
pub(crate) fn register(m: &mut FuncMap) {
    add_variadic(m, "default", &[Any], Any, |a| match a.get(1) {
        Some(v) if !is_empty(v) => Ok(v.clone()),
        _ => Ok(a[0].clone()),
    });
    add(m, "empty", &[Any], |a| Ok(is_empty(&a[0]).into()));
    add_variadic(m, "coalesce", &[], Any, |a| {
        Ok(a.into_iter().find(|v| !is_empty(v)).unwrap_or(Value::Nil))
    });
    add_variadic(m, "all", &[], Any, |a| {
        Ok(a.iter().all(|v| !is_empty(v)).into())
    });
    add_variadic(m, "any", &[], Any, |a| {
        Ok(a.iter().any(|v| !is_empty(v)).into())
    });
    add(m, "ternary", &[Any, Any, Bool], |a| {
        Ok(if matches!(a[2], Value::Bool(true)) {
            a[0].clone()
        } else {
            a[1].clone()
        })
    });
}
