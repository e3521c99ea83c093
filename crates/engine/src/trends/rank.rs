//! Rising, falling and bursting topics of the topic table.
//!
//! Rising and falling use [`crate::analytics::rank_rising`] and
//! [`crate::analytics::rank_falling`] (signed-root likelihood ratio of the last
//! `recent_weeks` against the `baseline_weeks` before, on shares of the weeks'
//! events; see that module). Only the weeks the windows cover are handed over, so
//! ranking every topic of the archive costs a few milliseconds.
//!
//! Bursts use [`crate::analytics::detect_bursts`]: Kleinberg's two-state automaton
//! over the whole archive, a burst state `s` times the topic's usual share, entered at
//! a cost of `gamma · ln(weeks)` ([`DEFAULT_BURST`] says why `s = 3, γ = 0.5`).
//! `trends bursts` ranks every topic's bursts by Kleinberg's weight (how much better
//! the burst state explains those weeks).

use serde::{Deserialize, Serialize};

use super::topics::{Topic, TopicKind, TopicTable};
use super::weeks::ArchiveWeeks;
use crate::analytics::{
    detect_bursts, rank_falling, rank_rising, BurstParams, RisingParams, TopicChange, WeeklySeries,
};
use crate::error::{Error, Result};

/// The windows `trends rising` and `trends falling` use by default: the last 4 weeks
/// against the 26 before. Half a year of baseline lets a new topic stand out against
/// a long quiet history while the week-to-week churn of common phrases averages out;
/// on the sample archive it ranks every planted rising trend in the top 3 from its
/// third rising week on (the analytics' own default baseline, 12 weeks, drops one to
/// 5th place late in its rise).
pub const DEFAULT_RISING: RisingParams = RisingParams {
    recent_weeks: 4,
    baseline_weeks: 26,
    min_support: 2.0,
    prior: 1.0,
};

/// The automaton `trends bursts` uses by default: `s = 3`, `γ = 0.5`.
///
/// Topics are sparse (a few events a week at most), and a burst must pay its entry
/// cost `γ · ln(weeks)` with `ln s` per mention. With the analytics' general-purpose
/// `s = 2, γ = 1`, a burst on a two-year archive needs about seven mentions, so the
/// short bursts analysts ask about (three to six events in one to three otherwise
/// quiet weeks) go unseen; `s = 3, γ = 0.5` finds them from three mentions in a week.
pub const DEFAULT_BURST: BurstParams = BurstParams { s: 3.0, gamma: 0.5 };

/// A topic that moved, with the week it was ranked at.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RankedTopic {
    /// Name or phrase.
    pub kind: TopicKind,
    /// The change (its `name` is the topic's text).
    #[serde(flatten)]
    pub change: TopicChange,
}

/// The rising or falling topics at one week.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopicRanking {
    /// The week ranked, `2026-W13`.
    pub week: String,
    /// The recent window's first week.
    pub recent_from: String,
    /// The baseline window's first week.
    pub baseline_from: String,
    /// The topics, strongest first.
    pub topics: Vec<RankedTopic>,
}

/// Which way to rank.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Movement {
    /// Rising topics, strongest rise first.
    Rising,
    /// Falling topics, steepest fall first.
    Falling,
}

/// The `limit` topics of `table` moving most in `movement`'s direction at week `week`.
pub fn rank_topics(
    table: &TopicTable,
    week: usize,
    movement: Movement,
    limit: usize,
    params: &RisingParams,
) -> Result<TopicRanking> {
    params.validate().map_err(invalid)?;
    let weeks = &table.weeks;
    if week >= weeks.len() {
        return Err(Error::invalid(
            "week",
            format!("week {week} is past the archive's {} weeks", weeks.len()),
        ));
    }
    let start = (week + 1).saturating_sub(params.recent_weeks + params.baseline_weeks);
    let totals: Vec<f64> = weeks.totals()[start..=week].to_vec();
    let series: Vec<(&str, WeeklySeries)> = table
        .topics
        .iter()
        .filter(|t| in_window(t, start, week))
        .map(|t| (t.text.as_str(), window(t, start, week, &totals)))
        .collect();
    let local = week - start;
    let changes = match movement {
        Movement::Rising => rank_rising(&series, local, params),
        Movement::Falling => rank_falling(&series, local, params),
    }
    .map_err(invalid)?;
    let kinds: std::collections::HashMap<&str, TopicKind> = table
        .topics
        .iter()
        .map(|t| (t.text.as_str(), t.kind))
        .collect();
    let label = |i: usize| weeks.all()[i].week.clone();
    let recent_from = (week + 1).saturating_sub(params.recent_weeks);
    Ok(TopicRanking {
        week: label(week),
        recent_from: label(recent_from),
        baseline_from: label(recent_from.saturating_sub(params.baseline_weeks)),
        topics: changes
            .into_iter()
            .take(limit)
            .map(|change| RankedTopic {
                kind: kinds
                    .get(change.name.as_str())
                    .copied()
                    .unwrap_or(TopicKind::Phrase),
                change,
            })
            .collect(),
    })
}

/// Whether `topic` has a mention in weeks `start..=end`.
fn in_window(topic: &Topic, start: usize, end: usize) -> bool {
    topic
        .weeks
        .iter()
        .any(|&[w, _]| (start..=end).contains(&(w as usize)))
}

/// `topic`'s counts over weeks `start..=end`, beside `totals` of the same weeks.
fn window(topic: &Topic, start: usize, end: usize, totals: &[f64]) -> WeeklySeries {
    let mut counts = vec![0.0; end + 1 - start];
    for &[w, c] in &topic.weeks {
        let w = w as usize;
        if (start..=end).contains(&w) {
            counts[w - start] = f64::from(c);
        }
    }
    WeeklySeries {
        counts,
        totals: totals.to_vec(),
    }
}

/// One burst, with its weeks named.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BurstWeeks {
    /// The first week of the burst.
    pub start: String,
    /// The last week of the burst (inclusive).
    pub end: String,
    /// Weeks it lasted.
    pub weeks: usize,
    /// The events mentioning the topic during the burst.
    pub events: u32,
    /// Kleinberg's weight: larger is a stronger burst.
    pub weight: f64,
}

/// A topic's burst.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopicBurst {
    /// The topic.
    pub topic: String,
    /// Name or phrase.
    pub kind: TopicKind,
    /// The burst.
    #[serde(flatten)]
    pub burst: BurstWeeks,
}

/// The bursts of one weekly series, with their weeks named.
pub fn bursts_of(
    series: &WeeklySeries,
    weeks: &ArchiveWeeks,
    params: &BurstParams,
) -> Result<Vec<BurstWeeks>> {
    let bursts = detect_bursts(series, params).map_err(invalid)?;
    Ok(bursts
        .into_iter()
        .map(|b| BurstWeeks {
            start: weeks.all()[b.start].week.clone(),
            end: weeks.all()[b.end].week.clone(),
            weeks: b.end + 1 - b.start,
            events: (b.start..=b.end).map(|w| series.count(w) as u32).sum(),
            weight: b.weight,
        })
        .collect())
}

/// The `limit` strongest bursts of every topic in `table`, strongest first.
pub fn strongest_bursts(
    table: &TopicTable,
    params: &BurstParams,
    limit: usize,
) -> Result<Vec<TopicBurst>> {
    params.validate().map_err(invalid)?;
    let totals = table.weeks.totals();
    let mut found = Vec::new();
    for topic in &table.topics {
        let series = WeeklySeries {
            counts: topic.counts(totals.len()),
            totals: totals.clone(),
        };
        for burst in bursts_of(&series, &table.weeks, params)? {
            found.push(TopicBurst {
                topic: topic.text.clone(),
                kind: topic.kind,
                burst,
            });
        }
    }
    found.sort_by(|a, b| {
        b.burst
            .weight
            .total_cmp(&a.burst.weight)
            .then_with(|| a.topic.cmp(&b.topic))
    });
    found.truncate(limit);
    Ok(found)
}

fn invalid(error: crate::analytics::InvalidArgument) -> Error {
    Error::invalid(error.name, error.to_string())
}
