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
//! Matching is exact: a pattern has to match the whole path.
//!
//! # Fidelity
//!
//! That table is the intent; what Helm does is whatever gobwas/glob v0.2.3 (the version Helm
//! links) does, and its compiled matcher tree has quirks. [`Glob`] builds the same tree (the
//! same minimisation of alternatives, gluing of neighbouring wildcards into rows, length
//! bookkeeping and binary-tree splitting) and matches the same way, on bytes, so the quirks come
//! out the same. Among them (all verified against Helm 4 and 3 by the tests in
//! `tests/it/files.rs`):
//!
//! * a fixed-length run containing a multi-byte character often fails: `u/?.txt` does not
//!   match `u/é.txt`, `{é,a}.txt` does not match `é.txt`;
//! * `?`, `[!…]` and `[…-…]` can match an empty remainder: `[a-b]{?,a/*}` matches `b`;
//! * `[!ab][!ab]` really means "two characters, without the substring `ab`";
//! * `***` and empty alternatives fail to match an empty remainder: `b***` does not match `b`,
//!   `*{` and `*{}` match nothing;
//! * an alternative list whose first alternative has a variable length and whose others have
//!   one length is taken for fixed-length (`{a*,b/}`);
//! * a pattern with an empty alternative at the end (`b{`, `a{}`) makes Go panic on some paths
//!   (`runtime error: slice bounds out of range [:2] with length 1`), which
//!   [`Glob::try_matches`] reports as [`GlobPanic`].

use std::fmt;

/// A compiled gobwas/glob pattern with `/` as the separator (see the module documentation).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Glob {
    pattern: String,
    matcher: M,
}

/// A character class as written.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Class {
    /// A character in (`not`: outside) `lo..=hi`.
    Range { lo: char, hi: char, not: bool },
    /// A character in (`not`: outside) the list.
    List { chars: Vec<char>, not: bool },
}

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
        Ok(Glob {
            pattern: pattern.to_string(),
            matcher: compile_ast(&to_ast(&nodes)),
        })
    }

    /// Helm's `.Files.Glob` compilation: the pattern, or `**` (everything) if it is invalid.
    pub fn helm_files(pattern: &str) -> Glob {
        Glob::new(pattern).unwrap_or_else(|_| Glob::new("**").expect("`**` compiles"))
    }

    /// The pattern this glob was compiled from.
    pub fn as_str(&self) -> &str {
        &self.pattern
    }

    /// Whether the pattern matches all of `path` (a Go runtime panic counts as no match; see
    /// [`Glob::try_matches`]).
    pub fn matches(&self, path: &str) -> bool {
        self.try_matches(path).unwrap_or(false)
    }

    /// Whether the pattern matches all of `path`, or the Go runtime error gobwas/glob panics
    /// with on it (a pattern with an empty alternative such as `a{` or `a{}` slices past the end
    /// of some paths; `.Files.Glob` then fails with `error calling Glob: <message>`).
    pub fn try_matches(&self, path: &str) -> Result<bool, GlobPanic> {
        self.matcher.matches(path.as_bytes())
    }
}

impl fmt::Display for Glob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.pattern)
    }
}

impl fmt::Display for GlobPanic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for GlobPanic {}

/// Helm's `.Files.Glob` matcher: the compiled pattern, or, when the pattern does not compile,
/// a matcher that accepts every path (Helm falls back to `**`). A Go runtime panic counts as no
/// match; use [`Glob::helm_files`] and [`Glob::try_matches`] to see it.
pub fn helm_files_glob(pattern: &str) -> impl Fn(&str) -> bool + use<> {
    let glob = Glob::helm_files(pattern);
    move |path: &str| glob.matches(path)
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

// ---------------------------------------------------------------------------------------------
// The compiled form gobwas/glob v0.2.3 builds, and its matching behaviour (quirks included).
//
// Everything works on bytes, like Go strings: the compiled tree slices its input at byte
// offsets computed from character counts, which may fall inside a multi-byte character.

/// A syntax tree node in gobwas's shape.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Ast {
    Pattern(Vec<Ast>),
    AnyOf(Vec<Ast>),
    Text(String),
    Any,
    Super,
    Single,
    List(Vec<char>, bool),
    Range(char, char, bool),
    Nothing,
}

fn to_ast(nodes: &[Node]) -> Ast {
    Ast::Pattern(nodes.iter().map(node_ast).collect())
}

fn node_ast(node: &Node) -> Ast {
    match node {
        Node::Text(t) => Ast::Text(t.clone()),
        Node::Any => Ast::Any,
        Node::Super => Ast::Super,
        Node::Single => Ast::Single,
        Node::Class(Class::List { chars, not }) => Ast::List(chars.clone(), *not),
        Node::Class(Class::Range { lo, hi, not }) => Ast::Range(*lo, *hi, *not),
        Node::Alternatives(alts) => Ast::AnyOf(alts.iter().map(|a| to_ast(a)).collect()),
    }
}

/// A matcher of the compiled tree. `Len` is a length in characters, `None` if variable.
#[derive(Clone, Debug, PartialEq, Eq)]
enum M {
    Text(Vec<u8>, usize),
    Any,
    Super,
    Single,
    List(Vec<char>, bool),
    Range(char, char, bool),
    Nothing,
    AnyOf(Vec<M>),
    EveryOf(Vec<M>),
    Min(usize),
    Max(usize),
    /// Contains the needle (`true`: does not contain it).
    Contains(Vec<u8>, bool),
    Prefix(Vec<u8>),
    Suffix(Vec<u8>),
    PrefixSuffix(Vec<u8>, Vec<u8>),
    PrefixAny(Vec<u8>),
    SuffixAny(Vec<u8>),
    Row(Vec<M>, usize),
    BTree(Box<BTree>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct BTree {
    value: M,
    left: Option<M>,
    right: Option<M>,
    value_len: Option<usize>,
    left_len: Option<usize>,
    right_len: Option<usize>,
    len: Option<usize>,
}

/// A Go runtime panic inside the matcher (gobwas slices past the end of its input).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GlobPanic(pub String);

type MResult<T> = Result<T, GlobPanic>;

/// Go's `for i, r := range s`: (byte index, char, width).
fn runes(s: &[u8]) -> impl Iterator<Item = (usize, char, usize)> + '_ {
    let mut i = 0;
    std::iter::from_fn(move || {
        if i >= s.len() {
            return None;
        }
        let (c, w) = decode(&s[i..]);
        let at = i;
        i += w;
        Some((at, c, w))
    })
}

/// Go's `utf8.RuneLen`.
fn rune_len(c: char) -> usize {
    c.len_utf8()
}

fn rune_count(s: &[u8]) -> usize {
    runes(s).count()
}

/// Go's `utf8.DecodeRuneInString` (an empty input gives U+FFFD with width 0).
fn decode_go(s: &[u8]) -> (char, usize) {
    if s.is_empty() {
        ('\u{fffd}', 0)
    } else {
        decode(s)
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(hay.len());
    }
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// The byte index of the first separator (decoded as characters, like Go).
fn index_sep(s: &[u8]) -> Option<usize> {
    runes(s).find(|&(_, c, _)| c == '/').map(|(i, _, _)| i)
}

fn last_index_sep(s: &[u8]) -> Option<usize> {
    runes(s)
        .filter(|&(_, c, _)| c == '/')
        .last()
        .map(|(i, _, _)| i)
}

fn merge(target: &[usize], sub: &[usize]) -> Vec<usize> {
    let mut out = Vec::with_capacity(target.len() + sub.len());
    let (mut x, mut y) = (0, 0);
    while x < target.len() || y < sub.len() {
        if x >= target.len() {
            out.extend_from_slice(&sub[y..]);
            break;
        }
        if y >= sub.len() {
            out.extend_from_slice(&target[x..]);
            break;
        }
        match target[x].cmp(&sub[y]) {
            std::cmp::Ordering::Equal => {
                out.push(target[x]);
                x += 1;
                y += 1;
            }
            std::cmp::Ordering::Less => {
                out.push(target[x]);
                x += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(sub[y]);
                y += 1;
            }
        }
    }
    out
}

impl M {
    fn len(&self) -> Option<usize> {
        match self {
            M::Text(_, n) => Some(*n),
            M::Single | M::List(..) | M::Range(..) => Some(1),
            M::Nothing => Some(0),
            M::Row(_, n) => Some(*n),
            M::BTree(t) => t.len,
            M::AnyOf(ms) => {
                // v0.2.3 takes a variable length before a fixed one for "unset".
                let mut l: Option<usize> = None;
                for m in ms {
                    let ml = m.len();
                    match (l, ml) {
                        (None, _) => l = ml,
                        (_, None) => return None,
                        (Some(a), Some(b)) if a != b => return None,
                        _ => {}
                    }
                }
                l
            }
            M::EveryOf(ms) => {
                if ms.is_empty() {
                    Some(0)
                } else {
                    None
                }
            }
            _ => None,
        }
    }

    fn matches(&self, s: &[u8]) -> MResult<bool> {
        Ok(match self {
            M::Text(t, _) => s == t.as_slice(),
            M::Any => index_sep(s).is_none(),
            M::Super => true,
            M::Single => {
                let (c, w) = decode_go(s);
                s.len() <= w && c != '/'
            }
            M::List(chars, not) => {
                let (c, w) = decode_go(s);
                s.len() <= w && chars.contains(&c) != *not
            }
            M::Range(lo, hi, not) => {
                let (c, w) = decode_go(s);
                s.len() <= w && (*lo <= c && c <= *hi) != *not
            }
            M::Nothing => s.is_empty(),
            M::AnyOf(ms) => {
                for m in ms {
                    if m.matches(s)? {
                        return Ok(true);
                    }
                }
                false
            }
            M::EveryOf(ms) => {
                for m in ms {
                    if !m.matches(s)? {
                        return Ok(false);
                    }
                }
                true
            }
            M::Min(n) => runes(s).enumerate().any(|(k, _)| k + 1 >= *n),
            M::Max(n) => rune_count(s) <= *n,
            M::Contains(needle, not) => find(s, needle).is_some() != *not,
            M::Prefix(p) => s.starts_with(p),
            M::Suffix(x) => s.ends_with(x),
            M::PrefixSuffix(p, x) => s.starts_with(p) && s.ends_with(x),
            M::PrefixAny(p) => s.starts_with(p) && index_sep(&s[p.len()..]).is_none(),
            M::SuffixAny(x) => s.ends_with(x) && index_sep(&s[..s.len() - x.len()]).is_none(),
            M::Row(ms, n) => rune_count(s) == *n && row_match_all(ms, s)?,
            M::BTree(t) => t.matches(s)?,
        })
    }

    /// gobwas's `Index`: the first position where the matcher can start, and the byte lengths
    /// of the matches starting there.
    fn index(&self, s: &[u8]) -> MResult<Option<(usize, Vec<usize>)>> {
        Ok(match self {
            M::Text(t, _) => find(s, t).map(|i| (i, vec![t.len()])),
            M::Any => {
                let part = match index_sep(s) {
                    Some(0) => return Ok(Some((0, vec![0]))),
                    Some(i) => &s[..i],
                    None => s,
                };
                let mut seg: Vec<usize> = runes(part).map(|(i, _, _)| i).collect();
                seg.push(part.len());
                Some((0, seg))
            }
            M::Super => {
                let mut seg: Vec<usize> = runes(s).map(|(i, _, _)| i).collect();
                seg.push(s.len());
                Some((0, seg))
            }
            M::Single => runes(s)
                .find(|&(_, c, _)| c != '/')
                .map(|(i, c, _)| (i, vec![rune_len(c)])),
            M::List(chars, not) => runes(s)
                .find(|&(_, c, _)| chars.contains(&c) != *not)
                .map(|(i, c, _)| (i, vec![rune_len(c)])),
            M::Range(lo, hi, not) => runes(s)
                .find(|&(_, c, _)| (*lo <= c && c <= *hi) != *not)
                .map(|(i, c, _)| (i, vec![rune_len(c)])),
            M::Nothing => Some((0, vec![0])),
            M::AnyOf(ms) => {
                let mut best: Option<(usize, Vec<usize>)> = None;
                for m in ms {
                    let Some((idx, seg)) = m.index(s)? else {
                        continue;
                    };
                    best = match best {
                        None => Some((idx, seg)),
                        Some((b, _)) if idx < b => Some((idx, seg)),
                        Some((b, bs)) if idx == b => Some((b, merge(&bs, &seg))),
                        other => other,
                    };
                }
                best
            }
            M::EveryOf(ms) => {
                let mut index = 0;
                let mut offset = 0;
                let mut current: Vec<usize> = Vec::new();
                for (k, m) in ms.iter().enumerate() {
                    let Some((idx, seg)) = m.index(&s[index..])? else {
                        return Ok(None);
                    };
                    if k == 0 {
                        current = seg;
                    } else {
                        let delta = index as isize - (idx + offset) as isize;
                        let mut next = Vec::new();
                        for &ex in &current {
                            for &n in &seg {
                                if ex as isize + delta == n as isize {
                                    next.push(n);
                                }
                            }
                        }
                        if next.is_empty() {
                            return Ok(None);
                        }
                        current = next;
                    }
                    index = idx + offset;
                    offset += idx;
                }
                Some((index, current))
            }
            M::Min(n) => {
                if s.len() < *n {
                    return Ok(None);
                }
                let seg: Vec<usize> = runes(s)
                    .enumerate()
                    .filter(|(k, _)| k + 1 >= *n)
                    .map(|(_, (i, c, _))| i + rune_len(c))
                    .collect();
                if seg.is_empty() { None } else { Some((0, seg)) }
            }
            M::Max(n) => {
                let mut seg = vec![0];
                seg.extend(runes(s).take(*n).map(|(i, c, _)| i + rune_len(c)));
                Some((0, seg))
            }
            M::Contains(needle, not) => {
                let idx = find(s, needle);
                let mut offset = 0;
                let mut part = s;
                if !*not {
                    let Some(i) = idx else { return Ok(None) };
                    offset = i + needle.len();
                    if s.len() <= offset {
                        return Ok(Some((0, vec![offset])));
                    }
                    part = &s[offset..];
                } else if let Some(i) = idx {
                    part = &s[..i];
                }
                let mut seg: Vec<usize> = runes(part).map(|(i, _, _)| offset + i).collect();
                seg.push(offset + part.len());
                Some((0, seg))
            }
            M::Prefix(p) => find(s, p).map(|idx| {
                let n = p.len();
                let sub = &s[(idx + n).min(s.len())..];
                let mut seg = vec![n];
                seg.extend(runes(sub).map(|(i, c, _)| n + i + rune_len(c)));
                (idx, seg)
            }),
            M::Suffix(x) => find(s, x).map(|idx| (0, vec![idx + x.len()])),
            M::PrefixSuffix(p, x) => {
                let Some(pi) = find(s, p) else {
                    return Ok(None);
                };
                if x.is_empty() {
                    return Ok(Some((pi, vec![s.len() - pi])));
                }
                if s.len() <= pi {
                    return Ok(None);
                }
                let mut seg = Vec::new();
                let mut sub = &s[pi..];
                while let Some(si) = rfind(sub, x) {
                    seg.push(si + x.len());
                    sub = &sub[..si];
                }
                if seg.is_empty() {
                    return Ok(None);
                }
                seg.reverse();
                Some((pi, seg))
            }
            M::PrefixAny(p) => find(s, p).map(|idx| {
                let n = p.len();
                let mut sub = &s[idx + n..];
                if let Some(i) = index_sep(sub) {
                    sub = &sub[..i];
                }
                let mut seg = vec![n];
                seg.extend(runes(sub).map(|(i, c, _)| n + i + rune_len(c)));
                (idx, seg)
            }),
            M::SuffixAny(x) => find(s, x).map(|idx| {
                let i = last_index_sep(&s[..idx]).map_or(0, |i| i + 1);
                (i, vec![idx + x.len() - i])
            }),
            M::Row(ms, n) => {
                for (i, _, _) in runes(s) {
                    if s.len() - i < *n {
                        break;
                    }
                    if row_match_all(ms, &s[i..])? {
                        return Ok(Some((i, vec![*n])));
                    }
                }
                None
            }
            M::BTree(_) => None,
        })
    }
}

/// Row's sub-matcher walk: each part gets as many characters as its length, but the slice
/// ends one byte into the part's last character (v0.2.3), and a zero-length part at the end
/// of the input slices past it (a Go panic).
fn row_match_all(ms: &[M], s: &[u8]) -> MResult<bool> {
    let mut idx = 0;
    for m in ms {
        let length = m.len().unwrap_or(0);
        let mut count = 0;
        let mut next = 0;
        for (i, _, _) in runes(&s[idx..]) {
            next = i;
            count += 1;
            if count == length {
                break;
            }
        }
        if count < length {
            return Ok(false);
        }
        let end = idx + next + 1;
        if end > s.len() {
            return Err(GlobPanic(format!(
                "runtime error: slice bounds out of range [:{end}] with length {}",
                s.len()
            )));
        }
        if !m.matches(&s[idx..end])? {
            return Ok(false);
        }
        idx = end;
    }
    Ok(true)
}

impl BTree {
    fn new(value: M, left: Option<M>, right: Option<M>) -> BTree {
        let value_len = value.len();
        let left_len = left.as_ref().map_or(Some(0), M::len);
        let right_len = right.as_ref().map_or(Some(0), M::len);
        let len = match (left_len, value_len, right_len) {
            (Some(l), Some(v), Some(r)) => Some(l + v + r),
            _ => None,
        };
        BTree {
            value,
            left,
            right,
            value_len,
            left_len,
            right_len,
            len,
        }
    }

    fn matches(&self, s: &[u8]) -> MResult<bool> {
        let input_len = s.len();
        if let Some(n) = self.len
            && n > input_len
        {
            return Ok(false);
        }
        let mut offset = self.left_len.unwrap_or(0) as isize;
        let limit = match self.right_len {
            Some(r) => input_len as isize - r as isize,
            None => input_len as isize,
        };
        while offset < limit {
            let (off, lim) = (offset as usize, limit as usize);
            let Some((index, segments)) = self.value.index(&s[off..lim])? else {
                return Ok(false);
            };
            let l = &s[..off + index];
            let left = match &self.left {
                Some(m) => m.matches(l)?,
                None => l.is_empty(),
            };
            if left {
                for &length in segments.iter().rev() {
                    let r: &[u8] = if input_len <= off + index + length {
                        b""
                    } else {
                        &s[off + index + length..]
                    };
                    let right = match &self.right {
                        Some(m) => m.matches(r)?,
                        None => r.is_empty(),
                    };
                    if right {
                        return Ok(true);
                    }
                }
            }
            let (_, step) = decode_go(&s[off + index..]);
            offset += (index + step) as isize;
            if step == 0 && index == 0 {
                break;
            }
        }
        Ok(false)
    }
}

/// The separators a matcher contributes when gluing (`None`: cannot be glued).
enum Glue {
    Super,
    Any,
    Single,
    NotList(Vec<char>),
}

fn glue_kind(m: &M) -> Option<Glue> {
    match m {
        M::Super => Some(Glue::Super),
        M::Any => Some(Glue::Any),
        M::Single => Some(Glue::Single),
        M::List(chars, true) => Some(Glue::NotList(chars.clone())),
        _ => None,
    }
}

fn glue_as_every(ms: &[M]) -> Option<M> {
    if ms.len() <= 1 {
        return None;
    }
    let (mut has_any, mut has_super, mut has_single) = (false, false, false);
    let mut min = 0;
    let mut separator: Option<Vec<char>> = None;
    for m in ms {
        let sep = match glue_kind(m)? {
            Glue::Super => {
                has_super = true;
                Vec::new()
            }
            Glue::Any => {
                has_any = true;
                vec!['/']
            }
            Glue::Single => {
                has_single = true;
                min += 1;
                vec!['/']
            }
            Glue::NotList(chars) => {
                has_single = true;
                min += 1;
                chars
            }
        };
        match &separator {
            None => separator = Some(sep),
            Some(s) if *s == sep => {}
            Some(_) => return None,
        }
    }
    let separator = separator.unwrap_or_default();
    if has_super && !has_any && !has_single {
        return Some(M::Super);
    }
    if has_any && !has_super && !has_single {
        // The separators are `/` here.
        return Some(M::Any);
    }
    if (has_any || has_super) && min > 0 && separator.is_empty() {
        return Some(M::Min(min));
    }
    let mut every = Vec::new();
    if min > 0 {
        every.push(M::Min(min));
        if !has_any && !has_super {
            every.push(M::Max(min));
        }
    }
    if !separator.is_empty() {
        let needle: String = separator.iter().collect();
        every.push(M::Contains(needle.into_bytes(), true));
    }
    Some(M::EveryOf(every))
}

fn glue_as_row(ms: &[M]) -> Option<M> {
    if ms.len() <= 1 {
        return None;
    }
    let mut total = 0;
    for m in ms {
        total += m.len()?;
    }
    Some(M::Row(ms.to_vec(), total))
}

fn glue(ms: &[M]) -> Option<M> {
    glue_as_every(ms).or_else(|| glue_as_row(ms))
}

fn minimize_matchers(ms: Vec<M>) -> Vec<M> {
    let mut done: Option<M> = None;
    let (mut left, mut right, mut count) = (0, 0, 0);
    for l in 0..ms.len() {
        for r in (l + 1..=ms.len()).rev() {
            if let Some(glued) = glue(&ms[l..r]) {
                let swap = match &done {
                    None => true,
                    Some(d) => {
                        let bigger =
                            matches!((d.len(), glued.len()), (Some(cl), Some(gl)) if gl > cl);
                        bigger || count < r - l
                    }
                };
                if swap {
                    done = Some(glued);
                    left = l;
                    right = r;
                    count = r - l;
                }
            }
        }
    }
    let Some(done) = done else { return ms };
    let mut next: Vec<M> = ms[..left].to_vec();
    next.push(done);
    next.extend_from_slice(&ms[right..]);
    if next.len() == ms.len() {
        return next;
    }
    minimize_matchers(next)
}

fn compile_matchers(ms: &[M]) -> M {
    if ms.len() == 1 {
        return ms[0].clone();
    }
    if let Some(m) = glue(ms) {
        return m;
    }
    let mut idx = None;
    let mut max_len = 0;
    for (i, m) in ms.iter().enumerate() {
        if let Some(l) = m.len()
            && (idx.is_none() || l >= max_len)
        {
            max_len = l;
            idx = Some(i);
        }
    }
    let Some(idx) = idx else {
        let r = compile_matchers(&ms[1..]);
        return M::BTree(Box::new(BTree::new(ms[0].clone(), None, Some(r))));
    };
    let left = &ms[..idx];
    let right = &ms[idx + 1..];
    let l = (!left.is_empty()).then(|| compile_matchers(left));
    let r = (!right.is_empty()).then(|| compile_matchers(right));
    M::BTree(Box::new(BTree::new(ms[idx].clone(), l, r)))
}

fn optimize(m: M) -> M {
    match m {
        M::AnyOf(mut ms) if ms.len() == 1 => ms.pop().expect("one matcher"),
        M::List(chars, false) if chars.len() == 1 => {
            let t = chars[0].to_string();
            M::Text(t.into_bytes(), 1)
        }
        M::BTree(t) => {
            let BTree {
                value, left, right, ..
            } = *t;
            let left = left.map(optimize);
            let right = right.map(optimize);
            let M::Text(text, _) = &value else {
                return M::BTree(Box::new(BTree::new(value, left, right)));
            };
            let text = text.clone();
            match (&left, &right) {
                (None, None) => value,
                (Some(M::Super), Some(M::Super)) => M::Contains(text, false),
                (Some(M::Super), None) => M::Suffix(text),
                (None, Some(M::Super)) => M::Prefix(text),
                (None, Some(M::Suffix(x))) => M::PrefixSuffix(text, x.clone()),
                (Some(M::Prefix(p)), None) => M::PrefixSuffix(p.clone(), text),
                (Some(M::Any), None) => M::SuffixAny(text),
                (None, Some(M::Any)) => M::PrefixAny(text),
                _ => M::BTree(Box::new(BTree::new(value, left, right))),
            }
        }
        other => other,
    }
}

fn children(a: &Ast) -> &[Ast] {
    match a {
        Ast::Pattern(c) | Ast::AnyOf(c) => c,
        _ => &[],
    }
}

fn minimize_any_of(alts: &[Ast]) -> Option<Ast> {
    if !alts.iter().all(|a| matches!(a, Ast::Pattern(_))) || alts.len() <= 1 {
        return None;
    }
    // The alternative with the fewest children (the first of them).
    let mut idx = 0;
    for (i, a) in alts.iter().enumerate() {
        if children(a).len() < children(&alts[idx]).len() {
            idx = i;
        }
    }
    let tree = children(&alts[idx]);
    let tree_len = tree.len();
    let mut common_left: Vec<Ast> = Vec::new();
    let mut common_right: Vec<Option<Ast>> = vec![None; tree_len];
    let mut last_right = tree_len;
    let (mut break_left, mut break_right) = (false, false);
    let mut total = 0;
    let (mut i, mut j) = (0usize, tree_len as isize - 1);
    while total < tree_len && j >= 0 && !(break_left && break_right) {
        let ju = j as usize;
        let tree_left = &tree[i];
        let tree_right = &tree[ju];
        for (k, alt) in alts.iter().enumerate() {
            if break_left && break_right {
                break;
            }
            if k == idx {
                continue;
            }
            let ch = children(alt);
            let rest_left = &ch[i];
            let rest_right = &ch[ju + ch.len() - tree_len];
            break_left = break_left || tree_left != rest_left;
            break_right = break_right || (!break_left && ju <= i);
            break_right = break_right || tree_right != rest_right;
        }
        if !break_left {
            total += 1;
            common_left.push(tree_left.clone());
        }
        if !break_right {
            total += 1;
            last_right = ju;
            common_right[ju] = Some(tree_right.clone());
        }
        i += 1;
        j -= 1;
    }
    let common_right: Vec<Ast> = common_right[last_right..]
        .iter()
        .map(|a| a.clone().expect("filled"))
        .collect();
    let (cl, cr) = (common_left.len(), common_right.len());
    if cl == 0 && cr == 0 {
        return None;
    }
    let mut result = Vec::new();
    if cl > 0 {
        result.push(Ast::Pattern(common_left));
    }
    let mut any_of: Vec<Ast> = Vec::new();
    for alt in alts {
        let ch = children(alt);
        let reuse = &ch[cl..ch.len() - cr];
        let node = if reuse.is_empty() {
            Ast::Nothing
        } else {
            Ast::Pattern(reuse.to_vec())
        };
        if !any_of.contains(&node) {
            any_of.push(node);
        }
    }
    if any_of.len() == 1 && any_of[0] != Ast::Nothing {
        result.push(any_of.pop().expect("one"));
    } else if any_of.len() > 1 {
        result.push(Ast::AnyOf(any_of));
    }
    if cr > 0 {
        result.push(Ast::Pattern(common_right));
    }
    Some(Ast::Pattern(result))
}

fn compile_ast(a: &Ast) -> M {
    let m = match a {
        Ast::AnyOf(alts) => {
            if let Some(n) = minimize_any_of(alts) {
                return compile_ast(&n);
            }
            return M::AnyOf(alts.iter().map(|c| optimize(compile_ast(c))).collect());
        }
        Ast::Pattern(ch) => {
            if ch.is_empty() {
                return M::Nothing;
            }
            let ms: Vec<M> = ch.iter().map(|c| optimize(compile_ast(c))).collect();
            compile_matchers(&minimize_matchers(ms))
        }
        Ast::Any => M::Any,
        Ast::Super => M::Super,
        Ast::Single => M::Single,
        Ast::Nothing => M::Nothing,
        Ast::List(chars, not) => M::List(chars.clone(), *not),
        Ast::Range(lo, hi, not) => M::Range(*lo, *hi, *not),
        Ast::Text(t) => M::Text(t.as_bytes().to_vec(), t.chars().count()),
    };
    optimize(m)
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
/// character), and `\` escapes the next character. The pattern must match all of `name`.
///
/// A malformed piece (an unterminated or empty class, a trailing `\`, a `-` or `]` where a class
/// character is expected) fails with [`ErrBadPattern`] only if matching gets that far, as in Go
/// 1.25 and older (the Go versions of Helm 4.1.4 and 3.17.1): the pattern is cut into pieces at
/// each `*` outside a class, and the pieces are tried in order; a piece that is tried is checked
/// whole even after a mismatch, but once a piece fails to match, `Ok(false)` is returned without
/// looking at the later ones. So `x[` is an error for every name, while `x*[` is one only for
/// names starting with `x` (`filepath_match("x*[", "abc") == Ok(false)`). A trailing `*` matches
/// the rest of `name` if that contains no `/`. Like Go, this works on bytes: `*` may stop inside
/// a multi-byte character, after which `?` and classes see the remaining bytes as one U+FFFD
/// each.
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
        // No match; like Go 1.25 and older (Helm 4.1.4 and 3.17.1), the rest of the pattern
        // is not checked.
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
    fn gobwas_quirks() {
        // Verified against Helm (see tests/it/files.rs).
        assert!(m("[!ab][!ab]", "ba"));
        assert!(m("[!ab][!ab]", "aa"));
        assert!(!m("[!ab][!ab]", "ab"));
        assert!(m("[a-b]{?,a/*}", "b"));
        assert!(!m("b***", "b"));
        assert!(m("b***", "bb"));
        assert!(!m("*{", "x"));
        assert!(m("a**a", "a"));
        assert!(!m("u/?.txt", "u/é.txt"));
        assert!(m("u/a?", "u/aé"));
        let g = Glob::new("b{").unwrap();
        assert_eq!(
            g.try_matches("b").unwrap_err().to_string(),
            "runtime error: slice bounds out of range [:2] with length 1"
        );
        assert!(!g.matches("b"));
        assert_eq!(g.try_matches("bx"), Ok(false));
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
        for bad in ["[", "[]", "abc\\", "[a-", "[-a]", "[^]", "[]a]", "x[", "*["] {
            assert_eq!(filepath_match(bad, "abc"), Err(ErrBadPattern), "{bad}");
        }
        // Later pieces are only checked if matching reaches them (verified with Helm's
        // .helmignore validation against "abc").
        assert_eq!(filepath_match("[", "a"), Err(ErrBadPattern));
        assert_eq!(filepath_match("x[", "abc"), Err(ErrBadPattern));
        assert_eq!(filepath_match("a*[", "abc"), Err(ErrBadPattern));
        assert_eq!(filepath_match("x*[", "abc"), Ok(false));
        assert_eq!(filepath_match("b*\\", "abc"), Ok(false));
        assert_eq!(filepath_match("txt?*\\", "abc"), Ok(false));
        assert_eq!(ErrBadPattern.to_string(), "syntax error in pattern");
    }
}
