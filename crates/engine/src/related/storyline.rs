//! Storylines: one organisation's news followed across weeks, found without any
//! ground truth.
//!
//! An organisation in the news is usually in the news again, so "the same company a
//! few weeks later" links far too much. What makes a storyline is that a step is told
//! *as the next step*: "Readers will remember that four weeks ago …", "The move lands a
//! week after …". So:
//!
//! 1. Each story event gets its **subjects**: the specific names in its top story's
//!    title (its first story's, when it has no top story), those named by at most
//!    [`SUBJECT_MAX_EVENTS`] events (`Faircrest Bio` and `Saffronix Bio` in "Faircrest
//!    Bio Hands Saffronix Bio $25M Deal"; never `US` or `AI`); when the title has none,
//!    the first specific name of the body.
//! 2. An event whose stories refer back in time ("N weeks ago", "N weeks after",
//!    "N weeks earlier", "last week", "N months ago"; at most [`STORYLINE_GAP_WEEKS`])
//!    is **linked** to the event of an issue that many weeks earlier (± 1 week) that
//!    names one of its subjects and is alike (embedding cosine at least
//!    [`STORYLINE_MIN_COSINE`]); the most alike when several qualify.
//! 3. Linked events form chains across issues; a chain of two issues or more is a
//!    storyline, its steps in date order.
//!
//! Everything is recomputed from the documents at each index run, in milliseconds.

use std::collections::{BTreeMap, HashMap};

use backissue_issue::{id::slug, Date};
use serde::{Deserialize, Serialize};

use super::features::NameRarity;
use crate::document::Document;
pub use crate::document::StoryRef;
use crate::vectors::{dot, Vectors};

/// A subject must be named by at most this many events.
pub const SUBJECT_MAX_EVENTS: u32 = 40;
/// The furthest back a step may refer, in weeks.
pub const STORYLINE_GAP_WEEKS: u32 = 12;
/// The least embedding cosine between two linked steps.
pub const STORYLINE_MIN_COSINE: f32 = 0.2;

/// One organisation's news across weeks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Storyline {
    /// A stable id: the subject's slug and the first step's date
    /// (`felsworth-therapeutics-2026-02-20`).
    pub id: String,
    /// The name the steps are about.
    pub subject: String,
    /// One story per event (its top story when it has one), in date order.
    pub steps: Vec<StoryRef>,
}

/// One story event while storylines are found.
struct Event<'d> {
    lead: usize,
    rows: Vec<usize>,
    subjects: Vec<String>,
    names: Vec<String>,
    doc: &'d Document,
}

/// Finds the storylines of `docs` (row = vector row).
pub fn find_storylines(
    docs: &[Document],
    vectors: &Vectors,
    rarity: &NameRarity,
) -> Vec<Storyline> {
    let events = story_events(docs, rarity);
    let mut by_date: BTreeMap<Date, Vec<usize>> = BTreeMap::new();
    for (i, event) in events.iter().enumerate() {
        by_date.entry(event.doc.date).or_default().push(i);
    }
    let mut parent: Vec<usize> = (0..events.len()).collect();
    for (i, event) in events.iter().enumerate() {
        if event.subjects.is_empty() {
            continue;
        }
        let text: String = event
            .rows
            .iter()
            .map(|&r| format!("{}\n{}\n", docs[r].title, docs[r].body))
            .collect();
        for weeks in back_references(&text) {
            let earlier = |delta: i64| event.doc.date.add_days(-7 * delta);
            let target = (weeks.saturating_sub(1)..=weeks + 1)
                .filter(|&w| w >= 1)
                .filter_map(|w| earlier(i64::from(w)))
                .flat_map(|date| {
                    by_date
                        .range(date.add_days(-3).unwrap_or(date)..=date.add_days(3).unwrap_or(date))
                })
                .flat_map(|(_, ids)| ids.iter().copied())
                .filter(|&j| {
                    events[j].doc.issue_id != event.doc.issue_id
                        && event.subjects.iter().any(|s| events[j].names.contains(s))
                })
                .map(|j| (j, dot(vectors.get(event.lead), vectors.get(events[j].lead))))
                .filter(|&(_, c)| c >= STORYLINE_MIN_COSINE)
                .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
            if let Some((j, _)) = target {
                union(&mut parent, i, j);
            }
        }
    }
    let mut chains: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..events.len() {
        let root = find(&mut parent, i);
        chains.entry(root).or_default().push(i);
    }
    let mut storylines: Vec<Storyline> = chains
        .into_values()
        .filter_map(|chain| storyline(&chain, &events, docs))
        .collect();
    storylines.sort_by(|a, b| (a.steps[0].date, &a.id).cmp(&(b.steps[0].date, &b.id)));
    storylines
}

/// The story events of `docs`, each with its lead story, subject and names.
fn story_events<'d>(docs: &'d [Document], rarity: &NameRarity) -> Vec<Event<'d>> {
    let mut rows: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (row, doc) in docs
        .iter()
        .enumerate()
        .filter(|(_, d)| d.section.is_story())
    {
        rows.entry(&doc.event_id).or_default().push(row);
    }
    rows.into_iter()
        .map(|(event_id, rows)| {
            let lead = rows
                .iter()
                .copied()
                .find(|&r| docs[r].id == event_id)
                .unwrap_or(rows[0]);
            let mut names: Vec<String> = Vec::new();
            for &row in &rows {
                for name in rarity.names_in(&docs[row].title, &docs[row].body) {
                    if !names.contains(&name) {
                        names.push(name);
                    }
                }
            }
            Event {
                lead,
                subjects: subjects(&docs[lead], rarity),
                names,
                rows,
                doc: &docs[lead],
            }
        })
        .collect()
}

/// The specific names an event is about.
fn subjects(doc: &Document, rarity: &NameRarity) -> Vec<String> {
    let specific = |name: &String| {
        rarity
            .names
            .get(name)
            .is_some_and(|n| (1..=SUBJECT_MAX_EVENTS).contains(n))
    };
    let in_title: Vec<String> = rarity
        .names_in(&doc.title, "")
        .into_iter()
        .filter(specific)
        .collect();
    if !in_title.is_empty() {
        return in_title;
    }
    rarity
        .names_in("", &doc.body)
        .into_iter()
        .find(specific)
        .into_iter()
        .collect()
}

/// The weeks back that `text` refers to: "four weeks ago", "a week after",
/// "two weeks earlier", "last week", "two months ago" (as 9 weeks).
pub fn back_references(text: &str) -> Vec<u32> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let mut found = Vec::new();
    for window in words.windows(3) {
        let direction = matches!(window[2].as_str(), "ago" | "after" | "earlier" | "before");
        let unit = match window[1].as_str() {
            "week" | "weeks" => Some(1.0),
            "month" | "months" => Some(4.35),
            _ => None,
        };
        if let (true, Some(unit), Some(n)) = (direction, unit, number(&window[0])) {
            let weeks = (f64::from(n) * unit).round() as u32;
            if (1..=STORYLINE_GAP_WEEKS).contains(&weeks) {
                found.push(weeks);
            }
        }
    }
    for pair in words.windows(2) {
        if pair[0] == "last" && pair[1] == "week" {
            found.push(1);
        }
    }
    found.sort_unstable();
    found.dedup();
    found
}

/// `a`, `one` … `twelve`, or digits.
fn number(word: &str) -> Option<u32> {
    const WORDS: [&str; 13] = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve",
    ];
    match word {
        "a" | "an" => Some(1),
        _ => WORDS
            .iter()
            .position(|w| *w == word)
            .map(|n| n as u32)
            .or_else(|| word.parse().ok()),
    }
}

/// The storyline a chain of events makes, if it spans two issues or more.
fn storyline(chain: &[usize], events: &[Event<'_>], docs: &[Document]) -> Option<Storyline> {
    let mut steps: Vec<&Event<'_>> = chain.iter().map(|&i| &events[i]).collect();
    let first_issue = &steps.first()?.doc.issue_id;
    if steps.iter().all(|e| &e.doc.issue_id == first_issue) {
        return None;
    }
    steps.sort_by(|a, b| (a.doc.date, &a.doc.id).cmp(&(b.doc.date, &b.doc.id)));
    let subject = main_subject(&steps);
    let steps: Vec<StoryRef> = steps.iter().map(|e| docs[e.lead].story_ref()).collect();
    Some(Storyline {
        id: format!("{}-{}", slug(&subject), steps[0].date),
        subject,
        steps,
    })
}

/// The subject most steps share (the earliest such on a tie).
fn main_subject(steps: &[&Event<'_>]) -> String {
    let mut counts: Vec<(&String, usize)> = Vec::new();
    for subject in steps.iter().flat_map(|e| &e.subjects) {
        match counts.iter_mut().find(|(s, _)| *s == subject) {
            Some((_, n)) => *n += 1,
            None => counts.push((subject, 1)),
        }
    }
    let best = counts.iter().map(|(_, n)| *n).max().unwrap_or(0);
    counts
        .into_iter()
        .find(|(_, n)| *n == best)
        .map(|(s, _)| s.clone())
        .unwrap_or_default()
}

fn find(parent: &mut [usize], mut x: usize) -> usize {
    while parent[x] != x {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    x
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if ra != rb {
        parent[ra.max(rb)] = ra.min(rb);
    }
}

/// The storyline of each event (by event id): its position in `storylines`.
pub fn storyline_of_events(storylines: &[Storyline], docs: &[Document]) -> HashMap<String, usize> {
    let by_id: HashMap<&str, &Document> = docs.iter().map(|d| (d.id.as_str(), d)).collect();
    storylines
        .iter()
        .enumerate()
        .flat_map(|(i, s)| {
            s.steps
                .iter()
                .filter_map(|step| by_id.get(step.id.as_str()).map(|d| d.event_id.clone()))
                .map(move |event| (event, i))
                .collect::<Vec<_>>()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn story(issue: &str, n: u32, title: &str, body: &str) -> Document {
        Document::test_story(issue, n as usize, title, body)
    }

    #[test]
    fn steps_that_refer_back_chain_into_a_storyline() {
        let docs = vec![
            story(
                "2026-01-02",
                1,
                "Felsworth Therapeutics Raises $40M",
                "Investors backed Felsworth Therapeutics.",
            ),
            story(
                "2026-01-02",
                2,
                "Other News",
                "Nothing about Kestwick Energy here.",
            ),
            story(
                "2026-01-30",
                1,
                "Felsworth Therapeutics Launches PintailScan 3",
                "The launch of Felsworth Therapeutics' tool lands four weeks after its raise.",
            ),
            story(
                "2026-02-06",
                1,
                "Felsworth Therapeutics Faces Probe",
                "Regulators looked at Felsworth Therapeutics, a week after the launch.",
            ),
            // The same company again, but not told as a next step: no storyline.
            story(
                "2026-02-20",
                1,
                "Felsworth Therapeutics Wins Award",
                "A prize for Felsworth Therapeutics.",
            ),
            story(
                "2026-03-06",
                1,
                "Kestwick Energy Cuts Jobs",
                "Kestwick Energy cut jobs two weeks after a bad quarter.",
            ),
        ];
        let mut vectors = Vectors::new(2);
        for _ in &docs {
            vectors.push(&[1.0, 0.0]);
        }
        let rarity = NameRarity::of(&docs);
        let storylines = find_storylines(&docs, &vectors, &rarity);
        assert_eq!(storylines.len(), 1, "{storylines:?}");
        let ids: Vec<&str> = storylines[0].steps.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(
            ids,
            ["2026-01-02/top/1", "2026-01-30/top/1", "2026-02-06/top/1"]
        );
        assert_eq!(storylines[0].id, "felsworth-therapeutics-2026-01-02");
        assert_eq!(storylines[0].subject, "Felsworth Therapeutics");
        let of = storyline_of_events(&storylines, &docs);
        assert_eq!(of.get("2026-01-30/top/1"), Some(&0));
        assert_eq!(of.get("2026-02-20/top/1"), None);
    }

    #[test]
    fn back_references_are_read_in_weeks() {
        assert_eq!(
            back_references("That lands four weeks after the raise."),
            [4]
        );
        assert_eq!(
            back_references("Only a week earlier, x. Two months ago, y."),
            [1, 9]
        );
        assert_eq!(
            back_references("Shares rose this week after the news, last week too."),
            [1]
        );
        assert!(back_references("It follows a hiring spree two years ago.").is_empty());
        assert!(back_references("in 20 weeks from now").is_empty());
    }
}
