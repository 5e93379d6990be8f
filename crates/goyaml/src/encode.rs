//! The encoder: Helm's `toYaml` (sigs.k8s.io/yaml `Marshal`: a JSON round trip, then go-yaml v2
//! `Marshal` of the generic value) on libyaml-safer's emitter.

use std::cmp::Ordering;

use libyaml_safer::{Emitter, Encoding, Event, MappingStyle, ScalarStyle, SequenceStyle};

use crate::number::{format_g, format_json};
use crate::resolve::{Scalar, plain_is_string, resolve_plain};
use crate::{EncodeError, Yaml};

/// go-yaml v2's "natural" key order: digit runs compare as numbers, a letter sorts after a
/// non-letter. Not a total order for some inputs (as in Go).
pub fn natural_less(a: &str, b: &str) -> bool {
    let ar: Vec<char> = a.chars().collect();
    let br: Vec<char> = b.chars().collect();
    let is_digit = |c: char| c.is_ascii_digit();
    let mut i = 0;
    while i < ar.len() && i < br.len() {
        if ar[i] == br[i] {
            i += 1;
            continue;
        }
        let al = ar[i].is_alphabetic();
        let bl = br[i].is_alphabetic();
        if al && bl {
            return ar[i] < br[i];
        }
        if al || bl {
            return bl;
        }
        let (mut an, mut bn): (i64, i64) = (0, 0);
        if ar[i] == '0' || br[i] == '0' {
            let mut j = i;
            while j > 0 && is_digit(ar[j - 1]) {
                j -= 1;
                if ar[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < ar.len() && is_digit(ar[ai]) {
            an = an.wrapping_mul(10).wrapping_add(ar[ai] as i64 - '0' as i64);
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && is_digit(br[bi]) {
            bn = bn.wrapping_mul(10).wrapping_add(br[bi] as i64 - '0' as i64);
            bi += 1;
        }
        if an != bn {
            return an < bn;
        }
        if ai != bi {
            return ai < bi;
        }
        return ar[i] < br[i];
    }
    ar.len() < br.len()
}

/// Sorts with a comparator that may not be a total order, without panicking (a merge sort).
fn sort_natural<T>(items: &mut Vec<T>, key: &dyn Fn(&T) -> &str) {
    if items.len() < 2 {
        return;
    }
    let mut v: Vec<T> = std::mem::take(items);
    let right = v.split_off(v.len() / 2);
    let mut left = v;
    let mut right = right;
    sort_natural(&mut left, key);
    sort_natural(&mut right, key);
    let mut out = Vec::with_capacity(left.len() + right.len());
    let mut l = left.into_iter().peekable();
    let mut r = right.into_iter().peekable();
    loop {
        match (l.peek(), r.peek()) {
            (Some(a), Some(b)) => {
                if natural_less(key(b), key(a)) {
                    out.push(r.next().expect("peeked"));
                } else {
                    out.push(l.next().expect("peeked"));
                }
            }
            (Some(_), None) => out.push(l.next().expect("peeked")),
            (None, Some(_)) => out.push(r.next().expect("peeked")),
            (None, None) => break,
        }
    }
    *items = out;
}

/// Whether libyaml's reader accepts `c` (what the JSON text would carry raw).
fn yaml_printable(c: char) -> bool {
    let v = c as u32;
    matches!(v, 0x09 | 0x0A | 0x0D | 0x20..=0x7E | 0x85 | 0xA0..=0xD7FF | 0xE000..=0xFFFD)
        || v >= 0x10000
}

/// A string after `json.Marshal` and go-yaml's parse of the JSON text: every character comes
/// back, except that a raw NEL (U+0085, which JSON does not escape) is a line break inside a
/// double-quoted YAML scalar and gets folded. Characters YAML cannot read fail.
fn json_round_trip_string(s: &str) -> Result<std::borrow::Cow<'_, str>, EncodeError> {
    // Go's JSON escapes control characters below 0x20; DEL, C1 controls and U+FFFE/FFFF pass
    // raw and then fail in the YAML reader.
    if s.chars().any(|c| (c as u32) >= 0x20 && !yaml_printable(c)) {
        return Err(EncodeError::new("yaml: control characters are not allowed"));
    }
    if !s.contains('\u{85}') {
        return Ok(s.into());
    }
    let mut out = String::with_capacity(s.len());
    let mut ws = String::new();
    let mut leading = false;
    let mut trailing = 0usize;
    let flush = |out: &mut String, ws: &mut String, leading: &mut bool, trailing: &mut usize| {
        if *leading {
            if *trailing == 0 {
                out.push(' ');
            } else {
                for _ in 0..*trailing {
                    out.push('\n');
                }
            }
            *leading = false;
            *trailing = 0;
        } else {
            out.push_str(ws);
        }
        ws.clear();
    };
    for c in s.chars() {
        match c {
            ' ' => {
                if !leading {
                    ws.push(c);
                }
            }
            '\u{85}' => {
                if leading {
                    trailing += 1;
                } else {
                    ws.clear();
                    leading = true;
                }
            }
            c => {
                flush(&mut out, &mut ws, &mut leading, &mut trailing);
                out.push(c);
            }
        }
    }
    flush(&mut out, &mut ws, &mut leading, &mut trailing);
    Ok(out.into())
}

/// The text go-yaml prints for a number after the JSON round trip: integral JSON numbers that
/// fit int64/uint64 print as integers, the rest with `FormatFloat('g', -1)`.
pub(crate) fn number_text(f: f64) -> Result<String, EncodeError> {
    let json = format_json(f)
        .ok_or_else(|| EncodeError::new(format!("json: unsupported value: {}", format_g(f))))?;
    Ok(match resolve_plain(&json).0 {
        Scalar::Int(i) => i.to_string(),
        Scalar::Uint(u) => u.to_string(),
        Scalar::Float(x) => format_g(x),
        _ => json,
    })
}

/// Options of the two encoders.
#[derive(Clone, Copy)]
pub(crate) struct Mode {
    /// `toYaml` (go-yaml v2 after a JSON round trip) when false; `toYamlPretty` when true.
    pub(crate) pretty: bool,
}

struct Enc<'e, 'w> {
    em: &'e mut Emitter<'w>,
    mode: Mode,
    /// Stand-ins for characters go-yaml's emitter escapes but libyaml-safer's would not:
    /// characters beyond the BMP (go-yaml writes them double-quoted as `\UXXXXXXXX`), and every
    /// character of a string that starts with U+FEFF (go-yaml's `is_bom` looks at the start of
    /// the string, not at the current character). Each is emitted as an unused private-use
    /// character and replaced by its escape afterwards.
    astral: Vec<(char, String)>,
    next_marker: u32,
    used_private: std::collections::HashSet<char>,
}

fn emit_err(e: libyaml_safer::Error) -> EncodeError {
    EncodeError::new(format!("yaml: {}", e.problem()))
}

impl Enc<'_, '_> {
    fn ev(&mut self, e: Event) -> Result<(), EncodeError> {
        self.em.emit(e).map_err(emit_err)
    }

    fn scalar(&mut self, text: &str, style: ScalarStyle) -> Result<(), EncodeError> {
        self.ev(Event::scalar(None, None, text, true, true, style))
    }

    fn string(&mut self, s: &str) -> Result<(), EncodeError> {
        let s = if self.mode.pretty {
            std::borrow::Cow::Borrowed(s)
        } else {
            json_round_trip_string(s)?
        };
        let s = self.mark_astral(&s);
        let style = if s.1 {
            ScalarStyle::DoubleQuoted
        } else if s.0.contains('\n') {
            ScalarStyle::Literal
        } else if plain_is_string(&s.0) {
            ScalarStyle::Plain
        } else {
            ScalarStyle::DoubleQuoted
        };
        self.scalar(&s.0, style)
    }

    /// Replaces characters beyond the BMP by private-use stand-ins; the flag tells whether any
    /// was found.
    fn mark_astral(&mut self, s: &str) -> (String, bool) {
        let bom = s.starts_with('\u{FEFF}');
        if !bom && s.chars().all(|c| (c as u32) < 0x10000) {
            return (s.to_string(), false);
        }
        let mut out = String::with_capacity(s.len());
        for c in s.chars() {
            if !bom && (c as u32) < 0x10000 {
                out.push(c);
                continue;
            }
            let escape = go_escape(c);
            let marker = match self.astral.iter().find(|(_, e)| *e == escape) {
                Some((m, _)) => *m,
                None => {
                    let m = loop {
                        let cand = char::from_u32(self.next_marker).unwrap_or('\u{E000}');
                        self.next_marker += 1;
                        if !self.used_private.contains(&cand) {
                            break cand;
                        }
                    };
                    self.astral.push((m, escape));
                    m
                }
            };
            out.push(marker);
        }
        (out, true)
    }

    fn value(&mut self, v: &Yaml) -> Result<(), EncodeError> {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.value_inner(v))
    }

    fn value_inner(&mut self, v: &Yaml) -> Result<(), EncodeError> {
        match v {
            Yaml::Null => self.scalar("null", ScalarStyle::Plain),
            Yaml::Bool(b) => self.scalar(if *b { "true" } else { "false" }, ScalarStyle::Plain),
            Yaml::Int(i) => self.scalar(&i.to_string(), ScalarStyle::Plain),
            Yaml::Float(f) => {
                let text = if self.mode.pretty {
                    match format_g(*f).as_str() {
                        "+Inf" => ".inf".to_string(),
                        "-Inf" => "-.inf".to_string(),
                        "NaN" => ".nan".to_string(),
                        s => s.to_string(),
                    }
                } else {
                    number_text(*f)?
                };
                self.scalar(&text, ScalarStyle::Plain)
            }
            Yaml::String(s) => self.string(s),
            Yaml::Seq(items) => {
                self.ev(Event::sequence_start(
                    None,
                    None,
                    true,
                    SequenceStyle::Block,
                ))?;
                for item in items {
                    self.value(item)?;
                }
                self.ev(Event::sequence_end())
            }
            Yaml::Map(entries) => {
                let mut keyed: Vec<(std::borrow::Cow<'_, str>, &Yaml)> =
                    Vec::with_capacity(entries.len());
                for (k, v) in entries {
                    let k = if self.mode.pretty {
                        std::borrow::Cow::Borrowed(k.as_str())
                    } else {
                        json_round_trip_string(k)?
                    };
                    keyed.push((k, v));
                }
                if self.mode.pretty {
                    keyed.sort_by(|a, b| pretty_key_cmp(&a.0, &b.0));
                } else {
                    sort_natural(&mut keyed, &|e| &e.0);
                }
                self.ev(Event::mapping_start(None, None, true, MappingStyle::Block))?;
                for (k, v) in keyed {
                    self.string(&k)?;
                    self.value(v)?;
                }
                self.ev(Event::mapping_end())
            }
        }
    }
}

/// yaml.v3's key order for string keys (its own natural sort, close to v2's).
fn pretty_key_cmp(a: &str, b: &str) -> Ordering {
    if natural_less(a, b) {
        Ordering::Less
    } else if natural_less(b, a) {
        Ordering::Greater
    } else {
        Ordering::Equal
    }
}

/// How go-yaml's emitter escapes `c` inside a double-quoted scalar.
fn go_escape(c: char) -> String {
    let short = match c {
        '\0' => "0",
        '\u{7}' => "a",
        '\u{8}' => "b",
        '\t' => "t",
        '\n' => "n",
        '\u{b}' => "v",
        '\u{c}' => "f",
        '\r' => "r",
        '\u{1b}' => "e",
        '"' => "\"",
        '\\' => "\\",
        '\u{85}' => "N",
        '\u{a0}' => "_",
        '\u{2028}' => "L",
        '\u{2029}' => "P",
        _ => "",
    };
    let v = c as u32;
    if !short.is_empty() {
        format!("\\{short}")
    } else if v <= 0xFF {
        format!("\\x{v:02X}")
    } else if v <= 0xFFFF {
        format!("\\u{v:04X}")
    } else {
        format!("\\U{v:08X}")
    }
}

/// Marshals `v` as one YAML document (with its trailing newline).
pub(crate) fn marshal(v: &Yaml, mode: Mode) -> Result<String, EncodeError> {
    let mut out = Vec::new();
    let astral;
    {
        let mut em = Emitter::new();
        em.set_output_string(&mut out);
        em.set_unicode(true);
        if mode.pretty {
            em.set_indent(2);
            em.set_width(-1);
        }
        let mut used_private = std::collections::HashSet::new();
        collect_private(v, &mut used_private);
        let mut enc = Enc {
            em: &mut em,
            mode,
            astral: Vec::new(),
            next_marker: 0xE000,
            used_private,
        };
        enc.ev(Event::stream_start(Encoding::Utf8))?;
        enc.ev(Event::document_start(None, &[], true))?;
        enc.value(v)?;
        enc.ev(Event::document_end(true))?;
        enc.ev(Event::stream_end())?;
        astral = std::mem::take(&mut enc.astral);
        em.flush().map_err(emit_err)?;
    }
    let mut text =
        String::from_utf8(out).map_err(|_| EncodeError::new("yaml: invalid UTF-8 output"))?;
    for (marker, escape) in astral {
        text = text.replace(marker, &escape);
    }
    // go-yaml's emitter writes no `...` after an open-ended (`|+`) last scalar.
    if text.ends_with("\n...\n") {
        text.truncate(text.len() - 4);
    }
    Ok(strip_break_padding(&text))
}

/// Private-use characters present in `v` (never used as stand-ins).
fn collect_private(v: &Yaml, out: &mut std::collections::HashSet<char>) {
    fn scan(s: &str, out: &mut std::collections::HashSet<char>) {
        out.extend(s.chars().filter(|c| ('\u{E000}'..='\u{F8FF}').contains(c)));
    }
    match v {
        Yaml::String(s) => scan(s, out),
        Yaml::Seq(items) => stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
            items.iter().for_each(|i| collect_private(i, out))
        }),
        Yaml::Map(entries) => stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
            for (k, v) in entries {
                scan(k, out);
                collect_private(v, out);
            }
        }),
        _ => {}
    }
}

/// libyaml pads a single-quoted scalar that ends in a U+2028/U+2029 line break with the
/// indentation before the closing quote; go-yaml does not.
fn strip_break_padding(text: &str) -> String {
    if !text.contains(['\u{2028}', '\u{2029}']) {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        out.push(c);
        i += 1;
        if c == '\u{2028}' || c == '\u{2029}' {
            let mut j = i;
            while j < chars.len() && chars[j] == ' ' {
                j += 1;
            }
            if j > i && chars.get(j) == Some(&'\'') && chars.get(j + 1) != Some(&'\'') {
                i = j;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order() {
        let order = [
            "", "_a", "1", "9", "10", "A_", "B", "Z1", "a", "a-b", "a.b", "a_b", "a0", "a00", "a9",
            "a09", "a10", "ab", "z", "é",
        ];
        for w in order.windows(2) {
            assert!(natural_less(w[0], w[1]), "{:?} < {:?}", w[0], w[1]);
            assert!(!natural_less(w[1], w[0]), "not {:?} < {:?}", w[1], w[0]);
        }
    }

    #[test]
    fn nel_folds() {
        assert_eq!(json_round_trip_string("\u{85}x").unwrap(), " x");
        assert_eq!(json_round_trip_string("a \u{85}\u{85} b").unwrap(), "a\nb");
        assert!(json_round_trip_string("del\u{7f}").is_err());
    }
}

/// `toYamlPretty`: yaml.v3 `Encoder` with indent 2 on the Go values (no JSON step): sequences
/// indented under their key, no folding, floats with `FormatFloat('g', -1)`, integers as such.
pub(crate) fn marshal_pretty(v: &Yaml) -> Result<String, EncodeError> {
    let mut p = Pretty { out: String::new() };
    p.node(v, 0, Ctx::Top)?;
    Ok(p.out)
}

/// Where a node is written.
#[derive(Clone, Copy, PartialEq)]
enum Ctx {
    /// The document root.
    Top,
    /// After `key:`.
    MapValue,
    /// After `- `.
    SeqItem,
}

struct Pretty {
    out: String,
}

impl Pretty {
    fn pad(&mut self, n: usize) {
        for _ in 0..n {
            self.out.push(' ');
        }
    }

    /// Writes a scalar (starting on the current line) whose block content, if any, is
    /// indented to `indent`.
    fn scalar(&mut self, v: &Yaml, indent: usize) -> Result<(), EncodeError> {
        let text = render_scalar(v)?;
        // `text` is rendered as the value of a top-level key: block lines are indented by 2.
        let mut lines = text.split('\n');
        if let Some(first) = lines.next() {
            self.out.push_str(first);
        }
        for line in lines {
            self.out.push('\n');
            if let Some(rest) = line.strip_prefix("  ") {
                self.pad(indent);
                self.out.push_str(rest);
            } else {
                self.out.push_str(line);
            }
        }
        Ok(())
    }

    fn node(&mut self, v: &Yaml, indent: usize, ctx: Ctx) -> Result<(), EncodeError> {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.node_inner(v, indent, ctx))
    }

    /// Writes `v`. The cursor is at the start of the value's place: column `indent` for the
    /// root, after `key:` for a mapping value, after `- ` for an item.
    fn node_inner(&mut self, v: &Yaml, indent: usize, ctx: Ctx) -> Result<(), EncodeError> {
        match v {
            Yaml::Seq(items) if !items.is_empty() => {
                let item_indent = match ctx {
                    Ctx::Top => 0,
                    Ctx::MapValue => {
                        self.out.push('\n');
                        indent + 2
                    }
                    Ctx::SeqItem => indent,
                };
                for (i, item) in items.iter().enumerate() {
                    if i > 0 || ctx == Ctx::MapValue {
                        if i > 0 {
                            self.out.push('\n');
                        }
                        self.pad(item_indent);
                    }
                    self.out.push_str("- ");
                    self.node(item, item_indent + 2, Ctx::SeqItem)?;
                }
            }
            Yaml::Map(entries) if !entries.is_empty() => {
                let key_indent = match ctx {
                    Ctx::Top => 0,
                    Ctx::MapValue => {
                        self.out.push('\n');
                        indent + 2
                    }
                    Ctx::SeqItem => indent,
                };
                let mut sorted: Vec<&(String, Yaml)> = entries.iter().collect();
                sort_natural(&mut sorted, &|e| &e.0);
                for (i, (k, val)) in sorted.into_iter().enumerate() {
                    if i > 0 || ctx == Ctx::MapValue {
                        if i > 0 {
                            self.out.push('\n');
                        }
                        self.pad(key_indent);
                    }
                    let key = Yaml::String(k.clone());
                    if k.contains(['\n', '\u{85}', '\u{2028}', '\u{2029}']) {
                        // A multi-line key is a complex key: `? |-` ... `:`.
                        self.out.push_str("? ");
                        self.scalar(&key, key_indent + 2)?;
                        self.out.push('\n');
                        self.pad(key_indent);
                    } else {
                        self.scalar(&key, key_indent)?;
                    }
                    self.out.push(':');
                    match val {
                        Yaml::Seq(s) if !s.is_empty() => {
                            self.node(val, key_indent, Ctx::MapValue)?
                        }
                        Yaml::Map(m) if !m.is_empty() => {
                            self.node(val, key_indent, Ctx::MapValue)?
                        }
                        _ => {
                            self.out.push(' ');
                            self.scalar(val, key_indent + 2)?;
                        }
                    }
                }
            }
            _ => {
                let block_indent = match ctx {
                    Ctx::Top => 2,
                    _ => indent,
                };
                self.scalar(v, block_indent)?;
            }
        }
        if ctx == Ctx::Top {
            self.out.push('\n');
        }
        Ok(())
    }
}

/// A scalar (or `{}`/`[]`) as yaml.v3 writes it as a mapping value, rendered by the emitter
/// as the value of a top-level key and cut out.
fn render_scalar(v: &Yaml) -> Result<String, EncodeError> {
    let doc = Yaml::Map(vec![("k".into(), v.clone())]);
    let text = marshal(&doc, Mode { pretty: true })?;
    let body = text.strip_prefix("k: ").unwrap_or(&text);
    Ok(body.strip_suffix('\n').unwrap_or(body).to_string())
}
