//! CK-REF-006 `hpa-replicas-conflict`.

use crate::engine::Ctx;
use crate::relations::hpa_for;
use crate::rules::{Rule, RuleDoc};
use crate::settings::Level;
use crate::yaml::path;

pub(crate) static RULE: Rule = Rule {
    doc: RuleDoc {
        id: "CK-REF-006",
        name: "hpa-replicas-conflict",
        default_severity: Level::Warning,
        summary: "A workload targeted by a HorizontalPodAutoscaler of the release does not set `spec.replicas`.",
        why: "On every `helm upgrade` the chart's replica count overwrites what the HPA chose: a scaled-out service drops back to the chart's number in the middle of a traffic peak.",
        example: "kind: Deployment\nspec:\n  replicas: 3   # and an HPA targets this Deployment",
        fix: "Leave `spec.replicas` out when autoscaling is enabled (`{{- if not .Values.autoscaling.enabled }}`).",
        options: &[],
        sub_ids: &[],
    },
    run,
};

fn run(ctx: &mut Ctx<'_>) {
    let workloads: Vec<_> = ctx
        .objects()
        .filter(|(_, o)| path(&o.node, &["spec", "replicas"]).is_some())
        .collect();
    for (i, w) in workloads {
        if let Some((_, hpa)) = hpa_for(ctx, w) {
            ctx.emit(
                i,
                "/spec/replicas".into(),
                None,
                format!(
                    "{} {:?} sets replicas although HPA {:?} manages them",
                    w.kind, w.name, hpa.name
                ),
            );
        }
    }
}
