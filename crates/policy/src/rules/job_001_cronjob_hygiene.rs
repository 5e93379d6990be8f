//! CK-JOB-001 `cronjob-hygiene`.

use crate::engine::Ctx;
use crate::rules::{Rule, RuleDoc};
use crate::settings::Level;
use crate::yaml::{num_of, path, str_of};

pub(crate) static RULE: Rule = Rule {
    doc: RuleDoc {
        id: "CK-JOB-001",
        name: "cronjob-hygiene",
        default_severity: Level::Warning,
        summary: "A CronJob sets `concurrencyPolicy` to Forbid or Replace, `startingDeadlineSeconds`, `timeZone`, history limits of at most 10, and its job template sets `backoffLimit` and `activeDeadlineSeconds`.",
        why: "With the defaults a slow run overlaps the next one (Allow), a missed schedule after controller downtime starts a burst of runs, the schedule follows the controller's time zone, and a hung job runs for ever and retries six times.",
        example: "kind: CronJob\nspec:\n  schedule: \"0 3 * * *\"\n  jobTemplate: { spec: { template: { ... } } }",
        fix: "Set `concurrencyPolicy: Forbid`, `startingDeadlineSeconds`, `timeZone: Etc/UTC` (or the intended zone), small history limits, and on the job template `backoffLimit` and `activeDeadlineSeconds`.",
        options: &[],
        sub_ids: &[],
    },
    run,
};

fn run(ctx: &mut Ctx<'_>) {
    let cronjobs: Vec<_> = ctx.of_kind("CronJob").collect();
    for (i, cj) in cronjobs {
        let spec = |keys: &[&str]| path(&cj.node, &[&["spec"], keys].concat());
        let name = &cj.name;
        match spec(&["concurrencyPolicy"]).and_then(str_of) {
            Some("Forbid") | Some("Replace") => {}
            other => ctx.emit(
                i,
                "/spec/concurrencyPolicy".into(),
                None,
                format!(
                    "CronJob {name:?} allows overlapping runs (concurrencyPolicy {})",
                    other.unwrap_or("unset, Allow")
                ),
            ),
        }
        if spec(&["startingDeadlineSeconds"]).is_none() {
            ctx.emit(i, "/spec/startingDeadlineSeconds".into(), None, format!("CronJob {name:?} sets no startingDeadlineSeconds: missed runs start late, in bursts"));
        }
        if spec(&["timeZone"]).is_none() {
            ctx.emit(i, "/spec/timeZone".into(), None, format!("CronJob {name:?} sets no timeZone: its schedule follows the controller's zone (write Etc/UTC if UTC is meant)"));
        }
        for key in ["successfulJobsHistoryLimit", "failedJobsHistoryLimit"] {
            if let Some(n) = spec(&[key]).and_then(num_of)
                && n > 10.0
            {
                ctx.emit(
                    i,
                    format!("/spec/{key}"),
                    None,
                    format!("CronJob {name:?} keeps {n} jobs ({key}); keep at most 10"),
                );
            }
        }
        for key in ["backoffLimit", "activeDeadlineSeconds"] {
            if spec(&["jobTemplate", "spec", key]).is_none() {
                ctx.emit(
                    i,
                    format!("/spec/jobTemplate/spec/{key}"),
                    None,
                    format!("the job template of CronJob {name:?} sets no {key}"),
                );
            }
        }
    }
}
