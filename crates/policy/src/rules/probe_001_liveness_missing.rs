//! CK-PROBE-001 `liveness-missing`.

use crate::engine::Ctx;
use crate::pod::ContainerKind;
use crate::rules::{Rule, RuleDoc};
use crate::settings::Level;
use crate::yaml::{get, join};

pub(crate) static RULE: Rule = Rule {
    doc: RuleDoc {
        id: "CK-PROBE-001",
        name: "liveness-missing",
        default_severity: Level::Error,
        summary: "App containers of Deployments, StatefulSets, DaemonSets and ReplicaSets define a `livenessProbe` (init containers, Jobs, CronJobs, bare Pods and Helm test hooks are exempt).",
        why: "Without a liveness probe a deadlocked or wedged process keeps its pod Running for ever; the kubelet only restarts containers that exit.",
        example: "containers:\n  - name: api\n    image: api:1.2.3\n    readinessProbe: { httpGet: { path: /readyz, port: http } }",
        fix: "Add a `livenessProbe` that checks the process itself (not its dependencies), with a failure budget larger than the readiness probe's.",
        options: &[],
        sub_ids: &[],
    },
    run,
};

fn run(ctx: &mut Ctx<'_>) {
    for pod in ctx.pods.iter().filter(|p| p.is_long_running_workload()) {
        for c in pod
            .containers()
            .into_iter()
            .filter(|c| c.kind == ContainerKind::App)
        {
            if get(c.node, "livenessProbe").is_none() {
                ctx.emit(
                    pod.object,
                    join(&c.ptr, "livenessProbe"),
                    c.id(),
                    format!("container {:?} has no liveness probe", c.name),
                );
            }
        }
    }
}
