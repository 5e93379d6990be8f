//! The oracle-backed Sprig corpus: `fixtures/sprig/cases/*.toml`, with expectations recorded from
//! real Helm in `fixtures/sprig/expected/*.json` (same format and method as the engine corpus,
//! `fixtures/engine/README.md`), run through a template set with every Sprig function.

use std::collections::BTreeMap;
use std::path::PathBuf;

use gotmpl::{Error, GoVersion, Value};
use oracle::HelmVersion;
use oracle::engine_cases::{self, Case, Outcome, OutcomeKind};

/// The corpus directory (with `cases/` and `expected/`); `SPRIG_FIXTURES` points elsewhere, for
/// trying out new cases before they are added.
fn fixtures() -> PathBuf {
    match std::env::var_os("SPRIG_FIXTURES") {
        Some(dir) => PathBuf::from(dir),
        None => oracle::workspace_root().join("fixtures/sprig"),
    }
}

const TRAILER: &str = "\n\nUse --debug flag to render out invalid YAML\n";

/// Case files of families implemented elsewhere, with one function of the family: the file is
/// only checked once that function is registered.
const FAMILY_FILES: &[(&str, &str)] = &[
    ("serialize", "toYaml"),
    ("semver", "semverCompare"),
    ("regex", "regexMatch"),
    ("date", "date"),
    ("crypto", "sha256sum"),
    ("random", "randAlpha"),
];

/// Whether the cases of `topic` can run: its family's functions are registered.
fn topic_enabled(topic: &str) -> bool {
    let funcs = crate::all_funcs();
    FAMILY_FILES
        .iter()
        .find(|(prefix, _)| topic.starts_with(prefix))
        .is_none_or(|(_, probe)| funcs.contains(probe))
}

/// How Helm 4 prints an execution error: a chain of pure template errors becomes one block per
/// link (`FILE:LINE:COL` / `  executing ...:` / `    message`); anything else stays on one line.
fn helm4_exec_text(err: &Error) -> String {
    match (err.location(), err.func()) {
        (Some(loc), None) => format!(
            "{}:{}:{}\n  executing {} at <{}>:\n    {}",
            loc.file,
            loc.line,
            loc.col,
            gotmpl::gofmt::quote(err.name()),
            loc.context,
            err.message()
        ),
        _ => err.to_string(),
    }
}

fn go_version(v: HelmVersion) -> GoVersion {
    match v {
        HelmVersion::V4 => GoVersion::Go1_25,
        HelmVersion::V3 => GoVersion::Go1_23,
    }
}

/// Runs one case through our engine with Sprig the way the generated chart runs it through
/// Helm, and returns what Helm would have printed.
fn run_ours(case: &Case, kind: OutcomeKind, v: HelmVersion) -> Outcome {
    let mut set = crate::sprig_set(go_version(v));
    let data = match case.data_value() {
        Some(j) => match crate::json_to_value(&j) {
            Value::Nil => Value::Missing,
            d => d,
        },
        None => Value::Missing,
    };
    if kind == OutcomeKind::ParseError {
        let err = match set.parse("gotpl", &case.template) {
            Ok(()) => {
                return Outcome {
                    kind: OutcomeKind::Output,
                    text: "<parsed without error>".into(),
                };
            }
            Err(e) => e,
        };
        let context = engine_cases::TPL_FORM
            .trim_start_matches("{{")
            .trim_end_matches("}}")
            .trim();
        let text = format!(
            "Error: template: e/templates/case.yaml:1:3: executing \"e/templates/case.yaml\" at <{context}>: error calling tpl: cannot parse template {}: {err}{TRAILER}",
            gotmpl::gofmt::quote(&case.template)
        );
        return Outcome {
            kind: OutcomeKind::ParseError,
            text,
        };
    }
    let name = case.template_name();
    if let Err(e) = set.parse(&name, &case.template) {
        return Outcome {
            kind: OutcomeKind::ParseError,
            text: format!("unexpected parse error: {e}"),
        };
    }
    match set.execute(&name, data) {
        Ok(out) => Outcome {
            kind: OutcomeKind::Output,
            text: out,
        },
        Err(e) => {
            let body = match v {
                HelmVersion::V4 => helm4_exec_text(&e),
                HelmVersion::V3 => e.to_string(),
            };
            Outcome {
                kind: OutcomeKind::ExecError,
                text: format!("Error: {body}{TRAILER}"),
            }
        }
    }
}

/// Re-verifies the committed expectations against real helm when it is installed.
#[test]
fn sprig_expectations_still_match_helm() {
    let dir = fixtures();
    let have_helm = HelmVersion::ALL
        .iter()
        .all(|v| oracle::require(*v).is_some());
    if !have_helm {
        return;
    }
    let report = engine_cases::verify_against_helm(&dir.join("cases"), &dir.join("expected"))
        .expect("helm runs");
    assert!(
        report.is_ok(),
        "committed expectations no longer match helm:\n{report}"
    );
    for (v, n) in &report.verified {
        eprintln!("sprig corpus: {n} cases re-verified against {v}");
    }
}

#[test]
fn sprig_corpus_matches_helm() {
    let dir = fixtures();
    let cases = engine_cases::load_cases(&dir.join("cases")).expect("cases load");
    let expected = engine_cases::load_expected(&dir.join("expected")).expect("expectations load");
    assert!(!cases.is_empty(), "the sprig corpus is empty");

    let mut failures = Vec::new();
    let mut checked = BTreeMap::<HelmVersion, usize>::new();
    let mut skipped = 0;
    for case in &cases {
        if !topic_enabled(&case.topic) {
            skipped += 1;
            continue;
        }
        let exp = expected
            .get(&case.topic)
            .and_then(|t| t.get(&case.name))
            .unwrap_or_else(|| {
                panic!(
                    "no expectation for {} (run `cargo xtask engine-fixtures --cases fixtures/sprig/cases --expected fixtures/sprig/expected`)",
                    case.name
                )
            });
        for v in HelmVersion::ALL {
            let want = exp.get(v);
            let got = run_ours(case, want.kind, v);
            *checked.entry(v).or_default() += 1;
            if got.kind != want.kind || got.text != want.text {
                failures.push(format!(
                    "{} [{v}]\n  template: {:?}\n  data: {:?}\n  want {:?}: {:?}\n  got  {:?}: {:?}",
                    case.name, case.template, case.data, want.kind, want.text, got.kind, got.text
                ));
            }
        }
    }
    eprintln!(
        "sprig corpus: {} cases ({skipped} skipped: family not registered), checked {:?}",
        cases.len(),
        checked
    );
    assert!(
        failures.is_empty(),
        "{} case runs differ from helm:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
