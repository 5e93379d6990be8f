//! Values: merging `-f` files, coalescing user values with chart defaults (null deletes,
//! globals flow down, subcharts are scoped), dependency conditions, tags and import-values.
//!
//! Maps are shared handles (as Go maps are), so every function here works on copies it makes
//! itself: a chart's defaults are never changed by rendering with other values.

use gotmpl::{List, Map, Value};

use crate::chart::{Chart, Dependency};

/// The key of global values.
pub const GLOBAL_KEY: &str = "global";

/// A warning Helm logs on stderr while preparing values, in both releases' log formats.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// Helm 3's `log.Printf` line (`coalesce.go:237: warning: ...`).
    pub helm3: String,
    /// Helm 4's slog line (`level=INFO msg="warning: ..."`).
    pub helm4: String,
}

impl Warning {
    /// A coalescing warning logged by Helm 3 at `coalesce.go:LINE`.
    fn coalesce(line: u32, msg: String) -> Warning {
        Warning {
            helm3: format!("coalesce.go:{line}: {msg}"),
            helm4: format!("level=INFO msg={}", slog_quote(&msg)),
        }
    }

    /// A Helm 4 debug line (`level=DEBUG msg=...`); Helm 3 has no such line, so only push it
    /// when behaving like Helm 4.
    pub fn debug4(line: String) -> Warning {
        Warning {
            helm3: String::new(),
            helm4: line,
        }
    }

    /// The line for a flavor.
    pub fn line(&self, flavor: crate::Flavor) -> &str {
        match flavor {
            crate::Flavor::Helm3 => &self.helm3,
            crate::Flavor::Helm4 => &self.helm4,
        }
    }
}

/// How Go's slog text handler writes a value: bare when it is a plain token, else quoted.
pub fn slog_quote(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_graphic() && c != '"' && c != '=');
    if plain {
        s.to_string()
    } else {
        gotmpl::gofmt::quote(s)
    }
}

/// Warnings collected while preparing values.
pub type Warnings = Vec<Warning>;

/// A deep copy of a value (maps and lists copied, scalars shared).
pub fn deep_copy(v: &Value) -> Value {
    match v {
        Value::Map(m) => Value::Map(deep_copy_map(m)),
        Value::List(l) => Value::List(List::typed(l.elem(), l.iter().map(deep_copy).collect())),
        v => v.clone(),
    }
}

/// A deep copy of a map.
pub fn deep_copy_map(m: &Map) -> Map {
    let out = Map::new();
    for (k, v) in m.entries() {
        out.insert(k, deep_copy(&v));
    }
    out
}

fn as_table(v: &Value) -> Option<Map> {
    match v {
        Value::Map(m) => Some(m.clone()),
        _ => None,
    }
}

/// Helm's `mergeMaps` for `-f` files and `--set-json` objects: maps merge recursively, anything
/// else replaces.
pub fn merge_maps(a: &Map, b: &Map) -> Map {
    let out = Map::new();
    for (k, v) in a.entries() {
        out.insert(k, v);
    }
    for (k, v) in b.entries() {
        if let Value::Map(bv) = &v
            && let Some(Value::Map(av)) = out.get(&k)
        {
            out.insert(k, Value::Map(merge_maps(&av, bv)));
            continue;
        }
        out.insert(k, v);
    }
    out
}

fn concat_prefix(a: &str, b: &str) -> String {
    if a.is_empty() {
        b.to_string()
    } else {
        format!("{a}.{b}")
    }
}

/// Helm's `CoalesceValues` (`merge` false) / `MergeValues` (`merge` true): the chart's defaults
/// (and its subcharts') under the given values, which are copied first.
pub fn coalesce_values(chart: &Chart, vals: &Map, merge: bool, warn: &mut Warnings) -> Map {
    let dest = deep_copy_map(vals);
    coalesce(chart, &dest, "", merge, warn);
    dest
}

fn coalesce(chart: &Chart, dest: &Map, prefix: &str, merge: bool, warn: &mut Warnings) {
    coalesce_chart_values(chart, dest, prefix, merge, warn);
    coalesce_deps(chart, dest, prefix, merge, warn);
}

fn coalesce_deps(chart: &Chart, dest: &Map, prefix: &str, merge: bool, warn: &mut Warnings) {
    for sub in &chart.dependencies {
        let name = sub.name().to_string();
        let dv = match dest.get(&name) {
            None => {
                let m = Map::new();
                dest.insert(name.clone(), Value::Map(m.clone()));
                m
            }
            Some(Value::Map(m)) => m,
            Some(_) => continue,
        };
        let sub_prefix = concat_prefix(prefix, chart.name());
        coalesce_globals(&dv, dest, &sub_prefix, warn);
        coalesce(sub, &dv, &sub_prefix, merge, warn);
    }
}

fn coalesce_globals(dest: &Map, src: &Map, prefix: &str, warn: &mut Warnings) {
    let dg = match dest.get(GLOBAL_KEY) {
        None => Map::new(),
        Some(Value::Map(m)) => m,
        Some(_) => {
            warn.push(Warning::coalesce(
                138,
                format!(
                    "warning: skipping globals because destination {GLOBAL_KEY} is not a table."
                ),
            ));
            return;
        }
    };
    let sg = match src.get(GLOBAL_KEY) {
        None => Map::new(),
        Some(Value::Map(m)) => m,
        Some(_) => {
            warn.push(Warning::coalesce(
                145,
                format!("warning: skipping globals because source {GLOBAL_KEY} is not a table."),
            ));
            return;
        }
    };
    for (key, val) in sg.entries() {
        if let Value::Map(vm) = &val {
            let vv = Map::new();
            for (k, v) in vm.entries() {
                vv.insert(k, v);
            }
            match dg.get(&key) {
                None => dg.insert(key, Value::Map(vv)),
                Some(Value::Map(destv)) => {
                    let sub_prefix = concat_prefix(prefix, &key);
                    coalesce_tables_full_key(&vv, &destv, &sub_prefix, true, warn);
                    dg.insert(key, Value::Map(vv));
                }
                Some(_) => warn.push(Warning::coalesce(
                    163,
                    format!(
                        "Conflict: cannot merge map onto non-map for {}. Skipping.",
                        gotmpl::gofmt::quote(&key)
                    ),
                )),
            }
        } else if let Some(Value::Map(_)) = dg.get(&key) {
            warn.push(Warning::coalesce(
                175,
                format!("key {key} is table. Skipping"),
            ));
        } else {
            dg.insert(key, val);
        }
    }
    dest.insert(GLOBAL_KEY, Value::Map(dg));
}

fn coalesce_chart_values(chart: &Chart, v: &Map, prefix: &str, merge: bool, warn: &mut Warnings) {
    let sub_prefix = concat_prefix(prefix, chart.name());
    let vc = deep_copy_map(&chart.values);
    for (key, val) in vc.entries() {
        match v.get(&key) {
            Some(value) => {
                if value.is_nil() && !merge {
                    v.write().remove(&key);
                } else if let Value::Map(dest) = &value {
                    match &val {
                        Value::Map(src) => {
                            let merge = merge || chart.dependencies.iter().any(|d| d.name() == key);
                            coalesce_tables_full_key(
                                dest,
                                src,
                                &concat_prefix(&sub_prefix, &key),
                                merge,
                                warn,
                            );
                        }
                        v if !v.is_nil() => warn.push(Warning::coalesce(
                            237,
                            format!("warning: skipped value for {sub_prefix}.{key}: Not a table."),
                        )),
                        _ => {}
                    }
                }
            }
            None => v.insert(key, val),
        }
    }
}

/// Helm's `coalesceTablesFullKey`: `src` under `dst`, `dst` authoritative.
fn coalesce_tables_full_key(dst: &Map, src: &Map, prefix: &str, merge: bool, warn: &mut Warnings) {
    for (key, val) in dst.entries() {
        if val.is_nil() {
            src.insert(key, Value::Nil);
        }
    }
    for (key, val) in src.entries() {
        let full = concat_prefix(prefix, &key);
        match dst.get(&key) {
            Some(dv) if !merge && dv.is_nil() => {
                dst.write().remove(&key);
            }
            None => dst.insert(key, val),
            Some(dv) => {
                if let Value::Map(vm) = &val {
                    if let Value::Map(dm) = &dv {
                        coalesce_tables_full_key(dm, vm, &full, merge, warn);
                    } else {
                        warn.push(Warning::coalesce(
                            298,
                            format!(
                                "warning: cannot overwrite table with non table for {full} ({})",
                                gotmpl::gofmt::format_value(&val)
                            ),
                        ));
                    }
                } else if matches!(dv, Value::Map(_)) && !val.is_nil() {
                    warn.push(Warning::coalesce(
                        301,
                        format!(
                            "warning: destination for {full} is a table. Ignoring non-table value ({})",
                            gotmpl::gofmt::format_value(&val)
                        ),
                    ));
                }
            }
        }
    }
}

/// Helm's `Values.Table`: the map at a dotted path.
pub fn table(v: &Map, path: &str) -> Option<Map> {
    let mut cur = v.clone();
    for part in path.split('.') {
        cur = as_table(&cur.get(part)?)?;
    }
    Some(cur)
}

/// Helm's `Values.PathValue`: a non-table value at a dotted path.
pub fn path_value(v: &Map, path: &str) -> Option<Value> {
    let parts: Vec<&str> = path.split('.').collect();
    let (key, head) = parts.split_last()?;
    let t = if head.is_empty() {
        v.clone()
    } else {
        table(v, &head.join("."))?
    };
    match t.get(key) {
        Some(Value::Map(_)) | None => None,
        Some(x) => Some(x),
    }
}

/// Masterminds' `IsCompatibleRange`: whether `version` satisfies the range `constraint`.
fn compatible(constraint: &str, version: &str) -> bool {
    if constraint.trim().is_empty() {
        return true;
    }
    sprig::semver_check(constraint, version, gotmpl::GoVersion::Go1_25).unwrap_or(false)
}

/// Helm's `ProcessDependenciesWithMerge`: drops disabled subcharts (conditions and tags) and
/// applies import-values, changing `chart` in place.
pub fn process_dependencies(chart: &mut Chart, vals: &Map, warn: &mut Warnings) {
    process_enabled(chart, vals, "", warn);
    process_import_values(chart, warn);
}

fn process_enabled(chart: &mut Chart, vals: &Map, path: &str, warn: &mut Warnings) {
    if chart.metadata.dependencies.is_empty() {
        return;
    }
    // Subcharts not listed in Chart.yaml stay; listed ones are taken (aliased) from the loaded set.
    let loaded = std::mem::take(&mut chart.dependencies);
    let mut deps: Vec<Chart> = Vec::new();
    'outer: for existing in &loaded {
        for req in &chart.metadata.dependencies {
            if existing.name() == req.name && compatible(&req.version, &existing.metadata.version) {
                continue 'outer;
            }
        }
        deps.push(existing.clone());
    }
    for req in chart.metadata.dependencies.iter_mut() {
        if let Some(found) = loaded
            .iter()
            .find(|c| c.name() == req.name && compatible(&req.version, &c.metadata.version))
        {
            let mut c = found.clone();
            if !req.alias.is_empty() {
                c.metadata.name = req.alias.clone();
            }
            deps.push(c);
        }
        if !req.alias.is_empty() {
            req.name = req.alias.clone();
        }
    }
    chart.dependencies = deps;
    for d in chart.metadata.dependencies.iter_mut() {
        d.enabled = true;
    }
    let cvals = coalesce_values(chart, vals, false, warn);
    process_tags(&mut chart.metadata.dependencies, &cvals, warn);
    process_conditions(&mut chart.metadata.dependencies, &cvals, path, warn);
    let disabled: Vec<String> = chart
        .metadata
        .dependencies
        .iter()
        .filter(|d| !d.enabled)
        .map(|d| d.name.clone())
        .collect();
    chart
        .dependencies
        .retain(|c| !disabled.iter().any(|n| n == c.name()));
    chart
        .metadata
        .dependencies
        .retain(|d| !disabled.contains(&d.name));
    for sub in chart.dependencies.iter_mut() {
        let subpath = format!("{path}{}.", sub.name());
        process_enabled(sub, &cvals, &subpath, warn);
    }
}

fn process_tags(reqs: &mut [Dependency], cvals: &Map, warn: &mut Warnings) {
    let Some(tags) = table(cvals, "tags") else {
        return;
    };
    for r in reqs.iter_mut() {
        let (mut has_true, mut has_false) = (false, false);
        for k in &r.tags {
            match tags.get(k) {
                Some(Value::Bool(true)) => has_true = true,
                Some(Value::Bool(false)) => has_false = true,
                Some(_) => warn.push(Warning {
                    helm3: format!("dependencies.go:94: Warning: Tag '{k}' for chart {} returned non-bool value", r.name),
                    helm4: format!("level=WARN msg=\"returned non-bool value\" tag={} chart={}", slog_quote(k), slog_quote(&r.name)),
                }),
                None => {}
            }
        }
        if !has_true && has_false {
            r.enabled = false;
        } else if has_true || !has_false {
            r.enabled = true;
        }
    }
}

fn process_conditions(reqs: &mut [Dependency], cvals: &Map, cpath: &str, warn: &mut Warnings) {
    for r in reqs.iter_mut() {
        for c in r.condition.trim().split(',') {
            if c.is_empty() {
                continue;
            }
            if let Some(v) = path_value(cvals, &format!("{cpath}{c}")) {
                if let Value::Bool(b) = v {
                    r.enabled = b;
                    break;
                }
                warn.push(Warning {
                    helm3: format!("dependencies.go:63: Warning: Condition path '{c}' for chart {} returned non-bool value", r.name),
                    helm4: format!("level=WARN msg=\"returned non-bool value\" path={} chart={}", slog_quote(c), slog_quote(&r.name)),
                });
            }
        }
    }
}

fn process_import_values(chart: &mut Chart, warn: &mut Warnings) {
    for d in chart.dependencies.iter_mut() {
        process_import_values(d, warn);
    }
    if chart.metadata.dependencies.is_empty() {
        return;
    }
    let cvals = coalesce_values(chart, &Map::new(), true, warn);
    let b = Map::new();
    for r in &chart.metadata.dependencies {
        for iv in &r.import_values {
            match iv {
                Value::Map(m) => {
                    let child = m
                        .get("child")
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default();
                    let parent = m
                        .get("parent")
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default();
                    let Some(vv) = table(&cvals, &format!("{}.{child}", r.name)) else {
                        warn.push(Warning {
                            helm3: format!("dependencies.go:264: Warning: ImportValues missing table from chart {}: no table", r.name),
                            helm4: format!("level=WARN msg=\"ImportValues missing table from chart\" chart={}", slog_quote(&r.name)),
                        });
                        continue;
                    };
                    let imported = path_to_map(&parent, deep_copy_map(&vv));
                    merge_tables(&b, &imported, warn);
                }
                Value::String(s) => {
                    let Some(vm) = table(&cvals, &format!("{}.exports.{s}", r.name)) else {
                        warn.push(Warning {
                            helm3: "dependencies.go:278: Warning: ImportValues missing table"
                                .to_string(),
                            helm4: "level=WARN msg=\"ImportValues missing table\"".to_string(),
                        });
                        continue;
                    };
                    merge_tables(&b, &deep_copy_map(&vm), warn);
                }
                _ => {}
            }
        }
    }
    let cvals = deep_copy_map(&cvals);
    merge_tables(&cvals, &b, warn);
    chart.values = cvals;
}

/// Helm's `MergeTables(dst, src)`: `src` under `dst` without deleting nulls.
fn merge_tables(dst: &Map, src: &Map, warn: &mut Warnings) {
    coalesce_tables_full_key(dst, src, "", true, warn);
}

/// Helm's `pathToMap`: `a.b` and `{x: 1}` into `{a: {b: {x: 1}}}`; `.` is the root.
fn path_to_map(path: &str, data: Map) -> Map {
    if path == "." {
        return data;
    }
    let mut cur = data;
    for part in path.split('.').rev() {
        let m = Map::new();
        m.insert(part, Value::Map(cur));
        cur = m;
    }
    cur
}
