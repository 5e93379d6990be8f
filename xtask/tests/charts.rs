//! The chart library is in sync: every vendored `charts/common` equals `helm-charts/common`,
//! and every chart README's values table is what `cargo xtask charts` generates from
//! `values.yaml` and `values.schema.json`. Both fail until `cargo xtask charts` is run.

use std::path::Path;

use oracle::TempDir;
use xtask::charts;

#[test]
fn the_chart_library_is_in_sync() {
    let root = charts::library_root();
    let problems = charts::check(&root).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        problems.is_empty(),
        "the chart library is out of date: run `cargo xtask charts`\n{problems}"
    );
}

#[test]
fn every_application_chart_vendors_common() {
    let root = charts::library_root();
    let charts = charts::find_charts(&root).expect("helm-charts is readable");
    for name in ["common", "js-service-base", "python-service-base"] {
        assert!(
            charts.iter().any(|c| charts::chart_name(&root, c) == name),
            "{name} is missing from {}",
            root.display()
        );
    }
    for base in ["js-service-base", "python-service-base"] {
        let dir = root.join(base);
        assert!(
            charts::depends_on_common(&dir).unwrap(),
            "{base} must depend on common"
        );
        assert!(
            dir.join("charts/common/Chart.yaml").is_file(),
            "{base}: no charts/common"
        );
    }
}

/// A copy of the library's base charts in a scratch directory.
fn scratch_library() -> TempDir {
    let tmp = TempDir::new("charts-check").expect("scratch dir");
    let root = charts::library_root();
    for name in ["common", "js-service-base"] {
        oracle::render_cases::copy_tree(&root.join(name), &tmp.path().join(name)).expect("copy");
    }
    tmp
}

fn problems(root: &Path) -> Vec<String> {
    charts::check(root).unwrap_or_else(|e| panic!("{e}")).0
}

#[test]
fn a_changed_vendored_copy_is_detected_and_refreshed() {
    let tmp = scratch_library();
    let root = tmp.path();
    assert_eq!(problems(root), Vec::<String>::new());
    let helper = root.join("js-service-base/charts/common/templates/_names.tpl");
    std::fs::write(&helper, "{{/* edited */}}\n").unwrap();
    std::fs::write(root.join("js-service-base/charts/common/extra.txt"), "x").unwrap();
    let found = problems(root);
    assert!(
        found
            .iter()
            .any(|p| p.contains("templates/_names.tpl: differs")),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|p| p.contains("extra.txt: only in the copy")),
        "{found:?}"
    );
    let changed = charts::refresh(root, &[]).unwrap();
    assert_eq!(changed, ["js-service-base/charts/common"]);
    assert_eq!(problems(root), Vec::<String>::new());
}

#[test]
fn a_stale_values_table_is_detected_and_regenerated() {
    let tmp = scratch_library();
    let root = tmp.path();
    let values = root.join("js-service-base/values.yaml");
    let text = std::fs::read_to_string(&values).unwrap();
    std::fs::write(
        &values,
        text.replace(
            "# -- Replicas of the main Deployment",
            "# -- How many replicas of the Deployment",
        ),
    )
    .unwrap();
    let found = problems(root);
    assert_eq!(
        found,
        ["js-service-base: README.md values table is stale or missing"]
    );
    assert_eq!(
        charts::refresh(root, &[]).unwrap(),
        ["js-service-base/README.md"]
    );
    let readme = std::fs::read_to_string(root.join("js-service-base/README.md")).unwrap();
    assert!(readme.contains("| `replicaCount` | int | `2` | How many replicas of the Deployment"));
    assert_eq!(problems(root), Vec::<String>::new());
}
