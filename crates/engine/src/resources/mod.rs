//! Learning resources and learning paths by skill level: deduplicated across issues,
//! ranked by relevance to a query or a story, then by recency and how often featured.
//!
//! ```no_run
//! use backissue_engine::resources::{Catalog, Request};
//! use backissue_engine::Index;
//! use backissue_issue::Level;
//!
//! let index = Index::open("index")?;
//! let catalog = Catalog::new(&index)?;
//! let listing = catalog.rank_resources(&Request {
//!     query: Some("retrieval evaluation"),
//!     query_vector: None, // the query's embedding, for relevance by meaning
//!     level: Some(Level::Beginner),
//!     limit: 10,
//! })?;
//! for item in &listing.groups[0].items {
//!     println!("{} ({}, featured {} times)", item.item.title, item.item.level, item.item.featured.times_featured);
//! }
//! # Ok::<(), backissue_engine::Error>(())
//! ```
//!
//! **Levels.** A reader at a level gets that level's items and the `All` ones
//! (`Level::suits`). Without a level, items come grouped by level, each group ranked.
//! For a story, the groups are the reader's level and the next one up ("what to read
//! next at your level, and at the next one"), or every level.
//!
//! The catalog ([`catalog`]) and the ranking formula ([`rank`]) are documented in
//! their modules.

pub mod catalog;
pub mod rank;

pub use catalog::{normalize_url, Featured, PathEntry, ResourceEntry};
pub use rank::{History, Signals};

use std::collections::HashMap;

use backissue_issue::Level;
use serde::{Deserialize, Serialize};

use crate::document::Section;
use crate::error::{Error, Result};
use crate::related::StoryRef;
use crate::trends::phrases::{discover_names, find_names};
use crate::trends::RowMap;
use crate::Index;

/// How a listing is asked for.
#[derive(Debug, Clone, Copy, Default)]
pub struct Request<'q> {
    /// Words to rank by (none: rank by recency and frequency).
    pub query: Option<&'q str>,
    /// The query's embedding, for relevance by meaning.
    pub query_vector: Option<&'q [f32]>,
    /// The reader's level (none: every level, grouped).
    pub level: Option<Level>,
    /// Items per group.
    pub limit: usize,
}

/// An item with its score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ranked<T> {
    /// The item.
    #[serde(flatten)]
    pub item: T,
    /// The ranking score.
    pub score: f64,
    /// Its parts.
    pub signals: Signals,
}

/// The items for one level, ranked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LevelGroup<T> {
    /// The level (its items include `All` ones when a reader's level was given).
    pub level: Level,
    /// The items, best first.
    pub items: Vec<Ranked<T>>,
}

/// A ranked listing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Listing<T> {
    /// The query, if any.
    pub query: Option<String>,
    /// The reader's level, if given.
    pub level: Option<Level>,
    /// The story the listing is for, if any.
    pub for_story: Option<StoryRef>,
    /// The groups, by level.
    pub groups: Vec<LevelGroup<T>>,
}

/// What ranking needs of an item.
trait Item: Clone {
    fn featured(&self) -> &Featured;
    fn level(&self) -> Level;
    fn text(&self) -> String;
}

impl Item for ResourceEntry {
    fn featured(&self) -> &Featured {
        &self.featured
    }
    fn level(&self) -> Level {
        self.level
    }
    fn text(&self) -> String {
        format!("{}\n{}", self.title, self.description)
    }
}

impl Item for PathEntry {
    fn featured(&self) -> &Featured {
        &self.featured
    }
    fn level(&self) -> Level {
        self.level
    }
    fn text(&self) -> String {
        format!(
            "{}\n{}\n{}",
            self.title,
            self.steps.join("\n"),
            self.outcome
        )
    }
}

/// The archive's resources and paths, deduplicated, over one open index. Everything a
/// query does not change is worked out here, once, so a ranking only scores items.
pub struct Catalog<'a> {
    index: &'a Index,
    resources: Vec<ResourceEntry>,
    paths: Vec<PathEntry>,
    /// The keyword index as these rows were mapped for.
    searcher: tantivy::Searcher,
    /// tantivy documents to rows of the documents table.
    rows: RowMap,
    resource_history: History,
    path_history: History,
}

impl std::fmt::Debug for Catalog<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalog")
            .field("resources", &self.resources.len())
            .field("paths", &self.paths.len())
            .finish_non_exhaustive()
    }
}

impl<'a> Catalog<'a> {
    /// The catalog of `index`.
    pub fn new(index: &'a Index) -> Result<Catalog<'a>> {
        let resources = catalog::resources(index.documents());
        let paths = catalog::paths(index.documents());
        let searcher = index.reader().searcher();
        let ids: HashMap<&str, usize> = index
            .documents()
            .iter()
            .enumerate()
            .filter(|(_, d)| matches!(d.section, Section::Resource | Section::LearningPath))
            .map(|(row, d)| (d.id.as_str(), row))
            .collect();
        let rows = RowMap::build(&searcher, index.fields().id, &ids)?;
        Ok(Catalog {
            index,
            resource_history: History::new(index, resources.iter().map(|r| &r.featured)),
            path_history: History::new(index, paths.iter().map(|p| &p.featured)),
            resources,
            paths,
            searcher,
            rows,
        })
    }

    /// Every resource, once per URL, most recently featured first.
    pub fn resources(&self) -> &[ResourceEntry] {
        &self.resources
    }

    /// Every learning path, once per content, most recently featured first.
    pub fn paths(&self) -> &[PathEntry] {
        &self.paths
    }

    /// The resources for `request`.
    pub fn rank_resources(&self, request: &Request<'_>) -> Result<Listing<ResourceEntry>> {
        self.rank(
            &self.resources,
            Section::Resource,
            &self.resource_history,
            request,
        )
    }

    /// The learning paths for `request`.
    pub fn rank_paths(&self, request: &Request<'_>) -> Result<Listing<PathEntry>> {
        self.rank(
            &self.paths,
            Section::LearningPath,
            &self.path_history,
            request,
        )
    }

    /// The resources most related to story `story_id` (meaning and shared names), for
    /// a reader at `level` and the level above, or at every level.
    pub fn resources_for_story(
        &self,
        story_id: &str,
        level: Option<Level>,
        limit: usize,
    ) -> Result<Listing<ResourceEntry>> {
        check_limit(limit)?;
        let doc = self
            .index
            .document(story_id)
            .filter(|d| d.section.is_story())
            .ok_or_else(|| Error::UnknownStory {
                id: story_id.to_string(),
                reason: "no story has this id; story ids look like 2026-03-27/top/2 or 2026-03-27/finance-banking/1"
                    .to_string(),
            })?;
        let row = self.index.row(story_id).expect("the document exists");
        let vector = self.index.vectors().get(row);
        let mut names: Vec<String> = discover_names(&doc.body);
        let known: std::collections::HashSet<String> = names.iter().cloned().collect();
        for name in find_names(&doc.title, &known) {
            if !names.contains(&name) {
                names.push(name);
            }
        }
        let history = &self.resource_history;
        let ranked: Vec<Ranked<&ResourceEntry>> = self
            .resources
            .iter()
            .map(|entry| {
                let meaning = self.best_cosine(entry.featured(), vector);
                let text = entry.text();
                let mentioned = names.iter().filter(|n| text.contains(n.as_str())).count();
                let shared = (mentioned as f64 / 2.0).min(1.0);
                let relevance = 0.7 * f64::from(meaning) + 0.3 * shared;
                ranked(entry, history.signals(&entry.featured, Some(relevance)))
            })
            .collect();
        let levels = match level {
            Some(level) => std::iter::once(level).chain(level.next()).collect(),
            None => Level::ALL.to_vec(),
        };
        Ok(Listing {
            query: None,
            level,
            for_story: Some(StoryRef {
                id: doc.id.clone(),
                date: doc.date,
                title: doc.title.clone(),
            }),
            groups: group(ranked, &levels, level, limit),
        })
    }

    fn rank<T: Item>(
        &self,
        items: &[T],
        section: Section,
        history: &History,
        request: &Request<'_>,
    ) -> Result<Listing<T>> {
        check_limit(request.limit)?;
        let query = request.query.map(str::trim).filter(|q| !q.is_empty());
        let keyword = match query {
            Some(q) => Some(rank::keyword_scores(
                self.index,
                &self.searcher,
                &self.rows,
                section,
                q,
            )?),
            None => None,
        };
        // A reader's level only lists its own items and the `All` ones.
        let ranked: Vec<Ranked<&T>> = items
            .iter()
            .filter(|item| request.level.is_none_or(|level| item.level().suits(level)))
            .filter_map(|item| {
                let Some(keyword) = &keyword else {
                    return Some(ranked(item, history.signals(item.featured(), None)));
                };
                let words = self.best_keyword(item.featured(), keyword);
                let meaning = request
                    .query_vector
                    .map(|v| self.best_cosine(item.featured(), v));
                let relevant = words > 0.0 || meaning.is_some_and(|m| m >= rank::MIN_MEANING);
                let relevance = match meaning {
                    Some(m) => 0.5 * f64::from(words) + 0.5 * f64::from(m.max(0.0)),
                    None => f64::from(words),
                };
                relevant.then(|| ranked(item, history.signals(item.featured(), Some(relevance))))
            })
            .collect();
        let levels = match request.level {
            Some(level) => vec![level],
            None => Level::ALL.to_vec(),
        };
        Ok(Listing {
            query: query.map(str::to_string),
            level: request.level,
            for_story: None,
            groups: group(ranked, &levels, request.level, request.limit),
        })
    }

    fn rows<'f>(&'f self, featured: &'f Featured) -> impl Iterator<Item = usize> + 'f {
        featured.doc_ids.iter().filter_map(|id| self.index.row(id))
    }

    fn best_cosine(&self, featured: &Featured, vector: &[f32]) -> f32 {
        self.rows(featured)
            .map(|row| crate::vectors::dot(self.index.vectors().get(row), vector))
            .fold(0.0, f32::max)
    }

    fn best_keyword(
        &self,
        featured: &Featured,
        scores: &std::collections::HashMap<usize, f32>,
    ) -> f32 {
        self.rows(featured)
            .filter_map(|row| scores.get(&row).copied())
            .fold(0.0, f32::max)
    }
}

/// `item` with its score: a reference, so only the items listed are ever cloned.
fn ranked<T: Item>(item: &T, signals: Signals) -> Ranked<&T> {
    Ranked {
        item,
        score: signals.score(),
        signals,
    }
}

/// `ranked` split into one group per level of `levels`, best first, `limit` each. The
/// reader's own level (`reader`) also takes the `All` items.
fn group<T: Item>(
    mut ranked: Vec<Ranked<&T>>,
    levels: &[Level],
    reader: Option<Level>,
    limit: usize,
) -> Vec<LevelGroup<T>> {
    ranked.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| {
                b.item
                    .featured()
                    .last_date
                    .cmp(&a.item.featured().last_date)
            })
            .then_with(|| a.item.featured().doc_ids.cmp(&b.item.featured().doc_ids))
    });
    levels
        .iter()
        .map(|&level| LevelGroup {
            level,
            items: ranked
                .iter()
                .filter(|r| {
                    if Some(level) == reader {
                        r.item.level().suits(level)
                    } else {
                        r.item.level() == level
                    }
                })
                .take(limit)
                .map(|r| Ranked {
                    item: r.item.clone(),
                    score: r.score,
                    signals: r.signals,
                })
                .collect(),
        })
        .collect()
}

fn check_limit(limit: usize) -> Result<()> {
    if (1..=200).contains(&limit) {
        Ok(())
    } else {
        Err(Error::invalid(
            "limit",
            format!("{limit}: expected 1 to 200"),
        ))
    }
}

#[cfg(test)]
mod tests;
