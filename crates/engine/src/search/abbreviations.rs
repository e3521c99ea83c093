//! Abbreviations and the phrases they stand for, from WordNet 3.0 (a general English
//! thesaurus, not fitted to any archive): `CEO` is also matched as `chief executive
//! officer`, `IPO` as `initial public offering`.
//!
//! The table (`data/abbreviations.tsv`) is written by
//! `scripts/wordnet_abbreviations.py` from WordNet's nouns. An abbreviation can
//! stand for several things (`LLM`: `master of laws`); every meaning is searched,
//! and the archive decides: a phrase it never uses matches nothing. Newsletters
//! shorten titles (`chief executive` for `chief executive officer`), so a phrase
//! of three or more words is also matched without its last word.

use std::collections::HashMap;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviations_expand_to_their_phrases_and_shortened_titles() {
        let ceo = expansions("ceo");
        assert!(ceo.contains(&("chief executive officer", false)));
        assert!(ceo.contains(&("chief executive", true)));
        assert!(expansions("ipo").contains(&("initial public offering", false)));
        assert!(expansions("robot").is_empty());
    }
}
