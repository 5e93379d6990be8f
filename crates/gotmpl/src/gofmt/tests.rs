//! Tests of Go's `fmt` printing.
//!
//! Every expectation is the output of real Go: the printf tables were printed by Go 1.25's `fmt`
//! (through Helm 4.1.4's `printf`, `print` and `println`, whose template literals are Go `int`,
//! `float64` and `string`, whose values.yaml numbers are `float64`, whose `.Files.GetBytes` is a
//! `[]byte`, Sprig's `int64` an `int64`, `index "abc" 0` a `uint8`, `until` an `[]int` and
//! `splitList` a `[]string`).

#![allow(clippy::approx_constant, clippy::excessive_precision)]

use std::collections::BTreeMap;
use std::sync::Arc;

use super::*;
use crate::value::{ElemType, List, Map, Object};

fn s(v: &str) -> Value {
    Value::string(v)
}

fn fl(v: f64) -> Value {
    Value::Float(v)
}

fn bytes(b: &[u8]) -> Value {
    Value::Bytes(Arc::from(b))
}

fn ints(n: i64) -> Value {
    Value::List(List::typed(ElemType::Int, (0..n).map(Value::Int).collect()))
}

fn strs(items: &[&str]) -> Value {
    Value::List(List::typed(
        ElemType::String,
        items.iter().map(|x| s(x)).collect(),
    ))
}

fn dict(entries: &[(&str, Value)]) -> Value {
    let map: BTreeMap<String, Value> = entries
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    Value::Map(Map::from_entries(map))
}

/// values.yaml: `list: [1, "a", true]`.
fn values_list() -> Value {
    Value::list(vec![fl(1.0), s("a"), Value::Bool(true)])
}

/// values.yaml: `strs: ["a", "b"]`.
fn values_strs() -> Value {
    Value::list(vec![s("a"), s("b")])
}

/// values.yaml: `m: {b: "x", a: 1, c: [1, 2], d: null}`.
fn values_map() -> Value {
    dict(&[
        ("b", s("x")),
        ("a", fl(1.0)),
        ("c", Value::list(vec![fl(1.0), fl(2.0)])),
        ("d", Value::Nil),
    ])
}

/// `n` copies of `v`.
fn rep(v: Value, n: usize) -> Vec<Value> {
    vec![v; n]
}

#[track_caller]
fn pf(format: &str, args: &[Value], want: &str) {
    assert_eq!(sprintf(format, args), want, "sprintf({format:?}, {args:?})");
}

#[test]
fn printf_integers() {
    pf(
        "%d|%v|%d|%v",
        &[
            Value::Int(42),
            Value::Int(42),
            Value::Int(-42),
            Value::Int(0),
        ],
        "42|42|-42|0",
    );
    pf(
        "%5d|%-5d|%05d|%-05d|%+d|% d|%+5d|%+05d|% 05d",
        &rep(Value::Int(42), 9),
        "   42|42   |00042|42   |+42| 42|  +42|+0042| 0042",
    );
    pf(
        "%.3d|%.0d|%5.0d|%8.3d|%08.3d|%-8.3d|%.0d",
        &[
            Value::Int(7),
            Value::Int(0),
            Value::Int(0),
            Value::Int(-7),
            Value::Int(7),
            Value::Int(7),
            Value::Int(1),
        ],
        "007||     |    -007|     007|007     |1",
    );
    pf(
        "%05d|%+d|%x|%X|%o|%b|%08b",
        &[
            Value::Int(-42),
            Value::Int(-42),
            Value::Int(-255),
            Value::Int(-255),
            Value::Int(-8),
            Value::Int(-5),
            Value::Int(5),
        ],
        "-0042|-42|-ff|-FF|-10|-101|00000101",
    );
    pf(
        "%x|%X|%#x|%#X|%#o|%#o|%O|%#O|%#b|%b",
        &[
            Value::Int(255),
            Value::Int(255),
            Value::Int(255),
            Value::Int(255),
            Value::Int(8),
            Value::Int(0),
            Value::Int(8),
            Value::Int(8),
            Value::Int(5),
            Value::Int(0),
        ],
        "ff|FF|0xff|0XFF|010|0|0o10|0o010|0b101|0",
    );
    pf(
        "%#08x|%08x|%#8x|%#-8x|%#.4x|%x",
        &[
            Value::Int(255),
            Value::Int(-255),
            Value::Int(255),
            Value::Int(255),
            Value::Int(255),
            Value::Int(0),
        ],
        "0x000000ff|-00000ff|    0xff|0xff    |0x00ff|0",
    );
    pf(
        "%d|%x|%d|%o",
        &[
            Value::Int(9223372036854775807),
            Value::Int(-9223372036854775808),
            Value::Int(-9223372036854775808),
            Value::Int(9223372036854775807),
        ],
        "9223372036854775807|-8000000000000000|-9223372036854775808|777777777777777777777",
    );
    pf(
        "%c|%c|%c|%c|%c|%c",
        &[
            Value::Int(97),
            Value::Int(233),
            Value::Int(128512),
            Value::Int(-1),
            Value::Int(1114112),
            Value::Int(55296),
        ],
        "a|é|\u{1f600}|�|�|�",
    );
    pf(
        "%5c|%-5c|%05c|%.1c",
        &rep(Value::Int(97), 4),
        "    a|a    |0000a|a",
    );
    pf(
        "%q|%q|%q|%q|%q|%q|%q",
        &[
            Value::Int(97),
            Value::Int(39),
            Value::Int(34),
            Value::Int(92),
            Value::Int(10),
            Value::Int(0),
            Value::Int(127),
        ],
        "'a'|'\\''|'\"'|'\\\\'|'\\n'|'\\x00'|'\\x7f'",
    );
    pf(
        "%q|%+q|%+q|%q|%q|%q|%#q",
        &[
            Value::Int(233),
            Value::Int(233),
            Value::Int(128512),
            Value::Int(128512),
            Value::Int(173),
            Value::Int(55296),
            Value::Int(97),
        ],
        "'é'|'\\u00e9'|'\\U0001f600'|'\u{1f600}'|'\\u00ad'|'�'|'a'",
    );
    pf(
        "%U|%#U|%#U|%#U|%.6U|%08U|%-8U|%8U|%U",
        &[
            Value::Int(97),
            Value::Int(97),
            Value::Int(10),
            Value::Int(233),
            Value::Int(97),
            Value::Int(97),
            Value::Int(97),
            Value::Int(97),
            Value::Int(-1),
        ],
        "U+0061|U+0061 'a'|U+000A|U+00E9 'é'|U+000061|  U+0061|U+0061  |  U+0061|U+FFFFFFFFFFFFFFFF",
    );
    pf(
        "%#U|%#U|%#.2U|%+U",
        &[
            Value::Int(8232),
            Value::Int(128512),
            Value::Int(97),
            Value::Int(97),
        ],
        "U+2028|U+1F600 '\u{1f600}'|U+0061 'a'|U+0061",
    );
    pf(
        "%d|%v|%x|%c|%q|%U|%#v|%T|%08b|%o",
        &[
            Value::Uint8(97),
            Value::Uint8(98),
            Value::Uint8(99),
            Value::Uint8(97),
            Value::Uint8(97),
            Value::Uint8(97),
            Value::Uint8(97),
            Value::Uint8(97),
            Value::Uint8(97),
            Value::Uint8(97),
        ],
        "97|98|63|a|'a'|U+0061|0x61|uint8|01100001|141",
    );
    pf(
        "%v|%#v|%T|%d|%x|%+d",
        &[
            Value::Int64(5),
            Value::Int64(-5),
            Value::Int64(5),
            Value::Int64(-5),
            Value::Int64(255),
            Value::Int64(5),
        ],
        "5|-5|int64|-5|ff|+5",
    );
    pf(
        "%v|%+v|%#v|% v|%5v|%-5v|%05v|%x|%X|%#v",
        &[
            Value::Int(5),
            Value::Int(5),
            Value::Int(5),
            Value::Int(5),
            Value::Int(5),
            Value::Int(5),
            Value::Int(5),
            Value::Int(255),
            Value::Int(255),
            Value::Int(-5),
        ],
        "5|5|5| 5|    5|5    |00005|ff|FF|-5",
    );
    pf("%d|%d", &[Value::Int(0x10), Value::Int(97)], "16|97");
}

#[test]
fn printf_floats() {
    pf(
        "%v|%v|%v|%v|%v|%v",
        &[
            fl(1.0),
            fl(0.1),
            fl(1.5),
            fl(-2.25),
            fl(100.0),
            fl(123456.7),
        ],
        "1|0.1|1.5|-2.25|100|123456.7",
    );
    pf(
        "%v|%v|%v|%v|%v|%v",
        &[
            fl(1e6),
            fl(1.25e6),
            fl(1234567.8),
            fl(12345678901.0),
            fl(1e21),
            fl(1e20),
        ],
        "1e+06|1.25e+06|1.2345678e+06|1.2345678901e+10|1e+21|1e+20",
    );
    pf(
        "%v|%v|%v|%v|%v|%v",
        &[
            fl(0.0001),
            fl(0.000123),
            fl(0.00001),
            fl(0.0000123),
            fl(5e-324),
            fl(1.7976931348623157e308),
        ],
        "0.0001|0.000123|1e-05|1.23e-05|5e-324|1.7976931348623157e+308",
    );
    pf(
        "%v|%v|%v|%v",
        &[fl(-0.0), fl(0.0), fl(999999.0), fl(100000.0)],
        "-0|0|999999|100000",
    );
    pf(
        "%f|%.2f|%.0f|%10.3f|%-10.3f|%010.3f|%+.1f|% .1f",
        &rep(fl(3.14159), 8),
        "3.141590|3.14|3|     3.142|3.142     |000003.142|+3.1| 3.1",
    );
    pf(
        "%08.3f|%08.3f|%+08.3f|% 08.3f|%-08.3f|%8.3f",
        &[
            fl(3.14159),
            fl(-3.14159),
            fl(3.14159),
            fl(3.14159),
            fl(3.14159),
            fl(-3.14159),
        ],
        "0003.142|-003.142|+003.142| 003.142|3.142   |  -3.142",
    );
    pf(
        "%F|%f|%f|%f|%.3f",
        &[fl(3.5), fl(1e21), fl(1e-7), fl(-0.0), fl(0.0005)],
        "3.500000|1000000000000000000000.000000|0.000000|-0.000000|0.001",
    );
    pf(
        "%e|%E|%.2e|%.0e|%+.3e|%e|%e|%e",
        &[
            fl(123456.789),
            fl(123456.789),
            fl(123456.789),
            fl(123456.789),
            fl(123456.789),
            fl(0.0),
            fl(1e-300),
            fl(5e-324),
        ],
        "1.234568e+05|1.234568E+05|1.23e+05|1e+05|+1.235e+05|0.000000e+00|1.000000e-300|4.940656e-324",
    );
    pf(
        "%g|%G|%g|%g|%g|%g|%g",
        &[
            fl(123456.789),
            fl(1e-10),
            fl(1e6),
            fl(1e-5),
            fl(0.0001),
            fl(100000.0),
            fl(1e100),
        ],
        "123456.789|1E-10|1e+06|1e-05|0.0001|100000|1e+100",
    );
    pf(
        "%.3g|%.3g|%.3g|%.10g|%.1g|%.0g|%.2g|%.5g",
        &[
            fl(1234.0),
            fl(0.0001234),
            fl(1.0),
            fl(100000.0),
            fl(0.15),
            fl(2.5),
            fl(99.9),
            fl(1e-5),
        ],
        "1.23e+03|0.000123|1|100000|0.1|2|1e+02|1e-05",
    );
    pf(
        "%.3v|%10.3v|%-10v|%.2v|%5v",
        &[fl(3.14159), fl(3.14159), fl(1.5), fl(1e6), fl(1.0)],
        "3.14|      3.14|1.5       |1e+06|    1",
    );
    pf(
        "%b|%b|%b|%b|%b|%b",
        &[fl(1.0), fl(0.0), fl(-2.0), fl(5e-324), fl(0.1), fl(1e100)],
        "4503599627370496p-52|0p-1074|-4503599627370496p-51|1p-1074|7205759403792794p-56|5147557589468029p+280",
    );
    pf(
        "%x|%X|%x|%x|%x|%x|%x|%X",
        &[
            fl(1.0),
            fl(1.5),
            fl(0.0),
            fl(5e-324),
            fl(-3.75),
            fl(0.1),
            fl(1e100),
            fl(1e-300),
        ],
        "0x1p+00|0X1.8P+00|0x0p+00|0x1p-1074|-0x1.ep+01|0x1.999999999999ap-04|0x1.249ad2594c37dp+332|0X1.56E1FC2F8F359P-997",
    );
    pf(
        "%.0x|%.1x|%.2x|%.3x|%.20x|%8.1x|%-9.1x|%010.1x",
        &[
            fl(1.5),
            fl(1.03125),
            fl(1.0),
            fl(0.1),
            fl(0.1),
            fl(1.0),
            fl(1.0),
            fl(-1.0),
        ],
        "0x1p+01|0x1.0p+00|0x1.00p+00|0x1.99ap-04|0x1.999999999999a0000000p-04|0x1.0p+00|0x1.0p+00|-0x1.0p+00",
    );
    pf(
        "%#x|%#X|%#x|%#.3x|%#.1x",
        &[fl(1.0), fl(1.0), fl(0.0), fl(1.0), fl(1.5)],
        "0x1.0000p+00|0X1.P+00|0x0.0000p+00|0x1.000p+00|0x1.8p+00",
    );
    pf(
        "%#g|%#g|%#.3g|%#.3g|%#G|%#g|%#.0g",
        &[
            fl(1.0),
            fl(0.0),
            fl(100.0),
            fl(123456.0),
            fl(1e-7),
            fl(123456789.0),
            fl(3.0),
        ],
        "1.00000|0.00000|100.|1.23e+05|1.00000E-07|1.23456789e+08|3.",
    );
    pf(
        "%#.0f|%#.0e|%#e|%#f|%#.2f|%#v|%#b",
        &[
            fl(3.0),
            fl(3.0),
            fl(1.0),
            fl(1.0),
            fl(1.0),
            fl(1.0),
            fl(1.0),
        ],
        "3.|3.e+00|1.000000e+00|1.000000|1.00|1|4503599627370496p-52",
    );
    pf(
        "%.1e|%.1f|%.1f|%.0f|%.0f|%.0f",
        &[
            fl(9.95),
            fl(9.95),
            fl(0.95),
            fl(99.5),
            fl(0.49999999999999994),
            fl(1e15),
        ],
        "9.9e+00|9.9|0.9|100|0|1000000000000000",
    );
    pf(
        "%.20f|%.30e",
        &rep(fl(0.1), 2),
        "0.10000000000000000555|1.000000000000000055511151231258e-01",
    );
    pf(
        "%.3f|%.17g|%.16g|%.17g",
        &[fl(1e-10), fl(0.1), fl(0.1), fl(1.7976931348623157e308)],
        "0.000|0.10000000000000001|0.1|1.7976931348623157e+308",
    );
}

#[test]
fn printf_float_rounding() {
    pf(
        "%.2f|%.0f|%.0f|%.1f|%.0f|%.0f|%.0f|%.0f",
        &[
            fl(0.125),
            fl(2.5),
            fl(0.5),
            fl(0.05),
            fl(1.5),
            fl(3.5),
            fl(4.5),
            fl(-2.5),
        ],
        "0.12|2|0|0.1|2|4|4|-2",
    );
    pf(
        "%.1f|%.2f|%.1f|%.1f|%.2f|%.2f|%.3f",
        &[
            fl(0.25),
            fl(1.005),
            fl(0.35),
            fl(0.45),
            fl(2.675),
            fl(0.375),
            fl(1.0005),
        ],
        "0.2|1.00|0.3|0.5|2.67|0.38|1.000",
    );
    pf(
        "%.0f|%.0f|%.0f|%.1f|%.1f|%.2e|%.1e",
        &[
            fl(-0.5),
            fl(0.51),
            fl(1e-20),
            fl(0.96),
            fl(-0.04),
            fl(1.125),
            fl(1.25),
        ],
        "-0|1|0|1.0|-0.0|1.12e+00|1.2e+00",
    );
    pf(
        "%.0e|%.0e|%.0e|%.1e|%.2g|%.1g|%.1g|%.3g",
        &[
            fl(2.5),
            fl(3.5),
            fl(25.0),
            fl(1.05),
            fl(1.125),
            fl(0.25),
            fl(35.0),
            fl(1e21),
        ],
        "2e+00|4e+00|2e+01|1.1e+00|1.1|0.2|4e+01|1e+21",
    );
    pf(
        "%.6f|%.15f|%.17f|%f",
        &[fl(1.23456789), fl(0.3), fl(0.3), fl(123456789.123456789)],
        "1.234568|0.300000000000000|0.29999999999999999|123456789.123457",
    );
}

#[test]
fn printf_float_special() {
    pf(
        "%v|%f|%5.1f|%-6f|%+f|% f|%e|%g|%x|%.2f",
        &rep(fl(f64::NAN), 10),
        "NaN|NaN|  NaN|NaN   |+NaN| NaN|NaN|NaN|NaN|NaN",
    );
    pf(
        "%v|%f|%05f|%-6f|%+f|% f|%e|%g|%x|%b",
        &rep(fl(f64::INFINITY), 10),
        "+Inf|+Inf| +Inf|+Inf  |+Inf| Inf|+Inf|+Inf|+Inf|+Inf",
    );
    pf(
        "%v|%f|%06.2f|%-6f|%+f|% f|%#v|%T",
        &rep(fl(f64::NEG_INFINITY), 8),
        "-Inf|-Inf|  -Inf|-Inf  |-Inf|-Inf|-Inf|float64",
    );
    pf(
        "%d|%s|%t|%c|%q|%U|%o",
        &[
            fl(1.0),
            fl(1.5),
            fl(2.5),
            fl(3.0),
            fl(0.5),
            fl(1.0),
            fl(1.0),
        ],
        "%!d(float64=1)|%!s(float64=1.5)|%!t(float64=2.5)|%!c(float64=3)|%!q(float64=0.5)|%!U(float64=1)|%!o(float64=1)",
    );
}

#[test]
fn printf_strings() {
    pf(
        "%s|%v|%.2s|%5s|%-5s|%5.1s|%.0s|%05s|%-05s",
        &[
            s("héllo"),
            s("héllo"),
            s("héllo"),
            s("é"),
            s("é"),
            s("ab"),
            s("ab"),
            s("ab"),
            s("ab"),
        ],
        "héllo|héllo|hé|    é|é    |    a||000ab|ab   ",
    );
    pf(
        "%q|%#q|%#q|%#q|%+q|%#+q|%.3q|%8q|%-8q|%08q",
        &[
            s("x\n"),
            s("x\n"),
            s("a`b"),
            s("ab"),
            s("é"),
            s("é\n"),
            s("héllo"),
            s("ab"),
            s("ab"),
            s("ab"),
        ],
        "\"x\\n\"|\"x\\n\"|\"a`b\"|`ab`|\"\\u00e9\"|\"\\u00e9\\n\"|\"hél\"|    \"ab\"|\"ab\"    |0000\"ab\"",
    );
    pf(
        "%q",
        &[s("\u{7}\u{8}\u{c}\n\u{d}\t\u{b}\\\"'")],
        "\"\\a\\b\\f\\n\\r\\t\\v\\\\\\\"'\"",
    );
    pf(
        "%q|%q|%q|%q",
        &[
            s("\u{0}\u{1}\u{1f}"),
            s("\u{7f}"),
            s("\u{80}\u{9f}"),
            s("\u{a0}\u{ad}¡"),
        ],
        "\"\\x00\\x01\\x1f\"|\"\\x7f\"|\"\\u0080\\u009f\"|\"\\u00a0\\u00ad¡\"",
    );
    pf(
        "%q|%q|%q",
        &[
            s("\u{2028}\u{2029}\u{200b}\u{200e}\u{202e}\u{2060}\u{feff}"),
            s("\u{3000}\u{2000}\u{1680}"),
            s("\u{e000}\u{f0000}\u{10fffd}"),
        ],
        "\"\\u2028\\u2029\\u200b\\u200e\\u202e\\u2060\\ufeff\"|\"\\u3000\\u2000\\u1680\"|\"\\ue000\\U000f0000\\U0010fffd\"",
    );
    pf(
        "%q|%q|%q|%q",
        &[
            s("\u{378}\u{2ffc}\u{2ebf0}"),
            s("\u{31350}\u{1f600}"),
            s("日本語"),
            s("�"),
        ],
        "\"\\u0378\\u2ffc\\U0002ebf0\"|\"\u{31350}\u{1f600}\"|\"日本語\"|\"�\"",
    );
    pf(
        "%+q|%+q|%+q",
        &[s("日本語"), s("\u{1f600}"), s("a\u{7f}")],
        "\"\\u65e5\\u672c\\u8a9e\"|\"\\U0001f600\"|\"a\\x7f\"",
    );
    pf(
        "%#q|%#q|%#q|%#q|%#q",
        &[s("\u{2028}"), s("\u{feff}"), s("a\tb"), s("\u{7f}"), s("�")],
        "`\u{2028}`|\"\\ufeff\"|`a\tb`|\"\\x7f\"|`�`",
    );
    pf(
        "%x|%X|% x|%#x|%# x|% X|%#X|%# X",
        &rep(s("abc"), 8),
        "616263|616263|61 62 63|0x616263|0x61 0x62 0x63|61 62 63|0X616263|0X61 0X62 0X63",
    );
    pf(
        "%.1x|%8x|%-8x|%08x|%x|%#x|%5x|%-5x|%.0x|% x",
        &[
            s("abc"),
            s("ab"),
            s("ab"),
            s("ab"),
            s(""),
            s(""),
            s(""),
            s(""),
            s("ab"),
            s("é"),
        ],
        "61|    6162|6162    |00006162|||     |     ||c3 a9",
    );
    pf(
        "%10.2x|%-10.2x|% 10x|%#10x|%# 12x",
        &[s("abc"), s("abc"), s("ab"), s("ab"), s("ab")],
        "      6162|6162      |     61 62|    0x6162|   0x61 0x62",
    );
    pf("%s|%q|%x|%v|%T|%#v", &rep(s(""), 6), "|\"\"|||string|\"\"");
    pf(
        "%v|%#v|%+v|%T",
        &rep(s("a\"b"), 4),
        "a\"b|\"a\\\"b\"|a\"b|string",
    );
    pf(
        "%t|%5t|%-6t|%v|%#v|%T|%05t",
        &[
            Value::Bool(true),
            Value::Bool(false),
            Value::Bool(true),
            Value::Bool(false),
            Value::Bool(true),
            Value::Bool(true),
            Value::Bool(true),
        ],
        "true|false|true  |false|true|bool|0true",
    );
}

#[test]
fn printf_bytes() {
    pf(
        "%s|%v|%d|%x|%X|%q|%#v|%T",
        &rep(bytes(b"ab"), 8),
        "ab|[97 98]|[97 98]|6162|6162|\"ab\"|[]byte{0x61, 0x62}|[]uint8",
    );
    pf(
        "%o|%c|%U|%f|%5d|%-4v|%08b|%t",
        &rep(bytes(b"ab"), 8),
        "[141 142]|[a b]|[U+0061 U+0062]|[%!f(uint8=97) %!f(uint8=98)]|[   97    98]|[97   98  ]|[01100001 01100010]|[%!t(uint8=97) %!t(uint8=98)]",
    );
    pf(
        "% x|%#x|%# X|%5s|%.1s|%-5q|%#q|%+q|%.1x|%6x",
        &rep(bytes(b"ab"), 10),
        "61 62|0x6162|0X61 0X62|   ab|a|\"ab\" |`ab`|\"ab\"|61|  6162",
    );
    pf(
        "%v|%s|%x|%q|%#v|%d|%5x",
        &rep(bytes(b""), 7),
        "[]|||\"\"|[]byte{}|[]|     ",
    );
    pf(
        "%v|%x|%q|%#q|%+q|%d",
        &rep(bytes(b"hi\x00\xff\xe2\x82\xac\"x"), 6),
        "[104 105 0 255 226 130 172 34 120]|686900ffe282ac2278|\"hi\\x00\\xff€\\\"x\"|\"hi\\x00\\xff€\\\"x\"|\"hi\\x00\\xff\\u20ac\\\"x\"|[104 105 0 255 226 130 172 34 120]",
    );
    pf(
        "%s|%x|%q|%d|%v|%#v|%c",
        &[
            Value::list(vec![bytes(b"ab"), s("c")]),
            Value::list(vec![bytes(b"ab"), s("c")]),
            Value::list(vec![bytes(b"ab")]),
            Value::list(vec![bytes(b"ab")]),
            Value::list(vec![bytes(b"ab")]),
            Value::list(vec![bytes(b"ab")]),
            Value::list(vec![bytes(b"ab")]),
        ],
        "[ab c]|[6162 63]|[\"ab\"]|[[97 98]]|[[97 98]]|[]interface {}{[]uint8{0x61, 0x62}}|[[a b]]",
    );
    pf(
        "%v|%#v|%s",
        &rep(dict(&[("k", bytes(b"ab"))]), 3),
        "map[k:[97 98]]|map[string]interface {}{\"k\":[]uint8{0x61, 0x62}}|map[k:ab]",
    );
}

#[test]
fn printf_lists() {
    pf(
        "%v|%+v|%#v|%T",
        &rep(values_list(), 4),
        "[1 a true]|[1 a true]|[]interface {}{1, \"a\", true}|[]interface {}",
    );
    pf(
        "%d|%s|%x|%q",
        &rep(values_list(), 4),
        "[%!d(float64=1) %!d(string=a) %!d(bool=true)]|[%!s(float64=1) a %!s(bool=true)]|[0x1p+00 61 %!x(bool=true)]|[%!q(float64=1) \"a\" %!q(bool=true)]",
    );
    pf(
        "%5v|%-5d|%05d|%.1f|%6.2v",
        &rep(values_list(), 5),
        "[    1     a  true]|[%!d(float64=1    ) %!d(string=a    ) %!d(bool=true )]|[%!d(float64=00001) %!d(string=0000a) %!d(bool=0true)]|[1.0 %!f(string=a) %!f(bool=true)]|[     1      a   true]",
    );
    pf(
        "%v|%s|%q|%x|%X|%#v|%T|% x|%#x",
        &rep(values_strs(), 9),
        "[a b]|[a b]|[\"a\" \"b\"]|[61 62]|[61 62]|[]interface {}{\"a\", \"b\"}|[]interface {}|[61 62]|[0x61 0x62]",
    );
    pf(
        "%v|%q|%#v|%T|%x|%s",
        &rep(strs(&["a", "b"]), 6),
        "[a b]|[\"a\" \"b\"]|[]string{\"a\", \"b\"}|[]string|[61 62]|[a b]",
    );
    pf(
        "%v|%x|%d|%#v|%T|%c|%q|%U|%03d|%s",
        &[
            ints(3),
            ints(12),
            ints(3),
            ints(3),
            ints(3),
            ints(3),
            ints(3),
            ints(3),
            ints(3),
            ints(3),
        ],
        "[0 1 2]|[0 1 2 3 4 5 6 7 8 9 a b]|[0 1 2]|[]int{0, 1, 2}|[]int|[\u{0} \u{1} \u{2}]|['\\x00' '\\x01' '\\x02']|[U+0000 U+0001 U+0002]|[000 001 002]|[%!s(int=0) %!s(int=1) %!s(int=2)]",
    );
    pf(
        "%v|%+v|%#v|%s|%d|%T",
        &rep(Value::list(vec![]), 6),
        "[]|[]|[]interface {}{}|[]|[]|[]interface {}",
    );
    pf(
        "%v|%#v|%d|%s|%q|%x",
        &rep(Value::list(vec![Value::Int(1), Value::Nil, s("a")]), 6),
        "[1 <nil> a]|[]interface {}{1, interface {}(nil), \"a\"}|[1 <nil> %!d(string=a)]|[%!s(int=1) <nil> a]|['\\x01' <nil> \"a\"]|[1 <nil> 61]",
    );
    pf(
        "%v|%#v|%d|%x",
        &rep(
            Value::list(vec![
                Value::list(vec![Value::Int(1), Value::Int(2)]),
                Value::list(vec![]),
                dict(&[("a", Value::list(vec![Value::Int(3)]))]),
            ]),
            4,
        ),
        "[[1 2] [] map[a:[3]]]|[]interface {}{[]interface {}{1, 2}, []interface {}{}, map[string]interface {}{\"a\":[]interface {}{3}}}|[[1 2] [] map[%!d(string=a):[3]]]|[[1 2] [] map[61:[3]]]",
    );
    pf(
        "%v|%#v|%e|%g|%.1f",
        &[
            Value::list(vec![
                fl(1.5),
                fl(1e6),
                Value::Int64(2),
                Value::Uint8(97),
                Value::Bool(true),
            ]),
            Value::list(vec![
                fl(1.5),
                fl(1e6),
                Value::Int64(2),
                Value::Uint8(97),
                Value::Bool(true),
            ]),
            Value::list(vec![fl(1.5), fl(1e6)]),
            Value::list(vec![fl(1.5), fl(1e6)]),
            Value::list(vec![fl(1.5), fl(1e6)]),
        ],
        "[1.5 1e+06 2 97 true]|[]interface {}{1.5, 1e+06, 2, 0x61, true}|[1.500000e+00 1.000000e+06]|[1.5 1e+06]|[1.5 1000000.0]",
    );
}

#[test]
fn printf_maps() {
    pf(
        "%v|%+v|%#v|%T",
        &rep(values_map(), 4),
        "map[a:1 b:x c:[1 2] d:<nil>]|map[a:1 b:x c:[1 2] d:<nil>]|map[string]interface {}{\"a\":1, \"b\":\"x\", \"c\":[]interface {}{1, 2}, \"d\":interface {}(nil)}|map[string]interface {}",
    );
    pf(
        "%d|%s|%x",
        &rep(values_map(), 3),
        "map[%!d(string=a):%!d(float64=1) %!d(string=b):%!d(string=x) %!d(string=c):[%!d(float64=1) %!d(float64=2)] %!d(string=d):<nil>]|map[a:%!s(float64=1) b:x c:[%!s(float64=1) %!s(float64=2)] d:<nil>]|map[61:0x1p+00 62:78 63:[0x1p+00 0x1p+01] 64:<nil>]",
    );
    pf(
        "%q",
        &[values_map()],
        "map[\"a\":%!q(float64=1) \"b\":\"x\" \"c\":[%!q(float64=1) %!q(float64=2)] \"d\":<nil>]",
    );
    pf(
        "%v|%#v|%s|%q|%T",
        &rep(dict(&[]), 5),
        "map[]|map[string]interface {}{}|map[]|map[]|map[string]interface {}",
    );
    pf(
        "%v|%#v|%5v|%-3v|%x",
        &[
            dict(&[
                ("b", Value::Int(2)),
                ("a", s("x")),
                ("B", Value::Nil),
                ("", Value::Bool(true)),
            ]),
            dict(&[
                ("b", Value::Int(2)),
                ("a", s("x")),
                ("B", Value::Nil),
                ("", Value::Bool(true)),
            ]),
            dict(&[("b", Value::Int(2)), ("a", s("x"))]),
            dict(&[("b", Value::Int(2)), ("a", s("x"))]),
            dict(&[("b", Value::Int(2)), ("a", s("x"))]),
        ],
        "map[:true B:<nil> a:x b:2]|map[string]interface {}{\"\":true, \"B\":interface {}(nil), \"a\":\"x\", \"b\":2}|map[    a:    x     b:    2]|map[a  :x   b  :2  ]|map[61:78 62:2]",
    );
    pf(
        "%v|%#v",
        &rep(
            dict(&[(
                "k",
                dict(&[("n", Value::list(vec![Value::Int(1), dict(&[])]))]),
            )]),
            2,
        ),
        "map[k:map[n:[1 map[]]]]|map[string]interface {}{\"k\":map[string]interface {}{\"n\":[]interface {}{1, map[string]interface {}{}}}}",
    );
}

#[test]
fn printf_nil() {
    pf(
        "%v|%+v|%#v|%T|%s|%d|%q|%x|%t|%p",
        &rep(Value::Nil, 10),
        "<nil>|<nil>|<nil>|<nil>|%!s(<nil>)|%!d(<nil>)|%!q(<nil>)|%!x(<nil>)|%!t(<nil>)|%!p(<nil>)",
    );
    pf(
        "%6v|%-6v|%06v|%.2v|%6T|%.2T|%6d|%-7s",
        &rep(Value::Nil, 8),
        " <nil>|<nil> |0<nil>|<nil>| <nil>|<nil>|%!d(<nil>)|%!s(<nil>)",
    );
    pf(
        "%v|%s|%d",
        &rep(Value::Nil, 3),
        "<nil>|%!s(<nil>)|%!d(<nil>)",
    );
    pf(
        "%T|%T|%T|%T|%T|%T|%T|%T|%T",
        &[
            Value::Int(1),
            fl(1.5),
            s("a"),
            Value::Bool(true),
            Value::Int64(1),
            Value::Uint8(97),
            bytes(b"ab"),
            values_list(),
            values_map(),
        ],
        "int|float64|string|bool|int64|uint8|[]uint8|[]interface {}|map[string]interface {}",
    );
    pf(
        "%.2T|%6T|%-6T|%T",
        &[Value::Int(1), Value::Int(1), Value::Int(1), ints(2)],
        "in|   int|int   |[]int",
    );
}

#[test]
fn printf_bad_verbs() {
    pf(
        "%d|%s|%t|%c|%z|%!|%é",
        &[
            s("x"),
            Value::Int(5),
            s("x"),
            s("x"),
            Value::Int(1),
            Value::Int(2),
            Value::Int(3),
        ],
        "%!d(string=x)|%!s(int=5)|%!t(string=x)|%!c(string=x)|%!z(int=1)|%!!(int=2)|%!é(int=3)",
    );
    pf(
        "%10d|%-10d|%+q|%+d|%#d|% d|%.1s",
        &[s("a"), s("a"), fl(1.5), s("a"), s("b"), s("c"), fl(1.25)],
        "%!d(string=         a)|%!d(string=a         )|%!q(float64=+1.5)|%!d(string=a)|%!d(string=b)|%!d(string=c)|%!s(float64=1)",
    );
    pf(
        "%p|%p|%p|%p|%p",
        &[
            Value::Int(1),
            s("a"),
            Value::Nil,
            Value::Bool(true),
            fl(1.5),
        ],
        "%!p(int=1)|%!p(string=a)|%!p(<nil>)|%!p(bool=true)|%!p(float64=1.5)",
    );
    pf(
        "%w|%w|%w|%d %w",
        &[
            Value::list(vec![Value::Int(1), Value::Int(2)]),
            Value::Nil,
            s("a"),
            Value::Int(1),
            Value::Int(2),
        ],
        "%!w([]interface {}=[1 2])|%!w(<nil>)|%!w(string=a)|1 %!w(int=2)",
    );
    pf(
        "%s|%d|%x",
        &[
            Value::list(vec![Value::Bool(true), fl(1.5)]),
            Value::list(vec![s("a"), Value::Bool(true)]),
            Value::list(vec![Value::Bool(true)]),
        ],
        "[%!s(bool=true) %!s(float64=1.5)]|[%!d(string=a) %!d(bool=true)]|[%!x(bool=true)]",
    );
    pf(
        "%5.|%z",
        &[Value::Int(1), Value::Int(2)],
        "%!|(int=    1)%!z(int=2)",
    );
    pf(
        "%+w|% +w|%#w|%# w",
        &[Value::Int(1), Value::Int(1), fl(2.5), Value::Uint8(98)],
        "%!w(int=1)|%!w(int= 1)|%!w(float64=2.5)|%!w(uint8= 0x62)",
    );
    pf(
        "%w|%#w|% w",
        &rep(bytes(b"ab"), 3),
        "[%!w(uint8=97) %!w(uint8=98)]|[]uint8{%!w(uint8=0x61), %!w(uint8=0x62)}|[%!w(uint8= 97) %!w(uint8= 98)]",
    );
    pf(
        "%w|%+w",
        &[
            dict(&[("k", Value::Int(1))]),
            Value::list(vec![Value::Int(1), s("a")]),
        ],
        "%!w(map[string]interface {}=map[k:1])|%!w([]interface {}=[1 a])",
    );
    pf(
        "%#q|%#*q|%+e",
        &[fl(2.5), Value::Bool(true), fl(2.5), s("x")],
        "%!q(float64=2.50000)|%!(BADWIDTH)%!q(float64=2.50000)|%!e(string=x)",
    );
    pf(
        "%#x|%#o|% d|%+s",
        &[
            s("ab"),
            fl(2.5),
            Value::list(vec![s("a")]),
            Value::list(vec![Value::Int(1)]),
        ],
        "0x6162|%!o(float64=2.50000)|[%!d(string=a)]|[%!s(int=+1)]",
    );
    pf(
        "%v|%.60#v",
        &[Value::Int(1), Value::list(vec![s("a")])],
        "1|[%!#(string=a)]v",
    );
}

#[test]
fn printf_arguments() {
    pf("%d %d", &[Value::Int(1)], "1 %!d(MISSING)");
    pf("%d", &[], "%!d(MISSING)");
    pf("%s %d|%v", &[s("a")], "a %!d(MISSING)|%!v(MISSING)");
    pf(
        "%d %d",
        &[
            Value::Int(1),
            Value::Int(2),
            Value::Int(3),
            s("a"),
            Value::Nil,
        ],
        "1 2%!(EXTRA int=3, string=a, <nil>)",
    );
    pf("x", &[Value::Int(1)], "x%!(EXTRA int=1)");
    pf(
        "%d",
        &[
            Value::Int(1),
            Value::list(vec![Value::Int(1)]),
            bytes(b"ab"),
            fl(1.5),
        ],
        "1%!(EXTRA []interface {}=[1], []uint8=[97 98], float64=1.5)",
    );
    pf("%[2]d %[1]d", &[Value::Int(1), Value::Int(2)], "2 1");
    pf(
        "%[2]d %d %[1]d",
        &[Value::Int(1), Value::Int(2), Value::Int(3)],
        "2 3 1",
    );
    pf(
        "%[3]*.[2]*[1]f",
        &[fl(12.0), Value::Int(2), Value::Int(6)],
        " 12.00",
    );
    pf(
        "%[1]d %[1]x %[1]o|%d",
        &[Value::Int(10), Value::Int(20)],
        "10 a 12|20",
    );
    pf(
        "%[5]d|%[0]d|%[x]d|%[1]d",
        &[Value::Int(1), Value::Int(2)],
        "%!d(BADINDEX)|%!d(BADINDEX)|%!d(BADINDEX)|1",
    );
    pf(
        "%[2d|%d",
        &[Value::Int(1), Value::Int(2)],
        "%!d(BADINDEX)|1",
    );
    pf(
        "%[2]2d|%[2].2d|%[2]*d",
        &[Value::Int(1), Value::Int(2), Value::Int(3)],
        "%!d(BADINDEX)|%!d(BADINDEX)| 3",
    );
    pf(
        "%*d|%-*d|%*d|%.*f|%.*f|%*.*f",
        &[
            Value::Int(5),
            Value::Int(1),
            Value::Int(5),
            Value::Int(1),
            Value::Int(-5),
            Value::Int(1),
            Value::Int(2),
            fl(3.14159),
            Value::Int(-1),
            fl(3.14159),
            Value::Int(8),
            Value::Int(3),
            fl(3.14159),
        ],
        "    1|1    |1    |3.14|%!(BADPREC)3.141590|   3.142",
    );
    pf(
        "%*d|%*d|%.*d|%*d",
        &[
            s("x"),
            Value::Int(4),
            fl(1.0),
            Value::Int(5),
            Value::Nil,
            Value::Int(6),
            Value::Int64(3),
            Value::Int(7),
        ],
        "%!(BADWIDTH)4|%!(BADWIDTH)5|%!(BADPREC)6|  7",
    );
    pf(
        "%*d|%*d",
        &[
            Value::Int(10000000),
            Value::Int(1),
            Value::Uint8(97),
            Value::Int(2),
        ],
        "%!(BADWIDTH)1|                                                                                                2",
    );
    pf(
        "%.*s|%.*d|%*.*s",
        &[
            Value::Uint8(97),
            s("x"),
            Value::Int(2),
            Value::Int(7),
            Value::Int(4),
            Value::Int(2),
            s("abcdef"),
        ],
        "x|07|  ab",
    );
    pf("%%|%5%|%-5%|%d%%|%[3]%", &[Value::Int(50)], "%|%|%|50%|%");
    pf(
        "%|%-|%5|%.3",
        &[Value::Int(1)],
        "%!|(int=1)%!|(MISSING)%!|(MISSING)%!(NOVERB)",
    );
    pf("%", &[], "%!(NOVERB)");
    pf(
        "%d %!(NOVERB) %",
        &[Value::Int(1)],
        "1 %!!(MISSING)(NOVERB) %!(NOVERB)",
    );
    pf(
        "%.d|%.f|%.e|%.s|%5.d",
        &[Value::Int(0), fl(2.5), fl(2.5), s("ab"), Value::Int(0)],
        "|2|2e+00||     ",
    );
    pf("%[1]*d", &[Value::Int(3)], "%!d(MISSING)");
    pf("%-[1]*d|", &[Value::Int(3)], "%!d(MISSING)|");
    pf(
        "%99999999d|%.99999999d",
        &[Value::Int(1), Value::Int(2)],
        "%!(NOVERB)%!(EXTRA int=1, int=2)",
    );
}

#[test]
fn sprint_and_println() {
    assert_eq!(
        sprint(&[
            s("a"),
            Value::Int(1),
            Value::Int(2),
            s("b"),
            s("c"),
            fl(3.0),
            Value::Nil
        ]),
        "a1 2bc3 <nil>"
    );
    assert_eq!(
        sprint(&[Value::Int(1), Value::Int(2), Value::Int(3)]),
        "1 2 3"
    );
    assert_eq!(sprint(&[s("a"), s("b"), s("c")]), "abc");
    assert_eq!(sprint(&[Value::Int(1), s("a"), Value::Int(2)]), "1a2");
    assert_eq!(sprint(&rep(Value::Nil, 2)), "<nil> <nil>");
    assert_eq!(
        sprint(&[values_list(), values_map(), bytes(b"ab")]),
        "[1 a true] map[a:1 b:x c:[1 2] d:<nil>] [97 98]"
    );
    assert_eq!(
        sprint(&[Value::list(vec![s("a"), s("b")]), Value::list(vec![s("c")])]),
        "[a b] [c]"
    );
    assert_eq!(
        sprint(&[
            fl(1.5),
            Value::Bool(true),
            s("x"),
            Value::Bool(false),
            fl(1e6)
        ]),
        "1.5 truexfalse 1e+06"
    );
    assert_eq!(sprint(&[]), "");
    assert_eq!(sprintln(&[s("a"), Value::Int(1)]), "a 1\n");
    assert_eq!(
        sprintln(&[s("a"), s("b"), Value::Nil, fl(1.5)]),
        "a b <nil> 1.5\n"
    );
    assert_eq!(sprintln(&[]), "\n");
    assert_eq!(
        sprintln(&[values_map(), Value::list(vec![])]),
        "map[a:1 b:x c:[1 2] d:<nil>] []\n"
    );
}

// ----- the public helpers -----
//
// Expectations below are Go facts as well: `format_float` is what the `%e %f %g %v %b %x`
// verbs above print (and `encoding/json`'s shortest `f`/`e` forms, as Helm's `toJson` shows),
// the quoting functions what `%q`, `%+q` and `%#q` print.

#[test]
fn format_float_shortest() {
    assert_eq!(format_float(1e6, 'g', -1), "1e+06");
    assert_eq!(format_float(100000.0, 'g', -1), "100000");
    assert_eq!(format_float(999999.0, 'g', -1), "999999");
    assert_eq!(format_float(123456.7, 'g', -1), "123456.7");
    assert_eq!(format_float(1.25e6, 'g', -1), "1.25e+06");
    assert_eq!(format_float(1234567.8, 'g', -1), "1.2345678e+06");
    assert_eq!(format_float(12345678901.0, 'g', -1), "1.2345678901e+10");
    assert_eq!(format_float(0.0001, 'g', -1), "0.0001");
    assert_eq!(format_float(0.000123, 'g', -1), "0.000123");
    assert_eq!(format_float(0.00001, 'g', -1), "1e-05");
    assert_eq!(format_float(0.0000123, 'g', -1), "1.23e-05");
    assert_eq!(format_float(1e21, 'g', -1), "1e+21");
    assert_eq!(format_float(5e-324, 'g', -1), "5e-324");
    assert_eq!(format_float(f64::MAX, 'g', -1), "1.7976931348623157e+308");
    assert_eq!(format_float(-0.0, 'g', -1), "-0");
    assert_eq!(format_float(1.0, 'g', -1), "1");
    assert_eq!(format_float(0.1, 'g', -1), "0.1");
    assert_eq!(format_float(1e-7, 'G', -1), "1E-07");
    assert_eq!(format_float(123456.789, 'f', -1), "123456.789");
    assert_eq!(format_float(0.000001, 'f', -1), "0.000001");
    assert_eq!(format_float(100.0, 'f', -1), "100");
    assert_eq!(format_float(1e21, 'e', -1), "1e+21");
    assert_eq!(format_float(1.5e300, 'e', -1), "1.5e+300");
}

#[test]
fn format_float_fixed_precision() {
    assert_eq!(format_float(0.125, 'f', 2), "0.12");
    assert_eq!(format_float(2.5, 'f', 0), "2");
    assert_eq!(format_float(0.5, 'f', 0), "0");
    assert_eq!(format_float(1.5, 'f', 0), "2");
    assert_eq!(format_float(0.05, 'f', 1), "0.1");
    assert_eq!(format_float(1.005, 'f', 2), "1.00");
    assert_eq!(format_float(-0.5, 'f', 0), "-0");
    assert_eq!(format_float(3.14159, 'f', 6), "3.141590");
    assert_eq!(format_float(1e21, 'f', 6), "1000000000000000000000.000000");
    assert_eq!(format_float(0.1, 'f', 20), "0.10000000000000000555");
    assert_eq!(format_float(123456.789, 'e', 6), "1.234568e+05");
    assert_eq!(format_float(123456.789, 'E', 2), "1.23E+05");
    assert_eq!(format_float(0.0, 'e', 6), "0.000000e+00");
    assert_eq!(format_float(5e-324, 'e', 6), "4.940656e-324");
    assert_eq!(format_float(2.5, 'e', 0), "2e+00");
    assert_eq!(format_float(1234.0, 'g', 3), "1.23e+03");
    assert_eq!(format_float(0.0001234, 'g', 3), "0.000123");
    assert_eq!(format_float(100000.0, 'g', 10), "100000");
    assert_eq!(format_float(2.5, 'g', 0), "2");
    assert_eq!(format_float(0.1, 'g', 17), "0.10000000000000001");
}

#[test]
fn format_float_binary_hex_and_special() {
    assert_eq!(format_float(1.0, 'b', -1), "4503599627370496p-52");
    assert_eq!(format_float(0.0, 'b', -1), "0p-1074");
    assert_eq!(format_float(1e100, 'b', -1), "5147557589468029p+280");
    assert_eq!(format_float(1.0, 'x', -1), "0x1p+00");
    assert_eq!(format_float(1.5, 'X', -1), "0X1.8P+00");
    assert_eq!(format_float(-3.75, 'x', -1), "-0x1.ep+01");
    assert_eq!(format_float(5e-324, 'x', -1), "0x1p-1074");
    assert_eq!(format_float(0.1, 'x', 3), "0x1.99ap-04");
    assert_eq!(format_float(1.5, 'x', 0), "0x1p+01");
    assert_eq!(format_float(f64::NAN, 'g', -1), "NaN");
    assert_eq!(format_float(f64::INFINITY, 'f', 2), "+Inf");
    assert_eq!(format_float(f64::NEG_INFINITY, 'e', -1), "-Inf");
}

#[test]
fn quoting() {
    assert_eq!(quote("a\tb"), "\"a\\tb\"");
    assert_eq!(
        quote("\u{7}\u{8}\u{c}\n\r\t\u{b}\\\"'"),
        "\"\\a\\b\\f\\n\\r\\t\\v\\\\\\\"'\""
    );
    assert_eq!(quote("\u{0}\u{1f}\u{7f}"), "\"\\x00\\x1f\\x7f\"");
    assert_eq!(quote("\u{80}\u{a0}\u{ad}¡"), "\"\\u0080\\u00a0\\u00ad¡\"");
    assert_eq!(
        quote("\u{2028}\u{200b}\u{feff}\u{3000}"),
        "\"\\u2028\\u200b\\ufeff\\u3000\""
    );
    assert_eq!(quote("\u{e000}\u{f0000}"), "\"\\ue000\\U000f0000\"");
    assert_eq!(quote("日本語 \u{1f600} é"), "\"日本語 \u{1f600} é\"");
    assert_eq!(quote_ascii("日本語"), "\"\\u65e5\\u672c\\u8a9e\"");
    assert_eq!(quote_ascii("\u{1f600}é\n"), "\"\\U0001f600\\u00e9\\n\"");
    assert_eq!(quote_rune('a'), "'a'");
    assert_eq!(quote_rune('\''), "'\\''");
    assert_eq!(quote_rune('"'), "'\"'");
    assert_eq!(quote_rune('\n'), "'\\n'");
    assert_eq!(quote_rune('é'), "'é'");
    assert_eq!(quote_rune('\u{ad}'), "'\\u00ad'");
    assert_eq!(quote_rune_ascii('é'), "'\\u00e9'");
    assert_eq!(quote_rune_ascii('\u{1f600}'), "'\\U0001f600'");
    assert!(can_backquote("a\tb"));
    assert!(can_backquote("\u{2028}"));
    assert!(can_backquote("\u{fffd}"));
    assert!(!can_backquote("a`b"));
    assert!(!can_backquote("x\n"));
    assert!(!can_backquote("\u{7f}"));
    assert!(!can_backquote("\u{feff}"));
}

#[test]
fn printability() {
    for c in [
        ' ',
        'a',
        '~',
        '¡',
        'é',
        'ÿ',
        '日',
        '\u{1f600}',
        '\u{31350}',
        '\u{fffd}',
    ] {
        assert!(is_print(c), "{c:?}");
    }
    for c in [
        '\0',
        '\n',
        '\u{7f}',
        '\u{85}',
        '\u{a0}',
        '\u{ad}',
        '\u{378}',
        '\u{2000}',
        '\u{200b}',
        '\u{2028}',
        '\u{2029}',
        '\u{202e}',
        '\u{2060}',
        '\u{2ffc}',
        '\u{3000}',
        '\u{e000}',
        '\u{feff}',
        '\u{2ebf0}',
        '\u{10fffd}',
    ] {
        assert!(!is_print(c), "{c:?}");
    }
}

#[test]
fn values_and_types() {
    assert_eq!(format_value(&fl(1e6)), "1e+06");
    assert_eq!(format_value(&values_map()), "map[a:1 b:x c:[1 2] d:<nil>]");
    assert_eq!(
        format_value(&Value::list(vec![
            s("a"),
            dict(&[("k", Value::list(vec![Value::Int(1)]))])
        ])),
        "[a map[k:[1]]]"
    );
    assert_eq!(format_value(&bytes(b"x: 1")), "[120 58 32 49]");
    assert_eq!(format_value(&Value::Nil), "<nil>");
    assert_eq!(format_value(&Value::Uint8(97)), "97");
    assert_eq!(type_name(&Value::Nil), "<nil>");
    assert_eq!(type_name(&values_list()), "[]interface {}");
    assert_eq!(type_name(&fl(1.0)), "float64");
    // Go's invalid reflect.Value prints like nil here (the executor prints `<no value>` itself).
    assert_eq!(format_value(&Value::Missing), "<nil>");
    assert_eq!(sprint(&[Value::Missing, Value::Int(1)]), "<nil> 1");
    assert_eq!(
        sprintf(
            "%v|%d|%T",
            &[Value::Missing, Value::Missing, Value::Missing]
        ),
        "<nil>|%!d(<nil>)|<nil>"
    );
    assert_eq!(
        sprintf("%d", &[Value::Int(1), Value::Missing]),
        "1%!(EXTRA <nil>)"
    );
}

/// Helm's `.Capabilities.APIVersions`: a `common.VersionSet`, a `[]string` with methods.
struct VersionSet(Vec<&'static str>);

impl Object for VersionSet {
    fn type_name(&self) -> &str {
        "common.VersionSet"
    }
    fn kind_name(&self) -> &'static str {
        "slice"
    }
    fn format(&self, _plus: bool) -> String {
        format!("[{}]", self.0.join(" "))
    }
    fn as_list(&self) -> Option<List> {
        Some(List::typed(
            ElemType::String,
            self.0.iter().map(|v| s(v)).collect(),
        ))
    }
}

/// Helm's `.Capabilities.KubeVersion`: a struct of strings.
struct KubeVersion;

impl Object for KubeVersion {
    fn type_name(&self) -> &str {
        "common.KubeVersion"
    }
    fn kind_name(&self) -> &'static str {
        "struct"
    }
    fn format(&self, _plus: bool) -> String {
        "{v1.35.0 v1.35.0 1 35}".into()
    }
}

#[test]
fn host_objects() {
    let set = Value::Object(Arc::new(VersionSet(vec!["v1", "apps/v1"])));
    pf("%T", std::slice::from_ref(&set), "common.VersionSet");
    pf("%v", std::slice::from_ref(&set), "[v1 apps/v1]");
    pf("%q", std::slice::from_ref(&set), "[\"v1\" \"apps/v1\"]");
    pf(
        "%#v",
        std::slice::from_ref(&set),
        "common.VersionSet{\"v1\", \"apps/v1\"}",
    );
    assert_eq!(
        sprint(&[set.clone(), s("x"), set]),
        "[v1 apps/v1]x[v1 apps/v1]"
    );
    let kube = Value::Object(Arc::new(KubeVersion));
    pf(
        "%T|%v|%s",
        &[kube.clone(), kube.clone(), kube],
        "common.KubeVersion|{v1.35.0 v1.35.0 1 35}|{v1.35.0 v1.35.0 1 35}",
    );
}
