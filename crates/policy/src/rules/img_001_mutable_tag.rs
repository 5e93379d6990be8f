//! CK-IMG-001 `mutable-tag`.

use crate::engine::Ctx;
use crate::rules::{Rule, RuleDoc};
use crate::settings::Level;
use crate::yaml::{get, items, join, str_of};

pub(crate) static RULE: Rule = Rule {
    doc: RuleDoc {
        id: "CK-IMG-001",
        name: "mutable-tag",
        default_severity: Level::Error,
        summary: "Every container image names a tag or a digest, and the tag is not a floating one (option `tags`, default latest, main, master, stable, dev, develop, edge, nightly, head).",
        why: "A floating tag makes a rollback redeploy whatever the tag points to today, lets nodes run different code under one Deployment, and hides what is actually running.",
        example: "image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/dev-center/orders-api:latest",
        fix: "Set `image.tag` to an immutable version (the release's semver or Git SHA), or pin a digest.",
        options: &["tags"],
        sub_ids: &[],
    },
    run,
};

const FLOATING: [&str; 9] = [
    "latest", "main", "master", "stable", "dev", "develop", "edge", "nightly", "head",
];

/// The tag and digest of an image reference.
pub(crate) fn split_image(image: &str) -> (Option<&str>, Option<&str>) {
    let (name, digest) = match image.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (image, None),
    };
    let last = name.rsplit('/').next().unwrap_or(name);
    let tag = last.split_once(':').map(|(_, t)| t);
    (tag, digest)
}

fn run(ctx: &mut Ctx<'_>) {
    let configured: Option<Vec<String>> = ctx.option("tags").map(|n| {
        items(n)
            .iter()
            .filter_map(str_of)
            .map(str::to_string)
            .collect()
    });
    for pod in ctx.pods {
        for c in pod.containers() {
            let Some(image) = get(c.node, "image").and_then(str_of) else {
                continue;
            };
            let (tag, digest) = split_image(image);
            if digest.is_some() {
                continue;
            }
            let message = match tag {
                None | Some("") => format!(
                    "image {image:?} of container {:?} has no tag (means latest)",
                    c.name
                ),
                Some(t) => {
                    let floating = match &configured {
                        Some(list) => list.iter().any(|f| f.eq_ignore_ascii_case(t)),
                        None => FLOATING.iter().any(|f| f.eq_ignore_ascii_case(t)),
                    };
                    if !floating {
                        continue;
                    }
                    format!(
                        "image {image:?} of container {:?} uses the floating tag {t:?}",
                        c.name
                    )
                }
            };
            ctx.emit(pod.object, join(&c.ptr, "image"), c.id(), message);
        }
    }
}
