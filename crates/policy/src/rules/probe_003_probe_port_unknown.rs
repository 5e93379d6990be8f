//! CK-PROBE-003 `probe-port-unknown`.

use crate::engine::Ctx;
use crate::pod::{port_in, show_port};
use crate::rules::{Rule, RuleDoc};
use crate::settings::Level;
use crate::yaml::{get, join};

pub(crate) static RULE: Rule = Rule {
    doc: RuleDoc {
        id: "CK-PROBE-003",
        name: "probe-port-unknown",
        default_severity: Level::Error,
        summary: "The port of every probe (`httpGet.port`, `tcpSocket.port`, `grpc.port`) is a port the same container declares: a name among its `ports[].name`, a number among its `containerPort`s.",
        why: "A probe on a misspelled port name is rejected at admission; a probe on the wrong number fails for ever and the pod restarts in a loop or never becomes ready.",
        example: "ports: [ { name: http, containerPort: 8080 } ]\nlivenessProbe:\n  httpGet: { path: /healthz, port: htpp }",
        fix: "Probe a declared port, preferably by its name, or declare the port the probe uses.",
        options: &[],
        sub_ids: &[],
    },
    run,
};

fn run(ctx: &mut Ctx<'_>) {
    for pod in ctx.pods {
        for c in pod.containers() {
            for probe in ["startupProbe", "livenessProbe", "readinessProbe"] {
                let Some(p) = get(c.node, probe) else {
                    continue;
                };
                for handler in ["httpGet", "tcpSocket", "grpc"] {
                    let Some(port) = get(p, handler).and_then(|h| get(h, "port")) else {
                        continue;
                    };
                    if !port_in(&c, port) {
                        ctx.emit(
                            pod.object,
                            join(&join(&join(&c.ptr, probe), handler), "port"),
                            c.id(),
                            format!(
                                "{probe} of container {:?} uses port {}, which the container does not declare",
                                c.name,
                                show_port(port)
                            ),
                        );
                    }
                }
            }
        }
    }
}
