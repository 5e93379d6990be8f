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
    })
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
