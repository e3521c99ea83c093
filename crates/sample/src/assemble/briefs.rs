//! Sector briefs and the regional watch: where top stories are copied with longer
//! bodies, alongside stories that appear nowhere else in the issue.

use std::collections::BTreeMap;

use backissue_issue::{id, Region, RegionalWatch, Sector, SectorBrief, Source, SourcedStory, Stat};
use rand::seq::SliceRandom;
use rand::Rng;

use super::story::{Place, Placed};
use super::Desk;
use crate::event::EventKind;
use crate::phrasing::commentary;

/// A story in a brief or the watch: a copy of a top story, or news of its own.
enum Entry {
    Copy(usize),
    Solo(Box<Placed>),
}

/// Regions a watch may cover when no top story points at one.
const WATCH_REGIONS: &[Region] = &[
    Region::India,
    Region::Japan,
    Region::SouthKorea,
    Region::China,
    Region::Uk,
    Region::Eu,
    Region::Germany,
    Region::France,
    Region::Singapore,
    Region::SoutheastAsia,
    Region::Australia,
    Region::Canada,
    Region::Israel,
    Region::Uae,
    Region::SaudiArabia,
    Region::MiddleEast,
    Region::Africa,
    Region::Brazil,
    Region::LatinAmerica,
    Region::Taiwan,
    Region::Europe,
    Region::Us,
];

fn source(
    desk: &mut Desk<'_>,
    kind: EventKind,
    sector: Option<&Sector>,
    region: Option<&Region>,
) -> Source {
    let pool: &[Source] = match (kind, sector, region) {
        (_, _, Some(Region::India)) => &[
            Source::Inc42,
            Source::Inc42,
            Source::Reuters,
            Source::TechCrunch,
        ],
        (EventKind::Launch | EventKind::Benchmark, _, _) => &[
            Source::HuggingFaceBlog,
            Source::TheVerge,
            Source::VentureBeat,
            Source::TechCrunch,
        ],
        (_, Some(Sector::FinanceBanking), _) | (EventKind::Raise | EventKind::Ipo, _, _) => &[
            Source::Bloomberg,
            Source::FinancialTimes,
            Source::Reuters,
            Source::TechCrunch,
        ],
        (EventKind::Probe | EventKind::Lawsuit | EventKind::Settlement, _, _) => &[
            Source::Reuters,
            Source::Wired,
            Source::TheVerge,
            Source::FinancialTimes,
        ],
        (_, Some(Sector::Healthcare | Sector::EducationEdTech), _) => &[
            Source::MitTechnologyReview,
            Source::TechCrunch,
            Source::Wired,
        ],
        _ => &[
            Source::TechCrunch,
            Source::Reuters,
            Source::VentureBeat,
            Source::TheVerge,
            Source::Bloomberg,
        ],
    };
    pool[desk.rng.gen_range(0..pool.len())].clone()
}

/// The week's sector briefs: 3–6 sectors, always including the lead sector of every
/// storyline step, so each step has a copy in a brief.
pub(super) fn sector_briefs(desk: &mut Desk<'_>, placed: &mut [Placed]) -> Vec<SectorBrief> {
    let mut sectors: Vec<Sector> = Vec::new();
    for p in placed.iter().filter(|p| p.event.thread.is_some()) {
        if !sectors.contains(&p.event.sectors[0]) {
            sectors.push(p.event.sectors[0].clone());
        }
    }
    let count = desk.rng.gen_range(3..=6).max(sectors.len());
    let mut others: Vec<Sector> = Sector::KNOWN
        .iter()
        .filter(|s| !sectors.contains(s))
        .cloned()
        .collect();
    others.shuffle(&mut desk.rng);
    sectors.extend(others.into_iter().take(count - sectors.len()));
    sectors.shuffle(&mut desk.rng);
    sectors
        .iter()
        .map(|sector| sector_brief(desk, placed, sector))
        .collect()
}

/// Which top stories a brief copies: the storyline steps it must carry, then others
/// of its sector by chance, up to `target` (a few are copied into a second brief).
fn brief_copies(
    desk: &mut Desk<'_>,
    placed: &[Placed],
    sector: &Sector,
    target: usize,
) -> Vec<usize> {
    let mut picks: Vec<usize> = (0..placed.len())
        .filter(|&i| {
            let event = &placed[i].event;
            event.thread.is_some() && &event.sectors[0] == sector && placed[i].brief_copies == 0
        })
        .take(4)
        .collect();
    let mut optional: Vec<usize> = (0..placed.len())
        .filter(|&i| !picks.contains(&i) && placed[i].event.sectors.contains(sector))
        .collect();
    optional.shuffle(&mut desk.rng);
    for i in optional {
        if picks.len() >= target {
            break;
        }
        let take = match placed[i].brief_copies {
            0 => desk.rng.gen_bool(0.7),
            1 => desk.rng.gen_bool(0.12),
            _ => false,
        };
        if take {
            picks.push(i);
        }
    }
    picks
}

fn sector_brief(desk: &mut Desk<'_>, placed: &mut [Placed], sector: &Sector) -> SectorBrief {
    let target = desk.rng.gen_range(1..=4);
    let copies = brief_copies(desk, placed, sector, target);
    let mut entries: Vec<Entry> = copies.iter().map(|&i| Entry::Copy(i)).collect();
    while entries.len() < target.max(1) {
        let Some(event) = desk.fresh_event(Some(sector), None) else {
            break;
        };
        entries.push(Entry::Solo(Box::new(Placed::new(
            &mut desk.rng,
            &desk.plan.cast,
            event,
        ))));
    }
    entries.shuffle(&mut desk.rng);
    let mut stories = Vec::new();
    let mut stats = Vec::new();
    let mut gists = Vec::new();
    let mut orgs = Vec::new();
    for (position, entry) in entries.iter_mut().enumerate() {
        let is_copy = matches!(entry, Entry::Copy(_));
        let story = match entry {
            Entry::Copy(i) => &mut placed[*i],
            Entry::Solo(p) => p.as_mut(),
        };
        let (title, body) = story.copy(&mut desk.rng, Place::Sector(sector));
        let kind = story.event.kind;
        let doc_id = id::sector_story(&desk.issue_id, sector, position + 1);
        if is_copy {
            story.doc_ids.push(doc_id);
            story.brief_copies += 1;
        }
        let stat = story.stat(&mut desk.rng);
        let event = story.event.clone();
        gists.push(story.gist.clone());
        orgs.push(desk.plan.cast.orgs[event.org].name.clone());
        desk.note(&event, &[&title, &body, &stat.1]);
        stats.push((is_copy, stat));
        let source = source(desk, kind, Some(sector), None);
        stories.push(SourcedStory {
            title,
            body,
            source,
        });
    }
    // Stats copy the copied news first, as the newsletter does.
    stats.sort_by_key(|(is_copy, _)| !is_copy);
    let wanted = desk.rng.gen_range(1..=4usize).max(copies.len().min(4));
    let stats = stats
        .into_iter()
        .take(wanted)
        .map(|(_, (value, label))| Stat { value, label })
        .collect();
    let org_refs: Vec<&str> = orgs.iter().map(String::as_str).collect();
    SectorBrief {
        sector: sector.clone(),
        headline: commentary::brief_headline(&mut desk.rng, sector, &gists),
        stats,
        stories,
        hidden_signal: commentary::hidden_signal(&mut desk.rng, sector, &org_refs),
    }
}

/// The region the watch covers: usually one the top stories are tagged with.
fn watch_region(desk: &mut Desk<'_>, placed: &[Placed]) -> Region {
    let mut counts: BTreeMap<Region, u32> = BTreeMap::new();
    for p in placed {
        for region in p.event.regions.iter().filter(|r| **r != Region::Global) {
            *counts.entry(region.clone()).or_default() += 1;
        }
    }
    let total: u32 = counts.values().sum();
    if total > 0 && desk.rng.gen_bool(0.85) {
        let mut pick = desk.rng.gen_range(0..total);
        for (region, count) in counts {
            if pick < count {
                return region;
            }
            pick -= count;
        }
    }
    WATCH_REGIONS[desk.rng.gen_range(0..WATCH_REGIONS.len())].clone()
}

/// The regional watch, in most issues: top stories of the region copied, plus local news.
pub(super) fn regional_watch(desk: &mut Desk<'_>, placed: &mut [Placed]) -> Option<RegionalWatch> {
    if !desk.rng.gen_bool(0.8) {
        return None;
    }
    let region = watch_region(desk, placed);
    let target = [1, 2, 2, 3, 3, 3, 4][desk.rng.gen_range(0..7)];
    let mut entries: Vec<Entry> = (0..placed.len())
        .filter(|&i| placed[i].event.regions.contains(&region))
        .take(target.min(3))
        .map(Entry::Copy)
        .collect();
    while entries.len() < target {
        let Some(event) = desk.fresh_event(None, Some(&region)) else {
            break;
        };
        entries.push(Entry::Solo(Box::new(Placed::new(
            &mut desk.rng,
            &desk.plan.cast,
            event,
        ))));
    }
    if entries.is_empty() {
        return None;
    }
    let mut stories = Vec::new();
    let mut gists = Vec::new();
    let mut orgs = Vec::new();
    for (position, entry) in entries.iter_mut().enumerate() {
        let is_copy = matches!(entry, Entry::Copy(_));
        let story = match entry {
            Entry::Copy(i) => &mut placed[*i],
            Entry::Solo(p) => p.as_mut(),
        };
        let (title, body) = story.copy(&mut desk.rng, Place::Watch(&region));
        if is_copy {
            story
                .doc_ids
                .push(id::regional_story(&desk.issue_id, &region, position + 1));
            story.watch_copy = true;
        }
        let event = story.event.clone();
        gists.push(story.gist.clone());
        orgs.push(desk.plan.cast.orgs[event.org].name.clone());
        desk.note(&event, &[&title, &body]);
        let source = source(desk, event.kind, None, Some(&region));
        stories.push(SourcedStory {
            title,
            body,
            source,
        });
    }
    Some(RegionalWatch {
        summary: commentary::watch_summary(&mut desk.rng, &region, &gists),
        signal: commentary::regional_signal(&mut desk.rng, &region, &orgs[0]),
        region,
        stories,
    })
}
