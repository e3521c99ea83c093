//! Keyword matching: a parsed query becomes one tantivy query, scored by BM25.
//!
//! Each word is a clause that any of its forms satisfies: the stem in the title
//! (counted double) or the body, the whole word in the `names` field (so the form
//! as typed scores a little more than another form of it), the corrections of a
//! misspelt word, and the completions of the word being typed (unless the archive
//! has that word as typed: `cloud` is taken as finished, `clou` is completed).
//! Words holding a digit or a currency sign match only whole (`GPT-4` never
//! matches `GPT-5`); amounts (`$40B`) only in the `names` field, since the English
//! analyzer drops the sign.
//!
//! A document must match every word of a one- or two-word query, or of one that
//! names something (specific names make up half its words). A longer query is
//! ranked by any of its words: BM25's sum, plus a coverage bonus per distinct word
//! matched (its idf times [`COVERAGE_BONUS`]), so stories that answer more of a
//! question come first without losing those that answer part of it. There, a
//! hyphenated word with a digit also matches by its loose parts (`Rad53` of
//! `Rad53-dependent`), never by a version's name alone (`GPT` of `GPT-4`). Words
//! that no document contains are left out (and reported), so one unknown word
//! does not empty the result. Quoted phrases are required. Words typed next to
//! each other add a phrase bonus, which lifts `Ashgrove Financial` above texts that
//! merely mention both words.

use std::collections::HashSet;

use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, Occur, PhraseQuery, Query,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::Term;

use super::abbreviations;
use super::facet_words::{facet_clause, FacetWords};
use super::query::{is_stop_word, ParsedQuery, QueryWord};
use super::vocabulary::{has_digit_or_currency, Vocabulary};
use crate::keyword::KeywordFields;

/// Weight of a title match on top of its match in the whole text (title and
/// body as one field), which already counts it once.
pub const TITLE_BOOST: f32 = 1.0;
/// Weight of the phrase bonus in the title, where words typed together matter most.
const TITLE_PHRASE_BOOST: f32 = 2.0;
/// Per distinct word matched, in a query ranked by any word: this times the
/// word's idf is added, so covering more of the query (rare words most) counts
/// beyond BM25's sum. Measured on SciFact and this archive's judgments (1 to 5
/// tried; see ARCHITECTURE.md).
const COVERAGE_BONUS: f32 = 2.0;
/// On top of [`COVERAGE_BONUS`], per specific name matched (a word never written in
/// lower case and in few documents: `Stratavant`, `Rad53`), this times its idf: in a
/// query ranked by any word, the stories naming what it names come first. Measured
/// on both sets (0, 1, 2, 3, 4, 6: SciFact keyword 0.699, 0.701, 0.702, 0.702, 0.703,
/// 0.701; this archive's storyline queries 0.117, 0.132, 0.146, 0.159, 0.164, 0.175).
const NAME_BONUS: f32 = 4.0;
/// Weight of a match of the word exactly as typed (the `names` field).
pub const NAMES_BOOST: f32 = 0.5;
/// Weight of one part of a hyphenated word (`fast` of `fast-twitch`) matched
/// alone; words with a digit never match by parts (`GPT-4` is not `GPT`).
const PART_BOOST: f32 = 0.5;
/// Weight of a loose part of a word with a digit (`Rad53` of `Rad53-dependent`,
/// see [`loose_parts`]), in a query ranked by any word. Such a part names a thing
/// on its own, so a text that names it matches as if it named the whole.
const LOOSE_PART_BOOST: f32 = 1.0;
/// Weight of a correction of a misspelt word.
const CORRECTION_BOOST: f32 = 0.8;
/// Weight of an abbreviation's phrase without its last word (`chief executive`
/// for `CEO`), against the whole phrase's 1.
const SHORTENED_BOOST: f32 = 0.8;
/// Weight of a long form the archive itself gives an abbreviation (`mergers and
/// acquisitions` for `M&A`, see `abbreviations::Defined`). Measured on SciFact,
/// whose abstracts define many: 1.0 cost keyword nDCG@10 0.001, 0.5 about half that.
const DEFINED_BOOST: f32 = 0.5;
/// Weight of a completion of the word being typed.
const COMPLETION_BOOST: f32 = 0.5;
/// Weight of the phrase bonus for words typed next to each other.
const ADJACENCY_BOOST: f32 = 1.0;
/// Most completions of the word being typed.
const MAX_COMPLETIONS: usize = 20;
/// Most misspelt words corrected per query (each costs a scan of the vocabulary).
const MAX_CORRECTED_WORDS: usize = 8;

/// A word the archive does not contain, and what it was read as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Corrected {
    /// The word as typed.
    pub from: String,
    /// The archive words searched instead (empty: nothing close enough).
    pub to: Vec<String>,
}

/// The tantivy query for a parsed query, and what to mark in snippets.
pub(crate) struct KeywordPlan {
    /// The query; `None` when no word can match anything.
    pub query: Option<Box<dyn Query>>,
    /// For a query that needs all its words: the query that needs any of them,
    /// run when no document has them all.
    pub fallback: Option<Box<dyn Query>>,
    /// Stems (English analyzer output) whose occurrences are marked in snippets.
    pub stems: HashSet<String>,
    /// Whole lowercased tokens marked in snippets (amounts, versions).
    pub names: HashSet<String>,
    /// Misspelt words and their corrections.
    pub corrected: Vec<Corrected>,
    /// Names with a digit that no document holds, and the closest that some do.
    pub suggested: Vec<Corrected>,
    /// How many of the query's words can match something, bare numbers aside.
    pub words: usize,
    /// How many of them (after correction) are specific names of the archive.
    pub specific_names: usize,
}

impl KeywordPlan {
    /// Whether the query names something: specific names make up at least half
    /// of its words (`Ashgrove Financial`, `Bulbul 5.9`, not a headline that
    /// happens to hold a company's name).
    pub(crate) fn names_something(&self) -> bool {
        self.specific_names > 0 && self.specific_names * 2 >= self.words
    }
}

/// What building a plan needs from the searcher.
pub(crate) struct PlanContext<'a> {
    pub fields: &'a KeywordFields,
    pub vocabulary: &'a Vocabulary,
    pub facet_words: &'a FacetWords,
    pub analyzer: &'a mut TextAnalyzer,
    /// Document frequency of a term in the title or body field.
    pub doc_freq: &'a dyn Fn(&Term) -> u64,
    /// How many documents the index holds.
    pub num_docs: u64,
}

impl PlanContext<'_> {
    fn stems(&mut self, text: &str) -> Vec<String> {
        let mut stream = self.analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(token) = stream.next() {
            out.push(token.text.clone());
        }
        out
    }

    /// Whether the archive has `word` as typed, or another form of it.
    fn knows(&mut self, word: &QueryWord, stems: &[String]) -> bool {
        if self.vocabulary.doc_freq(&word.lower) > 0 {
            return true;
        }
        !stems.is_empty()
            && stems.iter().all(|stem| {
                (self.doc_freq)(&Term::from_field_text(self.fields.body, stem)) > 0
                    || (self.doc_freq)(&Term::from_field_text(self.fields.title, stem)) > 0
            })
    }
}

/// Builds the keyword query for `parsed`.
pub(crate) fn plan(parsed: &ParsedQuery, cx: &mut PlanContext<'_>) -> KeywordPlan {
    let mut out = KeywordPlan {
        query: None,
        fallback: None,
        stems: HashSet::new(),
        names: HashSet::new(),
        corrected: Vec::new(),
        suggested: Vec::new(),
        words: 0,
        specific_names: 0,
    };
    let fields = *cx.fields;
    let mut word_clauses: Vec<Box<dyn Query>> = Vec::new();
    // The rarity (BM25 idf) of each word clause's main form, for the coverage bonus.
    let mut word_idf: Vec<f32> = Vec::new();
    // The main stems of each word clause so far: a word typed twice earns its
    // coverage bonus once.
    let mut seen_main: Vec<Vec<String>> = Vec::new();
    // Per word clause, the parts of a word with a digit that may match alone in a
    // query ranked by any word (`Rad53` of `Rad53-dependent`; see `loose_parts`).
    let mut word_parts: Vec<Vec<Box<dyn Query>>> = Vec::new();
    let mut word_specific: Vec<bool> = Vec::new();
    // The stems each word is matched by first, for the adjacency bonus.
    let mut adjacency: Vec<(usize, Vec<String>)> = Vec::new();
    let all_stems: Vec<Vec<String>> = parsed.words.iter().map(|w| cx.stems(&w.text)).collect();
    let named_facets = cx.facet_words.named(&all_stems);
    for ((word, stems), facets) in parsed.words.iter().zip(all_stems).zip(named_facets) {
        let mut alternatives: Vec<Box<dyn Query>> = facets.iter().map(facet_clause).collect();
        let mut matches_something = !facets.is_empty();
        let mut main_stems = stems.clone();
        if has_digit_or_currency(&word.lower) {
            matches_something |= cx.vocabulary.doc_freq(&word.lower) > 0;
            alternatives.push(term(fields.names, &word.lower, 1.0));
            out.names.insert(word.lower.clone());
            if !word
                .lower
                .chars()
                .any(|c| matches!(c, '$' | '€' | '£' | '₹' | '¥' | '₩'))
            {
                matches_something |= !stems.is_empty() && has_phrase_terms(cx, &stems);
                alternatives.extend(title_and_body(&fields, &stems, 1.0));
                out.stems.extend(stems.iter().cloned());
            }
            // A loose part the archive has makes the word count in a query ranked
            // by any word (where the parts are added below).
            for part in loose_parts(&word.lower) {
                let part_stems = cx.stems(part);
                matches_something |= !part_stems.is_empty() && has_phrase_terms(cx, &part_stems);
            }
            if cx.vocabulary.doc_freq(&word.lower) == 0 {
                let to = cx.vocabulary.numbered_suggestions(&word.lower);
                if !to.is_empty() {
                    out.suggested.push(Corrected {
                        from: word.text.clone(),
                        to,
                    });
                }
            }
        } else {
            let mut known = cx.knows(word, &stems);
            alternatives.extend(title_and_body(&fields, &stems, 1.0));
            if stems.len() > 1 {
                // `fast-twitch` is best matched whole, but a text that says
                // `fast-skeletal` muscle still shares a part of it.
                for stem in &stems {
                    alternatives.push(term(fields.text, stem, PART_BOOST));
                }
            }
            alternatives.push(term(fields.names, &word.lower, NAMES_BOOST));
            out.stems.extend(stems.iter().cloned());
            let mut expansions: Vec<(&str, f32)> = abbreviations::expansions(&word.lower)
                .into_iter()
                .map(|(e, shortened)| (e, if shortened { SHORTENED_BOOST } else { 1.0 }))
                .collect();
            let vocabulary: &Vocabulary = cx.vocabulary;
            for form in vocabulary.defined_forms(&word.lower) {
                if !expansions.iter().any(|(e, _)| *e == form) {
                    expansions.push((form, DEFINED_BOOST));
                }
            }
            // A text that writes the word and its long form is one match, not two:
            // the better of the two counts (a disjunction max, not a sum).
            let mut spelt_out: Vec<Box<dyn Query>> = Vec::new();
            for (expansion, boost) in expansions {
                let expanded = cx.stems(expansion);
                if expanded.len() < 2 || !has_phrase_terms(cx, &expanded) {
                    continue;
                }
                spelt_out.extend(title_and_body(&fields, &expanded, boost));
                out.stems.extend(expanded);
                known = true;
            }
            if !spelt_out.is_empty() {
                let as_typed: Box<dyn Query> =
                    Box::new(BooleanQuery::union(std::mem::take(&mut alternatives)));
                let long: Box<dyn Query> = Box::new(BooleanQuery::union(spelt_out));
                alternatives.push(Box::new(DisjunctionMaxQuery::new(vec![as_typed, long])));
            }
            matches_something |= known;
            if !known && out.corrected.len() < MAX_CORRECTED_WORDS {
                let corrections = cx.vocabulary.corrections(&word.lower);
                for (n, correction) in corrections.iter().enumerate() {
                    let corrected = cx.stems(correction);
                    if n == 0 {
                        main_stems = corrected.clone();
                    }
                    alternatives.extend(title_and_body(&fields, &corrected, CORRECTION_BOOST));
                    alternatives.push(term(
                        fields.names,
                        correction,
                        NAMES_BOOST * CORRECTION_BOOST,
                    ));
                    out.stems.extend(corrected);
                    matches_something = true;
                }
                out.corrected.push(Corrected {
                    from: word.text.clone(),
                    to: corrections,
                });
            }
            // A word the archive has as typed is taken as finished: completing
            // `cloud` to the rare `cloudmere` would only add noise.
            if word.prefix && cx.vocabulary.doc_freq(&word.lower) == 0 {
                let mut seen: HashSet<String> = stems.iter().cloned().collect();
                let completions: Vec<String> = cx
                    .vocabulary
                    .completions(&word.lower, MAX_COMPLETIONS)
                    .into_iter()
                    .filter(|w| !is_stop_word(w))
                    .map(str::to_string)
                    .collect();
                for completion in completions {
                    let completed = cx.stems(&completion);
                    if completed.len() != 1 || !seen.insert(completed[0].clone()) {
                        continue;
                    }
                    alternatives.extend(title_and_body(&fields, &completed, COMPLETION_BOOST));
                    out.stems.extend(completed);
                    matches_something = true;
                }
            }
        }
        let in_bonus = matches_something && !main_stems.is_empty();
        if matches_something {
            let specific = cx.vocabulary.is_specific_name(&word.lower)
                || out
                    .corrected
                    .last()
                    .filter(|c| c.from == word.text)
                    .and_then(|c| c.to.first())
                    .is_some_and(|c| cx.vocabulary.is_specific_name(c));
            // A bare number (`9`, `5.9`) qualifies the name before it
            // (`Kittiwake Grid 9`); it is neither a name nor another word.
            if !is_bare_number(&word.lower) {
                out.specific_names += usize::from(specific);
                out.words += 1;
            }
            word_specific.push(specific && !is_bare_number(&word.lower));
            word_clauses.push(Box::new(BooleanQuery::union(alternatives)));
            let repeated = seen_main.contains(&main_stems);
            word_idf.push(if repeated {
                0.0
            } else {
                idf(cx, &main_stems, &word.lower)
            });
            seen_main.push(main_stems.clone());
            word_parts.push(if has_digit_or_currency(&word.lower) {
                loose_parts(&word.lower)
                    .into_iter()
                    .flat_map(|part| {
                        let stems = cx.stems(part);
                        out.stems.extend(stems.iter().cloned());
                        title_and_body(&fields, &stems, LOOSE_PART_BOOST)
                    })
                    .collect()
            } else {
                Vec::new()
            });
        }
        if in_bonus {
            adjacency.push((word.position, main_stems));
        }
    }

    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut fallback_words: Option<Box<dyn Query>> = None;
    if !word_clauses.is_empty() {
        let rule = match_rule(word_clauses.len(), out.names_something());
        // Ranked by any word, a word with a digit also matches by its loose parts.
        let loosened: Vec<Box<dyn Query>> = word_clauses
            .iter()
            .zip(word_parts)
            .map(|(clause, parts)| -> Box<dyn Query> {
                if parts.is_empty() {
                    clause.box_clone()
                } else {
                    let mut all = vec![clause.box_clone()];
                    all.extend(parts);
                    Box::new(BooleanQuery::union(all))
                }
            })
            .collect();
        let any = any_word(&loosened, &word_idf, &word_specific);
        match rule {
            MatchRule::AllWords => {
                let n = word_clauses.len();
                if n > 1 {
                    fallback_words = Some(any);
                }
                clauses.push((
                    Occur::Must,
                    Box::new(BooleanQuery::union_with_minimum_required_clauses(
                        word_clauses,
                        n,
                    )),
                ));
            }
            MatchRule::AnyWord => clauses.push((Occur::Must, any)),
        }
    }
    for phrase in &parsed.phrases {
        let stems = cx.stems(phrase);
        if stems.is_empty() {
            continue;
        }
        out.stems.extend(stems.iter().cloned());
        clauses.push((
            Occur::Must,
            Box::new(BooleanQuery::union(title_and_body(&fields, &stems, 1.0))),
        ));
    }
    if clauses.is_empty() {
        return out;
    }
    for run in adjacent_runs(&adjacency) {
        for (field, boost) in [(fields.title, TITLE_PHRASE_BOOST), (fields.body, 1.0)] {
            let terms = run
                .iter()
                .map(|(offset, stem)| (*offset, Term::from_field_text(field, stem)))
                .collect();
            let phrase = PhraseQuery::new_with_offset(terms);
            clauses.push((
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(phrase), boost * ADJACENCY_BOOST)),
            ));
        }
    }
    if let Some(any) = fallback_words {
        let mut loose: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, any)];
        loose.extend(clauses.iter().skip(1).map(|(o, q)| (*o, q.box_clone())));
        out.fallback = Some(Box::new(BooleanQuery::new(loose)));
    }
    out.query = Some(Box::new(BooleanQuery::new(clauses)));
    out
}

/// A query of at most this many words (stop words aside) needs every word.
pub const ALL_WORDS_UP_TO: usize = 2;

/// How many of a query's words a document must match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MatchRule {
    /// Every word: a short query, or one that names something.
    AllWords,
    /// Any word, ranked by BM25 plus a bonus for each (rare) word matched.
    AnyWord,
}

/// The rule for a query of `words` words (stop words aside), `names_something`
/// when specific names make up half of them.
pub(crate) fn match_rule(words: usize, names_something: bool) -> MatchRule {
    if words <= ALL_WORDS_UP_TO || names_something {
        MatchRule::AllWords
    } else {
        MatchRule::AnyWord
    }
}

/// The query that any of `words` satisfies, scored by the sum of the matched
/// words' BM25 scores plus [`COVERAGE_BONUS`] times the idf of each matched word,
/// and [`NAME_BONUS`] times it more for a specific name (`specific`).
fn any_word(words: &[Box<dyn Query>], idf: &[f32], specific: &[bool]) -> Box<dyn Query> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = words
        .iter()
        .map(|w| (Occur::Should, w.box_clone()))
        .collect();
    for ((word, idf), specific) in words.iter().zip(idf).zip(specific) {
        let weight = COVERAGE_BONUS + if *specific { NAME_BONUS } else { 0.0 };
        clauses.push((
            Occur::Should,
            Box::new(ConstScoreQuery::new(word.box_clone(), weight * idf)),
        ));
    }
    Box::new(BooleanQuery::new(clauses))
}

/// BM25's idf of a word: of its rarest main stem in the title or body, or of its
/// whole form in the `names` field when it has no stem.
fn idf(cx: &mut PlanContext<'_>, stems: &[String], lower: &str) -> f32 {
    let df = if stems.is_empty() {
        u64::from(cx.vocabulary.doc_freq(lower))
    } else {
        stems
            .iter()
            .map(|stem| {
                (cx.doc_freq)(&Term::from_field_text(cx.fields.body, stem))
                    .max((cx.doc_freq)(&Term::from_field_text(cx.fields.title, stem)))
            })
            .min()
            .unwrap_or(0)
    };
    let n = cx.num_docs.max(1) as f32;
    let df = (df as f32).min(n);
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// The parts of a hyphenated word with a digit that name something alone: a part
/// with a letter, unless it starts with a digit (`7b`, `3.1`: a size or version) or
/// is the name such a part qualifies (`gpt` of `gpt-4`, `vireo` of `vireo-7b`).
/// So `rad53-dependent` yields `rad53` and `dependent`, `claude-3-opus` yields
/// `opus`, and `gpt-4` nothing: a version is never matched without its name.
fn loose_parts(word: &str) -> Vec<&str> {
    let parts: Vec<&str> = word.split('-').filter(|p| !p.is_empty()).collect();
    if parts.len() < 2 {
        return Vec::new();
    }
    let starts_with_digit = |p: &str| p.chars().next().is_some_and(|c| c.is_ascii_digit());
    parts
        .iter()
        .enumerate()
        .filter(|(i, part)| {
            let has_letter = part.chars().any(char::is_alphabetic);
            let versioned = !part.chars().any(|c| c.is_ascii_digit())
                && parts.get(i + 1).is_some_and(|next| starts_with_digit(next));
            has_letter && !starts_with_digit(part) && !versioned
        })
        .map(|(_, part)| *part)
        .collect()
}

/// Whether `word` is only digits and dots: a number or a version.
fn is_bare_number(word: &str) -> bool {
    word.chars().all(|c| c.is_ascii_digit() || c == '.')
}

/// Whether the title or body has every stem of a multi-stem word.
fn has_phrase_terms(cx: &mut PlanContext<'_>, stems: &[String]) -> bool {
    stems.iter().all(|stem| {
        (cx.doc_freq)(&Term::from_field_text(cx.fields.body, stem)) > 0
            || (cx.doc_freq)(&Term::from_field_text(cx.fields.title, stem)) > 0
    })
}

/// A term (one stem) or phrase (several) in the title, boosted, and in the body.
fn title_and_body(fields: &KeywordFields, stems: &[String], boost: f32) -> Vec<Box<dyn Query>> {
    match stems {
        [] => Vec::new(),
        [stem] => vec![
            term(fields.text, stem, boost),
            term(fields.title, stem, TITLE_BOOST * boost),
        ],
        _ => vec![
            phrase(fields.text, stems, boost),
            phrase(fields.title, stems, TITLE_BOOST * boost),
        ],
    }
}

fn term(field: Field, text: &str, boost: f32) -> Box<dyn Query> {
    let query = TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    );
    Box::new(BoostQuery::new(Box::new(query), boost))
}

fn phrase(field: Field, stems: &[String], boost: f32) -> Box<dyn Query> {
    let terms = stems
        .iter()
        .map(|s| Term::from_field_text(field, s))
        .collect();
    Box::new(BoostQuery::new(Box::new(PhraseQuery::new(terms)), boost))
}

/// Runs of at least two words typed next to each other (at most one stop word
/// between them), as (offset, stem) lists for a phrase query. A stop word keeps its
/// place, since the index keeps stop words.
fn adjacent_runs(words: &[(usize, Vec<String>)]) -> Vec<Vec<(usize, String)>> {
    let mut runs = Vec::new();
    let mut run: Vec<(usize, String)> = Vec::new();
    let mut run_words = 0;
    let mut last: Option<(usize, usize)> = None; // (word position, offset after it)
    for (position, stems) in words {
        let offset = match last {
            Some((previous, next_offset)) if position - previous <= 2 => {
                next_offset + (position - previous - 1)
            }
            _ => {
                if run_words >= 2 {
                    runs.push(std::mem::take(&mut run));
                }
                run.clear();
                run_words = 0;
                0
            }
        };
        for (i, stem) in stems.iter().enumerate() {
            run.push((offset + i, stem.clone()));
        }
        run_words += 1;
        last = Some((*position, offset + stems.len()));
    }
    if run_words >= 2 {
        runs.push(run);
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_or_naming_queries_need_every_word_longer_ones_any() {
        assert_eq!(match_rule(1, false), MatchRule::AllWords);
        assert_eq!(match_rule(2, false), MatchRule::AllWords);
        assert_eq!(match_rule(3, false), MatchRule::AnyWord);
        assert_eq!(match_rule(12, false), MatchRule::AnyWord);
        assert_eq!(match_rule(3, true), MatchRule::AllWords);
    }

    #[test]
    fn loose_parts_never_part_a_version_from_its_name() {
        assert_eq!(loose_parts("rad53-dependent"), ["rad53", "dependent"]);
        assert_eq!(loose_parts("p53-mediated"), ["p53", "mediated"]);
        assert!(loose_parts("gpt-4").is_empty());
        assert!(loose_parts("vireo-7b").is_empty());
        assert!(loose_parts("llama-3.1-70b").is_empty());
        assert_eq!(loose_parts("claude-3-opus"), ["opus"]);
        assert!(
            loose_parts("h3k9me3").is_empty(),
            "one part is the word itself"
        );
    }

    #[test]
    fn adjacency_runs_keep_stop_word_gaps() {
        let words = vec![
            (0, vec!["bank".to_string()]),
            (2, vec!["england".to_string()]),
            (5, vec!["grid".to_string()]),
            (6, vec!["oper".to_string(), "x".to_string()]),
        ];
        let runs = adjacent_runs(&words);
        assert_eq!(
            runs,
            vec![
                vec![(0, "bank".to_string()), (2, "england".to_string())],
                vec![
                    (0, "grid".to_string()),
                    (1, "oper".to_string()),
                    (2, "x".to_string())
                ],
            ]
        );
        assert!(adjacent_runs(&words[..1]).is_empty());
    }
}
