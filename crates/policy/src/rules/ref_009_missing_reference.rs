//! CK-REF-009 `missing-reference`.

use goyaml::Node;
use schema::Severity;

use crate::engine::Ctx;
use crate::relations::exists;
use crate::rules::{Rule, RuleDoc};
use crate::settings::Level;
use crate::yaml::{bool_of, get, items, join, join_all, path, str_of};

pub(crate) static RULE: Rule = Rule {
    doc: RuleDoc {
        id: "CK-REF-009",
        name: "missing-reference",
        default_severity: Level::Error,
        summary: "Every ServiceAccount, ConfigMap, Secret (env `valueFrom`, `envFrom`, volumes, projected sources, `imagePullSecrets`), PersistentVolumeClaim and PriorityClass a pod references exists in the release (Secrets also when an ExternalSecret of the namespace produces them) or among the declared external objects; references marked `optional: true` are reported as info.",
        why: "A pod referencing a missing object never starts (CreateContainerConfigError, or stuck Pending/ContainerCreating); with Helm's `--wait` the release times out long after the cause was rendered.",
        example: "envFrom:\n  - secretRef: { name: orders-api }   # no Secret or ExternalSecret named orders-api",
        fix: "Render the object with the chart (or an ExternalSecret for secrets), fix the name, or declare it as an external object of the platform.",
        options: &[],
        sub_ids: &[],
    },
    run,
};

struct Ref {
    kind: &'static str,
    name: String,
    ptr: String,
    optional: bool,
    container: Option<String>,
}

fn optional(n: &Node) -> bool {
    get(n, "optional").and_then(bool_of) == Some(true)
}

fn push(
    out: &mut Vec<Ref>,
    kind: &'static str,
    holder: &Node,
    key: &str,
    ptr: String,
    container: Option<String>,
) {
    if let Some(name) = get(holder, key).and_then(str_of).filter(|n| !n.is_empty()) {
        out.push(Ref {
            kind,
            name: name.to_string(),
            ptr: join(&ptr, key),
            optional: optional(holder),
            container,
        });
    }
}

fn secret_exists(ctx: &Ctx<'_>, namespace: &str, name: &str) -> bool {
    exists(ctx, "Secret", Some(namespace), name)
        || ctx.objects().any(|(_, o)| {
            o.kind == "ExternalSecret"
                && o.namespace == namespace
                && path(&o.node, &["spec", "target", "name"])
                    .and_then(str_of)
                    .unwrap_or(&o.name)
                    == name
        })
}

fn run(ctx: &mut Ctx<'_>) {
    for pod in ctx.pods {
        let mut refs = Vec::new();
        let spec = pod.spec;
        for key in ["serviceAccountName", "serviceAccount"] {
            if let Some(sa) = get(spec, key)
                .and_then(str_of)
                .filter(|s| !s.is_empty() && *s != "default")
            {
                refs.push(Ref {
                    kind: "ServiceAccount",
                    name: sa.into(),
                    ptr: join(&pod.spec_ptr, key),
                    optional: false,
                    container: None,
                });
                break;
            }
        }
        if let Some(pc) = get(spec, "priorityClassName").and_then(str_of)
            && !pc.is_empty()
            && pc != "system-cluster-critical"
            && pc != "system-node-critical"
        {
            refs.push(Ref {
                kind: "PriorityClass",
                name: pc.into(),
                ptr: join(&pod.spec_ptr, "priorityClassName"),
                optional: false,
                container: None,
            });
        }
        if let Some(ips) = get(spec, "imagePullSecrets") {
            for (i, s) in items(ips).iter().enumerate() {
                push(
                    &mut refs,
                    "Secret",
                    s,
                    "name",
                    join_all(&pod.spec_ptr, &["imagePullSecrets", &i.to_string()]),
                    None,
                );
            }
        }
        for c in pod.containers() {
            if let Some(env) = get(c.node, "env") {
                for (i, e) in items(env).iter().enumerate() {
                    let base = join_all(&c.ptr, &["env", &i.to_string(), "valueFrom"]);
                    if let Some(r) = path(e, &["valueFrom", "configMapKeyRef"]) {
                        push(
                            &mut refs,
                            "ConfigMap",
                            r,
                            "name",
                            join(&base, "configMapKeyRef"),
                            c.id(),
                        );
                    }
                    if let Some(r) = path(e, &["valueFrom", "secretKeyRef"]) {
                        push(
                            &mut refs,
                            "Secret",
                            r,
                            "name",
                            join(&base, "secretKeyRef"),
                            c.id(),
                        );
                    }
                }
            }
            if let Some(env_from) = get(c.node, "envFrom") {
                for (i, e) in items(env_from).iter().enumerate() {
                    let base = join_all(&c.ptr, &["envFrom", &i.to_string()]);
                    if let Some(r) = get(e, "configMapRef") {
                        push(
                            &mut refs,
                            "ConfigMap",
                            r,
                            "name",
                            join(&base, "configMapRef"),
                            c.id(),
                        );
                    }
                    if let Some(r) = get(e, "secretRef") {
                        push(
                            &mut refs,
                            "Secret",
                            r,
                            "name",
                            join(&base, "secretRef"),
                            c.id(),
                        );
                    }
                }
            }
        }
        for (vol, ptr) in pod.volumes() {
            if let Some(v) = get(vol, "configMap") {
                push(
                    &mut refs,
                    "ConfigMap",
                    v,
                    "name",
                    join(&ptr, "configMap"),
                    None,
                );
            }
            if let Some(v) = get(vol, "secret") {
                push(
                    &mut refs,
                    "Secret",
                    v,
                    "secretName",
                    join(&ptr, "secret"),
                    None,
                );
            }
            if let Some(v) = get(vol, "persistentVolumeClaim") {
                push(
                    &mut refs,
                    "PersistentVolumeClaim",
                    v,
                    "claimName",
                    join(&ptr, "persistentVolumeClaim"),
                    None,
                );
            }
            if let Some(sources) = path(vol, &["projected", "sources"]) {
                for (i, s) in items(sources).iter().enumerate() {
                    let base = join_all(&ptr, &["projected", "sources", &i.to_string()]);
                    if let Some(v) = get(s, "configMap") {
                        push(
                            &mut refs,
                            "ConfigMap",
                            v,
                            "name",
                            join(&base, "configMap"),
                            None,
                        );
                    }
                    if let Some(v) = get(s, "secret") {
                        push(&mut refs, "Secret", v, "name", join(&base, "secret"), None);
                    }
                }
            }
        }
        let ns = pod.namespace();
        for r in refs {
            let found = match r.kind {
                "Secret" => secret_exists(ctx, ns, &r.name),
                "PriorityClass" => exists(ctx, r.kind, None, &r.name),
                kind => exists(ctx, kind, Some(ns), &r.name),
            };
            if found {
                continue;
            }
            let mut message = format!(
                "{} {:?} is referenced but not in the release",
                r.kind, r.name
            );
            if r.kind == "Secret" {
                message.push_str(" (nor produced by an ExternalSecret)");
            }
            if r.optional {
                message.push_str("; the reference is optional");
                ctx.emit_at(Severity::Info, pod.object, r.ptr, r.container, message);
            } else {
                ctx.emit(pod.object, r.ptr, r.container, message);
            }
        }
    }
}
