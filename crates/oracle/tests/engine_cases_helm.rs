//! End-to-end: generate expectations with the installed Helm binaries, then verify them.
//! Skips (with a note) when Helm is not installed, except under `CI=true`, where that fails;
//! `cargo xtask oracle` installs them.

use oracle::engine_cases::{self, OutcomeKind};
use oracle::{HelmVersion, TempDir};

const CASES: &str = r#"
[[case]]
name = "out-map"
template = '{{ . }}'
data = '{"a": 1}'

[[case]]
name = "out-no-data"
template = "{{ . }}|{{ printf \"%v\" . }}\n"

[[case]]
name = "out-unicode"
template = "{{ .s }}|{{ len .s }}|{{ printf \"%q\" .s }}\n"
data = '{"s": "é\u2028😀\"\\\n\t`"}'

[[case]]
name = "out-define"
template = '{{ define "out-define-x" }}[{{ . }}]{{ end }}{{ template "out-define-x" 3 }}'
data = '[1, 2.5, "x"]'

[[case]]
name = "exec-index"
template = '{{ index . 5 }}'
data = '[1]'

[[case]]
name = "parse-if"
template = '{{ if }}'

[[case]]
name = "range-int"
template = '{{ range 3 }}{{ . }}{{ end }}'
"#;

#[test]
fn generates_and_verifies_expectations() {
    // Under CI=true a missing Helm fails the test (see `oracle::require`).
    let helms: Vec<_> = HelmVersion::ALL
        .into_iter()
        .filter_map(oracle::require)
        .collect();
    if helms.len() != 2 {
        return;
    }
    let dir = TempDir::new("oracle-e2e").unwrap();
    let cases_dir = dir.path().join("cases");
    let expected_dir = dir.path().join("expected");
    std::fs::create_dir_all(&cases_dir).unwrap();
    // Many copies of the cases, so that the batch has to be split.
    let mut text = String::new();
    for i in 0..8 {
        text.push_str(
            &CASES
                .replace("name = \"", &format!("name = \"c{i}-"))
                .replace("out-define-x", &format!("c{i}-out-define-x")),
        );
    }
    std::fs::write(cases_dir.join("sample.toml"), text).unwrap();
    let cases = engine_cases::load_cases(&cases_dir).unwrap();
    assert_eq!(cases.len(), 56);

    let scratch = dir.path().join("scratch");
    let h4 = engine_cases::run_cases(&helms[0], &cases, &scratch).unwrap();
    let h3 = engine_cases::run_cases(&helms[1], &cases, &scratch).unwrap();
    let set = engine_cases::expected_from_runs(&cases, &h4, &h3).unwrap();

    let got = &set["sample"];
    assert_eq!(got["c0-out-map"].h4.text, "map[a:1]");
    assert_eq!(got["c3-out-no-data"].h3.text, "<no value>|<nil>\n");
    assert_eq!(
        got["c1-out-unicode"].h4.text,
        "é\u{2028}😀\"\\\n\t`|14|\"é\\u2028😀\\\"\\\\\\n\\t`\"\n"
    );
    assert_eq!(got["c2-out-define"].h3.text, "[3]");
    assert_eq!(got["c4-range-int"].h4.text, "012");
    assert_eq!(got["c4-range-int"].h3.kind, OutcomeKind::ExecError);
    for v in HelmVersion::ALL {
        let e = got["c5-exec-index"].get(v);
        assert_eq!(e.kind, OutcomeKind::ExecError);
        assert!(
            e.text.starts_with(
                "Error: template: e/templates/_c5-exec-index.tpl:1:3: executing \
                 \"e/templates/_c5-exec-index.tpl\" at <index . 5>: error calling index: \
                 index out of range: 5\n"
            ),
            "{v}: {:?}",
            e.text
        );
        let p = got["c6-parse-if"].get(v);
        assert_eq!(p.kind, OutcomeKind::ParseError);
        assert!(
            p.text.contains("template: gotpl:1: missing value for if\n"),
            "{v}: {:?}",
            p.text
        );
    }

    engine_cases::write_expected(&expected_dir, &set).unwrap();
    let report = engine_cases::verify_against_helm(&cases_dir, &expected_dir).unwrap();
    assert!(report.is_ok(), "{report}");
    assert_eq!(report.verified.get(&HelmVersion::V4), Some(&56));
    assert_eq!(report.verified.get(&HelmVersion::V3), Some(&56));

    // A wrong expectation, a missing one and a stale one are all reported.
    let mut tampered = set.clone();
    let cases_map = tampered.get_mut("sample").unwrap();
    cases_map.get_mut("c0-out-map").unwrap().h3.text = "wrong".to_string();
    cases_map.remove("c1-out-map");
    cases_map.insert("gone".to_string(), set["sample"]["c0-out-map"].clone());
    engine_cases::write_expected(&expected_dir, &tampered).unwrap();
    let report = engine_cases::verify_against_helm(&cases_dir, &expected_dir).unwrap();
    assert_eq!(report.mismatches.len(), 1, "{report}");
    assert_eq!(report.mismatches[0].case, "c0-out-map");
    assert_eq!(report.mismatches[0].version, HelmVersion::V3);
    assert_eq!(report.mismatches[0].actual.text, "map[a:1]");
    assert_eq!(report.missing, ["sample/c1-out-map"]);
    assert_eq!(report.stale, ["sample/gone"]);
    assert_eq!(report.verified.get(&HelmVersion::V4), Some(&55));
}
