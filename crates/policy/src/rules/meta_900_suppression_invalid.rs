//! CK-META-900 `suppression-invalid`: reported by the suppression pass (`crate::suppress`).

use crate::engine::Ctx;
use crate::rules::{Rule, RuleDoc};
use crate::settings::Level;

pub(crate) static RULE: Rule = Rule {
    doc: RuleDoc {
        id: "CK-META-900",
        name: "suppression-invalid",
        default_severity: Level::Error,
        summary: "A `chartkit.io/ignore` or `chartkit.io/ignore.<container>` annotation entry lacks a reason, names an unknown rule or has a malformed `until` date; such an entry suppresses nothing.",
        why: "A suppression without a reason cannot be reviewed or revisited, and a typo in a rule id silently suppresses nothing while looking intentional.",
        example: "metadata:\n  annotations:\n    chartkit.io/ignore: \"CK-SEC-004\"   # no reason",
        fix: "Write `RULE=reason` (optionally `until YYYY-MM-DD`), with a rule id, sub-id or kebab name from `chartkit explain`.",
        options: &[],
        sub_ids: &[],
    },
    run,
};

fn run(_: &mut Ctx<'_>) {}
