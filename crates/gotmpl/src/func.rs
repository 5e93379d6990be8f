//! Host functions: signatures, the registry, and the errors functions return.
//!
//! A function is registered with a Go-like signature (parameter types, an optional variadic
//! tail). The executor checks the argument count and converts each argument to its parameter type
//! exactly as Go's `text/template` does (`wrong number of args for f: want 2 got 1`,
//! `wrong type for value; expected string; got int`, `expected integer; found "x"`), so a function
//! body receives arguments that already have the declared types.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use crate::error::Error;
use crate::exec::CallContext;
use crate::value::Value;

/// The Go type of a function parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Param {
    /// `interface{}`: any value; nil and no value arrive as [`Value::Nil`].
    Any,
    /// `reflect.Value`, as Go's own builtins take: the value as evaluated, [`Value::Missing`]
    /// included.
    Reflect,
    /// `string`.
    String,
    /// `int`.
    Int,
    /// `int64`.
    Int64,
    /// `float64`.
    Float64,
    /// `bool`.
    Bool,
    /// `[]interface{}`.
    List,
    /// `[]string`.
    StringList,
    /// `map[string]interface{}`.
    Map,
    /// A host type, by its Go name (`time.Time`, `sprig.certificate`, `*semver.Version`): only a
    /// [`Value::Object`] whose [`Object::type_name`](crate::Object::type_name) is exactly this
    /// name is assignable; a name starting with `*` is a pointer type, which can be nil.
    Named(&'static str),
}

impl Param {
    /// The Go type name, as argument errors print it.
    pub fn go_name(self) -> &'static str {
        match self {
            Param::Any => "interface {}",
            Param::Reflect => "reflect.Value",
            Param::String => "string",
            Param::Int => "int",
            Param::Int64 => "int64",
            Param::Float64 => "float64",
            Param::Bool => "bool",
            Param::List => "[]interface {}",
            Param::StringList => "[]string",
            Param::Map => "map[string]interface {}",
            Param::Named(name) => name,
        }
    }
}

/// A function's parameter list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Signature {
    /// The fixed parameters.
    pub params: Vec<Param>,
    /// The type of the variadic tail (`...T`), if any.
    pub variadic: Option<Param>,
}

impl Signature {
    /// Fixed parameters only.
    pub fn fixed(params: &[Param]) -> Signature {
        Signature {
            params: params.to_vec(),
            variadic: None,
        }
    }

    /// Fixed parameters followed by a variadic tail.
    pub fn variadic(params: &[Param], tail: Param) -> Signature {
        Signature {
            params: params.to_vec(),
            variadic: Some(tail),
        }
    }

    /// The parameter type of argument `i`.
    pub fn param(&self, i: usize) -> Param {
        self.params
            .get(i)
            .copied()
            .or(self.variadic)
            .unwrap_or(Param::Any)
    }
}

/// An error returned by a host function. The executor reports it as
/// `error calling NAME: MESSAGE` at the calling node.
#[derive(Clone, Debug)]
pub struct FuncError {
    message: String,
    source: Option<Box<Error>>,
}

impl FuncError {
    /// An error with a message.
    pub fn new(message: impl Into<String>) -> FuncError {
        FuncError {
            message: message.into(),
            source: None,
        }
    }

    /// An error that is a template error raised inside the function (Helm's `include`).
    pub fn template(err: Error) -> FuncError {
        FuncError {
            message: err.to_string(),
            source: Some(Box::new(err)),
        }
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The template error inside, if the function failed while executing a template.
    pub fn source_error(&self) -> Option<&Error> {
        self.source.as_deref()
    }
}

impl fmt::Display for FuncError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<String> for FuncError {
    fn from(s: String) -> Self {
        FuncError::new(s)
    }
}

impl From<&str> for FuncError {
    fn from(s: &str) -> Self {
        FuncError::new(s)
    }
}

/// The result of a host function.
pub type FuncResult = Result<Value, FuncError>;

type NativeFn = dyn Fn(&mut CallContext<'_>, Vec<Value>) -> FuncResult + Send + Sync;

/// A callable function: a signature and a body. Cheap to clone.
#[derive(Clone)]
pub struct Func {
    inner: Arc<FuncInner>,
}

struct FuncInner {
    signature: Signature,
    returns_error: bool,
    body: Box<NativeFn>,
}

impl Func {
    /// A function that may fail (Go's `func(...) (T, error)`).
    pub fn new(
        signature: Signature,
        body: impl Fn(&mut CallContext<'_>, Vec<Value>) -> FuncResult + Send + Sync + 'static,
    ) -> Func {
        Func {
            inner: Arc::new(FuncInner {
                signature,
                returns_error: true,
                body: Box::new(body),
            }),
        }
    }

    /// A function that cannot fail (Go's `func(...) T`); it only matters for `%T`.
    pub fn infallible(
        signature: Signature,
        body: impl Fn(&mut CallContext<'_>, Vec<Value>) -> Value + Send + Sync + 'static,
    ) -> Func {
        Func {
            inner: Arc::new(FuncInner {
                signature,
                returns_error: false,
                body: Box::new(move |ctx, args| Ok(body(ctx, args))),
            }),
        }
    }

    /// The signature.
    pub fn signature(&self) -> &Signature {
        &self.inner.signature
    }

    /// Calls the body with already-checked arguments.
    pub fn call(&self, ctx: &mut CallContext<'_>, args: Vec<Value>) -> FuncResult {
        (self.inner.body)(ctx, args)
    }

    /// Whether both handles are the same function.
    pub fn ptr_eq(&self, other: &Func) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }

    /// A Go-like type name, e.g. `func(string, ...interface {}) (interface {}, error)`.
    pub fn type_name(&self) -> String {
        let sig = &self.inner.signature;
        let mut parts: Vec<String> = sig.params.iter().map(|p| p.go_name().to_string()).collect();
        if let Some(t) = sig.variadic {
            parts.push(format!("...{}", t.go_name()));
        }
        let ret = if self.inner.returns_error {
            " (interface {}, error)"
        } else {
            " interface {}"
        };
        format!("func({}){}", parts.join(", "), ret)
    }
}

impl fmt::Debug for Func {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.type_name())
    }
}

/// A small, fast hasher for function names (FNV-1a over 64 bits): the table is consulted on
/// every call, where SipHash showed up in profiles. The names come from the program, not from
/// an adversary.
#[derive(Clone, Copy, Default)]
struct NameHasher(u64);

impl std::hash::Hasher for NameHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        self.0 = h;
    }
}

type NameMap<V> = HashMap<String, V, std::hash::BuildHasherDefault<NameHasher>>;

/// A name → function table, like Go's `template.FuncMap`.
#[derive(Clone, Default)]
pub struct FuncMap {
    funcs: NameMap<Func>,
}

impl FuncMap {
    /// An empty map.
    pub fn new() -> FuncMap {
        FuncMap::default()
    }

    /// Adds or replaces a function.
    pub fn insert(&mut self, name: impl Into<String>, func: Func) {
        self.funcs.insert(name.into(), func);
    }

    /// Removes a function.
    pub fn remove(&mut self, name: &str) -> Option<Func> {
        self.funcs.remove(name)
    }

    /// The function called `name`.
    pub fn get(&self, name: &str) -> Option<&Func> {
        self.funcs.get(name)
    }

    /// Whether a function called `name` exists.
    pub fn contains(&self, name: &str) -> bool {
        self.funcs.contains_key(name)
    }

    /// All names, sorted.
    pub fn names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.funcs.keys().map(String::as_str).collect();
        names.sort_unstable();
        names
    }

    /// Adds every function of `other`, replacing those with the same name.
    pub fn extend(&mut self, other: FuncMap) {
        self.funcs.extend(other.funcs);
    }
}
