//! The rules: one file each, with the rule's documentation as data.

mod api_004_apiserver_validation;
mod img_001_mutable_tag;
mod img_003_digest_pin;
mod job_001_cronjob_hygiene;
mod job_002_job_ttl;
mod meta_002_required_labels;
pub(crate) mod meta_900_suppression_invalid;
pub(crate) mod meta_901_suppression_expired;
mod net_001_service_selects_nothing;
mod net_002_service_targetport_unresolved;
mod net_003_ingress_backend_missing;
mod net_007_networkpolicy_coverage;
mod probe_001_liveness_missing;
mod probe_002_readiness_missing;
mod probe_003_probe_port_unknown;
mod probe_004_probes_identical;
mod ref_001_servicemonitor_selects_nothing;
mod ref_002_servicemonitor_port_unknown;
mod ref_003_service_missing_servicemonitor;
mod ref_005_hpa_target;
mod ref_006_hpa_replicas_conflict;
mod ref_007_pdb_selects_nothing;
mod ref_008_pdb_blocks_drain;
mod ref_009_missing_reference;
mod res_001_requests_missing;
mod res_002_memory_limit_missing;
mod res_003_cpu_limit_policy;
mod res_004_request_exceeds_limit;
mod res_005_extended_resource_mismatch;
mod res_010_ephemeral_storage;
mod sec_001_pss_baseline;
mod sec_002_pss_restricted;
mod sec_004_readonly_rootfs;
mod sec_005_sa_token_automount;
mod sec_006_secret_literal;
mod sec_007_runtime_socket_mount;

use std::sync::OnceLock;

use crate::engine::Ctx;
use crate::settings::Level;

/// A rule's documentation, for `chartkit explain` and reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuleDoc {
    /// Stable id, `CK-<AREA>-<NNN>`.
    pub id: &'static str,
    /// Kebab-case alias naming what is flagged.
    pub name: &'static str,
    /// Severity without settings (`Off`: opt-in rule).
    pub default_severity: Level,
    /// What it checks, in one sentence.
    pub summary: &'static str,
    /// Why it matters.
    pub why: &'static str,
    /// A YAML excerpt that is flagged.
    pub example: &'static str,
    /// How to fix it.
    pub fix: &'static str,
    /// Option names accepted in the rule's settings (besides `severity`).
    pub options: &'static [&'static str],
    /// Sub-check names: findings carry `<id>.<sub>` and settings may address each.
    pub sub_ids: &'static [&'static str],
}

/// A rule: documentation and the check.
pub(crate) struct Rule {
    pub doc: RuleDoc,
    pub run: fn(&mut Ctx<'_>),
}

/// Every rule, in id order.
pub(crate) static RULES: &[&Rule] = &[
    &api_004_apiserver_validation::RULE,
    &img_001_mutable_tag::RULE,
    &img_003_digest_pin::RULE,
    &job_001_cronjob_hygiene::RULE,
    &job_002_job_ttl::RULE,
    &meta_002_required_labels::RULE,
    &meta_900_suppression_invalid::RULE,
    &meta_901_suppression_expired::RULE,
    &net_001_service_selects_nothing::RULE,
    &net_002_service_targetport_unresolved::RULE,
    &net_003_ingress_backend_missing::RULE,
    &net_007_networkpolicy_coverage::RULE,
    &probe_001_liveness_missing::RULE,
    &probe_002_readiness_missing::RULE,
    &probe_003_probe_port_unknown::RULE,
    &probe_004_probes_identical::RULE,
    &ref_001_servicemonitor_selects_nothing::RULE,
    &ref_002_servicemonitor_port_unknown::RULE,
    &ref_003_service_missing_servicemonitor::RULE,
    &ref_005_hpa_target::RULE,
    &ref_006_hpa_replicas_conflict::RULE,
    &ref_007_pdb_selects_nothing::RULE,
    &ref_008_pdb_blocks_drain::RULE,
    &ref_009_missing_reference::RULE,
    &res_001_requests_missing::RULE,
    &res_002_memory_limit_missing::RULE,
    &res_003_cpu_limit_policy::RULE,
    &res_004_request_exceeds_limit::RULE,
    &res_005_extended_resource_mismatch::RULE,
    &res_010_ephemeral_storage::RULE,
    &sec_001_pss_baseline::RULE,
    &sec_002_pss_restricted::RULE,
    &sec_004_readonly_rootfs::RULE,
    &sec_005_sa_token_automount::RULE,
    &sec_006_secret_literal::RULE,
    &sec_007_runtime_socket_mount::RULE,
];

/// The documentation of every rule this crate implements, in id order.
pub fn rules() -> &'static [RuleDoc] {
    static DOCS: OnceLock<Vec<RuleDoc>> = OnceLock::new();
    DOCS.get_or_init(|| RULES.iter().map(|r| r.doc).collect())
}

/// The checks of the `schema` crate (run by `chartkit lint` before the policy rules), documented
/// here because that crate carries only their ids. `rules:` settings apply to them too (the
/// caller applies the level to the schema findings; [`crate::check`] does not run them).
pub static SCHEMA_RULES: [RuleDoc; 6] = [
    RuleDoc {
        id: "CK-SCHEMA-001",
        name: "schema-invalid",
        default_severity: Level::Error,
        summary: "Every rendered object validates against the strict schema of its kind at the target Kubernetes version: types, enums, required fields, formats and quantities.",
        why: "The API server rejects the object at install time (or, for some fields, silently drops or coerces the value): the release fails half-applied.",
        example: "resources:\n  requests:\n    cpu: one   # not a quantity",
        fix: "Correct the value in the values file or the template the finding points at.",
        options: &[],
        sub_ids: &[],
    },
    RuleDoc {
        id: "CK-SCHEMA-002",
        name: "unknown-field",
        default_severity: Level::Error,
        summary: "No field the schema of the kind does not define (strict validation, with a did-you-mean suggestion).",
        why: "A misspelt field is dropped by the API server (or rejected with strict field validation): the setting the author meant never applies.",
        example: "containers:\n  - name: api\n    imagePullPolice: Always   # imagePullPolicy",
        fix: "Spell the field as the schema does, or move it to the level where it belongs.",
        options: &[],
        sub_ids: &[],
    },
    RuleDoc {
        id: "CK-SCHEMA-003",
        name: "duplicate-key",
        default_severity: Level::Error,
        summary: "No mapping key is written twice in a rendered document.",
        why: "YAML parsers disagree on duplicates; Kubernetes keeps the last value, so the first one is silently lost.",
        example: "data:\n  LOG_LEVEL: info\n  LOG_LEVEL: debug",
        fix: "Remove one of the keys (often a template and a values entry both write it).",
        options: &[],
        sub_ids: &[],
    },
    RuleDoc {
        id: "CK-SCHEMA-004",
        name: "crd-schema",
        default_severity: Level::Error,
        summary: "Custom resources validate against their CRD's schema (bundled platform CRDs, `crds:` in chartkit.yaml, `--crd FILE`); an object with no schema at all is a warning.",
        why: "The API server validates custom resources against the CRD's openAPIV3Schema; an unvalidated object may be rejected at install time.",
        example: "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nspec:\n  endpoints: [ { port: 9464 } ]   # port is a name",
        fix: "Correct the object, or give chartkit its CRD with `crds:` or `--crd`.",
        options: &[],
        sub_ids: &[],
    },
    RuleDoc {
        id: "CK-API-001",
        name: "removed-api",
        default_severity: Level::Error,
        summary: "No object uses an apiVersion of its kind that the target Kubernetes version no longer serves.",
        why: "The API server rejects the object: the release cannot be installed or upgraded on that version.",
        example: "apiVersion: policy/v1beta1   # removed in 1.25\nkind: PodDisruptionBudget",
        fix: "Use the replacement apiVersion the message names (and its field changes).",
        options: &[],
        sub_ids: &[],
    },
    RuleDoc {
        id: "CK-API-002",
        name: "deprecated-api",
        default_severity: Level::Warning,
        summary: "No object uses an apiVersion that is deprecated at the target version or removed soon after it.",
        why: "The next cluster upgrade breaks the release; fixing it before is cheap.",
        example: "apiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler",
        fix: "Use the replacement apiVersion the message names.",
        options: &[],
        sub_ids: &[],
    },
];

/// Every documented rule: the schema checks, then the policy rules.
pub fn all_docs() -> impl Iterator<Item = &'static RuleDoc> {
    SCHEMA_RULES.iter().chain(rules().iter())
}

/// Finds a rule by id, sub-id (`CK-SEC-001.privileged`) or kebab name.
pub(crate) fn lookup(reference: &str) -> Option<(&'static RuleDoc, Option<&'static str>)> {
    let (base, sub) = match reference.split_once('.') {
        Some((b, s)) if b.starts_with("CK-") => (b, Some(s)),
        _ => (reference, None),
    };
    let doc = all_docs().find(|d| d.id == base || (sub.is_none() && d.name == base))?;
    match sub {
        None => Some((doc, None)),
        Some(s) => doc
            .sub_ids
            .iter()
            .find(|x| **x == s)
            .map(|x| (doc, Some(*x))),
    }
}
