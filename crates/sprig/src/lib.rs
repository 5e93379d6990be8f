//! Sprig's template functions (v3.3.0, as Helm 4 ships them), and the data-format functions Helm
//! adds (`toYaml`, `fromYaml`, `toJson`, `toToml`, ...), written against [`gotmpl`]'s function
//! API: Go's argument order and type coercions, Sprig's error texts, no file or network IO.
//!
//! [`funcs`] returns the whole map; each family lives in its own module.

#![deny(missing_docs)]

use gotmpl::FuncMap;

mod btoml;
pub mod cast;
mod crypto;
mod date;
mod defaults;
mod dicts;
mod encoding;
mod lists;
mod math;
mod paths;
mod reflect;
mod regex;
mod semver;
pub mod serialize;
mod strings;
mod util;

/// Every function of this crate, by template name.
pub fn funcs() -> FuncMap {
    let mut m = FuncMap::new();
    strings::register(&mut m);
    lists::register(&mut m);
    dicts::register(&mut m);
    math::register(&mut m);
    defaults::register(&mut m);
    reflect::register(&mut m);
    encoding::register(&mut m);
    paths::register(&mut m);
    serialize::register(&mut m);
    semver::register(&mut m);
    regex::register(&mut m);
    date::register(&mut m);
    crypto::register(&mut m);
    m
}

/// Masterminds semver's `Check`: whether `version` satisfies `constraint`, as the semver library
/// of the Helm release matching `go` decides (Helm's `IsCompatibleRange` and the chart
/// `kubeVersion` check use it).
pub fn semver_check(
    constraint: &str,
    version: &str,
    go: gotmpl::GoVersion,
) -> Result<bool, String> {
    let c = semver::Constraints::parse(constraint, go)?;
    let v = semver::Version::parse(version, go)?;
    Ok(c.check(&v, go))
}
