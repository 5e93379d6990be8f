//! CustomResourceDefinition manifests → strict schemas, one per served version.
//!
//! The same conversion serves `cargo xtask schemas` (the bundled CRDs under `schemas/crds/`)
//! and [`crate::SchemaSet::add_crd`] (the user's CRDs at run time). For every served version of
//! an `apiextensions.k8s.io/v1` CRD, its `openAPIV3Schema` becomes a schema in the vocabulary
//! the validator compiles:
//!
//! * the `description` keyword is removed (a property *named* `description` stays);
//! * structural nodes become strict: an object node without `additionalProperties` and without
//!   `x-kubernetes-preserve-unknown-fields: true` gets `additionalProperties: false` (the API
//!   server prunes such fields; chartkit reports them, as `kubectl --validate=strict` does);
//! * structural types also accept `null` (the API server prunes nulls before validation);
//! * the root's `apiVersion` and `kind` are strings and its `metadata` is a `$ref` to
//!   Kubernetes' `ObjectMeta` (resolved against the target version's definitions);
//!   `x-kubernetes-embedded-resource` nodes get the same three properties;
//! * value validations under `allOf`/`anyOf`/`oneOf`/`not` are kept as written (not made strict).

use serde_json::{Map, Value};

use crate::Error;

/// The definition name of Kubernetes' `ObjectMeta` in the bundled definitions.
pub const OBJECT_META: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

/// The schema of one served version of a custom resource.
#[derive(Clone, Debug, PartialEq)]
pub struct CrdSchema {
    /// The API group (`monitoring.coreos.com`).
    pub group: String,
    /// The version (`v1`).
    pub version: String,
    /// The kind (`ServiceMonitor`).
    pub kind: String,
    /// The CRD's `metadata.name` (`servicemonitors.monitoring.coreos.com`).
    pub crd_name: String,
    /// The converted, strict schema.
    pub schema: Value,
}

impl CrdSchema {
    /// `group/version`.
    pub fn api_version(&self) -> String {
        format!("{}/{}", self.group, self.version)
    }
}

/// Converts every CustomResourceDefinition in the YAML stream `text` (documents of other kinds
/// and empty documents are skipped) into one [`CrdSchema`] per served version, in document
/// order. `file` names the text in errors (`file:line:col: message`).
pub fn crd_schemas(text: &str, file: &str) -> Result<Vec<CrdSchema>, Error> {
    let docs = goyaml::load_all(text, 0).map_err(|e| {
        let (line, column) = e.pos.map_or((0, 0), |p| (p.line, p.column));
        Error::at(file, line, column, e.to_string())
    })?;
    let mut out = Vec::new();
    for doc in &docs {
        let goyaml::NodeValue::Map(entries) = &doc.value else {
            if matches!(doc.value, goyaml::NodeValue::Null) {
                continue;
            }
            return Err(Error::at(
                file,
                doc.pos.line,
                doc.pos.column,
                "expected a Kubernetes object (a mapping)",
            ));
        };
        let get = |k: &str| entries.iter().find(|(key, _)| key.name == k).map(|e| &e.1);
        let kind = get("kind").and_then(str_of);
        if kind != Some("CustomResourceDefinition") {
            continue;
        }
        let api_version = get("apiVersion").and_then(str_of).unwrap_or("");
        if api_version != "apiextensions.k8s.io/v1" {
            return Err(Error::at(
                file,
                doc.pos.line,
                doc.pos.column,
                format!(
                    "CustomResourceDefinition has apiVersion {api_version:?}: only \
                     apiextensions.k8s.io/v1 is supported"
                ),
            ));
        }
        out.extend(convert_crd(doc, file)?);
    }
    Ok(out)
}

fn str_of(n: &goyaml::Node) -> Option<&str> {
    match &n.value {
        goyaml::NodeValue::String(s) => Some(s),
        _ => None,
    }
}

fn child<'a>(n: &'a goyaml::Node, key: &str) -> Option<&'a goyaml::Node> {
    match &n.value {
        goyaml::NodeValue::Map(entries) => {
            entries.iter().find(|(k, _)| k.name == key).map(|e| &e.1)
        }
        _ => None,
    }
}

fn require<'a>(n: &'a goyaml::Node, path: &str, file: &str) -> Result<&'a goyaml::Node, Error> {
    let mut cur = n;
    for key in path.split('.') {
        cur = child(cur, key).ok_or_else(|| {
            Error::at(
                file,
                cur.pos.line,
                cur.pos.column,
                format!("CustomResourceDefinition: missing {path}"),
            )
        })?;
    }
    Ok(cur)
}

fn require_str<'a>(n: &'a goyaml::Node, path: &str, file: &str) -> Result<&'a str, Error> {
    let v = require(n, path, file)?;
    str_of(v).ok_or_else(|| {
        Error::at(
            file,
            v.pos.line,
            v.pos.column,
            format!("CustomResourceDefinition: {path} must be a string"),
        )
    })
}

fn convert_crd(doc: &goyaml::Node, file: &str) -> Result<Vec<CrdSchema>, Error> {
    let crd_name = require_str(doc, "metadata.name", file)?.to_string();
    let group = require_str(doc, "spec.group", file)?.to_string();
    let kind = require_str(doc, "spec.names.kind", file)?.to_string();
    let versions = require(doc, "spec.versions", file)?;
    let goyaml::NodeValue::Seq(versions) = &versions.value else {
        return Err(Error::at(
            file,
            versions.pos.line,
            versions.pos.column,
            "CustomResourceDefinition: spec.versions must be a list",
        ));
    };
    let mut out = Vec::new();
    for v in versions {
        let name = require_str(v, "name", file)?;
        let served = child(v, "served").is_none_or(|s| s.value == goyaml::NodeValue::Bool(true));
        if !served {
            continue;
        }
        let raw = require(v, "schema.openAPIV3Schema", file)?;
        let json = to_json(raw);
        let schema = convert_root(&json).map_err(|m| {
            Error::at(
                file,
                raw.pos.line,
                raw.pos.column,
                format!("CustomResourceDefinition {crd_name} version {name}: {m}"),
            )
        })?;
        out.push(CrdSchema {
            group: group.clone(),
            version: name.to_string(),
            kind: kind.clone(),
            crd_name: crd_name.clone(),
            schema,
        });
    }
    Ok(out)
}

/// A YAML node as JSON (integral numbers become integers).
pub(crate) fn to_json(n: &goyaml::Node) -> Value {
    goyaml::with_stack(|| match &n.value {
        goyaml::NodeValue::Null => Value::Null,
        goyaml::NodeValue::Bool(b) => Value::Bool(*b),
        goyaml::NodeValue::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 9.0e15 {
                Value::from(*f as i64)
            } else {
                serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number)
            }
        }
        goyaml::NodeValue::String(s) => Value::String(s.clone()),
        goyaml::NodeValue::Seq(items) => Value::Array(items.iter().map(to_json).collect()),
        goyaml::NodeValue::Map(entries) => Value::Object(
            entries
                .iter()
                .map(|(k, v)| (k.name.clone(), to_json(v)))
                .collect(),
        ),
    })
}

fn convert_root(raw: &Value) -> Result<Value, String> {
    if !raw.is_object() {
        return Err("openAPIV3Schema must be a mapping".into());
    }
    let mut root = convert(raw, true)?;
    let obj = root.as_object_mut().expect("converted an object");
    add_object_header(obj, true);
    Ok(root)
}

/// Adds `apiVersion`, `kind` (strings) and `metadata` (ObjectMeta) to an object schema's
/// properties; `force`: replace what the CRD says about them (the root).
fn add_object_header(obj: &mut Map<String, Value>, force: bool) {
    let props = obj
        .entry("properties")
        .or_insert_with(|| Value::Object(Map::new()));
    let Some(props) = props.as_object_mut() else {
        return;
    };
    let string = || serde_json::json!({"type": ["string", "null"]});
    for (name, schema) in [
        ("apiVersion", string()),
        ("kind", string()),
        ("metadata", serde_json::json!({"$ref": OBJECT_META})),
    ] {
        if force || !props.contains_key(name) {
            props.insert(name.to_string(), schema);
        }
    }
    if !obj.contains_key("type") {
        obj.insert("type".into(), serde_json::json!(["object", "null"]));
    }
}

/// Converts one schema node; `structural`: the node is part of the structural schema (not a
/// value validation under `allOf`/`anyOf`/`oneOf`/`not`).
fn convert(raw: &Value, structural: bool) -> Result<Value, String> {
    goyaml::with_stack(|| {
        let Some(src) = raw.as_object() else {
            return match raw {
                Value::Bool(_) => Ok(raw.clone()),
                _ => Err(format!("a schema must be a mapping, got {raw}")),
            };
        };
        let mut out = Map::new();
        for (key, value) in src {
            let converted = match key.as_str() {
                "description" => continue,
                "properties" | "patternProperties" | "definitions" => {
                    let Some(props) = value.as_object() else {
                        return Err(format!("{key} must be a mapping"));
                    };
                    let mut m = Map::new();
                    for (name, s) in props {
                        m.insert(name.clone(), convert(s, structural)?);
                    }
                    Value::Object(m)
                }
                "additionalProperties" | "items" => convert(value, structural)?,
                "not" => convert(value, false)?,
                "allOf" | "anyOf" | "oneOf" => {
                    let Some(list) = value.as_array() else {
                        return Err(format!("{key} must be a list"));
                    };
                    Value::Array(
                        list.iter()
                            .map(|s| convert(s, false))
                            .collect::<Result<_, _>>()?,
                    )
                }
                "type" if structural => match value.as_str() {
                    Some(t) => serde_json::json!([t, "null"]),
                    None => value.clone(),
                },
                _ => value.clone(),
            };
            out.insert(key.clone(), converted);
        }
        if structural {
            let is_object = src.get("type").and_then(Value::as_str) == Some("object")
                || src.contains_key("properties");
            let preserve =
                src.get("x-kubernetes-preserve-unknown-fields") == Some(&Value::Bool(true));
            if src.get("x-kubernetes-embedded-resource") == Some(&Value::Bool(true)) {
                add_object_header(&mut out, false);
            }
            if is_object && !preserve && !src.contains_key("additionalProperties") {
                out.insert("additionalProperties".into(), Value::Bool(false));
            }
        }
        Ok(Value::Object(out))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const CRD: &str = r#"
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        description: A widget.
        properties:
          spec:
            type: object
            required: [size]
            properties:
              size: {type: integer, description: how big}
              description: {type: string}
              extra: {type: object, x-kubernetes-preserve-unknown-fields: true}
              port: {x-kubernetes-int-or-string: true, anyOf: [{type: integer}, {type: string}]}
            oneOf:
            - required: [size]
              properties: {size: {minimum: 1}}
  - name: v0
    served: false
    storage: false
    schema:
      openAPIV3Schema: {type: object}
"#;

    #[test]
    fn converts_served_versions_strictly() {
        let out = crd_schemas(CRD, "w.yaml").unwrap();
        assert_eq!(out.len(), 1, "the unserved version is skipped");
        let s = &out[0];
        assert_eq!(
            (s.api_version().as_str(), s.kind.as_str()),
            ("example.com/v1", "Widget")
        );
        let spec = &s.schema["properties"]["spec"];
        assert_eq!(spec["additionalProperties"], Value::Bool(false));
        assert_eq!(spec["type"], serde_json::json!(["object", "null"]));
        // the keyword is removed, the property named description stays
        assert!(s.schema.get("description").is_none());
        assert!(spec["properties"]["size"].get("description").is_none());
        assert_eq!(
            spec["properties"]["description"]["type"],
            serde_json::json!(["string", "null"])
        );
        assert!(
            spec["properties"]["extra"]
                .get("additionalProperties")
                .is_none()
        );
        // value validations are not made strict
        assert!(spec["oneOf"][0].get("additionalProperties").is_none());
        assert_eq!(s.schema["properties"]["metadata"]["$ref"], OBJECT_META);
        assert_eq!(s.schema["additionalProperties"], Value::Bool(false));
    }

    #[test]
    fn errors_carry_positions() {
        let e = crd_schemas("kind: CustomResourceDefinition\napiVersion: apiextensions.k8s.io/v1\nmetadata: {name: x}\n", "c.yaml").unwrap_err();
        assert_eq!(
            e.to_string(),
            "c.yaml:1:1: CustomResourceDefinition: missing spec.group"
        );
        let e = crd_schemas("a: [", "bad.yaml").unwrap_err();
        assert!(e.to_string().starts_with("bad.yaml:"), "{e}");
        let e = crd_schemas(
            "apiVersion: apiextensions.k8s.io/v1beta1\nkind: CustomResourceDefinition\n",
            "old.yaml",
        )
        .unwrap_err();
        assert!(e.message.contains("only apiextensions.k8s.io/v1"), "{e}");
    }

    #[test]
    fn skips_other_documents() {
        let out = crd_schemas(
            "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\n",
            "n.yaml",
        )
        .unwrap();
        assert!(out.is_empty());
    }
}
