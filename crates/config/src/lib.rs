//! `chartkit.yaml`, chartkit's one configuration file.
//!
//! ```yaml
//! version: 1
//! defaults: { kubeVersion: "1.29", helmVersion: 4 }
//! crds: [crds/my-operator.yaml]
//! rules:                       # policy rule settings (policy::Settings::from_rules_node)
//!   CK-RES-003: { severity: error, mode: forbid }
//! externalObjects:             # objects the platform provides
//!   - { kind: PriorityClass, name: platform-high }
//! targets:
//!   - name: ts-api
//!     chart: helm-charts/js-service-base
//!     release: ts-api
//!     namespace: dev-center
//!     values: [examples/ts-api/values.yaml]
//!     overlays:
//!       - { name: dev, values: [examples/ts-api/values-dev.yaml] }
//!       - { name: prod, values: [examples/ts-api/values-prod.yaml] }
//! ```
//!
//! The format is defined by `schemas/chartkit.schema.json` (embedded here, so editors and
//! chartkit read the same definition): [`parse`] checks the text against it, then checks what a
//! schema cannot say (unique names), and reports each problem with the file, line and column of
//! the offending key. The `rules:` section is only checked to be a mapping here and kept as the
//! YAML node ([`Config::rules`]); the policy crate parses it, with errors at its keys. Later
//! sections (the platform profile) extend the schema and [`Config`].
//!
//! No IO here: the caller reads the file and resolves the paths (relative to the file's
//! directory).

use std::fmt;

use serde_json::Value as J;

/// The JSON schema of chartkit.yaml.
pub const SCHEMA: &str = include_str!("../../../schemas/chartkit.schema.json");

/// The only format version so far.
pub const VERSION: u32 = 1;

/// Kubernetes version used when neither the target nor `defaults` names one.
pub const DEFAULT_KUBE_VERSION: &str = "1.29";

/// A parsed chartkit.yaml.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// `version`.
    pub version: u32,
    /// `crds`: extra CRD manifests.
    pub crds: Vec<String>,
    /// `targets`, in file order.
    pub targets: Vec<Target>,
    /// `golden.dir`: where the golden files live ([`DEFAULT_GOLDEN_DIR`] when not given).
    pub golden_dir: String,
    /// `rules:`, the policy rule settings, as the YAML node written (positions are lines and
    /// columns of the file), for `policy::Settings::from_rules_node`; `None` when absent.
    pub rules: Option<goyaml::Node>,
    /// `externalObjects:`, objects the platform or other releases provide (references to them
    /// resolve in the policy rules).
    pub external_objects: Vec<ExternalObject>,
}

/// An object that exists outside every release of this file (`externalObjects:`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExternalObject {
    /// The kind (`Secret`, `PriorityClass`, ...).
    pub kind: String,
    /// The namespace; `None` for cluster-scoped objects (or any namespace).
    pub namespace: Option<String>,
    /// The name.
    pub name: String,
}

/// Where golden files live unless `golden.dir` says otherwise.
pub const DEFAULT_GOLDEN_DIR: &str = "fixtures/golden";

/// One target: a chart rendered with a release name, a namespace and values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// Unique name.
    pub name: String,
    /// Chart directory or archive (as written: relative to chartkit.yaml).
    pub chart: String,
    /// Release name (the target name when not given).
    pub release: String,
    /// Namespace.
    pub namespace: String,
    /// Values files, in order.
    pub values: Vec<String>,
    /// `--set` arguments.
    pub set: Vec<String>,
    /// Kubernetes version (the target's, else `defaults`', else [`DEFAULT_KUBE_VERSION`]).
    pub kube_version: String,
    /// Helm version to behave like (3 or 4; default 4).
    pub helm_version: u8,
    /// Overlays; empty means one render with the target's own values.
    pub overlays: Vec<Overlay>,
    /// Line of the target in chartkit.yaml (1-based).
    pub line: u32,
}

/// Values layered on a target for one environment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Overlay {
    /// Name, unique within the target.
    pub name: String,
    /// Values files applied after the target's.
    pub values: Vec<String>,
    /// `--set` arguments applied after the target's.
    pub set: Vec<String>,
}

/// One render that a target expands to: the target with one overlay applied (or none).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Render<'a> {
    /// `target` or `target/overlay`.
    pub id: String,
    /// The target.
    pub target: &'a Target,
    /// The overlay, if any.
    pub overlay: Option<&'a Overlay>,
    /// All values files in order: the target's, then the overlay's.
    pub values: Vec<&'a str>,
    /// All `--set` arguments in order: the target's, then the overlay's.
    pub set: Vec<&'a str>,
}

impl Config {
    /// Every render of every target, in file order.
    pub fn renders(&self) -> Vec<Render<'_>> {
        let mut out = Vec::new();
        for t in &self.targets {
            let base_values = t.values.iter().map(String::as_str);
            let base_set = t.set.iter().map(String::as_str);
            if t.overlays.is_empty() {
                out.push(Render {
                    id: t.name.clone(),
                    target: t,
                    overlay: None,
                    values: base_values.clone().collect(),
                    set: base_set.clone().collect(),
                });
            }
            for o in &t.overlays {
                out.push(Render {
                    id: format!("{}/{}", t.name, o.name),
                    target: t,
                    overlay: Some(o),
                    values: base_values
                        .clone()
                        .chain(o.values.iter().map(String::as_str))
                        .collect(),
                    set: base_set
                        .clone()
                        .chain(o.set.iter().map(String::as_str))
                        .collect(),
                });
            }
        }
        out
    }

    /// The target called `name`.
    pub fn target(&self, name: &str) -> Option<&Target> {
        self.targets.iter().find(|t| t.name == name)
    }
}

/// A problem in chartkit.yaml, at a position when one is known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// The file name as given to [`parse`].
    pub file: String,
    /// 1-based line (0 when unknown).
    pub line: u32,
    /// 1-based column (0 when unknown).
    pub column: u32,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(
                f,
                "{}:{}:{}: {}",
                self.file, self.line, self.column, self.message
            )
        } else {
            write!(f, "{}: {}", self.file, self.message)
        }
    }
}

impl std::error::Error for ConfigError {}

/// All problems found in one file (at least one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigErrors(pub Vec<ConfigError>);

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigErrors {}

/// Parses and checks chartkit.yaml. `file` names it in errors.
pub fn parse(text: &str, file: &str) -> Result<Config, ConfigErrors> {
    let err = |line: u32, column: u32, message: String| ConfigError {
        file: file.to_string(),
        line,
        column,
        message,
    };
    let node = goyaml::load(text, 0).map_err(|e| {
        let (line, column) = e.pos.map_or((0, 0), |p| (p.line, p.column));
        ConfigErrors(vec![err(line, column, e.to_string())])
    })?;
    let json = to_json(&node);
    let violations = helm::schema::violations(SCHEMA.as_bytes(), &json)
        .map_err(|e| ConfigErrors(vec![err(0, 0, format!("invalid built-in schema: {e}"))]))?;
    if !violations.is_empty() {
        let mut errors: Vec<ConfigError> = violations
            .iter()
            .flat_map(|v| {
                // An unknown key is reported where it is written, one error per key.
                if let Some(list) = v
                    .message
                    .strip_prefix("additional properties ")
                    .and_then(|m| m.strip_suffix(" not allowed"))
                {
                    return list
                        .split(", ")
                        .map(|quoted| {
                            let key = quoted.trim_matches('\'');
                            let pointer = format!(
                                "{}/{}",
                                v.pointer,
                                key.replace('~', "~0").replace('/', "~1")
                            );
                            let (line, column) = locate(&node, &pointer);
                            err(
                                line,
                                column,
                                format!("unknown key '{}'", dotted_pointer(&pointer)),
                            )
                        })
                        .collect::<Vec<_>>();
                }
                let (line, column) = locate(&node, &v.pointer);
                let at = if v.pointer.is_empty() {
                    String::new()
                } else {
                    format!("at {}: ", dotted_pointer(&v.pointer))
                };
                vec![err(line, column, format!("{at}{}", v.message))]
            })
            .collect();
        errors.dedup();
        return Err(ConfigErrors(errors));
    }
    // The schema holds: the shapes below are guaranteed.
    let get = |v: &J, k: &str| v.get(k).cloned();
    let strings = |v: Option<J>| -> Vec<String> {
        v.and_then(|v| v.as_array().cloned())
            .unwrap_or_default()
            .iter()
            .filter_map(|s| s.as_str().map(str::to_string))
            .collect()
    };
    let defaults = get(&json, "defaults").unwrap_or(J::Null);
    let default_kube = defaults
        .get("kubeVersion")
        .and_then(J::as_str)
        .unwrap_or(DEFAULT_KUBE_VERSION)
        .to_string();
    let default_helm = defaults.get("helmVersion").and_then(J::as_u64).unwrap_or(4) as u8;
    let mut errors = Vec::new();
    let mut targets: Vec<Target> = Vec::new();
    let target_values = json["targets"].as_array().cloned().unwrap_or_default();
    for (i, t) in target_values.iter().enumerate() {
        let name = t["name"].as_str().unwrap_or_default().to_string();
        let (line, _) = locate(&node, &format!("/targets/{i}"));
        if let Some(first) = targets.iter().find(|o| o.name == name) {
            let (l, c) = locate(&node, &format!("/targets/{i}/name"));
            errors.push(err(
                l,
                c,
                format!(
                    "duplicate target name {name:?} (first defined on line {})",
                    first.line
                ),
            ));
        }
        let mut overlays: Vec<Overlay> = Vec::new();
        for (j, o) in t
            .get("overlays")
            .and_then(J::as_array)
            .cloned()
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let oname = o["name"].as_str().unwrap_or_default().to_string();
            if overlays.iter().any(|p| p.name == oname) {
                let (l, c) = locate(&node, &format!("/targets/{i}/overlays/{j}/name"));
                errors.push(err(
                    l,
                    c,
                    format!("duplicate overlay name {oname:?} in target {name:?}"),
                ));
            }
            overlays.push(Overlay {
                name: oname,
                values: strings(get(o, "values")),
                set: strings(get(o, "set")),
            });
        }
        targets.push(Target {
            release: t
                .get("release")
                .and_then(J::as_str)
                .unwrap_or(&name)
                .to_string(),
            chart: t["chart"].as_str().unwrap_or_default().to_string(),
            namespace: t["namespace"].as_str().unwrap_or_default().to_string(),
            values: strings(get(t, "values")),
            set: strings(get(t, "set")),
            kube_version: t
                .get("kubeVersion")
                .and_then(J::as_str)
                .unwrap_or(&default_kube)
                .to_string(),
            helm_version: t
                .get("helmVersion")
                .and_then(J::as_u64)
                .map_or(default_helm, |v| v as u8),
            overlays,
            line,
            name,
        });
    }
    if !errors.is_empty() {
        return Err(ConfigErrors(errors));
    }
    Ok(Config {
        version: VERSION,
        crds: strings(get(&json, "crds")),
        targets,
        golden_dir: json
            .get("golden")
            .and_then(|g| g.get("dir"))
            .and_then(J::as_str)
            .unwrap_or(DEFAULT_GOLDEN_DIR)
            .to_string(),
        rules: match &node.value {
            goyaml::NodeValue::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.name == "rules")
                .map(|(_, v)| v.clone()),
            _ => None,
        },
        external_objects: json
            .get("externalObjects")
            .and_then(J::as_array)
            .cloned()
            .unwrap_or_default()
            .iter()
            .map(|o| ExternalObject {
                kind: o["kind"].as_str().unwrap_or_default().to_string(),
                namespace: o.get("namespace").and_then(J::as_str).map(str::to_string),
                name: o["name"].as_str().unwrap_or_default().to_string(),
            })
            .collect(),
    })
}

/// The YAML as the JSON the schema sees (numbers stay numbers: `version: 1` is the integer 1).
fn to_json(node: &goyaml::Node) -> J {
    match &node.value {
        goyaml::NodeValue::Null => J::Null,
        goyaml::NodeValue::Bool(b) => J::Bool(*b),
        goyaml::NodeValue::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 9.0e15 {
                J::from(*f as i64)
            } else {
                serde_json::Number::from_f64(*f).map_or(J::Null, J::Number)
            }
        }
        goyaml::NodeValue::String(s) => J::String(s.clone()),
        goyaml::NodeValue::Seq(items) => J::Array(items.iter().map(to_json).collect()),
        goyaml::NodeValue::Map(entries) => J::Object(
            entries
                .iter()
                .map(|(k, v)| (k.name.clone(), to_json(v)))
                .collect(),
        ),
    }
}

/// `/targets/0/chart` → `targets[0].chart`.
fn dotted_pointer(pointer: &str) -> String {
    let mut out = String::new();
    for seg in pointer.split('/').skip(1) {
        let seg = seg.replace("~1", "/").replace("~0", "~");
        if !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit()) {
            out.push_str(&format!("[{seg}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&seg);
        }
    }
    out
}

/// Line and column of the node at a JSON pointer: the key of a map entry, the item of a list;
/// the deepest existing node when the pointer goes further (a missing required key is reported
/// at its parent).
fn locate(node: &goyaml::Node, pointer: &str) -> (u32, u32) {
    let mut cur = node;
    let mut pos = (node.pos.line, node.pos.column);
    for seg in pointer.split('/').skip(1) {
        let seg = seg.replace("~1", "/").replace("~0", "~");
        match &cur.value {
            goyaml::NodeValue::Map(entries) => {
                let Some((k, v)) = entries.iter().find(|(k, _)| k.name == seg) else {
                    break;
                };
                pos = (k.pos.line, k.pos.column);
                cur = v;
            }
            goyaml::NodeValue::Seq(items) => {
                let Some(item) = seg.parse::<usize>().ok().and_then(|i| items.get(i)) else {
                    break;
                };
                pos = (item.pos.line, item.pos.column);
                cur = item;
            }
            _ => break,
        }
    }
    pos
}
