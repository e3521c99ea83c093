//! What two stories share besides meaning and words: names and tags.
//!
//! A story's names are the archive's names ([`crate::trends::phrases`]) found in its
//! title and body. Shared names are weighted by rarity, `ln(1 + E / e(n))` over the
//! `E` story events of the archive of which `e(n)` name `n`, so sharing `Lysandra
//! Capital` counts and sharing `US` or `AI` hardly does. The names score is the
//! rarity of the shared names over the larger of the two stories' total rarity, in
//! 0..=1 (1: the same names), so a story naming nothing but `US` is not close to every
//! story that names the US among much else. The tags score is the Jaccard overlap of the
//! stories' sectors and regions.
//!
//! # What kind of news
//!
//! A headline says who (its names) and what happened to them: `Kestwick Energy
//! Suffers 6-Hour Outage`, `Stonemere Capital Acquires Meritto`. A story's **kind
//! terms** are its headline with the archive's names taken out: the other words,
//! lower-cased, stemmed as the keyword index stems them (`outage` → `outag`), stop
//! words and anything with a digit left out. An event's kind terms are those of all
//! its copies' headlines (`Outage Hits Kestwick Energy Customers`, `Kestwick Energy
//! Explains Outage`). They are weighted like names, `ln(1 + E / e(t))` over the `E`
//! story events of which `e(t)` use term `t` in a headline, so a word every headline
//! uses says little. Nothing here is a list of kinds: the archive's headlines are.
//!
//! A free text (the widget's `data-text`, `/api/related?text=`) has no headline:
//! its kind terms are the words of the whole text, names taken out the same way, that
//! the archive's headlines use (in at least [`MIN_KIND_EVENTS`] events), weighted by
//! rarity and by how much the text is about each: the terms it repeats, or puts in its first
//! sentence, count fully, any other once-mentioned term half. The kind score is the
//! cosine of the two weightings ([`Profile::kind_of`]).

use std::collections::{HashMap, HashSet};

use backissue_issue::Date;
use serde::{Deserialize, Serialize};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    TextAnalyzer,
};

use crate::document::news_bodies;
use crate::document::Document;
use backissue_text::phrases::{discover_vocabulary, document_names, is_stop_word};

/// A headline term counts as a kind term of a free text only when at least this many
/// story events use it in a headline (a word one headline used is no kind of news).
pub const MIN_KIND_EVENTS: u32 = 2;

/// The archive's names with how many story events name each.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NameRarity {
    /// Story events in the archive.
    pub events: u32,
    /// Per name (as written), the story events that name it.
    pub names: HashMap<String, u32>,
    /// Per kind term (stemmed), the story events whose headlines use it.
    #[serde(default)]
    pub kinds: HashMap<String, u32>,
}

impl NameRarity {
    /// Discovers the names of `docs` and counts the story events naming each.
    pub fn of(docs: &[Document]) -> NameRarity {
        let vocabulary = discover_vocabulary(news_bodies(docs));
        let mut per_event: HashMap<&str, (HashSet<String>, HashSet<String>)> = HashMap::new();
        for doc in docs.iter().filter(|d| d.section.is_story()) {
            let (names, kinds) = per_event.entry(&doc.event_id).or_default();
            names.extend(document_names(&doc.title, &doc.body, &vocabulary));
            kinds.extend(kind_terms(&doc.title, &vocabulary));
        }
        let mut names: HashMap<String, u32> = vocabulary.into_iter().map(|n| (n, 0)).collect();
        let mut kinds: HashMap<String, u32> = HashMap::new();
        for (event_names, event_kinds) in per_event.values() {
            for name in event_names {
                *names.entry(name.clone()).or_default() += 1;
            }
            for term in event_kinds {
                *kinds.entry(term.clone()).or_default() += 1;
            }
        }
        NameRarity {
            events: per_event.len() as u32,
            names,
            kinds,
        }
    }

    /// How rare kind term `term` is: `ln(1 + E / e(t))`; 0 for a term no headline uses.
    pub fn kind_weight(&self, term: &str) -> f32 {
        match self.kinds.get(term) {
            Some(&count) if count > 0 => (1.0 + self.events as f32 / count as f32).ln(),
            _ => 0.0,
        }
    }

    /// How rare `name` is: `ln(1 + E / e(n))`; 0 for a name the archive does not know.
    pub fn weight(&self, name: &str) -> f32 {
        match self.names.get(name) {
            Some(&count) if count > 0 => (1.0 + self.events as f32 / count as f32).ln(),
            _ => 0.0,
        }
    }

    /// The known names in `title` and `body`.
    pub fn names_in(&self, title: &str, body: &str) -> Vec<String> {
        document_names(title, body, &self.names)
    }
}

/// The kind terms of `text` (a headline, or a free text): its words once the known
/// names of `vocabulary` are taken out, lower-cased and stemmed, without stop words or
/// words holding a digit; each once, in order of first appearance, with how often and
/// whether first in its first sentence.
fn kind_words(text: &str, vocabulary: &impl backissue_text::phrases::NameSet) -> Vec<KindWord> {
    let mut rest = text.to_string();
    for name in backissue_text::phrases::find_names(text, vocabulary) {
        rest = rest.replace(&name, " ");
    }
    let first_sentence_end = sentence_end(&rest);
    let mut analyzer = analyzer();
    let mut stream = analyzer.token_stream(&rest);
    let mut words: Vec<KindWord> = Vec::new();
    while let Some(token) = stream.next() {
        let word = &token.text;
        if word.len() < 2 || word.chars().any(|c| c.is_numeric()) || is_stop_word(word) {
            continue;
        }
        let stem = stem(word);
        match words.iter_mut().find(|w| w.term == stem) {
            Some(w) => w.count += 1,
            None => words.push(KindWord {
                term: stem,
                count: 1,
                first_sentence: token.offset_from < first_sentence_end,
            }),
        }
    }
    words
}

/// Where the first sentence of `text` ends: at the first `.`, `!`, `?` or `;`
/// followed by a space (or the end).
fn sentence_end(text: &str) -> usize {
    let bytes = text.as_bytes();
    (0..bytes.len())
        .find(|&i| {
            matches!(bytes[i], b'.' | b'!' | b'?' | b';')
                && bytes.get(i + 1).is_none_or(|b| b.is_ascii_whitespace())
        })
        .unwrap_or(text.len())
}

/// A kind term of a text.
#[derive(Debug, Clone, PartialEq)]
struct KindWord {
    term: String,
    count: u32,
    first_sentence: bool,
}

/// The Euclidean norm of weights.
fn norm(weighted: &[(String, f32)]) -> f32 {
    weighted.iter().map(|(_, w)| w * w).sum::<f32>().sqrt()
}

/// The kind terms of a headline (see the module docs).
pub fn kind_terms(title: &str, vocabulary: &impl backissue_text::phrases::NameSet) -> Vec<String> {
    kind_words(title, vocabulary)
        .into_iter()
        .map(|w| w.term)
        .collect()
}

/// The words of headline `title` (lower case, each once, in order) whose stems are
/// among `terms`: the kind terms a list shows as written.
pub fn kind_words_in(title: &str, terms: &[String]) -> Vec<String> {
    let mut analyzer = analyzer();
    let mut stream = analyzer.token_stream(title);
    let mut words: Vec<String> = Vec::new();
    while let Some(token) = stream.next() {
        if !words.contains(&token.text) && terms.contains(&stem(&token.text)) {
            words.push(token.text.clone());
        }
    }
    words
}

/// Lower-cases and folds words (the stemmer runs separately, after the stop words).
fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// The English stem of a lower-case word, as the keyword index's stemmer makes it.
fn stem(word: &str) -> String {
    thread_local! {
        static STEMMER: std::cell::RefCell<TextAnalyzer> = std::cell::RefCell::new(
            TextAnalyzer::builder(tantivy::tokenizer::RawTokenizer::default())
                .filter(Stemmer::new(Language::English))
                .build(),
        );
    }
    STEMMER.with(|s| {
        let mut analyzer = s.borrow_mut();
        let mut stream = analyzer.token_stream(word);
        stream
            .next()
            .map_or_else(|| word.to_string(), |t| t.text.clone())
    })
}

/// The names and tags of one story (or of a text), ready to compare.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Profile {
    /// Names with their rarity, rarest first.
    pub names: Vec<(String, f32)>,
    /// Total rarity of the names.
    pub name_weight: f32,
    /// Kind terms (stemmed) with their weight: rarity, times how much a free text is
    /// about the term ([`Profile::kind_of`]).
    pub kinds: Vec<(String, f32)>,
    /// The Euclidean norm of the kind terms' weights.
    pub kind_norm: f32,
    /// Sectors then regions, as written.
    pub tags: Vec<String>,
    /// The issue's date (none for a free text).
    pub date: Option<Date>,
}

impl Profile {
    /// The profile of `doc`.
    pub fn of(doc: &Document, rarity: &NameRarity) -> Profile {
        let mut profile = Profile::of_text(&doc.title, &doc.body, rarity);
        profile.kinds = kind_terms(&doc.title, &rarity.names)
            .into_iter()
            .map(|t| {
                let w = rarity.kind_weight(&t);
                (t, w)
            })
            .filter(|(_, w)| *w > 0.0)
            .collect();
        profile.kind_norm = norm(&profile.kinds);
        profile.tags = doc
            .sectors
            .iter()
            .map(ToString::to_string)
            .chain(doc.regions.iter().map(ToString::to_string))
            .collect();
        profile.date = Some(doc.date);
        profile
    }

    /// The profile of a free text (names only).
    pub fn of_text(title: &str, body: &str, rarity: &NameRarity) -> Profile {
        let mut names: Vec<(String, f32)> = rarity
            .names_in(title, body)
            .into_iter()
            .map(|n| {
                let w = rarity.weight(&n);
                (n, w)
            })
            .filter(|(_, w)| *w > 0.0)
            .collect();
        names.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Profile {
            name_weight: names.iter().map(|(_, w)| w).sum(),
            names,
            kinds: Vec::new(),
            kind_norm: 0.0,
            tags: Vec::new(),
            date: None,
        }
    }

    /// The profile of a free text: its names, and as kind terms the words of the text
    /// that the archive's headlines use (in [`MIN_KIND_EVENTS`] events or more), each
    /// weighted by its rarity, fully when the text repeats it or says it in its first
    /// sentence, else half.
    pub fn of_free_text(text: &str, rarity: &NameRarity) -> Profile {
        let mut profile = Profile::of_text("", text, rarity);
        profile.kinds = kind_words(text, &rarity.names)
            .into_iter()
            .filter(|w| rarity.kinds.get(&w.term).copied().unwrap_or(0) >= MIN_KIND_EVENTS)
            .map(|w| {
                let salience = if w.count > 1 || w.first_sentence {
                    1.0
                } else {
                    0.5
                };
                let weight = rarity.kind_weight(&w.term) * salience;
                (w.term, weight)
            })
            .collect();
        profile.kind_norm = norm(&profile.kinds);
        profile
    }

    /// Merges the profiles of an event's copies: every name, kind term and tag once
    /// (the first copy's order first), the first copy's date.
    pub fn merge<'p>(profiles: impl IntoIterator<Item = &'p Profile>) -> Profile {
        let mut merged = Profile::default();
        for profile in profiles {
            for (name, w) in &profile.names {
                if !merged.names.iter().any(|(n, _)| n == name) {
                    merged.names.push((name.clone(), *w));
                }
            }
            for (term, w) in &profile.kinds {
                if !merged.kinds.iter().any(|(t, _)| t == term) {
                    merged.kinds.push((term.clone(), *w));
                }
            }
            for tag in &profile.tags {
                if !merged.tags.contains(tag) {
                    merged.tags.push(tag.clone());
                }
            }
            merged.date = merged.date.or(profile.date);
        }
        merged
            .names
            .sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        merged.name_weight = merged.names.iter().map(|(_, w)| w).sum();
        merged.kind_norm = norm(&merged.kinds);
        merged
    }

    /// The kind terms both have (this profile's order) and the kind score in 0..=1:
    /// the cosine of the two profiles' kind weights, so a story whose headline says
    /// what the text is mostly about scores high, and one sharing a passing word of a
    /// long text, or one word of a long headline, low.
    pub fn kind_of(&self, other: &Profile) -> (Vec<String>, f32) {
        let mut shared = Vec::new();
        let mut product = 0.0;
        for (term, w) in &self.kinds {
            if let Some((_, v)) = other.kinds.iter().find(|(t, _)| t == term) {
                shared.push(term.clone());
                product += w * v;
            }
        }
        let norm = self.kind_norm * other.kind_norm;
        let score = if norm > 0.0 {
            (product / norm).min(1.0)
        } else {
            0.0
        };
        (shared, score)
    }

    /// The names both have, rarest first, and the names score in 0..=1.
    pub fn shared_names(&self, other: &Profile) -> (Vec<String>, f32) {
        let shared: Vec<(&String, f32)> = self
            .names
            .iter()
            .filter(|(n, _)| other.names.iter().any(|(m, _)| m == n))
            .map(|(n, w)| (n, *w))
            .collect();
        let weight: f32 = shared.iter().map(|(_, w)| w).sum();
        let norm = self.name_weight.max(other.name_weight);
        let score = if norm > 0.0 {
            (weight / norm).min(1.0)
        } else {
            0.0
        };
        (shared.into_iter().map(|(n, _)| n.clone()).collect(), score)
    }

    /// The tags both have, in this profile's order, and their Jaccard overlap.
    pub fn shared_tags(&self, other: &Profile) -> (Vec<String>, f32) {
        let shared: Vec<String> = self
            .tags
            .iter()
            .filter(|t| other.tags.contains(t))
            .cloned()
            .collect();
        let union = self.tags.len() + other.tags.len() - shared.len();
        let score = if union == 0 {
            0.0
        } else {
            shared.len() as f32 / union as f32
        };
        (shared, score)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rarity(pairs: &[(&str, u32)], events: u32) -> NameRarity {
        NameRarity {
            events,
            names: pairs.iter().map(|(n, c)| (n.to_string(), *c)).collect(),
            kinds: HashMap::new(),
        }
    }

    #[test]
    fn rare_shared_names_weigh_more_than_common_ones() {
        let rarity = rarity(
            &[("Lysandra Capital", 3), ("US", 300), ("Kestwick Energy", 4)],
            1000,
        );
        let a = Profile::of_text(
            "Lysandra Capital backs",
            "Lysandra Capital and Kestwick Energy sign in the US.",
            &rarity,
        );
        let b = Profile::of_text("x", "Later, Lysandra Capital expands in the US.", &rarity);
        let c = Profile::of_text("x", "Startups in the US grow.", &rarity);
        let (shared, ab) = a.shared_names(&b);
        assert_eq!(shared, ["Lysandra Capital", "US"]);
        let (_, ac) = a.shared_names(&c);
        assert!(ab > 0.5 && ac < 0.15, "{ab} {ac}");
        assert_eq!(a.shared_names(&a).1, 1.0);
        assert_eq!(a.names[0].0, "Lysandra Capital", "rarest first");
    }

    #[test]
    fn tags_overlap_is_jaccard() {
        let mut a = Profile::default();
        let mut b = Profile::default();
        a.tags = vec!["Tech".into(), "US".into()];
        b.tags = vec!["Tech".into(), "Japan".into(), "US".into()];
        assert_eq!(
            a.shared_tags(&b),
            (vec!["Tech".to_string(), "US".to_string()], 2.0 / 3.0)
        );
        assert_eq!(Profile::default().shared_tags(&b).1, 0.0);
    }
}
