//! The `chartkit` command line.

mod render_cmd;

use std::io::Write;
use std::process::ExitCode;

const USAGE: &str = "chartkit: render Helm charts byte-identically to `helm template`

Usage:
  chartkit render [NAME] CHART [flags]   render like `helm template` (same arguments and flags,
                                         plus --helm-version 3|4, default 4)
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
