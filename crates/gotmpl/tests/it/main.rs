//! The engine's integration tests, in one binary.

mod engine_cases;
mod fuzz;
mod units;

use gotmpl::{List, Map, Value};

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
