//! The `rules:` section of chartkit.yaml and severity overrides.

use policy::{Level, Settings, Severity};

fn parse(text: &str) -> Result<Settings, policy::SettingsError> {
    Settings::from_rules_node(&goyaml::load(text, 0).unwrap())
}

const RELEASE: &str = "apiVersion: apps/v1
kind: Deployment
metadata: { name: api }
spec:
  template:
    spec:
      hostNetwork: true
      containers: [ { name: api, image: api:latest, securityContext: { privileged: true } } ]
";

#[test]
fn levels_names_sub_ids_and_options_parse() {
    let s = parse("CK-RES-003: { severity: error, mode: forbid }\nprobes-identical: off\nCK-SEC-001.hostPorts: warning\nmutable-tag: { tags: [main] }\n").unwrap();
    assert_eq!(s.rules["CK-RES-003"].level, Some(Level::Error));
    assert!(s.rules["CK-RES-003"].options.contains_key("mode"));
    assert_eq!(s.rules["CK-PROBE-004"].level, Some(Level::Off));
    assert_eq!(s.rules["CK-SEC-001.hostPorts"].level, Some(Level::Warning));
    assert_eq!(s.rules["CK-IMG-001"].level, None);
}

#[test]
fn unknown_rules_levels_and_options_are_errors_at_their_place() {
    let e = parse("CK-NOPE-001: error\n").unwrap_err();
    assert_eq!((e.line, e.column), (1, 1));
    assert!(e.message.contains("unknown rule"), "{e}");
    let e = parse("CK-RES-001: loud\n").unwrap_err();
    assert!(
        e.message.contains("expected error, warning, info or off"),
        "{e}"
    );
    let e = parse("CK-RES-001:\n  mode: forbid\n").unwrap_err();
    assert_eq!(e.line, 2);
    assert!(e.message.contains("unknown setting \"mode\""), "{e}");
    assert!(parse("CK-SEC-001.nope: off\n").is_err());
}

#[test]
fn overrides_change_severity_and_off_removes_findings() {
    let (_, base) = super::run(RELEASE, "dev-center", 29, &Settings::default());
    assert!(
        base.iter()
            .any(|f| f.rule == "CK-SEC-001.privileged" && f.severity == Severity::Error)
    );
    assert!(base.iter().any(|f| f.rule == "CK-IMG-001"));

    let s = parse("CK-SEC-001: info\nCK-SEC-001.privileged: off\nmutable-tag: off\n").unwrap();
    let (_, findings) = super::run(RELEASE, "dev-center", 29, &s);
    assert!(!findings.iter().any(|f| f.rule == "CK-SEC-001.privileged"));
    assert!(!findings.iter().any(|f| f.rule == "CK-IMG-001"));
    let host = findings
        .iter()
        .find(|f| f.rule == "CK-SEC-001.hostNamespaces")
        .expect("hostNetwork still reported");
    assert_eq!(host.severity, Severity::Info);
}

#[test]
fn findings_are_sorted_and_deterministic() {
    let (_, a) = super::run(RELEASE, "dev-center", 29, &Settings::default());
    let (_, b) = super::run(RELEASE, "dev-center", 29, &Settings::default());
    assert_eq!(a, b);
    let keys: Vec<_> = a
        .iter()
        .map(|f| (f.object, f.pointer.clone(), f.rule))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}

#[test]
fn restricted_namespaces_make_sec_002_an_error() {
    let (_, warn) = super::run(RELEASE, "dev-center", 29, &Settings::default());
    assert!(
        warn.iter()
            .filter(|f| f.rule.starts_with("CK-SEC-002"))
            .all(|f| f.severity == Severity::Warning)
    );
    let mut s = Settings::default();
    s.restricted_namespaces.insert("dev-center".into());
    let (_, err) = super::run(RELEASE, "dev-center", 29, &s);
    let sec2: Vec<_> = err
        .iter()
        .filter(|f| f.rule.starts_with("CK-SEC-002"))
        .collect();
    assert!(!sec2.is_empty() && sec2.iter().all(|f| f.severity == Severity::Error));
}
