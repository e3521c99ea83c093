//! `GET /api/search`: keyword, semantic and hybrid search with filters and facets.

use axum::extract::State;
use axum::Json;
use backissue_engine::search::{Filters, Mode, SearchRequest, SearchResponse, Sort, DEFAULT_LIMIT};

use crate::pages::highlight::html_answer;
use backissue_issue::Date;

use super::blocking;
use crate::config::Limits;
use crate::error::{ApiError, ErrorBody, ErrorCode};
use crate::params::{Params, QueryModel, QueryPairs};
use crate::state::AppState;

/// Most values of one filter (`sector`, `region`, …): given (the OpenAPI
/// document's `maxItems`), and distinct after duplicates collapse. With six filters,
/// a request has at most 120 filter values in all.
pub const MAX_FILTER_VALUES: usize = 20;

/// The furthest a page may start.
pub const MAX_OFFSET: usize = 10_000;

/// The query string of `GET /api/search`, read and checked: the one model of a
/// search request, shared by the API and the search page. Its fields are the
/// documented parameters; [`SearchParams::request`] is the engine's request.
#[derive(Debug, Clone, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// What to look for. Words match in any form; `"quoted words"` must appear
    /// together; the last word also matches as a prefix. Empty: everything that
    /// passes the filters, newest first. At most 1000 characters.
    #[param(value_type = Option<String>, max_length = 1000)]
    pub q: String,
    /// `keyword`, `semantic` or `hybrid` (default).
    #[param(inline, value_type = Option<String>, example = "hybrid")]
    pub mode: Mode,
    /// Hybrid only: weight of meaning against words, 0 to 1 (default 0.6).
    #[param(value_type = Option<f32>)]
    pub semantic_ratio: Option<f32>,
    /// Sectors (repeat or comma-separate for any of several): `Tech`, `Finance & Banking`, `finance-banking`.
    #[param(value_type = Option<Vec<String>>, max_items = 20)]
    pub sector: Vec<String>,
    /// Regions: `US`, `India`, `South Korea`, …
    #[param(value_type = Option<Vec<String>>, max_items = 20)]
    pub region: Vec<String>,
    /// Sections: `top_story`, `sector_story`, `regional_story`, `insight`, `hidden_signal`, `resource`, `learning_path`.
    #[param(value_type = Option<Vec<String>>, max_items = 20)]
    pub section: Vec<String>,
    /// Levels of resources and learning paths: `Beginner`, `Intermediate`, `Advanced` (each also matches `All`), `All`.
    #[param(value_type = Option<Vec<String>>, max_items = 20)]
    pub level: Vec<String>,
    /// Resource kinds: `Tool`, `Article`, `Paper`, …
    #[param(value_type = Option<Vec<String>>, max_items = 20)]
    pub kind: Vec<String>,
    /// Sources of sector and regional stories: `TechCrunch`, `Reuters`, …
    #[param(value_type = Option<Vec<String>>, max_items = 20)]
    pub source: Vec<String>,
    /// Only issues on or after this date (`YYYY-MM-DD`).
    #[param(value_type = Option<String>, format = Date)]
    pub from: Option<Date>,
    /// Only issues on or before this date (`YYYY-MM-DD`).
    #[param(value_type = Option<String>, format = Date)]
    pub to: Option<Date>,
    /// `relevance` (default), `newest` or `oldest`.
    #[param(value_type = Option<String>)]
    pub sort: Sort,
    /// Hits to skip, 0 to 10000 (default 0).
    #[param(value_type = Option<usize>)]
    pub offset: usize,
    /// Hits per page, 0 to 100 (default 10); 0 gives only the total and facets.
    #[param(value_type = Option<usize>)]
    pub limit: usize,
    /// One hit per piece of news (default `true`), the other copies' ids under it.
    #[param(value_type = Option<bool>)]
    pub collapse: bool,
}

impl QueryModel for SearchParams {
    fn read_fields(query: &QueryPairs, limits: &Limits) -> Result<Self, ApiError> {
        let q = query.one("q")?.unwrap_or("").to_string();
        check_length("q", &q, limits.max_query_chars)?;
        let semantic_ratio: Option<f32> = query.parsed("semantic_ratio", "a number from 0 to 1")?;
        if let Some(ratio) = semantic_ratio.filter(|r| !(0.0..=1.0).contains(r)) {
            return Err(ApiError::bad_parameter(
                "semantic_ratio",
                format!("{ratio} is outside 0 to 1 (0: words only, 1: meaning only)"),
            ));
        }
        let mode = match query.choice("mode", &["keyword", "semantic", "hybrid"])? {
            Some("keyword") => Mode::Keyword,
            Some("semantic") => Mode::Semantic,
            _ => Mode::Hybrid {
                semantic_ratio: semantic_ratio
                    .unwrap_or(backissue_engine::search::DEFAULT_SEMANTIC_RATIO),
            },
        };
        let sort = match query.choice("sort", &["relevance", "newest", "oldest"])? {
            Some("newest") => Sort::Newest,
            Some("oldest") => Sort::Oldest,
            _ => Sort::Relevance,
        };
        Ok(SearchParams {
            q,
            mode,
            semantic_ratio,
            sector: query.filter("sector", MAX_FILTER_VALUES)?,
            region: query.filter("region", MAX_FILTER_VALUES)?,
            section: query.filter("section", MAX_FILTER_VALUES)?,
            level: query.filter("level", MAX_FILTER_VALUES)?,
            kind: query.filter("kind", MAX_FILTER_VALUES)?,
            source: query.filter("source", MAX_FILTER_VALUES)?,
            from: date(query, "from")?,
            to: date(query, "to")?,
            sort,
            offset: query.number("offset", 0, MAX_OFFSET)?.unwrap_or(0),
            limit: query
                .number("limit", 0, limits.max_search_limit)?
                .unwrap_or(DEFAULT_LIMIT),
            collapse: query.flag("collapse")?.unwrap_or(true),
        })
    }
}

impl SearchParams {
    /// The filters, by facet: the parameter name and its values, in the
    /// documented order.
    pub fn filters(&self) -> [(&'static str, &[String]); 6] {
        [
            ("sector", &self.sector),
            ("region", &self.region),
            ("section", &self.section),
            ("level", &self.level),
            ("kind", &self.kind),
            ("source", &self.source),
        ]
    }

    /// The engine's request.
    pub fn request(&self) -> SearchRequest {
        SearchRequest {
            query: self.q.clone(),
            mode: self.mode,
            filters: Filters {
                sectors: self.sector.clone(),
                regions: self.region.clone(),
                sections: self.section.clone(),
                levels: self.level.clone(),
                kinds: self.kind.clone(),
                sources: self.source.clone(),
                date_from: self.from,
                date_to: self.to,
            },
            sort: self.sort,
            offset: self.offset,
            limit: self.limit,
            collapse: self.collapse,
        }
    }
}

/// A `query_too_long` error when `text` is over `max` characters.
pub fn check_length(parameter: &str, text: &str, max: usize) -> Result<(), ApiError> {
    let chars = text.chars().count();
    if chars > max {
        return Err(ApiError::new(
            ErrorCode::QueryTooLong,
            format!("{parameter}: {chars} characters, more than the {max} accepted; give its key words instead"),
        ));
    }
    Ok(())
}

/// A date parameter, `YYYY-MM-DD`.
pub fn date(query: &QueryPairs, name: &str) -> Result<Option<Date>, ApiError> {
    query.parsed(name, "a date written YYYY-MM-DD")
}

/// Searches the archive.
#[utoipa::path(
    get,
    path = "/api/search",
    tag = "search",
    params(SearchParams),
    responses(
        (status = 200, description = "One page of hits, the total, facet counts over all hits, and notes", body = SearchResponse<String>),
        (status = 400, description = "A parameter is malformed, unknown, or out of range (`bad_parameter`), or `q` is too long (`query_too_long`)", body = ErrorBody),
        (status = 503, description = "No index loaded yet (`not_ready`), or the server is busy (`overloaded`)", body = ErrorBody),
    )
)]
pub async fn search(
    State(state): State<AppState>,
    Params(params): Params<SearchParams>,
) -> Result<Json<SearchResponse<String>>, ApiError> {
    let request = params.request();
    let engine = state.engine()?;
    let response = blocking(&state, move || Ok(engine.searcher().search(&request)?)).await?;
    Ok(Json(html_answer(response)))
}
