//! Storylines: one organisation's news followed across several weeks.
//!
//! A storyline follows an arc (a raise, then a launch, then a partnership …) over
//! 2–8 distinct weeks inside a 12-week window. Its organisation and partner are kept
//! out of every other piece of news from two weeks before to two weeks after, so the
//! only stories about them in that window are the storyline's own steps.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::cast::{Cast, OrgId};
use crate::event::{EventKind, Facts};

/// Storylines per week of archive.
const PER_WEEK: f64 = 0.45;
/// The longest a storyline runs, first step to last, in weeks.
pub(crate) const WINDOW: usize = 12;
/// At most this many storyline steps land in one week.
const STEPS_PER_WEEK: u32 = 5;
/// Weeks before and after a storyline in which its organisations make no other news.
const QUIET: usize = 2;

/// The arcs storylines follow; a storyline of n steps takes the first n kinds.
const ARCS: &[[EventKind; 8]] = {
    use EventKind::*;
    &[
        [
            Raise,
            Launch,
            Partnership,
            Expansion,
            Contract,
            Ipo,
            Acquisition,
            Benchmark,
        ],
        [
            Launch,
            Outage,
            Recall,
            Probe,
            Lawsuit,
            Settlement,
            Appointment,
            Launch,
        ],
        [
            Contract,
            Lawsuit,
            Probe,
            Layoffs,
            Settlement,
            Appointment,
            Raise,
            Launch,
        ],
        [
            Partnership,
            Benchmark,
            Raise,
            Acquisition,
            Probe,
            Approval,
            Expansion,
            Launch,
        ],
        [
            Launch, Probe, Approval, Expansion, Contract, Raise, Ipo, Benchmark,
        ],
        [
            Layoffs,
            Appointment,
            Raise,
            Launch,
            Partnership,
            Contract,
            Expansion,
            Ipo,
        ],
        [
            Benchmark,
            Raise,
            Launch,
            Lawsuit,
            Settlement,
            Partnership,
            Expansion,
            Ipo,
        ],
        [
            Raise,
            Expansion,
            Outage,
            Probe,
            Layoffs,
            Appointment,
            Approval,
            Contract,
        ],
    ]
};

/// How many steps a storyline has, weighted toward three to five.
const STEP_WEIGHTS: [(usize, u32); 7] = [(2, 3), (3, 4), (4, 4), (5, 3), (6, 2), (7, 1), (8, 1)];

/// One planned step of a storyline.
#[derive(Debug, Clone)]
pub(crate) struct StepPlan {
    /// The week (0-based) it appears in.
    pub week: usize,
    /// What happens.
    pub kind: EventKind,
    /// The numbers.
    pub facts: Facts,
}

/// A planned storyline.
#[derive(Debug, Clone)]
pub(crate) struct StorylinePlan {
    /// A stable, readable id: `veridian-labs-2025-01-10` (set once dates are known).
    pub id: String,
    /// A title naming the organisation and the arc.
    pub title: String,
    /// The organisation the storyline follows.
    pub org: OrgId,
    /// The second organisation in its partnerships, deals and disputes.
    pub partner: OrgId,
    /// The steps, in week order.
    pub steps: Vec<StepPlan>,
}

/// Which organisations are tied up in storylines, week by week.
#[derive(Debug, Clone)]
pub(crate) struct Reservations {
    /// For each organisation, the (first, last) weeks it is reserved.
    spans: Vec<Vec<(usize, usize)>>,
}

impl Reservations {
    fn new(orgs: usize) -> Reservations {
        Reservations {
            spans: vec![Vec::new(); orgs],
        }
    }

    fn is_free(&self, org: OrgId, first: usize, last: usize) -> bool {
        self.spans[org].iter().all(|&(a, b)| last < a || b < first)
    }

    fn reserve(&mut self, org: OrgId, first: usize, last: usize) {
        self.spans[org].push((first, last));
    }

    /// Whether `org` is reserved by a storyline in `week`.
    pub(crate) fn is_reserved(&self, org: OrgId, week: usize) -> bool {
        !self.is_free(org, week, week)
    }
}

fn step_count(rng: &mut ChaCha8Rng) -> usize {
    let total: u32 = STEP_WEIGHTS.iter().map(|(_, w)| w).sum();
    let mut pick = rng.gen_range(0..total);
    for (steps, weight) in STEP_WEIGHTS {
        if pick < weight {
            return steps;
        }
        pick -= weight;
    }
    3
}

/// The human word for a kind in a storyline title.
fn kind_word(kind: EventKind) -> &'static str {
    match kind {
        EventKind::Ipo => "IPO",
        EventKind::Appointment => "new leadership",
        EventKind::Benchmark => "benchmark result",
        EventKind::Contract => "contract win",
        other => other.as_str(),
    }
}

fn title(org: &str, kinds: &[EventKind]) -> String {
    let words: Vec<&str> = kinds.iter().map(|&k| kind_word(k)).collect();
    match words.as_slice() {
        [a, b] => format!("{org}: {a} and {b}"),
        [a, b, c] => format!("{org}: {a}, {b} and {c}"),
        [first, .., last] => format!("{org}: from {first} to {last}"),
        _ => org.to_string(),
    }
}

/// A free organisation for weeks `first..=last`, chosen by `rng`, other than `except`,
/// preferring one of the same sector as `except` (a partner, rival or target).
fn free_org(
    rng: &mut ChaCha8Rng,
    reservations: &Reservations,
    cast: &Cast,
    (first, last): (usize, usize),
    except: Option<OrgId>,
) -> Option<OrgId> {
    let orgs = cast.orgs.len();
    let start = rng.gen_range(0..orgs);
    let free: Vec<OrgId> = (0..orgs)
        .map(|offset| (start + offset) % orgs)
        .filter(|&org| Some(org) != except && reservations.is_free(org, first, last))
        .collect();
    let same_sector = |&&org: &&OrgId| {
        except.is_some_and(|other| cast.orgs[org].sector == cast.orgs[other].sector)
    };
    free.iter().find(same_sector).or(free.first()).copied()
}

/// Plans storylines over `weeks` weeks: about 0.45 per week, overlapping in time.
pub(crate) fn plan(
    rng: &mut ChaCha8Rng,
    cast: &Cast,
    weeks: usize,
) -> (Vec<StorylinePlan>, Reservations) {
    let mut reservations = Reservations::new(cast.orgs.len());
    let mut load = vec![0u32; weeks];
    let mut storylines = Vec::new();
    if weeks < 2 {
        return (storylines, reservations);
    }
    let target = (weeks as f64 * PER_WEEK).round() as usize;
    for _ in 0..target * 4 {
        if storylines.len() >= target {
            break;
        }
        let first = rng.gen_range(0..weeks - 1);
        let window_end = (first + WINDOW - 1).min(weeks - 1);
        let mut later: Vec<usize> = (first + 1..=window_end)
            .filter(|&w| load[w] < STEPS_PER_WEEK)
            .collect();
        let wanted = step_count(rng).min(later.len() + 1);
        if wanted < 2 || load[first] >= STEPS_PER_WEEK {
            continue;
        }
        let mut chosen = vec![first];
        for _ in 1..wanted {
            chosen.push(later.remove(rng.gen_range(0..later.len())));
        }
        chosen.sort_unstable();
        let last = chosen[chosen.len() - 1];
        let span = (first.saturating_sub(QUIET), last + QUIET);
        let Some(org) = free_org(rng, &reservations, cast, span, None) else {
            continue;
        };
        let Some(partner) = free_org(rng, &reservations, cast, span, Some(org)) else {
            continue;
        };
        reservations.reserve(org, span.0, span.1);
        reservations.reserve(partner, span.0, span.1);
        let arc = &ARCS[rng.gen_range(0..ARCS.len())];
        let steps: Vec<StepPlan> = chosen
            .iter()
            .zip(arc.iter())
            .map(|(&week, &kind)| {
                load[week] += 1;
                StepPlan {
                    week,
                    kind,
                    facts: Facts::random(kind, &cast.orgs[org].region, rng),
                }
            })
            .collect();
        let kinds: Vec<EventKind> = steps.iter().map(|s| s.kind).collect();
        storylines.push(StorylinePlan {
            id: String::new(),
            title: title(&cast.orgs[org].name, &kinds),
            org,
            partner,
            steps,
        });
    }
    storylines.sort_by_key(|s| (s.steps[0].week, s.org));
    (storylines, reservations)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn storylines_have_two_to_eight_steps_in_distinct_weeks_within_the_window() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let cast = Cast::new(&mut rng);
        let (storylines, reservations) = plan(&mut rng, &cast, 104);
        assert!(storylines.len() >= 40, "{}", storylines.len());
        for storyline in &storylines {
            let weeks: Vec<usize> = storyline.steps.iter().map(|s| s.week).collect();
            assert!((2..=8).contains(&weeks.len()));
            assert!(weeks.windows(2).all(|w| w[0] < w[1]));
            assert!(weeks[weeks.len() - 1] - weeks[0] < WINDOW);
            for &week in &weeks {
                assert!(reservations.is_reserved(storyline.org, week));
                assert!(reservations.is_reserved(storyline.partner, week));
            }
        }
    }

    #[test]
    fn titles_name_the_organisation_and_the_arc() {
        let kinds = [EventKind::Raise, EventKind::Launch, EventKind::Lawsuit];
        assert_eq!(
            title("Veridian Labs", &kinds),
            "Veridian Labs: raise, launch and lawsuit"
        );
    }
}
