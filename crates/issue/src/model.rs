//! The typed issue: one struct per block of the text format (see `FORMAT.md`).
//!
//! Field names are the JSON contract of `backissue parse --json` (DESIGN.md), so
//! renaming a field here is a breaking change for everyone who reads that output.

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::vocab::{Level, Region, ResourceKind, Sector, Source};

/// One issue of the newsletter, as parsed from its text file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issue {
    /// The issue's stable id: its date (`2026-03-27`), or the sidecar's `id`.
    pub id: String,
    /// The issue's date.
    pub date: Date,
    /// Where the date came from.
    pub date_source: DateSource,
    /// The masthead's headline.
    pub headline: String,
    /// The masthead's summary paragraph.
    pub summary: String,
    /// The ranked top stories (at least one).
    pub top_stories: Vec<TopStory>,
    /// The insights, in issue order.
    #[serde(default)]
    pub insights: Vec<Insight>,
    /// The sector briefs, in issue order.
    #[serde(default)]
    pub sector_briefs: Vec<SectorBrief>,
    /// The learning resources, in issue order.
    #[serde(default)]
    pub resources: Vec<Resource>,
    /// The learning paths, in issue order.
    #[serde(default)]
    pub learning_paths: Vec<LearningPath>,
    /// The regional watch, when the issue has one.
    #[serde(default)]
    pub regional_watch: Option<RegionalWatch>,
    /// The closing paragraph, when the issue has one.
    #[serde(default)]
    pub closing: Option<String>,
    /// The trend indicators at the end of the issue.
    #[serde(default)]
    pub trend_indicators: Vec<TrendIndicator>,
    /// What the parser accepted but wants a person to look at (unknown tags, …).
    #[serde(default)]
    pub warnings: Vec<Warning>,
}

/// How an issue's date was resolved (FORMAT.md, "The issue's date").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateSource {
    /// A `YYYY-MM-DD` in the file name.
    FileName,
    /// A `x.meta.json` or `x.meta.toml` sidecar beside the file.
    Sidecar,
    /// Inferred: the latest `/YYYY/MM/DD/` date in the issue's URLs.
    InferredFromUrls,
    /// Given by the caller (for text that has no file).
    Given,
}

/// A ranked top story (`#N`, title, summary, tag run, score).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopStory {
    /// The 1-based rank.
    pub rank: u32,
    /// The title.
    pub title: String,
    /// The one-paragraph summary.
    pub summary: String,
    /// The sector tags.
    pub sectors: Vec<Sector>,
    /// The region tags.
    pub regions: Vec<Region>,
    /// The editor's score, 0–100.
    pub score: u8,
}

/// An insight: a titled paragraph with the minute mark of the talk it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Insight {
    /// The title.
    pub title: String,
    /// The paragraph.
    pub body: String,
    /// The minute mark (`~15min` → 15).
    pub minute: u32,
}

/// A sector brief: headline, stats, sourced stories and a hidden signal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectorBrief {
    /// The sector the brief covers.
    pub sector: Sector,
    /// The brief's sub-headline.
    pub headline: String,
    /// The brief's stats (`$40B` / `SoftBank loan signaling OpenAI IPO`).
    pub stats: Vec<Stat>,
    /// The brief's stories.
    pub stories: Vec<SourcedStory>,
    /// The hidden-signal paragraph.
    pub hidden_signal: String,
}

/// A stat: a short value and what it measures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stat {
    /// The value as written (`$10-14B`, `v0.5.0`, `2,000`).
    pub value: String,
    /// What the value measures.
    pub label: String,
}

/// A story with its source, in a sector brief or a regional watch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourcedStory {
    /// The title.
    pub title: String,
    /// The paragraph.
    pub body: String,
    /// The publication it comes from.
    pub source: Source,
}

/// A learning resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resource {
    /// The skill level it suits.
    pub level: Level,
    /// What it is (`Tool`, `Article`, `Paper`, …).
    pub kind: ResourceKind,
    /// The title.
    pub title: String,
    /// The one-line description.
    pub description: String,
    /// Where it is.
    pub url: String,
}

/// A learning path: ordered steps with durations, and the outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LearningPath {
    /// The skill level it is for.
    pub level: Level,
    /// The path's title.
    pub title: String,
    /// The steps, numbered from 1.
    pub steps: Vec<PathStep>,
    /// What the reader can do after it (`After this: …`).
    pub outcome: String,
}

/// One step of a learning path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PathStep {
    /// The step number (1-based).
    pub n: u32,
    /// What to do.
    pub text: String,
    /// How long it takes, in minutes.
    pub minutes: u32,
    /// Where to do it.
    pub url: String,
}

/// A regional watch (`INDIA AI WATCH`): summary, sourced stories, and the region's signal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionalWatch {
    /// The region watched.
    pub region: Region,
    /// The one-line summary.
    pub summary: String,
    /// The stories.
    pub stories: Vec<SourcedStory>,
    /// The signal paragraph (`India Signal`).
    pub signal: String,
}

/// A trend indicator: a piece of evidence and the theme it supports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrendIndicator {
    /// The evidence (`$26M land offer rejected`).
    pub evidence: String,
    /// The theme (`Community Resistance to AI Buildout`).
    pub theme: String,
}

/// Something the parser accepted but a person should look at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// The 1-based line it concerns.
    pub line: usize,
    /// The block being read.
    pub block: crate::Block,
    /// What was odd.
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}: {}", self.line, self.block, self.message)
    }
}
