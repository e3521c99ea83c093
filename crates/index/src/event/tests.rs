use std::collections::{BTreeMap, BTreeSet};

use backissue_issue::{parse_str, Date};

use super::*;
use crate::document::{fixtures::seed_issue, Section};
use crate::event::split_issue;

/// Events of more than one document, as sets of ids without the issue prefix.
fn multi_events(docs: &[Document]) -> BTreeSet<BTreeSet<String>> {
    let mut events: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for doc in docs {
        let short = doc
            .id
            .split_once('/')
            .map_or(doc.id.as_str(), |(_, rest)| rest);
        events
            .entry(&doc.event_id)
            .or_default()
            .insert(short.to_string());
    }
    events
        .into_values()
        .filter(|members| members.len() > 1)
        .collect()
}

fn set(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

#[test]
fn seed_events_group_the_same_news() {
    let docs = split_issue(&seed_issue());
    let events = multi_events(&docs);
    // The three groups FORMAT.md and the brief name.
    assert!(
        events.contains(&set(&["top/2", "finance-banking/1"])),
        "{events:#?}"
    );
    assert!(
        events.contains(&set(&["top/19", "education-edtech/1", "india-watch/3"])),
        "{events:#?}"
    );
    assert!(
        events.contains(&set(&["top/7", "healthcare/1", "education-edtech/2"])),
        "{events:#?}"
    );
    // And the rest of the seed's repeated news, read by hand.
    let expected = [
        set(&["top/1", "tech/1"]),
        set(&["top/2", "finance-banking/1"]),
        set(&["top/3", "energy/2"]),
        set(&["top/4", "tech/3"]),
        set(&["top/5", "tech/2", "energy/1"]),
        set(&["top/7", "healthcare/1", "education-edtech/2"]),
        set(&["top/8", "finance-banking/2"]),
        set(&["top/9", "manufacturing/1"]),
        set(&["top/10", "healthcare/2", "education-edtech/3"]),
        set(&["top/11", "manufacturing/3"]),
        set(&["top/12", "manufacturing/2", "energy/3"]),
        set(&["top/17", "india-watch/1"]),
        set(&["top/18", "finance-banking/3", "india-watch/2"]),
        set(&["top/19", "education-edtech/1", "india-watch/3"]),
        set(&["top/20", "healthcare/3"]),
    ];
    assert_eq!(events, expected.into_iter().collect());
}

#[test]
fn event_ids_name_the_top_story_and_other_documents_stand_alone() {
    let docs = split_issue(&seed_issue());
    let event_of = |id: &str| &docs.iter().find(|d| d.id == id).unwrap().event_id;
    assert_eq!(event_of("2026-03-27/finance-banking/1"), "2026-03-27/top/2");
    assert_eq!(event_of("2026-03-27/india-watch/3"), "2026-03-27/top/19");
    assert_eq!(event_of("2026-03-27/top/6"), "2026-03-27/top/6");
    for doc in docs.iter().filter(|d| !d.section.is_story()) {
        assert_eq!(doc.event_id, doc.id, "{} stands alone", doc.id);
    }
}

#[test]
fn no_false_merges_between_different_news() {
    let docs = split_issue(&seed_issue());
    let event_of = |id: &str| {
        docs.iter()
            .find(|d| d.id.ends_with(id))
            .unwrap()
            .event_id
            .clone()
    };
    // Kentucky land vs SoftBank, SK hynix vs SoftBank (both named in one hidden signal),
    // Sora vs SoftBank (both OpenAI), Plazza vs NXP (both India-adjacent funding/edge).
    for (a, b) in [
        ("/top/5", "/top/2"),
        ("/energy/1", "/finance-banking/1"),
        ("/energy/2", "/finance-banking/1"),
        ("/tech/1", "/finance-banking/1"),
        ("/healthcare/3", "/manufacturing/2"),
        ("/top/17", "/finance-banking/3"),
    ] {
        assert_ne!(event_of(a), event_of(b), "{a} and {b} are different news");
    }
}

#[test]
fn an_event_never_holds_two_stories_of_one_place() {
    let docs = split_issue(&seed_issue());
    let mut places: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for doc in docs.iter().filter(|d| d.section.is_story()) {
        *places
            .entry((&doc.event_id, doc.story_group().unwrap()))
            .or_default() += 1;
    }
    assert!(places.values().all(|&n| n == 1), "{places:?}");
}

/// Two briefs telling near-identical news twice: the structural prior keeps a
/// brief's two stories apart even when their words overlap.
#[test]
fn two_stories_of_one_brief_stay_apart() {
    let text = "← All posts\n\nHeadline\n\nSummary.\n\nSubscribe free All posts\n\
#1\nAcme Robotics Raises $50M\nAcme Robotics raised $50M to build warehouse robots.\nTechUS\n90\n\
#2\nBeta Robotics Raises $60M\nBeta Robotics raised $60M to build warehouse robots.\nTechUS\n80\n\
Tech\nRobots everywhere\n$50M\nAcme round\n$60M\nBeta round\n1\nthird stat\n\
Acme Robotics Closes $50M Round\nAcme Robotics raised $50M from investors to build warehouse robots at scale.\nSource: TechCrunch\n\
Beta Robotics Closes $60M Round\nBeta Robotics raised $60M from investors to build warehouse robots at scale.\nSource: TechCrunch\n\
Hidden Signal\nWarehouse robots attract capital.\n";
    let date: Date = "2026-01-02".parse().unwrap();
    let issue = parse_str(text, "2026-01-02.txt", Some(date)).unwrap();
    let docs = split_issue(&issue);
    let events = multi_events(&docs);
    assert_eq!(
        events,
        [set(&["top/1", "tech/1"]), set(&["top/2", "tech/2"])]
            .into_iter()
            .collect(),
    );
    assert!(docs
        .iter()
        .any(|d| d.section == Section::HiddenSignal && d.event_id == d.id));
}
