//! Per-rule settings: the `rules:` section of `chartkit.yaml`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use goyaml::{Node, NodeValue};
use schema::Severity;

use crate::date::Date;
use crate::rules::{RuleDoc, lookup};
use crate::yaml::{entries, str_of};

/// A severity, or `off`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Report as an error.
    Error,
    /// Report as a warning.
    Warning,
    /// Report as information.
    Info,
    /// Do not run the rule (or the sub-check).
    Off,
}

impl Level {
    /// Parses `error`, `warning`, `info` or `off`.
    pub fn parse(text: &str) -> Option<Level> {
        match text {
            "error" => Some(Level::Error),
            "warning" => Some(Level::Warning),
            "info" => Some(Level::Info),
            "off" => Some(Level::Off),
            _ => None,
        }
    }

    /// The severity, or `None` for `off`.
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Error => Some(Severity::Error),
            Level::Warning => Some(Severity::Warning),
            Level::Info => Some(Severity::Info),
            Level::Off => None,
        }
    }

    /// `error`, `warning`, `info` or `off`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Info => "info",
            Level::Off => "off",
        }
    }
}

/// The settings of one rule (or one sub-check).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RuleSetting {
    /// The severity override; `None` keeps the rule's own.
    pub level: Option<Level>,
    /// The rule's options (`mode`, `tags`, ...), as written.
    pub options: BTreeMap<String, Node>,
}

/// An object that exists outside the release (created by the platform or another chart), so
/// references to it resolve. Issue 8's platform profile fills these; callers may add more.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ExternalObject {
    /// The kind (`Secret`, `ServiceAccount`, `ClusterSecretStore`, ...).
    pub kind: String,
    /// The namespace; `None` for cluster-scoped objects or "any namespace".
    pub namespace: Option<String>,
    /// The name.
    pub name: String,
}

/// Everything [`crate::check`] takes besides the release.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Settings {
    /// Per rule, keyed by rule id or sub-id (`CK-SEC-001.privileged`), never by kebab name.
    pub rules: BTreeMap<String, RuleSetting>,
    /// Today's date, for suppression expiry; `None`: expiry dates are not checked.
    pub today: Option<Date>,
    /// Check Helm test hooks too (skipped by default).
    pub include_test_hooks: bool,
    /// Namespaces that enforce Pod Security `restricted`: CK-SEC-002 findings there are errors
    /// (warnings elsewhere). A Namespace object in the release labelled
    /// `pod-security.kubernetes.io/enforce: restricted` counts too.
    pub restricted_namespaces: BTreeSet<String>,
    /// Objects that exist outside the release (references to them resolve).
    pub external_objects: Vec<ExternalObject>,
}

/// An invalid `rules:` section, with the place of the offending key or value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SettingsError {
    /// 1-based line (0 if unknown).
    pub line: u32,
    /// 1-based column (0 if unknown).
    pub column: u32,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for SettingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for SettingsError {}

fn error_at(pos: goyaml::Pos, message: String) -> SettingsError {
    SettingsError {
        line: pos.line,
        column: pos.column,
        message,
    }
}

impl Settings {
    /// Parses the value of the `rules:` key of `chartkit.yaml`: a mapping from a rule id,
    /// sub-id or kebab name to either a level (`error`, `warning`, `info`, `off`) or a mapping
    /// with an optional `severity` and the rule's options. Unknown rules, levels and options are
    /// errors. A null node means no settings.
    pub fn from_rules_node(node: &Node) -> Result<Settings, SettingsError> {
        let mut settings = Settings::default();
        if matches!(node.value, NodeValue::Null) {
            return Ok(settings);
        }
        if !matches!(node.value, NodeValue::Map(_)) {
            return Err(error_at(
                node.pos,
                "rules: expected a mapping of rule ids".into(),
            ));
        }
        for (key, value) in entries(node) {
            let Some((doc, sub)) = lookup(&key.name) else {
                return Err(error_at(
                    key.pos,
                    format!("rules: unknown rule {:?}", key.name),
                ));
            };
            let id = match sub {
                Some(sub) => format!("{}.{sub}", doc.id),
                None => doc.id.to_string(),
            };
            let setting = parse_setting(doc, &key.name, value)?;
            settings.rules.insert(id, setting);
        }
        Ok(settings)
    }

    /// Sets a rule's level (by id, sub-id or name); `false` if the rule is unknown.
    pub fn set_level(&mut self, rule: &str, level: Level) -> bool {
        let Some((doc, sub)) = lookup(rule) else {
            return false;
        };
        let id = match sub {
            Some(sub) => format!("{}.{sub}", doc.id),
            None => doc.id.to_string(),
        };
        self.rules.entry(id).or_default().level = Some(level);
        true
    }

    /// Sets a rule option (by id or name); `false` if the rule or option is unknown.
    pub fn set_option(&mut self, rule: &str, option: &str, value: Node) -> bool {
        match lookup(rule) {
            Some((doc, None)) if doc.options.contains(&option) => {
                self.rules
                    .entry(doc.id.to_string())
                    .or_default()
                    .options
                    .insert(option.to_string(), value);
                true
            }
            _ => false,
        }
    }

    /// The configured level of a rule id or sub-id, if any.
    pub fn level(&self, id: &str) -> Option<Level> {
        self.rules.get(id).and_then(|s| s.level)
    }

    /// A rule option.
    pub(crate) fn option(&self, id: &str, option: &str) -> Option<&Node> {
        self.rules.get(id).and_then(|s| s.options.get(option))
    }
}

fn parse_setting(doc: &RuleDoc, key: &str, value: &Node) -> Result<RuleSetting, SettingsError> {
    let level_of = |n: &Node| -> Result<Level, SettingsError> {
        let text = match &n.value {
            // `off` is a boolean in YAML 1.1.
            NodeValue::Bool(false) => "off",
            _ => str_of(n).unwrap_or(""),
        };
        Level::parse(text).ok_or_else(|| {
            error_at(
                n.pos,
                format!("rules.{key}: expected error, warning, info or off"),
            )
        })
    };
    match &value.value {
        NodeValue::Map(fields) => {
            let mut setting = RuleSetting::default();
            for (k, v) in fields {
                if k.name == "severity" {
                    setting.level = Some(level_of(v)?);
                } else if doc.options.contains(&k.name.as_str()) && !key.contains('.') {
                    setting.options.insert(k.name.clone(), v.clone());
                } else {
                    let known = if doc.options.is_empty() {
                        "severity".to_string()
                    } else {
                        format!("severity, {}", doc.options.join(", "))
                    };
                    return Err(error_at(
                        k.pos,
                        format!("rules.{key}: unknown setting {:?} (known: {known})", k.name),
                    ));
                }
            }
            Ok(setting)
        }
        _ => Ok(RuleSetting {
            level: Some(level_of(value)?),
            options: BTreeMap::new(),
        }),
    }
}
