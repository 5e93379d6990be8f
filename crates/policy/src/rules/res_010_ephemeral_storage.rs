//! CK-RES-010 `ephemeral-storage`.

use std::collections::BTreeSet;

use crate::engine::Ctx;
use crate::rules::{Rule, RuleDoc};
use crate::settings::Level;
use crate::yaml::{get, items, join, path, str_of};

pub(crate) static RULE: Rule = Rule {
    doc: RuleDoc {
        id: "CK-RES-010",
        name: "ephemeral-storage",
        default_severity: Level::Warning,
        summary: "`emptyDir` volumes set `sizeLimit`; init and app containers that mount an emptyDir or have a writable root filesystem request and limit `ephemeral-storage`.",
        why: "Node disk is shared: a container filling its writable layer or an unbounded emptyDir gets the whole pod evicted (and, before that, can evict its neighbours); the scheduler ignores disk it was not told about.",
        example: "volumes:\n  - name: cache\n    emptyDir: {}        # no sizeLimit",
        fix: "Give each emptyDir a `sizeLimit` and set `resources.requests/limits.ephemeral-storage` on the containers that write to disk.",
        options: &[],
        sub_ids: &[],
    },
    run,
};

fn run(ctx: &mut Ctx<'_>) {
    for pod in ctx.pods {
        let mut empty_dirs = BTreeSet::new();
        for (vol, ptr) in pod.volumes() {
            let Some(ed) = get(vol, "emptyDir") else {
                continue;
            };
            let name = get(vol, "name").and_then(str_of).unwrap_or("");
            empty_dirs.insert(name.to_string());
            if get(ed, "sizeLimit").is_none() {
                ctx.emit(
                    pod.object,
                    join(&ptr, "emptyDir"),
                    None,
                    format!("emptyDir volume {name:?} has no sizeLimit"),
                );
            }
        }
        for c in pod.init_and_app() {
            let mounts_empty_dir = get(c.node, "volumeMounts").is_some_and(|m| {
                items(m).iter().any(|m| {
                    get(m, "name")
                        .and_then(str_of)
                        .is_some_and(|n| empty_dirs.contains(n))
                })
            });
            let writable_root = path(c.node, &["securityContext", "readOnlyRootFilesystem"])
                .and_then(crate::yaml::bool_of)
                != Some(true);
            if !mounts_empty_dir && !writable_root {
                continue;
            }
            let why = if mounts_empty_dir {
                "mounts an emptyDir"
            } else {
                "has a writable root filesystem"
            };
            for section in ["requests", "limits"] {
                let (v, ptr) = c.resource(section, "ephemeral-storage");
                if v.is_none() {
                    ctx.emit(
                        pod.object,
                        ptr,
                        c.id(),
                        format!(
                            "container {:?} {why} but sets no ephemeral-storage {}",
                            c.name,
                            &section[..section.len() - 1]
                        ),
                    );
                }
            }
        }
    }
}
