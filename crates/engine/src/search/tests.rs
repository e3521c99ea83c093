//! Searches over a small indexed corpus, embedded with the hash embedder.

use std::sync::Arc;

use backissue_embed::{CountingEmbedder, HashEmbedder};
use tempfile::TempDir;

use super::*;
use crate::{Indexer, NoProgress, Section};

const MASTHEAD: &str =
    "← All posts\n\nHeadline\n\nSummary of the week.\n\nSubscribe free All posts\n";

/// Two weeks of news: names with versions and amounts, a story told twice, typos to make.
fn corpus() -> Vec<(&'static str, String)> {
    let first = format!(
        "{MASTHEAD}\
#1\nSoftBank Takes $40B Loan for Compute\nBanks lend SoftBank $40B to build AI data centres. The bridge loan is the largest of the year.\nFinance & BankingTechJapan\n92\n\
#2\nHolotron-12B Beats GPT-4 on Reasoning\nThe Holotron-12B model from Arcturo Labs beat GPT-4 on a reasoning benchmark in 2025 tests.\nTechUS\n88\n\
#3\nEdge Robots Run Without the Cloud\nFactory robots now run vision models on device, with no network connection needed.\nManufacturingJapan\n80\n\
Grid Operators Face Compute Demand\nGrid operators and utilities weigh how data centres change power planning.\n~5min\n\
Finance & Banking\nSoftBank borrowed $40B this week\n$40B\nLoan to SoftBank\n3\nBanks in the deal\n12%\nRate\n\
SoftBank Secures $40B Bridge Loan\nSoftBank secured a $40B bridge loan from banks to fund compute for AI data centres.\nSource: TechCrunch\n\
Hidden Signal\nLenders now treat compute as collateral.\n\
Beginner Tool\nIntro to Vector Search\nA gentle tool for learning vector search.\nhttps://example.com/2026/03/20/vector\n\
Advanced Paper\nScaling Reasoning Models\nA paper on scaling reasoning in large models.\nhttps://example.com/2026/03/20/reasoning\n\
All Article\nReading Model Cards\nHow to read a model card, for every reader.\nhttps://example.com/2026/03/20/cards\n"
    );
    let second = format!(
        "{MASTHEAD}\
#1\nArcturo Labs Ships GPT-5 Rival\nArcturo Labs launched a model it says rivals GPT-5, with availability in 2026.\nTechUS\n90\n\
#2\nStratavant Robotics Recalls Warehouse Robots\nShares of Stratavant Robotics fell after it recalled 4,000 warehouse robots over a sensor fault.\nManufacturingUS\n85\n\
#3\nHospitals Test AI Scribes\nHospitals in India test AI scribes that write clinical notes for doctors.\nHealthcareIndia\n70\n\
Healthcare\nScribes spread\n40%\nTime saved\n2\nPilots\n9\nHospitals\n\
Doctors Try Note-Writing Assistants\nClinicians at two hospitals let an assistant draft their notes after each visit.\nSource: Reuters\n\
Hidden Signal\nDocumentation, not diagnosis, is where clinical AI lands first.\n"
    );
    vec![("2026-03-20.txt", first), ("2026-03-27.txt", second)]
}

struct Fixture {
    _dirs: (TempDir, TempDir),
    embedder: Arc<CountingEmbedder<HashEmbedder>>,
    searcher: Searcher,
}

fn fixture() -> Fixture {
    fixture_of(corpus())
}

fn fixture_of(corpus: Vec<(&'static str, String)>) -> Fixture {
    let corpus_dir = tempfile::tempdir().unwrap();
    let index_dir = tempfile::tempdir().unwrap();
    for (name, text) in corpus {
        std::fs::write(corpus_dir.path().join(name), text).unwrap();
    }
    let report = Indexer::new(corpus_dir.path(), index_dir.path())
        .run(&HashEmbedder::new(64), &mut NoProgress)
        .unwrap();
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let index = Arc::new(Index::open(index_dir.path()).unwrap());
    let embedder = Arc::new(CountingEmbedder::new(HashEmbedder::new(64)));
    // The hash embedder's similarities run lower than a real model's.
    let params = SemanticParams {
        min_similarity: 0.05,
        ..SemanticParams::default()
    };
    let searcher = Searcher::with_params(index, embedder.clone(), params).unwrap();
    Fixture {
        _dirs: (corpus_dir, index_dir),
        embedder,
        searcher,
    }
}

fn keyword(query: &str) -> SearchRequest {
    SearchRequest {
        collapse: false,
        ..SearchRequest::new(query).with_mode(Mode::Keyword)
    }
}

fn ids(response: &SearchResponse) -> Vec<&str> {
    response.hits.iter().map(|h| h.id.as_str()).collect()
}

impl Fixture {
    fn ids(&self, request: &SearchRequest) -> Vec<String> {
        let response = self.searcher.search(request).unwrap();
        ids(&response).into_iter().map(str::to_string).collect()
    }
}

#[test]
fn versions_and_years_match_only_exactly() {
    let f = fixture();
    assert_eq!(f.ids(&keyword("GPT-4 ")), ["2026-03-20/top/2"]);
    assert_eq!(f.ids(&keyword("GPT-5 ")), ["2026-03-27/top/1"]);
    assert_eq!(f.ids(&keyword("2025 ")), ["2026-03-20/top/2"]);
    assert_eq!(
        f.ids(&keyword("2026")),
        ["2026-03-27/top/1"],
        "no prefix or typo on numbers"
    );
    assert!(f.ids(&keyword("GPT-6 ")).is_empty());
    assert!(f.ids(&keyword("2024 ")).is_empty());
}

#[test]
fn names_and_amounts_stay_whole() {
    let f = fixture();
    let response = f.searcher.search(&keyword("$40B ")).unwrap();
    assert_eq!(response.total, 2, "{:?}", ids(&response));
    assert!(response
        .hits
        .iter()
        .all(|h| h.snippet.tagged().contains("<mark>$40B</mark>")));
    assert_eq!(f.ids(&keyword("Holotron-12B ")), ["2026-03-20/top/2"]);
    assert!(
        f.ids(&keyword("Holotron-12C ")).is_empty(),
        "versions are never corrected"
    );
}

#[test]
fn quoted_phrases_must_appear_together_even_unclosed() {
    let f = fixture();
    let both = f.ids(&keyword("\"bridge loan\""));
    assert_eq!(both.len(), 2, "{both:?}");
    assert!(f.ids(&keyword("\"loan bridge\"")).is_empty());
    assert_eq!(
        f.ids(&keyword("\"bridge loan")),
        both,
        "an open quote runs to the end"
    );
    assert!(f.searcher.search(&keyword("\"")).unwrap().notes.is_empty());
}

#[test]
fn the_last_word_completes_until_a_space_follows() {
    let f = fixture();
    let typing = f.ids(&keyword("warehouse robo"));
    assert_eq!(typing, ["2026-03-27/top/2"]);
    let done = f.searcher.search(&keyword("warehouse robo ")).unwrap();
    assert_eq!(
        ids(&done),
        ["2026-03-27/top/2"],
        "`robo` is unknown and left out"
    );
    assert!(
        done.notes.iter().any(|n| n.contains("\"robo\"")),
        "{:?}",
        done.notes
    );
}

#[test]
fn typos_are_corrected_only_for_unknown_long_words() {
    let f = fixture();
    let response = f.searcher.search(&keyword("Stratavnt ")).unwrap();
    assert_eq!(ids(&response), ["2026-03-27/top/2"]);
    assert_eq!(
        response.corrections,
        [Correction {
            from: "Stratavnt".into(),
            to: vec!["stratavant".into()]
        }]
    );
    assert!(ids(&f.searcher.search(&keyword("hospitels ")).unwrap()).contains(&"2026-03-27/top/3"));
    // Four letters: no typo allowed. A known word is never corrected.
    assert!(f
        .searcher
        .search(&keyword("robt "))
        .unwrap()
        .hits
        .is_empty());
    let known = f.searcher.search(&keyword("robots ")).unwrap();
    assert!(known.corrections.is_empty() && !known.hits.is_empty());
}

#[test]
fn stop_words_only_is_empty_with_a_note() {
    let f = fixture();
    for mode in [Mode::Keyword, Mode::Semantic, Mode::default()] {
        let response = f
            .searcher
            .search(&SearchRequest::new("what is the").with_mode(mode))
            .unwrap();
        assert_eq!(response.total, 0);
        assert!(
            response.notes[0].contains("only common words"),
            "{:?}",
            response.notes
        );
    }
}

#[test]
fn limits_are_enforced_without_panics() {
    let f = fixture();
    let long = "robots ".repeat(1_500);
    let err = f.searcher.search(&SearchRequest::new(long)).unwrap_err();
    assert!(err.is_user_error());
    assert!(
        err.to_string()
            .starts_with("invalid `query`: 10500 characters"),
        "{err}"
    );
    let many = "robots ".repeat(100);
    let response = f.searcher.search(&keyword(&many)).unwrap();
    assert!(response.notes.iter().any(|n| n.contains("first 32 words")));
    let big = f
        .searcher
        .search(&keyword("robots").with_limit(500))
        .unwrap();
    assert_eq!(big.limit, MAX_LIMIT);
    let ratio = SearchRequest::new("robots").with_mode(Mode::Hybrid {
        semantic_ratio: 1.5,
    });
    assert!(f
        .searcher
        .search(&ratio)
        .unwrap_err()
        .to_string()
        .contains("semantic_ratio"));
}

#[test]
fn unknown_filter_values_are_user_errors() {
    let f = fixture();
    let mut request = keyword("robots");
    request.filters.sectors = vec!["Helthcare".into()];
    let err = f.searcher.search(&request).unwrap_err();
    assert!(err.is_user_error());
    assert!(
        err.to_string().contains("did you mean \"Healthcare\""),
        "{err}"
    );
    request.filters.sectors = vec!["Energy".into()];
    assert_eq!(
        f.searcher.search(&request).unwrap().total,
        0,
        "known, but in no document"
    );
}

#[test]
fn facets_count_the_final_set_after_filters_and_collapse() {
    let f = fixture();
    let softbank = f
        .searcher
        .search(&SearchRequest::new("SoftBank loan").with_mode(Mode::Keyword))
        .unwrap();
    // The top story and the brief's story are one event: one hit, the other listed.
    assert_eq!(softbank.total, 1);
    let lead = &softbank.hits[0];
    let mut both = vec![lead.id.as_str()];
    both.extend(lead.copies.iter().map(String::as_str));
    both.sort_unstable();
    assert_eq!(both, ["2026-03-20/finance-banking/1", "2026-03-20/top/1"]);
    let sections: Vec<(&str, usize)> = softbank
        .facets
        .section
        .iter()
        .map(|c| (c.value.as_str(), c.count))
        .collect();
    assert_eq!(sections, [(lead.section.as_str(), 1)]);

    let mut filtered = SearchRequest::new("SoftBank loan").with_mode(Mode::Keyword);
    filtered.filters.sections = vec!["sector_story".into()];
    let filtered = f.searcher.search(&filtered).unwrap();
    assert_eq!(ids(&filtered), ["2026-03-20/finance-banking/1"]);
    assert!(filtered.hits[0].copies.is_empty());
    assert_eq!(filtered.facets.section[0].value, "sector_story");
    assert_eq!(filtered.facets.source[0].value, "TechCrunch");
    assert_eq!(
        filtered.facets.sector,
        [FacetCount {
            value: "Finance & Banking".into(),
            slug: "finance-banking".into(),
            count: 1
        }]
    );
    assert!(
        filtered.facets.region.is_empty(),
        "the top story's regions are not in the final set"
    );

    let uncollapsed = f.searcher.search(&keyword("SoftBank loan")).unwrap();
    assert_eq!(uncollapsed.total, 2);
    assert_eq!(uncollapsed.facets.section.len(), 2);
}

#[test]
fn pages_and_date_order() {
    let f = fixture();
    let mut request = keyword("compute ");
    let all = f.ids(&request.clone().with_limit(100));
    assert!(all.len() >= 3, "{all:?}");
    request.limit = 1;
    request.offset = 1;
    let response = f.searcher.search(&request).unwrap();
    assert_eq!(ids(&response), [all[1].as_str()]);
    assert_eq!(response.total, all.len());
    request.offset = 50;
    assert!(f.searcher.search(&request).unwrap().hits.is_empty());

    let mut newest = keyword("robots");
    newest.sort = Sort::Newest;
    let dates: Vec<_> = f
        .searcher
        .search(&newest)
        .unwrap()
        .hits
        .iter()
        .map(|h| h.date)
        .collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
    newest.sort = Sort::Oldest;
    let dates: Vec<_> = f
        .searcher
        .search(&newest)
        .unwrap()
        .hits
        .iter()
        .map(|h| h.date)
        .collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "{dates:?}");
}

#[test]
fn an_empty_query_lists_the_filtered_archive_newest_first() {
    let f = fixture();
    let mut request = SearchRequest::new("").with_limit(100);
    request.filters.levels = vec!["beginner".into()];
    let response = f.searcher.search(&request).unwrap();
    let found = ids(&response);
    assert_eq!(
        found.len(),
        2,
        "the beginner tool and the article for all levels: {found:?}"
    );
    assert!(found.contains(&"2026-03-20/resource/3"));
    assert_eq!(f.embedder.calls(), 0);
    let mut dated = SearchRequest::new("").with_limit(100);
    dated.filters.date_from = Some("2026-03-21".parse().unwrap());
    assert!(f
        .searcher
        .search(&dated)
        .unwrap()
        .hits
        .iter()
        .all(|h| h.issue_id == "2026-03-27"));
}

#[test]
fn keyword_mode_never_embeds_and_query_vectors_are_cached() {
    let f = fixture();
    f.searcher.search(&keyword("robots")).unwrap();
    assert_eq!(f.embedder.calls(), 0);
    let hybrid = SearchRequest::new("warehouse robots");
    f.searcher.search(&hybrid).unwrap();
    f.searcher
        .search(&SearchRequest {
            offset: 10,
            ..hybrid.clone()
        })
        .unwrap();
    f.searcher
        .search(&hybrid.clone().with_mode(Mode::Semantic))
        .unwrap();
    assert_eq!(f.embedder.calls(), 1);
    assert_eq!(f.searcher.cached_vectors(), 1);
    assert_eq!(
        f.searcher.vector_cache_lookups(),
        crate::search::CacheLookups { hits: 2, misses: 1 }
    );
}

#[test]
fn hybrid_fuses_both_lists_and_explains_each_hit() {
    let f = fixture();
    let response = f
        .searcher
        .search(&SearchRequest {
            collapse: false,
            ..SearchRequest::new("hospitals clinical notes ")
        })
        .unwrap();
    let first = &response.hits[0];
    assert_eq!(first.id, "2026-03-27/top/3");
    assert_eq!(first.score.keyword_rank, Some(1));
    assert!(first.score.vector_rank.is_some());
    // The best word match counts 1; its similarity counts above the floor.
    let similarity = f64::from(first.score.vector_similarity.unwrap());
    let expected = response.weights.keyword
        + response.weights.semantic
            * ((similarity - SIMILARITY_FLOOR) / (1.0 - SIMILARITY_FLOOR)).clamp(0.0, 1.0);
    assert!((first.score.fused - expected).abs() < 1e-9);
    let fused: Vec<f64> = response.hits.iter().map(|h| h.score.fused).collect();
    assert!(fused.windows(2).all(|w| w[0] >= w[1]), "{fused:?}");
    // Found by meaning only: a sentence, unmarked.
    if let Some(meaning_only) = response
        .hits
        .iter()
        .find(|h| h.score.keyword_rank.is_none())
    {
        assert!(
            meaning_only.snippet.marks.is_empty(),
            "{}",
            meaning_only.snippet.tagged()
        );
    }
}

#[test]
fn a_named_company_is_found_first_and_raises_the_word_weight() {
    let f = fixture();
    let response = f
        .searcher
        .search(&SearchRequest::new("Stratavant Robotics"))
        .unwrap();
    assert_eq!(response.hits[0].id, "2026-03-27/top/2");
    assert!(
        response.weights.semantic <= NAME_SEMANTIC_WEIGHT,
        "{:?}",
        response.weights
    );
    let plain = f.searcher.search(&SearchRequest::new("robots")).unwrap();
    assert_eq!(
        plain.weights.keyword,
        1.0 - f64::from(DEFAULT_SEMANTIC_RATIO)
    );
    let title = f
        .searcher
        .search(&SearchRequest::new("hospitals test ai scribes"))
        .unwrap();
    assert_eq!(title.hits[0].id, "2026-03-27/top/3");
    assert!(title.hits[0].score.exact_title);
}

#[test]
fn semantic_filters_keep_recall() {
    let f = fixture();
    let mut request = SearchRequest::new("robots")
        .with_mode(Mode::Semantic)
        .with_limit(100);
    request.collapse = false;
    request.filters.sections = vec!["resource".into()];
    let response = f.searcher.search(&request).unwrap();
    assert!(response.hits.iter().all(|h| h.section == Section::Resource));
    let unfiltered = f
        .searcher
        .search(&SearchRequest {
            filters: Filters::default(),
            ..request.clone()
        })
        .unwrap();
    let resources: Vec<&str> = unfiltered
        .hits
        .iter()
        .filter(|h| h.section == Section::Resource)
        .map(|h| h.id.as_str())
        .collect();
    assert_eq!(
        ids(&response),
        resources,
        "filtering keeps exactly the allowed neighbours"
    );
    assert!(unfiltered
        .hits
        .iter()
        .all(|h| h.score.vector_similarity.unwrap() >= 0.05));
}

#[test]
fn snippets_mark_matches_and_escape_text() {
    let f = fixture();
    let response = f.searcher.search(&keyword("clinical notes")).unwrap();
    let hit = response
        .hits
        .iter()
        .find(|h| h.id == "2026-03-27/top/3")
        .unwrap();
    assert!(
        hit.snippet
            .tagged()
            .contains("<mark>clinical</mark> <mark>notes</mark>"),
        "{}",
        hit.snippet.tagged()
    );
    assert_eq!(hit.title_marked, Marked::plain("Hospitals Test AI Scribes"));
    let scribes = f.searcher.search(&keyword("scribes")).unwrap();
    assert!(scribes.hits[0]
        .title_marked
        .tagged()
        .contains("<mark>Scribes</mark>"));
}

#[test]
fn responses_serialise_for_the_api() {
    let f = fixture();
    let response = f.searcher.search(&SearchRequest::new("SoftBank")).unwrap();
    let json = serde_json::to_value(&response).unwrap();
    assert_eq!(json["mode"]["type"], "hybrid");
    assert!(json["hits"][0]["score"]["fused"].is_number());
    assert!(json["facets"]["sector"].is_array());
    let back: SearchResponse = serde_json::from_value(json).unwrap();
    assert_eq!(back, response);
}

#[test]
fn words_naming_a_facet_match_the_documents_tagged_with_it() {
    let f = fixture();
    // The brief's story never says "healthcare"; its sector does.
    let healthcare = f.ids(&keyword("healthcare assistant "));
    assert_eq!(healthcare, ["2026-03-27/healthcare/1"]);
    // "article" is the resource's kind, not a word of it: the one document with
    // all three words comes first (a three-word query ranks, it does not filter).
    assert_eq!(
        f.ids(&keyword("article model cards "))[0],
        "2026-03-20/resource/3"
    );
    assert!(f
        .ids(&keyword("article "))
        .contains(&"2026-03-20/resource/3".to_string()));
}

#[test]
fn a_headline_holding_a_name_is_not_a_name_query() {
    let f = fixture();
    let headline = f
        .searcher
        .search(&SearchRequest::new(
            "Stratavant Robotics Recalls Warehouse Robots",
        ))
        .unwrap();
    assert_eq!(
        headline.weights.semantic,
        f64::from(DEFAULT_SEMANTIC_RATIO),
        "one name among five words"
    );
    assert!(headline.hits[0].score.exact_title);
    let versioned = f
        .searcher
        .search(&SearchRequest::new("Holotron-12B"))
        .unwrap();
    assert!(versioned.weights.semantic <= NAME_SEMANTIC_WEIGHT);
}

#[test]
fn a_list_with_no_weight_is_not_searched() {
    let f = fixture();
    let words_only = SearchRequest::new("clinical notes ").with_mode(Mode::Hybrid {
        semantic_ratio: 0.0,
    });
    let response = f.searcher.search(&words_only).unwrap();
    assert!(!response.hits.is_empty());
    assert!(response
        .hits
        .iter()
        .all(|h| h.score.keyword_rank.is_some() && h.score.vector_rank.is_none()));
    assert_eq!(f.embedder.calls(), 0, "nothing embedded for a weight of 0");
}

#[test]
fn a_hyphenated_word_also_matches_by_its_parts_in_a_longer_query() {
    let f = fixture();
    // No text says "note-taking"; the brief's "Note-Writing Assistants" and the
    // scribes' "clinical notes" share its first part.
    let found = f.ids(&keyword("note-taking helpers for busy doctors "));
    assert!(
        found.contains(&"2026-03-27/healthcare/1".to_string())
            && found.contains(&"2026-03-27/top/3".to_string()),
        "{found:?}"
    );
    // Words with a digit never match by parts: `GPT-4` alone finds only the
    // story naming it, not the GPT-5 one.
    assert_eq!(f.ids(&keyword("GPT-4 ")), ["2026-03-20/top/2"]);
    // Nor in a longer query, where the version's name is never matched alone.
    let found = f.ids(&keyword("how does GPT-4 reasoning compare "));
    assert!(
        !found.contains(&"2026-03-27/top/1".to_string()),
        "{found:?}"
    );
    // But a longer query's `Stratavant-X1`, which no text names, still finds the
    // company by its loose part (the name is not a version's), beside the stories
    // the other words find.
    let found = f.ids(&keyword("Stratavant-X1 clinical notes "));
    assert!(found.contains(&"2026-03-27/top/2".to_string()), "{found:?}");
    assert!(found.contains(&"2026-03-27/top/3".to_string()), "{found:?}");
    assert!(
        f.ids(&keyword("Stratavant-X1 ")).is_empty(),
        "a name query stays exact"
    );
}

#[test]
fn a_longer_query_ranks_the_stories_naming_its_name_first() {
    let f = fixture();
    // The edge-robots story has both other words, in its title; the one naming
    // Stratavant has only one of them, but it is about the company asked about.
    let found = f.ids(&keyword("Stratavant robots without the cloud "));
    assert_eq!(
        found.first().map(String::as_str),
        Some("2026-03-27/top/2"),
        "{found:?}"
    );
    assert!(found.contains(&"2026-03-20/top/3".to_string()), "{found:?}");
}

#[test]
fn an_abbreviation_the_archive_defines_also_finds_its_long_form() {
    let issue = format!(
        "{MASTHEAD}\
#1\nBanks Chase Advisory Fees\nBanks expect mergers and acquisitions (M&A) to lift advisory fees this year.\nFinance & BankingUS\n90\n\
#2\nAshgrove Leads a Deal Wave\nA wave of mergers and acquisitions lifted Ashgrove's fees.\nFinance & BankingUS\n85\n\
#3\nEdge Robots Run Without the Cloud\nFactory robots now run vision models on device.\nManufacturingJapan\n80\n"
    );
    let f = fixture_of(vec![("2026-03-20.txt", issue)]);
    let mut found = f.ids(&keyword("M&A "));
    found.sort();
    // The second story never writes "M&A"; the archive's own definition in the
    // first says what it stands for.
    assert_eq!(found, ["2026-03-20/top/1", "2026-03-20/top/2"]);
}

#[test]
fn a_spent_budget_stops_a_search_before_it_embeds_anything() {
    use std::sync::atomic::AtomicBool;
    let f = fixture();
    let before = f.embedder.texts();
    let gone = Arc::new(AtomicBool::new(true));
    let stopped = crate::budget::Budget::new(None, gone).run(|| {
        f.searcher
            .search(&SearchRequest::new("a query never embedded"))
    });
    assert!(
        matches!(stopped, Err(Error::Cancelled { .. })),
        "{stopped:?}"
    );
    assert_eq!(
        f.embedder.texts(),
        before,
        "the model ran for an abandoned query"
    );
    // Without a budget the same search runs.
    assert!(f
        .searcher
        .search(&SearchRequest::new("a query never embedded"))
        .is_ok());
}

#[test]
fn a_lowered_semantic_ratio_is_said_with_its_reason() {
    let f = fixture();
    let asked = |query: &str| {
        f.searcher
            .search(&SearchRequest::new(query).with_mode(Mode::Hybrid {
                semantic_ratio: 0.9,
            }))
            .unwrap()
    };
    let named = asked("Stratavant Robotics ");
    assert!(
        (named.weights.semantic - 0.2).abs() < 1e-9,
        "{:?}",
        named.weights
    );
    assert!(
        named
            .notes
            .iter()
            .any(|n| n.contains("semantic_ratio 0.9 was lowered to 0.2")
                && n.contains("names something")),
        "{:?}",
        named.notes
    );
    let plain = asked("robots that work without a network ");
    assert!(
        (plain.weights.semantic - 0.9).abs() < 1e-6,
        "{:?}",
        plain.weights
    );
    assert!(
        plain.notes.iter().all(|n| !n.contains("semantic_ratio")),
        "{:?}",
        plain.notes
    );
}

/// The hash embedder behind a gate: each call waits until the test opens it.
struct GatedEmbedder {
    inner: HashEmbedder,
    inside: std::sync::atomic::AtomicUsize,
    open: std::sync::atomic::AtomicBool,
}

impl backissue_embed::Embedder for GatedEmbedder {
    fn model_id(&self) -> &str {
        self.inner.model_id()
    }
    fn checksum(&self) -> &str {
        self.inner.checksum()
    }
    fn dimension(&self) -> usize {
        self.inner.dimension()
    }
    fn embed(&self, texts: &[&str]) -> backissue_embed::Result<Vec<Vec<f32>>> {
        use std::sync::atomic::Ordering;
        self.inside.fetch_add(1, Ordering::SeqCst);
        while !self.open.load(Ordering::SeqCst) {
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        self.inner.embed(texts)
    }
}

#[test]
fn queries_beyond_the_embedding_queue_are_refused_not_queued() {
    use backissue_embed::Embedder as _;
    use std::sync::atomic::Ordering;
    let f = fixture();
    let gated = Arc::new(GatedEmbedder {
        inner: HashEmbedder::new(64),
        inside: Default::default(),
        open: Default::default(),
    });
    let params = SemanticParams {
        min_similarity: 0.05,
        max_embedding_queue: 2,
        ..SemanticParams::default()
    };
    let searcher =
        Searcher::with_params(f.searcher.index().clone(), gated.clone(), params).unwrap();
    let semantic = |q: &str| SearchRequest::new(q).with_mode(Mode::Semantic);
    std::thread::scope(|scope| {
        let waiting: Vec<_> = ["robots on device", "bridge loans"]
            .into_iter()
            .map(|q| {
                let searcher = &searcher;
                scope.spawn(move || searcher.search(&semantic(q)))
            })
            .collect();
        while gated.inside.load(Ordering::SeqCst) < 2 {
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        // The queue is full: a third new query is refused at once, with the reason.
        let refused = searcher.search(&semantic("clinical scribes")).unwrap_err();
        assert!(
            matches!(
                refused,
                Error::Cancelled {
                    stage: "embedding the query",
                    ..
                }
            ),
            "{refused}"
        );
        assert!(refused.to_string().contains("waiting for the model"));
        assert_eq!(searcher.embedding_queue(), 2);
        assert_eq!(searcher.embedding_refusals(), 1);
        // A keyword query never waits for the model.
        assert!(searcher.search(&keyword("robots ")).is_ok());
        gated.open.store(true, Ordering::SeqCst);
        for query in waiting {
            assert!(query.join().unwrap().is_ok());
        }
    });
    // Places are given back: the refused query now goes through.
    assert!(searcher.search(&semantic("clinical scribes")).is_ok());
    assert_eq!(searcher.embedding_queue(), 0);
    assert_eq!(gated.inside.load(Ordering::SeqCst), 3);
    assert_eq!(gated.inner.dimension(), 64);
}
