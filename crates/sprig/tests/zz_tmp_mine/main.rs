//! Sprig's integration tests, in one binary: one module per topic, plus shared helpers.

use std::sync::OnceLock;

use gotmpl::{FuncMap, GoVersion, List, Map, MissingKey, Options, TemplateSet, Value};

/// `sprig::funcs()`, built once.
pub fn all_funcs() -> &'static FuncMap {
    static FUNCS: OnceLock<FuncMap> = OnceLock::new();
    FUNCS.get_or_init(sprig::funcs)
}

/// JSON data as Helm hands it to templates: every number a float64, `null` a nil interface.
pub fn json_to_value(j: &serde_json::Value) -> Value {
    match j {
        serde_json::Value::Null => Value::Nil,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => Value::Float(n.as_f64().expect("finite")),
        serde_json::Value::String(s) => Value::String(s.as_str().into()),
        serde_json::Value::Array(a) => {
            Value::List(List::new(a.iter().map(json_to_value).collect()))
        }
        serde_json::Value::Object(o) => {
            let m = Map::new();
            for (k, v) in o {
                m.insert(k.clone(), json_to_value(v));
            }
            Value::Map(m)
        }
    }
}

/// A template set named `gotpl` with every Sprig function, executing like Helm built with the
/// given Go version (`missingkey=zero`).
pub fn sprig_set(go_version: GoVersion) -> TemplateSet {
    let mut set = TemplateSet::new("gotpl");
    set.add_funcs(all_funcs().clone());
    set.set_options(Options {
        missing_key: MissingKey::Zero,
        go_version,
        ..Options::default()
    });
    set
}

/// Parses and executes `text` with `data` in a Go 1.25 (Helm 4) set: the output, or the error
/// text.
pub fn render(text: &str, data: Value) -> Result<String, String> {
    let mut set = sprig_set(GoVersion::Go1_25);
    set.parse("t", text).map_err(|e| e.to_string())?;
    set.execute("t", data).map_err(|e| e.to_string())
}
mod core;
