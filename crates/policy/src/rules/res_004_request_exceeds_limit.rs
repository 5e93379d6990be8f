//! CK-RES-004 `request-exceeds-limit`.

use crate::engine::Ctx;
use crate::qty;
use crate::rules::{Rule, RuleDoc};
use crate::settings::Level;
use crate::yaml::{entries, join, path, scalar_text};

pub(crate) static RULE: Rule = Rule {
    doc: RuleDoc {
        id: "CK-RES-004",
        name: "request-exceeds-limit",
        default_severity: Level::Error,
        summary: "For every resource with no vendor prefix (cpu, memory, ephemeral-storage, hugepages-*, ...), a request is at most the limit when both are set, compared exactly.",
        why: "The API server rejects a pod whose request exceeds its limit, so the release fails at install time (or, for a Deployment, every new ReplicaSet fails to create pods).",
        example: "resources:\n  requests: { memory: 1Gi }\n  limits:   { memory: 1000Mi }   # 1Gi = 1024Mi > 1000Mi",
        fix: "Lower the request or raise the limit; remember that `Gi` is 1024³ bytes and `G` 1000³.",
        options: &[],
        sub_ids: &[],
    },
    run,
};

fn run(ctx: &mut Ctx<'_>) {
    for pod in ctx.pods {
        for c in pod.init_and_app() {
            let Some(requests) = path(c.node, &["resources", "requests"]) else {
                continue;
            };
            for (k, req) in entries(requests) {
                if k.name.contains('/') && !k.name.contains("kubernetes.io/") {
                    continue; // extended resources: CK-RES-005
                }
                let Some(lim) = path(c.node, &["resources", "limits", &k.name]) else {
                    continue;
                };
                let (Some(rq), Some(lq)) = (qty::of(req), qty::of(lim)) else {
                    continue;
                };
                if rq > lq {
                    let ptr = join(&join(&join(&c.ptr, "resources"), "requests"), &k.name);
                    ctx.emit(
                        pod.object,
                        ptr,
                        c.id(),
                        format!(
                            "container {:?} requests {} {} but is limited to {}",
                            c.name,
                            scalar_text(req).unwrap_or_default(),
                            k.name,
                            scalar_text(lim).unwrap_or_default()
                        ),
                    );
                }
            }
        }
    }
}
