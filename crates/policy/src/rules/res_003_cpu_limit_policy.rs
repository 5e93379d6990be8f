//! CK-RES-003 `cpu-limit-policy`.

use crate::engine::Ctx;
use crate::rules::{Rule, RuleDoc};
use crate::settings::Level;
use crate::yaml::str_of;

pub(crate) static RULE: Rule = Rule {
    doc: RuleDoc {
        id: "CK-RES-003",
        name: "cpu-limit-policy",
        default_severity: Level::Off,
        summary: "Off by default (a platform choice). Option `mode`: `require` (default) flags init and app containers without `limits.cpu`, `forbid` flags those with one, `ignore` flags nothing.",
        why: "CPU limits cause CFS throttling and latency spikes even on idle nodes; some platforms forbid them, others require them for predictable bin-packing. Either way, the charts should agree with the platform.",
        example: "# rules: { CK-RES-003: { severity: error, mode: forbid } }\nresources:\n  limits: { cpu: \"1\", memory: 512Mi }",
        fix: "With `mode: require`, set `resources.limits.cpu`; with `mode: forbid`, remove it and keep the cpu request.",
        options: &["mode"],
        sub_ids: &[],
    },
    run,
};

fn run(ctx: &mut Ctx<'_>) {
    let mode = ctx.option("mode").and_then(str_of).unwrap_or("require");
    if mode == "ignore" {
        return;
    }
    let forbid = mode == "forbid";
    for pod in ctx.pods {
        for c in pod.init_and_app() {
            let (limit, ptr) = c.resource("limits", "cpu");
            let message = match (forbid, limit.is_some()) {
                (true, true) => format!(
                    "container {:?} sets a cpu limit, which the platform forbids",
                    c.name
                ),
                (false, false) => format!(
                    "container {:?} has no cpu limit, which the platform requires",
                    c.name
                ),
                _ => continue,
            };
            ctx.emit(pod.object, ptr, c.id(), message);
        }
    }
}
