//! Titles compared as a reader compares them: the same words, whatever the
//! punctuation and case. Search folds a query that is a title onto its story, and the
//! resources catalog folds the same work featured under two spellings.

/// A title normalised for comparison: lower case, every run of characters that are
/// not letters or digits (punctuation, spaces, dashes, quotes) one space, trimmed.
/// `Vector Search at Scale: From First Principles!` and `vector search at scale —
/// from first principles` are the same.
pub fn normalize_title(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    for word in title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn punctuation_case_and_spaces_fold() {
        assert_eq!(
            normalize_title("  Vector Search at Scale:  From First-Principles! "),
            "vector search at scale from first principles"
        );
        assert_eq!(normalize_title("Ünïcode — Ok"), "ünïcode ok");
        assert_eq!(normalize_title("?!"), "");
    }
}
