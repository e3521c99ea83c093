//! The tantivy analyzers every part of backissue reads text with, so that the index,
//! the snippets, the facets and event grouping all split and stem words alike.

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    StopWordFilter, TextAnalyzer,
};

use crate::stop_words::{stop_words, Tier};

/// Lowercased, ASCII-folded, Porter2-stemmed words of at most 40 bytes: the keyword
/// index's text fields.
pub fn english_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// The English analyzer without the stop words of `tier`: the content words two texts
/// are compared by.
pub fn content_analyzer(tier: Tier) -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(StopWordFilter::remove(stop_words(tier).map(str::to_string)))
        .filter(Stemmer::new(Language::English))
        .build()
}
