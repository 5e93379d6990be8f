//! `cargo xtask library-fixtures`: runs every case of `fixtures/library/cases` (charts from
//! `helm-charts/`) through both pinned Helms and writes `fixtures/library/expected/<case>.json`
//! (see `fixtures/library/README.md`).

use anyhow::Result;
use oracle::render_cases::Corpus;

const USAGE: &str = "library-fixtures [CASE...]";

pub fn run(args: &[String]) -> Result<()> {
    crate::render_fixtures::run_corpus(args, Corpus::library(), USAGE, "library")
}
