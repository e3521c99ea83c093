//! Rising and falling topics: do a topic's last few weeks stand out against the weeks before?
//!
//! For a target week `w`, the **recent** window is the `R` weeks ending at `w` (inclusive)
//! and the **baseline** the `B` weeks before that. Each window has the topic's mentions
//! (`c_r`, `c_b`) and all events (`n_r`, `n_b`), the exposure.
//!
//! # The statistic
//!
//! Mentions are modelled as Poisson with a rate per event, one rate per window. Given
//! the `N = c_r + c_b` mentions of both windows, "no change" says each mention lands in
//! the recent window with probability `π = n_r / (n_r + n_b)`, its share of the exposure.
//! The score is the **signed square root of the likelihood-ratio statistic** of that
//! binomial (the deviance):
//!
//! ```text
//! G = 2 · [ c_r · ln(c_r / (N·π)) + c_b · ln(c_b / (N·(1 − π))) ]
//! score = sign(c_r/n_r − c_b/n_b) · √G
//! ```
//!
//! which is approximately a standard normal z-score under "no change": about ±2 is
//! notable, ±4 is strong. Before it is computed, `prior` pseudo-mentions (default 1)
//! are added, spread across the windows in proportion to exposure (`prior·π` recent,
//! `prior·(1 − π)` baseline). The pseudo-mentions sit exactly at "no change", so they
//! shrink small counts towards 0 without ever changing a topic's direction (they add the
//! same `prior / (n_r + n_b)` to both rates), and a flat series scores exactly 0.
//!
//! Why this and not the obvious alternatives:
//!
//! - **Raw rate ratio**: 0 → 1 mention is an infinite rise. Ratios reward noise.
//! - **Wald z of the log rate ratio** (`ln(rate ratio) / √(1/c_r + 1/c_b)`, with +0.5
//!   smoothing): its standard error is driven by the smaller count, so it is *not
//!   monotone* at zero: a topic going from 5 a week to 0 scores about −2.6, yet one going
//!   from 5 a week to 1 in the whole recent window scores about −3.1. Falling topics
//!   vanish, so that is exactly the case that matters (the Hauck–Donner effect).
//! - **Score (Pearson) z**: monotone too, but less accurate at small counts than the
//!   likelihood ratio, and it rates 0 → 2 mentions higher than this score does.
//!
//! The signed-root likelihood ratio is defined at zero counts, rises with every extra
//! recent mention and falls with every extra baseline one, depends on the totals only
//! through `π` (so scaling every week's total by the same factor changes nothing), and
//! grows like √N, so a stray mention (0 → 1 scores about 1.1) ranks well below a real rise
//! (1 a week → 6 a week scores about 5.2). The smoothed rate ratio is reported beside it
//! for people: "3.4× as often as before".
//!
//! **Minimum support** removes what no statistic should rank: a rising topic needs at
//! least `min_support` recent mentions, a falling one that many baseline mentions.
//!
//! Windows are clipped at the start of the archive; a topic is skipped when `w` lies
//! beyond its series or either window holds no events.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use super::error::InvalidArgument;
use super::series::WeeklySeries;

/// The windows and thresholds of [`rank_rising`] and [`rank_falling`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RisingParams {
    /// `R`: weeks in the recent window, ending at the target week (inclusive). Default 4.
    pub recent_weeks: usize,
    /// `B`: weeks in the baseline window, just before the recent one. Default 12.
    pub baseline_weeks: usize,
    /// Least recent mentions of a rising topic, and least baseline mentions of a falling
    /// one. Default 2.
    pub min_support: f64,
    /// Pseudo-mentions added at "no change" to shrink small counts; must be positive.
    /// Default 1 (half a mention per window when the windows hold equal exposure).
    pub prior: f64,
}

impl Default for RisingParams {
    fn default() -> Self {
        RisingParams {
            recent_weeks: 4,
            baseline_weeks: 12,
            min_support: 2.0,
            prior: 1.0,
        }
    }
}

impl RisingParams {
    /// Checks that both windows have weeks, `min_support` is a number ≥ 0 and `prior` > 0.
    pub fn validate(&self) -> Result<(), InvalidArgument> {
        if self.recent_weeks == 0 {
            return Err(InvalidArgument::new("recent_weeks", "0", "at least 1 week"));
        }
        if self.baseline_weeks == 0 {
            return Err(InvalidArgument::new(
                "baseline_weeks",
                "0",
                "at least 1 week",
            ));
        }
        if !(self.min_support.is_finite() && self.min_support >= 0.0) {
            return Err(InvalidArgument::new(
                "min_support",
                self.min_support.to_string(),
                "a number of at least 0",
            ));
        }
        if !(self.prior.is_finite() && self.prior > 0.0) {
            return Err(InvalidArgument::new(
                "prior",
                self.prior.to_string(),
                "a number greater than 0",
            ));
        }
        Ok(())
    }
}

/// Which way a topic moved between the baseline and the recent window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// The recent share is higher than the baseline share (score > 0).
    Rising,
    /// The recent share is lower than the baseline share (score < 0).
    Falling,
    /// The shares are equal (score = 0).
    Steady,
}

/// How one topic's recent weeks compare with its baseline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TopicChange {
    /// The topic, as the caller named it.
    pub name: String,
    /// Signed z-score (signed root of the likelihood-ratio statistic): positive rising,
    /// negative falling, about ±2 notable.
    pub score: f64,
    /// The sign of `score`, spelled out.
    pub direction: Direction,
    /// The topic's share of the recent window's events.
    pub recent_rate: f64,
    /// The topic's share of the baseline window's events.
    pub baseline_rate: f64,
    /// Mentions in the recent window.
    pub recent_count: f64,
    /// Mentions in the baseline window.
    pub baseline_count: f64,
    /// Recent rate over baseline rate, both smoothed by the prior (never 0 or infinite).
    pub rate_ratio: f64,
}

/// Topics whose recent weeks rise above their baseline, strongest first.
///
/// Only topics with a positive score and at least `min_support` recent mentions are kept.
/// `week` is the last week of the recent window, as an index into every series.
pub fn rank_rising<N: AsRef<str>>(
    topics: &[(N, WeeklySeries)],
    week: usize,
    params: &RisingParams,
) -> Result<Vec<TopicChange>, InvalidArgument> {
    params.validate()?;
    let mut changes: Vec<TopicChange> = topics
        .iter()
        .filter_map(|(name, series)| change(name.as_ref(), series, week, params))
        .filter(|c| c.direction == Direction::Rising && c.recent_count >= params.min_support)
        .collect();
    changes.sort_by(|a, b| by_score_then_name(b, a));
    Ok(changes)
}

/// Topics whose recent weeks fall below their baseline, steepest first (most negative score).
///
/// Only topics with a negative score and at least `min_support` baseline mentions are kept.
pub fn rank_falling<N: AsRef<str>>(
    topics: &[(N, WeeklySeries)],
    week: usize,
    params: &RisingParams,
) -> Result<Vec<TopicChange>, InvalidArgument> {
    params.validate()?;
    let mut changes: Vec<TopicChange> = topics
        .iter()
        .filter_map(|(name, series)| change(name.as_ref(), series, week, params))
        .filter(|c| c.direction == Direction::Falling && c.baseline_count >= params.min_support)
        .collect();
    changes.sort_by(by_score_then_name);
    Ok(changes)
}

/// One topic's change at `week`, without support filtering; `None` when `week` lies beyond
/// the series or a window holds no events.
pub fn topic_change(
    name: &str,
    series: &WeeklySeries,
    week: usize,
    params: &RisingParams,
) -> Result<Option<TopicChange>, InvalidArgument> {
    params.validate()?;
    Ok(change(name, series, week, params))
}

/// [`topic_change`] with `params` already validated.
fn change(
    name: &str,
    series: &WeeklySeries,
    week: usize,
    params: &RisingParams,
) -> Option<TopicChange> {
    if week >= series.len() {
        return None;
    }
    let recent_start = (week + 1).saturating_sub(params.recent_weeks);
    let baseline_start = recent_start.saturating_sub(params.baseline_weeks);
    let recent = series.window(recent_start, week + 1);
    let baseline = series.window(baseline_start, recent_start);
    if recent.total <= 0.0 || baseline.total <= 0.0 {
        return None;
    }

    let exposure = recent.total + baseline.total;
    let recent_share_of_exposure = recent.total / exposure;
    let smoothed_recent = recent.count + params.prior * recent_share_of_exposure;
    let smoothed_baseline = baseline.count + params.prior * (1.0 - recent_share_of_exposure);
    let deviance = binomial_deviance(smoothed_recent, smoothed_baseline, recent_share_of_exposure);

    let direction = compare_rates(recent.count * baseline.total, baseline.count * recent.total);
    let magnitude = deviance.sqrt();
    let score = match direction {
        Direction::Rising => magnitude,
        Direction::Falling => -magnitude,
        Direction::Steady => 0.0,
    };

    Some(TopicChange {
        name: name.to_owned(),
        score,
        direction,
        recent_rate: recent.share(),
        baseline_rate: baseline.share(),
        recent_count: recent.count,
        baseline_count: baseline.count,
        rate_ratio: (smoothed_recent / recent.total) / (smoothed_baseline / baseline.total),
    })
}

/// Rising, falling or steady, from the two rates cross-multiplied (`c_r·n_b` against
/// `c_b·n_r`). Rates equal to 12 significant digits are steady: a flat series must not
/// come out as rising or falling by a rounding error, whatever scale its totals are on.
fn compare_rates(recent: f64, baseline: f64) -> Direction {
    const RELATIVE_TOLERANCE: f64 = 1e-12;
    if (recent - baseline).abs() <= RELATIVE_TOLERANCE * recent.max(baseline) {
        Direction::Steady
    } else if recent > baseline {
        Direction::Rising
    } else {
        Direction::Falling
    }
}

/// The likelihood-ratio statistic `G` for `recent` of `recent + baseline` mentions landing
/// in the recent window, against the null probability `p` (both counts > 0, 0 < p < 1).
fn binomial_deviance(recent: f64, baseline: f64, p: f64) -> f64 {
    let n = recent + baseline;
    let g = 2.0 * (x_ln_x_over(recent, n * p) + x_ln_x_over(baseline, n * (1.0 - p)));
    // Rounding can leave a hair below zero when observed equals expected.
    g.max(0.0)
}

/// `x · ln(x / expected)`, with the limit 0 at `x = 0`.
fn x_ln_x_over(x: f64, expected: f64) -> f64 {
    if x > 0.0 {
        x * (x / expected).ln()
    } else {
        0.0
    }
}

/// Ascending score, then name, so that equal scores list in a stable, readable order.
fn by_score_then_name(a: &TopicChange, b: &TopicChange) -> Ordering {
    a.score
        .total_cmp(&b.score)
        .then_with(|| b.name.cmp(&a.name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const WEEKS: usize = 20;
    const LAST: usize = WEEKS - 1;

    /// `before` mentions a week, then `after` a week for the last four weeks, of 50 events.
    fn step(before: f64, after: f64) -> WeeklySeries {
        let counts = (0..WEEKS)
            .map(|w| if w + 4 > LAST { after } else { before })
            .collect();
        WeeklySeries::with_constant_total(counts, 50.0)
    }

    fn one(series: &WeeklySeries) -> TopicChange {
        topic_change("t", series, LAST, &RisingParams::default())
            .unwrap()
            .unwrap()
    }

    #[test]
    fn jump_from_one_to_six_scores_high_and_positive() {
        let change = one(&step(1.0, 6.0));
        assert_eq!(change.direction, Direction::Rising);
        assert!(change.score > 4.0, "{change:?}");
        assert_eq!((change.recent_count, change.baseline_count), (24.0, 12.0));
        assert!((change.recent_rate - 0.12).abs() < 1e-12);
        assert!((change.baseline_rate - 0.02).abs() < 1e-12);
        assert!(
            change.rate_ratio > 4.0 && change.rate_ratio < 6.0,
            "{change:?}"
        );
    }

    #[test]
    fn flat_series_scores_zero() {
        for level in [0.0, 1.0, 3.0, 7.0] {
            let change = one(&step(level, level));
            assert_eq!(change.direction, Direction::Steady);
            assert!(change.score.abs() < 1e-6, "{change:?}");
        }
    }

    #[test]
    fn fading_from_five_to_zero_is_falling() {
        let fading = [("fading", step(5.0, 0.0))];
        let ranked = rank_falling(&fading, LAST, &RisingParams::default()).unwrap();
        assert_eq!(ranked.len(), 1);
        assert_eq!(ranked[0].direction, Direction::Falling);
        assert!(ranked[0].score < -4.0, "{:?}", ranked[0]);
        assert!(rank_rising(&fading, LAST, &RisingParams::default())
            .unwrap()
            .is_empty());
    }

    #[test]
    fn vanishing_falls_harder_than_nearly_vanishing() {
        // The case a Wald z gets backwards.
        let vanished = one(&step(5.0, 0.0));
        let mut nearly = step(5.0, 0.0);
        nearly.counts[LAST] = 1.0;
        assert!(vanished.score < one(&nearly).score);
    }

    #[test]
    fn zero_to_three_scores_sensibly() {
        let change = one(&step(0.0, 0.75));
        assert_eq!(change.recent_count, 3.0);
        assert!(change.score > 1.5 && change.score < 3.5, "{change:?}");
        assert!(change.rate_ratio.is_finite());
    }

    #[test]
    fn a_stray_mention_ranks_below_a_real_rise() {
        let mut stray = step(0.0, 0.0);
        stray.counts[LAST] = 1.0;
        let topics = [("stray", stray), ("real", step(1.0, 6.0))];
        let ranked = rank_rising(&topics, LAST, &RisingParams::default()).unwrap();
        let names: Vec<&str> = ranked.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["real"], "min support drops the stray mention");

        let no_support = RisingParams {
            min_support: 0.0,
            ..RisingParams::default()
        };
        let ranked = rank_rising(&topics, LAST, &no_support).unwrap();
        let names: Vec<&str> = ranked.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["real", "stray"], "the score alone ranks it lower");
        assert!(ranked[1].score < 1.5, "{:?}", ranked[1]);
    }

    #[test]
    fn rising_is_sorted_strongest_first() {
        let topics = [
            ("small", step(1.0, 2.0)),
            ("big", step(1.0, 6.0)),
            ("medium", step(1.0, 3.0)),
        ];
        let ranked = rank_rising(&topics, LAST, &RisingParams::default()).unwrap();
        let names: Vec<&str> = ranked.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["big", "medium", "small"]);
    }

    #[test]
    fn skips_topics_without_history_or_exposure() {
        let params = RisingParams::default();
        let series = step(1.0, 6.0);
        assert_eq!(topic_change("t", &series, WEEKS, &params).unwrap(), None);
        // Week 3 has a full recent window but no baseline before it.
        assert_eq!(topic_change("t", &series, 3, &params).unwrap(), None);
        // A clipped baseline still counts.
        assert!(topic_change("t", &series, 5, &params).unwrap().is_some());
        let silent = WeeklySeries::new(vec![0.0; WEEKS], vec![0.0; WEEKS]).unwrap();
        assert_eq!(topic_change("t", &silent, LAST, &params).unwrap(), None);
    }

    #[test]
    fn rejects_bad_params() {
        let series = [("t", step(1.0, 1.0))];
        let cases = [
            RisingParams {
                recent_weeks: 0,
                ..RisingParams::default()
            },
            RisingParams {
                baseline_weeks: 0,
                ..RisingParams::default()
            },
            RisingParams {
                min_support: f64::NAN,
                ..RisingParams::default()
            },
            RisingParams {
                prior: 0.0,
                ..RisingParams::default()
            },
        ];
        for params in cases {
            assert!(rank_rising(&series, LAST, &params).is_err(), "{params:?}");
        }
        let err = RisingParams {
            prior: -1.0,
            ..RisingParams::default()
        }
        .validate()
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid `prior`: -1; expected a number greater than 0"
        );
    }

    #[test]
    fn params_deserialize_with_defaults() {
        let params: RisingParams = serde_json::from_str(r#"{"recent_weeks": 2}"#).unwrap();
        assert_eq!(params.recent_weeks, 2);
        assert_eq!(params.baseline_weeks, 12);
        let json = serde_json::to_value(one(&step(1.0, 6.0))).unwrap();
        assert_eq!(json["direction"], "rising");
    }

    /// The change at week 15 of a 16-week series: both windows full.
    fn at_week_15(series: &WeeklySeries) -> TopicChange {
        topic_change("t", series, 15, &RisingParams::default())
            .unwrap()
            .unwrap()
    }

    /// A series of 16 weeks with counts up to its totals.
    fn arb_series() -> impl Strategy<Value = WeeklySeries> {
        prop::collection::vec((0u32..8, 8u32..60), 16).prop_map(|weeks| {
            let (counts, totals) = weeks
                .into_iter()
                .map(|(c, t)| (f64::from(c), f64::from(t)))
                .unzip();
            WeeklySeries { counts, totals }
        })
    }

    proptest! {
        #[test]
        fn scaling_totals_changes_nothing(series in arb_series(), factor in 0.01f64..100.0) {
            let before = at_week_15(&series);
            let scaled = WeeklySeries {
                counts: series.counts.clone(),
                totals: series.totals.iter().map(|t| t * factor).collect(),
            };
            let after = at_week_15(&scaled);
            prop_assert_eq!(before.direction, after.direction);
            prop_assert!((before.score - after.score).abs() < 1e-9, "{} vs {}", before.score, after.score);
        }

        #[test]
        fn direction_follows_raw_rates(series in arb_series()) {
            let change = at_week_15(&series);
            let gap = change.recent_rate - change.baseline_rate;
            let expected = if gap > 1e-9 {
                Direction::Rising
            } else if gap < -1e-9 {
                Direction::Falling
            } else {
                change.direction
            };
            prop_assert_eq!(change.direction, expected);
            prop_assert_eq!(change.score > 0.0, change.direction == Direction::Rising);
            prop_assert_eq!(change.score < 0.0, change.direction == Direction::Falling);
        }

        #[test]
        fn another_recent_mention_never_lowers_the_score(series in arb_series(), week in 12usize..16) {
            let before = at_week_15(&series);
            let mut more = series.clone();
            // Counts stay below the week's total (at least 8), so the series stays valid.
            more.counts[week] += 1.0;
            let after = at_week_15(&more);
            prop_assert!(after.score > before.score, "{} <= {}", after.score, before.score);
        }

        #[test]
        fn another_baseline_mention_never_raises_the_score(series in arb_series(), week in 0usize..12) {
            let before = at_week_15(&series);
            let mut more = series.clone();
            more.counts[week] += 1.0;
            let after = at_week_15(&more);
            prop_assert!(after.score < before.score, "{} >= {}", after.score, before.score);
        }
    }
}
