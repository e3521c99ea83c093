//! How backissue reads English: the analysis shared by the write path (indexing,
//! event grouping, topic tables) and the read path (queries, snippets, facets,
//! related stories, resources).
//!
//! - [`names`]: names kept whole (`GPT-4o`, `$40B`), and whether a token is name-like;
//! - [`stop_words`]: the one stop-word list, in tiers by use;
//! - [`phrases`]: names discovered in an archive, and the noun phrases topics are made of;
//! - [`lexicon`]: parts of speech from WordNet, which tell a noun phrase from a fragment;
//! - [`analyzers`]: the tantivy analyzers built from the above;
//! - [`titles`]: titles folded for comparison.
//!
//! Nothing here knows about documents, issues or indexes: it takes text and returns
//! words.
#![warn(missing_docs)]

pub mod analyzers;
pub mod lexicon;
pub mod names;
pub mod phrases;
pub mod stop_words;
pub mod titles;
