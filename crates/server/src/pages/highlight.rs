//! The one renderer of the engine's marked text.
//!
//! The engine returns a hit's title and snippet as [`Marked`]: plain text and the
//! byte ranges the query matched, no markup. [`highlighted`] turns it into maud
//! markup, the text escaped by maud and each matched range in `<mark>`, so the only
//! tag that reaches a page is the `<mark>` written here. The JSON API and the CLI's
//! `--json` send the same rendering as strings ([`marked_html`], `title_html` and
//! `snippet`), so there is one escaper for every place a mark is shown as HTML.

use backissue_engine::search::{Marked, SearchResponse};
use maud::{html, Markup};

/// `marked` as markup: the text escaped, the matched words in `<mark>`.
pub fn highlighted(marked: &Marked) -> Markup {
    html! {
        @for (piece, is_marked) in marked.pieces() {
            @if is_marked {
                mark { (piece) }
            } @else {
                (piece)
            }
        }
    }
}

/// `marked` as an HTML string, as the JSON API sends titles and snippets.
pub fn marked_html(marked: &Marked) -> String {
    highlighted(marked).into_string()
}

/// A search answer as the JSON API and `backissue search --json` send it: titles
/// and snippets rendered by [`marked_html`].
pub fn html_answer(response: SearchResponse) -> SearchResponse<String> {
    response.map_marked(|marked| marked_html(&marked))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(text: &str, marks: &[std::ops::Range<usize>]) -> Marked {
        Marked {
            text: text.to_string(),
            marks: marks.to_vec(),
        }
    }

    #[test]
    fn text_is_escaped_and_only_the_ranges_are_marked() {
        let text = "Robots <b>& robotic</b>: SoftBank's $40B loan";
        let at = |word: &str| {
            let start = text.find(word).unwrap();
            start..start + word.len()
        };
        assert_eq!(
            marked_html(&marked(text, &[at("Robots"), at("robotic"), at("$40B")])),
            "<mark>Robots</mark> &lt;b&gt;&amp; <mark>robotic</mark>&lt;/b&gt;: SoftBank's <mark>$40B</mark> loan"
        );
    }

    #[test]
    fn unmarked_text_and_bad_ranges_come_out_as_escaped_text() {
        assert_eq!(
            marked_html(&Marked::plain("a <script>")),
            "a &lt;script&gt;"
        );
        // A range out of the text or overlapping the previous one is ignored.
        assert_eq!(
            marked_html(&marked("abc", &[0..1, 0..2, 2..9])),
            "<mark>a</mark>bc"
        );
        assert_eq!(marked_html(&Marked::default()), "");
    }
}
