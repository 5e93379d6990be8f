//! The embedded bundles: regenerable byte for byte from the kubernetes-validate package (when
//! it is installed; under CI=true it must be), loadable for every supported version, and the
//! run-time API around them (versions, user CRDs, `has_schema`).

use schema::{SchemaSet, Severity};

#[test]
fn kubernetes_bundles_are_up_to_date() {
    let Some(kv) = oracle::kubernetes_validate::require() else {
        return;
    };
    for &(minor, embedded) in schema::data::KUBERNETES {
        let rel = format!("kubernetes-json-schema/v1.{minor}.0-local-strict");
        let dir = kv.dir.join("kubernetes_validate").join(&rel);
        let defs = std::fs::read_to_string(dir.join("_definitions.json")).unwrap();
        let mut files: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        files.sort();
        let source = format!(
            "kubernetes-validate {} {rel} (descriptions removed)",
            oracle::kubernetes_validate::VERSION
        );
        let json = schema::data::kubernetes_bundle_json(&source, &defs, &files).unwrap();
        assert!(
            schema::data::compress(&json) == embedded,
            "schemas/kubernetes/v1.{minor}.json.gz is stale: run `cargo xtask schemas`"
        );
    }
}

#[test]
fn every_version_loads_and_knows_the_common_kinds() {
    for minor in 29..=35 {
        let set = SchemaSet::bundled(minor).unwrap();
        for (av, kind) in [
            ("apps/v1", "Deployment"),
            ("v1", "Service"),
            ("batch/v1", "CronJob"),
            ("networking.k8s.io/v1", "Ingress"),
            ("monitoring.coreos.com/v1", "ServiceMonitor"),
            ("external-secrets.io/v1", "ExternalSecret"),
            ("elbv2.k8s.aws/v1beta1", "TargetGroupBinding"),
        ] {
            assert!(set.has_schema(av, kind), "1.{minor}: {av} {kind}");
        }
        assert!(
            !set.has_schema("policy/v1beta1", "PodDisruptionBudget"),
            "1.{minor}"
        );
        assert!(!set.has_schema("example.com/v1", "Widget"));
    }
    // flowcontrol v1beta3 is served up to 1.31
    assert!(
        SchemaSet::bundled(31)
            .unwrap()
            .has_schema("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema")
    );
    assert!(
        !SchemaSet::bundled(32)
            .unwrap()
            .has_schema("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema")
    );
}

#[test]
fn unsupported_versions_name_the_range() {
    for minor in [0, 28, 36] {
        let e = SchemaSet::bundled(minor).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("no schemas for Kubernetes 1.{minor}: the supported versions are 1.29 to 1.35")
        );
    }
}

const WIDGET_CRD: &str = r#"apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            required: [size]
            properties:
              size: {type: integer, minimum: 1, maximum: 10}
              color: {type: string, enum: [red, blue]}
              port: {x-kubernetes-int-or-string: true, anyOf: [{type: integer}, {type: string}]}
              memory:
                anyOf: [{type: integer}, {type: string}]
                pattern: ^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$
                x-kubernetes-int-or-string: true
              free: {type: object, x-kubernetes-preserve-unknown-fields: true}
              name: {type: string, pattern: '^[a-z]+$', maxLength: 5}
  - name: v2
    served: true
    storage: false
    schema:
      openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
---
apiVersion: v1
kind: Namespace
metadata: {name: skipped}
"#;

fn findings(set: &SchemaSet, yaml: &str) -> Vec<String> {
    let doc = goyaml::load(yaml, 0).unwrap();
    set.validate(&doc)
        .iter()
        .map(|f| format!("{} {} {}", f.rule, f.pointer, f.message))
        .collect()
}

#[test]
fn user_crds_validate_custom_resources() {
    let mut set = SchemaSet::bundled(29).unwrap();
    let cr = "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec:\n  size: 3\n";
    assert_eq!(
        findings(&set, cr),
        [
            "CK-SCHEMA-004  no schema for example.com/v1 Widget at Kubernetes 1.29: the object is not validated (add its CustomResourceDefinition)"
        ]
    );
    assert_eq!(set.add_crd(WIDGET_CRD, "widgets.yaml").unwrap(), 2);
    assert!(set.has_schema("example.com/v1", "Widget"));
    assert!(set.has_schema("example.com/v2", "Widget"));
    assert_eq!(findings(&set, cr), Vec::<String>::new());
    let bad = "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec:\n  size: 30\n  color: green\n  port: 1.5\n  memory: 1.5.5\n  free: {anything: 1}\n  name: ABCDEFG\n  colour: red\n";
    assert_eq!(
        findings(&set, bad),
        [
            "CK-SCHEMA-004 /spec/size spec.size: integer 30 must be <= 10",
            "CK-SCHEMA-004 /spec/color spec.color: unsupported value \"green\": supported values: \"red\", \"blue\"",
            "CK-SCHEMA-004 /spec/port spec.port: expected integer or string, got number 1.5",
            "CK-SCHEMA-004 /spec/memory spec.memory: invalid quantity \"1.5.5\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
            "CK-SCHEMA-004 /spec/name spec.name: \"ABCDEFG\" does not match the pattern \"^[a-z]+$\"",
            "CK-SCHEMA-004 /spec/name spec.name: must be at most 5 characters long",
            "CK-SCHEMA-004 /spec/colour spec: unknown field \"colour\" (did you mean \"color\"?)",
        ]
    );
    let missing =
        "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w, labels: {a: 1}}\nspec: {}\n";
    assert_eq!(
        findings(&set, missing),
        [
            "CK-SCHEMA-004 /metadata/labels/a metadata.labels.a: expected string, got integer 1",
            "CK-SCHEMA-004 /spec spec: missing required field \"size\"",
        ]
    );
    // the v2 schema preserves unknown fields
    assert!(
        findings(
            &set,
            "apiVersion: example.com/v2\nkind: Widget\nmetadata: {name: w}\nspec: {x: 1}\n"
        )
        .is_empty()
    );
}

#[test]
fn user_crd_errors_carry_positions() {
    let mut set = SchemaSet::bundled(29).unwrap();
    let e = set.add_crd("a: [1\n", "bad.yaml").unwrap_err();
    assert!(e.to_string().starts_with("bad.yaml:"), "{e}");
    assert_eq!(e.file.as_deref(), Some("bad.yaml"));
    let e = set
        .add_crd(
            "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: x}\nspec:\n  group: g\n  names: {kind: X}\n  versions:\n  - name: v1\n    served: true\n",
            "x.yaml",
        )
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "x.yaml:8:5: CustomResourceDefinition: missing schema.openAPIV3Schema"
    );
}

#[test]
fn messages_read_like_kubectl() {
    let set = SchemaSet::bundled(29).unwrap();
    let doc = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: \"3\"\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec:\n      containers:\n      - name: c\n        image: i\n        resource: {}\n";
    let node = goyaml::load(doc, 0).unwrap();
    let f = set.validate(&node);
    assert_eq!(f.len(), 2);
    assert_eq!(
        (f[0].line, f[0].column, f[0].rule),
        (6, 13, "CK-SCHEMA-001")
    );
    assert_eq!(
        f[0].message,
        "spec.replicas: expected integer, got string \"3\""
    );
    assert_eq!(f[0].pointer, "/spec/replicas");
    assert_eq!(
        (f[1].line, f[1].column, f[1].rule),
        (14, 9, "CK-SCHEMA-002")
    );
    assert_eq!(
        f[1].message,
        "spec.template.spec.containers[0]: unknown field \"resource\" (did you mean \"resources\"?)"
    );
    assert!(f.iter().all(|f| f.severity == Severity::Error));
    let removed = goyaml::load(
        "apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata: {name: p}\n",
        0,
    )
    .unwrap();
    let f = set.validate(&removed);
    assert_eq!(f.len(), 1);
    assert_eq!(
        f[0].message,
        "policy/v1beta1 PodDisruptionBudget is no longer served since Kubernetes 1.25: use policy/v1"
    );
    let deprecated = goyaml::load("apiVersion: flowcontrol.apiserver.k8s.io/v1beta3\nkind: FlowSchema\nmetadata: {name: f}\nspec: {priorityLevelConfiguration: {name: x}}\n", 0).unwrap();
    let f = set.validate(&deprecated);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(
        (f[0].rule, f[0].severity),
        ("CK-API-002", Severity::Warning)
    );
    assert_eq!(
        f[0].message,
        "flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema is deprecated since Kubernetes 1.29 and removed in 1.32: use flowcontrol.apiserver.k8s.io/v1"
    );
}
