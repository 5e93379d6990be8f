//! Parse and execute a realistic 200-line Helm-style Deployment template.

use criterion::{Criterion, criterion_group, criterion_main};
use gotmpl::{List, Map, MissingKey, Options, TemplateSet, Value};

const TEMPLATE: &str = include_str!("deployment.tmpl");

const VALUES: &str = r#"{
  "Values": {
    "nameOverride": "", "fullnameOverride": "", "partOf": "dev-center", "replicaCount": 3,
    "revisionHistoryLimit": 5, "autoscaling": {"enabled": false},
    "annotations": {"team": "payments", "owner": "platform@example.com"},
    "strategy": {"type": "RollingUpdate", "maxSurge": "25%", "maxUnavailable": 0},
    "podLabels": {"tier": "api", "lang": "typescript"},
    "podAnnotations": {"prometheus.io/scrape": "true", "prometheus.io/port": "9090"},
    "configChecksum": "0123456789abcdef", "automountServiceAccountToken": false,
    "imagePullSecrets": [{"name": "ecr"}],
    "podSecurityContext": {"runAsUser": 1000, "fsGroup": 1000}, "priorityClassName": "standard",
    "image": {"registry": "123456789012.dkr.ecr.eu-west-1.amazonaws.com", "repository": "payments-api", "tag": "1.4.2", "pullPolicy": "IfNotPresent"},
    "command": ["node"], "args": ["dist/server.js", "--port", "8080"],
    "ports": {"http": {"containerPort": 8080, "protocol": "TCP"}, "metrics": {"containerPort": 9090, "protocol": "TCP"}},
    "env": [{"name": "NODE_ENV", "value": "production"}, {"name": "LOG_LEVEL", "value": "info"},
            {"name": "DB_PASSWORD", "secret": "db", "key": "password"}, {"name": "REGION", "value": "eu-west-1"}],
    "envFrom": ["payments-config"],
    "probes": {"port": "http", "liveness": {"path": "/healthz", "initialDelaySeconds": 10, "periodSeconds": 10},
               "readiness": {"path": "/ready", "periodSeconds": 5}, "startup": {"path": "/healthz", "failureThreshold": 30}},
    "resources": {"requests": {"cpu": "100m", "memory": "256Mi", "ephemeral-storage": "100Mi"}, "limits": {"cpu": "500m", "memory": "512Mi"}},
    "volumes": [{"name": "config", "mountPath": "/etc/app", "kind": "configMap", "source": "payments-config", "readOnly": true},
                {"name": "certs", "mountPath": "/etc/certs", "kind": "secret", "source": "payments-tls", "readOnly": true},
                {"name": "cache", "mountPath": "/var/cache", "kind": "emptyDir"}],
    "nodeSelector": {"eks.amazonaws.com/nodegroup": "general"},
    "tolerations": [{"key": "dedicated", "operator": "Equal", "value": "api", "effect": "NoSchedule"}]
  },
  "Release": {"Name": "payments", "Namespace": "dev-center", "Service": "Helm"},
  "Chart": {"Name": "js-service-base", "AppVersion": "1.4.2"}
}"#;

fn to_value(j: &serde_json::Value) -> Value {
    match j {
        serde_json::Value::Null => Value::Nil,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => Value::Float(n.as_f64().unwrap_or_default()),
        serde_json::Value::String(s) => Value::String(s.as_str().into()),
        serde_json::Value::Array(a) => Value::List(List::new(a.iter().map(to_value).collect())),
        serde_json::Value::Object(o) => {
            let m = Map::new();
            for (k, v) in o {
                m.insert(k.clone(), to_value(v));
            }
            Value::Map(m)
        }
    }
}

fn set() -> TemplateSet {
    let mut set = TemplateSet::new("gotpl");
    set.set_options(Options {
        missing_key: MissingKey::Zero,
        ..Options::default()
    });
    set
}

fn bench(c: &mut Criterion) {
    let data = to_value(&serde_json::from_str(VALUES).expect("valid JSON"));
    c.bench_function("parse deployment (209 lines)", |b| {
        b.iter(|| {
            let mut s = set();
            s.parse("deployment.yaml", TEMPLATE).expect("parses");
            s
        })
    });
    let mut parsed = set();
    parsed.parse("deployment.yaml", TEMPLATE).expect("parses");
    let out = parsed
        .execute("deployment.yaml", data.clone())
        .expect("executes");
    assert!(out.contains("name: payments-js-service-base"), "{out}");
    c.bench_function("execute deployment (209 lines)", |b| {
        b.iter(|| {
            parsed
                .execute("deployment.yaml", data.clone())
                .expect("executes")
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
