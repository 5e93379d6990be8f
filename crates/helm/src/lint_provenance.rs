//! Template provenance for lint: which template line wrote a byte of a rendered document, and
//! which values key supplied it.
//!
//! When asked (`TemplateOptions::record_template_provenance`), rendering executes every template
//! into a [`gotmpl::Output`] that records, for each write, the node that made it (a text node or
//! a printing action). [`TemplateProvenance`] keeps those spans per rendered file, moved through
//! Helm's `<no value>` removal, together with the template texts and, for every action, the
//! `.Values` path its pipeline reads. Helm's document splitting only trims and cuts the file
//! text, so a document's bytes are found again with [`crate::manifest::split_document_ranges`].
//!
//! [`trace`] then answers, for a finding at a JSON pointer of a rendered object: the template
//! file, line and column that wrote the node, and, when an action such as `{{ .Values.a.b }}` or
//! `{{ toYaml .Values.r | nindent 8 }}` wrote it, the values key path (extended by the pointer
//! segments below the action's output) and that key's origin from
//! [`ValuesProvenance`](crate::provenance::ValuesProvenance).
//!
//! Limits: output of `include` and `tpl` is a function result, so it is attributed to the
//! action that printed it (the `{{ include ... }}` line), not to the helper's lines.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use gotmpl::{OutputSpan, TemplateSet, WriteKind};

use crate::manifest::{Document, split_document_ranges};
use crate::provenance::{Origin, Segment, ValuesProvenance, dotted};

/// What Helm removes from rendered output.
const NO_VALUE: &str = "<no value>";

/// A rendered file with the spans of its writers.
#[derive(Clone, Debug, Default)]
struct RecordedFile {
    text: String,
    spans: Vec<OutputSpan>,
}

/// What wrote a span.
#[derive(Clone, Debug)]
enum Site {
    /// Template text starting at this offset of the template.
    Text { source: usize },
    /// An action; `values` is the values path it reads, when it reads exactly one.
    Action { values: Option<Vec<Segment>> },
}

/// Where each byte of each rendered file came from (see the module docs).
#[derive(Clone, Debug, Default)]
pub struct TemplateProvenance {
    files: HashMap<String, RecordedFile>,
    sources: HashMap<Arc<str>, Arc<str>>,
    sites: HashMap<(Arc<str>, usize), Site>,
}

/// A position in a template file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateLocation {
    /// The template's full name (`chart/templates/deployment.yaml`,
    /// `chart/charts/sub/templates/x.yaml`).
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// The text of that line (without its line break), for excerpts.
    pub line_text: String,
}

/// What wrote a byte of a rendered document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContentSource {
    /// The template position of that byte (inside text) or of the action that printed it.
    pub template: TemplateLocation,
    /// The byte range of the writer's output in the document's content (clamped to it).
    pub span: Range<usize>,
    /// The values key path the writing action reads (`resources` for
    /// `{{ toYaml .Values.resources }}`), as a path of the top chart's merged values.
    pub values_path: Option<Vec<Segment>>,
}

/// Where a finding's node came from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FindingSource {
    /// The template position that wrote the node.
    pub template: Option<TemplateLocation>,
    /// The values key path that supplied it (Helm's dotted form: `resources.limits.memory`).
    pub values_path: Option<String>,
    /// That key's origin: the values file (or flag), the key path in it and the line.
    pub values: Option<Origin>,
}

impl TemplateProvenance {
    /// Records one executed template: removes `<no value>` as Helm does, moving the spans with
    /// the text, and returns the text.
    pub(crate) fn record_file(&mut self, name: &str, raw: &str, spans: Vec<OutputSpan>) -> String {
        let (text, spans) = remove_no_value(raw, spans);
        self.files.insert(
            name.to_string(),
            RecordedFile {
                text: text.clone(),
                spans,
            },
        );
        text
    }

    /// Indexes every writing node of every template of `set`.
    pub(crate) fn record_sites(&mut self, set: &TemplateSet) {
        for name in set.template_names() {
            let Some(tree) = set.tree(name) else {
                continue;
            };
            self.sources
                .entry(tree.parse_name.clone())
                .or_insert_with(|| tree.text.clone());
            // In a `define` body the cursor is whatever the caller passed: its reads are not
            // paths from the chart's top-level context.
            let top_level = *tree.name == *tree.parse_name;
            let prefix = subchart_prefix(&tree.parse_name);
            for site in gotmpl::write_sites(tree) {
                let s = match site.kind {
                    WriteKind::Text { source } => Site::Text { source },
                    WriteKind::Action { reads } => Site::Action {
                        values: (top_level && reads.len() == 1)
                            .then(|| values_path(&prefix, &reads[0]))
                            .flatten(),
                    },
                };
                self.sites.insert((tree.parse_name.clone(), site.pos), s);
            }
        }
    }

    /// The rendered text of the template `name` (after `<no value>` removal), if it rendered.
    pub fn rendered(&self, name: &str) -> Option<&str> {
        self.files.get(name).map(|f| f.text.as_str())
    }

    /// The text of the template file `file`.
    pub fn source(&self, file: &str) -> Option<&str> {
        self.sources.get(file).map(|s| &**s)
    }

    /// Where byte `offset` of `doc`'s content was written, if `doc` came from a rendered
    /// template (not a CRD file) and that byte was written by a recorded node.
    pub fn locate(&self, doc: &Document, offset: usize) -> Option<ContentSource> {
        let file = self.files.get(&doc.source)?;
        let range = split_document_ranges(&file.text)
            .into_iter()
            .nth(doc.index)?;
        if file.text.get(range.clone())? != doc.content {
            return None;
        }
        let at = range.start + offset;
        let i = file
            .spans
            .partition_point(|s| s.start <= at)
            .checked_sub(1)?;
        let span = &file.spans[i];
        if at >= span.end {
            return None;
        }
        let site = self.sites.get(&(span.file.clone(), span.offset))?;
        let text = self.sources.get(&span.file)?;
        let (source_offset, values_path) = match site {
            Site::Text { source } => (source + (at - span.start), None),
            Site::Action { values } => (span.offset, values.clone()),
        };
        let clamp = |p: usize| p.clamp(range.start, range.end) - range.start;
        Some(ContentSource {
            template: location(&span.file, text, source_offset),
            span: clamp(span.start)..clamp(span.end),
            values_path,
        })
    }
}

/// The values path of a read such as `Values.a.b` in a template of the subchart at `prefix`.
fn values_path(prefix: &[Segment], read: &[String]) -> Option<Vec<Segment>> {
    let (first, rest) = read.split_first()?;
    if first != "Values" {
        return None;
    }
    let mut p = prefix.to_vec();
    p.extend(rest.iter().map(|k| Segment::Key(k.clone())));
    Some(p)
}

/// The key path of a subchart's values in the top chart's: `top/charts/a/charts/b/templates/x`
/// gives `a.b`.
fn subchart_prefix(file: &str) -> Vec<Segment> {
    let parts: Vec<&str> = file.split('/').collect();
    let end = parts
        .iter()
        .position(|p| *p == "templates")
        .unwrap_or(parts.len());
    let mut out = Vec::new();
    let mut i = 1;
    while i + 1 < end {
        if parts[i] == "charts" {
            out.push(Segment::Key(parts[i + 1].to_string()));
            i += 2;
        } else {
            i += 1;
        }
    }
    out
}

/// Line, column and line text of byte `offset` of `text`.
fn location(file: &str, text: &str, offset: usize) -> TemplateLocation {
    let offset = offset.min(text.len());
    let mut offset = offset;
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    TemplateLocation {
        file: file.to_string(),
        line: 1 + before.matches('\n').count() as u32,
        column: 1 + text[line_start..offset].chars().count() as u32,
        line_text: text[line_start..line_end]
            .trim_end_matches('\r')
            .to_string(),
    }
}

/// Helm's `strings.ReplaceAll(out, "<no value>", "")`, moving `spans` with the text; spans left
/// empty are dropped.
fn remove_no_value(raw: &str, spans: Vec<OutputSpan>) -> (String, Vec<OutputSpan>) {
    let cuts: Vec<usize> = raw.match_indices(NO_VALUE).map(|(i, _)| i).collect();
    if cuts.is_empty() {
        return (raw.to_string(), spans);
    }
    let len = NO_VALUE.len();
    // Matches are disjoint, so every cut before the last one starting below `p` lies wholly
    // before `p`.
    let moved = |p: usize| {
        let k = cuts.partition_point(|&c| c < p);
        if k == 0 {
            return p;
        }
        p - (k - 1) * len - (p - cuts[k - 1]).min(len)
    };
    let spans = spans
        .into_iter()
        .filter_map(|s| {
            let (start, end) = (moved(s.start), moved(s.end));
            (start < end).then_some(OutputSpan { start, end, ..s })
        })
        .collect();
    (raw.replace(NO_VALUE, ""), spans)
}

/// One step down a JSON pointer: the segment, where its entry starts (the key of a map entry,
/// the item of a list) and the node it leads to.
struct Step<'a> {
    segment: Segment,
    entry: usize,
    node: &'a goyaml::Node,
}

/// Follows `pointer` (RFC 6901) from `root` as far as the document goes; `true` when it went
/// all the way.
fn walk<'a>(root: &'a goyaml::Node, pointer: &str) -> (Vec<Step<'a>>, bool) {
    let mut steps = Vec::new();
    let mut cur = root;
    if pointer.is_empty() {
        return (steps, true);
    }
    for raw in pointer.split('/').skip(1) {
        let seg = raw.replace("~1", "/").replace("~0", "~");
        match &cur.value {
            goyaml::NodeValue::Map(entries) => {
                let Some((k, v)) = entries.iter().find(|(k, _)| k.name == seg) else {
                    return (steps, false);
                };
                steps.push(Step {
                    segment: Segment::Key(seg),
                    entry: k.pos.offset,
                    node: v,
                });
                cur = v;
            }
            goyaml::NodeValue::Seq(items) => {
                let Some((i, item)) = seg
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| items.get(i).map(|n| (i, n)))
                else {
                    return (steps, false);
                };
                steps.push(Step {
                    segment: Segment::Index(i),
                    entry: item.pos.offset,
                    node: item,
                });
                cur = item;
            }
            _ => return (steps, false),
        }
    }
    (steps, true)
}

/// Where the node at `pointer` of the rendered object `root` (parsed from `doc.content`) came
/// from: the template position that wrote it and, when an action read it from `.Values`, the
/// values key path and its origin.
///
/// The byte looked up is the scalar value itself when the pointer reaches a scalar (what an
/// action such as `{{ .Values.replicas }}` printed) and `at_key` is false; otherwise the key or
/// list item the pointer ends at (or reaches last, when the pointer goes beyond the document).
/// Findings about a key (an unknown field, a duplicate key) pass `at_key`.
pub fn trace(
    provenance: &TemplateProvenance,
    values: Option<&ValuesProvenance>,
    doc: &Document,
    root: &goyaml::Node,
    pointer: &str,
    at_key: bool,
) -> FindingSource {
    let (steps, complete) = walk(root, pointer);
    let offset = match steps.last() {
        Some(last) if complete && !at_key && !is_collection(last.node) => last.node.pos.offset,
        Some(last) => last.entry,
        None => root.pos.offset,
    };
    let Some(src) = provenance.locate(doc, offset) else {
        return FindingSource::default();
    };
    let mut out = FindingSource {
        template: Some(src.template),
        ..FindingSource::default()
    };
    let Some(mut path) = src.values_path else {
        return out;
    };
    // An action that printed a whole structure (`toYaml .Values.r`) wrote the keys below it:
    // the first step whose key lies in the action's output starts the rest of the values path.
    if let Some(first) = steps.iter().position(|s| src.span.contains(&s.entry)) {
        path.extend(steps[first..].iter().map(|s| s.segment.clone()));
    }
    out.values_path = Some(dotted(&path));
    if let Some(vp) = values {
        out.values = (1..=path.len())
            .rev()
            .find_map(|n| vp.origin(&path[..n]))
            .cloned();
    }
    out
}

fn is_collection(n: &goyaml::Node) -> bool {
    matches!(
        n.value,
        goyaml::NodeValue::Map(_) | goyaml::NodeValue::Seq(_)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Flavor;
    use crate::template::{TemplateOptions, template};

    /// A chart and a values file in a fresh temporary directory, removed on drop.
    struct Fixture {
        dir: std::path::PathBuf,
    }

    impl Fixture {
        fn new(name: &str, files: &[(&str, &str)]) -> Fixture {
            let dir = std::env::temp_dir()
                .join(format!("chartkit-lint-prov-{}-{name}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            for (path, text) in files {
                let p = dir.join(path);
                std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                std::fs::write(p, text).unwrap();
            }
            Fixture { dir }
        }
    }

    impl Drop for Fixture {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }

    const DEPLOYMENT: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
spec:
  replicas: {{ .Values.replicas }}
  template:
    spec:
      containers:
        - name: app
          image: \"{{ $.Values.image.repository }}:{{ .Values.image.tag }}\"
          resources:
            {{- toYaml .Values.resources | nindent 12 }}
          {{- with .Values.probe }}
          port: {{ .port }}
          {{- end }}
";

    const CHART_VALUES: &str = "replicas: 1
image:
  repository: nginx
  tag: \"1.0\"
resources: {}
probe:
  port: 80
";

    const PROD: &str = "replicas: 3
resources:
  limits:
    memory: 1Gi
  requests:
    cpu: 100m
";

    fn render(fx: &Fixture) -> crate::template::TemplateOutput {
        let opts = TemplateOptions {
            release_name: "web".into(),
            chart: fx.dir.join("app"),
            namespace: "dev".into(),
            values_files: vec![fx.dir.join("prod.yaml")],
            flavor: Flavor::Helm4,
            record_provenance: true,
            record_template_provenance: true,
            ..TemplateOptions::default()
        };
        template(&opts).unwrap_or_else(|e| panic!("{}", e.stderr()))
    }

    fn fixture(name: &str) -> Fixture {
        Fixture::new(
            name,
            &[
                (
                    "app/Chart.yaml",
                    "apiVersion: v2\nname: app\nversion: 0.1.0\n",
                ),
                ("app/values.yaml", CHART_VALUES),
                ("app/templates/deployment.yaml", DEPLOYMENT),
                ("prod.yaml", PROD),
            ],
        )
    }

    fn trace_at(out: &crate::template::TemplateOutput, pointer: &str) -> FindingSource {
        let doc = &out.assembled.documents[0];
        let root = goyaml::load(&doc.content, 0).unwrap();
        trace(
            out.template_provenance.as_ref().expect("recorded"),
            out.values_provenance.as_ref(),
            doc,
            &root,
            pointer,
            false,
        )
    }

    #[test]
    fn a_scalar_from_values_names_the_action_and_the_values_line() {
        let fx = fixture("scalar");
        let out = render(&fx);
        let src = trace_at(&out, "/spec/replicas");
        let t = src.template.expect("template location");
        assert_eq!(t.file, "app/templates/deployment.yaml");
        assert_eq!((t.line, t.column), (6, 16));
        assert_eq!(t.line_text, "  replicas: {{ .Values.replicas }}");
        assert_eq!(src.values_path.as_deref(), Some("replicas"));
        let v = src.values.expect("values origin");
        assert!(v.source.ends_with("prod.yaml"), "{v:?}");
        assert_eq!((v.line, v.column), (1, 1));
        assert_eq!(v.key_path, "replicas");
    }

    #[test]
    fn to_yaml_extends_the_key_path_by_the_pointer() {
        let fx = fixture("toyaml");
        let out = render(&fx);
        let src = trace_at(
            &out,
            "/spec/template/spec/containers/0/resources/limits/memory",
        );
        let t = src.template.expect("template location");
        assert_eq!(t.line, 13);
        assert!(t.line_text.contains("toYaml .Values.resources"));
        assert_eq!(src.values_path.as_deref(), Some("resources.limits.memory"));
        let v = src.values.expect("values origin");
        assert!(v.source.ends_with("prod.yaml"));
        assert_eq!((v.line, v.column), (4, 5));
    }

    #[test]
    fn text_keys_point_at_their_exact_template_column() {
        let fx = fixture("text");
        let out = render(&fx);
        // The `resources` key itself was written by template text.
        let src = trace_at(&out, "/spec/template/spec/containers/0/resources");
        let t = src.template.expect("template location");
        assert_eq!((t.line, t.column), (12, 11));
        assert_eq!(src.values_path, None);
        // A key inside `with .Values.probe` and its value from the chart's defaults.
        let src = trace_at(&out, "/spec/template/spec/containers/0/port");
        assert_eq!(src.template.expect("location").line, 15);
        assert_eq!(src.values_path.as_deref(), Some("probe.port"));
        let v = src.values.expect("values origin");
        assert_eq!(v.source, "values.yaml");
        assert_eq!(v.line, 7);
    }

    #[test]
    fn key_findings_point_at_the_key() {
        let fx = fixture("key");
        let out = render(&fx);
        let doc = &out.assembled.documents[0];
        let root = goyaml::load(&doc.content, 0).unwrap();
        let tp = out.template_provenance.as_ref().expect("recorded");
        let src = trace(tp, None, doc, &root, "/spec/replicas", true);
        let t = src.template.expect("template location");
        assert_eq!((t.line, t.column), (6, 3));
        assert_eq!(src.values_path, None);
    }

    #[test]
    fn two_reads_in_one_value_are_not_guessed() {
        let fx = fixture("two");
        let out = render(&fx);
        let src = trace_at(&out, "/spec/template/spec/containers/0/image");
        // The image string starts with the quote written by text, then the repository action.
        let t = src.template.expect("template location");
        assert_eq!(t.line, 11);
        assert_eq!(src.values_path, None);
    }

    #[test]
    fn no_value_removal_moves_spans() {
        let spans = vec![
            OutputSpan {
                start: 0,
                end: 3,
                file: Arc::from("f"),
                offset: 0,
            },
            OutputSpan {
                start: 3,
                end: 13,
                file: Arc::from("f"),
                offset: 3,
            },
            OutputSpan {
                start: 13,
                end: 15,
                file: Arc::from("f"),
                offset: 9,
            },
        ];
        let (text, moved) = remove_no_value("a: <no value>\nb", spans);
        assert_eq!(text, "a: \nb");
        let ranges: Vec<_> = moved.iter().map(|s| (s.start, s.end, s.offset)).collect();
        assert_eq!(ranges, vec![(0, 3, 0), (3, 5, 9)]);
    }

    #[test]
    fn subchart_templates_read_under_the_subchart_key() {
        assert_eq!(
            subchart_prefix("top/charts/db/charts/x/templates/a.yaml"),
            vec![Segment::Key("db".into()), Segment::Key("x".into())]
        );
        assert!(subchart_prefix("top/templates/a.yaml").is_empty());
    }
}
