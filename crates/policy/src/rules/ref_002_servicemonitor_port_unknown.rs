//! CK-REF-002 `servicemonitor-port-unknown`.

use crate::engine::Ctx;
use crate::pod::show_port;
use crate::relations::{monitored_services, pods_selected, service_selector};
use crate::rules::{Rule, RuleDoc};
use crate::settings::Level;
use crate::yaml::{get, items, path, str_of};

pub(crate) static RULE: Rule = Rule {
    doc: RuleDoc {
        id: "CK-REF-002",
        name: "servicemonitor-port-unknown",
        default_severity: Level::Error,
        summary: "Each ServiceMonitor endpoint's `port` is the name of a port on every Service it selects; a `targetPort` is a container port of the pods behind them; `path` starts with `/` and `scheme` is http or https.",
        why: "Prometheus only scrapes named Service ports: an endpoint on a missing or unnamed port yields no target at all, with no error anywhere.",
        example: "endpoints:\n  - port: http-metrics   # the Service's port is named metrics",
        fix: "Name the Service port and use that name in `endpoints[].port`.",
        options: &[],
        sub_ids: &[],
    },
    run,
};

fn run(ctx: &mut Ctx<'_>) {
    let monitors: Vec<_> = ctx.of_kind("ServiceMonitor").collect();
    for (i, sm) in monitors {
        let services = monitored_services(ctx, sm);
        let Some(endpoints) = path(&sm.node, &["spec", "endpoints"]) else {
            continue;
        };
        for (j, ep) in items(endpoints).iter().enumerate() {
            let base = format!("/spec/endpoints/{j}");
            if !services.is_empty()
                && let Some(port) = get(ep, "port").and_then(str_of)
            {
                let lacking: Vec<String> = services
                    .iter()
                    .filter(|(_, s)| {
                        !path(&s.node, &["spec", "ports"]).is_some_and(|ps| {
                            items(ps)
                                .iter()
                                .any(|p| get(p, "name").and_then(str_of) == Some(port))
                        })
                    })
                    .map(|(_, s)| format!("{:?}", s.name))
                    .collect();
                if !lacking.is_empty() {
                    ctx.emit(
                        i,
                        format!("{base}/port"),
                        None,
                        format!(
                            "endpoint {j} scrapes port {port:?}, which Service {} does not name",
                            lacking.join(", ")
                        ),
                    );
                }
            }
            if !services.is_empty()
                && let Some(target) = get(ep, "targetPort")
            {
                let found = services.iter().any(|(_, s)| {
                    service_selector(s).is_some_and(|sel| {
                        pods_selected(ctx, &s.namespace, &sel)
                            .iter()
                            .any(|p| p.declares_port(target))
                    })
                });
                if !found {
                    ctx.emit(i, format!("{base}/targetPort"), None, format!("endpoint {j} scrapes targetPort {}, which no pod behind the selected Services declares", show_port(target)));
                }
            }
            if let Some(p) = get(ep, "path").and_then(str_of)
                && !p.starts_with('/')
            {
                ctx.emit(
                    i,
                    format!("{base}/path"),
                    None,
                    format!("endpoint {j} path {p:?} does not start with /"),
                );
            }
            if let Some(s) = get(ep, "scheme").and_then(str_of)
                && !["http", "https", "HTTP", "HTTPS"].contains(&s)
            {
                ctx.emit(
                    i,
                    format!("{base}/scheme"),
                    None,
                    format!("endpoint {j} scheme {s:?} is neither http nor https"),
                );
            }
        }
    }
}
