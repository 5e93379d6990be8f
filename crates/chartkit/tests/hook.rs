//! `chartkit hook FILE...`: changed files map to the targets they affect; only those are
//! checked, with one line per finding.

mod support;

use std::path::Path;
use std::process::Command;

use support::{chartkit, repo, text};

use oracle::render_cases::copy_tree;

fn hook(args: &[&str], cwd: &Path) -> std::process::Output {
    let mut all = vec!["hook"];
    all.extend_from_slice(args);
    chartkit(&all, cwd)
}

#[test]
fn files_map_to_the_targets_they_affect() {
    let root = repo();
    // A values file of one overlay: one render.
    let out = hook(&["examples/storefront-api/values-dev.yaml"], &root);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("in 1 render"), "{stdout}");
    assert!(stdout.contains("1 golden file(s) up to date"), "{stdout}");
    // The library chart, edited in place: every render of the charts that depend on it.
    let out = hook(
        &["--only", "lint", "helm-charts/common/templates/_labels.tpl"],
        &root,
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(
        text(&out.stdout).contains("in 6 renders"),
        "{}",
        text(&out.stdout)
    );
    assert!(!text(&out.stdout).contains("golden"));
    // A file no target depends on: nothing to do, no output.
    let out = hook(&["README.md"], &root);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), "");
    // Bad usage.
    assert_eq!(
        hook(&["--only", "everything", "x"], &root).status.code(),
        Some(2)
    );
}

#[test]
fn a_breaking_change_fails_with_one_line_per_finding() {
    let tmp = oracle::TempDir::new("hook").unwrap();
    let root = tmp.path();
    copy_tree(
        &repo().join("fixtures/render/charts/webapp"),
        &root.join("charts/webapp"),
    )
    .unwrap();
    std::fs::write(
        root.join("chartkit.yaml"),
        "version: 1\ntargets:\n  - {name: shop, chart: charts/webapp, namespace: dev-center}\n",
    )
    .unwrap();
    // Goldens first, so only the lint side fails below.
    let up = Command::new(env!("CARGO_BIN_EXE_chartkit"))
        .args(["golden", "update"])
        .current_dir(root)
        .output()
        .unwrap();
    assert!(up.status.success(), "{}", text(&up.stderr));
    let deploy = root.join("charts/webapp/templates/deployment.yaml");
    let t = std::fs::read_to_string(&deploy).unwrap();
    std::fs::write(&deploy, t.replacen("spec:\n", "spec:\n  replicaz: 2\n", 1)).unwrap();
    let out = hook(&["charts/webapp/templates/deployment.yaml"], root);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    let line = stdout
        .lines()
        .find(|l| l.contains("CK-SCHEMA-002"))
        .unwrap_or_else(|| panic!("{stdout}"));
    assert!(
        line.starts_with("charts/webapp/templates/deployment.yaml:8: error CK-SCHEMA-002"),
        "{line}"
    );
    assert!(line.ends_with("[shop]"), "{line}");
    // The golden check sees the change too.
    assert!(
        stdout.contains("shop: fixtures/golden/shop.yaml differs"),
        "{stdout}"
    );
}

/// The real pre-commit framework runs the hooks (as local hooks on the already-built binary,
/// so the test does not compile chartkit again): a clean change passes, a change that breaks a
/// rule or a golden fails and prints the finding.
#[test]
fn the_pre_commit_framework_runs_the_hooks() {
    let Some(pc) = oracle::pre_commit::require() else {
        return;
    };
    let tmp = oracle::TempDir::new("pre-commit").unwrap();
    let root = tmp.path().join("repo");
    let home = tmp.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    // A platform chart that lints clean: the js base chart with an example service's values.
    copy_tree(
        &repo().join("helm-charts/js-service-base"),
        &root.join("charts/js-service-base"),
    )
    .unwrap();
    std::fs::copy(
        repo().join("examples/storefront-api/values.yaml"),
        root.join("values.yaml"),
    )
    .unwrap();
    std::fs::write(
        root.join("chartkit.yaml"),
        "version: 1\ntargets:\n  - {name: shop, chart: charts/js-service-base, namespace: dev-center, values: [values.yaml]}\n",
    )
    .unwrap();
    let bin = env!("CARGO_BIN_EXE_chartkit");
    std::fs::write(
        root.join(".pre-commit-config.yaml"),
        format!(
            "repos:\n  - repo: local\n    hooks:\n      - id: chartkit-lint\n        name: chartkit lint\n        entry: {bin} hook --only lint\n        language: system\n        files: '(\\.ya?ml|\\.tpl)$'\n      - id: chartkit-golden\n        name: chartkit golden\n        entry: {bin} hook --only golden\n        language: system\n        files: '(\\.ya?ml|\\.tpl)$'\n"
        ),
    )
    .unwrap();
    let up = chartkit(&["golden", "update"], &root);
    assert!(up.status.success(), "{}", text(&up.stderr));
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .args(args)
            .current_dir(&root)
            .env("HOME", &home)
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .output()
            .expect("git runs");
        assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
    };
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "start"]);

    // A clean change: a comment in the values file.
    let values = root.join("values.yaml");
    let v = std::fs::read_to_string(&values).unwrap();
    std::fs::write(&values, format!("{v}\n# a comment only\n")).unwrap();
    git(&["add", "-A"]);
    let ok = pc
        .run(
            &["run", "--files", "charts/webapp/values.yaml"],
            &root,
            &home,
        )
        .unwrap();
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}{}",
        text(&ok.stdout),
        text(&ok.stderr)
    );
    assert!(
        text(&ok.stdout).contains("chartkit lint"),
        "{}",
        text(&ok.stdout)
    );

    // A change that breaks a rule and the golden.
    let deploy = root.join("charts/js-service-base/templates/deployment.yaml");
    let t = std::fs::read_to_string(&deploy).unwrap();
    std::fs::write(&deploy, t.replacen("spec:\n", "spec:\n  replicaz: 2\n", 1)).unwrap();
    git(&["add", "-A"]);
    let bad = pc
        .run(
            &[
                "run",
                "--files",
                "charts/js-service-base/templates/deployment.yaml",
            ],
            &root,
            &home,
        )
        .unwrap();
    assert_eq!(bad.status.code(), Some(1), "{}", text(&bad.stdout));
    let out = text(&bad.stdout);
    assert!(out.contains("Failed"), "{out}");
    assert!(
        out.lines().any(
            |l| l.starts_with("charts/js-service-base/templates/deployment.yaml:")
                && l.contains(": error CK-SCHEMA-002 ")
        ),
        "{out}"
    );
    assert!(
        out.contains("shop: fixtures/golden/shop.yaml differs"),
        "{out}"
    );
}
