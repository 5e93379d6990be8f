//! The parser: items to trees.
//!
//! A recursive-descent parser with Go's three-token look-ahead. It mirrors Go's
//! `text/template/parse` closely, since every error message and the line it names are part of the
//! output Helm users see.

use std::sync::Arc;

use crate::ast::*;
use crate::error::Error;
use crate::lex::{Item, ItemKind, Lexer};
use crate::strconv;

/// Go's limit on nested parenthesised expressions.
const MAX_STACK_DEPTH: usize = 10_000;
/// Go's limit on commands in one pipeline.
const MAX_PIPELINE_CMDS: usize = 100_000;
/// Our limit on nested `if`/`range`/`with`/`block` bodies. Go has none (its stack grows to 1 GB);
/// no real template comes near it, and it keeps a hostile one from exhausting memory.
const MAX_NESTING: usize = 10_000;
/// Stack kept free before recursing, and the size of each new stack segment.
const RED_ZONE: usize = 128 * 1024;
const STACK_SEGMENT: usize = 8 * 1024 * 1024;

type PResult<T> = Result<T, Error>;

/// Token buffer of one tree being parsed (Go gives each nested `define`/`block` its own).
struct Tokens<'a> {
    token: [Item<'a>; 3],
    peek_count: usize,
}

impl Tokens<'_> {
    fn empty() -> Self {
        let z = || Item {
            kind: ItemKind::Eof,
            pos: 0,
            val: "".into(),
            line: 0,
        };
        Tokens {
            token: [z(), z(), z()],
            peek_count: 0,
        }
    }
}

/// Per-tree parser state that nested `define`/`block` bodies start afresh.
struct TreeState<'a> {
    tokens: Tokens<'a>,
    vars: Vec<String>,
    action_line: usize,
    range_depth: usize,
    stack_depth: usize,
}

impl TreeState<'_> {
    fn new() -> Self {
        TreeState {
            tokens: Tokens::empty(),
            vars: vec!["$".into()],
            action_line: 0,
            range_depth: 0,
            stack_depth: 0,
        }
    }
}

struct Parser<'a, 'f> {
    lex: Lexer<'a>,
    st: TreeState<'a>,
    parse_name: Arc<str>,
    text: Arc<str>,
    has_func: &'f dyn Fn(&str) -> bool,
    /// Trees made by this parse, in the order they were completed.
    trees: Vec<Tree>,
    /// Nesting of control-structure bodies, across nested trees.
    nesting: usize,
}

/// Parses `text` as the template `name`, returning every tree it defines (the top level last),
/// or Go's parse error. `has_func` says whether a function name is defined (builtins included).
pub(crate) fn parse(
    name: &str,
    text: &str,
    has_func: &dyn Fn(&str) -> bool,
    go_version: crate::exec::GoVersion,
) -> PResult<Vec<Tree>> {
    let mut lex = Lexer::new(text);
    lex.count_comment_lines = go_version >= crate::exec::GoVersion::Go1_25;
    lex.break_ok = !has_func("break");
    lex.continue_ok = !has_func("continue");
    let mut p = Parser {
        lex,
        st: TreeState::new(),
        parse_name: name.into(),
        text: text.into(),
        has_func,
        trees: Vec::new(),
        nesting: 0,
    };
    let root = p.parse_top()?;
    let tree = Tree {
        name: name.to_string(),
        parse_name: p.parse_name.clone(),
        text: p.text.clone(),
        root,
    };
    p.add(tree)?;
    Ok(p.trees)
}

impl<'a> Parser<'a, '_> {
    // ---- token plumbing ----

    fn next(&mut self) -> Item<'a> {
        let t = &mut self.st.tokens;
        if t.peek_count > 0 {
            t.peek_count -= 1;
        } else {
            t.token[0] = self.lex.next_item();
        }
        t.token[t.peek_count].clone()
    }

    fn backup(&mut self) {
        self.st.tokens.peek_count += 1;
    }

    fn backup2(&mut self, t1: Item<'a>) {
        self.st.tokens.token[1] = t1;
        self.st.tokens.peek_count = 2;
    }

    fn backup3(&mut self, t2: Item<'a>, t1: Item<'a>) {
        self.st.tokens.token[1] = t1;
        self.st.tokens.token[2] = t2;
        self.st.tokens.peek_count = 3;
    }

    fn peek(&mut self) -> Item<'a> {
        let t = &mut self.st.tokens;
        if t.peek_count > 0 {
            return t.token[t.peek_count - 1].clone();
        }
        t.peek_count = 1;
        t.token[0] = self.lex.next_item();
        t.token[0].clone()
    }

    fn next_non_space(&mut self) -> Item<'a> {
        loop {
            let t = self.next();
            if t.kind != ItemKind::Space {
                return t;
            }
        }
    }

    fn peek_non_space(&mut self) -> Item<'a> {
        let t = self.next_non_space();
        self.backup();
        t
    }

    // ---- errors ----

    fn errorf<T>(&self, msg: String) -> PResult<T> {
        Err(Error::parse(
            &self.parse_name,
            self.st.tokens.token[0].line,
            msg,
        ))
    }

    fn unexpected<T>(&self, token: &Item<'_>, context: &str) -> PResult<T> {
        if token.kind == ItemKind::Error {
            let mut extra = String::new();
            if self.st.action_line != 0 && self.st.action_line != token.line {
                extra = format!(
                    " in action started at {}:{}",
                    self.parse_name, self.st.action_line
                );
                if token.val.ends_with(" action") {
                    extra = extra[" in action".len()..].to_string();
                }
            }
            return self.errorf(format!("{}{}", token.describe(), extra));
        }
        self.errorf(format!("unexpected {} in {}", token.describe(), context))
    }

    fn expect(&mut self, kind: ItemKind, context: &str) -> PResult<Item<'a>> {
        let t = self.next_non_space();
        if t.kind != kind {
            return self.unexpected(&t, context);
        }
        Ok(t)
    }

    // ---- trees ----

    fn add(&mut self, tree: Tree) -> PResult<()> {
        if let Some(i) = self.trees.iter().position(|t| t.name == tree.name) {
            if self.trees[i].is_empty() {
                self.trees[i] = tree;
                return Ok(());
            }
            if !tree.is_empty() {
                return self.errorf(format!(
                    "template: multiple definition of template {}",
                    crate::gofmt::quote(&tree.name)
                ));
            }
            return Ok(());
        }
        self.trees.push(tree);
        Ok(())
    }

    /// Runs `f` as the parse of a nested tree (a `define` or `block` body), with fresh state.
    fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<T> {
        let saved = std::mem::replace(&mut self.st, TreeState::new());
        let r = f(self);
        self.st = saved;
        r
    }

    fn new_tree(&self, name: String, root: ListNode) -> Tree {
        Tree {
            name,
            parse_name: self.parse_name.clone(),
            text: self.text.clone(),
            root,
        }
    }

    fn parse_top(&mut self) -> PResult<ListNode> {
        let mut root = ListNode {
            pos: self.peek().pos,
            nodes: Vec::new(),
        };
        while self.peek().kind != ItemKind::Eof {
            if self.peek().kind == ItemKind::LeftDelim {
                let delim = self.next();
                if self.next_non_space().kind == ItemKind::Define {
                    self.nested(|p| p.parse_definition())?;
                    continue;
                }
                self.backup2(delim);
            }
            match self.text_or_action()? {
                Parsed::Node(n) => root.nodes.push(n),
                Parsed::End(_) => return self.errorf("unexpected {{end}}".into()),
                Parsed::Else(_) => return self.errorf("unexpected {{else}}".into()),
            }
        }
        Ok(root)
    }

    fn parse_definition(&mut self) -> PResult<()> {
        const CONTEXT: &str = "define clause";
        let name = self.next_non_space();
        if name.kind != ItemKind::String && name.kind != ItemKind::RawString {
            return self.unexpected(&name, CONTEXT);
        }
        let name = match strconv::unquote(&name.val) {
            Ok(s) => s,
            Err(e) => return self.errorf(e),
        };
        self.expect(ItemKind::RightDelim, CONTEXT)?;
        let (root, end) = self.item_list()?;
        if !matches!(end, Parsed::End(_)) {
            return self.errorf(format!("unexpected {} in {CONTEXT}", end.describe()));
        }
        let tree = self.new_tree(name, root);
        self.add(tree)
    }

    fn item_list(&mut self) -> PResult<(ListNode, Parsed)> {
        if self.nesting >= MAX_NESTING {
            return self.errorf("max nesting depth exceeded".into());
        }
        self.nesting += 1;
        let r = stacker::maybe_grow(RED_ZONE, STACK_SEGMENT, || self.item_list_inner());
        self.nesting -= 1;
        r
    }

    fn item_list_inner(&mut self) -> PResult<(ListNode, Parsed)> {
        let mut list = ListNode {
            pos: self.peek_non_space().pos,
            nodes: Vec::new(),
        };
        while self.peek_non_space().kind != ItemKind::Eof {
            match self.text_or_action()? {
                Parsed::Node(n) => list.nodes.push(n),
                other => return Ok((list, other)),
            }
        }
        self.errorf("unexpected EOF".into())
    }

    fn text_or_action(&mut self) -> PResult<Parsed> {
        let token = self.next_non_space();
        match token.kind {
            ItemKind::Text => Ok(Parsed::Node(Node::Text(TextNode {
                pos: token.pos,
                text: token.val.into_owned(),
            }))),
            ItemKind::LeftDelim => {
                self.st.action_line = token.line;
                let r = self.action();
                self.st.action_line = 0;
                r
            }
            _ => self.unexpected(&token, "input"),
        }
    }

    fn action(&mut self) -> PResult<Parsed> {
        let token = self.next_non_space();
        match token.kind {
            ItemKind::Block => return self.block_control().map(Parsed::Node),
            ItemKind::Break => return self.break_control(token.pos, "{{break}}").map(Parsed::Node),
            ItemKind::Continue => {
                return self
                    .break_control(token.pos, "{{continue}}")
                    .map(Parsed::Node);
            }
            ItemKind::Else => return self.else_control(),
            ItemKind::End => {
                return self
                    .expect(ItemKind::RightDelim, "end")
                    .map(|t| Parsed::End(t.pos));
            }
            ItemKind::If => return self.branch_control("if").map(Parsed::Node),
            ItemKind::Range => return self.branch_control("range").map(Parsed::Node),
            ItemKind::Template => return self.template_control().map(Parsed::Node),
            ItemKind::With => return self.branch_control("with").map(Parsed::Node),
            _ => {}
        }
        self.backup();
        let token = self.peek();
        let pipe = self.pipeline("command", ItemKind::RightDelim)?;
        Ok(Parsed::Node(Node::Action(ActionNode {
            pos: token.pos,
            pipe,
        })))
    }

    fn break_control(&mut self, pos: Pos, what: &str) -> PResult<Node> {
        let token = self.next_non_space();
        if token.kind != ItemKind::RightDelim {
            return self.unexpected(&token, what);
        }
        if self.st.range_depth == 0 {
            return self.errorf(format!("{what} outside {{{{range}}}}"));
        }
        Ok(if what == "{{break}}" {
            Node::Break(pos)
        } else {
            Node::Continue(pos)
        })
    }

    fn else_control(&mut self) -> PResult<Parsed> {
        let peek = self.peek_non_space();
        if peek.kind == ItemKind::If || peek.kind == ItemKind::With {
            return Ok(Parsed::Else(peek.pos));
        }
        let token = self.expect(ItemKind::RightDelim, "else")?;
        Ok(Parsed::Else(token.pos))
    }

    fn branch_control(&mut self, context: &str) -> PResult<Node> {
        let vars_len = self.st.vars.len();
        let r = self.branch_control_inner(context);
        self.st.vars.truncate(vars_len);
        r
    }

    fn branch_control_inner(&mut self, context: &str) -> PResult<Node> {
        let pipe = self.pipeline(context, ItemKind::RightDelim)?;
        if context == "range" {
            self.st.range_depth += 1;
        }
        let listed = self.item_list();
        if context == "range" {
            self.st.range_depth -= 1;
        }
        let (list, next) = listed?;
        let mut else_list = None;
        match next {
            Parsed::End(_) => {}
            Parsed::Else(else_pos) => {
                if context == "if" && self.peek().kind == ItemKind::If {
                    self.next();
                    let inner = self.branch_control("if")?;
                    else_list = Some(ListNode {
                        pos: else_pos,
                        nodes: vec![inner],
                    });
                } else if context == "with" && self.peek().kind == ItemKind::With {
                    self.next();
                    let inner = self.branch_control("with")?;
                    else_list = Some(ListNode {
                        pos: else_pos,
                        nodes: vec![inner],
                    });
                } else {
                    let (l, next) = self.item_list()?;
                    if !matches!(next, Parsed::End(_)) {
                        return self.errorf(format!("expected end; found {}", next.describe()));
                    }
                    else_list = Some(l);
                }
            }
            Parsed::Node(_) => unreachable!("item_list returns only at end or else"),
        }
        let branch = BranchNode {
            pos: pipe.pos,
            pipe,
            list,
            else_list,
        };
        Ok(match context {
            "if" => Node::If(branch),
            "range" => Node::Range(branch),
            _ => Node::With(branch),
        })
    }

    fn parse_template_name(&mut self, token: &Item<'_>, context: &str) -> PResult<String> {
        match token.kind {
            ItemKind::String | ItemKind::RawString => match strconv::unquote(&token.val) {
                Ok(s) => Ok(s),
                Err(e) => self.errorf(e),
            },
            _ => self.unexpected(token, context),
        }
    }

    fn block_control(&mut self) -> PResult<Node> {
        const CONTEXT: &str = "block clause";
        let token = self.next_non_space();
        let name = self.parse_template_name(&token, CONTEXT)?;
        let pipe = self.pipeline(CONTEXT, ItemKind::RightDelim)?;
        let (root, end) = self.nested(|p| p.item_list())?;
        if !matches!(end, Parsed::End(_)) {
            return self.errorf(format!("unexpected {} in {CONTEXT}", end.describe()));
        }
        let tree = self.new_tree(name.clone(), root);
        self.add(tree)?;
        Ok(Node::Template(TemplateNode {
            pos: token.pos,
            name,
            pipe: Some(pipe),
        }))
    }

    fn template_control(&mut self) -> PResult<Node> {
        const CONTEXT: &str = "template clause";
        let token = self.next_non_space();
        let name = self.parse_template_name(&token, CONTEXT)?;
        let mut pipe = None;
        if self.next_non_space().kind != ItemKind::RightDelim {
            self.backup();
            pipe = Some(self.pipeline(CONTEXT, ItemKind::RightDelim)?);
        }
        Ok(Node::Template(TemplateNode {
            pos: token.pos,
            name,
            pipe,
        }))
    }

    fn pipeline(&mut self, context: &str, end: ItemKind) -> PResult<PipeNode> {
        let token = self.peek_non_space();
        let mut pipe = PipeNode {
            pos: token.pos,
            is_assign: false,
            decl: Vec::new(),
            cmds: Vec::new(),
        };
        // Are there declarations or assignments?
        'decls: loop {
            let v = self.peek_non_space();
            if v.kind != ItemKind::Variable {
                break;
            }
            self.next();
            // In "$x foo" we need to read "foo" (as opposed to ":=") to know that $x is an
            // argument variable rather than a declaration: keep the token after the variable.
            let token_after = self.peek();
            let next = self.peek_non_space();
            match next.kind {
                ItemKind::Assign | ItemKind::Declare => {
                    pipe.is_assign = next.kind == ItemKind::Assign;
                    self.next_non_space();
                    pipe.decl.push(VariableNode {
                        pos: v.pos,
                        ident: vec![v.val.to_string()],
                    });
                    self.st.vars.push(v.val.to_string());
                }
                ItemKind::Char if next.val == "," => {
                    self.next_non_space();
                    pipe.decl.push(VariableNode {
                        pos: v.pos,
                        ident: vec![v.val.to_string()],
                    });
                    self.st.vars.push(v.val.to_string());
                    if context == "range" && pipe.decl.len() < 2 {
                        match self.peek_non_space().kind {
                            ItemKind::Variable | ItemKind::RightDelim | ItemKind::RightParen => {
                                continue 'decls;
                            }
                            _ => return self.errorf("range can only initialize variables".into()),
                        }
                    }
                    return self.errorf(format!("too many declarations in {context}"));
                }
                _ if token_after.kind == ItemKind::Space => self.backup3(v, token_after),
                _ => self.backup2(v),
            }
            break;
        }
        loop {
            let token = self.next_non_space();
            match token.kind {
                k if k == end => {
                    self.check_pipeline(&pipe, context)?;
                    return Ok(pipe);
                }
                ItemKind::Bool
                | ItemKind::CharConstant
                | ItemKind::Complex
                | ItemKind::Dot
                | ItemKind::Field
                | ItemKind::Identifier
                | ItemKind::Number
                | ItemKind::Nil
                | ItemKind::RawString
                | ItemKind::String
                | ItemKind::Variable
                | ItemKind::LeftParen => {
                    self.backup();
                    let cmd = self.command()?;
                    pipe.cmds.push(cmd);
                    if pipe.cmds.len() > MAX_PIPELINE_CMDS {
                        return self.errorf("pipeline too long".into());
                    }
                }
                _ => return self.unexpected(&token, context),
            }
        }
    }

    fn check_pipeline(&self, pipe: &PipeNode, context: &str) -> PResult<()> {
        if pipe.cmds.is_empty() {
            return self.errorf(format!("missing value for {context}"));
        }
        for (i, c) in pipe.cmds.iter().enumerate().skip(1) {
            if matches!(
                c.args[0],
                Arg::Bool(..) | Arg::Dot(_) | Arg::Nil(_) | Arg::Number(_) | Arg::String(_)
            ) {
                return self.errorf(format!(
                    "non executable command in pipeline stage {}",
                    i + 1
                ));
            }
        }
        Ok(())
    }

    fn command(&mut self) -> PResult<CommandNode> {
        let mut cmd = CommandNode {
            pos: self.peek_non_space().pos,
            args: Vec::new(),
        };
        loop {
            self.peek_non_space(); // skip leading spaces
            if let Some(op) = self.operand()? {
                cmd.args.push(op);
            }
            let token = self.next();
            match token.kind {
                ItemKind::Space => continue,
                ItemKind::RightDelim | ItemKind::RightParen => self.backup(),
                ItemKind::Pipe => {}
                _ => return self.unexpected(&token, "operand"),
            }
            break;
        }
        if cmd.args.is_empty() {
            return self.errorf("empty command".into());
        }
        Ok(cmd)
    }

    fn operand(&mut self) -> PResult<Option<Arg>> {
        let Some(node) = self.term()? else {
            return Ok(None);
        };
        if self.peek().kind != ItemKind::Field {
            return Ok(Some(node));
        }
        let chain_pos = self.peek().pos;
        let mut fields = Vec::new();
        while self.peek().kind == ItemKind::Field {
            let f = self.next();
            fields.push(f.val[1..].to_string());
        }
        Ok(Some(match node {
            Arg::Field(mut f) => {
                f.ident.extend(fields);
                f.pos = chain_pos;
                Arg::Field(f)
            }
            Arg::Variable(mut v) => {
                v.ident.extend(fields);
                v.pos = chain_pos;
                Arg::Variable(v)
            }
            Arg::Bool(..) | Arg::String(_) | Arg::Number(_) | Arg::Nil(_) | Arg::Dot(_) => {
                return self.errorf(format!(
                    "unexpected . after term {}",
                    crate::gofmt::quote(&node.to_string())
                ));
            }
            other => Arg::Chain(ChainNode {
                pos: chain_pos,
                node: Box::new(other),
                field: fields,
            }),
        }))
    }

    fn term(&mut self) -> PResult<Option<Arg>> {
        let token = self.next_non_space();
        Ok(Some(match token.kind {
            ItemKind::Identifier => {
                if !(self.has_func)(&token.val) {
                    return self.errorf(format!(
                        "function {} not defined",
                        crate::gofmt::quote(&token.val)
                    ));
                }
                Arg::Identifier(IdentifierNode {
                    pos: token.pos,
                    ident: token.val.into_owned(),
                })
            }
            ItemKind::Dot => Arg::Dot(token.pos),
            ItemKind::Nil => Arg::Nil(token.pos),
            ItemKind::Variable => {
                let v = self.use_var(token.pos, &token.val)?;
                Arg::Variable(v)
            }
            ItemKind::Field => Arg::Field(FieldNode {
                pos: token.pos,
                ident: vec![token.val[1..].to_string()],
            }),
            ItemKind::Bool => Arg::Bool(token.pos, token.val == "true"),
            ItemKind::CharConstant | ItemKind::Complex | ItemKind::Number => {
                match strconv::new_number(token.pos, &token.val, token.kind) {
                    Ok(n) => Arg::Number(n),
                    Err(e) => return self.errorf(e),
                }
            }
            ItemKind::LeftParen => {
                if self.st.stack_depth >= MAX_STACK_DEPTH {
                    return self.errorf("max expression depth exceeded".into());
                }
                self.st.stack_depth += 1;
                let r = stacker::maybe_grow(RED_ZONE, STACK_SEGMENT, || {
                    self.pipeline("parenthesized pipeline", ItemKind::RightParen)
                });
                self.st.stack_depth -= 1;
                Arg::Pipe(Box::new(r?))
            }
            ItemKind::String | ItemKind::RawString => match strconv::unquote(&token.val) {
                Ok(s) => Arg::String(StringNode {
                    pos: token.pos,
                    quoted: token.val.into_owned(),
                    text: s,
                }),
                Err(e) => return self.errorf(e),
            },
            _ => {
                self.backup();
                return Ok(None);
            }
        }))
    }

    fn use_var(&self, pos: Pos, name: &str) -> PResult<VariableNode> {
        let ident: Vec<String> = name.split('.').map(str::to_string).collect();
        if self.st.vars.iter().any(|v| *v == ident[0]) {
            return Ok(VariableNode { pos, ident });
        }
        self.errorf(format!(
            "undefined variable {}",
            crate::gofmt::quote(&ident[0])
        ))
    }
}

/// What `text_or_action` found: a node, or the `{{end}}`/`{{else}}` that ends a list.
enum Parsed {
    Node(Node),
    End(#[allow(dead_code)] Pos),
    Else(Pos),
}

impl Parsed {
    fn describe(&self) -> String {
        match self {
            Parsed::Node(n) => n.to_string(),
            Parsed::End(_) => "{{end}}".into(),
            Parsed::Else(_) => "{{else}}".into(),
        }
    }
}
