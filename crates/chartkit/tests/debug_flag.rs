//! `chartkit render --debug` against `helm template --debug`, run live (the oracle is required
//! under `CI=true`).
//!
//! Helm 4's debug lines are deterministic and compared byte for byte. Helm 3's carry wall-clock
//! time stamps and, after an error, a Go stack trace: the stamps are masked and only the lines up
//! to and including the error's `helm.go:86` echo are compared. On a YAML error Helm prints the
//! rendered files in Go map order (random): those are compared as a set of blocks.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use oracle::HelmVersion;

fn charts() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/render/charts")
}

/// `(release, chart, extra args)`.
const CASES: &[(&str, &str, &[&str])] = &[
    // Schema debug lines of a subchart with a values.schema.json, dependencies counted per chart.
    ("stack", "kube-stack", &[]),
    // Coalesce warnings come before the schema lines.
    ("shop", "webapp", &["--set", "image.tag.major=4"]),
    // An execution error: no `--debug` hint, an empty line on stdout.
    (
        "api",
        "platform-api",
        &["--set", "debug.failMessage=refusing to render"],
    ),
    // A schema failure, with the schema lines before it.
    ("stack", "kube-stack", &["--set", "grafana.replicas=0"]),
    // A YAML error: every rendered file on stdout, then the hooks read before the error.
    ("api", "platform-api", &["--set", "debug.brokenYaml=true"]),
    (
        "api",
        "platform-api",
        &["--set", "debug.brokenYaml=true", "--no-hooks"],
    ),
    // Before the chart is found only the first line is logged.
    ("x", "does-not-exist", &[]),
];

fn mask_stamps(text: &str) -> String {
    // `2026-11-25 17:29:16.741434836 +0000 UTC m=+0.132442263` → `<time>`
    let mut out = String::new();
    for line in text.lines() {
        let masked = match (line.find(": 20"), line.find(" [debug] ")) {
            (Some(a), Some(b)) if a < b => format!("{}: <time>{}", &line[..a], &line[b..]),
            _ => line.to_string(),
        };
        out.push_str(&masked);
        out.push('\n');
    }
    out
}

/// Helm 3's stderr up to its `helm.go:86` echo of the error (the Go stack trace that follows
/// cannot be reproduced).
fn h3_comparable(stderr: &str) -> String {
    let masked = mask_stamps(stderr);
    match masked.find("helm.go:86: ") {
        Some(i) => {
            let end = masked[i..].find('\n').map_or(masked.len(), |j| i + j + 1);
            masked[..end].to_string()
        }
        None => masked,
    }
}

fn blocks(stdout: &str) -> Vec<String> {
    let mut b: Vec<String> = stdout
        .split("---\n# Source: ")
        .map(|s| s.trim_end().to_string())
        .collect();
    b.sort();
    b
}

fn run(program: &Path, args: &[String], cwd: &Path) -> Output {
    Command::new(program)
        .args(args)
        .current_dir(cwd)
        .env_remove("HELM_NAMESPACE")
        .output()
        .expect("run")
}

#[test]
fn debug_output_matches_helm() {
    let chartkit = Path::new(env!("CARGO_BIN_EXE_chartkit"));
    let cwd = charts();
    let mut checked = 0;
    let mut failures = Vec::new();
    for v in HelmVersion::ALL {
        let Some(helm) = oracle::require(v) else {
            eprintln!("helm {v:?} not installed: skipped (run `cargo xtask oracle`)");
            continue;
        };
        for (release, chart, extra) in CASES {
            let mut args: Vec<String> = vec![
                "template".into(),
                (*release).into(),
                cwd.join(chart).to_string_lossy().into_owned(),
                "--debug".into(),
            ];
            args.extend(extra.iter().map(|s| s.to_string()));
            let want = helm.run(&args).expect("run helm");
            let mut ours_args = args.clone();
            ours_args[0] = "render".into();
            if v == HelmVersion::V3 {
                ours_args.insert(1, "--helm-version=3".into());
            }
            let got = run(chartkit, &ours_args, &cwd);
            let (ws, gs) = (
                want.stderr.clone(),
                String::from_utf8_lossy(&got.stderr).into_owned(),
            );
            let (wo, go) = (
                want.stdout.clone(),
                String::from_utf8_lossy(&got.stdout).into_owned(),
            );
            let (ws, gs) = match v {
                HelmVersion::V4 => (ws, gs),
                HelmVersion::V3 => (h3_comparable(&ws), h3_comparable(&gs)),
            };
            let same_stdout = if wo.contains("YAML parse error") || ws.contains("YAML parse error")
            {
                blocks(&wo) == blocks(&go)
            } else {
                wo == go
            };
            let what = format!("{v:?} {}", args.join(" "));
            if want.status_code != got.status.code() {
                failures.push(format!(
                    "{what}: exit {:?} vs {:?}",
                    want.status_code,
                    got.status.code()
                ));
            } else if ws != gs {
                failures.push(format!(
                    "{what}: stderr\n--- helm\n{ws}\n--- chartkit\n{gs}"
                ));
            } else if !same_stdout {
                failures.push(format!(
                    "{what}: stdout\n--- helm\n{wo}\n--- chartkit\n{go}"
                ));
            }
            checked += 1;
        }
    }
    println!("--debug: {checked} runs compared with real Helm");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Environment variables and extra arguments of one run.
type KubeconfigCase = (
    &'static [(&'static str, &'static str)],
    &'static [&'static str],
);

/// Without `-n`, the namespace comes from the kubeconfig's current context, as Helm reads it.
#[test]
fn namespace_falls_back_to_the_kubeconfig_like_helm() {
    let chartkit = Path::new(env!("CARGO_BIN_EXE_chartkit"));
    let tmp = oracle::TempDir::new("kubeconfig").unwrap();
    let dir = tmp.path();
    std::fs::write(
        dir.join("k1.yaml"),
        "apiVersion: v1\nkind: Config\ncurrent-context: dev\ncontexts:\n- name: dev\n  context:\n    namespace: from-k1\n- name: other\n  context:\n    namespace: other-ns\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("k2.yaml"),
        "apiVersion: v1\nkind: Config\ncurrent-context: other\n",
    )
    .unwrap();
    std::fs::write(dir.join("bad.yaml"), "::: not yaml\n").unwrap();
    let chart = charts().join("webapp");
    let cases: &[KubeconfigCase] = &[
        (&[("KUBECONFIG", "k1.yaml")], &[]),
        (&[("KUBECONFIG", "k2.yaml:k1.yaml")], &[]),
        (&[("KUBECONFIG", "bad.yaml:k1.yaml")], &[]),
        (&[("KUBECONFIG", "missing.yaml")], &[]),
        (&[("KUBECONFIG", "k1.yaml")], &["--kube-context", "other"]),
        (&[], &["--kubeconfig", "k1.yaml"]),
        // HELM_NAMESPACE and -n beat the kubeconfig.
        (
            &[("KUBECONFIG", "k1.yaml"), ("HELM_NAMESPACE", "env-ns")],
            &[],
        ),
        (&[("KUBECONFIG", "k1.yaml")], &["-n", "flag-ns"]),
    ];
    let mut compared = 0;
    for v in HelmVersion::ALL {
        let Some(helm) = oracle::require(v) else {
            continue;
        };
        for (env, extra) in cases {
            let run = |program: &Path, first: &[&str]| -> String {
                let mut cmd = Command::new(program);
                cmd.args(first)
                    .arg("shop")
                    .arg(&chart)
                    .args(*extra)
                    .args(["--show-only", "templates/deployment.yaml"])
                    .current_dir(dir)
                    .env_clear()
                    .env("HOME", dir)
                    .env("PATH", "/usr/bin:/bin");
                for (k, val) in *env {
                    cmd.env(k, val);
                }
                let out = cmd.output().expect("run");
                assert!(
                    out.status.success(),
                    "{}",
                    String::from_utf8_lossy(&out.stderr)
                );
                String::from_utf8_lossy(&out.stdout).into_owned()
            };
            let want = run(&helm.path, &["template"]);
            let got = match v {
                HelmVersion::V4 => run(chartkit, &["render"]),
                HelmVersion::V3 => run(chartkit, &["render", "--helm-version=3"]),
            };
            assert_eq!(got, want, "{v:?} env {env:?} args {extra:?}");
            compared += 1;
        }
    }
    println!("kubeconfig namespace: {compared} runs compared with real Helm");
}
