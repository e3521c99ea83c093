//! The archive is varied enough to be a fair test of search: many names, every
//! sector, many regions, every level and kind, learning paths, money and versions.

mod common;

use std::collections::BTreeSet;

use backissue_issue::{Level, Region, ResourceKind, Sector};
use backissue_sample::Archive;

use common::{six_years, two_years};

fn varied(archive: &Archive) {
    let mut sectors = BTreeSet::new();
    let mut regions = BTreeSet::new();
    let mut watched = BTreeSet::new();
    let mut levels = BTreeSet::new();
    let mut kinds = BTreeSet::new();
    let mut paths = 0;
    let mut durations = BTreeSet::new();
    let mut top_counts = BTreeSet::new();
    for issue in &archive.issues {
        top_counts.insert(issue.top_stories.len());
        for story in &issue.top_stories {
            sectors.extend(story.sectors.iter().cloned());
            regions.extend(story.regions.iter().cloned());
        }
        for brief in &issue.sector_briefs {
            sectors.insert(brief.sector.clone());
        }
        for resource in &issue.resources {
            levels.insert(resource.level);
            kinds.insert(resource.kind.clone());
        }
        for path in &issue.learning_paths {
            paths += 1;
            levels.insert(path.level);
            durations.extend(path.steps.iter().map(|s| s.minutes));
        }
        if let Some(watch) = &issue.regional_watch {
            watched.insert(watch.region.clone());
        }
    }
    assert_eq!(sectors.len(), Sector::KNOWN.len());
    assert!(sectors.iter().all(Sector::is_known) && regions.iter().all(Region::is_known));
    assert!(regions.len() >= 8, "{} regions", regions.len());
    assert!(watched.len() >= 8, "{} watched regions", watched.len());
    assert_eq!(levels.len(), Level::ALL.len());
    for kind in [
        ResourceKind::Tool,
        ResourceKind::Article,
        ResourceKind::Paper,
        ResourceKind::Course,
        ResourceKind::Video,
        ResourceKind::Podcast,
        ResourceKind::Dataset,
        ResourceKind::Book,
    ] {
        assert!(kinds.contains(&kind), "no {kind}");
    }
    assert!(paths >= archive.issues.len(), "{paths} learning paths");
    for minutes in [30, 60, 90, 120] {
        assert!(durations.contains(&minutes));
    }
    assert!(
        top_counts.contains(&8) && top_counts.contains(&20),
        "{top_counts:?}"
    );
}

#[test]
fn archives_cover_every_sector_level_kind_and_many_regions() {
    varied(two_years());
    varied(six_years());
}

#[test]
fn money_and_version_tokens_appear_in_titles_and_stats() {
    let archive = two_years();
    let titles: Vec<&str> = archive
        .issues
        .iter()
        .flat_map(|i| i.top_stories.iter().map(|s| s.title.as_str()))
        .collect();
    let stats: Vec<&str> = archive
        .issues
        .iter()
        .flat_map(|i| {
            i.sector_briefs
                .iter()
                .flat_map(|b| b.stats.iter().map(|s| s.value.as_str()))
        })
        .collect();
    let any = |texts: &[&str], test: &dyn Fn(&str) -> bool| texts.iter().any(|t| test(t));
    assert!(any(&titles, &|t| t.contains('$') && t.contains('M')));
    assert!(any(&titles, &|t| t.contains("₹") && t.contains("Cr")));
    assert!(any(&titles, &|t| t.contains('$')
        && t.contains('-')
        && t.ends_with("B IPO")
        || t.contains("B Listing")));
    assert!(any(&stats, &|t| t.starts_with('v')
        && t.matches('.').count() == 2));
    assert!(any(&stats, &|t| t.starts_with('$') && t.contains('-')));
    assert!(any(&stats, &|t| t.starts_with("₹")));
}

#[test]
fn the_same_news_is_worded_differently_in_each_place() {
    let archive = two_years();
    let mut phrasings = BTreeSet::new();
    for issue in &archive.issues {
        for story in &issue.top_stories {
            phrasings.insert(story.summary.split(". ").next().unwrap().to_string());
        }
    }
    let tops: usize = archive.issues.iter().map(|i| i.top_stories.len()).sum();
    // Opening sentences hardly ever repeat across 1,500 stories.
    assert!(
        phrasings.len() * 10 >= tops * 9,
        "{} distinct of {tops}",
        phrasings.len()
    );
}
