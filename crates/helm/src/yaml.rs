//! YAML as Helm loads it (through [`goyaml`]), into template values; the conversions themselves
//! are Sprig's (`sprig::serialize`), shared with `fromYaml`/`toYaml`.

use gotmpl::{Map, Value};

use crate::Flavor;

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
        goyaml::Yaml::Map(_) => match sprig::serialize::yaml_to_value(&y) {
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
pub fn load_map(text: &str) -> Result<Map, String> {
    let node = goyaml::load(text, 0).map_err(|e| e.helm_message())?;
    doc_to_map(node.to_yaml())
}

/// Loads a values file as Helm does: Helm 3 reads the first document, Helm 4 every document,
/// merged in order. The error is Helm's text after `cannot load values.yaml: ` / `failed to
/// parse FILE: `.
pub fn load_values(text: &str, flavor: Flavor) -> Result<Map, String> {
    match flavor {
        Flavor::Helm3 => load_map(text),
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

/// Helm's `toYaml`: the YAML text without its last newline, or `""` on error.
pub fn to_yaml(v: &Value) -> String {
    sprig::serialize::to_yaml(v).unwrap_or_default()
}
