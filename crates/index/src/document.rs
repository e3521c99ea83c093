//! Documents: the searchable units an issue splits into.
//!
//! Search, related stories and trends all work on documents, never on whole issues: a
//! reader looks for a story, not for the week it appeared in. Each document keeps the
//! facets of the place it came from (the brief's sector, the watch's region, a
//! resource's level) so filters need no second look at the issue.

use std::fmt;
use std::str::FromStr;

use backissue_issue::{
    id, Date, IsoWeek, Issue, Level, PathStep, Region, ResourceKind, Sector, Source, SourcedStory,
};
use serde::{Deserialize, Serialize};

/// Where in an issue a document comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Section {
    /// A ranked top story (`2026-03-27/top/2`).
    TopStory,
    /// A story of a sector brief (`2026-03-27/finance-banking/1`).
    SectorStory,
    /// A story of the regional watch (`2026-03-27/india-watch/3`).
    RegionalStory,
    /// An insight (`2026-03-27/insight/4`).
    Insight,
    /// A sector brief's hidden signal, or the regional watch's signal.
    HiddenSignal,
    /// A learning resource (`2026-03-27/resource/7`).
    Resource,
    /// A learning path (`2026-03-27/path/beginner`).
    LearningPath,
}

impl Section {
    /// Every section, in issue order.
    pub const ALL: [Section; 7] = [
        Section::TopStory,
        Section::SectorStory,
        Section::RegionalStory,
        Section::Insight,
        Section::HiddenSignal,
        Section::Resource,
        Section::LearningPath,
    ];

    /// The section as serialised and indexed: `top_story`, `sector_story`, …
    pub fn as_str(self) -> &'static str {
        match self {
            Section::TopStory => "top_story",
            Section::SectorStory => "sector_story",
            Section::RegionalStory => "regional_story",
            Section::Insight => "insight",
            Section::HiddenSignal => "hidden_signal",
            Section::Resource => "resource",
            Section::LearningPath => "learning_path",
        }
    }

    /// Whether documents of this section are news that can be reported in several
    /// places of one issue (and so grouped into one event).
    pub fn is_story(self) -> bool {
        matches!(
            self,
            Section::TopStory | Section::SectorStory | Section::RegionalStory
        )
    }
}

/// The bodies of the news stories of `docs`, where an archive's names are discovered
/// ([`backissue_text::phrases::discover_vocabulary`]).
pub fn news_bodies(docs: &[Document]) -> impl Iterator<Item = &str> {
    docs.iter()
        .filter(|d| d.section.is_story())
        .map(|d| d.body.as_str())
}

impl fmt::Display for Section {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Section {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Section::ALL
            .into_iter()
            .find(|s| s.as_str() == text)
            .ok_or_else(|| {
                format!(
                    "unknown section {text:?}: expected one of {}",
                    Section::ALL.map(Section::as_str).join(", ")
                )
            })
    }
}

/// One searchable unit of an issue, with everything search needs to filter and show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// The stable id: `2026-03-27/top/2`.
    pub id: String,
    /// The issue's id (`2026-03-27`).
    pub issue_id: String,
    /// The issue's date.
    pub date: Date,
    /// The issue's ISO week.
    pub week: IsoWeek,
    /// Where in the issue it comes from.
    pub section: Section,
    /// The title (for signals: `Healthcare Hidden Signal`, `India Signal`).
    pub title: String,
    /// The text: summary, paragraph, description, or a path's steps and outcome.
    pub body: String,
    /// Sector tags: a top story's tags, or the sector of the brief it comes from.
    pub sectors: Vec<Sector>,
    /// Region tags: a top story's tags, or the region of the watch it comes from.
    pub regions: Vec<Region>,
    /// The skill level of a resource or learning path.
    pub level: Option<Level>,
    /// What a resource is (`Tool`, `Article`, …).
    pub kind: Option<ResourceKind>,
    /// The publication a sector or regional story comes from.
    pub source: Option<Source>,
    /// A resource's link.
    pub url: Option<String>,
    /// A top story's editor score, 0–100.
    pub score: Option<u8>,
    /// A learning path's steps, each with its number, text, minutes and link (the
    /// body holds their text only, which is what is searched and embedded).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<PathStep>,
    /// The event the document belongs to: the id of the event's top story if it has
    /// one, else of its first document (see [`crate::event`]).
    pub event_id: String,
}

/// A story as a list or a timeline shows it: its id, date and title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoryRef {
    /// The story's id.
    pub id: String,
    /// Its issue's date.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub date: Date,
    /// Its title.
    pub title: String,
}

impl Document {
    /// This document as a list or a timeline shows it.
    pub fn story_ref(&self) -> StoryRef {
        StoryRef {
            id: self.id.clone(),
            date: self.date,
            title: self.title.clone(),
        }
    }
}

#[cfg(any(test, feature = "testing"))]
impl Document {
    /// For unit tests: top story `n` of issue `issue` (a date), its own event.
    pub fn test_story(issue: &str, n: usize, title: &str, body: &str) -> Document {
        let date: backissue_issue::Date = issue.parse().expect("a date");
        let id = format!("{issue}/top/{n}");
        Document {
            id: id.clone(),
            issue_id: issue.to_string(),
            date,
            week: date.iso_week(),
            section: Section::TopStory,
            title: title.to_string(),
            body: body.to_string(),
            sectors: Vec::new(),
            regions: Vec::new(),
            level: None,
            kind: None,
            source: None,
            url: None,
            score: Some(50),
            steps: Vec::new(),
            event_id: id,
        }
    }
}

impl Document {
    /// The text that is embedded: title, a line break, body.
    pub fn embedding_text(&self) -> String {
        format!("{}\n{}", self.title, self.body)
    }

    /// The brief or watch a sector or regional story belongs to (`finance-banking`,
    /// `india-watch`), `top` for a top story; `None` for other sections.
    pub fn story_group(&self) -> Option<&str> {
        if !self.section.is_story() {
            return None;
        }
        let rest = self.id.strip_prefix(&self.issue_id)?.strip_prefix('/')?;
        rest.split('/').next()
    }
}

/// Splits an issue into its documents, in issue order, each its own event
/// ([`crate::event::split_issue`] groups those that report the same news).
pub fn documents(issue: &Issue) -> Vec<Document> {
    let mut docs = Vec::new();
    let base = Base::of(issue);
    for story in &issue.top_stories {
        let mut doc = base.doc(
            id::top_story(&issue.id, story.rank),
            Section::TopStory,
            &story.title,
            &story.summary,
        );
        doc.sectors = story.sectors.clone();
        doc.regions = story.regions.clone();
        doc.score = Some(story.score);
        docs.push(doc);
    }
    for (n, insight) in issue.insights.iter().enumerate() {
        docs.push(base.doc(
            id::insight(&issue.id, n + 1),
            Section::Insight,
            &insight.title,
            &insight.body,
        ));
    }
    for brief in &issue.sector_briefs {
        let stories = brief.stories.iter().enumerate().map(|(n, story)| {
            let id = id::sector_story(&issue.id, &brief.sector, n + 1);
            (
                base.doc(id, Section::SectorStory, &story.title, &story.body),
                story,
            )
        });
        let signal = base.doc(
            id::hidden_signal(&issue.id, &brief.sector),
            Section::HiddenSignal,
            &format!("{} Hidden Signal", brief.sector),
            &brief.hidden_signal,
        );
        push_group(&mut docs, stories, signal, |doc| {
            doc.sectors = vec![brief.sector.clone()]
        });
    }
    for (n, resource) in issue.resources.iter().enumerate() {
        let mut doc = base.doc(
            id::resource(&issue.id, n + 1),
            Section::Resource,
            &resource.title,
            &resource.description,
        );
        doc.level = Some(resource.level);
        doc.kind = Some(resource.kind.clone());
        doc.url = Some(resource.url.clone());
        docs.push(doc);
    }
    let mut seen_levels: Vec<Level> = Vec::new();
    for path in &issue.learning_paths {
        seen_levels.push(path.level);
        let nth = seen_levels.iter().filter(|&&l| l == path.level).count();
        let mut body: Vec<String> = path
            .steps
            .iter()
            .map(|step| format!("{}. {}", step.n, step.text))
            .collect();
        body.push(format!("After this: {}", path.outcome));
        let mut doc = base.doc(
            id::learning_path(&issue.id, path.level, nth),
            Section::LearningPath,
            &path.title,
            &body.join("\n"),
        );
        doc.level = Some(path.level);
        doc.steps = path.steps.clone();
        docs.push(doc);
    }
    if let Some(watch) = &issue.regional_watch {
        let stories = watch.stories.iter().enumerate().map(|(n, story)| {
            let id = id::regional_story(&issue.id, &watch.region, n + 1);
            (
                base.doc(id, Section::RegionalStory, &story.title, &story.body),
                story,
            )
        });
        let signal = base.doc(
            id::regional_signal(&issue.id, &watch.region),
            Section::HiddenSignal,
            &format!("{} Signal", watch.region),
            &watch.signal,
        );
        push_group(&mut docs, stories, signal, |doc| {
            doc.regions = vec![watch.region.clone()]
        });
    }
    docs
}

/// Pushes a sector brief's or a regional watch's sourced stories, each with its
/// source, then the group's closing signal, every one tagged by `tag` (the brief's
/// sector, the watch's region).
fn push_group<'s>(
    docs: &mut Vec<Document>,
    stories: impl Iterator<Item = (Document, &'s SourcedStory)>,
    signal: Document,
    tag: impl Fn(&mut Document),
) {
    for (mut doc, story) in stories {
        tag(&mut doc);
        doc.source = Some(story.source.clone());
        docs.push(doc);
    }
    let mut signal = signal;
    tag(&mut signal);
    docs.push(signal);
}

/// What every document of one issue shares.
struct Base<'a> {
    issue_id: &'a str,
    date: Date,
    week: IsoWeek,
}

impl<'a> Base<'a> {
    fn of(issue: &'a Issue) -> Self {
        Base {
            issue_id: &issue.id,
            date: issue.date,
            week: issue.date.iso_week(),
        }
    }

    fn doc(&self, id: String, section: Section, title: &str, body: &str) -> Document {
        Document {
            event_id: id.clone(),
            id,
            issue_id: self.issue_id.to_string(),
            date: self.date,
            week: self.week,
            section,
            title: title.to_string(),
            body: body.to_string(),
            sectors: Vec::new(),
            regions: Vec::new(),
            level: None,
            kind: None,
            source: None,
            url: None,
            score: None,
            steps: Vec::new(),
        }
    }
}

/// Test data shared with the crates that build on this one (feature `testing`).
#[cfg(any(test, feature = "testing"))]
pub mod fixtures {
    use std::path::PathBuf;

    use backissue_issue::Issue;

    /// The real issue, read from the shared seeds folder (never copied into the repo).
    pub fn seed_issue() -> Issue {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/seeds/000_85727bfc0b3f4d6f.txt");
        backissue_issue::parse_file(&path).expect("the seed issue parses")
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::fixtures::seed_issue;
    use super::*;

    #[test]
    fn the_seed_splits_into_documents_per_section() {
        let docs = documents(&seed_issue());
        let mut counts: BTreeMap<Section, usize> = BTreeMap::new();
        for doc in &docs {
            *counts.entry(doc.section).or_default() += 1;
        }
        assert_eq!(counts[&Section::TopStory], 20);
        assert_eq!(counts[&Section::Insight], 6);
        assert_eq!(counts[&Section::SectorStory], 18);
        assert_eq!(
            counts[&Section::HiddenSignal],
            7,
            "6 briefs + the India signal"
        );
        assert_eq!(counts[&Section::Resource], 12);
        assert_eq!(counts[&Section::LearningPath], 3);
        assert_eq!(counts[&Section::RegionalStory], 3);
        assert_eq!(docs.len(), 69);
        let ids: std::collections::HashSet<&str> = docs.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids.len(), docs.len(), "ids are unique");
    }

    #[test]
    fn seed_documents_carry_ids_and_facets() {
        let docs = documents(&seed_issue());
        let by_id = |id: &str| {
            docs.iter()
                .find(|d| d.id == id)
                .unwrap_or_else(|| panic!("{id}"))
        };

        let top = by_id("2026-03-27/top/2");
        assert_eq!(top.score, Some(92));
        assert_eq!(top.sectors, vec![Sector::FinanceBanking, Sector::Tech]);
        assert_eq!(top.regions, vec![Region::Global, Region::Us, Region::Japan]);
        assert_eq!(
            top.week,
            IsoWeek {
                year: 2026,
                week: 13
            }
        );

        let story = by_id("2026-03-27/finance-banking/1");
        assert_eq!(story.sectors, vec![Sector::FinanceBanking]);
        assert_eq!(story.source, Some(Source::TechCrunch));
        assert_eq!(story.story_group(), Some("finance-banking"));

        let signal = by_id("2026-03-27/healthcare/signal");
        assert_eq!(signal.section, Section::HiddenSignal);
        assert_eq!(signal.title, "Healthcare Hidden Signal");

        let india = by_id("2026-03-27/india-watch/signal");
        assert_eq!(india.regions, vec![Region::India]);
        assert_eq!(india.title, "India Signal");
        assert_eq!(
            by_id("2026-03-27/india-watch/3").story_group(),
            Some("india-watch")
        );

        let resource = by_id("2026-03-27/resource/7");
        assert_eq!(resource.level, Some(Level::Advanced));
        assert_eq!(resource.kind, Some(ResourceKind::Article));
        assert!(resource.url.as_deref().unwrap().contains("async-rl"));

        let path = by_id("2026-03-27/path/beginner");
        assert_eq!(path.section, Section::LearningPath);
        assert!(path.body.starts_with("1. Read the State of Open Source"));
        assert!(path.body.ends_with("community acceptance."));
        assert!(path.body.contains("\nAfter this: Understand"));
        // Each step keeps its minutes and link beside the text the body holds.
        assert_eq!(path.steps.len(), path.body.lines().count() - 1);
        assert!(path
            .steps
            .iter()
            .all(|s| s.minutes > 0 && s.url.starts_with("https://")));
        assert_eq!(path.steps[0].n, 1);
        assert!(path.steps[0]
            .text
            .starts_with("Read the State of Open Source"));
        assert_eq!(
            by_id("2026-03-27/insight/4").title,
            "Diffusion LLMs Perform In-Place Error Correction"
        );
    }

    #[test]
    fn sections_serialise_in_snake_case() {
        assert_eq!(
            serde_json::to_string(&Section::TopStory).unwrap(),
            "\"top_story\""
        );
        for section in Section::ALL {
            assert_eq!(section.as_str().parse::<Section>(), Ok(section));
        }
        assert!("story".parse::<Section>().is_err());
    }
}
