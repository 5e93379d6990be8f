//! Go's `fmt` printing over [`Value`]s: `Sprint`, `Sprintln` and `Sprintf`, with every verb, flag,
//! width, precision, argument index and error marker of Go's `fmt`, plus the `strconv` pieces they
//! rest on (`FormatFloat`, `Quote`, ...).
//!
//! The module follows Go's printer closely:
//!
//! * an operand is printed by its Go type: `int`, `int64` and `uint8` by the integer verbs,
//!   `float64` by the float verbs, `string` and `[]byte` by the string verbs; a verb the type does
//!   not support prints `%!d(string=x)`, the operand being printed with `%v` and the same flags;
//! * slices and maps are printed element by element with the same verb and flags (`%5d` of
//!   `[1 2]` is `[    1     2]`), maps in sorted key order; a nil inside a `[]interface {}` or a
//!   `map[string]interface {}` prints `<nil>` whatever the verb;
//! * `%#v` prints Go syntax: `[]interface {}{1, "a"}`, `map[string]interface {}{"a":1}`;
//! * [`Value::Missing`] (an invalid `reflect.Value`) prints exactly like nil.
//!
//! Two things cannot be reproduced: pointer values (`%p`, `%v` of a function) print the fixed
//! address [`PLACEHOLDER_ADDR`], and a `[]byte` holding invalid UTF-8 printed with `%s` gets U+FFFD
//! for each invalid byte, since the result is a Rust `String`. Host objects print through
//! [`Object::format`] (their `%v`), which also serves as their
//! `String()` method for `%s %q %x %X`.

mod float;
mod quote;
#[cfg(test)]
mod tests;
mod unicode;

use crate::value::{Object, Value};

pub use float::format_float;
pub use quote::{can_backquote, is_print, quote, quote_ascii, quote_rune, quote_rune_ascii};

/// The address printed for pointer-like values (maps, slices, functions, host pointers) by `%p`,
/// and for functions by `%v`: Go prints a real memory address, which is not reproducible.
pub const PLACEHOLDER_ADDR: u64 = 0xc000010000;

/// Nesting depth beyond which nested lists and maps are no longer descended into (Go would
/// overflow its stack on a self-containing map; this prints `%!v(DEPTH)` instead).
const MAX_DEPTH: usize = 1000;

/// Go's `fmt.Sprint`: every operand formatted with `%v`, a space added between two operands
/// when neither is a string.
pub fn sprint(args: &[Value]) -> String {
    let mut p = Printer::default();
    let mut prev_string = false;
    for (i, arg) in args.iter().enumerate() {
        let is_string = is_string_kind(arg);
        if i > 0 && !is_string && !prev_string {
            p.buf.push(' ');
        }
        p.f = Flags::default();
        p.print_arg(arg, 'v');
        prev_string = is_string;
    }
    p.buf
}

/// Go's `fmt.Sprintln`: every operand formatted with `%v`, separated by spaces, followed by a
/// newline.
pub fn sprintln(args: &[Value]) -> String {
    let mut p = Printer::default();
    for (i, arg) in args.iter().enumerate() {
        if i > 0 {
            p.buf.push(' ');
        }
        p.f = Flags::default();
        p.print_arg(arg, 'v');
    }
    p.buf.push('\n');
    p.buf
}

/// Go's `fmt.Sprintf`.
///
/// Supports the verbs `%v %+v %#v %T %% %t %d %b %o %O %x %X %c %q %U %e %E %f %F %g %G %s %p`,
/// the flags `+ - # 0` and space, widths and precisions (also `*`, taken from an `int` operand),
/// explicit argument indexes (`%[2]d`), and Go's error markers: `%!d(string=x)` for a verb the
/// operand does not support, `%!d(MISSING)`, `%!d(BADINDEX)`, `%!(BADWIDTH)`, `%!(BADPREC)`,
/// `%!(NOVERB)`, `%!(EXTRA int=2, string=a)`. `%w` (which only `fmt.Errorf` supports) prints
/// `%!w(int=1)`; `%p` of a map, slice or function prints [`PLACEHOLDER_ADDR`], of anything else
/// `%!p(int=5)`.
pub fn sprintf(format: &str, args: &[Value]) -> String {
    let mut p = Printer::default();
    p.do_printf(format, args);
    p.buf
}

/// `%v` of one value; the same as `sprint(&[v.clone()])`.
pub fn format_value(v: &Value) -> String {
    let mut p = Printer::default();
    p.print_arg(v, 'v');
    p.buf
}

/// The Go type name as `%T` prints it (`int`, `[]interface {}`, `<nil>` for nil).
pub fn type_name(v: &Value) -> String {
    v.type_name()
}

/// Whether `fmt.Sprint` treats the operand as a string (its reflect kind is `string`).
fn is_string_kind(v: &Value) -> bool {
    match v {
        Value::String(_) => true,
        Value::Object(o) => o.kind_name() == "string",
        _ => false,
    }
}

/// The formatting state of one verb.
#[derive(Clone, Copy, Debug, Default)]
struct Flags {
    plus: bool,
    minus: bool,
    sharp: bool,
    space: bool,
    zero: bool,
    /// `%+v`: the plus flag moved off the verb.
    plus_v: bool,
    /// `%#v`: the sharp flag moved off the verb.
    sharp_v: bool,
    wid: Option<usize>,
    prec: Option<usize>,
}

#[derive(Default)]
struct Printer {
    buf: String,
    f: Flags,
}

/// Go's limit on widths, precisions and argument indexes.
fn too_large(n: i64) -> bool {
    !(-1_000_000..=1_000_000).contains(&n)
}

/// Parses a decimal number at `b[start..end]`: `(number, found, next index)`. An absurdly long
/// number consumes everything up to `end` and counts as absent, as in Go.
fn parse_num(b: &[u8], start: usize, end: usize) -> (usize, bool, usize) {
    if start >= end {
        return (0, false, end);
    }
    let mut num: i64 = 0;
    let mut found = false;
    let mut i = start;
    while i < end && b[i].is_ascii_digit() {
        if too_large(num) {
            return (0, false, end);
        }
        num = num * 10 + i64::from(b[i] - b'0');
        found = true;
        i += 1;
    }
    (num as usize, found, i)
}

/// Parses `[n]` at the start of `b`: `(zero-based index, bytes consumed, ok)`.
fn parse_arg_number(b: &[u8]) -> (i64, usize, bool) {
    if b.len() < 3 {
        return (0, 1, false);
    }
    for i in 1..b.len() {
        if b[i] == b']' {
            let (n, ok, next) = parse_num(b, 1, i);
            if !ok || next != i {
                return (0, i + 1, false);
            }
            return (n as i64 - 1, i + 1, true);
        }
    }
    (0, 1, false)
}

/// The operand as a width or precision (`*`): Go accepts any integer type that fits an `int`.
fn int_from_arg(args: &[Value], arg_num: usize) -> (i64, bool, usize) {
    let Some(arg) = args.get(arg_num) else {
        return (0, false, arg_num);
    };
    let (n, ok) = match arg {
        Value::Int(i) | Value::Int64(i) => (*i, true),
        Value::Uint8(u) => (i64::from(*u), true),
        _ => (0, false),
    };
    if too_large(n) {
        (0, false, arg_num + 1)
    } else {
        (n, ok, arg_num + 1)
    }
}

/// The state of the format-string scanner for argument indexes.
struct ArgState {
    arg_num: usize,
    reordered: bool,
    good_arg_num: bool,
}

impl ArgState {
    /// Handles an explicit `[n]` at `b[i..]`: returns the new index into `b` and whether an index
    /// was found.
    fn arg_number(&mut self, b: &[u8], i: usize, num_args: usize) -> (usize, bool) {
        if i >= b.len() || b[i] != b'[' {
            return (i, false);
        }
        self.reordered = true;
        let (index, wid, ok) = parse_arg_number(&b[i..]);
        if ok && 0 <= index && (index as usize) < num_args {
            self.arg_num = index as usize;
            return (i + wid, true);
        }
        self.good_arg_num = false;
        (i + wid, ok)
    }
}

impl Printer {
    // ----- the format string -----

    fn do_printf(&mut self, format: &str, args: &[Value]) {
        let b = format.as_bytes();
        let end = b.len();
        let mut st = ArgState {
            arg_num: 0,
            reordered: false,
            good_arg_num: true,
        };
        let mut i = 0;
        while i < end {
            st.good_arg_num = true;
            let last = i;
            while i < end && b[i] != b'%' {
                i += 1;
            }
            if i > last {
                self.buf.push_str(&format[last..i]);
            }
            if i >= end {
                break;
            }
            i += 1; // the '%'
            self.f = Flags::default();
            while i < end {
                match b[i] {
                    b'#' => self.f.sharp = true,
                    b'0' => self.f.zero = !self.f.minus, // zero padding only to the left
                    b'+' => self.f.plus = true,
                    b'-' => {
                        self.f.minus = true;
                        self.f.zero = false;
                    }
                    b' ' => self.f.space = true,
                    _ => break,
                }
                i += 1;
            }

            let (ni, mut after_index) = st.arg_number(b, i, args.len());
            i = ni;

            // Width.
            if i < end && b[i] == b'*' {
                i += 1;
                let (n, ok, next) = int_from_arg(args, st.arg_num);
                st.arg_num = next;
                if !ok {
                    self.buf.push_str("%!(BADWIDTH)");
                } else if n < 0 {
                    self.f.wid = Some(n.unsigned_abs() as usize);
                    self.f.minus = true;
                    self.f.zero = false;
                } else {
                    self.f.wid = Some(n as usize);
                }
                after_index = false;
            } else {
                let (n, found, next) = parse_num(b, i, end);
                i = next;
                if found {
                    self.f.wid = Some(n);
                    if after_index {
                        // "%[3]2d"
                        st.good_arg_num = false;
                    }
                }
            }

            // Precision.
            if i + 1 < end && b[i] == b'.' {
                i += 1;
                if after_index {
                    // "%[3].2d"
                    st.good_arg_num = false;
                }
                let (ni, found) = st.arg_number(b, i, args.len());
                i = ni;
                after_index = found;
                if i < end && b[i] == b'*' {
                    i += 1;
                    let (n, ok, next) = int_from_arg(args, st.arg_num);
                    st.arg_num = next;
                    if ok && n >= 0 {
                        self.f.prec = Some(n as usize);
                    } else {
                        self.buf.push_str("%!(BADPREC)");
                    }
                    after_index = false;
                } else {
                    let (n, found, next) = parse_num(b, i, end);
                    i = next;
                    self.f.prec = Some(if found { n } else { 0 });
                }
            }

            if !after_index {
                let (ni, _) = st.arg_number(b, i, args.len());
                i = ni;
            }

            if i >= end {
                self.buf.push_str("%!(NOVERB)");
                break;
            }
            let verb = format[i..].chars().next().unwrap_or('%');
            i += verb.len_utf8();

            if verb == '%' {
                // A literal percent takes no operand and ignores width and precision.
                self.buf.push('%');
            } else if !st.good_arg_num {
                self.buf.push_str(&format!("%!{verb}(BADINDEX)"));
            } else if st.arg_num >= args.len() {
                self.buf.push_str(&format!("%!{verb}(MISSING)"));
            } else {
                if verb == 'v' || verb == 'w' {
                    // `#` and `+` become the `%#v` and `%+v` forms (also for the `%w` that only
                    // `fmt.Errorf` supports).
                    self.f.sharp_v = self.f.sharp;
                    self.f.sharp = false;
                    self.f.plus_v = self.f.plus;
                    self.f.plus = false;
                }
                let arg = &args[st.arg_num];
                if verb == 'w'
                    && matches!(
                        arg,
                        Value::List(_) | Value::Map(_) | Value::Object(_) | Value::Func(_)
                    )
                {
                    // Only `fmt.Errorf` supports %w (for errors). Go rejects it for these
                    // operands as a whole, while basic types reject it like any unknown verb
                    // (`[]byte` element by element).
                    self.bad_verb('w', arg);
                } else {
                    self.print_arg(arg, verb);
                }
                st.arg_num += 1;
            }
        }

        if !st.reordered && st.arg_num < args.len() {
            self.f = Flags::default();
            self.buf.push_str("%!(EXTRA ");
            for (k, arg) in args[st.arg_num..].iter().enumerate() {
                if k > 0 {
                    self.buf.push_str(", ");
                }
                if arg.is_nil() {
                    self.buf.push_str("<nil>");
                } else {
                    self.buf.push_str(&arg.type_name());
                    self.buf.push('=');
                    self.print_arg(arg, 'v');
                }
            }
            self.buf.push(')');
        }
    }

    // ----- operands -----

    /// Prints a top-level operand.
    fn print_arg(&mut self, v: &Value, verb: char) {
        if v.is_nil() {
            match verb {
                'T' | 'v' => self.pad("<nil>"),
                _ => self.bad_verb(verb, v),
            }
            return;
        }
        match verb {
            'T' => {
                let t = v.type_name();
                self.fmt_s(&t);
                return;
            }
            'p' => {
                self.fmt_pointer(v, 'p');
                return;
            }
            _ => {}
        }
        self.print_value(v, verb, 0);
    }

    /// Prints an operand or, at `depth > 0`, an element of a slice or map.
    fn print_value(&mut self, v: &Value, verb: char, depth: usize) {
        if depth > MAX_DEPTH {
            self.buf.push_str("%!v(DEPTH)");
            return;
        }
        match v {
            Value::Missing | Value::Nil => {
                if depth == 0 {
                    self.print_arg(v, verb);
                } else if self.f.sharp_v {
                    self.buf.push_str("interface {}(nil)");
                } else {
                    self.buf.push_str("<nil>");
                }
            }
            Value::Bool(b) => match verb {
                't' | 'v' => self.pad(if *b { "true" } else { "false" }),
                _ => self.bad_verb(verb, v),
            },
            Value::Int(i) | Value::Int64(i) => self.print_integer(*i as u64, true, verb, v),
            Value::Uint8(u) => self.print_integer(u64::from(*u), false, verb, v),
            Value::Float(x) => match verb {
                'v' => self.fmt_float(*x, 'g', -1),
                'b' | 'g' | 'G' | 'x' | 'X' => self.fmt_float(*x, verb, -1),
                'f' | 'F' | 'e' | 'E' => self.fmt_float(*x, verb, 6),
                _ => self.bad_verb(verb, v),
            },
            Value::Complex(re, im) => match verb {
                'v' | 'b' | 'g' | 'G' | 'x' | 'X' | 'f' | 'F' | 'e' | 'E' => {
                    let prec = if matches!(verb, 'f' | 'F' | 'e' | 'E') {
                        6
                    } else {
                        -1
                    };
                    let fverb = if verb == 'v' { 'g' } else { verb };
                    let old_plus = self.f.plus;
                    self.buf.push('(');
                    self.fmt_float(*re, fverb, prec);
                    // The imaginary part always has a sign.
                    self.f.plus = true;
                    self.fmt_float(*im, fverb, prec);
                    self.buf.push_str("i)");
                    self.f.plus = old_plus;
                }
                _ => self.bad_verb(verb, v),
            },
            Value::String(s) => self.print_string(s, verb, v),
            Value::Bytes(bytes) => {
                // A []byte operand is a `[]byte`; inside an interface slice or map Go only knows
                // its reflected type, `[]uint8`.
                let type_name = if depth == 0 { "[]byte" } else { "[]uint8" };
                self.print_bytes(bytes, verb, type_name, depth);
            }
            Value::List(l) if self.f.sharp_v && l.is_nil() => {
                self.buf.push_str(l.type_name());
                self.buf.push_str("(nil)");
            }
            Value::Map(m) if self.f.sharp_v && m.is_nil() => {
                self.buf.push_str(m.type_name());
                self.buf.push_str("(nil)");
            }
            Value::List(l) => self.print_list(l.type_name(), l, verb, depth),
            Value::Map(m) => self.print_map(m.type_name(), &m.entries(), verb, depth),
            Value::Object(o) => self.print_object(o.as_ref(), v, verb, depth),
            Value::Func(_) => self.fmt_pointer(v, verb),
        }
    }

    fn print_integer(&mut self, u: u64, signed: bool, verb: char, v: &Value) {
        match verb {
            'v' if self.f.sharp_v && !signed => self.fmt_0x64(u, true),
            'v' | 'd' => self.fmt_integer(u, 10, signed, verb, false),
            'b' => self.fmt_integer(u, 2, signed, verb, false),
            'o' | 'O' => self.fmt_integer(u, 8, signed, verb, false),
            'x' => self.fmt_integer(u, 16, signed, verb, false),
            'X' => self.fmt_integer(u, 16, signed, verb, true),
            'c' => self.fmt_c(u),
            'q' => self.fmt_qc(u),
            'U' => self.fmt_unicode(u),
            _ => self.bad_verb(verb, v),
        }
    }

    fn print_string(&mut self, s: &str, verb: char, v: &Value) {
        match verb {
            'v' if self.f.sharp_v => self.fmt_q(s.as_bytes()),
            'v' | 's' => self.fmt_s(s),
            'x' => self.fmt_sbx(s.as_bytes(), false),
            'X' => self.fmt_sbx(s.as_bytes(), true),
            'q' => self.fmt_q(s.as_bytes()),
            _ => self.bad_verb(verb, v),
        }
    }

    fn print_bytes(&mut self, bytes: &[u8], verb: char, type_name: &str, depth: usize) {
        match verb {
            'v' | 'd' if self.f.sharp_v => {
                self.buf.push_str(type_name);
                self.buf.push('{');
                for (i, c) in bytes.iter().enumerate() {
                    if i > 0 {
                        self.buf.push_str(", ");
                    }
                    self.fmt_0x64(u64::from(*c), true);
                }
                self.buf.push('}');
            }
            's' => {
                let n = quote::rune_prefix_len(bytes, self.f.prec.unwrap_or(usize::MAX));
                let s = quote::lossy(&bytes[..n]);
                self.pad(&s);
            }
            'x' => self.fmt_sbx(bytes, false),
            'X' => self.fmt_sbx(bytes, true),
            'q' => self.fmt_q(bytes),
            _ => {
                // Element by element, each a uint8 (Go goes through reflection here, hence the
                // `[]uint8` of `%#w`).
                let items: Vec<Value> = bytes.iter().map(|c| Value::Uint8(*c)).collect();
                self.print_list("[]uint8", &items, verb, depth);
            }
        }
    }

    fn print_list(&mut self, type_name: &str, items: &[Value], verb: char, depth: usize) {
        if self.f.sharp_v {
            self.buf.push_str(type_name);
            self.buf.push('{');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    self.buf.push_str(", ");
                }
                self.print_value(item, verb, depth + 1);
            }
            self.buf.push('}');
        } else {
            self.buf.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    self.buf.push(' ');
                }
                self.print_value(item, verb, depth + 1);
            }
            self.buf.push(']');
        }
    }

    fn print_map(
        &mut self,
        type_name: &str,
        entries: &[(String, Value)],
        verb: char,
        depth: usize,
    ) {
        let sharp_v = self.f.sharp_v;
        if sharp_v {
            self.buf.push_str(type_name);
            self.buf.push('{');
        } else {
            self.buf.push_str("map[");
        }
        for (i, (key, value)) in entries.iter().enumerate() {
            if i > 0 {
                self.buf.push_str(if sharp_v { ", " } else { " " });
            }
            self.print_value(&Value::string(key.as_str()), verb, depth + 1);
            self.buf.push(':');
            self.print_value(value, verb, depth + 1);
        }
        self.buf.push(if sharp_v { '}' } else { ']' });
    }

    fn print_object(&mut self, o: &dyn Object, v: &Value, verb: char, depth: usize) {
        if let Some(list) = o.as_list() {
            self.print_list(o.type_name(), &list, verb, depth);
        } else if let Some(map) = o.as_map() {
            self.print_map(o.type_name(), &map.entries(), verb, depth);
        } else if o.is_nil() {
            match verb {
                'v' if self.f.sharp_v => {
                    self.buf.push_str(&format!("({})(nil)", o.type_name()));
                }
                'v' | 's' => self.pad("<nil>"),
                _ => self.fmt_pointer(v, verb),
            }
        } else {
            match verb {
                'v' if self.f.sharp_v => self.buf.push_str(&o.format(true)),
                'v' => {
                    let s = o.format(self.f.plus_v);
                    self.pad(&s);
                }
                's' | 'q' | 'x' | 'X' => {
                    let s = o.format(false);
                    self.print_string(&s, verb, v);
                }
                _ => self.bad_verb(verb, v),
            }
        }
    }

    /// `%p`, and `%v`/integer verbs of functions: a pointer, printed as a (placeholder) address.
    fn fmt_pointer(&mut self, v: &Value, verb: char) {
        let addr = match v {
            Value::Map(_) | Value::List(_) | Value::Bytes(_) | Value::Func(_) => PLACEHOLDER_ADDR,
            Value::Object(o) if matches!(o.kind_name(), "ptr" | "map" | "slice" | "func") => {
                if o.is_nil() { 0 } else { PLACEHOLDER_ADDR }
            }
            _ => {
                self.bad_verb(verb, v);
                return;
            }
        };
        match verb {
            'v' if self.f.sharp_v => {
                self.buf.push('(');
                self.buf.push_str(&v.type_name());
                self.buf.push_str(")(");
                if addr == 0 {
                    self.buf.push_str("nil");
                } else {
                    self.fmt_0x64(addr, true);
                }
                self.buf.push(')');
            }
            'v' if addr == 0 => self.pad("<nil>"),
            'v' | 'p' => self.fmt_0x64(addr, !self.f.sharp),
            'b' | 'o' | 'd' | 'x' | 'X' => self.print_integer(addr, false, verb, v),
            _ => self.bad_verb(verb, v),
        }
    }

    /// `%!verb(type=value)`, the value printed with `%v` under the current flags.
    fn bad_verb(&mut self, verb: char, v: &Value) {
        self.buf.push_str("%!");
        self.buf.push(verb);
        self.buf.push('(');
        if v.is_nil() {
            self.buf.push_str("<nil>");
        } else {
            self.buf.push_str(&v.type_name());
            self.buf.push('=');
            self.print_arg(v, 'v');
        }
        self.buf.push(')');
    }

    // ----- padding -----

    fn write_padding(&mut self, n: usize) {
        let c = if self.f.zero { '0' } else { ' ' };
        self.buf.extend(std::iter::repeat_n(c, n));
    }

    /// Writes `s` padded to the width (counted in runes): on the left with spaces or zeros, or on
    /// the right with spaces under `-`.
    fn pad(&mut self, s: &str) {
        let Some(wid) = self.f.wid else {
            self.buf.push_str(s);
            return;
        };
        let n = s.chars().count();
        if n >= wid {
            self.buf.push_str(s);
        } else if self.f.minus {
            self.buf.push_str(s);
            self.write_padding(wid - n);
        } else {
            self.write_padding(wid - n);
            self.buf.push_str(s);
        }
    }

    /// [`Printer::pad`] with the zero flag off.
    fn pad_spaces(&mut self, s: &str) {
        let zero = self.f.zero;
        self.f.zero = false;
        self.pad(s);
        self.f.zero = zero;
    }

    // ----- integers -----

    /// An integer in `base`; `u` holds the two's complement bits when `signed`.
    fn fmt_integer(&mut self, u: u64, base: u32, signed: bool, verb: char, upper: bool) {
        let negative = signed && (u as i64) < 0;
        let u = if negative {
            (u as i64).unsigned_abs()
        } else {
            u
        };
        // Two ways to ask for leading zeros: a precision (`%.3d`), or the zero flag with a width
        // (`%03d`); with both, the precision wins and the padding is spaces.
        let mut prec = 0;
        if let Some(p) = self.f.prec {
            prec = p;
            if p == 0 && u == 0 {
                let zero = self.f.zero;
                self.f.zero = false;
                self.write_padding(self.f.wid.unwrap_or(0));
                self.f.zero = zero;
                return;
            }
        } else if self.f.zero
            && !self.f.minus
            && let Some(w) = self.f.wid
        {
            prec = w;
            if negative || self.f.plus || self.f.space {
                prec = prec.saturating_sub(1); // room for the sign
            }
        }
        let digits = match (base, upper) {
            (2, _) => format!("{u:b}"),
            (8, _) => format!("{u:o}"),
            (16, false) => format!("{u:x}"),
            (16, true) => format!("{u:X}"),
            _ => u.to_string(),
        };
        let mut s = String::with_capacity(prec.max(digits.len()) + 4);
        if negative {
            s.push('-');
        } else if self.f.plus {
            s.push('+');
        } else if self.f.space {
            s.push(' ');
        }
        if verb == 'O' {
            s.push_str("0o");
        }
        let zeros = prec.saturating_sub(digits.len());
        if self.f.sharp {
            match base {
                2 => s.push_str("0b"),
                8 if zeros == 0 && !digits.starts_with('0') => s.push('0'),
                16 => s.push_str(if upper { "0X" } else { "0x" }),
                _ => {}
            }
        }
        s.extend(std::iter::repeat_n('0', zeros));
        s.push_str(&digits);
        self.pad_spaces(&s);
    }

    /// Go's `fmt0x64`: hexadecimal, with a `0x` prefix if asked.
    fn fmt_0x64(&mut self, u: u64, leading_0x: bool) {
        let sharp = self.f.sharp;
        self.f.sharp = leading_0x;
        self.fmt_integer(u, 16, false, 'v', false);
        self.f.sharp = sharp;
    }

    /// `%c`: the rune (U+FFFD if not a valid code point).
    fn fmt_c(&mut self, u: u64) {
        let c = rune_of(u);
        self.pad(c.encode_utf8(&mut [0; 4]));
    }

    /// `%q` of an integer: the quoted rune.
    fn fmt_qc(&mut self, u: u64) {
        let c = rune_of(u);
        let s = if self.f.plus {
            quote_rune_ascii(c)
        } else {
            quote_rune(c)
        };
        self.pad(&s);
    }

    /// `%U`: `U+0061`, and `U+0061 'a'` with `#` for printable runes.
    fn fmt_unicode(&mut self, u: u64) {
        let prec = match self.f.prec {
            Some(p) if p > 4 => p,
            _ => 4,
        };
        let mut s = format!("U+{u:0prec$X}");
        if self.f.sharp
            && let Some(c) = u32::try_from(u).ok().and_then(char::from_u32)
            && is_print(c)
        {
            s.push_str(" '");
            s.push(c);
            s.push('\'');
        }
        self.pad_spaces(&s);
    }

    // ----- strings -----

    /// `%s`: truncated to the precision (in runes), padded.
    fn fmt_s(&mut self, s: &str) {
        let n = quote::rune_prefix_len(s.as_bytes(), self.f.prec.unwrap_or(usize::MAX));
        self.pad(&s[..n]);
    }

    /// `%x`/`%X` of a string or byte slice: two hex digits per byte, at most precision bytes;
    /// the space flag separates bytes, `#` adds `0x` (to each byte when separated).
    fn fmt_sbx(&mut self, b: &[u8], upper: bool) {
        let length = self.f.prec.map_or(b.len(), |p| p.min(b.len()));
        if length == 0 {
            if let Some(w) = self.f.wid {
                self.write_padding(w);
            }
            return;
        }
        let mut width = 2 * length;
        if self.f.space {
            if self.f.sharp {
                width *= 2;
            }
            width += length - 1;
        } else if self.f.sharp {
            width += 2;
        }
        let fill = self.f.wid.map_or(0, |w| w.saturating_sub(width));
        if !self.f.minus {
            self.write_padding(fill);
        }
        let prefix = if upper { "0X" } else { "0x" };
        if self.f.sharp {
            self.buf.push_str(prefix);
        }
        for (i, byte) in b[..length].iter().enumerate() {
            if self.f.space && i > 0 {
                self.buf.push(' ');
                if self.f.sharp {
                    self.buf.push_str(prefix);
                }
            }
            if upper {
                self.buf.push_str(&format!("{byte:02X}"));
            } else {
                self.buf.push_str(&format!("{byte:02x}"));
            }
        }
        if self.f.minus {
            self.write_padding(fill);
        }
    }

    /// `%q` of a string or byte slice: truncated to the precision, then backquoted (`#`, when
    /// possible), ASCII-quoted (`+`) or quoted.
    fn fmt_q(&mut self, b: &[u8]) {
        let n = quote::rune_prefix_len(b, self.f.prec.unwrap_or(usize::MAX));
        let b = &b[..n];
        let s = if self.f.sharp && quote::can_backquote_bytes(b) {
            format!("`{}`", quote::lossy(b))
        } else {
            quote::quote_bytes(b, self.f.plus)
        };
        self.pad(&s);
    }

    // ----- floats -----

    /// A float with `verb` (one of `b e E f F g G x X`), `default_prec` applying when the
    /// format has no precision.
    fn fmt_float(&mut self, v: f64, verb: char, default_prec: i32) {
        let prec = self
            .f
            .prec
            .map_or(default_prec, |p| p.min(i32::MAX as usize) as i32);
        let conv = if verb == 'F' { 'f' } else { verb };
        let s = format_float(v, conv, prec);
        // `num` always starts with a sign character.
        let mut num = if s.starts_with('-') || s.starts_with('+') {
            s
        } else {
            format!("+{s}")
        };
        if self.f.space && num.starts_with('+') && !self.f.plus {
            num.replace_range(0..1, " ");
        }
        let second = num.as_bytes()[1];
        if second == b'I' || second == b'N' {
            // Infinities and NaN are padded with spaces; NaN has no sign unless asked for.
            if second == b'N' && !self.f.space && !self.f.plus {
                num.remove(0);
            }
            self.pad_spaces(&num);
            return;
        }
        if self.f.sharp && verb != 'b' {
            num = sharp_float(&num, verb, prec);
        }
        if self.f.plus || !num.starts_with('+') {
            // Zero padding goes between the sign and the digits.
            if self.f.zero
                && !self.f.minus
                && let Some(w) = self.f.wid
                && w > num.len()
            {
                self.buf.push_str(&num[..1]);
                self.write_padding(w - num.len());
                self.buf.push_str(&num[1..]);
                return;
            }
            self.pad(&num);
            return;
        }
        self.pad(&num[1..]);
    }
}

/// The rune for `%c`/`%q` of an integer: U+FFFD unless `u` is a valid code point.
fn rune_of(u: u64) -> char {
    u32::try_from(u)
        .ok()
        .and_then(char::from_u32)
        .unwrap_or('\u{FFFD}')
}

/// The `#` flag on floats: always a decimal point, and for `%g` (and `%x`) trailing zeros up to
/// the precision (6 by default) significant digits. `num` starts with its sign.
fn sharp_float(num: &str, verb: char, prec: i32) -> String {
    let mut digits: i64 = match verb {
        'g' | 'G' | 'x' => {
            if prec == -1 {
                6
            } else {
                i64::from(prec)
            }
        }
        _ => 0,
    };
    let (sign, rest) = num.split_at(1);
    // The exponent (`e±dd`, or `p±dd` for hexadecimal mantissas) is kept aside.
    let hex = matches!(verb, 'x' | 'X');
    let cut = rest
        .char_indices()
        .find(|&(_, c)| matches!(c, 'p' | 'P') || (!hex && matches!(c, 'e' | 'E')))
        .map_or(rest.len(), |(i, _)| i);
    let (body, tail) = rest.split_at(cut);
    let mut body = body.to_string();
    let mut has_point = false;
    let mut seen_nonzero = false;
    // Count the significant characters already there. (For hexadecimal mantissas the `x` of
    // `0x` counts too, as in Go.)
    for c in body.chars() {
        if c == '.' {
            has_point = true;
        } else {
            seen_nonzero = seen_nonzero || c != '0';
            if seen_nonzero {
                digits -= 1;
            }
        }
    }
    if !has_point {
        if body == "0" {
            // A lone leading zero counts as one digit.
            digits -= 1;
        }
        body.push('.');
    }
    while digits > 0 {
        body.push('0');
        digits -= 1;
    }
    format!("{sign}{body}{tail}")
}
