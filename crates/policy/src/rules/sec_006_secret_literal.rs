//! CK-SEC-006 `secret-literal`.

use crate::engine::Ctx;
use crate::rules::{Rule, RuleDoc};
use crate::settings::Level;
use crate::yaml::{entries, get, items, join, join_all, str_of};

pub(crate) static RULE: Rule = Rule {
    doc: RuleDoc {
        id: "CK-SEC-006",
        name: "secret-literal",
        default_severity: Level::Error,
        summary: "No literal secret in plain objects: container `env[].value` and ConfigMap `data` entries whose name looks secret (contains PASSWORD, PASSWD, SECRET, TOKEN, API_KEY, APIKEY, PRIVATE_KEY or ACCESS_KEY) and have a non-empty value (names ending in _TTL, _SECONDS, _TIMEOUT, _EXPIRY, _EXPIRES, _URL, _URI, _PATH, _FILE, _NAME, _LENGTH, _HEADER, _ENDPOINT, _ISSUER or _AUDIENCE describe a secret without holding one), and any value holding a PEM private key.",
        why: "Rendered manifests end up in Git, CI logs, Helm release Secrets readable by anyone with namespace read access, and `kubectl describe`; a secret written there is leaked.",
        example: "env:\n  - name: DB_PASSWORD\n    value: hunter2",
        fix: "Keep the secret in AWS Secrets Manager, sync it with an ExternalSecret and use `valueFrom.secretKeyRef` or `envFrom.secretRef`.",
        options: &[],
        sub_ids: &[],
    },
    run,
};

const MARKERS: [&str; 8] = [
    "PASSWORD",
    "PASSWD",
    "SECRET",
    "TOKEN",
    "API_KEY",
    "APIKEY",
    "PRIVATE_KEY",
    "ACCESS_KEY",
];

/// Name endings that describe a secret without being one (`TOKEN_TTL_SECONDS`,
/// `SECRET_NAME`, `API_KEY_FILE`, `TOKEN_ISSUER`).
const NOT_SECRET_SUFFIXES: [&str; 15] = [
    "_TTL",
    "_SECONDS",
    "_TIMEOUT",
    "_EXPIRY",
    "_EXPIRES",
    "_URL",
    "_URI",
    "_PATH",
    "_FILE",
    "_NAME",
    "_LENGTH",
    "_HEADER",
    "_ENDPOINT",
    // OIDC: the token issuer URL and the audience are public.
    "_ISSUER",
    "_AUDIENCE",
];

fn secret_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase().replace(['-', '.'], "_");
    MARKERS.iter().any(|m| upper.contains(m))
        && !NOT_SECRET_SUFFIXES.iter().any(|s| upper.ends_with(s))
}

fn pem_key(value: &str) -> bool {
    value.contains("-----BEGIN") && value.contains("PRIVATE KEY-----")
}

fn run(ctx: &mut Ctx<'_>) {
    for pod in ctx.pods {
        for c in pod.containers() {
            let Some(env) = get(c.node, "env") else {
                continue;
            };
            for (i, e) in items(env).iter().enumerate() {
                let name = get(e, "name").and_then(str_of).unwrap_or("");
                let Some(value) = get(e, "value").and_then(str_of).filter(|v| !v.is_empty()) else {
                    continue;
                };
                if secret_name(name) || pem_key(value) {
                    ctx.emit(
                        pod.object,
                        join_all(&c.ptr, &["env", &i.to_string(), "value"]),
                        c.id(),
                        format!("container {:?} sets {name} to a literal value; reference a Secret instead", c.name),
                    );
                }
            }
        }
    }
    let configmaps: Vec<_> = ctx.of_kind("ConfigMap").collect();
    for (i, cm) in configmaps {
        let Some(data) = get(&cm.node, "data") else {
            continue;
        };
        for (k, v) in entries(data) {
            let value = str_of(v).unwrap_or("");
            if !value.is_empty() && (secret_name(&k.name) || pem_key(value)) {
                ctx.emit(
                    i,
                    join(&join("", "data"), &k.name),
                    None,
                    format!(
                        "ConfigMap {:?} holds {} in clear text; use a Secret",
                        cm.name, k.name
                    ),
                );
            }
        }
    }
}
