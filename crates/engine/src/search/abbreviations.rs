//! Abbreviations and the phrases they stand for, from two sources: WordNet 3.0 (a
//! general English thesaurus, not fitted to any archive), so `CEO` is also matched as
//! `chief executive officer` and `IPO` as `initial public offering`; and the archive
//! itself, which defines its own (`mergers and acquisitions (M&A)`), found with
//! Schwartz and Hearst's algorithm ([`defined`]).
//!
//! The table (`data/abbreviations.tsv`) is written by
//! `scripts/wordnet_abbreviations.py` from WordNet's nouns. An abbreviation can
//! stand for several things (`LLM`: `master of laws`); every meaning is searched,
//! and the archive decides: a phrase it never uses matches nothing. Newsletters
//! shorten titles (`chief executive` for `chief executive officer`), so a phrase
//! of three or more words is also matched without its last word.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

/// The table: abbreviation (lowercased) to the phrases it stands for.
const TABLE: &str = include_str!("../../data/abbreviations.tsv");

fn table() -> &'static HashMap<&'static str, Vec<&'static str>> {
    static TABLE_MAP: OnceLock<HashMap<&'static str, Vec<&'static str>>> = OnceLock::new();
    TABLE_MAP.get_or_init(|| {
        TABLE
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split_once('\t'))
            .map(|(abbreviation, phrases)| (abbreviation, phrases.split('|').collect()))
            .collect()
    })
}

/// The phrases `word` (lowercased) may stand for, each with the phrase without its
/// last word when it has three or more; empty when it is no known abbreviation.
pub(crate) fn expansions(word: &str) -> Vec<(&'static str, bool)> {
    let Some(phrases) = table().get(word) else {
        return Vec::new();
    };
    let mut out: Vec<(&'static str, bool)> = Vec::new();
    for phrase in phrases {
        out.push((phrase, false));
        let words = phrase.split(' ').count();
        if words >= 3 {
            if let Some((shorter, _)) = phrase.rsplit_once(' ') {
                if !out.iter().any(|(p, _)| *p == shorter) {
                    out.push((shorter, true));
                }
            }
        }
    }
    out
}

/// Most long forms kept for one abbreviation the archive defines (two at most can
/// each be given half the time).
const MAX_DEFINED_FORMS: usize = 2;

/// The abbreviations the archive defines, lowercased, each with its long forms
/// (lowercased, most often written first).
#[derive(Debug, Clone, Default)]
pub(crate) struct Defined {
    forms: HashMap<String, Vec<String>>,
}

impl Defined {
    /// Reads every definition in `texts`.
    pub(crate) fn build<'a>(texts: impl IntoIterator<Item = &'a str>) -> Defined {
        let mut counts: HashMap<String, BTreeMap<String, usize>> = HashMap::new();
        for text in texts {
            for (short, long) in defined(text) {
                *counts
                    .entry(short.to_lowercase())
                    .or_default()
                    .entry(long.to_lowercase())
                    .or_default() += 1;
            }
        }
        let forms = counts
            .into_iter()
            .filter_map(|(short, longs)| {
                // An abbreviation the archive spells out in several ways keeps only
                // a long form it gives at least half the time (`ID` may stand for
                // anything): an ambiguous one matches as typed, nothing more.
                let total: usize = longs.values().sum();
                let mut longs: Vec<(String, usize)> =
                    longs.into_iter().filter(|(_, n)| 2 * n >= total).collect();
                longs.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                longs.truncate(MAX_DEFINED_FORMS);
                (!longs.is_empty())
                    .then(|| (short, longs.into_iter().map(|(long, _)| long).collect()))
            })
            .collect();
        Defined { forms }
    }

    /// The long forms the archive gives `word` (lowercased).
    pub(crate) fn forms(&self, word: &str) -> &[String] {
        self.forms.get(word).map_or(&[], Vec::as_slice)
    }
}

/// The abbreviation definitions in `text`, as (short form, long form) pairs: a short
/// form in parentheses after its long form, `large language models (LLMs)`. This is
/// Schwartz and Hearst's algorithm ("A simple algorithm for identifying abbreviation
/// definitions in biomedical text", 2003): the short form is one or two words of 2–10
/// characters, starting with a letter or digit and holding a letter (here also at
/// least two capitals, as abbreviations are written); the long form is the shortest
/// run of the words before the parenthesis, at most min(|S| + 5, 2|S|) of them, in
/// which the short form's letters and digits appear in order, the first at the start
/// of a word.
pub(crate) fn defined(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = text;
    let mut offset = 0;
    while let Some(open) = rest.find('(') {
        let start = offset + open;
        let Some(close) = text[start + 1..].find(')') else {
            break;
        };
        let inner = text[start + 1..start + 1 + close].trim();
        offset = start + 1;
        rest = &text[offset..];
        if !is_short_form(inner) {
            continue;
        }
        // The words before the parenthesis, back to the clause's start.
        let before = &text[..start];
        let clause_start = before
            .rfind(['.', ';', ':', '(', ')', '!', '?', '\n'])
            .map_or(0, |i| i + 1);
        let words: Vec<&str> = before[clause_start..].split_whitespace().collect();
        let chars = inner.chars().count();
        let max_words = (chars + 5).min(chars * 2);
        let window = &words[words.len().saturating_sub(max_words)..];
        if window.is_empty() {
            continue;
        }
        let candidate = window.join(" ");
        if let Some(long) = best_long_form(inner, &candidate) {
            let long = long.trim_matches(|c: char| !c.is_alphanumeric());
            if long.chars().count() > chars && !long.to_lowercase().contains(&inner.to_lowercase())
            {
                out.push((inner.to_string(), long.to_string()));
            }
        }
    }
    out
}

/// Whether `text` can be a short form.
fn is_short_form(text: &str) -> bool {
    let chars = text.chars().count();
    (2..=10).contains(&chars)
        && text.split_whitespace().count() <= 2
        && text.chars().next().is_some_and(char::is_alphanumeric)
        && text.chars().any(char::is_alphabetic)
        && text.chars().filter(|c| c.is_uppercase()).count() >= 2
}

/// Schwartz and Hearst's `findBestLongForm`: the shortest end of `long` whose
/// characters match `short`'s letters and digits right to left, the first one at
/// a word's start.
fn best_long_form<'a>(short: &str, long: &'a str) -> Option<&'a str> {
    let s: Vec<char> = short.to_lowercase().chars().collect();
    let l: Vec<(usize, char)> = long
        .char_indices()
        .flat_map(|(i, c)| c.to_lowercase().map(move |lc| (i, lc)))
        .collect();
    let mut s_index = s.len() as isize - 1;
    let mut l_index = l.len() as isize - 1;
    while s_index >= 0 {
        let current = s[s_index as usize];
        if !current.is_alphanumeric() {
            s_index -= 1;
            continue;
        }
        while l_index >= 0
            && (l[l_index as usize].1 != current
                || (s_index == 0 && l_index > 0 && l[l_index as usize - 1].1.is_alphanumeric()))
        {
            l_index -= 1;
        }
        if l_index < 0 {
            return None;
        }
        l_index -= 1;
        s_index -= 1;
    }
    let at = l[(l_index + 1) as usize].0;
    let word_start = long[..at].rfind(' ').map_or(0, |i| i + 1);
    Some(&long[word_start..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_archive_s_own_definitions_are_found() {
        let text = "Banks led mergers and acquisitions (M&A) this year. Most large \
                    language models (LLMs) now run on-device. The Federal Trade \
                    Commission (FTC) opened a review (see below) in 2025 (Q3).";
        let found = defined(text);
        assert!(
            found.contains(&("M&A".into(), "mergers and acquisitions".into())),
            "{found:?}"
        );
        assert!(
            found.contains(&("LLMs".into(), "large language models".into())),
            "{found:?}"
        );
        assert!(
            found.contains(&("FTC".into(), "Federal Trade Commission".into())),
            "{found:?}"
        );
        assert_eq!(found.len(), 3, "{found:?}");
        // No long form that fits: not a definition.
        assert!(defined("It rose sharply (QX).").is_empty());
        let table = Defined::build([text, "More mergers and acquisitions (M&A) ahead."]);
        assert_eq!(table.forms("m&a"), ["mergers and acquisitions"]);
        assert!(table.forms("ceo").is_empty());
        // Spelt out three ways, none of them half the time: too ambiguous to expand.
        let table = Defined::build([
            "Access by intelligent devices (ID) grew.",
            "Cases of intellectual disability (ID) fell.",
            "Insertion and deletion (ID) variants rose.",
        ]);
        assert!(table.forms("id").is_empty());
    }

    #[test]
    fn abbreviations_expand_to_their_phrases_and_shortened_titles() {
        let ceo = expansions("ceo");
        assert!(ceo.contains(&("chief executive officer", false)));
        assert!(ceo.contains(&("chief executive", true)));
        assert!(expansions("ipo").contains(&("initial public offering", false)));
        assert!(expansions("robot").is_empty());
    }
}
