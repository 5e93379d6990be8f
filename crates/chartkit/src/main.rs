//! The `chartkit` command line.

mod explain_cmd;
mod golden_cmd;
mod hook_cmd;
mod lint_cmd;
mod lint_report;
mod progress;
mod render_cmd;
mod targets;

use std::io::Write;
use std::process::ExitCode;

const USAGE: &str = "chartkit: render Helm charts byte-identically to `helm template`

Usage:
  chartkit render [NAME] CHART [flags]   render like `helm template` (same arguments and flags,
                                         plus --helm-version 3|4, default 4)
  chartkit lint [TARGET...|CHART] [flags]
                                         validate every rendered object against the Kubernetes
                                         and CRD schemas and the policy rules
                                         (`chartkit lint --help`)
  chartkit golden check|update [TARGET...] [flags]
                                         compare each target's render with its golden file, or
                                         rewrite the golden files that changed
  chartkit explain RULE                  print a policy rule's documentation (id, sub-id or
                                         kebab name; --list lists every rule)
  chartkit hook [--only lint|golden] FILE...
                                         pre-commit: lint and golden-check the targets the
                                         changed files affect
  chartkit help                          this text
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(cmd) = args.first() else {
        eprint!("{USAGE}");
        return ExitCode::from(2);
    };
    match cmd.as_str() {
        "render" | "template" => render_cmd::run(&args[1..]),
        "lint" => lint_cmd::run(&args[1..]),
        "golden" => golden_cmd::run(&args[1..]),
        "hook" => hook_cmd::run(&args[1..]),
        "explain" => explain_cmd::run(&args[1..]),
        "help" | "-h" | "--help" => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        other => {
            let _ = writeln!(
                std::io::stderr(),
                "Error: unknown command \"{other}\" for \"chartkit\"\n\n{USAGE}"
            );
            ExitCode::from(2)
        }
    }
}
