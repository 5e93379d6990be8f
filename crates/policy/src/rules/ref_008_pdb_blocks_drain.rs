//! CK-REF-008 `pdb-blocks-drain`.

use goyaml::{Node, NodeValue};
use schema::Severity;

use crate::engine::Ctx;
use crate::labels::Selector;
use crate::relations::{is_replicated, pods_selected, replica_floor};
use crate::rules::{Rule, RuleDoc};
use crate::settings::Level;
use crate::yaml::{get, path, str_of};

pub(crate) static RULE: Rule = Rule {
    doc: RuleDoc {
        id: "CK-REF-008",
        name: "pdb-blocks-drain",
        default_severity: Level::Error,
        summary: "A PodDisruptionBudget allows at least one eviction at the replica floor of the workloads it selects (HPA `minReplicas`, else `replicas`): no `minAvailable` at or above the floor or `100%`, no `maxUnavailable: 0`. Info: `unhealthyPodEvictionPolicy: AlwaysAllow` is recommended (1.27+).",
        why: "A PDB that allows no disruption blocks `kubectl drain`: EKS managed node group upgrades time out and the cluster autoscaler or Karpenter can never remove the node.",
        example: "spec:\n  minAvailable: 2   # the Deployment runs 2 replicas",
        fix: "Use `maxUnavailable: 1` (or a `minAvailable` below the replica floor) and `unhealthyPodEvictionPolicy: AlwaysAllow`.",
        options: &[],
        sub_ids: &[],
    },
    run,
};

/// An int-or-percent against `n` replicas, rounded up as the disruption controller does.
fn scaled(v: &Node, n: f64) -> Option<f64> {
    match &v.value {
        NodeValue::Float(f) => Some(*f),
        NodeValue::String(s) => s
            .strip_suffix('%')?
            .parse::<f64>()
            .ok()
            .map(|p| (p * n / 100.0).ceil()),
        _ => None,
    }
}

fn run(ctx: &mut Ctx<'_>) {
    let pdbs: Vec<_> = ctx.of_kind("PodDisruptionBudget").collect();
    for (i, pdb) in pdbs {
        let sel = Selector::from_label_selector(path(&pdb.node, &["spec", "selector"]));
        let pods = pods_selected(ctx, &pdb.namespace, &sel);
        let replicated: Vec<_> = pods.iter().filter(|p| is_replicated(&p.obj.kind)).collect();
        let floor: f64 = replicated.iter().map(|p| replica_floor(ctx, p.obj)).sum();
        // With no pod at the floor (scaled to zero) there is nothing to evict.
        if floor > 0.0 {
            if let Some(min) = path(&pdb.node, &["spec", "minAvailable"])
                && scaled(min, floor).is_some_and(|m| m >= floor)
            {
                ctx.emit(i, "/spec/minAvailable".into(), None, format!("PodDisruptionBudget {:?} requires {} available of {floor} replicas: no pod can ever be evicted", pdb.name, crate::pod::show_port(min)));
            }
            if let Some(max) = path(&pdb.node, &["spec", "maxUnavailable"])
                && scaled(max, floor) == Some(0.0)
            {
                ctx.emit(
                    i,
                    "/spec/maxUnavailable".into(),
                    None,
                    format!(
                        "PodDisruptionBudget {:?} allows no unavailable pod: node drains block",
                        pdb.name
                    ),
                );
            }
        }
        if ctx.release.kube_minor >= 27
            && get(&pdb.node, "spec")
                .and_then(|s| get(s, "unhealthyPodEvictionPolicy"))
                .and_then(str_of)
                != Some("AlwaysAllow")
        {
            ctx.emit_at(Severity::Info, i, "/spec/unhealthyPodEvictionPolicy".into(), None, format!("PodDisruptionBudget {:?}: set unhealthyPodEvictionPolicy: AlwaysAllow so crash-looping pods do not block drains", pdb.name));
        }
    }
}
