//! `chartkit golden check|update` end to end: the repository's own goldens, and a scratch
//! project where a template change shows as a per-object diff.

mod support;

use std::process::Command;

use support::{chartkit, repo, text};

use oracle::HelmVersion;
use oracle::render_cases::copy_tree;

#[test]
fn the_repository_goldens_are_current() {
    let out = chartkit(&["golden", "check"], &repo());
    assert_eq!(
        out.status.code(),
        Some(0),
        "stdout:\n{}\nstderr:\n{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert!(text(&out.stdout).contains("golden file(s) up to date"));
}

/// The committed goldens are what real Helm renders for each target.
#[test]
fn the_repository_goldens_are_what_helm_renders() {
    let Some(helm) = oracle::require(HelmVersion::V4) else {
        return;
    };
    let root = repo();
    let cfg_text = std::fs::read_to_string(root.join("chartkit.yaml")).unwrap();
    let cfg = config::parse(&cfg_text, "chartkit.yaml").unwrap();
    let mut checked = 0;
    for r in cfg.renders() {
        if r.target.helm_version != 4 {
            continue;
        }
        let mut args = vec![
            "template".to_string(),
            r.target.release.clone(),
            r.target.chart.clone(),
            "-n".into(),
            r.target.namespace.clone(),
            "--kube-version".into(),
            r.target.kube_version.clone(),
        ];
        for v in &r.values {
            args.extend(["-f".to_string(), v.to_string()]);
        }
        for s in &r.set {
            args.extend(["--set".to_string(), s.to_string()]);
        }
        let want = Command::new(&helm.path)
            .args(&args)
            .current_dir(&root)
            .env_clear()
            .env("HOME", std::env::temp_dir())
            .output()
            .expect("run helm");
        assert!(want.status.success(), "{}", text(&want.stderr));
        let path = root.join(golden::golden_path(&cfg.golden_dir, &r.id));
        let golden =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(
            golden == text(&want.stdout),
            "{} differs from helm template",
            path.display()
        );
        checked += 1;
    }
    assert!(checked > 0);
    println!("{checked} goldens equal helm template's output");
}

/// A scratch project: one chart, one target with two overlays.
fn scratch() -> oracle::TempDir {
    let tmp = oracle::TempDir::new("golden").unwrap();
    let root = tmp.path();
    copy_tree(
        &repo().join("fixtures/render/charts/webapp"),
        &root.join("charts/webapp"),
    )
    .unwrap();
    std::fs::write(root.join("dev.yaml"), "replicaCount: 1\n").unwrap();
    std::fs::write(root.join("prod.yaml"), "replicaCount: 4\n").unwrap();
    std::fs::write(
        root.join("project.yaml"),
        "version: 1\ngolden: {dir: goldens}\ntargets:\n  - name: shop\n    chart: charts/webapp\n    namespace: dev-center\n    overlays:\n      - {name: dev, values: [dev.yaml]}\n      - {name: prod, values: [prod.yaml]}\n",
    )
    .unwrap();
    tmp
}

#[test]
fn update_then_check_then_a_template_change_shows_as_a_diff() {
    let tmp = scratch();
    let root = tmp.path();
    let cfg = ["--config", "project.yaml"];

    // No goldens yet: check fails and names the update command.
    let out = chartkit(&["golden", "check", cfg[0], cfg[1]], root);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("shop/dev: no golden file goldens/shop/dev.yaml"),
        "{stdout}"
    );
    assert!(
        stdout.contains("chartkit golden update --config project.yaml"),
        "{stdout}"
    );

    let out = chartkit(&["golden", "update", cfg[0], cfg[1]], root);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("2 golden file(s) written"));
    let dev = std::fs::read_to_string(root.join("goldens/shop/dev.yaml")).unwrap();
    assert!(dev.contains("# Source: webapp/templates/deployment.yaml"));
    // Nothing but the goldens was written (no temporary files left).
    let mut names: Vec<String> = std::fs::read_dir(root.join("goldens/shop"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, vec!["dev.yaml", "prod.yaml"]);

    let out = chartkit(&["golden", "check", cfg[0], cfg[1]], root);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));

    // A template change: one object differs in each render, shown with its template.
    let deploy = root.join("charts/webapp/templates/deployment.yaml");
    let t = std::fs::read_to_string(&deploy).unwrap();
    std::fs::write(
        &deploy,
        t.replacen("spec:\n", "spec:\n  minReadySeconds: 5\n", 1),
    )
    .unwrap();
    let out = chartkit(
        &["golden", "check", cfg[0], cfg[1], "--color", "never"],
        root,
    );
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("shop/prod: goldens/shop/prod.yaml differs (1 object)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("(# Source: webapp/templates/deployment.yaml)"),
        "{stdout}"
    );
    assert!(stdout.contains("\n+  minReadySeconds: 5\n"), "{stdout}");
    assert!(!stdout.contains('\x1b'));

    // JSON and JUnit for CI.
    let out = chartkit(
        &["golden", "check", cfg[0], cfg[1], "--format", "json"],
        root,
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    assert_eq!(json["ok"], false);
    assert_eq!(json["targets"][1]["objects"][0]["change"], "changed");
    let out = chartkit(
        &["golden", "check", cfg[0], cfg[1], "--format", "junit"],
        root,
    );
    assert!(text(&out.stdout).contains("failures=\"2\""));

    // Updating one target rewrites only its file.
    let before = std::fs::read_to_string(root.join("goldens/shop/dev.yaml")).unwrap();
    let out = chartkit(&["golden", "update", "shop/prod", cfg[0], cfg[1]], root);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("updated goldens/shop/prod.yaml"));
    assert_eq!(
        std::fs::read_to_string(root.join("goldens/shop/dev.yaml")).unwrap(),
        before
    );
    let out = chartkit(&["golden", "check", "shop/prod", cfg[0], cfg[1]], root);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
}

#[test]
fn orphans_and_bad_input() {
    let tmp = scratch();
    let root = tmp.path();
    let cfg = ["--config", "project.yaml"];
    assert_eq!(
        chartkit(&["golden", "update", cfg[0], cfg[1]], root)
            .status
            .code(),
        Some(0)
    );
    std::fs::write(root.join("goldens/old.yaml"), "---\n").unwrap();
    let out = chartkit(&["golden", "check", cfg[0], cfg[1]], root);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("goldens/old.yaml: golden file without a target"));
    let out = chartkit(&["golden", "update", "--prune", cfg[0], cfg[1]], root);
    assert_eq!(out.status.code(), Some(0));
    assert!(!root.join("goldens/old.yaml").exists());

    // Usage and input errors exit 2.
    assert_eq!(chartkit(&["golden"], root).status.code(), Some(2));
    assert_eq!(
        chartkit(&["golden", "frobnicate"], root).status.code(),
        Some(2)
    );
    let out = chartkit(&["golden", "check", "nope", cfg[0], cfg[1]], root);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no target \"nope\""));
    std::fs::write(
        root.join("bad.yaml"),
        "version: 1\ntargets:\n  - name: x\n    chart: c\n",
    )
    .unwrap();
    let out = chartkit(&["golden", "check", "--config", "bad.yaml"], root);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("bad.yaml:3:5"),
        "{}",
        text(&out.stderr)
    );
    // A render failure is an input error, with Helm's message.
    std::fs::write(
        root.join("broken.yaml"),
        "version: 1\ntargets:\n  - {name: x, chart: missing-chart, namespace: ns}\n",
    )
    .unwrap();
    let out = chartkit(&["golden", "check", "--config", "broken.yaml"], root);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("not found"),
        "{}",
        text(&out.stderr)
    );
}
