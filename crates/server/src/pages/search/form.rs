//! The search page's parameters: read from the query string, turned into the
//! engine's request, and written back as links (facets, pages, chips).

use backissue_engine::search::{Mode, SearchRequest, Sort};
use backissue_issue::id::slug;

use super::{FILTERS, PAGE_SIZE};
use crate::config::Limits;
use crate::error::ApiError;
use crate::pages::urls::query_string;
use crate::params::{QueryModel, QueryPairs};
use crate::routes::search::{SearchParams, MAX_FILTER_VALUES};

/// The last page a reader can ask for (the API's offset cap, in pages).
const MAX_PAGE: usize = 1000;

/// What the page was asked for, read from its query string.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchForm {
    /// The query.
    pub q: String,
    /// `keyword`, `semantic` or `hybrid`.
    pub mode: String,
    /// `relevance`, `newest` or `oldest`.
    pub sort: String,
    /// Filter parameters (`sector`, …) and values, in the order given.
    pub filters: Vec<(String, String)>,
    /// `from` date, `YYYY-MM-DD`.
    pub from: String,
    /// `to` date, `YYYY-MM-DD`.
    pub to: String,
    /// The 1-based page.
    pub page: usize,
}

impl SearchForm {
    /// Reads the page's query string with the API's own model
    /// ([`SearchParams`]): the same parameters, caps and error
    /// texts, plus the page's `page`. Campaign tags a link may carry (`utm_*`) are
    /// ignored. The form comes back even when the request is bad, so the page can
    /// show what was asked beside the error; its filters are then cut to the caps.
    pub fn read(raw: &str, limits: &Limits) -> (SearchForm, Result<SearchRequest, ApiError>) {
        let mut form = SearchForm {
            mode: "hybrid".into(),
            sort: "relevance".into(),
            page: 1,
            ..SearchForm::default()
        };
        let pairs = match QueryPairs::parse(raw) {
            Ok(pairs) => pairs
                .without_blanks()
                .without(|key| key.starts_with("utm_")),
            Err(error) => return (form, Err(error)),
        };
        let page = pairs.number("page", 1, MAX_PAGE);
        let api = pairs.without(|key| key == "page" || key == "offset" || key == "limit");
        let params = page.and_then(|page| Ok((page, SearchParams::read(&api, limits)?)));
        match params {
            Ok((page, params)) => {
                // The form is the request as read: the same values the engine gets.
                form.page = page.unwrap_or(1);
                form.q = params.q.clone();
                form.mode = match params.mode {
                    Mode::Keyword => "keyword",
                    Mode::Semantic => "semantic",
                    Mode::Hybrid { .. } => "hybrid",
                }
                .to_string();
                form.sort = match params.sort {
                    Sort::Relevance => "relevance",
                    Sort::Newest => "newest",
                    Sort::Oldest => "oldest",
                }
                .to_string();
                form.from = params.from.map(|d| d.to_string()).unwrap_or_default();
                form.to = params.to.map(|d| d.to_string()).unwrap_or_default();
                for (key, values) in params.filters() {
                    form.filters
                        .extend(values.iter().map(|v| (key.to_string(), v.clone())));
                }
                let mut request = params.request();
                // Only the page chooses what part of the hits is shown.
                request.offset = (form.page - 1) * PAGE_SIZE;
                request.limit = PAGE_SIZE;
                request.collapse = true;
                (form, Ok(request))
            }
            Err(error) => {
                // A bad request: the form shows what was asked beside the error,
                // bounded like the request would be.
                let text = |key: &str| {
                    pairs
                        .one(key)
                        .ok()
                        .flatten()
                        .unwrap_or("")
                        .trim()
                        .to_string()
                };
                form.q = text("q").chars().take(limits.max_query_chars).collect();
                let mode = text("mode").to_ascii_lowercase();
                if ["keyword", "semantic", "hybrid"].contains(&mode.as_str()) {
                    form.mode = mode;
                }
                let sort = text("sort").to_ascii_lowercase();
                if ["relevance", "newest", "oldest"].contains(&sort.as_str()) {
                    form.sort = sort;
                }
                form.from = text("from").chars().take(10).collect();
                form.to = text("to").chars().take(10).collect();
                form.page = pairs
                    .number("page", 1, MAX_PAGE)
                    .ok()
                    .flatten()
                    .unwrap_or(1);
                for (key, _) in FILTERS {
                    let mut seen = std::collections::HashSet::new();
                    let values = pairs.list(key);
                    form.filters.extend(
                        values
                            .into_iter()
                            .filter(|v| seen.insert(slug(v)))
                            .take(MAX_FILTER_VALUES)
                            .map(|v| (key.to_string(), v)),
                    );
                }
                (form, Err(error))
            }
        }
    }

    /// The form of `raw` with the default limits (tests and links).
    pub fn from_query(raw: &str) -> SearchForm {
        SearchForm::read(raw, &Limits::default()).0
    }

    /// The page's URL for this form.
    pub fn href(&self) -> String {
        let page = if self.page > 1 {
            self.page.to_string()
        } else {
            String::new()
        };
        let mut pairs: Vec<(&str, &str)> = vec![("q", &self.q)];
        if self.mode != "hybrid" {
            pairs.push(("mode", &self.mode));
        }
        if self.sort != "relevance" {
            pairs.push(("sort", &self.sort));
        }
        pairs.extend(self.filters.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        pairs.extend([
            ("from", self.from.as_str()),
            ("to", self.to.as_str()),
            ("page", &page),
        ]);
        format!("/search?{}", query_string(pairs))
    }

    /// Whether filter `key` has a value whose slug is `value_slug`.
    pub(super) fn has(&self, key: &str, value_slug: &str) -> bool {
        self.filters
            .iter()
            .any(|(k, v)| k == key && slug(v) == value_slug)
    }

    /// The same form, back on page 1, with filter `key = value` added, or removed
    /// when it is set.
    pub(super) fn toggled(&self, key: &str, value: &str) -> SearchForm {
        let mut form = self.clone();
        form.page = 1;
        let value_slug = slug(value);
        if self.has(key, &value_slug) {
            form.filters
                .retain(|(k, v)| !(k == key && slug(v) == value_slug));
        } else {
            form.filters.push((key.to_string(), value.to_string()));
        }
        form
    }

    /// The same form on page `page`.
    pub(super) fn on_page(&self, page: usize) -> SearchForm {
        SearchForm {
            page,
            ..self.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use backissue_engine::search::Mode;

    fn read(raw: &str) -> (SearchForm, Result<SearchRequest, ApiError>) {
        SearchForm::read(raw, &Limits::default())
    }

    #[test]
    fn the_form_reads_and_writes_its_query_string() {
        let (form, request) = read(
            "q=%2440B+loan&mode=keyword&sector=Energy&sector=energy&region=&page=2&utm_source=x",
        );
        assert_eq!(form.q, "$40B loan");
        assert_eq!(form.mode, "keyword");
        assert_eq!(form.filters, [("sector".to_string(), "Energy".to_string())]);
        assert_eq!(form.page, 2);
        let request = request.unwrap();
        assert_eq!(request.mode, Mode::Keyword);
        assert_eq!(request.filters.sectors, ["Energy"]);
        assert_eq!(request.offset, PAGE_SIZE);
        assert_eq!(
            form.href(),
            "/search?q=%2440B%20loan&mode=keyword&sector=Energy&page=2"
        );
        assert_eq!(
            SearchForm::from_query(&form.href()["/search?".len()..]),
            form
        );
    }

    #[test]
    fn the_page_refuses_what_the_api_refuses_with_the_same_words() {
        let limits = Limits::default();
        for raw in [
            "from=soon",
            "mode=%3Cx%3E",
            "q=x&junk=1",
            "q=%zz",
            &"sector=Tech&".repeat(200),
        ] {
            let api = SearchParams::read(&QueryPairs::parse(raw).unwrap_or_default(), &limits);
            let (_, page) = read(raw);
            let page = page.expect_err(raw);
            if let Err(api) = api {
                assert_eq!(page.message, api.message, "{raw}");
            }
        }
        let page = read("q=x&page=0").1.unwrap_err();
        assert!(
            page.message.starts_with("page: 0 is outside"),
            "{}",
            page.message
        );
    }

    #[test]
    fn a_filter_bomb_collapses_to_its_distinct_values() {
        // Spellings that all slug to `tech`: one value, one chip.
        let spellings: Vec<String> = (0..3_000)
            .map(|n| format!("sector={}", if n % 2 == 0 { "Tech!$" } else { "tEcH*~" }))
            .collect();
        let (form, request) = read(&spellings[..MAX_FILTER_VALUES].join("&"));
        assert_eq!(form.filters.len(), 1, "{:?}", form.filters);
        assert!(request.is_ok());
        let (form, request) = read(&spellings.join("&"));
        assert!(request
            .unwrap_err()
            .message
            .starts_with("sector: 3000 values given"));
        assert_eq!(form.filters.len(), 1, "{:?}", form.filters);
        let distinct: Vec<String> = (0..30).map(|n| format!("sector=s{n}")).collect();
        let (form, request) = read(&distinct.join("&"));
        assert!(request
            .unwrap_err()
            .message
            .contains("more than the 20 accepted"));
        assert_eq!(form.filters.len(), MAX_FILTER_VALUES);
    }
}
