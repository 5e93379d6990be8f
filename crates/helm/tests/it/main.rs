//! The helm crate's integration tests, in one binary.

mod files;
mod funcs;
mod manifest;
mod provenance;
