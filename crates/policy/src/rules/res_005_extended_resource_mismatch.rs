//! CK-RES-005 `extended-resource-mismatch`.

use crate::engine::Ctx;
use crate::qty;
use crate::rules::{Rule, RuleDoc};
use crate::settings::Level;
use crate::yaml::{entries, join, path, scalar_text};

pub(crate) static RULE: Rule = Rule {
    doc: RuleDoc {
        id: "CK-RES-005",
        name: "extended-resource-mismatch",
        default_severity: Level::Error,
        summary: "Extended resources (`nvidia.com/gpu`, any `vendor/name`) and hugepages cannot be overcommitted: a request needs a limit, request equals limit, and extended resources are whole numbers.",
        why: "The API server rejects a request without a limit, a request different from the limit, or a fractional GPU; the failure only shows at install time, often in a namespace the chart author never tests.",
        example: "resources:\n  requests: { nvidia.com/gpu: 1 }\n  limits:   { nvidia.com/gpu: 2 }",
        fix: "Set the limit (the request may then be omitted: it defaults to the limit) and keep the two equal, in whole units.",
        options: &[],
        sub_ids: &[],
    },
    run,
};

fn is_extended(name: &str) -> bool {
    name.contains('/') && !name.contains("kubernetes.io/")
}

fn run(ctx: &mut Ctx<'_>) {
    for pod in ctx.pods {
        for c in pod.init_and_app() {
            let res = join(&c.ptr, "resources");
            for section in ["requests", "limits"] {
                let Some(map) = path(c.node, &["resources", section]) else {
                    continue;
                };
                for (k, v) in entries(map) {
                    let name = k.name.as_str();
                    let extended = is_extended(name);
                    if !extended && !name.starts_with("hugepages-") {
                        continue;
                    }
                    let ptr = join(&join(&res, section), name);
                    let text = scalar_text(v).unwrap_or_default();
                    if extended && qty::of(v).is_some_and(|q| !qty::is_whole(&q)) {
                        ctx.emit(
                            pod.object,
                            ptr.clone(),
                            c.id(),
                            format!(
                                "container {:?}: {section}.{name} is {text}, not a whole number",
                                c.name
                            ),
                        );
                    }
                    if section != "requests" {
                        continue;
                    }
                    match path(c.node, &["resources", "limits", name]) {
                        None => ctx.emit(
                            pod.object,
                            ptr,
                            c.id(),
                            format!("container {:?} requests {name} without a limit; {name} cannot be overcommitted", c.name),
                        ),
                        Some(lim) => {
                            if let (Some(rq), Some(lq)) = (qty::of(v), qty::of(lim))
                                && rq != lq
                            {
                                ctx.emit(
                                    pod.object,
                                    ptr,
                                    c.id(),
                                    format!(
                                        "container {:?} requests {text} {name} but limits it to {}; they must be equal",
                                        c.name,
                                        scalar_text(lim).unwrap_or_default()
                                    ),
                                );
                            }
                        }
                    }
                }
            }
        }
    }
}
