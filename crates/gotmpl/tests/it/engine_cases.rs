//! The oracle-backed engine corpus: `fixtures/engine/cases/*.toml`, with expectations recorded
//! from real Helm in `fixtures/engine/expected/*.json` (see `fixtures/engine/README.md`).

use std::path::PathBuf;

use gotmpl::{Error, GoVersion, MissingKey, Options, TemplateSet, Value};
use oracle::HelmVersion;
use oracle::engine_cases::{self, Case, Outcome, OutcomeKind};

fn fixtures() -> PathBuf {
    oracle::workspace_root().join("fixtures/engine")
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

fn options(v: HelmVersion) -> Options {
    Options {
        missing_key: MissingKey::Zero,
        go_version: match v {
            HelmVersion::V4 => GoVersion::Go1_25,
            HelmVersion::V3 => GoVersion::Go1_23,
        },
        ..Options::default()
    }
}

/// Runs one case through our engine the way the generated chart runs it through Helm, and
/// returns what Helm would have printed.
fn run_ours(case: &Case, kind: OutcomeKind, v: HelmVersion) -> Outcome {
    let mut set = TemplateSet::new("gotpl");
    set.set_options(options(v));
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
        let text = engine_cases::tpl_parse_error_stderr(
            &gotmpl::gofmt::quote(&case.template),
            &err.to_string(),
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
        Err(e) if e.kind() == gotmpl::ErrorKind::Panic => Outcome {
            kind: OutcomeKind::ExecError,
            text: engine_cases::exec_error_stderr(&format!("rendering template failed: {e}")),
        },
        Err(e) => {
            let body = match v {
                HelmVersion::V4 => helm4_exec_text(&e),
                HelmVersion::V3 => e.to_string(),
            };
            Outcome {
                kind: OutcomeKind::ExecError,
                text: engine_cases::exec_error_stderr(&body),
            }
        }
    }
}

/// Re-verifies the committed expectations against real helm when it is installed (under
/// `CI=true` it must be).
#[test]
fn engine_expectations_still_match_helm() {
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
    assert!(
        report.verified.values().all(|n| *n >= 300),
        "too few cases verified: {:?}",
        report.verified
    );
    for (v, n) in &report.verified {
        eprintln!("engine corpus: {n} cases re-verified against {v}");
    }
}

#[test]
fn engine_corpus_matches_helm() {
    let dir = fixtures();
    let cases = engine_cases::load_cases(&dir.join("cases")).expect("cases load");
    let expected = engine_cases::load_expected(&dir.join("expected")).expect("expectations load");
    assert!(
        cases.len() >= 300,
        "the corpus must hold at least 300 cases, has {}",
        cases.len()
    );

    let all: Vec<&engine_cases::Case> = cases.iter().collect();
    let (checked, failures) =
        engine_cases::compare_all(&all, &expected, run_ours).expect("expectations complete");
    eprintln!(
        "engine corpus: {} cases, checked {:?}",
        cases.len(),
        checked
    );
    assert!(
        failures.is_empty(),
        "{} of {} case runs differ from helm:\n{}",
        failures.len(),
        cases.len() * 2,
        failures.join("\n")
    );
}
