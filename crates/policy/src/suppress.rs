//! In-chart suppressions: `chartkit.io/ignore` and `chartkit.io/ignore.<container>`
//! annotations (grammar in the crate documentation).

use schema::Severity;

use crate::date::Date;
use crate::finding::{Finding, Suppression};
use crate::model::Release;
use crate::pod::pod_template;
use crate::rules::{RuleDoc, lookup, meta_900_suppression_invalid, meta_901_suppression_expired};
use crate::settings::Settings;
use crate::yaml::{entries, get, join, str_of};

/// The annotation key for object-wide suppressions.
const KEY: &str = "chartkit.io/ignore";

/// One parsed entry of an annotation value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Entry {
    /// The rule reference as written.
    pub rule: String,
    /// The reason (non-empty).
    pub reason: String,
    /// The last day it holds.
    pub until: Option<Date>,
}

/// Parses an annotation value into its valid entries and the messages of invalid ones.
pub(crate) fn parse(value: &str) -> (Vec<Entry>, Vec<String>) {
    let mut ok = Vec::new();
    let mut bad = Vec::new();
    for piece in value
        .split([',', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let Some((rule, rest)) = piece.split_once('=') else {
            bad.push(format!(
                "suppression {piece:?} has no reason: write `{piece}=<why it is acceptable>`"
            ));
            continue;
        };
        let rule = rule.trim();
        if lookup(rule).is_none() {
            bad.push(format!("suppression names an unknown rule {rule:?}"));
            continue;
        }
        let rest = rest.trim();
        let (reason, until) = match rest.rsplit_once("until ") {
            Some((r, date)) if r.is_empty() || r.ends_with(char::is_whitespace) => {
                match Date::parse(date.trim()) {
                    Some(d) => (r.trim(), Some(d)),
                    None => {
                        bad.push(format!(
                            "suppression of {rule} has a malformed date {:?} (expected YYYY-MM-DD)",
                            date.trim()
                        ));
                        continue;
                    }
                }
            }
            _ => (rest, None),
        };
        if reason.is_empty() {
            bad.push(format!("suppression of {rule} has an empty reason"));
            continue;
        }
        ok.push(Entry {
            rule: rule.to_string(),
            reason: reason.to_string(),
            until,
        });
    }
    (ok, bad)
}

/// Whether an entry's rule reference covers a finding's rule id.
fn covers(reference: &str, rule: &str) -> bool {
    match lookup(reference) {
        Some((doc, Some(sub))) => rule.strip_prefix(doc.id) == Some(&format!(".{sub}")),
        Some((doc, None)) => {
            rule == doc.id
                || rule
                    .strip_prefix(doc.id)
                    .is_some_and(|r| r.starts_with('.'))
        }
        None => false,
    }
}

/// Marks suppressed findings and adds the CK-META-900/901 findings of the annotations.
pub(crate) fn apply(
    release: &Release<'_>,
    settings: &Settings,
    live: &[bool],
    findings: &mut Vec<Finding>,
) {
    let mut extra = Vec::new();
    for (index, obj) in release.objects.iter().enumerate() {
        if !live[index] {
            continue;
        }
        // (annotation key, pointer of the annotations mapping, its node)
        let mut places = Vec::new();
        if let Some(a) = get(&obj.node, "metadata").and_then(|m| get(m, "annotations")) {
            places.push(("/metadata/annotations".to_string(), a));
        }
        if let Some(pod) = pod_template(index, obj)
            && let Some(a) = pod.meta.and_then(|m| get(m, "annotations"))
        {
            places.push((join(&pod.meta_ptr, "annotations"), a));
        }
        for (base, annotations) in places {
            for (k, v) in entries(annotations) {
                let container = if k.name == KEY {
                    None
                } else if let Some(c) = k.name.strip_prefix("chartkit.io/ignore.") {
                    Some(c.to_string())
                } else {
                    continue;
                };
                let pointer = join(&base, &k.name);
                let (ok, bad) = parse(str_of(v).unwrap_or(""));
                for message in bad {
                    extra.extend(meta(
                        settings,
                        &meta_900_suppression_invalid::RULE.doc,
                        index,
                        &pointer,
                        &container,
                        message,
                    ));
                }
                for entry in ok {
                    if let (Some(until), Some(today)) = (entry.until, settings.today)
                        && until < today
                    {
                        extra.extend(meta(
                            settings,
                            &meta_901_suppression_expired::RULE.doc,
                            index,
                            &pointer,
                            &container,
                            format!(
                                "suppression of {} expired on {until} ({}); the findings it covered are reported again",
                                entry.rule, entry.reason
                            ),
                        ));
                        continue;
                    }
                    for f in findings.iter_mut() {
                        if f.object == index
                            && f.suppressed.is_none()
                            && covers(&entry.rule, f.rule)
                            && (container.is_none() || f.container == container)
                        {
                            f.suppressed = Some(Suppression {
                                annotation: k.name.clone(),
                                pointer: pointer.clone(),
                                rule: entry.rule.clone(),
                                reason: entry.reason.clone(),
                                until: entry.until,
                            });
                        }
                    }
                }
            }
        }
    }
    findings.append(&mut extra);
}

fn meta(
    settings: &Settings,
    doc: &'static RuleDoc,
    object: usize,
    pointer: &str,
    container: &Option<String>,
    message: String,
) -> Option<Finding> {
    let severity: Severity = settings
        .level(doc.id)
        .unwrap_or(doc.default_severity)
        .severity()?;
    Some(Finding {
        rule: doc.id,
        name: doc.name,
        severity,
        object,
        pointer: pointer.to_string(),
        container: container.clone(),
        message,
        suppressed: None,
    })
}
