//! Links: percent-encoding, the paths of stories and issues, and query strings.
//!
//! These build URLs, not HTML: the templates splice them into `href`s, where maud
//! escapes them like any other value.

use std::fmt::Write as _;

/// `text` percent-encoded for a query-string value or a path segment (RFC 3986
/// unreserved characters stay as they are).
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// A story id as a URL path: its `/` stay (ids are meant to be readable in a URL),
/// everything else unusual is encoded.
pub fn story_path(id: &str) -> String {
    let segments: Vec<String> = id.split('/').map(encode).collect();
    format!("/stories/{}", segments.join("/"))
}

/// An issue id as a URL path.
pub fn issue_path(id: &str) -> String {
    format!("/issues/{}", encode(id))
}

/// Builds a query string from pairs, skipping empty values.
pub fn query_string<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let encoded: Vec<String> = pairs
        .into_iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(key, value)| format!("{}={}", encode(key), encode(value)))
        .collect();
    encoded.join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_strings_round_trip() {
        // Links are read back by the one reader of query strings, the API's.
        let built = query_string([("q", "a&b c"), ("mode", ""), ("sector", "É")]);
        assert_eq!(built, "q=a%26b%20c&sector=%C3%89");
        let pairs = crate::params::QueryPairs::parse(&built).unwrap();
        assert_eq!(pairs.one("q").unwrap(), Some("a&b c"));
        assert_eq!(pairs.list("sector"), ["É"]);
        assert_eq!(story_path("2026-03-27/top/2"), "/stories/2026-03-27/top/2");
        assert_eq!(story_path("a b/c"), "/stories/a%20b/c");
        assert_eq!(issue_path("2026-03-27"), "/issues/2026-03-27");
    }
}
