//! The search page's parameters: read from the query string, turned into the
//! engine's request, and written back as links (facets, pages, chips).

use backissue_engine::search::{Filters, Mode, SearchRequest, Sort};
use backissue_issue::id::slug;

use super::{FILTERS, PAGE_SIZE};
use crate::pages::html::{parse_query, query_string};

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
    /// Reads `q, mode, sort, from, to, page` and the repeatable filters from a raw
    /// query string; unknown parameters are ignored, as browsers add their own.
    pub fn from_query(raw: &str) -> SearchForm {
        let mut form = SearchForm {
            mode: "hybrid".into(),
            sort: "relevance".into(),
            page: 1,
            ..SearchForm::default()
        };
        for (key, value) in parse_query(raw) {
            match key.as_str() {
                "q" => form.q = value,
                "mode" if ["keyword", "semantic", "hybrid"].contains(&value.as_str()) => {
                    form.mode = value
                }
                "sort" if ["relevance", "newest", "oldest"].contains(&value.as_str()) => {
                    form.sort = value
                }
                "from" => form.from = value.trim().to_string(),
                "to" => form.to = value.trim().to_string(),
                "page" => form.page = value.parse().unwrap_or(1).clamp(1, 1000),
                key if FILTERS.iter().any(|(k, _)| *k == key) && !value.trim().is_empty() => {
                    let pair = (key.to_string(), value.trim().to_string());
                    if !form.filters.contains(&pair) {
                        form.filters.push(pair);
                    }
                }
                _ => {}
            }
        }
        form
    }

    /// The engine's request, or the parameter at fault and why.
    pub fn to_request(&self) -> Result<SearchRequest, (String, String)> {
        let values = |key: &str| -> Vec<String> {
            self.filters
                .iter()
                .filter(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
                .collect()
        };
        let date = |key: &str, text: &str| match text {
            "" => Ok(None),
            text => text.parse().map(Some).map_err(|_| {
                (
                    key.to_string(),
                    format!("{text:?} is not a date such as 2025-06-01"),
                )
            }),
        };
        Ok(SearchRequest {
            query: self.q.clone(),
            mode: match self.mode.as_str() {
                "keyword" => Mode::Keyword,
                "semantic" => Mode::Semantic,
                _ => Mode::default(),
            },
            filters: Filters {
                sectors: values("sector"),
                regions: values("region"),
                sections: values("section"),
                levels: values("level"),
                kinds: values("kind"),
                sources: values("source"),
                date_from: date("from", &self.from)?,
                date_to: date("to", &self.to)?,
            },
            sort: match self.sort.as_str() {
                "newest" => Sort::Newest,
                "oldest" => Sort::Oldest,
                _ => Sort::Relevance,
            },
            offset: (self.page - 1) * PAGE_SIZE,
            limit: PAGE_SIZE,
            collapse: true,
        })
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

    #[test]
    fn the_form_reads_and_writes_its_query_string() {
        let form = SearchForm::from_query(
            "q=%2440B+loan&mode=keyword&sector=Energy&sector=Energy&region=&page=2&junk=1",
        );
        assert_eq!(form.q, "$40B loan");
        assert_eq!(form.mode, "keyword");
        assert_eq!(form.filters, [("sector".to_string(), "Energy".to_string())]);
        assert_eq!(form.page, 2);
        let request = form.to_request().unwrap();
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
        let bad = SearchForm::from_query("from=soon")
            .to_request()
            .unwrap_err();
        assert_eq!(bad.0, "from");
        assert_eq!(SearchForm::from_query("mode=<x>").mode, "hybrid");
    }
}
