//! CK-REF-007 `pdb-selects-nothing`.

use crate::engine::Ctx;
use crate::labels::Selector;
use crate::relations::{is_replicated, pods_selected, replica_floor};
use crate::rules::{Rule, RuleDoc};
use crate::settings::Level;
use crate::yaml::path;

pub(crate) static RULE: Rule = Rule {
    doc: RuleDoc {
        id: "CK-REF-007",
        name: "pdb-selects-nothing",
        default_severity: Level::Error,
        summary: "A PodDisruptionBudget selects at least one pod template of the release in its namespace; a replicated workload (Deployment, StatefulSet, ReplicaSet) with a replica floor of 2 or more is covered by exactly one PDB.",
        why: "A PDB that selects nothing protects nothing during node drains; with two PDBs on one pod the eviction API refuses to evict it at all, and node upgrades stall.",
        example: "kind: PodDisruptionBudget\nspec:\n  selector: { matchLabels: { app.kubernetes.io/name: orders } }   # pods are orders-api",
        fix: "Use the workload's selector labels in the PDB, and render one PDB per workload.",
        options: &[],
        sub_ids: &[],
    },
    run,
};

fn run(ctx: &mut Ctx<'_>) {
    let pdbs: Vec<_> = ctx
        .of_kind("PodDisruptionBudget")
        .map(|(i, p)| {
            (
                i,
                p,
                Selector::from_label_selector(path(&p.node, &["spec", "selector"])),
            )
        })
        .collect();
    for (i, pdb, sel) in &pdbs {
        if pods_selected(ctx, &pdb.namespace, sel).is_empty() {
            ctx.emit(
                *i,
                "/spec/selector".into(),
                None,
                format!(
                    "PodDisruptionBudget {:?} selects no pod of the release",
                    pdb.name
                ),
            );
        }
    }
    for pod in ctx.selectable.iter().filter(|p| is_replicated(&p.obj.kind)) {
        let floor = replica_floor(ctx, pod.obj);
        if floor < 2.0 {
            continue;
        }
        let covering: Vec<String> = pdbs
            .iter()
            .filter(|(_, pdb, sel)| pdb.namespace == pod.namespace() && sel.matches(&pod.labels))
            .map(|(_, pdb, _)| format!("{:?}", pdb.name))
            .collect();
        let message = match covering.len() {
            1 => continue,
            0 => format!(
                "{} {:?} runs {floor} replicas but no PodDisruptionBudget covers it",
                pod.obj.kind, pod.obj.name
            ),
            _ => format!(
                "{} {:?} is covered by {} PodDisruptionBudgets ({}); eviction refuses pods with more than one",
                pod.obj.kind,
                pod.obj.name,
                covering.len(),
                covering.join(", ")
            ),
        };
        ctx.emit(pod.object, pod.meta_ptr.clone() + "/labels", None, message);
    }
}
