//! Values provenance: each merged value reports the source that won the merge, with file, key
//! path, line and column.

use std::path::Path;

use helm::Flavor;
use helm::provenance::{Origin, Segment};
use helm::template::{TemplateOptions, template};
use oracle::TempDir;

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// A parent chart with a directory subchart (`db`), an aliased one (`cache`, really `kv`) and
/// a disabled one (`legacy`).
fn chart(root: &Path) {
    write(
        root,
        "app/Chart.yaml",
        "apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n  - name: db\n    version: 1.0.0\n  - name: kv\n    alias: cache\n    version: 1.0.0\n  - name: legacy\n    version: 1.0.0\n    condition: legacy.enabled\n",
    );
    write(
        root,
        "app/values.yaml",
        "# defaults\nimage:\n  repository: ecr/app\n  tag: \"1.0\"\nresources:\n  limits:\n    memory: 512Mi\nhosts:\n  - a.example\n  - b.example\nglobal:\n  region: eu-west-1\ndb:\n  port: 5433\nlegacy:\n  enabled: false\n",
    );
    write(
        root,
        "app/templates/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  tag: {{ .Values.image.tag | quote }}\n",
    );
    write(
        root,
        "app/charts/db/Chart.yaml",
        "apiVersion: v2\nname: db\nversion: 1.0.0\n",
    );
    write(
        root,
        "app/charts/db/values.yaml",
        "port: 5432\nuser: admin\n",
    );
    write(
        root,
        "app/charts/kv/Chart.yaml",
        "apiVersion: v2\nname: kv\nversion: 1.0.0\n",
    );
    write(root, "app/charts/kv/values.yaml", "size: 1Gi\n");
    write(
        root,
        "app/charts/legacy/Chart.yaml",
        "apiVersion: v2\nname: legacy\nversion: 1.0.0\n",
    );
    write(root, "app/charts/legacy/values.yaml", "ghost: true\n");
    write(
        root,
        "prod.yaml",
        "image:\n  tag: \"2.0\"\nresources:\n  limits:\n    memory: null\nhosts:\n  - c.example\n",
    );
}

fn keys(dotted: &str) -> Vec<Segment> {
    dotted
        .split('.')
        .map(|k| Segment::Key(k.to_string()))
        .collect()
}

fn file_origin(source: &str, key_path: &str, line: u32, column: u32) -> Origin {
    Origin {
        source: source.to_string(),
        argument: String::new(),
        key_path: key_path.to_string(),
        line,
        column,
    }
}

#[test]
fn each_merged_value_knows_its_source() {
    let tmp = TempDir::new("provenance").unwrap();
    let root = tmp.path();
    chart(root);
    let prod = root.join("prod.yaml");
    let opts = TemplateOptions {
        release_name: "r".into(),
        chart: root.join("app"),
        namespace: "dev-center".into(),
        values_files: vec![prod.clone()],
        set: vec!["db.user=root,extra.list[1]=x".into()],
        set_string: vec!["image.repository=override".into()],
        flavor: Flavor::Helm4,
        record_provenance: true,
        ..TemplateOptions::default()
    };
    let out = template(&opts).unwrap_or_else(|e| panic!("{}", e.stderr()));
    let prov = out.values_provenance.expect("provenance was requested");
    let prod_name = prod.to_string_lossy().into_owned();

    // A -f file overrides the chart default.
    assert_eq!(
        prov.origin_of("image.tag"),
        Some(&file_origin(&prod_name, "image.tag", 2, 3))
    );
    // --set-string beats the chart default.
    let repo = prov.origin_of("image.repository").unwrap();
    assert_eq!(
        (repo.source.as_str(), repo.argument.as_str(), repo.line),
        ("--set-string", "image.repository=override", 0)
    );
    // Untouched defaults point into the chart's values.yaml.
    assert_eq!(
        prov.origin_of("global.region"),
        Some(&file_origin("values.yaml", "global.region", 12, 3))
    );
    // The parent's section for a subchart beats the subchart's own default...
    assert_eq!(
        prov.origin_of("db.port"),
        Some(&file_origin("values.yaml", "db.port", 14, 3))
    );
    // ...and --set beats both.
    assert_eq!(prov.origin_of("db.user").unwrap().source, "--set");
    // A subchart default is reported in the subchart's file, with its own key path; an alias
    // scopes it under the alias.
    assert_eq!(
        prov.origin_of("cache.size"),
        Some(&file_origin("charts/kv/values.yaml", "size", 1, 1))
    );
    // A subchart's copy of the globals comes from the parent's global section.
    assert_eq!(
        prov.origin_of("db.global.region"),
        Some(&file_origin("values.yaml", "global.region", 12, 3))
    );
    // null deleted the key: no origin, and the value is gone.
    assert_eq!(prov.origin_of("resources.limits.memory"), None);
    let limits = out.values.get("resources").unwrap();
    assert!(
        !gotmpl::gofmt::format_value(&limits).contains("memory"),
        "{limits:?}"
    );
    // A list from a later file replaces the whole list: its items point there, and the
    // replaced list's extra items are gone.
    let hosts0 = prov
        .origin(&[Segment::Key("hosts".into()), Segment::Index(0)])
        .unwrap();
    assert_eq!(
        (hosts0.source.as_str(), hosts0.line),
        (prod_name.as_str(), 7)
    );
    assert_eq!(hosts0.key_path, "hosts[0]");
    assert!(
        prov.origin(&[Segment::Key("hosts".into()), Segment::Index(1)])
            .is_none()
    );
    // List indices from --set.
    let x = prov
        .origin(&[
            Segment::Key("extra".into()),
            Segment::Key("list".into()),
            Segment::Index(1),
        ])
        .unwrap();
    assert_eq!(x.key_path, "extra.list[1]");
    // A disabled subchart contributes nothing.
    assert_eq!(prov.origin_of("legacy.ghost"), None);
    // Its section in the parent's values stays in the merged values (Helm keeps it).
    assert!(out.values.get("legacy").is_some());
    assert_eq!(
        prov.origin(&keys("legacy.enabled")).map(|o| o.line),
        Some(16)
    );
}

#[test]
fn provenance_is_only_recorded_on_request() {
    let tmp = TempDir::new("provenance-off").unwrap();
    chart(tmp.path());
    let opts = TemplateOptions {
        release_name: "r".into(),
        chart: tmp.path().join("app"),
        namespace: "dev-center".into(),
        flavor: Flavor::Helm4,
        ..TemplateOptions::default()
    };
    let out = template(&opts).unwrap_or_else(|e| panic!("{}", e.stderr()));
    assert!(out.values_provenance.is_none());
    assert!(out.stdout.contains("tag: \"1.0\""), "{}", out.stdout);
}
