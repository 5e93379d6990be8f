//! CK-SEC-004 `readonly-rootfs`.

use crate::engine::Ctx;
use crate::pod::ContainerKind;
use crate::rules::{Rule, RuleDoc};
use crate::settings::Level;
use crate::yaml::{bool_of, join_all, path};

pub(crate) static RULE: Rule = Rule {
    doc: RuleDoc {
        id: "CK-SEC-004",
        name: "readonly-rootfs",
        default_severity: Level::Warning,
        summary: "App containers set `securityContext.readOnlyRootFilesystem: true`.",
        why: "A writable root filesystem lets an attacker (or a bug) drop binaries and modify the image at run time, and silently consumes node disk.",
        example: "containers:\n  - name: api\n    securityContext: { allowPrivilegeEscalation: false }   # root filesystem writable",
        fix: "Set `readOnlyRootFilesystem: true` and mount an emptyDir (with a sizeLimit) where the process needs to write, such as `/tmp`.",
        options: &[],
        sub_ids: &[],
    },
    run,
};

fn run(ctx: &mut Ctx<'_>) {
    for pod in ctx.pods {
        for c in pod
            .containers()
            .into_iter()
            .filter(|c| c.kind == ContainerKind::App)
        {
            if path(c.node, &["securityContext", "readOnlyRootFilesystem"]).and_then(bool_of)
                != Some(true)
            {
                ctx.emit(
                    pod.object,
                    join_all(&c.ptr, &["securityContext", "readOnlyRootFilesystem"]),
                    c.id(),
                    format!("container {:?} has a writable root filesystem", c.name),
                );
            }
        }
    }
}
