//! The schema bundles: their format, how `cargo xtask schemas` builds them, and the embedded
//! copies.
//!
//! A bundle is one gzip-compressed JSON document:
//!
//! ```json
//! {"source": "...", "kinds": {"apps/v1 Deployment": "io.k8s.api.apps.v1.Deployment", ...},
//!  "definitions": {"io.k8s.api.apps.v1.Deployment": {...schema...}, ...}}
//! ```
//!
//! `kinds` maps `"<apiVersion> <kind>"` to a definition name; a `$ref` holds a bare definition
//! name (resolved in the bundle itself, then in the Kubernetes definitions of the target
//! version). `schemas/kubernetes/v1.NN.json.gz` holds one Kubernetes minor version;
//! `schemas/crds/<crd name>.json.gz` one CustomResourceDefinition (every served version).

use std::collections::HashMap;
use std::io::{Read, Write};
use std::sync::{Arc, OnceLock};

use serde_json::{Map, Value};

use crate::Error;

/// The Kubernetes minor versions bundled (`1.29` to `1.35`).
pub const KUBE_MINORS: std::ops::RangeInclusive<u32> = 29..=35;

/// A decoded bundle.
#[derive(Debug, Default)]
pub struct Bundle {
    /// `"<apiVersion> <kind>"` → definition name.
    pub kinds: HashMap<String, String>,
    /// Definition name → schema.
    pub definitions: Map<String, Value>,
}

impl Bundle {
    /// Decodes a bundle from its gzip-compressed JSON.
    pub fn decode(gz: &[u8]) -> Result<Bundle, Error> {
        let mut text = Vec::new();
        flate2::read::GzDecoder::new(gz)
            .read_to_end(&mut text)
            .map_err(|e| Error::new(format!("corrupt schema bundle: {e}")))?;
        let v: Value = serde_json::from_slice(&text)
            .map_err(|e| Error::new(format!("corrupt schema bundle: {e}")))?;
        let Value::Object(mut top) = v else {
            return Err(Error::new("corrupt schema bundle: not an object"));
        };
        let kinds = match top.remove("kinds") {
            Some(Value::Object(m)) => m
                .into_iter()
                .filter_map(|(k, v)| v.as_str().map(|s| (k, s.to_string())))
                .collect(),
            _ => HashMap::new(),
        };
        let definitions = match top.remove("definitions") {
            Some(Value::Object(m)) => m,
            _ => Map::new(),
        };
        Ok(Bundle { kinds, definitions })
    }
}

/// The key of a kind in [`Bundle::kinds`].
pub fn kind_key(api_version: &str, kind: &str) -> String {
    format!("{api_version} {kind}")
}

/// Builds a bundle's JSON: `kinds` and `definitions` are written sorted by key.
pub fn bundle_json(
    source: &str,
    kinds: &[(String, String)],
    definitions: &Map<String, Value>,
) -> Value {
    let mut k: Vec<_> = kinds.to_vec();
    k.sort();
    k.dedup();
    let mut names: Vec<&String> = definitions.keys().collect();
    names.sort();
    let mut defs = Map::new();
    for n in names {
        defs.insert(n.clone(), definitions[n].clone());
    }
    let mut top = Map::new();
    top.insert("source".into(), Value::String(source.into()));
    top.insert(
        "kinds".into(),
        Value::Object(k.into_iter().map(|(a, b)| (a, Value::String(b))).collect()),
    );
    top.insert("definitions".into(), Value::Object(defs));
    Value::Object(top)
}

/// Builds the bundle of one Kubernetes version from the `kubernetes-validate` package's
/// strict schema directory: `definitions` is the text of its `_definitions.json`, `files` the
/// names of the files beside it. A kind is indexed when its definition names it in
/// `x-kubernetes-group-version-kind` and the package has its per-kind file
/// (`<kind>-<group prefix>-<version>.json`), so chartkit knows exactly the kinds the package
/// validates. Descriptions are stripped ([`strip_descriptions`]).
pub fn kubernetes_bundle_json(
    source: &str,
    definitions: &str,
    files: &[String],
) -> Result<Value, Error> {
    let v: Value = serde_json::from_str(definitions)
        .map_err(|e| Error::new(format!("_definitions.json: {e}")))?;
    let Some(Value::Object(defs)) = v.get("$defs") else {
        return Err(Error::new("_definitions.json: no $defs"));
    };
    let files: std::collections::HashSet<&str> = files.iter().map(String::as_str).collect();
    let mut kinds = Vec::new();
    let mut out = Map::new();
    for (name, schema) in defs {
        for gvk in schema
            .get("x-kubernetes-group-version-kind")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let field = |k: &str| gvk.get(k).and_then(Value::as_str).unwrap_or("");
            let (group, version, kind) = (field("group"), field("version"), field("kind"));
            let prefix = group.split('.').next().unwrap_or("");
            let file = if group.is_empty() {
                format!("{}-{version}.json", kind.to_lowercase())
            } else {
                format!("{}-{prefix}-{version}.json", kind.to_lowercase())
            };
            if files.contains(file.as_str()) {
                let api_version = if group.is_empty() {
                    version.to_string()
                } else {
                    format!("{group}/{version}")
                };
                kinds.push((kind_key(&api_version, kind), name.clone()));
            }
        }
        let mut s = schema.clone();
        strip_descriptions(&mut s);
        out.insert(name.clone(), s);
    }
    Ok(bundle_json(source, &kinds, &out))
}

/// Builds the bundle of one CRD's converted schemas ([`crate::crd::crd_schemas`]), all with
/// the same CRD name: each version's definition is named `"<apiVersion> <kind>"`.
pub fn crd_bundle_json(source: &str, schemas: &[crate::crd::CrdSchema]) -> Value {
    let mut kinds = Vec::new();
    let mut defs = Map::new();
    for s in schemas {
        let key = kind_key(&s.api_version(), &s.kind);
        kinds.push((key.clone(), key.clone()));
        defs.insert(key, s.schema.clone());
    }
    bundle_json(source, &kinds, &defs)
}

/// Compact JSON, gzip-compressed at the best level with a zero timestamp: the same input
/// always gives the same bytes.
pub fn compress(v: &Value) -> Vec<u8> {
    let text = serde_json::to_vec(v).expect("JSON values serialize");
    let mut enc = flate2::GzBuilder::new()
        .mtime(0)
        .operating_system(255)
        .write(Vec::new(), flate2::Compression::best());
    enc.write_all(&text).expect("writing to memory");
    enc.finish().expect("writing to memory")
}

/// Removes the `description` keyword from a JSON schema, everywhere a schema can sit
/// (`properties` values, `items`, `additionalProperties`, `allOf`/`anyOf`/`oneOf`/`not`,
/// `$defs`/`definitions`), never a property *named* `description` nor data such as `enum`,
/// `default` or `example`. Also rewrites `"#/$defs/NAME"` and
/// `"/api/_definitions.json#/$defs/NAME"` references to the bare `NAME`.
pub fn strip_descriptions(schema: &mut Value) {
    goyaml::with_stack(|| {
        let Some(obj) = schema.as_object_mut() else {
            return;
        };
        obj.remove("description");
        for (key, value) in obj.iter_mut() {
            match key.as_str() {
                "properties" | "patternProperties" | "$defs" | "definitions" => {
                    if let Some(m) = value.as_object_mut() {
                        for s in m.values_mut() {
                            strip_descriptions(s);
                        }
                    }
                }
                "items" | "additionalProperties" | "not" => strip_descriptions(value),
                "allOf" | "anyOf" | "oneOf" => {
                    if let Some(list) = value.as_array_mut() {
                        for s in list {
                            strip_descriptions(s);
                        }
                    }
                }
                "$ref" => {
                    if let Some(r) = value.as_str()
                        && let Some((_, name)) = r.rsplit_once("#/$defs/")
                    {
                        *value = Value::String(name.to_string());
                    }
                }
                _ => {}
            }
        }
    })
}

macro_rules! kube {
    ($($minor:literal),*) => {
        &[$(($minor, include_bytes!(concat!("../../../schemas/kubernetes/v1.", stringify!($minor), ".json.gz")))),*]
    };
}

/// The embedded Kubernetes bundles, by minor version.
pub static KUBERNETES: &[(u32, &[u8])] = kube!(29, 30, 31, 32, 33, 34, 35);

macro_rules! crds {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!("../../../schemas/crds/", $name, ".json.gz")))),*]
    };
}

/// The embedded CRD bundles, by CRD name (`schemas/crds/<name>.json.gz`).
pub static CRDS: &[(&str, &[u8])] = crds!(
    "albtargetcontrolconfigs.elbv2.k8s.aws",
    "clusterexternalsecrets.external-secrets.io",
    "clustersecretstores.external-secrets.io",
    "externalsecrets.external-secrets.io",
    "globalaccelerators.aga.k8s.aws",
    "ingressclassparams.elbv2.k8s.aws",
    "podmonitors.monitoring.coreos.com",
    "probes.monitoring.coreos.com",
    "prometheuses.monitoring.coreos.com",
    "prometheusrules.monitoring.coreos.com",
    "secretstores.external-secrets.io",
    "servicemonitors.monitoring.coreos.com",
    "targetgroupbindings.elbv2.k8s.aws",
);

/// `schemas/crds/index.json`: `"<apiVersion> <kind>"` → CRD name, for every bundled CRD.
static CRD_INDEX_JSON: &str = include_str!("../../../schemas/crds/index.json");

/// The bundled CRDs' kinds: `"<apiVersion> <kind>"` → index into [`CRDS`].
pub(crate) fn crd_index() -> &'static HashMap<String, usize> {
    static INDEX: OnceLock<HashMap<String, usize>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let v: Value =
            serde_json::from_str(CRD_INDEX_JSON).expect("schemas/crds/index.json is JSON");
        let mut out = HashMap::new();
        for (key, name) in v.as_object().into_iter().flatten() {
            if let Some(i) = CRDS.iter().position(|(n, _)| Some(*n) == name.as_str()) {
                out.insert(key.clone(), i);
            }
        }
        out
    })
}

/// The decoded bundled CRD `i` of [`CRDS`] (decoded once).
pub(crate) fn crd_bundle(i: usize) -> Arc<Bundle> {
    static CACHE: OnceLock<Vec<OnceLock<Arc<Bundle>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| CRDS.iter().map(|_| OnceLock::new()).collect());
    cache[i]
        .get_or_init(|| Arc::new(Bundle::decode(CRDS[i].1).expect("embedded CRD bundles decode")))
        .clone()
}

/// The decoded Kubernetes bundle for `minor` (decoded once per process).
pub(crate) fn kubernetes_bundle(minor: u32) -> Option<Arc<Bundle>> {
    static CACHE: OnceLock<Vec<OnceLock<Arc<Bundle>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| KUBERNETES.iter().map(|_| OnceLock::new()).collect());
    let i = KUBERNETES.iter().position(|(m, _)| *m == minor)?;
    Some(
        cache[i]
            .get_or_init(|| {
                Arc::new(
                    Bundle::decode(KUBERNETES[i].1).expect("embedded Kubernetes bundles decode"),
                )
            })
            .clone(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_only_the_keyword() {
        let mut v = serde_json::json!({
            "description": "x",
            "properties": {"description": {"type": "string", "description": "d"},
                           "a": {"$ref": "/api/_definitions.json#/$defs/io.k8s.X"}},
            "enum": [{"description": "data"}],
            "items": {"description": "i", "type": "integer"}
        });
        strip_descriptions(&mut v);
        assert_eq!(
            v,
            serde_json::json!({
                "properties": {"description": {"type": "string"}, "a": {"$ref": "io.k8s.X"}},
                "enum": [{"description": "data"}],
                "items": {"type": "integer"}
            })
        );
    }

    #[test]
    fn compression_is_deterministic_and_round_trips() {
        let mut defs = Map::new();
        defs.insert("b".into(), serde_json::json!({"type": "string"}));
        defs.insert("a".into(), serde_json::json!({"type": "integer"}));
        let v = bundle_json("test", &[("v1 B".into(), "b".into())], &defs);
        let gz = compress(&v);
        assert_eq!(gz, compress(&v));
        let b = Bundle::decode(&gz).unwrap();
        assert_eq!(b.kinds["v1 B"], "b");
        assert_eq!(b.definitions.keys().collect::<Vec<_>>(), ["a", "b"]);
    }

    #[test]
    fn every_crd_file_is_embedded_and_indexed() {
        let index: Value = serde_json::from_str(CRD_INDEX_JSON).unwrap();
        let mut named: Vec<&str> = index
            .as_object()
            .unwrap()
            .values()
            .filter_map(Value::as_str)
            .collect();
        named.sort();
        named.dedup();
        let embedded: Vec<&str> = CRDS.iter().map(|(n, _)| *n).collect();
        assert_eq!(
            named, embedded,
            "schemas/crds/index.json and data::CRDS disagree"
        );
        assert_eq!(crd_index().len(), index.as_object().unwrap().len());
    }
}
