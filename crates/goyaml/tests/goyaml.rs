//! goyaml's own tests: limits, positions, multi-document loading, and the encode/decode round
//! trip (proptest). The Helm-backed corpus lives in `crates/sprig/tests/it/serialize.rs`.

use goyaml::{ErrorStage, NodeValue, Yaml};
use proptest::prelude::*;

/// Runs `f` on a thread with a normal 2 MiB stack (like a test thread or a worker).
fn on_small_stack<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> R {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("no panic")
}

#[test]
fn alias_bomb_is_rejected() {
    // 10^4 expanded nodes from 4 levels of 10x aliases: go-yaml rejects this.
    let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for (name, prev) in [("b", "a"), ("c", "b"), ("d", "c")] {
        let refs = vec![format!("*{prev}"); 10].join(", ");
        text.push_str(&format!("{name}: &{name} [{refs}]\n"));
    }
    let err = goyaml::load(&text, 0).unwrap_err();
    assert_eq!(err.message, "yaml: document contains excessive aliasing");
    // Three levels (10^3) are accepted.
    let three: String = text.lines().take(3).map(|l| format!("{l}\n")).collect();
    assert!(goyaml::load(&three, 0).is_ok());
}

#[test]
fn billion_laughs_fails_fast() {
    let mut text = String::from("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for w in names.windows(2) {
        let refs = vec![format!("*{}", w[0]); 9].join(", ");
        text.push_str(&format!("{}: &{} [{refs}]\n", w[1], w[1]));
    }
    let start = std::time::Instant::now();
    assert!(goyaml::load(&text, 0).is_err());
    assert!(start.elapsed().as_secs() < 10);
}

#[test]
fn deep_flow_nesting_is_an_error_not_a_crash() {
    let err = on_small_stack(|| {
        let text = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        goyaml::load(&text, 0).unwrap_err()
    });
    assert_eq!(err.message, "yaml: exceeded max depth of 10000");
}

#[test]
fn deep_block_nesting_is_an_error_not_a_crash() {
    let err = on_small_stack(|| {
        let text = format!("{}1\n", "- ".repeat(100_000));
        goyaml::load(&text, 0).unwrap_err()
    });
    assert!(err.message.contains("exceeded max depth of 10000"), "{err}");
}

#[test]
fn nesting_within_the_limits_loads_and_encodes_on_a_small_stack() {
    on_small_stack(|| {
        let text = format!("{}{}", "[".repeat(9_999), "]".repeat(9_999));
        let node = goyaml::load(&text, 0).expect("within limits");
        let y = node.to_yaml();
        let out = goyaml::to_yaml(&y).expect("encodes");
        assert!(out.starts_with("- - - "));
    });
}

#[test]
fn json_depth_limit_matches_go() {
    // YAML accepts 10000 flow levels, but Go's JSON decoder then fails on the whole document.
    let text = format!("x: {}{}", "[".repeat(10_000), "]".repeat(10_000));
    let err = on_small_stack(move || goyaml::load(&text, 0).unwrap_err());
    assert_eq!(err.stage, ErrorStage::JsonDecode);
    assert_eq!(
        err.helm_message(),
        "error unmarshaling JSON: while decoding JSON: invalid character '[' exceeded max depth"
    );
}

#[test]
fn recursive_alias_is_an_error() {
    let err = goyaml::load("a: &x [*x]", 0).unwrap_err();
    assert_eq!(err.message, "yaml: anchor 'x' value contains itself");
    let err = goyaml::load("a: *nope", 0).unwrap_err();
    assert_eq!(err.message, "yaml: unknown anchor 'nope' referenced");
}

#[test]
fn parse_errors_use_go_yaml_text() {
    let msg = |t: &str| goyaml::load(t, 0).unwrap_err().helm_message();
    assert_eq!(
        msg("line1\na: b"),
        "error converting YAML to JSON: yaml: line 2: mapping values are not allowed in this context"
    );
    assert_eq!(
        msg("a: 1\nb: 2\nd: [\ne: 4"),
        "error converting YAML to JSON: yaml: line 4: did not find expected ',' or ']'"
    );
    assert_eq!(
        msg("a: .inf"),
        "error converting YAML to JSON: json: unsupported value: +Inf"
    );
}

#[test]
fn positions_are_kept() {
    let node = goyaml::load("a: 1\nb:\n  c: [x, &k yy]\nd: *k\n", 7).unwrap();
    let NodeValue::Map(entries) = &node.value else {
        panic!("map")
    };
    let (b_key, b) = &entries[1];
    assert_eq!(
        (b_key.pos.file, b_key.pos.line, b_key.pos.column),
        (7, 2, 1)
    );
    let NodeValue::Map(inner) = &b.value else {
        panic!("map")
    };
    let NodeValue::Seq(items) = &inner[0].1.value else {
        panic!("seq")
    };
    assert_eq!((items[1].pos.line, items[1].pos.column), (3, 10));
    // The alias resolves to the anchored node and keeps its position.
    let (_, d) = &entries[2];
    assert_eq!(d.value, NodeValue::String("yy".into()));
    assert_eq!((d.pos.line, d.pos.column), (3, 10));
}

#[test]
fn every_document_is_loaded() {
    let docs = goyaml::load_all("a: 1\n---\nb: yes\n---\n", 0).unwrap();
    assert_eq!(docs.len(), 3);
    assert_eq!(
        docs[1].to_yaml(),
        Yaml::Map(vec![("b".into(), Yaml::Bool(true))])
    );
    assert_eq!(docs[2].to_yaml(), Yaml::Null);
    // load reads only the first document, even when a later one is broken.
    assert!(goyaml::load("a: 1\n---\nb: [", 0).is_ok());
    assert!(goyaml::load_all("", 0).unwrap().is_empty());
}

#[test]
fn helm_load_semantics() {
    let y = goyaml::load_value(
        "y: 1\nx: 0777\nbig: 12345678901234567890\nk: {1e3: a, 0x10: b, 2.5: c}\nm:\n  <<: {p: 1, q: 2}\n  q: 3\nt: 2001-12-14\n",
    )
    .unwrap();
    let get = |k: &str| match &y {
        Yaml::Map(e) => e.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()),
        _ => None,
    };
    assert_eq!(get("true"), Some(Yaml::Float(1.0)));
    assert_eq!(get("x"), Some(Yaml::Float(511.0)));
    assert_eq!(get("big"), Some(Yaml::Float(12345678901234567890.0)));
    assert_eq!(
        get("k"),
        Some(Yaml::Map(vec![
            ("1000".into(), Yaml::String("a".into())),
            ("16".into(), Yaml::String("b".into())),
            ("2.5".into(), Yaml::String("c".into())),
        ]))
    );
    assert_eq!(
        get("m"),
        Some(Yaml::Map(vec![
            ("p".into(), Yaml::Float(1.0)),
            ("q".into(), Yaml::Float(3.0)),
        ]))
    );
    assert_eq!(get("t"), Some(Yaml::String("2001-12-14".into())));
}

#[test]
fn encoder_examples() {
    let y = Yaml::Map(vec![
        ("b".into(), Yaml::Seq(vec![Yaml::Int(1), Yaml::Float(1e21)])),
        ("a".into(), Yaml::String("yes".into())),
        ("c".into(), Yaml::String("x\ny".into())),
        ("d".into(), Yaml::Map(vec![])),
    ]);
    assert_eq!(
        goyaml::to_yaml(&y).unwrap(),
        "a: \"yes\"\nb:\n- 1\n- 1e+21\nc: |-\n  x\n  y\nd: {}\n"
    );
    assert!(goyaml::to_yaml(&Yaml::Float(f64::NAN)).is_err());
    assert!(goyaml::to_yaml(&Yaml::String("del\u{7f}".into())).is_err());
}

/// Values that survive Helm's round trip unchanged: finite floats (no ints: decoding makes
/// every number a float64), strings without characters the JSON/YAML round trip rewrites, maps
/// with unique keys.
fn arb_yaml() -> impl Strategy<Value = Yaml> {
    let string = prop_oneof![
        "[a-zA-Z0-9 _.:#'\"-]{0,12}",
        prop::sample::select(vec![
            "yes",
            "no",
            "on",
            "y",
            "null",
            "~",
            "0777",
            "0x1F",
            "1e3",
            "1:30",
            "2001-12-14",
            "",
            " lead",
            "trail ",
            "a: b",
            "- x",
            "#x",
            "@x",
            "a\nb",
            "a\nb\n",
            "\n",
            "\tx",
            "é😀",
            "{{ x }}",
            "---",
            "1_000",
            ".inf",
            "\u{2028}",
            "a\u{a0}",
            "bom\u{feff}",
        ])
        .prop_map(str::to_string),
        "\\PC{0,100}",
    ];
    let leaf = prop_oneof![
        Just(Yaml::Null),
        any::<bool>().prop_map(Yaml::Bool),
        prop_oneof![
            any::<i32>().prop_map(f64::from),
            (-1e300f64..1e300f64),
            prop::sample::select(vec![
                0.1,
                1e21,
                1e-7,
                12345678901234567890.0,
                2.5e-7,
                5e-324
            ]),
        ]
        .prop_map(Yaml::Float),
        string.clone().prop_map(Yaml::String),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Yaml::Seq),
            prop::collection::btree_map(string.clone(), inner, 0..6)
                .prop_map(|m| Yaml::Map(m.into_iter().collect())),
        ]
    })
}

/// Compares ignoring map order (go-yaml sorts keys on output).
fn normalize(y: &Yaml) -> Yaml {
    match y {
        Yaml::Seq(items) => Yaml::Seq(items.iter().map(normalize).collect()),
        Yaml::Map(entries) => {
            let mut e: Vec<(String, Yaml)> = entries
                .iter()
                .map(|(k, v)| (k.clone(), normalize(v)))
                .collect();
            e.sort_by(|a, b| a.0.cmp(&b.0));
            Yaml::Map(e)
        }
        Yaml::Float(f) if *f == 0.0 => Yaml::Float(0.0),
        other => other.clone(),
    }
}

/// What the round trip can legitimately change: a NEL folds to a space (it is a line break
/// inside the double-quoted JSON text).
fn has_nel_or_controls(y: &Yaml) -> bool {
    match y {
        Yaml::String(s) => s
            .chars()
            .any(|c| ('\u{7f}'..='\u{9f}').contains(&c) || c == '\u{fffe}' || c == '\u{ffff}'),
        Yaml::Seq(items) => items.iter().any(has_nel_or_controls),
        Yaml::Map(entries) => entries
            .iter()
            .any(|(k, v)| has_nel_or_controls(&Yaml::String(k.clone())) || has_nel_or_controls(v)),
        _ => false,
    }
}

/// libyaml-safer took any leading 0xEF byte for a byte order mark; Go reads these characters.
#[test]
fn text_starting_with_u_f000_to_u_ffff_loads() {
    for text in ["\u{fffc}: null", "\u{ff04}x: 1", "- \u{e000}"] {
        let y = goyaml::load_value(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        assert_ne!(y, Yaml::Null, "{text:?}");
    }
    assert_eq!(
        goyaml::load_value("\u{fffc}: null").unwrap(),
        Yaml::Map(vec![("\u{fffc}".to_string(), Yaml::Null)])
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn decode_encode_round_trip(y in arb_yaml()) {
        prop_assume!(!has_nel_or_controls(&y));
        let text = goyaml::to_yaml(&y).expect("encodes");
        let back = goyaml::load_value(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        prop_assert_eq!(normalize(&back), normalize(&y), "text: {}", text);
    }
}
