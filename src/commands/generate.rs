//! `backissue generate`: write a deterministic sample archive.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Result};
use backissue_issue::Date;

pub fn run(weeks: u32, start: Date, seed: u64, out: &Path) -> Result<ExitCode> {
    let _ = (weeks, start, seed, out);
    bail!("generate is not built yet")
}
