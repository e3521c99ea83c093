//! The search page: a GET form that works without JavaScript, the hits with their
//! highlighted snippets, facet counts as links that add or remove a filter, and
//! pagination. `assets/search.js` enhances it (results as you type) through
//! `/api/search`, keeping the same URLs, so a reload or a shared link shows the
//! same page.

use backissue_engine::search::{FacetCount, Hit, SearchResponse};
use backissue_issue::id::slug;
use maud::{html, Markup};

use super::highlight::highlighted;
use super::labels::{date_link, section_label};
use super::urls::story_path;

mod form;

pub use form::SearchForm;

/// Hits per page.
pub const PAGE_SIZE: usize = 10;

/// Most facet values shown per facet (the most frequent).
const FACET_VALUES: usize = 8;

/// The filter parameters of the page and the API, with their headings, in the order
/// the facets are shown.
pub const FILTERS: [(&str, &str); 6] = [
    ("sector", "Sector"),
    ("region", "Region"),
    ("section", "Section"),
    ("level", "Level"),
    ("kind", "Resource kind"),
    ("source", "Source"),
];

/// The match modes: value, label, and what the label's tooltip says.
const MODES: [(&str, &str, &str); 3] = [
    ("keyword", "Words", "the words, in any form, typos forgiven"),
    (
        "semantic",
        "Meaning",
        "stories close in meaning, even without the words",
    ),
    ("hybrid", "Both", "words and meaning, fused"),
];

/// The orders: value and label.
const SORTS: [(&str, &str); 3] = [
    ("relevance", "Best match"),
    ("newest", "Newest"),
    ("oldest", "Oldest"),
];

/// The whole `<main>` of the search page: the form, then the results (or `error`,
/// a message about the request, or nothing before a search).
pub fn render(form: &SearchForm, response: Option<&SearchResponse>, error: Option<&str>) -> Markup {
    html! {
        (render_form(form))
        div id="results" aria-live="polite" {
            @if let Some(error) = error {
                p class="notice error" role="alert" { (error) }
            } @else if let Some(response) = response {
                (render_results(form, response))
            }
        }
    }
}

fn render_form(form: &SearchForm) -> Markup {
    html! {
        form id="search-form" class="search" action="/search" method="get" role="search" {
            label for="q" class="big-label" { "Search the back issues" }
            div class="searchbar" {
                input type="search" id="q" name="q" value=(form.q)
                    placeholder="robots that work without the cloud" autocomplete="off"
                    maxlength="1000";
                button type="submit" { "Search" }
            }
            div class="options" {
                fieldset class="modes" {
                    legend { "Match" }
                    @for (mode, label, title) in MODES {
                        label title=(title) {
                            input type="radio" name="mode" value=(mode) checked[form.mode == mode];
                            " " (label)
                        }
                    }
                }
                label {
                    "Order "
                    select name="sort" {
                        @for (sort, label) in SORTS {
                            option value=(sort) selected[form.sort == sort] { (label) }
                        }
                    }
                }
                label { "From " input type="date" name="from" value=(form.from); }
                label { "To " input type="date" name="to" value=(form.to); }
            }
            // The active filters ride along with the form, so a new query keeps them.
            @for (key, value) in &form.filters {
                input type="hidden" name=(key) value=(value);
            }
        }
    }
}

fn render_results(form: &SearchForm, response: &SearchResponse) -> Markup {
    html! {
        p class="summary" { (summary(form, response)) }
        @if !form.filters.is_empty() {
            ul class="chips" aria-label="Active filters" {
                @for (key, value) in &form.filters {
                    li {
                        a href=(form.toggled(key, value).href()) data-nav {
                            (filter_heading(key)) ": " (filter_label(response, key, value)) " "
                            span aria-hidden="true" { "×" }
                            span class="vh" { " (remove)" }
                        }
                    }
                }
            }
        }
        @for correction in &response.corrections {
            p class="notice" {
                "No document has “" (correction.from) "”; searched for "
                (quoted(&correction.to)) " instead."
            }
        }
        @for suggestion in &response.suggestions {
            p class="notice" {
                "No document has “" (suggestion.from) "”. Did you mean "
                @for (n, word) in suggestion.to.iter().enumerate() {
                    @if n > 0 { ", " }
                    @let instead = SearchForm {
                        q: form.q.replace(&suggestion.from, word),
                        page: 1,
                        ..form.clone()
                    };
                    a href=(instead.href()) data-nav { (word) }
                }
                "?"
            }
        }
        @for note in &response.notes {
            p class="notice" { (note) }
        }
        div class="with-facets" {
            (render_facets(form, response))
            @if response.hits.is_empty() {
                p class="empty" {
                    "Nothing found. Try fewer words, another match mode, or fewer filters."
                }
            } @else {
                ol class="hits" start=(response.offset + 1) {
                    @for hit in &response.hits {
                        (render_hit(hit))
                    }
                }
            }
        }
        (render_pages(form, response.total))
    }
}

/// Words in quotes, `“a”, “b”`.
fn quoted(words: &[String]) -> String {
    words
        .iter()
        .map(|w| format!("“{w}”"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `12 results for “robots”`, `Newest stories`.
fn summary(form: &SearchForm, response: &SearchResponse) -> String {
    let count = match response.total {
        1 => "1 result".to_string(),
        n => format!("{n} results"),
    };
    if form.q.trim().is_empty() {
        format!("{count}, newest first")
    } else {
        format!("{count} for “{}”", form.q)
    }
}

fn render_facets(form: &SearchForm, response: &SearchResponse) -> Markup {
    let facets = &response.facets;
    let groups: [&[FacetCount]; 6] = [
        &facets.sector,
        &facets.region,
        &facets.section,
        &facets.level,
        &facets.kind,
        &facets.source,
    ];
    html! {
        @if groups.iter().any(|g| !g.is_empty()) {
            aside class="facets" aria-label="Filters" {
                @for ((key, heading), values) in FILTERS.iter().zip(groups) {
                    @if !values.is_empty() {
                        section {
                            h2 { (heading) }
                            ul {
                                @for facet in values.iter().take(FACET_VALUES) {
                                    (render_facet(form, key, facet))
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// One facet value: a link that adds its filter, or removes it when it is on.
fn render_facet(form: &SearchForm, key: &str, facet: &FacetCount) -> Markup {
    let on = form.has(key, &facet.slug);
    let label = if key == "section" {
        section_label_of(&facet.value)
    } else {
        facet.value.clone()
    };
    html! {
        li {
            a href=(form.toggled(key, &facet.slug).href()) data-nav
                class=(if on { "facet on" } else { "facet" }) {
                (label) " " span class="count" { (facet.count) }
                // Links, not checkboxes, so they work without a script; the state is
                // said in words for screen readers.
                @if on {
                    span class="vh" { " (selected; follow to remove)" }
                }
            }
        }
    }
}

fn render_hit(hit: &Hit) -> Markup {
    let copies = hit.copies.len();
    html! {
        li class="hit" {
            h3 { a href=(story_path(&hit.id)) { (highlighted(&hit.title_marked)) } }
            p class="meta" {
                (date_link(&hit.issue_id, &hit.date.to_string()))
                " · "
                (section_label(hit.section))
                @if copies > 0 {
                    " · also told " (copies) " more time" @if copies != 1 { "s" } " in the issue"
                }
                @if let Some(url) = hit.url.as_deref().filter(|u| is_web_link(u)) {
                    " · " a href=(url) rel="noopener" { "open" }
                }
            }
            p class="snippet" { (highlighted(&hit.snippet)) }
        }
    }
}

fn render_pages(form: &SearchForm, total: usize) -> Markup {
    let pages = total.div_ceil(PAGE_SIZE);
    let current = form.page.min(pages);
    let first = current.saturating_sub(3).max(1);
    let last = (first + 6).min(pages);
    html! {
        @if pages > 1 {
            nav class="pages" aria-label="Pages" {
                ul {
                    @if current > 1 {
                        li {
                            a href=(form.on_page(current - 1).href()) data-nav rel="prev" {
                                "← Previous"
                            }
                        }
                    }
                    @for page in first..=last {
                        @if page == current {
                            li { span aria-current="page" { (page) } }
                        } @else {
                            li { a href=(form.on_page(page).href()) data-nav { (page) } }
                        }
                    }
                    @if current < pages {
                        li {
                            a href=(form.on_page(current + 1).href()) data-nav rel="next" {
                                "Next →"
                            }
                        }
                    }
                }
            }
        }
    }
}

/// How an active filter reads: the facet's own label when a hit has it
/// (`Finance & Banking` for `finance-banking`), else the value as given.
fn filter_label(response: &SearchResponse, key: &str, value: &str) -> String {
    let facets = &response.facets;
    let values = match key {
        "sector" => &facets.sector,
        "region" => &facets.region,
        "section" => &facets.section,
        "level" => &facets.level,
        "kind" => &facets.kind,
        _ => &facets.source,
    };
    let value_slug = slug(value);
    match values.iter().find(|f| f.slug == value_slug) {
        Some(facet) if key == "section" => section_label_of(&facet.value),
        Some(facet) => facet.value.clone(),
        None => value.to_string(),
    }
}

fn filter_heading(key: &str) -> &'static str {
    FILTERS
        .iter()
        .find(|(k, _)| *k == key)
        .map_or("Filter", |(_, h)| h)
}

/// A section facet's value (`top_story`) as a reader says it.
fn section_label_of(value: &str) -> String {
    value
        .parse()
        .map(|s| section_label(s).to_string())
        .unwrap_or_else(|_| value.to_string())
}

/// Whether `url` is an `http(s)` link (anything else, `javascript:` above all, is
/// not made a link).
pub fn is_web_link(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

#[cfg(test)]
mod tests {
    use backissue_engine::document::Section;
    use backissue_engine::search::{FacetCounts, Marked, Mode, ScoreBreakdown, Weights};

    use super::*;

    /// `text` with its `<mark>…</mark>` tags read as marks (nothing else is markup).
    fn tagged(text: &str) -> Marked {
        let mut marked = Marked::default();
        let mut rest = text;
        while let Some(open) = rest.find("<mark>") {
            marked.text.push_str(&rest[..open]);
            rest = &rest[open + "<mark>".len()..];
            let close = rest.find("</mark>").unwrap_or(rest.len());
            let start = marked.text.len();
            marked.text.push_str(&rest[..close]);
            marked.marks.push(start..marked.text.len());
            rest = rest.get(close + "</mark>".len()..).unwrap_or("");
        }
        marked.text.push_str(rest);
        marked
    }

    fn hit(title: &str, snippet: &str) -> Hit {
        Hit {
            id: "2026-03-27/top/2".into(),
            issue_id: "2026-03-27".into(),
            date: "2026-03-27".parse().unwrap(),
            section: Section::TopStory,
            title: title.into(),
            title_marked: Marked::plain(title),
            url: None,
            snippet: tagged(snippet),
            event_id: "2026-03-27/top/2".into(),
            copies: vec!["2026-03-27/finance-banking/1".into()],
            score: ScoreBreakdown {
                keyword_rank: Some(1),
                vector_rank: None,
                keyword_score: Some(1.0),
                vector_similarity: None,
                fused: 1.0,
                exact_title: false,
            },
        }
    }

    fn response(hits: Vec<Hit>, total: usize) -> SearchResponse {
        SearchResponse {
            query: "loan".into(),
            mode: Mode::Keyword,
            weights: Weights {
                keyword: 1.0,
                semantic: 0.0,
            },
            total,
            offset: 0,
            limit: PAGE_SIZE,
            hits,
            facets: FacetCounts {
                sector: vec![FacetCount {
                    value: "Finance & Banking".into(),
                    slug: "finance-banking".into(),
                    count: 3,
                }],
                section: vec![FacetCount {
                    value: "top_story".into(),
                    slug: "top-story".into(),
                    count: 2,
                }],
                ..FacetCounts::default()
            },
            corrections: Vec::new(),
            suggestions: Vec::new(),
            dates: None,
            notes: vec!["a <note>".into()],
        }
    }

    #[test]
    fn titles_are_escaped_and_snippets_keep_only_marks() {
        let html = render(
            &SearchForm::from_query("q=loan"),
            Some(&response(
                vec![hit(
                    "<script>alert(1)</script> Loan",
                    "a <mark>loan</mark> & <img src=x onerror=y>",
                )],
                1,
            )),
            None,
        )
        .into_string();
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt; Loan"),
            "{html}"
        );
        assert!(!html.contains("<script"));
        assert!(html.contains("a <mark>loan</mark> &amp; &lt;img src=x onerror=y&gt;"));
        assert!(!html.contains("<img"));
        assert!(html.contains("href=\"/stories/2026-03-27/top/2\""));
        assert!(html.contains("a &lt;note&gt;"));
        assert!(html.contains("also told 1 more time in the issue"));
    }

    #[test]
    fn facets_toggle_filters_and_pages_keep_the_query() {
        let form = SearchForm::from_query("q=loan&sector=finance-banking");
        let html = render(&form, Some(&response(vec![hit("Loan", "x")], 35)), None).into_string();
        // The active sector links to the page without it; the section adds itself.
        assert!(html.contains("<a href=\"/search?q=loan\" data-nav class=\"facet on\">Finance &amp; Banking <span class=\"count\">3</span><span class=\"vh\"> (selected; follow to remove)</span></a>"), "{html}");
        assert!(html
            .contains("href=\"/search?q=loan&amp;sector=finance-banking&amp;section=top-story\""));
        assert!(html.contains(">Top story <span class=\"count\">2</span>"));
        assert!(html.contains("<input type=\"hidden\" name=\"sector\" value=\"finance-banking\">"));
        assert!(html.contains("<span aria-current=\"page\">1</span>"));
        assert!(html.contains("href=\"/search?q=loan&amp;sector=finance-banking&amp;page=4\""));
        assert!(html.contains("rel=\"next\""));
        assert!(html.contains("Sector: Finance &amp; Banking <span"));
        assert!(!html.contains("rel=\"prev\""));
    }

    #[test]
    fn empty_states_say_what_to_do() {
        let html = render(
            &SearchForm::from_query("q=zzz"),
            Some(&response(Vec::new(), 0)),
            None,
        )
        .into_string();
        assert!(html.contains("0 results for “zzz”"));
        assert!(html.contains("Nothing found."));
        assert!(!html.contains("class=\"pages\""));
        let before = render(&SearchForm::from_query(""), None, None).into_string();
        assert!(before.contains("id=\"results\""));
        assert!(!before.contains("class=\"hits\""));
        let error = render(&SearchForm::from_query(""), None, Some("sector: <bad>")).into_string();
        assert!(error.contains("role=\"alert\">sector: &lt;bad&gt;</p>"));
    }

    #[test]
    fn only_web_links_become_links() {
        assert!(is_web_link("https://example.com"));
        assert!(!is_web_link("javascript:alert(1)"));
        assert!(!is_web_link(" JAVASCRIPT:x"));
    }

    /// Pins maud's escaping: were a value spliced unescaped, a script would run.
    #[test]
    fn a_hostile_query_title_and_facet_stay_text_on_the_whole_page() {
        let attack = "\"><script>alert(1)</script>";
        let form = SearchForm::from_query(
            "q=%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E&source=%3Cscript%3E",
        );
        let mut response = response(
            vec![hit(
                attack,
                "<mark>loan</mark> <script>alert(2)</script> <script>alert(3)</script>",
            )],
            1,
        );
        response.facets.source = vec![FacetCount {
            value: "<script>".into(),
            slug: "script".into(),
            count: 1,
        }];
        let page = crate::pages::layout::Page::new(
            format!("{} – search", form.q),
            Some("/"),
            render(&form, Some(&response), None),
        )
        .with_script("/assets/search.js")
        .render()
        .into_string();
        assert_eq!(page.matches("<script").count(), 1, "{page}");
        assert!(page.contains("<script src=\"/assets/search.js?v="));
        assert!(page.contains("<title>&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt; – search"));
        assert!(
            page.contains("name=\"q\" value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\"")
        );
        assert!(page.contains(">&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</a></h3>"));
        assert!(page.contains(
            "<mark>loan</mark> &lt;script&gt;alert(2)&lt;/script&gt; &lt;script&gt;alert(3)"
        ));
        assert!(page.contains(">&lt;script&gt; <span class=\"count\">1</span>"));
    }
}
