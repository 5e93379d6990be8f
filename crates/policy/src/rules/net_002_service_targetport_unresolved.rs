//! CK-NET-002 `service-targetport-unresolved`.

use goyaml::NodeValue;
use schema::Severity;

use crate::engine::Ctx;
use crate::pod::show_port;
use crate::relations::{pods_selected, service_selector};
use crate::rules::{Rule, RuleDoc};
use crate::settings::Level;
use crate::yaml::{get, items, path};

pub(crate) static RULE: Rule = Rule {
    doc: RuleDoc {
        id: "CK-NET-002",
        name: "service-targetport-unresolved",
        default_severity: Level::Error,
        summary: "Every port of a Service resolves in every pod template it selects: a named `targetPort` is a declared container port name (error otherwise); a numeric one (or the defaulted `port`) is a declared `containerPort` (warning otherwise).",
        why: "Endpoints are built per pod: where the named port does not exist the pod is silently left out of the Service, and an undeclared number usually means the Service points at the wrong port.",
        example: "ports:\n  - name: http\n    port: 80\n    targetPort: http-web   # the container declares `http`",
        fix: "Target the container port by the name the pod template declares, and declare every port the Service uses.",
        options: &[],
        sub_ids: &[],
    },
    run,
};

fn run(ctx: &mut Ctx<'_>) {
    let services: Vec<_> = ctx.of_kind("Service").collect();
    for (i, svc) in services {
        let Some(sel) = service_selector(svc) else {
            continue;
        };
        let pods = pods_selected(ctx, &svc.namespace, &sel);
        if pods.is_empty() {
            continue; // CK-NET-001
        }
        let Some(ports) = path(&svc.node, &["spec", "ports"]) else {
            continue;
        };
        for (j, port) in items(ports).iter().enumerate() {
            let Some(target) = get(port, "targetPort").or_else(|| get(port, "port")) else {
                continue;
            };
            let missing: Vec<String> = pods
                .iter()
                .filter(|p| !p.declares_port(target))
                .map(|p| format!("{} {:?}", p.obj.kind, p.obj.name))
                .collect();
            if missing.is_empty() {
                continue;
            }
            let named = matches!(target.value, NodeValue::String(_));
            let (severity, what) = if named {
                (Severity::Error, "no container port named")
            } else {
                (Severity::Warning, "no declared containerPort")
            };
            ctx.emit_at(
                severity,
                i,
                format!("/spec/ports/{j}/targetPort"),
                None,
                format!(
                    "Service {:?} port {j} targets {}, but {} has {what} {}",
                    svc.name,
                    show_port(target),
                    missing.join(", "),
                    show_port(target)
                ),
            );
        }
    }
}
