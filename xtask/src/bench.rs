//! `cargo xtask bench`: whole-process speed and peak memory of `chartkit render` against
//! `helm template` on the render corpus and library charts, with the ratios printed; then the
//! wall time of `chartkit lint` over every chartkit.yaml target (against one `helm template` of
//! a base chart) and of the pre-commit hook on a one-file change (against 100 ms). Exits
//! non-zero when a target is missed (20x faster, under 16 MiB peak, lint faster than one helm
//! template, hook under 100 ms).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail};

const RUNS: usize = 20;
const TARGET_SPEEDUP: f64 = 20.0;
const TARGET_PEAK_KIB: u64 = 16 * 1024;

fn time_runs(cmd: &mut dyn FnMut() -> Command) -> Result<f64> {
    // One warm-up run, then the mean of RUNS runs.
    cmd().stdout(Stdio::null()).stderr(Stdio::null()).status()?;
    let start = Instant::now();
    for _ in 0..RUNS {
        let status = cmd().stdout(Stdio::null()).stderr(Stdio::null()).status()?;
        if !status.success() {
            bail!("benchmark command failed: {:?}", cmd());
        }
    }
    Ok(start.elapsed().as_secs_f64() / RUNS as f64)
}

/// Peak resident set of one run in KiB, measured by GNU time.
fn peak_kib(program: &Path, args: &[String]) -> Result<u64> {
    let out = Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%M")
        .arg(program)
        .args(args)
        .stdout(Stdio::null())
        .output()
        .context("running /usr/bin/time")?;
    let text = String::from_utf8_lossy(&out.stderr);
    let last = text.lines().last().unwrap_or("0");
    Ok(last.trim().parse().unwrap_or(0))
}

/// The triple of the statically linked distribution build.
const DIST_TARGET: &str = "x86_64-unknown-linux-gnu";

/// Builds the binary that ships: release, and on x86-64 Linux statically linked and not
/// position-independent, which saves the dynamic loader's work (shared libraries and about
/// 15,000 relocations) on every run: about a fifth of a small render's wall time. `--target`
/// keeps the flags off build scripts and proc macros. Returns the binary's path.
pub fn build_dist() -> Result<PathBuf> {
    let root = oracle::workspace_root();
    let mut cmd = Command::new(env!("CARGO"));
    cmd.args(["build", "--release", "-q", "-p", "chartkit"])
        .current_dir(&root);
    let static_build = cfg!(all(target_os = "linux", target_arch = "x86_64"));
    if static_build {
        cmd.args(["--target", DIST_TARGET]).env(
            "RUSTFLAGS",
            "-C target-feature=+crt-static -C relocation-model=static",
        );
    }
    if !cmd.status()?.success() {
        bail!("release build failed");
    }
    Ok(if static_build {
        oracle::target_dir()
            .join(DIST_TARGET)
            .join("release/chartkit")
    } else {
        oracle::target_dir().join("release/chartkit")
    })
}

/// The charts timed: the render corpus and the chart library's application charts.
fn bench_charts(root: &Path) -> Result<Vec<PathBuf>> {
    let mut charts = Vec::new();
    for dir in [
        root.join("fixtures/render/charts"),
        root.join("helm-charts"),
        root.join("helm-charts/observability"),
    ] {
        let entries =
            std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))?;
        for e in entries.filter_map(|e| e.ok()) {
            let p = e.path();
            let chart_yaml = std::fs::read_to_string(p.join("Chart.yaml")).unwrap_or_default();
            if !chart_yaml.is_empty() && !chart_yaml.contains("type: library") {
                charts.push(p);
            }
        }
    }
    charts.sort();
    Ok(charts)
}

pub fn run(_args: &[String]) -> Result<()> {
    let root = oracle::workspace_root();
    let chartkit = build_dist()?;
    println!("binary: {}", chartkit.display());
    let helm = oracle::find(oracle::HelmVersion::V4)
        .context("helm 4 not installed: run `cargo xtask oracle`")?;
    let charts = bench_charts(&root)?;
    let mut worst_speedup = f64::INFINITY;
    let mut worst_peak = 0;
    println!(
        "{:<28} {:>12} {:>12} {:>9} {:>10} {:>10}",
        "chart", "helm (ms)", "chartkit", "speedup", "helm KiB", "ck KiB"
    );
    for chart in &charts {
        let name = chart
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let args = vec!["bench".to_string(), chart.to_string_lossy().to_string()];
        // Charts whose default render fails in helm are not benchmarked.
        let ok = Command::new(&helm.path)
            .arg("template")
            .args(&args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()?;
        if !ok.success() {
            continue;
        }
        let helm_t = time_runs(&mut || {
            let mut c = Command::new(&helm.path);
            c.arg("template").args(&args);
            c
        })?;
        let ck_t = time_runs(&mut || {
            let mut c = Command::new(&chartkit);
            c.arg("render").args(&args);
            c
        })?;
        let mut helm_args = vec!["template".to_string()];
        helm_args.extend(args.iter().cloned());
        let mut ck_args = vec!["render".to_string()];
        ck_args.extend(args.iter().cloned());
        let helm_peak = peak_kib(&helm.path, &helm_args)?;
        let ck_peak = peak_kib(&chartkit, &ck_args)?;
        let speedup = helm_t / ck_t;
        worst_speedup = worst_speedup.min(speedup);
        worst_peak = worst_peak.max(ck_peak);
        println!(
            "{name:<28} {:>12.2} {:>12.2} {:>8.1}x {:>10} {:>10}",
            helm_t * 1e3,
            ck_t * 1e3,
            speedup,
            helm_peak,
            ck_peak
        );
    }
    println!(
        "\nslowest speedup {worst_speedup:.1}x (target {TARGET_SPEEDUP}x); largest peak {worst_peak} KiB (target < {TARGET_PEAK_KIB} KiB)"
    );
    let mut missed = worst_speedup < TARGET_SPEEDUP || worst_peak >= TARGET_PEAK_KIB;

    // Linting every target of chartkit.yaml (render, schemas, rules) against one `helm
    // template` of one base chart; the pre-commit hook on a one-file change against 100 ms.
    let base_chart = root.join("helm-charts/js-service-base");
    let helm_one = time_runs(&mut || {
        let mut c = Command::new(&helm.path);
        c.arg("template")
            .arg("bench")
            .arg(&base_chart)
            .current_dir(&root);
        c
    })?;
    let lint_all = time_runs(&mut || {
        let mut c = Command::new(&chartkit);
        c.arg("lint").current_dir(&root);
        c
    })?;
    let hook_one = time_runs(&mut || {
        let mut c = Command::new(&chartkit);
        c.args(["hook", "examples/storefront-api/values-dev.yaml"])
            .current_dir(&root);
        c
    })?;
    println!(
        "lint of every chartkit.yaml target: {:.1} ms; helm template of js-service-base: {:.1} ms (target: lint faster)",
        lint_all * 1e3,
        helm_one * 1e3
    );
    println!(
        "pre-commit hook on a one-file change: {:.1} ms (target < {HOOK_TARGET_MS} ms)",
        hook_one * 1e3
    );
    missed |= lint_all >= helm_one || hook_one * 1e3 >= HOOK_TARGET_MS;
    if missed {
        bail!("benchmark targets missed");
    }
    Ok(())
}

/// The wall time the pre-commit hook may take on a one-file change.
const HOOK_TARGET_MS: f64 = 100.0;
