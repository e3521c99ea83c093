//! The topic table: for every candidate topic, how many news events mention it each
//! week. Built once per generation (`topics.json`), so rising, falling and bursting
//! topics over the whole archive are arithmetic on small vectors.
//!
//! Candidate topics are the archive's names and its content phrases
//! ([`super::phrases`]). An event mentions a topic when any of its documents does, in
//! the title or the body, so a top story and its sector copy count once. A topic is
//! kept when at least [`MIN_TOPIC_EVENTS`] events mention it, and then only if it is
//! not just a piece of a longer kept phrase: `center moratoriums` goes when `data
//! center moratoriums` accounts for at least [`SUBPHRASE_SHARE`] of its events, and a
//! phrase that is a name in lower case (`lysandra capital`) goes in favour of the name.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::is_news;
use super::phrases::{content_phrases, discover_vocabulary, document_names};
use super::weeks::ArchiveWeeks;
use crate::analytics::WeeklySeries;
use crate::document::Document;
use crate::error::{Error, Result};

/// The topic table's file in a generation.
pub const TOPICS_FILE: &str = "topics.json";

/// The version of the topic table's layout and of the rules that build it.
pub const TOPICS_VERSION: u32 = 1;

/// Fewest events a topic must appear in to be kept.
pub const MIN_TOPIC_EVENTS: u32 = 3;

/// A sub-phrase is dropped when a longer kept phrase holding it has at least this
/// share of its events.
pub const SUBPHRASE_SHARE: f64 = 0.8;

/// What kind of topic it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TopicKind {
    /// A name as written: `Lysandra Capital`.
    Name,
    /// A lower-case content phrase: `data center moratoriums`.
    Phrase,
}

/// One topic and its weekly event counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Topic {
    /// The topic as shown: a name as written, a phrase in lower case.
    pub text: String,
    /// Name or phrase.
    pub kind: TopicKind,
    /// Events over the whole archive that mention it.
    pub events: u32,
    /// `[week, events]` for each week that mentions it, weeks in order.
    pub weeks: Vec<[u32; 2]>,
}

impl Topic {
    /// Its weekly counts, `len` weeks long, as a dense vector.
    pub fn counts(&self, len: usize) -> Vec<f64> {
        let mut counts = vec![0.0; len];
        for &[week, count] in &self.weeks {
            if let Some(slot) = counts.get_mut(week as usize) {
                *slot = f64::from(count);
            }
        }
        counts
    }
}

/// A topic while counting: its kind and text.
type TopicKey = (TopicKind, String);

/// Every candidate topic of the archive with its weekly counts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TopicTable {
    /// [`TOPICS_VERSION`] of the code that built it.
    pub version: u32,
    /// The archive's weeks and their events.
    pub weeks: ArchiveWeeks,
    /// The topics, names first, then by text.
    pub topics: Vec<Topic>,
}

impl TopicTable {
    /// Counts every candidate topic of `docs` week by week.
    pub fn build(docs: &[Document]) -> TopicTable {
        let weeks = ArchiveWeeks::of(docs);
        let vocabulary = discover_vocabulary(docs);
        let mut events: BTreeMap<&str, (usize, HashSet<TopicKey>)> = BTreeMap::new();
        for doc in docs.iter().filter(|d| is_news(d.section)) {
            let Some(week) = weeks.index_of_date(doc.date) else {
                continue;
            };
            let topics = &mut events
                .entry(&doc.event_id)
                .or_insert_with(|| (week, HashSet::new()))
                .1;
            for name in document_names(&doc.title, &doc.body, &vocabulary) {
                topics.insert((TopicKind::Name, name));
            }
            for text in [&doc.title, &doc.body] {
                for phrase in content_phrases(text) {
                    topics.insert((TopicKind::Phrase, phrase));
                }
            }
        }
        let mut counts: HashMap<TopicKey, BTreeMap<u32, u32>> = HashMap::new();
        for (week, topics) in events.into_values() {
            for topic in topics {
                *counts
                    .entry(topic)
                    .or_default()
                    .entry(week as u32)
                    .or_default() += 1;
            }
        }
        let mut topics: Vec<Topic> = counts
            .into_iter()
            .map(|((kind, text), weeks)| Topic {
                events: weeks.values().sum(),
                weeks: weeks.into_iter().map(|(w, c)| [w, c]).collect(),
                text,
                kind,
            })
            .filter(|t| t.events >= MIN_TOPIC_EVENTS)
            .collect();
        prune(&mut topics);
        topics.sort_by(|a, b| (a.kind, &a.text).cmp(&(b.kind, &b.text)));
        TopicTable {
            version: TOPICS_VERSION,
            weeks,
            topics,
        }
    }

    /// Writes the table into the generation folder `dir`.
    pub fn save(&self, dir: &Path) -> Result<()> {
        let path = dir.join(TOPICS_FILE);
        let text = serde_json::to_vec(self).map_err(Error::json(&path))?;
        write_synced(&path, &text)
    }

    /// Reads the table of the generation folder `dir`; `None` when it has none or one
    /// built by other rules (an older backissue), so the caller builds it instead.
    pub fn load(dir: &Path) -> Result<Option<TopicTable>> {
        let path = dir.join(TOPICS_FILE);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::io(&path, "cannot read")(e)),
        };
        let table: TopicTable = serde_json::from_slice(&bytes).map_err(Error::json(&path))?;
        Ok((table.version == TOPICS_VERSION).then_some(table))
    }

    /// The topic `text` of `kind`, if it is in the table.
    pub fn topic(&self, kind: TopicKind, text: &str) -> Option<&Topic> {
        self.topics
            .iter()
            .find(|t| t.kind == kind && t.text == text)
    }

    /// `topic`'s weekly series over the whole archive.
    pub fn series(&self, topic: &Topic) -> WeeklySeries {
        WeeklySeries {
            counts: topic.counts(self.weeks.len()),
            totals: self.weeks.totals(),
        }
    }
}

/// Drops sub-phrases covered by a longer phrase, and phrases that are names in lower case.
fn prune(topics: &mut Vec<Topic>) {
    let phrase_events: HashMap<&str, u32> = topics
        .iter()
        .filter(|t| t.kind == TopicKind::Phrase)
        .map(|t| (t.text.as_str(), t.events))
        .collect();
    let mut covered: HashSet<String> = HashSet::new();
    for topic in topics.iter().filter(|t| t.kind == TopicKind::Phrase) {
        let words: Vec<&str> = topic.text.split(' ').collect();
        for len in 1..words.len() {
            for start in 0..=words.len() - len {
                let sub = words[start..start + len].join(" ");
                if let Some(&events) = phrase_events.get(sub.as_str()) {
                    if f64::from(topic.events) >= SUBPHRASE_SHARE * f64::from(events) {
                        covered.insert(sub);
                    }
                }
            }
        }
    }
    let names: HashSet<String> = topics
        .iter()
        .filter(|t| t.kind == TopicKind::Name)
        .map(|t| t.text.to_lowercase())
        .collect();
    topics.retain(|t| {
        t.kind == TopicKind::Name || !(covered.contains(&t.text) || names.contains(&t.text))
    });
}

/// Writes `bytes` to `path` and syncs it.
pub(crate) fn write_synced(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let mut file = std::fs::File::create(path).map_err(Error::io(path, "cannot create"))?;
    file.write_all(bytes)
        .map_err(Error::io(path, "cannot write"))?;
    file.sync_all().map_err(Error::io(path, "cannot sync"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Section;

    fn story(issue: &str, n: usize, title: &str, body: &str) -> Document {
        Document::test_story(issue, n, title, body)
    }

    #[test]
    fn topics_count_events_per_week_and_prune_pieces() {
        let mut docs = Vec::new();
        for (i, issue) in ["2026-01-02", "2026-01-09", "2026-01-16", "2026-01-23"]
            .iter()
            .enumerate()
        {
            for n in 0..=i {
                docs.push(story(
                    issue,
                    n + 1,
                    "Grid Report",
                    "Investors now watch Lysandra Capital and data center moratoriums closely.",
                ));
            }
            // A copy of the first story: same event, counted once.
            let mut copy = docs[docs.len() - 1 - i].clone();
            copy.id = format!("{issue}/energy/1");
            copy.section = Section::SectorStory;
            docs.push(copy);
        }
        let table = TopicTable::build(&docs);
        assert_eq!(table.weeks.len(), 4);
        let trend = table
            .topic(TopicKind::Phrase, "data center moratoriums")
            .expect("kept");
        assert_eq!(trend.weeks, vec![[0, 1], [1, 2], [2, 3], [3, 4]]);
        assert_eq!(trend.events, 10);
        assert!(
            table
                .topic(TopicKind::Phrase, "center moratoriums")
                .is_none(),
            "a piece of the phrase"
        );
        assert!(table.topic(TopicKind::Phrase, "moratoriums").is_none());
        assert!(table.topic(TopicKind::Name, "Lysandra Capital").is_some());
        assert!(
            table.topic(TopicKind::Phrase, "lysandra capital").is_none(),
            "the name wins"
        );
        let series = table.series(trend);
        assert_eq!(series.counts, vec![1.0, 2.0, 3.0, 4.0]);
        assert_eq!(series.totals, vec![1.0, 2.0, 3.0, 4.0]);

        let dir = tempfile::tempdir().unwrap();
        table.save(dir.path()).unwrap();
        assert_eq!(TopicTable::load(dir.path()).unwrap(), Some(table));
        assert_eq!(TopicTable::load(&dir.path().join("nowhere")).unwrap(), None);
    }
}
