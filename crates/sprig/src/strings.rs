//! Sprig functions: strings (`trim upper title substr wrap quote cat indent split ...`), and the
//! conversions `toString toStrings atoi int int64 float64 toDecimal`.

use gotmpl::{FuncMap, FuncResult, Map, Param, Value};

use crate::cast;
use crate::util::{
    add, add_variadic, arg_int, arg_str, is_lower, is_punct, is_space, is_title, is_upper,
    to_lower, to_title, to_upper,
};

use Param::{Any, Int, String as S};

fn ok(s: impl Into<String>) -> FuncResult {
    Ok(Value::String(s.into().into()))
}

/// Bytes that may not be valid UTF-8 (Go strings are byte strings), as a Rust string.
fn from_bytes(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Adds this family's functions to `m`.
pub(crate) fn register(m: &mut FuncMap) {
    add(m, "hello", &[], |_| ok("Hello!"));
    add(m, "trim", &[S], |a| {
        ok(arg_str(&a, 0).trim_matches(is_space))
    });
    add(m, "upper", &[S], |a| {
        ok(map_chars(arg_str(&a, 0), to_upper))
    });
    add(m, "lower", &[S], |a| {
        ok(map_chars(arg_str(&a, 0), to_lower))
    });
    add(m, "title", &[S], |a| ok(title(arg_str(&a, 0))));
    add(m, "untitle", &[S], |a| ok(untitle(arg_str(&a, 0))));
    add(m, "substr", &[Int, Int, S], |a| {
        substr(arg_int(&a, 0), arg_int(&a, 1), arg_str(&a, 2))
    });
    add(m, "repeat", &[Int, S], |a| {
        let n = arg_int(&a, 0);
        if n < 0 {
            return Err("strings: negative Repeat count".into());
        }
        let s = arg_str(&a, 1);
        if (s.len() as u128) * (n as u128) > (1 << 31) {
            return Err("strings: Repeat output length overflow".into());
        }
        ok(s.repeat(n as usize))
    });
    for name in ["trimAll", "trimall"] {
        add(m, name, &[S, S], |a| {
            let cut = arg_str(&a, 0);
            ok(arg_str(&a, 1).trim_matches(|c| cut.contains(c)))
        });
    }
    add(m, "trimSuffix", &[S, S], |a| {
        let s = arg_str(&a, 1);
        ok(s.strip_suffix(arg_str(&a, 0)).unwrap_or(s))
    });
    add(m, "trimPrefix", &[S, S], |a| {
        let s = arg_str(&a, 1);
        ok(s.strip_prefix(arg_str(&a, 0)).unwrap_or(s))
    });
    add(m, "nospace", &[S], |a| ok(nospace(arg_str(&a, 0))));
    add(m, "initials", &[S], |a| ok(initials(arg_str(&a, 0))));
    add(m, "swapcase", &[S], |a| ok(swapcase(arg_str(&a, 0))));
    add(m, "shuffle", &[S], |a| ok(shuffle(arg_str(&a, 0))));
    add(m, "snakecase", &[S], |a| {
        ok(to_lower_case(arg_str(&a, 0), '_'))
    });
    add(m, "kebabcase", &[S], |a| {
        ok(to_lower_case(arg_str(&a, 0), '-'))
    });
    add(m, "camelcase", &[S], |a| ok(camelcase(arg_str(&a, 0))));
    add(m, "wrap", &[Int, S], |a| {
        ok(wrap(arg_str(&a, 1).as_bytes(), arg_int(&a, 0), "", false))
    });
    add(m, "wrapWith", &[Int, S, S], |a| {
        ok(wrap(
            arg_str(&a, 2).as_bytes(),
            arg_int(&a, 0),
            arg_str(&a, 1),
            true,
        ))
    });
    add(m, "contains", &[S, S], |a| {
        Ok(arg_str(&a, 1).contains(arg_str(&a, 0)).into())
    });
    add(m, "hasPrefix", &[S, S], |a| {
        Ok(arg_str(&a, 1).starts_with(arg_str(&a, 0)).into())
    });
    add(m, "hasSuffix", &[S, S], |a| {
        Ok(arg_str(&a, 1).ends_with(arg_str(&a, 0)).into())
    });
    add_variadic(m, "quote", &[], Any, |a| {
        let out: Vec<String> = a
            .iter()
            .filter(|v| !v.is_nil())
            .map(|v| gotmpl::gofmt::quote(&cast::to_string(v)))
            .collect();
        ok(out.join(" "))
    });
    add_variadic(m, "squote", &[], Any, |a| {
        let out: Vec<String> = a
            .iter()
            .filter(|v| !v.is_nil())
            .map(|v| format!("'{}'", gotmpl::gofmt::format_value(v)))
            .collect();
        ok(out.join(" "))
    });
    add_variadic(m, "cat", &[], Any, |a| {
        let out: Vec<String> = a
            .iter()
            .filter(|v| !v.is_nil())
            .map(gotmpl::gofmt::format_value)
            .collect();
        ok(out.join(" "))
    });
    add(m, "indent", &[Int, S], |a| {
        indent(arg_int(&a, 0), arg_str(&a, 1)).and_then(ok)
    });
    add(m, "nindent", &[Int, S], |a| {
        indent(arg_int(&a, 0), arg_str(&a, 1)).and_then(|s| ok(format!("\n{s}")))
    });
    add(m, "replace", &[S, S, S], |a| {
        ok(arg_str(&a, 2).replace(arg_str(&a, 0), arg_str(&a, 1)))
    });
    add(m, "plural", &[S, S, Int], |a| {
        ok(if arg_int(&a, 2) == 1 {
            arg_str(&a, 0)
        } else {
            arg_str(&a, 1)
        })
    });
    add(m, "abbrev", &[Int, S], |a| {
        let (w, s) = (arg_int(&a, 0), arg_str(&a, 1));
        if w < 4 {
            return ok(s);
        }
        ok(abbreviate(s.as_bytes(), 0, w))
    });
    add(m, "abbrevboth", &[Int, Int, S], |a| {
        let (l, r, s) = (arg_int(&a, 0), arg_int(&a, 1), arg_str(&a, 2));
        if r < 4 || l > 0 && r < 7 {
            return ok(s);
        }
        ok(abbreviate(s.as_bytes(), l, r))
    });
    add(m, "trunc", &[Int, S], |a| {
        let (c, s) = (arg_int(&a, 0), arg_str(&a, 1));
        let b = s.as_bytes();
        let n = b.len() as i64;
        if c < 0 && n + c > 0 {
            return ok(from_bytes(&b[(n + c) as usize..]));
        }
        if c >= 0 && n > c {
            return ok(from_bytes(&b[..c as usize]));
        }
        ok(s)
    });
    add(m, "split", &[S, S], |a| {
        Ok(parts_map(go_split(arg_str(&a, 1), arg_str(&a, 0), -1)))
    });
    add(m, "splitList", &[S, S], |a| {
        Ok(cast::string_list(
            go_split(arg_str(&a, 1), arg_str(&a, 0), -1)
                .into_iter()
                .map(str::to_string)
                .collect(),
        ))
    });
    add(m, "splitn", &[S, Int, S], |a| {
        Ok(parts_map(go_split(
            arg_str(&a, 2),
            arg_str(&a, 0),
            arg_int(&a, 1),
        )))
    });
    add(m, "join", &[S, Any], |a| {
        ok(cast::to_strings(&a[1]).join(arg_str(&a, 0)))
    });
    add(m, "sortAlpha", &[Any], |a| {
        let v = &a[0];
        let mut items = if cast::as_slice(v).is_some() {
            cast::to_strings(v)
        } else {
            vec![cast::to_string(v)]
        };
        items.sort();
        Ok(cast::string_list(items))
    });
    add(m, "toString", &[Any], |a| ok(cast::to_string(&a[0])));
    add(m, "toStrings", &[Any], |a| {
        Ok(cast::string_list(cast::to_strings(&a[0])))
    });
    add(m, "atoi", &[S], |a| {
        Ok(Value::Int(cast::atoi(arg_str(&a, 0)).unwrap_or(0)))
    });
    add(m, "int", &[Any], |a| Ok(Value::Int(cast::to_int(&a[0]))));
    add(m, "int64", &[Any], |a| {
        Ok(Value::Int64(cast::to_int64(&a[0])))
    });
    add(m, "float64", &[Any], |a| {
        Ok(Value::Float(cast::to_float64(&a[0])))
    });
    add(m, "toDecimal", &[Any], |a| {
        let s = gotmpl::gofmt::sprint(&a[..1]);
        Ok(Value::Int64(parse_octal(&s).unwrap_or(0)))
    });
}

fn map_chars(s: &str, f: fn(char) -> char) -> String {
    s.chars().map(f).collect()
}

/// Go's `strconv.ParseInt(s, 8, 64)`.
fn parse_octal(s: &str) -> Option<i64> {
    let (neg, body) = match s.as_bytes().first()? {
        b'+' => (false, &s[1..]),
        b'-' => (true, &s[1..]),
        _ => (false, s),
    };
    if body.is_empty() || !body.bytes().all(|c| (b'0'..=b'7').contains(&c)) {
        return None;
    }
    let mag = u64::from_str_radix(body, 8).ok()?;
    if neg {
        if mag > 1 << 63 {
            None
        } else {
            Some((mag as i64).wrapping_neg())
        }
    } else {
        i64::try_from(mag).ok()
    }
}

/// Go's `strings.Title`.
fn title(s: &str) -> String {
    let mut prev = ' ';
    s.chars()
        .map(|c| {
            let out = if is_separator(prev) { to_title(c) } else { c };
            prev = c;
            out
        })
        .collect()
}

/// `strings.Title`'s word boundary.
fn is_separator(c: char) -> bool {
    if c.is_ascii() {
        return !(c.is_ascii_alphanumeric() || c == '_');
    }
    if c.is_alphanumeric() {
        return false;
    }
    is_space(c)
}

/// goutils' `Uncapitalize` with whitespace delimiters.
fn untitle(s: &str) -> String {
    let mut next = true;
    s.chars()
        .map(|c| {
            if is_space(c) {
                next = true;
                c
            } else if next {
                next = false;
                to_lower(c)
            } else {
                c
            }
        })
        .collect()
}

/// goutils' `Initials`: iterates bytes, each byte taken as a rune (so a non-ASCII initial
/// becomes its first byte's Latin-1 character).
fn initials(s: &str) -> String {
    let mut out = String::new();
    let mut gap = true;
    for b in s.bytes() {
        let c = char::from(b);
        if is_space(c) {
            gap = true;
        } else if gap {
            out.push(c);
            gap = false;
        }
    }
    out
}

/// goutils' `DeleteWhiteSpace`: iterates bytes, each byte taken as a rune; the input is
/// returned unchanged when nothing is removed, else the kept bytes re-encoded as runes.
fn nospace(s: &str) -> String {
    let kept: String = s
        .bytes()
        .map(char::from)
        .filter(|c| !is_space(*c))
        .collect();
    if kept.chars().count() == s.len() {
        s.to_string()
    } else {
        kept
    }
}

/// goutils' `SwapCase`.
fn swapcase(s: &str) -> String {
    let mut ws = true;
    s.chars()
        .map(|c| {
            if is_upper(c) || is_title(c) {
                ws = false;
                to_lower(c)
            } else if is_lower(c) {
                if ws {
                    ws = false;
                    to_title(c)
                } else {
                    to_upper(c)
                }
            } else {
                ws = is_space(c);
                c
            }
        })
        .collect()
}

/// xstrings' `Shuffle`: the runes in a random order.
fn shuffle(s: &str) -> String {
    use rand::seq::SliceRandom;
    let mut chars: Vec<char> = s.chars().collect();
    chars.shuffle(&mut rand::thread_rng());
    chars.into_iter().collect()
}

/// xstrings' connector runes.
fn is_connector(c: char) -> bool {
    c == '-' || c == '_' || is_space(c)
}

/// xstrings' `ToCamelCase`.
fn camelcase(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    let mut r0 = None;
    let mut first_upper = false;
    for c in chars.by_ref() {
        if !is_connector(c) {
            first_upper = is_upper(c);
            r0 = Some(to_upper(c));
            break;
        }
        out.push(c);
    }
    let Some(mut r0) = r0 else {
        // Only connectors: Go writes the last one a second time.
        if let Some(last) = s.chars().next_back() {
            out.push(last);
        }
        return out;
    };
    for c in chars {
        let r1 = r0;
        r0 = c;
        if is_connector(r0) && is_connector(r1) {
            out.push(r1);
            continue;
        }
        if is_connector(r1) {
            first_upper = is_upper(r0);
            r0 = to_upper(r0);
        } else {
            if first_upper {
                if is_upper(r0) {
                    r0 = to_lower(r0);
                } else {
                    first_upper = false;
                }
            }
            out.push(r1);
        }
    }
    out.push(r0);
    out
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Word {
    End,
    Other,
    Number,
    Upper,
    Lower,
    Connector,
    Punct,
}

/// xstrings' word splitter: the type of the next word, the word, and the rest.
fn next_word(s: &str) -> (Word, &str, &str) {
    let mut it = s.char_indices();
    let Some((_, r)) = it.next() else {
        return (Word::End, "", "");
    };
    let rest_from = |pred: &dyn Fn(char) -> bool, start: usize| -> usize {
        s[start..]
            .char_indices()
            .find(|(_, c)| !pred(*c))
            .map_or(s.len(), |(i, _)| start + i)
    };
    let first = r.len_utf8();
    let (wt, end) = if is_connector(r) {
        (Word::Connector, rest_from(&is_connector, first))
    } else if is_punct(r) {
        (Word::Punct, rest_from(&is_punct, first))
    } else if is_upper(r) {
        match s[first..].chars().next() {
            None => (Word::Upper, first),
            Some(n) if is_upper(n) => {
                let end = rest_from(&is_upper, first);
                match s[end..].chars().next() {
                    Some(c) if lowerish(c) => {
                        let last = s[..end].chars().next_back().map_or(0, char::len_utf8);
                        (Word::Upper, end - last)
                    }
                    _ => (Word::Upper, end),
                }
            }
            Some(n) if lowerish(n) => (Word::Upper, rest_from(&lowerish, first)),
            Some(_) => (Word::Upper, first),
        }
    } else if lowerish(r) {
        (Word::Lower, rest_from(&lowerish, first))
    } else if r.is_numeric() {
        (Word::Number, rest_from(&|c: char| c.is_numeric(), first))
    } else {
        let other = |c: char| {
            !(is_connector(c) || lowerish(c) || c.is_numeric() || is_punct(c) || is_upper(c))
        };
        (Word::Other, rest_from(&other, first))
    };
    (wt, &s[..end], &s[end..])
}

/// What xstrings counts as a lower-case letter when splitting words: Unicode's Lowercase
/// property (which, unlike Go's `unicode.IsLower`, includes Other_Lowercase: `ª`, `ʰ`, `ⓐ`)
/// and titlecase letters.
fn lowerish(c: char) -> bool {
    c.is_lowercase() || is_title(c)
}

/// Writes a word lowercased (upper-case words) or with each connector replaced (connector
/// words); other words as they are.
fn put_lower(out: &mut String, wt: Word, word: &str, connector: char) {
    match wt {
        Word::Upper | Word::Connector => {
            for c in word.chars() {
                if is_connector(c) {
                    out.push(connector);
                } else if is_upper(c) {
                    out.push(to_lower(c));
                } else {
                    out.push(c);
                }
            }
        }
        _ => out.push_str(word),
    }
}

/// xstrings' `ToSnakeCase` / `ToKebabCase`.
fn to_lower_case(s: &str, connector: char) -> String {
    let mut out = String::new();
    let (mut wt, mut word, mut rest) = next_word(s);
    let gets_connector = |w: Word| !matches!(w, Word::End | Word::Connector | Word::Punct);
    while !rest.is_empty() {
        if wt != Word::Connector {
            put_lower(&mut out, wt, word, connector);
        }
        let prev = wt;
        let last = word;
        (wt, word, rest) = next_word(rest);
        match prev {
            Word::Number => {
                while matches!(wt, Word::Lower | Word::Number) {
                    put_lower(&mut out, wt, word, connector);
                    (wt, word, rest) = next_word(rest);
                }
                if gets_connector(wt) {
                    out.push(connector);
                }
            }
            Word::Connector => put_lower(&mut out, prev, last, connector),
            Word::Punct => {}
            _ => {
                if wt != Word::Number {
                    if gets_connector(wt) {
                        out.push(connector);
                    }
                    continue;
                }
                if rest.is_empty() {
                    continue;
                }
                let number = word;
                (wt, word, rest) = next_word(rest);
                if wt != Word::Lower {
                    put_lower(&mut out, Word::Number, number, connector);
                    if gets_connector(wt) {
                        out.push(connector);
                    }
                    continue;
                }
                out.push(connector);
                put_lower(&mut out, Word::Number, number, connector);
                while matches!(wt, Word::Lower | Word::Number) {
                    put_lower(&mut out, wt, word, connector);
                    (wt, word, rest) = next_word(rest);
                }
                if gets_connector(wt) {
                    out.push(connector);
                }
            }
        }
    }
    put_lower(&mut out, wt, word, connector);
    out
}

/// goutils' `WrapCustom` (byte offsets, as in Go).
fn wrap(s: &[u8], width: i64, newline: &str, long_words: bool) -> String {
    if s.is_empty() {
        return String::new();
    }
    let newline = if newline.is_empty() { "\n" } else { newline };
    let width = width.max(1) as usize;
    let n = s.len();
    let mut offset = 0;
    let mut out: Vec<u8> = Vec::new();
    while n - offset > width {
        if s[offset] == b' ' {
            offset += 1;
            continue;
        }
        let end = (width + offset + 1).min(n);
        let space = s[offset..end].iter().rposition(|b| *b == b' ');
        if let Some(i) = space {
            let at = offset + i;
            out.extend_from_slice(&s[offset..at]);
            out.extend_from_slice(newline.as_bytes());
            offset = at + 1;
        } else if long_words {
            let end = width + offset;
            out.extend_from_slice(&s[offset..end]);
            out.extend_from_slice(newline.as_bytes());
            offset += width;
        } else {
            let end = width + offset;
            match s[end..].iter().position(|b| *b == b' ') {
                None => {
                    out.extend_from_slice(&s[offset..]);
                    offset = n;
                }
                Some(i) => {
                    let at = i + end;
                    out.extend_from_slice(&s[offset..at]);
                    out.extend_from_slice(newline.as_bytes());
                    offset = at + 1;
                }
            }
        }
    }
    out.extend_from_slice(&s[offset..]);
    from_bytes(&out)
}

/// goutils' `AbbreviateFull` (byte offsets), for widths Sprig lets through.
fn abbreviate(s: &[u8], offset: i64, width: i64) -> String {
    let n = s.len() as i64;
    if n == 0 {
        return String::new();
    }
    if n <= width {
        return from_bytes(s);
    }
    let mut offset = offset.min(n);
    if n - offset < width - 3 {
        offset = n - (width - 3);
    }
    if offset <= 4 {
        let mut out = s[..(width - 3) as usize].to_vec();
        out.extend_from_slice(b"...");
        return from_bytes(&out);
    }
    if width < 7 {
        return String::new();
    }
    if offset + width - 3 < n {
        return format!("...{}", abbreviate(&s[offset as usize..], 0, width - 3));
    }
    let mut out = b"...".to_vec();
    out.extend_from_slice(&s[(n - (width - 3)) as usize..]);
    from_bytes(&out)
}

/// Sprig's `indent`.
fn indent(n: i64, s: &str) -> Result<String, gotmpl::FuncError> {
    if n < 0 {
        return Err("strings: negative Repeat count".into());
    }
    let pad = " ".repeat(n as usize);
    Ok(format!("{pad}{}", s.replace('\n', &format!("\n{pad}"))))
}

/// Go's `strings.SplitN(s, sep, n)` (`n < 0`: all).
fn go_split<'a>(s: &'a str, sep: &str, n: i64) -> Vec<&'a str> {
    if n == 0 {
        return Vec::new();
    }
    if sep.is_empty() {
        let mut out: Vec<&str> = Vec::new();
        let mut idx: Vec<usize> = s.char_indices().map(|(i, _)| i).collect();
        idx.push(s.len());
        let count = idx.len() - 1;
        for i in 0..count {
            if n > 0 && out.len() as i64 == n - 1 {
                out.push(&s[idx[i]..]);
                return out;
            }
            out.push(&s[idx[i]..idx[i + 1]]);
        }
        return out;
    }
    if n < 0 {
        s.split(sep).collect()
    } else {
        s.splitn(n as usize, sep).collect()
    }
}

/// Sprig's `split`/`splitn` result: a `map[string]string` with keys `_0`, `_1`, ...
fn parts_map(parts: Vec<&str>) -> Value {
    let m = Map::new().with_type_name("map[string]string");
    for (i, p) in parts.into_iter().enumerate() {
        m.insert(format!("_{i}"), Value::from(p));
    }
    Value::Map(m)
}

/// Sprig's `substr` (byte offsets; Go's slice-bounds panics as errors).
fn substr(start: i64, end: i64, s: &str) -> FuncResult {
    let b = s.as_bytes();
    let n = b.len() as i64;
    let bounds =
        |msg: String| Err(format!("runtime error: slice bounds out of range {msg}").into());
    if start < 0 {
        if end < 0 {
            return bounds(format!("[:{end}]"));
        }
        if end > n {
            return bounds(format!("[:{end}] with length {n}"));
        }
        return ok(from_bytes(&b[..end as usize]));
    }
    if end < 0 || end > n {
        if start > n {
            return bounds(format!("[{start}:{n}]"));
        }
        return ok(from_bytes(&b[start as usize..]));
    }
    if start > end {
        return bounds(format!("[{start}:{end}]"));
    }
    ok(from_bytes(&b[start as usize..end as usize]))
}
