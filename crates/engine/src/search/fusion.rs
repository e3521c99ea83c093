//! Hybrid ranking: a weighted sum of the keyword and semantic scores, each on a
//! fixed 0–1 scale (convex combination).
//!
//! A document scores `w_k · bm25 / best_bm25 + w_s · (cos − 0.2) / 0.8` (a list
//! it is missing from adds nothing). Scores, not ranks, are fused: on the judged
//! sets, a strong word match or a close meaning tells more than its rank does.
//! Measured on SciFact's train claims and this archive's judgments, this beat
//! reciprocal rank fusion (k 10 and 60, ratios 0.5 and 0.6) on both; see
//! ARCHITECTURE.md, "How search ranks", for the figures. BM25 is scaled by the
//! query's best match, similarity by a fixed floor ([`SIMILARITY_FLOOR`]), so one
//! semantic ratio means the same for every query.
//!
//! **A query that names something must find it.** When specific names of the
//! archive (see [`super::vocabulary`]) make up at least half of the query's words
//! and match exactly, the semantic weight is lowered to at most
//! [`NAME_SEMANTIC_WEIGHT`] = 0.2: a document found by meaning alone then scores
//! at most 0.2, below every word match scoring a quarter of the best or more, so
//! `Ashgrove Financial` is answered by stories naming it, while meaning still
//! orders them. And a document whose title is the query (ignoring case and
//! punctuation) comes first whatever the lists say: the reader pasted or
//! remembered a headline.

use std::collections::HashMap;

use super::request::Mode;
use super::response::Weights;

/// The cosine similarity that counts 0 in fusion: about where all-MiniLM-L6-v2
/// puts unrelated texts (−0.13 to 0.07) and below where it puts paraphrases
/// (0.6–0.7), so a similarity's share is (s − 0.2) / 0.8, a fixed scale for every
/// query (the theoretical min-max normalisation of Bruch et al., 2023).
pub const SIMILARITY_FLOOR: f64 = 0.2;

/// A similarity's share of the semantic weight: 0 at [`SIMILARITY_FLOOR`], 1 at 1.
fn similarity_share(similarity: f32) -> f64 {
    ((f64::from(similarity) - SIMILARITY_FLOOR) / (1.0 - SIMILARITY_FLOOR)).clamp(0.0, 1.0)
}

/// The semantic weight at most used when the query names something exactly.
pub const NAME_SEMANTIC_WEIGHT: f64 = 0.2;

/// A document of the fused list.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Ranked {
    /// The document's row.
    pub row: usize,
    /// Rank (1-based) and BM25 score in the keyword list.
    pub keyword: Option<(usize, f32)>,
    /// Rank (1-based) and similarity in the semantic list.
    pub vector: Option<(usize, f32)>,
    /// The fused score.
    pub fused: f64,
    /// Whether its title is the query.
    pub exact_title: bool,
}

/// The fusion weights for `mode`; `names_query` lowers the semantic weight.
pub(crate) fn weights(mode: Mode, names_query: bool) -> Weights {
    match mode {
        Mode::Keyword => Weights {
            keyword: 1.0,
            semantic: 0.0,
        },
        Mode::Semantic => Weights {
            keyword: 0.0,
            semantic: 1.0,
        },
        Mode::Hybrid { semantic_ratio } => {
            let mut semantic = f64::from(semantic_ratio);
            if names_query {
                semantic = semantic.min(NAME_SEMANTIC_WEIGHT);
            }
            Weights {
                keyword: 1.0 - semantic,
                semantic,
            }
        }
    }
}

/// Fuses the keyword and semantic lists (each best first), ordered by
/// (exact title, fused score, BM25, similarity, row).
pub(crate) fn fuse(
    keyword: &[(usize, f32)],
    semantic: &[(usize, f32)],
    weights: Weights,
    exact_title: &dyn Fn(usize) -> bool,
) -> Vec<Ranked> {
    let mut out: Vec<Ranked> = Vec::with_capacity(keyword.len() + semantic.len());
    let mut at: HashMap<usize, usize> = HashMap::with_capacity(out.capacity());
    // BM25 has no fixed scale: the best match of this query counts 1.
    let best = keyword
        .first()
        .map_or(1.0, |k| f64::from(k.1))
        .max(f64::MIN_POSITIVE);
    for (i, &(row, score)) in keyword.iter().enumerate() {
        at.insert(row, out.len());
        out.push(Ranked {
            row,
            keyword: Some((i + 1, score)),
            vector: None,
            fused: weights.keyword * (f64::from(score) / best),
            exact_title: false,
        });
    }
    for (i, &(row, sim)) in semantic.iter().enumerate() {
        let add = weights.semantic * similarity_share(sim);
        match at.get(&row) {
            Some(&j) => {
                out[j].vector = Some((i + 1, sim));
                out[j].fused += add;
            }
            None => out.push(Ranked {
                row,
                keyword: None,
                vector: Some((i + 1, sim)),
                fused: add,
                exact_title: false,
            }),
        }
    }
    for ranked in &mut out {
        ranked.exact_title = exact_title(ranked.row);
    }
    out.sort_by(|a, b| {
        b.exact_title
            .cmp(&a.exact_title)
            .then(b.fused.total_cmp(&a.fused))
            .then(score(b.keyword).total_cmp(&score(a.keyword)))
            .then(score(b.vector).total_cmp(&score(a.vector)))
            .then(a.row.cmp(&b.row))
    });
    out
}

fn score(entry: Option<(usize, f32)>) -> f32 {
    entry.map_or(f32::NEG_INFINITY, |(_, s)| s)
}

/// A title as compared for exact-title promotion: the same normalisation the catalog
/// groups works by (lower case, words only).
pub(crate) use backissue_text::titles::normalize_title;

#[cfg(test)]
mod tests {
    use super::*;

    const EVEN: Weights = Weights {
        keyword: 0.5,
        semantic: 0.5,
    };

    #[test]
    fn documents_in_both_lists_rise() {
        let keyword = [(1, 9.0), (2, 8.0), (3, 7.0)];
        let semantic = [(3, 0.9), (4, 0.8), (1, 0.7)];
        let fused = fuse(&keyword, &semantic, EVEN, &|_| false);
        let rows: Vec<usize> = fused.iter().map(|r| r.row).collect();
        // 3 is a good word match and the closest meaning; 1 the best word match
        // and a fair meaning; 2 and 4 are in one list each.
        assert_eq!(rows, [3, 1, 2, 4]);
        let first = fused[0];
        assert_eq!(first.keyword, Some((3, 7.0)));
        assert_eq!(first.vector, Some((1, 0.9)));
        let expected = 0.5 * 7.0 / 9.0 + 0.5 * (0.9f32 as f64 - 0.2) / 0.8;
        assert!((first.fused - expected).abs() < 1e-9, "{}", first.fused);
        assert_eq!(similarity_share(0.1), 0.0);
        assert_eq!(similarity_share(1.0), 1.0);
    }

    #[test]
    fn the_ratio_moves_the_balance() {
        let keyword = [(1, 9.0)];
        let semantic = [(2, 0.9)];
        let meaning = weights(
            Mode::Hybrid {
                semantic_ratio: 0.8,
            },
            false,
        );
        assert_eq!(fuse(&keyword, &semantic, meaning, &|_| false)[0].row, 2);
        let words = weights(
            Mode::Hybrid {
                semantic_ratio: 0.2,
            },
            false,
        );
        assert_eq!(fuse(&keyword, &semantic, words, &|_| false)[0].row, 1);
    }

    #[test]
    fn a_named_thing_beats_anything_found_by_meaning_alone() {
        let w = weights(
            Mode::Hybrid {
                semantic_ratio: 0.9,
            },
            true,
        );
        assert!((w.semantic - 0.2).abs() < 1e-12 && (w.keyword - 0.8).abs() < 1e-12);
        let keyword: Vec<(usize, f32)> = (0..150).map(|r| (r, 1.0)).collect();
        let semantic = [(1000, 0.99), (149, 0.5)];
        let fused = fuse(&keyword, &semantic, w, &|_| false);
        let by_meaning_only = fused.iter().position(|r| r.row == 1000).unwrap();
        assert_eq!(by_meaning_only, 150, "after every keyword hit");
        let low = weights(
            Mode::Hybrid {
                semantic_ratio: 0.25,
            },
            true,
        );
        assert_eq!((low.keyword, low.semantic), (0.8, 0.2));
        let none = weights(
            Mode::Hybrid {
                semantic_ratio: 0.0,
            },
            true,
        );
        assert_eq!((none.keyword, none.semantic), (1.0, 0.0));
    }

    #[test]
    fn an_exact_title_comes_first() {
        let keyword = [(1, 9.0), (2, 8.0)];
        let fused = fuse(&keyword, &[], EVEN, &|row| row == 2);
        assert_eq!(fused[0].row, 2);
        assert!(fused[0].exact_title);
        assert_eq!(
            normalize_title("  Zinnova Tutors Targets $9-13B Listing!"),
            "zinnova tutors targets 9 13b listing"
        );
    }

    #[test]
    fn single_lists_keep_their_order() {
        let keyword = [(5, 3.0), (4, 2.0), (3, 1.0)];
        let fused = fuse(&keyword, &[], weights(Mode::Keyword, false), &|_| false);
        assert_eq!(fused.iter().map(|r| r.row).collect::<Vec<_>>(), [5, 4, 3]);
        let semantic = [(7, 0.9), (8, 0.8)];
        let fused = fuse(&[], &semantic, weights(Mode::Semantic, false), &|_| false);
        assert_eq!(fused.iter().map(|r| r.row).collect::<Vec<_>>(), [7, 8]);
    }
}
