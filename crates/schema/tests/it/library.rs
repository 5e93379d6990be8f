//! Every object of every successful render of the chart library (fixtures/library/expected)
//! validates against the bundled schemas of Kubernetes 1.29 with no error findings — what
//! `chartkit lint` on the repository must also give.

use schema::{SchemaSet, Severity, duplicate_keys};

/// The stdout of every successful Helm 4 render of the library corpus: (case, stdout).
pub fn renders() -> Vec<(String, String)> {
    let dir = crate::root().join("fixtures/library/expected");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures/library/expected")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
        let h4 = &v["h4"];
        if h4["code"] == 0 {
            out.push((
                f.file_stem().unwrap().to_string_lossy().into_owned(),
                h4["stdout"].as_str().unwrap().to_string(),
            ));
        }
    }
    out
}

#[test]
fn library_renders_validate_clean() {
    let set = SchemaSet::bundled(29).unwrap();
    let renders = renders();
    assert!(renders.len() >= 20, "only {} renders", renders.len());
    let mut objects = 0;
    let mut kinds = std::collections::BTreeSet::new();
    let mut problems = Vec::new();
    for (case, stdout) in &renders {
        for f in duplicate_keys(stdout) {
            problems.push(format!("{case}: {f}"));
        }
        let docs = goyaml::load_all(stdout, 0).unwrap_or_else(|e| panic!("{case}: {e}"));
        for doc in &docs {
            if matches!(doc.value, goyaml::NodeValue::Null) {
                continue;
            }
            objects += 1;
            if let goyaml::NodeValue::Map(m) = &doc.value
                && let Some((_, k)) = m.iter().find(|(k, _)| k.name == "kind")
                && let goyaml::NodeValue::String(k) = &k.value
            {
                kinds.insert(k.clone());
            }
            for f in set.validate(doc) {
                if f.severity == Severity::Error {
                    problems.push(format!("{case}: {f} ({})", f.pointer));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} findings:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(objects > 100, "only {objects} objects");
    assert!(
        kinds.contains("ServiceMonitor"),
        "custom resources are covered: {kinds:?}"
    );
    eprintln!(
        "{objects} objects of {} kinds validated: {kinds:?}",
        kinds.len()
    );
}
