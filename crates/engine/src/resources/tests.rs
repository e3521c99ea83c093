//! The catalog over a small generated archive (hash embedder), one issue featured twice.

use backissue_embed::{Embedder, HashEmbedder};
use backissue_issue::Level;
use backissue_sample::{generate, write_archive, Config};

use super::*;
use crate::{Indexer, NoProgress};

fn archive() -> (tempfile::TempDir, Index) {
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
    let index = Index::open(&index_dir).unwrap();
    (dir, index)
}

#[test]
fn listings_group_by_level_and_a_level_takes_all() {
    let (_dir, index) = archive();
    let catalog = Catalog::new(&index).unwrap();
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
    let catalog = Catalog::new(&index).unwrap();
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
    let err = catalog
        .resources_for_story("2025-01-03/resource/1", None, 3)
        .unwrap_err();
    assert!(matches!(err, Error::UnknownStory { .. }), "{err}");
}
