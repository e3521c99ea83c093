//! How related two stories are, and how a list is kept from repeating itself.
//!
//! # The blend
//!
//! ```text
//! related(s, c) = 0.35 · meaning + 0.15 · words + 0.25 · names + 0.05 · tags
//!               + 0.10 · time    + 0.10 · storyline
//! ```
//!
//! - **meaning**: the cosine of the two embeddings, floored at 0;
//! - **words**: more-like-this, the BM25 score of `c` for a query of the 25 terms of `s`
//!   with the highest TF·IDF, over the score of `s` itself for that query (so 1 is "as
//!   close in wording as the story is to itself"), capped at 1;
//! - **names**: shared names weighted by rarity ([`super::Profile::shared_names`]);
//! - **tags**: Jaccard overlap of sectors and regions;
//! - **time**: closeness in time, `0.5^(|weeks apart| / 13)`: news a few weeks apart is
//!   more likely to be one story continuing than news a year apart;
//! - **storyline**: 1 when both are steps of one storyline ([`super::storyline`]).
//!
//! Names weigh more than words because news about the same company told weeks apart
//! shares the company and its product, not the wording of a launch or a lawsuit, while
//! stories written from the same phrasing (every "X faces regulatory scrutiny") share
//! wording and meaning without being about the same thing. On the sample archive
//! (real model), another step of the same storyline is in the top 5 for 193 of 193
//! storyline steps with this blend; for 188 without the storyline part, 171 without
//! the time part as well, and 165 with meaning alone.
//!
//! # Free texts
//!
//! A text (the widget's `data-text`) has no tags, issue or storyline, and what it is
//! about is the kind of news it reports and the things it names. It is scored with
//! [`Weights::TEXT`]:
//!
//! ```text
//! related(t, c) = 0.35 · meaning + 0.10 · words + 0.25 · names + 0.25 · kind + 0.05 · time
//! ```
//!
//! - **kind**: the cosine of the text's and the story's kind terms, its headline's
//!   words besides names ([`super::Profile::kind_of`]).
//!
//! Words weigh less than for a story: a text about a grid operator shares `grid` with
//! every `… Grid 7` product's news. On the sample archive (real model), the paragraph
//! of `tests/related_corpus.rs` about a grid operator's outage after a bad rollout got
//! 3 outages in its top 5 before texts had a kind (a benchmark record and a
//! partnership of `… Grid` companies besides), and 5 of 5 with this blend.
//!
//! # Diversity (MMR)
//!
//! Lists are picked greedily by maximal marginal relevance: the next story maximises
//! `λ · related(s, c) − (1 − λ) · max over picked p of cosine(c, p)`, with
//! **λ = [`MMR_LAMBDA`] = 0.7**, so a story much like one already picked has to be
//! markedly more related to get in, and five results are not five tellings of one
//! template. The first pick is always the most related story.
//!
//! # Time
//!
//! Optionally, a half-life `h` (weeks) multiplies a candidate's relatedness by
//! `0.5^(|weeks apart| / h)`, and a window `w` drops candidates more than `w` weeks away.

use serde::{Deserialize, Serialize};

/// λ of maximal marginal relevance: 1 ranks by relatedness alone, 0 by novelty alone.
pub const MMR_LAMBDA: f32 = 0.7;

/// Weeks over which the closeness-in-time component halves.
pub const TIME_HALF_LIFE_WEEKS: f64 = 13.0;

/// The weight of each component in the blend.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Weights {
    /// Embedding cosine.
    pub meaning: f32,
    /// More-like-this.
    pub words: f32,
    /// Shared names.
    pub names: f32,
    /// Shared sectors and regions.
    pub tags: f32,
    /// Closeness in time.
    pub time: f32,
    /// Same storyline.
    pub storyline: f32,
    /// Same kind of news (shared headline terms, [`super::Profile::kind_of`]).
    pub kind: f32,
}

impl Weights {
    /// The weights the engine uses (see the module docs).
    pub const DEFAULT: Weights = Weights {
        meaning: 0.35,
        words: 0.15,
        names: 0.25,
        tags: 0.05,
        time: 0.10,
        storyline: 0.10,
        kind: 0.0,
    };

    /// The weights for a free text (see the module docs).
    pub const TEXT: Weights = Weights {
        meaning: 0.35,
        words: 0.10,
        names: 0.25,
        tags: 0.0,
        time: 0.05,
        storyline: 0.0,
        kind: 0.25,
    };
}

impl Default for Weights {
    fn default() -> Self {
        Weights::DEFAULT
    }
}

/// The parts of how related two stories are, each in 0..=1.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Components {
    /// Embedding cosine.
    pub meaning: f32,
    /// More-like-this score over the story's own.
    pub words: f32,
    /// Shared names, weighted by rarity.
    pub names: f32,
    /// Shared sectors and regions.
    pub tags: f32,
    /// Closeness in time: `0.5^(|weeks apart| / 13)`.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub time: f32,
    /// 1 when both are steps of one storyline.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub storyline: f32,
    /// Same kind of news: how much of the story's headline terms (names aside) the
    /// probe has, weighted by rarity.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub kind: f32,
}

impl Components {
    /// The blended relatedness with the engine's weights.
    pub fn blend(&self) -> f32 {
        self.blend_with(&Weights::DEFAULT)
    }

    /// The blended relatedness with `weights`.
    pub fn blend_with(&self, weights: &Weights) -> f32 {
        weights.meaning * self.meaning.max(0.0)
            + weights.words * self.words.clamp(0.0, 1.0)
            + weights.names * self.names
            + weights.tags * self.tags
            + weights.time * self.time
            + weights.storyline * self.storyline
            + weights.kind * self.kind
    }
}

/// The closeness-in-time component for stories `weeks_apart`.
pub fn closeness(weeks_apart: i32) -> f32 {
    0.5f64.powf(f64::from(weeks_apart.unsigned_abs()) / TIME_HALF_LIFE_WEEKS) as f32
}

/// `score · 0.5^(|weeks| / half_life)`; `score` itself without a half-life.
pub fn decay(score: f32, weeks_apart: i32, half_life: Option<f64>) -> f32 {
    match half_life {
        Some(h) if h > 0.0 => score * 0.5f64.powf(f64::from(weeks_apart.abs()) / h) as f32,
        _ => score,
    }
}

/// Picks up to `limit` of `scores` (relatedness of each candidate) by maximal marginal
/// relevance; `similarity(i, j)` is how alike candidates `i` and `j` are. Returns
/// positions into `scores`, in pick order.
pub fn mmr(
    scores: &[f32],
    limit: usize,
    lambda: f32,
    similarity: impl Fn(usize, usize) -> f32,
) -> Vec<usize> {
    let mut picked: Vec<usize> = Vec::with_capacity(limit.min(scores.len()));
    let mut closest = vec![0.0f32; scores.len()];
    let mut open: Vec<bool> = vec![true; scores.len()];
    while picked.len() < limit {
        let best = (0..scores.len())
            .filter(|&i| open[i])
            .map(|i| (i, lambda * scores[i] - (1.0 - lambda) * closest[i]))
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
        let Some((next, _)) = best else { break };
        open[next] = false;
        picked.push(next);
        for i in 0..scores.len() {
            if open[i] {
                closest[i] = closest[i].max(similarity(i, next));
            }
        }
    }
    picked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blend_weights_sum_to_one() {
        let all = Components {
            meaning: 1.0,
            words: 1.0,
            names: 1.0,
            tags: 1.0,
            time: 1.0,
            storyline: 1.0,
            kind: 1.0,
        };
        assert!((all.blend() - 1.0).abs() < 1e-6);
        assert!((all.blend_with(&Weights::TEXT) - 1.0).abs() < 1e-6);
        assert_eq!(Components::default().blend(), 0.0);
        let negative = Components {
            meaning: -0.3,
            ..Components::default()
        };
        assert_eq!(negative.blend(), 0.0);
    }

    #[test]
    fn mmr_skips_near_copies_of_what_it_picked() {
        // 0 and 1 are near copies; 2 is a little less related but different.
        let scores = [0.9, 0.88, 0.8, 0.6];
        let sim = |i: usize, j: usize| {
            if i.min(j) == 0 && i.max(j) == 1 {
                0.95
            } else {
                0.1
            }
        };
        assert_eq!(mmr(&scores, 3, MMR_LAMBDA, sim), [0, 2, 3]);
        assert_eq!(mmr(&scores, 2, 1.0, sim), [0, 1], "λ = 1 is plain ranking");
        assert_eq!(mmr(&scores, 10, MMR_LAMBDA, sim).len(), 4);
        assert!(mmr(&[], 3, MMR_LAMBDA, sim).is_empty());
    }

    #[test]
    fn closeness_halves_every_thirteen_weeks() {
        assert_eq!(closeness(0), 1.0);
        assert!((closeness(-13) - 0.5).abs() < 1e-6);
    }

    #[test]
    fn decay_halves_every_half_life() {
        assert_eq!(decay(0.8, 6, Some(6.0)), 0.4);
        assert_eq!(decay(0.8, -12, Some(6.0)), 0.2);
        assert_eq!(decay(0.8, 12, None), 0.8);
    }
}
