//! OpenAPI schemas of the engine's answers, which the server sends as the engine
//! serialises them.
//!
//! The engine has no OpenAPI dependency (it knows nothing of HTTP), so its types are
//! described here, field for field. These types are never constructed: they exist
//! for the document. The API tests compare every answer's fields with these
//! schemas, so a field added to the engine without a line here fails a test.
#![allow(dead_code)]

use utoipa::ToSchema;

/// `GET /api/search`: one page of hits and what the whole result set holds.
#[derive(ToSchema)]
#[schema(as = SearchAnswer)]
pub struct SearchAnswer {
    /// The query as given.
    query: String,
    /// The mode used: `{"type": "keyword"}`, `{"type": "semantic"}` or
    /// `{"type": "hybrid", "semantic_ratio": 0.6}`.
    #[schema(value_type = Object)]
    mode: (),
    /// The weights the word and meaning lists were fused with.
    weights: FusionWeights,
    /// Hits in the whole result set (after filters and collapsing).
    total: usize,
    /// Hits skipped before this page.
    offset: usize,
    /// The page size used.
    limit: usize,
    /// This page's hits, best first (or in date order, as asked).
    hits: Vec<SearchHit>,
    /// Facet counts over the whole result set: `sector`, `region`, `section`,
    /// `level`, `kind`, `source`, each a list of `{value, slug, count}`, most
    /// frequent first.
    #[schema(value_type = Object)]
    facets: (),
    /// Misspelt words and the archive words searched instead.
    corrections: Vec<Correction>,
    /// Names with a digit that no document holds (`Vireo-7B`), with the archive's
    /// closest names: offered ("did you mean"), never searched instead. Absent
    /// when empty.
    suggestions: Option<Vec<Correction>>,
    /// The date range read from the query's words (`last year`), applied as a
    /// filter. Absent when the query names no dates.
    dates: Option<QueryDates>,
    /// How the query was read, when that is worth saying.
    notes: Vec<String>,
}

/// A date range read from the query's words.
#[derive(ToSchema)]
pub struct QueryDates {
    /// The words it was read from (`last year`).
    text: String,
    /// The first day included (`YYYY-MM-DD`), if bounded below.
    from: Option<String>,
    /// The last day included, if bounded above.
    to: Option<String>,
}

/// The weights of the word list and the meaning list.
#[derive(ToSchema)]
pub struct FusionWeights {
    /// Weight of the keyword list.
    keyword: f64,
    /// Weight of the semantic list.
    semantic: f64,
}

/// A misspelt word and the words searched in its place.
#[derive(ToSchema)]
pub struct Correction {
    /// The word as typed.
    from: String,
    /// The archive's closest words, searched instead.
    to: Vec<String>,
}

/// One hit: a document, or the best-ranked copy of one piece of news.
#[derive(ToSchema)]
pub struct SearchHit {
    /// The document id (`2026-03-27/top/2`).
    id: String,
    /// The issue id.
    issue_id: String,
    /// The issue's date.
    #[schema(format = Date)]
    date: String,
    /// The section.
    section: String,
    /// The title, as plain text.
    title: String,
    /// The title as HTML: escaped, matched words in `<mark>`.
    title_html: String,
    /// A resource's link.
    url: Option<String>,
    /// The best sentences of the body as HTML: escaped, matched words in `<mark>`.
    snippet: String,
    /// The event the document reports.
    event_id: String,
    /// The other copies of the same news in the result set.
    copies: Vec<String>,
    /// How the hit was found and ranked: `keyword_rank`, `vector_rank`,
    /// `keyword_score`, `vector_similarity`, `fused`, `exact_title`.
    #[schema(value_type = Object)]
    score: (),
}

/// Related stories: the story asked about, its storyline, and the list.
#[derive(ToSchema)]
pub struct RelatedAnswer {
    /// The story asked about (`null` for a text).
    story: Option<StoryRefSchema>,
    /// The storyline's id, when the story is part of one.
    storyline_id: Option<String>,
    /// The storyline's steps in date order (empty when there is none).
    storyline: Vec<StoryRefSchema>,
    /// The related stories, most related first, one per piece of news.
    related: Vec<RelatedStorySchema>,
    /// Whether the list was looked up (computed at index time) rather than now.
    precomputed: bool,
}

/// A story as a timeline shows it.
#[derive(ToSchema)]
#[schema(as = StoryRef)]
pub struct StoryRefSchema {
    /// The story's id.
    id: String,
    /// Its issue's date.
    #[schema(format = Date)]
    date: String,
    /// Its title.
    title: String,
}

/// One organisation's news across weeks.
#[derive(ToSchema)]
#[schema(as = Storyline)]
pub struct StorylineSchema {
    /// A stable id: the subject's slug and the first step's date.
    id: String,
    /// The name the steps are about.
    subject: String,
    /// One story per piece of news, in date order.
    steps: Vec<StoryRefSchema>,
}

/// A related story, ready to show.
#[derive(ToSchema)]
#[schema(as = RelatedStory)]
pub struct RelatedStorySchema {
    /// The story's id.
    id: String,
    /// Its issue.
    issue_id: String,
    /// Its issue's date.
    #[schema(format = Date)]
    date: String,
    /// Its title.
    title: String,
    /// `top_story`, `sector_story` or `regional_story`.
    section: String,
    /// Relatedness, 0–1.
    score: f32,
    /// Why, in one line: `shares Lysandra Capital, Finance & Banking · 7 weeks earlier`.
    why: String,
    /// Weeks from the story asked about (negative: earlier).
    weeks_apart: i32,
    /// Names both have, rarest first.
    shared_names: Vec<String>,
    /// Sectors and regions both have.
    shared_tags: Vec<String>,
    /// Words of its headline saying the same kind of news as the text asked about
    /// (`outage`; free texts only, lower case).
    shared_kind: Vec<String>,
    /// Set when its headline (case and spacing aside) is that of the story asked
    /// about or of a story above it in the list.
    same_headline: Option<SameHeadlineSchema>,
    /// The parts of the score, each 0–1: `meaning`, `words`, `names`, `tags`,
    /// `time`, `storyline`, `kind`.
    #[schema(value_type = Object)]
    components: (),
}

/// A related story's headline seen before in the same answer.
#[derive(ToSchema)]
#[schema(as = SameHeadline)]
pub struct SameHeadlineSchema {
    /// `story` (the story asked about) or `listed` (a story above it in the list).
    relation: String,
    /// The story with that headline.
    id: String,
    /// Its position in the list, 1-based (null for the story asked about).
    rank: Option<u32>,
    /// Weeks from this story to that one (negative: that one ran earlier).
    weeks_apart: i32,
}

/// A query's matching news events, week by week.
#[derive(ToSchema)]
pub struct TrendSeries {
    /// What was counted: `term "memory shortage" · sector Tech`.
    query: String,
    /// Matching events over the whole archive.
    events: u32,
    /// Every week of the archive.
    weeks: Vec<TrendPoint>,
}

/// One week of a trend.
#[derive(ToSchema)]
pub struct TrendPoint {
    /// The ISO week, `2026-W13`.
    week: String,
    /// The Monday that starts it.
    #[schema(format = Date)]
    monday: String,
    /// Matching events.
    events: u32,
    /// All news events of the week.
    total: u32,
    /// `events / total`.
    share: f64,
}

/// Which sectors and regions a query's events carry.
#[derive(ToSchema)]
pub struct Cooccurrence {
    /// What was counted.
    query: String,
    /// Matching events over the whole archive.
    events: u32,
    /// Matching events per sector.
    sectors: std::collections::BTreeMap<String, u32>,
    /// Matching events per region.
    regions: std::collections::BTreeMap<String, u32>,
    /// The names and topics in the matching events more often than chance (at least
    /// twice), strongest association first.
    topics: Vec<CooccurringTopic>,
    /// The weeks with at least one matching event: `week`, `events`, `sectors`, `regions`.
    #[schema(value_type = Vec<Object>)]
    weeks: (),
}

/// A name or topic that appears in a query's events.
#[derive(ToSchema)]
pub struct CooccurringTopic {
    /// The topic.
    topic: String,
    /// `name`, `sector`, `region` or `phrase`.
    kind: String,
    /// The query's events that mention it.
    events: u32,
    /// The archive's events that mention it.
    topic_events: u32,
    /// (events / query events) / (topic events / all events): 1 is chance.
    lift: f64,
    /// Dunning's log-likelihood ratio of the association (above 10.8: p < 0.001).
    g2: f64,
}

/// The rising or falling topics at one week.
#[derive(ToSchema)]
pub struct TopicRanking {
    /// The week ranked, `2026-W13`.
    week: String,
    /// The recent window's first week.
    recent_from: String,
    /// The baseline window's first week.
    baseline_from: String,
    /// The topics, strongest first.
    topics: Vec<RankedTopic>,
}

/// A topic that moved.
#[derive(ToSchema)]
pub struct RankedTopic {
    /// `name`, `sector`, `region` or `phrase`.
    kind: String,
    /// The topic.
    name: String,
    /// Signed z-score: positive rising, negative falling, about ±2 notable.
    score: f64,
    /// `rising`, `falling` or `steady`.
    direction: String,
    /// Share of the recent window's events.
    recent_rate: f64,
    /// Share of the baseline window's events.
    baseline_rate: f64,
    /// Mentions in the recent window.
    recent_count: f64,
    /// Mentions in the baseline window.
    baseline_count: f64,
    /// Recent rate over baseline rate, smoothed.
    rate_ratio: f64,
    /// Other topics with the same weekly counts (the same stories), shown once
    /// (absent when none).
    also: Option<Vec<String>>,
    /// Other ways the archive writes this topic, folded into it (absent when none).
    variants: Option<Vec<String>>,
    /// The evidence: the topic's events in each week of both windows, oldest first.
    weekly: Vec<WeekCount>,
}

/// A topic's events in one week.
#[derive(ToSchema)]
pub struct WeekCount {
    /// The ISO week.
    week: String,
    /// Events mentioning the topic.
    events: u32,
    /// All news events of the week.
    total: u32,
}

/// A topic's burst of attention.
#[derive(ToSchema)]
pub struct TopicBurst {
    /// The topic, or the query's label for a query's own bursts.
    topic: String,
    /// `name`, `sector`, `region` or `phrase` (null for a query's own bursts).
    kind: Option<String>,
    /// The first week of the burst.
    start: String,
    /// The last week of the burst (inclusive).
    end: String,
    /// The week with the most events.
    peak: String,
    /// Weeks it lasted.
    weeks: usize,
    /// The events mentioning the topic during the burst.
    events: u32,
    /// Kleinberg's weight: larger is a stronger burst.
    weight: f64,
    /// Other ways the archive writes the topic (absent when none).
    variants: Option<Vec<String>>,
}

/// One week of the archive.
#[derive(ToSchema)]
pub struct ArchiveWeek {
    /// The ISO week, `2026-W13`.
    week: String,
    /// Its Monday.
    #[schema(format = Date)]
    monday: String,
    /// The issues dated in it.
    issues: Vec<String>,
    /// Distinct news events in it.
    events: u32,
}

/// Learning resources grouped by level, each group ranked.
#[derive(ToSchema)]
pub struct ResourceListing {
    /// The query, if any.
    query: Option<String>,
    /// The reader's level, if given.
    level: Option<String>,
    /// The story the listing is for (`for`), if any.
    for_story: Option<StoryRefSchema>,
    /// The order of each group: `relevance`, `newest`, `most-featured`, `title`.
    sort: String,
    /// Items skipped at the start of each group.
    offset: usize,
    /// Most items per group.
    limit: usize,
    /// Items in all the groups before paging (each item is in one group).
    total: usize,
    /// For a story (`for`): the least relevance a resource needs to be listed, measured on the index.
    min_relevance: Option<f64>,
    /// For a story: why nothing is listed (`no resource is close enough to this story`).
    note: Option<String>,
    /// One group per level: `{level, total, items}`.
    groups: Vec<ResourceGroup>,
}

/// The resources of one level.
#[derive(ToSchema)]
pub struct ResourceGroup {
    /// `Beginner`, `Intermediate`, `Advanced` or `All`.
    level: String,
    /// How many resources the group has in all, before paging.
    total: usize,
    /// The resources of this page, in the listing's order.
    items: Vec<ResourceItem>,
}

/// A resource, once per work (same normalised title or URL), with every level and
/// URL it was featured under, when it was featured, and its score.
#[derive(ToSchema)]
pub struct ResourceItem {
    /// The URL of the latest featuring.
    url: String,
    /// Every URL it was featured under, in the order first featured.
    urls: Vec<String>,
    /// The title (the latest featuring's).
    title: String,
    /// The description.
    description: String,
    /// The level of the latest featuring.
    level: String,
    /// Every level it was featured at (`Beginner`, `Intermediate`, `Advanced`, `All`).
    levels: Vec<String>,
    /// What it is (`Tool`, `Paper`, …).
    kind: Option<String>,
    /// The first ISO week it was featured.
    first_week: String,
    /// The last ISO week it was featured.
    last_week: String,
    /// The first issue's date.
    #[schema(format = Date)]
    first_date: String,
    /// The last issue's date.
    #[schema(format = Date)]
    last_date: String,
    /// How many issues featured it.
    times_featured: u32,
    /// The issues that featured it, oldest first.
    issues: Vec<String>,
    /// Its documents, one per featuring.
    doc_ids: Vec<String>,
    /// The ranking score.
    score: f64,
    /// Its parts: `relevance` (0–1 or null), `recency`, `frequency`.
    #[schema(value_type = Object)]
    signals: (),
}

/// Learning paths grouped by level, each group ranked.
#[derive(ToSchema)]
pub struct PathListing {
    /// The query, if any.
    query: Option<String>,
    /// The reader's level, if given.
    level: Option<String>,
    /// Always null for paths.
    for_story: Option<StoryRefSchema>,
    /// The order of each group: `relevance`, `newest`, `most-featured`, `title`, `shortest`.
    sort: String,
    /// Items skipped at the start of each group.
    offset: usize,
    /// Most items per group.
    limit: usize,
    /// Items in all the groups before paging (each item is in one group).
    total: usize,
    /// Always null for paths.
    min_relevance: Option<f64>,
    /// Always null for paths.
    note: Option<String>,
    /// One group per level.
    groups: Vec<PathGroup>,
}

/// The learning paths of one level.
#[derive(ToSchema)]
pub struct PathGroup {
    /// The level.
    level: String,
    /// How many paths the group has in all, before paging.
    total: usize,
    /// The paths of this page, in the listing's order.
    items: Vec<PathItem>,
}

/// A learning path, once per content.
#[derive(ToSchema)]
pub struct PathItem {
    /// The title.
    title: String,
    /// The level.
    level: String,
    /// The steps, in order.
    steps: Vec<PathStepSchema>,
    /// The minutes of all the steps.
    total_minutes: u32,
    /// What the reader can do after it (`After this: …`).
    outcome: String,
    /// The first ISO week it was featured.
    first_week: String,
    /// The last ISO week it was featured.
    last_week: String,
    /// The first issue's date.
    #[schema(format = Date)]
    first_date: String,
    /// The last issue's date.
    #[schema(format = Date)]
    last_date: String,
    /// How many issues featured it.
    times_featured: u32,
    /// The issues that featured it.
    issues: Vec<String>,
    /// Its documents.
    doc_ids: Vec<String>,
    /// The ranking score.
    score: f64,
    /// Its parts: `relevance`, `recency`, `frequency`.
    #[schema(value_type = Object)]
    signals: (),
}

/// One step of a learning path.
#[derive(ToSchema)]
#[schema(as = PathStep)]
pub struct PathStepSchema {
    /// The step number, from 1.
    n: u32,
    /// What to do.
    text: String,
    /// How long it takes, in minutes.
    minutes: u32,
    /// Where to do it.
    url: String,
}
