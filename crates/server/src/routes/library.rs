//! `GET /api/resources` and `GET /api/paths`: learning material by skill level,
//! sorted and paged (each level group alike); paths also as CSV, one row per step.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Json;
use backissue_engine::resources::{Listing, PathEntry, Request, ResourceEntry, Sort};
use backissue_issue::Level;

use super::{blocking, csv_field, json_or_csv, wants_csv};
use crate::error::{ApiError, ErrorBody};
use crate::params::QueryPairs;
use crate::routes::search::check_length;
use crate::schema::{PathListing, ResourceListing};
use crate::state::AppState;

/// Items per level group when `limit` is not given.
const DEFAULT_LIMIT: usize = 10;

/// Most items per level group.
pub const MAX_LIMIT: usize = backissue_engine::resources::MAX_LIMIT;

/// The furthest `offset`.
pub const MAX_OFFSET: usize = backissue_engine::resources::MAX_OFFSET;

/// The query string of `GET /api/resources` (for the documentation).
#[derive(Debug, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ResourcesQuery {
    /// The reader's level: `Beginner`, `Intermediate`, `Advanced` (each also gets
    /// `All` items) or `All`. Without it, one group per level.
    level: Option<String>,
    /// Words to rank by (by words and meaning); without it, by recency and how often featured.
    q: Option<String>,
    /// A story id: the resources most related to that story, at the reader's level
    /// and the next one up (or every level), only those above the relevance floor
    /// (`min_relevance`; `note` says why when none is). With `q`, only those of them
    /// that the words also find; `sort` and `offset` work as without `for` (the
    /// default order is relevance to the story).
    #[param(rename = "for")]
    for_story: Option<String>,
    /// `relevance` (default: by `q`, else recency and how often featured), `newest`,
    /// `most-featured` or `title`.
    sort: Option<String>,
    /// Items skipped at the start of each level group, 0 to 10,000 (default 0).
    offset: Option<usize>,
    /// Items per level group, 1 to 200 (default 10).
    limit: Option<usize>,
}

/// The query string of `GET /api/paths` (for the documentation).
#[derive(Debug, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct PathsQuery {
    /// The reader's level: `Beginner`, `Intermediate`, `Advanced` or `All`.
    level: Option<String>,
    /// Words to rank by.
    q: Option<String>,
    /// `relevance` (default), `newest`, `most-featured`, `title` or `shortest` (least
    /// total time first).
    sort: Option<String>,
    /// Paths skipped at the start of each level group, 0 to 10,000 (default 0).
    offset: Option<usize>,
    /// Paths per level group, 1 to 200 (default 10).
    limit: Option<usize>,
    /// `json` (default) or `csv` (one row per step); `Accept: text/csv` also gives CSV.
    format: Option<String>,
}

/// Learning resources by level, deduplicated across issues and ranked.
#[utoipa::path(
    get,
    path = "/api/resources",
    tag = "learning",
    params(ResourcesQuery),
    responses(
        (status = 200, description = "The resources, one per work, grouped by level, sorted and paged", body = ResourceListing),
        (status = 400, description = "A bad level, sort, offset or limit, or `q` too long", body = ErrorBody),
        (status = 404, description = "`for` names no story (`unknown_story`)", body = ErrorBody),
    )
)]
pub async fn resources(
    State(state): State<AppState>,
    query: QueryPairs,
) -> Result<Json<Listing<ResourceEntry>>, ApiError> {
    query.only(&["level", "q", "for", "sort", "offset", "limit"])?;
    let request = LibraryRequest::read(&state, &query, &Sort::RESOURCES)?;
    let story = query.one("for")?.map(str::to_string);
    let engine = state.engine()?;
    let listing = blocking(&state, move || {
        let vector = match &request.query {
            Some(q) => Some(engine.searcher().query_vector(q)?),
            None => None,
        };
        let request = request.engine_request(vector.as_deref());
        Ok(engine.with_catalog(|catalog| match &story {
            Some(story) => catalog.story_resources(story, &request),
            None => catalog.rank_resources(&request),
        })?)
    })
    .await?;
    Ok(Json(listing))
}

/// Learning paths by level, deduplicated across issues and ranked.
#[utoipa::path(
    get,
    path = "/api/paths",
    tag = "learning",
    params(PathsQuery),
    responses(
        (status = 200, description = "The learning paths, grouped by level, sorted and paged, each step with its minutes and link", body = PathListing),
        (status = 400, description = "A bad level, sort, offset, limit or format, or `q` too long", body = ErrorBody),
    )
)]
pub async fn paths(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: QueryPairs,
) -> Result<Response, ApiError> {
    query.only(&["level", "q", "sort", "offset", "limit", "format"])?;
    let csv = wants_csv(&query, &headers)?;
    let request = LibraryRequest::read(&state, &query, &Sort::PATHS)?;
    let engine = state.engine()?;
    let listing = blocking(&state, move || {
        let vector = match &request.query {
            Some(q) => Some(engine.searcher().query_vector(q)?),
            None => None,
        };
        Ok(engine.with_catalog(|catalog| {
            catalog.rank_paths(&request.engine_request(vector.as_deref()))
        })?)
    })
    .await?;
    Ok(json_or_csv(csv, listing, paths_csv))
}

/// A path listing as CSV: one row per step, with its path's columns repeated, in
/// the listing's order.
pub fn paths_csv(listing: &Listing<PathEntry>) -> String {
    let mut out = String::from(
        "level_group,path,level,total_minutes,outcome,last_date,times_featured,step,text,minutes,url\n",
    );
    for group in &listing.groups {
        for ranked in &group.items {
            let path = &ranked.item;
            for step in &path.steps {
                let row = [
                    group.level.as_str().to_string(),
                    csv_field(&path.title),
                    path.level.as_str().to_string(),
                    path.total_minutes.to_string(),
                    csv_field(&path.outcome),
                    path.featured.last_date.to_string(),
                    path.featured.times_featured.to_string(),
                    step.n.to_string(),
                    csv_field(&step.text),
                    step.minutes.to_string(),
                    csv_field(&step.url),
                ];
                out.push_str(&row.join(","));
                out.push('\n');
            }
        }
    }
    out
}

/// What both routes read.
struct LibraryRequest {
    query: Option<String>,
    level: Option<Level>,
    sort: Sort,
    offset: usize,
    limit: usize,
}

impl LibraryRequest {
    fn read(
        state: &AppState,
        query: &QueryPairs,
        sorts: &[Sort],
    ) -> Result<LibraryRequest, ApiError> {
        let text = query.one("q")?.map(str::trim).filter(|q| !q.is_empty());
        if let Some(text) = text {
            check_length("q", text, state.config().limits.max_query_chars)?;
        }
        let level = match query.one("level")?.filter(|text| !text.trim().is_empty()) {
            None => None,
            Some(text) => Some(
                text.trim()
                    .parse::<Level>()
                    .map_err(|problem| ApiError::bad_parameter("level", problem))?,
            ),
        };
        let sort = match query.one("sort")?.filter(|text| !text.trim().is_empty()) {
            None => Sort::Relevance,
            Some(text) => Sort::parse_among(text, sorts)?,
        };
        Ok(LibraryRequest {
            query: text.map(str::to_string),
            level,
            sort,
            offset: query.number("offset", 0, MAX_OFFSET)?.unwrap_or(0),
            limit: query
                .number("limit", 1, MAX_LIMIT)?
                .unwrap_or(DEFAULT_LIMIT),
        })
    }

    fn engine_request<'q>(&'q self, vector: Option<&'q [f32]>) -> Request<'q> {
        Request {
            query: self.query.as_deref(),
            query_vector: vector,
            level: self.level,
            sort: self.sort,
            offset: self.offset,
            limit: self.limit,
        }
    }
}
