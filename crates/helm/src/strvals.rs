//! Helm's `--set` family parser (`strvals`): `a.b[0].c=x,d={1,2}` into nested maps and lists.
//!
//! Typing (`--set`): `true`/`false`/`null` in any letter case, integers as `int64` unless they
//! start with `0` (except `0` itself); everything else a string. `--set-string` keeps every scalar
//! a string, `--set-json` parses JSON values, `--set-file` reads a file per value (through a
//! callback: this module does no IO), and `--set-literal` takes the rest of the text verbatim.

use gotmpl::{List, Map, Value};

/// Helm's limit on list indexes.
pub const MAX_INDEX: i64 = 65536;
/// Helm's limit on nested key names.
pub const MAX_NESTED_NAME_LEVEL: usize = 30;

/// How values are read.
enum Mode<'a> {
    /// `--set`: typed scalars.
    Typed,
    /// `--set-string`: every scalar a string.
    Strings,
    /// `--set-json`: JSON values.
    Json,
    /// `--set-file`: the value names a file whose content becomes the string.
    File(&'a mut dyn FnMut(&str) -> Result<String, String>),
}

/// Parses a `--set` argument into `dest`.
pub fn parse_into(s: &str, dest: &Map) -> Result<(), String> {
    Parser::new(s, Mode::Typed).parse(dest)
}

/// Parses a `--set-string` argument into `dest`.
pub fn parse_into_string(s: &str, dest: &Map) -> Result<(), String> {
    Parser::new(s, Mode::Strings).parse(dest)
}

/// Parses a `--set-json` `key=JSON` argument into `dest`.
pub fn parse_json(s: &str, dest: &Map) -> Result<(), String> {
    Parser::new(s, Mode::Json).parse(dest)
}

/// Parses a `--set-file` argument into `dest`; `read` returns a file's content.
pub fn parse_into_file(
    s: &str,
    dest: &Map,
    read: &mut dyn FnMut(&str) -> Result<String, String>,
) -> Result<(), String> {
    Parser::new(s, Mode::File(read)).parse(dest)
}

/// Parses a `--set-literal` argument into `dest`.
pub fn parse_literal_into(s: &str, dest: &Map) -> Result<(), String> {
    let mut p = Parser::new(s, Mode::Strings);
    p.literal = true;
    p.parse(dest)
}

/// Helm's `typedVal`.
fn typed_val(s: &str, strings: bool) -> Value {
    if strings {
        return Value::from(s);
    }
    if s.eq_ignore_ascii_case("true") {
        return Value::Bool(true);
    }
    if s.eq_ignore_ascii_case("false") {
        return Value::Bool(false);
    }
    if s.eq_ignore_ascii_case("null") {
        return Value::Nil;
    }
    if s == "0" {
        return Value::Int64(0);
    }
    if !s.is_empty() && !s.starts_with('0') {
        // Go's strconv.ParseInt(s, 10, 64): optional sign, decimal digits only.
        let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
        if !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit())
            && let Ok(i) = s.parse::<i64>()
        {
            return Value::Int64(i);
        }
    }
    Value::from(s)
}

/// A failed `.(map[string]interface{})` or `.([]interface{})` in Helm, which it reports as
/// `unable to parse key: interface conversion: ...`.
struct Conversion(String);

fn conversion_error(v: &Value, want: &str) -> Conversion {
    let have = match v {
        Value::Nil | Value::Missing => "nil".to_string(),
        v => v.type_name(),
    };
    Conversion(format!(
        "interface conversion: interface {{}} is {have}, not {want}"
    ))
}

enum Err {
    Eof,
    Msg(String),
}

impl From<String> for Err {
    fn from(s: String) -> Self {
        Err::Msg(s)
    }
}

impl From<Conversion> for Err {
    fn from(c: Conversion) -> Self {
        Err::Msg(format!("unable to parse key: {}", c.0))
    }
}

struct Parser<'a> {
    chars: Vec<char>,
    pos: usize,
    mode: Mode<'a>,
    literal: bool,
}

/// The list (`[]interface {}`) under `v`, or a conversion error.
fn as_list(v: &Value) -> Result<Vec<Value>, Conversion> {
    match v {
        Value::List(l) if l.elem() == gotmpl::ElemType::Interface => Ok(l.to_vec()),
        v => Err(conversion_error(v, "[]interface {}")),
    }
}

fn as_map(v: &Value) -> Result<Map, Conversion> {
    match v {
        Value::Map(m) => Ok(m.clone()),
        v => Err(conversion_error(v, "map[string]interface {}")),
    }
}

fn set(data: &Map, key: &str, v: Value) {
    if !key.is_empty() {
        data.insert(key, v);
    }
}

fn set_index(mut list: Vec<Value>, index: i64, v: Value) -> Result<Vec<Value>, String> {
    if index < 0 {
        return Err(format!("negative {index} index not allowed"));
    }
    if index > MAX_INDEX {
        return Err(format!(
            "index of {index} is greater than maximum supported index of {MAX_INDEX}"
        ));
    }
    let i = index as usize;
    if list.len() <= i {
        list.resize(i + 1, Value::Nil);
    }
    list[i] = v;
    Ok(list)
}

impl<'a> Parser<'a> {
    fn new(s: &str, mode: Mode<'a>) -> Parser<'a> {
        Parser {
            chars: s.chars().collect(),
            pos: 0,
            mode,
            literal: false,
        }
    }

    fn parse(&mut self, dest: &Map) -> Result<(), String> {
        loop {
            match self.key(dest, 0) {
                Ok(()) => {}
                Err(Err::Eof) => return Ok(()),
                Err(Err::Msg(m)) => return Err(m),
            }
        }
    }

    fn read(&mut self) -> Option<char> {
        let c = self.chars.get(self.pos).copied();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    fn unread(&mut self) {
        self.pos -= 1;
    }

    /// Helm's `runesUntil`: characters up to one in `stop` (consumed, returned), with `\`
    /// escaping the next character (not in literal mode). `None` as the stop char means EOF.
    fn until(&mut self, stop: &[char]) -> (String, Option<char>) {
        let mut v = String::new();
        loop {
            match self.read() {
                None => return (v, None),
                Some(c) if stop.contains(&c) => return (v, Some(c)),
                Some('\\') if !self.literal => match self.read() {
                    None => return (v, None),
                    Some(n) => v.push(n),
                },
                Some(c) => v.push(c),
            }
        }
    }

    fn key(&mut self, data: &Map, mut nested: usize) -> Result<(), Err> {
        let stop: &[char] = if self.literal {
            &['=', '[', '.']
        } else {
            &['=', '[', ',', '.']
        };
        let (k, last) = self.until(stop);
        match last {
            None => {
                if k.is_empty() {
                    return Err(Err::Eof);
                }
                Err(Err::Msg(format!("key {} has no value", go_quote(&k))))
            }
            Some('[') => {
                let i = self.key_index()?;
                let list = match data.get(&k) {
                    Some(v) => as_list(&v)?,
                    None => Vec::new(),
                };
                let (list, r) = self.list_item(list, i, nested);
                set(data, &k, Value::List(List::new(list)));
                r
            }
            Some('=') => {
                if self.literal {
                    let (v, _) = self.until(&[]);
                    set(data, &k, Value::from(v));
                    return Ok(());
                }
                if let Mode::Json = self.mode {
                    if self.empty_val() {
                        set(data, &k, Value::Nil);
                        return Ok(());
                    }
                    let v = self.json_value()?;
                    set(data, &k, v);
                    self.empty_val();
                    return Ok(());
                }
                match self.val_list() {
                    Ok(vl) => {
                        set(data, &k, Value::List(List::new(vl)));
                        Ok(())
                    }
                    Err(ListErr::Eof) => {
                        set(data, &k, Value::from(""));
                        Err(Err::Eof)
                    }
                    Err(ListErr::NotList) => {
                        let (rs, _) = self.until(&[',']);
                        let v = self.read_value(&rs)?;
                        set(data, &k, v);
                        Ok(())
                    }
                    Err(ListErr::Msg(m)) => Err(Err::Msg(m)),
                }
            }
            Some(',') => {
                set(data, &k, Value::from(""));
                Err(Err::Msg(format!(
                    "key {} has no value (cannot end with ,)",
                    go_quote(&k)
                )))
            }
            Some('.') => {
                nested += 1;
                if nested > MAX_NESTED_NAME_LEVEL {
                    return Err(Err::Msg(format!(
                        "value name nested level is greater than maximum supported nested level of {MAX_NESTED_NAME_LEVEL}"
                    )));
                }
                let inner = match data.get(&k) {
                    Some(v) => as_map(&v)?,
                    None => Map::new(),
                };
                let r = self.key(&inner, nested);
                if r.is_ok() && inner.is_empty() {
                    return Err(Err::Msg(format!("key map {} has no value", go_quote(&k))));
                }
                if !inner.is_empty() {
                    set(data, &k, Value::Map(inner));
                }
                r
            }
            Some(_) => unreachable!("stop set"),
        }
    }

    fn read_value(&mut self, rs: &str) -> Result<Value, Err> {
        match &mut self.mode {
            Mode::Typed => Ok(typed_val(rs, false)),
            Mode::Strings | Mode::Json => Ok(typed_val(rs, true)),
            Mode::File(read) => read(rs).map(Value::from).map_err(Err::Msg),
        }
    }

    fn key_index(&mut self) -> Result<i64, Err> {
        let (v, last) = self.until(&[']']);
        if last.is_none() {
            return Err(Err::Msg("error parsing index: EOF".into()));
        }
        atoi(&v).map_err(|e| Err::Msg(format!("error parsing index: {e}")))
    }

    fn list_item(
        &mut self,
        list: Vec<Value>,
        i: i64,
        nested: usize,
    ) -> (Vec<Value>, Result<(), Err>) {
        if i < 0 {
            return (
                list,
                Err(Err::Msg(format!("negative {i} index not allowed"))),
            );
        }
        let (_, last) = self.until(&['[', '.', '=']);
        match last {
            None => (list, Err(Err::Msg("error parsing index: EOF".into()))),
            Some('=') => {
                if self.literal {
                    let (v, _) = self.until(&[]);
                    return wrap(set_index(list.clone(), i, Value::from(v)), list);
                }
                if let Mode::Json = self.mode {
                    if self.empty_val() {
                        return wrap(set_index(list.clone(), i, Value::Nil), list);
                    }
                    let v = match self.json_value() {
                        Ok(v) => v,
                        Err(e) => return (list, Err(e)),
                    };
                    let r = set_index(list.clone(), i, v);
                    self.empty_val();
                    return wrap(r, list);
                }
                match self.val_list() {
                    Ok(vl) => wrap(set_index(list.clone(), i, Value::List(List::new(vl))), list),
                    Err(ListErr::Eof) => wrap(set_index(list.clone(), i, Value::from("")), list),
                    Err(ListErr::NotList) => {
                        let (rs, _) = self.until(&[',']);
                        match self.read_value(&rs) {
                            Ok(v) => wrap(set_index(list.clone(), i, v), list),
                            Err(e) => (list, Err(e)),
                        }
                    }
                    Err(ListErr::Msg(m)) => (list, Err(Err::Msg(m))),
                }
            }
            Some('[') => {
                let next_i = match self.key_index() {
                    Ok(n) => n,
                    Err(e) => return (list, Err(e)),
                };
                let current = match list.get(i as usize) {
                    Some(v) => match as_list(v) {
                        Ok(l) => l,
                        Err(c) => return (list, Err(c.into())),
                    },
                    None => Vec::new(),
                };
                let (inner, r) = self.list_item(current, next_i, nested);
                if let Err(e) = r {
                    return (list, Err(e));
                }
                wrap(
                    set_index(list.clone(), i, Value::List(List::new(inner))),
                    list,
                )
            }
            Some('.') => {
                let mut list = list;
                let inner = match list.get(i as usize) {
                    Some(Value::Map(m)) => m.clone(),
                    Some(_) => {
                        // Indexes out of order: start the element afresh.
                        let m = Map::new();
                        list[i as usize] = Value::Map(m.clone());
                        m
                    }
                    None => Map::new(),
                };
                if let Err(e) = self.key(&inner, nested) {
                    return (list, Err(e));
                }
                wrap(set_index(list.clone(), i, Value::Map(inner)), list)
            }
            Some(c) => (
                Vec::new(),
                Err(Err::Msg(format!(
                    "parse error: unexpected token {}",
                    c as u32
                ))),
            ),
        }
    }

    /// Consumes blanks up to a comma or the end (an empty value) or stops before anything else.
    fn empty_val(&mut self) -> bool {
        loop {
            match self.read() {
                None | Some(',') => return true,
                Some(c) if c.is_whitespace() => {}
                Some(_) => {
                    self.unread();
                    return false;
                }
            }
        }
    }

    fn val_list(&mut self) -> Result<Vec<Value>, ListErr> {
        match self.read() {
            None => return Err(ListErr::Eof),
            Some('{') => {}
            Some(_) => {
                self.unread();
                return Err(ListErr::NotList);
            }
        }
        let mut list = Vec::new();
        loop {
            let (rs, last) = self.until(&[',', '}']);
            match last {
                None => return Err(ListErr::Msg("list must terminate with '}'".into())),
                Some('}') => {
                    if let Some(c) = self.read()
                        && c != ','
                    {
                        self.unread();
                    }
                    let v = self.read_value(&rs).map_err(|e| match e {
                        Err::Eof => ListErr::Eof,
                        Err::Msg(m) => ListErr::Msg(m),
                    })?;
                    list.push(v);
                    return Ok(list);
                }
                Some(_) => {
                    let v = self.read_value(&rs).map_err(|e| match e {
                        Err::Eof => ListErr::Eof,
                        Err::Msg(m) => ListErr::Msg(m),
                    })?;
                    list.push(v);
                }
            }
        }
    }

    /// One JSON value from the current position (Go's json.Decoder on the rest of the input).
    fn json_value(&mut self) -> Result<Value, Err> {
        let rest: String = self.chars[self.pos..].iter().collect();
        let mut stream = serde_json::Deserializer::from_str(&rest).into_iter::<serde_json::Value>();
        match stream.next() {
            Some(Ok(j)) => {
                let used = stream.byte_offset();
                self.pos += rest[..used].chars().count();
                Ok(json_to_value(&j))
            }
            Some(Err(e)) => Err(Err::Msg(e.to_string())),
            None => Err(Err::Msg("unexpected end of JSON input".into())),
        }
    }
}

enum ListErr {
    Eof,
    NotList,
    Msg(String),
}

fn wrap(r: Result<Vec<Value>, String>, old: Vec<Value>) -> (Vec<Value>, Result<(), Err>) {
    match r {
        Ok(l) => (l, Ok(())),
        Err(m) => (old, Err(Err::Msg(m))),
    }
}

/// Go's `strconv.Atoi` error text.
fn atoi(s: &str) -> Result<i64, String> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "strconv.Atoi: parsing {}: invalid syntax",
            go_quote(s)
        ));
    }
    s.parse::<i64>()
        .map_err(|_| format!("strconv.Atoi: parsing {}: value out of range", go_quote(s)))
}

fn go_quote(s: &str) -> String {
    gotmpl::gofmt::quote(s)
}

/// JSON as Helm decodes it: numbers are float64.
pub fn json_to_value(j: &serde_json::Value) -> Value {
    match j {
        serde_json::Value::Null => Value::Nil,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        serde_json::Value::String(s) => Value::from(s.as_str()),
        serde_json::Value::Array(a) => {
            Value::List(List::new(a.iter().map(json_to_value).collect()))
        }
        serde_json::Value::Object(o) => {
            let m = Map::new();
            for (k, v) in o {
                m.insert(k.clone(), json_to_value(v));
            }
            Value::Map(m)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(s: &str) -> Result<String, String> {
        let m = Map::new();
        parse_into(s, &m)?;
        Ok(gotmpl::gofmt::sprintf("%#v", &[Value::Map(m)]))
    }

    #[test]
    fn typing() {
        assert_eq!(set("a=1").unwrap(), r#"map[string]interface {}{"a":1}"#);
        let m = Map::new();
        parse_into(
            "a=1,b=01,c=1.5,d=TRUE,e=null,f=,g=x y,h=b=c,i=x\\,y,j=-5",
            &m,
        )
        .unwrap();
        assert!(matches!(m.get("a"), Some(Value::Int64(1))));
        assert_eq!(m.get("b").unwrap().as_str(), Some("01"));
        assert_eq!(m.get("c").unwrap().as_str(), Some("1.5"));
        assert!(matches!(m.get("d"), Some(Value::Bool(true))));
        assert!(matches!(m.get("e"), Some(Value::Nil)));
        assert_eq!(m.get("f").unwrap().as_str(), Some(""));
        assert_eq!(m.get("g").unwrap().as_str(), Some("x y"));
        assert_eq!(m.get("h").unwrap().as_str(), Some("b=c"));
        assert_eq!(m.get("i").unwrap().as_str(), Some("x,y"));
        assert!(matches!(m.get("j"), Some(Value::Int64(-5))));
    }

    #[test]
    fn nesting_and_lists() {
        let m = Map::new();
        parse_into("a[0].b=1,a[1].c=2,x.y.z=3,l={p,q,1}", &m).unwrap();
        assert_eq!(
            gotmpl::gofmt::format_value(&Value::Map(m)),
            "map[a:[map[b:1] map[c:2]] l:[p q 1] x:map[y:map[z:3]]]"
        );
        let m = Map::new();
        parse_into("a[0][1]=z", &m).unwrap();
        assert_eq!(
            gotmpl::gofmt::format_value(&Value::Map(m)),
            "map[a:[[<nil> z]]]"
        );
    }

    #[test]
    fn errors() {
        assert_eq!(set("a={x,{y}}").unwrap_err(), "key \"}\" has no value");
        assert_eq!(
            set("a=1,a.b=2").unwrap_err(),
            "unable to parse key: interface conversion: interface {} is int64, not map[string]interface {}"
        );
        assert_eq!(set("a").unwrap_err(), "key \"a\" has no value");
        assert_eq!(
            set("a,b=1").unwrap_err(),
            "key \"a\" has no value (cannot end with ,)"
        );
    }

    #[test]
    fn literal_and_string_and_json() {
        let m = Map::new();
        parse_literal_into("a.b=1,c=2", &m).unwrap();
        assert_eq!(
            gotmpl::gofmt::format_value(&Value::Map(m)),
            "map[a:map[b:1,c=2]]"
        );
        let m = Map::new();
        parse_into_string("a=true,b={1,2}", &m).unwrap();
        assert_eq!(m.get("a").unwrap().as_str(), Some("true"));
        let m = Map::new();
        parse_json(r#"a={"x":[1,2]},b="s",c="#, &m).unwrap();
        assert_eq!(
            gotmpl::gofmt::format_value(&Value::Map(m)),
            "map[a:map[x:[1 2]] b:s c:<nil>]"
        );
    }
}
