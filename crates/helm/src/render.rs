//! Rendering: every template of a chart and its enabled subcharts through one gotmpl namespace,
//! with Helm's functions (`include`, `tpl`, `required`, `fail`, `lookup`, ...), Helm's template
//! order, per-chart contexts, `<no value>` removal and Helm's error rewriting.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use gotmpl::{
    CallContext, ErrorKind, Func, FuncError, FuncMap, Map, MissingKey, Options, Param, Signature,
    TemplateSet, Value,
};

use crate::Flavor;
use crate::chart::Chart;
use crate::lint_provenance::TemplateProvenance;
use crate::objects::{Capabilities, Files};

/// Helm's limit on nested `include`s of one name.
const RECURSION_MAX: usize = 1000;
const WARN_START: &str = "HELM_ERR_START";
const WARN_END: &str = "HELM_ERR_END";

/// The release fields of `.Release`.
#[derive(Clone, Debug)]
pub struct Release {
    /// `.Release.Name`.
    pub name: String,
    /// `.Release.Namespace`.
    pub namespace: String,
    /// `.Release.IsUpgrade` (and not `IsInstall`).
    pub is_upgrade: bool,
    /// `.Release.Revision`.
    pub revision: i64,
}

/// A rendering error, with Helm's message.
#[derive(Clone, Debug)]
pub struct RenderError {
    /// The message after `Error: `.
    pub message: String,
    /// The underlying template error, when there is one.
    pub template_error: Option<gotmpl::Error>,
}

/// What one template rendered to.
#[derive(Clone, Debug)]
pub struct RenderedFile {
    /// Full template name (`c/templates/x.yaml`).
    pub name: String,
    /// The output, `<no value>` removed.
    pub text: String,
}

/// The `.Chart` object: a map with Go field names (Helm 4) or a struct (Helm 3).
fn chart_object(c: &Chart, is_root: bool, flavor: Flavor) -> Value {
    let md = &c.metadata;
    let m = Map::new();
    let strs = |v: &Vec<String>| Value::list(v.iter().map(|s| Value::from(s.as_str())).collect());
    m.insert("APIVersion", md.api_version.as_str().into());
    let ann = Map::new();
    for (k, v) in &md.annotations {
        ann.insert(k.clone(), v.as_str().into());
    }
    m.insert("Annotations", Value::Map(ann));
    m.insert("AppVersion", md.app_version.as_str().into());
    m.insert("Condition", md.condition.as_str().into());
    let deps: Vec<Value> = md
        .dependencies
        .iter()
        .map(|d| {
            let dm = Map::new();
            dm.insert("Name", d.name.as_str().into());
            dm.insert("Version", d.version.as_str().into());
            dm.insert("Repository", d.repository.as_str().into());
            dm.insert("Condition", d.condition.as_str().into());
            dm.insert("Tags", strs(&d.tags));
            dm.insert("Enabled", Value::Bool(d.enabled));
            dm.insert("ImportValues", Value::list(d.import_values.clone()));
            dm.insert("Alias", d.alias.as_str().into());
            Value::Map(dm)
        })
        .collect();
    m.insert("Dependencies", Value::list(deps));
    m.insert("Deprecated", Value::Bool(md.deprecated));
    m.insert("Description", md.description.as_str().into());
    m.insert("Home", md.home.as_str().into());
    m.insert("Icon", md.icon.as_str().into());
    m.insert("IsRoot", Value::Bool(is_root));
    m.insert("Keywords", strs(&md.keywords));
    m.insert("KubeVersion", md.kube_version.as_str().into());
    let maint: Vec<Value> = md
        .maintainers
        .iter()
        .map(|x| {
            let mm = Map::new();
            mm.insert("Email", x.email.as_str().into());
            mm.insert("Name", x.name.as_str().into());
            mm.insert("URL", x.url.as_str().into());
            Value::Map(mm)
        })
        .collect();
    m.insert("Maintainers", Value::list(maint));
    m.insert("Name", md.name.as_str().into());
    m.insert("Sources", strs(&md.sources));
    m.insert("Tags", md.tags.as_str().into());
    m.insert("Type", md.chart_type.as_str().into());
    m.insert("Version", md.version.as_str().into());
    match flavor {
        Flavor::Helm4 => Value::Map(m),
        Flavor::Helm3 => {
            // Slices Chart.yaml did not set are nil in Helm 3's struct (`toJson` writes null).
            for key in ["Sources", "Keywords", "Maintainers", "Dependencies"] {
                if let Some(Value::List(l)) = m.get(key)
                    && l.is_empty()
                {
                    m.insert(key, Value::List(gotmpl::List::nil(l.elem())));
                }
            }
            Value::Object(Arc::new(crate::objects::ChartStruct { fields: m }))
        }
    }
}

struct Renderable {
    text: Arc<str>,
    context: Map,
    base_path: String,
}

fn values_type(flavor: Flavor) -> &'static str {
    match flavor {
        Flavor::Helm3 => "chartutil.Values",
        Flavor::Helm4 => "common.Values",
    }
}

fn collect(
    c: &Chart,
    is_root: bool,
    parent_values: &Map,
    release: &Value,
    caps: &Value,
    flavor: Flavor,
    out: &mut BTreeMap<String, Renderable>,
) -> Map {
    let subcharts = Map::new();
    let values = if is_root {
        parent_values.clone()
    } else {
        match parent_values.get(c.name()) {
            Some(Value::Map(m)) => m.with_type_name(values_type(flavor)),
            _ => Map::new().with_type_name(values_type(flavor)),
        }
    };
    let files = c
        .files
        .iter()
        .map(|f| (f.name.clone(), f.data.clone()))
        .collect::<BTreeMap<_, _>>();
    let next = Map::new().with_type_name(values_type(flavor));
    next.insert("Chart", chart_object(c, is_root, flavor));
    next.insert("Files", Value::Object(Arc::new(Files::new(files, flavor))));
    next.insert("Release", release.clone());
    next.insert("Capabilities", caps.clone());
    next.insert("Values", Value::Map(values.clone()));
    next.insert("Subcharts", Value::Map(subcharts.clone()));
    for child in &c.dependencies {
        let ctx = collect(child, false, &values, release, caps, flavor, out);
        subcharts.insert(child.name(), Value::Map(ctx));
    }
    let full = c.full_path();
    for t in &c.templates {
        if c.is_library() && !t.name.rsplit('/').next().unwrap_or("").starts_with('_') {
            continue;
        }
        out.insert(
            format!("{full}/{}", t.name),
            Renderable {
                text: String::from_utf8_lossy(&t.data).into(),
                context: next.clone(),
                base_path: format!("{full}/templates"),
            },
        );
    }
    next
}

/// Helm's template parse order: more `/` first, ties in reverse lexical order.
fn sort_templates(names: &[&String]) -> Vec<String> {
    let mut v: Vec<String> = names.iter().map(|s| s.to_string()).collect();
    v.sort_by(|a, b| {
        let (ca, cb) = (a.matches('/').count(), b.matches('/').count());
        cb.cmp(&ca).then_with(|| b.cmp(a))
    });
    v
}

/// Helm's function map for one render: Sprig's and Helm's, with `include`/`tpl` bound to the
/// template set they run in.
pub fn helm_funcs(flavor: Flavor) -> FuncMap {
    let mut f = sprig::funcs();
    f.remove("env");
    f.remove("expandenv");
    if flavor == Flavor::Helm3 {
        f.remove("mustToYaml");
    }
    let included: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
    f.insert(
        "include",
        Func::new(Signature::fixed(&[Param::String, Param::Any]), move |ctx: &mut CallContext<'_>, a| {
            let name = a[0].as_str().unwrap_or_default().to_string();
            {
                let mut counts = included.lock().unwrap_or_else(|e| e.into_inner());
                let n = counts.entry(name.clone()).or_insert(0);
                if *n > RECURSION_MAX {
                    return Err(FuncError::new(format!(
                        "rendering template has a nested reference name: {name}: unable to execute template"
                    )));
                }
                *n += 1;
            }
            let r = ctx.execute_template(&name, a[1].clone());
            if let Some(n) = included.lock().unwrap_or_else(|e| e.into_inner()).get_mut(&name) {
                *n -= 1;
            }
            r.map(Value::from).map_err(FuncError::template)
        }),
    );
    f.insert(
        "tpl",
        Func::new(
            Signature::fixed(&[Param::String, Param::Any]),
            |ctx: &mut CallContext<'_>, a| {
                let text = a[0].as_str().unwrap_or_default().to_string();
                let root = ctx.template_set().name().to_string();
                match ctx.parse_and_execute(&root, &text, a[1].clone(), None) {
                    Ok(s) => Ok(Value::from(s.replace("<no value>", ""))),
                    Err(e) if e.kind() == ErrorKind::Parse => Err(FuncError::new(format!(
                        "cannot parse template {}: {e}",
                        gotmpl::gofmt::quote(&text)
                    ))),
                    Err(e) => Err(FuncError::new(format!(
                        "error during tpl function execution for {}: {e}",
                        gotmpl::gofmt::quote(&text)
                    ))),
                }
            },
        ),
    );
    f.insert(
        "required",
        Func::new(Signature::fixed(&[Param::String, Param::Any]), |_, a| {
            let warn = a[0].as_str().unwrap_or_default();
            match &a[1] {
                Value::Nil | Value::Missing => {
                    Err(FuncError::new(format!("{WARN_START}{warn}{WARN_END}")))
                }
                Value::String(s) if s.is_empty() => {
                    Err(FuncError::new(format!("{WARN_START}{warn}{WARN_END}")))
                }
                v => Ok(v.clone()),
            }
        }),
    );
    f.insert(
        "fail",
        Func::new(Signature::fixed(&[Param::String]), |_, a| {
            Err(FuncError::new(format!(
                "{WARN_START}{}{WARN_END}",
                a[0].as_str().unwrap_or_default()
            )))
        }),
    );
    f.insert(
        "lookup",
        Func::infallible(
            Signature::fixed(&[Param::String, Param::String, Param::String, Param::String]),
            |_, _| Value::Map(Map::new()),
        ),
    );
    f.insert(
        "getHostByName",
        Func::infallible(Signature::fixed(&[Param::String]), |_, _| Value::from("")),
    );
    f
}

/// Renders every template of `chart` (dependencies already processed) with the coalesced top
/// values. Returns the rendered non-partial files in execution order.
pub fn render(
    chart: &Chart,
    values: &Map,
    release: &Release,
    caps: &Capabilities,
    flavor: Flavor,
) -> Result<Vec<RenderedFile>, RenderError> {
    render_impl(chart, values, release, caps, flavor, None)
}

/// [`render`], also recording which template node wrote each byte of every rendered file (for
/// lint; slower, so plain rendering never does it).
pub fn render_recorded(
    chart: &Chart,
    values: &Map,
    release: &Release,
    caps: &Capabilities,
    flavor: Flavor,
) -> Result<(Vec<RenderedFile>, TemplateProvenance), RenderError> {
    let mut rec = TemplateProvenance::default();
    let files = render_impl(chart, values, release, caps, flavor, Some(&mut rec))?;
    Ok((files, rec))
}

fn render_impl(
    chart: &Chart,
    values: &Map,
    release: &Release,
    caps: &Capabilities,
    flavor: Flavor,
    mut rec: Option<&mut TemplateProvenance>,
) -> Result<Vec<RenderedFile>, RenderError> {
    let rel = Map::new();
    rel.insert("IsInstall", Value::Bool(!release.is_upgrade));
    rel.insert("IsUpgrade", Value::Bool(release.is_upgrade));
    rel.insert("Name", release.name.as_str().into());
    rel.insert("Namespace", release.namespace.as_str().into());
    rel.insert("Revision", Value::Int(release.revision));
    rel.insert("Service", "Helm".into());
    let caps = Value::Object(Arc::new(caps.clone()));
    let top_values = values.clone().with_type_name(values_type(flavor));
    let mut tpls = BTreeMap::new();
    collect(
        chart,
        true,
        &top_values,
        &Value::Map(rel),
        &caps,
        flavor,
        &mut tpls,
    );

    let mut set = TemplateSet::new("gotpl");
    set.set_options(Options {
        missing_key: MissingKey::Zero,
        go_version: match flavor {
            Flavor::Helm3 => gotmpl::GoVersion::Go1_23,
            Flavor::Helm4 => gotmpl::GoVersion::Go1_25,
        },
        ..Options::default()
    });
    set.add_funcs(helm_funcs(flavor));
    let names: Vec<&String> = tpls.keys().collect();
    let keys = sort_templates(&names);
    for name in &keys {
        let r = &tpls[name];
        if let Err(e) = set.parse(name, &r.text) {
            return Err(RenderError {
                message: cleanup_parse_error(name, &e),
                template_error: Some(e),
            });
        }
    }
    let mut out = Vec::new();
    for name in &keys {
        if name.rsplit('/').next().unwrap_or("").starts_with('_') {
            continue;
        }
        let r = &tpls[name];
        let tmpl = Map::new().with_type_name(values_type(flavor));
        tmpl.insert("Name", name.as_str().into());
        tmpl.insert("BasePath", r.base_path.as_str().into());
        r.context.insert("Template", Value::Map(tmpl));
        let result = match rec.as_deref_mut() {
            None => set
                .execute(name, Value::Map(r.context.clone()))
                .map(|text| text.replace("<no value>", "")),
            Some(rec) => {
                let mut sink = gotmpl::Output::with_provenance();
                set.execute_to(name, Value::Map(r.context.clone()), &mut sink)
                    .map(|()| {
                        let (text, spans) = sink.into_parts();
                        rec.record_file(name, &text, spans)
                    })
            }
        };
        match result {
            Ok(text) => out.push(RenderedFile {
                name: name.clone(),
                text,
            }),
            Err(e) => {
                return Err(RenderError {
                    message: exec_error_message(&e, flavor),
                    template_error: Some(e),
                });
            }
        }
    }
    if let Some(rec) = rec {
        rec.record_sites(&set);
    }
    Ok(out)
}

/// Helm's `cleanupParseError`: `parse error at (FILE:LINE): LAST-SEGMENT`.
fn cleanup_parse_error(name: &str, e: &gotmpl::Error) -> String {
    let s = e.to_string();
    let tokens: Vec<&str> = s.split(": ").collect();
    if tokens.len() == 1 {
        return format!("parse error in ({name}): {s}");
    }
    format!(
        "parse error at ({}): {}",
        tokens[1],
        tokens[tokens.len() - 1]
    )
}

/// The `HELM_ERR_START…HELM_ERR_END` message inside `s`, as Helm's regex `START(.*)END` finds it
/// (greedy, not across newlines).
fn warn_message(s: &str) -> Option<&str> {
    let mut from = 0;
    while let Some(i) = s[from..].find(WARN_START) {
        let start = from + i + WARN_START.len();
        let line_end = s[start..].find('\n').map_or(s.len(), |n| start + n);
        if let Some(j) = s[start..line_end].rfind(WARN_END) {
            return Some(&s[start..start + j]);
        }
        from = start;
    }
    None
}

/// Helm's handling of an execution error: `required`/`fail` become `execution error at
/// (LOCATION): MESSAGE`; Helm 4 prints pure template-error chains one block per link.
fn exec_error_message(e: &gotmpl::Error, flavor: Flavor) -> String {
    if e.kind() == ErrorKind::Panic {
        return format!("rendering template failed: {e}");
    }
    let s = e.to_string();
    let tokens: Vec<&str> = s.splitn(3, ": ").collect();
    if tokens.len() == 3
        && let Some(msg) = warn_message(tokens[2])
    {
        return format!("execution error at ({}): {msg}", tokens[1]);
    }
    match flavor {
        Flavor::Helm3 => s,
        Flavor::Helm4 => {
            if is_pure_template_chain(e) {
                helm4_blocks(e).trim().to_string()
            } else {
                s
            }
        }
    }
}

/// Whether every link of the error chain is a template error (Helm 4's condition for its
/// multi-line layout).
fn is_pure_template_chain(e: &gotmpl::Error) -> bool {
    if e.location().is_none() {
        // `template: no template "x" associated with template "gotpl"`.
        return e.kind() == ErrorKind::Exec && e.func().is_none();
    }
    match (e.func(), e.source_error()) {
        (None, _) => true,
        (Some(_), Some(inner)) => is_pure_template_chain(inner),
        (Some(_), None) => false,
    }
}

fn helm4_blocks(e: &gotmpl::Error) -> String {
    let Some(loc) = e.location() else {
        return e.to_string();
    };
    let head = format!(
        "{}:{}:{}\n  executing {} at <{}>:",
        loc.file,
        loc.line,
        loc.col,
        gotmpl::gofmt::quote(e.name()),
        loc.context
    );
    match (e.func(), e.source_error()) {
        (Some(f), Some(inner)) => {
            format!("{head}\n    error calling {f}:\n{}", helm4_blocks(inner))
        }
        _ => format!("{head}\n    {}", e.message()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_order() {
        let a = "c/templates/a.yaml".to_string();
        let b = "c/templates/_b.tpl".to_string();
        let s = "c/charts/s/templates/x.yaml".to_string();
        let z = "c/templates/z.yaml".to_string();
        assert_eq!(
            sort_templates(&[&a, &b, &s, &z]),
            vec![s.clone(), z.clone(), a.clone(), b.clone()]
        );
    }

    #[test]
    fn warn_regex() {
        assert_eq!(
            warn_message("x HELM_ERR_STARTneed itHELM_ERR_END y"),
            Some("need it")
        );
        assert_eq!(
            warn_message("HELM_ERR_STARTaHELM_ERR_END HELM_ERR_STARTbHELM_ERR_END"),
            Some("aHELM_ERR_END HELM_ERR_STARTb")
        );
        assert_eq!(warn_message("HELM_ERR_STARTa\nHELM_ERR_END"), None);
    }
}
