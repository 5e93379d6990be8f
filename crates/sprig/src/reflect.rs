//! Sprig functions: reflection (`typeOf typeIs typeIsLike kindOf kindIs deepEqual`).

use gotmpl::{FuncMap, Param};

use crate::cast;
use crate::util::{add, arg_str};

use Param::{Any, String as S};

/// Adds this family's functions to `m`.
pub(crate) fn register(m: &mut FuncMap) {
    add(m, "typeOf", &[Any], |a| Ok(a[0].type_name().into()));
    add(m, "typeIs", &[S, Any], |a| {
        Ok((arg_str(&a, 0) == a[1].type_name()).into())
    });
    add(m, "typeIsLike", &[S, Any], |a| {
        let (target, t) = (arg_str(&a, 0), a[1].type_name());
        Ok((target == t || format!("*{target}") == t).into())
    });
    add(m, "kindOf", &[Any], |a| Ok(cast::kind(&a[0]).into()));
    add(m, "kindIs", &[S, Any], |a| {
        Ok((arg_str(&a, 0) == cast::kind(&a[1])).into())
    });
    add(m, "deepEqual", &[Any, Any], |a| {
        Ok(cast::deep_equal(&a[0], &a[1]).into())
    });
}
