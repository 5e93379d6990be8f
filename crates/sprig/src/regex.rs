//! Sprig functions: regex (`regexMatch`, `regexFind`, `regexFindAll`, `regexReplaceAll`,
//! `regexReplaceAllLiteral`, `regexSplit`, `regexQuoteMeta` and the `must…` variants).
//!
//! Patterns are Go RE2 syntax. [`translate`] checks a pattern the way Go's parser does (reporting
//! Go's error texts for the common mistakes) and rewrites it for the `regex` crate: Go's Perl
//! classes (`\d \w \s` and negations, inside and outside brackets) and word boundaries are
//! ASCII-only, `\Q…\E` quotes literally, brackets escape what Rust treats as set operators. Match
//! iteration, splitting, replacement and `$` expansion follow Go's `regexp` package rules
//! (empty matches right after a match are skipped; `$1x` names group `1x`).

use gotmpl::{ElemType, Func, FuncError, FuncMap, List, Param, Signature, Value};
use regex::Regex;

/// Adds this family's functions to `m`.
pub(crate) fn register(m: &mut FuncMap) {
    use Param::{Int, String as S};
    m.insert(
        "regexMatch",
        Func::infallible(Signature::fixed(&[S, S]), |_, a| {
            Value::Bool(compile(s(&a, 0)).is_ok_and(|re| re.is_match(s(&a, 1))))
        }),
    );
    m.insert(
        "mustRegexMatch",
        Func::new(Signature::fixed(&[S, S]), |_, a| {
            let re = compile(s(&a, 0)).map_err(FuncError::new)?;
            Ok(Value::Bool(re.is_match(s(&a, 1))))
        }),
    );
    for (name, must) in [("regexFindAll", false), ("mustRegexFindAll", true)] {
        m.insert(
            name,
            Func::new(Signature::fixed(&[S, S, Int]), move |_, a| {
                let re = get(s(&a, 0), must)?;
                let text = s(&a, 1);
                let found = find_all(&re, text, n(&a, 2))
                    .into_iter()
                    .map(|(b, e)| Value::from(&text[b..e]))
                    .collect();
                Ok(Value::List(List::typed(ElemType::String, found)))
            }),
        );
    }
    for (name, must) in [("regexFind", false), ("mustRegexFind", true)] {
        m.insert(
            name,
            Func::new(Signature::fixed(&[S, S]), move |_, a| {
                let re = get(s(&a, 0), must)?;
                Ok(Value::from(re.find(s(&a, 1)).map_or("", |m| m.as_str())))
            }),
        );
    }
    for (name, must, literal) in [
        ("regexReplaceAll", false, false),
        ("mustRegexReplaceAll", true, false),
        ("regexReplaceAllLiteral", false, true),
        ("mustRegexReplaceAllLiteral", true, true),
    ] {
        m.insert(
            name,
            Func::new(Signature::fixed(&[S, S, S]), move |_, a| {
                let re = get(s(&a, 0), must)?;
                Ok(Value::from(replace_all(&re, s(&a, 1), s(&a, 2), literal)))
            }),
        );
    }
    for (name, must) in [("regexSplit", false), ("mustRegexSplit", true)] {
        m.insert(
            name,
            Func::new(Signature::fixed(&[S, S, Int]), move |_, a| {
                let pattern = s(&a, 0);
                let re = get(pattern, must)?;
                let parts = split(&re, pattern, s(&a, 1), n(&a, 2))
                    .into_iter()
                    .map(Value::from)
                    .collect();
                Ok(Value::List(List::typed(ElemType::String, parts)))
            }),
        );
    }
    m.insert(
        "regexQuoteMeta",
        Func::infallible(Signature::fixed(&[S]), |_, a| {
            Value::from(quote_meta(s(&a, 0)))
        }),
    );
}

fn s(args: &[Value], i: usize) -> &str {
    args.get(i).and_then(Value::as_str).unwrap_or("")
}

fn n(args: &[Value], i: usize) -> i64 {
    match args.get(i) {
        Some(Value::Int(n) | Value::Int64(n)) => *n,
        _ => 0,
    }
}

/// Compiles for a `must…` function (Go's error) or a plain one (Go's `MustCompile` panic, which
/// the template engine reports as the call's error).
fn get(pattern: &str, must: bool) -> Result<Regex, FuncError> {
    compile(pattern).map_err(|e| {
        if must {
            FuncError::new(e)
        } else {
            FuncError::new(format!("regexp: Compile({}): {e}", go_quote(pattern)))
        }
    })
}

/// Go's `regexp.quote`: backquoted when possible.
fn go_quote(s: &str) -> String {
    let can_backquote = s
        .chars()
        .all(|c| c != '`' && c != '\u{FEFF}' && (c == '\t' || !c.is_control()));
    if can_backquote {
        format!("`{s}`")
    } else {
        gotmpl::gofmt::quote(s)
    }
}

/// Compiles a Go pattern; the error is Go's text (`error parsing regexp: …`).
pub(crate) fn compile(pattern: &str) -> Result<Regex, String> {
    let rust = translate(pattern)
        .map_err(|(code, text)| format!("error parsing regexp: {code}: `{text}`"))?;
    Regex::new(&rust).map_err(|e| {
        let msg = e.to_string();
        if msg.contains("Unicode property") || msg.contains("unrecognized") {
            format!("error parsing regexp: invalid character class range: `{pattern}`")
        } else {
            format!(
                "error parsing regexp: {}",
                msg.lines().last().unwrap_or(&msg).trim()
            )
        }
    })
}

type ParseError = (&'static str, String);

const SPACE: &str = r"\t\n\x0C\r ";
const WORD: &str = "0-9A-Za-z_";

fn perl_class(c: char, in_class: bool) -> Option<String> {
    let (set, neg) = match c {
        'd' => ("0-9", false),
        'D' => ("0-9", true),
        'w' => (WORD, false),
        'W' => (WORD, true),
        's' => (SPACE, false),
        'S' => (SPACE, true),
        _ => return None,
    };
    Some(match (in_class, neg) {
        (true, false) => set.to_string(),
        _ => format!("[{}{set}]", if neg { "^" } else { "" }),
    })
}

fn push_escaped(out: &mut String, c: char) {
    if c.is_ascii_punctuation() || c == ' ' {
        out.push('\\');
        out.push(c);
    } else {
        out.push(c);
    }
}

const ASCII_CLASSES: [&str; 14] = [
    "alnum", "alpha", "ascii", "blank", "cntrl", "digit", "graph", "lower", "print", "punct",
    "space", "upper", "word", "xdigit",
];

/// Checks a Go pattern and rewrites it for the `regex` crate. The error is Go's error code and
/// the offending text.
pub(crate) fn translate(p: &str) -> Result<String, ParseError> {
    let chars: Vec<(usize, char)> = p.char_indices().collect();
    let at = |i: usize| chars.get(i).map(|x| x.1);
    let off = |i: usize| chars.get(i).map_or(p.len(), |x| x.0);
    let mut out = String::with_capacity(p.len() + 8);
    // Output offsets of the open groups.
    let mut groups: Vec<usize> = Vec::new();
    // Whether the previous item can take a repetition operator, and where it starts in `out`.
    let mut operand = false;
    let mut item_start = 0usize;
    // Byte offset where the previous token, if it was a repetition operator, started.
    let mut last_repeat: Option<usize> = None;
    // Whether the previous item already ends with a repetition (Go lets a flag group such as
    // `(?m)` separate two repetitions: `a+(?m)+` repeats `a+`).
    let mut repeated = false;
    // Flag-only groups (`(?m)`) not yet written: Go applies a repetition that follows one to the
    // item before it, so they are written just before the next item.
    let mut pending_flags = String::new();
    // Go's current ungreedy (`U`) flag, the values saved by open groups, and the value Rust sees
    // where the pending flags will be written.
    let mut cur_u = false;
    let mut u_stack: Vec<bool> = Vec::new();
    let mut rust_u = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].1;
        let start = off(i);
        // Repetition operators.
        let rep_end = match c {
            '*' | '+' | '?' => Some(i + 1),
            '{' => parse_repeat(&chars, i)?,
            _ => None,
        };
        if let Some(base_end) = rep_end {
            let lazy = at(base_end) == Some('?');
            let end = base_end + usize::from(lazy);
            let text = &p[start..off(end)];
            if let Some(ls) = last_repeat {
                return Err((
                    "invalid nested repetition operator",
                    p[ls..off(end)].to_string(),
                ));
            }
            if !operand {
                return Err(("missing argument to repetition operator", text.to_string()));
            }
            if repeated {
                out.insert_str(item_start, "(?:");
                out.push(')');
            }
            // Go reads the repetition with the flags in force now; Rust with those before the
            // pending flags.
            let invert = !pending_flags.is_empty() && rust_u != cur_u;
            out.push_str(&p[start..off(base_end)]);
            if lazy != invert {
                out.push('?');
            }
            last_repeat = Some(start);
            repeated = true;
            i = end;
            continue;
        }
        last_repeat = None;
        if c == '(' && at(i + 1) == Some('?') {
            let (rust, next, is_group) = parse_group_flags(p, &chars, i)?;
            i = next;
            if is_group {
                out.push_str(&pending_flags);
                pending_flags.clear();
                groups.push(out.len());
                u_stack.push(cur_u);
                cur_u = apply_u(&rust, cur_u);
                rust_u = cur_u;
                out.push_str(&rust);
                operand = false;
            } else {
                if pending_flags.is_empty() {
                    rust_u = cur_u;
                }
                cur_u = apply_u(&rust, cur_u);
                pending_flags.push_str(&rust);
            }
            continue;
        }
        if c != ')' {
            out.push_str(&pending_flags);
            pending_flags.clear();
            rust_u = cur_u;
        }
        repeated = false;
        item_start = out.len();
        match c {
            '(' => {
                groups.push(out.len());
                u_stack.push(cur_u);
                out.push('(');
                operand = false;
            }
            ')' => {
                let Some(open) = groups.pop() else {
                    return Err(("unexpected )", p.to_string()));
                };
                out.push_str(&pending_flags);
                pending_flags.clear();
                cur_u = u_stack.pop().unwrap_or(false);
                rust_u = cur_u;
                out.push(')');
                item_start = open;
                operand = true;
            }
            '|' => {
                out.push('|');
                operand = false;
            }
            '[' => {
                i = parse_class(p, &chars, i, &mut out)?;
                operand = true;
                continue;
            }
            '\\' => {
                i = parse_escape(p, &chars, i, &mut out, false)?;
                operand = true;
                continue;
            }
            '.' | '^' | '$' => {
                out.push(c);
                operand = true;
            }
            _ => {
                push_escaped(&mut out, c);
                operand = true;
            }
        }
        i += 1;
    }
    if !groups.is_empty() {
        return Err(("missing closing )", p.to_string()));
    }
    out.push_str(&pending_flags);
    Ok(out)
}

/// The `U` flag after a Rust flag group text (`(?i-U)`, `(?U:`).
fn apply_u(group: &str, mut u: bool) -> bool {
    let mut on = true;
    for c in group.trim_start_matches("(?").chars() {
        match c {
            '-' => on = false,
            'U' => u = on,
            _ => {}
        }
    }
    u
}

/// `{n}`, `{n,}`, `{n,m}` at `i`: the index after it, or `None` when `{` is a literal.
fn parse_repeat(chars: &[(usize, char)], i: usize) -> Result<Option<usize>, ParseError> {
    let mut j = i + 1;
    let num = |j: &mut usize| -> Option<i64> {
        let s = *j;
        while chars.get(*j).is_some_and(|c| c.1.is_ascii_digit()) {
            *j += 1;
        }
        if *j == s {
            return None;
        }
        let digits: String = chars[s..*j].iter().map(|c| c.1).collect();
        Some(digits.parse::<i64>().unwrap_or(i64::MAX).min(100_000))
    };
    let Some(min) = num(&mut j) else {
        return Ok(None);
    };
    let mut max = min;
    if chars.get(j).map(|c| c.1) == Some(',') {
        j += 1;
        if chars.get(j).map(|c| c.1) == Some('}') {
            max = -1;
        } else {
            match num(&mut j) {
                Some(m) => max = m,
                None => return Ok(None),
            }
        }
    }
    if chars.get(j).map(|c| c.1) != Some('}') {
        return Ok(None);
    }
    j += 1;
    if min > 1000 || max > 1000 || (max >= 0 && min > max) {
        let text: String = chars[i..j].iter().map(|c| c.1).collect();
        return Err(("invalid repeat count", text));
    }
    Ok(Some(j))
}

/// `(?flags)`, `(?flags:`, `(?P<name>`, `(?<name>` at `i`: the Rust text, the next index and
/// whether a group was opened.
fn parse_group_flags(
    p: &str,
    chars: &[(usize, char)],
    i: usize,
) -> Result<(String, usize, bool), ParseError> {
    let off = |k: usize| chars.get(k).map_or(p.len(), |x| x.0);
    let named_at = match (chars.get(i + 2).map(|c| c.1), chars.get(i + 3).map(|c| c.1)) {
        (Some('P'), Some('<')) => Some(i + 4),
        (Some('<'), _) => Some(i + 3),
        _ => None,
    };
    if let Some(ns) = named_at {
        let mut j = ns;
        while chars.get(j).is_some_and(|c| c.1 != '>') {
            j += 1;
        }
        if j >= chars.len() {
            return Err(("invalid named capture", p[off(i)..].to_string()));
        }
        let name = &p[off(ns)..off(j)];
        if name.is_empty() || !name.chars().all(|c| c == '_' || c.is_ascii_alphanumeric()) {
            return Err(("invalid named capture", p[off(i)..off(j + 1)].to_string()));
        }
        // Go allows repeated names and names starting with a digit; Rust gets `g<index>_<name>`.
        return Ok((format!("(?P<g{}_{name}>", off(i)), j + 1, true));
    }
    let mut j = i + 2;
    let mut flags = String::new();
    let mut seen_minus = false;
    loop {
        let Some(&(_, c)) = chars.get(j) else {
            return Err(("missing closing )", p.to_string()));
        };
        match c {
            'i' | 'm' | 's' | 'U' => flags.push(c),
            '-' if !seen_minus => {
                seen_minus = true;
                flags.push(c);
            }
            ':' | ')' => {
                if flags.is_empty() && c == ')' {
                    // `(?)` sets no flags: nothing to emit.
                    return Ok((String::new(), j + 1, false));
                }
                if flags.ends_with('-') {
                    return Err((
                        "invalid or unsupported Perl syntax",
                        p[off(i)..off(j + 1)].to_string(),
                    ));
                }
                let group = c == ':';
                return Ok((format!("(?{flags}{c}"), j + 1, group));
            }
            _ => {
                return Err((
                    "invalid or unsupported Perl syntax",
                    p[off(i)..off(j + 1)].to_string(),
                ));
            }
        }
        j += 1;
    }
}

/// An escape at `i` (the backslash); appends the Rust form and returns the next index.
fn parse_escape(
    p: &str,
    chars: &[(usize, char)],
    i: usize,
    out: &mut String,
    in_class: bool,
) -> Result<usize, ParseError> {
    let off = |k: usize| chars.get(k).map_or(p.len(), |x| x.0);
    let Some(&(_, c)) = chars.get(i + 1) else {
        return Err(("trailing backslash at end of expression", String::new()));
    };
    let bad = || Err(("invalid escape sequence", p[off(i)..off(i + 2)].to_string()));
    if let Some(cls) = perl_class(c, in_class) {
        out.push_str(&cls);
        return Ok(i + 2);
    }
    match c {
        'b' | 'B' if !in_class => out.push_str(&format!("(?-u:\\{c})")),
        'A' | 'z' if !in_class => out.push_str(&format!("\\{c}")),
        'a' => out.push_str(r"\x07"),
        'f' => out.push_str(r"\x0C"),
        't' => out.push_str(r"\t"),
        'n' => out.push_str(r"\n"),
        'r' => out.push_str(r"\r"),
        'v' => out.push_str(r"\x0B"),
        'C' if !in_class => out.push_str("(?s-u:.)"),
        '0'..='7' => {
            // Octal: `\0`, or a digit followed by more octal digits (Go has no backreferences).
            if c != '0' && !chars.get(i + 2).is_some_and(|d| ('0'..='7').contains(&d.1)) {
                return bad();
            }
            let mut j = i + 1;
            let mut v = 0u32;
            while j < i + 4 && chars.get(j).is_some_and(|d| ('0'..='7').contains(&d.1)) {
                v = v * 8 + chars[j].1.to_digit(8).unwrap_or(0);
                j += 1;
            }
            out.push_str(&format!("\\x{{{v:X}}}"));
            return Ok(j);
        }
        'x' => {
            let mut j = i + 2;
            if chars.get(j).map(|c| c.1) == Some('{') {
                let s = j + 1;
                while chars.get(j).is_some_and(|c| c.1 != '}') {
                    j += 1;
                }
                let hex = &p[off(s).min(p.len())..off(j)];
                if j >= chars.len()
                    || hex.is_empty()
                    || u32::from_str_radix(hex, 16)
                        .ok()
                        .and_then(char::from_u32)
                        .is_none()
                {
                    return Err(("invalid escape sequence", p[off(i)..off(j + 1)].to_string()));
                }
                out.push_str(&format!("\\x{{{hex}}}"));
                return Ok(j + 1);
            }
            let hex = &p[off(j).min(p.len())..off(j + 2)];
            if hex.len() != 2 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
                return Err(("invalid escape sequence", p[off(i)..off(j + 2)].to_string()));
            }
            j += 2;
            out.push_str(&format!("\\x{{{hex}}}"));
            return Ok(j);
        }
        'p' | 'P' => {
            let mut j = i + 2;
            let name_end = if chars.get(j).map(|c| c.1) == Some('{') {
                while chars.get(j).is_some_and(|c| c.1 != '}') {
                    j += 1;
                }
                if j >= chars.len() {
                    return Err(("invalid character class range", p[off(i)..].to_string()));
                }
                j + 1
            } else if j < chars.len() {
                j + 1
            } else {
                return Err(("invalid character class range", p[off(i)..].to_string()));
            };
            let text = &p[off(i)..off(name_end)];
            let name = text[2..].trim_start_matches('{').trim_end_matches('}');
            let name = name.strip_prefix('^').unwrap_or(name);
            if !valid_unicode_class(name) {
                return Err(("invalid character class range", text.to_string()));
            }
            out.push_str(text);
            return Ok(name_end);
        }
        'Q' if !in_class => {
            let mut j = i + 2;
            while j < chars.len() {
                if chars[j].1 == '\\' && chars.get(j + 1).map(|c| c.1) == Some('E') {
                    return Ok(j + 2);
                }
                push_escaped(out, chars[j].1);
                j += 1;
            }
            return Ok(j);
        }
        c if c.is_ascii() && !c.is_ascii_alphanumeric() => push_escaped(out, c),
        _ => return bad(),
    }
    Ok(i + 2)
}

/// Whether Go knows the Unicode class name (`Any`, general categories, scripts).
fn valid_unicode_class(name: &str) -> bool {
    const CATS: [&str; 38] = [
        "Any", "C", "Cc", "Cf", "Co", "Cs", "L", "Ll", "Lm", "Lo", "Lt", "Lu", "M", "Mc", "Me",
        "Mn", "N", "Nd", "Nl", "No", "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "S", "Sc",
        "Sk", "Sm", "So", "Z", "Zl", "Zp", "Zs", "L&",
    ];
    if CATS.contains(&name) {
        return name != "L&";
    }
    // Scripts: capitalised names of letters and underscores; the regex crate validates them.
    name.len() > 1
        && name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphabetic() || c == '_')
        && Regex::new(&format!(r"\p{{{name}}}")).is_ok()
}

/// A bracket class at `i`; appends the Rust form and returns the index after `]`.
fn parse_class(
    p: &str,
    chars: &[(usize, char)],
    i: usize,
    out: &mut String,
) -> Result<usize, ParseError> {
    let off = |k: usize| chars.get(k).map_or(p.len(), |x| x.0);
    let missing = || Err(("missing closing ]", p[off(i)..].to_string()));
    let mut j = i + 1;
    out.push('[');
    if chars.get(j).map(|c| c.1) == Some('^') {
        out.push('^');
        j += 1;
    }
    let mut first = true;
    loop {
        let Some(&(_, c)) = chars.get(j) else {
            return missing();
        };
        if c == ']' && !first {
            out.push(']');
            return Ok(j + 1);
        }
        first = false;
        // `[:name:]`
        if c == '[' && chars.get(j + 1).map(|c| c.1) == Some(':') {
            let rest = &p[off(j)..];
            if let Some(end) = rest[2..].find(":]") {
                let name = &rest[2..2 + end];
                let bare = name.strip_prefix('^').unwrap_or(name);
                if !ASCII_CLASSES.contains(&bare) {
                    return Err(("invalid character class range", rest[..end + 4].to_string()));
                }
                out.push_str(&rest[..end + 4]);
                j += rest[..end + 4].chars().count();
                continue;
            }
        }
        // One endpoint (a character or an escape); Perl and Unicode classes stand alone.
        let (lo, next) = class_atom(p, chars, j, out)?;
        j = next;
        let Some(lo) = lo else { continue };
        if chars.get(j).map(|c| c.1) == Some('-') && chars.get(j + 1).is_some_and(|c| c.1 != ']') {
            let mut scratch = String::new();
            let (hi, next) = class_atom(p, chars, j + 1, &mut scratch)?;
            let Some(hi) = hi else {
                return Err((
                    "invalid character class range",
                    p[off(j - 1)..off(next)].to_string(),
                ));
            };
            if hi < lo {
                let s = chars[..j].iter().rposition(|_| true).unwrap_or(0);
                let _ = s;
                let start = find_atom_start(chars, j);
                return Err((
                    "invalid character class range",
                    p[off(start)..off(next)].to_string(),
                ));
            }
            out.push('-');
            push_escaped(out, hi);
            j = next;
        }
        if chars.get(j).is_none() {
            return missing();
        }
    }
}

/// The index where the class atom ending just before `j` starts (for range error texts).
fn find_atom_start(chars: &[(usize, char)], j: usize) -> usize {
    if j >= 2 && chars[j - 2].1 == '\\' {
        j - 2
    } else {
        j.saturating_sub(1)
    }
}

/// One class atom at `j`: appends it (escaped) and returns its character, when it is a single
/// character, and the next index.
fn class_atom(
    p: &str,
    chars: &[(usize, char)],
    j: usize,
    out: &mut String,
) -> Result<(Option<char>, usize), ParseError> {
    let c = chars[j].1;
    if c != '\\' {
        push_escaped(out, c);
        return Ok((Some(c), j + 1));
    }
    let Some(&(_, e)) = chars.get(j + 1) else {
        return Err((
            "missing closing ]",
            p[chars.first().map_or(0, |_| 0)..].to_string(),
        ));
    };
    if perl_class(e, true).is_some() || matches!(e, 'p' | 'P') {
        let next = parse_escape(p, chars, j, out, true)?;
        return Ok((None, next));
    }
    let mut tmp = String::new();
    let next = parse_escape(p, chars, j, &mut tmp, true)?;
    let ch = match e {
        'a' => '\x07',
        'f' => '\x0C',
        't' => '\t',
        'n' => '\n',
        'r' => '\r',
        'v' => '\x0B',
        '0'..='7' | 'x' => {
            let hex: String = tmp
                .trim_start_matches("\\x{")
                .trim_end_matches('}')
                .to_string();
            u32::from_str_radix(&hex, 16)
                .ok()
                .and_then(char::from_u32)
                .unwrap_or('\0')
        }
        other => other,
    };
    out.push_str(&tmp);
    Ok((Some(ch), next))
}

/// Go's `FindAllIndex` loop: non-overlapping matches, skipping an empty match that abuts the
/// previous match; `n < 0` means all.
fn find_all(re: &Regex, s: &str, n: i64) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    if n == 0 {
        return out;
    }
    let mut pos = 0usize;
    let mut prev_end: Option<usize> = None;
    while pos <= s.len() && (n < 0 || (out.len() as i64) < n) {
        let Some(m) = re.find_at(s, pos) else { break };
        let mut accept = true;
        if m.end() == pos {
            if Some(m.start()) == prev_end {
                accept = false;
            }
            pos += s[pos..].chars().next().map_or(1, char::len_utf8);
        } else {
            pos = m.end();
        }
        prev_end = Some(m.end());
        if accept {
            out.push((m.start(), m.end()));
        }
    }
    out
}

/// Go's `Regexp.Split`.
fn split(re: &Regex, pattern: &str, s: &str, n: i64) -> Vec<String> {
    if n == 0 {
        return Vec::new();
    }
    if !pattern.is_empty() && s.is_empty() {
        return vec![String::new()];
    }
    let mut out = Vec::new();
    let (mut beg, mut end) = (0, 0);
    for (a, b) in find_all(re, s, n) {
        if n > 0 && out.len() as i64 == n - 1 {
            break;
        }
        end = a;
        if b != 0 {
            out.push(s[beg..end].to_string());
        }
        beg = b;
    }
    if end != s.len() {
        out.push(s[beg..].to_string());
    }
    out
}

/// Go's `ReplaceAllString` / `ReplaceAllLiteralString`.
fn replace_all(re: &Regex, s: &str, repl: &str, literal: bool) -> String {
    let mut buf = String::with_capacity(s.len());
    let mut last_end = 0usize;
    let mut search = 0usize;
    // Group names carry a `g<index>_` prefix in the Rust pattern.
    let names: Vec<Option<&str>> = re
        .capture_names()
        .map(|n| n.and_then(|n| n.split_once('_')).map(|(_, name)| name))
        .collect();
    while search <= s.len() {
        let Some(caps) = re.captures_at(s, search) else {
            break;
        };
        let m = caps.get(0).expect("group 0");
        buf.push_str(&s[last_end..m.start()]);
        if m.end() > last_end || m.start() == 0 {
            if literal {
                buf.push_str(repl);
            } else {
                expand(&mut buf, repl, &caps, &names);
            }
        }
        last_end = m.end();
        let width = s[search..].chars().next().map_or(0, char::len_utf8);
        if search + width > m.end() {
            search += width;
        } else if search + 1 > m.end() {
            search += 1;
        } else {
            search = m.end();
        }
    }
    buf.push_str(&s[last_end..]);
    buf
}

/// Go's `Regexp.expand`: `$$`, `$name`, `${name}`, `$1`; names take the longest run of letters,
/// digits and `_`; malformed references are literal `$`.
fn expand(dst: &mut String, template: &str, caps: &regex::Captures<'_>, names: &[Option<&str>]) {
    let mut t = template;
    while let Some(k) = t.find('$') {
        dst.push_str(&t[..k]);
        t = &t[k + 1..];
        if let Some(rest) = t.strip_prefix('$') {
            dst.push('$');
            t = rest;
            continue;
        }
        let Some((name, rest)) = extract(t) else {
            dst.push('$');
            continue;
        };
        t = rest;
        let num = if name.bytes().all(|b| b.is_ascii_digit())
            && !(name.len() > 1 && name.starts_with('0'))
        {
            name.parse::<usize>().ok().filter(|n| *n < 100_000_000)
        } else {
            None
        };
        let group = match num {
            Some(i) => caps.get(i),
            None => names
                .iter()
                .enumerate()
                .filter(|(_, n)| **n == Some(name))
                .find_map(|(i, _)| caps.get(i)),
        };
        if let Some(g) = group {
            dst.push_str(g.as_str());
        }
    }
    dst.push_str(t);
}

fn extract(s: &str) -> Option<(&str, &str)> {
    let (brace, body) = match s.strip_prefix('{') {
        Some(b) => (true, b),
        None => (false, s),
    };
    let len: usize = body
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .map(char::len_utf8)
        .sum();
    if len == 0 {
        return None;
    }
    let name = &body[..len];
    let mut rest = &body[len..];
    if brace {
        rest = rest.strip_prefix('}')?;
    }
    Some((name, rest))
}

/// Go's `regexp.QuoteMeta`.
fn quote_meta(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if r"\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(p: &str) -> String {
        compile(p).unwrap_err()
    }

    #[test]
    fn go_errors() {
        assert_eq!(err("("), "error parsing regexp: missing closing ): `(`");
        assert_eq!(err("a)"), "error parsing regexp: unexpected ): `a)`");
        assert_eq!(err("[a"), "error parsing regexp: missing closing ]: `[a`");
        assert_eq!(
            err(r"\q"),
            r"error parsing regexp: invalid escape sequence: `\q`"
        );
        assert_eq!(
            err("*a"),
            "error parsing regexp: missing argument to repetition operator: `*`"
        );
        assert_eq!(
            err("a**"),
            "error parsing regexp: invalid nested repetition operator: `**`"
        );
        assert_eq!(
            err("[z-a]"),
            "error parsing regexp: invalid character class range: `z-a`"
        );
        assert_eq!(
            err("a{2,1}"),
            "error parsing regexp: invalid repeat count: `{2,1}`"
        );
        assert_eq!(
            err("(?<n"),
            "error parsing regexp: invalid named capture: `(?<n`"
        );
        assert_eq!(
            err(r"\8"),
            r"error parsing regexp: invalid escape sequence: `\8`"
        );
        assert_eq!(
            err("x\\"),
            "error parsing regexp: trailing backslash at end of expression: ``"
        );
        assert_eq!(
            err("(?z)"),
            "error parsing regexp: invalid or unsupported Perl syntax: `(?z`"
        );
        assert_eq!(
            err("[[:foo:]]"),
            "error parsing regexp: invalid character class range: `[:foo:]`"
        );
        assert_eq!(
            err("a{1001}"),
            "error parsing regexp: invalid repeat count: `{1001}`"
        );
        assert_eq!(
            err(r"\pX"),
            r"error parsing regexp: invalid character class range: `\pX`"
        );
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_patterns_never_panic(p in "[\\\\()\\[\\]{}*+?|^$.a-c0-9,:<>PpQEdwsxé-]{0,16}", text in "\\PC{0,8}") {
            if let Ok(re) = compile(&p) {
                let _ = find_all(&re, &text, -1);
                let _ = replace_all(&re, &text, "$1${x}$$", false);
                let _ = split(&re, &p, &text, -1);
            }
        }
    }

    #[test]
    fn go_semantics() {
        let re = compile(r"\d+").unwrap();
        assert_eq!(re.find("x١٢٣y45").unwrap().as_str(), "45");
        let re = compile("a(x*)b").unwrap();
        assert_eq!(replace_all(&re, "-ab-axxb-", "${1}W", false), "-W-xxW-");
        assert_eq!(replace_all(&re, "-ab-axxb-", "$1W", false), "---");
        let re = compile("a*").unwrap();
        assert_eq!(replace_all(&re, "baaac", "X", false), "XbXcX");
        assert_eq!(find_all(&re, "baaac", -1).len(), 3);
        let re = compile("z+").unwrap();
        assert_eq!(split(&re, "z+", "pizza", -1), vec!["pi", "a"]);
        assert_eq!(quote_meta("1.5+"), r"1\.5\+");
        assert!(compile(r"\Qa.b\E+").unwrap().is_match("a.bbb"));
        assert!(compile(r"[\d\s-]").unwrap().is_match("-"));
        // A flag group between an item and its repetition: Go repeats the item.
        assert_eq!(
            compile("^1(?m)+$").unwrap().find("111").unwrap().as_str(),
            "111"
        );
        assert_eq!(
            compile("b{1,}(?m){1,}")
                .unwrap()
                .find("abbb")
                .unwrap()
                .as_str(),
            "bbb"
        );
        assert!(compile("(?i)").unwrap().is_match(""));
        assert_eq!(
            compile("a(?U)+").unwrap().find("aaa").unwrap().as_str(),
            "a"
        );
        assert_eq!(
            compile("(?U)a(?-U)+")
                .unwrap()
                .find("aaa")
                .unwrap()
                .as_str(),
            "aaa"
        );
    }
}
