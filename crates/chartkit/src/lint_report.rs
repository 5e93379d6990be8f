//! The lint report: findings with their provenance, and the two ways to print them (rustc-style
//! text for people, JSON for tools; the JSON layout is `schemas/lint-report.schema.json`).
//!
//! Pure formatting: the caller builds the [`Report`] and writes the strings.

use std::fmt::Write as _;

use serde_json::{Value as J, json};

/// Version of the JSON layout (`version` in the report); bumped on incompatible changes.
pub const JSON_VERSION: u32 = 1;

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Fails the lint.
    Error,
    /// Fails the lint only with `--strict`.
    Warning,
    /// Never fails the lint.
    Info,
}

impl Severity {
    /// `error`, `warning` or `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// The rendered object a finding is about.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ObjectRef {
    /// `apiVersion`.
    pub api_version: String,
    /// `kind`.
    pub kind: String,
    /// `metadata.namespace`, else the namespace of the render.
    pub namespace: String,
    /// `metadata.name`.
    pub name: String,
}

/// A position in a source file, with the text of its line for the excerpt.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourceRef {
    /// Path (relative to the working directory, as chartkit was given it).
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column in characters.
    pub column: u32,
    /// The line's text.
    pub line_text: String,
}

/// Where a value came from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ValuesRef {
    /// The values file, or the flag (`--set`) that set the value.
    pub file: String,
    /// The flag's argument (empty for files).
    pub argument: String,
    /// The key path in the merged values (`resources.limits.memory`).
    pub key_path: String,
    /// 1-based line of the key in the file (0 for flags).
    pub line: u32,
    /// 1-based column of the key in the file (0 for flags).
    pub column: u32,
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// Catalog id (`CK-SCHEMA-002`).
    pub rule: String,
    /// Severity.
    pub severity: Severity,
    /// The render (`target` or `target/overlay`, or the chart path for an ad-hoc lint).
    pub render: String,
    /// The object.
    pub object: ObjectRef,
    /// JSON pointer into the object.
    pub pointer: String,
    /// What is wrong.
    pub message: String,
    /// The template position that wrote the node, when known.
    pub template: Option<SourceRef>,
    /// The values key that supplied it, when known.
    pub values: Option<ValuesRef>,
    /// The position in the rendered document (`file` is the `# Source:` template name).
    pub rendered: SourceRef,
    /// Set when an in-chart annotation suppresses the finding: it is still reported, marked,
    /// and counts toward nothing.
    pub suppressed: Option<Suppressed>,
}

/// The suppression of a finding.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Suppressed {
    /// What suppressed it: the annotation key (`chartkit.io/ignore`,
    /// `chartkit.io/ignore.<container>`).
    pub by: String,
    /// The reason given.
    pub reason: String,
    /// The last day the suppression holds (`YYYY-MM-DD`), if limited.
    pub until: Option<String>,
}

/// One render that was linted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenderSummary {
    /// Render id.
    pub id: String,
    /// The chart path.
    pub chart: String,
    /// The Kubernetes version validated against (`1.29`).
    pub kube_version: String,
    /// Objects validated.
    pub objects: usize,
}

/// Everything one `chartkit lint` run found, in output order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// The renders, in target order.
    pub renders: Vec<RenderSummary>,
    /// The findings, by render, then document, then position.
    pub findings: Vec<Finding>,
}

impl Report {
    /// How many findings that are not suppressed have `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity && f.suppressed.is_none())
            .count()
    }

    /// How many findings are suppressed.
    pub fn suppressed(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.suppressed.is_some())
            .count()
    }

    /// Objects validated over all renders.
    pub fn objects(&self) -> usize {
        self.renders.iter().map(|r| r.objects).sum()
    }

    /// Whether the run fails: any error, or any warning under `strict`.
    pub fn fails(&self, strict: bool) -> bool {
        self.count(Severity::Error) > 0 || (strict && self.count(Severity::Warning) > 0)
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The one-line summary that ends the text output.
pub fn summary_line(report: &Report) -> String {
    let (e, w, i) = (
        report.count(Severity::Error),
        report.count(Severity::Warning),
        report.count(Severity::Info),
    );
    let mut found = vec![plural(e, "error"), plural(w, "warning")];
    if i > 0 {
        found.push(plural(i, "note"));
    }
    let s = report.suppressed();
    if s > 0 {
        found.push(format!("{s} suppressed"));
    }
    format!(
        "{}: {} in {} ({} checked)",
        if e > 0 { "error" } else { "lint" },
        found.join(", "),
        plural(report.renders.len(), "render"),
        plural(report.objects(), "object")
    )
}

/// The concise output (for hooks and editors): one `file:line: severity RULE message [render]`
/// line per finding that is not suppressed (the template line when known, else the rendered
/// document), then the summary line.
pub fn to_concise(report: &Report) -> String {
    let mut out = String::new();
    for f in report.findings.iter().filter(|f| f.suppressed.is_none()) {
        let at = match &f.template {
            Some(t) => format!("{}:{}", t.file, t.line),
            None => format!("{}:{}", f.rendered.file, f.rendered.line),
        };
        let _ = writeln!(
            out,
            "{at}: {} {} {} [{}]",
            f.severity.as_str(),
            f.rule,
            f.message,
            f.render
        );
    }
    let _ = writeln!(out, "{}", summary_line(report));
    out
}

/// The human output: one rustc-style block per finding, then the summary line.
pub fn to_text(report: &Report) -> String {
    let mut out = String::new();
    for f in &report.findings {
        let _ = writeln!(out, "{}[{}]: {}", f.severity.as_str(), f.rule, f.message);
        let (arrow, src) = match &f.template {
            Some(t) => (format!("{}:{}:{}", t.file, t.line, t.column), t),
            None => (
                format!(
                    "{} (rendered):{}:{}",
                    f.rendered.file, f.rendered.line, f.rendered.column
                ),
                &f.rendered,
            ),
        };
        let gutter = src.line.to_string().len();
        let pad = " ".repeat(gutter);
        let _ = writeln!(out, "{pad}--> {arrow}");
        let _ = writeln!(out, "{pad} |");
        let _ = writeln!(out, "{} | {}", src.line, src.line_text);
        let caret: String = src
            .line_text
            .chars()
            .take(src.column.saturating_sub(1) as usize)
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        let _ = writeln!(out, "{pad} | {caret}^");
        let _ = writeln!(out, "{pad} = render: {}", f.render);
        let ns = if f.object.namespace.is_empty() {
            String::new()
        } else {
            format!("{}/", f.object.namespace)
        };
        let at = if f.pointer.is_empty() {
            String::new()
        } else {
            format!(" at {}", f.pointer)
        };
        let _ = writeln!(
            out,
            "{pad} = object: {} {ns}{}{at}",
            f.object.kind, f.object.name
        );
        if let Some(v) = &f.values {
            let _ = writeln!(out, "{pad} = value from: {}", values_text(v));
        }
        if let Some(s) = &f.suppressed {
            let until = s
                .until
                .as_ref()
                .map(|d| format!(" (until {d})"))
                .unwrap_or_default();
            let _ = writeln!(out, "{pad} = suppressed: {}{until}", s.reason);
        }
        out.push('\n');
    }
    out.push_str(&summary_line(report));
    out.push('\n');
    out
}

fn values_text(v: &ValuesRef) -> String {
    if v.line > 0 {
        format!("{}:{}:{} ({})", v.file, v.line, v.column, v.key_path)
    } else if v.argument.is_empty() {
        format!("{} ({})", v.file, v.key_path)
    } else {
        format!("{} {} ({})", v.file, v.argument, v.key_path)
    }
}

/// The JSON output (`schemas/lint-report.schema.json`), pretty-printed, keys in a fixed order.
pub fn to_json(report: &Report) -> String {
    let renders: Vec<J> = report
        .renders
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "chart": r.chart,
                "kubeVersion": r.kube_version,
                "objects": r.objects,
            })
        })
        .collect();
    let findings: Vec<J> = report
        .findings
        .iter()
        .map(|f| {
            json!({
                "ruleId": f.rule,
                "severity": f.severity.as_str(),
                "render": f.render,
                "object": {
                    "apiVersion": f.object.api_version,
                    "kind": f.object.kind,
                    "namespace": f.object.namespace,
                    "name": f.object.name,
                },
                "jsonPointer": f.pointer,
                "message": f.message,
                "template": f.template.as_ref().map(|t| json!({
                    "file": t.file,
                    "line": t.line,
                    "column": t.column,
                })),
                "values": f.values.as_ref().map(|v| {
                    let mut o = json!({
                        "file": v.file,
                        "keyPath": v.key_path,
                        "line": v.line,
                        "column": v.column,
                    });
                    if !v.argument.is_empty() {
                        o["argument"] = J::from(v.argument.clone());
                    }
                    o
                }),
                "rendered": {
                    "source": f.rendered.file,
                    "line": f.rendered.line,
                    "column": f.rendered.column,
                },
                "suppressed": f.suppressed.as_ref().map(|s| json!({
                    "by": s.by,
                    "reason": s.reason,
                    "until": s.until,
                })),
            })
        })
        .collect();
    let doc = json!({
        "version": JSON_VERSION,
        "tool": "chartkit",
        "renders": renders,
        "findings": findings,
        "summary": {
            "errors": report.count(Severity::Error),
            "warnings": report.count(Severity::Warning),
            "infos": report.count(Severity::Info),
            "suppressed": report.suppressed(),
            "renders": report.renders.len(),
            "objects": report.objects(),
        },
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(template: bool) -> Finding {
        Finding {
            rule: "CK-SCHEMA-002".into(),
            severity: Severity::Error,
            render: "shop/prod".into(),
            object: ObjectRef {
                api_version: "apps/v1".into(),
                kind: "Deployment".into(),
                namespace: "dev".into(),
                name: "shop".into(),
            },
            pointer: "/spec/x".into(),
            message: "unknown field \"x\"".into(),
            template: template.then(|| SourceRef {
                file: "c/templates/d.yaml".into(),
                line: 12,
                column: 5,
                line_text: "\t   x: 1".into(),
            }),
            values: Some(ValuesRef {
                file: "--set".into(),
                argument: "x=1".into(),
                key_path: "x".into(),
                line: 0,
                column: 0,
            }),
            rendered: SourceRef {
                file: "c/templates/d.yaml".into(),
                line: 3,
                column: 3,
                line_text: "  x: 1".into(),
            },
            suppressed: None,
        }
    }

    #[test]
    fn text_block_has_arrow_excerpt_caret_and_notes() {
        let r = Report {
            renders: vec![],
            findings: vec![finding(true)],
        };
        let t = to_text(&r);
        let expected = "error[CK-SCHEMA-002]: unknown field \"x\"
  --> c/templates/d.yaml:12:5
   |
12 | \t   x: 1
   | \t   ^
   = render: shop/prod
   = object: Deployment dev/shop at /spec/x
   = value from: --set x=1 (x)

error: 1 error, 0 warnings in 0 renders (0 objects checked)
";
        assert_eq!(t, expected);
        assert!(r.fails(false));
    }

    #[test]
    fn without_template_the_rendered_position_is_shown() {
        let r = Report {
            renders: vec![],
            findings: vec![Finding {
                severity: Severity::Warning,
                ..finding(false)
            }],
        };
        let t = to_text(&r);
        assert!(t.contains("--> c/templates/d.yaml (rendered):3:3\n"), "{t}");
        assert!(t.contains("3 |   x: 1\n  |   ^\n"), "{t}");
        assert!(!r.fails(false));
        assert!(r.fails(true));
    }

    #[test]
    fn json_has_the_catalog_fields() {
        let r = Report {
            renders: vec![],
            findings: vec![finding(true)],
        };
        let j: J = serde_json::from_str(&to_json(&r)).unwrap();
        let f = &j["findings"][0];
        assert_eq!(f["ruleId"], "CK-SCHEMA-002");
        assert_eq!(f["object"]["kind"], "Deployment");
        assert_eq!(f["template"]["line"], 12);
        assert_eq!(f["values"]["argument"], "x=1");
        assert_eq!(j["summary"]["errors"], 1);
        assert!(f["suppressed"].is_null());
    }

    #[test]
    fn suppressed_findings_are_marked_and_do_not_count() {
        let r = Report {
            renders: vec![],
            findings: vec![Finding {
                suppressed: Some(Suppressed {
                    by: "chartkit.io/ignore".into(),
                    reason: "legacy app".into(),
                    until: Some("2099-12-31".into()),
                }),
                ..finding(true)
            }],
        };
        let t = to_text(&r);
        assert!(
            t.contains("   = suppressed: legacy app (until 2099-12-31)\n"),
            "{t}"
        );
        assert!(
            t.ends_with(
                "lint: 0 errors, 0 warnings, 1 suppressed in 0 renders (0 objects checked)\n"
            ),
            "{t}"
        );
        assert!(!r.fails(true));
        let j: J = serde_json::from_str(&to_json(&r)).unwrap();
        assert_eq!(j["findings"][0]["suppressed"]["by"], "chartkit.io/ignore");
        assert_eq!(j["findings"][0]["suppressed"]["until"], "2099-12-31");
        assert_eq!(j["summary"]["suppressed"], 1);
        assert_eq!(j["summary"]["errors"], 0);
    }
}
