//! The serialization corpus (`fixtures/yaml`): cases for `toYaml`, `fromYaml`, the JSON and
//! TOML functions, in the engine-case format of [`crate::engine_cases`] (`cases/<topic>.toml`:
//! `name`, `template`, optional JSON `data`), with expectations recorded from real Helm in
//! `expected/<topic>.json`. Templates may use the serialization functions besides Go's builtins.

use std::path::{Path, PathBuf};

use crate::engine_cases::{self, VerifyReport};
use crate::{HelmVersion, TempDir};

/// `<workspace>/fixtures/yaml`.
pub fn fixtures_dir() -> PathBuf {
    crate::workspace_root().join("fixtures/yaml")
}

/// Runs every case of `DIR/cases` through both pinned Helm versions and rewrites
/// `DIR/expected`. Returns the number of cases, or an error (also when a Helm is missing).
pub fn regenerate(dir: &Path) -> Result<usize, String> {
    let cases = engine_cases::load_cases(&dir.join("cases"))?;
    let mut runs = Vec::new();
    for v in HelmVersion::ALL {
        let helm = crate::find(v).ok_or_else(|| format!("{v} is not installed"))?;
        helm.check_version()?;
        let scratch = TempDir::new("yaml-cases").map_err(|e| e.to_string())?;
        runs.push(engine_cases::run_cases(&helm, &cases, scratch.path())?);
    }
    let set = engine_cases::expected_from_runs(&cases, &runs[0], &runs[1])?;
    engine_cases::write_expected(&dir.join("expected"), &set)?;
    Ok(cases.len())
}

/// Re-runs the corpus through the installed Helm binaries and compares with the committed
/// expectations (see [`engine_cases::verify_against_helm`]).
pub fn verify(dir: &Path) -> Result<VerifyReport, String> {
    engine_cases::verify_against_helm(&dir.join("cases"), &dir.join("expected"))
}
