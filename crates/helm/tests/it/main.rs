//! The helm crate's integration tests, in one binary.

mod manifest;
