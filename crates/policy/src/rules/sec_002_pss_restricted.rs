//! CK-SEC-002 `pss-restricted`: the Pod Security Standards restricted controls (on top of
//! baseline), version-gated.

use schema::Severity;

use crate::engine::Ctx;
use crate::relations::object_labels;
use crate::rules::{Rule, RuleDoc};
use crate::settings::Level;
use crate::yaml::{bool_of, entries, get, items, join, join_all, num_of, path, str_of};

pub(crate) static RULE: Rule = Rule {
    doc: RuleDoc {
        id: "CK-SEC-002",
        name: "pss-restricted",
        default_severity: Level::Warning,
        summary: "Every Pod Security Standards restricted control at the target Kubernetes version (sub-ids volumeTypes, privilegeEscalation, runAsNonRoot, runAsUser, seccompStrict, capabilitiesStrict, procMount): an error in namespaces that enforce restricted (settings, or a Namespace of the release labelled so), a warning elsewhere.",
        why: "Restricted is what the application namespaces (dev-center, auth) enforce: pods that break it are rejected at admission, and each control removes a common container-escape path.",
        example: "containers:\n  - name: api\n    securityContext: { allowPrivilegeEscalation: true }   # and no runAsNonRoot, no drop: [ALL]",
        fix: "Set `runAsNonRoot: true`, a non-zero `runAsUser`, `seccompProfile.type: RuntimeDefault` on the pod, and on every container `allowPrivilegeEscalation: false` and `capabilities.drop: [ALL]`; use only configMap, secret, emptyDir, projected, downwardAPI, csi, ephemeral, image and persistentVolumeClaim volumes.",
        options: &[],
        sub_ids: &[
            "volumeTypes",
            "privilegeEscalation",
            "runAsNonRoot",
            "runAsUser",
            "seccompStrict",
            "capabilitiesStrict",
            "procMount",
        ],
    },
    run,
};

const VOLUMES: [&str; 9] = [
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "image",
    "persistentVolumeClaim",
    "projected",
    "secret",
];

fn restricted(ctx: &Ctx<'_>, namespace: &str) -> bool {
    ctx.settings.restricted_namespaces.contains(namespace)
        || ctx.of_kind("Namespace").any(|(_, n)| {
            n.name == namespace
                && object_labels(n)
                    .get("pod-security.kubernetes.io/enforce")
                    .map(String::as_str)
                    == Some("restricted")
        })
}

fn run(ctx: &mut Ctx<'_>) {
    let minor = ctx.release.kube_minor;
    for pod in ctx.pods {
        let sev = if restricted(ctx, pod.namespace()) {
            Severity::Error
        } else {
            Severity::Warning
        };
        let spec = pod.spec;
        let psc = get(spec, "securityContext");
        let psc_ptr = join(&pod.spec_ptr, "securityContext");
        let windows =
            minor >= 25 && path(spec, &["os", "name"]).and_then(str_of) == Some("windows");
        let host_users_off = get(spec, "hostUsers").and_then(bool_of) == Some(false);
        let containers = pod.containers();
        let mut out: Vec<(&'static str, String, Option<String>, String)> = Vec::new();

        for (vol, ptr) in pod.volumes() {
            for (k, _) in entries(vol) {
                if k.name != "name" && !VOLUMES.contains(&k.name.as_str()) {
                    out.push((
                        "CK-SEC-002.volumeTypes",
                        join(&ptr, &k.name),
                        None,
                        format!("{} volumes are not allowed", k.name),
                    ));
                }
            }
        }
        let pod_nonroot = psc.and_then(|s| get(s, "runAsNonRoot")).and_then(bool_of);
        if !(host_users_off && minor >= 35) && pod_nonroot == Some(false) {
            out.push((
                "CK-SEC-002.runAsNonRoot",
                join(&psc_ptr, "runAsNonRoot"),
                None,
                "the pod sets runAsNonRoot: false".into(),
            ));
        }
        if minor >= 23 && psc.and_then(|s| get(s, "runAsUser")).and_then(num_of) == Some(0.0) {
            out.push((
                "CK-SEC-002.runAsUser",
                join(&psc_ptr, "runAsUser"),
                None,
                "the pod runs as user 0 (root)".into(),
            ));
        }
        let pod_seccomp = psc
            .and_then(|s| path(s, &["seccompProfile", "type"]))
            .and_then(str_of);
        let seccomp_ok = |t: &str| t == "RuntimeDefault" || t == "Localhost";
        if minor >= 19 && !windows && pod_seccomp.is_some_and(|t| !seccomp_ok(t)) {
            out.push((
                "CK-SEC-002.seccompStrict",
                join_all(&psc_ptr, &["seccompProfile", "type"]),
                None,
                format!(
                    "the pod's seccomp profile {} is neither RuntimeDefault nor Localhost",
                    pod_seccomp.unwrap_or("")
                ),
            ));
        }
        for c in &containers {
            let sc = get(c.node, "securityContext");
            let sc_ptr = join(&c.ptr, "securityContext");
            let field = |k: &str| sc.and_then(|s| get(s, k));
            if minor >= 8
                && !windows
                && field("allowPrivilegeEscalation").and_then(bool_of) != Some(false)
            {
                out.push((
                    "CK-SEC-002.privilegeEscalation",
                    join(&sc_ptr, "allowPrivilegeEscalation"),
                    c.id(),
                    format!(
                        "container {:?} does not set allowPrivilegeEscalation: false",
                        c.name
                    ),
                ));
            }
            if !(host_users_off && minor >= 35) {
                let own = field("runAsNonRoot").and_then(bool_of);
                if own == Some(false) || (own.is_none() && pod_nonroot != Some(true)) {
                    out.push(("CK-SEC-002.runAsNonRoot", join(&sc_ptr, "runAsNonRoot"), c.id(), format!("container {:?} may run as root: runAsNonRoot is not true on it or the pod", c.name)));
                }
            }
            if minor >= 23 && field("runAsUser").and_then(num_of) == Some(0.0) {
                out.push((
                    "CK-SEC-002.runAsUser",
                    join(&sc_ptr, "runAsUser"),
                    c.id(),
                    format!("container {:?} runs as user 0 (root)", c.name),
                ));
            }
            if minor >= 19 && !windows {
                let own = sc
                    .and_then(|s| path(s, &["seccompProfile", "type"]))
                    .and_then(str_of);
                let bad = match own {
                    Some(t) => !seccomp_ok(t),
                    None => !pod_seccomp.is_some_and(seccomp_ok),
                };
                if bad {
                    out.push(("CK-SEC-002.seccompStrict", join_all(&sc_ptr, &["seccompProfile", "type"]), c.id(), format!("container {:?} has no RuntimeDefault or Localhost seccomp profile (own or the pod's)", c.name)));
                }
            }
            if minor >= 22 && !windows {
                let drop_all = sc
                    .and_then(|s| path(s, &["capabilities", "drop"]))
                    .is_some_and(|d| items(d).iter().any(|x| str_of(x) == Some("ALL")));
                if !drop_all {
                    out.push((
                        "CK-SEC-002.capabilitiesStrict",
                        join_all(&sc_ptr, &["capabilities", "drop"]),
                        c.id(),
                        format!("container {:?} does not drop ALL capabilities", c.name),
                    ));
                }
                if let Some(add) = sc.and_then(|s| path(s, &["capabilities", "add"])) {
                    for (i, cap) in items(add).iter().enumerate() {
                        if str_of(cap) != Some("NET_BIND_SERVICE") {
                            out.push(("CK-SEC-002.capabilitiesStrict", join_all(&sc_ptr, &["capabilities", "add", &i.to_string()]), c.id(), format!("container {:?} adds capability {}; only NET_BIND_SERVICE is allowed", c.name, str_of(cap).unwrap_or("?"))));
                        }
                    }
                }
            }
            if minor >= 35
                && host_users_off
                && let Some(pm) = field("procMount").and_then(str_of)
                && pm != "Default"
            {
                out.push((
                    "CK-SEC-002.procMount",
                    join(&sc_ptr, "procMount"),
                    c.id(),
                    format!("container {:?} sets procMount {pm}", c.name),
                ));
            }
        }
        for (sub, ptr, container, message) in out {
            ctx.emit_full(sub, Some(sev), pod.object, ptr, container, message);
        }
    }
}
