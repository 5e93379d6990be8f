//! The Go-typed value model.
//!
//! Go's `text/template` works on `reflect.Value`s, and what a template prints or which error it
//! raises depends on the Go type behind each value: `int` and `int64` print alike but compare
//! differently, every number that came from YAML is a `float64`, a missing map key is a nil
//! `interface{}`, and the result of a pipeline that produced nil is Go's *invalid* value, which
//! prints as `<no value>`. [`Value`] keeps exactly these distinctions.
//!
//! Maps have reference semantics, as in Go: cloning a [`Map`] clones a handle, and a write through
//! one handle is seen through every other (Sprig's `set` relies on this). Lists and strings are
//! immutable and cheap to clone.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use crate::func::Func;

/// A template value with its Go type.
#[derive(Clone, Default)]
pub enum Value {
    /// Go's invalid `reflect.Value`: "no value". The result of a pipeline that evaluated to nil, the
    /// data of a template executed without data. Prints as `<no value>`; functions receive it as
    /// [`Value::Nil`].
    #[default]
    Missing,
    /// A nil `interface{}`: a YAML `null`, a missing map key read under `missingkey=zero`.
    Nil,
    /// Go `bool`.
    Bool(bool),
    /// Go `int` (64 bits, as on every platform Helm ships for).
    Int(i64),
    /// Go `int64`, distinct from `int` for `%T`, `typeOf` and some Sprig functions.
    Int64(i64),
    /// Go `uint8` (`byte`), as `index` returns for an element of a string.
    Uint8(u8),
    /// Go `float64`. Every number decoded from YAML or JSON is one.
    Float(f64),
    /// Go `complex128` (only template literals such as `1+2i` make one).
    Complex(f64, f64),
    /// Go `string` (always valid UTF-8 here).
    String(Arc<str>),
    /// Go `[]byte`.
    Bytes(Arc<[u8]>),
    /// A Go slice.
    List(List),
    /// A Go map with string keys.
    Map(Map),
    /// A host object: a Go struct or pointer with fields and methods.
    Object(Arc<dyn Object>),
    /// A Go function value, callable through `call`.
    Func(Func),
}

impl Value {
    /// A `string` value.
    pub fn string(s: impl Into<Arc<str>>) -> Value {
        Value::String(s.into())
    }

    /// A `[]interface {}` value.
    pub fn list(items: Vec<Value>) -> Value {
        Value::List(List::new(items))
    }

    /// Whether this is Go's invalid value or a nil interface.
    pub fn is_nil(&self) -> bool {
        matches!(self, Value::Missing | Value::Nil)
    }

    /// Go's truthiness (`if`, `with`, `and`, `or`, `not`): false, zero numbers, empty strings,
    /// lists and maps, nil and no value are false; everything else is true.
    pub fn truthy(&self) -> bool {
        match self {
            Value::Missing | Value::Nil => false,
            Value::Bool(b) => *b,
            Value::Int(i) | Value::Int64(i) => *i != 0,
            Value::Uint8(u) => *u != 0,
            Value::Float(f) => *f != 0.0,
            Value::Complex(re, im) => *re != 0.0 || *im != 0.0,
            Value::String(s) => !s.is_empty(),
            Value::Bytes(b) => !b.is_empty(),
            Value::List(l) => !l.is_empty(),
            Value::Map(m) => !m.is_empty(),
            Value::Object(o) => !o.is_nil(),
            Value::Func(_) => true,
        }
    }

    /// The Go type name, as `%T` prints it (`int`, `float64`, `[]interface {}`,
    /// `map[string]interface {}`, `<nil>` for nil).
    pub fn type_name(&self) -> String {
        match self {
            Value::Missing | Value::Nil => "<nil>".into(),
            Value::Bool(_) => "bool".into(),
            Value::Int(_) => "int".into(),
            Value::Int64(_) => "int64".into(),
            Value::Uint8(_) => "uint8".into(),
            Value::Float(_) => "float64".into(),
            Value::Complex(..) => "complex128".into(),
            Value::String(_) => "string".into(),
            Value::Bytes(_) => "[]uint8".into(),
            Value::List(l) => l.type_name().into(),
            Value::Map(m) => m.type_name().into(),
            Value::Object(o) => o.type_name().into(),
            Value::Func(f) => f.type_name(),
        }
    }

    /// Go's `reflect.Kind` name of the value (`int`, `slice`, `map`, `ptr`, `struct`, `invalid`),
    /// as Sprig's `kindOf` prints it.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Value::Missing | Value::Nil => "invalid",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Int64(_) => "int64",
            Value::Uint8(_) => "uint8",
            Value::Float(_) => "float64",
            Value::Complex(..) => "complex128",
            Value::String(_) => "string",
            Value::Bytes(_) | Value::List(_) => "slice",
            Value::Map(_) => "map",
            Value::Object(o) => o.kind_name(),
            Value::Func(_) => "func",
        }
    }

    /// The string, if this is a Go `string`.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// Converts the engine-internal [`Value::Missing`] to [`Value::Nil`], as Go does when a
    /// value is passed to a function or stored.
    pub fn into_interface(self) -> Value {
        match self {
            Value::Missing => Value::Nil,
            v => v,
        }
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}
impl From<i64> for Value {
    fn from(i: i64) -> Self {
        Value::Int(i)
    }
}
impl From<f64> for Value {
    fn from(f: f64) -> Self {
        Value::Float(f)
    }
}
impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.into())
    }
}
impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s.into())
    }
}
impl From<Map> for Value {
    fn from(m: Map) -> Self {
        Value::Map(m)
    }
}
impl From<List> for Value {
    fn from(l: List) -> Self {
        Value::List(l)
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Missing => f.write_str("Missing"),
            Value::Nil => f.write_str("Nil"),
            Value::Bool(b) => write!(f, "Bool({b})"),
            Value::Int(i) => write!(f, "Int({i})"),
            Value::Int64(i) => write!(f, "Int64({i})"),
            Value::Uint8(i) => write!(f, "Uint8({i})"),
            Value::Float(x) => write!(f, "Float({x:?})"),
            Value::Complex(re, im) => write!(f, "Complex({re:?}, {im:?})"),
            Value::String(s) => write!(f, "String({s:?})"),
            Value::Bytes(b) => write!(f, "Bytes({b:?})"),
            Value::List(l) => f.debug_list().entries(l.iter()).finish(),
            Value::Map(m) => f.debug_map().entries(m.read().iter()).finish(),
            Value::Object(o) => write!(f, "Object({})", o.type_name()),
            Value::Func(func) => write!(f, "Func({})", func.type_name()),
        }
    }
}

/// Structural equality, used by tests and by host code (not Go's `eq`, which has its own rules in
/// the builtins). Floats compare by value, maps by content.
impl PartialEq for Value {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Value::Missing, Value::Missing) | (Value::Nil, Value::Nil) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) | (Value::Int64(a), Value::Int64(b)) => a == b,
            (Value::Uint8(a), Value::Uint8(b)) => a == b,
            (Value::Float(a), Value::Float(b)) => a == b,
            (Value::Complex(a, b), Value::Complex(c, d)) => a == c && b == d,
            (Value::String(a), Value::String(b)) => a == b,
            (Value::Bytes(a), Value::Bytes(b)) => a == b,
            (Value::List(a), Value::List(b)) => a.elem() == b.elem() && a[..] == b[..],
            (Value::Map(a), Value::Map(b)) => a.ptr_eq(b) || *a.read() == *b.read(),
            (Value::Object(a), Value::Object(b)) => Arc::ptr_eq(a, b),
            (Value::Func(a), Value::Func(b)) => a.ptr_eq(b),
            _ => false,
        }
    }
}

/// The element type of a Go slice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ElemType {
    /// `[]interface {}`, what YAML decoding and most Sprig functions produce.
    #[default]
    Interface,
    /// `[]string` (Sprig's `splitList`, `keys`, ...).
    String,
    /// `[]int` (Sprig's `until`).
    Int,
    /// `[]int64`.
    Int64,
    /// `[]float64`.
    Float64,
    /// `[]interface {}` (Sprig's `chunk` returns a `[][]interface {}`).
    InterfaceList,
    /// `map[string]interface {}` (`fromToml`'s arrays of tables).
    Map,
}

impl ElemType {
    /// The Go name of the element type.
    pub fn go_name(self) -> &'static str {
        match self {
            ElemType::Interface => "interface {}",
            ElemType::String => "string",
            ElemType::Int => "int",
            ElemType::Int64 => "int64",
            ElemType::Float64 => "float64",
            ElemType::InterfaceList => "[]interface {}",
            ElemType::Map => "map[string]interface {}",
        }
    }
}

/// An immutable Go slice: shared items plus the element type.
#[derive(Clone, Default)]
pub struct List {
    items: Arc<Vec<Value>>,
    elem: ElemType,
    /// A nil slice: empty, but `encoding/json` writes `null` for it.
    nil: bool,
}

impl List {
    /// A `[]interface {}`.
    pub fn new(items: Vec<Value>) -> List {
        List {
            items: Arc::new(items),
            elem: ElemType::Interface,
            nil: false,
        }
    }

    /// A nil slice of the given element type (prints `[]`, marshals to JSON `null`).
    pub fn nil(elem: ElemType) -> List {
        List {
            items: Arc::new(Vec::new()),
            elem,
            nil: true,
        }
    }

    /// Whether this is a nil slice.
    pub fn is_nil(&self) -> bool {
        self.nil
    }

    /// A slice with the given element type. The caller keeps the items consistent with it.
    pub fn typed(elem: ElemType, items: Vec<Value>) -> List {
        List {
            items: Arc::new(items),
            elem,
            nil: false,
        }
    }

    /// The element type.
    pub fn elem(&self) -> ElemType {
        self.elem
    }

    /// The Go type name, e.g. `[]interface {}`.
    pub fn type_name(&self) -> &'static str {
        match self.elem {
            ElemType::Interface => "[]interface {}",
            ElemType::String => "[]string",
            ElemType::Int => "[]int",
            ElemType::Int64 => "[]int64",
            ElemType::Float64 => "[]float64",
            ElemType::InterfaceList => "[][]interface {}",
            ElemType::Map => "[]map[string]interface {}",
        }
    }

    /// The items as a vector (cloning the handles).
    pub fn to_vec(&self) -> Vec<Value> {
        self.items.as_ref().clone()
    }
}

impl std::ops::Deref for List {
    type Target = [Value];
    fn deref(&self) -> &[Value] {
        &self.items
    }
}

impl fmt::Debug for List {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// A Go map with string keys, iterated in sorted key order (as Go's `range` and `fmt` do).
///
/// A handle: clones share the same entries.
#[derive(Clone, Default)]
pub struct Map {
    inner: Arc<RwLock<BTreeMap<String, Value>>>,
    type_name: Option<Arc<str>>,
    /// A nil map (Go's zero map value): reads like an empty map, `encoding/json` writes `null`
    /// for it, and assigning to it panics in Go (host functions check [`Map::is_nil`]).
    nil: bool,
}

impl Map {
    /// An empty `map[string]interface {}`.
    pub fn new() -> Map {
        Map::default()
    }

    /// A map holding the given entries.
    pub fn from_entries(entries: BTreeMap<String, Value>) -> Map {
        Map {
            inner: Arc::new(RwLock::new(entries)),
            type_name: None,
            nil: false,
        }
    }

    /// A nil `map[string]interface {}`, what Go passes for `nil` (or no value) to a map
    /// parameter.
    pub fn nil() -> Map {
        Map {
            nil: true,
            ..Map::default()
        }
    }

    /// Whether this is a nil map.
    pub fn is_nil(&self) -> bool {
        self.nil
    }

    /// The same entries seen under another Go type name (Helm's `.Values` is a `common.Values`).
    pub fn with_type_name(mut self, name: impl Into<Arc<str>>) -> Map {
        self.type_name = Some(name.into());
        self
    }

    /// The Go type name, `map[string]interface {}` unless set otherwise.
    pub fn type_name(&self) -> &str {
        self.type_name
            .as_deref()
            .unwrap_or("map[string]interface {}")
    }

    /// Reads the entries. A poisoned lock is recovered: the engine never panics while holding it.
    pub fn read(&self) -> RwLockReadGuard<'_, BTreeMap<String, Value>> {
        self.inner.read().unwrap_or_else(|e| e.into_inner())
    }

    /// Writes the entries; every handle sees the change.
    pub fn write(&self) -> RwLockWriteGuard<'_, BTreeMap<String, Value>> {
        self.inner.write().unwrap_or_else(|e| e.into_inner())
    }

    /// The value under `key`, cloned.
    pub fn get(&self, key: &str) -> Option<Value> {
        self.read().get(key).cloned()
    }

    /// Sets `key` to `value`.
    pub fn insert(&self, key: impl Into<String>, value: Value) {
        self.write().insert(key.into(), value);
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.read().len()
    }

    /// Whether the map has no entries.
    pub fn is_empty(&self) -> bool {
        self.read().is_empty()
    }

    /// Whether both handles point at the same entries.
    pub fn ptr_eq(&self, other: &Map) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }

    /// A snapshot of the entries in key order.
    pub fn entries(&self) -> Vec<(String, Value)> {
        self.read()
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    /// A new map with a shallow copy of the entries (Go's map literal copy).
    pub fn shallow_copy(&self) -> Map {
        Map {
            inner: Arc::new(RwLock::new(self.read().clone())),
            type_name: self.type_name.clone(),
            nil: self.nil,
        }
    }
}

impl fmt::Debug for Map {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.read().iter()).finish()
    }
}

/// A host object: what a Go struct or pointer to one is to a template.
///
/// Field access `.Name` first asks [`Object::method`] (Go looks up methods before fields), then
/// [`Object::field`]. Method calls get their arguments checked against the method's signature.
pub trait Object: Send + Sync {
    /// The Go type name, as `%T` prints it (e.g. `*common.Capabilities`).
    fn type_name(&self) -> &str;

    /// Go's reflect kind: `ptr` for pointers (the default), `struct`, `slice`, ...
    fn kind_name(&self) -> &'static str {
        "ptr"
    }

    /// The field `name`, or `None` if the type has no such field.
    fn field(&self, _name: &str) -> Option<Value> {
        None
    }

    /// The method `name` bound to this object, or `None` if the type has no such method.
    fn method(&self, _name: &str) -> Option<Func> {
        None
    }

    /// How `%v` prints the object (`{a b}`, `&{...}`); `plus` is `%+v`.
    fn format(&self, plus: bool) -> String;

    /// Whether this is a nil pointer.
    fn is_nil(&self) -> bool {
        false
    }

    /// The object's elements, if it is a slice type with methods (Helm's `VersionSet`).
    fn as_list(&self) -> Option<List> {
        None
    }

    /// The object's entries, if it is a map type with methods (Helm's `files`).
    fn as_map(&self) -> Option<Map> {
        None
    }

    /// The value Go's `encoding/json` would marshal the object as (struct fields under their
    /// JSON names), for functions such as `toJson` and `toYaml`; `None` marshals as `{}`.
    fn json_value(&self) -> Option<Value> {
        None
    }

    /// For a struct: its fields in declaration order under their JSON names, as
    /// `encoding/json` writes them (takes precedence over [`Object::json_value`]).
    fn json_struct(&self) -> Option<Vec<(String, Value)>> {
        None
    }
}
