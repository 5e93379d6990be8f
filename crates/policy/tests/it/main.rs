//! The policy crate's integration tests: per-rule fixtures, suppressions, settings, rule
//! documentation and the chart library.

mod docs;
mod fixtures;
mod library;
mod settings;
mod suppress;

use policy::{Finding, Object, Release, Settings, check};

/// Parses a multi-document release and runs the rules.
pub fn run(
    text: &str,
    namespace: &str,
    kube_minor: u32,
    settings: &Settings,
) -> (Vec<Object>, Vec<Finding>) {
    let objects = Object::from_manifest(text, namespace).expect("fixture parses");
    let release = Release {
        objects: &objects,
        namespace,
        kube_minor,
    };
    let findings = check(&release, settings);
    (objects, findings)
}
