//! `chartkit hook [--only lint|golden] [--config FILE] FILE...`: the pre-commit entry point. Maps
//! the changed files to the `chartkit.yaml` renders they affect and checks only those: `chartkit
//! lint --format concise` and `chartkit golden check`.
//!
//! A render is affected by a change to chartkit.yaml, to one of its values files, to any file of
//! its chart, or to any file of a chart its chart depends on through a `file://` repository (a
//! library chart edited in place, before `cargo xtask charts` vendors it).

use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "Usage: chartkit hook [--only lint|golden] [--config FILE] FILE...   (the pre-commit entry point)";

/// A path made relative to `root` and cleaned lexically (`a/./b/../c` → `a/c`).
fn normalize(root: &Path, p: &Path) -> PathBuf {
    let p = if p.is_absolute() {
        p.strip_prefix(root)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| p.to_path_buf())
    } else {
        p.to_path_buf()
    };
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// The directories of the chart `chart` (relative to `root`) and of the charts it depends on
/// through `file://` repositories, recursively.
fn chart_dirs(root: &Path, chart: &Path, out: &mut Vec<PathBuf>) {
    let chart = normalize(root, chart);
    if out.contains(&chart) {
        return;
    }
    out.push(chart.clone());
    let Ok(text) = std::fs::read_to_string(root.join(&chart).join("Chart.yaml")) else {
        return;
    };
    let Ok(node) = goyaml::load(&text, 0) else {
        return;
    };
    let goyaml::NodeValue::Map(entries) = &node.value else {
        return;
    };
    let Some((_, deps)) = entries.iter().find(|(k, _)| k.name == "dependencies") else {
        return;
    };
    let goyaml::NodeValue::Seq(deps) = &deps.value else {
        return;
    };
    for d in deps {
        let goyaml::NodeValue::Map(fields) = &d.value else {
            continue;
        };
        let repo = fields.iter().find_map(|(k, v)| match &v.value {
            goyaml::NodeValue::String(s) if k.name == "repository" => Some(s.clone()),
            _ => None,
        });
        if let Some(rel) = repo.as_deref().and_then(|r| r.strip_prefix("file://")) {
            chart_dirs(root, &chart.join(rel), out);
        }
    }
}

/// Runs `chartkit hook ...`.
pub fn run(args: &[String]) -> ExitCode {
    let mut only: Option<String> = None;
    let mut config = PathBuf::from("chartkit.yaml");
    let mut files: Vec<PathBuf> = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--only" => only = it.next().cloned(),
            "--config" => match it.next() {
                Some(c) => config = PathBuf::from(c),
                None => return usage("flag needs an argument: --config"),
            },
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            f if f.starts_with("--only=") => only = Some(f["--only=".len()..].to_string()),
            f if f.starts_with("--config=") => config = PathBuf::from(&f["--config=".len()..]),
            f if f.starts_with('-') => return usage(&format!("unknown flag: {f}")),
            f => files.push(PathBuf::from(f)),
        }
    }
    if let Some(o) = &only
        && o != "lint"
        && o != "golden"
    {
        return usage(&format!("invalid --only {o:?}: expected lint or golden"));
    }
    let text = match std::fs::read_to_string(&config) {
        Ok(t) => t,
        Err(e) => return usage(&format!("cannot read {}: {e}", config.display())),
    };
    let cfg = match config::parse(&text, &config.to_string_lossy()) {
        Ok(c) => c,
        Err(e) => return usage(&e.to_string()),
    };
    let root = config
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let cwd = std::env::current_dir().unwrap_or_default();
    let abs_root = if root.is_absolute() {
        root.clone()
    } else {
        cwd.join(&root)
    };
    let changed: Vec<PathBuf> = files
        .iter()
        .map(|f| {
            normalize(
                &abs_root,
                &if f.is_absolute() {
                    f.clone()
                } else {
                    cwd.join(f)
                },
            )
        })
        .collect();
    let config_name = normalize(&abs_root, &cwd.join(&config));
    let mut affected: Vec<String> = Vec::new();
    for r in cfg.renders() {
        let mut dirs = Vec::new();
        chart_dirs(&abs_root, Path::new(&r.target.chart), &mut dirs);
        let hit = changed.iter().any(|c| {
            *c == config_name
                || r.values
                    .iter()
                    .any(|v| normalize(&abs_root, Path::new(v)) == *c)
                || dirs.iter().any(|d| c.starts_with(d))
        });
        if hit {
            affected.push(r.id.clone());
        }
    }
    if affected.is_empty() {
        return ExitCode::SUCCESS;
    }
    let config_arg = config.to_string_lossy().into_owned();
    let mut worst = 0u8;
    if only.as_deref() != Some("golden") {
        let mut lint_args = vec![
            "--config".to_string(),
            config_arg.clone(),
            "--format".to_string(),
            "concise".to_string(),
        ];
        lint_args.extend(affected.iter().cloned());
        worst = worst.max(code_of(crate::lint_cmd::run(&lint_args)));
    }
    if only.as_deref() != Some("lint") {
        let mut golden_args = vec![
            "check".to_string(),
            "--config".to_string(),
            config_arg,
            "--color".to_string(),
            "never".to_string(),
        ];
        golden_args.extend(affected.iter().cloned());
        worst = worst.max(code_of(crate::golden_cmd::run(&golden_args)));
    }
    ExitCode::from(worst)
}

fn code_of(code: ExitCode) -> u8 {
    if code == ExitCode::SUCCESS {
        0
    } else if code == ExitCode::from(1) {
        1
    } else {
        2
    }
}

fn usage(msg: &str) -> ExitCode {
    let _ = writeln!(std::io::stderr(), "error: {msg}\n{USAGE}");
    ExitCode::from(2)
}
