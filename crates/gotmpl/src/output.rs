//! The output sink, optionally recording which template node wrote each span.

use std::sync::Arc;

/// One recorded span of output: bytes `start..end` were written by the node at byte `offset` of
/// the file (top-level template) `file`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputSpan {
    /// Start of the span in the output.
    pub start: usize,
    /// End of the span in the output.
    pub end: usize,
    /// The file whose text holds the node.
    pub file: Arc<str>,
    /// Byte offset of the node in that file.
    pub offset: usize,
}

/// Where execution writes. With provenance on, every write records an [`OutputSpan`].
#[derive(Debug, Default)]
pub struct Output {
    buf: String,
    spans: Option<Vec<OutputSpan>>,
}

impl Output {
    /// A sink without provenance.
    pub fn new() -> Output {
        Output::default()
    }

    /// A sink that records provenance.
    pub fn with_provenance() -> Output {
        Output {
            buf: String::new(),
            spans: Some(Vec::new()),
        }
    }

    /// Bytes written so far.
    pub fn len(&self) -> usize {
        self.buf.len()
    }

    /// Whether nothing was written.
    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// The text written so far.
    pub fn as_str(&self) -> &str {
        &self.buf
    }

    /// The recorded spans (empty without provenance).
    pub fn spans(&self) -> &[OutputSpan] {
        self.spans.as_deref().unwrap_or_default()
    }

    /// Appends `s`, written by the node at `offset` of `file`.
    pub fn write(&mut self, s: &str, file: &Arc<str>, offset: usize) {
        if s.is_empty() {
            return;
        }
        let start = self.buf.len();
        self.buf.push_str(s);
        if let Some(spans) = &mut self.spans {
            spans.push(OutputSpan {
                start,
                end: self.buf.len(),
                file: file.clone(),
                offset,
            });
        }
    }

    /// The output.
    pub fn into_string(self) -> String {
        self.buf
    }

    /// The output and the spans.
    pub fn into_parts(self) -> (String, Vec<OutputSpan>) {
        (self.buf, self.spans.unwrap_or_default())
    }
}

/// What kind of node writes output at a [`WriteSite`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WriteKind {
    /// Plain text, written verbatim: byte `i` of what it writes is byte `source + i` of the
    /// template text (trim markers already removed the surrounding space).
    Text {
        /// Where the written text starts in the template text.
        source: usize,
    },
    /// An action (`{{ pipeline }}`) that prints its pipeline's value.
    Action {
        /// The data paths the pipeline reads, as field names from the data the template was
        /// executed with (`.a.b` and `$.a.b` give `["a", "b"]`; inside `{{with .a}}`, `.b`
        /// gives `["a", "b"]`). Reads through other variables, `range` elements or function
        /// results are not listed.
        reads: Vec<Vec<String>>,
    },
}

/// A node that can write output, found by [`write_sites`]: the `offset` an [`OutputSpan`]
/// records is the `pos` of one of these.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WriteSite {
    /// The node's position (what [`OutputSpan::offset`] holds for its writes).
    pub pos: usize,
    /// What it is.
    pub kind: WriteKind,
}

/// Every node of `tree` that writes output: its text nodes and printing actions, in source
/// order, with the data paths each action reads. Used to map recorded spans back to template
/// lines and to the data that produced them.
pub fn write_sites(tree: &crate::Tree) -> Vec<WriteSite> {
    let mut out = Vec::new();
    let root = Some(Vec::new());
    sites_in_list(&tree.text, &tree.root, &root, &mut out);
    out
}

/// The data path of the cursor: `Some(path)` when it is a known path into the data.
type DotPath = Option<Vec<String>>;

fn sites_in_list(text: &str, list: &crate::ast::ListNode, dot: &DotPath, out: &mut Vec<WriteSite>) {
    use crate::ast::Node;
    for node in &list.nodes {
        match node {
            Node::Text(t) => out.push(WriteSite {
                pos: t.pos,
                kind: WriteKind::Text {
                    source: text_source(text, t.pos, &t.text),
                },
            }),
            Node::Action(a) if a.pipe.decl.is_empty() => {
                let mut reads = Vec::new();
                pipe_reads(&a.pipe, dot, &mut reads);
                reads.dedup();
                out.push(WriteSite {
                    pos: a.pos,
                    kind: WriteKind::Action { reads },
                });
            }
            Node::If(b) | Node::With(b) | Node::Range(b) => {
                let inner: DotPath = match node {
                    Node::If(_) => dot.clone(),
                    Node::With(_) => single_read(&b.pipe, dot),
                    _ => None,
                };
                stacker::maybe_grow(crate::exec::RED_ZONE, crate::exec::STACK_SEGMENT, || {
                    sites_in_list(text, &b.list, &inner, out);
                    if let Some(e) = &b.else_list {
                        sites_in_list(text, e, dot, out);
                    }
                });
            }
            _ => {}
        }
    }
}

/// Where the text node's text starts in the template: at its position, or (when trimming moved
/// the position) at the first occurrence after it.
fn text_source(text: &str, pos: usize, written: &str) -> usize {
    let Some(rest) = text.get(pos..) else {
        return pos;
    };
    if rest.starts_with(written) {
        return pos;
    }
    rest.find(written).map_or(pos, |i| pos + i)
}

/// The path a pipeline evaluates to when it is nothing but one field chain (`.a.b`, `$.a.b`).
fn single_read(pipe: &crate::ast::PipeNode, dot: &DotPath) -> DotPath {
    if pipe.cmds.len() != 1 || pipe.cmds[0].args.len() != 1 {
        return None;
    }
    arg_path(&pipe.cmds[0].args[0], dot)
}

fn arg_path(arg: &crate::ast::Arg, dot: &DotPath) -> DotPath {
    use crate::ast::Arg;
    match arg {
        Arg::Field(f) => dot.as_ref().map(|d| {
            let mut p = d.clone();
            p.extend(f.ident.iter().cloned());
            p
        }),
        Arg::Dot(_) => dot.clone(),
        Arg::Variable(v) if v.ident.first().is_some_and(|n| n == "$") => {
            Some(v.ident[1..].to_vec())
        }
        _ => None,
    }
}

fn pipe_reads(pipe: &crate::ast::PipeNode, dot: &DotPath, out: &mut Vec<Vec<String>>) {
    use crate::ast::Arg;
    for cmd in &pipe.cmds {
        for arg in &cmd.args {
            match arg {
                Arg::Pipe(p) => {
                    stacker::maybe_grow(crate::exec::RED_ZONE, crate::exec::STACK_SEGMENT, || {
                        pipe_reads(p, dot, out)
                    })
                }
                Arg::Dot(_) => {}
                a => {
                    if let Some(p) = arg_path(a, dot)
                        && !out.contains(&p)
                    {
                        out.push(p);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TemplateSet;

    fn sites(src: &str) -> Vec<WriteSite> {
        let mut set = TemplateSet::new("root");
        set.parse("t", src).unwrap();
        write_sites(set.tree("t").unwrap())
    }

    #[test]
    fn actions_list_their_reads() {
        let s = sites("a: {{ .Values.x | print }}\nb: {{ print $.Values.r | printf \"%s\" }}\n");
        let reads: Vec<_> = s
            .iter()
            .filter_map(|w| match &w.kind {
                WriteKind::Action { reads } => Some(reads.clone()),
                WriteKind::Text { .. } => None,
            })
            .collect();
        assert_eq!(
            reads,
            vec![
                vec![vec!["Values".to_string(), "x".to_string()]],
                vec![vec!["Values".to_string(), "r".to_string()]],
            ]
        );
    }

    #[test]
    fn with_rebinds_dot_and_range_forgets_it() {
        let s = sites(
            "{{ with .Values.r }}{{ .limits }}{{ end }}{{ range .Values.l }}{{ .x }}{{ end }}",
        );
        let reads: Vec<_> = s
            .iter()
            .filter_map(|w| match &w.kind {
                WriteKind::Action { reads } => Some(reads.clone()),
                WriteKind::Text { .. } => None,
            })
            .collect();
        assert_eq!(
            reads,
            vec![
                vec![vec![
                    "Values".to_string(),
                    "r".to_string(),
                    "limits".to_string()
                ]],
                vec![],
            ]
        );
    }

    #[test]
    fn trimmed_text_points_at_its_source() {
        let src = "a: 1\n{{- if true }}\n  b: 2\n{{- end }}";
        let s = sites(src);
        let texts: Vec<usize> = s
            .iter()
            .filter_map(|w| match w.kind {
                WriteKind::Text { source } => Some(source),
                WriteKind::Action { .. } => None,
            })
            .collect();
        assert_eq!(texts.len(), 2);
        assert_eq!(&src[texts[0]..texts[0] + 4], "a: 1");
        assert_eq!(&src[texts[1]..texts[1] + 7], "\n  b: 2");
    }
}
