//! The search page: a GET form that works without JavaScript, the hits with their
//! highlighted snippets, facet counts as links that add or remove a filter, and
//! pagination. `assets/search.js` enhances it (results as you type) through
//! `/api/search`, keeping the same URLs, so a reload or a shared link shows the
//! same page.

use std::fmt::Write as _;

use backissue_engine::search::{FacetCount, Hit, SearchResponse};
use backissue_issue::id::slug;

use super::html::{escape, marked, story_path};
use super::labels::{date_link, section_label};

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

/// The whole `<main>` of the search page: the form, then the results (or `error`,
/// a message about the request, or nothing before a search).
pub fn render(form: &SearchForm, response: Option<&SearchResponse>, error: Option<&str>) -> String {
    let mut out = String::with_capacity(16 * 1024);
    render_form(form, &mut out);
    out.push_str("<div id=\"results\" aria-live=\"polite\">\n");
    if let Some(error) = error {
        let _ = write!(
            out,
            "<p class=\"notice error\" role=\"alert\">{}</p>",
            escape(error)
        );
    } else if let Some(response) = response {
        render_results(form, response, &mut out);
    }
    out.push_str("</div>\n");
    out
}

fn render_form(form: &SearchForm, out: &mut String) {
    let _ = write!(
        out,
        "<form id=\"search-form\" class=\"search\" action=\"/search\" method=\"get\" role=\"search\">\n\
         <label for=\"q\" class=\"big-label\">Search the back issues</label>\n\
         <div class=\"searchbar\"><input type=\"search\" id=\"q\" name=\"q\" value=\"{}\" \
         placeholder=\"robots that work without the cloud\" autocomplete=\"off\" maxlength=\"1000\">\
         <button type=\"submit\">Search</button></div>\n<div class=\"options\">\
         <fieldset class=\"modes\"><legend>Match</legend>",
        escape(&form.q)
    );
    for (mode, label, title) in [
        ("keyword", "Words", "the words, in any form, typos forgiven"),
        (
            "semantic",
            "Meaning",
            "stories close in meaning, even without the words",
        ),
        ("hybrid", "Both", "words and meaning, fused"),
    ] {
        let checked = if form.mode == mode { " checked" } else { "" };
        let _ = write!(
            out,
            "<label title=\"{title}\"><input type=\"radio\" name=\"mode\" value=\"{mode}\"{checked}> {label}</label>"
        );
    }
    out.push_str("</fieldset><label>Order <select name=\"sort\">");
    for (sort, label) in [
        ("relevance", "Best match"),
        ("newest", "Newest"),
        ("oldest", "Oldest"),
    ] {
        let selected = if form.sort == sort { " selected" } else { "" };
        let _ = write!(out, "<option value=\"{sort}\"{selected}>{label}</option>");
    }
    let _ = writeln!(
        out,
        "</select></label><label>From <input type=\"date\" name=\"from\" value=\"{}\"></label>\
         <label>To <input type=\"date\" name=\"to\" value=\"{}\"></label></div>",
        escape(&form.from),
        escape(&form.to)
    );
    // The active filters ride along with the form, so a new query keeps them.
    for (key, value) in &form.filters {
        let _ = write!(
            out,
            "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
            escape(key),
            escape(value)
        );
    }
    out.push_str("</form>\n");
}

fn render_results(form: &SearchForm, response: &SearchResponse, out: &mut String) {
    let _ = writeln!(out, "<p class=\"summary\">{}</p>", summary(form, response));
    if !form.filters.is_empty() {
        out.push_str("<ul class=\"chips\" aria-label=\"Active filters\">");
        for (key, value) in &form.filters {
            let _ = write!(
                out,
                "<li><a href=\"{}\" data-nav>{}: {} <span aria-hidden=\"true\">×</span><span class=\"vh\"> (remove)</span></a></li>",
                escape(&form.toggled(key, value).href()),
                escape(filter_heading(key)),
                escape(&filter_label(response, key, value))
            );
        }
        out.push_str("</ul>\n");
    }
    for correction in &response.corrections {
        let _ = writeln!(
            out,
            "<p class=\"notice\">No document has “{}”; searched for {} instead.</p>",
            escape(&correction.from),
            correction
                .to
                .iter()
                .map(|w| format!("“{}”", escape(w)))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    for suggestion in &response.suggestions {
        let _ = writeln!(
            out,
            "<p class=\"notice\">No document has “{}”. Did you mean {}?</p>",
            escape(&suggestion.from),
            suggestion
                .to
                .iter()
                .map(|w| format!(
                    "<a href=\"{}\" data-nav>{}</a>",
                    escape(
                        &SearchForm {
                            q: form.q.replace(&suggestion.from, w),
                            page: 1,
                            ..form.clone()
                        }
                        .href()
                    ),
                    escape(w)
                ))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    for note in &response.notes {
        let _ = writeln!(out, "<p class=\"notice\">{}</p>", escape(note));
    }
    out.push_str("<div class=\"with-facets\">\n");
    render_facets(form, response, out);
    if response.hits.is_empty() {
        out.push_str(
            "<p class=\"empty\">Nothing found. Try fewer words, another match mode, or fewer filters.</p>\n",
        );
    } else {
        let _ = writeln!(out, "<ol class=\"hits\" start=\"{}\">", response.offset + 1);
        for hit in &response.hits {
            render_hit(hit, out);
        }
        out.push_str("</ol>\n");
    }
    out.push_str("</div>\n");
    render_pages(form, response.total, out);
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
        format!("{count} for “{}”", escape(&form.q))
    }
}

fn render_facets(form: &SearchForm, response: &SearchResponse, out: &mut String) {
    let facets = &response.facets;
    let groups: [&[FacetCount]; 6] = [
        &facets.sector,
        &facets.region,
        &facets.section,
        &facets.level,
        &facets.kind,
        &facets.source,
    ];
    if groups.iter().all(|g| g.is_empty()) {
        return;
    }
    out.push_str("<aside class=\"facets\" aria-label=\"Filters\">\n");
    for ((key, heading), values) in FILTERS.iter().zip(groups) {
        if values.is_empty() {
            continue;
        }
        let _ = write!(out, "<section><h2>{heading}</h2><ul>");
        for facet in values.iter().take(FACET_VALUES) {
            let on = form.has(key, &facet.slug);
            let label = if *key == "section" {
                section_label_of(&facet.value)
            } else {
                facet.value.clone()
            };
            let _ = write!(
                out,
                "<li><a href=\"{}\" data-nav class=\"facet{}\">{} <span class=\"count\">{}</span>{}</a></li>",
                escape(&form.toggled(key, &facet.slug).href()),
                if on { " on" } else { "" },
                escape(&label),
                facet.count,
                // Links, not checkboxes, so they work without a script; the state is
                // said in words for screen readers.
                if on {
                    "<span class=\"vh\"> (selected; follow to remove)</span>"
                } else {
                    ""
                }
            );
        }
        out.push_str("</ul></section>\n");
    }
    out.push_str("</aside>\n");
}

fn render_hit(hit: &Hit, out: &mut String) {
    let _ = write!(
        out,
        "<li class=\"hit\"><h3><a href=\"{}\">{}</a></h3>\n<p class=\"meta\">{} · {}",
        escape(&story_path(&hit.id)),
        marked(&hit.title_html),
        date_link(&hit.issue_id, &hit.date.to_string()),
        section_label(hit.section),
    );
    if !hit.copies.is_empty() {
        let copies = hit.copies.len();
        let _ = write!(
            out,
            " · also told {copies} more time{} in the issue",
            if copies == 1 { "" } else { "s" }
        );
    }
    if let Some(url) = hit.url.as_deref().filter(|u| is_web_link(u)) {
        let _ = write!(
            out,
            " · <a href=\"{}\" rel=\"noopener\">open</a>",
            escape(url)
        );
    }
    let _ = writeln!(
        out,
        "</p>\n<p class=\"snippet\">{}</p></li>",
        marked(&hit.snippet)
    );
}

fn render_pages(form: &SearchForm, total: usize, out: &mut String) {
    let pages = total.div_ceil(PAGE_SIZE);
    if pages <= 1 {
        return;
    }
    let current = form.page.min(pages);
    out.push_str("<nav class=\"pages\" aria-label=\"Pages\"><ul>");
    if current > 1 {
        let _ = write!(
            out,
            "<li><a href=\"{}\" data-nav rel=\"prev\">← Previous</a></li>",
            escape(&form.on_page(current - 1).href())
        );
    }
    let first = current.saturating_sub(3).max(1);
    let last = (first + 6).min(pages);
    for page in first..=last {
        if page == current {
            let _ = write!(out, "<li><span aria-current=\"page\">{page}</span></li>");
        } else {
            let _ = write!(
                out,
                "<li><a href=\"{}\" data-nav>{page}</a></li>",
                escape(&form.on_page(page).href())
            );
        }
    }
    if current < pages {
        let _ = write!(
            out,
            "<li><a href=\"{}\" data-nav rel=\"next\">Next →</a></li>",
            escape(&form.on_page(current + 1).href())
        );
    }
    out.push_str("</ul></nav>\n");
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
    use backissue_engine::search::{FacetCounts, Mode, ScoreBreakdown, Weights};

    use super::*;

    fn hit(title: &str, snippet: &str) -> Hit {
        Hit {
            id: "2026-03-27/top/2".into(),
            issue_id: "2026-03-27".into(),
            date: "2026-03-27".parse().unwrap(),
            section: Section::TopStory,
            title: title.into(),
            title_html: escape(title),
            url: None,
            snippet: snippet.into(),
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
                    "a <mark>loan</mark> &amp; <img src=x onerror=y>",
                )],
                1,
            )),
            None,
        );
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
        let html = render(&form, Some(&response(vec![hit("Loan", "x")], 35)), None);
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
        );
        assert!(html.contains("0 results for “zzz”"));
        assert!(html.contains("Nothing found."));
        assert!(!html.contains("class=\"pages\""));
        let before = render(&SearchForm::from_query(""), None, None);
        assert!(before.contains("id=\"results\""));
        assert!(!before.contains("class=\"hits\""));
        let error = render(&SearchForm::from_query(""), None, Some("sector: <bad>"));
        assert!(error.contains("role=\"alert\">sector: &lt;bad&gt;</p>"));
    }

    #[test]
    fn only_web_links_become_links() {
        assert!(is_web_link("https://example.com"));
        assert!(!is_web_link("javascript:alert(1)"));
        assert!(!is_web_link(" JAVASCRIPT:x"));
    }
}
