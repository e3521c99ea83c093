//! Finding and scoring the stories related to one story or text.
//!
//! Candidates come from three places, so that each signal can bring in stories the
//! others miss: the [`VECTOR_CANDIDATES`] nearest stories by embedding (exact search:
//! deterministic, and a few milliseconds over a few thousand stories), the
//! [`WORDS_CANDIDATES`] best more-like-this hits in the keyword index, and every story
//! naming one of the query's names that at most [`NAME_POSTING_LIMIT`] events name.
//! Each candidate gets all four components ([`super::scoring`]), and candidates are
//! then folded into events: an event's score is its best copy's, and it is shown as
//! its top story when it has one (else as its best copy).
//!
//! A story is matched as its **event**: the probe of any copy is the same, built from
//! all the copies ([`Scorer::story_probe`]): the mean of their embeddings (unit
//! length), their titles and bodies together for more-like-this, and their names,
//! kind terms and tags together. So every copy of an event has one list.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use backissue_issue::Date;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, ConstScoreQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, Term};

pub use super::archive::{Archive, Written};
use super::features::{NameRarity, Profile};
use super::scoring::{closeness, decay, mmr, Components, Weights, MMR_LAMBDA};
use super::storyline::{find_storylines, storyline_of_events, Storyline};
use crate::document::{Document, Section};
use crate::error::{Error, Result};
use crate::keyword::{facet, KeywordFields};
use crate::vectors::{dot, Vectors};
use crate::Index;
use backissue_text::phrases::is_stop_word;

/// Nearest stories by embedding taken as candidates.
pub const VECTOR_CANDIDATES: usize = 60;
/// Best more-like-this hits taken as candidates.
pub const WORDS_CANDIDATES: usize = 200;
/// A name brings in every story naming it only if at most this many events name it.
pub const NAME_POSTING_LIMIT: u32 = 40;
/// Terms of a more-like-this query.
const MLT_TERMS: usize = 25;

/// What is being matched: an event of the index (all its copies), or a free text.
#[derive(Debug, Clone)]
pub struct Probe<'a> {
    /// Its embedding (unit length).
    pub vector: Cow<'a, [f32]>,
    /// Its title (for a text: empty; for an event: its copies' titles).
    pub title: Cow<'a, str>,
    /// Its body (for a text: the text; for an event: its copies' bodies).
    pub body: Cow<'a, str>,
    /// Its names, kind terms and tags.
    pub profile: Profile,
    /// For a story: its event's lead row (the top story, else the first copy), and its
    /// issue (whose stories are never candidates).
    pub story: Option<(usize, &'a str)>,
    /// For a story: the rows of every copy of its event.
    pub copies: Vec<usize>,
    /// The date weeks apart are counted from.
    pub date: Option<Date>,
    /// The storyline its event is a step of.
    pub storyline: Option<usize>,
}

/// A related event, as one of its stories.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The story shown: the event's top story, else its best copy.
    pub row: usize,
    /// The copy that scored best.
    pub best_row: usize,
    /// The relatedness (after decay), the event's best copy's.
    pub score: f32,
    /// The best copy's components.
    pub components: Components,
    /// Weeks from the probe to the story (negative: earlier).
    pub weeks_apart: i32,
}

/// Restrictions on candidates.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Reach {
    /// Halve relatedness every this many weeks apart.
    pub half_life: Option<f64>,
    /// Drop candidates more than this many weeks apart.
    pub window: Option<u32>,
}

/// Scores stories against probes over one [`Archive`].
pub struct Scorer<A: Archive = Arc<Index>> {
    archive: A,
    fields: KeywordFields,
    searcher: Searcher,
    tantivy_dir: PathBuf,
    stories: Vec<usize>,
    /// A number per issue, by row: comparing issues in the nearest-story scan.
    issue_numbers: Vec<u32>,
    profiles: HashMap<usize, Profile>,
    rarity: NameRarity,
    /// Per story event, the rows of its copies, in row order.
    copies: HashMap<String, Vec<usize>>,
    /// The lead row of every story event (see [`Probe::story`]), in row order.
    events: Vec<usize>,
    name_postings: HashMap<String, Vec<usize>>,
    storylines: Vec<Storyline>,
    storyline_of: HashMap<String, usize>,
    weights: Weights,
    text_weights: Weights,
}

impl<A: Archive> std::fmt::Debug for Scorer<A> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scorer")
            .field("stories", &self.stories.len())
            .finish_non_exhaustive()
    }
}

impl<A: Archive> Scorer<A> {
    /// A scorer over `archive`, with the names' `rarity`.
    pub fn new(archive: A, rarity: NameRarity) -> Result<Scorer<A>> {
        let fields = KeywordFields::schema().1;
        let searcher = archive.searcher();
        let tantivy_dir = archive.tantivy_dir();
        let docs = archive.docs();
        let stories: Vec<usize> = (0..docs.len())
            .filter(|&r| docs[r].section.is_story())
            .collect();
        let mut numbers: HashMap<&str, u32> = HashMap::new();
        let issue_numbers = docs
            .iter()
            .map(|d| {
                let next = numbers.len() as u32;
                *numbers.entry(d.issue_id.as_str()).or_insert(next)
            })
            .collect();
        let profiles: HashMap<usize, Profile> = stories
            .iter()
            .map(|&r| (r, Profile::of(&docs[r], &rarity)))
            .collect();
        let mut name_postings: HashMap<String, Vec<usize>> = HashMap::new();
        for &row in &stories {
            for (name, _) in &profiles[&row].names {
                if rarity
                    .names
                    .get(name)
                    .is_some_and(|&n| n <= NAME_POSTING_LIMIT)
                {
                    name_postings.entry(name.clone()).or_default().push(row);
                }
            }
        }
        let mut copies: HashMap<String, Vec<usize>> = HashMap::new();
        for &row in &stories {
            copies
                .entry(docs[row].event_id.clone())
                .or_default()
                .push(row);
        }
        let mut events: Vec<usize> = copies
            .iter()
            .map(|(event, rows)| lead_row(&archive, event, rows))
            .collect();
        events.sort_unstable();
        let storylines = find_storylines(docs, archive.vectors(), &rarity);
        let storyline_of = storyline_of_events(&storylines, docs);
        Ok(Scorer {
            archive,
            fields,
            searcher,
            tantivy_dir,
            stories,
            issue_numbers,
            profiles,
            rarity,
            copies,
            events,
            name_postings,
            storylines,
            storyline_of,
            weights: Weights::DEFAULT,
            text_weights: Weights::TEXT,
        })
    }

    /// Scores stories with `weights` instead of [`Weights::DEFAULT`] (for tuning and tests).
    pub fn with_weights(mut self, weights: Weights) -> Self {
        self.weights = weights;
        self
    }

    /// Scores free texts with `weights` instead of [`Weights::TEXT`] (for tuning and tests).
    pub fn with_text_weights(mut self, weights: Weights) -> Self {
        self.text_weights = weights;
        self
    }

    /// The blend's weights for `probe`: a story's, or a free text's.
    pub fn weights_for(&self, probe: &Probe<'_>) -> &Weights {
        if probe.story.is_some() {
            &self.weights
        } else {
            &self.text_weights
        }
    }

    /// The storylines of the archive.
    pub fn storylines(&self) -> &[Storyline] {
        &self.storylines
    }

    /// The storyline the event of document `row` is a step of.
    pub fn storyline_of(&self, row: usize) -> Option<usize> {
        self.storyline_of.get(&self.docs()[row].event_id).copied()
    }

    /// The documents.
    pub fn docs(&self) -> &[Document] {
        self.archive.docs()
    }

    /// The vectors.
    pub fn vectors(&self) -> &Vectors {
        self.archive.vectors()
    }

    /// The number of the issue of document `row` (equal numbers, same issue).
    pub(crate) fn issue_number(&self, row: usize) -> u32 {
        self.issue_numbers[row]
    }

    /// The rows of every story.
    pub fn stories(&self) -> &[usize] {
        &self.stories
    }

    /// The lead row of every story event (its top story, else its first copy), in row
    /// order: one related list each.
    pub fn events(&self) -> &[usize] {
        &self.events
    }

    /// The lead row of the event of story `row`.
    pub fn lead_of(&self, row: usize) -> usize {
        let event = self.docs()[row].event_id.as_str();
        self.copies
            .get(event)
            .map_or(row, |rows| lead_row(&self.archive, event, rows))
    }

    /// The names' rarity.
    pub fn rarity(&self) -> &NameRarity {
        &self.rarity
    }

    /// The row of document `id`.
    pub fn row(&self, id: &str) -> Option<usize> {
        self.archive.row(id)
    }

    /// The profile of story `row`.
    pub fn profile(&self, row: usize) -> Option<&Profile> {
        self.profiles.get(&row)
    }

    /// The probe for story `row`: its event's, the same for every copy (see the module
    /// docs).
    pub fn story_probe(&self, row: usize) -> Probe<'_> {
        let lead = self.lead_of(row);
        let doc = &self.docs()[lead];
        let copies: Vec<usize> = match self.copies.get(doc.event_id.as_str()) {
            Some(rows) => rows.clone(),
            None => vec![row],
        };
        if let [only] = copies[..] {
            return Probe {
                vector: Cow::Borrowed(self.vectors().get(only)),
                title: Cow::Borrowed(&doc.title),
                body: Cow::Borrowed(&doc.body),
                profile: self
                    .profiles
                    .get(&only)
                    .cloned()
                    .unwrap_or_else(|| Profile::of(doc, &self.rarity)),
                story: Some((lead, doc.issue_id.as_str())),
                copies,
                date: Some(doc.date),
                storyline: self.storyline_of(lead),
            };
        }
        // The lead first, then the other copies in row order.
        let order: Vec<usize> = std::iter::once(lead)
            .chain(copies.iter().copied().filter(|&r| r != lead))
            .collect();
        let mut vector = vec![0.0f32; self.vectors().dimension()];
        for &r in &order {
            for (sum, v) in vector.iter_mut().zip(self.vectors().get(r)) {
                *sum += v;
            }
        }
        let norm = dot(&vector, &vector).sqrt();
        if norm > 0.0 {
            vector.iter_mut().for_each(|v| *v /= norm);
        }
        let join = |part: fn(&Document) -> &str| {
            order
                .iter()
                .map(|&r| part(&self.docs()[r]))
                .collect::<Vec<_>>()
                .join("\n")
        };
        let profiles: Vec<Profile> = order
            .iter()
            .map(|&r| {
                self.profiles
                    .get(&r)
                    .cloned()
                    .unwrap_or_else(|| Profile::of(&self.docs()[r], &self.rarity))
            })
            .collect();
        Probe {
            vector: Cow::Owned(vector),
            title: Cow::Owned(join(|d| &d.title)),
            body: Cow::Owned(join(|d| &d.body)),
            profile: Profile::merge(&profiles),
            story: Some((lead, doc.issue_id.as_str())),
            copies: order,
            date: Some(doc.date),
            storyline: self.storyline_of(lead),
        }
    }

    /// The events most related to `probe`, best first, at most `keep`.
    pub fn candidates(
        &self,
        probe: &Probe<'_>,
        reach: Reach,
        keep: usize,
    ) -> Result<Vec<Candidate>> {
        let issue = probe.story.map(|(row, _)| self.issue_numbers[row]);
        let nearest = self
            .nearest_stories(&[(&probe.vector, issue)])
            .pop()
            .unwrap_or_default();
        self.candidates_near(probe, reach, keep, &nearest)
    }

    /// For each probe (its vector, and the issue whose stories it must not see), the
    /// [`VECTOR_CANDIDATES`] stories nearest by embedding, nearest first (ties: lower
    /// row first). Exact, and blocked: one pass over the story vectors serves every
    /// probe given, so computing every story's list streams the vectors from memory
    /// once per block of probes rather than once per probe.
    pub(crate) fn nearest_stories(&self, probes: &[(&[f32], Option<u32>)]) -> Vec<Vec<usize>> {
        let k = VECTOR_CANDIDATES;
        // Per probe: kept candidates (score, row), and the score a newcomer must beat.
        let mut kept: Vec<(Vec<(f32, usize)>, f32)> = probes
            .iter()
            .map(|_| (Vec::with_capacity(4 * k), f32::NEG_INFINITY))
            .collect();
        // Nearest first, then lower row first: a total order, so the k kept are exact.
        let order = |a: &(f32, usize), b: &(f32, usize)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
        for &row in &self.stories {
            let vector = self.vectors().get(row);
            let issue = self.issue_numbers[row];
            for (&(probe, excluded), (best, floor)) in probes.iter().zip(kept.iter_mut()) {
                if excluded == Some(issue) {
                    continue;
                }
                // Rows come in increasing order: a tie with the floor ranks below it.
                let score = dot(probe, vector);
                if score > *floor {
                    best.push((score, row));
                    if best.len() == 4 * k {
                        best.select_nth_unstable_by(k - 1, order);
                        best.truncate(k);
                        *floor = best[k - 1].0;
                    }
                }
            }
        }
        kept.into_iter()
            .map(|(mut best, _)| {
                best.sort_unstable_by(order);
                best.into_iter().take(k).map(|(_, row)| row).collect()
            })
            .collect()
    }

    /// [`Scorer::candidates`], given the probe's nearest stories by embedding
    /// ([`Scorer::nearest_stories`]).
    pub(crate) fn candidates_near(
        &self,
        probe: &Probe<'_>,
        reach: Reach,
        keep: usize,
        nearest: &[usize],
    ) -> Result<Vec<Candidate>> {
        let excluded = |row: usize| {
            probe
                .story
                .is_some_and(|(_, issue)| self.docs()[row].issue_id == issue)
        };
        let mut pool: HashMap<usize, f32> = nearest.iter().map(|&row| (row, 0.0)).collect();
        for (row, words) in self.words(probe, None)? {
            if !excluded(row) {
                pool.insert(row, words);
            }
        }
        for (name, _) in &probe.profile.names {
            for &row in self.name_postings.get(name).into_iter().flatten() {
                if !excluded(row) {
                    pool.entry(row).or_insert(0.0);
                }
            }
        }
        let scored = pool
            .into_iter()
            .filter_map(|(row, words)| self.score(probe, row, words, reach))
            .collect();
        Ok(fold_events(self, scored, keep))
    }

    /// One candidate's relatedness to `probe`, or `None` outside the window.
    fn score(&self, probe: &Probe<'_>, row: usize, words: f32, reach: Reach) -> Option<Candidate> {
        let weeks_apart = weeks_between(probe.date, self.docs()[row].date);
        if reach.window.is_some_and(|w| weeks_apart.unsigned_abs() > w) {
            return None;
        }
        let profile = self.profiles.get(&row)?;
        let same_storyline = probe.storyline.is_some() && probe.storyline == self.storyline_of(row);
        let components = Components {
            meaning: dot(&probe.vector, self.vectors().get(row)).max(0.0),
            words,
            names: probe.profile.shared_names(profile).1,
            tags: probe.profile.shared_tags(profile).1,
            time: closeness(weeks_apart),
            storyline: if same_storyline { 1.0 } else { 0.0 },
            kind: probe.profile.kind_of(profile).1,
        };
        let weights = self.weights_for(probe);
        Some(Candidate {
            row,
            best_row: row,
            score: decay(components.blend_with(weights), weeks_apart, reach.half_life),
            components,
            weeks_apart,
        })
    }

    /// More-like-this scores (over the probe's own score) of stories, best first; with
    /// `only_issues`, just the stories of those issues.
    pub fn words(
        &self,
        probe: &Probe<'_>,
        only_issues: Option<&[&str]>,
    ) -> Result<Vec<(usize, f32)>> {
        let mlt = self.more_like_this(&probe.title, &probe.body)?;
        let stories: Vec<(Occur, Box<dyn Query>)> = [
            Section::TopStory,
            Section::SectorStory,
            Section::RegionalStory,
        ]
        .into_iter()
        .map(|s| {
            (
                Occur::Should,
                term(Term::from_facet(self.fields.section, &facet(s.as_str()))),
            )
        })
        .collect();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![
            (Occur::Must, mlt.box_clone()),
            (
                Occur::Must,
                Box::new(ConstScoreQuery::new(
                    Box::new(BooleanQuery::new(stories)),
                    0.0,
                )),
            ),
        ];
        if let Some(issues) = only_issues {
            let issues: Vec<(Occur, Box<dyn Query>)> = issues
                .iter()
                .map(|i| {
                    (
                        Occur::Should,
                        term(Term::from_field_text(self.fields.issue_id, i)),
                    )
                })
                .collect();
            clauses.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(
                    Box::new(BooleanQuery::new(issues)),
                    0.0,
                )),
            ));
        }
        let hits = self.search(&BooleanQuery::new(clauses), WORDS_CANDIDATES)?;
        // Scores are over the probe's own: for an event, its best-scoring copy's.
        let own = match probe.story {
            Some(_) => {
                let copies: Vec<(Occur, Box<dyn Query>)> = probe
                    .copies
                    .iter()
                    .map(|&row| {
                        (
                            Occur::Should,
                            term(Term::from_field_text(self.fields.id, &self.docs()[row].id)),
                        )
                    })
                    .collect();
                let own = BooleanQuery::new(vec![
                    (Occur::Must, mlt),
                    (
                        Occur::Must,
                        Box::new(ConstScoreQuery::new(
                            Box::new(BooleanQuery::new(copies)),
                            0.0,
                        )),
                    ),
                ]);
                self.search(&own, 1)?.first().map(|h| h.1)
            }
            None => hits.first().map(|h| h.1),
        };
        let own = own.filter(|&s| s > 0.0).unwrap_or(1.0);
        Ok(hits
            .into_iter()
            .map(|(row, score)| (row, (score / own).min(1.0)))
            .collect())
    }

    /// A more-like-this query for a title and body: the [`MLT_TERMS`] terms with the
    /// highest TF·IDF (BM25's IDF; terms in one document only and stop words left
    /// out), each boosted by its TF·IDF over the best one's. Built here rather than
    /// with tantivy's `MoreLikeThisQuery`, whose terms come in hash order, so that
    /// scores, and so lists, are the same from run to run to the last bit.
    fn more_like_this(&self, title: &str, body: &str) -> Result<Box<dyn Query>> {
        let mut counts: BTreeMap<Term, u32> = BTreeMap::new();
        for (field, text) in [(self.fields.title, title), (self.fields.body, body)] {
            let mut analyzer = self
                .archive
                .keyword()
                .tokenizer_for_field(field)
                .map_err(Error::tantivy(&self.tantivy_dir))?;
            let mut stream = analyzer.token_stream(text);
            while let Some(token) = stream.next() {
                if token.text.len() >= 2 && !is_stop_word(&token.text) {
                    *counts
                        .entry(Term::from_field_text(field, &token.text))
                        .or_default() += 1;
                }
            }
        }
        let docs = self.searcher.num_docs() as f32;
        let mut weighted: Vec<(f32, Term)> = Vec::with_capacity(counts.len());
        for (term, tf) in counts {
            let df = self
                .searcher
                .doc_freq(&term)
                .map_err(Error::tantivy(&self.tantivy_dir))? as f32;
            if df >= 2.0 {
                let idf = (1.0 + (docs - df + 0.5) / (df + 0.5)).ln();
                weighted.push((tf as f32 * idf, term));
            }
        }
        weighted.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        weighted.truncate(MLT_TERMS);
        let best = weighted.first().map_or(1.0, |w| w.0).max(f32::MIN_POSITIVE);
        let clauses: Vec<(Occur, Box<dyn Query>)> = weighted
            .into_iter()
            .map(|(weight, term)| {
                let query: Box<dyn Query> =
                    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs));
                (
                    Occur::Should,
                    Box::new(BoostQuery::new(query, weight / best)) as Box<dyn Query>,
                )
            })
            .collect();
        Ok(Box::new(BooleanQuery::new(clauses)))
    }

    fn search(&self, query: &dyn Query, limit: usize) -> Result<Vec<(usize, f32)>> {
        let hits = self
            .searcher
            .search(query, &TopDocs::with_limit(limit.max(1)).order_by_score())
            .map_err(Error::tantivy(&self.tantivy_dir))?;
        Ok(hits
            .into_iter()
            .filter_map(|(score, address)| self.archive.rows().row(address).map(|row| (row, score)))
            .collect())
    }

    /// The relatedness of each story in `rows` to `probe`, with their more-like-this
    /// scores computed among the stories of `issues` only (for incremental updates).
    pub fn scores_against(
        &self,
        probe: &Probe<'_>,
        rows: &[usize],
        issues: &[&str],
    ) -> Result<Vec<f32>> {
        let words: HashMap<usize, f32> = self.words(probe, Some(issues))?.into_iter().collect();
        Ok(rows
            .iter()
            .map(|&row| {
                self.score(
                    probe,
                    row,
                    words.get(&row).copied().unwrap_or(0.0),
                    Reach::default(),
                )
                .map_or(0.0, |c| c.score)
            })
            .collect())
    }

    /// Up to `limit` of `candidates` (best first) picked by maximal marginal relevance.
    pub fn diversify(&self, candidates: &[Candidate], limit: usize) -> Vec<Candidate> {
        let scores: Vec<f32> = candidates.iter().map(|c| c.score).collect();
        let picked = mmr(&scores, limit, MMR_LAMBDA, |i, j| {
            dot(
                self.vectors().get(candidates[i].row),
                self.vectors().get(candidates[j].row),
            )
            .max(0.0)
        });
        picked.into_iter().map(|i| candidates[i].clone()).collect()
    }
}

/// One candidate per event (the best copy's score, shown as the top story when the
/// event has one), best first, at most `keep`.
fn fold_events<A: Archive>(
    scorer: &Scorer<A>,
    scored: Vec<Candidate>,
    keep: usize,
) -> Vec<Candidate> {
    let docs = scorer.docs();
    let mut best: HashMap<&str, Candidate> = HashMap::new();
    for candidate in scored {
        let event = docs[candidate.row].event_id.as_str();
        let better = best.get(event).is_none_or(|b| {
            candidate.score > b.score || (candidate.score == b.score && candidate.row < b.row)
        });
        if better {
            best.insert(event, candidate);
        }
    }
    let mut events: Vec<Candidate> = best
        .into_iter()
        .map(|(event, mut candidate)| {
            if let Some(top) = scorer.row(event).filter(|&r| docs[r].section.is_story()) {
                candidate.row = top;
            }
            candidate
        })
        .collect();
    events.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.row.cmp(&b.row)));
    events.truncate(keep);
    events
}

/// The lead row of story event `event` whose copies are `rows`: its top story (the
/// document whose id is the event's), else its first copy.
fn lead_row(archive: &impl Archive, event: &str, rows: &[usize]) -> usize {
    archive
        .row(event)
        .filter(|&r| archive.docs()[r].section.is_story())
        .unwrap_or(rows[0])
}

fn term(term: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(term, IndexRecordOption::Basic))
}

/// Whole weeks from `from` to `to`, rounded (0 without a `from`).
pub fn weeks_between(from: Option<Date>, to: Date) -> i32 {
    from.map_or(0, |from| {
        let days = to.days_since_epoch() - from.days_since_epoch();
        (days as f64 / 7.0).round() as i32
    })
}
