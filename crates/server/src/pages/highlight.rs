//! The one reader of the engine's highlighted text.
//!
//! The engine returns a hit's title and snippet as HTML (`Hit::title_html`,
//! `Hit::snippet`): escaped text with the matched words in `<mark>`. Pages never
//! splice that string as HTML. [`highlighted`] reads it into runs of plain and
//! marked text and lets maud escape each run, so the only tag that reaches a page is
//! the `<mark>` it writes itself.
//!
//! Every highlighted string goes through [`highlighted`]: when the engine returns
//! plain text and highlight ranges instead, this file is the only one to change.

use maud::{html, Markup};

/// The engine's highlighted text (`title_html`, `snippet`) as markup: the text shown
/// as text, the matched words in `<mark>`.
///
/// The input is already escaped, so splicing it as text would show `&amp;` to the
/// reader, and splicing it as HTML would trust whatever tags it holds. Instead only
/// exactly `<mark>` and `</mark>` are read as tags (kept balanced: a stray closer is
/// dropped, an unclosed mark is closed); the text between them has its entities
/// decoded and is escaped afresh by maud. Any other tag, however it got there,
/// comes out as visible text.
pub fn highlighted(html_from_engine: &str) -> Markup {
    html! {
        @for run in runs(html_from_engine) {
            @if run.marked {
                mark { (run.text) }
            } @else {
                (run.text)
            }
        }
    }
}

/// A stretch of text, plain or matched.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Run {
    /// Whether the engine marked it as matching the query.
    marked: bool,
    /// The text, entities decoded.
    text: String,
}

/// `html` as runs of text: a new run starts at every `<mark>` that opens and every
/// `</mark>` that closes; a tag that changes nothing is dropped.
fn runs(html: &str) -> Vec<Run> {
    let mut runs = Vec::new();
    let mut marked = false;
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
        if !text.is_empty() {
            match runs.last_mut() {
                Some(Run { marked: m, text: t }) if *m == marked => {
                    t.push_str(&decode_entities(text))
                }
                _ => runs.push(Run {
                    marked,
                    text: decode_entities(text),
                }),
            }
        }
        rest = &rest[text.len()..];
        if let Some((tag, opens)) = tag {
            if opens != marked {
                marked = opens;
                if opens {
                    // A mark opens a run of its own, even next to another mark.
                    runs.push(Run {
                        marked,
                        text: String::new(),
                    });
                }
            }
            rest = &rest[tag.len()..];
        }
    }
    runs
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

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(html: &str) -> String {
        highlighted(html).into_string()
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
        assert_eq!(
            marked("<mark>a</mark><mark>b</mark>c"),
            "<mark>a</mark><mark>b</mark>c"
        );
        // An entity-looking text that is not one stays literal.
        assert_eq!(marked("R&D; AT&T &#xZZ;"), "R&amp;D; AT&amp;T &amp;#xZZ;");
        // maud leaves `'` as it is: safe, since it always quotes attributes with `"`.
        assert_eq!(marked("it&#39;s &#x3C;"), "it's &lt;");
    }
}
