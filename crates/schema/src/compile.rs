//! Schemas compiled for validation: an arena of nodes per kind, `$ref`s resolved once
//! (recursive definitions become cycles in the arena), keywords decoded into typed fields.

use std::collections::HashMap;

use serde_json::Value;

use crate::data::Bundle;

pub(crate) type Id = u32;

/// JSON types as a bit set.
pub(crate) mod ty {
    pub const NULL: u8 = 1;
    pub const BOOLEAN: u8 = 2;
    pub const INTEGER: u8 = 4;
    pub const NUMBER: u8 = 8;
    pub const STRING: u8 = 16;
    pub const ARRAY: u8 = 32;
    pub const OBJECT: u8 = 64;
}

/// The definition names Kubernetes' schemas give special formats.
const QUANTITY: &str = "io.k8s.apimachinery.pkg.api.resource.Quantity";
const INT_OR_STRING: &str = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Format {
    #[default]
    None,
    Int32,
    Int64,
    Byte,
    DateTime,
    IntOrString,
    Quantity,
}

#[derive(Clone, Copy, Debug, Default)]
pub(crate) enum Additional {
    #[default]
    Allowed,
    Forbidden,
    Schema(Id),
}

/// Rarely used keywords (CRD value validations).
#[derive(Debug, Default)]
pub(crate) struct Limits {
    pub minimum: Option<(f64, bool)>,
    pub maximum: Option<(f64, bool)>,
    pub multiple_of: Option<f64>,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    pub min_properties: Option<u64>,
    pub max_properties: Option<u64>,
    pub pattern: Option<(regex::Regex, String)>,
}

#[derive(Debug, Default)]
pub(crate) struct Node {
    /// Allowed types; 0: any.
    pub types: u8,
    pub enum_values: Option<Vec<Value>>,
    pub format: Format,
    /// Sorted by name.
    pub properties: Vec<(Box<str>, Id)>,
    pub additional: Additional,
    pub required: Vec<Box<str>>,
    pub items: Option<Id>,
    pub all_of: Vec<Id>,
    pub any_of: Vec<Id>,
    pub one_of: Vec<Id>,
    pub not: Option<Id>,
    pub limits: Option<Box<Limits>>,
}

impl Node {
    pub fn property(&self, name: &str) -> Option<Id> {
        self.properties
            .binary_search_by(|(k, _)| (**k).cmp(name))
            .ok()
            .map(|i| self.properties[i].1)
    }
}

/// One kind's compiled schema.
#[derive(Debug)]
pub(crate) struct Kind {
    pub nodes: Vec<Node>,
    pub root: Id,
    /// A custom resource (findings are CK-SCHEMA-004).
    pub crd: bool,
}

struct Compiler<'a> {
    nodes: Vec<Node>,
    refs: HashMap<String, Id>,
    local: Option<&'a Bundle>,
    kube: &'a Bundle,
}

impl Kind {
    /// Compiles the definition `name` of `local` (else of `kube`) and everything it references.
    pub fn compile_ref(name: &str, local: Option<&Bundle>, kube: &Bundle, crd: bool) -> Kind {
        let mut c = Compiler {
            nodes: Vec::new(),
            refs: HashMap::new(),
            local,
            kube,
        };
        let root = c.reference(name);
        Kind {
            nodes: c.nodes,
            root,
            crd,
        }
    }

    /// Compiles a (user CRD) schema; its `$ref`s resolve in `kube`.
    pub fn compile_value(schema: &Value, kube: &Bundle) -> Kind {
        let mut c = Compiler {
            nodes: Vec::new(),
            refs: HashMap::new(),
            local: None,
            kube,
        };
        let root = c.schema(schema);
        Kind {
            nodes: c.nodes,
            root,
            crd: true,
        }
    }
}

impl Compiler<'_> {
    fn push(&mut self, n: Node) -> Id {
        self.nodes.push(n);
        (self.nodes.len() - 1) as Id
    }

    fn reference(&mut self, name: &str) -> Id {
        if let Some(&id) = self.refs.get(name) {
            return id;
        }
        let id = self.push(Node::default());
        self.refs.insert(name.to_string(), id);
        let special = match name {
            QUANTITY => Some((Format::Quantity, ty::STRING | ty::NUMBER | ty::NULL)),
            INT_OR_STRING => Some((Format::IntOrString, ty::STRING | ty::INTEGER | ty::NULL)),
            _ => None,
        };
        if let Some((format, types)) = special {
            self.nodes[id as usize] = Node {
                types,
                format,
                ..Node::default()
            };
            return id;
        }
        let def = self
            .local
            .and_then(|b| b.definitions.get(name))
            .or_else(|| self.kube.definitions.get(name));
        if let Some(def) = def {
            let node = self.build(def);
            self.nodes[id as usize] = node;
            self.add_enums(name, id);
        }
        // an unresolvable reference accepts anything
        id
    }

    /// Applies [`KUBERNETES_ENUMS`] to the definition `name` compiled as `id`.
    fn add_enums(&mut self, name: &str, id: Id) {
        for (def, prop, values) in KUBERNETES_ENUMS {
            if *def != name {
                continue;
            }
            let (prop, items) = match prop.strip_suffix("[]") {
                Some(p) => (p, true),
                None => (*prop, false),
            };
            let Some(mut target) = self.nodes[id as usize].property(prop) else {
                continue;
            };
            if items {
                let Some(item) = self.nodes[target as usize].items else {
                    continue;
                };
                target = item;
            }
            self.nodes[target as usize].enum_values = Some(
                values
                    .iter()
                    .map(|v| Value::String(v.to_string()))
                    .collect(),
            );
        }
    }

    fn schema(&mut self, v: &Value) -> Id {
        goyaml::with_stack(|| {
            if let Some(obj) = v.as_object()
                && let Some(Value::String(r)) = obj.get("$ref")
                && obj
                    .keys()
                    .all(|k| k == "$ref" || k.starts_with("x-kubernetes-"))
            {
                return self.reference(r);
            }
            let node = self.build(v);
            self.push(node)
        })
    }

    fn build(&mut self, v: &Value) -> Node {
        let mut n = Node::default();
        let obj = match v {
            Value::Object(o) => o,
            Value::Bool(false) => {
                // `false` accepts nothing: `not: {}`
                let any = self.push(Node::default());
                n.not = Some(any);
                return n;
            }
            _ => return n,
        };
        if let Some(Value::String(r)) = obj.get("$ref") {
            let id = self.reference(r);
            n.all_of.push(id);
        }
        match obj.get("type") {
            Some(Value::String(t)) => n.types = type_bit(t),
            Some(Value::Array(ts)) => {
                n.types = ts
                    .iter()
                    .filter_map(Value::as_str)
                    .map(type_bit)
                    .fold(0, |a, b| a | b)
            }
            _ => {}
        }
        if obj.get("nullable") == Some(&Value::Bool(true)) && n.types != 0 {
            n.types |= ty::NULL;
        }
        if let Some(Value::Array(e)) = obj.get("enum") {
            n.enum_values = Some(e.clone());
        }
        n.format = match obj.get("format").and_then(Value::as_str) {
            Some("int32") => Format::Int32,
            Some("int64") => Format::Int64,
            Some("byte") => Format::Byte,
            Some("date-time") => Format::DateTime,
            _ => Format::None,
        };
        let mut limits = Limits::default();
        let mut any_limit = false;
        if obj.get("x-kubernetes-int-or-string") == Some(&Value::Bool(true)) {
            let quantity = obj
                .get("pattern")
                .and_then(Value::as_str)
                .is_some_and(|p| p.contains("[KMGTPE]i"));
            n.format = if quantity {
                Format::Quantity
            } else {
                Format::IntOrString
            };
        } else if let Some(p) = obj.get("pattern").and_then(Value::as_str) {
            // a pattern Rust's regex cannot compile (ECMA-only syntax) is not checked
            if let Ok(re) = regex::Regex::new(p) {
                limits.pattern = Some((re, p.to_string()));
                any_limit = true;
            }
        }
        if let Some(Value::Object(props)) = obj.get("properties") {
            let mut list: Vec<(Box<str>, Id)> = props
                .iter()
                .map(|(k, s)| (k.as_str().into(), self.schema(s)))
                .collect();
            list.sort_by(|a, b| a.0.cmp(&b.0));
            n.properties = list;
        }
        n.additional = match obj.get("additionalProperties") {
            Some(Value::Bool(false)) => Additional::Forbidden,
            Some(s @ Value::Object(_)) => Additional::Schema(self.schema(s)),
            _ => Additional::Allowed,
        };
        if let Some(Value::Array(r)) = obj.get("required") {
            n.required = r.iter().filter_map(Value::as_str).map(Into::into).collect();
        }
        if let Some(items) = obj.get("items")
            && items.is_object()
        {
            n.items = Some(self.schema(items));
        }
        for (key, list) in [("allOf", 0), ("anyOf", 1), ("oneOf", 2)] {
            if let Some(Value::Array(subs)) = obj.get(key) {
                let ids: Vec<Id> = subs.iter().map(|s| self.schema(s)).collect();
                match list {
                    0 => n.all_of.extend(ids),
                    1 => n.any_of = ids,
                    _ => n.one_of = ids,
                }
            }
        }
        if matches!(n.format, Format::IntOrString | Format::Quantity) {
            // the structural `anyOf: [{type: integer}, {type: string}]` of an int-or-string
            // node says what the format check already reports
            n.any_of.clear();
        }
        if let Some(not) = obj.get("not") {
            n.not = Some(self.schema(not));
        }
        let num = |k: &str| obj.get(k).and_then(Value::as_f64);
        let uint = |k: &str| obj.get(k).and_then(Value::as_u64);
        let excl = |k: &str| obj.get(k) == Some(&Value::Bool(true));
        limits.minimum = num("minimum").map(|m| (m, excl("exclusiveMinimum")));
        limits.maximum = num("maximum").map(|m| (m, excl("exclusiveMaximum")));
        limits.multiple_of = num("multipleOf").filter(|m| *m > 0.0);
        limits.min_length = uint("minLength");
        limits.max_length = uint("maxLength");
        limits.min_items = uint("minItems");
        limits.max_items = uint("maxItems");
        limits.min_properties = uint("minProperties");
        limits.max_properties = uint("maxProperties");
        any_limit |= limits.minimum.is_some()
            || limits.maximum.is_some()
            || limits.multiple_of.is_some()
            || limits.min_length.is_some()
            || limits.max_length.is_some()
            || limits.min_items.is_some()
            || limits.max_items.is_some()
            || limits.min_properties.is_some()
            || limits.max_properties.is_some();
        if any_limit {
            n.limits = Some(Box::new(limits));
        }
        n
    }
}

fn type_bit(t: &str) -> u8 {
    match t {
        "null" => ty::NULL,
        "boolean" => ty::BOOLEAN,
        "integer" => ty::INTEGER,
        "number" => ty::NUMBER | ty::INTEGER,
        "string" => ty::STRING,
        "array" => ty::ARRAY,
        "object" => ty::OBJECT,
        _ => 0,
    }
}

/// Enumerations of built-in fields. The `kubernetes-validate` schemas carry no `enum` for
/// fields (only for `apiVersion` and `kind`), while the API server rejects other values; these
/// come from the Go types marked `+enum` in k8s.io/api (the `enum` lists of Kubernetes' own
/// OpenAPI v3 documents). `prop[]` applies to the items of a list.
pub(crate) const KUBERNETES_ENUMS: &[(&str, &str, &[&str])] = &[
    ("io.k8s.api.core.v1.Container", "imagePullPolicy", PULL),
    (
        "io.k8s.api.core.v1.EphemeralContainer",
        "imagePullPolicy",
        PULL,
    ),
    (
        "io.k8s.api.core.v1.Container",
        "terminationMessagePolicy",
        &["File", "FallbackToLogsOnError"],
    ),
    (
        "io.k8s.api.core.v1.PodSpec",
        "restartPolicy",
        &["Always", "OnFailure", "Never"],
    ),
    (
        "io.k8s.api.core.v1.PodSpec",
        "dnsPolicy",
        &["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"],
    ),
    ("io.k8s.api.core.v1.PodSpec", "preemptionPolicy", PREEMPTION),
    (
        "io.k8s.api.scheduling.v1.PriorityClass",
        "preemptionPolicy",
        PREEMPTION,
    ),
    ("io.k8s.api.core.v1.ContainerPort", "protocol", PROTOCOL),
    ("io.k8s.api.core.v1.ServicePort", "protocol", PROTOCOL),
    (
        "io.k8s.api.networking.v1.NetworkPolicyPort",
        "protocol",
        PROTOCOL,
    ),
    (
        "io.k8s.api.core.v1.ServiceSpec",
        "type",
        &["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"],
    ),
    (
        "io.k8s.api.core.v1.ServiceSpec",
        "sessionAffinity",
        &["ClientIP", "None"],
    ),
    (
        "io.k8s.api.core.v1.ServiceSpec",
        "externalTrafficPolicy",
        &["Cluster", "Local"],
    ),
    (
        "io.k8s.api.core.v1.ServiceSpec",
        "internalTrafficPolicy",
        &["Cluster", "Local"],
    ),
    (
        "io.k8s.api.core.v1.ServiceSpec",
        "ipFamilyPolicy",
        &["SingleStack", "PreferDualStack", "RequireDualStack"],
    ),
    (
        "io.k8s.api.core.v1.Toleration",
        "operator",
        &["Exists", "Equal"],
    ),
    ("io.k8s.api.core.v1.Toleration", "effect", EFFECT),
    ("io.k8s.api.core.v1.Taint", "effect", EFFECT),
    (
        "io.k8s.api.core.v1.SeccompProfile",
        "type",
        &["Unconfined", "RuntimeDefault", "Localhost"],
    ),
    (
        "io.k8s.api.core.v1.TopologySpreadConstraint",
        "whenUnsatisfiable",
        &["DoNotSchedule", "ScheduleAnyway"],
    ),
    (
        "io.k8s.api.core.v1.NodeSelectorRequirement",
        "operator",
        &["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"],
    ),
    (
        "io.k8s.api.core.v1.PersistentVolumeClaimSpec",
        "accessModes[]",
        ACCESS,
    ),
    (
        "io.k8s.api.core.v1.PersistentVolumeClaimSpec",
        "volumeMode",
        &["Block", "Filesystem"],
    ),
    (
        "io.k8s.api.core.v1.LimitRangeItem",
        "type",
        &["Pod", "Container", "PersistentVolumeClaim"],
    ),
    (
        "io.k8s.api.apps.v1.DeploymentStrategy",
        "type",
        &["Recreate", "RollingUpdate"],
    ),
    (
        "io.k8s.api.apps.v1.StatefulSetSpec",
        "podManagementPolicy",
        &["OrderedReady", "Parallel"],
    ),
    (
        "io.k8s.api.apps.v1.StatefulSetUpdateStrategy",
        "type",
        &["RollingUpdate", "OnDelete"],
    ),
    (
        "io.k8s.api.apps.v1.DaemonSetUpdateStrategy",
        "type",
        &["RollingUpdate", "OnDelete"],
    ),
    (
        "io.k8s.api.batch.v1.CronJobSpec",
        "concurrencyPolicy",
        &["Allow", "Forbid", "Replace"],
    ),
    (
        "io.k8s.api.batch.v1.JobSpec",
        "completionMode",
        &["NonIndexed", "Indexed"],
    ),
    (
        "io.k8s.api.networking.v1.HTTPIngressPath",
        "pathType",
        &["Exact", "Prefix", "ImplementationSpecific"],
    ),
    (
        "io.k8s.api.networking.v1.NetworkPolicySpec",
        "policyTypes[]",
        &["Ingress", "Egress"],
    ),
    (
        "io.k8s.api.policy.v1.PodDisruptionBudgetSpec",
        "unhealthyPodEvictionPolicy",
        &["IfHealthyBudget", "AlwaysAllow"],
    ),
    (
        "io.k8s.api.autoscaling.v2.MetricSpec",
        "type",
        &[
            "ContainerResource",
            "External",
            "Object",
            "Pods",
            "Resource",
        ],
    ),
    (
        "io.k8s.api.autoscaling.v2.MetricTarget",
        "type",
        &["AverageValue", "Utilization", "Value"],
    ),
    (
        "io.k8s.api.autoscaling.v2.HPAScalingRules",
        "selectPolicy",
        &["Disabled", "Max", "Min"],
    ),
    (
        "io.k8s.api.autoscaling.v2.HPAScalingPolicy",
        "type",
        &["Pods", "Percent"],
    ),
];

const PULL: &[&str] = &["Always", "Never", "IfNotPresent"];
const PREEMPTION: &[&str] = &["Never", "PreemptLowerPriority"];
const PROTOCOL: &[&str] = &["SCTP", "TCP", "UDP"];
const EFFECT: &[&str] = &["NoExecute", "NoSchedule", "PreferNoSchedule"];
const ACCESS: &[&str] = &[
    "ReadOnlyMany",
    "ReadWriteMany",
    "ReadWriteOnce",
    "ReadWriteOncePod",
];
