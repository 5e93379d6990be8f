//! The `chartkit render` compatibility corpus (`fixtures/render`), exactly as
//! `fixtures/render/README.md` describes:
//!
//! * `charts/<chart>/` — real Helm charts;
//! * `cases/<case>.toml` — one `helm template` invocation each ([`Case`]);
//! * `expected/<case>.json` — what real Helm 4 and Helm 3 printed ([`Expected`]).
//!
//! A case runs in a fresh copy of its chart: the working directory is `<run dir>/<chart>`, the
//! chart argument is `.`, and every path in `args` is relative to the chart directory. The
//! environment is the oracle's clean one (see [`crate::Helm::run`]): no `HELM_NAMESPACE`, no
//! kubeconfig, `TZ=UTC`, a throw-away `HOME`.
//!
//! The one normalization: every occurrence of the run directory's absolute path (the parent of
//! the chart copy, which Helm 4 prints in some errors) is replaced by [`WORK_TOKEN`], and the
//! throw-away `HOME` by [`HOME_TOKEN`]. Both Helm's and chartkit's outputs go through the same
//! [`normalize`] before they are stored or compared; nothing else is changed.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::{Helm, HelmVersion, TempDir};

/// What the run directory's absolute path is replaced with in stored and compared output.
pub const WORK_TOKEN: &str = "$WORK";

/// What the run's throw-away `HOME` is replaced with in stored and compared output.
pub const HOME_TOKEN: &str = "$HOME";

/// How long one run may take before it is killed.
pub const RUN_TIMEOUT: Duration = Duration::from_secs(120);

/// How many runs go at once.
const PARALLEL_JOBS: usize = 4;

/// `fixtures/render` under the workspace root.
pub fn corpus_dir() -> PathBuf {
    crate::workspace_root().join("fixtures/render")
}

/// The three directories of a corpus.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Corpus {
    /// `charts/`: one directory per chart.
    pub charts: PathBuf,
    /// `cases/`: `<case>.toml`.
    pub cases: PathBuf,
    /// `expected/`: `<case>.json`.
    pub expected: PathBuf,
}

impl Corpus {
    /// The corpus rooted at `dir` (`dir/charts`, `dir/cases`, `dir/expected`).
    pub fn at(dir: &Path) -> Corpus {
        Corpus {
            charts: dir.join("charts"),
            cases: dir.join("cases"),
            expected: dir.join("expected"),
        }
    }

    /// The committed corpus, `fixtures/render`.
    pub fn committed() -> Corpus {
        Corpus::at(&corpus_dir())
    }

    /// The chart library's golden corpus: the charts are the library itself
    /// (`helm-charts/`, chart names such as `js-service-base` or `observability/grafana`), the
    /// cases and expectations live in `fixtures/library/{cases,expected}`.
    pub fn library() -> Corpus {
        let root = crate::workspace_root();
        Corpus {
            charts: root.join("helm-charts"),
            cases: root.join("fixtures/library/cases"),
            expected: root.join("fixtures/library/expected"),
        }
    }
}

/// Whether `chart` is a usable chart name: one or more `/`-separated directory names, none
/// empty, `.` or `..` (so the chart stays under `charts/` and its copy under the run directory).
pub fn valid_chart_name(chart: &str) -> bool {
    !chart.is_empty()
        && !chart.contains('\\')
        && chart
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
}

/// One case: `helm template [RELEASE] . ARGS...` run inside a copy of `charts/CHART`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Case {
    /// The file stem of `cases/<name>.toml`: `[a-z0-9-]+`.
    pub name: String,
    /// The chart directory under `charts/`: a name, or a `/`-separated path for a nested chart
    /// (`observability/grafana`); see [`valid_chart_name`].
    pub chart: String,
    /// The release name; `None`: the one-argument form `helm template . ARGS` (release name
    /// `release-name`).
    pub release: Option<String>,
    /// Everything after the chart argument, verbatim.
    pub args: Vec<String>,
    /// What the case is about (free text, not used by the runner).
    pub description: String,
}

impl Case {
    /// The arguments after `helm template` (or `chartkit render`): `[RELEASE] . ARGS...`.
    pub fn template_args(&self) -> Vec<String> {
        let mut all = Vec::with_capacity(self.args.len() + 2);
        all.extend(self.release.iter().cloned());
        all.push(".".to_string());
        all.extend(self.args.iter().cloned());
        all
    }

    /// The `--output-dir` value of the case, if any (the last one wins, as in Helm).
    pub fn output_dir(&self) -> Option<String> {
        let mut found = None;
        let mut it = self.args.iter();
        while let Some(a) = it.next() {
            if a == "--output-dir" {
                found = it.next().cloned();
            } else if let Some(v) = a.strip_prefix("--output-dir=") {
                found = Some(v.to_string());
            }
        }
        found
    }

    /// The command line, for messages: `helm template [RELEASE] . ARGS...` with shell quoting.
    pub fn command_line(&self, program: &str) -> String {
        let mut out = program.to_string();
        for a in self.template_args() {
            out.push(' ');
            out.push_str(&shell_quote(&a));
        }
        out
    }
}

fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./=:,@+%".contains(&b))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCase {
    chart: String,
    release: Option<String>,
    #[serde(default)]
    args: Vec<String>,
    #[serde(default)]
    description: String,
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Parses the text of one case file.
pub fn parse_case(name: &str, text: &str) -> Result<Case, String> {
    let raw: RawCase = toml::from_str(text).map_err(|e| e.to_string())?;
    Ok(Case {
        name: name.to_string(),
        chart: raw.chart,
        release: raw.release,
        args: raw.args,
        description: raw.description,
    })
}

/// Reads every `cases/*.toml` of `corpus` (in name order) and checks that names are
/// `[a-z0-9-]+` and that every chart directory exists.
pub fn load_cases(corpus: &Corpus) -> Result<Vec<Case>, String> {
    let dir = &corpus.cases;
    let mut files = Vec::new();
    for entry in
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?
    {
        let path = entry
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
            .path();
        if path.extension().is_some_and(|x| x == "toml") && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    let mut cases = Vec::new();
    let mut problems = Vec::new();
    for path in files {
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .ok_or_else(|| format!("{}: file name is not UTF-8", path.display()))?
            .to_string();
        if !valid_name(&name) {
            problems.push(format!(
                "{}: the case name must match [a-z0-9-]+",
                path.display()
            ));
        }
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        match parse_case(&name, &text) {
            Ok(case) => {
                if !valid_chart_name(&case.chart) || !corpus.charts.join(&case.chart).is_dir() {
                    problems.push(format!(
                        "{}: chart {:?} is not a directory under {}",
                        path.display(),
                        case.chart,
                        corpus.charts.display()
                    ));
                }
                cases.push(case);
            }
            Err(e) => problems.push(format!("{}: {e}", path.display())),
        }
    }
    if problems.is_empty() {
        Ok(cases)
    } else {
        Err(problems.join("\n"))
    }
}

/// What one program printed for one case (after [`normalize`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunResult {
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
    /// The exit code; `None` if the process was killed by a signal.
    pub code: Option<i32>,
    /// With `--output-dir DIR`: every file under `DIR` afterwards, keyed by its path relative to
    /// the working directory (so it starts with `DIR/`, as in Helm's `wrote DIR/...` lines).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub files: Option<BTreeMap<String, String>>,
}

/// The expectation of one case: `expected/<case>.json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expected {
    /// Helm 4.1.4.
    pub h4: RunResult,
    /// Helm 3.17.1.
    pub h3: RunResult,
}

impl Expected {
    /// The result for `v`.
    pub fn get(&self, v: HelmVersion) -> &RunResult {
        match v {
            HelmVersion::V4 => &self.h4,
            HelmVersion::V3 => &self.h3,
        }
    }
}

/// The exact text of `expected/<case>.json`: pretty JSON, keys in a fixed order, a final newline.
pub fn expected_file_text(expected: &Expected) -> String {
    let mut text = serde_json::to_string_pretty(expected).expect("expectations serialize");
    text.push('\n');
    text
}

/// Reads every `expected/*.json` of `corpus` (a missing directory reads as empty).
pub fn load_expected(corpus: &Corpus) -> Result<BTreeMap<String, Expected>, String> {
    let dir = &corpus.expected;
    let mut out = BTreeMap::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(format!("cannot read {}: {e}", dir.display())),
    };
    for entry in entries {
        let path = entry
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
            .path();
        if path.extension().is_some_and(|x| x == "json") {
            let name = path
                .file_stem()
                .and_then(|s| s.to_str())
                .ok_or_else(|| format!("{}: file name is not UTF-8", path.display()))?
                .to_string();
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let exp: Expected =
                serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
            out.insert(name, exp);
        }
    }
    Ok(out)
}

/// Writes `expected/<case>.json` for every entry, and removes `expected/*.json` files that
/// have no entry when `remove_stale` is set. Returns the names of removed files.
pub fn write_expected(
    corpus: &Corpus,
    set: &BTreeMap<String, Expected>,
    remove_stale: bool,
) -> Result<Vec<String>, String> {
    let dir = &corpus.expected;
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    for (name, exp) in set {
        let path = dir.join(format!("{name}.json"));
        std::fs::write(&path, expected_file_text(exp))
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    let mut removed = Vec::new();
    if remove_stale {
        for name in load_expected(corpus)?.into_keys() {
            if !set.contains_key(&name) {
                let path = dir.join(format!("{name}.json"));
                std::fs::remove_file(&path)
                    .map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
                removed.push(name);
            }
        }
    }
    Ok(removed)
}

/// Replaces the run directory (as given and canonicalized) by [`WORK_TOKEN`] and the home
/// directory by [`HOME_TOKEN`]. The longest spellings are replaced first.
pub fn normalize(text: &str, work: &[String], home: &[String]) -> String {
    let mut pairs: Vec<(&str, &str)> = work
        .iter()
        .map(|w| (w.as_str(), WORK_TOKEN))
        .chain(home.iter().map(|h| (h.as_str(), HOME_TOKEN)))
        .filter(|(from, _)| !from.is_empty())
        .collect();
    pairs.sort_by_key(|(from, _)| std::cmp::Reverse(from.len()));
    let mut out = text.to_string();
    for (from, to) in pairs {
        out = out.replace(from, to);
    }
    out
}

fn spellings(p: &Path) -> Vec<String> {
    let mut v = vec![p.to_string_lossy().into_owned()];
    if let Ok(c) = p.canonicalize() {
        let c = c.to_string_lossy().into_owned();
        if !v.contains(&c) {
            v.push(c);
        }
    }
    v
}

/// Copies the directory tree `from` to `to` (regular files and directories; symbolic links
/// are copied as links).
pub fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    let mut entries: Vec<_> = std::fs::read_dir(from)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let ty = entry.file_type()?;
        let src = entry.path();
        let dst = to.join(entry.file_name());
        if ty.is_dir() {
            copy_tree(&src, &dst)?;
        } else if ty.is_symlink() {
            let target = std::fs::read_link(&src)?;
            #[cfg(unix)]
            std::os::unix::fs::symlink(&target, &dst)?;
            #[cfg(not(unix))]
            std::fs::copy(&src, &dst).map(|_| ())?;
        } else {
            std::fs::copy(&src, &dst)?;
        }
    }
    Ok(())
}

fn collect_files(
    root: &Path,
    rel: &str,
    out: &mut BTreeMap<String, String>,
) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(root)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        let key = if rel.is_empty() {
            name
        } else {
            format!("{rel}/{name}")
        };
        if entry.file_type()?.is_dir() {
            collect_files(&entry.path(), &key, out)?;
        } else {
            let bytes = std::fs::read(entry.path())?;
            out.insert(key, String::from_utf8_lossy(&bytes).into_owned());
        }
    }
    Ok(())
}

/// How to start the program under test: `PROGRAM PREFIX... [RELEASE] . ARGS...`.
#[derive(Clone, Debug)]
pub struct Runner {
    /// The executable.
    pub program: PathBuf,
    /// Arguments before the case's: `["template"]` for Helm, `["render"]` or
    /// `["render", "--helm-version", "3"]` for chartkit.
    pub prefix: Vec<String>,
}

impl Runner {
    /// `helm template ...` with this Helm binary.
    pub fn helm(helm: &Helm) -> Runner {
        Runner {
            program: helm.path.clone(),
            prefix: vec!["template".to_string()],
        }
    }

    /// `chartkit render [--helm-version 3] ...`: the emulation of `v`.
    pub fn chartkit(program: &Path, v: HelmVersion) -> Runner {
        let mut prefix = vec!["render".to_string()];
        if v == HelmVersion::V3 {
            prefix.extend(["--helm-version".to_string(), "3".to_string()]);
        }
        Runner {
            program: program.to_path_buf(),
            prefix,
        }
    }

    /// Runs `case` in a fresh copy of its chart under `scratch` (see the module docs).
    pub fn run(&self, corpus: &Corpus, case: &Case, scratch: &Path) -> Result<RunResult, String> {
        let run_dir =
            TempDir::new_in(scratch, "render-case").map_err(|e| format!("scratch dir: {e}"))?;
        let home = TempDir::new_in(scratch, "render-home").map_err(|e| format!("home dir: {e}"))?;
        let chart_dir = run_dir.path().join(&case.chart);
        copy_tree(&corpus.charts.join(&case.chart), &chart_dir).map_err(|e| {
            format!(
                "cannot copy chart {} to {}: {e}",
                case.chart,
                chart_dir.display()
            )
        })?;
        let mut args: Vec<OsString> = self.prefix.iter().map(OsString::from).collect();
        args.extend(case.template_args().into_iter().map(OsString::from));
        let out = run_process(&self.program, &args, &chart_dir, home.path())?;
        let work = spellings(run_dir.path());
        let homes = spellings(home.path());
        let norm = |s: &str| normalize(s, &work, &homes);
        let files = match case.output_dir() {
            None => None,
            Some(dir) => {
                let mut files = BTreeMap::new();
                let root = chart_dir.join(&dir);
                if root.is_dir() {
                    let rel = dir.trim_end_matches('/');
                    collect_files(&root, rel, &mut files)
                        .map_err(|e| format!("cannot read {}: {e}", root.display()))?;
                }
                Some(
                    files
                        .into_iter()
                        .map(|(k, v)| (norm(&k), norm(&v)))
                        .collect(),
                )
            }
        };
        Ok(RunResult {
            stdout: norm(&out.stdout),
            stderr: norm(&out.stderr),
            code: out.code,
            files,
        })
    }
}

struct RawOutput {
    stdout: String,
    stderr: String,
    code: Option<i32>,
}

/// Runs `program ARGS` in `cwd` with the oracle's clean environment (only `PATH` inherited;
/// `HOME`, `HELM_*_HOME` under `home`; `KUBECONFIG` a missing file; `TZ=UTC`).
fn run_process(
    program: &Path,
    args: &[OsString],
    cwd: &Path,
    home: &Path,
) -> Result<RawOutput, String> {
    let mut cmd = Command::new(program);
    cmd.args(args)
        .current_dir(cwd)
        .env_clear()
        .env("HOME", home)
        .env("HELM_CACHE_HOME", home.join("cache"))
        .env("HELM_CONFIG_HOME", home.join("config"))
        .env("HELM_DATA_HOME", home.join("data"))
        .env("KUBECONFIG", home.join("kubeconfig"))
        .env("TZ", "UTC")
        .stdin(Stdio::null());
    if let Some(path) = std::env::var_os("PATH") {
        cmd.env("PATH", path);
    }
    let what = format!("{} {args:?}", program.display());
    let (status, stdout, stderr) =
        crate::run_with_timeout(&mut cmd, RUN_TIMEOUT, &what).map_err(|e| e.to_string())?;
    Ok(RawOutput {
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
        code: status.code(),
    })
}

/// The `chartkit` command line that emulates Helm `v` (for messages).
pub fn chartkit_command(v: HelmVersion) -> &'static str {
    match v {
        HelmVersion::V4 => "chartkit render",
        HelmVersion::V3 => "chartkit render --helm-version 3",
    }
}

/// Runs every case through the `chartkit` binary `program`, once as each Helm version, and
/// compares with the expectations: the number of runs, and `(case, version, diff)` for each run
/// that differs, sorted by case and version.
pub fn diff_chartkit(
    program: &Path,
    corpus: &Corpus,
    cases: &[Case],
    expected: &BTreeMap<String, Expected>,
) -> (usize, Vec<(String, HelmVersion, String)>) {
    let scratch = std::env::temp_dir();
    let mut failures = Vec::new();
    let mut runs = 0;
    for v in HelmVersion::ALL {
        let runner = Runner::chartkit(program, v);
        let results = parallel_map(cases, |case| runner.run(corpus, case, &scratch));
        for (case, result) in cases.iter().zip(results) {
            runs += 1;
            let diff = match result {
                Err(e) => Some(format!("could not run chartkit: {e}\n")),
                Ok(actual) => first_difference(expected[&case.name].get(v), &actual),
            };
            if let Some(diff) = diff {
                failures.push((case.name.clone(), v, diff));
            }
        }
    }
    failures.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    (runs, failures)
}

/// Runs `f` on every item, a few at a time; results in item order.
pub fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..PARALLEL_JOBS.min(items.len()) {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= items.len() {
                        break;
                    }
                    let r = f(&items[i]);
                    results.lock().expect("results lock")[i] = Some(r);
                }
            });
        }
    });
    results
        .into_inner()
        .expect("results lock")
        .into_iter()
        .map(|r| r.expect("every item ran"))
        .collect()
}

/// Runs every case with `runner`; results by case name.
pub fn run_all(
    runner: &Runner,
    corpus: &Corpus,
    cases: &[Case],
    scratch: &Path,
) -> Result<BTreeMap<String, RunResult>, String> {
    let results = parallel_map(cases, |case| runner.run(corpus, case, scratch));
    let mut out = BTreeMap::new();
    for (case, r) in cases.iter().zip(results) {
        out.insert(
            case.name.clone(),
            r.map_err(|e| format!("case {}: {e}", case.name))?,
        );
    }
    Ok(out)
}

/// Runs every case through both Helm binaries, twice, and returns the expectations. Fails if
/// a case gives different results in the two runs (Helm iterates Go maps in some places, e.g.
/// when it lists several schema violations: such a case cannot be an expectation).
pub fn generate(
    corpus: &Corpus,
    cases: &[Case],
    h4: &Helm,
    h3: &Helm,
    scratch: &Path,
) -> Result<BTreeMap<String, Expected>, String> {
    let mut flapping = Vec::new();
    let mut run_twice = |helm: &Helm| -> Result<BTreeMap<String, RunResult>, String> {
        let first = run_all(&Runner::helm(helm), corpus, cases, scratch)?;
        let second = run_all(&Runner::helm(helm), corpus, cases, scratch)?;
        for case in cases {
            if let Some(diff) = first_difference(&first[&case.name], &second[&case.name]) {
                flapping.push(format!(
                    "case {} is not deterministic under {}:\n{diff}",
                    case.name, helm.version
                ));
            }
        }
        Ok(first)
    };
    let mut r4 = run_twice(h4)?;
    let mut r3 = run_twice(h3)?;
    if !flapping.is_empty() {
        return Err(flapping.join("\n"));
    }
    Ok(cases
        .iter()
        .map(|c| {
            let h4 = r4.remove(&c.name).expect("every case ran under helm 4");
            let h3 = r3.remove(&c.name).expect("every case ran under helm 3");
            (c.name.clone(), Expected { h4, h3 })
        })
        .collect())
}

/// The first difference between an expectation and an actual result, as a short diff.
pub fn first_difference(expected: &RunResult, actual: &RunResult) -> Option<String> {
    if expected.code != actual.code {
        // Report the code, plus the first text difference, which usually explains it.
        let mut out = format!(
            "exit code: expected {}, got {}\n",
            fmt_code(expected.code),
            fmt_code(actual.code)
        );
        for (what, e, a) in [
            ("stderr", &expected.stderr, &actual.stderr),
            ("stdout", &expected.stdout, &actual.stdout),
        ] {
            if let Some(d) = text_diff(what, e, a) {
                out.push_str(&d);
                break;
            }
        }
        return Some(out);
    }
    if let Some(d) = text_diff("stdout", &expected.stdout, &actual.stdout) {
        return Some(d);
    }
    if let Some(d) = text_diff("stderr", &expected.stderr, &actual.stderr) {
        return Some(d);
    }
    match (&expected.files, &actual.files) {
        (None, None) => None,
        (Some(_), None) | (None, Some(_)) => Some("files: presence differs\n".to_string()),
        (Some(e), Some(a)) => {
            let ek: BTreeSet<&String> = e.keys().collect();
            let ak: BTreeSet<&String> = a.keys().collect();
            if ek != ak {
                let missing: Vec<_> = ek.difference(&ak).collect();
                let extra: Vec<_> = ak.difference(&ek).collect();
                return Some(format!(
                    "files: missing {missing:?}, unexpected {extra:?}\n"
                ));
            }
            e.iter()
                .find_map(|(k, ev)| text_diff(&format!("file {k}"), ev, &a[k]))
        }
    }
}

fn fmt_code(c: Option<i32>) -> String {
    c.map_or_else(
        || "none (killed by a signal)".to_string(),
        |c| c.to_string(),
    )
}

/// A unified-style excerpt around the first differing line of two texts, or `None` if they
/// are equal. Lines are shown with Rust escapes, so invisible differences (trailing spaces,
/// `\r`, a missing final newline) are visible.
pub fn text_diff(what: &str, expected: &str, actual: &str) -> Option<String> {
    if expected == actual {
        return None;
    }
    let e: Vec<&str> = expected.split_inclusive('\n').collect();
    let a: Vec<&str> = actual.split_inclusive('\n').collect();
    let first = e
        .iter()
        .zip(&a)
        .position(|(x, y)| x != y)
        .unwrap_or(e.len().min(a.len()));
    const CONTEXT: usize = 3;
    const SHOWN: usize = 6;
    let start = first.saturating_sub(CONTEXT);
    let mut out = format!(
        "--- expected {what}\n+++ actual {what}\n@@ first difference at line {} (expected {} lines, actual {}) @@\n",
        first + 1,
        e.len(),
        a.len()
    );
    for line in &e[start..first] {
        out.push_str(&format!("  {}\n", show_line(line)));
    }
    for line in e.iter().skip(first).take(SHOWN) {
        out.push_str(&format!("- {}\n", show_line(line)));
    }
    if e.len() > first + SHOWN {
        out.push_str(&format!("- ... ({} more)\n", e.len() - first - SHOWN));
    }
    for line in a.iter().skip(first).take(SHOWN) {
        out.push_str(&format!("+ {}\n", show_line(line)));
    }
    if a.len() > first + SHOWN {
        out.push_str(&format!("+ ... ({} more)\n", a.len() - first - SHOWN));
    }
    Some(out)
}

fn show_line(line: &str) -> String {
    let body = line.strip_suffix('\n').unwrap_or(line);
    let escaped: String = body.escape_debug().collect();
    if line.ends_with('\n') {
        escaped
    } else {
        format!("{escaped}  [no newline at end]")
    }
}

/// One case whose result differs from its expectation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    /// The case name.
    pub case: String,
    /// Which expectation (`h4` or `h3`).
    pub version: HelmVersion,
    /// The diff ([`first_difference`]).
    pub diff: String,
}

/// What [`verify_against_helm`] found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VerifyReport {
    /// For each Helm version that was run: how many cases were re-run and compared.
    pub verified: BTreeMap<HelmVersion, usize>,
    /// Results that differ from the committed expectation.
    pub mismatches: Vec<Mismatch>,
    /// Cases without `expected/<case>.json`.
    pub missing: Vec<String>,
    /// `expected/*.json` without a case.
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
            writeln!(
                f,
                "{v}: {n} render cases re-run against the committed expectations"
            )?;
        }
        for m in &self.mismatches {
            writeln!(f, "case {} ({}):\n{}", m.case, m.version.key(), m.diff)?;
        }
        for name in &self.missing {
            writeln!(
                f,
                "case {name}: no expectation (run `cargo xtask render-fixtures`)"
            )?;
        }
        for name in &self.stale {
            writeln!(
                f,
                "expected/{name}.json: no such case (run `cargo xtask render-fixtures`)"
            )?;
        }
        Ok(())
    }
}

/// Compares case names with expectation names: (cases without expectation, stale expectations).
pub fn missing_and_stale(
    cases: &[Case],
    expected: &BTreeMap<String, Expected>,
) -> (Vec<String>, Vec<String>) {
    let names: BTreeSet<&str> = cases.iter().map(|c| c.name.as_str()).collect();
    let missing = cases
        .iter()
        .filter(|c| !expected.contains_key(&c.name))
        .map(|c| c.name.clone())
        .collect();
    let stale = expected
        .keys()
        .filter(|k| !names.contains(k.as_str()))
        .cloned()
        .collect();
    (missing, stale)
}

/// Re-runs every case through each Helm binary that [`crate::require`] finds and compares
/// with the committed expectations (byte for byte, after [`normalize`]). Under `CI=true` a
/// missing Helm panics (see [`crate::require`]).
pub fn verify_against_helm(corpus: &Corpus) -> Result<VerifyReport, String> {
    verify_selected_against_helm(corpus, |_| true)
}

/// Like [`verify_against_helm`], re-running only the cases `keep` accepts (missing and stale
/// expectations are still reported for all cases).
pub fn verify_selected_against_helm(
    corpus: &Corpus,
    keep: impl Fn(&Case) -> bool,
) -> Result<VerifyReport, String> {
    let cases = load_cases(corpus)?;
    let expected = load_expected(corpus)?;
    let (missing, stale) = missing_and_stale(&cases, &expected);
    let mut report = VerifyReport {
        missing,
        stale,
        ..VerifyReport::default()
    };
    let scratch = std::env::temp_dir();
    for v in HelmVersion::ALL {
        let Some(helm) = crate::require(v) else {
            continue;
        };
        let with_exp: Vec<Case> = cases
            .iter()
            .filter(|c| expected.contains_key(&c.name) && keep(c))
            .cloned()
            .collect();
        let results = run_all(&Runner::helm(&helm), corpus, &with_exp, &scratch)?;
        for case in &with_exp {
            if let Some(diff) = first_difference(expected[&case.name].get(v), &results[&case.name])
            {
                report.mismatches.push(Mismatch {
                    case: case.name.clone(),
                    version: v,
                    diff,
                });
            }
        }
        report.verified.insert(v, with_exp.len());
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_case() {
        let c = parse_case(
            "x",
            "chart = \"webapp\"\nrelease = \"r\"\nargs = [\"-n\", \"ns\"]\n",
        )
        .unwrap();
        assert_eq!(c.template_args(), ["r", ".", "-n", "ns"]);
        let c = parse_case("y", "chart = \"webapp\"\n").unwrap();
        assert_eq!(c.template_args(), ["."]);
        assert!(parse_case("z", "chart = \"a\"\nbogus = 1\n").is_err());
    }

    #[test]
    fn chart_names_may_be_nested() {
        assert!(valid_chart_name("webapp"));
        assert!(valid_chart_name("observability/grafana"));
        for bad in ["", "/abs", "a/", "a//b", "../x", "a/./b", "a\\b"] {
            assert!(!valid_chart_name(bad), "{bad:?}");
        }
    }

    #[test]
    fn the_library_corpus_uses_the_chart_library() {
        let c = Corpus::library();
        assert!(c.charts.ends_with("helm-charts"));
        assert!(c.cases.ends_with("fixtures/library/cases"));
        assert!(c.expected.ends_with("fixtures/library/expected"));
    }

    #[test]
    fn finds_the_output_dir() {
        let mut c = parse_case("x", "chart = \"a\"\nargs = [\"--output-dir\", \"out\"]").unwrap();
        assert_eq!(c.output_dir().as_deref(), Some("out"));
        c.args = vec!["--output-dir=o2".into()];
        assert_eq!(c.output_dir().as_deref(), Some("o2"));
        c.args.clear();
        assert_eq!(c.output_dir(), None);
    }

    #[test]
    fn normalizes_longest_first() {
        let work = vec!["/tmp/a".to_string(), "/private/tmp/a".to_string()];
        let home = vec!["/tmp/h".to_string()];
        assert_eq!(
            normalize("x /private/tmp/a/c /tmp/a/c /tmp/h/.cache", &work, &home),
            "x $WORK/c $WORK/c $HOME/.cache"
        );
    }

    #[test]
    fn diffs_show_the_first_differing_line() {
        assert_eq!(text_diff("stdout", "a\n", "a\n"), None);
        let d = text_diff("stdout", "a\nb\nc\n", "a\nB \nc\n").unwrap();
        assert!(d.contains("line 2"), "{d}");
        assert!(d.contains("- b\n"), "{d}");
        assert!(d.contains("+ B \n"), "{d}");
        let d = text_diff("stdout", "a\n", "a").unwrap();
        assert!(d.contains("[no newline at end]"), "{d}");
    }
}
