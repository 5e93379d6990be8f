//! Unit-level tests of the public API.
