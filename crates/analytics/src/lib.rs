//! How topics move across weeks, and how good the rankings are.
//!
//! Pure computation over plain numbers, with no index or I/O behind it (except reading
//! the evaluation files), so every statistic can be tested on hand-made series. Weeks
//! are indices into the archive's weeks; the engine labels them with dates.
//!
//! - [`series`]: a topic's weekly counts beside each week's number of events.
//! - [`rising`]: which topics rise or fall in the last weeks against the weeks before
//!   (signed-root likelihood-ratio z-score, smoothed for small counts).
//! - [`burst`]: when a topic was hot, as start and end weeks (Kleinberg's automaton).
//! - [`eval`]: nDCG, MRR and recall at k over TREC-style queries and judgments.
//!
//! ```
//! use backissue_analytics::{rank_rising, RisingParams, WeeklySeries};
//!
//! // 20 weeks of 50 events: one mention a week, then six a week for the last four.
//! let counts = (0..20).map(|w| if w >= 16 { 6.0 } else { 1.0 }).collect();
//! let topics = [("edge robotics", WeeklySeries::with_constant_total(counts, 50.0))];
//! let rising = rank_rising(&topics, 19, &RisingParams::default()).unwrap();
//! assert_eq!(rising[0].name, "edge robotics");
//! assert!(rising[0].score > 4.0);
//! ```
#![warn(missing_docs)]

pub mod burst;
pub mod error;
pub mod eval;
pub mod rising;
pub mod series;

pub use burst::{detect_bursts, Burst, BurstParams};
pub use error::InvalidArgument;
pub use eval::{evaluate, EvalFileError, EvalReport, QueryScores, Summary};
pub use rising::{rank_falling, rank_rising, topic_change, Direction, RisingParams, TopicChange};
pub use series::{WeeklySeries, WindowSum};
