//! Ranking metrics for one query: nDCG@k, reciprocal rank@k and recall@k.
//!
//! Conventions (those of `trec_eval`, so numbers can be checked against it):
//!
//! - A document is **relevant** when its grade is at least 1; unjudged documents count
//!   as grade 0.
//! - A document listed twice counts only where it first appears, so a ranking cannot
//!   earn a gain twice (and nDCG stays within 0..=1).
//! - nDCG's ideal ranking is built from *all* the query's judged documents, not only the
//!   retrieved ones: missing a highly graded document costs.
//! - A query without relevant documents has every metric 0 here; the summary skips such
//!   queries rather than averaging in zeros that say nothing about the engine.

use std::collections::HashSet;

use super::trec::Judgments;

/// nDCG@k: discounted cumulative gain of the first `k` distinct documents, over the best
/// achievable with the query's judgments. Gain `2^grade − 1`, discount `log2(rank + 1)`.
pub fn ndcg_at<D: AsRef<str>>(ranked: &[D], judgments: &Judgments, k: usize) -> f64 {
    let dcg = discounted_gain(top_k(ranked, k).map(|doc| grade_of(doc, judgments)));
    let mut ideal: Vec<u32> = judgments.values().copied().collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let idcg = discounted_gain(ideal.into_iter().take(k));
    if idcg > 0.0 {
        dcg / idcg
    } else {
        0.0
    }
}

/// Reciprocal rank@k: `1 / rank` of the first relevant document among the first `k`,
/// 0 when there is none. Its mean over queries is MRR@k.
pub fn reciprocal_rank_at<D: AsRef<str>>(ranked: &[D], judgments: &Judgments, k: usize) -> f64 {
    top_k(ranked, k)
        .position(|doc| grade_of(doc, judgments) >= 1)
        .map_or(0.0, |index| 1.0 / (index + 1) as f64)
}

/// Recall@k: the share of the query's relevant documents found among the first `k`,
/// 0 when the query has no relevant documents.
pub fn recall_at<D: AsRef<str>>(ranked: &[D], judgments: &Judgments, k: usize) -> f64 {
    let relevant = relevant_count(judgments);
    if relevant == 0 {
        return 0.0;
    }
    let found = top_k(ranked, k)
        .filter(|doc| grade_of(doc, judgments) >= 1)
        .count();
    found as f64 / relevant as f64
}

/// How many of the query's documents are relevant (grade ≥ 1).
pub fn relevant_count(judgments: &Judgments) -> usize {
    judgments.values().filter(|&&grade| grade >= 1).count()
}

/// The first `k` distinct document ids of `ranked`, in order.
fn top_k<D: AsRef<str>>(ranked: &[D], k: usize) -> impl Iterator<Item = &str> {
    let mut seen = HashSet::new();
    ranked
        .iter()
        .map(AsRef::as_ref)
        .filter(move |doc| seen.insert(*doc))
        .take(k)
}

fn grade_of(doc: &str, judgments: &Judgments) -> u32 {
    judgments.get(doc).copied().unwrap_or(0)
}

/// `Σ (2^grade − 1) / log2(rank + 1)` over grades in rank order (rank from 1).
fn discounted_gain(grades: impl Iterator<Item = u32>) -> f64 {
    grades
        .enumerate()
        .map(|(index, grade)| gain(grade) / ((index + 2) as f64).log2())
        .sum()
}

fn gain(grade: u32) -> f64 {
    // Grades are capped at `MAX_GRADE` when parsed; saturate anyway so a hand-built
    // judgment cannot overflow to infinity.
    2f64.powi(grade.min(super::trec::MAX_GRADE) as i32) - 1.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn judgments(pairs: &[(&str, u32)]) -> Judgments {
        pairs.iter().map(|&(d, g)| (d.to_owned(), g)).collect()
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn ndcg_by_hand() {
        // Judged: d1 = 3, d2 = 2, d5 = 1, d3 = 0 (judged, not relevant); d4 is unjudged.
        let judged = judgments(&[("d1", 3), ("d2", 2), ("d3", 0), ("d5", 1)]);
        let ranked = ["d3", "d1", "d5", "d2"];
        // Gains 2^g − 1 in rank order: 0, 7, 1, 3; discounts log2(2..=5).
        let dcg = 0.0 + 7.0 / 3f64.log2() + 1.0 / 2.0 + 3.0 / 5f64.log2();
        // Ideal order of all judged grades: 3, 2, 1, 0 → gains 7, 3, 1, 0.
        let idcg = 7.0 + 3.0 / 3f64.log2() + 1.0 / 2.0;
        assert!((dcg - 6.208_538).abs() < 1e-6, "{dcg}"); // 4.416508 + 0.5 + 1.292030
        assert!((idcg - 9.392_789).abs() < 1e-6, "{idcg}"); // 7 + 1.892789 + 0.5
        assert!((ndcg_at(&ranked, &judged, 4) - 0.660_990).abs() < 1e-6);
        // At k = 2: 7/log2(3) over the ideal top two, 7 + 3/log2(3).
        let at_2 = (7.0 / 3f64.log2()) / (7.0 + 3.0 / 3f64.log2());
        assert!(close(ndcg_at(&ranked, &judged, 2), at_2));
        assert!(close(ndcg_at(&["d1", "d2", "d5"], &judged, 3), 1.0));
        assert!(close(ndcg_at(&["d4", "d3"], &judged, 10), 0.0));
        assert!(close(ndcg_at(&ranked, &judged, 0), 0.0));
        assert!(close(ndcg_at(&ranked, &Judgments::new(), 10), 0.0));
    }

    #[test]
    fn duplicates_count_once() {
        let judged = judgments(&[("a", 1), ("b", 1)]);
        assert!(close(ndcg_at(&["a", "a", "b"], &judged, 3), 1.0));
        assert!(close(recall_at(&["a", "a"], &judged, 2), 0.5));
    }

    #[test]
    fn reciprocal_rank_by_hand() {
        let judged = judgments(&[("c", 1), ("a", 0)]);
        assert!(close(
            reciprocal_rank_at(&["a", "b", "c"], &judged, 10),
            1.0 / 3.0
        ));
        assert!(close(reciprocal_rank_at(&["a", "b", "c"], &judged, 2), 0.0));
        assert!(close(reciprocal_rank_at(&["c", "b"], &judged, 1), 1.0));
    }

    #[test]
    fn recall_by_hand() {
        let judged = judgments(&[("a", 2), ("b", 1), ("c", 1), ("z", 0)]);
        let ranked = ["x", "a", "z", "c", "y", "b"];
        assert!(close(recall_at(&ranked, &judged, 5), 2.0 / 3.0));
        assert!(close(recall_at(&ranked, &judged, 6), 1.0));
        assert!(close(recall_at(&ranked, &judged, 1), 0.0));
        assert_eq!(relevant_count(&judged), 3);
        assert!(close(recall_at(&ranked, &judgments(&[("a", 0)]), 5), 0.0));
    }

    fn arb_case() -> impl Strategy<Value = (Vec<String>, Judgments, usize)> {
        let docs = prop::collection::vec("[a-f]", 0..12);
        let judged = prop::collection::btree_map("[a-h]", 0u32..4, 0..8);
        (docs, judged, 0usize..15)
    }

    proptest! {
        #[test]
        fn metrics_stay_in_unit_range((ranked, judged, k) in arb_case()) {
            for value in [
                ndcg_at(&ranked, &judged, k),
                reciprocal_rank_at(&ranked, &judged, k),
                recall_at(&ranked, &judged, k),
            ] {
                prop_assert!((0.0..=1.0 + 1e-12).contains(&value), "{value}");
            }
        }

        #[test]
        fn recall_never_drops_as_k_grows((ranked, judged, k) in arb_case()) {
            prop_assert!(recall_at(&ranked, &judged, k + 1) >= recall_at(&ranked, &judged, k));
        }

        #[test]
        fn ideal_order_scores_one(judged in prop::collection::btree_map("[a-h]", 0u32..4, 1..8)) {
            let mut ranked: Vec<(&String, &u32)> = judged.iter().collect();
            ranked.sort_by(|a, b| b.1.cmp(a.1));
            let ranked: Vec<&str> = ranked.into_iter().map(|(d, _)| d.as_str()).collect();
            let expected = if relevant_count(&judged) > 0 { 1.0 } else { 0.0 };
            prop_assert!(close(ndcg_at(&ranked, &judged, ranked.len()), expected));
        }
    }
}
