//! The archive's words as written: for typo correction, search-as-you-type
//! prefixes, and telling names from ordinary words.
//!
//! The `names` field indexes every whole token of titles and bodies, lowercased but
//! not stemmed, so its term dictionary is the archive's vocabulary of words as
//! readers type them (`robots`, `stratavant`, `holotron-12b`). It is read once, when
//! the searcher is built. Typo correction replaces a word the archive does not
//! contain by the closest words it does, so a correction is a real word that can
//! be shown to the reader ("showing results for …"); prefixes expand to the most
//! frequent words that start with what was typed.

use std::collections::HashMap;

use crate::document::Document;
use backissue_text::names::{is_name_like, raw_tokens};

/// A name in at most this many documents is specific, however small the archive.
const MIN_SPECIFIC_DF: u32 = 3;

/// Most corrections kept for one misspelt word (the closest, most frequent first).
const MAX_CORRECTIONS: usize = 3;

/// A word of the archive and how many documents contain it.
#[derive(Debug, Clone)]
struct Word {
    text: Box<str>,
    doc_freq: u32,
}

/// The archive's vocabulary, read from the `names` field.
#[derive(Debug, Default)]
pub(crate) struct Vocabulary {
    /// Every token of the `names` field with its document frequency.
    doc_freq: HashMap<Box<str>, u32>,
    /// Words that may be typo targets (no digits, no currency signs), sorted, for
    /// prefix ranges.
    sorted: Vec<Word>,
    /// The same words by length in characters, for typo candidates.
    by_len: Vec<Vec<Word>>,
    /// Words with a digit and no currency sign (`vireo-70b`), for "did you mean".
    numbered: Vec<Word>,
    /// Tokens never written in lower case (`Ashgrove`, `SoftBank`), lowercased.
    names: HashMap<Box<str>, ()>,
    /// The abbreviations the archive defines (`mergers and acquisitions (M&A)`).
    defined: super::abbreviations::Defined,
    /// Documents in the archive.
    documents: u32,
}

impl Vocabulary {
    /// Builds the vocabulary from the `names` field's terms and their document
    /// frequencies, and learns which words are names from the documents' bodies.
    pub(crate) fn build(terms: impl IntoIterator<Item = (String, u32)>, docs: &[Document]) -> Self {
        let mut vocabulary = Vocabulary {
            documents: docs.len() as u32,
            ..Vocabulary::default()
        };
        for (text, doc_freq) in terms {
            if doc_freq == 0 {
                continue;
            }
            if is_correctable(&text) {
                let word = Word {
                    text: text.as_str().into(),
                    doc_freq,
                };
                let len = text.chars().count();
                if vocabulary.by_len.len() <= len {
                    vocabulary.by_len.resize(len + 1, Vec::new());
                }
                vocabulary.by_len[len].push(word.clone());
                vocabulary.sorted.push(word);
            } else if !text.chars().any(is_currency) {
                vocabulary.numbered.push(Word {
                    text: text.as_str().into(),
                    doc_freq,
                });
            }
            *vocabulary
                .doc_freq
                .entry(text.into_boxed_str())
                .or_default() += doc_freq;
        }
        vocabulary.sorted.sort_by(|a, b| a.text.cmp(&b.text));
        vocabulary.names = learn_names(docs);
        vocabulary.defined = super::abbreviations::Defined::build(
            docs.iter()
                .flat_map(|d| [d.title.as_str(), d.body.as_str()]),
        );
        vocabulary
    }

    /// The long forms the archive gives the abbreviation `word` (lowercased).
    pub(crate) fn defined_forms(&self, word: &str) -> &[String] {
        self.defined.forms(word)
    }

    /// How many documents contain the whole token `word` (lowercased).
    pub(crate) fn doc_freq(&self, word: &str) -> u32 {
        self.doc_freq.get(word).copied().unwrap_or(0)
    }

    /// Whether `word` (lowercased) is a specific name in this archive: never written
    /// in lower case (or holding a digit or a currency sign), and in at most 5% of
    /// the documents (or in at most 3), so `Ashgrove` and `Holotron-12B` are names
    /// but `AI` and `US`, named everywhere, are not specific.
    pub(crate) fn is_specific_name(&self, word: &str) -> bool {
        let df = self.doc_freq(word);
        let known_name = self.names.contains_key(word) || has_digit_or_currency(word);
        known_name && df > 0 && df <= (self.documents / 20).max(MIN_SPECIFIC_DF)
    }

    /// The closest archive words to the misspelt `word`, at most [`max_edits`] edits
    /// away (adjacent swaps count as one), most frequent first among the closest.
    pub(crate) fn corrections(&self, word: &str) -> Vec<String> {
        let max = max_edits(word);
        if max == 0 || !is_correctable(word) {
            return Vec::new();
        }
        let len = word.chars().count();
        let mut found: Vec<(usize, u32, &str)> = Vec::new();
        for candidates in self
            .by_len
            .iter()
            .take(len + max + 1)
            .skip(len.saturating_sub(max))
        {
            for candidate in candidates {
                if let Some(d) = edit_distance(word, &candidate.text, max) {
                    found.push((d, candidate.doc_freq, &candidate.text));
                }
            }
        }
        let Some(best) = found.iter().map(|f| f.0).min() else {
            return Vec::new();
        };
        found.retain(|f| f.0 == best);
        found.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.2.cmp(b.2)));
        found
            .into_iter()
            .take(MAX_CORRECTIONS)
            .map(|f| f.2.to_string())
            .collect()
    }

    /// The archive's names with a digit closest to `word` (`vireo-7b` →
    /// `vireo-70b`): at most two edits, none to the letters, so they differ only
    /// in their numbers or marks. Shown as "did you mean", never searched instead,
    /// since `GPT-4` is not `GPT-5`.
    pub(crate) fn numbered_suggestions(&self, word: &str) -> Vec<String> {
        let letters = |w: &str| w.chars().filter(|c| c.is_alphabetic()).collect::<String>();
        let own = letters(word);
        if own.is_empty() || word.chars().count() < 3 {
            return Vec::new();
        }
        let mut found: Vec<(usize, u32, &str)> = self
            .numbered
            .iter()
            .filter(|w| letters(&w.text) == own)
            .filter_map(|w| edit_distance(word, &w.text, 2).map(|d| (d, w.doc_freq, &*w.text)))
            .collect();
        found.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then_with(|| a.2.cmp(b.2)));
        found
            .into_iter()
            .take(MAX_CORRECTIONS)
            .map(|f| f.2.to_string())
            .collect()
    }

    /// Up to `max` archive words that start with `prefix` and are longer than it,
    /// most frequent first.
    pub(crate) fn completions(&self, prefix: &str, max: usize) -> Vec<&str> {
        let start = self.sorted.partition_point(|w| &*w.text < prefix);
        let mut found: Vec<&Word> = self.sorted[start..]
            .iter()
            .take_while(|w| w.text.starts_with(prefix))
            .filter(|w| w.text.len() > prefix.len())
            .collect();
        found.sort_by(|a, b| {
            b.doc_freq
                .cmp(&a.doc_freq)
                .then_with(|| a.text.cmp(&b.text))
        });
        found.into_iter().take(max).map(|w| &*w.text).collect()
    }
}

/// Edits allowed when correcting `word`: none below 5 letters, one from 5, two from 9.
pub(crate) fn max_edits(word: &str) -> usize {
    match word.chars().count() {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

/// Whether `word` may be corrected or completed: numbers, versions and amounts are
/// exact (`GPT-4` is not `GPT-5`, `2025` is not `2026`, `$40B` is not `$45B`).
pub(crate) fn is_correctable(word: &str) -> bool {
    !has_digit_or_currency(word)
}

/// Whether `word` holds a digit or a currency sign.
pub(crate) fn has_digit_or_currency(word: &str) -> bool {
    word.chars().any(|c| c.is_numeric() || is_currency(c))
}

fn is_currency(c: char) -> bool {
    matches!(c, '$' | '€' | '£' | '₹' | '¥' | '₩')
}

/// The optimal-string-alignment distance between `a` and `b` (insertions, deletions,
/// substitutions and swaps of adjacent characters), if it is at most `max`.
pub(crate) fn edit_distance(a: &str, b: &str, max: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    // Three rolling rows: two back for swaps, one back, current.
    let width = b.len() + 1;
    let mut before: Vec<usize> = vec![0; width];
    let mut previous: Vec<usize> = (0..width).collect();
    let mut current: Vec<usize> = vec![0; width];
    for i in 1..=a.len() {
        current[0] = i;
        let mut row_min = current[0];
        for j in 1..width {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (previous[j] + 1)
                .min(current[j - 1] + 1)
                .min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(before[j - 2] + 1);
            }
            current[j] = d;
            row_min = row_min.min(d);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    let d = previous[b.len()];
    (d <= max).then_some(d)
}

/// The lowercased tokens written as names in the bodies: capitalised where
/// capitals say something (not at a sentence start, unless the word has an inner
/// capital or a digit) and never written with a lower-case first letter
/// (`Ashgrove`, `SoftBank`, `IPO`). A word that is a name only inside a company's
/// name (`Robotics` in `Stratavant Robotics`) is also written in lower case
/// somewhere, and is not one. Titles are left out: every word of a headline is
/// capitalised, so `Recalls` would pass for a name.
fn learn_names(docs: &[Document]) -> HashMap<Box<str>, ()> {
    // (capitalised where it means something, written in lower case)
    let mut uses: HashMap<String, (bool, bool)> = HashMap::new();
    for doc in docs {
        for token in raw_tokens(&doc.body) {
            let Some(first) = token.text.chars().find(|c| c.is_alphabetic()) else {
                continue;
            };
            let telling = !token.sentence_start || is_name_like(&token);
            let entry = uses.entry(token.text.to_lowercase()).or_default();
            if first.is_lowercase() {
                entry.1 = true;
            } else if telling {
                entry.0 = true;
            }
        }
    }
    uses.into_iter()
        .filter(|(_, (capitalised, lower))| *capitalised && !lower)
        .map(|(word, _)| (word.into_boxed_str(), ()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocabulary() -> Vocabulary {
        let terms = [
            ("robots", 40),
            ("robotics", 12),
            ("robot", 30),
            ("roboto", 1),
            ("stratavant", 5),
            ("gpt-5", 3),
            ("2026", 50),
            ("infrastructure", 9),
        ];
        Vocabulary::build(terms.map(|(t, n)| (t.to_string(), n)), &[])
    }

    #[test]
    fn edit_distance_counts_swaps_as_one_and_stops_at_the_bound() {
        assert_eq!(edit_distance("robots", "robots", 1), Some(0));
        assert_eq!(edit_distance("robtos", "robots", 1), Some(1));
        assert_eq!(edit_distance("robts", "robots", 1), Some(1));
        assert_eq!(edit_distance("rbts", "robots", 1), None);
        assert_eq!(edit_distance("infrastrcture", "infrastructure", 2), Some(1));
        assert_eq!(edit_distance("kitten", "sitting", 3), Some(3));
        assert_eq!(edit_distance("kitten", "sitting", 2), None);
        assert_eq!(edit_distance("", "ab", 2), Some(2));
    }

    #[test]
    fn typo_budget_grows_with_length() {
        assert_eq!(max_edits("robt"), 0);
        assert_eq!(max_edits("robts"), 1);
        assert_eq!(max_edits("stratavnt"), 2);
        assert_eq!(max_edits("élan"), 0, "counted in characters, not bytes");
    }

    #[test]
    fn corrections_are_the_closest_most_frequent_words() {
        let v = vocabulary();
        assert_eq!(v.corrections("robtos"), ["robots"]);
        assert_eq!(v.corrections("stratavnt"), ["stratavant"]);
        assert_eq!(v.corrections("infrastrcture"), ["infrastructure"]);
        assert!(
            v.corrections("robt").is_empty(),
            "4 letters: no typo allowed"
        );
        assert!(v.corrections("zzzzzz").is_empty());
    }

    #[test]
    fn numbers_and_versions_are_never_corrected() {
        let v = vocabulary();
        assert!(v.corrections("gpt-4").is_empty());
        assert!(v.corrections("2025").is_empty());
        assert!(v.corrections("$40b").is_empty());
        assert!(!is_correctable("₹250cr"));
        assert!(is_correctable("softbank"));
    }

    #[test]
    fn completions_are_longer_words_most_frequent_first() {
        let v = vocabulary();
        assert_eq!(v.completions("robo", 3), ["robots", "robot", "robotics"]);
        assert_eq!(v.completions("robot", 10), ["robots", "robotics", "roboto"]);
        assert!(v.completions("zz", 3).is_empty());
    }

    #[test]
    fn names_are_words_never_written_in_lower_case() {
        let date: backissue_issue::Date = "2026-03-27".parse().unwrap();
        let doc = |body: &str| Document {
            id: "x".into(),
            issue_id: "x".into(),
            date,
            week: date.iso_week(),
            section: crate::document::Section::Insight,
            title: String::new(),
            body: body.into(),
            sectors: vec![],
            regions: vec![],
            level: None,
            kind: None,
            source: None,
            url: None,
            score: None,
            steps: Vec::new(),
            event_id: "x".into(),
        };
        let mut docs = vec![doc(
            "Robots won. Then Ashgrove Financial said robots matter and financial news grew, then fell.",
        )];
        docs.extend((0..40).map(|_| doc("nothing here")));
        let terms = [
            ("ashgrove", 1),
            ("financial", 1),
            ("robots", 1),
            ("then", 1),
        ];
        let v = Vocabulary::build(terms.map(|(t, n)| (t.to_string(), n)), &docs);
        assert!(v.is_specific_name("ashgrove"));
        assert!(
            !v.is_specific_name("financial"),
            "also written in lower case"
        );
        assert!(!v.is_specific_name("robots"));
        assert!(!v.is_specific_name("then"));
    }
}
