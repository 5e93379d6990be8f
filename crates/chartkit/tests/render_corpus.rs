//! The `chartkit render` compatibility corpus (`fixtures/render`, see its README.md).
//!
//! * `render_corpus_matches_helm` runs the `chartkit` binary on every case, once as Helm 4
//!   (`chartkit render ...`) and once as Helm 3 (`chartkit render --helm-version 3 ...`), and
//!   compares stdout, stderr, the exit code and (with `--output-dir`) the written files byte for
//!   byte with `fixtures/render/expected/<case>.json`. Every failing case is reported, each with
//!   the first difference, before the test fails.
//! * `committed_expectations_match_real_helm` re-runs every case through the real Helm binaries
//!   (when `oracle::require` finds them; under `CI=true` a missing Helm fails) and checks that
//!   the committed expectations still hold.
//!
//! `CHARTKIT_RENDER_CASES=a,b` restricts both tests to the cases whose names contain `a` or `b`.
//! Regenerate expectations with `cargo xtask render-fixtures`, never by hand.

use std::collections::BTreeMap;
use std::path::Path;

use oracle::HelmVersion;
use oracle::render_cases::{self, Case, Corpus, Runner};

fn selected(cases: Vec<Case>) -> Vec<Case> {
    match std::env::var("CHARTKIT_RENDER_CASES") {
        Ok(filter) if !filter.trim().is_empty() => {
            let parts: Vec<&str> = filter
                .split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .collect();
            cases
                .into_iter()
                .filter(|c| parts.iter().any(|p| c.name.contains(p)))
                .collect()
        }
        _ => cases,
    }
}

/// The first line of a diff that names the difference (for the summary).
fn headline(diff: &str) -> String {
    let mut lines = diff.lines();
    let first = lines.next().unwrap_or_default();
    if first.starts_with("exit code") {
        return first.to_string();
    }
    // "--- expected X", "+++ actual X", "@@ ...", context..., "- line", "+ line"
    let what = first.trim_start_matches("--- expected ").to_string();
    let removed = diff.lines().find(|l| l.starts_with("- ")).unwrap_or("-");
    let added = diff.lines().find(|l| l.starts_with("+ ")).unwrap_or("+");
    let cut = |s: &str| -> String {
        let s = &s[2.min(s.len())..];
        if s.chars().count() > 90 {
            format!("{}…", s.chars().take(90).collect::<String>())
        } else {
            s.to_string()
        }
    };
    // The diff lines are already escaped (see `render_cases::text_diff`).
    format!("{what}: expected `{}`, got `{}`", cut(removed), cut(added))
}

#[test]
fn render_corpus_matches_helm() {
    let corpus = Corpus::committed();
    let all = render_cases::load_cases(&corpus).unwrap_or_else(|e| panic!("{e}"));
    let expected = render_cases::load_expected(&corpus).unwrap_or_else(|e| panic!("{e}"));
    let (missing, stale) = render_cases::missing_and_stale(&all, &expected);
    assert!(
        missing.is_empty() && stale.is_empty(),
        "expectations out of date (run `cargo xtask render-fixtures`): missing {missing:?}, stale {stale:?}"
    );
    let cases = selected(all);
    let chartkit = Path::new(env!("CARGO_BIN_EXE_chartkit"));
    let (runs, failures) = render_cases::diff_chartkit(chartkit, &corpus, &cases, &expected);

    for (name, v, diff) in &failures {
        let case = cases.iter().find(|c| &c.name == name).expect("case");
        eprintln!(
            "=== FAIL {name} ({}): cd charts/{} && {}\n{diff}",
            v.key(),
            case.chart,
            case.command_line(render_cases::chartkit_command(*v))
        );
    }
    if !failures.is_empty() {
        let mut by_case: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for (name, v, diff) in &failures {
            by_case
                .entry(name)
                .or_default()
                .push(format!("{}: {}", v.key(), headline(diff)));
        }
        eprintln!(
            "=== SUMMARY: {} of {runs} runs differ from real Helm",
            failures.len()
        );
        for (name, lines) in &by_case {
            for line in lines {
                eprintln!("  {name:<42} {line}");
            }
        }
        panic!(
            "{} of {runs} chartkit runs ({} cases x 2 Helm versions) differ from the expectations; \
             see the diffs above",
            failures.len(),
            cases.len()
        );
    }
    eprintln!(
        "{runs} chartkit runs ({} cases x 2 Helm versions) match real Helm",
        cases.len()
    );
}

#[test]
fn committed_expectations_match_real_helm() {
    let corpus = Corpus::committed();
    let filter_set = std::env::var("CHARTKIT_RENDER_CASES").is_ok_and(|f| !f.trim().is_empty());
    let report = if filter_set {
        // Verify only the selected cases: a scratch corpus that shares the charts.
        let cases = selected(render_cases::load_cases(&corpus).unwrap_or_else(|e| panic!("{e}")));
        let expected = render_cases::load_expected(&corpus).unwrap_or_else(|e| panic!("{e}"));
        let mut report = render_cases::VerifyReport::default();
        let scratch = std::env::temp_dir();
        for v in HelmVersion::ALL {
            let Some(helm) = oracle::require(v) else {
                continue;
            };
            let with_exp: Vec<Case> = cases
                .iter()
                .filter(|c| expected.contains_key(&c.name))
                .cloned()
                .collect();
            let results = render_cases::run_all(&Runner::helm(&helm), &corpus, &with_exp, &scratch)
                .unwrap_or_else(|e| panic!("{e}"));
            for case in &with_exp {
                if let Some(diff) = render_cases::first_difference(
                    expected[&case.name].get(v),
                    &results[&case.name],
                ) {
                    report.mismatches.push(render_cases::Mismatch {
                        case: case.name.clone(),
                        version: v,
                        diff,
                    });
                }
            }
            report.verified.insert(v, with_exp.len());
        }
        report
    } else {
        render_cases::verify_against_helm(&corpus).unwrap_or_else(|e| panic!("{e}"))
    };
    if report.verified.is_empty() {
        eprintln!("note: no Helm installed: the render expectations were not re-verified");
    }
    for (v, n) in &report.verified {
        eprintln!("verified {n} render cases against real {v}");
    }
    assert!(
        report.is_ok(),
        "the committed render expectations no longer match real Helm:\n{report}"
    );
}
