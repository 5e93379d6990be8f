//! YAML with Helm's semantics (go-yaml v2 resolution, sigs.k8s.io/yaml's JSON round trip) and an
//! encoder byte-identical to Helm's `toYaml`.
//!
//! * Loading ([`load`], [`load_all`]): YAML 1.1 typing as go-yaml v2 does it (`yes`/`on`/`y` are
//!   booleans, `0777` is 511, `0x1F`, `0b101`, `1_000`, `~`), keys typed the same way and then
//!   turned into strings as sigs.k8s.io/yaml does (`yes:` becomes `"true"`, `1e3:` `"1000"`),
//!   merge keys `<<`, last duplicate key wins, every number a float64 as after Helm's JSON round
//!   trip, timestamps left as strings. Every [`Node`] keeps its file id, line and column.
//!   go-yaml's limits are enforced: the alias ratio (`yaml: document contains excessive
//!   aliasing`) and the nesting depth (`yaml: exceeded max depth of 10000`); errors carry
//!   go-yaml's message text (`yaml: line 2: mapping values are not allowed in this context`).
//! * Encoding ([`to_yaml`]): sigs.k8s.io/yaml `Marshal` of a [`Yaml`] value, as Helm's `toYaml`
//!   uses it (before Helm strips one trailing newline): go-yaml's natural key order, its quoting
//!   rules, 80-column folding, literal blocks, numbers as after the JSON round trip.
//!
//! This crate does no file IO and knows nothing of templates.

#![deny(missing_docs)]

mod decode;
mod encode;
pub mod number;
mod resolve;

use std::fmt;

pub use decode::MAX_DEPTH;
pub use encode::natural_less;
pub use resolve::{is_base60_float, is_timestamp, plain_is_string};

/// A position in a source file. `line` and `column` are 1-based (the column counts characters
/// from the start of the line), `offset` is the byte offset.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Pos {
    /// The id of the file, as the caller passed it to [`load`] / [`load_all`].
    pub file: u32,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// Byte offset from the start of the text.
    pub offset: usize,
}

/// A decoded node with its position (for an alias: the position of the anchored node; for a
/// merged entry: where it was written).
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// The value.
    pub value: NodeValue,
    /// Where the node starts.
    pub pos: Pos,
}

/// A mapping key with its position.
#[derive(Clone, Debug, PartialEq)]
pub struct Key {
    /// The key as a string (after sigs.k8s.io/yaml's key conversion).
    pub name: String,
    /// Where the key starts.
    pub pos: Pos,
}

/// The value of a decoded [`Node`]: what Helm's YAML→JSON→Go round trip produces.
#[derive(Clone, Debug, PartialEq)]
pub enum NodeValue {
    /// `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// Every number (float64).
    Float(f64),
    /// A string.
    String(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, keys unique, in first-appearance order.
    Map(Vec<(Key, Node)>),
}

impl Node {
    /// The value without positions.
    pub fn to_yaml(&self) -> Yaml {
        stacker_grow(|| match &self.value {
            NodeValue::Null => Yaml::Null,
            NodeValue::Bool(b) => Yaml::Bool(*b),
            NodeValue::Float(f) => Yaml::Float(*f),
            NodeValue::String(s) => Yaml::String(s.clone()),
            NodeValue::Seq(items) => Yaml::Seq(items.iter().map(Node::to_yaml).collect()),
            NodeValue::Map(entries) => Yaml::Map(
                entries
                    .iter()
                    .map(|(k, v)| (k.name.clone(), v.to_yaml()))
                    .collect(),
            ),
        })
    }
}

fn stacker_grow<R>(f: impl FnOnce() -> R) -> R {
    stacker::maybe_grow(64 * 1024, 1024 * 1024, f)
}

/// A YAML/JSON value without positions: what [`to_yaml`] encodes and [`Node::to_yaml`] yields.
#[derive(Clone, Debug, PartialEq)]
pub enum Yaml {
    /// `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer (template values; decoding never produces one).
    Int(i64),
    /// A float64.
    Float(f64),
    /// A string.
    String(String),
    /// A sequence.
    Seq(Vec<Yaml>),
    /// A mapping with string keys.
    Map(Vec<(String, Yaml)>),
}

/// Which step of Helm's loading failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorStage {
    /// go-yaml: syntax, aliases, depth, tags, map keys that are collections.
    Yaml,
    /// sigs.k8s.io/yaml's JSON conversion: unsupported map keys, infinities and NaN.
    Json,
    /// Decoding the JSON text back (Go's nesting limit).
    JsonDecode,
}

/// A load error. [`fmt::Display`] gives the Go message (`yaml: line 2: ...`,
/// `json: unsupported value: +Inf`); Helm prefixes it: see [`Error::helm_message`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    /// Which step failed.
    pub stage: ErrorStage,
    /// The Go message.
    pub message: String,
    /// Where, when known.
    pub pos: Option<Pos>,
}

impl Error {
    /// The message as sigs.k8s.io/yaml wraps it: `error converting YAML to JSON: ...`, or for
    /// [`ErrorStage::JsonDecode`] `error unmarshaling JSON: while decoding JSON: ...`.
    pub fn helm_message(&self) -> String {
        match self.stage {
            ErrorStage::JsonDecode => {
                format!(
                    "error unmarshaling JSON: while decoding JSON: {}",
                    self.message
                )
            }
            _ => format!("error converting YAML to JSON: {}", self.message),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// An encoding error (Helm's `toYaml` turns it into an empty string).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EncodeError {
    /// The Go message.
    pub message: String,
}

impl EncodeError {
    fn new(message: impl Into<String>) -> EncodeError {
        EncodeError {
            message: message.into(),
        }
    }
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for EncodeError {}

/// Loads the first document of `text` as Helm does (`fromYaml`, Helm 3 values files); an empty
/// stream gives a null node. Later documents are not read. `file` is stored in every position.
pub fn load(text: &str, file: u32) -> Result<Node, Error> {
    decode::load_first(text, file)
}

/// Loads every document of `text` (Helm 4 values files); each decoded on its own (anchors do
/// not cross documents). An empty stream gives no documents.
pub fn load_all(text: &str, file: u32) -> Result<Vec<Node>, Error> {
    decode::load_every(text, file)
}

/// [`load`] without positions.
pub fn load_value(text: &str) -> Result<Yaml, Error> {
    load(text, 0).map(|n| n.to_yaml())
}

/// Helm's `toYaml` before the trailing-newline trim: sigs.k8s.io/yaml `Marshal` (JSON round
/// trip, then go-yaml v2). Fails on NaN/infinities and on strings YAML cannot carry (DEL, C1
/// control characters).
pub fn to_yaml(v: &Yaml) -> Result<String, EncodeError> {
    encode::marshal(v, encode::Mode { pretty: false })
}

/// Helm's `toYamlPretty` before the trailing-newline trim: yaml.v3 with indent 2 on the values
/// themselves (no JSON step): sequences indented under their key, no folding, integers kept.
pub fn to_yaml_pretty(v: &Yaml) -> Result<String, EncodeError> {
    encode::marshal_pretty(v)
}

/// The number text [`to_yaml`] writes for a float64 (`1000000`, `1e+21`, `0.1`,
/// `12345678901234567000`).
pub fn number_text(f: f64) -> Result<String, EncodeError> {
    encode::number_text(f)
}

/// Runs `f`, first growing the stack if little is left: for callers that recurse over deeply
/// nested values (each recursion level should go through it).
pub fn with_stack<R>(f: impl FnOnce() -> R) -> R {
    stacker_grow(f)
}
