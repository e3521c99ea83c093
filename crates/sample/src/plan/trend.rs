//! Planted trends: topic phrases whose weekly mentions rise, fade or burst on a known
//! schedule, so trend detection can be scored against the truth.
//!
//! Intensity is the number of events (a top story and its copies count once) that
//! mention the phrase in a week. No other text in the archive contains these phrases.

use backissue_issue::Sector;
use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

/// The topic phrases trends are planted with, and the sector each belongs to.
pub(crate) const TERMS: &[(&str, Sector)] = &[
    ("sovereign compute", Sector::Tech),
    ("agent liability", Sector::FinanceBanking),
    ("inference surcharges", Sector::Tech),
    ("synthetic patient records", Sector::Healthcare),
    ("grid-scale batteries", Sector::Energy),
    ("model provenance labels", Sector::Tech),
    ("watermark mandates", Sector::Tech),
    ("GPU leasing", Sector::FinanceBanking),
    ("carbon-aware scheduling", Sector::Energy),
    ("tutor copilots", Sector::EducationEdTech),
    ("robot fleet insurance", Sector::Manufacturing),
    ("chiplet packaging crunch", Sector::Manufacturing),
    ("open-weight licensing", Sector::Tech),
    ("data center moratoriums", Sector::Energy),
    ("token price wars", Sector::Tech),
    ("quantum-safe encryption", Sector::FinanceBanking),
    ("ambient clinical scribes", Sector::Healthcare),
    ("digital twin factories", Sector::Manufacturing),
    ("exam proctoring bans", Sector::EducationEdTech),
    ("embedded finance agents", Sector::FinanceBanking),
    ("small modular reactors", Sector::Energy),
    ("humanoid pilot lines", Sector::Manufacturing),
    ("AI literacy mandates", Sector::EducationEdTech),
    ("credit model audits", Sector::FinanceBanking),
    ("hospital AI stewardship", Sector::Healthcare),
    ("liquid cooling retrofits", Sector::Energy),
    ("edge inference boxes", Sector::Tech),
    ("on-device translation", Sector::EducationEdTech),
    ("drug discovery consortia", Sector::Healthcare),
    ("stablecoin settlement", Sector::FinanceBanking),
    ("apprenticeship marketplaces", Sector::EducationEdTech),
    ("lights-out warehouses", Sector::Manufacturing),
];

/// At most this many trend mentions are planted in one week.
pub(crate) const MENTIONS_PER_WEEK: u32 = 14;

/// How a trend's weekly intensity moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Shape {
    /// Absent, then climbing over 6–10 weeks, then staying high to the end.
    Rising,
    /// High from the start, then falling over 6–10 weeks to nothing.
    Fading,
    /// Absent, then 3–6 events a week for 1–3 weeks, then absent again.
    Burst,
}

/// A planted trend.
#[derive(Debug, Clone)]
pub(crate) struct TrendPlan {
    /// The phrase.
    pub term: &'static str,
    /// The sector its stories lean toward.
    pub sector: Sector,
    /// How it moves.
    pub shape: Shape,
    /// Events mentioning it, week by week.
    pub intensity: Vec<u32>,
    /// The weeks where it rises, fades or bursts.
    pub key_weeks: Vec<usize>,
}

/// How many trends of each shape an archive of `weeks` weeks gets.
fn counts(weeks: usize) -> [(Shape, usize); 3] {
    let longer = usize::from(weeks >= 300);
    [
        (Shape::Rising, 3 + longer),
        (Shape::Fading, 2 + longer),
        (Shape::Burst, 3 + weeks / 100),
    ]
}

/// High but not flat: `peak`, sometimes one less.
fn plateau(rng: &mut ChaCha8Rng, peak: u32) -> u32 {
    if rng.gen_bool(0.2) {
        peak - 1
    } else {
        peak
    }
}

/// One attempt at a curve of `shape`: the weekly intensity and the key weeks.
fn curve(
    rng: &mut ChaCha8Rng,
    shape: Shape,
    weeks: usize,
    peak: u32,
) -> Option<(Vec<u32>, Vec<usize>)> {
    let mut intensity = vec![0u32; weeks];
    let mut key = Vec::new();
    match shape {
        Shape::Rising => {
            let ramp = rng.gen_range(6..=10usize);
            let low = (weeks / 6).max(weeks.saturating_sub(120)).max(3);
            let high = weeks.checked_sub(ramp + 4)?;
            if high < low {
                return None;
            }
            let onset = rng.gen_range(low..=high);
            for k in 0..ramp {
                intensity[onset + k] = ((k as u32 + 1) * peak + ramp as u32) / (ramp as u32 + 1);
                key.push(onset + k);
            }
            for value in &mut intensity[onset + ramp..] {
                *value = plateau(rng, peak);
            }
        }
        Shape::Fading => {
            let ramp = rng.gen_range(6..=10usize);
            let low = 4;
            let high = weeks.checked_sub(ramp + 4)?.min(120);
            if high < low {
                return None;
            }
            let decline = rng.gen_range(low..=high);
            for value in &mut intensity[..decline] {
                *value = plateau(rng, peak);
            }
            for k in 0..ramp {
                intensity[decline + k] =
                    ((ramp - k) as u32 * peak + ramp as u32) / (ramp as u32 + 1);
                key.push(decline + k);
            }
        }
        Shape::Burst => {
            let length = rng.gen_range(1..=3usize);
            let high = weeks.checked_sub(length + 3)?;
            if high < 3 {
                return None;
            }
            let start = rng.gen_range(3..=high);
            for (week, value) in intensity.iter_mut().enumerate().skip(start).take(length) {
                *value = rng.gen_range(3..=peak.max(3));
                key.push(week);
            }
        }
    }
    Some((intensity, key))
}

/// Plans the trends of an archive of `weeks` weeks, keeping each week's total of
/// mentions within [`MENTIONS_PER_WEEK`].
pub(crate) fn plan(rng: &mut ChaCha8Rng, weeks: usize) -> Vec<TrendPlan> {
    let mut terms: Vec<&(&str, Sector)> = TERMS.iter().collect();
    terms.shuffle(rng);
    let mut terms = terms.into_iter();
    let mut load = vec![0u32; weeks];
    let mut trends = Vec::new();
    for (shape, count) in counts(weeks) {
        for _ in 0..count {
            let mut placed = None;
            for attempt in 0..200u32 {
                // Peaks come down as attempts fail, so later trends still fit.
                let top: u32 = if shape == Shape::Burst { 6 } else { 4 };
                let peak = top.saturating_sub(attempt / 50).max(3);
                let peak = rng.gen_range(3..=peak);
                let Some((intensity, key)) = curve(rng, shape, weeks, peak) else {
                    break;
                };
                let fits = intensity
                    .iter()
                    .zip(&load)
                    .all(|(add, have)| add + have <= MENTIONS_PER_WEEK);
                if fits {
                    placed = Some((intensity, key));
                    break;
                }
            }
            let Some((intensity, key_weeks)) = placed else {
                continue;
            };
            let Some(&(term, ref sector)) = terms.next() else {
                return trends;
            };
            for (have, add) in load.iter_mut().zip(&intensity) {
                *have += add;
            }
            trends.push(TrendPlan {
                term,
                sector: sector.clone(),
                shape,
                intensity,
                key_weeks,
            });
        }
    }
    trends
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn shapes_move_the_way_they_are_named() {
        for seed in 0..20 {
            let trends = plan(&mut ChaCha8Rng::seed_from_u64(seed), 104);
            let count = |shape| trends.iter().filter(|t| t.shape == shape).count();
            assert!(
                count(Shape::Rising) >= 3 && count(Shape::Fading) >= 2 && count(Shape::Burst) >= 3
            );
            for trend in &trends {
                let first = trend.key_weeks[0];
                let last = *trend.key_weeks.last().unwrap();
                let before = &trend.intensity[..first];
                let after = &trend.intensity[last + 1..];
                match trend.shape {
                    Shape::Rising => {
                        assert!(before.iter().all(|&v| v == 0));
                        assert!(after.iter().all(|&v| v >= 2));
                        let ramp = &trend.intensity[first..=last];
                        assert!(ramp.windows(2).all(|w| w[0] <= w[1]) && ramp[0] == 1);
                    }
                    Shape::Fading => {
                        assert!(before.iter().all(|&v| v >= 2));
                        assert!(after.iter().all(|&v| v == 0));
                        let ramp = &trend.intensity[first..=last];
                        assert!(ramp.windows(2).all(|w| w[0] >= w[1]) && ramp[ramp.len() - 1] == 1);
                    }
                    Shape::Burst => {
                        assert!(before.iter().chain(after).all(|&v| v == 0));
                        assert!(trend.key_weeks.len() <= 3);
                        assert!(trend
                            .key_weeks
                            .iter()
                            .all(|&w| (3..=6).contains(&trend.intensity[w])));
                    }
                }
            }
            for week in 0..104 {
                let total: u32 = trends.iter().map(|t| t.intensity[week]).sum();
                assert!(total <= MENTIONS_PER_WEEK);
            }
        }
    }

    #[test]
    fn terms_are_distinct_and_never_inside_one_another() {
        for (i, (a, _)) in TERMS.iter().enumerate() {
            for (j, (b, _)) in TERMS.iter().enumerate() {
                assert!(i == j || !b.to_lowercase().contains(&a.to_lowercase()));
            }
        }
    }
}
