//! YAML as Helm loads it (through [`goyaml`]), into template values.

use gotmpl::{List, Map, Value};

use crate::Flavor;

/// A decoded YAML value as a template value: numbers float64, maps and lists shared handles.
pub fn yaml_to_value(y: &goyaml::Yaml) -> Value {
    match y {
        goyaml::Yaml::Null => Value::Nil,
        goyaml::Yaml::Bool(b) => Value::Bool(*b),
        goyaml::Yaml::Int(i) => Value::Int64(*i),
        goyaml::Yaml::Float(f) => Value::Float(*f),
        goyaml::Yaml::String(s) => Value::from(s.as_str()),
        goyaml::Yaml::Seq(items) => {
            Value::List(List::new(items.iter().map(yaml_to_value).collect()))
        }
        goyaml::Yaml::Map(entries) => {
            let m = Map::new();
            for (k, v) in entries {
                m.insert(k.clone(), yaml_to_value(v));
            }
            Value::Map(m)
        }
    }
}

/// The Go type name JSON decoding reports for a top-level value that is not an object.
fn json_kind(y: &goyaml::Yaml) -> &'static str {
    match y {
        goyaml::Yaml::Seq(_) => "array",
        goyaml::Yaml::String(_) => "string",
        goyaml::Yaml::Bool(_) => "bool",
        _ => "number",
    }
}

fn doc_to_map(y: goyaml::Yaml) -> Result<Map, String> {
    match y {
        goyaml::Yaml::Null => Ok(Map::new()),
        goyaml::Yaml::Map(_) => match yaml_to_value(&y) {
            Value::Map(m) => Ok(m),
            _ => unreachable!("a map converts to a map"),
        },
        other => Err(format!(
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
            json_kind(&other)
        )),
    }
}

/// Loads a YAML mapping (Chart.yaml, requirements.yaml): the first document; empty is `{}`.
pub fn load_map(text: &str, _file: &str, _flavor: Flavor) -> Result<Map, String> {
    let node = goyaml::load(text, 0).map_err(|e| e.helm_message())?;
    doc_to_map(node.to_yaml())
}

/// Loads a values file as Helm does: Helm 3 reads the first document, Helm 4 every document,
/// merged in order. The error is Helm's text after `cannot load values.yaml: ` / `failed to
/// parse FILE: `.
pub fn load_values(text: &str, flavor: Flavor) -> Result<Map, String> {
    match flavor {
        Flavor::Helm3 => load_map(text, "", flavor),
        Flavor::Helm4 => {
            let docs = goyaml::load_all(text, 0)
                .map_err(|e| format!("cannot unmarshal yaml document: {}", e.helm_message()))?;
            let mut out = Map::new();
            for d in docs {
                let m = doc_to_map(d.to_yaml())
                    .map_err(|e| format!("cannot unmarshal yaml document: {e}"))?;
                out = crate::values::merge_maps(&out, &m);
            }
            Ok(out)
        }
    }
}

/// A template value as YAML for encoding, as Helm's JSON round trip sees it.
pub fn value_to_yaml(v: &Value) -> goyaml::Yaml {
    match v {
        Value::Missing | Value::Nil => goyaml::Yaml::Null,
        Value::Bool(b) => goyaml::Yaml::Bool(*b),
        Value::Int(i) | Value::Int64(i) => goyaml::Yaml::Int(*i),
        Value::Uint8(u) => goyaml::Yaml::Int(i64::from(*u)),
        Value::Float(f) => goyaml::Yaml::Float(*f),
        Value::Complex(..) | Value::Func(_) => goyaml::Yaml::Null,
        Value::String(s) => goyaml::Yaml::String(s.to_string()),
        Value::Bytes(b) => {
            use base64::Engine as _;
            goyaml::Yaml::String(base64::engine::general_purpose::STANDARD.encode(b))
        }
        Value::List(l) => goyaml::Yaml::Seq(l.iter().map(value_to_yaml).collect()),
        Value::Map(m) => goyaml::Yaml::Map(
            m.entries()
                .iter()
                .map(|(k, v)| (k.clone(), value_to_yaml(v)))
                .collect(),
        ),
        Value::Object(o) => match o.json_value() {
            Some(j) => value_to_yaml(&j),
            None => goyaml::Yaml::Map(Vec::new()),
        },
    }
}

/// Helm's `toYaml`: the YAML text without its last newline, or `""` on error.
pub fn to_yaml(v: &Value) -> String {
    match goyaml::to_yaml(&value_to_yaml(v)) {
        Ok(mut s) => {
            if s.ends_with('\n') {
                s.pop();
            }
            s
        }
        Err(_) => String::new(),
    }
}
