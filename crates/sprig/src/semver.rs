//! Sprig functions: semver (`semver`, `semverCompare`).
//!
//! Behaviour of Masterminds/semver v3 as the two pinned Helms ship it: Helm 3.17 (v3.3) and
//! Helm 4.1 (v3.4) differ in error capitalisation (`Invalid Semantic Version` vs
//! `invalid semantic version`) and in how pre-releases are admitted by constraints (v3.3 decides
//! per comparator, v3.4 per `||` group); the engine's [`GoVersion`] selects which.
//!
//! The parsing is our own, written from the observed behaviour: a loose version is
//! `v?MAJOR(.MINOR)?(.PATCH)?(-PRERELEASE)?(+METADATA)?`, missing parts are zero, numbers may have
//! leading zeros in the core but a numeric pre-release identifier may not.

use std::cmp::Ordering;
use std::sync::{Arc, LazyLock};

use gotmpl::{Func, FuncError, FuncMap, GoVersion, Object, Param, Signature, Value};
use regex_lite::Regex;

/// Adds this family's functions to `m`.
pub(crate) fn register(m: &mut FuncMap) {
    m.insert(
        "semver",
        Func::new(Signature::fixed(&[Param::String]), |ctx, args| {
            let go = ctx.template_set().options().go_version;
            let s = str_arg(&args, 0);
            Version::parse(s, go)
                .map(|v| v.into_value(true))
                .map_err(FuncError::new)
        }),
    );
    m.insert(
        "semverCompare",
        Func::new(
            Signature::fixed(&[Param::String, Param::String]),
            |ctx, args| {
                let go = ctx.template_set().options().go_version;
                let c = Constraints::parse(str_arg(&args, 0), go)?;
                let v = Version::parse(str_arg(&args, 1), go)?;
                Ok(Value::Bool(c.check(&v, go)))
            },
        ),
    );
}

fn str_arg(args: &[Value], i: usize) -> &str {
    args.get(i).and_then(Value::as_str).unwrap_or("")
}

/// The hidden field through which a version object hands its parts back to Rust code (a
/// template cannot name it: identifiers never contain NUL).
const HIDDEN: &str = "\u{0}semver";

/// A parsed version (Masterminds' `Version`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Version {
    major: u64,
    minor: u64,
    patch: u64,
    pre: String,
    metadata: String,
    original: String,
}

fn invalid(go: GoVersion) -> String {
    if go >= GoVersion::Go1_25 {
        "invalid semantic version".into()
    } else {
        "Invalid Semantic Version".into()
    }
}

fn cap(go: GoVersion, s: &str) -> String {
    if go >= GoVersion::Go1_25 {
        s.to_string()
    } else {
        let mut c = s.chars();
        match c.next() {
            Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
            None => String::new(),
        }
    }
}

static VERSION_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?",
        r"(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?",
        r"(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?$"
    ))
    .expect("valid regex")
});

fn parse_segment(s: &str, go: GoVersion) -> Result<u64, String> {
    s.parse::<u64>().map_err(|_| {
        cap(
            go,
            &format!(
                "error parsing version segment: strconv.ParseUint: parsing {}: value out of range",
                gotmpl::gofmt::quote(s)
            ),
        )
    })
}

impl Version {
    /// Parses a version as Masterminds' `NewVersion` does.
    pub(crate) fn parse(s: &str, go: GoVersion) -> Result<Version, String> {
        let m = VERSION_RE.captures(s).ok_or_else(|| invalid(go))?;
        let get = |i: usize| m.get(i).map_or("", |x| x.as_str());
        let major = parse_segment(get(1), go)?;
        let minor = match get(2) {
            "" => 0,
            x => parse_segment(&x[1..], go)?,
        };
        let patch = match get(3) {
            "" => 0,
            x => parse_segment(&x[1..], go)?,
        };
        let pre = get(5).to_string();
        for part in pre.split('.').filter(|_| !pre.is_empty()) {
            if part.len() > 1 && part.starts_with('0') && part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(cap(go, "version segment starts with 0"));
            }
        }
        Ok(Version {
            major,
            minor,
            patch,
            pre,
            metadata: get(8).to_string(),
            original: s.to_string(),
        })
    }

    fn string(&self) -> String {
        let mut s = format!("{}.{}.{}", self.major, self.minor, self.patch);
        if !self.pre.is_empty() {
            s.push('-');
            s.push_str(&self.pre);
        }
        if !self.metadata.is_empty() {
            s.push('+');
            s.push_str(&self.metadata);
        }
        s
    }

    /// Masterminds' `Compare`: numeric core, then pre-release precedence; metadata is ignored.
    fn compare(&self, o: &Version) -> Ordering {
        self.major
            .cmp(&o.major)
            .then(self.minor.cmp(&o.minor))
            .then(self.patch.cmp(&o.patch))
            .then_with(|| match (self.pre.is_empty(), o.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => compare_prerelease(&self.pre, &o.pre),
            })
    }

    fn into_value(self, pointer: bool) -> Value {
        Value::Object(Arc::new(VersionObject {
            v: Arc::new(self),
            pointer,
        }))
    }

    fn incremented(&self, which: u8) -> Version {
        let mut n = self.clone();
        n.metadata.clear();
        match which {
            0 => {
                if self.pre.is_empty() {
                    n.patch += 1;
                }
            }
            1 => {
                n.minor += 1;
                n.patch = 0;
            }
            _ => {
                n.major += 1;
                n.minor = 0;
                n.patch = 0;
            }
        }
        n.pre.clear();
        let prefix = if self.original.starts_with('v') {
            "v"
        } else {
            ""
        };
        n.original = format!("{prefix}{}", n.string());
        n
    }

    /// Recovers a version from a template value made by `semver`.
    pub(crate) fn from_value(v: &Value) -> Option<Version> {
        let Value::Object(o) = v else { return None };
        let Some(Value::List(parts)) = o.field(HIDDEN) else {
            return None;
        };
        let num = |i: usize| match parts.get(i) {
            Some(Value::String(s)) => s.parse().ok(),
            _ => None,
        };
        let text = |i: usize| parts.get(i).and_then(Value::as_str).map(str::to_string);
        Some(Version {
            major: num(0)?,
            minor: num(1)?,
            patch: num(2)?,
            pre: text(3)?,
            metadata: text(4)?,
            original: text(5)?,
        })
    }
}

fn compare_prerelease(a: &str, b: &str) -> Ordering {
    let ap: Vec<&str> = a.split('.').collect();
    let bp: Vec<&str> = b.split('.').collect();
    for i in 0..ap.len().max(bp.len()) {
        let s = ap.get(i).copied().unwrap_or("");
        let o = bp.get(i).copied().unwrap_or("");
        let d = compare_pre_part(s, o);
        if d != Ordering::Equal {
            return d;
        }
    }
    Ordering::Equal
}

fn compare_pre_part(s: &str, o: &str) -> Ordering {
    if s == o {
        return Ordering::Equal;
    }
    if s.is_empty() {
        return Ordering::Less;
    }
    if o.is_empty() {
        return Ordering::Greater;
    }
    match (s.parse::<u64>(), o.parse::<u64>()) {
        (Err(_), Err(_)) => {
            if s > o {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
        (Ok(_), Err(_)) => Ordering::Less,
        (Err(_), Ok(_)) => Ordering::Greater,
        (Ok(a), Ok(b)) => {
            if a > b {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
    }
}

/// `*semver.Version` (or `semver.Version`, what the `Inc*` methods return) as templates see it.
struct VersionObject {
    v: Arc<Version>,
    pointer: bool,
}

fn version_arg(args: &[Value]) -> Result<Version, FuncError> {
    let a = args.first().cloned().unwrap_or(Value::Nil);
    if a.is_nil() {
        // A nil `*semver.Version`: the method dereferences it.
        return Err(FuncError::new(
            "runtime error: invalid memory address or nil pointer dereference",
        ));
    }
    Version::from_value(&a).ok_or_else(|| {
        FuncError::new(format!(
            "wrong type for value; expected *semver.Version; got {}",
            a.type_name()
        ))
    })
}

impl Object for VersionObject {
    fn type_name(&self) -> &str {
        if self.pointer {
            "*semver.Version"
        } else {
            "semver.Version"
        }
    }

    fn kind_name(&self) -> &'static str {
        if self.pointer { "ptr" } else { "struct" }
    }

    fn field(&self, name: &str) -> Option<Value> {
        if name != HIDDEN {
            return None;
        }
        let v = &self.v;
        Some(Value::list(vec![
            Value::from(v.major.to_string()),
            Value::from(v.minor.to_string()),
            Value::from(v.patch.to_string()),
            Value::from(v.pre.as_str()),
            Value::from(v.metadata.as_str()),
            Value::from(v.original.as_str()),
        ]))
    }

    fn method(&self, name: &str) -> Option<Func> {
        let v = Arc::clone(&self.v);
        let none = Signature::fixed(&[]);
        let one = Signature::fixed(&[Param::Named("*semver.Version")]);
        let u64_value = |n: u64| Value::Int(i64::try_from(n).unwrap_or(i64::MAX));
        Some(match name {
            "Major" => Func::infallible(none, move |_, _| u64_value(v.major)),
            "Minor" => Func::infallible(none, move |_, _| u64_value(v.minor)),
            "Patch" => Func::infallible(none, move |_, _| u64_value(v.patch)),
            "Prerelease" => Func::infallible(none, move |_, _| Value::from(v.pre.as_str())),
            "Metadata" => Func::infallible(none, move |_, _| Value::from(v.metadata.as_str())),
            "Original" => Func::infallible(none, move |_, _| Value::from(v.original.as_str())),
            "String" => Func::infallible(none, move |_, _| Value::from(v.string())),
            "IncPatch" => Func::infallible(none, move |_, _| v.incremented(0).into_value(false)),
            "IncMinor" => Func::infallible(none, move |_, _| v.incremented(1).into_value(false)),
            "IncMajor" => Func::infallible(none, move |_, _| v.incremented(2).into_value(false)),
            "Compare" => Func::new(one, move |_, args| {
                let o = version_arg(&args)?;
                Ok(Value::Int(match v.compare(&o) {
                    Ordering::Less => -1,
                    Ordering::Equal => 0,
                    Ordering::Greater => 1,
                }))
            }),
            "LessThan" | "GreaterThan" | "Equal" | "LessThanEqual" | "GreaterThanEqual" => {
                let name = name.to_string();
                Func::new(one, move |_, args| {
                    // `Equal` checks for nil; the others dereference it.
                    if name == "Equal" && args.first().is_none_or(Value::is_nil) {
                        return Ok(Value::Bool(false));
                    }
                    let o = version_arg(&args)?;
                    let c = v.compare(&o);
                    Ok(Value::Bool(match name.as_str() {
                        "LessThan" => c == Ordering::Less,
                        "GreaterThan" => c == Ordering::Greater,
                        "Equal" => c == Ordering::Equal,
                        "LessThanEqual" => c != Ordering::Greater,
                        _ => c != Ordering::Less,
                    }))
                })
            }
            _ => return None,
        })
    }

    fn format(&self, _plus: bool) -> String {
        self.v.string()
    }
}

// ---- constraints ----

const OPS: &str = r"=||!=|>|<|>=|=>|<=|=<|~|~>|\^";
const CV: &str = concat!(
    r"v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?",
    r"(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?",
    r"(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
);

/// Go's `\s` (ASCII white space without `\v`), which Masterminds' patterns use.
const WS: &str = r"[\t\n\f\r ]";

// regex-lite: these fixed patterns compile in microseconds (the full `regex` crate spends about
// a millisecond of every `chartkit render` building its automata).
static CONSTRAINT_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"^{WS}*({OPS}){WS}*({CV}){WS}*$")).expect("valid regex"));
static RANGE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"{WS}*({CV}){WS}+-{WS}+({CV}){WS}*")).expect("valid regex")
});
static FIND_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"({OPS}){WS}*({CV})")).expect("valid regex"));
static VALID_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"^({WS}*({OPS}){WS}*({CV}){WS}*,?)+$")).expect("valid regex")
});

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    TildeOrEqual,
    NotEqual,
    Greater,
    Less,
    GreaterEqual,
    LessEqual,
    Tilde,
    Caret,
}

#[derive(Debug)]
struct Constraint {
    op: Op,
    con: Version,
    minor_dirty: bool,
    patch_dirty: bool,
    dirty: bool,
}

/// A parsed constraint: `||`-separated groups of comparators that must all hold.
#[derive(Debug)]
pub(crate) struct Constraints {
    groups: Vec<Vec<Constraint>>,
}

fn is_x(s: &str) -> bool {
    matches!(s, "x" | "X" | "*")
}

/// Rewrites `A - B` ranges into `>= A, <= B`.
fn rewrite_range(s: &str) -> String {
    let mut out = s.to_string();
    for m in RANGE_RE.captures_iter(s) {
        let whole = m.get(0).map_or("", |x| x.as_str());
        let a = m.get(1).map_or("", |x| x.as_str());
        let b = m.get(11).map_or("", |x| x.as_str());
        out = out.replacen(whole, &format!(">= {a}, <= {b} "), 1);
    }
    out
}

impl Constraints {
    /// Parses a constraint as Masterminds' `NewConstraint` does.
    pub(crate) fn parse(s: &str, go: GoVersion) -> Result<Constraints, String> {
        let s = rewrite_range(s);
        let mut groups = Vec::new();
        for or in s.split("||") {
            if !VALID_RE.is_match(or) {
                return Err(format!("improper constraint: {or}"));
            }
            let mut group = Vec::new();
            let found: Vec<&str> = FIND_RE.find_iter(or).map(|m| m.as_str()).collect();
            let found = if found.is_empty() { vec![or] } else { found };
            for c in found {
                group.push(parse_constraint(c, go)?);
            }
            groups.push(group);
        }
        Ok(Constraints { groups })
    }

    /// Whether `v` satisfies any group.
    pub(crate) fn check(&self, v: &Version, go: GoVersion) -> bool {
        self.groups.iter().any(|g| {
            let group_pre = g.iter().any(|c| !c.con.pre.is_empty());
            g.iter().all(|c| {
                let include_pre = if go >= GoVersion::Go1_25 {
                    group_pre
                } else {
                    !c.con.pre.is_empty()
                };
                c.check(v, include_pre, go)
            })
        })
    }
}

fn parse_constraint(c: &str, go: GoVersion) -> Result<Constraint, String> {
    let m = CONSTRAINT_RE
        .captures(c)
        .ok_or_else(|| format!("improper constraint: {c}"))?;
    let get = |i: usize| m.get(i).map_or("", |x| x.as_str());
    let op = match get(1) {
        "" | "=" => Op::TildeOrEqual,
        "!=" => Op::NotEqual,
        ">" => Op::Greater,
        "<" => Op::Less,
        ">=" | "=>" => Op::GreaterEqual,
        "<=" | "=<" => Op::LessEqual,
        "~" | "~>" => Op::Tilde,
        _ => Op::Caret,
    };
    let (mut minor_dirty, mut patch_dirty, mut dirty) = (false, false, false);
    let minor = get(4).trim_start_matches('.');
    let patch = get(5).trim_start_matches('.');
    let ver = if is_x(get(3)) || get(3).is_empty() {
        dirty = true;
        format!("0.0.0{}", get(6))
    } else if is_x(minor) || get(4).is_empty() {
        minor_dirty = true;
        dirty = true;
        format!("{}.0.0{}", get(3), get(6))
    } else if is_x(patch) || get(5).is_empty() {
        dirty = true;
        patch_dirty = true;
        format!("{}{}.0{}", get(3), get(4), get(6))
    } else {
        get(2).to_string()
    };
    let con = Version::parse(&ver, GoVersion::Go1_25).map_err(|_| {
        if go >= GoVersion::Go1_25 {
            "constraint parser error".to_string()
        } else {
            "constraint Parser Error".to_string()
        }
    })?;
    Ok(Constraint {
        op,
        con,
        minor_dirty,
        patch_dirty,
        dirty,
    })
}

impl Constraint {
    fn check(&self, v: &Version, include_pre: bool, go: GoVersion) -> bool {
        let c = &self.con;
        let pre_blocked = !v.pre.is_empty() && !include_pre;
        match self.op {
            Op::NotEqual => {
                if go >= GoVersion::Go1_25 && pre_blocked {
                    return false;
                }
                if self.dirty {
                    if pre_blocked {
                        return false;
                    }
                    if c.major != v.major {
                        return true;
                    }
                    if c.minor != v.minor && !self.minor_dirty {
                        return true;
                    } else if self.minor_dirty {
                        return false;
                    } else if c.patch != v.patch && !self.patch_dirty {
                        return true;
                    } else if self.patch_dirty {
                        if !v.pre.is_empty() || !c.pre.is_empty() {
                            return compare_prerelease(&v.pre, &c.pre) != Ordering::Equal;
                        }
                        return false;
                    }
                }
                v.compare(c) != Ordering::Equal
            }
            _ if pre_blocked => false,
            Op::TildeOrEqual => {
                if self.dirty {
                    self.tilde(v)
                } else {
                    v.compare(c) == Ordering::Equal
                }
            }
            Op::Greater => {
                if !self.dirty {
                    return v.compare(c) == Ordering::Greater;
                }
                if v.major != c.major {
                    return v.major > c.major;
                }
                if self.minor_dirty {
                    return false;
                }
                if self.patch_dirty {
                    return v.minor > c.minor;
                }
                v.compare(c) == Ordering::Greater
            }
            Op::Less => v.compare(c) == Ordering::Less,
            Op::GreaterEqual => v.compare(c) != Ordering::Less,
            Op::LessEqual => {
                if !self.dirty {
                    return v.compare(c) != Ordering::Greater;
                }
                if v.major > c.major {
                    return false;
                }
                !(v.major == c.major && v.minor > c.minor && !self.minor_dirty)
            }
            Op::Tilde => self.tilde(v),
            Op::Caret => {
                if v.compare(c) == Ordering::Less {
                    return false;
                }
                if c.major > 0 || self.minor_dirty {
                    return v.major == c.major;
                }
                if v.major > 0 {
                    return false;
                }
                if c.minor > 0 || self.patch_dirty {
                    return v.minor == c.minor;
                }
                if v.minor > 0 {
                    return false;
                }
                c.patch == v.patch
            }
        }
    }

    fn tilde(&self, v: &Version) -> bool {
        let c = &self.con;
        if v.compare(c) == Ordering::Less {
            return false;
        }
        if c.major == 0 && c.minor == 0 && c.patch == 0 && !self.minor_dirty && !self.patch_dirty {
            return true;
        }
        if v.major != c.major {
            return false;
        }
        v.minor == c.minor || self.minor_dirty
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(c: &str, v: &str, go: GoVersion) -> bool {
        Constraints::parse(c, go)
            .unwrap()
            .check(&Version::parse(v, go).unwrap(), go)
    }

    #[test]
    fn helm_idioms() {
        for go in [GoVersion::Go1_23, GoVersion::Go1_25] {
            assert!(check(">=1.21.0-0", "v1.29.3-gke.100", go));
            assert!(!check(">=1.20", "1.32.0-beta.1", go));
            assert!(check(">1.0 <2.0", "1.5.0", go));
            assert!(check("1.0 - 2.0", "2.0.0", go));
            assert!(check(">=1.0, <2.0 || 3.x", "3.1.0", go));
            assert!(check("^1.2", "1.9.0", go));
            assert!(!check("~1.2.0", "1.3.0", go));
        }
        assert!(check(">=1.0.0-0 <2.0.0", "1.5.0-beta", GoVersion::Go1_25));
        assert!(!check(">=1.0.0-0 <2.0.0", "1.5.0-beta", GoVersion::Go1_23));
    }

    #[test]
    fn versions_round_trip_through_values() {
        let v = Version::parse("v1.2-rc.1+b", GoVersion::Go1_25).unwrap();
        assert_eq!(v.string(), "1.2.0-rc.1+b");
        let back = Version::from_value(&v.clone().into_value(true)).unwrap();
        assert_eq!(back, v);
    }
}
