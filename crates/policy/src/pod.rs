//! Pod templates inside workloads, and their containers.

use goyaml::Node;

use crate::labels::{Labels, labels_of};
use crate::model::Object;
use crate::yaml::{get, items, join, path, scalar_text, str_of};

/// Where a kind keeps its pod template: the path of the template (holding `metadata` and
/// `spec`), or `[]` for a Pod itself.
fn template_path(kind: &str) -> Option<&'static [&'static str]> {
    match kind {
        "Pod" => Some(&[]),
        "Deployment"
        | "StatefulSet"
        | "DaemonSet"
        | "ReplicaSet"
        | "ReplicationController"
        | "Job" => Some(&["spec", "template"]),
        "CronJob" => Some(&["spec", "jobTemplate", "spec", "template"]),
        _ => None,
    }
}

/// One pod template of a workload (or a Pod).
#[derive(Clone, Debug)]
pub(crate) struct PodTemplate<'a> {
    /// Index of the object in the release.
    pub object: usize,
    /// The object.
    pub obj: &'a Object,
    /// The pod spec.
    pub spec: &'a Node,
    /// Pointer of the pod spec (`/spec/template/spec`).
    pub spec_ptr: String,
    /// The template's metadata, if written.
    pub meta: Option<&'a Node>,
    /// Pointer of the template's metadata (`/spec/template/metadata`).
    pub meta_ptr: String,
    /// The template's labels.
    pub labels: Labels,
    /// Pods an operator creates for a custom resource (a `monitoring.coreos.com/v1`
    /// `Prometheus` or `Alertmanager`): `spec` is a synthesized pod spec (the operator's
    /// containers and ports), seen only by the rules that relate objects to pods (selectors,
    /// ports, NetworkPolicies, PodDisruptionBudgets), never by the container rules.
    pub operator: bool,
}

/// Which list a container is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ContainerKind {
    /// `initContainers`.
    Init,
    /// `containers`.
    App,
    /// `ephemeralContainers`.
    Ephemeral,
}

/// One container of a pod template.
#[derive(Clone, Debug)]
pub(crate) struct Container<'a> {
    /// The container.
    pub node: &'a Node,
    /// Its pointer (`/spec/template/spec/containers/0`).
    pub ptr: String,
    /// `name` (empty if missing).
    pub name: String,
    /// Which list.
    pub kind: ContainerKind,
}

impl Container<'_> {
    /// The container's `name` as an owned option, for findings.
    pub fn id(&self) -> Option<String> {
        Some(self.name.clone())
    }

    /// `resources.<section>.<resource>` and its pointer.
    pub fn resource(&self, section: &str, resource: &str) -> (Option<&Node>, String) {
        let node = path(self.node, &["resources", section, resource]);
        let ptr = join(&join(&join(&self.ptr, "resources"), section), resource);
        (node, ptr)
    }

    /// Declared `ports`: (name, containerPort) pairs.
    pub fn ports(&self) -> Vec<(Option<String>, Option<f64>)> {
        get(self.node, "ports")
            .map(|p| {
                items(p)
                    .iter()
                    .map(|port| {
                        (
                            get(port, "name").and_then(str_of).map(str::to_string),
                            get(port, "containerPort").and_then(crate::yaml::num_of),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// The pod template of object `index`, if its kind has one.
pub(crate) fn pod_template(index: usize, obj: &Object) -> Option<PodTemplate<'_>> {
    let tpath = template_path(&obj.kind)?;
    let template = path(&obj.node, tpath)?;
    let spec = get(template, "spec")?;
    let base: String = tpath.iter().fold(String::new(), |p, t| join(&p, t));
    let meta = get(template, "metadata");
    Some(PodTemplate {
        object: index,
        obj,
        spec,
        spec_ptr: join(&base, "spec"),
        meta,
        meta_ptr: join(&base, "metadata"),
        labels: labels_of(meta.and_then(|m| get(m, "labels"))),
        operator: false,
    })
}

/// The pods the Prometheus Operator creates for a `monitoring.coreos.com/v1` `Prometheus` or
/// `Alertmanager` (one StatefulSet of `spec.replicas` pods; the first shard of a sharded
/// Prometheus): their labels and a synthesized pod spec with the operator's containers and
/// named ports. `None` for any other object.
///
/// The labels are the operator's (`spec.podMetadata.labels` first, the operator's own win):
/// for a Prometheus `app.kubernetes.io/name: prometheus`, `app.kubernetes.io/instance`,
/// `app.kubernetes.io/managed-by: prometheus-operator`, `operator.prometheus.io/name`,
/// `operator.prometheus.io/shard: "0"` and `prometheus: <name>`; for an Alertmanager
/// `app.kubernetes.io/name: alertmanager`, `app.kubernetes.io/instance`,
/// `app.kubernetes.io/managed-by` and `alertmanager: <name>`; `app.kubernetes.io/version`
/// when `spec.version` is written.
pub(crate) fn operator_pods(obj: &Object) -> Option<(Labels, Node)> {
    if !obj.api_version.starts_with("monitoring.coreos.com/") {
        return None;
    }
    let spec = get(&obj.node, "spec");
    let port_name = spec
        .and_then(|s| get(s, "portName"))
        .and_then(str_of)
        .unwrap_or("web");
    let (app, containers) = match obj.kind.as_str() {
        "Prometheus" => {
            let mut c = format!(
                "- name: prometheus\n  ports: [{{name: {port_name:?}, containerPort: 9090}}]\n- name: config-reloader\n  ports: [{{name: reloader-web, containerPort: 8080}}]\n"
            );
            if spec.and_then(|s| get(s, "thanos")).is_some() {
                c.push_str("- name: thanos-sidecar\n  ports: [{name: http, containerPort: 10902}, {name: grpc, containerPort: 10901}]\n");
            }
            ("prometheus", c)
        }
        "Alertmanager" => (
            "alertmanager",
            format!(
                "- name: alertmanager\n  ports: [{{name: {port_name:?}, containerPort: 9093}}, {{name: mesh-tcp, containerPort: 9094}}, {{name: mesh-udp, containerPort: 9094, protocol: UDP}}]\n- name: config-reloader\n  ports: [{{name: reloader-web, containerPort: 8080}}]\n"
            ),
        ),
        _ => return None,
    };
    let mut labels = labels_of(spec.and_then(|s| path(s, &["podMetadata", "labels"])));
    let name = obj.name.clone();
    for (k, v) in [
        ("app.kubernetes.io/name", app.to_string()),
        ("app.kubernetes.io/instance", name.clone()),
        (
            "app.kubernetes.io/managed-by",
            "prometheus-operator".to_string(),
        ),
        (app, name.clone()),
    ] {
        labels.insert(k.to_string(), v);
    }
    if app == "prometheus" {
        labels.insert("operator.prometheus.io/name".into(), name);
        labels.insert("operator.prometheus.io/shard".into(), "0".into());
    }
    if let Some(v) = spec.and_then(|s| get(s, "version")).and_then(scalar_text) {
        labels.insert("app.kubernetes.io/version".into(), v);
    }
    let pod_spec = goyaml::load(&format!("containers:\n{}", indent(&containers)), 0).ok()?;
    Some((labels, pod_spec))
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("  {l}\n")).collect()
}

impl<'a> PodTemplate<'a> {
    /// Every container: init, then app, then ephemeral.
    pub fn containers(&self) -> Vec<Container<'a>> {
        let mut out = Vec::new();
        for (key, kind) in [
            ("initContainers", ContainerKind::Init),
            ("containers", ContainerKind::App),
            ("ephemeralContainers", ContainerKind::Ephemeral),
        ] {
            if let Some(list) = get(self.spec, key) {
                let list_ptr = join(&self.spec_ptr, key);
                for (i, c) in items(list).iter().enumerate() {
                    out.push(Container {
                        node: c,
                        ptr: join(&list_ptr, &i.to_string()),
                        name: get(c, "name").and_then(str_of).unwrap_or("").to_string(),
                        kind,
                    });
                }
            }
        }
        out
    }

    /// Init and app containers (not ephemeral ones, which take no resources).
    pub fn init_and_app(&self) -> Vec<Container<'a>> {
        self.containers()
            .into_iter()
            .filter(|c| c.kind != ContainerKind::Ephemeral)
            .collect()
    }

    /// `spec.volumes` with their pointers.
    pub fn volumes(&self) -> Vec<(&'a Node, String)> {
        let ptr = join(&self.spec_ptr, "volumes");
        get(self.spec, "volumes")
            .map(|v| {
                items(v)
                    .iter()
                    .enumerate()
                    .map(|(i, n)| (n, join(&ptr, &i.to_string())))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Whether any container of the pod declares the port (by name for text, by number
    /// otherwise).
    pub fn declares_port(&self, port: &Node) -> bool {
        self.containers().iter().any(|c| port_in(c, port))
    }

    /// The pod's namespace.
    pub fn namespace(&self) -> &'a str {
        &self.obj.namespace
    }

    /// Whether the workload runs for ever (not a Job, CronJob or bare Pod).
    pub fn is_long_running_workload(&self) -> bool {
        matches!(
            self.obj.kind.as_str(),
            "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" | "ReplicationController"
        )
    }
}

/// Whether container `c` declares `port`: a string names a port, a number is a containerPort.
pub(crate) fn port_in(c: &Container<'_>, port: &Node) -> bool {
    match &port.value {
        goyaml::NodeValue::String(name) => c
            .ports()
            .iter()
            .any(|(n, _)| n.as_deref() == Some(name.as_str())),
        goyaml::NodeValue::Float(num) => c.ports().iter().any(|(_, p)| *p == Some(*num)),
        _ => false,
    }
}

/// A port value for messages.
pub(crate) fn show_port(port: &Node) -> String {
    scalar_text(port).unwrap_or_else(|| "?".to_string())
}
