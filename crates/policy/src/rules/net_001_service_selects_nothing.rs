//! CK-NET-001 `service-selects-nothing`.

use crate::engine::Ctx;
use crate::relations::{pods_selected, service_selector};
use crate::rules::{Rule, RuleDoc};
use crate::settings::Level;
use crate::yaml::{path, str_of};

pub(crate) static RULE: Rule = Rule {
    doc: RuleDoc {
        id: "CK-NET-001",
        name: "service-selects-nothing",
        default_severity: Level::Error,
        summary: "A Service with a selector selects at least one pod template of the release in its namespace; the message names the closest template and the labels that differ. Selector-less and ExternalName Services are exempt.",
        why: "A Service that selects nothing has no endpoints: clients get connection refused while every object looks healthy, and the typo in a label is hard to spot by eye.",
        example: "kind: Service\nspec:\n  selector: { app.kubernetes.io/name: orders-api, app.kubernetes.io/component: sever }",
        fix: "Make the selector a subset of the pod template's labels (use the chart's selectorLabels helper for both).",
        options: &[],
        sub_ids: &[],
    },
    run,
};

fn run(ctx: &mut Ctx<'_>) {
    let services: Vec<_> = ctx.of_kind("Service").collect();
    for (i, svc) in services {
        if path(&svc.node, &["spec", "type"]).and_then(str_of) == Some("ExternalName") {
            continue;
        }
        let Some(sel) = service_selector(svc) else {
            continue;
        };
        if !pods_selected(ctx, &svc.namespace, &sel).is_empty() {
            continue;
        }
        let closest = ctx
            .selectable
            .iter()
            .filter(|p| p.namespace() == svc.namespace)
            .map(|p| (sel.mismatches(&p.labels), p))
            .min_by_key(|(m, p)| (m.len(), p.object));
        let detail = match closest {
            Some((m, p)) => format!(
                "; closest is {} {:?}, which differs in {}",
                p.obj.kind,
                p.obj.name,
                m.join(", ")
            ),
            None => format!(
                "; the release has no pod template in namespace {}",
                svc.namespace
            ),
        };
        ctx.emit(
            i,
            "/spec/selector".into(),
            None,
            format!(
                "Service {:?} selects no pod of the release{detail}",
                svc.name
            ),
        );
    }
}
