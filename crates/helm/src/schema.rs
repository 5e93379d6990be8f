//! `values.schema.json` validation with Helm's messages: Helm 4 (jsonschema v6, a tree of
//! `- at '/ptr': message` lines) and Helm 3 (gojsonschema, flat `- path: Message` lines).
//!
//! The common keywords are supported: `type`, `enum`, `const`, numeric and length limits,
//! `pattern`, `items`, `required`, `properties`, `patternProperties`, `additionalProperties`,
//! property counts, `uniqueItems`, `allOf`/`anyOf`/`oneOf`/`not` and local `$ref`s. Where Helm
//! itself reports several failing properties in Go's random map order, errors come in property
//! name order.

use serde_json::Value as J;

use crate::Flavor;

/// One failure, with the failures below it (Helm 4 nests them).
#[derive(Debug, Clone)]
struct Failure {
    /// JSON pointer of the instance.
    ptr: String,
    /// Dotted path (Helm 3), `(root)` at the top.
    dotted: String,
    h4: String,
    /// Helm 3's messages for this failure itself.
    h3: Vec<String>,
    /// Nested failures (Helm 4 indents them under this one).
    children: Vec<Failure>,
    /// The failures Helm 3 lists after this one (the first alternative of `anyOf`/`oneOf`).
    h3_children: Vec<Failure>,
}

struct Ctx<'a> {
    root: &'a J,
}

fn type_name_h4(v: &J) -> &'static str {
    match v {
        J::Null => "null",
        J::Bool(_) => "boolean",
        J::Number(_) => "number",
        J::String(_) => "string",
        J::Array(_) => "array",
        J::Object(_) => "object",
    }
}

fn type_name_h3(v: &J) -> &'static str {
    match v {
        J::Number(n) if n.as_f64().is_some_and(|f| f.fract() == 0.0) => "integer",
        v => type_name_h4(v),
    }
}

fn is_type(v: &J, t: &str) -> bool {
    match t {
        "integer" => v.as_f64().is_some_and(|f| f.fract() == 0.0),
        "number" => v.is_number(),
        "string" => v.is_string(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        "array" => v.is_array(),
        "object" => v.is_object(),
        _ => true,
    }
}

fn num(v: &J) -> String {
    match v.as_f64() {
        Some(f) => gotmpl::gofmt::format_value(&gotmpl::Value::Float(f)),
        None => v.to_string(),
    }
}

fn h4_literal(v: &J) -> String {
    match v {
        J::Null => "<nil>".into(),
        J::String(s) => format!("'{s}'"),
        J::Number(_) => num(v),
        other => other.to_string(),
    }
}

fn h3_literal(v: &J) -> String {
    match v {
        J::Number(_) => num(v),
        other => other.to_string(),
    }
}

fn child_ptr(ptr: &str, key: &str) -> String {
    format!("{ptr}/{}", key.replace('~', "~0").replace('/', "~1"))
}

fn child_dotted(dotted: &str, key: &str) -> String {
    if dotted == "(root)" {
        key.to_string()
    } else {
        format!("{dotted}.{key}")
    }
}

fn leaf(ptr: &str, dotted: &str, h4: String, h3: Vec<String>) -> Failure {
    Failure {
        ptr: ptr.into(),
        dotted: dotted.into(),
        h4,
        h3,
        children: Vec::new(),
        h3_children: Vec::new(),
    }
}

impl Ctx<'_> {
    fn resolve<'s>(&'s self, schema: &'s J) -> &'s J {
        let mut s = schema;
        for _ in 0..32 {
            match s.get("$ref").and_then(J::as_str) {
                Some(r) if r.starts_with('#') => match self.root.pointer(&r[1..]) {
                    Some(t) => s = t,
                    None => return s,
                },
                _ => return s,
            }
        }
        s
    }

    /// Validates `v` against `schema`; returns the failures of this schema object.
    fn validate(&self, schema: &J, v: &J, ptr: &str, dotted: &str) -> Vec<Failure> {
        let schema = self.resolve(schema);
        let J::Object(s) = schema else {
            return match schema {
                J::Bool(false) => vec![leaf(
                    ptr,
                    dotted,
                    "false schema".into(),
                    vec!["False always fails validation".into()],
                )],
                _ => Vec::new(),
            };
        };
        let mut out = Vec::new();
        if let Some(t) = s.get("type") {
            let types: Vec<&str> = match t {
                J::String(x) => vec![x.as_str()],
                J::Array(a) => a.iter().filter_map(J::as_str).collect(),
                _ => vec![],
            };
            if !types.is_empty() && !types.iter().any(|t| is_type(v, t)) {
                let mut sorted = types.clone();
                sorted.sort_unstable();
                let want = sorted.join(" or ");
                let expected = if types.len() == 1 {
                    types[0].to_string()
                } else {
                    format!("[{}]", types.join(","))
                };
                out.push(leaf(
                    ptr,
                    dotted,
                    format!("got {}, want {want}", type_name_h4(v)),
                    vec![format!(
                        "Invalid type. Expected: {expected}, given: {}",
                        type_name_h3(v)
                    )],
                ));
                return out;
            }
        }
        if let Some(c) = s.get("const")
            && !json_eq(c, v)
        {
            out.push(leaf(
                ptr,
                dotted,
                format!("value must be {}", h4_literal(c)),
                vec![format!("{dotted} does not match: {}", h3_literal(c))],
            ));
        }
        if let Some(J::Array(e)) = s.get("enum")
            && !e.iter().any(|x| json_eq(x, v))
        {
            let h4: Vec<String> = e.iter().map(h4_literal).collect();
            let h3: Vec<String> = e.iter().map(h3_literal).collect();
            out.push(leaf(
                ptr,
                dotted,
                format!("value must be one of {}", h4.join(", ")),
                vec![format!(
                    "{dotted} must be one of the following: {}",
                    h3.join(", ")
                )],
            ));
        }
        if let Some(x) = v.as_f64() {
            let check = |key: &str, bad: fn(f64, f64) -> bool, h3: &str| -> Option<Failure> {
                let lim = s.get(key)?;
                let l = lim.as_f64()?;
                bad(x, l).then(|| {
                    leaf(
                        ptr,
                        dotted,
                        format!("{key}: got {}, want {}", num(v), num(lim)),
                        vec![format!("{h3} {}", num(lim))],
                    )
                })
            };
            out.extend(check(
                "minimum",
                |x, l| x < l,
                "Must be greater than or equal to",
            ));
            out.extend(check(
                "maximum",
                |x, l| x > l,
                "Must be less than or equal to",
            ));
            out.extend(check(
                "exclusiveMinimum",
                |x, l| x <= l,
                "Must be greater than",
            ));
            out.extend(check(
                "exclusiveMaximum",
                |x, l| x >= l,
                "Must be less than",
            ));
            out.extend(check(
                "multipleOf",
                |x, l| l != 0.0 && (x / l).fract() != 0.0,
                "Must be a multiple of",
            ));
        }
        if let J::String(st) = v {
            let len = st.chars().count() as f64;
            if let Some(m) = s.get("minLength").and_then(J::as_f64)
                && len < m
            {
                out.push(leaf(
                    ptr,
                    dotted,
                    format!("minLength: got {len}, want {m}"),
                    vec![format!(
                        "String length must be greater than or equal to {m}"
                    )],
                ));
            }
            if let Some(m) = s.get("maxLength").and_then(J::as_f64)
                && len > m
            {
                out.push(leaf(
                    ptr,
                    dotted,
                    format!("maxLength: got {len}, want {m}"),
                    vec![format!("String length must be less than or equal to {m}")],
                ));
            }
            if let Some(p) = s.get("pattern").and_then(J::as_str)
                && let Some(re) = Pattern::new(p)
                && !re.is_match(st)
            {
                out.push(leaf(
                    ptr,
                    dotted,
                    format!("'{st}' does not match pattern '{p}'"),
                    vec![format!("Does not match pattern '{p}'")],
                ));
            }
        }
        if let J::Array(items) = v {
            let n = items.len() as f64;
            if let Some(m) = s.get("minItems").and_then(J::as_f64)
                && n < m
            {
                out.push(leaf(
                    ptr,
                    dotted,
                    format!("minItems: got {n}, want {m}"),
                    vec![format!("Array must have at least {m} items")],
                ));
            }
            if let Some(m) = s.get("maxItems").and_then(J::as_f64)
                && n > m
            {
                out.push(leaf(
                    ptr,
                    dotted,
                    format!("maxItems: got {n}, want {m}"),
                    vec![format!("Array must have at most {m} items")],
                ));
            }
            if s.get("uniqueItems").and_then(J::as_bool) == Some(true) {
                'outer: for i in 0..items.len() {
                    for j in i + 1..items.len() {
                        if json_eq(&items[i], &items[j]) {
                            out.push(leaf(
                                ptr,
                                dotted,
                                format!("items at {i} and {j} are equal"),
                                vec![format!("array items[{i},{j}] must be unique")],
                            ));
                            break 'outer;
                        }
                    }
                }
            }
            match s.get("items") {
                Some(J::Array(tuple)) => {
                    for (i, (it, sch)) in items.iter().zip(tuple).enumerate() {
                        out.extend(self.group(
                            sch,
                            it,
                            &child_ptr(ptr, &i.to_string()),
                            &child_dotted(dotted, &i.to_string()),
                        ));
                    }
                }
                Some(sch) => {
                    for (i, it) in items.iter().enumerate() {
                        out.extend(self.group(
                            sch,
                            it,
                            &child_ptr(ptr, &i.to_string()),
                            &child_dotted(dotted, &i.to_string()),
                        ));
                    }
                }
                None => {}
            }
        }
        if let J::Object(obj) = v {
            let n = obj.len() as f64;
            if let Some(m) = s.get("minProperties").and_then(J::as_f64)
                && n < m
            {
                out.push(leaf(
                    ptr,
                    dotted,
                    format!("minProperties: got {n}, want {m}"),
                    vec![format!("Must have at least {m} properties")],
                ));
            }
            if let Some(m) = s.get("maxProperties").and_then(J::as_f64)
                && n > m
            {
                out.push(leaf(
                    ptr,
                    dotted,
                    format!("maxProperties: got {n}, want {m}"),
                    vec![format!("Must have at most {m} properties")],
                ));
            }
            if let Some(J::Array(req)) = s.get("required") {
                let missing: Vec<&str> = req
                    .iter()
                    .filter_map(J::as_str)
                    .filter(|k| !obj.contains_key(*k))
                    .collect();
                if !missing.is_empty() {
                    let quoted: Vec<String> = missing.iter().map(|k| format!("'{k}'")).collect();
                    let h4 = if missing.len() == 1 {
                        format!("missing property {}", quoted[0])
                    } else {
                        format!("missing properties {}", quoted.join(", "))
                    };
                    out.push(leaf(
                        ptr,
                        dotted,
                        h4,
                        missing.iter().map(|k| format!("{k} is required")).collect(),
                    ));
                }
            }
            let props = s.get("properties").and_then(J::as_object);
            let patterns: Vec<(Pattern, &J)> = s
                .get("patternProperties")
                .and_then(J::as_object)
                .map(|m| {
                    m.iter()
                        .filter_map(|(p, sch)| Pattern::new(p).map(|r| (r, sch)))
                        .collect()
                })
                .unwrap_or_default();
            let mut keys: Vec<&String> = obj.keys().collect();
            keys.sort();
            let mut additional = Vec::new();
            for k in keys {
                let val = &obj[k];
                let cptr = child_ptr(ptr, k);
                let cdot = child_dotted(dotted, k);
                let mut matched = false;
                if let Some(sch) = props.and_then(|p| p.get(k)) {
                    matched = true;
                    out.extend(self.group(sch, val, &cptr, &cdot));
                }
                for (re, sch) in &patterns {
                    if re.is_match(k) {
                        matched = true;
                        out.extend(self.group(sch, val, &cptr, &cdot));
                    }
                }
                if !matched {
                    match s.get("additionalProperties") {
                        Some(J::Bool(false)) => additional.push(k.clone()),
                        Some(sch @ J::Object(_)) => out.extend(self.group(sch, val, &cptr, &cdot)),
                        _ => {}
                    }
                }
            }
            if !additional.is_empty() {
                let quoted: Vec<String> = additional.iter().map(|k| format!("'{k}'")).collect();
                out.push(leaf(
                    ptr,
                    dotted,
                    format!("additional properties {} not allowed", quoted.join(", ")),
                    additional
                        .iter()
                        .map(|k| format!("Additional property {k} is not allowed"))
                        .collect(),
                ));
            }
        }
        if let Some(J::Array(all)) = s.get("allOf") {
            let subs: Vec<Failure> = all
                .iter()
                .flat_map(|sch| self.group(sch, v, ptr, dotted))
                .collect();
            if !subs.is_empty() {
                out.push(Failure {
                    ptr: ptr.into(),
                    dotted: dotted.into(),
                    h4: "'allOf' failed".into(),
                    h3: vec!["Must validate all the schemas (allOf)".to_string()],
                    h3_children: subs.clone(),
                    children: subs,
                });
            }
        }
        for (key, h4, h3) in [
            (
                "anyOf",
                "'anyOf' failed",
                "Must validate at least one schema (anyOf)",
            ),
            (
                "oneOf",
                "'oneOf' failed, none matched",
                "Must validate one and only one schema (oneOf)",
            ),
        ] {
            if let Some(J::Array(alts)) = s.get(key) {
                let results: Vec<Vec<Failure>> = alts
                    .iter()
                    .map(|sch| self.group(sch, v, ptr, dotted))
                    .collect();
                let ok = results.iter().filter(|r| r.is_empty()).count();
                if ok == 0 {
                    out.push(Failure {
                        ptr: ptr.into(),
                        dotted: dotted.into(),
                        h4: h4.into(),
                        h3: vec![h3.to_string()],
                        h3_children: results.first().cloned().unwrap_or_default(),
                        children: results.concat(),
                    });
                } else if key == "oneOf" && ok > 1 {
                    let which: Vec<String> = results
                        .iter()
                        .enumerate()
                        .filter(|(_, r)| r.is_empty())
                        .map(|(i, _)| i.to_string())
                        .collect();
                    out.push(leaf(
                        ptr,
                        dotted,
                        format!("'oneOf' failed, subschemas {} matched", which.join(", ")),
                        vec![h3.to_string()],
                    ));
                }
            }
        }
        if let Some(sch) = s.get("not")
            && self.validate(sch, v, ptr, dotted).is_empty()
        {
            out.push(leaf(
                ptr,
                dotted,
                "'not' failed".into(),
                vec!["Must not validate the schema (not)".into()],
            ));
        }
        out
    }

    /// A subschema's failures as its parent sees them: one failure as is, several grouped under
    /// `validation failed`.
    fn group(&self, schema: &J, v: &J, ptr: &str, dotted: &str) -> Vec<Failure> {
        let mut f = stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
            self.validate(schema, v, ptr, dotted)
        });
        if f.len() <= 1 {
            return f;
        }
        let children = std::mem::take(&mut f);
        vec![Failure {
            ptr: ptr.into(),
            dotted: dotted.into(),
            h4: "validation failed".into(),
            h3: Vec::new(),
            h3_children: children.clone(),
            children,
        }]
    }
}

fn json_eq(a: &J, b: &J) -> bool {
    match (a, b) {
        (J::Number(x), J::Number(y)) => x.as_f64() == y.as_f64(),
        (J::Array(x), J::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_eq(p, q))
        }
        (J::Object(x), J::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

fn write_h3(f: &Failure, out: &mut String) {
    for line in &f.h3 {
        out.push_str(&format!("- {}: {line}\n", f.dotted));
    }
    for c in &f.h3_children {
        write_h3(c, out);
    }
}

fn write_h4(f: &Failure, depth: usize, out: &mut String) {
    out.push_str(&"  ".repeat(depth));
    out.push_str(&format!("- at '{}': {}\n", f.ptr, f.h4));
    for c in &f.children {
        write_h4(c, depth + 1, out);
    }
}

/// Validates `values` (as JSON) against the schema text. `Ok(None)` when valid, `Ok(Some(text))`
/// with Helm's error lines for the chart (ending in a newline), `Err` when the schema is not JSON.
pub fn validate(schema_text: &[u8], values: &J, flavor: Flavor) -> Result<Option<String>, String> {
    let schema: J = serde_json::from_slice(schema_text).map_err(|e| e.to_string())?;
    let ctx = Ctx { root: &schema };
    let failures = ctx.validate(&schema, values, "", "(root)");
    if failures.is_empty() {
        return Ok(None);
    }
    let mut out = String::new();
    match flavor {
        Flavor::Helm4 => {
            // jsonschema v6 prints the causes of the top-level error; a single group's causes
            // take its place.
            let top: &[Failure] = match failures.as_slice() {
                [only] if !only.children.is_empty() && only.h4 == "validation failed" => {
                    &only.children
                }
                all => all,
            };
            for f in top {
                write_h4(f, 0, &mut out);
            }
        }
        Flavor::Helm3 => {
            for f in &failures {
                write_h3(f, &mut out);
            }
        }
    }
    Ok(Some(out))
}

/// A `pattern` / `patternProperties` regular expression. Go's validators use Go's RE2 syntax,
/// whose `\d`, `\w` and `\s` are ASCII, like regex-lite's; regex-lite also compiles in
/// microseconds, where the full `regex` crate needs about a millisecond per pattern. Patterns
/// regex-lite cannot read (Unicode classes such as `\p{L}`) fall back to `regex`.
enum Pattern {
    Lite(regex_lite::Regex),
    Full(regex::Regex),
}

impl Pattern {
    fn new(p: &str) -> Option<Pattern> {
        match regex_lite::Regex::new(p) {
            Ok(r) => Some(Pattern::Lite(r)),
            Err(_) => regex::Regex::new(p).ok().map(Pattern::Full),
        }
    }

    fn is_match(&self, s: &str) -> bool {
        match self {
            Pattern::Lite(r) => r.is_match(s),
            Pattern::Full(r) => r.is_match(s),
        }
    }
}

/// One way an instance breaks a schema: where (a JSON pointer into the instance) and why (the
/// message Helm 4 prints for it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// JSON pointer of the offending instance (`/targets/0/chart`; empty for the root).
    pub pointer: String,
    /// What is wrong with it.
    pub message: String,
}

/// Every innermost violation of `schema_text` by `value`, in schema order: the causes rather than
/// the groups that collect them. `Err` when the schema is not JSON.
pub fn violations(schema_text: &[u8], value: &J) -> Result<Vec<Violation>, String> {
    fn leaves(f: &Failure, out: &mut Vec<Violation>) {
        if f.children.is_empty() {
            out.push(Violation {
                pointer: f.ptr.clone(),
                message: f.h4.clone(),
            });
        }
        for c in &f.children {
            leaves(c, out);
        }
    }
    let schema: J = serde_json::from_slice(schema_text).map_err(|e| e.to_string())?;
    let ctx = Ctx { root: &schema };
    let mut out = Vec::new();
    for f in &ctx.validate(&schema, value, "", "(root)") {
        leaves(f, &mut out);
    }
    Ok(out)
}

/// A template value as the JSON the schema sees.
pub fn to_json(v: &gotmpl::Value) -> J {
    use gotmpl::Value as V;
    match v {
        V::Missing | V::Nil => J::Null,
        V::Bool(b) => J::Bool(*b),
        V::Int(i) | V::Int64(i) => J::from(*i),
        V::Uint8(u) => J::from(*u),
        V::Float(f) => serde_json::Number::from_f64(*f)
            .map(J::Number)
            .unwrap_or(J::Null),
        V::String(s) => J::String(s.to_string()),
        V::List(l) => J::Array(l.iter().map(to_json).collect()),
        V::Map(m) => J::Object(
            m.entries()
                .iter()
                .map(|(k, v)| (k.clone(), to_json(v)))
                .collect(),
        ),
        _ => J::Null,
    }
}
