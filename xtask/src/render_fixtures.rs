//! `cargo xtask render-fixtures`: runs every case of `fixtures/render/cases` through both pinned
//! Helms and writes `fixtures/render/expected/<case>.json` (see `fixtures/render/README.md`).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result, anyhow, bail};
use oracle::HelmVersion;
use oracle::render_cases::{self, Corpus};

const USAGE: &str = "render-fixtures [--corpus DIR] [CASE...]";

pub fn run(args: &[String]) -> Result<()> {
    run_corpus(args, Corpus::committed(), USAGE, "render")
}

/// Regenerates the expectations of `corpus` (or of `--corpus DIR`) for all its cases, or only
/// for the named ones; shared by `render-fixtures` and `library-fixtures`.
pub fn run_corpus(args: &[String], corpus: Corpus, usage: &str, what: &str) -> Result<()> {
    let mut corpus = corpus;
    let mut only: Vec<String> = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--corpus" => {
                let dir = args
                    .next()
                    .with_context(|| format!("{arg} needs a value"))?;
                corpus = Corpus::at(&PathBuf::from(dir));
            }
            "-h" | "--help" => {
                println!("usage: cargo xtask {usage}");
                return Ok(());
            }
            other if other.starts_with('-') => {
                bail!("unknown argument {other:?} (usage: {usage})")
            }
            name => only.push(name.to_string()),
        }
    }

    let all = render_cases::load_cases(&corpus).map_err(|e| anyhow!(e))?;
    let cases: Vec<_> = if only.is_empty() {
        all.clone()
    } else {
        for name in &only {
            if !all.iter().any(|c| &c.name == name) {
                bail!("no case {name:?} in {}", corpus.cases.display());
            }
        }
        all.iter()
            .filter(|c| only.contains(&c.name))
            .cloned()
            .collect()
    };

    let mut helms = BTreeMap::new();
    for v in HelmVersion::ALL {
        let helm = oracle::find(v)
            .with_context(|| format!("{v} not installed: run `cargo xtask oracle`"))?;
        helm.check_version().map_err(|e| anyhow!(e))?;
        helms.insert(v, helm);
    }
    let start = Instant::now();
    let set = render_cases::generate(
        &corpus,
        &cases,
        &helms[&HelmVersion::V4],
        &helms[&HelmVersion::V3],
        &std::env::temp_dir(),
    )
    .map_err(|e| anyhow!(e))?;
    let removed =
        render_cases::write_expected(&corpus, &set, only.is_empty()).map_err(|e| anyhow!(e))?;

    println!(
        "{} {what} cases through {} and {} in {:.1}s -> {}",
        set.len(),
        HelmVersion::V4,
        HelmVersion::V3,
        start.elapsed().as_secs_f64(),
        corpus.expected.display()
    );
    for v in HelmVersion::ALL {
        let ok = set.values().filter(|e| e.get(v).code == Some(0)).count();
        println!("{v}: {ok} succeed, {} fail", set.len() - ok);
    }
    let differ = set.values().filter(|e| e.h4 != e.h3).count();
    println!("{differ} cases differ between helm 4 and helm 3");
    for name in removed {
        println!("removed stale expected/{name}.json");
    }
    Ok(())
}
