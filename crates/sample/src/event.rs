//! A piece of news before it is written: what happened, to whom, and the numbers.
//!
//! An [`Event`] is reported once as a top story and may be copied into a sector
//! brief, a stat, the regional watch and a resource; every copy is written from the
//! same [`Facts`], so the numbers agree wherever the news appears.

use backissue_issue::{Region, Sector};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::cast::{Cast, OrgId};

/// What kind of news an event is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EventKind {
    /// A funding round.
    Raise,
    /// A product launch.
    Launch,
    /// A partnership with another organisation.
    Partnership,
    /// Buying another organisation.
    Acquisition,
    /// A lawsuit between two organisations.
    Lawsuit,
    /// A lawsuit settled.
    Settlement,
    /// A product recalled or pulled.
    Recall,
    /// A stock-market listing.
    Ipo,
    /// A regulator's approval.
    Approval,
    /// A regulator's investigation.
    Probe,
    /// A new leader appointed.
    Appointment,
    /// Job cuts.
    Layoffs,
    /// New sites, capacity or markets.
    Expansion,
    /// A service outage.
    Outage,
    /// A benchmark or research result.
    Benchmark,
    /// A large contract won.
    Contract,
}

impl EventKind {
    /// Every kind, in declaration order.
    pub const ALL: [EventKind; 16] = [
        EventKind::Raise,
        EventKind::Launch,
        EventKind::Partnership,
        EventKind::Acquisition,
        EventKind::Lawsuit,
        EventKind::Settlement,
        EventKind::Recall,
        EventKind::Ipo,
        EventKind::Approval,
        EventKind::Probe,
        EventKind::Appointment,
        EventKind::Layoffs,
        EventKind::Expansion,
        EventKind::Outage,
        EventKind::Benchmark,
        EventKind::Contract,
    ];

    /// The kind as ground truth writes it: `raise`, `launch`, …
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Raise => "raise",
            EventKind::Launch => "launch",
            EventKind::Partnership => "partnership",
            EventKind::Acquisition => "acquisition",
            EventKind::Lawsuit => "lawsuit",
            EventKind::Settlement => "settlement",
            EventKind::Recall => "recall",
            EventKind::Ipo => "ipo",
            EventKind::Approval => "approval",
            EventKind::Probe => "probe",
            EventKind::Appointment => "appointment",
            EventKind::Layoffs => "layoffs",
            EventKind::Expansion => "expansion",
            EventKind::Outage => "outage",
            EventKind::Benchmark => "benchmark",
            EventKind::Contract => "contract",
        }
    }

    /// Whether the news needs a second organisation (a partner, a target, a plaintiff).
    pub(crate) fn needs_partner(self) -> bool {
        matches!(
            self,
            EventKind::Partnership
                | EventKind::Acquisition
                | EventKind::Lawsuit
                | EventKind::Settlement
                | EventKind::Contract
        )
    }
}

/// The numbers of one piece of news, already written the way the newsletter writes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Facts {
    /// Money: `$40M`, `$1.2B`, `$10-14B`, `₹250Cr`, `€300M`.
    pub amount: String,
    /// A release: `v2.1.0`.
    pub version: String,
    /// A count whose meaning depends on the kind (units, jobs, acres, hours): `2,000`.
    pub count: String,
    /// A percentage: `37%`.
    pub pct: String,
    /// A number of years: tenure, experience.
    pub years: u32,
    /// The region a regulator, listing or expansion concerns.
    pub region: Region,
}

/// One piece of news in one issue.
#[derive(Debug, Clone)]
pub(crate) struct Event {
    /// What happened.
    pub kind: EventKind,
    /// To whom.
    pub org: OrgId,
    /// The second organisation, when the kind needs one.
    pub partner: Option<OrgId>,
    /// The numbers.
    pub facts: Facts,
    /// The sector tags, primary first.
    pub sectors: Vec<Sector>,
    /// The region tags, `Global` first when present.
    pub regions: Vec<Region>,
    /// The planted trend term the story mentions, if any.
    pub term: Option<&'static str>,
    /// The storyline this event is a step of, and what came before.
    pub thread: Option<Thread>,
}

/// Where an event sits in its storyline.
#[derive(Debug, Clone)]
pub(crate) struct Thread {
    /// The storyline's index in the plan.
    pub storyline: usize,
    /// The step's index in the storyline.
    pub step: usize,
    /// The previous step and how many weeks ago it was.
    pub previous: Option<(EventKind, Facts, u32)>,
}

/// Amounts in US dollar millions, by kind: (low, high).
fn amount_range(kind: EventKind) -> (f64, f64) {
    match kind {
        EventKind::Raise => (4.0, 1_500.0),
        EventKind::Acquisition => (60.0, 6_000.0),
        EventKind::Ipo => (800.0, 14_000.0),
        EventKind::Settlement | EventKind::Lawsuit => (10.0, 900.0),
        EventKind::Contract => (20.0, 2_500.0),
        EventKind::Expansion => (150.0, 12_000.0),
        _ => (5.0, 400.0),
    }
}

/// `value` rounded to two significant figures.
fn two_figures(value: f64) -> f64 {
    if value <= 0.0 {
        return 0.0;
    }
    let magnitude = 10f64.powi(value.log10().floor() as i32 - 1);
    (value / magnitude).round() * magnitude
}

/// `1234567` → `1,234,567`.
pub(crate) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Millions of a currency written `40M`, `650M`, `1.2B`, `14B`.
fn millions(value: f64) -> String {
    let value = two_figures(value);
    if value < 1_000.0 {
        format!("{}M", value.max(1.0) as u64)
    } else if value < 10_000.0 {
        let billions = (value / 100.0).round() / 10.0;
        if billions.fract() == 0.0 {
            format!("{}B", billions as u64)
        } else {
            format!("{billions:.1}B")
        }
    } else {
        format!("{}B", (value / 1_000.0).round() as u64)
    }
}

/// An amount of `usd_millions` in the currency the region writes it in.
pub(crate) fn money(usd_millions: f64, region: &Region) -> String {
    match region {
        Region::India => format!("₹{}Cr", thousands(two_figures(usd_millions * 8.4) as u64)),
        Region::Japan => format!("¥{}", millions(usd_millions * 150.0)),
        Region::Uk => format!("£{}", millions(usd_millions * 0.79)),
        Region::Germany | Region::France | Region::Eu | Region::Europe => {
            format!("€{}", millions(usd_millions * 0.92))
        }
        _ => format!("${}", millions(usd_millions)),
    }
}

/// A listing target written as a range, `$10-14B`, where the currency allows it.
fn money_range(usd_millions: f64, region: &Region) -> String {
    let low = (usd_millions / 1_000.0).max(1.0).round() as u64;
    let high = low + 1 + low / 3;
    match region {
        Region::India | Region::Japan => money(usd_millions, region),
        Region::Uk => format!("£{low}-{high}B"),
        Region::Germany | Region::France | Region::Eu | Region::Europe => {
            format!("€{low}-{high}B")
        }
        _ => format!("${low}-{high}B"),
    }
}

/// The region a regulator or listing concerns, given the organisation's home.
fn venue(kind: EventKind, home: &Region, rng: &mut ChaCha8Rng) -> Region {
    match kind {
        EventKind::Ipo if rng.gen_bool(0.5) => Region::Us,
        EventKind::Approval | EventKind::Probe if rng.gen_bool(0.3) => Region::Eu,
        EventKind::Expansion if rng.gen_bool(0.5) => {
            const MARKETS: [Region; 8] = [
                Region::Us,
                Region::India,
                Region::Japan,
                Region::Singapore,
                Region::Uae,
                Region::Germany,
                Region::Brazil,
                Region::Australia,
            ];
            MARKETS[rng.gen_range(0..MARKETS.len())].clone()
        }
        _ => home.clone(),
    }
}

impl Facts {
    /// Plausible numbers for news of `kind` about an organisation based in `home`.
    pub(crate) fn random(kind: EventKind, home: &Region, rng: &mut ChaCha8Rng) -> Facts {
        let region = venue(kind, home, rng);
        let (low, high) = amount_range(kind);
        let usd = (rng.gen_range(low.ln()..high.ln())).exp();
        let amount = if kind == EventKind::Ipo {
            money_range(usd, &region)
        } else {
            money(usd, &region)
        };
        let count = match kind {
            EventKind::Recall => thousands(two_figures(rng.gen_range(800.0..90_000.0)) as u64),
            EventKind::Layoffs => rng.gen_range(40..2_400).to_string(),
            EventKind::Expansion => thousands(rng.gen_range(2..40u64) * 50),
            EventKind::Outage => rng.gen_range(3..40).to_string(),
            _ => thousands(rng.gen_range(3..120u64) * 10),
        };
        Facts {
            amount,
            version: format!(
                "v{}.{}.{}",
                rng.gen_range(0..5),
                rng.gen_range(1..12),
                rng.gen_range(0..9)
            ),
            count,
            pct: format!("{}%", rng.gen_range(8..64)),
            years: rng.gen_range(4..25),
            region,
        }
    }
}

/// Sector tags for news of `kind` about an organisation of `primary`.
pub(crate) fn sectors_for(kind: EventKind, primary: &Sector, rng: &mut ChaCha8Rng) -> Vec<Sector> {
    let mut sectors = vec![primary.clone()];
    let mut add = |sector: Sector| {
        if !sectors.contains(&sector) && sectors.len() < 3 {
            sectors.push(sector);
        }
    };
    match kind {
        EventKind::Raise
        | EventKind::Ipo
        | EventKind::Acquisition
        | EventKind::Settlement
        | EventKind::Contract
            if rng.gen_bool(0.5) =>
        {
            add(Sector::FinanceBanking)
        }
        EventKind::Expansion | EventKind::Outage if rng.gen_bool(0.6) => add(Sector::Energy),
        EventKind::Launch | EventKind::Benchmark if rng.gen_bool(0.5) => add(Sector::Tech),
        _ => {}
    }
    if rng.gen_bool(0.3) {
        add(Sector::KNOWN[rng.gen_range(0..Sector::KNOWN.len())].clone());
    }
    sectors
}

/// Region tags: `Global` first when the news is global, then where it happens.
pub(crate) fn regions_for(
    cast: &Cast,
    org: OrgId,
    partner: Option<OrgId>,
    facts: &Facts,
    rng: &mut ChaCha8Rng,
) -> Vec<Region> {
    let mut regions = Vec::new();
    if rng.gen_bool(0.35) {
        regions.push(Region::Global);
    }
    let mut add = |region: Region| {
        if !regions.contains(&region) && regions.len() < 3 {
            regions.push(region);
        }
    };
    add(cast.orgs[org].region.clone());
    if facts.region != cast.orgs[org].region {
        add(facts.region.clone());
    }
    if let Some(partner) = partner {
        if rng.gen_bool(0.6) {
            add(cast.orgs[partner].region.clone());
        }
    }
    regions
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_reads_like_the_newsletter() {
        assert_eq!(money(40.0, &Region::Us), "$40M");
        assert_eq!(money(1_234.0, &Region::Us), "$1.2B");
        assert_eq!(money(14_200.0, &Region::Us), "$14B");
        assert_eq!(money(30.0, &Region::India), "₹250Cr");
        assert_eq!(money_range(10_000.0, &Region::Us), "$10-14B");
        assert_eq!(thousands(2000), "2,000");
    }
}
