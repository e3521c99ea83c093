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
//! `trends bursts` ranks every topic's short bursts ([`MAX_BURST_WEEKS`], standing out
//! from the quarter around them) by Kleinberg's weight (how much better the burst state
//! explains those weeks); phrases used at a steady rate never rank.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::topics::{Topic, TopicKind, TopicTable};
use super::weeks::ArchiveWeeks;
use crate::analytics::{
    detect_bursts, rank_falling, rank_rising, topic_change, BurstParams, RisingParams, TopicChange,
    WeeklySeries,
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RankedTopic {
    /// Name or phrase.
    pub kind: TopicKind,
    /// The change (its `name` is the topic's text).
    #[serde(flatten)]
    pub change: TopicChange,
    /// Other topics with exactly the same weekly counts over the windows: almost
    /// always words of the same stories (`bittern` beside `Bittern 3.4`), shown once.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<String>,
    /// Other ways the archive writes the topic, folded into it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variants: Vec<String>,
    /// The evidence: the topic's events in each week of the baseline and recent
    /// windows, oldest first.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub weekly: Vec<WeekCount>,
}

/// The rising or falling topics at one week.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    crate::budget::check("ranking topics")?;
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
        .filter(|t| !t.steady && in_window(t, start, week))
        .map(|t| (t.text.as_str(), window(t, start, week, &totals)))
        .collect();
    let local = week - start;
    let changes = match movement {
        Movement::Rising => rank_rising(&series, local, params),
        Movement::Falling => rank_falling(&series, local, params),
    }
    .map_err(invalid)?;
    crate::budget::check("weighing topics against their history")?;
    let changes = against_history(table, changes, week, movement, params);
    let kinds: HashMap<&str, TopicKind> = table
        .topics
        .iter()
        .map(|t| (t.text.as_str(), t.kind))
        .collect();
    let counts: HashMap<&str, &[f64]> = series
        .iter()
        .map(|(name, s)| (*name, s.counts.as_slice()))
        .collect();
    let label = |i: usize| weeks.all()[i].week.clone();
    let recent_from = (week + 1).saturating_sub(params.recent_weeks);
    let mut topics = merge_same_counts(changes, &kinds, &counts, limit);
    let by_text: HashMap<&str, &Topic> =
        table.topics.iter().map(|t| (t.text.as_str(), t)).collect();
    for topic in &mut topics {
        if let Some(found) = by_text.get(topic.change.name.as_str()) {
            topic.variants = found.variants.clone();
            let all = found.counts(weeks.len());
            topic.weekly = (start..=week)
                .map(|w| WeekCount {
                    week: label(w),
                    events: all[w] as u32,
                    total: weeks.all()[w].events,
                })
                .collect();
        }
    }
    Ok(TopicRanking {
        week: label(week),
        recent_from: label(recent_from),
        baseline_from: label(start),
        topics,
    })
}

/// `changes` (of the windows) weighed against each topic's whole history as well:
/// the recent weeks against every week before them, not only the baseline window.
/// A rising topic's score is the smaller of the two (a phrase that comes and goes all
/// through the archive and happens to be quiet in the baseline is no rise), a falling
/// topic's the one nearer zero; a topic that moves the other way against its history
/// is dropped. Strongest first again.
fn against_history(
    table: &TopicTable,
    changes: Vec<TopicChange>,
    week: usize,
    movement: Movement,
    params: &RisingParams,
) -> Vec<TopicChange> {
    let history = RisingParams {
        baseline_weeks: week + 1,
        ..*params
    };
    let totals = table.weeks.totals()[..=week].to_vec();
    let by_text: HashMap<&str, &Topic> =
        table.topics.iter().map(|t| (t.text.as_str(), t)).collect();
    let mut out: Vec<TopicChange> = changes
        .into_iter()
        .filter_map(|mut change| {
            let topic = by_text.get(change.name.as_str())?;
            let series = WeeklySeries {
                counts: topic.counts(table.weeks.len())[..=week].to_vec(),
                totals: totals.clone(),
            };
            let whole = topic_change(&change.name, &series, week, &history).ok()??;
            change.score = match movement {
                Movement::Rising if whole.score > 0.0 => change.score.min(whole.score),
                Movement::Falling if whole.score < 0.0 => change.score.max(whole.score),
                // No history before the windows: the windows decide.
                _ if whole.baseline_count == 0.0 && change.baseline_count == 0.0 => change.score,
                _ => return None,
            };
            Some(change)
        })
        .collect();
    out.sort_by(|a, b| {
        match movement {
            Movement::Rising => b.score.total_cmp(&a.score),
            Movement::Falling => a.score.total_cmp(&b.score),
        }
        .then_with(|| a.name.cmp(&b.name))
    });
    out
}

/// A topic's events in one week, beside the week's events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WeekCount {
    /// The ISO week.
    pub week: String,
    /// Events mentioning the topic.
    pub events: u32,
    /// All news events of the week.
    pub total: u32,
}

/// The first `limit` topics of `changes` (strongest first), each shown once with the
/// topics whose window counts are identical folded into it as `also`.
///
/// Identical counts over the windows almost always mean the same stories: a name and
/// its words, a phrase and the other words of its sentence. The topic shown is the
/// most specific: a name before a phrase, then the phrase of more words, then the
/// first in text order; the others are listed with it, so nothing is hidden.
fn merge_same_counts(
    changes: Vec<TopicChange>,
    kinds: &HashMap<&str, TopicKind>,
    counts: &HashMap<&str, &[f64]>,
    limit: usize,
) -> Vec<RankedTopic> {
    let kind_of = |name: &str| kinds.get(name).copied().unwrap_or(TopicKind::Phrase);
    let specificity = |name: &str| (kind_of(name), std::cmp::Reverse(name.split(' ').count()));
    let mut groups: Vec<Vec<TopicChange>> = Vec::new();
    let mut by_counts: HashMap<Vec<u64>, usize> = HashMap::new();
    for change in changes {
        let key: Vec<u64> = counts
            .get(change.name.as_str())
            .map(|c| c.iter().map(|x| x.to_bits()).collect())
            .unwrap_or_default();
        match by_counts.get(&key) {
            Some(&group) if !key.is_empty() => groups[group].push(change),
            _ => {
                if groups.len() == limit {
                    // Later topics only join the groups already shown.
                    continue;
                }
                by_counts.insert(key, groups.len());
                groups.push(vec![change]);
            }
        }
    }
    groups
        .into_iter()
        .map(|mut group| {
            group.sort_by(|a, b| {
                specificity(&a.name)
                    .cmp(&specificity(&b.name))
                    .then_with(|| a.name.cmp(&b.name))
            });
            let mut members = group.into_iter();
            let change = members.next().expect("a group has a topic");
            RankedTopic {
                kind: kind_of(&change.name),
                also: members.map(|c| c.name).collect(),
                change,
                variants: Vec::new(),
                weekly: Vec::new(),
            }
        })
        .collect()
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BurstWeeks {
    /// The first week of the burst.
    pub start: String,
    /// The last week of the burst (inclusive).
    pub end: String,
    /// The week with the most events in the burst (the first of equals).
    pub peak: String,
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
    /// Other ways the archive writes the topic, folded into it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variants: Vec<String>,
}

/// The most weeks a burst may last in the archive-wide list: a burst is a short,
/// intense run (a news cycle: days to a month or two), and a topic hot for a season is
/// a trend, which rising and falling show.
pub const MAX_BURST_WEEKS: usize = 8;

/// Weeks on each side of a burst that `is_short_burst` looks at: a quarter.
pub const BURST_SURROUNDINGS: usize = 13;

/// Whether weeks `start..=end` of `series` are a burst the archive-wide list shows: at
/// most [`MAX_BURST_WEEKS`] long, and holding more of the topic's events than the
/// [`BURST_SURROUNDINGS`] weeks on both sides together. A theme that runs for months
/// has bursts of attention inside its run, but they do not stand out from it.
fn is_short_burst(series: &WeeklySeries, start: usize, end: usize) -> bool {
    if end + 1 - start > MAX_BURST_WEEKS {
        return false;
    }
    let inside: f64 = (start..=end).map(|w| series.count(w)).sum();
    let from = start.saturating_sub(BURST_SURROUNDINGS);
    let to = (end + BURST_SURROUNDINGS).min(series.len().saturating_sub(1));
    let around: f64 = (from..start)
        .chain(end + 1..=to)
        .map(|w| series.count(w))
        .sum();
    inside > around
}

fn burst_weeks(
    series: &WeeklySeries,
    weeks: &ArchiveWeeks,
    b: &crate::analytics::Burst,
) -> BurstWeeks {
    let peak = (b.start..=b.end)
        .max_by(|&x, &y| {
            series
                .count(x)
                .total_cmp(&series.count(y))
                .then_with(|| y.cmp(&x))
        })
        .unwrap_or(b.start);
    BurstWeeks {
        start: weeks.all()[b.start].week.clone(),
        end: weeks.all()[b.end].week.clone(),
        peak: weeks.all()[peak].week.clone(),
        weeks: b.end + 1 - b.start,
        events: (b.start..=b.end).map(|w| series.count(w) as u32).sum(),
        weight: b.weight,
    }
}

/// The bursts of one weekly series, with their weeks named.
pub fn bursts_of(
    series: &WeeklySeries,
    weeks: &ArchiveWeeks,
    params: &BurstParams,
) -> Result<Vec<BurstWeeks>> {
    let bursts = detect_bursts(series, params).map_err(invalid)?;
    Ok(bursts
        .iter()
        .map(|b| burst_weeks(series, weeks, b))
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
    crate::budget::check("finding bursts")?;
    for topic in table.topics.iter().filter(|t| !t.steady) {
        let series = WeeklySeries {
            counts: topic.counts(totals.len()),
            totals: totals.clone(),
        };
        let bursts = detect_bursts(&series, params).map_err(invalid)?;
        for burst in bursts {
            if !is_short_burst(&series, burst.start, burst.end) {
                continue;
            }
            found.push(TopicBurst {
                topic: topic.text.clone(),
                kind: topic.kind,
                burst: burst_weeks(&series, &table.weeks, &burst),
                variants: topic.variants.clone(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::Direction;

    fn change(name: &str, score: f64) -> TopicChange {
        TopicChange {
            name: name.to_string(),
            score,
            direction: Direction::Rising,
            recent_rate: 0.0,
            baseline_rate: 0.0,
            recent_count: 0.0,
            baseline_count: 0.0,
            rate_ratio: 1.0,
        }
    }

    #[test]
    fn topics_with_the_same_counts_are_shown_once_most_specific_first() {
        use TopicKind::{Name, Phrase};
        let kinds = HashMap::from([
            ("Bittern 3.4", Name),
            ("bittern", Phrase),
            ("hold", Phrase),
            ("see", Phrase),
            ("usage scales", Phrase),
            ("chips", Phrase),
        ]);
        let (a, b, c) = ([1.0, 0.0, 4.0], [0.0, 2.0, 3.0], [5.0, 5.0, 5.0]);
        let counts: HashMap<&str, &[f64]> = HashMap::from([
            ("bittern", &a[..]),
            ("Bittern 3.4", &a[..]),
            ("hold", &b[..]),
            ("see", &b[..]),
            ("usage scales", &b[..]),
            ("chips", &c[..]),
        ]);
        let changes = [
            "bittern",
            "Bittern 3.4",
            "hold",
            "see",
            "usage scales",
            "chips",
        ]
        .iter()
        .zip([3.0, 3.0, 2.0, 2.0, 2.0, 1.0])
        .map(|(name, score)| change(name, score))
        .collect::<Vec<_>>();
        let shown: Vec<(String, TopicKind, Vec<String>)> =
            merge_same_counts(changes.clone(), &kinds, &counts, 10)
                .into_iter()
                .map(|t| (t.change.name, t.kind, t.also))
                .collect();
        let owned = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            shown,
            [
                ("Bittern 3.4".to_string(), Name, owned(&["bittern"])),
                ("usage scales".to_string(), Phrase, owned(&["hold", "see"])),
                ("chips".to_string(), Phrase, vec![]),
            ]
        );
        // The limit counts topics shown, not topics folded.
        assert_eq!(merge_same_counts(changes, &kinds, &counts, 2).len(), 2);
    }
}
