//! The parse tree. Node types mirror Go's `text/template/parse` (`ActionNode`, `PipeNode`, ...),
//! and [`std::fmt::Display`] prints a node back the way Go's `String()` does: execution errors
//! quote that text as their context (`at <.Values.a.b>`).

use std::fmt::{self, Write};
use std::sync::Arc;

/// A byte offset into the template text.
pub type Pos = usize;

/// One parsed template: a file's top level, or a `define`/`block` body.
#[derive(Debug, Clone)]
pub struct Tree {
    /// The template's name (`define "x"` gives `x`).
    pub name: String,
    /// The name of the top-level template being parsed when this tree was made: error locations
    /// use it (a `define` in `c/templates/_h.tpl` reports `c/templates/_h.tpl:LINE:COL`).
    pub parse_name: Arc<str>,
    /// The whole text that was parsed, for line and column computation.
    pub text: Arc<str>,
    /// The body.
    pub root: ListNode,
}

impl Tree {
    /// Whether the tree holds nothing but whitespace text and comments (Go's `IsEmptyTree`).
    pub fn is_empty(&self) -> bool {
        self.root.nodes.iter().all(|n| match n {
            Node::Text(t) => t.text.trim().is_empty(),
            Node::Comment(_) => true,
            _ => false,
        })
    }

    /// `NAME:LINE:COL` of a byte position, as Go's `ErrorContext` computes it. The column is the
    /// 0-based byte offset in the line.
    pub fn location(&self, pos: Pos) -> (usize, usize) {
        let before = &self.text[..pos.min(self.text.len())];
        let line = 1 + before.matches('\n').count();
        let col = match before.rfind('\n') {
            Some(nl) => pos - (nl + 1),
            None => pos,
        };
        (line, col)
    }
}

/// A sequence of nodes.
#[derive(Debug, Clone, Default)]
pub struct ListNode {
    /// Position of the first token.
    pub pos: Pos,
    /// The nodes.
    pub nodes: Vec<Node>,
}

/// A statement-level node.
#[derive(Debug, Clone)]
pub enum Node {
    /// Plain text.
    Text(TextNode),
    /// `{{pipeline}}`.
    Action(ActionNode),
    /// `{{if}}`.
    If(BranchNode),
    /// `{{range}}`.
    Range(BranchNode),
    /// `{{with}}`.
    With(BranchNode),
    /// `{{template "name" pipeline}}` (also what `{{block}}` leaves in place).
    Template(TemplateNode),
    /// `{{break}}`.
    Break(Pos),
    /// `{{continue}}`.
    Continue(Pos),
    /// A comment (kept only for completeness; the lexer drops comments).
    Comment(TextNode),
}

/// Plain text.
#[derive(Debug, Clone)]
pub struct TextNode {
    /// Position in the input.
    pub pos: Pos,
    /// The text.
    pub text: String,
}

/// A `{{pipeline}}` action.
#[derive(Debug, Clone)]
pub struct ActionNode {
    /// Position of the first token inside the delimiters.
    pub pos: Pos,
    /// The pipeline.
    pub pipe: PipeNode,
}

/// The shared shape of `if`, `range` and `with`.
#[derive(Debug, Clone)]
pub struct BranchNode {
    /// Position of the pipeline.
    pub pos: Pos,
    /// The condition or range expression.
    pub pipe: PipeNode,
    /// The body.
    pub list: ListNode,
    /// The `else` part.
    pub else_list: Option<ListNode>,
}

/// `{{template "name" pipeline}}`.
#[derive(Debug, Clone)]
pub struct TemplateNode {
    /// Position of the name token.
    pub pos: Pos,
    /// The template called.
    pub name: String,
    /// The data, if any.
    pub pipe: Option<PipeNode>,
}

/// A pipeline with optional declarations: `$x := a | b c`.
#[derive(Debug, Clone)]
pub struct PipeNode {
    /// Position of the first token.
    pub pos: Pos,
    /// `=` rather than `:=`.
    pub is_assign: bool,
    /// The declared or assigned variables.
    pub decl: Vec<VariableNode>,
    /// The commands, in order.
    pub cmds: Vec<CommandNode>,
}

/// A command: operands separated by spaces.
#[derive(Debug, Clone)]
pub struct CommandNode {
    /// Position of the first operand.
    pub pos: Pos,
    /// The operands; the first one is what gets executed.
    pub args: Vec<Arg>,
}

/// An operand.
#[derive(Debug, Clone)]
pub enum Arg {
    /// `.a.b`
    Field(FieldNode),
    /// `(pipeline).a.b` or `$x.a` kept as a chain on a non-field term.
    Chain(ChainNode),
    /// A function name.
    Identifier(IdentifierNode),
    /// A parenthesised pipeline.
    Pipe(Box<PipeNode>),
    /// `$x.a.b`
    Variable(VariableNode),
    /// `true` / `false`
    Bool(Pos, bool),
    /// `.`
    Dot(Pos),
    /// `nil`
    Nil(Pos),
    /// A number or character constant.
    Number(NumberNode),
    /// A string constant.
    String(StringNode),
}

impl Arg {
    /// The node's position.
    pub fn pos(&self) -> Pos {
        match self {
            Arg::Field(n) => n.pos,
            Arg::Chain(n) => n.pos,
            Arg::Identifier(n) => n.pos,
            Arg::Pipe(n) => n.pos,
            Arg::Variable(n) => n.pos,
            Arg::Bool(p, _) | Arg::Dot(p) | Arg::Nil(p) => *p,
            Arg::Number(n) => n.pos,
            Arg::String(n) => n.pos,
        }
    }
}

/// `.a.b.c`
#[derive(Debug, Clone)]
pub struct FieldNode {
    /// Position (of the second field for chains, as in Go).
    pub pos: Pos,
    /// The field names, without dots.
    pub ident: Vec<String>,
}

/// `(term).a.b`
#[derive(Debug, Clone)]
pub struct ChainNode {
    /// Position of the first `.field`.
    pub pos: Pos,
    /// The term the chain starts from.
    pub node: Box<Arg>,
    /// The field names, without dots.
    pub field: Vec<String>,
}

/// A function name.
#[derive(Debug, Clone)]
pub struct IdentifierNode {
    /// Position.
    pub pos: Pos,
    /// The name.
    pub ident: String,
}

/// `$x.a.b`: the variable name (with `$`) followed by field names.
#[derive(Debug, Clone)]
pub struct VariableNode {
    /// Position.
    pub pos: Pos,
    /// `["$x", "a", "b"]`.
    pub ident: Vec<String>,
}

/// A numeric constant, with every interpretation Go's parser gives it.
#[derive(Debug, Clone)]
pub struct NumberNode {
    /// Position.
    pub pos: Pos,
    /// The source text.
    pub text: String,
    /// Fits an `int64`.
    pub is_int: bool,
    /// Fits a `uint64`.
    pub is_uint: bool,
    /// Is (or converts exactly to) a `float64`.
    pub is_float: bool,
    /// Is complex.
    pub is_complex: bool,
    /// The `complex128` value (real, imaginary).
    pub complex: (f64, f64),
    /// The `int64` value.
    pub int64: i64,
    /// The `uint64` value.
    pub uint64: u64,
    /// The `float64` value.
    pub float64: f64,
}

/// A string constant.
#[derive(Debug, Clone)]
pub struct StringNode {
    /// Position.
    pub pos: Pos,
    /// The source text, with quotes.
    pub quoted: String,
    /// The value.
    pub text: String,
}

// ---- Printing, as Go's String() methods do. ----

impl fmt::Display for ListNode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for n in &self.nodes {
            write!(f, "{n}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Node::Text(t) | Node::Comment(t) => f.write_str(&t.text),
            Node::Action(a) => write!(f, "{a}"),
            Node::If(b) => b.write(f, "if"),
            Node::Range(b) => b.write(f, "range"),
            Node::With(b) => b.write(f, "with"),
            Node::Template(t) => write!(f, "{t}"),
            Node::Break(_) => f.write_str("{{break}}"),
            Node::Continue(_) => f.write_str("{{continue}}"),
        }
    }
}

impl fmt::Display for ActionNode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{{{{{}}}}}", self.pipe)
    }
}

impl BranchNode {
    fn write(&self, f: &mut fmt::Formatter<'_>, name: &str) -> fmt::Result {
        stacker::maybe_grow(crate::exec::RED_ZONE, crate::exec::STACK_SEGMENT, || {
            self.write_inner(f, name)
        })
    }

    fn write_inner(&self, f: &mut fmt::Formatter<'_>, name: &str) -> fmt::Result {
        write!(f, "{{{{{name} {}}}}}{}", self.pipe, self.list)?;
        if let Some(e) = &self.else_list {
            write!(f, "{{{{else}}}}{e}")?;
        }
        f.write_str("{{end}}")
    }
}

impl fmt::Display for TemplateNode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = crate::gofmt::quote(&self.name);
        match &self.pipe {
            Some(p) => write!(f, "{{{{template {name} {p}}}}}"),
            None => write!(f, "{{{{template {name}}}}}"),
        }
    }
}

impl fmt::Display for PipeNode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        stacker::maybe_grow(crate::exec::RED_ZONE, crate::exec::STACK_SEGMENT, || {
            self.write(f)
        })
    }
}

impl PipeNode {
    fn write(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.decl.is_empty() {
            for (i, v) in self.decl.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{v}")?;
            }
            f.write_str(if self.is_assign { " = " } else { " := " })?;
        }
        for (i, c) in self.cmds.iter().enumerate() {
            if i > 0 {
                f.write_str(" | ")?;
            }
            write!(f, "{c}")?;
        }
        Ok(())
    }
}

impl fmt::Display for CommandNode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, a) in self.args.iter().enumerate() {
            if i > 0 {
                f.write_char(' ')?;
            }
            if let Arg::Pipe(p) = a {
                write!(f, "({p})")?;
            } else {
                write!(f, "{a}")?;
            }
        }
        Ok(())
    }
}

impl fmt::Display for Arg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Arg::Field(n) => write!(f, "{n}"),
            Arg::Chain(n) => write!(f, "{n}"),
            Arg::Identifier(n) => f.write_str(&n.ident),
            Arg::Pipe(p) => write!(f, "{p}"),
            Arg::Variable(v) => write!(f, "{v}"),
            Arg::Bool(_, b) => write!(f, "{b}"),
            Arg::Dot(_) => f.write_char('.'),
            Arg::Nil(_) => f.write_str("nil"),
            Arg::Number(n) => f.write_str(&n.text),
            Arg::String(s) => f.write_str(&s.quoted),
        }
    }
}

impl fmt::Display for FieldNode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for id in &self.ident {
            write!(f, ".{id}")?;
        }
        Ok(())
    }
}

impl fmt::Display for ChainNode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Arg::Pipe(p) = self.node.as_ref() {
            write!(f, "({p})")?;
        } else {
            write!(f, "{}", self.node)?;
        }
        for id in &self.field {
            write!(f, ".{id}")?;
        }
        Ok(())
    }
}

impl fmt::Display for VariableNode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.ident.join("."))
    }
}

// ---- Iterative drops: a deeply nested tree must not overflow the stack when it is freed. ----

impl Drop for ListNode {
    fn drop(&mut self) {
        let mut stack: Vec<Node> = std::mem::take(&mut self.nodes);
        while let Some(node) = stack.pop() {
            if let Node::If(mut b) | Node::Range(mut b) | Node::With(mut b) = node {
                stack.append(&mut b.list.nodes);
                if let Some(e) = &mut b.else_list {
                    stack.append(&mut e.nodes);
                }
            }
        }
    }
}

impl Drop for PipeNode {
    fn drop(&mut self) {
        fn collect(cmds: &mut Vec<CommandNode>, stack: &mut Vec<PipeNode>) {
            for cmd in cmds.drain(..) {
                for arg in cmd.args {
                    let mut arg = arg;
                    loop {
                        match arg {
                            Arg::Pipe(p) => {
                                stack.push(*p);
                                break;
                            }
                            Arg::Chain(c) => arg = *c.node,
                            _ => break,
                        }
                    }
                }
            }
        }
        let mut stack = Vec::new();
        collect(&mut self.cmds, &mut stack);
        while let Some(mut p) = stack.pop() {
            collect(&mut p.cmds, &mut stack);
        }
    }
}
