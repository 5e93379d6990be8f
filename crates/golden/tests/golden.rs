//! Object matching and the reports.

use golden::{Change, Status, Style, TargetResult, compare, objects};

const RENDER: &str = "---
# Source: app/templates/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  ports:
    - port: 80
---
# Source: app/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 2
";

#[test]
fn objects_are_keyed_by_kind_namespace_and_name() {
    let objs = objects(RENDER);
    let keys: Vec<&str> = objs.iter().map(|o| o.key.as_str()).collect();
    assert_eq!(keys, vec!["Service shop/web", "Deployment shop/web"]);
    assert_eq!(objs[1].source, "app/templates/deployment.yaml");
    assert!(
        objs[1]
            .text
            .starts_with("# Source: app/templates/deployment.yaml\n")
    );
    // Documents that are not objects are keyed by source and position.
    let odd = objects("---\n# Source: a/t.yaml\njust a string\n---\n# Source: a/t.yaml\n- 1\n");
    let keys: Vec<&str> = odd.iter().map(|o| o.key.as_str()).collect();
    assert_eq!(keys, vec!["a/t.yaml #1", "a/t.yaml #2"]);
}

#[test]
fn a_changed_field_is_one_object_diff() {
    let changed = RENDER.replace("replicas: 2", "replicas: 3");
    let diffs = compare(RENDER, &changed);
    assert_eq!(diffs.len(), 1);
    assert_eq!(diffs[0].key, "Deployment shop/web");
    assert_eq!(diffs[0].change, Change::Changed);
    assert!(
        diffs[0].diff.contains("-  replicas: 2\n+  replicas: 3\n"),
        "{}",
        diffs[0].diff
    );
    assert!(compare(RENDER, RENDER).is_empty());
}

#[test]
fn added_removed_and_reordered_objects() {
    let without_service = RENDER
        .split("---\n")
        .filter(|d| !d.contains("kind: Service"))
        .collect::<Vec<_>>()
        .join("---\n");
    let diffs = compare(RENDER, &without_service);
    assert_eq!(diffs.len(), 1);
    assert_eq!(
        (diffs[0].key.as_str(), diffs[0].change),
        ("Service shop/web", Change::Removed)
    );
    let diffs = compare(&without_service, RENDER);
    assert_eq!(diffs[0].change, Change::Added);
    // Same objects in another order.
    let docs: Vec<&str> = RENDER.split("---\n").filter(|d| !d.is_empty()).collect();
    let swapped = format!("---\n{}---\n{}", docs[1], docs[0]);
    let diffs = compare(RENDER, &swapped);
    assert_eq!(diffs.len(), 1);
    assert_eq!(diffs[0].change, Change::Reordered);
}

fn results() -> Vec<TargetResult> {
    let changed = RENDER.replace("replicas: 2", "replicas: 3");
    vec![
        TargetResult {
            id: "web/prod".into(),
            path: "fixtures/golden/web/prod.yaml".into(),
            status: Status::Differs(compare(RENDER, &changed)),
        },
        TargetResult {
            id: "web/dev".into(),
            path: "fixtures/golden/web/dev.yaml".into(),
            status: Status::Same,
        },
        TargetResult {
            id: "api".into(),
            path: "fixtures/golden/api.yaml".into(),
            status: Status::Missing,
        },
        TargetResult {
            id: String::new(),
            path: "fixtures/golden/old.yaml".into(),
            status: Status::Orphan,
        },
    ]
}

#[test]
fn the_text_report_names_objects_templates_and_the_update_command() {
    let text = golden::text_report(&results(), Style::default(), "chartkit golden update");
    assert!(text.contains("web/prod: fixtures/golden/web/prod.yaml differs (1 object)"));
    assert!(text.contains(
        "--- golden   Deployment shop/web (# Source: app/templates/deployment.yaml)\n+++ rendered Deployment shop/web [changed]\n"
    ));
    assert!(text.contains("api: no golden file fixtures/golden/api.yaml"));
    assert!(text.contains("fixtures/golden/old.yaml: golden file without a target"));
    assert!(text.ends_with(
        "3 of 4 golden file(s) out of date; to accept the new renders run: chartkit golden update\n"
    ));
    assert!(!text.contains('\x1b'));
    let colored = golden::text_report(&results(), Style { color: true }, "x");
    assert!(colored.contains("\x1b[31m-  replicas: 2\x1b[0m"));
}

#[test]
fn json_and_junit_reports() {
    let json: serde_json::Value =
        serde_json::from_str(&golden::json_report(&results())).expect("valid JSON");
    assert_eq!(json["ok"], false);
    assert_eq!(json["targets"][0]["status"], "differs");
    assert_eq!(json["targets"][0]["objects"][0]["change"], "changed");
    assert_eq!(json["targets"][1]["status"], "same");
    assert_eq!(json["targets"][3]["status"], "orphan");
    let xml = golden::junit_report(&results(), "chartkit golden update");
    assert!(xml.starts_with("<?xml"));
    assert!(xml.contains("tests=\"4\" failures=\"3\""));
    assert!(xml.contains(
        "<testcase classname=\"golden\" name=\"web/dev\" file=\"fixtures/golden/web/dev.yaml\"/>"
    ));
    assert!(xml.contains("1 object(s) differ; run chartkit golden update"));
    // Balanced tags.
    assert_eq!(xml.matches("<testcase").count(), 4);
    assert_eq!(xml.matches("</testcase>").count(), 3);
}

#[test]
fn golden_paths_follow_render_ids() {
    assert_eq!(
        golden::golden_path("fixtures/golden/", "web/prod"),
        "fixtures/golden/web/prod.yaml"
    );
    assert_eq!(golden::golden_path("g", "api"), "g/api.yaml");
}
