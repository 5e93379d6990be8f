//! CK-NET-007 `networkpolicy-coverage`.

use schema::Severity;

use crate::engine::Ctx;
use crate::labels::Selector;
use crate::model::Object;
use crate::relations::pods_selected;
use crate::rules::{Rule, RuleDoc};
use crate::settings::Level;
use crate::yaml::{bool_of, items, path, str_of};

pub(crate) static RULE: Rule = Rule {
    doc: RuleDoc {
        id: "CK-NET-007",
        name: "networkpolicy-coverage",
        default_severity: Level::Warning,
        summary: "Every pod template is selected by a NetworkPolicy of the release in its namespace that governs ingress (and egress, with option `egress: true`); a NetworkPolicy whose selector matches no pod template is an error.",
        why: "Without a policy any pod of the cluster can reach the workload; a policy that selects nothing (label typo) gives the impression of isolation while protecting nothing.",
        example: "kind: NetworkPolicy\nspec:\n  podSelector: { matchLabels: { app.kubernetes.io/name: order-api } }   # the pods say orders-api",
        fix: "Ship a NetworkPolicy with the chart whose podSelector uses the workload's selector labels and allows only the expected callers.",
        options: &["egress"],
        sub_ids: &[],
    },
    run,
};

fn governs(np: &Object, direction: &str) -> bool {
    match path(&np.node, &["spec", "policyTypes"]) {
        Some(types) => items(types).iter().any(|t| str_of(t) == Some(direction)),
        // Without policyTypes: Ingress always, Egress when egress rules are written.
        None => direction == "Ingress" || path(&np.node, &["spec", "egress"]).is_some(),
    }
}

fn run(ctx: &mut Ctx<'_>) {
    let egress = ctx.option("egress").and_then(bool_of) == Some(true);
    let policies: Vec<(usize, &Object, Selector)> = ctx
        .of_kind("NetworkPolicy")
        .map(|(i, np)| {
            (
                i,
                np,
                Selector::from_label_selector(path(&np.node, &["spec", "podSelector"])),
            )
        })
        .collect();
    for (i, np, sel) in &policies {
        if !sel.is_empty() && pods_selected(ctx, &np.namespace, sel).is_empty() {
            ctx.emit_at(
                Severity::Error,
                *i,
                "/spec/podSelector".into(),
                None,
                format!("NetworkPolicy {:?} selects no pod of the release", np.name),
            );
        }
    }
    for pod in ctx.selectable {
        let covering: Vec<&Object> = policies
            .iter()
            .filter(|(_, np, sel)| np.namespace == pod.namespace() && sel.matches(&pod.labels))
            .map(|(_, np, _)| *np)
            .collect();
        let mut missing = Vec::new();
        if !covering.iter().any(|np| governs(np, "Ingress")) {
            missing.push("ingress");
        }
        if egress && !covering.iter().any(|np| governs(np, "Egress")) {
            missing.push("egress");
        }
        if missing.is_empty() {
            continue;
        }
        // Operator-made pods: where the custom resource writes their metadata.
        let template = if pod.operator {
            pod.meta_ptr.clone()
        } else {
            pod.spec_ptr.strip_suffix("/spec").unwrap_or("").to_string()
        };
        ctx.emit(
            pod.object,
            template,
            None,
            format!(
                "no NetworkPolicy of the release restricts {} traffic of {}{} {:?}",
                missing.join(" or "),
                if pod.operator { "the pods of " } else { "" },
                pod.obj.kind,
                pod.obj.name
            ),
        );
    }
}
