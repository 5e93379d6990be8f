//! Validating one decoded object against its compiled kind.

use goyaml::{Node as YNode, NodeValue};
use serde_json::Value;

use crate::compile::{Additional, Format, Id, Kind, Node, ty};
use crate::deprecations::{self, Status};
use crate::{Finding, SchemaSet, Severity, rules};

/// What a check found, before it gets its rule id.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Check {
    Invalid,
    Unknown,
}

struct Raw {
    check: Check,
    pointer: String,
    message: String,
    line: u32,
    column: u32,
}

#[derive(Clone)]
enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

struct Ctx<'a> {
    kind: &'a Kind,
    out: Vec<Raw>,
}

pub(crate) fn object(set: &SchemaSet, doc: &YNode) -> Vec<Finding> {
    let entries = match &doc.value {
        NodeValue::Null => return Vec::new(),
        NodeValue::Map(entries) => entries,
        _ => {
            return vec![finding(
                rules::SCHEMA_INVALID,
                Severity::Error,
                "",
                format!(
                    "expected a Kubernetes object (a mapping), got {}",
                    describe(doc)
                ),
                doc,
            )];
        }
    };
    let field = |name: &str| entries.iter().find(|(k, _)| k.name == name).map(|e| &e.1);
    let mut out = Vec::new();
    let mut header = |name: &str| match field(name) {
        Some(YNode {
            value: NodeValue::String(s),
            ..
        }) if !s.is_empty() => Some(s.as_str()),
        Some(n) => {
            out.push(finding(
                rules::SCHEMA_INVALID,
                Severity::Error,
                &format!("/{name}"),
                format!("{name}: expected a non-empty string, got {}", describe(n)),
                n,
            ));
            None
        }
        None => {
            out.push(finding(
                rules::SCHEMA_INVALID,
                Severity::Error,
                "",
                format!("missing required field {name:?}"),
                doc,
            ));
            None
        }
    };
    let (api_version, kind) = (header("apiVersion"), header("kind"));
    let (Some(api_version), Some(kind)) = (api_version, kind) else {
        return out;
    };
    let api_node = field("apiVersion").unwrap_or(doc);
    let status = deprecations::status(api_version, kind, set.kube_minor(), set.removal_window);
    if let Some(status) = status {
        let (rule, severity) = match status {
            Status::Removed(_) => (rules::REMOVED_API, Severity::Error),
            Status::Deprecated(_) => (rules::DEPRECATED_API, Severity::Warning),
        };
        out.push(finding(
            rule,
            severity,
            "/apiVersion",
            deprecations::message(api_version, kind, status),
            api_node,
        ));
    }
    let Some(compiled) = set.kind(api_version, kind) else {
        if matches!(status, Some(Status::Removed(_))) {
            return out;
        }
        let kind_node = field("kind").unwrap_or(doc);
        let known: Vec<&str> = set.kube_kinds_of(api_version);
        if !known.is_empty() {
            let hint = crate::suggest::did_you_mean(kind, known.iter().copied())
                .map(|k| format!(" (did you mean {k:?}?)"))
                .unwrap_or_default();
            out.push(finding(
                rules::SCHEMA_INVALID,
                Severity::Error,
                "/kind",
                format!(
                    "{api_version} has no kind {kind:?} in Kubernetes 1.{}{hint}",
                    set.kube_minor()
                ),
                kind_node,
            ));
        } else {
            out.push(finding(
                rules::CRD_SCHEMA,
                Severity::Warning,
                "",
                format!(
                    "no schema for {api_version} {kind} at Kubernetes 1.{}: the object is not validated \
                     (add its CustomResourceDefinition)",
                    set.kube_minor()
                ),
                kind_node,
            ));
        }
        return out;
    };
    let mut ctx = Ctx {
        kind: &compiled,
        out: Vec::new(),
    };
    let mut path = Vec::new();
    ctx.check(compiled.root, doc, &mut path);
    for raw in ctx.out {
        let rule = match (compiled.crd, raw.check) {
            (true, _) => rules::CRD_SCHEMA,
            (false, Check::Invalid) => rules::SCHEMA_INVALID,
            (false, Check::Unknown) => rules::UNKNOWN_FIELD,
        };
        out.push(Finding {
            rule,
            severity: Severity::Error,
            pointer: raw.pointer,
            message: raw.message,
            line: raw.line,
            column: raw.column,
        });
    }
    out
}

fn finding(
    rule: &'static str,
    severity: Severity,
    pointer: &str,
    message: String,
    at: &YNode,
) -> Finding {
    Finding {
        rule,
        severity,
        pointer: pointer.to_string(),
        message,
        line: at.pos.line,
        column: at.pos.column,
    }
}

fn pointer(path: &[Seg]) -> String {
    let mut s = String::new();
    for seg in path {
        s.push('/');
        match seg {
            Seg::Key(k) => s.push_str(&k.replace('~', "~0").replace('/', "~1")),
            Seg::Index(i) => s.push_str(&i.to_string()),
        }
    }
    s
}

/// `spec.template.spec.containers[0].image`.
fn dotted(path: &[Seg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Seg::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

fn prefix(path: &[Seg]) -> String {
    if path.is_empty() {
        String::new()
    } else {
        format!("{}: ", dotted(path))
    }
}

/// `string "3"`, `integer 3`, `number 1.5`, `boolean true`, `null`, `object`, `array`.
fn describe(n: &YNode) -> String {
    match &n.value {
        NodeValue::Null => "null".into(),
        NodeValue::Bool(b) => format!("boolean {b}"),
        NodeValue::Float(f) => {
            let text = goyaml::number_text(*f).unwrap_or_else(|_| f.to_string());
            if is_integer(*f) {
                format!("integer {text}")
            } else {
                format!("number {text}")
            }
        }
        NodeValue::String(s) => {
            let shown: String = if s.chars().count() > 60 {
                s.chars().take(57).chain("...".chars()).collect()
            } else {
                s.clone()
            };
            format!("string {shown:?}")
        }
        NodeValue::Seq(_) => "array".into(),
        NodeValue::Map(_) => "object".into(),
    }
}

fn is_integer(f: f64) -> bool {
    f.is_finite() && f.fract() == 0.0
}

fn type_names(types: u8) -> String {
    let mut names = Vec::new();
    if types & ty::OBJECT != 0 {
        names.push("object");
    }
    if types & ty::ARRAY != 0 {
        names.push("array");
    }
    if types & ty::STRING != 0 {
        names.push("string");
    }
    if types & ty::NUMBER != 0 {
        names.push("number");
    } else if types & ty::INTEGER != 0 {
        names.push("integer");
    }
    if types & ty::BOOLEAN != 0 {
        names.push("boolean");
    }
    match names.len() {
        0 => "null".into(),
        1 => names[0].into(),
        _ => {
            let last = names.pop().unwrap_or_default();
            format!("{} or {last}", names.join(", "))
        }
    }
}

fn type_of(n: &YNode) -> u8 {
    match &n.value {
        NodeValue::Null => ty::NULL,
        NodeValue::Bool(_) => ty::BOOLEAN,
        NodeValue::Float(f) if is_integer(*f) => ty::INTEGER | ty::NUMBER,
        NodeValue::Float(_) => ty::NUMBER,
        NodeValue::String(_) => ty::STRING,
        NodeValue::Seq(_) => ty::ARRAY,
        NodeValue::Map(_) => ty::OBJECT,
    }
}

fn equals(n: &YNode, v: &Value) -> bool {
    match (&n.value, v) {
        (NodeValue::Null, Value::Null) => true,
        (NodeValue::Bool(a), Value::Bool(b)) => a == b,
        (NodeValue::Float(a), Value::Number(b)) => b.as_f64() == Some(*a),
        (NodeValue::String(a), Value::String(b)) => a == b,
        (NodeValue::Seq(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| equals(x, y))
        }
        (NodeValue::Map(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(k, x)| b.get(&k.name).is_some_and(|y| equals(x, y)))
        }
        _ => false,
    }
}

impl<'k> Ctx<'k> {
    fn node(&self, id: Id) -> &'k Node {
        &self.kind.nodes[id as usize]
    }

    fn push(&mut self, check: Check, path: &[Seg], message: String, at: &YNode) {
        self.out.push(Raw {
            check,
            pointer: pointer(path),
            message: format!("{}{message}", prefix(path)),
            line: at.pos.line,
            column: at.pos.column,
        });
    }

    /// Whether `v` validates against `id` (findings discarded).
    fn passes<'a>(&mut self, id: Id, v: &'a YNode, path: &mut Vec<Seg<'a>>) -> Result<(), Raw> {
        let saved = std::mem::take(&mut self.out);
        self.check(id, v, path);
        let found = std::mem::replace(&mut self.out, saved);
        match found.into_iter().next() {
            Some(first) => Err(first),
            None => Ok(()),
        }
    }

    fn check<'a>(&mut self, id: Id, v: &'a YNode, path: &mut Vec<Seg<'a>>) {
        goyaml::with_stack(|| self.check_inner(id, v, path))
    }

    fn check_inner<'a>(&mut self, id: Id, v: &'a YNode, path: &mut Vec<Seg<'a>>) {
        let n = self.node(id);
        let vt = type_of(v);
        // null is an absent value (the API server drops it) wherever the schema allows it
        if vt == ty::NULL && (n.types == 0 || n.types & ty::NULL != 0) {
            return;
        }
        if n.types != 0 && n.types & vt == 0 {
            let expected = match n.format {
                Format::IntOrString => "integer or string".to_string(),
                Format::Quantity => "a quantity (string or number)".to_string(),
                _ => type_names(n.types),
            };
            self.push(
                Check::Invalid,
                path,
                format!("expected {expected}, got {}", describe(v)),
                v,
            );
            return;
        }
        if let Some(values) = &n.enum_values
            && !values.iter().any(|e| equals(v, e))
        {
            let list: Vec<String> = values.iter().map(Value::to_string).collect();
            self.push(
                Check::Invalid,
                path,
                format!(
                    "unsupported value {}: supported values: {}",
                    match &v.value {
                        NodeValue::String(s) => format!("{s:?}"),
                        _ => describe(v),
                    },
                    list.join(", ")
                ),
                v,
            );
        }
        self.format(n.format, v, path);
        if let Some(l) = &n.limits {
            self.limits(l, v, path);
        }
        match &v.value {
            NodeValue::Map(entries) => {
                for req in &n.required {
                    if !entries.iter().any(|(k, _)| *k.name == **req) {
                        self.push(
                            Check::Invalid,
                            path,
                            format!("missing required field {:?}", &**req),
                            v,
                        );
                    }
                }
                for (key, value) in entries {
                    let child = match n.property(&key.name) {
                        Some(c) => Some(c),
                        None => match n.additional {
                            Additional::Schema(c) => Some(c),
                            Additional::Allowed => None,
                            Additional::Forbidden => {
                                let hint = crate::suggest::did_you_mean(
                                    &key.name,
                                    n.properties.iter().map(|(k, _)| &**k),
                                )
                                .map(|k| format!(" (did you mean {k:?}?)"))
                                .unwrap_or_default();
                                self.out.push(Raw {
                                    check: Check::Unknown,
                                    pointer: format!(
                                        "{}/{}",
                                        pointer(path),
                                        key.name.replace('~', "~0").replace('/', "~1")
                                    ),
                                    message: format!(
                                        "{}unknown field {:?}{hint}",
                                        prefix(path),
                                        key.name
                                    ),
                                    line: key.pos.line,
                                    column: key.pos.column,
                                });
                                None
                            }
                        },
                    };
                    if let Some(c) = child {
                        path.push(Seg::Key(&key.name));
                        self.check(c, value, path);
                        path.pop();
                    }
                }
            }
            NodeValue::Seq(items) => {
                if let Some(item) = n.items {
                    for (i, x) in items.iter().enumerate() {
                        path.push(Seg::Index(i));
                        self.check(item, x, path);
                        path.pop();
                    }
                }
            }
            _ => {}
        }
        for &sub in &n.all_of {
            self.check(sub, v, path);
        }
        if !n.any_of.is_empty() {
            let mut first = None;
            let mut ok = false;
            for &sub in &n.any_of {
                match self.passes(sub, v, path) {
                    Ok(()) => {
                        ok = true;
                        break;
                    }
                    Err(e) => {
                        first.get_or_insert(e);
                    }
                }
            }
            if !ok {
                let why = first
                    .map(|e| format!(" ({})", e.message))
                    .unwrap_or_default();
                self.push(
                    Check::Invalid,
                    path,
                    format!("does not match any of the allowed schemas{why}"),
                    v,
                );
            }
        }
        if !n.one_of.is_empty() {
            let matched = n
                .one_of
                .iter()
                .filter(|&&sub| self.passes(sub, v, path).is_ok())
                .count();
            if matched != 1 {
                self.push(
                    Check::Invalid,
                    path,
                    format!("must match exactly one of the allowed schemas, matches {matched}"),
                    v,
                );
            }
        }
        if let Some(not) = n.not
            && self.passes(not, v, path).is_ok()
        {
            self.push(
                Check::Invalid,
                path,
                "matches a schema it must not match".into(),
                v,
            );
        }
    }

    fn format<'a>(&mut self, format: Format, v: &'a YNode, path: &mut [Seg<'a>]) {
        const I64_BOUND: f64 = 9_223_372_036_854_775_808.0; // 2^63
        let message = match (format, &v.value) {
            (Format::Int32, NodeValue::Float(f))
                if is_integer(*f) && (*f < i32::MIN as f64 || *f > i32::MAX as f64) =>
            {
                format!("{} is out of range for int32", describe(v))
            }
            (Format::Int64, NodeValue::Float(f))
                if is_integer(*f) && (*f < -I64_BOUND || *f >= I64_BOUND) =>
            {
                format!("{} is out of range for int64", describe(v))
            }
            (Format::IntOrString, NodeValue::Float(f)) if !is_integer(*f) => {
                format!("expected integer or string, got {}", describe(v))
            }
            (Format::Quantity, NodeValue::String(s)) => match crate::Quantity::parse(s) {
                Err(e) => format!("invalid quantity {s:?}: {e}"),
                Ok(_) => return,
            },
            (Format::Byte, NodeValue::String(s)) if !is_base64(s) => {
                "expected base64-encoded data (format byte)".to_string()
            }
            (Format::DateTime, NodeValue::String(s)) if !is_rfc3339(s) => {
                format!("expected an RFC 3339 date-time, got {s:?}")
            }
            _ => return,
        };
        self.push(Check::Invalid, path, message, v);
    }

    fn limits<'a>(&mut self, l: &crate::compile::Limits, v: &'a YNode, path: &mut [Seg<'a>]) {
        let bad = |this: &mut Self, msg: String| this.push(Check::Invalid, path, msg, v);
        match &v.value {
            NodeValue::Float(f) => {
                if let Some((m, excl)) = l.minimum
                    && (*f < m || (excl && *f == m))
                {
                    let op = if excl { ">" } else { ">=" };
                    bad(self, format!("{} must be {op} {m}", describe(v)));
                }
                if let Some((m, excl)) = l.maximum
                    && (*f > m || (excl && *f == m))
                {
                    let op = if excl { "<" } else { "<=" };
                    bad(self, format!("{} must be {op} {m}", describe(v)));
                }
                if let Some(m) = l.multiple_of
                    && (f / m).fract() != 0.0
                {
                    bad(self, format!("{} must be a multiple of {m}", describe(v)));
                }
            }
            NodeValue::String(s) => {
                let len = s.chars().count() as u64;
                if let Some(m) = l.min_length
                    && len < m
                {
                    bad(self, format!("must be at least {m} characters long"));
                }
                if let Some(m) = l.max_length
                    && len > m
                {
                    bad(self, format!("must be at most {m} characters long"));
                }
                if let Some((re, text)) = &l.pattern
                    && !re.is_match(s)
                {
                    bad(self, format!("{s:?} does not match the pattern {text:?}"));
                }
            }
            NodeValue::Seq(items) => {
                let len = items.len() as u64;
                if let Some(m) = l.min_items
                    && len < m
                {
                    bad(self, format!("must have at least {m} items"));
                }
                if let Some(m) = l.max_items
                    && len > m
                {
                    bad(self, format!("must have at most {m} items"));
                }
            }
            NodeValue::Map(entries) => {
                let len = entries.len() as u64;
                if let Some(m) = l.min_properties
                    && len < m
                {
                    bad(self, format!("must have at least {m} properties"));
                }
                if let Some(m) = l.max_properties
                    && len > m
                {
                    bad(self, format!("must have at most {m} properties"));
                }
            }
            _ => {}
        }
    }
}

/// Go's `base64.StdEncoding.DecodeString` succeeds (it skips `\r` and `\n`).
fn is_base64(s: &str) -> bool {
    let b: Vec<u8> = s.bytes().filter(|&c| c != b'\r' && c != b'\n').collect();
    if !b.len().is_multiple_of(4) {
        return false;
    }
    let pad = b.iter().rev().take_while(|&&c| c == b'=').count();
    if pad > 2 {
        return false;
    }
    b[..b.len() - pad]
        .iter()
        .all(|&c| c.is_ascii_alphanumeric() || c == b'+' || c == b'/')
}

/// Go's `time.Parse(time.RFC3339, s)` succeeds: `2006-01-02T15:04:05[.frac](Z|±07:00)`.
fn is_rfc3339(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b.get(r.clone())
            .is_some_and(|x| x.iter().all(u8::is_ascii_digit))
    };
    let num = |r: std::ops::Range<usize>| -> u32 { s[r].parse().unwrap_or(99) };
    if b.len() < 20
        || !digits(0..4)
        || b[4] != b'-'
        || !digits(5..7)
        || b[7] != b'-'
        || !digits(8..10)
        || b[10] != b'T'
        || !digits(11..13)
        || b[13] != b':'
        || !digits(14..16)
        || b[16] != b':'
        || !digits(17..19)
    {
        return false;
    }
    let (month, day, hour, min, sec) =
        (num(5..7), num(8..10), num(11..13), num(14..16), num(17..19));
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || min > 59 || sec > 59 {
        return false;
    }
    let mut i = 19;
    if b[i] == b'.' {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    match &b[i..] {
        [b'Z'] => true,
        [sign, h1, h2, b':', m1, m2] if *sign == b'+' || *sign == b'-' => {
            [h1, h2, m1, m2].iter().all(|c| c.is_ascii_digit())
                && num(i + 1..i + 3) <= 23
                && num(i + 4..i + 6) <= 59
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert!(is_base64("aGVsbG8="));
        assert!(is_base64(""));
        assert!(!is_base64("aGVsbG8"));
        assert!(!is_base64("hello!!!"));
        assert!(is_rfc3339("2024-01-02T03:04:05Z"));
        assert!(is_rfc3339("2024-01-02T03:04:05.123+02:00"));
        assert!(!is_rfc3339("2024-01-02 03:04:05Z"));
        assert!(!is_rfc3339("2024-13-02T03:04:05Z"));
        assert!(!is_rfc3339("yesterday"));
    }
}
