//! Sprig functions: crypto.

use gotmpl::FuncMap;

/// Adds this family's functions to `m`.
pub(crate) fn register(_m: &mut FuncMap) {}
