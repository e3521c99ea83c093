//! Snippets: the sentence of a hit that best shows why it matched, with the words
//! that matched marked ([`super::Marked`]: text and byte ranges; the caller renders).
//!
//! Words are marked the way they were matched: a token of the text is marked when
//! the English analyzer turns it into one of the query's stems (so `Robots` is
//! marked for `robot`), or when, kept whole, it is one of the query's exact names
//! (`$40B`). The engine writes no markup: the server escapes the text when it
//! renders the marks as HTML. A hit found only by meaning gets its sentence that shares the most
//! query words, unmarked (its match is not about those words), else its first.

use std::collections::HashSet;
use std::ops::Range;

use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
};

use super::Marked;
use crate::keyword::english_analyzer;
use backissue_text::names::raw_tokens;

/// Longest snippet, in characters, before it is cut around its first mark.
pub const SNIPPET_CHARS: usize = 240;

/// The analyzers snippets need: the index's English analyzer, and the same
/// without its stemmer. Cloned per query (an analyzer needs `&mut` to run).
#[derive(Clone)]
pub(crate) struct Analyzers {
    /// The titles' and bodies' analyzer (lowercase, ASCII folding, stemming).
    pub english: TextAnalyzer,
    /// The same, without stemming.
    folding: TextAnalyzer,
}

impl Analyzers {
    pub(crate) fn new() -> Self {
        Analyzers {
            english: english_analyzer(),
            folding: TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(RemoveLongFilter::limit(40))
                .filter(LowerCaser)
                .filter(AsciiFoldingFilter)
                .build(),
        }
    }

    /// The stem of one folded word.
    fn stem(&mut self, word: &str) -> Option<String> {
        let mut stream = self.english.token_stream(word);
        stream.next().map(|token| token.text.clone())
    }
}

/// What to mark.
pub(crate) struct Marks<'a> {
    /// Stems, as the English analyzer writes them.
    pub stems: &'a HashSet<String>,
    /// Whole lowercased tokens.
    pub names: &'a HashSet<String>,
}

impl Marks<'_> {
    /// The byte ranges of `text` to mark, sorted and not overlapping.
    ///
    /// Stemming is most of the cost of a snippet, and stemming only ever changes
    /// the end of a word, so only the words that begin with the first letter of
    /// one of the stems are stemmed.
    pub(crate) fn ranges(&self, text: &str, analyzers: &mut Analyzers) -> Vec<Range<usize>> {
        let mut ranges = Vec::new();
        let firsts: Vec<char> = self.stems.iter().filter_map(|s| s.chars().next()).collect();
        if !firsts.is_empty() {
            let mut candidates = Vec::new();
            {
                let mut stream = analyzers.folding.token_stream(text);
                while let Some(token) = stream.next() {
                    if token
                        .text
                        .chars()
                        .next()
                        .is_some_and(|c| firsts.contains(&c))
                    {
                        candidates.push((token.offset_from..token.offset_to, token.text.clone()));
                    }
                }
            }
            for (range, word) in candidates {
                if analyzers
                    .stem(&word)
                    .is_some_and(|stem| self.stems.contains(&stem))
                {
                    ranges.push(range);
                }
            }
        }
        if !self.names.is_empty() {
            for token in raw_tokens(text) {
                if self.names.contains(&token.text.to_lowercase()) {
                    ranges.push(token.start..token.start + token.text.len());
                }
            }
        }
        merge(ranges)
    }
}

/// The snippet of `text`: its sentence with the most distinct marked words (the
/// first on a tie, the first sentence when nothing is marked), with the next
/// sentence added while it fits, cut to [`SNIPPET_CHARS`] around the first mark.
/// With `marked` false the marks only choose the sentence and are not shown.
pub(crate) fn snippet(text: &str, ranges: &[Range<usize>], marked: bool) -> Marked {
    let sentences = sentences(text);
    let Some(best) = sentences
        .iter()
        .enumerate()
        .max_by_key(|(i, s)| (distinct_marks(text, s, ranges), std::cmp::Reverse(*i)))
        .map(|(i, _)| i)
    else {
        return Marked::default();
    };
    let mut range = sentences[best].clone();
    for next in &sentences[best + 1..] {
        if text[range.start..next.end].chars().count() > SNIPPET_CHARS {
            break;
        }
        range.end = next.end;
    }
    let range = cut(text, range, ranges);
    let mut out = String::new();
    if range.start > 0 && !starts_sentence(text, range.start) {
        out.push('…');
    }
    let shift = out.len();
    let marks: Vec<Range<usize>> = if marked {
        ranges
            .iter()
            .filter(|r| r.start >= range.start && r.end <= range.end)
            .map(|r| r.start - range.start + shift..r.end - range.start + shift)
            .collect()
    } else {
        Vec::new()
    };
    out.push_str(&text[range.clone()]);
    if range.end < text.len() && !text[..range.end].trim_end().ends_with(['.', '!', '?']) {
        out.push('…');
    }
    Marked { text: out, marks }
}

/// Sentence byte ranges of `text`, whitespace trimmed: split after `.`, `!`, `?` or a
/// line break followed by white space.
fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next_is_space = chars.peek().is_none_or(|(_, n)| n.is_whitespace());
        if c == '\n' || (matches!(c, '.' | '!' | '?') && next_is_space) {
            push_trimmed(text, start..i + c.len_utf8(), &mut out);
            start = i + c.len_utf8();
        }
    }
    push_trimmed(text, start..text.len(), &mut out);
    out
}

fn push_trimmed(text: &str, range: Range<usize>, out: &mut Vec<Range<usize>>) {
    let piece = &text[range.clone()];
    let start = range.start + (piece.len() - piece.trim_start().len());
    let end = range.start + piece.trim_end().len();
    if start < end {
        out.push(start..end);
    }
}

fn starts_sentence(text: &str, at: usize) -> bool {
    let before = text[..at].trim_end();
    before.is_empty() || before.ends_with(['.', '!', '?', '\n'])
}

/// How many different words are marked in `sentence`.
fn distinct_marks(text: &str, sentence: &Range<usize>, ranges: &[Range<usize>]) -> usize {
    let words: HashSet<String> = ranges
        .iter()
        .filter(|r| r.start >= sentence.start && r.end <= sentence.end)
        .map(|r| text[r.clone()].to_lowercase())
        .collect();
    words.len()
}

/// `range` cut to at most [`SNIPPET_CHARS`] characters, at word boundaries, keeping
/// the first mark inside it (a little context before it).
fn cut(text: &str, range: Range<usize>, ranges: &[Range<usize>]) -> Range<usize> {
    if text[range.clone()].chars().count() <= SNIPPET_CHARS {
        return range;
    }
    let first_mark = ranges
        .iter()
        .find(|r| r.start >= range.start && r.end <= range.end)
        .map_or(range.start, |r| r.start);
    // Up to a fifth of the snippet before the first mark.
    let start = text[range.start..first_mark]
        .char_indices()
        .rev()
        .take(SNIPPET_CHARS / 5)
        .last()
        .map_or(first_mark, |(i, _)| range.start + i);
    let start = word_start(text, start, range.start);
    let mut end = start;
    for (count, (i, c)) in text[start..range.end].char_indices().enumerate() {
        if count >= SNIPPET_CHARS {
            break;
        }
        end = start + i + c.len_utf8();
    }
    end = word_end(text, end, start);
    start..end
}

/// The start of the word `at` falls in (not before `floor`).
fn word_start(text: &str, at: usize, floor: usize) -> usize {
    if at == floor {
        return at;
    }
    match text[floor..at].rfind(char::is_whitespace) {
        Some(i) => floor + i + text[floor + i..].chars().next().map_or(1, char::len_utf8),
        None => floor,
    }
}

/// The end of the last whole word before `at` (not before `floor`).
fn word_end(text: &str, at: usize, floor: usize) -> usize {
    if at >= text.len() || text[at..].starts_with(char::is_whitespace) {
        return at;
    }
    match text[floor..at].rfind(char::is_whitespace) {
        Some(i) if i > 0 => floor + i,
        _ => at,
    }
}

/// Sorted ranges with overlaps joined.
fn merge(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    let mut out: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for range in ranges {
        match out.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => out.push(range),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marks(text: &str, stems: &[&str], names: &[&str]) -> Vec<Range<usize>> {
        let stems: HashSet<String> = stems.iter().map(|s| s.to_string()).collect();
        let names: HashSet<String> = names.iter().map(|s| s.to_string()).collect();
        Marks {
            stems: &stems,
            names: &names,
        }
        .ranges(text, &mut Analyzers::new())
    }

    #[test]
    fn stems_and_whole_names_are_marked_and_nothing_else() {
        let text = "Robots <b>& robotic</b>: SoftBank's $40B loan, not $40.";
        let marked = Marked {
            text: text.to_string(),
            marks: marks(text, &["robot"], &["$40b"]),
        };
        assert_eq!(
            marked.tagged(),
            "<mark>Robots</mark> <b>& <mark>robotic</mark></b>: SoftBank's <mark>$40B</mark> loan, not $40."
        );
    }

    #[test]
    fn the_best_sentence_is_chosen_and_marks_can_be_hidden() {
        let text =
            "Nothing here. The grid operators met. Grid operators and utilities weigh power.";
        let ranges = marks(text, &["grid", "oper", "util"], &[]);
        let marked = snippet(text, &ranges, true).tagged();
        assert!(
            marked
                .starts_with("<mark>Grid</mark> <mark>operators</mark> and <mark>utilities</mark>"),
            "{marked}"
        );
        let plain = snippet(text, &ranges, false);
        assert_eq!(
            plain,
            Marked::plain("Grid operators and utilities weigh power.")
        );
        assert_eq!(
            snippet(text, &[], false).text,
            text,
            "no marks: from the first sentence, all that fits"
        );
    }

    #[test]
    fn long_sentences_are_cut_around_the_first_mark() {
        let text = format!(
            "{} target word {}",
            "lead ".repeat(100),
            "tail ".repeat(100)
        );
        let ranges = marks(&text, &["target"], &[]);
        let out = snippet(&text, &ranges, true).tagged();
        assert!(out.contains("<mark>target</mark>"), "{out}");
        assert!(out.starts_with('…') && out.ends_with('…'), "{out}");
        assert!(
            out.chars().count() <= SNIPPET_CHARS + 2 + 13,
            "{}",
            out.chars().count()
        );
    }

    #[test]
    fn sentences_split_on_stops_followed_by_space() {
        let text = "Version v0.5.0 shipped. It works!\nNext line";
        let parts: Vec<&str> = sentences(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(parts, ["Version v0.5.0 shipped.", "It works!", "Next line"]);
        assert_eq!(snippet("", &[], true), Marked::default());
    }
}
