//! The chart model and the loader: a chart directory or `.tgz` archive into [`Chart`].
//!
//! Loading follows Helm: files in lexical order, `.helmignore` applied, a UTF-8 BOM stripped from
//! every file, each path classified (Chart.yaml, values.yaml, values.schema.json, templates/,
//! charts/, everything else in `.Files`), subcharts loaded recursively from `charts/` folders
//! and archives.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use gotmpl::{Map, Value};

use crate::Flavor;

/// A file of a chart: its path relative to the chart root and its bytes.
#[derive(Clone, Debug)]
pub struct ChartFile {
    /// `/`-separated path relative to the chart root.
    pub name: String,
    /// Content (BOM stripped).
    pub data: Arc<[u8]>,
}

/// A `dependencies:` entry.
#[derive(Clone, Debug, Default)]
pub struct Dependency {
    /// `name`.
    pub name: String,
    /// `version` (a semver range).
    pub version: String,
    /// `repository`.
    pub repository: String,
    /// `condition`.
    pub condition: String,
    /// `tags`.
    pub tags: Vec<String>,
    /// Set while processing conditions and tags.
    pub enabled: bool,
    /// `import-values`, as written.
    pub import_values: Vec<Value>,
    /// `alias`.
    pub alias: String,
}

/// A maintainer.
#[derive(Clone, Debug, Default)]
pub struct Maintainer {
    /// `name`.
    pub name: String,
    /// `email`.
    pub email: String,
    /// `url`.
    pub url: String,
}

/// Chart.yaml.
#[derive(Clone, Debug, Default)]
pub struct Metadata {
    /// `apiVersion` (`v1` when missing).
    pub api_version: String,
    /// `name`.
    pub name: String,
    /// `version`.
    pub version: String,
    /// `kubeVersion`.
    pub kube_version: String,
    /// `description`.
    pub description: String,
    /// `type` (`application`, `library` or empty).
    pub chart_type: String,
    /// `keywords`.
    pub keywords: Vec<String>,
    /// `home`.
    pub home: String,
    /// `sources`.
    pub sources: Vec<String>,
    /// `dependencies`.
    pub dependencies: Vec<Dependency>,
    /// `maintainers`.
    pub maintainers: Vec<Maintainer>,
    /// `icon`.
    pub icon: String,
    /// `appVersion`.
    pub app_version: String,
    /// `deprecated`.
    pub deprecated: bool,
    /// `annotations`.
    pub annotations: BTreeMap<String, String>,
    /// Legacy `condition`.
    pub condition: String,
    /// Legacy `tags`.
    pub tags: String,
}

/// A loaded chart.
#[derive(Clone, Debug, Default)]
pub struct Chart {
    /// Chart.yaml.
    pub metadata: Metadata,
    /// Files under `templates/`.
    pub templates: Vec<ChartFile>,
    /// Everything that `.Files` holds (including `crds/`).
    pub files: Vec<ChartFile>,
    /// The default values (values.yaml).
    pub values: Map,
    /// values.schema.json.
    pub schema: Option<Arc<[u8]>>,
    /// Subcharts, in load order.
    pub dependencies: Vec<Chart>,
    /// The path of the parent chart in template names (`p/charts`), empty for the top chart.
    pub parent_path: String,
    /// Where the chart was loaded from, relative to the top chart (`charts/sub`,
    /// `charts/sub-1.0.0.tgz`); empty for the top chart.
    pub source: String,
    /// The text of values.yaml (for values provenance), when the chart has one.
    pub values_text: Option<Arc<str>>,
}

impl Chart {
    /// The chart's name (after aliasing).
    pub fn name(&self) -> &str {
        &self.metadata.name
    }

    /// `ChartFullPath`: `p/charts/child`.
    pub fn full_path(&self) -> String {
        if self.parent_path.is_empty() {
            self.metadata.name.clone()
        } else {
            format!("{}/{}", self.parent_path, self.metadata.name)
        }
    }

    /// Whether this is a library chart.
    pub fn is_library(&self) -> bool {
        self.metadata.chart_type == "library"
    }

    /// CRD files (`crds/**` with a .yaml, .yml or .json extension, any case), in path order.
    pub fn crd_files(&self) -> Vec<&ChartFile> {
        self.files
            .iter()
            .filter(|f| {
                f.name.starts_with("crds/") && {
                    let lower = f.name.to_ascii_lowercase();
                    lower.ends_with(".yaml") || lower.ends_with(".yml") || lower.ends_with(".json")
                }
            })
            .collect()
    }

    /// Prefixes the load path of this chart and of all charts below it with `prefix`.
    fn set_source(&mut self, prefix: &str) {
        self.source = if self.source.is_empty() {
            prefix.to_string()
        } else {
            format!("{prefix}/{}", self.source)
        };
        for d in &mut self.dependencies {
            d.set_source(prefix);
        }
    }

    /// Sets the parent path of this chart and of all charts below it.
    pub fn set_parent_path(&mut self, parent: &str) {
        self.parent_path = parent.to_string();
        let me = format!("{}/charts", self.full_path());
        for d in &mut self.dependencies {
            d.set_parent_path(&me);
        }
    }
}

/// A chart loading error, printed as Helm prints it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError(pub String);

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LoadError {}

/// Loads a chart from a directory or a `.tgz` archive.
pub fn load(path: &Path, flavor: Flavor) -> Result<Chart, LoadError> {
    let meta = std::fs::metadata(path).map_err(|e| LoadError(go_io_error("stat", path, &e)))?;
    if meta.is_dir() {
        if flavor == Flavor::Helm4 && !path.join("Chart.yaml").exists() {
            // Helm 4 reads Chart.yaml first to tell chart API versions apart.
            let file = go_abs(path).join("Chart.yaml");
            return Err(LoadError(format!(
                "unable to detect chart at {}: open {}: no such file or directory",
                file.display(),
                file.display()
            )));
        }
        let files = read_dir_files(path)?;
        load_files(files, flavor)
    } else {
        let bytes = std::fs::read(path).map_err(|e| LoadError(go_io_error("open", path, &e)))?;
        load_archive(&bytes, flavor)
    }
}

fn go_io_error(op: &str, path: &Path, e: &std::io::Error) -> String {
    let reason = match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    };
    format!("{op} {}: {reason}", path.display())
}

/// Reads every file of a chart directory (lexical walk, `.helmignore` applied).
fn read_dir_files(root: &Path) -> Result<Vec<(String, Vec<u8>)>, LoadError> {
    let rules = match std::fs::read_to_string(root.join(".helmignore")) {
        Ok(text) => crate::ignore::Rules::parse(&text).map_err(LoadError)?,
        Err(_) => crate::ignore::Rules::parse("").map_err(LoadError)?,
    };
    let mut out = Vec::new();
    walk(root, "", &rules, &mut out)?;
    Ok(out)
}

fn walk(
    dir: &Path,
    rel: &str,
    rules: &crate::ignore::Rules,
    out: &mut Vec<(String, Vec<u8>)>,
) -> Result<(), LoadError> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| LoadError(go_io_error("open", dir, &e)))?
        .filter_map(Result::ok)
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = if rel.is_empty() {
            name.clone()
        } else {
            format!("{rel}/{name}")
        };
        // The directory entry's type saves a `stat` per file; symlinks are followed as Helm does.
        let is_dir = match entry.file_type() {
            Ok(t) if t.is_symlink() => match std::fs::metadata(entry.path()) {
                Ok(m) => m.is_dir(),
                Err(_) => continue,
            },
            Ok(t) => t.is_dir(),
            Err(_) => continue,
        };
        if is_dir {
            if rules.ignored(&path, true) {
                continue;
            }
            walk(&entry.path(), &path, rules, out)?;
        } else {
            if rules.ignored(&path, false) {
                continue;
            }
            let data = std::fs::read(entry.path())
                .map_err(|e| LoadError(go_io_error("open", &entry.path(), &e)))?;
            out.push((path, data));
        }
    }
    Ok(())
}

/// Loads a chart from the bytes of a `.tgz` archive.
pub fn load_archive(bytes: &[u8], flavor: Flavor) -> Result<Chart, LoadError> {
    let gz = flate2::read::GzDecoder::new(bytes);
    let mut archive = tar::Archive::new(gz);
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let entries = archive.entries().map_err(|e| LoadError(e.to_string()))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| LoadError(e.to_string()))?;
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let path = entry
            .path()
            .map_err(|e| LoadError(e.to_string()))?
            .to_string_lossy()
            .replace('\\', "/");
        // Archives hold one top-level directory: the chart's.
        let Some((_, rel)) = path.split_once('/') else {
            continue;
        };
        if rel.is_empty() {
            continue;
        }
        let mut data = Vec::new();
        entry
            .read_to_end(&mut data)
            .map_err(|e| LoadError(e.to_string()))?;
        files.push((rel.to_string(), data));
    }
    if files.is_empty() {
        return Err(LoadError("no files in chart archive".into()));
    }
    // .helmignore inside an archive applies too.
    let rules = files
        .iter()
        .find(|(p, _)| p == ".helmignore")
        .map(|(_, d)| String::from_utf8_lossy(d).into_owned())
        .unwrap_or_default();
    let rules = crate::ignore::Rules::parse(&rules).map_err(LoadError)?;
    files.retain(|(p, _)| !ancestors_or_self_ignored(&rules, p));
    files.sort_by(|a, b| a.0.cmp(&b.0));
    load_files(files, flavor)
}

fn ancestors_or_self_ignored(rules: &crate::ignore::Rules, path: &str) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    for i in 1..parts.len() {
        if rules.ignored(&parts[..i].join("/"), true) {
            return true;
        }
    }
    rules.ignored(path, false)
}

fn strip_bom(mut data: Vec<u8>) -> Vec<u8> {
    if data.starts_with(&[0xEF, 0xBB, 0xBF]) {
        data.drain(..3);
    }
    data
}

/// Builds a chart from its files (paths relative to the chart root, lexical order).
pub fn load_files(files: Vec<(String, Vec<u8>)>, flavor: Flavor) -> Result<Chart, LoadError> {
    let mut chart = Chart::default();
    let mut chart_yaml: Option<Vec<u8>> = None;
    let mut values_yaml: Option<Vec<u8>> = None;
    let mut requirements: Option<Vec<u8>> = None;
    // Subchart files grouped by charts/<dir>; archives by name.
    let mut sub_dirs: BTreeMap<String, Vec<(String, Vec<u8>)>> = BTreeMap::new();
    let mut sub_archives: Vec<(String, Vec<u8>)> = Vec::new();
    for (name, data) in files {
        let data = strip_bom(data);
        match name.as_str() {
            "Chart.yaml" => chart_yaml = Some(data),
            "values.yaml" => values_yaml = Some(data),
            "values.schema.json" => chart.schema = Some(data.into()),
            "requirements.yaml" => {
                requirements = Some(data.clone());
                chart.files.push(ChartFile {
                    name,
                    data: data.into(),
                });
            }
            "Chart.lock" | "requirements.lock" => {}
            n if n.starts_with("templates/") => chart.templates.push(ChartFile {
                name,
                data: data.into(),
            }),
            n if n.starts_with("charts/") => {
                let rest = &n["charts/".len()..];
                match rest.split_once('/') {
                    Some((dir, inner)) => {
                        if dir.starts_with('_') || dir.starts_with('.') {
                            continue;
                        }
                        sub_dirs
                            .entry(dir.to_string())
                            .or_default()
                            .push((inner.to_string(), data));
                    }
                    None => {
                        if rest.starts_with('_') || rest.starts_with('.') {
                            continue;
                        }
                        if rest.ends_with(".prov") {
                            chart.files.push(ChartFile {
                                name,
                                data: data.into(),
                            });
                        } else if rest.ends_with(".tgz") || rest.ends_with(".tar.gz") {
                            sub_archives.push((rest.to_string(), data));
                        }
                    }
                }
            }
            _ => chart.files.push(ChartFile {
                name,
                data: data.into(),
            }),
        }
    }
    let Some(chart_yaml) = chart_yaml else {
        return Err(LoadError("Chart.yaml file is missing".into()));
    };
    chart.metadata = parse_metadata(&chart_yaml, flavor)?;
    if chart.metadata.api_version == "v1"
        && let Some(req) = requirements
    {
        let text = String::from_utf8_lossy(&req);
        let doc = crate::yaml::load_map(&text).map_err(LoadError)?;
        if let Some(Value::List(deps)) = doc.get("dependencies") {
            chart.metadata.dependencies = deps.iter().map(parse_dependency).collect();
        }
    }
    if let Some(v) = values_yaml {
        let text = String::from_utf8_lossy(&v);
        chart.values = crate::yaml::load_values(&text, flavor)
            .map_err(|e| LoadError(format!("cannot load values.yaml: {e}")))?;
        chart.values_text = Some(Arc::from(text.as_ref()));
    }
    for (dir, files) in sub_dirs {
        let mut sub = load_files(files, flavor)?;
        sub.set_source(&format!("charts/{dir}"));
        chart.dependencies.push(sub);
    }
    for (name, bytes) in sub_archives {
        let mut sub = load_archive(&bytes, flavor)?;
        sub.set_source(&format!("charts/{name}"));
        chart.dependencies.push(sub);
    }
    Ok(chart)
}

fn str_of(m: &Map, key: &str) -> String {
    match m.get(key) {
        Some(Value::String(s)) => s.to_string(),
        Some(Value::Nil | Value::Missing) | None => String::new(),
        Some(v) => gotmpl::gofmt::format_value(&v),
    }
}

fn strings_of(m: &Map, key: &str) -> Vec<String> {
    match m.get(key) {
        Some(Value::List(l)) => l.iter().map(gotmpl::gofmt::format_value).collect(),
        _ => Vec::new(),
    }
}

fn parse_dependency(v: &Value) -> Dependency {
    let Value::Map(m) = v else {
        return Dependency::default();
    };
    Dependency {
        name: str_of(m, "name"),
        version: str_of(m, "version"),
        repository: str_of(m, "repository"),
        condition: str_of(m, "condition"),
        tags: strings_of(m, "tags"),
        enabled: matches!(m.get("enabled"), Some(Value::Bool(true))),
        import_values: match m.get("import-values") {
            Some(Value::List(l)) => l.to_vec(),
            _ => Vec::new(),
        },
        alias: str_of(m, "alias"),
    }
}

fn parse_metadata(bytes: &[u8], flavor: Flavor) -> Result<Metadata, LoadError> {
    let text = String::from_utf8_lossy(bytes);
    let m = crate::yaml::load_map(&text).map_err(LoadError)?;
    let mut md = Metadata {
        api_version: str_of(&m, "apiVersion"),
        name: str_of(&m, "name"),
        version: str_of(&m, "version"),
        kube_version: str_of(&m, "kubeVersion"),
        description: str_of(&m, "description"),
        chart_type: str_of(&m, "type"),
        keywords: strings_of(&m, "keywords"),
        home: str_of(&m, "home"),
        sources: strings_of(&m, "sources"),
        dependencies: match m.get("dependencies") {
            Some(Value::List(l)) => l.iter().map(parse_dependency).collect(),
            _ => Vec::new(),
        },
        maintainers: match m.get("maintainers") {
            Some(Value::List(l)) => l
                .iter()
                .map(|v| match v {
                    Value::Map(mm) => Maintainer {
                        name: str_of(mm, "name"),
                        email: str_of(mm, "email"),
                        url: str_of(mm, "url"),
                    },
                    _ => Maintainer::default(),
                })
                .collect(),
            _ => Vec::new(),
        },
        icon: str_of(&m, "icon"),
        app_version: str_of(&m, "appVersion"),
        deprecated: matches!(m.get("deprecated"), Some(Value::Bool(true))),
        annotations: match m.get("annotations") {
            Some(Value::Map(a)) => a
                .entries()
                .into_iter()
                .map(|(k, v)| (k, gotmpl::gofmt::format_value(&v)))
                .collect(),
            _ => BTreeMap::new(),
        },
        condition: str_of(&m, "condition"),
        tags: str_of(&m, "tags"),
    };
    if md.api_version.is_empty() {
        md.api_version = "v1".into();
    }
    if md.name.is_empty() {
        return Err(LoadError(
            "validation: chart.metadata.name is required".into(),
        ));
    }
    if md.version.is_empty() {
        return Err(LoadError(
            "validation: chart.metadata.version is required".into(),
        ));
    }
    if !md.chart_type.is_empty() && md.chart_type != "application" && md.chart_type != "library" {
        return Err(LoadError(
            "validation: chart.metadata.type must be application or library".into(),
        ));
    }
    if flavor == Flavor::Helm4 && md.api_version != "v1" && md.api_version != "v2" {
        return Err(LoadError("invalid chart apiVersion".into()));
    }
    Ok(md)
}

/// Go's `filepath.Abs`: the path made absolute and cleaned (`.` and `..` resolved lexically).
fn go_abs(path: &Path) -> std::path::PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut out = std::path::PathBuf::from("/");
    for c in joined.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::Normal(n) => out.push(n),
            _ => {}
        }
    }
    out
}
