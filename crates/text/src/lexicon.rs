//! Parts of speech of English words, from WordNet 3.0 (`data/lexicon.tsv`, written by
//! `scripts/wordnet_lexicon.py`): enough to tell a noun phrase (`data center
//! moratoriums`, `sovereign compute`) from a fragment of a sentence (`company
//! expects`, `tutor copilots came`, `rank apprenticeship marketplaces`).
//!
//! Each lemma carries, per part of speech, how often WordNet's semantic concordance
//! tagged its senses (plus one when it has that part of speech at all). A word as
//! written is reduced to its lemmas the way WordNet's `morphy` does (the irregular
//! forms of the `*.exc` files, then the regular endings), and each part of speech
//! takes its best lemma: `expects` reads as `expect` (a verb only), `buyers` as
//! `buyer` (a noun), `made` as `make` (a verb, 30) before the adjective `made` (3).
//! No tagger and no model: a word's most common use decides, which is what a phrase
//! that recurs across many stories is made of.

use std::collections::HashMap;
use std::sync::OnceLock;

const TABLE: &str = include_str!("../data/lexicon.tsv");

/// How a word is used in English, one score per part of speech (0: never).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reading {
    /// As a noun.
    pub noun: u32,
    /// As a verb.
    pub verb: u32,
    /// As an adjective.
    pub adj: u32,
    /// As an adverb.
    pub adv: u32,
}

impl Reading {
    /// Mostly a noun: the head of a noun phrase.
    pub fn is_noun(&self) -> bool {
        self.noun > 0 && self.noun >= self.verb && self.noun >= self.adv && self.noun >= self.adj
    }

    /// Mostly an adjective.
    pub fn is_adjective(&self) -> bool {
        self.adj > 0 && self.adj >= self.noun && self.adj >= self.verb && self.adj >= self.adv
    }

    /// Mostly a noun or an adjective: a word that can stand before a noun phrase's head.
    pub fn is_modifier(&self) -> bool {
        let nominal = self.noun.max(self.adj);
        nominal > 0 && nominal >= self.verb && nominal >= self.adv
    }
}

struct Lexicon {
    /// Lemma to its scores.
    lemmas: HashMap<&'static str, Reading>,
    /// Irregular form to `(part of speech, lemma)`: `made` → `('v', "make")`.
    irregular: HashMap<&'static str, Vec<(char, &'static str)>>,
}

fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| {
        let mut lemmas = HashMap::new();
        let mut irregular: HashMap<&'static str, Vec<(char, &'static str)>> = HashMap::new();
        for line in TABLE.lines().filter(|l| !l.starts_with('#')) {
            let mut fields = line.split('\t');
            let Some(first) = fields.next() else { continue };
            if let Some(form) = first.strip_prefix('=') {
                let pos = fields.next().and_then(|p| p.chars().next());
                if let (Some(pos), Some(lemma)) = (pos, fields.next()) {
                    irregular.entry(form).or_default().push((pos, lemma));
                }
                continue;
            }
            let mut score = || fields.next().and_then(|n| n.parse().ok()).unwrap_or(0);
            let reading = Reading {
                noun: score(),
                verb: score(),
                adj: score(),
                adv: score(),
            };
            lemmas.insert(first, reading);
        }
        Lexicon { lemmas, irregular }
    })
}

/// Regular endings per part of speech: `(ending, replacement)`, WordNet's `morphy`.
const NOUN_ENDINGS: &[(&str, &str)] = &[
    ("s", ""),
    ("ses", "s"),
    ("xes", "x"),
    ("zes", "z"),
    ("ches", "ch"),
    ("shes", "sh"),
    ("children", "child"),
    ("ies", "y"),
];
const VERB_ENDINGS: &[(&str, &str)] = &[
    ("s", ""),
    ("ies", "y"),
    ("es", "e"),
    ("es", ""),
    ("ed", "e"),
    ("ed", ""),
    ("ing", "e"),
    ("ing", ""),
];
const ADJ_ENDINGS: &[(&str, &str)] = &[("er", ""), ("est", ""), ("er", "e"), ("est", "e")];

/// The best score of `pos` over the lemmas `word` can be a form of.
fn best(word: &str, pos: char, endings: &[(&str, &str)], field: fn(&Reading) -> u32) -> u32 {
    let lexicon = lexicon();
    let score = |lemma: &str| lexicon.lemmas.get(lemma).map_or(0, field);
    let mut best = score(word);
    if let Some(forms) = lexicon.irregular.get(word) {
        for &(p, lemma) in forms {
            if p == pos {
                best = best.max(score(lemma));
            }
        }
    }
    for &(ending, replacement) in endings {
        if let Some(stem) = word.strip_suffix(ending) {
            if stem.len() < 2 {
                continue;
            }
            best = best.max(score(&format!("{stem}{replacement}")));
            // `stopped`, `shipping`: a doubled final consonant.
            let bytes = stem.as_bytes();
            if pos == 'v' && replacement.is_empty() && bytes.len() >= 3 {
                let n = bytes.len();
                if bytes[n - 1] == bytes[n - 2] && !b"aeiou".contains(&bytes[n - 1]) {
                    best = best.max(score(&stem[..n - 1]));
                }
            }
        }
    }
    best
}

/// How `word` (lower case, as written) is used, or `None` when WordNet does not know
/// it in any form: a name, a coinage or a term of art (`stablecoins`, `six-month`).
pub fn reading(word: &str) -> Option<Reading> {
    let reading = Reading {
        noun: best(word, 'n', NOUN_ENDINGS, |r| r.noun),
        verb: best(word, 'v', VERB_ENDINGS, |r| r.verb),
        adj: best(word, 'a', ADJ_ENDINGS, |r| r.adj),
        adv: best(word, 'r', &[], |r| r.adv),
    };
    (reading != Reading::default()).then_some(reading)
}

/// Whether `word` is itself a lemma of WordNet (a base form, not an inflection).
pub fn is_lemma(word: &str) -> bool {
    lexicon().lemmas.contains_key(word)
}

/// Whether `word` is an adjective's comparative or superlative (`larger`,
/// `biggest`): a comparison, not a kind of thing.
pub fn is_comparative(word: &str) -> bool {
    !is_lemma(word)
        && (word.ends_with("er") || word.ends_with("est"))
        && best(word, 'a', ADJ_ENDINGS, |r| r.adj) > 0
}

/// The singular of `word` (lower case) when it is a regular or irregular plural
/// noun WordNet knows (`copilots` → `copilot`, `data` stays), else `word`.
pub fn singular(word: &str) -> String {
    let lexicon = lexicon();
    let is_noun = |lemma: &str| lexicon.lemmas.get(lemma).is_some_and(|r| r.noun > 0);
    if is_noun(word) && !word.ends_with('s') {
        return word.to_string();
    }
    if let Some(forms) = lexicon.irregular.get(word) {
        if let Some(&(_, lemma)) = forms.iter().find(|(p, _)| *p == 'n') {
            return lemma.to_string();
        }
    }
    for &(ending, replacement) in NOUN_ENDINGS {
        if let Some(stem) = word.strip_suffix(ending) {
            let lemma = format!("{stem}{replacement}");
            if stem.len() >= 2 && is_noun(&lemma) {
                return lemma;
            }
        }
    }
    // A word WordNet does not know: a plain final `s` after a consonant other than
    // `s` is a plural (`stablecoins`); `-ss`, `-us`, `-is` are not.
    if !is_noun(word) && word.len() > 3 && word.ends_with('s') {
        let before = word.as_bytes()[word.len() - 2];
        if !b"suiy'".contains(&before) {
            return word[..word.len() - 1].to_string();
        }
    }
    word.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_read_by_their_most_common_use() {
        let noun = |w: &str| reading(w).is_some_and(|r| r.is_noun());
        let modifier = |w: &str| reading(w).is_some_and(|r| r.is_modifier());
        for w in [
            "moratoriums",
            "outage",
            "buyers",
            "data",
            "records",
            "copilots",
        ] {
            assert!(noun(w), "{w}: {:?}", reading(w));
        }
        for w in [
            "expects",
            "came",
            "made",
            "arrives",
            "validates",
            "announced",
            "pitching",
        ] {
            assert!(!noun(w) && !modifier(w), "{w}: {:?}", reading(w));
        }
        for w in [
            "existing",
            "clinical",
            "sovereign",
            "small",
            "data",
            "synthetic",
        ] {
            assert!(modifier(w), "{w}: {:?}", reading(w));
        }
        assert!(!modifier("fully"));
        assert_eq!(reading("stablecoins"), None);
        assert!(reading("compute").is_some_and(|r| r.verb > 0 && r.noun == 0));
    }

    #[test]
    fn plurals_become_singular() {
        for (plural, one) in [
            ("copilots", "copilot"),
            ("marketplaces", "marketplace"),
            ("moratoriums", "moratorium"),
            ("companies", "company"),
            ("data", "data"),
            ("news", "news"),
            ("stablecoins", "stablecoin"),
            ("analysis", "analysis"),
            ("children", "child"),
        ] {
            assert_eq!(singular(plural), one, "{plural}");
        }
    }
}
