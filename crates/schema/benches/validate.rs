//! Validates every object of every successful render of the chart library
//! (fixtures/library/expected, Helm 4 stdout) against Kubernetes 1.29, after a warm-up that
//! decompresses the bundle and compiles the kinds. Target: the whole library under 20 ms.

use criterion::{Criterion, criterion_group, criterion_main};
use schema::{SchemaSet, duplicate_keys};

fn renders() -> Vec<String> {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/library/expected");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures/library/expected")
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
        .iter()
        .filter_map(|f| {
            let v: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(f).ok()?).ok()?;
            (v["h4"]["code"] == 0).then(|| v["h4"]["stdout"].as_str().unwrap_or("").to_string())
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let texts = renders();
    let docs: Vec<goyaml::Node> = texts
        .iter()
        .flat_map(|t| goyaml::load_all(t, 0).expect("renders parse"))
        .collect();
    let set = SchemaSet::bundled(29).expect("1.29 is bundled");
    // warm-up: decompress and compile every kind once
    let warm: usize = docs.iter().map(|d| set.validate(d).len()).sum();
    assert_eq!(warm, 0, "the library validates clean");
    c.bench_function("validate library renders (objects)", |b| {
        b.iter(|| docs.iter().map(|d| set.validate(d).len()).sum::<usize>())
    });
    c.bench_function(
        "validate library renders (parse + duplicate keys + objects)",
        |b| {
            b.iter(|| {
                let mut n = 0;
                for t in &texts {
                    n += duplicate_keys(t).len();
                    for d in goyaml::load_all(t, 0).expect("renders parse") {
                        n += set.validate(&d).len();
                    }
                }
                n
            })
        },
    );
    c.bench_function(
        "new SchemaSet (bundle cached) + compile and validate one Deployment",
        |b| {
            b.iter(|| {
                let s = SchemaSet::bundled(30).expect("bundled");
                s.validate(&docs[0]).len()
            })
        },
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
