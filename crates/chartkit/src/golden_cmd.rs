//! `chartkit golden check|update [TARGET...]`: the rendered manifests of each `chartkit.yaml`
//! target against its committed golden file.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use golden::{Status, Style, TargetResult};
use helm::template::template;

const USAGE: &str = "Usage: chartkit golden check|update [TARGET...] [--config FILE] [--format text|json|junit] [--color auto|always|never] [--prune]";

struct Args {
    update: bool,
    targets: Vec<String>,
    config: PathBuf,
    format: String,
    color: Option<bool>,
    prune: bool,
}

fn parse(args: &[String]) -> Result<Args, String> {
    let mut it = args.iter();
    let update = match it.next().map(String::as_str) {
        Some("check") => false,
        Some("update") => true,
        Some(other) => return Err(format!("unknown golden command {other:?}\n{USAGE}")),
        None => return Err(USAGE.to_string()),
    };
    let mut out = Args {
        update,
        targets: Vec::new(),
        config: PathBuf::from("chartkit.yaml"),
        format: "text".into(),
        color: None,
        prune: false,
    };
    while let Some(a) = it.next() {
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (a.as_str(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            inline
                .clone()
                .or_else(|| it.next().cloned())
                .ok_or_else(|| format!("flag needs an argument: {name}"))
        };
        match flag {
            "--config" => out.config = PathBuf::from(value("--config")?),
            "--format" => {
                out.format = value("--format")?;
                if !matches!(out.format.as_str(), "text" | "json" | "junit") {
                    return Err(format!(
                        "invalid --format {:?}: must be text, json or junit",
                        out.format
                    ));
                }
            }
            "--color" => {
                out.color = match value("--color")?.as_str() {
                    "auto" => None,
                    "always" => Some(true),
                    "never" => Some(false),
                    other => {
                        return Err(format!(
                            "invalid --color {other:?}: must be auto, always or never"
                        ));
                    }
                }
            }
            "--prune" => out.prune = true,
            "-h" | "--help" => return Err(USAGE.to_string()),
            f if f.starts_with('-') => return Err(format!("unknown flag: {f}\n{USAGE}")),
            _ => out.targets.push(a.clone()),
        }
    }
    Ok(out)
}

fn usage_error(msg: &str) -> ExitCode {
    let _ = writeln!(std::io::stderr(), "Error: {msg}");
    ExitCode::from(2)
}

/// Renders one configured render like `helm template` would, paths relative to `root`.
fn render(root: &Path, r: &config::Render<'_>) -> Result<String, String> {
    template(&crate::targets::template_options(root, r))
        .map(|out| out.stdout)
        .map_err(|e| format!("target {}: {}", r.id, e.stderr().trim_end()))
}

/// Every `*.yaml` under `dir`, as paths relative to `root` with `/` separators, sorted.
fn golden_files(root: &Path, dir: &str) -> Vec<String> {
    fn walk(base: &Path, rel: &str, out: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(base.join(rel)) else {
            return;
        };
        for e in entries.filter_map(Result::ok) {
            let name = e.file_name().to_string_lossy().into_owned();
            let child = if rel.is_empty() {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            match e.file_type() {
                Ok(t) if t.is_dir() => walk(base, &child, out),
                Ok(_) if name.ends_with(".yaml") => out.push(child),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(root, dir.trim_end_matches('/'), &mut out);
    out.sort();
    out
}

/// Writes `text` to `path` through a temporary file in the same directory and a rename, so a
/// killed update leaves the old or the new file, never half of one.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension(format!("yaml.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Runs `chartkit golden ...`.
pub fn run(args: &[String]) -> ExitCode {
    let a = match parse(args) {
        Ok(a) => a,
        Err(e) => return usage_error(&e),
    };
    let text = match std::fs::read_to_string(&a.config) {
        Ok(t) => t,
        Err(e) => return usage_error(&format!("cannot read {}: {e}", a.config.display())),
    };
    let cfg = match config::parse(&text, &a.config.to_string_lossy()) {
        Ok(c) => c,
        Err(e) => return usage_error(&e.to_string()),
    };
    let root = a
        .config
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let all = cfg.renders();
    for t in &a.targets {
        if !all.iter().any(|r| r.id == *t || r.target.name == *t) {
            return usage_error(&format!(
                "no target {t:?} in {} (targets: {})",
                a.config.display(),
                all.iter()
                    .map(|r| r.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    let selected: Vec<&config::Render<'_>> = all
        .iter()
        .filter(|r| {
            a.targets.is_empty() || a.targets.iter().any(|t| *t == r.id || *t == r.target.name)
        })
        .collect();
    // Render in parallel; results keep the configuration's order.
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let chunk = selected.len().div_ceil(threads.max(1)).max(1);
    let rendered: Vec<Result<String, String>> = std::thread::scope(|s| {
        let handles: Vec<_> = selected
            .chunks(chunk)
            .map(|part| {
                let root = &root;
                s.spawn(move || part.iter().map(|r| render(root, r)).collect::<Vec<_>>())
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    let dir = cfg.golden_dir.as_str();
    let mut results: Vec<TargetResult> = Vec::new();
    let mut renders: Vec<(String, String)> = Vec::new();
    for (r, out) in selected.iter().zip(rendered) {
        let out = match out {
            Ok(o) => o,
            Err(e) => return usage_error(&e),
        };
        let path = golden::golden_path(dir, &r.id);
        let status = match std::fs::read_to_string(root.join(&path)) {
            Ok(g) if g == out => Status::Same,
            Ok(g) => Status::Differs(golden::compare(&g, &out)),
            Err(_) => Status::Missing,
        };
        results.push(TargetResult {
            id: r.id.clone(),
            path: path.clone(),
            status,
        });
        renders.push((path, out));
    }
    // Golden files no target renders (only when all targets were selected).
    if a.targets.is_empty() {
        let known: Vec<String> = all
            .iter()
            .map(|r| golden::golden_path(dir, &r.id))
            .collect();
        for f in golden_files(&root, dir) {
            if !known.contains(&f) {
                results.push(TargetResult {
                    id: String::new(),
                    path: f,
                    status: Status::Orphan,
                });
            }
        }
    }
    let update_command = format!(
        "chartkit golden update{}",
        if a.config == Path::new("chartkit.yaml") {
            String::new()
        } else {
            format!(" --config {}", a.config.display())
        }
    );
    if a.update {
        let mut written = 0;
        for (r, (path, out)) in results.iter().zip(&renders) {
            if r.failed() {
                if let Err(e) = write_atomically(&root.join(path), out) {
                    return usage_error(&format!("cannot write {path}: {e}"));
                }
                println!("updated {path}");
                written += 1;
            }
        }
        for r in results.iter().filter(|r| r.status == Status::Orphan) {
            if a.prune {
                if let Err(e) = std::fs::remove_file(root.join(&r.path)) {
                    return usage_error(&format!("cannot remove {}: {e}", r.path));
                }
                println!("removed {} (no target)", r.path);
            } else {
                println!(
                    "{}: golden file without a target (kept; --prune removes it)",
                    r.path
                );
            }
        }
        println!(
            "{written} golden file(s) written, {} unchanged",
            renders.len() - written
        );
        return ExitCode::SUCCESS;
    }
    let color = a.color.unwrap_or_else(|| std::io::stdout().is_terminal());
    let report = match a.format.as_str() {
        "json" => golden::json_report(&results),
        "junit" => golden::junit_report(&results, &update_command),
        _ => golden::text_report(&results, Style { color }, &update_command),
    };
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(report.as_bytes())
        .and_then(|_| stdout.flush());
    if results.iter().any(TargetResult::failed) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
