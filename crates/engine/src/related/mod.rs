//! Related stories: for a story (or any text), the most related stories from other
//! issues, each with one line saying why, after the story's storyline when it has one.
//!
//! ```no_run
//! use backissue_engine::related::{Related, RelatedParams};
//! use backissue_engine::Index;
//! use std::sync::Arc;
//!
//! let index = Arc::new(Index::open("index")?);
//! let related = Related::open(index.clone())?;
//! let answer = related.story("2026-03-27/top/2", &RelatedParams::default())?;
//! for step in &answer.storyline {
//!     println!("{} {}", step.date, step.title);
//! }
//! for story in &answer.related {
//!     println!("{}  ({})", story.title, story.why);
//! }
//! # Ok::<(), backissue_engine::Error>(())
//! ```
//!
//! # Rules
//!
//! - Only stories (top, sector, regional) are related, and only from **other issues**:
//!   the story itself and the other copies of its own event are never shown.
//! - **One story per event**: copies of one piece of news count once, scored by the
//!   best copy and shown as the event's top story when it has one.
//! - **One list per event**: a story is matched as its event (all its copies), so every
//!   copy gets the same list ([`Scorer::story_probe`]).
//! - A **free text** is matched by meaning, the kind of news it reports (the words
//!   the archive's headlines use besides names) and the names it names, above shared
//!   words ([`scoring`]'s `Weights::TEXT`).
//! - A story whose **headline repeats** the asked story's, or one above it, says so:
//!   [`RelatedStory::same_headline`] and `same headline as #1, 9 weeks earlier`.
//! - **Relatedness** blends meaning, shared words, shared names and shared tags, and
//!   the list is **diversified** by MMR ([`scoring`] has the formula and λ).
//! - Optional **half-life** and **window** in weeks (`--half-life`, `--window`).
//! - **Storylines** (one organisation's news across weeks, [`storyline`]) are found
//!   without ground truth, and shown first.
//!
//! # Precomputed
//!
//! Every story's default list is computed at index time ([`precompute`], stored in
//! the generation as [`RELATED_FILE`]); the widget's answer is then a lookup (a few
//! microseconds). Other parameters, and free texts, are computed on the fly in a few
//! milliseconds. When issues are added only the lists they change are recomputed
//! ([`table`] states the rule).

mod archive;
mod candidates;
mod explain;
mod features;
pub mod scoring;
pub mod storyline;
pub mod table;

pub use candidates::{
    Archive, Candidate, Probe, Reach, Scorer, Written, NAME_POSTING_LIMIT, VECTOR_CANDIDATES,
    WORDS_CANDIDATES,
};
pub use explain::{when, why};
pub use features::{kind_terms, NameRarity, Profile, MIN_KIND_EVENTS};
pub use scoring::{Components, Weights, MMR_LAMBDA};
pub use storyline::{back_references, find_storylines, StoryRef, Storyline};
pub use table::{
    RelatedTable, StoredList, StoredRelated, UpdateStats, CANDIDATES_KEPT, LIST_LENGTH,
    RELATED_FILE, RELATED_VERSION,
};

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use backissue_issue::Date;
use serde::{Deserialize, Serialize};

use crate::document::{Document, Section};
use crate::error::{Error, Result};
use crate::generation::TANTIVY_DIR;
use crate::vectors::Vectors;
use crate::Index;

/// The most stories a list may hold.
pub const MAX_LIMIT: usize = 50;

/// How a related list is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RelatedParams {
    /// Stories in the list (1–50). Default 5.
    pub limit: usize,
    /// Halve relatedness every this many weeks apart. Default none.
    pub half_life_weeks: Option<f64>,
    /// Only stories at most this many weeks apart. Default none.
    pub window_weeks: Option<u32>,
}

impl Default for RelatedParams {
    fn default() -> Self {
        RelatedParams {
            limit: 5,
            half_life_weeks: None,
            window_weeks: None,
        }
    }
}

impl RelatedParams {
    /// Checks the limit and the half-life.
    pub fn validate(&self) -> Result<()> {
        if !(1..=MAX_LIMIT).contains(&self.limit) {
            return Err(Error::invalid(
                "limit",
                format!("{}: expected 1 to {MAX_LIMIT}", self.limit),
            ));
        }
        if let Some(h) = self.half_life_weeks {
            if !(h.is_finite() && h > 0.0) {
                return Err(Error::invalid(
                    "half_life",
                    format!("{h}: expected a number of weeks above 0"),
                ));
            }
        }
        Ok(())
    }

    /// Whether the stored list answers these parameters.
    fn is_stored(&self) -> bool {
        self.half_life_weeks.is_none() && self.window_weeks.is_none() && self.limit <= LIST_LENGTH
    }

    fn reach(&self) -> Reach {
        Reach {
            half_life: self.half_life_weeks,
            window: self.window_weeks,
        }
    }
}

/// A related story, ready to show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RelatedStory {
    /// The story's id.
    pub id: String,
    /// Its issue.
    pub issue_id: String,
    /// Its issue's date.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub date: Date,
    /// Its title.
    pub title: String,
    /// Top, sector or regional story.
    pub section: Section,
    /// Relatedness, 0–1.
    pub score: f32,
    /// Why, in one line: `shares Lysandra Capital, Finance & Banking · 7 weeks earlier`.
    pub why: String,
    /// Weeks from the story asked about (negative: earlier).
    pub weeks_apart: i32,
    /// Names both have, rarest first.
    pub shared_names: Vec<String>,
    /// Sectors and regions both have.
    pub shared_tags: Vec<String>,
    /// Words of its headline saying the same kind of news as the text asked about
    /// (free texts only; lower case).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub shared_kind: Vec<String>,
    /// When its headline is, word for word (case and spacing aside), that of the story
    /// asked about or of a story above it in the list: which, and how far apart.
    #[serde(default)]
    pub same_headline: Option<SameHeadline>,
    /// The parts of the score.
    pub components: Components,
}

/// A related story's headline seen before in the same answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SameHeadline {
    /// `story` (the story asked about) or `listed` (a story above it in the list).
    pub relation: String,
    /// The story with that headline.
    pub id: String,
    /// Its position in the list (1-based; none for the story asked about).
    pub rank: Option<usize>,
    /// Weeks from this story to that one (negative: that one ran earlier).
    pub weeks_apart: i32,
}

/// The answer: the story, its storyline, and its related stories.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = RelatedAnswer))]
pub struct RelatedStories {
    /// The story asked about (none for a text).
    pub story: Option<StoryRef>,
    /// The storyline's id, when the story is part of one.
    pub storyline_id: Option<String>,
    /// The storyline's steps in date order (empty when there is none).
    pub storyline: Vec<StoryRef>,
    /// The related stories, most related first (after diversification).
    pub related: Vec<RelatedStory>,
    /// Whether the list was looked up rather than computed now.
    pub precomputed: bool,
}

/// Related stories over one open index.
pub struct Related {
    index: Arc<Index>,
    table: RelatedTable,
    storyline_of: HashMap<String, usize>,
    scorer: OnceLock<Scorer>,
}

impl std::fmt::Debug for Related {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Related")
            .field("lists", &self.table.lists.len())
            .field("storylines", &self.table.storylines.len())
            .finish_non_exhaustive()
    }
}

impl Related {
    /// Loads the related table of `index`'s generation, or computes it now when the
    /// generation has none (written before related tables existed): slow, and logged.
    pub fn open(index: Arc<Index>) -> Result<Related> {
        let table = match RelatedTable::load(index.generation_dir())? {
            Some(table) => table,
            None => {
                tracing::warn!(
                    dir = %index.generation_dir().display(),
                    "no related-stories table in this generation; computing it now (run `backissue index` to store one)"
                );
                let scorer = Scorer::new(index.clone(), NameRarity::of(index.documents()))?;
                RelatedTable::update(None, &scorer)?.0
            }
        };
        Ok(Related::with_table(index, table))
    }

    /// Serves `table` over `index`.
    pub fn with_table(index: Arc<Index>, table: RelatedTable) -> Related {
        let storyline_of = table
            .storylines
            .iter()
            .enumerate()
            .flat_map(|(i, s)| s.steps.iter().map(move |step| (step.id.clone(), i)))
            .collect();
        Related {
            index,
            table,
            storyline_of,
            scorer: OnceLock::new(),
        }
    }

    /// The table served.
    pub fn table(&self) -> &RelatedTable {
        &self.table
    }

    /// The storylines of the archive.
    pub fn storylines(&self) -> &[Storyline] {
        &self.table.storylines
    }

    /// The storyline the event of story `doc` is a step of.
    pub fn storyline_of(&self, doc: &Document) -> Option<&Storyline> {
        self.storyline_of
            .get(&doc.event_id)
            .map(|&i| &self.table.storylines[i])
    }

    /// Whether [`Related::story`] answers `id` with `params` from the stored list (its
    /// event's): a lookup of microseconds, cheap enough to run on an async worker.
    pub fn is_lookup(&self, id: &str, params: &RelatedParams) -> bool {
        params.is_stored()
            && self
                .index
                .document(id)
                .is_some_and(|doc| self.table.lists.contains_key(&doc.event_id))
    }

    /// The stories related to story `id`, after its storyline: the list of its event,
    /// the same whichever copy is asked for.
    pub fn story(&self, id: &str, params: &RelatedParams) -> Result<RelatedStories> {
        params.validate()?;
        let doc = self.story_doc(id)?;
        let storyline = self.storyline_of(doc);
        let stored = self
            .table
            .lists
            .get(&doc.event_id)
            .filter(|_| params.is_stored());
        let (related, precomputed) = match stored {
            Some(list) => (
                list.related
                    .iter()
                    .take(params.limit)
                    .filter_map(|s| self.view(s))
                    .collect(),
                true,
            ),
            None => {
                let scorer = self.scorer()?;
                let row = self.index.row(id).expect("the document exists");
                let probe = scorer.story_probe(row);
                crate::budget::check("scoring related stories")?;
                (self.compute(scorer, &probe, params)?, false)
            }
        };
        let mut related = related;
        mark_same_headlines(Some(doc), &mut related);
        Ok(RelatedStories {
            story: Some(doc.story_ref()),
            storyline_id: storyline.map(|s| s.id.clone()),
            storyline: storyline.map(|s| s.steps.clone()).unwrap_or_default(),
            related,
            precomputed,
        })
    }

    /// The stories related to a free `text` whose embedding is `vector`. Weeks apart
    /// (and the half-life) count from the archive's last issue.
    pub fn text(
        &self,
        text: &str,
        vector: &[f32],
        params: &RelatedParams,
    ) -> Result<RelatedStories> {
        params.validate()?;
        if text.trim().is_empty() {
            return Err(Error::invalid(
                "text",
                "empty: give the text to find related stories for",
            ));
        }
        if vector.len() != self.index.vectors().dimension() {
            return Err(Error::invalid(
                "vector",
                format!(
                    "{} components, the index has {}",
                    vector.len(),
                    self.index.vectors().dimension()
                ),
            ));
        }
        let scorer = self.scorer()?;
        let probe = Probe {
            vector: std::borrow::Cow::Borrowed(vector),
            title: std::borrow::Cow::Borrowed(""),
            body: std::borrow::Cow::Borrowed(text),
            profile: Profile::of_free_text(text, &self.table.rarity),
            story: None,
            copies: Vec::new(),
            date: self.index.documents().iter().map(|d| d.date).max(),
            storyline: None,
        };
        crate::budget::check("scoring related stories")?;
        let mut related = self.compute(scorer, &probe, params)?;
        mark_same_headlines(None, &mut related);
        Ok(RelatedStories {
            story: None,
            storyline_id: None,
            storyline: Vec::new(),
            related,
            precomputed: false,
        })
    }

    /// Ok when `id` names a story, else the user error saying why it does not (for
    /// a conditional request, which must not be answered before the story is known).
    pub fn check_story(&self, id: &str) -> Result<()> {
        self.story_doc(id).map(|_| ())
    }

    /// The document of story `id`, or a user error saying why there is none.
    fn story_doc(&self, id: &str) -> Result<&Document> {
        let doc = self.index.document(id).ok_or_else(|| Error::UnknownStory {
            id: id.to_string(),
            reason: "no document has this id; story ids look like 2026-03-27/top/2, \
                     2026-03-27/finance-banking/1 or 2026-03-27/india-watch/3"
                .to_string(),
        })?;
        if !doc.section.is_story() {
            return Err(Error::UnknownStory {
                id: id.to_string(),
                reason: format!(
                    "it is a {}, not a story; related stories are for top, sector and regional stories",
                    doc.section.as_str().replace('_', " ")
                ),
            });
        }
        Ok(doc)
    }

    fn scorer(&self) -> Result<&Scorer> {
        if let Some(scorer) = self.scorer.get() {
            return Ok(scorer);
        }
        let scorer = Scorer::new(self.index.clone(), self.table.rarity.clone())?;
        Ok(self.scorer.get_or_init(|| scorer))
    }

    fn compute(
        &self,
        scorer: &Scorer,
        probe: &Probe<'_>,
        params: &RelatedParams,
    ) -> Result<Vec<RelatedStory>> {
        let keep = CANDIDATES_KEPT.max(2 * params.limit);
        let candidates = scorer.candidates(probe, params.reach(), keep)?;
        Ok(scorer
            .diversify(&candidates, params.limit)
            .iter()
            .map(|c| table::stored(scorer, probe, c))
            .filter_map(|s| self.view(&s))
            .collect())
    }

    fn view(&self, stored: &StoredRelated) -> Option<RelatedStory> {
        let doc = self.index.document(&stored.id)?;
        Some(RelatedStory {
            id: doc.id.clone(),
            issue_id: doc.issue_id.clone(),
            date: doc.date,
            title: doc.title.clone(),
            section: doc.section,
            score: stored.score,
            why: why(
                &stored.shared_kind,
                &stored.shared_names,
                &stored.shared_tags,
                &stored.components,
                Some(stored.weeks_apart),
            ),
            weeks_apart: stored.weeks_apart,
            shared_names: stored.shared_names.clone(),
            shared_tags: stored.shared_tags.clone(),
            shared_kind: stored.shared_kind.clone(),
            same_headline: None,
            components: stored.components,
        })
    }
}

/// A headline compared word for word: lower case, runs of spaces as one.
fn normalised_headline(title: &str) -> String {
    title
        .split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Marks every story of `related` whose headline is that of the story asked about
/// (`asked`) or of a story above it in the list, and says so first in its `why`:
/// `same headline as this story, 9 weeks earlier · …`.
fn mark_same_headlines(asked: Option<&Document>, related: &mut [RelatedStory]) {
    let asked_headline = asked.map(|d| normalised_headline(&d.title));
    let headlines: Vec<String> = related
        .iter()
        .map(|r| normalised_headline(&r.title))
        .collect();
    for i in 0..related.len() {
        let same = if asked_headline.as_ref() == Some(&headlines[i]) {
            let asked = asked.expect("a headline was read from it");
            Some(SameHeadline {
                relation: "story".to_string(),
                id: asked.id.clone(),
                rank: None,
                weeks_apart: -related[i].weeks_apart,
            })
        } else {
            (0..i)
                .find(|&j| headlines[j] == headlines[i])
                .map(|j| SameHeadline {
                    relation: "listed".to_string(),
                    id: related[j].id.clone(),
                    rank: Some(j + 1),
                    weeks_apart: related[j].weeks_apart - related[i].weeks_apart,
                })
        };
        if let Some(same) = same {
            let whom = match same.rank {
                None => "this story".to_string(),
                Some(rank) => format!("#{rank}"),
            };
            related[i].why = format!(
                "same headline as {whom}, {} · {}",
                when(same.weeks_apart),
                related[i].why
            );
            related[i].same_headline = Some(same);
        }
    }
}

/// Index-time hook: computes every story's related list for the generation being
/// written in `generation_dir` (its keyword index already committed), reusing the
/// lists of `previous_generation` that the new issues do not change, and writes
/// [`RELATED_FILE`]. `docs` and `vectors` are the generation's, row for row.
pub fn precompute(
    generation_dir: &Path,
    previous_generation: Option<&Path>,
    docs: &[Document],
    vectors: &Vectors,
) -> Result<UpdateStats> {
    let tantivy_dir = generation_dir.join(TANTIVY_DIR);
    let keyword = crate::keyword::open(&tantivy_dir)?;
    let written = Written::new(docs, vectors, &keyword, &tantivy_dir)?;
    let scorer = Scorer::new(written, NameRarity::of(docs))?;
    // An unreadable previous table only costs a full computation.
    let previous = previous_generation.and_then(|dir| RelatedTable::load(dir).ok().flatten());
    let (table, stats) = RelatedTable::update(previous.as_ref(), &scorer)?;
    table.save(generation_dir)?;
    tracing::info!(
        full = stats.full,
        new = stats.new,
        lost = stats.lost,
        storyline = stats.storyline,
        entered = stats.entered,
        carried = stats.carried,
        "related-stories lists"
    );
    Ok(stats)
}

#[cfg(test)]
mod tests;
