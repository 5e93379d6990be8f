//! The two glob dialects Helm uses.
//!
//! * [`Glob`]: the syntax of `github.com/gobwas/glob` compiled with `/` as the only separator,
//!   which is what `.Files.Glob` uses ([`helm_files_glob`] adds Helm's rule that an invalid
//!   pattern matches every path).
//! * [`filepath_match`]: Go's `path/filepath.Match` on a Unix system, used by `.helmignore`
//!   rules and by `helm template --show-only`.
//!
//! # `Glob` syntax
//!
//! | pattern | matches |
//! |---|---|
//! | `*` | any run of characters without `/` (possibly empty) |
//! | `**` | any run of characters, `/` included (anywhere: `**.txt` and `a/**` both work) |
//! | `?` | one character other than `/` |
//! | `[abc]`, `[!abc]` | one character in (not in) the list; the negated form also matches `/` |
//! | `[a-z]`, `[!a-z]` | one character in (not in) the range; only **one** range per class |
//! | `{a,b*,c{d,e}}` | any of the comma-separated alternatives, which nest |
//! | `\c` | the character `c` literally (a trailing lone `\` is dropped) |
//!
//! A class is a list unless its first character (after `!`) is followed by `-`: `[ab-d]` is the
//! list `a`, `b`, `-`, `d`, and `[a-z0-9]` is an error. `]` and `}` outside a class or
//! alternation, and `,` outside an alternation, are ordinary characters. An alternation left
//! open at the end of the pattern (`{a,b`) is closed implicitly. Errors: an unterminated class,
//! an empty class (`[]`, `[!]`), a range whose high end is below its low end (`[z-a]`).
//!
//! Matching is exact: a pattern has to match the whole path. Paths and patterns are compared
//! character by character (Unicode scalar values).
//!
//! Known divergence: gobwas/glob v0.2.3 (the version Helm links) miscounts bytes and characters
//! when a fixed-length run of the pattern (for example `weird/?.txt`) meets a multi-byte
//! character, so Helm fails to match some non-ASCII paths this matcher accepts. For ASCII paths
//! the two agree (see the helm-backed tests in `tests/it/files.rs`).

use std::fmt;

/// A compiled gobwas/glob pattern with `/` as the separator (see the module documentation).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Glob {
    pattern: String,
    prog: Vec<Inst>,
}

/// One character test.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Class {
    /// Exactly this character.
    Char(char),
    /// Any character but the separator.
    NotSep,
    /// Any character.
    AnyChar,
    /// A character in (`not`: outside) `lo..=hi`.
    Range { lo: char, hi: char, not: bool },
    /// A character in (`not`: outside) the list.
    List { chars: Vec<char>, not: bool },
}

impl Class {
    fn test(&self, c: char) -> bool {
        match self {
            Class::Char(x) => *x == c,
            Class::NotSep => c != SEPARATOR,
            Class::AnyChar => true,
            Class::Range { lo, hi, not } => (*lo <= c && c <= *hi) != *not,
            Class::List { chars, not } => chars.contains(&c) != *not,
        }
    }
}

/// One instruction of the compiled automaton.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Inst {
    /// Consume one character passing the test, then go to the next instruction.
    Consume(Class),
    /// Continue at every listed instruction.
    Split(Vec<usize>),
    /// Continue at the instruction.
    Jump(usize),
    /// The whole pattern has matched.
    Match,
}

/// The separator `*` and `?` do not cross.
const SEPARATOR: char = '/';

/// The syntax tree of a pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Node {
    Text(String),
    Any,
    Super,
    Single,
    Class(Class),
    Alternatives(Vec<Vec<Node>>),
}

impl Glob {
    /// Compiles a gobwas/glob pattern; the error is gobwas's message (e.g.
    /// `unexpected end of input`).
    pub fn new(pattern: &str) -> Result<Glob, String> {
        let nodes = Parser::new(pattern).parse()?;
        let mut prog = Vec::new();
        compile_seq(&nodes, &mut prog);
        prog.push(Inst::Match);
        Ok(Glob {
            pattern: pattern.to_string(),
            prog,
        })
    }

    /// The pattern this glob was compiled from.
    pub fn as_str(&self) -> &str {
        &self.pattern
    }

    /// Whether the pattern matches all of `path`.
    pub fn matches(&self, path: &str) -> bool {
        let n = self.prog.len();
        let mut current = Vec::with_capacity(n);
        let mut seen = vec![false; n];
        self.add(0, &mut current, &mut seen);
        for c in path.chars() {
            if current.is_empty() {
                return false;
            }
            let mut next = Vec::with_capacity(n);
            seen.iter_mut().for_each(|s| *s = false);
            for &pc in &current {
                if let Inst::Consume(class) = &self.prog[pc]
                    && class.test(c)
                {
                    self.add(pc + 1, &mut next, &mut seen);
                }
            }
            current = next;
        }
        current.iter().any(|&pc| self.prog[pc] == Inst::Match)
    }

    /// Adds `pc` and everything reachable from it without consuming input.
    fn add(&self, pc: usize, set: &mut Vec<usize>, seen: &mut [bool]) {
        if seen[pc] {
            return;
        }
        seen[pc] = true;
        match &self.prog[pc] {
            Inst::Split(targets) => {
                for &t in targets {
                    self.add(t, set, seen);
                }
            }
            Inst::Jump(t) => self.add(*t, set, seen),
            Inst::Consume(_) | Inst::Match => set.push(pc),
        }
    }
}

impl fmt::Display for Glob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.pattern)
    }
}

/// Helm's `.Files.Glob` matcher: the compiled pattern, or, when the pattern does not compile,
/// a matcher that accepts every path (Helm falls back to `**`).
pub fn helm_files_glob(pattern: &str) -> impl Fn(&str) -> bool + use<> {
    let glob = Glob::new(pattern).ok();
    move |path: &str| glob.as_ref().is_none_or(|g| g.matches(path))
}

fn compile_seq(nodes: &[Node], prog: &mut Vec<Inst>) {
    for node in nodes {
        match node {
            Node::Text(text) => prog.extend(text.chars().map(|c| Inst::Consume(Class::Char(c)))),
            Node::Single => prog.push(Inst::Consume(Class::NotSep)),
            Node::Class(class) => prog.push(Inst::Consume(class.clone())),
            Node::Any | Node::Super => {
                let class = if *node == Node::Any {
                    Class::NotSep
                } else {
                    Class::AnyChar
                };
                let split = prog.len();
                prog.push(Inst::Split(Vec::new()));
                prog.push(Inst::Consume(class));
                prog.push(Inst::Jump(split));
                prog[split] = Inst::Split(vec![split + 1, prog.len()]);
            }
            Node::Alternatives(alts) => {
                let split = prog.len();
                prog.push(Inst::Split(Vec::new()));
                let mut starts = Vec::with_capacity(alts.len());
                let mut jumps = Vec::with_capacity(alts.len());
                for alt in alts {
                    starts.push(prog.len());
                    compile_seq(alt, prog);
                    jumps.push(prog.len());
                    prog.push(Inst::Jump(0));
                }
                let end = prog.len();
                for j in jumps {
                    prog[j] = Inst::Jump(end);
                }
                prog[split] = Inst::Split(starts);
            }
        }
    }
}

/// Tokenizer and parser for the gobwas/glob syntax.
struct Parser<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    /// How many `{` are open.
    depth: usize,
}

impl<'a> Parser<'a> {
    fn new(pattern: &'a str) -> Self {
        Parser {
            chars: pattern.chars().peekable(),
            depth: 0,
        }
    }

    /// Parses the whole pattern. Alternations still open at the end are closed.
    fn parse(mut self) -> Result<Vec<Node>, String> {
        // A stack of open alternations: the finished alternatives and the current sequence.
        let mut stack: Vec<(Vec<Vec<Node>>, Vec<Node>)> = Vec::new();
        let mut seq: Vec<Node> = Vec::new();
        while let Some(c) = self.chars.next() {
            match c {
                '{' => {
                    self.depth += 1;
                    stack.push((Vec::new(), std::mem::take(&mut seq)));
                }
                ',' if self.depth > 0 => {
                    let top = stack.last_mut().expect("open alternation");
                    top.0.push(std::mem::take(&mut seq));
                }
                '}' if self.depth > 0 => {
                    self.depth -= 1;
                    let (mut alts, outer) = stack.pop().expect("open alternation");
                    alts.push(std::mem::replace(&mut seq, outer));
                    seq.push(Node::Alternatives(alts));
                }
                '[' => seq.push(self.class()?),
                '?' => seq.push(Node::Single),
                '*' => {
                    if self.chars.peek() == Some(&'*') {
                        self.chars.next();
                        seq.push(Node::Super);
                    } else {
                        seq.push(Node::Any);
                    }
                }
                _ => {
                    let mut text = String::new();
                    self.text(Some(c), &mut text);
                    if !text.is_empty() {
                        seq.push(Node::Text(text));
                    }
                }
            }
        }
        while let Some((mut alts, outer)) = stack.pop() {
            alts.push(std::mem::replace(&mut seq, outer));
            seq.push(Node::Alternatives(alts));
        }
        Ok(seq)
    }

    /// Whether `c` ends a run of text (outside a class).
    fn breaks_text(&self, c: char) -> bool {
        matches!(c, '?' | '*' | '[' | '{') || (self.depth > 0 && matches!(c, '}' | ','))
    }

    /// Reads literal text starting with `first` (already consumed) up to the next special
    /// character; `\` escapes the character after it, and a trailing `\` is dropped.
    fn text(&mut self, first: Option<char>, out: &mut String) {
        let mut pending = first;
        loop {
            let c = match pending.take() {
                Some(c) => c,
                None => match self.chars.peek().copied() {
                    Some(c) if !self.breaks_text(c) => {
                        self.chars.next();
                        c
                    }
                    _ => return,
                },
            };
            if c == '\\' {
                match self.chars.next() {
                    Some(escaped) => out.push(escaped),
                    None => return,
                }
            } else {
                out.push(c);
            }
        }
    }

    /// Reads a class after its `[`.
    fn class(&mut self) -> Result<Node, String> {
        const EOF: &str = "unexpected end of input";
        let mut not = false;
        if self.chars.peek() == Some(&'!') {
            self.chars.next();
            not = true;
        }
        let first = self.chars.next().ok_or(EOF)?;
        // A range `lo-hi`: the first character (even `\` or `]`) followed by `-`.
        if self.chars.peek() == Some(&'-') {
            self.chars.next();
            let hi = self.chars.next().ok_or(EOF)?;
            match self.chars.next() {
                None => return Err(EOF.into()),
                Some(']') => {}
                Some(_) => return Err("expected close range character".into()),
            }
            if hi < first {
                return Err(format!(
                    "hi character '{hi}' should be greater than lo '{first}'"
                ));
            }
            return Ok(Node::Class(Class::Range { lo: first, hi, not }));
        }
        // A list: text (with escapes) up to the next `]`.
        let mut chars = Vec::new();
        let mut pending = Some(first);
        loop {
            let c = match pending.take() {
                Some(c) => c,
                None => self.chars.next().ok_or(EOF)?,
            };
            match c {
                ']' => break,
                '\\' => match self.chars.next() {
                    Some(escaped) => chars.push(escaped),
                    None => return Err(EOF.into()),
                },
                _ => chars.push(c),
            }
        }
        if chars.is_empty() {
            return Err("could not parse range".into());
        }
        Ok(Node::Class(Class::List { chars, not }))
    }
}

/// The error of [`filepath_match`]: Go's `filepath.ErrBadPattern`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ErrBadPattern;

impl fmt::Display for ErrBadPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("syntax error in pattern")
    }
}

impl std::error::Error for ErrBadPattern {}

/// Go's `path/filepath.Match` on Unix: whether `name` matches the shell pattern.
///
/// `*` matches any run of non-`/` bytes, `?` one non-`/` character, `[...]` one character of a
/// class of characters and `lo-hi` ranges (negated by a leading `^`; `!` is an ordinary
/// character), and `\` escapes the next character. The pattern must match all of `name`. A
/// malformed pattern (an unterminated or empty class, a trailing `\`, a `-` or `]` where a class
/// character is expected) fails with [`ErrBadPattern`] whatever `name` is — except that a pattern
/// ending in `*` is accepted as soon as the rest of `name` contains no `/`, without looking
/// further. Like Go, this works on bytes: `*` may stop inside a multi-byte character, after
/// which `?` and classes see the remaining bytes as one U+FFFD each.
pub fn filepath_match(pattern: &str, name: &str) -> Result<bool, ErrBadPattern> {
    go_match(pattern.as_bytes(), name.as_bytes())
}

const SEP: u8 = b'/';

/// Splits off the leading stars and the chunk up to the next `*` outside a class.
fn split_chunk(pattern: &[u8]) -> (bool, &[u8], &[u8]) {
    let stars = pattern.iter().take_while(|&&b| b == b'*').count();
    let pattern = &pattern[stars..];
    let mut in_class = false;
    let mut i = 0;
    while i < pattern.len() {
        match pattern[i] {
            b'\\' if i + 1 < pattern.len() => i += 1,
            b'[' => in_class = true,
            b']' => in_class = false,
            b'*' if !in_class => break,
            _ => {}
        }
        i += 1;
    }
    (stars > 0, &pattern[..i], &pattern[i..])
}

fn go_match(mut pattern: &[u8], mut name: &[u8]) -> Result<bool, ErrBadPattern> {
    'chunks: while !pattern.is_empty() {
        let (star, chunk, rest) = split_chunk(pattern);
        pattern = rest;
        if star && chunk.is_empty() {
            // A trailing star matches the rest unless it contains a separator.
            return Ok(!name.contains(&SEP));
        }
        // Try to match here; the last chunk must also use up the name.
        let here = match_chunk(chunk, name)?;
        if let Some(left) = here
            && (left.is_empty() || !pattern.is_empty())
        {
            name = left;
            continue;
        }
        if star {
            // Let the star eat 1, 2, ... bytes (never a separator).
            let mut i = 0;
            while i < name.len() && name[i] != SEP {
                if let Some(left) = match_chunk(chunk, &name[i + 1..])? {
                    if pattern.is_empty() && !left.is_empty() {
                        i += 1;
                        continue;
                    }
                    name = left;
                    continue 'chunks;
                }
                i += 1;
            }
        }
        // No match: the rest of the pattern must still be well-formed.
        while !pattern.is_empty() {
            let (_, chunk, rest) = split_chunk(pattern);
            pattern = rest;
            match_chunk(chunk, b"")?;
        }
        return Ok(false);
    }
    Ok(name.is_empty())
}

/// Decodes one character the way Go does: an invalid or truncated sequence is U+FFFD, 1 byte.
fn decode(bytes: &[u8]) -> (char, usize) {
    for width in 1..=bytes.len().min(4) {
        if let Ok(s) = std::str::from_utf8(&bytes[..width]) {
            return (s.chars().next().unwrap_or('\u{fffd}'), width);
        }
    }
    ('\u{fffd}', 1)
}

/// One character of a class (`\` escapes), followed by at least one more byte.
fn class_char(chunk: &[u8]) -> Result<(char, &[u8]), ErrBadPattern> {
    let mut chunk = chunk;
    match chunk.first() {
        None | Some(b'-') | Some(b']') => return Err(ErrBadPattern),
        Some(b'\\') => {
            chunk = &chunk[1..];
            if chunk.is_empty() {
                return Err(ErrBadPattern);
            }
        }
        Some(_) => {}
    }
    let (c, width) = decode(chunk);
    let rest = &chunk[width..];
    if rest.is_empty() {
        return Err(ErrBadPattern);
    }
    Ok((c, rest))
}

/// Matches a star-free chunk at the start of `s`: `Some(rest of s)` on a match. The whole chunk
/// is always parsed, so a malformed chunk fails whatever `s` is.
fn match_chunk<'s>(mut chunk: &[u8], mut s: &'s [u8]) -> Result<Option<&'s [u8]>, ErrBadPattern> {
    let mut failed = false;
    while !chunk.is_empty() {
        if s.is_empty() {
            failed = true;
        }
        match chunk[0] {
            b'[' => {
                let mut c = '\0';
                if !failed {
                    let (r, width) = decode(s);
                    c = r;
                    s = &s[width..];
                }
                chunk = &chunk[1..];
                let negated = chunk.first() == Some(&b'^');
                if negated {
                    chunk = &chunk[1..];
                }
                let mut matched = false;
                let mut ranges = 0;
                loop {
                    if ranges > 0 && chunk.first() == Some(&b']') {
                        chunk = &chunk[1..];
                        break;
                    }
                    let (lo, rest) = class_char(chunk)?;
                    chunk = rest;
                    let mut hi = lo;
                    if chunk[0] == b'-' {
                        let (h, rest) = class_char(&chunk[1..])?;
                        hi = h;
                        chunk = rest;
                    }
                    if lo <= c && c <= hi {
                        matched = true;
                    }
                    ranges += 1;
                }
                if matched == negated {
                    failed = true;
                }
            }
            b'?' => {
                if !failed {
                    if s[0] == SEP {
                        failed = true;
                    }
                    let (_, width) = decode(s);
                    s = &s[width..];
                }
                chunk = &chunk[1..];
            }
            b => {
                let literal = if b == b'\\' {
                    chunk = &chunk[1..];
                    *chunk.first().ok_or(ErrBadPattern)?
                } else {
                    b
                };
                if !failed {
                    if literal != s[0] {
                        failed = true;
                    }
                    s = &s[1..];
                }
                chunk = &chunk[1..];
            }
        }
    }
    Ok(if failed { None } else { Some(s) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, s: &str) -> bool {
        Glob::new(p).unwrap().matches(s)
    }

    #[test]
    fn stars_and_singles() {
        assert!(m("*.txt", "a.txt"));
        assert!(!m("*.txt", "d/a.txt"));
        assert!(m("**.txt", "d/e/a.txt"));
        assert!(m("files/**", "files/a/b"));
        assert!(m("a?c", "abc"));
        assert!(!m("a?c", "a/c"));
        assert!(m("*", ""));
        assert!(m("", ""));
        assert!(!m("", "a"));
        assert!(m("***", "a/b"));
    }

    #[test]
    fn classes() {
        assert!(m("[abc]", "b"));
        assert!(!m("[abc]", "d"));
        assert!(m("[!abc]", "d"));
        assert!(m("a[!x]b", "a/b"));
        assert!(m("[a-c]x", "bx"));
        assert!(!m("[!a-c]x", "bx"));
        assert!(m("[ab-d]", "-"));
        assert!(!m("[ab-d]", "c"));
        assert!(m("[-a]", "-"));
        assert!(m("[\\]x]", "]"));
        assert!(m("[[]", "["));
        for bad in ["[", "[]", "[!]", "[a-z0-9]", "[a-", "[a-]", "[z-a]", "[abc"] {
            assert!(Glob::new(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn alternatives_and_escapes() {
        assert!(m("{a,b}.txt", "b.txt"));
        assert!(m("{a,{b,ab}}.txt", "ab.txt"));
        assert!(m("{,a}b", "b"));
        assert!(m("a{/,}b", "a/b"));
        assert!(m("{a,b", "b"));
        assert!(m("a}", "a}"));
        assert!(m("a,b", "a,b"));
        assert!(m("\\{c}", "{c}"));
        assert!(m("a\\", "a"));
        assert!(m("\\*", "*"));
        assert!(!m("\\*", "x"));
        assert!(m("{a*,b}", "axx"));
        assert!(!m("{a*,b}", "ax/x"));
    }

    #[test]
    fn invalid_matches_everything() {
        let g = helm_files_glob("[");
        assert!(g("anything/at/all"));
        let g = helm_files_glob("*.txt");
        assert!(!g("x.yaml"));
    }

    #[test]
    fn go_filepath_match() {
        let ok = |p: &str, s: &str| filepath_match(p, s).unwrap();
        assert!(ok("*.txt", "a.txt"));
        assert!(!ok("*.txt", "d/a.txt"));
        assert!(ok("d/*.txt", "d/a.txt"));
        assert!(ok("a?c", "abc"));
        assert!(!ok("a?c", "a/c"));
        assert!(ok("[^a]b", "cb"));
        assert!(!ok("[^a]b", "ab"));
        assert!(ok("[!a]b", "!b"));
        assert!(ok("[!a]b", "ab"));
        assert!(ok("[a-c]", "b"));
        assert!(ok("\\*", "*"));
        assert!(ok("a*b*c", "axxbyyc"));
        assert!(!ok("a*b", "a/b"));
        assert!(ok("*", ""));
        assert!(ok("", ""));
        // Go's byte-wise star: `*??` matches one three-byte character.
        assert!(ok("*??", "日"));
        assert!(ok("?", "日"));
        for bad in ["[", "[]", "a\\", "[a-", "[-a]", "[^]", "[]a]", "x[", "*["] {
            assert_eq!(filepath_match(bad, "abc"), Err(ErrBadPattern), "{bad}");
        }
        // A trailing star returns before the rest is checked; the rest is checked otherwise.
        assert_eq!(filepath_match("[", "a"), Err(ErrBadPattern));
        assert_eq!(filepath_match("a*[", "b"), Err(ErrBadPattern));
        assert_eq!(ErrBadPattern.to_string(), "syntax error in pattern");
    }
}
