//! CK-IMG-003 `digest-pin`.

use crate::engine::Ctx;
use crate::rules::{Rule, RuleDoc};
use crate::settings::Level;
use crate::yaml::{get, join, str_of};

pub(crate) static RULE: Rule = Rule {
    doc: RuleDoc {
        id: "CK-IMG-003",
        name: "digest-pin",
        default_severity: Level::Off,
        summary: "Off by default: every container image is pinned by digest (`@sha256:...`). Turn on for sensitive namespaces such as auth.",
        why: "Even version tags can be moved by whoever can push to the registry; a digest names exactly one image, so what was reviewed is what runs.",
        example: "image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/auth/token-service:3.1.0",
        fix: "Reference the image as `repo:tag@sha256:<digest>` (the tag stays for humans).",
        options: &[],
        sub_ids: &[],
    },
    run,
};

fn run(ctx: &mut Ctx<'_>) {
    for pod in ctx.pods {
        for c in pod.containers() {
            let Some(image) = get(c.node, "image").and_then(str_of) else {
                continue;
            };
            let pinned = image
                .split_once('@')
                .is_some_and(|(_, d)| d.starts_with("sha256:") && d.len() == 71);
            if !pinned {
                ctx.emit(
                    pod.object,
                    join(&c.ptr, "image"),
                    c.id(),
                    format!(
                        "image {image:?} of container {:?} is not pinned by a sha256 digest",
                        c.name
                    ),
                );
            }
        }
    }
}
