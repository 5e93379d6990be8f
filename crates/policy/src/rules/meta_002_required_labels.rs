//! CK-META-002 `required-labels`.

use crate::engine::Ctx;
use crate::labels::labels_of;
use crate::rules::{Rule, RuleDoc};
use crate::settings::Level;
use crate::yaml::{entries, get, items, join, join_all, path, str_of};

pub(crate) static RULE: Rule = Rule {
    doc: RuleDoc {
        id: "CK-META-002",
        name: "required-labels",
        default_severity: Level::Error,
        summary: "Workloads and their pod templates carry `app.kubernetes.io/name`, `app.kubernetes.io/instance` and `app.kubernetes.io/part-of` (option `labels` replaces the list); workload and Service selectors do not use the mutable labels `app.kubernetes.io/version` or `helm.sh/chart`.",
        why: "Cost reports, dashboards and on-call routing group by these labels; a selector on a label that changes with every chart or app version breaks the next upgrade (selectors are immutable, so the Deployment must be deleted).",
        example: "spec:\n  selector:\n    matchLabels: { app.kubernetes.io/name: orders-api, helm.sh/chart: js-service-base-1.0.0 }",
        fix: "Use the chart library's labels helper for metadata and its selectorLabels helper (name, instance, component) for selectors.",
        options: &["labels"],
        sub_ids: &[],
    },
    run,
};

const REQUIRED: [&str; 3] = [
    "app.kubernetes.io/name",
    "app.kubernetes.io/instance",
    "app.kubernetes.io/part-of",
];
const MUTABLE: [&str; 2] = ["app.kubernetes.io/version", "helm.sh/chart"];

fn run(ctx: &mut Ctx<'_>) {
    let required: Vec<String> = match ctx.option("labels") {
        Some(n) => items(n)
            .iter()
            .filter_map(str_of)
            .map(str::to_string)
            .collect(),
        None => REQUIRED.iter().map(|s| s.to_string()).collect(),
    };
    for pod in ctx.pods {
        let obj = pod.obj;
        let mut places = vec![(
            "/metadata".to_string(),
            labels_of(path(&obj.node, &["metadata", "labels"])),
        )];
        if !pod.meta_ptr.is_empty() && pod.meta_ptr != "/metadata" {
            places.push((pod.meta_ptr.clone(), pod.labels.clone()));
        }
        for (base, labels) in places {
            for key in &required {
                if !labels.contains_key(key) {
                    ctx.emit(
                        pod.object,
                        join_all(&base, &["labels", key]),
                        None,
                        format!("{} {:?} lacks label {key} at {base}", obj.kind, obj.name),
                    );
                }
            }
        }
        if let Some(sel) = path(&obj.node, &["spec", "selector"]) {
            let mut keys: Vec<(String, String)> = get(sel, "matchLabels")
                .map(|m| {
                    entries(m)
                        .iter()
                        .map(|(k, _)| {
                            (
                                k.name.clone(),
                                join_all("/spec/selector/matchLabels", &[&k.name]),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            if let Some(exprs) = get(sel, "matchExpressions") {
                for (i, e) in items(exprs).iter().enumerate() {
                    if let Some(k) = get(e, "key").and_then(str_of) {
                        keys.push((
                            k.to_string(),
                            format!("/spec/selector/matchExpressions/{i}/key"),
                        ));
                    }
                }
            }
            for (k, ptr) in keys {
                if MUTABLE.contains(&k.as_str()) {
                    ctx.emit(
                        pod.object,
                        ptr,
                        None,
                        format!(
                            "{} {:?} selects on the mutable label {k}",
                            obj.kind, obj.name
                        ),
                    );
                }
            }
        }
    }
    let services: Vec<_> = ctx.of_kind("Service").collect();
    for (i, svc) in services {
        if let Some(sel) = path(&svc.node, &["spec", "selector"]) {
            for (k, _) in entries(sel) {
                if MUTABLE.contains(&k.name.as_str()) {
                    ctx.emit(
                        i,
                        join("/spec/selector", &k.name),
                        None,
                        format!(
                            "Service {:?} selects on the mutable label {}",
                            svc.name, k.name
                        ),
                    );
                }
            }
        }
    }
}
