//! The one list of English stop words, in three tiers, because what is "too common to
//! mean anything" depends on the use:
//!
//! - [`Tier::Function`]: function words (`the`, `of`, `which`). A reader's query drops
//!   only these: `new`, `first` or `under` may be what the reader looks for.
//! - [`Tier::Common`]: also common adverbs, quantifiers and prepositions (`more`,
//!   `over`, `new`). Telling whether two stories report the same news ignores these.
//! - [`Tier::News`]: also the newsroom's filler (`said`, `week`, `first`, `later`).
//!   Topic phrases never start, end or sit inside one, and names are trimmed of them.
//!
//! Each tier holds the ones before it, so a word is written once, at the tier where it
//! stops carrying meaning.

use std::collections::HashMap;
use std::sync::OnceLock;

/// How widely a use of the list ignores words; each tier holds the ones before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tier {
    /// Function words only: what a reader's query drops.
    Function,
    /// Function words and common adverbs, quantifiers and prepositions: what the
    /// comparison of two stories' words ignores.
    Common,
    /// All of the above and the newsroom's filler: what topic phrases never contain.
    News,
}

const FUNCTION: &[&str] = &[
    "a", "about", "after", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be",
    "been", "being", "but", "by", "can", "could", "did", "do", "does", "for", "from", "had", "has",
    "have", "he", "her", "his", "how", "i", "if", "in", "into", "is", "it", "its", "me", "my",
    "no", "not", "of", "on", "or", "our", "she", "should", "so", "some", "such", "than", "that",
    "the", "their", "them", "then", "there", "these", "they", "this", "those", "to", "us", "was",
    "we", "were", "what", "when", "where", "which", "who", "whom", "why", "will", "with", "would",
    "you", "your",
];

const COMMON: &[&str] = &[
    "above", "across", "again", "against", "because", "before", "between", "both", "doing", "down",
    "during", "each", "even", "every", "few", "further", "having", "here", "hers", "him", "itself",
    "just", "less", "may", "more", "most", "much", "must", "new", "nor", "now", "off", "once",
    "one", "only", "other", "out", "over", "own", "rather", "same", "through", "too", "under",
    "until", "up", "upon", "very", "via", "while", "within", "without", "yet",
];

const NEWS: &[&str] = &[
    "ago", "amid", "among", "another", "around", "back", "behind", "below", "earlier", "either",
    "ever", "first", "get", "gets", "got", "however", "last", "later", "least", "like", "many",
    "might", "near", "next", "onto", "others", "per", "said", "say", "says", "since", "still",
    "though", "toward", "towards", "two", "week", "weeks", "well", "whether", "whose",
];

fn table() -> &'static HashMap<&'static str, Tier> {
    static TABLE: OnceLock<HashMap<&'static str, Tier>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let tiers = [
            (FUNCTION, Tier::Function),
            (COMMON, Tier::Common),
            (NEWS, Tier::News),
        ];
        tiers
            .into_iter()
            .flat_map(|(words, tier)| words.iter().map(move |w| (*w, tier)))
            .collect()
    })
}

/// Whether the lower-case `word` is a stop word for a use that ignores `tier`.
pub fn is_stop_word(word: &str, tier: Tier) -> bool {
    table().get(word).is_some_and(|&t| t <= tier)
}

/// Every stop word of `tier` (and the tiers before it), for analyzers that filter a
/// token stream.
pub fn stop_words(tier: Tier) -> impl Iterator<Item = &'static str> {
    table()
        .iter()
        .filter(move |(_, &t)| t <= tier)
        .map(|(w, _)| *w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_word_is_written_once() {
        let all = FUNCTION.len() + COMMON.len() + NEWS.len();
        assert_eq!(table().len(), all, "a word appears in two tiers");
    }

    #[test]
    fn tiers_hold_the_ones_before_them() {
        assert!(is_stop_word("the", Tier::Function));
        assert!(is_stop_word("the", Tier::News));
        assert!(!is_stop_word("new", Tier::Function));
        assert!(is_stop_word("new", Tier::Common));
        assert!(!is_stop_word("said", Tier::Common));
        assert!(is_stop_word("said", Tier::News));
        assert!(!is_stop_word("model", Tier::News));
        assert_eq!(stop_words(Tier::Function).count(), FUNCTION.len());
        assert_eq!(
            stop_words(Tier::News).count(),
            FUNCTION.len() + COMMON.len() + NEWS.len()
        );
    }
}
