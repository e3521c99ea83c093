//! What was planted in the archive, so search, related stories and trends can be
//! scored against the truth: written as `ground_truth.json` beside the issues.
//!
//! Field order is the JSON key order, and every list is in a fixed order (entities by
//! kind then name, storylines by first date, events by issue then rank, trends by
//! shape then term), so the same seed always writes the same bytes.

use backissue_issue::{Date, Sector};
use serde::{Deserialize, Serialize};

pub use crate::event::EventKind;
pub use crate::plan::trend::Shape;

/// Everything planted in a generated archive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroundTruth {
    /// The seed the archive was generated from.
    pub seed: u64,
    /// The first issue's date.
    pub start: Date,
    /// How many weekly issues there are.
    pub weeks: u32,
    /// The organisations, products and people that appear in the archive.
    pub entities: Vec<Entity>,
    /// News about one organisation followed across several weeks.
    pub storylines: Vec<Storyline>,
    /// Every piece of news that appears in more than one document of its issue.
    pub events: Vec<PlantedEvent>,
    /// Topic phrases whose weekly mentions follow a planted shape.
    pub trends: Vec<Trend>,
}

/// An organisation, product or person the archive writes about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    /// The name as the issues write it: `Veridian Labs`, `Kestrel-7B`, `Maya Lindqvist`.
    pub name: String,
    /// What it is.
    pub kind: EntityKind,
    /// The sector it belongs to.
    pub sector: Sector,
    /// For a product or a person, the organisation it belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
}

/// What an entity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    /// A company, lab or institution.
    Organisation,
    /// A model, chip or platform.
    Product,
    /// A named person.
    Person,
}

/// One organisation's news across weeks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Storyline {
    /// A stable id: the organisation's slug and the first step's date.
    pub id: String,
    /// What the storyline is about: `Veridian Labs: raise, launch and lawsuit`.
    pub title: String,
    /// The organisation every step names.
    pub entity: String,
    /// The steps, in date order, each in a different week.
    pub steps: Vec<StorylineStep>,
}

/// One step of a storyline: a top story and its copies in one issue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StorylineStep {
    /// The issue's date.
    pub date: Date,
    /// The issue's id.
    pub issue_id: String,
    /// The step's documents: the top story first, then its copies.
    pub event_doc_ids: Vec<String>,
    /// What happened.
    pub kind: EventKind,
}

/// One piece of news that appears in several documents of one issue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlantedEvent {
    /// The issue's id.
    pub issue_id: String,
    /// The documents: the top story first, then sector, regional and resource copies.
    pub doc_ids: Vec<String>,
    /// The organisation every document names.
    pub entity: String,
    /// What happened.
    pub kind: EventKind,
    /// The storyline it is a step of, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storyline: Option<String>,
}

/// A planted trend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trend {
    /// The phrase, as the stories write it: `sovereign compute`.
    pub term: String,
    /// How its weekly intensity moves.
    pub shape: Shape,
    /// The sector its stories lean toward.
    pub sector: Sector,
    /// Every week of the archive, with the number of events that mention the phrase.
    pub weekly: Vec<TrendWeek>,
    /// For a rising trend: the weeks where it climbs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rising_weeks: Option<Vec<Date>>,
    /// For a fading trend: the weeks where it falls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fading_weeks: Option<Vec<Date>>,
    /// For a burst: the weeks it is active.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_weeks: Option<Vec<Date>>,
}

impl Trend {
    /// The weeks where the trend rises, fades or bursts, whatever its shape.
    pub fn key_weeks(&self) -> &[Date] {
        self.rising_weeks
            .as_deref()
            .or(self.fading_weeks.as_deref())
            .or(self.active_weeks.as_deref())
            .unwrap_or(&[])
    }

    /// The planted intensity in the week of `date`, if the archive has that week.
    pub fn intensity_on(&self, date: Date) -> Option<u32> {
        self.weekly
            .iter()
            .find(|week| week.date == date)
            .map(|week| week.intensity)
    }
}

/// One week of a trend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrendWeek {
    /// The issue's date.
    pub date: Date,
    /// The ISO week: `2025-W02`.
    pub iso_week: String,
    /// How many events mention the phrase that week.
    pub intensity: u32,
}

/// Builds the ground truth from the plan and the written issues.
pub(crate) fn build(
    config: &crate::Config,
    plan: &crate::plan::Plan,
    written: &[crate::assemble::Written],
) -> GroundTruth {
    use std::collections::BTreeSet;

    let cast = &plan.cast;
    let mentioned: BTreeSet<_> = written
        .iter()
        .flat_map(|w| w.mentioned.iter().copied())
        .collect();
    let mut entities: Vec<Entity> = mentioned
        .into_iter()
        .map(|(org, kind)| {
            let org = &cast.orgs[org];
            let (name, organisation) = match kind {
                EntityKind::Organisation => (org.name.clone(), None),
                EntityKind::Product => (org.product.name.clone(), Some(org.name.clone())),
                EntityKind::Person => (org.person.name.clone(), Some(org.name.clone())),
            };
            Entity {
                name,
                kind,
                sector: org.sector.clone(),
                organisation,
            }
        })
        .collect();
    entities.sort_by(|a, b| (a.kind, &a.name).cmp(&(b.kind, &b.name)));

    let events = written
        .iter()
        .flat_map(|w| w.events.iter().map(move |e| (w, e)))
        .filter(|(_, e)| e.doc_ids.len() >= 2)
        .map(|(w, e)| PlantedEvent {
            issue_id: w.issue.id.clone(),
            doc_ids: e.doc_ids.clone(),
            entity: cast.orgs[e.org].name.clone(),
            kind: e.kind,
            storyline: e.step.map(|(s, _)| plan.storylines[s].id.clone()),
        })
        .collect();

    let storylines = plan
        .storylines
        .iter()
        .enumerate()
        .map(|(s, storyline)| Storyline {
            id: storyline.id.clone(),
            title: storyline.title.clone(),
            entity: cast.orgs[storyline.org].name.clone(),
            steps: storyline
                .steps
                .iter()
                .enumerate()
                .map(|(k, step)| {
                    let week = &written[step.week];
                    let doc_ids = week
                        .events
                        .iter()
                        .find(|e| e.step == Some((s, k)))
                        .map(|e| e.doc_ids.clone())
                        .unwrap_or_default();
                    StorylineStep {
                        date: week.issue.date,
                        issue_id: week.issue.id.clone(),
                        event_doc_ids: doc_ids,
                        kind: step.kind,
                    }
                })
                .collect(),
        })
        .collect();

    let mut trends: Vec<Trend> = plan
        .trends
        .iter()
        .map(|trend| {
            let date_of = |week: usize| written[week].issue.date;
            let key: Vec<Date> = trend.key_weeks.iter().map(|&w| date_of(w)).collect();
            Trend {
                term: trend.term.to_string(),
                shape: trend.shape,
                sector: trend.sector.clone(),
                weekly: trend
                    .intensity
                    .iter()
                    .enumerate()
                    .map(|(week, &intensity)| TrendWeek {
                        date: date_of(week),
                        iso_week: date_of(week).iso_week().to_string(),
                        intensity,
                    })
                    .collect(),
                rising_weeks: (trend.shape == Shape::Rising).then(|| key.clone()),
                fading_weeks: (trend.shape == Shape::Fading).then(|| key.clone()),
                active_weeks: (trend.shape == Shape::Burst).then_some(key),
            }
        })
        .collect();
    trends.sort_by(|a, b| (a.shape, &a.term).cmp(&(b.shape, &b.term)));

    GroundTruth {
        seed: config.seed,
        start: config.start,
        weeks: written.len() as u32,
        entities,
        storylines,
        events,
        trends,
    }
}
