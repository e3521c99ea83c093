//! The related-stories table: every event's list, computed at index time and kept in
//! the generation (`related.json`), so the widget's answer is a lookup.
//!
//! Lists are **per event**, keyed by the event's id: every copy of one piece of news
//! (a top story and the same news in a brief or a regional watch) is answered with the
//! one list of its event, computed from all its copies ([`Scorer::story_probe`]).
//!
//! For each event the table keeps the default list (the [`LIST_LENGTH`] stories picked
//! by MMR from its [`CANDIDATES_KEPT`] best events, with what they share), the issues
//! those candidates come from, and the *floor*: the score of the last candidate kept.
//!
//! # Incremental updates
//!
//! Each issue's stories are fingerprinted (ids, events, texts, tags, dates and
//! vectors). When a run adds, changes or removes issues, a list is recomputed when
//!
//! 1. its event is in an added or changed issue (**new**), or
//! 2. one of its kept candidates comes from a changed or removed issue (**lost**), or
//! 3. its event's storyline changed (a new step, or a step gone: **storyline**), since
//!    being in one storyline is part of the score, or
//! 4. a story of an added or changed issue scores at or above its floor, or the list
//!    kept fewer than [`CANDIDATES_KEPT`] candidates and a new story scores above 0
//!    (**entered**): the new story would be among its candidates.
//!
//! Every other list is carried over as it was. Between (2), (3) and (4) this is exact up to
//! archive-wide statistics: BM25's IDF and the rarity of names drift a little as
//! issues are added, and a carried list keeps the scores of the run that computed it.
//! A change of the rules (the table's version) or of the model recomputes everything.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::candidates::{Archive, Candidate, Probe, Reach, Scorer};
use super::features::NameRarity;
use super::scoring::Components;
use super::storyline::Storyline;
use crate::error::{Error, Result};

/// The table's file in a generation.
pub const RELATED_FILE: &str = "related.json";
/// The version of the table's layout and of the rules that fill it (2: one list per
/// event, keyed by event id, from all its copies; kind terms in the rarity table).
pub const RELATED_VERSION: u32 = 2;
/// Events kept per story as candidates.
pub const CANDIDATES_KEPT: usize = 20;
/// Stories in each stored list (the widget shows five).
pub const LIST_LENGTH: usize = 10;

/// One stored related story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredRelated {
    /// The story shown.
    pub id: String,
    /// Its relatedness.
    pub score: f32,
    /// The parts of the score.
    pub components: Components,
    /// Weeks from the story to it (negative: earlier).
    pub weeks_apart: i32,
    /// Names both stories have, rarest first.
    pub shared_names: Vec<String>,
    /// Sectors and regions both stories have.
    pub shared_tags: Vec<String>,
    /// Words of its headline that say the same kind of news as the probe (its kind
    /// terms the probe has, as written, lower case).
    #[serde(default)]
    pub shared_kind: Vec<String>,
}

/// One event's stored list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredList {
    /// The score of the last candidate kept, when [`CANDIDATES_KEPT`] were kept.
    pub floor: Option<f32>,
    /// The issues the kept candidates come from.
    pub candidate_issues: Vec<String>,
    /// The default list, in order.
    pub related: Vec<StoredRelated>,
}

/// Every story event's related list, and the archive's storylines.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RelatedTable {
    /// [`RELATED_VERSION`] of the code that built it.
    pub version: u32,
    /// Per issue, the fingerprint of its stories and their vectors.
    pub issues: BTreeMap<String, String>,
    /// The names and their rarity (for texts given at query time).
    pub rarity: NameRarity,
    /// The storylines.
    pub storylines: Vec<Storyline>,
    /// Per story event (its `event_id`), its list: the list of every copy.
    pub lists: BTreeMap<String, StoredList>,
}

/// What an update did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateStats {
    /// Whether every list was computed afresh.
    pub full: bool,
    /// Lists of events in added or changed issues.
    pub new: usize,
    /// Lists recomputed because a kept candidate's issue changed or went.
    pub lost: usize,
    /// Lists recomputed because their event's storyline changed.
    pub storyline: usize,
    /// Lists recomputed because a new story scored at or above their floor.
    pub entered: usize,
    /// Lists carried over unchanged.
    pub carried: usize,
    /// The ids of the events whose lists were computed, in order.
    pub recomputed: Vec<String>,
}

impl RelatedTable {
    /// Builds the table over `scorer`'s archive, reusing `previous` where the rules allow.
    pub fn update<A: Archive>(
        previous: Option<&RelatedTable>,
        scorer: &Scorer<A>,
    ) -> Result<(RelatedTable, UpdateStats)> {
        let docs = scorer.docs();
        let issues = fingerprints(scorer);
        let previous = previous.filter(|p| p.version == RELATED_VERSION);
        let changed: BTreeSet<&str> = issues
            .iter()
            .filter(|(id, fp)| previous.is_none_or(|p| p.issues.get(*id) != Some(fp)))
            .map(|(id, _)| id.as_str())
            .collect();
        let gone: HashSet<&str> = previous
            .map(|p| {
                p.issues
                    .iter()
                    .filter(|(id, fp)| issues.get(*id) != Some(fp))
                    .map(|(id, _)| id.as_str())
                    .collect()
            })
            .unwrap_or_default();
        let new_rows: Vec<usize> = scorer
            .stories()
            .iter()
            .copied()
            .filter(|&r| changed.contains(docs[r].issue_id.as_str()))
            .collect();
        let changed_list: Vec<&str> = changed.iter().copied().collect();

        let mut stats = UpdateStats {
            full: previous.is_none(),
            ..UpdateStats::default()
        };
        let before = previous
            .map(|p| steps_by_step(&p.storylines))
            .unwrap_or_default();
        let after = steps_by_step(scorer.storylines());
        let mut to_compute: Vec<usize> = Vec::new();
        let mut lists = BTreeMap::new();
        for &row in scorer.events() {
            let id = &docs[row].event_id;
            let carried = previous
                .and_then(|p| p.lists.get(id))
                .filter(|_| !changed.contains(docs[row].issue_id.as_str()));
            let Some(list) = carried else {
                stats.new += 1;
                to_compute.push(row);
                continue;
            };
            if list
                .candidate_issues
                .iter()
                .any(|i| gone.contains(i.as_str()))
            {
                stats.lost += 1;
                to_compute.push(row);
            } else if before.get(&docs[row].event_id) != after.get(&docs[row].event_id) {
                stats.storyline += 1;
                to_compute.push(row);
            } else if !new_rows.is_empty() && entered(scorer, row, list, &new_rows, &changed_list)?
            {
                stats.entered += 1;
                to_compute.push(row);
            } else {
                stats.carried += 1;
                lists.insert(id.clone(), list.clone());
            }
        }
        for (row, list) in compute_lists(scorer, &to_compute)? {
            lists.insert(docs[row].event_id.clone(), list);
        }
        stats.recomputed = to_compute
            .iter()
            .map(|&r| docs[r].event_id.clone())
            .collect();
        let table = RelatedTable {
            version: RELATED_VERSION,
            issues,
            rarity: scorer.rarity().clone(),
            storylines: scorer.storylines().to_vec(),
            lists,
        };
        Ok((table, stats))
    }

    /// Writes the table into the generation folder `dir`.
    pub fn save(&self, dir: &Path) -> Result<()> {
        let path = dir.join(RELATED_FILE);
        let bytes = serde_json::to_vec(self).map_err(Error::json(&path))?;
        crate::generation::write_synced(&path, &bytes)
    }

    /// Reads the table of the generation folder `dir`; `None` when there is none or it
    /// was built by other rules.
    pub fn load(dir: &Path) -> Result<Option<RelatedTable>> {
        let path = dir.join(RELATED_FILE);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::io(&path, "cannot read")(e)),
        };
        let table: RelatedTable = serde_json::from_slice(&bytes).map_err(Error::json(&path))?;
        Ok((table.version == RELATED_VERSION).then_some(table))
    }
}

/// For each storyline step (an event's lead id), the ids of all its storyline's steps.
fn steps_by_step(storylines: &[Storyline]) -> HashMap<String, Vec<String>> {
    storylines
        .iter()
        .flat_map(|s| {
            let ids: Vec<String> = s.steps.iter().map(|step| step.id.clone()).collect();
            ids.clone().into_iter().map(move |id| (id, ids.clone()))
        })
        .collect()
}

/// Whether a story of `new_rows` would enter the list of the event led by `row`.
fn entered<A: Archive>(
    scorer: &Scorer<A>,
    row: usize,
    list: &StoredList,
    new_rows: &[usize],
    issues: &[&str],
) -> Result<bool> {
    let probe = scorer.story_probe(row);
    let scores = scorer.scores_against(&probe, new_rows, issues)?;
    let best = scores.into_iter().fold(0.0f32, f32::max);
    Ok(match list.floor {
        Some(floor) => best >= floor,
        None => best > 0.0,
    })
}

/// Stories whose nearest neighbours are found in one pass over the vectors: 32
/// probes' vectors (48 KiB) stay in cache while every story's vector streams by.
const NEAREST_BLOCK: usize = 32;

/// The lists of the events led by `rows`, computed on every core.
fn compute_lists<A: Archive>(
    scorer: &Scorer<A>,
    rows: &[usize],
) -> Result<Vec<(usize, StoredList)>> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(rows.len().max(1));
    let chunk = rows.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = rows
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || -> Result<Vec<(usize, StoredList)>> {
                    let mut lists = Vec::with_capacity(part.len());
                    for block in part.chunks(NEAREST_BLOCK) {
                        let probes: Vec<Probe<'_>> =
                            block.iter().map(|&row| scorer.story_probe(row)).collect();
                        let vectors: Vec<(&[f32], Option<u32>)> = block
                            .iter()
                            .zip(&probes)
                            .map(|(&row, probe)| {
                                (probe.vector.as_ref(), Some(scorer.issue_number(row)))
                            })
                            .collect();
                        let nearest = scorer.nearest_stories(&vectors);
                        for ((&row, probe), nearest) in block.iter().zip(&probes).zip(nearest) {
                            lists.push((row, compute_list_near(scorer, probe, &nearest)?));
                        }
                    }
                    Ok(lists)
                })
            })
            .collect();
        let mut all = Vec::with_capacity(rows.len());
        for worker in workers {
            all.extend(worker.join().expect("a related-stories worker panicked")?);
        }
        Ok(all)
    })
}

/// The list of the event of story `row`, from scratch.
#[cfg(test)]
pub(crate) fn compute_list<A: Archive>(scorer: &Scorer<A>, row: usize) -> Result<StoredList> {
    let probe = scorer.story_probe(row);
    let issue = Some(scorer.issue_number(row));
    let nearest = scorer
        .nearest_stories(&[(&probe.vector, issue)])
        .pop()
        .unwrap_or_default();
    compute_list_near(scorer, &probe, &nearest)
}

/// [`compute_list`], given the event's probe and nearest stories by embedding.
fn compute_list_near<A: Archive>(
    scorer: &Scorer<A>,
    probe: &Probe<'_>,
    nearest: &[usize],
) -> Result<StoredList> {
    let candidates = scorer.candidates_near(probe, Reach::default(), CANDIDATES_KEPT, nearest)?;
    let floor =
        (candidates.len() == CANDIDATES_KEPT).then(|| candidates[CANDIDATES_KEPT - 1].score);
    let candidate_issues: BTreeSet<String> = candidates
        .iter()
        .map(|c| scorer.docs()[c.row].issue_id.clone())
        .collect();
    let related = scorer
        .diversify(&candidates, LIST_LENGTH)
        .into_iter()
        .map(|c| stored(scorer, probe, &c))
        .collect();
    Ok(StoredList {
        floor,
        candidate_issues: candidate_issues.into_iter().collect(),
        related,
    })
}

/// What is kept of a picked candidate.
pub(crate) fn stored<A: Archive>(
    scorer: &Scorer<A>,
    probe: &Probe<'_>,
    c: &Candidate,
) -> StoredRelated {
    let profile = &probe.profile;
    // The kind of news is named only where the blend weighs it (free texts).
    let weighs_kind = scorer.weights_for(probe).kind > 0.0;
    let (shared_names, shared_tags, shared_kind) = scorer
        .profile(c.best_row)
        .map(|other| {
            let kind = if weighs_kind {
                profile.kind_of(other).0
            } else {
                Vec::new()
            };
            (
                profile.shared_names(other).0,
                profile.shared_tags(other).0,
                super::features::kind_words_in(&scorer.docs()[c.best_row].title, &kind),
            )
        })
        .unwrap_or_default();
    StoredRelated {
        id: scorer.docs()[c.row].id.clone(),
        score: c.score,
        components: c.components,
        weeks_apart: c.weeks_apart,
        shared_names,
        shared_tags,
        shared_kind,
    }
}

/// Per issue, a hash of its stories (ids, events, texts, tags, dates) and their
/// vectors (to five decimals).
fn fingerprints<A: Archive>(scorer: &Scorer<A>) -> BTreeMap<String, String> {
    let docs = scorer.docs();
    let mut hashers: HashMap<&str, Sha256> = HashMap::new();
    for &row in scorer.stories() {
        let doc = &docs[row];
        let hasher = hashers.entry(&doc.issue_id).or_default();
        let text = serde_json::to_string(doc).unwrap_or_default();
        hasher.update(text.as_bytes());
        // Rounded, so that renormalising a vector (a last-bit change) is no change,
        // while another model's vectors always are.
        for value in scorer.vectors().get(row) {
            hasher.update(((value * 1e5).round() as i32).to_le_bytes());
        }
    }
    hashers
        .into_iter()
        .map(|(issue, hasher)| (issue.to_string(), hex::encode(hasher.finalize())))
        .collect()
}
