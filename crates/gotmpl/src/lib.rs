//! Go's `text/template`, reimplemented in Rust.
//!
//! The whole language (actions, trimming, comments, every literal form, variables, pipelines,
//! `if`/`range`/`with`/`define`/`template`/`block`, `break`/`continue`) and Go's builtin
//! functions, over a value model that keeps Go's types apart ([`Value`]), with Go's `fmt`
//! printing ([`gofmt`]) and Go's error texts ([`Error`]).
//!
//! This crate knows nothing of Helm, YAML or files: templates arrive as `(name, text)` pairs,
//! data as [`Value`]s, and the host adds functions through a [`FuncMap`]; a function may call
//! back into the engine through its [`CallContext`] (Helm's `include` and `tpl` are built on
//! that).
//!
//! ```
//! use gotmpl::{TemplateSet, Value, Map};
//! let mut set = TemplateSet::new("root");
//! set.parse("t", r#"{{ range $k, $v := . }}{{ $k }}={{ $v }};{{ end }}"#).unwrap();
//! let data = Map::new();
//! data.insert("b", Value::Float(1e6));
//! data.insert("a", Value::Int(2));
//! assert_eq!(set.execute("t", Value::Map(data)).unwrap(), "a=2;b=1e+06;");
//! ```

#![deny(missing_docs)]

mod ast;
mod error;
mod exec;
mod func;
mod funcs;
pub mod gofmt;
mod lex;
mod output;
mod parse;
mod strconv;
mod value;

pub use ast::{Pos, Tree};
pub use error::{Error, ErrorKind, ExecLocation};
pub use exec::{CallContext, GoVersion, MissingKey, Options, TemplateSet};
pub use func::{Func, FuncError, FuncMap, FuncResult, Param, Signature};
pub use funcs::{builtins, html_escape, js_escape, query_escape};
pub use output::{Output, OutputSpan, WriteKind, WriteSite, write_sites};
pub use value::{ElemType, List, Map, Object, Value};
