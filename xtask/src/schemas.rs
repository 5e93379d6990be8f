//! `cargo xtask schemas [--crds DIR] [--check]`: regenerates the embedded schema bundles.
//!
//! * `schemas/kubernetes/v1.NN.json.gz` (1.29 to 1.35) from the strict schemas of the
//!   `kubernetes-validate` package that `cargo xtask oracle` installs
//!   (`kubernetes_validate/kubernetes-json-schema/v1.NN.0-local-strict/`), descriptions removed;
//! * `schemas/crds/<crd name>.json.gz` and `schemas/crds/index.json` from the CRD manifests in
//!   `DIR` (default `../shared/crds` beside the workspace), converted by the `schema` crate's
//!   own CRD conversion (the one `chartkit lint --crd` uses).
//!
//! The output is deterministic. `--check` writes nothing and fails if a file would change.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

pub fn run(args: &[String]) -> Result<()> {
    let root = oracle::workspace_root();
    let mut crds_dir = root.join("../shared/crds");
    let mut check = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--crds" => crds_dir = PathBuf::from(it.next().context("--crds needs a directory")?),
            "--check" => check = true,
            other => bail!(
                "unknown argument {other:?} (usage: cargo xtask schemas [--crds DIR] [--check])"
            ),
        }
    }
    let kv = oracle::kubernetes_validate::find().with_context(|| {
        format!(
            "kubernetes-validate {} is not installed: run `cargo xtask oracle` first",
            oracle::kubernetes_validate::VERSION
        )
    })?;
    let mut outputs: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    for minor in schema::data::KUBE_MINORS {
        let bytes = kubernetes_bundle(&kv.dir, minor)?;
        outputs.push((
            root.join(format!("schemas/kubernetes/v1.{minor}.json.gz")),
            bytes,
        ));
    }
    outputs.extend(crd_bundles(&crds_dir, &root)?);

    let mut stale = Vec::new();
    for (path, bytes) in &outputs {
        let same = std::fs::read(path).is_ok_and(|old| &old == bytes);
        if same {
            continue;
        }
        if check {
            stale.push(path.display().to_string());
        } else {
            std::fs::create_dir_all(path.parent().expect("files have parents"))?;
            std::fs::write(path, bytes).with_context(|| format!("writing {}", path.display()))?;
            println!("wrote {} ({} bytes)", path.display(), bytes.len());
        }
    }
    if !stale.is_empty() {
        bail!(
            "stale schema files (run `cargo xtask schemas`):\n  {}",
            stale.join("\n  ")
        );
    }
    println!("{} schema files up to date", outputs.len());
    Ok(())
}

/// The compressed bundle of Kubernetes 1.`minor` from the package installed in `dir`.
pub fn kubernetes_bundle(dir: &Path, minor: u32) -> Result<Vec<u8>> {
    let rel = format!("kubernetes-json-schema/v1.{minor}.0-local-strict");
    let schema_dir = dir.join("kubernetes_validate").join(&rel);
    let definitions = std::fs::read_to_string(schema_dir.join("_definitions.json"))
        .with_context(|| format!("reading {}", schema_dir.display()))?;
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&schema_dir)? {
        files.push(entry?.file_name().to_string_lossy().into_owned());
    }
    files.sort();
    let source = format!(
        "kubernetes-validate {} {rel} (descriptions removed)",
        oracle::kubernetes_validate::VERSION
    );
    let json = schema::data::kubernetes_bundle_json(&source, &definitions, &files)
        .map_err(|e| anyhow::anyhow!("{}: {e}", schema_dir.display()))?;
    Ok(schema::data::compress(&json))
}

/// The CRD bundles and their index, from every `*.yaml` in `dir`.
fn crd_bundles(dir: &Path, root: &Path) -> Result<Vec<(PathBuf, Vec<u8>)>> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    names.sort();
    let mut by_crd: std::collections::BTreeMap<String, (String, Vec<schema::crd::CrdSchema>)> =
        Default::default();
    for path in &names {
        let text = std::fs::read_to_string(path)?;
        let file = path
            .file_name()
            .expect("a file")
            .to_string_lossy()
            .into_owned();
        for s in schema::crd::crd_schemas(&text, &file)? {
            by_crd
                .entry(s.crd_name.clone())
                .or_insert_with(|| (file.clone(), Vec::new()))
                .1
                .push(s);
        }
    }
    let mut out = Vec::new();
    let mut index = serde_json::Map::new();
    let mut keys = Vec::new();
    for (crd_name, (file, schemas)) in &by_crd {
        for s in schemas {
            keys.push((
                schema::data::kind_key(&s.api_version(), &s.kind),
                crd_name.clone(),
            ));
        }
        let json = schema::data::crd_bundle_json(&format!("{file} (CRD {crd_name})"), schemas);
        out.push((
            root.join(format!("schemas/crds/{crd_name}.json.gz")),
            schema::data::compress(&json),
        ));
    }
    keys.sort();
    for (k, v) in keys {
        index.insert(k, serde_json::Value::String(v));
    }
    let mut text = serde_json::to_string_pretty(&serde_json::Value::Object(index))?;
    text.push('\n');
    out.push((root.join("schemas/crds/index.json"), text.into_bytes()));
    Ok(out)
}
