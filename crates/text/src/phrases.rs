//! The phrases of news text that trends count and related stories share: **names**
//! (`Lysandra Capital`, `Redstart 4.9`, `AlpheccaChip X5`) and short **content
//! phrases** (`data center moratoriums`, `regulatory scrutiny`).
//!
//! Names are found in two steps. *Discovery* reads story bodies, where ordinary words
//! are lower case: a run of capitalised or name-like tokens inside one clause is a name
//! when one of its tokens is name-like in the sense of [`crate::names::is_name_like`]
//! (capitalised in mid-sentence, an inner capital, a digit). Stop words, amounts
//! (`$260M`, `48%`, `1387`) and release tags (`v3.6.5`) are trimmed from its ends.
//! Titles are never read for discovery, since they capitalise every word. *Matching*
//! then finds the discovered names anywhere (titles included) by longest match, case
//! sensitive, so `Meritto` at the start of a sentence is found once it has been seen
//! in mid-sentence anywhere in the archive.
//!
//! Topic phrases ([`topic_phrases`]) are the 1–3-word noun phrases inside one clause,
//! with no stop word, digit or amount, read by WordNet's parts of speech.

use std::collections::{HashMap, HashSet};

use crate::lexicon::{reading, singular};
use crate::names::{is_name_like, raw_tokens};
use crate::stop_words::{self, Tier};

/// The most tokens a name may have.
pub const MAX_NAME_TOKENS: usize = 4;

/// The most words a topic phrase may have.
pub const MAX_PHRASE_WORDS: usize = 3;

/// Whether `word` (lower case) never starts, ends or sits inside a topic phrase, and
/// is trimmed from names: a stop word of the [`Tier::News`] tier.
pub fn is_stop_word(word: &str) -> bool {
    stop_words::is_stop_word(word, Tier::News)
}

/// A token of a text, with where clauses end.
#[derive(Debug, Clone, Copy)]
struct Word<'a> {
    text: &'a str,
    sentence_start: bool,
    /// Punctuation (or the end of the text) follows: no phrase runs on past it.
    ends_clause: bool,
}

/// The tokens of `text` (as the names field splits it), marking clause ends.
fn words(text: &str) -> Vec<Word<'_>> {
    let tokens = raw_tokens(text);
    let mut words: Vec<Word<'_>> = Vec::with_capacity(tokens.len());
    for token in tokens {
        let starts_after_punctuation = text[..token.start]
            .chars()
            .next_back()
            .is_some_and(|c| !c.is_whitespace());
        if starts_after_punctuation {
            if let Some(last) = words.last_mut() {
                last.ends_clause = true;
            }
        }
        let end = token.start + token.text.len();
        let ends_clause = text[end..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_whitespace());
        words.push(Word {
            text: token.text,
            sentence_start: token.sentence_start,
            ends_clause,
        });
    }
    words
}

/// Whether a token is an amount or a count rather than part of a name: `$260M`,
/// `₹250Cr`, `48%`, `1387`, `2026`. (`4.9` is a version, part of a product's name.)
pub fn is_amount(token: &str) -> bool {
    let first = token.chars().next();
    first.is_some_and(|c| matches!(c, '$' | '€' | '£' | '₹' | '¥' | '₩'))
        || token.ends_with('%')
        || (!token.is_empty() && token.chars().all(|c| c.is_ascii_digit() || c == ','))
}

/// Whether a token is a release tag (`v3.6.5`), which follows a product's name but is
/// not part of it.
fn is_release_tag(token: &str) -> bool {
    let mut chars = token.chars();
    chars.next() == Some('v') && chars.next().is_some_and(|c| c.is_ascii_digit())
}

fn is_capitalised(token: &str) -> bool {
    token.chars().next().is_some_and(char::is_uppercase)
}

/// The names written in `body` (running text, not a title), in order, as written.
pub fn discover_names(body: &str) -> Vec<String> {
    let words = words(body);
    let mut names = Vec::new();
    let mut run: Vec<Word<'_>> = Vec::new();
    for word in words {
        let fits = is_capitalised(word.text)
            || is_name_like(&crate::names::RawToken {
                text: word.text,
                start: 0,
                sentence_start: word.sentence_start,
            });
        if fits {
            run.push(word);
        }
        if !fits || word.ends_clause {
            if let Some(name) = name_of_run(&run) {
                names.push(name);
            }
            run.clear();
        }
    }
    if let Some(name) = name_of_run(&run) {
        names.push(name);
    }
    names
}

/// Days and months, which English capitalises without their being names of things.
fn is_calendar(word: &str) -> bool {
    const WORDS: &[&str] = &[
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    WORDS.contains(&word)
}

/// The name a run of capitalised tokens spells, trimmed, if it is one.
fn name_of_run(run: &[Word<'_>]) -> Option<String> {
    let trim = |w: &Word<'_>| {
        let lower = w.text.to_lowercase();
        is_amount(w.text) || is_release_tag(w.text) || is_stop_word(&lower) || is_calendar(&lower)
    };
    // A short number ends many product names (`PintailScan 3`); it never starts one.
    let model_number =
        |w: &Word<'_>| w.text.len() <= 2 && w.text.chars().all(|c| c.is_ascii_digit());
    let start = run.iter().position(|w| !trim(w))?;
    let end = run.iter().rposition(|w| !trim(w) || model_number(w))? + 1;
    let run = &run[start..end];
    if run.len() > MAX_NAME_TOKENS || !run.iter().any(|w| w.text.chars().any(char::is_alphabetic)) {
        return None;
    }
    let named = run.iter().any(|w| {
        is_name_like(&crate::names::RawToken {
            text: w.text,
            start: 0,
            sentence_start: w.sentence_start,
        })
    });
    named.then(|| run.iter().map(|w| w.text).collect::<Vec<_>>().join(" "))
}

/// Every name discovered in `bodies` (the bodies of an archive's news stories).
pub fn discover_vocabulary<'a>(bodies: impl IntoIterator<Item = &'a str>) -> HashSet<String> {
    bodies.into_iter().flat_map(discover_names).collect()
}

/// The known names in a document's title and body, each once.
pub fn document_names(title: &str, body: &str, vocabulary: &impl NameSet) -> Vec<String> {
    let mut names = find_names(title, vocabulary);
    for name in find_names(body, vocabulary) {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// The names of a vocabulary.
pub trait NameSet {
    /// Whether `name` (as written) is a known name.
    fn has_name(&self, name: &str) -> bool;
}

impl NameSet for HashSet<String> {
    fn has_name(&self, name: &str) -> bool {
        self.contains(name)
    }
}

impl<V> NameSet for HashMap<String, V> {
    fn has_name(&self, name: &str) -> bool {
        self.contains_key(name)
    }
}

/// The known names written in `text` (a title or a body), by longest match inside
/// clauses, each once, in order of first appearance.
pub fn find_names(text: &str, vocabulary: &impl NameSet) -> Vec<String> {
    let words = words(text);
    let mut found: Vec<String> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if !is_capitalised(words[i].text) && !words[i].text.chars().any(|c| c.is_ascii_digit()) {
            i += 1;
            continue;
        }
        let mut matched = 0;
        let mut candidate = String::new();
        for len in 1..=MAX_NAME_TOKENS.min(words.len() - i) {
            if len > 1 && words[i + len - 2].ends_clause {
                break;
            }
            if len > 1 {
                candidate.push(' ');
            }
            candidate.push_str(words[i + len - 1].text);
            if vocabulary.has_name(&candidate) {
                matched = len;
            }
        }
        if matched > 0 {
            let name = words[i..i + matched]
                .iter()
                .map(|w| w.text)
                .collect::<Vec<_>>()
                .join(" ");
            if !found.contains(&name) {
                found.push(name);
            }
            i += matched;
        } else {
            i += 1;
        }
    }
    found
}

/// A topic phrase found in a text: its folding key and the words as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicPhrase {
    /// The phrase with its head noun in the singular: `tutor copilot`.
    pub key: String,
    /// The phrase as written, lower case: `tutor copilots`.
    pub text: String,
}

/// The noun phrases of `text` that can be topics, repeats included: every 1–3-word
/// run of content words (no stop word, digit or amount) inside one clause that reads
/// as a noun phrase, by the words' most common use in English ([`crate::lexicon`]):
///
/// - the last word, the head, is a noun (`moratoriums`, `records`), or a word English
///   dictionaries do not know (`stablecoins`); a verb's base form after an adjective
///   is used as a noun (`sovereign compute`);
/// - every word before it is a noun or an adjective (`existing tooling`), never a
///   verb (`copied core features`, `rank apprenticeship marketplaces` when `rank` is
///   read as a verb) or an adverb (`cooperating fully`);
/// - a single word is a topic only when dictionaries do not know it (`stablecoins`):
///   a one-word common noun (`news`, `work`, `data`) is a word, not a topic;
/// - a capitalised word is part of a name, not of a phrase, unless it starts a
///   sentence and is an English word, or is an acronym (`AI literacy mandates`; an
///   acronym never heads a phrase).
pub fn topic_phrases(text: &str) -> Vec<TopicPhrase> {
    let words = words(text);
    let mut phrases = Vec::new();
    let mut clause: Vec<String> = Vec::new();
    let mut flush = |clause: &mut Vec<String>| {
        let readings: Vec<_> = clause.iter().map(|w| reading(w)).collect();
        // A gerund inside a phrase modifies what follows (`exam proctoring bans`); at
        // its start it is a verb (`pitching apprenticeship marketplaces`).
        let modifier = |i: usize, start: usize| {
            (i > start && clause[i].ends_with("ing"))
                || is_acronym(&clause[i])
                || readings[i].map_or(!clause[i].ends_with("ly"), |r| r.is_modifier())
                    && !crate::lexicon::is_comparative(&clause[i])
                    && !is_number_word(&clause[i])
        };
        for end in 0..clause.len() {
            if is_acronym(&clause[end]) {
                continue;
            }
            let head = readings[end];
            for len in 1..=MAX_PHRASE_WORDS.min(end + 1) {
                let start = end + 1 - len;
                let head_ok = match head {
                    None => clause[end].chars().filter(|c| c.is_alphabetic()).count() >= 3,
                    Some(_) if len == 1 => false,
                    Some(r) => {
                        // After an adjective, a word that can be a noun is one
                        // (`clinical scribes`), and so is a verb's base form
                        // (`sovereign compute`).
                        let after_adjective =
                            reading(&clause[end - 1]).is_some_and(|p| p.is_adjective());
                        // A word read as a noun at least half as often as a verb
                        // heads a compound (`exam proctoring bans`); one read
                        // mostly as a verb ends a clause (`sales teams start`).
                        let compound =
                            r.noun > 0 && 2 * r.noun > r.verb && r.noun >= r.adv && r.noun >= r.adj;
                        r.is_noun()
                            || compound
                            || (after_adjective
                                && (r.noun > 0
                                    || (r.verb > 0 && crate::lexicon::is_lemma(&clause[end]))))
                    }
                };
                // The phrase ends where the noun phrase ends: not before a noun
                // (`rank synthetic patient` in `… patient records`).
                let continues = readings
                    .get(end + 1)
                    .is_some_and(|next| next.is_some_and(|r| r.is_noun()));
                if continues || !head_ok || !(start..end).all(|i| modifier(i, start)) {
                    continue;
                }
                let mut key: Vec<String> = clause[start..end]
                    .iter()
                    .map(|w| w.to_lowercase())
                    .collect();
                key.push(singular(&clause[end]));
                phrases.push(TopicPhrase {
                    key: key.join(" "),
                    text: clause[start..=end].join(" "),
                });
            }
        }
        clause.clear();
    };
    for word in words {
        let lower = word.text.to_lowercase();
        let usable = lower.chars().any(char::is_alphabetic)
            && !lower.chars().any(|c| c.is_numeric())
            && !is_amount(&lower)
            && !is_stop_word(&lower)
            && (!is_capitalised(word.text)
                || is_acronym(word.text)
                || (word.sentence_start && reading(&lower).is_some()));
        if usable {
            clause.push(if is_acronym(word.text) {
                word.text.to_string()
            } else {
                lower
            });
        } else {
            flush(&mut clause);
        }
        if word.ends_clause {
            flush(&mut clause);
        }
    }
    flush(&mut clause);
    phrases
}

/// English number words and quantifiers (`three`, `dozens`, `several`): they count a
/// noun phrase's things, they do not name a topic.
fn is_number_word(word: &str) -> bool {
    const WORDS: &[&str] = &[
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "twenty",
        "thirty",
        "forty",
        "fifty",
        "hundred",
        "hundreds",
        "thousand",
        "thousands",
        "million",
        "millions",
        "billion",
        "billions",
        "dozen",
        "dozens",
        "several",
        "multiple",
        "numerous",
        "various",
        "second",
        "third",
        "fourth",
        "fifth",
        "half",
        "double",
        "triple",
        "single",
    ];
    WORDS.contains(&word)
}

/// An acronym written in capitals (`AI`, `GPU`, `EV`): part of a phrase, not a name.
fn is_acronym(token: &str) -> bool {
    (2..=5).contains(&token.len()) && token.chars().all(|c| c.is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_discovered_in_running_text() {
        let body = "Kestwick Energy is cutting 1387 jobs to fund Sanderling Grid 3. \
                    “Smaller is better,” said Anders Obradovic, Hollowell Utilities' head of research. \
                    Silverbirch Compute released Mirfak 3.4 v0.2.7, the first release. \
                    Regulators in Canada opened a probe. Only a week earlier, nothing.";
        assert_eq!(
            discover_names(body),
            [
                "Kestwick Energy",
                "Sanderling Grid 3",
                "Anders Obradovic",
                "Hollowell Utilities",
                "Silverbirch Compute",
                "Mirfak 3.4",
                "Canada"
            ]
        );
        assert_eq!(
            discover_names("In 2026 Felsworth Therapeutics grew."),
            ["Felsworth Therapeutics"]
        );
        assert_eq!(
            discover_names("On Monday Felsworth Therapeutics said so, in September."),
            ["Felsworth Therapeutics"]
        );
        assert_eq!(
            discover_names("Embergate Tutors signed a $260M deal with Stonemere Capital."),
            ["Embergate Tutors", "Stonemere Capital"]
        );
    }

    #[test]
    fn known_names_are_found_in_titles_by_longest_match() {
        let vocabulary: HashSet<String> = [
            "Embergate Tutors",
            "Stonemere Capital",
            "Stonemere",
            "Meritto",
        ]
        .into_iter()
        .map(String::from)
        .collect();
        assert_eq!(
            find_names(
                "Embergate Tutors Wins $260M Contract From Stonemere Capital",
                &vocabulary
            ),
            ["Embergate Tutors", "Stonemere Capital"]
        );
        assert_eq!(
            find_names("Meritto files. Stonemere, Meritto again", &vocabulary),
            ["Meritto", "Stonemere"]
        );
        assert!(
            find_names("embergate tutors", &vocabulary).is_empty(),
            "case matters"
        );
    }

    #[test]
    fn topic_phrases_are_noun_phrases() {
        let keys = |text: &str| -> Vec<String> {
            topic_phrases(text).into_iter().map(|p| p.key).collect()
        };
        let found = keys(
            "Rivals will read it through the lens of data center moratoriums, again. \
             The company expects tutor copilots came back; it is cooperating fully. \
             Sovereign compute and stablecoins lead; buyers copied core features.",
        );
        assert!(
            !found.contains(&"data center".to_string()),
            "the noun phrase runs on: {found:?}"
        );
        for expected in [
            "data center moratorium",
            "tutor copilot",
            "sovereign compute",
            "stablecoin",
            "core feature",
        ] {
            assert!(
                found.contains(&expected.to_string()),
                "{expected}: {found:?}"
            );
        }
        for fragment in [
            "company expects",
            "tutor copilots came",
            "copilots came",
            "cooperating fully",
            "copied core features",
            "company",
            "lens",
            "rivals",
            "buyers",
        ] {
            let fragment_key = fragment.to_string();
            assert!(
                !found.contains(&fragment_key)
                    && !topic_phrases("x").iter().any(|p| p.text == fragment),
                "{fragment}: {found:?}"
            );
            assert!(
                !topic_phrases("The company expects tutor copilots came back; cooperating fully. Buyers copied core features.")
                    .iter()
                    .any(|p| p.text == fragment),
                "{fragment}"
            );
        }
        let texts = |text: &str| -> Vec<String> {
            topic_phrases(text).into_iter().map(|p| p.text).collect()
        };
        assert!(texts("cut 48% of 1387 grid batteries")
            .iter()
            .all(|p| !p.contains("48") && !p.contains("of")));
        assert!(
            texts("data moratoriums. Grid batteries")
                .iter()
                .all(|p| p != "moratoriums grid"),
            "no phrase across a clause"
        );
        assert!(texts("grid-scale batteries").contains(&"grid-scale batteries".to_string()));
        let phrase = topic_phrases("tutor copilots")
            .into_iter()
            .find(|p| p.key == "tutor copilot")
            .unwrap();
        assert_eq!(phrase.text, "tutor copilots");
    }
}
