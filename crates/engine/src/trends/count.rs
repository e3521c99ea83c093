//! Counting any query week by week: how many news events match, and what share of the
//! week's events that is; and which sectors, regions, names and topics the matching
//! events carry.
//!
//! Counts are of events, never copies: a top story and its sector copy that both say
//! "memory shortage" count once. Only news counts (top, sector and regional stories), the
//! same documents the week's total is made of, so a share is never above 1.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use backissue_issue::Date;
use serde::{Deserialize, Serialize};
use tantivy::collector::DocSetCollector;

use super::is_news;
use super::query::TrendQuery;
use super::topics::{Topic, TopicKind, TopicTable};
use super::weeks::ArchiveWeeks;
use crate::analytics::WeeklySeries;
use crate::error::{Error, Result};
use crate::Index;
use std::sync::Arc;

/// One week of a trend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrendPoint {
    /// The ISO week, `2026-W13`.
    pub week: String,
    /// The Monday that starts it.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Cooccurrence {
    /// What was counted.
    pub query: String,
    /// Matching events over the whole archive.
    pub events: u32,
    /// Matching events per sector, over the whole archive.
    pub sectors: BTreeMap<String, u32>,
    /// Matching events per region, over the whole archive.
    pub regions: BTreeMap<String, u32>,
    /// The names and topics that appear in the matching events more often than
    /// chance, strongest association first.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub topics: Vec<CooccurringTopic>,
    /// The weeks with at least one matching event.
    pub weeks: Vec<CooccurrenceWeek>,
}

/// Counts queries week by week over one open index.
pub struct Trends {
    index: Arc<Index>,
    weeks: ArchiveWeeks,
    /// Per row: the archive week of a news document.
    week_of_row: Vec<Option<u32>>,
    /// Per row: its event's position in `event_rows`.
    event_of_row: Vec<u32>,
    /// The rows of each event.
    event_rows: Vec<Vec<usize>>,
}

impl std::fmt::Debug for Trends {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Trends")
            .field("weeks", &self.weeks.len())
            .field("events", &self.event_rows.len())
            .finish_non_exhaustive()
    }
}

impl Trends {
    /// Prepares counting over `index`.
    pub fn new(index: Arc<Index>) -> Result<Trends> {
        let docs = index.documents();
        let weeks = ArchiveWeeks::of(docs);
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
            week_of_row,
            event_of_row,
            event_rows,
        })
    }

    /// The archive's weeks.
    pub fn weeks(&self) -> &ArchiveWeeks {
        &self.weeks
    }

    /// The distinct (week, event) pairs of the news events matching `query`: an event
    /// matches when one of its news documents holds the text, and one of its documents
    /// (a copy in a sector brief counts) carries each tag and source asked for. So a
    /// sector's count equals the co-occurrence table's count for that sector.
    fn matching_events(&self, query: &TrendQuery) -> Result<BTreeSet<(u32, u32)>> {
        let text = TrendQuery {
            sector: None,
            region: None,
            source: None,
            ..query.clone()
        };
        let docs = self.index.documents();
        let carries = |event: u32| {
            let members = &self.event_rows[event as usize];
            let any = |f: &dyn Fn(&crate::document::Document) -> bool| {
                members.iter().any(|&r| f(&docs[r]))
            };
            query
                .sector
                .as_ref()
                .is_none_or(|s| any(&|d| d.sectors.contains(s)))
                && query
                    .region
                    .as_ref()
                    .is_none_or(|r| any(&|d| d.regions.contains(r)))
                && query
                    .source
                    .as_ref()
                    .is_none_or(|s| any(&|d| d.source.as_ref() == Some(s)))
        };
        Ok(self
            .text_events(&text)?
            .into_iter()
            .filter(|&(_, event)| carries(event))
            .collect())
    }

    /// The distinct (week, event) pairs of news documents matching `query` as a whole.
    fn text_events(&self, query: &TrendQuery) -> Result<BTreeSet<(u32, u32)>> {
        crate::budget::check("matching the trend's events")?;
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
            .filter_map(|address| self.index.rows().row(address))
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

    /// Which sectors and regions `query`'s events carry (over all their documents),
    /// and which topics of `topics` (names, phrases, sectors, regions) appear in the
    /// same events, at most `limit` of them (see [`CooccurringTopic`]).
    pub fn cooccurrence(
        &self,
        query: &TrendQuery,
        topics: &TopicTable,
        limit: usize,
    ) -> Result<Cooccurrence> {
        let matching = self.matching_events(query)?;
        crate::budget::check("counting co-occurring topics")?;
        let docs = self.index.documents();
        let rows: HashSet<u32> = matching
            .iter()
            .filter_map(|&(_, event)| {
                let first = *self.event_rows[event as usize].first()?;
                topics.event_row(&docs[first].event_id)
            })
            .collect();
        let mut total = Cooccurrence {
            query: query.label(),
            events: matching.len() as u32,
            sectors: BTreeMap::new(),
            regions: BTreeMap::new(),
            topics: cooccurring_topics(topics, &rows, query, limit),
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

/// A topic that appears in the same events as a query.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CooccurringTopic {
    /// The topic.
    pub topic: String,
    /// Its kind.
    pub kind: TopicKind,
    /// The query's events that mention it.
    pub events: u32,
    /// The events over the whole archive that mention it.
    pub topic_events: u32,
    /// How much more often it appears with the query than in the archive at large:
    /// `(events / query events) / (topic events / all events)`; 1 is chance.
    pub lift: f64,
    /// Dunning's log-likelihood ratio of the association (a G² on 1 degree of freedom:
    /// above 10.8 is p < 0.001), which ranks the list.
    pub g2: f64,
}

/// The topics mentioned in the events `rows` (positions in `table.events`) more often
/// than chance, at least twice, strongest association first. Steady everyday phrases
/// and the query's own topic are left out.
fn cooccurring_topics(
    table: &TopicTable,
    rows: &HashSet<u32>,
    query: &TrendQuery,
    limit: usize,
) -> Vec<CooccurringTopic> {
    let all = table.events.len() as f64;
    let matched = rows.len() as f64;
    if matched == 0.0 || all == 0.0 {
        return Vec::new();
    }
    let asked: Vec<String> = [&query.term, &query.name, &query.query]
        .into_iter()
        .flatten()
        .map(|t| t.trim_matches('"').to_lowercase())
        .collect();
    let is_asked = |topic: &Topic| {
        std::iter::once(&topic.text)
            .chain(&topic.variants)
            .any(|t| asked.contains(&t.to_lowercase()))
            || query
                .sector
                .as_ref()
                .is_some_and(|s| topic.kind == TopicKind::Sector && topic.text == s.to_string())
            || query
                .region
                .as_ref()
                .is_some_and(|r| topic.kind == TopicKind::Region && topic.text == r.to_string())
    };
    let mut found: Vec<CooccurringTopic> = table
        .topics
        .iter()
        .filter(|t| !t.steady && !is_asked(t))
        .filter_map(|t| {
            let together = t.rows.iter().filter(|r| rows.contains(r)).count() as f64;
            let total = f64::from(t.events);
            let lift = (together / matched) / (total / all);
            (together >= 2.0 && lift > 1.0).then(|| CooccurringTopic {
                topic: t.text.clone(),
                kind: t.kind,
                events: together as u32,
                topic_events: t.events,
                lift,
                g2: log_likelihood(together, matched, total, all),
            })
        })
        .collect();
    found.sort_by(|a, b| {
        b.g2.total_cmp(&a.g2)
            .then_with(|| b.events.cmp(&a.events))
            .then_with(|| a.topic.cmp(&b.topic))
    });
    found.truncate(limit);
    found
}

/// Dunning's G² of a 2×2 table: `k11` events with both, `row` with the query, `col`
/// with the topic, `n` in all.
fn log_likelihood(k11: f64, row: f64, col: f64, n: f64) -> f64 {
    let cells = [
        (k11, row * col / n),
        (row - k11, row * (n - col) / n),
        (col - k11, (n - row) * col / n),
        (n - row - col + k11, (n - row) * (n - col) / n),
    ];
    2.0 * cells
        .iter()
        .filter(|(k, e)| *k > 0.0 && *e > 0.0)
        .map(|(k, e)| k * (k / e).ln())
        .sum::<f64>()
}

fn group_by_week(pairs: &BTreeSet<(u32, u32)>) -> BTreeMap<u32, Vec<u32>> {
    let mut weeks: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for &(week, event) in pairs {
        weeks.entry(week).or_default().push(event);
    }
    weeks
}
