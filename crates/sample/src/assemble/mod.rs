//! Writing one week's issue from its plan.
//!
//! The week's planted news (storyline steps, trend mentions) becomes top stories
//! first, filler news fills the rest, and then the later blocks copy some of it the
//! way the newsletter does: into a sector brief and its stats, the regional watch, a
//! resource. Each copy's document id is recorded on its event as it is written.

use std::collections::BTreeSet;

use backissue_issue::{id, DateSource, Issue, Region, Sector, TopStory, TrendIndicator};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::cast::{Org, OrgId};
use crate::event::{regions_for, sectors_for, Event, EventKind, Facts, Thread};
use crate::ground_truth::EntityKind;
use crate::phrasing::commentary::{self, THEMES};
use crate::plan::{Plan, WeekPlan, SPECIAL_EDITION_MAX};

mod briefs;
mod learning;
mod story;

use story::Placed;

/// How often each kind of filler news is written.
const FILLER_KINDS: &[(EventKind, u32)] = &[
    (EventKind::Raise, 14),
    (EventKind::Launch, 16),
    (EventKind::Partnership, 9),
    (EventKind::Acquisition, 5),
    (EventKind::Lawsuit, 4),
    (EventKind::Settlement, 2),
    (EventKind::Recall, 2),
    (EventKind::Ipo, 3),
    (EventKind::Approval, 4),
    (EventKind::Probe, 3),
    (EventKind::Appointment, 5),
    (EventKind::Layoffs, 4),
    (EventKind::Expansion, 7),
    (EventKind::Outage, 3),
    (EventKind::Benchmark, 10),
    (EventKind::Contract, 6),
];

/// One written issue and what was planted in it.
#[derive(Debug, Clone)]
pub(crate) struct Written {
    /// The issue.
    pub issue: Issue,
    /// Every top story's event, in rank order.
    pub events: Vec<EventRecord>,
    /// The cast members whose names appear in the issue's documents.
    pub mentioned: BTreeSet<(OrgId, EntityKind)>,
}

/// The documents one event became.
#[derive(Debug, Clone)]
pub(crate) struct EventRecord {
    /// The top story's id first, then its copies.
    pub doc_ids: Vec<String>,
    /// The organisation.
    pub org: OrgId,
    /// What happened.
    pub kind: EventKind,
    /// (storyline index, step index) when it is a storyline step.
    pub step: Option<(usize, usize)>,
}

/// The state of writing one issue.
pub(crate) struct Desk<'a> {
    plan: &'a Plan,
    week: &'a WeekPlan,
    issue_id: String,
    rng: ChaCha8Rng,
    used: BTreeSet<OrgId>,
    mentioned: BTreeSet<(OrgId, EntityKind)>,
}

/// Writes the issue of `week`.
pub(crate) fn write_week(plan: &Plan, week: &WeekPlan) -> Written {
    let mut desk = Desk {
        plan,
        week,
        issue_id: week.date.to_string(),
        rng: ChaCha8Rng::seed_from_u64(week.seed),
        used: BTreeSet::new(),
        mentioned: BTreeSet::new(),
    };
    let mut placed = desk.top_events();
    let top_stories = desk.top_stories(&mut placed);
    let theme = THEMES[desk.rng.gen_range(0..THEMES.len())];
    let lead = placed[0].headline(&mut desk.rng);
    let gists: Vec<String> = placed.iter().take(3).map(|p| p.gist.clone()).collect();
    let mut issue = Issue {
        id: desk.issue_id.clone(),
        date: week.date,
        date_source: DateSource::FileName,
        headline: commentary::headline(&mut desk.rng, &lead, theme),
        summary: commentary::masthead_summary(&mut desk.rng, &gists, theme),
        top_stories,
        insights: Vec::new(),
        sector_briefs: Vec::new(),
        resources: Vec::new(),
        learning_paths: Vec::new(),
        regional_watch: None,
        closing: None,
        trend_indicators: Vec::new(),
        warnings: Vec::new(),
    };
    if !week.special {
        issue.insights = learning::insights(&mut desk.rng);
        issue.sector_briefs = briefs::sector_briefs(&mut desk, &mut placed);
        let (resources, topics) = learning::resources(&mut desk, &mut placed);
        issue.learning_paths = learning::learning_paths(&mut desk.rng, &resources, &topics);
        issue.resources = resources;
        issue.regional_watch = briefs::regional_watch(&mut desk, &mut placed);
        let closing_gists: Vec<String> = placed.iter().take(3).map(|p| p.gist.clone()).collect();
        issue.closing = Some(commentary::closing(&mut desk.rng, &closing_gists, theme));
        issue.trend_indicators = desk.trend_indicators(&placed);
    }
    let events = placed
        .iter()
        .map(|p| EventRecord {
            doc_ids: p.doc_ids.clone(),
            org: p.event.org,
            kind: p.event.kind,
            step: p.event.thread.as_ref().map(|t| (t.storyline, t.step)),
        })
        .collect();
    Written {
        issue,
        events,
        mentioned: desk.mentioned,
    }
}

impl Desk<'_> {
    /// A random organisation no other news in this issue uses and no storyline
    /// reserves this week, preferring one that `prefer` accepts.
    fn free_org(&mut self, prefer: impl Fn(&Org) -> bool) -> Option<OrgId> {
        let orgs = &self.plan.cast.orgs;
        let start = self.rng.gen_range(0..orgs.len());
        let free = |org: &OrgId| {
            !self.used.contains(org) && !self.plan.reservations.is_reserved(*org, self.week.index)
        };
        let order: Vec<OrgId> = (0..orgs.len())
            .map(|offset| (start + offset) % orgs.len())
            .filter(free)
            .collect();
        let chosen = order
            .iter()
            .copied()
            .find(|&org| prefer(&orgs[org]))
            .or(order.first().copied())?;
        self.used.insert(chosen);
        Some(chosen)
    }

    fn filler_kind(&mut self) -> EventKind {
        let total: u32 = FILLER_KINDS.iter().map(|(_, w)| w).sum();
        let mut pick = self.rng.gen_range(0..total);
        for &(kind, weight) in FILLER_KINDS {
            if pick < weight {
                return kind;
            }
            pick -= weight;
        }
        EventKind::Launch
    }

    fn event(
        &mut self,
        kind: EventKind,
        org: OrgId,
        partner: Option<OrgId>,
        facts: Facts,
    ) -> Event {
        let cast = &self.plan.cast;
        Event {
            kind,
            org,
            partner,
            sectors: sectors_for(kind, &cast.orgs[org].sector, &mut self.rng),
            regions: regions_for(cast, org, partner, &facts, &mut self.rng),
            facts,
            term: None,
            thread: None,
        }
    }

    /// A piece of news nobody planted, about an organisation free this week.
    fn fresh_event(&mut self, sector: Option<&Sector>, region: Option<&Region>) -> Option<Event> {
        let org = self.free_org(|o| {
            sector.is_none_or(|s| &o.sector == s) && region.is_none_or(|r| &o.region == r)
        })?;
        let mut kind = self.filler_kind();
        let wants_partner =
            kind.needs_partner() || (kind == EventKind::Raise && self.rng.gen_bool(0.4));
        // Investors lead rounds; partners, targets and litigants share the sector.
        let home = self.plan.cast.orgs[org].sector.clone();
        let partner = match kind {
            _ if !wants_partner => None,
            EventKind::Raise => self.free_org(|o| o.sector == Sector::FinanceBanking),
            EventKind::Contract => self.free_org(|_| true),
            _ => self.free_org(|o| o.sector == home),
        };
        if kind.needs_partner() && partner.is_none() {
            kind = EventKind::Launch;
        }
        let facts = Facts::random(kind, &self.plan.cast.orgs[org].region, &mut self.rng);
        Some(self.event(kind, org, partner, facts))
    }

    /// This week's storyline step `(s, k)` as an event.
    fn storyline_event(&mut self, s: usize, k: usize) -> Event {
        let storyline = &self.plan.storylines[s];
        let step = &storyline.steps[k];
        let previous = k.checked_sub(1).map(|p| {
            let before = &storyline.steps[p];
            (
                before.kind,
                before.facts.clone(),
                (step.week - before.week) as u32,
            )
        });
        self.used.insert(storyline.org);
        self.used.insert(storyline.partner);
        let with_partner =
            step.kind.needs_partner() || (step.kind == EventKind::Raise && self.rng.gen_bool(0.5));
        let partner = with_partner.then_some(storyline.partner);
        let mut event = self.event(step.kind, storyline.org, partner, step.facts.clone());
        event.thread = Some(Thread {
            storyline: s,
            step: k,
            previous,
        });
        event
    }

    /// The week's top-story events, ranked: planted ones first, then filler, with the
    /// planted trend terms spread over them.
    fn top_events(&mut self) -> Vec<Placed> {
        let mut events: Vec<Event> = Vec::new();
        for &(s, k) in &self.week.steps {
            events.push(self.storyline_event(s, k));
        }
        let planted = self.week.planted();
        let count = if self.week.special {
            self.rng.gen_range(4..=SPECIAL_EDITION_MAX).max(planted)
        } else {
            let mentions: u32 = self.week.mentions.iter().map(|(_, n)| n).sum();
            let room = self.week.steps.len() + mentions as usize;
            self.rng.gen_range(8..=20).max(room).min(20).max(planted)
        };
        // Filler news leans toward the sectors of this week's trend terms, so each
        // term lands in a story it fits.
        let mut wanted: Vec<Sector> = Vec::new();
        for &(t, mentions) in &self.week.mentions {
            let sector = &self.plan.trends[t].sector;
            wanted.extend(std::iter::repeat_n(sector.clone(), mentions as usize));
        }
        let mut wanted = wanted.into_iter();
        while events.len() < count {
            let sector = wanted.next();
            match self.fresh_event(sector.as_ref(), None) {
                Some(event) => events.push(event),
                None => break,
            }
        }
        self.spread_terms(&mut events);
        let mut keyed: Vec<(u32, Event)> = events
            .into_iter()
            .map(|event| {
                let bonus = if event.thread.is_some() { 25 } else { 0 };
                (self.rng.gen_range(0..100) + bonus, event)
            })
            .collect();
        keyed.sort_by_key(|(priority, _)| std::cmp::Reverse(*priority));
        let cast = &self.plan.cast;
        keyed
            .into_iter()
            .map(|(_, event)| Placed::new(&mut self.rng, cast, event))
            .collect()
    }

    /// Gives each planted trend mention its own event, preferring the trend's sector.
    fn spread_terms(&mut self, events: &mut [Event]) {
        for &(t, count) in &self.week.mentions {
            let trend = &self.plan.trends[t];
            let mut candidates: Vec<usize> = (0..events.len())
                .filter(|&i| events[i].term.is_none())
                .collect();
            candidates.shuffle(&mut self.rng);
            candidates.sort_by_key(|&i| !events[i].sectors.contains(&trend.sector));
            for &i in candidates.iter().take(count as usize) {
                events[i].term = Some(trend.term);
            }
        }
    }

    /// Writes the top stories, scores falling (or level) with rank.
    fn top_stories(&mut self, placed: &mut [Placed]) -> Vec<TopStory> {
        let mut score: u8 = self.rng.gen_range(84..=98);
        let mut stories = Vec::with_capacity(placed.len());
        for (index, p) in placed.iter_mut().enumerate() {
            let rank = index as u32 + 1;
            if index > 0 {
                score = score.saturating_sub(self.rng.gen_range(0..=4));
            }
            let (title, summary) = p.top_story(&mut self.rng);
            self.note(&p.event, &[&title, &summary]);
            p.doc_ids.push(id::top_story(&self.issue_id, rank));
            stories.push(TopStory {
                rank,
                title,
                summary,
                sectors: p.event.sectors.clone(),
                regions: p.event.regions.clone(),
                score,
            });
        }
        stories
    }

    /// Up to four trend indicators: evidence from the lead stories, a theme each.
    fn trend_indicators(&mut self, placed: &[Placed]) -> Vec<TrendIndicator> {
        let count = self.rng.gen_range(0..=4usize);
        let mut themes: Vec<usize> = (0..THEMES.len()).collect();
        themes.shuffle(&mut self.rng);
        placed
            .iter()
            .take(8)
            .map(|p| p.evidence(&mut self.rng))
            .filter(|evidence| evidence.chars().count() < 80)
            .take(count)
            .zip(themes)
            .map(|(evidence, theme)| TrendIndicator {
                evidence,
                theme: THEMES[theme].0.to_string(),
            })
            .collect()
    }

    /// Records which of `event`'s cast members `texts` name.
    fn note(&mut self, event: &Event, texts: &[&str]) {
        let orgs = &self.plan.cast.orgs;
        let org = &orgs[event.org];
        let mut names = vec![
            (event.org, EntityKind::Organisation, &org.name),
            (event.org, EntityKind::Product, &org.product.name),
            (event.org, EntityKind::Person, &org.person.name),
        ];
        if let Some(partner) = event.partner {
            names.push((partner, EntityKind::Organisation, &orgs[partner].name));
        }
        for (who, kind, name) in names {
            if texts.iter().any(|text| text.contains(name.as_str())) {
                self.mentioned.insert((who, kind));
            }
        }
    }
}
