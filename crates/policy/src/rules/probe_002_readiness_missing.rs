//! CK-PROBE-002 `readiness-missing`.

use schema::Severity;

use crate::engine::Ctx;
use crate::pod::ContainerKind;
use crate::relations::services_selecting;
use crate::rules::{Rule, RuleDoc};
use crate::settings::Level;
use crate::yaml::{get, join};

pub(crate) static RULE: Rule = Rule {
    doc: RuleDoc {
        id: "CK-PROBE-002",
        name: "readiness-missing",
        default_severity: Level::Error,
        summary: "App containers of long-running workloads define a `readinessProbe`: an error when a Service of the release selects the pod, a warning otherwise.",
        why: "Without a readiness probe a pod receives traffic as soon as its process starts, and keeps receiving it while overloaded or shutting down; rolling updates then drop requests.",
        example: "containers:\n  - name: api\n    livenessProbe: { httpGet: { path: /healthz, port: http } }\n    # no readinessProbe, and a Service selects this pod",
        fix: "Add a `readinessProbe` that fails while the container cannot serve (warming up, draining, dependencies down).",
        options: &[],
        sub_ids: &[],
    },
    run,
};

fn run(ctx: &mut Ctx<'_>) {
    for pod in ctx.pods.iter().filter(|p| p.is_long_running_workload()) {
        let services = services_selecting(ctx, pod);
        let severity = if services.is_empty() {
            Severity::Warning
        } else {
            Severity::Error
        };
        let behind = match services.first() {
            Some(&s) => format!(
                " although Service {:?} sends it traffic",
                ctx.release.objects[s].name
            ),
            None => String::new(),
        };
        for c in pod
            .containers()
            .into_iter()
            .filter(|c| c.kind == ContainerKind::App)
        {
            if get(c.node, "readinessProbe").is_none() {
                ctx.emit_at(
                    severity,
                    pod.object,
                    join(&c.ptr, "readinessProbe"),
                    c.id(),
                    format!("container {:?} has no readiness probe{behind}", c.name),
                );
            }
        }
    }
}
