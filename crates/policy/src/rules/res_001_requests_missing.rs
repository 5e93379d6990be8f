//! CK-RES-001 `requests-missing`.

use crate::engine::Ctx;
use crate::relations::limitrange_default;
use crate::rules::{Rule, RuleDoc};
use crate::settings::Level;

pub(crate) static RULE: Rule = Rule {
    doc: RuleDoc {
        id: "CK-RES-001",
        name: "requests-missing",
        default_severity: Level::Error,
        summary: "Every init and app container requests cpu and memory (a limit counts, since the API copies it into a missing request; so does a LimitRange defaultRequest in the release).",
        why: "Without requests the scheduler packs pods blindly, the pod is BestEffort and evicted first, ResourceQuotas that track requests reject it, and autoscalers cannot compute utilisation.",
        example: "containers:\n  - name: api\n    image: api:1.2.3\n    resources:\n      limits: { memory: 512Mi }   # no cpu request",
        fix: "Set `resources.requests.cpu` and `resources.requests.memory` (in the chart's values) to the container's steady-state usage.",
        options: &[],
        sub_ids: &[],
    },
    run,
};

fn run(ctx: &mut Ctx<'_>) {
    for pod in ctx.pods {
        for c in pod.init_and_app() {
            for resource in ["cpu", "memory"] {
                let (request, ptr) = c.resource("requests", resource);
                let (limit, _) = c.resource("limits", resource);
                if request.is_some() || limit.is_some() {
                    continue;
                }
                if limitrange_default(ctx, pod.namespace(), "defaultRequest", resource)
                    || limitrange_default(ctx, pod.namespace(), "default", resource)
                {
                    continue;
                }
                ctx.emit(
                    pod.object,
                    ptr,
                    c.id(),
                    format!(
                        "container {:?} has no {resource} request, and no LimitRange in the release would default one",
                        c.name
                    ),
                );
            }
        }
    }
}
