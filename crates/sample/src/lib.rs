//! A deterministic sample archive of the newsletter, and the truth about what is in it.
//!
//! Why this exists: the real archive is small and private, and a search engine cannot
//! be measured against text nobody has labelled. This crate writes as many weekly
//! issues as asked, in the exact text format of the real newsletter, and records what
//! it planted: which documents of an issue report the same news (events), which news
//! follows one organisation across weeks (storylines), and which topic phrases rise,
//! fade or burst on a known schedule (trends). Search, related stories and trend
//! detection are then scored against that ground truth. The same seed always gives the
//! same bytes, so the shipped `corpus/` can be regenerated and checked.
//!
//! ```
//! use backissue_issue::{parse_str, render};
//! use backissue_sample::{generate, Config};
//!
//! let config = Config { weeks: 8, start: "2025-01-03".parse().unwrap(), seed: 7 };
//! let archive = generate(&config);
//! assert_eq!(archive.issues.len(), 8);
//! let first = &archive.issues[0];
//! assert_eq!(parse_str(&render(first), "2025-01-03.txt", None).unwrap(), *first);
//! assert_eq!(archive.ground_truth.seed, 7);
//! ```
//!
//! The plan comes first (module `plan`: the cast, storylines, trends, one seed per
//! week), then each week is written (module `assemble`) from templates (module
//! `phrasing`), and only then is the ground truth gathered from what was written, so
//! every id in it points at a document that exists.
#![warn(missing_docs)]

use backissue_issue::{Date, Issue};

mod assemble;
mod cast;
mod error;
mod event;
pub mod ground_truth;
mod phrasing;
mod plan;
mod write;

pub use error::{Error, Result};
pub use ground_truth::GroundTruth;
pub use write::{ground_truth_json, write_archive, WriteSummary, GROUND_TRUTH_FILE};

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Config {
    /// How many weekly issues.
    pub weeks: u32,
    /// The first issue's date; issue `i` is dated `start + 7 * i` days.
    pub start: Date,
    /// The seed: the same seed gives the same archive, byte for byte.
    pub seed: u64,
}

/// A generated archive: the issues, in date order, and what was planted in them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Archive {
    /// One issue per week, in date order.
    pub issues: Vec<Issue>,
    /// What was planted.
    pub ground_truth: GroundTruth,
}

/// Generates the archive `config` describes. Weeks past the year 9999 are dropped.
pub fn generate(config: &Config) -> Archive {
    let plan = plan::Plan::new(config.seed, config.start, config.weeks);
    let written: Vec<assemble::Written> = plan
        .weeks
        .iter()
        .map(|week| assemble::write_week(&plan, week))
        .collect();
    let ground_truth = ground_truth::build(config, &plan, &written);
    Archive {
        issues: written.into_iter().map(|w| w.issue).collect(),
        ground_truth,
    }
}
