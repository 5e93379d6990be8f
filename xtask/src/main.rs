//! Project tasks: `cargo xtask TASK [ARGS...]` (see `cargo xtask help`).

use anyhow::{Result, bail};

mod bench;
mod engine_fixtures;
mod library_fixtures;
mod oracle;
mod render_fixtures;
mod schemas;

/// A task: its name, a one-line summary, usage of its arguments, and its entry point.
struct Task {
    name: &'static str,
    summary: &'static str,
    usage: &'static str,
    run: fn(&[String]) -> Result<()>,
}

const TASKS: &[Task] = &[
    Task {
        name: "oracle",
        summary: "install the pinned real Helm binaries (4.1.4 and 3.17.1) and kubernetes-validate under target/oracle",
        usage: "",
        run: oracle::run,
    },
    Task {
        name: "engine-fixtures",
        summary: "run fixtures/engine/cases through both Helms and write fixtures/engine/expected",
        usage: "[--cases DIR] [--expected DIR]",
        run: engine_fixtures::run,
    },
    Task {
        name: "bench",
        summary: "time chartkit render against helm template on the render corpus (speed and peak memory)",
        usage: "",
        run: bench::run,
    },
    Task {
        name: "render-fixtures",
        summary: "run fixtures/render/cases through both Helms and write fixtures/render/expected",
        usage: "[--corpus DIR] [CASE...]",
        run: render_fixtures::run,
    },
    Task {
        name: "charts",
        summary: "refresh helm-charts/**/charts/common from helm-charts/common and the READMEs' values tables",
        usage: "[--check] [--root DIR] [CHART...]",
        run: xtask::charts::run,
    },
    Task {
        name: "library-fixtures",
        summary: "run fixtures/library/cases (helm-charts) through both Helms and write fixtures/library/expected",
        usage: "[CASE...]",
        run: library_fixtures::run,
    },
    Task {
        name: "schemas",
        summary: "regenerate schemas/kubernetes (from kubernetes-validate) and schemas/crds (from ../shared/crds)",
        usage: "[--crds DIR] [--check]",
        run: schemas::run,
    },
    Task {
        name: "help",
        summary: "list the tasks",
        usage: "",
        run: help,
    },
];

fn help(_args: &[String]) -> Result<()> {
    println!("usage: cargo xtask TASK [ARGS...]\n\ntasks:");
    for task in TASKS {
        let head = if task.usage.is_empty() {
            task.name.to_string()
        } else {
            format!("{} {}", task.name, task.usage)
        };
        println!("  {head:<48} {}", task.summary);
    }
    Ok(())
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(name) = args.first() else {
        help(&[])?;
        bail!("no task given");
    };
    let name = match name.as_str() {
        "-h" | "--help" => "help",
        other => other,
    };
    match TASKS.iter().find(|t| t.name == name) {
        Some(task) => (task.run)(&args[1..]),
        None => {
            help(&[])?;
            bail!("unknown task {name:?}");
        }
    }
}
