//! Sprig and Helm functions: serialization (`toYaml mustToYaml toYamlPretty fromYaml fromYamlArray toJson
//! mustToJson toPrettyJson mustToPrettyJson toRawJson mustToRawJson fromJson fromJsonArray
//! toToml fromToml`), with Helm 4's behaviour.
//!
//! * YAML goes through [`goyaml`]: `toYaml` is sigs.k8s.io/yaml `Marshal` minus one trailing
//!   newline (`""` on error); `fromYaml` reads the first document through Helm's YAML→JSON→Go
//!   round trip (numbers float64), and on error returns a map whose key `Error` holds the message.
//! * JSON is Go's `encoding/json`: keys byte-sorted, `<`/`>`/`&` and U+2028/U+2029 escaped
//!   (except `toRawJson`, which does not escape HTML), its float format (`1e+21`, `2.5e-7`).
//!   `fromJson` reports Go's syntax errors (`invalid character 'x' after top-level value`).
//! * TOML is BurntSushi/toml's encoder layout (plain keys first, then tables; Helm 4's v1.6
//!   writes floats in the shortest form, Helm 3's v1.4 as plain decimals); `fromToml` is
//!   [`crate::btoml`], with BurntSushi's error texts.

use base64::Engine as _;
use gotmpl::{Func, FuncError, FuncMap, FuncResult, GoVersion, List, Map, Param, Signature, Value};
use goyaml::{NodeValue, Yaml};

fn add(m: &mut FuncMap, name: &str, param: Param, f: fn(&Value) -> FuncResult) {
    m.insert(
        name,
        Func::new(Signature::fixed(&[param]), move |_, a| {
            f(a.first().unwrap_or(&Value::Nil))
        }),
    );
}

fn arg_str(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

/// Adds this family's functions to `m`.
pub(crate) fn register(m: &mut FuncMap) {
    add(m, "toYaml", Param::Any, |v| {
        Ok(to_yaml(v).unwrap_or_default().into())
    });
    add(m, "mustToYaml", Param::Any, |v| Ok(to_yaml(v)?.into()));
    add(m, "toYamlPretty", Param::Any, |v| {
        Ok(to_yaml_pretty(v).unwrap_or_default().into())
    });
    add(m, "fromYaml", Param::String, |v| Ok(from_yaml(arg_str(v))));
    add(m, "fromYamlArray", Param::String, |v| {
        Ok(from_yaml_array(arg_str(v)))
    });
    add(m, "toJson", Param::Any, |v| {
        Ok(to_json(v, Json::default()).unwrap_or_default().into())
    });
    add(m, "mustToJson", Param::Any, |v| {
        Ok(to_json(v, Json::default())?.into())
    });
    add(m, "toPrettyJson", Param::Any, |v| {
        Ok(to_json(v, Json::pretty()).unwrap_or_default().into())
    });
    add(m, "mustToPrettyJson", Param::Any, |v| {
        Ok(to_json(v, Json::pretty())?.into())
    });
    add(m, "toRawJson", Param::Any, |v| {
        Ok(to_json(v, Json::raw()).unwrap_or_default().into())
    });
    add(m, "mustToRawJson", Param::Any, |v| {
        Ok(to_json(v, Json::raw())?.into())
    });
    add(m, "fromJson", Param::String, |v| Ok(from_json(arg_str(v))));
    add(m, "mustFromJson", Param::String, |v| {
        must_from_json(arg_str(v))
    });
    add(m, "fromJsonArray", Param::String, |v| {
        Ok(from_json_array(arg_str(v)))
    });
    m.insert(
        "toToml",
        Func::new(Signature::fixed(&[Param::Any]), |ctx, a| {
            let floats = if ctx.template_set().options().go_version >= GoVersion::Go1_25 {
                TomlFloats::Shortest
            } else {
                TomlFloats::Decimal
            };
            to_toml(a.first().unwrap_or(&Value::Nil), floats)
        }),
    );
    m.insert(
        "fromToml",
        Func::new(Signature::fixed(&[Param::String]), |ctx, a| {
            let release = if ctx.template_set().options().go_version >= GoVersion::Go1_25 {
                crate::btoml::Release::V16
            } else {
                crate::btoml::Release::V14
            };
            let text = a.first().map_or("", arg_str);
            Ok(crate::btoml::from_toml(text, release))
        }),
    );
}

// ---------------------------------------------------------------------------------------------
// Value <-> YAML

/// Converts a template value to what `json.Marshal` would see: `[]byte` becomes its base64
/// text, host objects their list or map view. Functions cannot be encoded.
pub fn value_to_yaml(v: &Value) -> Result<Yaml, String> {
    goyaml::with_stack(|| value_to_yaml_inner(v))
}

fn value_to_yaml_inner(v: &Value) -> Result<Yaml, String> {
    Ok(match v {
        Value::Missing | Value::Nil => Yaml::Null,
        Value::Bool(b) => Yaml::Bool(*b),
        Value::Int(i) | Value::Int64(i) => Yaml::Int(*i),
        Value::Uint8(u) => Yaml::Int(i64::from(*u)),
        Value::Float(f) => Yaml::Float(*f),
        Value::String(s) => Yaml::String(s.to_string()),
        Value::Bytes(b) => Yaml::String(base64::engine::general_purpose::STANDARD.encode(b)),
        Value::List(l) if l.is_nil() => Yaml::Null,
        Value::Map(m) if m.is_nil() => Yaml::Null,
        Value::List(l) => Yaml::Seq(l.iter().map(value_to_yaml).collect::<Result<_, _>>()?),
        Value::Map(m) => Yaml::Map(
            m.read()
                .iter()
                .map(|(k, v)| Ok((k.clone(), value_to_yaml(v)?)))
                .collect::<Result<_, String>>()?,
        ),
        Value::Object(o) => {
            if o.is_nil() {
                Yaml::Null
            } else if let Some(fields) = o.json_struct() {
                Yaml::Map(
                    fields
                        .iter()
                        .map(|(k, v)| Ok((k.clone(), value_to_yaml(v)?)))
                        .collect::<Result<_, String>>()?,
                )
            } else if let Some(j) = o.json_value() {
                value_to_yaml(&j)?
            } else if let Some(m) = o.as_map() {
                value_to_yaml(&Value::Map(m))?
            } else if let Some(l) = o.as_list() {
                value_to_yaml(&Value::List(l))?
            } else {
                Yaml::Map(Vec::new())
            }
        }
        other => return Err(format!("json: unsupported type: {}", other.type_name())),
    })
}

/// A decoded YAML/JSON node as a template value: numbers float64, maps `map[string]interface {}`.
pub fn yaml_to_value(y: &Yaml) -> Value {
    goyaml::with_stack(|| yaml_to_value_inner(y))
}

fn yaml_to_value_inner(y: &Yaml) -> Value {
    match y {
        Yaml::Null => Value::Nil,
        Yaml::Bool(b) => Value::Bool(*b),
        Yaml::Int(i) => Value::Float(*i as f64),
        Yaml::Float(f) => Value::Float(*f),
        Yaml::String(s) => Value::string(s.as_str()),
        Yaml::Seq(items) => Value::list(items.iter().map(yaml_to_value).collect()),
        Yaml::Map(entries) => {
            let m = Map::new();
            {
                let mut w = m.write();
                for (k, v) in entries {
                    w.insert(k.clone(), yaml_to_value(v));
                }
            }
            Value::Map(m)
        }
    }
}

/// Helm's `toYaml`/`mustToYaml`: sigs.k8s.io/yaml `Marshal`, one trailing newline removed.
pub fn to_yaml(v: &Value) -> Result<String, FuncError> {
    let y =
        value_to_yaml(v).map_err(|e| FuncError::new(format!("error marshaling into JSON: {e}")))?;
    let mut out = goyaml::to_yaml(&y).map_err(|e| {
        if e.message.starts_with("json: ") {
            FuncError::new(format!("error marshaling into JSON: {}", e.message))
        } else {
            FuncError::new(format!("error converting JSON to YAML: {}", e.message))
        }
    })?;
    if out.ends_with('\n') {
        out.pop();
    }
    Ok(out)
}

/// Helm's `toYamlPretty`: yaml.v3 with indent 2, one trailing newline removed; `""` on error.
pub fn to_yaml_pretty(v: &Value) -> Option<String> {
    let y = value_to_yaml(v).ok()?;
    let mut out = goyaml::to_yaml_pretty(&y).ok()?;
    if out.ends_with('\n') {
        out.pop();
    }
    Some(out)
}

fn error_map(msg: String) -> Value {
    let m = Map::new();
    m.insert("Error", Value::string(msg));
    Value::Map(m)
}

fn json_kind(n: &NodeValue) -> &'static str {
    match n {
        NodeValue::Null => "null",
        NodeValue::Bool(_) => "bool",
        NodeValue::Float(_) => "number",
        NodeValue::String(_) => "string",
        NodeValue::Seq(_) => "array",
        NodeValue::Map(_) => "object",
    }
}

const UNMARSHAL_PREFIX: &str =
    "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal";

/// Helm's `fromYaml`: the first document as a map; errors in a map under `Error`.
pub fn from_yaml(s: &str) -> Value {
    match goyaml::load(s, 0) {
        Err(e) => error_map(e.helm_message()),
        Ok(n) => match &n.value {
            NodeValue::Map(_) => yaml_to_value(&n.to_yaml()),
            NodeValue::Null => Value::Map(Map::new()),
            other => error_map(format!(
                "{UNMARSHAL_PREFIX} {} into Go value of type map[string]interface {{}}",
                json_kind(other)
            )),
        },
    }
}

/// Helm's `fromYamlArray`: the first document as a list; an error as a one-element list.
pub fn from_yaml_array(s: &str) -> Value {
    match goyaml::load(s, 0) {
        Err(e) => Value::list(vec![Value::string(e.helm_message())]),
        Ok(n) => match &n.value {
            NodeValue::Seq(_) => yaml_to_value(&n.to_yaml()),
            NodeValue::Null => Value::list(Vec::new()),
            other => Value::list(vec![Value::string(format!(
                "{UNMARSHAL_PREFIX} {} into Go value of type []interface {{}}",
                json_kind(other)
            ))]),
        },
    }
}

// ---------------------------------------------------------------------------------------------
// JSON encoding (Go's encoding/json)

/// Options of the JSON encoder.
#[derive(Clone, Copy, Default)]
struct Json {
    indent: bool,
    no_html_escape: bool,
}

impl Json {
    fn pretty() -> Json {
        Json {
            indent: true,
            no_html_escape: false,
        }
    }
    fn raw() -> Json {
        Json {
            indent: false,
            no_html_escape: true,
        }
    }
}

/// Go's `json.Marshal` (or `MarshalIndent(v, "", "  ")`, or an `Encoder` without HTML escaping).
fn to_json(v: &Value, opts: Json) -> Result<String, FuncError> {
    let y = value_to_yaml(v).map_err(FuncError::new)?;
    let mut out = String::new();
    write_json(&mut out, &y, opts, 0).map_err(FuncError::new)?;
    Ok(out)
}

/// Writes a Go JSON string literal.
pub fn json_quote(out: &mut String, s: &str, escape_html: bool) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' if escape_html => out.push_str(&format!("\\u{:04x}", c as u32)),
            '\u{2028}' | '\u{2029}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn newline(out: &mut String, opts: Json, depth: usize) {
    if opts.indent {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("  ");
        }
    }
}

fn write_json(out: &mut String, y: &Yaml, opts: Json, depth: usize) -> Result<(), String> {
    goyaml::with_stack(|| write_json_inner(out, y, opts, depth))
}

fn write_json_inner(out: &mut String, y: &Yaml, opts: Json, depth: usize) -> Result<(), String> {
    match y {
        Yaml::Null => out.push_str("null"),
        Yaml::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Yaml::Int(i) => out.push_str(&i.to_string()),
        Yaml::Float(f) => match goyaml::number::format_json(*f) {
            Some(s) => out.push_str(&s),
            None => {
                return Err(format!(
                    "json: unsupported value: {}",
                    goyaml::number::format_g(*f)
                ));
            }
        },
        Yaml::String(s) => json_quote(out, s, !opts.no_html_escape),
        Yaml::Seq(items) => {
            if items.is_empty() {
                out.push_str("[]");
                return Ok(());
            }
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, opts, depth + 1);
                write_json(out, item, opts, depth + 1)?;
            }
            newline(out, opts, depth);
            out.push(']');
        }
        Yaml::Map(entries) => {
            if entries.is_empty() {
                out.push_str("{}");
                return Ok(());
            }
            // Maps arrive key-sorted (Go's encoder sorts map keys); structs keep their field
            // order, as `encoding/json` writes them.
            out.push('{');
            for (i, (k, v)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, opts, depth + 1);
                json_quote(out, k, !opts.no_html_escape);
                out.push(':');
                if opts.indent {
                    out.push(' ');
                }
                write_json(out, v, opts, depth + 1)?;
            }
            newline(out, opts, depth);
            out.push('}');
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// JSON decoding (Go's encoding/json into interface{}): Go's syntax error texts.

/// A parsed JSON value; numbers keep their text.
enum J {
    Null,
    Bool(bool),
    Num(String),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

struct JsonParser<'a> {
    b: &'a [u8],
    i: usize,
    depth: usize,
}

const MAX_JSON_DEPTH: usize = 10_000;

fn quote_char(c: u8) -> String {
    match c {
        b'\'' => "'\\''".into(),
        b'"' => "'\"'".into(),
        c => {
            let ch = char::from(c);
            let q = gotmpl::gofmt::quote(&ch.to_string());
            format!("'{}'", &q[1..q.len() - 1])
        }
    }
}

type JResult<T> = Result<T, String>;

impl JsonParser<'_> {
    fn eof() -> String {
        "unexpected end of JSON input".into()
    }

    fn invalid(&self, context: &str) -> String {
        format!("invalid character {} {context}", quote_char(self.b[self.i]))
    }

    fn skip_ws(&mut self) {
        while self.i < self.b.len() && matches!(self.b[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn value(&mut self) -> JResult<J> {
        goyaml::with_stack(|| self.value_inner())
    }

    fn value_inner(&mut self) -> JResult<J> {
        self.skip_ws();
        let Some(c) = self.peek() else {
            return Err(Self::eof());
        };
        match c {
            b'{' => self.object(),
            b'[' => self.array(),
            b'"' => Ok(J::Str(self.string()?)),
            b'-' | b'0'..=b'9' => self.number(),
            b't' => self.literal("true", J::Bool(true)),
            b'f' => self.literal("false", J::Bool(false)),
            b'n' => self.literal("null", J::Null),
            _ => Err(self.invalid("looking for beginning of value")),
        }
    }

    fn literal(&mut self, word: &str, v: J) -> JResult<J> {
        let w = word.as_bytes();
        self.i += 1;
        for &expect in &w[1..] {
            match self.peek() {
                None => {
                    return Err(format!(
                        "invalid character ' ' in literal {word} (expecting {})",
                        quote_char(expect)
                    ));
                }
                Some(c) if c == expect => self.i += 1,
                Some(_) => {
                    return Err(self.invalid(&format!(
                        "in literal {word} (expecting {})",
                        quote_char(expect)
                    )));
                }
            }
        }
        Ok(v)
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
        self.i - start
    }

    fn number(&mut self) -> JResult<J> {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
            match self.peek() {
                None => return Err("invalid character ' ' in numeric literal".into()),
                Some(b'0'..=b'9') => {}
                Some(_) => return Err(self.invalid("in numeric literal")),
            }
        }
        if self.peek() == Some(b'0') {
            self.i += 1;
        } else {
            self.digits();
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            match self.peek() {
                None => {
                    return Err(
                        "invalid character ' ' after decimal point in numeric literal".into(),
                    );
                }
                Some(b'0'..=b'9') => {
                    self.digits();
                }
                Some(_) => return Err(self.invalid("after decimal point in numeric literal")),
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            match self.peek() {
                None => return Err("invalid character ' ' in exponent of numeric literal".into()),
                Some(b'0'..=b'9') => {
                    self.digits();
                }
                Some(_) => return Err(self.invalid("in exponent of numeric literal")),
            }
        }
        Ok(J::Num(
            String::from_utf8_lossy(&self.b[start..self.i]).into_owned(),
        ))
    }

    fn hex4(&mut self) -> JResult<u32> {
        let mut v = 0;
        for _ in 0..4 {
            let Some(c) = self.peek() else {
                return Err(Self::eof());
            };
            let d = (c as char)
                .to_digit(16)
                .ok_or_else(|| self.invalid("in \\u hexadecimal character escape"))?;
            v = v * 16 + d;
            self.i += 1;
        }
        Ok(v)
    }

    fn string(&mut self) -> JResult<String> {
        self.i += 1;
        let mut out: Vec<u8> = Vec::new();
        loop {
            let Some(c) = self.peek() else {
                return Err(Self::eof());
            };
            match c {
                b'"' => {
                    self.i += 1;
                    break;
                }
                b'\\' => {
                    self.i += 1;
                    let Some(e) = self.peek() else {
                        return Err(Self::eof());
                    };
                    let simple = match e {
                        b'"' => Some(b'"'),
                        b'\\' => Some(b'\\'),
                        b'/' => Some(b'/'),
                        b'b' => Some(8),
                        b'f' => Some(12),
                        b'n' => Some(b'\n'),
                        b'r' => Some(b'\r'),
                        b't' => Some(b'\t'),
                        b'u' => None,
                        _ => return Err(self.invalid("in string escape code")),
                    };
                    self.i += 1;
                    if let Some(s) = simple {
                        out.push(s);
                        continue;
                    }
                    let mut cp = self.hex4()?;
                    if (0xD800..0xDC00).contains(&cp) {
                        // A surrogate pair, if a low surrogate escape follows.
                        let save = self.i;
                        if self.b.get(self.i) == Some(&b'\\')
                            && self.b.get(self.i + 1) == Some(&b'u')
                        {
                            self.i += 2;
                            match self.hex4() {
                                Ok(lo) if (0xDC00..0xE000).contains(&lo) => {
                                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                                }
                                Ok(_) => {
                                    self.i = save;
                                    cp = 0xFFFD;
                                }
                                Err(e) => return Err(e),
                            }
                        } else {
                            cp = 0xFFFD;
                        }
                    }
                    let ch = char::from_u32(cp).unwrap_or('\u{FFFD}');
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                }
                c if c < 0x20 => return Err(self.invalid("in string literal")),
                c => {
                    out.push(c);
                    self.i += 1;
                }
            }
        }
        Ok(String::from_utf8_lossy(&out).into_owned())
    }

    fn enter(&mut self) -> JResult<()> {
        self.depth += 1;
        if self.depth > MAX_JSON_DEPTH {
            return Err(self.invalid("exceeded max depth"));
        }
        Ok(())
    }

    fn array(&mut self) -> JResult<J> {
        self.enter()?;
        self.i += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.i += 1;
            self.depth -= 1;
            return Ok(J::Arr(items));
        }
        loop {
            items.push(self.value()?);
            self.skip_ws();
            match self.peek() {
                None => return Err(Self::eof()),
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    break;
                }
                Some(_) => return Err(self.invalid("after array element")),
            }
        }
        self.depth -= 1;
        Ok(J::Arr(items))
    }

    fn object(&mut self) -> JResult<J> {
        self.enter()?;
        self.i += 1;
        let mut entries = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.i += 1;
            self.depth -= 1;
            return Ok(J::Obj(entries));
        }
        loop {
            self.skip_ws();
            match self.peek() {
                None => return Err(Self::eof()),
                Some(b'"') => {}
                Some(_) => return Err(self.invalid("looking for beginning of object key string")),
            }
            let k = self.string()?;
            self.skip_ws();
            match self.peek() {
                None => return Err(Self::eof()),
                Some(b':') => self.i += 1,
                Some(_) => return Err(self.invalid("after object key")),
            }
            let v = self.value()?;
            entries.push((k, v));
            self.skip_ws();
            match self.peek() {
                None => return Err(Self::eof()),
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    break;
                }
                Some(_) => return Err(self.invalid("after object key:value pair")),
            }
        }
        self.depth -= 1;
        Ok(J::Obj(entries))
    }
}

/// Parses a whole JSON text with Go's syntax checks.
fn parse_json(s: &str) -> JResult<J> {
    let mut p = JsonParser {
        b: s.as_bytes(),
        i: 0,
        depth: 0,
    };
    let v = p.value()?;
    p.skip_ws();
    if p.i < p.b.len() {
        return Err(p.invalid("after top-level value"));
    }
    Ok(v)
}

/// Converts to a template value; the first number float64 cannot hold is reported (the value
/// becomes nil), as Go's decoder does.
fn j_to_value(j: J, first_err: &mut Option<String>) -> Value {
    goyaml::with_stack(|| j_to_value_inner(j, first_err))
}

fn j_to_value_inner(j: J, first_err: &mut Option<String>) -> Value {
    match j {
        J::Null => Value::Nil,
        J::Bool(b) => Value::Bool(b),
        J::Num(t) => match t.parse::<f64>() {
            Ok(f) if f.is_finite() => Value::Float(f),
            _ => {
                first_err.get_or_insert_with(|| {
                    format!("json: cannot unmarshal number {t} into Go value of type float64")
                });
                Value::Nil
            }
        },
        J::Str(s) => Value::string(s),
        J::Arr(items) => Value::List(List::new(
            items
                .into_iter()
                .map(|i| j_to_value(i, first_err))
                .collect(),
        )),
        J::Obj(entries) => {
            let m = Map::new();
            {
                let mut w = m.write();
                for (k, v) in entries {
                    let v = j_to_value(v, first_err);
                    w.insert(k, v);
                }
            }
            Value::Map(m)
        }
    }
}

fn j_kind(j: &J) -> &'static str {
    match j {
        J::Null => "null",
        J::Bool(_) => "bool",
        J::Num(_) => "number",
        J::Str(_) => "string",
        J::Arr(_) => "array",
        J::Obj(_) => "object",
    }
}

/// Sprig's `fromJson`: a map; on error the (partial) map with the message under `Error`.
pub fn from_json(s: &str) -> Value {
    let j = match parse_json(s) {
        Ok(j) => j,
        Err(e) => return error_map(e),
    };
    match j {
        // A JSON null sets Go's map to nil.
        J::Null => Value::Nil,
        J::Obj(_) => {
            let mut err = None;
            let v = match j_to_value(j, &mut err) {
                Value::Map(m) => m,
                _ => Map::new(),
            };
            if let Some(e) = err {
                v.insert("Error", Value::string(e));
            }
            Value::Map(v)
        }
        other => error_map(format!(
            "json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
            j_kind(&other)
        )),
    }
}

/// Sprig's `mustFromJson`: any JSON value (not only an object); a decoding error aborts.
pub fn must_from_json(s: &str) -> FuncResult {
    let j = parse_json(s).map_err(FuncError::new)?;
    let mut err = None;
    let v = j_to_value(j, &mut err);
    match err {
        Some(e) => Err(FuncError::new(e)),
        None => Ok(v),
    }
}

/// Sprig's `fromJsonArray`: a list; on error a one-element list with the message.
pub fn from_json_array(s: &str) -> Value {
    let j = match parse_json(s) {
        Ok(j) => j,
        Err(e) => return Value::list(vec![Value::string(e)]),
    };
    match j {
        J::Arr(_) => {
            let mut err = None;
            let v = j_to_value(j, &mut err);
            match err {
                Some(e) => Value::list(vec![Value::string(e)]),
                None => v,
            }
        }
        J::Null => Value::Nil,
        other => Value::list(vec![Value::string(format!(
            "json: cannot unmarshal {} into Go value of type []interface {{}}",
            j_kind(&other)
        ))]),
    }
}

// ---------------------------------------------------------------------------------------------
// TOML

fn toml_bare_key(k: &str) -> bool {
    !k.is_empty()
        && k.bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
}

fn toml_key(k: &str) -> String {
    if toml_bare_key(k) {
        k.to_string()
    } else {
        toml_quote(k)
    }
}

fn toml_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\u{:04X}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// How BurntSushi/toml writes floats: Helm 4's v1.6 uses the shortest form (`1e+21`), Helm 3's
/// v1.4 always plain decimals (`1000000000000000000000.0`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum TomlFloats {
    Shortest,
    Decimal,
}

fn toml_float(f: f64, floats: TomlFloats) -> String {
    if floats == TomlFloats::Decimal && f.is_finite() {
        // strconv.FormatFloat(f, 'f', -1, 64), plus `.0` when there is no point; Rust's
        // `Display` is the same shortest decimal without exponent.
        let s = f.to_string();
        return if s.contains('.') { s } else { format!("{s}.0") };
    }
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf" } else { "-inf" }.into();
    }
    let s = goyaml::number::format_g(f);
    if s.contains('.') || s.contains('e') {
        if s.contains('e') && !s.contains('.') {
            // BurntSushi writes `1e+06` as is.
            return s;
        }
        s
    } else {
        format!("{s}.0")
    }
}

fn toml_is_table(v: &Value) -> bool {
    match v {
        Value::Map(_) => true,
        Value::List(l) => !l.is_empty() && l.iter().all(|i| matches!(i, Value::Map(_))),
        _ => false,
    }
}

/// A value in inline form; `Ok(None)` for nil (skipped in tables); `Err` is BurntSushi's error
/// text (which Helm returns as the result).
fn toml_inline(v: &Value, floats: TomlFloats) -> Result<Option<String>, String> {
    Ok(Some(match v {
        Value::Missing | Value::Nil => return Ok(None),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) | Value::Int64(i) => i.to_string(),
        Value::Uint8(u) => u.to_string(),
        Value::Float(f) => toml_float(*f, floats),
        Value::String(s) => toml_quote(s),
        Value::Bytes(b) => toml_quote(&String::from_utf8_lossy(b)),
        Value::List(l) => {
            let mut parts = Vec::with_capacity(l.len());
            for item in l.iter() {
                match toml_inline(item, floats)? {
                    Some(p) => parts.push(p),
                    None => return Err("toml: cannot encode array with nil element".into()),
                }
            }
            format!("[{}]", parts.join(", "))
        }
        Value::Map(m) => {
            let mut parts = Vec::new();
            for (k, v) in m.read().iter() {
                if let Some(text) = toml_inline(v, floats)? {
                    parts.push(format!("{} = {text}", toml_key(k)));
                }
            }
            format!("{{{}}}", parts.join(", "))
        }
        _ => return Ok(None),
    }))
}

fn toml_newline(out: &mut String) {
    if !out.is_empty() {
        out.push('\n');
    }
}

fn toml_table(
    out: &mut String,
    path: &[String],
    m: &Map,
    floats: TomlFloats,
) -> Result<(), String> {
    let entries = m.entries();
    let pad = "  ".repeat(path.len());
    for (k, v) in &entries {
        if toml_is_table(v) {
            continue;
        }
        if let Some(text) = toml_inline(v, floats)? {
            out.push_str(&format!("{pad}{} = {text}\n", toml_key(k)));
        }
    }
    for (k, v) in &entries {
        if !toml_is_table(v) {
            continue;
        }
        let mut sub = path.to_vec();
        sub.push(toml_key(k));
        let head = sub.join(".");
        match v {
            Value::Map(sm) => {
                if sub.len() == 1 {
                    toml_newline(out);
                }
                out.push_str(&format!("{pad}[{head}]\n"));
                toml_table(out, &sub, sm, floats)?;
            }
            Value::List(l) => {
                for item in l.iter() {
                    if let Value::Map(sm) = item {
                        toml_newline(out);
                        out.push_str(&format!("{pad}[[{head}]]\n"));
                        toml_table(out, &sub, sm, floats)?;
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Helm's `toToml` (BurntSushi/toml's encoder, Helm 4's float format); an encoding error is
/// returned as the text, as Helm does; nil fails (Helm's reflect error).
fn to_toml(v: &Value, floats: TomlFloats) -> FuncResult {
    let text = match v {
        Value::Missing | Value::Nil => {
            return Err(FuncError::new(
                "reflect: call of reflect.Value.Type on zero Value",
            ));
        }
        Value::Map(m) => {
            let mut out = String::new();
            match toml_table(&mut out, &[], m, floats) {
                Ok(()) => out,
                Err(e) => e,
            }
        }
        other if toml_is_table(other) => "toml: top-level values must be Go maps or structs".into(),
        other => match toml_inline(other, floats) {
            Ok(t) => t.unwrap_or_default(),
            Err(e) => e,
        },
    };
    Ok(text.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_errors_match_go() {
        let err = |s: &str| match parse_json(s) {
            Err(e) => e,
            Ok(_) => "ok".into(),
        };
        assert_eq!(err(""), "unexpected end of JSON input");
        assert_eq!(
            err("{\"a\":1}x"),
            "invalid character 'x' after top-level value"
        );
        assert_eq!(
            err("{b"),
            "invalid character 'b' looking for beginning of object key string"
        );
        assert_eq!(err("[1,2"), "unexpected end of JSON input");
        assert_eq!(
            err("tx"),
            "invalid character 'x' in literal true (expecting 'r')"
        );
        assert_eq!(err("[01]"), "invalid character '1' after array element");
    }

    #[test]
    fn json_encoding() {
        let m = Map::new();
        m.insert("h", Value::string("<&>\u{2028}"));
        m.insert("f", Value::Float(1e21));
        m.insert("a", Value::list(vec![Value::Int(1), Value::Float(2.5e-7)]));
        let v = Value::Map(m);
        assert_eq!(
            to_json(&v, Json::default()).unwrap(),
            r#"{"a":[1,2.5e-7],"f":1e+21,"h":"\u003c\u0026\u003e\u2028"}"#
        );
        assert_eq!(
            to_json(&v, Json::raw()).unwrap(),
            "{\"a\":[1,2.5e-7],\"f\":1e+21,\"h\":\"<&>\\u2028\"}"
        );
    }
}
