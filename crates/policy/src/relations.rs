//! Relations between objects of a release: selection, targets, existence.

use crate::engine::Ctx;
use crate::labels::{Labels, Selector, labels_of};
use crate::model::Object;
use crate::pod::PodTemplate;
use crate::yaml::{get, path, str_of};

/// The labels of an object (`metadata.labels`).
pub(crate) fn object_labels(obj: &Object) -> Labels {
    labels_of(path(&obj.node, &["metadata", "labels"]))
}

/// A Service's selector, if it has a non-empty one.
pub(crate) fn service_selector(svc: &Object) -> Option<Selector> {
    let sel = Selector::from_map(path(&svc.node, &["spec", "selector"]));
    (!sel.is_empty()).then_some(sel)
}

/// Pod templates in `namespace` that `selector` selects.
pub(crate) fn pods_selected<'a>(
    ctx: &Ctx<'a>,
    namespace: &str,
    selector: &Selector,
) -> Vec<&'a PodTemplate<'a>> {
    ctx.selectable
        .iter()
        .filter(|p| p.namespace() == namespace && selector.matches(&p.labels))
        .collect()
}

/// Indices of the Services (with selectors) in the pod's namespace that select it.
pub(crate) fn services_selecting(ctx: &Ctx<'_>, pod: &PodTemplate<'_>) -> Vec<usize> {
    ctx.of_kind("Service")
        .filter(|(_, s)| s.namespace == pod.namespace())
        .filter(|(_, s)| service_selector(s).is_some_and(|sel| sel.matches(&pod.labels)))
        .map(|(i, _)| i)
        .collect()
}

/// The HorizontalPodAutoscaler targeting object `target`, if any.
pub(crate) fn hpa_for<'a>(ctx: &Ctx<'a>, target: &Object) -> Option<(usize, &'a Object)> {
    ctx.of_kind("HorizontalPodAutoscaler").find(|(_, h)| {
        let r = path(&h.node, &["spec", "scaleTargetRef"]);
        h.namespace == target.namespace
            && r.and_then(|r| get(r, "kind")).and_then(str_of) == Some(target.kind.as_str())
            && r.and_then(|r| get(r, "name")).and_then(str_of) == Some(target.name.as_str())
    })
}

/// Whether an object of `kind` named `name` exists in `namespace` (or anywhere for
/// `namespace = None`) in the release or among the settings' external objects.
pub(crate) fn exists(ctx: &Ctx<'_>, kind: &str, namespace: Option<&str>, name: &str) -> bool {
    ctx.objects().any(|(_, o)| {
        o.kind == kind && o.name == name && namespace.is_none_or(|ns| o.namespace == ns)
    }) || ctx.settings.external_objects.iter().any(|e| {
        e.kind == kind
            && e.name == name
            && (namespace.is_none() || e.namespace.is_none() || e.namespace.as_deref() == namespace)
    })
}

/// Whether a LimitRange of the release in `namespace` gives containers a `field`
/// (`defaultRequest` or `default`) for `resource`.
pub(crate) fn limitrange_default(
    ctx: &Ctx<'_>,
    namespace: &str,
    field: &str,
    resource: &str,
) -> bool {
    ctx.of_kind("LimitRange")
        .filter(|(_, l)| l.namespace == namespace)
        .any(|(_, l)| {
            path(&l.node, &["spec", "limits"]).is_some_and(|limits| {
                crate::yaml::items(limits).iter().any(|item| {
                    get(item, "type").and_then(str_of) == Some("Container")
                        && path(item, &[field, resource]).is_some()
                })
            })
        })
}

/// Whether a (Service|Pod)Monitor's `spec.namespaceSelector` lets it look in `namespace`
/// (none: its own namespace; `any: true`: all; `matchNames`: those).
pub(crate) fn monitor_sees_namespace(monitor: &Object, namespace: &str) -> bool {
    match path(&monitor.node, &["spec", "namespaceSelector"]) {
        Some(ns) if get(ns, "any").and_then(crate::yaml::bool_of) == Some(true) => true,
        Some(ns) if get(ns, "matchNames").is_some() => get(ns, "matchNames").is_some_and(|m| {
            crate::yaml::items(m)
                .iter()
                .any(|n| str_of(n) == Some(namespace))
        }),
        _ => monitor.namespace == namespace,
    }
}

/// The Services of the release a ServiceMonitor selects (by the Services' own labels).
pub(crate) fn monitored_services<'a>(ctx: &Ctx<'a>, sm: &Object) -> Vec<(usize, &'a Object)> {
    let sel = Selector::from_label_selector(path(&sm.node, &["spec", "selector"]));
    ctx.of_kind("Service")
        .filter(|(_, s)| monitor_sees_namespace(sm, &s.namespace) && sel.matches(&object_labels(s)))
        .collect()
}

/// Whether a port name looks like a metrics port (`metrics`, `http-metrics`, `*-metrics`,
/// `prom*`).
pub(crate) fn is_metrics_port_name(name: &str) -> bool {
    name == "metrics" || name.ends_with("-metrics") || name.starts_with("prom")
}

/// The replica floor of a workload: its HPA's `minReplicas` (default 1) if an HPA targets it,
/// else `spec.replicas` (default 1).
pub(crate) fn replica_floor(ctx: &Ctx<'_>, workload: &Object) -> f64 {
    match hpa_for(ctx, workload) {
        Some((_, h)) => path(&h.node, &["spec", "minReplicas"])
            .and_then(crate::yaml::num_of)
            .unwrap_or(1.0),
        None => path(&workload.node, &["spec", "replicas"])
            .and_then(crate::yaml::num_of)
            .unwrap_or(1.0),
    }
}

/// Whether a pod template belongs to a replicated workload (the kinds a PDB protects with a
/// replica count).
pub(crate) fn is_replicated(kind: &str) -> bool {
    matches!(
        kind,
        "Deployment"
            | "StatefulSet"
            | "ReplicaSet"
            | "ReplicationController"
            | "Prometheus"
            | "Alertmanager"
    )
}
