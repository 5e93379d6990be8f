//! CK-SEC-007 `runtime-socket-mount`.

use crate::engine::Ctx;
use crate::rules::{Rule, RuleDoc};
use crate::settings::Level;
use crate::yaml::{get, join_all, str_of};

pub(crate) static RULE: Rule = Rule {
    doc: RuleDoc {
        id: "CK-SEC-007",
        name: "runtime-socket-mount",
        default_severity: Level::Error,
        summary: "No hostPath volume on a container runtime socket (docker, containerd, CRI-O, cri-dockerd) or on `/var/run` / `/run` and the runtimes' directories there.",
        why: "Whoever reaches the runtime socket can start privileged containers on the node: it is root on the node, whatever the pod's own securityContext says.",
        example: "volumes:\n  - name: docker\n    hostPath: { path: /var/run/docker.sock }",
        fix: "Build images with a daemonless builder (kaniko, buildkit rootless) and read container metadata from the Kubernetes API instead of the runtime.",
        options: &[],
        sub_ids: &[],
    },
    run,
};

const RUNTIMES: [&str; 4] = ["docker", "containerd", "crio", "cri-dockerd"];

fn is_runtime_path(path: &str) -> bool {
    let p = path.trim_end_matches('/');
    let p = if p.is_empty() { "/" } else { p };
    let under_run = p
        .strip_prefix("/var/run")
        .or_else(|| p.strip_prefix("/run"));
    match under_run {
        Some("") => true,
        Some(rest) => {
            let first = rest.trim_start_matches('/').split('/').next().unwrap_or("");
            RUNTIMES
                .iter()
                .any(|r| first == *r || first.starts_with(&format!("{r}.")))
        }
        None => {
            p.ends_with(".sock")
                && RUNTIMES
                    .iter()
                    .any(|r| p.rsplit('/').next().is_some_and(|f| f.contains(r)))
        }
    }
}

fn run(ctx: &mut Ctx<'_>) {
    for pod in ctx.pods {
        for (vol, ptr) in pod.volumes() {
            let Some(path) = get(vol, "hostPath")
                .and_then(|h| get(h, "path"))
                .and_then(str_of)
            else {
                continue;
            };
            if is_runtime_path(path) {
                ctx.emit(
                    pod.object,
                    join_all(&ptr, &["hostPath", "path"]),
                    None,
                    format!("hostPath {path} exposes the container runtime of the node"),
                );
            }
        }
    }
}
