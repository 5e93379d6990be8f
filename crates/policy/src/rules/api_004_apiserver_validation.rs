//! CK-API-004 `apiserver-validation`: the API server's Go-side validation that the OpenAPI
//! schemas do not express.

use std::collections::BTreeSet;

use goyaml::Node;

use crate::engine::Ctx;
use crate::labels::Selector;
use crate::model::Object;
use crate::rules::{Rule, RuleDoc};
use crate::settings::Level;
use crate::yaml::{entries, get, items, join, join_all, path, scalar_text, str_of};

pub(crate) static RULE: Rule = Rule {
    doc: RuleDoc {
        id: "CK-API-004",
        name: "apiserver-validation",
        default_severity: Level::Error,
        summary: "What the API server rejects beyond the schemas (sub-ids): object names per kind (name), label keys and values (labels), workload selectors matching their template labels (selector), container names valid and unique (containerName), container and Service port names valid and unique (portName), env names valid and not duplicated (envName), probes and lifecycle hooks with exactly one handler (probeHandler).",
        why: "These errors pass every schema check and `helm template`, then fail `helm install` half-way through the release; catching them at render time keeps a broken chart out of CI and out of the cluster.",
        example: "containers:\n  - name: api_server          # not a DNS-1123 label\n    ports: [ { name: http-metrics-port, containerPort: 9090 } ]   # 17 > 15 characters",
        fix: "Use lowercase DNS-1123 names, port names of at most 15 characters, selectors that are a subset of the template labels, and one handler per probe.",
        options: &[],
        sub_ids: &[
            "name",
            "labels",
            "selector",
            "containerName",
            "portName",
            "envName",
            "probeHandler",
        ],
    },
    run,
};

fn label_part(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
}

/// DNS-1123 label: at most 63 of `[a-z0-9-]`, alphanumeric at both ends.
pub(crate) fn dns1123_label(s: &str) -> bool {
    s.len() <= 63 && label_part(s)
}

/// DNS-1123 subdomain: at most 253 characters, dot-separated labels.
pub(crate) fn dns1123_subdomain(s: &str) -> bool {
    s.len() <= 253 && s.split('.').all(label_part)
}

/// DNS-1035 label: a DNS-1123 label starting with a letter.
fn dns1035_label(s: &str) -> bool {
    dns1123_label(s) && s.as_bytes()[0].is_ascii_lowercase()
}

/// The name part of a qualified name or a non-empty label value: at most 63 of
/// `[A-Za-z0-9-_.]`, alphanumeric at both ends.
fn qualified_part(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || b"-_.".contains(c))
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
}

fn label_key(s: &str) -> bool {
    match s.split_once('/') {
        Some((prefix, name)) => dns1123_subdomain(prefix) && qualified_part(name),
        None => qualified_part(s),
    }
}

fn label_value(s: &str) -> bool {
    s.is_empty() || qualified_part(s)
}

/// IANA service name: at most 15 of `[a-z0-9-]`, a letter somewhere, no `--`, no dash at the
/// ends.
fn iana_svc_name(s: &str) -> bool {
    s.len() <= 15 && label_part(s) && !s.contains("--") && s.bytes().any(|c| c.is_ascii_lowercase())
}

fn env_name(s: &str, minor: u32) -> bool {
    if minor >= 30 {
        // RelaxedEnvironmentVariableValidation (on by default from 1.30).
        !s.is_empty() && s.bytes().all(|c| (32..=126).contains(&c) && c != b'=')
    } else {
        let b = s.as_bytes();
        !b.is_empty()
            && (b[0].is_ascii_alphabetic() || b"-._".contains(&b[0]))
            && b.iter()
                .all(|c| c.is_ascii_alphanumeric() || b"-._".contains(c))
    }
}

type Out = Vec<(&'static str, String, Option<String>, String)>;

fn check_labels(out: &mut Out, node: Option<&Node>, base: &str) {
    let Some(node) = node else { return };
    for (k, v) in entries(node) {
        let value = scalar_text(v).unwrap_or_default();
        let ptr = join(base, &k.name);
        if !label_key(&k.name) {
            out.push((
                "CK-API-004.labels",
                ptr,
                None,
                format!("label key {:?} is not a valid qualified name", k.name),
            ));
        } else if !label_value(&value) {
            out.push(("CK-API-004.labels", ptr, None, format!("label {}={value:?}: values are at most 63 characters of [A-Za-z0-9-_.], alphanumeric at both ends", k.name)));
        }
    }
}

fn check_name(out: &mut Out, obj: &Object) {
    if obj.name.is_empty() {
        return;
    }
    let (ok, what) = match obj.kind.as_str() {
        "Service" => (
            dns1035_label(&obj.name),
            "a DNS-1035 label (lowercase letter first, at most 63)",
        ),
        "Namespace" => (dns1123_label(&obj.name), "a DNS-1123 label"),
        "CronJob" => (
            dns1123_subdomain(&obj.name) && obj.name.len() <= 52,
            "a DNS-1123 subdomain of at most 52 characters",
        ),
        "Job" => (
            dns1123_subdomain(&obj.name) && obj.name.len() <= 63,
            "a DNS-1123 subdomain of at most 63 characters",
        ),
        _ => (dns1123_subdomain(&obj.name), "a DNS-1123 subdomain"),
    };
    if !ok {
        out.push((
            "CK-API-004.name",
            "/metadata/name".into(),
            None,
            format!("{} name {:?} must be {what}", obj.kind, obj.name),
        ));
    }
}

fn run(ctx: &mut Ctx<'_>) {
    let minor = ctx.release.kube_minor;
    let objects: Vec<_> = ctx.objects().collect();
    for (i, obj) in objects {
        let mut out: Out = Vec::new();
        check_name(&mut out, obj);
        check_labels(
            &mut out,
            path(&obj.node, &["metadata", "labels"]),
            "/metadata/labels",
        );
        if obj.kind == "Service" {
            check_labels(
                &mut out,
                path(&obj.node, &["spec", "selector"]),
                "/spec/selector",
            );
            let ports = path(&obj.node, &["spec", "ports"])
                .map(items)
                .unwrap_or(&[]);
            let mut seen = BTreeSet::new();
            for (j, p) in ports.iter().enumerate() {
                let ptr = format!("/spec/ports/{j}/name");
                match get(p, "name").and_then(str_of) {
                    None | Some("") if ports.len() > 1 => out.push((
                        "CK-API-004.portName",
                        ptr,
                        None,
                        format!("Service port {j} needs a name when the Service has several ports"),
                    )),
                    None | Some("") => {}
                    Some(n) if !dns1123_label(n) => out.push((
                        "CK-API-004.portName",
                        ptr,
                        None,
                        format!("Service port name {n:?} is not a DNS-1123 label"),
                    )),
                    Some(n) if !seen.insert(n) => out.push((
                        "CK-API-004.portName",
                        ptr,
                        None,
                        format!("Service port name {n:?} is used twice"),
                    )),
                    Some(_) => {}
                }
            }
        }
        if let Some(pod) = ctx.pods.iter().find(|p| p.object == i) {
            if pod.meta_ptr != "/metadata" {
                check_labels(
                    &mut out,
                    pod.meta.and_then(|m| get(m, "labels")),
                    &join(&pod.meta_ptr, "labels"),
                );
            }
            if matches!(
                obj.kind.as_str(),
                "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet"
            ) {
                let node = path(&obj.node, &["spec", "selector"]);
                check_labels(
                    &mut out,
                    node.and_then(|s| get(s, "matchLabels")),
                    "/spec/selector/matchLabels",
                );
                let sel = Selector::from_label_selector(node);
                if node.is_some() && (sel.is_empty() || !sel.matches(&pod.labels)) {
                    out.push((
                        "CK-API-004.selector",
                        "/spec/selector".into(),
                        None,
                        format!(
                            "the selector of {} {:?} does not match its pod template's labels",
                            obj.kind, obj.name
                        ),
                    ));
                }
            }
            let mut names = BTreeSet::new();
            for c in pod.containers() {
                let name_ptr = join(&c.ptr, "name");
                if !dns1123_label(&c.name) {
                    out.push((
                        "CK-API-004.containerName",
                        name_ptr,
                        c.id(),
                        format!("container name {:?} is not a DNS-1123 label", c.name),
                    ));
                } else if !names.insert(c.name.clone()) {
                    out.push((
                        "CK-API-004.containerName",
                        name_ptr,
                        c.id(),
                        format!("container name {:?} is used twice in the pod", c.name),
                    ));
                }
                let mut port_names = BTreeSet::new();
                for (j, p) in get(c.node, "ports")
                    .map(items)
                    .unwrap_or(&[])
                    .iter()
                    .enumerate()
                {
                    if let Some(n) = get(p, "name").and_then(str_of) {
                        let ptr = join_all(&c.ptr, &["ports", &j.to_string(), "name"]);
                        if !iana_svc_name(n) {
                            out.push(("CK-API-004.portName", ptr, c.id(), format!("port name {n:?} must be at most 15 lowercase letters, digits and single dashes, with a letter")));
                        } else if !port_names.insert(n) {
                            out.push((
                                "CK-API-004.portName",
                                ptr,
                                c.id(),
                                format!("port name {n:?} is used twice in container {:?}", c.name),
                            ));
                        }
                    }
                }
                let mut env_names = BTreeSet::new();
                for (j, e) in get(c.node, "env")
                    .map(items)
                    .unwrap_or(&[])
                    .iter()
                    .enumerate()
                {
                    let n = get(e, "name").and_then(str_of).unwrap_or("");
                    let ptr = join_all(&c.ptr, &["env", &j.to_string(), "name"]);
                    if !env_name(n, minor) {
                        out.push((
                            "CK-API-004.envName",
                            ptr,
                            c.id(),
                            format!("env name {n:?} is not a valid environment variable name"),
                        ));
                    } else if !env_names.insert(n) {
                        out.push((
                            "CK-API-004.envName",
                            ptr,
                            c.id(),
                            format!(
                                "env {n} is set twice in container {:?}; the last one wins",
                                c.name
                            ),
                        ));
                    }
                }
                for (holder, handlers) in [
                    (
                        "startupProbe",
                        &["exec", "httpGet", "tcpSocket", "grpc"][..],
                    ),
                    (
                        "livenessProbe",
                        &["exec", "httpGet", "tcpSocket", "grpc"][..],
                    ),
                    (
                        "readinessProbe",
                        &["exec", "httpGet", "tcpSocket", "grpc"][..],
                    ),
                    (
                        "lifecycle/postStart",
                        &["exec", "httpGet", "tcpSocket", "sleep"][..],
                    ),
                    (
                        "lifecycle/preStop",
                        &["exec", "httpGet", "tcpSocket", "sleep"][..],
                    ),
                ] {
                    let keys: Vec<&str> = holder.split('/').collect();
                    let Some(h) = path(c.node, &keys) else {
                        continue;
                    };
                    let n = handlers.iter().filter(|k| get(h, k).is_some()).count();
                    if n != 1 {
                        out.push(("CK-API-004.probeHandler", join_all(&c.ptr, &keys), c.id(), format!("{} of container {:?} has {n} handlers; exactly one of {} is required", keys.join("."), c.name, handlers.join(", "))));
                    }
                }
            }
        }
        for (sub, ptr, container, message) in out {
            ctx.emit_full(sub, None, i, ptr, container, message);
        }
    }
}
