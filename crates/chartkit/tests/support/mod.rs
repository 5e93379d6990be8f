//! Helpers shared by the integration tests that run the `chartkit` binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs `chartkit ARGS` in `cwd`, without the environment that changes the namespace.
pub fn chartkit(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chartkit"))
        .args(args)
        .current_dir(cwd)
        .env_remove("HELM_NAMESPACE")
        .env_remove("KUBECONFIG")
        .output()
        .expect("run chartkit")
}

/// Output bytes as text.
pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}
