//! `cargo xtask bench`: whole-process speed and peak memory of `chartkit render` against
//! `helm template` on the render corpus charts, with the ratios printed. Exits non-zero when a
//! target is missed (20x faster, under 16 MiB peak).

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

pub fn run(_args: &[String]) -> Result<()> {
    let root = oracle::workspace_root();
    let status = Command::new(env!("CARGO"))
        .args(["build", "--release", "-q", "-p", "chartkit"])
        .current_dir(&root)
        .status()?;
    if !status.success() {
        bail!("release build failed");
    }
    let chartkit = oracle::target_dir().join("release/chartkit");
    let helm = oracle::find(oracle::HelmVersion::V4)
        .context("helm 4 not installed: run `cargo xtask oracle`")?;
    let charts_dir = root.join("fixtures/render/charts");
    let mut charts: Vec<PathBuf> = std::fs::read_dir(&charts_dir)
        .with_context(|| format!("reading {}", charts_dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("Chart.yaml").exists())
        .collect();
    charts.sort();
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
    if worst_speedup < TARGET_SPEEDUP || worst_peak >= TARGET_PEAK_KIB {
        bail!("benchmark targets missed");
    }
    Ok(())
}
