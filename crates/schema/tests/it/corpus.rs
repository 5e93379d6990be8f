//! The hand-written corpus `fixtures/schema/`: every file is one YAML document whose header
//! comments give the expected findings (`# expect: RULE POINTER`, none: a valid document),
//! the Kubernetes version (`# kube: 1.NN`, default 1.29) and what `kubernetes-validate`
//! (strict, 1.29) must say: `# oracle: valid|invalid`; `lenient` where chartkit is stricter by
//! design (the package passes the object: its schemas have no field enums, it does not parse
//! quantities nor check formats and ranges); `skip` where it cannot judge (custom resources,
//! removed APIs, other versions, duplicate keys, which its YAML loader hides).

use std::collections::BTreeSet;
use std::path::PathBuf;

use schema::{SchemaSet, duplicate_keys};

pub struct Case {
    pub name: String,
    pub text: String,
    pub expect: Vec<String>,
    pub kube: u32,
    pub oracle: Option<Oracle>,
}

/// What kubernetes-validate says about a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Oracle {
    /// It passes, and chartkit finds nothing (of CK-SCHEMA-001/002).
    Valid,
    /// It fails, and so does chartkit.
    Invalid,
    /// It passes, chartkit fails (a check it does not make).
    Lenient,
}

pub fn cases() -> Vec<Case> {
    let dir = crate::root().join("fixtures/schema");
    let mut files: Vec<PathBuf> = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("fixtures/schema") {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|x| x == "yaml") {
            files.push(p);
        }
    }
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let mut expect = Vec::new();
            let mut kube = 29;
            let mut oracle = None;
            for line in text.lines().take_while(|l| l.starts_with('#')) {
                if let Some(e) = line.strip_prefix("# expect: ") {
                    if e.trim() != "none" {
                        expect.push(e.trim().to_string());
                    }
                } else if let Some(k) = line.strip_prefix("# kube: 1.") {
                    kube = k.trim().parse().unwrap();
                } else if let Some(o) = line.strip_prefix("# oracle: ") {
                    oracle = match o.split_whitespace().next() {
                        Some("valid") => Some(Oracle::Valid),
                        Some("invalid") => Some(Oracle::Invalid),
                        Some("lenient") => Some(Oracle::Lenient),
                        Some("skip") => None,
                        other => panic!("{name}: bad oracle line {other:?}"),
                    };
                }
            }
            assert!(
                text.lines().any(|l| l.starts_with("# expect: ")),
                "{name}: no `# expect:` line"
            );
            assert!(
                text.lines().any(|l| l.starts_with("# oracle: ")),
                "{name}: no `# oracle:` line"
            );
            expect.sort();
            Case {
                name,
                text,
                expect,
                kube,
                oracle,
            }
        })
        .collect()
}

/// chartkit's findings on a case, as `RULE POINTER` lines, sorted.
pub fn actual(
    case: &Case,
    sets: &mut std::collections::HashMap<u32, SchemaSet>,
) -> (Vec<String>, Vec<String>) {
    let set = sets
        .entry(case.kube)
        .or_insert_with(|| SchemaSet::bundled(case.kube).unwrap());
    let doc = goyaml::load(&case.text, 0).unwrap_or_else(|e| panic!("{}: {e}", case.name));
    let mut findings = set.validate(&doc);
    findings.extend(duplicate_keys(&case.text));
    let mut lines: Vec<String> = findings
        .iter()
        .map(|f| format!("{} {}", f.rule, f.pointer).trim_end().to_string())
        .collect();
    lines.sort();
    let messages = findings.iter().map(|f| format!("{f}")).collect();
    (lines, messages)
}

#[test]
fn corpus_findings_match_the_annotations() {
    let cases = cases();
    let mut sets = std::collections::HashMap::new();
    let mut failures = Vec::new();
    let mut rules = BTreeSet::new();
    let mut kinds = BTreeSet::new();
    let (mut valid, mut invalid) = (0, 0);
    for case in &cases {
        let (got, messages) = actual(case, &mut sets);
        if got != case.expect {
            failures.push(format!(
                "{}:\n  expected {:?}\n  got      {:?}\n  {}",
                case.name,
                case.expect,
                got,
                messages.join("\n  ")
            ));
        }
        for e in &case.expect {
            rules.insert(e.split(' ').next().unwrap().to_string());
        }
        if case.expect.is_empty() {
            valid += 1
        } else {
            invalid += 1
        }
        if let Some(k) = case.text.lines().find_map(|l| l.strip_prefix("kind: ")) {
            kinds.insert(k.trim().to_string());
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    assert!(cases.len() >= 100, "only {} documents", cases.len());
    assert!(kinds.len() >= 10, "only {} kinds: {kinds:?}", kinds.len());
    assert!(
        valid >= 15 && invalid >= 60,
        "{valid} valid, {invalid} invalid"
    );
    for rule in [
        "CK-SCHEMA-001",
        "CK-SCHEMA-002",
        "CK-SCHEMA-003",
        "CK-SCHEMA-004",
        "CK-API-001",
        "CK-API-002",
    ] {
        assert!(rules.contains(rule), "no case for {rule}");
    }
}

/// On the cases kubernetes-validate can judge (type, enum, required, unknown fields, and the
/// valid documents), its verdict and chartkit's agree. All cases go through one run.
#[test]
fn verdicts_agree_with_kubernetes_validate() {
    let cases: Vec<Case> = cases().into_iter().filter(|c| c.oracle.is_some()).collect();
    assert!(cases.len() >= 50, "only {} oracle cases", cases.len());
    let mut sets = std::collections::HashMap::new();
    for c in &cases {
        let (got, _) = actual(c, &mut sets);
        let chartkit_valid = !got
            .iter()
            .any(|l| l.starts_with("CK-SCHEMA-001") || l.starts_with("CK-SCHEMA-002"));
        assert_eq!(
            chartkit_valid,
            c.oracle == Some(Oracle::Valid),
            "{}: chartkit's verdict differs from the annotation ({got:?})",
            c.name
        );
    }
    let Some(kv) = oracle::kubernetes_validate::require() else {
        return;
    };
    let stream: String = cases
        .iter()
        .map(|c| format!("---\n{}\n", c.text.trim_end()))
        .collect();
    let (verdicts, out) = kv
        .validate_strict(&stream, "1.29.0")
        .expect("kubernetes-validate runs");
    assert_eq!(
        verdicts.len(),
        cases.len(),
        "one verdict per object:\n{}\n{}",
        out.stdout,
        out.stderr
    );
    let mut disagree = Vec::new();
    for (c, v) in cases.iter().zip(&verdicts) {
        let oracle_valid = match v {
            oracle::kubernetes_validate::Verdict::Passed(_) => true,
            oracle::kubernetes_validate::Verdict::Failed(..) => false,
            other => panic!("{}: unexpected verdict {other:?}", c.name),
        };
        if oracle_valid != (c.oracle != Some(Oracle::Invalid)) {
            disagree.push(format!("{}: kubernetes-validate says {v:?}", c.name));
        }
    }
    assert!(
        disagree.is_empty(),
        "{} disagreements:\n{}",
        disagree.len(),
        disagree.join("\n")
    );
    let count = |o| cases.iter().filter(|c| c.oracle == Some(o)).count();
    eprintln!(
        "kubernetes-validate agrees on {} cases: {} valid, {} invalid, {} lenient (chartkit stricter)",
        cases.len(),
        count(Oracle::Valid),
        count(Oracle::Invalid),
        count(Oracle::Lenient)
    );
}
