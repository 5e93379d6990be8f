//! YAML with Helm's semantics (go-yaml v2 resolution, sigs.k8s.io/yaml's JSON round trip) and an
//! encoder byte-identical to Helm's `toYaml`.
