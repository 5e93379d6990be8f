//! CK-SEC-001 `pss-baseline`: the Pod Security Standards baseline controls, version-gated.

use goyaml::Node;

use crate::engine::Ctx;
use crate::pod::{Container, PodTemplate};
use crate::rules::{Rule, RuleDoc};
use crate::settings::Level;
use crate::yaml::{bool_of, entries, get, items, join, join_all, num_of, path, str_of};

pub(crate) static RULE: Rule = Rule {
    doc: RuleDoc {
        id: "CK-SEC-001",
        name: "pss-baseline",
        default_severity: Level::Error,
        summary: "Every Pod Security Standards baseline control at the target Kubernetes version, one finding per violated control (sub-ids hostProcess, hostNamespaces, privileged, capabilities, hostPath, hostPorts, appArmor, seLinux, procMount, seccomp, sysctls, probeHost).",
        why: "Baseline is the floor every namespace of the platform enforces: a pod that breaks it is rejected by Pod Security admission, and what it allows (host namespaces, privileged mode, host paths) hands the node to whoever controls the container.",
        example: "spec:\n  hostNetwork: true\n  containers:\n    - name: agent\n      securityContext: { privileged: true, capabilities: { add: [SYS_ADMIN] } }",
        fix: "Remove the host namespaces, privileged mode, extra capabilities, hostPath volumes and host ports; keep seccomp at RuntimeDefault; run node agents in the platform's privileged namespace instead.",
        options: &[],
        sub_ids: &[
            "hostProcess",
            "hostNamespaces",
            "privileged",
            "capabilities",
            "hostPath",
            "hostPorts",
            "appArmor",
            "seLinux",
            "procMount",
            "seccomp",
            "sysctls",
            "probeHost",
        ],
    },
    run,
};

const CAPS: [&str; 13] = [
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

/// The sysctls baseline allows at a Kubernetes minor.
fn sysctl_allowed(name: &str, minor: u32) -> bool {
    let since = match name {
        "kernel.shm_rmid_forced"
        | "net.ipv4.ip_local_port_range"
        | "net.ipv4.tcp_syncookies"
        | "net.ipv4.ping_group_range"
        | "net.ipv4.ip_unprivileged_port_start" => 0,
        "net.ipv4.ip_local_reserved_ports" => 27,
        "net.ipv4.tcp_keepalive_time"
        | "net.ipv4.tcp_fin_timeout"
        | "net.ipv4.tcp_keepalive_intvl"
        | "net.ipv4.tcp_keepalive_probes" => 29,
        "net.ipv4.tcp_rmem" | "net.ipv4.tcp_wmem" => 32,
        "net.ipv4.tcp_slow_start_after_idle" | "net.ipv4.tcp_notsent_lowat" => 37,
        _ => return false,
    };
    minor >= since
}

struct Pod<'c, 'a> {
    ctx: &'c mut Ctx<'a>,
    pod: &'a PodTemplate<'a>,
}

impl Pod<'_, '_> {
    fn flag(&mut self, sub: &'static str, ptr: String, container: Option<String>, message: String) {
        self.ctx
            .emit_full(sub, None, self.pod.object, ptr, container, message);
    }
}

/// (node, pointer, container) of the pod-level and every container-level securityContext.
fn contexts<'a>(
    pod: &'a PodTemplate<'a>,
    containers: &[Container<'a>],
) -> Vec<(Option<&'a Node>, String, Option<String>)> {
    let mut out = vec![(
        get(pod.spec, "securityContext"),
        join(&pod.spec_ptr, "securityContext"),
        None,
    )];
    for c in containers {
        out.push((
            get(c.node, "securityContext"),
            join(&c.ptr, "securityContext"),
            c.id(),
        ));
    }
    out
}

fn run(ctx: &mut Ctx<'_>) {
    let minor = ctx.release.kube_minor;
    let pods = ctx.pods;
    for pod in pods {
        let containers = pod.containers();
        let spec = pod.spec;
        let host_users_off = get(spec, "hostUsers").and_then(bool_of) == Some(false);
        let mut p = Pod {
            ctx: &mut *ctx,
            pod,
        };
        let scs = contexts(pod, &containers);

        for (sc, ptr, c) in &scs {
            if sc
                .and_then(|s| path(s, &["windowsOptions", "hostProcess"]))
                .and_then(bool_of)
                == Some(true)
            {
                p.flag(
                    "CK-SEC-001.hostProcess",
                    join_all(ptr, &["windowsOptions", "hostProcess"]),
                    c.clone(),
                    "Windows HostProcess containers are not allowed".into(),
                );
            }
        }
        for key in ["hostNetwork", "hostPID", "hostIPC"] {
            if get(spec, key).and_then(bool_of) == Some(true) {
                p.flag(
                    "CK-SEC-001.hostNamespaces",
                    join(&pod.spec_ptr, key),
                    None,
                    format!("{key}: true shares a host namespace"),
                );
            }
        }
        for c in &containers {
            let sc = get(c.node, "securityContext");
            let sc_ptr = join(&c.ptr, "securityContext");
            if sc.and_then(|s| get(s, "privileged")).and_then(bool_of) == Some(true) {
                p.flag(
                    "CK-SEC-001.privileged",
                    join(&sc_ptr, "privileged"),
                    c.id(),
                    format!("container {:?} is privileged", c.name),
                );
            }
            if let Some(add) = sc.and_then(|s| path(s, &["capabilities", "add"])) {
                for (i, cap) in items(add).iter().enumerate() {
                    let name = str_of(cap).unwrap_or("");
                    if !CAPS.contains(&name) {
                        p.flag(
                            "CK-SEC-001.capabilities",
                            join_all(&sc_ptr, &["capabilities", "add", &i.to_string()]),
                            c.id(),
                            format!(
                                "container {:?} adds capability {name}, beyond the baseline set",
                                c.name
                            ),
                        );
                    }
                }
            }
            if let Some(ports) = get(c.node, "ports") {
                for (i, port) in items(ports).iter().enumerate() {
                    if get(port, "hostPort")
                        .and_then(num_of)
                        .is_some_and(|h| h != 0.0)
                    {
                        p.flag(
                            "CK-SEC-001.hostPorts",
                            join_all(&c.ptr, &["ports", &i.to_string(), "hostPort"]),
                            c.id(),
                            format!("container {:?} binds a host port", c.name),
                        );
                    }
                }
            }
            if let Some(pm) = sc.and_then(|s| get(s, "procMount")).and_then(str_of)
                && pm != "Default"
                && !(host_users_off && minor >= 35)
            {
                p.flag(
                    "CK-SEC-001.procMount",
                    join(&sc_ptr, "procMount"),
                    c.id(),
                    format!("container {:?} sets procMount {pm}", c.name),
                );
            }
            if minor >= 34 {
                for holder in [
                    "startupProbe",
                    "livenessProbe",
                    "readinessProbe",
                    "lifecycle/postStart",
                    "lifecycle/preStop",
                ] {
                    let keys: Vec<&str> = holder.split('/').collect();
                    let Some(h) = path(c.node, &keys) else {
                        continue;
                    };
                    for handler in ["httpGet", "tcpSocket"] {
                        if get(h, handler)
                            .and_then(|x| get(x, "host"))
                            .and_then(str_of)
                            .is_some_and(|s| !s.is_empty())
                        {
                            let mut all = keys.clone();
                            all.extend([handler, "host"]);
                            p.flag(
                                "CK-SEC-001.probeHost",
                                join_all(&c.ptr, &all),
                                c.id(),
                                format!("container {:?}: {} sets a host", c.name, keys.join(".")),
                            );
                        }
                    }
                }
            }
        }
        for (vol, ptr) in pod.volumes() {
            if get(vol, "hostPath").is_some() {
                let name = get(vol, "name").and_then(str_of).unwrap_or("");
                p.flag(
                    "CK-SEC-001.hostPath",
                    join(&ptr, "hostPath"),
                    None,
                    format!("volume {name:?} is a hostPath volume"),
                );
            }
        }
        // AppArmor: the annotations, and the fields from 1.30.
        if let Some(ann) = pod.meta.and_then(|m| get(m, "annotations")) {
            for (k, v) in entries(ann) {
                if let Some(cname) = k
                    .name
                    .strip_prefix("container.apparmor.security.beta.kubernetes.io/")
                {
                    let value = str_of(v).unwrap_or("");
                    if !(value.is_empty()
                        || value == "runtime/default"
                        || value.starts_with("localhost/"))
                    {
                        p.flag(
                            "CK-SEC-001.appArmor",
                            join_all(&pod.meta_ptr, &["annotations", &k.name]),
                            Some(cname.to_string()),
                            format!("AppArmor profile {value:?} is not allowed"),
                        );
                    }
                }
            }
        }
        for (sc, ptr, c) in &scs {
            let Some(sc) = sc else { continue };
            if minor >= 30
                && let Some(t) = path(sc, &["appArmorProfile", "type"]).and_then(str_of)
                && t != "RuntimeDefault"
                && t != "Localhost"
            {
                p.flag(
                    "CK-SEC-001.appArmor",
                    join_all(ptr, &["appArmorProfile", "type"]),
                    c.clone(),
                    format!("AppArmor profile type {t} is not allowed"),
                );
            }
            if let Some(se) = get(sc, "seLinuxOptions") {
                if let Some(t) = get(se, "type").and_then(str_of) {
                    let ok = t.is_empty()
                        || ["container_t", "container_init_t", "container_kvm_t"].contains(&t)
                        || (t == "container_engine_t" && minor >= 31);
                    if !ok {
                        p.flag(
                            "CK-SEC-001.seLinux",
                            join_all(ptr, &["seLinuxOptions", "type"]),
                            c.clone(),
                            format!("SELinux type {t} is not allowed"),
                        );
                    }
                }
                for key in ["user", "role"] {
                    if get(se, key).and_then(str_of).is_some_and(|s| !s.is_empty()) {
                        p.flag(
                            "CK-SEC-001.seLinux",
                            join_all(ptr, &["seLinuxOptions", key]),
                            c.clone(),
                            format!("setting the SELinux {key} is not allowed"),
                        );
                    }
                }
            }
            if path(sc, &["seccompProfile", "type"]).and_then(str_of) == Some("Unconfined") {
                p.flag(
                    "CK-SEC-001.seccomp",
                    join_all(ptr, &["seccompProfile", "type"]),
                    c.clone(),
                    "seccomp profile Unconfined is not allowed".into(),
                );
            }
        }
        if let Some(sysctls) = path(spec, &["securityContext", "sysctls"]) {
            for (i, s) in items(sysctls).iter().enumerate() {
                let name = get(s, "name").and_then(str_of).unwrap_or("");
                if !sysctl_allowed(name, minor) {
                    p.flag("CK-SEC-001.sysctls", join_all(&pod.spec_ptr, &["securityContext", "sysctls", &i.to_string(), "name"]), None, format!("sysctl {name} is not in the baseline allow-list of Kubernetes 1.{minor}"));
                }
            }
        }
    }
}
