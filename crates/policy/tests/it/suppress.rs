//! Suppression annotations: grammar, scope, expiry and the CK-META-900/901 findings.

use policy::{Date, Settings};

fn release(object_annotations: &str, pod_annotations: &str) -> String {
    format!(
        "apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  annotations: {object_annotations}
spec:
  template:
    metadata:
      annotations: {pod_annotations}
    spec:
      containers:
        - name: api
          image: api:latest
        - name: worker
          image: worker:latest
"
    )
}

fn today() -> Settings {
    Settings {
        today: Date::parse("2026-06-15"),
        ..Settings::default()
    }
}

fn find<'a>(f: &'a [policy::Finding], rule: &str, container: &str) -> &'a policy::Finding {
    f.iter()
        .find(|x| x.rule == rule && x.container.as_deref() == Some(container))
        .unwrap_or_else(|| panic!("no {rule} on {container}"))
}

#[test]
fn an_object_annotation_suppresses_several_rules_and_keeps_the_findings() {
    let text = release(
        r#"{ chartkit.io/ignore: "CK-IMG-001=pinned by the deploy pipeline, readonly-rootfs=legacy app until 2026-12-31" }"#,
        "{}",
    );
    let (_, f) = super::run(&text, "dev-center", 29, &today());
    for c in ["api", "worker"] {
        let img = find(&f, "CK-IMG-001", c);
        let s = img.suppressed.as_ref().expect("suppressed");
        assert_eq!(s.reason, "pinned by the deploy pipeline");
        assert_eq!(s.annotation, "chartkit.io/ignore");
        assert_eq!(s.pointer, "/metadata/annotations/chartkit.io~1ignore");
        let ro = find(&f, "CK-SEC-004", c);
        assert_eq!(
            ro.suppressed.as_ref().unwrap().until,
            Date::parse("2026-12-31")
        );
    }
    assert!(find(&f, "CK-RES-001", "api").suppressed.is_none());
    assert!(!f.iter().any(|x| x.rule.starts_with("CK-META-9")));
}

#[test]
fn a_container_annotation_only_covers_that_container_and_a_rule_covers_its_sub_ids() {
    let text = release(
        "{}",
        r#"{ chartkit.io/ignore.worker: "CK-IMG-001=vendor image, CK-SEC-002=needs root" }"#,
    );
    let (_, f) = super::run(&text, "dev-center", 29, &today());
    assert!(find(&f, "CK-IMG-001", "worker").suppressed.is_some());
    assert!(find(&f, "CK-IMG-001", "api").suppressed.is_none());
    let sub = find(&f, "CK-SEC-002.runAsNonRoot", "worker");
    assert_eq!(
        sub.suppressed.as_ref().unwrap().annotation,
        "chartkit.io/ignore.worker"
    );
    assert!(
        find(&f, "CK-SEC-002.runAsNonRoot", "api")
            .suppressed
            .is_none()
    );
}

#[test]
fn a_sub_id_suppresses_only_that_control() {
    let text = release(
        r#"{ chartkit.io/ignore: "CK-SEC-002.runAsNonRoot=checked by the image" }"#,
        "{}",
    );
    let (_, f) = super::run(&text, "dev-center", 29, &today());
    assert!(
        find(&f, "CK-SEC-002.runAsNonRoot", "api")
            .suppressed
            .is_some()
    );
    assert!(
        find(&f, "CK-SEC-002.capabilitiesStrict", "api")
            .suppressed
            .is_none()
    );
}

#[test]
fn entries_without_reason_or_with_unknown_rules_or_bad_dates_are_invalid() {
    let text = release(
        r#"{ chartkit.io/ignore: "CK-IMG-001, CK-NOPE-001=typo, CK-SEC-004=x until 2026-02-30, CK-RES-001=  " }"#,
        "{}",
    );
    let (_, f) = super::run(&text, "dev-center", 29, &today());
    let invalid: Vec<_> = f.iter().filter(|x| x.rule == "CK-META-900").collect();
    assert_eq!(invalid.len(), 4, "{invalid:#?}");
    assert!(
        invalid
            .iter()
            .all(|x| x.pointer == "/metadata/annotations/chartkit.io~1ignore"
                && x.severity == policy::Severity::Error)
    );
    assert!(
        invalid[0].message.contains("no reason")
            || invalid.iter().any(|x| x.message.contains("no reason"))
    );
    assert!(find(&f, "CK-IMG-001", "api").suppressed.is_none());
    assert!(find(&f, "CK-SEC-004", "api").suppressed.is_none());
}

#[test]
fn an_expired_suppression_is_a_finding_and_suppresses_nothing() {
    let text = release(
        "{}",
        r#"{ chartkit.io/ignore: "CK-IMG-001=temporary until 2026-06-14, CK-SEC-004=today is fine until 2026-06-15" }"#,
    );
    let (_, f) = super::run(&text, "dev-center", 29, &today());
    let expired: Vec<_> = f.iter().filter(|x| x.rule == "CK-META-901").collect();
    assert_eq!(expired.len(), 1);
    assert_eq!(
        expired[0].pointer,
        "/spec/template/metadata/annotations/chartkit.io~1ignore"
    );
    assert!(expired[0].message.contains("2026-06-14"));
    assert!(find(&f, "CK-IMG-001", "api").suppressed.is_none());
    assert!(find(&f, "CK-SEC-004", "api").suppressed.is_some());
    // Without a date for today, expiry is not evaluated.
    let (_, g) = super::run(&text, "dev-center", 29, &Settings::default());
    assert!(g.iter().all(|x| x.rule != "CK-META-901"));
    assert!(find(&g, "CK-IMG-001", "api").suppressed.is_some());
}

#[test]
fn dates_parse_strictly() {
    assert_eq!(
        Date::parse("2024-02-29").map(|d| d.to_string()).as_deref(),
        Some("2024-02-29")
    );
    for bad in [
        "2023-02-29",
        "2024-13-01",
        "2024-1-01",
        "24-01-01",
        "2024-01-00",
        "2024/01/01",
    ] {
        assert!(Date::parse(bad).is_none(), "{bad}");
    }
}
