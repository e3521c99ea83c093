//! Hybrid ranking: weighted reciprocal rank fusion of the keyword and semantic lists.
//!
//! A document at rank `r_k` in the keyword list and `r_s` in the semantic list
//! scores `w_k / (60 + r_k) + w_s / (60 + r_s)` (a missing rank adds nothing).
//! Ranks, not scores, are fused: BM25 and cosine similarity live on scales that
//! cannot be compared, and ranks make the fusion stable across queries.
//!
//! **A query that names something must find it.** When specific names of the
//! archive (see [`super::vocabulary`]) make up at least half of the query's words
//! and match exactly, the semantic weight is lowered to at most
//! [`NAME_SEMANTIC_WEIGHT`] = 0.2: every document of the keyword list's first 180
//! ranks then outranks every document found by meaning alone, so `Ashgrove
//! Financial` is answered by stories naming it, while meaning still orders them.
//! And a document whose title is the query (ignoring case and punctuation) comes
//! first whatever the lists say: the reader pasted or remembered a headline.

use std::collections::HashMap;

use super::request::Mode;
use super::response::Weights;

/// The constant of reciprocal rank fusion: how slowly rank differences fade.
pub const RRF_K: f64 = 60.0;

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
    for (i, &(row, score)) in keyword.iter().enumerate() {
        at.insert(row, out.len());
        out.push(Ranked {
            row,
            keyword: Some((i + 1, score)),
            vector: None,
            fused: weights.keyword / (RRF_K + (i + 1) as f64),
            exact_title: false,
        });
    }
    for (i, &(row, sim)) in semantic.iter().enumerate() {
        let add = weights.semantic / (RRF_K + (i + 1) as f64);
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

/// `text` lowercased, with every run of non-alphanumeric characters made one space:
/// how titles and queries are compared.
pub(crate) fn normalize_title(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

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
        assert_eq!(rows, [1, 3, 2, 4]);
        let first = fused[0];
        assert_eq!(first.keyword, Some((1, 9.0)));
        assert_eq!(first.vector, Some((3, 0.7)));
        assert!((first.fused - (0.5 / 61.0 + 0.5 / 63.0)).abs() < 1e-12);
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
