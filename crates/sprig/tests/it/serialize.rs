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
