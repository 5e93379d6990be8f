//! The chart library (`helm-charts/`) and its golden corpus (`fixtures/library`, see its
//! README.md).
//!
//! * `library_matches_helm`: `chartkit render` (as Helm 4 and as Helm 3) prints exactly what
//!   real Helm printed for every case of `fixtures/library/cases` (stdout, stderr, exit code).
//! * `committed_library_expectations_match_real_helm`: the committed expectations still hold
//!   against the real Helm binaries (`oracle::require`: under `CI=true` a missing Helm fails).
//! * `every_overlay_has_a_case`: every `ci/*-values.yaml` of every application chart is
//!   rendered by some case.
//! * `helm_lint_strict_passes`: `helm lint --strict` (Helm 4 and 3) on every application chart,
//!   with its defaults and with each overlay, and on the library chart.
//! * `rendered_objects_meet_the_platform_rules`: in every successful render, each long-running
//!   container (Deployment, StatefulSet, DaemonSet; not init containers, Jobs, CronJobs or test
//!   hooks) has cpu and memory requests, a memory limit, a liveness and a readiness probe; each
//!   Service port named like a metrics port is scraped by a ServiceMonitor that selects the
//!   Service by its labels and names a port the Service has; the base charts' ServiceMonitors
//!   carry `release: kube-prometheus-stack`, the platform Prometheus's selector.
//! * `rendered_objects_pass_kubernetes_validate`: the independent validator
//!   (`kubernetes-validate`, strict, Kubernetes 1.29) accepts every object of a built-in kind;
//!   it has no schema for custom resources (ServiceMonitor, ExternalSecret, ...) and skips them,
//!   which is accepted only for kinds outside the Kubernetes API groups.
//! * `configured_targets_match_helm_and_meet_the_rules`: every render of the repository's
//!   `chartkit.yaml` (the `examples/` services with their overlays, the observability stack) is
//!   byte-identical to real Helm 4 and 3, live, and meets the same rules and schema check.
//!
//! `CHARTKIT_LIBRARY_CASES=a,b` restricts the corpus tests to the cases whose names contain `a`
//! or `b`. Regenerate expectations with `cargo xtask library-fixtures`, never by hand.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use goyaml::{Node, NodeValue};
use oracle::HelmVersion;
use oracle::kubernetes_validate::{self, Verdict};
use oracle::render_cases::{self, Case, Corpus, Expected};

/// The Kubernetes version the renders and the schema checks target.
const KUBE_VERSION: &str = "1.29.0";

/// Whether `CHARTKIT_LIBRARY_CASES` (if set) selects the case.
fn is_selected(case: &Case) -> bool {
    match std::env::var("CHARTKIT_LIBRARY_CASES") {
        Ok(filter) if !filter.trim().is_empty() => filter
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .any(|p| case.name.contains(p)),
        _ => true,
    }
}

fn selected(cases: Vec<Case>) -> Vec<Case> {
    cases.into_iter().filter(is_selected).collect()
}

fn load() -> (Corpus, Vec<Case>, BTreeMap<String, Expected>) {
    let corpus = Corpus::library();
    let cases = render_cases::load_cases(&corpus).unwrap_or_else(|e| panic!("{e}"));
    let expected = render_cases::load_expected(&corpus).unwrap_or_else(|e| panic!("{e}"));
    (corpus, cases, expected)
}

#[test]
fn library_matches_helm() {
    let (corpus, all, expected) = load();
    let (missing, stale) = render_cases::missing_and_stale(&all, &expected);
    assert!(
        missing.is_empty() && stale.is_empty(),
        "expectations out of date (run `cargo xtask library-fixtures`): missing {missing:?}, stale {stale:?}"
    );
    let cases = selected(all);
    let chartkit = Path::new(env!("CARGO_BIN_EXE_chartkit"));
    let (runs, diffs) = render_cases::diff_chartkit(chartkit, &corpus, &cases, &expected);
    let failures: Vec<String> = diffs
        .iter()
        .map(|(name, v, diff)| {
            let case = cases.iter().find(|c| &c.name == name).expect("case");
            format!(
                "=== FAIL {name} ({}): cd helm-charts/{} && {}\n{diff}",
                v.key(),
                case.chart,
                case.command_line(render_cases::chartkit_command(*v))
            )
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {runs} chartkit runs differ from real Helm:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!(
        "{runs} chartkit runs ({} cases x 2 Helm versions) match real Helm",
        cases.len()
    );
}

#[test]
fn committed_library_expectations_match_real_helm() {
    let report = render_cases::verify_selected_against_helm(&Corpus::library(), is_selected)
        .unwrap_or_else(|e| panic!("{e}"));
    if report.verified.is_empty() {
        eprintln!("note: no Helm installed: the library expectations were not re-verified");
    }
    for (v, n) in &report.verified {
        eprintln!("verified {n} library cases against real {v}");
    }
    assert!(
        report.is_ok(),
        "the committed library expectations no longer match real Helm:\n{report}"
    );
}

/// A chart of the library: its name (path under `helm-charts/`), directory, and whether it is
/// a library chart.
struct Chart {
    name: String,
    dir: PathBuf,
    library: bool,
}

fn library_charts() -> Vec<Chart> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<Chart>) {
        let meta = dir.join("Chart.yaml");
        let is_chart = meta.is_file();
        if is_chart {
            let text = std::fs::read_to_string(&meta).expect("Chart.yaml");
            let node = goyaml::load(&text, 0).unwrap_or_else(|e| panic!("{}: {e}", meta.display()));
            let library = str_at(&node, &["type"]) == Some("library");
            let name = dir
                .strip_prefix(root)
                .expect("under the root")
                .to_string_lossy()
                .replace('\\', "/");
            out.push(Chart {
                name,
                dir: dir.to_path_buf(),
                library,
            });
        }
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .expect("readable")
            .map(|e| e.expect("entry"))
            .collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let name = e.file_name();
            if e.file_type().expect("type").is_dir()
                && !name.to_string_lossy().starts_with('.')
                && !(is_chart && name == "charts")
            {
                walk(root, &e.path(), out);
            }
        }
    }
    let root = Corpus::library().charts;
    let mut out = Vec::new();
    walk(&root, &root, &mut out);
    assert!(
        out.iter().any(|c| c.name == "js-service-base"),
        "no charts found under {}",
        root.display()
    );
    out
}

fn overlays(chart: &Chart) -> Vec<String> {
    let dir = chart.dir.join("ci");
    let mut out: Vec<String> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with("-values.yaml"))
            .collect(),
        Err(_) => Vec::new(),
    };
    out.sort();
    out
}

#[test]
fn every_overlay_has_a_case() {
    let (_, cases, _) = load();
    let mut missing = Vec::new();
    for chart in library_charts().iter().filter(|c| !c.library) {
        let files = overlays(chart);
        if files.is_empty() {
            missing.push(format!("{}: no ci/*-values.yaml overlays", chart.name));
        }
        for file in files {
            let rel = format!("ci/{file}");
            let covered = cases.iter().any(|c| {
                c.chart == chart.name
                    && c.args
                        .iter()
                        .any(|a| a == &rel || a.ends_with(&format!("={rel}")))
            });
            if !covered {
                missing.push(format!("{}/{rel}", chart.name));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "overlays without a case in fixtures/library/cases:\n{}",
        missing.join("\n")
    );
}

#[test]
fn helm_lint_strict_passes() {
    let charts = library_charts();
    let mut runs: Vec<(String, Vec<String>)> = Vec::new();
    for chart in &charts {
        let dir = chart.dir.to_string_lossy().into_owned();
        runs.push((
            chart.name.clone(),
            vec!["lint".into(), "--strict".into(), dir.clone()],
        ));
        for file in overlays(chart) {
            let values = chart.dir.join("ci").join(&file);
            runs.push((
                format!("{} -f ci/{file}", chart.name),
                vec![
                    "lint".into(),
                    "--strict".into(),
                    dir.clone(),
                    "-f".into(),
                    values.to_string_lossy().into_owned(),
                ],
            ));
        }
    }
    let mut failures = Vec::new();
    for v in HelmVersion::ALL {
        let Some(helm) = oracle::require(v) else {
            continue;
        };
        let results = render_cases::parallel_map(&runs, |(_, args)| helm.run(args));
        for ((what, _), result) in runs.iter().zip(results) {
            match result {
                Ok(out) if out.success() => {}
                Ok(out) => failures.push(format!(
                    "{v}: helm lint --strict {what}:\n{}{}",
                    out.stdout, out.stderr
                )),
                Err(e) => failures.push(format!("{v}: helm lint --strict {what}: {e}")),
            }
        }
        eprintln!(
            "{v}: helm lint --strict ran on {} chart/overlay pairs",
            runs.len()
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ---- rendered objects -------------------------------------------------------------------

fn get<'a>(node: &'a Node, key: &str) -> Option<&'a Node> {
    match &node.value {
        NodeValue::Map(entries) => entries.iter().find(|(k, _)| k.name == key).map(|(_, v)| v),
        _ => None,
    }
}

fn at<'a>(node: &'a Node, path: &[&str]) -> Option<&'a Node> {
    path.iter().try_fold(node, |n, k| get(n, k))
}

fn str_at<'a>(node: &'a Node, path: &[&str]) -> Option<&'a str> {
    match &at(node, path)?.value {
        NodeValue::String(s) => Some(s),
        _ => None,
    }
}

fn seq_at<'a>(node: &'a Node, path: &[&str]) -> &'a [Node] {
    match at(node, path).map(|n| &n.value) {
        Some(NodeValue::Seq(items)) => items,
        _ => &[],
    }
}

fn string_map(node: Option<&Node>) -> BTreeMap<String, String> {
    match node.map(|n| &n.value) {
        Some(NodeValue::Map(entries)) => entries
            .iter()
            .filter_map(|(k, v)| match &v.value {
                NodeValue::String(s) => Some((k.name.clone(), s.clone())),
                NodeValue::Bool(b) => Some((k.name.clone(), b.to_string())),
                _ => None,
            })
            .collect(),
        _ => BTreeMap::new(),
    }
}

/// One rendered object with where it came from.
struct Object {
    node: Node,
    kind: String,
    name: String,
    namespace: String,
}

/// The objects of a `helm template` stdout (empty documents skipped); the release namespace
/// fills in a missing `metadata.namespace`.
fn objects(stdout: &str, release_namespace: &str) -> Vec<Object> {
    let docs = goyaml::load_all(stdout, 0).unwrap_or_else(|e| panic!("rendered YAML: {e}"));
    docs.into_iter()
        .filter(|d| matches!(d.value, NodeValue::Map(_)))
        .map(|node| Object {
            kind: str_at(&node, &["kind"]).unwrap_or_default().to_string(),
            name: str_at(&node, &["metadata", "name"])
                .unwrap_or_default()
                .to_string(),
            namespace: str_at(&node, &["metadata", "namespace"])
                .unwrap_or(release_namespace)
                .to_string(),
            node,
        })
        .collect()
}

fn release_namespace(case: &Case) -> String {
    let mut it = case.args.iter();
    let mut ns = "default".to_string();
    while let Some(a) = it.next() {
        if a == "-n" || a == "--namespace" {
            if let Some(v) = it.next() {
                ns = v.clone();
            }
        } else if let Some(v) = a.strip_prefix("--namespace=") {
            ns = v.to_string();
        }
    }
    ns
}

/// The successful renders of the corpus: (case, Helm version, stdout). Helm 3's output is
/// included only where it differs from Helm 4's.
fn successful_renders() -> Vec<(Case, HelmVersion, String)> {
    let (_, cases, expected) = load();
    let mut out = Vec::new();
    for case in selected(cases) {
        let Some(exp) = expected.get(&case.name) else {
            continue;
        };
        if exp.h4.code == Some(0) {
            out.push((case.clone(), HelmVersion::V4, exp.h4.stdout.clone()));
        }
        if exp.h3.code == Some(0) && exp.h3.stdout != exp.h4.stdout {
            out.push((case.clone(), HelmVersion::V3, exp.h3.stdout.clone()));
        }
    }
    out
}

fn is_test_hook(node: &Node) -> bool {
    str_at(node, &["metadata", "annotations", "helm.sh/hook"])
        .is_some_and(|h| h.split(',').any(|p| p.trim().starts_with("test")))
}

/// Problems of the long-running containers of one object.
fn container_problems(obj: &Object) -> Vec<String> {
    if !matches!(
        obj.kind.as_str(),
        "Deployment" | "StatefulSet" | "DaemonSet"
    ) || is_test_hook(&obj.node)
    {
        return Vec::new();
    }
    let mut out = Vec::new();
    for c in seq_at(&obj.node, &["spec", "template", "spec", "containers"]) {
        let cname = str_at(c, &["name"]).unwrap_or("?");
        let mut lacks = Vec::new();
        for (what, path) in [
            ("requests.cpu", &["resources", "requests", "cpu"][..]),
            ("requests.memory", &["resources", "requests", "memory"][..]),
            ("limits.memory", &["resources", "limits", "memory"][..]),
            ("livenessProbe", &["livenessProbe"][..]),
            ("readinessProbe", &["readinessProbe"][..]),
        ] {
            if at(c, path).is_none_or(|n| matches!(n.value, NodeValue::Null)) {
                lacks.push(what);
            }
        }
        if !lacks.is_empty() {
            out.push(format!(
                "{} {}/{} container {cname} has no {}",
                obj.kind,
                obj.namespace,
                obj.name,
                lacks.join(", ")
            ));
        }
    }
    out
}

fn is_metrics_port(name: &str) -> bool {
    name == "metrics" || name.ends_with("-metrics") || name.starts_with("prom")
}

/// Whether the ServiceMonitor `sm` selects the Service `svc` (namespace and labels).
fn selects(sm: &Object, svc: &Object) -> bool {
    let ns_sel = at(&sm.node, &["spec", "namespaceSelector"]);
    let ns_ok =
        if ns_sel.and_then(|n| get(n, "any")).map(|n| &n.value) == Some(&NodeValue::Bool(true)) {
            true
        } else {
            let names: Vec<&str> = seq_at(&sm.node, &["spec", "namespaceSelector", "matchNames"])
                .iter()
                .filter_map(|n| match &n.value {
                    NodeValue::String(s) => Some(s.as_str()),
                    _ => None,
                })
                .collect();
            if names.is_empty() {
                svc.namespace == sm.namespace
            } else {
                names.contains(&svc.namespace.as_str())
            }
        };
    if !ns_ok {
        return false;
    }
    let labels = string_map(at(&svc.node, &["metadata", "labels"]));
    let want = string_map(at(&sm.node, &["spec", "selector", "matchLabels"]));
    let exprs = seq_at(&sm.node, &["spec", "selector", "matchExpressions"]);
    if want.is_empty() && exprs.is_empty() {
        return true;
    }
    let labels_ok = want.iter().all(|(k, v)| labels.get(k) == Some(v));
    let exprs_ok = exprs.iter().all(|e| {
        let key = str_at(e, &["key"]).unwrap_or_default();
        let values: Vec<String> = seq_at(e, &["values"])
            .iter()
            .filter_map(|n| match &n.value {
                NodeValue::String(s) => Some(s.clone()),
                _ => None,
            })
            .collect();
        match str_at(e, &["operator"]).unwrap_or_default() {
            "In" => labels.get(key).is_some_and(|v| values.contains(v)),
            "NotIn" => labels.get(key).is_none_or(|v| !values.contains(v)),
            "Exists" => labels.contains_key(key),
            "DoesNotExist" => !labels.contains_key(key),
            _ => false,
        }
    });
    labels_ok && exprs_ok
}

fn service_port_names(svc: &Object) -> BTreeSet<String> {
    seq_at(&svc.node, &["spec", "ports"])
        .iter()
        .filter_map(|p| str_at(p, &["name"]).map(str::to_string))
        .collect()
}

fn endpoint_ports(sm: &Object) -> Vec<String> {
    seq_at(&sm.node, &["spec", "endpoints"])
        .iter()
        .filter_map(|e| str_at(e, &["port"]).map(str::to_string))
        .collect()
}

/// Problems of the metrics wiring of one render.
fn monitoring_problems(objs: &[Object], chart: &str) -> Vec<String> {
    let services: Vec<&Object> = objs.iter().filter(|o| o.kind == "Service").collect();
    let monitors: Vec<&Object> = objs.iter().filter(|o| o.kind == "ServiceMonitor").collect();
    let mut out = Vec::new();
    for svc in &services {
        let ports = service_port_names(svc);
        let metrics: Vec<&String> = ports.iter().filter(|p| is_metrics_port(p)).collect();
        if metrics.is_empty() {
            continue;
        }
        let scraped = monitors
            .iter()
            .any(|sm| selects(sm, svc) && endpoint_ports(sm).iter().any(|p| ports.contains(p)));
        if !scraped {
            out.push(format!(
                "Service {}/{} has metrics port(s) {metrics:?} but no ServiceMonitor selects it \
                 with an endpoint port it has",
                svc.namespace, svc.name
            ));
        }
    }
    for sm in &monitors {
        let selected: Vec<&&Object> = services.iter().filter(|s| selects(sm, s)).collect();
        if selected.is_empty() {
            out.push(format!(
                "ServiceMonitor {}/{} selects no Service of the release",
                sm.namespace, sm.name
            ));
        }
        for svc in selected {
            let ports = service_port_names(svc);
            for p in endpoint_ports(sm) {
                if !ports.contains(&p) {
                    out.push(format!(
                        "ServiceMonitor {}/{} scrapes port {p:?}, which Service {} does not name",
                        sm.namespace, sm.name, svc.name
                    ));
                }
            }
        }
        if matches!(chart, "js-service-base" | "python-service-base")
            && str_at(&sm.node, &["metadata", "labels", "release"]) != Some("kube-prometheus-stack")
        {
            out.push(format!(
                "ServiceMonitor {}/{} lacks the label release: kube-prometheus-stack",
                sm.namespace, sm.name
            ));
        }
    }
    out
}

#[test]
fn rendered_objects_meet_the_platform_rules() {
    let renders = successful_renders();
    assert!(!renders.is_empty(), "no successful renders in the corpus");
    let mut problems = Vec::new();
    for (case, v, stdout) in &renders {
        let objs = objects(stdout, &release_namespace(case));
        for p in objs
            .iter()
            .flat_map(container_problems)
            .chain(monitoring_problems(&objs, &case.chart))
        {
            problems.push(format!("{} ({}): {p}", case.name, v.key()));
        }
    }
    assert!(
        problems.is_empty(),
        "rendered objects break the platform rules:\n{}",
        problems.join("\n")
    );
    eprintln!("{} renders meet the platform rules", renders.len());
}

/// Whether `api_version` belongs to a Kubernetes API group (core, `apps`, `batch`, ...,
/// `*.k8s.io`): objects of those groups must have a schema.
fn is_builtin_group(api_version: &str) -> bool {
    match api_version.split_once('/') {
        None => true,
        Some((group, _)) => {
            matches!(
                group,
                "apps" | "batch" | "autoscaling" | "policy" | "extensions"
            ) || group.ends_with(".k8s.io")
        }
    }
}

/// One successful render to check: a label for messages, the release namespace, the output.
struct Checked {
    what: String,
    namespace: String,
    stdout: String,
}

/// Runs the independent validator over `renders`; returns the problems, the number of objects
/// that passed and the custom kinds it skipped.
fn kubernetes_validate_problems(
    kv: &kubernetes_validate::KubernetesValidate,
    renders: &[Checked],
    kube_version: &str,
) -> (Vec<String>, usize, BTreeSet<String>) {
    let results =
        render_cases::parallel_map(renders, |r| kv.validate_strict(&r.stdout, kube_version));
    let mut problems = Vec::new();
    let mut passed = 0;
    let mut skipped: BTreeSet<String> = BTreeSet::new();
    for (r, result) in renders.iter().zip(results) {
        let what = &r.what;
        let (verdicts, out) = match result {
            Ok(x) => x,
            Err(e) => {
                problems.push(format!(
                    "{what}: cannot run {}: {e}",
                    kubernetes_validate::PACKAGE
                ));
                continue;
            }
        };
        let objs = objects(&r.stdout, &r.namespace);
        if verdicts.len() != objs.len() {
            problems.push(format!(
                "{what}: {} objects but {} verdicts:\n{}{}",
                objs.len(),
                verdicts.len(),
                out.stdout,
                out.stderr
            ));
        }
        let before = problems.len();
        for verdict in verdicts {
            match verdict {
                Verdict::Passed(_) => passed += 1,
                Verdict::NoSchema { kind, api_version } => {
                    if is_builtin_group(&api_version) {
                        problems.push(format!(
                            "{what}: no schema for the built-in {kind} {api_version} (removed or misspelled API?)"
                        ));
                    } else {
                        skipped.insert(format!("{kind} {api_version}"));
                    }
                }
                Verdict::Failed(object, message) => {
                    problems.push(format!("{what}: {object}: {message}"))
                }
                Verdict::Other(line) => problems.push(format!("{what}: {line}")),
            }
        }
        if out.code != Some(0) && problems.len() == before {
            problems.push(format!("{what}: exit code {:?}: {}", out.code, out.stderr));
        }
    }
    (problems, passed, skipped)
}

#[test]
fn rendered_objects_pass_kubernetes_validate() {
    let Some(kv) = kubernetes_validate::require() else {
        return;
    };
    let renders: Vec<Checked> = successful_renders()
        .into_iter()
        .map(|(case, v, stdout)| Checked {
            what: format!("{} ({})", case.name, v.key()),
            namespace: release_namespace(&case),
            stdout,
        })
        .collect();
    let (problems, passed, skipped) = kubernetes_validate_problems(&kv, &renders, KUBE_VERSION);
    assert!(
        problems.is_empty(),
        "{} (strict, Kubernetes {KUBE_VERSION}) rejects rendered objects:\n{}",
        kubernetes_validate::PACKAGE,
        problems.join("\n")
    );
    eprintln!(
        "{passed} objects of {} renders pass {} strictly; custom kinds skipped (no schema): {skipped:?}",
        renders.len(),
        kubernetes_validate::PACKAGE
    );
}

/// The `helm template` arguments of one render of chartkit.yaml (paths relative to the
/// repository root).
fn target_args(r: &config::Render<'_>) -> Vec<String> {
    let mut args = vec![
        r.target.release.clone(),
        r.target.chart.clone(),
        "-n".to_string(),
        r.target.namespace.clone(),
        "--kube-version".to_string(),
        r.target.kube_version.clone(),
    ];
    for v in &r.values {
        args.extend(["-f".to_string(), v.to_string()]);
    }
    for s in &r.set {
        args.extend(["--set".to_string(), s.to_string()]);
    }
    args
}

/// A `x.y` Kubernetes version as `x.y.0`.
fn full_version(v: &str) -> String {
    let v = v.trim_start_matches('v');
    if v.split('.').count() == 2 {
        format!("{v}.0")
    } else {
        v.to_string()
    }
}

/// Every render of the repository's chartkit.yaml (the example services and the observability
/// stack): chartkit prints exactly what real Helm 4 and Helm 3 print, and the output meets the
/// platform rules and passes the strict schema check.
#[test]
fn configured_targets_match_helm_and_meet_the_rules() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let text = std::fs::read_to_string(root.join("chartkit.yaml")).expect("chartkit.yaml");
    let cfg = config::parse(&text, "chartkit.yaml").unwrap_or_else(|e| panic!("{e}"));
    let chartkit = Path::new(env!("CARGO_BIN_EXE_chartkit"));
    let renders = cfg.renders();
    assert!(renders.len() >= 6, "chartkit.yaml lists too few renders");
    let mut problems = Vec::new();
    let mut checked: Vec<Checked> = Vec::new();
    let mut compared = 0;
    for v in HelmVersion::ALL {
        let helm = oracle::require(v);
        for r in &renders {
            let args = target_args(r);
            let mut ours = vec!["render".to_string()];
            if v == HelmVersion::V3 {
                ours.extend(["--helm-version".to_string(), "3".to_string()]);
            }
            ours.extend(args.iter().cloned());
            let got = std::process::Command::new(chartkit)
                .args(&ours)
                .current_dir(&root)
                .env_remove("HELM_NAMESPACE")
                .env_remove("KUBECONFIG")
                .output()
                .expect("run chartkit");
            let (stdout, stderr) = (
                String::from_utf8_lossy(&got.stdout).into_owned(),
                String::from_utf8_lossy(&got.stderr).into_owned(),
            );
            let what = format!("{} ({})", r.id, v.key());
            if !got.status.success() {
                problems.push(format!("{what}: chartkit failed: {stderr}"));
                continue;
            }
            if let Some(helm) = &helm {
                let mut theirs = vec!["template".to_string()];
                theirs.extend(args.iter().cloned());
                let want = std::process::Command::new(&helm.path)
                    .args(&theirs)
                    .current_dir(&root)
                    .env_clear()
                    .env("HOME", std::env::temp_dir())
                    .env("TZ", "UTC")
                    .output()
                    .expect("run helm");
                if want.stdout != got.stdout || want.stderr != got.stderr {
                    problems.push(format!(
                        "{what}: differs from helm template:\n{}",
                        render_cases::text_diff(
                            "stdout",
                            &String::from_utf8_lossy(&want.stdout),
                            &stdout
                        )
                        .or_else(|| render_cases::text_diff(
                            "stderr",
                            &String::from_utf8_lossy(&want.stderr),
                            &stderr
                        ))
                        .unwrap_or_default()
                    ));
                }
                compared += 1;
            }
            let objs = objects(&stdout, &r.target.namespace);
            for p in objs
                .iter()
                .flat_map(container_problems)
                .chain(monitoring_problems(
                    &objs,
                    r.target.chart.trim_start_matches("helm-charts/"),
                ))
            {
                problems.push(format!("{what}: {p}"));
            }
            if v == HelmVersion::V4 {
                checked.push(Checked {
                    what,
                    namespace: r.target.namespace.clone(),
                    stdout,
                });
            }
        }
    }
    if let Some(kv) = kubernetes_validate::require() {
        let kube = full_version(&renders[0].target.kube_version);
        let (p, passed, _) = kubernetes_validate_problems(&kv, &checked, &kube);
        problems.extend(p);
        eprintln!("chartkit.yaml: {passed} objects pass kubernetes-validate strictly");
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    eprintln!(
        "chartkit.yaml: {} renders, {compared} compared byte for byte with real Helm",
        renders.len()
    );
}
