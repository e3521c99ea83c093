//! The newsletter issue: its typed model, the text-format parser and renderer.
//!
//! Everything else in backissue stands on reading issues right, so this crate is
//! strict where the format is (block order, group shapes, ranks, scores) and lenient
//! where the archive may grow (new regions, sources, resource kinds become `Other`
//! values with a warning). It never panics, whatever bytes it is given: every problem
//! is an [`Error`] that names the file, the line, the block and what was expected.
//!
//! ```
//! use backissue_issue::{parse_str, render, Date};
//!
//! let text = "← All posts\n\nA headline\n\nA summary.\n\nSubscribe free All posts\n\
//!             #1\nA title\nA summary of the story.\nTechUS\n90\n";
//! let date: Date = "2026-03-27".parse().unwrap();
//! let issue = parse_str(text, "2026-03-27.txt", Some(date)).unwrap();
//! assert_eq!(issue.top_stories[0].regions[0].as_str(), "US");
//! assert_eq!(parse_str(&render(&issue), "2026-03-27.txt", Some(date)).unwrap(), issue);
//! ```
#![warn(missing_docs)]

mod date;
mod error;
pub mod id;
mod model;
mod parse;
mod render;
mod vocab;

pub use date::{Date, DateParseError, IsoWeek};
pub use error::{Block, Error, Result};
pub use model::*;
pub use parse::{
    parse_bytes, parse_duration, parse_file, parse_str, Sidecar, MAX_ISSUE_BYTES, MAX_QUOTED_CHARS,
    MAX_WARNINGS_PER_FILE, MAX_WARNINGS_PER_LINE,
};
pub use render::{render, render_duration};

/// The version of what parsing yields. It goes up whenever the same file may parse
/// differently (a file that failed now parses, a field is read otherwise), so an
/// index built by an older parser knows to read its corpus again.
pub const PARSER_VERSION: u32 = 2;
pub use vocab::{Level, Region, ResourceKind, Sector, Source};
