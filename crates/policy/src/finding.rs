//! What [`crate::check`] returns.

use crate::date::Date;
use schema::Severity;

/// One finding of one rule on one object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// The rule id (`CK-RES-004`), or a sub-id for rules with sub-checks
    /// (`CK-SEC-001.hostNamespaces`).
    pub rule: &'static str,
    /// The rule's kebab-case name (`request-exceeds-limit`).
    pub name: &'static str,
    /// The severity after settings.
    pub severity: Severity,
    /// Index of the object in [`crate::Release::objects`].
    pub object: usize,
    /// JSON pointer into the object; for something missing, where it belongs (see
    /// [`crate::locate`]).
    pub pointer: String,
    /// The container the finding is about, if any.
    pub container: Option<String>,
    /// What is wrong, in one sentence.
    pub message: String,
    /// Set when an in-chart annotation suppresses the finding (it is still reported).
    pub suppressed: Option<Suppression>,
}

/// The annotation entry that suppresses a finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppression {
    /// The annotation key (`chartkit.io/ignore` or `chartkit.io/ignore.<container>`).
    pub annotation: String,
    /// JSON pointer of the annotation in the object.
    pub pointer: String,
    /// The rule reference as written (`CK-RES-003`, `readonly-rootfs`).
    pub rule: String,
    /// The reason given.
    pub reason: String,
    /// The last day the suppression holds, if limited.
    pub until: Option<Date>,
}
