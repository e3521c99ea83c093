//! The catalog over a small generated archive (hash embedder), one issue featured twice.

use backissue_embed::{Embedder, HashEmbedder};
use backissue_issue::Level;
use backissue_sample::{generate, write_archive, Config};
use std::sync::Arc;

use std::collections::HashSet;

use super::*;
use crate::{Indexer, NoProgress};
use backissue_text::titles::normalize_title;

fn archive() -> (tempfile::TempDir, Arc<Index>) {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let generated = generate(&Config {
        weeks: 4,
        start: "2025-01-03".parse().unwrap(),
        seed: 3,
    });
    write_archive(&generated, &corpus).unwrap();
    // The first issue again, five weeks later.
    std::fs::copy(corpus.join("2025-01-03.txt"), corpus.join("2025-02-07.txt")).unwrap();
    let index_dir = dir.path().join("index");
    Indexer::new(&corpus, &index_dir)
        .run(&HashEmbedder::new(32), &mut NoProgress)
        .unwrap();
    let index = Arc::new(Index::open(&index_dir).unwrap());
    (dir, index)
}

#[test]
fn listings_group_by_level_and_a_level_takes_all() {
    let (_dir, index) = archive();
    let catalog = Catalog::new(index.clone()).unwrap();
    let featured_twice = catalog
        .resources()
        .iter()
        .filter(|r| r.featured.times_featured == 2)
        .count();
    let first_issue = index
        .issue_documents("2025-01-03")
        .filter(|d| d.section == Section::Resource)
        .count();
    assert_eq!(featured_twice, first_issue);
    assert!(catalog
        .paths()
        .iter()
        .any(|p| p.featured.issues == ["2025-01-03", "2025-02-07"]));

    let grouped = catalog
        .rank_resources(&Request {
            limit: 100,
            ..Request::default()
        })
        .unwrap();
    let levels: Vec<Level> = grouped.groups.iter().map(|g| g.level).collect();
    assert_eq!(levels, Level::ALL);
    let total: usize = grouped.groups.iter().map(|g| g.items.len()).sum();
    assert_eq!(total, catalog.resources().len());

    let beginner = catalog
        .rank_resources(&Request {
            level: Some(Level::Beginner),
            limit: 100,
            ..Request::default()
        })
        .unwrap();
    assert_eq!(beginner.groups.len(), 1);
    assert!(beginner.groups[0]
        .items
        .iter()
        .all(|r| matches!(r.item.level, Level::Beginner | Level::All)));
    assert!(beginner.groups[0]
        .items
        .iter()
        .any(|r| r.item.level == Level::All));
    // Without a query, the twice-featured and recent come first.
    let top = &beginner.groups[0].items[0];
    assert!(
        top.signals.relevance.is_none()
            && top.score >= beginner.groups[0].items.last().unwrap().score
    );
    assert!(catalog
        .rank_resources(&Request {
            limit: 0,
            ..Request::default()
        })
        .unwrap_err()
        .is_user_error());
}

#[test]
fn queries_and_stories_rank_by_relevance() {
    let (_dir, index) = archive();
    let catalog = Catalog::new(index.clone()).unwrap();
    let target = &catalog.resources()[0];
    let query = target.title.clone();
    let vector = HashEmbedder::new(32)
        .embed(&[query.as_str()])
        .unwrap()
        .remove(0);
    let listing = catalog
        .rank_resources(&Request {
            query: Some(&query),
            query_vector: Some(&vector),
            level: Some(target.level),
            limit: 5,
            ..Request::default()
        })
        .unwrap();
    assert_eq!(
        listing.groups[0].items[0].item.url, target.url,
        "its own title finds it first"
    );
    assert!(listing.groups[0].items[0].signals.relevance.unwrap() > 0.5);

    let story = index
        .documents()
        .iter()
        .find(|d| d.section.is_story())
        .unwrap();
    let for_story = catalog
        .resources_for_story(&story.id, Some(Level::Intermediate), 3)
        .unwrap();
    let levels: Vec<Level> = for_story.groups.iter().map(|g| g.level).collect();
    assert_eq!(levels, [Level::Intermediate, Level::Advanced]);
    assert!(for_story.groups.iter().all(|g| g.items.len() <= 3));
    let floor = for_story
        .min_relevance
        .expect("a story listing says its floor");
    assert_eq!(floor, catalog.story_floor());
    assert!(for_story
        .groups
        .iter()
        .flat_map(|g| &g.items)
        .all(|r| r.signals.relevance.unwrap() >= floor));
    let err = catalog
        .resources_for_story("2025-01-03/resource/1", None, 3)
        .unwrap_err();
    assert!(matches!(err, Error::UnknownStory { .. }), "{err}");
}

/// Every item of `listing`, in order, group after group.
fn titles<T: Clone>(listing: &Listing<T>, title: impl Fn(&T) -> &str) -> Vec<String> {
    listing
        .groups
        .iter()
        .flat_map(|g| &g.items)
        .map(|r| title(&r.item).to_string())
        .collect()
}

#[test]
fn listings_page_with_a_total_and_sort_as_asked() {
    let (_dir, index) = archive();
    let catalog = Catalog::new(index.clone()).unwrap();
    let level = Some(Level::Intermediate);
    let all = catalog
        .rank_resources(&Request {
            level,
            limit: 200,
            ..Request::default()
        })
        .unwrap();
    let every = titles(&all, |r: &ResourceEntry| &r.url);
    assert_eq!(all.total, every.len());
    assert_eq!(all.groups[0].total, every.len());
    assert!(every.len() > 6, "enough to page: {}", every.len());
    assert!(!all.has_more());

    // Pages of 4 are the whole listing cut in order, with the same total.
    let mut paged = Vec::new();
    for offset in (0..every.len()).step_by(4) {
        let page = catalog
            .rank_resources(&Request {
                level,
                offset,
                limit: 4,
                ..Request::default()
            })
            .unwrap();
        assert_eq!(page.total, every.len());
        assert_eq!((page.offset, page.limit), (offset, 4));
        assert_eq!(page.has_more(), offset + 4 < every.len());
        paged.extend(titles(&page, |r: &ResourceEntry| &r.url));
    }
    assert_eq!(paged, every);
    let past = catalog
        .rank_resources(&Request {
            level,
            offset: every.len(),
            limit: 4,
            ..Request::default()
        })
        .unwrap();
    assert!(past.groups[0].items.is_empty() && past.total == every.len());

    // Sorts.
    let sorted = |sort: Sort| {
        catalog
            .rank_resources(&Request {
                level,
                sort,
                limit: 200,
                ..Request::default()
            })
            .unwrap()
    };
    let newest = sorted(Sort::Newest);
    let dates: Vec<_> = newest.groups[0]
        .items
        .iter()
        .map(|r| r.item.featured.last_date)
        .collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
    let often = sorted(Sort::MostFeatured);
    let times: Vec<u32> = often.groups[0]
        .items
        .iter()
        .map(|r| r.item.featured.times_featured)
        .collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "{times:?}");
    assert!(
        times[0] > *times.last().unwrap(),
        "the archive repeats an issue"
    );
    let by_title = titles(&sorted(Sort::Title), |r: &ResourceEntry| &r.title);
    let folded: Vec<String> = by_title.iter().map(|t| normalize_title(t)).collect();
    assert!(folded.windows(2).all(|w| w[0] <= w[1]), "{folded:?}");
    assert_eq!(sorted(Sort::Newest).sort, Sort::Newest);

    let shortest = catalog
        .rank_paths(&Request {
            sort: Sort::Shortest,
            limit: 200,
            ..Request::default()
        })
        .unwrap();
    for group in &shortest.groups {
        let minutes: Vec<u32> = group.items.iter().map(|r| r.item.total_minutes).collect();
        assert!(minutes.windows(2).all(|w| w[0] <= w[1]), "{minutes:?}");
    }

    // Mistakes name the parameter.
    let error = catalog
        .rank_resources(&Request {
            sort: Sort::Shortest,
            ..Request::default()
        })
        .unwrap_err();
    assert!(
        error.is_user_error() && error.to_string().contains("sort"),
        "{error}"
    );
    let error = catalog
        .rank_paths(&Request {
            offset: MAX_OFFSET + 1,
            ..Request::default()
        })
        .unwrap_err();
    assert!(error.to_string().contains("offset"), "{error}");
    assert_eq!("most_featured".parse::<Sort>().unwrap(), Sort::MostFeatured);
    let error = Sort::parse_among("shortest", &Sort::RESOURCES).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("relevance, newest, most-featured, title"),
        "{error}"
    );
}

#[test]
fn without_a_level_each_item_is_in_one_group() {
    let (_dir, index) = archive();
    let catalog = Catalog::new(index.clone()).unwrap();
    let grouped = catalog
        .rank_resources(&Request {
            limit: 200,
            ..Request::default()
        })
        .unwrap();
    let urls = titles(&grouped, |r: &ResourceEntry| &r.url);
    let distinct: HashSet<&String> = urls.iter().collect();
    assert_eq!(distinct.len(), urls.len(), "no entry in two groups");
    assert_eq!(grouped.total, catalog.resources().len());
    for group in &grouped.groups {
        assert_eq!(group.total, group.items.len());
        assert!(group.items.iter().all(|r| r.item.level == group.level));
    }
}

#[test]
fn a_path_keeps_each_step_with_minutes_and_link_and_its_total() {
    let (_dir, index) = archive();
    let catalog = Catalog::new(index.clone()).unwrap();
    assert!(!catalog.paths().is_empty());
    for path in catalog.paths() {
        assert!(!path.steps.is_empty());
        for (i, step) in path.steps.iter().enumerate() {
            assert_eq!(step.n as usize, i + 1);
            assert!(step.minutes > 0, "{step:?}");
            assert!(step.url.starts_with("http"), "{step:?}");
            assert!(!step.text.is_empty());
        }
        assert_eq!(
            path.total_minutes,
            path.steps.iter().map(|s| s.minutes).sum::<u32>()
        );
        assert!(!path.outcome.is_empty());
    }
}

#[test]
fn a_story_lists_only_resources_above_the_floor_or_says_why_none() {
    let (_dir, index) = archive();
    let catalog = Catalog::new(index.clone()).unwrap();
    let floor = catalog.story_floor();
    assert!(floor > 0.0 && floor < 1.0, "{floor}");
    // About one unrelated resource per story clears the floor by chance, so across
    // every story of the archive far fewer than all resources are listed.
    let stories: Vec<&str> = index
        .documents()
        .iter()
        .filter(|d| d.section.is_story())
        .map(|d| d.id.as_str())
        .collect();
    let mut listed = 0;
    let mut empty = 0;
    for id in &stories {
        let listing = catalog.resources_for_story(id, None, 200).unwrap();
        for item in listing.groups.iter().flat_map(|g| &g.items) {
            assert!(item.signals.relevance.unwrap() >= floor);
        }
        listed += listing.total;
        if listing.total == 0 {
            empty += 1;
            assert_eq!(listing.note.as_deref(), Some(NOTHING_CLOSE));
        } else {
            assert_eq!(listing.note, None);
        }
    }
    assert!(
        listed < stories.len() * catalog.resources().len() / 10,
        "{listed} of {} pairs listed",
        stories.len() * catalog.resources().len()
    );
    // The floor's own promise: resources that share neither an issue nor a name
    // with the story (the null it is measured on) clear it for about one resource
    // per story (every story is in the sample of this small archive).
    let mut unrelated = 0usize;
    for id in &stories {
        let doc = index.document(id).unwrap();
        let listing = catalog.resources_for_story(id, None, 200).unwrap();
        let names = story_names(doc);
        unrelated += listing
            .groups
            .iter()
            .flat_map(|g| &g.items)
            .filter(|r| {
                !r.item.featured.issues.contains(&doc.issue_id)
                    && !names.iter().any(|n| r.item.text().contains(n.as_str()))
            })
            .count();
    }
    assert!(empty > 0, "some story has no resource close enough");
    let per_story = unrelated as f64 / stories.len() as f64;
    assert!(
        per_story <= 1.5,
        "{per_story} unrelated resources per story"
    );
    eprintln!("floor {floor:.3}: {listed} listed, {empty} stories with none, {per_story:.2} unrelated per story");
}

#[test]
fn the_floor_is_the_null_quantile_at_one_per_catalog() {
    let null: Vec<f64> = (0..1000).map(|i| f64::from(i) / 1000.0).collect();
    // 100 resources: 1 in 100 null pairs may clear.
    assert_eq!(null_quantile(null.clone(), 100), 0.99);
    assert_eq!(null_quantile(null.clone(), 1), 0.0);
    assert_eq!(null_quantile(null, 1_000_000), 0.999);
    assert_eq!(null_quantile(Vec::new(), 10), 0.0);
}
