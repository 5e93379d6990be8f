//! The lexer: template text to items.
//!
//! It follows Go's `text/template/parse` scanner state by state, because parse errors (and the
//! line they are reported on) depend on exactly where scanning stops. Whitespace trimming
//! (`{{- ` and ` -}}`) happens here, so the parser never sees it.

/// What kind of item the lexer produced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ItemKind {
    /// A scan error; the value is the message.
    Error,
    Bool,
    /// A printable ASCII character inside an action (a grab bag, e.g. `,`).
    Char,
    CharConstant,
    Complex,
    /// `=`
    Assign,
    /// `:=`
    Declare,
    Eof,
    Field,
    Identifier,
    LeftDelim,
    LeftParen,
    Number,
    Pipe,
    RawString,
    RightDelim,
    RightParen,
    Space,
    String,
    Text,
    Variable,
    // Keywords.
    Block,
    Break,
    Continue,
    Dot,
    Define,
    Else,
    End,
    If,
    Nil,
    Range,
    Template,
    With,
}

impl ItemKind {
    fn is_keyword(self) -> bool {
        matches!(
            self,
            ItemKind::Block
                | ItemKind::Break
                | ItemKind::Continue
                | ItemKind::Dot
                | ItemKind::Define
                | ItemKind::Else
                | ItemKind::End
                | ItemKind::If
                | ItemKind::Nil
                | ItemKind::Range
                | ItemKind::Template
                | ItemKind::With
        )
    }
}

/// A token: kind, byte position, text, and the line it starts on.
#[derive(Clone, Debug)]
pub(crate) struct Item<'a> {
    pub kind: ItemKind,
    pub pos: usize,
    pub val: std::borrow::Cow<'a, str>,
    pub line: usize,
}

impl Item<'_> {
    /// How Go's parser prints an item in "unexpected ..." messages.
    pub fn describe(&self) -> String {
        match self.kind {
            ItemKind::Eof => "EOF".into(),
            ItemKind::Error => self.val.to_string(),
            k if k.is_keyword() => format!("<{}>", self.val),
            _ => {
                if self.val.len() > 10 {
                    // Go's `%.10q...`: the first ten runes, quoted.
                    let head: String = self.val.chars().take(10).collect();
                    format!("{}...", go_quote(&head))
                } else {
                    go_quote(&self.val)
                }
            }
        }
    }
}

/// `strconv.Quote` for lexer messages (delegates to the fmt module).
fn go_quote(s: &str) -> String {
    crate::gofmt::quote(s)
}

const LEFT_DELIM: &str = "{{";
const RIGHT_DELIM: &str = "}}";
const LEFT_COMMENT: &str = "/*";
const RIGHT_COMMENT: &str = "*/";
const TRIM_MARKER_LEN: usize = 2;

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Text,
    LeftDelim,
    Comment,
    RightDelim,
    InsideAction,
    Done,
}

/// The scanner. Produces items on demand (Go runs it as a goroutine; the order is the same).
pub(crate) struct Lexer<'a> {
    input: &'a str,
    pos: usize,
    start: usize,
    /// Line of `start`.
    start_line: usize,
    /// Line of `pos`.
    line: usize,
    paren_depth: usize,
    state: State,
    pending: std::collections::VecDeque<Item<'a>>,
    /// Whether `break` and `continue` are keywords (they are unless functions of those names
    /// exist).
    pub break_ok: bool,
    pub continue_ok: bool,
    /// Whether newlines inside comments advance the line count. Go 1.23 forgot them, so its
    /// parse errors after a multi-line comment name a line too early.
    pub count_comment_lines: bool,
}

impl<'a> Lexer<'a> {
    pub fn new(input: &'a str) -> Lexer<'a> {
        Lexer {
            input,
            pos: 0,
            start: 0,
            start_line: 1,
            line: 1,
            paren_depth: 0,
            state: State::Text,
            pending: std::collections::VecDeque::new(),
            break_ok: true,
            continue_ok: true,
            count_comment_lines: true,
        }
    }

    /// The next item. After `Eof` or `Error` it keeps returning `Eof`.
    pub fn next_item(&mut self) -> Item<'a> {
        loop {
            if let Some(item) = self.pending.pop_front() {
                return item;
            }
            match self.state {
                State::Done => {
                    return Item {
                        kind: ItemKind::Eof,
                        pos: self.input.len(),
                        val: "".into(),
                        line: self.line,
                    };
                }
                State::Text => self.lex_text(),
                State::LeftDelim => self.lex_left_delim(),
                State::Comment => self.lex_comment(),
                State::RightDelim => self.lex_right_delim(),
                State::InsideAction => self.lex_inside_action(),
            }
        }
    }

    fn rest(&self) -> &'a str {
        &self.input[self.pos..]
    }

    fn next(&mut self) -> Option<char> {
        let c = self.rest().chars().next()?;
        self.pos += c.len_utf8();
        if c == '\n' {
            self.line += 1;
        }
        Some(c)
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    /// Steps back over `c`, which `next` just returned.
    fn backup(&mut self, c: Option<char>) {
        if let Some(c) = c {
            self.pos -= c.len_utf8();
            if c == '\n' {
                self.line -= 1;
            }
        }
    }

    fn emit(&mut self, kind: ItemKind) {
        let item = Item {
            kind,
            pos: self.start,
            val: self.input[self.start..self.pos].into(),
            line: self.start_line,
        };
        self.pending.push_back(item);
        self.start = self.pos;
        self.start_line = self.line;
    }

    fn ignore(&mut self) {
        self.line += self.input[self.start..self.pos].matches('\n').count();
        self.start = self.pos;
        self.start_line = self.line;
    }

    /// Moves `pos` forward by `n` bytes without counting lines (they are counted by `ignore`
    /// and `emit` through `start_line`).
    fn skip(&mut self, n: usize) {
        self.pos += n;
    }

    fn error(&mut self, msg: String) {
        self.pending.push_back(Item {
            kind: ItemKind::Error,
            pos: self.start,
            val: msg.into(),
            line: self.start_line,
        });
        self.state = State::Done;
    }

    fn accept(&mut self, valid: &str) -> bool {
        match self.next() {
            Some(c) if valid.contains(c) => true,
            c => {
                self.backup(c);
                false
            }
        }
    }

    fn accept_run(&mut self, valid: &str) {
        while self.accept(valid) {}
    }

    fn lex_text(&mut self) {
        if let Some(x) = self.rest().find(LEFT_DELIM) {
            if x > 0 {
                self.pos += x;
                // Do we trim any trailing space?
                let delim_end = self.pos + LEFT_DELIM.len();
                let mut trim_len = 0;
                if has_left_trim_marker(&self.input[delim_end..]) {
                    let text = &self.input[self.start..self.pos];
                    trim_len = text.len() - text.trim_end_matches(SPACE_CHARS).len();
                }
                self.pos -= trim_len;
                self.line =
                    self.start_line + self.input[self.start..self.pos].matches('\n').count();
                if self.pos > self.start {
                    self.emit(ItemKind::Text);
                }
                self.pos += trim_len;
                self.ignore();
            }
            self.state = State::LeftDelim;
            return;
        }
        self.pos = self.input.len();
        self.line = self.start_line + self.input[self.start..self.pos].matches('\n').count();
        if self.pos > self.start {
            self.emit(ItemKind::Text);
        }
        self.emit(ItemKind::Eof);
        self.state = State::Done;
    }

    fn lex_left_delim(&mut self) {
        self.skip(LEFT_DELIM.len());
        let trim = has_left_trim_marker(self.rest());
        let after_marker = if trim { TRIM_MARKER_LEN } else { 0 };
        if self.input[self.pos + after_marker..].starts_with(LEFT_COMMENT) {
            self.skip(after_marker);
            self.ignore();
            self.state = State::Comment;
            return;
        }
        self.emit(ItemKind::LeftDelim);
        self.skip(after_marker);
        self.ignore();
        self.paren_depth = 0;
        self.state = State::InsideAction;
    }

    fn lex_comment(&mut self) {
        self.skip(LEFT_COMMENT.len());
        let Some(x) = self.rest().find(RIGHT_COMMENT) else {
            self.error("unclosed comment".into());
            return;
        };
        self.skip(x + RIGHT_COMMENT.len());
        if !self.count_comment_lines {
            // Go 1.23 skipped the comment without counting its lines.
            self.start = self.pos;
        }
        let (delim, trim) = self.at_right_delim();
        if !delim {
            self.error("comment ends before closing delimiter".into());
            return;
        }
        if trim {
            self.skip(TRIM_MARKER_LEN);
        }
        self.skip(RIGHT_DELIM.len());
        if trim {
            self.skip(left_trim_len(self.rest()));
        }
        self.ignore();
        self.state = State::Text;
    }

    fn at_right_delim(&self) -> (bool, bool) {
        let rest = self.rest();
        if has_right_trim_marker(rest) && rest[TRIM_MARKER_LEN..].starts_with(RIGHT_DELIM) {
            return (true, true);
        }
        (rest.starts_with(RIGHT_DELIM), false)
    }

    fn lex_right_delim(&mut self) {
        let (_, trim) = self.at_right_delim();
        if trim {
            self.skip(TRIM_MARKER_LEN);
            self.ignore();
        }
        self.skip(RIGHT_DELIM.len());
        self.emit(ItemKind::RightDelim);
        if trim {
            self.skip(left_trim_len(self.rest()));
            self.ignore();
        }
        self.state = State::Text;
    }

    fn lex_inside_action(&mut self) {
        let (delim, _) = self.at_right_delim();
        if delim {
            if self.paren_depth == 0 {
                self.state = State::RightDelim;
            } else {
                self.error("unclosed left paren".into());
            }
            return;
        }
        let c = self.next();
        match c {
            None => self.error("unclosed action".into()),
            Some(c) if is_space(c) => {
                self.backup(Some(c));
                self.lex_space();
            }
            Some('=') => self.emit(ItemKind::Assign),
            Some(':') => {
                if self.next() != Some('=') {
                    self.error("expected :=".into());
                    return;
                }
                self.emit(ItemKind::Declare);
            }
            Some('|') => self.emit(ItemKind::Pipe),
            Some('"') => self.lex_quote(),
            Some('`') => self.lex_raw_quote(),
            Some('$') => self.lex_variable(),
            Some('\'') => self.lex_char(),
            Some('.') => {
                // Special look-ahead for ".field" so we don't break backup().
                match self.rest().as_bytes().first() {
                    Some(b) if !b.is_ascii_digit() => self.lex_field_or_variable(ItemKind::Field),
                    None => self.lex_field_or_variable(ItemKind::Field),
                    _ => {
                        self.backup(Some('.'));
                        self.lex_number();
                    }
                }
            }
            Some(c) if c == '+' || c == '-' || c.is_ascii_digit() => {
                self.backup(Some(c));
                self.lex_number();
            }
            Some(c) if is_alphanumeric(c) => {
                self.backup(Some(c));
                self.lex_identifier();
            }
            Some('(') => {
                self.emit(ItemKind::LeftParen);
                self.paren_depth += 1;
            }
            Some(')') => {
                if self.paren_depth == 0 {
                    self.error("unexpected right paren".into());
                    return;
                }
                self.paren_depth -= 1;
                self.emit(ItemKind::RightParen);
            }
            Some(c) if c.is_ascii() && !c.is_ascii_control() => self.emit(ItemKind::Char),
            Some(c) => self.error(format!("unrecognized character in action: {}", sharp_u(c))),
        }
    }

    fn lex_space(&mut self) {
        let mut num_spaces = 0;
        while let Some(c) = self.peek() {
            if !is_space(c) {
                break;
            }
            self.next();
            num_spaces += 1;
        }
        // Be careful about a trim-marked closing delimiter, which has a minus after a space.
        let before = &self.input[self.pos - 1..];
        if has_right_trim_marker(before) && before[TRIM_MARKER_LEN..].starts_with(RIGHT_DELIM) {
            let last = self.input[..self.pos].chars().next_back();
            self.backup(last);
            if num_spaces == 1 {
                self.state = State::RightDelim;
                return;
            }
        }
        self.emit(ItemKind::Space);
    }

    fn lex_identifier(&mut self) {
        loop {
            let c = self.next();
            match c {
                Some(c) if is_alphanumeric(c) => {}
                _ => {
                    self.backup(c);
                    let word = &self.input[self.start..self.pos];
                    if !self.at_terminator() {
                        let bad = self.peek();
                        self.error(format!("bad character {}", sharp_u_opt(bad)));
                        return;
                    }
                    let kind = match word {
                        "block" => ItemKind::Block,
                        "break" if self.break_ok => ItemKind::Break,
                        "continue" if self.continue_ok => ItemKind::Continue,
                        "define" => ItemKind::Define,
                        "else" => ItemKind::Else,
                        "end" => ItemKind::End,
                        "if" => ItemKind::If,
                        "range" => ItemKind::Range,
                        "nil" => ItemKind::Nil,
                        "template" => ItemKind::Template,
                        "with" => ItemKind::With,
                        "true" | "false" => ItemKind::Bool,
                        _ => ItemKind::Identifier,
                    };
                    self.emit(kind);
                    return;
                }
            }
        }
    }

    fn lex_variable(&mut self) {
        if self.at_terminator() {
            self.emit(ItemKind::Variable);
            return;
        }
        self.lex_field_or_variable(ItemKind::Variable);
    }

    fn lex_field_or_variable(&mut self, kind: ItemKind) {
        if self.at_terminator() {
            self.emit(if kind == ItemKind::Variable {
                ItemKind::Variable
            } else {
                ItemKind::Dot
            });
            return;
        }
        loop {
            let c = self.next();
            match c {
                Some(c) if is_alphanumeric(c) => {}
                _ => {
                    self.backup(c);
                    break;
                }
            }
        }
        if !self.at_terminator() {
            let bad = self.peek();
            self.error(format!("bad character {}", sharp_u_opt(bad)));
            return;
        }
        self.emit(kind);
    }

    fn at_terminator(&self) -> bool {
        match self.peek() {
            None => true,
            Some(c) if is_space(c) => true,
            Some('.' | ',' | '|' | ':' | ')' | '(') => true,
            _ => self.rest().starts_with(RIGHT_DELIM),
        }
    }

    fn lex_char(&mut self) {
        loop {
            match self.next() {
                Some('\\') => match self.next() {
                    None | Some('\n') => {
                        self.error("unterminated character constant".into());
                        return;
                    }
                    Some(_) => {}
                },
                None | Some('\n') => {
                    self.error("unterminated character constant".into());
                    return;
                }
                Some('\'') => break,
                Some(_) => {}
            }
        }
        self.emit(ItemKind::CharConstant);
    }

    fn lex_number(&mut self) {
        if !self.scan_number() {
            let text = self.input[self.start..self.pos].to_string();
            self.error(format!("bad number syntax: {}", go_quote(&text)));
            return;
        }
        if matches!(self.peek(), Some('+' | '-')) {
            // Complex: 1+2i. No spaces, must end in 'i'.
            if !self.scan_number() || !self.input[..self.pos].ends_with('i') {
                let text = self.input[self.start..self.pos].to_string();
                self.error(format!("bad number syntax: {}", go_quote(&text)));
                return;
            }
            self.emit(ItemKind::Complex);
        } else {
            self.emit(ItemKind::Number);
        }
    }

    fn scan_number(&mut self) -> bool {
        self.accept("+-");
        let mut digits = "0123456789_";
        if self.accept("0") {
            if self.accept("xX") {
                digits = "0123456789abcdefABCDEF_";
            } else if self.accept("oO") {
                digits = "01234567_";
            } else if self.accept("bB") {
                digits = "01_";
            }
        }
        self.accept_run(digits);
        if self.accept(".") {
            self.accept_run(digits);
        }
        if digits.len() == 10 + 1 && self.accept("eE") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        if digits.len() == 16 + 6 + 1 && self.accept("pP") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        // Is it imaginary?
        self.accept("i");
        // Next thing mustn't be alphanumeric.
        if let Some(c) = self.peek()
            && is_alphanumeric(c)
        {
            self.next();
            return false;
        }
        true
    }

    fn lex_quote(&mut self) {
        loop {
            match self.next() {
                Some('\\') => match self.next() {
                    None | Some('\n') => {
                        self.error("unterminated quoted string".into());
                        return;
                    }
                    Some(_) => {}
                },
                None | Some('\n') => {
                    self.error("unterminated quoted string".into());
                    return;
                }
                Some('"') => break,
                Some(_) => {}
            }
        }
        self.emit(ItemKind::String);
    }

    fn lex_raw_quote(&mut self) {
        loop {
            match self.next() {
                None => {
                    self.error("unterminated raw quoted string".into());
                    return;
                }
                Some('`') => break,
                Some(_) => {}
            }
        }
        self.emit(ItemKind::RawString);
    }
}

const SPACE_CHARS: &[char] = &[' ', '\t', '\r', '\n'];

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// Go's `unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_'`.
pub(crate) fn is_alphanumeric(c: char) -> bool {
    c == '_' || c.is_alphabetic() || c.is_numeric()
}

fn has_left_trim_marker(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2 && b[0] == b'-' && is_space(b[1] as char)
}

fn has_right_trim_marker(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2 && is_space(b[0] as char) && b[1] == b'-'
}

fn left_trim_len(s: &str) -> usize {
    s.len() - s.trim_start_matches(SPACE_CHARS).len()
}

/// Go's `%#U`: `U+0029 ')'`, or just `U+0001` for a rune that is not printable.
fn sharp_u(c: char) -> String {
    if crate::gofmt::is_print(c) {
        format!("U+{:04X} '{}'", c as u32, c)
    } else {
        format!("U+{:04X}", c as u32)
    }
}

fn sharp_u_opt(c: Option<char>) -> String {
    match c {
        Some(c) => sharp_u(c),
        // Go prints the eof rune (-1) as U+FFFFFFFFFFFFFFFF.
        None => "U+FFFFFFFFFFFFFFFF".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(input: &str) -> Vec<(ItemKind, String)> {
        let mut lx = Lexer::new(input);
        let mut out = vec![];
        loop {
            let it = lx.next_item();
            let done = matches!(it.kind, ItemKind::Eof | ItemKind::Error);
            out.push((it.kind, it.val.to_string()));
            if done {
                return out;
            }
        }
    }

    #[test]
    fn trims_both_sides() {
        let k = kinds("a  {{- 3 -}}  b");
        assert_eq!(k[0], (ItemKind::Text, "a".into()));
        assert_eq!(k[1].0, ItemKind::LeftDelim);
        assert_eq!(k[2], (ItemKind::Number, "3".into()));
        assert_eq!(k[3].0, ItemKind::RightDelim);
        assert_eq!(k[4], (ItemKind::Text, "b".into()));
    }

    #[test]
    fn fields_split_at_dots() {
        let k = kinds("{{.a.b}}");
        assert_eq!(k[1], (ItemKind::Field, ".a".into()));
        assert_eq!(k[2], (ItemKind::Field, ".b".into()));
    }

    #[test]
    fn comment_is_dropped() {
        let k = kinds("x{{/* c */}}y");
        assert_eq!(k[0], (ItemKind::Text, "x".into()));
        assert_eq!(k[1], (ItemKind::Text, "y".into()));
    }

    #[test]
    fn unclosed_action_is_an_error() {
        let k = kinds("{{ .a ");
        assert_eq!(
            k.last().unwrap(),
            &(ItemKind::Error, "unclosed action".into())
        );
    }

    #[test]
    fn numbers_with_prefixes_and_underscores() {
        for n in [
            "0x1F", "0o17", "0b101", "1_000", "1e3", "0x1p4", "3.", "-5", "+5",
        ] {
            let k = kinds(&format!("{{{{{n}}}}}"));
            assert_eq!(k[1], (ItemKind::Number, n.to_string()), "{n}");
        }
    }

    #[test]
    fn line_numbers_follow_newlines() {
        let mut lx = Lexer::new("a\nb{{\n.x}}");
        let text = lx.next_item();
        assert_eq!(text.line, 1);
        let delim = lx.next_item();
        assert_eq!(delim.line, 2);
        let space = lx.next_item();
        assert_eq!(space.kind, ItemKind::Space);
        let field = lx.next_item();
        assert_eq!((field.kind, field.line), (ItemKind::Field, 3));
    }
}
