//! The plan of an archive, made before any text is written: the cast, the
//! storylines, the trends, and for each week what must appear in its issue.
//!
//! Everything random about the archive's shape is drawn here from one seeded
//! generator, in a fixed order; each week then gets its own seed, so writing one
//! issue never shifts the randomness of the next.

use backissue_issue::{id, Date};
use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::cast::Cast;

pub(crate) mod storyline;
pub(crate) mod trend;

pub(crate) use storyline::{Reservations, StorylinePlan};
pub(crate) use trend::TrendPlan;

/// How often a week is a short special edition.
const SPECIAL_EDITION_CHANCE: f64 = 1.0 / 30.0;
/// A special edition is short: it never carries more than this many planted stories.
pub(crate) const SPECIAL_EDITION_MAX: usize = 7;

/// What one week's issue must contain.
#[derive(Debug, Clone)]
pub(crate) struct WeekPlan {
    /// The week's index, from 0.
    pub index: usize,
    /// The issue's date.
    pub date: Date,
    /// The seed for writing this issue.
    pub seed: u64,
    /// Whether the issue is a short special edition (masthead and top stories only).
    pub special: bool,
    /// Storyline steps in this week: (storyline index, step index).
    pub steps: Vec<(usize, usize)>,
    /// Trend mentions in this week: (trend index, number of events).
    pub mentions: Vec<(usize, u32)>,
}

impl WeekPlan {
    /// How many planted events the week needs at least.
    pub(crate) fn planted(&self) -> usize {
        let mentions: u32 = self.mentions.iter().map(|(_, n)| n).sum();
        self.steps.len().max(mentions as usize)
    }
}

/// The whole archive's plan.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    /// Everyone the archive writes about.
    pub cast: Cast,
    /// The storylines, by first week.
    pub storylines: Vec<StorylinePlan>,
    /// Who is tied up in storylines when.
    pub reservations: Reservations,
    /// The planted trends.
    pub trends: Vec<TrendPlan>,
    /// One entry per issue.
    pub weeks: Vec<WeekPlan>,
}

/// The dates of `weeks` weekly issues from `start`, stopping at the calendar's end.
fn dates(start: Date, weeks: u32) -> Vec<Date> {
    (0..i64::from(weeks))
        .map_while(|i| start.add_days(7 * i))
        .collect()
}

impl Plan {
    /// Plans an archive of `weeks` weekly issues from `start`, all drawn from `seed`.
    pub(crate) fn new(seed: u64, start: Date, weeks: u32) -> Plan {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let dates = dates(start, weeks);
        let cast = Cast::new(&mut rng);
        let (mut storylines, reservations) = storyline::plan(&mut rng, &cast, dates.len());
        for storyline in &mut storylines {
            let first = dates[storyline.steps[0].week];
            storyline.id = format!("{}-{first}", id::slug(&cast.orgs[storyline.org].name));
        }
        let trends = trend::plan(&mut rng, dates.len());
        let mut weeks: Vec<WeekPlan> = dates
            .iter()
            .enumerate()
            .map(|(index, &date)| WeekPlan {
                index,
                date,
                seed: rng.next_u64(),
                special: false,
                steps: Vec::new(),
                mentions: Vec::new(),
            })
            .collect();
        for (s, storyline) in storylines.iter().enumerate() {
            for (k, step) in storyline.steps.iter().enumerate() {
                weeks[step.week].steps.push((s, k));
            }
        }
        for (t, trend) in trends.iter().enumerate() {
            for (week, &count) in trend.intensity.iter().enumerate() {
                if count > 0 {
                    weeks[week].mentions.push((t, count));
                }
            }
        }
        for week in weeks.iter_mut().skip(1) {
            week.special =
                rng.gen_bool(SPECIAL_EDITION_CHANCE) && week.planted() <= SPECIAL_EDITION_MAX;
        }
        Plan {
            cast,
            storylines,
            reservations,
            trends,
            weeks,
        }
    }
}
