//! CK-JOB-002 `job-ttl`.

use crate::engine::Ctx;
use crate::rules::{Rule, RuleDoc};
use crate::settings::Level;
use crate::yaml::path;

pub(crate) static RULE: Rule = Rule {
    doc: RuleDoc {
        id: "CK-JOB-002",
        name: "job-ttl",
        default_severity: Level::Warning,
        summary: "A standalone Job sets `ttlSecondsAfterFinished`; the job template of a CronJob does not (its history limits clean up).",
        why: "Finished standalone Jobs and their pods stay for ever, cluttering the namespace and counting against quota; on CronJob jobs a TTL fights the history limits and hides failed runs.",
        example: "kind: Job\nspec:\n  template: { ... }   # no ttlSecondsAfterFinished",
        fix: "Add `ttlSecondsAfterFinished` (for example 86400) to standalone Jobs; remove it from CronJob job templates.",
        options: &[],
        sub_ids: &[],
    },
    run,
};

fn run(ctx: &mut Ctx<'_>) {
    let jobs: Vec<_> = ctx
        .objects()
        .filter(|(_, o)| o.kind == "Job" || o.kind == "CronJob")
        .collect();
    for (i, o) in jobs {
        if o.kind == "Job" {
            if path(&o.node, &["spec", "ttlSecondsAfterFinished"]).is_none() {
                ctx.emit(
                    i,
                    "/spec/ttlSecondsAfterFinished".into(),
                    None,
                    format!(
                        "Job {:?} sets no ttlSecondsAfterFinished: it stays after finishing",
                        o.name
                    ),
                );
            }
        } else if path(
            &o.node,
            &["spec", "jobTemplate", "spec", "ttlSecondsAfterFinished"],
        )
        .is_some()
        {
            ctx.emit(
                i,
                "/spec/jobTemplate/spec/ttlSecondsAfterFinished".into(),
                None,
                format!(
                    "CronJob {:?} sets a TTL on its jobs; its history limits already clean them up",
                    o.name
                ),
            );
        }
    }
}
