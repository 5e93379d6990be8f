//! The input: rendered objects and the release they belong to.

use crate::yaml::{path, str_of};

/// One rendered Kubernetes object.
#[derive(Clone, Debug)]
pub struct Object {
    /// `apiVersion`, empty if missing.
    pub api_version: String,
    /// `kind`, empty if missing.
    pub kind: String,
    /// `metadata.name`, empty if missing.
    pub name: String,
    /// `metadata.namespace`, or the release namespace when the object does not set one.
    pub namespace: String,
    /// The parsed document.
    pub node: goyaml::Node,
    /// The template that produced it (`js-service-base/templates/deployment.yaml`), or empty.
    pub source: String,
    /// The `helm.sh/hook` events (`pre-install`, `test`, ...); empty if it is not a hook.
    pub hook: Vec<String>,
}

impl Object {
    /// Builds an object from a parsed document: reads `apiVersion`, `kind`, `metadata.name`,
    /// `metadata.namespace` (else `release_namespace`) and the `helm.sh/hook` annotation.
    pub fn from_node(node: goyaml::Node, release_namespace: &str, source: &str) -> Object {
        let text = |keys: &[&str]| path(&node, keys).and_then(str_of).unwrap_or("").to_string();
        let namespace = match path(&node, &["metadata", "namespace"]).and_then(str_of) {
            Some(ns) if !ns.is_empty() => ns.to_string(),
            _ => release_namespace.to_string(),
        };
        let hook = path(&node, &["metadata", "annotations", "helm.sh/hook"])
            .and_then(str_of)
            .map(|h| {
                h.split(',')
                    .map(|e| e.trim().to_string())
                    .filter(|e| !e.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        Object {
            api_version: text(&["apiVersion"]),
            kind: text(&["kind"]),
            name: text(&["metadata", "name"]),
            namespace,
            hook,
            source: source.to_string(),
            node,
        }
    }

    /// Splits `helm template` output into objects: every non-empty document, its source from
    /// the `# Source: <path>` comment before it, its namespace defaulting to
    /// `release_namespace`. Node positions are lines of `text` (file id 0).
    pub fn from_manifest(
        text: &str,
        release_namespace: &str,
    ) -> Result<Vec<Object>, goyaml::Error> {
        let mut sources: Vec<(u32, &str)> = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if let Some(src) = line.strip_prefix("# Source: ") {
                sources.push((i as u32 + 1, src.trim()));
            }
        }
        let docs = goyaml::load_all(text, 0)?;
        Ok(docs
            .into_iter()
            .filter(|d| matches!(d.value, goyaml::NodeValue::Map(ref m) if !m.is_empty()))
            .map(|d| {
                let line = d.pos.line;
                let source = sources
                    .iter()
                    .rev()
                    .find(|(l, _)| *l < line)
                    .map_or("", |(_, s)| *s);
                Object::from_node(d, release_namespace, source)
            })
            .collect())
    }

    /// Whether the object is a Helm test hook (`test`, or Helm 2's `test-success` /
    /// `test-failure`).
    pub fn is_test_hook(&self) -> bool {
        self.hook
            .iter()
            .any(|h| h == "test" || h == "test-success" || h == "test-failure")
    }
}

/// One rendered release: what the rules see.
#[derive(Clone, Copy, Debug)]
pub struct Release<'a> {
    /// Every rendered object, in output order; findings refer to them by index.
    pub objects: &'a [Object],
    /// The release namespace (`-n`).
    pub namespace: &'a str,
    /// The target Kubernetes minor version (`29` for 1.29): gates version-dependent checks.
    pub kube_minor: u32,
}
