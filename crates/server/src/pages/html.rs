//! HTML by hand: escaping, the one sanitiser for the engine's marked-up snippets,
//! and query strings.
//!
//! Every page is built as a `String` with `write!`; nothing reaches it without going
//! through [`escape`] (text and attribute values alike: it escapes quotes too) or
//! [`marked`] (the engine's snippets and titles, which carry `<mark>`). Keeping the
//! whole rule in this file is what makes the pages safe to review.

use std::fmt::Write as _;

/// `text` with `& < > " '` escaped, safe in element content and in quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    escape_into(text, &mut out);
    out
}

/// Appends `text`, escaped, to `out`.
pub fn escape_into(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

/// The engine's marked-up text (`title_html`, `snippet`: escaped text with matched
/// words in `<mark>`) made safe: everything is escaped except exactly `<mark>` and
/// `</mark>`, which are kept balanced.
///
/// The input is already escaped, so escaping it again would show `&amp;` to the
/// reader. Instead it is read as marks and text, the text's entities are decoded,
/// and the text is escaped afresh: any other tag, however it got there, comes out
/// as visible text.
pub fn marked(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + 16);
    let mut open = false;
    let mut rest = html;
    while !rest.is_empty() {
        let next = [("<mark>", true), ("</mark>", false)]
            .into_iter()
            .filter_map(|(tag, opens)| rest.find(tag).map(|at| (at, tag, opens)))
            .min_by_key(|&(at, _, _)| at);
        let (text, tag) = match next {
            Some((at, tag, opens)) => (&rest[..at], Some((tag, opens))),
            None => (rest, None),
        };
        escape_into(&decode_entities(text), &mut out);
        match tag {
            Some((tag, opens)) => {
                if opens != open {
                    out.push_str(tag);
                    open = opens;
                }
                rest = &rest[text.len() + tag.len()..];
            }
            None => rest = "",
        }
    }
    if open {
        out.push_str("</mark>");
    }
    out
}

/// `text` with the entities an HTML escaper writes (`&amp; &lt; &gt; &quot; &#39;`
/// and numeric ones) decoded; anything else is left as it is.
fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let decoded = rest.find(';').filter(|&end| end <= 10).and_then(|end| {
            let c = match &rest[1..end] {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                name => numeric_entity(name),
            }?;
            Some((c, end + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// `#39` or `#x27` as a character.
fn numeric_entity(name: &str) -> Option<char> {
    let digits = name.strip_prefix('#')?;
    let code = match digits.strip_prefix(['x', 'X']) {
        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
        None => digits.parse().ok()?,
    };
    char::from_u32(code)
}

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
    fn escaping_covers_text_and_attributes() {
        assert_eq!(
            escape(r#"<script>alert("x")</script> & 'y'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
    }

    #[test]
    fn snippets_keep_only_marks() {
        let engine = "Banks &amp; <mark>SoftBank</mark> lend &lt;b&gt;$40B&lt;/b&gt;";
        assert_eq!(
            marked(engine),
            "Banks &amp; <mark>SoftBank</mark> lend &lt;b&gt;$40B&lt;/b&gt;"
        );
        // Raw tags that slipped through are shown, not run.
        assert_eq!(
            marked(r#"<script>x()</script><mark onclick="y">z</mark><b>w"#),
            // (the `</mark>` closes nothing, so it goes)
            "&lt;script&gt;x()&lt;/script&gt;&lt;mark onclick=&quot;y&quot;&gt;z&lt;b&gt;w"
        );
        // Unbalanced marks are balanced; stray closers dropped.
        assert_eq!(marked("</mark>a<mark>b"), "a<mark>b</mark>");
        assert_eq!(marked("<mark><mark>a</mark>"), "<mark>a</mark>");
        // An entity-looking text that is not one stays literal.
        assert_eq!(marked("R&D; AT&T &#xZZ;"), "R&amp;D; AT&amp;T &amp;#xZZ;");
        assert_eq!(marked("it&#39;s &#x3C;"), "it&#39;s &lt;");
    }

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
    }
}
