//! `cargo xtask engine-fixtures`: runs every engine case through both pinned Helms and writes
//! `fixtures/engine/expected/<topic>.json` (see `fixtures/engine/README.md`).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result, anyhow, bail};
use oracle::HelmVersion;
use oracle::engine_cases::{self, Outcome, OutcomeKind};

pub fn run(args: &[String]) -> Result<()> {
    let root = oracle::workspace_root();
    let mut cases_dir = root.join("fixtures/engine/cases");
    let mut expected_dir = root.join("fixtures/engine/expected");
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = || -> Result<PathBuf> {
            Ok(PathBuf::from(
                args.next()
                    .with_context(|| format!("{arg} needs a value"))?,
            ))
        };
        match arg.as_str() {
            "--cases" => cases_dir = value()?,
            "--expected" => expected_dir = value()?,
            other => bail!(
                "unknown argument {other:?} (usage: engine-fixtures [--cases DIR] [--expected DIR])"
            ),
        }
    }

    let cases = engine_cases::load_cases(&cases_dir).map_err(|e| anyhow!(e))?;
    let mut runs: BTreeMap<HelmVersion, BTreeMap<String, Outcome>> = BTreeMap::new();
    for v in HelmVersion::ALL {
        let helm = oracle::find(v)
            .with_context(|| format!("{v} not installed: run `cargo xtask oracle`"))?;
        helm.check_version().map_err(|e| anyhow!(e))?;
        let scratch = oracle::oracle_dir().join("scratch");
        let start = Instant::now();
        let outcomes = engine_cases::run_cases(&helm, &cases, &scratch).map_err(|e| anyhow!(e))?;
        eprintln!(
            "{v}: {} cases in {:.1}s",
            cases.len(),
            start.elapsed().as_secs_f64()
        );
        runs.insert(v, outcomes);
    }
    let set =
        engine_cases::expected_from_runs(&cases, &runs[&HelmVersion::V4], &runs[&HelmVersion::V3])
            .map_err(|e| anyhow!(e))?;
    engine_cases::write_expected(&expected_dir, &set).map_err(|e| anyhow!(e))?;

    println!(
        "{} cases in {} topics -> {}",
        cases.len(),
        set.len(),
        expected_dir.display()
    );
    for (v, outcomes) in &runs {
        let count = |k: OutcomeKind| outcomes.values().filter(|o| o.kind == k).count();
        println!(
            "{v}: {} outputs, {} exec errors, {} parse errors",
            count(OutcomeKind::Output),
            count(OutcomeKind::ExecError),
            count(OutcomeKind::ParseError)
        );
    }
    let differ = cases
        .iter()
        .filter(|c| runs[&HelmVersion::V4][&c.name] != runs[&HelmVersion::V3][&c.name])
        .count();
    println!("{differ} cases differ between helm 4 and helm 3");
    Ok(())
}
