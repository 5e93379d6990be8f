//! The built-in objects templates see: `.Files`, `.Capabilities` (with `KubeVersion`,
//! `APIVersions`, `HelmVersion`), as host objects with Helm's methods and Go type names.

use std::collections::BTreeMap;
use std::sync::Arc;

use base64::Engine as _;
use gotmpl::{ElemType, Func, List, Map, Object, Param, Signature, Value};

use crate::Flavor;

/// A chart's files (`.Files`): path → bytes, with Helm's methods.
#[derive(Clone, Debug, Default)]
pub struct Files {
    entries: Arc<BTreeMap<String, Arc<[u8]>>>,
    flavor: Flavor,
}

impl Files {
    /// Files from `(path, bytes)` pairs.
    pub fn new(entries: BTreeMap<String, Arc<[u8]>>, flavor: Flavor) -> Files {
        Files {
            entries: Arc::new(entries),
            flavor,
        }
    }

    /// The content of `path`, if present.
    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.entries.get(path).map(|b| b.as_ref())
    }

    fn subset(&self, keep: impl Fn(&str) -> bool) -> Files {
        let entries = self
            .entries
            .iter()
            .filter(|(k, _)| keep(k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        Files {
            entries: Arc::new(entries),
            flavor: self.flavor,
        }
    }

    /// `{basename: value}` rendered with toYaml, as `AsConfig`/`AsSecrets` do.
    fn as_yaml(&self, secret: bool) -> String {
        let m = Map::new();
        for (path, bytes) in self.entries.iter() {
            let base = path.rsplit('/').next().unwrap_or(path);
            let v = if secret {
                base64::engine::general_purpose::STANDARD.encode(bytes)
            } else {
                String::from_utf8_lossy(bytes).into_owned()
            };
            m.insert(base, Value::from(v));
        }
        if m.is_empty() {
            return "{}".into();
        }
        crate::yaml::to_yaml(&Value::Map(m))
    }
}

impl Object for Files {
    fn type_name(&self) -> &str {
        "engine.files"
    }

    fn kind_name(&self) -> &'static str {
        "map"
    }

    fn method(&self, name: &str) -> Option<Func> {
        let me = self.clone();
        Some(match name {
            "Get" => Func::infallible(Signature::fixed(&[Param::String]), move |_, a| {
                let p = a[0].as_str().unwrap_or_default();
                Value::from(
                    me.get(p)
                        .map(|b| String::from_utf8_lossy(b).into_owned())
                        .unwrap_or_default(),
                )
            }),
            "GetBytes" => Func::infallible(Signature::fixed(&[Param::String]), move |_, a| {
                let p = a[0].as_str().unwrap_or_default();
                Value::Bytes(
                    me.get(p)
                        .map(Arc::from)
                        .unwrap_or_else(|| Arc::from(&b""[..])),
                )
            }),
            "Glob" => Func::new(Signature::fixed(&[Param::String]), move |_, a| {
                let glob = crate::glob::Glob::helm_files(a[0].as_str().unwrap_or_default());
                // Helm's glob library panics on some patterns and paths; Helm reports that.
                let mut keep = Vec::new();
                for path in me.entries.keys() {
                    if glob
                        .try_matches(path)
                        .map_err(|p| gotmpl::FuncError::new(p.to_string()))?
                    {
                        keep.push(path.clone());
                    }
                }
                Ok(Value::Object(Arc::new(
                    me.subset(|p| keep.iter().any(|k| k == p)),
                )))
            }),
            "Lines" => Func::new(Signature::fixed(&[Param::String]), move |_, a| {
                let p = a[0].as_str().unwrap_or_default();
                let Some(bytes) = me.get(p) else {
                    return Ok(Value::List(List::typed(ElemType::String, vec![])));
                };
                if bytes.is_empty() {
                    return Err("runtime error: index out of range [-1]".into());
                }
                let text = String::from_utf8_lossy(bytes);
                let text = text.strip_suffix('\n').unwrap_or(&text);
                Ok(Value::List(List::typed(
                    ElemType::String,
                    text.split('\n').map(Value::from).collect(),
                )))
            }),
            "AsConfig" => Func::infallible(Signature::fixed(&[]), move |_, _| {
                Value::from(me.as_yaml(false))
            }),
            "AsSecrets" => Func::infallible(Signature::fixed(&[]), move |_, _| {
                Value::from(me.as_yaml(true))
            }),
            _ => return None,
        })
    }

    fn as_map(&self) -> Option<Map> {
        let m = Map::new();
        for (k, v) in self.entries.iter() {
            m.insert(k.clone(), Value::Bytes(v.clone()));
        }
        Some(m)
    }

    fn json_value(&self) -> Option<Value> {
        self.as_map().map(Value::Map)
    }

    fn format(&self, _plus: bool) -> String {
        let parts: Vec<String> = self
            .entries
            .iter()
            .map(|(k, v)| {
                format!(
                    "{k}:{}",
                    gotmpl::gofmt::format_value(&Value::Bytes(v.clone()))
                )
            })
            .collect();
        format!("map[{}]", parts.join(" "))
    }
}

/// `.Capabilities.APIVersions`: a `VersionSet` with `Has`.
#[derive(Clone, Debug)]
pub struct VersionSet(pub Arc<Vec<String>>, pub Flavor);

impl Object for VersionSet {
    fn type_name(&self) -> &str {
        match self.1 {
            Flavor::Helm3 => "chartutil.VersionSet",
            Flavor::Helm4 => "common.VersionSet",
        }
    }
    fn kind_name(&self) -> &'static str {
        "slice"
    }
    fn method(&self, name: &str) -> Option<Func> {
        let set = self.0.clone();
        match name {
            "Has" => Some(Func::infallible(
                Signature::fixed(&[Param::String]),
                move |_, a| {
                    let want = a[0].as_str().unwrap_or_default();
                    Value::Bool(set.iter().any(|v| v == want))
                },
            )),
            _ => None,
        }
    }
    fn as_list(&self) -> Option<List> {
        Some(List::typed(
            ElemType::String,
            self.0.iter().map(|s| Value::from(s.as_str())).collect(),
        ))
    }
    fn format(&self, _plus: bool) -> String {
        format!("[{}]", self.0.join(" "))
    }
    fn json_value(&self) -> Option<Value> {
        self.as_list().map(Value::List)
    }
}

/// `.Capabilities.KubeVersion`.
#[derive(Clone, Debug)]
pub struct KubeVersion {
    /// `.Version` (`v1.35.0`).
    pub version: String,
    /// `.Major`.
    pub major: String,
    /// `.Minor`.
    pub minor: String,
    /// What `{{ .Capabilities.KubeVersion }}` prints.
    pub printed: String,
    /// Helm flavor (type names).
    pub flavor: Flavor,
}

impl Object for KubeVersion {
    fn type_name(&self) -> &str {
        match self.flavor {
            Flavor::Helm3 => "chartutil.KubeVersion",
            Flavor::Helm4 => "common.KubeVersion",
        }
    }
    fn kind_name(&self) -> &'static str {
        "struct"
    }
    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "Version" | "GitVersion" => Some(Value::from(self.version.as_str())),
            "Major" => Some(Value::from(self.major.as_str())),
            "Minor" => Some(Value::from(self.minor.as_str())),
            _ => None,
        }
    }
    fn method(&self, name: &str) -> Option<Func> {
        let printed = self.printed.clone();
        match name {
            "String" => Some(Func::infallible(Signature::fixed(&[]), move |_, _| {
                Value::from(printed.as_str())
            })),
            _ => None,
        }
    }
    /// `%v` of the struct (`{v1.35.0 v1.35.0 1 35}`); templates print `String()` instead.
    fn format(&self, plus: bool) -> String {
        let fields: Vec<(&str, &str)> = match self.flavor {
            Flavor::Helm3 => vec![
                ("Version", &self.version),
                ("Major", &self.major),
                ("Minor", &self.minor),
            ],
            Flavor::Helm4 => vec![
                ("Version", &self.version),
                ("GitVersion", &self.version),
                ("Major", &self.major),
                ("Minor", &self.minor),
            ],
        };
        let parts: Vec<String> = fields
            .iter()
            .map(|(k, v)| {
                if plus {
                    format!("{k}:{v}")
                } else {
                    v.to_string()
                }
            })
            .collect();
        format!("{{{}}}", parts.join(" "))
    }
    fn json_value(&self) -> Option<Value> {
        let m = Map::new();
        m.insert("Version", Value::from(self.version.as_str()));
        m.insert("Major", Value::from(self.major.as_str()));
        m.insert("Minor", Value::from(self.minor.as_str()));
        Some(Value::Map(m))
    }
}

/// `.Capabilities.HelmVersion`.
#[derive(Clone, Debug)]
pub struct HelmVersion {
    flavor: Flavor,
}

impl HelmVersion {
    fn fields(&self) -> Vec<(&'static str, &'static str)> {
        match self.flavor {
            Flavor::Helm3 => vec![
                ("Version", "v3.17.1"),
                ("GitCommit", "980d8ac1939e39138101364400756af2bdee1da5"),
                ("GitTreeState", "clean"),
                ("GoVersion", "go1.23.5"),
            ],
            Flavor::Helm4 => vec![
                ("Version", "v4.1.4"),
                ("GitCommit", "05fa37973dc9e42b76e1d2883494c87174b6074f"),
                ("GitTreeState", "clean"),
                ("GoVersion", "go1.25.9"),
                ("KubeClientVersion", "v1.35"),
            ],
        }
    }
}

impl Object for HelmVersion {
    fn type_name(&self) -> &str {
        "version.BuildInfo"
    }
    fn kind_name(&self) -> &'static str {
        "struct"
    }
    fn field(&self, name: &str) -> Option<Value> {
        self.fields()
            .into_iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| Value::from(v))
    }
    fn format(&self, plus: bool) -> String {
        let parts: Vec<String> = self
            .fields()
            .into_iter()
            .map(|(k, v)| {
                if plus {
                    format!("{k}:{v}")
                } else {
                    v.to_string()
                }
            })
            .collect();
        format!("{{{}}}", parts.join(" "))
    }
}

/// `.Capabilities`.
#[derive(Clone, Debug)]
pub struct Capabilities {
    /// `.KubeVersion`.
    pub kube_version: KubeVersion,
    /// `.APIVersions`.
    pub api_versions: VersionSet,
    flavor: Flavor,
}

impl Capabilities {
    /// Capabilities for a flavor, kube version and extra API versions.
    pub fn new(
        flavor: Flavor,
        kube_version: KubeVersion,
        extra_api_versions: &[String],
    ) -> Capabilities {
        let mut versions: Vec<String> = default_api_versions(flavor)
            .iter()
            .map(|s| s.to_string())
            .collect();
        versions.extend(extra_api_versions.iter().cloned());
        Capabilities {
            kube_version,
            api_versions: VersionSet(Arc::new(versions), flavor),
            flavor,
        }
    }
}

impl Object for Capabilities {
    fn type_name(&self) -> &str {
        match self.flavor {
            Flavor::Helm3 => "*chartutil.Capabilities",
            Flavor::Helm4 => "*common.Capabilities",
        }
    }
    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "KubeVersion" => Some(Value::Object(Arc::new(self.kube_version.clone()))),
            "APIVersions" => Some(Value::Object(Arc::new(self.api_versions.clone()))),
            "HelmVersion" => Some(Value::Object(Arc::new(HelmVersion {
                flavor: self.flavor,
            }))),
            _ => None,
        }
    }
    fn format(&self, plus: bool) -> String {
        let hv = HelmVersion {
            flavor: self.flavor,
        };
        if plus {
            format!(
                "&{{KubeVersion:{} APIVersions:{} HelmVersion:{}}}",
                self.kube_version.format(true),
                self.api_versions.format(true),
                hv.format(true)
            )
        } else {
            format!(
                "&{{{} {} {}}}",
                self.kube_version.format(false),
                self.api_versions.format(false),
                hv.format(false)
            )
        }
    }
}

/// The default `.Capabilities.APIVersions` of each Helm release, in Helm's order.
pub fn default_api_versions(flavor: Flavor) -> Vec<&'static str> {
    let mut v = vec![
        "v1",
        "admissionregistration.k8s.io/v1",
        "admissionregistration.k8s.io/v1alpha1",
        "admissionregistration.k8s.io/v1beta1",
        "internal.apiserver.k8s.io/v1alpha1",
        "apps/v1",
        "apps/v1beta1",
        "apps/v1beta2",
        "authentication.k8s.io/v1",
        "authentication.k8s.io/v1alpha1",
        "authentication.k8s.io/v1beta1",
        "authorization.k8s.io/v1",
        "authorization.k8s.io/v1beta1",
        "autoscaling/v1",
        "autoscaling/v2",
        "autoscaling/v2beta1",
        "autoscaling/v2beta2",
        "batch/v1",
        "batch/v1beta1",
        "certificates.k8s.io/v1",
        "certificates.k8s.io/v1beta1",
        "certificates.k8s.io/v1alpha1",
        "coordination.k8s.io/v1alpha2",
        "coordination.k8s.io/v1beta1",
        "coordination.k8s.io/v1",
        "discovery.k8s.io/v1",
        "discovery.k8s.io/v1beta1",
        "events.k8s.io/v1",
        "events.k8s.io/v1beta1",
        "extensions/v1beta1",
        "flowcontrol.apiserver.k8s.io/v1",
        "flowcontrol.apiserver.k8s.io/v1beta1",
        "flowcontrol.apiserver.k8s.io/v1beta2",
        "flowcontrol.apiserver.k8s.io/v1beta3",
        "networking.k8s.io/v1",
        "networking.k8s.io/v1alpha1",
        "networking.k8s.io/v1beta1",
        "node.k8s.io/v1",
        "node.k8s.io/v1alpha1",
        "node.k8s.io/v1beta1",
        "policy/v1",
        "policy/v1beta1",
        "rbac.authorization.k8s.io/v1",
        "rbac.authorization.k8s.io/v1beta1",
        "rbac.authorization.k8s.io/v1alpha1",
        "resource.k8s.io/v1beta1",
        "resource.k8s.io/v1alpha3",
        "scheduling.k8s.io/v1alpha1",
        "scheduling.k8s.io/v1beta1",
        "scheduling.k8s.io/v1",
        "storage.k8s.io/v1beta1",
        "storage.k8s.io/v1",
        "storage.k8s.io/v1alpha1",
        "storagemigration.k8s.io/v1alpha1",
        "apiextensions.k8s.io/v1beta1",
        "apiextensions.k8s.io/v1",
    ];
    if flavor == Flavor::Helm4 {
        v.retain(|s| *s != "networking.k8s.io/v1alpha1");
        let at = v
            .iter()
            .position(|s| *s == "resource.k8s.io/v1beta1")
            .expect("present");
        v.insert(at, "resource.k8s.io/v1beta2");
        v.insert(at, "resource.k8s.io/v1");
        for s in v.iter_mut() {
            if *s == "storagemigration.k8s.io/v1alpha1" {
                *s = "storagemigration.k8s.io/v1beta1";
            }
        }
    }
    v
}

/// Helm 3's `.Chart`: `struct { chart.Metadata; IsRoot bool }` (Helm 4 uses a plain map).
#[derive(Clone, Debug)]
pub struct ChartStruct {
    /// The fields under their Go names, as Helm 4's map has them.
    pub fields: Map,
}

impl ChartStruct {
    fn json_fields(&self) -> Vec<(String, Value)> {
        // JSON names and omitempty of chart.Metadata; `IsRoot` has no tag.
        const NAMES: &[(&str, &str, bool)] = &[
            ("Name", "name", true),
            ("Home", "home", true),
            ("Sources", "sources", true),
            ("Version", "version", true),
            ("Description", "description", true),
            ("Keywords", "keywords", true),
            ("Maintainers", "maintainers", true),
            ("Icon", "icon", true),
            ("APIVersion", "apiVersion", true),
            ("Condition", "condition", true),
            ("Tags", "tags", true),
            ("AppVersion", "appVersion", true),
            ("Deprecated", "deprecated", true),
            ("Annotations", "annotations", true),
            ("KubeVersion", "kubeVersion", true),
            ("Dependencies", "dependencies", true),
            ("Type", "type", true),
            ("IsRoot", "IsRoot", false),
        ];
        let mut out = Vec::new();
        for (go, json, omitempty) in NAMES {
            let Some(v) = self.fields.get(go) else {
                continue;
            };
            if *omitempty && !v.truthy() {
                continue;
            }
            let v = match (*go, v) {
                ("Maintainers", Value::List(l)) => Value::list(
                    l.iter()
                        .map(|m| match m {
                            Value::Map(mm) => {
                                let o = Map::new();
                                for (g, j) in [("Name", "name"), ("Email", "email"), ("URL", "url")]
                                {
                                    if let Some(x) = mm.get(g).filter(|x| x.truthy()) {
                                        o.insert(j, x);
                                    }
                                }
                                Value::Map(o)
                            }
                            other => other.clone(),
                        })
                        .collect(),
                ),
                ("Dependencies", Value::List(l)) => Value::list(
                    l.iter()
                        .map(|d| match d {
                            Value::Map(dm) => {
                                let o = Map::new();
                                for (g, j, omit) in [
                                    ("Name", "name", false),
                                    ("Version", "version", true),
                                    ("Repository", "repository", false),
                                    ("Condition", "condition", true),
                                    ("Tags", "tags", true),
                                    ("Enabled", "enabled", true),
                                    ("ImportValues", "import-values", true),
                                    ("Alias", "alias", true),
                                ] {
                                    if let Some(x) = dm.get(g)
                                        && (!omit || x.truthy())
                                    {
                                        o.insert(j, x);
                                    }
                                }
                                Value::Map(o)
                            }
                            other => other.clone(),
                        })
                        .collect(),
                ),
                (_, v) => v,
            };
            out.push((json.to_string(), v));
        }
        out
    }
}

impl Object for ChartStruct {
    fn type_name(&self) -> &str {
        "struct { chart.Metadata; IsRoot bool }"
    }
    fn kind_name(&self) -> &'static str {
        "struct"
    }
    fn field(&self, name: &str) -> Option<Value> {
        if name == "Metadata" {
            return Some(Value::Map(self.fields.clone()));
        }
        self.fields.get(name)
    }
    fn format(&self, _plus: bool) -> String {
        gotmpl::gofmt::format_value(&Value::Map(self.fields.clone()))
    }
    fn json_struct(&self) -> Option<Vec<(String, Value)>> {
        Some(self.json_fields())
    }
}
