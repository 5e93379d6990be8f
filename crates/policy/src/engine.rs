//! Running the rules over a release.

use goyaml::Node;
use schema::Severity;

use crate::finding::Finding;
use crate::model::{Object, Release};
use crate::pod::{PodTemplate, operator_pods, pod_template};
use crate::rules::{RULES, Rule, RuleDoc};
use crate::settings::{Level, Settings};
use crate::suppress;

/// Runs every enabled rule over the release and applies in-chart suppressions. Findings come
/// sorted by object index, pointer, rule, container and message.
pub fn check(release: &Release<'_>, settings: &Settings) -> Vec<Finding> {
    let live: Vec<bool> = release
        .objects
        .iter()
        .map(|o| settings.include_test_hooks || !o.is_test_hook())
        .collect();
    let pods: Vec<PodTemplate<'_>> = release
        .objects
        .iter()
        .enumerate()
        .filter(|(i, _)| live[*i])
        .filter_map(|(i, o)| pod_template(i, o))
        .collect();
    // Pods operators make for custom resources of the release: selectable, not checked.
    let managed: Vec<(usize, crate::labels::Labels, Node)> = release
        .objects
        .iter()
        .enumerate()
        .filter(|(i, _)| live[*i])
        .filter_map(|(i, o)| operator_pods(o).map(|(labels, spec)| (i, labels, spec)))
        .collect();
    let mut selectable = pods.clone();
    selectable.extend(managed.iter().map(|(i, labels, spec)| PodTemplate {
        object: *i,
        obj: &release.objects[*i],
        spec,
        spec_ptr: "/spec".into(),
        meta: None,
        meta_ptr: "/spec/podMetadata".into(),
        labels: labels.clone(),
        operator: true,
    }));
    let mut findings = Vec::new();
    for rule in RULES {
        let level = settings
            .level(rule.doc.id)
            .unwrap_or_else(|| default_level(settings, &rule.doc));
        if level == Level::Off && !rule_enabled_by_sub(settings, &rule.doc) {
            continue;
        }
        let mut ctx = Ctx {
            release,
            settings,
            pods: &pods,
            selectable: &selectable,
            live: &live,
            rule,
            out: Vec::new(),
        };
        (rule.run)(&mut ctx);
        findings.append(&mut ctx.out);
    }
    suppress::apply(release, settings, &live, &mut findings);
    findings.sort_by(|a, b| {
        (a.object, &a.pointer, a.rule, &a.container, &a.message).cmp(&(
            b.object,
            &b.pointer,
            b.rule,
            &b.container,
            &b.message,
        ))
    });
    findings
}

/// The level of a rule without a configured one: its default, except that a rule off by
/// default and given options (`CK-RES-003: { mode: require }`) runs at warning.
fn default_level(settings: &Settings, doc: &RuleDoc) -> Level {
    let has_options = settings
        .rules
        .get(doc.id)
        .is_some_and(|s| !s.options.is_empty());
    if doc.default_severity == Level::Off && has_options {
        Level::Warning
    } else {
        doc.default_severity
    }
}

/// A rule that is off as a whole still runs when one of its sub-checks is switched on.
fn rule_enabled_by_sub(settings: &Settings, doc: &RuleDoc) -> bool {
    doc.sub_ids.iter().any(|sub| {
        settings
            .level(&format!("{}.{sub}", doc.id))
            .is_some_and(|l| l != Level::Off)
    })
}

/// What a rule sees, and where it reports.
pub(crate) struct Ctx<'a> {
    /// The release.
    pub release: &'a Release<'a>,
    /// The settings.
    pub settings: &'a Settings,
    /// Every pod template of the visible objects, in object order.
    pub pods: &'a [PodTemplate<'a>],
    /// [`Ctx::pods`] plus the pods operators make for custom resources of the release
    /// (`PodTemplate::operator`): what selectors, ports, NetworkPolicies and
    /// PodDisruptionBudgets are checked against.
    pub selectable: &'a [PodTemplate<'a>],
    live: &'a [bool],
    rule: &'static Rule,
    out: Vec<Finding>,
}

impl<'a> Ctx<'a> {
    /// The visible objects (Helm test hooks hidden unless configured) with their indices.
    pub fn objects(&self) -> impl Iterator<Item = (usize, &'a Object)> + 'a {
        let live = self.live;
        self.release
            .objects
            .iter()
            .enumerate()
            .filter(move |(i, _)| live[*i])
    }

    /// The visible objects of one kind.
    pub fn of_kind(&self, kind: &'a str) -> impl Iterator<Item = (usize, &'a Object)> + 'a {
        self.objects().filter(move |(_, o)| o.kind == kind)
    }

    /// This rule's option.
    pub fn option(&self, name: &str) -> Option<&'a Node> {
        self.settings.option(self.rule.doc.id, name)
    }

    /// Reports at the rule's default severity.
    pub fn emit(
        &mut self,
        object: usize,
        pointer: String,
        container: Option<String>,
        message: String,
    ) {
        self.emit_full(self.rule.doc.id, None, object, pointer, container, message);
    }

    /// Reports at a severity the rule chose for this case (settings still override it).
    pub fn emit_at(
        &mut self,
        severity: Severity,
        object: usize,
        pointer: String,
        container: Option<String>,
        message: String,
    ) {
        self.emit_full(
            self.rule.doc.id,
            Some(severity),
            object,
            pointer,
            container,
            message,
        );
    }

    /// Reports under a sub-id (`CK-SEC-001.privileged`) and an optional rule-chosen severity.
    pub fn emit_full(
        &mut self,
        rule: &'static str,
        severity: Option<Severity>,
        object: usize,
        pointer: String,
        container: Option<String>,
        message: String,
    ) {
        let doc = &self.rule.doc;
        let configured = self
            .settings
            .level(rule)
            .or_else(|| self.settings.level(doc.id));
        let level = match configured {
            Some(l) => l,
            None => match severity {
                Some(s) => match s {
                    Severity::Error => Level::Error,
                    Severity::Warning => Level::Warning,
                    Severity::Info => Level::Info,
                },
                None => default_level(self.settings, doc),
            },
        };
        let Some(severity) = level.severity() else {
            return;
        };
        self.out.push(Finding {
            rule,
            name: doc.name,
            severity,
            object,
            pointer,
            container,
            message,
            suppressed: None,
        });
    }
}
