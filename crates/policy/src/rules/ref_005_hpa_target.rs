//! CK-REF-005 `hpa-target`.

use crate::engine::Ctx;
use crate::pod::ContainerKind;
use crate::rules::{Rule, RuleDoc};
use crate::settings::Level;
use crate::yaml::{get, items, num_of, path, str_of};

pub(crate) static RULE: Rule = Rule {
    doc: RuleDoc {
        id: "CK-REF-005",
        name: "hpa-target",
        default_severity: Level::Error,
        summary: "A HorizontalPodAutoscaler's `scaleTargetRef` names a workload of the release; its Resource and ContainerResource metrics (cpu, memory) find that request set on the target's containers; `maxReplicas > minReplicas` and `minReplicas >= 2`.",
        why: "An HPA on a missing target does nothing; utilisation of a resource without a request cannot be computed, so the HPA never scales; min equal to max is a fixed size in disguise, and a single replica has no redundancy.",
        example: "spec:\n  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: orders }\n  minReplicas: 1\n  maxReplicas: 1",
        fix: "Point `scaleTargetRef` at the chart's workload, set the requests of every metric's resource, and use `minReplicas: 2` or more with a larger `maxReplicas`.",
        options: &[],
        sub_ids: &[],
    },
    run,
};

fn run(ctx: &mut Ctx<'_>) {
    let hpas: Vec<_> = ctx.of_kind("HorizontalPodAutoscaler").collect();
    for (i, hpa) in hpas {
        let r = path(&hpa.node, &["spec", "scaleTargetRef"]);
        let field = |k: &str| r.and_then(|r| get(r, k)).and_then(str_of).unwrap_or("");
        let (api, kind, name) = (field("apiVersion"), field("kind"), field("name"));
        let target = ctx.objects().find(|(_, o)| {
            o.kind == kind
                && o.name == name
                && o.namespace == hpa.namespace
                && (api.is_empty() || o.api_version == api)
        });
        match target {
            None => ctx.emit(
                i,
                "/spec/scaleTargetRef/name".into(),
                None,
                format!(
                    "HPA {:?} targets {kind} {name:?}, which is not in the release",
                    hpa.name
                ),
            ),
            Some((t, _)) => {
                if let (Some(pod), Some(metrics)) = (
                    ctx.pods.iter().find(|p| p.object == t),
                    path(&hpa.node, &["spec", "metrics"]),
                ) {
                    for (j, m) in items(metrics).iter().enumerate() {
                        let ty = get(m, "type").and_then(str_of).unwrap_or("");
                        let (key, only) = match ty {
                            "Resource" => ("resource", None),
                            "ContainerResource" => (
                                "containerResource",
                                path(m, &["containerResource", "container"]).and_then(str_of),
                            ),
                            _ => continue,
                        };
                        let Some(resource) = path(m, &[key, "name"]).and_then(str_of) else {
                            continue;
                        };
                        let lacking: Vec<String> = pod
                            .containers()
                            .into_iter()
                            .filter(|c| {
                                c.kind == ContainerKind::App && only.is_none_or(|o| o == c.name)
                            })
                            .filter(|c| {
                                c.resource("requests", resource).0.is_none()
                                    && c.resource("limits", resource).0.is_none()
                            })
                            .map(|c| format!("{:?}", c.name))
                            .collect();
                        if !lacking.is_empty() {
                            ctx.emit(i, format!("/spec/metrics/{j}/{key}/name"), None, format!("HPA {:?} scales on {resource} utilisation, but container {} requests no {resource}", hpa.name, lacking.join(", ")));
                        }
                    }
                }
            }
        }
        let min = path(&hpa.node, &["spec", "minReplicas"])
            .and_then(num_of)
            .unwrap_or(1.0);
        if let Some(max) = path(&hpa.node, &["spec", "maxReplicas"]).and_then(num_of)
            && max <= min
        {
            ctx.emit(
                i,
                "/spec/maxReplicas".into(),
                None,
                format!(
                    "HPA {:?} has maxReplicas {max} <= minReplicas {min}: it can never scale",
                    hpa.name
                ),
            );
        }
        if min < 2.0 {
            ctx.emit(
                i,
                "/spec/minReplicas".into(),
                None,
                format!(
                    "HPA {:?} lets the workload scale down to {min} replica",
                    hpa.name
                ),
            );
        }
    }
}
