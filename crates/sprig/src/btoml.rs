//! `fromToml`'s parser, with BurntSushi/toml's semantics and error texts (Helm 4 links v1.6,
//! Helm 3 v1.4): `toml: line N (last key "k"): message`.
//!
//! Two passes, as BurntSushi works: a lexer turns the text into items (stopping at the first
//! lexical error, which becomes an error item), then the parser builds the nested maps and checks
//! key redefinitions in item order, so the first problem in reading order wins either way.
//!
//! Known differences: datetimes become strings in RFC 3339 form (what `toJson` prints for Go's
//! `time.Time`), not time objects.

use std::collections::{HashMap, HashSet};

use gotmpl::gofmt::{quote, quote_rune};
use gotmpl::{ElemType, List, Map, Value};

/// Which BurntSushi/toml release to behave like.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Release {
    /// v1.4 (Helm 3): TOML 1.0.
    V14,
    /// v1.6 (Helm 4): TOML 1.1 (newlines and trailing commas in inline tables, `\x` and `\e`
    /// escapes, times without seconds).
    V16,
}

impl Release {
    fn toml11(self) -> bool {
        self == Release::V16
    }
}

// ---------------------------------------------------------------------------------------------
// Lexer

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum StrKind {
    Basic,
    Multi,
    Raw,
    RawMulti,
}

#[derive(Clone, Debug)]
enum Tok {
    KeyStart,
    KeyEnd,
    /// A bare key part.
    Text(String),
    Str(StrKind, String),
    TableStart,
    TableEnd,
    ArrayTableStart,
    ArrayTableEnd,
    Bool(bool),
    Integer(String),
    Float(String),
    Datetime(String),
    Array,
    ArrayEnd,
    InlineStart,
    InlineEnd,
    Eof,
    Error(String),
}

#[derive(Clone, Debug)]
struct Item {
    tok: Tok,
    line: usize,
}

/// The lexer stops at its first error: the error item has been pushed.
struct Stop;

type Lx<T = ()> = Result<T, Stop>;

struct Lexer<'a> {
    s: &'a [char],
    pos: usize,
    /// Where the current token began (for escape errors, which print the text so far).
    start: usize,
    line: usize,
    at_eof: bool,
    release: Release,
    items: Vec<Item>,
}

fn is_ws(c: Option<char>) -> bool {
    matches!(c, Some(' ' | '\t'))
}

fn is_nl(c: Option<char>) -> bool {
    matches!(c, Some('\n' | '\r'))
}

fn is_digit(c: Option<char>) -> bool {
    matches!(c, Some('0'..='9'))
}

fn is_hex(c: Option<char>) -> bool {
    matches!(c, Some(c) if c.is_ascii_hexdigit())
}

fn is_control(c: char) -> bool {
    !matches!(c, '\t' | '\r' | '\n') && (c <= '\u{1f}' || c == '\u{7f}')
}

/// Bare key characters: ASCII letters, digits, `_` and `-` (Helm 4's v1.6 does not take the
/// Unicode letters of the TOML 1.1 drafts either).
fn is_bare_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// A rune as Go's `%q` prints it; end of input is Go's zero rune.
fn q_rune(c: Option<char>) -> String {
    quote_rune(c.unwrap_or('\0'))
}

/// A rune as Go's `%c` prints it.
fn c_rune(c: Option<char>) -> char {
    c.unwrap_or('\0')
}

fn rune_or_eof(c: Option<char>) -> String {
    match c {
        None => "end of file".into(),
        Some(c) => format!("'{c}'"),
    }
}

impl Lexer<'_> {
    fn next(&mut self) -> Lx<Option<char>> {
        let Some(&c) = self.s.get(self.pos) else {
            self.at_eof = true;
            return Ok(None);
        };
        if c == '\n' {
            self.line += 1;
        }
        if is_control(c) || (c == '\r' && self.s.get(self.pos + 1) != Some(&'\n')) {
            return self.fail_here(format!(
                "TOML files cannot contain control characters: '0x{:02x}'",
                c as u32
            ));
        }
        self.pos += 1;
        Ok(Some(c))
    }

    fn backup(&mut self) {
        if self.at_eof {
            self.at_eof = false;
            return;
        }
        self.pos -= 1;
        if self.s[self.pos] == '\n' {
            self.line -= 1;
        }
    }

    fn peek(&mut self) -> Lx<Option<char>> {
        let c = self.next()?;
        self.backup();
        Ok(c)
    }

    fn accept(&mut self, want: char) -> Lx<bool> {
        if self.next()? == Some(want) {
            return Ok(true);
        }
        self.backup();
        Ok(false)
    }

    fn skip_ws(&mut self) -> Lx {
        loop {
            let c = self.next()?;
            if !is_ws(c) {
                self.backup();
                return Ok(());
            }
        }
    }

    fn current(&self) -> String {
        self.s[self.start.min(self.pos)..self.pos].iter().collect()
    }

    fn emit(&mut self, tok: Tok) {
        self.items.push(Item {
            tok,
            line: self.line,
        });
    }

    /// The line an error "on the previous line" is reported on: v1.4 always steps back one
    /// line; v1.6 only when the last character read was a newline.
    fn prev_line(&self) -> usize {
        match self.release {
            Release::V14 => self.line.saturating_sub(1),
            Release::V16 => {
                if self.pos > 0 && self.s[self.pos - 1] == '\n' {
                    self.line.saturating_sub(1)
                } else {
                    self.line
                }
            }
        }
    }

    fn fail_at<T>(&mut self, line: usize, msg: String) -> Lx<T> {
        self.items.push(Item {
            tok: Tok::Error(msg),
            line,
        });
        Err(Stop)
    }

    fn fail_here<T>(&mut self, msg: String) -> Lx<T> {
        let line = self.line;
        self.fail_at(line, msg)
    }

    /// An error at the current position (at the end of input: the previous line).
    fn fail<T>(&mut self, msg: impl Into<String>) -> Lx<T> {
        let line = if self.at_eof {
            self.prev_line()
        } else {
            self.line
        };
        self.fail_at(line, msg.into())
    }

    fn fail_prev_line<T>(&mut self, msg: &str) -> Lx<T> {
        let line = self.prev_line();
        self.fail_at(line, msg.into())
    }

    // ----- document structure -----

    fn document(&mut self) -> Lx {
        loop {
            self.start = self.pos;
            let c = self.next()?;
            match c {
                _ if is_ws(c) || is_nl(c) => continue,
                Some('#') => {
                    self.comment()?;
                    continue;
                }
                Some('[') => self.table()?,
                None => {
                    self.emit(Tok::Eof);
                    return Ok(());
                }
                Some(_) => {
                    self.backup();
                    self.key_value()?;
                }
            }
            // After a top-level item: only whitespace, a comment or the end of the line.
            loop {
                let c = self.next()?;
                match c {
                    Some('#') => {
                        self.comment()?;
                        break;
                    }
                    _ if is_ws(c) => continue,
                    _ if is_nl(c) => break,
                    None => {
                        self.emit(Tok::Eof);
                        return Ok(());
                    }
                    Some(_) => {
                        return self.fail(format!(
                            "expected a top-level item to end with a newline, comment, or EOF, but got {} instead",
                            q_rune(c)
                        ));
                    }
                }
            }
        }
    }

    fn comment(&mut self) -> Lx {
        loop {
            let c = self.next()?;
            if is_nl(c) || c.is_none() {
                self.backup();
                return Ok(());
            }
        }
    }

    /// After `[`.
    fn table(&mut self) -> Lx {
        let array = self.peek()? == Some('[');
        if array {
            self.next()?;
            self.emit(Tok::ArrayTableStart);
        } else {
            self.emit(Tok::TableStart);
        }
        loop {
            self.skip_ws()?;
            match self.peek()? {
                Some(']') | None => {
                    return self.fail("unexpected end of table name (table names cannot be empty)");
                }
                Some('.') => {
                    return self.fail("unexpected table separator (table names cannot be empty)");
                }
                Some('"' | '\'') => self.quoted_name()?,
                Some(_) => self.bare_name()?,
            }
            self.skip_ws()?;
            let c = self.next()?;
            match c {
                Some('.') => continue,
                Some(']') => break,
                _ => {
                    return self.fail(format!(
                        "expected '.' or ']' to end table name, but got {} instead",
                        q_rune(c)
                    ));
                }
            }
        }
        if array {
            let c = self.next()?;
            if c != Some(']') {
                return self.fail(format!(
                    "expected end of table array name delimiter ']', but got {} instead",
                    q_rune(c)
                ));
            }
            self.emit(Tok::ArrayTableEnd);
        } else {
            self.emit(Tok::TableEnd);
        }
        Ok(())
    }

    fn bare_name(&mut self) -> Lx {
        let from = self.pos;
        loop {
            match self.next()? {
                Some(c) if is_bare_key_char(c) => {}
                _ => break,
            }
        }
        self.backup();
        let text = self.s[from..self.pos].iter().collect();
        self.emit(Tok::Text(text));
        Ok(())
    }

    /// A quoted key part (the quote is next).
    fn quoted_name(&mut self) -> Lx {
        match self.next()? {
            Some('"') => self.basic_string(),
            Some('\'') => self.raw_string(),
            None => self.fail("unexpected EOF; expected value"),
            c => self.fail(format!("expected value but found {} instead", q_rune(c))),
        }
    }

    /// `key = value`, at the top level or in an inline table.
    fn key_value(&mut self) -> Lx {
        self.skip_ws()?;
        match self.peek()? {
            Some('=') | None => return self.fail("unexpected '=': key name appears blank"),
            Some('.') => return self.fail("unexpected '.': keys cannot start with a '.'"),
            _ => {}
        }
        self.emit(Tok::KeyStart);
        loop {
            self.skip_ws()?;
            match self.peek()? {
                Some('=') | None => return self.fail("unexpected '='"),
                Some('.') => return self.fail("unexpected '.'"),
                Some('"' | '\'') => self.quoted_name()?,
                Some(_) => self.bare_name()?,
            }
            self.skip_ws()?;
            let c = self.next()?;
            match c {
                None => return self.fail("unexpected EOF; expected key separator '='"),
                Some('.') => continue,
                Some('=') => {
                    self.emit(Tok::KeyEnd);
                    break;
                }
                _ => {
                    return self.fail(format!(
                        "expected '.' or '=', but got {} instead",
                        q_rune(c)
                    ));
                }
            }
        }
        self.value()
    }

    // ----- values -----

    fn value(&mut self) -> Lx {
        let mut c = self.next()?;
        while is_ws(c) {
            c = self.next()?;
        }
        self.start = self.pos.saturating_sub(1);
        match c {
            _ if is_digit(c) => {
                self.backup();
                self.number_or_date()
            }
            Some('[') => {
                self.emit(Tok::Array);
                self.array()
            }
            Some('{') => {
                self.emit(Tok::InlineStart);
                self.inline_table()
            }
            Some('"') => {
                if self.accept('"')? {
                    if self.accept('"')? {
                        return self.multi_string();
                    }
                    self.backup();
                }
                self.basic_string()
            }
            Some('\'') => {
                if self.accept('\'')? {
                    if self.accept('\'')? {
                        return self.raw_multi_string();
                    }
                    self.backup();
                }
                self.raw_string()
            }
            Some('.') => self.fail("floats must start with a digit, not '.'"),
            Some('-' | '+') => self.signed_number(),
            Some(first) => {
                if first == 'i' || first == 'n' {
                    let special = (self.accept('n')? && self.accept('f')?)
                        || (self.accept('a')? && self.accept('n')?);
                    if special {
                        let text = self.current();
                        self.emit(Tok::Float(text));
                        return Ok(());
                    }
                }
                if first.is_alphabetic() {
                    self.backup();
                    return self.word();
                }
                self.fail(format!("expected value but found {} instead", q_rune(c)))
            }
            None => self.fail("unexpected EOF; expected value"),
        }
    }

    /// A word where a value belongs: `true`, `false`, or an error.
    fn word(&mut self) -> Lx {
        let mut w = String::new();
        loop {
            match self.next()? {
                Some(c) if c.is_alphabetic() => w.push(c),
                _ => {
                    self.backup();
                    break;
                }
            }
        }
        match w.as_str() {
            "true" => self.emit(Tok::Bool(true)),
            "false" => self.emit(Tok::Bool(false)),
            _ => return self.fail(format!("expected value but found {} instead", quote(&w))),
        }
        Ok(())
    }

    fn array(&mut self) -> Lx {
        loop {
            // A value, or the end.
            loop {
                let c = self.next()?;
                match c {
                    _ if is_ws(c) || is_nl(c) => {}
                    Some('#') => self.comment()?,
                    Some(',') => return self.fail("unexpected comma"),
                    Some(']') => {
                        self.emit(Tok::ArrayEnd);
                        return Ok(());
                    }
                    _ => {
                        self.backup();
                        break;
                    }
                }
            }
            self.value()?;
            // A separator, or the end.
            loop {
                let c = self.next()?;
                match c {
                    _ if is_ws(c) || is_nl(c) => {}
                    Some('#') => self.comment()?,
                    Some(',') => break,
                    Some(']') => {
                        self.emit(Tok::ArrayEnd);
                        return Ok(());
                    }
                    _ => {
                        return self.fail(format!(
                            "expected a comma (',') or array terminator (']'), but got {}",
                            rune_or_eof(c)
                        ));
                    }
                }
            }
        }
    }

    fn inline_table(&mut self) -> Lx {
        const NL: &str = "newlines not allowed within inline tables";
        let toml11 = self.release.toml11();
        loop {
            loop {
                let c = self.next()?;
                match c {
                    _ if is_ws(c) => {}
                    _ if is_nl(c) => {
                        if !toml11 {
                            return self.fail_prev_line(NL);
                        }
                    }
                    Some('#') => self.comment()?,
                    Some(',') => return self.fail("unexpected comma"),
                    Some('}') => {
                        self.emit(Tok::InlineEnd);
                        return Ok(());
                    }
                    _ => {
                        self.backup();
                        break;
                    }
                }
            }
            self.key_value()?;
            loop {
                let c = self.next()?;
                match c {
                    _ if is_ws(c) => {}
                    _ if is_nl(c) => {
                        if !toml11 {
                            return self.fail_prev_line(NL);
                        }
                    }
                    Some('#') => self.comment()?,
                    Some(',') => {
                        self.skip_ws()?;
                        if self.peek()? == Some('}') {
                            if toml11 {
                                continue;
                            }
                            return self.fail("trailing comma not allowed in inline tables");
                        }
                        break;
                    }
                    Some('}') => {
                        self.emit(Tok::InlineEnd);
                        return Ok(());
                    }
                    _ => {
                        return self.fail(format!(
                            "expected a comma or an inline table terminator '}}', but got {} instead",
                            rune_or_eof(c)
                        ));
                    }
                }
            }
        }
    }

    /// After the opening `"`.
    fn basic_string(&mut self) -> Lx {
        self.start = self.pos;
        loop {
            let c = self.next()?;
            match c {
                None => return self.fail("unexpected EOF; expected '\"'"),
                _ if is_nl(c) => return self.fail_prev_line("strings cannot contain newlines"),
                Some('\\') => self.escape()?,
                Some('"') => {
                    let text = self.s[self.start..self.pos - 1].iter().collect();
                    self.emit(Tok::Str(StrKind::Basic, text));
                    return Ok(());
                }
                Some(_) => {}
            }
        }
    }

    /// After the opening `"""`.
    fn multi_string(&mut self) -> Lx {
        self.start = self.pos;
        loop {
            match self.next()? {
                None => return self.fail("unexpected EOF; expected '\"\"\"'"),
                Some('\\') => {
                    let c = self.next()?;
                    if !is_nl(c) {
                        self.backup();
                        self.escape()?;
                    }
                }
                Some('"') => {
                    if self.closing_run('"')? {
                        let text = self.s[self.start..self.pos - 3].iter().collect();
                        self.emit(Tok::Str(StrKind::Multi, text));
                        return Ok(());
                    }
                }
                Some(_) => {}
            }
        }
    }

    /// After a quote inside a multi-line string: whether it starts the closing triple (then
    /// consumed). Up to two more quotes may belong to the content; six in a row is an error.
    fn closing_run(&mut self, q: char) -> Lx<bool> {
        if !self.accept(q)? {
            return Ok(false);
        }
        if !self.accept(q)? {
            self.backup();
            return Ok(false);
        }
        if self.peek()? == Some(q) {
            let cur = self.current();
            let five: String = std::iter::repeat_n(q, 5).collect();
            if cur.ends_with(&five) && !(q == '"' && cur.ends_with(&format!("\\{five}"))) {
                let six: String = std::iter::repeat_n(q, 6).collect();
                return self.fail(if q == '"' {
                    format!("unexpected '{six}'")
                } else {
                    format!("unexpected \"{six}\"")
                });
            }
            self.backup();
            self.backup();
            return Ok(false);
        }
        Ok(true)
    }

    /// After the opening `'`.
    fn raw_string(&mut self) -> Lx {
        self.start = self.pos;
        loop {
            let c = self.next()?;
            match c {
                None => return self.fail("unexpected EOF; expected \"'\""),
                _ if is_nl(c) => return self.fail_prev_line("strings cannot contain newlines"),
                Some('\'') => {
                    let text = self.s[self.start..self.pos - 1].iter().collect();
                    self.emit(Tok::Str(StrKind::Raw, text));
                    return Ok(());
                }
                Some(_) => {}
            }
        }
    }

    /// After the opening `'''`.
    fn raw_multi_string(&mut self) -> Lx {
        self.start = self.pos;
        loop {
            match self.next()? {
                None => return self.fail("unexpected EOF; expected \"'''\""),
                Some('\'') => {
                    if self.closing_run('\'')? {
                        let text = self.s[self.start..self.pos - 3].iter().collect();
                        self.emit(Tok::Str(StrKind::RawMulti, text));
                        return Ok(());
                    }
                }
                Some(_) => {}
            }
        }
    }

    /// After a `\` in a basic string.
    fn escape(&mut self) -> Lx {
        let c = self.next()?;
        let bad = |lx: &mut Self| {
            let msg = format!("invalid escape in string '\\{}'", c_rune(c));
            lx.fail::<()>(msg)
        };
        let digits = match c {
            Some('e' | 'x') if !self.release.toml11() => return bad(self),
            Some('e' | 'b' | 't' | 'n' | 'f' | 'r' | '"' | ' ' | '\t' | '\\') => return Ok(()),
            Some('x') => 2,
            Some('u') => 4,
            Some('U') => 8,
            _ => return bad(self),
        };
        for _ in 0..digits {
            if !is_hex(self.next()?) {
                let (what, esc) = match digits {
                    2 => ("two", 'x'),
                    4 => ("four", 'u'),
                    _ => ("eight", 'U'),
                };
                let cur = self.current();
                return self.fail(format!(
                    "expected {what} hexadecimal digits after '\\{esc}', but got {} instead",
                    quote(&cur)
                ));
            }
        }
        Ok(())
    }

    fn emit_current(&mut self, tok: fn(String) -> Tok) -> Lx {
        self.backup();
        let text = self.current();
        self.emit(tok(text));
        Ok(())
    }

    /// A value starting with a digit.
    fn number_or_date(&mut self) -> Lx {
        if self.next()? == Some('0') {
            let c = self.next()?;
            let (base, name, ok): (_, _, fn(Option<char>) -> bool) = match c {
                _ if is_digit(c) => return self.digits_or_date(),
                Some('_') => return self.decimal(),
                Some('.' | 'e' | 'E') => return self.float(),
                Some('b') => ('b', "a binary", |c| matches!(c, Some('0' | '1'))),
                Some('o') => ('o', "an octal", |c| matches!(c, Some('0'..='7'))),
                Some('x') => {
                    let name = match self.release {
                        Release::V14 => "a hexidecimal",
                        Release::V16 => "a hexadecimal",
                    };
                    ('x', name, is_hex)
                }
                _ => return self.emit_current(Tok::Integer),
            };
            let _ = base;
            let p = self.peek()?;
            if !ok(p) {
                let cur = self.current();
                return self.fail(format!("not {name} number: '{cur}{}'", c_rune(p)));
            }
            loop {
                let c = self.next()?;
                if !ok(c) && c != Some('_') {
                    return self.emit_current(Tok::Integer);
                }
            }
        }
        self.digits_or_date()
    }

    fn digits_or_date(&mut self) -> Lx {
        loop {
            let c = self.next()?;
            match c {
                _ if is_digit(c) => {}
                Some('-' | ':') => return self.datetime(),
                Some('_') => return self.decimal(),
                Some('.' | 'e' | 'E') => return self.float(),
                _ => return self.emit_current(Tok::Integer),
            }
        }
    }

    fn datetime(&mut self) -> Lx {
        loop {
            let c = self.next()?;
            match c {
                _ if is_digit(c) => {}
                Some('-' | ':' | 'T' | 't' | ' ' | '.' | 'Z' | 'z' | '+') => {}
                _ => {
                    self.backup();
                    let text = self.current().trim().to_string();
                    self.emit(Tok::Datetime(text));
                    return Ok(());
                }
            }
        }
    }

    fn decimal(&mut self) -> Lx {
        loop {
            let c = self.next()?;
            match c {
                _ if is_digit(c) => {}
                Some('_') => {}
                Some('.' | 'e' | 'E') => return self.float(),
                _ => return self.emit_current(Tok::Integer),
            }
        }
    }

    /// After a sign.
    fn signed_number(&mut self) -> Lx {
        let c = self.next()?;
        match c {
            Some('i') | Some('n') => {
                let (a, b) = if c == Some('i') {
                    ('n', 'f')
                } else {
                    ('a', 'n')
                };
                if !self.accept(a)? || !self.accept(b)? {
                    let cur = self.current();
                    return self.fail(format!("invalid float: '{cur}'"));
                }
                let text = self.current();
                self.emit(Tok::Float(text));
                Ok(())
            }
            Some('.') => self.fail("floats must start with a digit, not '.'"),
            _ if is_digit(c) => {
                if c == Some('0') {
                    let p = self.peek()?;
                    if matches!(p, Some('b' | 'o' | 'x')) {
                        let cur = self.current();
                        return self.fail(format!(
                            "cannot use sign with non-decimal numbers: '{cur}{}'",
                            c_rune(p)
                        ));
                    }
                }
                self.decimal()
            }
            _ => self.fail(format!("expected a digit but got {}", q_rune(c))),
        }
    }

    fn float(&mut self) -> Lx {
        loop {
            let c = self.next()?;
            match c {
                _ if is_digit(c) => {}
                Some('_' | '.' | '-' | '+' | 'e' | 'E') => {}
                _ => return self.emit_current(Tok::Float),
            }
        }
    }
}

fn lex(input: &str, release: Release) -> Vec<Item> {
    let chars: Vec<char> = input.chars().collect();
    let mut lx = Lexer {
        s: &chars,
        pos: 0,
        start: 0,
        line: 1,
        at_eof: false,
        release,
        items: Vec::new(),
    };
    let _ = lx.document();
    lx.items
}

// ---------------------------------------------------------------------------------------------
// Parser

/// What BurntSushi records about a key.
#[derive(Clone, Copy, PartialEq, Eq)]
enum KeyType {
    Hash,
    ArrayHash,
    Array,
    Other,
}

struct ParseError {
    line: usize,
    last_key: String,
    msg: String,
}

type Ps<T> = Result<T, ParseError>;

struct Parser {
    items: std::vec::IntoIter<Item>,
    release: Release,
    root: Map,
    context: Vec<String>,
    current_key: String,
    /// Line of the last key or table name read.
    line: usize,
    implicits: HashSet<Vec<String>>,
    types: HashMap<Vec<String>, KeyType>,
}

/// A key as BurntSushi prints it: parts joined by `.`, quoted when not bare.
fn key_string(key: &[String]) -> String {
    key.iter()
        .map(|k| {
            if !k.is_empty()
                && k.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            {
                k.clone()
            } else {
                format!("\"{}\"", k.replace('\\', "\\\\").replace('"', "\\\""))
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// A nested table as a map handle: a table, or the last table of an array of tables.
fn table_of(v: &Value) -> Option<Map> {
    match v {
        Value::Map(m) => Some(m.clone()),
        Value::List(l) if l.elem() == ElemType::Map => match l.last() {
            Some(Value::Map(m)) => Some(m.clone()),
            _ => None,
        },
        _ => None,
    }
}

impl Parser {
    fn current(&self) -> String {
        if self.current_key.is_empty() {
            key_string(&self.context)
        } else if self.context.is_empty() {
            self.current_key.clone()
        } else {
            format!("{}.{}", key_string(&self.context), self.current_key)
        }
    }

    fn error_at<T>(&self, line: usize, msg: String) -> Ps<T> {
        Err(ParseError {
            line,
            last_key: self.current(),
            msg,
        })
    }

    /// An error at the last key or table name read.
    fn error<T>(&self, msg: String) -> Ps<T> {
        self.error_at(self.line, msg)
    }

    fn next(&mut self) -> Ps<Item> {
        let item = self.items.next().unwrap_or(Item {
            tok: Tok::Eof,
            line: self.line,
        });
        if let Tok::Error(msg) = &item.tok {
            return self.error_at(item.line, msg.clone());
        }
        Ok(item)
    }

    fn next_pos(&mut self) -> Ps<Item> {
        let item = self.next()?;
        self.line = item.line;
        Ok(item)
    }

    fn key_part(&self, item: &Item) -> Ps<String> {
        match &item.tok {
            Tok::Text(s) => Ok(s.clone()),
            Tok::Str(kind, raw) => self.string(*kind, raw, item.line),
            _ => self.error_at(item.line, "unexpected key".into()),
        }
    }

    /// Reads key parts up to the closing item.
    fn key(&mut self, first: Item, end: fn(&Tok) -> bool) -> Ps<Vec<String>> {
        let mut key = Vec::new();
        let mut item = first;
        while !end(&item.tok) && !matches!(item.tok, Tok::Eof) {
            key.push(self.key_part(&item)?);
            item = self.next()?;
        }
        Ok(key)
    }

    fn parse(&mut self) -> Ps<()> {
        loop {
            let item = self.next()?;
            match item.tok {
                Tok::Eof => return Ok(()),
                Tok::TableStart | Tok::ArrayTableStart => {
                    let array = matches!(item.tok, Tok::ArrayTableStart);
                    let first = self.next_pos()?;
                    let key =
                        self.key(first, |t| matches!(t, Tok::TableEnd | Tok::ArrayTableEnd))?;
                    self.add_context(&key, array)?;
                    self.set_type(
                        "",
                        if array {
                            KeyType::ArrayHash
                        } else {
                            KeyType::Hash
                        },
                    );
                }
                Tok::KeyStart => {
                    let outer = self.context.clone();
                    self.key_value()?;
                    self.context = outer;
                    self.current_key.clear();
                }
                _ => return self.error_at(item.line, "unexpected item".into()),
            }
        }
    }

    /// `key = value` after the key-start item; leaves the context extended by the dotted parts
    /// and returns the key's parents and the value.
    fn key_value(&mut self) -> Ps<(Vec<String>, Value)> {
        let first = self.next_pos()?;
        let key = self.key(first, |t| matches!(t, Tok::KeyEnd))?;
        let Some((last, parents)) = key.split_last() else {
            return self.error("empty key".into());
        };
        self.current_key = last.clone();
        for part in parents {
            let mut k = self.context.clone();
            k.push(part.clone());
            self.implicits.insert(k.clone());
            self.add_context(&k, false)?;
        }
        let item = self.next()?;
        let (value, typ) = self.value(item, false)?;
        let name = self.current_key.clone();
        self.set_value(&name, value.clone())?;
        self.set_type(&name, typ);
        Ok((parents.to_vec(), value))
    }

    fn value(&mut self, item: Item, parent_is_array: bool) -> Ps<(Value, KeyType)> {
        let line = item.line;
        let v = match item.tok {
            Tok::Str(kind, raw) => Value::string(self.string(kind, &raw, line)?),
            Tok::Bool(b) => Value::Bool(b),
            Tok::Integer(s) => Value::Int64(self.integer(&s, line)?),
            Tok::Float(s) => Value::Float(self.float(&s, line)?),
            Tok::Datetime(s) => match datetime(&s, self.release) {
                Some(text) => Value::string(text),
                None => return self.error_at(line, format!("invalid datetime: {}", quote(&s))),
            },
            Tok::Array => return self.array(),
            Tok::InlineStart => return self.inline_table(parent_is_array),
            _ => return self.error_at(line, "unexpected value".into()),
        };
        Ok((v, KeyType::Other))
    }

    fn array(&mut self) -> Ps<(Value, KeyType)> {
        let name = self.current_key.clone();
        self.set_type(&name, KeyType::Array);
        let mut out = Vec::new();
        loop {
            let item = self.next()?;
            if matches!(item.tok, Tok::ArrayEnd) {
                break;
            }
            out.push(self.value(item, true)?.0);
        }
        Ok((Value::list(out), KeyType::Array))
    }

    fn inline_table(&mut self, parent_is_array: bool) -> Ps<(Value, KeyType)> {
        let top = Map::new();
        let outer_context = self.context.clone();
        let outer_key = std::mem::take(&mut self.current_key);
        self.context.push(outer_key.clone());
        let prev_context = self.context.clone();
        self.implicits.insert(self.context.clone());
        let ctx = self.context.clone();
        self.add_context(&ctx, parent_is_array)?;
        loop {
            let item = self.next()?;
            if matches!(item.tok, Tok::InlineEnd) {
                break;
            }
            let (parents, value) = self.key_value()?;
            let mut hash = top.clone();
            for part in &parents {
                let next = match hash.get(part) {
                    Some(Value::Map(m)) => m,
                    Some(_) => {
                        return self.error(format!(
                            "{} is not a table",
                            quote(&key_string(&self.context))
                        ));
                    }
                    None => {
                        let m = Map::new();
                        hash.insert(part.clone(), Value::Map(m.clone()));
                        m
                    }
                };
                hash = next;
            }
            hash.insert(self.current_key.clone(), value);
            self.context = prev_context.clone();
        }
        self.context = outer_context;
        self.current_key = outer_key;
        Ok((Value::Map(top), KeyType::Hash))
    }

    fn add_context(&mut self, key: &[String], array: bool) -> Ps<()> {
        let Some((last, parents)) = key.split_last() else {
            return self.error("empty key".into());
        };
        let mut hash = self.root.clone();
        let mut key_ctx = Vec::new();
        for k in parents {
            key_ctx.push(k.clone());
            if hash.get(k).is_none() {
                self.implicits.insert(key_ctx.clone());
                hash.insert(k.clone(), Value::Map(Map::new()));
            }
            match hash.get(k).as_ref().and_then(table_of) {
                Some(m) => hash = m,
                None => {
                    return self.error(format!(
                        "Key '{}' was already created as a hash.",
                        key_string(&key_ctx)
                    ));
                }
            }
        }
        self.context = key_ctx;
        if array {
            let tables = match hash.get(last) {
                None => Some(Vec::new()),
                Some(Value::List(l)) if l.elem() == ElemType::Map => Some(l.to_vec()),
                Some(_) => None,
            };
            let Some(mut tables) = tables else {
                return self.error(format!(
                    "Key '{}' was already created and cannot be used as an array.",
                    key_string(key)
                ));
            };
            tables.push(Value::Map(Map::new()));
            hash.insert(
                last.clone(),
                Value::List(List::typed(ElemType::Map, tables)),
            );
        } else {
            self.set_value(last, Value::Map(Map::new()))?;
        }
        self.context.push(last.clone());
        Ok(())
    }

    fn set_value(&mut self, key: &str, value: Value) -> Ps<()> {
        let mut hash = self.root.clone();
        let mut key_ctx = Vec::new();
        for k in &self.context {
            key_ctx.push(k.clone());
            match hash.get(k).as_ref().and_then(table_of) {
                Some(m) => hash = m,
                None => {
                    return self.error(format!(
                        "Key '{}' has already been defined.",
                        key_string(&key_ctx)
                    ));
                }
            }
        }
        key_ctx.push(key.to_string());
        if hash.get(key).is_some() {
            let array = self.types.get(&key_ctx) == Some(&KeyType::Array);
            let implicit = self.implicits.contains(&key_ctx);
            match self.release {
                Release::V14 if array => {
                    self.implicits.remove(&key_ctx);
                    hash.insert(key, value);
                    return Ok(());
                }
                _ if implicit => {
                    self.implicits.remove(&key_ctx);
                    if array {
                        hash.insert(key, value);
                    }
                    return Ok(());
                }
                _ => {}
            }
            return self.error(format!(
                "Key '{}' has already been defined.",
                key_string(&key_ctx)
            ));
        }
        hash.insert(key, value);
        Ok(())
    }

    fn set_type(&mut self, key: &str, typ: KeyType) {
        let mut k = self.context.clone();
        if !key.is_empty() {
            k.push(key.to_string());
        }
        self.types.insert(k, typ);
    }

    // ----- scalars -----

    fn string(&self, kind: StrKind, raw: &str, line: usize) -> Ps<String> {
        match kind {
            StrKind::Raw => Ok(raw.to_string()),
            StrKind::RawMulti => Ok(strip_first_newline(raw).to_string()),
            StrKind::Basic => self.unescape(raw, line),
            StrKind::Multi => {
                let s = strip_escaped_newlines(strip_first_newline(raw));
                self.unescape(&s, line)
            }
        }
    }

    fn unescape(&self, s: &str, line: usize) -> Ps<String> {
        let mut out = String::with_capacity(s.len());
        let mut it = s.chars();
        while let Some(c) = it.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            let e = it.next().unwrap_or('\\');
            let n = match e {
                'b' => {
                    out.push('\u{8}');
                    continue;
                }
                't' => {
                    out.push('\t');
                    continue;
                }
                'n' => {
                    out.push('\n');
                    continue;
                }
                'f' => {
                    out.push('\u{c}');
                    continue;
                }
                'r' => {
                    out.push('\r');
                    continue;
                }
                'e' => {
                    out.push('\u{1b}');
                    continue;
                }
                '"' | '\\' => {
                    out.push(e);
                    continue;
                }
                ' ' | '\t' => {
                    return self.error_at(line, format!("invalid escape: '\\{e}'"));
                }
                'x' => 2,
                'u' => 4,
                _ => 8,
            };
            let hex: String = it.by_ref().take(n).collect();
            let code = u32::from_str_radix(&hex, 16).unwrap_or(u32::MAX);
            match char::from_u32(code) {
                Some(ch) => out.push(ch),
                None => {
                    return self.error_at(
                        line,
                        format!("Escaped character '\\u{hex}' is not valid UTF-8."),
                    );
                }
            }
        }
        Ok(out)
    }

    fn integer(&self, s: &str, line: usize) -> Ps<i64> {
        if !underscores_ok(s) {
            return self.error_at(
                line,
                format!(
                    "Invalid integer {}: underscores must be surrounded by digits",
                    quote(s)
                ),
            );
        }
        if leading_zero(s) {
            return self.error_at(
                line,
                format!("Invalid integer {}: cannot have leading zeroes", quote(s)),
            );
        }
        let clean = s.replace('_', "");
        let (neg, body) = match clean.as_bytes().first() {
            Some(b'-') => (true, &clean[1..]),
            Some(b'+') => (false, &clean[1..]),
            _ => (false, clean.as_str()),
        };
        let (radix, digits) = match body.get(..2) {
            Some("0x") => (16, &body[2..]),
            Some("0o") => (8, &body[2..]),
            Some("0b") => (2, &body[2..]),
            _ => (10, body),
        };
        let parsed = i128::from_str_radix(digits, radix)
            .ok()
            .map(|n| if neg { -n } else { n });
        match parsed.map(i64::try_from) {
            Some(Ok(n)) => Ok(n),
            Some(Err(_)) => self.error_at(line, format!("{s} is out of range for int64")),
            None if !digits.is_empty() && digits.chars().all(|c| c.is_digit(radix)) => {
                self.error_at(line, format!("{s} is out of range for int64"))
            }
            None => self.error_at(line, format!("Invalid integer {}", quote(s))),
        }
    }

    fn float(&self, s: &str, line: usize) -> Ps<f64> {
        let parts: Vec<&str> = s.split(['.', 'e', 'E']).filter(|p| !p.is_empty()).collect();
        if parts.iter().any(|p| !underscores_ok(p)) {
            return self.error_at(
                line,
                format!(
                    "Invalid float {}: underscores must be surrounded by digits",
                    quote(s)
                ),
            );
        }
        if parts.first().is_some_and(|p| leading_zero(p)) {
            return self.error_at(
                line,
                format!("Invalid float {}: cannot have leading zeroes", quote(s)),
            );
        }
        if !periods_ok(s) {
            return self.error_at(
                line,
                format!(
                    "Invalid float {}: '.' must be followed by one or more digits",
                    quote(s)
                ),
            );
        }
        let clean = s.replace('_', "");
        let (text, negative_nan) = match clean.as_str() {
            "+nan" => ("nan".to_string(), false),
            "-nan" => ("nan".to_string(), true),
            _ => (clean.clone(), false),
        };
        let valid_syntax = {
            let t = text.trim_start_matches(['+', '-']);
            matches!(t, "inf" | "nan")
                || (t.chars().next().is_some_and(|c| c.is_ascii_digit())
                    && t.chars().all(|c| c.is_ascii_digit() || "+-.eE".contains(c)))
        };
        match text.parse::<f64>() {
            Ok(f) if valid_syntax => {
                if f.is_infinite() && !text.contains("inf") {
                    return self.error_at(line, format!("{s} is out of range for float64"));
                }
                Ok(if negative_nan { -f } else { f })
            }
            _ => self.error_at(line, format!("Invalid float value: {}", quote(s))),
        }
    }
}

fn underscores_ok(s: &str) -> bool {
    if matches!(s, "nan" | "+nan" | "-nan" | "inf" | "-inf" | "+inf") {
        return true;
    }
    let mut accept = false;
    for c in s.chars() {
        if c == '_' && !accept {
            return false;
        }
        accept = c.is_ascii_hexdigit();
    }
    accept
}

fn leading_zero(s: &str) -> bool {
    let b = s.as_bytes();
    (b.len() > 1 && b[0] == b'0' && !matches!(b[1], b'b' | b'o' | b'x'))
        || (b.len() > 2 && matches!(b[0], b'-' | b'+') && b[1] == b'0')
}

fn periods_ok(s: &str) -> bool {
    let mut period = false;
    for c in s.chars() {
        if period && !c.is_ascii_digit() {
            return false;
        }
        period = c == '.';
    }
    !period
}

fn strip_first_newline(s: &str) -> &str {
    s.strip_prefix('\n')
        .or_else(|| s.strip_prefix("\r\n"))
        .unwrap_or(s)
}

/// Removes line-ending backslashes and the whitespace after them.
fn strip_escaped_newlines(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '\\' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        if chars.get(i + 1) == Some(&'\\') {
            out.push_str("\\\\");
            i += 2;
            continue;
        }
        let mut j = i + 1;
        while j < chars.len() && matches!(chars[j], ' ' | '\t' | '\r' | '\n') {
            j += 1;
        }
        if j > i + 1 && chars[i + 1..j].contains(&'\n') {
            i = j;
        } else {
            out.push('\\');
            i += 1;
        }
    }
    out
}

// ----- datetimes -----

fn digits(s: &str, n: usize) -> Option<u32> {
    (s.len() == n && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok())?
}

fn days_in_month(y: u32, m: u32) -> u32 {
    match m {
        2 if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `YYYY-MM-DD`, checked.
fn date_part(s: &str) -> Option<String> {
    let (y, rest) = s.split_once('-')?;
    let (m, d) = rest.split_once('-')?;
    let (y, m, d) = (digits(y, 4)?, digits(m, 2)?, digits(d, 2)?);
    ((1..=12).contains(&m) && (1..=days_in_month(y, m)).contains(&d))
        .then(|| format!("{y:04}-{m:02}-{d:02}"))
}

/// `HH:MM[:SS[.frac]]` (seconds optional in TOML 1.1), checked; as RFC 3339 prints it.
fn time_part(s: &str, toml11: bool) -> Option<String> {
    let (hms, frac) = match s.split_once('.') {
        Some((a, f)) => (a, Some(f)),
        None => (s, None),
    };
    let mut it = hms.split(':');
    let h = digits(it.next()?, 2)?;
    let m = digits(it.next()?, 2)?;
    let sec = match it.next() {
        Some(x) => digits(x, 2)?,
        None if toml11 && frac.is_none() => 0,
        None => return None,
    };
    if it.next().is_some() || h > 23 || m > 59 || sec > 59 {
        return None;
    }
    let mut out = format!("{h:02}:{m:02}:{sec:02}");
    if let Some(f) = frac {
        if f.is_empty() || f.len() > 9 || !f.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let f = f.trim_end_matches('0');
        if !f.is_empty() {
            out.push('.');
            out.push_str(f);
        }
    }
    Some(out)
}

fn offset_part(s: &str) -> Option<String> {
    if s == "Z" {
        return Some("Z".into());
    }
    let sign = s.get(..1)?;
    if sign != "+" && sign != "-" {
        return None;
    }
    let (h, m) = s[1..].split_once(':')?;
    let (h, m) = (digits(h, 2)?, digits(m, 2)?);
    if h > 23 || m > 59 {
        return None;
    }
    Some(if h == 0 && m == 0 {
        "Z".into()
    } else {
        format!("{sign}{h:02}:{m:02}")
    })
}

/// A TOML datetime as `toJson` prints the `time.Time` BurntSushi makes of it, or `None` when
/// invalid.
fn datetime(s: &str, release: Release) -> Option<String> {
    let s = s.replace('z', "Z").replace(['t', ' '], "T");
    let toml11 = release.toml11();
    if let Some((date, rest)) = s.split_once('T') {
        let date = date_part(date)?;
        let (time, offset) = match rest.find(['Z', '+', '-']) {
            Some(i) => (&rest[..i], Some(&rest[i..])),
            None => (rest, None),
        };
        let time = time_part(time, toml11)?;
        let offset = match offset {
            Some(o) => offset_part(o)?,
            None => "Z".into(),
        };
        return Some(format!("{date}T{time}{offset}"));
    }
    if s.contains(':') {
        return Some(format!("0000-01-01T{}Z", time_part(&s, toml11)?));
    }
    Some(format!("{}T00:00:00Z", date_part(&s)?))
}

/// Helm's `fromToml`: the decoded map, or a map holding BurntSushi's error text under `Error`.
pub(crate) fn from_toml(input: &str, release: Release) -> Value {
    let error = |line: usize, last_key: &str, msg: &str| {
        let m = Map::new();
        let text = if last_key.is_empty() {
            format!("toml: line {line}: {msg}")
        } else {
            format!("toml: line {line} (last key {}): {msg}", quote(last_key))
        };
        m.insert("Error", Value::string(text));
        Value::Map(m)
    };
    let data = input.strip_prefix('\u{feff}').unwrap_or(input);
    if data.chars().take(6).any(|c| c == '\0') {
        return error(
            1,
            "",
            "files cannot contain NULL bytes; probably using UTF-16; TOML files must be UTF-8",
        );
    }
    let mut p = Parser {
        items: lex(data, release).into_iter(),
        release,
        root: Map::new(),
        context: Vec::new(),
        current_key: String::new(),
        line: 1,
        implicits: HashSet::new(),
        types: HashMap::new(),
    };
    match p.parse() {
        Ok(()) => Value::Map(p.root),
        Err(e) => error(e.line, &e.last_key, &e.msg),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(s: &str, r: Release) -> String {
        match from_toml(s, r) {
            Value::Map(m) => match m.get("Error") {
                Some(Value::String(e)) => e.to_string(),
                _ => "ok".into(),
            },
            _ => unreachable!(),
        }
    }

    #[test]
    fn datetimes() {
        let d = |s| datetime(s, Release::V16);
        assert_eq!(d("1979-05-27").as_deref(), Some("1979-05-27T00:00:00Z"));
        assert_eq!(d("07:32:00").as_deref(), Some("0000-01-01T07:32:00Z"));
        assert_eq!(
            d("1979-05-27T07:32:00.500-08:00").as_deref(),
            Some("1979-05-27T07:32:00.5-08:00")
        );
        assert_eq!(d("1979-02-29"), None);
        assert_eq!(datetime("07:32", Release::V14), None);
    }

    #[test]
    fn eof_lines_differ_between_releases() {
        assert_eq!(
            err("a = ", Release::V14),
            r#"toml: line 0 (last key "a"): unexpected EOF; expected value"#
        );
        assert_eq!(
            err("a = ", Release::V16),
            r#"toml: line 1 (last key "a"): unexpected EOF; expected value"#
        );
    }
}
