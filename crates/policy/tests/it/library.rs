//! The chart library's renders (`fixtures/library/expected`, real Helm's output) meet every
//! rule at warning or above, with default settings plus the platform's objects that the
//! repository's chartkit.yaml declares (`externalObjects:`).

use std::collections::BTreeSet;

use oracle::HelmVersion;
use oracle::render_cases::{Corpus, load_cases, load_expected};
use policy::{ExternalObject, Settings, Severity};

/// `(case, rule)` pairs where a library chart violates a rule today: reported to the lead,
/// not hidden by weakening the rule. The test fails when a pair no longer fires, so the list
/// cannot go stale.
const KNOWN: &[(&str, &str)] = &[
    // The edge-case overlays, deliberately: a PDB with minAvailable 1 on a single replica,
    // emptyDirs without an ephemeral-storage limit, and references to objects the platform does
    // not provide (PriorityClass, pull Secrets ecr-pull and ghcr-pull, ServiceAccount
    // shared-runtime, ConfigMaps and Secrets of other releases).
    ("js-service-base-edge-cases", "CK-REF-008"),
    ("js-service-base-edge-cases", "CK-REF-009"),
    ("js-service-base-edge-cases", "CK-RES-010"),
    ("python-service-base-edge-cases", "CK-REF-008"),
    ("python-service-base-edge-cases", "CK-REF-009"),
    ("python-service-base-edge-cases", "CK-RES-010"),
    // grafana's edge overlay runs under the default ServiceAccount, with an admin Secret and a
    // PersistentVolumeClaim made elsewhere.
    ("observability-grafana-edge", "CK-REF-009"),
    ("observability-grafana-edge", "CK-SEC-005"),
    // The shared-storage overlay reads the admin credentials from a Secret another release
    // makes (grafana-admin-credentials), which chartkit.yaml's targets do not use.
    ("observability-grafana-shared-storage", "CK-REF-009"),
];

/// The `externalObjects:` of the repository's chartkit.yaml.
fn platform_objects() -> Vec<ExternalObject> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../chartkit.yaml");
    let text = std::fs::read_to_string(&path).expect("chartkit.yaml");
    let config = config::parse(&text, "chartkit.yaml").expect("chartkit.yaml parses");
    config
        .external_objects
        .into_iter()
        .map(|o| ExternalObject {
            kind: o.kind,
            namespace: o.namespace,
            name: o.name,
        })
        .collect()
}

fn arg_after<'a>(args: &'a [String], long: &str, short: Option<&str>) -> Option<&'a str> {
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == long || Some(a.as_str()) == short {
            return it.next().map(String::as_str);
        }
        if let Some(v) = a.strip_prefix(&format!("{long}=")) {
            return Some(v);
        }
    }
    None
}

#[test]
fn library_renders_have_no_finding_at_warning_or_above() {
    let corpus = Corpus::library();
    let cases = load_cases(&corpus).expect("library cases");
    let expected = load_expected(&corpus).expect("library expectations");
    let settings = Settings {
        external_objects: platform_objects(),
        ..Settings::default()
    };
    let mut seen = BTreeSet::new();
    let mut failures = Vec::new();
    let mut linted = 0;
    for case in &cases {
        let result = expected[&case.name].get(HelmVersion::V4);
        if result.code != Some(0) {
            continue;
        }
        let namespace = arg_after(&case.args, "--namespace", Some("-n")).unwrap_or("default");
        let minor = arg_after(&case.args, "--kube-version", None)
            .and_then(|v| v.trim_start_matches('v').split('.').nth(1)?.parse().ok())
            .unwrap_or(29);
        let (objects, findings) = super::run(&result.stdout, namespace, minor, &settings);
        assert!(!objects.is_empty(), "{}: no objects", case.name);
        linted += 1;
        for f in findings.iter().filter(|f| f.severity <= Severity::Warning) {
            let base = f.rule.split('.').next().unwrap_or(f.rule);
            if KNOWN.contains(&(case.name.as_str(), base)) {
                seen.insert((case.name.clone(), base.to_string()));
                continue;
            }
            let o = &objects[f.object];
            failures.push(format!(
                "{}: {:?} {} {} {}/{} {} {}",
                case.name, f.severity, f.rule, o.source, o.kind, o.name, f.pointer, f.message
            ));
        }
    }
    assert!(linted >= 20, "only {linted} library renders");
    let stale: Vec<_> = KNOWN
        .iter()
        .filter(|(c, r)| !seen.contains(&(c.to_string(), r.to_string())))
        .collect();
    assert!(
        stale.is_empty(),
        "known violations that no longer fire: {stale:?}"
    );
    assert!(
        failures.is_empty(),
        "{} findings:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
