//! Helm's chart model and `helm template`, byte for byte: chart loading, values coalescing,
//! `--set` parsing, rendering through [`gotmpl`] with Sprig's and Helm's functions, and the
//! output assembly (document splitting, kind order, hooks, `# Source:` headers).
//!
//! Only the chart loader ([`chart::load`]) and [`template::template`] (values files, `--set-file`,
//! `--output-dir`) touch the filesystem; everything else works on loaded data.

#![deny(missing_docs)]

pub mod chart;
pub mod glob;
pub mod ignore;
pub mod kubeconfig;
pub mod lint_provenance;
pub mod manifest;
pub mod objects;
pub mod provenance;
pub mod render;
pub mod schema;
pub mod strvals;
pub mod template;
pub mod values;
pub mod yaml;

/// Which Helm release to behave like where Helm 3 and Helm 4 differ.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Flavor {
    /// Helm 3.17.
    Helm3,
    /// Helm 4.1 (the default).
    #[default]
    Helm4,
}
