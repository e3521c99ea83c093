//! The properties of related stories, trends and resources over the WHOLE shipped
//! corpus (104 weeks), indexed once per test binary through `backissue index` with the
//! REAL embedding model, checked against `corpus/ground_truth.json`.
//!
//! This is the one test binary that embeds the full corpus with the real model: about
//! four minutes on two cores. The embedding cache (content-addressed by text) is kept
//! in Cargo's test temp folder between runs, so a second run embeds nothing and the
//! whole binary takes well under a minute; every run still builds a fresh index, so
//! the related and topic tables are always those of the code under test.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use backissue_embed::{FastEmbedder, ModelFiles};
use backissue_engine::analytics::RisingParams;
use backissue_engine::related::{
    NameRarity, Reach, Related, RelatedParams, RelatedTable, Scorer, Written, CANDIDATES_KEPT,
    LIST_LENGTH,
};
use backissue_engine::resources::{normalize_url, Catalog, Request};
use backissue_engine::search::{QueryEmbedder, SearchRequest, Searcher};
use backissue_engine::text::titles::normalize_title;
use backissue_engine::trends::{self, Movement, TopicTable, TrendQuery, Trends};
use backissue_engine::{keyword, Document, Index, Vectors};
use backissue_issue::{Date, Level};
use serde_json::Value;
use tempfile::TempDir;

mod common;
use common::{bin, repo};

struct Corpus {
    _dir: TempDir,
    index_dir: PathBuf,
    index: Arc<Index>,
    truth: Value,
}

/// Copies every file of `from` into `to` (created), if `from` exists.
fn copy_files(from: &Path, to: &Path) {
    let Ok(entries) = std::fs::read_dir(from) else {
        return;
    };
    std::fs::create_dir_all(to).unwrap();
    for entry in entries.flatten() {
        if entry.path().is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

fn corpus() -> &'static Corpus {
    static CORPUS: OnceLock<Corpus> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let index_dir = dir.path().join("index");
        let kept_cache =
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("related-corpus-embedding-cache");
        copy_files(&kept_cache, &index_dir.join("cache"));
        let started = Instant::now();
        let output = bin()
            .args(["index", "--corpus", "corpus", "--index"])
            .arg(&index_dir)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        eprintln!(
            "indexed the full corpus with the real model in {:.1} s",
            started.elapsed().as_secs_f64()
        );
        copy_files(&index_dir.join("cache"), &kept_cache);
        let index = Arc::new(Index::open(&index_dir).unwrap());
        let truth = serde_json::from_slice(
            &std::fs::read(repo().join("corpus/ground_truth.json")).unwrap(),
        )
        .unwrap();
        Corpus {
            _dir: dir,
            index_dir,
            index,
            truth,
        }
    })
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

/// (a) For at least 90% of the storyline steps of the ground truth (each step's top
/// story), the related list's top 5 holds a story of another step of the storyline.
#[test]
fn storyline_stories_find_another_step_in_their_top_five() {
    let corpus = corpus();
    let related = Related::open(corpus.index.clone()).unwrap();
    let (mut hits, mut total) = (0, 0);
    let mut misses = Vec::new();
    for storyline in corpus.truth["storylines"].as_array().unwrap() {
        let steps: Vec<Vec<String>> = storyline["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| strings(&s["event_doc_ids"]))
            .collect();
        for (k, step) in steps.iter().enumerate() {
            let Some(top) = step.first() else { continue };
            let others: HashSet<&String> = steps
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != k)
                .flat_map(|(_, s)| s)
                .collect();
            let answer = related.story(top, &RelatedParams::default()).unwrap();
            total += 1;
            if answer
                .related
                .iter()
                .take(5)
                .any(|r| others.contains(&r.id))
            {
                hits += 1;
            } else {
                misses.push(top.clone());
            }
        }
    }
    let rate = f64::from(hits) / f64::from(total);
    eprintln!("storyline hit rate: {hits}/{total} = {rate:.3}; misses: {misses:?}");
    assert!(total > 150, "{total} storyline steps");
    assert!(rate >= 0.9, "storyline hit rate {rate:.3}");
}

/// Storylines found without the ground truth, compared pair by pair with it.
#[test]
fn storylines_match_the_planted_ones() {
    let corpus = corpus();
    let related = Related::open(corpus.index.clone()).unwrap();
    let pairs = |groups: Vec<Vec<String>>| -> HashSet<(String, String)> {
        groups
            .into_iter()
            .flat_map(|ids| {
                let mut out = Vec::new();
                for a in &ids {
                    for b in &ids {
                        if a < b {
                            out.push((a.clone(), b.clone()));
                        }
                    }
                }
                out
            })
            .collect()
    };
    let truth = pairs(
        corpus.truth["storylines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                s["steps"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter_map(|step| step["event_doc_ids"][0].as_str().map(str::to_string))
                    .collect()
            })
            .collect(),
    );
    let found = pairs(
        related
            .storylines()
            .iter()
            .map(|s| s.steps.iter().map(|step| step.id.clone()).collect())
            .collect(),
    );
    let shared = truth.intersection(&found).count() as f64;
    let (precision, recall) = (shared / found.len() as f64, shared / truth.len() as f64);
    eprintln!(
        "storylines: {} found, {} planted; step pairs precision {precision:.3}, recall {recall:.3}",
        related.storylines().len(),
        corpus.truth["storylines"].as_array().unwrap().len()
    );
    assert!(
        precision >= 0.9 && recall >= 0.9,
        "precision {precision:.3}, recall {recall:.3}"
    );

    // The CLI shows the storyline first.
    let story = &related.storylines()[0].steps[1].id;
    let json = cli_json(&["related", story]);
    assert!(json["storyline"].as_array().unwrap().len() >= 2);
    assert!(json["storyline"][0]["date"].is_string() && json["storyline"][0]["title"].is_string());
    assert_eq!(json["related"].as_array().unwrap().len(), 5);
}

/// (b) No related list anywhere holds a copy of its own event, or two copies of one event.
#[test]
fn no_list_holds_its_own_event_or_an_event_twice() {
    let corpus = corpus();
    let index = &corpus.index;
    let related = Related::open(index.clone()).unwrap();
    let params = RelatedParams {
        limit: LIST_LENGTH,
        ..RelatedParams::default()
    };
    let mut stories = 0;
    let started = Instant::now();
    for doc in index.documents().iter().filter(|d| d.section.is_story()) {
        let answer = related.story(&doc.id, &params).unwrap();
        assert!(answer.precomputed);
        stories += 1;
        let mut events = HashSet::new();
        for story in &answer.related {
            let other = index.document(&story.id).unwrap();
            assert_ne!(
                other.event_id, doc.event_id,
                "{} lists a copy of its own event: {}",
                doc.id, other.id
            );
            assert_ne!(
                other.issue_id, doc.issue_id,
                "{} lists {} from its own issue",
                doc.id, other.id
            );
            assert!(
                events.insert(other.event_id.clone()),
                "{} lists event {} twice",
                doc.id,
                other.event_id
            );
        }
    }
    let per_lookup = started.elapsed() / stories;
    eprintln!("{stories} lists walked; {per_lookup:?} per lookup");
    assert!(stories > 2000);
}

/// Issue 11: one list per event, whichever copy is asked for. For EVERY event of the
/// corpus with two or more copies (a top story and the same news in a brief or a
/// regional watch), every copy gets the same stored list, through the engine and the
/// CLI; a sample of them also through an on-the-fly computation (a longer list).
#[test]
fn every_copy_of_an_event_gets_the_same_list() {
    let corpus = corpus();
    let index = &corpus.index;
    let related = Related::open(index.clone()).unwrap();
    let mut copies: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
    for doc in index.documents().iter().filter(|d| d.section.is_story()) {
        copies.entry(&doc.event_id).or_default().push(&doc.id);
    }
    let ids = |id: &str, params: &RelatedParams| -> Vec<String> {
        let answer = related.story(id, params).unwrap();
        answer.related.into_iter().map(|r| r.id).collect()
    };
    let stored = RelatedParams {
        limit: LIST_LENGTH,
        ..RelatedParams::default()
    };
    let longer = RelatedParams {
        limit: LIST_LENGTH + 2,
        ..RelatedParams::default()
    };
    let (mut agreeing, mut multi, mut computed) = (0, 0, 0);
    let mut differing = Vec::new();
    for (n, event) in copies.values().filter(|c| c.len() > 1).enumerate() {
        multi += 1;
        let lists: Vec<Vec<String>> = event.iter().map(|id| ids(id, &stored)).collect();
        if lists.iter().all(|l| l == &lists[0]) {
            agreeing += 1;
        } else {
            differing.push(event.join(" / "));
        }
        let copy_of_itself = lists[0].iter().any(|id| event.contains(&id.as_str()));
        assert!(
            !copy_of_itself,
            "{event:?} lists its own copy: {:?}",
            lists[0]
        );
        if n % 25 == 0 {
            computed += 1;
            let fresh: Vec<Vec<String>> = event.iter().map(|id| ids(id, &longer)).collect();
            assert!(fresh.iter().all(|l| l == &fresh[0]), "{event:?}: {fresh:?}");
        }
    }
    eprintln!(
        "copies agreeing: {agreeing} of {multi} multi-copy events (stored lists); \
         {computed} also computed on the fly"
    );
    assert!(multi > 500, "{multi} multi-copy events");
    assert_eq!(
        agreeing, multi,
        "copies with different lists: {differing:?}"
    );

    // The issue's example, through the CLI.
    let top = cli_json(&["related", "2025-12-05/top/4"]);
    let watch = cli_json(&["related", "2025-12-05/china-watch/1"]);
    assert_eq!(top["related"], watch["related"]);
}

/// Issue 11: a text about an outage (written for this test in general words, not
/// taken from the corpus) gets outage stories first: the kind of news it reports is
/// read from the archive's own headlines, names aside, as for stories. Judged by the
/// ground truth where the story was planted; for the generator's unplanted filler
/// news, by its text reporting an outage.
#[test]
fn a_text_about_an_outage_gets_outage_stories_first() {
    let corpus = corpus();
    let index = &corpus.index;
    let mut kind_of: HashMap<String, String> = HashMap::new();
    for event in corpus.truth["events"].as_array().unwrap() {
        for id in strings(&event["doc_ids"]) {
            kind_of.insert(id, event["kind"].as_str().unwrap().to_string());
        }
    }
    for storyline in corpus.truth["storylines"].as_array().unwrap() {
        for step in storyline["steps"].as_array().unwrap() {
            for id in strings(&step["event_doc_ids"]) {
                kind_of.insert(id, step["kind"].as_str().unwrap().to_string());
            }
        }
    }
    let text = "A grid operator's outage after a bad rollout: the utility said a \
                botched software update took its dispatch platform down for most of \
                the day, and customers were left without service until engineers \
                reverted the change.";
    let json = cli_json(&["related", "--text", text, "--limit", "5"]);
    let list = json["related"].as_array().unwrap();
    assert_eq!(list.len(), 5);
    let mut shown = Vec::new();
    for (rank, story) in list.iter().enumerate() {
        let id = story["id"].as_str().unwrap();
        let doc = index.document(id).unwrap();
        // The event's copies: the ground truth may list any of them.
        let copies: Vec<&Document> = index
            .documents()
            .iter()
            .filter(|d| d.event_id == doc.event_id)
            .collect();
        let planted = copies.iter().find_map(|d| kind_of.get(&d.id));
        let outage = match planted {
            Some(kind) => kind == "outage",
            None => copies.iter().any(|d| {
                format!("{} {}", d.title, d.body)
                    .to_lowercase()
                    .contains("outage")
            }),
        };
        shown.push(format!(
            "{}. {} [{}] {}",
            rank + 1,
            doc.title,
            planted.map_or("unplanted", String::as_str),
            story["why"]
        ));
        assert!(outage, "not an outage story: {}", shown.join("\n"));
    }
    eprintln!("{}", shown.join("\n"));
    assert!(
        list[0]["shared_kind"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w == "outage"),
        "{}",
        list[0]
    );
}

/// Issue 11: a later story with the same headline as the story asked about, or as a
/// story above it in the list, is marked as such in every list of the corpus.
#[test]
fn repeated_headlines_are_marked_in_every_list() {
    let corpus = corpus();
    let index = &corpus.index;
    let related = Related::open(index.clone()).unwrap();
    let normal = |t: &str| {
        t.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let (mut marked, mut lists) = (0, 0);
    for doc in index.documents().iter().filter(|d| d.section.is_story()) {
        let answer = related.story(&doc.id, &RelatedParams::default()).unwrap();
        lists += 1;
        for (i, story) in answer.related.iter().enumerate() {
            let title = normal(&story.title);
            let earlier = (title == normal(&doc.title))
                || answer.related[..i]
                    .iter()
                    .any(|o| normal(&o.title) == title);
            assert_eq!(
                story.same_headline.is_some(),
                earlier,
                "{}: {story:?}",
                doc.id
            );
            if let Some(same) = &story.same_headline {
                marked += 1;
                assert!(story.why.starts_with("same headline as "), "{}", story.why);
                let other = index.document(&same.id).unwrap();
                assert_eq!(normal(&other.title), title);
                let weeks = (other.date.days_since_epoch()
                    - index.document(&story.id).unwrap().date.days_since_epoch())
                    as f64
                    / 7.0;
                assert_eq!(same.weeks_apart, weeks.round() as i32, "{story:?}");
            }
        }
    }
    eprintln!("{marked} repeated headlines marked in {lists} lists");
    assert!(marked > 0);
}

/// When an issue is added, only the lists it changes are recomputed.
#[test]
fn adding_the_last_issue_recomputes_few_lists() {
    let corpus = corpus();
    let index = &corpus.index;
    let docs = index.documents();
    let last = docs.iter().map(|d| d.issue_id.clone()).max().unwrap();
    let rows: Vec<usize> = (0..docs.len())
        .filter(|&r| docs[r].issue_id != last)
        .collect();
    let before_docs: Vec<Document> = rows.iter().map(|&r| docs[r].clone()).collect();
    let mut before_vectors = Vectors::new(index.vectors().dimension());
    for &row in &rows {
        before_vectors.push(index.vectors().get(row));
    }
    let dir = tempfile::tempdir().unwrap();
    let refs: Vec<&Document> = before_docs.iter().collect();
    keyword::write(dir.path(), None, &[], &refs, &mut |_| {}).unwrap();
    let before_keyword = keyword::open(dir.path()).unwrap();
    let before = Scorer::new(
        Written::new(&before_docs, &before_vectors, &before_keyword, dir.path()).unwrap(),
        NameRarity::of(&before_docs),
    )
    .unwrap();
    let (old, full) = RelatedTable::update(None, &before).unwrap();
    assert!(full.full);

    let after = Scorer::new(index.clone(), NameRarity::of(docs)).unwrap();
    let started = Instant::now();
    let (_, stats) = RelatedTable::update(Some(&old), &after).unwrap();
    // One list per story event.
    let stories = after.events().len();
    let new = docs
        .iter()
        .filter(|d| d.issue_id == last && d.section.is_story())
        .map(|d| &d.event_id)
        .collect::<HashSet<_>>()
        .len();
    eprintln!(
        "adding {last}: {stories} lists, {} new, {} entered, {} storyline, {} lost, {} carried, in {:.1} s",
        stats.new,
        stats.entered,
        stats.storyline,
        stats.lost,
        stats.carried,
        started.elapsed().as_secs_f64()
    );
    assert_eq!(stats.new, new);
    assert_eq!(stats.lost, 0);
    assert_eq!(
        stats.new + stats.entered + stats.storyline + stats.carried,
        stories
    );
    assert!(
        stats.carried * 4 >= stories * 3,
        "at least 75% of the lists are carried over"
    );

    // The count is the rule's: an old list was recomputed exactly when a story of the
    // new issue is among its freshly computed candidates (or its storyline changed).
    let recomputed: HashSet<&str> = stats.recomputed.iter().map(String::as_str).collect();
    let mut disagreements = Vec::new();
    for &row in after.events() {
        let doc = &docs[row];
        if doc.issue_id == last {
            continue;
        }
        let candidates = after
            .candidates(&after.story_probe(row), Reach::default(), CANDIDATES_KEPT)
            .unwrap();
        let enters = candidates.iter().any(|c| docs[c.row].issue_id == last);
        if enters && !recomputed.contains(doc.id.as_str()) {
            disagreements.push(doc.id.clone());
        }
    }
    eprintln!("lists a new story enters but that were carried: {disagreements:?}");
    assert!(
        disagreements.len() * 100 <= stories,
        "{} lists missed",
        disagreements.len()
    );
}

/// `backissue ARGS… --json` on the corpus's index, which must succeed, as JSON.
fn cli_json(args: &[&str]) -> Value {
    let output = bin()
        .args(args)
        .args(["--json", "--index"])
        .arg(&corpus().index_dir)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", common::stderr(&output));
    serde_json::from_slice(&output.stdout).unwrap()
}

/// The rank of `term` among the rising topics at the week of `date`, if in the top 10
/// (shown itself or folded into a topic with the same counts).
fn rising_rank(table: &TopicTable, date: Date, term: &str, params: &RisingParams) -> Option<usize> {
    let week = table.weeks.index_of_date(date).unwrap();
    let ranking = trends::rank_topics(table, week, Movement::Rising, 10, params).unwrap();
    // A topic folded into another with the same counts is shown there, as `also`.
    ranking.topics.iter().position(|t| {
        std::iter::once(&t.change.name)
            .chain(&t.also)
            .any(|name| name.eq_ignore_ascii_case(term))
    })
}

/// (c) Every planted rising trend is in the top 10 rising topics (`trends rising`'s
/// defaults: 4 recent weeks against 26) in each week of the later half of its rising
/// weeks (for 9 rising weeks, the last 5: `rising_weeks[len / 2..]`). Recall over all
/// its rising weeks is reported.
#[test]
fn planted_rising_trends_are_top_ten_while_they_rise() {
    let corpus = corpus();
    let table = TopicTable::load(corpus.index.generation_dir())
        .unwrap()
        .expect("the indexer stores topics.json");
    let (mut found, mut weeks, mut late_found, mut late_weeks) = (0, 0, 0, 0);
    let mut rising = 0;
    for trend in corpus.truth["trends"].as_array().unwrap() {
        if trend["shape"] != "rising" {
            continue;
        }
        rising += 1;
        let term = trend["term"].as_str().unwrap();
        let dates: Vec<Date> = strings(&trend["rising_weeks"])
            .iter()
            .map(|d| d.parse().unwrap())
            .collect();
        let ranks: Vec<Option<usize>> = dates
            .iter()
            .map(|&d| rising_rank(&table, d, term, &trends::DEFAULT_RISING))
            .collect();
        eprintln!(
            "{term}: ranks {:?}",
            ranks.iter().map(|r| r.map(|r| r + 1)).collect::<Vec<_>>()
        );
        weeks += ranks.len();
        found += ranks.iter().flatten().count();
        for (date, rank) in dates.iter().zip(&ranks).skip(dates.len() / 2) {
            late_weeks += 1;
            if rank.is_some() {
                late_found += 1;
            } else {
                eprintln!("{term} is not in the top 10 at {date}");
            }
        }
    }
    eprintln!("rising-trend recall: {found}/{weeks} rising weeks, {late_found}/{late_weeks} in the later halves");
    assert!(rising >= 3);
    assert_eq!(late_found, late_weeks);

    // The CLI ranks the same way.
    let trend = corpus.truth["trends"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["shape"] == "rising")
        .unwrap();
    let date = strings(&trend["rising_weeks"]).last().unwrap().clone();
    let json = cli_json(&["trends", "rising", "--week", &date]);
    let names: Vec<&str> = json["topics"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| {
            let also = t["also"].as_array().into_iter().flatten();
            std::iter::once(&t["name"]).chain(also)
        })
        .map(|n| n.as_str().unwrap())
        .collect();
    assert!(
        names
            .iter()
            .any(|n| n.eq_ignore_ascii_case(trend["term"].as_str().unwrap())),
        "{names:?}"
    );
}

/// A trend counts events, not copies: its weekly counts match the planted intensity;
/// planted bursts are found on their weeks. (Latency: `benches/query.rs`.)
#[test]
fn trend_counts_match_the_planted_intensity() {
    let corpus = corpus();
    let trends = Trends::new(corpus.index.clone()).unwrap();
    for trend in corpus.truth["trends"].as_array().unwrap() {
        let term = trend["term"].as_str().unwrap();
        let series = trends
            .series(&TrendQuery {
                term: Some(term.to_string()),
                ..TrendQuery::default()
            })
            .unwrap();
        let planted: Vec<u32> = trend["weekly"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["intensity"].as_u64().unwrap() as u32)
            .collect();
        let counted: Vec<u32> = series.weeks.iter().map(|w| w.events).collect();
        assert_eq!(counted, planted, "{term}");
        assert!(series.weeks.iter().all(|w| w.share <= 1.0));
    }
    // Every planted burst is found by `trends bursts`' automaton, on exactly its weeks.
    let table = TopicTable::load(corpus.index.generation_dir())
        .unwrap()
        .unwrap();
    for trend in corpus.truth["trends"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["shape"] == "burst")
    {
        let term = trend["term"].as_str().unwrap();
        let series = trends
            .series(&TrendQuery {
                term: Some(term.to_string()),
                ..TrendQuery::default()
            })
            .unwrap();
        let found =
            trends::bursts_of(&series.weekly(), trends.weeks(), &trends::DEFAULT_BURST).unwrap();
        let active: Vec<String> = strings(&trend["active_weeks"])
            .iter()
            .map(|d| d.parse::<Date>().unwrap().iso_week().to_string())
            .collect();
        assert_eq!(found.len(), 1, "{term}: {found:?}");
        assert_eq!(
            (&found[0].start, &found[0].end),
            (&active[0], active.last().unwrap()),
            "{term}"
        );
    }
    // The latest week ranks (the table covers the whole archive).
    let week = table.weeks.resolve(Some("latest")).unwrap();
    let ranking =
        trends::rank_topics(&table, week, Movement::Rising, 10, &trends::DEFAULT_RISING).unwrap();
    assert!(!ranking.topics.is_empty());
}

/// (e) Resources: one entry per work. Featurings with the same normalised URL or
/// title are one entry (transitively), which lists every level and URL it came under,
/// with the right history; a level includes `All`.
#[test]
fn resources_are_listed_once_per_work_with_every_level_and_url() {
    let corpus = corpus();
    let docs: HashMap<&str, &Document> = corpus
        .index
        .documents()
        .iter()
        .filter(|d| d.section == backissue_engine::Section::Resource)
        .map(|d| (d.id.as_str(), d))
        .collect();
    let catalog = Catalog::new(corpus.index.clone()).unwrap();
    // Every featuring is in exactly one entry.
    let mut seen: HashSet<&str> = HashSet::new();
    for entry in catalog.resources() {
        for id in &entry.featured.doc_ids {
            assert!(docs.contains_key(id.as_str()), "{id}");
            assert!(seen.insert(id), "{id} is in two entries");
        }
    }
    assert_eq!(seen.len(), docs.len());
    // No two entries share a normalised title or URL; each lists its featurings' own.
    let mut titles: HashSet<String> = HashSet::new();
    let mut urls: HashSet<String> = HashSet::new();
    for entry in catalog.resources() {
        let featurings: Vec<&Document> = entry
            .featured
            .doc_ids
            .iter()
            .map(|id| docs[id.as_str()])
            .collect();
        let own_titles: BTreeSet<String> = featurings
            .iter()
            .map(|d| normalize_title(&d.title))
            .collect();
        let own_urls: BTreeSet<String> = featurings
            .iter()
            .map(|d| normalize_url(d.url.as_deref().unwrap()))
            .collect();
        for title in &own_titles {
            assert!(titles.insert(title.clone()), "{title} in two entries");
        }
        for url in &own_urls {
            assert!(urls.insert(url.clone()), "{url} in two entries");
        }
        let listed: BTreeSet<String> = entry.urls.iter().map(|u| normalize_url(u)).collect();
        assert_eq!(listed, own_urls, "{}", entry.title);
        assert_eq!(entry.urls.len(), own_urls.len());
        let levels: BTreeSet<Level> = featurings.iter().filter_map(|d| d.level).collect();
        assert_eq!(entry.levels, levels.into_iter().collect::<Vec<_>>());
        let issues: BTreeSet<&str> = featurings.iter().map(|d| d.issue_id.as_str()).collect();
        assert_eq!(entry.featured.times_featured as usize, issues.len());
        let first = featurings.iter().map(|d| d.date).min().unwrap();
        let last = featurings.iter().map(|d| d.date).max().unwrap();
        assert_eq!(entry.featured.first_week, first.iso_week().to_string());
        assert_eq!(entry.featured.last_week, last.iso_week().to_string());
        let latest = featurings.iter().max_by_key(|d| (d.date, &d.id)).unwrap();
        assert_eq!(entry.url, latest.url.clone().unwrap());
        assert_eq!(Some(entry.level), latest.level);
    }
    // The issue's example: three levels, four URLs, one entry.
    let vector_search: Vec<_> = catalog
        .resources()
        .iter()
        .filter(|r| r.title == "Vector Search at Scale From First Principles")
        .collect();
    assert_eq!(vector_search.len(), 1);
    assert_eq!(
        vector_search[0].levels,
        [Level::Beginner, Level::Intermediate, Level::Advanced]
    );
    assert_eq!(
        vector_search[0].urls.len(),
        4,
        "{:?}",
        vector_search[0].urls
    );
    eprintln!(
        "{} resource featurings, {} URLs, {} works",
        docs.len(),
        urls.len(),
        catalog.resources().len()
    );

    let listing = catalog
        .rank_resources(&Request {
            level: Some(Level::Beginner),
            limit: 200,
            ..Request::default()
        })
        .unwrap();
    let levels: BTreeSet<Level> = listing.groups[0]
        .items
        .iter()
        .flat_map(|r| r.item.levels.iter().copied())
        .filter(|l| matches!(l, Level::Beginner | Level::All))
        .collect();
    assert_eq!(levels, BTreeSet::from([Level::Beginner, Level::All]));
    assert!(listing.groups[0].items.iter().all(|r| r
        .item
        .levels
        .iter()
        .any(|l| l.suits(Level::Beginner))));
}

/// `GET path` on the server at `addr`: the status and the body (`Connection: close`).
fn http_get(addr: std::net::SocketAddr, path: &str) -> (u16, String) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap();
    assert!(!head.to_ascii_lowercase().contains("chunked"), "{head}");
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, body.to_string())
}

/// (f) Paths through the real server: every step of every learning path of the
/// parsed corpus is in `/api/paths` with its number, text, minutes and link, and
/// every step served has minutes and a link (the issue's figure: 0 of 73 before).
#[test]
fn every_path_step_of_the_corpus_is_served_with_its_minutes_and_link() {
    use std::io::BufRead;
    let corpus = corpus();
    type Step = (u32, String, u32, String);
    // The parsed issues: every path (title, steps, outcome), and every step featured.
    let mut parsed: BTreeSet<(String, Vec<Step>, String)> = BTreeSet::new();
    let mut featured_steps = 0;
    let mut files: Vec<PathBuf> = std::fs::read_dir(repo().join("corpus"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    for file in &files {
        let issue = backissue_issue::parse_file(file).unwrap();
        for path in &issue.learning_paths {
            featured_steps += path.steps.len();
            let steps = path
                .steps
                .iter()
                .map(|s| (s.n, s.text.clone(), s.minutes, s.url.clone()))
                .collect();
            parsed.insert((path.title.clone(), steps, path.outcome.clone()));
        }
    }

    let mut child = bin()
        .args([
            "serve",
            "--no-index",
            "--bind",
            "127.0.0.1:0",
            "--corpus",
            "corpus",
        ])
        .arg("--index")
        .arg(&corpus.index_dir)
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        // (503s while the index loads are logged; not this test's concern)
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let addr: std::net::SocketAddr = loop {
        let mut line = String::new();
        assert!(stdout.read_line(&mut line).unwrap() > 0, "serve ended");
        if let Some(addr) = line.trim().strip_prefix("listening on http://") {
            break addr.parse().unwrap();
        }
    };
    struct Killed(std::process::Child);
    impl Drop for Killed {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let _server = Killed(child);
    let started = Instant::now();
    while http_get(addr, "/readyz").0 != 200 {
        assert!(started.elapsed().as_secs() < 120, "not ready");
        std::thread::sleep(std::time::Duration::from_millis(200));
    }

    // Every page of every level group.
    let mut served: BTreeSet<(String, Vec<Step>, String)> = BTreeSet::new();
    let (mut steps, mut with_both, mut served_featurings) = (0, 0, 0);
    let mut offset = 0;
    loop {
        let (status, body) = http_get(addr, &format!("/api/paths?limit=200&offset={offset}"));
        assert_eq!(status, 200, "{body}");
        let listing: Value = serde_json::from_str(&body).unwrap();
        let mut more = false;
        for group in listing["groups"].as_array().unwrap() {
            let items = group["items"].as_array().unwrap();
            more |= offset + items.len() < group["total"].as_u64().unwrap() as usize;
            for path in items {
                let path_steps: Vec<Step> = path["steps"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|s| {
                        (
                            s["n"].as_u64().unwrap() as u32,
                            s["text"].as_str().unwrap().to_string(),
                            s["minutes"].as_u64().unwrap() as u32,
                            s["url"].as_str().unwrap().to_string(),
                        )
                    })
                    .collect();
                steps += path_steps.len();
                with_both += path_steps
                    .iter()
                    .filter(|(_, _, minutes, url)| *minutes > 0 && url.starts_with("http"))
                    .count();
                served_featurings += path_steps.len() * path["doc_ids"].as_array().unwrap().len();
                let total: u32 = path_steps.iter().map(|s| s.2).sum();
                assert_eq!(path["total_minutes"], total);
                let outcome = path["outcome"].as_str().unwrap().to_string();
                assert!(!outcome.is_empty());
                assert!(served.insert((
                    path["title"].as_str().unwrap().to_string(),
                    path_steps,
                    outcome
                )));
            }
        }
        if !more {
            break;
        }
        offset += 200;
    }
    eprintln!(
        "{with_both} of {steps} path steps in /api/paths carry minutes and a URL \
         ({} distinct paths; {served_featurings} of {featured_steps} steps of the parsed issues)",
        served.len()
    );
    assert_eq!(
        served, parsed,
        "the paths served are the parsed ones, whole"
    );
    assert_eq!(with_both, steps, "every step has minutes and a URL");
    assert_eq!(served_featurings, featured_steps);
}

/// Every organisation and product name of the corpus, searched alone in the default
/// (hybrid) mode with the REAL model, finds a document naming it at rank 1.
/// (`search_corpus.rs` checks keyword and hybrid with the hash embedder.)
#[test]
fn every_name_finds_a_document_naming_it_first_with_the_real_model() {
    let corpus = corpus();
    let index = Arc::new(Index::open(&corpus.index_dir).unwrap());
    let files = ModelFiles::locate(None).unwrap();
    let embedder: QueryEmbedder = Arc::new(FastEmbedder::from_files(&files, None).unwrap());
    let searcher = Searcher::new(index.clone(), embedder).unwrap();
    let names = common::entity_names(&["organisation", "product"]);
    let mut failures = Vec::new();
    for name in &names {
        let response = searcher.search(&SearchRequest::new(name.as_str())).unwrap();
        match response.hits.first() {
            None => failures.push(format!("{name}: no hit")),
            Some(first) => {
                let doc = index.document(&first.id).unwrap();
                if !common::names(&format!("{}\n{}", doc.title, doc.body), name) {
                    failures.push(format!("{name}: first hit {} is {:?}", first.id, doc.title));
                }
            }
        }
    }
    eprintln!(
        "{} names searched, {} not found first",
        names.len(),
        failures.len()
    );
    assert!(names.len() > 150, "{}", names.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Issue 11's figures for topics, judged by the ground truth: over ten weeks spread
/// across the archive, at least 80% of the top 10 rising topics are organisations,
/// products, people, planted themes, sectors, regions or kinds of event; all planted
/// bursts are in the archive-wide top 10 bursts, and nothing there lasts over 12 weeks.
/// (`python3 benches/topics.py` prints the same figures.)
#[test]
fn rising_topics_are_things_and_bursts_are_short() {
    let corpus = corpus();
    let table = trends::topic_table(&corpus.index).unwrap();
    let norm = |text: &str| {
        let text = text.to_lowercase();
        text.strip_suffix('s')
            .filter(|_| !text.ends_with("ss"))
            .map_or(text.clone(), str::to_string)
    };
    let truth = &corpus.truth;
    let mut things: HashSet<String> = HashSet::new();
    for entity in truth["entities"].as_array().unwrap() {
        things.insert(norm(entity["name"].as_str().unwrap()));
    }
    for trend in truth["trends"].as_array().unwrap() {
        things.insert(norm(trend["term"].as_str().unwrap()));
    }
    let kinds: HashSet<String> = truth["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| norm(e["kind"].as_str().unwrap()))
        .collect();
    for doc in corpus.index.documents() {
        things.extend(doc.sectors.iter().map(|s| norm(s.as_str())));
        things.extend(doc.regions.iter().map(|r| norm(r.as_str())));
    }
    let is_thing = |text: &str| {
        let n = norm(text);
        things.contains(&n) || n.split(' ').next_back().is_some_and(|w| kinds.contains(w))
    };
    let (mut good, mut shown) = (0, 0);
    let mut not_things = Vec::new();
    for week in [
        "2025-W10", "2025-W20", "2025-W30", "2025-W40", "2025-W50", "2026-W05", "2026-W15",
        "2026-W25", "2026-W35", "2026-W45",
    ] {
        let at = table.weeks.resolve(Some(week)).unwrap();
        let ranking =
            trends::rank_topics(&table, at, Movement::Rising, 10, &trends::DEFAULT_RISING).unwrap();
        for topic in &ranking.topics {
            shown += 1;
            let names = std::iter::once(&topic.change.name)
                .chain(&topic.also)
                .chain(&topic.variants);
            if names.clone().any(|n| is_thing(n)) {
                good += 1;
            } else {
                not_things.push(format!("{week}: {}", topic.change.name));
            }
        }
    }
    eprintln!("rising topics that are things: {good} of {shown}; the others: {not_things:?}");
    assert!(shown >= 90, "{shown} topics shown");
    assert!(
        good * 100 >= shown * 80,
        "{good} of {shown}: {not_things:?}"
    );

    let bursts = trends::strongest_bursts(&table, &trends::DEFAULT_BURST, 10).unwrap();
    let listed: Vec<String> = bursts
        .iter()
        .flat_map(|b| std::iter::once(&b.topic).chain(&b.variants))
        .map(|t| norm(t))
        .collect();
    for trend in truth["trends"].as_array().unwrap() {
        if trend["shape"] == "burst" {
            let term = trend["term"].as_str().unwrap();
            assert!(listed.contains(&norm(term)), "{term} not in {bursts:#?}");
        }
    }
    assert!(
        bursts.iter().all(|b| b.burst.weeks <= 12),
        "a long theme among the bursts: {bursts:#?}"
    );
}
