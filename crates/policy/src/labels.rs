//! Label sets and selectors.

use std::collections::BTreeMap;

use goyaml::Node;

use crate::yaml::{entries, get, items, scalar_text, str_of};

/// A label set (`metadata.labels`).
pub(crate) type Labels = BTreeMap<String, String>;

/// The labels of a mapping node (values of any scalar type as text).
pub(crate) fn labels_of(node: Option<&Node>) -> Labels {
    node.map(|n| {
        entries(n)
            .iter()
            .filter_map(|(k, v)| scalar_text(v).map(|t| (k.name.clone(), t)))
            .collect()
    })
    .unwrap_or_default()
}

/// One `matchExpressions` requirement.
#[derive(Clone, Debug)]
pub(crate) struct Requirement {
    pub key: String,
    pub operator: String,
    pub values: Vec<String>,
}

/// A selector: a Service-style map, or a `LabelSelector` (`matchLabels` + `matchExpressions`).
#[derive(Clone, Debug, Default)]
pub(crate) struct Selector {
    pub match_labels: Labels,
    pub expressions: Vec<Requirement>,
}

impl Selector {
    /// A Service (or ReplicationController) selector: a plain map.
    pub fn from_map(node: Option<&Node>) -> Selector {
        Selector {
            match_labels: labels_of(node),
            expressions: Vec::new(),
        }
    }

    /// A `metav1.LabelSelector`.
    pub fn from_label_selector(node: Option<&Node>) -> Selector {
        let Some(node) = node else {
            return Selector::default();
        };
        let expressions = get(node, "matchExpressions")
            .map(|e| {
                items(e)
                    .iter()
                    .map(|r| Requirement {
                        key: get(r, "key").and_then(str_of).unwrap_or("").to_string(),
                        operator: get(r, "operator")
                            .and_then(str_of)
                            .unwrap_or("")
                            .to_string(),
                        values: get(r, "values")
                            .map(|v| items(v).iter().filter_map(scalar_text).collect())
                            .unwrap_or_default(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        Selector {
            match_labels: labels_of(get(node, "matchLabels")),
            expressions,
        }
    }

    /// No requirement at all (a `LabelSelector` `{}` selects everything).
    pub fn is_empty(&self) -> bool {
        self.match_labels.is_empty() && self.expressions.is_empty()
    }

    /// Whether `labels` satisfy every requirement.
    pub fn matches(&self, labels: &Labels) -> bool {
        self.match_labels
            .iter()
            .all(|(k, v)| labels.get(k) == Some(v))
            && self.expressions.iter().all(|r| {
                let value = labels.get(&r.key);
                match r.operator.as_str() {
                    "In" => value.is_some_and(|v| r.values.contains(v)),
                    "NotIn" => value.is_none_or(|v| !r.values.contains(v)),
                    "Exists" => value.is_some(),
                    "DoesNotExist" => value.is_none(),
                    _ => false,
                }
            })
    }

    /// The `matchLabels` entries `labels` lacks or contradicts, for messages.
    pub fn mismatches(&self, labels: &Labels) -> Vec<String> {
        self.match_labels
            .iter()
            .filter(|(k, v)| labels.get(*k) != Some(v))
            .map(|(k, v)| match labels.get(k) {
                Some(have) => format!("{k}={v} (has {have})"),
                None => format!("{k}={v} (missing)"),
            })
            .collect()
    }
}
