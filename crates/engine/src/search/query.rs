//! Reading the reader's query: words, `"quoted phrases"`, stop words, and whether
//! the last word is still being typed.
//!
//! Parsing never fails. A quote left open makes a phrase of the rest of the query
//! (the reader is still typing it); curly quotes count as quotes. Words are split as
//! the `names` field splits them (on spaces and dashes used as punctuation,
//! surrounding punctuation dropped), so `$40B`, `Holotron-12B` and `GPT-4` stay
//! whole. Stop words are dropped outside phrases, unless written in capitals (`US`,
//! `IT`), which makes them names.

use backissue_text::names::raw_tokens;
use backissue_text::stop_words::{self, Tier};

/// Most words of one query that are searched; the rest are ignored (with a note),
/// so a pasted paragraph costs no more than a long question.
pub const MAX_WORDS: usize = 32;

/// Whether the lowercased `word` is too common to say what a reader looks for: a
/// function word ([`Tier::Function`]).
pub(crate) fn is_stop_word(word: &str) -> bool {
    stop_words::is_stop_word(word, Tier::Function)
}

/// One word of the query outside quotes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct QueryWord {
    /// The word as typed, surrounding punctuation dropped.
    pub text: String,
    /// Lowercased: the `names` field's form.
    pub lower: String,
    /// Whether the reader may still be typing it (the query's last word, with no
    /// space after it): it then also matches the words it begins.
    pub prefix: bool,
    /// Position among all the words outside quotes, stop words included, so that
    /// words typed next to each other can be matched as a phrase.
    pub position: usize,
}

/// A query, read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ParsedQuery {
    /// The words outside quotes, stop words dropped, in order.
    pub words: Vec<QueryWord>,
    /// The texts inside quotes (an open quote runs to the end).
    pub phrases: Vec<String>,
    /// Whether words beyond [`MAX_WORDS`] were ignored.
    pub truncated: bool,
    /// Whether the query held words, but only stop words.
    pub only_stop_words: bool,
}

impl ParsedQuery {
    /// Whether there is nothing to match by words.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty() && self.phrases.iter().all(|p| p.trim().is_empty())
    }
}

/// Reads `query`; in a `question`, question filler (`happened`, `going`) is
/// dropped like a stop word.
pub(crate) fn parse(query: &str, question: bool) -> ParsedQuery {
    let mut parsed = ParsedQuery::default();
    let mut bare: Vec<String> = Vec::new();
    let mut position = 0usize;
    let mut saw_words = false;
    let mut ends_in_phrase = false;
    for (inside, segment) in segments(query) {
        if inside {
            if !segment.trim().is_empty() {
                parsed.phrases.push(segment.trim().to_string());
                saw_words = true;
            }
            ends_in_phrase = true;
            continue;
        }
        for token in raw_tokens(segment) {
            ends_in_phrase = false;
            saw_words = true;
            let lower = token.text.to_lowercase();
            let position_here = position;
            position += 1;
            let filler =
                is_stop_word(&lower) || (question && super::phrasing::is_question_filler(&lower));
            if filler && !is_capitals(token.text) {
                continue;
            }
            if parsed.words.len() == MAX_WORDS {
                parsed.truncated = true;
                continue;
            }
            bare.push(token.text.to_string());
            parsed.words.push(QueryWord {
                text: token.text.to_string(),
                lower,
                prefix: false,
                position: position_here,
            });
        }
        if !segment.trim().is_empty() {
            ends_in_phrase = false;
        }
    }
    let typing = !query.ends_with(char::is_whitespace) && !ends_in_phrase;
    if let (true, Some(last)) = (typing && !parsed.truncated, parsed.words.last_mut()) {
        let ends_with_last = query
            .trim_end_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase()
            .ends_with(&last.lower);
        last.prefix = ends_with_last && last.lower.chars().count() >= 2;
    }
    parsed.only_stop_words = saw_words && parsed.is_empty();
    parsed
}

/// Splits `query` into (inside quotes?, text) segments; an open quote runs to the end.
fn segments(query: &str) -> Vec<(bool, &str)> {
    let mut out = Vec::new();
    let mut inside = false;
    let mut start = 0;
    for (i, c) in query.char_indices() {
        if matches!(c, '"' | '“' | '”' | '„') {
            out.push((inside, &query[start..i]));
            inside = !inside;
            start = i + c.len_utf8();
        }
    }
    out.push((inside, &query[start..]));
    out
}

/// Whether `word` is written in capitals (`US`, `IT`): a name, not a stop word.
fn is_capitals(word: &str) -> bool {
    word.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && word.chars().all(|c| !c.is_alphabetic() || c.is_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(query: &str) -> ParsedQuery {
        super::parse(query, false)
    }

    fn words(parsed: &ParsedQuery) -> Vec<&str> {
        parsed.words.iter().map(|w| w.lower.as_str()).collect()
    }

    #[test]
    fn phrases_and_words_are_told_apart() {
        let parsed = parse(r#"outage "grid operators" at Ashgrove "#);
        assert_eq!(parsed.phrases, ["grid operators"]);
        assert_eq!(words(&parsed), ["outage", "ashgrove"]);
        assert!(parsed.words.iter().all(|w| !w.prefix), "ends with a space");
        let curly = parse("“sovereign compute” now");
        assert_eq!(curly.phrases, ["sovereign compute"]);
    }

    #[test]
    fn an_open_quote_runs_to_the_end() {
        let parsed = parse(r#"robots "work without the cloud"#);
        assert_eq!(parsed.phrases, ["work without the cloud"]);
        assert_eq!(words(&parsed), ["robots"]);
        assert!(
            !parsed.words[0].prefix,
            "the last thing typed is the phrase"
        );
        assert_eq!(parse(r#"""#), ParsedQuery::default());
    }

    #[test]
    fn the_last_word_is_a_prefix_until_a_space_follows() {
        let typing = parse("edge robo");
        assert!(typing.words[1].prefix && !typing.words[0].prefix);
        assert!(!parse("edge robo ").words[1].prefix);
        assert!(
            !parse("edge r").words[1].prefix,
            "one letter completes to too much"
        );
    }

    #[test]
    fn names_stay_whole() {
        let parsed = parse("SoftBank's $40B loan for Holotron-12B, GPT-4");
        assert_eq!(
            words(&parsed),
            ["softbank", "$40b", "loan", "holotron-12b", "gpt-4"]
        );
        assert_eq!(parsed.words[4].position, 5, "positions count the stop word");
    }

    #[test]
    fn stop_words_only_is_noted_and_capitals_are_names() {
        let parsed = parse("what is the");
        assert!(parsed.is_empty() && parsed.only_stop_words);
        assert!(!parse("").only_stop_words);
        assert!(!parse("   ").only_stop_words);
        assert_eq!(words(&parse("US banks")), ["us", "banks"]);
        assert_eq!(words(&parse("us banks")), ["banks"]);
        let question = super::parse(
            "what happened to Ashgrove's listing, did it go ahead?",
            true,
        );
        assert_eq!(words(&question), ["ashgrove", "listing", "ahead"]);
        assert_eq!(
            words(&parse("what happened to Ashgrove")),
            ["happened", "ashgrove"]
        );
    }

    #[test]
    fn long_queries_are_cut_at_max_words() {
        let text = "word ".repeat(MAX_WORDS + 5);
        let parsed = parse(&text);
        assert_eq!(parsed.words.len(), MAX_WORDS);
        assert!(parsed.truncated);
    }
}
