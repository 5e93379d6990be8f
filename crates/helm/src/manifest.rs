//! `helm template`'s output assembly, byte for byte: splitting rendered files into documents,
//! hook detection, kind ordering, CRD and `# Source:` framing, `--show-only` and
//! `--output-dir` (HELM-SEMANTICS.md §1.6, §7).
//!
//! Everything here is a pure function of already-rendered text except
//! [`write_output_dir`]. Reading each document's head (`apiVersion`, `kind`, `metadata.name`,
//! `metadata.annotations`) needs a YAML parser, which the caller plugs in through
//! [`HeadParser`].

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

mod output_dir;

mod split;

pub use crate::glob::{ErrBadPattern as BadPattern, filepath_match};
pub use output_dir::write_output_dir;
pub use split::{split_document_ranges, split_documents};

use split::go_trim_space;

pub use crate::Flavor;

/// The head of a rendered document: the few fields Helm reads from each one
/// (Go's `SimpleHead`). Missing fields are `None` / empty.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Head {
    /// `apiVersion`.
    pub api_version: Option<String>,
    /// `kind`.
    pub kind: Option<String>,
    /// `metadata.name`.
    pub name: Option<String>,
    /// `metadata.annotations`.
    pub annotations: BTreeMap<String, String>,
}

/// Reads the [`Head`] of one document. Implemented by the caller with a YAML parser that
/// behaves like `sigs.k8s.io/yaml.Unmarshal` into Helm's `SimpleHead` (non-strict: scalars
/// convert to strings; a scalar or list document is an error; an empty or comment-only
/// document gives an empty head).
pub trait HeadParser {
    /// Parses the head of `doc` (already trimmed), which came from the template `path`. On
    /// failure returns the parser's message, which [`assemble`] passes on verbatim inside
    /// [`AssembleError::Yaml`] (displayed as `YAML parse error on <path>: <message>`).
    fn parse_head(&self, path: &str, doc: &str) -> Result<Head, String>;
}

impl<F> HeadParser for F
where
    F: Fn(&str, &str) -> Result<Head, String>,
{
    fn parse_head(&self, path: &str, doc: &str) -> Result<Head, String> {
        self(path, doc)
    }
}

/// The annotation that makes a document a hook.
pub const HOOK_ANNOTATION: &str = "helm.sh/hook";

/// A hook event (`helm.sh/hook` value part).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HookEvent {
    /// `pre-install`
    PreInstall,
    /// `post-install`
    PostInstall,
    /// `pre-delete`
    PreDelete,
    /// `post-delete`
    PostDelete,
    /// `pre-upgrade`
    PreUpgrade,
    /// `post-upgrade`
    PostUpgrade,
    /// `pre-rollback`
    PreRollback,
    /// `post-rollback`
    PostRollback,
    /// `test` (also written `test-success`).
    Test,
}

impl HookEvent {
    /// Parses one event name, already trimmed and lower-cased (`test-success` is [`HookEvent::Test`]).
    pub fn parse(s: &str) -> Option<HookEvent> {
        Some(match s {
            "pre-install" => HookEvent::PreInstall,
            "post-install" => HookEvent::PostInstall,
            "pre-delete" => HookEvent::PreDelete,
            "post-delete" => HookEvent::PostDelete,
            "pre-upgrade" => HookEvent::PreUpgrade,
            "post-upgrade" => HookEvent::PostUpgrade,
            "pre-rollback" => HookEvent::PreRollback,
            "post-rollback" => HookEvent::PostRollback,
            "test" | "test-success" => HookEvent::Test,
            _ => return None,
        })
    }

    /// The canonical name (`test` for both spellings of the test event).
    pub fn as_str(self) -> &'static str {
        match self {
            HookEvent::PreInstall => "pre-install",
            HookEvent::PostInstall => "post-install",
            HookEvent::PreDelete => "pre-delete",
            HookEvent::PostDelete => "post-delete",
            HookEvent::PreUpgrade => "pre-upgrade",
            HookEvent::PostUpgrade => "post-upgrade",
            HookEvent::PreRollback => "pre-rollback",
            HookEvent::PostRollback => "post-rollback",
            HookEvent::Test => "test",
        }
    }
}

impl fmt::Display for HookEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a document's `helm.sh/hook` annotation says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HookKind {
    /// No `helm.sh/hook` annotation: an ordinary manifest.
    NotHook,
    /// A hook with these events (in annotation order).
    Hook(Vec<HookEvent>),
    /// A hook annotation with at least one unknown event: Helm silently drops the document.
    Unknown,
}

/// Classifies a document by its annotations, as Helm does: the `helm.sh/hook` value is split
/// on `,`, each part trimmed and lower-cased; any unknown part makes the whole hook unknown.
pub fn hook_kind(annotations: &BTreeMap<String, String>) -> HookKind {
    let Some(value) = annotations.get(HOOK_ANNOTATION) else {
        return HookKind::NotHook;
    };
    let mut events = Vec::new();
    for part in value.split(',') {
        match HookEvent::parse(&go_to_lower(go_trim_space(part))) {
            Some(e) => events.push(e),
            None => return HookKind::Unknown,
        }
    }
    HookKind::Hook(events)
}

/// Go's `strings.ToLower`: per-character simple lower-casing (`İ` U+0130 becomes a plain `i`,
/// unlike Rust's `to_lowercase`, which appends a combining dot).
fn go_to_lower(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{130}' => 'i',
            c => c.to_lowercase().next().unwrap_or(c),
        })
        .collect()
}

/// Helm 3's `InstallOrder`.
const INSTALL_ORDER_H3: &[&str] = &[
    "PriorityClass",
    "Namespace",
    "NetworkPolicy",
    "ResourceQuota",
    "LimitRange",
    "PodSecurityPolicy",
    "PodDisruptionBudget",
    "ServiceAccount",
    "Secret",
    "SecretList",
    "ConfigMap",
    "StorageClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "CustomResourceDefinition",
    "ClusterRole",
    "ClusterRoleList",
    "ClusterRoleBinding",
    "ClusterRoleBindingList",
    "Role",
    "RoleList",
    "RoleBinding",
    "RoleBindingList",
    "Service",
    "DaemonSet",
    "Pod",
    "ReplicationController",
    "ReplicaSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "StatefulSet",
    "Job",
    "CronJob",
    "IngressClass",
    "Ingress",
    "APIService",
];

/// Helm 4's `InstallOrder`: Helm 3's plus the two webhook configuration kinds.
const INSTALL_ORDER_H4_EXTRA: &[&str] = &[
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
];

/// The position of `kind` in the flavour's `InstallOrder` (case-sensitive), or `None` for a
/// kind Helm does not know.
pub fn install_order(flavor: Flavor, kind: &str) -> Option<usize> {
    if let Some(i) = INSTALL_ORDER_H3.iter().position(|k| *k == kind) {
        return Some(i);
    }
    match flavor {
        Flavor::Helm3 => None,
        Flavor::Helm4 => INSTALL_ORDER_H4_EXTRA
            .iter()
            .position(|k| *k == kind)
            .map(|i| INSTALL_ORDER_H3.len() + i),
    }
}

/// Stable-sorts items by kind the way Helm does: kinds in `InstallOrder` first, in that order;
/// then unknown kinds by kind string (byte order, `""` first); ties keep their order.
pub fn sort_by_kind<T>(items: &mut [T], flavor: Flavor, kind: impl Fn(&T) -> &str) {
    items.sort_by(|a, b| {
        let (ka, kb) = (kind(a), kind(b));
        match (install_order(flavor, ka), install_order(flavor, kb)) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => ka.cmp(kb),
        }
    });
}

/// The flags of `helm template` that shape its output.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AssembleOptions {
    /// `--include-crds`: print the `crds/` files first.
    pub include_crds: bool,
    /// `--no-hooks`: print no hooks (test hooks included).
    pub no_hooks: bool,
    /// `--skip-tests`: print no hook that has a `test` event.
    pub skip_tests: bool,
    /// Which Helm's kind order to use.
    pub flavor: Flavor,
}

/// Where an emitted document comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Section {
    /// A file from a `crds/` directory, printed verbatim (only with `--include-crds`).
    Crd,
    /// An ordinary rendered document.
    Manifest,
    /// A hook document (printed after all manifests).
    Hook,
}

/// One document of the assembled output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    /// The `# Source:` path: template name (`chart/templates/x.yaml`) or CRD file path.
    pub source: String,
    /// Manifest, hook or CRD.
    pub section: Section,
    /// Index of this document among the documents split from its file (0 for CRDs, which are
    /// never split). Indices count every document of the file, including dropped ones.
    pub index: usize,
    /// The parsed head (`None` for CRDs, which Helm does not parse).
    pub head: Option<Head>,
    /// The hook events (empty unless `section` is [`Section::Hook`]).
    pub hook_events: Vec<HookEvent>,
    /// The document text as printed: trimmed for rendered documents, the raw file for CRDs.
    pub content: String,
    /// The byte range of the whole block (`---\n# Source: …\n<doc>\n`) in
    /// [`Assembled::output`]. The final trimming of the non-hook part may shorten the last
    /// non-hook block.
    pub range: Range<usize>,
    /// The byte range of the document text itself in [`Assembled::output`].
    pub body: Range<usize>,
}

impl Document {
    /// `kind` of the head, `""` if missing.
    pub fn kind(&self) -> &str {
        self.head
            .as_ref()
            .and_then(|h| h.kind.as_deref())
            .unwrap_or("")
    }

    /// `metadata.name` of the head, `""` if missing.
    pub fn name(&self) -> &str {
        self.head
            .as_ref()
            .and_then(|h| h.name.as_deref())
            .unwrap_or("")
    }

    /// The hook weight Helm computes: `helm.sh/hook-weight` parsed as a Go `strconv.Atoi`
    /// integer, 0 when missing or malformed. (Weights do not affect `helm template`'s order.)
    pub fn hook_weight(&self) -> i64 {
        self.head
            .as_ref()
            .and_then(|h| h.annotations.get("helm.sh/hook-weight"))
            .and_then(|w| w.parse::<i64>().ok())
            .unwrap_or(0)
    }

    /// Whether this is a hook with a `test` event (dropped by `--skip-tests`).
    pub fn is_test_hook(&self) -> bool {
        self.hook_events.contains(&HookEvent::Test)
    }
}

/// A hook document dropped because its `helm.sh/hook` annotation names an unknown event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkippedHook {
    /// The template it came from.
    pub source: String,
    /// The raw `helm.sh/hook` annotation value.
    pub annotation: String,
}

impl SkippedHook {
    /// The line Helm logs to stderr for this hook (without the trailing newline):
    /// H3 `manifest_sorter.go:190: info: skipping unknown hook: "<value>"`,
    /// H4 `level=INFO msg="skipping unknown hooks" hookTypes=<value>` (quoted when needed).
    pub fn log_line(&self, flavor: Flavor) -> String {
        match flavor {
            Flavor::Helm3 => format!(
                "manifest_sorter.go:190: info: skipping unknown hook: {}",
                go_quote(&self.annotation)
            ),
            Flavor::Helm4 => {
                let value = if slog_needs_quoting(&self.annotation) {
                    go_quote(&self.annotation)
                } else {
                    self.annotation.clone()
                };
                format!("level=INFO msg=\"skipping unknown hooks\" hookTypes={value}")
            }
        }
    }
}

/// Go's `strconv.Quote` (approximate for exotic non-printable characters).
fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if c.is_control() || (c.is_whitespace() && c != ' ') => {
                if (c as u32) < 0x10000 {
                    out.push_str(&format!("\\u{:04x}", c as u32));
                } else {
                    out.push_str(&format!("\\U{:08x}", c as u32));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Go `log/slog`'s text handler rule for quoting a value.
fn slog_needs_quoting(s: &str) -> bool {
    s.is_empty()
        || s.chars().any(|c| {
            if c.is_ascii() {
                c != '\\' && (c == ' ' || c == '=' || c == '"' || c.is_ascii_control())
            } else {
                c.is_whitespace() || c.is_control()
            }
        })
}

/// The result of [`assemble`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Assembled {
    /// Exactly what `helm template` prints on stdout (without `--show-only`/`--output-dir`).
    pub output: String,
    /// Every printed document, in output order.
    pub documents: Vec<Document>,
    /// Hooks dropped for unknown events, in the order Helm met them (for its stderr log).
    pub skipped_hooks: Vec<SkippedHook>,
}

/// Why [`assemble`] failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AssembleError {
    /// A document's head did not parse. Displays as `YAML parse error on <path>: <message>`.
    Yaml {
        /// The template the document came from.
        path: String,
        /// The [`HeadParser`]'s message, verbatim.
        message: String,
        /// Hooks dropped for unknown events before the failure (Helm has logged them already).
        skipped_hooks: Vec<SkippedHook>,
        /// Hooks read before the failure, in reading order: `(template, document, is a test
        /// hook)`. `helm template --debug` still prints them.
        hooks: Vec<(String, String, bool)>,
    },
}

impl fmt::Display for AssembleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AssembleError::Yaml { path, message, .. } => {
                write!(f, "YAML parse error on {path}: {message}")
            }
        }
    }
}

impl std::error::Error for AssembleError {}

/// Whether Helm drops a rendered file before sorting: `NOTES.txt` files (any path ending in
/// `NOTES.txt`) and partials (basename starting with `_`).
pub fn is_dropped_template(path: &str) -> bool {
    path.ends_with("NOTES.txt") || go_path_base(path).starts_with('_')
}

/// Whether Helm treats the chart file `name` (relative to its chart, `/`-separated) as a CRD
/// file for `--include-crds`: it lies under `crds/` (any depth) and its extension is `.yaml`,
/// `.yml` or `.json`, compared with Go's `strings.EqualFold` (so `.YAML` and even `.jſon`
/// count). The chart's own CRD files are printed in chart-file order — the loader's directory
/// walk, entries sorted by name in each directory, so `crds/a/x.yaml` comes before
/// `crds/a.yaml` — followed by each enabled dependency's.
pub fn is_crd_file(name: &str) -> bool {
    if !name.starts_with("crds/") {
        return false;
    }
    let base = &name[name.rfind('/').map_or(0, |i| i + 1)..];
    let Some(dot) = base.rfind('.') else {
        return false;
    };
    let ext = &base[dot..];
    [".yaml", ".yml", ".json"]
        .iter()
        .any(|want| go_equal_fold(ext, want))
}

/// Go's `strings.EqualFold` where `ascii_lower` is lower-case ASCII: besides ASCII case,
/// `ſ` (U+017F) folds to `s` and the Kelvin sign (U+212A) to `k`.
fn go_equal_fold(s: &str, ascii_lower: &str) -> bool {
    let mut a = s.chars();
    let mut b = ascii_lower.chars();
    loop {
        match (a.next(), b.next()) {
            (None, None) => return true,
            (Some(x), Some(y)) => {
                let folded = match x {
                    '\u{17f}' => 's',
                    '\u{212a}' => 'k',
                    x => x.to_ascii_lowercase(),
                };
                if folded != y {
                    return false;
                }
            }
            _ => return false,
        }
    }
}

/// Go's `path.Base`.
fn go_path_base(path: &str) -> &str {
    if path.is_empty() {
        return ".";
    }
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return "/";
    }
    match trimmed.rfind('/') {
        Some(i) => &trimmed[i + 1..],
        None => trimmed,
    }
}

/// A document on its way to the output.
struct Pending {
    source: String,
    index: usize,
    head: Head,
    events: Vec<HookEvent>,
    content: String,
}

/// Appends `---\n# Source: <source>\n<content>\n` to `out`, returning (block, body) ranges.
fn push_block(out: &mut String, source: &str, content: &str) -> (Range<usize>, Range<usize>) {
    let start = out.len();
    out.push_str("---\n# Source: ");
    out.push_str(source);
    out.push('\n');
    let body_start = out.len();
    out.push_str(content);
    let body_end = out.len();
    out.push('\n');
    (start..out.len(), body_start..body_end)
}

/// Assembles `helm template`'s stdout from the rendered templates (§7.1).
///
/// * `files`: every rendered template as (template name, rendered text), partials and
///   `NOTES.txt` included or not (both are dropped here); order does not matter (Helm visits
///   them in byte order of their names).
/// * `crds`: the CRD files in Helm's order (the chart's own in path order, then each enabled
///   dependency's, recursively) as (path such as `chart/crds/x.yaml`, raw bytes); printed
///   verbatim when `opts.include_crds`. Invalid UTF-8 is replaced by U+FFFD.
/// * `parser`: reads each document's head.
///
/// Without `--output-dir` and `--show-only` the result's `output` is the whole stdout;
/// with them, pass the result to [`show_only`] / [`write_output_dir`].
pub fn assemble(
    files: &[(String, String)],
    crds: &[(String, Vec<u8>)],
    opts: &AssembleOptions,
    parser: &dyn HeadParser,
) -> Result<Assembled, AssembleError> {
    let mut order: Vec<&(String, String)> = files.iter().collect();
    order.sort_by(|a, b| a.0.cmp(&b.0));

    let mut manifests: Vec<Pending> = Vec::new();
    let mut hooks: Vec<Pending> = Vec::new();
    let mut skipped_hooks = Vec::new();
    for (path, text) in order {
        if is_dropped_template(path) || go_trim_space(text).is_empty() {
            continue;
        }
        for (index, doc) in split_documents(text).into_iter().enumerate() {
            let head = parser
                .parse_head(path, &doc)
                .map_err(|message| AssembleError::Yaml {
                    path: path.clone(),
                    message,
                    skipped_hooks: skipped_hooks.clone(),
                    hooks: hooks
                        .iter()
                        .map(|h| {
                            (
                                h.source.clone(),
                                h.content.clone(),
                                h.events.contains(&HookEvent::Test),
                            )
                        })
                        .collect(),
                })?;
            let pending = |events| Pending {
                source: path.clone(),
                index,
                head: head.clone(),
                events,
                content: doc.clone(),
            };
            match hook_kind(&head.annotations) {
                HookKind::NotHook => manifests.push(pending(Vec::new())),
                HookKind::Hook(events) => hooks.push(pending(events)),
                HookKind::Unknown => skipped_hooks.push(SkippedHook {
                    source: path.clone(),
                    annotation: head.annotations[HOOK_ANNOTATION].clone(),
                }),
            }
        }
    }
    fn kind_of(p: &Pending) -> &str {
        p.head.kind.as_deref().unwrap_or("")
    }
    sort_by_kind(&mut manifests, opts.flavor, kind_of);
    sort_by_kind(&mut hooks, opts.flavor, kind_of);

    let mut output = String::new();
    let mut documents = Vec::new();
    if opts.include_crds {
        for (path, raw) in crds {
            let content = String::from_utf8_lossy(raw).into_owned();
            let (range, body) = push_block(&mut output, path, &content);
            documents.push(Document {
                source: path.clone(),
                section: Section::Crd,
                index: 0,
                head: None,
                hook_events: Vec::new(),
                content,
                range,
                body,
            });
        }
    }
    for m in manifests {
        let (range, body) = push_block(&mut output, &m.source, &m.content);
        documents.push(Document {
            source: m.source,
            section: Section::Manifest,
            index: m.index,
            head: Some(m.head),
            hook_events: m.events,
            content: m.content,
            range,
            body,
        });
    }
    // stdout starts with TrimSpace(M) + "\n"; M always starts with `---`, so only its end is
    // trimmed (which can shorten the last block).
    let trimmed_len = go_trim_space(&output).len();
    output.truncate(trimmed_len);
    output.push('\n');
    for d in &mut documents {
        d.range.end = d.range.end.min(trimmed_len + 1);
        d.body.end = d.body.end.min(trimmed_len);
        d.body.start = d.body.start.min(d.body.end);
    }
    if !opts.no_hooks {
        for h in hooks {
            if opts.skip_tests && h.events.contains(&HookEvent::Test) {
                continue;
            }
            let (range, body) = push_block(&mut output, &h.source, &h.content);
            documents.push(Document {
                source: h.source,
                section: Section::Hook,
                index: h.index,
                head: Some(h.head),
                hook_events: h.events,
                content: h.content,
                range,
                body,
            });
        }
    }
    Ok(Assembled {
        output,
        documents,
        skipped_hooks,
    })
}

/// The path `--show-only` matches a piece of output against: what follows the chart name in
/// the first `# Source: <chart>/<rest>` of the piece (Helm's `# Source: [^/]+/(.+)`, which is
/// not anchored; `.` stops at a newline, `[^/]` does not).
fn show_only_path(piece: &str) -> Option<&str> {
    const PREFIX: &str = "# Source: ";
    let mut from = 0;
    while let Some(off) = piece[from..].find(PREFIX) {
        let start = from + off + PREFIX.len();
        let rest = &piece[start..];
        if let Some(slash) = rest.find('/')
            && slash > 0
        {
            let after = &rest[slash + 1..];
            let line = &after[..after.find('\n').unwrap_or(after.len())];
            if !line.is_empty() {
                return Some(line);
            }
        }
        from = from + off + 1;
    }
    None
}

/// Applies `--show-only` to `helm template`'s assembled stdout (§7.7): the output is re-split
/// into documents; for each pattern in order, every document whose `# Source: <chart>/<rest>`
/// path `<rest>` matches the pattern (Go `filepath.Match`) is printed as `---\n<doc>\n`.
/// A pattern that matches nothing — malformed patterns never match — fails with
/// `could not find template <pattern> in chart` (Helm prints it as `Error: …`).
pub fn show_only(output: &str, patterns: &[String]) -> Result<String, String> {
    let pieces = split_documents(output);
    let mut selected: Vec<&str> = Vec::new();
    for pattern in patterns {
        let mut missing = true;
        for piece in &pieces {
            let Some(path) = show_only_path(piece) else {
                continue;
            };
            if filepath_match(pattern, path) == Ok(true) {
                selected.push(piece);
                missing = false;
            }
        }
        if missing {
            return Err(format!("could not find template {pattern} in chart"));
        }
    }
    let mut out = String::new();
    for piece in selected {
        out.push_str("---\n");
        out.push_str(piece);
        out.push('\n');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(kind: &str, hook: Option<&str>) -> Head {
        let mut annotations = BTreeMap::new();
        if let Some(h) = hook {
            annotations.insert(HOOK_ANNOTATION.to_string(), h.to_string());
        }
        Head {
            kind: Some(kind.to_string()),
            annotations,
            ..Head::default()
        }
    }

    #[test]
    fn hook_kinds() {
        assert_eq!(hook_kind(&BTreeMap::new()), HookKind::NotHook);
        assert_eq!(
            hook_kind(&head("", Some(" Pre-Install ,TEST-success")).annotations),
            HookKind::Hook(vec![HookEvent::PreInstall, HookEvent::Test])
        );
        assert_eq!(
            hook_kind(&head("", Some("pre-İnstall")).annotations),
            HookKind::Hook(vec![HookEvent::PreInstall])
        );
        assert_eq!(
            hook_kind(&head("", Some("")).annotations),
            HookKind::Unknown
        );
        assert_eq!(
            hook_kind(&head("", Some("pre-install,")).annotations),
            HookKind::Unknown
        );
    }

    #[test]
    fn kind_order() {
        let mut kinds = vec![
            "Foo",
            "ValidatingWebhookConfiguration",
            "",
            "Deployment",
            "configmap",
            "Namespace",
            "ConfigMap",
            "MutatingWebhookConfiguration",
        ];
        let mut h3 = kinds.clone();
        sort_by_kind(&mut h3, Flavor::Helm3, |k| k);
        assert_eq!(
            h3,
            [
                "Namespace",
                "ConfigMap",
                "Deployment",
                "",
                "Foo",
                "MutatingWebhookConfiguration",
                "ValidatingWebhookConfiguration",
                "configmap"
            ]
        );
        sort_by_kind(&mut kinds, Flavor::Helm4, |k| k);
        assert_eq!(
            kinds,
            [
                "Namespace",
                "ConfigMap",
                "Deployment",
                "MutatingWebhookConfiguration",
                "ValidatingWebhookConfiguration",
                "",
                "Foo",
                "configmap"
            ]
        );
    }

    #[test]
    fn parse_errors_pass_through() {
        let parser = |_: &str, doc: &str| -> Result<Head, String> {
            if doc.contains("bad") {
                Err("yaml: line 1: oops".to_string())
            } else {
                Ok(Head::default())
            }
        };
        let files = vec![
            (
                "c/templates/a.yaml".to_string(),
                "x: 1\n---\nbad".to_string(),
            ),
            ("c/templates/_p.yaml".to_string(), "bad".to_string()),
        ];
        let err = assemble(&files, &[], &AssembleOptions::default(), &parser).unwrap_err();
        assert_eq!(
            err.to_string(),
            "YAML parse error on c/templates/a.yaml: yaml: line 1: oops"
        );
    }

    #[test]
    fn ranges_point_into_output() {
        let parser = |_: &str, doc: &str| -> Result<Head, String> {
            Ok(if doc.starts_with("hook") {
                head("Job", Some("pre-install"))
            } else {
                head("ConfigMap", None)
            })
        };
        let files = vec![
            (
                "c/templates/a.yaml".to_string(),
                "a: 1\n---\nhook: 1".to_string(),
            ),
            ("c/templates/NOTES.txt".to_string(), "notes".to_string()),
        ];
        let crds = vec![("c/crds/x.yaml".to_string(), b"crd: 1\n\n".to_vec())];
        let opts = AssembleOptions {
            include_crds: true,
            ..AssembleOptions::default()
        };
        let a = assemble(&files, &crds, &opts, &parser).unwrap();
        assert_eq!(
            a.output,
            "---\n# Source: c/crds/x.yaml\ncrd: 1\n\n\n---\n# Source: c/templates/a.yaml\na: 1\n\
             ---\n# Source: c/templates/a.yaml\nhook: 1\n"
        );
        let bodies: Vec<&str> = a
            .documents
            .iter()
            .map(|d| &a.output[d.body.clone()])
            .collect();
        assert_eq!(bodies, ["crd: 1\n\n", "a: 1", "hook: 1"]);
        let last = &a.documents[2];
        assert_eq!(last.range.end, a.output.len());
        assert_eq!(last.index, 1);
        assert_eq!(last.section, Section::Hook);

        // Only a CRD: its trailing whitespace is trimmed away.
        let a = assemble(&[], &crds, &opts, &parser).unwrap();
        assert_eq!(a.output, "---\n# Source: c/crds/x.yaml\ncrd: 1\n");
        assert_eq!(&a.output[a.documents[0].body.clone()], "crd: 1");
        assert_eq!(&a.output[a.documents[0].range.clone()], a.output);
    }

    #[test]
    fn crd_files() {
        for yes in [
            "crds/a.yaml",
            "crds/x/b.YML",
            "crds/c.Json",
            "crds/.yaml",
            "crds/d.jſon",
        ] {
            assert!(is_crd_file(yes), "{yes}");
        }
        for no in [
            "crds/a.txt",
            "crds/yaml",
            "templates/a.yaml",
            "crds.d/a.yaml",
            "crds/a.yaml.bak",
        ] {
            assert!(!is_crd_file(no), "{no}");
        }
    }

    #[test]
    fn show_only_source_path() {
        assert_eq!(
            show_only_path("# Source: c/templates/a.yaml\nx"),
            Some("templates/a.yaml")
        );
        assert_eq!(show_only_path("---\nx: 1"), None);
        assert_eq!(show_only_path("# Source: /x\n# Source: c/y"), Some("y"));
    }

    #[test]
    fn log_lines() {
        let s = SkippedHook {
            source: "c/templates/a.yaml".into(),
            annotation: "pre-install, no pe".into(),
        };
        assert_eq!(
            s.log_line(Flavor::Helm3),
            "manifest_sorter.go:190: info: skipping unknown hook: \"pre-install, no pe\""
        );
        assert_eq!(
            s.log_line(Flavor::Helm4),
            "level=INFO msg=\"skipping unknown hooks\" hookTypes=\"pre-install, no pe\""
        );
        let s = SkippedHook {
            source: "c/templates/a.yaml".into(),
            annotation: "nonsense".into(),
        };
        assert_eq!(
            s.log_line(Flavor::Helm4),
            "level=INFO msg=\"skipping unknown hooks\" hookTypes=nonsense"
        );
    }
}
