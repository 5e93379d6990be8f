//! The decoder: libyaml-safer events → a composed node graph (anchors, aliases) → go-yaml v2's
//! decoding into `interface{}` (merge keys, last duplicate wins, the alias ratio limit) →
//! sigs.k8s.io/yaml's JSON round trip (string keys, float64 numbers).

use std::collections::{HashMap, HashSet};

use libyaml_safer::{EventData, MappingStyle, Parser, ScalarStyle, SequenceStyle};

use crate::resolve::{Scalar, resolve};
use crate::{Error, ErrorStage, Key, Node, NodeValue, Pos};

/// The deepest nesting go-yaml accepts (`yaml: exceeded max depth of 10000`).
pub const MAX_DEPTH: usize = 10_000;

const MERGE_TAG: &str = "tag:yaml.org,2002:merge";

enum CKind {
    Scalar {
        value: String,
        tag: Option<String>,
        plain_implicit: bool,
    },
    Seq(Vec<usize>),
    Map(Vec<usize>),
    Alias {
        target: usize,
        name: String,
    },
}

struct CNode {
    kind: CKind,
    pos: Pos,
}

/// One composed document: an arena of nodes and the root.
struct Doc {
    nodes: Vec<CNode>,
    root: Option<usize>,
}

/// A parser for `text`. libyaml-safer takes any input starting with byte 0xEF for a byte
/// order mark and rejects it unless it is one, so characters U+F000..U+FFFF at the very start
/// (`＄`, `￼`, private use) would fail; Go reads them fine. The encoding is set explicitly then.
fn fix_encoding<R: std::io::BufRead>(parser: &mut Parser<R>, text: &[u8]) {
    if text.first() == Some(&0xEF) && !text.starts_with(&[0xEF, 0xBB, 0xBF]) {
        parser.set_encoding(libyaml_safer::Encoding::Utf8);
    }
}

fn pos_of(file: u32, m: libyaml_safer::Mark) -> Pos {
    Pos {
        file,
        line: m.line as u32 + 1,
        column: m.column as u32 + 1,
        offset: m.index as usize,
    }
}

/// go-yaml's `yaml: line N: PROBLEM` text for a libyaml error.
fn parse_error(e: &libyaml_safer::Error, file: u32) -> Error {
    let scanner = e.kind() == libyaml_safer::ErrorKind::Scanner;
    let problem_line = e.problem_mark().map_or(0, |m| m.line);
    let context_line = e.context_mark().map_or(0, |m| m.line);
    let line = if problem_line != 0 {
        problem_line + u64::from(scanner)
    } else {
        context_line
    };
    let problem = e.problem();
    let problem = if problem.is_empty() {
        "unknown problem parsing YAML content"
    } else {
        problem
    };
    let message = if line != 0 {
        format!("yaml: line {line}: {problem}")
    } else {
        format!("yaml: {problem}")
    };
    Error {
        stage: ErrorStage::Yaml,
        message,
        pos: e.problem_mark().map(|m| pos_of(file, m)),
    }
}

fn yaml_err(message: impl std::fmt::Display, pos: Option<Pos>) -> Error {
    Error {
        stage: ErrorStage::Yaml,
        message: format!("yaml: {message}"),
        pos,
    }
}

/// Whether `text` ends with a block scalar whose last content line has no line break: C libyaml
/// (and go-yaml) read such a scalar up to the end of input, but libyaml-safer panics on it.
/// Returns the end offset of that scalar in `text` + `"\n"`.
fn block_scalar_at_eof(text: &str) -> Option<usize> {
    if text.is_empty() || text.ends_with(['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}']) {
        return None;
    }
    let last_line = text.rsplit(['\n', '\r']).next().unwrap_or(text);
    if last_line.trim_matches([' ', '\t']).is_empty() {
        return None;
    }
    // A block scalar needs a `|` or `>` indicator somewhere: most documents have none, and
    // then the extra parse below is not needed.
    if !text.contains(['|', '>']) {
        return None;
    }
    let appended = format!("{text}\n");
    let mut input = appended.as_bytes();
    let mut parser = Parser::new();
    parser.set_input_string(&mut input);
    fix_encoding(&mut parser, appended.as_bytes());
    let mut last_block_end = None;
    let mut depth = 0usize;
    loop {
        let ev = parser.parse().ok()?;
        match ev.data {
            EventData::StreamEnd => break,
            EventData::SequenceEnd | EventData::MappingEnd => depth = depth.saturating_sub(1),
            // Too deep: the real parse fails on the depth anyway (and libyaml's simple-key
            // bookkeeping gets slow beyond).
            EventData::SequenceStart { .. } | EventData::MappingStart { .. }
                if depth >= MAX_DEPTH =>
            {
                return None;
            }
            EventData::Scalar { style, .. } => {
                last_block_end = matches!(style, ScalarStyle::Literal | ScalarStyle::Folded)
                    .then_some(ev.end_mark.index as usize);
            }
            EventData::SequenceStart { .. } | EventData::MappingStart { .. } => {
                depth += 1;
                last_block_end = None;
            }
            EventData::Alias { .. } => last_block_end = None,
            _ => {}
        }
    }
    last_block_end.filter(|&end| end == appended.len())
}

/// Parses the stream into composed documents; stops after `limit` documents.
fn compose(text: &str, file: u32, limit: usize) -> Result<Vec<Doc>, Error> {
    let fix = std::panic::catch_unwind(|| block_scalar_at_eof(text)).unwrap_or(None);
    let run = |t: &str| {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            compose_inner(t, file, limit, fix)
        }))
        .unwrap_or_else(|_| Err(yaml_err("internal parser error", None)))
    };
    match fix {
        Some(_) => run(&format!("{text}\n")),
        None => run(text),
    }
}

/// [`compose`] on the text; `fix_block_end`: the end offset of a block scalar that reached the
/// end of the original input, whose added final line break is removed again.
fn compose_inner(
    text: &str,
    file: u32,
    limit: usize,
    fix_block_end: Option<usize>,
) -> Result<Vec<Doc>, Error> {
    let mut input = text.as_bytes();
    let mut parser = Parser::new();
    parser.set_input_string(&mut input);
    fix_encoding(&mut parser, text.as_bytes());
    let mut docs = Vec::new();
    let mut cur: Option<Doc> = None;
    let mut anchors: HashMap<String, usize> = HashMap::new();
    let mut stack: Vec<usize> = Vec::new();
    // Whether each open collection is a flow one; go-yaml limits flow and block nesting apart.
    let mut flow: Vec<bool> = Vec::new();
    let (mut flow_depth, mut block_depth) = (0usize, 0usize);
    loop {
        let ev = parser.parse().map_err(|e| parse_error(&e, file))?;
        let pos = pos_of(file, ev.start_mark);
        let mut new_node: Option<(CNode, Option<String>, bool)> = None;
        let mut is_flow = false;
        match ev.data {
            EventData::StreamStart { .. } => {}
            EventData::StreamEnd => break,
            EventData::DocumentStart { .. } => {
                cur = Some(Doc {
                    nodes: Vec::new(),
                    root: None,
                });
                anchors.clear();
            }
            EventData::DocumentEnd { .. } => {
                docs.extend(cur.take());
                if docs.len() >= limit {
                    break;
                }
            }
            EventData::Alias { anchor } => {
                let Some(&target) = anchors.get(&anchor) else {
                    return Err(yaml_err(
                        format_args!("unknown anchor '{anchor}' referenced"),
                        Some(pos),
                    ));
                };
                new_node = Some((
                    CNode {
                        kind: CKind::Alias {
                            target,
                            name: anchor,
                        },
                        pos,
                    },
                    None,
                    false,
                ));
            }
            EventData::Scalar {
                anchor,
                tag,
                mut value,
                plain_implicit,
                style,
                ..
            } => {
                if matches!(style, ScalarStyle::Literal | ScalarStyle::Folded)
                    && Some(ev.end_mark.index as usize) == fix_block_end
                    && value.ends_with('\n')
                {
                    value.pop();
                }
                let plain_implicit = plain_implicit && style == ScalarStyle::Plain;
                new_node = Some((
                    CNode {
                        kind: CKind::Scalar {
                            value,
                            tag,
                            plain_implicit,
                        },
                        pos,
                    },
                    anchor,
                    false,
                ));
            }
            EventData::SequenceStart { anchor, style, .. } => {
                is_flow = style == SequenceStyle::Flow;
                new_node = Some((
                    CNode {
                        kind: CKind::Seq(Vec::new()),
                        pos,
                    },
                    anchor,
                    true,
                ));
            }
            EventData::MappingStart { anchor, style, .. } => {
                is_flow = style == MappingStyle::Flow;
                new_node = Some((
                    CNode {
                        kind: CKind::Map(Vec::new()),
                        pos,
                    },
                    anchor,
                    true,
                ));
            }
            EventData::SequenceEnd | EventData::MappingEnd => {
                stack.pop();
                match flow.pop() {
                    Some(true) => flow_depth -= 1,
                    Some(false) => block_depth -= 1,
                    None => {}
                }
            }
        }
        if let Some((node, anchor, open)) = new_node {
            let doc = cur.as_mut().expect("nodes only inside documents");
            let id = doc.nodes.len();
            doc.nodes.push(node);
            if let Some(a) = anchor {
                anchors.insert(a, id);
            }
            match stack.last() {
                Some(&parent) => match &mut doc.nodes[parent].kind {
                    CKind::Seq(c) | CKind::Map(c) => c.push(id),
                    _ => unreachable!("only collections are on the stack"),
                },
                None => doc.root = Some(id),
            }
            if open {
                stack.push(id);
                flow.push(is_flow);
                if is_flow {
                    flow_depth += 1;
                } else {
                    block_depth += 1;
                }
                if flow_depth > MAX_DEPTH || block_depth > MAX_DEPTH {
                    let line = pos.line - 1;
                    let msg = format!("exceeded max depth of {MAX_DEPTH}");
                    return Err(if line != 0 {
                        yaml_err(format_args!("line {}: {msg}", line + 1), Some(pos))
                    } else {
                        yaml_err(msg, Some(pos))
                    });
                }
            }
        }
    }
    Ok(docs)
}

/// A value as go-yaml v2 decodes it into `interface{}`, with the position of its node.
pub(crate) struct Raw {
    pub(crate) v: RawValue,
    pub(crate) pos: Pos,
}

pub(crate) enum RawValue {
    Scalar(Scalar),
    Seq(Vec<Raw>),
    Map(Vec<(Raw, Raw)>),
}

/// Go map-key identity of a decoded key.
#[derive(PartialEq, Eq, Hash)]
enum KeyId {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(u64, usize),
    Str(String),
}

fn key_id(k: &Scalar, serial: usize) -> KeyId {
    match k {
        Scalar::Null => KeyId::Null,
        Scalar::Bool(b) => KeyId::Bool(*b),
        Scalar::Int(i) => KeyId::Int(*i),
        Scalar::Uint(u) => KeyId::Uint(*u),
        // NaN is never equal to itself: every NaN key is a new key.
        Scalar::Float(f) if f.is_nan() => KeyId::Float(f.to_bits(), serial),
        Scalar::Float(f) => KeyId::Float((f + 0.0).to_bits(), 0),
        Scalar::Str(s) => KeyId::Str(s.clone()),
    }
}

struct Decoder<'a> {
    doc: &'a Doc,
    decode_count: u64,
    alias_count: u64,
    alias_depth: u32,
    active: HashSet<usize>,
    serial: usize,
}

fn allowed_alias_ratio(decode_count: u64) -> f64 {
    const LOW: u64 = 400_000;
    const HIGH: u64 = 4_000_000;
    if decode_count <= LOW {
        0.99
    } else if decode_count >= HIGH {
        0.10
    } else {
        0.99 - 0.89 * ((decode_count - LOW) as f64 / (HIGH - LOW) as f64)
    }
}

struct MapBuilder {
    entries: Vec<(Raw, Raw)>,
    index: HashMap<KeyId, usize>,
}

impl MapBuilder {
    fn set(&mut self, k: Raw, v: Raw, serial: usize) {
        let id = match &k.v {
            RawValue::Scalar(s) => key_id(s, serial),
            _ => unreachable!("collection keys are rejected before"),
        };
        match self.index.get(&id) {
            Some(&i) => self.entries[i] = (k, v),
            None => {
                self.index.insert(id, self.entries.len());
                self.entries.push((k, v));
            }
        }
    }
}

impl Decoder<'_> {
    fn count(&mut self) -> Result<(), Error> {
        self.decode_count += 1;
        if self.alias_depth > 0 {
            self.alias_count += 1;
        }
        if self.alias_count > 100
            && self.decode_count > 1000
            && self.alias_count as f64 / self.decode_count as f64
                > allowed_alias_ratio(self.decode_count)
        {
            return Err(yaml_err("document contains excessive aliasing", None));
        }
        Ok(())
    }

    fn unmarshal(&mut self, id: usize) -> Result<Raw, Error> {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.unmarshal_inner(id))
    }

    fn unmarshal_inner(&mut self, id: usize) -> Result<Raw, Error> {
        self.count()?;
        let node = &self.doc.nodes[id];
        let pos = node.pos;
        match &node.kind {
            CKind::Scalar {
                value,
                tag,
                plain_implicit,
            } => {
                let s = resolve(tag.as_deref(), value, *plain_implicit)
                    .map_err(|m| yaml_err(m, Some(pos)))?;
                Ok(Raw {
                    v: RawValue::Scalar(s),
                    pos,
                })
            }
            CKind::Alias { target, name } => {
                let target = *target;
                if !self.active.insert(id) {
                    return Err(yaml_err(
                        format_args!("anchor '{name}' value contains itself"),
                        Some(pos),
                    ));
                }
                self.alias_depth += 1;
                let r = self.unmarshal(target);
                self.alias_depth -= 1;
                self.active.remove(&id);
                r
            }
            CKind::Seq(children) => {
                let mut items = Vec::with_capacity(children.len());
                for &c in children {
                    items.push(self.unmarshal(c)?);
                }
                Ok(Raw {
                    v: RawValue::Seq(items),
                    pos,
                })
            }
            CKind::Map(_) => {
                let mut b = MapBuilder {
                    entries: Vec::new(),
                    index: HashMap::new(),
                };
                self.fill_map(id, &mut b)?;
                Ok(Raw {
                    v: RawValue::Map(b.entries),
                    pos,
                })
            }
        }
    }

    fn is_merge(&self, id: usize) -> bool {
        matches!(&self.doc.nodes[id].kind, CKind::Scalar { value, tag, plain_implicit }
            if value == "<<" && (*plain_implicit || tag.as_deref() == Some(MERGE_TAG)))
    }

    fn fill_map(&mut self, id: usize, b: &mut MapBuilder) -> Result<(), Error> {
        let CKind::Map(children) = &self.doc.nodes[id].kind else {
            unreachable!("fill_map on a mapping")
        };
        for pair in children.chunks(2) {
            let (k, v) = (pair[0], pair[1]);
            if self.is_merge(k) {
                self.merge(v, b)?;
                continue;
            }
            let key = self.unmarshal(k)?;
            if !matches!(key.v, RawValue::Scalar(_)) {
                return Err(yaml_err(
                    format_args!("invalid map key: {}", go_sharp(&key)),
                    Some(key.pos),
                ));
            }
            let value = self.unmarshal(v)?;
            self.serial += 1;
            b.set(key, value, self.serial);
        }
        Ok(())
    }

    /// Unmarshals a mapping (or an alias of one) into an existing map.
    fn merge_one(&mut self, id: usize, b: &mut MapBuilder) -> Result<(), Error> {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
            self.count()?;
            match &self.doc.nodes[id].kind {
                CKind::Map(_) => self.fill_map(id, b),
                CKind::Alias { target, name } => {
                    let target = *target;
                    if !self.active.insert(id) {
                        return Err(yaml_err(
                            format_args!("anchor '{name}' value contains itself"),
                            None,
                        ));
                    }
                    self.alias_depth += 1;
                    let r = self.merge_one(target, b);
                    self.alias_depth -= 1;
                    self.active.remove(&id);
                    r
                }
                _ => Err(want_map()),
            }
        })
    }

    fn target_kind_is_map(&self, id: usize) -> bool {
        match &self.doc.nodes[id].kind {
            CKind::Map(_) => true,
            CKind::Alias { target, .. } => matches!(self.doc.nodes[*target].kind, CKind::Map(_)),
            _ => false,
        }
    }

    fn merge(&mut self, id: usize, b: &mut MapBuilder) -> Result<(), Error> {
        match &self.doc.nodes[id].kind {
            CKind::Map(_) => self.merge_one(id, b),
            CKind::Alias { .. } => {
                if !self.target_kind_is_map(id) {
                    return Err(want_map());
                }
                self.merge_one(id, b)
            }
            CKind::Seq(children) => {
                let children = children.clone();
                for &c in children.iter().rev() {
                    if !self.target_kind_is_map(c) {
                        return Err(want_map());
                    }
                    self.merge_one(c, b)?;
                }
                Ok(())
            }
            CKind::Scalar { .. } => Err(want_map()),
        }
    }
}

fn want_map() -> Error {
    yaml_err(
        "map merge requires map or sequence of maps as the value",
        None,
    )
}

/// Go's `%#v` of a decoded value (for error messages).
fn go_sharp(r: &Raw) -> String {
    match &r.v {
        RawValue::Scalar(s) => go_sharp_scalar(s),
        RawValue::Seq(items) => format!(
            "[]interface {{}}{{{}}}",
            items.iter().map(go_sharp).collect::<Vec<_>>().join(", ")
        ),
        RawValue::Map(entries) => {
            let mut parts: Vec<String> = entries
                .iter()
                .map(|(k, v)| format!("{}:{}", go_sharp(k), go_sharp(v)))
                .collect();
            parts.sort();
            format!("map[interface {{}}]interface {{}}{{{}}}", parts.join(", "))
        }
    }
}

fn go_sharp_scalar(s: &Scalar) -> String {
    match s {
        Scalar::Null => "interface {}(nil)".into(),
        Scalar::Bool(b) => b.to_string(),
        Scalar::Int(i) => i.to_string(),
        Scalar::Uint(u) => format!("0x{u:x}"),
        Scalar::Float(f) => crate::number::format_g(*f),
        Scalar::Str(s) => go_quote(s),
    }
}

/// Go's `%q`-style quoting (`strconv.Quote`).
pub(crate) fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\x07' => out.push_str("\\a"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            '\x0b' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `%+#v` of a map key or value in sigs.k8s.io/yaml's key error.
fn go_sharp_plus(r: &Raw) -> String {
    match &r.v {
        RawValue::Scalar(Scalar::Null) => "<nil>".into(),
        _ => go_sharp(r),
    }
}

fn go_type(s: &Scalar) -> &'static str {
    match s {
        Scalar::Null => "%!s(<nil>)",
        Scalar::Bool(_) => "bool",
        Scalar::Int(_) => "int",
        Scalar::Uint(_) => "uint64",
        Scalar::Float(_) => "float64",
        Scalar::Str(_) => "string",
    }
}

fn json_err(message: String, pos: Option<Pos>) -> Error {
    Error {
        stage: ErrorStage::Json,
        message,
        pos,
    }
}

/// sigs.k8s.io/yaml's conversion to JSON-able values and the JSON round trip: keys become
/// strings, numbers float64; infinities and NaN fail as `json.Marshal` does.
fn jsonize(r: Raw) -> Result<Node, Error> {
    stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
        let pos = r.pos;
        let value = match r.v {
            RawValue::Scalar(s) => match s {
                Scalar::Null => NodeValue::Null,
                Scalar::Bool(b) => NodeValue::Bool(b),
                Scalar::Int(i) => NodeValue::Float(i as f64),
                Scalar::Uint(u) => NodeValue::Float(u as f64),
                Scalar::Float(f) => NodeValue::Float(f),
                Scalar::Str(s) => NodeValue::String(s),
            },
            RawValue::Seq(items) => NodeValue::Seq(
                items
                    .into_iter()
                    .map(jsonize)
                    .collect::<Result<Vec<_>, _>>()?,
            ),
            RawValue::Map(entries) => {
                let mut out: Vec<(Key, Node)> = Vec::with_capacity(entries.len());
                let mut index: HashMap<String, usize> = HashMap::new();
                for (k, v) in entries {
                    let RawValue::Scalar(ks) = &k.v else {
                        unreachable!("collection keys are rejected by the decoder")
                    };
                    let name = match ks {
                        Scalar::Str(s) => s.clone(),
                        Scalar::Int(i) => i.to_string(),
                        Scalar::Bool(b) => b.to_string(),
                        Scalar::Float(f) => match crate::number::format_g32(*f).as_str() {
                            "+Inf" => ".inf".into(),
                            "-Inf" => "-.inf".into(),
                            "NaN" => ".nan".into(),
                            s => s.to_string(),
                        },
                        Scalar::Null | Scalar::Uint(_) => {
                            return Err(json_err(
                                format!(
                                    "unsupported map key of type: {}, key: {}, value: {}",
                                    go_type(ks),
                                    go_sharp_plus(&k),
                                    go_sharp_plus(&v)
                                ),
                                Some(k.pos),
                            ));
                        }
                    };
                    let key = Key {
                        name: name.clone(),
                        pos: k.pos,
                    };
                    let node = jsonize(v)?;
                    match index.get(&name) {
                        Some(&i) => out[i] = (key, node),
                        None => {
                            index.insert(name, out.len());
                            out.push((key, node));
                        }
                    }
                }
                NodeValue::Map(out)
            }
        };
        Ok(Node { value, pos })
    })
}

/// The first non-finite float in JSON's order (map keys sorted), as `json.Marshal` reports it.
fn check_finite(n: &Node) -> Result<(), Error> {
    stacker::maybe_grow(64 * 1024, 1024 * 1024, || match &n.value {
        NodeValue::Float(f) if !f.is_finite() => Err(json_err(
            format!("json: unsupported value: {}", crate::number::format_g(*f)),
            Some(n.pos),
        )),
        NodeValue::Seq(items) => items.iter().try_for_each(check_finite),
        NodeValue::Map(entries) => {
            let mut sorted: Vec<&(Key, Node)> = entries.iter().collect();
            sorted.sort_by(|a, b| a.0.name.cmp(&b.0.name));
            sorted.into_iter().try_for_each(|(_, v)| check_finite(v))
        }
        _ => Ok(()),
    })
}

/// Decodes one composed document the way go-yaml v2 decodes into `interface{}`.
fn decode_doc(doc: &Doc) -> Result<Option<Raw>, Error> {
    let Some(root) = doc.root else {
        return Ok(None);
    };
    let mut d = Decoder {
        doc,
        decode_count: 1, // the document node
        alias_count: 0,
        alias_depth: 0,
        active: HashSet::new(),
        serial: 0,
    };
    d.unmarshal(root).map(Some)
}

fn null_node(file: u32) -> Node {
    Node {
        value: NodeValue::Null,
        pos: Pos {
            file,
            line: 1,
            column: 1,
            offset: 0,
        },
    }
}

/// Go's JSON decoder nesting limit (`invalid character '[' exceeded max depth`).
const MAX_JSON_DEPTH: usize = 10_000;

/// The first container nested deeper than Go's JSON decoder accepts, in JSON text order.
fn check_json_depth(n: &Node, depth: usize) -> Result<(), Error> {
    let (open, children): (char, Vec<&Node>) = match &n.value {
        NodeValue::Seq(items) => ('[', items.iter().collect()),
        NodeValue::Map(entries) => {
            let mut sorted: Vec<&(Key, Node)> = entries.iter().collect();
            sorted.sort_by(|a, b| a.0.name.cmp(&b.0.name));
            ('{', sorted.into_iter().map(|(_, v)| v).collect())
        }
        _ => return Ok(()),
    };
    if depth + 1 > MAX_JSON_DEPTH {
        return Err(Error {
            stage: ErrorStage::JsonDecode,
            message: format!("invalid character '{open}' exceeded max depth"),
            pos: Some(n.pos),
        });
    }
    stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
        children
            .into_iter()
            .try_for_each(|c| check_json_depth(c, depth + 1))
    })
}

fn to_node(raw: Option<Raw>, file: u32) -> Result<Node, Error> {
    match raw {
        None => Ok(null_node(file)),
        Some(r) => {
            let n = jsonize(r)?;
            check_finite(&n)?;
            check_json_depth(&n, 0)?;
            Ok(n)
        }
    }
}

/// Loads the first document of `text` (an empty stream is null).
pub(crate) fn load_first(text: &str, file: u32) -> Result<Node, Error> {
    let docs = compose(text, file, 1)?;
    let raw = match docs.first() {
        Some(doc) => decode_doc(doc)?,
        None => None,
    };
    to_node(raw, file)
}

/// Loads every document of `text`.
pub(crate) fn load_every(text: &str, file: u32) -> Result<Vec<Node>, Error> {
    let docs = compose(text, file, usize::MAX)?;
    docs.iter().map(|d| to_node(decode_doc(d)?, file)).collect()
}
