//! Golden files: the rendered manifests of each target of `chartkit.yaml`, committed so that a
//! review shows exactly how a change alters them.
//!
//! [`compare`] matches the objects of a golden file and of a fresh render by identity (kind,
//! namespace, name; documents that are not objects by their `# Source:` file and position) and
//! returns one [`ObjectDiff`] per added, removed or changed object, each with a unified diff.
//! [`text_report`], [`json_report`] and [`junit_report`] print the results of a whole run.
//!
//! No IO: the caller reads and writes the files (atomically) and renders the targets.

pub mod diff;

use std::fmt::Write as _;

pub use diff::Style;

/// One document of a `helm template` output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Object {
    /// Identity: `Kind namespace/name` (`Kind name` without a namespace), or for a document that
    /// is not an object `source #n`.
    pub key: String,
    /// The template from the `# Source:` comment (empty if none).
    pub source: String,
    /// The document's text, including its `# Source:` line, without the `---` separator.
    pub text: String,
}

/// Splits a `helm template` output into its documents.
pub fn objects(manifest: &str) -> Vec<Object> {
    let mut docs: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut started = false;
    for line in manifest.split_inclusive('\n') {
        if line.trim_end_matches(['\n', '\r']) == "---" {
            if started || !cur.trim().is_empty() {
                docs.push(std::mem::take(&mut cur));
            }
            started = true;
            continue;
        }
        cur.push_str(line);
    }
    if !cur.trim().is_empty() {
        docs.push(cur);
    }
    let mut out: Vec<Object> = Vec::new();
    for text in docs {
        let source = text
            .lines()
            .find_map(|l| l.strip_prefix("# Source: "))
            .unwrap_or_default()
            .to_string();
        let key = identity(&text).unwrap_or_else(|| {
            let n = out.iter().filter(|o| o.source == source).count() + 1;
            format!("{source} #{n}")
        });
        // Two objects with the same identity (a chart bug, or a hook and a manifest) keep their
        // order apart.
        let dup = out.iter().filter(|o| o.key == key).count();
        let key = if dup > 0 {
            format!("{key} ({})", dup + 1)
        } else {
            key
        };
        out.push(Object { key, source, text });
    }
    out
}

fn identity(text: &str) -> Option<String> {
    let node = goyaml::load(text, 0).ok()?;
    let goyaml::NodeValue::Map(entries) = &node.value else {
        return None;
    };
    let get = |entries: &[(goyaml::Key, goyaml::Node)], k: &str| -> Option<String> {
        entries
            .iter()
            .find(|(key, _)| key.name == k)
            .and_then(|(_, v)| match &v.value {
                goyaml::NodeValue::String(s) => Some(s.clone()),
                _ => None,
            })
    };
    let kind = get(entries, "kind")?;
    let meta = entries
        .iter()
        .find(|(k, _)| k.name == "metadata")
        .and_then(|(_, v)| match &v.value {
            goyaml::NodeValue::Map(m) => Some(m.as_slice()),
            _ => None,
        })?;
    let name = get(meta, "name")?;
    Some(match get(meta, "namespace") {
        Some(ns) if !ns.is_empty() => format!("{kind} {ns}/{name}"),
        _ => format!("{kind} {name}"),
    })
}

/// How an object differs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// Rendered, not in the golden file.
    Added,
    /// In the golden file, no longer rendered.
    Removed,
    /// In both, with different text.
    Changed,
    /// Same objects, but in another order or with other separators.
    Reordered,
}

impl Change {
    fn word(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Removed => "removed",
            Change::Changed => "changed",
            Change::Reordered => "reordered",
        }
    }
}

/// One differing object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectDiff {
    /// The object's identity ([`Object::key`]).
    pub key: String,
    /// Its `# Source:` template.
    pub source: String,
    /// What changed.
    pub change: Change,
    /// The unified diff, golden → rendered (without colours).
    pub diff: String,
}

/// The differences between a golden file and a fresh render, in render order (removed objects
/// where they stood in the golden file). Empty when the texts are equal.
pub fn compare(golden: &str, rendered: &str) -> Vec<ObjectDiff> {
    if golden == rendered {
        return Vec::new();
    }
    let old = objects(golden);
    let new = objects(rendered);
    let mut out = Vec::new();
    let mut old_used = vec![false; old.len()];
    for n in &new {
        match old.iter().position(|o| o.key == n.key) {
            Some(i) => {
                old_used[i] = true;
                if old[i].text != n.text {
                    out.push(ObjectDiff {
                        key: n.key.clone(),
                        source: n.source.clone(),
                        change: Change::Changed,
                        diff: diff::unified(&old[i].text, &n.text, 3, Style::default()),
                    });
                }
            }
            None => out.push(ObjectDiff {
                key: n.key.clone(),
                source: n.source.clone(),
                change: Change::Added,
                diff: diff::unified("", &n.text, 3, Style::default()),
            }),
        }
    }
    for (i, o) in old.iter().enumerate() {
        if !old_used[i] {
            out.push(ObjectDiff {
                key: o.key.clone(),
                source: o.source.clone(),
                change: Change::Removed,
                diff: diff::unified(&o.text, "", 3, Style::default()),
            });
        }
    }
    if out.is_empty() {
        // Same objects, other order or separators: show the whole file.
        out.push(ObjectDiff {
            key: "(whole file)".into(),
            source: String::new(),
            change: Change::Reordered,
            diff: diff::unified(golden, rendered, 3, Style::default()),
        });
    }
    out
}

/// The state of one target's golden file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// The golden file matches the render.
    Same,
    /// The golden file differs.
    Differs(Vec<ObjectDiff>),
    /// There is no golden file yet.
    Missing,
    /// A golden file that no target renders.
    Orphan,
}

/// One target (or orphan golden file) of a run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TargetResult {
    /// The render id (`target` or `target/overlay`); empty for an orphan.
    pub id: String,
    /// The golden file's path as shown to the user.
    pub path: String,
    /// The outcome.
    pub status: Status,
}

impl TargetResult {
    /// Whether this result fails a check.
    pub fn failed(&self) -> bool {
        self.status != Status::Same
    }
}

/// The human report: for each failing target its object diffs (`---`/`+++` headers naming the
/// object and its template), then a summary naming the command that updates the goldens.
pub fn text_report(results: &[TargetResult], style: Style, update_command: &str) -> String {
    let mut out = String::new();
    let bold = |s: &str| {
        if style.color {
            format!("\x1b[1m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    };
    for r in results {
        match &r.status {
            Status::Same => {}
            Status::Missing => {
                let _ = writeln!(
                    out,
                    "{}",
                    bold(&format!("{}: no golden file {}", r.id, r.path))
                );
            }
            Status::Orphan => {
                let _ = writeln!(
                    out,
                    "{}",
                    bold(&format!("{}: golden file without a target", r.path))
                );
            }
            Status::Differs(diffs) => {
                let _ = writeln!(
                    out,
                    "{}",
                    bold(&format!(
                        "{}: {} differs ({} object{})",
                        r.id,
                        r.path,
                        diffs.len(),
                        if diffs.len() == 1 { "" } else { "s" }
                    ))
                );
                for d in diffs {
                    let from = if d.source.is_empty() {
                        String::new()
                    } else {
                        format!(" (# Source: {})", d.source)
                    };
                    let _ = writeln!(out, "--- golden   {}{from}", d.key);
                    let _ = writeln!(out, "+++ rendered {} [{}]", d.key, d.change.word());
                    if style.color {
                        out.push_str(&recolor(&d.diff));
                    } else {
                        out.push_str(&d.diff);
                    }
                }
            }
        }
    }
    let failed = results.iter().filter(|r| r.failed()).count();
    if failed == 0 {
        let _ = writeln!(out, "{} golden file(s) up to date", results.len());
    } else {
        let _ = writeln!(
            out,
            "{failed} of {} golden file(s) out of date; to accept the new renders run: {update_command}",
            results.len()
        );
    }
    out
}

/// Colours a plain unified diff.
fn recolor(diff: &str) -> String {
    let mut out = String::new();
    for line in diff.split_inclusive('\n') {
        let body = line.strip_suffix('\n').unwrap_or(line);
        let color = match body.chars().next() {
            Some('-') => "\x1b[31m",
            Some('+') => "\x1b[32m",
            Some('@') => "\x1b[36m",
            _ => "",
        };
        if color.is_empty() {
            out.push_str(line);
        } else {
            let _ = writeln!(out, "{color}{body}\x1b[0m");
        }
    }
    out
}

/// The JSON report (stable): `{"version": 1, "ok": bool, "targets": [{"id", "path", "status":
/// "same"|"differs"|"missing"|"orphan", "objects": [{"key", "source", "change", "diff"}]}]}`.
pub fn json_report(results: &[TargetResult]) -> String {
    use serde_json::json;
    let targets: Vec<serde_json::Value> = results
        .iter()
        .map(|r| {
            let (status, objs) = match &r.status {
                Status::Same => ("same", Vec::new()),
                Status::Missing => ("missing", Vec::new()),
                Status::Orphan => ("orphan", Vec::new()),
                Status::Differs(d) => ("differs", d.clone()),
            };
            json!({
                "id": r.id,
                "path": r.path,
                "status": status,
                "objects": objs.iter().map(|d| json!({
                    "key": d.key,
                    "source": d.source,
                    "change": d.change.word(),
                    "diff": d.diff,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let report = json!({
        "version": 1,
        "ok": results.iter().all(|r| !r.failed()),
        "targets": targets,
    });
    let mut s = serde_json::to_string_pretty(&report).unwrap_or_default();
    s.push('\n');
    s
}

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 cannot hold most control characters.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// The JUnit XML report: one test case per target (and per orphan golden file).
pub fn junit_report(results: &[TargetResult], update_command: &str) -> String {
    let failures = results.iter().filter(|r| r.failed()).count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"chartkit golden\" tests=\"{}\" failures=\"{failures}\">",
        results.len()
    );
    let _ = writeln!(
        out,
        "  <testsuite name=\"golden\" tests=\"{}\" failures=\"{failures}\">",
        results.len()
    );
    for r in results {
        let name = if r.id.is_empty() { &r.path } else { &r.id };
        let _ = write!(
            out,
            "    <testcase classname=\"golden\" name=\"{}\" file=\"{}\"",
            xml_escape(name),
            xml_escape(&r.path)
        );
        let message = match &r.status {
            Status::Same => {
                out.push_str("/>\n");
                continue;
            }
            Status::Missing => format!("no golden file; run {update_command}"),
            Status::Orphan => "golden file without a target".to_string(),
            Status::Differs(d) => format!("{} object(s) differ; run {update_command}", d.len()),
        };
        out.push_str(">\n");
        let body = match &r.status {
            Status::Differs(d) => d
                .iter()
                .map(|d| format!("--- {} [{}]\n{}", d.key, d.change.word(), d.diff))
                .collect::<String>(),
            _ => String::new(),
        };
        let _ = writeln!(
            out,
            "      <failure message=\"{}\" type=\"golden\">{}</failure>",
            xml_escape(&message),
            xml_escape(&body)
        );
        out.push_str("    </testcase>\n");
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

/// The golden file of a render id under `dir`: `dir/<target>.yaml` or
/// `dir/<target>/<overlay>.yaml`.
pub fn golden_path(dir: &str, id: &str) -> String {
    let dir = dir.trim_end_matches('/');
    format!("{dir}/{id}.yaml")
}
