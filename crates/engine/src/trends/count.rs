//! Counting any query week by week: how many news events match, and what share of the
//! week's events that is; and which sectors and regions the matching events carry.
//!
//! Counts are of events, never copies: a top story and its sector copy that both say
//! "memory shortage" count once. Only news counts (top, sector and regional stories), the
//! same documents the week's total is made of, so a share is never above 1.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use backissue_issue::Date;
use serde::{Deserialize, Serialize};
use tantivy::collector::DocSetCollector;

use super::is_news;
use super::query::TrendQuery;
use super::rows::RowMap;
use super::weeks::ArchiveWeeks;
use crate::analytics::WeeklySeries;
use crate::error::{Error, Result};
use crate::Index;

/// One week of a trend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrendPoint {
    /// The ISO week, `2026-W13`.
    pub week: String,
    /// The Monday that starts it.
    pub monday: Date,
    /// Matching events.
    pub events: u32,
    /// All news events of the week.
    pub total: u32,
    /// `events / total` (0 in a week without events).
    pub share: f64,
}

/// A query's events, week by week over the whole archive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrendSeries {
    /// What was counted: `term "memory shortage" · sector Tech`.
    pub query: String,
    /// Matching events over the whole archive.
    pub events: u32,
    /// Every week of the archive.
    pub weeks: Vec<TrendPoint>,
}

impl TrendSeries {
    /// The counts and totals, for the statistics of [`crate::analytics`].
    pub fn weekly(&self) -> WeeklySeries {
        WeeklySeries {
            counts: self.weeks.iter().map(|w| f64::from(w.events)).collect(),
            totals: self.weeks.iter().map(|w| f64::from(w.total)).collect(),
        }
    }

    /// `week,monday,events,total,share`, one line per week, with a header.
    pub fn to_csv(&self) -> String {
        let mut out = String::from("week,monday,events,total,share\n");
        for w in &self.weeks {
            out.push_str(&format!(
                "{},{},{},{},{:.4}\n",
                w.week, w.monday, w.events, w.total, w.share
            ));
        }
        out
    }
}

/// One week of co-occurrence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CooccurrenceWeek {
    /// The ISO week.
    pub week: String,
    /// Matching events.
    pub events: u32,
    /// Matching events per sector they carry.
    pub sectors: BTreeMap<String, u32>,
    /// Matching events per region they carry.
    pub regions: BTreeMap<String, u32>,
}

/// Which sectors and regions a query's events carry, overall and week by week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cooccurrence {
    /// What was counted.
    pub query: String,
    /// Matching events over the whole archive.
    pub events: u32,
    /// Matching events per sector, over the whole archive.
    pub sectors: BTreeMap<String, u32>,
    /// Matching events per region, over the whole archive.
    pub regions: BTreeMap<String, u32>,
    /// The weeks with at least one matching event.
    pub weeks: Vec<CooccurrenceWeek>,
}

/// Counts queries week by week over one open index.
pub struct Trends<'a> {
    index: &'a Index,
    weeks: ArchiveWeeks,
    rows: RowMap,
    /// Per row: the archive week of a news document.
    week_of_row: Vec<Option<u32>>,
    /// Per row: its event's position in `event_rows`.
    event_of_row: Vec<u32>,
    /// The rows of each event.
    event_rows: Vec<Vec<usize>>,
}

impl std::fmt::Debug for Trends<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Trends")
            .field("weeks", &self.weeks.len())
            .field("events", &self.event_rows.len())
            .finish_non_exhaustive()
    }
}

impl<'a> Trends<'a> {
    /// Prepares counting over `index`.
    pub fn new(index: &'a Index) -> Result<Trends<'a>> {
        let docs = index.documents();
        let weeks = ArchiveWeeks::of(docs);
        let ids: HashMap<&str, usize> = docs
            .iter()
            .enumerate()
            .map(|(row, d)| (d.id.as_str(), row))
            .collect();
        let searcher = index.reader().searcher();
        let rows = RowMap::build(&searcher, index.fields().id, &ids)?;
        let mut events: HashMap<&str, u32> = HashMap::new();
        let mut event_rows: Vec<Vec<usize>> = Vec::new();
        let mut event_of_row = Vec::with_capacity(docs.len());
        let mut week_of_row = Vec::with_capacity(docs.len());
        for (row, doc) in docs.iter().enumerate() {
            let next = event_rows.len() as u32;
            let event = *events.entry(&doc.event_id).or_insert(next);
            if event == next {
                event_rows.push(Vec::new());
            }
            event_rows[event as usize].push(row);
            event_of_row.push(event);
            let week = is_news(doc.section)
                .then(|| weeks.index_of_date(doc.date))
                .flatten()
                .map(|w| w as u32);
            week_of_row.push(week);
        }
        Ok(Trends {
            index,
            weeks,
            rows,
            week_of_row,
            event_of_row,
            event_rows,
        })
    }

    /// The archive's weeks.
    pub fn weeks(&self) -> &ArchiveWeeks {
        &self.weeks
    }

    /// The distinct (week, event) pairs of news documents matching `query`.
    fn matching_events(&self, query: &TrendQuery) -> Result<BTreeSet<(u32, u32)>> {
        let tantivy_query = query.to_query(self.index.keyword_index(), self.index.fields())?;
        let searcher = self.index.reader().searcher();
        let path = self
            .index
            .generation_dir()
            .join(crate::generation::TANTIVY_DIR);
        let hits = searcher
            .search(tantivy_query.as_ref(), &DocSetCollector)
            .map_err(Error::tantivy(&path))?;
        Ok(hits
            .into_iter()
            .filter_map(|address| self.rows.row(address))
            .filter_map(|row| Some((self.week_of_row[row]?, self.event_of_row[row])))
            .collect())
    }

    /// `query`'s events and share, every week of the archive.
    pub fn series(&self, query: &TrendQuery) -> Result<TrendSeries> {
        let matching = self.matching_events(query)?;
        let mut counts = vec![0u32; self.weeks.len()];
        for &(week, _) in &matching {
            counts[week as usize] += 1;
        }
        let weeks = self
            .weeks
            .all()
            .iter()
            .zip(counts)
            .map(|(w, events)| TrendPoint {
                week: w.week.clone(),
                monday: w.monday,
                events,
                total: w.events,
                share: if w.events == 0 {
                    0.0
                } else {
                    f64::from(events) / f64::from(w.events)
                },
            })
            .collect();
        Ok(TrendSeries {
            query: query.label(),
            events: matching.len() as u32,
            weeks,
        })
    }

    /// Which sectors and regions `query`'s events carry (over all their documents).
    pub fn cooccurrence(&self, query: &TrendQuery) -> Result<Cooccurrence> {
        let matching = self.matching_events(query)?;
        let docs = self.index.documents();
        let mut total = Cooccurrence {
            query: query.label(),
            events: matching.len() as u32,
            sectors: BTreeMap::new(),
            regions: BTreeMap::new(),
            weeks: Vec::new(),
        };
        for (week, events) in group_by_week(&matching) {
            let mut row = CooccurrenceWeek {
                week: self.weeks.all()[week as usize].week.clone(),
                events: events.len() as u32,
                sectors: BTreeMap::new(),
                regions: BTreeMap::new(),
            };
            for event in events {
                let members = &self.event_rows[event as usize];
                let sectors: BTreeSet<String> = members
                    .iter()
                    .flat_map(|&r| docs[r].sectors.iter().map(ToString::to_string))
                    .collect();
                let regions: BTreeSet<String> = members
                    .iter()
                    .flat_map(|&r| docs[r].regions.iter().map(ToString::to_string))
                    .collect();
                for sector in sectors {
                    *row.sectors.entry(sector.clone()).or_default() += 1;
                    *total.sectors.entry(sector).or_default() += 1;
                }
                for region in regions {
                    *row.regions.entry(region.clone()).or_default() += 1;
                    *total.regions.entry(region).or_default() += 1;
                }
            }
            total.weeks.push(row);
        }
        Ok(total)
    }
}

fn group_by_week(pairs: &BTreeSet<(u32, u32)>) -> BTreeMap<u32, Vec<u32>> {
    let mut weeks: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for &(week, event) in pairs {
        weeks.entry(week).or_default().push(event);
    }
    weeks
}
