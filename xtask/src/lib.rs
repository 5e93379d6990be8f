//! The parts of `cargo xtask` that tests use too: the chart library's maintenance
//! ([`charts`]).

pub mod charts;
