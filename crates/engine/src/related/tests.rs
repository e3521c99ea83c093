//! Related stories on small generated archives, with the hash embedder.

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

use backissue_embed::HashEmbedder;
use backissue_sample::{generate, write_archive, Config};

use super::*;
use crate::{Indexer, NoProgress};

/// Writes the first `weeks` issues of the seed-7 archive into `corpus`.
fn write_corpus(corpus: &Path, weeks: u32) -> backissue_sample::Archive {
    let archive = generate(&Config {
        weeks,
        start: "2025-01-03".parse().unwrap(),
        seed: 7,
    });
    write_archive(&archive, corpus).unwrap();
    archive
}

fn index(corpus: &Path, dir: &Path) -> Arc<Index> {
    Indexer::new(corpus, dir)
        .run(&HashEmbedder::new(64), &mut NoProgress)
        .unwrap();
    Arc::new(Index::open(dir).unwrap())
}

fn scorer(index: &Arc<Index>) -> Scorer {
    Scorer::new(index.clone(), NameRarity::of(index.documents())).unwrap()
}

/// Every story's stored list: no story of its own issue (so no copy of its own
/// event), no event twice, nothing that is not a story.
fn assert_lists_are_clean(index: &Index, related: &Related) {
    for doc in index.documents().iter().filter(|d| d.section.is_story()) {
        let answer = related
            .story(
                &doc.id,
                &RelatedParams {
                    limit: LIST_LENGTH,
                    ..RelatedParams::default()
                },
            )
            .unwrap();
        assert!(answer.precomputed);
        let mut events = HashSet::new();
        for story in &answer.related {
            let other = index.document(&story.id).unwrap();
            assert_ne!(
                other.issue_id, doc.issue_id,
                "{} lists {} of its own issue",
                doc.id, other.id
            );
            assert!(other.section.is_story());
            assert!(
                events.insert(&other.event_id),
                "{} lists event {} twice",
                doc.id,
                other.event_id
            );
            if let Some(top) = index
                .document(&other.event_id)
                .filter(|t| t.section.is_story())
            {
                assert_eq!(top.id, other.id, "an event is shown as its top story");
            }
        }
    }
}

#[test]
fn every_list_is_clean_and_served_from_the_table() {
    let corpus = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    write_corpus(corpus.path(), 8);
    let index = index(corpus.path(), dir.path());
    assert!(
        index.generation_dir().join(RELATED_FILE).is_file(),
        "the indexer stores the table"
    );
    let related = Related::open(index.clone()).unwrap();
    let events: HashSet<&str> = index
        .documents()
        .iter()
        .filter(|d| d.section.is_story())
        .map(|d| d.event_id.as_str())
        .collect();
    assert_eq!(
        related.table().lists.len(),
        events.len(),
        "one list per event"
    );
    assert!(related
        .table()
        .lists
        .keys()
        .all(|k| events.contains(k.as_str())));
    assert_lists_are_clean(&index, &related);

    let story = index
        .documents()
        .iter()
        .find(|d| d.section.is_story())
        .unwrap();
    let answer = related.story(&story.id, &RelatedParams::default()).unwrap();
    assert_eq!(answer.related.len(), 5);
    assert!(
        answer.related.iter().all(|r| r.why.contains("week")),
        "{:?}",
        answer.related
    );
}

#[test]
fn window_and_half_life_are_computed_on_the_fly() {
    let corpus = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    write_corpus(corpus.path(), 8);
    let index = index(corpus.path(), dir.path());
    let related = Related::open(index.clone()).unwrap();
    let story = &index
        .documents()
        .iter()
        .find(|d| d.issue_id == "2025-01-24" && d.section.is_story())
        .unwrap()
        .id;
    let near = RelatedParams {
        window_weeks: Some(1),
        ..RelatedParams::default()
    };
    let answer = related.story(story, &near).unwrap();
    assert!(!answer.precomputed);
    assert!(!answer.related.is_empty());
    assert!(
        answer.related.iter().all(|r| r.weeks_apart.abs() <= 1),
        "{:?}",
        answer.related
    );

    let decayed = related
        .story(
            story,
            &RelatedParams {
                half_life_weeks: Some(1.0),
                ..RelatedParams::default()
            },
        )
        .unwrap();
    let plain = related.story(story, &RelatedParams::default()).unwrap();
    let mean_gap = |a: &RelatedStories| a.related.iter().map(|r| r.weeks_apart.abs()).sum::<i32>();
    assert!(
        mean_gap(&decayed) <= mean_gap(&plain),
        "a short half-life favours nearby weeks"
    );

    // The stored list and an on-the-fly computation (over a few more candidates) agree
    // on the best story and, but for the order of near ties, on the rest.
    let fresh = related
        .story(
            story,
            &RelatedParams {
                limit: 11,
                ..RelatedParams::default()
            },
        )
        .unwrap();
    let mut stored: Vec<&str> = plain.related.iter().map(|r| r.id.as_str()).collect();
    let mut computed: Vec<&str> = fresh
        .related
        .iter()
        .take(5)
        .map(|r| r.id.as_str())
        .collect();
    assert_eq!(stored[0], computed[0]);
    stored.sort_unstable();
    computed.sort_unstable();
    assert_eq!(stored, computed);
}

#[test]
fn unknown_stories_and_texts() {
    let corpus = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    write_corpus(corpus.path(), 4);
    let index = index(corpus.path(), dir.path());
    let related = Related::open(index.clone()).unwrap();
    let err = related
        .story("2099-01-01/top/1", &RelatedParams::default())
        .unwrap_err();
    assert!(
        matches!(err, Error::UnknownStory { .. }) && err.is_user_error(),
        "{err}"
    );
    assert!(err.to_string().contains("story ids look like"), "{err}");
    let resource = index
        .documents()
        .iter()
        .find(|d| d.section == Section::Resource)
        .unwrap();
    let err = related
        .story(&resource.id, &RelatedParams::default())
        .unwrap_err();
    assert!(
        err.to_string().contains("is a resource, not a story"),
        "{err}"
    );
    let err = related
        .story(
            &resource.id,
            &RelatedParams {
                limit: 0,
                ..RelatedParams::default()
            },
        )
        .unwrap_err();
    assert!(err.is_user_error());

    let story = index
        .documents()
        .iter()
        .find(|d| d.section.is_story())
        .unwrap();
    use backissue_embed::Embedder;
    let vector = HashEmbedder::new(64)
        .embed(&[story.embedding_text().as_str()])
        .unwrap()
        .remove(0);
    let answer = related
        .text(&story.embedding_text(), &vector, &RelatedParams::default())
        .unwrap();
    assert_eq!(
        answer.related[0].id,
        index.document(&story.event_id).unwrap().id,
        "a story's own text finds it"
    );
    assert!(related
        .text("  ", &vector, &RelatedParams::default())
        .unwrap_err()
        .is_user_error());
}

/// Adding an issue recomputes exactly the lists the rule names; the others are kept.
#[test]
fn adding_an_issue_recomputes_only_the_lists_it_changes() {
    let corpus = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let archive = write_corpus(corpus.path(), 12);
    let last = archive.issues.last().unwrap().id.clone();
    let last_file = corpus.path().join(format!("{last}.txt"));
    let held_back = std::fs::read(&last_file).unwrap();
    std::fs::remove_file(&last_file).unwrap();
    let before = index(corpus.path(), dir.path());
    let old = RelatedTable::load(before.generation_dir())
        .unwrap()
        .unwrap();

    std::fs::write(&last_file, held_back).unwrap();
    let after_dir = tempfile::tempdir().unwrap();
    let after = index(corpus.path(), after_dir.path());
    let scorer = scorer(&after);
    let (table, stats) = RelatedTable::update(Some(&old), &scorer).unwrap();
    let docs = after.documents();
    let event_count = |only_last: bool| {
        docs.iter()
            .filter(|d| d.section.is_story() && (!only_last || d.issue_id == last))
            .map(|d| d.event_id.as_str())
            .collect::<HashSet<_>>()
            .len()
    };
    let (new_stories, stories) = (event_count(true), event_count(false));

    eprintln!(
        "{stories} lists: {} new, {} entered, {} storyline, {} lost, {} carried",
        stats.new, stats.entered, stats.storyline, stats.lost, stats.carried
    );
    assert!(!stats.full);
    assert_eq!(stats.new, new_stories);
    assert_eq!(stats.lost, 0, "nothing was removed or changed");
    assert_eq!(
        stats.new + stats.entered + stats.storyline + stats.carried,
        stories
    );
    assert_eq!(stats.recomputed.len(), stories - stats.carried);
    // A short archive has low floors, so a new issue enters many lists; on the full
    // sample archive one new issue leaves most lists alone (tests/related_corpus.rs).
    assert!(
        stats.carried > 0,
        "some lists are untouched by one new issue"
    );

    // The rule, checked independently: an old list is recomputed exactly when a new
    // story would be among its kept candidates, or its storyline changed.
    let recomputed: HashSet<&str> = stats.recomputed.iter().map(String::as_str).collect();
    let mut disagreements = 0;
    for &row in scorer.events() {
        let doc = &docs[row];
        assert_eq!(
            doc.id, doc.event_id,
            "an event's list is computed at its lead"
        );
        if doc.issue_id == last {
            assert!(recomputed.contains(doc.id.as_str()));
            continue;
        }
        let fresh = table::compute_list(&scorer, row).unwrap();
        let probe = scorer.story_probe(row);
        let candidates = scorer
            .candidates(&probe, Reach::default(), CANDIDATES_KEPT)
            .unwrap();
        let new_enters = candidates.iter().any(|c| docs[c.row].issue_id == last);
        let storyline_changed = old.storylines != table.storylines
            && steps_of(&old, &doc.event_id) != steps_of(&table, &doc.event_id);
        let expected = new_enters || storyline_changed;
        if expected != recomputed.contains(doc.id.as_str()) {
            disagreements += 1;
        }
        if recomputed.contains(doc.id.as_str()) {
            assert_same_list(&table.lists[&doc.id], &fresh);
        } else {
            assert_eq!(
                table.lists[&doc.id], old.lists[&doc.id],
                "a carried list is kept as it was"
            );
        }
    }
    // Statistics drift (IDF, name rarity) may move a score across a floor by a hair.
    assert!(
        disagreements <= stories / 100,
        "{disagreements} lists disagree with the rule"
    );

    // Removing the issue again: lists that held its stories are recomputed (lost).
    let (_, back) = RelatedTable::update(Some(&table), &self::scorer(&before)).unwrap();
    assert!(back.lost > 0 && back.new == 0, "{back:?}");
}

/// The same stories in the same order with the same scores, up to float noise (the
/// terms of a more-like-this query are summed in hash order).
fn assert_same_list(a: &StoredList, b: &StoredList) {
    let ids = |l: &StoredList| l.related.iter().map(|r| r.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(a), ids(b), "a recomputed list is a fresh list");
    for (x, y) in a.related.iter().zip(&b.related) {
        assert!((x.score - y.score).abs() < 1e-4, "{x:?} vs {y:?}");
    }
}

fn steps_of(table: &RelatedTable, event: &str) -> Option<Vec<String>> {
    table
        .storylines
        .iter()
        .find(|s| s.steps.iter().any(|step| step.id == event))
        .map(|s| s.steps.iter().map(|step| step.id.clone()).collect())
}

/// Every copy of an event is answered with the one list of its event, stored or
/// computed on the fly, and that list never holds a copy of the event.
#[test]
fn every_copy_of_an_event_gets_the_same_list() {
    let corpus = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    write_corpus(corpus.path(), 8);
    let index = index(corpus.path(), dir.path());
    let related = Related::open(index.clone()).unwrap();
    let mut copies: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
    for doc in index.documents().iter().filter(|d| d.section.is_story()) {
        copies.entry(&doc.event_id).or_default().push(&doc.id);
    }
    let multi: Vec<&Vec<&str>> = copies.values().filter(|c| c.len() > 1).collect();
    assert!(multi.len() > 10, "{} events with copies", multi.len());
    let ids = |answer: RelatedStories| -> Vec<String> {
        answer.related.into_iter().map(|r| r.id).collect()
    };
    let on_the_fly = RelatedParams {
        limit: LIST_LENGTH + 1,
        ..RelatedParams::default()
    };
    for (n, ids_of_copies) in multi.iter().enumerate() {
        let stored: Vec<Vec<String>> = ids_of_copies
            .iter()
            .map(|id| ids(related.story(id, &RelatedParams::default()).unwrap()))
            .collect();
        assert!(
            stored.iter().all(|l| l == &stored[0]),
            "{ids_of_copies:?}: {stored:?}"
        );
        if n % 4 == 0 {
            let computed: Vec<Vec<String>> = ids_of_copies
                .iter()
                .map(|id| ids(related.story(id, &on_the_fly).unwrap()))
                .collect();
            assert!(computed.iter().all(|l| l == &computed[0]), "{computed:?}");
        }
    }
}

#[test]
fn a_repeated_headline_is_marked_with_how_far_apart() {
    let story = |id: &str, title: &str, weeks_apart: i32| RelatedStory {
        id: id.to_string(),
        issue_id: id[..10].to_string(),
        date: "2025-03-07".parse().unwrap(),
        title: title.to_string(),
        section: Section::TopStory,
        score: 0.5,
        why: "shares Hoopoe 8 · later".to_string(),
        weeks_apart,
        shared_names: Vec::new(),
        shared_tags: Vec::new(),
        shared_kind: Vec::new(),
        same_headline: None,
        components: Components::default(),
    };
    let asked = Document::test_story("2025-01-03", 4, "Hoopoe 8 Sets  Efficiency Record", "");
    let mut list = vec![
        story("2025-03-07/top/1", "Outage Exposes Limits of Hoopoe 8", 9),
        story("2025-01-10/top/5", "hoopoe 8 sets efficiency record", 1),
        story("2025-05-09/top/2", "Outage exposes limits of Hoopoe 8", 18),
        story("2025-06-06/top/3", "Hoopoe 8 Tops New Benchmark", 22),
    ];
    mark_same_headlines(Some(&asked), &mut list);
    assert_eq!(list[0].same_headline, None);
    assert_eq!(
        list[1].same_headline,
        Some(SameHeadline {
            relation: "story".into(),
            id: "2025-01-03/top/4".into(),
            rank: None,
            weeks_apart: -1,
        })
    );
    assert!(
        list[1]
            .why
            .starts_with("same headline as this story, 1 week earlier · shares"),
        "{}",
        list[1].why
    );
    assert_eq!(
        list[2].same_headline,
        Some(SameHeadline {
            relation: "listed".into(),
            id: "2025-03-07/top/1".into(),
            rank: Some(1),
            weeks_apart: -9,
        })
    );
    assert!(list[2]
        .why
        .starts_with("same headline as #1, 9 weeks earlier · "));
    assert_eq!(list[3].same_headline, None);
}

/// A text's kind of news is read with the index's own machinery: its words that the
/// archive's headlines use, names aside, weighted by rarity and by how much the text
/// is about them; a story whose headline says the same kind of news scores high.
#[test]
fn a_text_shares_a_kind_with_headlines_that_report_it() {
    let rarity = NameRarity {
        events: 100,
        names: [
            ("Kestwick Energy", 2),
            ("Lysandra Capital", 3),
            ("Redstart 4", 2),
        ]
        .into_iter()
        .map(|(n, c)| (n.to_string(), c))
        .collect(),
        kinds: [
            ("outag", 8),
            ("suffer", 6),
            ("recal", 5),
            ("unit", 9),
            ("rollout", 3),
            ("hour", 7),
        ]
        .into_iter()
        .map(|(n, c)| (n.to_string(), c))
        .collect(),
    };
    let text = "A regional operator suffered an outage after a bad rollout. \
                Service came back hours later, and the outage review continues.";
    let profile = Profile::of_free_text(text, &rarity);
    let terms: Vec<&str> = profile.kinds.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(terms, ["suffer", "outag", "rollout", "hour"]);
    let outage = Profile::of(
        &Document::test_story("2025-01-03", 1, "Kestwick Energy Suffers 6-Hour Outage", ""),
        &rarity,
    );
    let recall = Profile::of(
        &Document::test_story(
            "2025-01-03",
            2,
            "Lysandra Capital Recalls 4000 Redstart 4 Units",
            "",
        ),
        &rarity,
    );
    let outage_terms: Vec<&str> = outage.kinds.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(
        outage_terms,
        ["suffer", "hour", "outag"],
        "names and numbers aside"
    );
    let (shared, score) = profile.kind_of(&outage);
    assert_eq!(shared, ["suffer", "outag", "hour"]);
    assert!(score > 0.6, "{score}");
    assert_eq!(profile.kind_of(&recall), (Vec::new(), 0.0));
    assert!(
        super::features::kind_words_in("Kestwick Energy Suffers 6-Hour Outage", &shared)
            .iter()
            .eq(["suffers", "hour", "outage"].iter())
    );
}
