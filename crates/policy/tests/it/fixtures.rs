//! Every rule's fixtures under `fixtures/policy/<RULE>/` (format in its README).

use std::collections::BTreeSet;
use std::path::Path;

use policy::{Settings, rules};

fn workspace() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

struct Header {
    namespace: String,
    kube: u32,
    settings: Settings,
    expect: BTreeSet<(String, usize, String)>,
}

fn header(text: &str, file: &str) -> Header {
    let mut h = Header {
        namespace: "dev-center".into(),
        kube: 29,
        settings: Settings::default(),
        expect: BTreeSet::new(),
    };
    for line in text.lines().take_while(|l| l.starts_with('#')) {
        let line = line.trim_start_matches('#').trim();
        if let Some(ns) = line.strip_prefix("namespace:") {
            h.namespace = ns.trim().into();
        } else if let Some(k) = line.strip_prefix("kube:") {
            h.kube = k.trim().parse().expect("kube minor");
        } else if let Some(s) = line.strip_prefix("settings:") {
            let node = goyaml::load(s.trim(), 0).expect("settings yaml");
            h.settings = Settings::from_rules_node(&node).unwrap_or_else(|e| panic!("{file}: {e}"));
        } else if let Some(e) = line.strip_prefix("expect:") {
            let parts: Vec<&str> = e.split_whitespace().collect();
            assert_eq!(parts.len(), 3, "{file}: bad expect line {line:?}");
            h.expect
                .insert((parts[0].into(), parts[1].parse().unwrap(), parts[2].into()));
        }
    }
    h
}

#[test]
fn every_rule_fixture_yields_exactly_its_expected_findings() {
    let root = workspace().join("fixtures/policy");
    let mut failures = Vec::new();
    let mut checked = 0;
    for doc in rules() {
        if doc.id.starts_with("CK-META-9") {
            continue; // the suppression tests cover these
        }
        let dir = root.join(doc.id);
        let mut entries: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|_| panic!("no fixtures for {}", doc.id))
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
            .collect();
        entries.sort();
        let (mut fires, mut passes) = (0, 0);
        for path in entries {
            let file = path.strip_prefix(&root).unwrap().display().to_string();
            let text = std::fs::read_to_string(&path).unwrap();
            let h = header(&text, &file);
            let (_, findings) = super::run(&text, &h.namespace, h.kube, &h.settings);
            let got: BTreeSet<(String, usize, String)> = findings
                .iter()
                .filter(|f| f.rule == doc.id || f.rule.starts_with(&format!("{}.", doc.id)))
                .map(|f| (f.rule.to_string(), f.object, f.pointer.clone()))
                .collect();
            if h.expect.is_empty() {
                passes += 1;
            } else {
                fires += 1;
            }
            if got != h.expect {
                failures.push(format!(
                    "{file}:\n  missing: {:?}\n  unexpected: {:?}",
                    h.expect.difference(&got).collect::<Vec<_>>(),
                    got.difference(&h.expect).collect::<Vec<_>>()
                ));
            }
            checked += 1;
        }
        assert!(
            fires >= 1 && passes >= 1,
            "{}: needs a firing and a passing fixture",
            doc.id
        );
    }
    assert!(checked >= 70, "only {checked} fixtures");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_clean_release_has_no_finding_at_all() {
    let text = std::fs::read_to_string(workspace().join("fixtures/policy/clean.yaml")).unwrap();
    let (objects, findings) = super::run(&text, "dev-center", 29, &Settings::default());
    assert!(objects.len() >= 8, "{} objects", objects.len());
    let shown: Vec<String> = findings
        .iter()
        .map(|f| format!("{} {} {} {}", f.rule, f.object, f.pointer, f.message))
        .collect();
    assert!(shown.is_empty(), "{}", shown.join("\n"));
}
