//! `chartkit lint`: render every target of chartkit.yaml (or one chart given on the command
//! line), validate every rendered object against the Kubernetes and CRD schemas of the target
//! version, and report each finding with the template line that wrote it and the values key
//! that supplied it.
//!
//! Every render is also checked by the policy rules (`policy::check`, with the `rules:` and
//! `externalObjects:` sections of chartkit.yaml); their findings are mapped to the template and
//! values lines the same way, and suppressed ones are reported, marked, without counting.
//!
//! This is the IO edge of lint: it reads chartkit.yaml, the CRD files and the clock (today's
//! date, for suppression expiry), renders through `helm::template`, and prints. Exit codes: 0 clean, 1 findings (errors, or warnings with
//! `--strict`), 2 usage or input error (bad flags, bad chartkit.yaml, unknown target, missing
//! chart, a render failing with Helm's message).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::targets::join;
use std::sync::atomic::{AtomicUsize, Ordering};

use helm::Flavor;
use helm::lint_provenance::trace;
use helm::manifest::Section;
use helm::template::{TemplateError, TemplateOptions, TemplateOutput, template};

use crate::lint_report::{
    Finding, ObjectRef, RenderSummary, Report, Severity, SourceRef, Suppressed, ValuesRef, to_json,
    to_text,
};
use crate::progress::Progress;

const USAGE: &str = "Usage:
  chartkit lint [TARGET...] [flags]          lint the renders of chartkit.yaml's targets
                                             (all by default; TARGET is NAME or NAME/OVERLAY)
  chartkit lint CHART [flags]                lint one chart directory or .tgz

Every render is validated against the schemas and checked by the policy rules (settings:
`rules:` and `externalObjects:` in chartkit.yaml; `chartkit explain RULE` documents a rule).

Flags:
      --config FILE          configuration file (default ./chartkit.yaml)
      --kube-version 1.NN    Kubernetes version to validate against and render for, 1.29 to 1.35
                             (default: the target's from chartkit.yaml, else 1.29)
      --crd FILE             add the schemas of the CRDs in FILE (repeatable; adds to `crds:`)
      --format FORMAT        text (default), json, or concise (one line per finding)
      --strict               warnings fail the lint too
  with CHART:
  -f, --values FILE          values file (repeatable)
      --set K=V              set a value (repeatable)
  -n, --namespace NS         release namespace (default `default`)
      --release NAME         release name (default `release-name`)
      --helm-version 3|4     which Helm to render like (default 4)
  -h, --help                 this text
";

/// Kubernetes minor versions with bundled schemas.
const KUBE_MINORS: std::ops::RangeInclusive<u32> = 29..=35;

/// Output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Text,
    Json,
    Concise,
}

/// The command line as given.
#[derive(Debug, Default)]
struct Args {
    positional: Vec<String>,
    config: Option<String>,
    kube_version: Option<String>,
    crds: Vec<String>,
    format: Option<String>,
    strict: bool,
    values: Vec<String>,
    set: Vec<String>,
    namespace: Option<String>,
    release: Option<String>,
    helm_version: Option<String>,
    help: bool,
}

/// A usage or input error: printed as `error: MESSAGE`, exit 2.
struct Fatal(String);

fn parse_args(raw: &[String]) -> Result<Args, Fatal> {
    let mut a = Args::default();
    let mut i = 0;
    while i < raw.len() {
        let arg = &raw[i];
        i += 1;
        if arg == "--" {
            a.positional.extend(raw[i..].iter().cloned());
            break;
        }
        if !arg.starts_with('-') || arg == "-" {
            a.positional.push(arg.clone());
            continue;
        }
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        match name {
            "-h" | "--help" => {
                a.help = true;
                continue;
            }
            "--strict" => {
                a.strict = true;
                continue;
            }
            _ => {}
        }
        let takes_value = matches!(
            name,
            "--config"
                | "--kube-version"
                | "--crd"
                | "--format"
                | "-f"
                | "--values"
                | "--set"
                | "-n"
                | "--namespace"
                | "--release"
                | "--helm-version"
        );
        if !takes_value {
            return Err(Fatal(format!("unknown flag: {arg}")));
        }
        let value = match inline {
            Some(v) => v,
            None => {
                let Some(v) = raw.get(i) else {
                    return Err(Fatal(format!("flag needs an argument: {name}")));
                };
                i += 1;
                v.clone()
            }
        };
        match name {
            "--config" => a.config = Some(value),
            "--kube-version" => a.kube_version = Some(value),
            "--crd" => a.crds.push(value),
            "--format" => a.format = Some(value),
            "-f" | "--values" => a.values.push(value),
            "--set" => a.set.push(value),
            "-n" | "--namespace" => a.namespace = Some(value),
            "--release" => a.release = Some(value),
            _ => a.helm_version = Some(value),
        }
    }
    Ok(a)
}

/// `1.29`, `v1.29` or `1.29.3` → 29, if schemas are bundled for it.
fn kube_minor(v: &str) -> Result<u32, String> {
    let bare = v.strip_prefix('v').unwrap_or(v);
    let mut parts = bare.split('.');
    let major = parts.next().and_then(|p| p.parse::<u32>().ok());
    let minor = parts.next().and_then(|p| p.parse::<u32>().ok());
    match (major, minor) {
        (Some(1), Some(m)) if KUBE_MINORS.contains(&m) => Ok(m),
        (Some(1), Some(_)) => Err(format!(
            "Kubernetes {v} has no bundled schemas: chartkit validates 1.{} to 1.{}",
            KUBE_MINORS.start(),
            KUBE_MINORS.end()
        )),
        _ => Err(format!("invalid Kubernetes version {v:?}: expected 1.NN")),
    }
}

fn flavor_of(v: &str) -> Result<Flavor, String> {
    match v {
        "3" => Ok(Flavor::Helm3),
        "4" => Ok(Flavor::Helm4),
        _ => Err(format!("invalid --helm-version {v:?}: expected 3 or 4")),
    }
}

/// One render to lint.
struct Job {
    id: String,
    /// The chart path as shown in the report.
    chart: String,
    kube_minor: u32,
    opts: TemplateOptions,
}

fn job_options(
    release: &str,
    chart: &str,
    namespace: &str,
    values: Vec<String>,
    set: Vec<String>,
    minor: u32,
    flavor: Flavor,
) -> TemplateOptions {
    TemplateOptions {
        release_name: release.to_string(),
        chart: PathBuf::from(chart),
        namespace: namespace.to_string(),
        values_files: values.into_iter().map(PathBuf::from).collect(),
        set,
        kube_version: Some(format!("1.{minor}")),
        flavor,
        record_provenance: true,
        record_template_provenance: true,
        ..TemplateOptions::default()
    }
}

/// Whether `arg` names a chart (a directory with Chart.yaml, or an archive).
fn is_chart_path(arg: &str) -> bool {
    let p = Path::new(arg);
    p.join("Chart.yaml").is_file()
        || (p.is_file() && (arg.ends_with(".tgz") || arg.ends_with(".tar.gz")))
}

/// What to lint: the renders, the CRD files to add, and the policy settings.
struct Plan {
    jobs: Vec<Job>,
    crds: Vec<String>,
    settings: policy::Settings,
}

/// Today's date (UTC) from the system clock, for suppression expiry.
fn today() -> Option<policy::Date> {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_secs();
    let (y, m, d) = helm::template::civil_from_days((secs / 86_400) as i64);
    policy::Date::parse(&format!("{y:04}-{m:02}-{d:02}"))
}

/// The policy settings of a chartkit.yaml: `rules:` (errors at `file:line:col`) and
/// `externalObjects:`.
fn policy_settings(config: &config::Config, config_path: &str) -> Result<policy::Settings, Fatal> {
    let mut settings = match &config.rules {
        Some(node) => policy::Settings::from_rules_node(node).map_err(|e| {
            // `rules: unknown rule "name"`: name the nearest rules.
            let near = e
                .message
                .strip_prefix("rules: unknown rule ")
                .map(|q| crate::explain_cmd::near_matches(q.trim_matches('"')))
                .unwrap_or_default();
            let hint = match near.as_slice() {
                [] => String::new(),
                some => {
                    let names: Vec<String> = some
                        .iter()
                        .map(|d| format!("{} ({})", d.id, d.name))
                        .collect();
                    format!("; did you mean {}?", names.join(", "))
                }
            };
            Fatal(if e.line > 0 {
                format!("{config_path}:{}:{}: {}{hint}", e.line, e.column, e.message)
            } else {
                format!("{config_path}: {}{hint}", e.message)
            })
        })?,
        None => policy::Settings::default(),
    };
    settings.external_objects = config
        .external_objects
        .iter()
        .map(|o| policy::ExternalObject {
            kind: o.kind.clone(),
            namespace: o.namespace.clone(),
            name: o.name.clone(),
        })
        .collect();
    Ok(settings)
}

/// The renders to lint, the CRD files to add and the policy settings, from the arguments and
/// chartkit.yaml.
fn plan(a: &Args) -> Result<Plan, Fatal> {
    let cli_minor = a
        .kube_version
        .as_deref()
        .map(kube_minor)
        .transpose()
        .map_err(Fatal)?;
    let adhoc = a.positional.len() == 1 && is_chart_path(&a.positional[0])
        || !a.values.is_empty()
        || !a.set.is_empty()
        || a.namespace.is_some()
        || a.release.is_some();
    if adhoc {
        let [chart] = a.positional.as_slice() else {
            return Err(Fatal(
                "give exactly one CHART with -f/--set/-n/--release".into(),
            ));
        };
        if !Path::new(chart).exists() {
            return Err(Fatal(format!("chart {chart:?} not found")));
        }
        let flavor = flavor_of(a.helm_version.as_deref().unwrap_or("4")).map_err(Fatal)?;
        let minor = cli_minor.unwrap_or(29);
        let job = Job {
            id: chart.clone(),
            chart: chart.clone(),
            kube_minor: minor,
            opts: job_options(
                a.release.as_deref().unwrap_or("release-name"),
                chart,
                a.namespace.as_deref().unwrap_or("default"),
                a.values.clone(),
                a.set.clone(),
                minor,
                flavor,
            ),
        };
        return Ok(Plan {
            jobs: vec![job],
            crds: a.crds.clone(),
            settings: policy::Settings::default(),
        });
    }
    if a.helm_version.is_some() {
        return Err(Fatal(
            "--helm-version applies to a CHART; targets take theirs from chartkit.yaml".into(),
        ));
    }
    let config_path = a.config.clone().unwrap_or_else(|| "chartkit.yaml".into());
    let text = std::fs::read_to_string(&config_path).map_err(|e| {
        Fatal(if e.kind() == std::io::ErrorKind::NotFound {
            format!(
                "{config_path}: not found (run where chartkit.yaml is, pass --config FILE, or name a CHART)"
            )
        } else {
            format!("{config_path}: {e}")
        })
    })?;
    let config = config::parse(&text, &config_path).map_err(|e| {
        let lines: Vec<String> = e.0.iter().map(ToString::to_string).collect();
        Fatal(lines.join("\nerror: "))
    })?;
    let settings = policy_settings(&config, &config_path)?;
    let dir = Path::new(&config_path)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let renders = config.renders();
    for want in &a.positional {
        if !renders
            .iter()
            .any(|r| r.id == *want || r.target.name == *want)
        {
            let known: Vec<&str> = renders.iter().map(|r| r.id.as_str()).collect();
            return Err(Fatal(format!(
                "no target {want:?} in {config_path} (targets: {})",
                known.join(", ")
            )));
        }
    }
    let mut jobs = Vec::new();
    for r in &renders {
        let selected = a.positional.is_empty()
            || a.positional
                .iter()
                .any(|w| r.id == *w || r.target.name == *w);
        if !selected {
            continue;
        }
        let t = r.target;
        let minor = match cli_minor {
            Some(m) => m,
            None => kube_minor(&t.kube_version)
                .map_err(|e| Fatal(format!("{config_path}:{}: target {}: {e}", t.line, t.name)))?,
        };
        let mut opts = crate::targets::template_options(&dir, r);
        opts.kube_version = Some(format!("1.{minor}"));
        opts.record_provenance = true;
        opts.record_template_provenance = true;
        jobs.push(Job {
            id: r.id.clone(),
            chart: join(&dir, &t.chart),
            kube_minor: minor,
            opts,
        });
    }
    let mut crds: Vec<String> = config.crds.iter().map(|c| join(&dir, c)).collect();
    crds.extend(a.crds.iter().cloned());
    Ok(Plan {
        jobs,
        crds,
        settings,
    })
}

/// Renders every job, in parallel, results in job order.
fn render_all(jobs: &[Job]) -> Vec<Result<TemplateOutput, TemplateError>> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(jobs.len())
        .max(1);
    let next = AtomicUsize::new(0);
    let mut results: Vec<Option<Result<TemplateOutput, TemplateError>>> =
        jobs.iter().map(|_| None).collect();
    let mut progress = Progress::new(jobs.len());
    std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::channel();
        for _ in 0..workers {
            let tx = tx.clone();
            let next = &next;
            s.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(job) = jobs.get(i) else {
                        break;
                    };
                    if tx.send((i, template(&job.opts))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        for (i, r) in rx {
            progress.step(&jobs[i].id);
            results[i] = Some(r);
        }
    });
    progress.finish();
    results
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err(TemplateError::default())))
        .collect()
}

/// The schema sets per Kubernetes minor, each with the CRDs added.
fn schema_sets(
    jobs: &[Job],
    crd_files: &[String],
) -> Result<BTreeMap<u32, schema::SchemaSet>, Fatal> {
    let mut crds = Vec::new();
    for f in crd_files {
        let text = std::fs::read_to_string(f).map_err(|e| Fatal(format!("--crd {f}: {e}")))?;
        crds.push((f, text));
    }
    let mut sets = BTreeMap::new();
    for job in jobs {
        if sets.contains_key(&job.kube_minor) {
            continue;
        }
        let mut set = schema::SchemaSet::bundled(job.kube_minor)
            .map_err(|e| Fatal(format!("Kubernetes 1.{}: {e}", job.kube_minor)))?;
        for (file, text) in &crds {
            set.add_crd(text, file)
                .map_err(|e| Fatal(format!("{file}: {e}")))?;
        }
        sets.insert(job.kube_minor, set);
    }
    Ok(sets)
}

fn string_at<'a>(node: &'a goyaml::Node, path: &[&str]) -> Option<&'a str> {
    let mut cur = node;
    for key in path {
        let goyaml::NodeValue::Map(entries) = &cur.value else {
            return None;
        };
        cur = &entries.iter().find(|(k, _)| k.name == *key)?.1;
    }
    match &cur.value {
        goyaml::NodeValue::String(s) => Some(s),
        _ => None,
    }
}

fn severity(s: schema::Severity) -> Severity {
    match s {
        schema::Severity::Error => Severity::Error,
        schema::Severity::Warning => Severity::Warning,
        schema::Severity::Info => Severity::Info,
    }
}

/// The on-disk path of a template (`chart/templates/x.yaml` → `<chart path>/templates/x.yaml`).
fn template_path(chart: &str, name: &str) -> String {
    match name.split_once('/') {
        Some((_, rest)) => format!("{}/{rest}", chart.trim_end_matches('/')),
        None => name.to_string(),
    }
}

/// A finding of either checker, before it is mapped to its sources.
struct Raw {
    rule: String,
    severity: schema::Severity,
    pointer: String,
    message: String,
    line: u32,
    column: u32,
    /// Traced at the key (an unknown or duplicate key) rather than the value.
    at_key: bool,
    suppressed: Option<Suppressed>,
}

/// Validates one render's objects, runs the policy rules over them, and maps each finding to
/// its sources.
fn lint_render(
    job: &Job,
    out: &TemplateOutput,
    set: &schema::SchemaSet,
    settings: &policy::Settings,
) -> (RenderSummary, Vec<Finding>) {
    // The objects of the render, in output order (CRD files are not objects of the release).
    let mut docs = Vec::new();
    let mut objects = Vec::new();
    for doc in &out.assembled.documents {
        if doc.section == Section::Crd {
            continue;
        }
        let Ok(root) = goyaml::load(&doc.content, 0) else {
            continue;
        };
        if matches!(root.value, goyaml::NodeValue::Null) {
            continue;
        }
        objects.push(policy::Object::from_node(
            root,
            &job.opts.namespace,
            &doc.source,
        ));
        docs.push(doc);
    }
    let release = policy::Release {
        objects: &objects,
        namespace: &job.opts.namespace,
        kube_minor: job.kube_minor,
    };
    let mut by_object: Vec<Vec<Raw>> = objects.iter().map(|_| Vec::new()).collect();
    for f in policy::check(&release, settings) {
        let Some(obj) = objects.get(f.object) else {
            continue;
        };
        let (node, _) = policy::locate(&obj.node, &f.pointer);
        by_object[f.object].push(Raw {
            rule: f.rule.to_string(),
            severity: f.severity,
            line: node.pos.line,
            column: node.pos.column,
            pointer: f.pointer,
            message: f.message,
            at_key: false,
            suppressed: f.suppressed.map(|s| Suppressed {
                by: s.annotation,
                reason: s.reason,
                until: s.until.map(|d| d.to_string()),
            }),
        });
    }
    let mut findings = Vec::new();
    for ((doc, obj), policy_found) in docs.iter().zip(&objects).zip(by_object) {
        let root = &obj.node;
        let api_version = string_at(root, &["apiVersion"]).unwrap_or_default();
        let kind = string_at(root, &["kind"]).unwrap_or_default();
        let mut found = set.validate(root);
        found.extend(schema::duplicate_keys(&doc.content));
        if !set.has_schema(api_version, kind)
            && !found
                .iter()
                .any(|f| f.rule.starts_with("CK-API-") || f.rule == "CK-SCHEMA-004")
        {
            found.push(schema::Finding {
                rule: "CK-SCHEMA-004",
                severity: schema::Severity::Warning,
                pointer: String::new(),
                message: format!("no schema for {kind} {api_version}: the object is not validated (add its CRD with --crd or `crds:`)"),
                line: 1,
                column: 1,
            });
        }
        let mut raw: Vec<Raw> = found
            .into_iter()
            .filter_map(|f| {
                // `rules:` levels apply to the schema checks too.
                let severity = match settings.level(f.rule) {
                    Some(policy::Level::Off) => return None,
                    Some(policy::Level::Error) => schema::Severity::Error,
                    Some(policy::Level::Warning) => schema::Severity::Warning,
                    Some(policy::Level::Info) => schema::Severity::Info,
                    None => f.severity,
                };
                Some((f, severity))
            })
            .map(|(f, severity)| Raw {
                rule: f.rule.to_string(),
                severity,
                at_key: matches!(f.rule, "CK-SCHEMA-002" | "CK-SCHEMA-003"),
                pointer: f.pointer,
                message: f.message,
                line: f.line,
                column: f.column,
                suppressed: None,
            })
            .collect();
        raw.extend(policy_found);
        raw.sort_by(|a, b| {
            (a.line, a.column, &a.rule, &a.pointer, &a.message)
                .cmp(&(b.line, b.column, &b.rule, &b.pointer, &b.message))
        });
        let object = ObjectRef {
            api_version: api_version.to_string(),
            kind: kind.to_string(),
            namespace: string_at(root, &["metadata", "namespace"])
                .unwrap_or(&job.opts.namespace)
                .to_string(),
            name: string_at(root, &["metadata", "name"])
                .unwrap_or_default()
                .to_string(),
        };
        for f in raw {
            let source = out
                .template_provenance
                .as_ref()
                .map(|tp| {
                    trace(
                        tp,
                        out.values_provenance.as_ref(),
                        doc,
                        root,
                        &f.pointer,
                        f.at_key,
                    )
                })
                .unwrap_or_default();
            let template = source.template.map(|t| SourceRef {
                file: template_path(&job.chart, &t.file),
                line: t.line,
                column: t.column,
                line_text: t.line_text,
            });
            let values = source.values.map(|o| {
                let given = job
                    .opts
                    .values_files
                    .iter()
                    .any(|v| v.to_string_lossy() == o.source);
                let file = if o.line == 0 || given {
                    o.source
                } else {
                    // A chart's own values.yaml, named relative to the chart.
                    format!("{}/{}", job.chart.trim_end_matches('/'), o.source)
                };
                ValuesRef {
                    file,
                    argument: o.argument,
                    key_path: source.values_path.clone().unwrap_or(o.key_path),
                    line: o.line,
                    column: o.column,
                }
            });
            let line_text = doc
                .content
                .lines()
                .nth(f.line.saturating_sub(1) as usize)
                .unwrap_or_default()
                .to_string();
            findings.push(Finding {
                rule: f.rule,
                severity: severity(f.severity),
                render: job.id.clone(),
                object: object.clone(),
                pointer: f.pointer,
                message: f.message,
                template,
                values,
                rendered: SourceRef {
                    file: doc.source.clone(),
                    line: f.line,
                    column: f.column,
                    line_text,
                },
                suppressed: f.suppressed,
            });
        }
    }
    let summary = RenderSummary {
        id: job.id.clone(),
        chart: job.chart.clone(),
        kube_version: format!("1.{}", job.kube_minor),
        objects: objects.len(),
    };
    (summary, findings)
}

fn lint(a: &Args, format: Format) -> Result<(Report, String), Fatal> {
    let Plan {
        jobs,
        crds: crd_files,
        mut settings,
    } = plan(a)?;
    settings.today = today();
    if jobs.is_empty() {
        return Err(Fatal(
            "nothing to lint: chartkit.yaml has no targets".into(),
        ));
    }
    let sets = schema_sets(&jobs, &crd_files)?;
    let results = render_all(&jobs);
    let mut failures = Vec::new();
    let mut report = Report::default();
    for (job, result) in jobs.iter().zip(&results) {
        match result {
            Err(e) => failures.push(format!("render {} failed: {}", job.id, e.message)),
            Ok(out) => {
                let Some(set) = sets.get(&job.kube_minor) else {
                    continue;
                };
                let (summary, findings) = lint_render(job, out, set, &settings);
                report.renders.push(summary);
                report.findings.extend(findings);
            }
        }
    }
    if !failures.is_empty() {
        return Err(Fatal(failures.join("\nerror: ")));
    }
    let text = match format {
        Format::Text => to_text(&report),
        Format::Json => to_json(&report),
        Format::Concise => crate::lint_report::to_concise(&report),
    };
    Ok((report, text))
}

/// Runs `chartkit lint` with the arguments after `lint`.
pub fn run(raw: &[String]) -> ExitCode {
    let fatal = |msg: &str| {
        let _ = writeln!(std::io::stderr(), "error: {msg}");
        ExitCode::from(2)
    };
    let a = match parse_args(raw) {
        Ok(a) => a,
        Err(Fatal(m)) => return fatal(&format!("{m}\n\n{USAGE}")),
    };
    if a.help {
        print!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let format = match a.format.as_deref().unwrap_or("text") {
        "text" => Format::Text,
        "json" => Format::Json,
        "concise" => Format::Concise,
        other => {
            return fatal(&format!(
                "invalid --format {other:?}: expected text, json or concise"
            ));
        }
    };
    let (report, text) = match lint(&a, format) {
        Ok(r) => r,
        Err(Fatal(m)) => return fatal(&m),
    };
    let mut stdout = std::io::stdout().lock();
    // A closed pipe is not an error of ours; the exit code still tells the verdict.
    let _ = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
    if report.fails(a.strict) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kube_versions_in_range_only() {
        assert_eq!(kube_minor("1.29").ok(), Some(29));
        assert_eq!(kube_minor("v1.35.2").ok(), Some(35));
        assert!(kube_minor("1.28").unwrap_err().contains("1.29 to 1.35"));
        assert!(kube_minor("banana").unwrap_err().contains("expected 1.NN"));
    }

    #[test]
    fn flags_take_inline_and_separate_values() {
        let raw: Vec<String> = [
            "a/b",
            "--format=json",
            "-f",
            "v.yaml",
            "--strict",
            "--crd",
            "c.yaml",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let a = parse_args(&raw).ok().expect("parses");
        assert_eq!(a.positional, vec!["a/b"]);
        assert_eq!(a.format.as_deref(), Some("json"));
        assert_eq!(a.values, vec!["v.yaml"]);
        assert_eq!(a.crds, vec!["c.yaml"]);
        assert!(a.strict);
        assert!(parse_args(&["--bogus".to_string()]).is_err());
        assert!(parse_args(&["--set".to_string()]).is_err());
    }

    #[test]
    fn days_become_civil_dates() {
        assert_eq!(helm::template::civil_from_days(0), (1970, 1, 1));
        assert_eq!(helm::template::civil_from_days(19_782), (2024, 2, 29));
        assert_eq!(helm::template::civil_from_days(20_507), (2026, 2, 23));
        assert!(today().is_some());
    }

    #[test]
    fn template_names_map_to_chart_paths() {
        assert_eq!(
            template_path("helm-charts/app", "app/templates/d.yaml"),
            "helm-charts/app/templates/d.yaml"
        );
        assert_eq!(
            template_path("c/", "app/charts/common/templates/_l.tpl"),
            "c/charts/common/templates/_l.tpl"
        );
    }
}
