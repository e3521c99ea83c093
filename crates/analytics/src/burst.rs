//! Bursts: the runs of weeks in which a topic was "hot", by Kleinberg's automaton.
//!
//! [`super::rising`] answers "is the topic up *now*?"; this module answers "*when* was it
//! up?", over the whole archive at once, with a start and end week for each episode.
//!
//! # The model (Kleinberg 2002, "Bursty and Hierarchical Structure in Streams", §4)
//!
//! The archive is a sequence of batches, one per week: `r_t` of the week's `d_t` events
//! mention the topic. A two-state automaton emits them: in the base state `q0` each event
//! mentions the topic with probability `p0 = R / D` (the topic's share over the whole
//! archive, `R = Σ r_t`, `D = Σ d_t`); in the burst state `q1` with `p1 = s · p0`. The cost
//! of a week in state `i` is the negative log-likelihood of its batch,
//!
//! ```text
//! σ(i, r_t, d_t) = −ln[ C(d_t, r_t) · p_i^r_t · (1 − p_i)^(d_t − r_t) ]
//! ```
//!
//! and moving up from `q0` to `q1` costs `γ · ln n` (`n` weeks); moving down is free. The
//! cheapest state sequence (Viterbi, linear time) marks the burst weeks; each maximal run
//! of `q1` is a [`Burst`], weighted as Kleinberg does by how much cheaper `q1` explains it:
//! `Σ_{t in run} σ(0, r_t, d_t) − σ(1, r_t, d_t)`. Since staying in `q0` would be cheaper
//! otherwise, every burst weighs at least `γ · ln n`. The binomial coefficient is the same
//! in both states, so it cancels and is never computed.
//!
//! # Parameters
//!
//! - `s` (default 2): how much hotter a burst is than usual; a week must look like at
//!   least twice the topic's usual share to count towards a burst. Larger `s` finds fewer,
//!   sharper bursts.
//! - `gamma` (default 1): how reluctant the automaton is to enter a burst. Larger values
//!   need more, or longer, evidence; 0 marks every week that fits `q1` better.
//!
//! Two states, not Kleinberg's infinite hierarchy: with a few hundred weekly batches the
//! analyst's question is "when", and nested levels would add little but parameters.
//!
//! # Degenerate input
//!
//! No weeks, no events or no mentions: no bursts (there is no base rate to rise above).
//! A topic in every event (`p0 = 1`) has no room to burst. `p1` is clamped below 1 so that
//! a week with an unmentioned event costs a large finite amount in `q1`, never `∞` or NaN.
//! A week's count is read at most as its total, and weeks with no events cost nothing in
//! either state, so they neither start nor break a burst.

use serde::{Deserialize, Serialize};

use super::error::InvalidArgument;
use super::series::WeeklySeries;

/// The highest rate the burst state may have: just below 1, so `ln(1 − p1)` stays finite.
const MAX_BURST_RATE: f64 = 1.0 - 1e-9;

/// The parameters of Kleinberg's automaton.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BurstParams {
    /// `s`: the burst state's rate over the base rate (`p1 = s · p0`); must exceed 1. Default 2.
    pub s: f64,
    /// `γ`: the cost of entering a burst, in units of `ln n`; must be ≥ 0. Default 1.
    pub gamma: f64,
}

impl Default for BurstParams {
    fn default() -> Self {
        BurstParams { s: 2.0, gamma: 1.0 }
    }
}

impl BurstParams {
    /// Checks that `s` is a number greater than 1 and `gamma` a number of at least 0.
    pub fn validate(&self) -> Result<(), InvalidArgument> {
        if !(self.s.is_finite() && self.s > 1.0) {
            return Err(InvalidArgument::new(
                "s",
                self.s.to_string(),
                "a number greater than 1",
            ));
        }
        if !(self.gamma.is_finite() && self.gamma >= 0.0) {
            return Err(InvalidArgument::new(
                "gamma",
                self.gamma.to_string(),
                "a number of at least 0",
            ));
        }
        Ok(())
    }
}

/// A run of weeks in which the topic was in the burst state.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Burst {
    /// The first week of the burst (index into the series).
    pub start: usize,
    /// The last week of the burst, inclusive.
    pub end: usize,
    /// Kleinberg's weight: how much better the burst state explains these weeks
    /// (summed cost difference, in nats); larger is a stronger burst.
    pub weight: f64,
}

/// The topic's bursts, in chronological order.
pub fn detect_bursts(
    series: &WeeklySeries,
    params: &BurstParams,
) -> Result<Vec<Burst>, InvalidArgument> {
    params.validate()?;
    let batches: Vec<Batch> = (0..series.len())
        .map(|week| {
            let total = series.total(week);
            Batch {
                relevant: series.count(week).min(total),
                total,
            }
        })
        .collect();
    let relevant: f64 = batches.iter().map(|b| b.relevant).sum();
    let total: f64 = batches.iter().map(|b| b.total).sum();
    if relevant <= 0.0 || total <= 0.0 {
        return Ok(Vec::new());
    }
    let base_rate = relevant / total;
    if base_rate >= MAX_BURST_RATE {
        return Ok(Vec::new());
    }
    let rates = [base_rate, (params.s * base_rate).min(MAX_BURST_RATE)];
    let costs: Vec<[f64; 2]> = batches
        .iter()
        .map(|b| [b.cost(rates[0]), b.cost(rates[1])])
        .collect();
    let entry_cost = params.gamma * (batches.len() as f64).ln();
    let states = cheapest_states(&costs, entry_cost);
    Ok(runs_of_burst_state(&states, &costs))
}

/// One week's batch: `relevant` of `total` events mention the topic.
#[derive(Debug, Clone, Copy)]
struct Batch {
    relevant: f64,
    total: f64,
}

impl Batch {
    /// `−ln` of the binomial likelihood at `rate`, without the coefficient (it cancels).
    fn cost(&self, rate: f64) -> f64 {
        // Skip zero multipliers so that `0 · ln 0` is 0, not NaN.
        let mut log_likelihood = 0.0;
        if self.relevant > 0.0 {
            log_likelihood += self.relevant * rate.ln();
        }
        let irrelevant = self.total - self.relevant;
        if irrelevant > 0.0 {
            log_likelihood += irrelevant * (1.0 - rate).ln();
        }
        -log_likelihood
    }
}

/// Viterbi over the two-state automaton: per week, whether the cheapest sequence is in
/// the burst state. It starts in the base state; entering the burst costs `entry_cost`.
fn cheapest_states(costs: &[[f64; 2]], entry_cost: f64) -> Vec<bool> {
    // came_from[t][j]: the state at t − 1 on the cheapest path into state j at t.
    let mut came_from: Vec<[usize; 2]> = Vec::with_capacity(costs.len());
    let mut best = [0.0, f64::INFINITY];
    for cost in costs {
        // Ties go to the base state: no burst without evidence for one.
        let into_base = if best[0] <= best[1] { 0 } else { 1 };
        let into_burst = if best[1] <= best[0] + entry_cost {
            1
        } else {
            0
        };
        best = [
            best[into_base] + cost[0],
            best[into_burst] + if into_burst == 0 { entry_cost } else { 0.0 } + cost[1],
        ];
        came_from.push([into_base, into_burst]);
    }
    let mut state = if best[1] < best[0] { 1 } else { 0 };
    let mut states = vec![false; costs.len()];
    for (t, from) in came_from.iter().enumerate().rev() {
        states[t] = state == 1;
        state = from[state];
    }
    states
}

/// The maximal runs of `true` in `states`, each weighed by its summed cost difference.
fn runs_of_burst_state(states: &[bool], costs: &[[f64; 2]]) -> Vec<Burst> {
    let mut bursts = Vec::new();
    let mut current: Option<Burst> = None;
    for (week, (&in_burst, cost)) in states.iter().zip(costs).enumerate() {
        let saving = cost[0] - cost[1];
        current = match (current, in_burst) {
            (Some(burst), true) => Some(Burst {
                end: week,
                weight: burst.weight + saving,
                ..burst
            }),
            (None, true) => Some(Burst {
                start: week,
                end: week,
                weight: saving,
            }),
            (Some(burst), false) => {
                bursts.push(burst);
                None
            }
            (None, false) => None,
        };
    }
    bursts.extend(current);
    bursts
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn bursts(counts: Vec<f64>, total: f64) -> Vec<Burst> {
        let series = WeeklySeries::with_constant_total(counts, total);
        detect_bursts(&series, &BurstParams::default()).unwrap()
    }

    #[test]
    fn finds_a_spike_with_its_bounds() {
        // 60 weeks of 50 events; a mention every fourth week, and 5 a week in weeks 40–42.
        let counts = (0..60)
            .map(|w| match w {
                40..=42 => 5.0,
                _ if w % 4 == 1 => 1.0,
                _ => 0.0,
            })
            .collect();
        let found = bursts(counts, 50.0);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!((found[0].start, found[0].end), (40, 42));
        assert!(found[0].weight >= 60f64.ln(), "{found:?}");
    }

    #[test]
    fn flat_series_has_no_burst() {
        assert!(bursts(vec![2.0; 52], 50.0).is_empty());
        // A flat share over varying totals is flat too.
        let totals: Vec<f64> = (0..52).map(|w| f64::from(20 + (w * 7) % 30)).collect();
        let counts = totals.iter().map(|t| t / 10.0).collect();
        let series = WeeklySeries::new(counts, totals).unwrap();
        assert!(detect_bursts(&series, &BurstParams::default())
            .unwrap()
            .is_empty());
    }

    #[test]
    fn all_zero_and_empty_series_have_none() {
        assert!(bursts(vec![0.0; 30], 40.0).is_empty());
        assert!(bursts(vec![0.0; 30], 0.0).is_empty());
        assert!(bursts(Vec::new(), 40.0).is_empty());
    }

    #[test]
    fn weeks_without_events_do_not_break_a_burst() {
        let mut counts = vec![0.0; 40];
        let mut totals = vec![30.0; 40];
        counts[20] = 6.0;
        counts[22] = 6.0;
        counts[5] = 1.0;
        totals[21] = 0.0;
        let series = WeeklySeries::new(counts, totals).unwrap();
        let found = detect_bursts(&series, &BurstParams::default()).unwrap();
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!((found[0].start, found[0].end), (20, 22));
    }

    #[test]
    fn burst_rate_is_clamped_below_one() {
        // p0 = 0.6, so s · p0 = 1.2: the burst state is "every event", and only weeks
        // where every event mentions the topic fit it.
        let mut counts = vec![5.0; 20];
        counts[10] = 10.0;
        counts[11] = 10.0;
        counts[12] = 10.0;
        counts[0] = 6.0;
        let found = bursts(counts, 10.0);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!((found[0].start, found[0].end), (10, 12));
        assert!(found[0].weight.is_finite());
    }

    #[test]
    fn topic_in_every_event_has_no_room_to_burst() {
        assert!(bursts(vec![10.0; 20], 10.0).is_empty());
    }

    #[test]
    fn counts_above_totals_read_as_totals() {
        let series = WeeklySeries {
            counts: vec![0.0, 9.0, 0.0, 0.0, 0.0, 1.0],
            totals: vec![10.0, 3.0, 10.0, 10.0, 10.0, 10.0],
        };
        let found = detect_bursts(&series, &BurstParams::default()).unwrap();
        assert!(found.iter().all(|b| b.weight.is_finite()), "{found:?}");
    }

    #[test]
    fn rejects_bad_params() {
        let series = WeeklySeries::with_constant_total(vec![1.0; 5], 5.0);
        for params in [
            BurstParams { s: 1.0, gamma: 1.0 },
            BurstParams {
                s: f64::INFINITY,
                gamma: 1.0,
            },
            BurstParams {
                s: 2.0,
                gamma: -0.5,
            },
            BurstParams {
                s: 2.0,
                gamma: f64::NAN,
            },
        ] {
            assert!(detect_bursts(&series, &params).is_err(), "{params:?}");
        }
        let err = BurstParams { s: 0.5, gamma: 1.0 }.validate().unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid `s`: 0.5; expected a number greater than 1"
        );
    }

    #[test]
    fn bursts_serialize_with_inclusive_bounds() {
        let json = serde_json::to_string(&Burst {
            start: 3,
            end: 5,
            weight: 1.5,
        })
        .unwrap();
        assert_eq!(json, r#"{"start":3,"end":5,"weight":1.5}"#);
    }

    /// A series of up to 80 weeks with counts up to its totals.
    fn arb_series() -> impl Strategy<Value = WeeklySeries> {
        prop::collection::vec((0u32..10, 0u32..30), 0..80).prop_map(|weeks| {
            let (counts, totals) = weeks
                .into_iter()
                .map(|(c, t)| (f64::from(c.min(t)), f64::from(t)))
                .unzip();
            WeeklySeries { counts, totals }
        })
    }

    proptest! {
        #[test]
        fn bursts_are_ordered_disjoint_and_worth_entering(
            series in arb_series(),
            s in 1.1f64..5.0,
            gamma in 0.0f64..3.0,
        ) {
            let params = BurstParams { s, gamma };
            let found = detect_bursts(&series, &params).unwrap();
            let entry_cost = gamma * (series.len() as f64).ln();
            let mut next_free = 0;
            for burst in &found {
                prop_assert!(burst.start >= next_free && burst.start <= burst.end);
                prop_assert!(burst.end < series.len());
                // Otherwise staying in the base state would have been cheaper.
                prop_assert!(burst.weight >= entry_cost - 1e-9, "{burst:?}");
                next_free = burst.end + 2;
            }
        }

        #[test]
        fn a_costlier_entry_never_adds_bursts(series in arb_series(), gamma in 0.0f64..2.0) {
            // For a path cost A + γ·k·ln n, the optimal number of entries k cannot grow
            // with γ (burst weeks can: two bursts may merge across a gap instead).
            let count = |gamma| detect_bursts(&series, &BurstParams { s: 2.0, gamma }).unwrap().len();
            prop_assert!(count(gamma + 1.0) <= count(gamma));
        }
    }
}
