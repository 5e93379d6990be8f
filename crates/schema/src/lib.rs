//! Strict, offline validation of rendered Kubernetes objects: the schema side of
//! `chartkit lint`.
//!
//! * [`SchemaSet`]: the schemas of one Kubernetes minor version (1.29 to 1.35): the bundled
//!   Kubernetes schemas (from the `kubernetes-validate` package's strict schemas), the bundled
//!   CRD schemas (Prometheus operator, External Secrets, AWS Load Balancer Controller) and the
//!   user's CRDs ([`SchemaSet::add_crd`]). Bundles are embedded compressed, decompressed on first
//!   use of a version and compiled per kind on first use of that kind.
//! * [`SchemaSet::validate`]: the catalog checks on one object: CK-SCHEMA-001 (type, enum,
//!   required, formats: int-or-string, quantities, `int32`/`int64` ranges, `byte`,
//!   `date-time`), CK-SCHEMA-002 (unknown fields, with a did-you-mean suggestion),
//!   CK-SCHEMA-004 (custom resources against their CRD schema; "no schema" warnings),
//!   CK-API-001/002 (removed and deprecated apiVersions, [`deprecations`]).
//! * [`duplicate_keys`]: CK-SCHEMA-003 on one document's text.
//! * [`Quantity`]: Kubernetes' `resource.Quantity`, parsed exactly as `resource.ParseQuantity`.
//!
//! The crate does no IO: callers pass text and nodes.

mod compile;
pub mod crd;
pub mod data;
pub mod deprecations;
mod dupkeys;
pub mod quantity;
pub mod suggest;
mod validate;

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};

pub use dupkeys::duplicate_keys;
pub use quantity::{Quantity, QuantityError};

/// Rule ids of the findings this crate produces (POLICY-CATALOG.md §5.3).
pub mod rules {
    /// The object does not validate against its kind's schema (type, enum, required, format).
    pub const SCHEMA_INVALID: &str = "CK-SCHEMA-001";
    /// A field the schema does not define (strict validation).
    pub const UNKNOWN_FIELD: &str = "CK-SCHEMA-002";
    /// A mapping key written twice.
    pub const DUPLICATE_KEY: &str = "CK-SCHEMA-003";
    /// A custom resource does not validate against its CRD schema, or has no schema.
    pub const CRD_SCHEMA: &str = "CK-SCHEMA-004";
    /// The apiVersion of the kind is no longer served by the target version.
    pub const REMOVED_API: &str = "CK-API-001";
    /// The apiVersion of the kind is deprecated or removed soon after the target version.
    pub const DEPRECATED_API: &str = "CK-API-002";
}

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The object would be rejected or is wrong.
    Error,
    /// Worth fixing; does not fail by default.
    Warning,
    /// For information.
    Info,
}

impl Severity {
    /// `error`, `warning` or `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// One finding on one object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// The catalog id (`"CK-SCHEMA-001"`, see [`rules`]).
    pub rule: &'static str,
    /// The default severity.
    pub severity: Severity,
    /// JSON pointer (RFC 6901) into the object; `""` is the object itself.
    pub pointer: String,
    /// The message, kubectl/kubeconform style: `spec.replicas: expected integer, got string "3"`.
    pub message: String,
    /// 1-based line in the document (from the node's position); 0 if unknown.
    pub line: u32,
    /// 1-based column; 0 if unknown.
    pub column: u32,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {} {}: {}",
            self.line,
            self.column,
            self.severity.as_str(),
            self.rule,
            self.message
        )
    }
}

/// An error loading schemas or CRDs. [`fmt::Display`] gives `file:line:col: message` when the
/// place is known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    /// What went wrong.
    pub message: String,
    /// The file, when the error is about one.
    pub file: Option<String>,
    /// 1-based line; 0 if unknown.
    pub line: u32,
    /// 1-based column; 0 if unknown.
    pub column: u32,
}

impl Error {
    pub(crate) fn new(message: impl Into<String>) -> Error {
        Error {
            message: message.into(),
            file: None,
            line: 0,
            column: 0,
        }
    }

    pub(crate) fn at(file: &str, line: u32, column: u32, message: impl Into<String>) -> Error {
        Error {
            message: message.into(),
            file: Some(file.to_string()),
            line,
            column,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.file {
            Some(file) if self.line > 0 => {
                write!(f, "{file}:{}:{}: {}", self.line, self.column, self.message)
            }
            Some(file) => write!(f, "{file}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for Error {}

/// Where a kind's schema comes from.
#[derive(Clone)]
enum Source {
    /// A built-in Kubernetes kind: definition name in the version's bundle.
    Kubernetes(String),
    /// A bundled CRD: index into [`data::CRDS`], definition name.
    BundledCrd(usize, String),
    /// A user CRD: the converted schema.
    UserCrd(Arc<serde_json::Value>),
}

/// The schemas of one Kubernetes minor version: the bundled Kubernetes schemas, the bundled
/// CRDs and the user's CRDs. Kinds are compiled on first use (and kept); a `SchemaSet` can be
/// shared between threads.
pub struct SchemaSet {
    minor: u32,
    kube: Arc<data::Bundle>,
    user: HashMap<String, Arc<serde_json::Value>>,
    compiled: Mutex<HashMap<String, Option<Arc<compile::Kind>>>>,
    /// How many minor versions ahead a removal makes an apiVersion deprecated (CK-API-002).
    pub removal_window: u32,
}

impl fmt::Debug for SchemaSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SchemaSet")
            .field("kubernetes", &format_args!("1.{}", self.minor))
            .field("user_crds", &self.user.len())
            .finish_non_exhaustive()
    }
}

impl SchemaSet {
    /// The bundled schemas for Kubernetes `1.<kube_minor>` (29 to 35).
    pub fn bundled(kube_minor: u32) -> Result<SchemaSet, Error> {
        let Some(kube) = data::kubernetes_bundle(kube_minor) else {
            return Err(Error::new(format!(
                "no schemas for Kubernetes 1.{kube_minor}: the supported versions are 1.{} to 1.{}",
                data::KUBE_MINORS.start(),
                data::KUBE_MINORS.end()
            )));
        };
        Ok(SchemaSet {
            minor: kube_minor,
            kube,
            user: HashMap::new(),
            compiled: Mutex::new(HashMap::new()),
            removal_window: 2,
        })
    }

    /// The Kubernetes minor version.
    pub fn kube_minor(&self) -> u32 {
        self.minor
    }

    /// Adds the CustomResourceDefinitions of a YAML stream (other documents are skipped): one
    /// schema per served version, replacing a bundled schema of the same apiVersion and kind.
    /// Returns how many schemas were added. Errors name `file:line:col`.
    pub fn add_crd(&mut self, crd_yaml: &str, file: &str) -> Result<usize, Error> {
        let schemas = crd::crd_schemas(crd_yaml, file)?;
        let n = schemas.len();
        let compiled = self.compiled.get_mut().unwrap_or_else(|e| e.into_inner());
        for s in schemas {
            let key = data::kind_key(&s.api_version(), &s.kind);
            compiled.remove(&key);
            self.user.insert(key, Arc::new(s.schema));
        }
        Ok(n)
    }

    /// Whether a schema exists for `apiVersion` and `kind`.
    pub fn has_schema(&self, api_version: &str, kind: &str) -> bool {
        self.source(&data::kind_key(api_version, kind)).is_some()
    }

    /// The built-in kinds of `api_version`, sorted.
    pub(crate) fn kube_kinds_of(&self, api_version: &str) -> Vec<&str> {
        let mut kinds: Vec<&str> = self
            .kube
            .kinds
            .keys()
            .filter_map(|k| k.strip_prefix(api_version)?.strip_prefix(' '))
            .collect();
        kinds.sort_unstable();
        kinds
    }

    fn source(&self, key: &str) -> Option<Source> {
        if let Some(s) = self.user.get(key) {
            return Some(Source::UserCrd(s.clone()));
        }
        if let Some(def) = self.kube.kinds.get(key) {
            return Some(Source::Kubernetes(def.clone()));
        }
        let i = *data::crd_index().get(key)?;
        let def = data::crd_bundle(i).kinds.get(key)?.clone();
        Some(Source::BundledCrd(i, def))
    }

    /// The compiled schema of a kind (compiled on first use).
    fn kind(&self, api_version: &str, kind: &str) -> Option<Arc<compile::Kind>> {
        let key = data::kind_key(api_version, kind);
        let mut cache = self.compiled.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(k) = cache.get(&key) {
            return k.clone();
        }
        let compiled = self.source(&key).map(|src| {
            Arc::new(match src {
                Source::Kubernetes(def) => {
                    compile::Kind::compile_ref(&def, None, &self.kube, false)
                }
                Source::BundledCrd(i, def) => {
                    compile::Kind::compile_ref(&def, Some(&data::crd_bundle(i)), &self.kube, true)
                }
                Source::UserCrd(schema) => compile::Kind::compile_value(&schema, &self.kube),
            })
        });
        cache.insert(key, compiled.clone());
        compiled
    }

    /// Validates one rendered object (a mapping) and returns its findings sorted by position.
    /// An empty document (null) has none.
    pub fn validate(&self, doc: &goyaml::Node) -> Vec<Finding> {
        let mut out = validate::object(self, doc);
        sort_findings(&mut out);
        out
    }
}

/// Sorts findings by position, then rule, pointer and message (a total, deterministic order).
pub fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (a.line, a.column, a.rule, &a.pointer, &a.message)
            .cmp(&(b.line, b.column, b.rule, &b.pointer, &b.message))
    });
}
