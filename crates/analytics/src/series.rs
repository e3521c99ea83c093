//! One topic's weekly counts, and the number of events each week they are counted among.
//!
//! Every trend statistic compares a topic's *share* of the news, never its raw count:
//! a busy week mentions everything more often, and a short issue (a holiday week)
//! mentions everything less. So a series carries both the topic's counts and each
//! week's total, and the statistics treat the totals as exposure.
//!
//! Week `i` is the archive's `i`-th week; labelling weeks with dates is the caller's job.
//! Values are `f64` so that callers can pass weighted counts (an event reported in two
//! sections, say, counted once at full weight and once at half).

use serde::{Deserialize, Serialize};

use super::error::InvalidArgument;

/// A topic's mentions per week, beside the number of events of each week.
///
/// The fields are public so that callers can build series in place; the statistics
/// read them through [`WeeklySeries::count`] and [`WeeklySeries::total`], which treat
/// a missing, negative or non-finite value as zero, so a malformed series gives a
/// sensible answer rather than a panic. [`WeeklySeries::new`] checks a series whole.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WeeklySeries {
    /// Per week, the events that mention the topic.
    pub counts: Vec<f64>,
    /// Per week, all the events of that week (the topic's exposure).
    pub totals: Vec<f64>,
}

/// Counts and totals summed over a run of weeks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct WindowSum {
    /// The topic's events over the weeks.
    pub count: f64,
    /// All events over the weeks.
    pub total: f64,
    /// How many weeks of the series the window covered (it may be clipped at either end).
    pub weeks: usize,
}

impl WindowSum {
    /// The topic's share of the window's events, 0 when the window has none.
    pub fn share(&self) -> f64 {
        ratio_or_zero(self.count, self.total)
    }
}

impl WeeklySeries {
    /// A series from per-week counts and totals, checked: equal lengths, every value
    /// finite and non-negative, and no week counting more topic events than it has events.
    pub fn new(counts: Vec<f64>, totals: Vec<f64>) -> Result<Self, InvalidArgument> {
        let series = WeeklySeries { counts, totals };
        series.validate()?;
        Ok(series)
    }

    /// A series whose every week has the same number of events, handy for tests and for
    /// archives where weekly totals are unknown (then the share is proportional to the count).
    pub fn with_constant_total(counts: Vec<f64>, total: f64) -> Self {
        let totals = vec![total; counts.len()];
        WeeklySeries { counts, totals }
    }

    /// Checks what [`WeeklySeries::new`] checks, naming the first week at fault.
    pub fn validate(&self) -> Result<(), InvalidArgument> {
        if self.counts.len() != self.totals.len() {
            return Err(InvalidArgument::new(
                "totals",
                format!("{} weeks", self.totals.len()),
                format!("as many weeks as counts ({})", self.counts.len()),
            ));
        }
        for (week, (&count, &total)) in self.counts.iter().zip(&self.totals).enumerate() {
            if !(count.is_finite() && count >= 0.0) {
                return Err(InvalidArgument::new(
                    "counts",
                    format!("{count} in week {week}"),
                    "a finite number of at least 0",
                ));
            }
            if !(total.is_finite() && total >= 0.0) {
                return Err(InvalidArgument::new(
                    "totals",
                    format!("{total} in week {week}"),
                    "a finite number of at least 0",
                ));
            }
            if count > total {
                return Err(InvalidArgument::new(
                    "counts",
                    format!("{count} in week {week}"),
                    format!("at most that week's total ({total})"),
                ));
            }
        }
        Ok(())
    }

    /// The number of weeks (the longer of the two vectors; the shorter reads as zeros).
    pub fn len(&self) -> usize {
        self.counts.len().max(self.totals.len())
    }

    /// Whether the series has no weeks.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The topic's events in `week`; 0 when absent, negative or not finite.
    pub fn count(&self, week: usize) -> f64 {
        sanitize(self.counts.get(week).copied())
    }

    /// All events in `week`; 0 when absent, negative or not finite.
    pub fn total(&self, week: usize) -> f64 {
        sanitize(self.totals.get(week).copied())
    }

    /// The topic's share of `week`'s events (count / total), 0 when the week has no events.
    pub fn share_at(&self, week: usize) -> f64 {
        ratio_or_zero(self.count(week), self.total(week))
    }

    /// The topic's share of each week's events (count / total), 0 where a week has no events.
    pub fn share(&self) -> Vec<f64> {
        (0..self.len()).map(|week| self.share_at(week)).collect()
    }

    /// The sum of all counts.
    pub fn count_sum(&self) -> f64 {
        (0..self.len()).map(|week| self.count(week)).sum()
    }

    /// The sum of all totals.
    pub fn total_sum(&self) -> f64 {
        (0..self.len()).map(|week| self.total(week)).sum()
    }

    /// Counts and totals summed over weeks `start..end`, clipped to the series.
    pub fn window(&self, start: usize, end: usize) -> WindowSum {
        let end = end.min(self.len());
        let start = start.min(end);
        (start..end).fold(WindowSum::default(), |sum, week| WindowSum {
            count: sum.count + self.count(week),
            total: sum.total + self.total(week),
            weeks: sum.weeks + 1,
        })
    }
}

/// `value`, or 0 where it is missing, negative or not finite.
fn sanitize(value: Option<f64>) -> f64 {
    match value {
        Some(v) if v.is_finite() && v > 0.0 => v,
        _ => 0.0,
    }
}

/// `numerator / denominator`, or 0 when the denominator is not positive: a week with no
/// events says nothing about the topic, and 0 keeps plots and sums free of NaN.
fn ratio_or_zero(numerator: f64, denominator: f64) -> f64 {
    if denominator > 0.0 {
        numerator / denominator
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn share_is_count_over_total_and_zero_for_empty_weeks() {
        let series = WeeklySeries::new(vec![1.0, 0.0, 3.0], vec![4.0, 0.0, 6.0]).unwrap();
        assert_eq!(series.share(), vec![0.25, 0.0, 0.5]);
    }

    #[test]
    fn new_rejects_mismatched_lengths_and_bad_values() {
        let err = WeeklySeries::new(vec![1.0], vec![1.0, 2.0]).unwrap_err();
        assert_eq!(err.name, "totals");
        let err = WeeklySeries::new(vec![-1.0], vec![1.0]).unwrap_err();
        assert!(err.to_string().contains("week 0"), "{err}");
        let err = WeeklySeries::new(vec![0.0, 5.0], vec![1.0, 2.0]).unwrap_err();
        assert!(err.to_string().contains("week 1"), "{err}");
        assert!(WeeklySeries::new(vec![f64::NAN], vec![1.0]).is_err());
    }

    #[test]
    fn malformed_fields_read_as_zero() {
        let series = WeeklySeries {
            counts: vec![f64::NAN, -2.0, 3.0],
            totals: vec![1.0],
        };
        assert_eq!(series.len(), 3);
        assert_eq!(series.count(0), 0.0);
        assert_eq!(series.count(1), 0.0);
        assert_eq!(series.total(2), 0.0);
        assert_eq!(series.share(), vec![0.0, 0.0, 0.0]);
    }

    #[test]
    fn window_sums_and_clips() {
        let series = WeeklySeries::with_constant_total(vec![1.0, 2.0, 3.0, 4.0], 10.0);
        let sum = series.window(1, 3);
        assert_eq!((sum.count, sum.total, sum.weeks), (5.0, 20.0, 2));
        let clipped = series.window(2, 99);
        assert_eq!((clipped.count, clipped.weeks), (7.0, 2));
        assert_eq!(series.window(5, 2), WindowSum::default());
        assert_eq!(sum.share(), 0.25);
        assert_eq!(series.count_sum(), 10.0);
        assert_eq!(series.total_sum(), 40.0);
    }
}
