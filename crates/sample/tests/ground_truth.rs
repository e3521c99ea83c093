//! The ground truth tells the truth: its ids exist, its events are one piece of news,
//! its storylines follow one organisation, and its trend intensities are what the text
//! actually says.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use backissue_issue::{Date, Issue};
use backissue_sample::ground_truth::{EntityKind, Shape};
use backissue_sample::{ground_truth_json, Archive, GroundTruth};

use common::{documents, non_document_text, six_years, two_years};

fn issues_by_id(archive: &Archive) -> BTreeMap<&str, &Issue> {
    archive.issues.iter().map(|i| (i.id.as_str(), i)).collect()
}

fn ids_exist(archive: &Archive) {
    let issues = issues_by_id(archive);
    let docs: BTreeMap<&str, BTreeMap<String, String>> = issues
        .iter()
        .map(|(id, issue)| (*id, documents(issue)))
        .collect();
    let truth = &archive.ground_truth;
    let mut seen = BTreeSet::new();
    for event in &truth.events {
        let issue_docs = &docs[event.issue_id.as_str()];
        assert!(event.doc_ids.len() >= 2);
        assert!(event.doc_ids[0].starts_with(&format!("{}/top/", event.issue_id)));
        for id in &event.doc_ids {
            assert!(issue_docs.contains_key(id), "{id} is not a document");
            assert!(seen.insert(id.clone()), "{id} belongs to two events");
        }
    }
    for storyline in &truth.storylines {
        for step in &storyline.steps {
            let issue_docs = &docs[step.issue_id.as_str()];
            assert_eq!(step.issue_id, step.date.to_string());
            assert!(!step.event_doc_ids.is_empty());
            for id in &step.event_doc_ids {
                assert!(issue_docs.contains_key(id), "{id} is not a document");
            }
        }
    }
}

#[test]
fn every_ground_truth_id_is_a_document_of_its_issue() {
    ids_exist(two_years());
    ids_exist(six_years());
}

fn events_are_one_piece_of_news(archive: &Archive) {
    let issues = issues_by_id(archive);
    let mut copies: BTreeMap<&str, usize> = BTreeMap::new();
    for event in &archive.ground_truth.events {
        let docs = documents(issues[event.issue_id.as_str()]);
        let titles: BTreeSet<&str> = event
            .doc_ids
            .iter()
            .map(|id| docs[id].lines().next().unwrap())
            .collect();
        assert_eq!(
            titles.len(),
            event.doc_ids.len(),
            "copies reuse a title: {titles:?}"
        );
        for id in &event.doc_ids {
            assert!(
                docs[id].contains(&event.entity),
                "{id} does not name {}: {}",
                event.entity,
                docs[id]
            );
            let place = id.split('/').nth(1).unwrap();
            *copies
                .entry(if place.ends_with("-watch") {
                    "watch"
                } else {
                    place
                })
                .or_default() += 1;
        }
    }
    // Copies land in every place the newsletter repeats news.
    for place in ["top", "watch", "resource", "tech", "healthcare", "energy"] {
        assert!(
            copies.get(place).copied().unwrap_or(0) > 10,
            "few copies in {place}: {copies:?}"
        );
    }
}

#[test]
fn each_planted_event_is_the_same_news_in_every_document() {
    events_are_one_piece_of_news(two_years());
    events_are_one_piece_of_news(six_years());
}

#[test]
fn the_copied_stat_names_the_organisation() {
    let archive = two_years();
    let issues = issues_by_id(archive);
    for event in &archive.ground_truth.events {
        let issue = issues[event.issue_id.as_str()];
        for id in event.doc_ids.iter().skip(1) {
            let Some(brief) = issue
                .sector_briefs
                .iter()
                .find(|b| id.starts_with(&format!("{}/{}/", issue.id, b.sector.slug())))
            else {
                continue;
            };
            assert!(
                brief.stats.iter().any(|s| s.label.contains(&event.entity)),
                "{id}: no stat names {}",
                event.entity
            );
        }
    }
}

fn storylines_follow_one_organisation(archive: &Archive, weeks: usize) {
    let truth = &archive.ground_truth;
    assert!(
        truth.storylines.len() * 104 >= 40 * weeks,
        "{} storylines",
        truth.storylines.len()
    );
    let issues = issues_by_id(archive);
    let mut ids = BTreeSet::new();
    for storyline in &truth.storylines {
        assert!(
            ids.insert(storyline.id.as_str()),
            "duplicate id {}",
            storyline.id
        );
        assert!((2..=8).contains(&storyline.steps.len()), "{}", storyline.id);
        let dates: Vec<Date> = storyline.steps.iter().map(|s| s.date).collect();
        assert!(
            dates.windows(2).all(|w| w[0] < w[1]),
            "{}: weeks repeat",
            storyline.id
        );
        let span = dates[dates.len() - 1].days_since_epoch() - dates[0].days_since_epoch();
        assert!(span < 12 * 7, "{}: spans {span} days", storyline.id);
        assert!(storyline.title.contains(&storyline.entity));
        for step in &storyline.steps {
            let docs = documents(issues[step.issue_id.as_str()]);
            assert!(step.event_doc_ids[0].contains("/top/"));
            for id in &step.event_doc_ids {
                assert!(
                    docs[id].contains(&storyline.entity),
                    "{id} lacks {}",
                    storyline.entity
                );
            }
        }
    }
    // Storylines overlap in time.
    let busiest = truth
        .storylines
        .iter()
        .flat_map(|s| s.steps.iter().map(|step| step.date))
        .fold(BTreeMap::<Date, usize>::new(), |mut m, d| {
            *m.entry(d).or_default() += 1;
            m
        });
    assert!(busiest.values().any(|&n| n >= 3));
}

#[test]
fn storylines_have_two_to_eight_steps_in_distinct_weeks() {
    storylines_follow_one_organisation(two_years(), 104);
    storylines_follow_one_organisation(six_years(), 300);
}

/// How many events of `issue` mention `term`: documents of one planted event count once.
fn events_mentioning(issue: &Issue, truth: &GroundTruth, term: &str) -> u32 {
    let term = term.to_lowercase();
    let mut group_of: BTreeMap<String, String> = BTreeMap::new();
    for event in truth.events.iter().filter(|e| e.issue_id == issue.id) {
        for id in &event.doc_ids {
            group_of.insert(id.clone(), event.doc_ids[0].clone());
        }
    }
    let groups: BTreeSet<String> = documents(issue)
        .into_iter()
        .filter(|(_, text)| text.to_lowercase().contains(&term))
        .map(|(id, _)| group_of.get(&id).cloned().unwrap_or(id))
        .collect();
    for text in non_document_text(issue) {
        assert!(
            !text.to_lowercase().contains(&term),
            "{}: {term:?} outside the news",
            issue.id
        );
    }
    groups.len() as u32
}

fn trends_match_the_text(archive: &Archive) {
    let truth = &archive.ground_truth;
    let count = |shape| truth.trends.iter().filter(|t| t.shape == shape).count();
    assert!(count(Shape::Rising) >= 3, "rising");
    assert!(count(Shape::Fading) >= 2, "fading");
    assert!(count(Shape::Burst) >= 3, "burst");
    for trend in &truth.trends {
        assert_eq!(trend.weekly.len(), archive.issues.len());
        assert!(!trend.key_weeks().is_empty());
        for (week, issue) in trend.weekly.iter().zip(&archive.issues) {
            assert_eq!(week.date, issue.date);
            assert_eq!(week.iso_week, issue.date.iso_week().to_string());
            let actual = events_mentioning(issue, truth, &trend.term);
            assert_eq!(actual, week.intensity, "{:?} in {}", trend.term, issue.id);
        }
    }
}

#[test]
fn trend_intensities_are_what_the_text_says() {
    trends_match_the_text(two_years());
    trends_match_the_text(six_years());
}

#[test]
fn trends_rise_fade_and_burst_where_the_truth_says() {
    for trend in &two_years().ground_truth.trends {
        let intensity: Vec<u32> = trend.weekly.iter().map(|w| w.intensity).collect();
        let key = trend.key_weeks();
        let first = trend.weekly.iter().position(|w| w.date == key[0]).unwrap();
        let last = trend
            .weekly
            .iter()
            .position(|w| w.date == key[key.len() - 1])
            .unwrap();
        let before: u32 = intensity[..first].iter().sum();
        let after: u32 = intensity[last + 1..].iter().sum();
        match trend.shape {
            Shape::Rising => {
                assert!(before == 0 && after >= 2 * (intensity.len() - last - 1) as u32)
            }
            Shape::Fading => assert!(after == 0 && before >= 2 * first as u32),
            Shape::Burst => {
                assert!(before == 0 && after == 0);
                assert!(intensity[first..=last]
                    .iter()
                    .all(|&n| (3..=6).contains(&n)));
            }
        }
        assert_eq!(trend.rising_weeks.is_some(), trend.shape == Shape::Rising);
        assert_eq!(trend.fading_weeks.is_some(), trend.shape == Shape::Fading);
        assert_eq!(trend.active_weeks.is_some(), trend.shape == Shape::Burst);
    }
}

#[test]
fn entities_are_distinct_and_really_appear() {
    for archive in [two_years(), six_years()] {
        let entities = &archive.ground_truth.entities;
        assert!(entities.len() >= 150, "{} entities", entities.len());
        for kind in [
            EntityKind::Organisation,
            EntityKind::Product,
            EntityKind::Person,
        ] {
            assert!(
                entities.iter().filter(|e| e.kind == kind).count() >= 30,
                "{kind:?}"
            );
        }
        let names: Vec<String> = entities.iter().map(|e| e.name.to_lowercase()).collect();
        for (i, a) in names.iter().enumerate() {
            for (j, b) in names.iter().enumerate() {
                assert!(i == j || !b.contains(a.as_str()), "{a:?} is inside {b:?}");
            }
        }
        let text: String = archive.issues.iter().map(backissue_issue::render).collect();
        for entity in entities {
            assert!(text.contains(&entity.name), "{} never appears", entity.name);
        }
    }
}

#[test]
fn ground_truth_json_is_stable_and_round_trips() {
    let archive = two_years();
    let json = ground_truth_json(archive).unwrap();
    assert!(json.ends_with("}\n"));
    let back: GroundTruth = serde_json::from_str(&json).unwrap();
    assert_eq!(back, archive.ground_truth);
    assert_eq!(ground_truth_json(archive).unwrap(), json);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let keys: Vec<&str> = value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "entities",
            "events",
            "seed",
            "start",
            "storylines",
            "trends",
            "weeks"
        ]
    );
    let first_key = json.lines().nth(1).unwrap().trim();
    assert!(first_key.starts_with("\"seed\""), "{first_key}");
    let storyline = &value["storylines"][0];
    assert!(storyline["steps"][0]["kind"].is_string());
    assert!(value["trends"][0]["weekly"][0]["iso_week"]
        .as_str()
        .unwrap()
        .contains("-W"));
}

#[test]
fn many_seeds_keep_the_ground_truth_honest() {
    for seed in 200..208 {
        let archive = backissue_sample::generate(&common::config(104, seed));
        ids_exist(&archive);
        events_are_one_piece_of_news(&archive);
        storylines_follow_one_organisation(&archive, 104);
        trends_match_the_text(&archive);
    }
}
