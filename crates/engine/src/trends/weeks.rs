//! The archive's weeks: every ISO week from the first issue to the last, gaps
//! included, each with the number of news events it holds (a trend's exposure).
//!
//! A week with no issue stays in the list with 0 events, so week `i` is always `i`
//! weeks after the first and windows of "the last four weeks" mean four calendar weeks.

use std::collections::{BTreeMap, HashMap, HashSet};

use backissue_issue::{Date, IsoWeek};
use serde::{Deserialize, Serialize};

use super::is_news;
use crate::document::Document;
use crate::error::{Error, Result};

/// One week of the archive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ArchiveWeek {
    /// The ISO week, `2026-W13`.
    pub week: String,
    /// The Monday that starts it.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub monday: Date,
    /// The issues dated in it (usually one, none in a gap).
    pub issues: Vec<String>,
    /// Distinct news events (stories; copies count once) in it.
    pub events: u32,
}

/// Every week from the first issue's to the last issue's, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArchiveWeeks {
    weeks: Vec<ArchiveWeek>,
}

impl ArchiveWeeks {
    /// The weeks of `docs`, counting their news events.
    pub fn of(docs: &[Document]) -> ArchiveWeeks {
        let Some(first) = docs.iter().map(|d| d.date).min() else {
            return ArchiveWeeks::default();
        };
        let last = docs.iter().map(|d| d.date).max().unwrap_or(first);
        let mut weeks = Vec::new();
        let mut monday = first.week_start();
        while monday <= last {
            weeks.push(ArchiveWeek {
                week: monday.iso_week().to_string(),
                monday,
                issues: Vec::new(),
                events: 0,
            });
            match monday.add_days(7) {
                Some(next) => monday = next,
                None => break,
            }
        }
        let mut table = ArchiveWeeks { weeks };
        let mut issues: BTreeMap<usize, HashSet<&str>> = BTreeMap::new();
        let mut events: HashMap<usize, HashSet<&str>> = HashMap::new();
        for doc in docs {
            let Some(i) = table.index_of_date(doc.date) else {
                continue;
            };
            issues.entry(i).or_default().insert(&doc.issue_id);
            if is_news(doc.section) {
                events.entry(i).or_default().insert(&doc.event_id);
            }
        }
        for (i, ids) in issues {
            let mut ids: Vec<String> = ids.into_iter().map(str::to_string).collect();
            ids.sort();
            table.weeks[i].issues = ids;
        }
        for (i, ids) in events {
            table.weeks[i].events = ids.len() as u32;
        }
        table
    }

    /// The weeks, oldest first.
    pub fn all(&self) -> &[ArchiveWeek] {
        &self.weeks
    }

    /// Number of weeks.
    pub fn len(&self) -> usize {
        self.weeks.len()
    }

    /// Whether the archive has no weeks.
    pub fn is_empty(&self) -> bool {
        self.weeks.is_empty()
    }

    /// Each week's news events, as a trend's exposure.
    pub fn totals(&self) -> Vec<f64> {
        self.weeks.iter().map(|w| f64::from(w.events)).collect()
    }

    /// The position of the week holding `date`.
    pub fn index_of_date(&self, date: Date) -> Option<usize> {
        let first = self.weeks.first()?.monday;
        let days = date.week_start().days_since_epoch() - first.days_since_epoch();
        let i = usize::try_from(days / 7).ok()?;
        (i < self.weeks.len()).then_some(i)
    }

    /// The position of ISO week `week`.
    pub fn index_of_week(&self, week: IsoWeek) -> Option<usize> {
        let label = week.to_string();
        self.weeks.iter().position(|w| w.week == label)
    }

    /// The week a user named: `latest` (or nothing) for the last week that has an
    /// issue, else `YYYY-Www` or a date `YYYY-MM-DD` inside the week.
    pub fn resolve(&self, spec: Option<&str>) -> Result<usize> {
        let unknown =
            |spec: &str, reason: String| Error::invalid("week", format!("{spec:?}: {reason}"));
        let range = || match (self.weeks.first(), self.weeks.last()) {
            (Some(first), Some(last)) => {
                format!("the archive runs from {} to {}", first.week, last.week)
            }
            _ => "the archive is empty".to_string(),
        };
        match spec.map(str::trim) {
            None | Some("") | Some("latest") => self
                .weeks
                .iter()
                .rposition(|w| !w.issues.is_empty())
                .ok_or_else(|| unknown("latest", range())),
            Some(text) => {
                let week = parse_week(text).ok_or_else(|| {
                    unknown(text, "expected `latest`, an ISO week such as 2026-W13, or a date such as 2026-03-27".to_string())
                })?;
                self.index_of_week(week)
                    .ok_or_else(|| unknown(text, range()))
            }
        }
    }
}

/// Parses `2026-W13` (or `2026-w13`) or a date `2026-03-27` (its ISO week).
pub fn parse_week(text: &str) -> Option<IsoWeek> {
    if let Ok(date) = text.parse::<Date>() {
        return Some(date.iso_week());
    }
    let (year, week) = text.split_once(['W', 'w'])?;
    let year: i32 = year.strip_suffix('-').unwrap_or(year).parse().ok()?;
    let week: u32 = week.parse().ok()?;
    (1..=53).contains(&week).then_some(IsoWeek { year, week })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::fixtures::seed_issue;
    use crate::event::split_issue;

    #[test]
    fn weeks_run_from_first_to_last_issue_with_gaps() {
        let mut docs = split_issue(&seed_issue());
        let later: Vec<Document> = docs
            .iter()
            .map(|d| Document {
                date: "2026-04-10".parse().unwrap(),
                issue_id: "2026-04-10".to_string(),
                ..d.clone()
            })
            .collect();
        docs.extend(later);
        let weeks = ArchiveWeeks::of(&docs);
        assert_eq!(weeks.len(), 3);
        assert_eq!(weeks.all()[0].week, "2026-W13");
        assert_eq!(weeks.all()[1].events, 0, "the gap week");
        let events: HashSet<&str> = docs
            .iter()
            .filter(|d| d.issue_id == "2026-03-27" && d.section.is_story())
            .map(|d| d.event_id.as_str())
            .collect();
        assert_eq!(weeks.all()[0].events as usize, events.len());
        assert!(events.len() < docs.len() / 4, "copies count once");
        assert_eq!(weeks.resolve(Some("latest")).unwrap(), 2);
        assert_eq!(weeks.resolve(Some("2026-W14")).unwrap(), 1);
        assert_eq!(weeks.resolve(Some("2026-03-27")).unwrap(), 0);
        let err = weeks.resolve(Some("2027-W01")).unwrap_err();
        assert!(err.to_string().contains("2026-W13 to 2026-W15"), "{err}");
        assert!(weeks.resolve(Some("soon")).is_err());
    }

    #[test]
    fn week_labels_parse() {
        assert_eq!(
            parse_week("2026-W13"),
            Some(IsoWeek {
                year: 2026,
                week: 13
            })
        );
        assert_eq!(
            parse_week("2026w01"),
            Some(IsoWeek {
                year: 2026,
                week: 1
            })
        );
        assert_eq!(parse_week("2026-W54"), None);
    }
}
