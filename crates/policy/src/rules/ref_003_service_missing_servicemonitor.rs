//! CK-REF-003 `service-missing-servicemonitor`.

use goyaml::NodeValue;

use crate::engine::Ctx;
use crate::labels::Selector;
use crate::relations::{
    is_metrics_port_name, monitor_sees_namespace, monitored_services, pods_selected,
    service_selector,
};
use crate::rules::{Rule, RuleDoc};
use crate::settings::Level;
use crate::yaml::{get, items, path, str_of};

pub(crate) static RULE: Rule = Rule {
    doc: RuleDoc {
        id: "CK-REF-003",
        name: "service-missing-servicemonitor",
        default_severity: Level::Warning,
        summary: "A Service exposing a metrics port (named `metrics`, `http-metrics`, `*-metrics` or `prom*`, or targeting a container port so named) is selected by a ServiceMonitor of the release, or its pods by a PodMonitor.",
        why: "The platform requires every service that exports metrics to be scraped; an exported but unscraped endpoint means missing dashboards and alerts that never fire.",
        example: "kind: Service\nspec:\n  ports: [ { name: metrics, port: 9464 } ]   # and no ServiceMonitor in the release",
        fix: "Enable the chart's ServiceMonitor (`metrics.serviceMonitor.enabled`), selecting the Service's labels and naming the metrics port.",
        options: &[],
        sub_ids: &[],
    },
    run,
};

fn run(ctx: &mut Ctx<'_>) {
    let services: Vec<_> = ctx.of_kind("Service").collect();
    for (i, svc) in services {
        let Some(ports) = path(&svc.node, &["spec", "ports"]) else {
            continue;
        };
        let metrics = items(ports).iter().position(|p| {
            get(p, "name").and_then(str_of).is_some_and(is_metrics_port_name)
                || matches!(get(p, "targetPort").map(|t| &t.value), Some(NodeValue::String(t)) if is_metrics_port_name(t))
        });
        let Some(j) = metrics else { continue };
        let by_sm = ctx
            .of_kind("ServiceMonitor")
            .any(|(_, sm)| monitored_services(ctx, sm).iter().any(|(k, _)| *k == i));
        let pods = service_selector(svc)
            .map(|sel| pods_selected(ctx, &svc.namespace, &sel))
            .unwrap_or_default();
        let by_pm = ctx.of_kind("PodMonitor").any(|(_, pm)| {
            let sel = Selector::from_label_selector(path(&pm.node, &["spec", "selector"]));
            pods.iter()
                .any(|p| monitor_sees_namespace(pm, p.namespace()) && sel.matches(&p.labels))
        });
        if !by_sm && !by_pm {
            ctx.emit(
                i,
                format!("/spec/ports/{j}"),
                None,
                format!("Service {:?} exposes a metrics port but no ServiceMonitor or PodMonitor of the release scrapes it", svc.name),
            );
        }
    }
}
