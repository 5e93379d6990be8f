//! Integration tests of the `schema` crate (one test binary).

mod bundles;
mod corpus;
mod library;
mod quantity;

use std::path::PathBuf;

/// The workspace root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}
