//! `helm template` output assembly (`helm::manifest`) against real Helm.
//!
//! Every case is a small chart of literal-text templates (no template actions, so the rendered
//! text of each template is its file content). The chart and Helm's output for it are
//! committed under `fixtures/manifest/<case>/`:
//!
//! * the chart files themselves (`Chart.yaml`, `templates/…`, `crds/…`, `charts/…`), plus a
//!   `.helmignore` hiding the files below from Helm;
//! * `args`: extra `helm template` arguments, one per line (`OUTDIR` stands for a fresh
//!   temporary directory);
//! * `seed/…`: files placed in the output directory before an `--output-dir` run;
//! * `expected.<stream>` (or `expected.h3.<stream>` and `expected.h4.<stream>` where the two
//!   Helm versions differ) for the streams `stdout`, `stderr` (only when not empty) and
//!   `outdir` (the written files, `--output-dir` cases only).
//!
//! Each test compares `assemble`/`show_only`/`write_output_dir` with the committed expectation
//! for both Helm versions, and re-runs Helm to check the expectation when the oracle is
//! installed. `CHARTKIT_REGENERATE=1` rewrites the fixtures from the case definitions below
//! (Helm must then be installed).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use helm::manifest::{
    AssembleOptions, Flavor, Head, assemble, is_crd_file, show_only, split_documents,
    write_output_dir,
};
use oracle::{HelmVersion, TempDir};

/// One generated chart and the `helm template` arguments to run it with.
struct Case {
    name: &'static str,
    /// Chart files (relative path, content). `Chart.yaml` of chart `c` is added if missing.
    files: Vec<(&'static str, String)>,
    args: Vec<&'static str>,
    /// Files placed in the output directory before an `--output-dir` run.
    seed: Vec<(&'static str, &'static str)>,
}

fn case(name: &'static str, files: Vec<(&'static str, String)>, args: &[&'static str]) -> Case {
    Case {
        name,
        files,
        args: args.to_vec(),
        seed: Vec::new(),
    }
}

fn chart_yaml(name: &str) -> String {
    format!("apiVersion: v2\nname: {name}\nversion: 0.1.0\n")
}

fn obj(kind: &str, name: &str) -> String {
    format!("apiVersion: v1\nkind: {kind}\nmetadata:\n  name: {name}\n")
}

fn hook(kind: &str, name: &str, events: &str) -> String {
    format!(
        "apiVersion: v1\nkind: {kind}\nmetadata:\n  name: {name}\n  annotations:\n    \"helm.sh/hook\": \"{events}\"\n"
    )
}

fn weighted_hook(kind: &str, name: &str, events: &str, weight: &str) -> String {
    format!(
        "apiVersion: v1\nkind: {kind}\nmetadata:\n  name: {name}\n  annotations:\n    \"helm.sh/hook\": {events}\n    \"helm.sh/hook-weight\": \"{weight}\"\n"
    )
}

fn docs(parts: &[String]) -> String {
    parts.join("---\n")
}

fn s(text: &str) -> String {
    text.to_string()
}

/// A file set used by several `--show-only` cases.
fn show_only_chart() -> Vec<(&'static str, String)> {
    vec![
        (
            "templates/a.yaml",
            docs(&[obj("ConfigMap", "a"), obj("Service", "a")]),
        ),
        ("templates/b.yaml", obj("Deployment", "b")),
        ("templates/abc.yml", obj("Secret", "abc")),
        ("templates/!x.yaml", obj("ConfigMap", "bang")),
        ("templates/tests/t.yaml", hook("Pod", "t", "test")),
        ("templates/hook.yaml", hook("Job", "h", "pre-install")),
        (
            "templates/stray.yaml",
            s(
                "kind: ConfigMap\nmetadata:\n  name: s1\n---\n---\nkind: ConfigMap\nmetadata:\n  name: s2\n",
            ),
        ),
        ("crds/crd.yaml", obj("CustomResourceDefinition", "crd")),
        ("charts/sub/Chart.yaml", chart_yaml("sub")),
        ("charts/sub/templates/cm.yaml", obj("ConfigMap", "sub-cm")),
        (
            "charts/sub/templates/deep/svc.yaml",
            obj("Service", "sub-svc"),
        ),
    ]
}

fn cases() -> Vec<Case> {
    vec![
        case(
            "kinds_install_order",
            vec![
                (
                    "templates/a.yaml",
                    docs(&[
                        obj("Deployment", "a"),
                        obj("Ingress", "a"),
                        obj("IngressClass", "a"),
                        obj("CronJob", "a"),
                        obj("Job", "a"),
                        obj("StatefulSet", "a"),
                        obj("HorizontalPodAutoscaler", "a"),
                        obj("ReplicaSet", "a"),
                        obj("ReplicationController", "a"),
                        obj("Pod", "a"),
                        obj("DaemonSet", "a"),
                        obj("Service", "a"),
                    ]),
                ),
                (
                    "templates/b.yaml",
                    docs(&[
                        obj("APIService", "b"),
                        obj("RoleBindingList", "b"),
                        obj("RoleBinding", "b"),
                        obj("RoleList", "b"),
                        obj("Role", "b"),
                        obj("ClusterRoleBindingList", "b"),
                        obj("ClusterRoleBinding", "b"),
                        obj("ClusterRoleList", "b"),
                        obj("ClusterRole", "b"),
                        obj("CustomResourceDefinition", "b"),
                        obj("PersistentVolumeClaim", "b"),
                        obj("PersistentVolume", "b"),
                        obj("StorageClass", "b"),
                    ]),
                ),
                (
                    "templates/c.yaml",
                    docs(&[
                        obj("ConfigMap", "c"),
                        obj("SecretList", "c"),
                        obj("Secret", "c"),
                        obj("ServiceAccount", "c"),
                        obj("PodDisruptionBudget", "c"),
                        obj("PodSecurityPolicy", "c"),
                        obj("LimitRange", "c"),
                        obj("ResourceQuota", "c"),
                        obj("NetworkPolicy", "c"),
                        obj("Namespace", "c"),
                        obj("PriorityClass", "c"),
                    ]),
                ),
            ],
            &[],
        ),
        case(
            "kinds_unknown_and_case",
            vec![
                (
                    "templates/a.yaml",
                    docs(&[
                        obj("Zeta", "a"),
                        obj("configmap", "a"),
                        obj("ConfigMap", "a"),
                        s("apiVersion: v1\nmetadata:\n  name: nokind\n"),
                        obj("Alpha", "a"),
                        obj("Zeta", "a2"),
                    ]),
                ),
                (
                    "templates/b.yaml",
                    docs(&[obj("Alpha", "b"), obj("Service", "b")]),
                ),
            ],
            &[],
        ),
        case(
            "kinds_webhooks",
            vec![(
                "templates/a.yaml",
                docs(&[
                    obj("ValidatingWebhookConfiguration", "v"),
                    obj("Foo", "f"),
                    obj("MutatingWebhookConfiguration", "m"),
                    obj("APIService", "api"),
                    obj("Bar", "b"),
                    obj("Job", "j"),
                ]),
            )],
            &[],
        ),
        case(
            "hooks_webhooks",
            vec![(
                "templates/h.yaml",
                docs(&[
                    hook("ValidatingWebhookConfiguration", "v", "pre-install"),
                    hook("Aardvark", "x", "post-install"),
                    hook("MutatingWebhookConfiguration", "m", "pre-upgrade"),
                    hook("Job", "j", "pre-install"),
                ]),
            )],
            &[],
        ),
        case(
            "ordering_spec_example",
            vec![
                (
                    "templates/a.yaml",
                    docs(&[obj("Deployment", "a-dep"), obj("ConfigMap", "a-cm")]),
                ),
                (
                    "templates/z.yaml",
                    docs(&[obj("ConfigMap", "z-cm"), obj("Service", "z-svc")]),
                ),
                (
                    "templates/m.yaml",
                    docs(&[obj("Foo", "foo"), obj("Bar", "bar"), obj("Namespace", "ns")]),
                ),
                ("templates/notyaml.txt", obj("Secret", "sec")),
                ("charts/sub/Chart.yaml", chart_yaml("sub")),
                ("charts/sub/templates/cm.yaml", obj("ConfigMap", "sub-cm")),
                ("charts/sub/templates/svc.yaml", obj("Service", "sub-svc")),
                (
                    "templates/hook.yaml",
                    docs(&[
                        weighted_hook("Job", "job", "pre-install", "5"),
                        weighted_hook("ConfigMap", "hook-cm", "post-install", "-5"),
                    ]),
                ),
                ("templates/tests/t.yaml", hook("Pod", "test", "test")),
            ],
            &[],
        ),
        case(
            "separators_inline",
            vec![
                (
                    "templates/a.yaml",
                    s(
                        "kind: ConfigMap\nmetadata:\n  name: a\n--- kind: Secret\nmetadata:\n  name: b\n---kind: Service\nmetadata:\n  name: c\n--- # a comment\nkind: Pod\nmetadata:\n  name: d\n",
                    ),
                ),
                (
                    "templates/b.yaml",
                    s(
                        "kind: ConfigMap\nmetadata:\n  name: e\ndata:\n  x: |\n    one\n    ---\n    two\n  y: a ---\n---\t\nkind: Secret\nmetadata:\n  name: f\n",
                    ),
                ),
            ],
            &[],
        ),
        case(
            "separators_doubled",
            vec![
                ("templates/a.yaml", s("---\n---\n")),
                (
                    "templates/b.yaml",
                    s(
                        "\n---\n# c\nkind: ConfigMap\nmetadata:\n  name: b1\n---   \n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: b2\n",
                    ),
                ),
                (
                    "templates/c.yaml",
                    s(
                        "---\n\n\n---\nkind: Pod\nmetadata:\n  name: c1\n---\n---\nkind: Pod\nmetadata:\n  name: c2\n---\n \t\n---\n",
                    ),
                ),
            ],
            &[],
        ),
        case(
            "comment_only_documents",
            vec![
                ("templates/a.yaml", s("# just a comment\n")),
                (
                    "templates/b.yaml",
                    s(
                        "# first\n---\nkind: ConfigMap\nmetadata:\n  name: b\n---\n# last\n# two lines\n",
                    ),
                ),
            ],
            &[],
        ),
        case(
            "whitespace_and_trimming",
            vec![
                ("templates/blank.yaml", s(" \n\t\n  \n")),
                ("templates/empty.yaml", s("")),
                (
                    "templates/pad.yaml",
                    s(
                        "\n\n   \nkind: ConfigMap\nmetadata:\n  name: pad   \n\n\n---\n\n\n   kind: Secret\nmetadata:\n  name: pad2\n   \n",
                    ),
                ),
                (
                    "templates/tabs.yaml",
                    s("kind: ConfigMap\nmetadata:\n  name: tabs\ndata:\n  x: \"a\tb\"\t\n\t\n"),
                ),
            ],
            &[],
        ),
        case(
            "crlf_line_endings",
            vec![(
                "templates/a.yaml",
                s(
                    "kind: ConfigMap\r\nmetadata:\r\n  name: a\r\n---\r\nkind: Secret\r\nmetadata:\r\n  name: b\r\n\r\n",
                ),
            )],
            &[],
        ),
        case(
            "unicode_whitespace",
            vec![
                (
                    "templates/a.yaml",
                    s(
                        "kind: ConfigMap\nmetadata:\n  name: a\n---\n\u{a0}\n---\nkind: Secret\nmetadata:\n  name: b\n\u{a0}\u{2003}",
                    ),
                ),
                (
                    "templates/b.yaml",
                    s(
                        "\u{2028}kind: ConfigMap\nmetadata:\n  name: c\n---\n\u{b}\n---\nkind: Pod\nmetadata:\n  name: d\n",
                    ),
                ),
            ],
            &[],
        ),
        case(
            "notes_dropped",
            vec![
                (
                    "templates/NOTES.txt",
                    s("kind: ConfigMap\nmetadata:\n  name: notes\n"),
                ),
                (
                    "templates/MYNOTES.txt",
                    s("kind: ConfigMap\nmetadata:\n  name: mynotes\n"),
                ),
                (
                    "templates/sub/NOTES.txt",
                    s("kind: ConfigMap\nmetadata:\n  name: subnotes\n"),
                ),
                ("templates/notes.txt", obj("ConfigMap", "lowercase-notes")),
                ("templates/NOTES.txt.yaml", obj("ConfigMap", "notes-yaml")),
                ("charts/sub/Chart.yaml", chart_yaml("sub")),
                ("charts/sub/templates/NOTES.txt", s("sub notes\n")),
                ("charts/sub/templates/x.yaml", obj("Secret", "sub-x")),
            ],
            &[],
        ),
        case(
            "partials_skipped",
            vec![
                (
                    "templates/_helpers.tpl",
                    s("kind: ConfigMap\nmetadata:\n  name: helpers\n"),
                ),
                ("templates/_x.yaml", obj("ConfigMap", "underscore")),
                (
                    "templates/_dir/x.yaml",
                    obj("ConfigMap", "in-underscore-dir"),
                ),
                ("templates/sub/_y.yaml", obj("ConfigMap", "nested-partial")),
                ("templates/x_.yaml", obj("ConfigMap", "x-underscore")),
                ("templates/noext", obj("Secret", "noext")),
            ],
            &[],
        ),
        case(
            "hooks_basic",
            vec![
                ("templates/cm.yaml", obj("ConfigMap", "cm")),
                (
                    "templates/hooks.yaml",
                    docs(&[
                        weighted_hook("Job", "j1", "pre-install", "10"),
                        weighted_hook("ConfigMap", "h-cm", "post-install", "-10"),
                        weighted_hook("Job", "j0", "post-delete", "-100"),
                        weighted_hook("Secret", "h-sec", "pre-upgrade,post-upgrade", "3"),
                        hook("Gadget", "g", "pre-rollback"),
                        hook("ServiceAccount", "sa", "post-rollback"),
                        hook("Pod", "p", "pre-delete"),
                    ]),
                ),
                ("templates/svc.yaml", obj("Service", "svc")),
            ],
            &[],
        ),
        case(
            "hooks_event_parsing",
            vec![(
                "templates/h.yaml",
                docs(&[
                    hook("ConfigMap", "spaces", " pre-install , post-install "),
                    hook("ConfigMap", "upper", "PRE-INSTALL,Post-Upgrade"),
                    hook("ConfigMap", "dotted-capital-i", "pre-İnstall"),
                    hook("ConfigMap", "test-success", "test-success"),
                    s(
                        "kind: Secret\nmetadata:\n  name: other-annotation\n  annotations:\n    helm.sh/hook-weight: \"1\"\n",
                    ),
                    s("kind: Secret\nmetadata:\n  name: empty-annotations\n  annotations: {}\n"),
                ]),
            )],
            &[],
        ),
        case(
            "hooks_unknown_dropped",
            vec![
                (
                    "templates/h.yaml",
                    docs(&[
                        hook("Job", "unknown", "nonsense"),
                        hook("Job", "mixed", "pre-install,nonsense"),
                        hook("Job", "trailing-comma", "pre-install,"),
                        hook("Job", "empty", ""),
                        hook("Job", "spaced", "pre install"),
                        hook("Job", "equals", "x=y"),
                        hook("Job", "accent", "préinstall"),
                        hook("Job", "tab", "a\tb"),
                        hook("Job", "backslash", "a\\\\b"),
                        hook("Job", "good", "post-install"),
                    ]),
                ),
                ("templates/m.yaml", obj("ConfigMap", "m")),
            ],
            &[],
        ),
        case(
            "tests_default",
            vec![
                ("templates/tests/a.yaml", hook("Pod", "t-a", "test")),
                ("templates/tests/b.yaml", hook("Pod", "t-b", "test-success")),
                (
                    "templates/tests/c.yaml",
                    hook("ConfigMap", "t-c", "test,pre-install"),
                ),
                ("templates/hook.yaml", hook("Job", "h", "pre-install")),
                ("templates/cm.yaml", obj("ConfigMap", "cm")),
            ],
            &[],
        ),
        case(
            "tests_skipped",
            vec![
                ("templates/tests/a.yaml", hook("Pod", "t-a", "test")),
                ("templates/tests/b.yaml", hook("Pod", "t-b", "test-success")),
                (
                    "templates/tests/c.yaml",
                    hook("ConfigMap", "t-c", "pre-install,TEST"),
                ),
                ("templates/hook.yaml", hook("Job", "h", "pre-install")),
                ("templates/cm.yaml", obj("ConfigMap", "cm")),
            ],
            &["--skip-tests"],
        ),
        case(
            "no_hooks",
            vec![
                ("templates/tests/a.yaml", hook("Pod", "t-a", "test")),
                ("templates/hook.yaml", hook("Job", "h", "pre-install")),
                ("templates/cm.yaml", obj("ConfigMap", "cm")),
                ("templates/bad.yaml", hook("Job", "bad", "nope")),
            ],
            &["--no-hooks"],
        ),
        case(
            "only_hooks",
            vec![
                ("templates/hook.yaml", hook("Job", "h", "pre-install")),
                ("templates/tests/t.yaml", hook("Pod", "t", "test")),
            ],
            &[],
        ),
        case(
            "only_hooks_no_hooks",
            vec![("templates/hook.yaml", hook("Job", "h", "pre-install"))],
            &["--no-hooks"],
        ),
        case(
            "empty_output",
            vec![
                ("templates/blank.yaml", s("\n\n")),
                ("templates/NOTES.txt", s("notes\n")),
                ("templates/_helpers.tpl", s("\n")),
            ],
            &[],
        ),
        case(
            "crds_included",
            vec![
                (
                    "crds/a.yaml",
                    s(
                        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: as.example.com\n\n\n",
                    ),
                ),
                (
                    "crds/a/x.yaml",
                    s("kind: CustomResourceDefinition\nmetadata:\n  name: nested\n"),
                ),
                (
                    "crds/B.YML",
                    s("kind: CustomResourceDefinition\nmetadata:\n  name: upper"),
                ),
                (
                    "crds/c.json",
                    s("{\"kind\": \"CustomResourceDefinition\"}\n"),
                ),
                ("crds/d.txt", s("ignored\n")),
                (
                    "crds/e.yaml",
                    s("  # indented start\nkind: X\n---\nkind: Y\n---\n"),
                ),
                ("templates/cm.yaml", obj("ConfigMap", "cm")),
                ("templates/hook.yaml", hook("Job", "h", "pre-install")),
                ("charts/sub/Chart.yaml", chart_yaml("sub")),
                (
                    "charts/sub/crds/sub.yaml",
                    s("kind: CustomResourceDefinition\nmetadata:\n  name: sub\n"),
                ),
                ("charts/sub/templates/x.yaml", obj("Secret", "sub-x")),
            ],
            &["--include-crds"],
        ),
        case(
            "crds_not_included",
            vec![
                ("crds/a.yaml", obj("CustomResourceDefinition", "a")),
                ("templates/cm.yaml", obj("ConfigMap", "cm")),
            ],
            &[],
        ),
        case(
            "crds_only",
            vec![(
                "crds/a.yaml",
                s("kind: CustomResourceDefinition\nmetadata:\n  name: a\n\n\n \n"),
            )],
            &["--include-crds"],
        ),
        case(
            "crds_then_hooks_only",
            vec![
                (
                    "crds/a.yaml",
                    s("kind: CustomResourceDefinition\nmetadata:\n  name: a\n\n"),
                ),
                ("templates/hook.yaml", hook("Job", "h", "post-install")),
            ],
            &["--include-crds", "--skip-tests"],
        ),
        case(
            "subcharts_nested",
            vec![
                ("templates/cm.yaml", obj("ConfigMap", "parent")),
                ("charts/sub/Chart.yaml", chart_yaml("sub")),
                ("charts/sub/templates/cm.yaml", obj("ConfigMap", "sub")),
                (
                    "charts/sub/templates/hook.yaml",
                    hook("Job", "sub-hook", "pre-install"),
                ),
                ("charts/sub/charts/deep/Chart.yaml", chart_yaml("deep")),
                (
                    "charts/sub/charts/deep/templates/cm.yaml",
                    obj("ConfigMap", "deep"),
                ),
                ("charts/other-dir/Chart.yaml", chart_yaml("renamed")),
                (
                    "charts/other-dir/templates/svc.yaml",
                    obj("Service", "renamed"),
                ),
            ],
            &[],
        ),
        case(
            "show_only_single",
            show_only_chart(),
            &["--show-only", "templates/b.yaml"],
        ),
        case(
            "show_only_glob",
            show_only_chart(),
            &["-s", "templates/*.yaml", "--include-crds"],
        ),
        case(
            "show_only_many_patterns",
            show_only_chart(),
            &[
                "-s",
                "charts/sub/templates/*",
                "-s",
                "templates/a.yaml",
                "-s",
                "charts/*/templates/*/*.yaml",
                "-s",
                "templates/?.yaml",
            ],
        ),
        case(
            "show_only_classes",
            show_only_chart(),
            &["-s", "templates/[^b]*.y?ml", "-s", "templates/[!b]*"],
        ),
        case(
            "show_only_crds_and_tests",
            show_only_chart(),
            &["--include-crds", "-s", "crds/*", "-s", "templates/tests/*"],
        ),
        case(
            "show_only_tests_skipped",
            show_only_chart(),
            &["--skip-tests", "-s", "templates/tests/t.yaml"],
        ),
        case(
            "show_only_missing",
            show_only_chart(),
            &["-s", "templates/a.yaml", "-s", "templates/nope.yaml"],
        ),
        case(
            "show_only_bad_pattern",
            show_only_chart(),
            &["-s", "templates/["],
        ),
        case(
            "show_only_escape",
            show_only_chart(),
            &["-s", "templates/\\a.yaml", "-s", "templates/ho\\ok.yaml"],
        ),
        case(
            "show_only_stray_separator",
            show_only_chart(),
            &["-s", "templates/stray.yaml"],
        ),
        case(
            "show_only_hook",
            show_only_chart(),
            &["-s", "templates/hook.yaml", "--no-hooks"],
        ),
        case(
            "output_dir",
            show_only_chart(),
            &["--include-crds", "--output-dir", "OUTDIR/"],
        ),
        case(
            "output_dir_release_name",
            show_only_chart(),
            &[
                "--include-crds",
                "--skip-tests",
                "--output-dir",
                "OUTDIR",
                "--release-name",
            ],
        ),
        Case {
            seed: vec![
                ("c/templates/hook.yaml", "# left over\n"),
                ("c/templates/a.yaml", "# left over\n"),
            ],
            ..case(
                "output_dir_existing_files",
                vec![
                    (
                        "templates/a.yaml",
                        docs(&[obj("ConfigMap", "a"), hook("Job", "ah", "pre-install")]),
                    ),
                    ("templates/hook.yaml", hook("Job", "h", "pre-install")),
                ],
                &["--output-dir", "OUTDIR"],
            )
        },
        case(
            "yaml_error_first_file_wins",
            vec![
                ("templates/_partial.tpl", s("not yaml\n")),
                ("templates/NOTES.txt", s("not yaml\n")),
                ("templates/a.yaml", obj("ConfigMap", "a")),
                (
                    "templates/b.yaml",
                    s("kind: ConfigMap\nmetadata:\n  name: b\n---\njust some text\n"),
                ),
                ("templates/c.yaml", s("more text\n")),
                ("crds/bad.yaml", s("not yaml\n")),
            ],
            &["--include-crds"],
        ),
        case(
            "yaml_error_hooks_parsed_even_with_no_hooks",
            vec![
                ("templates/a.yaml", obj("ConfigMap", "a")),
                ("templates/tests/t.yaml", s("plain text in a test file\n")),
            ],
            &["--no-hooks", "--skip-tests"],
        ),
        case(
            "crds_never_parsed",
            vec![
                ("crds/bad.yaml", s("not yaml at all\n")),
                ("templates/a.yaml", obj("ConfigMap", "a")),
            ],
            &["--include-crds"],
        ),
        case(
            "output_dir_with_show_only",
            show_only_chart(),
            &["--output-dir", "OUTDIR", "-s", "templates/a.yaml"],
        ),
        case(
            "show_only_fake_source",
            vec![
                (
                    "templates/fake.yaml",
                    s(
                        "kind: ConfigMap\nmetadata:\n  name: f1\n---\n---\n# Source: c/templates/zzz.yaml\nkind: ConfigMap\nmetadata:\n  name: f2\n",
                    ),
                ),
                (
                    "templates/other.yaml",
                    s(
                        "# Source: /not-this\n# Source: x/templates/fake.yaml\nkind: Secret\nmetadata:\n  name: o\n",
                    ),
                ),
            ],
            &["-s", "templates/zzz.yaml", "-s", "templates/fake.yaml"],
        ),
        case(
            "show_only_subchart_hooks",
            vec![
                (
                    "templates/hook.yaml",
                    hook("Job", "parent-hook", "pre-install"),
                ),
                ("charts/sub/Chart.yaml", chart_yaml("sub")),
                (
                    "charts/sub/templates/hook.yaml",
                    hook("Job", "sub-hook", "pre-install"),
                ),
                ("charts/sub/templates/cm.yaml", obj("ConfigMap", "sub-cm")),
                (
                    "charts/sub/templates/tests/t.yaml",
                    hook("Pod", "sub-test", "test"),
                ),
            ],
            &[
                "-s",
                "charts/sub/templates/hook.yaml",
                "-s",
                "charts/sub/templates/**",
            ],
        ),
    ]
}

macro_rules! case_tests {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                run_case(stringify!($name));
            }
        )*

        #[test]
        fn every_case_has_a_test() {
            let tested = [$(stringify!($name)),*];
            for c in cases() {
                assert!(tested.contains(&c.name), "case {} has no test", c.name);
            }
            assert!(tested.len() >= 25);
        }
    };
}

case_tests!(
    kinds_install_order,
    kinds_unknown_and_case,
    kinds_webhooks,
    hooks_webhooks,
    ordering_spec_example,
    separators_inline,
    separators_doubled,
    comment_only_documents,
    whitespace_and_trimming,
    crlf_line_endings,
    unicode_whitespace,
    notes_dropped,
    partials_skipped,
    hooks_basic,
    hooks_event_parsing,
    hooks_unknown_dropped,
    tests_default,
    tests_skipped,
    no_hooks,
    only_hooks,
    only_hooks_no_hooks,
    empty_output,
    crds_included,
    crds_not_included,
    crds_only,
    crds_then_hooks_only,
    subcharts_nested,
    show_only_single,
    show_only_glob,
    show_only_many_patterns,
    show_only_classes,
    show_only_crds_and_tests,
    show_only_tests_skipped,
    show_only_missing,
    show_only_bad_pattern,
    show_only_escape,
    show_only_stray_separator,
    show_only_hook,
    output_dir,
    output_dir_release_name,
    output_dir_existing_files,
    output_dir_with_show_only,
    yaml_error_first_file_wins,
    yaml_error_hooks_parsed_even_with_no_hooks,
    crds_never_parsed,
    show_only_fake_source,
    show_only_subchart_hooks,
);

// ---------------------------------------------------------------------------------------------
// Running a case.

const STREAMS: [&str; 3] = ["stdout", "stderr", "outdir"];

/// What one run produced, per stream (`stdout`, `stderr`, `outdir`).
type Streams = BTreeMap<&'static str, String>;

fn fixtures_dir() -> PathBuf {
    oracle::workspace_root().join("fixtures/manifest")
}

fn regenerate() -> bool {
    std::env::var("CHARTKIT_REGENERATE").is_ok_and(|v| v == "1")
}

fn run_case(name: &str) {
    let case = cases()
        .into_iter()
        .find(|c| c.name == name)
        .expect("case is defined");
    let dir = fixtures_dir().join(name);
    if regenerate() {
        generate(&case, &dir);
    }
    assert!(
        dir.is_dir(),
        "missing fixture {}: run the tests with CHARTKIT_REGENERATE=1",
        dir.display()
    );
    check_fixture_is_current(&case, &dir);
    for v in HelmVersion::ALL {
        let expected = read_expected(&dir, v);
        let ours = run_ours(&dir, v);
        compare(name, v, "chartkit", &ours, &expected);
        if let Some(helm) = oracle::require(v) {
            let theirs = run_helm(&helm, &dir);
            compare(
                name,
                v,
                "helm (committed fixture is stale?)",
                &theirs,
                &expected,
            );
        }
    }
}

/// The YAML parser behind [`parse_head`] is a stand-in, so the message of a `YAML parse error
/// on <path>: <message>` is not compared (the path is).
fn mask_yaml_error(text: &str) -> String {
    const AT: &str = "YAML parse error on ";
    let Some(i) = text.find(AT) else {
        return text.to_string();
    };
    let from = i + AT.len();
    let Some(path_len) = text[from..].find(": ") else {
        return text.to_string();
    };
    let msg_start = from + path_len + 2;
    let msg_end = text[msg_start..]
        .find("\n\nUse --debug")
        .map_or(text.len(), |k| msg_start + k);
    format!("{}<message>{}", &text[..msg_start], &text[msg_end..])
}

fn compare(case: &str, v: HelmVersion, who: &str, got: &Streams, expected: &Streams) {
    for stream in STREAMS {
        let g = mask_yaml_error(got.get(stream).map_or("", String::as_str));
        let e = mask_yaml_error(expected.get(stream).map_or("", String::as_str));
        assert!(
            g == e,
            "case {case}, {v}: {who} {stream} differs\n--- expected ---\n{e:?}\n--- got ---\n{g:?}\n"
        );
    }
}

/// The chart files of `dir` must be what the case defines (else the fixture is stale).
fn check_fixture_is_current(case: &Case, dir: &Path) {
    for (path, content) in chart_files(case) {
        let on_disk = fs::read(dir.join(&path)).unwrap_or_default();
        assert!(
            on_disk == content.as_bytes(),
            "fixture {}/{path} differs from the case definition: run with CHARTKIT_REGENERATE=1",
            dir.display()
        );
    }
}

/// Every file of the fixture chart: the case's files, `Chart.yaml`, `.helmignore`, `args`,
/// `seed/…`.
fn chart_files(case: &Case) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = case
        .files
        .iter()
        .map(|(p, c)| (p.to_string(), c.clone()))
        .collect();
    if !files.iter().any(|(p, _)| p == "Chart.yaml") {
        files.push(("Chart.yaml".into(), chart_yaml("c")));
    }
    files.push((".helmignore".into(), "args\nexpected*\nseed\n".into()));
    if !case.args.is_empty() {
        let mut args = case.args.join("\n");
        args.push('\n');
        files.push(("args".into(), args));
    }
    for (p, c) in &case.seed {
        files.push((format!("seed/{p}"), c.to_string()));
    }
    files
}

fn generate(case: &Case, dir: &Path) {
    if dir.exists() {
        fs::remove_dir_all(dir).unwrap();
    }
    for (path, content) in chart_files(case) {
        let p = dir.join(path);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, content).unwrap();
    }
    let mut per_version = Vec::new();
    for v in HelmVersion::ALL {
        let helm = oracle::find(v).unwrap_or_else(|| panic!("{v} is needed to regenerate"));
        per_version.push((v, run_helm(&helm, dir)));
    }
    for stream in STREAMS {
        let texts: Vec<(HelmVersion, String)> = per_version
            .iter()
            .map(|(v, out)| (*v, out.get(stream).cloned().unwrap_or_default()))
            .collect();
        if texts.iter().all(|(_, t)| t == &texts[0].1) {
            if !texts[0].1.is_empty() || stream == "stdout" {
                fs::write(dir.join(format!("expected.{stream}")), &texts[0].1).unwrap();
            }
        } else {
            for (v, t) in &texts {
                fs::write(dir.join(format!("expected.{}.{stream}", v.key())), t).unwrap();
            }
        }
    }
}

fn read_expected(dir: &Path, v: HelmVersion) -> Streams {
    let mut out = Streams::new();
    for stream in STREAMS {
        let specific = dir.join(format!("expected.{}.{stream}", v.key()));
        let common = dir.join(format!("expected.{stream}"));
        let text = fs::read_to_string(&specific)
            .or_else(|_| fs::read_to_string(&common))
            .unwrap_or_default();
        out.insert(stream, text);
    }
    out
}

fn read_args(dir: &Path) -> Vec<String> {
    fs::read_to_string(dir.join("args"))
        .map(|t| t.lines().map(str::to_string).collect())
        .unwrap_or_default()
}

/// A fresh output directory (seeded from `seed/`) if the case uses `--output-dir`.
fn prepare_outdir(case_dir: &Path) -> TempDir {
    let tmp = TempDir::new("manifest-out").unwrap();
    let seed = case_dir.join("seed");
    for (rel, content) in walk_files(&seed) {
        let p = tmp.path().join("out").join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, content).unwrap();
    }
    tmp
}

/// The files under `root`, recursively, as (relative path, bytes), in sorted path order.
fn walk_files(root: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        let mut entries: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                out.push((rel, fs::read(&p).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The `--output-dir` stream: every file under `out` as `=== <path>\n<content>`.
fn outdir_listing(out: &Path) -> String {
    let mut s = String::new();
    for (rel, content) in walk_files(out) {
        s.push_str(&format!("=== {rel}\n{}", String::from_utf8_lossy(&content)));
    }
    s
}

/// Replaces `OUTDIR` in the arguments by the output directory.
fn concrete_args(args: &[String], out: &Path) -> (Vec<String>, bool) {
    let mut uses_outdir = false;
    let args = args
        .iter()
        .map(|a| {
            if a.contains("OUTDIR") {
                uses_outdir = true;
                a.replace("OUTDIR", &out.to_string_lossy())
            } else {
                a.clone()
            }
        })
        .collect();
    (args, uses_outdir)
}

fn normalise(mut streams: Streams, out: &Path, uses_outdir: bool) -> Streams {
    let out_str = out.to_string_lossy().into_owned();
    for text in streams.values_mut() {
        *text = text.replace(&out_str, "OUTDIR");
    }
    if uses_outdir {
        streams.insert("outdir", outdir_listing(out));
    }
    streams
}

fn run_helm(helm: &oracle::Helm, dir: &Path) -> Streams {
    let tmp = prepare_outdir(dir);
    let out = tmp.path().join("out");
    let (args, uses_outdir) = concrete_args(&read_args(dir), &out);
    let result = helm.template_named("release", dir, &args).unwrap();
    assert_eq!(
        result.success(),
        !result.stderr.contains("Error: "),
        "unexpected exit status {:?}: {}",
        result.status_code,
        result.stderr
    );
    let mut streams = Streams::new();
    streams.insert("stdout", result.stdout);
    streams.insert("stderr", result.stderr);
    normalise(streams, &out, uses_outdir)
}

fn run_ours(dir: &Path, v: HelmVersion) -> Streams {
    let tmp = prepare_outdir(dir);
    let out = tmp.path().join("out");
    let (args, uses_outdir) = concrete_args(&read_args(dir), &out);
    let flavor = match v {
        HelmVersion::V3 => Flavor::Helm3,
        HelmVersion::V4 => Flavor::Helm4,
    };
    let mut opts = AssembleOptions {
        flavor,
        ..AssembleOptions::default()
    };
    let mut patterns = Vec::new();
    let mut output_dir = None;
    let mut release_name = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--include-crds" => opts.include_crds = true,
            "--no-hooks" => opts.no_hooks = true,
            "--skip-tests" => opts.skip_tests = true,
            "--release-name" => release_name = true,
            "-s" | "--show-only" => patterns.push(it.next().unwrap().clone()),
            "--output-dir" => output_dir = Some(it.next().unwrap().clone()),
            other => panic!("unsupported argument {other}"),
        }
    }
    let (files, crds) = load_chart(dir);
    let assembled = match assemble(&files, &crds, &opts, &parse_head) {
        Ok(a) => a,
        Err(e) => {
            let mut streams = Streams::new();
            streams.insert("stdout", String::new());
            streams.insert(
                "stderr",
                format!("Error: {e}\n\nUse --debug flag to render out invalid YAML\n"),
            );
            return normalise(streams, &out, uses_outdir);
        }
    };
    let mut stderr: String = assembled
        .skipped_hooks
        .iter()
        .map(|h| h.log_line(flavor) + "\n")
        .collect();
    // With --output-dir the documents go to files, Helm prints a `wrote` line for each, and
    // the rest of stdout is what an empty manifest gives: "\n" (which --show-only re-splits
    // into nothing, so it then always fails).
    let (mut stdout, manifest) = match output_dir {
        Some(out_dir) => {
            let lines =
                write_output_dir(&out_dir, &assembled, release_name.then_some("release")).unwrap();
            (
                lines.iter().map(|l| format!("{l}\n")).collect(),
                "\n".to_string(),
            )
        }
        None => (String::new(), assembled.output.clone()),
    };
    if patterns.is_empty() {
        stdout.push_str(&manifest);
    } else {
        match show_only(&manifest, &patterns) {
            Ok(s) => stdout.push_str(&s),
            Err(e) => stderr.push_str(&format!("Error: {e}\n")),
        }
    }
    let mut streams = Streams::new();
    streams.insert("stdout", stdout);
    streams.insert("stderr", stderr);
    normalise(streams, &out, uses_outdir)
}

// ---------------------------------------------------------------------------------------------
// A minimal chart loader for the literal-text fixture charts.

/// CRD files as (path, raw bytes).
type CrdFiles = Vec<(String, Vec<u8>)>;

/// The rendered templates (name, text) and the CRD files (path, bytes) of the chart in `dir`
/// and its subcharts, as Helm names and orders them.
fn load_chart(dir: &Path) -> (Vec<(String, String)>, CrdFiles) {
    let mut files = Vec::new();
    let mut crds = Vec::new();
    load_into(dir, None, &mut files, &mut crds);
    (files, crds)
}

fn chart_name(dir: &Path) -> String {
    let text = fs::read_to_string(dir.join("Chart.yaml")).unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix("name:"))
        .expect("Chart.yaml has a name")
        .trim()
        .to_string()
}

/// Files under `root` in Helm's directory-walk order (entries sorted by name per directory,
/// so `crds/a/x.yaml` comes before `crds/a.yaml`), as (path relative to `root`, bytes).
fn walk_order(root: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        let mut names: Vec<String> = entries
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        for name in names {
            let p = dir.join(&name);
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                out.push((rel, fs::read(&p).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out
}

fn load_into(
    dir: &Path,
    parent: Option<&str>,
    files: &mut Vec<(String, String)>,
    crds: &mut Vec<(String, Vec<u8>)>,
) {
    let name = chart_name(dir);
    let full = match parent {
        Some(p) => format!("{p}/charts/{name}"),
        None => name,
    };
    for (rel, bytes) in walk_order(&dir.join("templates")) {
        files.push((
            format!("{full}/templates/{rel}"),
            String::from_utf8(bytes).unwrap(),
        ));
    }
    for (rel, bytes) in walk_order(&dir.join("crds")) {
        if is_crd_file(&format!("crds/{rel}")) {
            crds.push((format!("{full}/crds/{rel}"), bytes));
        }
    }
    if let Ok(entries) = fs::read_dir(dir.join("charts")) {
        let mut subs: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
        subs.sort();
        for sub in subs {
            let base = sub.file_name().unwrap().to_string_lossy();
            if sub.is_dir() && !base.starts_with('_') && !base.starts_with('.') {
                load_into(&sub, Some(&full), files, crds);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// A minimal head parser for the fixture documents: top-level `key: value` lines, `metadata`
// with `name` and `annotations` one and two levels down. Nothing else is understood.

fn unquote(v: &str) -> String {
    let v = v.trim_end_matches('\r').trim();
    let v = match v.find(" #") {
        Some(i) if !v.starts_with('"') && !v.starts_with('\'') => v[..i].trim_end(),
        _ => v,
    };
    if v.len() >= 2 && v.starts_with('"') && v.ends_with('"') {
        // Double-quoted: the few escapes the fixtures use.
        let mut out = String::new();
        let mut chars = v[1..v.len() - 1].chars();
        while let Some(c) = chars.next() {
            match (c, c == '\\') {
                (_, true) => match chars.next() {
                    Some('t') => out.push('\t'),
                    Some('n') => out.push('\n'),
                    Some(other) => out.push(other),
                    None => {}
                },
                (c, false) => out.push(c),
            }
        }
        out
    } else if v.len() >= 2 && v.starts_with('\'') && v.ends_with('\'') {
        v[1..v.len() - 1].to_string()
    } else {
        v.to_string()
    }
}

fn split_key(line: &str) -> Option<(String, &str)> {
    let trimmed = line.trim_start();
    let (key, rest) = if let Some(r) = trimmed.strip_prefix('"') {
        let end = r.find('"')?;
        (r[..end].to_string(), r[end + 1..].strip_prefix(':')?)
    } else {
        let i = trimmed.find(':')?;
        (trimmed[..i].to_string(), &trimmed[i + 1..])
    };
    Some((key, rest))
}

fn parse_head(_path: &str, doc: &str) -> Result<Head, String> {
    let mut head = Head::default();
    let mut section = "";
    for raw in doc.lines() {
        let line = raw.trim_end_matches('\r');
        let content = line.trim_start();
        if content.is_empty() || content.starts_with('#') || line.starts_with("---") {
            continue;
        }
        let indent = line.len() - content.len();
        let (key, rest) = match split_key(line) {
            Some(kv) => kv,
            None if indent > 0 => continue,
            None => return Err(format!("not a mapping: {line:?}")),
        };
        let value = unquote(rest);
        match (indent, section) {
            (0, _) => {
                section = "";
                match key.as_str() {
                    "apiVersion" => head.api_version = Some(value),
                    "kind" => head.kind = Some(value),
                    "metadata" => section = "metadata",
                    _ => {}
                }
            }
            (2, "metadata" | "annotations") => {
                section = "metadata";
                match key.as_str() {
                    "name" => head.name = Some(value),
                    "annotations" => section = "annotations",
                    _ => {}
                }
            }
            (4, "annotations") => {
                head.annotations.insert(key, value);
            }
            _ => {}
        }
    }
    Ok(head)
}

#[test]
fn head_parser_reads_fixture_documents() {
    let h = parse_head(
        "p",
        "---\napiVersion: v1\nkind: Job\nmetadata:\n  name: x\n  annotations:\n    \"helm.sh/hook\": \" pre-install \"\n    helm.sh/hook-weight: \"5\"\ndata:\n  a: |\n    kind: no\n",
    )
    .unwrap();
    assert_eq!(h.kind.as_deref(), Some("Job"));
    assert_eq!(h.name.as_deref(), Some("x"));
    assert_eq!(h.annotations["helm.sh/hook"], " pre-install ");
    assert_eq!(h.annotations["helm.sh/hook-weight"], "5");
    assert_eq!(parse_head("p", "").unwrap(), Head::default());
    assert!(parse_head("p", "just a scalar").is_err());
}

#[test]
fn split_matches_helm_on_the_spec_examples() {
    assert_eq!(split_documents("a: 1\n\n\n"), ["a: 1"]);
    assert_eq!(split_documents("---\n---\n"), ["---"]);
    assert_eq!(split_documents("a: 1\n---x: 1"), ["a: 1", "x: 1"]);
}
