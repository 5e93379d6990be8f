//! Values provenance: for each key path of the merged values, the source that supplied it (a
//! values file with line and column, or a `--set`-family flag).
//!
//! Helm keeps no record of where a merged value came from. chartkit rebuilds it by replaying the
//! sources in Helm's precedence order, lowest first, and recording every key each source writes:
//! the chart's own defaults (deepest subchart first, then its parents, each under the key path the
//! subchart is scoped to), then the `-f` files in order, then `--set-json`, `--set`,
//! `--set-string`, `--set-file` and `--set-literal`. The last write of a path is the one the
//! merge kept, so [`ValuesProvenance::origin`] returns it. A subchart's `global` values are copies
//! of the parent's, so a path through `…/global/…` without its own record falls back to the
//! top-level `global` path.
//!
//! Recording costs a second parse of each values file, so `template` only builds this when asked
//! (`TemplateOptions::record_provenance`).

use std::collections::HashMap;
use std::fmt;

use gotmpl::{Map, Value};

use crate::chart::Chart;

/// Where a value came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    /// The values file as the user named it (`values/prod.yaml`), a chart's own defaults
    /// relative to the chart directory given on the command line (`values.yaml`,
    /// `charts/redis/values.yaml`), or the flag (`--set`, `--set-string`, ...).
    pub source: String,
    /// For a flag: the flag's argument (`image.tag=1.2.3`); empty for files.
    pub argument: String,
    /// The key path inside that source, in Helm's dotted form (`resources.limits.memory`,
    /// `hosts[0].name`). For a subchart's defaults this is the path in its own values.yaml.
    pub key_path: String,
    /// 1-based line of the key in the file (0 for flags).
    pub line: u32,
    /// 1-based column of the key in the file (0 for flags).
    pub column: u32,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(
                f,
                "{}:{}:{} ({})",
                self.source, self.line, self.column, self.key_path
            )
        } else if self.argument.is_empty() {
            write!(f, "{} ({})", self.source, self.key_path)
        } else {
            write!(f, "{} {} ({})", self.source, self.argument, self.key_path)
        }
    }
}

/// One segment of a key path: a map key or a list index.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Segment {
    /// A map key.
    Key(String),
    /// A list index.
    Index(usize),
}

/// Helm's dotted rendering of a key path: `a.b[0].c`.
pub fn dotted(path: &[Segment]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Segment::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Segment::Index(i) => {
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
        }
    }
    out
}

/// A source of values, for [`ValuesProvenance::record_user`].
#[derive(Clone, Debug)]
pub enum UserSource<'a> {
    /// A `-f` file: its name as given and its text.
    File {
        /// The path as the user wrote it.
        name: &'a str,
        /// The file's text.
        text: &'a str,
    },
    /// One argument of a `--set`-family flag, already parsed into the values it sets.
    Flag {
        /// `--set`, `--set-string`, `--set-json`, `--set-file` or `--set-literal`.
        flag: &'a str,
        /// The argument as given.
        argument: &'a str,
        /// What the argument sets (the flag parsed into an empty map).
        values: &'a Map,
    },
}

/// The origin of every key path of the merged values.
#[derive(Clone, Debug, Default)]
pub struct ValuesProvenance {
    origins: HashMap<Vec<Segment>, Origin>,
}

impl ValuesProvenance {
    /// An empty record.
    pub fn new() -> ValuesProvenance {
        ValuesProvenance::default()
    }

    /// Records the defaults of `chart` and of every subchart below it (as they stand after
    /// dependency processing: disabled subcharts are gone, aliases applied), lowest precedence
    /// first.
    pub fn record_chart_defaults(&mut self, chart: &Chart) {
        self.record_chart(chart, &[]);
    }

    fn record_chart(&mut self, chart: &Chart, prefix: &[Segment]) {
        for dep in &chart.dependencies {
            let mut p = prefix.to_vec();
            p.push(Segment::Key(dep.name().to_string()));
            self.record_chart(dep, &p);
        }
        if let Some(text) = &chart.values_text {
            let name = if chart.source.is_empty() {
                "values.yaml".to_string()
            } else {
                format!("{}/values.yaml", chart.source)
            };
            self.record_yaml(&name, text, prefix);
        }
    }

    /// Records a user source (call in Helm's order: `-f` files, then the flags by kind).
    pub fn record_user(&mut self, source: &UserSource<'_>) {
        match source {
            UserSource::File { name, text } => self.record_yaml(name, text, &[]),
            UserSource::Flag {
                flag,
                argument,
                values,
            } => {
                let mut path = Vec::new();
                self.record_value(flag, argument, &Value::Map((*values).clone()), &mut path);
            }
        }
    }

    /// Records every key of a YAML values text (all documents, in order) under `prefix`.
    /// Unparsable text records nothing: Helm reports that error elsewhere.
    fn record_yaml(&mut self, name: &str, text: &str, prefix: &[Segment]) {
        let Ok(docs) = goyaml::load_all(text, 0) else {
            return;
        };
        for doc in &docs {
            let mut path = prefix.to_vec();
            self.record_node(name, prefix.len(), doc, &mut path);
        }
    }

    fn record_node(
        &mut self,
        name: &str,
        skip: usize,
        node: &goyaml::Node,
        path: &mut Vec<Segment>,
    ) {
        match &node.value {
            goyaml::NodeValue::Map(entries) => {
                for (key, value) in entries {
                    path.push(Segment::Key(key.name.clone()));
                    if matches!(value.value, goyaml::NodeValue::Null) {
                        // `null` deletes the key: nothing of it survives the merge.
                        self.remove_subtree(path);
                    } else {
                        self.origins.insert(
                            path.clone(),
                            Origin {
                                source: name.to_string(),
                                argument: String::new(),
                                key_path: dotted(&path[skip..]),
                                line: key.pos.line,
                                column: key.pos.column,
                            },
                        );
                        self.record_node(name, skip, value, path);
                    }
                    path.pop();
                }
            }
            goyaml::NodeValue::Seq(items) => {
                // A list replaces the whole list before it.
                self.remove_descendants(path);
                for (i, item) in items.iter().enumerate() {
                    path.push(Segment::Index(i));
                    self.origins.insert(
                        path.clone(),
                        Origin {
                            source: name.to_string(),
                            argument: String::new(),
                            key_path: dotted(&path[skip..]),
                            line: item.pos.line,
                            column: item.pos.column,
                        },
                    );
                    self.record_node(name, skip, item, path);
                    path.pop();
                }
            }
            _ => {}
        }
    }

    fn record_value(&mut self, flag: &str, argument: &str, v: &Value, path: &mut Vec<Segment>) {
        let origin = |path: &[Segment]| Origin {
            source: flag.to_string(),
            argument: argument.to_string(),
            key_path: dotted(path),
            line: 0,
            column: 0,
        };
        match v {
            Value::Map(m) => {
                for (k, child) in m.entries() {
                    path.push(Segment::Key(k.to_string()));
                    if matches!(child, Value::Nil) {
                        self.remove_subtree(path);
                    } else {
                        self.origins.insert(path.clone(), origin(path));
                        self.record_value(flag, argument, &child, path);
                    }
                    path.pop();
                }
            }
            Value::List(items) => {
                for (i, child) in items.iter().enumerate() {
                    path.push(Segment::Index(i));
                    self.origins.insert(path.clone(), origin(path));
                    self.record_value(flag, argument, child, path);
                    path.pop();
                }
            }
            _ => {}
        }
    }

    fn remove_subtree(&mut self, path: &[Segment]) {
        self.origins.retain(|p, _| !p.starts_with(path));
    }

    fn remove_descendants(&mut self, path: &[Segment]) {
        self.origins
            .retain(|p, _| !(p.len() > path.len() && p.starts_with(path)));
    }

    /// The origin of the value at `path` of the merged values of the top chart (a subchart's
    /// values sit under its name or alias), if any source wrote it.
    pub fn origin(&self, path: &[Segment]) -> Option<&Origin> {
        if let Some(o) = self.origins.get(path) {
            return Some(o);
        }
        // `sub.global.x` is a copy of the parent's `global.x`.
        let g = path
            .iter()
            .rposition(|s| matches!(s, Segment::Key(k) if k == "global"))?;
        if g == 0 {
            return None;
        }
        self.origin(&path[g..])
    }

    /// [`origin`](Self::origin) for a dotted path of map keys only (`image.tag`).
    pub fn origin_of(&self, dotted_keys: &str) -> Option<&Origin> {
        let path: Vec<Segment> = dotted_keys
            .split('.')
            .map(|k| Segment::Key(k.to_string()))
            .collect();
        self.origin(&path)
    }

    /// How many key paths have an origin.
    pub fn len(&self) -> usize {
        self.origins.len()
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.origins.is_empty()
    }
}
