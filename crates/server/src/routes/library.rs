//! `GET /api/resources` and `GET /api/paths`: learning material by skill level.

use axum::extract::State;
use axum::Json;
use backissue_engine::resources::{Listing, PathEntry, Request, ResourceEntry};
use backissue_issue::Level;

use super::blocking;
use crate::error::{ApiError, ErrorBody};
use crate::params::QueryPairs;
use crate::routes::search::check_length;
use crate::schema::{PathListing, ResourceListing};
use crate::state::AppState;

/// Items per level group when `limit` is not given.
const DEFAULT_LIMIT: usize = 10;

/// Most items per level group.
pub const MAX_LIMIT: usize = 200;

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
    /// and the next one up (or every level). Not with `q`.
    #[param(rename = "for")]
    for_story: Option<String>,
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
    /// Paths per level group, 1 to 200 (default 10).
    limit: Option<usize>,
}

/// Learning resources by level, deduplicated across issues and ranked.
#[utoipa::path(
    get,
    path = "/api/resources",
    tag = "learning",
    params(ResourcesQuery),
    responses(
        (status = 200, description = "The resources, grouped by level, best first", body = ResourceListing),
        (status = 400, description = "A bad level or limit, `q` too long, or both `q` and `for`", body = ErrorBody),
        (status = 404, description = "`for` names no story (`unknown_story`)", body = ErrorBody),
    )
)]
pub async fn resources(
    State(state): State<AppState>,
    query: QueryPairs,
) -> Result<Json<Listing<ResourceEntry>>, ApiError> {
    query.only(&["level", "q", "for", "limit"])?;
    let request = LibraryRequest::read(&state, &query)?;
    let story = query.one("for")?.map(str::to_string);
    if story.is_some() && request.query.is_some() {
        return Err(ApiError::bad_parameter(
            "for",
            "give either q or for, not both",
        ));
    }
    let engine = state.engine()?;
    let listing = blocking(&state, move || {
        if let Some(story) = story {
            return Ok(engine.with_catalog(|catalog| {
                catalog.resources_for_story(&story, request.level, request.limit)
            })?);
        }
        let vector = match &request.query {
            Some(q) => Some(engine.searcher().query_vector(q)?),
            None => None,
        };
        Ok(engine.with_catalog(|catalog| {
            catalog.rank_resources(&request.engine_request(vector.as_deref()))
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
        (status = 200, description = "The learning paths, grouped by level, best first", body = PathListing),
        (status = 400, description = "A bad level or limit, or `q` too long", body = ErrorBody),
    )
)]
pub async fn paths(
    State(state): State<AppState>,
    query: QueryPairs,
) -> Result<Json<Listing<PathEntry>>, ApiError> {
    query.only(&["level", "q", "limit"])?;
    let request = LibraryRequest::read(&state, &query)?;
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
    Ok(Json(listing))
}

/// What both routes read.
struct LibraryRequest {
    query: Option<String>,
    level: Option<Level>,
    limit: usize,
}

impl LibraryRequest {
    fn read(state: &AppState, query: &QueryPairs) -> Result<LibraryRequest, ApiError> {
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
        Ok(LibraryRequest {
            query: text.map(str::to_string),
            level,
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
            limit: self.limit,
        }
    }
}
