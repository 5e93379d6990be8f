//! `helm template`: the whole pipeline from a chart path and flags to stdout, with Helm's
//! error messages. The values files, `--set-file` files and `--output-dir` are the only IO.

use std::path::PathBuf;

use gotmpl::{Map, Value};

use crate::Flavor;
use crate::chart::{self, Chart};
use crate::lint_provenance::TemplateProvenance;
use crate::manifest::{self, AssembleOptions, Head};
use crate::objects::{Capabilities, KubeVersion};
use crate::provenance::{UserSource, ValuesProvenance};
use crate::render::{self, Release};
use crate::strvals;
use crate::values::{self, Warnings};

/// The arguments and flags of `helm template` that affect its output.
#[derive(Clone, Debug, Default)]
pub struct TemplateOptions {
    /// The release name (`release-name` when only the chart is given).
    pub release_name: String,
    /// The chart directory or archive.
    pub chart: PathBuf,
    /// `-n/--namespace` (default `default`).
    pub namespace: String,
    /// `-f/--values`, in order.
    pub values_files: Vec<PathBuf>,
    /// `--set`.
    pub set: Vec<String>,
    /// `--set-string`.
    pub set_string: Vec<String>,
    /// `--set-file`.
    pub set_file: Vec<String>,
    /// `--set-json`.
    pub set_json: Vec<String>,
    /// `--set-literal`.
    pub set_literal: Vec<String>,
    /// `--kube-version`.
    pub kube_version: Option<String>,
    /// `-a/--api-versions`.
    pub api_versions: Vec<String>,
    /// `--include-crds`.
    pub include_crds: bool,
    /// `--skip-tests`.
    pub skip_tests: bool,
    /// `--no-hooks`.
    pub no_hooks: bool,
    /// `-s/--show-only`.
    pub show_only: Vec<String>,
    /// `--output-dir`.
    pub output_dir: Option<PathBuf>,
    /// `--release-name` (use the release name in the output-dir path).
    pub use_release_name: bool,
    /// `--is-upgrade`.
    pub is_upgrade: bool,
    /// `--skip-schema-validation`.
    pub skip_schema_validation: bool,
    /// Which Helm to behave like.
    pub flavor: Flavor,
    /// `--debug`: Helm's debug log lines on stderr, and on a render failure the rendered
    /// files on stdout instead of the `--debug` hint.
    pub debug: bool,
    /// Record where each merged value came from ([`TemplateOutput::values_provenance`]); costs
    /// a second parse of every values file, so only lint asks for it.
    pub record_provenance: bool,
    /// Record which template node wrote each byte of the output
    /// ([`TemplateOutput::template_provenance`]); slower, so only lint asks for it.
    pub record_template_provenance: bool,
}

/// A failure, printed as `Error: MESSAGE` (plus Helm's `--debug` hint when `hint` is set).
#[derive(Clone, Debug, Default)]
pub struct TemplateError {
    /// The message.
    pub message: String,
    /// Whether Helm adds `\n\nUse --debug flag to render out invalid YAML`.
    pub hint: bool,
    /// Log lines Helm writes to stderr before the error.
    pub logs: Vec<String>,
    /// What Helm still prints on stdout (with `--debug`: the rendered files of a failed render).
    pub stdout: String,
    /// Lines Helm writes to stderr after the error (Helm 3's `--debug` echo of it).
    pub trailer: Vec<String>,
}

impl TemplateError {
    fn plain(message: impl Into<String>) -> TemplateError {
        TemplateError {
            message: message.into(),
            ..Default::default()
        }
    }

    /// What Helm prints on stderr.
    pub fn stderr(&self) -> String {
        let mut s = String::new();
        for l in &self.logs {
            s.push_str(l);
            s.push('\n');
        }
        s.push_str("Error: ");
        s.push_str(&self.message);
        if self.hint {
            s.push_str("\n\nUse --debug flag to render out invalid YAML");
        }
        s.push('\n');
        for l in &self.trailer {
            s.push_str(l);
            s.push('\n');
        }
        s
    }
}

/// What `helm template` printed.
#[derive(Clone, Debug, Default)]
pub struct TemplateOutput {
    /// stdout.
    pub stdout: String,
    /// stderr lines (warnings and logs).
    pub stderr: String,
    /// The assembled documents (for lint and golden diffs).
    pub assembled: manifest::Assembled,
    /// The merged values of the top chart (what `.Values` was).
    pub values: Map,
    /// Where each merged value came from, when [`TemplateOptions::record_provenance`] is set.
    pub values_provenance: Option<ValuesProvenance>,
    /// Which template node wrote each byte of each rendered file, when
    /// [`TemplateOptions::record_template_provenance`] is set.
    pub template_provenance: Option<TemplateProvenance>,
}

/// Helm's release name rule.
fn valid_release_name(name: &str) -> bool {
    if name.is_empty() || name.len() > 53 {
        return false;
    }
    name.split('.').all(|label| {
        let b = label.as_bytes();
        !b.is_empty()
            && b.iter()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
            && b[0] != b'-'
            && b[b.len() - 1] != b'-'
    })
}

/// Reads the user values: `-f` files in order, then the `--set` family by kind.
pub fn user_values(opts: &TemplateOptions) -> Result<Map, TemplateError> {
    let mut base = Map::new();
    for f in &opts.values_files {
        let text = std::fs::read_to_string(f).map_err(|e| {
            TemplateError::plain(format!("open {}: {}", f.display(), io_reason(&e)))
        })?;
        let m = crate::yaml::load_values(&text, opts.flavor)
            .map_err(|e| TemplateError::plain(format!("failed to parse {}: {e}", f.display())))?;
        base = values::merge_maps(&base, &m);
    }
    for v in &opts.set_json {
        let trimmed = v.trim();
        if trimmed.starts_with('{') && opts.flavor == Flavor::Helm4 {
            let j: serde_json::Value = serde_json::from_str(trimmed).map_err(|_| {
                TemplateError::plain(format!("failed parsing --set-json data JSON: {v}"))
            })?;
            let Value::Map(m) = strvals::json_to_value(&j) else {
                return Err(TemplateError::plain(format!(
                    "failed parsing --set-json data JSON: {v}"
                )));
            };
            base = values::merge_maps(&base, &m);
        } else if strvals::parse_json(v, &base).is_err() {
            return Err(TemplateError::plain(format!(
                "failed parsing --set-json data {v}"
            )));
        }
    }
    for v in &opts.set {
        strvals::parse_into(v, &base)
            .map_err(|e| TemplateError::plain(format!("failed parsing --set data: {e}")))?;
    }
    for v in &opts.set_string {
        strvals::parse_into_string(v, &base)
            .map_err(|e| TemplateError::plain(format!("failed parsing --set-string data: {e}")))?;
    }
    for v in &opts.set_file {
        let mut read = |p: &str| {
            std::fs::read_to_string(p).map_err(|e| format!("open {p}: {}", io_reason(&e)))
        };
        strvals::parse_into_file(v, &base, &mut read)
            .map_err(|e| TemplateError::plain(format!("failed parsing --set-file data: {e}")))?;
    }
    for v in &opts.set_literal {
        strvals::parse_literal_into(v, &base)
            .map_err(|e| TemplateError::plain(format!("failed parsing --set-literal data: {e}")))?;
    }
    Ok(base)
}

/// Replays the values sources in Helm's precedence order to record where each value came from.
fn values_provenance(chart: &Chart, opts: &TemplateOptions) -> ValuesProvenance {
    let mut prov = ValuesProvenance::new();
    prov.record_chart_defaults(chart);
    for f in &opts.values_files {
        if let Ok(text) = std::fs::read_to_string(f) {
            let name = f.to_string_lossy();
            prov.record_user(&UserSource::File {
                name: &name,
                text: &text,
            });
        }
    }
    let mut flag = |flag: &str, argument: &str, parse: &dyn Fn(&str, &Map) -> bool| {
        let values = Map::new();
        if parse(argument, &values) {
            prov.record_user(&UserSource::Flag {
                flag,
                argument,
                values: &values,
            });
        }
    };
    for v in &opts.set_json {
        flag("--set-json", v, &|a, m| {
            let trimmed = a.trim();
            if trimmed.starts_with('{') && opts.flavor == Flavor::Helm4 {
                match serde_json::from_str::<serde_json::Value>(trimmed) {
                    Ok(j) => match strvals::json_to_value(&j) {
                        Value::Map(parsed) => {
                            for (k, v) in parsed.entries() {
                                m.insert(k, v);
                            }
                            true
                        }
                        _ => false,
                    },
                    Err(_) => false,
                }
            } else {
                strvals::parse_json(a, m).is_ok()
            }
        });
    }
    for v in &opts.set {
        flag("--set", v, &|a, m| strvals::parse_into(a, m).is_ok());
    }
    for v in &opts.set_string {
        flag("--set-string", v, &|a, m| {
            strvals::parse_into_string(a, m).is_ok()
        });
    }
    for v in &opts.set_file {
        flag("--set-file", v, &|a, m| {
            let mut read = |p: &str| std::fs::read_to_string(p).map_err(|e| e.to_string());
            strvals::parse_into_file(a, m, &mut read).is_ok()
        });
    }
    for v in &opts.set_literal {
        flag("--set-literal", v, &|a, m| {
            strvals::parse_literal_into(a, m).is_ok()
        });
    }
    prov
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// The `.Capabilities.KubeVersion` for `--kube-version` (or the flavor's default).
pub fn kube_version(flavor: Flavor, flag: Option<&str>) -> Result<KubeVersion, TemplateError> {
    let Some(raw) = flag else {
        let (v, minor) = match flavor {
            Flavor::Helm3 => ("v1.32.0", "32"),
            Flavor::Helm4 => ("v1.35.0", "35"),
        };
        return Ok(KubeVersion {
            version: v.into(),
            major: "1".into(),
            minor: minor.into(),
            printed: v.into(),
            flavor,
        });
    };
    let bare = raw.strip_prefix('v').unwrap_or(raw);
    let (core, suffix) = match bare.find(['-', '+']) {
        Some(i) => (&bare[..i], &bare[i..]),
        None => (bare, ""),
    };
    let parts: Vec<&str> = core.split('.').collect();
    let numeric = !parts.is_empty()
        && parts.len() <= 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    if !numeric {
        let msg = match flavor {
            Flavor::Helm3 => format!("invalid kube version '{raw}': Invalid Semantic Version"),
            Flavor::Helm4 => {
                format!("invalid kube version '{raw}': could not parse \"{raw}\" as version")
            }
        };
        return Err(TemplateError::plain(msg));
    }
    let num = |i: usize| {
        parts
            .get(i)
            .map(|p| p.trim_start_matches('0'))
            .map(|p| if p.is_empty() { "0" } else { p })
            .unwrap_or("0")
            .to_string()
    };
    let (major, minor, patch) = (num(0), num(1), num(2));
    let canonical = format!("v{major}.{minor}.{patch}{suffix}");
    let (version, printed) = match flavor {
        Flavor::Helm3 => (canonical.clone(), canonical),
        Flavor::Helm4 => {
            let printed = if parts.len() == 2 {
                format!("v{major}.{minor}")
            } else {
                format!("v{major}.{minor}.{patch}")
            };
            (format!("v{bare}"), printed)
        }
    };
    Ok(KubeVersion {
        version,
        major,
        minor,
        printed,
        flavor,
    })
}

/// The head of a rendered document, as Helm's `SimpleHead` unmarshalling reads it.
fn parse_head(flavor: Flavor, doc: &str) -> Result<Head, String> {
    let node = goyaml::load(doc, 0).map_err(|e| e.helm_message())?;
    let y = node.to_yaml();
    let head_type = match flavor {
        Flavor::Helm3 => "releaseutil.SimpleHead",
        Flavor::Helm4 => "util.SimpleHead",
    };
    let kind_of = |y: &goyaml::Yaml| match y {
        goyaml::Yaml::Seq(_) => "array",
        goyaml::Yaml::Map(_) => "object",
        goyaml::Yaml::String(_) => "string",
        goyaml::Yaml::Bool(_) => "bool",
        _ => "number",
    };
    let entries = match y {
        goyaml::Yaml::Null => return Ok(Head::default()),
        goyaml::Yaml::Map(e) => e,
        other => {
            return Err(format!(
                "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type {head_type}",
                kind_of(&other)
            ));
        }
    };
    let scalar = |field: &str, v: &goyaml::Yaml| -> Result<Option<String>, String> {
        match v {
            goyaml::Yaml::Null => Ok(None),
            goyaml::Yaml::String(s) => Ok(Some(s.clone())),
            goyaml::Yaml::Bool(b) => Ok(Some(b.to_string())),
            goyaml::Yaml::Float(f) => Ok(Some(goyaml::number_text(*f).unwrap_or_default())),
            goyaml::Yaml::Int(i) => Ok(Some(i.to_string())),
            other => Err(format!(
                "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go struct field SimpleHead.{field} of type string",
                kind_of(other)
            )),
        }
    };
    let mut head = Head::default();
    for (k, v) in &entries {
        match k.as_str() {
            "apiVersion" => head.api_version = scalar("apiVersion", v)?,
            "kind" => head.kind = scalar("kind", v)?,
            "metadata" => {
                if let goyaml::Yaml::Map(md) = v {
                    for (mk, mv) in md {
                        match mk.as_str() {
                            "name" => head.name = scalar("metadata.name", mv)?,
                            "annotations" => {
                                if let goyaml::Yaml::Map(ann) = mv {
                                    for (ak, av) in ann {
                                        if let Some(s) =
                                            scalar(&format!("metadata.annotations.{ak}"), av)?
                                        {
                                            head.annotations.insert(ak.clone(), s);
                                        }
                                    }
                                }
                            }
                            _ => {}
                        }
                    }
                }
            }
            _ => {}
        }
    }
    Ok(head)
}

fn crd_list(chart: &Chart, out: &mut Vec<(String, Vec<u8>)>) {
    let full = chart.full_path();
    for f in chart.crd_files() {
        out.push((format!("{full}/{}", f.name), f.data.to_vec()));
    }
    for d in &chart.dependencies {
        crd_list(d, out);
    }
}

/// Runs `helm template` and returns what it prints.
pub fn template(opts: &TemplateOptions) -> Result<TemplateOutput, TemplateError> {
    if !opts.debug {
        return template_inner(opts, &mut Vec::new());
    }
    let clock = DebugClock::start();
    let mut pre = Vec::new();
    let result = template_inner(opts, &mut pre);
    let with_pre = |rest: &str| -> String {
        let mut s: String = pre.iter().map(|l| format!("{l}\n")).collect();
        s.push_str(rest);
        s
    };
    match result {
        Ok(mut out) => {
            out.stderr = with_pre(&out.stderr);
            Ok(out)
        }
        Err(mut e) => {
            let mut logs = pre.clone();
            logs.append(&mut e.logs);
            e.logs = logs;
            if e.hint {
                // `--debug` prints what was rendered instead of suggesting `--debug`.
                e.hint = false;
                if e.stdout.is_empty() {
                    e.stdout = "\n".into();
                }
            }
            if opts.flavor == Flavor::Helm3 {
                e.trailer.push(format!(
                    "helm.go:86: {} [debug] {}",
                    clock.stamp(),
                    h3_debug_cause(&e.message)
                ));
            }
            Err(e)
        }
    }
}

/// What Helm 3's `%+v` echo of an error starts with: for the errors it wraps with
/// `errors.Wrap(cause, prefix)` that is the cause (the stack trace and the prefix follow, which
/// chartkit does not print).
fn h3_debug_cause(message: &str) -> &str {
    const WRAPS: &[&str] = &[
        "failed parsing --set data: ",
        "failed parsing --set-string data: ",
        "failed parsing --set-file data: ",
        "failed parsing --set-literal data: ",
    ];
    for w in WRAPS {
        if let Some(rest) = message.strip_prefix(w) {
            return rest;
        }
    }
    if let Some(rest) = message.strip_prefix("YAML parse error on ")
        && let Some((_, cause)) = rest.split_once(": ")
    {
        return cause;
    }
    message
}

/// Go's `unicode.IsSpace` for `strings.TrimSpace`.
const GO_SPACE: &[char] = &[' ', '\t', '\n', '\u{b}', '\u{c}', '\r', '\u{85}', '\u{a0}'];

/// Helm 3's debug time stamps: Go's `time.Now().String()` (`2006-01-02 15:04:05.999999999
/// +0000 UTC m=+0.077275463`), with the monotonic reading counted from the start of the run.
struct DebugClock {
    start: std::time::Instant,
}

impl DebugClock {
    fn start() -> DebugClock {
        DebugClock {
            start: std::time::Instant::now(),
        }
    }

    fn stamp(&self) -> String {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        let secs = now.as_secs();
        let (days, rem) = (secs / 86_400, secs % 86_400);
        let (y, m, d) = civil_from_days(days as i64);
        let mut frac = format!("{:09}", now.subsec_nanos());
        while frac.ends_with('0') {
            frac.pop();
        }
        let frac = if frac.is_empty() {
            String::new()
        } else {
            format!(".{frac}")
        };
        let mono = self.start.elapsed().as_secs_f64() + 0.04;
        format!(
            "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}{frac} +0000 UTC m=+{mono:.9}",
            rem / 3600,
            rem / 60 % 60,
            rem % 60
        )
    }
}

/// The proleptic Gregorian date (year, month, day) of a day count since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Go's `filepath.Abs`: joined to the working directory and cleaned lexically.
fn go_abs(path: &std::path::Path) -> String {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut parts: Vec<String> = Vec::new();
    for c in joined.components() {
        match c {
            std::path::Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            std::path::Component::ParentDir => {
                parts.pop();
            }
            _ => {}
        }
    }
    format!("/{}", parts.join("/"))
}

fn template_inner(
    opts: &TemplateOptions,
    pre: &mut Vec<String>,
) -> Result<TemplateOutput, TemplateError> {
    let flavor = opts.flavor;
    let mut warnings: Warnings = Vec::new();
    let clock = DebugClock::start();
    if opts.debug {
        pre.push(match flavor {
            Flavor::Helm4 => "level=DEBUG msg=\"Original chart version\" version=\"\"".to_string(),
            Flavor::Helm3 => format!(
                "install.go:225: {} [debug] Original chart version: \"\"",
                clock.stamp()
            ),
        });
    }
    if !opts.chart.exists() {
        return Err(TemplateError::plain(format!(
            "path \"{}\" not found",
            opts.chart.display()
        )));
    }
    if opts.debug {
        let abs = go_abs(&opts.chart);
        match flavor {
            Flavor::Helm4 => pre.push(format!(
                "level=DEBUG msg=\"Chart path\" path={}",
                values::slog_quote(&abs)
            )),
            Flavor::Helm3 => {
                pre.push(format!(
                    "install.go:242: {} [debug] CHART PATH: {abs}",
                    clock.stamp()
                ));
                pre.push(String::new());
            }
        }
    }
    let user = user_values(opts)?;
    let mut chart = chart::load(&opts.chart, flavor).map_err(|e| TemplateError::plain(e.0))?;
    if chart.is_library() {
        return Err(TemplateError::plain("library charts are not installable"));
    }
    check_dependencies(&chart, flavor)?;
    if !valid_release_name(&opts.release_name) {
        let base = format!(
            "release name \"{}\": invalid release name, must match regex ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$ and the length must not be longer than 53",
            opts.release_name
        );
        return Err(match flavor {
            Flavor::Helm3 => TemplateError::plain(base),
            Flavor::Helm4 => TemplateError {
                logs: vec![format!(
                    "level=ERROR msg=\"release name check failed\" error={}",
                    values::slog_quote(&base)
                )],
                message: format!("release name check failed: {base}"),
                hint: false,
                ..Default::default()
            },
        });
    }
    chart.set_parent_path("");
    values::process_dependencies(&mut chart, &user, &mut warnings);
    chart.set_parent_path("");
    let kube = kube_version(flavor, opts.kube_version.as_deref())?;
    let caps = Capabilities::new(flavor, kube.clone(), &opts.api_versions);
    let vals = values::coalesce_values(&chart, &user, false, &mut warnings);
    if !opts.skip_schema_validation {
        let mut report = String::new();
        let mut debug = (opts.debug && flavor == Flavor::Helm4).then_some(&mut warnings);
        schema_report(&chart, &vals, flavor, &mut report, &mut debug)?;
        if !report.is_empty() {
            return Err(TemplateError {
                message: format!(
                    "values don't meet the specifications of the schema(s) in the following chart(s):\n{report}"
                ),
                hint: false,
                logs: warnings
                    .iter()
                    .map(|w| w.line(flavor).to_string())
                    .collect(),
                ..Default::default()
            });
        }
    }
    if !chart.metadata.kube_version.is_empty()
        && !sprig::semver_check(
            &chart.metadata.kube_version,
            &kube.printed,
            go_version(flavor),
        )
        .unwrap_or(false)
    {
        return Err(TemplateError {
            message: format!(
                "chart requires kubeVersion: {} which is incompatible with Kubernetes {}",
                chart.metadata.kube_version, kube.printed
            ),
            hint: true,
            logs: warnings
                .iter()
                .map(|w| w.line(flavor).to_string())
                .collect(),
            ..Default::default()
        });
    }
    let release = Release {
        name: opts.release_name.clone(),
        namespace: if opts.namespace.is_empty() {
            "default".into()
        } else {
            opts.namespace.clone()
        },
        is_upgrade: opts.is_upgrade,
        revision: 1,
    };
    let render_error = |e: render::RenderError| TemplateError {
        message: e.message,
        hint: true,
        logs: warnings
            .iter()
            .map(|w| w.line(flavor).to_string())
            .collect(),
        ..Default::default()
    };
    let (rendered, template_provenance) = if opts.record_template_provenance {
        let (files, rec) = render::render_recorded(&chart, &vals, &release, &caps, flavor)
            .map_err(render_error)?;
        (files, Some(rec))
    } else {
        let files = render::render(&chart, &vals, &release, &caps, flavor).map_err(render_error)?;
        (files, None)
    };
    let files: Vec<(String, String)> = rendered.into_iter().map(|r| (r.name, r.text)).collect();
    let mut crds = Vec::new();
    crd_list(&chart, &mut crds);
    let aopts = AssembleOptions {
        include_crds: opts.include_crds,
        no_hooks: opts.no_hooks,
        skip_tests: opts.skip_tests,
        flavor,
    };
    let parser = |_: &str, doc: &str| parse_head(flavor, doc);
    let mut logs: Vec<String> = warnings
        .iter()
        .map(|w| w.line(flavor).to_string())
        .collect();
    let assembled = match manifest::assemble(&files, &crds, &aopts, &parser) {
        Ok(a) => a,
        Err(e) => {
            let manifest::AssembleError::Yaml {
                skipped_hooks,
                hooks,
                ..
            } = &e;
            logs.extend(skipped_hooks.iter().map(|s| s.log_line(flavor)));
            // Helm returns every rendered file for `--debug` to show (in Go map order, which
            // is random; chartkit sorts by name).
            let mut blob = String::new();
            if opts.debug {
                let mut shown: Vec<&(String, String)> = files
                    .iter()
                    .filter(|(name, text)| {
                        !manifest::is_dropped_template(name)
                            && !text.trim_matches(GO_SPACE).is_empty()
                    })
                    .collect();
                shown.sort_by(|a, b| a.0.cmp(&b.0));
                for (name, text) in shown {
                    blob.push_str(&format!("---\n# Source: {name}\n{text}\n"));
                }
                blob = format!("{}\n", blob.trim_matches(GO_SPACE));
                if !opts.no_hooks {
                    for (source, doc, is_test) in hooks {
                        if !(opts.skip_tests && *is_test) {
                            blob.push_str(&format!("---\n# Source: {source}\n{doc}\n"));
                        }
                    }
                }
            }
            return Err(TemplateError {
                stdout: blob,
                message: e.to_string(),
                hint: true,
                logs,
                ..Default::default()
            });
        }
    };
    logs.extend(assembled.skipped_hooks.iter().map(|s| s.log_line(flavor)));
    let mut stderr = String::new();
    for l in &logs {
        stderr.push_str(l);
        stderr.push('\n');
    }
    let mut stdout = assembled.output.clone();
    if !opts.show_only.is_empty() {
        stdout = manifest::show_only(&stdout, &opts.show_only).map_err(|m| TemplateError {
            message: m,
            hint: false,
            logs: logs.clone(),
            ..Default::default()
        })?;
    }
    if let Some(dir) = &opts.output_dir {
        let dir = dir.to_string_lossy();
        let release = opts.use_release_name.then_some(opts.release_name.as_str());
        let lines = manifest::write_output_dir(&dir, &assembled, release)
            .map_err(|e| TemplateError::plain(e.to_string()))?;
        stdout = lines.iter().map(|l| format!("{l}\n")).collect::<String>() + "\n";
    }
    let values_provenance = opts
        .record_provenance
        .then(|| values_provenance(&chart, opts));
    Ok(TemplateOutput {
        stdout,
        stderr,
        assembled,
        values: vals,
        values_provenance,
        template_provenance,
    })
}

/// Helm's `CheckDependencies`: every dependency of Chart.yaml must be present in `charts/`.
fn check_dependencies(chart: &Chart, flavor: Flavor) -> Result<(), TemplateError> {
    let missing: Vec<&str> = chart
        .metadata
        .dependencies
        .iter()
        .filter(|d| !chart.dependencies.iter().any(|c| c.name() == d.name))
        .map(|d| d.name.as_str())
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let head = match flavor {
        Flavor::Helm3 => "An error occurred",
        Flavor::Helm4 => "an error occurred",
    };
    Err(TemplateError::plain(format!(
        "{head} while checking for chart dependencies. You may need to run `helm dependency build` to fetch missing dependencies: found in Chart.yaml, but missing in charts/ directory: {}",
        missing.join(", ")
    )))
}

fn go_version(flavor: Flavor) -> gotmpl::GoVersion {
    match flavor {
        Flavor::Helm3 => gotmpl::GoVersion::Go1_23,
        Flavor::Helm4 => gotmpl::GoVersion::Go1_25,
    }
}

/// Helm's `ValidateAgainstSchema`: the chart's schema against its values, then each subchart's
/// against its scoped values, one `NAME:` block per failing chart.
fn schema_report(
    chart: &Chart,
    vals: &Map,
    flavor: Flavor,
    out: &mut String,
    debug: &mut Option<&mut Warnings>,
) -> Result<(), TemplateError> {
    if let Some(schema) = &chart.schema {
        if let Some(log) = debug.as_deref_mut() {
            log.push(values::Warning::debug4(format!(
                "level=DEBUG msg=\"chart name\" chart-name={}",
                values::slog_quote(chart.name())
            )));
            log.push(values::Warning::debug4(format!(
                "level=DEBUG msg=\"unmarshalled JSON schema\" schema={}",
                values::slog_quote(&String::from_utf8_lossy(schema))
            )));
        }
        let json = crate::schema::to_json(&Value::Map(vals.clone()));
        if let Some(lines) =
            crate::schema::validate(schema, &json, flavor).map_err(TemplateError::plain)?
        {
            out.push_str(&format!("{}:\n{lines}", chart.name()));
        }
    }
    if let Some(log) = debug.as_deref_mut() {
        log.push(values::Warning::debug4(format!(
            "level=DEBUG msg=\"number of dependencies in the chart\" chart={} dependencies={}",
            values::slog_quote(chart.name()),
            chart.dependencies.len()
        )));
    }
    for sub in &chart.dependencies {
        let sub_vals = match vals.get(sub.name()) {
            Some(Value::Map(m)) => m,
            _ => Map::new(),
        };
        schema_report(sub, &sub_vals, flavor, out, debug)?;
    }
    Ok(())
}
