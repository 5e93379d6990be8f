//! CK-NET-003 `ingress-backend-missing`.

use goyaml::Node;

use crate::engine::Ctx;
use crate::relations::exists;
use crate::rules::{Rule, RuleDoc};
use crate::settings::Level;
use crate::yaml::{get, items, num_of, path, str_of};

pub(crate) static RULE: Rule = Rule {
    doc: RuleDoc {
        id: "CK-NET-003",
        name: "ingress-backend-missing",
        default_severity: Level::Error,
        summary: "Every Ingress backend (rules and default backend) names a Service of the release (or a declared external one) in the Ingress's namespace, and a port that Service has (by name or number).",
        why: "A backend on a missing Service or port makes the load balancer answer 503 for that path while the Ingress itself reports nothing wrong.",
        example: "backend:\n  service:\n    name: orders-api\n    port: { name: https }   # the Service only has `http`",
        fix: "Reference the Service's name and one of its `ports[].name` (or `port`) exactly.",
        options: &[],
        sub_ids: &[],
    },
    run,
};

fn run(ctx: &mut Ctx<'_>) {
    let ingresses: Vec<_> = ctx.of_kind("Ingress").collect();
    for (i, ing) in ingresses {
        let mut backends: Vec<(&Node, String)> = Vec::new();
        if let Some(b) = path(&ing.node, &["spec", "defaultBackend", "service"]) {
            backends.push((b, "/spec/defaultBackend/service".into()));
        }
        if let Some(rules) = path(&ing.node, &["spec", "rules"]) {
            for (r, rule) in items(rules).iter().enumerate() {
                if let Some(paths) = path(rule, &["http", "paths"]) {
                    for (p, hp) in items(paths).iter().enumerate() {
                        if let Some(b) = path(hp, &["backend", "service"]) {
                            backends.push((
                                b,
                                format!("/spec/rules/{r}/http/paths/{p}/backend/service"),
                            ));
                        }
                    }
                }
            }
        }
        for (b, ptr) in backends {
            let name = get(b, "name").and_then(str_of).unwrap_or("");
            let svc = ctx
                .of_kind("Service")
                .find(|(_, s)| s.name == name && s.namespace == ing.namespace);
            let Some((_, svc)) = svc else {
                if !exists(ctx, "Service", Some(&ing.namespace), name) {
                    ctx.emit(i, format!("{ptr}/name"), None, format!("Ingress {:?} routes to Service {name:?}, which does not exist in namespace {}", ing.name, ing.namespace));
                }
                continue;
            };
            let ports = path(&svc.node, &["spec", "ports"])
                .map(items)
                .unwrap_or(&[]);
            if let Some(pname) = path(b, &["port", "name"]).and_then(str_of) {
                if !ports
                    .iter()
                    .any(|p| get(p, "name").and_then(str_of) == Some(pname))
                {
                    ctx.emit(
                        i,
                        format!("{ptr}/port/name"),
                        None,
                        format!("Service {name:?} has no port named {pname:?}"),
                    );
                }
            } else if let Some(num) = path(b, &["port", "number"]).and_then(num_of)
                && !ports
                    .iter()
                    .any(|p| get(p, "port").and_then(num_of) == Some(num))
            {
                ctx.emit(
                    i,
                    format!("{ptr}/port/number"),
                    None,
                    format!("Service {name:?} has no port {num}"),
                );
            }
        }
    }
}
