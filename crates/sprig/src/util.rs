//! Registration helpers and Go-like character classes shared by the function modules.

use gotmpl::{Func, FuncMap, FuncResult, Param, Signature, Value};

/// A function body: already-converted arguments in, a value or an error out.
pub(crate) type Body = fn(Vec<Value>) -> FuncResult;

/// Registers `f` under `name` with fixed parameters.
pub(crate) fn add(m: &mut FuncMap, name: &str, params: &[Param], f: Body) {
    m.insert(name, Func::new(Signature::fixed(params), move |_, a| f(a)));
}

/// Registers `f` under `name` with fixed parameters and a variadic tail.
pub(crate) fn add_variadic(m: &mut FuncMap, name: &str, params: &[Param], tail: Param, f: Body) {
    m.insert(
        name,
        Func::new(Signature::variadic(params, tail), move |_, a| f(a)),
    );
}

/// The string argument `i` (the executor has converted it).
pub(crate) fn arg_str(a: &[Value], i: usize) -> &str {
    a[i].as_str().unwrap_or_default()
}

/// The `int` argument `i` (the executor has converted it).
pub(crate) fn arg_int(a: &[Value], i: usize) -> i64 {
    match a[i] {
        Value::Int(n) | Value::Int64(n) => n,
        _ => 0,
    }
}

/// Go's `unicode.IsSpace`.
pub(crate) fn is_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n'
            | '\u{0B}'
            | '\u{0C}'
            | '\r'
            | ' '
            | '\u{85}'
            | '\u{A0}'
            | '\u{1680}'
            | '\u{2000}'
            ..='\u{200A}' | '\u{2028}' | '\u{2029}' | '\u{202F}' | '\u{205F}' | '\u{3000}'
    )
}

/// Go's `unicode.IsUpper` (category Lu): Unicode's Uppercase property minus its
/// Other_Uppercase additions.
pub(crate) fn is_upper(c: char) -> bool {
    c.is_uppercase()
        && !matches!(
            c,
            '\u{2160}'..='\u{216F}'
                | '\u{24B6}'..='\u{24CF}'
                | '\u{1F130}'..='\u{1F149}'
                | '\u{1F150}'..='\u{1F169}'
                | '\u{1F170}'..='\u{1F189}'
        )
}

/// Go's `unicode.IsLower` (category Ll): Unicode's Lowercase property minus its
/// Other_Lowercase additions.
pub(crate) fn is_lower(c: char) -> bool {
    c.is_lowercase()
        && !matches!(
            c,
            '\u{AA}'
                | '\u{BA}'
                | '\u{02B0}'..='\u{02B8}'
                | '\u{02C0}'..='\u{02C1}'
                | '\u{02E0}'..='\u{02E4}'
                | '\u{0345}'
                | '\u{037A}'
                | '\u{10FC}'
                | '\u{1D2C}'..='\u{1D6A}'
                | '\u{1D78}'
                | '\u{1D9B}'..='\u{1DBF}'
                | '\u{2071}'
                | '\u{207F}'
                | '\u{2090}'..='\u{209C}'
                | '\u{2170}'..='\u{217F}'
                | '\u{24D0}'..='\u{24E9}'
                | '\u{2C7C}'..='\u{2C7D}'
                | '\u{A69C}'..='\u{A69D}'
                | '\u{A770}'
                | '\u{A7F8}'..='\u{A7F9}'
                | '\u{AB5C}'..='\u{AB5F}'
        )
}

/// Go's `unicode.IsTitle`.
pub(crate) fn is_title(c: char) -> bool {
    matches!(
        c,
        '\u{01C5}'
            | '\u{01C8}'
            | '\u{01CB}'
            | '\u{01F2}'
            | '\u{1F88}'..='\u{1F8F}'
            | '\u{1F98}'..='\u{1F9F}'
            | '\u{1FA8}'..='\u{1FAF}'
            | '\u{1FBC}'
            | '\u{1FCC}'
            | '\u{1FFC}'
    )
}

/// Go's `unicode.ToUpper` (simple case mapping: one rune to one rune).
pub(crate) fn to_upper(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_uppercase();
    }
    match c {
        '\u{01C5}' | '\u{01C6}' => return '\u{01C4}',
        '\u{01C8}' | '\u{01C9}' => return '\u{01C7}',
        '\u{01CB}' | '\u{01CC}' => return '\u{01CA}',
        '\u{01F2}' | '\u{01F3}' => return '\u{01F1}',
        // Greek with ypogegrammeni: a simple mapping to the titlecase letter.
        '\u{1F80}'..='\u{1F87}' | '\u{1F90}'..='\u{1F97}' | '\u{1FA0}'..='\u{1FA7}' => {
            return char::from_u32(c as u32 + 8).unwrap_or(c);
        }
        '\u{1FB3}' => return '\u{1FBC}',
        '\u{1FC3}' => return '\u{1FCC}',
        '\u{1FF3}' => return '\u{1FFC}',
        _ => {}
    }
    let mut it = c.to_uppercase();
    match (it.next(), it.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

/// Go's `unicode.ToLower`.
pub(crate) fn to_lower(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    if c == '\u{0130}' {
        return 'i';
    }
    let mut it = c.to_lowercase();
    match (it.next(), it.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

/// Go's `unicode.ToTitle`.
pub(crate) fn to_title(c: char) -> char {
    match c {
        '\u{01C4}'..='\u{01C6}' => '\u{01C5}',
        '\u{01C7}'..='\u{01C9}' => '\u{01C8}',
        '\u{01CA}'..='\u{01CC}' => '\u{01CB}',
        '\u{01F1}'..='\u{01F3}' => '\u{01F2}',
        c => to_upper(c),
    }
}

/// Go's `unicode.IsPunct` (category P): exact for ASCII and Latin-1, the common blocks beyond.
pub(crate) fn is_punct(c: char) -> bool {
    if c.is_ascii() {
        return matches!(
            c,
            '!' | '"'
                | '#'
                | '%'
                | '&'
                | '\''
                | '('
                | ')'
                | '*'
                | ','
                | '-'
                | '.'
                | '/'
                | ':'
                | ';'
                | '?'
                | '@'
                | '['
                | '\\'
                | ']'
                | '_'
                | '{'
                | '}'
        );
    }
    matches!(
        c,
        '\u{A1}'
            | '\u{A7}'
            | '\u{AB}'
            | '\u{B6}'
            | '\u{B7}'
            | '\u{BB}'
            | '\u{BF}'
            | '\u{2010}'..='\u{2027}'
            | '\u{2030}'..='\u{2043}'
            | '\u{2045}'..='\u{2051}'
            | '\u{2053}'..='\u{205E}'
            | '\u{3001}'..='\u{3003}'
            | '\u{3008}'..='\u{3011}'
    )
}
