//! Trends: how terms, names, sectors, regions and sources move across the archive's
//! weeks, which topics rise, fall and burst, and what they appear with.
//!
//! ```no_run
//! use backissue_engine::trends::{self, TrendQuery, Trends};
//! use backissue_engine::Index;
//! use std::sync::Arc;
//!
//! let index = Arc::new(Index::open("index")?);
//! let series = Trends::new(index.clone())?.series(&TrendQuery {
//!     term: Some("memory shortage".into()),
//!     ..TrendQuery::default()
//! })?;
//! let table = trends::topic_table(&index)?;
//! let week = table.weeks.resolve(Some("latest"))?;
//! let rising = trends::rank_topics(&table, week, trends::Movement::Rising, 10, &trends::DEFAULT_RISING)?;
//! # Ok::<(), backissue_engine::Error>(())
//! ```
//!
//! # What is counted
//!
//! **Events, not copies.** Every count is of distinct `event_id`s (see
//! [`crate::event`]): one piece of news told as a top story and as a sector story
//! counts once in its week. Only news counts: top, sector and regional stories
//! ([`is_news`]).
//! A week's *total* is its number of news events, and a *share* is count / total, so a
//! busy week does not look like a rise.
//!
//! **Two ways to ask.** Any query ([`TrendQuery`]: a term, a name, a keyword query,
//! sector/region/source filters) is counted live from the keyword index ([`Trends`]),
//! in about a millisecond. Rising, falling and bursting topics need every candidate
//! topic's series at once, so those series are counted at index time into the topic
//! table ([`TopicTable`], `topics.json` in the generation): the archive's names and
//! sectors, regions and 1–3-word noun phrases ([`backissue_text::phrases`]).

mod count;
pub mod csv;
mod query;
mod rank;
mod topics;
mod weeks;

pub use count::{
    Cooccurrence, CooccurrenceWeek, CooccurringTopic, TrendPoint, TrendSeries, Trends,
};
pub use query::{query_parts, TrendQuery};
pub use rank::{
    bursts_of, rank_topics, strongest_bursts, BurstWeeks, Movement, RankedTopic, TopicBurst,
    TopicRanking, WeekCount, BURST_SURROUNDINGS, DEFAULT_BURST, DEFAULT_RISING, MAX_BURST_WEEKS,
};
pub use topics::{
    Topic, TopicKind, TopicTable, MIN_TOPIC_EVENTS, SUBPHRASE_SHARE, TOPICS_FILE, TOPICS_VERSION,
};
pub use weeks::{parse_week, ArchiveWeek, ArchiveWeeks};

use std::path::Path;

use crate::document::{Document, Section};
use crate::error::Result;
use crate::Index;

/// Whether documents of `section` are news, which trends count: top, sector and
/// regional stories, the documents events are made of. Insights and hidden signals
/// are commentary written from a small stock of phrasings whose week-to-week churn
/// would drown real movements; resources and learning paths are teaching material.
pub fn is_news(section: Section) -> bool {
    section.is_story()
}

/// Index-time hook: builds the topic table of `docs` and writes it into the
/// generation folder `generation_dir` as [`TOPICS_FILE`].
pub fn precompute(generation_dir: &Path, docs: &[Document]) -> Result<()> {
    TopicTable::build(docs).save(generation_dir)
}

/// The topic table of `index`'s generation, or, when the generation has none (it was
/// written before topic tables existed), one built now from its documents.
pub fn topic_table(index: &Index) -> Result<TopicTable> {
    match TopicTable::load(index.generation_dir())? {
        Some(table) => Ok(table),
        None => {
            tracing::warn!(
                dir = %index.generation_dir().display(),
                "no topic table in this generation; building it now (run `backissue index` to store one)"
            );
            Ok(TopicTable::build(index.documents()))
        }
    }
}

#[cfg(test)]
mod tests;
