//! `chartkit lint` end to end: the binary on the repository's chartkit.yaml, on the lint fixture
//! (fixtures/lint/) with known schema errors, and on bad input.
//!
//! The fixture's text and JSON outputs are compared with committed snapshots of chartkit's own
//! format (fixtures/lint/snapshots/); `CHARTKIT_BLESS=1 cargo test -p chartkit --test lint`
//! rewrites them after a deliberate change.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn lint(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_chartkit"))
        .arg("lint")
        .args(args)
        .current_dir(repo())
        .output()
        .expect("chartkit runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Compares `actual` with the snapshot `name`, or rewrites it under `CHARTKIT_BLESS=1`.
fn snapshot(name: &str, actual: &str) {
    let path = repo().join("fixtures/lint/snapshots").join(name);
    if std::env::var_os("CHARTKIT_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(&path, actual).expect("snapshot written");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run with CHARTKIT_BLESS=1 to create it",
            path.display()
        )
    });
    if expected != actual {
        let first = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(expected.lines().count().min(actual.lines().count()));
        panic!(
            "{} differs from the output (first at line {}; CHARTKIT_BLESS=1 rewrites it)\n--- actual ---\n{actual}",
            path.display(),
            first + 1
        );
    }
}

const FIXTURE: &str = "fixtures/lint/chartkit.yaml";

#[test]
fn the_repository_lints_clean() {
    let r = lint(&[]);
    assert_eq!(r.code, 0, "stdout:\n{}\nstderr:\n{}", r.stdout, r.stderr);
    // Schemas and policy rules (with chartkit.yaml's platform objects): not even a warning,
    // and no suppression.
    assert!(
        r.stdout
            .starts_with("lint: 0 errors, 0 warnings in 9 renders"),
        "{}",
        r.stdout
    );
    let strict = lint(&["--strict", "--format", "json"]);
    assert_eq!(strict.code, 0, "{}", strict.stdout);
    let report: serde_json::Value = serde_json::from_str(&strict.stdout).expect("JSON output");
    assert_eq!(report["findings"].as_array().map(Vec::len), Some(0));
    assert_eq!(report["summary"]["suppressed"], 0);
}

const RULES_FIXTURE: &str = "fixtures/lint/rules/chartkit.yaml";

#[test]
fn rules_fixture_text_output() {
    let r = lint(&["--config", RULES_FIXTURE]);
    assert_eq!(r.code, 1, "stderr:\n{}", r.stderr);
    assert_eq!(r.stderr, "");
    snapshot("payments.txt", &r.stdout);
    // The suppressed finding is shown, marked, and not counted.
    assert!(
        r.stdout
            .contains("= suppressed: renders invoices on the root filesystem (until 2099-12-31)"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.ends_with(
            "error: 1 error, 3 warnings, 1 suppressed in 1 render (4 objects checked)\n"
        ),
        "{}",
        r.stdout
    );
}

/// Lints `config` as JSON (exit 1 expected), compares the output with its snapshot and checks
/// it against the report schema; returns the report and the schema.
fn json_report(config: &str, snapshot_name: &str) -> (serde_json::Value, Vec<u8>) {
    let r = lint(&["--config", config, "--format", "json"]);
    assert_eq!(r.code, 1, "stderr:\n{}", r.stderr);
    snapshot(snapshot_name, &r.stdout);
    let report: serde_json::Value = serde_json::from_str(&r.stdout).expect("JSON output");
    let schema = std::fs::read(repo().join("schemas/lint-report.schema.json")).unwrap();
    let violations = helm::schema::violations(&schema, &report).expect("schema parses");
    assert!(violations.is_empty(), "{violations:?}");
    (report, schema)
}

#[test]
fn rules_fixture_json_output_matches_snapshot_and_schema() {
    let (report, _) = json_report(RULES_FIXTURE, "payments.json");
    let findings = report["findings"].as_array().expect("findings");
    let suppressed: Vec<&serde_json::Value> = findings
        .iter()
        .filter(|f| !f["suppressed"].is_null())
        .collect();
    assert_eq!(suppressed.len(), 1);
    assert_eq!(suppressed[0]["ruleId"], "CK-SEC-004");
    assert_eq!(suppressed[0]["suppressed"]["by"], "chartkit.io/ignore");
    assert_eq!(suppressed[0]["suppressed"]["until"], "2099-12-31");
    assert_eq!(report["summary"]["suppressed"], 1);
    assert_eq!(report["summary"]["warnings"], 3);
    // A policy finding carries its template line and its values origin like a schema one.
    let res = findings
        .iter()
        .find(|f| f["ruleId"] == "CK-RES-004")
        .expect("CK-RES-004");
    assert_eq!(
        res["template"]["file"],
        "fixtures/lint/rules/charts/payments/templates/deployment.yaml"
    );
    assert_eq!(res["values"]["keyPath"], "resources.requests.memory");
    assert_eq!(res["values"]["line"], 7);
    // The `rules:` settings apply (CK-RES-003 is off by default), and the Secret of
    // `externalObjects:` resolves.
    assert!(findings.iter().any(|f| f["ruleId"] == "CK-RES-003"));
    assert!(!findings.iter().any(|f| f["ruleId"] == "CK-REF-009"));
    assert!(!findings.iter().any(|f| f["ruleId"] == "CK-META-002"));
}

#[test]
fn bad_rules_section_names_file_line_column() {
    let r = lint(&["--config", "fixtures/lint/bad-rules/chartkit.yaml"]);
    assert_eq!(r.code, 2);
    assert_eq!(r.stdout, "", "no partial output");
    assert!(
        r.stderr.contains(
            "error: fixtures/lint/bad-rules/chartkit.yaml:5:3: rules: unknown rule \"request-exceeds-limits\"; did you mean CK-RES-004 (request-exceeds-limit)?"
        ),
        "{}",
        r.stderr
    );
}

#[test]
fn fixture_text_output() {
    let r = lint(&["--config", FIXTURE]);
    assert_eq!(r.code, 1, "stderr:\n{}", r.stderr);
    assert_eq!(r.stderr, "");
    snapshot("orders.txt", &r.stdout);
}

#[test]
fn fixture_json_output_matches_snapshot_and_schema() {
    let (report, schema) = json_report(FIXTURE, "orders.json");
    // The schema is not vacuous: a report missing a field breaks it.
    let mut broken = report.clone();
    broken["findings"][0]
        .as_object_mut()
        .expect("a finding")
        .remove("ruleId");
    assert!(
        !helm::schema::violations(&schema, &broken)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn provenance_reaches_template_and_values_file() {
    let r = lint(&["--config", FIXTURE, "--format", "json", "orders/prod"]);
    let report: serde_json::Value = serde_json::from_str(&r.stdout).expect("JSON output");
    let findings = report["findings"].as_array().expect("findings");
    // `cpu: one` in values-prod.yaml, written by `toYaml .Values.resources` in the Deployment.
    let cpu = findings
        .iter()
        .find(|f| {
            f["jsonPointer"]
                .as_str()
                .is_some_and(|p| p.ends_with("/requests/cpu"))
        })
        .expect("a finding on the cpu request");
    assert_eq!(
        cpu["template"]["file"],
        "fixtures/lint/charts/orders/templates/deployment.yaml"
    );
    assert_eq!(cpu["template"]["line"], 23);
    assert_eq!(
        cpu["values"]["file"],
        "fixtures/lint/charts/orders/values-prod.yaml"
    );
    assert_eq!(cpu["values"]["keyPath"], "resources.requests.cpu");
    assert_eq!(cpu["values"]["line"], 12);
    assert_eq!(cpu["render"], "orders/prod");
}

#[test]
fn selecting_one_render() {
    let r = lint(&["--config", FIXTURE, "orders/dev", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&r.stdout).expect("JSON output");
    let ids: Vec<&str> = report["renders"]
        .as_array()
        .expect("renders")
        .iter()
        .filter_map(|r| r["id"].as_str())
        .collect();
    assert_eq!(ids, vec!["orders/dev"]);
}

#[test]
fn warnings_fail_only_with_strict() {
    // A custom resource whose CRD was not given: a warning.
    let r = lint(&["fixtures/lint/charts/widget"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains("warning[CK-SCHEMA-004]"), "{}", r.stdout);
    let strict = lint(&["fixtures/lint/charts/widget", "--strict"]);
    assert_eq!(strict.code, 1, "{}", strict.stdout);
}

#[test]
fn ad_hoc_chart_with_values() {
    let r = lint(&[
        "fixtures/lint/charts/orders",
        "-f",
        "fixtures/lint/charts/orders/values-prod.yaml",
        "-n",
        "dev-center",
        "--release",
        "orders",
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 1, "stderr:\n{}", r.stderr);
    let report: serde_json::Value = serde_json::from_str(&r.stdout).expect("JSON output");
    assert_eq!(report["renders"][0]["id"], "fixtures/lint/charts/orders");
    assert_eq!(report["findings"][0]["object"]["namespace"], "dev-center");
}

#[test]
fn bad_config_names_file_line_column() {
    let r = lint(&["--config", "fixtures/lint/bad/chartkit.yaml"]);
    assert_eq!(r.code, 2);
    assert_eq!(r.stdout, "", "no partial output");
    assert!(
        r.stderr
            .contains("error: fixtures/lint/bad/chartkit.yaml:5:5: unknown key"),
        "{}",
        r.stderr
    );
}

#[test]
fn input_errors_exit_2() {
    for (args, needle) in [
        (vec!["--config", FIXTURE, "nope"], "no target \"nope\""),
        (vec!["--config", "missing.yaml"], "missing.yaml: not found"),
        (
            vec!["--config", FIXTURE, "--format", "xml"],
            "invalid --format",
        ),
        (
            vec!["--config", FIXTURE, "--kube-version", "1.28"],
            "1.29 to 1.35",
        ),
        (
            vec!["--config", FIXTURE, "--crd", "missing-crd.yaml"],
            "missing-crd.yaml",
        ),
        (vec!["--bogus"], "unknown flag: --bogus"),
        (
            vec!["fixtures/lint/charts/absent", "-f", "x.yaml"],
            "not found",
        ),
        (
            vec!["fixtures/lint/charts/failing"],
            "execution error at (failing/templates/cm.yaml:4:11): name is required",
        ),
    ] {
        let r = lint(&args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert_eq!(r.stdout, "", "{args:?}: no partial output");
        assert!(r.stderr.contains(needle), "{args:?}: {}", r.stderr);
    }
}

fn explain(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_chartkit"))
        .arg("explain")
        .args(args)
        .output()
        .expect("chartkit runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn explain_prints_a_rules_documentation_by_id_or_name() {
    let by_id = explain(&["CK-RES-004"]);
    assert_eq!(by_id.code, 0, "{}", by_id.stderr);
    assert!(
        by_id
            .stdout
            .starts_with("CK-RES-004 request-exceeds-limit (default: error)\n"),
        "{}",
        by_id.stdout
    );
    for section in ["Why it matters:", "Example (flagged):", "Fix:"] {
        assert!(by_id.stdout.contains(section), "{}", by_id.stdout);
    }
    let by_name = explain(&["request-exceeds-limit"]);
    assert_eq!(by_name.code, 0);
    assert_eq!(by_name.stdout, by_id.stdout);
    // A sub-id names its rule and the sub-check; options are listed.
    let sub = explain(&["CK-SEC-001.privileged"]);
    assert_eq!(sub.code, 0, "{}", sub.stderr);
    assert!(
        sub.stdout.contains("sub-check: CK-SEC-001.privileged"),
        "{}",
        sub.stdout
    );
    let opts = explain(&["cpu-limit-policy"]);
    assert!(
        opts.stdout
            .contains("Options (chartkit.yaml `rules:`): mode"),
        "{}",
        opts.stdout
    );
    // The schema checks of lint are documented too.
    let schema = explain(&["CK-SCHEMA-002"]);
    assert_eq!(schema.code, 0, "{}", schema.stderr);
    assert!(
        schema
            .stdout
            .starts_with("CK-SCHEMA-002 unknown-field (default: error)\n"),
        "{}",
        schema.stdout
    );
    let list = explain(&["--list"]);
    assert_eq!(list.code, 0);
    assert_eq!(list.stdout.lines().count(), policy_rule_count(&list.stdout));
    assert!(list.stdout.contains("CK-NET-007"), "{}", list.stdout);
}

fn policy_rule_count(list: &str) -> usize {
    list.lines().filter(|l| l.starts_with("CK-")).count()
}

#[test]
fn explain_unknown_rules_exit_2_with_near_matches() {
    let r = explain(&["request-exceeds-limits"]);
    assert_eq!(r.code, 2);
    assert_eq!(r.stdout, "");
    assert!(
        r.stderr.starts_with("error: unknown rule \"request-exceeds-limits\"; did you mean:\n  CK-RES-004 request-exceeds-limit\n"),
        "{}",
        r.stderr
    );
    for (arg, hint) in [
        ("CK-NET-07", "CK-NET-007 networkpolicy-coverage"),
        ("zzzzzzzzzzzz", "chartkit explain --list"),
    ] {
        let r = explain(&[arg]);
        assert_eq!(r.code, 2, "{arg}");
        assert!(r.stderr.contains(hint), "{arg}: {}", r.stderr);
    }
    assert_eq!(explain(&[]).code, 2);
}

/// `rules:` levels apply to the schema checks: "no schema" can be made an error, a check can be
/// turned off.
#[test]
fn rules_levels_apply_to_schema_checks() {
    let default = lint(&["--config", FIXTURE, "--format", "json"]);
    let levels = lint(&[
        "--config",
        "fixtures/lint/schema-levels/chartkit.yaml",
        "--format",
        "json",
    ]);
    assert_eq!(levels.code, 1, "{}", levels.stderr);
    let parse = |s: &str| -> Vec<serde_json::Value> {
        let v: serde_json::Value = serde_json::from_str(s).expect("JSON");
        v["findings"].as_array().expect("findings").clone()
    };
    let (before, after) = (parse(&default.stdout), parse(&levels.stdout));
    let severity_of = |fs: &[serde_json::Value], rule: &str| -> Vec<String> {
        fs.iter()
            .filter(|f| f["ruleId"] == rule && f["object"]["kind"] == "Widget")
            .map(|f| f["severity"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    assert!(
        severity_of(&before, "CK-SCHEMA-004")
            .iter()
            .all(|s| s == "warning")
    );
    assert!(!severity_of(&before, "CK-SCHEMA-004").is_empty());
    assert!(!severity_of(&after, "CK-SCHEMA-004").is_empty());
    assert!(
        severity_of(&after, "CK-SCHEMA-004")
            .iter()
            .all(|s| s == "error")
    );
    assert!(before.iter().any(|f| f["ruleId"] == "CK-SCHEMA-003"));
    assert!(!after.iter().any(|f| f["ruleId"] == "CK-SCHEMA-003"));
}
