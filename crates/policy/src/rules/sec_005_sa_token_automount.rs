//! CK-SEC-005 `sa-token-automount`.

use crate::engine::Ctx;
use crate::rules::{Rule, RuleDoc};
use crate::settings::Level;
use crate::yaml::{bool_of, get, items, join, str_of};

pub(crate) static RULE: Rule = Rule {
    doc: RuleDoc {
        id: "CK-SEC-005",
        name: "sa-token-automount",
        default_severity: Level::Warning,
        summary: "Pods run under their own ServiceAccount (not `default`), and pods whose ServiceAccount has no RoleBinding or ClusterRoleBinding in the release do not mount its token (`automountServiceAccountToken: false` on the pod or the ServiceAccount).",
        why: "A mounted token that grants nothing is only useful to an attacker (it still authenticates to the API server); the `default` ServiceAccount is shared by every pod of the namespace, so any permission given to it leaks to all.",
        example: "spec:\n  # no serviceAccountName, token mounted\n  containers: [ { name: api, image: api:1.2.3 } ]",
        fix: "Create a ServiceAccount per workload and set `automountServiceAccountToken: false` unless the pod calls the Kubernetes API (then bind it a Role).",
        options: &[],
        sub_ids: &[],
    },
    run,
};

fn bound(ctx: &Ctx<'_>, namespace: &str, sa: &str) -> bool {
    ctx.objects()
        .filter(|(_, o)| o.kind == "RoleBinding" || o.kind == "ClusterRoleBinding")
        .any(|(_, b)| {
            get(&b.node, "subjects").is_some_and(|s| {
                items(s).iter().any(|sub| {
                    let ns = get(sub, "namespace").and_then(str_of).unwrap_or(
                        if b.kind == "RoleBinding" {
                            &b.namespace
                        } else {
                            ""
                        },
                    );
                    get(sub, "kind").and_then(str_of) == Some("ServiceAccount")
                        && get(sub, "name").and_then(str_of) == Some(sa)
                        && ns == namespace
                })
            })
        })
}

fn run(ctx: &mut Ctx<'_>) {
    for pod in ctx.pods {
        let explicit = get(pod.spec, "serviceAccountName")
            .or_else(|| get(pod.spec, "serviceAccount"))
            .and_then(str_of)
            .filter(|s| !s.is_empty());
        let sa = explicit.unwrap_or("default");
        if sa == "default" {
            ctx.emit(
                pod.object,
                join(&pod.spec_ptr, "serviceAccountName"),
                None,
                "the pod runs under the namespace's default ServiceAccount".into(),
            );
            continue;
        }
        let pod_setting = get(pod.spec, "automountServiceAccountToken").and_then(bool_of);
        let sa_setting = ctx
            .of_kind("ServiceAccount")
            .find(|(_, o)| o.name == sa && o.namespace == pod.namespace())
            .and_then(|(_, o)| get(&o.node, "automountServiceAccountToken").and_then(bool_of));
        let mounts = pod_setting.or(sa_setting).unwrap_or(true);
        if mounts && !bound(ctx, pod.namespace(), sa) {
            ctx.emit(
                pod.object,
                join(&pod.spec_ptr, "automountServiceAccountToken"),
                None,
                format!("the pod mounts the token of ServiceAccount {sa:?}, which no RoleBinding or ClusterRoleBinding of the release grants anything"),
            );
        }
    }
}
