//! CK-PROBE-004 `probes-identical`.

use goyaml::Node;

use crate::engine::Ctx;
use crate::rules::{Rule, RuleDoc};
use crate::settings::Level;
use crate::yaml::{get, join, num_of, same};

pub(crate) static RULE: Rule = Rule {
    doc: RuleDoc {
        id: "CK-PROBE-004",
        name: "probes-identical",
        default_severity: Level::Warning,
        summary: "The liveness probe checks exactly what the readiness probe checks (same handler) and its failure budget (`failureThreshold × periodSeconds`) is not larger.",
        why: "When both probes fail together, the kubelet restarts a container that was only temporarily unready (overloaded, waiting on a dependency), turning a slowdown into an outage.",
        example: "livenessProbe:  { httpGet: { path: /healthz, port: http } }\nreadinessProbe: { httpGet: { path: /healthz, port: http } }",
        fix: "Give liveness a larger failure budget than readiness (or a cheaper endpoint that only checks the process), and use a startupProbe for slow starts.",
        options: &[],
        sub_ids: &[],
    },
    run,
};

const HANDLERS: [&str; 4] = ["exec", "httpGet", "tcpSocket", "grpc"];

/// `failureThreshold × periodSeconds`, with the API defaults 3 and 10.
fn budget(probe: &Node) -> f64 {
    let f = get(probe, "failureThreshold")
        .and_then(num_of)
        .unwrap_or(3.0);
    let p = get(probe, "periodSeconds").and_then(num_of).unwrap_or(10.0);
    f * p
}

fn run(ctx: &mut Ctx<'_>) {
    for pod in ctx.pods {
        for c in pod.containers() {
            let (Some(live), Some(ready)) =
                (get(c.node, "livenessProbe"), get(c.node, "readinessProbe"))
            else {
                continue;
            };
            let same_handler = HANDLERS
                .iter()
                .any(|h| match (get(live, h), get(ready, h)) {
                    (Some(a), Some(b)) => same(a, b),
                    _ => false,
                });
            if same_handler && budget(live) <= budget(ready) {
                ctx.emit(
                    pod.object,
                    join(&c.ptr, "livenessProbe"),
                    c.id(),
                    format!(
                        "container {:?}: the liveness probe is the readiness probe with no larger failure budget ({}s vs {}s), so a busy container is restarted instead of taken out of rotation",
                        c.name,
                        budget(live),
                        budget(ready)
                    ),
                );
            }
        }
    }
}
