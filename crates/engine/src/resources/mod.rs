//! Learning resources and learning paths by skill level: deduplicated across issues,
//! ranked by relevance to a query or a story, then by recency and how often featured.
//!
//! ```no_run
//! use backissue_engine::resources::{Catalog, Request};
//! use backissue_engine::Index;
//! use std::sync::Arc;
//! use backissue_issue::Level;
//!
//! let index = Arc::new(Index::open("index")?);
//! let catalog = Catalog::new(index.clone())?;
//! let listing = catalog.rank_resources(&Request {
//!     query: Some("retrieval evaluation"),
//!     query_vector: None, // the query's embedding, for relevance by meaning
//!     level: Some(Level::Beginner),
//!     limit: 10,
//!     ..Request::default() // from the first, by relevance
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
//! next at your level, and at the next one"), or every level. An item is listed in
//! one group only: the reader's group takes every item featured at a level that
//! suits the reader, any other group the items whose latest level it is.
//!
//! **Paging and sorting.** Each group is sorted ([`Sort`]: relevance, newest, most
//! featured, title, and for paths shortest) and paged alike (`offset`, `limit`); each
//! group says how many items it has in all (`total`), and the listing the sum.
//!
//! **A floor for stories.** Resources for a story are only those whose relevance
//! clears [`Catalog::story_floor`], a floor measured on the index: the relevance that
//! an unrelated resource reaches by chance for about one resource of the catalog.
//! When nothing clears it the listing is empty and says why (`note`). A story's
//! listing is sorted and paged like any other ([`Catalog::story_resources`]), and a
//! query narrows it to the resources its words or meaning also find.
//!
//! The catalog ([`catalog`]) and the ranking formula ([`rank`]) are documented in
//! their modules.

pub mod catalog;
pub mod rank;

pub use catalog::{normalize_url, Featured, PathEntry, ResourceEntry};
pub use rank::{History, Signals};

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, OnceLock};

use backissue_issue::Level;
use serde::{Deserialize, Serialize};

use crate::document::Section;
use crate::document::StoryRef;
use crate::error::{Error, Result};
use crate::Index;
use backissue_text::phrases::{discover_names, find_names};
use backissue_text::titles::normalize_title;

/// Most items per group in one listing.
pub const MAX_LIMIT: usize = 200;

/// The furthest `offset` a listing pages to.
pub const MAX_OFFSET: usize = 10_000;

/// Stories whose resources are compared to measure the story floor (evenly spaced
/// over the archive).
pub const FLOOR_SAMPLE_STORIES: usize = 128;

/// Why a story's listing is empty.
pub const NOTHING_CLOSE: &str = "no resource is close enough to this story";

/// How a listing is ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Sort {
    /// Best score first (relevance, then recency and frequency; without a query,
    /// recency and frequency).
    #[default]
    Relevance,
    /// Most recently featured first.
    Newest,
    /// Featured in the most issues first, then the most recent.
    MostFeatured,
    /// By title, A to Z (case and punctuation folded).
    Title,
    /// Paths only: the least total time first.
    Shortest,
}

impl Sort {
    /// Every sort, in the order they are documented.
    pub const ALL: [Sort; 5] = [
        Sort::Relevance,
        Sort::Newest,
        Sort::MostFeatured,
        Sort::Title,
        Sort::Shortest,
    ];

    /// The sorts a resource listing takes.
    pub const RESOURCES: [Sort; 4] = [
        Sort::Relevance,
        Sort::Newest,
        Sort::MostFeatured,
        Sort::Title,
    ];

    /// The sorts a path listing takes.
    pub const PATHS: [Sort; 5] = Sort::ALL;

    /// `relevance`, `newest`, `most-featured`, `title`, `shortest`.
    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Relevance => "relevance",
            Sort::Newest => "newest",
            Sort::MostFeatured => "most-featured",
            Sort::Title => "title",
            Sort::Shortest => "shortest",
        }
    }

    /// `text` as one of `choices` (case-insensitive; `_` for `-` too), or the
    /// [`Error::InvalidRequest`] naming `sort` and the choices.
    pub fn parse_among(text: &str, choices: &[Sort]) -> Result<Sort> {
        let wanted = text.trim().to_ascii_lowercase().replace('_', "-");
        choices
            .iter()
            .copied()
            .find(|s| s.as_str() == wanted)
            .ok_or_else(|| {
                let names: Vec<&str> = choices.iter().map(|s| s.as_str()).collect();
                Error::invalid(
                    "sort",
                    format!("{text:?}: expected one of {}", names.join(", ")),
                )
            })
    }
}

impl std::fmt::Display for Sort {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Sort {
    type Err = Error;

    fn from_str(text: &str) -> Result<Sort> {
        Sort::parse_among(text, &Sort::ALL)
    }
}

/// How a listing is asked for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Request<'q> {
    /// Words to rank by (none: rank by recency and frequency).
    pub query: Option<&'q str>,
    /// The query's embedding, for relevance by meaning.
    pub query_vector: Option<&'q [f32]>,
    /// The reader's level (none: every level, grouped).
    pub level: Option<Level>,
    /// The order of each group.
    pub sort: Sort,
    /// Items skipped at the start of each group.
    pub offset: usize,
    /// Items per group, 1 to [`MAX_LIMIT`].
    pub limit: usize,
}

impl Default for Request<'_> {
    fn default() -> Self {
        Request {
            query: None,
            query_vector: None,
            level: None,
            sort: Sort::Relevance,
            offset: 0,
            limit: 10,
        }
    }
}

/// An item with its score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LevelGroup<T> {
    /// The level (its items include `All` ones when a reader's level was given).
    pub level: Level,
    /// How many items the group has in all, before paging.
    pub total: usize,
    /// The items of this page, in the listing's order.
    pub items: Vec<Ranked<T>>,
}

/// A ranked listing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Listing<T> {
    /// The query, if any.
    pub query: Option<String>,
    /// The reader's level, if given.
    pub level: Option<Level>,
    /// The story the listing is for, if any.
    pub for_story: Option<StoryRef>,
    /// The order of each group.
    pub sort: Sort,
    /// Items skipped at the start of each group.
    pub offset: usize,
    /// Most items per group.
    pub limit: usize,
    /// Items in all the groups, before paging (each item is in one group).
    pub total: usize,
    /// For a story: the least relevance an item needs to be listed.
    pub min_relevance: Option<f64>,
    /// Why the listing is empty, when it is for a reason other than no match.
    pub note: Option<String>,
    /// The groups, by level.
    pub groups: Vec<LevelGroup<T>>,
}

impl<T> Listing<T> {
    /// Whether a group has items past this page.
    pub fn has_more(&self) -> bool {
        self.groups
            .iter()
            .any(|g| self.offset + g.items.len() < g.total)
    }
}

/// What ranking needs of an item.
trait Item: Clone {
    fn featured(&self) -> &Featured;
    /// The level shown (the latest featuring's).
    fn level(&self) -> Level;
    /// Every level it was featured at.
    fn levels(&self) -> &[Level];
    fn title(&self) -> &str;
    /// Minutes it takes, when known.
    fn minutes(&self) -> Option<u32>;
    fn text(&self) -> String;
}

impl Item for ResourceEntry {
    fn featured(&self) -> &Featured {
        &self.featured
    }
    fn level(&self) -> Level {
        self.level
    }
    fn levels(&self) -> &[Level] {
        &self.levels
    }
    fn title(&self) -> &str {
        &self.title
    }
    fn minutes(&self) -> Option<u32> {
        None
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
    fn levels(&self) -> &[Level] {
        std::slice::from_ref(&self.level)
    }
    fn title(&self) -> &str {
        &self.title
    }
    fn minutes(&self) -> Option<u32> {
        Some(self.total_minutes)
    }
    fn text(&self) -> String {
        let mut text = self.title.clone();
        for step in &self.steps {
            text.push('\n');
            text.push_str(&step.text);
        }
        text.push('\n');
        text.push_str(&self.outcome);
        text
    }
}

/// The archive's resources and paths, deduplicated, over one open index. Everything a
/// query does not change is worked out here, once, so a ranking only scores items.
pub struct Catalog {
    index: Arc<Index>,
    resources: Vec<ResourceEntry>,
    paths: Vec<PathEntry>,
    /// The keyword index's searcher, whose documents [`Index::rows`] maps.
    searcher: tantivy::Searcher,
    resource_history: History,
    path_history: History,
    /// The story floor, measured on first use.
    story_floor: OnceLock<f64>,
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalog")
            .field("resources", &self.resources.len())
            .field("paths", &self.paths.len())
            .finish_non_exhaustive()
    }
}

impl Catalog {
    /// The catalog of `index`.
    pub fn new(index: Arc<Index>) -> Result<Catalog> {
        let resources = catalog::resources(index.documents());
        let paths = catalog::paths(index.documents());
        let searcher = index.reader().searcher();
        let resource_history = History::new(&index, resources.iter().map(|r| &r.featured));
        let path_history = History::new(&index, paths.iter().map(|p| &p.featured));
        Ok(Catalog {
            index,
            resource_history,
            path_history,
            resources,
            paths,
            searcher,
            story_floor: OnceLock::new(),
        })
    }

    /// Every resource, once per work, most recently featured first.
    pub fn resources(&self) -> &[ResourceEntry] {
        &self.resources
    }

    /// Every learning path, once per content, most recently featured first.
    pub fn paths(&self) -> &[PathEntry] {
        &self.paths
    }

    /// The resources for `request` (sorts: [`Sort::RESOURCES`]).
    pub fn rank_resources(&self, request: &Request<'_>) -> Result<Listing<ResourceEntry>> {
        check_resource_sort(request.sort)?;
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
    /// a reader at `level` and the level above, or at every level: only those whose
    /// relevance clears [`Catalog::story_floor`], best first.
    pub fn resources_for_story(
        &self,
        story_id: &str,
        level: Option<Level>,
        limit: usize,
    ) -> Result<Listing<ResourceEntry>> {
        self.story_resources(
            story_id,
            &Request {
                level,
                limit,
                ..Request::default()
            },
        )
    }

    /// The resources for story `story_id` as [`Catalog::resources_for_story`] lists
    /// them (those clearing the story floor, at the reader's level and the next one
    /// up, or every level), with the rest of `request`: a query keeps those of them
    /// that its words or meaning also find (as a listing by query would; each keeps
    /// its relevance to the story), and each group is sorted (default: relevance to
    /// the story) and paged like any listing.
    pub fn story_resources(
        &self,
        story_id: &str,
        request: &Request<'_>,
    ) -> Result<Listing<ResourceEntry>> {
        check_page(request.offset, request.limit)?;
        check_resource_sort(request.sort)?;
        let doc = self
            .index
            .document(story_id)
            .filter(|d| d.section.is_story())
            .ok_or_else(|| Error::UnknownStory {
                id: story_id.to_string(),
                reason: "no story has this id; story ids look like 2026-03-27/top/2 or 2026-03-27/finance-banking/1"
                    .to_string(),
            })?;
        let query = request.query.map(str::trim).filter(|q| !q.is_empty());
        let keyword = self.keyword_scores(query, Section::Resource)?;
        let row = self.index.row(story_id).expect("the document exists");
        let vector = self.index.vectors().get(row);
        let names = story_names(doc);
        let floor = self.story_floor();
        let history = &self.resource_history;
        let ranked: Vec<Ranked<&ResourceEntry>> = self
            .resources
            .iter()
            .filter(|entry| {
                keyword.as_ref().is_none_or(|keyword| {
                    self.query_relevance(*entry, keyword, request.query_vector)
                        .is_some()
                })
            })
            .filter_map(|entry| {
                let relevance = story_relevance(
                    self.best_cosine(entry.featured(), vector),
                    &names,
                    &entry.text(),
                );
                (relevance >= floor)
                    .then(|| ranked(entry, history.signals(&entry.featured, Some(relevance))))
            })
            .collect();
        let levels = match request.level {
            Some(level) => std::iter::once(level).chain(level.next()).collect(),
            None => Level::ALL.to_vec(),
        };
        let mut listing = listing(ranked, &levels, request, query);
        listing.for_story = Some(doc.story_ref());
        listing.min_relevance = Some(floor);
        listing.note = (listing.total == 0 && query.is_none()).then(|| NOTHING_CLOSE.to_string());
        Ok(listing)
    }

    /// The least relevance a resource needs to be listed for a story, measured on
    /// this index the first time it is asked for.
    ///
    /// The null: pairs of a story and a resource that cannot be about the same thing
    /// by what we can see, since the resource was never featured in the story's issue
    /// and mentions none of its names; their relevance is meaning alone. The floor is
    /// that null's quantile at `1 − 1/N` for a catalog of `N` resources, so across
    /// the whole catalog about one unrelated resource clears it by chance for a
    /// story. The stories are [`FLOOR_SAMPLE_STORIES`], evenly spaced.
    pub fn story_floor(&self) -> f64 {
        *self.story_floor.get_or_init(|| self.measure_story_floor())
    }

    fn measure_story_floor(&self) -> f64 {
        let stories: Vec<usize> = self
            .index
            .documents()
            .iter()
            .enumerate()
            .filter(|(_, d)| d.section.is_story())
            .map(|(row, _)| row)
            .collect();
        if stories.is_empty() || self.resources.is_empty() {
            return 0.0;
        }
        let step = stories.len().div_ceil(FLOOR_SAMPLE_STORIES);
        let texts: Vec<String> = self.resources.iter().map(Item::text).collect();
        let mut null: Vec<f64> = Vec::new();
        for &row in stories.iter().step_by(step) {
            let story = &self.index.documents()[row];
            let names = story_names(story);
            let vector = self.index.vectors().get(row);
            for (entry, text) in self.resources.iter().zip(&texts) {
                let same_issue = entry.featured.issues.contains(&story.issue_id);
                if same_issue || names.iter().any(|n| text.contains(n.as_str())) {
                    continue;
                }
                let meaning = self.best_cosine(&entry.featured, vector);
                null.push(story_relevance(meaning, &[], text));
            }
        }
        null_quantile(null, self.resources.len())
    }

    fn rank<T: Item>(
        &self,
        items: &[T],
        section: Section,
        history: &History,
        request: &Request<'_>,
    ) -> Result<Listing<T>> {
        check_page(request.offset, request.limit)?;
        let query = request.query.map(str::trim).filter(|q| !q.is_empty());
        let keyword = self.keyword_scores(query, section)?;
        // A reader's level only lists items featured at it and the `All` ones.
        let ranked: Vec<Ranked<&T>> = items
            .iter()
            .filter(|item| {
                request
                    .level
                    .is_none_or(|level| item.levels().iter().any(|l| l.suits(level)))
            })
            .filter_map(|item| {
                let Some(keyword) = &keyword else {
                    return Some(ranked(item, history.signals(item.featured(), None)));
                };
                let relevance = self.query_relevance(item, keyword, request.query_vector)?;
                Some(ranked(
                    item,
                    history.signals(item.featured(), Some(relevance)),
                ))
            })
            .collect();
        let levels = match request.level {
            Some(level) => vec![level],
            None => Level::ALL.to_vec(),
        };
        Ok(listing(ranked, &levels, request, query))
    }

    /// The keyword scores of `query` over `section`'s rows (none without a query).
    fn keyword_scores(
        &self,
        query: Option<&str>,
        section: Section,
    ) -> Result<Option<HashMap<usize, f32>>> {
        query
            .map(|q| {
                rank::keyword_scores(&self.index, &self.searcher, self.index.rows(), section, q)
            })
            .transpose()
    }

    /// The relevance of `item` to a query (its keyword scores, its embedding): half
    /// words, half meaning; none when neither finds it (no word, meaning under
    /// [`rank::MIN_MEANING`]).
    fn query_relevance<T: Item>(
        &self,
        item: &T,
        keyword: &HashMap<usize, f32>,
        vector: Option<&[f32]>,
    ) -> Option<f64> {
        let words = self.best_keyword(item.featured(), keyword);
        let meaning = vector.map(|v| self.best_cosine(item.featured(), v));
        let relevant = words > 0.0 || meaning.is_some_and(|m| m >= rank::MIN_MEANING);
        let relevance = match meaning {
            Some(m) => 0.5 * f64::from(words) + 0.5 * f64::from(m.max(0.0)),
            None => f64::from(words),
        };
        relevant.then_some(relevance)
    }

    fn rows<'f>(&'f self, featured: &'f Featured) -> impl Iterator<Item = usize> + 'f {
        featured.doc_ids.iter().filter_map(|id| self.index.row(id))
    }

    fn best_cosine(&self, featured: &Featured, vector: &[f32]) -> f32 {
        self.rows(featured)
            .map(|row| crate::vectors::dot(self.index.vectors().get(row), vector))
            .fold(0.0, f32::max)
    }

    fn best_keyword(&self, featured: &Featured, scores: &HashMap<usize, f32>) -> f32 {
        self.rows(featured)
            .filter_map(|row| scores.get(&row).copied())
            .fold(0.0, f32::max)
    }
}

/// The quantile of `null` at `1 − 1/catalog`: the value that a share of `1/catalog`
/// of the null reaches (0 for an empty null).
fn null_quantile(mut null: Vec<f64>, catalog: usize) -> f64 {
    if null.is_empty() {
        return 0.0;
    }
    null.sort_by(f64::total_cmp);
    let share = 1.0 - 1.0 / catalog.max(1) as f64;
    // The first value with at most a share of 1/catalog of the null at or above it.
    let at = ((share * null.len() as f64).ceil() as usize).min(null.len() - 1);
    null[at]
}

/// The names a story is about: those its body introduces, and those of its title.
fn story_names(doc: &crate::Document) -> Vec<String> {
    let mut names: Vec<String> = discover_names(&doc.body);
    let known: HashSet<String> = names.iter().cloned().collect();
    for name in find_names(&doc.title, &known) {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// The relevance of a resource (its `text`, its best cosine `meaning`) to a story
/// with `names`: `0.7 · meaning + 0.3 · names` (see [`rank`]).
fn story_relevance(meaning: f32, names: &[String], text: &str) -> f64 {
    let mentioned = names.iter().filter(|n| text.contains(n.as_str())).count();
    let shared = (mentioned as f64 / 2.0).min(1.0);
    0.7 * f64::from(meaning) + 0.3 * shared
}

/// `item` with its score: a reference, so only the items listed are ever cloned.
fn ranked<T: Item>(item: &T, signals: Signals) -> Ranked<&T> {
    Ranked {
        item,
        score: signals.score(),
        signals,
    }
}

/// `ranked` in `sort` order, split into one group per level of `levels`, each item
/// into the first group it fits, each group paged (`offset`, `limit`); with the
/// number of items grouped. The reader's own level (`reader`) takes every item
/// featured at a level that suits it; another level, the items whose latest level
/// it is.
/// The page of `ranked` that `request` asks for, grouped by `levels`, for `query`
/// (trimmed), not for a story, with no floor and no note.
fn listing<T: Item>(
    ranked: Vec<Ranked<&T>>,
    levels: &[Level],
    request: &Request<'_>,
    query: Option<&str>,
) -> Listing<T> {
    let (groups, total) = group(
        ranked,
        levels,
        request.level,
        request.sort,
        request.offset,
        request.limit,
    );
    Listing {
        query: query.map(str::to_string),
        level: request.level,
        for_story: None,
        sort: request.sort,
        offset: request.offset,
        limit: request.limit,
        total,
        min_relevance: None,
        note: None,
        groups,
    }
}

fn group<T: Item>(
    mut ranked: Vec<Ranked<&T>>,
    levels: &[Level],
    reader: Option<Level>,
    sort: Sort,
    offset: usize,
    limit: usize,
) -> (Vec<LevelGroup<T>>, usize) {
    ranked.sort_by(|a, b| compare(sort, a, b));
    let fits = |item: &T, level: Level| {
        if Some(level) == reader {
            item.levels().iter().any(|l| l.suits(level))
        } else {
            item.level() == level
        }
    };
    let mut members: Vec<Vec<&Ranked<&T>>> = vec![Vec::new(); levels.len()];
    for r in &ranked {
        if let Some(at) = levels.iter().position(|&level| fits(r.item, level)) {
            members[at].push(r);
        }
    }
    let total = members.iter().map(Vec::len).sum();
    let groups = levels
        .iter()
        .zip(members)
        .map(|(&level, members)| LevelGroup {
            level,
            total: members.len(),
            items: members
                .into_iter()
                .skip(offset)
                .take(limit)
                .map(|r| Ranked {
                    item: r.item.clone(),
                    score: r.score,
                    signals: r.signals,
                })
                .collect(),
        })
        .collect();
    (groups, total)
}

/// The order of `sort`, ties broken by score, recency and then the documents' ids,
/// so a listing is the same every time and pages never overlap.
fn compare<T: Item>(sort: Sort, a: &Ranked<&T>, b: &Ranked<&T>) -> std::cmp::Ordering {
    let (fa, fb) = (a.item.featured(), b.item.featured());
    let by_score = b.score.total_cmp(&a.score);
    let by_date = fb.last_date.cmp(&fa.last_date);
    let first = match sort {
        Sort::Relevance => by_score,
        Sort::Newest => by_date,
        Sort::MostFeatured => fb.times_featured.cmp(&fa.times_featured).then(by_date),
        Sort::Title => normalize_title(a.item.title()).cmp(&normalize_title(b.item.title())),
        Sort::Shortest => a
            .item
            .minutes()
            .unwrap_or(u32::MAX)
            .cmp(&b.item.minutes().unwrap_or(u32::MAX)),
    };
    first
        .then(by_score)
        .then(by_date)
        .then_with(|| fa.doc_ids.cmp(&fb.doc_ids))
}

fn check_resource_sort(sort: Sort) -> Result<()> {
    if Sort::RESOURCES.contains(&sort) {
        return Ok(());
    }
    Err(Error::invalid(
        "sort",
        format!(
            "{sort}: only for paths; resources sort by relevance, newest, most-featured or title"
        ),
    ))
}

fn check_page(offset: usize, limit: usize) -> Result<()> {
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(Error::invalid(
            "limit",
            format!("{limit}: expected 1 to {MAX_LIMIT}"),
        ));
    }
    if offset > MAX_OFFSET {
        return Err(Error::invalid(
            "offset",
            format!("{offset}: expected 0 to {MAX_OFFSET}"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
