//! CK-REF-001 `servicemonitor-selects-nothing`.

use crate::engine::Ctx;
use crate::relations::monitored_services;
use crate::rules::{Rule, RuleDoc};
use crate::settings::Level;

pub(crate) static RULE: Rule = Rule {
    doc: RuleDoc {
        id: "CK-REF-001",
        name: "servicemonitor-selects-nothing",
        default_severity: Level::Error,
        summary: "A ServiceMonitor's `selector` matches the labels of at least one Service of the release (the Service's own labels, not its pods'), in the namespaces its `namespaceSelector` allows (none: its own; `any: true`: all; `matchNames`).",
        why: "A ServiceMonitor that selects nothing makes Prometheus scrape nothing, silently: dashboards go blank and alerts on absent metrics are rarely written.",
        example: "kind: ServiceMonitor\nspec:\n  selector: { matchLabels: { app.kubernetes.io/name: orders } }   # the Service is labelled orders-api",
        fix: "Select the Service's labels (the chart's selector labels are on the Service too), and list its namespace in `namespaceSelector` if it lives elsewhere.",
        options: &[],
        sub_ids: &[],
    },
    run,
};

fn run(ctx: &mut Ctx<'_>) {
    let monitors: Vec<_> = ctx.of_kind("ServiceMonitor").collect();
    for (i, sm) in monitors {
        if monitored_services(ctx, sm).is_empty() {
            ctx.emit(
                i,
                "/spec/selector".into(),
                None,
                format!(
                    "ServiceMonitor {:?} selects no Service of the release",
                    sm.name
                ),
            );
        }
    }
}
