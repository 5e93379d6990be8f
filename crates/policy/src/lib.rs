//! chartkit's rule engine: the core policy rules of `../shared/POLICY-CATALOG.md` §5.3 over one
//! rendered release.
//!
//! The caller renders a chart, parses every document into an [`Object`], and calls [`check`]
//! with a [`Release`] (all objects, the release namespace, the target Kubernetes minor) and the
//! [`Settings`] (per-rule severities and options from the `rules:` section of `chartkit.yaml`,
//! "today" for suppression expiry). Every rule sees the whole release, so cross-object rules
//! (Service → pods, ServiceMonitor → Service, HPA → workload, references to ConfigMaps and
//! Secrets) need no second pass. [`rules`] lists every rule with its documentation, for
//! `chartkit explain`.
//!
//! The schema rules (CK-SCHEMA-*, CK-API-001/002) live in the `schema` crate; this crate uses
//! its [`schema::Quantity`] for every quantity comparison and shares its [`Severity`].
//!
//! # What rules look at
//!
//! * Pod templates are found in `Pod` (`/spec`), `Deployment`, `StatefulSet`, `DaemonSet`,
//!   `ReplicaSet`, `ReplicationController`, `Job` (`/spec/template/spec`) and `CronJob`
//!   (`/spec/jobTemplate/spec/template/spec`); containers are `initContainers`, `containers` and
//!   `ephemeralContainers`.
//! * Pods an operator makes are modelled for the Prometheus Operator: a `monitoring.coreos.com/v1`
//!   `Prometheus` or `Alertmanager` stands for `spec.replicas` pods with the operator's labels
//!   (`app.kubernetes.io/name: prometheus|alertmanager`, `app.kubernetes.io/instance`,
//!   `app.kubernetes.io/managed-by: prometheus-operator`, `prometheus|alertmanager: <name>`, and
//!   for a Prometheus `operator.prometheus.io/name` and `operator.prometheus.io/shard: "0"`) and
//!   its containers' named ports (`web`, `reloader-web`, ...). Services, NetworkPolicies and
//!   PodDisruptionBudgets may select them (CK-NET-001/002/007, CK-REF-007/008); the container
//!   rules do not see them.
//! * Objects that are Helm test hooks (`helm.sh/hook: test`, `test-success`, `test-failure`)
//!   are invisible to every rule unless [`Settings::include_test_hooks`] is set.
//! * A finding's [`Finding::pointer`] is a JSON pointer (RFC 6901) into the object's document.
//!   When a rule reports something *missing*, the pointer names where it belongs (for example
//!   `/spec/template/spec/containers/0/resources/limits/memory`); [`locate`] gives the deepest
//!   node that exists on the way, for mapping a finding to a template line.
//!
//! # Suppressions
//!
//! A finding can be suppressed in the chart with an annotation, on the object's
//! `metadata.annotations` or (for workloads) on the pod template's `metadata.annotations`:
//!
//! ```yaml
//! metadata:
//!   annotations:
//!     # every finding of these rules on this object
//!     chartkit.io/ignore: "CK-RES-003=the platform forbids CPU limits, CK-SEC-004=legacy app until 2027-01-31"
//!     # only findings about the container named `worker`
//!     chartkit.io/ignore.worker: "readonly-rootfs=writes its cache to /var/cache"
//! ```
//!
//! The grammar of the annotation value:
//!
//! ```text
//! value   = entry *( separator entry )          separator = "," or a line break
//! entry   = rule "=" reason [ " until " date ]  surrounding blanks are ignored
//! rule    = a rule id ("CK-SEC-001"), a sub-id ("CK-SEC-001.privileged") or a kebab name
//! reason  = any text without "," or line breaks, not empty
//! date    = YYYY-MM-DD                          the last day the suppression holds
//! ```
//!
//! A rule id also covers its sub-ids (`CK-SEC-001` suppresses `CK-SEC-001.privileged`). An entry
//! without a reason, with an unknown rule, or with a malformed date suppresses nothing and is
//! itself a finding, **CK-META-900** `suppression-invalid` (error). An entry whose date is before
//! [`Settings::today`] suppresses nothing and is a finding, **CK-META-901** `suppression-expired`
//! (warning). Suppressed findings are still returned, with [`Finding::suppressed`] set; the
//! CK-META-9xx findings cannot be suppressed.
//!
//! # Settings
//!
//! The `rules:` section of `chartkit.yaml` ([`Settings::from_rules_node`]):
//!
//! ```yaml
//! rules:
//!   CK-RES-003: { severity: error, mode: require }   # severity and rule options
//!   probes-identical: off                            # kebab names work too
//!   CK-SEC-001.hostPorts: warning                    # one control of a rule with sub-ids
//!   mutable-tag: { tags: [latest, main, dev] }       # options only: default severity
//! ```
//!
//! This crate does no IO and reads no clock: "today" is a setting.

mod date;
mod engine;
mod finding;
mod labels;
mod model;
mod pod;
mod qty;
mod relations;
mod rules;
mod settings;
mod suppress;
mod yaml;

pub use date::Date;
pub use engine::check;
pub use finding::{Finding, Suppression};
pub use model::{Object, Release};
pub use rules::{RuleDoc, SCHEMA_RULES, all_docs, rules};
pub use schema::Severity;
pub use settings::{ExternalObject, Level, RuleSetting, Settings, SettingsError};
pub use yaml::{escape_pointer_token, locate};
