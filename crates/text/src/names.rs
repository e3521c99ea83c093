//! Names kept whole: `GPT-4o`, `Holotron-12B`, `$40B`, `₹250Cr`, `v0.5.0`.
//!
//! The English analyzer splits `Holotron-12B` into `holotron` and `12b` and `$40B`
//! into `40b`, so a search for the model or the amount also matches every text that
//! mentions a `12B` model or `40` anything. The `names` field keeps such tokens whole:
//! text is split on whitespace (and dashes used as punctuation), surrounding
//! punctuation and a possessive `'s` are stripped, and the rest is lowercased.
//!
//! The same splitting finds the names that event grouping compares ([`is_name_like`]).

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// The name the names tokenizer is registered under in every index.
pub const NAMES_TOKENIZER: &str = "backissue_names";

/// Characters stripped from the start of a token.
const LEADING: &[char] = &['(', '[', '{', '"', '\'', '“', '‘', '«', '*', '_'];
/// Characters stripped from the end of a token.
const TRAILING: &[char] = &[
    '.', ',', ';', ':', '!', '?', ')', ']', '}', '"', '\'', '”', '’', '»', '…', '*', '_',
];

/// A piece of text that the names tokenizer keeps as one token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawToken<'a> {
    /// The token as written, punctuation stripped (not lowercased).
    pub text: &'a str,
    /// Byte offset of the token in the text.
    pub start: usize,
    /// Whether the token begins a sentence (first token, or after `.`, `!`, `?`, `:`).
    pub sentence_start: bool,
}

/// Splits `text` into whole tokens, as the `names` field indexes them (before lowercasing).
pub fn raw_tokens(text: &str) -> Vec<RawToken<'_>> {
    let mut tokens = Vec::new();
    let mut sentence_start = true;
    let mut start = None;
    let mut pieces = Vec::new();
    for (i, c) in text.char_indices() {
        let separator = c.is_whitespace() || c == '—' || c == '–';
        match (separator, start) {
            (true, Some(from)) => {
                pieces.push((from, i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(from) = start {
        pieces.push((from, text.len()));
    }
    for (from, to) in pieces {
        let piece = &text[from..to];
        let ends_sentence = piece
            .trim_end_matches(['"', '\'', '”', '’', ')'])
            .ends_with(['.', '!', '?', ':']);
        if let Some((offset, token)) = trim(piece) {
            tokens.push(RawToken {
                text: &text[from + offset..from + offset + token.len()],
                start: from + offset,
                sentence_start,
            });
            sentence_start = false;
        }
        if ends_sentence {
            sentence_start = true;
        }
    }
    tokens
}

/// Strips punctuation around `piece` and a trailing possessive; returns the offset
/// of what is left inside `piece`, and what is left, if anything is.
fn trim(piece: &str) -> Option<(usize, &str)> {
    let mut token = piece.trim_start_matches(LEADING);
    let offset = piece.len() - token.len();
    loop {
        let before = token.len();
        token = token.trim_end_matches(TRAILING);
        for possessive in ["'s", "’s", "'S", "’S"] {
            if let Some(stem) = token.strip_suffix(possessive) {
                if !stem.is_empty() {
                    token = stem;
                }
            }
        }
        if token.len() == before {
            break;
        }
    }
    (!token.is_empty()).then_some((offset, token))
}

/// Whether a token as written looks like a name rather than an ordinary word:
/// it holds a digit or a currency sign (`$40B`, `v0.5.0`), or a capital after its
/// first character (`SoftBank`, `IPO`), or it is capitalised and does not begin a
/// sentence (`Meritto` in the middle of a paragraph).
pub fn is_name_like(token: &RawToken<'_>) -> bool {
    let mut chars = token.text.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if token
        .text
        .chars()
        .any(|c| c.is_numeric() || matches!(c, '$' | '€' | '£' | '₹' | '¥' | '₩'))
    {
        return true;
    }
    if chars.any(char::is_uppercase) {
        return true;
    }
    first.is_uppercase() && !token.sentence_start
}

/// The tantivy tokenizer of the `names` field.
#[derive(Debug, Clone, Default)]
pub struct NamesTokenizer {
    token: Token,
}

/// The token stream of [`NamesTokenizer`].
pub struct NamesTokenStream<'a> {
    tokens: std::vec::IntoIter<RawToken<'a>>,
    token: &'a mut Token,
}

impl Tokenizer for NamesTokenizer {
    type TokenStream<'a> = NamesTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> NamesTokenStream<'a> {
        self.token.reset();
        NamesTokenStream {
            tokens: raw_tokens(text).into_iter(),
            token: &mut self.token,
        }
    }
}

impl TokenStream for NamesTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let Some(raw) = self.tokens.next() else {
            return false;
        };
        self.token.position = self.token.position.wrapping_add(1);
        self.token.offset_from = raw.start;
        self.token.offset_to = raw.start + raw.text.len();
        self.token.text.clear();
        self.token
            .text
            .extend(raw.text.chars().flat_map(char::to_lowercase));
        true
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<String> {
        let mut tokenizer = NamesTokenizer::default();
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while let Some(token) = stream.next() {
            assert_eq!(
                text[token.offset_from..token.offset_to].to_lowercase(),
                token.text,
                "offsets point at the token"
            );
            out.push(token.text.clone());
        }
        out
    }

    #[test]
    fn names_stay_whole_and_lowercased() {
        assert_eq!(
            tokens("GPT-4o beats Holotron-12B, says v0.5.0 (of LeRobot)."),
            [
                "gpt-4o",
                "beats",
                "holotron-12b",
                "says",
                "v0.5.0",
                "of",
                "lerobot"
            ]
        );
        assert_eq!(
            tokens("SoftBank's $40B loan; Info Edge commits ₹250Cr!"),
            ["softbank", "$40b", "loan", "info", "edge", "commits", "₹250cr"]
        );
        assert_eq!(
            tokens("a $10-14B IPO—the 'thinking trace'"),
            ["a", "$10-14b", "ipo", "the", "thinking", "trace"]
        );
        assert_eq!(tokens("  ... \n"), Vec::<String>::new());
        assert_eq!(tokens("“Quoted” words…"), ["quoted", "words"]);
    }

    #[test]
    fn positions_count_up_from_zero() {
        let mut tokenizer = NamesTokenizer::default();
        let mut stream = tokenizer.token_stream("one two");
        assert!(stream.advance());
        assert_eq!(stream.token().position, 0);
        assert!(stream.advance());
        assert_eq!(stream.token().position, 1);
        assert!(!stream.advance());
    }

    #[test]
    fn name_likeness() {
        let names: Vec<&str> = raw_tokens(
            "Banks lend to SoftBank. Meritto got SEBI approval for $40B in 2026 via Goldman Sachs.",
        )
        .into_iter()
        .filter(is_name_like)
        .map(|t| t.text)
        .collect();
        assert_eq!(
            names,
            ["SoftBank", "SEBI", "$40B", "2026", "Goldman", "Sachs"]
        );
    }
}
