//! `GET /api/search`: keyword, semantic and hybrid search with filters and facets.

use axum::extract::State;
use axum::Json;
use backissue_engine::search::{Filters, Mode, SearchRequest, SearchResponse, Sort, DEFAULT_LIMIT};
use backissue_issue::Date;

use super::blocking;
use crate::config::Limits;
use crate::error::{ApiError, ErrorBody, ErrorCode};
use crate::params::QueryPairs;
use crate::schema;
use crate::state::AppState;

/// Most values of one filter (`sector`, `region`, …): given (the OpenAPI
/// document's `maxItems`), and distinct after duplicates collapse. With six filters,
/// a request has at most 120 filter values in all.
pub const MAX_FILTER_VALUES: usize = 20;

/// The parameters `GET /api/search` accepts.
pub const PARAMETERS: &[&str] = &[
    "q",
    "mode",
    "semantic_ratio",
    "sector",
    "region",
    "section",
    "level",
    "kind",
    "source",
    "from",
    "to",
    "sort",
    "offset",
    "limit",
    "collapse",
];

/// The furthest a page may start.
pub const MAX_OFFSET: usize = 10_000;

/// The query string of `GET /api/search` (for the documentation; read by
/// [`search_request`]).
#[derive(Debug, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct SearchParams {
    /// What to look for. Words match in any form; `"quoted words"` must appear
    /// together; the last word also matches as a prefix. Empty: everything that
    /// passes the filters, newest first. At most 1000 characters.
    #[param(max_length = 1000)]
    q: Option<String>,
    /// `keyword`, `semantic` or `hybrid` (default).
    #[param(inline, value_type = Option<String>, example = "hybrid")]
    mode: Option<String>,
    /// Hybrid only: weight of meaning against words, 0 to 1 (default 0.6).
    semantic_ratio: Option<f32>,
    /// Sectors (repeat or comma-separate for any of several): `Tech`, `Finance & Banking`, `finance-banking`.
    #[param(max_items = 20)]
    sector: Option<Vec<String>>,
    /// Regions: `US`, `India`, `South Korea`, …
    #[param(max_items = 20)]
    region: Option<Vec<String>>,
    /// Sections: `top_story`, `sector_story`, `regional_story`, `insight`, `hidden_signal`, `resource`, `learning_path`.
    #[param(max_items = 20)]
    section: Option<Vec<String>>,
    /// Levels of resources and learning paths: `Beginner`, `Intermediate`, `Advanced` (each also matches `All`), `All`.
    #[param(max_items = 20)]
    level: Option<Vec<String>>,
    /// Resource kinds: `Tool`, `Article`, `Paper`, …
    #[param(max_items = 20)]
    kind: Option<Vec<String>>,
    /// Sources of sector and regional stories: `TechCrunch`, `Reuters`, …
    #[param(max_items = 20)]
    source: Option<Vec<String>>,
    /// Only issues on or after this date (`YYYY-MM-DD`).
    #[param(value_type = Option<String>, format = Date)]
    from: Option<String>,
    /// Only issues on or before this date (`YYYY-MM-DD`).
    #[param(value_type = Option<String>, format = Date)]
    to: Option<String>,
    /// `relevance` (default), `newest` or `oldest`.
    sort: Option<String>,
    /// Hits to skip, 0 to 10000 (default 0).
    offset: Option<usize>,
    /// Hits per page, 0 to 100 (default 10); 0 gives only the total and facets.
    limit: Option<usize>,
    /// One hit per piece of news (default `true`), the other copies' ids under it.
    collapse: Option<bool>,
}

/// Reads a [`SearchRequest`] from a query string; every mistake names its parameter.
/// The web pages use it too, so both read the same parameters the same way.
pub fn search_request(query: &QueryPairs, limits: &Limits) -> Result<SearchRequest, ApiError> {
    query.only(PARAMETERS)?;
    let text = query.one("q")?.unwrap_or("").to_string();
    check_length("q", &text, limits.max_query_chars)?;
    let ratio: Option<f32> = query.parsed("semantic_ratio", "a number from 0 to 1")?;
    if let Some(ratio) = ratio.filter(|r| !(0.0..=1.0).contains(r)) {
        return Err(ApiError::bad_parameter(
            "semantic_ratio",
            format!("{ratio} is outside 0 to 1 (0: words only, 1: meaning only)"),
        ));
    }
    let mode = match query.choice("mode", &["keyword", "semantic", "hybrid"])? {
        Some("keyword") => Mode::Keyword,
        Some("semantic") => Mode::Semantic,
        _ => Mode::Hybrid {
            semantic_ratio: ratio.unwrap_or(backissue_engine::search::DEFAULT_SEMANTIC_RATIO),
        },
    };
    let sort = match query.choice("sort", &["relevance", "newest", "oldest"])? {
        Some("newest") => Sort::Newest,
        Some("oldest") => Sort::Oldest,
        _ => Sort::Relevance,
    };
    let date_from = date(query, "from")?;
    let date_to = date(query, "to")?;
    let filters = Filters {
        sectors: query.filter("sector", MAX_FILTER_VALUES)?,
        regions: query.filter("region", MAX_FILTER_VALUES)?,
        sections: query.filter("section", MAX_FILTER_VALUES)?,
        levels: query.filter("level", MAX_FILTER_VALUES)?,
        kinds: query.filter("kind", MAX_FILTER_VALUES)?,
        sources: query.filter("source", MAX_FILTER_VALUES)?,
        date_from,
        date_to,
    };
    Ok(SearchRequest {
        query: text,
        mode,
        filters,
        sort,
        offset: query.number("offset", 0, MAX_OFFSET)?.unwrap_or(0),
        limit: query
            .number("limit", 0, limits.max_search_limit)?
            .unwrap_or(DEFAULT_LIMIT),
        collapse: query.flag("collapse")?.unwrap_or(true),
    })
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
        (status = 200, description = "One page of hits, the total, facet counts over all hits, and notes", body = schema::SearchAnswer),
        (status = 400, description = "A parameter is malformed, unknown, or out of range (`bad_parameter`), or `q` is too long (`query_too_long`)", body = ErrorBody),
        (status = 503, description = "No index loaded yet (`not_ready`), or the server is busy (`overloaded`)", body = ErrorBody),
    )
)]
pub async fn search(
    State(state): State<AppState>,
    query: QueryPairs,
) -> Result<Json<SearchResponse>, ApiError> {
    let request = search_request(&query, &state.config().limits)?;
    let engine = state.engine()?;
    let response = blocking(&state, move || Ok(engine.searcher().search(&request)?)).await?;
    Ok(Json(response))
}
