//! The topic table: for every topic, which news events mention it and how many each
//! week. Built once per generation (`topics.json`), so rising, falling and bursting
//! topics over the whole archive, and what appears with what, are arithmetic on small
//! vectors.
//!
//! Topics are things, of four kinds:
//! - **names** the archive knows (organisations, products, people, places:
//!   [`backissue_text::phrases::discover_vocabulary`]);
//! - **phrases**: noun phrases of one to three words ([`topic_phrases`]: a noun head,
//!   nouns and adjectives before it, by WordNet's parts of speech), folded by their
//!   head's singular (`tutor copilot` and `tutor copilots` are one topic);
//! - **sectors** and **regions** the events are tagged with.
//!
//! An event mentions a topic when any of its documents does, in the title or the body
//! (or carries the tag), so a top story and its sector copy count once. A topic is
//! kept when at least [`MIN_TOPIC_EVENTS`] events mention it. Then near-duplicates
//! fold into one topic, which lists them as `variants`:
//! - a piece of a longer phrase (`center moratoriums` in `data center moratoriums`)
//!   folds into the longer one when that accounts for at least [`SUBPHRASE_SHARE`] of
//!   its events;
//! - a longer phrase that holds a kept phrase but accounts for less than
//!   [`VARIANT_SHARE`] of its events is a passing variant of it (`clinical apprenticeship
//!   marketplaces` of `apprenticeship marketplaces`);
//! - a phrase that is a name, sector or region in lower case folds into it.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::is_news;
use super::weeks::ArchiveWeeks;
use crate::analytics::WeeklySeries;
use crate::document::news_bodies;
use crate::document::Document;
use crate::error::{Error, Result};
use backissue_text::phrases::{discover_vocabulary, document_names, topic_phrases};

/// The topic table's file in a generation.
pub const TOPICS_FILE: &str = "topics.json";

/// The version of the topic table's layout and of the rules that build it.
pub const TOPICS_VERSION: u32 = 3;

/// Fewest events a topic must appear in to be kept.
pub const MIN_TOPIC_EVENTS: u32 = 3;

/// A sub-phrase folds into a longer kept phrase holding it when that has at least
/// this share of its events.
pub const SUBPHRASE_SHARE: f64 = 0.8;

/// A longer phrase folds into a kept phrase it holds when it has less than this share
/// of that phrase's events: a passing way of saying it, not a topic of its own.
pub const VARIANT_SHARE: f64 = 0.25;

/// What kind of topic it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum TopicKind {
    /// A name as written: `Lysandra Capital`.
    Name,
    /// A sector events are tagged with: `Energy`.
    Sector,
    /// A region events are tagged with: `India`.
    Region,
    /// A lower-case noun phrase: `data center moratoriums`.
    Phrase,
}

impl TopicKind {
    /// The kind as the API writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            TopicKind::Name => "name",
            TopicKind::Sector => "sector",
            TopicKind::Region => "region",
            TopicKind::Phrase => "phrase",
        }
    }
}

/// One topic and its weekly event counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Topic {
    /// The topic as shown: a name, sector or region as written, a phrase in lower
    /// case as most often written.
    pub text: String,
    /// Its kind.
    pub kind: TopicKind,
    /// Events over the whole archive that mention it.
    pub events: u32,
    /// `[week, events]` for each week that mentions it, weeks in order.
    pub weeks: Vec<[u32; 2]>,
    /// Other ways the archive writes it, folded into it (`tutor copilot`, `center
    /// moratoriums`), most frequent first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variants: Vec<String>,
    /// The events that mention it, as positions in [`TopicTable::events`], ascending.
    #[serde(default)]
    pub rows: Vec<u32>,
    /// A phrase used at a steady rate all through the archive (`is_steady`): part
    /// of its everyday language (`funding round`, `institutional investors`), never
    /// ranked as rising, falling or bursting. Names, sectors and regions never are.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub steady: bool,
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

/// A topic while counting: its kind and folding key.
type TopicKey = (TopicKind, String);

/// A topic found in an event, with how it was written.
type Mention = (TopicKey, String);

/// Every topic of the archive with its weekly counts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TopicTable {
    /// [`TOPICS_VERSION`] of the code that built it.
    pub version: u32,
    /// The archive's weeks and their events.
    pub weeks: ArchiveWeeks,
    /// The news events, `[event id, week]`, in id order; topics' `rows` point here.
    #[serde(default)]
    pub events: Vec<(String, u32)>,
    /// The topics, by kind, then by text.
    pub topics: Vec<Topic>,
}

/// A topic's events and how it is written, while counting.
#[derive(Default)]
struct Tally {
    rows: BTreeSet<u32>,
    spellings: HashMap<String, u32>,
}

impl TopicTable {
    /// Counts every topic of `docs` week by week.
    pub fn build(docs: &[Document]) -> TopicTable {
        let weeks = ArchiveWeeks::of(docs);
        let vocabulary = discover_vocabulary(news_bodies(docs));
        let mut per_event: BTreeMap<&str, (u32, Vec<Mention>)> = BTreeMap::new();
        for doc in docs.iter().filter(|d| is_news(d.section)) {
            let Some(week) = weeks.index_of_date(doc.date) else {
                continue;
            };
            let found = &mut per_event
                .entry(&doc.event_id)
                .or_insert_with(|| (week as u32, Vec::new()))
                .1;
            for sector in &doc.sectors {
                let text = sector.to_string();
                found.push(((TopicKind::Sector, text.clone()), text));
            }
            for region in &doc.regions {
                let text = region.to_string();
                found.push(((TopicKind::Region, text.clone()), text));
            }
            for name in document_names(&doc.title, &doc.body, &vocabulary) {
                found.push(((TopicKind::Name, name.clone()), name));
            }
            for text in [&doc.title, &doc.body] {
                for phrase in topic_phrases(text) {
                    found.push(((TopicKind::Phrase, phrase.key), phrase.text));
                }
            }
        }
        let events: Vec<(String, u32)> = per_event
            .iter()
            .map(|(id, (week, _))| (id.to_string(), *week))
            .collect();
        let mut tallies: HashMap<TopicKey, Tally> = HashMap::new();
        for (row, (_, found)) in per_event.into_values().enumerate() {
            for (key, text) in found {
                let tally = tallies.entry(key).or_default();
                tally.rows.insert(row as u32);
                *tally.spellings.entry(text).or_default() += 1;
            }
        }
        tallies.retain(|_, t| t.rows.len() as u32 >= MIN_TOPIC_EVENTS);
        let folded = fold(&tallies);
        let mut topics: Vec<Topic> = Vec::new();
        for (key, tally) in &tallies {
            if folded.contains_key(key) {
                continue;
            }
            let mut spellings: Vec<(&String, &u32)> = tally.spellings.iter().collect();
            spellings.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
            let text = spellings[0].0.clone();
            let mut variants: Vec<String> =
                spellings[1..].iter().map(|(s, _)| (*s).clone()).collect();
            let mut absorbed: Vec<(&TopicKey, usize)> = folded
                .iter()
                .filter(|(_, into)| *into == key)
                .map(|(from, _)| (from, tallies[from].rows.len()))
                .collect();
            absorbed.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
            for (from, _) in absorbed {
                let shown = most_written(&tallies[from]);
                if shown != text && !variants.contains(&shown) {
                    variants.push(shown);
                }
            }
            let mut per_week: BTreeMap<u32, u32> = BTreeMap::new();
            for &row in &tally.rows {
                *per_week.entry(events[row as usize].1).or_default() += 1;
            }
            let weekly: Vec<[u32; 2]> = per_week.into_iter().map(|(w, c)| [w, c]).collect();
            topics.push(Topic {
                steady: key.0 == TopicKind::Phrase && is_steady(&weekly, &weeks.totals()),
                text,
                kind: key.0,
                events: tally.rows.len() as u32,
                weeks: weekly,
                variants,
                rows: tally.rows.iter().copied().collect(),
            });
        }
        topics.sort_by(|a, b| (a.kind, &a.text).cmp(&(b.kind, &b.text)));
        TopicTable {
            version: TOPICS_VERSION,
            weeks,
            events,
            topics,
        }
    }

    /// Writes the table into the generation folder `dir`.
    pub fn save(&self, dir: &Path) -> Result<()> {
        let path = dir.join(TOPICS_FILE);
        let text = serde_json::to_vec(self).map_err(Error::json(&path))?;
        crate::generation::write_synced(&path, &text)
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
        #[derive(Deserialize)]
        struct Version {
            version: u32,
        }
        let version: Version = serde_json::from_slice(&bytes).map_err(Error::json(&path))?;
        if version.version != TOPICS_VERSION {
            return Ok(None);
        }
        let table: TopicTable = serde_json::from_slice(&bytes).map_err(Error::json(&path))?;
        Ok(Some(table))
    }

    /// The topic `text` of `kind`, if it is in the table (by its shown text or one of
    /// its variants).
    pub fn topic(&self, kind: TopicKind, text: &str) -> Option<&Topic> {
        self.topics
            .iter()
            .find(|t| t.kind == kind && t.text == text)
            .or_else(|| {
                self.topics
                    .iter()
                    .find(|t| t.kind == kind && t.variants.iter().any(|v| v == text))
            })
    }

    /// `topic`'s weekly series over the whole archive.
    pub fn series(&self, topic: &Topic) -> WeeklySeries {
        WeeklySeries {
            counts: topic.counts(self.weeks.len()),
            totals: self.weeks.totals(),
        }
    }

    /// The row of event `id` in [`TopicTable::events`].
    pub fn event_row(&self, id: &str) -> Option<u32> {
        self.events
            .binary_search_by(|(e, _)| e.as_str().cmp(id))
            .ok()
            .map(|i| i as u32)
    }
}

/// The significance level of [`is_steady`]'s test.
pub const STEADY_Z: f64 = 3.09; // one-sided p = 0.001

/// Whether a topic with weekly counts `weeks` (`[week, events]`) is used at a steady
/// rate: Pearson's chi-square test of one share for every week (the topic's events
/// over all events) does not reject at p = 0.001. A theme that comes and goes, a
/// storyline's run of events or a short burst all reject it at once (three events in
/// one week of a two-year archive is a chi-square of about 300 on 103 degrees of
/// freedom, against a critical value of about 148); a phrase scattered over the archive
/// as chance would scatter it does not. The critical value is Wilson and Hilferty's
/// normal approximation of the chi-square quantile. A phrase that passes is then also
/// tested for one change in rate at any week (below).
pub fn is_steady(weeks: &[[u32; 2]], totals: &[f64]) -> bool {
    let exposure: f64 = totals.iter().sum();
    let events: f64 = weeks.iter().map(|&[_, c]| f64::from(c)).sum();
    let live: Vec<(usize, f64)> = totals
        .iter()
        .copied()
        .enumerate()
        .filter(|(_, n)| *n > 0.0)
        .collect();
    if exposure <= 0.0 || events <= 0.0 || live.len() < 2 {
        return false;
    }
    let share = events / exposure;
    let mut counts = vec![0.0; totals.len()];
    for &[w, c] in weeks {
        if let Some(slot) = counts.get_mut(w as usize) {
            *slot = f64::from(c);
        }
    }
    let chi2: f64 = live
        .iter()
        .map(|&(w, n)| {
            let expected = share * n;
            (counts[w] - expected).powi(2) / expected
        })
        .sum();
    let k = (live.len() - 1) as f64;
    let a = 2.0 / (9.0 * k);
    let critical = k * (1.0 - a + STEADY_Z * a.sqrt()).powi(3);
    if chi2 >= critical {
        return false;
    }
    // A slow change (a theme that arrives and stays, one that fades) spreads over many
    // weeks, where the test above is weak: test every split of the archive into a
    // before and an after, a binomial likelihood ratio each, at p = 0.001 shared over
    // the splits (Bonferroni).
    let tail = STEADY_P / (2.0 * k);
    let log = -2.0 * tail.ln();
    let split_critical = log - log.ln() - (2.0 * std::f64::consts::PI).ln();
    let (mut count_before, mut total_before) = (0.0, 0.0);
    for &(w, n) in &live[..live.len() - 1] {
        count_before += counts[w];
        total_before += n;
        let pi = total_before / exposure;
        let g = binomial_deviance(count_before, events - count_before, pi);
        if g >= split_critical {
            return false;
        }
    }
    true
}

/// The significance level of [`is_steady`]'s split test.
const STEADY_P: f64 = 0.001;

/// `2·[a·ln(a/(N·π)) + b·ln(b/(N·(1−π)))]`, `N = a + b`: the likelihood-ratio statistic
/// of `a` of `N` events landing in a part with share `π` of the exposure.
fn binomial_deviance(a: f64, b: f64, pi: f64) -> f64 {
    let n = a + b;
    let term = |x: f64, expected: f64| {
        if x > 0.0 {
            x * (x / expected).ln()
        } else {
            0.0
        }
    };
    2.0 * (term(a, n * pi) + term(b, n * (1.0 - pi)))
}

/// How a tally is most often written.
fn most_written(tally: &Tally) -> String {
    tally
        .spellings
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
        .map(|(s, _)| s.clone())
        .unwrap_or_default()
}

/// Which kept topics fold into which (see the module's rules): from → into.
fn fold(tallies: &HashMap<TopicKey, Tally>) -> HashMap<TopicKey, TopicKey> {
    let events = |key: &TopicKey| tallies[key].rows.len() as f64;
    let mut into: HashMap<TopicKey, TopicKey> = HashMap::new();
    // A phrase that is a tag or a name in lower case.
    let mut named: HashMap<String, TopicKey> = HashMap::new();
    for key in tallies.keys().filter(|k| k.0 != TopicKind::Phrase) {
        named
            .entry(key.1.to_lowercase())
            .or_insert_with(|| key.clone());
    }
    for key in tallies.keys().filter(|k| k.0 == TopicKind::Name) {
        // A name that is also a tag (`India`) is the tag.
        for kind in [TopicKind::Sector, TopicKind::Region] {
            let tag = (kind, key.1.clone());
            if tallies.contains_key(&tag) {
                into.insert(key.clone(), tag);
            }
        }
    }
    let mut phrases: Vec<&TopicKey> = tallies
        .keys()
        .filter(|k| k.0 == TopicKind::Phrase)
        .collect();
    phrases.sort_by(|a, b| {
        b.1.split(' ')
            .count()
            .cmp(&a.1.split(' ').count())
            .then_with(|| a.1.cmp(&b.1))
    });
    for key in &phrases {
        let plain = most_written(&tallies[*key]);
        if let Some(target) = named.get(&plain).or_else(|| named.get(&key.1)) {
            into.insert((*key).clone(), target.clone());
        }
    }
    // A piece of a longer phrase that accounts for most of its events.
    for long in &phrases {
        if into.contains_key(*long) {
            continue;
        }
        let words: Vec<&str> = long.1.split(' ').collect();
        for sub in sub_phrases(&words) {
            let sub = (TopicKind::Phrase, sub);
            if tallies.contains_key(&sub)
                && !into.contains_key(&sub)
                && events(long) >= SUBPHRASE_SHARE * events(&sub)
            {
                into.insert(sub, (*long).clone());
            }
        }
    }
    // A longer phrase that is a passing variant of a kept phrase it holds.
    for long in &phrases {
        if into.contains_key(*long) {
            continue;
        }
        let words: Vec<&str> = long.1.split(' ').collect();
        let holder = sub_phrases(&words)
            .into_iter()
            .map(|sub| (TopicKind::Phrase, sub))
            .filter(|sub| tallies.contains_key(sub) && !into.contains_key(sub))
            .filter(|sub| events(long) < VARIANT_SHARE * events(sub))
            .max_by(|a, b| events(a).total_cmp(&events(b)));
        if let Some(holder) = holder {
            into.insert((*long).clone(), holder);
        }
    }
    // Follow chains to a topic that is kept.
    let mut resolved = HashMap::new();
    for from in into.keys() {
        let mut target = &into[from];
        let mut steps = 0;
        while let Some(next) = into.get(target) {
            target = next;
            steps += 1;
            if steps > 8 {
                break;
            }
        }
        resolved.insert(from.clone(), target.clone());
    }
    resolved
}

/// The contiguous shorter phrases of `words`, longest first.
fn sub_phrases(words: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for len in (1..words.len()).rev() {
        for start in 0..=words.len() - len {
            out.push(words[start..start + len].join(" "));
        }
    }
    out
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
        assert_eq!(trend.rows.len(), 10);
        assert!(trend.variants.contains(&"center moratoriums".to_string()));
        assert_eq!(
            table.topic(TopicKind::Phrase, "center moratoriums"),
            Some(trend),
            "found by a variant"
        );
        assert!(
            !table.topics.iter().any(|t| t.text == "center moratoriums"),
            "a piece of the phrase"
        );
        assert!(table.topic(TopicKind::Phrase, "moratoriums").is_none());
        assert!(
            table.topic(TopicKind::Phrase, "investors").is_none(),
            "one common word"
        );
        assert!(table
            .topic(TopicKind::Phrase, "investors now watch")
            .is_none());
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
