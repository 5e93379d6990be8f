//! CK-RES-002 `memory-limit-missing`.

use crate::engine::Ctx;
use crate::relations::limitrange_default;
use crate::rules::{Rule, RuleDoc};
use crate::settings::Level;

pub(crate) static RULE: Rule = Rule {
    doc: RuleDoc {
        id: "CK-RES-002",
        name: "memory-limit-missing",
        default_severity: Level::Error,
        summary: "Every init and app container sets `resources.limits.memory` (or a LimitRange `default` in the release gives it one).",
        why: "A container without a memory limit can take the node's memory until the kernel OOM-kills a neighbour; memory is not compressible, so throttling cannot save the node.",
        example: "resources:\n  requests: { cpu: 100m, memory: 256Mi }\n  # no limits.memory",
        fix: "Set `resources.limits.memory`, usually 1.5–2× the memory request.",
        options: &[],
        sub_ids: &[],
    },
    run,
};

fn run(ctx: &mut Ctx<'_>) {
    for pod in ctx.pods {
        for c in pod.init_and_app() {
            let (limit, ptr) = c.resource("limits", "memory");
            if limit.is_some() || limitrange_default(ctx, pod.namespace(), "default", "memory") {
                continue;
            }
            ctx.emit(
                pod.object,
                ptr,
                c.id(),
                format!("container {:?} has no memory limit", c.name),
            );
        }
    }
}
