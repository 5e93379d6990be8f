//! Engine cases (`fixtures/engine/cases/*.toml`) and their expectations from real Helm
//! (`fixtures/engine/expected/*.json`), exactly as `fixtures/engine/README.md` describes.
//!
//! * [`load_cases`] reads and validates the cases.
//! * [`run_cases`] runs them through one Helm binary and returns an [`Outcome`] per case.
//! * [`load_expected`] / [`write_expected`] read and write the expectation files.
//! * [`verify_against_helm`] re-runs every case through the Helm binaries that
//!   [`crate::require`] finds and compares with the committed expectations.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use base64::Engine as _;
use serde::{Deserialize, Serialize};

use crate::{Helm, HelmVersion, Output, TempDir};

/// How many Helm processes run at once.
const PARALLEL_JOBS: usize = 4;

/// The whole `templates/case.yaml` of the chart that shows a case's parse error: the case's
/// text is `.Values.tpl`. Helm's stderr then reads `Error: template: e/templates/case.yaml:1:3:
/// executing "e/templates/case.yaml" at <tpl .Values.tpl .>: error calling tpl: cannot parse
/// template "TEXT": template: gotpl:LINE: MESSAGE` followed by Helm's own trailer.
pub const TPL_FORM: &str = "{{ tpl .Values.tpl . }}";

/// What Helm appends to errors raised once rendering has started.
pub const DEBUG_HINT: &str = "\n\nUse --debug flag to render out invalid YAML\n";

/// Helm's stderr for an execution error whose message (Helm 3 one-line or Helm 4 layout) is
/// `body`.
pub fn exec_error_stderr(body: &str) -> String {
    format!("Error: {body}{DEBUG_HINT}")
}

/// Helm's stderr when a parse-error case, run through [`TPL_FORM`], fails with Go's parse error
/// `go_error`; `quoted_template` is the case text as Go's `%q` prints it.
pub fn tpl_parse_error_stderr(quoted_template: &str, go_error: &str) -> String {
    let context = TPL_FORM
        .trim_start_matches("{{")
        .trim_end_matches("}}")
        .trim();
    format!(
        "Error: template: {CHART_NAME}/templates/case.yaml:1:3: executing \"{CHART_NAME}/templates/case.yaml\" at <{context}>: error calling tpl: cannot parse template {quoted_template}: {go_error}{DEBUG_HINT}"
    )
}

/// The name of the generated chart (and so the first part of every template name).
pub const CHART_NAME: &str = "e";

/// One engine case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Case {
    /// Unique in the whole corpus: `[a-z0-9-]+`.
    pub name: String,
    /// The text of one template file.
    pub template: String,
    /// JSON text that becomes `.`; `None`: executed with no data (Go's invalid value).
    pub data: Option<String>,
    /// The file the case comes from: `cases/<topic>.toml`.
    pub topic: String,
}

impl Case {
    /// The Go template name of the case: `e/templates/_NAME.tpl`.
    pub fn template_name(&self) -> String {
        format!("{CHART_NAME}/templates/_{}.tpl", self.name)
    }

    /// The data, parsed (`None` without data).
    pub fn data_value(&self) -> Option<serde_json::Value> {
        self.data.as_deref().map(|d| {
            serde_json::from_str(d).expect("case data was validated as JSON by load_cases")
        })
    }

    /// The JSON text stored in the generated chart's values: `{"d": DATA}`, or `{}` without
    /// data, so that `index (fromJson ...) "d"` is the data, or nil.
    fn wrapped_data(&self) -> String {
        match &self.data {
            Some(d) => format!("{{\"d\": {d}}}"),
            None => "{}".to_string(),
        }
    }

    /// The template expression that evaluates to the case's data.
    fn data_expr(&self) -> String {
        format!(
            "(index (fromJson (index .Values.cases {})) \"d\")",
            go_quote(&self.name)
        )
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    #[serde(default)]
    case: Vec<RawCase>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCase {
    name: String,
    template: String,
    data: Option<String>,
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Reads every `DIR/*.toml` (in file-name order; the topic is the file stem) and validates the
/// corpus: names unique and `[a-z0-9-]+`, data valid JSON, and no `define`/`block` name (or
/// case file name) defined by two cases or referenced by `template` from another case.
pub fn load_cases(dir: &Path) -> Result<Vec<Case>, String> {
    let mut files = Vec::new();
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
            .path();
        if path.extension().is_some_and(|x| x == "toml") && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    let mut cases = Vec::new();
    for path in files {
        let topic = path
            .file_stem()
            .and_then(|s| s.to_str())
            .ok_or_else(|| format!("{}: file name is not UTF-8", path.display()))?
            .to_string();
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        cases.extend(parse_cases(&topic, &text).map_err(|e| format!("{}: {e}", path.display()))?);
    }
    validate_cases(&cases)?;
    Ok(cases)
}

/// Parses the text of one `<topic>.toml` (no corpus-wide validation: see [`validate_cases`]).
pub fn parse_cases(topic: &str, text: &str) -> Result<Vec<Case>, String> {
    let file: CaseFile = toml::from_str(text).map_err(|e| e.to_string())?;
    Ok(file
        .case
        .into_iter()
        .map(|c| Case {
            name: c.name,
            template: c.template,
            data: c.data,
            topic: topic.to_string(),
        })
        .collect())
}

/// Validates a corpus (see [`load_cases`]); lists every problem found.
pub fn validate_cases(cases: &[Case]) -> Result<(), String> {
    let mut problems = Vec::new();
    let mut by_name: BTreeMap<&str, &Case> = BTreeMap::new();
    for case in cases {
        if !valid_name(&case.name) {
            problems.push(format!(
                "case {:?} (topic {}): name must match [a-z0-9-]+",
                case.name, case.topic
            ));
        }
        if let Some(prev) = by_name.insert(&case.name, case) {
            problems.push(format!(
                "case {:?} is defined twice (topics {} and {})",
                case.name, prev.topic, case.topic
            ));
        }
        if let Some(data) = &case.data
            && let Err(e) = serde_json::from_str::<serde_json::Value>(data)
        {
            problems.push(format!("case {}: data is not valid JSON: {e}", case.name));
        }
    }
    // Template names: each case's file name, and its define/block names.
    let mut owner: BTreeMap<String, &str> = BTreeMap::new();
    for case in cases {
        let (defs, _) = scan_template_names(&case.template);
        let mut names: BTreeSet<String> = defs.into_iter().collect();
        names.insert(case.template_name());
        for name in names {
            if let Some(prev) = owner.get(&name) {
                if *prev != case.name {
                    problems.push(format!(
                        "template name {name:?} is defined by cases {prev} and {} \
                         (start define/block names with the case name)",
                        case.name
                    ));
                }
            } else {
                owner.insert(name, &case.name);
            }
        }
    }
    for case in cases {
        let (_, refs) = scan_template_names(&case.template);
        for name in refs {
            if let Some(other) = owner.get(&name)
                && *other != case.name
            {
                problems.push(format!(
                    "case {} uses template {name:?}, which case {other} defines \
                     (cases must not depend on each other)",
                    case.name
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

/// Scans a template text for `{{ define "x" }}` / `{{- block "x" . -}}` (definitions) and
/// `{{ template "x" }}` (references). A textual scan, not a parse: enough to keep the names of
/// a shared batch apart.
pub fn scan_template_names(text: &str) -> (Vec<String>, Vec<String>) {
    let mut defs = Vec::new();
    let mut refs = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("{{") {
        rest = &rest[i + 2..];
        let mut s = rest;
        if let Some(after) = s.strip_prefix('-')
            && after.starts_with(|c: char| c.is_ascii_whitespace())
        {
            s = after;
        }
        s = s.trim_start_matches(|c: char| c.is_ascii_whitespace());
        for (keyword, is_def) in [("define", true), ("block", true), ("template", false)] {
            if let Some(after) = s.strip_prefix(keyword)
                && after.starts_with(|c: char| c.is_ascii_whitespace())
                && let Some(name) =
                    scan_string_literal(after.trim_start_matches(|c: char| c.is_ascii_whitespace()))
            {
                if is_def {
                    defs.push(name)
                } else {
                    refs.push(name)
                }
            }
        }
    }
    (defs, refs)
}

/// The value of a Go string literal (`"..."` or `` `...` ``) at the start of `s`; common
/// escapes only.
fn scan_string_literal(s: &str) -> Option<String> {
    let mut chars = s.chars();
    match chars.next()? {
        '`' => {
            let body = chars.as_str();
            body.find('`').map(|end| body[..end].to_string())
        }
        '"' => {
            let mut out = String::new();
            while let Some(c) = chars.next() {
                match c {
                    '"' => return Some(out),
                    '\n' => return None,
                    '\\' => match chars.next()? {
                        'n' => out.push('\n'),
                        't' => out.push('\t'),
                        'r' => out.push('\r'),
                        other => out.push(other),
                    },
                    c => out.push(c),
                }
            }
            None
        }
        _ => None,
    }
}

/// Which kind of result a case had.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeKind {
    /// Executed: `text` is the output.
    Output,
    /// Failed while executing: `text` is Helm's whole stderr.
    ExecError,
    /// Failed to parse: `text` is Helm's whole stderr of the `tpl` run.
    ParseError,
}

impl fmt::Display for OutcomeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            OutcomeKind::Output => "output",
            OutcomeKind::ExecError => "exec_error",
            OutcomeKind::ParseError => "parse_error",
        })
    }
}

/// The result of one case under one Helm version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    /// Output, execution error or parse error.
    pub kind: OutcomeKind,
    /// The decoded output, or Helm's stderr verbatim.
    pub text: String,
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {:?}", self.kind, self.text)
    }
}

/// The expectations for one case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expected {
    /// Under Helm 4.1.4 (Go 1.25).
    pub h4: Outcome,
    /// Under Helm 3.17.1 (Go 1.23).
    pub h3: Outcome,
}

impl Expected {
    /// The expectation under `v`.
    pub fn get(&self, v: HelmVersion) -> &Outcome {
        match v {
            HelmVersion::V4 => &self.h4,
            HelmVersion::V3 => &self.h3,
        }
    }
}

/// All expectations: topic → case name → [`Expected`].
pub type ExpectedSet = BTreeMap<String, BTreeMap<String, Expected>>;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedFile {
    cases: BTreeMap<String, Expected>,
}

/// Reads every `DIR/<topic>.json`. A missing directory reads as no expectations.
pub fn load_expected(dir: &Path) -> Result<ExpectedSet, String> {
    let mut set = ExpectedSet::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(set),
        Err(e) => return Err(format!("cannot read {}: {e}", dir.display())),
    };
    for entry in entries {
        let path = entry
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
            .path();
        if path.extension().is_none_or(|x| x != "json") {
            continue;
        }
        let topic = path
            .file_stem()
            .and_then(|s| s.to_str())
            .ok_or_else(|| format!("{}: file name is not UTF-8", path.display()))?
            .to_string();
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let file: ExpectedFile =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        set.insert(topic, file.cases);
    }
    Ok(set)
}

/// The text of one expectation file: pretty JSON, cases sorted by name, trailing newline.
pub fn expected_file_text(cases: &BTreeMap<String, Expected>) -> String {
    let file = ExpectedFile {
        cases: cases.clone(),
    };
    let mut text = serde_json::to_string_pretty(&file).expect("expectations serialize");
    text.push('\n');
    text
}

/// Writes `DIR/<topic>.json` for every topic (creating DIR), and removes any other `*.json`
/// in DIR (the directory is generated: a topic that is gone must not leave a stale file).
pub fn write_expected(dir: &Path, set: &ExpectedSet) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    for (topic, cases) in set {
        let path = dir.join(format!("{topic}.json"));
        std::fs::write(&path, expected_file_text(cases))
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
            .path();
        let stale = path.extension().is_some_and(|x| x == "json")
            && path
                .file_stem()
                .and_then(|s| s.to_str())
                .is_none_or(|topic| !set.contains_key(topic));
        if stale {
            std::fs::remove_file(&path)
                .map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
        }
    }
    Ok(())
}

/// Combines the results of [`run_cases`] under Helm 4 and Helm 3 into an [`ExpectedSet`].
pub fn expected_from_runs(
    cases: &[Case],
    h4: &BTreeMap<String, Outcome>,
    h3: &BTreeMap<String, Outcome>,
) -> Result<ExpectedSet, String> {
    let mut set = ExpectedSet::new();
    for case in cases {
        let get = |m: &BTreeMap<String, Outcome>, v: HelmVersion| {
            m.get(&case.name)
                .cloned()
                .ok_or_else(|| format!("no {v} outcome for case {}", case.name))
        };
        set.entry(case.topic.clone()).or_default().insert(
            case.name.clone(),
            Expected {
                h4: get(h4, HelmVersion::V4)?,
                h3: get(h3, HelmVersion::V3)?,
            },
        );
    }
    Ok(set)
}

/// Quotes `s` as a YAML double-quoted scalar that any YAML 1.1/1.2 parser reads back as
/// exactly `s`: only printable ASCII is written as is, everything else is escaped.
pub fn yaml_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            ' '..='~' => out.push(c),
            c if (c as u32) < 0x100 => out.push_str(&format!("\\x{:02X}", c as u32)),
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push_str(&format!("\\U{:08X}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// Quotes `s` as a Go interpreted string literal (usable inside a template action).
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            ' '..='~' => out.push(c),
            c if (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// Parses the rendered batch file: lines `# NAME: BASE64`, besides Helm's `---` and
/// `# Source: ...` lines. Returns the decoded bytes per name.
pub fn parse_b64_lines(stdout: &str) -> Result<BTreeMap<String, Vec<u8>>, String> {
    let mut out = BTreeMap::new();
    for line in stdout.lines() {
        let line = line.trim_end();
        if line.is_empty() || line == "---" || line.starts_with("# Source: ") {
            continue;
        }
        let (name, b64) = line
            .strip_prefix("# ")
            .and_then(|l| l.split_once(':'))
            .filter(|(name, _)| valid_name(name))
            .ok_or_else(|| format!("unexpected line in the batch output: {line:?}"))?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(b64.trim())
            .map_err(|e| format!("case {name}: bad base64 {b64:?}: {e}"))?;
        if out.insert(name.to_string(), bytes).is_some() {
            return Err(format!("case {name} appears twice in the batch output"));
        }
    }
    Ok(out)
}

fn is_parse_error(stderr: &str) -> bool {
    stderr.starts_with("Error: parse error at (") || stderr.starts_with("Error: parse error in (")
}

/// Writes a chart `e` into a fresh directory under `scratch`.
struct ChartBuilder<'a> {
    /// `.Values.cases`: name → wrapped JSON data.
    cases: Vec<(String, String)>,
    /// `.Values.tpl`: the template text for the `tpl` form.
    tpl: Option<String>,
    files: Vec<(String, &'a str)>,
    main: String,
}

impl<'a> ChartBuilder<'a> {
    fn new() -> Self {
        ChartBuilder {
            cases: Vec::new(),
            tpl: None,
            files: Vec::new(),
            main: String::new(),
        }
    }

    fn add_case_data(&mut self, case: &Case) {
        self.cases.push((case.name.clone(), case.wrapped_data()));
    }

    fn add_case_file(&mut self, case: &'a Case) {
        self.files
            .push((format!("_{}.tpl", case.name), case.template.as_str()));
    }

    fn write(&self, dir: &Path) -> Result<PathBuf, String> {
        let chart = dir.join(CHART_NAME);
        let templates = chart.join("templates");
        std::fs::create_dir_all(&templates)
            .map_err(|e| format!("cannot create {}: {e}", templates.display()))?;
        let mut values = String::from("\"cases\":");
        if self.cases.is_empty() {
            values.push_str(" {}\n");
        } else {
            values.push('\n');
            for (k, v) in &self.cases {
                values.push_str(&format!("  {}: {}\n", yaml_quote(k), yaml_quote(v)));
            }
        }
        if let Some(tpl) = &self.tpl {
            values.push_str(&format!("\"tpl\": {}\n", yaml_quote(tpl)));
        }
        let write = |path: PathBuf, text: &str| {
            std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
        };
        write(
            chart.join("Chart.yaml"),
            &format!("apiVersion: v2\nname: {CHART_NAME}\nversion: 0.1.0\n"),
        )?;
        write(chart.join("values.yaml"), &values)?;
        for (name, text) in &self.files {
            write(templates.join(name), text)?;
        }
        write(templates.join("case.yaml"), &self.main)?;
        Ok(chart)
    }
}

/// How a batch run went.
enum Batch {
    /// Every case's output.
    Done(BTreeMap<String, Outcome>),
    /// Helm failed.
    Failed(Output),
    /// Helm did not finish in time.
    TimedOut,
}

/// A context for running charts through one Helm binary.
struct Runner<'a> {
    helm: &'a Helm,
    scratch: &'a Path,
}

impl Runner<'_> {
    /// Writes the chart and runs `helm template` on it. The outer error: the chart could not be
    /// written; the inner one: Helm could not be run or timed out.
    fn run_io(&self, chart: &ChartBuilder<'_>) -> Result<std::io::Result<Output>, String> {
        let dir = TempDir::new_in(self.scratch, "engine-case").map_err(|e| {
            format!(
                "cannot create a directory in {}: {e}",
                self.scratch.display()
            )
        })?;
        let chart_dir = chart.write(dir.path())?;
        Ok(self.helm.template(&chart_dir, &[] as &[&str]))
    }

    fn run(&self, chart: &ChartBuilder<'_>) -> Result<Output, String> {
        self.run_io(chart)?.map_err(|e| e.to_string())
    }

    /// All cases of `group` in one chart, each printed as `# NAME: base64`.
    fn batch(&self, group: &[&Case]) -> Result<Batch, String> {
        let mut chart = ChartBuilder::new();
        for case in group {
            chart.add_case_data(case);
            chart.add_case_file(case);
            chart.main.push_str(&format!(
                "# {}: {{{{ include {} {} | b64enc }}}}\n",
                case.name,
                go_quote(&case.template_name()),
                case.data_expr()
            ));
        }
        let out = match self.run_io(&chart)? {
            Ok(out) => out,
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => return Ok(Batch::TimedOut),
            Err(e) => return Err(e.to_string()),
        };
        if !out.success() {
            return Ok(Batch::Failed(out));
        }
        let decoded = parse_b64_lines(&out.stdout)
            .map_err(|e| format!("{}: {e}\nstdout:\n{}", self.helm.version, out.stdout))?;
        let mut outcomes = BTreeMap::new();
        for case in group {
            let bytes = decoded.get(&case.name).ok_or_else(|| {
                format!(
                    "{}: case {} missing from the batch output:\n{}",
                    self.helm.version, case.name, out.stdout
                )
            })?;
            let text = String::from_utf8(bytes.clone()).map_err(|_| {
                format!(
                    "{}: case {}: the output is not UTF-8, which the expectation files cannot hold",
                    self.helm.version, case.name
                )
            })?;
            outcomes.insert(
                case.name.clone(),
                Outcome {
                    kind: OutcomeKind::Output,
                    text,
                },
            );
        }
        if decoded.len() != group.len() {
            return Err(format!(
                "{}: unexpected cases in the batch output:\n{}",
                self.helm.version, out.stdout
            ));
        }
        Ok(Batch::Done(outcomes))
    }

    /// A case whose `include` run failed with `failed`: find out which error it is.
    fn classify_error(&self, case: &Case, failed: &Output) -> Result<Outcome, String> {
        let stderr = if is_parse_error(&failed.stderr) {
            failed.stderr.clone()
        } else {
            let mut chart = ChartBuilder::new();
            chart.add_case_data(case);
            chart.add_case_file(case);
            chart.main = format!(
                "{{{{ template {} {} }}}}",
                go_quote(&case.template_name()),
                case.data_expr()
            );
            let out = self.run(&chart)?;
            self.check_failed(case, "template", &out)?;
            out.stderr
        };
        if !is_parse_error(&stderr) {
            return Ok(Outcome {
                kind: OutcomeKind::ExecError,
                text: stderr,
            });
        }
        let mut chart = ChartBuilder::new();
        chart.tpl = Some(case.template.clone());
        chart.main = TPL_FORM.to_string();
        let out = self.run(&chart)?;
        self.check_failed(case, "tpl", &out)?;
        Ok(Outcome {
            kind: OutcomeKind::ParseError,
            text: out.stderr,
        })
    }

    fn check_failed(&self, case: &Case, form: &str, out: &Output) -> Result<(), String> {
        if out.success() {
            return Err(format!(
                "{}: case {} failed with include, but its {form} run succeeded:\n{}",
                self.helm.version, case.name, out.stdout
            ));
        }
        if !out.stderr.starts_with("Error: ") {
            return Err(format!(
                "{}: case {}: the {form} run failed (exit {:?}) without Helm's `Error: `:\n{}",
                self.helm.version, case.name, out.status_code, out.stderr
            ));
        }
        Ok(())
    }
}

/// Runs `f` on every item, `PARALLEL_JOBS` at a time; results in item order.
fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let mut results: Vec<(usize, R)> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..PARALLEL_JOBS.min(items.len()))
            .map(|_| {
                s.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        done.push((i, f(item)));
                    }
                    done
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("worker thread panicked"))
            .collect()
    });
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

/// Runs every case through `helm` as `fixtures/engine/README.md` describes, generating charts
/// under `scratch` (created if missing; the charts are removed afterwards).
///
/// All cases go into one batch chart. A batch that fails is split (into up to 4 parts,
/// recursively) until every failing case runs alone; each failing case then runs in the
/// execution-error form (`{{ template ... }}`) and, when Helm reports a parse error, through
/// `tpl`. Up to 4 Helm processes run at once.
pub fn run_cases(
    helm: &Helm,
    cases: &[Case],
    scratch: &Path,
) -> Result<BTreeMap<String, Outcome>, String> {
    let runner = Runner { helm, scratch };
    let mut outcomes = BTreeMap::new();
    let mut failed: Vec<(&Case, Output)> = Vec::new();
    let mut pending: Vec<Vec<&Case>> = Vec::new();
    if !cases.is_empty() {
        pending.push(cases.iter().collect());
    }
    while !pending.is_empty() {
        let results = parallel_map(&pending, |group| runner.batch(group));
        let mut next = Vec::new();
        for (group, result) in pending.iter().zip(results) {
            match result? {
                Batch::Done(map) => outcomes.extend(map),
                Batch::Failed(out) if group.len() == 1 => failed.push((group[0], out)),
                Batch::TimedOut if group.len() == 1 => {
                    return Err(format!(
                        "{}: case {} did not finish within {}s",
                        helm.version,
                        group[0].name,
                        crate::HELM_TIMEOUT.as_secs()
                    ));
                }
                Batch::Failed(_) | Batch::TimedOut => {
                    let parts = group.len().min(4);
                    let size = group.len().div_ceil(parts);
                    next.extend(group.chunks(size).map(<[&Case]>::to_vec));
                }
            }
        }
        pending = next;
    }
    let results = parallel_map(&failed, |(case, out)| runner.classify_error(case, out));
    for ((case, _), result) in failed.iter().zip(results) {
        outcomes.insert(case.name.clone(), result?);
    }
    Ok(outcomes)
}

/// A case whose Helm result differs from its committed expectation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    /// The case's topic.
    pub topic: String,
    /// The case's name.
    pub case: String,
    /// The Helm version that disagrees.
    pub version: HelmVersion,
    /// The committed expectation.
    pub expected: Outcome,
    /// What Helm produced now.
    pub actual: Outcome,
}

/// What [`verify_against_helm`] found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VerifyReport {
    /// For each Helm version that was run: how many cases were re-run and compared.
    pub verified: BTreeMap<HelmVersion, usize>,
    /// Cases whose result differs from the expectation.
    pub mismatches: Vec<Mismatch>,
    /// `topic/name` of cases that have no expectation.
    pub missing: Vec<String>,
    /// `topic/name` of expectations that have no case.
    pub stale: Vec<String>,
}

impl VerifyReport {
    /// No mismatch, no missing and no stale expectation.
    pub fn is_ok(&self) -> bool {
        self.mismatches.is_empty() && self.missing.is_empty() && self.stale.is_empty()
    }
}

impl fmt::Display for VerifyReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (v, n) in &self.verified {
            writeln!(f, "{v}: {n} cases re-run")?;
        }
        for m in &self.mismatches {
            writeln!(
                f,
                "{}/{} under {}:\n  expected: {}\n  actual:   {}",
                m.topic, m.case, m.version, m.expected, m.actual
            )?;
        }
        for name in &self.missing {
            writeln!(
                f,
                "{name}: no expectation (run `cargo xtask engine-fixtures`)"
            )?;
        }
        for name in &self.stale {
            writeln!(
                f,
                "{name}: expectation without a case (run `cargo xtask engine-fixtures`)"
            )?;
        }
        Ok(())
    }
}

/// Loads the cases and expectations, re-runs every case through each Helm version that
/// [`crate::require`] finds (so, under `CI=true`, a missing Helm panics), and compares.
/// Missing and stale expectations are reported even when no Helm is found.
pub fn verify_against_helm(cases_dir: &Path, expected_dir: &Path) -> Result<VerifyReport, String> {
    let cases = load_cases(cases_dir)?;
    let expected = load_expected(expected_dir)?;
    let mut report = VerifyReport::default();
    let known: BTreeSet<(&str, &str)> = cases
        .iter()
        .map(|c| (c.topic.as_str(), c.name.as_str()))
        .collect();
    for (topic, names) in &expected {
        for name in names.keys() {
            if !known.contains(&(topic.as_str(), name.as_str())) {
                report.stale.push(format!("{topic}/{name}"));
            }
        }
    }
    let with_expectation: Vec<(&Case, &Expected)> = cases
        .iter()
        .filter_map(|c| {
            let e = expected.get(&c.topic).and_then(|m| m.get(&c.name));
            if e.is_none() {
                report.missing.push(format!("{}/{}", c.topic, c.name));
            }
            e.map(|e| (c, e))
        })
        .collect();
    let to_run: Vec<Case> = with_expectation.iter().map(|(c, _)| (*c).clone()).collect();
    for v in HelmVersion::ALL {
        let Some(helm) = crate::require(v) else {
            continue;
        };
        let scratch = TempDir::new("engine-verify").map_err(|e| e.to_string())?;
        let actual = run_cases(&helm, &to_run, scratch.path())?;
        for (case, exp) in &with_expectation {
            let got = actual
                .get(&case.name)
                .ok_or_else(|| format!("{v}: no outcome for case {}", case.name))?;
            if got != exp.get(v) {
                report.mismatches.push(Mismatch {
                    topic: case.topic.clone(),
                    case: case.name.clone(),
                    version: v,
                    expected: exp.get(v).clone(),
                    actual: got.clone(),
                });
            }
        }
        report.verified.insert(v, to_run.len());
    }
    Ok(report)
}

/// Runs every case through `run` (an implementation under test) for both Helm versions and
/// compares with the committed expectations. Returns the number of runs per version and a
/// description of every run that differs; a case without an expectation is an error.
pub fn compare_all(
    cases: &[&Case],
    expected: &ExpectedSet,
    mut run: impl FnMut(&Case, OutcomeKind, HelmVersion) -> Outcome,
) -> Result<(BTreeMap<HelmVersion, usize>, Vec<String>), String> {
    let mut checked = BTreeMap::new();
    let mut failures = Vec::new();
    for case in cases {
        let exp = expected
            .get(&case.topic)
            .and_then(|t| t.get(&case.name))
            .ok_or_else(|| {
                format!(
                    "no expectation for {} (regenerate the expectations)",
                    case.name
                )
            })?;
        for v in HelmVersion::ALL {
            let want = exp.get(v);
            let got = run(case, want.kind, v);
            *checked.entry(v).or_default() += 1;
            if got.kind != want.kind || got.text != want.text {
                failures.push(format!(
                    "{} [{v}]\n  template: {:?}\n  data: {:?}\n  want {:?}: {:?}\n  got  {:?}: {:?}",
                    case.name, case.template, case.data, want.kind, want.text, got.kind, got.text
                ));
            }
        }
    }
    Ok((checked, failures))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(name: &str, template: &str) -> Case {
        Case {
            name: name.to_string(),
            template: template.to_string(),
            data: None,
            topic: "t".to_string(),
        }
    }

    #[test]
    fn parses_a_case_file() {
        let text = r#"
[[case]]
name = "range-map-sorted"
template = '{{ range $k, $v := . }}{{ $k }}={{ $v }};{{ end }}'
data = '{"b": 1, "a": 2}'

[[case]]
name = "no-data"
template = "{{ . }}"
"#;
        let cases = parse_cases("range", text).unwrap();
        assert_eq!(cases.len(), 2);
        assert_eq!(cases[0].name, "range-map-sorted");
        assert_eq!(cases[0].data.as_deref(), Some(r#"{"b": 1, "a": 2}"#));
        assert_eq!(cases[0].topic, "range");
        assert_eq!(cases[1].data, None);
        assert_eq!(cases[1].template_name(), "e/templates/_no-data.tpl");
        assert_eq!(cases[1].wrapped_data(), "{}");
        assert_eq!(cases[0].wrapped_data(), r#"{"d": {"b": 1, "a": 2}}"#);
        validate_cases(&cases).unwrap();
    }

    #[test]
    fn rejects_unknown_fields_and_empty_files_are_fine() {
        assert!(parse_cases("t", "[[case]]\nname='a'\ntemplate='x'\ndate='1'\n").is_err());
        assert!(parse_cases("t", "[[case]]\nname='a'\n").is_err());
        assert_eq!(parse_cases("t", "").unwrap(), vec![]);
    }

    #[test]
    fn validates_names_and_data() {
        let err = validate_cases(&[case("Bad_Name", "x")]).unwrap_err();
        assert!(err.contains("[a-z0-9-]+"), "{err}");
        let err = validate_cases(&[case("a", "x"), case("a", "y")]).unwrap_err();
        assert!(err.contains("defined twice"), "{err}");
        let mut c = case("a", "x");
        c.data = Some("{nope".to_string());
        let err = validate_cases(&[c]).unwrap_err();
        assert!(err.contains("not valid JSON"), "{err}");
        assert!(validate_cases(&[case("", "x")]).is_err());
    }

    #[test]
    fn scans_define_block_and_template_names() {
        let (defs, refs) = scan_template_names(
            "{{ define \"a-x\" }}1{{ end }}{{- define `a-y` -}}{{end}}\
             {{block \"a-z\" .}}{{end}}{{ template \"other\" . }}{{-3}}{{ definex \"no\" }}\
             {{/* c */}}{{- template \"q\\\"s\" }}",
        );
        assert_eq!(defs, ["a-x", "a-y", "a-z"]);
        assert_eq!(refs, ["other", "q\"s"]);
    }

    #[test]
    fn rejects_colliding_defines_and_cross_case_references() {
        let err = validate_cases(&[
            case("a", "{{ define \"shared\" }}{{ end }}"),
            case("b", "{{- define \"shared\" -}}{{ end }}"),
        ])
        .unwrap_err();
        assert!(
            err.contains("\"shared\" is defined by cases a and b"),
            "{err}"
        );
        let err = validate_cases(&[
            case("a", "{{ define \"a-t\" }}{{ end }}"),
            case("b", "{{ template \"a-t\" }}"),
        ])
        .unwrap_err();
        assert!(err.contains("case b uses template \"a-t\""), "{err}");
        let err = validate_cases(&[
            case("a", "x"),
            case("b", "{{ define \"e/templates/_a.tpl\" }}{{ end }}"),
        ])
        .unwrap_err();
        assert!(err.contains("defined by cases a and b"), "{err}");
        // A case may define a name twice itself (that is a parse-error case), and may refer to
        // its own and to undefined names.
        validate_cases(&[
            case(
                "a",
                "{{ define \"a-1\" }}{{ end }}{{ define \"a-1\" }}{{ end }}",
            ),
            case(
                "b",
                "{{ template \"b-none\" }}{{ template \"e/templates/_b.tpl\" }}",
            ),
        ])
        .unwrap();
    }

    #[test]
    fn loads_a_directory_in_file_order() {
        let dir = TempDir::new("unit-cases").unwrap();
        std::fs::write(
            dir.path().join("b.toml"),
            "[[case]]\nname = 'b1'\ntemplate = 'x'\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("a.toml"),
            "[[case]]\nname = 'a1'\ntemplate = 'x'\n[[case]]\nname = 'a2'\ntemplate = 'y'\ndata = '[1]'\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("notes.md"), "ignored").unwrap();
        let cases = load_cases(dir.path()).unwrap();
        let names: Vec<_> = cases
            .iter()
            .map(|c| (c.topic.as_str(), c.name.as_str()))
            .collect();
        assert_eq!(names, [("a", "a1"), ("a", "a2"), ("b", "b1")]);
        assert_eq!(cases[1].data_value(), Some(serde_json::json!([1])));

        std::fs::write(
            dir.path().join("c.toml"),
            "[[case]]\nname = 'a1'\ntemplate = 'x'\n",
        )
        .unwrap();
        let err = load_cases(dir.path()).unwrap_err();
        assert!(
            err.contains("\"a1\" is defined twice (topics a and c)"),
            "{err}"
        );
    }

    fn outcome(kind: OutcomeKind, text: &str) -> Outcome {
        Outcome {
            kind,
            text: text.to_string(),
        }
    }

    #[test]
    fn expected_json_round_trip_is_deterministic() {
        let mut set = ExpectedSet::new();
        let topic = set.entry("range".to_string()).or_default();
        topic.insert(
            "zz".to_string(),
            Expected {
                h4: outcome(OutcomeKind::Output, "a\n\"b\" é <no value>"),
                h3: outcome(OutcomeKind::ExecError, "Error: template: x\n"),
            },
        );
        topic.insert(
            "aa".to_string(),
            Expected {
                h4: outcome(OutcomeKind::ParseError, "Error: p\n"),
                h3: outcome(OutcomeKind::Output, ""),
            },
        );
        let text = expected_file_text(&set["range"]);
        assert!(text.ends_with("}\n"));
        assert!(text.find("\"aa\"").unwrap() < text.find("\"zz\"").unwrap());
        assert!(text.contains("\"kind\": \"parse_error\""));
        assert!(text.contains("\"kind\": \"exec_error\""));
        assert!(text.starts_with("{\n  \"cases\": {\n    \"aa\": {\n      \"h4\": {"));

        let dir = TempDir::new("unit-expected").unwrap();
        std::fs::write(dir.path().join("stale.json"), "{}").unwrap();
        write_expected(dir.path(), &set).unwrap();
        assert!(!dir.path().join("stale.json").exists());
        let first = std::fs::read_to_string(dir.path().join("range.json")).unwrap();
        assert_eq!(first, text);
        let back = load_expected(dir.path()).unwrap();
        assert_eq!(back, set);
        write_expected(dir.path(), &back).unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.path().join("range.json")).unwrap(),
            first
        );
        assert_eq!(
            back["range"]["zz"].get(HelmVersion::V3).kind,
            OutcomeKind::ExecError
        );
        assert!(
            load_expected(&dir.path().join("missing"))
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn expected_rejects_bad_kinds() {
        let dir = TempDir::new("unit-expected-bad").unwrap();
        std::fs::write(
            dir.path().join("t.json"),
            r#"{"cases": {"a": {"h4": {"kind": "oops", "text": ""}, "h3": {"kind": "output", "text": ""}}}}"#,
        )
        .unwrap();
        assert!(load_expected(dir.path()).is_err());
    }

    #[test]
    fn parses_base64_lines() {
        let stdout = "---\n# Source: e/templates/case.yaml\n# a: aGVsbG8=\n# b-2: \n# c:\n# d: PG5vIHZhbHVlPg==\n";
        let got = parse_b64_lines(stdout).unwrap();
        assert_eq!(got["a"], b"hello");
        assert_eq!(got["b-2"], b"");
        assert_eq!(got["c"], b"");
        assert_eq!(got["d"], b"<no value>");
        assert_eq!(got.len(), 4);
        assert!(parse_b64_lines("# a: aGVsbG8=\n# a: aGVsbG8=\n").is_err());
        assert!(parse_b64_lines("# a: !!!\n").is_err());
        assert!(parse_b64_lines("kind: x\n").is_err());
        assert!(parse_b64_lines("").unwrap().is_empty());
    }

    #[test]
    fn quotes_for_yaml_and_go() {
        assert_eq!(yaml_quote(r#"{"d": "a\b"}"#), r#""{\"d\": \"a\\b\"}""#);
        assert_eq!(
            yaml_quote("\n\té\u{2028}😀"),
            r#""\x0A\x09\xE9\u2028\U0001F600""#
        );
        assert_eq!(go_quote("a\"\\\n"), r#""a\"\\\x0a""#);
        assert_eq!(go_quote("é😀"), r#""\u00e9\U0001f600""#);
    }

    #[test]
    fn parallel_map_keeps_order() {
        let items: Vec<usize> = (0..37).collect();
        assert_eq!(
            parallel_map(&items, |i| i * 2),
            (0..37).map(|i| i * 2).collect::<Vec<_>>()
        );
        assert!(parallel_map(&[] as &[usize], |i| *i).is_empty());
    }
}
