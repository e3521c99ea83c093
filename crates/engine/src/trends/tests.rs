//! Trends over a generated 40-week archive (hash embedder), against its ground truth.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use backissue_embed::HashEmbedder;
use backissue_sample::{generate, write_archive, Config, GroundTruth};
use tempfile::TempDir;

use super::*;
use crate::{Indexer, NoProgress};

struct Archive {
    _dir: TempDir,
    index: Arc<Index>,
    truth: GroundTruth,
}

fn archive() -> &'static Archive {
    static ARCHIVE: OnceLock<Archive> = OnceLock::new();
    ARCHIVE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        let generated = generate(&Config {
            weeks: 40,
            start: "2025-01-03".parse().unwrap(),
            seed: 11,
        });
        write_archive(&generated, &corpus).unwrap();
        let index_dir = dir.path().join("index");
        Indexer::new(&corpus, &index_dir)
            .run(&HashEmbedder::new(32), &mut NoProgress)
            .unwrap();
        Archive {
            index: Arc::new(Index::open(&index_dir).unwrap()),
            truth: generated.ground_truth,
            _dir: dir,
        }
    })
}

fn term(text: &str) -> TrendQuery {
    TrendQuery {
        term: Some(text.to_string()),
        ..TrendQuery::default()
    }
}

#[test]
fn every_planted_trend_is_counted_once_per_event() {
    let archive = archive();
    let trends = Trends::new(archive.index.clone()).unwrap();
    assert_eq!(trends.weeks().len(), 40);
    assert!(!archive.truth.trends.is_empty());
    for trend in &archive.truth.trends {
        let series = trends.series(&term(&trend.term)).unwrap();
        let planted: Vec<u32> = trend.weekly.iter().map(|w| w.intensity).collect();
        let counted: Vec<u32> = series.weeks.iter().map(|w| w.events).collect();
        assert_eq!(counted, planted, "{}", trend.term);
        assert_eq!(series.events, planted.iter().sum::<u32>());
        assert_eq!(series.weeks[0].week, trend.weekly[0].iso_week);
    }
}

#[test]
fn filters_narrow_and_cooccurrence_adds_up() {
    let archive = archive();
    let trends = Trends::new(archive.index.clone()).unwrap();
    let trend = archive
        .truth
        .trends
        .iter()
        .max_by_key(|t| t.weekly.iter().map(|w| w.intensity).sum::<u32>())
        .unwrap();
    let all = trends.series(&term(&trend.term)).unwrap();
    let in_sector = trends
        .series(&TrendQuery {
            sector: Some(trend.sector.clone()),
            ..term(&trend.term)
        })
        .unwrap();
    assert!(in_sector.events > 0 && in_sector.events <= all.events);
    let topics = topic_table(&archive.index).unwrap();
    let table = trends
        .cooccurrence(&term(&trend.term), &topics, 30)
        .unwrap();
    assert_eq!(table.events, all.events);
    assert_eq!(
        table.weeks.iter().map(|w| w.events).sum::<u32>(),
        all.events
    );
    assert_eq!(
        table.sectors[trend.sector.as_str()],
        in_sector.events,
        "a sector filter counts the events carrying it"
    );
    // Every sector's and region's count agrees with the series for that filter.
    for (sector, &count) in &table.sectors {
        let filtered = trends
            .series(&TrendQuery {
                sector: Some(sector.parse().unwrap()),
                ..term(&trend.term)
            })
            .unwrap();
        assert_eq!(filtered.events, count, "sector {sector}");
    }
    for (region, &count) in &table.regions {
        let filtered = trends
            .series(&TrendQuery {
                region: Some(region.parse().unwrap()),
                ..term(&trend.term)
            })
            .unwrap();
        assert_eq!(filtered.events, count, "region {region}");
    }
    // The names and topics alongside: above chance, never the term itself, and a
    // name's count is the events naming it among the term's.
    assert!(!table.topics.is_empty());
    for topic in &table.topics {
        assert!(topic.lift > 1.0 && topic.events >= 2 && topic.events <= table.events);
        assert!(!topic.topic.eq_ignore_ascii_case(&trend.term), "{topic:?}");
        if topic.kind == TopicKind::Name {
            let both = trends
                .series(&TrendQuery {
                    name: Some(topic.topic.clone()),
                    ..term(&trend.term)
                })
                .unwrap();
            assert_eq!(both.events, topic.events, "{topic:?}");
        }
    }
    assert!(table.topics.windows(2).all(|w| w[0].g2 >= w[1].g2));

    let by_query = trends
        .series(&TrendQuery {
            query: Some(format!("\"{}\"", trend.term)),
            ..TrendQuery::default()
        })
        .unwrap();
    assert_eq!(by_query.weeks, all.weeks);
    // No filter: every event, so each week's count is its total.
    let everything = trends.series(&TrendQuery::default()).unwrap();
    assert!(everything.weeks.iter().all(|w| w.events == w.total));
    assert_eq!(everything.query, "every event");
    // A text with no word the index keeps is in no event: a series of zeros.
    let nothing = trends.series(&term("!!!")).unwrap();
    assert_eq!(nothing.events, 0);
    assert_eq!(nothing.weeks.len(), all.weeks.len());
}

#[test]
fn the_topic_table_is_stored_and_holds_the_planted_phrases() {
    let archive = archive();
    let dir: &Path = archive.index.generation_dir();
    let table = TopicTable::load(dir)
        .unwrap()
        .expect("the indexer writes topics.json");
    assert_eq!(table, TopicTable::build(archive.index.documents()));
    for trend in &archive.truth.trends {
        let planted: u32 = trend.weekly.iter().map(|w| w.intensity).sum();
        if planted < MIN_TOPIC_EVENTS {
            continue;
        }
        let topic = table
            .topics
            .iter()
            .find(|t| t.text.eq_ignore_ascii_case(&trend.term))
            .unwrap_or_else(|| {
                let near: Vec<_> = table
                    .topics
                    .iter()
                    .filter(|t| trend.term.split(' ').any(|w| t.text.contains(w)))
                    .map(|t| (&t.text, t.events, &t.variants))
                    .collect();
                panic!("{} is a topic: {near:?}", trend.term)
            });
        assert_eq!(topic.events, planted, "{}", trend.term);
    }
}

#[test]
fn rising_falling_and_bursting_topics() {
    let archive = archive();
    let table = topic_table(&archive.index).unwrap();
    for trend in archive
        .truth
        .trends
        .iter()
        .filter(|t| t.rising_weeks.is_some())
    {
        let weeks = trend.key_weeks();
        let last = table.weeks.index_of_date(*weeks.last().unwrap()).unwrap();
        let ranking = rank_topics(&table, last, Movement::Rising, 10, &DEFAULT_RISING).unwrap();
        let names: Vec<&str> = ranking
            .topics
            .iter()
            .flat_map(|t| std::iter::once(&t.change.name).chain(&t.also))
            .map(String::as_str)
            .collect();
        assert!(
            names.iter().any(|n| n.eq_ignore_ascii_case(&trend.term)),
            "{}: {names:?}",
            trend.term
        );
        // Each topic is shown once: the topics folded into one have its very counts
        // over the windows, and no two topics shown do.
        let start =
            (last + 1).saturating_sub(DEFAULT_RISING.recent_weeks + DEFAULT_RISING.baseline_weeks);
        let window = |text: &str| {
            let topic = table.topics.iter().find(|t| t.text == text).unwrap();
            topic.counts(table.weeks.len())[start..=last].to_vec()
        };
        let mut shown = Vec::new();
        for topic in &ranking.topics {
            let counts = window(&topic.change.name);
            for other in &topic.also {
                assert_eq!(
                    window(other),
                    counts,
                    "{other} folded into {}",
                    topic.change.name
                );
            }
            assert!(
                !shown.contains(&counts),
                "{} shown twice",
                topic.change.name
            );
            shown.push(counts);
        }
        assert!(ranking
            .topics
            .windows(2)
            .all(|w| w[0].change.score >= w[1].change.score));
    }
    let week = table.weeks.resolve(Some("latest")).unwrap();
    let falling = rank_topics(&table, week, Movement::Falling, 5, &DEFAULT_RISING).unwrap();
    assert!(falling.topics.iter().all(|t| t.change.score < 0.0));
    let bursts = strongest_bursts(&table, &DEFAULT_BURST, 50).unwrap();
    assert!(bursts
        .windows(2)
        .all(|w| w[0].burst.weight >= w[1].burst.weight));
    for trend in archive
        .truth
        .trends
        .iter()
        .filter(|t| t.active_weeks.is_some())
    {
        let series = Trends::new(archive.index.clone())
            .unwrap()
            .series(&term(&trend.term))
            .unwrap();
        let found = bursts_of(&series.weekly(), &table.weeks, &DEFAULT_BURST).unwrap();
        let active: Vec<String> = trend
            .key_weeks()
            .iter()
            .map(|d| d.iso_week().to_string())
            .collect();
        assert_eq!(found.len(), 1, "{}: {found:?}", trend.term);
        assert_eq!(
            (&found[0].start, &found[0].end),
            (&active[0], active.last().unwrap()),
            "{}",
            trend.term
        );
    }
}

/// A hand-made archive (not the generator's): a theme and a company rise in the last
/// weeks, written in sentences full of verbs and passing fragments, beside a phrase
/// every week uses. Only the things rank.
#[test]
fn fragments_verbs_and_everyday_phrases_never_rank() {
    let mut docs = Vec::new();
    let mut date: backissue_issue::Date = "2025-01-03".parse().unwrap();
    for week in 0..40 {
        let issue = date.to_string();
        let mut n = 1;
        let mut story = |title: &str, body: &str| {
            docs.push(Document::test_story(&issue, n, title, body));
            n += 1;
        };
        story(
            "Harbour Fund Closes Round",
            "The startup raised money in a funding round led by institutional investors, it said.",
        );
        story(
            "Weekly Notes",
            "Analysts expect steady demand; the company expects growth and ships updates.",
        );
        if week >= 30 {
            for _ in 0..(week - 28) {
                story(
                    "Regulators Move Fast",
                    "Officials quickly announced quantum sensing grants, and a maker said \
                     it welcomed quantum sensing grants warmly. Critics came around.",
                );
            }
        }
        if week >= 35 {
            story(
                "A Sensor Maker Grows",
                "Investors said Orvane Systems doubled sales as buyers came back.",
            );
        }
        // Every week holds as many events: the theme's stories take others' places.
        let filler = 16 - if week >= 30 { week - 28 } else { 0 } - usize::from(week >= 35);
        for _ in 0..filler {
            story("Markets Wrap", "Shares rose.");
        }
        date = date.add_days(7).unwrap();
    }
    let table = TopicTable::build(&docs);
    let last = table.weeks.len() - 1;
    let ranking = rank_topics(&table, last, Movement::Rising, 10, &DEFAULT_RISING).unwrap();
    let shown: Vec<&str> = ranking
        .topics
        .iter()
        .map(|t| t.change.name.as_str())
        .collect();
    assert!(shown.contains(&"quantum sensing grants"), "{shown:?}");
    assert!(shown.contains(&"Orvane Systems"), "{shown:?}");
    for topic in &ranking.topics {
        let text = topic.change.name.as_str();
        for bad in [
            "officials",
            "announced",
            "quickly",
            "welcomed",
            "said",
            "came",
            "critics",
            "warmly",
            "doubled",
            "buyers",
            "investors",
        ] {
            assert!(
                !text.split(' ').any(|w| w == bad),
                "{text} is a fragment: {shown:?}"
            );
        }
        let windows = DEFAULT_RISING.recent_weeks + DEFAULT_RISING.baseline_weeks;
        assert_eq!(
            topic.weekly.len(),
            windows,
            "the evidence covers the windows"
        );
        assert_eq!(topic.weekly.last().unwrap().week, ranking.week);
    }
    // The everyday phrase is in the table, but as steady language it never ranks.
    let everyday = table
        .topic(TopicKind::Phrase, "funding round")
        .expect("counted");
    assert!(everyday.steady);
    assert!(
        !table
            .topic(TopicKind::Phrase, "quantum sensing grants")
            .unwrap()
            .steady
    );
    let falling = rank_topics(&table, last, Movement::Falling, 10, &DEFAULT_RISING).unwrap();
    assert!(falling
        .topics
        .iter()
        .all(|t| t.change.name != "funding round"));
    let bursts = strongest_bursts(&table, &DEFAULT_BURST, 10).unwrap();
    assert!(bursts.iter().all(|b| b.topic != "funding round"));
}

#[test]
fn a_spent_budget_stops_trend_work() {
    use std::sync::atomic::AtomicBool;
    let archive = archive();
    let table = topic_table(&archive.index).unwrap();
    let trends = Trends::new(archive.index.clone()).unwrap();
    let gone = crate::budget::Budget::new(None, Arc::new(AtomicBool::new(true)));
    let cancelled = |result: Result<()>| matches!(result, Err(crate::Error::Cancelled { .. }));
    assert!(cancelled(gone.clone().run(|| {
        rank_topics(&table, 0, Movement::Rising, 10, &DEFAULT_RISING).map(drop)
    })));
    assert!(cancelled(
        gone.clone()
            .run(|| strongest_bursts(&table, &DEFAULT_BURST, 10).map(drop))
    ));
    assert!(cancelled(gone.clone().run(|| {
        trends.cooccurrence(&term("chip"), &table, 10).map(drop)
    })));
    assert!(cancelled(
        gone.run(|| trends.series(&term("chip")).map(drop))
    ));
    // Without a budget the same work runs.
    assert!(strongest_bursts(&table, &DEFAULT_BURST, 10).is_ok());
}
