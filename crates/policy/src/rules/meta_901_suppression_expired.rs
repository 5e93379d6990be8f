//! CK-META-901 `suppression-expired`: reported by the suppression pass (`crate::suppress`).

use crate::engine::Ctx;
use crate::rules::{Rule, RuleDoc};
use crate::settings::Level;

pub(crate) static RULE: Rule = Rule {
    doc: RuleDoc {
        id: "CK-META-901",
        name: "suppression-expired",
        default_severity: Level::Warning,
        summary: "A suppression's `until` date is before today; it no longer suppresses, so the findings it covered are reported again.",
        why: "Time-boxed exceptions are how technical debt gets paid: when the date passes, the team must fix the finding or renew the exception deliberately.",
        example: "chartkit.io/ignore: \"CK-SEC-004=legacy image writes to /app until 2024-01-31\"",
        fix: "Fix the underlying finding and remove the entry, or extend the date with a new reason.",
        options: &[],
        sub_ids: &[],
    },
    run,
};

fn run(_: &mut Ctx<'_>) {}
