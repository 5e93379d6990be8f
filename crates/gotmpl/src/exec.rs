//! The executor: walks a parsed tree with data, writing output.
//!
//! It follows Go's `text/template/exec.go` evaluation order, since the order decides which error
//! a template reports and at which node (`s.at(node)` in Go is [`State::at`] here).

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use crate::ast::*;
use crate::error::{Error, ExecLocation};
use crate::func::{Func, FuncMap, Param};
use crate::gofmt;
use crate::output::Output;
use crate::value::{ElemType, List, Map, Value};

/// Stack kept free before recursing, and the size of each new stack segment: deep templates
/// grow onto the heap instead of overflowing the thread's stack.
pub(crate) const RED_ZONE: usize = 128 * 1024;
pub(crate) const STACK_SEGMENT: usize = 8 * 1024 * 1024;

/// What to do when a field names a map key that is absent (Go's `missingkey` option).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MissingKey {
    /// `missingkey=default`/`invalid`: no value (prints `<no value>`); Go's default.
    #[default]
    Invalid,
    /// `missingkey=zero`: the zero value of the map's element type, a nil `interface{}` for the
    /// maps templates see (prints `<no value>` too, but `.a.b` on it is an error). Helm's choice.
    Zero,
    /// `missingkey=error`: execution stops with `map has no entry for key "x"`.
    Error,
}

/// Behaviours that changed between the Go versions Helm releases are built with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum GoVersion {
    /// Go 1.23 (Helm 3.17): no `range` over integers; comparison errors without type names.
    Go1_23,
    /// Go 1.25 (Helm 4.1): `range 3` iterates 0, 1, 2; `incompatible types for comparison:
    /// float64 and int`.
    #[default]
    Go1_25,
}

/// Execution options.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Missing map key behaviour.
    pub missing_key: MissingKey,
    /// Which Go release to behave like.
    pub go_version: GoVersion,
    /// Maximum nesting of `{{template}}` calls (Go: 100000).
    pub max_depth: usize,
    /// Maximum bytes one execution may write; beyond it execution fails.
    pub max_output: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            missing_key: MissingKey::Invalid,
            go_version: GoVersion::Go1_25,
            max_depth: 100_000,
            max_output: 1 << 30,
        }
    }
}

/// A set of named templates sharing one namespace and one function map, like a Go
/// `*template.Template` with its associated templates.
#[derive(Clone)]
pub struct TemplateSet {
    name: String,
    trees: HashMap<String, Arc<Tree>>,
    funcs: Arc<FuncMap>,
    options: Options,
}

impl TemplateSet {
    /// An empty set whose root template is called `name` (Helm calls it `gotpl`; errors about
    /// unknown templates mention it).
    pub fn new(name: impl Into<String>) -> TemplateSet {
        TemplateSet {
            name: name.into(),
            trees: HashMap::new(),
            funcs: Arc::new(FuncMap::new()),
            options: Options::default(),
        }
    }

    /// The root name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Adds host functions (replacing same-named ones). Builtins stay available unless shadowed.
    pub fn add_funcs(&mut self, funcs: FuncMap) {
        Arc::make_mut(&mut self.funcs).extend(funcs);
    }

    /// The host functions.
    pub fn funcs(&self) -> &FuncMap {
        &self.funcs
    }

    /// Execution options.
    pub fn options(&self) -> Options {
        self.options
    }

    /// Sets the execution options.
    pub fn set_options(&mut self, options: Options) {
        self.options = options;
    }

    /// Whether `name` is a function (host or builtin), as the parser checks.
    pub fn has_function(&self, name: &str) -> bool {
        self.funcs.contains(name) || crate::funcs::builtins().contains(name)
    }

    /// Parses `text` as the template `name` and adds it and every template it defines, as Go's
    /// `t.New(name).Parse(text)` does: a later non-empty definition replaces an earlier one, an
    /// empty one never does.
    pub fn parse(&mut self, name: &str, text: &str) -> Result<(), Error> {
        let has = |f: &str| self.has_function(f);
        let trees = crate::parse::parse(name, text, &has, self.options.go_version)?;
        for tree in trees {
            let replace = !(self.trees.contains_key(&tree.name) && tree.is_empty());
            if replace {
                self.trees.insert(tree.name.clone(), Arc::new(tree));
            }
        }
        Ok(())
    }

    /// Whether a template called `name` exists.
    pub fn has_template(&self, name: &str) -> bool {
        self.trees.contains_key(name)
    }

    /// The names of all templates, sorted.
    pub fn template_names(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.trees.keys().map(String::as_str).collect();
        v.sort_unstable();
        v
    }

    /// The parse tree of `name`.
    pub fn tree(&self, name: &str) -> Option<&Arc<Tree>> {
        self.trees.get(name)
    }

    /// Executes the template `name` with `data` and returns the output (Go's `ExecuteTemplate`).
    pub fn execute(&self, name: &str, data: Value) -> Result<String, Error> {
        let mut out = Output::new();
        self.execute_to(name, data, &mut out)?;
        Ok(out.into_string())
    }

    /// Executes into `out`, which may record provenance.
    pub fn execute_to(&self, name: &str, data: Value, out: &mut Output) -> Result<(), Error> {
        let Some(tree) = self.trees.get(name) else {
            return Err(Error::exec(
                "",
                None,
                format!(
                    "no template {} associated with template {}",
                    gofmt::quote(name),
                    gofmt::quote(&self.name)
                ),
            ));
        };
        let data = match data {
            Value::Nil => Value::Missing,
            d => d,
        };
        let mut st = State {
            set: self,
            tmpl: name,
            tree,
            out,
            vars: vec![Var {
                name: "$".into(),
                value: data.clone(),
                boxed: false,
            }],
            depth: 0,
            cur: None,
        };
        let dot = Dot {
            v: data,
            boxed: false,
        };
        match st.walk_list(&dot, &tree.root) {
            Ok(()) => Ok(()),
            Err(Flow::Err(e)) => Err(e),
            Err(Flow::Break | Flow::Continue) => Ok(()),
        }
    }
}

/// What a host function can do besides computing: execute templates of the set it runs in.
pub struct CallContext<'a> {
    set: &'a TemplateSet,
}

impl CallContext<'_> {
    /// The template set being executed (a `tpl` clone while inside one).
    pub fn template_set(&self) -> &TemplateSet {
        self.set
    }

    /// Executes the named template of the current set with `data` into a string (what Helm's
    /// `include` does).
    pub fn execute_template(&mut self, name: &str, data: Value) -> Result<String, Error> {
        let set = self.set;
        stacker::maybe_grow(RED_ZONE, STACK_SEGMENT, || set.execute(name, data))
    }

    /// Parses `text` as template `name` into a clone of the current set, optionally with more
    /// functions, and executes it with `data` (what Helm's `tpl` does). `Err` distinguishes
    /// parse from execution errors through [`Error::kind`].
    pub fn parse_and_execute(
        &mut self,
        name: &str,
        text: &str,
        data: Value,
        funcs: Option<FuncMap>,
    ) -> Result<String, Error> {
        let mut clone = self.set.clone();
        if let Some(f) = funcs {
            clone.add_funcs(f);
        }
        clone.parse(name, text)?;
        stacker::maybe_grow(RED_ZONE, STACK_SEGMENT, || clone.execute(name, data))
    }
}

// ---------------------------------------------------------------------------------------------

/// Non-local exits while walking.
enum Flow {
    Break,
    Continue,
    Err(Error),
}

impl From<Error> for Flow {
    fn from(e: Error) -> Self {
        Flow::Err(e)
    }
}

type R<T> = Result<T, Flow>;

/// The cursor, remembering whether its static Go type is `interface {}` (it came out of a map or
/// an `[]interface {}`), which only error messages can tell.
#[derive(Clone)]
struct Dot {
    v: Value,
    boxed: bool,
}

struct Var {
    name: String,
    value: Value,
    boxed: bool,
}

struct State<'t, 'o> {
    set: &'t TemplateSet,
    tmpl: &'t str,
    tree: &'t Tree,
    out: &'o mut Output,
    vars: Vec<Var>,
    depth: usize,
    cur: Option<(Pos, &'t dyn fmt::Display)>,
}

/// The zero value Go passes for a nil argument of a nilable parameter type.
fn zero_of(p: Param) -> Value {
    match p {
        Param::List => Value::List(List::new(vec![])),
        Param::StringList => Value::List(List::typed(ElemType::String, vec![])),
        Param::Map => Value::Map(Map::nil()),
        Param::Reflect => Value::Missing,
        _ => Value::Nil,
    }
}

fn can_be_nil(p: Param) -> bool {
    match p {
        Param::Any | Param::Reflect | Param::List | Param::StringList | Param::Map => true,
        Param::Named(name) => name.starts_with('*'),
        _ => false,
    }
}

fn assignable(v: &Value, p: Param) -> bool {
    match p {
        Param::Any | Param::Reflect => true,
        Param::String => matches!(v, Value::String(_)),
        Param::Int => matches!(v, Value::Int(_)),
        Param::Int64 => matches!(v, Value::Int64(_)),
        Param::Float64 => matches!(v, Value::Float(_)),
        Param::Bool => matches!(v, Value::Bool(_)),
        Param::List => matches!(v, Value::List(l) if l.elem() == ElemType::Interface),
        Param::StringList => matches!(v, Value::List(l) if l.elem() == ElemType::String),
        // Named map types (`common.Values`) have `map[string]interface {}` underneath; other
        // map types (`map[string]string`) are not assignable.
        Param::Map => {
            matches!(v, Value::Map(m) if m.type_name() == "map[string]interface {}" || !m.type_name().starts_with("map["))
        }
        Param::Named(name) => matches!(v, Value::Object(o) if o.type_name() == name),
    }
}

impl<'t> State<'t, '_> {
    fn at(&mut self, pos: Pos, node: &'t dyn fmt::Display) {
        self.cur = Some((pos, node));
    }

    fn error(&self, msg: String) -> Flow {
        let location = self.cur.map(|(pos, node)| {
            let (line, col) = self.tree.location(pos);
            ExecLocation {
                file: self.tree.parse_name.to_string(),
                line,
                col,
                offset: pos,
                context: node.to_string(),
            }
        });
        Flow::Err(Error::exec(self.tmpl, location, msg))
    }

    fn errorf<T>(&self, msg: String) -> R<T> {
        Err(self.error(msg))
    }

    fn write(&mut self, s: &str, pos: Pos) -> R<()> {
        if self.out.len() + s.len() > self.set.options.max_output {
            return self.errorf(format!(
                "output exceeds the limit of {} bytes",
                self.set.options.max_output
            ));
        }
        self.out.write(s, &self.tree.parse_name, pos);
        Ok(())
    }

    // ---- variables ----

    fn push(&mut self, name: &str, value: Value, boxed: bool) {
        self.vars.push(Var {
            name: name.to_string(),
            value,
            boxed,
        });
    }

    fn set_var(&mut self, name: &str, value: Value, boxed: bool) -> R<()> {
        for v in self.vars.iter_mut().rev() {
            if v.name == name {
                v.value = value;
                v.boxed = boxed;
                return Ok(());
            }
        }
        self.errorf(format!("undefined variable: {name}"))
    }

    fn set_top_var(&mut self, n: usize, value: Value, boxed: bool) {
        let len = self.vars.len();
        let v = &mut self.vars[len - n];
        v.value = value;
        v.boxed = boxed;
    }

    fn var_value(&self, name: &str) -> R<(Value, bool)> {
        for v in self.vars.iter().rev() {
            if v.name == name {
                return Ok((v.value.clone(), v.boxed));
            }
        }
        self.errorf(format!("undefined variable: {name}"))
    }

    // ---- statements ----

    fn walk_list(&mut self, dot: &Dot, list: &'t ListNode) -> R<()> {
        for n in &list.nodes {
            self.walk(dot, n)?;
        }
        Ok(())
    }

    fn walk(&mut self, dot: &Dot, node: &'t Node) -> R<()> {
        match node {
            Node::If(_) | Node::With(_) | Node::Range(_) => {
                stacker::maybe_grow(RED_ZONE, STACK_SEGMENT, || self.walk_inner(dot, node))
            }
            _ => self.walk_inner(dot, node),
        }
    }

    fn walk_inner(&mut self, dot: &Dot, node: &'t Node) -> R<()> {
        match node {
            Node::Text(t) => self.write(&t.text, t.pos),
            Node::Comment(_) => Ok(()),
            Node::Action(a) => {
                self.at(a.pos, a);
                let val = self.eval_pipeline(dot, &a.pipe)?;
                if a.pipe.decl.is_empty() {
                    self.print_value(a, val)?;
                }
                Ok(())
            }
            Node::Break(_) => Err(Flow::Break),
            Node::Continue(_) => Err(Flow::Continue),
            Node::If(b) => {
                self.at(b.pos, node);
                self.walk_if_or_with(false, dot, b)
            }
            Node::With(b) => {
                self.at(b.pos, node);
                self.walk_if_or_with(true, dot, b)
            }
            Node::Range(b) => {
                self.at(b.pos, node);
                let mark = self.vars.len();
                let r = self.walk_range(dot, b);
                self.vars.truncate(mark);
                r
            }
            Node::Template(t) => {
                self.at(t.pos, t);
                stacker::maybe_grow(RED_ZONE, STACK_SEGMENT, || self.walk_template(dot, t))
            }
        }
    }

    fn print_value(&mut self, a: &'t ActionNode, v: Value) -> R<()> {
        self.at(a.pos, a);
        let s = match &v {
            Value::Missing | Value::Nil => "<no value>".to_string(),
            Value::Func(f) => {
                return self.errorf(format!("can't print {a} of type {}", f.type_name()));
            }
            v => gofmt::format_value(v),
        };
        self.write(&s, a.pos)
    }

    fn walk_if_or_with(&mut self, with: bool, dot: &Dot, b: &'t BranchNode) -> R<()> {
        let mark = self.vars.len();
        let r = (|| {
            let val = self.eval_pipeline(dot, &b.pipe)?;
            if val.truthy() {
                if with {
                    self.walk_list(
                        &Dot {
                            v: val,
                            boxed: false,
                        },
                        &b.list,
                    )
                } else {
                    self.walk_list(dot, &b.list)
                }
            } else if let Some(e) = &b.else_list {
                self.walk_list(dot, e)
            } else {
                Ok(())
            }
        })();
        self.vars.truncate(mark);
        r
    }

    fn walk_range(&mut self, dot: &Dot, r: &'t BranchNode) -> R<()> {
        let val = self.eval_pipeline(dot, &r.pipe)?;
        let mark = self.vars.len();
        let mut ran = false;
        let body = |st: &mut Self, index: Value, elem: Value, boxed: bool| -> R<bool> {
            let decl = &r.pipe.decl;
            if !decl.is_empty() {
                if r.pipe.is_assign {
                    if decl.len() > 1 {
                        st.set_var(&decl[0].ident[0], index.clone(), false)?;
                    } else {
                        st.set_var(&decl[0].ident[0], elem.clone(), boxed)?;
                    }
                } else {
                    st.set_top_var(1, elem.clone(), boxed);
                }
            }
            if decl.len() > 1 {
                if r.pipe.is_assign {
                    st.set_var(&decl[1].ident[0], elem.clone(), boxed)?;
                } else {
                    st.set_top_var(2, index, false);
                }
            }
            let res = st.walk_list(&Dot { v: elem, boxed }, &r.list);
            st.vars.truncate(mark);
            match res {
                Ok(()) | Err(Flow::Continue) => Ok(true),
                Err(Flow::Break) => Ok(false),
                Err(e) => Err(e),
            }
        };
        match &val {
            Value::List(l) => {
                let boxed = l.elem() == ElemType::Interface;
                for (i, item) in l.iter().enumerate() {
                    ran = true;
                    if !body(self, Value::Int(i as i64), item.clone(), boxed)? {
                        break;
                    }
                }
            }
            Value::Bytes(b) => {
                for (i, item) in b.iter().enumerate() {
                    ran = true;
                    if !body(self, Value::Int(i as i64), Value::Uint8(*item), false)? {
                        break;
                    }
                }
            }
            Value::Map(m) => {
                for (k, v) in m.entries() {
                    ran = true;
                    if !body(self, Value::String(k.into()), v, true)? {
                        break;
                    }
                }
            }
            Value::Object(o) if o.as_list().is_some() || o.as_map().is_some() => {
                if let Some(l) = o.as_list() {
                    for (i, item) in l.iter().enumerate() {
                        ran = true;
                        if !body(
                            self,
                            Value::Int(i as i64),
                            item.clone(),
                            l.elem() == ElemType::Interface,
                        )? {
                            break;
                        }
                    }
                } else if let Some(m) = o.as_map() {
                    for (k, v) in m.entries() {
                        ran = true;
                        if !body(self, Value::String(k.into()), v, true)? {
                            break;
                        }
                    }
                }
            }
            Value::Int(_) | Value::Int64(_) | Value::Uint8(_)
                if self.set.options.go_version >= GoVersion::Go1_25 =>
            {
                if r.pipe.decl.len() > 1 {
                    return self.errorf(format!(
                        "can't use {} to iterate over more than one variable",
                        gofmt::format_value(&val)
                    ));
                }
                let (n, make): (i64, fn(i64) -> Value) = match val {
                    Value::Int(n) => (n, Value::Int),
                    Value::Int64(n) => (n, Value::Int64),
                    Value::Uint8(n) => (n as i64, |i| Value::Uint8(i as u8)),
                    _ => unreachable!(),
                };
                for i in 0..n.max(0) {
                    ran = true;
                    if !body(self, Value::Missing, make(i), false)? {
                        break;
                    }
                }
            }
            Value::Missing | Value::Nil => {}
            _ => {
                return self.errorf(format!(
                    "range can't iterate over {}",
                    gofmt::format_value(&val)
                ));
            }
        }
        if !ran && let Some(e) = &r.else_list {
            return self.walk_list(dot, e);
        }
        Ok(())
    }

    fn walk_template(&mut self, dot: &Dot, t: &'t TemplateNode) -> R<()> {
        let set = self.set;
        let Some(tree) = set.trees.get(&t.name) else {
            return self.errorf(format!("template {} not defined", gofmt::quote(&t.name)));
        };
        if self.depth >= set.options.max_depth {
            return self.errorf(format!(
                "exceeded maximum template depth ({})",
                set.options.max_depth
            ));
        }
        let new_dot = match &t.pipe {
            Some(p) => self.eval_pipeline(dot, p)?,
            None => Value::Missing,
        };
        let saved_vars = std::mem::replace(
            &mut self.vars,
            vec![Var {
                name: "$".into(),
                value: new_dot.clone(),
                boxed: false,
            }],
        );
        let saved = (self.tmpl, self.tree, self.cur);
        self.tmpl = tree.name.as_str();
        self.tree = tree.as_ref();
        self.depth += 1;
        let r = self.walk_list(
            &Dot {
                v: new_dot,
                boxed: false,
            },
            &tree.root,
        );
        self.depth -= 1;
        self.vars = saved_vars;
        if r.is_ok() {
            (self.tmpl, self.tree, self.cur) = saved;
        }
        r
    }

    // ---- expressions ----

    fn eval_pipeline(&mut self, dot: &Dot, pipe: &'t PipeNode) -> R<Value> {
        stacker::maybe_grow(RED_ZONE, STACK_SEGMENT, || {
            self.eval_pipeline_inner(dot, pipe)
        })
    }

    fn eval_pipeline_inner(&mut self, dot: &Dot, pipe: &'t PipeNode) -> R<Value> {
        self.at(pipe.pos, pipe);
        let mut value: Option<Value> = None;
        for cmd in &pipe.cmds {
            let v = self.eval_command(dot, cmd, value.take())?;
            // An interface{} result is unwrapped: a nil one becomes "no value".
            value = Some(match v {
                Value::Nil => Value::Missing,
                v => v,
            });
        }
        let value = value.unwrap_or(Value::Missing);
        for var in &pipe.decl {
            if pipe.is_assign {
                self.set_var(&var.ident[0], value.clone(), false)?;
            } else {
                self.push(&var.ident[0], value.clone(), false);
            }
        }
        Ok(value)
    }

    fn not_a_function(&self, first: &Arg, args: &[Arg], fin: &Option<Value>) -> R<()> {
        if !args.is_empty() || fin.is_some() {
            return self.errorf(format!("can't give argument to non-function {first}"));
        }
        Ok(())
    }

    fn eval_command(&mut self, dot: &Dot, cmd: &'t CommandNode, fin: Option<Value>) -> R<Value> {
        let first = &cmd.args[0];
        let rest = &cmd.args[1..];
        match first {
            Arg::Field(f) => return Ok(self.eval_field_node(dot, f, rest, fin)?.0),
            Arg::Chain(c) => return Ok(self.eval_chain_node(dot, c, rest, fin)?.0),
            Arg::Identifier(id) => return self.eval_function(dot, id, (cmd.pos, cmd), rest, fin),
            Arg::Pipe(p) => {
                self.not_a_function(first, rest, &fin)?;
                return self.eval_pipeline(dot, p);
            }
            Arg::Variable(v) => return Ok(self.eval_variable_node(dot, v, rest, fin)?.0),
            _ => {}
        }
        self.at(first.pos(), first);
        self.not_a_function(first, rest, &fin)?;
        match first {
            Arg::Bool(_, b) => Ok(Value::Bool(*b)),
            Arg::Dot(_) => Ok(dot.v.clone()),
            Arg::Nil(_) => self.errorf("nil is not a command".into()),
            Arg::Number(n) => self.ideal_constant(n),
            Arg::String(s) => Ok(Value::String(s.text.as_str().into())),
            _ => self.errorf(format!(
                "can't evaluate command {}",
                gofmt::quote(&first.to_string())
            )),
        }
    }

    fn ideal_constant(&mut self, n: &'t NumberNode) -> R<Value> {
        self.at(n.pos, &n.text);
        let t = &n.text;
        let is_hex_int = t.len() > 2
            && t.starts_with('0')
            && matches!(t.as_bytes()[1], b'x' | b'X')
            && !t.contains(['p', 'P']);
        let is_rune_int = t.starts_with('\'');
        if n.is_complex {
            return Ok(Value::Complex(n.complex.0, n.complex.1));
        }
        if n.is_float && !is_hex_int && !is_rune_int && t.contains(['.', 'e', 'E', 'p', 'P']) {
            return Ok(Value::Float(n.float64));
        }
        if n.is_int {
            return Ok(Value::Int(n.int64));
        }
        if n.is_uint {
            return self.errorf(format!("{t} overflows int"));
        }
        Ok(Value::Missing)
    }

    fn eval_field_node(
        &mut self,
        dot: &Dot,
        f: &'t FieldNode,
        args: &'t [Arg],
        fin: Option<Value>,
    ) -> R<(Value, bool)> {
        self.at(f.pos, f);
        self.eval_field_chain(dot, (dot.v.clone(), dot.boxed), f, &f.ident, args, fin)
    }

    fn eval_chain_node(
        &mut self,
        dot: &Dot,
        c: &'t ChainNode,
        args: &'t [Arg],
        fin: Option<Value>,
    ) -> R<(Value, bool)> {
        self.at(c.pos, c);
        if let Arg::Nil(_) = c.node.as_ref() {
            return self.errorf(format!("indirection through explicit nil in {c}"));
        }
        let pipe = self.eval_arg_untyped(dot, &c.node)?;
        self.eval_field_chain(dot, (pipe, false), c, &c.field, args, fin)
    }

    fn eval_variable_node(
        &mut self,
        dot: &Dot,
        v: &'t VariableNode,
        args: &'t [Arg],
        fin: Option<Value>,
    ) -> R<(Value, bool)> {
        self.at(v.pos, v);
        let (value, boxed) = self.var_value(&v.ident[0])?;
        if v.ident.len() == 1 {
            if !args.is_empty() || fin.is_some() {
                return self.errorf(format!("can't give argument to non-function {v}"));
            }
            return Ok((value, boxed));
        }
        self.eval_field_chain(dot, (value, boxed), v, &v.ident[1..], args, fin)
    }

    fn eval_field_chain(
        &mut self,
        dot: &Dot,
        mut receiver: (Value, bool),
        node: &'t dyn NodeAt,
        ident: &'t [String],
        args: &'t [Arg],
        fin: Option<Value>,
    ) -> R<(Value, bool)> {
        let n = ident.len();
        for name in &ident[..n - 1] {
            receiver = self.eval_field(dot, name, node, &[], None, receiver)?;
        }
        self.eval_field(dot, &ident[n - 1], node, args, fin, receiver)
    }

    fn eval_field(
        &mut self,
        dot: &Dot,
        name: &'t str,
        node: &'t dyn NodeAt,
        args: &'t [Arg],
        fin: Option<Value>,
        receiver: (Value, bool),
    ) -> R<(Value, bool)> {
        let (recv, boxed) = receiver;
        let has_args = !args.is_empty() || fin.is_some();
        match &recv {
            Value::Missing => {
                if self.set.options.missing_key == MissingKey::Error {
                    return self
                        .errorf(format!("nil data; no entry for key {}", gofmt::quote(name)));
                }
                Ok((Value::Missing, false))
            }
            Value::Nil => self.errorf(format!("nil pointer evaluating interface {{}}.{name}")),
            Value::Object(o) => {
                if let Some(m) = o.method(name) {
                    let v = self.eval_call(
                        dot,
                        &m,
                        false,
                        (node.pos(), node.display()),
                        name,
                        args,
                        fin,
                    )?;
                    return Ok((v, false));
                }
                if let Some(f) = o.field(name) {
                    if has_args {
                        return self.errorf(format!(
                            "{name} has arguments but cannot be invoked as function"
                        ));
                    }
                    return Ok((f, false));
                }
                if let Some(m) = o.as_map() {
                    return self.map_field(&m, name, has_args);
                }
                let ty = if boxed { "interface {}" } else { o.type_name() };
                self.errorf(format!("can't evaluate field {name} in type {ty}"))
            }
            Value::Map(m) => self.map_field(m, name, has_args),
            v => {
                let ty = if boxed {
                    "interface {}".to_string()
                } else {
                    v.type_name()
                };
                self.errorf(format!("can't evaluate field {name} in type {ty}"))
            }
        }
    }

    fn map_field(&mut self, m: &Map, name: &str, has_args: bool) -> R<(Value, bool)> {
        if has_args {
            return self.errorf(format!("{name} is not a method but has arguments"));
        }
        match m.get(name) {
            Some(v) => Ok((v, true)),
            None => match self.set.options.missing_key {
                MissingKey::Invalid => Ok((Value::Missing, false)),
                MissingKey::Zero => Ok((Value::Nil, true)),
                MissingKey::Error => {
                    self.errorf(format!("map has no entry for key {}", gofmt::quote(name)))
                }
            },
        }
    }

    fn eval_function(
        &mut self,
        dot: &Dot,
        id: &'t IdentifierNode,
        node: (Pos, &'t dyn fmt::Display),
        args: &'t [Arg],
        fin: Option<Value>,
    ) -> R<Value> {
        self.at(id.pos, &id.ident);
        let name = id.ident.as_str();
        let (func, builtin) = match self.set.funcs.get(name) {
            Some(f) => (f.clone(), false),
            None => match crate::funcs::builtins().get(name) {
                Some(f) => (f.clone(), true),
                None => {
                    return self
                        .errorf(format!("{} is not a defined function", gofmt::quote(name)));
                }
            },
        };
        self.eval_call(dot, &func, builtin, node, name, args, fin)
    }

    #[allow(clippy::too_many_arguments)]
    fn eval_call(
        &mut self,
        dot: &Dot,
        func: &Func,
        builtin: bool,
        node: (Pos, &'t dyn fmt::Display),
        name: &str,
        args: &'t [Arg],
        fin: Option<Value>,
    ) -> R<Value> {
        let sig = func.signature().clone();
        let num_in = args.len() + usize::from(fin.is_some());
        let num_fixed = if sig.variadic.is_some() {
            sig.params.len()
        } else {
            args.len()
        };
        if sig.variadic.is_some() {
            if num_in < num_fixed {
                return self.errorf(format!(
                    "wrong number of args for {name}: want at least {} got {}",
                    sig.params.len(),
                    args.len()
                ));
            }
        } else if num_in != sig.params.len() {
            return self.errorf(format!(
                "wrong number of args for {name}: want {} got {num_in}",
                sig.params.len()
            ));
        }

        // The builtins and/or short-circuit and return the deciding operand.
        if builtin && (name == "and" || name == "or") {
            let mut v = Value::Missing;
            for arg in args {
                v = self.eval_arg(dot, Param::Reflect, arg)?;
                if v.truthy() == (name == "or") {
                    return Ok(v);
                }
            }
            if let Some(f) = fin {
                v = self.validate_type(f, Param::Reflect)?;
            }
            return Ok(v);
        }

        let mut argv = Vec::with_capacity(num_in + 1);
        let mut i = 0;
        while i < num_fixed && i < args.len() {
            argv.push(self.eval_arg(dot, sig.params[i], &args[i])?);
            i += 1;
        }
        if let Some(t) = sig.variadic {
            while i < args.len() {
                argv.push(self.eval_arg(dot, t, &args[i])?);
                i += 1;
            }
        }
        if let Some(f) = fin {
            let t = match sig.variadic {
                Some(vt) if num_in > num_fixed => vt,
                Some(_) => sig.params[num_in - 1],
                None => *sig.params.last().expect("arity checked"),
            };
            argv.push(self.validate_type(f, t)?);
        }
        if builtin
            && name == "call"
            && args.is_empty()
            && self.set.options.go_version < GoVersion::Go1_25
        {
            // Go 1.23 indexed the (empty) argument list for the callee's name and panicked.
            return Err(Flow::Err(Error::panic(
                "runtime error: index out of range [0] with length 0".into(),
            )));
        }
        if builtin && name == "call" {
            // Go passes the callee's source text, or for a piped value `reflect.Value.String()`.
            let callee = match (args.first(), &argv[0]) {
                (Some(a), _) => a.to_string(),
                (None, Value::String(s)) => s.to_string(),
                (None, v) => format!("<{} Value>", v.type_name()),
            };
            argv.insert(0, Value::String(callee.into()));
        }
        let result = {
            let mut ctx = CallContext { set: self.set };
            func.call(&mut ctx, argv)
        };
        match result {
            Ok(v) => Ok(v),
            Err(e) => {
                self.at(node.0, node.1);
                let source = e.source_error().cloned();
                let msg = format!("error calling {name}: {}", e.message());
                match self.error(msg) {
                    Flow::Err(err) => Err(Flow::Err(err.with_func(name, source))),
                    f => Err(f),
                }
            }
        }
    }

    fn validate_type(&mut self, v: Value, p: Param) -> R<Value> {
        match v {
            Value::Missing => {
                if can_be_nil(p) {
                    Ok(zero_of(p))
                } else {
                    self.errorf(format!("invalid value; expected {}", p.go_name()))
                }
            }
            Value::Nil => match p {
                Param::Any | Param::Reflect => Ok(Value::Nil),
                _ => self.errorf(format!(
                    "wrong type for value; expected {}; got interface {{}}",
                    p.go_name()
                )),
            },
            v if assignable(&v, p) => Ok(v),
            v => self.errorf(format!(
                "wrong type for value; expected {}; got {}",
                p.go_name(),
                v.type_name()
            )),
        }
    }

    /// Go's `evalArg(dot, nil, n)`: evaluation without a parameter type.
    fn eval_arg_untyped(&mut self, dot: &Dot, n: &'t Arg) -> R<Value> {
        let v = self.eval_arg(dot, Param::Any, n)?;
        Ok(match v {
            Value::Nil => Value::Missing,
            v => v,
        })
    }

    fn eval_arg(&mut self, dot: &Dot, p: Param, n: &'t Arg) -> R<Value> {
        self.at(n.pos(), n);
        let v = match n {
            Arg::Dot(_) => dot.v.clone(),
            Arg::Nil(_) => {
                if can_be_nil(p) {
                    return Ok(zero_of(p));
                }
                return self.errorf(format!("cannot assign nil to {}", p.go_name()));
            }
            Arg::Field(f) => self.eval_field_node(dot, f, &[], None)?.0,
            Arg::Variable(v) => self.eval_variable_node(dot, v, &[], None)?.0,
            Arg::Pipe(pipe) => self.eval_pipeline(dot, pipe)?,
            Arg::Identifier(id) => self.eval_function(dot, id, (id.pos, &id.ident), &[], None)?,
            Arg::Chain(c) => self.eval_chain_node(dot, c, &[], None)?.0,
            Arg::Bool(_, b) => {
                return match p {
                    Param::Bool | Param::Any | Param::Reflect => Ok(Value::Bool(*b)),
                    _ => self.literal_mismatch(p, n),
                };
            }
            Arg::Number(num) => {
                return match p {
                    Param::Int if num.is_int => Ok(Value::Int(num.int64)),
                    Param::Int64 if num.is_int => Ok(Value::Int64(num.int64)),
                    Param::Float64 if num.is_float => Ok(Value::Float(num.float64)),
                    Param::Any | Param::Reflect => self.ideal_constant(num),
                    _ => self.literal_mismatch(p, n),
                };
            }
            Arg::String(s) => {
                return match p {
                    Param::String | Param::Any | Param::Reflect => {
                        Ok(Value::String(s.text.as_str().into()))
                    }
                    _ => self.literal_mismatch(p, n),
                };
            }
        };
        self.validate_type(v, p)
    }

    fn literal_mismatch<T>(&self, p: Param, n: &Arg) -> R<T> {
        let what = match p {
            Param::Bool => "bool",
            Param::Float64 => "float",
            Param::Int | Param::Int64 => "integer",
            Param::String => "string",
            _ => return self.errorf(format!("can't handle {n} for arg of type {}", p.go_name())),
        };
        self.errorf(format!("expected {what}; found {n}"))
    }
}

/// A node that can stand at the head of a field chain (field, chain or variable).
trait NodeAt: fmt::Display {
    fn pos(&self) -> Pos;
    fn display(&self) -> &dyn fmt::Display;
}

impl NodeAt for FieldNode {
    fn pos(&self) -> Pos {
        self.pos
    }
    fn display(&self) -> &dyn fmt::Display {
        self
    }
}

impl NodeAt for ChainNode {
    fn pos(&self) -> Pos {
        self.pos
    }
    fn display(&self) -> &dyn fmt::Display {
        self
    }
}

impl NodeAt for VariableNode {
    fn pos(&self) -> Pos {
        self.pos
    }
    fn display(&self) -> &dyn fmt::Display {
        self
    }
}
