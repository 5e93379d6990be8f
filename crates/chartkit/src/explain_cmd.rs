//! `chartkit explain RULE`: print a rule's documentation (the policy rules, and the schema checks
//! of `chartkit lint`) (what it checks, why, an
//! example, the fix, its options and sub-checks). RULE is an id (`CK-RES-004`), a sub-id
//! (`CK-SEC-001.privileged`) or a kebab name (`request-exceeds-limit`); an unknown rule exits 2
//! with the nearest names.

use std::fmt::Write as _;
use std::io::Write;
use std::process::ExitCode;

use policy::RuleDoc;

const USAGE: &str = "Usage:
  chartkit explain RULE      print a rule's documentation (RULE: id such as CK-RES-004, sub-id
                             such as CK-SEC-001.privileged, or kebab name such as
                             request-exceeds-limit)
  chartkit explain --list    list every rule
";

/// Every documented rule: the schema checks, then the policy rules.
fn all_rules() -> impl Iterator<Item = &'static RuleDoc> {
    policy::all_docs()
}

/// The rule `reference` names, and the sub-check if it names one.
fn find(reference: &str) -> Option<(&'static RuleDoc, Option<&'static str>)> {
    let (base, sub) = match reference.split_once('.') {
        Some((b, s)) if b.to_ascii_uppercase().starts_with("CK-") => (b, Some(s)),
        _ => (reference, None),
    };
    let doc = all_rules()
        .find(|d| d.id.eq_ignore_ascii_case(base) || d.name.eq_ignore_ascii_case(base))?;
    match sub {
        None => Some((doc, None)),
        Some(s) => doc
            .sub_ids
            .iter()
            .find(|x| x.eq_ignore_ascii_case(s))
            .map(|x| (doc, Some(*x))),
    }
}

/// Edit distance, case-insensitive.
fn distance(a: &str, b: &str) -> usize {
    schema::suggest::edit_distance(&a.to_lowercase(), &b.to_lowercase())
}

/// Rules whose id or name is close to `reference` (or contains it), best first, at most five.
pub fn near_matches(reference: &str) -> Vec<&'static RuleDoc> {
    let wanted = reference.to_lowercase();
    let mut scored: Vec<(usize, &'static RuleDoc)> = all_rules()
        .filter_map(|d| {
            let id = d.id.to_lowercase();
            let name = d.name.to_lowercase();
            let contains = wanted.len() >= 3 && (name.contains(&wanted) || id.contains(&wanted));
            let best = distance(&wanted, &id).min(distance(&wanted, &name));
            let limit = (wanted.chars().count() / 3).max(2);
            if contains {
                Some((0, d))
            } else if best <= limit {
                Some((best, d))
            } else {
                None
            }
        })
        .collect();
    scored.sort_by(|a, b| (a.0, a.1.id).cmp(&(b.0, b.1.id)));
    scored.into_iter().take(5).map(|(_, d)| d).collect()
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                "\n".to_string()
            } else {
                format!("    {l}\n")
            }
        })
        .collect()
}

/// The documentation of a rule as printed.
pub fn explain(doc: &RuleDoc, sub: Option<&str>) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {} (default: {})",
        doc.id,
        doc.name,
        doc.default_severity.as_str()
    );
    if let Some(sub) = sub {
        let _ = writeln!(out, "sub-check: {}.{sub}", doc.id);
    }
    let _ = writeln!(out, "\n{}\n", doc.summary);
    let _ = writeln!(out, "Why it matters:\n{}", indent(doc.why));
    let _ = writeln!(out, "Example (flagged):\n{}", indent(doc.example));
    let _ = writeln!(out, "Fix:\n{}", indent(doc.fix));
    if !doc.options.is_empty() {
        let _ = writeln!(
            out,
            "Options (chartkit.yaml `rules:`): {}",
            doc.options.join(", ")
        );
    }
    if !doc.sub_ids.is_empty() {
        let subs: Vec<String> = doc
            .sub_ids
            .iter()
            .map(|s| format!("{}.{s}", doc.id))
            .collect();
        let _ = writeln!(out, "Sub-checks: {}", subs.join(", "));
    }
    if policy::SCHEMA_RULES.iter().any(|s| s.id == doc.id) {
        let _ = writeln!(
            out,
            "A schema check of `chartkit lint`: it always runs and is not configured in `rules:`."
        );
    } else {
        let _ = writeln!(
            out,
            "Configure: `rules: {{ {}: warning }}` in chartkit.yaml (error, warning, info or off); suppress in a chart with the annotation `chartkit.io/ignore: \"{}=<reason> [until YYYY-MM-DD]\"`.",
            doc.id, doc.name
        );
    }
    out
}

/// Every rule, one per line.
fn list() -> String {
    let mut out = String::new();
    for d in all_rules() {
        let _ = writeln!(
            out,
            "{:<13} {:<34} {}",
            d.id,
            d.name,
            d.default_severity.as_str()
        );
    }
    out
}

/// Runs `chartkit explain` with the arguments after `explain`.
pub fn run(args: &[String]) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    let mut stderr = std::io::stderr().lock();
    match args {
        [flag] if flag == "-h" || flag == "--help" => {
            let _ = write!(stdout, "{USAGE}");
            ExitCode::SUCCESS
        }
        [flag] if flag == "--list" => {
            let _ = write!(stdout, "{}", list());
            ExitCode::SUCCESS
        }
        [rule] if !rule.starts_with('-') => match find(rule) {
            Some((doc, sub)) => {
                let _ = write!(stdout, "{}", explain(doc, sub));
                ExitCode::SUCCESS
            }
            None => {
                let near = near_matches(rule);
                let hint = if near.is_empty() {
                    "\n(`chartkit explain --list` lists every rule)".to_string()
                } else {
                    let names: Vec<String> = near
                        .iter()
                        .map(|d| format!("\n  {} {}", d.id, d.name))
                        .collect();
                    format!("; did you mean:{}", names.concat())
                };
                let _ = writeln!(stderr, "error: unknown rule {rule:?}{hint}");
                ExitCode::from(2)
            }
        },
        _ => {
            let _ = write!(stderr, "error: give one RULE\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_names_and_sub_ids_resolve() {
        assert_eq!(
            find("CK-RES-004").map(|(d, _)| d.name),
            Some("request-exceeds-limit")
        );
        assert_eq!(
            find("request-exceeds-limit").map(|(d, _)| d.id),
            Some("CK-RES-004")
        );
        assert_eq!(find("ck-res-004").map(|(d, _)| d.id), Some("CK-RES-004"));
        let doc = policy::rules()
            .iter()
            .find(|d| !d.sub_ids.is_empty())
            .unwrap();
        let sub = format!("{}.{}", doc.id, doc.sub_ids[0]);
        assert_eq!(find(&sub).and_then(|(_, s)| s), Some(doc.sub_ids[0]));
        assert!(find("CK-NOPE-001").is_none());
        assert_eq!(
            find("CK-SCHEMA-002").map(|(d, _)| d.name),
            Some("unknown-field")
        );
    }

    #[test]
    fn near_matches_find_typos_and_fragments() {
        let ids = |r: &str| near_matches(r).iter().map(|d| d.id).collect::<Vec<_>>();
        assert!(ids("CK-RES-04").contains(&"CK-RES-004"));
        assert!(ids("request-exceed-limit").contains(&"CK-RES-004"));
        assert!(ids("readonly").contains(&"CK-SEC-004"));
        assert!(ids("zzzzzzzzzzzzzz").is_empty());
    }
}
