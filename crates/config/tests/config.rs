//! chartkit.yaml: parsing, expansion into renders, and errors that point at the offending key.

use std::path::Path;

use config::{ConfigError, parse};

const VALID: &str = r#"version: 1
defaults:
  kubeVersion: "1.30"
crds: [crds/extra.yaml]
targets:
  - name: ts-api
    chart: helm-charts/js-service-base
    namespace: dev-center
    values: [examples/ts-api/values.yaml]
    set: ["image.tag=1.2.3"]
    overlays:
      - name: dev
        values: [examples/ts-api/values-dev.yaml]
      - name: prod
        values: [examples/ts-api/values-prod.yaml]
        set: ["replicaCount=3"]
  - name: worker
    chart: helm-charts/python-service-base
    release: worker-rel
    namespace: ai-platform
    helmVersion: 3
    kubeVersion: v1.31.2
"#;

#[test]
fn a_valid_file_expands_into_renders() {
    let c = parse(VALID, "chartkit.yaml").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(c.version, 1);
    assert_eq!(c.crds, vec!["crds/extra.yaml"]);
    assert_eq!(c.golden_dir, "fixtures/golden", "the default");
    let custom = parse(
        "version: 1\ngolden: {dir: goldens}\ntargets: [{name: a, chart: c, namespace: ns}]\n",
        "chartkit.yaml",
    )
    .unwrap();
    assert_eq!(custom.golden_dir, "goldens");
    let ts = c.target("ts-api").unwrap();
    assert_eq!(ts.release, "ts-api", "release defaults to the target name");
    assert_eq!(ts.kube_version, "1.30", "inherited from defaults");
    assert_eq!(ts.helm_version, 4);
    assert_eq!(ts.line, 6);
    let worker = c.target("worker").unwrap();
    assert_eq!(
        (
            worker.release.as_str(),
            worker.kube_version.as_str(),
            worker.helm_version
        ),
        ("worker-rel", "v1.31.2", 3)
    );
    let renders = c.renders();
    let ids: Vec<&str> = renders.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, vec!["ts-api/dev", "ts-api/prod", "worker"]);
    assert_eq!(
        renders[1].values,
        vec![
            "examples/ts-api/values.yaml",
            "examples/ts-api/values-prod.yaml"
        ]
    );
    assert_eq!(renders[1].set, vec!["image.tag=1.2.3", "replicaCount=3"]);
    assert!(renders[2].values.is_empty() && renders[2].overlay.is_none());
}

fn errors(text: &str) -> Vec<ConfigError> {
    match parse(text, "chartkit.yaml") {
        Ok(c) => panic!("expected errors, parsed {c:?}"),
        Err(e) => e.0,
    }
}

fn one_error(text: &str) -> (u32, u32, String) {
    let errs = errors(text);
    assert_eq!(errs.len(), 1, "{errs:?}");
    let e = &errs[0];
    (e.line, e.column, e.message.clone())
}

#[test]
fn an_unknown_key_is_reported_where_it_is_written() {
    let errs =
        errors("version: 1\ntargets:\n  - name: a\n    chart: c\n    namepsace: dev-center\n");
    // The missing `namespace` is reported at the target, the typo where it is written.
    assert_eq!(errs.len(), 2, "{errs:?}");
    assert_eq!((errs[0].line, errs[0].column), (3, 5), "{errs:?}");
    assert!(errs[0].message.contains("namespace"), "{errs:?}");
    assert_eq!((errs[1].line, errs[1].column), (5, 5), "{errs:?}");
    assert_eq!(errs[1].message, "unknown key 'targets[0].namepsace'");
    let errs = errors(
        "version: 1\ntargets:\n  - name: a\n    chart: c\n    namespace: dev-center\n    valeus: [x.yaml]\n",
    );
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!((errs[0].line, errs[0].column), (6, 5));
    assert!(errs[0].message.contains("valeus"), "{}", errs[0].message);
    assert!(errs[0].to_string().starts_with("chartkit.yaml:6:5: "));
}

#[test]
fn wrong_types_and_values_are_reported() {
    let (line, col, msg) = one_error(
        "version: 1\ntargets:\n  - name: a\n    chart: c\n    namespace: dev-center\n    values: x.yaml\n",
    );
    assert_eq!((line, col), (6, 5), "{msg}");
    assert!(msg.contains("targets[0].values"), "{msg}");

    let (line, _, msg) =
        one_error("version: 2\ntargets:\n  - {name: a, chart: c, namespace: ns}\n");
    assert_eq!(line, 1, "{msg}");

    let (line, _, msg) = one_error(
        "version: 1\ntargets:\n  - name: Not_Valid\n    chart: c\n    namespace: dev-center\n",
    );
    assert_eq!(line, 3, "{msg}");

    let (line, _, msg) =
        one_error("version: 1\ntargets:\n  - {name: a, chart: c, namespace: ns, helmVersion: 5}\n");
    assert_eq!(line, 3, "{msg}");
}

#[test]
fn missing_required_sections_are_reported() {
    let errs = errors("targets: []\n");
    assert!(
        errs.iter().any(|e| e.message.contains("version")),
        "{errs:?}"
    );
    assert!(!errors("version: 1\n").is_empty());
}

#[test]
fn duplicate_names_are_reported_at_the_second_one() {
    let errs = errors(
        "version: 1\ntargets:\n  - {name: a, chart: c, namespace: ns}\n  - name: a\n    chart: d\n    namespace: ns\n    overlays:\n      - name: dev\n      - name: dev\n",
    );
    assert_eq!(errs.len(), 2, "{errs:?}");
    assert_eq!(errs[0].line, 4);
    assert!(errs[0].message.contains("first defined on line 3"));
    assert_eq!(errs[1].line, 9);
    assert!(errs[1].message.contains("duplicate overlay name"));
}

#[test]
fn broken_yaml_names_the_line() {
    let errs = errors("version: 1\ntargets:\n  - name: [a\n");
    assert_eq!(errs.len(), 1);
    assert!(errs[0].line > 0, "{errs:?}");
    assert!(errs[0].message.starts_with("yaml: "), "{errs:?}");
}

/// The repository's own chartkit.yaml is valid, and every chart and values file it names exists.
#[test]
fn the_repository_config_is_valid() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let text = std::fs::read_to_string(root.join("chartkit.yaml")).expect("chartkit.yaml");
    let c = parse(&text, "chartkit.yaml").unwrap_or_else(|e| panic!("{e}"));
    assert!(!c.targets.is_empty());
    for r in c.renders() {
        assert!(
            root.join(&r.target.chart).join("Chart.yaml").is_file(),
            "{}: chart {} not found",
            r.id,
            r.target.chart
        );
        for v in &r.values {
            assert!(
                root.join(v).is_file(),
                "{}: values file {v} not found",
                r.id
            );
        }
    }
}

#[test]
fn the_schema_is_json_and_describes_every_property() {
    let schema: serde_json::Value = serde_json::from_str(config::SCHEMA).unwrap();
    fn walk(v: &serde_json::Value, path: &str) {
        if let Some(props) = v.get("properties").and_then(|p| p.as_object()) {
            for (k, p) in props {
                assert!(
                    p.get("description").is_some() || p.get("$ref").is_some(),
                    "{path}.{k} has no description"
                );
                walk(p, &format!("{path}.{k}"));
            }
        }
        if let Some(items) = v.get("items") {
            walk(items, path);
        }
        if let Some(defs) = v.get("definitions").and_then(|d| d.as_object()) {
            for (k, d) in defs {
                walk(d, &format!("#{k}"));
            }
        }
    }
    walk(&schema, "");
}

#[test]
fn rules_and_external_objects_are_kept() {
    let text = "version: 1\nrules:\n  CK-RES-003: { severity: error, mode: forbid }\n  probes-identical: off\nexternalObjects:\n  - { kind: PriorityClass, name: platform-high }\n  - { kind: Secret, namespace: auth, name: ecr-pull }\ntargets: [{name: a, chart: c, namespace: ns}]\n";
    let c = parse(text, "chartkit.yaml").unwrap_or_else(|e| panic!("{e}"));
    let rules = c.rules.expect("rules kept");
    let goyaml::NodeValue::Map(entries) = &rules.value else {
        panic!("rules is a mapping")
    };
    // The node keeps the file's positions, for errors at the offending rule.
    assert_eq!(entries[1].0.name, "probes-identical");
    assert_eq!((entries[1].0.pos.line, entries[1].0.pos.column), (4, 3));
    assert_eq!(c.external_objects.len(), 2);
    assert_eq!(c.external_objects[0].kind, "PriorityClass");
    assert_eq!(c.external_objects[0].namespace, None);
    assert_eq!(c.external_objects[1].namespace.as_deref(), Some("auth"));
    let none = parse(
        "version: 1\ntargets: [{name: a, chart: c, namespace: ns}]\n",
        "chartkit.yaml",
    )
    .unwrap();
    assert!(none.rules.is_none() && none.external_objects.is_empty());
}

#[test]
fn bad_rules_and_external_objects_are_errors_at_their_place() {
    let e = parse(
        "version: 1\nrules: [CK-RES-003]\ntargets: [{name: a, chart: c, namespace: ns}]\n",
        "chartkit.yaml",
    )
    .unwrap_err();
    assert_eq!((e.0[0].line, e.0[0].column), (2, 1), "{e}");
    assert!(e.0[0].message.starts_with("at rules:"), "{e}");
    let e = parse(
        "version: 1\nrules:\n  CK-RES-003: loud\ntargets: [{name: a, chart: c, namespace: ns}]\n",
        "chartkit.yaml",
    )
    .unwrap_err();
    assert_eq!((e.0[0].line, e.0[0].column), (3, 3), "{e}");
    let e = parse(
        "version: 1\nexternalObjects:\n  - { kind: Secret, nmae: x }\ntargets: [{name: a, chart: c, namespace: ns}]\n",
        "chartkit.yaml",
    )
    .unwrap_err();
    let text = e.to_string();
    assert!(
        text.contains("chartkit.yaml:3:5: at externalObjects[0]: missing property 'name'"),
        "{text}"
    );
    assert!(
        text.contains("chartkit.yaml:3:21: unknown key 'externalObjects[0].nmae'"),
        "{text}"
    );
}
