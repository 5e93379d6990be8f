//! The serialization corpus (`fixtures/yaml`, see `oracle::yaml_cases`): `toYaml`, `fromYaml`,
//! the JSON and TOML functions, with expectations recorded from real Helm.
//!
//! * `serialize_corpus_matches_helm` runs every case through our engine and Sprig functions and
//!   compares with Helm 4's recorded output.
//! * `serialize_expectations_still_match_helm` re-runs Helm (when installed; under `CI=true` it
//!   must be) and checks that the committed expectations still hold.
//! * `regenerate_serialize_expectations` (ignored) rewrites `fixtures/yaml/expected` from Helm:
//!   `cargo test -p sprig --test it -- --ignored regenerate_serialize_expectations`.

use gotmpl::{GoVersion, Value};
use oracle::HelmVersion;
use oracle::engine_cases::{self, OutcomeKind};
use oracle::yaml_cases;

/// Cases whose Helm behaviour we knowingly do not reproduce (see the report in
/// `fixtures/yaml`): name → reason.
const KNOWN_DIFFERENCES: &[(&str, &str)] = &[];

#[test]
#[ignore = "rewrites fixtures/yaml/expected from the installed Helm binaries"]
fn regenerate_serialize_expectations() {
    let n = yaml_cases::regenerate(&yaml_cases::fixtures_dir()).expect("regenerate");
    eprintln!("regenerated {n} serialization cases");
}

#[test]
fn serialize_expectations_still_match_helm() {
    let have_helm = HelmVersion::ALL
        .iter()
        .all(|v| oracle::require(*v).is_some());
    if !have_helm {
        return;
    }
    let report = yaml_cases::verify(&yaml_cases::fixtures_dir()).expect("helm runs");
    assert!(
        report.is_ok(),
        "committed expectations no longer match helm:\n{report}"
    );
}

#[test]
fn serialize_corpus_matches_helm() {
    let dir = yaml_cases::fixtures_dir();
    let cases = engine_cases::load_cases(&dir.join("cases")).expect("cases load");
    let expected = engine_cases::load_expected(&dir.join("expected")).expect("expectations load");
    assert!(cases.len() >= 200, "only {} cases", cases.len());
    let mut failures = Vec::new();
    let mut checked = 0;
    for case in &cases {
        let exp = expected
            .get(&case.topic)
            .and_then(|t| t.get(&case.name))
            .unwrap_or_else(|| panic!("no expectation for {}", case.name));
        let want = &exp.h4;
        if KNOWN_DIFFERENCES.iter().any(|(n, _)| *n == case.name) {
            continue;
        }
        let mut set = crate::sprig_set(GoVersion::Go1_25);
        let data = match case.data_value() {
            Some(j) => match crate::json_to_value(&j) {
                Value::Nil => Value::Missing,
                d => d,
            },
            None => Value::Missing,
        };
        let name = case.template_name();
        let got = match set.parse(&name, &case.template) {
            Err(e) => (OutcomeKind::ParseError, e.to_string()),
            Ok(()) => match set.execute(&name, data) {
                Ok(out) => (OutcomeKind::Output, out),
                Err(e) => (OutcomeKind::ExecError, e.to_string()),
            },
        };
        checked += 1;
        let ok = match want.kind {
            OutcomeKind::Output => got.0 == OutcomeKind::Output && got.1 == want.text,
            // Errors: the same kind of failure is enough here (the texts carry Helm's framing).
            kind => got.0 == kind,
        };
        if !ok {
            failures.push(format!(
                "{}\n  template: {:?}\n  data: {:?}\n  want {:?}: {:?}\n  got  {:?}: {:?}",
                case.name, case.template, case.data, want.kind, want.text, got.0, got.1
            ));
        }
    }
    eprintln!("serialization corpus: {checked} cases checked against helm 4.1.4");
    assert!(
        failures.is_empty(),
        "{} of {checked} cases differ from helm:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

mod roundtrip {
    use gotmpl::{List, Map, Value};
    use proptest::prelude::*;

    fn arb_value() -> impl Strategy<Value = Value> {
        let string = prop_oneof![
            "[a-z0-9 :#'\"<>&-]{0,10}",
            prop::sample::select(vec![
                "yes", "0777", "1e3", "", "a\nb\n", " x", "\u{2028}", "é😀"
            ])
            .prop_map(str::to_string),
        ];
        let leaf = prop_oneof![
            Just(Value::Nil),
            any::<bool>().prop_map(Value::Bool),
            (-1e15f64..1e15f64).prop_map(Value::Float),
            any::<i32>().prop_map(|i| Value::Float(f64::from(i))),
            string.clone().prop_map(Value::from),
        ];
        leaf.prop_recursive(3, 32, 5, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(|v| Value::List(List::new(v))),
                // `<<` is YAML's merge key: Helm's own toYaml/fromYaml cannot round-trip it.
                prop::collection::btree_map(
                    string.clone().prop_filter("merge key", |k| k != "<<"),
                    inner,
                    0..5
                )
                .prop_map(|m| Value::Map(Map::from_entries(m))),
            ]
        })
    }

    fn wrap(v: Value) -> Value {
        let m = Map::new();
        m.insert("v", v);
        Value::Map(m)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        /// `fromJson (toJson x)` and `fromYaml (toYaml x)` give `x` back (maps of float64s). The
        /// newline Helm trims from `toYaml` is put back first: without it a final literal block
        /// loses its last line break (in Helm too).
        #[test]
        fn json_and_yaml_round_trip(v in arb_value()) {
            let data = wrap(wrap(v));
            let json = crate::render("{{ toJson .v }}", data.clone()).unwrap();
            let back = crate::render("{{ toJson (fromJson (toJson .v)) }}", data.clone()).unwrap();
            prop_assert_eq!(&back, &json);
            let yaml_back =
                crate::render(
                    "{{ toJson (fromYaml (printf \"%s\\n\" (toYaml .v))) }}",
                    data.clone(),
                ).unwrap();
            prop_assert_eq!(&yaml_back, &json);
            let pretty_back =
                crate::render(
                    "{{ toJson (fromYaml (printf \"%s\\n\" (toYamlPretty .v))) }}",
                    data,
                ).unwrap();
            prop_assert_eq!(&pretty_back, &json);
        }
    }
}
